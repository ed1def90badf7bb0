//! `slz bench`: in-memory compression speed and ratio of slz against zlib and friends.

use std::fmt::Write as _;
use std::hint::black_box;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::args::{parse_count, parse_size, ArgError, Args};
use crate::codecs::{Codec, Lib, Plan};
use crate::corpus::{self, Inputs};
use crate::{bench_usage, parse_flush, streams, Failure};

/// The options of `slz bench`.
pub struct BenchOpts {
    pub chunk: Option<usize>,
    pub sync: bool,
    pub runs: usize,
    pub json: bool,
    pub streams: Option<usize>,
    pub rounds: Option<usize>,
    /// Internal: run one codec of the streams test in this process (`--child KEY`).
    pub child: Option<String>,
    /// `--codecs`: only these keys (`slz-1`, `zlib-rs-6`, ...).
    pub only: Option<Vec<String>>,
    pub paths: Vec<PathBuf>,
}

/// Each timed run repeats the compression of a small file until it has lasted this long, so
/// the timer's resolution and the loop overhead do not matter.
const MIN_RUN: Duration = Duration::from_millis(5);

fn usage(e: ArgError) -> Failure {
    Failure::Usage(e.0, bench_usage())
}

fn parse(argv: &[String]) -> Result<BenchOpts, Failure> {
    let mut o = BenchOpts {
        chunk: None,
        sync: false,
        runs: 5,
        json: false,
        streams: None,
        rounds: None,
        child: None,
        only: None,
        paths: Vec::new(),
    };
    let mut args = Args::new(argv);
    let mut flush_given = false;
    while let Some(arg) = args.next_arg().map_err(usage)? {
        match arg.as_str() {
            "-h" | "--help" => return Err(Failure::Help(bench_usage().to_string())),
            "--chunk" => {
                o.chunk = Some(parse_size(&arg, &args.value(&arg).map_err(usage)?).map_err(usage)?)
            }
            "--flush" => {
                flush_given = true;
                o.sync = parse_flush(&args.value(&arg).map_err(usage)?).map_err(usage)?
                    == slz::Flush::Sync;
            }
            "--runs" => {
                o.runs = parse_count(&arg, &args.value(&arg).map_err(usage)?).map_err(usage)?
            }
            "--json" => o.json = true,
            "--streams" => {
                o.streams =
                    Some(parse_count(&arg, &args.value(&arg).map_err(usage)?).map_err(usage)?)
            }
            "--rounds" => {
                o.rounds =
                    Some(parse_count(&arg, &args.value(&arg).map_err(usage)?).map_err(usage)?)
            }
            "--child" => o.child = Some(args.value(&arg).map_err(usage)?),
            "--codecs" => {
                let list: Vec<String> = args
                    .value(&arg)
                    .map_err(usage)?
                    .split(',')
                    .map(|k| k.trim().to_string())
                    .collect();
                let known: Vec<String> = Codec::all().iter().map(Codec::key).collect();
                if let Some(bad) = list.iter().find(|k| !known.contains(k)) {
                    return Err(usage(ArgError(format!(
                        "unknown codec '{bad}'; the codecs are {}",
                        known.join(",")
                    ))));
                }
                o.only = Some(list);
            }
            _ if arg.starts_with('-') && arg != "-" && !args.after_double_dash() => {
                return Err(usage(ArgError(format!("unknown option '{arg}'"))))
            }
            _ => o.paths.push(PathBuf::from(arg)),
        }
    }
    if o.streams.is_none() {
        if o.sync && o.chunk.is_none() {
            return Err(usage(ArgError("--flush sync needs --chunk BYTES".into())));
        }
        if o.rounds.is_some() {
            return Err(usage(ArgError("--rounds goes with --streams".into())));
        }
    } else if flush_given && !o.sync {
        return Err(usage(ArgError(
            "--streams always sync-flushes each piece".into(),
        )));
    }
    Ok(o)
}

pub fn main(argv: &[String]) -> Result<(), Failure> {
    let o = parse(argv)?;
    if o.streams.is_some() {
        return streams::main(&o);
    }
    let inputs = corpus::load(&o.paths)?;
    let plan = Plan {
        chunk: o.chunk,
        sync: o.sync,
    };
    let codecs: Vec<Codec> = Codec::all()
        .into_iter()
        .filter(|c| plan.chunk.is_none() || c.streaming())
        .filter(|c| o.only.as_ref().is_none_or_contains(&c.key()))
        .collect();
    if codecs.is_empty() {
        return Err(usage(ArgError(
            "no codec left to run (libdeflate has no streaming mode)".into(),
        )));
    }
    let results = measure(&inputs, &codecs, &plan, o.runs)?;
    let report = Report {
        inputs: &inputs,
        codecs: &codecs,
        plan,
        runs: o.runs,
        results,
    };
    let text = if o.json {
        report.json()
    } else {
        report.table()
    };
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::write("standard output", e))
}

/// `None` means "everything".
pub trait AllOrSome {
    fn is_none_or_contains(&self, key: &str) -> bool;
}

impl AllOrSome for Option<&Vec<String>> {
    fn is_none_or_contains(&self, key: &str) -> bool {
        self.map_or(true, |v| v.iter().any(|k| k == key))
    }
}

/// One file compressed by one codec.
#[derive(Clone, Copy)]
struct Sample {
    out_bytes: u64,
    /// Median time of one compression.
    secs: f64,
}

/// `results[file][codec]`.
type Results = Vec<Vec<Sample>>;

fn measure(
    inputs: &Inputs,
    codecs: &[Codec],
    plan: &Plan,
    runs: usize,
) -> Result<Results, Failure> {
    let max_len = inputs.files.iter().map(|f| f.data.len()).max().unwrap_or(0);
    let mut out = vec![0u8; plan.out_bound(max_len)];
    let total: usize = inputs.files.iter().map(|f| f.data.len()).sum();
    let mut done = 0usize;
    let mut results = Vec::with_capacity(inputs.files.len());
    let started = Instant::now();
    let progress = io::stderr().is_terminal();
    for file in &inputs.files {
        let data = &file.data[..];
        if progress {
            eprint!(
                "\r[{:3.0}% {:4.0}s] {:<50}",
                100.0 * done as f64 / total.max(1) as f64,
                started.elapsed().as_secs_f64(),
                truncate(&file.name, 50)
            );
        }
        let mut row = Vec::with_capacity(codecs.len());
        for codec in codecs {
            let fail =
                |e: String| Failure::Message(format!("{} on {}: {e}", codec.label(), file.name));
            // Warm-up run; its output is the one checked by decompression.
            let t = Instant::now();
            let n = codec.compress(data, plan, &mut out).map_err(fail)?;
            let warm = t.elapsed();
            codec
                .checker()
                .check(&out[..n], data)
                .map_err(|e| fail(format!("output does not decode: {e}")))?;
            let iters = (MIN_RUN.as_secs_f64() / warm.as_secs_f64().max(1e-9))
                .ceil()
                .clamp(1.0, 100_000.0) as u32;
            let mut times = Vec::with_capacity(runs);
            for _ in 0..runs {
                let t = Instant::now();
                for _ in 0..iters {
                    let m = codec
                        .compress(black_box(data), plan, &mut out)
                        .map_err(fail)?;
                    if m != n {
                        return Err(fail(format!(
                            "output size changed between runs ({n} then {m})"
                        )));
                    }
                    black_box(&out[..m]);
                }
                times.push(t.elapsed().as_secs_f64() / f64::from(iters));
            }
            times.sort_by(f64::total_cmp);
            row.push(Sample {
                out_bytes: n as u64,
                secs: times[times.len() / 2],
            });
        }
        done += data.len();
        results.push(row);
    }
    if progress {
        eprint!("\r{:<70}\r", "");
    }
    Ok(results)
}

fn truncate(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

struct Report<'a> {
    inputs: &'a Inputs,
    codecs: &'a [Codec],
    plan: Plan,
    runs: usize,
    results: Results,
}

/// The sums for one group of files (or all of them) and one codec.
#[derive(Clone, Copy, Default)]
struct Sum {
    in_bytes: u64,
    out_bytes: u64,
    secs: f64,
}

impl Sum {
    fn mb_per_s(&self) -> f64 {
        self.in_bytes as f64 / self.secs.max(1e-12) / 1e6
    }
    fn ratio(&self) -> f64 {
        self.in_bytes as f64 / self.out_bytes.max(1) as f64
    }
}

struct Group {
    name: String,
    files: usize,
    bytes: u64,
    /// Per codec.
    sums: Vec<Sum>,
}

impl Report<'_> {
    /// The groups in order of first appearance, then "total".
    fn groups(&self) -> Vec<Group> {
        let mut groups: Vec<Group> = Vec::new();
        let mut total = Group {
            name: "total".into(),
            files: 0,
            bytes: 0,
            sums: vec![Sum::default(); self.codecs.len()],
        };
        for (file, row) in self.inputs.files.iter().zip(&self.results) {
            let g = match groups.iter().position(|g| g.name == file.group) {
                Some(i) => i,
                None => {
                    groups.push(Group {
                        name: file.group.clone(),
                        files: 0,
                        bytes: 0,
                        sums: vec![Sum::default(); self.codecs.len()],
                    });
                    groups.len() - 1
                }
            };
            for g in [&mut groups[g], &mut total] {
                g.files += 1;
                g.bytes += file.data.len() as u64;
                for (sum, s) in g.sums.iter_mut().zip(row) {
                    sum.in_bytes += file.data.len() as u64;
                    sum.out_bytes += s.out_bytes;
                    sum.secs += s.secs;
                }
            }
        }
        groups.push(total);
        groups
    }

    fn slz1(&self) -> Option<usize> {
        self.codecs
            .iter()
            .position(|c| c.lib == Lib::Slz && c.level == 1)
    }

    fn checks(&self) -> String {
        let mut by: Vec<(&'static str, Vec<String>)> = Vec::new();
        for c in self.codecs {
            let name = c.checker().name();
            let lib = c.label().split(" -").next().unwrap_or_default().to_string();
            match by.iter_mut().find(|(n, _)| *n == name) {
                Some((_, libs)) if !libs.contains(&lib) => libs.push(lib),
                Some(_) => {}
                None => by.push((name, vec![lib])),
            }
        }
        by.iter()
            .map(|(n, libs)| format!("{} by {n}", libs.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "slz bench: {}", self.inputs.source);
        let _ = writeln!(
            s,
            "plan: {}; gzip; median of {} timed runs after 1 warm-up; MB/s = 10^6 input bytes per second",
            self.plan.describe(),
            self.runs
        );
        if self.plan.chunk.is_some() {
            let _ = writeln!(s, "(libdeflate left out: it has no streaming API)");
        }
        let _ = writeln!(s, "machine: {}; {}", machine(), utc_now());
        let _ = writeln!(s, "every output decoded and compared: {}", self.checks());
        let _ = writeln!(s, "speeds vary between runs and machines: compare the codecs' ratios to slz -1 in one run");
        let _ = writeln!(s);
        let width = self
            .codecs
            .iter()
            .map(|c| c.label().len())
            .max()
            .unwrap_or(10)
            .max(5);
        let _ = writeln!(
            s,
            "{:<12} {:>5} {:>10}  {:<width$} {:>9} {:>7} {:>9}",
            "group", "files", "MB", "codec", "MB/s", "ratio", "vs slz -1"
        );
        let slz1 = self.slz1();
        for g in self.groups() {
            let base = slz1.map(|i| g.sums[i].mb_per_s());
            for (i, (codec, sum)) in self.codecs.iter().zip(&g.sums).enumerate() {
                let (name, files, mb) = if i == 0 {
                    (
                        g.name.clone(),
                        g.files.to_string(),
                        format!("{:.2}", g.bytes as f64 / 1e6),
                    )
                } else {
                    (String::new(), String::new(), String::new())
                };
                let rel = base
                    .map(|b| format!("{:.2}x", sum.mb_per_s() / b))
                    .unwrap_or_default();
                let _ = writeln!(
                    s,
                    "{:<12} {:>5} {:>10}  {:<width$} {:>9.1} {:>7.3} {:>9}",
                    name,
                    files,
                    mb,
                    codec.label(),
                    sum.mb_per_s(),
                    sum.ratio(),
                    rel
                );
            }
            let _ = writeln!(s);
        }
        s
    }

    fn json(&self) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            "{{\"source\":{},\"plan\":{{\"chunk\":{},\"flush\":\"{}\"}},\"format\":\"gzip\",\"runs\":{},\"machine\":{},\"date\":{},\"mb\":1000000,",
            json_str(&self.inputs.source),
            self.plan.chunk.map_or("null".to_string(), |n| n.to_string()),
            if self.plan.sync { "sync" } else { "none" },
            self.runs,
            json_str(&machine()),
            json_str(&utc_now()),
        );
        let codecs: Vec<String> = self
            .codecs
            .iter()
            .map(|c| {
                format!(
                    "{{\"key\":{},\"label\":{},\"level\":{},\"checked_by\":{}}}",
                    json_str(&c.key()),
                    json_str(&c.label()),
                    c.level,
                    json_str(c.checker().name())
                )
            })
            .collect();
        let _ = write!(s, "\"codecs\":[{}],", codecs.join(","));
        let slz1 = self.slz1();
        let groups: Vec<String> = self
            .groups()
            .iter()
            .map(|g| {
                let base = slz1.map(|i| g.sums[i].mb_per_s());
                let rows: Vec<String> = self
                    .codecs
                    .iter()
                    .zip(&g.sums)
                    .map(|(c, sum)| {
                        format!(
                            "{{\"codec\":{},\"in_bytes\":{},\"out_bytes\":{},\"seconds\":{:.6},\"mb_per_s\":{:.2},\"ratio\":{:.4},\"speed_vs_slz1\":{}}}",
                            json_str(&c.key()),
                            sum.in_bytes,
                            sum.out_bytes,
                            sum.secs,
                            sum.mb_per_s(),
                            sum.ratio(),
                            base.map_or("null".to_string(), |b| format!("{:.4}", sum.mb_per_s() / b))
                        )
                    })
                    .collect();
                format!(
                    "{{\"group\":{},\"files\":{},\"bytes\":{},\"results\":[{}]}}",
                    json_str(&g.name),
                    g.files,
                    g.bytes,
                    rows.join(",")
                )
            })
            .collect();
        let _ = write!(s, "\"groups\":[{}],", groups.join(","));
        let files: Vec<String> = self
            .inputs
            .files
            .iter()
            .zip(&self.results)
            .map(|(f, row)| {
                let rows: Vec<String> = self
                    .codecs
                    .iter()
                    .zip(row)
                    .map(|(c, r)| {
                        format!(
                            "{{\"codec\":{},\"out_bytes\":{},\"seconds\":{:.9}}}",
                            json_str(&c.key()),
                            r.out_bytes,
                            r.secs
                        )
                    })
                    .collect();
                format!(
                    "{{\"name\":{},\"group\":{},\"bytes\":{},\"results\":[{}]}}",
                    json_str(&f.name),
                    json_str(&f.group),
                    f.data.len(),
                    rows.join(",")
                )
            })
            .collect();
        let _ = writeln!(s, "\"files\":[{}]}}", files.join(","));
        s
    }
}

/// A JSON string literal.
pub fn json_str(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for c in v.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(s, "\\u{:04x}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// "16 KiB", "100 B", "1 MiB".
pub fn human_size(n: usize) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n % (1 << 10) == 0 {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} B")
    }
}

/// The CPU model and core count, from /proc/cpuinfo where there is one.
pub fn machine() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{model}, {cores} cores, {}", std::env::consts::ARCH)
}

/// The current date and time in UTC, `2026-11-24 07:46 UTC`.
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rest / 3600,
        rest / 60 % 60
    )
}

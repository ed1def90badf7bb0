//! `slz bench`: in-memory compression speed and ratio of slz against zlib and friends.

use std::fmt::Write as _;
use std::hint::black_box;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::args::{parse_count, parse_size, ArgError, Args};
use crate::codecs::{self, Codec, Lib, Plan};
use crate::corpus::{self, Inputs};
use crate::plot;
use crate::{bench_usage, parse_flush, streams, Failure};

/// The options of `slz bench`.
pub struct BenchOpts {
    /// The piece size of `--streams` (the first number given to `--chunk`).
    pub chunk: Option<usize>,
    /// The plans of `--chunk` (`whole,16K,1K`): `None` is whole files.
    pub modes: Vec<Option<usize>>,
    /// `--levels`: the slz levels to run.
    pub levels: Vec<u32>,
    /// `--plot FILE.svg`.
    pub plot: Option<PathBuf>,
    /// `--data web|DIR`.
    pub data: Option<String>,
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
        modes: vec![None],
        levels: DEFAULT_LEVELS.to_vec(),
        plot: None,
        data: None,
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
                let v = args.value(&arg).map_err(usage)?;
                o.modes = parse_modes(&arg, &v).map_err(usage)?;
                o.chunk = o.modes.iter().flatten().next().copied();
                if o.chunk.is_none() && o.modes.len() > 1 {
                    return Err(usage(ArgError(format!("--chunk {v}: 'whole' given twice"))));
                }
            }
            "--levels" => {
                o.levels = parse_levels(&args.value(&arg).map_err(usage)?).map_err(usage)?
            }
            "--plot" => o.plot = Some(PathBuf::from(args.value(&arg).map_err(usage)?)),
            "--data" => o.data = Some(args.value(&arg).map_err(usage)?),
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
                let known: Vec<String> = Codec::all(&ALL_LEVELS).iter().map(Codec::key).collect();
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
    if o.data.is_some() && !o.paths.is_empty() {
        return Err(usage(ArgError("give --data or paths, not both".into())));
    }
    if o.streams.is_none() {
        if o.sync && o.chunk.is_none() {
            return Err(usage(ArgError("--flush sync needs --chunk BYTES".into())));
        }
        if o.rounds.is_some() {
            return Err(usage(ArgError("--rounds goes with --streams".into())));
        }
    } else {
        if flush_given && !o.sync {
            return Err(usage(ArgError(
                "--streams always sync-flushes each piece".into(),
            )));
        }
        if o.modes.len() > 1 || o.plot.is_some() || o.data.is_some() || o.levels != DEFAULT_LEVELS {
            return Err(usage(ArgError(
                "--streams takes one --chunk size, paths rather than --data, and no --plot or --levels"
                    .into(),
            )));
        }
    }
    Ok(o)
}

/// slz levels run by default.
pub const DEFAULT_LEVELS: [u32; 5] = [0, 1, 2, 6, 9];
const ALL_LEVELS: [u32; 10] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/// `--levels`: `0-9`, `1,2,6`, `0,3-5`; each level 0-9, in the order given, without repeats.
pub fn parse_levels(v: &str) -> Result<Vec<u32>, ArgError> {
    let bad = || {
        ArgError(format!(
            "--levels takes levels 0-9 like '0-9' or '1,2,6', not '{v}'"
        ))
    };
    let level = |t: &str| -> Result<u32, ArgError> {
        let n: u32 = t.trim().parse().map_err(|_| bad())?;
        slz::Level::new(n).map_err(|_| bad())?;
        Ok(n)
    };
    let mut out = Vec::new();
    for part in v.split(',') {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (level(a)?, level(b)?),
            None => (level(part)?, level(part)?),
        };
        if a > b {
            return Err(bad());
        }
        for n in a..=b {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    Ok(out)
}

/// `--chunk`: sizes and `whole`, comma-separated (`whole,16K,1K`), each run in turn.
pub fn parse_modes(opt: &str, v: &str) -> Result<Vec<Option<usize>>, ArgError> {
    let mut out = Vec::new();
    for part in v.split(',') {
        let m = match part.trim() {
            "whole" => None,
            t => Some(parse_size(opt, t)?),
        };
        if !out.contains(&m) {
            out.push(m);
        }
    }
    Ok(out)
}

pub fn main(argv: &[String]) -> Result<(), Failure> {
    let o = parse(argv)?;
    if o.streams.is_some() {
        return streams::main(&o);
    }
    let inputs = match &o.data {
        Some(d) => corpus::load_data(d)?,
        None => corpus::load(&o.paths)?,
    };
    // With --codecs, slz levels named there run even if --levels leaves them out.
    let mut levels = o.levels.clone();
    for &n in &ALL_LEVELS {
        let named = o
            .only
            .as_ref()
            .is_some_and(|v| v.contains(&format!("slz-{n}")));
        if named && !levels.contains(&n) {
            levels.push(n);
        }
    }
    let all: Vec<Codec> = Codec::all(&levels)
        .into_iter()
        .filter(|c| o.only.as_ref().is_none_or_contains(&c.key()))
        .collect();
    let memory: Vec<Option<usize>> = all.iter().map(Codec::stream_memory).collect();
    let mut reports = Vec::new();
    for &chunk in &o.modes {
        let plan = Plan {
            chunk,
            sync: o.sync && chunk.is_some(),
        };
        let (codecs, memory): (Vec<Codec>, Vec<Option<usize>>) = all
            .iter()
            .zip(&memory)
            .filter(|(c, _)| c.runs_with(&plan))
            .map(|(c, m)| (*c, *m))
            .unzip();
        if codecs.is_empty() {
            return Err(usage(ArgError(format!(
                "no codec left to run for {}",
                plan.describe()
            ))));
        }
        let results = measure(&inputs, &codecs, &plan, o.runs)?;
        reports.push(Report {
            inputs: &inputs,
            codecs,
            memory,
            plan,
            runs: o.runs,
            results,
        });
    }
    if let Some(path) = &o.plot {
        let panels: Vec<plot::Panel> = reports.iter().map(Report::panel).collect();
        plot::draw(path, &inputs.source, &panels)
            .map_err(|e| Failure::Message(format!("{}: {e}", path.display())))?;
    }
    let text = if o.json {
        let docs: Vec<String> = reports.iter().map(Report::json).collect();
        if docs.len() == 1 {
            docs.concat()
        } else {
            format!(
                "[{}]\n",
                docs.iter()
                    .map(|d| d.trim_end())
                    .collect::<Vec<_>>()
                    .join(",\n")
            )
        }
    } else {
        reports
            .iter()
            .map(Report::table)
            .collect::<Vec<_>>()
            .join("\n")
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
    let terminal = io::stderr().is_terminal();
    for file in &inputs.files {
        let data = &file.data[..];
        let status = |codec: &str| {
            format!(
                "[{} {:3.0}% {:4.0}s] {} {}",
                plan.short(),
                100.0 * done as f64 / total.max(1) as f64,
                started.elapsed().as_secs_f64(),
                truncate(&file.name, 40),
                codec
            )
        };
        if !terminal {
            // One line per file: a log, not a redrawn line.
            eprintln!("{}", status(""));
        }
        let mut row = Vec::with_capacity(codecs.len());
        for codec in codecs {
            if terminal {
                eprint!("\r{:<100}", truncate(&status(&codec.label()), 100));
            }
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
    if terminal {
        eprint!("\r{:<100}\r", "");
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
    codecs: Vec<Codec>,
    /// Bytes per open stream, per codec, where known.
    memory: Vec<Option<usize>>,
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
        for c in &self.codecs {
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
            let _ = writeln!(
                s,
                "libdeflate has no streaming API: its rows here compress each piece on its own \
                 (+5 bytes per sync flush, +18 gzip framing), a ceiling for encoders without \
                 history, not a stream"
            );
        }
        let _ = writeln!(s, "libraries: {}", libraries());
        for m in codecs::missing_libs() {
            let _ = writeln!(s, "NOT BUILT: {m}");
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
            "{:<12} {:>5} {:>10}  {:<width$} {:>9} {:>7} {:>9} {:>10}",
            "group", "files", "MB", "codec", "MB/s", "ratio", "vs slz -1", "mem/stream"
        );
        let slz1 = self.slz1();
        for g in self.groups() {
            let base = slz1.map(|i| g.sums[i].mb_per_s());
            for (i, ((codec, sum), mem)) in self
                .codecs
                .iter()
                .zip(&g.sums)
                .zip(&self.memory)
                .enumerate()
            {
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
                let mem = mem.map_or("-".to_string(), human_bytes);
                let _ = writeln!(
                    s,
                    "{:<12} {:>5} {:>10}  {:<width$} {:>9.1} {:>7.3} {:>9} {:>10}",
                    name,
                    files,
                    mb,
                    codec.label(),
                    sum.mb_per_s(),
                    sum.ratio(),
                    rel,
                    mem
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
            "{{\"source\":{},\"plan\":{{\"chunk\":{},\"flush\":\"{}\"}},\"format\":\"gzip\",\"runs\":{},\"libraries\":{},\"not_built\":[{}],\"machine\":{},\"date\":{},\"mb\":1000000,",
            json_str(&self.inputs.source),
            self.plan.chunk.map_or("null".to_string(), |n| n.to_string()),
            if self.plan.sync { "sync" } else { "none" },
            self.runs,
            json_str(&libraries()),
            codecs::missing_libs().iter().map(|m| json_str(m)).collect::<Vec<_>>().join(","),
            json_str(&machine()),
            json_str(&utc_now()),
        );
        let codecs: Vec<String> = self
            .codecs
            .iter()
            .zip(&self.memory)
            .map(|(c, m)| {
                format!(
                    "{{\"key\":{},\"label\":{},\"level\":{},\"checked_by\":{},\"stream_bytes\":{}}}",
                    json_str(&c.key()),
                    json_str(&c.label()),
                    c.level,
                    json_str(c.checker().name()),
                    m.map_or("null".to_string(), |m| m.to_string())
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

impl Report<'_> {
    /// The chart panel of this run: each codec's total speed and ratio.
    fn panel(&self) -> plot::Panel {
        let total = self.groups().pop().map(|g| g.sums).unwrap_or_default();
        plot::Panel {
            title: self.plan.describe(),
            points: self
                .codecs
                .iter()
                .zip(&total)
                .zip(&self.memory)
                .map(|((c, sum), mem)| plot::Point {
                    lib: c.lib,
                    level: c.level,
                    label: c.label(),
                    mb_per_s: sum.mb_per_s(),
                    ratio: sum.ratio(),
                    memory: *mem,
                })
                .collect(),
        }
    }
}

/// The libraries compared, with versions and the features they were built with.
pub fn libraries() -> String {
    let mut v = vec![format!("slz {} (this crate)", env!("CARGO_PKG_VERSION"))];
    v.push(format!(
        "{} [features zlib-rs, runtime_detection -> zlib-rs std: CPU detected: {}]",
        dep_versions(&["flate2", "zlib-rs"]),
        cpu_features()
    ));
    v.push(dep_versions(&["miniz_oxide"]));
    v.push(format!(
        "C zlib {} ({}, bundled source)",
        codecs::zlib_version(),
        dep_versions(&["libz-sys"])
    ));
    if codecs::lib_built(Lib::ZlibNg) {
        v.push(format!(
            "zlib-ng {} ({}, bundled source, native API)",
            codecs::zlib_ng_version(),
            dep_versions(&["libz-ng-sys"])
        ));
    }
    if codecs::lib_built(Lib::Isal) {
        v.push(format!(
            "ISA-L {} (system libisal via pkg-config)",
            codecs::isal_version()
        ));
    }
    if codecs::lib_built(Lib::Libslz) {
        v.push(format!(
            "libslz (C, src/slz.c of HAProxy {}'s source tarball, -O2 -fwrapv as HAProxy builds it)",
            codecs::libslz_version()
        ));
    }
    v.push(format!(
        "libdeflate ({}, bundled source)",
        dep_versions(&["libdeflater", "libdeflate-sys"])
    ));
    v.join("; ")
}

/// `name version` of crates in the build, from Cargo.lock (read by build.rs).
fn dep_versions(names: &[&str]) -> String {
    let all = env!("SLZ_DEP_VERSIONS");
    names
        .iter()
        .map(|n| {
            all.split(',')
                .find(|e| e.split(' ').next() == Some(n))
                .map_or_else(|| n.to_string(), str::to_string)
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The SIMD features zlib-rs and the checksums look for, as detected on this CPU.
fn cpu_features() -> String {
    #[cfg(target_arch = "x86_64")]
    {
        let mut v = Vec::new();
        if std::is_x86_feature_detected!("avx2") {
            v.push("avx2");
        }
        if std::is_x86_feature_detected!("bmi2") {
            v.push("bmi2");
        }
        if std::is_x86_feature_detected!("sse4.2") {
            v.push("sse4.2");
        }
        if std::is_x86_feature_detected!("pclmulqdq") {
            v.push("pclmulqdq");
        }
        if std::is_x86_feature_detected!("avx512f") {
            v.push("avx512f");
        }
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(" ")
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    std::env::consts::ARCH.to_string()
}

/// "40 B", "82.3 kB", "1.2 MB".
pub fn human_bytes(n: usize) -> String {
    if n < 1000 {
        format!("{n} B")
    } else if n < 1_000_000 {
        format!("{:.1} kB", n as f64 / 1e3)
    } else {
        format!("{:.2} MB", n as f64 / 1e6)
    }
}

/// A JSON string literal (serde_json's escaping).
pub fn json_str(v: &str) -> String {
    // Serializing a `str` cannot fail.
    serde_json::to_string(v).unwrap_or_else(|_| String::from("null"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_escape_and_read_back() {
        for v in [
            "plain",
            "q\"uote",
            "back\\slash",
            "line\nbreak\ttab",
            "\u{1}ctl",
            "µs ∞",
        ] {
            let lit = json_str(v);
            assert!(lit.starts_with('"') && lit.ends_with('"'), "{lit}");
            assert!(!lit[1..lit.len() - 1].contains(|c: char| c < ' '), "{lit}");
            assert_eq!(serde_json::from_str::<String>(&lit).unwrap(), v);
        }
        assert_eq!(json_str("a\"b"), "\"a\\\"b\"");
    }

    #[test]
    fn levels() {
        assert_eq!(parse_levels("0-9").unwrap(), ALL_LEVELS.to_vec());
        assert_eq!(parse_levels("1,2,6").unwrap(), vec![1, 2, 6]);
        assert_eq!(parse_levels("6,0-2,1").unwrap(), vec![6, 0, 1, 2]);
        for bad in ["", "10", "3-1", "1,,2", "a", "-1", "0-10"] {
            assert!(parse_levels(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn modes() {
        assert_eq!(
            parse_modes("--chunk", "whole,16K,1K,16384").unwrap(),
            vec![None, Some(16384), Some(1024)]
        );
        assert_eq!(parse_modes("--chunk", "100").unwrap(), vec![Some(100)]);
        assert!(parse_modes("--chunk", "whole,0").is_err());
        assert!(parse_modes("--chunk", "entire").is_err());
    }
}

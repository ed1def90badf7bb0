//! `slz`: compress a file or standard input with the slz encoder, or benchmark slz against
//! zlib and friends (`slz bench`).

mod alloc_count;
mod args;
mod bench;
mod codecs;
mod corpus;
mod plot;
mod sample;
mod streams;

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use slz::{Encoder, Flush, Format, Level};

use crate::args::{parse_size, ArgError, Args};

#[global_allocator]
static ALLOC: alloc_count::Counting = alloc_count::Counting;

/// Default piece size when compressing: the encoder keeps no history between calls, so a piece
/// is also the longest stretch a match can reach back into. 64 KiB gives nearly all of the ratio
/// of one whole-file call while keeping memory constant for any input size.
pub const DEFAULT_CHUNK: usize = 256 * 1024;

const USAGE: &str = "\
Usage: slz [-0 ... -9] [--format gzip|zlib|deflate] [--chunk BYTES] [--flush none|sync]
           [-o OUT] [FILE | -]
       slz bench [--chunk BYTES] [--flush none|sync] [--runs N] [--codecs LIST] [--json] [PATH ...]
       slz bench --streams N [--chunk BYTES] [--rounds R] [--json] [PATH ...]

Compresses FILE (or standard input when FILE is '-' or absent) to standard output, or to OUT.

Options:
  -0 ... -9          compression level (default 1; 0 = stored; 2-9 run as the best level
                     implemented so far, today level 1)
  --format F         gzip (default), zlib (HTTP 'Content-Encoding: deflate') or deflate (raw)
  --chunk BYTES      feed the encoder pieces of this size (default 256K; K/M suffixes allowed).
                     slz keeps no history between pieces: smaller pieces compress less.
  --flush none|sync  'sync' makes all input so far decodable after each piece, as a proxy
                     does per buffer (default none)
  -o, --output OUT   write to OUT instead of standard output
  -h, --help         this help
  -V, --version      print the version

'slz bench --help' describes the benchmark.
";

const BENCH_USAGE: &str = "\
Usage: slz bench [--chunk LIST] [--flush none|sync] [--levels LIST] [--runs N] [--codecs LIST]
                 [--plot FILE.svg] [--json] [--data web|DIR | PATH ...]
       slz bench --streams N [--chunk BYTES] [--rounds R] [--json] [PATH ...]

Compresses every file in memory (directories are walked recursively; README.md files are
skipped) with slz at the levels asked for and with miniz_oxide, zlib-rs, C zlib and zlib-ng at
levels 1 and 6, ISA-L igzip at 0-3 and libdeflate at 1 and 6. Every output is checked by
decompressing it with another library. Prints MB/s of input (median of the timed runs after one
warm-up run), ratio (input / output), speed relative to slz level 1 measured in the same run and
memory per open stream, per group of files (the parent directory's name) and in total.

With no PATH: $SLZ_CORPUS, else ../shared/corpus (its groups except 'artificial'), else a
generated sample of web-like data (HTML, JSON, logs). The first line says which.

Options:
  --chunk LIST       feed streaming codecs pieces of this size (default: whole files in one
                     call); several plans run in turn: 'whole,16K,1K'. In piece plans libdeflate
                     (no streaming API) compresses each piece on its own: a ceiling, not a stream
  --flush none|sync  with --chunk: flush after each piece (default none)
  --levels LIST      slz levels, e.g. 0-9 or 1,2,6 (default 0,1,2,6,9)
  --runs N           timed runs per file and codec, median reported (default 5)
  --codecs LIST      only these rows, e.g. slz-1,zlib-rs-1,igzip-1 (keys of --json)
  --data web|DIR     'web': the web validation corpus in target/web-corpus (made by
                     tools/web_corpus.py if missing); DIR: groups are DIR's subdirectories
  --plot FILE.svg    chart of speed (log) against ratio, one panel per --chunk plan
  --json             one JSON document on standard output instead of the table (an array of
                     them with several plans)
  --streams N        the many-streams test: N streams open at once, each fed --chunk pieces
                     (default 16384) round-robin with a sync flush after each; reports MB/s and
                     peak resident memory per stream, each codec in its own child process
  --rounds R         with --streams: pieces per stream (default: at least 4, and enough for
                     256 MiB of input in all)
";

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let result = if argv.first().map(String::as_str) == Some("bench") {
        bench::main(&argv[1..])
    } else {
        compress_main(&argv)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg, usage)) => {
            eprintln!("slz: {msg}");
            eprint!("{usage}");
            ExitCode::from(2)
        }
        Err(Failure::Message(msg)) => {
            eprintln!("slz: {msg}");
            ExitCode::FAILURE
        }
        // Standard output was closed by the reader (`slz big | head`): stop quietly.
        Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Help(text)) => {
            // A closed stdout while printing help is not worth a message either.
            let _ = io::stdout().write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
    }
}

/// Why a command stopped early.
#[derive(Debug)]
pub enum Failure {
    /// Bad command line: message, then the usage text, exit status 2.
    Usage(String, &'static str),
    /// Any other error: message, exit status 1.
    Message(String),
    /// Standard output is closed.
    BrokenPipe,
    /// `--help` / `--version`: print this and succeed.
    Help(String),
}

impl Failure {
    /// An output error: broken pipe is quiet, anything else names what was being written.
    pub fn write(what: &str, e: io::Error) -> Failure {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Message(format!("{what}: {}", io_msg(&e)))
        }
    }
}

impl From<ArgError> for Failure {
    fn from(e: ArgError) -> Failure {
        Failure::Usage(e.0, USAGE)
    }
}

/// The options of the compress command.
struct CompressOpts {
    level: Level,
    format: Format,
    chunk: usize,
    flush: Flush,
    output: Option<PathBuf>,
    input: Option<PathBuf>,
}

fn parse_compress(argv: &[String]) -> Result<CompressOpts, Failure> {
    let mut o = CompressOpts {
        level: Level::FAST,
        format: Format::Gzip,
        chunk: DEFAULT_CHUNK,
        flush: Flush::None,
        output: None,
        input: None,
    };
    let mut args = Args::new(argv);
    while let Some(arg) = args.next_arg()? {
        match arg.as_str() {
            "-h" | "--help" => return Err(Failure::Help(USAGE.to_string())),
            "-V" | "--version" => {
                return Err(Failure::Help(format!(
                    "slz {}\n",
                    env!("CARGO_PKG_VERSION")
                )))
            }
            "--format" => {
                o.format = match args.value(&arg)?.as_str() {
                    "gzip" | "gz" => Format::Gzip,
                    "zlib" => Format::Zlib,
                    "deflate" | "raw" => Format::Deflate,
                    v => return Err(ArgError(format!("unknown format '{v}'")).into()),
                }
            }
            "--chunk" => o.chunk = parse_size(&arg, &args.value(&arg)?)?,
            "--flush" => o.flush = parse_flush(&args.value(&arg)?)?,
            "-o" | "--output" => o.output = Some(PathBuf::from(args.value(&arg)?)),
            // gzip habits: '-c' (to stdout) is what slz does anyway.
            "-c" | "--stdout" => {}
            "-" => set_input(&mut o.input, "-")?,
            _ if arg.len() == 2 && arg.starts_with('-') && arg.as_bytes()[1].is_ascii_digit() => {
                let n = u32::from(arg.as_bytes()[1] - b'0');
                o.level = Level::new(n).map_err(|e| ArgError(e.to_string()))?;
            }
            _ if arg.starts_with('-') && !args.after_double_dash() => {
                return Err(ArgError(format!("unknown option '{arg}'")).into())
            }
            _ => set_input(&mut o.input, &arg)?,
        }
    }
    Ok(o)
}

fn set_input(slot: &mut Option<PathBuf>, arg: &str) -> Result<(), ArgError> {
    if slot.is_some() {
        return Err(ArgError("only one input file can be given".into()));
    }
    *slot = Some(PathBuf::from(arg));
    Ok(())
}

/// An I/O error as a message: "No such file or directory", without Rust's "(os error 2)".
pub fn io_msg(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// `none` or `sync`, as `--flush` takes it.
pub fn parse_flush(v: &str) -> Result<Flush, ArgError> {
    match v {
        "none" => Ok(Flush::None),
        "sync" => Ok(Flush::Sync),
        _ => Err(ArgError(format!(
            "--flush takes 'none' or 'sync', not '{v}'"
        ))),
    }
}

fn compress_main(argv: &[String]) -> Result<(), Failure> {
    let o = parse_compress(argv)?;
    let stdin_input = o.input.as_deref().map_or(true, |p| p.as_os_str() == "-");
    let input: Box<dyn Read> = if stdin_input {
        Box::new(io::stdin().lock())
    } else {
        let path = o.input.as_deref().unwrap_or_else(|| unreachable!());
        let shown = path.display();
        let meta = std::fs::metadata(path)
            .map_err(|e| Failure::Message(format!("{shown}: {}", io_msg(&e))))?;
        if meta.is_dir() {
            return Err(Failure::Message(format!("{shown}: is a directory")));
        }
        Box::new(
            File::open(path).map_err(|e| Failure::Message(format!("{shown}: {}", io_msg(&e))))?,
        )
    };
    let in_name = match &o.input {
        Some(p) if !stdin_input => p.display().to_string(),
        _ => "standard input".to_string(),
    };

    match &o.output {
        Some(path) => {
            let file = File::create(path)
                .map_err(|e| Failure::Message(format!("{}: {}", path.display(), io_msg(&e))))?;
            let out_name = path.display().to_string();
            let r = compress_stream(&o, input, &in_name, file, &out_name);
            if r.is_err() {
                // Leave no truncated stream behind that looks like a result.
                let _ = std::fs::remove_file(path);
            }
            r
        }
        None => {
            let stdout = io::stdout();
            if stdout.is_terminal() {
                return Err(Failure::Message(
                    "refusing to write compressed data to a terminal (use -o or a pipe)".into(),
                ));
            }
            compress_stream(&o, input, &in_name, stdout.lock(), "standard output")
        }
    }
}

/// Reads `input` piece by piece (constant memory), compresses each piece with one encoder call
/// and writes the output as it comes.
fn compress_stream(
    o: &CompressOpts,
    mut input: impl Read,
    in_name: &str,
    mut output: impl Write,
    out_name: &str,
) -> Result<(), Failure> {
    let chunk = o.chunk.max(1);
    let mut enc = Encoder::new(o.format, o.level);
    let mut buf = vec![0u8; chunk];
    let mut out = vec![0u8; enc.max_output_len(chunk)];
    loop {
        let n = read_full(&mut input, &mut buf)
            .map_err(|e| Failure::Message(format!("{in_name}: {}", io_msg(&e))))?;
        // A short piece means end of input: it finishes the stream in the same call.
        let last = n < chunk;
        let flush = if last { Flush::Finish } else { o.flush };
        let written = enc
            .compress(&buf[..n], &mut out, flush)
            .map_err(|e| Failure::Message(format!("compressing {in_name}: {e}")))?;
        output
            .write_all(&out[..written])
            .map_err(|e| Failure::write(out_name, e))?;
        if last {
            break;
        }
    }
    output.flush().map_err(|e| Failure::write(out_name, e))
}

/// Fills `buf` unless end of input comes first; returns the bytes read.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The usage text of `slz bench`, for its own argument errors.
pub const fn bench_usage() -> &'static str {
    BENCH_USAGE
}

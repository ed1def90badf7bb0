//! `slz`: compress a file or standard input with the slz encoder, or benchmark slz against
//! zlib and friends (`slz bench`).

mod alloc_count;
mod args;
mod bench;
mod codecs;
mod corpus;
mod gz;
mod plot;
mod sample;
mod streams;

use std::io::{self, Write};
use std::process::ExitCode;

use slz::Flush;

use crate::args::ArgError;

#[global_allocator]
static ALLOC: alloc_count::Counting = alloc_count::Counting;

/// Default piece size when compressing: the encoder keeps no history between calls, so a piece
/// is also the longest stretch a match can reach back into. 64 KiB gives nearly all of the ratio
/// of one whole-file call while keeping memory constant for any input size.
pub const DEFAULT_CHUNK: usize = 256 * 1024;

const USAGE: &str = "\
Usage: slz [-0 ... -9] [-cdtkfrvq] [-S SUF] [--format gzip|zlib|deflate] [--chunk BYTES]
           [--flush none|sync] [-o OUT] [FILE ... | -]
       slz bench [--chunk BYTES] [--flush none|sync] [--runs N] [--codecs LIST] [--json] [PATH ...]
       slz bench --streams N [--chunk BYTES] [--rounds R] [--json] [PATH ...]

Compresses each FILE into FILE.gz and removes FILE, as gzip does. With no FILE, or '-',
compresses standard input to standard output.

Options:
  -0 ... -9          compression level (default 1; 0 = stored); --fast = -1, --best = -9
  -c, --stdout       write to standard output, keep the input files
  -d, --decompress   decompress (FILE.gz gives FILE)
  -t, --test         check the compressed files, write nothing
  -k, --keep         keep the input files
  -f, --force        overwrite existing outputs, compress files that already have the suffix,
                     write compressed data to a terminal
  -r, --recursive    compress (or decompress) the files in directories
  -S, --suffix SUF   suffix of compressed files (default .gz; .zz for zlib, .deflate for raw)
  -v, --verbose      name and ratio of each file (on standard error)
  -q, --quiet        no warnings
  --format F         gzip (default), zlib (HTTP 'Content-Encoding: deflate') or deflate (raw);
                     with -d or -t, the format to decode
  --chunk BYTES      feed the encoder pieces of this size (default 256K; K/M suffixes allowed).
                     slz keeps no history between pieces: smaller pieces compress less.
  --flush none|sync  'sync' makes all input so far decodable after each piece, as a proxy
                     does per buffer (default none)
  -o, --output OUT   write the one input's result to OUT (the input is kept)
  -h, --help         this help
  -V, --version      print the version

Exit status: 0 ok, 1 error, 2 warning (as gzip).

'slz bench --help' describes the benchmark.
";

const BENCH_USAGE: &str = "\
Usage: slz bench [--chunk LIST] [--flush none|sync] [--levels LIST] [--runs N] [--codecs LIST]
                 [--plot FILE.svg] [--json] [--data web|DIR | PATH ...]
       slz bench --streams N [--chunk BYTES] [--rounds R] [--json] [PATH ...]

Compresses every file in memory (directories are walked recursively; README.md files are
skipped) with slz at the levels asked for and with miniz_oxide, zlib-rs, C zlib and zlib-ng at
levels 1 and 6 (C zlib also at 9), ISA-L igzip at 0-3, libslz (HAProxy's C original) at 0 and 1 and libdeflate
at 1 and 6. Every output is checked by
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
    let is_bench = argv.first().map(String::as_str) == Some("bench");
    let result = if is_bench {
        bench::main(&argv[1..]).map(|()| gz::Outcome::Ok)
    } else {
        gz::main(&argv, USAGE)
    };
    match result {
        Ok(gz::Outcome::Ok) => ExitCode::SUCCESS,
        Ok(gz::Outcome::Error) => ExitCode::FAILURE,
        Ok(gz::Outcome::Warning) => ExitCode::from(2),
        Err(Failure::Usage(msg, usage)) => {
            eprintln!("slz: {msg}");
            eprint!("{usage}");
            // gzip exits 1 on a bad command line (2 means a warning); `slz bench` keeps its 2.
            ExitCode::from(if is_bench { 2 } else { 1 })
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

/// The usage text of `slz bench`, for its own argument errors.
pub const fn bench_usage() -> &'static str {
    BENCH_USAGE
}

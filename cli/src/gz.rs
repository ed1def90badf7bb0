//! The `slz` command as gzip and pigz users expect it: `slz FILE…` replaces each FILE with
//! FILE.gz, `-d` and `-t` decompress and test (through flate2), `-c` writes to standard output.
//!
//! Exit status as gzip's: 0 all went well, 1 an error (also a bad command line), 2 a warning
//! (an output that exists, a file that already has the suffix, a directory without `-r`, …).

use std::cell::Cell;
use std::ffi::OsString;
use std::fs::{self, File, Metadata};
use std::io::{self, BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use flate2::{Decompress, FlushDecompress, Status};
use slz::{Encoder, Flush, Format, Level};

use crate::args::{parse_size, ArgError};
use crate::{io_msg, parse_flush, Failure, DEFAULT_CHUNK};

/// What to do with each input.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Compress,
    Decompress,
    Test,
}

/// The options of the command.
struct Opts {
    mode: Mode,
    level: Level,
    format: Format,
    chunk: usize,
    flush: Flush,
    to_stdout: bool,
    keep: bool,
    force: bool,
    recursive: bool,
    /// `-S`; `None` = the format's own (`.gz`, `.zz`, `.deflate`).
    suffix: Option<String>,
    verbose: bool,
    quiet: bool,
    output: Option<PathBuf>,
    files: Vec<OsString>,
    /// Set by the decoder when data follows the end of the compressed stream (a warning).
    trailing: Cell<bool>,
}

impl Opts {
    fn suffix(&self) -> &str {
        match (&self.suffix, self.format) {
            (Some(s), _) => s,
            (None, Format::Zlib) => ".zz",
            (None, Format::Deflate) => ".deflate",
            (None, _) => ".gz",
        }
    }
}

/// gzip's exit statuses, accumulated over the inputs: an error wins over a warning.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
    Ok,
    Error,
    Warning,
}

struct Run {
    o: Opts,
    status: Outcome,
}

impl Run {
    fn error(&mut self, msg: impl std::fmt::Display) {
        eprintln!("slz: {msg}");
        self.status = Outcome::Error;
    }

    /// A warning: printed unless `-q`, exit status 2 unless an error happened.
    fn warn(&mut self, msg: impl std::fmt::Display) {
        if !self.o.quiet {
            eprintln!("slz: {msg}");
        }
        if self.status == Outcome::Ok {
            self.status = Outcome::Warning;
        }
    }
}

fn parse(argv: &[String], usage: &'static str) -> Result<Opts, Failure> {
    use lexopt::prelude::*;
    let bad = |e: lexopt::Error| Failure::Usage(e.to_string(), usage);
    let mut o = Opts {
        mode: Mode::Compress,
        level: Level::FAST,
        format: Format::Gzip,
        chunk: DEFAULT_CHUNK,
        flush: Flush::None,
        to_stdout: false,
        keep: false,
        force: false,
        recursive: false,
        suffix: None,
        verbose: false,
        quiet: false,
        output: None,
        files: Vec::new(),
        trailing: Cell::new(false),
    };
    let mut p = lexopt::Parser::from_args(argv);
    let string = |v: OsString, opt: &str| -> Result<String, Failure> {
        v.into_string()
            .map_err(|v| Failure::Usage(format!("option '{opt}': invalid value {v:?}"), usage))
    };
    let arg_err = |e: ArgError| Failure::Usage(e.0, usage);
    while let Some(arg) = p.next().map_err(bad)? {
        match arg {
            Short('h') | Long("help") => return Err(Failure::Help(usage.to_string())),
            Short('V') | Long("version") => {
                return Err(Failure::Help(format!(
                    "slz {}\n",
                    env!("CARGO_PKG_VERSION")
                )))
            }
            Short(c @ '0'..='9') => {
                o.level = Level::new(c as u32 - '0' as u32)
                    .map_err(|e| Failure::Usage(e.to_string(), usage))?
            }
            Long("fast") => o.level = Level::FAST,
            Long("best") => o.level = Level::BEST,
            Short('c') | Long("stdout") | Long("to-stdout") => o.to_stdout = true,
            Short('d') | Long("decompress") | Long("uncompress") => o.mode = Mode::Decompress,
            Short('t') | Long("test") => o.mode = Mode::Test,
            Short('k') | Long("keep") => o.keep = true,
            Short('f') | Long("force") => o.force = true,
            Short('r') | Long("recursive") => o.recursive = true,
            Short('v') | Long("verbose") => {
                o.verbose = true;
                o.quiet = false;
            }
            Short('q') | Long("quiet") => {
                o.quiet = true;
                o.verbose = false;
            }
            Short('S') | Long("suffix") => {
                let s = string(p.value().map_err(bad)?, "--suffix")?;
                if s.is_empty() || s.contains('/') {
                    return Err(Failure::Usage(format!("invalid suffix '{s}'"), usage));
                }
                o.suffix = Some(s);
            }
            Long("format") => {
                o.format = match string(p.value().map_err(bad)?, "--format")?.as_str() {
                    "gzip" | "gz" => Format::Gzip,
                    "zlib" => Format::Zlib,
                    "deflate" | "raw" => Format::Deflate,
                    v => return Err(Failure::Usage(format!("unknown format '{v}'"), usage)),
                }
            }
            Long("chunk") => {
                let v = string(p.value().map_err(bad)?, "--chunk")?;
                o.chunk = parse_size("--chunk", &v).map_err(arg_err)?;
            }
            Long("flush") => {
                let v = string(p.value().map_err(bad)?, "--flush")?;
                o.flush = parse_flush(&v).map_err(arg_err)?;
            }
            Short('o') | Long("output") => o.output = Some(p.value().map_err(bad)?.into()),
            Value(v) => o.files.push(v),
            _ => return Err(bad(arg.unexpected())),
        }
    }
    if o.output.is_some() {
        if o.files.len() > 1 || o.recursive {
            return Err(Failure::Usage(
                "-o takes one input (a file or standard input)".into(),
                usage,
            ));
        }
        if o.to_stdout || o.mode == Mode::Test {
            return Err(Failure::Usage(
                "-o cannot be combined with -c or -t".into(),
                usage,
            ));
        }
    }
    Ok(o)
}

/// The command: returns gzip's exit status.
pub fn main(argv: &[String], usage: &'static str) -> Result<Outcome, Failure> {
    let o = parse(argv, usage)?;
    signals::install();
    let files = if o.files.is_empty() {
        vec![OsString::from("-")]
    } else {
        o.files.clone()
    };
    let mut run = Run {
        o,
        status: Outcome::Ok,
    };
    for f in files {
        if f == "-" {
            stdin_input(&mut run)?;
        } else {
            file_input(&mut run, Path::new(&f), true)?;
        }
    }
    Ok(run.status)
}

/// Standard input: to standard output, or to `-o`.
fn stdin_input(run: &mut Run) -> Result<(), Failure> {
    let o = &run.o;
    let stdin = io::stdin();
    if o.mode != Mode::Compress && stdin.is_terminal() && !o.force {
        run.error("compressed data not read from a terminal. Use -f to force decompression.");
        return Ok(());
    }
    if let Some(out) = o.output.clone() {
        let r = to_file(run, &mut stdin.lock(), &out, None);
        return report(run, r, "stdin", &out, None);
    }
    stream_to_stdout(run, &mut stdin.lock(), "stdin")
}

/// Writes the result of `input` to standard output (`-c`, standard input, `-t`).
fn stream_to_stdout(run: &mut Run, input: &mut dyn Read, name: &str) -> Result<(), Failure> {
    let o = &run.o;
    let r = match o.mode {
        Mode::Test => decode(o, input, &mut io::sink()),
        Mode::Decompress => decode(o, input, &mut io::stdout().lock()),
        Mode::Compress => {
            let stdout = io::stdout();
            if stdout.is_terminal() && !o.force {
                // gzip's words, and its status: an error.
                run.error(
                    "compressed data not written to a terminal. Use -f to force compression.\n\
                     For help, type: slz -h",
                );
                return Ok(());
            }
            compress(o, input, &mut stdout.lock())
        }
    };
    match r {
        Ok(sizes) => {
            if run.o.verbose {
                eprintln!("{name}:\t{}", verbose_tail(run.o.mode, sizes, None));
            }
            if run.o.trailing.take() {
                run.warn(format_args!(
                    "{name}: decompression OK, trailing garbage ignored"
                ));
            }
            Ok(())
        }
        Err(Fail::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => Err(Failure::BrokenPipe),
        Err(e) => {
            run.error(e.message(name, "stdout"));
            Ok(())
        }
    }
}

/// A file or (with `-r`) a directory named on the command line (`top`) or found in one.
fn file_input(run: &mut Run, path: &Path, top: bool) -> Result<(), Failure> {
    let shown = path.display().to_string();
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) => {
            // `slz -d foo` finds foo.gz, as gzip does.
            if e.kind() == io::ErrorKind::NotFound && top && run.o.mode != Mode::Compress {
                let mut with = path.as_os_str().to_owned();
                with.push(run.o.suffix());
                let with = PathBuf::from(with);
                if fs::symlink_metadata(&with).is_ok() {
                    return file_input(run, &with, top);
                }
            }
            run.error(format_args!("{shown}: {}", io_msg(&e)));
            return Ok(());
        }
    };
    // Symbolic links are followed when named (as gzip -f does), skipped inside directories.
    let meta = if meta.file_type().is_symlink() && (top || run.o.force) {
        match fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                run.error(format_args!("{shown}: {}", io_msg(&e)));
                return Ok(());
            }
        }
    } else {
        meta
    };
    if meta.is_dir() {
        if !run.o.recursive {
            run.warn(format_args!("{shown} is a directory -- ignored"));
            return Ok(());
        }
        let mut entries: Vec<PathBuf> = match fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                run.error(format_args!("{shown}: {}", io_msg(&e)));
                return Ok(());
            }
        };
        entries.sort();
        for e in entries {
            file_input(run, &e, false)?;
        }
        return Ok(());
    }
    if !meta.is_file() {
        run.warn(format_args!(
            "{shown} is not a directory or a regular file -- ignored"
        ));
        return Ok(());
    }
    // Removing one name of a file that has others would not free it: gzip leaves it alone.
    let others = std::os::unix::fs::MetadataExt::nlink(&meta).saturating_sub(1);
    let removes_input = !run.o.keep && !run.o.to_stdout && run.o.output.is_none();
    if others > 0 && removes_input && run.o.mode != Mode::Test && !run.o.force {
        let s = if others == 1 { "" } else { "s" };
        run.warn(format_args!(
            "{shown} has {others} other link{s} -- unchanged"
        ));
        return Ok(());
    }
    let name_has_suffix = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.len() > run.o.suffix().len() && n.ends_with(run.o.suffix()));

    // Where the result goes. `-t` (as gzip) and `-d` to a file look at the suffix; `-dc` does not.
    let restored = decompressed_name(path, run.o.suffix(), run.o.suffix.is_none());
    let needs_suffix = run.o.mode == Mode::Test
        || (run.o.mode == Mode::Decompress && !run.o.to_stdout && run.o.output.is_none());
    if needs_suffix && restored.is_none() {
        if top || run.o.verbose {
            run.warn(format_args!("{shown}: unknown suffix -- ignored"));
        }
        return Ok(());
    }
    let target: Option<PathBuf> = if run.o.to_stdout || run.o.mode == Mode::Test {
        None
    } else if let Some(out) = &run.o.output {
        Some(out.clone())
    } else if run.o.mode == Mode::Compress {
        if name_has_suffix && !run.o.force {
            // In a directory walk gzip skips these silently.
            if top || run.o.verbose {
                let suffix = run.o.suffix().to_string();
                run.warn(format_args!(
                    "{shown} already has {suffix} suffix -- unchanged"
                ));
            }
            return Ok(());
        }
        let mut s = path.as_os_str().to_owned();
        s.push(run.o.suffix());
        Some(PathBuf::from(s))
    } else {
        restored
    };

    let mut input = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            run.error(format_args!("{shown}: {}", io_msg(&e)));
            return Ok(());
        }
    };
    let Some(target) = target else {
        return stream_to_stdout(run, &mut input, &shown);
    };
    if !run.o.force && fs::symlink_metadata(&target).is_ok() {
        run.warn(format_args!(
            "{} already exists; not overwritten",
            target.display()
        ));
        return Ok(());
    }
    let r = to_file(run, &mut input, &target, Some(&meta));
    drop(input);
    let replaced = r.is_ok() && !run.o.keep && run.o.output.is_none();
    report(run, r, &shown, &target, Some(replaced))?;
    if replaced {
        if let Err(e) = fs::remove_file(path) {
            run.error(format_args!("{shown}: {}", io_msg(&e)));
        }
    }
    Ok(())
}

/// The name `-d` restores: FILE without the suffix (`.tgz` gives `.tar` when no `-S`).
fn decompressed_name(path: &Path, suffix: &str, gzip_defaults: bool) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let mut cands: Vec<(&str, &str)> = vec![(suffix, "")];
    if gzip_defaults && suffix == ".gz" {
        cands.extend([(".tgz", ".tar"), (".z", ""), ("-gz", "")]);
    }
    for (suf, repl) in cands {
        if name.len() > suf.len() && name.ends_with(suf) {
            let stem = &name[..name.len() - suf.len()];
            return Some(path.with_file_name(format!("{stem}{repl}")));
        }
    }
    None
}

/// Prints the verbose line or the error of one file.
fn report(
    run: &mut Run,
    r: Result<(u64, u64), Fail>,
    name: &str,
    target: &Path,
    replaced: Option<bool>,
) -> Result<(), Failure> {
    match r {
        Ok(sizes) => {
            if run.o.verbose {
                eprintln!(
                    "{name}:\t{}",
                    verbose_tail(run.o.mode, sizes, Some((target, replaced)))
                );
            }
            if run.o.trailing.take() {
                run.warn(format_args!(
                    "{name}: decompression OK, trailing garbage ignored"
                ));
            }
        }
        Err(Fail::Exists) => run.warn(format_args!(
            "{} already exists; not overwritten",
            target.display()
        )),
        Err(e) => run.error(e.message(name, &target.display().to_string())),
    }
    Ok(())
}

/// gzip -v's ` 65.3% -- replaced with FILE.gz`, or ` OK` for `-t`.
fn verbose_tail(
    mode: Mode,
    (uncompressed, compressed): (u64, u64),
    target: Option<(&Path, Option<bool>)>,
) -> String {
    if mode == Mode::Test {
        return " OK".into();
    }
    let ratio = if uncompressed == 0 {
        0.0
    } else {
        100.0 * (1.0 - compressed as f64 / uncompressed as f64)
    };
    let mut s = format!("{ratio:5.1}%");
    if let Some((t, replaced)) = target {
        let verb = if replaced == Some(true) {
            "replaced with"
        } else {
            "created"
        };
        s.push_str(&format!(" -- {verb} {}", t.display()));
    }
    s
}

/// Writes the result into a temporary file next to `target`, then renames it: an error (or a
/// kill) never leaves a half-written `target`. Copies the input's permissions and times.
fn to_file(
    run: &Run,
    input: &mut dyn Read,
    target: &Path,
    meta: Option<&Metadata>,
) -> Result<(u64, u64), Fail> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let base = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{base}."))
        .suffix(".slz-tmp")
        .tempfile_in(dir)
        .map_err(Fail::Create)?;
    // An interrupt or kill signal from here on removes the temporary file (see `signals`).
    signals::remove_on_signal(Some(tmp.path()));
    let r = fill_and_rename(run, input, tmp, target, meta);
    signals::remove_on_signal(None);
    r
}

/// The second half of [`to_file`]: on any error, dropping `tmp` removes the temporary file.
fn fill_and_rename(
    run: &Run,
    input: &mut dyn Read,
    tmp: tempfile::NamedTempFile,
    target: &Path,
    meta: Option<&Metadata>,
) -> Result<(u64, u64), Fail> {
    let o = &run.o;
    let mut w = io::BufWriter::with_capacity(256 * 1024, tmp.as_file());
    let sizes = match o.mode {
        Mode::Compress => compress(o, input, &mut w)?,
        _ => decode(o, input, &mut w)?,
    };
    w.flush().map_err(Fail::Write)?;
    drop(w);
    if let Some(m) = meta {
        let f = tmp.as_file();
        let _ = f.set_permissions(m.permissions());
        if let Ok(t) = m.modified() {
            let _ = f.set_modified(t);
        }
    }
    if o.force {
        tmp.persist(target).map_err(|e| Fail::Create(e.error))?;
    } else {
        tmp.persist_noclobber(target).map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                Fail::Exists
            } else {
                Fail::Create(e.error)
            }
        })?;
    }
    Ok(sizes)
}

/// gzip's clean-up on SIGINT, SIGTERM and SIGHUP: the temporary file being written is removed,
/// then the signal takes its default course (the process dies of it, as the shell expects).
mod signals {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;
    use std::ptr;
    use std::sync::atomic::{AtomicPtr, Ordering};

    /// The temporary file to remove, as a C string owned by this static (null: none).
    static PENDING: AtomicPtr<libc::c_char> = AtomicPtr::new(ptr::null_mut());

    const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    extern "C" fn on_signal(sig: libc::c_int) {
        // Only async-signal-safe calls here: unlink, signal, raise.
        let p = PENDING.swap(ptr::null_mut(), Ordering::SeqCst);
        unsafe {
            if !p.is_null() {
                libc::unlink(p);
            }
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }

    /// Installs the handler, except for signals that are ignored (`nohup`), as gzip does.
    pub fn install() {
        for sig in SIGNALS {
            // SAFETY: `on_signal` only makes async-signal-safe calls.
            unsafe {
                let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
                if libc::signal(sig, handler) == libc::SIG_IGN {
                    libc::signal(sig, libc::SIG_IGN);
                }
            }
        }
    }

    /// Sets (or clears) the file the handler removes.
    pub fn remove_on_signal(path: Option<&Path>) {
        let new = path
            .and_then(|p| CString::new(p.as_os_str().as_bytes()).ok())
            .map_or(ptr::null_mut(), CString::into_raw);
        let old = PENDING.swap(new, Ordering::SeqCst);
        if !old.is_null() {
            // SAFETY: every non-null value stored came from `CString::into_raw` above, and the
            // swap took it out of the static: nothing else frees or reads it any more (the
            // handler runs on this thread, between instructions of this one, and swaps too).
            drop(unsafe { CString::from_raw(old) });
        }
    }
}

/// Why one input failed.
#[derive(Debug)]
enum Fail {
    Read(io::Error),
    Write(io::Error),
    Create(io::Error),
    /// The output appeared while we worked and `-f` was not given.
    Exists,
    NotFormat(&'static str),
    Corrupt(String),
    Truncated,
    Encoder(slz::Error),
}

impl Fail {
    fn message(&self, name: &str, out: &str) -> String {
        match self {
            Fail::Read(e) => format!("{name}: {}", io_msg(e)),
            Fail::Write(e) | Fail::Create(e) => format!("{out}: {}", io_msg(e)),
            Fail::Exists => format!("{out} already exists; not overwritten"),
            Fail::NotFormat(f) => format!("{name}: not in {f} format"),
            Fail::Corrupt(m) => format!("{name}: invalid compressed data -- {m}"),
            Fail::Truncated => format!("{name}: unexpected end of file"),
            Fail::Encoder(e) => format!("compressing {name}: {e}"),
        }
    }
}

/// Reads `input` piece by piece (constant memory), compresses each piece with one encoder call
/// and writes the output as it comes. Returns (bytes in, bytes out).
fn compress(o: &Opts, input: &mut dyn Read, output: &mut dyn Write) -> Result<(u64, u64), Fail> {
    let chunk = o.chunk.max(1);
    let mut enc = Encoder::new(o.format, o.level);
    let mut buf = vec![0u8; chunk];
    let mut out = vec![0u8; enc.max_output_len(chunk)];
    let (mut total_in, mut total_out) = (0u64, 0u64);
    loop {
        let n = read_full(input, &mut buf).map_err(Fail::Read)?;
        // A short piece means end of input: it finishes the stream in the same call.
        let last = n < chunk;
        let flush = if last { Flush::Finish } else { o.flush };
        let written = enc
            .compress(&buf[..n], &mut out, flush)
            .map_err(Fail::Encoder)?;
        output.write_all(&out[..written]).map_err(Fail::Write)?;
        total_in += n as u64;
        total_out += written as u64;
        if last {
            break;
        }
    }
    output.flush().map_err(Fail::Write)?;
    Ok((total_in, total_out))
}

/// Decodes `input` in `o.format` into `output`; returns (bytes out, bytes in).
fn decode(o: &Opts, input: &mut dyn Read, output: &mut dyn Write) -> Result<(u64, u64), Fail> {
    let mut counted = Counted { inner: input, n: 0 };
    let mut r = BufReader::with_capacity(64 * 1024, &mut counted);
    let produced = match o.format {
        Format::Zlib => inflate(o, &mut r, output, true)?,
        Format::Deflate => inflate(o, &mut r, output, false)?,
        _ => {
            let head = r.fill_buf().map_err(decode_error)?;
            if head.is_empty() {
                return Err(Fail::Truncated);
            }
            if !is_gzip_magic(head) {
                return Err(Fail::NotFormat("gzip"));
            }
            // One member after the other, as gzip: what follows the last member and is not
            // a gzip header is ignored with a warning.
            let mut total = 0;
            loop {
                let mut d = flate2::bufread::GzDecoder::new(&mut r);
                total += copy_decoded(&mut d, output)?;
                let rest = r.fill_buf().map_err(decode_error)?;
                if rest.is_empty() {
                    break;
                }
                if !is_gzip_magic(rest) {
                    o.trailing.set(true);
                    break;
                }
            }
            total
        }
    };
    output.flush().map_err(Fail::Write)?;
    Ok((produced, counted.n))
}

/// The start of a gzip member (or of one cut after its first byte).
fn is_gzip_magic(head: &[u8]) -> bool {
    head.first() == Some(&0x1f) && !matches!(head.get(1), Some(&b) if b != 0x8b)
}

/// Counts the bytes read, and marks read errors as the input's (not the decoder's).
struct Counted<'a> {
    inner: &'a mut dyn Read,
    n: u64,
}

/// A read error of the input file, carried through the decoder.
#[derive(Debug)]
struct InputError(io::Error);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for InputError {}

impl Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.inner.read(buf) {
                Ok(n) => {
                    self.n += n as u64;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io::Error::new(e.kind(), InputError(e))),
            }
        }
    }
}

/// A decoder's error: the input's own read error, a truncated stream or corrupt data.
fn decode_error(e: io::Error) -> Fail {
    if e.get_ref().is_some_and(|r| r.is::<InputError>()) {
        let inner = e.into_inner().and_then(|b| b.downcast::<InputError>().ok());
        return match inner {
            Some(b) => Fail::Read(b.0),
            None => Fail::Read(io::Error::other("read error")),
        };
    }
    if e.kind() == io::ErrorKind::UnexpectedEof {
        Fail::Truncated
    } else {
        Fail::Corrupt(e.to_string())
    }
}

fn copy_decoded(d: &mut dyn Read, output: &mut dyn Write) -> Result<u64, Fail> {
    let mut buf = vec![0u8; 128 * 1024];
    let mut total = 0u64;
    loop {
        let n = match d.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(decode_error(e)),
        };
        output.write_all(&buf[..n]).map_err(Fail::Write)?;
        total += n as u64;
    }
}

/// zlib or raw deflate through flate2's `Decompress`, which says where the stream ends, so a
/// truncated stream is an error rather than a short output. Data after the end is a warning.
fn inflate(o: &Opts, r: &mut dyn BufRead, output: &mut dyn Write, zlib: bool) -> Result<u64, Fail> {
    let mut d = Decompress::new(zlib);
    let mut out = vec![0u8; 128 * 1024];
    loop {
        let buf = r.fill_buf().map_err(decode_error)?;
        let eof = buf.is_empty();
        let (in0, out0) = (d.total_in(), d.total_out());
        let flush = if eof {
            FlushDecompress::Finish
        } else {
            FlushDecompress::None
        };
        let st = d
            .decompress(buf, &mut out, flush)
            .map_err(|e| Fail::Corrupt(e.to_string()))?;
        let used = (d.total_in() - in0) as usize;
        let made = (d.total_out() - out0) as usize;
        r.consume(used);
        output.write_all(&out[..made]).map_err(Fail::Write)?;
        if st == Status::StreamEnd {
            if !r.fill_buf().map_err(decode_error)?.is_empty() {
                o.trailing.set(true);
            }
            return Ok(d.total_out());
        }
        if eof && made == 0 {
            return Err(Fail::Truncated);
        }
    }
}

/// Fills `buf` unless end of input comes first; returns the bytes read.
fn read_full(input: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decompressed_names() {
        let n = |p: &str, s: &str, d: bool| decompressed_name(Path::new(p), s, d);
        assert_eq!(n("a/b.txt.gz", ".gz", true), Some("a/b.txt".into()));
        assert_eq!(n("x.tgz", ".gz", true), Some("x.tar".into()));
        assert_eq!(n("x.tgz", ".gz", false), None);
        assert_eq!(n(".gz", ".gz", true), None);
        assert_eq!(n("x.zz", ".zz", false), Some("x".into()));
        assert_eq!(n("x.txt", ".gz", true), None);
    }
}

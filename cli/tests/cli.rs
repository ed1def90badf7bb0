//! Runs the built `slz` binary: round trips through other decoders (flate2, gzip, Python's
//! zlib where present), command-line errors, a closed standard output, and short bench runs.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const SLZ: &str = env!("CARGO_BIN_EXE_slz");

/// Web-like text with some binary noise, deterministic.
fn sample(len: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(len + 100);
    let mut x: u32 = 12345;
    let mut i = 0u64;
    while v.len() < len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        i += 1;
        if x % 7 == 0 {
            v.extend_from_slice(&x.to_le_bytes());
        }
        let line = format!(
            "<tr class=\"row{}\"><td>{i}</td><td>item {}</td><td>{}</td></tr>\n",
            x % 3,
            x % 1000,
            [
                "GET /index.html",
                "POST /api/v1/orders",
                "GET /static/app.js"
            ][(x % 3) as usize]
        );
        v.extend_from_slice(line.as_bytes());
    }
    v.truncate(len);
    v
}

/// A fresh, empty directory under the system temp dir.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slz-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(SLZ)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run slz");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut v)
        .expect("valid gzip");
    v
}

fn write_file(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p
}

fn tool_present(name: &str, arg: &str) -> bool {
    Command::new(name)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// True if `name` runs; if it does not, the test is skipped, or fails under `SLZ_STRICT` (CI)
/// when `strict` is set.
fn require(name: &str, strict: bool) -> bool {
    if tool_present(name, "--version") {
        return true;
    }
    let strict_env = std::env::var("SLZ_STRICT").is_ok_and(|v| !v.is_empty() && v != "0");
    assert!(
        !(strict && strict_env),
        "{name} is not installed and SLZ_STRICT is set"
    );
    eprintln!("{name} not installed: skipped");
    false
}

#[test]
fn file_to_stdout_round_trips_at_every_level() {
    let dir = scratch("levels");
    let data = sample(300_000);
    let f = write_file(&dir, "in.html", &data);
    for level in ["-0", "-1", "-6", "-9"] {
        let o = run(&["-c", level, f.to_str().unwrap()], b"");
        assert!(o.status.success(), "{level}: {}", stderr(&o));
        assert_eq!(&o.stdout[..2], &[0x1f, 0x8b]);
        assert_eq!(gunzip(&o.stdout), data, "{level}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn stdin_in_chunks_with_sync_flush_decodes() {
    let data = sample(200_000);
    for chunk in ["100", "1K", "16384", "64KiB"] {
        let o = run(&["--chunk", chunk, "--flush", "sync", "-"], &data);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(gunzip(&o.stdout), data, "chunk {chunk}");
        // A sync flush ends each piece with an empty stored block before the final block.
        assert!(
            o.stdout.windows(4).any(|w| w == [0, 0, 0xff, 0xff]),
            "chunk {chunk}"
        );
    }
}

#[test]
fn zlib_and_raw_deflate_formats() {
    let data = sample(100_000);
    let o = run(&["--format", "zlib", "--chunk=4096"], &data);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut v = Vec::new();
    flate2::read::ZlibDecoder::new(&o.stdout[..])
        .read_to_end(&mut v)
        .unwrap();
    assert_eq!(v, data);

    let o = run(
        &["--format=deflate", "--flush", "sync", "--chunk", "1000"],
        &data,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut v = Vec::new();
    flate2::read::DeflateDecoder::new(&o.stdout[..])
        .read_to_end(&mut v)
        .unwrap();
    assert_eq!(v, data);
}

#[test]
fn empty_input_is_a_valid_stream() {
    let o = run(&[], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(gunzip(&o.stdout), b"");
}

#[test]
fn output_file() {
    let dir = scratch("output");
    let data = sample(50_000);
    let f = write_file(&dir, "in.txt", &data);
    let out = dir.join("out.gz");
    let o = run(&["-o", out.to_str().unwrap(), f.to_str().unwrap()], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert_eq!(gunzip(&std::fs::read(&out).unwrap()), data);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn gzip_decodes_chunked_output() {
    if !require("gzip", true) {
        return;
    }
    let data = sample(150_000);
    let o = run(&["--chunk", "16K", "--flush", "sync"], &data);
    assert!(o.status.success());
    let d = run_tool("gzip", &["-d", "-c"], &o.stdout);
    assert_eq!(d, data);
}

#[test]
fn pigz_decodes_output() {
    // pigz is optional even in CI (`apt-get install -y pigz` to run this).
    if !require("pigz", false) {
        return;
    }
    let data = sample(150_000);
    let o = run(&["--chunk", "1K", "--flush", "sync"], &data);
    assert!(o.status.success());
    assert_eq!(run_tool("pigz", &["-d", "-c"], &o.stdout), data);
}

#[test]
fn python_zlib_decodes_output() {
    if !require("python3", true) {
        return;
    }
    let data = sample(120_000);
    for (format, wbits) in [("gzip", "31"), ("zlib", "15"), ("deflate", "-15")] {
        let o = run(
            &["--format", format, "--chunk", "3000", "--flush", "sync"],
            &data,
        );
        assert!(o.status.success());
        let script = format!(
            "import sys, zlib; d = zlib.decompressobj({wbits}); out = d.decompress(sys.stdin.buffer.read()); \
             assert d.eof and not d.unused_data; sys.stdout.buffer.write(out)"
        );
        assert_eq!(
            run_tool("python3", &["-c", &script], &o.stdout),
            data,
            "{format}"
        );
    }
}

fn run_tool(name: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new(name)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let w = std::thread::spawn(move || stdin.write_all(&data).unwrap());
    let o = child.wait_with_output().unwrap();
    w.join().unwrap();
    assert!(o.status.success(), "{name} failed");
    o.stdout
}

#[test]
fn bad_flag_prints_usage_and_exits_1_as_gzip() {
    for args in [
        &["--bogus"][..],
        &["-x"],
        &["--format", "zip"],
        &["--chunk", "0"],
        &["--chunk", "lots"],
        &["--flush", "full"],
        &["--chunk"],
        &["-o", "x.gz", "a", "b"],
        &["-S", ""],
        &["-S", "a/b"],
        &["-c", "-o", "x.gz"],
    ] {
        let o = run(args, b"");
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
        let e = stderr(&o);
        assert!(e.contains("Usage: slz"), "{args:?}: {e}");
        assert!(!e.contains("panicked"), "{e}");
    }
}

#[test]
fn missing_file_and_directory_are_messages() {
    let o = run(&["/no/such/file.txt"], b"");
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("/no/such/file.txt") && e.contains("No such file"),
        "{e}"
    );
    assert!(!e.contains("panicked"));

    // A directory without -r is a warning, as in gzip: exit status 2.
    let dir = scratch("dir-input");
    let o = run(&[dir.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is a directory -- ignored"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(dir).unwrap();

    let o = run(&["-o", "/no/such/dir/out.gz"], b"abc");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/no/such/dir/out.gz"), "{}", stderr(&o));
}

#[test]
fn closed_stdout_is_a_quiet_exit() {
    let mut child = Command::new(SLZ)
        .args(["-0", "--chunk", "4096"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before reading anything.
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    let data = sample(4 << 20);
    let w = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let o = child.wait_with_output().unwrap();
    w.join().unwrap();
    let e = stderr(&o);
    assert!(!e.contains("panicked"), "{e}");
    assert!(o.status.success(), "status {:?}: {e}", o.status);
}

#[test]
fn help_and_version() {
    let o = run(&["--help"], b"");
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("--chunk"));
    let o = run(&["--version"], b"");
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("slz "));
    let o = run(&["bench", "--help"], b"");
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("--streams"));
}

/// A small two-group corpus: `group/web/*` and `group/logs/*`, plus a README.md to skip.
fn small_corpus(name: &str) -> PathBuf {
    let dir = scratch(name);
    for (group, files) in [("web", 2), ("logs", 1)] {
        let g = dir.join(group);
        std::fs::create_dir_all(&g).unwrap();
        for i in 0..files {
            write_file(&g, &format!("f{i}"), &sample(40_000 + i * 10_000));
        }
    }
    write_file(&dir, "README.md", b"not data");
    dir
}

#[test]
fn bench_prints_a_table_per_group_and_total() {
    let dir = small_corpus("bench");
    let o = run(&["bench", "--runs", "1", dir.to_str().unwrap()], b"");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", stderr(&o));
    for want in [
        "web",
        "logs",
        "total",
        "slz -0",
        "slz -1",
        "miniz_oxide -6",
        "zlib-rs -1",
        "zlib ",
        "libdeflate -6",
        "1.00x",
    ] {
        assert!(out.contains(want), "missing '{want}' in\n{out}");
    }
    assert!(!out.contains("README"), "{out}");

    // Chunked with sync flush: libdeflate (whole buffers only) is left out.
    let o = run(
        &[
            "bench",
            "--runs",
            "1",
            "--chunk",
            "1K",
            "--flush",
            "sync",
            "--json",
            dir.to_str().unwrap(),
        ],
        b"",
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        out.starts_with('{') && out.trim_end().ends_with('}'),
        "{out}"
    );
    assert!(
        out.contains("\"chunk\":1024") && out.contains("\"flush\":\"sync\""),
        "{out}"
    );
    assert!(
        out.contains("\"zlib-rs-1\"") && !out.contains("libdeflate-1"),
        "{out}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bench_streams_reports_memory_for_each_codec() {
    let dir = small_corpus("streams");
    let o = run(
        &[
            "bench",
            "--streams",
            "40",
            "--rounds",
            "3",
            "--chunk",
            "4K",
            dir.to_str().unwrap(),
        ],
        b"",
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", stderr(&o));
    for want in [
        "slz -1",
        "zlib-rs -1",
        "zlib -1",
        "per stream",
        "40 streams",
    ] {
        assert!(out.contains(want), "missing '{want}' in\n{out}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bench_errors_are_messages() {
    let o = run(&["bench", "--frobnicate"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Usage: slz bench"));
    let o = run(&["bench", "--flush", "sync"], b"");
    assert_eq!(o.status.code(), Some(2), "sync without --chunk");
    let o = run(&["bench", "--codecs", "gzip-9"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown codec 'gzip-9'"),
        "{}",
        stderr(&o)
    );
    let o = run(&["bench", "/no/such/corpus"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/no/such/corpus"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn bench_runs_several_plans_levels_and_draws_a_chart() {
    let dir = small_corpus("bench_plot");
    let svg = dir.join("chart.svg");
    let o = run(
        &[
            "bench",
            "--runs",
            "1",
            "--levels",
            "1,2",
            "--chunk",
            "whole,4K",
            "--flush",
            "sync",
            "--plot",
            svg.to_str().unwrap(),
            "--data",
            dir.to_str().unwrap(),
        ],
        b"",
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.starts_with("slz bench: data "), "{out}");
    // One table per plan; the per-piece ceiling only in the piece mode.
    let (whole, pieces) = out.split_once("4 KiB pieces").expect("a 4 KiB table");
    for want in [
        "slz -1",
        "slz -2",
        "zlib-rs -1 (flate2, runtime CPU detection)",
        "libdeflate -6",
    ] {
        assert!(whole.contains(want), "missing '{want}' in\n{whole}");
    }
    // " slz -0": the row of slz's level 0, not libslz's ("libslz -0 (C, ...)").
    assert!(
        !whole.contains(" slz -0") && !whole.contains("per piece"),
        "{whole}"
    );
    assert!(
        pieces.contains("libdeflate -12 per piece (ceiling, not a stream)"),
        "{pieces}"
    );
    assert!(!pieces.contains("(C, whole buffer)"), "{pieces}");
    // --data groups by subdirectory; the README is skipped.
    assert!(whole.contains("web") && whole.contains("logs"), "{whole}");
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert!(chart.starts_with("<svg"), "{chart}");
    for want in [
        "whole files",
        "4 KiB pieces",
        "slz, 40 B per stream",
        "MB/s",
    ] {
        assert!(chart.contains(want), "chart lacks '{want}'");
    }
    // The JSON of several plans is an array of one document per plan.
    let o = run(
        &[
            "bench",
            "--runs",
            "1",
            "--codecs",
            "slz-3,zlib-rs-1",
            "--chunk",
            "whole,1K",
            "--json",
            dir.to_str().unwrap(),
        ],
        b"",
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        out.starts_with("[{") && out.trim_end().ends_with("}]"),
        "{out}"
    );
    assert_eq!(out.matches("\"plan\":").count(), 2, "{out}");
    assert!(
        out.contains("\"slz-3\"") && !out.contains("\"slz-1\""),
        "{out}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bench_option_errors() {
    for args in [
        &["bench", "--levels", "12"][..],
        &["bench", "--levels", "3-1"],
        &["bench", "--chunk", "whole,0"],
        &["bench", "--data", "x", "y"],
        &["bench", "--streams", "4", "--chunk", "1K,2K"],
        &["bench", "--streams", "4", "--data", "web"],
    ] {
        let o = run(args, b"");
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}");
    }
    let o = run(&["bench", "--data", "/no/such/dir"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/no/such/dir"), "{}", stderr(&o));
}

// ---- The gzip-like command: files in place, -d, -t, -r, -S, -f, and what is left on errors.

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The names in `dir`, sorted (temporary files included: none may be left behind).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// `gzip -t` (Debian's gzip) accepts the file.
fn gzip_accepts(path: &Path) {
    if !require("gzip", true) {
        return;
    }
    let o = Command::new("gzip").arg("-t").arg(path).output().unwrap();
    assert!(
        o.status.success(),
        "gzip -t {}: {}",
        path.display(),
        stderr(&o)
    );
}

#[test]
fn keep_then_decompress_round_trips_and_refuses_to_overwrite() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("keep");
    let data = sample(700_000);
    let f = write_file(&dir, "page.html", &data);
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
    let gz = dir.join("page.html.gz");
    let o = run(&["-k", "--chunk", "64K", s(&f)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty() && o.stderr.is_empty());
    assert_eq!(names(&dir), ["page.html", "page.html.gz"]);
    assert_eq!(gunzip(&std::fs::read(&gz).unwrap()), data);
    // gzip keeps the input's permissions and modification time on the output.
    let (mi, mo) = (f.metadata().unwrap(), gz.metadata().unwrap());
    assert_eq!(mo.permissions().mode() & 0o777, 0o640);
    assert_eq!(mi.modified().unwrap(), mo.modified().unwrap());
    gzip_accepts(&gz);

    // Both outputs exist now: a warning (status 2), nothing touched.
    let before = std::fs::read(&gz).unwrap();
    let o = run(&["-k", "-9", s(&f)], b"");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("page.html.gz already exists; not overwritten"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&gz).unwrap(), before);
    let o = run(&["-d", s(&gz)], b"");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(names(&dir), ["page.html", "page.html.gz"]);
    // -q silences the warning, not the status.
    let o = run(&["-q", "-d", s(&gz)], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));

    // -f overwrites: a level-0 stream is larger than the level-1 one.
    let o = run(&["-f", "-k", "-0", s(&f)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&gz).unwrap().len() > before.len());
    std::fs::write(&f, b"stale").unwrap();
    let o = run(&["-d", "-f", s(&gz)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(&dir), ["page.html"]);
    assert_eq!(std::fs::read(&f).unwrap(), data);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn compress_removes_the_original_and_decompress_restores_it() {
    let dir = scratch("replace");
    let a = sample(100_000);
    let b = sample(3_000);
    let fa = write_file(&dir, "a.txt", &a);
    let fb = write_file(&dir, "b.txt", &b);
    let o = run(&["-v", "-6", s(&fa), s(&fb)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(&dir), ["a.txt.gz", "b.txt.gz"]);
    let e = stderr(&o);
    assert!(
        e.contains("a.txt:\t") && e.contains("% -- replaced with "),
        "{e}"
    );
    assert!(e.contains("a.txt.gz") && e.contains("b.txt.gz"), "{e}");
    gzip_accepts(&dir.join("a.txt.gz"));

    let o = run(&["-t", "-v", s(&dir.join("a.txt.gz"))], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("a.txt.gz:\t OK"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());

    let o = run(
        &["-d", s(&dir.join("a.txt.gz")), s(&dir.join("b.txt.gz"))],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(&dir), ["a.txt", "b.txt"]);
    assert_eq!(std::fs::read(&fa).unwrap(), a);
    assert_eq!(std::fs::read(&fb).unwrap(), b);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn stdout_mode_keeps_files_and_concatenates_members() {
    let dir = scratch("stdout");
    let a = sample(50_000);
    let b = sample(70_000);
    let fa = write_file(&dir, "a", &a);
    let fb = write_file(&dir, "b", &b);
    let o = run(&["-c", s(&fa), s(&fb)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(&dir), ["a", "b"]);
    let both = write_file(&dir, "both.gz", &o.stdout);
    gzip_accepts(&both);
    // -dc decodes every member, as gzip does; so does standard input.
    let want = [a, b].concat();
    let o = run(&["-dc", s(&both)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, want);
    let o = run(&["-d"], &std::fs::read(&both).unwrap());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, want);
    assert_eq!(names(&dir), ["a", "b", "both.gz"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn test_mode_accepts_good_and_rejects_corrupt_files() {
    let dir = scratch("test");
    let data = sample(200_000);
    let o = run(&["-c"], &data);
    let good = write_file(&dir, "good.gz", &o.stdout);
    let mut bad = o.stdout.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x55;
    let bad = write_file(&dir, "bad.gz", &bad);
    let trunc = write_file(&dir, "trunc.gz", &o.stdout[..o.stdout.len() - 5]);
    let mut crc = o.stdout.clone();
    let n = crc.len();
    crc[n - 6] ^= 1;
    let crc = write_file(&dir, "crc.gz", &crc);
    let junk = write_file(&dir, "junk.gz", b"this is not gzip");

    let o = run(&["-t", s(&good)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    for (f, want) in [
        (&bad, "bad.gz: "),
        (&trunc, "trunc.gz: unexpected end of file"),
        (&crc, "crc.gz: invalid compressed data"),
        (&junk, "junk.gz: not in gzip format"),
    ] {
        let o = run(&["-t", s(f)], b"");
        assert_eq!(o.status.code(), Some(1), "{f:?}");
        assert!(stderr(&o).contains(want), "{f:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
        assert!(o.stdout.is_empty());
    }
    // Data after the last member: decoded, then a warning (status 2), as gzip.
    let mut trailing = run(&["-c"], &data).stdout;
    trailing.extend_from_slice(b"\0\0junk");
    let o = run(&["-dc"], &trailing);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(o.stdout, data);
    assert!(
        stderr(&o).contains("decompression OK, trailing garbage ignored"),
        "{}",
        stderr(&o)
    );
    let mut z = run(&["-c", "--format", "zlib"], &data).stdout;
    z.push(0);
    let o = run(&["-t", "--format", "zlib"], &z);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

    // -t looks at the suffix, as gzip: a name without it is skipped with a warning.
    let plain = write_file(&dir, "plain", &std::fs::read(&good).unwrap());
    let o = run(&["-t", s(&plain)], b"");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("plain: unknown suffix -- ignored"),
        "{}",
        stderr(&o)
    );
    // -dc does not.
    let o = run(&["-dc", s(&plain)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, data);

    // One bad file among good ones: the good ones are tested, the status is 1.
    let o = run(&["-t", s(&good), s(&bad), s(&good)], b"");
    assert_eq!(o.status.code(), Some(1));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn zlib_and_deflate_streams_decode_and_test() {
    let data = sample(90_000);
    for format in ["zlib", "deflate"] {
        let o = run(
            &["--format", format, "--chunk", "8K", "--flush", "sync"],
            &data,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let z = o.stdout;
        let o = run(&["-d", "--format", format], &z);
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        assert_eq!(o.stdout, data, "{format}");
        let o = run(&["-t", "--format", format], &z);
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        // Cut short (the sync-flushed stream decodes up to the cut, but has no end).
        let o = run(&["-t", "--format", format], &z[..z.len() / 2]);
        assert_eq!(o.status.code(), Some(1), "{format}");
        assert!(
            stderr(&o).contains("unexpected end of file"),
            "{}",
            stderr(&o)
        );
    }
    // A zlib stream's suffix is .zz.
    let dir = scratch("zz");
    let f = write_file(&dir, "x.json", &data);
    let o = run(&["--format", "zlib", s(&f)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(&dir), ["x.json.zz"]);
    let o = run(&["--format", "zlib", "-d", s(&dir.join("x.json.zz"))], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(&f).unwrap(), data);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn recursive_compresses_a_tree_and_skips_compressed_files() {
    let dir = scratch("recursive");
    let sub = dir.join("sub");
    std::fs::create_dir_all(sub.join("deeper")).unwrap();
    let files = [
        (dir.join("top.txt"), sample(10_000)),
        (sub.join("mid.css"), sample(20_000)),
        (sub.join("deeper").join("low.js"), sample(30_000)),
    ];
    for (p, d) in &files {
        std::fs::write(p, d).unwrap();
    }
    let already = write_file(&sub, "old.gz", b"left alone");
    let o = run(&[s(&dir)], b"");
    assert_eq!(o.status.code(), Some(2), "a directory without -r");
    let o = run(&["-r", s(&dir)], b"");
    // Files that already have the suffix are skipped silently inside a directory walk.
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    assert_eq!(std::fs::read(&already).unwrap(), b"left alone");
    for (p, d) in &files {
        assert!(!p.exists());
        let gz = PathBuf::from(format!("{}.gz", p.display()));
        assert_eq!(gunzip(&std::fs::read(&gz).unwrap()), *d);
        gzip_accepts(&gz);
    }
    // -d -r: old.gz is not gzip (an error), the others come back.
    let o = run(&["-d", "-r", s(&dir)], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("old.gz: not in gzip format"),
        "{}",
        stderr(&o)
    );
    for (p, d) in &files {
        assert_eq!(std::fs::read(p).unwrap(), *d);
    }
    assert_eq!(names(&sub), ["deeper", "mid.css", "old.gz"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn suffix_option_and_files_that_already_have_it() {
    let dir = scratch("suffix");
    let data = sample(40_000);
    let f = write_file(&dir, "data.bin", &data);
    let o = run(&["-S", ".slz", s(&f)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(&dir), ["data.bin.slz"]);
    let out = dir.join("data.bin.slz");
    gzip_accepts_named(&out);
    // Already has the suffix: a warning, unchanged; -f compresses it anyway.
    let o = run(&["-S", ".slz", s(&out)], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("already has .slz suffix -- unchanged"),
        "{}",
        stderr(&o)
    );
    assert_eq!(names(&dir), ["data.bin.slz"]);
    // -d without the -S: unknown suffix, a warning.
    let o = run(&["-d", s(&out)], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown suffix -- ignored"),
        "{}",
        stderr(&o)
    );
    let o = run(&["-d", "--suffix=.slz", s(&out)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(&dir), ["data.bin"]);
    assert_eq!(std::fs::read(&f).unwrap(), data);
    std::fs::remove_dir_all(dir).unwrap();
}

/// `gzip -t` on a file whose suffix gzip does not know: through standard input.
fn gzip_accepts_named(path: &Path) {
    if !require("gzip", true) {
        return;
    }
    let o = Command::new("gzip")
        .arg("-t")
        .stdin(std::fs::File::open(path).unwrap())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "gzip -t < {}: {}",
        path.display(),
        stderr(&o)
    );
}

#[test]
fn errors_leave_no_output_behind() {
    let dir = scratch("no-half");
    // A stream that decodes for 2 MB, then fails its CRC check: the output was being written
    // when the error came; neither it nor a temporary file may remain, and the input stays.
    let data = sample(2_000_000);
    let mut gz = run(&["-c", "--chunk", "64K"], &data).stdout;
    let n = gz.len();
    gz[n - 8] ^= 0xff;
    let f = write_file(&dir, "big.gz", &gz);
    let o = run(&["-d", s(&f)], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("big.gz: invalid compressed data"),
        "{}",
        stderr(&o)
    );
    assert_eq!(names(&dir), ["big.gz"]);

    // An input that cannot be read: /proc/self/mem fails on the first read.
    let out = dir.join("mem.gz");
    let o = run(&["-o", s(&out), "/proc/self/mem"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/proc/self/mem: "), "{}", stderr(&o));
    assert_eq!(names(&dir), ["big.gz"]);

    // A read-only output directory (not for root, who may write anyway).
    use std::os::unix::fs::PermissionsExt;
    let ro = dir.join("ro");
    std::fs::create_dir(&ro).unwrap();
    let src = write_file(&ro, "in.txt", &data);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(ro.join("probe"), b"").is_ok() {
        eprintln!("running as root: the read-only directory case is skipped");
        std::fs::remove_file(ro.join("probe")).unwrap();
    } else {
        let o = run(&[s(&src)], b"");
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("Permission denied"), "{}", stderr(&o));
        assert_eq!(names(&ro), ["in.txt"]);
        assert_eq!(std::fs::read(&src).unwrap(), data);
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

/// A pseudo-terminal's slave side, as a file (the master is returned to keep it open).
fn pty() -> (std::fs::File, std::fs::File) {
    use std::os::fd::FromRawFd;
    unsafe {
        let master = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(master >= 0);
        assert_eq!(libc::grantpt(master), 0);
        assert_eq!(libc::unlockpt(master), 0);
        let name = std::ffi::CStr::from_ptr(libc::ptsname(master))
            .to_str()
            .unwrap()
            .to_string();
        let slave = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(name)
            .unwrap();
        (std::fs::File::from_raw_fd(master), slave)
    }
}

#[test]
fn refuses_to_write_compressed_data_to_a_terminal() {
    let (_master, slave) = pty();
    let o = Command::new(SLZ)
        .stdin(Stdio::null())
        .stdout(slave.try_clone().unwrap())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("compressed data not written to a terminal. Use -f to force"),
        "{}",
        stderr(&o)
    );
    // -f writes it anyway (a few bytes: the terminal's buffer takes them).
    let o = Command::new(SLZ)
        .arg("-f")
        .stdin(Stdio::null())
        .stdout(slave.try_clone().unwrap())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // Nor reads compressed data from one.
    let o = Command::new(SLZ)
        .arg("-d")
        .stdin(slave)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("compressed data not read from a terminal"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_termination_signal_removes_the_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    let dir = scratch("sigint");
    let out = dir.join("out.gz");
    let mut child = Command::new(SLZ)
        .args(["--chunk", "4K", "-o", s(&out)])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Some input, then wait (stdin stays open) until the temporary file is there.
    stdin.write_all(&sample(200_000)).unwrap();
    let t0 = std::time::Instant::now();
    loop {
        if !names(&dir).is_empty() {
            break;
        }
        assert!(t0.elapsed().as_secs() < 20, "no temporary file appeared");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(names(&dir).len(), 1);
    assert!(names(&dir)[0].ends_with(".slz-tmp"), "{:?}", names(&dir));
    // SIGTERM, handled as SIGINT and SIGHUP are: a test run started in the background of a
    // non-interactive shell inherits SIGINT ignored, and slz keeps an ignored signal ignored
    // (as gzip does), so SIGINT would not reach it there.
    // SAFETY: kill(2) on the pid of a child this test spawned and has not reaped yet.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let t0 = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if t0.elapsed().as_secs() >= 20 {
            child.kill().unwrap();
            panic!("slz did not die of SIGTERM within 20 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    drop(stdin);
    // It dies of the signal, as gzip does, and leaves nothing behind.
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{status:?}");
    assert!(names(&dir).is_empty(), "{:?}", names(&dir));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn decompress_finds_the_suffix_and_hard_links_are_left_alone() {
    let dir = scratch("links");
    let data = sample(30_000);
    let f = write_file(&dir, "a.txt", &data);
    let o = run(&[s(&f)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    // `slz -d a.txt` decompresses a.txt.gz, as gzip does.
    let o = run(&["-d", s(&f)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(&dir), ["a.txt"]);
    assert_eq!(std::fs::read(&f).unwrap(), data);

    // A file with another name is not replaced (a warning); -k or -f do it.
    std::fs::hard_link(&f, dir.join("b.txt")).unwrap();
    let o = run(&[s(&f)], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("a.txt has 1 other link -- unchanged"),
        "{}",
        stderr(&o)
    );
    assert_eq!(names(&dir), ["a.txt", "b.txt"]);
    let o = run(&["-k", s(&f)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["-f", s(&dir.join("b.txt"))], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(&dir), ["a.txt", "a.txt.gz", "b.txt.gz"]);
    assert_eq!(std::fs::read(&f).unwrap(), data);
    std::fs::remove_dir_all(dir).unwrap();
}

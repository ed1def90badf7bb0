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
        let o = run(&[level, f.to_str().unwrap()], b"");
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
fn bad_flag_prints_usage_and_exits_2() {
    for args in [
        &["--bogus"][..],
        &["-x"],
        &["--format", "zip"],
        &["--chunk", "0"],
        &["--chunk", "lots"],
        &["--flush", "full"],
        &["--chunk"],
        &["a", "b"],
    ] {
        let o = run(args, b"");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
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

    let dir = scratch("dir-input");
    let o = run(&[dir.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
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
    assert!(
        !whole.contains("slz -0") && !whole.contains("per piece"),
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

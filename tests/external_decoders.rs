//! Decoders outside the Rust ecosystem: Python's `zlib` module (C zlib) for all three formats,
//! and GNU `gzip -t` / `gzip -dc` for gzip streams. A sample of streams (corpus files and
//! generated data; whole, 16 KiB + sync, 1 KiB + sync; levels 0 and 1) is written to a temporary
//! directory and checked by those programs. Missing programs are reported and skipped, or fail
//! the test under `SLZ_STRICT=1`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{compress_plan, corpus, even_plan, skip, web_like, Rng, LEVELS};
use slz::{Flush, Format};

struct Sample {
    name: String,
    format: Format,
    stream: PathBuf,
    original: PathBuf,
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slz-external-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the sample streams and their originals into `dir`.
fn write_samples(dir: &Path) -> Vec<Sample> {
    let mut inputs: Vec<(String, Vec<u8>)> = vec![
        ("web".into(), web_like(3, 300_000)),
        ("random".into(), Rng::new(4).bytes(100_000)),
        ("high-bytes".into(), Rng::new(5).bytes_in(70_000, 144, 255)),
        ("empty".into(), Vec::new()),
    ];
    let wanted = [
        "html",
        "alice29.txt",
        "kennedy.xls",
        "fireworks.jpeg",
        "ooffice",
    ];
    for f in corpus() {
        if wanted.contains(&f.name.as_str()) {
            let len = f.data.len().min(3 << 20);
            inputs.push((f.name.clone(), f.data[..len].to_vec()));
        }
    }
    let mut samples = Vec::new();
    for (name, data) in &inputs {
        let original = dir.join(format!("{name}.orig"));
        std::fs::write(&original, data).unwrap();
        for format in common::FORMATS {
            for level in LEVELS {
                let plans = [
                    ("whole", vec![(data.len(), Flush::Finish)]),
                    ("16k", even_plan(data.len(), 16384, Flush::Sync)),
                    ("1k", even_plan(data.len(), 1024, Flush::Sync)),
                ];
                for (plan_name, plan) in plans {
                    let stream = compress_plan(format, level, data, &plan);
                    let label = format!("{name}.{format:?}.l{}.{plan_name}", level.get());
                    let path = dir.join(&label);
                    std::fs::write(&path, &stream).unwrap();
                    samples.push(Sample {
                        name: label,
                        format,
                        stream: path,
                        original: original.clone(),
                    });
                }
            }
        }
    }
    samples
}

const PY_CHECK: &str = r#"
import sys, zlib
bad = 0
args = sys.argv[1:]
for i in range(0, len(args), 3):
    wbits = {"Gzip": 31, "Zlib": 15, "Deflate": -15}[args[i]]
    stream = open(args[i + 1], "rb").read()
    want = open(args[i + 2], "rb").read()
    d = zlib.decompressobj(wbits)
    got = d.decompress(stream) + d.flush()
    if not d.eof or d.unused_data or got != want:
        print("MISMATCH", args[i + 1], d.eof, len(d.unused_data), len(got), len(want))
        bad += 1
print("checked", len(args) // 3, "bad", bad)
sys.exit(1 if bad else 0)
"#;

fn have(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn python_zlib_decodes_every_format() {
    if !have("python3", "--version") {
        return skip("python3 is not installed");
    }
    let dir = temp_dir().join("py");
    std::fs::create_dir_all(&dir).unwrap();
    let samples = write_samples(&dir);
    let mut cmd = Command::new("python3");
    cmd.arg("-c").arg(PY_CHECK);
    for s in &samples {
        cmd.arg(format!("{:?}", s.format))
            .arg(&s.stream)
            .arg(&s.original);
    }
    let out = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    eprintln!("python3 zlib: {}", text.trim());
    assert!(
        out.status.success(),
        "Python's zlib rejected streams:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains(&format!("checked {} bad 0", samples.len())));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn gnu_gzip_tests_and_decodes_gzip_streams() {
    if !have("gzip", "--version") {
        return skip("gzip is not installed");
    }
    let dir = temp_dir().join("gzip");
    std::fs::create_dir_all(&dir).unwrap();
    let samples = write_samples(&dir);
    let mut checked = 0;
    for s in samples.iter().filter(|s| s.format == Format::Gzip) {
        let t = Command::new("gzip")
            .arg("-t")
            .arg(&s.stream)
            .output()
            .unwrap();
        assert!(
            t.status.success(),
            "gzip -t {}: {}",
            s.name,
            String::from_utf8_lossy(&t.stderr)
        );
        let d = Command::new("gzip")
            .arg("-dc")
            .arg(&s.stream)
            .output()
            .unwrap();
        assert!(d.status.success(), "gzip -dc {}", s.name);
        assert!(
            d.stdout == std::fs::read(&s.original).unwrap(),
            "gzip -dc {} decoded something else",
            s.name
        );
        checked += 1;
    }
    eprintln!("gzip: {checked} streams tested and decoded");
    assert!(checked > 0);
    std::fs::remove_dir_all(&dir).ok();
}

//! Builds the C tests in `tests/c/` with the system's C compiler against `include/slz.h`, links
//! them with the library cargo just built (`libslz_capi.a` as HAProxy links it, and
//! `libslz_capi.so`), runs them on corpus files and generated web-like data, and checks every
//! gzip stream they wrote with `gzip -t`.
//!
//! Needs `cc`, C zlib's header (`zlib1g-dev`) and `gzip`; without them the tests say so and
//! pass, unless `SLZ_STRICT` is set (as `.ci/run` does), which makes that a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The directory holding the `libslz_capi.a` and `.so` cargo built with this test: this test's
/// own directory (`target/<profile>/deps`, where `cargo test` leaves them), else its parent
/// (`target/<profile>`, where `cargo build` copies them), whichever has the newer archive.
fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let deps = exe.parent().expect("target/<profile>/deps").to_path_buf();
    let profile = deps.parent().expect("target/<profile>").to_path_buf();
    let modified = |dir: &Path| {
        std::fs::metadata(dir.join("libslz_capi.a"))
            .and_then(|m| m.modified())
            .ok()
    };
    match (modified(&deps), modified(&profile)) {
        (Some(d), Some(p)) if p > d => profile,
        (None, Some(_)) => profile,
        _ => deps,
    }
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn strict() -> bool {
    std::env::var_os("SLZ_STRICT").is_some()
}

/// A C compiler that can build against zlib, or `None` (after saying why) when it is missing.
fn compiler() -> Option<String> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let probe = std::env::temp_dir().join(format!("slz-capi-probe-{}.c", std::process::id()));
    std::fs::write(
        &probe,
        "#include <zlib.h>\nint main(void) { return zlibVersion()[0] == 0; }\n",
    )
    .unwrap();
    let out = Command::new(&cc)
        .arg(&probe)
        .arg("-lz")
        .arg("-o")
        .arg(probe.with_extension("out"))
        .output();
    let _ = std::fs::remove_file(&probe);
    let _ = std::fs::remove_file(probe.with_extension("out"));
    match out {
        Ok(o) if o.status.success() => Some(cc),
        other => {
            let why = match other {
                Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
                Err(e) => e.to_string(),
            };
            let msg = format!(
                "no C compiler with zlib ({cc}: {why}); install: apt-get install -y gcc zlib1g-dev"
            );
            assert!(!strict(), "SLZ_STRICT: {msg}");
            eprintln!("skipped: {msg}");
            None
        }
    }
}

/// Compiles `tests/c/<name>.c` into `dir`, linked statically or dynamically with slz-capi.
fn build(cc: &str, name: &str, dir: &Path, static_link: bool) -> PathBuf {
    let libs = lib_dir();
    let exe = dir.join(if static_link {
        name.to_string()
    } else {
        format!("{name}-dynamic")
    });
    let mut cmd = Command::new(cc);
    cmd.args(["-std=c99", "-O2", "-Wall", "-Wextra", "-Werror"])
        .arg("-I")
        .arg(manifest_dir().join("include"))
        .arg(manifest_dir().join("tests/c").join(format!("{name}.c")))
        .arg("-o")
        .arg(&exe);
    if static_link {
        // The Rust standard library's system dependencies (`rustc --print native-static-libs`).
        cmd.arg(libs.join("libslz_capi.a")).args([
            "-lz",
            "-lgcc_s",
            "-lutil",
            "-lrt",
            "-lpthread",
            "-lm",
            "-ldl",
            "-lc",
        ]);
    } else {
        cmd.arg("-L").arg(&libs).arg("-lslz_capi").arg("-lz");
        cmd.arg(format!("-Wl,-rpath,{}", libs.display()));
    }
    let out = cmd.output().expect("run the C compiler");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    exe
}

/// Corpus files when the corpus is there, and generated web-like files always.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let corpus = std::env::var_os("SLZ_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../../shared/corpus"));
    for name in [
        "canterbury/alice29.txt",
        "canterbury/kennedy.xls",
        "canterbury/ptt5",
        "snappy/html",
    ] {
        let path = corpus.join(name);
        if path.is_file() {
            files.push(path);
        }
    }
    assert!(
        !files.is_empty() || !strict(),
        "SLZ_STRICT: the corpus is not at {} (set SLZ_CORPUS)",
        corpus.display()
    );
    // An HTML-like page (repetitive markup with varying text), random bytes, and an empty file.
    let mut page = String::new();
    let mut x = 12345u32;
    for i in 0..6000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        page.push_str(&format!(
            "<li class=\"item-{}\"><a href=\"/p/{}\">Item {} of {}</a></li>\n",
            x % 17,
            x >> 8,
            i,
            x % 1000
        ));
    }
    let random: Vec<u8> = (0..150_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 ^ (i >> 7) as u8)
        .collect();
    for (name, data) in [
        ("page.html", page.into_bytes()),
        ("random.bin", random),
        ("empty", Vec::new()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, data).unwrap();
        files.push(path);
    }
    files
}

fn gzip_available() -> bool {
    let ok = Command::new("gzip")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok || !strict(),
        "SLZ_STRICT: gzip is missing (apt-get install -y gzip)"
    );
    ok
}

fn run_haproxy_pattern(static_link: bool) {
    let Some(cc) = compiler() else { return };
    let dir = std::env::temp_dir().join(format!(
        "slz-capi-c-{}-{}",
        std::process::id(),
        if static_link { "static" } else { "dynamic" }
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let out_dir = dir.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let exe = build(&cc, "haproxy_pattern", &dir, static_link);
    let files = inputs(&dir);
    let out = Command::new(&exe)
        .arg(&out_dir)
        .args(&files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.starts_with("ok "),
        "{} failed:\n{stdout}{}",
        exe.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{}: {}", exe.display(), stdout.trim());
    if gzip_available() {
        let mut streams: Vec<PathBuf> = std::fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        streams.sort();
        assert!(
            streams.len() >= 8 * files.len(),
            "{} gzip files",
            streams.len()
        );
        let out = Command::new("gzip")
            .arg("-t")
            .args(&streams)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "gzip -t: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn haproxy_call_pattern_in_c_statically_linked() {
    run_haproxy_pattern(true);
}

#[test]
fn haproxy_call_pattern_in_c_dynamically_linked() {
    run_haproxy_pattern(false);
}

//! Looks for ISA-L (`libisal`, Debian's `libisal-dev`) with pkg-config. When found, compiles the
//! small C shim `csrc/isal_shim.c` against its header and sets `cfg(slz_isal)`; when not, sets
//! `SLZ_ISAL_MISSING` to the reason, which `slz bench` prints instead of the igzip rows.
//!
//! Builds libslz, the C original, from the copy in HAProxy's source tarball (never copied into
//! this repository): extracts `src/slz.c` and its two headers into `OUT_DIR`, compiles them with
//! the shim `csrc/libslz_shim.c` and sets `cfg(slz_libslz)`; without the tarball, sets
//! `SLZ_LIBSLZ_MISSING` to the reason instead.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    dep_versions();
    println!("cargo:rerun-if-changed=build.rs");
    libslz();
    isal();
}

fn isal() {
    println!("cargo::rustc-check-cfg=cfg(slz_isal)");
    println!("cargo:rerun-if-changed=csrc/isal_shim.c");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    println!("cargo:rerun-if-env-changed=SLZ_NO_ISAL");
    // Build again once libisal-dev is installed: watch the .pc files' usual directories.
    for dir in [
        "/usr/lib/x86_64-linux-gnu/pkgconfig",
        "/usr/lib/aarch64-linux-gnu/pkgconfig",
        "/usr/lib/pkgconfig",
        "/usr/local/lib/pkgconfig",
        "/usr/share/pkgconfig",
    ] {
        if Path::new(dir).is_dir() {
            println!("cargo:rerun-if-changed={dir}");
        }
    }
    if std::env::var_os("SLZ_NO_ISAL").is_some() {
        missing("built with SLZ_NO_ISAL set");
        return;
    }
    let lib = match pkg_config::Config::new()
        .atleast_version("2.25")
        .cargo_metadata(false)
        .probe("libisal")
    {
        Ok(lib) => lib,
        Err(e) => {
            let first = e.to_string().lines().next().unwrap_or_default().to_string();
            missing(&format!("pkg-config found no libisal >= 2.25 ({first})"));
            return;
        }
    };
    let mut build = cc::Build::new();
    build.file("csrc/isal_shim.c").warnings(true);
    for dir in &lib.include_paths {
        build.include(dir);
    }
    if let Err(e) = build.try_compile("slz_isal_shim") {
        missing(&format!("the ISA-L shim did not compile: {e}"));
        return;
    }
    // After the shim's archive, so that the linker sees libisal after the shim that needs it.
    for dir in &lib.link_paths {
        println!("cargo:rustc-link-search=native={}", dir.display());
    }
    for name in &lib.libs {
        println!("cargo:rustc-link-lib={name}");
    }
    println!("cargo:rustc-cfg=slz_isal");
    println!("cargo:rustc-env=SLZ_ISAL_VERSION={}", lib.version);
}

/// The HAProxy source tarball holding libslz: `haproxy-X.Y.Z.tar.gz` in `$SLZ_THIRD_PARTY`, else
/// in `../shared/third_party` next to the workspace (the newest version when there are several).
fn find_haproxy_tarball() -> Result<(PathBuf, String), String> {
    let dir = match std::env::var_os("SLZ_THIRD_PARTY") {
        Some(d) => PathBuf::from(d),
        None => {
            let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
            Path::new(&manifest).join("../../shared/third_party")
        }
    };
    // Build again when the tarball appears or changes.
    if dir.is_dir() {
        println!("cargo:rerun-if-changed={}", dir.display());
    }
    let entries = std::fs::read_dir(&dir)
        .map_err(|e| format!("no directory {} ({e}); set SLZ_THIRD_PARTY", dir.display()))?;
    let mut best: Option<(Vec<u32>, PathBuf, String)> = None;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(version) = name
            .strip_prefix("haproxy-")
            .and_then(|n| n.strip_suffix(".tar.gz"))
        else {
            continue;
        };
        let Ok(key) = version
            .split('.')
            .map(str::parse::<u32>)
            .collect::<Result<Vec<u32>, _>>()
        else {
            continue;
        };
        let newer = match &best {
            Some((k, _, _)) => key > *k,
            None => true,
        };
        if newer {
            best = Some((key, entry.path(), version.to_string()));
        }
    }
    best.map(|(_, path, version)| (path, version))
        .ok_or_else(|| format!("no haproxy-X.Y.Z.tar.gz in {}", dir.display()))
}

/// The functions libslz exports, from its header: `long slz_rfc1952_encode(`, ... Each is
/// renamed `libslz_...` with `-D` so that this binary can never link libslz's function where
/// another crate exports the same name (slz's future C API uses libslz's names).
fn libslz_exports(header: &str) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for line in header.lines() {
        if line.starts_with("static") || line.starts_with('#') || line.starts_with(' ') {
            continue;
        }
        let Some(open) = line.find('(') else { continue };
        let Some(name) = line[..open].split_whitespace().last() else {
            continue;
        };
        let name = name.trim_start_matches('*');
        if name.starts_with("slz_") && !v.iter().any(|n| n == name) {
            v.push(name.to_string());
        }
    }
    v
}

fn libslz() {
    println!("cargo::rustc-check-cfg=cfg(slz_libslz)");
    println!("cargo:rerun-if-changed=csrc/libslz_shim.c");
    println!("cargo:rerun-if-env-changed=SLZ_THIRD_PARTY");
    println!("cargo:rerun-if-env-changed=SLZ_NO_LIBSLZ");
    if std::env::var_os("SLZ_NO_LIBSLZ").is_some() {
        libslz_missing("built with SLZ_NO_LIBSLZ set");
        return;
    }
    let (tarball, version) = match find_haproxy_tarball() {
        Ok(t) => t,
        Err(why) => {
            libslz_missing(&why);
            return;
        }
    };
    println!("cargo:rerun-if-changed={}", tarball.display());
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("libslz");
    let _ = std::fs::remove_dir_all(&out);
    if let Err(e) = std::fs::create_dir_all(&out) {
        libslz_missing(&format!("cannot create {}: {e}", out.display()));
        return;
    }
    let top = format!("haproxy-{version}");
    let files = [
        "src/slz.c",
        "include/import/slz.h",
        "include/import/slz-tables.h",
    ];
    // Only these three files, with HAProxy's layout kept: slz.c includes <import/slz.h>.
    let status = Command::new("tar")
        .arg("-xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(&out)
        .args(files.iter().map(|f| format!("{top}/{f}")))
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => {
            libslz_missing(&format!(
                "tar could not extract {files:?} from {} ({s})",
                tarball.display()
            ));
            return;
        }
        Err(e) => {
            libslz_missing(&format!("could not run tar: {e}"));
            return;
        }
    }
    let root = out.join(&top);
    let header = std::fs::read_to_string(root.join("include/import/slz.h")).unwrap_or_default();
    let exports = libslz_exports(&header);
    if !exports.iter().any(|n| n == "slz_rfc1952_encode") {
        libslz_missing("slz.h declares no slz_rfc1952_encode");
        return;
    }
    let mut build = cc::Build::new();
    build
        .file(root.join("src/slz.c"))
        .file("csrc/libslz_shim.c")
        .include(root.join("include"))
        // As HAProxy's Makefile builds it: OPT_CFLAGS = -O2, STD_CFLAGS = -fwrapv (or
        // -fno-strict-overflow) and -fvect-cost-model=very-cheap where the compiler has them.
        .opt_level(2)
        .flag_if_supported("-fwrapv")
        .flag_if_supported("-fvect-cost-model=very-cheap")
        // One archive for both, so the linker always takes slz.c's object (and its constructor,
        // which fills the CRC and distance tables) with the shim that calls it. The warnings of
        // the third-party file are HAProxy's business; the shim is kept clean of
        // `-Wall -Wextra` warnings by hand.
        .warnings(false);
    for name in &exports {
        build.define(name, Some(format!("lib{name}").as_str()));
    }
    if let Err(e) = build.try_compile("slz_libslz") {
        libslz_missing(&format!("libslz did not compile: {e}"));
        return;
    }
    println!("cargo:rustc-cfg=slz_libslz");
    println!("cargo:rustc-env=SLZ_LIBSLZ_VERSION={version}");
}

fn libslz_missing(why: &str) {
    println!("cargo:warning=libslz left out of `slz bench`: {why}");
    println!("cargo:rustc-env=SLZ_LIBSLZ_MISSING={why}");
}

fn missing(why: &str) {
    println!("cargo:warning=ISA-L igzip left out of `slz bench`: {why}");
    println!("cargo:rustc-env=SLZ_ISAL_MISSING={why}");
}

/// Passes the versions of the comparison crates, from the workspace's Cargo.lock, to the report
/// header as `SLZ_DEP_VERSIONS` ("flate2 1.1.11,zlib-rs 0.6.8,...").
fn dep_versions() {
    println!("cargo:rerun-if-changed=../Cargo.lock");
    let lock = std::fs::read_to_string("../Cargo.lock").unwrap_or_default();
    let wanted = [
        "flate2",
        "zlib-rs",
        "miniz_oxide",
        "libz-sys",
        "libz-ng-sys",
        "libdeflater",
        "libdeflate-sys",
        "plotters",
    ];
    let mut found = Vec::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_string());
        } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), name.take()) {
            if wanted.contains(&n.as_str()) {
                found.push(format!("{n} {}", v.trim_matches('"')));
            }
        }
    }
    println!("cargo:rustc-env=SLZ_DEP_VERSIONS={}", found.join(","));
}

//! Looks for ISA-L (`libisal`, Debian's `libisal-dev`) with pkg-config. When found, compiles the
//! small C shim `csrc/isal_shim.c` against its header and sets `cfg(slz_isal)`; when not, sets
//! `SLZ_ISAL_MISSING` to the reason, which `slz bench` prints instead of the igzip rows.

use std::path::Path;

fn main() {
    dep_versions();
    println!("cargo::rustc-check-cfg=cfg(slz_isal)");
    println!("cargo:rerun-if-changed=build.rs");
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

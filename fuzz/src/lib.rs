//! Fuzz targets for `slz` (see `README.md`). Each target is a `run(&[u8])` function here, so the
//! same code runs under libFuzzer (`fuzz_targets/`) and in the plain unit tests below.

pub mod blocks;
pub mod check;
pub mod checksum;
pub mod gen;
pub mod oneshot;
pub mod stream;

#[cfg(test)]
mod tests {
    /// Every seed of every target runs clean (also a quick check without libFuzzer).
    #[test]
    fn seeds_pass() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        type Run = fn(&[u8]);
        let targets: [(&str, Run); 4] = [
            ("stream", crate::stream::run),
            ("oneshot", crate::oneshot::run),
            ("checksum", crate::checksum::run),
            ("blocks", crate::blocks::run),
        ];
        for (name, run) in targets {
            let mut n = 0;
            for entry in std::fs::read_dir(root.join(name)).unwrap() {
                let path = entry.unwrap().path();
                run(&std::fs::read(&path).unwrap());
                n += 1;
            }
            assert!(n > 0, "no seeds for {name}");
        }
    }
}

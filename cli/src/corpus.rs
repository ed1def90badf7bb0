//! Which files the benchmark reads: the paths given, `$SLZ_CORPUS`, `../shared/corpus`, or the
//! generated sample.

use std::path::{Path, PathBuf};

use crate::sample;
use crate::{io_msg, Failure};

/// One input of the benchmark, held in memory.
pub struct InputFile {
    /// The name of the directory the file is in (`silesia`, `snappy`, ...).
    pub group: String,
    pub name: String,
    pub data: Vec<u8>,
}

pub struct Inputs {
    /// Says where the files came from, for the first line of the report.
    pub source: String,
    pub files: Vec<InputFile>,
}

/// Bytes per group (HTML, JSON, logs) of the generated sample: about 4 MB in all.
const SAMPLE_BYTES_PER_GROUP: usize = 1400 * 1024;

/// Groups of the shared corpus left out of a default run: `artificial` holds edge cases (one
/// byte, 100 000 'a's, random bytes) whose speeds say little about real data.
const EXCLUDED_BY_DEFAULT: &[&str] = &["artificial"];

pub fn load(paths: &[PathBuf]) -> Result<Inputs, Failure> {
    if !paths.is_empty() {
        let mut files = Vec::new();
        for p in paths {
            walk(p, &mut files, &[])?;
        }
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return finish(format!("files: {}", shown.join(" ")), files);
    }
    if let Some(dir) = std::env::var_os("SLZ_CORPUS").filter(|v| !v.is_empty()) {
        let dir = PathBuf::from(dir);
        let mut files = Vec::new();
        walk(&dir, &mut files, EXCLUDED_BY_DEFAULT).map_err(|e| with_context(e, "$SLZ_CORPUS"))?;
        return finish(corpus_note("$SLZ_CORPUS", &dir), files);
    }
    let dir = Path::new("../shared/corpus");
    if dir.is_dir() {
        let mut files = Vec::new();
        walk(dir, &mut files, EXCLUDED_BY_DEFAULT)?;
        return finish(corpus_note("../shared/corpus", dir), files);
    }
    let files = sample::generate(SAMPLE_BYTES_PER_GROUP)
        .into_iter()
        .map(|f| InputFile {
            group: f.group.to_string(),
            name: f.name,
            data: f.data,
        })
        .collect();
    finish(
        "generated sample of web-like data (HTML, JSON, access logs; no $SLZ_CORPUS and no \
         ../shared/corpus)"
            .to_string(),
        files,
    )
}

fn corpus_note(how: &str, dir: &Path) -> String {
    let shown = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    format!(
        "corpus {} ({how}; all groups but {}; README.md skipped)",
        shown.display(),
        EXCLUDED_BY_DEFAULT.join(", ")
    )
}

fn with_context(f: Failure, what: &str) -> Failure {
    match f {
        Failure::Message(m) => Failure::Message(format!("{what}: {m}")),
        other => other,
    }
}

fn finish(source: String, files: Vec<InputFile>) -> Result<Inputs, Failure> {
    if files.is_empty() {
        return Err(Failure::Message(format!(
            "no files to benchmark in {source}"
        )));
    }
    Ok(Inputs { source, files })
}

/// Adds `path` (a file, or a directory walked recursively in name order) to `files`. Inside
/// directories, README.md files and top-level subdirectories named in `exclude` are skipped.
fn walk(path: &Path, files: &mut Vec<InputFile>, exclude: &[&str]) -> Result<(), Failure> {
    let shown = path.display();
    let meta = std::fs::metadata(path)
        .map_err(|e| Failure::Message(format!("{shown}: {}", io_msg(&e))))?;
    if meta.is_file() {
        let data = std::fs::read(path)
            .map_err(|e| Failure::Message(format!("{shown}: {}", io_msg(&e))))?;
        let group = path
            .canonicalize()
            .ok()
            .and_then(|p| {
                p.parent()
                    .and_then(|d| d.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| ".".to_string());
        files.push(InputFile {
            group,
            name: path.display().to_string(),
            data,
        });
        return Ok(());
    }
    if !meta.is_dir() {
        return Err(Failure::Message(format!(
            "{shown}: not a file or a directory"
        )));
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .and_then(|rd| rd.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>())
        .map_err(|e| Failure::Message(format!("{shown}: {}", io_msg(&e))))?;
    entries.sort();
    for entry in entries {
        let name = entry
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name == "README.md" || name.starts_with('.') {
            continue;
        }
        if entry.is_dir() && exclude.contains(&name.as_str()) {
            continue;
        }
        walk(&entry, files, &[])?;
    }
    Ok(())
}

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

/// `--data web`: the web validation corpus made by `tools/web_corpus.py` in
/// `target/web-corpus` of the repository this binary was built from (made first if missing);
/// `--data DIR`: any directory. Either way the groups are DIR's subdirectories (files in
/// deeper directories belong to their top-level subdirectory's group).
pub fn load_data(data: &str) -> Result<Inputs, Failure> {
    let (dir, how) = if data == "web" {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let repo = repo.canonicalize().unwrap_or(repo);
        let dir = repo.join("target").join("web-corpus");
        if !dir.is_dir() {
            make_web_corpus(&repo, &dir)?;
        }
        (dir, "web validation corpus, tools/web_corpus.py")
    } else {
        (PathBuf::from(data), "--data")
    };
    let shown = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .and_then(|rd| rd.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>())
        .map_err(|e| Failure::Message(format!("{}: {}", dir.display(), io_msg(&e))))?;
    entries.sort();
    let mut files = Vec::new();
    for entry in entries {
        let name = entry
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name == "README.md" || name.starts_with('.') {
            continue;
        }
        let first = files.len();
        walk(&entry, &mut files, &[])?;
        if entry.is_dir() {
            for f in &mut files[first..] {
                f.group.clone_from(&name);
            }
        }
    }
    finish(format!("data {} ({how})", shown.display()), files)
}

/// Runs `python3 tools/web_corpus.py --out DIR` from the repository.
fn make_web_corpus(repo: &Path, dir: &Path) -> Result<(), Failure> {
    let script = repo.join("tools").join("web_corpus.py");
    if !script.is_file() {
        return Err(Failure::Message(format!(
            "--data web: {} is missing, so the web corpus cannot be made in {}",
            script.display(),
            dir.display()
        )));
    }
    eprintln!(
        "slz bench: making the web corpus: python3 {} --out {}",
        script.display(),
        dir.display()
    );
    let status = std::process::Command::new("python3")
        .arg(&script)
        .arg("--out")
        .arg(dir)
        .current_dir(repo)
        .stdin(std::process::Stdio::null())
        .status()
        .map_err(|e| {
            Failure::Message(if e.kind() == std::io::ErrorKind::NotFound {
                "--data web needs python3 to run tools/web_corpus.py, and there is no python3 on \
                 PATH (Debian: apt-get install python3)"
                    .to_string()
            } else {
                format!("--data web: cannot run python3: {}", io_msg(&e))
            })
        })?;
    if !status.success() || !dir.is_dir() {
        return Err(Failure::Message(format!(
            "--data web: python3 {} --out {} failed ({status})",
            script.display(),
            dir.display()
        )));
    }
    Ok(())
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

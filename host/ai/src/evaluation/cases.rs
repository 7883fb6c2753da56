//! Reading cases: a folder of folders, each with `DESCRIPTION.md` (leading headings dropped) and
//! an optional `probes` file; folders without a `DESCRIPTION.md` are not cases (so `examples/`
//! reads as its ten demos).

use std::fs;
use std::path::{Path, PathBuf};

use crate::probe::{parse_probes, Probe, ProbeOrigin};

/// One case.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The case's folder name.
    pub name: String,
    /// The description (DESCRIPTION.md without its leading headings).
    pub description: String,
    /// Probes the image must answer (the `probes` file).
    pub probes: Vec<Probe>,
    /// The case's folder.
    pub folder: PathBuf,
}

/// Why the cases could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvaluationError {
    /// the folder could not be read
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// a probes file has a bad line
    #[error("{}: line {line}: {message}", path.display())]
    Probes {
        /// The probes file.
        path: PathBuf,
        /// The line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// no case was found
    #[error("{} holds no case (a folder with a DESCRIPTION.md)", .0.display())]
    Empty(PathBuf),
}

/// The cases under `folder` (or `folder` itself when it holds a DESCRIPTION.md), by name.
pub fn load_cases(folder: &Path) -> Result<Vec<Case>, EvaluationError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| EvaluationError::Io { path, source }
    };
    if folder.join("DESCRIPTION.md").is_file() {
        return Ok(vec![load_case(folder)?]);
    }
    let mut folders: Vec<PathBuf> = fs::read_dir(folder)
        .map_err(io(folder))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("DESCRIPTION.md").is_file())
        .collect();
    folders.sort();
    if folders.is_empty() {
        return Err(EvaluationError::Empty(folder.to_owned()));
    }
    folders.iter().map(|case| load_case(case)).collect()
}

fn load_case(folder: &Path) -> Result<Case, EvaluationError> {
    let path = folder.join("DESCRIPTION.md");
    let text = fs::read_to_string(&path).map_err(|source| EvaluationError::Io {
        path: path.clone(),
        source,
    })?;
    let description = text
        .lines()
        .skip_while(|line| line.trim().is_empty() || line.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned();
    let probes_path = folder.join("probes");
    let probes = match fs::read_to_string(&probes_path) {
        Ok(text) => {
            let (probes, errors) = parse_probes(&text, ProbeOrigin::Expected);
            if let Some((line, error)) = errors.into_iter().next() {
                return Err(EvaluationError::Probes {
                    path: probes_path,
                    line,
                    message: error.to_string(),
                });
            }
            probes
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(source) => {
            return Err(EvaluationError::Io {
                path: probes_path,
                source,
            })
        }
    };
    let name = folder
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Case {
        name,
        description,
        probes,
        folder: folder.to_owned(),
    })
}

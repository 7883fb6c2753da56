//! Writing project files to disk without following symbolic links, and moving a finished project
//! into the user's folder: a new folder appears whole (one `rename`), an existing one gets each
//! file replaced atomically, and nothing is overwritten unless the caller allows it.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{ProjectFiles, ProjectPath};

/// How [`install`] may change the destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstallMode {
    /// A new project: the destination must not exist or be an empty folder, unless
    /// `overwrite` allows replacing files in an existing one.
    NewProject {
        /// Replace files that already exist in a non-empty destination.
        overwrite: bool,
    },
    /// Changes to an existing project (`fix`): the destination must be a folder.
    Update {
        /// Replace files that exist with different contents.
        overwrite: bool,
    },
}

/// What [`install`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Installed {
    /// The destination folder.
    pub folder: PathBuf,
    /// Files that did not exist before.
    pub created: Vec<ProjectPath>,
    /// Files whose contents were replaced.
    pub replaced: Vec<ProjectPath>,
}

/// Why files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// a path component is a symbolic link; refusing to follow it
    #[error("{} is a symbolic link; refusing to write through it", .0.display())]
    SymbolicLink(PathBuf),
    /// files exist already
    #[error("{} already exist{}; allow overwriting to replace {}", list(.0), if .0.len() == 1 { "s" } else { "" }, if .0.len() == 1 { "it" } else { "them" })]
    Exists(Vec<PathBuf>),
    /// the destination is not a folder
    #[error("{} is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// a file operation failed
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|path| path.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> InstallError + '_ {
    move |source| InstallError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Writes every file into `folder` (which must exist), replacing files already there; refuses
/// when any component below `folder` is a symbolic link.
pub fn write_files(folder: &Path, files: &ProjectFiles) -> Result<(), InstallError> {
    for (path, contents) in files.iter() {
        let destination = prepare_parents(folder, path)?;
        match fs::symlink_metadata(&destination) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Err(InstallError::SymbolicLink(destination))
            }
            Ok(metadata) if metadata.is_dir() => {
                return Err(InstallError::Exists(vec![destination]))
            }
            Ok(_) => fs::remove_file(&destination).map_err(io_error(&destination))?,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(io_error(&destination)(error)),
        }
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&destination)
            .map_err(io_error(&destination))?;
        file.write_all(contents).map_err(io_error(&destination))?;
    }
    Ok(())
}

/// Creates the folders leading to `path` inside `folder`, refusing symbolic links; returns the
/// file's full path.
fn prepare_parents(folder: &Path, path: &ProjectPath) -> Result<PathBuf, InstallError> {
    let relative = path.to_relative_path();
    let mut current = folder.to_owned();
    let components: Vec<_> = relative.components().collect();
    let Some((_, parents)) = components.split_last() else {
        return Ok(current);
    };
    for component in parents {
        current.push(component);
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Err(InstallError::SymbolicLink(current))
            }
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => return Err(InstallError::NotAFolder(current)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                fs::create_dir(&current).map_err(io_error(&current))?
            }
            Err(error) => return Err(io_error(&current)(error)),
        }
    }
    Ok(folder.join(relative))
}

/// Moves `files` into `destination` as `mode` allows.
pub fn install(
    files: &ProjectFiles,
    destination: &Path,
    mode: InstallMode,
) -> Result<Installed, InstallError> {
    match fs::symlink_metadata(destination) {
        Ok(metadata) if metadata.file_type().is_symlink() => {
            Err(InstallError::SymbolicLink(destination.to_owned()))
        }
        Ok(metadata) if !metadata.is_dir() => Err(InstallError::NotAFolder(destination.to_owned())),
        Ok(_) => {
            let empty = fs::read_dir(destination)
                .map_err(io_error(destination))?
                .next()
                .is_none();
            match mode {
                InstallMode::NewProject { .. } if empty => install_whole(files, destination),
                InstallMode::NewProject { overwrite } | InstallMode::Update { overwrite } => {
                    install_each(files, destination, overwrite)
                }
            }
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => match mode {
            InstallMode::NewProject { .. } => install_whole(files, destination),
            InstallMode::Update { .. } => Err(InstallError::NotAFolder(destination.to_owned())),
        },
        Err(error) => Err(io_error(destination)(error)),
    }
}

/// Writes everything into a staging folder beside `destination`, then renames it into place.
fn install_whole(files: &ProjectFiles, destination: &Path) -> Result<Installed, InstallError> {
    let parent = match destination.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = destination
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.sauce-new-"))
        .tempdir_in(&parent)
        .map_err(io_error(&parent))?;
    write_files(staging.path(), files)?;
    // rename(2) replaces an empty folder and fails on a non-empty one, so a folder created
    // meanwhile is never clobbered.
    fs::rename(staging.path(), destination).map_err(io_error(destination))?;
    // The staging folder now is the destination: nothing is left to remove.
    let _ = staging.keep();
    Ok(Installed {
        folder: destination.to_owned(),
        created: files.paths().cloned().collect(),
        replaced: Vec::new(),
    })
}

/// Replaces file by file: every file is written to a temporary name in its own folder, then
/// renamed over its final name, after every check has passed.
fn install_each(
    files: &ProjectFiles,
    destination: &Path,
    overwrite: bool,
) -> Result<Installed, InstallError> {
    let mut installed = Installed {
        folder: destination.to_owned(),
        ..Installed::default()
    };
    let mut conflicts = Vec::new();
    let mut writes = Vec::new();
    for (path, contents) in files.iter() {
        check_parents(destination, path)?;
        let target = path.inside(destination);
        match fs::symlink_metadata(&target) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Err(InstallError::SymbolicLink(target))
            }
            Ok(metadata) if metadata.is_dir() => return Err(InstallError::Exists(vec![target])),
            Ok(_) => {
                if fs::read(&target).map_err(io_error(&target))? == contents {
                    continue;
                }
                if !overwrite {
                    conflicts.push(target);
                    continue;
                }
                installed.replaced.push(path.clone());
                writes.push((path, contents));
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                installed.created.push(path.clone());
                writes.push((path, contents));
            }
            Err(error) => return Err(io_error(&target)(error)),
        }
    }
    if !conflicts.is_empty() {
        return Err(InstallError::Exists(conflicts));
    }
    let mut staged = Vec::new();
    let result = (|| {
        for (path, contents) in &writes {
            let target = prepare_parents(destination, path)?;
            let folder = target.parent().unwrap_or(destination).to_owned();
            let mut temporary = tempfile::Builder::new()
                .prefix(".sauce-ai-")
                .tempfile_in(&folder)
                .map_err(io_error(&folder))?;
            temporary.write_all(contents).map_err(io_error(&target))?;
            staged.push((temporary, target));
        }
        for (temporary, target) in staged.drain(..) {
            temporary
                .persist(&target)
                .map_err(|error| io_error(&target)(error.error))?;
        }
        Ok(())
    })();
    result.map(|()| installed)
}

/// Refuses when a folder on the way to `path` inside `destination` is a symbolic link.
fn check_parents(destination: &Path, path: &ProjectPath) -> Result<(), InstallError> {
    let mut current = destination.to_owned();
    let relative = path.to_relative_path();
    let components: Vec<_> = relative.components().collect();
    let Some((_, parents)) = components.split_last() else {
        return Ok(());
    };
    for component in parents {
        current.push(component);
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Err(InstallError::SymbolicLink(current))
            }
            Ok(metadata) if !metadata.is_dir() => return Err(InstallError::NotAFolder(current)),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;

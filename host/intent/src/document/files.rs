//! `file` and `dir` paths: relative to the project folder, existing, of the right kind, readable,
//! and inside the project folder once `..` and symbolic links are resolved.

use std::collections::HashSet;
use std::fs;
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

use super::route_path::Problem;

/// What a path must name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Wanted {
    /// A regular file (`file = …`).
    File,
    /// A folder (`dir = …`).
    Folder,
}

/// The canonical path `written` names inside `project`, or why it cannot be embedded.
pub(super) fn resolve(project: &Path, written: &str, wanted: Wanted) -> Result<PathBuf, Problem> {
    let relative_hint = || "paths are relative to the folder holding sauce.toml".to_owned();
    if written.is_empty() {
        return Err(("the path is empty".to_owned(), relative_hint()));
    }
    if Path::new(written).is_absolute() {
        let message = format!("`{written}` is an absolute path");
        return Err((
            message,
            "write it relative to the folder holding sauce.toml, which it must be inside"
                .to_owned(),
        ));
    }
    let joined = project.join(written);
    let resolved = match joined.canonicalize() {
        Ok(resolved) => resolved,
        Err(error) if error.kind() == ErrorKind::NotFound => {
            let message = if joined.symlink_metadata().is_ok() {
                format!("`{written}` is a symbolic link to something that does not exist")
            } else {
                format!("`{written}` does not exist")
            };
            return Err((message, relative_hint()));
        }
        Err(error) => {
            return Err((
                format!("cannot read `{written}`: {error}"),
                "check its permissions".to_owned(),
            ))
        }
    };
    let project = project.canonicalize().unwrap_or_default();
    let inside = !project.as_os_str().is_empty() && resolved.starts_with(&project);
    if !inside {
        let climbs = Path::new(written)
            .components()
            .any(|component| component == Component::ParentDir);
        let message = if climbs {
            format!("`{written}` is outside the project folder")
        } else {
            format!("`{written}` leads outside the project folder through a symbolic link")
        };
        let hint =
            "only what is inside the folder holding sauce.toml is embedded; move or copy it there";
        return Err((message, hint.to_owned()));
    }
    if let Some(problem) = kind_problem(written, &resolved, wanted) {
        return Err(problem);
    }
    match wanted {
        Wanted::Folder => escaping_entry(&resolved, written).map_or(Ok(resolved), Err),
        Wanted::File => Ok(resolved),
    }
}

/// The first entry of `folder` (written as `written`), at any depth, that a symbolic link leads
/// outside `folder` itself or nowhere: everything in a `dir` is embedded and served, so a link
/// must not reach beyond it (not even to the rest of the project, such as sauce.toml).
fn escaping_entry(folder: &Path, written: &str) -> Option<Problem> {
    let mut visited = HashSet::from([folder.to_path_buf()]);
    let mut pending = vec![(
        folder.to_path_buf(),
        written.trim_end_matches('/').to_owned(),
    )];
    while let Some((current, shown)) = pending.pop() {
        let mut entries: Vec<PathBuf> = match fs::read_dir(&current) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .collect(),
            Err(error) => {
                return Some((
                    format!("cannot read `{shown}`: {error}"),
                    "check its permissions".to_owned(),
                ))
            }
        };
        entries.sort();
        for entry in entries.into_iter().rev() {
            let name = entry.file_name().unwrap_or_default().to_string_lossy();
            let entry_shown = format!("{shown}/{name}");
            let hint = "everything in a `dir` folder is embedded: remove the link, or copy what it points to into the folder";
            let target = match entry.canonicalize() {
                Ok(target) => target,
                Err(error) if error.kind() == ErrorKind::NotFound => {
                    let message = format!(
                        "`{entry_shown}` is a symbolic link to something that does not exist"
                    );
                    return Some((message, hint.to_owned()));
                }
                Err(error) => {
                    return Some((
                        format!("cannot read `{entry_shown}`: {error}"),
                        "check its permissions".to_owned(),
                    ))
                }
            };
            if !target.starts_with(folder) {
                let message = format!(
                    "`{entry_shown}` leads outside the `dir` folder `{}` through a symbolic link",
                    written.trim_end_matches('/')
                );
                return Some((message, hint.to_owned()));
            }
            if target.is_dir() && visited.insert(target.clone()) {
                pending.push((target, entry_shown));
            }
        }
    }
    None
}

/// Why the existing `resolved` (written as `written`) is not a readable `wanted`, if it is not.
fn kind_problem(written: &str, resolved: &Path, wanted: Wanted) -> Option<Problem> {
    let metadata = match fs::metadata(resolved) {
        Ok(metadata) => metadata,
        Err(error) => {
            return Some((
                format!("cannot read `{written}`: {error}"),
                "check its permissions".to_owned(),
            ))
        }
    };
    let problem = match wanted {
        Wanted::File if metadata.is_dir() => (
            format!("`{written}` is a folder, not a file"),
            format!("serve a folder with `dir = \"{written}\"` on a path ending in `/*`"),
        ),
        Wanted::File if !metadata.is_file() => (
            format!("`{written}` is not a regular file"),
            "serve a regular file; devices, sockets and pipes cannot be embedded".to_owned(),
        ),
        Wanted::File => {
            let error = fs::File::open(resolved).err()?;
            (
                format!("cannot read `{written}`: {error}"),
                "check its permissions".to_owned(),
            )
        }
        Wanted::Folder if !metadata.is_dir() => (
            format!("`{written}` is not a folder"),
            format!("serve one file with `file = \"{written}\"`"),
        ),
        Wanted::Folder => {
            let error = fs::read_dir(resolved).err()?;
            (
                format!("cannot read `{written}`: {error}"),
                "check its permissions".to_owned(),
            )
        }
    };
    Some(problem)
}

/// The file a folder route with prefix `prefix` serving `folder` answers for the exact path
/// `path`, if that file exists: the rest of the path, or `index.html` for a path ending in `/`.
pub(super) fn served_by_folder(path: &str, prefix: &str, folder: &Path) -> Option<PathBuf> {
    let rest = path.strip_prefix(prefix)?;
    let name = if rest.is_empty() || rest.ends_with('/') {
        format!("{rest}index.html")
    } else {
        rest.to_owned()
    };
    let candidate = folder.join(name).canonicalize().ok()?;
    (candidate.starts_with(folder) && candidate.is_file()).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Project(PathBuf);

    impl Project {
        fn new(test: &str) -> Self {
            let root = std::env::temp_dir()
                .join(format!("sauce-intent-files-{}-{test}", std::process::id()));
            let _ = fs::remove_dir_all(&root);
            fs::create_dir_all(root.join("project/public/docs")).unwrap();
            fs::write(root.join("project/public/index.html"), "<h1>hi</h1>").unwrap();
            fs::write(root.join("project/public/docs/index.html"), "docs").unwrap();
            fs::write(root.join("secret.txt"), "outside").unwrap();
            std::os::unix::fs::symlink("../secret.txt", root.join("project/escape.txt")).unwrap();
            std::os::unix::fs::symlink("missing.txt", root.join("project/dangling.txt")).unwrap();
            fs::create_dir_all(root.join("project/leaky/deep")).unwrap();
            std::os::unix::fs::symlink(
                "../../../secret.txt",
                root.join("project/leaky/deep/secret.txt"),
            )
            .unwrap();
            std::os::unix::fs::symlink("..", root.join("project/leaky/deep/loop")).unwrap();
            std::os::unix::fs::symlink("../public", root.join("project/leaky/public")).unwrap();
            fs::write(root.join("project/sauce.toml"), "[app]\nname = \"x\"\n").unwrap();
            fs::create_dir_all(root.join("project/exposed/inner")).unwrap();
            fs::write(root.join("project/exposed/page.html"), "page").unwrap();
            std::os::unix::fs::symlink(
                "../page.html",
                root.join("project/exposed/inner/same.html"),
            )
            .unwrap();
            std::os::unix::fs::symlink("../sauce.toml", root.join("project/exposed/config.toml"))
                .unwrap();
            Self(root)
        }

        fn folder(&self) -> PathBuf {
            self.0.join("project")
        }

        fn problem(&self, written: &str, wanted: Wanted) -> String {
            resolve(&self.folder(), written, wanted).unwrap_err().0
        }
    }

    impl Drop for Project {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn resolves_files_and_folders_inside_the_project() {
        let project = Project::new("inside");
        let canonical = project.folder().canonicalize().unwrap();
        let file = resolve(
            &project.folder(),
            "public/../public/index.html",
            Wanted::File,
        )
        .unwrap();
        assert_eq!(file, canonical.join("public/index.html"));
        let folder = resolve(&project.folder(), "public", Wanted::Folder).unwrap();
        assert_eq!(folder, canonical.join("public"));
    }

    #[test]
    fn rejects_escapes_and_wrong_kinds() {
        let project = Project::new("escapes");
        assert_eq!(
            project.problem("../secret.txt", Wanted::File),
            "`../secret.txt` is outside the project folder"
        );
        assert_eq!(
            project.problem("escape.txt", Wanted::File),
            "`escape.txt` leads outside the project folder through a symbolic link"
        );
        assert_eq!(
            project.problem("dangling.txt", Wanted::File),
            "`dangling.txt` is a symbolic link to something that does not exist"
        );
        assert_eq!(
            project.problem("nope.txt", Wanted::File),
            "`nope.txt` does not exist"
        );
        assert_eq!(
            project.problem("/etc/hostname", Wanted::File),
            "`/etc/hostname` is an absolute path"
        );
        assert_eq!(
            project.problem("public", Wanted::File),
            "`public` is a folder, not a file"
        );
        assert_eq!(
            project.problem("public/index.html", Wanted::Folder),
            "`public/index.html` is not a folder"
        );
        assert_eq!(project.problem("", Wanted::Folder), "the path is empty");
        assert_eq!(
            project.problem("leaky/", Wanted::Folder),
            "`leaky/public` leads outside the `dir` folder `leaky` through a symbolic link"
        );
        // A link to the project's own sauce.toml is outside the `dir` folder too.
        assert_eq!(
            project.problem("exposed", Wanted::Folder),
            "`exposed/config.toml` leads outside the `dir` folder `exposed` through a symbolic link"
        );
    }

    #[test]
    fn finds_files_a_folder_route_serves() {
        let project = Project::new("served");
        let public = project.folder().join("public").canonicalize().unwrap();
        assert!(served_by_folder("/static/index.html", "/static/", &public).is_some());
        assert!(served_by_folder("/static/", "/static/", &public).is_some());
        assert!(served_by_folder("/static/docs/", "/static/", &public).is_some());
        assert!(served_by_folder("/static/docs", "/static/", &public).is_none());
        assert!(served_by_folder("/static/missing.css", "/static/", &public).is_none());
        assert!(served_by_folder("/other/index.html", "/static/", &public).is_none());
    }
}

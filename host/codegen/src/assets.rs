//! Files that `file` and `dir` routes embed: found, ordered, measured and fingerprinted at
//! generation time, so the image carries each file's type, length, ETag, `Last-Modified`
//! and gzip copy as constants.

pub mod compression;
pub mod modified;

use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// One file to embed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asset {
    /// Its path below the route's folder, with `/` separators: `css/site.css`.
    pub relative_path: String,
    /// Its absolute path, for `include_bytes!`.
    pub absolute_path: PathBuf,
    /// Its `Content-Type`, from its extension.
    pub content_type: &'static str,
    /// Its length in bytes.
    pub length: u64,
    /// Its `ETag`, quotes included: the first 16 hex digits of its SHA-256.
    pub etag: String,
    /// Its `Last-Modified`, an IMF-fixdate ([`modified::last_modified`]).
    pub last_modified: Option<String>,
    /// Its gzip copy, when worth keeping ([`compression::gzip_copy`]).
    pub gzip: Option<Vec<u8>>,
}

impl Asset {
    /// The `ETag` of the gzip copy: the file's with `-gzip` inside the quotes.
    pub fn gzip_etag(&self) -> String {
        format!("{}-gzip\"", self.etag.trim_end_matches('"'))
    }
}

/// Why files could not be embedded.
#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    /// A file or folder could not be read.
    #[error("cannot read `{}`: {source}", .path.display())]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// A file's name is not UTF-8, so no URL can name it.
    #[error("`{}` has a name that is not UTF-8; rename it", .path.display())]
    NotUnicode {
        /// The file.
        path: PathBuf,
    },
    /// A link inside a `dir` folder points outside that folder.
    #[error("`{}` leads outside the `dir` folder `{}`; copy the file in instead of linking it", .path.display(), .folder.display())]
    OutsideFolder {
        /// The link.
        path: PathBuf,
        /// The `dir` folder.
        folder: PathBuf,
    },
}

/// The asset for one file.
pub fn file(path: &Path, relative_path: String) -> Result<Asset, AssetError> {
    let read_error = |source| AssetError::Read {
        path: path.to_path_buf(),
        source,
    };
    let bytes = std::fs::read(path).map_err(read_error)?;
    let modified_at = std::fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .map_err(read_error)?;
    let content_type = sauce_intent::content_type_for(path);
    let digest = Sha256::digest(&bytes);
    let hex: String = digest
        .iter()
        .take(8)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    Ok(Asset {
        relative_path,
        absolute_path: path.to_path_buf(),
        content_type,
        length: bytes.len() as u64,
        etag: format!("\"{hex}\""),
        last_modified: modified::last_modified(
            modified_at,
            modified::source_date_epoch(),
            std::time::SystemTime::now(),
        ),
        gzip: compression::gzip_copy(content_type, &bytes),
    })
}

/// Every file under `folder` (recursively, links followed while they stay inside `folder`),
/// sorted by relative path. Names starting with `.` are skipped: they are editor and VCS files.
pub fn folder(folder: &Path) -> Result<Vec<Asset>, AssetError> {
    let root = folder.canonicalize().map_err(|source| AssetError::Read {
        path: folder.to_path_buf(),
        source,
    })?;
    let mut assets = Vec::new();
    walk(folder, "", &root, &mut assets)?;
    assets.sort_by(|a, b| a.relative_path.cmp(&b.relative_path));
    Ok(assets)
}

fn walk(
    folder: &Path,
    prefix: &str,
    root: &Path,
    assets: &mut Vec<Asset>,
) -> Result<(), AssetError> {
    let read_error = |source| AssetError::Read {
        path: folder.to_path_buf(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(folder)
        .map_err(read_error)?
        .collect::<Result<_, _>>()
        .map_err(read_error)?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            return Err(AssetError::NotUnicode { path });
        };
        if name.starts_with('.') {
            continue;
        }
        let resolved = path.canonicalize().map_err(|source| AssetError::Read {
            path: path.clone(),
            source,
        })?;
        if !resolved.starts_with(root) {
            return Err(AssetError::OutsideFolder {
                path,
                folder: root.to_path_buf(),
            });
        }
        let relative = format!("{prefix}{name}");
        if resolved.is_dir() {
            walk(&resolved, &format!("{relative}/"), root, assets)?;
        } else {
            assets.push(file(&resolved, relative)?);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(test: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("sauce-assets-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(folder.join("public/css")).unwrap();
        std::fs::write(folder.join("public/index.html"), "<h1>hi</h1>").unwrap();
        std::fs::write(folder.join("public/css/site.css"), "h1{}").unwrap();
        std::fs::write(folder.join("public/.hidden"), "x").unwrap();
        folder.canonicalize().unwrap()
    }

    #[test]
    fn a_folder_is_listed_sorted_with_types_lengths_and_etags() {
        let project = project("listed");
        let assets = folder(&project.join("public")).unwrap();
        let names: Vec<_> = assets
            .iter()
            .map(|asset| asset.relative_path.as_str())
            .collect();
        assert_eq!(names, ["css/site.css", "index.html"]);
        assert_eq!(assets[0].content_type, "text/css; charset=utf-8");
        assert_eq!(assets[1].length, 11);
        assert_eq!(assets[1].etag.len(), 18);
        assert_eq!(
            assets[1].gzip_etag(),
            format!("{}-gzip\"", &assets[1].etag[..17])
        );
        assert_eq!(assets[1].last_modified.as_ref().map(String::len), Some(29));
        assert!(
            assets[1].gzip.is_none(),
            "11 bytes are not worth compressing"
        );
        assert_eq!(
            assets[1].etag,
            file(&project.join("public/index.html"), String::new())
                .unwrap()
                .etag
        );
        std::fs::remove_dir_all(project).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_project_is_refused() {
        let project = project("link");
        std::os::unix::fs::symlink("/etc", project.join("public/escape")).unwrap();
        let error = folder(&project.join("public")).unwrap_err();
        assert!(matches!(error, AssetError::OutsideFolder { .. }), "{error}");
        std::fs::remove_dir_all(project).unwrap();
    }
}

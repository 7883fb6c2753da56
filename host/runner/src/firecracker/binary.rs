//! Where the Firecracker binary is: `--firecracker PATH`, then `SAUCE_FIRECRACKER`, then a
//! `firecracker` on PATH, in that order.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::error::FirecrackerError;

/// The variable naming a Firecracker binary.
pub const VARIABLE: &str = "SAUCE_FIRECRACKER";
/// The program name looked up on PATH.
pub const PROGRAM: &str = "firecracker";

/// Finds Firecracker: `flag` (from `--firecracker`) first, then [`VARIABLE`], then PATH.
pub fn locate(flag: Option<&Path>) -> Result<PathBuf, FirecrackerError> {
    let variable = crate::environment::non_empty_variable(VARIABLE).map(PathBuf::from);
    let path = std::env::var_os("PATH");
    locate_in(flag, variable.as_deref(), path.as_deref())
}

/// [`locate`] with the variable's value and PATH given, for tests.
pub fn locate_in(
    flag: Option<&Path>,
    variable: Option<&Path>,
    path: Option<&OsStr>,
) -> Result<PathBuf, FirecrackerError> {
    for (given, origin) in [(flag, "--firecracker"), (variable, VARIABLE)] {
        if let Some(binary) = given {
            return if binary.is_file() {
                Ok(binary.to_path_buf())
            } else {
                Err(FirecrackerError::BinaryMissing {
                    binary: binary.to_path_buf(),
                    origin,
                })
            };
        }
    }
    path.into_iter()
        .flat_map(std::env::split_paths)
        .filter(|folder| !folder.as_os_str().is_empty())
        .map(|folder| folder.join(PROGRAM))
        .find(|candidate| is_executable(candidate))
        .ok_or(FirecrackerError::NotFound)
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn executable(folder: &Path, name: &str) -> PathBuf {
        let path = folder.join(name);
        std::fs::write(&path, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[test]
    fn the_flag_wins_then_the_variable_then_path() {
        let folder = tempfile::tempdir().unwrap();
        let on_path = folder.path().join("bin");
        std::fs::create_dir(&on_path).unwrap();
        let from_path = executable(&on_path, PROGRAM);
        let from_flag = executable(folder.path(), "fc-flag");
        let from_variable = executable(folder.path(), "fc-variable");
        let path = std::env::join_paths(["/nonexistent".as_ref(), on_path.as_path()]).unwrap();
        let found = |flag: Option<&Path>, variable: Option<&Path>| {
            locate_in(flag, variable, Some(&path)).unwrap()
        };
        assert_eq!(found(Some(&from_flag), Some(&from_variable)), from_flag);
        assert_eq!(found(None, Some(&from_variable)), from_variable);
        assert_eq!(found(None, None), from_path);
    }

    #[test]
    fn a_wrong_explicit_path_is_not_silently_replaced() {
        let folder = tempfile::tempdir().unwrap();
        let on_path = executable(folder.path(), PROGRAM);
        let path = folder.path().as_os_str();
        let error =
            locate_in(Some(Path::new("/no/such/firecracker")), None, Some(path)).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("/no/such/firecracker` (from --firecracker)"),
            "{error}"
        );
        let error = locate_in(None, Some(folder.path()), Some(path)).unwrap_err();
        assert!(
            error.to_string().contains("(from SAUCE_FIRECRACKER)"),
            "{error}"
        );
        assert_eq!(locate_in(None, None, Some(path)).unwrap(), on_path);
    }

    #[test]
    fn absent_everywhere_names_all_three_places() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join(PROGRAM), "not executable").unwrap();
        let error = locate_in(None, None, Some(folder.path().as_os_str())).unwrap_err();
        assert!(matches!(error, FirecrackerError::NotFound));
        assert!(matches!(
            locate_in(None, None, None),
            Err(FirecrackerError::NotFound)
        ));
    }
}

//! File names a model may write: relative, normalised, and inside the allowlist of project paths.

use std::fmt;
use std::path::{Path, PathBuf};

/// The longest file name accepted, in bytes.
pub const MAX_PATH_LENGTH: usize = 200;
/// The deepest file name accepted, in components.
pub const MAX_PATH_DEPTH: usize = 8;

/// A file name inside a project that passed every rule of [`ProjectPath::parse`]: relative,
/// `/`-separated, no `.` or `..`, no hidden components, and on the allowlist.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProjectPath(String);

/// Why a file name was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PathRefusal {
    /// the file name is empty
    #[error("the file name is empty")]
    Empty,
    /// the file name is longer than 200 bytes
    #[error("the file name is longer than {MAX_PATH_LENGTH} bytes")]
    TooLong,
    /// the file name is absolute; file names are relative to the project folder
    #[error("the file name is absolute; file names are relative to the project folder")]
    Absolute,
    /// the file name starts with a drive letter
    #[error(
        "the file name starts with a drive letter; file names are relative to the project folder"
    )]
    DriveLetter,
    /// the file name contains a backslash; separate folders with `/`
    #[error("the file name contains a backslash; separate folders with `/`")]
    Backslash,
    /// the file name contains a NUL or another control character
    #[error("the file name contains a NUL or another control character")]
    ControlCharacter,
    /// the file name contains `..`, which could leave the project folder
    #[error("the file name contains `..`, which could leave the project folder")]
    ParentComponent,
    /// the file name has an empty or `.` component
    #[error("the file name has an empty or `.` component")]
    EmptyComponent,
    /// a component starts with `.` (hidden files such as `.cargo/config.toml` can change how code is built)
    #[error("`{0}` starts with `.`: hidden files such as `.cargo/config.toml` can change how code is built")]
    Hidden(String),
    /// a component uses characters outside `A-Z a-z 0-9 . _ -`
    #[error("`{0}` uses characters outside `A-Z a-z 0-9 . _ -`")]
    Character(String),
    /// the file name is nested deeper than 8 folders
    #[error("the file name is nested deeper than {MAX_PATH_DEPTH} folders")]
    TooDeep,
    /// the file is not one a SauceOS project holds
    #[error("a SauceOS project holds only sauce.toml, Cargo.toml, README.md, DESCRIPTION.md, src/**/*.rs, tests/**/*.rs and public/**")]
    NotAllowed,
}

impl ProjectPath {
    /// Checks `name` against the rules; a leading `./` is dropped first.
    ///
    /// ```
    /// use sauce_ai::project::ProjectPath;
    /// assert_eq!(ProjectPath::parse("./src/lib.rs").unwrap().as_str(), "src/lib.rs");
    /// assert!(ProjectPath::parse("../../.bashrc").is_err());
    /// assert!(ProjectPath::parse("build.rs").is_err());
    /// ```
    pub fn parse(name: &str) -> Result<Self, PathRefusal> {
        let name = name.strip_prefix("./").unwrap_or(name);
        if name.is_empty() {
            return Err(PathRefusal::Empty);
        }
        if name.len() > MAX_PATH_LENGTH {
            return Err(PathRefusal::TooLong);
        }
        if name.chars().any(char::is_control) {
            return Err(PathRefusal::ControlCharacter);
        }
        if name.starts_with('/') {
            return Err(PathRefusal::Absolute);
        }
        if name.contains('\\') {
            return Err(PathRefusal::Backslash);
        }
        let bytes = name.as_bytes();
        if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
            return Err(PathRefusal::DriveLetter);
        }
        let components: Vec<&str> = name.split('/').collect();
        if components.len() > MAX_PATH_DEPTH {
            return Err(PathRefusal::TooDeep);
        }
        for component in &components {
            check_component(component)?;
        }
        if !allowed(&components) {
            return Err(PathRefusal::NotAllowed);
        }
        Ok(Self(name.to_owned()))
    }

    /// The name, `/`-separated.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name as a relative path for this platform.
    pub fn to_relative_path(&self) -> PathBuf {
        self.0.split('/').collect()
    }

    /// The file's path inside `folder`.
    pub fn inside(&self, folder: &Path) -> PathBuf {
        folder.join(self.to_relative_path())
    }

    /// Whether the file is Rust source.
    pub fn is_rust(&self) -> bool {
        self.0.ends_with(".rs")
    }
}

impl fmt::Display for ProjectPath {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

fn check_component(component: &str) -> Result<(), PathRefusal> {
    match component {
        "" | "." => Err(PathRefusal::EmptyComponent),
        ".." => Err(PathRefusal::ParentComponent),
        _ if component.starts_with('.') => Err(PathRefusal::Hidden(component.to_owned())),
        _ if !component
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || "._-".contains(character)) =>
        {
            Err(PathRefusal::Character(component.to_owned()))
        }
        _ => Ok(()),
    }
}

/// The allowlist: `sauce.toml`, `Cargo.toml`, `README.md`, `DESCRIPTION.md`, `src/**.rs`,
/// `tests/**.rs`, `public/**`.
fn allowed(components: &[&str]) -> bool {
    match components {
        [single] => ["sauce.toml", "Cargo.toml", "README.md", "DESCRIPTION.md"].contains(single),
        [first, .., last] if *first == "src" || *first == "tests" => {
            last.ends_with(".rs") && last.len() > 3
        }
        [first, _, ..] => *first == "public",
        [] => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_project_files() {
        for name in [
            "sauce.toml",
            "Cargo.toml",
            "README.md",
            "DESCRIPTION.md",
            "src/lib.rs",
            "src/routes/orders.rs",
            "tests/api.rs",
            "public/index.html",
            "public/css/site.css",
            "./src/lib.rs",
        ] {
            assert!(ProjectPath::parse(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn refuses_escapes_and_build_files() {
        let cases = [
            ("", PathRefusal::Empty),
            ("/etc/passwd", PathRefusal::Absolute),
            ("../../.bashrc", PathRefusal::ParentComponent),
            ("src/../../x.rs", PathRefusal::ParentComponent),
            ("src\\lib.rs", PathRefusal::Backslash),
            ("C:/x/sauce.toml", PathRefusal::DriveLetter),
            ("src/lib\0.rs", PathRefusal::ControlCharacter),
            ("src//lib.rs", PathRefusal::EmptyComponent),
            ("src/./lib.rs", PathRefusal::EmptyComponent),
            (
                ".cargo/config.toml",
                PathRefusal::Hidden(".cargo".to_owned()),
            ),
            (
                "public/.htaccess",
                PathRefusal::Hidden(".htaccess".to_owned()),
            ),
            (
                "public/my file.html",
                PathRefusal::Character("my file.html".to_owned()),
            ),
            ("build.rs", PathRefusal::NotAllowed),
            ("src/lib.txt", PathRefusal::NotAllowed),
            ("src/.rs", PathRefusal::Hidden(".rs".to_owned())),
            ("public", PathRefusal::NotAllowed),
            ("Cargo.lock", PathRefusal::NotAllowed),
            ("rust-toolchain.toml", PathRefusal::NotAllowed),
        ];
        for (name, refusal) in cases {
            assert_eq!(ProjectPath::parse(name), Err(refusal), "{name:?}");
        }
        let deep = format!("src/{}lib.rs", "a/".repeat(10));
        assert_eq!(ProjectPath::parse(&deep), Err(PathRefusal::TooDeep));
        let long = format!("public/{}", "a".repeat(300));
        assert_eq!(ProjectPath::parse(&long), Err(PathRefusal::TooLong));
    }

    #[test]
    fn joins_inside_a_folder() {
        let path = ProjectPath::parse("src/routes/orders.rs").unwrap();
        assert_eq!(
            path.inside(Path::new("/project")),
            Path::new("/project/src/routes/orders.rs")
        );
        assert!(path.is_rust());
        assert_eq!(path.to_string(), "src/routes/orders.rs");
    }

    proptest! {
        #[test]
        fn accepted_names_stay_inside(name in "\\PC{0,40}") {
            if let Ok(path) = ProjectPath::parse(&name) {
                let relative = path.to_relative_path();
                prop_assert!(relative.is_relative());
                prop_assert!(relative.components().all(|component| matches!(component, std::path::Component::Normal(_))));
                prop_assert!(!path.as_str().contains(".."));
            }
        }

        #[test]
        fn traversal_never_passes(prefix in "[a-z/]{0,10}", suffix in "[a-z/.]{0,10}") {
            let name = format!("{prefix}../{suffix}");
            prop_assert!(ProjectPath::parse(&name).is_err());
        }
    }
}

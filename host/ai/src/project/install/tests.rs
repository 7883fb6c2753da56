//! Installing: whole folders, file by file, refusals, symbolic links.

use super::*;

fn files(entries: &[(&str, &str)]) -> ProjectFiles {
    let mut files = ProjectFiles::new();
    for (name, contents) in entries {
        files.insert(ProjectPath::parse(name).unwrap(), *contents);
    }
    files
}

#[test]
fn a_new_project_appears_whole() {
    let root = tempfile::tempdir().unwrap();
    let destination = root.path().join("shop");
    let project = files(&[("sauce.toml", "[app]\n"), ("src/routes/a.rs", "x")]);
    let installed = install(
        &project,
        &destination,
        InstallMode::NewProject { overwrite: false },
    )
    .unwrap();
    assert_eq!(installed.created.len(), 2);
    assert_eq!(
        fs::read_to_string(destination.join("src/routes/a.rs")).unwrap(),
        "x"
    );
    let leftovers: Vec<_> = fs::read_dir(root.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no staging folder is left behind");
}

#[test]
fn an_empty_folder_is_filled() {
    let root = tempfile::tempdir().unwrap();
    let project = files(&[("sauce.toml", "[app]\n")]);
    install(
        &project,
        root.path(),
        InstallMode::NewProject { overwrite: false },
    )
    .unwrap();
    assert!(root.path().join("sauce.toml").is_file());
}

#[test]
fn existing_files_are_kept_unless_allowed() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("sauce.toml"), "mine").unwrap();
    fs::write(root.path().join("notes.txt"), "mine").unwrap();
    let project = files(&[("sauce.toml", "theirs"), ("README.md", "new")]);
    let error = install(
        &project,
        root.path(),
        InstallMode::NewProject { overwrite: false },
    )
    .unwrap_err();
    assert!(
        matches!(&error, InstallError::Exists(paths) if paths.len() == 1),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("sauce.toml already exists; allow overwriting"),
        "{error}"
    );
    assert_eq!(
        fs::read_to_string(root.path().join("sauce.toml")).unwrap(),
        "mine"
    );
    assert!(
        !root.path().join("README.md").exists(),
        "nothing written after a refusal"
    );
    let installed = install(
        &project,
        root.path(),
        InstallMode::Update { overwrite: true },
    )
    .unwrap();
    assert_eq!(
        installed.replaced,
        vec![ProjectPath::parse("sauce.toml").unwrap()]
    );
    assert_eq!(
        installed.created,
        vec![ProjectPath::parse("README.md").unwrap()]
    );
    assert_eq!(
        fs::read_to_string(root.path().join("sauce.toml")).unwrap(),
        "theirs"
    );
    let names: Vec<_> = fs::read_dir(root.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 3, "no temporary files left: {names:?}");
}

#[test]
fn unchanged_files_are_not_conflicts() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("sauce.toml"), "same").unwrap();
    let installed = install(
        &files(&[("sauce.toml", "same")]),
        root.path(),
        InstallMode::Update { overwrite: false },
    )
    .unwrap();
    assert!(installed.created.is_empty() && installed.replaced.is_empty());
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_never_followed() {
    let root = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let project_folder = root.path().join("project");
    fs::create_dir(&project_folder).unwrap();
    std::os::unix::fs::symlink(outside.path(), project_folder.join("src")).unwrap();
    let project = files(&[("src/lib.rs", "pwned")]);
    let error = install(
        &project,
        &project_folder,
        InstallMode::Update { overwrite: true },
    )
    .unwrap_err();
    assert!(matches!(error, InstallError::SymbolicLink(_)), "{error}");
    let error = write_files(&project_folder, &project).unwrap_err();
    assert!(matches!(error, InstallError::SymbolicLink(_)), "{error}");
    assert!(fs::read_dir(outside.path()).unwrap().next().is_none());

    std::os::unix::fs::symlink(
        outside.path().join("target"),
        project_folder.join("README.md"),
    )
    .unwrap();
    let error = install(
        &files(&[("README.md", "x")]),
        &project_folder,
        InstallMode::Update { overwrite: true },
    )
    .unwrap_err();
    assert!(matches!(error, InstallError::SymbolicLink(_)), "{error}");
    assert!(!outside.path().join("target").exists());

    let link = root.path().join("link");
    std::os::unix::fs::symlink(outside.path(), &link).unwrap();
    let error = install(
        &files(&[("README.md", "x")]),
        &link,
        InstallMode::NewProject { overwrite: false },
    )
    .unwrap_err();
    assert!(matches!(error, InstallError::SymbolicLink(_)), "{error}");
}

#[test]
fn update_needs_a_folder() {
    let root = tempfile::tempdir().unwrap();
    let error = install(
        &files(&[("README.md", "x")]),
        &root.path().join("missing"),
        InstallMode::Update { overwrite: true },
    )
    .unwrap_err();
    assert!(matches!(error, InstallError::NotAFolder(_)));
}

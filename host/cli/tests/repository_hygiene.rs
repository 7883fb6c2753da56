//! The repository keeps its own references true: every design record a file cites exists
//! (`record NNNN`, `docs/design/NNNN…`), every relative link in a Markdown file leads to a file,
//! nothing cites documents outside the repository, and every crate root that has modules opens
//! with a `# Map` (and says `# Rules`, not `Contract:`).
mod common;

use std::path::{Path, PathBuf};

use common::repository;

/// The files git tracks (ignored and generated files are not the repository's own words).
fn tracked_files() -> Vec<PathBuf> {
    let output = std::process::Command::new("git")
        .args(["ls-files"])
        .current_dir(repository())
        .output()
        .expect("git runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|path| !path.starts_with("incubator/"))
        .map(PathBuf::from)
        .collect()
}

fn is_text(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            ["rs", "md", "toml", "s", "ld", "j2", "sh", "py"].contains(&extension)
        })
}

/// Design record numbers that exist: `docs/design/NNNN-….md`.
fn records() -> Vec<String> {
    std::fs::read_dir(repository().join("docs/design"))
        .unwrap()
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().to_string_lossy().into_owned();
            name.get(..4)
                .filter(|number| number.chars().all(|c| c.is_ascii_digit()))
                .map(str::to_owned)
        })
        .collect()
}

/// The four digits after each occurrence of `marker` in `text`.
fn numbers_after<'a>(text: &'a str, marker: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    text.match_indices(marker).filter_map(move |(index, _)| {
        let number = text.get(index + marker.len()..index + marker.len() + 4)?;
        number.chars().all(|c| c.is_ascii_digit()).then_some(number)
    })
}

#[test]
fn every_cited_design_record_exists_and_nothing_cites_outside_documents() {
    let records = records();
    let mut problems = Vec::new();
    for file in tracked_files().into_iter().filter(|file| is_text(file)) {
        let Ok(text) = std::fs::read_to_string(repository().join(&file)) else {
            continue;
        };
        for marker in ["record ", "records ", "docs/design/", "design/"] {
            for number in numbers_after(&text, marker) {
                if !records.iter().any(|record| record == number) {
                    problems.push(format!(
                        "{}: cites design record {number}, which does not exist",
                        file.display()
                    ));
                }
            }
        }
        // Full file names of records must be the real ones.
        for (index, _) in text.match_indices("docs/design/") {
            let rest = &text[index..];
            let end = rest.find(".md").map(|end| end + 3);
            let is_file_name = |name: &&str| {
                name.len() > 17
                    && name["docs/design/".len()..name.len() - 3]
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            };
            if let Some(name) = end.map(|end| &rest[..end]).filter(is_file_name) {
                if !repository().join(name).is_file() {
                    problems.push(format!(
                        "{}: cites `{name}`, which does not exist",
                        file.display()
                    ));
                }
            }
        }
        for outside in ["design brief §", "boot-facts.md", "design-brief.md"] {
            if text.contains(outside) && file != Path::new("host/cli/tests/repository_hygiene.rs") {
                problems.push(format!(
                    "{}: cites `{outside}`, which is not in the repository",
                    file.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_relative_markdown_link_leads_to_a_file() {
    let mut problems = Vec::new();
    for file in tracked_files()
        .into_iter()
        .filter(|file| file.extension().is_some_and(|extension| extension == "md"))
    {
        let text = std::fs::read_to_string(repository().join(&file)).unwrap();
        for (index, _) in text.match_indices("](") {
            let rest = &text[index + 2..];
            let Some(end) = rest.find(')') else { continue };
            let target = rest[..end].split('#').next().unwrap_or_default();
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let resolved = file.parent().unwrap_or(Path::new("")).join(target);
            if !repository().join(&resolved).exists() {
                problems.push(format!(
                    "{}: links to `{target}`, which does not exist",
                    file.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn crate_roots_with_modules_open_with_a_map() {
    let mut problems = Vec::new();
    for file in tracked_files() {
        let name = file.to_string_lossy();
        let is_root = (name.ends_with("src/lib.rs") || name.ends_with("src/main.rs"))
            && !name.contains("/fuzz/")
            && !name.starts_with("tests/guest/");
        if !is_root {
            continue;
        }
        let text = std::fs::read_to_string(repository().join(&file)).unwrap();
        let mut declares_modules = false;
        let mut previous = "";
        for line in text.lines() {
            let trimmed = line.trim_start();
            let module = trimmed.starts_with("mod ")
                || trimmed.starts_with("pub mod ")
                || trimmed.starts_with("pub(crate) mod ");
            if module && trimmed.ends_with(';') && !previous.contains("cfg(test)") {
                declares_modules = true;
            }
            previous = trimmed;
        }
        let documentation: Vec<&str> = text
            .lines()
            .take_while(|line| line.starts_with("//!"))
            .collect();
        if declares_modules && !documentation.contains(&"//! # Map") {
            problems.push(format!(
                "{name}: declares modules but its documentation has no `//! # Map`"
            ));
        }
        for wrong in [
            "//! Map:",
            "//! Module map:",
            "//! Contract:",
            "//! Modules:",
        ] {
            if documentation.iter().any(|line| line.starts_with(wrong)) {
                problems.push(format!(
                    "{name}: writes `{wrong}`; the sections are `# Map` and `# Rules`"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

//! Whole-project checks, rendering and budgets.

use super::*;
use crate::project::ProjectPath;

fn project(entries: &[(&str, &str)]) -> ProjectFiles {
    let mut files = ProjectFiles::new();
    for (name, contents) in entries {
        files.insert(ProjectPath::parse(name).unwrap(), *contents);
    }
    files
}

#[test]
fn a_clean_project_passes() {
    let files = project(&[
        ("sauce.toml", "[app]\nname = \"a\"\n[[http.route]]\npath = \"/docs\"\nredirect = \"https://docs.example.org/\"\n"),
        ("Cargo.toml", "[package]\nname = \"a\"\nversion = \"0.1.0\"\n[dependencies]\nsauce-app = \"0.1\"\n"),
        ("src/lib.rs", "#![no_std]\n#![forbid(unsafe_code)]\npub const DOCS: &str = \"https://docs.example.org/\";\n"),
    ]);
    assert_eq!(
        check_sources(&files, &SecurityPolicy::default()),
        Vec::new()
    );
}

#[test]
fn findings_render_like_compiler_errors() {
    let files = project(&[(
        "src/lib.rs",
        "#![forbid(unsafe_code)]\nfn a() { unsafe {} }\n",
    )]);
    let findings = check_sources(&files, &SecurityPolicy::default());
    assert_eq!(
        render_findings(&findings),
        "error[security/unsafe]: `unsafe` is not allowed in generated code; use the safe APIs of sauce-app and core\n  --> src/lib.rs:2:10"
    );
}

#[test]
fn code_needs_a_library_root_and_budgets_hold() {
    let files = project(&[("src/routes.rs", "pub fn a() {}\n")]);
    let policy = SecurityPolicy {
        max_source_bytes: 4,
        max_files: 0,
        ..SecurityPolicy::default()
    };
    let checks: Vec<Check> = check_sources(&files, &policy)
        .iter()
        .map(|finding| finding.check)
        .collect();
    assert_eq!(checks, [Check::Unsafe, Check::Budget, Check::Budget]);
    let figures = BuildFigures {
        image_size: 9 << 20,
        duration: Duration::from_secs(301),
    };
    let findings = check_budgets(figures, &SecurityPolicy::default());
    assert_eq!(findings.len(), 2);
    assert!(findings[1]
        .to_string()
        .contains("the build took 301 s, over the budget of 300 s"));
    let within = BuildFigures {
        image_size: 1 << 20,
        duration: Duration::from_secs(10),
    };
    assert!(check_budgets(within, &SecurityPolicy::default()).is_empty());
}

#[test]
fn the_intent_declares_addresses() {
    let hosts = declared_in_intent("[network]\nip = \"10.0.0.5/24\"\ngateway = \"10.0.0.1\"\n[[http.route]]\npath = \"/a\"\nredirect = \"https://Example.com/x\"\n");
    assert!(hosts.contains(&"10.0.0.5".to_owned()), "{hosts:?}");
    assert!(hosts.contains(&"10.0.0.1".to_owned()));
    assert!(hosts.contains(&"example.com".to_owned()));
}

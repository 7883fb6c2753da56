//! The token checks on clean and hostile Rust.

use super::*;

fn findings(name: &str, source: &str) -> Vec<(Check, usize, String)> {
    let path = ProjectPath::parse(name).unwrap();
    check_rust(&path, source, name == "src/lib.rs")
        .into_iter()
        .map(|finding| (finding.check, finding.line.unwrap_or(0), finding.message))
        .collect()
}

const HEADER: &str = "#![no_std]\n#![forbid(unsafe_code)]\n";

#[test]
fn clean_code_passes_even_with_unsafe_in_comments_and_strings() {
    let source = format!(
        "{HEADER}//! Not unsafe at all.\n// unsafe {{ }}\n/* extern \"C\" /* nested unsafe */ */\nconst WORD: &str = \"unsafe asm!() include_bytes!(\\\"/etc/passwd\\\")\";\nconst RAW: &str = r#\"unsafe\"#;\n/// ```\n/// unsafe {{}}\n/// ```\npub fn safe() -> u8 {{ b'u' }}\nextern crate alloc;\n"
    );
    assert_eq!(findings("src/lib.rs", &source), Vec::new());
}

#[test]
fn unsafe_and_ffi_are_found_with_their_lines() {
    let source = format!(
        "{HEADER}pub fn a() {{ unsafe {{ core::hint::unreachable_unchecked() }} }}\nextern \"C\" {{ fn exit(code: i32); }}\n#[no_mangle]\npub fn b() {{}}\n#[unsafe(export_name = \"x\")]\npub fn c() {{}}\nfn d() {{ core::arch::asm!(\"hlt\"); }}\ncore::arch::global_asm!(\"\");\n#[link(name = \"m\")]\nstruct E;\n"
    );
    let found = findings("src/lib.rs", &source);
    let summary: Vec<(Check, usize)> = found
        .iter()
        .map(|(check, line, _)| (*check, *line))
        .collect();
    assert_eq!(
        summary,
        [
            (Check::Unsafe, 3),
            (Check::Ffi, 4),
            (Check::Ffi, 5),
            (Check::Unsafe, 7),
            (Check::Ffi, 7),
            (Check::Ffi, 9),
            (Check::Ffi, 10),
            (Check::Ffi, 11),
        ],
        "{found:#?}"
    );
}

#[test]
fn the_library_root_must_forbid_unsafe() {
    let found = findings("src/lib.rs", "#![no_std]\n#![deny(unsafe_code)]\n");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, Check::Unsafe);
    assert!(found[0].2.contains("#![forbid(unsafe_code)]"));
    assert!(findings("src/lib.rs", "#![forbid(missing_docs, unsafe_code)]\n").is_empty());
    assert!(findings("src/routes.rs", "pub fn a() {}\n").is_empty());
}

#[test]
fn includes_must_stay_inside() {
    let source = "pub const A: &str = include_str!(\"../public/index.html\");\npub const B: &[u8] = include_bytes!(\"../../secret\");\npub const C: &str = include_str!(\"/etc/passwd\");\npub const D: &str = include_str!(concat!(env!(\"HOME\"), \"/.ssh/id_rsa\"));\n#[path = \"../../x.rs\"]\nmod x;\n#[path = \"routes/y.rs\"]\nmod y;\n";
    let found = findings("src/routes.rs", source);
    let summary: Vec<(Check, usize)> = found
        .iter()
        .map(|(check, line, _)| (*check, *line))
        .collect();
    assert_eq!(
        summary,
        [
            (Check::Include, 2),
            (Check::Include, 3),
            (Check::Include, 4),
            (Check::Environment, 4),
            (Check::Include, 5)
        ],
        "{found:#?}"
    );
}

#[test]
fn host_access_in_tests_is_refused() {
    let found = findings("tests/api.rs", "use std::process::Command;\n#[test]\nfn t() { std::fs::remove_dir_all(\"/\").ok(); let x = std::vec::Vec::<u8>::new(); }\n");
    let summary: Vec<(Check, usize)> = found
        .iter()
        .map(|(check, line, _)| (*check, *line))
        .collect();
    assert_eq!(summary, [(Check::HostAccess, 1), (Check::HostAccess, 3)]);
}

#[test]
fn unreadable_code_is_a_finding() {
    let found = findings("src/routes.rs", "fn a() { \n");
    assert_eq!(found[0].0, Check::Syntax);
}

#[test]
fn string_values_are_decoded() {
    let literals = string_literals("const A: &str = \"a\\tb\\u{e9}\\x41\";\nconst B: &str = r##\"raw \"x\"\"##;\nconst C: &[u8] = b\"10.0.0.1\";\nconst N: u8 = 1;\n");
    let values: Vec<&str> = literals
        .iter()
        .map(|(value, _, _)| value.as_str())
        .collect();
    assert_eq!(values, ["a\tbéA", "raw \"x\"", "10.0.0.1"]);
    assert_eq!((literals[2].1, literals[2].2), (3, 18));
}

proptest::proptest! {
    #[test]
    fn never_panics(source in "(\\PC|\n|\"|'|#|!|\\\\|\\{|\\}){0,200}") {
        let path = ProjectPath::parse("src/lib.rs").unwrap();
        let _ = check_rust(&path, &source, true);
        let _ = string_literals(&source);
    }
}

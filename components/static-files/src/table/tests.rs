use super::*;

const TEXT: &str = "text/plain";

const fn file(path: &'static str, etag: Option<&'static str>) -> StaticFile {
    StaticFile {
        path,
        content_type: TEXT,
        body: path.as_bytes(),
        etag,
        last_modified: None,
        gzip: None,
    }
}

static FILES: [StaticFile; 6] = [
    file("a b.txt", None),
    file("a/b.css", Some("\"b\"")),
    file("a/index.html", None),
    file("index.html", Some("W/\"home\"")),
    file("z", None),
    file("\u{e9}t\u{e9}.txt", None),
];
static TABLE: FileTable = FileTable::new(&FILES);

fn found(rest: &[u8]) -> Option<&'static str> {
    TABLE.find(rest).map(|file| file.path)
}

#[test]
fn names_are_decoded_and_folders_serve_their_index() {
    assert_eq!(found(b"a/b.css"), Some("a/b.css"));
    assert_eq!(found(b"a%2Fb.css"), Some("a/b.css"));
    assert_eq!(found(b"a%20b.txt"), Some("a b.txt"));
    assert_eq!(found(b"%C3%A9t%C3%A9.txt"), Some("\u{e9}t\u{e9}.txt"));
    assert_eq!(found(b""), Some("index.html"));
    assert_eq!(found(b"a/"), Some("a/index.html"));
    assert_eq!(found(b"a%2F"), Some("a/index.html"));
    assert_eq!(found(b"a"), None);
    assert_eq!(found(b"b/"), None);
    assert_eq!(found(b"index.htm"), None);
    assert_eq!(found(b"zz"), None);
}

#[test]
fn every_file_of_a_large_table_is_found_and_nothing_else() {
    // Names from a small xorshift generator, sorted the way the generator sorts them.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut names: Vec<String> = (0..500)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let depth = state % 3;
            (0..=depth)
                .map(|level| format!("{:x}", (state >> (level * 8 + 4)) & 0xFFF))
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    names.sort();
    names.dedup();
    assert!(names.len() > 400);
    let files: &'static [StaticFile] = names
        .iter()
        .map(|name| file(Box::leak(name.clone().into_boxed_str()), None))
        .collect::<Vec<_>>()
        .leak();
    let table = FileTable::new(files);
    for name in &names {
        assert_eq!(
            table.find(name.as_bytes()).map(|found| found.path),
            Some(name.as_str())
        );
        let missing = format!("{name}-");
        assert!(table.find(missing.as_bytes()).is_none(), "{missing}");
    }
}

#[test]
fn a_file_route_is_the_file_with_an_empty_path() {
    static ONE: [StaticFile; 1] = [file("", Some("\"r\""))];
    static ROBOTS: FileTable = FileTable::new(&ONE);
    assert_eq!(
        ROBOTS.find(b"").map(|found| found.etag),
        Some(Some("\"r\""))
    );
    assert!(ROBOTS.find(b"x").is_none());
    assert!(ROBOTS.find(b"x/").is_none());
}

#[test]
fn folders_without_their_slash_are_named() {
    assert!(TABLE.names_folder(b"a"));
    assert!(TABLE.names_folder(b"%61"));
    assert!(!TABLE.names_folder(b"a/"));
    assert!(!TABLE.names_folder(b""));
    assert!(!TABLE.names_folder(b"z"));
    assert!(!TABLE.names_folder(b"b"));
}

#[test]
#[should_panic(expected = "sorted by path")]
fn an_unsorted_table_is_refused() {
    static UNSORTED: [StaticFile; 2] = [file("b", None), file("a", None)];
    let _ = FileTable::new(&UNSORTED);
}

#[test]
#[should_panic(expected = "each path once")]
fn a_duplicated_path_is_refused() {
    static TWICE: [StaticFile; 2] = [file("a", None), file("a", None)];
    let _ = FileTable::new(&TWICE);
}

#[test]
#[should_panic(expected = "start or end with")]
fn a_leading_slash_is_refused() {
    static SLASHED: [StaticFile; 1] = [file("/a", None)];
    let _ = FileTable::new(&SLASHED);
}

#[test]
#[should_panic(expected = "must be quoted")]
fn an_unquoted_tag_is_refused() {
    static UNQUOTED: [StaticFile; 1] = [file("a", Some("abc"))];
    let _ = FileTable::new(&UNQUOTED);
}

#[test]
#[should_panic(expected = "of its own")]
fn a_gzip_copy_with_the_same_tag_is_refused() {
    static SAME: [StaticFile; 1] = [StaticFile {
        gzip: Some(sauce_http_server::response::Compressed {
            body: b"",
            etag: "\"a\"",
        }),
        ..file("a", Some("\"a\""))
    }];
    let _ = FileTable::new(&SAME);
}

#[test]
fn entity_tags() {
    assert!(is_entity_tag(b"\"\""));
    assert!(is_entity_tag(b"W/\"abc\""));
    assert!(!is_entity_tag(b"abc"));
    assert!(!is_entity_tag(b"\""));
    assert!(!is_entity_tag(b"W/\""));
    assert!(!is_entity_tag(b"\"a\"b\""));
    assert!(!is_entity_tag(b"\"a b\""));
}

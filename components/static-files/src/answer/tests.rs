use super::*;
use sauce_http_server::response::Compressed;
use sauce_http_server::StaticFile;

const MODIFIED: &str = "Sun, 06 Nov 1994 08:49:37 GMT";

static FILES: [StaticFile; 3] = [
    StaticFile {
        path: "app.js",
        content_type: "text/javascript",
        body: b"0123456789",
        etag: Some("\"js\""),
        last_modified: Some(MODIFIED),
        gzip: Some(Compressed {
            body: b"zipped",
            etag: "\"js-gzip\"",
        }),
    },
    StaticFile {
        path: "docs/index.html",
        content_type: "text/html",
        body: b"<h1>docs</h1>",
        etag: None,
        last_modified: None,
        gzip: None,
    },
    StaticFile {
        path: "plain.txt",
        content_type: "text/plain",
        body: b"plain",
        etag: Some("W/\"p\""),
        last_modified: Some(MODIFIED),
        gzip: None,
    },
];
static TABLE: FileTable = FileTable::new(&FILES).with_headers(&[("Cache-Control", "max-age=60")]);

/// The outcome and representation for a request built by `fields`.
fn ask(fields: impl FnOnce(&mut FileRequest<'static>)) -> Option<(bool, Outcome)> {
    let mut request = FileRequest::new(b"app.js");
    fields(&mut request);
    match TABLE.answer(request)? {
        FileAnswer::File(reply) => {
            assert_eq!(reply.headers, TABLE.headers());
            Some((reply.gzip, reply.outcome))
        }
        FileAnswer::Folder => None,
    }
}

#[test]
fn names_find_files_folders_or_nothing() {
    assert_eq!(
        TABLE.answer(FileRequest::new(b"docs")),
        Some(FileAnswer::Folder)
    );
    assert!(matches!(
        TABLE.answer(FileRequest::new(b"docs/")),
        Some(FileAnswer::File(FileReply { file, .. })) if file.path == "docs/index.html"
    ));
    assert_eq!(TABLE.answer(FileRequest::new(b"nothing")), None);
    assert_eq!(TABLE.answer(FileRequest::new(b"plain.txt/")), None);
}

#[test]
fn gzip_is_chosen_by_accept_encoding_and_only_where_a_copy_exists() {
    assert_eq!(ask(|_| {}), Some((false, Outcome::Whole)));
    let gzip = |request: &mut FileRequest<'static>| request.accept_encoding = Some(b"gzip, br");
    assert_eq!(ask(gzip), Some((true, Outcome::Whole)));
    assert_eq!(
        ask(|request| request.accept_encoding = Some(b"gzip;q=0")),
        Some((false, Outcome::Whole))
    );
    let mut plain = FileRequest::new(b"plain.txt");
    plain.accept_encoding = Some(b"gzip");
    assert!(matches!(
        TABLE.answer(plain),
        Some(FileAnswer::File(FileReply { gzip: false, .. }))
    ));
}

#[test]
fn each_representation_is_validated_by_its_own_tag() {
    let identity_tag = |request: &mut FileRequest<'static>| {
        request.if_none_match = Some(b"\"js\"");
    };
    assert_eq!(ask(identity_tag), Some((false, Outcome::NotModified)));
    assert_eq!(
        ask(|request| {
            request.if_none_match = Some(b"\"js\"");
            request.accept_encoding = Some(b"gzip");
        }),
        Some((true, Outcome::Whole))
    );
    assert_eq!(
        ask(|request| {
            request.if_none_match = Some(b"W/\"js-gzip\"");
            request.accept_encoding = Some(b"gzip");
        }),
        Some((true, Outcome::NotModified))
    );
}

#[test]
fn if_modified_since_counts_only_without_if_none_match() {
    let since = |date: &'static [u8]| {
        ask(move |request| request.if_modified_since = Some(date)).map(|(_, outcome)| outcome)
    };
    assert_eq!(since(MODIFIED.as_bytes()), Some(Outcome::NotModified));
    assert_eq!(
        since(b"Sun, 06 Nov 1994 08:49:38 GMT"),
        Some(Outcome::NotModified)
    );
    assert_eq!(
        since(b"Sun, 06 Nov 1994 08:49:36 GMT"),
        Some(Outcome::Whole)
    );
    assert_eq!(since(b"garbage"), Some(Outcome::Whole));
    assert_eq!(
        ask(|request| {
            request.if_none_match = Some(b"\"other\"");
            request.if_modified_since = Some(MODIFIED.as_bytes());
        }),
        Some((false, Outcome::Whole))
    );
    let mut undated = FileRequest::new(b"docs/");
    undated.if_modified_since = Some(MODIFIED.as_bytes());
    assert!(matches!(
        TABLE.answer(undated),
        Some(FileAnswer::File(FileReply {
            outcome: Outcome::Whole,
            ..
        }))
    ));
}

#[test]
fn ranges_apply_to_the_representation_sent() {
    let range = |field: &'static [u8], encoding: Option<&'static [u8]>| {
        ask(move |request| {
            request.range = Some(field);
            request.accept_encoding = encoding;
        })
    };
    assert_eq!(
        range(b"bytes=2-4", None),
        Some((false, Outcome::Part { first: 2, last: 4 }))
    );
    assert_eq!(
        range(b"bytes=-2", Some(b"gzip")),
        Some((true, Outcome::Part { first: 4, last: 5 }))
    );
    assert_eq!(
        range(b"bytes=8-", Some(b"gzip")),
        Some((true, Outcome::RangeNotSatisfiable))
    );
    assert_eq!(
        range(b"bytes=8-", None),
        Some((false, Outcome::Part { first: 8, last: 9 }))
    );
    assert_eq!(range(b"bytes=0-1,4-5", None), Some((false, Outcome::Whole)));
}

#[test]
fn if_range_lets_a_range_apply_only_to_the_same_file() {
    let with = |if_range: &'static [u8]| {
        ask(move |request| {
            request.range = Some(b"bytes=0-0");
            request.if_range = Some(if_range);
        })
        .map(|(_, outcome)| outcome)
    };
    let part = Some(Outcome::Part { first: 0, last: 0 });
    assert_eq!(with(b"\"js\""), part);
    assert_eq!(with(MODIFIED.as_bytes()), part);
    assert_eq!(with(b"\"old\""), Some(Outcome::Whole));
    assert_eq!(with(b"W/\"js\""), Some(Outcome::Whole));
    assert_eq!(with(b"Sun, 06 Nov 1994 08:49:38 GMT"), Some(Outcome::Whole));
    assert_eq!(
        ask(|request| request.if_range = Some(b"\"js\"")),
        Some((false, Outcome::Whole))
    );
}

#[test]
fn a_precondition_that_fails_beats_a_range() {
    assert_eq!(
        ask(|request| {
            request.range = Some(b"bytes=50-");
            request.if_none_match = Some(b"*");
        }),
        Some((false, Outcome::NotModified))
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::select;

    /// Field values near the grammar (and plain noise) for every field the store reads.
    fn field() -> impl Strategy<Value = Option<Vec<u8>>> {
        const NEAR: &[&[u8]] = &[
            b"bytes=0-1",
            b"bytes=-3",
            b"bytes=5-",
            b"bytes=9999999999999999999999-",
            b"\"js\"",
            b"W/\"js-gzip\"",
            b"*",
            b"gzip;q=0.5, *;q=0",
            MODIFIED.as_bytes(),
            b"Sunday, 06-Nov-94 08:49:37 GMT",
            b"Sun Nov  6 08:49:37 1994",
        ];
        let near = select(NEAR).prop_map(<[u8]>::to_vec);
        prop::option::of(prop_oneof![near, prop::collection::vec(any::<u8>(), 0..40)])
    }

    const NAMES: &[&[u8]] = &[b"app.js", b"docs", b"docs/", b"plain.txt", b"x"];

    proptest! {
        #[test]
        fn any_fields_give_an_answer_within_the_file(
            rest in select(NAMES),
            fields in prop::collection::vec(field(), 5),
        ) {
            let value = |index: usize| fields[index].as_deref();
            let request = FileRequest {
                rest,
                if_none_match: value(0),
                if_modified_since: value(1),
                range: value(2),
                if_range: value(3),
                accept_encoding: value(4),
            };
            if let Some(FileAnswer::File(reply)) = TABLE.answer(request) {
                let (body, _) = reply.file.representation(reply.gzip);
                prop_assert!(!reply.gzip || reply.file.gzip.is_some());
                if let Outcome::Part { first, last } = reply.outcome {
                    prop_assert!(first <= last && last < body.len());
                    prop_assert!(request.range.is_some());
                }
            }
        }
    }
}

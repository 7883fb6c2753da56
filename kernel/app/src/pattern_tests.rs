//! Tests of path patterns: parsing errors, matching, specificity, and property tests.

use super::*;
use alloc::format;
use alloc::vec::Vec;
use proptest::prelude::*;

#[test]
fn literal_patterns_match_exactly() {
    let root = Pattern::parse("/").unwrap();
    assert!(root.matches("/").is_some());
    assert!(root.matches("/a").is_none());
    assert!(root.matches("").is_none());

    let todos = Pattern::parse("/todos").unwrap();
    assert!(todos.matches("/todos").is_some());
    assert!(todos.matches("/todos/").is_none());
    assert!(todos.matches("/todo").is_none());
    assert!(todos.matches("todos").is_none());

    let trailing = Pattern::parse("/todos/").unwrap();
    assert!(trailing.matches("/todos/").is_some());
    assert!(trailing.matches("/todos").is_none());
}

#[test]
fn parameters_take_one_non_empty_segment() {
    let pattern = Pattern::parse("/todos/{id}/tags/{tag}").unwrap();
    let params = pattern.matches("/todos/7/tags/home").unwrap();
    assert_eq!(params.get("id"), Some("7"));
    assert_eq!(params.get("tag"), Some("home"));
    assert_eq!(params.get("other"), None);
    assert_eq!(params.len(), 2);
    let pairs: Vec<_> = params.iter().collect();
    assert_eq!(pairs, [("id", "7"), ("tag", "home")]);

    assert!(pattern.matches("/todos//tags/home").is_none());
    assert!(pattern.matches("/todos/7/tags/home/").is_none());
    assert!(pattern.matches("/todos/7/tags").is_none());
}

#[test]
fn catch_all_takes_the_rest_even_empty() {
    let pattern = Pattern::parse("/files/{*path}").unwrap();
    assert_eq!(
        pattern.matches("/files/a/b/c.txt").unwrap().get("path"),
        Some("a/b/c.txt")
    );
    assert_eq!(pattern.matches("/files/").unwrap().get("path"), Some(""));
    assert!(pattern.matches("/files").is_none());
    let everything = Pattern::parse("/{*rest}").unwrap();
    assert_eq!(everything.matches("/").unwrap().get("rest"), Some(""));
    assert_eq!(everything.matches("//x").unwrap().get("rest"), Some("/x"));
}

#[test]
fn parse_errors_name_the_problem_and_its_position() {
    let cases = [
        ("todos", PatternError::MissingLeadingSlash),
        ("", PatternError::MissingLeadingSlash),
        ("/a//b", PatternError::EmptySegment { position: 3 }),
        ("/a/{}", PatternError::EmptyParameterName { position: 3 }),
        ("/a/{*}", PatternError::EmptyParameterName { position: 3 }),
        ("/{1d}", PatternError::InvalidParameterName { position: 1 }),
        ("/{a-b}", PatternError::InvalidParameterName { position: 1 }),
        (
            "/{id}/x/{id}",
            PatternError::DuplicateParameter {
                name: "id".into(),
                position: 8,
            },
        ),
        ("/{*rest}/x", PatternError::CatchAllNotLast { position: 1 }),
        (
            "/file.{ext}",
            PatternError::ParameterNotWholeSegment { position: 1 },
        ),
        (
            "/{id",
            PatternError::ParameterNotWholeSegment { position: 1 },
        ),
        (
            "/a}",
            PatternError::ParameterNotWholeSegment { position: 1 },
        ),
        (
            "/a b",
            PatternError::InvalidCharacter {
                character: ' ',
                position: 2,
            },
        ),
        (
            "/a?b",
            PatternError::InvalidCharacter {
                character: '?',
                position: 2,
            },
        ),
        (
            "/x/%41",
            PatternError::InvalidCharacter {
                character: '%',
                position: 3,
            },
        ),
    ];
    for (source, expected) in cases {
        assert_eq!(Pattern::parse(source), Err(expected), "pattern {source:?}");
    }
    let nine = "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}";
    assert_eq!(
        Pattern::parse(nine),
        Err(PatternError::TooManyParameters { position: 33 })
    );
    assert!(Pattern::parse("/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}").is_ok());
}

#[test]
fn error_messages_read_as_sentences() {
    let error = Pattern::parse("/{*rest}/x").unwrap_err();
    assert_eq!(
        format!("{error}"),
        "the catch-all parameter at byte 1 must be the last segment"
    );
}

#[test]
fn non_ascii_literals_match_decoded_paths() {
    let pattern = Pattern::parse("/café/{name}").unwrap();
    assert_eq!(
        pattern.matches("/café/crème").unwrap().get("name"),
        Some("crème")
    );
}

#[test]
fn literals_are_more_specific_than_parameters_and_catch_alls() {
    let literal = Pattern::parse("/todos/new").unwrap();
    let parameter = Pattern::parse("/todos/{id}").unwrap();
    let catch_all = Pattern::parse("/todos/{*rest}").unwrap();
    let root_catch_all = Pattern::parse("/{*rest}").unwrap();
    assert_eq!(literal.specificity(&parameter), Ordering::Greater);
    assert_eq!(parameter.specificity(&catch_all), Ordering::Greater);
    assert_eq!(catch_all.specificity(&root_catch_all), Ordering::Greater);
    assert_eq!(root_catch_all.specificity(&literal), Ordering::Less);
}

#[test]
fn shapes_ignore_parameter_names() {
    let by_id = Pattern::parse("/todos/{id}").unwrap();
    let by_key = Pattern::parse("/todos/{key}").unwrap();
    let other = Pattern::parse("/items/{id}").unwrap();
    assert!(by_id.same_shape(&by_key));
    assert!(!by_id.same_shape(&other));
    assert_eq!(by_id.parameter_names().collect::<Vec<_>>(), ["id"]);
    assert_eq!(by_id.as_str(), "/todos/{id}");
}

/// A pattern's segments as the property tests generate them.
#[derive(Clone, Debug)]
enum Generated {
    Literal(String),
    Parameter,
}

fn generated_pattern() -> impl Strategy<Value = (Vec<Generated>, bool)> {
    let segment = prop_oneof![
        "[a-z0-9._~-]{1,6}".prop_map(Generated::Literal),
        Just(Generated::Parameter),
    ];
    (proptest::collection::vec(segment, 0..6), any::<bool>())
}

/// The pattern text, with parameters named `p0`, `p1`, … and the catch-all `rest`.
fn pattern_text(segments: &[Generated], catch_all: bool) -> String {
    let mut text = String::new();
    for (index, segment) in segments.iter().enumerate() {
        text.push('/');
        match segment {
            Generated::Literal(literal) => text.push_str(literal),
            Generated::Parameter => text.push_str(&format!("{{p{index}}}")),
        }
    }
    if catch_all {
        text.push_str("/{*rest}");
    }
    if text.is_empty() {
        text.push('/');
    }
    text
}

proptest! {
    #[test]
    fn a_path_built_from_a_pattern_matches_with_the_same_parameters(
        (segments, catch_all) in generated_pattern(),
        values in proptest::collection::vec("[^/]{1,8}", 6),
        rest in ".{0,12}",
    ) {
        let text = pattern_text(&segments, catch_all);
        let pattern = Pattern::parse(&text).unwrap();
        let mut path = String::new();
        for (index, segment) in segments.iter().enumerate() {
            path.push('/');
            match segment {
                Generated::Literal(literal) => path.push_str(literal),
                Generated::Parameter => path.push_str(&values[index]),
            }
        }
        if catch_all {
            path.push('/');
            path.push_str(&rest);
        }
        if path.is_empty() {
            path.push('/');
        }
        let params = pattern.matches(&path);
        prop_assert!(params.is_some(), "{} should match {}", path, text);
        let params = params.unwrap();
        for (index, segment) in segments.iter().enumerate() {
            if let Generated::Parameter = segment {
                prop_assert_eq!(params.get(&format!("p{index}")), Some(values[index].as_str()));
            }
        }
        if catch_all {
            prop_assert_eq!(params.get("rest"), Some(rest.as_str()));
        }
        // A request reads its parameters from its route's text and its path: the same ones.
        let read: Vec<(&str, &str)> = super::matched_parameters(&text, &path).collect();
        let captured: Vec<(&str, &str)> = params.iter().collect();
        prop_assert_eq!(&read, &captured);
        for (name, value) in captured {
            prop_assert_eq!(super::matched_parameter(&text, &path, name), Some(value));
        }
        prop_assert_eq!(super::matched_parameter(&text, &path, "absent"), None);
    }

    #[test]
    fn a_slash_inside_a_value_never_matches_a_single_segment_parameter(
        (segments, catch_all) in generated_pattern(),
        before in "[^/]{0,4}",
        after in "[^/]{0,4}",
    ) {
        let parameters: Vec<usize> = segments
            .iter()
            .enumerate()
            .filter(|(_, segment)| matches!(segment, Generated::Parameter))
            .map(|(index, _)| index)
            .collect();
        prop_assume!(!parameters.is_empty());
        let text = pattern_text(&segments, catch_all);
        let pattern = Pattern::parse(&text).unwrap();
        let target = parameters[0];
        let slashed = format!("{before}/{after}");
        let mut path = String::new();
        for (index, segment) in segments.iter().enumerate() {
            path.push('/');
            match segment {
                Generated::Literal(literal) => path.push_str(literal),
                Generated::Parameter if index == target => path.push_str(&slashed),
                Generated::Parameter => path.push('v'),
            }
        }
        if catch_all {
            path.push_str("/tail");
        }
        if let Some(params) = pattern.matches(&path) {
            prop_assert_ne!(params.get(&format!("p{target}")), Some(slashed.as_str()));
        }
    }

    #[test]
    fn parsing_and_matching_never_panic(source in ".{0,40}", path in ".{0,60}") {
        if let Ok(pattern) = Pattern::parse(&source) {
            let _ = pattern.matches(&path);
        }
    }

    #[test]
    fn matching_arbitrary_paths_against_a_fixed_pattern_never_panics(path in "(/[a-z{}*%]{0,3}){0,6}") {
        let pattern = Pattern::parse("/a/{b}/c/{*d}").unwrap();
        if let Some(params) = pattern.matches(&path) {
            prop_assert!(params.get("b").is_some_and(|value| !value.contains('/')));
        }
    }
}

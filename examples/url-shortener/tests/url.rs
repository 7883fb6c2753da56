//! Which URLs a link may point to, case by case (here rather than in src/: the sample hosts
//! are data, not addresses the image would call).

use url_shortener::url::{check, UrlProblem, MAX_LENGTH};

#[test]
fn web_addresses_are_accepted() {
    for url in [
        "https://example.com",
        "http://example.com/",
        "HTTPS://Example.COM/a/b?c=d&e=%20f#g",
        "https://example.com:8443/path",
        "http://192.0.2.1/",
        "http://[2001:db8::1]:8080/x",
        "http://[::ffff:192.0.2.1]/",
        "https://xn--bcher-kva.example./",
        "https://a.example?x",
        "https://a.example#top",
    ] {
        assert_eq!(check(url), Ok(()), "{url}");
    }
}

#[test]
fn everything_else_is_refused_with_its_reason() {
    for (url, problem) in [
        ("", UrlProblem::Empty),
        ("not a url", UrlProblem::NotPrintable),
        ("example.com", UrlProblem::Scheme),
        ("ftp://example.com/", UrlProblem::Scheme),
        ("javascript://%0aalert(1)", UrlProblem::Scheme),
        ("https://", UrlProblem::NoHost),
        ("https:///path", UrlProblem::NoHost),
        ("https://:80/", UrlProblem::NoHost),
        ("https://user:secret@example.com/", UrlProblem::Credentials),
        ("https://exa_mple.com/", UrlProblem::Host),
        ("https://-example.com/", UrlProblem::Host),
        ("https://a..example/", UrlProblem::Host),
        ("https://[zz::1]/", UrlProblem::Host),
        ("https://[::1/", UrlProblem::Host),
        ("https://[::1]x/", UrlProblem::Host),
        ("https://example.com:0/", UrlProblem::Port),
        ("https://example.com:65536/", UrlProblem::Port),
        ("https://example.com:000080/", UrlProblem::Port),
        ("https://example.com:http/", UrlProblem::Port),
        (
            "https://example.com/\r\nSet-Cookie: a=b",
            UrlProblem::NotPrintable,
        ),
        ("https://bücher.example/", UrlProblem::NotPrintable),
    ] {
        assert_eq!(check(url), Err(problem), "{url:?}");
    }
    let label = "a".repeat(64);
    assert_eq!(
        check(&format!("https://{label}.example/")),
        Err(UrlProblem::Host)
    );
}

#[test]
fn the_length_cap_counts_bytes() {
    let base = "https://example.com/";
    let fits: String = format!("{base}{}", "a".repeat(MAX_LENGTH - base.len()));
    assert_eq!(check(&fits), Ok(()));
    assert_eq!(check(&format!("{fits}a")), Err(UrlProblem::TooLong));
}

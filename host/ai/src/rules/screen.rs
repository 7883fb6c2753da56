//! What a description may not ask for: nothing at all, a book, another language, or something a
//! SauceOS image cannot be (a GPU, a Python app, a disk, an action on the user's files).

use std::sync::LazyLock;

use regex::Regex;

/// The longest description accepted, in bytes.
pub const MAX_DESCRIPTION_LENGTH: usize = 8 << 10;

/// Something the description asks for that SauceOS will not build, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The words that asked for it.
    pub phrase: String,
    /// Why it is not supported, and what to do instead.
    pub reason: String,
}

struct Impossible {
    pattern: &'static str,
    reason: &'static str,
}

const IMPOSSIBLE: &[Impossible] = &[
    Impossible { pattern: r"\b(gpus?|cuda|graphics cards?|opengl|vulkan|nvidia)\b", reason: "SauceOS images have no GPU: they run on one virtual CPU with virtio devices" },
    Impossible { pattern: r"\b(python|django|flask|fastapi|node\.?js|nodejs|express\.js|php|ruby|rails|java|spring boot|golang|\.net|c#|perl)\b", reason: "SauceOS compiles Rust into the image and cannot run another language's app; describe what the service should do and sauce writes it in Rust" },
    Impossible { pattern: r"\b(delete|remove|erase|wipe|destroy)\b[^.;]{0,24}\b(files?|folders?|directory|directories|disks?|drives?|home|system|computer|machine|repository)\b|\brm\s+-rf\b", reason: "sauce builds a service image; it never acts on the files of your machine" },
    Impossible { pattern: r"\b(postgres(ql)?|mysql|mariadb|redis|mongodb|sqlite|databases?|sql)\b", reason: "an image has no disk and no database client yet; keep the data in the app's memory (it is lost when the VM stops)" },
    Impossible { pattern: r"\b(https|tls|ssl|certificates?|let'?s ?encrypt)\b", reason: "SauceOS serves plain HTTP; put a TLS proxy in front of it" },
    Impossible { pattern: r"\b(websockets?|udp|grpc|ssh|smtp|e-?mails?|mqtt|ftp|dns server)\b", reason: "SauceOS serves HTTP/1.1 only" },
    Impossible { pattern: r"\b(multiple (cpus|cores)|multi-?core|multi-?thread(ed|ing)?)\b", reason: "SauceOS images run on one virtual CPU" },
    Impossible { pattern: r"\b(file ?system|persistent storage|hard disk|disk|volumes?|uploads? files?|file uploads?)\b", reason: "an image has no disk: it serves files embedded at build time and keeps data in memory" },
    Impossible { pattern: r"\b(usb|bluetooth|camera|gpio|microphone|printer)\b", reason: "an image sees only virtio network and serial devices" },
    Impossible { pattern: r"\b(reverse proxy|proxies|forwards? requests|external api|third-party api|calls? (an|another|a remote) (api|service)|scrapes?|crawls?|fetch(es)? (data )?from)\b", reason: "outbound connections from an image are not supported yet" },
    Impossible { pattern: r"\b(shell|terminal access|run commands|execute commands)\b", reason: "an image has no shell and runs no commands" },
    Impossible { pattern: r"\b(machine learning|neural networks?|llms?|chatgpt|train(s|ing)? a model|inference)\b", reason: "an image cannot run models" },
];

static IMPOSSIBLE_PATTERNS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    IMPOSSIBLE
        .iter()
        .filter_map(|impossible| {
            Regex::new(&format!("(?i){}", impossible.pattern))
                .ok()
                .map(|pattern| (pattern, impossible.reason))
        })
        .collect()
});

static URL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[A-Za-z][A-Za-z0-9+.-]*://\S+").ok());

const ENGLISH: &[&str] = &[
    "the", "and", "with", "that", "for", "of", "is", "which", "it", "serves", "returns", "service",
    "server", "from", "my", "should", "route", "page",
];
const OTHER_LANGUAGES: &[(&str, &[&str])] = &[
    (
        "French",
        &[
            "le", "la", "les", "des", "une", "et", "avec", "qui", "sur", "pour", "du", "est",
            "dans", "je", "mon", "serveur", "renvoie",
        ],
    ),
    (
        "German",
        &[
            "der", "die", "das", "und", "mit", "ein", "eine", "auf", "für", "ist", "ich", "mein",
            "dem", "den", "von", "zu", "gibt",
        ],
    ),
    (
        "Spanish",
        &[
            "el", "los", "las", "una", "y", "con", "que", "para", "del", "es", "por", "mi",
            "servidor", "devuelve",
        ],
    ),
    (
        "Italian",
        &[
            "il",
            "gli",
            "che",
            "per",
            "di",
            "della",
            "una",
            "è",
            "servizio",
            "restituisce",
        ],
    ),
    (
        "Portuguese",
        &[
            "os", "uma", "com", "que", "para", "não", "em", "um", "serviço", "retorna",
        ],
    ),
    (
        "Dutch",
        &[
            "het", "een", "en", "met", "voor", "van", "op", "dat", "geeft",
        ],
    ),
];

/// Every reason the description cannot be built, empty when it may go on.
pub fn screen(description: &str) -> Vec<Refusal> {
    let trimmed = description.trim();
    if trimmed.is_empty() {
        return vec![Refusal {
            phrase: String::new(),
            reason: "the description is empty: say what the service should do, e.g. \"a hello service on port 8080\"".to_owned(),
        }];
    }
    if description.len() > MAX_DESCRIPTION_LENGTH {
        return vec![Refusal {
            phrase: String::new(),
            reason: format!(
                "the description is {} bytes long, more than the {} a description may have: describe the service in a paragraph",
                description.len(),
                MAX_DESCRIPTION_LENGTH
            ),
        }];
    }
    if let Some(language) = other_language(trimmed) {
        return vec![Refusal {
            phrase: String::new(),
            reason: format!("the description looks like {language}; sauce understands descriptions in English only: please write it in English"),
        }];
    }
    let without_urls = match URL.as_ref() {
        Some(url) => url.replace_all(trimmed, " ").into_owned(),
        None => trimmed.to_owned(),
    };
    let mut refusals: Vec<Refusal> = Vec::new();
    for (pattern, reason) in IMPOSSIBLE_PATTERNS.iter() {
        if let Some(found) = pattern.find(&without_urls) {
            if !refusals.iter().any(|refusal| refusal.reason == *reason) {
                refusals.push(Refusal {
                    phrase: found.as_str().to_owned(),
                    reason: (*reason).to_owned(),
                });
            }
        }
    }
    refusals
}

/// The language a description seems to be written in, when it is not English.
fn other_language(text: &str) -> Option<&'static str> {
    let letters: Vec<char> = text
        .chars()
        .filter(|character| character.is_alphabetic())
        .collect();
    if letters.is_empty() {
        return None;
    }
    let latin = letters
        .iter()
        .filter(|character| {
            character.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(character)
        })
        .count();
    if latin * 10 < letters.len() * 7 {
        return Some("a language not written in the Latin alphabet");
    }
    let words: Vec<String> = text
        .split(|character: char| !character.is_alphabetic())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    let count = |list: &[&str]| {
        words
            .iter()
            .filter(|word| list.contains(&word.as_str()))
            .count()
    };
    let english = count(ENGLISH);
    OTHER_LANGUAGES
        .iter()
        .map(|(language, list)| (*language, count(list)))
        .filter(|(_, found)| *found >= 2 && *found > english)
        .max_by_key(|(_, found)| *found)
        .map(|(language, _)| language)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(description: &str) -> Vec<String> {
        screen(description)
            .into_iter()
            .map(|refusal| refusal.reason)
            .collect()
    }

    #[test]
    fn ordinary_descriptions_pass() {
        for description in [
            "a hello service on port 8080",
            "a static site from the folder public, small",
            "a JSON API for a shop: list products, get one by id, create orders with validation, and a health check on /healthz",
            "redirect /docs to https://docs.example.com/ and /old to /new",
            "a counter that counts requests",
        ] {
            assert_eq!(reasons(description), Vec::<String>::new(), "{description}");
        }
    }

    #[test]
    fn empty_and_huge_descriptions_are_refused() {
        assert!(reasons("  \n ")[0].starts_with("the description is empty"));
        let huge = "a hello service ".repeat(7_000);
        let found = reasons(&huge);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("112000 bytes long"), "{}", found[0]);
    }

    #[test]
    fn other_languages_are_refused() {
        for (description, language) in [
            (
                "un serveur web qui renvoie bonjour sur le port 8080 avec une page",
                "French",
            ),
            (
                "ein Webserver, der auf dem Port 8080 hallo sagt und mit JSON antwortet",
                "German",
            ),
            (
                "un servidor que devuelve hola en el puerto 8080 con una página",
                "Spanish",
            ),
            (
                "веб-сервер, который отвечает привет на порту 8080",
                "Latin alphabet",
            ),
            ("ポート8080でこんにちはと返すサーバー", "Latin alphabet"),
        ] {
            let found = reasons(description);
            assert_eq!(found.len(), 1, "{description}");
            assert!(
                found[0].contains(language) && found[0].contains("English only"),
                "{description}: {}",
                found[0]
            );
        }
    }

    #[test]
    fn impossible_requests_are_refused_with_reasons() {
        let cases = [
            ("train a model on my GPU", "no GPU"),
            (
                "a Python app with Flask",
                "cannot run another language's app",
            ),
            ("delete my files", "never acts on the files"),
            ("wipe the disk", "never acts on the files"),
            ("store orders in Postgres", "no database client"),
            ("a chat server over websockets", "HTTP/1.1 only"),
            ("serve the site over HTTPS with a certificate", "plain HTTP"),
        ];
        for (description, reason) in cases {
            let found = reasons(description);
            assert!(
                found.iter().any(|found| found.contains(reason)),
                "{description}: {found:?}"
            );
        }
        let refusal = &screen("a Python app")[0];
        assert_eq!(refusal.phrase, "Python");
    }

    #[test]
    fn urls_do_not_trip_the_screen() {
        assert!(reasons("redirect /py to https://python.org/downloads").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(description in "\\PC{0,200}") {
            let _ = screen(&description);
        }
    }
}

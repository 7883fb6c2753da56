//! The words of a description the rules did not use: everything outside the recognised
//! phrases that is not filler, grouped by clause.

/// Words that carry no request of their own.
const FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "with",
    "without",
    "that",
    "which",
    "who",
    "on",
    "at",
    "in",
    "into",
    "of",
    "for",
    "to",
    "from",
    "by",
    "as",
    "is",
    "are",
    "be",
    "it",
    "its",
    "this",
    "these",
    "those",
    "me",
    "my",
    "i",
    "we",
    "our",
    "us",
    "you",
    "your",
    "please",
    "just",
    "also",
    "only",
    "simple",
    "simply",
    "basic",
    "service",
    "services",
    "server",
    "app",
    "application",
    "web",
    "http",
    "unikernel",
    "image",
    "sauceos",
    "sauce",
    "build",
    "make",
    "create",
    "write",
    "generate",
    "want",
    "need",
    "needs",
    "should",
    "would",
    "like",
    "can",
    "could",
    "will",
    "must",
    "some",
    "serve",
    "serves",
    "serving",
    "served",
    "return",
    "returns",
    "returning",
    "respond",
    "responds",
    "answer",
    "answers",
    "listen",
    "listens",
    "listening",
    "page",
    "pages",
    "run",
    "runs",
    "running",
    "one",
    "each",
    "every",
    "all",
    "any",
    "there",
    "here",
    "so",
    "then",
    "when",
    "get",
    "gets",
    "give",
    "gives",
    "provide",
    "provides",
    "offer",
    "offers",
    "has",
    "have",
    "do",
    "does",
    "route",
    "routes",
    "endpoint",
    "endpoints",
    "request",
    "requests",
    "response",
    "responses",
    "api",
    "json",
    "text",
    "plain",
    "html",
    "site",
    "website",
    "else",
    "everything",
    "other",
    "otherwise",
    "paths",
    "path",
    "also",
    "port",
    "memory",
    "ram",
    "of",
    "too",
    "very",
    "really",
    "new",
    "let",
    "s",
    "it's",
    "that's",
    "what",
    "now",
    "use",
    "using",
    "uses",
    "used",
    "get",
    "go",
    "goes",
    "small",
    "over",
];

/// The words outside `used` that are not filler, grouped by clause.
pub fn unused_words(text: &str, used: &[std::ops::Range<usize>]) -> Vec<String> {
    let mut phrases = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut start = None;
    let flush = |current: &mut Vec<&str>, phrases: &mut Vec<String>| {
        if !current.is_empty() {
            phrases.push(current.join(" "));
            current.clear();
        }
    };
    for (index, character) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let in_word = character.is_alphanumeric()
            || character == '\''
            || character == '-'
            || character == '/';
        match (start, in_word) {
            (None, true) => start = Some(index),
            (Some(begin), false) => {
                start = None;
                let word = &text[begin..index];
                let free = used
                    .iter()
                    .all(|range| range.end <= begin || index <= range.start);
                let lower = word.to_lowercase();
                if free
                    && !FILLER.contains(&lower.as_str())
                    && !word
                        .chars()
                        .all(|character| character == '-' || character == '\'')
                {
                    current.push(word);
                }
                if ",;.!?:\n(".contains(character) {
                    flush(&mut current, &mut phrases);
                }
            }
            (None, false) => {
                if ",;.!?:\n(".contains(character) {
                    flush(&mut current, &mut phrases);
                }
            }
            (Some(_), true) => {}
        }
    }
    flush(&mut current, &mut phrases);
    phrases
}

//! Reading a description with the patterns: each recognised phrase fills the draft and is
//! marked used, so what is left over can be reported word for word.

use std::ops::Range;

use regex::{Captures, Regex};
use sauce_intent::{AppName, MemorySize, Optimize};
use serde_json::{json, Value};

use super::draft::{Draft, DraftResponse, DraftRoute};
use super::patterns::*;
use super::Understood;

/// The state of one reading.
pub struct Reader<'a> {
    text: &'a str,
    used: Vec<Range<usize>>,
    /// The draft so far.
    pub draft: Draft,
    /// What each recognised phrase meant.
    pub understood: Vec<Understood>,
    /// Phrases recognised but unusable, each with the reason.
    pub unusable: Vec<String>,
}

fn group<'t>(captures: &Captures<'t>, index: usize) -> Option<regex::Match<'t>> {
    captures.get(index)
}

/// The text of the first quoted alternative that matched, starting at capture `first`.
fn quoted(captures: &Captures<'_>, first: usize) -> Option<String> {
    (first..first + 4)
        .find_map(|index| captures.get(index))
        .map(|found| found.as_str().to_owned())
}

fn trim_path(path: &str) -> &str {
    path.trim_end_matches(['.', ',', ':', ';', ')'])
}

impl<'a> Reader<'a> {
    /// A reader of `text`.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            used: Vec::new(),
            draft: Draft::default(),
            understood: Vec::new(),
            unusable: Vec::new(),
        }
    }

    /// Whether `range` overlaps nothing used yet.
    pub fn is_free(&self, range: &Range<usize>) -> bool {
        self.used
            .iter()
            .all(|used| used.end <= range.start || range.end <= used.start)
    }

    /// The ranges used so far.
    pub fn used(&self) -> &[Range<usize>] {
        &self.used
    }

    fn mark(&mut self, range: Range<usize>, meaning: String) {
        let phrase = self.text.get(range.clone()).unwrap_or("").trim().to_owned();
        self.used.push(range);
        self.understood.push(Understood { phrase, meaning });
    }

    fn unusable(&mut self, range: Range<usize>, reason: String) {
        let phrase = self.text.get(range.clone()).unwrap_or("").trim().to_owned();
        self.used.push(range);
        self.unusable.push(format!("\"{phrase}\": {reason}"));
    }

    /// Every free match of `regex`, as owned captures' ranges, in order.
    fn matches(&self, regex: &Regex) -> Vec<Vec<Option<Range<usize>>>> {
        regex
            .captures_iter(self.text)
            .filter(|captures| {
                captures
                    .get(0)
                    .is_some_and(|whole| self.is_free(&whole.range()))
            })
            .map(|captures| {
                (0..captures.len())
                    .map(|index| group(&captures, index).map(|found| found.range()))
                    .collect()
            })
            .collect()
    }

    fn slice(&self, range: &Option<Range<usize>>) -> &'a str {
        range
            .as_ref()
            .and_then(|range| self.text.get(range.clone()))
            .unwrap_or("")
    }

    fn add_route(&mut self, path: &str, response: DraftResponse, status: Option<u16>) -> bool {
        if self.draft.route(path).is_some() {
            return false;
        }
        self.draft.routes.push(DraftRoute {
            path: path.to_owned(),
            response,
            status,
        });
        true
    }

    /// Runs every recognizer in order: the specific before the general.
    pub fn read_all(&mut self) {
        self.redirects();
        self.health();
        self.folders();
        self.not_found();
        self.quoted_at_paths();
        self.paths_with_literals();
        self.says();
        self.hello();
        self.settings();
    }

    fn redirects(&mut self) {
        for regex in [&*REDIRECT_FROM, &*REDIRECT_TO] {
            for captures in self.matches(regex) {
                let Some(whole) = captures[0].clone() else {
                    continue;
                };
                let from = trim_path(self.slice(&captures[1])).to_owned();
                let target = trim_path(self.slice(&captures[2])).to_owned();
                let context = &self.text[whole.start..self.clause_end(whole.end)];
                let status = if TEMPORARY.is_match(context) {
                    Some(307)
                } else {
                    [301u16, 302, 303, 307, 308]
                        .into_iter()
                        .find(|status| context.contains(&status.to_string()))
                };
                if self.add_route(
                    &from,
                    DraftResponse::Redirect(target.clone()),
                    status.filter(|status| *status != 308),
                ) {
                    self.mark(
                        whole,
                        format!(
                            "a redirect from {from} to {target} ({})",
                            status.unwrap_or(308)
                        ),
                    );
                }
            }
        }
    }

    fn health(&mut self) {
        for regex in [&*HEALTH_AT, &*PATH_HEALTH] {
            for captures in self.matches(regex) {
                let Some(whole) = captures[0].clone() else {
                    continue;
                };
                let path = trim_path(self.slice(&captures[1])).to_owned();
                if self.add_route(&path, DraftResponse::Json(json!({ "status": "ok" })), None) {
                    self.mark(
                        whole,
                        format!("a health check at {path} answering {{\"status\": \"ok\"}}"),
                    );
                }
            }
        }
        for captures in self.matches(&HEALTH) {
            if let Some(whole) = captures[0].clone() {
                self.unusable(
                    whole,
                    "a health check needs a path, such as \"a health check on /healthz\""
                        .to_owned(),
                );
            }
        }
    }

    fn folders(&mut self) {
        let mut found_folder = false;
        for captures in self.matches(&FOLDER) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            let written = self.slice(&captures[1]).to_owned();
            let folder = written
                .trim_start_matches("./")
                .trim_end_matches('/')
                .to_owned();
            if written.starts_with('/')
                || written.starts_with('~')
                || folder.split('/').any(|part| part == ".." || part == ".")
                || folder.is_empty()
            {
                self.unusable(
                    whole,
                    "the folder must be inside the project folder; put the files in public/"
                        .to_owned(),
                );
                continue;
            }
            let mut end = whole.end;
            let mut prefix = "/*".to_owned();
            if let Some(mount) = MOUNT.captures(&self.text[end..]) {
                if let (Some(all), Some(path)) = (mount.get(0), mount.get(1)) {
                    let path = trim_path(path.as_str())
                        .trim_end_matches('*')
                        .trim_end_matches('/');
                    prefix = format!("{path}/*");
                    end += all.end();
                }
            }
            let served = if folder == "public" || folder.starts_with("public/") {
                folder.clone()
            } else {
                self.unusable.push(format!("\"{written}\": a generated project keeps its files in public/, so the route serves public/ (move your files there)"));
                "public".to_owned()
            };
            if self.add_route(&prefix, DraftResponse::Dir(served.clone()), None) {
                found_folder = true;
                self.mark(
                    whole.start..end,
                    format!("the files of {served}/ served at {prefix}"),
                );
            }
        }
        for captures in self.matches(&STATIC_SITE) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            if !found_folder && self.add_route("/*", DraftResponse::Dir("public".to_owned()), None)
            {
                found_folder = true;
                self.mark(
                    whole,
                    "a static site: the files of public/ served at /*".to_owned(),
                );
            } else {
                self.mark(whole, "a static site".to_owned());
            }
        }
    }

    fn not_found(&mut self) {
        for captures in self.matches(&NOT_FOUND_SAYS) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            let text = (1..5)
                .find_map(|index| captures[index].clone())
                .map(|range| self.text[range].to_owned())
                .unwrap_or_default();
            if self.draft.not_found.is_none() {
                self.draft.not_found = Some(DraftResponse::Body(text.clone()));
                self.mark(whole, format!("a 404 page saying {text:?}"));
            }
        }
        for captures in self.matches(&NOT_FOUND_JSON) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            let start = whole.end - 1;
            if let Some((value, length)) = json_at(&self.text[start..]) {
                if self.draft.not_found.is_none() {
                    self.draft.not_found = Some(DraftResponse::Json(value.clone()));
                    self.mark(
                        whole.start..start + length,
                        format!("a JSON 404 answering {value}"),
                    );
                }
            }
        }
        for captures in self.matches(&JSON_NOT_FOUND) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            if self.draft.not_found.is_none() {
                self.draft.not_found = Some(DraftResponse::Json(json!({ "error": "not found" })));
                self.mark(
                    whole,
                    "a JSON 404 answering {\"error\": \"not found\"}".to_owned(),
                );
            }
        }
    }

    fn quoted_at_paths(&mut self) {
        for captures in self.matches(&QUOTED_AT) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            let text = (1..5)
                .find_map(|index| captures[index].clone())
                .map(|range| self.text[range].to_owned())
                .unwrap_or_default();
            let path = trim_path(self.slice(&captures[5])).to_owned();
            if self.add_route(&path, DraftResponse::Body(text.clone()), None) {
                self.mark(whole, format!("{path} answering the text {text:?}"));
            }
        }
    }

    fn paths_with_literals(&mut self) {
        for captures in self.matches(&ROUTE_PATH) {
            let Some(path_range) = captures[1].clone() else {
                continue;
            };
            if !self.is_free(&path_range) {
                continue;
            }
            let path = trim_path(&self.text[path_range.clone()]).to_owned();
            let after = path_range.start + path.len();
            let rest = &self.text[after..];
            let connective = CONNECTIVE.find(rest).map_or(0, |found| found.end());
            let literal_start = after + connective;
            let literal = &self.text[literal_start..];
            let status = STATUS
                .captures(&self.text[after..self.clause_end(after)])
                .and_then(|captures| captures.get(1))
                .and_then(|status| status.as_str().parse::<u16>().ok());
            if literal.starts_with(['{', '[']) {
                match json_at(literal) {
                    Some((value, length)) => {
                        if self.add_route(&path, DraftResponse::Json(value.clone()), status) {
                            self.mark(path_range.start..literal_start + length, format!("{path} answering the JSON {value}"));
                        }
                    }
                    None => self.unusable(path_range.start..literal_start + 1, format!("the JSON after {path} does not parse; write it as JSON, e.g. {{\"status\": \"ok\"}}")),
                }
            } else if let Some(captures) = regex_quoted().captures(literal) {
                if let Some(whole) = captures.get(0).filter(|whole| whole.start() == 0) {
                    let text = quoted(&captures, 1).unwrap_or_default();
                    if self.add_route(&path, DraftResponse::Body(text.clone()), status) {
                        self.mark(
                            path_range.start..literal_start + whole.end(),
                            format!("{path} answering the text {text:?}"),
                        );
                    }
                }
            }
        }
    }

    /// Where the clause going on at `from` ends: a comma, semicolon or line end, or a full stop
    /// followed by a blank (not the dots of a URL).
    fn clause_end(&self, from: usize) -> usize {
        let rest = &self.text[from..];
        rest.char_indices()
            .find(|&(index, character)| {
                matches!(character, ',' | ';' | '\n')
                    || character == '.'
                        && rest[index + 1..]
                            .chars()
                            .next()
                            .is_none_or(char::is_whitespace)
            })
            .map_or(self.text.len(), |(index, _)| from + index)
    }

    fn says(&mut self) {
        for captures in self.matches(&SAYS) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            let text = (1..5)
                .find_map(|index| captures[index].clone())
                .map(|range| self.text[range].to_owned())
                .unwrap_or_default();
            if SERIAL.is_match(self.text) {
                self.mark(whole, "a serial-only app".to_owned());
            } else if self.add_route("/", DraftResponse::Body(text.clone()), None) {
                self.mark(whole, format!("/ answering the text {text:?}"));
            }
        }
    }

    fn hello(&mut self) {
        for captures in self.matches(&SERIAL) {
            if let Some(whole) = captures[0].clone() {
                self.draft.serial_only = true;
                self.mark(whole, "a serial-only app: no HTTP".to_owned());
            }
        }
        for captures in self.matches(&HELLO) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            if self.draft.serial_only {
                self.mark(whole, "a hello app".to_owned());
                continue;
            }
            let world = self.text[whole.clone()]
                .to_ascii_lowercase()
                .contains("world");
            let body = if world {
                "Hello, world!\n"
            } else {
                "Hello from SauceOS\n"
            };
            if self.add_route("/", DraftResponse::Body(body.to_owned()), None) {
                self.mark(whole, format!("a hello service: / answers {body:?}"));
            } else {
                self.mark(whole, "a hello service".to_owned());
            }
        }
    }

    fn settings(&mut self) {
        for captures in self.matches(&PORT) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            let digits = captures[1]
                .clone()
                .or_else(|| captures[2].clone())
                .map(|range| &self.text[range])
                .unwrap_or("");
            match digits.parse::<u16>() {
                Ok(port) if port > 0 => {
                    self.draft.port = Some(port);
                    self.mark(whole, format!("port {port}"));
                }
                _ => self.unusable(whole, "a port is a number from 1 to 65535".to_owned()),
            }
        }
        for captures in self.matches(&MEMORY) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            let number: f64 = self.slice(&captures[1]).parse().unwrap_or(0.0);
            let unit = self.slice(&captures[2]).to_ascii_lowercase();
            let kibibytes = match unit.chars().next() {
                Some('k') => number,
                Some('m') => number * 1024.0,
                _ => number * 1024.0 * 1024.0,
            };
            let text = format!("{}KiB", kibibytes.round() as u64);
            match text.parse::<MemorySize>() {
                Ok(size) => {
                    self.draft.memory = Some(size);
                    let decimal = !unit.contains('i');
                    self.mark(
                        whole,
                        format!(
                            "{size} of memory{}",
                            if decimal {
                                " (read as binary units)"
                            } else {
                                ""
                            }
                        ),
                    );
                }
                Err(error) => self.unusable(whole, error.to_string()),
            }
        }
        let small: Vec<_> = self
            .matches(&SMALL)
            .into_iter()
            .filter_map(|captures| captures[0].clone())
            .collect();
        let fast: Vec<_> = self
            .matches(&FAST)
            .into_iter()
            .filter_map(|captures| captures[0].clone())
            .collect();
        match (small.is_empty(), fast.is_empty()) {
            (false, true) => {
                self.draft.optimize = Some(Optimize::Size);
                for range in small {
                    self.mark(range, "optimised for size".to_owned());
                }
            }
            (true, false) => {
                self.draft.optimize = Some(Optimize::Speed);
                for range in fast {
                    self.mark(range, "optimised for speed".to_owned());
                }
            }
            (false, false) => {
                for range in small.into_iter().chain(fast) {
                    self.unusable(
                        range,
                        "asks for both a small and a fast image; say which matters more".to_owned(),
                    );
                }
            }
            (true, true) => {}
        }
        for captures in self.matches(&CONNECTIONS) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            match self.slice(&captures[1]).parse::<u16>() {
                Ok(count) if (1..=16384).contains(&count) => {
                    self.draft.max_connections = Some(count);
                    self.mark(whole, format!("at most {count} connections at once"));
                }
                _ => self.unusable(
                    whole,
                    "an image serves from 1 to 16384 connections at once".to_owned(),
                ),
            }
        }
        for captures in self.matches(&DHCP) {
            if let Some(whole) = captures[0].clone() {
                self.draft.ip = Some("dhcp".to_owned());
                self.mark(whole, "an address from DHCP".to_owned());
            }
        }
        for captures in self.matches(&STATIC_IP) {
            if let Some(whole) = captures[0].clone() {
                let address = self.text[whole.clone()].to_owned();
                self.draft.ip = Some(address.clone());
                self.mark(whole, format!("the address {address}"));
            }
        }
        for captures in self.matches(&GATEWAY) {
            if let Some(whole) = captures[0].clone() {
                let gateway = self.slice(&captures[1]).to_owned();
                self.draft.gateway = Some(gateway.clone());
                self.mark(whole, format!("the gateway {gateway}"));
            }
        }
        for captures in self.matches(&VMM) {
            if let Some(whole) = captures[0].clone() {
                let vmm = self.slice(&captures[1]).to_ascii_lowercase();
                self.draft.vmm = Some(vmm.clone());
                self.mark(whole, format!("runs on {vmm}"));
            }
        }
        for captures in self.matches(&MACHINE) {
            if let Some(whole) = captures[0].clone() {
                let machine = self.slice(&captures[1]).to_ascii_lowercase();
                self.draft.machine = Some(machine.clone());
                self.mark(whole, format!("QEMU's {machine} machine"));
            }
        }
        for captures in self.matches(&NAME) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            let name = self.slice(&captures[1]).to_ascii_lowercase();
            if AppName::new(&name).is_ok() {
                self.draft.name = Some(name.clone());
                self.mark(whole, format!("the app is named {name}"));
            }
        }
    }
}

fn regex_quoted() -> &'static Regex {
    static QUOTED_ONLY: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(QUOTED).expect("the quoted-text pattern is valid"));
    &QUOTED_ONLY
}

/// The JSON value at the start of `text` and the bytes it spans.
pub fn json_at(text: &str) -> Option<(Value, usize)> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let value = stream.next()?.ok()?;
    Some((value, stream.byte_offset()))
}

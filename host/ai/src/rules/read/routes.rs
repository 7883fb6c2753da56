//! The route recognizers: redirects, health checks, folders, 404 pages, literal answers, hello.

use serde_json::json;

use super::{json_at, quoted, regex_quoted, trim_path, Reader};
use crate::rules::draft::DraftResponse;
use crate::rules::patterns::*;

impl<'a> Reader<'a> {
    pub(super) fn redirects(&mut self) {
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

    pub(super) fn health(&mut self) {
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

    pub(super) fn folders(&mut self) {
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

    pub(super) fn not_found(&mut self) {
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

    pub(super) fn quoted_at_paths(&mut self) {
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

    pub(super) fn paths_with_literals(&mut self) {
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

    pub(super) fn says(&mut self) {
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

    pub(super) fn hello(&mut self) {
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
}

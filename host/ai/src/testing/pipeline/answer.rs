//! What the fake image answers: the intent's static routes served as the image would serve them,
//! handler routes matched by pattern and answered with an empty JSON object.

use std::fs;

use sauce_intent::{content_type_for, Intent, RouteResponse};

use crate::probe::{Probe, ProbeResponse};

fn decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                index += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// What an image serving `intent`'s static routes answers to `probe`.
pub fn answer(intent: &Intent, probe: &Probe) -> ProbeResponse {
    let mut response = ProbeResponse {
        status: 404,
        headers: vec![(
            "Content-Type".to_owned(),
            "text/plain; charset=utf-8".to_owned(),
        )],
        body: b"not found\n".to_vec(),
    };
    let Some(http) = &intent.http else {
        return response;
    };
    let path = decode(probe.path.split('?').next().unwrap_or(""));
    let exact = http
        .routes
        .iter()
        .find(|route| route.prefix().is_none() && route.path == path)
        .or_else(|| {
            http.routes.iter().find(|route| {
                matches!(route.response, RouteResponse::Handler(_))
                    && pattern_matches(&route.path, &path)
            })
        });
    let prefixed = http
        .routes
        .iter()
        .filter(|route| {
            route
                .prefix()
                .is_some_and(|prefix| path.starts_with(prefix))
        })
        .max_by_key(|route| route.path.len());
    let route = exact.or(prefixed);
    let found = route.and_then(|route| {
        let body = match &route.response {
            RouteResponse::Body(text) | RouteResponse::Json(text) => text.clone().into_bytes(),
            RouteResponse::File(file) => fs::read(file).ok()?,
            RouteResponse::Redirect(_) => Vec::new(),
            // The fake runs no code: a handler answers an empty JSON object.
            RouteResponse::Handler(_) => {
                return Some(ProbeResponse {
                    status: 200,
                    headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
                    body: b"{}".to_vec(),
                })
            }
            RouteResponse::Dir(folder) => {
                let rest = path
                    .strip_prefix(route.prefix().unwrap_or("/"))
                    .unwrap_or("");
                let name = if rest.is_empty() || rest.ends_with('/') {
                    format!("{rest}index.html")
                } else {
                    rest.to_owned()
                };
                let file = folder.join(&name);
                let content = fs::read(&file).ok()?;
                return Some(ProbeResponse {
                    status: 200,
                    headers: vec![(
                        "Content-Type".to_owned(),
                        content_type_for(&file).to_owned(),
                    )],
                    body: content,
                });
            }
        };
        let mut headers = Vec::new();
        if let Some(content_type) = route.effective_content_type() {
            headers.push(("Content-Type".to_owned(), content_type.to_owned()));
        }
        if let RouteResponse::Redirect(location) = &route.response {
            headers.push(("Location".to_owned(), location.clone()));
        }
        Some(ProbeResponse {
            status: route.status,
            headers,
            body,
        })
    });
    let allowed = route.map_or(Vec::new(), |route| {
        if route.methods.is_empty() {
            vec!["GET".to_owned(), "HEAD".to_owned()]
        } else {
            let mut methods = route.methods.clone();
            if methods.iter().any(|method| method == "GET") {
                methods.push("HEAD".to_owned());
            }
            methods
        }
    });
    match found {
        Some(found) if allowed.contains(&probe.method) => found,
        Some(_) => ProbeResponse {
            status: 405,
            headers: Vec::new(),
            body: Vec::new(),
        },
        None => {
            if let Some(not_found) = &http.not_found {
                let body = match &not_found.response {
                    RouteResponse::Body(text) | RouteResponse::Json(text) => {
                        text.clone().into_bytes()
                    }
                    RouteResponse::File(file) => fs::read(file).unwrap_or_default(),
                    _ => Vec::new(),
                };
                response.headers = not_found
                    .effective_content_type()
                    .map(|content_type| vec![("Content-Type".to_owned(), content_type.to_owned())])
                    .unwrap_or_default();
                response.body = body;
            }
            response
        }
    }
}

/// Whether a handler route's `pattern` (`/todos/{id}`, `/files/{*rest}`) matches `path`.
pub(super) fn pattern_matches(pattern: &str, path: &str) -> bool {
    let mut segments = path.split('/');
    for expected in pattern.split('/') {
        if expected.starts_with("{*") {
            return true;
        }
        match segments.next() {
            Some(segment) if expected.starts_with('{') => {
                if segment.is_empty() {
                    return false;
                }
            }
            Some(segment) if segment == expected => {}
            _ => return false,
        }
    }
    segments.next().is_none()
}

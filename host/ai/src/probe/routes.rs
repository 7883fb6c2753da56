//! The probes every declared route gets: its path answers with its status and content type, a
//! redirect points where it says, a folder serves a file, and an unknown path gets 404.

use std::fs;
use std::path::Path;

use sauce_intent::{content_type_for, Intent, Route, RouteResponse};

use super::{encode_path, media_type, ExpectedStatus, Probe, ProbeOrigin};

/// A path no generated project declares, probed for the 404 answer.
pub const MISSING_PATH: &str = "/sauce-probe/missing";

/// One probe per route of `intent` that can be probed without knowing the app's data, plus one
/// for an unknown path when no catch-all route covers it.
pub fn probes_for_intent(intent: &Intent) -> Vec<Probe> {
    let Some(http) = &intent.http else {
        return Vec::new();
    };
    let mut probes = Vec::new();
    for (index, route) in http.routes.iter().enumerate() {
        let origin = ProbeOrigin::Declared(format!("http.route.{index}"));
        if let RouteResponse::Handler(_) = route.response {
            probes.push(handler_probe(route, origin));
            continue;
        }
        let target = match (&route.response, route.prefix()) {
            (RouteResponse::Dir(folder), Some(prefix)) => match servable_file(folder) {
                Some((name, content_type)) => {
                    let path = if name == "index.html" {
                        prefix.to_owned()
                    } else {
                        format!("{prefix}{name}")
                    };
                    Some((path, Some(content_type.to_owned())))
                }
                None => None,
            },
            (_, Some(prefix)) => Some((
                format!("{prefix}sauce-probe"),
                route.effective_content_type().map(str::to_owned),
            )),
            (_, None) => Some((
                route.path.clone(),
                route.effective_content_type().map(str::to_owned),
            )),
        };
        let Some((path, content_type)) = target else {
            continue;
        };
        let location = match &route.response {
            RouteResponse::Redirect(location) => Some(location.clone()),
            _ => None,
        };
        probes.push(Probe {
            method: "GET".to_owned(),
            path: encode_path(&path),
            body: None,
            status: ExpectedStatus::Exactly(route.status),
            content_type: content_type.map(|content_type| media_type(&content_type)),
            location,
            origin,
        });
    }
    let covered = http.routes.iter().any(|route| {
        route
            .prefix()
            .is_some_and(|prefix| MISSING_PATH.starts_with(prefix))
    });
    if !covered {
        let content_type = http
            .not_found
            .as_ref()
            .and_then(|not_found| not_found.effective_content_type())
            .map(media_type);
        probes.push(Probe {
            method: "GET".to_owned(),
            path: MISSING_PATH.to_owned(),
            body: None,
            status: ExpectedStatus::Exactly(404),
            content_type,
            location: None,
            origin: ProbeOrigin::Declared("http.not_found".to_owned()),
        });
    }
    probes
}

/// A handler route's probe: `GET` when it takes `GET` (else its first method), with each
/// `{parameter}` as `1` and a final `{*rest}` as `sauce-probe`, expecting any answer below 500
/// (what the handler answers depends on the app's data, which only the model's probes know).
fn handler_probe(route: &Route, origin: ProbeOrigin) -> Probe {
    let method = if route.methods.is_empty() || route.methods.iter().any(|method| method == "GET") {
        "GET".to_owned()
    } else {
        route
            .methods
            .first()
            .cloned()
            .unwrap_or_else(|| "GET".to_owned())
    };
    let path: Vec<&str> = route
        .path
        .split('/')
        .map(|segment| {
            if segment.starts_with("{*") {
                "sauce-probe"
            } else if segment.starts_with('{') {
                "1"
            } else {
                segment
            }
        })
        .collect();
    Probe {
        method,
        path: encode_path(&path.join("/")),
        body: None,
        status: ExpectedStatus::Answered,
        content_type: None,
        location: None,
        origin,
    }
}

/// `index.html` when the folder has one, else its first file by name, with its content type.
fn servable_file(folder: &Path) -> Option<(String, &'static str)> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .ok()?
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    let name = if names.iter().any(|name| name == "index.html") {
        "index.html".to_owned()
    } else {
        names.into_iter().next()?
    };
    let content_type = content_type_for(Path::new(&name));
    Some((name, content_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intent(folder: &Path, source: &str) -> Intent {
        let manifest = folder.join("sauce.toml");
        fs::write(&manifest, source).unwrap();
        sauce_intent::parse(&manifest, source).unwrap()
    }

    #[test]
    fn every_kind_of_route_is_probed() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().canonicalize().unwrap();
        fs::create_dir(folder.join("public")).unwrap();
        fs::write(folder.join("public/index.html"), "<h1>hi</h1>").unwrap();
        let intent = intent(
            &folder,
            "[app]\nname = \"a\"\n[http]\n[[http.route]]\npath = \"/\"\nbody = \"hi\"\n\
             [[http.route]]\npath = \"/api/info\"\njson = { a = 1 }\n\
             [[http.route]]\npath = \"/old\"\nredirect = \"/\"\n\
             [[http.route]]\npath = \"/site/*\"\ndir = \"public\"\n\
             [[http.route]]\npath = \"/caf%C3%A9\"\nbody = \"x\"\nstatus = 418\n\
             [http.not_found]\njson = { error = \"not found\" }\n",
        );
        let lines: Vec<String> = probes_for_intent(&intent)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                "GET / -> 200 text/plain",
                "GET /api/info -> 200 application/json",
                "GET /old -> 308",
                "GET /site/ -> 200 text/html",
                "GET /caf%C3%A9 -> 418 text/plain",
                "GET /sauce-probe/missing -> 404 application/json",
            ]
        );
        let probes = probes_for_intent(&intent);
        assert_eq!(probes[2].location.as_deref(), Some("/"));
        assert_eq!(
            probes[0].origin,
            ProbeOrigin::Declared("http.route.0".to_owned())
        );
    }

    #[test]
    fn a_catch_all_has_no_missing_probe() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().canonicalize().unwrap();
        fs::create_dir(folder.join("site")).unwrap();
        fs::write(folder.join("site/style.css"), "body{}").unwrap();
        let intent = intent(
            &folder,
            "[app]\nname = \"a\"\n[http]\n[[http.route]]\npath = \"/*\"\ndir = \"site\"\n",
        );
        let lines: Vec<String> = probes_for_intent(&intent)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(lines, ["GET /style.css -> 200 text/css"]);
    }

    #[test]
    fn handler_routes_are_probed_for_any_answer_below_500() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().canonicalize().unwrap();
        fs::write(
            folder.join("Cargo.toml"),
            "[package]\nname = \"a\"\nversion = \"0.1.0\"\n",
        )
        .unwrap();
        let intent = intent(
            &folder,
            "[app]\nname = \"a\"\n[http]\n\
             [[http.route]]\npath = \"/todos/{id}\"\nmethods = [\"PUT\", \"GET\"]\nhandler = \"todos::item\"\n\
             [[http.route]]\npath = \"/orders\"\nmethods = [\"POST\"]\nhandler = \"orders::create\"\n",
        );
        let probes = probes_for_intent(&intent);
        let lines: Vec<String> = probes.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "GET /todos/1 -> answered",
                "POST /orders -> answered",
                "GET /sauce-probe/missing -> 404",
            ]
        );
        assert!(probes[0].status.accepts(404));
        assert!(probes[1].status.accepts(400));
        assert!(!probes[1].status.accepts(500));
        assert!(!probes[1].status.accepts(503));
    }

    #[test]
    fn serial_apps_have_no_probes() {
        let root = tempfile::tempdir().unwrap();
        let intent = intent(root.path(), "[app]\nname = \"a\"\n");
        assert!(probes_for_intent(&intent).is_empty());
    }
}

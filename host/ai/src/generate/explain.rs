//! `sauce ai explain`: what an intent does, in plain words. The rule-based summary is always
//! there (and is what a model is given as facts); a model, when configured, adds prose.

use std::fmt::Write as _;
use std::path::Path;

use sauce_intent::{Addressing, Intent, LoadError, RouteResponse};

use crate::prompt::explain_prompt;
use crate::provider::{ChatRequest, Message, Provider, ProviderError, Usage};

/// An explanation.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The rule-based summary.
    pub summary: String,
    /// The model's explanation, when a model was asked.
    pub prose: Option<String>,
    /// Tokens used.
    pub usage: Usage,
    /// Estimated cost in dollars.
    pub cost: Option<f64>,
}

/// Why there is no explanation.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    /// the intent could not be loaded or is invalid
    #[error("{0}")]
    Intent(String),
    /// the model failed
    #[error(transparent)]
    Provider(#[from] ProviderError),
}

/// Explains the intent at `path` (a sauce.toml or its folder).
pub fn explain(path: &Path, provider: Option<&dyn Provider>) -> Result<Explanation, ExplainError> {
    let intent = sauce_intent::load(path).map_err(|error| match &error {
        LoadError::Invalid { .. } => ExplainError::Intent(format!(
            "the intent is invalid, so it does nothing yet:\n{}",
            error.render(false)
        )),
        _ => ExplainError::Intent(error.to_string()),
    })?;
    let summary = rule_summary(&intent);
    let Some(provider) = provider else {
        return Ok(Explanation {
            summary,
            prose: None,
            usage: Usage::default(),
            cost: None,
        });
    };
    let request = ChatRequest {
        system: "You explain SauceOS intents (sauce.toml files) to people in plain words."
            .to_owned(),
        messages: vec![Message::user(explain_prompt(&intent.source, &summary))],
        max_output_tokens: 1_024,
        temperature: None,
        structured: false,
    };
    let completion = provider.complete(&request, &mut |_| {})?;
    let cost = provider.cost(completion.usage);
    Ok(Explanation {
        summary,
        prose: Some(completion.text.trim().to_owned()),
        usage: completion.usage,
        cost,
    })
}

fn quoted(text: &str) -> String {
    let short: String = text.chars().take(60).collect();
    let ellipsis = if text.chars().count() > 60 { "…" } else { "" };
    format!("\"{}{ellipsis}\"", short.escape_debug())
}

fn relative<'a>(intent: &Intent, path: &'a Path) -> std::borrow::Cow<'a, str> {
    path.strip_prefix(intent.project_folder())
        .unwrap_or(path)
        .to_string_lossy()
}

fn response(intent: &Intent, response: &RouteResponse) -> String {
    match response {
        RouteResponse::Body(text) => format!("answers with the text {}", quoted(text.trim_end())),
        RouteResponse::Json(json) => format!("answers with the JSON {}", quoted(json)),
        RouteResponse::File(file) => format!("answers with the file {}", relative(intent, file)),
        RouteResponse::Dir(folder) => format!(
            "serves the files of the folder {}/",
            relative(intent, folder)
        ),
        RouteResponse::Redirect(location) => format!("redirects to {location}"),
        RouteResponse::Handler(function) => {
            format!("is answered by the app's function `{function}`")
        }
    }
}

/// The intent in plain words, from the parsed intent alone.
pub fn rule_summary(intent: &Intent) -> String {
    let mut text = String::new();
    let name = intent.app.name.as_str();
    match &intent.http {
        None => {
            let _ = writeln!(text, "{name} is an app without a network service: it boots, prints to the serial console and stops.");
        }
        Some(http) => {
            let count = http.routes.len();
            let _ = writeln!(
                text,
                "{name} is an HTTP service on port {} with {count} route{}:",
                http.port,
                if count == 1 { "" } else { "s" }
            );
            for route in &http.routes {
                let target = match route.prefix() {
                    Some(prefix) => format!("paths under {prefix}"),
                    None => route.path.clone(),
                };
                let _ = write!(text, "  - {target} {}", response(intent, &route.response));
                let default = if matches!(route.response, RouteResponse::Redirect(_)) {
                    308
                } else {
                    200
                };
                if route.status != default {
                    let _ = write!(text, " with status {}", route.status);
                } else if default == 308 {
                    text.push_str(" (308, permanent)");
                }
                if let Some(content_type) = &route.content_type {
                    let _ = write!(text, " as {content_type}");
                }
                if matches!(route.response, RouteResponse::Handler(_)) {
                    let methods = if route.methods.is_empty() {
                        "GET".to_owned()
                    } else {
                        route.methods.join(", ")
                    };
                    let _ = write!(text, " for {methods}");
                }
                text.push_str(".\n");
            }
            match &http.not_found {
                Some(not_found) => {
                    let _ = writeln!(
                        text,
                        "Any other path {} with status 404.",
                        response(intent, &not_found.response)
                    );
                }
                None if http.routes.iter().any(|route| route.path == "/*") => {}
                None => text.push_str("Any other path gets 404 Not Found.\n"),
            }
            if let Some(connections) = http.max_connections {
                let _ = writeln!(
                    text,
                    "It serves at most {connections} connections at once; more get 503."
                );
            }
        }
    }
    app_code(intent, &mut text);
    let memory = intent.resources.memory.map_or_else(
        || "the memory the image needs".to_owned(),
        |memory| memory.to_string(),
    );
    let address = match (intent.network.addressing, intent.network.gateway) {
        (Some(Addressing::Dhcp), _) => "an address from DHCP".to_owned(),
        (Some(addressing), Some(gateway)) => {
            format!("the address {addressing} with gateway {gateway}")
        }
        (Some(addressing), None) => format!("the address {addressing}"),
        (None, _) => "QEMU's user-networking address 10.0.2.15".to_owned(),
    };
    let machine = intent
        .target
        .machine
        .map(|machine| format!(" ({machine})"))
        .unwrap_or_default();
    if intent.http.is_some() {
        let _ = writeln!(text, "The guest uses {address}.");
    }
    let _ = writeln!(
        text,
        "It runs on {}{machine} with {memory} and one virtual CPU, compiled for {}.",
        intent.target.vmm,
        match intent.build.optimize {
            sauce_intent::Optimize::Size => "the smallest image",
            sauce_intent::Optimize::Speed => "speed",
        }
    );
    text
}

/// The app crate's part: where it is, its state, its periodic tasks and run-time settings.
fn app_code(intent: &Intent, text: &mut String) {
    if let Some(code) = &intent.app.code {
        let project = intent
            .project_folder()
            .canonicalize()
            .unwrap_or_else(|_| intent.project_folder().to_path_buf());
        let folder = code
            .folder
            .strip_prefix(&project)
            .ok()
            .map(|folder| folder.to_string_lossy().into_owned())
            .filter(|folder| !folder.is_empty())
            .unwrap_or_else(|| "the project folder".to_owned());
        let _ = write!(text, "Its code is the Rust crate in {folder}");
        match &code.init {
            Some(init) => {
                let _ = writeln!(text, "; `{init}` builds the app's state once at boot.");
            }
            None => text.push_str(", without state.\n"),
        }
        if code.allow_unsafe {
            text.push_str("The crate may use `unsafe` (allow_unsafe).\n");
        }
    }
    for every in &intent.app.every {
        let _ = writeln!(
            text,
            "Every {} second{} it runs `{}`.",
            every.seconds,
            if every.seconds == 1 { "" } else { "s" },
            every.task
        );
    }
    if !intent.app.env.is_empty() {
        let keys: Vec<&str> = intent.app.env.iter().map(|env| env.key.as_str()).collect();
        let _ = writeln!(
            text,
            "It reads the settings {} (defaults in [app.env]; `sauce run --env KEY=VALUE` overrides them).",
            keys.join(", ")
        );
    }
}

#[cfg(test)]
mod tests;

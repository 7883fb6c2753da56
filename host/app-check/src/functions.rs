//! The functions sauce.toml names — each route's `handler`, `[app] init`, each `[[app.every]]`
//! task — found in the crate and checked against the shape sauce calls, as diagnostics at
//! their sauce.toml keys naming the Rust item's `file:line`.

use std::path::Path;

use sauce_intent::{Diagnostic, Intent, RouteResponse};

use crate::resolve::{self, Resolution};
use crate::shape::{self, Role, State, StateOf};
use crate::source::{relative, Location};
use crate::tree::Crate;

/// Every problem with the functions `intent` names in `krate`.
pub fn check(intent: &Intent, krate: &Crate) -> Vec<Diagnostic> {
    let checker = Checker {
        intent,
        krate,
        base: intent.manifest_path.parent().unwrap_or(Path::new("/")),
    };
    let mut diagnostics = Vec::new();
    let init = intent
        .app
        .code
        .as_ref()
        .and_then(|code| code.init.as_deref());
    let state = match init {
        None => StateOf::NoInit,
        Some(path) => {
            let (state, problem) = checker.init(path);
            diagnostics.extend(problem);
            state
        }
    };
    let routes = intent.http.iter().flat_map(|http| http.routes.iter());
    for (index, route) in routes.enumerate() {
        if let RouteResponse::Handler(path) = &route.response {
            let key = format!("http.route.{index}.handler");
            diagnostics.extend(checker.function(&key, path, Role::Handler, &state));
        }
    }
    for (index, every) in intent.app.every.iter().enumerate() {
        let key = format!("app.every.{index}.task");
        diagnostics.extend(checker.function(&key, &every.task, Role::Task, &state));
    }
    diagnostics
}

struct Checker<'a> {
    intent: &'a Intent,
    krate: &'a Crate,
    /// The sauce.toml's folder: paths in messages are shown from it.
    base: &'a Path,
}

impl Checker<'_> {
    /// The state `init` makes, and its problem if it has one.
    fn init(&self, path: &str) -> (StateOf, Option<Diagnostic>) {
        let problem = self.function("app.init", path, Role::Init, &StateOf::Unknown);
        let state = match resolve::resolve(self.krate, path) {
            Resolution::Function { function, .. } if problem.is_none() => {
                State::of_init(&function.sig).map_or(StateOf::Unknown, StateOf::Made)
            }
            _ => StateOf::Unknown,
        };
        (state, problem)
    }

    /// The problem with the function `path`, named at `key` for `role`, if any.
    fn function(&self, key: &str, path: &str, role: Role, state: &StateOf) -> Option<Diagnostic> {
        let noun = role.noun();
        match resolve::resolve(self.krate, path) {
            Resolution::Function {
                function,
                module,
                private_module,
                private_use,
            } => {
                let name = function.sig.ident.to_string();
                let location = self.at(module, function.sig.ident.span());
                let mut problems = shape::problems(role, function, state);
                if let Some(private) = private_module {
                    let declared = &self.krate.modules[private].declared;
                    problems.push(format!(
                        "its module `{}` is not `pub` ({}), so the image's crate cannot reach it",
                        self.krate.module_path(private),
                        declared.shown_from(self.base)
                    ));
                }
                if private_use {
                    problems.push("the `use` that brings it here is not `pub`".to_owned());
                }
                if problems.is_empty() {
                    return None;
                }
                let message = format!("{noun} `{path}` ({location}): {}", problems.join("; "));
                let hint = format!(
                    "write it as `{}`{}",
                    shape::expected(role, &name, state),
                    if private_module.is_some() {
                        ", in a `pub mod`"
                    } else {
                        ""
                    }
                );
                Some(self.intent.diagnostic_at(key, message).with_hint(hint))
            }
            Resolution::NotAFunction { kind, module, span } => {
                let location = self.at(module, span);
                let message = format!("{noun} `{path}` names {kind} ({location}), not a function");
                let hint = format!(
                    "name a function: `{}`",
                    shape::expected(role, last(path), state)
                );
                Some(self.intent.diagnostic_at(key, message).with_hint(hint))
            }
            Resolution::Missing {
                module,
                segment,
                as_module,
            } => Some(self.missing(key, path, (role, state), module, &segment, as_module)),
            Resolution::Unknown => None,
        }
    }

    fn missing(
        &self,
        key: &str,
        path: &str,
        (role, state): (Role, &StateOf),
        module: usize,
        segment: &str,
        as_module: bool,
    ) -> Diagnostic {
        let file = self.file(module);
        let module_path = self.krate.module_path(module);
        let inside = if module_path.is_empty() {
            format!("the crate root ({file})")
        } else {
            format!("module `{module_path}` ({file})")
        };
        let (message, candidates) = if as_module {
            let children: Vec<String> = self.krate.modules[module]
                .children
                .iter()
                .map(|child| self.krate.modules[*child].name.clone())
                .collect();
            (
                format!(
                    "{} `{path}`: {inside} declares no module `{segment}`",
                    role.noun()
                ),
                children,
            )
        } else {
            (
                format!(
                    "{} `{path}`: {inside} has no function `{segment}`",
                    role.noun()
                ),
                resolve::function_names(self.krate, module),
            )
        };
        let names: Vec<&str> = candidates.iter().map(String::as_str).collect();
        let hint = match sauce_intent::spelling::closest(segment, &names) {
            Some(close) => format!("did you mean `{close}`?"),
            None if as_module => format!("declare it in {file} with `pub mod {segment};`"),
            None => format!("add `{}` to {file}", shape::expected(role, segment, state)),
        };
        self.intent.diagnostic_at(key, message).with_hint(hint)
    }

    /// `file:line` of `span` in `module`'s file, shown from the project folder.
    fn at(&self, module: usize, span: proc_macro2::Span) -> String {
        match self.krate.file_path(module) {
            Some(path) => Location::of_span(path, span).shown_from(self.base),
            None => self.krate.module_path(module),
        }
    }

    /// `module`'s file, shown from the project folder.
    fn file(&self, module: usize) -> String {
        self.krate
            .file_path(module)
            .map_or_else(String::new, |path| {
                relative(path, self.base).display().to_string()
            })
    }
}

fn last(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

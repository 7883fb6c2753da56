//! The shapes sauce calls: a handler `async fn(Request[, &'static State]) -> Result`, `init`
//! `fn() -> State`, a task `async fn([&'static State])`; what a signature gets wrong.

use quote::ToTokens;
use syn::{FnArg, GenericParam, ItemFn, ReturnType, Safety, Signature, Type, Visibility};

/// What sauce.toml uses a function for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A route's `handler`.
    Handler,
    /// `[app] init`.
    Init,
    /// An `[[app.every]] task`.
    Task,
}

impl Role {
    /// How sauce.toml names the role in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Role::Handler => "handler",
            Role::Init => "`init` function",
            Role::Task => "periodic task",
        }
    }
}

/// The app's state type: what `init` returns, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// The type as written (`App`, `state::App`).
    pub shown: String,
}

impl State {
    /// The state `init`'s signature returns, if it returns something.
    pub fn of_init(signature: &Signature) -> Option<State> {
        match &signature.output {
            ReturnType::Type(_, returned) if !is_unit(returned) => Some(State {
                shown: shown(returned),
            }),
            _ => None,
        }
    }

    /// Whether `written` (a parameter's referenced type) is this state: the same last path
    /// segment (`crate::App` and `App` match), or the same text for other types.
    fn matches(&self, written: &Type) -> bool {
        last_segment(&self.shown) == last_segment(&shown(written))
    }
}

/// What sauce knows of the app's state when checking a handler or task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateOf {
    /// sauce.toml has no `[app] init`: handlers and tasks take no state.
    NoInit,
    /// `init` returns this.
    Made(State),
    /// `init` could not be read (its own problem is reported): state parameters pass.
    Unknown,
}

impl StateOf {
    fn made(&self) -> Option<&State> {
        match self {
            StateOf::Made(state) => Some(state),
            _ => None,
        }
    }
}

/// The signature to write for `role`, named `name`, with state `state`.
pub fn expected(role: Role, name: &str, state: &StateOf) -> String {
    match (role, state.made()) {
        (Role::Handler, Some(state)) => format!(
            "pub async fn {name}(request: Request, state: &'static {}) -> Result",
            state.shown
        ),
        (Role::Handler, None) => format!("pub async fn {name}(request: Request) -> Result"),
        (Role::Init, Some(state)) => format!("pub fn {name}() -> {}", state.shown),
        (Role::Init, None) => format!("pub fn {name}() -> App"),
        (Role::Task, Some(state)) => {
            format!("pub async fn {name}(state: &'static {})", state.shown)
        }
        (Role::Task, None) => format!("pub async fn {name}()"),
    }
}

/// What is wrong with `function` in `role`, given the app's state (`None`: no `init`); empty
/// when sauce can call it.
pub fn problems(role: Role, function: &ItemFn, state: &StateOf) -> Vec<String> {
    let signature = &function.sig;
    let mut problems = Vec::new();
    if !matches!(function.vis, Visibility::Public(_)) {
        problems.push("it is not `pub` (the image's crate calls it from outside)".to_owned());
    }
    if matches!(signature.safety, Safety::Unsafe(_)) {
        problems.push("it is `unsafe`".to_owned());
    }
    let generic = signature
        .generics
        .params
        .iter()
        .any(|parameter| !matches!(parameter, GenericParam::Lifetime(_)));
    if generic {
        problems.push("it is generic (sauce names it without type arguments)".to_owned());
    }
    if signature.receiver().is_some() {
        problems.push("it is a method (it takes `self`)".to_owned());
    }
    let types: Vec<&Type> = signature
        .inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(typed) => Some(&*typed.ty),
            FnArg::Receiver(_) => None,
        })
        .collect();
    match role {
        Role::Handler => handler(signature, &types, state, &mut problems),
        Role::Init => init(signature, &types, &mut problems),
        Role::Task => task(signature, &types, state, &mut problems),
    }
    problems
}

fn handler(signature: &Signature, types: &[&Type], state: &StateOf, problems: &mut Vec<String>) {
    require_async(signature, problems);
    match types {
        [] => problems.push("it takes no `Request`".to_owned()),
        [request, rest @ ..] => {
            if !is_request(request) {
                problems.push(format!(
                    "its first parameter is `{}`, not `Request`",
                    shown(request)
                ));
            }
            match rest {
                [] => {}
                [parameter] => state_parameter(parameter, state, problems),
                _ => problems.push(format!(
                    "it takes {} parameters; a handler takes the request and at most the state",
                    types.len()
                )),
            }
        }
    }
    match &signature.output {
        ReturnType::Type(_, returned) if type_name(returned) == "Result" => {}
        ReturnType::Type(_, returned) => problems.push(format!(
            "it returns `{}`, not `Result` (`sauce_app::Result`)",
            shown(returned)
        )),
        ReturnType::Default => {
            problems.push("it returns nothing, not `Result` (`sauce_app::Result`)".to_owned())
        }
    }
}

fn init(signature: &Signature, types: &[&Type], problems: &mut Vec<String>) {
    if signature.asyncness.is_some() {
        problems.push("it is `async`; `init` runs once at boot, before any task".to_owned());
    }
    if !types.is_empty() {
        problems.push(format!("it takes {} parameters, not none", types.len()));
    }
    if State::of_init(signature).is_none() {
        problems.push("it returns nothing; `init` returns the state handlers receive".to_owned());
    }
}

fn task(signature: &Signature, types: &[&Type], state: &StateOf, problems: &mut Vec<String>) {
    require_async(signature, problems);
    match types {
        [] => {}
        [parameter] => state_parameter(parameter, state, problems),
        _ => problems.push(format!(
            "it takes {} parameters; a task takes at most the state",
            types.len()
        )),
    }
    if let ReturnType::Type(_, returned) = &signature.output {
        if !is_unit(returned) {
            problems.push(format!(
                "it returns `{}`; a task returns nothing",
                shown(returned)
            ));
        }
    }
}

fn require_async(signature: &Signature, problems: &mut Vec<String>) {
    let returns_future = match &signature.output {
        ReturnType::Type(_, returned) => {
            let text = shown(returned);
            text.contains("Future")
        }
        ReturnType::Default => false,
    };
    if signature.asyncness.is_none() && !returns_future {
        problems.push("it is not `async`".to_owned());
    }
}

/// Checks the state parameter against the state `init` makes.
fn state_parameter(parameter: &Type, state: &StateOf, problems: &mut Vec<String>) {
    let Type::Reference(reference) = parameter else {
        problems.push(format!(
            "it takes the state as `{}`; the state comes as a shared reference, `&'static …`",
            shown(parameter)
        ));
        return;
    };
    if reference.mutability.is_some() {
        problems.push(format!(
            "it takes `{}`; the state is shared, so it comes as `&'static …` (use `Shared` inside it to change things)",
            shown(parameter)
        ));
        return;
    }
    match state {
        // Without `init` the board's state is `()`, so `&'static ()` is what it hands over.
        StateOf::NoInit if is_unit(&reference.elem) => {}
        StateOf::NoInit => problems.push(format!(
            "it takes state (`{}`) but sauce.toml has no `[app] init` to make it",
            shown(parameter)
        )),
        StateOf::Made(state) if !state.matches(&reference.elem) => problems.push(format!(
            "it takes `{}` but `init` makes `{}`",
            shown(parameter),
            state.shown
        )),
        StateOf::Made(_) | StateOf::Unknown => {}
    }
}

fn is_request(written: &Type) -> bool {
    type_name(written) == "Request"
}

/// A path type's last identifier, without generic arguments: `sauce_app::Result<T>` → `Result`.
fn type_name(written: &Type) -> String {
    let text = shown(written);
    let segment = last_segment(&text);
    segment[..segment.find('<').unwrap_or(segment.len())].to_owned()
}

fn is_unit(written: &Type) -> bool {
    matches!(written, Type::Tuple(tuple) if tuple.elems.is_empty())
}

/// The last path segment of a type's text, generic arguments included: `crate::App` → `App`.
fn last_segment(text: &str) -> &str {
    let before_generics = text.find('<').unwrap_or(text.len());
    let start = text[..before_generics]
        .rfind("::")
        .map_or(0, |index| index + 2);
    &text[start..]
}

/// A type as a person writes it: `&'static App`, `Result<Response>`.
pub fn shown(written: &Type) -> String {
    let text = written.to_token_stream().to_string();
    text.replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
}

#[cfg(test)]
#[path = "shape_tests.rs"]
mod tests;

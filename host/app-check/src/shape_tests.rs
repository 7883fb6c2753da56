//! The shapes: good ones pass, each wrong part is named.

use super::*;

fn function(text: &str) -> ItemFn {
    syn::parse_str(text).unwrap()
}

fn state() -> StateOf {
    StateOf::Made(State {
        shown: "App".to_owned(),
    })
}

#[test]
fn types_show_as_written() {
    let written: Type = syn::parse_str("& 'static crate :: state :: App < u8 , u16 >").unwrap();
    assert_eq!(shown(&written), "&'static crate::state::App<u8, u16>");
    assert_eq!(last_segment("crate::state::App<a::B>"), "App<a::B>");
}

#[test]
fn good_shapes_pass() {
    for (role, text) in [
        (Role::Handler, "pub async fn a(r: Request, s: &'static App) -> Result { todo() }"),
        (Role::Handler, "pub async fn a(r: sauce_app::Request, s: &crate::App) -> sauce_app::Result<Response> { x }"),
        (Role::Handler, "pub async fn a(r: Request) -> Result { x }"),
        (Role::Task, "pub async fn t(s: &'static App) {}"),
        (Role::Task, "pub async fn t() -> () {}"),
        (Role::Init, "pub const fn init() -> App { x }"),
    ] {
        let problems = problems(role, &function(text), &state());
        assert!(problems.is_empty(), "{text}: {problems:?}");
    }
    let unit = function("pub async fn a(r: Request, s: &'static ()) -> Result { x }");
    assert!(problems(Role::Handler, &unit, &StateOf::NoInit).is_empty());
    assert!(!problems(Role::Handler, &unit, &state()).is_empty());
}

#[test]
fn each_wrong_part_is_named() {
    let problems = problems(
        Role::Handler,
        &function("unsafe fn a<T>(r: u8, s: App, t: u8) {}"),
        &state(),
    );
    let text = problems.join("; ");
    for part in [
        "not `pub`",
        "`unsafe`",
        "generic",
        "not `async`",
        "`u8`, not `Request`",
        "takes 3 parameters",
        "returns nothing",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    let problems = super::problems(
        Role::Handler,
        &function("pub async fn a(r: Request, s: App) -> Result {}"),
        &state(),
    );
    assert!(problems[0].contains("shared reference"), "{problems:?}");
    let problems = super::problems(Role::Init, &function("pub fn init() {}"), &StateOf::Unknown);
    assert!(problems[0].contains("returns nothing"), "{problems:?}");
}

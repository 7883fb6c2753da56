//! The embedded templates (the board and its Cargo.toml; components' snippets live in their
//! folders, [`crate::snippets`]) and the minijinja environment that renders them.

use minijinja::{context, Environment};

use crate::model::Board;

/// `(name, text)` of every template, embedded at compile time.
const TEMPLATES: &[(&str, &str)] = &[
    ("Cargo.toml.j2", include_str!("../templates/Cargo.toml.j2")),
    ("board.rs.j2", include_str!("../templates/board.rs.j2")),
];

/// The names of every embedded template.
pub fn template_names() -> impl Iterator<Item = &'static str> {
    TEMPLATES.iter().map(|(name, _)| *name)
}

/// The environment: block tags on their own lines leave no blank line behind; undefined
/// variables are errors, so a template cannot silently render nothing.
pub(crate) fn environment() -> Environment<'static> {
    let mut environment = Environment::new();
    environment.set_trim_blocks(true);
    environment.set_lstrip_blocks(true);
    environment.set_keep_trailing_newline(true);
    environment.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    for (name, text) in TEMPLATES {
        environment
            .add_template(name, text)
            .unwrap_or_else(|error| panic!("embedded template {name} does not parse: {error:#}"));
    }
    environment
}

/// Renders `src/main.rs`.
pub(crate) fn render_board(board: &Board) -> Result<String, minijinja::Error> {
    environment()
        .get_template("board.rs.j2")?
        .render(context! { board })
}

/// Renders a template with `context`.
pub(crate) fn render(name: &str, context: minijinja::Value) -> Result<String, minijinja::Error> {
    environment().get_template(name)?.render(context)
}

//! The embedded templates and the minijinja environment that renders them.

use minijinja::{context, Environment};

use crate::model::Board;

/// `(name, text)` of every template, embedded at compile time.
const TEMPLATES: &[(&str, &str)] = &[
    ("Cargo.toml.j2", include_str!("../templates/Cargo.toml.j2")),
    ("board.rs.j2", include_str!("../templates/board.rs.j2")),
    (
        "http_app.rs.j2",
        include_str!("../templates/http_app.rs.j2"),
    ),
    (
        "response.rs.j2",
        include_str!("../templates/response.rs.j2"),
    ),
    (
        "components/serial-console.rs.j2",
        include_str!("../templates/components/serial-console.rs.j2"),
    ),
    (
        "components/vga-console.rs.j2",
        include_str!("../templates/components/vga-console.rs.j2"),
    ),
    (
        "components/dhcp-client.rs.j2",
        include_str!("../templates/components/dhcp-client.rs.j2"),
    ),
    (
        "components/static-files.rs.j2",
        include_str!("../templates/components/static-files.rs.j2"),
    ),
    (
        "components/executor.rs.j2",
        include_str!("../templates/components/executor.rs.j2"),
    ),
    (
        "components/heap-bump.rs.j2",
        include_str!("../templates/components/heap-bump.rs.j2"),
    ),
    (
        "components/heap-talc.rs.j2",
        include_str!("../templates/components/heap-talc.rs.j2"),
    ),
    (
        "components/http-server.rs.j2",
        include_str!("../templates/components/http-server.rs.j2"),
    ),
    (
        "components/http-service.rs.j2",
        include_str!("../templates/components/http-service.rs.j2"),
    ),
    (
        "components/tcp-ip.rs.j2",
        include_str!("../templates/components/tcp-ip.rs.j2"),
    ),
    (
        "components/virtio-common.rs.j2",
        include_str!("../templates/components/virtio-common.rs.j2"),
    ),
    (
        "components/virtio-mmio.rs.j2",
        include_str!("../templates/components/virtio-mmio.rs.j2"),
    ),
    (
        "components/virtio-net.rs.j2",
        include_str!("../templates/components/virtio-net.rs.j2"),
    ),
    (
        "components/virtio-pci.rs.j2",
        include_str!("../templates/components/virtio-pci.rs.j2"),
    ),
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

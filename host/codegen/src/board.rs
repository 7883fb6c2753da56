//! The generated `src/main.rs`: a board in the manner of Tock's, one stage after another, each
//! line naming the intent line that caused it.

use sauce_intent::Intent;

use crate::comment_safe;

/// Renders the `src/main.rs` for `intent`.
pub fn render(intent: &Intent) -> String {
    let name = &intent.app.name;
    let manifest = comment_safe(&intent.manifest_path);
    format!(
        r#"//! Board `{name}`: the image sauce generated from {manifest}; do not edit.
#![no_std]
#![no_main]

sauce_runtime::entry!(board);

/// Initialises each component stage by stage, then runs the app.
fn board(platform: sauce_runtime::Platform) -> ! {{
    // stage app: [app] name = "{name}" (no [http]: a serial-only app)
    let platform = platform.ready();
    sauce_runtime::println!("Hello from SauceOS! This is app `{name}`.");
    platform.exit(sauce_runtime::Exit::Success)
}}
"#
    )
}

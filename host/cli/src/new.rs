//! `sauce new NAME [--template …]`: a new project folder with a sauce.toml, from the examples
//! (`rust-api`: an app crate too, [`crate::new_rust_api`]).

use std::path::{Path, PathBuf};

use sauce_intent::AppName;

use crate::arguments::{NewArguments, Template};
use crate::outcome::{Failure, Outcome};

/// The files of a template: `(path inside the project, contents)`; the sauce.toml first.
fn files(template: Template) -> Vec<(&'static str, &'static [u8])> {
    match template {
        Template::HelloHttp => vec![(
            "sauce.toml",
            include_bytes!("../../../examples/hello-http/sauce.toml"),
        )],
        Template::JsonApi => vec![(
            "sauce.toml",
            include_bytes!("../../../examples/json-api/sauce.toml"),
        )],
        Template::RustApi => crate::new_rust_api::files(),
        Template::StaticSite => vec![
            (
                "sauce.toml",
                include_bytes!("../../../examples/static-site/sauce.toml"),
            ),
            (
                "public/index.html",
                include_bytes!("../../../examples/static-site/public/index.html"),
            ),
            (
                "public/css/site.css",
                include_bytes!("../../../examples/static-site/public/css/site.css"),
            ),
            (
                "public/images/sauce.png",
                include_bytes!("../../../examples/static-site/public/images/sauce.png"),
            ),
        ],
    }
}

/// Creates `arguments.name/` with the template's files, the app named after the folder.
pub fn new(arguments: &NewArguments) -> Result<Outcome, Failure> {
    let folder = PathBuf::from(&arguments.name);
    let base = folder
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    let name = AppName::new(base).map_err(|error| {
        Failure::invalid(format!(
            "`{base}` cannot name an app: {error}; try `sauce new {}`",
            sauce_intent::name::suggest(base)
        ))
    })?;
    if folder.exists() {
        return Err(Failure::invalid(format!(
            "`{}` already exists; choose another name or remove it first",
            folder.display()
        )));
    }
    if arguments.template == Template::RustApi {
        if let Some(problem) = crate::new_rust_api::name_problem(name.as_str()) {
            return Err(Failure::invalid(problem));
        }
    }
    for (relative, contents) in files(arguments.template) {
        let path = folder.join(relative);
        let contents = if relative == "sauce.toml" {
            renamed(contents, name.as_str()).into_bytes()
        } else {
            crate::new_rust_api::renamed(relative, contents, name.as_str())
        };
        write(&path, &contents)?;
    }
    if arguments.template == Template::RustApi {
        crate::new_rust_api::finish(&folder)?;
        println!(
            "created {}/ from the rust-api template (handlers in src/todos.rs); next:",
            folder.display()
        );
        println!("  sauce test {}", shell_word(&folder));
        println!("  sauce run {} -p 8080:80", shell_word(&folder));
        println!("  curl http://127.0.0.1:8080/todos");
        return Ok(Outcome::Success);
    }
    println!(
        "created {}/ from the {} template; next:",
        folder.display(),
        arguments.template.as_str()
    );
    println!("  sauce run {} -p 8080:80", shell_word(&folder));
    println!("  curl http://127.0.0.1:8080/");
    Ok(Outcome::Success)
}

/// The template's sauce.toml with `name = "…"` in `[app]` replaced by `name`.
fn renamed(template: &[u8], name: &str) -> String {
    let text = String::from_utf8_lossy(template);
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            if !done && line.trim_start().starts_with("name = ") {
                done = true;
                format!("name = \"{name}\"")
            } else {
                line.to_owned()
            }
        })
        .collect();
    lines.join("\n") + "\n"
}

fn write(path: &Path, contents: &[u8]) -> Result<(), Failure> {
    let fail = |error: std::io::Error| {
        Failure::environment(format!(
            "cannot write `{}`: {error}; check the folder's permissions",
            path.display()
        ))
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(path, contents).map_err(fail)
}

fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_name_line_is_replaced_once() {
        let renamed = renamed(
            b"# c\n[app]\nname = \"hello-http\"\n[x]\nname = \"keep\"\n",
            "shop",
        );
        assert_eq!(
            renamed,
            "# c\n[app]\nname = \"shop\"\n[x]\nname = \"keep\"\n"
        );
    }

    #[test]
    fn every_template_starts_with_a_sauce_toml() {
        for template in [
            Template::HelloHttp,
            Template::StaticSite,
            Template::JsonApi,
            Template::RustApi,
        ] {
            assert_eq!(files(template)[0].0, "sauce.toml");
        }
    }
}

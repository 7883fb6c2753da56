//! `sauce plan [PATH]`: the components an intent selects, why each, their estimated sizes, and
//! the databases the image reaches (their URLs given at run time, only ever shown masked).

use crate::arguments::{Format, PlanArguments};
use crate::outcome::{Failure, Outcome};
use crate::pipeline;

/// Prints the plan as a table, or as JSON with `--format json`.
pub fn plan(arguments: &PlanArguments) -> Result<Outcome, Failure> {
    let planned = pipeline::plan(&arguments.path, &arguments.target, arguments.format)?;
    match arguments.format {
        Format::Human => {
            println!(
                "plan for `{}` on {}:\n",
                planned.intent.app.name,
                planned.machine.as_str()
            );
            print!("{}", planned.graph.render_table());
            if let Some(line) = app_code_line(&planned.intent) {
                println!("{line}");
            }
            for line in database_lines(&planned.intent, |key| std::env::var(key).ok()) {
                println!("{line}");
            }
            println!(
                "memory: {} KiB heap; the image runs in {} MiB or more",
                planned.budget.heap_bytes / 1024,
                planned.budget.minimum_guest_bytes.div_ceil(1 << 20)
            );
        }
        Format::Json => {
            let json = serde_json::json!({
                "app": planned.intent.app.name.to_string(),
                "machine": planned.machine.as_str(),
                "components": planned.graph.components,
                "estimated_bytes": planned.graph.estimated_bytes(),
                "memory": planned.budget,
                "app_code": planned.intent.app.code.as_ref().map(|code| serde_json::json!({
                    "folder": code.folder,
                    "unsafe_code": if code.allow_unsafe { "allowed" } else { "forbidden" },
                })),
                "databases": planned.intent.databases.iter().map(|database| serde_json::json!({
                    "name": database.name,
                    "kind": database.kind.as_str(),
                    "url": database.url_as_written(),
                    "pool": database.pool,
                })).collect::<Vec<_>>(),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
    }
    Ok(Outcome::Success)
}

/// The plan's line about the app's own crate: where it is and whether it may use `unsafe`
/// (forbidden unless `[app] allow_unsafe = true`; `sauce check` requires
/// `#![forbid(unsafe_code)]` otherwise).
fn app_code_line(intent: &sauce_intent::Intent) -> Option<String> {
    let code = intent.app.code.as_ref()?;
    let unsafe_code = if code.allow_unsafe {
        "unsafe code ALLOWED by [app] allow_unsafe = true".to_owned()
    } else {
        "unsafe code forbidden (#![forbid(unsafe_code)], checked by sauce check)".to_owned()
    };
    Some(format!(
        "app code: {} — {unsafe_code}",
        code.folder.display()
    ))
}

/// The plan's lines about the intent's databases: each one's kind, where its URL comes from
/// and the keys it sets; when this shell has the URL's key set, its value masked
/// (`sauce_intent::database::masked_url`) and how to pass it, since `sauce run` passes only
/// what `--env` names.
fn database_lines(
    intent: &sauce_intent::Intent,
    environment: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    if intent.databases.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![String::from(
        "databases (each URL is read at boot: sauce run --env KEY=URL; never in the image):",
    )];
    for database in &intent.databases {
        let mut line = format!(
            "  {} · {}: url {}",
            database.name,
            database.kind.as_str(),
            database.url_as_written()
        );
        if let Some(pool) = database.pool {
            line.push_str(&format!(", pool {pool}"));
        }
        if let Some(timeout) = database.timeout {
            line.push_str(&format!(", timeout {} ms", timeout.0));
        }
        if let Some(backoff) = database.backoff_max {
            line.push_str(&format!(", backoff_max {} ms", backoff.0));
        }
        lines.push(line);
        if let Some(value) = environment(&database.url_env) {
            lines.push(format!(
                "    {} is set in this shell: {} (pass it with --env {}=\"${}\")",
                database.url_env,
                sauce_intent::database::masked_url(&value),
                database.url_env,
                database.url_env
            ));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn the_app_code_line_says_whether_unsafe_is_allowed() {
        let folder = std::env::temp_dir().join(format!("sauce-plan-app-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
        let forbidden =
            "[app]\nname = \"x\"\n\n[[http.route]]\npath = \"/\"\nhandler = \"hello\"\n";
        let allowed = "[app]\nname = \"x\"\nallow_unsafe = true\n\n[[http.route]]\npath = \"/\"\nhandler = \"hello\"\n";
        for (source, expected) in [
            (forbidden, "unsafe code forbidden"),
            (allowed, "unsafe code ALLOWED"),
        ] {
            std::fs::write(folder.join("sauce.toml"), source).unwrap();
            let intent = sauce_intent::load(&folder).unwrap_or_else(|error| panic!("{error}"));
            let line = app_code_line(&intent).unwrap();
            assert!(line.contains(expected), "{line}");
        }
        let _ = std::fs::remove_dir_all(folder);
    }

    #[test]
    fn databases_are_listed_with_their_urls_masked() {
        let source = "[app]\nname = \"shop\"\n\n[[database]]\nname = \"main\"\nkind = \"postgres\"\nurl = \"${DATABASE_URL}\"\npool = 8\n\n[[database]]\nname = \"cache\"\nkind = \"redis\"\nurl = \"${REDIS_URL}\"\n";
        let intent = sauce_intent::parse(Path::new("/p/sauce.toml"), source).unwrap();
        let lines = database_lines(&intent, |key| {
            (key == "DATABASE_URL").then(|| "postgres://app:s3cret@db:5432/shop".to_owned())
        });
        assert_eq!(
            lines,
            [
                "databases (each URL is read at boot: sauce run --env KEY=URL; never in the image):",
                "  main · postgres: url ${DATABASE_URL}, pool 8",
                "    DATABASE_URL is set in this shell: postgres://app:***@db:5432/shop (pass it with --env DATABASE_URL=\"$DATABASE_URL\")",
                "  cache · redis: url ${REDIS_URL}",
            ]
        );
        assert!(lines.iter().all(|line| !line.contains("s3cret")));
        let without =
            sauce_intent::parse(Path::new("/p/sauce.toml"), "[app]\nname = \"a\"\n").unwrap();
        assert!(database_lines(&without, |_| None).is_empty());
    }
}

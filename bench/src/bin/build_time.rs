//! Build-time benchmark: `sauce build` of every example, cold (empty cache) and warm (one route's
//! body changed), next to the no-op build (nothing changed) measured in the same run.
//!
//! `cargo run --release -p sauce-bench --bin build_time [-- --runs N --cold-runs M]`
//!
//! Each build goes through the same library calls as `sauce build` (select, generate, cargo,
//! copy). Cold builds use a fresh cache folder, so every component and dependency compiles;
//! crates downloaded from the registry stay in cargo's own cache, so no network time is counted.

use std::path::{Path, PathBuf};
use std::time::Instant;

use sauce_bench::{print_row, summarise};
use sauce_builder::BuildContext;

const EXAMPLES: [&str; 7] = [
    "hello",
    "hello-http",
    "static-site",
    "json-api",
    "tiny",
    "q35",
    "todo-api",
];

fn argument(name: &str, default: usize) -> usize {
    std::env::args()
        .skip_while(|argument| argument != name)
        .nth(1)
        .map_or(default, |value| {
            value
                .parse()
                .unwrap_or_else(|_| panic!("{name} takes a number"))
        })
}

/// A copy of `examples/<name>` in `folder`, so its body can be edited.
fn copy_example(name: &str, folder: &Path) -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    let destination = folder.join(name);
    copy_tree(&source, &destination);
    destination
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == ".sauce" || entry.file_name() == "target" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Changes what the example serves: an app's handler gets a changed message (todo-api's
/// "no such todo"), else the first `body = "…"` gets a run number; an example without one
/// (static-site) gets a changed `public/index.html`. Returns false when there is nothing to
/// change (hello serves nothing): its warm row is then left out.
fn change_body(project: &Path, run: usize) -> bool {
    let handler = project.join("src/todos.rs");
    if handler.is_file() {
        let code = std::fs::read_to_string(&handler).unwrap();
        let changed: String = code
            .lines()
            .map(|line| {
                if line.contains("no such todo\")") {
                    format!("    Error::not_found(\"run {run}: no such todo\")\n")
                } else {
                    format!("{line}\n")
                }
            })
            .collect();
        assert_ne!(code, changed, "todo-api's handler message moved");
        std::fs::write(handler, changed).unwrap();
        return true;
    }
    let manifest = project.join("sauce.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    if let Some(start) = text.find("body = \"") {
        let at = start + "body = \"".len();
        std::fs::write(
            manifest,
            format!("{}run {run}: {}", &text[..at], &text[at..]),
        )
        .unwrap();
        return true;
    }
    let page = project.join("public/index.html");
    if page.is_file() {
        let html = std::fs::read_to_string(&page).unwrap();
        std::fs::write(page, format!("{html}<!-- run {run} -->\n")).unwrap();
        return true;
    }
    false
}

fn build(context: &BuildContext, project: &Path) -> (f64, u64, bool) {
    let intent = sauce_intent::load(project).unwrap_or_else(|error| panic!("{error}"));
    let output = project.join(".sauce/image.elf");
    let started = Instant::now();
    let image = context
        .build_app(&intent, &output)
        .unwrap_or_else(|error| panic!("{error}"));
    (
        started.elapsed().as_secs_f64(),
        image.size_bytes,
        image.reused,
    )
}

/// `sauce check`'s work (load, validate, select) on hello-http, in milliseconds.
fn check_times(context: &BuildContext, runs: usize) -> Vec<f64> {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/hello-http");
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            let intent = sauce_intent::load(&project).unwrap();
            let machine = sauce_intent::Machine::for_intent(&intent, None, None);
            context.plan(&intent, machine).unwrap();
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect()
}

fn main() {
    let runs = argument("--runs", 5);
    let cold_runs = argument("--cold-runs", 1);
    let folder = std::env::temp_dir().join(format!("sauce-bench-build-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let context = BuildContext::from_environment().expect("source tree and cache");

    println!("# Build benchmark: `sauce build` per example");
    println!("warm = one route's body (todo-api: one handler's message) changed, components cached ({runs} runs); no-op = nothing changed (baseline, same runs);");
    println!("cold = empty cache folder ({cold_runs} run(s) per example); seconds, wall clock on this machine");
    println!("bytes per component: `python3 bench/component_sizes.py` (docs/design/0008)\n");
    sauce_bench::print_header();
    print_row(
        "check hello-http: load + validate + select",
        summarise(&check_times(&context, runs.max(20))),
        "ms",
    );
    // `--example NAME` measures one example only.
    let only = std::env::args()
        .skip_while(|argument| argument != "--example")
        .nth(1);
    let examples: Vec<&str> = EXAMPLES
        .into_iter()
        .filter(|example| only.as_deref().is_none_or(|only| only == *example))
        .collect();
    assert!(!examples.is_empty(), "--example takes one of {EXAMPLES:?}");
    let mut sizes = Vec::new();
    for &example in &examples {
        let project = copy_example(example, &folder);
        let (_, size, _) = build(&context, &project);
        sizes.push((example, size));
        let mut warm = Vec::new();
        let mut no_op = Vec::new();
        for run in 0..runs {
            if change_body(&project, run) {
                warm.push(build(&context, &project).0);
            }
            let (seconds, _, reused) = build(&context, &project);
            assert!(reused, "an unchanged intent rebuilt");
            no_op.push(seconds);
        }
        let warm = summarise(&warm);
        let no_op = summarise(&no_op);
        print_row(&format!("{example}: warm"), warm, "s");
        print_row(&format!("{example}: no-op (baseline)"), no_op, "s");
    }
    for &example in &examples {
        let mut cold = Vec::new();
        for run in 0..cold_runs {
            let cache = folder.join(format!("cold-cache-{example}-{run}"));
            let cold_context = BuildContext {
                source_root: context.source_root.clone(),
                cache_root: cache.clone(),
            };
            let project = copy_example(example, &folder.join(format!("cold-{example}-{run}")));
            cold.push(build(&cold_context, &project).0);
            let _ = std::fs::remove_dir_all(cache);
        }
        print_row(
            &format!("{example}: cold (empty cache)"),
            summarise(&cold),
            "s",
        );
    }
    println!("\n| example      | image bytes | KiB    |");
    println!("|--------------|-------------|--------|");
    for (example, size) in sizes {
        println!(
            "| {example:<12} | {size:>11} | {:>6.1} |",
            size as f64 / 1024.0
        );
    }
    let _ = std::fs::remove_dir_all(&folder);
}

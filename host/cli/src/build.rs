//! `sauce build [PATH] [-o IMAGE]`: intent → image, reporting where it went, its size and time.

use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use sauce_builder::{default_image_path, BuildContext, BuiltImage};

use crate::arguments::{BuildArguments, Format};
use crate::outcome::{Failure, Outcome};
use crate::pipeline::{self, Planned};

/// Builds the intent at `arguments.path` and prints a summary on stdout.
pub fn build(arguments: &BuildArguments) -> Result<Outcome, Failure> {
    let planned = pipeline::plan(&arguments.path, &arguments.target, arguments.format)?;
    let output = match &arguments.output {
        Some(output) => std::path::absolute(output).unwrap_or_else(|_| output.clone()),
        None => default_image_path(&planned.intent),
    };
    let image = build_image(&planned, &output)?;
    match arguments.format {
        Format::Human => println!("{}", summary(&image)),
        Format::Json => println!(
            "{}",
            serde_json::json!({
                "image": image.path,
                "size_bytes": image.size_bytes,
                "seconds": image.duration.as_secs_f64(),
                "reused": image.reused,
                "machine": planned.machine.as_str(),
                "components": image.graph.components.iter().map(|component| &component.name).collect::<Vec<_>>(),
            })
        ),
    }
    Ok(Outcome::Success)
}

/// Builds a planned intent into `output`, showing progress on stderr: a spinner with cargo's
/// current step on a terminal, plain lines otherwise.
pub fn build_image(planned: &Planned, output: &Path) -> Result<BuiltImage, Failure> {
    let context = BuildContext::from_environment()
        .map_err(|error| Failure::environment(error.to_string()))?;
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let name = planned.intent.app.name.to_string();
    let spinner = terminal.then(|| {
        let spinner = ProgressBar::new_spinner();
        spinner.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        spinner.enable_steady_tick(std::time::Duration::from_millis(100));
        spinner.set_message(format!("building {name}"));
        spinner
    });
    if !terminal {
        eprintln!("building {name} for {}…", planned.machine.as_str());
    }
    let mut progress = |line: &str| {
        let step = line.starts_with("Compiling") || line.starts_with("Finished");
        match &spinner {
            Some(spinner) if step => spinner.set_message(format!("building {name}: {line}")),
            None if step => eprintln!("  {line}"),
            _ => {}
        }
    };
    let result = context.build_planned(
        &planned.intent,
        planned.graph.clone(),
        output,
        &mut progress,
    );
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    Ok(result?)
}

/// `built PATH: N bytes (K KiB) in S s`, noting when nothing needed compiling.
pub fn summary(image: &BuiltImage) -> String {
    format!(
        "built {}: {} bytes ({:.1} KiB) in {:.2} s{}",
        image.path.display(),
        image.size_bytes,
        image.size_bytes as f64 / 1024.0,
        image.duration.as_secs_f64(),
        if image.reused {
            " (unchanged: nothing compiled)"
        } else {
            ""
        }
    )
}

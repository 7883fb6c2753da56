//! `sauce build [PATH] [-o IMAGE]`: intent → image, reporting where it went, its size and time.

use std::path::Path;

use sauce_intent::Intent;
use sauce_runner::{default_image_path, BuildContext, BuiltImage};

use crate::arguments::BuildArguments;
use crate::outcome::{Failure, Outcome};

/// Builds the intent at `arguments.path` and prints a one-line summary on stdout.
pub fn build(arguments: &BuildArguments) -> Result<Outcome, Failure> {
    let intent = sauce_intent::load(&arguments.path)?;
    let output = match &arguments.output {
        Some(output) => std::path::absolute(output).unwrap_or_else(|_| output.clone()),
        None => default_image_path(&intent),
    };
    let image = build_image(&intent, &output)?;
    println!("{}", summary(&image));
    Ok(Outcome::Success)
}

/// Builds `intent` into `output`, with a progress line on stderr.
pub fn build_image(intent: &Intent, output: &Path) -> Result<BuiltImage, Failure> {
    eprintln!("building {}…", intent.app.name);
    let context = BuildContext::from_environment()
        .map_err(|error| Failure::environment(error.to_string()))?;
    Ok(context.build_app(intent, output)?)
}

/// `built PATH: N bytes (K KiB) in S s`.
pub fn summary(image: &BuiltImage) -> String {
    format!(
        "built {}: {} bytes ({:.1} KiB) in {:.2} s",
        image.path.display(),
        image.size_bytes,
        image.size_bytes as f64 / 1024.0,
        image.duration.as_secs_f64()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::time::Duration;

    #[test]
    fn the_summary_names_path_size_and_time() {
        let image = BuiltImage {
            path: PathBuf::from("/p/.sauce/hello.elf"),
            size_bytes: 46_080,
            duration: Duration::from_millis(3210),
        };
        assert_eq!(
            summary(&image),
            "built /p/.sauce/hello.elf: 46080 bytes (45.0 KiB) in 3.21 s"
        );
    }
}

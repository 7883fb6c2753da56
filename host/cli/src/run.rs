//! `sauce run [PATH|IMAGE] …`: build when given an intent, boot under QEMU, stream serial to
//! stdout, and exit with the guest's verdict.

use std::io::Write;
use std::path::{Path, PathBuf};

use sauce_intent::MemorySize;
use sauce_runner::qemu::{resolve_accelerator, DEFAULT_MEMORY};
use sauce_runner::{Accelerator, QemuConfig};

use crate::arguments::{RunArguments, VmmArgument};
use crate::build::{build_image, summary};
use crate::outcome::{Failure, Outcome};

/// Runs `arguments.target`; serial goes to stdout, sauce's own messages to stderr.
pub fn run(arguments: &RunArguments) -> Result<Outcome, Failure> {
    if arguments.vmm == VmmArgument::Firecracker {
        return Err(Failure::environment(
            "Firecracker support is not built yet; use `--vmm qemu` (the default)",
        ));
    }
    let (image, intent_memory, serves_http) = prepare(&arguments.target)?;
    let mut config = QemuConfig::new(image);
    config.machine = arguments.machine.into();
    config.accelerator = arguments.accelerator.requested();
    config.memory = arguments.memory.or(intent_memory).unwrap_or(DEFAULT_MEMORY);
    config.append = arguments.append.clone().unwrap_or_default();
    config.timeout = arguments.timeout;
    config.port_forwards = arguments.port_forwards.clone();
    config.network = serves_http;
    if serves_http && config.port_forwards.is_empty() {
        eprintln!("notice: no -p HOSTPORT:GUESTPORT given; the service is not reachable from the host");
    }
    let choice = resolve_accelerator(&config)?;
    if let Some(notice) = &choice.notice {
        eprintln!("notice: {notice}");
    }
    let stdout = std::io::stdout();
    let report = sauce_runner::run(&config, |line| {
        let mut stdout = stdout.lock();
        // A closed stdout (`| head`) must not stop the guest early.
        let _ = writeln!(stdout, "{}", line.text);
        let _ = stdout.flush();
    })?;
    let accelerator = match report.accelerator.accelerator {
        Accelerator::Kvm => "KVM",
        Accelerator::Tcg => "TCG",
    };
    let seconds = report
        .finished
        .duration_since(report.launched)
        .as_secs_f64();
    eprintln!(
        "sauce: {} ({seconds:.2} s under {accelerator})",
        report.exit.describe()
    );
    Ok(Outcome::of_guest(report.exit))
}

/// The image to boot, the intent's memory and whether it serves HTTP (so needs a network
/// device), building first when `target` is an intent.
fn prepare(target: &Path) -> Result<(PathBuf, Option<MemorySize>, bool), Failure> {
    if !target.exists() {
        return Err(Failure::invalid(format!(
            "`{}` does not exist; give a sauce.toml, a folder holding one, or an image from `sauce build`",
            target.display()
        )));
    }
    let is_image = target.is_file()
        && sauce_runner::elf::is_elf(target).map_err(|error| {
            Failure::invalid(format!("cannot read `{}`: {error}", target.display()))
        })?;
    if is_image {
        return Ok((target.to_path_buf(), None, false));
    }
    let is_intent = target.is_dir()
        || target
            .extension()
            .is_some_and(|extension| extension == "toml");
    if !is_intent {
        return Err(Failure::invalid(format!(
            "`{}` is neither a sauce.toml, a folder holding one, nor an ELF image",
            target.display()
        )));
    }
    let intent = sauce_intent::load(target)?;
    let image = build_image(&intent, &sauce_runner::default_image_path(&intent))?;
    eprintln!("{}", summary(&image));
    Ok((image.path, intent.resources.memory, intent.http.is_some()))
}

//! `sauce run [PATH|IMAGE] …`: build when given an intent, boot under QEMU, stream serial to
//! stdout, and exit with the guest's verdict.

use std::io::Write;
use std::path::{Path, PathBuf};

use sauce_intent::MemorySize;
use sauce_runner::qemu::{resolve_accelerator, DEFAULT_MEMORY};
use sauce_runner::{Accelerator, QemuConfig};

use sauce_catalog::Machine as Platform;

use crate::arguments::{Format, MachineArgument, RunArguments, TargetArguments};
use crate::build::{build_image, summary};
use crate::outcome::{Failure, Outcome};
use crate::pipeline;

/// Runs `arguments.target`; serial goes to stdout, sauce's own messages to stderr.
pub fn run(arguments: &RunArguments) -> Result<Outcome, Failure> {
    let (image, intent_memory, serves_http, platform) = prepare(&arguments.target, &arguments.target_arguments)?;
    if platform == Platform::Firecracker {
        return Err(Failure::environment(
            "Firecracker support is not built yet; use `--vmm qemu`",
        ));
    }
    let mut config = QemuConfig::new(image);
    config.machine = match platform {
        Platform::Q35 => sauce_runner::Machine::Q35,
        _ => sauce_runner::Machine::Microvm,
    };
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

/// The image to boot, the intent's memory, whether it serves HTTP (so needs a network device)
/// and the machine it is for, building first when `target` is an intent.
fn prepare(target: &Path, target_arguments: &TargetArguments) -> Result<(PathBuf, Option<MemorySize>, bool, Platform), Failure> {
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
        let platform = match (target_arguments.vmm(), target_arguments.machine) {
            (Some(sauce_intent::Vmm::Firecracker), _) => Platform::Firecracker,
            (_, Some(MachineArgument::Q35)) => Platform::Q35,
            _ => Platform::Microvm,
        };
        return Ok((target.to_path_buf(), None, false, platform));
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
    let planned = pipeline::plan(target, target_arguments, Format::Human)?;
    let image = build_image(&planned, &sauce_runner::default_image_path(&planned.intent))?;
    eprintln!("{}", summary(&image));
    let intent = &planned.intent;
    Ok((image.path, intent.resources.memory, intent.http.is_some(), planned.machine))
}

//! `sauce run [PATH|IMAGE] …`: build when given an intent, boot under QEMU (or hand over to
//! [`crate::firecracker_run`]), stream serial to stdout, and exit with the guest's verdict.

use std::io::Write;
use std::path::{Path, PathBuf};

use sauce_intent::MemorySize;
use sauce_runner::qemu::resolve_accelerator;
use sauce_runner::DEFAULT_MEMORY;
use sauce_runner::{Launcher, QemuConfig, SerialLine};

use sauce_intent::Machine as Platform;

use crate::arguments::{Format, MachineArgument, RunArguments, TargetArguments, VmmArgument};
use crate::build::{build_image, summary};
use crate::outcome::{Failure, Outcome};
use crate::pipeline;

/// Runs `arguments.target`; serial goes to stdout, sauce's own messages to stderr.
pub fn run(arguments: &RunArguments) -> Result<Outcome, Failure> {
    let source = source(&arguments.target, &arguments.target_arguments)?;
    let vmm = if source.platform() == Platform::Firecracker {
        VmmArgument::Firecracker
    } else {
        VmmArgument::Qemu
    };
    if vmm != VmmArgument::Firecracker {
        for (given, flag) in [
            (arguments.firecracker.is_some(), "--firecracker"),
            (arguments.tap.is_some(), "--tap"),
            (arguments.dry_run, "--dry-run"),
        ] {
            if given {
                return Err(Failure::invalid(format!(
                    "{flag} applies to Firecracker only; add `--vmm firecracker`"
                )));
            }
        }
    }
    if vmm == VmmArgument::Firecracker {
        // Before building: a missing Firecracker should not cost a build first.
        crate::firecracker_run::check_binary(arguments)?;
    }
    let prepared = prepare(source)?;
    match vmm {
        VmmArgument::Qemu => run_qemu(arguments, &prepared),
        VmmArgument::Firecracker => crate::firecracker_run::run(arguments, &prepared),
    }
}

/// The image to boot and what its intent says about running it.
pub struct Prepared {
    /// The ELF image.
    pub image: PathBuf,
    /// The intent's `resources.memory`.
    pub memory: Option<MemorySize>,
    /// Whether it uses the network (`[http]` or `[tcp]`), so needs a network device.
    pub uses_network: bool,
    /// Where it runs: `--vmm`/`--machine`, else the intent's `[target]`.
    pub platform: Platform,
}

fn run_qemu(arguments: &RunArguments, prepared: &Prepared) -> Result<Outcome, Failure> {
    let mut config = QemuConfig::new(&prepared.image);
    config.machine = prepared.platform;
    config.accelerator = arguments.accelerator.requested();
    config.memory = arguments
        .memory
        .or(prepared.memory)
        .unwrap_or(DEFAULT_MEMORY);
    config.append = kernel_command_line(arguments)?;
    config.boot_facts = true;
    config.timeout = arguments.timeout;
    config.port_forwards = arguments.port_forwards.clone();
    config.network = prepared.uses_network || !config.port_forwards.is_empty();
    if prepared.uses_network && config.port_forwards.is_empty() {
        eprintln!(
            "notice: no -p HOSTPORT:GUESTPORT given; the service is not reachable from the host"
        );
    }
    let choice = resolve_accelerator(&config)?;
    if let Some(notice) = &choice.notice {
        eprintln!("notice: {notice}");
    }
    boot(&config, arguments, &prepared.image)
}

/// The guest's command line: `--append` (or the default), then the run-time values of
/// `--env-file` and `--env`.
pub fn kernel_command_line(arguments: &RunArguments) -> Result<String, Failure> {
    let base = arguments
        .append
        .clone()
        .filter(|append| !append.trim().is_empty())
        .unwrap_or_else(|| sauce_runner::qemu::DEFAULT_APPEND.to_owned());
    let pairs = crate::run_environment::pairs(&arguments.env_file, &arguments.env)
        .map_err(Failure::invalid)?;
    let values = crate::run_environment::command_line(&pairs).map_err(Failure::invalid)?;
    Ok(format!("{}{values}", base.trim()))
}

/// Boots the image with `launcher` (QEMU or Firecracker, alike), booting it again as
/// `--restart` says, and prints each boot's summary line.
pub fn boot(
    launcher: &dyn Launcher,
    arguments: &RunArguments,
    image: &Path,
) -> Result<Outcome, Failure> {
    let mut print = serial_printer(image);
    let exit = crate::restart::run_with_restarts(arguments.restart, || {
        let launched = launcher.launch(&mut print).map_err(Failure::from)?;
        let seconds = launched
            .finished
            .duration_since(launched.launched)
            .as_secs_f64();
        eprintln!(
            "sauce: {} ({seconds:.2} s {})",
            launched.exit.describe(),
            launched.how
        );
        Ok::<_, Failure>(launched.exit)
    })?;
    Ok(Outcome::of_guest(exit))
}

/// Writes serial lines to stdout, naming the functions of a `backtrace:` line when the image's
/// symbols are in the cache (kept there by `sauce build`).
pub fn serial_printer(image: &Path) -> impl FnMut(&SerialLine) {
    let functions = std::fs::read(image)
        .ok()
        .and_then(|bytes| {
            let cache = sauce_builder::cache_root().ok()?;
            sauce_builder::symbols::functions(&sauce_builder::symbols::symbols_path(&cache, &bytes))
        })
        .unwrap_or_default();
    move |line: &SerialLine| {
        print_serial_line(line);
        if let Some(described) = sauce_builder::symbols::symbolize(&line.text, &functions) {
            let mut stdout = std::io::stdout().lock();
            for text in described {
                let _ = writeln!(stdout, "{text}");
            }
        }
    }
}

/// Writes one serial line to stdout; a closed stdout (`| head`) must not stop the guest early.
pub fn print_serial_line(line: &SerialLine) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", line.text);
    let _ = stdout.flush();
}

/// What `sauce run` was given: an image, or an intent planned for its platform.
enum Source {
    /// An ELF image and the platform the flags name.
    Image(PathBuf, Platform),
    /// An intent with its components chosen.
    Intent(Box<pipeline::Planned>),
}

impl Source {
    fn platform(&self) -> Platform {
        match self {
            Source::Image(_, platform) => *platform,
            Source::Intent(planned) => planned.machine,
        }
    }
}

/// The image or intent at `target`; intents are loaded and planned (not built yet).
fn source(target: &Path, target_arguments: &TargetArguments) -> Result<Source, Failure> {
    if !target.exists() {
        return Err(Failure::invalid(format!(
            "`{}` does not exist; give a sauce.toml, a folder holding one, or an image from `sauce build`",
            target.display()
        )));
    }
    let is_image = target.is_file()
        && sauce_builder::elf::is_elf(target).map_err(|error| {
            Failure::invalid(format!("cannot read `{}`: {error}", target.display()))
        })?;
    if is_image {
        let platform = match (target_arguments.vmm(), target_arguments.machine) {
            (Some(sauce_intent::Vmm::Firecracker), _) => Platform::Firecracker,
            (_, Some(MachineArgument::Q35)) => Platform::Q35,
            _ => Platform::Microvm,
        };
        return Ok(Source::Image(target.to_path_buf(), platform));
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
    Ok(Source::Intent(Box::new(pipeline::plan(
        target,
        target_arguments,
        Format::Human,
    )?)))
}

/// The image to boot, building it first when the source is an intent.
fn prepare(source: Source) -> Result<Prepared, Failure> {
    let planned = match source {
        Source::Image(image, platform) => {
            // A large image (embedded files) needs its own size in RAM, and the kernel's.
            let size = std::fs::metadata(&image).map_or(0, |metadata| metadata.len());
            let needed = MemorySize::from_bytes((size + (8 << 20)).next_multiple_of(1 << 20));
            return Ok(Prepared {
                image,
                memory: (needed.bytes() > DEFAULT_MEMORY.bytes()).then_some(needed),
                uses_network: false,
                platform,
            });
        }
        Source::Intent(planned) => planned,
    };
    let image = build_image(
        &planned,
        &sauce_builder::default_image_path(&planned.intent),
    )?;
    eprintln!("{}", summary(&image));
    let intent = &planned.intent;
    // Without `[resources] memory`, the default VM size, or what the image needs if more.
    let needed = MemorySize::from_bytes(planned.budget.minimum_guest_bytes);
    let memory = intent
        .resources
        .memory
        .or((needed.bytes() > DEFAULT_MEMORY.bytes()).then_some(needed));
    Ok(Prepared {
        image: image.path,
        memory,
        uses_network: intent.uses_network(),
        platform: planned.machine,
    })
}

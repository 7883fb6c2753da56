//! The command line: verbs and flags of README.md, "Using sauce", parsed with clap.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use sauce_intent::MemorySize;
use sauce_runner::{Accelerator, Machine, PortForward};

/// Build and run SauceOS unikernels from a sauce.toml.
#[derive(Debug, Parser)]
#[command(name = "sauce", version, about)]
pub struct Arguments {
    /// What to do.
    #[command(subcommand)]
    pub verb: Verb,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Verb {
    /// Create a project folder NAME with a sauce.toml to start from.
    New(NewArguments),
    /// Parse and validate a sauce.toml; print `ok: NAME` or every problem with its location.
    Check(CheckArguments),
    /// Show the components an intent selects, why each, and their estimated sizes.
    Plan(PlanArguments),
    /// Build the image; print its path, size and build time.
    Build(BuildArguments),
    /// Boot an image (building it first when given an intent) and stream its serial output.
    Run(RunArguments),
    /// Run the app crate's tests on this machine (`cargo test`, sauce-app supplied by sauce).
    Test(crate::app_test::TestArguments),
    /// Print the JSON Schema of sauce.toml, for editors.
    Schema,
    /// Repair a project with a model (`fix`), or explain an intent in plain words (`explain`).
    Ai(crate::ai::AiArguments),
}

/// `sauce new`.
#[derive(Debug, Args)]
pub struct NewArguments {
    /// The folder to create; its name is the app's name.
    pub name: String,
    /// What the new app starts as.
    #[arg(long, value_enum, default_value_t = Template::HelloHttp)]
    pub template: Template,
    /// `--describe "…"` and its flags: the project written from a sentence instead.
    #[command(flatten)]
    pub describe: crate::ai::DescribeArguments,
}

/// `--template`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Template {
    /// One route answering text.
    HelloHttp,
    /// A folder of HTML, CSS and an image.
    StaticSite,
    /// JSON routes, a redirect and a JSON 404.
    JsonApi,
    /// A to-do list API with handlers in Rust, state and host tests (examples/todo-api).
    RustApi,
}

impl Template {
    /// Its name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Template::HelloHttp => "hello-http",
            Template::StaticSite => "static-site",
            Template::JsonApi => "json-api",
            Template::RustApi => "rust-api",
        }
    }
}

/// `--format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    #[default]
    Human,
    /// For programs: one JSON document on stdout.
    Json,
}

/// `--vmm` and `--machine`: where the image will run; the intent's `[target]` when absent.
#[derive(Debug, Args)]
pub struct TargetArguments {
    /// The virtual machine monitor [default: the intent's [target] vmm, else qemu].
    #[arg(long, value_enum)]
    pub vmm: Option<VmmArgument>,
    /// The QEMU machine: microvm boots fastest; q35 is a PC with PCI and firmware [default: the
    /// intent's [target] machine, else microvm].
    #[arg(long, value_enum)]
    pub machine: Option<MachineArgument>,
}

impl TargetArguments {
    /// `--vmm` as the intent's type.
    pub fn vmm(&self) -> Option<sauce_intent::Vmm> {
        self.vmm.map(|vmm| match vmm {
            VmmArgument::Qemu => sauce_intent::Vmm::Qemu,
            VmmArgument::Firecracker => sauce_intent::Vmm::Firecracker,
        })
    }

    /// `--machine` as the intent's type.
    pub fn machine(&self) -> Option<sauce_intent::QemuMachine> {
        self.machine.map(|machine| match machine {
            MachineArgument::Microvm => sauce_intent::QemuMachine::Microvm,
            MachineArgument::Q35 => sauce_intent::QemuMachine::Q35,
        })
    }
}

/// `sauce plan`.
#[derive(Debug, Args)]
pub struct PlanArguments {
    /// A sauce.toml, or a folder holding one.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output for people or programs.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Where it will run.
    #[command(flatten)]
    pub target: TargetArguments,
}

/// `sauce check`.
#[derive(Debug, Args)]
pub struct CheckArguments {
    /// A sauce.toml, or a folder holding one.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output for people or programs.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Where it will run (some checks depend on it).
    #[command(flatten)]
    pub target: TargetArguments,
}

/// `sauce build`.
#[derive(Debug, Args)]
pub struct BuildArguments {
    /// A sauce.toml, or a folder holding one.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Where to write the image [default: PROJECT/.sauce/NAME.elf].
    #[arg(short, long, value_name = "IMAGE")]
    pub output: Option<PathBuf>,
    /// Output for people or programs.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Where it will run.
    #[command(flatten)]
    pub target: TargetArguments,
}

/// `sauce run`.
#[derive(Debug, Args)]
pub struct RunArguments {
    /// A sauce.toml or a folder holding one (built first), or an ELF image.
    #[arg(default_value = ".", value_name = "PATH|IMAGE")]
    pub target: PathBuf,
    /// Where it runs.
    #[command(flatten)]
    pub target_arguments: TargetArguments,
    /// The Firecracker binary [default: SAUCE_FIRECRACKER, else `firecracker` on PATH].
    #[arg(long, value_name = "PATH")]
    pub firecracker: Option<PathBuf>,
    /// Firecracker: attach this existing TAP device instead of a private network (no -p;
    /// give the guest its address with --append "ip=A/N gw=G").
    #[arg(long, value_name = "NAME")]
    pub tap: Option<String>,
    /// Firecracker: print its configuration JSON and the commands `sauce run` would execute;
    /// start nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// KVM, TCG, or auto: KVM when it works here (SAUCE_ACCEL=kvm|tcg overrides auto).
    #[arg(long = "accel", value_enum, default_value_t = AcceleratorArgument::Auto)]
    pub accelerator: AcceleratorArgument,
    /// Guest RAM, e.g. 32MiB [default: the intent's resources.memory, else 32MiB].
    #[arg(long, value_name = "SIZE", value_parser = parse_memory)]
    pub memory: Option<MemorySize>,
    /// Forward a TCP port on 127.0.0.1 to the guest.
    #[arg(short = 'p', long = "publish", value_name = "HOST:GUEST", value_parser = parse_port_forward)]
    pub port_forwards: Vec<PortForward>,
    /// The kernel command line [default: sauce].
    #[arg(long, value_name = "ARGS", allow_hyphen_values = true)]
    pub append: Option<String>,
    /// A run-time value the app reads with `env("KEY")` (overrides `[app.env]`); passed at
    /// boot, never compiled into the image. Repeatable.
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// KEY=VALUE lines (`#` comments, optional quotes) to pass like `--env`; `--env` wins.
    #[arg(long = "env-file", value_name = "PATH")]
    pub env_file: Vec<PathBuf>,
    /// Stop the guest after SECS seconds (exit code 4).
    #[arg(long, value_name = "SECS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
    /// Boot the guest again when it fails (panic, fault, reset): `no`, `on-failure` or
    /// `on-failure:N` (at most N restarts in a row) [default: no].
    #[arg(long, value_name = "POLICY", value_parser = crate::restart::RestartPolicy::parse, default_value = "no")]
    pub restart: crate::restart::RestartPolicy,
}

/// `--vmm`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum VmmArgument {
    /// QEMU (`qemu-system-x86_64`).
    Qemu,
    /// Firecracker (`--firecracker PATH`, SAUCE_FIRECRACKER, or PATH).
    Firecracker,
}

/// `--machine`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MachineArgument {
    /// QEMU microvm: no firmware, no PCI.
    Microvm,
    /// QEMU q35: PCI express and SeaBIOS.
    Q35,
}

impl From<MachineArgument> for Machine {
    fn from(machine: MachineArgument) -> Self {
        match machine {
            MachineArgument::Microvm => Machine::Microvm,
            MachineArgument::Q35 => Machine::Q35,
        }
    }
}

/// `--accel`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AcceleratorArgument {
    /// KVM when `/dev/kvm` works with QEMU, else TCG.
    Auto,
    /// Hardware virtualisation.
    Kvm,
    /// QEMU's binary translator.
    Tcg,
}

impl AcceleratorArgument {
    /// The accelerator requested; `None` for auto.
    pub fn requested(self) -> Option<Accelerator> {
        match self {
            Self::Auto => None,
            Self::Kvm => Some(Accelerator::Kvm),
            Self::Tcg => Some(Accelerator::Tcg),
        }
    }
}

fn parse_memory(text: &str) -> Result<MemorySize, String> {
    text.parse()
        .map_err(|error: sauce_intent::MemorySizeError| error.to_string())
}

fn parse_port_forward(text: &str) -> Result<PortForward, String> {
    let port = |part: &str| part.trim().parse::<u16>().ok().filter(|port| *port != 0);
    let (host, guest) = text
        .split_once(':')
        .ok_or("write it as HOST:GUEST, e.g. 8080:80")?;
    match (port(host), port(guest)) {
        (Some(host), Some(guest)) => Ok(PortForward { host, guest }),
        _ => Err(format!(
            "`{text}` is not HOST:GUEST with ports 1-65535, e.g. 8080:80"
        )),
    }
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds, e.g. 30 or 0.5"))?;
    if seconds.is_finite() && seconds > 0.0 && seconds < 1e9 {
        Ok(Duration::from_secs_f64(seconds))
    } else {
        Err(format!(
            "the timeout must be a positive number of seconds, not `{text}`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Arguments::command().debug_assert();
    }

    #[test]
    fn run_flags_parse() {
        let arguments = Arguments::try_parse_from([
            "sauce",
            "run",
            "image.elf",
            "--machine",
            "q35",
            "--accel",
            "tcg",
            "--memory",
            "64MiB",
            "-p",
            "8080:80",
            "--append",
            "-v log",
            "--timeout",
            "1.5",
        ])
        .unwrap();
        let Verb::Run(run) = arguments.verb else {
            panic!("not run")
        };
        assert_eq!(run.target_arguments.machine, Some(MachineArgument::Q35));
        assert_eq!(run.accelerator.requested(), Some(Accelerator::Tcg));
        assert_eq!(run.memory, Some(MemorySize::from_mebibytes(64)));
        assert_eq!(
            run.port_forwards,
            [PortForward {
                host: 8080,
                guest: 80
            }]
        );
        assert_eq!(run.append.as_deref(), Some("-v log"));
        assert_eq!(run.timeout, Some(Duration::from_millis(1500)));
        assert_eq!(run.target_arguments.vmm, None);
        assert!(!run.dry_run);
    }

    #[test]
    fn firecracker_flags_parse() {
        let arguments = Arguments::try_parse_from([
            "sauce",
            "run",
            "examples/hello-http",
            "--vmm",
            "firecracker",
            "--firecracker",
            "/opt/fc",
            "--tap",
            "tap3",
            "--dry-run",
        ])
        .unwrap();
        let Verb::Run(run) = arguments.verb else {
            panic!("not run")
        };
        assert_eq!(run.target_arguments.vmm, Some(VmmArgument::Firecracker));
        assert_eq!(
            run.firecracker.as_deref(),
            Some(std::path::Path::new("/opt/fc"))
        );
        assert_eq!(run.tap.as_deref(), Some("tap3"));
        assert!(run.dry_run);
    }

    #[test]
    fn bad_values_are_explained() {
        assert!(parse_port_forward("8080")
            .unwrap_err()
            .contains("HOST:GUEST"));
        assert!(parse_port_forward("0:80").is_err());
        assert!(parse_port_forward("70000:80").is_err());
        assert!(parse_timeout("0").is_err());
        assert!(parse_timeout("soon").is_err());
        assert!(parse_memory("64M").unwrap_err().contains("64MiB"));
    }
}

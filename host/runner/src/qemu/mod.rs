//! QEMU: the command line for each machine and accelerator, choosing the accelerator, launching,
//! streaming serial, and turning QEMU's exit into a verdict.
//!
//! - [`accelerator`]: KVM or TCG, with a cached probe for `auto`.
//! - [`error`]: why a launch failed ([`LaunchError`]), with hints read from QEMU's stderr.
//! - [`launch`]: start QEMU, stream the guest's serial lines, enforce the timeout, reap QEMU.
//! - [`verdict`]: QEMU's exit status plus the serial exit line → [`GuestExit`].

pub mod accelerator;
pub mod error;
pub mod launch;
mod process;
pub mod verdict;

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use sauce_intent::MemorySize;

pub use crate::serial::SerialLine;
pub use accelerator::{resolve_accelerator, AcceleratorChoice};
pub use error::LaunchError;
pub use launch::{run, RunReport};
pub use verdict::GuestExit;

/// The QEMU binary used unless `SAUCE_QEMU` names another.
pub const DEFAULT_BINARY: &str = "qemu-system-x86_64";
/// The kernel command line used when none is given: microvm appends its device list to the
/// command line, so one must exist, and the kernel ignores words it does not know.
pub const DEFAULT_APPEND: &str = "sauce";
pub use crate::launcher::{PortForward, DEFAULT_MEMORY};

/// The machine, shared with every stage ([`sauce_intent::Machine`]). QEMU emulates microvm
/// and q35; a Firecracker image boots under QEMU's microvm too (the same virtio-mmio board),
/// which is how its tests run without Firecracker.
pub use sauce_intent::Machine;

/// How QEMU executes guest code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accelerator {
    /// Hardware virtualisation through `/dev/kvm`.
    Kvm,
    /// QEMU's binary translator: slower, works everywhere.
    Tcg,
}

/// Everything needed to boot one image under QEMU.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QemuConfig {
    /// The QEMU binary: `SAUCE_QEMU` if set, else [`DEFAULT_BINARY`] found on PATH.
    pub binary: PathBuf,
    /// The machine to emulate.
    pub machine: Machine,
    /// The accelerator; `None` chooses automatically ([`resolve_accelerator`]).
    pub accelerator: Option<Accelerator>,
    /// Guest RAM, rounded up to whole MiB on QEMU's command line.
    pub memory: MemorySize,
    /// The kernel command line; empty means [`DEFAULT_APPEND`].
    pub append: String,
    /// Stop the guest after this long; `None` waits for ever.
    pub timeout: Option<Duration>,
    /// The ELF image to boot.
    pub image: PathBuf,
    /// Ports forwarded from 127.0.0.1 on the host to the guest (QEMU user networking).
    pub port_forwards: Vec<PortForward>,
    /// Whether the guest gets a virtio network device (user networking: the guest is
    /// 10.0.2.15/24 behind gateway 10.0.2.2); implied by any port forward.
    pub network: bool,
    /// Append the host's time and a random seed at each launch ([`crate::boot_facts`]).
    pub boot_facts: bool,
}

impl QemuConfig {
    /// A microvm booting `image` with default settings and automatic acceleration.
    pub fn new(image: impl Into<PathBuf>) -> Self {
        let binary = crate::environment::non_empty_variable("SAUCE_QEMU")
            .map_or_else(|| PathBuf::from(DEFAULT_BINARY), PathBuf::from);
        Self {
            binary,
            machine: Machine::Microvm,
            accelerator: None,
            memory: DEFAULT_MEMORY,
            append: String::new(),
            timeout: None,
            image: image.into(),
            port_forwards: Vec::new(),
            network: false,
            boot_facts: false,
        }
    }

    /// The kernel command line actually passed: never empty.
    pub fn effective_append(&self) -> &str {
        if self.append.trim().is_empty() {
            DEFAULT_APPEND
        } else {
            &self.append
        }
    }

    /// QEMU's arguments (without the binary) for running under `accelerator`.
    pub fn arguments(&self, accelerator: Accelerator) -> Vec<OsString> {
        let machine: &[&str] = match self.machine {
            Machine::Microvm | Machine::Firecracker => &[
                "-M",
                "microvm,x-option-roms=off,pit=off,pic=off,rtc=off,acpi=off",
            ],
            Machine::Q35 => &["-M", "q35"],
        };
        let common = [
            "-nodefaults",
            "-no-user-config",
            "-nographic",
            "-serial",
            "stdio",
            "-no-reboot",
        ];
        let display: &[&str] = match self.machine {
            Machine::Microvm | Machine::Firecracker => &[],
            Machine::Q35 => &["-device", "VGA"],
        };
        let acceleration: &[&str] = match accelerator {
            Accelerator::Kvm => &["-enable-kvm", "-cpu", "host,-arch-capabilities"],
            Accelerator::Tcg => &["-accel", "tcg", "-cpu", "max"],
        };
        let mut arguments: Vec<OsString> = machine
            .iter()
            .chain(&common)
            .chain(display)
            .chain(acceleration)
            .map(OsString::from)
            .collect();
        arguments.push("-m".into());
        arguments.push(format!("{}M", self.memory.mebibytes_rounded_up()).into());
        arguments.push("-kernel".into());
        arguments.push(self.image.clone().into_os_string());
        arguments.push("-append".into());
        let mut append = self.effective_append().to_owned();
        if self.boot_facts {
            append.push_str(&crate::boot_facts::arguments());
        }
        arguments.push(append.into());
        arguments.push("-device".into());
        arguments.push("isa-debug-exit,iobase=0xf4,iosize=0x04".into());
        if self.network || !self.port_forwards.is_empty() {
            let mut netdev = String::from("user,id=net0");
            for forward in &self.port_forwards {
                netdev.push_str(&format!(
                    ",hostfwd=tcp:127.0.0.1:{}-:{}",
                    forward.host, forward.guest
                ));
            }
            let device = match self.machine {
                Machine::Microvm | Machine::Firecracker => "virtio-net-device,netdev=net0",
                Machine::Q35 => "virtio-net-pci,netdev=net0",
            };
            arguments.extend([
                "-netdev".into(),
                netdev.into(),
                "-device".into(),
                device.into(),
            ]);
        }
        arguments
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command_line(config: &QemuConfig, accelerator: Accelerator) -> String {
        let arguments = config.arguments(accelerator);
        let words: Vec<_> = arguments
            .iter()
            .map(|argument| argument.to_string_lossy())
            .collect();
        words.join(" ")
    }

    #[test]
    fn port_forwards_add_a_virtio_network_device() {
        let mut config = QemuConfig::new("/i.elf");
        config.port_forwards = vec![
            PortForward {
                host: 8080,
                guest: 80,
            },
            PortForward {
                host: 8443,
                guest: 443,
            },
        ];
        let line = command_line(&config, Accelerator::Tcg);
        assert!(line.ends_with(
            "-netdev user,id=net0,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=tcp:127.0.0.1:8443-:443 \
             -device virtio-net-device,netdev=net0"
        ), "{line}");
        config.machine = Machine::Q35;
        assert!(
            command_line(&config, Accelerator::Tcg).ends_with("-device virtio-net-pci,netdev=net0")
        );
        let plain = QemuConfig::new("/i.elf");
        assert!(!command_line(&plain, Accelerator::Tcg).contains("netdev"));
    }

    #[test]
    fn microvm_under_kvm() {
        let config = QemuConfig::new("/images/hello.elf");
        assert_eq!(
            command_line(&config, Accelerator::Kvm),
            "-M microvm,x-option-roms=off,pit=off,pic=off,rtc=off,acpi=off -nodefaults -no-user-config \
             -nographic -serial stdio -no-reboot -enable-kvm -cpu host,-arch-capabilities -m 32M \
             -kernel /images/hello.elf -append sauce -device isa-debug-exit,iobase=0xf4,iosize=0x04"
        );
    }

    #[test]
    fn q35_under_tcg_with_odd_memory_and_an_append() {
        let mut config = QemuConfig::new("/i.elf");
        config.machine = Machine::Q35;
        config.memory = MemorySize::from_bytes(1536 * 1024);
        config.append = "log=debug quiet".to_owned();
        assert_eq!(
            command_line(&config, Accelerator::Tcg),
            "-M q35 -nodefaults -no-user-config -nographic -serial stdio -no-reboot -device VGA \
             -accel tcg -cpu max -m 2M -kernel /i.elf -append log=debug quiet \
             -device isa-debug-exit,iobase=0xf4,iosize=0x04"
        );
    }

    #[test]
    fn the_append_is_never_empty() {
        let mut config = QemuConfig::new("/i.elf");
        config.append = "  ".to_owned();
        assert_eq!(config.effective_append(), "sauce");
    }
}

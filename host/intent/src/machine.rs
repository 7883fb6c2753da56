//! [`Machine`]: where an image runs, all told — the one machine type every stage shares (the
//! selector picks drivers by it, the builder names image folders by it, the runner launches
//! it).

use serde::Serialize;

use crate::{Intent, QemuMachine, Vmm};

/// The machine an image runs on, which decides its drivers and its launcher.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Machine {
    /// QEMU microvm: virtio-mmio devices, no VGA.
    Microvm,
    /// QEMU q35: PCI devices, VGA.
    Q35,
    /// Firecracker: virtio-mmio devices, no VGA, no DHCP server.
    Firecracker,
}

impl Machine {
    /// Every machine.
    pub const ALL: [Machine; 3] = [Machine::Microvm, Machine::Q35, Machine::Firecracker];

    /// The name shown in plans, comments and folder names.
    pub const fn as_str(self) -> &'static str {
        match self {
            Machine::Microvm => "microvm",
            Machine::Q35 => "q35",
            Machine::Firecracker => "firecracker",
        }
    }

    /// The VMM that launches it.
    pub const fn vmm(self) -> Vmm {
        match self {
            Machine::Microvm | Machine::Q35 => Vmm::Qemu,
            Machine::Firecracker => Vmm::Firecracker,
        }
    }

    /// The machine `vmm` and `machine` name (a QEMU machine is ignored for Firecracker;
    /// QEMU without one is microvm).
    pub const fn of(vmm: Vmm, machine: Option<QemuMachine>) -> Machine {
        match (vmm, machine) {
            (Vmm::Firecracker, _) => Machine::Firecracker,
            (Vmm::Qemu, Some(QemuMachine::Q35)) => Machine::Q35,
            (Vmm::Qemu, _) => Machine::Microvm,
        }
    }

    /// The machine `intent` runs on: its `[target]`, unless the command line overrides the VMM
    /// or QEMU's machine.
    pub fn for_intent(intent: &Intent, vmm: Option<Vmm>, machine: Option<QemuMachine>) -> Machine {
        Machine::of(
            vmm.unwrap_or(intent.target.vmm),
            machine.or(intent.target.machine),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vmm_and_a_qemu_machine_name_one_machine() {
        assert_eq!(Machine::of(Vmm::Qemu, None), Machine::Microvm);
        assert_eq!(Machine::of(Vmm::Qemu, Some(QemuMachine::Q35)), Machine::Q35);
        assert_eq!(
            Machine::of(Vmm::Firecracker, Some(QemuMachine::Q35)),
            Machine::Firecracker
        );
        for machine in Machine::ALL {
            assert_eq!(Machine::of(machine.vmm(), None).vmm(), machine.vmm());
        }
    }
}

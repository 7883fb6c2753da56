//! The small tables of an intent: `[app]`, `[network]`, `[resources]`, `[build]`, `[target]`.

use std::fmt;
use std::net::Ipv4Addr;

use serde::Serialize;

use crate::{AppName, MemorySize};

/// The `[app]` table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct App {
    /// `name`: names the image, the generated crate and its binary.
    pub name: AppName,
    /// The app's own crate (`code`, `init`, `allow_unsafe`): present when a route names a
    /// `handler`, `[[app.every]]` names a task, or `code` is written.
    pub code: Option<crate::AppCode>,
    /// `[app.env]`: defaults of the values the guest reads with `env("KEY")`.
    pub env: Vec<crate::EnvDefault>,
    /// `[[app.every]]`: functions run periodically.
    pub every: Vec<crate::Every>,
}

/// The `[network]` table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Network {
    /// `ip`; `None` leaves the board's default (QEMU user networking's `10.0.2.15/24`).
    pub addressing: Option<Addressing>,
    /// `gateway`; inside the static address's subnet (or QEMU's `10.0.2.0/24` without `ip`).
    pub gateway: Option<Ipv4Addr>,
    /// `dns`: the DNS servers outbound connections resolve names with, in order (at most 4);
    /// `None` leaves the component's default (QEMU user networking's `10.0.2.3`).
    pub dns: Option<Vec<Ipv4Addr>>,
}

/// How the guest gets its IPv4 address (`[network] ip`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Addressing {
    /// `ip = "10.0.2.15/24"`: a host address (never the network or broadcast address of its
    /// prefix) and a prefix length from 1 to 32.
    Static {
        /// The guest's address.
        address: Ipv4Addr,
        /// The prefix length of its subnet.
        prefix: u8,
    },
    /// `ip = "dhcp"`: leased from the network's DHCP server, which also names the gateway.
    Dhcp,
}

impl Addressing {
    /// Whether `other` is inside this static address's subnet; `false` for DHCP.
    pub fn subnet_contains(&self, other: Ipv4Addr) -> bool {
        match *self {
            Addressing::Static { address, prefix } => {
                let mask = subnet_mask(prefix);
                u32::from(address) & mask == u32::from(other) & mask
            }
            Addressing::Dhcp => false,
        }
    }
}

/// The mask of a prefix length: `24` → `255.255.255.0`; lengths above 32 count as 32.
pub fn subnet_mask(prefix: u8) -> u32 {
    u32::MAX
        .checked_shl(32 - u32::from(prefix.min(32)))
        .unwrap_or(0)
}

impl fmt::Display for Addressing {
    /// As written in sauce.toml and on the kernel command line: `10.0.2.15/24` or `dhcp`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Addressing::Static { address, prefix } => write!(formatter, "{address}/{prefix}"),
            Addressing::Dhcp => formatter.write_str("dhcp"),
        }
    }
}

/// The `[resources]` table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Resources {
    /// `memory`: guest RAM given to the VMM, when the intent says so (2MiB to 64GiB).
    pub memory: Option<MemorySize>,
    /// `vcpus`: virtual CPUs; version 1 images run on exactly one.
    pub vcpus: u32,
}

impl Default for Resources {
    fn default() -> Self {
        Self {
            memory: None,
            vcpus: 1,
        }
    }
}

/// The `[build]` table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Build {
    /// `optimize`: what the compiler favours (default: size).
    pub optimize: Optimize,
    /// `components`: components built in besides those the intent selects.
    pub components: Vec<String>,
}

/// Declares a small enum of the intent format with its TOML spellings.
macro_rules! spelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$variant_meta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        impl $name {
            /// Every value, in the order the format documents them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as written in sauce.toml.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The value spelt `text` in sauce.toml, if any.
            pub fn from_text(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.as_str() == text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(self.as_str())
            }
        }
    };
}

spelled_enum! {
    /// `[build] optimize`.
    #[derive(Default)]
    Optimize {
        /// `"size"`: the smallest image (`opt-level = "z"`).
        #[default]
        Size = "size",
        /// `"speed"`: the fastest code (`opt-level = 3`).
        Speed = "speed",
    }
}

spelled_enum! {
    /// `[target] vmm`: the virtual machine monitor the image is built for.
    #[derive(Default)]
    Vmm {
        /// `"qemu"`.
        #[default]
        Qemu = "qemu",
        /// `"firecracker"`.
        Firecracker = "firecracker",
    }
}

spelled_enum! {
    /// `[target] machine`: QEMU's machine type (QEMU only). Where an image runs, all told, is
    /// [`crate::Machine`].
    QemuMachine {
        /// `"microvm"`: virtio-mmio devices, no PCI.
        Microvm = "microvm",
        /// `"q35"`: a PC with PCI (virtio-pci devices).
        Q35 = "q35",
    }
}

/// The `[target]` table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Target {
    /// `vmm` (default: QEMU).
    pub vmm: Vmm,
    /// `machine`; only with `vmm = "qemu"`. `None` leaves the choice to the selector.
    pub machine: Option<QemuMachine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for vmm in Vmm::ALL {
            assert_eq!(Vmm::from_text(vmm.as_str()), Some(*vmm));
        }
        assert_eq!(QemuMachine::from_text("q35"), Some(QemuMachine::Q35));
        assert_eq!(Optimize::from_text("fast"), None);
        assert_eq!(Optimize::default(), Optimize::Size);
        assert_eq!(Vmm::default().to_string(), "qemu");
    }

    #[test]
    fn subnets() {
        let address = Addressing::Static {
            address: Ipv4Addr::new(10, 0, 2, 15),
            prefix: 24,
        };
        assert!(address.subnet_contains(Ipv4Addr::new(10, 0, 2, 2)));
        assert!(!address.subnet_contains(Ipv4Addr::new(10, 0, 3, 2)));
        assert!(!Addressing::Dhcp.subnet_contains(Ipv4Addr::new(10, 0, 2, 2)));
        assert_eq!(address.to_string(), "10.0.2.15/24");
        assert_eq!(subnet_mask(0), 0);
        assert_eq!(subnet_mask(32), u32::MAX);
        assert_eq!(subnet_mask(8), 0xff00_0000);
    }
}

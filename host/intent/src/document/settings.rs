//! `[app]`, `[resources]`, `[build]` and `[target]`.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::Checker;
use crate::memory::{MemorySizeError, MAXIMUM, MINIMUM};
use crate::settings::{Optimize, QemuMachine, Vmm};
use crate::{keys, name, App, AppName, Build, MemorySize, Resources, Target};

impl Checker<'_> {
    pub(super) fn app(&mut self, span: Range<usize>, table: &DeTable<'_>) -> Option<App> {
        self.reject_unknown_keys(table, &keys::APP);
        let Some(name) = table.get("name") else {
            let hint = "add a line such as `name = \"hello\"` (a-z, 0-9 and `-`)";
            self.error(span, "`[app]` has no `name`", hint);
            return None;
        };
        let text = self.string(name, "app.name")?;
        let name = match AppName::new(text) {
            Ok(name) => name,
            Err(error) => {
                let hint = format!("try `name = \"{}\"`", name::suggest(text));
                self.error(name.span(), error.to_string(), hint);
                return None;
            }
        };
        let (env, every) = self.app_runtime(table);
        Some(App {
            name,
            // Resolved against the routes afterwards (`app_code`).
            code: None,
            env,
            every,
        })
    }

    pub(super) fn resources(&mut self, table: &DeTable<'_>) -> Resources {
        self.reject_unknown_keys(table, &keys::RESOURCES);
        let vcpus = table.get("vcpus").and_then(|vcpus| {
            let count = self.integer_in(vcpus, "resources.vcpus", (i64::MIN, i64::MAX), 1)?;
            if count != 1 {
                let message = format!("`resources.vcpus` must be 1, not {count}");
                let hint = "SauceOS images run on one vCPU; remove `vcpus` or write `vcpus = 1`";
                self.error(vcpus.span(), message, hint);
            }
            Some(1)
        });
        let memory = table.get("memory").and_then(|memory| {
            let hint = "write a size with a binary unit: `memory = \"32MiB\"`";
            let text = self.string_or_hint(memory, "resources.memory", hint)?;
            match text.parse::<MemorySize>() {
                Ok(size) => Some(size),
                Err(error) => {
                    let hint = match error {
                        MemorySizeError::TooSmall { .. } => {
                            format!("write `memory = \"{MINIMUM}\"` or more: below it no image boots")
                        }
                        MemorySizeError::TooLarge { .. } => format!(
                            "write `memory = \"{MAXIMUM}\"` or less: more is beyond what a unikernel needs"
                        ),
                        MemorySizeError::BadUnit { number, .. } => format!("write `memory = \"{number}MiB\"`"),
                        MemorySizeError::BadNumber { .. } => "for example `memory = \"32MiB\"`".to_owned(),
                    };
                    self.error(memory.span(), error.to_string(), hint);
                    None
                }
            }
        });
        Resources {
            memory,
            vcpus: vcpus.unwrap_or(1),
        }
    }

    pub(super) fn build(&mut self, table: &DeTable<'_>) -> Build {
        self.reject_unknown_keys(table, &keys::BUILD);
        let optimize = table.get("optimize").and_then(|value| {
            self.choice(
                value,
                "build.optimize",
                &["size", "speed"],
                Optimize::from_text,
            )
        });
        let components = table
            .get("components")
            .map(|value| self.component_names(value))
            .unwrap_or_default();
        Build {
            optimize: optimize.unwrap_or_default(),
            components,
        }
    }

    /// `build.components`: a list of component names, each once.
    fn component_names(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<String> {
        let hint = "write a list of component names, such as `components = [\"vga-console\"]`";
        let Some(list) = value.get_ref().as_array() else {
            let message = format!(
                "`build.components` must be a list, not {}",
                super::described(value.get_ref())
            );
            self.error(value.span(), message, hint);
            return Vec::new();
        };
        let mut names: Vec<String> = Vec::new();
        for item in list.iter() {
            let Some(name) = self.string_or_hint(item, "build.components", hint) else {
                continue;
            };
            let valid = name.len() <= 63
                && name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid {
                let message = format!("`{}` is not a component name", crate::render::visible(name));
                self.error(
                    item.span(),
                    message,
                    "a component is named by its folder: a-z, 0-9 and `-`, starting with a letter",
                );
            } else if names.iter().any(|known| known == name) {
                let message = format!("`{name}` is listed twice");
                self.error(item.span(), message, "list each component once");
            } else {
                names.push(name.to_owned());
            }
        }
        names
    }

    pub(super) fn target(&mut self, table: &DeTable<'_>) -> Target {
        self.reject_unknown_keys(table, &keys::TARGET);
        let vmm = table
            .get("vmm")
            .and_then(|value| {
                self.choice(
                    value,
                    "target.vmm",
                    &["qemu", "firecracker"],
                    Vmm::from_text,
                )
            })
            .unwrap_or_default();
        let machine = table.get("machine").and_then(|value| {
            let machine = self.choice(
                value,
                "target.machine",
                &["microvm", "q35"],
                QemuMachine::from_text,
            )?;
            if vmm == Vmm::Firecracker {
                let message = "`machine` applies to QEMU only; Firecracker has one machine type";
                self.error(
                    value.span(),
                    message,
                    "remove `machine`, or set `vmm = \"qemu\"`",
                );
                return None;
            }
            Some(machine)
        });
        Target { vmm, machine }
    }
}

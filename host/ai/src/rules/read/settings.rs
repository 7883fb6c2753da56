//! The setting recognizers: port, memory, optimisation, connections, network, target, name.

use sauce_intent::{AppName, MemorySize, Optimize};

use super::Reader;
use crate::rules::patterns::*;

impl<'a> Reader<'a> {
    pub(super) fn settings(&mut self) {
        for captures in self.matches(&PORT) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            let digits = captures[1]
                .clone()
                .or_else(|| captures[2].clone())
                .map(|range| &self.text[range])
                .unwrap_or("");
            match digits.parse::<u16>() {
                Ok(port) if port > 0 => {
                    self.draft.port = Some(port);
                    self.mark(whole, format!("port {port}"));
                }
                _ => self.unusable(whole, "a port is a number from 1 to 65535".to_owned()),
            }
        }
        for captures in self.matches(&MEMORY) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            let number: f64 = self.slice(&captures[1]).parse().unwrap_or(0.0);
            let unit = self.slice(&captures[2]).to_ascii_lowercase();
            let kibibytes = match unit.chars().next() {
                Some('k') => number,
                Some('m') => number * 1024.0,
                _ => number * 1024.0 * 1024.0,
            };
            let text = format!("{}KiB", kibibytes.round() as u64);
            match text.parse::<MemorySize>() {
                Ok(size) => {
                    self.draft.memory = Some(size);
                    let decimal = !unit.contains('i');
                    self.mark(
                        whole,
                        format!(
                            "{size} of memory{}",
                            if decimal {
                                " (read as binary units)"
                            } else {
                                ""
                            }
                        ),
                    );
                }
                Err(error) => self.unusable(whole, error.to_string()),
            }
        }
        let small: Vec<_> = self
            .matches(&SMALL)
            .into_iter()
            .filter_map(|captures| captures[0].clone())
            .collect();
        let fast: Vec<_> = self
            .matches(&FAST)
            .into_iter()
            .filter_map(|captures| captures[0].clone())
            .collect();
        match (small.is_empty(), fast.is_empty()) {
            (false, true) => {
                self.draft.optimize = Some(Optimize::Size);
                for range in small {
                    self.mark(range, "optimised for size".to_owned());
                }
            }
            (true, false) => {
                self.draft.optimize = Some(Optimize::Speed);
                for range in fast {
                    self.mark(range, "optimised for speed".to_owned());
                }
            }
            (false, false) => {
                for range in small.into_iter().chain(fast) {
                    self.unusable(
                        range,
                        "asks for both a small and a fast image; say which matters more".to_owned(),
                    );
                }
            }
            (true, true) => {}
        }
        for captures in self.matches(&CONNECTIONS) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            match self.slice(&captures[1]).parse::<u16>() {
                Ok(count) if (1..=16384).contains(&count) => {
                    self.draft.max_connections = Some(count);
                    self.mark(whole, format!("at most {count} connections at once"));
                }
                _ => self.unusable(
                    whole,
                    "an image serves from 1 to 16384 connections at once".to_owned(),
                ),
            }
        }
        for captures in self.matches(&DHCP) {
            if let Some(whole) = captures[0].clone() {
                self.draft.ip = Some("dhcp".to_owned());
                self.mark(whole, "an address from DHCP".to_owned());
            }
        }
        for captures in self.matches(&STATIC_IP) {
            if let Some(whole) = captures[0].clone() {
                let address = self.text[whole.clone()].to_owned();
                self.draft.ip = Some(address.clone());
                self.mark(whole, format!("the address {address}"));
            }
        }
        for captures in self.matches(&GATEWAY) {
            if let Some(whole) = captures[0].clone() {
                let gateway = self.slice(&captures[1]).to_owned();
                self.draft.gateway = Some(gateway.clone());
                self.mark(whole, format!("the gateway {gateway}"));
            }
        }
        for captures in self.matches(&VMM) {
            if let Some(whole) = captures[0].clone() {
                let vmm = self.slice(&captures[1]).to_ascii_lowercase();
                self.draft.vmm = Some(vmm.clone());
                self.mark(whole, format!("runs on {vmm}"));
            }
        }
        for captures in self.matches(&MACHINE) {
            if let Some(whole) = captures[0].clone() {
                let machine = self.slice(&captures[1]).to_ascii_lowercase();
                self.draft.machine = Some(machine.clone());
                self.mark(whole, format!("QEMU's {machine} machine"));
            }
        }
        for captures in self.matches(&NAME) {
            let Some(whole) = captures[0].clone() else {
                continue;
            };
            let name = self.slice(&captures[1]).to_ascii_lowercase();
            if AppName::new(&name).is_ok() {
                self.draft.name = Some(name.clone());
                self.mark(whole, format!("the app is named {name}"));
            }
        }
    }
}

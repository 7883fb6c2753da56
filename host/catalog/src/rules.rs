//! The selector's rules: which provider a contract with several gets, and what a platform
//! needs by itself. Every rule returns the reason it gives (shown by `sauce plan`).

use crate::manifest::{Allocation, ComponentManifest};
use crate::request::{Machine, Need, Optimize, Platform, Reason};

/// What a rule says about a contract with several providers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    /// This component, for this reason.
    Component(&'static str, Reason),
    /// Decide once every other component is known (the heap depends on how they allocate).
    Later,
    /// No rule covers the contract.
    NoRule,
}

/// Contracts resolved by [`choose`] (the rest must have exactly one provider).
pub const RULED_CONTRACTS: [&str; 3] = ["virtio-transport", "heap", "console"];

/// The provider of `contract` on `platform`, while the selection is still growing.
pub fn choose(contract: &str, platform: &Platform) -> Choice {
    match contract {
        "virtio-transport" => match platform.machine {
            Machine::Q35 => Choice::Component(
                "virtio-pci",
                Reason::rule("q35 attaches virtio devices to PCI"),
            ),
            Machine::Microvm => Choice::Component(
                "virtio-mmio",
                Reason::rule("microvm attaches virtio devices as MMIO windows"),
            ),
            Machine::Firecracker => Choice::Component(
                "virtio-mmio",
                Reason::rule("Firecracker speaks virtio-mmio version 2 only"),
            ),
        },
        "console" => Choice::Component(
            "serial-console",
            Reason::rule("every machine has COM1; boot and fault reports go there too"),
        ),
        "heap" => Choice::Later,
        _ => Choice::NoRule,
    }
}

/// The heap for a selection that is otherwise complete.
///
/// The bump allocator never reuses memory, so it is only sound when nothing frees while running;
/// it is chosen when the goal is size and every selected component allocates at boot at most.
pub fn choose_heap(platform: &Platform, selected: &[&ComponentManifest]) -> (&'static str, Reason) {
    let steady: Vec<&str> = selected
        .iter()
        .filter(|component| component.allocation() == Allocation::Steady)
        .map(|component| component.name.as_str())
        .collect();
    match (platform.optimize, steady.first()) {
        (Optimize::Size, None) => (
            "heap-bump",
            Reason::rule("optimize = \"size\" and nothing frees memory after boot: the bump heap is smallest"),
        ),
        (Optimize::Speed, None) => (
            "heap-talc",
            Reason::rule("optimize = \"speed\": the general-purpose heap"),
        ),
        (_, Some(first)) => (
            "heap-talc",
            Reason::rule(format!(
                "{first} allocates and frees while serving: the heap must reuse memory"
            )),
        ),
    }
}

/// What a platform needs whatever the intent says.
pub fn platform_needs(platform: &Platform) -> Vec<Need> {
    let mut needs = vec![Need::Contract(
        "console".to_owned(),
        Reason::rule("every image has a console"),
    )];
    if platform.machine == Machine::Q35 {
        needs.push(Need::Component(
            "vga-console".to_owned(),
            Reason::rule("q35 has a VGA text screen: log lines are mirrored there"),
        ));
    }
    needs
}

/// What a `[[database]]` of `kind` named `name` (written on `line`) needs: its kind's client,
/// outbound TCP to reach the server, and the stack that carries it.
pub fn database_needs(kind: &str, name: &str, line: Option<u32>) -> Vec<Need> {
    let client = format!("{kind}-client");
    vec![
        Need::Component(
            client,
            Reason::intent(format!("[[database]] {name}: kind = \"{kind}\""), line),
        ),
        Need::Component(
            "outbound-tcp".to_owned(),
            Reason::intent(
                format!("[[database]] {name}: the client dials the server over TCP"),
                line,
            ),
        ),
        Need::Component(
            "tcp-ip".to_owned(),
            Reason::intent(format!("[[database]] {name}: the network stack"), line),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_catalog::manifest;

    #[test]
    fn a_database_selects_its_client_outbound_tcp_and_the_stack() {
        let needs = database_needs("redis", "cache", Some(9));
        let names: Vec<(&str, &str, Option<u32>)> = needs
            .iter()
            .map(|need| match need {
                Need::Component(name, reason) | Need::Contract(name, reason) => {
                    (name.as_str(), reason.text.as_str(), reason.line)
                }
                Need::ComponentWith { .. } => panic!("no conditional need: {need:?}"),
            })
            .collect();
        assert_eq!(
            names,
            [
                (
                    "redis-client",
                    "[[database]] cache: kind = \"redis\"",
                    Some(9)
                ),
                (
                    "outbound-tcp",
                    "[[database]] cache: the client dials the server over TCP",
                    Some(9)
                ),
                ("tcp-ip", "[[database]] cache: the network stack", Some(9)),
            ]
        );
    }

    fn platform(machine: Machine, optimize: Optimize) -> Platform {
        Platform { machine, optimize }
    }

    #[test]
    fn the_transport_follows_the_machine() {
        let pick = |machine| match choose("virtio-transport", &platform(machine, Optimize::Size)) {
            Choice::Component(name, _) => name,
            other => panic!("{other:?}"),
        };
        assert_eq!(pick(Machine::Q35), "virtio-pci");
        assert_eq!(pick(Machine::Microvm), "virtio-mmio");
        assert_eq!(pick(Machine::Firecracker), "virtio-mmio");
    }

    #[test]
    fn the_bump_heap_only_when_size_matters_and_nothing_frees() {
        let mut boot = manifest("a", &[], &[], "app");
        boot.allocation = Some(Allocation::Boot);
        let steady = manifest("b", &[], &[], "app");
        let size = platform(Machine::Microvm, Optimize::Size);
        let speed = platform(Machine::Microvm, Optimize::Speed);
        assert_eq!(choose_heap(&size, &[&boot]).0, "heap-bump");
        assert_eq!(choose_heap(&speed, &[&boot]).0, "heap-talc");
        let (heap, reason) = choose_heap(&size, &[&boot, &steady]);
        assert_eq!(heap, "heap-talc");
        assert!(reason.text.starts_with("b allocates"), "{}", reason.text);
    }

    #[test]
    fn only_q35_gets_a_vga_console() {
        assert_eq!(
            platform_needs(&platform(Machine::Q35, Optimize::Size)).len(),
            2
        );
        assert_eq!(
            platform_needs(&platform(Machine::Firecracker, Optimize::Size)).len(),
            1
        );
    }
}

use super::*;
use crate::manifest::Allocation;
use crate::request::{Machine, Optimize, Platform};
use crate::test_catalog::manifest;

fn platform(machine: Machine) -> Platform {
    Platform {
        machine,
        optimize: Optimize::Size,
    }
}

/// A miniature of the real catalog.
fn catalog() -> Catalog {
    let mut bump = manifest("heap-bump", &["heap"], &[], "memory");
    bump.conflicts = vec!["heap-talc".into()];
    bump.allocation = Some(Allocation::None);
    let mut talc = manifest("heap-talc", &["heap"], &[], "memory");
    talc.allocation = Some(Allocation::None);
    let mut serial = manifest("serial-console", &["console"], &[], "early");
    serial.allocation = Some(Allocation::None);
    Catalog::from_manifests([
        bump,
        talc,
        serial,
        manifest("vga-console", &["console"], &[], "early"),
        manifest("virtio-mmio", &["virtio-transport"], &[], "driver"),
        manifest("virtio-pci", &["virtio-transport"], &[], "driver"),
        manifest(
            "virtio-net",
            &["net-device"],
            &["virtio-transport", "heap"],
            "driver",
        ),
        manifest("tcp-ip", &["tcp-ip"], &["net-device", "heap"], "net"),
        manifest("http-service", &["http-service"], &["tcp-ip"], "app"),
    ])
    .unwrap()
}

fn http(machine: Machine) -> Request {
    Request {
        needs: vec![Need::Contract(
            "http-service".into(),
            Reason::intent("[http]", Some(4)),
        )],
        platform: platform(machine),
    }
}

fn names(graph: &ComponentGraph) -> Vec<&str> {
    graph
        .components
        .iter()
        .map(|component| component.name.as_str())
        .collect()
}

fn request(contract: &str) -> Request {
    Request {
        needs: vec![Need::Contract(contract.into(), Reason::rule("test"))],
        platform: platform(Machine::Microvm),
    }
}

#[test]
fn an_http_service_on_microvm_is_ordered_by_stage_then_dependencies() {
    let graph = select(&catalog(), &http(Machine::Microvm)).unwrap();
    assert_eq!(
        names(&graph),
        [
            "serial-console",
            "heap-talc",
            "virtio-mmio",
            "virtio-net",
            "tcp-ip",
            "http-service"
        ]
    );
    assert_eq!(
        graph.get("http-service").unwrap().reason.describe(),
        "[http] (sauce.toml:4)"
    );
    assert_eq!(
        graph.get("tcp-ip").unwrap().reason.text,
        "http-service requires `tcp-ip`"
    );
    assert_eq!(
        graph.get("virtio-net").unwrap().requires,
        ["virtio-mmio", "heap-talc"]
    );
}

#[test]
fn q35_takes_pci_and_a_vga_console() {
    let graph = select(&catalog(), &http(Machine::Q35)).unwrap();
    assert!(graph.contains("virtio-pci") && graph.contains("vga-console"));
    assert!(!graph.contains("virtio-mmio"));
}

#[test]
fn selection_is_deterministic() {
    let first = select(&catalog(), &http(Machine::Firecracker)).unwrap();
    for _ in 0..5 {
        assert_eq!(
            select(&catalog(), &http(Machine::Firecracker)).unwrap(),
            first
        );
    }
}

#[test]
fn a_workload_that_never_frees_gets_the_bump_heap_when_size_matters() {
    let mut manifests: Vec<_> = catalog().components().cloned().collect();
    for manifest in &mut manifests {
        manifest.allocation = Some(Allocation::Boot);
    }
    let catalog = Catalog::from_manifests(manifests).unwrap();
    let graph = select(&catalog, &http(Machine::Microvm)).unwrap();
    assert!(graph.contains("heap-bump") && !graph.contains("heap-talc"));
}

#[test]
fn an_unprovided_contract_names_who_needed_it() {
    let request = Request {
        needs: vec![Need::Contract(
            "tls".into(),
            Reason::intent("[tls]", Some(9)),
        )],
        platform: platform(Machine::Microvm),
    };
    let error = select(&catalog(), &request).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no component provides `tls`, needed because [tls] (sauce.toml:9)"
    );
}

#[test]
fn conflicts_are_rejected() {
    let request = Request {
        needs: vec![
            Need::Component("heap-bump".into(), Reason::rule("test")),
            Need::Component("heap-talc".into(), Reason::rule("test")),
        ],
        platform: platform(Machine::Microvm),
    };
    let error = select(&catalog(), &request).unwrap_err();
    assert!(matches!(error, SelectError::Conflict { .. }), "{error}");
}

#[test]
fn cycles_are_rejected_and_named() {
    let catalog = Catalog::from_manifests([
        manifest("serial-console", &["console"], &[], "early"),
        manifest("a", &["x"], &["y"], "app"),
        manifest("b", &["y"], &["x"], "app"),
    ])
    .unwrap();
    let error = select(&catalog, &request("x")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "components require each other in a cycle: a → b → a"
    );
}

#[test]
fn a_dependency_in_a_later_stage_is_an_error() {
    let catalog = Catalog::from_manifests([
        manifest("serial-console", &["console"], &[], "early"),
        manifest("early-user", &["x"], &["late"], "early"),
        manifest("late-provider", &["late"], &[], "app"),
    ])
    .unwrap();
    assert!(matches!(
        select(&catalog, &request("x")),
        Err(SelectError::StageOrder { .. })
    ));
}

#[test]
fn two_providers_without_a_rule_are_ambiguous() {
    let catalog = Catalog::from_manifests([
        manifest("serial-console", &["console"], &[], "early"),
        manifest("a", &["x"], &[], "app"),
        manifest("b", &["x"], &[], "app"),
    ])
    .unwrap();
    assert!(matches!(
        select(&catalog, &request("x")),
        Err(SelectError::Ambiguous { .. })
    ));
}

#[test]
fn a_component_wanted_with_another_comes_only_when_that_one_is_selected() {
    let mut bump = manifest("heap-bump", &["heap"], &[], "memory");
    bump.allocation = Some(Allocation::None);
    let mut serial = manifest("serial-console", &["console"], &[], "early");
    serial.allocation = Some(Allocation::None);
    let base = Catalog::from_manifests([
        bump,
        serial,
        manifest("virtio-mmio", &["virtio-transport"], &[], "driver"),
        manifest(
            "virtio-net",
            &["net-device"],
            &["virtio-transport", "heap"],
            "driver",
        ),
        manifest("tcp-ip", &["tcp-ip"], &["net-device", "heap"], "net"),
        manifest("dhcp-client", &["address-client"], &["tcp-ip"], "net"),
        manifest("outbound-tcp", &["tcp-connector"], &["tcp-ip"], "app"),
    ])
    .unwrap();
    let with_dhcp = |needs: Vec<Need>| Request {
        needs: needs
            .into_iter()
            .chain([Need::ComponentWith {
                component: "dhcp-client".into(),
                when: "tcp-ip".into(),
                reason: Reason::rule("test"),
            }])
            .collect(),
        platform: platform(Machine::Microvm),
    };
    let networked = select(
        &base,
        &with_dhcp(vec![Need::Component(
            "outbound-tcp".into(),
            Reason::rule("test"),
        )]),
    )
    .unwrap();
    assert!(
        names(&networked).contains(&"dhcp-client"),
        "{:?}",
        names(&networked)
    );
    let offline = select(
        &base,
        &with_dhcp(vec![Need::Contract("console".into(), Reason::rule("test"))]),
    )
    .unwrap();
    assert!(!names(&offline).contains(&"dhcp-client"));
    assert!(
        !names(&offline).contains(&"tcp-ip"),
        "no stack pulled in for it"
    );
}

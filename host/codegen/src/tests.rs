//! Generation from intents written inline: dependencies, optimisation, literals, errors.

use std::path::Path;

use sauce_catalog::{intent_needs, select, Catalog};

use crate::{generate, GenerateError, GeneratedCrate};

fn source_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn generated(toml: &str) -> Result<GeneratedCrate, GenerateError> {
    let intent = sauce_intent::document::parse(Path::new("/project/sauce.toml"), toml).unwrap();
    let catalog = Catalog::load(&source_root()).unwrap();
    let machine = sauce_intent::Machine::for_intent(&intent, None, None);
    let graph = select(&catalog, &intent_needs::request(&intent, machine)).unwrap();
    generate(&intent, &graph, Path::new("/src"))
}

const HTTP: &str = "[app]\nname = \"web\"\n[http]\n[[http.route]]\npath = \"/\"\nbody = \"a \\\"quoted\\\" body\\n\"\n";

#[test]
fn only_selected_components_are_dependencies() {
    let serial = generated("[app]\nname = \"hello\"\n").unwrap();
    let cargo = serial.file("Cargo.toml").unwrap();
    assert!(
        cargo.contains("sauce-runtime = { path = \"/src/kernel/runtime\" }"),
        "{cargo}"
    );
    assert!(!cargo.contains("sauce-tcp-ip"), "{cargo}");
    let http = generated(HTTP).unwrap();
    let cargo = http.file("Cargo.toml").unwrap();
    assert!(
        cargo.contains("sauce-tcp-ip = { path = \"/src/components/tcp-ip\" }"),
        "{cargo}"
    );
    assert!(
        cargo.contains("sauce-virtio-mmio") && !cargo.contains("sauce-virtio-pci"),
        "{cargo}"
    );
}

#[test]
fn optimize_picks_the_opt_level() {
    let size = generated(HTTP).unwrap();
    assert!(size
        .file("Cargo.toml")
        .unwrap()
        .contains("opt-level = \"s\""));
    let speed = generated(&format!("{HTTP}[build]\noptimize = \"speed\"\n")).unwrap();
    assert!(speed.file("Cargo.toml").unwrap().contains("opt-level = 3"));
}

#[test]
fn bodies_are_escaped_rust_literals() {
    let main = generated(HTTP)
        .unwrap()
        .file("src/main.rs")
        .unwrap()
        .to_owned();
    assert!(
        main.contains(r#""a \"quoted\" body\n".as_bytes()"#),
        "{main}"
    );
}

#[test]
fn every_component_is_initialised_with_its_reason() {
    let main = generated(HTTP)
        .unwrap()
        .file("src/main.rs")
        .unwrap()
        .to_owned();
    assert!(
        main.contains("// protocol · http-service: [http]: an HTTP service (sauce.toml:3)"),
        "{main}"
    );
    assert!(
        main.contains("// net · tcp-ip: http-service runs within `tcp-ip`"),
        "{main}"
    );
}

#[test]
fn intent_keys_override_manifest_defaults_and_say_so() {
    let main = generated(
        "[app]\nname = \"web\"\n[http]\nport = 8080\n[[http.route]]\npath = \"/\"\nbody = \"hi\"\n[http.limits]\nheader_size = \"4KiB\"\nidle_timeout = \"2s\"\n",
    )
    .unwrap()
    .file("src/main.rs")
    .unwrap()
    .to_owned();
    for expected in [
        "    // [http] port (sauce.toml:4)\n    port: 8080,",
        "    // component.toml default 128\n    max_connections: 128,",
        "    // [http.limits] header_size (sauce.toml:9)\n    header_limit: 4096,",
        "    // [http.limits] idle_timeout (sauce.toml:10)\n    idle_timeout_ms: 2000,",
        "    // component.toml default \"64KiB\"\n    body_limit: 65536,",
    ] {
        assert!(main.contains(expected), "{expected} in\n{main}");
    }
}

#[test]
fn a_static_address_without_a_gateway_has_none() {
    let main = generated(&format!("{HTTP}[network]\nip = \"192.168.7.2/24\"\n"))
        .unwrap()
        .file("src/main.rs")
        .unwrap()
        .to_owned();
    assert!(
        main.contains("Ipv4Address::new(192, 168, 7, 2), 24)"),
        "{main}"
    );
    assert!(main.contains("    gateway: None,"), "{main}");
}

#[test]
fn network_dns_reaches_the_outbound_connections() {
    let with_dns = generated(&format!(
        "{HTTP}[build]\ncomponents = [\"outbound-tcp\", \"entropy\"]\n[network]\ndns = [\"10.0.2.3\", \"1.1.1.1\"]\n"
    ))
    .unwrap()
    .file("src/main.rs")
    .unwrap()
    .to_owned();
    assert!(
        with_dns.contains("    // [network] dns (sauce.toml:10)\n    dns: \"10.0.2.3,1.1.1.1\","),
        "{with_dns}"
    );
    let without = generated(&format!(
        "{HTTP}[build]\ncomponents = [\"outbound-tcp\", \"entropy\"]\n"
    ))
    .unwrap()
    .file("src/main.rs")
    .unwrap()
    .to_owned();
    assert!(
        without.contains(
            "    // component.toml default \"lease or 10.0.2.3\"\n    dns: \"lease or 10.0.2.3\","
        ),
        "{without}"
    );
}

//! The component contract (record 0014), checked over the whole catalog:
//! 1. every snippet binds each variable contract it provides and names nothing its manifest
//!    does not declare (strict rendering, over images that select every component);
//! 2. a crate depends on another component's crate exactly when a contract it provides or
//!    takes is defined there (components/contracts.toml);
//! 3. `unsafe =` in a manifest exactly when the crate root does not forbid unsafe code;
//! 4. every crate's `Configuration::DEFAULT` is its manifest's defaults.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sauce_catalog::{intent_needs, select, Catalog, ComponentManifest};

fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn contracts() -> toml::Table {
    let text = std::fs::read_to_string(source_root().join("components/contracts.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

/// Everything a manifest says it provides or takes.
fn named_contracts(manifest: &ComponentManifest) -> BTreeSet<&str> {
    [
        &manifest.provides,
        &manifest.requires,
        &manifest.uses,
        &manifest.collects,
        &manifest.within,
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .collect()
}

#[test]
fn every_contract_a_manifest_names_is_declared() {
    let contracts = contracts();
    let catalog = Catalog::load(&source_root()).unwrap();
    for manifest in catalog.components() {
        for contract in named_contracts(manifest) {
            assert!(
                contracts.contains_key(contract),
                "{}: contract `{contract}` is not in components/contracts.toml",
                manifest.name
            );
        }
    }
}

#[test]
fn snippets_bind_what_they_provide() {
    let contracts = contracts();
    let catalog = Catalog::load(&source_root()).unwrap();
    for manifest in catalog.components() {
        let snippet = manifest.snippet.as_deref().unwrap_or("");
        for contract in &manifest.provides {
            let kind = contracts[contract.as_str()]["kind"].as_str().unwrap();
            let variable = contract.replace('-', "_");
            let expected = match kind {
                "variable" => format!("let {{{{ provides.{variable} }}}}"),
                "items" => contract.replace('-', "_").to_uppercase(),
                _ => continue,
            };
            let binds = snippet.contains(&expected)
                || snippet.lines().any(|line| {
                    line.trim_start().starts_with("let ")
                        && line.contains(&format!("{{{{ provides.{variable} }}}}"))
                });
            assert!(
                binds,
                "components/{}/board.rs.j2 provides `{contract}` but never writes `{expected}`",
                manifest.name
            );
        }
    }
}

/// Every intent under `examples/` and a few more generate (strict rendering fails on a
/// snippet naming what its manifest does not declare), and together they select every
/// component of the catalog.
#[test]
fn every_component_renders_in_some_image() {
    let root = source_root();
    let catalog = Catalog::load(&root).unwrap();
    let mut intents: Vec<sauce_intent::Intent> = std::fs::read_dir(root.join("examples"))
        .unwrap()
        .map(|entry| sauce_intent::load(&entry.unwrap().path()).unwrap())
        .collect();
    let dhcp_with_both = "[app]\nname = \"both\"\n[http]\n[[http.route]]\npath = \"/\"\nbody = \"hi\"\n[tcp]\nport = 7\nservice = \"echo\"\n[network]\nip = \"dhcp\"\n[target]\nmachine = \"q35\"\n";
    intents
        .push(sauce_intent::document::parse(Path::new("/p/sauce.toml"), dhcp_with_both).unwrap());
    let speed = "[app]\nname = \"fast\"\n[http]\n[[http.route]]\npath = \"/\"\nbody = \"hi\"\n[build]\noptimize = \"speed\"\n";
    intents.push(sauce_intent::document::parse(Path::new("/p/sauce.toml"), speed).unwrap());
    // Components only an intent's `[build] components` selects.
    let outbound =
        "[app]\nname = \"outbound\"\n[build]\ncomponents = [\"outbound-tcp\", \"entropy\"]\n";
    intents.push(sauce_intent::document::parse(Path::new("/p/sauce.toml"), outbound).unwrap());
    // Databases of every kind, one with each key a [[database]] can override.
    let databases = "[app]\nname = \"stores\"\n[[database]]\nname = \"main\"\nkind = \"postgres\"\nurl = \"${DATABASE_URL}\"\npool = 8\ntimeout = \"2s\"\nbackoff_max = \"30s\"\n[[database]]\nname = \"reports\"\nkind = \"postgres\"\nurl = \"${REPORTS_URL}\"\n[[database]]\nname = \"cache\"\nkind = \"redis\"\nurl = \"${REDIS_URL}\"\npool = 2\n[[database]]\nname = \"shop\"\nkind = \"mysql\"\nurl = \"${SHOP_URL}\"\ntimeout = \"1s\"\n";
    intents.push(sauce_intent::document::parse(Path::new("/p/sauce.toml"), databases).unwrap());
    // An app with handlers, state, a periodic task and run-time values.
    let app_folder =
        std::env::temp_dir().join(format!("sauce-contract-app-{}", std::process::id()));
    std::fs::create_dir_all(&app_folder).unwrap();
    std::fs::write(
        app_folder.join("Cargo.toml"),
        "[package]\nname = \"demo\"\n",
    )
    .unwrap();
    let app = "[app]\nname = \"demo\"\ninit = \"init\"\n[app.env]\nGREETING = \"hi\"\n[[app.every]]\nseconds = 5\ntask = \"tick\"\n[http]\n[[http.route]]\npath = \"/items/{id}\"\nmethods = [\"GET\", \"PUT\"]\nhandler = \"items::item\"\nbody_limit = \"1KiB\"\n";
    intents.push(sauce_intent::document::parse(&app_folder.join("sauce.toml"), app).unwrap());
    let mut selected = BTreeSet::new();
    for intent in &intents {
        for machine in [
            sauce_intent::Machine::for_intent(intent, None, None),
            sauce_intent::Machine::Firecracker,
        ] {
            let graph = select(&catalog, &intent_needs::request(intent, machine)).unwrap();
            sauce_codegen::generate(intent, &graph, &root)
                .unwrap_or_else(|error| panic!("{}: {error}", intent.app.name));
            selected.extend(
                graph
                    .components
                    .iter()
                    .map(|component| component.name.clone()),
            );
        }
    }
    std::fs::remove_dir_all(&app_folder).unwrap();
    let all: BTreeSet<String> = catalog
        .components()
        .map(|component| component.name.clone())
        .collect();
    assert_eq!(selected, all);
}

fn dependencies(folder: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(folder.join("Cargo.toml")).unwrap();
    let cargo: toml::Table = toml::from_str(&text).unwrap();
    let mut names = BTreeSet::new();
    let mut add = |table: Option<&toml::Value>| {
        if let Some(table) = table.and_then(toml::Value::as_table) {
            names.extend(table.keys().cloned());
        }
    };
    add(cargo.get("dependencies"));
    if let Some(targets) = cargo.get("target").and_then(toml::Value::as_table) {
        for target in targets.values() {
            add(target.get("dependencies"));
        }
    }
    names
}

#[test]
fn crates_depend_on_exactly_the_contracts_they_name() {
    let contracts = contracts();
    let catalog = Catalog::load(&source_root()).unwrap();
    let component_crates: BTreeSet<String> = catalog
        .components()
        .map(ComponentManifest::package)
        .collect();
    for manifest in catalog.components() {
        let depended: BTreeSet<String> = dependencies(&manifest.folder)
            .into_iter()
            .filter(|name| component_crates.contains(name))
            .collect();
        let defining: BTreeSet<String> = named_contracts(manifest)
            .into_iter()
            .filter_map(|contract| contracts[contract].get("crate")?.as_str())
            .map(str::to_owned)
            .filter(|name| component_crates.contains(name) && *name != manifest.package())
            .collect();
        assert_eq!(
            depended, defining,
            "{}: its crate's component dependencies (left) are not the crates defining the contracts its manifest names (right)",
            manifest.name
        );
    }
}

#[test]
fn unsafe_is_declared_exactly_where_it_is_allowed() {
    let catalog = Catalog::load(&source_root()).unwrap();
    for manifest in catalog.components() {
        let root = std::fs::read_to_string(manifest.folder.join("src/lib.rs")).unwrap();
        let forbids = root.contains("#![forbid(unsafe_code)]");
        assert_eq!(
            manifest.unsafe_reason.is_some(),
            !forbids,
            "{}: `unsafe =` in component.toml must be there exactly when src/lib.rs does not forbid unsafe code",
            manifest.name
        );
    }
}

/// `component.toml`'s default of `component.key` as a number (sizes in bytes, durations in
/// milliseconds).
fn default_of(catalog: &Catalog, component: &str, key: &str) -> u64 {
    let manifest = catalog.get(component).unwrap();
    let entry = &manifest.config[key];
    sauce_codegen::configuration::parse_default(entry)
        .unwrap()
        .as_u64()
        .unwrap_or_else(|| panic!("{component}.{key} is not a number"))
}

macro_rules! same_defaults {
    ($catalog:expr, $component:literal, $default:expr, [$($field:ident),* $(,)?]) => {{
        let default = $default;
        let manifest = $catalog.get($component).unwrap();
        let listed: BTreeSet<&str> = [$(stringify!($field)),*].into_iter().collect();
        let declared: BTreeSet<&str> = manifest.config.keys().map(String::as_str).collect();
        assert_eq!(listed, declared, "{}: the fields checked are the manifest's", $component);
        $(
            assert_eq!(
                default.$field as u64,
                default_of(&$catalog, $component, stringify!($field)),
                "{}: Configuration::DEFAULT.{} differs from component.toml",
                $component,
                stringify!($field)
            );
        )*
    }};
}

#[test]
fn crate_defaults_are_the_manifests() {
    let catalog = Catalog::load(&source_root()).unwrap();
    same_defaults!(
        catalog,
        "http-server",
        sauce_http_server::Configuration::DEFAULT,
        [
            max_connections,
            header_limit,
            body_limit,
            request_timeout_ms,
            body_timeout_ms,
            minimum_body_rate,
            idle_timeout_ms,
            send_timeout_ms,
            max_headers,
            output_limit,
            max_pipelined,
        ]
    );
    same_defaults!(
        catalog,
        "http-service",
        sauce_http_service::board::Configuration::DEFAULT,
        [port, receive_buffer, send_buffer, connections_per_peer,]
    );
    same_defaults!(
        catalog,
        "echo-service",
        sauce_echo_service::Configuration::DEFAULT,
        [
            port,
            max_connections,
            receive_buffer,
            send_buffer,
            idle_timeout_ms,
        ]
    );
    same_defaults!(
        catalog,
        "executor",
        sauce_executor::board::Configuration::DEFAULT,
        [max_tasks]
    );
    same_defaults!(
        catalog,
        "heap-talc",
        sauce_heap_talc::board::Configuration::DEFAULT,
        [boot_bytes, frame_reserve,]
    );
    same_defaults!(
        catalog,
        "heap-bump",
        sauce_heap_bump::board::Configuration::DEFAULT,
        [boot_bytes, frame_reserve,]
    );
    same_defaults!(
        catalog,
        "app-runtime",
        sauce_app_runtime::Configuration::DEFAULT,
        [watchdog_ms, queue_timeout_ms]
    );
    same_defaults!(
        catalog,
        "postgres-client",
        sauce_postgres::board::Configuration::DEFAULT,
        [pool_size, timeout_ms, backoff_max_ms]
    );
    same_defaults!(
        catalog,
        "redis-client",
        sauce_redis::board::Configuration::DEFAULT,
        [pool_size, timeout_ms, backoff_max_ms]
    );
    same_defaults!(
        catalog,
        "mysql-client",
        sauce_mysql::board::Configuration::DEFAULT,
        [pool_size, timeout_ms, backoff_max_ms]
    );
    // tcp-ip's address and gateway are not numbers: its own test compares them.
}

/// The HTTP pool's per-socket figure covers the crate's worst case with the defaults.
#[test]
fn the_http_socket_figure_covers_the_crate() {
    let catalog = Catalog::load(&source_root()).unwrap();
    let memory = &catalog.get("http-service").unwrap().memory;
    let server = sauce_http_server::Configuration::DEFAULT;
    let service = sauce_http_service::board::Configuration::DEFAULT;
    let worst = sauce_http_service::Limits::socket_bytes(
        &server,
        service.receive_buffer,
        service.send_buffer,
    );
    let declared = memory.per_connection + server.header_limit as u64;
    assert!(
        worst as u64 <= declared,
        "one socket holds {worst} bytes; component.toml plans {declared}"
    );
    assert!(
        declared - worst as u64 <= 2048,
        "the figure is {declared}, far above the crate's {worst}"
    );
}

//! Valid intents under `tests/valid/` and `examples/`, each read into exactly the model expected.

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

use sauce_intent::{
    load, Addressing, Http, MemorySize, NotFound, Optimize, QemuMachine, Route, RouteResponse, Vmm,
};

fn valid(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/valid")
        .join(name)
}

fn route(path: &str, response: RouteResponse, content_type: Option<&str>, status: u16) -> Route {
    Route {
        path: path.to_owned(),
        response,
        content_type: content_type.map(str::to_owned),
        status,
        methods: Vec::new(),
        body_limit: None,
        cache_control: None,
    }
}

#[test]
fn a_static_site() {
    let folder = valid("static-site").canonicalize().unwrap();
    let intent = load(&folder).unwrap();
    assert_eq!(intent.app.name.as_str(), "static-site");
    assert_eq!(intent.manifest_path, folder.join("sauce.toml"));
    let expected = Http {
        port: 8080,
        routes: vec![
            route(
                "/",
                RouteResponse::File(folder.join("public/index.html")),
                None,
                200,
            ),
            route(
                "/static/*",
                RouteResponse::Dir(folder.join("public")),
                None,
                200,
            ),
        ],
        not_found: Some(NotFound {
            response: RouteResponse::File(folder.join("404.html")),
            content_type: None,
        }),
        max_connections: None,
        limits: Default::default(),
    };
    assert_eq!(intent.http.as_ref(), Some(&expected));
    let http = intent.http.as_ref().unwrap();
    assert_eq!(
        http.routes[0].effective_content_type(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(http.routes[1].prefix(), Some("/static/"));
    assert_eq!(
        intent.resources.memory,
        Some(MemorySize::from_mebibytes(16))
    );
    assert_eq!(intent.build.optimize, Optimize::Size);
    assert_eq!(
        (intent.target.vmm, intent.target.machine),
        (Vmm::Qemu, None)
    );
    assert_eq!(intent.network.addressing, None);
    assert_eq!(intent.line_of("http.route.1.dir"), Some(14));
}

#[test]
fn a_json_api_on_q35() {
    let intent = load(&valid("json-api")).unwrap();
    let info = r#"{"service":"json-api","version":1,"ready":true,"released":"2025-01-31","limits":{"requests":100,"ratio":0.5}}"#;
    let items = r#"[{"id":1,"name":"sauce"},{"id":2,"name":"pasta"}]"#;
    let expected = Http {
        port: 80,
        routes: vec![
            route("/api/info", RouteResponse::Json(info.to_owned()), None, 200),
            route(
                "/api/items",
                RouteResponse::Json(items.to_owned()),
                Some("application/vnd.sauce+json"),
                203,
            ),
            route(
                "/docs",
                RouteResponse::Redirect("https://sauceos.dev/docs".to_owned()),
                None,
                301,
            ),
            route(
                "/v0/*",
                RouteResponse::Redirect("/api/info".to_owned()),
                None,
                308,
            ),
        ],
        not_found: Some(NotFound {
            response: RouteResponse::Json(r#"{"error":"not found"}"#.to_owned()),
            content_type: None,
        }),
        max_connections: Some(32),
        limits: Default::default(),
    };
    assert_eq!(intent.http, Some(expected));
    let address = Ipv4Addr::new(192, 168, 100, 2);
    assert_eq!(
        intent.network.addressing,
        Some(Addressing::Static {
            address,
            prefix: 24
        })
    );
    assert_eq!(
        intent.network.gateway,
        Some(Ipv4Addr::new(192, 168, 100, 1))
    );
    assert_eq!(
        (intent.target.vmm, intent.target.machine),
        (Vmm::Qemu, Some(QemuMachine::Q35))
    );
    assert_eq!(intent.build.optimize, Optimize::Speed);
    assert_eq!(intent.resources.memory, None);
}

#[test]
fn a_tiny_firecracker_service() {
    let intent = load(&valid("firecracker")).unwrap();
    let http = intent.http.unwrap();
    let text = Some("text/plain; charset=utf-8");
    assert_eq!(
        http.routes,
        [route(
            "/",
            RouteResponse::Body("tiny\n".to_owned()),
            text,
            200
        )]
    );
    assert_eq!(intent.target.vmm, Vmm::Firecracker);
    let address = Ipv4Addr::new(172, 16, 0, 2);
    assert_eq!(
        intent.network.addressing,
        Some(Addressing::Static {
            address,
            prefix: 30
        })
    );
    assert_eq!(intent.resources.memory, Some(MemorySize::from_mebibytes(2)));
    assert_eq!(intent.resources.vcpus, 1);
}

#[test]
fn every_example_is_valid() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut count = 0;
    for entry in std::fs::read_dir(examples).unwrap() {
        let folder = entry.unwrap().path();
        if folder.join("sauce.toml").is_file() {
            load(&folder).unwrap_or_else(|error| panic!("{}:\n{error}", folder.display()));
            count += 1;
        }
    }
    assert!(count >= 2);
    let hello =
        load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/hello-http")).unwrap();
    let address = Ipv4Addr::new(10, 0, 2, 15);
    assert_eq!(
        hello.network.addressing,
        Some(Addressing::Static {
            address,
            prefix: 24
        })
    );
    assert_eq!(
        hello.http.unwrap().routes[0].response,
        RouteResponse::Body("Hello from SauceOS\n".to_owned())
    );
}

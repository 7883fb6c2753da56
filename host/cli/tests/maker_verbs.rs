//! `sauce new`, `plan`, `schema` and `--format json`: the verbs around building, driven through
//! the real binary (no image is built here).

mod common;

use common::{assert_exit, intent, repository, sauce, temporary_folder, text};

#[test]
fn new_then_check_for_every_template() {
    let folder = temporary_folder("new-templates");
    for template in ["hello-http", "static-site", "json-api"] {
        let name = format!("my-{template}");
        let output = sauce()
            .args(["new", &name, "--template", template])
            .current_dir(&folder)
            .output()
            .unwrap();
        assert_exit(&output, 0);
        assert!(
            text(&output)
                .0
                .contains(&format!("sauce run {name} -p 8080:80")),
            "{}",
            text(&output).0
        );
        let output = sauce()
            .arg("check")
            .arg(folder.join(&name))
            .output()
            .unwrap();
        assert_exit(&output, 0);
        assert_eq!(text(&output).0, format!("ok: {name}\n"));
    }
    let again = sauce()
        .args(["new", "my-hello-http"])
        .current_dir(&folder)
        .output()
        .unwrap();
    assert_exit(&again, 1);
    assert!(
        text(&again).1.contains("already exists"),
        "{}",
        text(&again).1
    );
}

#[test]
fn new_refuses_a_name_that_cannot_name_an_app() {
    let folder = temporary_folder("new-bad-name");
    let output = sauce()
        .args(["new", "Bad_Name"])
        .current_dir(&folder)
        .output()
        .unwrap();
    assert_exit(&output, 1);
    assert!(
        text(&output).1.contains("try `sauce new bad-name`"),
        "{}",
        text(&output).1
    );
    assert!(!folder.join("Bad_Name").exists());
}

#[test]
fn plan_names_each_component_with_its_reason_and_line() {
    let output = sauce()
        .arg("plan")
        .arg(repository().join("examples/hello-http"))
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let stdout = text(&output).0;
    assert!(
        stdout.contains("http-service")
            && stdout.contains("[http]: an HTTP service (sauce.toml:6)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("virtio-mmio") && !stdout.contains("virtio-pci"),
        "{stdout}"
    );
    let json = sauce()
        .args(["plan", "--format", "json", "--machine", "q35"])
        .arg(repository().join("examples/hello-http"))
        .output()
        .unwrap();
    assert_exit(&json, 0);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let names: Vec<&str> = value["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"virtio-pci") && names.contains(&"vga-console"),
        "{names:?}"
    );
}

#[test]
fn too_little_memory_for_the_selected_image_is_located() {
    let manifest = intent(
        "check-memory",
        "[app]\nname = \"x\"\n[http]\nmax_connections = 500\n[[http.route]]\npath = \"/\"\nbody = \"x\"\n[resources]\nmemory = \"3MiB\"\n",
    );
    let output = sauce()
        .args(["check", "--format", "json"])
        .arg(&manifest)
        .output()
        .unwrap();
    assert_exit(&output, 1);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value[0]["line"], 9);
    assert_eq!(value[0]["column"], 10);
    assert!(
        value[0]["message"]
            .as_str()
            .unwrap()
            .contains("needs at least 17MiB of memory: 500 connections"),
        "{value}"
    );
}

#[test]
fn schema_is_json_with_a_version() {
    let output = sauce().arg("schema").output().unwrap();
    assert_exit(&output, 0);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        value["$id"],
        "https://sauceos.dev/schemas/sauce-toml/v1.json"
    );
}

#[test]
fn dhcp_is_refused_when_the_command_line_picks_firecracker() {
    let manifest = intent("check-dhcp-firecracker", "[app]\nname = \"x\"\n[http]\n[[http.route]]\npath = \"/\"\nbody = \"x\"\n[network]\nip = \"dhcp\"\n");
    let output = sauce().arg("check").arg(&manifest).output().unwrap();
    assert_exit(&output, 0);
    let output = sauce()
        .args(["check", "--vmm", "firecracker"])
        .arg(&manifest)
        .output()
        .unwrap();
    assert_exit(&output, 1);
    assert!(
        text(&output).1.contains("Firecracker has no DHCP server"),
        "{}",
        text(&output).1
    );
    assert!(
        text(&output).1.contains("sauce.toml:8:6"),
        "{}",
        text(&output).1
    );
}

//! `sauce run --vmm firecracker` where no Firecracker is needed: the dry run, the error when
//! none is found, and flags that do not fit together. Always runs (CI has no Firecracker).

mod common;

use std::path::PathBuf;

use common::{assert_exit, sauce, temporary_folder, text};
use sauce_trivial_image::TrivialImage;

fn image(test: &str) -> PathBuf {
    let image = temporary_folder(test).join("trivial.elf");
    TrivialImage::ExitSuccess.write_to(&image).unwrap();
    image
}

/// `sauce` with no Firecracker anywhere: no flag, no variable, a PATH without it.
fn sauce_without_firecracker() -> std::process::Command {
    let mut command = sauce();
    command
        .env_remove("SAUCE_FIRECRACKER")
        .env("PATH", "/usr/bin:/bin");
    command
}

#[test]
fn a_dry_run_prints_the_configuration_and_the_commands() {
    let image = image("fc-dry-run");
    let output = sauce_without_firecracker()
        .arg("run")
        .arg(&image)
        .args([
            "--vmm",
            "firecracker",
            "--dry-run",
            "-p",
            "8080:80",
            "--memory",
            "64MiB",
            "--append",
            "loglevel=debug",
        ])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let (stdout, stderr) = text(&output);
    assert!(
        stderr.contains("notice: Firecracker was not found"),
        "{stderr}"
    );
    // The JSON itself is checked field by field in the runner's dry_run unit tests.
    for expected in [
        format!("\"kernel_image_path\": \"{}\"", image.display()),
        "\"boot_args\": \"loglevel=debug sauce.boot_timer=0xc0000000 sauce.time=".to_owned(),
        " sauce.seed=".to_owned(),
        " ip=172.16.0.2/30 gw=172.16.0.1\"".to_owned(),
        "\"mem_size_mib\": 64".to_owned(),
        "\"host_dev_name\": \"tap0\"".to_owned(),
    ] {
        assert!(
            stdout.contains(&expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    let namespace = format!("sauce-{}-0", output_pid_hint(&stdout));
    for expected in [
        format!("ip netns add {namespace}\n"),
        format!("ip netns exec {namespace} firecracker --api-sock \"$FOLDER/api.sock\""),
        "http://localhost/actions\n".to_owned(),
        format!("# sauce relays 127.0.0.1:8080 on the host to 172.16.0.2:80 inside {namespace}"),
        format!("ip netns delete {namespace}\n"),
    ] {
        assert!(
            stdout.contains(&expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    assert!(
        !std::path::Path::new("/run/netns").join(&namespace).exists(),
        "a dry run creates nothing"
    );
}

/// The pid in the dry run's `ip netns add sauce-PID-0` line.
fn output_pid_hint(stdout: &str) -> String {
    let line = stdout
        .lines()
        .find(|line| line.starts_with("ip netns add sauce-"))
        .expect("a namespace is created");
    line.trim_start_matches("ip netns add sauce-")
        .trim_end_matches("-0")
        .to_owned()
}

#[test]
fn a_dry_run_with_a_given_tap_uses_it_and_names_the_binary() {
    let image = image("fc-dry-run-tap");
    let binary = temporary_folder("fc-dry-run-tap-binary").join("my-firecracker");
    std::fs::write(&binary, "").unwrap();
    let output = sauce_without_firecracker()
        .arg("run")
        .arg(&image)
        .args([
            "--vmm",
            "firecracker",
            "--dry-run",
            "--tap",
            "tap-mine",
            "--firecracker",
        ])
        .arg(&binary)
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let stdout = text(&output).0;
    assert!(
        stdout.contains(&format!("\n{} --api-sock", binary.display())),
        "{stdout}"
    );
    assert!(
        stdout.contains("\"host_dev_name\": \"tap-mine\""),
        "{stdout}"
    );
    assert!(
        !stdout.contains("netns"),
        "no namespace with --tap:\n{stdout}"
    );
}

#[test]
fn without_firecracker_the_error_names_all_three_places() {
    let output = sauce_without_firecracker()
        .arg("run")
        .arg(image("fc-missing"))
        .args(["--vmm", "firecracker"])
        .output()
        .unwrap();
    assert_exit(&output, 2);
    let stderr = text(&output).1;
    for place in ["--firecracker PATH", "SAUCE_FIRECRACKER", "PATH"] {
        assert!(stderr.contains(place), "{place} missing from: {stderr}");
    }
    let output = sauce_without_firecracker()
        .arg("run")
        .arg(image("fc-missing-variable"))
        .args(["--vmm", "firecracker"])
        .env("SAUCE_FIRECRACKER", "/no/such/firecracker")
        .output()
        .unwrap();
    assert_exit(&output, 2);
    assert!(
        text(&output)
            .1
            .contains("`/no/such/firecracker` (from SAUCE_FIRECRACKER)"),
        "{}",
        text(&output).1
    );
}

#[test]
fn firecracker_flags_need_firecracker_and_tap_excludes_ports() {
    let image = image("fc-flags");
    let output = sauce_without_firecracker()
        .arg("run")
        .arg(&image)
        .args(["--tap", "tap0"])
        .output()
        .unwrap();
    assert_exit(&output, 1);
    assert!(
        text(&output)
            .1
            .contains("--tap applies to Firecracker only"),
        "{}",
        text(&output).1
    );
    let output = sauce_without_firecracker()
        .arg("run")
        .arg(&image)
        .args([
            "--vmm",
            "firecracker",
            "--dry-run",
            "--tap",
            "tap0",
            "-p",
            "8080:80",
        ])
        .output()
        .unwrap();
    assert_exit(&output, 1);
    assert!(
        text(&output).1.contains("-p needs sauce's private network"),
        "{}",
        text(&output).1
    );
}

/// `[target] vmm = "firecracker"` makes Firecracker the default: a dry run needs no `--vmm`,
/// and the image is planned for Firecracker (virtio-mmio).
#[test]
fn the_intents_target_picks_firecracker() {
    let manifest = common::intent(
        "fc-target",
        "[app]\nname = \"fc-target\"\n[http]\n[[http.route]]\npath = \"/\"\nbody = \"x\"\n[target]\nvmm = \"firecracker\"\n",
    );
    let plan = sauce().arg("plan").arg(&manifest).output().unwrap();
    assert_exit(&plan, 0);
    let (stdout, _) = text(&plan);
    assert!(
        stdout.contains("on firecracker") && stdout.contains("Firecracker speaks virtio-mmio"),
        "{stdout}"
    );
    let _lock = common::build_lock();
    // Built with cargo on PATH; the run below finds it unchanged and compiles nothing.
    assert_exit(&sauce().arg("build").arg(&manifest).output().unwrap(), 0);
    let output = sauce_without_firecracker()
        .arg("run")
        .arg(&manifest)
        .args(["--dry-run", "-p", "8080:80"])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let (stdout, stderr) = text(&output);
    assert!(
        stdout.contains("\"kernel_image_path\""),
        "{stdout}\n{stderr}"
    );
    assert!(stdout.contains("ip netns add sauce-"), "{stdout}");
}

/// A missing Firecracker is reported before anything is built.
#[test]
fn a_missing_firecracker_is_reported_before_building() {
    let manifest = common::intent(
        "fc-missing-before-build",
        "[app]\nname = \"fc-early\"\n[http]\n[[http.route]]\npath = \"/\"\nbody = \"x\"\n[target]\nvmm = \"firecracker\"\n",
    );
    let output = sauce_without_firecracker()
        .arg("run")
        .arg(&manifest)
        .output()
        .unwrap();
    assert_exit(&output, 2);
    let (_, stderr) = text(&output);
    assert!(stderr.contains("Firecracker was not found"), "{stderr}");
    assert!(
        !stderr.contains("building"),
        "nothing should be built first: {stderr}"
    );
}

//! `sauce run` and `sauce build` paths that need no kernel: bad input, a missing QEMU, the
//! unbuilt Firecracker backend, and real boots of the runner's hand-made trivial images.

mod common;

use std::path::PathBuf;

use common::{assert_exit, intent, sauce, temporary_folder, text};
use sauce_trivial_image::TrivialImage;

fn trivial(test: &str, kind: TrivialImage) -> PathBuf {
    let path = temporary_folder(test).join("trivial.elf");
    kind.write_to(&path).unwrap();
    path
}

#[test]
fn a_nonexistent_target_is_invalid_input() {
    let output = sauce().args(["run", "/nonexistent"]).output().unwrap();
    assert_exit(&output, 1);
    assert!(
        text(&output).1.contains("`/nonexistent` does not exist"),
        "{}",
        text(&output).1
    );
}

#[test]
fn a_file_that_is_neither_intent_nor_image_is_invalid_input() {
    let path = temporary_folder("run-neither").join("notes.txt");
    std::fs::write(&path, "hello").unwrap();
    let output = sauce().arg("run").arg(&path).output().unwrap();
    assert_exit(&output, 1);
    assert!(text(&output).1.contains("neither a sauce.toml"));
}

#[test]
fn bad_flag_values_are_invalid_input() {
    let image = trivial("run-bad-flags", TrivialImage::ExitSuccess);
    for flags in [
        ["--memory", "64MB"],
        ["--timeout", "-3"],
        ["-p", "80"],
        ["--machine", "pc"],
    ] {
        let output = sauce().arg("run").arg(&image).args(flags).output().unwrap();
        assert_exit(&output, 1);
    }
}

#[test]
fn an_invalid_intent_stops_run_before_building() {
    let manifest = intent("run-invalid-intent", "[app]\nname = \"9lives\"\n");
    let output = sauce().arg("run").arg(&manifest).output().unwrap();
    assert_exit(&output, 1);
    assert!(
        text(&output).1.contains("sauce.toml:2:8"),
        "{}",
        text(&output).1
    );
}

#[test]
fn a_missing_qemu_is_an_environment_failure_naming_the_fix() {
    let image = trivial("run-no-qemu", TrivialImage::ExitSuccess);
    for accel in ["auto", "tcg"] {
        let output = sauce()
            .arg("run")
            .arg(&image)
            .args(["--accel", accel])
            .env("SAUCE_QEMU", "/nonexistent/qemu-system-x86_64")
            .output()
            .unwrap();
        assert_exit(&output, 2);
        assert!(
            text(&output)
                .1
                .contains("sudo apt-get install qemu-system-x86"),
            "{}",
            text(&output).1
        );
    }
}

#[test]
fn a_bad_sauce_accel_is_invalid_input() {
    let image = trivial("run-bad-accel-variable", TrivialImage::ExitSuccess);
    let output = sauce()
        .arg("run")
        .arg(&image)
        .env("SAUCE_ACCEL", "fast")
        .output()
        .unwrap();
    assert_exit(&output, 1);
    assert!(text(&output).1.contains("SAUCE_ACCEL is `fast`"));
}

#[test]
fn guest_verdicts_become_exit_codes() {
    let cases = [
        (TrivialImage::ExitSuccess, 0),
        (TrivialImage::ExitFailure, 3),
        (TrivialImage::TripleFault, 3),
        (TrivialImage::SuccessLineThenTripleFault, 0),
    ];
    for (kind, code) in cases {
        let image = trivial(&format!("run-verdict-{kind:?}"), kind);
        let output = sauce()
            .arg("run")
            .arg(&image)
            .args(["--accel", "tcg", "--timeout", "30"])
            .output()
            .unwrap();
        assert_exit(&output, code);
        assert_eq!(
            text(&output).0,
            kind.serial_text(),
            "serial goes to stdout, unchanged"
        );
    }
}

#[test]
fn a_guest_that_never_exits_times_out_with_code_four() {
    common::expect_timeout(&trivial("run-timeout", TrivialImage::Hang));
}

#[test]
fn port_forwards_give_the_guest_a_network_device() {
    let image = trivial("run-ports", TrivialImage::ExitSuccess);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = sauce()
        .arg("run")
        .arg(&image)
        .args(["--accel", "tcg", "-p"])
        .arg(format!("{port}:80"))
        .output()
        .unwrap();
    assert_exit(&output, 0);
    assert!(
        !text(&output).1.contains("not built yet"),
        "{}",
        text(&output).1
    );
}

#[test]
fn a_taken_host_port_is_an_environment_failure() {
    let image = trivial("run-port-taken", TrivialImage::ExitSuccess);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let output = sauce()
        .arg("run")
        .arg(&image)
        .args(["--accel", "tcg", "-p"])
        .arg(format!("{port}:80"))
        .output()
        .unwrap();
    assert_exit(&output, 2);
}

#[test]
fn building_without_the_kernel_sources_is_an_environment_failure() {
    let manifest = intent("build-no-sources", "[app]\nname = \"orphan\"\n");
    let empty = temporary_folder("build-no-sources-home");
    let output = sauce()
        .arg("build")
        .arg(&manifest)
        .env("SAUCE_HOME", &empty)
        .output()
        .unwrap();
    assert_exit(&output, 2);
    assert!(
        text(&output).1.contains("is not a SauceOS source tree"),
        "{}",
        text(&output).1
    );
}

#[test]
fn a_failing_cargo_build_is_an_environment_failure_showing_its_output() {
    // A source tree whose kernel runtime manifest is broken: cargo fails before compiling.
    let home = temporary_folder("build-broken-home");
    std::fs::create_dir_all(home.join("kernel/runtime")).unwrap();
    std::fs::write(home.join("kernel/runtime/Cargo.toml"), "[package\nname = ").unwrap();
    // The real catalog's manifests, so selection succeeds and cargo is reached.
    for entry in std::fs::read_dir(common::repository().join("components")).unwrap() {
        let folder = entry.unwrap().path();
        let manifest = folder.join("component.toml");
        if !manifest.is_file() {
            continue; // README.md, contracts.toml
        }
        let copy = home.join("components").join(folder.file_name().unwrap());
        std::fs::create_dir_all(&copy).unwrap();
        std::fs::copy(manifest, copy.join("component.toml")).unwrap();
    }
    let manifest = intent("build-broken", "[app]\nname = \"broken\"\n");
    let output = sauce()
        .arg("build")
        .arg(&manifest)
        .env("SAUCE_HOME", &home)
        .env("SAUCE_CACHE", home.join("cache"))
        .output()
        .unwrap();
    assert_exit(&output, 2);
    let stderr = text(&output).1;
    assert!(
        stderr.contains("cargo failed to build `broken`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("kernel/runtime/Cargo.toml"),
        "cargo's own output is shown: {stderr}"
    );
}

//! End to end: build `examples/hello` with the real kernel and boot it on every machine and
//! accelerator this host offers. Skipped (with a message) until `kernel/runtime` exists.

mod common;

use common::{
    accelerators, assert_exit, build_lock, kernel_runtime_present, repository, sauce,
    temporary_folder, text,
};

const BANNER: &str = "SauceOS";
const READY: &str = "ready";
const GREETING: &str = "Hello from SauceOS";

#[test]
fn hello_builds_then_boots_on_microvm_and_q35() {
    if !kernel_runtime_present() {
        return;
    }
    let image = temporary_folder("e2e-hello").join("hello.elf");
    let output = {
        let _lock = build_lock();
        sauce()
            .arg("build")
            .arg(repository().join("examples/hello"))
            .arg("-o")
            .arg(&image)
            .output()
            .unwrap()
    };
    assert_exit(&output, 0);
    assert!(
        text(&output)
            .0
            .starts_with(&format!("built {}: ", image.display())),
        "{}",
        text(&output).0
    );
    assert!(image.is_file());

    for accelerator in accelerators() {
        for machine in ["microvm", "q35"] {
            let output = sauce()
                .arg("run")
                .arg(&image)
                .args([
                    "--machine",
                    machine,
                    "--accel",
                    accelerator,
                    "--timeout",
                    "30",
                ])
                .output()
                .unwrap();
            let (stdout, stderr) = text(&output);
            let label = format!("{machine} under {accelerator}");
            assert_eq!(
                output.status.code(),
                Some(0),
                "{label}\nstdout:\n{stdout}\nstderr:\n{stderr}"
            );
            for expected in [BANNER, READY, GREETING] {
                assert!(
                    stdout.contains(expected),
                    "{label}: no `{expected}` in\n{stdout}"
                );
            }
        }
    }
}

#[test]
fn run_builds_an_intent_first() {
    if !kernel_runtime_present() {
        return;
    }
    let project = temporary_folder("e2e-run-intent");
    std::fs::write(
        project.join("sauce.toml"),
        "[app]\nname = \"hello\"\n\n[resources]\nmemory = \"64MiB\"\n",
    )
    .unwrap();
    let output = {
        let _lock = build_lock();
        sauce()
            .arg("run")
            .arg(&project)
            .args(["--accel", "tcg", "--timeout", "30"])
            .output()
            .unwrap()
    };
    assert_exit(&output, 0);
    assert!(text(&output).0.contains(GREETING));
    assert!(
        text(&output).1.contains("built "),
        "the build summary goes to stderr"
    );
    assert!(project.join(".sauce/hello.elf").is_file());
}

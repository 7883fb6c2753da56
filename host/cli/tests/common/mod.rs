//! Shared helpers for tests that drive the real `sauce` binary.

#![allow(dead_code)] // each test binary uses its own subset

pub mod namespace;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sauce_runner::qemu::accelerator::kvm_usable;
use sauce_runner::QemuConfig;

/// The repository root.
pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The workspace's target directory.
fn target_directory() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The `sauce` binary, with one image cache shared by every test (builds are slow).
pub fn sauce() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sauce"));
    command.env("SAUCE_CACHE", target_directory().join("sauce-cache"));
    command
        .env_remove("SAUCE_HOME")
        .env_remove("SAUCE_ACCEL")
        .env_remove("SAUCE_QEMU");
    command
}

/// Holds a lock serialising image builds across test binaries and threads.
pub fn build_lock() -> File {
    let path = target_directory().join("sauce-cache.lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .unwrap();
    file.lock().unwrap();
    file
}

/// A fresh, empty folder for one test.
pub fn temporary_folder(test: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sauce-cli-{test}"));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// Copies a project folder into `to`, without what building or a local configuration left
/// there (`target`, `.sauce`, `Cargo.lock`, `.cargo`): tests build examples from a copy, as a
/// new user's project would be.
pub fn copy_project(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == ".sauce" || name == "Cargo.lock" || name == ".cargo" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_project(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Writes a sauce.toml holding `contents` into a fresh folder; returns the file's path.
pub fn intent(test: &str, contents: &str) -> PathBuf {
    let path = temporary_folder(test).join("sauce.toml");
    std::fs::write(&path, contents).unwrap();
    path
}

/// stdout and stderr as text, for assertion messages.
pub fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Asserts the exit code, showing both streams when it differs.
pub fn assert_exit(output: &Output, code: i32) {
    let (stdout, stderr) = text(output);
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
}

/// TCG always, KVM too when it works on this machine (`SAUCE_TEST_ACCEL=tcg` limits the
/// runs to TCG, for a quicker pass while developing).
pub fn accelerators() -> Vec<&'static str> {
    if std::env::var("SAUCE_TEST_ACCEL").is_ok_and(|value| value == "tcg") {
        return vec!["tcg"];
    }
    if kvm_usable(&QemuConfig::new("unused").binary).unwrap_or(false) {
        vec!["tcg", "kvm"]
    } else {
        eprintln!("KVM is not usable here: only TCG is tested");
        vec!["tcg"]
    }
}

/// Whether the kernel runtime is in the tree yet: images can only be built once it is.
pub fn kernel_runtime_present() -> bool {
    let present = repository().join("kernel/runtime/Cargo.toml").is_file();
    if !present {
        eprintln!("skipped: kernel/runtime is not in the tree yet");
    }
    present
}

/// Runs `image` with `--timeout 1` and asserts exit code 4 within a few seconds. For an image
/// that never exits, such as the in-guest test kernel's hang test.
pub fn expect_timeout(image: &Path) {
    let started = std::time::Instant::now();
    let output = sauce()
        .arg("run")
        .arg(image)
        .args(["--accel", "tcg", "--timeout", "1"])
        .output()
        .unwrap();
    assert_exit(&output, 4);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

/// Stops a `sauce run` child the way Ctrl-C would: SIGTERM, so it stops its VMM and cleans
/// up, then up to 10 s to exit, and only then SIGKILL (which would leave the VMM running).
pub fn stop_sauce_run(child: &mut std::process::Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(10) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

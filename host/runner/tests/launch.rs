//! Booting the hand-made trivial images under real QEMU: every verdict, on every machine and
//! accelerator this host offers. Needs `qemu-system-x86_64`; KVM cases run when KVM works.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sauce_runner::qemu::accelerator::kvm_usable;
use sauce_runner::{run, Accelerator, GuestExit, LaunchError, Machine, QemuConfig, RunReport};
use sauce_trivial_image::TrivialImage;

fn image(kind: TrivialImage) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("sauce-runner-launch-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join(format!("{kind:?}.elf"));
    kind.write_to(&path).unwrap();
    path
}

fn config(kind: TrivialImage, machine: Machine, accelerator: Accelerator) -> QemuConfig {
    let mut config = QemuConfig::new(image(kind));
    config.machine = machine;
    config.accelerator = Some(accelerator);
    config.timeout = Some(Duration::from_secs(30));
    config
}

fn accelerators() -> Vec<Accelerator> {
    let binary = QemuConfig::new("unused").binary;
    if kvm_usable(&binary).unwrap() {
        vec![Accelerator::Tcg, Accelerator::Kvm]
    } else {
        eprintln!("KVM is not usable here: KVM cases skipped");
        vec![Accelerator::Tcg]
    }
}

fn boot(config: &QemuConfig) -> (Result<RunReport, LaunchError>, Vec<String>) {
    let mut lines = Vec::new();
    let result = run(config, |line| lines.push(line.text.clone()));
    (result, lines)
}

#[test]
fn success_and_failure_on_every_machine_and_accelerator() {
    for accelerator in accelerators() {
        for machine in [Machine::Microvm, Machine::Q35] {
            let label = format!("{machine:?} under {accelerator:?}");
            let (report, lines) = boot(&config(TrivialImage::ExitSuccess, machine, accelerator));
            let report = report.unwrap_or_else(|error| panic!("{label}: {error}"));
            assert_eq!(report.exit, GuestExit::Success, "{label}: {lines:?}");
            assert_eq!(report.status, Some(33), "{label}");
            assert_eq!(report.accelerator.accelerator, accelerator);
            assert!(
                lines.iter().any(|line| line == "ready"),
                "{label}: {lines:?}"
            );
            assert_eq!(
                lines.last().map(String::as_str),
                Some("sauce: exit success"),
                "{label}"
            );
            if machine == Machine::Q35 && accelerator == Accelerator::Kvm {
                continue; // SeaBIOS takes seconds under nested KVM: one q35 boot is enough
            }
            let (report, _) = boot(&config(TrivialImage::ExitFailure, machine, accelerator));
            assert_eq!(report.unwrap().exit, GuestExit::Failure, "{label}");
        }
    }
}

#[test]
fn serial_lines_carry_their_arrival_time() {
    let config = config(
        TrivialImage::ExitSuccess,
        Machine::Microvm,
        Accelerator::Tcg,
    );
    let mut arrivals = Vec::new();
    let report = run(&config, |line| arrivals.push(line.arrived)).unwrap();
    assert_eq!(report.serial_lines, 3);
    assert!(arrivals.windows(2).all(|pair| pair[0] <= pair[1]));
    assert!(report.launched <= arrivals[0] && arrivals[2] <= report.finished);
}

#[test]
fn a_hanging_guest_times_out() {
    let mut config = config(TrivialImage::Hang, Machine::Microvm, Accelerator::Tcg);
    config.timeout = Some(Duration::from_millis(700));
    let started = Instant::now();
    let (report, lines) = boot(&config);
    let report = report.unwrap();
    assert_eq!(report.exit, GuestExit::Timeout);
    assert_eq!(report.status, None);
    assert!(lines.contains(&"ready".to_owned()), "{lines:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_triple_fault_is_a_reset_unless_success_was_printed() {
    // Under nested KVM the 32-bit stub's exceptions stop KVM instead: see the next test.
    let (report, _) = boot(&config(
        TrivialImage::TripleFault,
        Machine::Microvm,
        Accelerator::Tcg,
    ));
    assert_eq!(report.unwrap().exit, GuestExit::Reset);
    let kind = TrivialImage::SuccessLineThenTripleFault;
    let (report, _) = boot(&config(kind, Machine::Microvm, Accelerator::Tcg));
    let report = report.unwrap();
    assert_eq!((report.exit, report.status), (GuestExit::Success, Some(0)));
}

#[test]
fn a_kvm_internal_error_fails_fast_with_a_hint() {
    if !accelerators().contains(&Accelerator::Kvm) {
        return;
    }
    let started = Instant::now();
    let (result, _) = boot(&config(
        TrivialImage::TripleFault,
        Machine::Microvm,
        Accelerator::Kvm,
    ));
    match result {
        // A KVM that can deliver exceptions before paging behaves like TCG.
        Ok(report) => assert_eq!(report.exit, GuestExit::Reset),
        Err(error) => {
            let message = error.to_string();
            assert!(
                matches!(error, LaunchError::VmmFailed { status: None, .. }),
                "{message}"
            );
            assert!(message.contains("--accel tcg"), "{message}");
        }
    }
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_missing_qemu_names_the_package_to_install() {
    let mut config = config(
        TrivialImage::ExitSuccess,
        Machine::Microvm,
        Accelerator::Tcg,
    );
    config.binary = PathBuf::from("/nonexistent/qemu-system-x86_64");
    let error = run(&config, |_| {}).unwrap_err();
    assert!(matches!(error, LaunchError::QemuNotFound { .. }), "{error}");
    assert!(error
        .to_string()
        .contains("sudo apt-get install qemu-system-x86"));
}

#[test]
fn a_missing_image_is_reported_before_launch() {
    let config = QemuConfig::new(Path::new("/nonexistent/image.elf"));
    let error = run(&config, |_| {}).unwrap_err();
    assert!(
        matches!(error, LaunchError::ImageNotFound { .. }),
        "{error}"
    );
}

#[test]
fn a_non_pvh_file_is_a_vmm_failure() {
    let path = image(TrivialImage::ExitSuccess).with_extension("bad");
    std::fs::write(&path, b"\x7fELF but not really").unwrap();
    let mut config = QemuConfig::new(path);
    config.accelerator = Some(Accelerator::Tcg);
    let error = run(&config, |_| {}).unwrap_err();
    assert!(
        matches!(
            error,
            LaunchError::VmmFailed {
                status: Some(1),
                ..
            }
        ),
        "{error}"
    );
}

//! Choosing KVM or TCG: an explicit request, then `SAUCE_ACCEL`, then a probe.
//!
//! `auto` picks KVM when `/dev/kvm` opens read-write, the host's KVM is hardware-backed (not
//! PVM, under which our guests run emulated and slower than TCG) **and** QEMU starts a paused
//! microvm with `-cpu host,-arch-capabilities` under KVM (on nested KVM plain `-cpu host` aborts; see
//! record 0013 §5). The probe costs ~60 ms and its result is cached per QEMU binary for the
//! life of the process.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::error::{spawn_error, LaunchError};
use super::{Accelerator, QemuConfig};

/// How long the probe may take before KVM is declared unusable.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// The accelerator chosen for a launch, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceleratorChoice {
    /// The accelerator.
    pub accelerator: Accelerator,
    /// Why it was chosen, for `--verbose` output and reports.
    pub reason: String,
    /// Set when KVM looked available but failed its probe: worth telling the user.
    pub notice: Option<String>,
}

/// Probe results per QEMU binary: `Ok(())` when KVM works, else why not.
static PROBES: Mutex<Vec<(PathBuf, Result<(), String>)>> = Mutex::new(Vec::new());

/// Chooses the accelerator for `config`.
pub fn resolve_accelerator(config: &QemuConfig) -> Result<AcceleratorChoice, LaunchError> {
    let chosen = |accelerator, reason: &str| AcceleratorChoice {
        accelerator,
        reason: reason.to_owned(),
        notice: None,
    };
    if let Some(accelerator) = config.accelerator {
        return Ok(chosen(accelerator, "requested"));
    }
    if let Some(value) = crate::environment::non_empty_variable("SAUCE_ACCEL") {
        return match value.to_str() {
            Some("kvm") => Ok(chosen(Accelerator::Kvm, "SAUCE_ACCEL=kvm")),
            Some("tcg") => Ok(chosen(Accelerator::Tcg, "SAUCE_ACCEL=tcg")),
            Some("auto") => auto(&config.binary),
            _ => Err(LaunchError::BadAcceleratorVariable {
                value: value.to_string_lossy().into_owned(),
            }),
        };
    }
    auto(&config.binary)
}

/// Whether `/dev/kvm` opens read-write; says why not otherwise.
pub fn kvm_device_usable() -> Result<(), String> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/kvm")
        .map(drop)
        .map_err(|error| format!("/dev/kvm cannot be opened: {error}"))
}

/// Whether this host's KVM is PVM (`kvm_pvm`: KVM without hardware virtualisation), under which
/// a guest that is not PVM-aware runs instruction by instruction; see
/// docs/design/0003-this-machines-kvm-is-pvm.md.
pub fn software_kvm() -> bool {
    Path::new("/sys/module/kvm_pvm").exists()
}

/// Whether QEMU at `binary` can run a guest under KVM here (device check, then cached probe).
pub fn kvm_usable(binary: &Path) -> Result<bool, LaunchError> {
    Ok(kvm_device_usable().is_ok() && cached_probe(binary)?.is_ok())
}

fn auto(binary: &Path) -> Result<AcceleratorChoice, LaunchError> {
    if let Err(reason) = kvm_device_usable() {
        return Ok(AcceleratorChoice {
            accelerator: Accelerator::Tcg,
            reason,
            notice: None,
        });
    }
    if software_kvm() {
        return Ok(AcceleratorChoice {
            accelerator: Accelerator::Tcg,
            reason: "KVM here is PVM (software virtualisation)".to_owned(),
            notice: Some(
                "KVM on this host is PVM: guests that are not PVM-aware run emulated, far slower \
                 than TCG; running under TCG (force KVM with --accel kvm)"
                    .to_owned(),
            ),
        });
    }
    Ok(match cached_probe(binary)? {
        Ok(()) => AcceleratorChoice {
            accelerator: Accelerator::Kvm,
            reason: "/dev/kvm works with QEMU".to_owned(),
            notice: None,
        },
        Err(why) => AcceleratorChoice {
            accelerator: Accelerator::Tcg,
            reason: format!("QEMU cannot use KVM: {why}"),
            notice: Some(format!(
                "KVM is present but QEMU cannot use it ({why}); running under TCG"
            )),
        },
    })
}

fn cached_probe(binary: &Path) -> Result<Result<(), String>, LaunchError> {
    let mut probes = PROBES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, result)) = probes.iter().find(|(probed, _)| probed == binary) {
        return Ok(result.clone());
    }
    let result = probe(binary)?;
    probes.push((binary.to_path_buf(), result.clone()));
    Ok(result)
}

/// Starts a paused microvm under KVM and asks its monitor to quit: exit status 0 means KVM
/// initialised, created a vCPU with our CPU model, and reset the machine.
fn probe(binary: &Path) -> Result<Result<(), String>, LaunchError> {
    let mut child = Command::new(binary)
        .args([
            "-M",
            "microvm,accel=kvm,x-option-roms=off,pit=off,pic=off,rtc=off,acpi=off",
        ])
        .args([
            "-cpu",
            "host,-arch-capabilities",
            "-m",
            "8M",
            "-nodefaults",
            "-no-user-config",
        ])
        .args(["-display", "none", "-S", "-monitor", "stdio"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| spawn_error(binary, source))?;
    if let Some(mut stdin) = child.stdin.take() {
        // QEMU may already have died; its status says so below.
        let _ = stdin.write_all(b"quit\n");
    }
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < PROBE_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(2))
            }
            _ => break None,
        }
    };
    let Some(status) = status else {
        let _ = child.kill();
        let _ = child.wait();
        return Ok(Err(format!(
            "the KVM probe did not finish within {PROBE_TIMEOUT:?}"
        )));
    };
    if status.success() {
        return Ok(Ok(()));
    }
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
    }
    let first_line = stderr
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("no message");
    let first_line = first_line
        .trim_start_matches(&format!("{}: ", binary.display()))
        .to_owned();
    Ok(Err(format!("{first_line} [{status}]")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_request_wins() {
        let mut config = QemuConfig::new("/i.elf");
        config.binary = PathBuf::from("/nonexistent/qemu");
        config.accelerator = Some(Accelerator::Tcg);
        let choice = resolve_accelerator(&config).unwrap();
        assert_eq!(
            (choice.accelerator, choice.reason.as_str()),
            (Accelerator::Tcg, "requested")
        );
    }

    #[test]
    fn a_missing_qemu_is_reported_by_the_probe() {
        if kvm_device_usable().is_err() {
            return; // without /dev/kvm no probe runs
        }
        let error = kvm_usable(Path::new("/nonexistent/qemu-system-x86_64")).unwrap_err();
        assert!(matches!(error, LaunchError::QemuNotFound { .. }), "{error}");
    }

    #[test]
    fn the_probe_is_cached() {
        let binary = Path::new(super::super::DEFAULT_BINARY);
        if kvm_device_usable().is_err() || which(binary).is_none() {
            return;
        }
        let first = kvm_usable(binary).unwrap();
        let started = Instant::now();
        assert_eq!(kvm_usable(binary).unwrap(), first);
        assert!(started.elapsed() < Duration::from_millis(20));
    }

    fn which(binary: &Path) -> Option<PathBuf> {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|folder| folder.join(binary))
            .find(|candidate| candidate.is_file())
    }
}

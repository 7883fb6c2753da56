//! In-guest tests: boots the test kernel (tests/guest) in QEMU and checks what it reports over
//! serial and the exit device (tests/harness's contract). Every boot runs under TCG, and under
//! KVM too where `/dev/kvm` works.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use sauce_builder::build_kernel_crate;
use sauce_runner::qemu::accelerator::kvm_device_usable;
use sauce_runner::{run, Accelerator, GuestExit, Machine, QemuConfig};

/// The test kernel, built once per test binary.
fn test_kernel() -> &'static PathBuf {
    static IMAGE: OnceLock<PathBuf> = OnceLock::new();
    IMAGE.get_or_init(|| {
        let manifest = PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/guest/Cargo.toml"
        ));
        build_kernel_crate(&manifest, "sauce-guest-tests")
            .unwrap_or_else(|error| panic!("building the test kernel: {error}"))
    })
}

/// TCG always; KVM when the device opens.
fn accelerators() -> Vec<Accelerator> {
    let mut accelerators = vec![Accelerator::Tcg];
    match kvm_device_usable() {
        Ok(()) => accelerators.push(Accelerator::Kvm),
        Err(reason) => eprintln!("skipping KVM runs: {reason}"),
    }
    accelerators
}

/// Boots the test kernel with `arguments` and returns the verdict and the serial text.
/// Guests boot one at a time: `sleep_10_ms` checks guest time to ±5 ms, and a second guest
/// competing for this machine's two cores stretched one sleep to 15.5 ms.
static ONE_GUEST_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn boot(
    arguments: &str,
    accelerator: Accelerator,
    machine: Machine,
    timeout: Duration,
) -> (GuestExit, String) {
    let _turn = ONE_GUEST_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut config = QemuConfig::new(test_kernel().clone());
    config.accelerator = Some(accelerator);
    config.machine = machine;
    config.append = arguments.to_owned();
    config.timeout = Some(timeout);
    let mut serial = String::new();
    let report = run(&config, |line| {
        serial.push_str(&line.text);
        serial.push('\n');
    })
    .unwrap_or_else(|error| panic!("launching QEMU: {error}"));
    (report.exit, serial)
}

/// Generous: under this machine's PVM "KVM" every guest instruction is emulated.
const TIMEOUT: Duration = Duration::from_secs(240);

#[test]
fn passing_tests_pass_in_the_guest() {
    for accelerator in accelerators() {
        let (exit, serial) = boot("", accelerator, Machine::Microvm, TIMEOUT);
        assert_eq!(
            exit,
            GuestExit::Success,
            "{accelerator:?}: serial was:\n{serial}"
        );
        for name in [
            "frames_after_boot",
            "bump_heap_randomized",
            "talc_heap_randomized",
            "sleep_10_ms",
            "thousand_tasks_ping_pong",
            "serial_input_loopback",
            "vga_mirrors_console",
        ] {
            assert!(
                serial.contains(&format!("sauce-test: pass {name} (")),
                "{accelerator:?}: {name} did not pass:\n{serial}"
            );
        }
        assert!(
            serial.contains("sauce-test: summary passed=7"),
            "{accelerator:?}:\n{serial}"
        );
        assert!(
            serial.contains("no VGA on this machine") && !serial.contains("VGA console"),
            "microvm has no VGA, so vga-console attaches nothing: {serial}"
        );
    }
}

/// Boots `test=name` (expected to fault) and checks the report holds every `expected` text.
fn assert_fault_reported(name: &str, expected: &[&str]) {
    for accelerator in accelerators() {
        let (exit, serial) = boot(
            &format!("test={name}"),
            accelerator,
            Machine::Microvm,
            TIMEOUT,
        );
        assert_eq!(
            exit,
            GuestExit::Failure,
            "{accelerator:?}: {name} should fail the VM:\n{serial}"
        );
        assert!(
            serial.contains(&format!("sauce-test: start {name}")),
            "{accelerator:?}:\n{serial}"
        );
        assert!(
            !serial.contains("fault expected but none happened"),
            "{accelerator:?}:\n{serial}"
        );
        for text in expected {
            assert!(
                serial.contains(text),
                "{accelerator:?}: {name}: missing {text:?} in:\n{serial}"
            );
        }
        assert!(
            serial.trim_end().ends_with("sauce: exit failure"),
            "{accelerator:?}:\n{serial}"
        );
    }
}

#[test]
fn a_page_fault_on_an_unmapped_address_is_reported() {
    assert_fault_reported(
        "page_fault_is_reported",
        &[
            "EXCEPTION: page fault (vector 14)",
            "CR2 0x4000000000",
            "read, page not present",
            "RIP 0x",
        ],
    );
}

#[test]
fn writing_to_text_faults() {
    assert_fault_reported(
        "text_is_not_writable",
        &["EXCEPTION: page fault", "write, protection violation"],
    );
}

#[test]
fn executing_data_faults() {
    assert_fault_reported(
        "data_is_not_executable",
        &[
            "EXCEPTION: page fault",
            "instruction fetch, protection violation",
        ],
    );
}

#[test]
fn a_stack_overflow_hits_the_guard_page() {
    assert_fault_reported(
        "stack_overflow_hits_guard",
        &[
            "EXCEPTION: page fault",
            "stack overflow: the guard page of the kernel stack was hit",
        ],
    );
}

#[test]
fn a_panic_prints_message_and_location() {
    assert_fault_reported(
        "panic_is_reported",
        &[
            "PANIC at src/fault_tests.rs:",
            "deliberate panic from the in-guest test",
        ],
    );
}

#[test]
fn an_exhausted_heap_is_reported_with_what_it_held() {
    assert_fault_reported(
        "heap_exhaustion_is_reported",
        &[
            "memory allocation of 67108864 bytes failed",
            "heap: the heap could not give 67108864 bytes (alignment 1)",
            "heap now: ",
            "largest free block",
        ],
    );
}

#[test]
fn a_guest_that_runs_too_long_is_stopped() {
    let (exit, serial) = boot(
        "test=never_exits",
        Accelerator::Tcg,
        Machine::Microvm,
        Duration::from_secs(3),
    );
    assert_eq!(exit, GuestExit::Timeout, "serial was:\n{serial}");
}

#[test]
fn the_test_kernel_also_passes_on_q35() {
    let (exit, serial) = boot("", Accelerator::Tcg, Machine::Q35, TIMEOUT);
    assert_eq!(exit, GuestExit::Success, "serial was:\n{serial}");
    assert!(serial.contains("VGA console"), "q35 has a VGA: {serial}");
    assert!(
        serial.contains("sauce-test: pass vga_mirrors_console")
            && !serial.contains("no VGA on this machine"),
        "the VGA mirror was checked on q35: {serial}"
    );
}

//! Translated-code benchmark: how much guest code QEMU's TCG translates on the way to `ready`
//! and to the first HTTP 200, and what one translated instruction costs on this machine.
//!
//! Under TCG, a boot runs almost every instruction once, so its time is QEMU translating code
//! for the first time (record 0011). Instruction counts do not drift with the machine's load
//! the way times do, which makes them the figure to watch when shortening the boot path.
//!
//! How it measures: QEMU runs with `-d in_asm -trace serial_write -D LOG`, which writes every
//! translated block and every byte written to the UART, in order. Instructions at 1 MiB and
//! above are the image's (microvm's firmware, qboot, runs below 1 MiB and at the reset vector:
//! it is counted apart). `ready` is marked by the banner's first byte (`S` of `SauceOS`), so
//! the count includes formatting that line: about 430 instructions in hello, measured with
//! symbols. hello runs to its exit; hello-http until `GET /` answers 200. The cost per
//! instruction divides the guest's own `boot:` figure (TSC, runs without the log) by the
//! instructions before the banner.
//!
//! `cargo run --release -p sauce-bench --bin translated_code -- [--runs N]`

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use sauce_bench::probe::{first_ok, free_port};
use sauce_bench::process::OwnedChild;
use sauce_bench::qemu_log::{build_example, instruction_address, runs_argument, IMAGE};
use sauce_bench::{print_header, print_row, summarise};
use sauce_runner::{Accelerator, PortForward, QemuConfig};

/// Translated blocks and instructions of the image, and of the firmware.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Translated {
    blocks: u64,
    instructions: u64,
    firmware_instructions: u64,
}

/// Counts the blocks of an `in_asm` log. A block starts after a `IN:` line; its instructions
/// are the lines `0xADDRESS:  …`.
fn count(log: &str) -> Translated {
    let mut translated = Translated::default();
    let mut block_start = false;
    for line in log.lines() {
        if line.starts_with("IN:") {
            block_start = true;
            continue;
        }
        let Some(address) = instruction_address(line) else {
            continue;
        };
        if IMAGE.contains(&address) {
            translated.instructions += 1;
            translated.blocks += u64::from(block_start);
        } else {
            translated.firmware_instructions += 1;
        }
        block_start = false;
    }
    translated
}

/// One logged run: translated code before the banner and in all (to exit, or to the first 200).
struct LoggedRun {
    before_banner: Translated,
    total: Translated,
}

/// The trace line of the banner's first byte, `S`, written to the UART's transmit register.
const BANNER_FIRST_BYTE: &str = "serial_write write addr 0x00 val 0x53";

/// Boots `image` with the translation log; with `http`, ends once `GET /` answers 200.
fn logged_run(image: &Path, log: &Path, http: bool) -> LoggedRun {
    let mut config = QemuConfig::new(image);
    let port = free_port();
    if http {
        config.port_forwards = vec![PortForward {
            host: port,
            guest: 80,
        }];
    }
    let _ = std::fs::remove_file(log);
    let mut command = Command::new(&config.binary);
    command
        .args(config.arguments(Accelerator::Tcg))
        .args(["-d", "in_asm", "-trace", "serial_write", "-D"])
        .arg(log);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut qemu = OwnedChild::spawn(command, "QEMU").unwrap_or_else(|error| panic!("{error}"));
    if http {
        let answered = first_ok(
            port,
            Instant::now() + Duration::from_secs(30),
            Duration::from_secs(2),
            &AtomicBool::new(false),
        );
        assert!(
            answered.is_some(),
            "hello-http did not answer 200 within 30 s"
        );
    } else {
        let _ = qemu.child().wait();
    }
    drop(qemu);
    let text =
        String::from_utf8_lossy(&std::fs::read(log).expect("QEMU wrote its log")).into_owned();
    let banner = text
        .find(BANNER_FIRST_BYTE)
        .expect("the guest printed its banner");
    LoggedRun {
        before_banner: count(&text[..banner]),
        total: count(&text),
    }
}

/// The guest's own `boot: N ms from first instruction to ready`, from a run without the log.
fn guest_boot_milliseconds(image: &Path, http: bool) -> Option<f64> {
    let mut config = QemuConfig::new(image);
    config.accelerator = Some(Accelerator::Tcg);
    config.network = http;
    config.timeout = Some(Duration::from_secs(1));
    let mut boot = None;
    let _ = sauce_runner::run(&config, |line| {
        if let Some(rest) = line.text.trim().strip_prefix("boot: ") {
            boot = rest
                .split(' ')
                .next()
                .and_then(|number| number.parse().ok());
        }
    });
    boot
}

fn main() {
    let runs = runs_argument(3);
    let folder =
        std::env::temp_dir().join(format!("sauce-bench-translated-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let log = folder.join("in_asm.log");
    println!(
        "# Translated-code benchmark: TCG, microvm; {runs} logged runs and {} timed runs per image",
        runs * 3
    );
    println!(
        "instructions = guest instructions QEMU translated (each once); firmware (qboot) apart\n"
    );
    print_header();
    for (example, http) in [("hello", false), ("hello-http", true)] {
        let image = build_example(&folder, example);
        let logged: Vec<LoggedRun> = (0..runs).map(|_| logged_run(&image, &log, http)).collect();
        let column = |select: fn(&LoggedRun) -> u64| {
            summarise(
                &logged
                    .iter()
                    .map(|run| select(run) as f64)
                    .collect::<Vec<_>>(),
            )
        };
        let end = if http { "first 200" } else { "exit" };
        print_row(
            &format!("{example}: instructions to banner"),
            column(|run| run.before_banner.instructions),
            "",
        );
        print_row(
            &format!("{example}: blocks to banner"),
            column(|run| run.before_banner.blocks),
            "",
        );
        print_row(
            &format!("{example}: instructions to {end}"),
            column(|run| run.total.instructions),
            "",
        );
        print_row(
            &format!("{example}: firmware instructions"),
            column(|run| run.total.firmware_instructions),
            "",
        );
        let boots: Vec<f64> = (0..runs * 3)
            .filter_map(|_| guest_boot_milliseconds(&image, http))
            .collect();
        print_row(
            &format!("{example}: entry → ready, TSC, no log"),
            summarise(&boots),
            "ms",
        );
        let before = column(|run| run.before_banner.instructions).map(|summary| summary.median);
        let per_instruction: Vec<f64> = boots
            .iter()
            .filter_map(|boot| before.map(|count| boot * 1000.0 / count))
            .collect();
        print_row(
            &format!("{example}: µs per instruction to banner"),
            summarise(&per_instruction),
            "µs",
        );
    }
    let _ = std::fs::remove_dir_all(&folder);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_image_blocks_and_instructions_apart_from_the_firmware() {
        let log = "----------------\nIN: \n0xfffffff0:  ljmpl $0xf000, $0xe05b\n\n\
                   ----------------\nIN: \n0x00100000:  movl %ebx, %esi\n0x00100002:  jmp 0x100010\n\n\
                   ----------------\nIN: sauce\n0x00100010:  hlt\n";
        assert_eq!(
            count(log),
            Translated {
                blocks: 2,
                instructions: 3,
                firmware_instructions: 1
            }
        );
    }
}

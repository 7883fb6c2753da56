//! Boot benchmark: image size; VMM launch → `ready` on serial for examples/hello next to the
//! VMM's own floor (the same VMM launching a trivial image that prints `ready` and exits),
//! interleaved run by run; and the guest's own first instruction → ready time (TSC).
//!
//! `cargo run --release -p sauce-bench --bin boot -- [--runs N] [--accel tcg|kvm|both] [--machine microvm|q35]`

use std::time::{Duration, Instant};

use sauce_bench::{milliseconds, print_header, print_row, summarise};
use sauce_builder::BuildContext;
use sauce_runner::qemu::accelerator::kvm_device_usable;
use sauce_runner::{run, Accelerator, GuestExit, Machine, QemuConfig};
use sauce_trivial_image::TrivialImage;

struct Options {
    runs: usize,
    accelerators: Vec<Accelerator>,
    machine: Machine,
}

fn options() -> Options {
    let mut options = Options {
        runs: 20,
        accelerators: vec![Accelerator::Tcg],
        machine: Machine::Microvm,
    };
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let mut index = 0;
    while index < arguments.len() {
        let value = arguments.get(index + 1).map(String::as_str).unwrap_or("");
        match arguments[index].as_str() {
            "--runs" => options.runs = value.parse().expect("--runs takes a number"),
            "--accel" => {
                options.accelerators = match value {
                    "tcg" => vec![Accelerator::Tcg],
                    "kvm" => vec![Accelerator::Kvm],
                    "both" => vec![Accelerator::Tcg, Accelerator::Kvm],
                    other => panic!("--accel takes tcg, kvm or both, not {other}"),
                }
            }
            "--machine" => {
                options.machine = match value {
                    "microvm" => Machine::Microvm,
                    "q35" => Machine::Q35,
                    other => panic!("--machine takes microvm or q35, not {other}"),
                }
            }
            other => panic!("unknown argument {other}"),
        }
        index += 2;
    }
    options
}

/// One boot: launch → `ready` line, launch → exit, and the guest's own boot time if printed.
struct Boot {
    to_ready: Option<Duration>,
    to_exit: Duration,
    guest_milliseconds: Option<f64>,
}

fn boot(image: &std::path::Path, accelerator: Accelerator, machine: Machine) -> Boot {
    let mut config = QemuConfig::new(image);
    config.accelerator = Some(accelerator);
    config.machine = machine;
    config.timeout = Some(Duration::from_secs(120));
    let mut ready: Option<Instant> = None;
    let mut guest_milliseconds = None;
    let report = run(&config, |line| {
        if line.text.trim() == "ready" && ready.is_none() {
            ready = Some(line.arrived);
        }
        if let Some(rest) = line.text.strip_prefix("boot: ") {
            guest_milliseconds = rest
                .split(' ')
                .next()
                .and_then(|number| number.parse().ok());
        }
    })
    .expect("QEMU launches");
    assert_eq!(
        report.exit,
        GuestExit::Success,
        "{} did not exit cleanly: {}",
        image.display(),
        report.stderr
    );
    Boot {
        to_ready: ready.map(|ready| ready - report.launched),
        to_exit: report.finished - report.launched,
        guest_milliseconds,
    }
}

fn main() {
    let options = options();
    let folder = std::env::temp_dir().join(format!("sauce-bench-boot-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("temporary folder");
    let floor = folder.join("floor.elf");
    TrivialImage::ExitSuccess
        .write_to(&floor)
        .expect("floor image writes");
    let manifest = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/hello/sauce.toml"
    ));
    let intent = sauce_intent::load(manifest).expect("examples/hello loads");
    let hello = folder.join("hello.elf");
    let built = BuildContext::from_environment()
        .expect("source tree")
        .build_app(&intent, &hello)
        .expect("hello builds");

    println!("# Boot benchmark: examples/hello against the VMM floor");
    println!("machine {:?}; {} interleaved runs per row; QEMU from PATH; times from launch (spawn) to the serial line's arrival", options.machine, options.runs);
    println!("floor = the same QEMU command line booting a trivial PVH image that prints `ready` and exits\n");
    println!(
        "image: examples/hello = {} bytes ({:.1} KiB) on disk",
        built.size_bytes,
        built.size_bytes as f64 / 1024.0
    );
    println!();
    print_header();
    for accelerator in &options.accelerators {
        if *accelerator == Accelerator::Kvm {
            if let Err(reason) = kvm_device_usable() {
                println!("| KVM skipped: {reason:<60} |");
                continue;
            }
        }
        let (mut floor_ready, mut floor_exit, mut hello_ready, mut hello_exit, mut guest) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..options.runs {
            let floor_boot = boot(&floor, *accelerator, options.machine);
            floor_ready.extend(floor_boot.to_ready.map(milliseconds));
            floor_exit.push(milliseconds(floor_boot.to_exit));
            let hello_boot = boot(&hello, *accelerator, options.machine);
            hello_ready.extend(hello_boot.to_ready.map(milliseconds));
            hello_exit.push(milliseconds(hello_boot.to_exit));
            guest.extend(hello_boot.guest_milliseconds);
        }
        let name = format!("{accelerator:?}");
        let difference: Vec<f64> = hello_ready
            .iter()
            .zip(&floor_ready)
            .map(|(hello, floor)| hello - floor)
            .collect();
        print_row(
            &format!("{name}: floor, launch → ready"),
            summarise(&floor_ready),
            "ms",
        );
        print_row(
            &format!("{name}: hello, launch → ready"),
            summarise(&hello_ready),
            "ms",
        );
        print_row(
            &format!("{name}: hello − floor (paired runs)"),
            summarise(&difference),
            "ms",
        );
        print_row(
            &format!("{name}: floor, launch → exit"),
            summarise(&floor_exit),
            "ms",
        );
        print_row(
            &format!("{name}: hello, launch → exit"),
            summarise(&hello_exit),
            "ms",
        );
        print_row(
            &format!("{name}: hello, guest entry → ready (TSC)"),
            summarise(&guest),
            "ms",
        );
    }
    let _ = std::fs::remove_dir_all(&folder);
}

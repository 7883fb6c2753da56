//! Firecracker boot benchmark: examples/hello-http launched by `sauce_runner::firecracker`
//! (private namespace, TAP, relay from 127.0.0.1) → first `200`, and Firecracker's own
//! `Guest-boot-time` (`--boot-timer`: `InstanceStart` → the guest's write at `ready`); the same
//! for examples/hello without a network; next to QEMU microvm launch → first `200` of the same
//! image in the same run, interleaved run by run. Needs `SAUCE_FIRECRACKER` and root.
//!
//! `cargo run --release -p sauce-bench --bin firecracker_boot -- [--runs N]`

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sauce_bench::probe::{first_ok, free_port};
use sauce_bench::{milliseconds, print_header, print_row, summarise};
use sauce_builder::BuildContext;
use sauce_runner::firecracker::namespace::missing_capabilities;
use sauce_runner::firecracker::{run_until, FirecrackerConfig, Network};
use sauce_runner::qemu::resolve_accelerator;
use sauce_runner::{run, PortForward, QemuConfig, SerialLine};

/// The guest's own figure: `boot: 12.345 ms from first instruction to ready`.
fn guest_reported_boot(line: &SerialLine) -> Option<f64> {
    line.text
        .strip_prefix("boot: ")?
        .split_once(" ms from first instruction")?
        .0
        .parse()
        .ok()
}

/// One measured boot.
#[derive(Default)]
struct Samples {
    first_ok: Vec<f64>,
    configured: Vec<f64>,
    boot_timer: Vec<f64>,
    boot_timer_cpu: Vec<f64>,
    guest_reported: Vec<f64>,
}

/// hello-http under Firecracker until the first 200, then stopped.
fn firecracker_http(config: &FirecrackerConfig, samples: &mut Samples) {
    let port = free_port();
    let mut config = config.clone();
    config.network = Network::Private {
        port_forwards: vec![PortForward {
            host: port,
            guest: 80,
        }],
    };
    config.timeout = Some(Duration::from_secs(30));
    let stop = AtomicBool::new(false);
    let launched = Instant::now();
    let (report, answered) = std::thread::scope(|scope| {
        let poller = scope.spawn(|| {
            let answered = first_ok(
                port,
                launched + Duration::from_secs(25),
                Duration::from_secs(5),
                &stop,
            );
            stop.store(true, Ordering::SeqCst);
            answered
        });
        let report = run_until(&config, &stop, |line| {
            samples.guest_reported.extend(guest_reported_boot(line))
        });
        stop.store(true, Ordering::SeqCst);
        (report, poller.join().unwrap())
    });
    let report = report.unwrap_or_else(|error| panic!("Firecracker: {error}"));
    samples
        .first_ok
        .extend(answered.map(|answered| milliseconds(answered - launched)));
    samples
        .configured
        .push(milliseconds(report.started - launched));
    if let Some(boot) = report.boot_time {
        samples.boot_timer.push(milliseconds(boot.wall));
        samples.boot_timer_cpu.push(milliseconds(boot.cpu));
    }
}

/// hello under Firecracker, no network: the boot timer alone.
fn firecracker_hello(config: &FirecrackerConfig, samples: &mut Samples) {
    let mut config = config.clone();
    config.timeout = Some(Duration::from_secs(30));
    let report = run_until(&config, &AtomicBool::new(false), |line| {
        samples.guest_reported.extend(guest_reported_boot(line))
    })
    .unwrap_or_else(|error| panic!("Firecracker: {error}"));
    if let Some(boot) = report.boot_time {
        samples.boot_timer.push(milliseconds(boot.wall));
        samples.boot_timer_cpu.push(milliseconds(boot.cpu));
    }
}

/// hello-http under QEMU microvm (user networking) until the first 200; QEMU stops at its timeout.
fn qemu_http(image: &Path, samples: &mut Samples) {
    let port = free_port();
    let mut config = QemuConfig::new(image);
    config.port_forwards = vec![PortForward {
        host: port,
        guest: 80,
    }];
    config.timeout = Some(Duration::from_secs(5));
    let stop = AtomicBool::new(false);
    let launched = Instant::now();
    let poller = std::thread::spawn(move || {
        first_ok(
            port,
            launched + Duration::from_secs(4),
            Duration::from_secs(5),
            &stop,
        )
    });
    let _ = run(&config, |line| {
        samples.guest_reported.extend(guest_reported_boot(line))
    });
    samples.first_ok.extend(
        poller
            .join()
            .unwrap()
            .map(|answered| milliseconds(answered - launched)),
    );
}

fn main() {
    let runs: usize = std::env::args()
        .skip_while(|argument| argument != "--runs")
        .nth(1)
        .map_or(20, |runs| runs.parse().expect("--runs takes a number"));
    let Some(firecracker) = std::env::var_os("SAUCE_FIRECRACKER").filter(|path| !path.is_empty())
    else {
        eprintln!("SAUCE_FIRECRACKER is not set: point it at a Firecracker binary");
        std::process::exit(2);
    };
    let missing =
        missing_capabilities(&std::fs::read_to_string("/proc/self/status").unwrap_or_default());
    if !missing.is_empty() {
        eprintln!(
            "the private network needs {}: run as root",
            missing.join(" and ")
        );
        std::process::exit(2);
    }
    let folder =
        std::env::temp_dir().join(format!("sauce-bench-firecracker-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let context = BuildContext::from_environment().unwrap();
    let build = |example: &str| {
        let manifest =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/{example}/sauce.toml"));
        let image = folder.join(format!("{example}.elf"));
        context
            .build_app(&sauce_intent::load(&manifest).unwrap(), &image)
            .unwrap();
        image
    };
    let (http_image, hello_image) = (build("hello-http"), build("hello"));
    let qemu_accelerator = resolve_accelerator(&QemuConfig::new(&http_image)).unwrap();

    println!("# Firecracker boot benchmark: examples/hello-http and examples/hello");
    println!(
        "{runs} interleaved runs each; Firecracker {}",
        Path::new(&firecracker).display()
    );
    println!(
        "QEMU microvm under {:?} ({}) for the same image\n",
        qemu_accelerator.accelerator, qemu_accelerator.reason
    );
    print_header();
    let base = FirecrackerConfig::new(&firecracker, &http_image);
    let hello = FirecrackerConfig::new(&firecracker, &hello_image);
    let (mut http, mut quiet, mut qemu) =
        (Samples::default(), Samples::default(), Samples::default());
    for _ in 0..runs {
        firecracker_http(&base, &mut http);
        firecracker_hello(&hello, &mut quiet);
        qemu_http(&http_image, &mut qemu);
    }
    print_row(
        "Firecracker hello-http: launch → first 200",
        summarise(&http.first_ok),
        "ms",
    );
    print_row(
        "  of which launch → InstanceStart accepted",
        summarise(&http.configured),
        "ms",
    );
    print_row(
        "Firecracker hello-http: Guest-boot-time",
        summarise(&http.boot_timer),
        "ms",
    );
    print_row(
        "Firecracker hello-http: boot time, VMM CPU",
        summarise(&http.boot_timer_cpu),
        "ms",
    );
    print_row(
        "Firecracker hello-http: guest entry → ready",
        summarise(&http.guest_reported),
        "ms",
    );
    print_row(
        "Firecracker hello: Guest-boot-time",
        summarise(&quiet.boot_timer),
        "ms",
    );
    print_row(
        "Firecracker hello: guest entry → ready",
        summarise(&quiet.guest_reported),
        "ms",
    );
    print_row(
        "QEMU microvm hello-http: launch → first 200",
        summarise(&qemu.first_ok),
        "ms",
    );
    print_row(
        "QEMU microvm hello-http: guest entry → ready",
        summarise(&qemu.guest_reported),
        "ms",
    );
    println!(
        "\nanswered runs: Firecracker {}/{runs}, QEMU {}/{runs}; boot-timer reports: hello-http {}/{runs}, hello {}/{runs}",
        http.first_ok.len(),
        qemu.first_ok.len(),
        http.boot_timer.len(),
        quiet.boot_timer.len()
    );
    let _ = std::fs::remove_dir_all(&folder);
}

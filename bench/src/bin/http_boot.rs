//! HTTP boot benchmark: VMM launch → first `200` from examples/hello-http through QEMU user
//! networking, next to the VMM's floor (the same QEMU command line, with the same network
//! device, booting a trivial image that exits at once), interleaved run by run.
//!
//! `cargo run --release -p sauce-bench --bin http_boot -- [--runs N]`

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use sauce_bench::probe::{first_ok, free_port};
use sauce_bench::{milliseconds, print_header, print_row, summarise};
use sauce_builder::BuildContext;
use sauce_runner::{run, Accelerator, GuestExit, PortForward, QemuConfig};
use sauce_trivial_image::TrivialImage;

fn main() {
    let runs: usize = std::env::args()
        .skip_while(|argument| argument != "--runs")
        .nth(1)
        .map_or(20, |runs| runs.parse().expect("--runs takes a number"));
    let folder = std::env::temp_dir().join(format!("sauce-bench-http-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let floor = folder.join("floor.elf");
    TrivialImage::ExitSuccess.write_to(&floor).unwrap();
    let manifest = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/hello-http/sauce.toml"
    ));
    let intent = sauce_intent::load(manifest).unwrap();
    let image = folder.join("hello-http.elf");
    let built = BuildContext::from_environment()
        .unwrap()
        .build_app(&intent, &image)
        .unwrap();

    println!("# HTTP boot benchmark: launch → first 200 from examples/hello-http, TCG, microvm");
    println!("{runs} interleaved runs; floor = same QEMU command line and network device, trivial image launch → exit");
    println!(
        "image: {} bytes ({:.1} KiB)\n",
        built.size_bytes,
        built.size_bytes as f64 / 1024.0
    );
    print_header();
    let (mut floors, mut firsts, mut readies, mut after_ready, mut differences) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let mut config = QemuConfig::new(&floor);
        config.accelerator = Some(Accelerator::Tcg);
        config.port_forwards = vec![PortForward {
            host: free_port(),
            guest: 80,
        }];
        config.timeout = Some(Duration::from_secs(30));
        let report = run(&config, |_| {}).unwrap();
        assert_eq!(report.exit, GuestExit::Success);
        floors.push(milliseconds(report.finished - report.launched));

        let port = free_port();
        let mut config = QemuConfig::new(&image);
        config.accelerator = Some(Accelerator::Tcg);
        config.port_forwards = vec![PortForward {
            host: port,
            guest: 80,
        }];
        config.timeout = Some(Duration::from_secs(5));
        let launched = Instant::now();
        let poller = std::thread::spawn(move || {
            first_ok(
                port,
                launched + Duration::from_secs(4),
                Duration::from_millis(500),
                &AtomicBool::new(false),
            )
        });
        let mut ready = None;
        let _ = run(&config, |line| {
            if line.text.trim() == "ready" {
                ready = Some(line.arrived);
            }
        });
        if let (Some(answered), Some(ready)) = (poller.join().unwrap(), ready) {
            firsts.push(milliseconds(answered - launched));
            readies.push(milliseconds(ready - launched));
            after_ready.push(milliseconds(answered.saturating_duration_since(ready)));
            differences.push(milliseconds(answered - launched) - floors[floors.len() - 1]);
        }
    }
    print_row("floor: launch → exit", summarise(&floors), "ms");
    print_row(
        "hello-http: launch → ready (serial line)",
        summarise(&readies),
        "ms",
    );
    print_row(
        "hello-http: ready → first 200",
        summarise(&after_ready),
        "ms",
    );
    print_row("hello-http: launch → first 200", summarise(&firsts), "ms");
    print_row(
        "pair by pair: first 200 − floor",
        summarise(&differences),
        "ms",
    );
    let difference = summarise(&firsts)
        .zip(summarise(&floors))
        .map(|(first, floor)| first.median - floor.median);
    println!(
        "\nmedian difference (first 200 − floor): {:.1} ms over {} answered runs",
        difference.unwrap_or(f64::NAN),
        firsts.len()
    );
    let _ = std::fs::remove_dir_all(&folder);
}

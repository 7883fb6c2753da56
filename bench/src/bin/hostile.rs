//! Hostile clients, measured (issue 10; SPECIFICATION R1–R4): examples/hello-http under QEMU
//! (TCG) on a TAP device in a network namespace the benchmark creates, every client inside it.
//!
//! 1. Connections held at 32 MiB and at 256 MiB: a copy of hello-http allowing 16,384
//!    connections, so memory alone decides; the guest logs how many it allows, and as many
//!    connections plus 100 each send a request and stay open: how many are served at once.
//! 2. A legitimate client's requests per second (one kept-alive connection) alone, and during
//!    each attack of the hostile-client suite, at 32 MiB.
//! 3. The heap's high-water mark after each attack against the budget the guest logged.
//! 4. `--soak SECONDS`: a random mix of the attacks from four threads, then a quiet minute:
//!    the heap in use must return to its level before the soak (no leak). The level before is
//!    taken after a first burst and a quiet minute, since the socket pool keeps the sockets it
//!    grew (by design: their buffers are reused, record 0012).
//!
//! `cargo run --release -p sauce-bench --bin hostile -- [--runs 3] [--seconds 5] [--soak 300]
//!  [--soak-only]`
//!
//! Needs root and iproute2 (the namespace); without them it says so and stops. The clients run
//! in a copy of this program inside the namespace (`--client`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sauce_bench::guest::{Guest, Network};
use sauce_bench::namespace::{self, Namespace};
use sauce_bench::{cleanup, print_header, print_row, summarise};
use sauce_builder::BuildContext;
use sauce_hostile_clients::attacks;
use sauce_runner::{Accelerator, Machine};

const ATTACKS: [&str; 5] = [
    "partial_heads",
    "never_read",
    "uploads",
    "resets",
    "pipelining",
];

fn value_of(arguments: &[String], flag: &str) -> Option<String> {
    let index = arguments.iter().position(|argument| argument == flag)?;
    arguments.get(index + 1).cloned()
}

fn number(arguments: &[String], flag: &str, default: u64) -> Result<u64, String> {
    value_of(arguments, flag).map_or(Ok(default), |text| {
        text.parse()
            .map_err(|_| format!("{flag} takes a number, not {text:?}"))
    })
}

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let result = if arguments.first().is_some_and(|first| first == "--client") {
        client(&arguments[1..])
    } else {
        cleanup::install_signal_handler();
        measure(&arguments)
    };
    if let Err(message) = result {
        eprintln!("hostile: {message}");
        std::process::exit(2);
    }
}

/// `--client TARGET ACTION [SECONDS]`: one measurement inside the namespace; prints
/// `RESULT name value` lines.
fn client(arguments: &[String]) -> Result<(), String> {
    let [target, action, rest @ ..] = arguments else {
        return Err("--client takes TARGET ACTION [SECONDS]".to_owned());
    };
    let target: SocketAddr = target
        .parse()
        .map_err(|error| format!("{target}: {error}"))?;
    let seconds: u64 = rest.first().and_then(|text| text.parse().ok()).unwrap_or(5);
    let duration = Duration::from_secs(seconds);
    match action.as_str() {
        "legitimate" => {
            let (rate, reconnects) = attacks::legitimate_requests_per_second(target, duration);
            println!("RESULT rate {rate:.1}");
            println!("RESULT reconnects {reconnects}");
        }
        "hold" => {
            let (served, refused) = attacks::hold_connections(target, seconds as usize);
            println!("RESULT served {served}");
            println!("RESULT refused {refused}");
        }
        "soak" => soak(target, duration),
        attack => {
            // The attack runs beside a legitimate client; both take about `duration`.
            let attacker = {
                let attack = attack.to_owned();
                std::thread::spawn(move || run_attack(&attack, target))
            };
            let (rate, reconnects) = attacks::legitimate_requests_per_second(target, duration);
            attacker
                .join()
                .map_err(|_| format!("the {attack} attack failed (see above)"))?;
            println!("RESULT rate {rate:.1}");
            println!("RESULT reconnects {reconnects}");
        }
    }
    Ok(())
}

fn run_attack(attack: &str, target: SocketAddr) {
    match attack {
        "partial_heads" => attacks::partial_heads(target, 1_000),
        "never_read" => attacks::never_read(target, 1_000, "/large"),
        "uploads" => attacks::uploads(target, 200, 64 * 1024),
        "resets" => attacks::resets(target, 2_000),
        "pipelining" => attacks::pipelining(target, 10_000),
        other => panic!("unknown attack {other}"),
    }
}

/// A random mix of the attacks from four threads for `duration` (a simple generator seeded by
/// the clock: the mix need not repeat, only keep coming).
fn soak(target: SocketAddr, duration: Duration) {
    let started = Instant::now();
    let threads: Vec<_> = (0..4u64)
        .map(|thread| {
            std::thread::spawn(move || {
                let mut state = thread.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    ^ u64::from(started.elapsed().subsec_nanos());
                while started.elapsed() < duration {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    let attack = ATTACKS[(state % ATTACKS.len() as u64) as usize];
                    run_attack(attack, target);
                }
            })
        })
        .collect();
    for thread in threads {
        let _ = thread.join();
    }
    println!("RESULT soaked {:.0}", started.elapsed().as_secs_f64());
}

/// Runs this program as a client inside `namespace`; returns its `RESULT` values by name.
fn run_client(
    namespace: &Namespace,
    action: &str,
    seconds: u64,
) -> Result<Vec<(String, f64)>, String> {
    let program = std::env::current_exe().map_err(|error| error.to_string())?;
    let target = format!("{}:80", namespace::GUEST_ADDRESS);
    let output = namespace
        .command("sh")
        .args(["-c", "ulimit -n 16384 2>/dev/null; exec \"$@\"", "sh"])
        .arg(program)
        .args(["--client", &target, action, &seconds.to_string()])
        .output()
        .map_err(|error| error.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "the {action} client failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut words = line.strip_prefix("RESULT ")?.split(' ');
            Some((words.next()?.to_owned(), words.next()?.parse().ok()?))
        })
        .collect())
}

fn result(values: &[(String, f64)], name: &str) -> f64 {
    values
        .iter()
        .find(|(key, _)| key == name)
        .map_or(0.0, |(_, value)| *value)
}

/// A number that precedes `marker` in `line`.
fn number_before(line: &str, marker: &str) -> Option<u64> {
    let end = line.find(marker)?;
    let start = line[..end]
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |index| index + 1);
    line[start..end].parse().ok()
}

/// hello-http copied with a 1 MiB file at `/large` and `max_connections` set, built.
fn build_variant(max_connections: u32) -> Result<PathBuf, String> {
    let folder = std::env::temp_dir().join(format!(
        "sauce-bench-hostile-{max_connections}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).map_err(|error| error.to_string())?;
    std::fs::write(folder.join("large.bin"), vec![b'L'; 1 << 20])
        .map_err(|error| error.to_string())?;
    let intent = format!(
        "[app]\nname = \"hello-hostile\"\n\n[http]\nport = 80\nmax_connections = {max_connections}\n\n[[http.route]]\npath = \"/\"\nbody = \"Hello from SauceOS\\n\"\n\n[[http.route]]\npath = \"/large\"\nfile = \"large.bin\"\n"
    );
    std::fs::write(folder.join("sauce.toml"), intent).map_err(|error| error.to_string())?;
    let intent = sauce_intent::load(&folder).map_err(|error| error.to_string())?;
    let context = BuildContext::from_environment().map_err(|error| error.to_string())?;
    let image = folder.join("image.elf");
    context
        .build_app(&intent, &image)
        .map_err(|error| error.to_string())?;
    Ok(image)
}

fn boot(image: &Path, namespace: &Namespace, memory_mib: u64) -> Result<Guest, String> {
    let guest = Guest::start_with_memory(
        image,
        Machine::Microvm,
        Accelerator::Tcg,
        Network::Tap { namespace },
        Some(memory_mib),
        Duration::from_secs(120),
    )?;
    // The limits line follows `ready`.
    let started = Instant::now();
    while guest.last_line_with("connections at most").is_none()
        && started.elapsed() < Duration::from_secs(30)
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(guest)
}

/// The heap's high-water mark and its budget (KiB), from the guest's log.
fn heap_against_budget(guest: &Guest) -> Option<(u64, u64)> {
    std::thread::sleep(Duration::from_millis(1_500));
    let limits = guest.last_line_with("connections at most")?;
    let budget = number_before(&limits, " KiB in use")?
        + number_before(&limits, " sockets of ")? * (number_before(&limits, " KiB each")? + 1);
    let statistics = guest.last_line_with("high-water")?;
    let high_water = number_before(&statistics, " KiB of ").or_else(|| {
        let after = statistics.split("high-water ").nth(1)?;
        after.split(' ').next()?.parse().ok()
    })?;
    Some((high_water, budget))
}

/// The heap in use the guest logged last (KiB).
fn heap_in_use(guest: &Guest) -> u64 {
    guest
        .last_line_with("KiB in use")
        .and_then(|line| number_before(&line, " KiB in use, high-water"))
        .unwrap_or(0)
}

/// A burst that grows the pool to its size, a quiet minute, the heap in use; then the soak, a
/// quiet minute, the heap in use again: the same when nothing leaks.
fn soak_phase(image: &Path, namespace: &Namespace, seconds: u64) -> Result<(), String> {
    let guest = boot(image, namespace, 32)?;
    run_client(namespace, "partial_heads", 5)?;
    let quiet = || {
        // Every timeout passes (10 s) and every socket closes; a request then logs the heap.
        std::thread::sleep(Duration::from_secs(60));
        let _ = run_client(namespace, "legitimate", 1);
        std::thread::sleep(Duration::from_millis(1_500));
    };
    quiet();
    let before = heap_in_use(&guest);
    run_client(namespace, "soak", seconds)?;
    quiet();
    let after = heap_in_use(&guest);
    let (high_water, budget) = heap_against_budget(&guest).unwrap_or((0, 0));
    print_row(
        &format!("soak {seconds} s: heap in use before"),
        summarise(&[before as f64]),
        "KiB",
    );
    print_row(
        "soak: heap in use after a quiet minute",
        summarise(&[after as f64]),
        "KiB",
    );
    print_row(
        "soak: heap high-water",
        summarise(&[high_water as f64]),
        "KiB",
    );
    print_row(
        "soak: budget the guest logged",
        summarise(&[budget as f64]),
        "KiB",
    );
    Ok(())
}

fn measure(arguments: &[String]) -> Result<(), String> {
    let runs = number(arguments, "--runs", 3)?.max(1);
    let seconds = number(arguments, "--seconds", 5)?.max(1);
    let soak_seconds = number(arguments, "--soak", 0)?;
    let namespace = Namespace::create("hostile")
        .map_err(|error| format!("needs a network namespace: {error}"))?;
    println!("hostile clients: examples/hello-http (+ a 1 MiB file), QEMU microvm, TCG, over a TAP; {runs} runs of {seconds} s");

    if arguments.iter().any(|argument| argument == "--soak-only") {
        let image = build_variant(128)?;
        print_header();
        soak_phase(&image, &namespace, soak_seconds.max(1))?;
        return Ok(());
    }

    // 1. Connections held, memory alone deciding.
    let unlimited = build_variant(16_384)?;
    let mut held_rows = Vec::new();
    for memory in [32, 256] {
        let guest = boot(&unlimited, &namespace, memory)?;
        let limits = guest
            .last_line_with("connections at most")
            .unwrap_or_default();
        let allowed = number_before(&limits, " connections at most").unwrap_or(0);
        let values = run_client(&namespace, "hold", allowed + 100)?;
        let served = result(&values, "served");
        let refused = result(&values, "refused");
        eprintln!("{memory} MiB: the guest allows {allowed} connections; {served} served and {refused} refused of {} held at once", allowed + 100);
        held_rows.push((memory, allowed, served, refused));
    }

    // 2 and 3. A legitimate client alone and during each attack; the heap after each.
    let image = build_variant(128)?;
    let mut rates: Vec<(&str, Vec<f64>)> = std::iter::once("no attack")
        .chain(ATTACKS)
        .map(|name| (name, Vec::new()))
        .collect();
    let mut heap_rows = Vec::new();
    for run in 1..=runs {
        let guest = boot(&image, &namespace, 32)?;
        for (name, samples) in &mut rates {
            let name: &'static str = name;
            let action = if name == "no attack" {
                "legitimate"
            } else {
                name
            };
            let values = run_client(&namespace, action, seconds)?;
            let rate = result(&values, "rate");
            eprintln!(
                "run {run}: {name}: {rate:.0} requests/s for a legitimate client ({} reconnects)",
                result(&values, "reconnects")
            );
            samples.push(rate);
            if run == 1 && name != "no attack" {
                if let Some((high_water, budget)) = heap_against_budget(&guest) {
                    heap_rows.push((name, high_water, budget));
                }
            }
        }
    }

    println!();
    print_header();
    for (memory, allowed, served, refused) in &held_rows {
        print_row(
            &format!("connections allowed, {memory} MiB"),
            summarise(&[*allowed as f64]),
            "conn",
        );
        print_row(
            &format!("connections served at once, {memory} MiB"),
            summarise(&[*served]),
            "conn",
        );
        print_row(
            &format!("  refused 503 beyond them, {memory} MiB"),
            summarise(&[*refused]),
            "conn",
        );
    }
    let baseline = summarise(&rates[0].1).map_or(0.0, |summary| summary.median);
    for (name, samples) in &rates {
        print_row(
            &format!("legitimate req/s, {name}"),
            summarise(samples),
            "rq/s",
        );
        if *name != "no attack" && baseline > 0.0 {
            let ratios: Vec<f64> = samples.iter().map(|rate| rate / baseline).collect();
            print_row(
                &format!("  ratio to no attack, {name}"),
                summarise(&ratios),
                "x",
            );
        }
    }
    for (name, high_water, budget) in &heap_rows {
        print_row(
            &format!("heap high-water after {name}"),
            summarise(&[*high_water as f64]),
            "KiB",
        );
        print_row(
            "  budget the guest logged",
            summarise(&[*budget as f64]),
            "KiB",
        );
    }

    // 4. The soak.
    if soak_seconds > 0 {
        soak_phase(&image, &namespace, soak_seconds)?;
    }
    println!("\nhow: clients inside the namespace (a copy of this program, `--client`); TCG; the legitimate client keeps one connection alive and reads each response whole");
    drop(namespace);
    Ok(())
}

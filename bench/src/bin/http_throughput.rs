//! HTTP throughput benchmark: `wrk --latency` for 10 s at 32 connections (2 threads) against
//! examples/hello-http, next to a native process on the host serving the very same response
//! bytes (captured from the guest), (a) over QEMU user networking (a port forwarded from
//! 127.0.0.1, as `sauce run -p` does) and (b) over a TAP device in a network namespace the
//! benchmark creates, with wrk and the native server inside that namespace too. Guest and native
//! runs alternate; each target gets one short warm-up run first that is not counted.
//!
//! `cargo run --release -p sauce-bench --bin http_throughput -- [--runs 3] [--seconds 10]
//!  [--connections 32] [--threads 2] [--machine microvm|q35] [--accel tcg|kvm] [--networks user,tap]
//!  [--example NAME] [--path PATH] [--post PATH JSON]`
//!
//! `--example todo-api --path /todos/1 --post /todos '{"title":"bench"}'` measures a handler:
//! the to-do is created in each guest first, and the native process serves the very bytes the
//! guest's handler answered (so the native side does no JSON work at all: a strict baseline).
//!
//! TAP needs root and iproute2; without them that half is skipped with the reason.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use sauce_bench::guest::{capture_response_at, Guest, Network};
use sauce_bench::namespace::{self, Namespace};
use sauce_bench::process::OwnedChild;
use sauce_bench::wrk::{self, Load, WrkReport};
use sauce_bench::{cleanup, native_server, print_header, print_row, summarise, Summary};
use sauce_builder::BuildContext;
use sauce_runner::{Accelerator, Machine};

/// The port the native server uses inside the namespace.
const NATIVE_PORT_IN_NAMESPACE: u16 = 8080;

struct Options {
    example: String,
    path: String,
    /// A request made in each guest before measuring: `(path, JSON body)`.
    post: Option<(String, String)>,
    runs: usize,
    load: Load,
    machine: Machine,
    accelerator: Accelerator,
    user: bool,
    tap: bool,
}

fn value_of(arguments: &[String], flag: &str) -> Option<String> {
    arguments
        .iter()
        .position(|argument| argument == flag)
        .and_then(|index| arguments.get(index + 1))
        .cloned()
}

fn number<T: std::str::FromStr>(arguments: &[String], flag: &str, default: T) -> Result<T, String> {
    value_of(arguments, flag).map_or(Ok(default), |text| {
        text.parse()
            .map_err(|_| format!("{flag} takes a number, not {text:?}"))
    })
}

fn options(arguments: &[String]) -> Result<Options, String> {
    let machine = match value_of(arguments, "--machine").as_deref() {
        None | Some("microvm") => Machine::Microvm,
        Some("q35") => Machine::Q35,
        Some(other) => return Err(format!("--machine takes microvm or q35, not {other:?}")),
    };
    let accelerator = match value_of(arguments, "--accel").as_deref() {
        None | Some("tcg") => Accelerator::Tcg,
        Some("kvm") => Accelerator::Kvm,
        Some(other) => return Err(format!("--accel takes tcg or kvm, not {other:?}")),
    };
    let networks = value_of(arguments, "--networks").unwrap_or_else(|| "user,tap".to_owned());
    let (user, tap) = (
        networks.split(',').any(|name| name == "user"),
        networks.split(',').any(|name| name == "tap"),
    );
    if !user && !tap
        || networks
            .split(',')
            .any(|name| name != "user" && name != "tap")
    {
        return Err(format!(
            "--networks takes user, tap or user,tap, not {networks:?}"
        ));
    }
    let load = Load {
        threads: number(arguments, "--threads", 2)?,
        connections: number(arguments, "--connections", 32)?,
        duration: Duration::from_secs(number(arguments, "--seconds", 10)?),
    };
    let post = match arguments.iter().position(|argument| argument == "--post") {
        Some(index) => match (arguments.get(index + 1), arguments.get(index + 2)) {
            (Some(path), Some(body)) => Some((path.clone(), body.clone())),
            _ => return Err("--post takes PATH JSON".to_owned()),
        },
        None => None,
    };
    Ok(Options {
        example: value_of(arguments, "--example").unwrap_or_else(|| "hello-http".to_owned()),
        path: value_of(arguments, "--path").unwrap_or_else(|| "/".to_owned()),
        post,
        runs: number(arguments, "--runs", 3)?.max(1),
        load,
        machine,
        accelerator,
        user,
        tap,
    })
}

/// `--serve ADDRESS RESPONSE_FILE`: the native server, run as a child (inside the namespace for
/// the TAP half). Prints `listening` once bound.
fn serve(arguments: &[String]) -> Result<(), String> {
    let [address, file] = arguments else {
        return Err("--serve takes ADDRESS RESPONSE_FILE".to_owned());
    };
    let response = std::fs::read(file).map_err(|error| format!("{file}: {error}"))?;
    let listener = TcpListener::bind(address.as_str())
        .map_err(|error| format!("cannot listen on {address}: {error}"))?;
    println!("listening");
    native_server::serve(listener, Arc::from(response)).map_err(|error| error.to_string())
}

/// Starts the native server as `command` (this program with `--serve`) and waits until it listens.
fn start_native(mut command: Command) -> Result<OwnedChild, String> {
    command.stdin(Stdio::null()).stdout(Stdio::piped());
    let mut server = OwnedChild::spawn(command, "the native server")?;
    let stdout = server
        .child()
        .stdout
        .take()
        .ok_or("the native server has no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|error| error.to_string())?;
    if line.trim() != "listening" {
        return Err("the native server did not start (see its error above)".to_owned());
    }
    Ok(server)
}

fn serve_command(
    wrap: Option<&Namespace>,
    address: &str,
    response: &Path,
) -> Result<Command, String> {
    let program = std::env::current_exe().map_err(|error| error.to_string())?;
    let mut command = match wrap {
        Some(namespace) => namespace.command(program),
        None => Command::new(program),
    };
    command.arg("--serve").arg(address).arg(response);
    Ok(command)
}

/// `--send ADDRESS PATH JSON`: a POST made from inside the namespace (the TAP half's setup).
fn send(arguments: &[String]) -> Result<(), String> {
    let [address, path, body] = arguments else {
        return Err("--send takes ADDRESS PATH JSON".to_owned());
    };
    sauce_bench::guest::post(address, path, body, Duration::from_secs(30))
}

/// Makes the state the measured path reads, in the guest at `address` (`None`: from here).
fn set_up(options: &Options, wrap: Option<&Namespace>, address: &str) -> Result<(), String> {
    let Some((path, body)) = &options.post else {
        return Ok(());
    };
    match wrap {
        None => sauce_bench::guest::post(address, path, body, Duration::from_secs(30)),
        Some(namespace) => {
            let program = std::env::current_exe().map_err(|error| error.to_string())?;
            let status = namespace
                .command(program)
                .args(["--send", address, path, body])
                .status()
                .map_err(|error| error.to_string())?;
            status
                .success()
                .then_some(())
                .ok_or_else(|| format!("POST {path} inside the namespace failed"))
        }
    }
}

/// `base` (`http://host:port/`) with `path`.
fn url(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

fn wrk_command(wrap: Option<&Namespace>, load: &Load, url: &str) -> Command {
    let mut command = match wrap {
        Some(namespace) => namespace.command("wrk"),
        None => Command::new("wrk"),
    };
    command.args(load.arguments(url));
    command
}

/// One network's results: per target, every counted run.
struct Measured {
    network: &'static str,
    guest: Vec<WrkReport>,
    native: Vec<WrkReport>,
}

/// Warm-up, then `runs` alternating guest and native wrk runs.
fn measure(
    options: &Options,
    wrap: Option<&Namespace>,
    guest_url: &str,
    native_url: &str,
    network: &'static str,
) -> Result<Measured, String> {
    let warm_up = Load {
        duration: Duration::from_secs(2),
        ..options.load.clone()
    };
    wrk::run(wrk_command(wrap, &warm_up, guest_url))?;
    wrk::run(wrk_command(wrap, &warm_up, native_url))?;
    let mut measured = Measured {
        network,
        guest: Vec::new(),
        native: Vec::new(),
    };
    for run in 1..=options.runs {
        let guest = wrk::run(wrk_command(wrap, &options.load, guest_url))?;
        let native = wrk::run(wrk_command(wrap, &options.load, native_url))?;
        eprintln!(
            "{network} run {run}: guest {:.0} req/s (p99 {:.2} ms, {} errors), native {:.0} req/s (p99 {:.2} ms, {} errors)",
            guest.requests_per_second, guest.p99_milliseconds, guest.errors, native.requests_per_second, native.p99_milliseconds, native.errors
        );
        measured.guest.push(guest);
        measured.native.push(native);
    }
    Ok(measured)
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|error| error.to_string())?;
    Ok(listener
        .local_addr()
        .map_err(|error| error.to_string())?
        .port())
}

fn over_user_networking(
    options: &Options,
    image: &Path,
    response_file: &Path,
) -> Result<Measured, String> {
    let port = free_port()?;
    let guest = Guest::start(
        image,
        options.machine,
        options.accelerator,
        Network::User { host_port: port },
        Duration::from_secs(120),
    )?;
    set_up(options, None, &format!("127.0.0.1:{port}"))?;
    std::fs::write(
        response_file,
        capture_response_at(port, &options.path, Duration::from_secs(30))?,
    )
    .map_err(|error| error.to_string())?;
    let native_port = free_port()?;
    let _native = start_native(serve_command(
        None,
        &format!("127.0.0.1:{native_port}"),
        response_file,
    )?)?;
    measure(
        options,
        None,
        &url(&guest.url, &options.path),
        &url(&format!("http://127.0.0.1:{native_port}/"), &options.path),
        "user networking",
    )
}

fn over_tap(options: &Options, image: &Path, response_file: &Path) -> Result<Measured, String> {
    let namespace = Namespace::create("bench")?;
    let guest = Guest::start(
        image,
        options.machine,
        options.accelerator,
        Network::Tap {
            namespace: &namespace,
        },
        Duration::from_secs(120),
    )?;
    let host = guest
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/');
    // The URL leaves out the default port; a socket address needs it.
    let guest_address = if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:80")
    };
    set_up(options, Some(&namespace), &guest_address)?;
    let address = format!("{}:{NATIVE_PORT_IN_NAMESPACE}", namespace::HOST_ADDRESS);
    let _native = start_native(serve_command(Some(&namespace), &address, response_file)?)?;
    measure(
        options,
        Some(&namespace),
        &url(&guest.url, &options.path),
        &url(&format!("http://{address}/"), &options.path),
        "TAP in a namespace",
    )
}

fn requests(reports: &[WrkReport]) -> Option<Summary> {
    summarise(
        &reports
            .iter()
            .map(|report| report.requests_per_second)
            .collect::<Vec<_>>(),
    )
}

fn p99(reports: &[WrkReport]) -> Option<Summary> {
    summarise(
        &reports
            .iter()
            .map(|report| report.p99_milliseconds)
            .collect::<Vec<_>>(),
    )
}

fn print_results(results: &[Measured]) {
    print_header();
    for measured in results {
        let network = measured.network;
        print_row(
            &format!("{network}: guest requests/s"),
            requests(&measured.guest),
            "r/s",
        );
        print_row(
            &format!("{network}: native requests/s"),
            requests(&measured.native),
            "r/s",
        );
        print_row(
            &format!("{network}: guest p99 latency"),
            p99(&measured.guest),
            "ms",
        );
        print_row(
            &format!("{network}: native p99 latency"),
            p99(&measured.native),
            "ms",
        );
    }
    println!();
    for measured in results {
        let ratio = requests(&measured.guest)
            .zip(requests(&measured.native))
            .map(|(guest, native)| guest.median / native.median);
        let errors: u64 = measured
            .guest
            .iter()
            .chain(&measured.native)
            .map(|report| report.errors)
            .sum();
        println!(
            "{}: guest/native requests/s (medians) = {:.2}; wrk errors over all runs: {errors}",
            measured.network,
            ratio.unwrap_or(f64::NAN)
        );
    }
}

fn run_benchmark(options: &Options) -> Result<(), String> {
    Command::new("wrk")
        .arg("--version")
        .output()
        .map_err(|error| format!("cannot run wrk: {error} (install it: `apt-get install wrk`)"))?;
    cleanup::install_signal_handler();
    let folder =
        std::env::temp_dir().join(format!("sauce-bench-throughput-{}", std::process::id()));
    std::fs::create_dir_all(&folder).map_err(|error| error.to_string())?;
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(&options.example)
        .join("sauce.toml");
    let intent = sauce_intent::load(&manifest).map_err(|error| format!("{error:?}"))?;
    let image: PathBuf = folder.join(format!("{}.elf", options.example));
    let context = BuildContext::from_environment().map_err(|error| error.to_string())?;
    context
        .build_app(&intent, &image)
        .map_err(|error| error.to_string())?;
    let response_file = folder.join("response");

    println!(
        "# HTTP throughput: examples/{} `GET {}`, {:?} under {:?}",
        options.example, options.path, options.machine, options.accelerator
    );
    println!(
        "wrk -t{} -c{} -d{}s --latency, {} counted runs per target after a 2 s warm-up; guest and native alternate",
        options.load.threads, options.load.connections, options.load.duration.as_secs(), options.runs
    );
    println!("native = one thread per connection on the host, answering with the guest's own response bytes\n");
    let mut results = Vec::new();
    if options.user {
        results.push(over_user_networking(options, &image, &response_file)?);
    }
    if options.tap {
        if !response_file.exists() {
            // The response is captured over user networking (reachable from here); the TAP
            // half alone still needs it once.
            let port = free_port()?;
            let _guest = Guest::start(
                &image,
                options.machine,
                options.accelerator,
                Network::User { host_port: port },
                Duration::from_secs(120),
            )?;
            set_up(options, None, &format!("127.0.0.1:{port}"))?;
            std::fs::write(
                &response_file,
                capture_response_at(port, &options.path, Duration::from_secs(30))?,
            )
            .map_err(|error| error.to_string())?;
        }
        match over_tap(options, &image, &response_file) {
            Ok(measured) => results.push(measured),
            Err(error) => println!("TAP half skipped: {error}\n"),
        }
    }
    print_results(&results);
    let _ = std::fs::remove_dir_all(&folder);
    Ok(())
}

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let outcome = if arguments.first().is_some_and(|first| first == "--serve") {
        serve(&arguments[1..])
    } else if arguments.first().is_some_and(|first| first == "--send") {
        send(&arguments[1..])
    } else {
        options(&arguments).and_then(|options| run_benchmark(&options))
    };
    if let Err(error) = outcome {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

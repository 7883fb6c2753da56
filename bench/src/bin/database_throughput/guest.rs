//! A database example booted on the namespace's TAP with its URL on the kernel command line
//! (`sauce.env.KEY=…`, as `sauce run --env` passes it), and one request made from inside the
//! namespace to check what a target answers before it is measured.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Stdio;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use sauce_bench::namespace::{self, Namespace};
use sauce_bench::process::OwnedChild;
use sauce_database_servers::process::percent_encode;
use sauce_runner::{Accelerator, Machine, QemuConfig};

/// A guest on the TAP, stopped when dropped.
pub struct Guest {
    _qemu: OwnedChild,
    log: Arc<Mutex<Vec<String>>>,
}

impl Guest {
    /// Boots `image` on `namespace`'s TAP with `KEY=value` run-time values and waits (up to
    /// two minutes) for its HTTP service's line.
    pub fn start(
        image: &Path,
        machine: Machine,
        accelerator: Accelerator,
        namespace: &Namespace,
        environment: &[(&str, String)],
    ) -> Result<Guest, String> {
        let mut config = QemuConfig::new(image);
        config.machine = machine;
        config.accelerator = Some(accelerator);
        config.append = namespace::GUEST_COMMAND_LINE.to_owned();
        for (key, value) in environment {
            config
                .append
                .push_str(&format!(" sauce.env.{key}={}", percent_encode(value)));
        }
        let device = match machine {
            Machine::Q35 => "virtio-net-pci,netdev=net0",
            Machine::Microvm | Machine::Firecracker => "virtio-net-device,netdev=net0",
        };
        let mut command = namespace.command(&config.binary);
        command
            .args(config.arguments(accelerator))
            .arg("-netdev")
            .arg(format!(
                "tap,id=net0,ifname={},script=no,downscript=no",
                namespace::TAP
            ))
            .args(["-device", device])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut qemu = OwnedChild::spawn(command, "QEMU")?;
        let stdout = qemu.child().stdout.take().ok_or("QEMU has no stdout")?;
        let (sender, serving) = mpsc::channel();
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("http: port 80") {
                    let _ = sender.send(());
                }
                if let Ok(mut lines) = lines.lock() {
                    lines.push(line);
                }
            }
        });
        let guest = Guest { _qemu: qemu, log };
        serving
            .recv_timeout(Duration::from_secs(120))
            .map_err(|_| format!("the guest did not serve within 2 min:\n{}", guest.log()))?;
        Ok(guest)
    }

    /// Its serial lines so far.
    pub fn log(&self) -> String {
        self.log
            .lock()
            .map(|lines| lines.join("\n"))
            .unwrap_or_default()
    }
}

/// `--fetch ADDRESS PATH`: `GET PATH` from `ADDRESS`, retried for a minute until it answers
/// 200; prints the body.
pub fn fetch(arguments: &[String]) -> Result<(), String> {
    let [address, path] = arguments else {
        return Err("--fetch takes ADDRESS PATH".to_owned());
    };
    let started = Instant::now();
    loop {
        let answer = get(address, path);
        match answer {
            Ok(response) if response.starts_with("HTTP/1.1 200") => {
                let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
                println!("{body}");
                return Ok(());
            }
            _ if started.elapsed() < Duration::from_secs(60) => {
                std::thread::sleep(Duration::from_millis(250));
            }
            Ok(response) => {
                let status = response.lines().next().unwrap_or_default().to_owned();
                return Err(format!("GET {path} from {address}: {status}"));
            }
            Err(error) => return Err(format!("GET {path} from {address}: {error}")),
        }
    }
}

/// One `GET path` on its own connection.
fn get(address: &str, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

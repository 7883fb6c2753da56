//! A guest serving HTTP under QEMU for the length of a benchmark: on QEMU user networking with a
//! port forwarded from 127.0.0.1, or on a TAP device inside a [`Namespace`]. Its serial output
//! is read until `ready`, then drained; QEMU is stopped when the guest is dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use sauce_runner::{Accelerator, Machine, PortForward, QemuConfig};

use crate::namespace::{self, Namespace};
use crate::process::OwnedChild;

/// How the guest is reached.
#[derive(Clone, Copy, Debug)]
pub enum Network<'a> {
    /// QEMU user networking, guest port 80 forwarded from 127.0.0.1:`host_port`.
    User {
        /// The port on 127.0.0.1.
        host_port: u16,
    },
    /// A TAP device inside `namespace`; the guest is [`namespace::GUEST_ADDRESS`].
    Tap {
        /// The namespace holding the TAP device.
        namespace: &'a Namespace,
    },
}

/// A running guest.
#[derive(Debug)]
pub struct Guest {
    _qemu: OwnedChild,
    /// The base URL that reaches its port 80.
    pub url: String,
    /// Every serial line so far.
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

/// QEMU's arguments for `image` on `network`.
pub fn qemu_command(
    image: &Path,
    machine: Machine,
    accelerator: Accelerator,
    network: Network<'_>,
) -> Command {
    qemu_command_with_memory(image, machine, accelerator, network, None)
}

/// [`qemu_command`] with `memory_mib` of guest RAM (the launcher's default otherwise).
pub fn qemu_command_with_memory(
    image: &Path,
    machine: Machine,
    accelerator: Accelerator,
    network: Network<'_>,
    memory_mib: Option<u64>,
) -> Command {
    let mut config = QemuConfig::new(image);
    if let Some(memory) = memory_mib {
        config.memory = sauce_intent::MemorySize::from_mebibytes(memory);
    }
    config.machine = machine;
    config.accelerator = Some(accelerator);
    let device = match machine {
        Machine::Microvm | Machine::Firecracker => "virtio-net-device,netdev=net0",
        Machine::Q35 => "virtio-net-pci,netdev=net0",
    };
    match network {
        Network::User { host_port } => {
            config.port_forwards = vec![PortForward {
                host: host_port,
                guest: 80,
            }];
            let mut command = Command::new(&config.binary);
            command.args(config.arguments(accelerator));
            command
        }
        Network::Tap { namespace } => {
            config.append = namespace::GUEST_COMMAND_LINE.to_owned();
            let mut command = namespace.command(&config.binary);
            command.args(config.arguments(accelerator));
            let netdev = format!(
                "tap,id=net0,ifname={},script=no,downscript=no",
                namespace::TAP
            );
            command.args(["-netdev", &netdev, "-device", device]);
            command
        }
    }
}

impl Guest {
    /// Boots `image` and waits (up to `ready_within`) for its `ready` line.
    pub fn start(
        image: &Path,
        machine: Machine,
        accelerator: Accelerator,
        network: Network<'_>,
        ready_within: Duration,
    ) -> Result<Guest, String> {
        Guest::start_with_memory(image, machine, accelerator, network, None, ready_within)
    }

    /// [`Guest::start`] with `memory_mib` of guest RAM (QEMU's default size otherwise).
    pub fn start_with_memory(
        image: &Path,
        machine: Machine,
        accelerator: Accelerator,
        network: Network<'_>,
        memory_mib: Option<u64>,
        ready_within: Duration,
    ) -> Result<Guest, String> {
        let mut command =
            qemu_command_with_memory(image, machine, accelerator, network, memory_mib);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut qemu = OwnedChild::spawn(command, "QEMU")?;
        let stdout = qemu.child().stdout.take().ok_or("QEMU has no stdout")?;
        let (sender, ready) = mpsc::channel();
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.trim() == "ready" {
                    let _ = sender.send(());
                }
                if let Ok(mut lines) = lines.lock() {
                    lines.push(line);
                }
            }
        });
        ready
            .recv_timeout(ready_within)
            .map_err(|_| format!("the guest printed no `ready` within {ready_within:?}"))?;
        let url = match network {
            Network::User { host_port } => format!("http://127.0.0.1:{host_port}/"),
            Network::Tap { .. } => format!("http://{}/", namespace::GUEST_ADDRESS),
        };
        Ok(Guest {
            _qemu: qemu,
            url,
            log,
        })
    }

    /// The serial lines so far.
    pub fn log(&self) -> Vec<String> {
        self.log
            .lock()
            .map(|lines| lines.clone())
            .unwrap_or_default()
    }

    /// The latest serial line containing `needle`.
    pub fn last_line_with(&self, needle: &str) -> Option<String> {
        self.log()
            .into_iter()
            .rev()
            .find(|line| line.contains(needle))
    }
}

/// The complete response (head and body) a server on 127.0.0.1:`port` gives to `GET /` on a
/// kept-alive connection, retried for up to `within` while the server is not answering yet.
pub fn capture_response(port: u16, within: Duration) -> Result<Vec<u8>, String> {
    capture_response_at(port, "/", within)
}

/// [`capture_response`] for `GET path`.
pub fn capture_response_at(port: u16, path: &str, within: Duration) -> Result<Vec<u8>, String> {
    let started = std::time::Instant::now();
    loop {
        match try_capture(port, path) {
            Ok(response) => return Ok(response),
            Err(error) if started.elapsed() > within => {
                return Err(format!("GET {path} on port {port}: {error}"))
            }
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

fn try_capture(port: u16, path: &str) -> Result<Vec<u8>, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|error| error.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|error| error.to_string())?;
    stream
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n").as_bytes())
        .map_err(|error| error.to_string())?;
    let mut response = Vec::new();
    let mut byte = [0u8; 1];
    while !response.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).map_err(|error| error.to_string())? == 0 {
            return Err(format!("closed after {} bytes", response.len()));
        }
        response.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&response).to_ascii_lowercase();
    if !head.starts_with("http/1.1 200") {
        return Err(format!("answered {:?}", head.lines().next().unwrap_or("")));
    }
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .ok_or("no Content-Length")?;
    let mut body = vec![0; length];
    stream
        .read_exact(&mut body)
        .map_err(|error| error.to_string())?;
    response.extend_from_slice(&body);
    Ok(response)
}

/// Sends `POST path` with a JSON `body` to `address` and waits for the answer's status line:
/// the state a benchmark measures (a to-do to read back) is made this way.
pub fn post(address: &str, path: &str, body: &str, within: Duration) -> Result<(), String> {
    let started = std::time::Instant::now();
    loop {
        let attempt = (|| -> Result<String, String> {
            let mut stream = TcpStream::connect(address).map_err(|error| error.to_string())?;
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .map_err(|error| error.to_string())?;
            write!(
                stream,
                "POST {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .map_err(|error| error.to_string())?;
            let mut answer = String::new();
            stream
                .read_to_string(&mut answer)
                .map_err(|error| error.to_string())?;
            Ok(answer)
        })();
        match attempt {
            Ok(answer) if answer.starts_with("HTTP/1.1 2") => return Ok(()),
            Ok(answer) if started.elapsed() > within => {
                return Err(format!(
                    "POST {path}: {:?}",
                    answer.lines().next().unwrap_or("")
                ))
            }
            Err(error) if started.elapsed() > within => {
                return Err(format!("POST {path}: {error}"))
            }
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(command: &Command) -> String {
        let mut words = vec![command.get_program().to_string_lossy().into_owned()];
        words.extend(
            command
                .get_args()
                .map(|argument| argument.to_string_lossy().into_owned()),
        );
        words.join(" ")
    }

    #[test]
    fn user_networking_forwards_the_port() {
        let command = qemu_command(
            Path::new("/i.elf"),
            Machine::Microvm,
            Accelerator::Tcg,
            Network::User { host_port: 8123 },
        );
        let line = words(&command);
        assert!(line.contains("hostfwd=tcp:127.0.0.1:8123-:80"), "{line}");
        assert!(
            line.ends_with("-device virtio-net-device,netdev=net0"),
            "{line}"
        );
    }

    #[test]
    fn captures_a_complete_response() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let response: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhi\n";
        std::thread::spawn(move || {
            crate::native_server::serve(listener, std::sync::Arc::from(response))
        });
        assert_eq!(
            capture_response(port, Duration::from_secs(5)).unwrap(),
            response
        );
    }
}

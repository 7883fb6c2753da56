//! Helpers of the AI end-to-end tests: `sauce` with no model or pointed at a fake vendor, builds
//! under the shared lock, and a booted guest to send requests to.

#![allow(dead_code)] // each test binary uses its own subset

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use sauce_ai::testing::{FakeServer, Vendor};

use crate::common::{build_lock, sauce, text};

/// The key the fake OpenAI server expects.
pub const OPENAI_KEY: &str = "sk-e2e-openai-0123456789";
/// The key the fake Anthropic server expects.
pub const ANTHROPIC_KEY: &str = "sk-ant-e2e-0123456789";

/// `sauce` in `folder` with no model configured: no vendor key, no AI variable, no config file
/// (its folder is empty), guests under TCG, standard input closed.
pub fn sauce_in(folder: &Path) -> Command {
    let mut command = sauce();
    for name in [
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "SAUCE_AI_API_KEY",
        "SAUCE_AI_PROVIDER",
        "SAUCE_AI_MODEL",
        "SAUCE_AI_BASE_URL",
        "SAUCE_AI_TIMEOUT",
    ] {
        command.env_remove(name);
    }
    let configuration = folder.join("configuration");
    std::fs::create_dir_all(&configuration).unwrap();
    command
        .env("XDG_CONFIG_HOME", &configuration)
        .env("SAUCE_ACCEL", "tcg")
        .current_dir(folder)
        .stdin(Stdio::null());
    command
}

/// `sauce` in `folder` pointed at `server` as `vendor`, sending `key`.
pub fn sauce_with_model(folder: &Path, server: &FakeServer, vendor: Vendor, key: &str) -> Command {
    let mut command = sauce_in(folder);
    command.env("SAUCE_AI_BASE_URL", server.base_url());
    match vendor {
        Vendor::OpenAi => command
            .env("SAUCE_AI_PROVIDER", "openai")
            .env("SAUCE_AI_MODEL", "gpt-4.1-mini")
            .env("OPENAI_API_KEY", key),
        Vendor::Anthropic => command
            .env("SAUCE_AI_PROVIDER", "anthropic")
            .env("SAUCE_AI_MODEL", "claude-sonnet-4-5")
            .env("ANTHROPIC_API_KEY", key),
    };
    command
}

/// Runs `command` holding the build lock (it builds images into the shared cache).
pub fn run_building(command: &mut Command) -> Output {
    let _lock = build_lock();
    command.output().unwrap()
}

/// Both streams of `output`, for assertions over either.
pub fn both(output: &Output) -> String {
    let (stdout, stderr) = text(output);
    format!("{stdout}\n{stderr}")
}

/// A guest of `sauce run PROJECT -p HOST:GUEST`, stopped (SIGTERM to `sauce run`) when dropped.
pub struct Guest {
    child: Child,
    port: u16,
}

impl Guest {
    pub fn start(project: &Path, guest_port: u16) -> Guest {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = sauce_in(project.parent().unwrap())
            .arg("run")
            .arg(project)
            .args(["--accel", "tcg", "--timeout", "600", "-p"])
            .arg(format!("{port}:{guest_port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, network_line) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("network: ") {
                    let _ = sender.send(());
                }
            }
        });
        let guest = Guest { child, port };
        network_line
            .recv_timeout(Duration::from_secs(300))
            .expect("the guest printed no network line");
        guest
    }

    /// The response to `GET path`, retried while user networking is not handing connections
    /// over yet.
    pub fn get(&self, path: &str) -> String {
        let started = Instant::now();
        loop {
            let attempt = (|| -> std::io::Result<String> {
                let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
                stream.set_read_timeout(Some(Duration::from_secs(20)))?;
                write!(
                    stream,
                    "GET {path} HTTP/1.1\r\nHost: sauce\r\nConnection: close\r\n\r\n"
                )?;
                let mut response = String::new();
                stream.read_to_string(&mut response)?;
                Ok(response)
            })();
            match attempt {
                Ok(response) if response.starts_with("HTTP/1.1") => return response,
                _ if started.elapsed() > Duration::from_secs(60) => {
                    panic!("GET {path}: no answer: {attempt:?}")
                }
                _ => std::thread::sleep(Duration::from_millis(200)),
            }
        }
    }
}

impl Drop for Guest {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

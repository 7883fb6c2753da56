//! `sauce` is self-contained: the binary copied out of the build tree (what `cargo install`
//! does) builds and boots `hello-http` from the sources bundled into it, unpacked into its
//! cache, with the clone out of reach (hidden under an empty tmpfs in a private mount namespace,
//! when this test runs as root with `unshare`) and cargo offline.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{assert_exit, repository, text};

/// A fresh folder outside the repository (the binary must not live inside the clone).
fn outside_folder() -> PathBuf {
    let folder = std::env::temp_dir().join(format!("sauce-installed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == ".sauce" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Whether this process may hide the clone in a private mount namespace.
fn can_hide_the_clone() -> bool {
    Command::new("unshare")
        .args(["--mount", "--propagation", "private", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// `sauce <arguments>` from `binary`, with the clone hidden when possible.
fn installed(binary: &Path, cache: &Path, arguments: &[&str], hide: bool) -> Command {
    let mut command = if hide {
        let mut command = Command::new("unshare");
        command.args(["--mount", "--propagation", "private", "sh", "-c"]);
        command.arg(r#"mount -t tmpfs none "$SAUCE_TEST_CLONE" && exec "$@""#);
        command.arg("sh").arg(binary);
        command
    } else {
        Command::new(binary)
    };
    command
        .args(arguments)
        .env("SAUCE_TEST_CLONE", repository())
        .env("SAUCE_CACHE", cache)
        .env("CARGO_NET_OFFLINE", "true")
        .env_remove("SAUCE_HOME")
        .env_remove("SAUCE_COMPONENT_PATH")
        .env_remove("CARGO_TARGET_DIR");
    command
}

#[test]
fn an_installed_sauce_builds_and_boots_hello_http_without_the_clone() {
    let folder = outside_folder();
    let binary = folder.join("bin/sauce");
    std::fs::create_dir_all(binary.parent().unwrap()).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_sauce"), &binary).unwrap();
    let project = folder.join("hello-http");
    copy_tree(&repository().join("examples/hello-http"), &project);
    let cache = folder.join("cache");
    let image = folder.join("hello-http.elf");
    let hide = can_hide_the_clone();
    if !hide {
        eprintln!("note: cannot hide the clone (needs root and unshare); building from the copied binary with the clone in place");
    }
    let project_text = project.to_str().unwrap();
    let image_text = image.to_str().unwrap();
    let output = installed(
        &binary,
        &cache,
        &["build", project_text, "-o", image_text],
        hide,
    )
    .output()
    .unwrap();
    let (stdout, stderr) = text(&output);
    assert_exit(&output, 0);
    assert!(image.is_file(), "{stdout}{stderr}");
    let sources: Vec<PathBuf> = std::fs::read_dir(cache.join("sources"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(sources.len(), 1, "{sources:?}");
    assert!(sources[0]
        .join("components/http-service/board.rs.j2")
        .is_file());
    // Boot it and ask.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let forward = format!("{port}:80");
    let mut guest = installed(
        &binary,
        &cache,
        &[
            "run",
            image_text,
            "--accel",
            "tcg",
            "--timeout",
            "120",
            "-p",
            &forward,
        ],
        false,
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let started = Instant::now();
    let response = loop {
        let attempt = TcpStream::connect(("127.0.0.1", port)).and_then(|mut stream| {
            stream.set_read_timeout(Some(Duration::from_secs(10)))?;
            stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
            let mut response = String::new();
            stream.read_to_string(&mut response)?;
            Ok(response)
        });
        match attempt {
            Ok(response) if !response.is_empty() => break response,
            _ if started.elapsed() > Duration::from_secs(90) => panic!("no answer from the guest"),
            _ => std::thread::sleep(Duration::from_millis(200)),
        }
    };
    common::stop_sauce_run(&mut guest);
    let _ = guest.wait();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("Hello from SauceOS\n"), "{response}");
    std::fs::remove_dir_all(folder).unwrap();
}

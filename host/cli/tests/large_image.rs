//! End to end: an image holding 64 MiB of static files builds, boots and serves every byte
//! (images over about 7 MiB used to reset before their first serial line: the boot stub mapped
//! only 8 MiB).

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{build_lock, sauce, temporary_folder, text};

/// The big file's bytes: a pattern that is not a repetition of any short block, so a wrong
/// offset anywhere shows up as a mismatch.
fn content(length: usize) -> Vec<u8> {
    let mut state: u32 = 0x2545_f491;
    (0..length)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect()
}

/// `GET path` on a new connection; the status and the body.
fn get(port: u16, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let end = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .map_or(response.len(), |position| position + 4);
    let status = std::str::from_utf8(response.get(9..12).unwrap_or_default())
        .ok()
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    Ok((status, response.split_off(end)))
}

#[test]
fn an_image_with_64_mib_of_files_boots_and_serves_them() {
    let project = temporary_folder("large-image");
    let public = project.join("public");
    std::fs::create_dir_all(&public).unwrap();
    let big = content(60 << 20);
    std::fs::write(public.join("big.bin"), &big).unwrap();
    std::fs::write(public.join("more.bin"), content(4 << 20)).unwrap();
    std::fs::write(public.join("index.html"), "<h1>large</h1>\n").unwrap();
    std::fs::write(
        project.join("sauce.toml"),
        "[app]\nname = \"large\"\n\n[[http.route]]\npath = \"/*\"\ndir = \"public\"\n",
    )
    .unwrap();
    {
        let _lock = build_lock();
        let output = sauce().arg("build").arg(&project).output().unwrap();
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "build failed:\n{stdout}\n{stderr}");
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut guest = sauce()
        .arg("run")
        .arg(&project)
        .args(["--accel", "tcg", "--timeout", "300", "-p"])
        .arg(format!("{port}:80"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let index = loop {
        match get(port, "/") {
            Ok((200, body)) => break body,
            _ if started.elapsed() > Duration::from_secs(120) => {
                common::stop_sauce_run(&mut guest);
                panic!("the large image never answered");
            }
            _ => std::thread::sleep(Duration::from_millis(200)),
        }
    };
    assert_eq!(index, b"<h1>large</h1>\n");
    let (status, body) = get(port, "/big.bin").unwrap();
    let (more_status, more) = get(port, "/more.bin").unwrap();
    common::stop_sauce_run(&mut guest);
    assert_eq!(status, 200);
    assert_eq!(body.len(), big.len());
    assert!(
        body == big,
        "the 60 MiB file came back with different bytes"
    );
    assert_eq!((more_status, more.len()), (200, 4 << 20));
}

//! End to end: the HTTP features of static routes over a real socket. `examples/static-site`
//! is copied to a temporary folder and given a subfolder with an `index.html`, a compressible
//! 8 KiB text file, `cache_control` on its `dir` route and a `body` route with its own; then it
//! is built by `sauce build`, booted by `sauce run -p` under TCG (and KVM where it works), and
//! asked for `OPTIONS`, the folder redirect, `Last-Modified`/`If-Modified-Since`, `Range`
//! (206, 416, `If-Range`), the gzip copy and `Cache-Control`.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{accelerators, assert_exit, build_lock, repository, sauce, temporary_folder};

/// The text file the gzip and range checks fetch: 8 KiB of a repeated paragraph.
const GUIDE: &str = "docs/guide.txt";

/// `sauce run PROJECT -p PORT:80` until dropped.
struct Guest {
    child: Child,
    port: u16,
}

impl Guest {
    fn start(project: &Path, accelerator: &str) -> Guest {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = sauce()
            .arg("run")
            .arg(project)
            .args(["--accel", accelerator, "--timeout", "600", "-p"])
            .arg(format!("{port}:80"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, ready) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.trim() == "ready" {
                    let _ = sender.send(());
                }
            }
        });
        ready
            .recv_timeout(Duration::from_secs(180))
            .unwrap_or_else(|_| panic!("under {accelerator}: no ready line"));
        Guest { child, port }
    }

    /// `METHOD TARGET` with `fields` (each `Name: value`) on a new connection, retried while
    /// the guest is not listening yet: the status, the head and the body.
    fn ask(&self, method: &str, target: &str, fields: &[&str]) -> (u16, String, Vec<u8>) {
        let mut request = format!("{method} {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
        for field in fields {
            request.push_str(field);
            request.push_str("\r\n");
        }
        request.push_str("\r\n");
        let give_up = Instant::now() + Duration::from_secs(30);
        loop {
            match self.try_request(&request) {
                Ok(answer) => return answer,
                Err(error) if Instant::now() < give_up => {
                    eprintln!("retrying: {error}");
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(error) => panic!("no answer to {request:?}: {error}"),
            }
        }
    }

    fn try_request(&self, request: &str) -> std::io::Result<(u16, String, Vec<u8>)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(20)))?;
        stream.write_all(request.as_bytes())?;
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes)?;
        let split = bytes
            .windows(4)
            .position(|window| window == b"\r\n\r\n")
            .ok_or_else(|| std::io::Error::other(format!("no head in {} bytes", bytes.len())))?;
        let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
        let status = head
            .get(9..12)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        Ok((status, head, bytes[split + 4..].to_vec()))
    }
}

impl Drop for Guest {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// examples/static-site copied with the additions the checks need; returns the project.
fn project() -> PathBuf {
    let project = temporary_folder("static-http");
    let example = repository().join("examples/static-site");
    copy_folder(&example.join("public"), &project.join("public"));
    std::fs::create_dir_all(project.join("public/docs")).unwrap();
    std::fs::write(project.join("public/docs/index.html"), "<h1>Docs</h1>\n").unwrap();
    let paragraph = "SauceOS compiles an intent into one bootable image; this guide is text.\n";
    let guide: String = paragraph.chars().cycle().take(8192).collect();
    std::fs::write(project.join("public").join(GUIDE), guide).unwrap();
    let intent = std::fs::read_to_string(example.join("sauce.toml")).unwrap();
    let intent = intent.replace(
        "dir = \"public\"\n",
        "dir = \"public\"\ncache_control = \"max-age=60\"\n",
    );
    assert!(
        intent.contains("max-age=60"),
        "the example's dir route moved"
    );
    let intent = format!(
        "{intent}\n[[http.route]]\npath = \"/hello\"\nbody = \"hi\\n\"\ncache_control = \"no-store\"\n"
    );
    std::fs::write(project.join("sauce.toml"), intent).unwrap();
    project
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn static_routes_speak_options_redirects_dates_ranges_gzip_and_cache_control() {
    let project = project();
    {
        let _lock = build_lock();
        let output = sauce().arg("build").arg(&project).output().unwrap();
        assert_exit(&output, 0);
    }
    for accelerator in accelerators() {
        let guest = Guest::start(&project, accelerator);
        options_and_redirects(&guest);
        dates_and_cache_control(&guest, &project);
        ranges(&guest, &project);
        gzip(&guest, &project);
    }
}

fn options_and_redirects(guest: &Guest) {
    for target in ["/index.html", "/hello", "*"] {
        let (status, head, _) = guest.ask("OPTIONS", target, &[]);
        assert_eq!(status, 204, "{target}: {head}");
        assert_eq!(header(&head, "allow"), Some("GET, HEAD, OPTIONS"), "{head}");
    }
    let (status, head, _) = guest.ask("DELETE", "/hello", &[]);
    assert_eq!(status, 405, "{head}");
    assert_eq!(header(&head, "allow"), Some("GET, HEAD, OPTIONS"));
    let (status, head, _) = guest.ask("GET", "/docs?page=2", &[]);
    assert_eq!(status, 301, "{head}");
    assert_eq!(header(&head, "location"), Some("/docs/?page=2"));
    let (status, _, body) = guest.ask("GET", "/docs/", &[]);
    assert_eq!((status, body), (200, b"<h1>Docs</h1>\n".to_vec()));
    assert_eq!(guest.ask("GET", "/css", &[]).0, 404, "no css/index.html");
}

fn dates_and_cache_control(guest: &Guest, project: &Path) {
    let file = project.join("public").join(GUIDE);
    let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
    let expected = sauce_codegen::assets::modified::last_modified(
        modified,
        None,
        std::time::SystemTime::now(),
    )
    .unwrap();
    let (status, head, _) = guest.ask("GET", "/docs/guide.txt", &[]);
    assert_eq!(status, 200, "{head}");
    assert_eq!(header(&head, "last-modified"), Some(expected.as_str()));
    assert_eq!(header(&head, "cache-control"), Some("max-age=60"));
    assert_eq!(header(&head, "accept-ranges"), Some("bytes"));
    assert_eq!(header(&head, "vary"), Some("Accept-Encoding"));
    let etag = header(&head, "etag").unwrap().to_owned();
    let since = format!("If-Modified-Since: {expected}");
    let (status, head, body) = guest.ask("GET", "/docs/guide.txt", &[&since]);
    assert_eq!(status, 304, "{head}");
    assert!(body.is_empty());
    assert_eq!(header(&head, "etag"), Some(etag.as_str()));
    assert_eq!(header(&head, "cache-control"), Some("max-age=60"));
    let old = "If-Modified-Since: Thu, 01 Jan 1970 00:00:01 GMT";
    assert_eq!(guest.ask("GET", "/docs/guide.txt", &[old]).0, 200);
    // If-None-Match takes precedence (RFC 9110 §13.2.2).
    let stale_tag = "If-None-Match: \"stale\"";
    assert_eq!(
        guest.ask("GET", "/docs/guide.txt", &[stale_tag, &since]).0,
        200
    );
    let current_tag = format!("If-None-Match: {etag}");
    assert_eq!(
        guest.ask("HEAD", "/docs/guide.txt", &[&current_tag, old]).0,
        304
    );
    let (status, head, body) = guest.ask("GET", "/hello", &[]);
    assert_eq!((status, body), (200, b"hi\n".to_vec()));
    assert_eq!(header(&head, "cache-control"), Some("no-store"));
}

fn ranges(guest: &Guest, project: &Path) {
    let guide = std::fs::read(project.join("public").join(GUIDE)).unwrap();
    let length = guide.len();
    let (status, head, body) = guest.ask("GET", "/docs/guide.txt", &["Range: bytes=10-19"]);
    assert_eq!(status, 206, "{head}");
    assert_eq!(body, &guide[10..20]);
    let whole = format!("bytes 10-19/{length}");
    assert_eq!(header(&head, "content-range"), Some(whole.as_str()));
    let (status, _, body) = guest.ask("GET", "/docs/guide.txt", &["Range: bytes=-5"]);
    assert_eq!((status, body.as_slice()), (206, &guide[length - 5..]));
    let beyond = format!("Range: bytes={length}-");
    let (status, head, _) = guest.ask("GET", "/docs/guide.txt", &[&beyond]);
    assert_eq!(status, 416, "{head}");
    let unsatisfied = format!("bytes */{length}");
    assert_eq!(header(&head, "content-range"), Some(unsatisfied.as_str()));
    let (status, _, body) = guest.ask("GET", "/docs/guide.txt", &["Range: bytes=0-1, 5-6"]);
    assert_eq!((status, body.len()), (200, length));
    let etag = header(&guest.ask("HEAD", "/docs/guide.txt", &[]).1, "etag")
        .unwrap()
        .to_owned();
    let if_range = format!("If-Range: {etag}");
    assert_eq!(
        guest
            .ask("GET", "/docs/guide.txt", &["Range: bytes=0-0", &if_range])
            .0,
        206
    );
    let stale = "If-Range: \"stale\"";
    assert_eq!(
        guest
            .ask("GET", "/docs/guide.txt", &["Range: bytes=0-0", stale])
            .0,
        200
    );
}

fn gzip(guest: &Guest, project: &Path) {
    let guide = std::fs::read(project.join("public").join(GUIDE)).unwrap();
    let copy = sauce_codegen::assets::compression::gzip_copy("text/plain", &guide).unwrap();
    let accepts = "Accept-Encoding: br;q=1.0, gzip;q=0.8";
    let (status, head, body) = guest.ask("GET", "/docs/guide.txt", &[accepts]);
    assert_eq!(status, 200, "{head}");
    assert_eq!(header(&head, "content-encoding"), Some("gzip"));
    assert_eq!(header(&head, "vary"), Some("Accept-Encoding"));
    assert!(
        header(&head, "etag").unwrap().ends_with("-gzip\""),
        "{head}"
    );
    assert_eq!(body, copy, "the deterministic gzip copy of the file");
    assert!(body.len() * 10 < guide.len());
    let (status, head, body) = guest.ask("GET", "/docs/guide.txt", &[accepts, "Range: bytes=0-1"]);
    assert_eq!((status, body.as_slice()), (206, &copy[..2]), "{head}");
    let refused = "Accept-Encoding: gzip;q=0, identity";
    let (_, head, body) = guest.ask("GET", "/docs/guide.txt", &[refused]);
    assert_eq!(header(&head, "content-encoding"), None);
    assert_eq!(body, guide);
    let (_, head, _) = guest.ask("GET", "/index.html", &["Accept-Encoding: gzip"]);
    assert_eq!(
        header(&head, "content-encoding"),
        None,
        "too small for a copy"
    );
    assert_eq!(header(&head, "vary"), None);
}

//! The outbound path over a TAP: examples/notes-postgres (a temporary copy) reaches a real
//! Postgres (tests/database-servers) through a TAP in a network namespace the test creates,
//! with no QEMU user networking and no Firecracker private network in the way. Postgres runs
//! inside the namespace on its TAP address (172.16.0.1), the guest is 172.16.0.2 on `tap0`,
//! and the notes contract is checked with `curl` from inside the namespace: POST 201, GET 200
//! with the note, DELETE 204, GET 404; Postgres's log names the guest's address as the client.
//! The guest logs in as the md5 role (SCRAM is covered by databases_end_to_end.rs).
//!
//! The guest (built, booted, stopped) is in `tap_guest`.
//!
//! - QEMU microvm and q35: QEMU started directly on the TAP (`sauce run` attaches a TAP only for
//!   Firecracker), the database URL on the kernel command line as `sauce run --env` puts it.
//! - Firecracker: `sauce run --vmm firecracker --tap tap0 --env DATABASE_URL=…` inside the
//!   namespace; runs only when `SAUCE_FIRECRACKER` names a Firecracker binary.
//!
//! Each skips, saying why, without root, `ip`, `curl`, `setpriv` or the Postgres binaries.
//! The namespace, Postgres and the guest go when the test ends, also on failure (guards).

mod common;
mod tap_guest;

use std::net::Ipv4Addr;
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use common::namespace::{missing_prerequisite, Namespace, GUEST_ADDRESS, NAMESPACE_ADDRESS};
use common::text;
use sauce_database_servers::{postgres, process, Listen, PostgresServer};
use sauce_runner::Machine;
use tap_guest::{image, one_guest_at_a_time, Guest, Vmm};

/// `method path` with `body` on the guest, by `curl` inside the namespace: `(status, body)`.
fn call(
    namespace: &Namespace,
    guest: &Guest,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, String) {
    let mut curl = namespace.command("curl");
    curl.args(["-sS", "-m", "30", "-X", method, "-w", "\n%{http_code}"]);
    if !body.is_empty() {
        curl.args([
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            body,
        ]);
    }
    let output = curl
        .arg(format!("http://{GUEST_ADDRESS}{path}"))
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert!(
        output.status.success(),
        "{}: curl {method} {path} failed: {stderr}\nserial:\n{}",
        guest.label,
        guest.serial()
    );
    let (answer, status) = stdout.rsplit_once('\n').unwrap_or(("", &stdout));
    (status.trim().parse().unwrap_or(0), answer.to_owned())
}

/// Why this test cannot run here, if it cannot.
fn missing() -> Option<String> {
    if let Some(reason) = missing_prerequisite(&["ip", "curl", "setpriv"]) {
        return Some(reason);
    }
    PostgresServer::binaries()
        .err()
        .map(|missing| missing.to_string())
}

/// The shared body: Postgres in a fresh namespace, notes-postgres on its TAP under `vmm`,
/// and the notes contract over the same TAP.
fn notes_over_a_tap(vmm: Vmm) {
    if let Some(reason) = missing() {
        eprintln!("skipped: {reason}");
        return;
    }
    let image = image(vmm);
    let _turn = one_guest_at_a_time();
    let started = Instant::now();
    let namespace = Namespace::create();
    let address: Ipv4Addr = NAMESPACE_ADDRESS.parse().unwrap();
    let listen = Listen::in_namespace(&namespace.name, address);
    let server = PostgresServer::start_listening(listen, process::free_port())
        .expect("the binaries were found above");
    // The md5 role: the path is under test here, not SCRAM (databases_end_to_end covers it),
    // and SCRAM's 4096 PBKDF2 rounds take the guest over its 5 s watchdog where KVM is PVM
    // (docs/design/0003), the only KVM Firecracker has on such a host.
    server
        .query(
            postgres::SCRAM_USER,
            postgres::DATABASE,
            &format!("GRANT CREATE ON SCHEMA public TO {}", postgres::MD5_USER),
        )
        .unwrap();
    let url = server.url(
        postgres::MD5_USER,
        postgres::MD5_PASSWORD,
        postgres::DATABASE,
    );
    let mut guest = Guest::start(&namespace, vmm, &image, &url);
    guest.wait_for(&format!(
        "database main: postgres://{}:***@{NAMESPACE_ADDRESS}",
        postgres::MD5_USER
    ));
    guest.wait_for("http: port 80");
    let booted = started.elapsed();

    let request =
        |method: &str, path: &str, body: &str| call(&namespace, &guest, method, path, body);
    let note = r#"{"id":1,"title":"milk","done":false}"#;
    assert_eq!(
        request("POST", "/notes", r#"{"title":"milk"}"#),
        (201, note.to_owned())
    );
    assert_eq!(request("GET", "/notes/1", ""), (200, note.to_owned()));
    assert_eq!(request("DELETE", "/notes/1", "").0, 204);
    assert_eq!(request("GET", "/notes/1", "").0, 404);

    // The note went through this server, from the guest's own address on the TAP.
    let rows = server
        .query(
            postgres::MD5_USER,
            postgres::DATABASE,
            "SELECT count(*) FROM notes",
        )
        .unwrap();
    assert_eq!(rows.trim(), "0", "the deleted note is gone from the table");
    let log = server.log();
    assert!(
        log.contains(&format!("connection received: host={GUEST_ADDRESS} ")),
        "{}: no connection from {GUEST_ADDRESS} in the server's log:\n{log}",
        guest.label
    );
    let serial = guest.serial();
    assert!(
        !serial.contains(postgres::MD5_PASSWORD),
        "{}: the password is on serial:\n{serial}",
        guest.label
    );
    eprintln!(
        "{}: notes-postgres over a TAP: namespace, Postgres and guest up in {:.1} s, contract checked by {:.1} s",
        guest.label,
        booted.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn notes_postgres_reaches_its_database_over_a_tap_on_qemu_microvm() {
    notes_over_a_tap(Vmm::Qemu(Machine::Microvm));
}

#[test]
fn notes_postgres_reaches_its_database_over_a_tap_on_qemu_q35() {
    notes_over_a_tap(Vmm::Qemu(Machine::Q35));
}

#[test]
fn notes_postgres_reaches_its_database_over_a_tap_on_firecracker() {
    if std::env::var_os("SAUCE_FIRECRACKER").is_none_or(|path| path.is_empty()) {
        eprintln!("skipped: SAUCE_FIRECRACKER is not set (point it at a Firecracker binary to run the Firecracker TAP test)");
        return;
    }
    notes_over_a_tap(Vmm::Firecracker);
}

/// The guards undo everything when a test fails midway: the namespace is deleted and Postgres
/// (running inside it) stops and leaves no folder.
#[test]
fn a_failing_test_leaves_no_namespace_or_server_behind() {
    if let Some(reason) = missing() {
        eprintln!("skipped: {reason}");
        return;
    }
    let left = Mutex::new(None);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let namespace = Namespace::create();
        let address: Ipv4Addr = NAMESPACE_ADDRESS.parse().unwrap();
        let listen = Listen::in_namespace(&namespace.name, address);
        let server = PostgresServer::start_listening(listen, process::free_port())
            .expect("the binaries were found above");
        *left.lock().unwrap() = Some((namespace.name.clone(), server.folder().to_path_buf()));
        // Unwinds as a failing assertion does, without the panic hook's noise.
        std::panic::resume_unwind(Box::new("a deliberate failure with both up"));
    }));
    assert!(outcome.is_err());
    let (name, folder) = left.into_inner().unwrap().expect("the guards were set up");
    assert!(
        !Path::new("/run/netns").join(&name).exists(),
        "{name} is left"
    );
    assert!(!folder.exists(), "{} is left", folder.display());
    let folder = folder.to_string_lossy().into_owned();
    let running: Vec<String> = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|entry| std::fs::read(entry.path().join("cmdline")).ok())
        .map(|cmdline| String::from_utf8_lossy(&cmdline).replace('\0', " "))
        .filter(|cmdline| cmdline.contains(&folder))
        .collect();
    assert!(running.is_empty(), "still running: {running:?}");
}

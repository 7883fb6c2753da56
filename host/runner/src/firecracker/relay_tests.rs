//! The relay between two local sockets, standing in for host and guest (no namespace needed).

use std::io::{Read, Write};
use std::net::Ipv4Addr;

use super::*;

/// A "guest": answers each connection with its request, upper-cased, after the client's end.
fn upper_case_server() -> (u16, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            thread::spawn(move || {
                let mut request = Vec::new();
                if stream.read_to_end(&mut request).is_ok() {
                    let _ = stream.write_all(&request.to_ascii_uppercase());
                }
            });
        }
    });
    (port, server)
}

fn relay_to(guest_port: u16, namespace: Option<PathBuf>) -> (Relay, u16) {
    let listeners = bind(&[PortForward {
        host: 0,
        guest: guest_port,
    }])
    .unwrap();
    let port = listeners[0].1.local_addr().unwrap().port();
    (
        Relay::start(listeners, namespace, Ipv4Addr::LOCALHOST),
        port,
    )
}

fn exchange(port: u16, message: &[u8]) -> io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(message)?;
    stream.shutdown(Shutdown::Write)?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    Ok(answer)
}

#[test]
fn connections_wait_for_ready_then_pass_both_ways() {
    let (guest_port, _server) = upper_case_server();
    let (relay, port) = relay_to(guest_port, None);
    let early = thread::spawn(move || exchange(port, b"early bird"));
    thread::sleep(Duration::from_millis(200));
    assert!(
        !early.is_finished(),
        "a connection made during boot waits for ready"
    );
    relay.guest_ready();
    assert_eq!(early.join().unwrap().unwrap(), b"EARLY BIRD");
    assert_eq!(exchange(port, b"again").unwrap(), b"AGAIN");
}

#[test]
fn sixty_four_connections_at_once() {
    let (guest_port, _server) = upper_case_server();
    let (relay, port) = relay_to(guest_port, None);
    relay.guest_ready();
    let clients: Vec<_> = (0..64)
        .map(|index| thread::spawn(move || exchange(port, format!("client {index}").as_bytes())))
        .collect();
    for (index, client) in clients.into_iter().enumerate() {
        assert_eq!(
            client.join().unwrap().unwrap(),
            format!("CLIENT {index}").into_bytes()
        );
    }
}

#[test]
fn stopping_closes_connections_and_frees_the_port() {
    let (guest_port, _server) = upper_case_server();
    let (relay, port) = relay_to(guest_port, None);
    let mut waiting = TcpStream::connect(("127.0.0.1", port)).unwrap();
    waiting
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    thread::sleep(Duration::from_millis(50));
    let started = Instant::now();
    drop(relay);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "stopping is quick"
    );
    let mut buffer = [0; 1];
    assert!(
        matches!(waiting.read(&mut buffer), Ok(0) | Err(_)),
        "the waiting client is closed"
    );
    TcpListener::bind(("127.0.0.1", port)).expect("the host port is free again");
}

#[test]
fn an_unreachable_guest_or_namespace_closes_the_client() {
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (relay, port) = relay_to(free, None);
    relay.guest_ready();
    assert_eq!(exchange(port, b"anyone?").unwrap_or_default(), b"");
    let (guest_port, _server) = upper_case_server();
    let (relay, port) = relay_to(guest_port, Some(PathBuf::from("/nonexistent/namespace")));
    relay.guest_ready();
    assert_eq!(exchange(port, b"anyone?").unwrap_or_default(), b"");
}

#[test]
fn a_taken_port_is_reported() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let error = bind(&[PortForward {
        host: port,
        guest: 80,
    }])
    .unwrap_err();
    assert!(
        error.to_string().contains(&format!("127.0.0.1:{port}")),
        "{error}"
    );
}

//! Relaying TCP from 127.0.0.1:HOST on the host into the guest inside its network namespace.
//!
//! A socket belongs to the namespace of the thread that created it, whatever thread uses it
//! later. So one thread enters the namespace (`setns`, safe through `nix`) and does nothing but
//! create sockets on request; every other thread stays in the host's namespace. Each accepted
//! connection gets a thread that waits until the guest has printed `ready` (so a client that
//! connects during boot is served as soon as the guest can answer), connects a namespace
//! socket to the guest and copies bytes both ways, passing half-closes on.

use std::collections::HashMap;
use std::io;
use std::net::{Shutdown, SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol, Socket, Type};

use super::error::FirecrackerError;
use crate::launcher::PortForward;

/// How long a connection keeps trying to reach the guest once it is ready.
const CONNECT_PATIENCE: Duration = Duration::from_secs(3);
/// Connections relayed at once; more are closed at once.
const MAX_CONNECTIONS: usize = 1024;
/// How long [`Relay`]'s drop waits for connection threads to finish.
const STOP_PATIENCE: Duration = Duration::from_secs(3);

/// Listeners bound on 127.0.0.1 for each forward, before anything else starts (a taken port
/// fails the launch early).
pub fn bind(forwards: &[PortForward]) -> Result<Vec<(PortForward, TcpListener)>, FirecrackerError> {
    forwards
        .iter()
        .map(|forward| {
            TcpListener::bind(("127.0.0.1", forward.host))
                .map(|listener| (*forward, listener))
                .map_err(|source| FirecrackerError::PortUnavailable {
                    port: forward.host,
                    source,
                })
        })
        .collect()
}

/// Where the factory sends one new socket.
type SocketReply = mpsc::Sender<io::Result<Socket>>;
/// Where threads ask the factory for a socket.
type SocketRequests = mpsc::Sender<SocketReply>;

/// State shared by every relay thread.
struct Shared {
    stopping: AtomicBool,
    ready: Mutex<bool>,
    changed: Condvar,
    /// Streams of live connections, shut down on stop; an empty map ends the stop's wait.
    connections: Mutex<HashMap<u64, Vec<TcpStream>>>,
    next_connection: AtomicU64,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A running relay; stopped (every thread joined or finished) when dropped.
pub struct Relay {
    shared: Arc<Shared>,
    acceptors: Vec<(SocketAddr, JoinHandle<()>)>,
    factory: Option<(SocketRequests, JoinHandle<()>)>,
}

impl Relay {
    /// Relays each listener to its guest port at `guest`, creating guest-side sockets inside
    /// the namespace bound at `namespace` (`None`: in this process's own namespace).
    pub fn start(
        listeners: Vec<(PortForward, TcpListener)>,
        namespace: Option<PathBuf>,
        guest: std::net::Ipv4Addr,
    ) -> Relay {
        let shared = Arc::new(Shared {
            stopping: AtomicBool::new(false),
            ready: Mutex::new(false),
            changed: Condvar::new(),
            connections: Mutex::new(HashMap::new()),
            next_connection: AtomicU64::new(0),
        });
        let (requests, incoming) = mpsc::channel::<SocketReply>();
        let factory = thread::spawn(move || socket_factory(namespace.as_deref(), &incoming));
        let acceptors = listeners
            .into_iter()
            .filter_map(|(forward, listener)| {
                let address = listener.local_addr().ok()?;
                let (shared, requests) = (Arc::clone(&shared), requests.clone());
                let target = SocketAddrV4::new(guest, forward.guest);
                Some((
                    address,
                    thread::spawn(move || accept_loop(&listener, &shared, &requests, target)),
                ))
            })
            .collect();
        Relay {
            shared,
            acceptors,
            factory: Some((requests, factory)),
        }
    }

    /// The guest printed `ready`: waiting connections go through.
    pub fn guest_ready(&self) {
        *lock(&self.shared.ready) = true;
        self.shared.changed.notify_all();
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.shared.changed.notify_all();
        for (address, acceptor) in self.acceptors.drain(..) {
            // Wakes the blocking accept; it then sees `stopping`.
            let _ = TcpStream::connect_timeout(&address, Duration::from_millis(200));
            let _ = acceptor.join();
        }
        let give_up = Instant::now() + STOP_PATIENCE;
        loop {
            let connections = lock(&self.shared.connections);
            if connections.is_empty() || Instant::now() >= give_up {
                break;
            }
            for stream in connections.values().flatten() {
                let _ = stream.shutdown(Shutdown::Both);
            }
            drop(connections);
            thread::sleep(Duration::from_millis(5));
        }
        if let Some((requests, factory)) = self.factory.take() {
            drop(requests);
            if lock(&self.shared.connections).is_empty() {
                let _ = factory.join();
            }
        }
    }
}

/// Enters the namespace, then answers each request with a new TCP socket made there.
fn socket_factory(namespace: Option<&Path>, requests: &mpsc::Receiver<SocketReply>) {
    let entered = namespace.map_or(Ok(()), |namespace| {
        std::fs::File::open(namespace)
            .and_then(|file| {
                nix::sched::setns(&file, nix::sched::CloneFlags::CLONE_NEWNET)
                    .map_err(io::Error::from)
            })
            .map_err(|error| {
                io::Error::new(
                    error.kind(),
                    format!("entering {}: {error}", namespace.display()),
                )
            })
    });
    for reply in requests {
        let socket = match &entered {
            Ok(()) => Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)),
            Err(error) => Err(io::Error::new(error.kind(), error.to_string())),
        };
        let _ = reply.send(socket);
    }
}

fn accept_loop(
    listener: &TcpListener,
    shared: &Arc<Shared>,
    requests: &SocketRequests,
    target: SocketAddrV4,
) {
    for client in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(client) = client else { continue };
        let id = shared.next_connection.fetch_add(1, Ordering::Relaxed);
        {
            let mut connections = lock(&shared.connections);
            if connections.len() >= MAX_CONNECTIONS {
                continue;
            }
            connections.insert(id, client.try_clone().into_iter().collect());
        }
        let (shared, requests) = (Arc::clone(shared), requests.clone());
        thread::spawn(move || {
            relay_connection(&client, &shared, &requests, target, id);
            lock(&shared.connections).remove(&id);
        });
    }
}

fn relay_connection(
    client: &TcpStream,
    shared: &Shared,
    requests: &SocketRequests,
    target: SocketAddrV4,
    id: u64,
) {
    {
        let mut ready = lock(&shared.ready);
        while !*ready && !shared.stopping.load(Ordering::SeqCst) {
            ready = shared
                .changed
                .wait(ready)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
    let Some(guest) = connect_to_guest(shared, requests, target) else {
        return;
    };
    if let Some(streams) = lock(&shared.connections).get_mut(&id) {
        streams.extend(guest.try_clone());
    }
    if shared.stopping.load(Ordering::SeqCst) {
        return;
    }
    let _ = client.set_nodelay(true);
    let _ = guest.set_nodelay(true);
    let (Ok(client_reader), Ok(client_writer), Ok(guest_writer)) =
        (client.try_clone(), client.try_clone(), guest.try_clone())
    else {
        return;
    };
    let upstream = thread::spawn(move || copy_then_close(client_reader, guest_writer));
    copy_then_close(guest, client_writer);
    let _ = upstream.join();
}

/// Copies until `from` ends, then passes the end on to `to`.
fn copy_then_close(mut from: TcpStream, mut to: TcpStream) {
    let _ = io::copy(&mut from, &mut to);
    let _ = to.shutdown(Shutdown::Write);
    let _ = from.shutdown(Shutdown::Read);
}

fn connect_to_guest(
    shared: &Shared,
    requests: &SocketRequests,
    target: SocketAddrV4,
) -> Option<TcpStream> {
    let give_up = Instant::now() + CONNECT_PATIENCE;
    while !shared.stopping.load(Ordering::SeqCst) {
        let (reply, answer) = mpsc::channel();
        requests.send(reply).ok()?;
        let socket = answer.recv().ok()?.ok()?;
        let remaining = give_up.saturating_duration_since(Instant::now());
        match socket.connect_timeout(
            &SocketAddr::V4(target).into(),
            remaining.max(Duration::from_millis(1)),
        ) {
            Ok(()) => return Some(socket.into()),
            Err(_) if Instant::now() < give_up => thread::sleep(Duration::from_millis(20)),
            Err(_) => return None,
        }
    }
    None
}

#[cfg(test)]
#[path = "relay_tests.rs"]
mod tests;

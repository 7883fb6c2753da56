//! Connections: echo both ways, the server closing or resetting, refusal, timeouts, the
//! connection bound, cancellation and shutdown.
use sauce_connect::{Read, Write};

use super::*;
use crate::{ConnectError, StreamError};

/// A pattern of `length` bytes that shows reordering and loss.
fn pattern(length: usize, salt: usize) -> Vec<u8> {
    (0..length)
        .map(|index| ((index * 31 + salt) % 251) as u8)
        .collect()
}

#[test]
fn bytes_are_echoed_both_ways_through_small_buffers() {
    let mut network = Network::new(LIMITS, &[]);
    let listener = listen(&mut network.server, 7);
    let connector = network.connector.clone();
    let received = network.run(20_000, &mut |stack| echo(stack, listener), async {
        let mut stream = connector.connect_to(SERVER, 7).await.unwrap();
        assert_eq!(stream.remote().port, 7);
        let mut received = Vec::new();
        // 64 KiB in rounds of 1.5 KiB: more than every buffer on the way holds.
        for round in 0..44 {
            let chunk = pattern(1536, round);
            stream.write_all(&chunk).await.unwrap();
            stream.flush().await.unwrap();
            let mut back = vec![0u8; chunk.len()];
            stream.read_exact(&mut back).await.unwrap();
            received.extend_from_slice(&back);
        }
        received
    });
    let expected: Vec<u8> = (0..44).flat_map(|round| pattern(1536, round)).collect();
    assert_eq!(received, expected);
}

#[test]
fn a_server_that_sends_then_closes_is_read_to_the_end() {
    let mut network = Network::new(LIMITS, &[]);
    let listener = listen(&mut network.server, 80);
    let payload = pattern(48 * 1024, 3);
    let mut sent = 0;
    let mut closed = false;
    let mut server = |stack: &mut NetworkStack<MemoryLink>| {
        let socket = stack.socket_mut::<tcp::Socket>(listener);
        if socket.may_send() && sent < payload.len() {
            sent += socket.send_slice(&payload[sent..]).unwrap();
        }
        if sent == payload.len() && !closed {
            socket.close();
            closed = true;
        }
    };
    let connector = network.connector.clone();
    let (received, end) = network.run(20_000, &mut server, async {
        let mut stream = connector.connect_to(SERVER, 80).await.unwrap();
        let mut received = Vec::new();
        let mut buffer = [0u8; 700];
        loop {
            match stream.read(&mut buffer).await.unwrap() {
                0 => break,
                count => received.extend_from_slice(&buffer[..count]),
            }
        }
        // Half-closed by the server: writing still works, then our own shutdown.
        stream.write_all(b"thanks").await.unwrap();
        let end = stream.shutdown().await;
        (received, end)
    });
    assert_eq!(received, payload);
    assert_eq!(end, Ok(()));
    let socket = network.server.socket_mut::<tcp::Socket>(listener);
    let mut thanks = [0u8; 6];
    assert_eq!(socket.recv_slice(&mut thanks), Ok(6));
    assert_eq!(&thanks, b"thanks");
}

#[test]
fn a_reset_from_the_server_ends_reads_and_writes() {
    let mut network = Network::new(LIMITS, &[]);
    let listener = listen(&mut network.server, 5432);
    let mut greeted = false;
    let mut server = |stack: &mut NetworkStack<MemoryLink>| {
        let socket = stack.socket_mut::<tcp::Socket>(listener);
        if socket.may_send() && !greeted {
            socket.send_slice(b"hello").unwrap();
            greeted = true;
        } else if greeted && socket.send_queue() == 0 && socket.is_active() {
            socket.abort();
        }
    };
    let connector = network.connector.clone();
    let outcome = network.run(5_000, &mut server, async {
        let mut stream = connector.connect_to(SERVER, 5432).await.unwrap();
        let mut greeting = [0u8; 5];
        stream.read_exact(&mut greeting).await.unwrap();
        let mut more = [0u8; 1];
        let read = stream.read(&mut more).await;
        let write = stream.write(b"x").await;
        (greeting, read, write)
    });
    assert_eq!(&outcome.0, b"hello");
    assert_eq!(outcome.1, Err(StreamError::Reset));
    assert_eq!(outcome.2, Err(StreamError::Reset));
}

#[test]
fn a_closed_port_refuses_and_a_silent_address_times_out() {
    let mut network = Network::new(LIMITS, &[]);
    let connector = network.connector.clone();
    let refused = network.run(1_000, &mut quiet, connector.connect_to(SERVER, 9));
    assert_eq!(refused.map(|_| ()), Err(ConnectError::Refused));
    let started = network.now_ms;
    let silent = network.run(2_000, &mut quiet, connector.connect_to(NOBODY, 9));
    assert_eq!(silent.map(|_| ()), Err(ConnectError::TimedOut));
    let took = network.now_ms - started;
    assert!((400..500).contains(&took), "gave up after {took} ms");
    let unaddressable = network.run(10, &mut quiet, connector.connect_to(SERVER, 0));
    assert_eq!(unaddressable.map(|_| ()), Err(ConnectError::Unaddressable));
}

#[test]
fn connections_beyond_the_bound_fail_at_once_and_slots_come_back() {
    let mut network = Network::new(LIMITS, &[]);
    let listener = listen(&mut network.server, 7);
    let mut listeners = vec![
        listener,
        listen(&mut network.server, 7),
        listen(&mut network.server, 7),
    ];
    let connector = network.connector.clone();
    let mut streams = Vec::new();
    for _ in 0..LIMITS.max_connections {
        let stream = network.run(1_000, &mut quiet, connector.connect_to(SERVER, 7));
        streams.push(stream.unwrap());
    }
    let one_more = network.run(10, &mut quiet, connector.connect_to(SERVER, 7));
    assert_eq!(one_more.map(|_| ()), Err(ConnectError::TooManyConnections));
    // One closed gracefully, one reset: both slots come back once their sockets close.
    streams.pop().unwrap().abort();
    drop(streams.pop());
    let mut server = |stack: &mut NetworkStack<MemoryLink>| {
        for handle in &listeners {
            let socket = stack.socket_mut::<tcp::Socket>(*handle);
            if socket.state() == tcp::State::CloseWait {
                socket.close();
            }
        }
    };
    network.idle(300, &mut server);
    for handle in listeners.iter_mut() {
        let socket = network.server.socket_mut::<tcp::Socket>(*handle);
        if !socket.is_open() {
            socket.listen(7).unwrap();
        }
    }
    for _ in 0..2 {
        let again = network.run(1_000, &mut quiet, connector.connect_to(SERVER, 7));
        streams.push(again.unwrap());
    }
}

#[test]
fn a_connect_or_read_dropped_midway_loses_nothing() {
    let mut network = Network::new(LIMITS, &[]);
    let listener = listen(&mut network.server, 7);
    let connector = network.connector.clone();
    let mut stream = network
        .run(1_000, &mut quiet, connector.connect_to(SERVER, 7))
        .unwrap();
    // Cancelled while connecting, over and over: the slots come back. (The server's address
    // is resolved first: smoltcp sends at most one ARP request a second, for any address.)
    for _ in 0..LIMITS.max_connections * 2 {
        let mut connect = Box::pin(connector.connect_to(NOBODY, 7));
        assert!(poll_once(connect.as_mut()).is_pending());
        network.idle(3, &mut quiet);
        drop(connect);
        network.idle(LIMITS.close_timeout_ms + 10, &mut quiet);
    }
    // A read that is waiting when it is dropped takes nothing from the next one.
    {
        let mut buffer = [0u8; 4];
        let mut read = Box::pin(stream.read(&mut buffer));
        assert!(poll_once(read.as_mut()).is_pending());
    }
    let socket = network.server.socket_mut::<tcp::Socket>(listener);
    socket.send_slice(b"data").unwrap();
    let read = network.run(1_000, &mut quiet, async {
        let mut buffer = [0u8; 4];
        stream.read_exact(&mut buffer).await.map(|()| buffer)
    });
    assert_eq!(read.unwrap(), *b"data");
    let shut = network.run(1_000, &mut quiet, stream.shutdown());
    assert_eq!(shut, Ok(()));
    let written = network.run(10, &mut quiet, stream.write(b"late"));
    assert_eq!(written, Err(StreamError::WriteAfterShutdown));
}

#[test]
fn a_connector_whose_service_never_started_says_so() {
    let (_service, connector) = OutboundService::new(LIMITS, crate::DnsSettings::fixed(&[]), 1);
    let mut network = Network::new(LIMITS, &[]);
    let outcome = network.run(10, &mut quiet, connector.connect_to(SERVER, 7));
    assert_eq!(outcome.map(|_| ()), Err(ConnectError::NotRunning));
}

//! Feeds arbitrary server-first and server-final messages to a SCRAM exchange: no panic, and
//! the iteration cap holds (the exchange stays fast).
#![no_main]
use core::future::Future;
use core::task::{Context, Poll, Waker};

use libfuzzer_sys::fuzz_target;
use sauce_postgres::authentication::Scram;

/// Polls `future` until it completes (the key derivation yields between pieces).
fn complete<F: Future>(future: F) -> F::Output {
    let mut future = core::pin::pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

fuzz_target!(|input: &[u8]| {
    let (first, last) = match input.iter().position(|&byte| byte == b'\n') {
        Some(split) => (&input[..split], &input[split + 1..]),
        None => (input, &[][..]),
    };
    let mut exchange = Scram::new("", b"password", "fyko+d2lbbFgONRv9qkxdawL");
    let _ = exchange.verify_server_final(last);
    if complete(exchange.client_final(first, 8)).is_ok() {
        let _ = exchange.verify_server_final(last);
    }
});

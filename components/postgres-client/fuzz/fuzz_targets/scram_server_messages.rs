//! Feeds arbitrary server-first and server-final messages to a SCRAM exchange: no panic, and
//! the iteration cap holds (the exchange stays fast).
#![no_main]
use libfuzzer_sys::fuzz_target;
use sauce_postgres::authentication::Scram;

fuzz_target!(|input: &[u8]| {
    let (first, last) = match input.iter().position(|&byte| byte == b'\n') {
        Some(split) => (&input[..split], &input[split + 1..]),
        None => (input, &[][..]),
    };
    let mut exchange = Scram::new("", b"password", "fyko+d2lbbFgONRv9qkxdawL");
    let _ = exchange.verify_server_final(last);
    if exchange.client_final(first, 8).is_ok() {
        let _ = exchange.verify_server_final(last);
    }
});

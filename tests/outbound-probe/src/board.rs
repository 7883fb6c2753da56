//! The probe's call from the board, and how it prints a reply.
use alloc::string::String;
use core::fmt::Write as _;

/// The most reply bytes the probe keeps.
pub const REPLY_LIMIT: usize = 256;

/// `bytes` as printable ASCII: other bytes as `\xNN`, a newline as `\n`.
pub fn printable(bytes: &[u8]) -> String {
    let mut text = String::new();
    for byte in bytes {
        match byte {
            b'\n' => text.push_str("\\n"),
            b'"' | b'\\' => {
                text.push('\\');
                text.push(char::from(*byte));
            }
            0x20..=0x7E => text.push(char::from(*byte)),
            _ => {
                let _ = write!(text, "\\x{byte:02x}");
            }
        }
    }
    text
}

#[cfg(target_os = "none")]
pub use kernel::spawn;

#[cfg(target_os = "none")]
mod kernel {
    use alloc::borrow::ToOwned;
    use alloc::string::String;
    use alloc::vec::Vec;

    use sauce_connect::{Connector, Read, Write};
    use sauce_core::command_line::CommandLine;
    use sauce_executor::Executor;
    use sauce_outbound_tcp::TcpConnector;

    use super::{printable, REPLY_LIMIT};

    /// Connects to `host`:`port`, sends a line, reads until the server closes.
    async fn exchange(connector: &TcpConnector, host: &str, port: u16) -> Result<Vec<u8>, String> {
        let mut stream = connector
            .connect(host, port)
            .await
            .map_err(|error| alloc::format!("connect: {error}"))?;
        stream
            .write_all(b"hello from the guest\n")
            .await
            .map_err(|error| alloc::format!("write: {error}"))?;
        let mut reply = Vec::new();
        let mut buffer = [0u8; 64];
        loop {
            let count = stream
                .read(&mut buffer)
                .await
                .map_err(|error| alloc::format!("read: {error}"))?;
            if count == 0 {
                break;
            }
            let room = REPLY_LIMIT.saturating_sub(reply.len());
            reply.extend_from_slice(&buffer[..count.min(room)]);
        }
        stream
            .shutdown()
            .await
            .map_err(|error| alloc::format!("shutdown: {error}"))?;
        Ok(reply)
    }

    async fn probe(connector: TcpConnector, targets: Vec<(&'static str, String)>, port: u16) {
        for (how, host) in targets {
            match exchange(&connector, &host, port).await {
                Ok(reply) => {
                    sauce_runtime::info!("probe: {how} {host} received \"{}\"", printable(&reply))
                }
                Err(error) => sauce_runtime::info!("probe: {how} {host} failed: {error}"),
            }
        }
        sauce_runtime::info!("probe: done");
    }

    /// Spawns the probe on `executor`, with its targets from `command_line`.
    pub fn spawn(executor: &Executor, connector: TcpConnector, command_line: &CommandLine<'_>) {
        let port = command_line
            .get("probe.port")
            .and_then(|port| port.parse().ok())
            .unwrap_or(7);
        let mut targets = Vec::new();
        if let Some(host) = command_line.get("probe.host") {
            targets.push(("address", host.to_owned()));
        }
        if let Some(name) = command_line.get("probe.name") {
            targets.push(("name", name.to_owned()));
        }
        executor
            .spawn(probe(connector, targets, port))
            .unwrap_or_else(|error| panic!("executor: {error:?}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_print_escaped() {
        assert_eq!(
            printable(b"hi \"you\"\n\x00\xff"),
            "hi \\\"you\\\"\\n\\x00\\xff"
        );
    }
}

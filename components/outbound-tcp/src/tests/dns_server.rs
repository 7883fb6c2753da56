//! A tiny DNS server for the tests: answers A queries on UDP port 53 of the server's stack
//! from a table, NXDOMAIN for other names, and counts the queries it saw.
use sauce_tcp_ip::smoltcp;
use sauce_tcp_ip::{MemoryLink, NetworkStack};
use smoltcp::iface::SocketHandle;
use smoltcp::socket::udp;
use smoltcp::wire::Ipv4Address;

pub struct DnsServer {
    socket: SocketHandle,
    names: Vec<(String, Ipv4Address)>,
    pub queries: usize,
}

impl DnsServer {
    /// Binds port 53 of `stack`, answering for `names`.
    pub fn new(stack: &mut NetworkStack<MemoryLink>, names: &[(&str, Ipv4Address)]) -> DnsServer {
        let buffer =
            || udp::PacketBuffer::new(vec![udp::PacketMetadata::EMPTY; 4], vec![0u8; 2048]);
        let mut socket = udp::Socket::new(buffer(), buffer());
        socket.bind(53).unwrap();
        DnsServer {
            socket: stack.add_socket(socket),
            names: names
                .iter()
                .map(|(name, address)| ((*name).to_owned(), *address))
                .collect(),
            queries: 0,
        }
    }

    /// Answers every query waiting.
    pub fn serve(&mut self, stack: &mut NetworkStack<MemoryLink>) {
        let socket = stack.socket_mut::<udp::Socket>(self.socket);
        let mut buffer = [0u8; 512];
        while let Ok((length, metadata)) = socket.recv_slice(&mut buffer) {
            self.queries += 1;
            if let Some(answer) = self.answer(&buffer[..length]) {
                socket.send_slice(&answer, metadata.endpoint).unwrap();
            }
        }
    }

    /// The response to `query`: the question echoed, one A record or NXDOMAIN.
    fn answer(&self, query: &[u8]) -> Option<Vec<u8>> {
        let mut labels = Vec::new();
        let mut at = 12;
        loop {
            let length = usize::from(*query.get(at)?);
            at += 1;
            if length == 0 {
                break;
            }
            labels.push(
                std::str::from_utf8(query.get(at..at + length)?)
                    .ok()?
                    .to_owned(),
            );
            at += length;
        }
        let question_end = at + 4;
        let name = labels.join(".");
        let address = self
            .names
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(&name))
            .map(|(_, address)| *address);
        let mut answer = Vec::new();
        answer.extend_from_slice(query.get(0..2)?);
        let flags: u16 = if address.is_some() { 0x8180 } else { 0x8183 };
        answer.extend_from_slice(&flags.to_be_bytes());
        answer.extend_from_slice(&1u16.to_be_bytes());
        answer.extend_from_slice(&u16::from(address.is_some()).to_be_bytes());
        answer.extend_from_slice(&[0, 0, 0, 0]);
        answer.extend_from_slice(query.get(12..question_end)?);
        if let Some(address) = address {
            answer.extend_from_slice(&[0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
            answer.extend_from_slice(&address.octets());
        }
        Some(answer)
    }
}

//! The dhcp-client component's contract with the board: provides `address-client`.
use alloc::boxed::Box;

use sauce_tcp_ip::AddressClient;

use crate::DhcpClient;

/// A DHCP client for the stack to start when its address is `dhcp`.
pub fn init() -> Box<dyn AddressClient> {
    Box::new(DhcpClient::new())
}

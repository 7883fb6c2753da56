//! DHCPv4 client for the `tcp-ip` component: leases the interface's address and gateway,
//! renews the lease, and drops the address when it ends.
//!
//! [`DhcpClient`] is an [`AddressClient`]: the stack starts it when it comes up with
//! `ip=dhcp` (from `[network] ip = "dhcp"` or the kernel command line) and polls it after
//! every interface poll. The protocol itself is `smoltcp`'s DHCP socket; this crate turns its
//! events into [`NetworkEvent`]s. The `smoltcp` DHCP features are enabled by this crate's
//! manifest, so an image without it (a static address) carries no DHCP code at all.
//!
//! # Map
//! - [`client`]: the [`DhcpClient`] type.
//!
//! # What the generated board calls
//! ```text
//! // stage net: tcp-ip with dhcp-client, because [network] ip = "dhcp"
//! let stack = NetworkStack::with_address_client(
//!     device, configuration, milliseconds(), seed,
//!     alloc::boxed::Box::new(sauce_dhcp_client::DhcpClient::new()),
//! ).unwrap_or_else(|error| panic!("network: {error}"));
//! // in the network task, after each step: log the lease
//! if let Some(event) = stack.take_event() { info!("dhcp: {event}") }
//! ```
//! A board without this component calls `NetworkStack::new`, which refuses `ip=dhcp` with a
//! hint instead of waiting for a lease that can never come.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod client;

pub use client::DhcpClient;
pub use sauce_tcp_ip::{AddressClient, NetworkEvent};

//! DHCPv4 client for the `tcp-ip` component: leases the interface's address, gateway and DNS
//! servers, renews the lease, and drops the address when it ends.
//!
//! [`DhcpClient`] is an [`AddressClient`]: the stack starts it when it comes up with
//! `ip=dhcp` (from `[network] ip = "dhcp"` or the kernel command line) and polls it after
//! every interface poll. The protocol itself is `smoltcp`'s DHCP socket; this crate turns its
//! events into [`NetworkEvent`]s. The `smoltcp` DHCP features are enabled by this crate's
//! manifest, so an image without it (a static address) carries no DHCP code at all.
//!
//! # Map
//! - [`board`]: the component's contract with the generated board: `init` provides
//!   `address-client`, which the `tcp-ip` component's stack starts when the address is `dhcp`.
//! - [`client`]: the [`DhcpClient`] type.
//!
//! A board without this component brings the stack up with no address client, and the stack
//! refuses `ip=dhcp` with a hint instead of waiting for a lease that can never come.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod board;
pub mod client;

pub use client::DhcpClient;
pub use sauce_tcp_ip::{AddressClient, DnsServers, NetworkEvent};

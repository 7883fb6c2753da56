//! TCP/IPv4 on smoltcp: a static address or one an address client leases (the `dhcp-client`
//! component), ARP with a gateway warm-up, ICMP echo.
//!
//! The stack is sans-IO like the rest of the kernel's logic: it owns a `smoltcp` device and
//! reads no clock; the caller polls it with the time in milliseconds when the device
//! interrupts or when [`NetworkStack::poll_delay`] elapses. Applications (the HTTP service)
//! add their sockets to it and move bytes through them between polls.
//!
//! # Map
//! - [`board`]: the component's contract with the generated board: [`board::Configuration`],
//!   the heap each service may plan with, and (images only) `init` and the network task.
//! - [`configuration`]: [`NetworkConfiguration`], [`Addressing`] and parsing `ip=` / `gw=`
//!   from the kernel command line over the board's defaults.
//! - [`stack`]: [`NetworkStack`]: interface, socket set, device, and the address client; one
//!   turn of the network loop for the services ([`NetworkStack::step`]).
//! - [`service`]: [`NetworkService`], a protocol over the stack's [`Sockets`] (HTTP, echo…).
//! - [`address_client`]: [`AddressClient`], the hook the `dhcp-client` component implements,
//!   and the [`NetworkEvent`]s it reports (with the lease's [`DnsServers`]), which the network
//!   loop logs and hands to every service ([`NetworkService::network_changed`]). Without
//!   that component the image carries no DHCP code: this crate does not enable `smoltcp`'s
//!   DHCP features.
//! - [`gateway_warm_up`]: the one ARP request for the gateway sent at start-up, and why.
//! - `syn_gate` (private): SYNs a full listener would reset are held instead (dropped, so the
//!   client retransmits), as a Linux listener with a full backlog does
//!   ([`Sockets::hold_syns`], one gate per served port).
//! - [`memory_link`]: [`MemoryLink`], an in-memory Ethernet cable for host tests.
//! - [`test_frames`]: frames a host test plays the gateway with, and readers for what the
//!   stack sent (used by this crate's tests and by components built on it).
//!
//! # Rules
//! 1. Nothing here reads a clock: every time is the caller's `now_ms`, so host tests run
//!    on a simulated clock.
//! 2. Socket slots are reserved at start-up ([`NetworkConfiguration::socket_capacity`]);
//!    socket buffers are allocated when a socket is added. Polling, receiving and
//!    transmitting allocate nothing (`smoltcp` works in those buffers).
//! 3. As soon as the interface has an address and a gateway (at start-up for a static
//!    address, on each lease of the address client), the next poll sends one ARP request for the gateway
//!    before anything else, so the first reply to a client is not held up by address
//!    resolution.
//! 4. Echo requests are answered by the interface itself (`smoltcp`'s
//!    `auto-icmp-echo-reply`); no socket is needed.
//! 5. Settings are checked before use ([`NetworkConfiguration::check`]): network or command
//!    line input never makes the stack panic.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod address_client;
pub mod board;
pub mod configuration;
pub mod gateway_warm_up;
pub mod memory_link;
pub mod service;
pub mod stack;
mod syn_gate;
pub mod test_frames;

pub use address_client::{AddressClient, DnsServers, NetworkEvent};
pub use configuration::{
    parse_gateway, Addressing, ConfigurationError, NetworkConfiguration, DEFAULT_SOCKET_CAPACITY,
};
pub use memory_link::MemoryLink;
pub use service::{Activity, NetworkService, Sockets};
pub use smoltcp;
pub use stack::{NetworkStack, Polled};

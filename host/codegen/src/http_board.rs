//! The generated `src/main.rs` of an HTTP service: heap, virtio network device, TCP/IP, the
//! routes compiled in, and the network task on the executor, stage by stage.
//!
//! This thin version links both virtio transports and picks at boot (virtio-mmio devices named
//! on the command line first, then PCI), so one image serves on microvm, q35 and Firecracker;
//! the selector of the intent language will pick one transport from `[target]`.

use std::fmt::Write;

use sauce_intent::{Http, Intent};

use crate::comment_safe;

/// Heap for the sockets (129 × 6 KiB), the device's buffers and the executor.
const HEAP_BYTES: usize = 4 << 20;
/// The address QEMU's user networking expects when `[network]` says nothing.
const DEFAULT_ADDRESS: &str = "10.0.2.15/24";
const DEFAULT_GATEWAY: &str = "10.0.2.2";

/// Renders the board for an intent with `[http]`.
pub fn render(intent: &Intent, http: &Http) -> String {
    let name = &intent.app.name;
    let manifest = comment_safe(&intent.manifest_path);
    let ip = intent.network.ip.as_deref().unwrap_or(DEFAULT_ADDRESS);
    let gateway = intent.network.gateway.as_deref().unwrap_or(DEFAULT_GATEWAY);
    let mut routes = String::new();
    for route in &http.routes {
        let _ = writeln!(
            routes,
            "    // [[http.route]] path = {path:?}\n    Route::response({path:?}, Methods::GET, Response::new({status}, {content_type:?}, {body:?}.as_bytes())),",
            path = route.path,
            status = route.status,
            content_type = route.content_type,
            body = route.body,
        );
    }
    format!(
        r#"//! Board `{name}`: the image sauce generated from {manifest}; do not edit.
#![no_std]
#![no_main]

extern crate alloc;

use sauce_executor::{{Executor, Instant, InterruptSignal}};
use sauce_http_server::{{Configuration, Methods, Response, Route, Router, Server}};
use sauce_http_service::HttpService;
use sauce_runtime::{{clock, info, Platform}};
use sauce_tcp_ip::{{NetworkConfiguration, NetworkStack}};
use sauce_virtio_common::virtio_drivers::transport::{{DeviceType, SomeTransport}};
use sauce_virtio_net::VirtioNet;

/// [http] → the general-purpose heap: connections come and go, and their memory is reused.
#[global_allocator]
static HEAP: sauce_heap_talc::TalcHeap = sauce_heap_talc::TalcHeap::new();
const HEAP_BYTES: usize = {HEAP_BYTES};

/// [[http.route]] ×{count}, compiled in.
static ROUTES: [Route; {count}] = [
{routes}];

/// [network] ip = {ip:?}, gateway = {gateway:?} (the command line's ip= and gw= win).
const ADDRESS: &str = {ip:?};
const GATEWAY: &str = {gateway:?};
/// [http] port = {port}
const PORT: u16 = {port};

/// The HTTP server's limits: 128 connections at once (one more gets 503), each socket with a
/// 2 KiB receive and 4 KiB send buffer (about 0.8 MiB for all 129).
const SERVER: Configuration = Configuration {{ max_connections: 128, ..Configuration::DEFAULT }};
const RECEIVE_BUFFER: usize = 2 * 1024;
const SEND_BUFFER: usize = 4 * 1024;

/// Raised by the network device's interrupt handler.
static NETWORK_INTERRUPT: InterruptSignal = InterruptSignal::new();
/// How long a polled device (one whose interrupt could not be routed) waits between looks.
const POLL_INTERVAL_MS: u64 = 1;

sauce_runtime::entry!(board);

/// Initialises each component stage by stage, then runs the app.
fn board(mut platform: Platform) -> ! {{
    // stage memory: heap-talc, because [http] serves connections that come and go
    HEAP.init(platform.take_heap_region(HEAP_BYTES));

    // stage driver: virtio-mmio (microvm, Firecracker) or virtio-pci (q35), then virtio-net
    let (transport, mmio_routed, pci_location) = network_transport(&platform);
    let device = VirtioNet::new(transport).unwrap_or_else(|error| panic!("virtio-net: {{error}}"));
    // virtio-pci's MSI-X is routed once the driver has set the device up (a reset clears it)
    let interrupt_driven = mmio_routed
        || pci_location.is_some_and(|location| sauce_virtio_pci::enable_interrupt(location, || NETWORK_INTERRUPT.notify()));

    // stage net: tcp-ip with [network]'s address
    let defaults = NetworkConfiguration {{
        address: sauce_tcp_ip::Addressing::parse(ADDRESS).expect("sauce checked [network] ip"),
        gateway: sauce_tcp_ip::parse_gateway(GATEWAY).expect("sauce checked [network] gateway"),
        mac: device.mac_address(),
        socket_capacity: SERVER.max_connections + 2,
    }};
    let command_line = platform.command_line();
    let configuration = NetworkConfiguration::from_command_line(defaults, |key| command_line.get(key))
        .unwrap_or_else(|error| panic!("network configuration: {{error}}"));
    let seed = sauce_runtime::arch::cpu::read_time_stamp_counter();
    let stack = NetworkStack::new(device, configuration, milliseconds(), seed)
        .unwrap_or_else(|error| panic!("network: {{error}}"));
    // stage app: http-server with [[http.route]] ×{count}, http-service on [http] port = {port}
    let server = Server::new(Router::new(&ROUTES), SERVER);
    let service = HttpService::new(server, PORT, SERVER.max_connections + 1)
        .with_buffer_sizes(RECEIVE_BUFFER, SEND_BUFFER);
    let platform = platform.ready();
    // Logged after `ready`: formatting is costly the first time it runs under TCG.
    let mode = if interrupt_driven {{ "interrupt-driven" }} else {{ "polled" }};
    match stack.address() {{
        Some(address) => info!("network: {{address}}, {{mode}}"),
        None => info!("network: waiting for DHCP, {{mode}}"),
    }}
    let mut executor = Executor::new(16);
    executor
        .spawn(serve(stack, service, interrupt_driven))
        .unwrap_or_else(|error| panic!("executor: {{error:?}}"));
    drop(platform);
    executor.run(sauce_executor::kernel::platform())
}}

/// The first virtio network device: virtio-mmio devices named on the command line first, then
/// PCI. Also says whether a virtio-mmio device's interrupt is routed, or where the PCI device is.
fn network_transport(platform: &Platform) -> (SomeTransport<'static>, bool, Option<sauce_virtio_pci::Location>) {{
    let mmio = sauce_virtio_mmio::discover(&platform.command_line());
    if let Some(device) = mmio.into_iter().find(|device| device.device_type == DeviceType::Network) {{
        let routed = sauce_virtio_mmio::enable_interrupt(&device, || NETWORK_INTERRUPT.notify());
        return (device.transport.into(), routed, None);
    }}
    match sauce_virtio_pci::discover().into_iter().find(|device| device.device_type == DeviceType::Network) {{
        Some(device) => (device.transport.into(), false, Some(device.location)),
        None => panic!("no virtio network device: start the VM with one (sauce run adds it)"),
    }}
}}

fn milliseconds() -> u64 {{
    clock::now_nanoseconds() / 1_000_000
}}

/// The network task: poll the stack, serve the sockets, sleep until the device interrupts or
/// the next timeout.
async fn serve<D: sauce_tcp_ip::smoltcp::phy::Device>(mut stack: NetworkStack<D>, mut service: HttpService, interrupt_driven: bool) {{
    loop {{
        let now = milliseconds();
        let mut deadline = service.step(&mut stack, now);
        if !interrupt_driven {{
            let next_look = now + POLL_INTERVAL_MS;
            deadline = Some(deadline.map_or(next_look, |deadline| deadline.min(next_look)));
        }}
        let wake = deadline.map_or(u64::MAX / 2, |deadline| deadline.saturating_mul(1_000_000));
        NETWORK_INTERRUPT.wait_until(Instant::from_nanoseconds(wake)).await;
    }}
}}
"#,
        count = http.routes.len(),
        port = http.port,
    )
}

/// The components an HTTP board depends on, as `(package, folder under the source root)`.
pub const COMPONENTS: [(&str, &str); 9] = [
    ("sauce-heap-talc", "components/heap-talc"),
    ("sauce-executor", "components/executor"),
    ("sauce-virtio-common", "components/virtio-common"),
    ("sauce-virtio-mmio", "components/virtio-mmio"),
    ("sauce-virtio-pci", "components/virtio-pci"),
    ("sauce-virtio-net", "components/virtio-net"),
    ("sauce-tcp-ip", "components/tcp-ip"),
    ("sauce-http-server", "components/http-server"),
    ("sauce-http-service", "components/http-service"),
];

#!/usr/bin/env python3
"""Bytes each component adds to an image: the `estimated_size` of every component.toml.

Method (docs/design/0008-catalog-components.md):
1. Differential, where a component can be left out: build two boards that differ only by the
   component (and the one call that uses it) and subtract their loadable bytes (.text, .rodata,
   .data, .note: what the image file carries, without .bss and page padding).
2. Attribution, for the HTTP stack whose parts cannot be built alone (virtio-common,
   virtio-net, tcp-ip, http-server, http-service): their measured total (the HTTP board minus
   the executor board minus both transports' differentials) is split in proportion to the
   symbol bytes `nm --size-sort` gives each of them in the HTTP board (a symbol belongs to a
   component by its demangled path: smoltcp -> tcp-ip, virtio_drivers' transport::mmio ->
   virtio-mmio, ...). Inlining moves code into its callers and anonymous .rodata belongs to no
   symbol, so raw symbol sums undercount; the split keeps the measured total.

Every board is built like a generated one (opt-level "s", LTO, one codegen unit, abort on
panic) but unstripped, under $SAUCE_CACHE/component-sizes, with the repository root as cargo's
working folder (so .cargo/config.toml's kernel link flags apply).

Usage: SAUCE_CACHE=/path python3 bench/component_sizes.py [--keep-going]
"""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("SAUCE_CACHE") or Path.home() / ".cache" / "sauce").resolve()
BOARDS = CACHE / "component-sizes"
TARGET = "x86_64-unknown-none"

PACKAGES = {
    "runtime": ("sauce-runtime", "kernel/runtime"),
    "heap-bump": ("sauce-heap-bump", "components/heap-bump"),
    "heap-talc": ("sauce-heap-talc", "components/heap-talc"),
    "executor": ("sauce-executor", "components/executor"),
    "serial-console": ("sauce-serial-console", "components/serial-console"),
    "vga-console": ("sauce-vga-console", "components/vga-console"),
    "virtio-common": ("sauce-virtio-common", "components/virtio-common"),
    "virtio-mmio": ("sauce-virtio-mmio", "components/virtio-mmio"),
    "virtio-pci": ("sauce-virtio-pci", "components/virtio-pci"),
    "virtio-net": ("sauce-virtio-net", "components/virtio-net"),
    "tcp-ip": ("sauce-tcp-ip", "components/tcp-ip"),
    "dhcp-client": ("sauce-dhcp-client", "components/dhcp-client"),
    "http-server": ("sauce-http-server", "components/http-server"),
    "http-service": ("sauce-http-service", "components/http-service"),
    "static-files": ("sauce-static-files", "components/static-files"),
}

MANIFEST = """[package]
name = "sauce-size-{name}"
version = "0.1.0"
edition = "2021"
publish = false

[[bin]]
name = "size-{name}"
path = "src/main.rs"
test = false
bench = false

[dependencies]
{dependencies}
[profile.release]
opt-level = "s"
lto = true
codegen-units = 1
panic = "abort"
debug = false
strip = false

[workspace]
"""

SERIAL_BOARD = """#![no_std]
#![no_main]
@PRELUDE@
sauce_runtime::entry!(board);

fn board(mut platform: sauce_runtime::Platform) -> ! {
    let _ = &mut platform;
@INIT@
    let platform = platform.ready();
    sauce_runtime::println!("Hello from SauceOS!");
@RUN@
    platform.exit(sauce_runtime::Exit::Success)
}
"""

HEAP_USE = """    let boxed = alloc::boxed::Box::new(platform.summary().tsc_hz);
    sauce_runtime::println!("boxed {}", *boxed);
    drop(boxed);"""

EXECUTOR_USE = """    let mut executor = sauce_executor::Executor::new(4);
    executor
        .spawn(async { sauce_executor::sleep(core::time::Duration::from_millis(1)).await })
        .unwrap_or_else(|error| panic!("executor: {error:?}"));
    executor.run_until_all_done(sauce_executor::kernel::platform());"""

HTTP_BOARD = """#![no_std]
#![no_main]

extern crate alloc;

use sauce_executor::{Executor, Instant, InterruptSignal};
use sauce_http_server::{Configuration, Methods, Response, Route, Router, Server};
use sauce_http_service::HttpService;
use sauce_runtime::{clock, info, Platform};
use sauce_tcp_ip::{NetworkConfiguration, NetworkStack};
use sauce_virtio_common::virtio_drivers::transport::{DeviceType, SomeTransport};
use sauce_virtio_net::VirtioNet;

#[global_allocator]
static HEAP: sauce_heap_talc::TalcHeap = sauce_heap_talc::TalcHeap::new();
@FILES@
static ROUTES: [Route; @ROUTE_COUNT@] = [
    Route::response("/", Methods::GET, Response::new(200, "text/plain", b"Hello from SauceOS\\n")),
@FILE_ROUTE@];
const SERVER: Configuration = Configuration { max_connections: 128, ..Configuration::DEFAULT };
static NETWORK_INTERRUPT: InterruptSignal = InterruptSignal::new();

sauce_runtime::entry!(board);

fn board(mut platform: Platform) -> ! {
    HEAP.init(platform.take_heap_region(4 << 20));
    let (transport, pci_location, mmio_routed) = network_transport(&platform);
    let device = VirtioNet::new(transport).unwrap_or_else(|error| panic!("virtio-net: {error}"));
    let interrupt_driven = mmio_routed || pci_interrupt(pci_location);
    let defaults = NetworkConfiguration {
        address: sauce_tcp_ip::Addressing::parse("@ADDRESS@").expect("address"),
        gateway: sauce_tcp_ip::parse_gateway("10.0.2.2").expect("gateway"),
        mac: device.mac_address(),
        socket_capacity: SERVER.max_connections + 2,
    };
    let command_line = platform.command_line();
    let configuration = NetworkConfiguration::from_command_line(defaults, |key| command_line.get(key))
        .unwrap_or_else(|error| panic!("network configuration: {error}"));
    let seed = sauce_runtime::arch::cpu::read_time_stamp_counter();
    let stack = @STACK@.unwrap_or_else(|error| panic!("network: {error}"));
    let server = Server::new(Router::new(&ROUTES), SERVER);
    let service = HttpService::new(server, 80, SERVER.max_connections + 1).with_buffer_sizes(2048, 4096);
    let platform = platform.ready();
    match stack.address() {
        Some(address) => info!("network: {address}"),
        None => info!("network: waiting for DHCP"),
    }
    let mut executor = Executor::new(16);
    executor
        .spawn(serve(stack, service, interrupt_driven))
        .unwrap_or_else(|error| panic!("executor: {error:?}"));
    drop(platform);
    executor.run(sauce_executor::kernel::platform())
}

/// The transport, the PCI device's location (for MSI-X once the driver set it up), and
/// whether a virtio-mmio interrupt is routed.
fn network_transport(platform: &Platform) -> (SomeTransport<'static>, Option<PciLocation>, bool) {
    let _ = platform;
@TRANSPORTS@
    panic!("no virtio network device")
}
@PCI_INTERRUPT@

fn milliseconds() -> u64 {
    clock::now_nanoseconds() / 1_000_000
}

async fn serve<D: sauce_tcp_ip::smoltcp::phy::Device>(mut stack: NetworkStack<D>, mut service: HttpService, interrupt_driven: bool) {
    loop {
        let now = milliseconds();
        let mut deadline = service.step(&mut stack, now);
        if let Some(event) = stack.take_event() {
            info!("network: {event}");
        }
        if !interrupt_driven {
            deadline = Some(deadline.map_or(now + 1, |deadline| deadline.min(now + 1)));
        }
        let wake = deadline.map_or(u64::MAX / 2, |deadline| deadline.saturating_mul(1_000_000));
        NETWORK_INTERRUPT.wait_until(Instant::from_nanoseconds(wake)).await;
    }
}
"""

MMIO = """    let mmio = sauce_virtio_mmio::discover(&platform.command_line());
    if let Some(device) = mmio.into_iter().find(|device| device.device_type == DeviceType::Network) {
        let routed = sauce_virtio_mmio::enable_interrupt(&device, || NETWORK_INTERRUPT.notify());
        return (device.transport.into(), None, routed);
    }"""
PCI = """    if let Some(device) = sauce_virtio_pci::discover().into_iter().find(|device| device.device_type == DeviceType::Network) {
        return (device.transport.into(), Some(device.location), false);
    }"""
PCI_INTERRUPT = """type PciLocation = sauce_virtio_pci::Location;
fn pci_interrupt(location: Option<PciLocation>) -> bool {
    location.is_some_and(|location| sauce_virtio_pci::enable_interrupt(location, || NETWORK_INTERRUPT.notify()))
}"""
NO_PCI_INTERRUPT = """type PciLocation = ();
fn pci_interrupt(_: Option<PciLocation>) -> bool {
    false
}"""
STATIC_STACK = "NetworkStack::new(device, configuration, milliseconds(), seed)"
DHCP_STACK = ("NetworkStack::with_address_client(device, configuration, milliseconds(), seed, "
              "alloc::boxed::Box::new(sauce_dhcp_client::DhcpClient::new()))")
FILES = """static FILE_ENTRIES: [sauce_http_server::StaticFile; 2] = [
    sauce_http_server::StaticFile { path: "a.css", content_type: "text/css", body: b"a{}", etag: Some("\\"1\\"") },
    sauce_http_server::StaticFile { path: "index.html", content_type: "text/html", body: b"<p>", etag: Some("\\"2\\"") },
];
static FILE_TABLE: sauce_static_files::FileTable = sauce_static_files::FileTable::new(&FILE_ENTRIES);
"""
FILE_ROUTE = '    Route::files("/static/*", Methods::GET, &FILE_TABLE),\n'

HTTP_BASE = ["runtime", "heap-talc", "executor", "virtio-common", "virtio-net", "tcp-ip",
             "http-server", "http-service"]


def serial_board(components, init="", run="", prelude=""):
    source = (SERIAL_BOARD.replace("@PRELUDE@", prelude).replace("@INIT@", init)
              .replace("@RUN@", run))
    return ["runtime"] + components, source


HEAP_PRELUDE = "extern crate alloc;\n#[global_allocator]\nstatic HEAP: @TYPE@ = @TYPE@::new();\n"


def heap_board(kind, extra=(), run=HEAP_USE):
    heap_type = {"bump": "sauce_heap_bump::BumpHeap", "talc": "sauce_heap_talc::TalcHeap"}[kind]
    prelude = HEAP_PRELUDE.replace("@TYPE@", heap_type)
    init = "    HEAP.init(platform.take_heap_region(1 << 20));"
    return serial_board(["heap-" + kind, *extra], init, run, prelude)


def http_board(transports=("mmio", "pci"), dhcp=False, files=False):
    components = list(HTTP_BASE) + ["virtio-" + name for name in transports]
    if dhcp:
        components.append("dhcp-client")
    if files:
        components.append("static-files")
    source = (HTTP_BOARD
              .replace("@TRANSPORTS@", "\n".join({"mmio": MMIO, "pci": PCI}[t] for t in transports))
              .replace("@PCI_INTERRUPT@", PCI_INTERRUPT if "pci" in transports else NO_PCI_INTERRUPT)
              .replace("@STACK@", DHCP_STACK if dhcp else STATIC_STACK)
              .replace("@ADDRESS@", "dhcp" if dhcp else "10.0.2.15/24")
              .replace("@FILES@", FILES if files else "")
              .replace("@FILE_ROUTE@", FILE_ROUTE if files else "")
              .replace("@ROUTE_COUNT@", "2" if files else "1"))
    return components, source


VARIANTS = {
    "serial": serial_board([]),
    "vga": serial_board(["vga-console"], init="    sauce_vga_console::attach();"),
    "serial-input": serial_board(
        ["serial-console"], init="    sauce_serial_console::enable_input(|| {});",
        run='    if sauce_serial_console::read_byte().is_some() { sauce_runtime::println!("input"); }'),
    "bump": heap_board("bump"),
    "talc": heap_board("talc"),
    "executor": heap_board("talc", ["executor"], HEAP_USE + "\n" + EXECUTOR_USE),
    "http": http_board(),
    "http-mmio": http_board(("mmio",)),
    "http-pci": http_board(("pci",)),
    "http-dhcp": http_board(dhcp=True),
    "http-files": http_board(files=True),
}

# (component, variant with it, variant without it)
DIFFERENTIAL = [
    ("vga-console", "vga", "serial"),
    ("serial-console (input = true)", "serial-input", "serial"),
    ("heap-bump", "bump", "serial"),
    ("heap-talc", "talc", "serial"),
    ("executor", "executor", "talc"),
    ("virtio-mmio", "http", "http-pci"),
    ("virtio-pci", "http", "http-mmio"),
    ("dhcp-client", "http-dhcp", "http"),
    ("static-files", "http-files", "http"),
]

# Demangled symbol path prefixes → component, first match wins (for the HTTP board).
ATTRIBUTION = [
    ("sauce_http_service", "http-service"),
    ("sauce_http_server", "http-server"),
    ("sauce_dhcp_client", "dhcp-client"),
    ("sauce_tcp_ip", "tcp-ip"),
    ("smoltcp", "tcp-ip"),
    ("sauce_virtio_net", "virtio-net"),
    ("virtio_drivers::device::net", "virtio-net"),
    ("sauce_virtio_mmio", "virtio-mmio"),
    ("virtio_drivers::transport::mmio", "virtio-mmio"),
    ("sauce_virtio_pci", "virtio-pci"),
    ("virtio_drivers::transport::pci", "virtio-pci"),
    ("sauce_virtio_common", "virtio-common"),
    ("virtio_drivers", "virtio-common"),
    ("zerocopy", "virtio-common"),
    ("sauce_executor", "executor"),
    ("crossbeam_queue", "executor"),
    ("sauce_heap_talc", "heap-talc"),
    ("talc", "heap-talc"),
]


def write_board(name, components, source):
    folder = BOARDS / name
    (folder / "src").mkdir(parents=True, exist_ok=True)
    dependencies = "".join(
        f'{PACKAGES[c][0]} = {{ path = "{ROOT / PACKAGES[c][1]}" }}\n' for c in components)
    manifest = MANIFEST.format(name=name, dependencies=dependencies)
    for path, text in ((folder / "Cargo.toml", manifest), (folder / "src" / "main.rs", source)):
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
    return folder / "Cargo.toml"


def clean_environment():
    environment = dict(os.environ)
    for key in list(environment):
        if key.startswith(("CARGO_", "RUSTUP_TOOLCHAIN")) or key in (
                "RUSTFLAGS", "RUSTC", "RUSTC_WRAPPER", "RUSTDOC", "CARGO"):
            del environment[key]
    environment["CARGO_TARGET_DIR"] = str(CACHE / "target")
    return environment


def build(name, components, source):
    manifest = write_board(name, components, source)
    command = ["cargo", "build", "--release", "--target", TARGET, "--bin", f"size-{name}",
               "--manifest-path", str(manifest)]
    result = subprocess.run(command, cwd=ROOT, env=clean_environment(),
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"building {name} failed:\n{result.stderr[-4000:]}")
    return CACHE / "target" / TARGET / "release" / f"size-{name}"


def loadable_bytes(elf):
    """Bytes of the allocated sections the file carries (no .bss, no page padding)."""
    output = subprocess.run(["readelf", "-SW", str(elf)], capture_output=True, text=True,
                            check=True).stdout
    total = 0
    for line in output.splitlines():
        match = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+\S+\s+\S+\s+([0-9a-f]+)\s+\S+\s+(\S*)",
                         line)
        if match and match.group(2) != "NOBITS" and "A" in match.group(4):
            total += int(match.group(3), 16)
    return total


def symbols(elf):
    """(demangled name, size) of every sized symbol."""
    output = subprocess.run(["nm", "--size-sort", "-C", "-S", str(elf)], capture_output=True,
                            text=True, check=True).stdout
    for line in output.splitlines():
        parts = line.split(" ", 3)
        if len(parts) == 4:
            yield parts[3], int(parts[1], 16)


def owner(symbol):
    # `<smoltcp::iface::Interface as …>::poll` and `smoltcp::…` both start with the crate.
    path = symbol.lstrip("<&*(").removeprefix("mut ").removeprefix("dyn ")
    for prefix, component in ATTRIBUTION:
        if path.startswith(prefix + "::") or path == prefix:
            return component
    return None


def kib(value):
    return f"{value / 1024:6.1f} KiB"


def main():
    images = {}
    for name, (components, source) in VARIANTS.items():
        print(f"building {name}…", file=sys.stderr, flush=True)
        images[name] = build(name, components, source)
    sizes = {name: loadable_bytes(elf) for name, elf in images.items()}

    print("boards (loadable bytes: .text + .rodata + .data + .note)")
    for name, size in sizes.items():
        print(f"  {name:14} {size:8} bytes {kib(size)}")

    print("\ndifferential: bytes a component adds (board with it − board without it)")
    for component, with_it, without in DIFFERENTIAL:
        added = sizes[with_it] - sizes[without]
        print(f"  {component:32} {added:7} bytes {kib(added)}   ({with_it} − {without})")

    print("\nattribution: symbol bytes of the `http` board by component (nm --size-sort)")
    totals = {}
    for symbol, size in symbols(images["http"]):
        component = owner(symbol) or "(base: runtime, core, alloc, board)"
        totals[component] = totals.get(component, 0) + size
    claimed = sum(totals.values())
    for component, size in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {component:40} {size:7} bytes {kib(size)}")
    print(f"  {'(no symbol: anonymous .rodata, padding)':40} {sizes['http'] - claimed:7} bytes")

    stack = ["virtio-common", "virtio-net", "tcp-ip", "http-server", "http-service"]
    transports = sum(sizes["http"] - sizes[without] for _, _, without in
                     [d for d in DIFFERENTIAL if d[0].startswith("virtio-")])
    stack_total = sizes["http"] - sizes["executor"] - transports
    attributed = sum(totals.get(component, 0) for component in stack)
    print(f"\nthe HTTP stack's measured total, split by attribution "
          f"({stack_total} bytes = http − executor − both transports)")
    for component in stack:
        share = stack_total * totals.get(component, 0) // max(attributed, 1)
        print(f"  {component:32} {share:7} bytes {kib(share)}")

    print("\nchecks")
    base_vga = [s for s, _ in symbols(images["serial"]) if "vga" in s.lower()]
    with_vga = [s for s, _ in symbols(images["vga"]) if "vga" in s.lower()]
    print(f"  VGA symbols without vga-console: {len(base_vga)}; with it: {len(with_vga)}")
    dhcp = [s for s, _ in symbols(images["http"]) if "dhcp" in s.lower()]
    print(f"  DHCP symbols in the static-address HTTP board: {len(dhcp)}")
    files = [s for s, _ in symbols(images["http"]) if "static_files" in s or "FileTable" in s]
    print(f"  static-files symbols in the HTTP board without file routes: {len(files)}")
    if base_vga or dhcp or files or not with_vga:
        sys.exit("a component not selected contributed code (see checks)")


if __name__ == "__main__":
    main()

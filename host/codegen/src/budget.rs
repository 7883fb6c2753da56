//! How much memory an image needs: its boot heap, and the smallest guest in which every
//! connection it plans for can hold its worst case (docs/design/0012).
//!
//! At boot the board takes a small heap for its drivers, the stack and the executor (the heap
//! component's `boot_bytes`); once the drivers have their DMA pages the heap grows into all
//! the RAM left, and each network service sizes its pool from that: as many connections as fit
//! with every buffer full, up to what it is configured for. So an image runs in any memory
//! above a floor, and more memory serves more connections. `[resources] memory` is the VM's
//! default size; `sauce check` verifies that it holds the planned connections' worst case.
//!
//! Every figure is what the selected components declare in `[memory]` (record 0014): `boot`,
//! the heap each allocates while the board starts, and for network services `per_connection`
//! (plus configuration values such as the HTTP head buffer) times the sockets their
//! `connections` value plans. The figures are measured: `bench/component_sizes.py`, and
//! `sauce run examples/tiny --memory …` with smaller and smaller values (docs/design/0010).

use std::path::Path;

use serde::Serialize;

use sauce_catalog::ComponentGraph;
use sauce_intent::{Intent, RouteResponse};

use crate::configuration::{self, ConfigurationError, ConfigurationView};

/// Below 1 MiB, the kernel's code, page tables, stacks and DMA pages. Measured: examples/tiny
/// (an 832 KiB heap) serves with `--memory 2304KiB` (QEMU gives 2684 KiB) and fails at 2 MiB.
const OUTSIDE_HEAP_BYTES: u64 = 2 * 1024 * 1024;
/// The heap the services leave to everything else: an eighth, at least this much
/// (`sauce_tcp_ip::board::HEAP_SLACK_BYTES`).
const HEAP_SLACK_BYTES: u64 = 128 * 1024;
/// The most bytes of files an image may embed: it must end below 1 GiB, where the boot stub's
/// page directory ends (kernel/arch-x86_64/sauce-kernel.ld), with room for the kernel.
pub const EMBEDDED_LIMIT_BYTES: u64 = 960 << 20;
/// Memory is planned in these steps.
const GRANULE: u64 = 64 * 1024;

/// The memory plan of one image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MemoryBudget {
    /// Heap the board takes at boot; it grows into the RAM left once the drivers are up.
    pub heap_bytes: u64,
    /// RAM left to the frame allocator when the heap grows.
    pub frame_reserve_bytes: u64,
    /// Heap the components allocate while the board starts (the sum of their `boot`).
    pub boot_allocated_bytes: u64,
    /// Connections planned for, over every network service.
    pub connections: u64,
    /// The worst case of one socket (the largest over the services).
    pub socket_bytes: u64,
    /// Bytes of files the image embeds (loaded into guest RAM with the image).
    pub embedded_bytes: u64,
    /// The smallest guest memory in which every planned connection has its worst case.
    pub minimum_guest_bytes: u64,
}

/// The sockets a pool serving `connections` keeps: one per connection, and some to answer 503
/// (as `sauce_http_service::Limits::for_connections` counts them).
pub fn sockets(connections: u64) -> u64 {
    connections + 1 + connections / 32
}

/// One network service's plan: connections, and one socket's worst case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServicePlan {
    /// Connections planned for.
    pub connections: u64,
    /// One socket's worst case.
    pub socket_bytes: u64,
}

/// The budget of an image whose components allocate `boot_allocated` at boot, with a boot
/// heap of `heap_bytes` (0: no heap), `frame_reserve` bytes for the frame allocator, the
/// `services`' pools, and `embedded_bytes` of files.
pub fn plan(
    heap_bytes: u64,
    frame_reserve: u64,
    boot_allocated: u64,
    services: &[ServicePlan],
    embedded_bytes: u64,
) -> MemoryBudget {
    let pool: u64 = services
        .iter()
        .map(|service| sockets(service.connections) * service.socket_bytes)
        .sum();
    // The pools get what is free less an eighth (at least the slack): free ≥ pool + slack.
    let free_heap = if pool == 0 {
        0
    } else {
        (pool * 8 / 7).max(pool + HEAP_SLACK_BYTES)
    };
    let (allocated, reserve) = if heap_bytes == 0 {
        (0, 0)
    } else {
        (boot_allocated, frame_reserve)
    };
    let needed = OUTSIDE_HEAP_BYTES + embedded_bytes + allocated + free_heap + reserve;
    MemoryBudget {
        heap_bytes,
        frame_reserve_bytes: reserve,
        boot_allocated_bytes: allocated,
        connections: services.iter().map(|service| service.connections).sum(),
        socket_bytes: services
            .iter()
            .map(|service| service.socket_bytes)
            .max()
            .unwrap_or(0),
        embedded_bytes,
        minimum_guest_bytes: needed.div_ceil(GRANULE) * GRANULE,
    }
}

/// The budget of the image `intent` describes with the components of `graph`.
pub fn for_intent(
    intent: &Intent,
    graph: &ComponentGraph,
) -> Result<MemoryBudget, ConfigurationError> {
    let configurations = configuration::resolve(intent, graph)?;
    Ok(for_graph(intent, graph, &configurations))
}

/// [`for_intent`] with the configurations already resolved.
pub fn for_graph(
    intent: &Intent,
    graph: &ComponentGraph,
    configurations: &[ConfigurationView],
) -> MemoryBudget {
    let heap = graph
        .components
        .iter()
        .find(|component| component.provides.iter().any(|contract| contract == "heap"));
    let heap_value = |key: &str| {
        heap.and_then(|heap| {
            configuration::number_of(configurations, &format!("{}.{key}", heap.name))
        })
        .unwrap_or(0)
    };
    let boot_allocated = graph
        .components
        .iter()
        .map(|component| component.memory.boot)
        .sum();
    let services: Vec<ServicePlan> = graph
        .components
        .iter()
        .filter(|component| component.memory.per_connection > 0)
        .map(|component| {
            let memory = &component.memory;
            let connections = memory
                .connections
                .as_deref()
                .and_then(|reference| configuration::number_of(configurations, reference))
                .unwrap_or(0);
            let plus: u64 = memory
                .per_connection_plus
                .iter()
                .filter_map(|reference| configuration::number_of(configurations, reference))
                .sum();
            ServicePlan {
                connections,
                socket_bytes: memory.per_connection + plus,
            }
        })
        .collect();
    plan(
        heap_value("boot_bytes"),
        heap_value("frame_reserve"),
        boot_allocated,
        &services,
        embedded_bytes(intent),
    )
}

/// Bytes of every file the intent's `file` and `dir` routes (and `[http.not_found]`) embed.
pub fn embedded_bytes(intent: &Intent) -> u64 {
    let Some(http) = &intent.http else { return 0 };
    let responses = http.routes.iter().map(|route| &route.response);
    let not_found = http.not_found.iter().map(|not_found| &not_found.response);
    responses.chain(not_found).map(response_bytes).sum()
}

/// Bytes of the files one response embeds (0 for text, JSON and redirects).
pub fn response_bytes(response: &RouteResponse) -> u64 {
    match response {
        RouteResponse::File(path) | RouteResponse::Dir(path) => tree_bytes(path),
        _ => 0,
    }
}

/// Bytes of the file at `path`, or of every file below the folder at `path`.
fn tree_bytes(path: &Path) -> u64 {
    let Ok(metadata) = std::fs::metadata(path) else {
        return 0;
    };
    if metadata.is_file() {
        return metadata.len();
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| tree_bytes(&entry.path()))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HTTP: ServicePlan = ServicePlan {
        connections: 128,
        socket_bytes: 24 * 1024,
    };

    fn http(connections: u64) -> [ServicePlan; 1] {
        [ServicePlan {
            connections,
            ..HTTP
        }]
    }

    #[test]
    fn the_floor_grows_with_connections_and_embedded_files() {
        let boot = 448 * 1024;
        let small = plan(768 << 10, 64 << 10, boot, &http(16), 0);
        let large = plan(768 << 10, 64 << 10, boot, &http(128), 0);
        let with_files = plan(768 << 10, 64 << 10, boot, &http(128), 64 << 20);
        assert!(large.minimum_guest_bytes > small.minimum_guest_bytes);
        assert_eq!(
            with_files.minimum_guest_bytes - large.minimum_guest_bytes,
            64 << 20
        );
        assert_eq!(large.minimum_guest_bytes % GRANULE, 0);
        // 133 sockets × 24 KiB × 8/7 + 448 KiB + 64 KiB + 2 MiB ≈ 6.2 MiB.
        assert_eq!(large.minimum_guest_bytes.div_ceil(1 << 20), 7);
        // examples/tiny: 9 sockets, 128 KiB of slack: within its 3 MiB.
        assert!(plan(768 << 10, 64 << 10, boot, &http(8), 0).minimum_guest_bytes <= 3 << 20);
    }

    #[test]
    fn services_add_their_pools() {
        let one = plan(768 << 10, 64 << 10, 0, &http(64), 0);
        let two = plan(768 << 10, 64 << 10, 0, &[http(64)[0], http(64)[0]], 0);
        assert!(two.minimum_guest_bytes > one.minimum_guest_bytes);
        assert_eq!(two.connections, 128);
    }

    #[test]
    fn a_serial_only_image_needs_no_heap() {
        let budget = plan(0, 64 << 10, 448 << 10, &[], 0);
        assert_eq!((budget.heap_bytes, budget.connections), (0, 0));
        assert_eq!(budget.minimum_guest_bytes, OUTSIDE_HEAP_BYTES);
    }
}

//! How much memory an image needs: its boot heap, and the smallest guest in which every
//! connection it plans for can hold its worst case (docs/design/0012).
//!
//! At boot the board takes a small heap for its drivers, the stack and the executor; once the
//! drivers have their DMA pages the heap grows into all the RAM left, and the HTTP service
//! sizes its pool from that: as many connections as fit with every buffer full, up to
//! `[http] max_connections`. So an image runs in any memory above a floor, and more memory
//! serves more connections. `[resources] memory` is the VM's default size; `sauce check`
//! verifies that it holds the planned connections' worst case. The constants are measured:
//! `sauce run examples/tiny --memory …` with smaller and smaller values (docs/design/0010).

use std::path::Path;

use serde::Serialize;

use sauce_intent::{Intent, RouteResponse};

/// The heap the board takes at boot, before the drivers have their DMA pages: room for the
/// device's buffers, the interface and the executor (what is left unused stays in the heap).
const BOOT_HEAP_BYTES: u64 = 768 * 1024;
/// What the board has allocated when it starts serving: measured, hello-http logs 406 KiB in
/// use (the `http:` line at start-up).
const BOOT_ALLOCATED_BYTES: u64 = 448 * 1024;
/// RAM left to the frame allocator when the heap grows into the rest.
const FRAME_RESERVE_BYTES: u64 = 64 * 1024;
/// Below 1 MiB, the kernel's code, page tables, stacks and DMA pages. Measured: examples/tiny
/// (an 832 KiB heap) serves with `--memory 2304KiB` (QEMU gives 2684 KiB) and fails at 2 MiB.
const OUTSIDE_HEAP_BYTES: u64 = 2 * 1024 * 1024;
/// One socket of the HTTP pool at its worst (its buffers, its connection's head and output
/// buffers at their limits, the bookkeeping): `sauce_http_service::Limits::socket_bytes` with
/// the default limits and buffers, which a test of that crate keeps below this figure.
pub const SOCKET_BYTES: u64 = 24 * 1024;
/// The default head buffer, part of [`SOCKET_BYTES`] (`[http.limits] header_size` changes it).
const DEFAULT_HEADER_BYTES: u64 = 8 * 1024;
/// The heap the pool leaves to everything else: an eighth, at least this much.
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
    /// Connections planned for (`[http] max_connections`), 0 without `[http]`.
    pub connections: u64,
    /// One socket's worst case.
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

/// The budget of an image serving `connections` HTTP connections (0: no HTTP) and embedding
/// `embedded_bytes` of files.
pub fn plan(connections: u64, embedded_bytes: u64) -> MemoryBudget {
    plan_with(connections, embedded_bytes, SOCKET_BYTES)
}

/// [`plan`] with sockets of `socket_bytes` each at worst.
pub fn plan_with(connections: u64, embedded_bytes: u64, socket_bytes: u64) -> MemoryBudget {
    let pool = if connections == 0 {
        0
    } else {
        sockets(connections) * socket_bytes
    };
    // The pool gets what is free less an eighth (at least the slack): free ≥ pool + slack.
    let free_heap = if pool == 0 {
        0
    } else {
        (pool * 8 / 7).max(pool + HEAP_SLACK_BYTES)
    };
    let (heap, allocated) = if connections == 0 {
        (0, 0)
    } else {
        (BOOT_HEAP_BYTES, BOOT_ALLOCATED_BYTES)
    };
    let needed = OUTSIDE_HEAP_BYTES + embedded_bytes + allocated + free_heap + FRAME_RESERVE_BYTES;
    MemoryBudget {
        heap_bytes: heap,
        frame_reserve_bytes: FRAME_RESERVE_BYTES,
        connections,
        socket_bytes,
        embedded_bytes,
        minimum_guest_bytes: needed.div_ceil(GRANULE) * GRANULE,
    }
}

/// The budget of the image `intent` describes.
pub fn for_intent(intent: &Intent) -> MemoryBudget {
    let connections = intent.http.as_ref().map_or(0, |http| {
        http.max_connections
            .map_or(crate::model::DEFAULT_MAX_CONNECTIONS, u64::from)
    });
    // A larger (or smaller) head buffer than the default changes each socket's worst case.
    let header = intent
        .http
        .as_ref()
        .and_then(|http| http.limits.header_size)
        .unwrap_or(DEFAULT_HEADER_BYTES);
    let socket_bytes = SOCKET_BYTES - DEFAULT_HEADER_BYTES + header;
    plan_with(connections, embedded_bytes(intent), socket_bytes)
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

    #[test]
    fn the_floor_grows_with_connections_and_embedded_files() {
        let small = plan(16, 0);
        let large = plan(128, 0);
        let with_files = plan(128, 64 << 20);
        assert!(large.minimum_guest_bytes > small.minimum_guest_bytes);
        assert_eq!(
            with_files.minimum_guest_bytes - large.minimum_guest_bytes,
            64 << 20
        );
        assert_eq!(large.minimum_guest_bytes % GRANULE, 0);
        // 133 sockets × 24 KiB × 8/7 + 448 KiB + 64 KiB + 2 MiB ≈ 6.2 MiB.
        assert_eq!(large.minimum_guest_bytes.div_ceil(1 << 20), 7);
        // examples/tiny: 9 sockets, 128 KiB of slack: within its 3 MiB.
        assert!(plan(8, 0).minimum_guest_bytes <= 3 << 20);
    }

    #[test]
    fn a_serial_only_image_needs_no_heap() {
        let budget = plan(0, 0);
        assert_eq!((budget.heap_bytes, budget.connections), (0, 0));
        assert_eq!(
            budget.minimum_guest_bytes,
            OUTSIDE_HEAP_BYTES + FRAME_RESERVE_BYTES
        );
    }
}

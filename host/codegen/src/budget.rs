//! How much memory an HTTP image needs: its heap, and the smallest guest that holds it.
//!
//! The heap holds the sockets' buffers (one receive and one send buffer per listening socket),
//! the network device's buffers and the executor's tasks. The rest of guest memory holds the
//! image, the first megabyte (left to firmware and boot structures), page tables, stacks and DMA
//! pages. The constants are measured: `sauce run examples/tiny --memory …` with smaller and
//! smaller values (docs/design/0010).

use serde::Serialize;

/// Per-socket bookkeeping beyond its buffers (smoltcp's socket, the connection state).
const SOCKET_OVERHEAD_BYTES: u64 = 1024;
/// The device's receive and transmit buffers, the interface, the executor.
const FIXED_HEAP_BYTES: u64 = 768 * 1024;
/// Below 1 MiB, the image, page tables, stacks and DMA pages. Measured: examples/tiny (an
/// 832 KiB heap) serves with `--memory 2304KiB` (QEMU gives 2684 KiB) and fails at 2 MiB.
const OUTSIDE_HEAP_BYTES: u64 = 2 * 1024 * 1024;
/// Heaps are sized in these steps.
const HEAP_GRANULE: u64 = 64 * 1024;

/// The memory plan of one image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MemoryBudget {
    /// Bytes of heap the board reserves.
    pub heap_bytes: u64,
    /// The smallest guest memory the image runs in.
    pub minimum_guest_bytes: u64,
}

/// The sockets an HTTP image listens with: one per connection and one to answer 503.
pub fn listeners(max_connections: u64) -> u64 {
    max_connections + 1
}

/// The budget of an HTTP image with `max_connections` connections and these buffer sizes.
pub fn http(max_connections: u64, receive_buffer: u64, send_buffer: u64) -> MemoryBudget {
    let sockets = listeners(max_connections);
    let needed = sockets * (receive_buffer + send_buffer + SOCKET_OVERHEAD_BYTES) + FIXED_HEAP_BYTES;
    let heap_bytes = needed.div_ceil(HEAP_GRANULE) * HEAP_GRANULE;
    MemoryBudget { heap_bytes, minimum_guest_bytes: heap_bytes + OUTSIDE_HEAP_BYTES }
}

/// The budget of the image `intent` describes.
pub fn for_intent(intent: &sauce_intent::Intent) -> MemoryBudget {
    match &intent.http {
        Some(http) => {
            let connections = http.max_connections.map_or(crate::model::DEFAULT_MAX_CONNECTIONS, u64::from);
            self::http(connections, crate::model::RECEIVE_BUFFER, crate::model::SEND_BUFFER)
        }
        None => serial_only(),
    }
}

/// The budget of a serial-only image (no heap).
pub fn serial_only() -> MemoryBudget {
    MemoryBudget { heap_bytes: 0, minimum_guest_bytes: OUTSIDE_HEAP_BYTES }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heap_grows_with_connections_and_is_rounded() {
        let small = http(16, 2048, 4096);
        let large = http(128, 2048, 4096);
        assert!(large.heap_bytes > small.heap_bytes);
        assert_eq!(small.heap_bytes % HEAP_GRANULE, 0);
        assert_eq!(large.minimum_guest_bytes - large.heap_bytes, OUTSIDE_HEAP_BYTES);
        // 129 sockets × 7 KiB + 768 KiB = 1671 KiB → 1728 KiB.
        assert_eq!(large.heap_bytes, 1728 * 1024);
    }
}

//! The once-a-second line with every limit counter and the heap: what an operator (and the
//! hostile-client suite) reads to see limits firing and memory staying within its budget.
use core::fmt::Arguments;

use sauce_core::memory::HeapMonitor;

use crate::service::Statistics;

/// Where a line goes (the board passes the kernel's logger).
pub type LogLine = fn(Arguments<'_>);
/// The heap whose figures the line shows (the `heap` contract).
pub type HeapFigures = &'static dyn HeapMonitor;

/// How often the counters are logged, when they changed.
const REPORT_INTERVAL_MS: u64 = 1_000;

/// Logs the service's counters and the heap, once a second at most, when they changed.
pub(crate) struct Report {
    log: LogLine,
    heap: HeapFigures,
    last: Option<(Statistics, usize)>,
    next_ms: u64,
}

impl core::fmt::Debug for Report {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter
            .debug_struct("Report")
            .field("next_ms", &self.next_ms)
            .finish_non_exhaustive()
    }
}

impl Report {
    pub(crate) fn new(log: LogLine, heap: HeapFigures) -> Report {
        Report {
            log,
            heap,
            last: None,
            next_ms: 0,
        }
    }

    /// The heap the line shows.
    pub(crate) fn heap(&self) -> HeapFigures {
        self.heap
    }

    /// Logs if due and changed; when the next report is due, if one may be pending.
    pub(crate) fn tick(
        &mut self,
        statistics: &Statistics,
        open: usize,
        now_ms: u64,
    ) -> Option<u64> {
        if now_ms < self.next_ms {
            return Some(self.next_ms);
        }
        let heap = self.heap.statistics();
        let current = (*statistics, heap.high_water);
        if self.last == Some(current) {
            return None;
        }
        let timeouts = statistics.timeouts;
        (self.log)(format_args!(
            "http: {open} open (peak {}), {} accepted, 503: {} full, {} per peer; 408: {} head, {} body; closed: {} idle, {} send timeout, {} evicted, {} aborted; {} out of memory; heap {} KiB in use, high-water {} KiB of {} KiB",
            statistics.peak_connections, statistics.accepted, statistics.rejected,
            statistics.rejected_per_peer, timeouts.head, timeouts.body, timeouts.idle, timeouts.send,
            statistics.evicted, statistics.aborted, statistics.out_of_memory,
            heap.in_use / 1024, heap.high_water / 1024, heap.capacity / 1024
        ));
        self.last = Some(current);
        self.next_ms = now_ms + REPORT_INTERVAL_MS;
        None
    }
}

//! In-guest tests: each function runs inside the booted kernel (tests/harness's contract).
#![no_std]
#![no_main]

extern crate alloc;

mod console_tests;
mod executor_tests;
mod fault_tests;
mod memory_tests;

use sauce_executor::Executor;
use sauce_heap_talc::TalcHeap;
use sauce_runtime::Platform;
use sauce_testing::{run_tests, Expectation, TestCase, TestContext};

#[global_allocator]
static HEAP: TalcHeap = TalcHeap::new();

sauce_runtime::entry!(board);

/// What every test receives: the platform and an executor.
pub struct Context {
    pub platform: Platform,
    pub executor: Executor,
    /// Whether vga-console found a VGA (q35) and mirrors the console to it.
    pub vga_attached: bool,
}

const TESTS: &[TestCase<Context>] = &[
    TestCase { name: "frames_after_boot", expectation: Expectation::Pass, run: memory_tests::frames_after_boot },
    TestCase { name: "bump_heap_randomized", expectation: Expectation::Pass, run: memory_tests::bump_heap_randomized },
    TestCase { name: "talc_heap_randomized", expectation: Expectation::Pass, run: memory_tests::talc_heap_randomized },
    TestCase { name: "sleep_10_ms", expectation: Expectation::Pass, run: executor_tests::sleep_10_ms },
    TestCase { name: "thousand_tasks_ping_pong", expectation: Expectation::Pass, run: executor_tests::thousand_tasks_ping_pong },
    TestCase { name: "serial_input_loopback", expectation: Expectation::Pass, run: console_tests::serial_input_loopback },
    TestCase { name: "vga_mirrors_console", expectation: Expectation::Pass, run: console_tests::vga_mirrors_console },
    TestCase { name: "page_fault_is_reported", expectation: Expectation::Fault, run: fault_tests::page_fault_is_reported },
    TestCase { name: "text_is_not_writable", expectation: Expectation::Fault, run: fault_tests::text_is_not_writable },
    TestCase { name: "data_is_not_executable", expectation: Expectation::Fault, run: fault_tests::data_is_not_executable },
    TestCase { name: "stack_overflow_hits_guard", expectation: Expectation::Fault, run: fault_tests::stack_overflow_hits_guard },
    TestCase { name: "panic_is_reported", expectation: Expectation::Fault, run: fault_tests::panic_is_reported },
    TestCase { name: "heap_exhaustion_is_reported", expectation: Expectation::Fault, run: fault_tests::heap_exhaustion_is_reported },
    TestCase { name: "never_exits", expectation: Expectation::Fault, run: fault_tests::never_exits },
];

/// Heap for the executor and the general-purpose allocator test.
const HEAP_BYTES: usize = 4 << 20;

fn board(mut platform: Platform) -> ! {
    HEAP.init(platform.take_heap_region(HEAP_BYTES));
    sauce_runtime::panic::on_fault(|| HEAP.fault_report(sauce_runtime::panic::fault_line));
    let vga_attached = sauce_vga_console::attach();
    let platform = platform.ready();
    let mut context = Context { platform, executor: Executor::new(2048), vga_attached };
    run_tests(&mut context, TESTS)
}

impl TestContext for Context {
    fn platform(&self) -> &Platform {
        &self.platform
    }
}

//! The machine as a board sees it: command line, physical frames, heap regions, the `ready`
//! line, and the exit.

use crate::{clock, println};
use sauce_arch_x86_64::boot::information::BootInformation;
use sauce_arch_x86_64::exit::exit as stop_machine;
use sauce_core::command_line::CommandLine;
use sauce_core::frame_allocator::FrameAllocator;
use sauce_core::memory::HeapRegion;

pub use sauce_arch_x86_64::exit::ExitCode as Exit;

/// Facts gathered during boot, shown in the banner.
#[derive(Clone, Copy, Debug)]
pub struct BootSummary {
    /// Name of the hypervisor from CPUID (`KVM`, `TCG`, …).
    pub hypervisor: &'static str,
    /// TSC frequency in Hz, and where it came from.
    pub tsc_hz: u64,
    /// Source of the TSC frequency.
    pub tsc_source: &'static str,
    /// Timer mode name.
    pub timer: &'static str,
    /// Bytes of usable RAM the VMM reported.
    pub ram_bytes: u64,
    /// Bytes of the image, from its first to its last page.
    pub image_bytes: u64,
    /// Page-table pages the kernel built.
    pub table_pages: usize,
}

/// TSC readings at the end of each boot stage, shown with `loglevel=debug`.
#[derive(Debug, Default)]
pub struct BootStages {
    names: [&'static str; 10],
    ticks: [u64; 10],
    count: usize,
}

impl BootStages {
    /// Records that stage `name` ended now.
    pub(crate) fn mark(&mut self, name: &'static str) {
        if self.count < self.names.len() {
            self.names[self.count] = name;
            self.ticks[self.count] = clock::ticks_since_boot();
            self.count += 1;
        }
    }
}

/// The machine handed to the board.
pub struct Platform {
    boot: BootInformation,
    summary: BootSummary,
    stages: BootStages,
}

impl Platform {
    pub(crate) fn new(
        boot: BootInformation,
        frames: FrameAllocator,
        summary: BootSummary,
        stages: BootStages,
    ) -> Self {
        crate::memory::install(frames);
        Self {
            boot,
            summary,
            stages,
        }
    }

    /// The kernel command line.
    pub fn command_line(&self) -> CommandLine<'_> {
        CommandLine::new(self.boot.command_line())
    }

    /// The physical frames nobody owns yet (shared with drivers: see [`crate::memory`]).
    pub fn frames(&self) -> spin::MutexGuard<'static, FrameAllocator> {
        crate::memory::frames()
    }

    /// What boot found.
    pub fn summary(&self) -> &BootSummary {
        &self.summary
    }

    /// Takes `bytes` (rounded up to pages) of RAM for a heap. Stops the VM with a clear
    /// message when there is not that much free memory.
    pub fn take_heap_region(&mut self, bytes: usize) -> HeapRegion {
        let pages = (bytes as u64).div_ceil(4096);
        let mut frames = crate::memory::frames();
        let Some(range) = frames.allocate(pages, 4096) else {
            let largest = frames
                .free_ranges()
                .iter()
                .map(|range| range.len())
                .max()
                .unwrap_or(0);
            fail(format_args!(
                "out of memory: the heap needs {} KiB in one piece, but the largest free run is \
                 {} KiB ({} KiB free in all); give the VM more memory (--memory)",
                pages * 4,
                largest / 1024,
                frames.free_bytes() / 1024
            ))
        };
        // SAFETY: the frames were just taken from the allocator, which hands each frame out
        // once; they are RAM identity-mapped read-write (paging maps all usable RAM), and the
        // region is given to exactly one heap for the rest of the program.
        unsafe { HeapRegion::new(range.start as usize, range.len() as usize) }
    }

    /// Takes the largest range of RAM nobody owns yet, less `keep_bytes` left to the frame
    /// allocator for later page allocations, for a heap to grow into: a board calls this once
    /// its drivers took their DMA pages, so the heap uses the RAM the VM was given, whatever
    /// that is. `None` when no more than `keep_bytes` (plus a page) is free.
    pub fn take_remaining_memory(&mut self, keep_bytes: u64) -> Option<HeapRegion> {
        let mut frames = crate::memory::frames();
        let largest = frames.free_ranges().iter().map(|range| range.len()).max()?;
        let pages = largest.saturating_sub(keep_bytes) / 4096;
        if pages == 0 {
            return None;
        }
        let range = frames.allocate(pages, 4096)?;
        // SAFETY: the frames were just taken from the allocator, which hands each frame out
        // once; they are RAM identity-mapped read-write (paging maps all usable RAM), and the
        // region is given to exactly one heap for the rest of the program.
        Some(unsafe { HeapRegion::new(range.start as usize, range.len() as usize) })
    }

    /// Prints the boot banner (version, memory, the guest's own boot time) and the `ready`
    /// line. The boot time is the TSC from the first instruction to this call. When the command
    /// line holds `sauce.boot_timer=ADDRESS` (Firecracker launches), first signals Firecracker's
    /// boot timer, so its report, like the guest's own figure, excludes the banner's printing.
    pub fn ready(self) -> Self {
        let ready_ticks = clock::ticks_since_boot();
        let boot_timer = crate::boot_timer::address(&self.command_line());
        if let Ok(Some(address)) = boot_timer {
            crate::boot_timer::signal(address);
        }
        let boot_nanoseconds = clock::ticks_to_nanoseconds(ready_ticks);
        let summary = &self.summary;
        let sinks = crate::log::sink_names();
        println!(
            "SauceOS {} | {} boot on {} | TSC {} MHz ({}), timer {}{}",
            env!("CARGO_PKG_VERSION"),
            self.boot.protocol.name(),
            summary.hypervisor,
            summary.tsc_hz / 1_000_000,
            summary.tsc_source,
            summary.timer,
            sinks
        );
        println!(
            "memory: {} KiB RAM, {} KiB free, image {} KiB at 0x100000, {} page-table pages",
            summary.ram_bytes / 1024,
            crate::memory::frames().free_bytes() / 1024,
            summary.image_bytes / 1024,
            summary.table_pages
        );
        println!(
            "boot: {}.{:03} ms from first instruction to ready",
            boot_nanoseconds / 1_000_000,
            (boot_nanoseconds / 1_000) % 1_000
        );
        if crate::log::enabled(sauce_core::log::Level::Debug) {
            let mut previous = 0;
            for (name, ticks) in self
                .stages
                .names
                .iter()
                .zip(self.stages.ticks)
                .take(self.stages.count)
            {
                let microseconds = clock::ticks_to_nanoseconds(ticks - previous) / 1000;
                crate::debug!("boot stage {name}: {microseconds} µs");
                previous = ticks;
            }
            let board = clock::ticks_to_nanoseconds(ready_ticks - previous) / 1000;
            crate::debug!("boot stage board initialisation: {board} µs");
        }
        if let Err(error) = boot_timer {
            crate::warn!("{error}");
        }
        println!("ready");
        self
    }

    /// Stops the VM, reporting `code`.
    pub fn exit(&self, code: Exit) -> ! {
        exit(code)
    }
}

/// Stops the VM, reporting `code` on serial (`sauce: exit success|failure`) and to the VMM.
pub fn exit(code: Exit) -> ! {
    match code {
        Exit::Success => println!("sauce: exit success"),
        Exit::Failure => println!("sauce: exit failure"),
    }
    stop_machine(code)
}

/// Reports a fatal error on serial, without taking the console lock, with what components add
/// to a fault report ([`crate::panic::on_fault`]), and fails the VM.
pub fn fail(arguments: core::fmt::Arguments<'_>) -> ! {
    sauce_arch_x86_64::cpu::disable_interrupts();
    crate::log::emergency_line(arguments);
    crate::panic::backtrace();
    crate::panic::report();
    crate::log::emergency_line(format_args!("sauce: exit failure"));
    stop_machine(Exit::Failure)
}

//! The boot sequence: from the entry stub to the board, in the order the hardware needs.
//!
//! 1. Control registers (caches on, write protection, NX), then the UART.
//! 2. Copy the boot information out of low memory.
//! 3. GDT with interrupt stacks, IDT; faults are now reported.
//! 4. The kernel's page tables (W^X, guard pages), then the frame allocator over usable RAM.
//! 5. TSC frequency, APICs and the timer; interrupts on.
//! 6. The board's function receives the [`Platform`].

use crate::platform::{fail, BootStages, BootSummary, Platform};
use sauce_arch_x86_64::apic::{self, local::TimerMode};
use sauce_arch_x86_64::boot::information::BootInformation;
use sauce_arch_x86_64::{cpu, gdt, interrupts, paging, tsc};
use sauce_core::address::PhysicalRange;
use sauce_core::command_line::CommandLine;
use sauce_core::frame_allocator::FrameAllocator;
use sauce_core::memory_map::{MemoryKind, MemoryMap};

/// Runs the boot sequence, then `board`.
pub fn start(protocol: u64, structure: u64, board: fn(Platform) -> !) -> ! {
    let mut stages = BootStages::default();
    stages.mark("entry stub");
    cpu::initialise_control_registers();
    crate::log::initialise_serial();
    stages.mark("serial");
    let boot = match BootInformation::collect(protocol, structure) {
        Ok(boot) => boot,
        Err(error) => fail(format_args!(
            "boot: the VMM's boot information is unreadable: {error:?}"
        )),
    };
    stages.mark("boot information");
    gdt::initialise();
    interrupts::initialise();
    stages.mark("descriptor tables");
    interrupts::exceptions::set_fatal_handler(fail);
    if let Some(level) = CommandLine::new(boot.command_line()).get("loglevel") {
        if let Ok(level) = level.parse() {
            crate::log::set_maximum_level(level);
        }
    }

    let (frames, table_pages, ram_bytes, image_bytes) =
        initialise_memory(&boot.memory_map, &mut stages);
    stages.mark("frame allocator");
    let frequencies = tsc::frequencies();
    stages.mark("clock");
    let tsc_hz = frequencies.tsc_hz;
    crate::clock::set_frequency(tsc_hz);
    apic::mask_legacy_pics();
    apic::local::enable(interrupts::SPURIOUS_VECTOR);
    let timer = match crate::timer::initialise(tsc_hz, frequencies.apic_timer_hz) {
        TimerMode::TscDeadline => "TSC-deadline",
        TimerMode::OneShot { .. } => "APIC one-shot",
    };
    stages.mark("interrupt controllers and timer");
    cpu::enable_interrupts();
    let summary = BootSummary {
        hypervisor: hypervisor_name(),
        tsc_hz,
        tsc_source: frequencies.source.name(),
        timer,
        ram_bytes,
        image_bytes,
        table_pages,
    };
    board(Platform::new(boot, frames, summary, stages))
}

/// Builds the page tables and the frame allocator; returns it with the table pages used, the
/// usable RAM reported and the image size.
fn initialise_memory(
    map: &MemoryMap,
    stages: &mut BootStages,
) -> (FrameAllocator, usize, u64, u64) {
    let is_usable = |kind: MemoryKind| kind == MemoryKind::Usable;
    let ram_end = map
        .regions()
        .iter()
        .filter(|region| is_usable(region.kind) && region.length > 0)
        .map(|region| region.start.saturating_add(region.length))
        .max()
        .unwrap_or(0);
    if ram_end == 0 {
        fail(format_args!("boot: the VMM reported no usable RAM"));
    }
    let mut ram = [(0u64, 0u64); sauce_core::memory_map::MEMORY_MAP_CAPACITY];
    let mut count = 0;
    for region in map
        .regions()
        .iter()
        .filter(|region| is_usable(region.kind) && region.length > 0)
    {
        ram[count] = (region.start, region.length);
        count += 1;
    }
    let mapping = paging::initialise(&ram[..count]);
    stages.mark("page tables");
    let layout = paging::image_layout();
    let exclusions = [
        PhysicalRange::new(0, 4096),
        PhysicalRange::new(layout.start, layout.end),
        PhysicalRange::new(mapping.mapped_ram_end, u64::MAX),
    ];
    let frames = FrameAllocator::new(&map.usable_ranges(&exclusions));
    (
        frames,
        mapping.table_pages,
        map.total_usable_bytes(),
        layout.end - layout.start,
    )
}

fn hypervisor_name() -> &'static str {
    match cpu::hypervisor_signature() {
        Some((signature, _)) => match &signature {
            b"KVMKVMKVM\0\0\0" => "KVM",
            b"TCGTCGTCGTCG" => "TCG",
            b"Microsoft Hv" => "Hyper-V",
            b"VMwareVMware" => "VMware",
            _ => "an unknown hypervisor",
        },
        None => "no hypervisor (or TCG without a signature)",
    }
}

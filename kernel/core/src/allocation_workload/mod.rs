//! A randomized check of a [`GlobalAlloc`], shared by the heap crates' host tests and the
//! in-guest test kernel.
//!
//! It keeps up to [`LIVE_SLOTS`] allocations alive at once, of random sizes (1 to 4096 bytes)
//! and alignments (1 to 4096), fills each with a pattern unique to that allocation and checks
//! the pattern before freeing it and at the end: an allocator that hands out overlapping or
//! misaligned blocks, or writes its bookkeeping into live blocks, is caught. It needs no heap
//! of its own, so it can test the only heap a kernel has.
#![allow(unsafe_code)]

use core::alloc::{GlobalAlloc, Layout};

#[cfg(test)]
mod tests;

/// Most allocations alive at once.
pub const LIVE_SLOTS: usize = 64;

/// Largest size and largest alignment requested, in bytes.
pub const LARGEST_REQUEST: usize = 4096;

/// What a workload did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorkloadReport {
    /// Successful allocations (reallocations not included).
    pub allocations: usize,
    /// Deallocations.
    pub deallocations: usize,
    /// Successful reallocations.
    pub reallocations: usize,
    /// Requests answered with null (out of memory).
    pub failed_allocations: usize,
    /// Most bytes alive at once among the tracked allocations.
    pub peak_live_bytes: usize,
    /// Bytes whose pattern was checked.
    pub verified_bytes: u64,
}

/// A broken allocator promise; the workload stops at the first one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadError {
    /// A block does not start at a multiple of the requested alignment.
    Misaligned {
        /// Start of the block.
        address: usize,
        /// Requested alignment.
        alignment: usize,
    },
    /// A new block overlaps a live one.
    Overlap {
        /// Start of the new block.
        address: usize,
        /// Start of the live block it overlaps.
        live_address: usize,
    },
    /// A live block's content changed behind its owner's back.
    Corrupted {
        /// Start of the block.
        address: usize,
        /// Offset of the first wrong byte.
        offset: usize,
    },
}

impl core::fmt::Display for WorkloadError {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Self::Misaligned { address, alignment } => {
                write!(formatter, "block {address:#x} is not aligned to {alignment}")
            }
            Self::Overlap { address, live_address } => {
                write!(formatter, "block {address:#x} overlaps live block {live_address:#x}")
            }
            Self::Corrupted { address, offset } => {
                write!(formatter, "block {address:#x} corrupted at offset {offset}")
            }
        }
    }
}

#[derive(Clone, Copy)]
struct Live {
    pointer: *mut u8,
    layout: Layout,
    tag: u64,
}

/// Runs `operations` random steps against `allocator`, starting from `seed`.
///
/// With `frees`, each step allocates into an empty slot or frees (or reallocates) a full one,
/// and everything is freed at the end. Without it, the workload only allocates, retiring a
/// slot's block (checked, then leaked) when it needs the slot, until the allocator returns
/// null or the steps run out; the blocks still tracked are checked at the end and leaked.
pub fn randomized_workload(
    allocator: &dyn GlobalAlloc,
    seed: u64,
    operations: usize,
    frees: bool,
) -> Result<WorkloadReport, WorkloadError> {
    let mut workload = Workload {
        allocator,
        random: Xorshift::new(seed),
        slots: [None; LIVE_SLOTS],
        report: WorkloadReport::default(),
        next_tag: seed,
    };
    for step in 0..operations {
        let slot = if frees { workload.random.below(LIVE_SLOTS) } else { step % LIVE_SLOTS };
        match workload.slots[slot] {
            Some(live) if frees && workload.random.below(4) == 0 => workload.reallocate(slot, live)?,
            Some(live) => {
                workload.verify(&live)?;
                workload.slots[slot] = None;
                if frees {
                    // SAFETY: `live` came from this allocator with this layout and is freed once:
                    // its slot was just emptied.
                    unsafe { allocator.dealloc(live.pointer, live.layout) };
                    workload.report.deallocations += 1;
                }
            }
            None => {
                if !workload.allocate(slot)? && !frees {
                    break;
                }
            }
        }
    }
    for slot in 0..LIVE_SLOTS {
        if let Some(live) = workload.slots[slot].take() {
            workload.verify(&live)?;
            if frees {
                // SAFETY: as above, the block is live and its slot was just emptied.
                unsafe { allocator.dealloc(live.pointer, live.layout) };
                workload.report.deallocations += 1;
            }
        }
    }
    Ok(workload.report)
}

struct Workload<'a> {
    allocator: &'a dyn GlobalAlloc,
    random: Xorshift,
    slots: [Option<Live>; LIVE_SLOTS],
    report: WorkloadReport,
    next_tag: u64,
}

impl Workload<'_> {
    fn random_layout(&mut self) -> Layout {
        let largest = if self.random.below(4) == 0 { LARGEST_REQUEST } else { 256 };
        let size = 1 + self.random.below(largest);
        let alignment = 1 << self.random.below(LARGEST_REQUEST.trailing_zeros() as usize + 1);
        Layout::from_size_align(size, alignment).unwrap_or(Layout::new::<u8>())
    }

    /// Allocates into `slot`; `false` when the allocator is out of memory.
    fn allocate(&mut self, slot: usize) -> Result<bool, WorkloadError> {
        let layout = self.random_layout();
        // SAFETY: `layout` has a non-zero size.
        let pointer = unsafe { self.allocator.alloc(layout) };
        if pointer.is_null() {
            self.report.failed_allocations += 1;
            return Ok(false);
        }
        self.check_placement(pointer, layout, slot)?;
        let live = Live { pointer, layout, tag: self.take_tag() };
        fill(&live);
        self.slots[slot] = Some(live);
        self.report.allocations += 1;
        let live_bytes = self.slots.iter().flatten().map(|live| live.layout.size()).sum();
        self.report.peak_live_bytes = self.report.peak_live_bytes.max(live_bytes);
        Ok(true)
    }

    fn reallocate(&mut self, slot: usize, live: Live) -> Result<(), WorkloadError> {
        self.verify(&live)?;
        let new_size = self.random_layout().size();
        // SAFETY: `live` is a live block of this allocator with this layout, and `new_size`
        // is non-zero and far below `isize::MAX` once rounded to the alignment.
        let pointer = unsafe { self.allocator.realloc(live.pointer, live.layout, new_size) };
        if pointer.is_null() {
            self.report.failed_allocations += 1;
            return Ok(());
        }
        let layout = Layout::from_size_align(new_size, live.layout.align()).unwrap_or(live.layout);
        self.slots[slot] = None;
        self.check_placement(pointer, layout, slot)?;
        self.verify_bytes(pointer, new_size.min(live.layout.size()), live.tag)?;
        let moved = Live { pointer, layout, tag: self.take_tag() };
        fill(&moved);
        self.slots[slot] = Some(moved);
        self.report.reallocations += 1;
        Ok(())
    }

    fn check_placement(&self, pointer: *mut u8, layout: Layout, slot: usize) -> Result<(), WorkloadError> {
        let address = pointer as usize;
        if !address.is_multiple_of(layout.align()) {
            return Err(WorkloadError::Misaligned { address, alignment: layout.align() });
        }
        let end = address.saturating_add(layout.size());
        for (index, live) in self.slots.iter().enumerate() {
            let Some(live) = live.filter(|_| index != slot) else { continue };
            let live_address = live.pointer as usize;
            if address < live_address + live.layout.size() && live_address < end {
                return Err(WorkloadError::Overlap { address, live_address });
            }
        }
        Ok(())
    }

    fn verify(&mut self, live: &Live) -> Result<(), WorkloadError> {
        self.verify_bytes(live.pointer, live.layout.size(), live.tag)
    }

    /// Checks that the first `size` bytes at `pointer`, all inside one live block, hold the
    /// pattern of `tag`.
    fn verify_bytes(&mut self, pointer: *mut u8, size: usize, tag: u64) -> Result<(), WorkloadError> {
        // SAFETY: the bytes lie in a live block that only this workload holds a pointer to;
        // no mutable view of them exists while this shared one does.
        let bytes = unsafe { core::slice::from_raw_parts(pointer, size) };
        self.report.verified_bytes += size as u64;
        match bytes.iter().enumerate().position(|(offset, byte)| *byte != pattern(tag, offset)) {
            None => Ok(()),
            Some(offset) => Err(WorkloadError::Corrupted { address: pointer as usize, offset }),
        }
    }

    fn take_tag(&mut self) -> u64 {
        self.next_tag = self.next_tag.wrapping_add(0x9e37_79b9_7f4a_7c15);
        self.next_tag
    }
}

fn fill(live: &Live) {
    // SAFETY: the block is live, `layout.size()` bytes long, and only this workload holds its
    // pointer, so this is the only view of it.
    let bytes = unsafe { core::slice::from_raw_parts_mut(live.pointer, live.layout.size()) };
    for (offset, byte) in bytes.iter_mut().enumerate() {
        *byte = pattern(live.tag, offset);
    }
}

fn pattern(tag: u64, offset: usize) -> u8 {
    let mixed = tag.rotate_left((offset % 64) as u32) ^ (offset as u64).wrapping_mul(0x9e37_79b9);
    (mixed ^ (mixed >> 29)) as u8
}

/// The xorshift64 generator: tiny, deterministic, good enough for test workloads.
struct Xorshift(u64);

impl Xorshift {
    fn new(seed: u64) -> Self {
        Self(if seed == 0 { 0x2545_f491_4f6c_dd1d } else { seed })
    }

    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }
}

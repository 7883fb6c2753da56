//! A randomized check of a [`GlobalAlloc`], shared by the heap crates' host tests and the
//! in-guest test kernel.
//!
//! It keeps up to [`LIVE_SLOTS`] allocations alive at once, of random sizes (1 to 4096 bytes)
//! and alignments (1 to 4096), fills each with a pattern unique to that allocation and checks
//! the pattern before freeing it and at the end: an allocator that hands out overlapping or
//! misaligned blocks, or writes its bookkeeping into live blocks, is caught. It needs no heap
//! of its own, so it can test the only heap a kernel has.
//!
//! # Map
//! - this file: [`randomized_workload`] and what it reports.
//! - `steps`: the workload's state and its random number generator.
#![cfg_attr(not(test), no_std)]

use core::alloc::GlobalAlloc;

mod steps;
#[cfg(test)]
mod tests;

use steps::{Workload, Xorshift};

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
                write!(
                    formatter,
                    "block {address:#x} is not aligned to {alignment}"
                )
            }
            Self::Overlap {
                address,
                live_address,
            } => {
                write!(
                    formatter,
                    "block {address:#x} overlaps live block {live_address:#x}"
                )
            }
            Self::Corrupted { address, offset } => {
                write!(formatter, "block {address:#x} corrupted at offset {offset}")
            }
        }
    }
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
        let slot = if frees {
            workload.random.below(LIVE_SLOTS)
        } else {
            step % LIVE_SLOTS
        };
        match workload.slots[slot] {
            Some(live) if frees && workload.random.below(4) == 0 => {
                workload.reallocate(slot, live)?
            }
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

//! A cache of freed small blocks in front of talc, one list per size class (record 0021).
//!
//! A request's short-lived allocations (its head, its handler's future, its JSON body) come
//! and go in the same sizes, request after request. Talc finds a block in its bins, splits it,
//! merges it back on free: about 270 instructions per allocation and free. A block freed into
//! this cache is handed out again, as is, to the next allocation of its class: about 60.
//!
//! # Rules
//! 1. A class is a talc chunk size: talc rounds `size + 8` up to its 32-byte chunk unit, so
//!    asking talc for a class's largest size takes the same memory as asking for the size
//!    itself. A layout is cached when its size is at most [`LARGEST_CACHED`] and its alignment
//!    at most [`ALIGNMENT`] (talc's chunks are all aligned to 32 bytes).
//! 2. Every block of a cached class is asked of talc with the class's largest size, so any
//!    block of the class serves any layout of the class, and talc's `realloc` and `dealloc`
//!    see the layout the block was made with.
//! 3. At most [`CACHED_BYTES`] are held in the cache; a free beyond that goes back to talc.
//! 4. When talc cannot serve an allocation, the cache gives every block back ([`Cache::drain`])
//!    and talc tries again: cached blocks never cause an allocation to fail.
//! 5. A cached block's first eight bytes hold the next block of its list; nothing else is
//!    written to it while it is cached.
use core::alloc::Layout;
use core::ptr::NonNull;

/// Talc's chunk unit: chunk sizes are its multiples, and chunks are aligned to it.
const CHUNK_UNIT: usize = talc::base::CHUNK_UNIT;

/// Talc's bytes at the end of each chunk (a `usize`: talc's `TAIL_SIZE`, not exported).
const TAIL: usize = core::mem::size_of::<usize>();

/// The largest size served from the cache.
pub const LARGEST_CACHED: usize = 1024;

/// The largest alignment served from the cache: talc aligns every chunk to its unit.
pub const ALIGNMENT: usize = CHUNK_UNIT;

/// The most bytes (class sizes) the cache holds.
pub const CACHED_BYTES: usize = 16 * 1024;

/// Classes: chunk sizes of 1 to `CLASSES` units.
const CLASSES: usize = (LARGEST_CACHED + TAIL).div_ceil(CHUNK_UNIT);

/// The class of `layout` (`1..=CLASSES`), if it is cached.
#[inline]
pub fn class_of(layout: Layout) -> Option<usize> {
    (layout.size() <= LARGEST_CACHED && layout.align() <= ALIGNMENT)
        .then(|| (layout.size() + TAIL).div_ceil(CHUNK_UNIT))
}

/// The layout talc is asked for, for blocks of `class` aligned to `align`: the largest size
/// of the class, which takes the same chunk as any other size of it.
#[inline]
pub fn class_layout(class: usize, align: usize) -> Layout {
    let size = class * CHUNK_UNIT - TAIL;
    // A class's size is at most LARGEST_CACHED rounded up, and `align` a valid alignment of
    // at most ALIGNMENT: the layout is valid; the fallback is never taken.
    Layout::from_size_align(size, align).unwrap_or(Layout::new::<u8>())
}

/// The lists of freed blocks, by class.
pub struct Cache {
    /// The first free block of each class (index `class - 1`).
    heads: [Option<NonNull<u8>>; CLASSES],
    /// Bytes of the blocks held (class sizes).
    bytes: usize,
}

// SAFETY: the cache owns the blocks it lists exclusively (rule 5: they were freed to it, and
// it hands each out once); which thread holds that ownership does not matter.
unsafe impl Send for Cache {}

impl Cache {
    /// An empty cache.
    pub const fn new() -> Cache {
        Cache {
            heads: [None; CLASSES],
            bytes: 0,
        }
    }

    /// A block of `class` freed earlier, if there is one.
    #[inline]
    pub fn take(&mut self, class: usize) -> Option<NonNull<u8>> {
        let head = self.heads.get_mut(class.wrapping_sub(1))?;
        let block = (*head)?;
        // SAFETY: `block` is a block of this class given to `put` and not handed out since
        // (rule 5): at least 24 bytes, aligned to 32, owned by the cache, its first eight bytes
        // holding the next block as `put` wrote them.
        *head = unsafe { block.cast::<Option<NonNull<u8>>>().as_ptr().read() };
        self.bytes -= class * CHUNK_UNIT;
        Some(block)
    }

    /// Keeps `block`, a block of `class` its owner freed; gives it back when the cache is full.
    ///
    /// # Safety
    /// `block` must be a block of `class` (rule 2) that nothing uses any more: the cache owns
    /// it from now on.
    #[inline]
    pub unsafe fn put(&mut self, class: usize, block: NonNull<u8>) -> Result<(), NonNull<u8>> {
        let size = class * CHUNK_UNIT;
        if self.bytes + size > CACHED_BYTES {
            return Err(block);
        }
        let Some(head) = self.heads.get_mut(class.wrapping_sub(1)) else {
            return Err(block);
        };
        // SAFETY: by the caller's contract the block is the cache's: at least 24 bytes (the
        // smallest class), aligned to 32; its first eight bytes now hold the list's next block.
        unsafe { block.cast::<Option<NonNull<u8>>>().as_ptr().write(*head) };
        *head = Some(block);
        self.bytes += size;
        Ok(())
    }

    /// Takes every block out of the cache, each with its class, to give back to talc.
    pub fn drain(&mut self, mut give_back: impl FnMut(usize, NonNull<u8>)) {
        for class in 1..=CLASSES {
            while let Some(block) = self.take(class) {
                give_back(class, block);
            }
        }
    }

    /// Bytes of the blocks held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

impl Default for Cache {
    fn default() -> Cache {
        Cache::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_is_a_talc_chunk_size() {
        // Talc's chunk for a size: (size + 8) rounded up to 32.
        let chunk = |size: usize| (size + TAIL).div_ceil(CHUNK_UNIT) * CHUNK_UNIT;
        for size in 0..=LARGEST_CACHED {
            let class = class_of(Layout::from_size_align(size, 8).unwrap()).unwrap();
            assert_eq!(class * CHUNK_UNIT, chunk(size), "size {size}");
            let largest = class_layout(class, 8).size();
            assert!(largest >= size);
            assert_eq!(chunk(largest), chunk(size), "size {size}");
        }
        assert_eq!(class_of(Layout::from_size_align(1025, 8).unwrap()), None);
        assert_eq!(class_of(Layout::from_size_align(64, 64).unwrap()), None);
        assert_eq!(class_of(Layout::from_size_align(64, 32).unwrap()), Some(3));
    }
}

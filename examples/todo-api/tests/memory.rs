//! Memory stays flat: rounds of 1,000 random operations (sent by up to seven concurrent
//! clients), each round ending with every to-do deleted, leave the heap where the first round
//! left it. Prints the heap's high-water mark and the live bytes after the first and the last
//! round (`cargo test --test memory -- --nocapture`).
//!
//! A measuring harness, not part of the app template: it needs a counting global allocator,
//! and so the one `unsafe` block of the example (`GlobalAlloc` is an unsafe trait).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use sauce_app::testing::TestClient;
use serde_json::json;
use todo_api::{init, router};

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, keeping the live byte count and its high-water mark.
struct MeasuringAllocator;

fn grow(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

fn shrink(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so the
// `GlobalAlloc` contract holds as it does for `System`; the bookkeeping is atomic arithmetic.
unsafe impl GlobalAlloc for MeasuringAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract, which `System.alloc` shares.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            grow(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        shrink(layout.size());
        // SAFETY: `pointer` came from this allocator, that is from `System`, with `layout`.
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `pointer` came from `System` with `layout`; the caller upholds the rest.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            grow(new_size);
            shrink(layout.size());
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: MeasuringAllocator = MeasuringAllocator;

/// A small deterministic generator (xorshift64*), so every run does the same work.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound
    }
}

/// One round: 1,000 random requests in concurrent batches, then every to-do deleted. Ids are
/// picked relative to `base`, the last id of the previous round, so that every round with the
/// same seed does the same work; returns the last id created.
fn round(client: &TestClient<todo_api::App>, seed: u64, base: u64) -> u64 {
    let mut random = Random(seed);
    let mut sent = 0;
    while sent < 1000 {
        let size = 1 + random.below(7) as usize;
        let mut batch = Vec::with_capacity(size);
        for _ in 0..size {
            let id = base + 1 + random.below(60);
            let path = format!("/todos/{id}");
            let title = "t".repeat(random.below(40) as usize);
            batch.push(match random.below(6) {
                0 | 1 => client.post("/todos").json(&json!({"title": title})),
                2 => client.get(&path),
                3 => client.patch(&path).json(&json!({"done": true})),
                4 => client
                    .put(&path)
                    .json(&json!({"title": title, "done": false})),
                _ => client.delete(&path),
            });
        }
        sent += batch.len();
        client.send_all(batch);
    }
    let created = client.post("/todos").json(&json!({"title": "last"})).send();
    let last = created.json::<serde_json::Value>()["id"]
        .as_u64()
        .unwrap_or(base);
    let ids: Vec<u64> = client
        .get("/todos")
        .send()
        .json::<Vec<serde_json::Value>>()
        .iter()
        .filter_map(|todo| todo["id"].as_u64())
        .collect();
    for id in ids {
        assert_eq!(client.delete(&format!("/todos/{id}")).send().status(), 204);
    }
    // The host platform keeps log lines for tests to read; an image writes them to serial.
    client.platform().take_log_lines();
    last
}

#[test]
fn the_heap_returns_to_the_same_size_after_every_round() {
    let client = TestClient::new(router(), init());
    const SEED: u64 = 0x005e_ed0f_7000;
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut base = round(&client, SEED, 0);
    let after_first = LIVE.load(Ordering::Relaxed);
    let peak_first = PEAK.load(Ordering::Relaxed);
    PEAK.store(after_first, Ordering::Relaxed);
    for _ in 0..9 {
        base = round(&client, SEED, base);
    }
    let after_last = LIVE.load(Ordering::Relaxed);
    let peak_rest = PEAK.load(Ordering::Relaxed);
    println!(
        "heap: {before} bytes live before, {after_first} after round 1, {after_last} after \
         round 10 (10,000 requests); high-water {peak_first} bytes in round 1, {peak_rest} in \
         rounds 2-10"
    );
    // Later ids have more digits, so later rounds' bodies are a few bytes longer.
    assert!(
        peak_rest <= peak_first + peak_first / 20,
        "the high-water mark kept rising"
    );
    assert_eq!(after_first, after_last, "memory grew across rounds");
}

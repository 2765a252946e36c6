//! Peak heap while decoding the 10,000-pickup-point `getParcelShops` response: the whole
//! document into the generated types vs streaming with `ItemSplitter` (16 KiB chunks, each
//! item dropped after use), plus serde + quick-xml for reference.
//!
//! A counting global allocator records the high-water mark above the heap in use before each
//! decode (the input document itself is excluded: it is allocated before the baseline).
//!
//! Run: `cargo bench -p dpd-client --bench memory`

mod common;

use common::decode;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Wraps the system allocator, tracking live bytes and their maximum.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grow(n: usize) {
    let now = LIVE.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call forwards to `System` with the caller's layout; the counters do not
// affect the returned memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result with the peak heap it added above the heap live before.
fn peak_of<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let r = f();
    (r, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

fn mib(n: usize) -> f64 {
    n as f64 / (1024.0 * 1024.0)
}

fn main() {
    let doc = common::parcel_shops_response(common::SHOPS);
    println!(
        "input: {} shops, {} bytes ({:.1} MiB), held by the caller in all cases",
        common::SHOPS,
        doc.len(),
        mib(doc.len())
    );

    // Whole document: the decoded Vec<ParcelShop> is alive until counted, as for a caller.
    let (n, whole) = peak_of(|| decode::decode_generated(&doc));
    assert_eq!(n, common::SHOPS);
    println!(
        "generated, whole document: peak +{whole} bytes ({:.1} MiB)",
        mib(whole)
    );

    // Streaming: each shop is dropped once seen (a caller folding or writing items out).
    let ((n, max_buf), stream) = peak_of(|| decode::decode_streaming(&doc));
    assert_eq!(n, common::SHOPS);
    println!(
        "generated, streaming {} KiB chunks: peak +{stream} bytes ({:.1} KiB); splitter buffer max {max_buf} bytes",
        decode::CHUNK / 1024,
        stream as f64 / 1024.0
    );

    // Reference: hand-written serde structs of the same shape, whole document.
    let (n, serde) = peak_of(|| decode::decode_serde(&doc));
    assert_eq!(n, common::SHOPS);
    println!(
        "serde + quick-xml, whole document: peak +{serde} bytes ({:.1} MiB)",
        mib(serde)
    );

    // A whole-body HTTP client would also hold the collected body; streaming would not.
    println!(
        "ratio whole/streaming: {:.0}x (whole-document decode alone, input excluded)",
        whole as f64 / stream.max(1) as f64
    );
}

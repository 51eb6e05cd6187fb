//! A weights file that claims a large model but carries few numbers is refused before
//! anything of the model's size is allocated (a 254-byte file once made the page allocate
//! about 3 GB). The allocator records the largest single allocation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use vae_playground::weights::{WeightsError, from_json};

struct Largest;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Largest {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Largest = Largest;

const CLAIM: &str = r#"{"format":"vae-playground-weights","version":1,"model":"vae",
 "config":{"dataset":"digits","input":4096,"model":"vae","hidden":1024,"latent":2,
 "activation":"relu","beta":1,"lr":0.001,"optimizer":"adam","batch":64,"noise":"sample",
 "seed":0},"tensors":[]}"#;

#[test]
fn a_file_claiming_a_large_model_allocates_little() {
    LARGEST.store(0, Ordering::Relaxed);
    let result = from_json(CLAIM);
    assert!(matches!(result, Err(WeightsError::Config(_))), "{result:?}");
    let largest = LARGEST.load(Ordering::Relaxed);
    // The model it claims would take 2 · 4096 · 1024 · 4 bytes = 32 MiB for its two big layers.
    assert!(largest < 64 * 1024, "largest allocation: {largest} bytes");
}

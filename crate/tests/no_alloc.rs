//! The training step allocates nothing of its own: every buffer is sized once for the batch.
//!
//! The matrix products go through ndarray to matrixmultiply, whose `gemm` allocates one packing
//! buffer per call (matrixmultiply 0.3, `make_packing_buffer`). So the budget of a step is
//! exactly its number of matrix products; any allocation of ours would exceed it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;
use vae_playground::config::Config;
use vae_playground::data::Dataset;
use vae_playground::model::ModelKind;
use vae_playground::train::Trainer;

struct Counting;

// Counted per thread: the test harness's own threads allocate now and then (more often on a
// loaded machine), and those allocations are not the step's.
thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    ALLOCATIONS.with(|a| a.set(a.get() + 1));
}

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations per step over `steps` steps, after a warm-up.
fn allocations_per_step(kind: ModelKind, steps: usize) -> f64 {
    let config = Config {
        model: kind,
        hidden: 64,
        ..Config::default()
    };
    let mut t = Trainer::new(config, Arc::new(Dataset::digits())).unwrap();
    t.step().unwrap();
    let before = allocations();
    for _ in 0..steps {
        t.step().unwrap();
    }
    (allocations() - before) as f64 / steps as f64
}

#[test]
fn a_step_allocates_only_matrixmultiplys_packing_buffers() {
    // VAE: 5 forward products, 5 weight gradients, 4 input gradients (none for the input).
    let vae = allocations_per_step(ModelKind::Vae, 60);
    assert!(vae <= 14.0, "VAE: {vae} allocations per step, budget 14");
    // AE: 4 forward, 4 weight gradients, 3 input gradients.
    let ae = allocations_per_step(ModelKind::Ae, 60);
    assert!(ae <= 11.0, "AE: {ae} allocations per step, budget 11");
}

#[test]
fn a_decoder_only_step_of_the_tear_allocates_only_packing_buffers() {
    use vae_playground::tear::{FrozenCodes, Retraining};
    let config = Config {
        hidden: 64,
        ..Config::default()
    };
    let data = Arc::new(Dataset::digits());
    let t = Trainer::new(config.clone(), data.clone()).unwrap();
    let mut r = Retraining::new(t.model(), &config, data.len(), FrozenCodes::of(&t));
    r.step(&data);
    let before = allocations();
    for _ in 0..60 {
        r.step(&data);
    }
    let per_step = (allocations() - before) as f64 / 60.0;
    // 2 forward products, 2 weight gradients, 2 input gradients (the second, to the codes, is
    // the decoder's backward pass as training uses it).
    assert!(per_step <= 6.0, "{per_step} allocations per step, budget 6");
}

//! Where a view's frame goes, natively: encoding every sample, the decoder map, drawing the
//! codes, against one training step. Prints microseconds per call.
//!
//! Run: `cargo run --release --example frame_cost`.

use std::sync::Arc;
use std::time::Instant;
use vae_playground::config::Config;
use vae_playground::data::Dataset;
use vae_playground::playground::{Playground, ViewSettings};

fn time(label: &str, reps: u32, mut f: impl FnMut()) {
    f();
    let t = Instant::now();
    for _ in 0..reps {
        f();
    }
    println!(
        "{label:>28}: {:8.1} µs",
        t.elapsed().as_secs_f64() * 1e6 / reps as f64
    );
}

fn main() {
    for recipe in ["vae", "ae"] {
        println!("{recipe}");
        let mut p = Playground::new(
            recipe.parse().unwrap(),
            Config::default(),
            ViewSettings::default(),
            Arc::new(Dataset::digits()),
        )
        .unwrap();
        p.train(500).unwrap();
        time("training step (batch 64)", 200, || {
            p.train(1).unwrap();
        });
        time("encode every sample", 50, || p.encode_all());
        time("draw, map kept", 50, || p.draw_with(false));
        time("draw, map decoded", 50, || p.draw_with(true));
        p.set_map(false);
        time("draw, no map", 50, || p.draw_with(false));
    }
}

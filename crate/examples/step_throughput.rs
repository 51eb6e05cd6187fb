//! Native training throughput of the reference configuration, one JSON line per model and
//! batch size: `{"model":"vae","batch":64,"samples_per_second":...}`. Used by `tests/bench.mjs`
//! to put the browser's figures beside native ones; `cargo bench` gives the same with
//! statistics.
//!
//! Run: `cargo run --release --example step_throughput`.

use std::sync::Arc;
use std::time::Instant;
use vae_playground::config::Config;
use vae_playground::data::Dataset;
use vae_playground::model::ModelKind;
use vae_playground::train::Trainer;

fn main() {
    let data = Arc::new(Dataset::digits());
    for batch in [64, 256] {
        for model in [ModelKind::Vae, ModelKind::Ae] {
            let config = Config {
                model,
                batch,
                ..Config::default()
            };
            let mut t = Trainer::new(config, data.clone()).expect("reference configuration");
            for _ in 0..50 {
                t.step().expect("trains");
            }
            // Best of five runs of about 0.3 s each.
            let steps = 80_000 / batch;
            let mut best = 0.0f64;
            for _ in 0..5 {
                let start = Instant::now();
                for _ in 0..steps {
                    t.step().expect("trains");
                }
                let sps = (steps * batch) as f64 / start.elapsed().as_secs_f64();
                best = best.max(sps);
            }
            println!(
                "{{\"model\":\"{}\",\"batch\":{batch},\"samples_per_second\":{best:.0}}}",
                model.name()
            );
        }
    }
}

//! Native training throughput of the reference configuration, one JSON line per model, batch
//! size and input size: `{"model":"vae","batch":64,"input":64,"samples_per_second":...}`
//! (64 inputs: the digits; 784: random images of MNIST's shape, batch 64 only). Used by `tests/bench.mjs`
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
    let digits = Arc::new(Dataset::digits());
    let mnist_shape = Arc::new(Dataset::random_images(2000, 28, 0));
    let runs = [(64, &digits), (256, &digits), (64, &mnist_shape)];
    for (batch, data) in runs {
        for model in [ModelKind::Vae, ModelKind::Ae] {
            let config = Config {
                model,
                batch,
                ..Config::default()
            };
            let mut t = Trainer::new(config, data.clone()).expect("reference configuration");
            for _ in 0..20 {
                t.step().expect("trains");
            }
            // Best of five runs of about 0.3 s each.
            let steps = 80_000 / batch / (data.dim() / 64);
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
                "{{\"model\":\"{}\",\"batch\":{batch},\"input\":{},\"samples_per_second\":{best:.0}}}",
                model.name(),
                data.dim()
            );
        }
    }
}

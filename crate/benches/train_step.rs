//! One training step of the reference configuration (digits, H 256, Z 2, ReLU, Adam), for the
//! VAE and the AE at batch 64 and 256. Criterion prints the time per step and, through the
//! throughput setting, samples per second ("elem/s").
//!
//! Run: `cargo bench --bench train_step`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::sync::Arc;
use vae_playground::config::Config;
use vae_playground::data::Dataset;
use vae_playground::model::ModelKind;
use vae_playground::train::Trainer;

fn train_step(c: &mut Criterion) {
    let data = Arc::new(Dataset::digits());
    let mut group = c.benchmark_group("train_step");
    for batch in [64, 256] {
        for kind in [ModelKind::Vae, ModelKind::Ae] {
            let config = Config {
                model: kind,
                batch,
                ..Config::default()
            };
            let mut trainer = Trainer::new(config, data.clone()).unwrap();
            group.throughput(Throughput::Elements(batch as u64));
            group.bench_function(format!("{}/batch{batch}", kind.name()), |b| {
                b.iter(|| black_box(trainer.step().unwrap()))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, train_step);
criterion_main!(benches);

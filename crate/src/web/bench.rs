//! The benchmark's handles: one model training with the reference configuration, and a
//! plain matrix product through the same kernel (timed by JavaScript).

use crate::config::Config;
use crate::data::Dataset;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// One model training with the reference configuration (on the digits, or at 28 × 28), for the in-browser
/// benchmark (timed by JavaScript around [`BenchTrainer::run`]).
#[wasm_bindgen]
pub struct BenchTrainer(crate::train::Trainer);

#[wasm_bindgen]
impl BenchTrainer {
    /// `model`: `"vae"` or `"ae"`; `batch`: samples per step; `side`: 8 trains on the
    /// digits, any other side (at most 64) on random images of MNIST's shape
    /// ([`Dataset::random_images`]).
    ///
    /// # Errors
    /// An unknown model or a batch the data set cannot fill.
    #[wasm_bindgen(constructor)]
    pub fn new(model: &str, batch: usize, side: usize) -> Result<BenchTrainer, JsError> {
        let model: crate::model::ModelKind = model
            .parse()
            .map_err(|e: crate::names::UnknownName| JsError::new(&e.to_string()))?;
        let config = Config {
            model,
            batch,
            ..Config::default()
        };
        let data = match side {
            8 => Dataset::digits(),
            _ => Dataset::random_images(2000, side.clamp(2, 64), 0),
        };
        crate::train::Trainer::new(config, Arc::new(data))
            .map(BenchTrainer)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// `steps` training steps.
    ///
    /// # Errors
    /// If training diverged.
    pub fn run(&mut self, steps: u32) -> Result<(), JsError> {
        for _ in 0..steps {
            self.0.step().map_err(|e| JsError::new(&e.to_string()))?;
        }
        Ok(())
    }
}

/// A plain `(n, n) × (n, n)` f32 matrix product through the same kernel as training
/// ([`crate::dispatch::product`], so [`crate::gemm`]'s tiles): the benchmark's measure of this
/// machine's peak in wasm.
#[wasm_bindgen]
pub struct MatmulBench {
    a: ndarray::Array2<f32>,
    b: ndarray::Array2<f32>,
    c: ndarray::Array2<f32>,
}

#[wasm_bindgen]
impl MatmulBench {
    /// Two `(n, n)` matrices (n at most 1024) and room for their product.
    #[wasm_bindgen(constructor)]
    pub fn new(n: usize) -> MatmulBench {
        let n = n.clamp(1, 1024);
        let a =
            ndarray::Array2::from_shape_fn((n, n), |(i, j)| ((i * 7 + j * 3) % 13) as f32 * 0.1);
        let b = a.t().to_owned();
        MatmulBench {
            a,
            b,
            c: ndarray::Array2::zeros((n, n)),
        }
    }

    /// `reps` products, `c ← a·b` (timed by JavaScript); each is `2n³` FLOP.
    pub fn run(&mut self, reps: u32) {
        for _ in 0..reps {
            crate::dispatch::product(self.a.view(), self.b.view(), 0.0, self.c.view_mut());
        }
    }
}

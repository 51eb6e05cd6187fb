//! Free codes: a model whose encoder is no network. Each training input owns a learnable
//! posterior (a VAE: a mean and a `log σ²` per input) or code (an AE), initialised at random,
//! so that similar inputs start far apart: the student's arrangement as the starting point,
//! with no smooth encoder to sort it. The decoder is the model's; only the table replaces the
//! encoder, and both train together on the same batches.
//!
//! The table's gradient is the loss's gradient with respect to the codes
//! ([`crate::model::Model::backward_to_codes`]) scattered into the rows of the batch; it is
//! updated by its own Adam at [`FREE_CODE_LR`] (codes move through a batch only when their
//! input is in it, so they need a larger step than the network's weights).

use crate::config::{Config, OptimizerKind};
use crate::layers::Dense;
use crate::optim::Optimizer;
use crate::rng::{Stream, stream};
use ndarray::{Array2, ArrayView2};
use rand::RngExt;
use rand_distr::StandardNormal;

/// The learning rate of the table of free codes (Adam).
pub const FREE_CODE_LR: f32 = 0.01;

/// The initial σ of every free posterior.
pub const FREE_INIT_SIGMA: f32 = 0.5;

/// The table: one code (and, for a VAE, one `log σ²`) per training input.
pub struct FreeCodes {
    /// `(N, Z)` the means (the AE's codes), as the weights of a layer (its bias unused), so
    /// that the optimiser treats them like any layer.
    mu: Dense<f32>,
    /// `(N, Z)` the `log σ²` (VAE).
    logvar: Option<Dense<f32>>,
    grad_mu: Dense<f32>,
    grad_logvar: Option<Dense<f32>>,
    optimizer: Optimizer<f32>,
}

impl FreeCodes {
    /// A table for `n` inputs of `config`'s model: means drawn from N(0, I) with the seed's
    /// code stream, every σ [`FREE_INIT_SIGMA`].
    pub fn new(config: &Config, n: usize) -> Self {
        let z = config.latent;
        let vae = config.model == crate::model::ModelKind::Vae;
        let mut rng = stream(config.seed, Stream::Codes);
        let mu = Dense {
            w: Array2::from_shape_simple_fn((n, z), || rng.sample::<f32, _>(StandardNormal)),
            b: ndarray::Array1::zeros(z),
        };
        let logvar = vae.then(|| Dense {
            w: Array2::from_elem((n, z), 2.0 * FREE_INIT_SIGMA.ln()),
            b: ndarray::Array1::zeros(z),
        });
        let grad_mu = Dense::zeros(n, z);
        let grad_logvar = vae.then(|| Dense::zeros(n, z));
        let optimizer = Optimizer::for_layers(
            OptimizerKind::Adam,
            FREE_CODE_LR,
            std::iter::once(&mu).chain(logvar.as_ref()),
        );
        FreeCodes {
            mu,
            logvar,
            grad_mu,
            grad_logvar,
            optimizer,
        }
    }

    /// Writes the codes of the inputs `indices` into `mu` and (VAE) `logvar`, `(B, Z)` each.
    pub fn gather(&self, indices: &[u32], mu: &mut Array2<f32>, logvar: &mut Array2<f32>) {
        for (r, &i) in indices.iter().enumerate() {
            mu.row_mut(r).assign(&self.mu.w.row(i as usize));
            if let Some(lv) = &self.logvar {
                logvar.row_mut(r).assign(&lv.w.row(i as usize));
            }
        }
    }

    /// One Adam step of the table with the batch's gradients `dmu` and (VAE) `dlogvar`
    /// `(B, Z)`, for the inputs `indices`; the rows of other inputs get a zero gradient.
    pub fn step(&mut self, indices: &[u32], dmu: ArrayView2<f32>, dlogvar: ArrayView2<f32>) {
        self.grad_mu.w.fill(0.0);
        for (r, &i) in indices.iter().enumerate() {
            self.grad_mu.w.row_mut(i as usize).assign(&dmu.row(r));
        }
        if let Some(g) = &mut self.grad_logvar {
            g.w.fill(0.0);
            for (r, &i) in indices.iter().enumerate() {
                g.w.row_mut(i as usize).assign(&dlogvar.row(r));
            }
        }
        self.optimizer.step_layers(
            std::iter::once(&mut self.mu).chain(self.logvar.as_mut()),
            std::iter::once(&self.grad_mu).chain(self.grad_logvar.as_ref()),
        );
    }
}

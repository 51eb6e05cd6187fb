//! A training run: a model, its optimiser, the data, the seeded streams, and the buffers of
//! one step, all sized once so that [`Trainer::step`] allocates nothing of its own.

use crate::config::{Config, ConfigError, Noise, check_batch, check_beta, check_lr};
use crate::data::{BatchOrder, Dataset};
use crate::free::FreeCodes;
use crate::model::{Loss, Model, ModelKind, Sizes, Workspace};
use crate::optim::Optimizer;
use crate::rng::{Stream, stream};
use ndarray::{Array2, ArrayView2};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use std::fmt;
use std::sync::Arc;

/// What one training step did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepStats {
    /// The batch's losses before the update.
    pub loss: Loss,
    /// Steps taken so far, this one included.
    pub step: u64,
    /// Whether this step was the last full batch of an epoch.
    pub end_of_epoch: bool,
}

/// Why a step was not taken.
#[derive(Clone, Debug, PartialEq)]
pub enum TrainError {
    /// The loss or a gradient is not a finite number: the learning rate is probably too high.
    /// The model is left as it was before this step.
    Diverged {
        /// The step that would have been taken.
        step: u64,
        /// The loss of that batch (may be NaN or infinite).
        loss: f64,
    },
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrainError::Diverged { step, loss } => write!(
                f,
                "training diverged at step {step}: the loss became {loss}. The learning rate is \
                 too high: the steps before this one have already thrown the weights so far off \
                 that lowering it now cannot bring them back. Lower it and press Reset. (This \
                 step was not applied.)"
            ),
        }
    }
}

impl std::error::Error for TrainError {}

/// Losses of a trained model on the whole data set, in nats per sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// `recon + β·kl`, with `ε` drawn from the evaluation stream of the seed.
    pub loss: f64,
    /// Reconstruction with `z` as the model trains: with its noise where it has some
    /// ([`Trainer::noisy`]), at the mean otherwise.
    pub recon: f64,
    /// KL to the prior (0 for the AE).
    pub kl: f64,
    /// Reconstruction when decoding `z = μ`.
    pub recon_at_mean: f64,
    /// KL of each latent dimension.
    pub kl_per_dim: Vec<f64>,
}

/// "A pair pulled apart": while training, a term holds the means (the AE's codes) of the
/// inputs `pair` at `(±distance/2, 0, …)`, symmetric about the origin, with the penalty
/// `(PULL_KAPPA/2)·(‖μ_i − a‖² + ‖μ_j + a‖²)`, `a = (distance/2, 0, …)`, whose gradient is
/// added to each step's (the losses a step reports leave the penalty out). What holding them
/// there costs the model is the price of the student's cheat.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pull {
    /// The two inputs, by index.
    pub pair: (usize, usize),
    /// How far apart their means are held, in latent units.
    pub distance: f32,
}

/// The pull's stiffness κ, nats per squared latent unit: strong enough, beside a batch's mean
/// loss, to hold the pair within a few hundredths of its targets.
pub const PULL_KAPPA: f32 = 10.0;

/// The largest distance a pair may be pulled to.
pub const MAX_PULL: f32 = 20.0;

/// What a pull costs the model now, nats per sample.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PullReport {
    /// The step it was measured at.
    pub step: u64,
    /// The pair.
    pub pair: (usize, usize),
    /// The distance asked for.
    pub distance: f32,
    /// The distance between the pair's means now.
    pub apart: f64,
    /// The pair's own loss, `recon + β·KL`, mean of the two (ε from the evaluation stream).
    pub pair_loss: f64,
    /// The loss on the whole data set.
    pub loss: f64,
}

/// A pull in force: the pull, the pair's inputs `(2, D)`, their targets `(2, Z)` and the
/// buffers of its forward and backward pass.
type PullState = (Pull, Array2<f32>, Array2<f32>, Workspace<f32>);

/// A model being trained on a data set.
pub struct Trainer {
    config: Config,
    data: Arc<Dataset>,
    model: Model<f32>,
    grads: Model<f32>,
    optimizer: Optimizer<f32>,
    order: BatchOrder,
    shuffle_rng: ChaCha8Rng,
    noise_rng: ChaCha8Rng,
    /// `(B, D)` the current batch.
    x: Array2<f32>,
    /// `(B, Z)` the current batch's `ε`.
    eps: Array2<f32>,
    ws: Workspace<f32>,
    /// `(Z)` the batch-mean KL of each latent dimension at the last step taken.
    kl_per_dim: Vec<f64>,
    /// The pull on a pair, with its inputs and buffers.
    pull: Option<PullState>,
    /// The table of free codes, for a model without an encoder network.
    free: Option<FreeCodes>,
    steps: u64,
    epochs: u64,
}

impl Trainer {
    /// A new run of `config` on `data`, with weights drawn from the seed.
    ///
    /// # Errors
    /// The first setting of `config` that cannot be used.
    pub fn new(config: Config, data: Arc<Dataset>) -> Result<Self, ConfigError> {
        config.validate(data.len())?;
        let sizes = Sizes {
            input: data.dim(),
            hidden: config.hidden,
            latent: config.latent,
        };
        let model = Model::init(
            config.model,
            config.activation,
            sizes,
            &mut stream(config.seed, Stream::Init),
        );
        let grads = Model::zeros(config.model, config.activation, sizes);
        let optimizer = Optimizer::new(config.optimizer, config.lr, &model);
        Ok(Trainer {
            order: BatchOrder::new(data.len(), config.batch),
            shuffle_rng: stream(config.seed, Stream::Shuffle),
            noise_rng: stream(config.seed, Stream::Noise),
            x: Array2::zeros((config.batch, sizes.input)),
            eps: Array2::zeros((config.batch, sizes.latent)),
            ws: Workspace::new(config.batch, sizes),
            kl_per_dim: vec![0.0; sizes.latent],
            pull: None,
            free: config.free.then(|| FreeCodes::new(&config, data.len())),
            config,
            data,
            model,
            grads,
            optimizer,
            steps: 0,
            epochs: 0,
        })
    }

    /// The settings in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The data set.
    pub fn data(&self) -> &Dataset {
        &self.data
    }

    /// The model as trained so far.
    pub fn model(&self) -> &Model<f32> {
        &self.model
    }

    /// Replaces the weights (for example loaded from a file) and restarts the optimiser's
    /// state; the step count and the data order go on.
    ///
    /// # Panics
    /// If `model` is not of this run's kind and sizes; check with [`Trainer::fits`] first.
    pub fn set_model(&mut self, model: Model<f32>) {
        assert!(self.fits(&model), "model does not fit this run");
        self.optimizer = Optimizer::new(self.config.optimizer, self.config.lr, &model);
        self.model = model;
    }

    /// Whether `model` has this run's kind, activation and sizes.
    pub fn fits(&self, model: &Model<f32>) -> bool {
        model.kind == self.model.kind
            && model.activation == self.model.activation
            && model.sizes == self.model.sizes
    }

    /// Steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Epochs completed.
    pub fn epochs(&self) -> u64 {
        self.epochs
    }

    /// Full batches in one epoch at the current batch size.
    pub fn batches_per_epoch(&self) -> usize {
        self.order.batches_per_epoch()
    }

    /// The indices of the samples in the last batch drawn.
    pub fn last_batch(&self) -> &[u32] {
        self.order.last()
    }

    /// The codes of the last batch drawn, `(B, Z)` each: the encoder's means (an AE's codes)
    /// and `log σ²` (written by a VAE's encoder only), from the weights before the last step.
    pub fn last_codes(&self) -> (ArrayView2<'_, f32>, ArrayView2<'_, f32>) {
        (self.ws.mu.view(), self.ws.logvar.view())
    }

    /// The batch-mean KL of each latent dimension at the last step taken (a refused,
    /// diverging step does not count).
    pub fn kl_per_dim(&self) -> &[f64] {
        &self.kl_per_dim
    }

    /// Sets β from the next step on.
    ///
    /// # Errors
    /// [`ConfigError::Beta`] if β is negative or not a number; nothing changes then.
    pub fn set_beta(&mut self, beta: f32) -> Result<(), ConfigError> {
        self.config.beta = check_beta(beta)?;
        Ok(())
    }

    /// Sets the learning rate from the next step on; the optimiser's state is kept.
    ///
    /// # Errors
    /// [`ConfigError::LearningRate`] if it is not above 0; nothing changes then.
    pub fn set_lr(&mut self, lr: f32) -> Result<(), ConfigError> {
        self.config.lr = check_lr(lr)?;
        self.optimizer.lr = lr;
        Ok(())
    }

    /// Sets how the VAE picks its code while training, from the next step on.
    pub fn set_noise(&mut self, noise: Noise) {
        self.config.noise = noise;
    }

    /// Sets the batch size from the next step on (this resizes the step's buffers once).
    ///
    /// # Errors
    /// [`ConfigError::BatchZero`] or [`ConfigError::BatchTooLarge`]; nothing changes then.
    pub fn set_batch(&mut self, batch: usize) -> Result<(), ConfigError> {
        check_batch(batch, self.data.len())?;
        if batch != self.config.batch {
            self.config.batch = batch;
            self.order.set_batch(batch);
            self.x = Array2::zeros((batch, self.model.sizes.input));
            self.eps = Array2::zeros((batch, self.model.sizes.latent));
            self.ws = Workspace::new(batch, self.model.sizes);
        }
        Ok(())
    }

    /// Holds a pair of inputs apart from the next step on (`None`: lets go).
    ///
    /// # Errors
    /// A sentence if an index is past the data set, the two are the same input, or the
    /// distance is not from 0 to [`MAX_PULL`]; nothing changes then.
    pub fn set_pull(&mut self, pull: Option<Pull>) -> Result<(), String> {
        let Some(p) = pull else {
            self.pull = None;
            return Ok(());
        };
        if self.free.is_some() {
            return Err("a model with free codes has no encoder to hold a pair apart".into());
        }
        let n = self.data.len();
        let (i, j) = p.pair;
        if i >= n || j >= n || i == j {
            return Err(format!(
                "a pair is two different inputs from 0 to {}, not {i} and {j}",
                n - 1
            ));
        }
        if !(0.0..=MAX_PULL).contains(&p.distance) {
            return Err(format!(
                "a pair can be pulled from 0 to {MAX_PULL} apart, not {}",
                p.distance
            ));
        }
        let sizes = self.model.sizes;
        let mut x = Array2::zeros((2, sizes.input));
        self.data.gather(&[i as u32, j as u32], x.view_mut());
        let mut targets = Array2::zeros((2, sizes.latent));
        targets[[0, 0]] = p.distance / 2.0;
        targets[[1, 0]] = -p.distance / 2.0;
        self.pull = Some((p, x, targets, Workspace::new(2, sizes)));
        Ok(())
    }

    /// The pull in force.
    pub fn pull(&self) -> Option<Pull> {
        self.pull.as_ref().map(|(p, ..)| *p)
    }

    /// What the pull in force costs now (evaluates the pair and the whole data set), or
    /// `None` without one.
    pub fn pull_report(&self) -> Option<PullReport> {
        let rows: Vec<u32> = (0..self.data.len() as u32).collect();
        self.pull_report_on(self.data.x.view(), &rows)
    }

    /// As [`Trainer::pull_report`], with the loss over the samples `rows` of the data set,
    /// whose inputs are `inputs` (a large data set's evaluation subset).
    pub fn pull_report_on(&self, inputs: ArrayView2<f32>, rows: &[u32]) -> Option<PullReport> {
        let (p, x, ..) = self.pull.as_ref()?;
        let sizes = self.model.sizes;
        let mut ws = Workspace::new(2, sizes);
        let eps = self.eval_noise(2);
        let pair = self
            .model
            .forward(x.view(), eps.view(), self.config.beta, &mut ws);
        let apart = ws
            .mu
            .row(0)
            .iter()
            .zip(ws.mu.row(1))
            .map(|(&a, &b)| (a as f64 - b as f64).powi(2))
            .sum::<f64>()
            .sqrt();
        Some(PullReport {
            step: self.steps,
            pair: p.pair,
            distance: p.distance,
            apart,
            pair_loss: pair.loss,
            loss: self.evaluate_rows(inputs, rows).loss,
        })
    }

    /// One step of training on the next batch: forward, backward, update.
    ///
    /// # Errors
    /// [`TrainError::Diverged`] if the loss or a gradient is not finite; the weights, the
    /// optimiser and the step count are then left as they were.
    pub fn step(&mut self) -> Result<StepStats, TrainError> {
        let indices = self.order.next_batch(&mut self.shuffle_rng);
        self.data.gather(indices, self.x.view_mut());
        let end_of_epoch = self.order.epoch_done();
        match self.noise_scale() {
            Some(scale) => self.eps.iter_mut().for_each(|e| {
                *e = scale * self.noise_rng.sample::<f32, _>(StandardNormal);
            }),
            None => self.eps.fill(0.0),
        }
        let loss = match &self.free {
            None => self.model.loss_and_grad(
                self.x.view(),
                self.eps.view(),
                self.config.beta,
                &mut self.ws,
                &mut self.grads,
            ),
            Some(table) => {
                // The codes come from the table; the encoder's gradients stay zero.
                let indices = self.order.last();
                table.gather(indices, &mut self.ws.mu, &mut self.ws.logvar);
                let beta = self.config.beta;
                let loss = self.model.forward_from_codes(
                    self.x.view(),
                    self.eps.view(),
                    beta,
                    &mut self.ws,
                );
                self.model.backward_to_codes(
                    self.x.view(),
                    self.eps.view(),
                    beta,
                    &mut self.ws,
                    &mut self.grads,
                );
                loss
            }
        };
        if let Some((_, x, targets, ws)) = &mut self.pull {
            self.model
                .pull_add(x.view(), targets.view(), PULL_KAPPA, ws, &mut self.grads);
        }
        let grad_sum: f32 = self
            .grads
            .layers()
            .map(|(_, l)| l.w.sum() + l.b.sum())
            .sum();
        if !loss.loss.is_finite() || !grad_sum.is_finite() {
            return Err(TrainError::Diverged {
                step: self.steps + 1,
                loss: loss.loss,
            });
        }
        if let Some(table) = &mut self.free {
            let finite = self
                .ws
                .dmu
                .iter()
                .chain(self.ws.dlogvar.iter())
                .all(|g| g.is_finite());
            if !finite {
                return Err(TrainError::Diverged {
                    step: self.steps + 1,
                    loss: loss.loss,
                });
            }
            table.step(
                self.order.last(),
                self.ws.dmu.view(),
                self.ws.dlogvar.view(),
            );
        }
        self.optimizer.step(&mut self.model, &self.grads);
        self.kl_per_dim.copy_from_slice(&self.ws.kl_per_dim);
        self.steps += 1;
        if end_of_epoch {
            self.epochs += 1;
        }
        Ok(StepStats {
            loss,
            step: self.steps,
            end_of_epoch,
        })
    }

    /// The codes of the samples `rows` of the data set, whose inputs are `x` `(rows, D)`, into
    /// `ws` (a model with free codes reads its table at `rows`).
    pub fn encode_rows(&self, x: ArrayView2<f32>, rows: &[u32], ws: &mut Workspace<f32>) {
        match &self.free {
            None => self.model.encode(x, ws),
            Some(table) => table.gather(rows, &mut ws.mu, &mut ws.logvar),
        }
    }

    /// The codes of input `index` of the data set into the one-sample `ws`.
    pub fn encode_one(&self, index: usize, ws: &mut Workspace<f32>) {
        match &self.free {
            None => self
                .model
                .encode(self.data.x.slice(ndarray::s![index..index + 1, ..]), ws),
            Some(table) => table.gather(&[index as u32], &mut ws.mu, &mut ws.logvar),
        }
    }

    /// Whether the model has free codes instead of an encoder ([`crate::free`]).
    pub fn has_free_codes(&self) -> bool {
        self.free.is_some()
    }

    /// Whether the model trains on noisy codes: a VAE that samples `z = μ + σ·ε`, or an AE
    /// with fixed noise `σ₀ > 0`. A VAE trained on `z = μ` and the plain AE do not.
    pub fn noisy(&self) -> bool {
        self.noise_scale().is_some()
    }

    /// What `ε ~ N(0, I)` is scaled by before it is added to the codes while training: 1 for a
    /// VAE that samples (its own σ multiplies it in the model), σ₀ for an AE with fixed noise;
    /// `None` for a model that trains without noise.
    fn noise_scale(&self) -> Option<f32> {
        match self.config.model {
            ModelKind::Vae => (self.config.noise == Noise::Sample).then_some(1.0),
            ModelKind::Ae => (self.config.sigma > 0.0).then_some(self.config.sigma),
        }
    }

    /// The evaluation's noise for the first `rows` inputs, `(rows, Z)`: the seed's evaluation
    /// stream, scaled as in training, drawn afresh each call; zeros without noise.
    fn eval_noise(&self, rows: usize) -> Array2<f32> {
        let shape = (rows, self.model.sizes.latent);
        match self.noise_scale() {
            Some(scale) => {
                let mut rng = stream(self.config.seed, Stream::Eval);
                Array2::from_shape_simple_fn(shape, || scale * rng.sample::<f32, _>(StandardNormal))
            }
            None => Array2::zeros(shape),
        }
    }

    /// The model's losses on the whole data set. `ε` comes from the seed's evaluation stream,
    /// drawn afresh each call, so the same weights always give the same figures.
    pub fn evaluate(&self) -> Evaluation {
        let rows: Vec<u32> = (0..self.data.len() as u32).collect();
        self.evaluate_rows(self.data.x.view(), &rows)
    }

    /// The model's losses on the samples `rows` of the data set, whose inputs are `x`, as
    /// [`Trainer::evaluate`] (a large data set's evaluation subset).
    pub fn evaluate_rows(&self, x: ArrayView2<f32>, rows: &[u32]) -> Evaluation {
        let n = rows.len();
        let z = self.model.sizes.latent;
        let mut ws = Workspace::new(n, self.model.sizes);
        let beta = self.config.beta;
        self.encode_rows(x, rows, &mut ws);
        let at_mean = self
            .model
            .forward_from_codes(x, Array2::zeros((n, z)).view(), beta, &mut ws);
        if !self.noisy() {
            return Evaluation {
                loss: at_mean.loss,
                recon: at_mean.recon,
                kl: at_mean.kl,
                recon_at_mean: at_mean.recon,
                kl_per_dim: ws.kl_per_dim,
            };
        }
        let eps = self.eval_noise(n);
        let sampled = self.model.forward_from_codes(x, eps.view(), beta, &mut ws);
        Evaluation {
            loss: sampled.loss,
            recon: sampled.recon,
            kl: sampled.kl,
            recon_at_mean: at_mean.recon,
            kl_per_dim: ws.kl_per_dim,
        }
    }

    /// The encoder's output for every sample: `(N, Z)` means (AE: codes) and the `(N, Z)`
    /// `log σ²` of the noise on them while training: the VAE's own, `log σ₀²` for an AE with
    /// fixed noise, `None` for the plain AE.
    pub fn encode_all(&self) -> (Array2<f32>, Option<Array2<f32>>) {
        let n = self.data.len();
        let mut ws = Workspace::new(n, self.model.sizes);
        let rows: Vec<u32> = (0..n as u32).collect();
        self.encode_rows(self.data.x.view(), &rows, &mut ws);
        let logvar = match self.model.kind {
            ModelKind::Vae => Some(ws.logvar),
            ModelKind::Ae if self.config.sigma > 0.0 => {
                Some(Array2::from_elem(ws.mu.dim(), 2.0 * self.config.sigma.ln()))
            }
            ModelKind::Ae => None,
        };
        (ws.mu, logvar)
    }
}

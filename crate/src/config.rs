//! Settings of a training run, validated into typed errors a student can read.

use crate::layers::Activation;
use crate::model::ModelKind;
use std::fmt;

/// The largest hidden layer accepted. Larger ones would not train at an interactive speed.
pub const MAX_HIDDEN: usize = 4096;
/// The largest latent space accepted.
pub const MAX_LATENT: usize = 64;

/// Plain gradient descent or Adam.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    /// Adam (Kingma & Ba, 2015) with β1 0.9, β2 0.999, ε 1e-8.
    Adam,
    /// Stochastic gradient descent: `θ ← θ − lr·g`.
    Sgd,
}

impl OptimizerKind {
    /// `adam` or `sgd`.
    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Adam => "adam",
            OptimizerKind::Sgd => "sgd",
        }
    }
}

/// How the VAE chooses the code it decodes while training.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Noise {
    /// `z = μ + σ·ε` with `ε ~ N(0, I)`: the decoder must cope with a neighbourhood.
    Sample,
    /// `z = μ`: no noise, the VAE's decoder sees points like an AE's.
    Mean,
}

impl Noise {
    /// `sample` or `mean`.
    pub fn name(self) -> &'static str {
        match self {
            Noise::Sample => "sample",
            Noise::Mean => "mean",
        }
    }
}

/// Everything that defines a training run. The default is the reference configuration:
/// digits, H = 256, Z = 2, ReLU, batch 64, Adam lr 1e-3, β = 1, seed 0.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Config {
    /// VAE or AE.
    pub model: ModelKind,
    /// `H`.
    pub hidden: usize,
    /// `Z`.
    pub latent: usize,
    /// Nonlinearity of the hidden layers.
    pub activation: Activation,
    /// Weight of the KL term (β-VAE); 0 turns it off.
    pub beta: f32,
    /// Learning rate.
    pub lr: f32,
    /// Adam or SGD.
    pub optimizer: OptimizerKind,
    /// Samples per step.
    pub batch: usize,
    /// Sampling `ε` or using the mean while training (VAE).
    pub noise: Noise,
    /// Seed of every random choice.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            model: ModelKind::Vae,
            hidden: 256,
            latent: 2,
            activation: Activation::Relu,
            beta: 1.0,
            lr: 1e-3,
            optimizer: OptimizerKind::Adam,
            batch: 64,
            noise: Noise::Sample,
            seed: 0,
        }
    }
}

/// A setting that cannot be used, one variant each.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigError {
    /// β below 0, or not a number.
    Beta(f32),
    /// A learning rate of 0 or less, or not a finite number.
    LearningRate(f32),
    /// A batch of 0 samples.
    BatchZero,
    /// A batch larger than the data set.
    BatchTooLarge {
        /// The batch asked for.
        batch: usize,
        /// Samples in the data set.
        samples: usize,
    },
    /// A hidden layer of 0 units.
    HiddenZero,
    /// A hidden layer above [`MAX_HIDDEN`].
    HiddenTooLarge(usize),
    /// A latent space of 0 dimensions.
    LatentZero,
    /// A latent space above [`MAX_LATENT`].
    LatentTooLarge(usize),
    /// A view range that is not a number above 0 and at most 1000.
    Range(f32),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Beta(b) => write!(
                f,
                "β must be a number of 0 or more (it weighs the KL term; 0 turns it off), not {b}"
            ),
            ConfigError::LearningRate(lr) => write!(
                f,
                "the learning rate must be a number above 0 (try 0.001), not {lr}"
            ),
            ConfigError::BatchZero => write!(f, "the batch size must be at least 1 sample"),
            ConfigError::BatchTooLarge { batch, samples } => write!(
                f,
                "a batch of {batch} samples is larger than the data set, which has {samples}"
            ),
            ConfigError::HiddenZero => write!(f, "the hidden layers need at least 1 unit"),
            ConfigError::HiddenTooLarge(h) => write!(
                f,
                "{h} hidden units are too many to train here; use at most {MAX_HIDDEN}"
            ),
            ConfigError::LatentZero => write!(f, "the latent space needs at least 1 dimension"),
            ConfigError::LatentTooLarge(z) => write!(
                f,
                "{z} latent dimensions are too many; use at most {MAX_LATENT} (2 can be drawn)"
            ),
            ConfigError::Range(r) => write!(
                f,
                "the axis range must be a number above 0 and at most 1000, not {r}"
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Checks β.
pub fn check_beta(beta: f32) -> Result<f32, ConfigError> {
    if beta.is_finite() && beta >= 0.0 {
        Ok(beta)
    } else {
        Err(ConfigError::Beta(beta))
    }
}

/// Checks a learning rate.
pub fn check_lr(lr: f32) -> Result<f32, ConfigError> {
    if lr.is_finite() && lr > 0.0 {
        Ok(lr)
    } else {
        Err(ConfigError::LearningRate(lr))
    }
}

/// Checks a batch size against a data set of `samples`.
pub fn check_batch(batch: usize, samples: usize) -> Result<usize, ConfigError> {
    match batch {
        0 => Err(ConfigError::BatchZero),
        b if b > samples => Err(ConfigError::BatchTooLarge { batch, samples }),
        b => Ok(b),
    }
}

impl Config {
    /// Checks every setting for a data set of `samples` samples; the first bad one is the error.
    ///
    /// # Errors
    /// The [`ConfigError`] of the first setting that cannot be used.
    ///
    /// ```
    /// use vae_playground::config::{Config, ConfigError};
    /// let bad = Config { beta: -1.0, ..Config::default() };
    /// assert_eq!(bad.validate(1797), Err(ConfigError::Beta(-1.0)));
    /// ```
    pub fn validate(&self, samples: usize) -> Result<(), ConfigError> {
        match self.hidden {
            0 => return Err(ConfigError::HiddenZero),
            h if h > MAX_HIDDEN => return Err(ConfigError::HiddenTooLarge(h)),
            _ => {}
        }
        match self.latent {
            0 => return Err(ConfigError::LatentZero),
            z if z > MAX_LATENT => return Err(ConfigError::LatentTooLarge(z)),
            _ => {}
        }
        check_beta(self.beta)?;
        check_lr(self.lr)?;
        check_batch(self.batch, samples)?;
        Ok(())
    }
}

//! Settings of a training run, validated into typed errors a student can read.

use crate::layers::Activation;
use crate::model::ModelKind;
use std::fmt;

// The bounds and defaults of every setting, in one place: the model's validation and its
// default configuration, the page's URL table (`crate::params`), the trainer and its --help,
// and the weights file all use these.

/// The largest hidden layer accepted. Larger ones would not train at an interactive speed.
pub const MAX_HIDDEN: usize = 1024;
/// The largest latent space accepted.
pub const MAX_LATENT: usize = 64;
/// The largest input (pixels of an image) accepted, checked before anything is allocated.
pub const MAX_INPUT: usize = 4096;
// They are written as f64, as the URL table reads numbers; an f32 setting is checked against
// the f32 nearest to each bound.

/// The smallest β accepted: 0 turns the KL term off.
pub const MIN_BETA: f64 = 0.0;
/// The largest β accepted: far past posterior collapse.
pub const MAX_BETA: f64 = 10.0;
/// β when nothing sets it: 1 is the VAE itself (above 1, a β-VAE).
pub const DEFAULT_BETA: f64 = 1.0;
/// The smallest learning rate accepted: below it nothing visibly moves.
pub const MIN_LR: f64 = 1e-5;
/// The largest learning rate accepted: far past divergence, to show it.
pub const MAX_LR: f64 = 10.0;
/// The learning rate when nothing sets it.
pub const DEFAULT_LR: f64 = 1e-3;
/// Units per hidden layer when nothing sets them.
pub const DEFAULT_HIDDEN: usize = 256;
/// Samples per step when nothing sets them.
pub const DEFAULT_BATCH: usize = 64;
/// The seed when nothing sets it.
pub const DEFAULT_SEED: u64 = 0;
/// The largest fixed noise σ₀ an autoencoder's recipe may add to its code.
pub const MAX_SIGMA: f64 = 10.0;
/// The smallest half-width a latent view may show.
pub const MIN_RANGE: f64 = 0.5;
/// The largest half-width a latent view may show.
pub const MAX_RANGE: f64 = 1000.0;

/// Plain gradient descent or Adam.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    /// Adam (Kingma & Ba, 2015) with β1 0.9, β2 0.999, ε 1e-8.
    Adam,
    /// Stochastic gradient descent: `θ ← θ − lr·g`.
    Sgd,
}

crate::names::named!(OptimizerKind, "optimizer", [OptimizerKind::Adam => "adam", OptimizerKind::Sgd => "sgd"]);

/// How the VAE chooses the code it decodes while training.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Noise {
    /// `z = μ + σ·ε` with `ε ~ N(0, I)`: the decoder must cope with a neighbourhood.
    Sample,
    /// `z = μ`: no noise, the VAE's decoder sees points like an AE's.
    Mean,
}

crate::names::named!(Noise, "noise", [Noise::Sample => "sample", Noise::Mean => "mean"]);

/// The noise when nothing sets it: the VAE samples its code.
pub const DEFAULT_NOISE: Noise = Noise::Sample;
/// The hidden layers' nonlinearity when nothing sets it.
pub const DEFAULT_ACTIVATION: Activation = Activation::Relu;

/// Everything that defines a training run. The default is the reference configuration (on
/// the digits): a VAE, Z = 2, Adam, and the `DEFAULT_*` constants above.
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
    /// The AE only: `σ₀` of the fixed noise added to its code while training,
    /// `z = code + σ₀·ε` with `ε ~ N(0, I)` and no KL term; 0 (the default) for none.
    #[serde(default)]
    pub sigma: f32,
    /// Free codes: no encoder network, a learnable code per training input instead (see
    /// [`crate::free`]).
    #[serde(default)]
    pub free: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            model: ModelKind::Vae,
            hidden: DEFAULT_HIDDEN,
            latent: 2,
            activation: DEFAULT_ACTIVATION,
            beta: DEFAULT_BETA as f32,
            lr: DEFAULT_LR as f32,
            optimizer: OptimizerKind::Adam,
            batch: DEFAULT_BATCH,
            noise: DEFAULT_NOISE,
            seed: DEFAULT_SEED,
            sigma: 0.0,
            free: false,
        }
    }
}

/// A setting that cannot be used, one variant each.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigError {
    /// β outside `[MIN_BETA, MAX_BETA]`, or not a number.
    Beta(f32),
    /// A learning rate outside `[MIN_LR, MAX_LR]`, or not a number.
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
    /// A view range outside `[MIN_RANGE, MAX_RANGE]`, or not a number.
    Range(f32),
    /// A fixed noise σ₀ outside `[0, MAX_SIGMA]`, or not a number.
    Sigma(f32),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Beta(b) => write!(
                f,
                "β must be a number from {MIN_BETA} to {MAX_BETA} (it weighs the KL term; 0 turns it off), not {b}"
            ),
            ConfigError::LearningRate(lr) => write!(
                f,
                "the learning rate must be a number from {MIN_LR:e} to {MAX_LR} (try {DEFAULT_LR}), not {lr}"
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
            ConfigError::Sigma(s) => write!(
                f,
                "the autoencoder's fixed noise σ₀ must be a number from 0 to {MAX_SIGMA} (0: none), not {s}"
            ),
            ConfigError::Range(r) => write!(
                f,
                "the axis range must be a number from {MIN_RANGE} to {MAX_RANGE}, not {r}"
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Checks β: every way β comes in (a configuration, a recipe, a change while training)
/// passes here.
pub fn check_beta(beta: f32) -> Result<f32, ConfigError> {
    if (MIN_BETA as f32..=MAX_BETA as f32).contains(&beta) {
        Ok(beta)
    } else {
        Err(ConfigError::Beta(beta))
    }
}

/// Checks a learning rate.
pub fn check_lr(lr: f32) -> Result<f32, ConfigError> {
    if (MIN_LR as f32..=MAX_LR as f32).contains(&lr) {
        Ok(lr)
    } else {
        Err(ConfigError::LearningRate(lr))
    }
}

/// Checks an autoencoder's fixed noise σ₀.
pub fn check_sigma(sigma: f32) -> Result<f32, ConfigError> {
    if (0.0..=MAX_SIGMA as f32).contains(&sigma) {
        Ok(sigma)
    } else {
        Err(ConfigError::Sigma(sigma))
    }
}

/// Checks the half-width of a latent view.
pub fn check_range(range: f32) -> Result<f32, ConfigError> {
    if (MIN_RANGE as f32..=MAX_RANGE as f32).contains(&range) {
        Ok(range)
    } else {
        Err(ConfigError::Range(range))
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
        check_sigma(self.sigma)?;
        check_batch(self.batch, samples)?;
        Ok(())
    }
}

//! The weights file: a model's parameters and the settings it was trained with, as JSON.
//!
//! ```json
//! {"format":"vae-playground-weights","version":1,"model":"vae",
//!  "config":{"dataset":"digits","input":64,"image":[8,8],"model":"vae","hidden":256,"latent":2,...},
//!  "tensors":[{"name":"enc_hidden.W","shape":[64,256],"data":[...row-major...]},
//!             {"name":"enc_hidden.b","shape":[256],"data":[...]}, ...]}
//! ```
//!
//! Tensors come in forward order, each dense layer as its `W` `(in, out)` then its `b` `(out)`:
//! `enc_hidden`, `enc_mu` (AE: `enc_z`), `enc_logvar` (VAE only), `dec_hidden`, `dec_out`.

use crate::config::{Config, MAX_INPUT, Noise, OptimizerKind};
use crate::layers::Activation;
use crate::model::{Model, ModelKind, Sizes, parameter_count};
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::fmt::Write as _;

/// The value of the file's `format` field.
pub const FORMAT: &str = "vae-playground-weights";
/// The version this code writes and reads.
pub const VERSION: u32 = 1;

/// The settings stored with the weights: the data set, `D`, and the run's [`Config`], field
/// for field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredConfig {
    /// The data set the model was trained on.
    pub dataset: String,
    /// `D`.
    pub input: usize,
    /// Width and height of the images the model was trained on (`w · h = D`); absent in
    /// files written before it was recorded.
    #[serde(default)]
    pub image: Option<[usize; 2]>,
    /// VAE or AE.
    pub model: ModelKind,
    /// `H`.
    pub hidden: usize,
    /// `Z`.
    pub latent: usize,
    /// Nonlinearity of the hidden layers.
    pub activation: Activation,
    /// β.
    pub beta: f32,
    /// Learning rate.
    pub lr: f32,
    /// Adam or SGD.
    pub optimizer: OptimizerKind,
    /// Samples per step.
    pub batch: usize,
    /// Sampling `ε` or using the mean.
    pub noise: Noise,
    /// The seed.
    pub seed: u64,
    /// The AE's fixed noise σ₀ (absent, 0, for every other model).
    #[serde(default)]
    pub sigma: f32,
}

impl StoredConfig {
    /// The run's settings.
    pub fn config(&self) -> Config {
        Config {
            model: self.model,
            hidden: self.hidden,
            latent: self.latent,
            activation: self.activation,
            beta: self.beta,
            lr: self.lr,
            optimizer: self.optimizer,
            batch: self.batch,
            noise: self.noise,
            seed: self.seed,
            sigma: self.sigma,
            // A weights file holds networks: a model with free codes has no encoder to store.
            free: false,
        }
    }
}

/// One tensor of the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tensor {
    /// `layer.W` or `layer.b`.
    pub name: String,
    /// `[in, out]` for a weight matrix, `[out]` for a bias.
    pub shape: Vec<usize>,
    /// The values, row-major.
    pub data: Vec<f32>,
}

/// The whole file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightsFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`].
    pub version: u32,
    /// `vae` or `ae`.
    pub model: String,
    /// The settings of the run.
    pub config: StoredConfig,
    /// The parameters in forward order.
    pub tensors: Vec<Tensor>,
}

/// Why a weights file could not be read.
#[derive(Clone, Debug, PartialEq)]
pub enum WeightsError {
    /// Not JSON, or not the expected fields.
    Json(String),
    /// The `format` field is not [`FORMAT`].
    Format(String),
    /// A `version` this code does not read.
    Version(u32),
    /// The settings stored in the file cannot be used.
    Config(String),
    /// A tensor is missing, misnamed, misshapen or holds a non-finite number.
    Tensor {
        /// Which tensor, by position or name.
        name: String,
        /// What is wrong with it.
        problem: String,
    },
}

impl fmt::Display for WeightsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WeightsError::Json(e) => write!(f, "this is not a readable weights file: {e}"),
            WeightsError::Format(got) => write!(
                f,
                "this file's format is \"{got}\", not a \"{FORMAT}\" file saved by the playground"
            ),
            WeightsError::Version(v) => write!(
                f,
                "this weights file has version {v}; this playground reads version {VERSION}"
            ),
            WeightsError::Config(e) => write!(f, "the settings in this weights file: {e}"),
            WeightsError::Tensor { name, problem } => {
                write!(f, "tensor {name} in this weights file {problem}")
            }
        }
    }
}

impl std::error::Error for WeightsError {}

/// The weights file of `model`, trained with `config` on `dataset`, whose images are
/// `image` = `(w, h)`.
pub fn to_file(
    model: &Model<f32>,
    config: &Config,
    dataset: &str,
    image: (usize, usize),
) -> WeightsFile {
    let mut tensors = Vec::new();
    for (name, layer) in model.layers() {
        tensors.push(Tensor {
            name: format!("{name}.W"),
            shape: layer.w.shape().to_vec(),
            data: layer.w.iter().copied().collect(),
        });
        tensors.push(Tensor {
            name: format!("{name}.b"),
            shape: layer.b.shape().to_vec(),
            data: layer.b.to_vec(),
        });
    }
    WeightsFile {
        format: FORMAT.into(),
        version: VERSION,
        model: model.kind.name().into(),
        config: StoredConfig {
            dataset: dataset.into(),
            input: model.sizes.input,
            image: Some([image.0, image.1]),
            model: model.kind,
            hidden: model.sizes.hidden,
            latent: model.sizes.latent,
            activation: model.activation,
            beta: config.beta,
            lr: config.lr,
            optimizer: config.optimizer,
            batch: config.batch,
            noise: config.noise,
            seed: config.seed,
            sigma: config.sigma,
        },
        tensors,
    }
}

/// `model` and its settings as JSON text. Written by hand rather than by a JSON library, so
/// that the WebAssembly build carries none; the tests read it back with `serde_json`.
pub fn to_json(
    model: &Model<f32>,
    config: &Config,
    dataset: &str,
    image: (usize, usize),
) -> String {
    let f = to_file(model, config, dataset, image);
    let c = &f.config;
    let values: usize = f.tensors.iter().map(|t| t.data.len()).sum();
    let mut out = String::with_capacity(64 * f.tensors.len() + 12 * values + 512);
    let _ = write!(
        out,
        "{{\"format\":\"{FORMAT}\",\"version\":{VERSION},\"model\":\"{}\",\"config\":{{\
         \"dataset\":\"{}\",\"input\":{},\"image\":[{},{}],\"model\":\"{}\",\"hidden\":{},\
         \"latent\":{},\
         \"activation\":\"{}\",\"beta\":{},\"lr\":{},\"optimizer\":\"{}\",\"batch\":{},\
         \"noise\":\"{}\",\"seed\":{}{}}},\"tensors\":[",
        f.model,
        json_text(&c.dataset),
        c.input,
        image.0,
        image.1,
        c.model.name(),
        c.hidden,
        c.latent,
        c.activation.name(),
        c.beta,
        c.lr,
        c.optimizer.name(),
        c.batch,
        c.noise.name(),
        c.seed,
        // Written only where it is set, so that the files of every other model stay as
        // they were.
        if c.sigma > 0.0 {
            format!(",\"sigma\":{}", c.sigma)
        } else {
            String::new()
        }
    );
    for (i, t) in f.tensors.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let shape: Vec<String> = t.shape.iter().map(|d| d.to_string()).collect();
        let _ = write!(
            out,
            "{{\"name\":\"{}\",\"shape\":[{}],\"data\":[",
            json_text(&t.name),
            shape.join(",")
        );
        for (j, v) in t.data.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            // Finite f32s print as plain decimals (Rust never writes exponents): valid JSON.
            let _ = write!(out, "{v}");
        }
        out.push_str("]}");
    }
    out.push_str("]}");
    out
}

/// `s` with the characters JSON strings may not hold raw escaped.
fn json_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The most characters a number takes in a weights file, with its comma: `f32` written in full
/// by another program (`-1.1754943508222875e-38,`, 24), with room to spare.
const CHARS_PER_NUMBER: usize = 32;

/// The text besides the numbers (the settings, the tensors' names and shapes, spaces), at
/// most.
const CHARS_BESIDE: usize = 64 * 1024;

/// The longest text a weights file for images of `input` pixels can need: the largest model
/// the page takes (a VAE of [`crate::config::MAX_HIDDEN`] hidden units and 2 latent
/// dimensions), every number written in full. A longer file is refused before it is parsed,
/// so that a large file that is no weights file never takes the memory its parsing would.
///
/// ```
/// use vae_playground::weights::max_file_chars;
/// assert!(max_file_chars(64) < 5_000_000);
/// assert!(max_file_chars(784) < 64 * 1024 * 1024);
/// ```
pub fn max_file_chars(input: usize) -> usize {
    let sizes = Sizes {
        input,
        hidden: crate::config::MAX_HIDDEN,
        latent: 2,
    };
    parameter_count(ModelKind::Vae, sizes)
        .saturating_mul(CHARS_PER_NUMBER)
        .saturating_add(CHARS_BESIDE)
}

/// Reads a weights file: the model and the settings stored with it.
///
/// # Errors
/// A [`WeightsError`] saying what is wrong with the file.
pub fn from_json(text: &str) -> Result<(Model<f32>, StoredConfig), WeightsError> {
    let file: WeightsFile =
        serde_json::from_str(text).map_err(|e| WeightsError::Json(e.to_string()))?;
    from_file(file)
}

/// Whether weights stored with `stored` were trained on images of `image` = `(w, h)`
/// (files that do not record it are taken at their word: their input size is checked
/// elsewhere).
///
/// # Errors
/// A sentence saying which images the weights were trained on, and which the data has.
pub fn check_image(stored: &StoredConfig, image: (usize, usize)) -> Result<(), String> {
    match stored.image {
        Some([w, h]) if (w, h) != image => Err(format!(
            "these weights were trained on images of {w} × {h} pixels; this data set's are {} × {}",
            image.0, image.1
        )),
        _ => Ok(()),
    }
}

/// Builds the model a [`WeightsFile`] describes.
///
/// # Errors
/// A [`WeightsError`] saying what is wrong with the file.
pub fn from_file(file: WeightsFile) -> Result<(Model<f32>, StoredConfig), WeightsError> {
    if file.format != FORMAT {
        return Err(WeightsError::Format(file.format));
    }
    if file.version != VERSION {
        return Err(WeightsError::Version(file.version));
    }
    let stored = file.config;
    let config = &stored.config();
    if file.model != config.model.name() {
        return Err(WeightsError::Config(format!(
            "the file says model \"{}\" but its settings say \"{}\"",
            file.model,
            config.model.name()
        )));
    }
    config
        .validate(usize::MAX)
        .map_err(|e| WeightsError::Config(e.to_string()))?;
    if !(1..=MAX_INPUT).contains(&stored.input) {
        return Err(WeightsError::Config(format!(
            "{} inputs; a model here has 1 to {MAX_INPUT}",
            stored.input
        )));
    }
    if let Some([w, h]) = stored.image
        && w * h != stored.input
    {
        return Err(WeightsError::Config(format!(
            "images of {w} × {h} pixels, but {} inputs",
            stored.input
        )));
    }
    let sizes = Sizes {
        input: stored.input,
        hidden: config.hidden,
        latent: config.latent,
    };
    // Nothing is allocated for the model until the file is known to carry all its numbers:
    // a small file that claims a large model is refused here, not after a large allocation.
    let want = parameter_count(config.model, sizes);
    let have = file
        .tensors
        .iter()
        .fold(0usize, |sum, t| sum.saturating_add(t.data.len()));
    if have != want {
        return Err(WeightsError::Config(format!(
            "its tensors hold {have} numbers, but a {} with {} inputs, {} hidden units and {} \
             latent dimensions has {want}",
            config.model.name(),
            sizes.input,
            sizes.hidden,
            sizes.latent
        )));
    }
    let mut model = Model::zeros(config.model, config.activation, sizes);
    let mut tensors = file.tensors.into_iter();
    for (name, layer) in model.layers_mut() {
        for part in ["W", "b"] {
            let want_name = format!("{name}.{part}");
            let want_shape = if part == "W" {
                vec![layer.input(), layer.output()]
            } else {
                vec![layer.output()]
            };
            let tensor = tensors.next().ok_or_else(|| WeightsError::Tensor {
                name: want_name.clone(),
                problem: "is missing".into(),
            })?;
            let problem = if tensor.name != want_name {
                Some(format!("comes where {want_name} should"))
            } else if tensor.shape != want_shape {
                Some(format!(
                    "has shape {}, not {}",
                    shape_text(&tensor.shape),
                    shape_text(&want_shape)
                ))
            } else if tensor.data.len() != want_shape.iter().product::<usize>() {
                Some(format!(
                    "has {} numbers for shape {}",
                    tensor.data.len(),
                    shape_text(&want_shape)
                ))
            } else if tensor.data.iter().any(|v| !v.is_finite()) {
                Some("holds a number that is not finite".into())
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(WeightsError::Tensor {
                    name: tensor.name,
                    problem,
                });
            }
            if part == "W" {
                layer.w = Array2::from_shape_vec((want_shape[0], want_shape[1]), tensor.data)
                    .expect("shape checked");
            } else {
                layer.b = Array1::from(tensor.data);
            }
        }
    }
    if let Some(extra) = tensors.next() {
        return Err(WeightsError::Tensor {
            name: extra.name,
            problem: "is not part of this model".into(),
        });
    }
    Ok((model, stored))
}

/// A shape as `[64, 256]`.
fn shape_text(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("[{}]", dims.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::Activation;
    use crate::model::ModelKind;
    use crate::rng::{Stream, stream};

    fn small(kind: ModelKind) -> Model<f32> {
        let sizes = Sizes {
            input: 4,
            hidden: 3,
            latent: 2,
        };
        Model::init(kind, Activation::Tanh, sizes, &mut stream(1, Stream::Init))
    }

    /// The settings `small`'s models are trained with.
    fn small_config(kind: ModelKind) -> Config {
        Config {
            model: kind,
            hidden: 3,
            activation: Activation::Tanh,
            ..Config::default()
        }
    }

    #[test]
    fn round_trip_keeps_every_number_and_the_order() {
        for kind in [ModelKind::Vae, ModelKind::Ae] {
            let model = small(kind);
            let config = small_config(kind);
            let text = to_json(&model, &config, "digits", (2, 2));
            let (back, stored) = from_json(&text).unwrap();
            assert_eq!(back, model);
            assert_eq!(stored.config(), config);
            // serde_json reads the hand-written JSON back to exactly the same file.
            let read: WeightsFile = serde_json::from_str(&text).unwrap();
            assert_eq!(read, to_file(&model, &config, "digits", (2, 2)));
            let file: WeightsFile = serde_json::from_str(&text).unwrap();
            let names: Vec<_> = file.tensors.iter().map(|t| t.name.as_str()).collect();
            let want: &[&str] = match kind {
                ModelKind::Vae => &[
                    "enc_hidden.W",
                    "enc_hidden.b",
                    "enc_mu.W",
                    "enc_mu.b",
                    "enc_logvar.W",
                    "enc_logvar.b",
                    "dec_hidden.W",
                    "dec_hidden.b",
                    "dec_out.W",
                    "dec_out.b",
                ],
                ModelKind::Ae => &[
                    "enc_hidden.W",
                    "enc_hidden.b",
                    "enc_z.W",
                    "enc_z.b",
                    "dec_hidden.W",
                    "dec_hidden.b",
                    "dec_out.W",
                    "dec_out.b",
                ],
            };
            assert_eq!(names, want);
            assert_eq!(file.tensors[0].shape, vec![4, 3]);
            // Row-major: the second number is W[0, 1].
            assert_eq!(file.tensors[0].data[1], model.enc_hidden.w[[0, 1]]);
        }
    }

    #[test]
    fn broken_files_say_what_is_wrong() {
        let model = small(ModelKind::Vae);
        let config = small_config(ModelKind::Vae);
        let good = to_file(&model, &config, "digits", (2, 2));
        assert!(matches!(from_json("{"), Err(WeightsError::Json(_))));
        let mut f = good.clone();
        f.format = "other".into();
        assert_eq!(from_file(f), Err(WeightsError::Format("other".into())));
        let mut f = good.clone();
        f.version = 2;
        assert_eq!(from_file(f), Err(WeightsError::Version(2)));
        let mut f = good.clone();
        f.tensors[2].shape = vec![2, 3];
        assert!(
            matches!(from_file(f), Err(WeightsError::Tensor { name, .. }) if name == "enc_mu.W")
        );
        let mut f = good.clone();
        f.tensors[3].data[0] = f32::NAN;
        assert!(
            matches!(from_file(f), Err(WeightsError::Tensor { name, .. }) if name == "enc_mu.b")
        );
        // A missing tensor: the file holds fewer numbers than the model, said before any
        // tensor is read.
        let mut f = good.clone();
        f.tensors.pop();
        let e = from_file(f).unwrap_err().to_string();
        assert!(e.contains("hold 52 numbers") && e.contains("has 56"), "{e}");
        let mut f = good.clone();
        f.config.beta = -1.0;
        assert!(matches!(from_file(f), Err(WeightsError::Config(_))));
        // Sizes past the bounds are refused by the bounds, whatever the tensors.
        let mut f = good;
        f.config.hidden = 4096;
        let e = from_file(f).unwrap_err().to_string();
        assert!(e.contains("use at most 1024"), "{e}");
    }

    #[test]
    fn a_small_file_claiming_a_large_model_is_refused() {
        let model = small(ModelKind::Vae);
        let config = small_config(ModelKind::Vae);
        let mut f = to_file(&model, &config, "digits", (2, 2));
        f.tensors.clear();
        f.config.image = None; // as files written before the image size was recorded
        f.config.hidden = 1024;
        f.config.input = 4000;
        let e = from_file(f.clone()).unwrap_err().to_string();
        assert!(
            e.contains("hold 0 numbers") && e.contains("has 8204196"),
            "{e}"
        );
        f.config.input = 4_000_000;
        let e = from_file(f.clone()).unwrap_err().to_string();
        assert!(
            e.contains("4000000 inputs; a model here has 1 to 4096"),
            "{e}"
        );
        f.config.input = 0;
        assert!(from_file(f).is_err());
    }

    #[test]
    fn the_image_size_is_recorded_and_checked() {
        let model = small(ModelKind::Vae);
        let config = small_config(ModelKind::Vae);
        let text = to_json(&model, &config, "digits", (2, 2));
        assert!(
            text.contains("\"input\":4,\"image\":[2,2],"),
            "{}",
            &text[..200]
        );
        let (_, stored) = from_json(&text).unwrap();
        assert_eq!(stored.image, Some([2, 2]));
        assert_eq!(check_image(&stored, (2, 2)), Ok(()));
        // The same 4 inputs as a 4 × 1 image: refused, saying both shapes.
        let e = check_image(&stored, (4, 1)).unwrap_err();
        assert!(
            e.contains("trained on images of 2 × 2 pixels; this data set's are 4 × 1"),
            "{e}"
        );
        // A file that does not record it is taken at its word.
        let old = text.replace("\"image\":[2,2],", "");
        let (_, stored) = from_json(&old).unwrap();
        assert_eq!(stored.image, None);
        assert_eq!(check_image(&stored, (4, 1)), Ok(()));
        // A file whose image does not match its input size is refused.
        let bad = text.replace("\"image\":[2,2]", "\"image\":[8,8]");
        let e = from_json(&bad).unwrap_err().to_string();
        assert!(e.contains("images of 8 × 8 pixels, but 4 inputs"), "{e}");
    }
}

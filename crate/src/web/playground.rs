//! [`Playground`] for JavaScript: one model of the lab and its latent view, as one worker
//! runs it.

use super::{js_error, to_js, weights_from_js};
use crate::config::{Config, Noise};
use crate::data::Dataset;
use crate::layers::Activation;
use crate::params::Value;
use crate::playground::{Playground, ViewSettings};
use crate::train::TrainError;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// What JavaScript passes to `new Playground(settings)`; every field may be left out.
#[derive(Deserialize)]
#[serde(default)]
struct Settings {
    recipe: String,
    dataset: String,
    seed: u64,
    beta: f32,
    lr: f32,
    noise: Noise,
    batch: usize,
    hidden: usize,
    activation: Activation,
    range: f32,
    fit: bool,
    size: usize,
    map: bool,
}

/// The keys of [`Settings`] (serde-wasm-bindgen looks up only the fields it knows, so unknown
/// keys are found by comparing with this list).
const SETTING_KEYS: [&str; 13] = [
    "recipe",
    "dataset",
    "map",
    "seed",
    "beta",
    "lr",
    "noise",
    "batch",
    "hidden",
    "activation",
    "range",
    "fit",
    "size",
];

impl Default for Settings {
    fn default() -> Self {
        let c = Config::default();
        let v = ViewSettings::default();
        Settings {
            recipe: "vae".into(),
            dataset: "digits".into(),
            seed: c.seed,
            beta: c.beta,
            lr: c.lr,
            noise: c.noise,
            batch: c.batch,
            hidden: c.hidden,
            activation: c.activation,
            range: v.range,
            fit: false,
            size: v.size,
            map: true,
        }
    }
}

#[derive(Serialize)]
struct TrainOut {
    ok: bool,
    steps: u32,
    loss: Option<crate::model::Loss>,
    diverged: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Stats<'a> {
    recipe: String,
    kind: crate::model::ModelKind,
    steps: u64,
    epochs: u64,
    batches_per_epoch: usize,
    beta: f32,
    lr: f32,
    batch: usize,
    noise: Noise,
    seed: u64,
    /// The data set's setting (`digits`, `mnist`, `own`, …).
    dataset: &'a str,
    /// Its own name: the setting's, or the file a visitor's data came from.
    data_name: &'a str,
    hidden: usize,
    activation: Activation,
    range: f32,
    fit: bool,
    mean_sigma: Option<f64>,
    /// The RMS of the codes about the origin.
    spread: f64,
    /// Positions each axis tells apart; `None` (null) without noise on the codes.
    positions_per_axis: Option<Vec<f64>>,
    /// Whether the model trains on noisy codes.
    noisy: bool,
    /// The AE's fixed noise σ₀ (0: none).
    sigma: f32,
    /// Whether the view shows the plane torn ("Tear the plane").
    tearing: bool,
    /// The reconstruction's floor: the data's own binary entropy, nats per sample.
    recon_floor: f64,
    kl_per_dim: Vec<f64>,
    active_dims: usize,
    latent: usize,
    map: bool,
    outside: usize,
    /// Samples the view draws and the figures measure.
    samples: usize,
    /// Samples the model trains on (more than `samples` on a large data set).
    training_samples: usize,
    /// Width and height of the data's images.
    image_size: [usize; 2],
}

/// An interpolation for JavaScript, with its ends' labels and inputs, or `undefined`.
fn strip_js(strip: Option<crate::playground::Interpolation>, data: &Dataset) -> JsValue {
    #[derive(Serialize)]
    struct Out {
        ends: [usize; 2],
        steps: usize,
        labels: [u8; 2],
        inputs: [Vec<f32>; 2],
        images: Vec<f32>,
    }
    match strip {
        Some(s) => {
            let (i, j) = s.ends;
            to_js(&Out {
                ends: [i, j],
                steps: crate::playground::STRIP_STEPS,
                labels: [data.labels[i], data.labels[j]],
                inputs: [data.x.row(i).to_vec(), data.x.row(j).to_vec()],
                images: s.images,
            })
        }
        None => JsValue::UNDEFINED,
    }
}

/// One model of the lab and its latent view (one per worker).
#[wasm_bindgen(js_name = Playground)]
pub struct WebPlayground {
    inner: Playground,
    seed: u64,
    /// The data set's setting.
    dataset: String,
    /// The data's entropy floor (computed once: the data never change in a run).
    floor: f64,
}

#[wasm_bindgen(js_class = Playground)]
impl WebPlayground {
    /// `new Playground({recipe: "vae"|"ae"|"vae:beta=0"|…, dataset, seed, beta, lr,
    /// noise: "sample"|"mean", batch, hidden, activation: "relu"|"tanh", range, fit, size,
    /// map})`, any field left out taking its default.
    ///
    /// # Errors
    /// A message naming the setting that cannot be used.
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue) -> Result<WebPlayground, JsError> {
        let s: Settings = if settings.is_undefined() || settings.is_null() {
            Settings::default()
        } else {
            if settings.is_object() {
                let object: &js_sys::Object = settings.unchecked_ref();
                for key in js_sys::Object::keys(object) {
                    let key = key.as_string().unwrap_or_default();
                    if !SETTING_KEYS.contains(&key.as_str()) {
                        return Err(JsError::new(&format!(
                            "settings: there is no setting called \"{key}\""
                        )));
                    }
                }
            }
            serde_wasm_bindgen::from_value(settings)
                .map_err(|e| JsError::new(&format!("settings: {e}")))?
        };
        if !(16..=1024).contains(&s.size) {
            return Err(JsError::new("the view size must be 16 to 1024 pixels"));
        }
        let recipe: crate::recipe::Recipe = s.recipe.parse().map_err(js_error)?;
        let config = Config {
            seed: s.seed,
            beta: s.beta,
            lr: s.lr,
            noise: s.noise,
            batch: s.batch,
            hidden: s.hidden,
            activation: s.activation,
            ..Config::default()
        };
        let view = ViewSettings {
            range: s.range,
            size: s.size,
        };
        let data = super::data::dataset(&s.dataset, s.seed)?;
        let mut inner = Playground::new(recipe, config, view, data).map_err(js_error)?;
        inner.set_fit(s.fit);
        inner.set_map(s.map);
        Ok(WebPlayground {
            floor: inner.training_data().entropy_floor(),
            inner,
            seed: s.seed,
            dataset: s.dataset,
        })
    }

    /// Trains `steps` steps; returns `{ok, steps, loss: {loss, recon, kl}}` with losses
    /// averaged over the steps, or `{ok: false, diverged: message}` if a loss stopped being
    /// a number (the weights are kept as they were before that step).
    pub fn train(&mut self, steps: u32) -> JsValue {
        let out = match self.inner.train(steps) {
            Ok(r) => TrainOut {
                ok: true,
                steps: r.steps,
                loss: Some(r.loss),
                diverged: None,
            },
            Err(e @ TrainError::Diverged { .. }) => TrainOut {
                ok: false,
                steps: 0,
                loss: None,
                diverged: Some(e.to_string()),
            },
        };
        to_js(&out)
    }

    /// The mean losses of the last epoch's batches, `{loss, recon, kl}`, or null before the
    /// first step: a function of the run and the step, whenever it is asked.
    #[wasm_bindgen(js_name = recentLoss)]
    pub fn recent_loss(&self) -> JsValue {
        to_js(&self.inner.recent_loss())
    }

    /// The loss chart's points since the last call, `[{step, loss, recon, kl}]`: one at the
    /// end of each epoch, the mean of its batches.
    #[wasm_bindgen(js_name = epochLosses)]
    pub fn epoch_losses(&mut self) -> JsValue {
        to_js(&self.inner.take_epoch_losses())
    }

    /// Draws the view from every sample's code; the decoder map under it is decoded anew if
    /// `refresh_map` or the range changed, else kept (see [`Playground::draw_with`]). With
    /// `training` (a frame while the model trains as fast as it can), the codes are those
    /// training computed since the last frame, and a frame encodes at most a quarter of the
    /// samples itself, each code at most four frames old ([`Playground::draw_training`]);
    /// else every sample is encoded.
    pub fn draw(&mut self, refresh_map: bool, training: bool) {
        match training {
            true => self.inner.draw_training(refresh_map),
            false => self.inner.draw_with(refresh_map),
        }
    }

    /// The view's pixels at the last draw, RGBA, `size · size · 4` bytes: a `Uint8Array` view
    /// of the module's memory, not a copy (a frame then makes no garbage). Use it at once,
    /// before the next call into the module (`imageData.data.set(pixels)`), or copy it
    /// (`new Uint8ClampedArray(pixels)`) to keep or post it.
    pub fn pixels(&self) -> js_sys::Uint8Array {
        // SAFETY: the view is read at once by the caller (see above), while the memory it
        // points at is neither freed nor moved.
        unsafe { js_sys::Uint8Array::view(self.inner.pixels()) }
    }

    /// What the data set's inputs vary along, which the views colour by: `"class"`,
    /// `"angle"` or `"position"`.
    pub fn factor(&self) -> String {
        self.inner.data().factor.to_string()
    }

    /// A `size × size` RGBA picture of the views' colour map for generated data (a ring for
    /// angles, a square for positions), or `undefined` for the digits (coloured by class).
    pub fn legend(&self, size: usize) -> Option<js_sys::Uint8ClampedArray> {
        crate::render::legend_rgba(self.inner.data().factor, size)
            .map(|px| js_sys::Uint8ClampedArray::from(&px[..]))
    }

    /// What each label of the data set means, index = label ("digit 3", "trouser", …).
    pub fn classes(&self) -> Vec<String> {
        self.inner.data().classes.clone()
    }

    /// Width and height of the view, in pixels.
    pub fn size(&self) -> usize {
        self.inner.view().size()
    }

    /// In fit mode, the next draw goes straight to the fitted range (training has stopped).
    #[wasm_bindgen(js_name = settleView)]
    pub fn settle_view(&mut self) {
        self.inner.settle_view();
    }

    /// Draws the decoder map as a grid of tiles from the next draw on (`true`), or stops.
    #[wasm_bindgen(js_name = setTiles)]
    pub fn set_tiles(&mut self, on: bool) {
        self.inner.set_tiles(on);
    }

    /// Width and height of the grid of tiles, in pixels.
    #[wasm_bindgen(js_name = tilesSize)]
    pub fn tiles_size(&self) -> usize {
        self.inner.tiles_size()
    }

    /// How many times the tiles have been drawn (0 when they are off): the page copies their
    /// pixels only when this changes.
    #[wasm_bindgen(js_name = tilesDrawn)]
    pub fn tiles_drawn(&self) -> f64 {
        self.inner.tiles().map_or(0.0, |(_, n)| n as f64)
    }

    /// The grid of tiles at its last drawing, RGBA; empty when the tiles are off. A view of
    /// the module's memory, as [`WebPlayground::pixels`].
    #[wasm_bindgen(js_name = tilesPixels)]
    pub fn tiles_pixels(&self) -> js_sys::Uint8Array {
        // SAFETY: as in `pixels`.
        unsafe { js_sys::Uint8Array::view(self.inner.tiles().map_or(&[][..], |(t, _)| t)) }
    }

    /// Counters, settings and measures for the readouts.
    pub fn stats(&self) -> JsValue {
        let t = self.inner.trainer();
        let c = t.config();
        to_js(&Stats {
            recipe: self.inner.recipe().to_string(),
            kind: c.model,
            steps: t.steps(),
            epochs: t.epochs(),
            batches_per_epoch: t.batches_per_epoch(),
            beta: c.beta,
            lr: c.lr,
            batch: c.batch,
            noise: c.noise,
            seed: self.seed,
            dataset: &self.dataset,
            data_name: &self.inner.data().name,
            hidden: c.hidden,
            activation: c.activation,
            range: self.inner.view().range(),
            fit: self.inner.fit(),
            mean_sigma: self.inner.mean_sigma(),
            spread: self.inner.spread(),
            positions_per_axis: self.inner.positions_per_axis(),
            noisy: t.noisy(),
            sigma: c.sigma,
            tearing: self.inner.tearing(),
            recon_floor: self.floor,
            kl_per_dim: t.kl_per_dim().to_vec(),
            active_dims: self.inner.active_dims(),
            latent: c.latent,
            map: self.inner.map(),
            outside: self.inner.view().outside(),
            samples: self.inner.data().len(),
            training_samples: self.inner.training_data().len(),
            image_size: [
                self.inner.data().image_size.0,
                self.inner.data().image_size.1,
            ],
        })
    }

    /// `n` samples (at most 500) decoded from the model's prior, N(0, I) for a VAE and the
    /// Gaussian fitted to its codes for an autoencoder, and how plausible they are (see
    /// `crate::prior`): `{source: "prior"|"fitted", shown, images, nearest, nearestImages,
    /// nats, median, reconstruction}`, with the images (64 values each, one after the other)
    /// and scores of the first `shown` (at most 16), and the median over all `n` beside the
    /// median for the model's reconstructions of as many inputs.
    #[wasm_bindgen(js_name = samplePrior)]
    pub fn sample_prior(&mut self, n: u32) -> JsValue {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Out {
            source: &'static str,
            shown: usize,
            images: Vec<f32>,
            nearest: Vec<usize>,
            nearest_images: Vec<f32>,
            nats: Vec<f64>,
            median: f64,
            reconstruction: f64,
        }
        let n = (n as usize).clamp(1, 500);
        let shown = n.min(16);
        let samples = self.inner.sample_prior(n);
        let data = self.inner.data();
        let nearest: Vec<usize> = samples.scores[..shown].iter().map(|s| s.nearest).collect();
        let out = Out {
            source: if self.inner.is_vae() {
                "prior"
            } else {
                "fitted"
            },
            shown,
            images: samples
                .images
                .slice(ndarray::s![..shown, ..])
                .iter()
                .copied()
                .collect(),
            nearest_images: nearest
                .iter()
                .flat_map(|&i| data.x.row(i).to_vec())
                .collect(),
            nats: samples.scores[..shown].iter().map(|s| s.nats).collect(),
            median: samples.median(),
            nearest,
            reconstruction: 0.0,
        };
        let reconstruction = self.inner.prior_reconstruction_level(n);
        to_js(&Out {
            reconstruction,
            ..out
        })
    }

    /// Holds the means of inputs `i` and `j` at `(±distance/2, 0)` from the next step on (see
    /// `crate::train::Pull`); a negative `distance` lets go.
    ///
    /// # Errors
    /// A sentence if the pair or the distance cannot be used; nothing changes then.
    #[wasm_bindgen(js_name = setPull)]
    pub fn set_pull(&mut self, i: u32, j: u32, distance: f32) -> Result<(), JsError> {
        let pull = (distance >= 0.0).then_some(crate::train::Pull {
            pair: (i as usize, j as usize),
            distance,
        });
        self.inner.set_pull(pull).map_err(|e| JsError::new(&e))
    }

    /// What the pull in force costs now: `{pair, distance, apart, pairLoss, loss}`, or
    /// `undefined` without one.
    #[wasm_bindgen(js_name = pullReport)]
    pub fn pull_report(&self) -> JsValue {
        self.inner
            .pull_report()
            .map_or(JsValue::UNDEFINED, |r| to_js(&r))
    }

    /// A random input and its nearest neighbour in pixel space, `[i, j]`.
    #[wasm_bindgen(js_name = similarPair)]
    pub fn similar_pair(&mut self) -> Vec<u32> {
        let (i, j) = self.inner.similar_pair();
        vec![i as u32, j as u32]
    }

    /// Tears the plane of the model as trained so far (see `crate::tear`) and starts
    /// retraining copies of its decoder with and without the tear; the view shows the torn
    /// codes from the next draw. Returns the figures before any retraining: `{steps, cut:
    /// {z1, z2}, moved, klBefore, klAfter, reconControl, reconTorn}`.
    #[wasm_bindgen(js_name = startTear)]
    pub fn start_tear(&mut self) -> JsValue {
        to_js(&self.inner.start_tear())
    }

    /// `steps` more decoder-only steps of the tear's two retrainings.
    #[wasm_bindgen(js_name = advanceTear)]
    pub fn advance_tear(&mut self, steps: u32) {
        self.inner.advance_tear(u64::from(steps));
    }

    /// The tear's figures so far (as `startTear`), or `undefined` if no tear runs.
    #[wasm_bindgen(js_name = tearReport)]
    pub fn tear_report(&self) -> JsValue {
        self.inner
            .tear_report()
            .map_or(JsValue::UNDEFINED, |r| to_js(&r))
    }

    /// Ends the tear: the view shows the model as trained again from the next draw.
    #[wasm_bindgen(js_name = endTear)]
    pub fn end_tear(&mut self) {
        self.inner.end_tear();
    }

    /// The sample nearest to pixel `(x, y)` of the view within 10 pixels, or −1; it is
    /// outlined from the next draw.
    pub fn pick(&mut self, x: f32, y: f32) -> i32 {
        self.inner.pick(x, y, 10.0).map_or(-1, |i| i as i32)
    }

    /// The latent point under pixel `(x, y)` of the view, `[z0, z1]`.
    #[wasm_bindgen(js_name = toLatent)]
    pub fn to_latent(&self, x: f32, y: f32) -> Vec<f32> {
        let (z0, z1) = self.inner.view().to_latent(x, y);
        vec![z0, z1]
    }

    /// Outlines sample `index` from the next draw (−1: none).
    #[wasm_bindgen(js_name = setHighlight)]
    pub fn set_highlight(&mut self, index: i32) {
        self.inner.set_highlight(usize::try_from(index).ok());
    }

    /// Sample `index` with the model's reconstruction: `{index, label, factors, input,
    /// reading: {recon, mu, sigma}}` (images as 64 values in [0, 1]; `sigma` null for the
    /// AE), or `undefined`.
    pub fn inspect(&mut self, index: u32) -> JsValue {
        self.inner
            .inspect(index as usize)
            .map_or(JsValue::UNDEFINED, |s| to_js(&s))
    }

    /// Changes one setting from the next step on, without a reset: `beta`, `lr`, `batch`,
    /// `range` (numbers; a range also ends fit mode), `noise` (`"sample"` or `"mean"`),
    /// `fit` or `map` (true or false). A recipe's own β or noise stays. See
    /// [`Playground::apply`], which this calls with a number, a flag, or text (anything else
    /// as empty text, which no setting takes).
    ///
    /// # Errors
    /// A message saying why the value cannot be used; nothing changes then.
    pub fn set(&mut self, key: &str, value: JsValue) -> Result<(), JsError> {
        let value = match (value.as_f64(), value.as_bool()) {
            (Some(n), _) => Value::Number(n),
            (_, Some(on)) => Value::Flag(on),
            _ => Value::Word(value.as_string().unwrap_or_default()),
        };
        self.inner.apply(key, &value).map_err(|e| JsError::new(&e))
    }

    /// Builds up to `rows` more rows of the input space's neighbour tables (see
    /// [`Playground::prepare_neighbours`]); whether they are complete, so that
    /// [`WebPlayground::neighbourhood`] takes only a fraction of a second.
    #[wasm_bindgen(js_name = prepareNeighbours)]
    pub fn prepare_neighbours(&mut self, rows: u32) -> bool {
        self.inner.prepare_neighbours(rows as usize)
    }

    /// Trustworthiness and continuity (k = 10) of the model's latent means against the input
    /// space, the decoder's path-length ratio (see [`crate::decoder`]) with the quartiles of
    /// its pairs' own ratios, and the losses on the whole data set now (reconstruction with
    /// the model's noise, at `z = μ`, and the KL): `{k, trustworthiness, continuity,
    /// pathRatio, pathQuartiles, recon, reconAtMean, kl}`.
    ///
    /// `k` is 10, or less on a small set of one's own (`k < n/2`, as scikit-learn requires).
    ///
    /// # Errors
    /// A set of fewer than 3 samples, which has no neighbourhood to measure.
    pub fn neighbourhood(&mut self) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Out {
            k: usize,
            trustworthiness: f64,
            continuity: f64,
            path_ratio: f64,
            path_quartiles: [f64; 2],
            recon: f64,
            recon_at_mean: f64,
            kl: f64,
        }
        let n = self.inner.data().len();
        let k = 10.min(n.saturating_sub(1) / 2);
        let (trustworthiness, continuity) = self.inner.neighbourhood(k).map_err(js_error)?;
        let path = self.inner.path_ratio_spread();
        let e = self.inner.evaluate();
        Ok(to_js(&Out {
            k,
            trustworthiness,
            continuity,
            path_ratio: path.ratio,
            path_quartiles: [path.quartiles.0, path.quartiles.1],
            recon: e.recon,
            recon_at_mean: e.recon_at_mean,
            kl: e.kl,
        }))
    }

    /// What the decoder makes of latent point `(z0, z1)` (64 values in [0, 1]).
    #[wasm_bindgen(js_name = decodeAt)]
    pub fn decode_at(&mut self, z0: f32, z1: f32) -> Vec<f32> {
        self.inner.decode_at(z0, z1)
    }

    /// Images decoded along the line between samples `i` and `j`: `{ends: [i, j], steps,
    /// labels, inputs: [two images], images}` (`steps` images of 64 values each, one after
    /// the other); the path shows in the view from the next draw. `undefined` past the data
    /// set.
    pub fn interpolate(&mut self, i: u32, j: u32) -> JsValue {
        let strip = self.inner.interpolate(i as usize, j as usize);
        strip_js(strip, self.inner.data())
    }

    /// The strip of the interpolation shown, as [`WebPlayground::interpolate`] gives it,
    /// decoded by the model as it is now; `undefined` without one.
    pub fn strip(&mut self) -> JsValue {
        let strip = self.inner.strip();
        strip_js(strip, self.inner.data())
    }

    /// Two different samples at random, `[i, j]`: of the same class if `same_class`, else of
    /// different classes (the same pairs in every model of a lab).
    #[wasm_bindgen(js_name = randomPair)]
    pub fn random_pair(&mut self, same_class: bool) -> Vec<u32> {
        let (i, j) = self.inner.random_pair(same_class);
        vec![i as u32, j as u32]
    }

    /// Removes the interpolation's path from the view.
    #[wasm_bindgen(js_name = clearPair)]
    pub fn clear_pair(&mut self) {
        self.inner.clear_pair();
    }

    /// Sets the visitor's drawing (64 values in [0, 1], row by row) and returns what the
    /// model makes of it, `{recon, mu, sigma}`; `null` removes it (and returns `undefined`).
    /// It is marked in the view from the next draw.
    ///
    /// # Errors
    /// If the drawing is not 64 finite numbers.
    #[wasm_bindgen(js_name = setDrawing)]
    pub fn set_drawing(&mut self, pixels: Option<Vec<f32>>) -> Result<JsValue, JsError> {
        self.inner
            .set_drawing(pixels)
            .map_err(|e| JsError::new(&e))?;
        Ok(self.drawing())
    }

    /// What the model makes of the drawing now, `{recon, mu, sigma}`, or `undefined`
    /// without one.
    pub fn drawing(&mut self) -> JsValue {
        self.inner
            .drawing()
            .map_or(JsValue::UNDEFINED, |r| to_js(&r))
    }

    /// The header of the latent codes' CSV for this model's latent size.
    #[wasm_bindgen(js_name = latentsCsvHeader)]
    pub fn latents_csv_header(&self) -> String {
        crate::export::latents_csv_header(self.inner.trainer().config().latent)
    }

    /// The latent codes of every sample as CSV rows (no header):
    /// `index,label,model,mu_0,mu_1,logvar_0,logvar_1` (the trainer's columns), the model
    /// column holding the recipe.
    #[wasm_bindgen(js_name = latentsCsvRows)]
    pub fn latents_csv_rows(&mut self) -> String {
        let name = self.inner.recipe().to_string();
        self.inner.latents_csv_rows(&name)
    }

    /// The model's weights as JSON in the trainer's format.
    ///
    /// # Errors
    /// For a model with free codes, which has no encoder network to store.
    #[wasm_bindgen(js_name = weightsJson)]
    pub fn weights_json(&self) -> Result<String, JsError> {
        if self.inner.has_free_codes() {
            return Err(JsError::new(
                "a model with free codes has no encoder network: its weights file would not reproduce it, so none is written",
            ));
        }
        let t = self.inner.trainer();
        let data = self.inner.data();
        Ok(crate::weights::to_json(
            t.model(),
            t.config(),
            &data.name,
            data.image_size,
        ))
    }

    /// Loads a weights file, parsed by `JSON.parse`, into this model.
    ///
    /// # Errors
    /// A sentence saying what is wrong with the file, or how it does not fit.
    #[wasm_bindgen(js_name = loadWeights)]
    pub fn load_weights(&mut self, file: JsValue) -> Result<(), JsError> {
        let (model, stored) = weights_from_js(file)?;
        crate::weights::check_image(&stored, self.inner.data().image_size)
            .map_err(|e| JsError::new(&e))?;
        self.inner.load_model(model).map_err(|e| JsError::new(&e))
    }

    /// Panics on purpose: lets the tests check that a Rust panic reaches the page as a
    /// visible message rather than a frozen page.
    #[wasm_bindgen(js_name = debugPanic)]
    pub fn debug_panic(&self) {
        panic!("a deliberate panic, to test how the page reports one");
    }
}

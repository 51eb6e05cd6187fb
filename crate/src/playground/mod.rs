//! One model of the lab, as one of the page's workers runs it: its training, its latent view,
//! the decoder map under it, and what it makes of one input, a point, a walk between two
//! samples or a drawing. The page runs one of these per recipe, each in its own worker, on the
//! same data with the same seed, and sets them side by side. Pure Rust; `web/playground.rs` only
//! translates it for JavaScript.
//!
//! This file runs the model (building, training, settings, weights, codes); the rest of
//! [`Playground`]'s methods are by concern: [`view`] (drawing the view and fitting its axes),
//! [`inspect`] (one sample, one point, the drawing), [`walk`] (a walk between two samples),
//! [`figures`] (trustworthiness, continuity, the path-length ratio, σ and active dimensions),
//! [`tear`] (the plane torn and the decoder retrained on it).

use crate::config::{Config, ConfigError, MAX_RANGE, Noise, check_range};
use crate::data::Dataset;
use crate::decoder::{PATH_STEPS, decode_grid, decode_line, decode_probs, random_pairs};
use crate::metrics::{MetricError, Neighbours, NeighboursBuilder, scores};
use crate::model::{Loss, Model, ModelKind, Workspace};
use crate::names::UnknownName;
use crate::params::Value;
use crate::recipe::Recipe;
use crate::render::{LatentView, draw_tiles, sample_colours, tiles_size};
use crate::rng::{Stream, stream};
use crate::tear::{TearExperiment, TearReport};
use crate::train::{TrainError, Trainer};
use ndarray::{Array2, ArrayView1, ArrayView2, s};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

mod figures;
mod inspect;
mod losses;
mod tear;
mod view;
mod walk;

pub use inspect::{Inspection, Reading};
pub use losses::{EpochLoss, LossWindow};
pub use walk::{Interpolation, STRIP_STEPS};

/// The settings of the page beyond a training config.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewSettings {
    /// The view shows `[-range, range]²`.
    pub range: f32,
    /// Width and height of the view, in pixels.
    pub size: usize,
}

impl Default for ViewSettings {
    fn default() -> Self {
        ViewSettings {
            range: 4.0,
            size: 400,
        }
    }
}

/// What a call to [`Playground::train`] did: losses averaged over its steps.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TrainReport {
    /// Steps taken.
    pub steps: u32,
    /// The mean batch losses over those steps.
    pub loss: Loss,
}

/// Pixels of a view per decoded tile of its decoder map.
pub const MAP_TILE_PIXELS: usize = 24;

/// Samples encoded at a time, by a frame while training (those whose codes are older than the
/// last frame, [`Playground::refresh_codes`]) or for every sample ([`Playground::encode_all`]).
const STALE_ROWS: usize = 64;

/// Keeps sample `i`'s code `(μ, log σ²)`, computed at training step `step`, in `codes` (the
/// log σ² only for a VAE: an AE's stays as set at the start). Not inlined: one copy for its
/// two callers keeps the wasm smaller, at a call per sample kept.
#[inline(never)]
fn keep_code(
    codes: &mut Workspace<f32>,
    coded_at: &mut [u64],
    i: usize,
    (mu, logvar): (ArrayView1<f32>, ArrayView1<f32>),
    vae: bool,
    step: u64,
) {
    codes.mu.row_mut(i).assign(&mu);
    if vae {
        codes.logvar.row_mut(i).assign(&logvar);
    }
    coded_at[i] = step;
}

/// One model, its view, and its figures.
pub struct Playground {
    /// The samples the view draws and the figures measure: the evaluation subset of the
    /// training data ([`Dataset::evaluation_rows`]); sample indices everywhere in the
    /// playground (picks, pairs, walks, the tear) count in it.
    data: Arc<Dataset>,
    /// Which training samples `data` holds, in increasing order.
    rows: Vec<u32>,
    recipe: Recipe,
    trainer: Trainer,
    /// `(N, Z)` codes (`mu`, `logvar`; [`Workspace::codes_only`]) of every sample of `data`,
    /// refreshed by [`Playground::encode_all`], or by training itself, batch by batch
    /// ([`Playground::refresh_codes`]).
    codes: Workspace<f32>,
    /// For each sample of `data`, the training step whose batch last wrote its code into
    /// `codes` (0: none has).
    coded_at: Vec<u64>,
    /// The training step of the view's last frame, if it has drawn one.
    drawn_at: Option<u64>,
    /// The samples to encode (those whose codes are older than the last frame, or all), and
    /// room to encode [`STALE_ROWS`] of them at a time: their inputs and a workspace.
    stale: Vec<usize>,
    /// Where a frame while training goes on encoding old codes: the next sample after the
    /// last one the previous such frame encoded ([`Playground::refresh_codes`]).
    stale_from: usize,
    stale_x: Array2<f32>,
    stale_ws: Workspace<f32>,
    /// One sample's forward pass, for reconstructions.
    one: Workspace<f32>,
    view: LatentView,
    /// `(N)` each sample's colour in the view.
    colours: Vec<[u8; 3]>,
    highlight: Option<usize>,
    /// Whether the view follows the codes (zoom to fit) instead of a fixed range.
    fit: bool,
    /// Whether the next fitted draw jumps straight to the fitted range.
    fit_jump: bool,
    /// The training step of the last fitted draw.
    fitted_at: Option<u64>,
    /// Scratch for the fitted range: `N·Z` extents.
    extents: Vec<f32>,
    /// The input space's neighbour tables, built a few rows at a time
    /// ([`Playground::prepare_neighbours`]) or at first use; they never change.
    input_neighbours: Option<Neighbours>,
    /// The input space's tables while they are being built.
    building: Option<NeighboursBuilder>,
    /// Whether the decoder map lies under the view.
    map: bool,
    /// `grid²` codes for the decoder map.
    map_ws: Workspace<f32>,
    /// Tiles on a side of the decoder map.
    grid: usize,
    /// The range the decoder map was last decoded for, if it was.
    map_range: Option<f32>,
    /// The decoder map as a grid of tiles (RGBA), when drawn.
    tiles: Option<Vec<u8>>,
    /// How many times the tiles have been drawn.
    tiles_drawn: u64,
    /// [`STRIP_STEPS`] codes along an interpolation.
    strip_ws: Workspace<f32>,
    /// `PATH_STEPS + 1` codes along a path of the path-length ratio.
    path_ws: Workspace<f32>,
    /// The pairs of samples the path-length ratio follows.
    pairs: Vec<(usize, usize)>,
    /// The interpolation's two samples, drawn as a path in the view.
    pair: Option<(usize, usize)>,
    /// Random pairs for "random pair" buttons.
    picks: ChaCha8Rng,
    /// An input of the visitor's own, `(1, D)`, marked in the view.
    drawing: Option<Array2<f32>>,
    /// Codes drawn from the prior, call after call ("sample from the prior").
    prior_draws: ChaCha8Rng,
    /// The plane torn and the decoder retraining on it, while that experiment runs: the view
    /// then shows the torn codes over the torn decoder's map.
    tear: Option<TearExperiment>,
    /// The last steps' losses: what the page shows, over windows fixed in steps.
    losses: LossWindow,
}

impl Playground {
    /// The model of `recipe`, trained with the lab's `config` (its `model` is the recipe's),
    /// on `data`.
    ///
    /// # Errors
    /// The first setting that cannot be used; a view range outside [`check_range`]'s bounds
    /// is reported as [`ConfigError::Range`].
    pub fn new(
        recipe: Recipe,
        config: Config,
        view: ViewSettings,
        data: Arc<Dataset>,
    ) -> Result<Self, ConfigError> {
        check_range(view.range)?;
        let trainer = Trainer::new(recipe.config(&config), data.clone())?;
        let sizes = trainer.model().sizes;
        let rows = data.evaluation_rows();
        let data = match rows.len() < data.len() {
            true => Arc::new(data.subset(&rows)),
            false => data,
        };
        let n = data.len();
        let grid = (view.size / MAP_TILE_PIXELS).clamp(4, 24);
        let seed = config.seed;
        let mut codes = Workspace::codes_only(n, sizes);
        let mut one = Workspace::new(1, sizes);
        if let Some(sigma) = recipe.sigma.filter(|&s| s > 0.0) {
            // The encoder writes only the codes of an AE: its "posterior" while training is
            // N(code, σ₀²), whose log σ² is set once here.
            let logvar = 2.0 * sigma.ln();
            codes.logvar.fill(logvar);
            one.logvar.fill(logvar);
        }
        Ok(Playground {
            recipe,
            map: true,
            map_ws: Workspace::new(grid * grid, sizes),
            grid,
            map_range: None,
            tiles: None,
            tiles_drawn: 0,
            strip_ws: Workspace::new(STRIP_STEPS, sizes),
            path_ws: Workspace::new(PATH_STEPS + 1, sizes),
            pairs: random_pairs(n, seed),
            pair: None,
            picks: stream(seed, Stream::Picks),
            drawing: None,
            tear: None,
            prior_draws: stream(seed, Stream::Prior),
            codes,
            coded_at: vec![0; n],
            drawn_at: None,
            stale: Vec::with_capacity(n),
            stale_from: 0,
            stale_x: Array2::zeros((STALE_ROWS, sizes.input)),
            stale_ws: Workspace::new(STALE_ROWS, sizes),
            one,
            view: {
                let mut v = LatentView::new(view.size, view.range);
                v.set_prior_circles(recipe.kind == ModelKind::Vae);
                v
            },
            colours: sample_colours(&data),
            highlight: None,
            fit: false,
            fit_jump: false,
            fitted_at: None,
            extents: Vec::with_capacity(n * sizes.latent),
            input_neighbours: None,
            building: None,
            // An epoch has at most as many batches as the data has samples (batches of 1).
            losses: LossWindow::new(trainer.data().len()),
            data,
            rows,
            trainer,
        })
    }

    /// The recipe of this model.
    pub fn recipe(&self) -> Recipe {
        self.recipe
    }

    /// Whether the model is a VAE.
    pub fn is_vae(&self) -> bool {
        self.recipe.kind == ModelKind::Vae
    }

    /// Whether each code stands for a Gaussian while training: the VAE's `q(z|x)`, or an
    /// autoencoder's code with fixed noise σ₀ (see [`Playground::codes`]).
    pub fn has_posterior(&self) -> bool {
        self.is_vae() || self.recipe.sigma.is_some_and(|s| s > 0.0)
    }

    /// The trainer.
    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    /// The samples the view draws and the figures measure: every training sample, or the
    /// evaluation subset of a large data set.
    pub fn data(&self) -> &Dataset {
        &self.data
    }

    /// The data the model trains on.
    pub fn training_data(&self) -> &Dataset {
        self.trainer.data()
    }

    /// `steps` steps.
    ///
    /// # Errors
    /// [`TrainError::Diverged`] at the first step that diverged; the steps before it are
    /// kept, and the failed step changed nothing.
    pub fn train(&mut self, steps: u32) -> Result<TrainReport, TrainError> {
        self.end_tear();
        let mut report = TrainReport::default();
        for _ in 0..steps {
            let l = self.trainer.step()?.loss;
            self.losses
                .push(l, self.trainer.steps(), self.trainer.batches_per_epoch());
            self.keep_batch_codes();
            report.loss.loss += l.loss;
            report.loss.recon += l.recon;
            report.loss.kl += l.kl;
            report.steps += 1;
        }
        if report.steps > 0 {
            let n = report.steps as f64;
            report.loss.loss /= n;
            report.loss.recon /= n;
            report.loss.kl /= n;
        }
        Ok(report)
    }

    /// The mean losses of the last epoch's batches (of the steps so far, in the first epoch):
    /// what the page shows, the same at a given step however often it asks. None before the
    /// first step.
    pub fn recent_loss(&self) -> Option<Loss> {
        self.losses.mean_of_last(self.trainer.batches_per_epoch())
    }

    /// The loss chart's points since the last call: one at the end of each epoch.
    pub fn take_epoch_losses(&mut self) -> Vec<EpochLoss> {
        self.losses.take_points()
    }

    /// Encodes every sample, [`STALE_ROWS`] at a time, into buffers allocated once (so that no
    /// buffer holds a hidden layer for every sample).
    pub fn encode_all(&mut self) {
        if self.trainer.has_free_codes() {
            self.trainer
                .encode_rows(self.data.x.view(), &self.rows, &mut self.codes);
            return;
        }
        self.stale.clear();
        self.stale.extend(0..self.coded_at.len());
        self.encode_stale();
    }

    /// Keeps the codes the last training step's encoder computed for its batch, for the
    /// samples the view shows.
    fn keep_batch_codes(&mut self) {
        if self.trainer.has_free_codes() {
            return;
        }
        let step = self.trainer.steps();
        let (mu, logvar) = self.trainer.last_codes();
        let vae = self.is_vae();
        for (b, &row) in self.trainer.last_batch().iter().enumerate() {
            if let Some(i) = self.place_of(row) {
                let code = (mu.row(b), logvar.row(b));
                keep_code(&mut self.codes, &mut self.coded_at, i, code, vae, step);
            }
        }
    }

    /// The place in `data` (the samples the view shows) of training sample `row`, if shown.
    fn place_of(&self, row: u32) -> Option<usize> {
        match self.rows.len() == self.trainer.data().len() {
            true => Some(row as usize), // every sample, in order
            false => self.rows.binary_search(&row).ok(),
        }
    }

    /// Brings the codes up to date for a frame of the view. While `training` (as fast as it
    /// can), its batches have passed samples through the encoder since the last frame: those
    /// codes are drawn, and of the others the frame encodes at most a quarter of the samples,
    /// going round them in order from where the last frame stopped. So a frame never encodes
    /// more than a quarter of them, and every code drawn comes from weights at most four
    /// frames old. On the digits the batches pass nearly every sample between two frames; on
    /// MNIST, whose view shows 2,000 of 60,000 samples, hardly any, and a frame there encodes
    /// 500 samples instead of 2,000. Otherwise (not training, or free codes) every sample is
    /// encoded with the weights as they are.
    fn refresh_codes(&mut self, training: bool) {
        let now = self.trainer.steps();
        let last = self.drawn_at.filter(|&last| training && now > last);
        self.drawn_at = Some(now);
        let Some(last) = last.filter(|_| !self.trainer.has_free_codes()) else {
            self.encode_all();
            return;
        };
        self.stale.clear();
        let old = self
            .coded_at
            .iter()
            .enumerate()
            .filter(|&(_, &at)| at <= last);
        self.stale.extend(old.map(|(i, _)| i));
        let most = self.coded_at.len().div_ceil(4);
        if self.stale.len() > most {
            // Round the samples: those from `stale_from` on first, then from the start.
            let first = self.stale.partition_point(|&i| i < self.stale_from);
            self.stale.rotate_left(first);
            self.stale.truncate(most);
            self.stale_from = self.stale[most - 1] + 1;
        }
        self.encode_stale();
    }

    /// Encodes the samples listed in `stale`, [`STALE_ROWS`] at a time.
    fn encode_stale(&mut self) {
        let now = self.trainer.steps();
        let model = self.trainer.model();
        let vae = self.is_vae();
        for chunk in self.stale.chunks(STALE_ROWS) {
            // A short last chunk repeats its last sample to fill the workspace.
            for r in 0..STALE_ROWS {
                let i = chunk[r.min(chunk.len() - 1)];
                self.stale_x.row_mut(r).assign(&self.data.x.row(i));
            }
            model.encode(self.stale_x.view(), &mut self.stale_ws);
            for (r, &i) in chunk.iter().enumerate() {
                let code = (self.stale_ws.mu.row(r), self.stale_ws.logvar.row(r));
                keep_code(&mut self.codes, &mut self.coded_at, i, code, vae, now);
            }
        }
    }

    /// Whether the model has free codes instead of an encoder: it can place its training
    /// inputs, but has no code for any other input (a drawing).
    pub fn has_free_codes(&self) -> bool {
        self.trainer.has_free_codes()
    }

    /// Puts one setting into the run going on (see [`crate::params::Scope::Live`]), from the
    /// next step or draw on, without a reset: the one way the page's settings reach a model.
    /// `beta`, `lr` and `batch` are numbers (a batch a whole one); `range` a number, which
    /// also ends fit mode, or the word `fit`; `noise` the word `sample` or `mean`; `map` and
    /// `fit` flags. A recipe's own β or noise stays. The speed is the worker's own pace, not
    /// the model's, and is not a setting here.
    ///
    /// # Errors
    /// A sentence saying why the value cannot be used, or that there is no such setting;
    /// nothing changes then.
    pub fn apply(&mut self, key: &str, value: &Value) -> Result<(), String> {
        let number = || match value {
            Value::Number(n) => Ok(*n),
            _ => Err(format!("{key} must be a number")),
        };
        let flag = || match value {
            Value::Flag(on) => Ok(*on),
            _ => Err(format!("{key} must be true or false")),
        };
        let done = match key {
            "beta" => self.set_beta(number()? as f32),
            "lr" => self.set_lr(number()? as f32),
            "range" if matches!(value, Value::Word(w) if w == "fit") => {
                self.set_fit(true);
                Ok(())
            }
            "range" => {
                let r = self.set_range(number()? as f32);
                if r.is_ok() {
                    self.set_fit(false);
                }
                r
            }
            "fit" => {
                self.set_fit(flag()?);
                Ok(())
            }
            "map" => {
                self.set_map(flag()?);
                Ok(())
            }
            "batch" => {
                let b = number()?;
                if b.fract() != 0.0 || b < 0.0 {
                    return Err("the batch size must be a whole number".into());
                }
                self.set_batch(b as usize)
            }
            "noise" => {
                let name = match value {
                    Value::Word(w) => w.as_str(),
                    _ => "",
                };
                let noise: Noise = name.parse().map_err(|e: UnknownName| e.to_string())?;
                self.set_noise(noise);
                Ok(())
            }
            _ => return Err(format!("there is no setting called \"{key}\"")),
        };
        done.map_err(|e| e.to_string())
    }

    /// Sets β from the next step on, unless the recipe has its own.
    ///
    /// # Errors
    /// As [`Trainer::set_beta`].
    pub fn set_beta(&mut self, beta: f32) -> Result<(), ConfigError> {
        match self.recipe.beta {
            Some(_) => crate::config::check_beta(beta).map(|_| ()),
            None => self.trainer.set_beta(beta),
        }
    }

    /// Sets the learning rate from the next step on.
    ///
    /// # Errors
    /// As [`Trainer::set_lr`].
    pub fn set_lr(&mut self, lr: f32) -> Result<(), ConfigError> {
        self.trainer.set_lr(lr)
    }

    /// Sets the noise from the next step on, unless the recipe has its own.
    pub fn set_noise(&mut self, noise: Noise) {
        if self.recipe.noise.is_none() {
            self.trainer.set_noise(noise);
        }
    }

    /// Holds a pair of inputs apart from the next step on (see [`crate::train::Pull`]);
    /// `None` lets go.
    ///
    /// # Errors
    /// As [`Trainer::set_pull`].
    ///
    /// The pair's indices count in the samples the view draws, as every index of the
    /// playground does.
    pub fn set_pull(&mut self, pull: Option<crate::train::Pull>) -> Result<(), String> {
        let n = self.data.len();
        let pull = match pull {
            Some(p) if p.pair.0 < n && p.pair.1 < n => Some(crate::train::Pull {
                pair: (self.rows[p.pair.0] as usize, self.rows[p.pair.1] as usize),
                ..p
            }),
            Some(p) => {
                return Err(format!(
                    "a pair is two different inputs from 0 to {}, not {} and {}",
                    n - 1,
                    p.pair.0,
                    p.pair.1
                ));
            }
            None => None,
        };
        self.trainer.set_pull(pull)
    }

    /// What the pull in force costs now, the pair as [`Playground::set_pull`] took it and the
    /// loss over the samples the view draws; `None` without one.
    pub fn pull_report(&self) -> Option<crate::train::PullReport> {
        let mut report = self
            .trainer
            .pull_report_on(self.data.x.view(), &self.rows)?;
        let back = |r: usize| self.place_of(r as u32).expect("a drawn sample");
        report.pair = (back(report.pair.0), back(report.pair.1));
        Some(report)
    }

    /// Sets the batch size from the next step on.
    ///
    /// # Errors
    /// As [`Trainer::set_batch`].
    pub fn set_batch(&mut self, batch: usize) -> Result<(), ConfigError> {
        self.trainer.set_batch(batch)
    }

    /// The latent codes of every sample as CSV rows with the trainer's columns, the model
    /// named `name` (encodes first, so they are current); no header.
    pub fn latents_csv_rows(&mut self, name: &str) -> String {
        self.encode_all();
        let mut out = String::new();
        let c = &self.codes;
        let logvar = self.has_posterior().then(|| c.logvar.view());
        crate::export::latents_csv_rows(&mut out, name, c.mu.view(), logvar, &self.data.labels);
        out
    }

    /// Replaces the model's weights, keeping the step count.
    ///
    /// # Errors
    /// A sentence saying how the weights do not fit this model.
    pub fn load_model(&mut self, model: Model<f32>) -> Result<(), String> {
        let have = self.trainer.model();
        if model.kind != have.kind {
            return Err(format!(
                "these are {} weights; this model is a {}",
                model.kind, have.kind
            ));
        }
        if !self.trainer.fits(&model) {
            return Err(format!(
                "these {} weights have {} inputs, {} hidden units ({}) and {} latent dimensions; this playground has {}, {} ({}) and {}",
                model.kind,
                model.sizes.input,
                model.sizes.hidden,
                model.activation,
                model.sizes.latent,
                have.sizes.input,
                have.sizes.hidden,
                have.activation,
                have.sizes.latent
            ));
        }
        self.trainer.set_model(model);
        self.losses.clear(); // the steps before were the old weights'
        // A tear under way was of the weights replaced: it ends, and the view shows the new.
        self.end_tear();
        self.drawn_at = None; // the next frame encodes every sample with these weights
        Ok(())
    }

    /// The latent codes of every sample as they are: at the last encoding, or while training
    /// those its batches have computed since ([`Playground::refresh_codes`]). `(N, Z)` means
    /// (the AE's codes) and `(N, Z)` `log σ²` (`log σ₀²` for an AE with fixed noise, zeros
    /// for the plain AE).
    pub fn codes(&self) -> (&Array2<f32>, &Array2<f32>) {
        (&self.codes.mu, &self.codes.logvar)
    }
}

#[cfg(test)]
mod tests;

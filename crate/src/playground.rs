//! One model of the lab, as one of the page's workers runs it: its training, its latent view,
//! the decoder map under it, and what it makes of one input, a point, a walk between two
//! samples or a drawing. The page runs one of these per recipe, each in its own worker, on the
//! same data with the same seed, and sets them side by side. Pure Rust; `web/playground.rs` only
//! translates it for JavaScript.

use crate::config::{Config, ConfigError, MAX_RANGE, Noise, check_range};
use crate::data::Dataset;
use crate::decoder::{
    PATH_STEPS, decode_grid, decode_line, decode_probs, path_ratio, random_pairs,
};
use crate::metrics::{MetricError, Neighbours, NeighboursBuilder, scores};
use crate::model::{Loss, Model, ModelKind, Workspace};
use crate::recipe::Recipe;
use crate::render::{LatentView, sample_colours};
use crate::rng::{Stream, stream};
use crate::train::{TrainError, Trainer};
use ndarray::{Array2, ArrayView2, s};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

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

/// What the model makes of one input: its code and its reconstruction (an image of `D`
/// values in `[0, 1]`, decoded from the mean code).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Reading {
    /// The reconstruction, decoding `z = μ`.
    pub recon: Vec<f32>,
    /// The code: the VAE's μ, the AE's z.
    pub mu: Vec<f32>,
    /// The VAE's σ; `None` for the AE.
    pub sigma: Option<Vec<f32>>,
}

/// One sample as the page shows it on hover: the input and what the model makes of it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Inspection {
    /// Index in the data set.
    pub index: usize,
    /// Its class (generated data: its first factor in ten bins).
    pub label: u8,
    /// Its factors in `[0, 1]` (digits: zeros).
    pub factors: [f32; 2],
    /// The input image.
    pub input: Vec<f32>,
    /// The model's code and reconstruction.
    pub reading: Reading,
}

/// Images decoded along the straight line between two samples' codes.
#[derive(Clone, Debug, PartialEq)]
pub struct Interpolation {
    /// The two samples.
    pub ends: (usize, usize),
    /// `steps · D` values: the images from the first sample's code (μ) to the second's.
    pub images: Vec<f32>,
}

/// Pixels of a view per decoded tile of its decoder map.
pub const MAP_TILE_PIXELS: usize = 24;

/// Images in an interpolation strip.
pub const STRIP_STEPS: usize = 10;

/// One model, its view, and its figures.
pub struct Playground {
    data: Arc<Dataset>,
    recipe: Recipe,
    trainer: Trainer,
    /// `(N, ·)` encoder outputs of every sample, refreshed by [`Playground::encode_all`].
    codes: Workspace<f32>,
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
    /// The range the decoder map under the view was decoded for, if one is there.
    map_range: Option<f32>,
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
        let n = data.len();
        let grid = (view.size / MAP_TILE_PIXELS).clamp(4, 24);
        let seed = config.seed;
        Ok(Playground {
            recipe,
            map: true,
            map_ws: Workspace::new(grid * grid, sizes),
            grid,
            map_range: None,
            strip_ws: Workspace::new(STRIP_STEPS, sizes),
            path_ws: Workspace::new(PATH_STEPS + 1, sizes),
            pairs: random_pairs(n, seed),
            pair: None,
            picks: stream(seed, Stream::Picks),
            drawing: None,
            codes: Workspace::new(n, sizes),
            one: Workspace::new(1, sizes),
            view: LatentView::new(view.size, view.range),
            colours: sample_colours(&data),
            highlight: None,
            fit: false,
            fit_jump: false,
            extents: Vec::with_capacity(n * sizes.latent),
            input_neighbours: None,
            building: None,
            data,
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

    /// The trainer.
    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    /// The data set.
    pub fn data(&self) -> &Dataset {
        &self.data
    }

    /// `steps` steps.
    ///
    /// # Errors
    /// [`TrainError::Diverged`] at the first step that diverged; the steps before it are
    /// kept, and the failed step changed nothing.
    pub fn train(&mut self, steps: u32) -> Result<TrainReport, TrainError> {
        let mut report = TrainReport::default();
        for _ in 0..steps {
            let l = self.trainer.step()?.loss;
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

    /// Encodes every sample (into buffers allocated once).
    pub fn encode_all(&mut self) {
        self.trainer
            .model()
            .encode(self.data.x.view(), &mut self.codes);
    }

    /// Encodes every sample and draws the view, over a freshly decoded map. In fit mode, the
    /// range first moves a fifth of the way (in log scale) towards
    /// [`Playground::fitted_range`].
    pub fn draw(&mut self) {
        self.draw_with(true);
    }

    /// As [`Playground::draw`], but over the decoder map already there unless `refresh_map`
    /// or the range changed: while training, the page decodes the map on every third frame
    /// only (it changes slowly, and decoding it costs training time).
    pub fn draw_with(&mut self, refresh_map: bool) {
        self.encode_all();
        if self.fit {
            let target = self.fitted_range();
            let now = self.view.range();
            let next = if self.fit_jump {
                target
            } else {
                (now.ln() + 0.2 * (target.ln() - now.ln())).exp()
            };
            self.fit_jump = false;
            self.view.set_range(next);
        }
        if self.map {
            let range = self.view.range();
            if refresh_map || self.map_range != Some(range) {
                decode_grid(self.trainer.model(), range, self.grid, &mut self.map_ws);
                self.view.set_backdrop(self.map_ws.probs.view(), self.grid);
                self.map_range = Some(range);
            }
        } else {
            self.view.clear_backdrop();
            self.map_range = None;
        }
        let c = &self.codes;
        if self.is_vae() {
            self.view
                .draw_posteriors(c.mu.view(), c.logvar.view(), &self.colours, self.highlight);
        } else {
            self.view
                .draw_points(c.mu.view(), &self.colours, self.highlight);
        }
        if let Some((i, j)) = self.pair {
            let at = |k: usize| (c.mu[[k, 0]], c.mu[[k, 1]]);
            self.view.draw_path(at(i), at(j));
        }
        let vae = self.is_vae();
        if let Some(x) = &self.drawing {
            // Only the code is needed here: encoded into the one-sample buffers.
            let one = &mut self.one;
            self.trainer.model().encode(x.view(), one);
            let mu = (one.mu[[0, 0]], one.mu[[0, 1]]);
            let sigma = vae.then(|| {
                (
                    (0.5 * one.logvar[[0, 0]]).exp(),
                    (0.5 * one.logvar[[0, 1]]).exp(),
                )
            });
            self.view.mark_drawing(mu, sigma);
        }
    }

    /// Shows the decoder map under the view (`true`) or a white background, from the next
    /// draw on.
    pub fn set_map(&mut self, on: bool) {
        self.map = on;
    }

    /// Whether the decoder map shows.
    pub fn map(&self) -> bool {
        self.map
    }

    /// What the model decodes at latent `(z0, z1)` (further dimensions 0): an image of `D`
    /// values in `[0, 1]`.
    pub fn decode_at(&mut self, z0: f32, z1: f32) -> Vec<f32> {
        let ws = &mut self.one;
        ws.z.fill(0.0);
        ws.z[[0, 0]] = z0;
        ws.z[[0, 1]] = z1;
        decode_probs(self.trainer.model(), ws);
        ws.probs.row(0).to_vec()
    }

    /// [`STRIP_STEPS`] images decoded along the straight line from sample `i`'s code to
    /// sample `j`'s (the VAE from μ to μ); the path shows in the view from the next draw on.
    /// `None` (and no path) if either index is past the data set.
    pub fn interpolate(&mut self, i: usize, j: usize) -> Option<Interpolation> {
        let n = self.data.len();
        if i >= n || j >= n {
            self.pair = None;
            return None;
        }
        self.pair = Some((i, j));
        self.strip()
    }

    /// The strip of the interpolation shown (see [`Playground::interpolate`]), decoded by the
    /// model as it is now; `None` without one.
    pub fn strip(&mut self) -> Option<Interpolation> {
        let (i, j) = self.pair?;
        let model = self.trainer.model();
        // The two codes (the VAE's means), one sample at a time.
        let mut code = |k: usize| {
            model.encode(self.data.x.slice(s![k..k + 1, ..]), &mut self.one);
            self.one.mu.row(0).to_vec()
        };
        let (a, b) = (code(i), code(j));
        decode_line(model, &a, &b, &mut self.strip_ws);
        Some(Interpolation {
            ends: (i, j),
            images: self.strip_ws.probs.iter().copied().collect(),
        })
    }

    /// Removes the interpolation's path from the view.
    pub fn clear_pair(&mut self) {
        self.pair = None;
    }

    /// The interpolation's two samples, if any.
    pub fn pair(&self) -> Option<(usize, usize)> {
        self.pair
    }

    /// Two different samples drawn at random (from the seed's own stream), of the same class
    /// if `same_class` (for generated data: the same tenth of the first factor), else of
    /// different classes; any two different samples if no such pair turns up in a few
    /// thousand draws (a class of one sample).
    pub fn random_pair(&mut self, same_class: bool) -> (usize, usize) {
        let n = self.data.len();
        let labels = &self.data.labels;
        let i = self.picks.random_range(0..n);
        let mut any = (i + 1) % n;
        for _ in 0..4096 {
            let j = self.picks.random_range(0..n);
            if j == i {
                continue;
            }
            any = j;
            if (labels[i] == labels[j]) == same_class {
                break;
            }
        }
        (i, any)
    }

    /// Sets (or with `None` removes) an input of the visitor's own: `D` values in `[0, 1]`,
    /// marked in the view from the next draw on.
    ///
    /// # Errors
    /// If the input does not have `D` values, all finite.
    pub fn set_drawing(&mut self, input: Option<Vec<f32>>) -> Result<(), String> {
        let d = self.data.dim();
        if let Some(x) = &input
            && (x.len() != d || !x.iter().all(|v| v.is_finite()))
        {
            return Err(format!("a drawing is {d} numbers, each from 0 to 1"));
        }
        self.drawing = input.map(|x| {
            Array2::from_shape_vec((1, d), x)
                .expect("the length is checked above")
                .mapv_into(|v| v.clamp(0.0, 1.0))
        });
        Ok(())
    }

    /// What the model makes of the visitor's input, if one is set.
    pub fn drawing(&mut self) -> Option<Reading> {
        let x = self.drawing.take()?;
        let reading = self.examine(x.view());
        self.drawing = Some(x);
        Some(reading)
    }

    /// The code of the one input `x` `(1, D)` and its reconstruction.
    fn examine(&mut self, x: ArrayView2<f32>) -> Reading {
        let model = self.trainer.model();
        model.encode(x, &mut self.one);
        let mu = self.one.mu.row(0).to_vec();
        let sigma = self
            .is_vae()
            .then(|| self.one.logvar.row(0).mapv(|l| (0.5 * l).exp()).to_vec());
        self.one.z.assign(&self.one.mu);
        decode_probs(model, &mut self.one);
        Reading {
            recon: self.one.probs.row(0).to_vec(),
            mu,
            sigma,
        }
    }

    /// The decoder's path-length ratio (see [`crate::decoder`]) over the seed's pairs of
    /// samples; encodes first.
    pub fn path_ratio(&mut self) -> f64 {
        self.encode_all();
        path_ratio(
            self.trainer.model(),
            self.codes.mu.view(),
            &self.pairs,
            &mut self.path_ws,
        )
    }

    /// The active latent dimensions at the last encoding: those along which the means of
    /// the samples vary, `Var_x(μ_k(x)) > 0.01` (Burda et al., 2016). A dimension the KL
    /// term has pushed onto the prior has the same μ ≈ 0 for every input, and so carries
    /// nothing about it.
    pub fn active_dims(&self) -> usize {
        let mu = &self.codes.mu;
        let n = mu.nrows() as f64;
        mu.columns()
            .into_iter()
            .filter(|col| {
                let mean = col.iter().map(|&v| v as f64).sum::<f64>() / n;
                let var = col.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n;
                var > 0.01
            })
            .count()
    }

    /// The view's pixels at the last draw (RGBA, row-major, `size × size`).
    pub fn pixels(&self) -> &[u8] {
        self.view.rgba()
    }

    /// The view.
    pub fn view(&self) -> &LatentView {
        &self.view
    }

    /// The VAE's σ averaged over samples and latent dimensions, at the last encoding;
    /// `None` for the AE.
    pub fn mean_sigma(&self) -> Option<f64> {
        let lv = &self.codes.logvar;
        self.is_vae()
            .then(|| lv.iter().map(|&l| (0.5 * l as f64).exp()).sum::<f64>() / lv.len() as f64)
    }

    /// The sample nearest to pixel `(x, y)` of the view, within `radius` pixels, at the last
    /// encoding; it is outlined from the next draw on. `None` clears the outline.
    pub fn pick(&mut self, x: f32, y: f32, radius: f32) -> Option<usize> {
        self.highlight = self.view.nearest(self.codes.mu.view(), x, y, radius);
        self.highlight
    }

    /// Outlines sample `index` from the next draw on (`None`: nothing).
    pub fn set_highlight(&mut self, index: Option<usize>) {
        self.highlight = index.filter(|&i| i < self.data.len());
    }

    /// Sample `index` and the model's reconstruction of it, or `None` past the data set.
    pub fn inspect(&mut self, index: usize) -> Option<Inspection> {
        if index >= self.data.len() {
            return None;
        }
        let data = Arc::clone(&self.data);
        let x = data.x.slice(s![index..index + 1, ..]);
        Some(Inspection {
            index,
            label: data.labels[index],
            factors: [data.factors[[index, 0]], data.factors[[index, 1]]],
            input: x.row(0).to_vec(),
            reading: self.examine(x),
        })
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

    /// Sets the batch size from the next step on.
    ///
    /// # Errors
    /// As [`Trainer::set_batch`].
    pub fn set_batch(&mut self, batch: usize) -> Result<(), ConfigError> {
        self.trainer.set_batch(batch)
    }

    /// Sets the half-width of the view.
    ///
    /// # Errors
    /// [`ConfigError::Range`] unless `MIN_RANGE ≤ range ≤ MAX_RANGE`.
    pub fn set_range(&mut self, range: f32) -> Result<(), ConfigError> {
        check_range(range)?;
        self.view.set_range(range);
        Ok(())
    }

    /// Builds up to `rows` more rows of the input space's neighbour tables, which
    /// [`Playground::neighbourhood`] needs (the digits' take over a second in all, so the page
    /// builds them between training steps); returns whether they are complete.
    pub fn prepare_neighbours(&mut self, rows: usize) -> bool {
        if self.input_neighbours.is_some() {
            return true;
        }
        let data = &self.data;
        let builder = self
            .building
            .get_or_insert_with(|| NeighboursBuilder::new(data.len()));
        if builder.advance(data.x.view(), rows) {
            self.input_neighbours = self.building.take().and_then(NeighboursBuilder::finish);
        }
        self.input_neighbours.is_some()
    }

    /// Trustworthiness and continuity at `k` neighbours between the input space and the
    /// model's latent means, `(T, C)` (see [`crate::metrics`]).
    ///
    /// # Errors
    /// [`MetricError`] if `k` is not below half the number of samples.
    pub fn neighbourhood(&mut self, k: usize) -> Result<(f64, f64), MetricError> {
        self.prepare_neighbours(usize::MAX);
        self.encode_all();
        let input = self.input_neighbours.as_ref().expect("prepared");
        scores(input, self.codes.mu.view(), k)
    }

    /// Makes the view follow the codes (`true`) or keep its range (`false`).
    pub fn set_fit(&mut self, fit: bool) {
        self.fit_jump = fit && !self.fit;
        self.fit = fit;
    }

    /// Whether the view follows the codes.
    pub fn fit(&self) -> bool {
        self.fit
    }

    /// The half-width that shows 98% of the codes (VAE: `|μ| + σ`), with a margin, and never
    /// less than 2.5, so that the prior's 2σ circle stays in view. Uses the last encoding.
    pub fn fitted_range(&mut self) -> f32 {
        self.extents.clear();
        let c = &self.codes;
        if self.is_vae() {
            for (&m, &lv) in c.mu.iter().zip(c.logvar.iter()) {
                self.extents.push(m.abs() + (0.5 * lv).exp());
            }
        } else {
            self.extents.extend(c.mu.iter().map(|m| m.abs()));
        }
        self.extents.retain(|e| e.is_finite());
        if self.extents.is_empty() {
            return MAX_RANGE as f32;
        }
        let k = (self.extents.len() as f32 * 0.98) as usize;
        let k = k.min(self.extents.len() - 1);
        let (_, &mut p, _) = self.extents.select_nth_unstable_by(k, f32::total_cmp);
        (1.15 * p).clamp(2.5, MAX_RANGE as f32)
    }

    /// The latent codes of every sample as CSV rows with the trainer's columns, the model
    /// named `name` (encodes first, so they are current); no header.
    pub fn latents_csv_rows(&mut self, name: &str) -> String {
        self.encode_all();
        let mut out = String::new();
        let c = &self.codes;
        let logvar = self.is_vae().then(|| c.logvar.view());
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
        Ok(())
    }

    /// The latent codes of every sample at the last encoding: `(N, Z)` means (the AE's
    /// codes) and `(N, Z)` `log σ²` (zeros for the AE).
    pub fn codes(&self) -> (&Array2<f32>, &Array2<f32>) {
        (&self.codes.mu, &self.codes.logvar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small(recipe: &str) -> Playground {
        let config = Config {
            hidden: 32,
            ..Config::default()
        };
        let view = ViewSettings {
            range: 4.0,
            size: 120,
        };
        Playground::new(
            recipe.parse().unwrap(),
            config,
            view,
            Arc::new(Dataset::digits()),
        )
        .unwrap()
    }

    fn white(px: &[u8]) -> usize {
        px.chunks(4).filter(|c| c[..3] == [255, 255, 255]).count()
    }

    #[test]
    fn models_of_one_lab_see_the_same_batches_and_draw_differently() {
        let mut vae = small("vae");
        let mut ae = small("ae");
        let r = vae.train(20).unwrap();
        let a = ae.train(20).unwrap();
        assert_eq!((r.steps, a.steps), (20, 20));
        assert!(r.loss.kl > 0.0 && a.loss.kl == 0.0);
        assert_eq!(vae.trainer().last_batch(), ae.trainer().last_batch());
        vae.draw();
        ae.draw();
        let (v, p) = (vae.pixels(), ae.pixels());
        assert_eq!(v.len(), 120 * 120 * 4);
        assert!(
            white(v) < 120 * 120 && white(p) < 120 * 120,
            "both views have drawing"
        );
        assert_ne!(v, p);
        let sigma = vae.mean_sigma().unwrap();
        assert!(sigma > 0.0 && sigma < 2.0, "{sigma}");
        assert_eq!(ae.mean_sigma(), None);
    }

    #[test]
    fn a_recipes_own_beta_and_noise_hold_when_the_lab_changes() {
        let mut own = small("vae:beta=0:noise=mean");
        own.set_beta(3.0).unwrap();
        own.set_noise(Noise::Sample);
        let c = own.trainer().config();
        assert_eq!((c.beta, c.noise), (0.0, Noise::Mean));
        assert!(own.set_beta(-1.0).is_err(), "a bad β is still refused");
        let mut plain = small("vae");
        plain.set_beta(3.0).unwrap();
        assert_eq!(plain.trainer().config().beta, 3.0);
    }

    #[test]
    fn picking_and_inspecting_a_sample() {
        let mut p = small("vae");
        p.train(5).unwrap();
        p.draw();
        let (mu, _) = p.codes();
        let (x, y) = p.view().to_pixel(mu[[7, 0]], mu[[7, 1]]);
        let picked = p.pick(x, y, 3.0).unwrap();
        let s = p.inspect(picked).unwrap();
        assert_eq!(s.input.len(), 64);
        assert_eq!(s.reading.recon.len(), 64);
        assert!(s.reading.recon.iter().all(|v| (0.0..=1.0).contains(v)));
        assert_eq!(s.label, p.data().labels[picked]);
        // The picked sample's μ is where the pointer was.
        let (mx, my) = p.view().to_pixel(s.reading.mu[0], s.reading.mu[1]);
        assert!((mx - x).abs() < 3.0 && (my - y).abs() < 3.0);
        assert!(s.reading.sigma.unwrap().iter().all(|&v| v > 0.0));
        assert!(p.inspect(5000).is_none());
        assert!(p.pick(-100.0, -100.0, 3.0).is_none());
        let mut ae = small("ae");
        assert_eq!(ae.inspect(3).unwrap().reading.sigma, None);
    }

    #[test]
    fn fit_mode_follows_the_codes() {
        let mut p = small("ae");
        p.train(300).unwrap();
        p.draw();
        let target = p.fitted_range();
        assert!(target >= 2.5);
        // The AE's codes wander: the fitted range covers 98% of them.
        let (codes, _) = p.codes();
        let inside = codes.iter().filter(|v| v.abs() <= target).count();
        assert!(inside as f32 >= 0.97 * codes.len() as f32);
        p.set_fit(true);
        p.draw();
        assert_eq!(p.view().range(), target, "the first fitted draw jumps");
        p.set_range(target * 4.0).unwrap();
        p.draw();
        let r = p.view().range();
        assert!(
            r < target * 4.0 && r > target,
            "later draws move part of the way: {r}"
        );
        p.set_fit(false);
        p.draw();
        assert_eq!(p.view().range(), r);
    }

    #[test]
    fn neighbourhood_scores() {
        let mut p = small("vae");
        p.train(100).unwrap();
        let (t, c) = p.neighbourhood(10).unwrap();
        for v in [t, c] {
            assert!(v > 0.5 && v <= 1.0, "{v}");
        }
        assert!(p.neighbourhood(2000).is_err());
    }

    #[test]
    fn the_decoder_map_lies_under_the_view_and_changes_with_training() {
        let mut p = small("ae");
        assert!(p.map(), "the map shows by default");
        p.draw();
        let before = p.pixels().to_vec();
        p.set_map(false);
        p.draw();
        let plain = p.pixels().to_vec();
        assert_ne!(before, plain, "the map changes the background");
        assert!(white(&before) < white(&plain));
        p.set_map(true);
        p.train(50).unwrap();
        p.draw();
        assert_ne!(p.pixels(), &before[..], "training changes the map");
        let image = p.decode_at(0.3, -0.2);
        assert_eq!(image.len(), 64);
        assert!(image.iter().all(|v| (0.0..=1.0).contains(v)));
        assert_ne!(small("vae").decode_at(0.3, -0.2), image);
    }

    #[test]
    fn the_map_is_kept_between_refreshes_unless_the_range_changes() {
        let mut p = small("ae");
        p.draw();
        let first = p.pixels().to_vec();
        p.train(40).unwrap();
        p.set_map(false);
        p.draw_with(false);
        let points_only = p.pixels().to_vec();
        p.set_map(true);
        p.draw_with(false);
        let kept = p.pixels().to_vec();
        assert_ne!(kept, points_only, "a map comes back after it was off");
        p.draw();
        let fresh = p.pixels().to_vec();
        assert_ne!(fresh, first);
        // The same frame drawn without refreshing keeps the map: identical pixels.
        p.draw_with(false);
        assert_eq!(p.pixels(), &fresh[..]);
        p.train(40).unwrap();
        p.draw_with(false);
        let stale = p.pixels().to_vec();
        p.draw();
        assert_ne!(p.pixels(), &stale[..], "a refresh decodes the trained map");
        // A new range always decodes the map anew.
        p.set_range(6.0).unwrap();
        p.draw_with(false);
        let wide = p.pixels().to_vec();
        p.draw();
        assert_eq!(p.pixels(), &wide[..]);
    }

    #[test]
    fn interpolating_between_two_samples() {
        let mut p = small("vae");
        p.train(30).unwrap();
        let strip = p.interpolate(3, 40).unwrap();
        assert_eq!(strip.images.len(), STRIP_STEPS * 64);
        // The ends are the reconstructions from the codes.
        let s3 = p.inspect(3).unwrap();
        let s40 = p.inspect(40).unwrap();
        assert_eq!(&strip.images[..64], &s3.reading.recon[..]);
        assert_eq!(
            &strip.images[(STRIP_STEPS - 1) * 64..],
            &s40.reading.recon[..]
        );
        assert_eq!(p.pair(), Some((3, 40)));
        p.draw();
        let with_path = p.pixels().to_vec();
        p.clear_pair();
        p.draw();
        assert_ne!(p.pixels(), &with_path[..], "the path is drawn");
        assert!(p.interpolate(0, 5000).is_none());
        assert_eq!(p.pair(), None);
        let labels = p.data().labels.clone();
        for same in [true, false] {
            let (i, j) = p.random_pair(same);
            assert_ne!(i, j);
            assert_eq!(labels[i] == labels[j], same);
        }
        // Every model of a lab draws the same pairs from the seed.
        let mut other = small("ae");
        let mut again = small("vae");
        assert_eq!(other.random_pair(true), again.random_pair(true));
    }

    #[test]
    fn a_drawn_input_is_encoded_and_marked() {
        let mut p = small("ae");
        p.train(30).unwrap();
        assert!(p.set_drawing(Some(vec![0.5; 3])).is_err());
        assert!(p.set_drawing(Some(vec![f32::NAN; 64])).is_err());
        let seven = p.data().x.row(7).to_vec();
        p.set_drawing(Some(seven)).unwrap();
        let drawn = p.drawing().unwrap();
        let known = p.inspect(7).unwrap();
        assert_eq!(drawn, known.reading);
        p.draw();
        let marked = p.pixels().to_vec();
        p.set_drawing(None).unwrap();
        assert!(p.drawing().is_none());
        p.draw();
        assert_ne!(p.pixels(), &marked[..]);
    }

    #[test]
    fn path_ratio_and_active_dimensions() {
        let mut p = small("vae");
        p.train(200).unwrap();
        // The ratio along the seed's own pairs, between the codes as they are now (not as
        // they were at the last draw).
        let r = p.path_ratio();
        p.encode_all();
        let (mu, _) = p.codes();
        let pairs = random_pairs(mu.nrows(), 0);
        let mut ws = Workspace::new(PATH_STEPS + 1, p.trainer().model().sizes);
        let want = path_ratio(p.trainer().model(), mu.view(), &pairs, &mut ws);
        assert_eq!(r, want);
        p.draw();
        assert!(
            p.active_dims() >= 1,
            "after training, the codes carry something"
        );
        let mut collapsed = small("vae:beta=10");
        collapsed.train(300).unwrap();
        collapsed.draw();
        assert_eq!(
            collapsed.active_dims(),
            0,
            "β = 10 pushes every dimension onto the prior"
        );
    }

    #[test]
    fn weights_of_the_other_kind_are_refused() {
        let mut p = small("vae");
        let ae = small("ae").trainer().model().clone();
        let e = p.load_model(ae).unwrap_err();
        assert!(e.contains("ae weights; this model is a vae"), "{e}");
    }

    #[test]
    fn bad_ranges_are_refused() {
        let mut p = small("ae");
        for bad in [0.0, -1.0, 0.3, f32::NAN, 1e9] {
            assert_eq!(
                p.set_range(bad).unwrap_err().to_string(),
                ConfigError::Range(bad).to_string()
            );
        }
        assert!(p.set_range(8.0).is_ok());
        assert_eq!(p.view().range(), 8.0);
    }
}

//! What the page runs: a VAE and an AE trained side by side on the same data with the same
//! seed, their latent views, and the inspection of one sample. Pure Rust; `web.rs` only
//! translates it for JavaScript.

use crate::config::{Config, ConfigError, MAX_RANGE, Noise, check_range};
use crate::data::Dataset;
use crate::decoder::{
    PATH_STEPS, decode_grid, decode_line, decode_probs, path_ratio, random_pairs,
};
use crate::metrics::{MetricError, Neighbours, NeighboursBuilder, scores};
use crate::model::{Loss, Model, ModelKind, Workspace};
use crate::render::{LatentView, sample_colours};
use crate::rng::{Stream, stream};
use crate::train::{TrainError, Trainer};
use ndarray::{Array2, ArrayView2, s};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// Which latent view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The VAE's posteriors.
    Vae,
    /// The AE's codes.
    Ae,
}

crate::names::named!(Side, "view", [Side::Vae => "vae", Side::Ae => "ae"]);

/// The settings of the page beyond a training config.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewSettings {
    /// Both views show `[-range, range]²`.
    pub range: f32,
    /// Width and height of each view, in pixels.
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
    /// Steps taken by each model.
    pub steps: u32,
    /// The VAE's mean batch losses over those steps.
    pub vae: Loss,
    /// The AE's mean batch losses over those steps.
    pub ae: Loss,
}

/// What both models make of one input: its codes and reconstructions (images of `D` values in
/// `[0, 1]`, decoded from the mean code). Serialised for JavaScript in camelCase.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reading {
    /// The VAE's reconstruction, decoding `z = μ`.
    pub vae: Vec<f32>,
    /// The AE's reconstruction.
    pub ae: Vec<f32>,
    /// The VAE's μ.
    pub vae_mu: Vec<f32>,
    /// The VAE's σ.
    pub vae_sigma: Vec<f32>,
    /// The AE's code.
    pub ae_code: Vec<f32>,
}

/// One sample as the page shows it on hover: the input and what both models make of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    /// Index in the data set.
    pub index: usize,
    /// Its class (generated data: its first factor in ten bins).
    pub label: u8,
    /// Its factors in `[0, 1]` (digits: zeros).
    pub factors: [f32; 2],
    /// The input image.
    pub input: Vec<f32>,
    /// Both models' codes and reconstructions.
    pub reading: Reading,
}

/// Images decoded along the straight line between two samples' codes, for both models.
#[derive(Clone, Debug, PartialEq)]
pub struct Interpolation {
    /// The two samples.
    pub ends: (usize, usize),
    /// `steps · D` values: the VAE's images from the first sample's μ to the second's.
    pub vae: Vec<f32>,
    /// `steps · D` values: the AE's images from code to code.
    pub ae: Vec<f32>,
}

/// Images decoded on each side of a latent view, `grid` tiles a side (see
/// [`crate::decoder::decode_grid`]): the decoder maps under the views.
pub const MAP_TILE_PIXELS: usize = 24;

/// Images in an interpolation strip.
pub const STRIP_STEPS: usize = 10;

/// Two trainers and their views.
pub struct Playground {
    data: Arc<Dataset>,
    vae: Trainer,
    ae: Trainer,
    /// `(N, ·)` encoder outputs of every sample, refreshed by [`Playground::encode_all`].
    vae_codes: Workspace<f32>,
    ae_codes: Workspace<f32>,
    /// One sample's forward pass, for reconstructions.
    one: Workspace<f32>,
    vae_view: LatentView,
    ae_view: LatentView,
    /// `(N)` each sample's colour in the views.
    colours: Vec<[u8; 3]>,
    highlight: Option<usize>,
    /// Whether the views follow the codes (zoom to fit) instead of a fixed range.
    fit: bool,
    /// Whether the next fitted draw jumps straight to the fitted range.
    fit_jump: bool,
    /// Scratch for the fitted range: `2·N·Z` extents.
    extents: Vec<f32>,
    /// The input space's neighbour tables, built a few rows at a time
    /// ([`Playground::prepare_neighbours`]) or at first use; they never change.
    input_neighbours: Option<Neighbours>,
    /// The input space's tables while they are being built.
    building: Option<NeighboursBuilder>,
    /// Whether the decoder maps lie under the views.
    map: bool,
    /// `grid²` codes for the decoder maps.
    map_ws: Workspace<f32>,
    /// Tiles on a side of a decoder map.
    grid: usize,
    /// [`STRIP_STEPS`] codes along an interpolation.
    strip_ws: Workspace<f32>,
    /// `PATH_STEPS + 1` codes along a path of the path-length ratio.
    path_ws: Workspace<f32>,
    /// The pairs of samples the path-length ratio follows.
    pairs: Vec<(usize, usize)>,
    /// The interpolation's two samples, drawn as a path in both views.
    pair: Option<(usize, usize)>,
    /// Random pairs for "random pair" buttons.
    picks: ChaCha8Rng,
    /// An input of the visitor's own, `(1, D)`, marked in both views.
    probe: Option<Array2<f32>>,
}

impl Playground {
    /// A VAE and an AE with `config` (its `model` is ignored) on `data`.
    ///
    /// # Errors
    /// The first setting that cannot be used; a view range outside
    /// [`check_range`]'s bounds is reported as [`ConfigError::Range`].
    pub fn new(
        config: Config,
        view: ViewSettings,
        data: Arc<Dataset>,
    ) -> Result<Self, ConfigError> {
        check_range(view.range)?;
        let vae = Trainer::new(
            Config {
                model: ModelKind::Vae,
                ..config.clone()
            },
            data.clone(),
        )?;
        let ae = Trainer::new(
            Config {
                model: ModelKind::Ae,
                ..config
            },
            data.clone(),
        )?;
        let sizes = vae.model().sizes;
        let n = data.len();
        let grid = (view.size / MAP_TILE_PIXELS).clamp(4, 24);
        let seed = vae.config().seed;
        Ok(Playground {
            map: true,
            map_ws: Workspace::new(grid * grid, sizes),
            grid,
            strip_ws: Workspace::new(STRIP_STEPS, sizes),
            path_ws: Workspace::new(PATH_STEPS + 1, sizes),
            pairs: random_pairs(n, seed),
            pair: None,
            picks: stream(seed, Stream::Picks),
            probe: None,
            vae_codes: Workspace::new(n, sizes),
            ae_codes: Workspace::new(n, sizes),
            one: Workspace::new(1, sizes),
            vae_view: LatentView::new(view.size, view.range),
            ae_view: LatentView::new(view.size, view.range),
            colours: sample_colours(&data),
            highlight: None,
            fit: false,
            fit_jump: false,
            extents: Vec::with_capacity(2 * n * sizes.latent),
            input_neighbours: None,
            building: None,
            data,
            vae,
            ae,
        })
    }

    /// The VAE's trainer.
    pub fn vae(&self) -> &Trainer {
        &self.vae
    }

    /// The AE's trainer.
    pub fn ae(&self) -> &Trainer {
        &self.ae
    }

    /// The data set.
    pub fn data(&self) -> &Dataset {
        &self.data
    }

    /// `steps` steps of each model, on the same batches.
    ///
    /// # Errors
    /// [`TrainError::Diverged`] from the first model that diverged; the steps before it are
    /// kept, and the failed step changed nothing.
    pub fn train(&mut self, steps: u32) -> Result<TrainReport, TrainError> {
        let mut report = TrainReport::default();
        let add = |sum: &mut Loss, l: Loss| {
            sum.loss += l.loss;
            sum.recon += l.recon;
            sum.kl += l.kl;
        };
        for _ in 0..steps {
            let v = self.vae.step()?;
            let a = self.ae.step()?;
            add(&mut report.vae, v.loss);
            add(&mut report.ae, a.loss);
            report.steps += 1;
        }
        if report.steps > 0 {
            let n = report.steps as f64;
            for l in [&mut report.vae, &mut report.ae] {
                l.loss /= n;
                l.recon /= n;
                l.kl /= n;
            }
        }
        Ok(report)
    }

    /// Encodes every sample with both models (into buffers allocated once).
    pub fn encode_all(&mut self) {
        self.vae
            .model()
            .encode(self.data.x.view(), &mut self.vae_codes);
        self.ae
            .model()
            .encode(self.data.x.view(), &mut self.ae_codes);
    }

    /// Encodes every sample and draws both views. In fit mode, the range first moves a fifth
    /// of the way (in log scale) towards [`Playground::fitted_range`].
    pub fn draw(&mut self) {
        self.encode_all();
        if self.fit {
            let target = self.fitted_range();
            let now = self.vae_view.range();
            let next = if self.fit_jump {
                target
            } else {
                (now.ln() + 0.2 * (target.ln() - now.ln())).exp()
            };
            self.fit_jump = false;
            self.vae_view.set_range(next);
            self.ae_view.set_range(next);
        }
        if self.map {
            let range = self.vae_view.range();
            decode_grid(self.vae.model(), range, self.grid, &mut self.map_ws);
            self.vae_view
                .set_backdrop(self.map_ws.probs.view(), self.grid);
            decode_grid(self.ae.model(), range, self.grid, &mut self.map_ws);
            self.ae_view
                .set_backdrop(self.map_ws.probs.view(), self.grid);
        } else {
            self.vae_view.clear_backdrop();
            self.ae_view.clear_backdrop();
        }
        let colours = &self.colours;
        let v = &self.vae_codes;
        self.vae_view
            .draw_posteriors(v.mu.view(), v.logvar.view(), colours, self.highlight);
        self.ae_view
            .draw_points(self.ae_codes.mu.view(), colours, self.highlight);
        if let Some((i, j)) = self.pair {
            let at = |codes: &Array2<f32>, k: usize| (codes[[k, 0]], codes[[k, 1]]);
            let (vae_mu, ae_codes) = (&self.vae_codes.mu, &self.ae_codes.mu);
            self.vae_view.draw_path(at(vae_mu, i), at(vae_mu, j));
            self.ae_view.draw_path(at(ae_codes, i), at(ae_codes, j));
        }
        if let Some(x) = &self.probe {
            // Only the codes are needed here: encoded into the one-sample buffers.
            let one = &mut self.one;
            self.vae.model().encode(x.view(), one);
            let mu = (one.mu[[0, 0]], one.mu[[0, 1]]);
            let sigma = (
                (0.5 * one.logvar[[0, 0]]).exp(),
                (0.5 * one.logvar[[0, 1]]).exp(),
            );
            self.vae_view.draw_probe(mu, Some(sigma));
            self.ae.model().encode(x.view(), one);
            self.ae_view
                .draw_probe((one.mu[[0, 0]], one.mu[[0, 1]]), None);
        }
    }

    /// Shows the decoder maps under the views (`true`) or a white background, from the next
    /// draw on.
    pub fn set_map(&mut self, on: bool) {
        self.map = on;
    }

    /// Whether the decoder maps show.
    pub fn map(&self) -> bool {
        self.map
    }

    /// What each model decodes at latent `(z0, z1)` (further dimensions 0): `[VAE, AE]`
    /// images of `D` values in `[0, 1]`.
    pub fn decode_at(&mut self, z0: f32, z1: f32) -> [Vec<f32>; 2] {
        let image = |model: &Model<f32>, ws: &mut Workspace<f32>| {
            ws.z.fill(0.0);
            ws.z[[0, 0]] = z0;
            ws.z[[0, 1]] = z1;
            decode_probs(model, ws);
            ws.probs.row(0).to_vec()
        };
        [
            image(self.vae.model(), &mut self.one),
            image(self.ae.model(), &mut self.one),
        ]
    }

    /// [`STRIP_STEPS`] images decoded along the straight line from sample `i`'s code to
    /// sample `j`'s, for each model (the VAE from μ to μ); the path shows in the views from
    /// the next draw on. `None` (and no path) if either index is past the data set.
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
    /// models as they are now; `None` without one.
    pub fn strip(&mut self) -> Option<Interpolation> {
        let (i, j) = self.pair?;
        let data = Arc::clone(&self.data);
        let line = |model: &Model<f32>, one: &mut Workspace<f32>, ws: &mut Workspace<f32>| {
            // The two codes (the VAE's means), one sample at a time.
            let mut code = |k: usize| {
                model.encode(data.x.slice(s![k..k + 1, ..]), one);
                one.mu.row(0).to_vec()
            };
            let (a, b) = (code(i), code(j));
            decode_line(model, &a, &b, ws);
            ws.probs.iter().copied().collect::<Vec<f32>>()
        };
        Some(Interpolation {
            ends: (i, j),
            vae: line(self.vae.model(), &mut self.one, &mut self.strip_ws),
            ae: line(self.ae.model(), &mut self.one, &mut self.strip_ws),
        })
    }

    /// Removes the interpolation's path from the views.
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
    /// marked in both views from the next draw on.
    ///
    /// # Errors
    /// If the input does not have `D` values, all finite.
    pub fn set_probe(&mut self, input: Option<Vec<f32>>) -> Result<(), String> {
        if let Some(x) = &input {
            let d = self.data.dim();
            if x.len() != d || !x.iter().all(|v| v.is_finite()) {
                return Err(format!("a drawing is {d} numbers, each from 0 to 1"));
            }
        }
        let d = self.data.dim();
        self.probe = input.map(|x| {
            Array2::from_shape_vec((1, d), x)
                .expect("the length is checked above")
                .mapv_into(|v| v.clamp(0.0, 1.0))
        });
        Ok(())
    }

    /// What each model makes of the visitor's input, if one is set.
    pub fn probe(&mut self) -> Option<Reading> {
        let x = self.probe.take()?;
        let reading = self.examine(x.view());
        self.probe = Some(x);
        Some(reading)
    }

    /// Both models' codes of the one input `x` `(1, D)` and their reconstructions.
    fn examine(&mut self, x: ArrayView2<f32>) -> Reading {
        let vae = self.vae.model();
        vae.encode(x, &mut self.one);
        let vae_mu = self.one.mu.row(0).to_vec();
        let vae_sigma = self.one.logvar.row(0).mapv(|l| (0.5 * l).exp()).to_vec();
        self.one.z.assign(&self.one.mu);
        decode_probs(vae, &mut self.one);
        let vae_img = self.one.probs.row(0).to_vec();
        let ae = self.ae.model();
        ae.encode(x, &mut self.one);
        let ae_code = self.one.mu.row(0).to_vec();
        self.one.z.assign(&self.one.mu);
        decode_probs(ae, &mut self.one);
        let ae_img = self.one.probs.row(0).to_vec();
        Reading {
            vae: vae_img,
            ae: ae_img,
            vae_mu,
            vae_sigma,
            ae_code,
        }
    }

    /// The decoders' path-length ratio (see [`crate::decoder`]) over the seed's pairs of
    /// samples, `[VAE, AE]`; encodes first.
    pub fn smoothness(&mut self) -> [f64; 2] {
        self.encode_all();
        [
            path_ratio(
                self.vae.model(),
                self.vae_codes.mu.view(),
                &self.pairs,
                &mut self.path_ws,
            ),
            path_ratio(
                self.ae.model(),
                self.ae_codes.mu.view(),
                &self.pairs,
                &mut self.path_ws,
            ),
        ]
    }

    /// The VAE's active latent dimensions at the last encoding: those along which the means
    /// of the samples vary, `Var_x(μ_k(x)) > 0.01` (Burda et al., 2016). A dimension the KL
    /// term has pushed onto the prior has the same μ ≈ 0 for every input, and so carries
    /// nothing about it.
    pub fn active_dims(&self) -> usize {
        let mu = &self.vae_codes.mu;
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

    /// A view's pixels at the last draw (RGBA, row-major, `size × size`).
    pub fn pixels(&self, side: Side) -> &[u8] {
        self.view(side).rgba()
    }

    /// A view.
    pub fn view(&self, side: Side) -> &LatentView {
        match side {
            Side::Vae => &self.vae_view,
            Side::Ae => &self.ae_view,
        }
    }

    /// The VAE's σ averaged over samples and latent dimensions, at the last encoding.
    pub fn mean_sigma(&self) -> f64 {
        let lv = &self.vae_codes.logvar;
        lv.iter().map(|&l| (0.5 * l as f64).exp()).sum::<f64>() / lv.len() as f64
    }

    /// The sample nearest to pixel `(x, y)` of a view, within `radius` pixels, at the last
    /// encoding; it is outlined in both views from the next draw on. `None` clears the outline.
    pub fn pick(&mut self, side: Side, x: f32, y: f32, radius: f32) -> Option<usize> {
        let centres = match side {
            Side::Vae => self.vae_codes.mu.view(),
            Side::Ae => self.ae_codes.mu.view(),
        };
        self.highlight = self.view(side).nearest(centres, x, y, radius);
        self.highlight
    }

    /// Sample `index` and both models' reconstructions of it, or `None` past the data set.
    pub fn inspect(&mut self, index: usize) -> Option<Inspection> {
        if index >= self.data.len() {
            return None;
        }
        let data = Arc::clone(&self.data);
        let x = data.x.slice(s![index..index + 1, ..]);
        Some(Inspection {
            index,
            label: self.data.labels[index],
            factors: [self.data.factors[[index, 0]], self.data.factors[[index, 1]]],
            input: x.row(0).to_vec(),
            reading: self.examine(x),
        })
    }

    /// Sets β of the VAE from the next step on.
    ///
    /// # Errors
    /// As [`Trainer::set_beta`].
    pub fn set_beta(&mut self, beta: f32) -> Result<(), ConfigError> {
        self.vae.set_beta(beta)?;
        self.ae.set_beta(beta)
    }

    /// Sets both learning rates from the next step on.
    ///
    /// # Errors
    /// As [`Trainer::set_lr`].
    pub fn set_lr(&mut self, lr: f32) -> Result<(), ConfigError> {
        self.vae.set_lr(lr)?;
        self.ae.set_lr(lr)
    }

    /// Sets the VAE's noise from the next step on.
    pub fn set_noise(&mut self, noise: Noise) {
        self.vae.set_noise(noise);
        self.ae.set_noise(noise);
    }

    /// Sets both batch sizes from the next step on.
    ///
    /// # Errors
    /// As [`Trainer::set_batch`].
    pub fn set_batch(&mut self, batch: usize) -> Result<(), ConfigError> {
        self.vae.set_batch(batch)?;
        self.ae.set_batch(batch)
    }

    /// Sets the half-width of both views.
    ///
    /// # Errors
    /// [`ConfigError::Range`] unless `MIN_RANGE ≤ range ≤ MAX_RANGE`.
    pub fn set_range(&mut self, range: f32) -> Result<(), ConfigError> {
        check_range(range)?;
        self.vae_view.set_range(range);
        self.ae_view.set_range(range);
        Ok(())
    }

    /// Trustworthiness and continuity at `k` neighbours between the input space and each
    /// model's latent means, `[(T, C) of the VAE, (T, C) of the AE]` (see [`crate::metrics`]).
    /// The first call builds the input space's tables (a fraction of a second for the digits).
    ///
    /// # Errors
    /// [`MetricError`] if `k` is not below half the number of samples.
    pub fn neighbourhood(&mut self, k: usize) -> Result<[(f64, f64); 2], MetricError> {
        self.prepare_neighbours(usize::MAX);
        self.encode_all();
        let input = self.input_neighbours.as_ref().expect("prepared");
        let vae = scores(input, self.vae_codes.mu.view(), k)?;
        let ae = scores(input, self.ae_codes.mu.view(), k)?;
        Ok([vae, ae])
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

    /// Makes the views follow the codes (`true`) or keep their range (`false`).
    pub fn set_fit(&mut self, fit: bool) {
        self.fit_jump = fit && !self.fit;
        self.fit = fit;
    }

    /// Whether the views follow the codes.
    pub fn fit(&self) -> bool {
        self.fit
    }

    /// The half-width that shows 98% of both models' codes (VAE: `|μ| + σ`), with a margin,
    /// and never less than 2.5, so that the prior's 2σ circle stays in view. Uses the last
    /// encoding.
    pub fn fitted_range(&mut self) -> f32 {
        self.extents.clear();
        let v = &self.vae_codes;
        for (&m, &lv) in v.mu.iter().zip(v.logvar.iter()) {
            self.extents.push(m.abs() + (0.5 * lv).exp());
        }
        self.extents
            .extend(self.ae_codes.mu.iter().map(|m| m.abs()));
        self.extents.retain(|e| e.is_finite());
        if self.extents.is_empty() {
            return MAX_RANGE as f32;
        }
        let k = (self.extents.len() as f32 * 0.98) as usize;
        let k = k.min(self.extents.len() - 1);
        let (_, &mut p, _) = self.extents.select_nth_unstable_by(k, f32::total_cmp);
        (1.15 * p).clamp(2.5, MAX_RANGE as f32)
    }

    /// The latent codes of both models for every sample, as CSV with the trainer's columns
    /// (encodes first, so they are current).
    pub fn latents_csv(&mut self) -> String {
        self.encode_all();
        let mut out = crate::export::latents_csv_header(self.vae_codes.mu.ncols());
        let labels = &self.data.labels;
        let v = &self.vae_codes;
        crate::export::latents_csv_rows(
            &mut out,
            "vae",
            v.mu.view(),
            Some(v.logvar.view()),
            labels,
        );
        crate::export::latents_csv_rows(&mut out, "ae", self.ae_codes.mu.view(), None, labels);
        out
    }

    /// Replaces one model's weights (its kind decides which), keeping the step count.
    ///
    /// # Errors
    /// A sentence saying how the weights do not fit this playground.
    pub fn load_model(&mut self, model: crate::model::Model<f32>) -> Result<(), String> {
        let trainer = match model.kind {
            ModelKind::Vae => &mut self.vae,
            ModelKind::Ae => &mut self.ae,
        };
        if !trainer.fits(&model) {
            let have = trainer.model();
            return Err(format!(
                "these {} weights have {} inputs, {} hidden units ({}) and {} latent dimensions; this playground has {}, {} ({}) and {}",
                model.kind.name(),
                model.sizes.input,
                model.sizes.hidden,
                model.activation.name(),
                model.sizes.latent,
                have.sizes.input,
                have.sizes.hidden,
                have.activation.name(),
                have.sizes.latent
            ));
        }
        trainer.set_model(model);
        Ok(())
    }

    /// The latent codes of every sample at the last encoding: `(N, Z)` VAE means, `(N, Z)`
    /// VAE `log σ²`, `(N, Z)` AE codes.
    pub fn codes(&self) -> (&Array2<f32>, &Array2<f32>, &Array2<f32>) {
        (
            &self.vae_codes.mu,
            &self.vae_codes.logvar,
            &self.ae_codes.mu,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Playground {
        let config = Config {
            hidden: 32,
            ..Config::default()
        };
        let view = ViewSettings {
            range: 4.0,
            size: 120,
        };
        Playground::new(config, view, Arc::new(Dataset::digits())).unwrap()
    }

    #[test]
    fn both_models_train_in_step_and_the_views_differ() {
        let mut p = small();
        let r = p.train(20).unwrap();
        assert_eq!(r.steps, 20);
        assert_eq!((p.vae().steps(), p.ae().steps()), (20, 20));
        assert!(r.vae.kl > 0.0 && r.ae.kl == 0.0);
        assert_eq!(p.vae().last_batch(), p.ae().last_batch());
        p.draw();
        let white = |px: &[u8]| px.chunks(4).filter(|c| c[..3] == [255, 255, 255]).count();
        let (v, a) = (p.pixels(Side::Vae), p.pixels(Side::Ae));
        assert_eq!(v.len(), 120 * 120 * 4);
        assert!(
            white(v) < 120 * 120 && white(a) < 120 * 120,
            "both views have drawing"
        );
        assert_ne!(v, a);
        let sigma = p.mean_sigma();
        assert!(sigma > 0.0 && sigma < 2.0, "{sigma}");
    }

    #[test]
    fn picking_and_inspecting_a_sample() {
        let mut p = small();
        p.train(5).unwrap();
        p.draw();
        let (mu, _, _) = p.codes();
        let (x, y) = p.view(Side::Vae).to_pixel(mu[[7, 0]], mu[[7, 1]]);
        let picked = p.pick(Side::Vae, x, y, 3.0).unwrap();
        let s = p.inspect(picked).unwrap();
        assert_eq!(s.input.len(), 64);
        assert_eq!(s.reading.vae.len(), 64);
        assert!(
            s.reading
                .vae
                .iter()
                .chain(&s.reading.ae)
                .all(|v| (0.0..=1.0).contains(v))
        );
        assert_eq!(s.label, p.data().labels[picked]);
        // The picked sample's μ is where the pointer was.
        let (mx, my) = p
            .view(Side::Vae)
            .to_pixel(s.reading.vae_mu[0], s.reading.vae_mu[1]);
        assert!((mx - x).abs() < 3.0 && (my - y).abs() < 3.0);
        assert!(p.inspect(5000).is_none());
        assert!(p.pick(Side::Ae, -100.0, -100.0, 3.0).is_none());
    }

    #[test]
    fn fit_mode_follows_the_codes() {
        let mut p = small();
        p.train(300).unwrap();
        p.draw();
        let target = p.fitted_range();
        assert!(target >= 2.5);
        // The AE's codes wander: the fitted range covers 98% of them.
        let (_, _, ae) = p.codes();
        let inside = ae.iter().filter(|v| v.abs() <= target).count();
        assert!(inside as f32 >= 0.97 * ae.len() as f32);
        p.set_fit(true);
        p.draw();
        assert_eq!(
            p.view(Side::Vae).range(),
            target,
            "the first fitted draw jumps"
        );
        p.set_range(target * 4.0).unwrap();
        p.draw();
        let r = p.view(Side::Ae).range();
        assert!(
            r < target * 4.0 && r > target,
            "later draws move part of the way: {r}"
        );
        p.set_fit(false);
        p.draw();
        assert_eq!(p.view(Side::Ae).range(), r);
    }

    #[test]
    fn neighbourhood_scores_of_both_models() {
        let mut p = small();
        p.train(100).unwrap();
        let [(vt, vc), (at, ac)] = p.neighbourhood(10).unwrap();
        for v in [vt, vc, at, ac] {
            assert!(v > 0.5 && v <= 1.0, "{v}");
        }
        assert!(p.neighbourhood(2000).is_err());
    }

    #[test]
    fn the_decoder_maps_lie_under_the_views_and_change_with_training() {
        let mut p = small();
        assert!(p.map(), "the maps show by default");
        p.draw();
        let before = p.pixels(Side::Ae).to_vec();
        p.set_map(false);
        p.draw();
        let plain = p.pixels(Side::Ae).to_vec();
        assert_ne!(before, plain, "the map changes the background");
        let white = |px: &[u8]| px.chunks(4).filter(|c| c[..3] == [255, 255, 255]).count();
        assert!(white(&before) < white(&plain));
        p.set_map(true);
        p.train(50).unwrap();
        p.draw();
        assert_ne!(p.pixels(Side::Ae), &before[..], "training changes the map");
        // What the view shows at a point is what decode_at gives there.
        let [vae, ae] = p.decode_at(0.3, -0.2);
        assert_eq!((vae.len(), ae.len()), (64, 64));
        assert_ne!(vae, ae);
        assert!(vae.iter().chain(&ae).all(|v| (0.0..=1.0).contains(v)));
    }

    #[test]
    fn interpolating_between_two_samples() {
        let mut p = small();
        p.train(30).unwrap();
        let strip = p.interpolate(3, 40).unwrap();
        assert_eq!(strip.vae.len(), STRIP_STEPS * 64);
        assert_eq!(strip.ae.len(), STRIP_STEPS * 64);
        // The ends are the reconstructions from the codes.
        let s3 = p.inspect(3).unwrap();
        let s40 = p.inspect(40).unwrap();
        assert_eq!(&strip.vae[..64], &s3.reading.vae[..]);
        assert_eq!(&strip.ae[(STRIP_STEPS - 1) * 64..], &s40.reading.ae[..]);
        assert_eq!(p.pair(), Some((3, 40)));
        p.draw();
        let with_path = p.pixels(Side::Vae).to_vec();
        p.clear_pair();
        p.draw();
        assert_ne!(p.pixels(Side::Vae), &with_path[..], "the path is drawn");
        assert!(p.interpolate(0, 5000).is_none());
        assert_eq!(p.pair(), None);
        let labels = p.data().labels.clone();
        for same in [true, false] {
            let (i, j) = p.random_pair(same);
            assert_ne!(i, j);
            assert_eq!(labels[i] == labels[j], same);
        }
    }

    #[test]
    fn a_drawn_input_is_encoded_and_marked() {
        let mut p = small();
        p.train(30).unwrap();
        assert!(p.set_probe(Some(vec![0.5; 3])).is_err());
        assert!(p.set_probe(Some(vec![f32::NAN; 64])).is_err());
        let seven = p.data().x.row(7).to_vec();
        p.set_probe(Some(seven)).unwrap();
        let probe = p.probe().unwrap();
        let known = p.inspect(7).unwrap();
        assert_eq!(probe, known.reading);
        p.draw();
        let marked = p.pixels(Side::Ae).to_vec();
        p.set_probe(None).unwrap();
        assert!(p.probe().is_none());
        p.draw();
        assert_ne!(p.pixels(Side::Ae), &marked[..]);
    }

    #[test]
    fn smoothness_and_active_dimensions() {
        let mut p = small();
        p.train(200).unwrap();
        let [vae, ae] = p.smoothness();
        for r in [vae, ae] {
            assert!((1.0..20.0).contains(&r), "{r}");
        }
        p.draw();
        assert!(p.active_dims() <= 2);
        assert!(
            p.active_dims() >= 1,
            "after training, the codes carry something"
        );
    }

    #[test]
    fn bad_ranges_are_refused() {
        let mut p = small();
        for bad in [0.0, -1.0, 0.3, f32::NAN, 1e9] {
            assert_eq!(
                p.set_range(bad).unwrap_err().to_string(),
                ConfigError::Range(bad).to_string()
            );
        }
        assert!(p.set_range(8.0).is_ok());
        assert_eq!(p.view(Side::Ae).range(), 8.0);
    }
}

//! What the page runs: a VAE and an AE trained side by side on the same data with the same
//! seed, their latent views, and the inspection of one sample. Pure Rust; `web.rs` only
//! translates it for JavaScript.

use crate::config::{Config, ConfigError, Noise};
use crate::data::Dataset;
use crate::metrics::{MetricError, Neighbours, scores};
use crate::model::{Loss, ModelKind, Workspace};
use crate::render::LatentView;
use crate::train::{TrainError, Trainer};
use ndarray::{Array2, s};
use std::sync::Arc;

/// Which latent view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The VAE's posteriors.
    Vae,
    /// The AE's codes.
    Ae,
}

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

/// The largest half-width a view may show.
pub const MAX_RANGE: f32 = 1000.0;

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

/// One sample as the page shows it on hover: the input and each model's reconstruction from
/// the mean code, each `D` values in `[0, 1]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    /// Index in the data set.
    pub index: usize,
    /// Its class.
    pub label: u8,
    /// The input image.
    pub input: Vec<f32>,
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
    highlight: Option<usize>,
    /// Whether the views follow the codes (zoom to fit) instead of a fixed range.
    fit: bool,
    /// Whether the next fitted draw jumps straight to the fitted range.
    fit_jump: bool,
    /// Scratch for the fitted range: `2·N·Z` extents.
    extents: Vec<f32>,
    /// The input space's neighbour tables, built on first use (they never change).
    input_neighbours: Option<Neighbours>,
}

impl Playground {
    /// A VAE and an AE with `config` (its `model` is ignored) on `data`.
    ///
    /// # Errors
    /// The first setting that cannot be used; a view range that is not a number above 0
    /// and at most [`MAX_RANGE`] is reported as [`ConfigError::Range`].
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
        Ok(Playground {
            vae_codes: Workspace::new(n, sizes),
            ae_codes: Workspace::new(n, sizes),
            one: Workspace::new(1, sizes),
            vae_view: LatentView::new(view.size, view.range),
            ae_view: LatentView::new(view.size, view.range),
            highlight: None,
            fit: false,
            fit_jump: false,
            extents: Vec::with_capacity(2 * n * sizes.latent),
            input_neighbours: None,
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
        let labels = &self.data.labels;
        let v = &self.vae_codes;
        self.vae_view
            .draw_posteriors(v.mu.view(), v.logvar.view(), labels, self.highlight);
        self.ae_view
            .draw_points(self.ae_codes.mu.view(), labels, self.highlight);
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
        let x = self.data.x.slice(s![index..index + 1, ..]);
        let vae = self.vae.model();
        vae.encode(x, &mut self.one);
        let vae_mu = self.one.mu.row(0).to_vec();
        let vae_sigma = self.one.logvar.row(0).mapv(|l| (0.5 * l).exp()).to_vec();
        self.one.z.assign(&self.one.mu);
        vae.decode(&mut self.one);
        let vae_img = self.one.logits.row(0).mapv(sigmoid).to_vec();
        let ae = self.ae.model();
        ae.encode(x, &mut self.one);
        let ae_code = self.one.mu.row(0).to_vec();
        self.one.z.assign(&self.one.mu);
        ae.decode(&mut self.one);
        let ae_img = self.one.logits.row(0).mapv(sigmoid).to_vec();
        Some(Inspection {
            index,
            label: self.data.labels[index],
            input: x.row(0).to_vec(),
            vae: vae_img,
            ae: ae_img,
            vae_mu,
            vae_sigma,
            ae_code,
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
    /// [`ConfigError::Range`] unless `0 < range ≤ MAX_RANGE`.
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
        self.encode_all();
        let data = &self.data;
        let input = self
            .input_neighbours
            .get_or_insert_with(|| Neighbours::new(data.x.view()));
        let vae = scores(input, self.vae_codes.mu.view(), k)?;
        let ae = scores(input, self.ae_codes.mu.view(), k)?;
        Ok([vae, ae])
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
            return MAX_RANGE;
        }
        let k = (self.extents.len() as f32 * 0.98) as usize;
        let k = k.min(self.extents.len() - 1);
        let (_, &mut p, _) = self.extents.select_nth_unstable_by(k, f32::total_cmp);
        (1.15 * p).clamp(2.5, MAX_RANGE)
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

fn check_range(range: f32) -> Result<f32, ConfigError> {
    if range.is_finite() && range > 0.0 && range <= MAX_RANGE {
        Ok(range)
    } else {
        Err(ConfigError::Range(range))
    }
}

fn sigmoid(l: f32) -> f32 {
    1.0 / (1.0 + (-l).exp())
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
        assert_eq!(s.vae.len(), 64);
        assert!(s.vae.iter().chain(&s.ae).all(|v| (0.0..=1.0).contains(v)));
        assert_eq!(s.label, p.data().labels[picked]);
        // The picked sample's μ is where the pointer was.
        let (mx, my) = p.view(Side::Vae).to_pixel(s.vae_mu[0], s.vae_mu[1]);
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
    fn bad_ranges_are_refused() {
        let mut p = small();
        for bad in [0.0, -1.0, f32::NAN, 1e9] {
            assert_eq!(
                p.set_range(bad).unwrap_err().to_string(),
                ConfigError::Range(bad).to_string()
            );
        }
        assert!(p.set_range(8.0).is_ok());
        assert_eq!(p.view(Side::Ae).range(), 8.0);
    }
}

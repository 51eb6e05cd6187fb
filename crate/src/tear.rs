//! "Tear the plane": the student's cheat, built exactly, and what it costs.
//!
//! The student asks why a VAE could not encode similar inputs far apart while each posterior
//! stays close to N(0, I). The tear builds that arrangement from a trained model without
//! changing any posterior's KL: every mean in the upper half-plane (`μ₂ > 0`) is reflected
//! across the `z₂` axis (`μ₁ → −μ₁`), so inputs that were neighbours across the line `μ₂ = 0`
//! end up far apart and unlike inputs meet along it, while every σ stays, and with it every
//! KL (the KL depends on `μ₁` only through `μ₁²`). An autoencoder has no KL to keep and its
//! codes need not sit around the origin, so it is cut through the medians of its own codes:
//! `z₂ > m₂` reflects `z₁ → 2m₁ − z₁`. Either way about half of the codes move.
//!
//! Then the encoder is frozen (composed with the tear) and only the decoder trains for `S`
//! steps, from the trained decoder, with the run's optimiser settings; the same retraining
//! without the tear is the control, on the same batches with the same noise. The price of the
//! cheat is the reconstruction after the torn retraining minus the one after the control, on
//! the whole data set (`ε` from the seed's evaluation stream).

use crate::config::Config;
use crate::data::{BatchOrder, Dataset};
use crate::layers::{bce_with_logits_forward, gaussian_kl_forward};
use crate::metrics::{nearest_row, squared_distance};
use crate::model::{Model, ModelKind, Workspace};
use crate::optim::Optimizer;
use crate::rng::{Stream, stream};
use crate::train::Trainer;
use ndarray::{Array2, ArrayView2, ArrayViewMut2};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

/// Where the plane is cut: the line `z₂ = z2`, and the reflection `z₁ → 2·z1 − z₁` above it.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Cut {
    /// The reflection's axis, `z₁ = z1`.
    pub z1: f32,
    /// The cut, `z₂ = z2`.
    pub z2: f32,
}

impl Cut {
    /// The VAE's cut: through the origin, so that every KL stays as it was.
    pub const ORIGIN: Cut = Cut { z1: 0.0, z2: 0.0 };

    /// Through the medians of the codes `(N, Z)` along `z₁` and `z₂`.
    pub fn median(codes: ArrayView2<f32>) -> Cut {
        let median = |k: usize| {
            let mut v: Vec<f32> = codes.column(k).to_vec();
            let mid = v.len() / 2;
            *v.select_nth_unstable_by(mid, f32::total_cmp).1
        };
        Cut {
            z1: median(0),
            z2: median(1),
        }
    }

    /// Tears the codes `(N, Z)` in place: rows with `z₂ > self.z2` are reflected across
    /// `z₁ = self.z1`; returns how many moved. Through the origin the reflection is an exact
    /// negation, and the tear its own inverse bit for bit.
    pub fn apply(&self, mut codes: ArrayViewMut2<f32>) -> usize {
        let mut moved = 0;
        for mut row in codes.rows_mut() {
            if row[1] > self.z2 {
                row[0] = if self.z1 == 0.0 {
                    -row[0]
                } else {
                    2.0 * self.z1 - row[0]
                };
                moved += 1;
            }
        }
        moved
    }
}

/// The samples the tear brought within `radius` of a code of another class that was
/// further than `radius` from them before: where the tear made unlike inputs meet. `before`
/// and `after` are the codes `(N, Z)`; a VAE's `radius` is its mean σ (the posteriors
/// overlap), a model without noise the median distance from a code to its nearest one.
pub fn newly_met(
    before: ArrayView2<f32>,
    after: ArrayView2<f32>,
    labels: &[u8],
    radius: f32,
) -> Vec<usize> {
    let r2 = radius * radius;
    let d2 =
        |codes: ArrayView2<f32>, i: usize, j: usize| squared_distance(codes.row(i), codes.row(j));
    (0..labels.len())
        .filter(|&i| {
            (0..labels.len())
                .any(|j| labels[j] != labels[i] && d2(after, i, j) < r2 && d2(before, i, j) >= r2)
        })
        .collect()
}

/// The median distance from a code to its nearest other code, `codes` `(N, Z)`.
pub fn median_nearest(codes: ArrayView2<f32>) -> f32 {
    let n = codes.nrows();
    if n == 0 {
        return 0.0;
    }
    let mut d: Vec<f32> = (0..n).map(|i| nearest_row(codes, i).1.sqrt()).collect();
    // The one selection the crate instantiates for f32 (as Cut::median and the view do).
    *d.select_nth_unstable_by(n / 2, f32::total_cmp).1
}

/// What the tear cost one model.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TearReport {
    /// Decoder-only steps of each retraining.
    pub steps: u64,
    /// Where the plane was cut.
    pub cut: Cut,
    /// The fraction of the codes the tear moved.
    pub moved: f64,
    /// How many samples the tear brought next to a code of another class ([`newly_met`]).
    pub met: usize,
    /// The mean KL per sample of the posteriors before the tear (0 without a KL term).
    pub kl_before: f64,
    /// The same after the tear: the student's condition is that it equals `kl_before`.
    pub kl_after: f64,
    /// Reconstruction (nats per sample, whole data set) after the retraining without the tear.
    pub recon_control: f64,
    /// Reconstruction after the retraining with the tear.
    pub recon_torn: f64,
}

impl TearReport {
    /// The price of the cheat: `recon_torn − recon_control`, nats per sample.
    pub fn delta(&self) -> f64 {
        self.recon_torn - self.recon_control
    }
}

/// The frozen encoder's output for every sample: the codes and the `log σ²` of the noise the
/// decoder sees while training (`None`: none).
#[derive(Clone, Debug, PartialEq)]
pub struct FrozenCodes {
    /// `(N, Z)` the means (the AE's codes).
    pub mu: Array2<f32>,
    /// `(N, Z)` `log σ²` of the noise on them, if the model trains with noise.
    pub logvar: Option<Array2<f32>>,
}

impl FrozenCodes {
    /// The codes a retraining decoder sees: the means `mu`, with the noise `logvar` of the
    /// encoder if the model trains `noisy` ([`Trainer::noisy`]).
    pub fn seen(mu: Array2<f32>, logvar: Option<Array2<f32>>, noisy: bool) -> FrozenCodes {
        FrozenCodes {
            mu,
            logvar: logvar.filter(|_| noisy),
        }
    }

    /// What `trainer`'s encoder makes of its data, as its retraining decoder sees it.
    pub fn of(trainer: &Trainer) -> FrozenCodes {
        let (mu, logvar) = trainer.encode_all();
        FrozenCodes::seen(mu, logvar, trainer.noisy())
    }

    /// The mean KL per sample to N(0, I) of posteriors with these means and the
    /// encoder's `log σ²` (`kl_logvar`, the VAE's own); 0 without one.
    fn kl(&self, kl_logvar: Option<&Array2<f32>>) -> f64 {
        kl_logvar.map_or(0.0, |lv| {
            let mut per_dim = vec![0.0; self.mu.ncols()];
            gaussian_kl_forward(self.mu.view(), lv.view(), &mut per_dim) / self.mu.nrows() as f64
        })
    }

    /// Writes the codes of the samples `indices` into `z`, with noise `σ·ε` drawn from `rng`
    /// where there is noise.
    fn codes_into(&self, indices: &[u32], z: &mut Array2<f32>, rng: &mut ChaCha8Rng) {
        for (r, &i) in indices.iter().enumerate() {
            let i = i as usize;
            for k in 0..self.mu.ncols() {
                let noise = match &self.logvar {
                    Some(lv) => (0.5 * lv[[i, k]]).exp() * rng.sample::<f32, _>(StandardNormal),
                    None => 0.0,
                };
                z[[r, k]] = self.mu[[i, k]] + noise;
            }
        }
    }
}

/// A decoder being retrained on frozen codes: the model (its encoder never changes), its
/// optimiser started afresh, the batches of the seed's shuffle stream and the noise of its
/// training-noise stream. Every buffer is made once, so a step allocates nothing.
pub struct Retraining {
    model: Model<f32>,
    grads: Model<f32>,
    optimizer: Optimizer<f32>,
    order: BatchOrder,
    shuffle: ChaCha8Rng,
    noise: ChaCha8Rng,
    ws: Workspace<f32>,
    x: Array2<f32>,
    codes: FrozenCodes,
    steps: u64,
}

impl Retraining {
    /// Retraining of `model`'s decoder with `config`'s optimiser, batch size and seed, on
    /// `codes`, a frozen encoder's output for `data_len` samples.
    pub fn new(model: &Model<f32>, config: &Config, data_len: usize, codes: FrozenCodes) -> Self {
        Retraining {
            grads: Model::zeros(model.kind, model.activation, model.sizes),
            optimizer: Optimizer::new(config.optimizer, config.lr, model),
            order: BatchOrder::new(data_len, config.batch),
            shuffle: stream(config.seed, Stream::Shuffle),
            noise: stream(config.seed, Stream::Noise),
            ws: Workspace::new(config.batch, model.sizes),
            x: Array2::zeros((config.batch, model.sizes.input)),
            model: model.clone(),
            codes,
            steps: 0,
        }
    }

    /// One decoder-only step on the next batch. The encoder's gradient stays zero, and Adam and
    /// SGD leave a parameter with a zero gradient (and zero moments) exactly as it was.
    pub fn step(&mut self, data: &Dataset) {
        let indices = self.order.next_batch(&mut self.shuffle);
        data.gather(indices, self.x.view_mut());
        self.codes
            .codes_into(indices, &mut self.ws.z, &mut self.noise);
        self.model.decode(&mut self.ws);
        bce_with_logits_forward(
            self.ws.logits.view(),
            self.x.view(),
            self.ws.probs.view_mut(),
        );
        self.model
            .backward_decoder(self.x.view(), &mut self.ws, &mut self.grads);
        self.optimizer.step(&mut self.model, &self.grads);
        self.steps += 1;
    }

    /// The model as retrained so far.
    pub fn model(&self) -> &Model<f32> {
        &self.model
    }

    /// The frozen codes it trains on.
    pub fn codes(&self) -> &FrozenCodes {
        &self.codes
    }

    /// Steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
    }
}

/// Retrains only the decoder of `model` for `steps` steps on `codes` (see [`Retraining`]) and
/// returns the retrained model; its encoder is `model`'s, bit for bit.
pub fn retrain_decoder(
    model: &Model<f32>,
    config: &Config,
    data: &Dataset,
    codes: &FrozenCodes,
    steps: u64,
) -> Model<f32> {
    let mut r = Retraining::new(model, config, data.len(), codes.clone());
    for _ in 0..steps {
        r.step(data);
    }
    r.model
}

/// The reconstruction of `model`'s decoder from `codes`, nats per sample over the whole data
/// set, with `ε` from the seed's evaluation stream where there is noise.
pub fn reconstruction(model: &Model<f32>, data: &Dataset, codes: &FrozenCodes, seed: u64) -> f64 {
    let n = data.len();
    let mut ws = Workspace::new(n, model.sizes);
    let all: Vec<u32> = (0..n as u32).collect();
    codes.codes_into(&all, &mut ws.z, &mut stream(seed, Stream::Eval));
    model.decode(&mut ws);
    bce_with_logits_forward(ws.logits.view(), data.x.view(), ws.probs.view_mut()) / n as f64
}

/// The experiment under way: a trained model's plane torn (through the origin for a VAE,
/// through the medians of its codes for an AE), and its decoder retrained side by side with
/// and without the tear.
pub struct TearExperiment {
    cut: Cut,
    moved: f64,
    met: Vec<usize>,
    kl_before: f64,
    kl_after: f64,
    seed: u64,
    control: Retraining,
    torn: Retraining,
}

impl TearExperiment {
    /// Tears `trainer`'s plane; no retraining step yet.
    pub fn new(trainer: &Trainer) -> Self {
        let (mu, logvar) = trainer.encode_all();
        Self::of_codes(
            trainer.model(),
            trainer.config(),
            trainer.data(),
            trainer.noisy(),
            mu,
            logvar,
        )
    }

    /// Tears the plane of `model`, whose encoder makes the means `mu` of `data` with `logvar`
    /// (a VAE's own `log σ²`, an AE's fixed noise, or none; the retraining decoder sees that
    /// noise if the model trains `noisy`: [`Trainer::noisy`]); no retraining step yet. The
    /// page tears the codes of the samples it draws (a large data set's evaluation subset)
    /// and retrains on those.
    pub fn of_codes(
        model: &Model<f32>,
        config: &Config,
        data: &Dataset,
        noisy: bool,
        mu: Array2<f32>,
        logvar: Option<Array2<f32>>,
    ) -> Self {
        let is_vae = model.kind == ModelKind::Vae;
        let kl_logvar = logvar.clone().filter(|_| is_vae);
        let control = FrozenCodes::seen(mu, logvar, noisy);
        let cut = if is_vae {
            Cut::ORIGIN
        } else {
            Cut::median(control.mu.view())
        };
        let mut torn = control.clone();
        let moved = cut.apply(torn.mu.view_mut());
        let n = data.len();
        assert_eq!(control.mu.nrows(), n, "a code per sample");
        TearExperiment {
            cut,
            moved: moved as f64 / n as f64,
            met: newly_met(
                control.mu.view(),
                torn.mu.view(),
                &data.labels,
                match &control.logvar {
                    Some(lv) => lv.iter().map(|&l| (0.5 * l).exp()).sum::<f32>() / lv.len() as f32,
                    None => median_nearest(control.mu.view()),
                },
            ),
            kl_before: control.kl(kl_logvar.as_ref()),
            kl_after: torn.kl(kl_logvar.as_ref()),
            seed: config.seed,
            control: Retraining::new(model, config, n, control),
            torn: Retraining::new(model, config, n, torn),
        }
    }

    /// `steps` more decoder-only steps of both retrainings.
    pub fn advance(&mut self, data: &Dataset, steps: u64) {
        for _ in 0..steps {
            self.control.step(data);
            self.torn.step(data);
        }
    }

    /// Where the plane was cut.
    pub fn cut(&self) -> Cut {
        self.cut
    }

    /// The samples the tear made meet another class ([`newly_met`]).
    pub fn met(&self) -> &[usize] {
        &self.met
    }

    /// The retraining with the tear.
    pub fn torn(&self) -> &Retraining {
        &self.torn
    }

    /// The figures so far (evaluates both decoders on the whole data set).
    pub fn report(&self, data: &Dataset) -> TearReport {
        let recon = |r: &Retraining| reconstruction(&r.model, data, &r.codes, self.seed);
        TearReport {
            steps: self.torn.steps,
            cut: self.cut,
            moved: self.moved,
            met: self.met.len(),
            kl_before: self.kl_before,
            kl_after: self.kl_after,
            recon_control: recon(&self.control),
            recon_torn: recon(&self.torn),
        }
    }
}

/// Tears `trainer`'s plane, retrains the decoder `steps` steps with and without the tear, and
/// reports both.
pub fn tear(trainer: &Trainer, steps: u64) -> TearReport {
    let mut experiment = TearExperiment::new(trainer);
    experiment.advance(trainer.data(), steps);
    experiment.report(trainer.data())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;
    use std::sync::Arc;

    fn trained(kind: ModelKind, steps: u64) -> Trainer {
        let config = Config {
            model: kind,
            hidden: 32,
            ..Config::default()
        };
        let mut t = Trainer::new(config, Arc::new(Dataset::bars(0))).unwrap();
        for _ in 0..steps {
            t.step().unwrap();
        }
        t
    }

    #[test]
    fn the_tear_keeps_every_kl_and_is_its_own_inverse() {
        let t = trained(ModelKind::Vae, 1000);
        let (mu, logvar) = t.encode_all();
        let logvar = logvar.unwrap();
        let mut torn = mu.clone();
        let moved = Cut::ORIGIN.apply(torn.view_mut());
        assert!(moved > 0 && moved < mu.nrows(), "{moved}");
        assert_ne!(torn, mu);
        // Every posterior's KL, one by one, is unchanged bit for bit.
        for i in 0..mu.nrows() {
            let kl = |m: &Array2<f32>| {
                let mut d = [0.0; 2];
                gaussian_kl_forward(
                    m.slice(ndarray::s![i..i + 1, ..]),
                    logvar.slice(ndarray::s![i..i + 1, ..]),
                    &mut d,
                )
            };
            assert_eq!(kl(&mu), kl(&torn), "sample {i}");
        }
        Cut::ORIGIN.apply(torn.view_mut());
        assert_eq!(torn, mu, "torn twice is the original, bit for bit");
    }

    #[test]
    fn a_median_cut_moves_about_half_and_undoes_itself() {
        let codes = array![
            [0.0f32, 1.0],
            [2.0, 5.0],
            [4.0, 3.0],
            [1.0, 2.0],
            [3.0, 4.0]
        ];
        let cut = Cut::median(codes.view());
        assert_eq!(cut, Cut { z1: 2.0, z2: 3.0 });
        let mut torn = codes.clone();
        assert_eq!(cut.apply(torn.view_mut()), 2, "rows with z₂ above 3");
        assert_eq!(torn.column(0).to_vec(), vec![0.0, 2.0, 4.0, 1.0, 1.0]);
        cut.apply(torn.view_mut());
        assert_eq!(torn, codes);
    }

    #[test]
    fn newly_met_finds_the_samples_whose_nearest_code_changed_class() {
        // Two classes on a line; the tear moves sample 1 next to class 1.
        let before = array![[0.0f32, 0.0], [1.0, 0.0], [10.0, 0.0], [11.0, 0.0]];
        let after = array![[0.0f32, 0.0], [10.4, 0.0], [10.0, 0.0], [11.0, 0.0]];
        let labels = [0u8, 0, 1, 1];
        // Within 0.8: sample 1 now meets sample 2 (0.4 away) and sample 3 (0.6 away); sample
        // 0 meets nobody.
        assert_eq!(
            newly_met(before.view(), after.view(), &labels, 0.8),
            vec![1, 2, 3]
        );
        assert_eq!(
            newly_met(before.view(), after.view(), &labels, 0.5),
            vec![1, 2]
        );
        assert!(newly_met(before.view(), before.view(), &labels, 0.8).is_empty());
        assert_eq!(median_nearest(before.view()), 1.0);
    }

    #[test]
    fn retraining_the_decoder_leaves_the_encoder_bit_identical() {
        for kind in [ModelKind::Vae, ModelKind::Ae] {
            let t = trained(kind, 30);
            let codes = FrozenCodes::of(&t);
            let before = t.model();
            let after = retrain_decoder(before, t.config(), t.data(), &codes, 20);
            assert_eq!(after.enc_hidden, before.enc_hidden, "{kind:?}");
            assert_eq!(after.enc_mu, before.enc_mu, "{kind:?}");
            assert_eq!(after.enc_logvar, before.enc_logvar, "{kind:?}");
            assert_ne!(
                after.dec_out, before.dec_out,
                "{kind:?}: the decoder trained"
            );
            // It learnt: the reconstruction from the codes fell.
            let r0 = reconstruction(before, t.data(), &codes, 0);
            let r1 = reconstruction(&after, t.data(), &codes, 0);
            assert!(r1 < r0, "{kind:?}: {r0} → {r1}");
        }
    }

    #[test]
    fn a_report_compares_the_torn_retraining_with_its_control() {
        let t = trained(ModelKind::Vae, 1000);
        let r = tear(&t, 50);
        assert_eq!(r.kl_before, r.kl_after, "the student's condition");
        assert!(r.kl_before > 0.0);
        assert!((0.2..0.8).contains(&r.moved), "{}", r.moved);
        assert_eq!(r, tear(&t, 50), "seeded: the same figures again");
        assert_ne!(r.recon_torn, r.recon_control);
        assert!(r.met > 0, "unlike inputs meet along the cut: {r:?}");
        let ae = tear(&trained(ModelKind::Ae, 200), 50);
        assert_eq!((ae.kl_before, ae.kl_after), (0.0, 0.0));
        assert!((0.4..=0.5).contains(&ae.moved), "{}", ae.moved);
    }
}

//! Samples from the prior, and how plausible they are.
//!
//! A VAE's decoder is trained on codes spread like N(0, I) (the KL pulls every posterior
//! towards it), so decoding `z ~ N(0, I)` should give images like the data. An autoencoder has
//! no prior: the stand-in is a Gaussian fitted to its codes (the "ex-post density" of Ghosh et
//! al. 2020), whose mean and covariance are the codes'.
//!
//! ## Plausibility
//!
//! The L2 distance from a decoded image to the nearest training image hardly tells a sharp
//! digit from a blur: a blur lies close to many images. Here a decoded image is read as what
//! the decoder says, a probability per pixel `p`, and compared with each training image `x`
//! both ways, as pixel probabilities clamped to `[P_MIN, 1 − P_MIN]`:
//! `½·(BCE(x, p) + BCE(p, x))`, nats; the score is the smallest over the training images. A
//! sharp, digit-like sample and its nearest digit explain each other cheaply. A blur explains
//! no image well and spreads ink where every image has none, which the image charges for. A
//! confident blot pays for every pixel it gets confidently wrong.

use crate::data::Dataset;
use crate::decoder::decode_probs;
use crate::model::{Model, Workspace};
use crate::rng::{Stream, stream};
use ndarray::{Array2, ArrayView1, ArrayView2};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

/// Pixel values are clamped to `[P_MIN, 1 − P_MIN]` when read as probabilities, so that one
/// confidently wrong pixel costs at most `−ln P_MIN ≈ 4.6` nats rather than infinity.
pub const P_MIN: f64 = 1e-2;

/// A Gaussian in the latent plane to sample codes from: `z = mean + L·ε`, `L` lower-triangular.
#[derive(Clone, Debug, PartialEq)]
pub struct LatentGaussian {
    /// `(Z)` the mean.
    pub mean: Vec<f64>,
    /// `(Z, Z)` the Cholesky factor of the covariance.
    pub chol: Array2<f64>,
}

impl LatentGaussian {
    /// The prior N(0, I) in `z` dimensions.
    pub fn standard(z: usize) -> Self {
        LatentGaussian {
            mean: vec![0.0; z],
            chol: Array2::eye(z),
        }
    }

    /// The Gaussian with the mean and covariance of `codes` `(N, Z)` (a tiny ridge keeps the
    /// covariance positive definite when the codes lie on a line).
    pub fn fitted(codes: ArrayView2<f32>) -> Self {
        let (n, z) = codes.dim();
        let mean: Vec<f64> = (0..z)
            .map(|k| codes.column(k).iter().map(|&v| v as f64).sum::<f64>() / n as f64)
            .collect();
        let mut cov = Array2::<f64>::zeros((z, z));
        for row in codes.rows() {
            for a in 0..z {
                for b in 0..=a {
                    cov[[a, b]] += (row[a] as f64 - mean[a]) * (row[b] as f64 - mean[b]);
                }
            }
        }
        let ridge = 1e-9
            * (0..z)
                .map(|k| cov[[k, k]] / n as f64)
                .fold(1.0f64, f64::max);
        for a in 0..z {
            for b in 0..=a {
                cov[[a, b]] /= n as f64;
            }
            cov[[a, a]] += ridge;
        }
        // Cholesky, lower triangle.
        let mut chol = Array2::<f64>::zeros((z, z));
        for a in 0..z {
            for b in 0..=a {
                let s: f64 = (0..b).map(|k| chol[[a, k]] * chol[[b, k]]).sum();
                chol[[a, b]] = if a == b {
                    (cov[[a, a]] - s).max(0.0).sqrt()
                } else {
                    (cov[[a, b]] - s) / chol[[b, b]]
                };
            }
        }
        LatentGaussian { mean, chol }
    }

    /// `n` codes drawn from it with the seed's prior stream, `(n, Z)`.
    pub fn sample(&self, n: usize, seed: u64) -> Array2<f32> {
        self.sample_from(n, &mut stream(seed, Stream::Prior))
    }

    /// `n` codes drawn from it with `rng`, `(n, Z)`.
    pub fn sample_from(&self, n: usize, rng: &mut ChaCha8Rng) -> Array2<f32> {
        let z = self.mean.len();
        let mut out = Array2::zeros((n, z));
        let mut eps = vec![0.0f64; z];
        for mut row in out.rows_mut() {
            eps.iter_mut()
                .for_each(|e| *e = rng.sample::<f64, _>(StandardNormal));
            for a in 0..z {
                let v = self.mean[a] + (0..=a).map(|k| self.chol[[a, k]] * eps[k]).sum::<f64>();
                row[a] = v as f32;
            }
        }
        out
    }
}

/// A decoded image's plausibility: the smallest symmetric cross-entropy to a training image
/// (see the module's documentation), and which image that is.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Plausibility {
    /// `min_n ½·(BCE(x_n, p) + BCE(p, x_n))`, nats.
    pub nats: f64,
    /// The training image that attains it.
    pub nearest: usize,
}

/// Scores the image `probs` (pixel probabilities) against every image of `data`.
pub fn plausibility(probs: ArrayView1<f32>, data: &Dataset) -> Plausibility {
    let clamp = |v: f64| v.clamp(P_MIN, 1.0 - P_MIN);
    let sample: Vec<(f64, f64, f64)> = probs
        .iter()
        .map(|&p| {
            let p = p as f64;
            let c = clamp(p);
            (p, c.ln(), (1.0 - c).ln())
        })
        .collect();
    let mut best = Plausibility {
        nats: f64::INFINITY,
        nearest: 0,
    };
    for (n, x) in data.x.rows().into_iter().enumerate() {
        let mut cost = 0.0;
        for (&xv, &(p, lp, lq)) in x.iter().zip(&sample) {
            let xv = xv as f64;
            let c = clamp(xv);
            // Both ways: the image under the sample, and the sample under the image.
            cost -= 0.5 * (xv * lp + (1.0 - xv) * lq + p * c.ln() + (1.0 - p) * (1.0 - c).ln());
            if cost >= best.nats {
                break;
            }
        }
        if cost < best.nats {
            best = Plausibility {
                nats: cost,
                nearest: n,
            };
        }
    }
    best
}

/// Samples decoded by a model: the codes, the images and each image's plausibility.
#[derive(Clone, Debug, PartialEq)]
pub struct PriorSamples {
    /// `(n, Z)` the codes.
    pub z: Array2<f32>,
    /// `(n, D)` the decoded pixel probabilities.
    pub images: Array2<f32>,
    /// Each image's plausibility.
    pub scores: Vec<Plausibility>,
}

/// The median of `values` (the upper one of an even count), `NaN` for none.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

impl PriorSamples {
    /// The median of the samples' plausibility, nats.
    pub fn median(&self) -> f64 {
        median(self.scores.iter().map(|s| s.nats).collect())
    }
}

/// Decodes `n` codes from `gaussian` with `model` and scores each against `data`.
pub fn sample_and_score(
    model: &Model<f32>,
    gaussian: &LatentGaussian,
    n: usize,
    seed: u64,
    data: &Dataset,
) -> PriorSamples {
    score_codes(model, gaussian.sample(n, seed), data)
}

/// Decodes the codes `z` `(n, Z)` with `model` and scores each image against `data`.
pub fn score_codes(model: &Model<f32>, z: Array2<f32>, data: &Dataset) -> PriorSamples {
    let n = z.nrows();
    let mut ws = Workspace::new(n, model.sizes);
    ws.z.assign(&z);
    decode_probs(model, &mut ws);
    let scores = ws
        .probs
        .rows()
        .into_iter()
        .map(|p| plausibility(p, data))
        .collect();
    PriorSamples {
        z,
        images: ws.probs,
        scores,
    }
}

/// The Gaussian to sample a model's codes from: the prior N(0, I) for a VAE, and for a model
/// without a prior (an autoencoder) the Gaussian fitted to its codes `mu` `(N, Z)`.
pub fn source_for(kind: crate::model::ModelKind, mu: ArrayView2<f32>) -> LatentGaussian {
    match kind {
        crate::model::ModelKind::Vae => LatentGaussian::standard(mu.ncols()),
        crate::model::ModelKind::Ae => LatentGaussian::fitted(mu),
    }
}

/// The same figure for the model's reconstructions, decoded at the codes `mu` of the first
/// `n` inputs of `data`: the level a good sample reaches. Its median, nats.
pub fn reconstruction_level(
    model: &Model<f32>,
    mu: ArrayView2<f32>,
    n: usize,
    data: &Dataset,
) -> f64 {
    let n = n.min(mu.nrows());
    let mut ws = Workspace::new(n, model.sizes);
    ws.z.assign(&mu.slice(ndarray::s![..n, ..]));
    decode_probs(model, &mut ws);
    median(
        ws.probs
            .rows()
            .into_iter()
            .map(|p| plausibility(p, data).nats)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, array};

    /// The figure, tried on hand-picked images before it is shown: a sharp digit (a real one,
    /// slightly softened), blurs (the mean of all digits; a real digit smeared over its
    /// neighbours; a flat grey) and nonsense (a solid blot, a checkerboard, noise) must come out
    /// in that order, and a blur must not pass for a digit as it does by the L2 distance.
    #[test]
    fn plausibility_tells_a_digit_from_a_blur_and_a_blot() {
        let data = Dataset::digits();
        let soften = |v: f32| 0.05 + 0.9 * v;
        // A sharp digit that is not in the data: two of the same class averaged and
        // re-sharpened.
        let (a, b) = (
            0usize,
            (1..data.len())
                .find(|&i| data.labels[i] == data.labels[0])
                .unwrap(),
        );
        let sharp: Array1<f32> = data
            .x
            .row(a)
            .iter()
            .zip(data.x.row(b))
            .map(|(&u, &v)| soften(if (u + v) / 2.0 > 0.5 { 1.0 } else { 0.0 }))
            .collect();
        let mean: Array1<f32> = data.x.mean_axis(ndarray::Axis(0)).unwrap();
        let smeared: Array1<f32> = {
            let x = data.x.row(a);
            (0..64i32)
                .map(|i| {
                    let (r, c) = (i / 8, i % 8);
                    let mut s = 0.0;
                    let mut k = 0.0;
                    for dr in -2i32..=2 {
                        for dc in -2i32..=2 {
                            let (rr, cc) = (r + dr, c + dc);
                            if (0..8).contains(&rr) && (0..8).contains(&cc) {
                                s += x[(rr * 8 + cc) as usize];
                                k += 1.0;
                            }
                        }
                    }
                    s / k
                })
                .collect()
        };
        let grey = Array1::from_elem(64, 0.5f32);
        let blot = Array1::from_elem(64, 0.98f32);
        let checker: Array1<f32> = (0..64)
            .map(|i| if (i / 8 + i % 8) % 2 == 0 { 0.98 } else { 0.02 })
            .collect();
        let mut rng = stream(1, Stream::Prior);
        let noise: Array1<f32> = (0..64)
            .map(|_| if rng.random::<bool>() { 0.95 } else { 0.05 })
            .collect();
        let score = |img: &Array1<f32>| plausibility(img.view(), &data).nats;
        let s_sharp = score(&sharp);
        let blurs = [score(&mean), score(&smeared), score(&grey)];
        let nonsense = [score(&blot), score(&checker), score(&noise)];
        for b in blurs {
            assert!(s_sharp < b, "sharp {s_sharp} against a blur {b}");
        }
        for (b, n) in blurs.iter().zip(nonsense) {
            assert!(n > *b, "nonsense {n} against a blur {b}");
        }
        // The L2 distance to the nearest training image hardly tells the mean of all digits
        // from the sharp digit (within 15%); the figure puts them 30% apart.
        let l2 = |img: &Array1<f32>| {
            data.x
                .rows()
                .into_iter()
                .map(|x| {
                    x.iter()
                        .zip(img)
                        .map(|(&u, &v)| (u - v).powi(2))
                        .sum::<f32>()
                })
                .fold(f32::INFINITY, f32::min)
                .sqrt()
        };
        assert!(
            l2(&mean) < 1.15 * l2(&sharp),
            "{} {}",
            l2(&mean),
            l2(&sharp)
        );
        assert!(score(&mean) > 1.3 * s_sharp, "{} {s_sharp}", score(&mean));
    }

    #[test]
    fn a_fitted_gaussian_has_the_codes_mean_and_covariance() {
        let codes = array![[1.0f32, 2.0], [3.0, 2.0], [1.0, 6.0], [3.0, 6.0]];
        let g = LatentGaussian::fitted(codes.view());
        assert_eq!(g.mean, vec![2.0, 4.0]);
        // Variances 1 and 4, no covariance: L = diag(1, 2).
        assert!((g.chol[[0, 0]] - 1.0).abs() < 1e-6 && (g.chol[[1, 1]] - 2.0).abs() < 1e-6);
        assert!(g.chol[[1, 0]].abs() < 1e-9);
        let s = g.sample(20_000, 3);
        let m0 = s.column(0).iter().map(|&v| v as f64).sum::<f64>() / 20_000.0;
        let v1 = s
            .column(1)
            .iter()
            .map(|&v| (v as f64 - 4.0).powi(2))
            .sum::<f64>()
            / 20_000.0;
        assert!(
            (m0 - 2.0).abs() < 0.03 && (v1 - 4.0).abs() < 0.15,
            "{m0} {v1}"
        );
        assert_eq!(s, g.sample(20_000, 3), "seeded");
    }
}

//! What a decoder makes of the latent plane: images decoded on a grid (the manifold figure of
//! Kingma & Welling, 2014, Fig. 4), along a straight line between two codes, and a figure of
//! how smoothly the decoded image changes along such lines.
//!
//! Every function decodes into a [`Workspace`] made once by its caller, whose batch size is
//! the number of points decoded, so that redrawing a map allocates nothing.
//!
//! ## The path-length ratio
//!
//! For a pair of samples with codes `a` and `b` (the VAE's means, the AE's codes), decode the
//! `T + 1` points `z_t = a + (t / T)·(b − a)`, `t = 0 … T`, into images `x̂_t` (pixel
//! probabilities). The ratio of the path the decoded image travels to the straight distance
//! between its ends,
//!
//! `R = Σ_pairs Σ_t ‖x̂_{t+1} − x̂_t‖₂ / Σ_pairs ‖x̂_T − x̂_0‖₂`,
//!
//! is 1 when the image morphs steadily from one end to the other, and grows when the decoded
//! image wanders off on the way (through blanks, or other shapes, in a hole between clusters)
//! and comes back. It does not depend on the scale of the latent space, so a VAE and an AE,
//! whose codes spread very differently, can be compared. [`PATH_STEPS`] `= T = 16`; the pairs
//! are [`PATH_PAIRS`] random pairs of samples drawn from the run's seed.

use crate::model::{Model, Workspace};
use crate::rng::{Stream, stream};
use ndarray::ArrayView2;
use rand::RngExt;

/// `T`, the segments of each path of the path-length ratio.
pub const PATH_STEPS: usize = 16;
/// Pairs of samples the path-length ratio averages over.
pub const PATH_PAIRS: usize = 200;

fn sigmoid(l: f32) -> f32 {
    1.0 / (1.0 + (-l).exp())
}

/// Decodes the codes in `ws.z` into pixel probabilities in `ws.probs`.
pub fn decode_probs(model: &Model<f32>, ws: &mut Workspace<f32>) {
    model.decode(ws);
    ws.probs.zip_mut_with(&ws.logits, |p, &l| *p = sigmoid(l));
}

/// Decodes the centres of a `grid × grid` tiling of `[-range, range]²` into `ws.probs`
/// (`(grid², D)`), row by row from the top (`z₁ = range`) and left to right, as an image
/// shows them. `ws` must hold `grid²` samples; latent dimensions past the second are 0.
pub fn decode_grid(model: &Model<f32>, range: f32, grid: usize, ws: &mut Workspace<f32>) {
    assert_eq!(ws.batch(), grid * grid, "the workspace holds the grid");
    let cell = 2.0 * range / grid as f32;
    ws.z.fill(0.0);
    for r in 0..grid {
        for c in 0..grid {
            let i = r * grid + c;
            ws.z[[i, 0]] = -range + (c as f32 + 0.5) * cell;
            ws.z[[i, 1]] = range - (r as f32 + 0.5) * cell;
        }
    }
    decode_probs(model, ws);
}

/// Decodes `ws.batch()` evenly spaced points of the segment from `a` to `b` (both ends
/// included) into `ws.probs`. `a`, `b`: `Z` values each; `ws` holds at least 2 samples.
pub fn decode_line(model: &Model<f32>, a: &[f32], b: &[f32], ws: &mut Workspace<f32>) {
    let n = ws.batch();
    assert!(n >= 2, "a line needs two ends");
    for t in 0..n {
        let f = t as f32 / (n - 1) as f32;
        for (k, (&ak, &bk)) in a.iter().zip(b).enumerate() {
            ws.z[[t, k]] = ak + f * (bk - ak);
        }
    }
    decode_probs(model, ws);
}

/// [`PATH_PAIRS`] pairs of distinct sample indices below `n`, drawn from `seed`.
pub fn random_pairs(n: usize, seed: u64) -> Vec<(usize, usize)> {
    assert!(n >= 2, "pairs need two samples");
    let mut rng = stream(seed, Stream::Pairs);
    (0..PATH_PAIRS)
        .map(|_| {
            let i = rng.random_range(0..n);
            let j = (i + rng.random_range(1..n)) % n;
            (i, j)
        })
        .collect()
}

/// The path-length ratio `R` (see the module's documentation) of `model` with codes `codes`
/// `(N, Z)` over `pairs`. `ws` holds `PATH_STEPS + 1` samples. `NaN` if every pair decodes
/// to the same image at both ends.
pub fn path_ratio(
    model: &Model<f32>,
    codes: ArrayView2<f32>,
    pairs: &[(usize, usize)],
    ws: &mut Workspace<f32>,
) -> f64 {
    path_ratio_spread(model, codes, pairs, ws).ratio
}

/// The path-length ratio with its spread over the pairs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PathRatio {
    /// `R`, the ratio of the summed lengths.
    pub ratio: f64,
    /// The lower and upper quartiles of the pairs' own ratios (path over straight distance,
    /// pairs whose ends decode alike left out): the middle half of the pairs lies between.
    pub quartiles: (f64, f64),
}

/// [`path_ratio`], and the spread of the pairs' own ratios.
pub fn path_ratio_spread(
    model: &Model<f32>,
    codes: ArrayView2<f32>,
    pairs: &[(usize, usize)],
    ws: &mut Workspace<f32>,
) -> PathRatio {
    assert_eq!(ws.batch(), PATH_STEPS + 1, "the workspace holds one path");
    let (mut path, mut straight) = (0.0f64, 0.0f64);
    let mut own = Vec::with_capacity(pairs.len());
    let distance = |p: &ndarray::Array2<f32>, s: usize, t: usize| -> f64 {
        p.row(s)
            .iter()
            .zip(p.row(t))
            .map(|(&u, &v)| (u as f64 - v as f64).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    for &(i, j) in pairs {
        let (a, b) = (codes.row(i), codes.row(j));
        decode_line(
            model,
            a.as_slice()
                .expect("rows of a standard array are contiguous"),
            b.as_slice()
                .expect("rows of a standard array are contiguous"),
            ws,
        );
        let p = (0..PATH_STEPS)
            .map(|t| distance(&ws.probs, t, t + 1))
            .sum::<f64>();
        let d = distance(&ws.probs, 0, PATH_STEPS);
        path += p;
        straight += d;
        if d > 1e-9 {
            own.push(p / d);
        }
    }
    own.sort_unstable_by(f64::total_cmp);
    let quartile = |q: f64| {
        own.get(((own.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    PathRatio {
        ratio: if straight > 0.0 {
            path / straight
        } else {
            f64::NAN
        },
        quartiles: (quartile(0.25), quartile(0.75)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::Activation;
    use crate::model::{ModelKind, Sizes};
    use crate::rng::{Stream, stream};
    use ndarray::Array2;

    fn model() -> Model<f32> {
        let sizes = Sizes {
            input: 4,
            hidden: 6,
            latent: 2,
        };
        Model::init(
            ModelKind::Ae,
            Activation::Relu,
            sizes,
            &mut stream(3, Stream::Init),
        )
    }

    #[test]
    fn the_grid_is_laid_out_as_an_image() {
        let m = model();
        let mut ws = Workspace::new(9, m.sizes);
        decode_grid(&m, 3.0, 3, &mut ws);
        // Top-left cell centre (-2, 2), centre (0, 0), bottom-right (2, -2).
        assert_eq!(ws.z.row(0).to_vec(), vec![-2.0, 2.0]);
        assert_eq!(ws.z.row(4).to_vec(), vec![0.0, 0.0]);
        assert_eq!(ws.z.row(8).to_vec(), vec![2.0, -2.0]);
        assert!(ws.probs.iter().all(|p| (0.0..=1.0).contains(p)));
        // Each row is the decoder's output at that code.
        let mut one = Workspace::new(1, m.sizes);
        one.z.assign(&ws.z.slice(ndarray::s![5..6, ..]));
        decode_probs(&m, &mut one);
        assert_eq!(one.probs.row(0), ws.probs.row(5));
    }

    #[test]
    fn a_line_runs_from_end_to_end() {
        let m = model();
        let mut ws = Workspace::new(5, m.sizes);
        decode_line(&m, &[0.0, 1.0], &[2.0, -1.0], &mut ws);
        assert_eq!(ws.z.row(0).to_vec(), vec![0.0, 1.0]);
        assert_eq!(ws.z.row(2).to_vec(), vec![1.0, 0.0]);
        assert_eq!(ws.z.row(4).to_vec(), vec![2.0, -1.0]);
    }

    #[test]
    fn pairs_are_seeded_and_distinct() {
        let a = random_pairs(50, 1);
        assert_eq!(a.len(), PATH_PAIRS);
        assert_eq!(a, random_pairs(50, 1));
        assert_ne!(a, random_pairs(50, 2));
        assert!(a.iter().all(|&(i, j)| i != j && i < 50 && j < 50));
    }

    /// Decoders built by hand: one whose image changes monotonically along the path (ratio
    /// 1), one whose image also leaves and comes back (ratio above 1), and a constant one
    /// (undefined).
    #[test]
    fn the_ratio_is_one_for_a_straight_morph_and_more_for_a_detour() {
        // Ends of one pair at codes (−1, 0) and (1, 0).
        let codes = Array2::from_shape_vec((2, 2), vec![-1.0f32, 0.0, 1.0, 0.0]).unwrap();
        let pairs = [(0usize, 1usize)];
        // A decoder whose first pixel is σ(w·z₀): monotonic along the path, so the path is
        // as long as the straight line.
        let mut m = model();
        for (_, layer) in m.layers_mut() {
            layer.w.fill(0.0);
            layer.b.fill(0.0);
        }
        m.dec_hidden.w[[0, 0]] = 0.5; // h₀ = relu(½·z₀), monotonic
        m.dec_out.w[[0, 0]] = 3.0;
        let mut ws = Workspace::new(PATH_STEPS + 1, m.sizes);
        let straight = path_ratio(&m, codes.view(), &pairs, &mut ws);
        assert!((straight - 1.0).abs() < 1e-6, "{straight}");
        // A second pixel, σ(−6·|z₀|) through h₁ + h₂ = relu(2z₀) + relu(−2z₀) = 2|z₀|, rises
        // and falls again: the image leaves the straight line and comes back.
        m.dec_hidden.w[[0, 1]] = 2.0;
        m.dec_hidden.w[[0, 2]] = -2.0;
        m.dec_out.w[[1, 1]] = -3.0;
        m.dec_out.w[[2, 1]] = -3.0;
        let detour = path_ratio(&m, codes.view(), &pairs, &mut ws);
        assert!(detour > 1.2, "{detour}");
        // One pair: its own ratio is the ratio, and both quartiles.
        let spread = path_ratio_spread(&m, codes.view(), &pairs, &mut ws);
        assert_eq!(spread.quartiles, (detour, detour));
        // Constant decoder: undefined.
        m.dec_hidden.w.fill(0.0);
        assert!(path_ratio(&m, codes.view(), &pairs, &mut ws).is_nan());
    }
}

//! The rate: how much the codes can say about their inputs, given the noise on them.
//!
//! A VAE's KL term, averaged over the data, bounds the information its codes carry about the
//! inputs (Alemi et al., 2018, "Fixing a broken ELBO"): with a KL of `R` nats the code can
//! tell apart about `e^R` inputs, or `R / ln 2` bits. Along one latent axis, codes spread with
//! variance `Var_x(μ)` under noise of variance `σ²` can tell apart about
//! `√(1 + Var_x(μ) / σ²)` positions (a Gaussian channel carries `½·ln(1 + S/N)` nats). An
//! autoencoder without noise has no such limit: any two distinct codes differ.

use ndarray::ArrayView2;

/// Nats in one bit.
pub const LN_2: f64 = std::f64::consts::LN_2;

/// A KL of `nats`, in bits.
pub fn bits(nats: f64) -> f64 {
    nats / LN_2
}

/// About how many inputs a code with a KL of `nats` can tell apart: `e^nats`.
pub fn distinguishable(nats: f64) -> f64 {
    nats.exp()
}

/// The spread of the codes `mu` `(N, Z)`: the root mean square about the origin, over samples
/// and latent dimensions, `√(Σ_i Σ_k μ_ik² / (N·Z))`. The prior N(0, I) has 1; nothing pulls an
/// autoencoder's codes in, so its spread is whatever training makes it. `NaN` for no codes.
pub fn spread(mu: ArrayView2<f32>) -> f64 {
    (mu.iter().map(|&m| (m as f64).powi(2)).sum::<f64>() / mu.len() as f64).sqrt()
}

/// The variance over the samples of each latent axis of `mu` `(N, Z)`, `Var_x(μ_k)`.
pub fn variances(mu: ArrayView2<f32>) -> Vec<f64> {
    let n = mu.nrows() as f64;
    mu.columns()
        .into_iter()
        .map(|m| {
            let mean = m.iter().map(|&v| v as f64).sum::<f64>() / n;
            m.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n
        })
        .collect()
}

/// How many positions each latent axis can tell apart: `√(1 + Var_x(μ_k) / mean_x σ_k²)` for
/// axis `k`, with `mu` and `logvar` `(N, Z)` the posteriors' means and `log σ²`.
pub fn positions_per_axis(mu: ArrayView2<f32>, logvar: ArrayView2<f32>) -> Vec<f64> {
    let n = mu.nrows() as f64;
    variances(mu)
        .into_iter()
        .zip(logvar.columns())
        .map(|(var, l)| {
            let noise = l.iter().map(|&v| (v as f64).exp()).sum::<f64>() / n;
            (1.0 + var / noise).sqrt()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, array};

    #[test]
    fn a_kl_reads_as_bits_and_codes() {
        assert!((bits(LN_2 * 3.0) - 3.0).abs() < 1e-12);
        assert!((distinguishable(2.0) - 7.389).abs() < 1e-3);
        assert_eq!(
            distinguishable(0.0),
            1.0,
            "no rate: one code for everything"
        );
    }

    #[test]
    fn spread_is_the_rms_about_the_origin() {
        let mu = array![[3.0f32, 4.0], [0.0, 0.0]];
        // (9 + 16 + 0 + 0) / 4 = 6.25.
        assert!((spread(mu.view()) - 2.5).abs() < 1e-12);
    }

    /// Axis 0: means ±2 (variance 4) under σ = 1: √5 positions. Axis 1: every mean equal:
    /// one position whatever the noise. Halving σ on axis 0 quadruples the signal-to-noise.
    #[test]
    fn positions_follow_signal_over_noise() {
        let mu = array![[2.0f32, 1.0], [-2.0, 1.0]];
        let unit = Array2::<f32>::zeros((2, 2));
        let p = positions_per_axis(mu.view(), unit.view());
        assert!((p[0] - 5f64.sqrt()).abs() < 1e-9, "{p:?}");
        assert_eq!(p[1], 1.0);
        let half = Array2::<f32>::from_elem((2, 2), 2.0 * 0.5f32.ln());
        let p = positions_per_axis(mu.view(), half.view());
        assert!((p[0] - 17f64.sqrt()).abs() < 1e-5, "{p:?}");
    }
}

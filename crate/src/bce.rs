//! The reconstruction loss of one pixel, binary cross-entropy from its logit, in any
//! [`Real`]: the arithmetic every kernel of the loss makes (`crate::simd` four pixels at a
//! time in WebAssembly), below the layers that sum it ([`crate::layers`]).

use crate::real::Real;

/// Beyond this logit magnitude the sigmoid is taken as exactly 0 or 1 (and softplus as
/// `max(l, 0)`): `e^−40 ≈ 4·10⁻¹⁸`, far below anything a sum of `f32` losses or gradients can
/// register. A plain autoencoder drives the logits of always-blank pixels ever further
/// negative; `e^l` then becomes a subnormal `f32` (below `e^−87`), and its gradients, and their
/// products in the weight gradients, many times slower to compute. Without this cut-off the
/// AE's step took three times as long after 12,000 steps.
pub const SATURATED_LOGIT: f64 = 40.0;

/// One pixel of [`crate::layers::bce_with_logits_forward`]: writes the reconstruction `σ(l)` into `p` and
/// returns `softplus(l) − x·l`.
#[inline]
pub fn bce_pixel<F: Real>(l: F, x: F, p: &mut F) -> F {
    // One exponential serves both: softplus(l) = max(l, 0) + ln(1 + e), σ(l) from e.
    // Past SATURATED_LOGIT, e is taken as 0 (see there).
    let e = if l.abs() > F::from_f64(SATURATED_LOGIT) {
        F::zero()
    } else {
        (-l.abs()).exp()
    };
    let r = F::one() / (F::one() + e);
    *p = if l >= F::zero() { r } else { e * r };
    l.max(F::zero()) + e.ln_1p() - x * l
}

/// [`bce_pixel`] for a run of pixels, one at a time: `σ(l)` into `p`, `softplus(l) − x·l`
/// into `terms` (the types without a kernel of their own for it, [`Kernels::bce_terms`]).
///
/// [`Kernels::bce_terms`]: crate::real::Kernels::bce_terms
#[inline]
pub fn bce_terms<F: Real>(l: &[F], x: &[F], p: &mut [F], terms: &mut [F]) {
    for (((&l, &x), p), t) in l.iter().zip(x).zip(p).zip(terms) {
        *t = bce_pixel(l, x, p);
    }
}

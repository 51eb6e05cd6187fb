//! Layers and losses, each a `*_forward` / `*_backward` pair with its derivative in the docs.
//!
//! Shape legend: `B` batch, `D` input (pixels), `H` hidden, `Z` latent. Row `i` of every
//! `(B, ·)` array belongs to sample `i` of the batch.
//!
//! All functions write into buffers the caller owns, so a training step allocates nothing.
//! A backward function **overwrites** its output buffers, except those whose name ends in
//! `_add`, which **add** (`+=`) into them; this is said again on each function.

use crate::bce::bce_pixel;
use crate::dispatch::product;
use crate::real::Real;
use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut1, ArrayViewMut2, Zip};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// A dense (fully connected) layer `y = x·W + b`.
#[derive(Clone, Debug, PartialEq)]
pub struct Dense<F> {
    /// Weights, `(in, out)`.
    pub w: Array2<F>,
    /// Bias, `(out)`.
    pub b: Array1<F>,
}

impl<F: Real> Dense<F> {
    /// A layer of zeros; also the shape of its gradient.
    pub fn zeros(input: usize, output: usize) -> Self {
        Dense {
            w: Array2::zeros((input, output)),
            b: Array1::zeros(output),
        }
    }

    /// Glorot-uniform weights, `W ~ U(-a, a)` with `a = sqrt(6 / (in + out))`, and zero bias
    /// (Glorot & Bengio, 2010, eq. 16). Weights are drawn row by row from `rng`.
    pub fn glorot_uniform(input: usize, output: usize, rng: &mut ChaCha8Rng) -> Self {
        let a = (6.0 / (input + output) as f64).sqrt();
        let w = Array2::from_shape_fn((input, output), |_| {
            let u: f64 = rng.random();
            F::from_f64((2.0 * u - 1.0) * a)
        });
        Dense {
            w,
            b: Array1::zeros(output),
        }
    }

    /// Number of inputs.
    pub fn input(&self) -> usize {
        self.w.nrows()
    }

    /// Number of outputs.
    pub fn output(&self) -> usize {
        self.w.ncols()
    }
}

/// Forward pass of a dense layer: `y = x·W + b`.
///
/// `x`: `(B, in)`, `y`: `(B, out)`, overwritten.
pub fn dense_forward<F: Real>(x: ArrayView2<F>, layer: &Dense<F>, mut y: ArrayViewMut2<F>) {
    match (y.as_slice_mut(), layer.b.as_slice()) {
        // Row by row from memory: ndarray's broadcasting assign took as long as the product
        // itself for a layer from the codes.
        (Some(rows), Some(b)) if !b.is_empty() => rows
            .chunks_exact_mut(b.len())
            .for_each(|row| row.copy_from_slice(b)),
        _ => y.assign(&layer.b),
    }
    product(x, layer.w.view(), F::one(), y);
}

/// Backward pass of a dense layer for its parameters: `dW = xᵀ·dy`, `db = Σ_rows dy`.
///
/// `x`: `(B, in)` the layer's input, `dy`: `(B, out)` the gradient of the loss with respect to
/// its output. Overwrites `grad`.
pub fn dense_backward<F: Real>(x: ArrayView2<F>, dy: ArrayView2<F>, grad: &mut Dense<F>) {
    product(x.t(), dy, F::zero(), grad.w.view_mut());
    column_sums(dy, grad.b.view_mut());
}

/// As [`dense_backward`], but adds: `dW += xᵀ·dy`, `db += Σ_rows dy` (for a second term of
/// the loss that reaches the same layer, such as the pull on a pair's codes).
pub fn dense_backward_add<F: Real>(x: ArrayView2<F>, dy: ArrayView2<F>, grad: &mut Dense<F>) {
    product(x.t(), dy, F::one(), grad.w.view_mut());
    add_column_sums(dy, grad.b.view_mut());
}

/// Backward pass of a dense layer for its input: `dx = dy·Wᵀ`.
///
/// `dy`: `(B, out)`, `dx`: `(B, in)`, overwritten.
pub fn dense_backward_input<F: Real>(dy: ArrayView2<F>, layer: &Dense<F>, dx: ArrayViewMut2<F>) {
    product(dy, layer.w.t(), F::zero(), dx);
}

/// As [`dense_backward_input`], but adds: `dx += dy·Wᵀ` (for a layer whose input also feeds
/// another layer, such as the encoder's hidden layer feeding both μ and log σ²).
pub fn dense_backward_input_add<F: Real>(
    dy: ArrayView2<F>,
    layer: &Dense<F>,
    dx: ArrayViewMut2<F>,
) {
    product(dy, layer.w.t(), F::one(), dx);
}

/// `out[j] = Σ_i a[i, j]`, overwriting `out`.
fn column_sums<F: Real>(a: ArrayView2<F>, mut out: ArrayViewMut1<F>) {
    out.fill(F::zero());
    add_column_sums(a, out);
}

/// `out[j] += Σ_i a[i, j]`, the rows added in order.
fn add_column_sums<F: Real>(a: ArrayView2<F>, mut out: ArrayViewMut1<F>) {
    match (a.as_slice(), out.as_slice_mut()) {
        // Straight from memory, a form that compiles to SIMD (ndarray's `Zip` row by row
        // took 8 µs for 64 × 256 values in WebAssembly).
        (Some(rows), Some(out)) if !out.is_empty() => {
            for row in rows.chunks_exact(out.len()) {
                out.iter_mut().zip(row).for_each(|(o, &v)| *o += v);
            }
        }
        _ => {
            for row in a.rows() {
                Zip::from(&mut out).and(&row).for_each(|o, &v| *o += v);
            }
        }
    }
}

/// The hidden layers' nonlinearity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// `relu(x) = max(x, 0)`.
    Relu,
    /// `tanh(x)`.
    Tanh,
}

crate::names::named!(Activation, "activation", [Activation::Relu => "relu", Activation::Tanh => "tanh"]);

/// Forward pass of an activation, in place: `a ← f(a)`.
///
/// `a`: `(B, H)`, the pre-activation on entry and the activation on return.
pub fn activation_forward<F: Real>(act: Activation, mut a: ArrayViewMut2<F>) {
    match act {
        // A select, not `max`: WebAssembly's `f32.max` propagates NaN where Rust's `max`
        // does not, so `max` becomes a call per element there (36 µs for 64 × 256 values,
        // against about 2 µs for the select, which compiles to SIMD).
        Activation::Relu => {
            let relu = |v: &mut F| *v = if *v > F::zero() { *v } else { F::zero() };
            match a.as_slice_mut() {
                // Straight from memory: `mapv_inplace` took 5 µs for 64 × 256 values in
                // WebAssembly, this 1.5.
                Some(values) => values.iter_mut().for_each(relu),
                None => a.map_inplace(relu),
            }
        }
        Activation::Tanh => a.mapv_inplace(|v| v.tanh()),
    }
}

/// Backward pass of an activation, written in terms of its output `y = f(x)`:
/// `dx = dy ⊙ f'(x)` with `relu'(x) = [y > 0]` and `tanh'(x) = 1 − y²`.
///
/// `y`: `(B, H)` the activation's output, `d`: `(B, H)` holding `dy` on entry and `dx` on return.
pub fn activation_backward<F: Real>(act: Activation, y: ArrayView2<F>, d: ArrayViewMut2<F>) {
    match act {
        // A select rather than a conditional store, so that it compiles to SIMD.
        Activation::Relu => Zip::from(d).and(y).for_each(|d, &y| {
            *d = if y > F::zero() { *d } else { F::zero() };
        }),
        Activation::Tanh => Zip::from(d).and(y).for_each(|d, &y| *d *= F::one() - y * y),
    }
}

/// Binary cross-entropy of a sigmoid output, from its logits, summed over the whole batch:
///
/// `Σ_{i,d} BCE(x, σ(l)) = Σ_{i,d} softplus(l) − x·l`
///
/// which equals `−x·ln σ(l) − (1 − x)·ln(1 − σ(l))` and is finite for every logit.
/// `x` may be any value in `[0, 1]` (grey pixels), not only 0 or 1.
///
/// `logits`, `x`: `(B, D)`. Writes the reconstruction `p = σ(l)` into `probs` `(B, D)` (the
/// image the decoder draws, and all that the backward pass needs). Returns the sum in nats
/// (divide by `B` for a per-sample mean).
pub fn bce_with_logits_forward<F: Real>(
    logits: ArrayView2<F>,
    x: ArrayView2<F>,
    mut probs: ArrayViewMut2<F>,
) -> f64 {
    let mut sum = 0.0f64;
    if let (Some(l), Some(x), Some(p)) = (logits.as_slice(), x.as_slice(), probs.as_slice_mut()) {
        // A run of pixels at a time through Kernels::bce_terms (SIMD in WebAssembly), their terms
        // then added to the f64 sum one by one, in order.
        const RUN: usize = 64;
        let mut terms = [F::zero(); RUN];
        for ((l, x), p) in l.chunks(RUN).zip(x.chunks(RUN)).zip(p.chunks_mut(RUN)) {
            let terms = &mut terms[..l.len()];
            F::bce_terms(l, x, p, terms);
            terms.iter().for_each(|t| sum += t.to_f64());
        }
    } else {
        Zip::from(probs).and(logits).and(x).for_each(|p, &l, &x| {
            sum += bce_pixel(l, x, p).to_f64();
        });
    }
    sum
}

/// Backward pass of [`bce_with_logits_forward`]: `∂/∂l (softplus(l) − x·l) = σ(l) − x = p − x`,
/// times `scale` (use `1/B` for a batch mean).
///
/// `probs`: `(B, D)` the forward pass's `p = σ(l)`. Overwrites `dlogits`: `(B, D)`.
pub fn bce_with_logits_backward<F: Real>(
    probs: ArrayView2<F>,
    x: ArrayView2<F>,
    scale: F,
    dlogits: ArrayViewMut2<F>,
) {
    Zip::from(dlogits)
        .and(probs)
        .and(x)
        .for_each(|d, &p, &x| *d = scale * (p - x));
}

/// The reparameterisation trick (Kingma & Welling, 2014, §2.4):
/// `z = μ + σ·ε` with `σ = exp(½·log σ²)` and `ε` given (drawn from `N(0, I)`, or all zeros to
/// use the mean).
///
/// `mu`, `logvar`, `eps`: `(B, Z)`; `z`: `(B, Z)`, overwritten.
pub fn reparameterize_forward<F: Real>(
    mu: ArrayView2<F>,
    logvar: ArrayView2<F>,
    eps: ArrayView2<F>,
    z: ArrayViewMut2<F>,
) {
    let half = F::from_f64(0.5);
    Zip::from(z)
        .and(mu)
        .and(logvar)
        .and(eps)
        .for_each(|z, &m, &lv, &e| *z = m + (half * lv).exp() * e);
}

/// Backward pass of [`reparameterize_forward`]:
/// `∂z/∂μ = 1` and `∂z/∂log σ² = ½·ε·exp(½·log σ²)`, so `dμ = dz` and
/// `d log σ² = dz·ε·½·exp(½·log σ²)`.
///
/// Overwrites `dmu` and `dlogvar`: `(B, Z)`.
pub fn reparameterize_backward<F: Real>(
    logvar: ArrayView2<F>,
    eps: ArrayView2<F>,
    dz: ArrayView2<F>,
    mut dmu: ArrayViewMut2<F>,
    dlogvar: ArrayViewMut2<F>,
) {
    dmu.assign(&dz);
    let half = F::from_f64(0.5);
    Zip::from(dlogvar)
        .and(logvar)
        .and(eps)
        .and(dz)
        .for_each(|d, &lv, &e, &dz| *d = dz * e * half * (half * lv).exp());
}

/// The KL divergence of a diagonal Gaussian `q = N(μ, σ²)` from the prior `N(0, I)`, in
/// closed form (Kingma & Welling, 2014, Appendix B):
///
/// `KL(q ‖ p) = ½ Σ_j (μ_j² + σ_j² − 1 − log σ_j²)`
///
/// `mu`, `logvar`: `(B, Z)`. Writes the sum over the batch for each latent dimension `j` into
/// `per_dim` (length `Z`, overwritten) and returns the sum over everything, in nats.
pub fn gaussian_kl_forward<F: Real>(
    mu: ArrayView2<F>,
    logvar: ArrayView2<F>,
    per_dim: &mut [f64],
) -> f64 {
    per_dim.fill(0.0);
    for (m_row, lv_row) in mu.rows().into_iter().zip(logvar.rows()) {
        for (j, (&m, &lv)) in m_row.iter().zip(lv_row.iter()).enumerate() {
            let (m, lv) = (m.to_f64(), lv.to_f64());
            per_dim[j] += 0.5 * (m * m + lv.exp() - 1.0 - lv);
        }
    }
    per_dim.iter().sum()
}

/// Backward pass of [`gaussian_kl_forward`]: `∂KL/∂μ = μ` and `∂KL/∂log σ² = ½·(σ² − 1)`,
/// times `scale` (use `β/B`).
///
/// **Adds** into `dmu` and `dlogvar`: `(B, Z)`.
pub fn gaussian_kl_backward_add<F: Real>(
    mu: ArrayView2<F>,
    logvar: ArrayView2<F>,
    scale: F,
    dmu: ArrayViewMut2<F>,
    dlogvar: ArrayViewMut2<F>,
) {
    let half = F::from_f64(0.5);
    Zip::from(dmu).and(mu).for_each(|d, &m| *d += scale * m);
    Zip::from(dlogvar)
        .and(logvar)
        .for_each(|d, &lv| *d += scale * half * (lv.exp() - F::one()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn dense_forward_by_hand() {
        // W = [[1, 2], [3, 4], [5, 6]], b = [0.5, -1], x = [1, 0, -1] → y = [1 - 5 + 0.5, 2 - 6 - 1].
        let layer = Dense {
            w: array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
            b: array![0.5, -1.0],
        };
        let x = array![[1.0, 0.0, -1.0]];
        let mut y = Array2::<f64>::zeros((1, 2));
        dense_forward(x.view(), &layer, y.view_mut());
        assert_eq!(y, array![[-3.5, -5.0]]);
    }

    #[test]
    fn bce_is_finite_for_extreme_logits() {
        let logits = array![[1000.0f32, -1000.0, 0.0]];
        let x = array![[0.0f32, 1.0, 0.5]];
        let mut probs = Array2::zeros((1, 3));
        let sum = bce_with_logits_forward(logits.view(), x.view(), probs.view_mut());
        assert_eq!(probs, array![[1.0f32, 0.0, 0.5]]);
        // softplus(1000) = 1000; softplus(-1000) + 1000 = 1000; softplus(0) = ln 2.
        assert!((sum - (2000.0 + 2f64.ln())).abs() < 1e-3, "{sum}");
    }

    #[test]
    fn saturated_logits_give_no_subnormal_number() {
        // e^-90 is a subnormal f32; past the cut-off the sigmoid is exactly 0 or 1.
        let logits = array![[-90.0f32, -60.0, 90.0, -39.0]];
        let x = array![[0.0f32, 0.0, 1.0, 0.0]];
        let mut probs = Array2::zeros((1, 4));
        let sum = bce_with_logits_forward(logits.view(), x.view(), probs.view_mut());
        assert_eq!(&probs.as_slice().unwrap()[..3], &[0.0, 0.0, 1.0]);
        assert!(
            probs[[0, 3]] > 0.0,
            "below the cut-off, σ(−39) ≈ 1e-17 is kept"
        );
        assert!((sum - (-39f64).exp()).abs() < 1e-20, "{sum}");
        let mut d = Array2::zeros((1, 4));
        bce_with_logits_backward(probs.view(), x.view(), 1.0 / 64.0, d.view_mut());
        assert!(probs.iter().chain(d.iter()).all(|v| !v.is_subnormal()));
    }

    #[test]
    fn kl_is_zero_at_the_prior_and_known_elsewhere() {
        let mut per_dim = [0.0; 2];
        let zeros = Array2::<f64>::zeros((3, 2));
        assert_eq!(
            gaussian_kl_forward(zeros.view(), zeros.view(), &mut per_dim),
            0.0
        );
        // μ = 1, log σ² = 0: KL = ½·1 per dimension.
        let mu = array![[1.0, 0.0]];
        let lv = array![[0.0, 2f64.ln()]];
        let kl = gaussian_kl_forward(mu.view(), lv.view(), &mut per_dim);
        assert!((per_dim[0] - 0.5).abs() < 1e-15);
        assert!((per_dim[1] - 0.5 * (1.0 - 2f64.ln())).abs() < 1e-15);
        assert!((kl - per_dim[0] - per_dim[1]).abs() < 1e-15);
    }
}

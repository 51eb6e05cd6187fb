//! The reconstruction loss's per-pixel arithmetic in WebAssembly SIMD, four pixels at a time
//! (WebAssembly builds only); the views' blend takes its `exp` from here too.
//!
//! In WebAssembly the library's `expf` and `log1pf` are a call per value: the loss of one
//! 64 × 64 batch took 57 µs, a tenth of a training step. Here both are polynomials in 128-bit
//! SIMD, each within 2 units in the last place (the web tests check it against `f64`).
//! Every operation is IEEE-exact in its rounding (no fused multiply-add, no relaxed SIMD), so
//! a run reproduces bit for bit on every machine.

use crate::bce::SATURATED_LOGIT;
use core::arch::wasm32::{
    f32x4, f32x4_abs, f32x4_add, f32x4_div, f32x4_extract_lane, f32x4_ge, f32x4_gt, f32x4_mul,
    f32x4_nearest, f32x4_neg, f32x4_splat, f32x4_sub, i32x4_add, i32x4_max, i32x4_shl, i32x4_splat,
    i32x4_trunc_sat_f32x4, v128, v128_bitselect, v128_load, v128_store,
};

/// `e^x` for `x ≤ 0` (down to `−87`; below, not meaningful, and never asked for by the loss,
/// whose cut-off is `−40`).
///
/// `x = n·ln 2 + r` with `n` an integer and `|r| ≤ ½ ln 2` (Cody and Waite's two-part `ln 2`),
/// `e^r` by its Taylor series to `r⁷` (truncation below `10⁻⁸`), and `2ⁿ` from its bits.
#[inline]
pub fn exp_nonpositive(x: v128) -> v128 {
    const LN2_HI: f32 = 0.693_145_75; // the leading bits of ln 2, so that n·LN2_HI is exact
    const LN2_LO: f32 = 1.428_606_8e-6; // ln 2 − LN2_HI
    let n = f32x4_nearest(f32x4_mul(x, f32x4_splat(std::f32::consts::LOG2_E)));
    let r = f32x4_sub(
        f32x4_sub(x, f32x4_mul(n, f32x4_splat(LN2_HI))),
        f32x4_mul(n, f32x4_splat(LN2_LO)),
    );
    let p = horner(
        r,
        &[
            1.0 / 5040.0,
            1.0 / 720.0,
            1.0 / 120.0,
            1.0 / 24.0,
            1.0 / 6.0,
            0.5,
            1.0,
            1.0,
        ],
    );
    // 2ⁿ: n + 127 in the exponent's bits.
    let biased = i32x4_max(
        i32x4_add(i32x4_trunc_sat_f32x4(n), i32x4_splat(127)),
        i32x4_splat(0),
    );
    f32x4_mul(p, i32x4_shl(biased, 23))
}

/// The polynomial with `coefficients` (the highest power's first) at `x`, by Horner's rule:
/// a multiplication and an addition per coefficient, each rounded.
#[inline]
fn horner(x: v128, coefficients: &[f32]) -> v128 {
    let (&first, rest) = coefficients.split_first().expect("a polynomial");
    rest.iter().fold(f32x4_splat(first), |p, &c| {
        f32x4_add(f32x4_mul(p, x), f32x4_splat(c))
    })
}

/// `ln(1 + y)` for `y` in `[0, 1]`.
///
/// `ln(1 + y) = 2·artanh(s)` with `s = y / (2 + y)` in `[0, ⅓]`, and
/// `2·artanh(s) = 2s + s·R` with `R = 2·(s²/3 + s⁴/5 + …)`, summed to `s¹⁴/15` (truncation
/// below `2·10⁻⁸`). Since `2s = y − s·y`, this is `y − s·(y − R)`: `y` is exact, and the
/// rounding of `s` reaches only the smaller correction (as in fdlibm's `log1p`).
#[inline]
pub fn ln_1p_unit(y: v128) -> v128 {
    let s = f32x4_div(y, f32x4_add(f32x4_splat(2.0), y));
    let t = f32x4_mul(s, s);
    let q = horner(
        t,
        &[
            2.0 / 15.0,
            2.0 / 13.0,
            2.0 / 11.0,
            2.0 / 9.0,
            2.0 / 7.0,
            2.0 / 5.0,
            2.0 / 3.0,
        ],
    );
    let r = f32x4_mul(q, t);
    f32x4_sub(y, f32x4_mul(s, f32x4_sub(y, r)))
}

/// [`crate::bce::bce_pixel`] for a run of pixels: `σ(l)` into `p` and
/// `softplus(l) − x·l` into `terms`, four at a time (the last few padded with zeros).
///
/// **Panics** if the four slices differ in length.
pub fn bce_terms(l: &[f32], x: &[f32], p: &mut [f32], terms: &mut [f32]) {
    assert!(
        x.len() == l.len() && p.len() == l.len() && terms.len() == l.len(),
        "a logit, a pixel, a probability and a term each"
    );
    let whole = l.len() / 4 * 4;
    for ((l, x), (p, terms)) in l[..whole]
        .chunks_exact(4)
        .zip(x[..whole].chunks_exact(4))
        .zip(
            p[..whole]
                .chunks_exact_mut(4)
                .zip(terms[..whole].chunks_exact_mut(4)),
        )
    {
        // SAFETY: each chunk holds exactly four f32, 16 bytes (wasm loads need no alignment).
        unsafe {
            let (sigmoid, term) = bce_four(
                v128_load(l.as_ptr() as *const v128),
                v128_load(x.as_ptr() as *const v128),
            );
            v128_store(p.as_mut_ptr() as *mut v128, sigmoid);
            v128_store(terms.as_mut_ptr() as *mut v128, term);
        }
    }
    // The last one to three pixels, padded with zeros.
    let tail = |v: &[f32]| {
        let mut four = [0.0f32; 4];
        four[..v.len() - whole].copy_from_slice(&v[whole..]);
        f32x4(four[0], four[1], four[2], four[3])
    };
    if whole < l.len() {
        let (sigmoid, term) = bce_four(tail(l), tail(x));
        let lanes = |v: v128| {
            [
                f32x4_extract_lane::<0>(v),
                f32x4_extract_lane::<1>(v),
                f32x4_extract_lane::<2>(v),
                f32x4_extract_lane::<3>(v),
            ]
        };
        let rest = l.len() - whole;
        p[whole..].copy_from_slice(&lanes(sigmoid)[..rest]);
        terms[whole..].copy_from_slice(&lanes(term)[..rest]);
    }
}

/// Four pixels of [`crate::bce::bce_pixel`]: `(σ(l), softplus(l) − x·l)`.
#[inline(always)]
fn bce_four(l: v128, x: v128) -> (v128, v128) {
    let zero = f32x4_splat(0.0);
    let one = f32x4_splat(1.0);
    let a = f32x4_abs(l);
    // e^−|l|, taken as 0 past the cut-off (see SATURATED_LOGIT).
    let e = v128_bitselect(
        zero,
        exp_nonpositive(f32x4_neg(a)),
        f32x4_gt(a, f32x4_splat(SATURATED_LOGIT as f32)),
    );
    let r = f32x4_div(one, f32x4_add(one, e));
    let sigmoid = v128_bitselect(r, f32x4_mul(e, r), f32x4_ge(l, zero));
    let positive = v128_bitselect(l, zero, f32x4_gt(l, zero));
    let term = f32x4_sub(f32x4_add(positive, ln_1p_unit(e)), f32x4_mul(x, l));
    (sigmoid, term)
}

//! The floating-point types the model runs in: `f32` for training, `f64` for gradient checks.
//!
//! Every layer, loss and model is generic over [`Real`], so the same code that trains in the
//! browser in `f32` is checked against central differences in `f64`.

use ndarray::{ArrayView2, ArrayViewMut2, LinalgScalar};
use std::fmt::{Debug, Display};
use std::ops::{AddAssign, MulAssign, Neg, SubAssign};

/// A floating-point scalar: `f32` or `f64`.
pub trait Real:
    LinalgScalar
    + PartialOrd
    + Debug
    + Display
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + Send
    + Sync
{
    /// Converts from `f64`, rounding to the nearest value.
    fn from_f64(v: f64) -> Self;
    /// Converts to `f64` exactly.
    fn to_f64(self) -> f64;
    /// `e^self`.
    fn exp(self) -> Self;
    /// `ln(1 + self)`, accurate near 0.
    fn ln_1p(self) -> Self;
    /// Hyperbolic tangent.
    fn tanh(self) -> Self;
    /// Square root.
    fn sqrt(self) -> Self;
    /// Absolute value.
    fn abs(self) -> Self;
    /// The larger of two values.
    fn max(self, other: Self) -> Self;
    /// Whether the value is neither infinite nor NaN.
    fn is_finite(self) -> bool;
    /// [`crate::layers::bce_pixel`] for a run of pixels: `σ(l)` into `p`, `softplus(l) − x·l`
    /// into `terms`. In WebAssembly `f32` computes four at a time in SIMD ([`crate::simd`]);
    /// elsewhere this is one pixel at a time.
    fn bce_terms(l: &[Self], x: &[Self], p: &mut [Self], terms: &mut [Self]) {
        for (((&l, &x), p), t) in l.iter().zip(x).zip(p).zip(terms) {
            *t = crate::layers::bce_pixel(l, x, p);
        }
    }
    /// `c ← a·b + beta·c` through a kernel of this type's own, returning `false`, with `c`
    /// left alone, where it has none for these shapes and layouts. In WebAssembly `f32` has
    /// one (`crate::gemm`); elsewhere there is none.
    fn own_mat_mul(
        _a: ArrayView2<Self>,
        _b: ArrayView2<Self>,
        _beta: Self,
        _c: ArrayViewMut2<Self>,
    ) -> bool {
        false
    }
    /// The dot products of `row` with the first `P` of `columns` through a kernel of this
    /// type's own, making the sums [`crate::narrow`]'s generic loop makes, or `None` where it
    /// has none. In WebAssembly `f32` has one ([`crate::narrow`]'s `lane_dots`, in SIMD
    /// registers, where the generic loop stays scalar); elsewhere there is none.
    fn own_dots<const P: usize>(
        _row: &[Self],
        _columns: &[[Self; crate::narrow::BLOCK]; crate::narrow::NARROW],
    ) -> Option<[Self; crate::narrow::NARROW]> {
        None
    }
}

macro_rules! impl_real {
    ($t:ty) => {
        impl_real!($t, {});
    };
    ($t:ty, { $($special:tt)* }) => {
        impl Real for $t {
            #[inline]
            fn from_f64(v: f64) -> Self {
                v as $t
            }
            #[inline]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline]
            fn exp(self) -> Self {
                <$t>::exp(self)
            }
            #[inline]
            fn ln_1p(self) -> Self {
                <$t>::ln_1p(self)
            }
            #[inline]
            fn tanh(self) -> Self {
                <$t>::tanh(self)
            }
            #[inline]
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            #[inline]
            fn abs(self) -> Self {
                <$t>::abs(self)
            }
            #[inline]
            fn max(self, other: Self) -> Self {
                <$t>::max(self, other)
            }
            #[inline]
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
            $($special)*
        }
    };
}

impl_real!(f32, {
    #[cfg(target_arch = "wasm32")]
    fn bce_terms(l: &[f32], x: &[f32], p: &mut [f32], terms: &mut [f32]) {
        crate::simd::bce_terms(l, x, p, terms);
    }
    #[cfg(target_arch = "wasm32")]
    fn own_mat_mul(
        a: ArrayView2<f32>,
        b: ArrayView2<f32>,
        beta: f32,
        c: ArrayViewMut2<f32>,
    ) -> bool {
        crate::gemm::mat_mul(a, b, beta, c)
    }
    #[cfg(target_arch = "wasm32")]
    fn own_dots<const P: usize>(
        row: &[f32],
        columns: &[[f32; crate::narrow::BLOCK]; crate::narrow::NARROW],
    ) -> Option<[f32; crate::narrow::NARROW]> {
        Some(crate::narrow::lane_dots::<P>(row, columns))
    }
});
impl_real!(f64);

//! The floating-point types the model runs in: `f32` for training, `f64` for gradient checks.
//!
//! Every layer, loss and model is generic over [`Real`], so the same code that trains in the
//! browser in `f32` is checked against central differences in `f64`.
//!
//! This is the bottom of the crate: it uses no other module of it. The hooks through which
//! generic code reaches a type's own kernels ([`Kernels`]) are declared here, so that the
//! kernels above ([`crate::narrow`], `crate::gemm`, `crate::simd`) can be generic over
//! [`Real`]; which kernel each type takes is [`crate::dispatch`]'s, above the kernels.

use ndarray::{ArrayView2, ArrayViewMut2, LinalgScalar};
use std::fmt::{Debug, Display};
use std::ops::{AddAssign, MulAssign, Neg, SubAssign};

/// A floating-point scalar: `f32` or `f64`.
pub trait Real:
    Kernels
    + LinalgScalar
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
}

/// The per-type hooks of the hot loops: where a type has a kernel of its own for an
/// operation, generic code reaches it through these; where it has none, the generic code
/// makes the operation itself. Declared here, below the kernels that call them; each type's
/// are in [`crate::dispatch`] (in WebAssembly, `f32`'s lead to the SIMD kernels).
pub trait Kernels: Sized {
    /// [`crate::bce::bce_pixel`] for a run of pixels: `σ(l)` into `p`, `softplus(l) − x·l`
    /// into `terms`. In WebAssembly `f32` computes four at a time in SIMD (`crate::simd`);
    /// elsewhere this is one pixel at a time ([`crate::bce::bce_terms`]).
    fn bce_terms(l: &[Self], x: &[Self], p: &mut [Self], terms: &mut [Self]);
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
    /// The dot products of `row` with the first `P` of `columns` (blocks of `B` values, `N`
    /// of them: [`crate::narrow`]'s `BLOCK` and `NARROW`) through a kernel of this type's
    /// own, making the sums [`crate::narrow`]'s generic loop makes, or `None` where it has
    /// none. In WebAssembly `f32` has one ([`crate::narrow`]'s `lane_dots`, in SIMD
    /// registers, where the generic loop stays scalar); elsewhere there is none.
    fn own_dots<const P: usize, const B: usize, const N: usize>(
        _row: &[Self],
        _columns: &[[Self; B]; N],
    ) -> Option<[Self; N]> {
        None
    }
}

macro_rules! impl_real {
    ($t:ty) => {
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
        }
    };
}

impl_real!(f32);
impl_real!(f64);

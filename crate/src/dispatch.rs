//! Which kernel makes each hot operation, type by type: the hooks of [`Kernels`] for `f32`
//! and `f64`, and [`product`], the one matrix product of every layer.
//!
//! This sits above the kernels ([`crate::narrow`], and in WebAssembly `crate::gemm` and
//! `crate::simd`) and below the layers that call it ([`crate::layers`]). In WebAssembly `f32`
//! takes the SIMD kernels; natively, and in `f64` everywhere, the generic loops and the
//! general matrix kernel serve.

use crate::bce;
use crate::narrow;
use crate::real::{Kernels, Real};
#[cfg(target_arch = "wasm32")]
use crate::{gemm, simd};
use ndarray::{ArrayView2, ArrayViewMut2};

impl Kernels for f32 {
    #[cfg(target_arch = "wasm32")]
    fn bce_terms(l: &[f32], x: &[f32], p: &mut [f32], terms: &mut [f32]) {
        simd::bce_terms(l, x, p, terms);
    }
    #[cfg(not(target_arch = "wasm32"))]
    #[inline]
    fn bce_terms(l: &[f32], x: &[f32], p: &mut [f32], terms: &mut [f32]) {
        bce::bce_terms(l, x, p, terms);
    }
    #[cfg(target_arch = "wasm32")]
    fn own_mat_mul(
        a: ArrayView2<f32>,
        b: ArrayView2<f32>,
        beta: f32,
        c: ArrayViewMut2<f32>,
    ) -> bool {
        gemm::mat_mul(a, b, beta, c)
    }
    #[cfg(target_arch = "wasm32")]
    fn own_dots<const P: usize, const B: usize, const N: usize>(
        row: &[f32],
        columns: &[[f32; B]; N],
    ) -> Option<[f32; N]> {
        Some(narrow::lane_dots::<P, B, N>(row, columns))
    }
}

impl Kernels for f64 {
    #[inline]
    fn bce_terms(l: &[f64], x: &[f64], p: &mut [f64], terms: &mut [f64]) {
        bce::bce_terms(l, x, p, terms);
    }
}

/// `c ← a·b + beta·c` (`beta` 0 or 1), the one matrix product of every layer.
///
/// In WebAssembly, products with a narrow side (the codes) go through [`crate::narrow`]'s
/// SIMD loops, several times faster there than the general kernel, and the others, in `f32`,
/// through `crate::gemm`'s tiles, with the general kernel's results bit for bit. Natively
/// the general kernel (matrixmultiply, with AVX where the CPU has it) serves every product,
/// as it did when `vae-train`'s figures in the README were measured.
pub fn product<F: Real>(a: ArrayView2<F>, b: ArrayView2<F>, beta: F, mut c: ArrayViewMut2<F>) {
    if cfg!(target_arch = "wasm32")
        && (narrow::mat_mul(a, b, beta, c.view_mut()) || F::own_mat_mul(a, b, beta, c.view_mut()))
    {
        return;
    }
    ndarray::linalg::general_mat_mul(F::one(), &a, &b, beta, &mut c);
}

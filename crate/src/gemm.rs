//! The matrix product `c ← a·b + beta·c` of `f32` matrices in WebAssembly SIMD, in tiles of
//! 4 × 8 of `c` (WebAssembly builds only): every product of a training step without a narrow
//! side ([`crate::narrow`]), and the benchmark's measure of the peak.
//!
//! matrixmultiply's simd128 kernel, which served these products before, works on tiles of
//! 8 × 8: sixteen accumulators, more than V8 can keep in the sixteen SIMD registers of an x64
//! machine beside the operands, and a shuffle per multiplication to spread a value of `a`
//! over a register. A tile of 4 × 8 takes eight accumulators, two registers for a row of `b`
//! and one for a value of `a`, loaded already spread (`v128.load32_splat`), so the inner loop
//! is loads, multiplications and additions. `b`'s rows are read where they lie, with no
//! packing, unless they are not contiguous (a transposed weight matrix `Wᵀ`) or are the last
//! few columns (copied into a buffer on the stack, padded with zeros).
//!
//! **The sums are matrixmultiply's, term for term**: each element of `c` sums its products in
//! order of `k` from zero, in blocks of [`K_BLOCK`] (matrixmultiply's `kc` for `f32`), adding
//! each block's sum to `c` (after the first block, when `beta` is 0), each operation a
//! separate IEEE rounding (no fused multiply-add, no relaxed SIMD). So its results are bit
//! for bit those of the general kernel, as the web tests check, and every run reproduces as
//! it did before this kernel.

use crate::narrow::strides;
use core::arch::wasm32::{
    f32x4_add, f32x4_mul, f32x4_splat, v128, v128_load, v128_load32_splat, v128_store,
};
use ndarray::{ArrayView2, ArrayViewMut2};

/// Rows of `c` in a tile.
const ROWS: usize = 4;

/// Columns of `c` in a tile: two registers of four.
const COLS: usize = 8;

/// `k` is summed a block of this many terms at a time, each block's sum then added to `c`:
/// matrixmultiply's `kc` for `f32`, so that the sums round as its did.
pub const K_BLOCK: usize = 256;

/// `c ← a·b + beta·c` for `beta` 0 (what `c` held is not read, not even a NaN) or 1, where
/// `c`'s rows are contiguous and no stride is negative; returns `false`, and leaves `c`
/// alone, for any other product (or an empty one), which the caller then makes with the
/// general kernel. `a`: `(M, K)`, `b`: `(K, N)`, `c`: `(M, N)`.
pub fn mat_mul(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    beta: f32,
    mut c: ArrayViewMut2<f32>,
) -> bool {
    let ((m, k), n) = (a.dim(), b.ncols());
    let (Some((rsa, csa)), Some((rsb, csb)), Some((rsc, csc))) = (
        strides(a.strides(), a.dim()),
        strides(b.strides(), b.dim()),
        strides(c.strides(), c.dim()),
    ) else {
        return false;
    };
    if csc != 1 || !(beta == 0.0 || beta == 1.0) || m == 0 || n == 0 || k == 0 {
        return false;
    }
    let (a, b, c) = (a.as_ptr(), b.as_ptr(), c.as_mut_ptr());
    // A block of `b`'s rows over a tile's columns, row after row, for a `b` whose rows are not
    // contiguous (a transposed weight matrix `Wᵀ`) or for its last columns, padded with zeros.
    let mut panel = [0.0f32; K_BLOCK * COLS];
    for k0 in (0..k).step_by(K_BLOCK) {
        let depth = K_BLOCK.min(k - k0);
        let add = k0 > 0 || beta == 1.0;
        for j0 in (0..n).step_by(COLS) {
            let width = COLS.min(n - j0);
            // SAFETY: every offset below stays inside its matrix: rows of `a` and `c`
            // below `m`, terms below `k`, columns below `n`, at the views' own strides.
            unsafe {
                let (rows_of_b, row_stride) = if csb == 1 && width == COLS {
                    (b.add(k0 * rsb + j0), rsb)
                } else {
                    for (t, row) in panel.chunks_exact_mut(COLS).take(depth).enumerate() {
                        for (jj, v) in row.iter_mut().enumerate() {
                            *v = if jj < width {
                                *b.add((k0 + t) * rsb + (j0 + jj) * csb)
                            } else {
                                0.0
                            };
                        }
                    }
                    (panel.as_ptr(), COLS)
                };
                let a = a.add(k0 * csa);
                let mut i = 0;
                while i + ROWS <= m {
                    let tile = tile4(depth, a.add(i * rsa), rsa, csa, rows_of_b, row_stride);
                    for (r, pair) in tile.chunks_exact(2).enumerate() {
                        store(pair, c.add((i + r) * rsc + j0), width, add);
                    }
                    i += ROWS;
                }
                while i < m {
                    let pair = tile1(depth, a.add(i * rsa), csa, rows_of_b, row_stride);
                    store(&pair, c.add(i * rsc + j0), width, add);
                    i += 1;
                }
            }
        }
    }
    true
}

/// The sums `Σ_t a[r, t]·b[t, 0..8]` for the four rows `r` of `a` from `a`, over `depth`
/// terms, as four pairs of registers. `a[r, t]` is at `a + r·rsa + t·csa`, `b[t, 0..8]` at
/// `b + t·rsb`.
///
/// # Safety
/// Every one of those addresses must be readable.
#[inline(always)]
unsafe fn tile4(
    depth: usize,
    a: *const f32,
    rsa: usize,
    csa: usize,
    b: *const f32,
    rsb: usize,
) -> [v128; 8] {
    let z = f32x4_splat(0.0);
    let (mut c00, mut c01, mut c10, mut c11) = (z, z, z, z);
    let (mut c20, mut c21, mut c30, mut c31) = (z, z, z, z);
    let (mut a, mut b) = (a, b);
    for _ in 0..depth {
        // SAFETY: the caller's.
        unsafe {
            let b0 = v128_load(b as *const v128);
            let b1 = v128_load(b.add(4) as *const v128);
            let a0 = v128_load32_splat(a as *const u32);
            c00 = f32x4_add(c00, f32x4_mul(a0, b0));
            c01 = f32x4_add(c01, f32x4_mul(a0, b1));
            let a1 = v128_load32_splat(a.add(rsa) as *const u32);
            c10 = f32x4_add(c10, f32x4_mul(a1, b0));
            c11 = f32x4_add(c11, f32x4_mul(a1, b1));
            let a2 = v128_load32_splat(a.add(2 * rsa) as *const u32);
            c20 = f32x4_add(c20, f32x4_mul(a2, b0));
            c21 = f32x4_add(c21, f32x4_mul(a2, b1));
            let a3 = v128_load32_splat(a.add(3 * rsa) as *const u32);
            c30 = f32x4_add(c30, f32x4_mul(a3, b0));
            c31 = f32x4_add(c31, f32x4_mul(a3, b1));
        }
        // Past the last term these point beyond the matrices, never to be read.
        a = a.wrapping_add(csa);
        b = b.wrapping_add(rsb);
    }
    [c00, c01, c10, c11, c20, c21, c30, c31]
}

/// [`tile4`] for one row of `a`.
///
/// # Safety
/// As [`tile4`]'s.
#[inline(always)]
unsafe fn tile1(depth: usize, a: *const f32, csa: usize, b: *const f32, rsb: usize) -> [v128; 2] {
    let (mut c0, mut c1) = (f32x4_splat(0.0), f32x4_splat(0.0));
    let (mut a, mut b) = (a, b);
    for _ in 0..depth {
        // SAFETY: the caller's.
        unsafe {
            let a0 = v128_load32_splat(a as *const u32);
            c0 = f32x4_add(c0, f32x4_mul(a0, v128_load(b as *const v128)));
            c1 = f32x4_add(c1, f32x4_mul(a0, v128_load(b.add(4) as *const v128)));
        }
        a = a.wrapping_add(csa);
        b = b.wrapping_add(rsb);
    }
    [c0, c1]
}

/// Puts one row of a tile's sums into `c`'s row at `c` (`width` columns of it), adding them
/// to what is there when `add` holds: `c + s`, as matrixmultiply's `s + 1·c` rounds.
///
/// # Safety
/// `width` values from `c` must be writable.
#[inline(always)]
unsafe fn store(sums: &[v128], c: *mut f32, width: usize, add: bool) {
    // SAFETY: the caller's; a whole tile's row is written only when it is `COLS` wide.
    unsafe {
        if width == COLS {
            for (h, &s) in sums.iter().enumerate() {
                let at = c.add(4 * h) as *mut v128;
                v128_store(at, if add { f32x4_add(v128_load(at), s) } else { s });
            }
        } else {
            let mut row = [0.0f32; COLS];
            for (h, &s) in sums.iter().enumerate() {
                v128_store(row.as_mut_ptr().add(4 * h) as *mut v128, s);
            }
            for (j, &s) in row.iter().enumerate().take(width) {
                let at = c.add(j);
                *at = if add { *at + s } else { s };
            }
        }
    }
}

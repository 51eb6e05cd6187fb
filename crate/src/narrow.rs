//! Matrix products with a narrow side: at most [`NARROW`] rows or columns, such as the
//! latent codes (`Z` = 2) and the layers that read or write them.
//!
//! A general kernel (matrixmultiply's) packs both operands into tiles of 8 or more rows and
//! columns, so a product with 2 columns pays for several times its arithmetic, plus the
//! packing: in WebAssembly, the six such products of a VAE's step took 8 to 14 µs each, about a
//! seventh of the step. These kernels instead run along the long side in unit-stride loops
//! that the compiler turns into SIMD: an `axpy` (`c_row += s·b_row`) where the long side is an
//! output, and a dot product in [`LANES`] independent partial sums where it is summed over.
//! The order of every sum is fixed, so a run reproduces bit for bit.
//!
//! [`mat_mul`] declines any other shape, which [`crate::layers`] then gives to the others.

use crate::real::Real;
use ndarray::{ArrayView2, ArrayViewMut2};

/// The widest side these kernels take as narrow.
pub const NARROW: usize = 4;

/// Independent partial sums of a dot product (two 128-bit SIMD registers of `f32`).
pub const LANES: usize = 8;

/// The long side is worked through in blocks of this many values, so that a narrow operand's
/// block fits in a buffer on the stack (16 KiB of `f32`): a layer as wide as
/// [`crate::config::MAX_HIDDEN`] in one block. Shorter blocks cost a loop's set-up per block:
/// with blocks of 64, the kernels were slower than the general one.
pub const BLOCK: usize = 1024;

/// `c ← a·b + beta·c`, with `beta` 0 (overwrite: what `c` held is not read, not even a NaN)
/// or 1 (add), through these kernels where a side is narrow ([`NARROW`]) and the layouts suit
/// them; returns `false`, and leaves `c` alone, for any other product, which the caller then
/// makes another way. `a`: `(M, Q)`, `b`: `(Q, P)`, `c`: `(M, P)`.
pub fn mat_mul<F: Real>(
    a: ArrayView2<F>,
    b: ArrayView2<F>,
    beta: F,
    mut c: ArrayViewMut2<F>,
) -> bool {
    let ((m, q), p) = (a.dim(), b.ncols());
    let (Some(a), Some(b)) = (Strided::of(&a), Strided::of(&b)) else {
        return false;
    };
    let c_strides = strides(c.strides(), c.dim());
    let Some(c_data) = c.as_slice_memory_order_mut() else {
        return false;
    };
    let Some((c_row, c_col)) = c_strides else {
        return false;
    };
    let kernel: Kernel<F> = if p <= NARROW && p < q && a.col == 1 {
        dots
    } else if p <= NARROW && p < m && a.row == 1 {
        column_axpys
    } else if (q <= NARROW && q < p || m <= NARROW && m < p) && c_col == 1 {
        row_axpys
    } else {
        return false;
    };
    // Every kernel adds into c, so its old values are scaled first, once.
    if beta == F::zero() {
        c_data.fill(F::zero());
    } else if beta != F::one() {
        c_data.iter_mut().for_each(|v| *v = beta * *v);
    }
    let c = StridedMut {
        data: c_data,
        row: c_row,
        col: c_col,
    };
    kernel(m, q, p, a, b, c);
    true
}

/// A kernel: `c += a·b` for `a` `(M, Q)` and `b` `(Q, P)`, given `M`, `Q`, `P`.
type Kernel<F> = fn(usize, usize, usize, Strided<F>, Strided<F>, StridedMut<F>);

/// Non-negative strides `(row, column)` of a view of `(rows, cols)`, or `None` (also used by
/// `crate::gemm`).
pub(crate) fn strides(strides: &[isize], (rows, cols): (usize, usize)) -> Option<(usize, usize)> {
    // A dimension of length 1 may carry any stride; it is never stepped along.
    let row = if rows <= 1 {
        0
    } else {
        usize::try_from(strides[0]).ok()?
    };
    let col = if cols <= 1 {
        1
    } else {
        usize::try_from(strides[1]).ok()?
    };
    Some((row, col))
}

/// A matrix read straight from its memory: element `(i, j)` is `data[i·row + j·col]`.
#[derive(Clone, Copy)]
struct Strided<'a, F> {
    data: &'a [F],
    row: usize,
    col: usize,
}

impl<'a, F: Real> Strided<'a, F> {
    /// A view whose elements fill one piece of memory, in either order.
    fn of(v: &ArrayView2<'a, F>) -> Option<Self> {
        let (row, col) = strides(v.strides(), v.dim())?;
        let data = v.to_slice_memory_order()?;
        Some(Strided { data, row, col })
    }

    #[inline]
    fn at(&self, i: usize, j: usize) -> F {
        self.data[i * self.row + j * self.col]
    }

    /// `len` contiguous values from `(i, j)` along a row (`col` is 1) or a column (`row` is 1).
    #[inline]
    fn run(&self, i: usize, j: usize, len: usize) -> &'a [F] {
        let start = i * self.row + j * self.col;
        &self.data[start..start + len]
    }
}

/// [`Strided`], writable.
struct StridedMut<'a, F> {
    data: &'a mut [F],
    row: usize,
    col: usize,
}

impl<F: Real> StridedMut<'_, F> {
    #[inline]
    fn at(&mut self, i: usize, j: usize) -> &mut F {
        &mut self.data[i * self.row + j * self.col]
    }
}

/// `c[i, j] += Σ_q a[i, q]·b[q, j]` for a narrow `P`, `a`'s rows contiguous:
/// dot products of `a`'s row with the columns of `b`, those columns copied a block at a time,
/// all `P` of them in one pass over the row ([`dots_of`]).
fn dots<F: Real>(m: usize, q: usize, p: usize, a: Strided<F>, b: Strided<F>, mut c: StridedMut<F>) {
    let mut columns = [[F::zero(); BLOCK]; NARROW];
    for start in (0..q).step_by(BLOCK) {
        let len = BLOCK.min(q - start);
        for (j, column) in columns.iter_mut().enumerate().take(p) {
            for (t, v) in column[..len].iter_mut().enumerate() {
                *v = b.at(start + t, j);
            }
        }
        for i in 0..m {
            let row = a.run(i, start, len);
            // The width as a constant, so that each width compiles to its own SIMD loop.
            let sums = match p {
                1 => dots_of::<F, 1>(row, &columns),
                2 => dots_of::<F, 2>(row, &columns),
                3 => dots_of::<F, 3>(row, &columns),
                _ => dots_of::<F, NARROW>(row, &columns),
            };
            for (j, &sum) in sums.iter().enumerate().take(p) {
                *c.at(i, j) += sum;
            }
        }
    }
}

/// `Σ_t row[t]·columns[j][t]` for the first `P` columns, each in [`LANES`] partial sums
/// ([`LANES`] terms at a time, then the last few) added pairwise at the end.
///
/// The compiler leaves this loop scalar, so in WebAssembly `f32` takes `lane_dots`, which
/// makes the same sums in SIMD registers ([`Kernels::own_dots`]).
///
/// [`Kernels::own_dots`]: crate::real::Kernels::own_dots
#[inline]
fn dots_of<F: Real, const P: usize>(row: &[F], columns: &[[F; BLOCK]; NARROW]) -> [F; NARROW] {
    if let Some(sums) = F::own_dots::<P, BLOCK, NARROW>(row, columns) {
        return sums;
    }
    let mut lanes = [[F::zero(); LANES]; P];
    let whole = row.len() - row.len() % LANES;
    for (n, x) in row[..whole].chunks_exact(LANES).enumerate() {
        for (lanes, column) in lanes.iter_mut().zip(columns) {
            let y = &column[n * LANES..(n + 1) * LANES];
            for l in 0..LANES {
                lanes[l] += x[l] * y[l];
            }
        }
    }
    for (lanes, column) in lanes.iter_mut().zip(columns) {
        for (l, t) in (whole..row.len()).enumerate() {
            lanes[l] += row[t] * column[t];
        }
    }
    let mut sums = [F::zero(); NARROW];
    for (sum, lanes) in sums.iter_mut().zip(lanes) {
        *sum = pairwise(lanes);
    }
    sums
}

/// [`dots_of`] for `f32` in WebAssembly: the dot products of `row` with the first `P` of
/// `columns` (`P` at most `N`; the model's blocks are `B` = [`BLOCK`] values, `N` =
/// [`NARROW`] of them): for each column, eight partial sums, lane `l` taking the terms
/// `t ≡ l` (mod 8) in order, then the last few terms, the lanes then added pairwise (lane to
/// lane four away, two away, one away). The same sums, term for term, as the generic loop
/// there, which the compiler leaves scalar: here they are two SIMD registers per column.
///
/// **Panics** if `row` is longer than a block (`B`).
#[cfg(target_arch = "wasm32")]
pub fn lane_dots<const P: usize, const B: usize, const N: usize>(
    row: &[f32],
    columns: &[[f32; B]; N],
) -> [f32; N] {
    use core::arch::wasm32::{f32x4_add, f32x4_mul, f32x4_splat, v128, v128_load, v128_store};
    assert!(row.len() <= B, "a row of at most a block");
    let zero = f32x4_splat(0.0);
    let mut low = [zero; P]; // lanes 0 to 3 of each column
    let mut high = [zero; P]; // lanes 4 to 7
    let whole = row.len() / LANES * LANES;
    for start in (0..whole).step_by(LANES) {
        // SAFETY: `start + 8 ≤ whole ≤ row.len() ≤ B`, so both halves of the row's eight
        // values and of each column's are in bounds (wasm loads need no alignment).
        unsafe {
            let x0 = v128_load(row.as_ptr().add(start) as *const v128);
            let x1 = v128_load(row.as_ptr().add(start + 4) as *const v128);
            for j in 0..P {
                let y = columns[j].as_ptr().add(start);
                low[j] = f32x4_add(low[j], f32x4_mul(x0, v128_load(y as *const v128)));
                high[j] = f32x4_add(high[j], f32x4_mul(x1, v128_load(y.add(4) as *const v128)));
            }
        }
    }
    let mut sums = [0.0f32; N];
    for j in 0..P {
        let mut lanes = [0.0f32; LANES];
        // SAFETY: eight f32 hold two registers.
        unsafe {
            v128_store(lanes.as_mut_ptr() as *mut v128, low[j]);
            v128_store(lanes.as_mut_ptr().add(4) as *mut v128, high[j]);
        }
        for (l, t) in (whole..row.len()).enumerate() {
            lanes[l] += row[t] * columns[j][t];
        }
        sums[j] = pairwise(lanes);
    }
    sums
}

/// `c[i, j] += Σ_q a[i, q]·b[q, j]` for a narrow `P`, `a`'s columns contiguous
/// (`a` is a transposed view, as in a weight gradient `xᵀ·dy`): for each `q`, `c`'s column `j`
/// gains `b[q, j]` times `a`'s column `q`, summed a block of `c`'s rows at a time.
fn column_axpys<F: Real>(
    m: usize,
    q: usize,
    p: usize,
    a: Strided<F>,
    b: Strided<F>,
    mut c: StridedMut<F>,
) {
    let mut sums = [[F::zero(); BLOCK]; NARROW];
    for start in (0..m).step_by(BLOCK) {
        let len = BLOCK.min(m - start);
        for sum in sums.iter_mut().take(p) {
            sum[..len].fill(F::zero());
        }
        for k in 0..q {
            let column = a.run(start, k, len);
            for (j, sum) in sums.iter_mut().enumerate().take(p) {
                axpy(b.at(k, j), column, &mut sum[..len]);
            }
        }
        for (j, sum) in sums.iter().enumerate().take(p) {
            for (t, &v) in sum[..len].iter().enumerate() {
                let out = c.at(start + t, j);
                *out += v;
            }
        }
    }
}

/// `c[i, :] += Σ_q a[i, q]·b[q, :]` for a narrow `Q` or `M`, `c`'s rows
/// contiguous: each row of `c` gains a multiple of each row of `b`, those rows copied a block
/// of columns at a time when they are not contiguous.
fn row_axpys<F: Real>(
    m: usize,
    q: usize,
    p: usize,
    a: Strided<F>,
    b: Strided<F>,
    c: StridedMut<F>,
) {
    let mut rows = [[F::zero(); BLOCK]; NARROW];
    for start in (0..p).step_by(BLOCK) {
        let len = BLOCK.min(p - start);
        // b's rows in this block: straight from memory, or copied when they are strided.
        let copy = b.col != 1;
        if copy && q <= NARROW {
            for (k, row) in rows.iter_mut().enumerate().take(q) {
                for (t, v) in row[..len].iter_mut().enumerate() {
                    *v = b.at(k, start + t);
                }
            }
        }
        for i in 0..m {
            let first = i * c.row + start;
            let out = &mut c.data[first..first + len];
            for k in 0..q {
                let row = match (copy, q <= NARROW) {
                    (false, _) => b.run(k, start, len),
                    (true, true) => &rows[k][..len],
                    (true, false) => {
                        for (t, v) in rows[0][..len].iter_mut().enumerate() {
                            *v = b.at(k, start + t);
                        }
                        &rows[0][..len]
                    }
                };
                axpy(a.at(i, k), row, out);
            }
        }
    }
}

/// `y += s·x`, [`LANES`] values at a time (a form the compiler turns into SIMD where a plain
/// loop stayed scalar in WebAssembly).
#[inline]
fn axpy<F: Real>(s: F, x: &[F], y: &mut [F]) {
    let whole = y.len() - y.len() % LANES;
    let (ys, y_tail) = y.split_at_mut(whole);
    let (xs, x_tail) = x.split_at(whole);
    for (y, x) in ys.chunks_exact_mut(LANES).zip(xs.chunks_exact(LANES)) {
        for l in 0..LANES {
            y[l] += s * x[l];
        }
    }
    for (y, &x) in y_tail.iter_mut().zip(x_tail) {
        *y += s * x;
    }
}

/// `Σ lanes`, added pairwise: each lane to the one half the width away, and again.
#[inline]
fn pairwise<F: Real>(mut lanes: [F; LANES]) -> F {
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for l in 0..width {
            let upper = lanes[l + width];
            lanes[l] += upper;
        }
    }
    lanes[0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;
    use ndarray::linalg::general_mat_mul;

    fn matrix(rows: usize, cols: usize, seed: usize) -> Array2<f64> {
        Array2::from_shape_fn((rows, cols), |(i, j)| {
            (((i * 31 + j * 17 + seed * 7) % 23) as f64 - 11.0) / 7.0
        })
    }

    /// Every product the model makes with a narrow side, in the layouts the layers use
    /// (a plain operand, a transposed input `xᵀ`, a transposed weight `Wᵀ`), against the
    /// general kernel, for beta 0 and 1 and lengths that are and are not multiples of the
    /// lanes and blocks.
    #[test]
    fn narrow_products_match_the_general_kernel() {
        let mut used = 0;
        for long in [1, 5, 8, 64, 67, 130] {
            for narrow in 1..=NARROW {
                let batch = 9;
                let x = matrix(batch, long, 1);
                let w_out = matrix(long, narrow, 2); // a layer long → narrow
                let w_in = matrix(narrow, long, 3); // a layer narrow → long
                let dy_narrow = matrix(batch, narrow, 4);
                let dy_long = matrix(batch, long, 5);
                let z = matrix(batch, narrow, 6);
                let cases: Vec<(ArrayView2<f64>, ArrayView2<f64>)> = vec![
                    (x.view(), w_out.view()),      // forward into the codes
                    (z.view(), w_in.view()),       // forward from the codes
                    (x.t(), dy_narrow.view()),     // weight gradient of a head
                    (z.t(), dy_long.view()),       // weight gradient from the codes
                    (dy_narrow.view(), w_out.t()), // input gradient of a head
                    (dy_long.view(), w_in.t()),    // gradient of the codes
                ];
                for (a, b) in cases {
                    for beta in [0.0, 1.0] {
                        // Overwriting must not read what was there, not even a NaN.
                        let start = match beta {
                            0.0 => Array2::from_elem((a.nrows(), b.ncols()), f64::NAN),
                            _ => matrix(a.nrows(), b.ncols(), 8),
                        };
                        let mut want = matrix(a.nrows(), b.ncols(), 8);
                        general_mat_mul(1.0, &a, &b, beta, &mut want);
                        let mut got = start.clone();
                        if mat_mul(a, b, beta, got.view_mut()) {
                            used += 1;
                        } else {
                            // The general kernel serves shapes with no narrow side.
                            assert!(
                                a.nrows().min(a.ncols()).min(b.ncols()) > NARROW || long <= NARROW
                            );
                            general_mat_mul(1.0, &a, &b, beta, &mut got);
                        }
                        let err = (&got - &want).iter().fold(0.0f64, |e, v| e.max(v.abs()));
                        assert!(
                            err < 1e-12,
                            "{:?}·{:?} beta {beta}: {err}",
                            a.dim(),
                            b.dim()
                        );
                    }
                }
            }
        }
        assert!(used > 200, "the narrow kernels served {used} products");
    }

    #[test]
    fn a_dot_product_sums_every_term() {
        // Lengths below, at and past a multiple of the lanes: the tail must be counted.
        for n in [0, 1, 7, 8, 9, 19, 64] {
            let x: Vec<f64> = (1..=n).map(|v| v as f64).collect();
            let mut columns = [[0.0; BLOCK]; NARROW];
            columns[1][..n].copy_from_slice(&x);
            let want: f64 = (1..=n).map(|v| (v * v) as f64).sum();
            assert_eq!(dots_of::<f64, 2>(&x, &columns)[1], want, "length {n}");
        }
    }

    #[test]
    fn wide_products_are_left_to_the_general_kernel() {
        let a = matrix(8, 8, 1);
        let b = matrix(8, 8, 2);
        let mut c = Array2::zeros((8, 8));
        assert!(!mat_mul(a.view(), b.view(), 0.0, c.view_mut()));
        assert!(c.iter().all(|&v| v == 0.0));
    }
}

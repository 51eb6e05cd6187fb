//! The SIMD arithmetic of WebAssembly builds, in headless Chromium: the loss's
//! (`vae_playground::simd`) against `f64`, `exp` and `ln(1 + y)` within 2 units in the last
//! place, and the loss's terms and reconstruction as the one-pixel formula gives them; and
//! the matrix product's tiles (`vae_playground::gemm`) bit for bit against the general kernel,
//! the narrow products' dot products bit for bit against their order of summing, and the
//! views' blending of a pixel's three colours at once bit for bit against one at a time.
#![cfg(target_arch = "wasm32")]

use core::arch::wasm32::{f32x4, f32x4_extract_lane, v128};
use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView2, s};
use vae_playground::bce::bce_pixel;
use vae_playground::gemm::{self, K_BLOCK};
use vae_playground::narrow::{BLOCK, LANES, NARROW, lane_dots};
use vae_playground::render::{blend_each, blend_lanes};
use vae_playground::simd::{bce_terms, exp_nonpositive, ln_1p_unit};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Units in the last place of `f32` between `got` and the exact value `want`.
fn ulps(got: f32, want: f64) -> f64 {
    let ulp = (want.abs() as f32).max(f32::MIN_POSITIVE);
    let ulp = f32::from_bits(ulp.to_bits() + 1) - ulp;
    (got as f64 - want).abs() / ulp as f64
}

/// The worst error of `f`, four values at a time, over `inputs`, against `exact`.
fn worst(f: fn(v128) -> v128, inputs: &[f32], exact: fn(f64) -> f64) -> f64 {
    let mut worst = 0.0f64;
    for v in inputs.chunks_exact(4) {
        let out = f(f32x4(v[0], v[1], v[2], v[3]));
        let out = [
            f32x4_extract_lane::<0>(out),
            f32x4_extract_lane::<1>(out),
            f32x4_extract_lane::<2>(out),
            f32x4_extract_lane::<3>(out),
        ];
        for (&x, &y) in v.iter().zip(&out) {
            worst = worst.max(ulps(y, exact(x as f64)));
        }
    }
    worst
}

#[wasm_bindgen_test]
fn exp_and_ln_1p_are_within_two_ulps() {
    let n = 400_000;
    let xs: Vec<f32> = (0..n).map(|i| -40.0 * i as f32 / n as f32).collect();
    let e = worst(exp_nonpositive, &xs, f64::exp);
    assert!(e <= 2.0, "exp: {e} ulps");
    let ys: Vec<f32> = (0..n).map(|i| i as f32 / (n - 1) as f32).collect();
    let l = worst(ln_1p_unit, &ys, f64::ln_1p);
    assert!(l <= 2.0, "ln(1 + y): {l} ulps");
    // The measure itself: three steps above 1 are three units.
    assert_eq!(ulps(1.0 + 3.0 * f32::EPSILON, 1.0), 3.0);
}

#[wasm_bindgen_test]
fn the_loss_terms_agree_with_the_one_pixel_formula() {
    // Logits across the cut-off both ways, pixels black, white and grey, and a length that is
    // not a multiple of four.
    let l: Vec<f32> = (0..203).map(|i| (i as f32 - 101.0) * 0.45).collect();
    let x: Vec<f32> = (0..203).map(|i| (i % 5) as f32 / 4.0).collect();
    let (mut p, mut terms) = (vec![f32::NAN; 203], vec![f32::NAN; 203]);
    bce_terms(&l, &x, &mut p, &mut terms);
    // f32 rounds the logit's parts (softplus and x·l) to about 6·10⁻⁸ of |l| each.
    let tolerance = |l: f32| 1e-6 * (l.abs() as f64 + 1.0);
    for i in 0..203 {
        let (mut want_p, mut exact_p) = (0.0f32, 0.0f64);
        let want = bce_pixel(l[i], x[i], &mut want_p);
        let exact = bce_pixel(l[i] as f64, x[i] as f64, &mut exact_p);
        assert!(
            (p[i] - want_p).abs() <= 4.0 * f32::EPSILON * want_p.max(1e-30),
            "σ at {}",
            l[i]
        );
        assert!(
            (terms[i] as f64 - exact).abs() <= tolerance(l[i]),
            "term at {}: {} against {exact}",
            l[i],
            terms[i]
        );
        assert!((want as f64 - exact).abs() <= tolerance(l[i]));
    }
    // Past the cut-off the sigmoid is exactly 0 or 1.
    assert_eq!((p[0], p[202]), (0.0, 1.0));
}

/// A matrix of values with many bits set, so that sums in another order round differently.
fn matrix(rows: usize, cols: usize, seed: usize) -> Array2<f32> {
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        ((((i * 31 + j * 17 + seed * 7) % 23) as f32 - 11.0) / 7.0).sin()
    })
}

/// Every product shape a layer makes (a plain operand, a transposed input `xᵀ`, a transposed
/// weight `Wᵀ`) at sizes that are and are not multiples of a tile's rows and columns and of
/// `K_BLOCK`, for `beta` 0 (over NaNs, which must not be read) and 1, and views into larger
/// matrices: the tiles give the general kernel's results bit for bit (and nothing outside the
/// view changes).
#[wasm_bindgen_test]
fn the_tiles_give_the_general_kernels_results_bit_for_bit() {
    let mut products = 0;
    for m in [1, 3, 4, 9, 64] {
        for k in [1, 7, 64, K_BLOCK + 1, 3 * K_BLOCK + 16] {
            for n in [1, 5, 8, 13, 64] {
                let (a, a_t) = (matrix(m, k, 1), matrix(k, m, 2));
                let (b, b_t) = (matrix(k, n, 3), matrix(n, k, 4));
                let lefts: [ArrayView2<f32>; 2] = [a.view(), a_t.t()];
                let rights: [ArrayView2<f32>; 2] = [b.view(), b_t.t()];
                for left in lefts {
                    for right in rights {
                        for beta in [0.0, 1.0] {
                            let start = match beta {
                                0.0 => Array2::from_elem((m, n), f32::NAN),
                                _ => matrix(m, n, 5),
                            };
                            let mut want = matrix(m, n, 5);
                            general_mat_mul(1.0, &left, &right, beta, &mut want);
                            let mut got = start.clone();
                            assert!(gemm::mat_mul(left, right, beta, got.view_mut()));
                            let differ = got
                                .iter()
                                .zip(&want)
                                .filter(|(g, w)| g.to_bits() != w.to_bits())
                                .count();
                            assert_eq!(differ, 0, "{m}×{k}×{n} beta {beta}: {differ} differ");
                            products += 1;
                        }
                    }
                }
            }
        }
    }
    assert_eq!(products, 5 * 5 * 5 * 8);
    // Views into larger matrices: rows further apart than they are long.
    for (m, k, n) in [(9, 70, 13), (64, 300, 16)] {
        let (big_a, b) = (matrix(m + 2, k + 5, 6), matrix(k, n, 7));
        let a = big_a.slice(s![1..m + 1, 2..k + 2]);
        let mut big_c = matrix(m, n + 6, 8);
        let mut want = big_c.clone();
        general_mat_mul(1.0, &a, &b, 1.0, &mut want.slice_mut(s![.., 3..n + 3]));
        assert!(gemm::mat_mul(
            a,
            b.view(),
            1.0,
            big_c.slice_mut(s![.., 3..n + 3])
        ));
        let same = big_c
            .iter()
            .zip(&want)
            .all(|(g, w)| g.to_bits() == w.to_bits());
        assert!(same, "{m}×{k}×{n} as views into larger matrices");
    }
}

/// The control: the data above tell summing orders apart. Summed over all `k` at once rather
/// than a block at a time, a product across blocks rounds differently from the general
/// kernel's; a product whose `c` is not row by row is declined.
#[wasm_bindgen_test]
fn another_summing_order_is_told_apart_and_other_layouts_are_declined() {
    let (m, k, n) = (9, 3 * K_BLOCK + 16, 13);
    let (a, b) = (matrix(m, k, 1), matrix(k, n, 3));
    let mut want = Array2::zeros((m, n));
    general_mat_mul(1.0, &a, &b, 0.0, &mut want);
    let one_sum = Array2::from_shape_fn((m, n), |(i, j)| {
        (0..k).fold(0.0f32, |s, t| s + a[(i, t)] * b[(t, j)])
    });
    let differ = one_sum
        .iter()
        .zip(&want)
        .filter(|(g, w)| g.to_bits() != w.to_bits())
        .count();
    assert!(differ > 0, "one sum over all k matched the blocked sums");
    let mut c_t = Array2::<f32>::zeros((n, m));
    assert!(!gemm::mat_mul(
        a.view(),
        b.view(),
        0.0,
        c_t.view_mut().reversed_axes()
    ));
    assert!(c_t.iter().all(|&v| v == 0.0));
}

/// The dot products of `narrow`'s order of summing, written out plainly: lane `l` takes the
/// terms `t ≡ l` (mod 8) of the whole chunks, then lane `l` the `l`-th of the last few, then
/// the lanes are added pairwise.
fn lane_order_dot(row: &[f32], column: &[f32]) -> f32 {
    let mut lanes = [0.0f32; LANES];
    let whole = row.len() / LANES * LANES;
    for t in 0..whole {
        lanes[t % LANES] += row[t] * column[t];
    }
    for t in whole..row.len() {
        lanes[t - whole] += row[t] * column[t];
    }
    let half: Vec<f32> = (0..4).map(|l| lanes[l] + lanes[l + 4]).collect();
    (half[0] + half[2]) + (half[1] + half[3])
}

/// `lane_dots` makes those sums bit for bit, for every width and lengths around the lanes
/// and up to a whole block; a plain sum in order is told apart from them (the control).
#[wasm_bindgen_test]
fn the_narrow_dot_products_sum_in_their_lane_order() {
    let mut columns = [[0.0f32; BLOCK]; NARROW];
    for (j, column) in columns.iter_mut().enumerate() {
        for (t, v) in column.iter_mut().enumerate() {
            *v = ((t * 13 + j * 5) as f32 * 0.37).sin();
        }
    }
    let row: Vec<f32> = (0..BLOCK).map(|t| (t as f32 * 0.91).cos()).collect();
    let mut told_apart = 0;
    for len in [0, 1, 7, 8, 9, 19, 64, 256, 257, BLOCK] {
        let row = &row[..len];
        let sums = [
            lane_dots::<1, BLOCK, NARROW>(row, &columns)[..1].to_vec(),
            lane_dots::<2, BLOCK, NARROW>(row, &columns)[..2].to_vec(),
            lane_dots::<3, BLOCK, NARROW>(row, &columns)[..3].to_vec(),
            lane_dots::<4, BLOCK, NARROW>(row, &columns).to_vec(),
        ];
        for (p, sums) in sums.iter().enumerate() {
            assert_eq!(sums.len(), p + 1);
            for (j, &sum) in sums.iter().enumerate() {
                let want = lane_order_dot(row, &columns[j][..len]);
                assert_eq!(
                    sum.to_bits(),
                    want.to_bits(),
                    "length {len}, column {j} of {}",
                    p + 1
                );
                let in_order = (0..len).fold(0.0f32, |s, t| s + row[t] * columns[j][t]);
                told_apart += usize::from(in_order.to_bits() != want.to_bits());
            }
        }
    }
    assert!(
        told_apart > 0,
        "a plain sum matched the lanes' sums everywhere"
    );
}

/// The views blend a pixel's three colour channels in three SIMD lanes: the same bytes as one
/// channel at a time, alpha kept, over 200,000 pixels whose every field is drawn on its own:
/// coverages from a hair above the cut-off to hundreds of shapes, mean colours inside and far
/// outside 0 to 255 (as a running sum's rounding can leave them), every opacity and every
/// background, and non-finite sums and opacities (both give 0 where `as u8` meets NaN). The
/// control: blending in another order of the same operations, `u·(1 − o) + (c/n)·o`, is told
/// apart on some pixels.
#[wasm_bindgen_test]
fn a_pixel_blends_its_colours_in_lanes_as_one_at_a_time() {
    /// A number in [0, 1) for draw `k` of pixel `i`, each draw on its own (splitmix64).
    fn draw(i: u64, k: u64) -> f32 {
        let mut z = (i * 16 + k)
            .wrapping_add(1)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 40) as f32 / (1u64 << 24) as f32
    }
    let mut told_apart = 0;
    let mut cases = 0;
    for i in 0..200_000u64 {
        let f = |k: u64| draw(i, k);
        let n = 1.1e-4 * (1.0 + f(1) * 3.0e6).powf(f(2));
        // Mean colours mostly within 0 to 255, one pixel in ten far outside.
        let spread = if i % 10 == 0 {
            [-500.0, 1300.0]
        } else {
            [0.0, 255.0]
        };
        let mean = |k| spread[0] + f(k) * spread[1];
        let mut cell = [n, n * mean(3), n * mean(4), n * mean(5)];
        let mut opacity = if i % 50 == 0 {
            (i % 100 / 50) as f32
        } else {
            f(6)
        };
        match i % 1000 {
            1 => cell[2] = f32::NAN,
            2 => cell[3] = f32::INFINITY,
            3 => cell[1] = f32::NEG_INFINITY,
            4 => opacity = f32::NAN,
            _ => {}
        }
        let under = [
            (f(7) * 256.0) as u8,
            (f(8) * 256.0) as u8,
            (f(9) * 256.0) as u8,
            (f(10) * 256.0) as u8,
        ];
        let mut want = under;
        blend_each(&cell, &mut want, opacity);
        let got = blend_lanes(&cell, u32::from_le_bytes(under), opacity).to_le_bytes();
        assert_eq!(
            got, want,
            "cell {cell:?}, opacity {opacity}, under {under:?}"
        );
        assert_eq!(got[3], under[3], "alpha kept");
        for c in 0..3 {
            let u = under[c] as f32;
            let other = (u * (1.0 - opacity) + cell[c + 1] * (1.0 / n) * opacity + 0.5) as u8;
            told_apart += usize::from(other != want[c]);
        }
        cases += 1;
    }
    assert_eq!(cases, 200_000);
    assert!(
        told_apart > 0,
        "blending in another order gave the same bytes everywhere"
    );
}

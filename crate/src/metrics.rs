//! How well a latent space keeps neighbourhoods: trustworthiness and continuity (Venna &
//! Kaski, 2001), with the definitions that scikit-learn's `sklearn.manifold.trustworthiness`
//! uses.
//!
//! For `n` points, `k` neighbours, `r_X(i, j)` the rank of `j` among `i`'s neighbours in the
//! input space (1 = nearest) and `N_k^Z(i)` the `k` nearest neighbours of `i` in the latent
//! space:
//!
//! `T(k) = 1 − 2 / (n·k·(2n − 3k − 1)) · Σ_i Σ_{j ∈ N_k^Z(i)} max(0, r_X(i, j) − k)`
//!
//! Trustworthiness is 1 when every latent neighbour is also an input neighbour, and falls as
//! latent neighbourhoods take in points that were far apart (a "false" neighbour). Continuity
//! `C(k)` is the same with the two spaces swapped: it falls when input neighbours are torn
//! apart in the latent space, the fragmentation a continuous latent space avoids.
//!
//! Distances are Euclidean; ties are broken by index. Both spaces' full rank tables are
//! computed (O(n² log n) time, 2·n² `u16`s of memory), so `n` is at most 65535; on a large
//! data set they are measured on its evaluation subset
//! ([`crate::data::Dataset::evaluation_rows`], at most [`crate::data::EVAL_SAMPLES`]).

use ndarray::{ArrayView1, ArrayView2};

/// Every point's neighbours in one space, sorted, and the inverse: ranks.
#[derive(Clone, Debug)]
pub struct Neighbours {
    n: usize,
    /// `order[i·(n−1) + r]`: the point at rank `r + 1` among `i`'s neighbours.
    order: Vec<u16>,
    /// `rank[i·n + j]`: the rank of `j` among `i`'s neighbours (1 = nearest); `n` for `j = i`.
    rank: Vec<u16>,
}

impl Neighbours {
    /// The neighbour tables of the rows of `points` `(n, d)`.
    ///
    /// **Panics** if there are more than 65535 points.
    pub fn new(points: ArrayView2<f32>) -> Self {
        let mut builder = NeighboursBuilder::new(points.nrows());
        builder.advance(points, usize::MAX);
        builder.finish().expect("every row was filled")
    }

    /// The number of points.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The `k` nearest neighbours of `i`, nearest first.
    pub fn nearest(&self, i: usize, k: usize) -> &[u16] {
        &self.order[i * (self.n - 1)..i * (self.n - 1) + k]
    }

    /// The rank of `j` among `i`'s neighbours (1 = nearest).
    pub fn rank(&self, i: usize, j: usize) -> usize {
        self.rank[i * self.n + j] as usize
    }
}

/// [`Neighbours`] built a few rows at a time, so that a large table never holds up other work
/// (the page's worker builds the input space's table between training steps).
#[derive(Clone, Debug)]
pub struct NeighboursBuilder {
    n: usize,
    order: Vec<u16>,
    rank: Vec<u16>,
    /// The next row to fill.
    next: usize,
    dist: Vec<f64>,
    idx: Vec<u16>,
}

impl NeighboursBuilder {
    /// An empty table for `n` points.
    ///
    /// **Panics** if there are more than 65535 points.
    pub fn new(n: usize) -> Self {
        assert!(n <= u16::MAX as usize, "at most 65535 points");
        NeighboursBuilder {
            n,
            order: vec![0u16; n * n.saturating_sub(1)],
            rank: vec![0u16; n * n],
            next: 0,
            dist: vec![0.0; n],
            idx: Vec::with_capacity(n),
        }
    }

    /// Fills up to `rows` more rows from `points` `(n, d)` (the same points every call);
    /// returns whether every row is filled.
    pub fn advance(&mut self, points: ArrayView2<f32>, rows: usize) -> bool {
        let n = self.n;
        assert_eq!(points.nrows(), n, "the points the table was made for");
        let end = self.next.saturating_add(rows).min(n);
        let owned;
        let flat = match points.as_slice() {
            Some(flat) => flat,
            None => {
                owned = points.as_standard_layout().into_owned();
                owned.as_slice().expect("standard layout")
            }
        };
        let d = points.ncols();
        for i in self.next..end {
            let pi = &flat[i * d..(i + 1) * d];
            for (j, dist) in self.dist.iter_mut().enumerate() {
                *dist = lane_distance(pi, &flat[j * d..(j + 1) * d]) as f64;
            }
            let dist = &self.dist;
            self.idx.clear();
            self.idx.extend((0..n as u16).filter(|&j| j as usize != i));
            self.idx.sort_unstable_by(|&a, &b| {
                dist[a as usize]
                    .total_cmp(&dist[b as usize])
                    .then(a.cmp(&b))
            });
            for (r, &j) in self.idx.iter().enumerate() {
                self.rank[i * n + j as usize] = (r + 1) as u16;
            }
            self.rank[i * n + i] = n as u16;
            self.order[i * (n - 1)..(i + 1) * (n - 1)].copy_from_slice(&self.idx);
        }
        self.next = end;
        self.done()
    }

    /// Whether every row is filled.
    pub fn done(&self) -> bool {
        self.next == self.n
    }

    /// The rows filled so far.
    pub fn rows(&self) -> usize {
        self.next
    }

    /// The finished table, or `None` while rows are left.
    pub fn finish(self) -> Option<Neighbours> {
        self.done().then_some(Neighbours {
            n: self.n,
            order: self.order,
            rank: self.rank,
        })
    }
}

/// Why a neighbourhood measure cannot be computed.
#[derive(Clone, Debug, PartialEq)]
pub enum MetricError {
    /// The two spaces hold different numbers of points.
    Sizes(usize, usize),
    /// `k` must be at least 1 and below `n / 2` (as scikit-learn requires).
    K {
        /// The `k` asked for.
        k: usize,
        /// The number of points.
        n: usize,
    },
}

impl std::fmt::Display for MetricError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetricError::Sizes(a, b) => write!(f, "the two spaces hold {a} and {b} points"),
            MetricError::K { k, n } => {
                write!(
                    f,
                    "k = {k} neighbours needs 1 ≤ k < n/2, with n = {n} points"
                )
            }
        }
    }
}

impl std::error::Error for MetricError {}

/// `T(k)`: how far the latent space's `k` nearest neighbours are trustworthy, judged by the
/// input space's ranks (formula in the module docs).
///
/// # Errors
/// [`MetricError`] if the spaces differ in size or `k` is not below `n / 2`.
pub fn trustworthiness(
    input: &Neighbours,
    latent: &Neighbours,
    k: usize,
) -> Result<f64, MetricError> {
    let n = input.len();
    if latent.len() != n {
        return Err(MetricError::Sizes(n, latent.len()));
    }
    if k == 0 || 2 * k >= n {
        return Err(MetricError::K { k, n });
    }
    let mut penalty = 0u64;
    for i in 0..n {
        for &j in latent.nearest(i, k) {
            penalty += input.rank(i, j as usize).saturating_sub(k) as u64;
        }
    }
    Ok(score(penalty, n, k))
}

/// `1 − 2·penalty / (n·k·(2n − 3k − 1))`.
fn score(penalty: u64, n: usize, k: usize) -> f64 {
    let (n, k) = (n as f64, k as f64);
    1.0 - penalty as f64 * 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0))
}

/// `C(k)`: trustworthiness with the spaces swapped, so that it falls when input neighbours
/// are torn apart in the latent space.
///
/// # Errors
/// As [`trustworthiness`].
pub fn continuity(input: &Neighbours, latent: &Neighbours, k: usize) -> Result<f64, MetricError> {
    trustworthiness(latent, input, k)
}

/// `(T(k), C(k))` between the input space (its tables, computed once) and a latent space
/// given as points `(n, z)`, without building the latent space's tables: for each point, one
/// pass over the others keeps its latent `k` nearest (closer points first, ties by index),
/// and another counts, for each of its `k` input neighbours, the points closer in the latent
/// space. Most points are farther than all of these and are passed over at one comparison.
/// O(n²) time, O(n) memory; the same numbers as [`trustworthiness`] and [`continuity`].
///
/// # Errors
/// As [`trustworthiness`].
pub fn scores(
    input: &Neighbours,
    latent: ArrayView2<f32>,
    k: usize,
) -> Result<(f64, f64), MetricError> {
    let n = input.len();
    if latent.nrows() != n {
        return Err(MetricError::Sizes(n, latent.nrows()));
    }
    if k == 0 || 2 * k >= n {
        return Err(MetricError::K { k, n });
    }
    let dims = latent.ncols().max(1);
    let points: Vec<f64> = latent.iter().map(|&v| v as f64).collect();
    let mut order = vec![0i64; n];
    let mut nearest: Vec<usize> = Vec::with_capacity(k + 1);
    let mut marks: Vec<usize> = Vec::with_capacity(k);
    let mut below = vec![0u64; k + 1];
    let (mut false_neighbours, mut torn) = (0u64, 0u64);
    for i in 0..n {
        let zi = &points[i * dims..(i + 1) * dims];
        // Each distance as an integer in the order of `f64::total_cmp`, then the point's index:
        // the order "closer to i, ties by index" is the order of these pairs.
        for (d, zj) in order.iter_mut().zip(points.chunks_exact(dims)) {
            let squared: f64 = zi.iter().zip(zj).map(|(&a, &b)| (a - b).powi(2)).sum();
            let bits = squared.to_bits() as i64;
            *d = bits ^ ((((bits >> 63) as u64) >> 1) as i64);
        }
        let closer = |a: usize, b: usize| (order[a], a) < (order[b], b);
        // Trustworthiness: the latent k nearest, ranked in the input space.
        nearest.clear();
        for m in (0..n).filter(|&m| m != i) {
            if nearest.len() == k && !closer(m, nearest[k - 1]) {
                continue;
            }
            let at = nearest.partition_point(|&b| closer(b, m));
            nearest.insert(at, m);
            nearest.truncate(k);
        }
        for &j in &nearest {
            false_neighbours += input.rank(i, j).saturating_sub(k) as u64;
        }
        // Continuity: the input k nearest, ranked in the latent space. With them in latent
        // order, a point closer than one of them is closer than every later one too: count
        // each point at the first of them it comes before, and the running sum of these
        // counts is, for each of them, the points closer than it.
        marks.clear();
        marks.extend(input.nearest(i, k).iter().map(|&j| j as usize));
        marks.sort_unstable_by_key(|&a| (order[a], a));
        below.fill(0);
        let last = marks[k - 1];
        for m in (0..n).filter(|&m| m != i) {
            if !closer(m, last) {
                continue;
            }
            below[marks.partition_point(|&j| !closer(m, j))] += 1;
        }
        let mut closer_count = 0;
        for &b in &below[..k] {
            closer_count += b;
            torn += (1 + closer_count).saturating_sub(k as u64);
        }
    }
    Ok((score(false_neighbours, n, k), score(torn, n, k)))
}

/// The squared Euclidean distance between two rows, summed in `f32` in order.
pub fn squared_distance(a: ArrayView1<f32>, b: ArrayView1<f32>) -> f32 {
    a.iter().zip(b).map(|(&u, &v)| (u - v) * (u - v)).sum()
}

/// The squared Euclidean distance between `a` and `b`, summed in eight lanes (which the
/// compiler turns into SIMD): the neighbour tables' distances, eight times faster than one
/// sum at a time over MNIST's 784 pixels. Exact for the digits (sixteenths), so their ranks
/// match scikit-learn's to the last tie.
pub fn lane_distance(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (ac, bc) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ac
        .remainder()
        .iter()
        .zip(bc.remainder())
        .map(|(&u, &v)| (u - v) * (u - v))
        .sum();
    for (x, y) in ac.zip(bc) {
        for k in 0..8 {
            let t = x[k] - y[k];
            lanes[k] += t * t;
        }
    }
    ((lanes[0] + lanes[4]) + (lanes[1] + lanes[5]))
        + ((lanes[2] + lanes[6]) + (lanes[3] + lanes[7]))
        + tail
}

/// The row of `rows` nearest to row `i` other than itself, and its squared distance (the
/// first of equals; `(i, ∞)` if there is no other row).
pub fn nearest_row(rows: ArrayView2<f32>, i: usize) -> (usize, f32) {
    let x = rows.row(i);
    let mut best = (i, f32::INFINITY);
    for (j, y) in rows.rows().into_iter().enumerate() {
        if j != i {
            let d = squared_distance(x, y);
            if d < best.1 {
                best = (j, d);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, array};

    fn line(xs: &[f32]) -> Array2<f32> {
        Array2::from_shape_vec((xs.len(), 1), xs.to_vec()).unwrap()
    }

    #[test]
    fn five_points_on_a_line_worked_out_by_hand() {
        // Input a=0, b=1, c=3, d=7, e=15; the latent space swaps a and e.
        // Latent 1-NN and their input ranks: a→d (3), b→e (4), c→b (1), d→c (1), e→b (3):
        // penalties 2 + 3 + 0 + 0 + 2 = 7, so T = 1 − 2·7 / (5·1·(10 − 3 − 1)) = 8/15.
        // Input 1-NN and their latent ranks: a→b (3), b→a (4), c→b (1), d→c (1), e→d (3):
        // again 7, so C = 8/15.
        let input = Neighbours::new(line(&[0.0, 1.0, 3.0, 7.0, 15.0]).view());
        let latent = Neighbours::new(line(&[15.0, 1.0, 3.0, 7.0, 0.0]).view());
        assert_eq!(input.nearest(3, 2), &[2, 1]);
        assert_eq!(input.rank(4, 0), 4);
        let t = trustworthiness(&input, &latent, 1).unwrap();
        let c = continuity(&input, &latent, 1).unwrap();
        assert!((t - 8.0 / 15.0).abs() < 1e-15, "{t}");
        assert!((c - 8.0 / 15.0).abs() < 1e-15, "{c}");
    }

    #[test]
    fn built_a_few_rows_at_a_time_the_table_is_the_same() {
        let x = Array2::from_shape_fn((40, 3), |(i, j)| ((i * 7 + j * 13) % 11) as f32);
        let whole = Neighbours::new(x.view());
        let mut b = NeighboursBuilder::new(40);
        assert!(!b.advance(x.view(), 7));
        assert_eq!(b.rows(), 7, "exactly the rows asked for");
        assert!(b.clone().finish().is_none(), "not finished with rows left");
        while !b.advance(x.view(), 7) {}
        let built = b.finish().unwrap();
        assert_eq!((built.order, built.rank), (whole.order, whole.rank));
    }

    #[test]
    fn a_copy_of_the_input_keeps_every_neighbourhood() {
        let x = array![
            [0.0f32, 0.0],
            [1.0, 0.2],
            [2.5, 0.1],
            [0.3, 3.0],
            [4.0, 4.0],
            [5.5, 1.0],
            [7.0, 0.5]
        ];
        let a = Neighbours::new(x.view());
        let scaled = x.mapv(|v| 3.0 * v - 1.0);
        let b = Neighbours::new(scaled.view());
        assert_eq!(trustworthiness(&a, &b, 2).unwrap(), 1.0);
        assert_eq!(continuity(&a, &b, 2).unwrap(), 1.0);
    }

    #[test]
    fn k_must_be_below_half_of_n() {
        let a = Neighbours::new(line(&[0.0, 1.0, 2.0, 3.0]).view());
        assert_eq!(
            trustworthiness(&a, &a, 2),
            Err(MetricError::K { k: 2, n: 4 })
        );
        assert_eq!(
            trustworthiness(&a, &a, 0),
            Err(MetricError::K { k: 0, n: 4 })
        );
        let b = Neighbours::new(line(&[0.0, 1.0, 2.0]).view());
        assert_eq!(continuity(&a, &b, 1), Err(MetricError::Sizes(3, 4)));
    }
}

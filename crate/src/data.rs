//! Data sets and the seeded order in which training visits them.
//!
//! The 8x8 handwritten digits (UCI optical recognition of handwritten digits, test set,
//! E. Alpaydin & C. Kaynak, 1998, CC BY 4.0) are embedded in the crate as `data/digits.bin`,
//! written by `data/encode_digits.py` from the CSV that scikit-learn ships.
//!
//! Beside them, two data sets generated from the seed, whose inputs vary along known
//! continuous factors, so that a latent space's continuity can be seen against the truth:
//!
//! - `bars`: a bar through the centre of the image at angle θ ∈ [0°, 180°). Since a bar at
//!   180° is the bar at 0°, the inputs lie on a circle.
//! - `blobs`: a round blob centred at (x, y) ∈ [1.5, 6.5]² pixels: the inputs fill a square.
//!
//! Their labels are the first factor cut into ten equal bins (for the CSV's `label` column).

use crate::rng::{Stream, stream};
use ndarray::{Array2, ArrayViewMut2};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

const DIGITS_BIN: &[u8] = include_bytes!("../data/digits.bin");

/// Samples in the digits (the smallest built-in data set: the page's largest batch).
pub const DIGITS_SAMPLES: usize = 1797;

/// Samples in each generated data set.
pub const GENERATED_SAMPLES: usize = 1800;

/// The most samples the page draws and the neighbourhood measures take (the evaluation
/// subset, [`Dataset::evaluation_rows`]): all the digits, bars and blobs; 2,000 of MNIST's
/// 10,000. Encoding them all every frame and ranking their neighbours (O(n² log n) time,
/// 2·n² `u16`s = 16 MB of tables) stays within a frame's budget and a page's memory.
pub const EVAL_SAMPLES: usize = 2000;

/// The most classes a data set tells apart (a label is a byte).
pub const MAX_CLASSES: usize = 256;

/// The data sets known by name: built in, or read from an image file that the build writes
/// ([`crate::image_file`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatasetKind {
    /// The 8x8 handwritten digits.
    Digits,
    /// A bar through the centre at an angle, generated from the seed.
    Bars,
    /// A blob at a position, generated from the seed.
    Blobs,
    /// 10,000 MNIST digits, 28 × 28, from the image file `mnist.bin`.
    Mnist,
    /// 10,000 Fashion-MNIST images, 28 × 28, from the image file `fashion.bin`.
    Fashion,
    /// A visitor's own data (a CSV file, images, or a set drawn on the page), which stays in
    /// their browser: a link names it but cannot carry it.
    Own,
}

crate::names::named!(DatasetKind, "dataset", [
    DatasetKind::Digits => "digits",
    DatasetKind::Bars => "bars",
    DatasetKind::Blobs => "blobs",
    DatasetKind::Mnist => "mnist",
    DatasetKind::Fashion => "fashion",
    DatasetKind::Own => "own",
]);

impl DatasetKind {
    /// The image file this data set is read from (beside the page, in `data/`), if it is not
    /// built in.
    pub fn file(self) -> Option<&'static str> {
        match self {
            DatasetKind::Mnist => Some("mnist.bin"),
            DatasetKind::Fashion => Some("fashion.bin"),
            DatasetKind::Digits | DatasetKind::Bars | DatasetKind::Blobs | DatasetKind::Own => None,
        }
    }

    /// Whether the crate makes this data set itself (embedded, or generated from the seed).
    pub fn built_in(self) -> bool {
        self.file().is_none() && self != DatasetKind::Own
    }
}

/// Fashion-MNIST's ten classes (Xiao, Rasul & Vollgraf 2017), by label.
pub const FASHION_CLASSES: [&str; 10] = [
    "T-shirt or top",
    "trouser",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "ankle boot",
];

/// The names of labels `0..=max(labels)` in the data set called `name`: digits by number,
/// Fashion-MNIST's clothes by name, other labels as "class k".
fn class_names(name: &str, labels: &[u8]) -> Vec<String> {
    let count = labels.iter().max().map_or(0, |&m| m as usize + 1);
    (0..count)
        .map(|k| match name.parse::<DatasetKind>() {
            Ok(DatasetKind::Digits | DatasetKind::Mnist) => format!("digit {k}"),
            Ok(DatasetKind::Fashion) if k < 10 => FASHION_CLASSES[k].to_string(),
            _ => format!("class {k}"),
        })
        .collect()
}

/// What varies across a data set's inputs, and so what the views colour by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Factor {
    /// A class label (the digit).
    Class,
    /// An angle, `factors[i][0]` = θ / 180° in `[0, 1)`, periodic.
    Angle,
    /// A position, `factors[i]` = `(x, y)` scaled to `[0, 1]²`.
    Position,
}

crate::names::named!(Factor, "factor", [
    Factor::Class => "class",
    Factor::Angle => "angle",
    Factor::Position => "position",
]);

/// A data set: `N` inputs of `D` values in `[0, 1]`, each with a label and, for generated
/// data, the factors it was made from.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// Short name, as in `--dataset`, or the file a visitor's data came from.
    pub name: String,
    /// `(N, D)` inputs in `[0, 1]`.
    pub x: Array2<f32>,
    /// `(N)` class of each input (generated data: the first factor in ten bins).
    pub labels: Vec<u8>,
    /// What the inputs vary along.
    pub factor: Factor,
    /// `(N, 2)` the factors of each input in `[0, 1]` (digits: zeros).
    pub factors: Array2<f32>,
    /// Width and height of an input as an image (`D = width · height`).
    pub image_size: (usize, usize),
    /// What each label means, index = label, for legends and the inspector ("digit 3",
    /// "trouser", or a visitor's own class names).
    pub classes: Vec<String>,
}

impl Dataset {
    /// The floor of the reconstruction term: the data's own binary entropy, nats per sample,
    /// `mean_i Σ_p H(x_ip)` with `H(x) = −x·ln x − (1 − x)·ln(1 − x)`. The binary cross-entropy
    /// of a grey pixel `x` under any prediction `p` is at least `H(x)` (equal at `p = x`), so
    /// no model can reconstruct below it; it is 0 for black-and-white data.
    pub fn entropy_floor(&self) -> f64 {
        let h = |x: f64| {
            let part = |v: f64| if v > 0.0 { -v * v.ln() } else { 0.0 };
            part(x) + part(1.0 - x)
        };
        self.x.iter().map(|&v| h(v as f64)).sum::<f64>() / self.len() as f64
    }

    /// Input `i` and its nearest neighbour in pixel space (Euclidean): a pair of similar
    /// inputs.
    pub fn nearest_neighbour(&self, i: usize) -> usize {
        crate::metrics::nearest_row(self.x.view(), i).0
    }

    /// A data set of classes (no continuous factor): `x` `(N, w·h)` in `[0, 1]`, a label per
    /// row, images of `image_size` = `(w, h)`.
    pub fn of_classes(
        name: &str,
        x: Array2<f32>,
        labels: Vec<u8>,
        image_size: (usize, usize),
    ) -> Dataset {
        let n = x.nrows();
        assert_eq!(labels.len(), n, "a label per sample");
        assert_eq!(
            image_size.0 * image_size.1,
            x.ncols(),
            "w·h pixels a sample"
        );
        let classes = class_names(name, &labels);
        Dataset {
            name: name.to_string(),
            x,
            labels,
            factor: Factor::Class,
            factors: Array2::zeros((n, 2)),
            image_size,
            classes,
        }
    }

    /// As [`Dataset::of_classes`], each row's class given by its name in `texts`; the classes
    /// are numbered in the order of their names.
    ///
    /// # Errors
    /// The number of classes, if more than [`MAX_CLASSES`].
    pub fn of_named_classes(
        name: &str,
        x: Array2<f32>,
        texts: &[String],
        image_size: (usize, usize),
    ) -> Result<Dataset, usize> {
        let mut names = texts.to_vec();
        names.sort_unstable();
        names.dedup();
        if names.len() > MAX_CLASSES {
            return Err(names.len());
        }
        let labels = texts
            .iter()
            .map(|t| names.binary_search(t).expect("listed") as u8)
            .collect();
        let mut data = Dataset::of_classes(name, x, labels, image_size);
        data.classes = names;
        Ok(data)
    }

    /// The 1797 8x8 handwritten digits, pixels divided by 16, labels 0 to 9.
    pub fn digits() -> Dataset {
        let bytes = DIGITS_BIN;
        assert_eq!(&bytes[..4], b"DIG8", "digits.bin: bad magic");
        let n = u16::from_le_bytes([bytes[4], bytes[5]]) as usize;
        assert_eq!(n, DIGITS_SAMPLES, "digits.bin: sample count");
        let d = bytes[6] as usize;
        let max = bytes[7] as f32;
        let pixels = &bytes[8..8 + n * d];
        let labels = bytes[8 + n * d..8 + n * d + n].to_vec();
        let x = Array2::from_shape_fn((n, d), |(i, j)| pixels[i * d + j] as f32 / max);
        Dataset::of_classes("digits", x, labels, (8, 8))
    }

    /// 1800 8x8 images of a bar through the centre at angles θ drawn uniformly from
    /// [0°, 180°) with `seed`. Pixel `(c, r)`, centred at `(c + ½ − 4, 4 − r − ½)`, at
    /// distance `d` from the bar's line and `a` along it, has ink `clamp(1.25 − d, 0, 1)` where
    /// `|a| ≤ 3.5`, and none beyond.
    pub fn bars(seed: u64) -> Dataset {
        let mut rng = stream(seed, Stream::Data);
        let angles: Vec<f32> = (0..GENERATED_SAMPLES)
            .map(|_| rng.random::<f32>())
            .collect();
        let x = Array2::from_shape_fn((GENERATED_SAMPLES, 64), |(i, p)| {
            let theta = angles[i] * std::f32::consts::PI;
            let (px, py) = ((p % 8) as f32 + 0.5 - 4.0, 4.0 - (p / 8) as f32 - 0.5);
            let along = px * theta.cos() + py * theta.sin();
            let across = (-px * theta.sin() + py * theta.cos()).abs();
            if along.abs() <= 3.5 {
                (1.25 - across).clamp(0.0, 1.0)
            } else {
                0.0
            }
        });
        let factors =
            Array2::from_shape_fn(
                (GENERATED_SAMPLES, 2),
                |(i, j)| if j == 0 { angles[i] } else { 0.0 },
            );
        Dataset::generated("bars", x, factors, Factor::Angle)
    }

    /// 1800 8x8 images of a round blob centred at `(x, y)` drawn uniformly from
    /// [1.5, 6.5]² (pixel units, `y` up) with `seed`: ink `exp(−r² / (2·0.9²))` at distance `r`.
    pub fn blobs(seed: u64) -> Dataset {
        let mut rng = stream(seed, Stream::Data);
        let centres: Vec<(f32, f32)> = (0..GENERATED_SAMPLES)
            .map(|_| (rng.random::<f32>(), rng.random::<f32>()))
            .collect();
        let x = Array2::from_shape_fn((GENERATED_SAMPLES, 64), |(i, p)| {
            let (u, v) = centres[i];
            let (cx, cy) = (1.5 + 5.0 * u, 1.5 + 5.0 * v);
            let (px, py) = ((p % 8) as f32 + 0.5, 8.0 - (p / 8) as f32 - 0.5);
            let r2 = (px - cx).powi(2) + (py - cy).powi(2);
            (-r2 / (2.0 * 0.81)).exp()
        });
        let factors = Array2::from_shape_fn((GENERATED_SAMPLES, 2), |(i, j)| {
            if j == 0 { centres[i].0 } else { centres[i].1 }
        });
        Dataset::generated("blobs", x, factors, Factor::Position)
    }

    fn generated(
        name: &'static str,
        x: Array2<f32>,
        factors: Array2<f32>,
        factor: Factor,
    ) -> Dataset {
        let labels: Vec<u8> = factors
            .column(0)
            .iter()
            .map(|&f| ((f * 10.0) as u8).min(9))
            .collect();
        let classes = class_names(name, &labels);
        Dataset {
            name: name.to_string(),
            x,
            labels,
            factor,
            factors,
            image_size: (8, 8),
            classes,
        }
    }

    /// `n` images of `side × side` uniformly random pixels, drawn from `seed`, in ten classes:
    /// the benchmark's stand-in for MNIST at the same shape (the speed of a step does not
    /// depend on the pixels' values).
    pub fn random_images(n: usize, side: usize, seed: u64) -> Dataset {
        let mut rng = stream(seed, Stream::Data);
        let x = Array2::from_shape_simple_fn((n, side * side), || rng.random::<f32>());
        let labels = (0..n).map(|i| (i % 10) as u8).collect();
        Dataset::of_classes("random", x, labels, (side, side))
    }

    /// The built-in data set called `name` (generated ones from `seed`), or `None` (an
    /// unknown name, a data set read from a file ([`DatasetKind::file`]) or a visitor's own).
    pub fn by_name(name: &str, seed: u64) -> Option<Dataset> {
        Some(match name.parse::<DatasetKind>().ok()? {
            DatasetKind::Digits => Dataset::digits(),
            DatasetKind::Bars => Dataset::bars(seed),
            DatasetKind::Blobs => Dataset::blobs(seed),
            DatasetKind::Mnist | DatasetKind::Fashion | DatasetKind::Own => return None,
        })
    }

    /// Every data set's name, built in or read from a file.
    pub const NAMES: &'static [&'static str] = DatasetKind::NAMES;

    /// `N`, the number of samples.
    pub fn len(&self) -> usize {
        self.x.nrows()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `D`, values per input.
    pub fn dim(&self) -> usize {
        self.x.ncols()
    }

    /// The rows of the evaluation subset, in the data's order: every row when there are at
    /// most [`EVAL_SAMPLES`], else [`EVAL_SAMPLES`] rows drawn without replacement from a
    /// fixed seed. The seed is the same for every run, so that a sample's index names the same
    /// image whatever seed a link trains with.
    pub fn evaluation_rows(&self) -> Vec<u32> {
        let n = self.len() as u32;
        let mut rows: Vec<u32> = (0..n).collect();
        if rows.len() > EVAL_SAMPLES {
            shuffle(&mut rows, &mut stream(0, Stream::Subset));
            rows.truncate(EVAL_SAMPLES);
            rows.sort_unstable();
        }
        rows
    }

    /// The samples `rows`, in that order, as a data set of their own (same name and shape).
    pub fn subset(&self, rows: &[u32]) -> Dataset {
        let pick: Vec<usize> = rows.iter().map(|&r| r as usize).collect();
        Dataset {
            name: self.name.clone(),
            x: self.x.select(ndarray::Axis(0), &pick),
            labels: pick.iter().map(|&r| self.labels[r]).collect(),
            factor: self.factor,
            factors: self.factors.select(ndarray::Axis(0), &pick),
            image_size: self.image_size,
            classes: self.classes.clone(),
        }
    }

    /// Copies the rows `indices` into `out` `(indices.len(), D)`, in that order.
    pub fn gather(&self, indices: &[u32], mut out: ArrayViewMut2<f32>) {
        for (mut row, &i) in out.rows_mut().into_iter().zip(indices) {
            row.assign(&self.x.row(i as usize));
        }
    }
}

/// The order in which training visits the samples: a fresh seeded shuffle each epoch, cut into
/// batches; the last partial batch of an epoch is dropped.
#[derive(Clone, Debug)]
pub struct BatchOrder {
    order: Vec<u32>,
    batch: usize,
    next: usize,
    last: std::ops::Range<usize>,
}

impl BatchOrder {
    /// An order over `n` samples in batches of `batch` (`1 ≤ batch ≤ n`). The first epoch is
    /// shuffled on the first call to [`BatchOrder::next_batch`].
    pub fn new(n: usize, batch: usize) -> Self {
        BatchOrder {
            order: (0..n as u32).collect(),
            batch,
            next: n,
            last: 0..0,
        }
    }

    /// Full batches per epoch: `⌊N / B⌋`.
    pub fn batches_per_epoch(&self) -> usize {
        self.order.len() / self.batch
    }

    /// The batch size.
    pub fn batch(&self) -> usize {
        self.batch
    }

    /// Changes the batch size; the current epoch's order is kept and continues from where it
    /// was, with the new size.
    pub fn set_batch(&mut self, batch: usize) {
        self.batch = batch;
    }

    /// The indices of the batch last returned (empty before the first).
    pub fn last(&self) -> &[u32] {
        &self.order[self.last.clone()]
    }

    /// Whether the batch last returned was the last full batch of its epoch.
    pub fn epoch_done(&self) -> bool {
        self.next + self.batch > self.order.len()
    }

    /// The indices of the next batch, reshuffling with `rng` when an epoch is used up.
    pub fn next_batch(&mut self, rng: &mut ChaCha8Rng) -> &[u32] {
        if self.next + self.batch > self.order.len() {
            shuffle(&mut self.order, rng);
            self.next = 0;
        }
        self.last = self.next..self.next + self.batch;
        self.next += self.batch;
        &self.order[self.last.clone()]
    }
}

/// Fisher–Yates shuffle, drawing `u32`s so that the result is the same on 32- and 64-bit targets.
pub fn shuffle(v: &mut [u32], rng: &mut ChaCha8Rng) {
    for i in (1..v.len()).rev() {
        let j = rng.random_range(0..=i as u32) as usize;
        v.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entropy_floor_is_the_datas_own_binary_entropy() {
        let mut d = Dataset::bars(0);
        d.x.fill(1.0);
        assert_eq!(d.entropy_floor(), 0.0, "black and white: no floor");
        d.x.fill(0.5);
        let expected = 64.0 * std::f64::consts::LN_2;
        assert!((d.entropy_floor() - expected).abs() < 1e-9);
        let digits = Dataset::digits().entropy_floor();
        assert!((13.0..15.0).contains(&digits), "{digits}");
    }

    #[test]
    fn the_evaluation_subset_is_fixed_ordered_and_only_cut_from_large_data() {
        let digits = Dataset::digits();
        let all: Vec<u32> = (0..digits.len() as u32).collect();
        assert_eq!(digits.evaluation_rows(), all, "small data: every sample");
        let n = 5 * EVAL_SAMPLES;
        let x = Array2::from_shape_fn((n, 4), |(i, _)| i as f32 / n as f32);
        let big = Dataset::of_classes("big", x, (0..n).map(|i| (i % 10) as u8).collect(), (2, 2));
        let rows = big.evaluation_rows();
        assert_eq!(rows.len(), EVAL_SAMPLES);
        assert!(rows.windows(2).all(|w| w[0] < w[1]), "in order, no repeats");
        assert_eq!(rows, big.evaluation_rows(), "the same rows every call");
        assert!(
            *rows.last().unwrap() as usize > n / 2,
            "drawn from the whole set"
        );
        assert!(
            rows.iter().enumerate().any(|(k, &r)| r as usize != k),
            "not the first rows"
        );
        let sub = big.subset(&rows);
        assert_eq!(sub.len(), EVAL_SAMPLES);
        for (k, &r) in rows.iter().enumerate() {
            assert_eq!(sub.x.row(k), big.x.row(r as usize));
            assert_eq!(sub.labels[k], big.labels[r as usize]);
        }
    }

    #[test]
    fn digits_have_the_published_shape_and_class_counts() {
        let data = Dataset::digits();
        assert_eq!((data.len(), data.dim()), (1797, 64));
        let mut counts = [0usize; 10];
        data.labels.iter().for_each(|&l| counts[l as usize] += 1);
        // The class counts of the UCI test set as scikit-learn ships it.
        assert_eq!(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
        assert!(data.x.iter().all(|&v| (0.0..=1.0).contains(&v)));
        assert_eq!(data.x.iter().fold(0.0f32, |m, &v| m.max(v)), 1.0);
    }

    #[test]
    fn generated_data_is_fixed_by_the_seed() {
        for name in ["bars", "blobs"] {
            let a = Dataset::by_name(name, 3).unwrap();
            assert_eq!(a, Dataset::by_name(name, 3).unwrap(), "{name}");
            assert_ne!(a.x, Dataset::by_name(name, 4).unwrap().x, "{name}");
            assert_eq!((a.len(), a.dim()), (GENERATED_SAMPLES, 64));
            assert!(a.x.iter().all(|&v| (0.0..=1.0).contains(&v)));
            assert!(a.factors.iter().all(|&f| (0.0..1.0).contains(&f)));
        }
    }

    #[test]
    fn the_bar_angle_can_be_read_back_from_the_image() {
        // The principal axis of the ink (second moments about the centre) is the bar's angle.
        let data = Dataset::bars(1);
        for i in 0..200 {
            let (mut sxx, mut syy, mut sxy) = (0.0f32, 0.0f32, 0.0f32);
            for (p, &v) in data.x.row(i).iter().enumerate() {
                let (px, py) = ((p % 8) as f32 + 0.5 - 4.0, 4.0 - (p / 8) as f32 - 0.5);
                sxx += v * px * px;
                syy += v * py * py;
                sxy += v * px * py;
            }
            let est = 0.5 * (2.0 * sxy).atan2(sxx - syy);
            let truth = data.factors[[i, 0]] * std::f32::consts::PI;
            let diff = (est - truth).rem_euclid(std::f32::consts::PI);
            let err = diff.min(std::f32::consts::PI - diff);
            assert!(err < 0.12, "sample {i}: angle {truth}, read back {est}");
            assert_eq!(data.labels[i], ((data.factors[[i, 0]] * 10.0) as u8).min(9));
        }
    }

    #[test]
    fn the_blob_position_can_be_read_back_from_the_image() {
        let data = Dataset::blobs(1);
        for i in 0..200 {
            let (mut m, mut mx, mut my) = (0.0f32, 0.0f32, 0.0f32);
            for (p, &v) in data.x.row(i).iter().enumerate() {
                m += v;
                mx += v * ((p % 8) as f32 + 0.5);
                my += v * (8.0 - (p / 8) as f32 - 0.5);
            }
            let (x, y) = (
                1.5 + 5.0 * data.factors[[i, 0]],
                1.5 + 5.0 * data.factors[[i, 1]],
            );
            assert!(
                (mx / m - x).abs() < 0.35 && (my / m - y).abs() < 0.35,
                "sample {i}: ({x}, {y}) read back ({}, {})",
                mx / m,
                my / m
            );
        }
    }

    #[test]
    fn batches_cover_each_epoch_once_and_drop_the_remainder() {
        let mut rng = stream(0, Stream::Shuffle);
        let mut order = BatchOrder::new(10, 3);
        assert_eq!(order.batches_per_epoch(), 3);
        let epoch = |order: &mut BatchOrder, rng: &mut _| -> Vec<u32> {
            (0..3)
                .flat_map(|_| order.next_batch(rng).to_vec())
                .collect()
        };
        let first = epoch(&mut order, &mut rng);
        let mut seen = first.clone();
        seen.sort();
        seen.dedup();
        assert_eq!(
            seen.len(),
            9,
            "nine distinct samples in one epoch of 3 batches of 3"
        );
        // The next epoch is a new shuffle: the same kind of cover, in another order.
        let second = epoch(&mut order, &mut rng);
        let mut again = second.clone();
        again.sort();
        again.dedup();
        assert_eq!(again.len(), 9);
        assert_ne!(first, second, "each epoch draws a new order");
    }
}

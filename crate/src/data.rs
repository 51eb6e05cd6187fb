//! Data sets and the seeded order in which training visits them.
//!
//! The 8x8 handwritten digits (UCI optical recognition of handwritten digits, test set,
//! E. Alpaydin & C. Kaynak, 1998, CC BY 4.0) are embedded in the crate as `data/digits.bin`,
//! written by `data/encode_digits.py` from the CSV that scikit-learn ships.

use ndarray::{Array2, ArrayViewMut2};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

const DIGITS_BIN: &[u8] = include_bytes!("../data/digits.bin");

/// A data set: `N` inputs of `D` values in `[0, 1]`, each with a label.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// Short name, as in `--dataset`.
    pub name: &'static str,
    /// `(N, D)` inputs in `[0, 1]`.
    pub x: Array2<f32>,
    /// `(N)` class of each input.
    pub labels: Vec<u8>,
    /// Width and height of an input as an image (`D = width · height`).
    pub image_size: (usize, usize),
}

impl Dataset {
    /// The 1797 8x8 handwritten digits, pixels divided by 16, labels 0 to 9.
    pub fn digits() -> Dataset {
        let bytes = DIGITS_BIN;
        assert_eq!(&bytes[..4], b"DIG8", "digits.bin: bad magic");
        let n = u16::from_le_bytes([bytes[4], bytes[5]]) as usize;
        let d = bytes[6] as usize;
        let max = bytes[7] as f32;
        let pixels = &bytes[8..8 + n * d];
        let labels = bytes[8 + n * d..8 + n * d + n].to_vec();
        let x = Array2::from_shape_fn((n, d), |(i, j)| pixels[i * d + j] as f32 / max);
        Dataset {
            name: "digits",
            x,
            labels,
            image_size: (8, 8),
        }
    }

    /// The data set called `name`, or `None`.
    pub fn by_name(name: &str) -> Option<Dataset> {
        match name {
            "digits" => Some(Dataset::digits()),
            _ => None,
        }
    }

    /// The names [`Dataset::by_name`] knows.
    pub const NAMES: &'static [&'static str] = &["digits"];

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
    use crate::rng::{Stream, stream};

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
    fn batches_cover_each_epoch_once_and_drop_the_remainder() {
        let mut rng = stream(0, Stream::Shuffle);
        let mut order = BatchOrder::new(10, 3);
        assert_eq!(order.batches_per_epoch(), 3);
        let mut seen: Vec<u32> = (0..3)
            .flat_map(|_| order.next_batch(&mut rng).to_vec())
            .collect();
        seen.sort();
        seen.dedup();
        assert_eq!(
            seen.len(),
            9,
            "nine distinct samples in one epoch of 3 batches of 3"
        );
        // The fourth batch starts a new epoch with a new order.
        let first_of_next = order.next_batch(&mut rng).to_vec();
        assert_eq!(first_of_next.len(), 3);
    }
}

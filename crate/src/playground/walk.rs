//! A walk between two samples: images decoded along the straight line between their codes.

use super::*;

/// Images decoded along the straight line between two samples' codes.
#[derive(Clone, Debug, PartialEq)]
pub struct Interpolation {
    /// The two samples.
    pub ends: (usize, usize),
    /// `steps · D` values: the images from the first sample's code (μ) to the second's.
    pub images: Vec<f32>,
}

/// Images in an interpolation strip.
pub const STRIP_STEPS: usize = 10;

impl Playground {
    /// [`STRIP_STEPS`] images decoded along the straight line from sample `i`'s code to
    /// sample `j`'s (the VAE from μ to μ); the path shows in the view from the next draw on.
    /// `None` (and no path) if either index is past the data set.
    pub fn interpolate(&mut self, i: usize, j: usize) -> Option<Interpolation> {
        let n = self.data.len();
        if i >= n || j >= n {
            self.pair = None;
            return None;
        }
        self.pair = Some((i, j));
        self.strip()
    }

    /// The strip of the interpolation shown (see [`Playground::interpolate`]), decoded by the
    /// model as it is now; `None` without one.
    pub fn strip(&mut self) -> Option<Interpolation> {
        let (i, j) = self.pair?;
        let model = self.trainer.model();
        // The two codes (the VAE's means), one sample at a time.
        let mut code = |k: usize| {
            model.encode(self.data.x.slice(s![k..k + 1, ..]), &mut self.one);
            self.one.mu.row(0).to_vec()
        };
        let (a, b) = (code(i), code(j));
        decode_line(model, &a, &b, &mut self.strip_ws);
        Some(Interpolation {
            ends: (i, j),
            images: self.strip_ws.probs.iter().copied().collect(),
        })
    }

    /// Removes the interpolation's path from the view.
    pub fn clear_pair(&mut self) {
        self.pair = None;
    }

    /// The interpolation's two samples, if any.
    pub fn pair(&self) -> Option<(usize, usize)> {
        self.pair
    }

    /// Two different samples drawn at random (from the seed's own stream), of the same class
    /// if `same_class` (for generated data: the same tenth of the first factor), else of
    /// different classes; any two different samples if no such pair turns up in a few
    /// thousand draws (a class of one sample).
    pub fn random_pair(&mut self, same_class: bool) -> (usize, usize) {
        let n = self.data.len();
        let labels = &self.data.labels;
        let i = self.picks.random_range(0..n);
        let mut any = (i + 1) % n;
        for _ in 0..4096 {
            let j = self.picks.random_range(0..n);
            if j == i {
                continue;
            }
            any = j;
            if (labels[i] == labels[j]) == same_class {
                break;
            }
        }
        (i, any)
    }

    /// A random input and its nearest neighbour in pixel space: two similar inputs.
    pub fn similar_pair(&mut self) -> (usize, usize) {
        let i = self.picks.random_range(0..self.data.len());
        (i, self.data.nearest_neighbour(i))
    }
}

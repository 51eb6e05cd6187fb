//! The losses the page shows, over windows fixed in steps: the mean over the last epoch's
//! batches (every training sample once), and, at the end of each epoch, a point of the loss
//! chart. Each is a function of the run and the step alone, never of when the page asked, so
//! that two loads of one link, paused at one step, show the same digits.

use crate::model::Loss;

/// One point of the loss chart: the mean of the epoch that ended at `step`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct EpochLoss {
    /// The step the epoch ended at.
    pub step: u64,
    /// Its batches' mean losses, in nats per sample.
    pub loss: f64,
    /// Their reconstruction part.
    pub recon: f64,
    /// Their KL part (0 for an autoencoder).
    pub kl: f64,
}

/// The last steps' losses, in a ring made once (a step stores its loss without allocating).
#[derive(Clone, Debug)]
pub struct LossWindow {
    /// The last `filled` steps' losses, the newest at `next - 1` (modulo the length).
    ring: Vec<Loss>,
    next: usize,
    filled: usize,
    /// Epoch points not yet taken by the page ([`LossWindow::take_points`]).
    points: Vec<EpochLoss>,
}

impl LossWindow {
    /// A window of at most `capacity` steps (at least 1): the most batches an epoch can have.
    pub fn new(capacity: usize) -> Self {
        LossWindow {
            ring: vec![Loss::default(); capacity.max(1)],
            next: 0,
            filled: 0,
            points: Vec::with_capacity(64),
        }
    }

    /// Keeps the loss of the step just taken (`step`, counted from 1); at the end of an epoch
    /// of `batches_per_epoch` steps, adds its mean as a chart point.
    pub fn push(&mut self, loss: Loss, step: u64, batches_per_epoch: usize) {
        self.ring[self.next] = loss;
        self.next = (self.next + 1) % self.ring.len();
        self.filled = (self.filled + 1).min(self.ring.len());
        if batches_per_epoch > 0
            && step.is_multiple_of(batches_per_epoch as u64)
            && let Some(m) = self.mean_of_last(batches_per_epoch)
        {
            self.points.push(EpochLoss {
                step,
                loss: m.loss,
                recon: m.recon,
                kl: m.kl,
            });
        }
    }

    /// The mean loss of the last `n` steps, or of all kept if fewer; None before the first.
    pub fn mean_of_last(&self, n: usize) -> Option<Loss> {
        let n = n.min(self.filled);
        if n == 0 {
            return None;
        }
        let len = self.ring.len();
        let mut sum = Loss::default();
        for k in 1..=n {
            let l = self.ring[(self.next + len - k) % len];
            sum.loss += l.loss;
            sum.recon += l.recon;
            sum.kl += l.kl;
        }
        let n = n as f64;
        Some(Loss {
            loss: sum.loss / n,
            recon: sum.recon / n,
            kl: sum.kl / n,
        })
    }

    /// The chart points since the last call, oldest first.
    pub fn take_points(&mut self) -> Vec<EpochLoss> {
        std::mem::take(&mut self.points)
    }

    /// Forgets every loss (other weights were loaded: the steps before are not theirs).
    pub fn clear(&mut self) {
        self.next = 0;
        self.filled = 0;
        self.points.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loss(v: f64) -> Loss {
        Loss {
            loss: v,
            recon: v / 2.0,
            kl: v / 4.0,
        }
    }

    #[test]
    fn the_mean_is_of_the_last_steps_and_points_come_at_the_ends_of_epochs() {
        let mut w = LossWindow::new(5);
        assert_eq!(w.mean_of_last(3), None);
        for step in 1..=7 {
            w.push(loss(step as f64), step, 3);
        }
        // The last three of 1..=7: 5, 6, 7.
        assert_eq!(w.mean_of_last(3).unwrap().loss, 6.0);
        // More than kept: the five kept, 3..=7.
        assert_eq!(w.mean_of_last(99).unwrap().loss, 5.0);
        let points = w.take_points();
        assert_eq!(
            points.iter().map(|p| (p.step, p.loss)).collect::<Vec<_>>(),
            vec![(3, 2.0), (6, 5.0)]
        );
        assert_eq!(points[1].kl, 1.25);
        assert!(w.take_points().is_empty(), "each point is taken once");
        w.clear();
        assert_eq!(w.mean_of_last(3), None);
    }
}

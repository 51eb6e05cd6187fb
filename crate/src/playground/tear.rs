//! "Tear the plane" on the page: the model's codes torn (see [`crate::tear`]), shown in its
//! view over the map of a decoder retrained on them, and the price reported as it settles.
//! The trained model itself is never changed: the experiment retrains copies of its decoder,
//! and training again ends it.

use super::*;

impl Playground {
    /// Tears the plane of the model as trained so far and starts retraining copies of its
    /// decoder with and without the tear; the view shows the torn codes from the next draw.
    pub fn start_tear(&mut self) -> TearReport {
        // The codes of the samples the view draws (a large data set's evaluation subset).
        self.encode_all();
        let experiment = TearExperiment::of_codes(
            self.trainer.model(),
            self.trainer.config(),
            &self.data,
            self.trainer.noisy(),
            self.codes.mu.clone(),
            self.has_posterior().then(|| self.codes.logvar.clone()),
        );
        let report = experiment.report(&self.data);
        self.tear = Some(experiment);
        report
    }

    /// `steps` more decoder-only steps of the tear's two retrainings (none if no tear runs).
    pub fn advance_tear(&mut self, steps: u64) {
        if let Some(t) = &mut self.tear {
            t.advance(&self.data, steps);
        }
    }

    /// The tear's figures so far, or `None` if no tear runs.
    pub fn tear_report(&self) -> Option<TearReport> {
        self.tear.as_ref().map(|t| t.report(&self.data))
    }

    /// Ends the tear: the view shows the model as trained again from the next draw, which
    /// encodes every sample (the codes held are the torn ones).
    pub fn end_tear(&mut self) {
        if self.tear.take().is_some() {
            self.drawn_at = None;
        }
    }

    /// Whether a tear runs.
    pub fn tearing(&self) -> bool {
        self.tear.is_some()
    }
}

//! A model's figures: trustworthiness and continuity, the path-length ratio, σ, the active
//! dimensions, the spread of the codes and the positions they can tell apart.

use super::*;

impl Playground {
    /// The decoder's path-length ratio (see [`crate::decoder`]) over the seed's pairs of
    /// samples; encodes first.
    pub fn path_ratio(&mut self) -> f64 {
        self.path_ratio_spread().ratio
    }

    /// [`Playground::path_ratio`] with the spread of the pairs' own ratios; encodes first.
    pub fn path_ratio_spread(&mut self) -> crate::decoder::PathRatio {
        self.encode_all();
        crate::decoder::path_ratio_spread(
            self.trainer.model(),
            self.codes.mu.view(),
            &self.pairs,
            &mut self.path_ws,
        )
    }

    /// `n` codes drawn from the model's prior (a VAE: N(0, I); an autoencoder: the Gaussian
    /// fitted to its codes, see [`crate::prior`]), decoded and scored; each call draws new
    /// ones, the first after a reset the same for the same seed. Encodes first.
    pub fn sample_prior(&mut self, n: usize) -> crate::prior::PriorSamples {
        self.encode_all();
        let model = self.trainer.model();
        let source = crate::prior::source_for(model.kind, self.codes.mu.view());
        let z = source.sample_from(n, &mut self.prior_draws);
        crate::prior::score_codes(model, z, &self.data)
    }

    /// The plausibility a good sample reaches: the median of the same figure for the
    /// model's reconstructions of the first `n` inputs (see [`crate::prior`]).
    pub fn prior_reconstruction_level(&mut self, n: usize) -> f64 {
        self.encode_all();
        crate::prior::reconstruction_level(
            self.trainer.model(),
            self.codes.mu.view(),
            n,
            &self.data,
        )
    }

    /// The model's losses on the samples it draws now (see [`Trainer::evaluate`]).
    pub fn evaluate(&self) -> crate::train::Evaluation {
        self.trainer.evaluate_rows(self.data.x.view(), &self.rows)
    }

    /// The active latent dimensions of the codes as they are ([`Playground::codes`]): those
    /// along which the means of the samples vary, `Var_x(μ_k(x)) > 0.01` (Burda et al.,
    /// 2016). A dimension the KL term has pushed onto the prior has the same μ ≈ 0 for every
    /// input, and so carries nothing about it.
    pub fn active_dims(&self) -> usize {
        crate::rate::variances(self.codes.mu.view())
            .into_iter()
            .filter(|&var| var > 0.01)
            .count()
    }

    /// The posterior's σ averaged over samples and latent dimensions, of the codes as they are
    /// (σ₀ for an autoencoder with fixed noise); `None` for the plain AE.
    pub fn mean_sigma(&self) -> Option<f64> {
        let lv = &self.codes.logvar;
        self.has_posterior()
            .then(|| lv.iter().map(|&l| (0.5 * l as f64).exp()).sum::<f64>() / lv.len() as f64)
    }

    /// The spread of the codes as they are (see [`crate::rate::spread`]).
    pub fn spread(&self) -> f64 {
        crate::rate::spread(self.codes.mu.view())
    }

    /// How many positions each latent axis can tell apart, from the codes as they are (see
    /// [`crate::rate::positions_per_axis`]); `None` for a model that trains without noise on
    /// its codes (the plain AE, a VAE on `z = μ`): any two distinct codes can then be told
    /// apart, so the count is unbounded.
    pub fn positions_per_axis(&self) -> Option<Vec<f64>> {
        (self.has_posterior() && self.trainer.noisy()).then(|| {
            crate::rate::positions_per_axis(self.codes.mu.view(), self.codes.logvar.view())
        })
    }

    /// Builds up to `rows` more rows of the input space's neighbour tables, which
    /// [`Playground::neighbourhood`] needs (the digits' take over a second in all, so the page
    /// builds them between training steps); returns whether they are complete.
    pub fn prepare_neighbours(&mut self, rows: usize) -> bool {
        if self.input_neighbours.is_some() {
            return true;
        }
        let data = &self.data;
        let builder = self
            .building
            .get_or_insert_with(|| NeighboursBuilder::new(data.len()));
        if builder.advance(data.x.view(), rows) {
            self.input_neighbours = self.building.take().and_then(NeighboursBuilder::finish);
        }
        self.input_neighbours.is_some()
    }

    /// Trustworthiness and continuity at `k` neighbours between the input space and the
    /// model's latent means, `(T, C)` (see [`crate::metrics`]).
    ///
    /// # Errors
    /// [`MetricError`] if `k` is not below half the number of samples.
    pub fn neighbourhood(&mut self, k: usize) -> Result<(f64, f64), MetricError> {
        self.prepare_neighbours(usize::MAX);
        self.encode_all();
        let input = self.input_neighbours.as_ref().expect("prepared");
        scores(input, self.codes.mu.view(), k)
    }
}

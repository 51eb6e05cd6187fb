//! Drawing a model's view and fitting its axes to the codes.

use super::*;

impl Playground {
    /// Encodes every sample and draws the view, over a freshly decoded map. In fit mode, the
    /// range first moves towards [`Playground::fitted_range`] by [`next_fitted_range`], or
    /// straight to it when the model has not trained since the last draw.
    pub fn draw(&mut self) {
        self.draw_with(true);
    }

    /// As [`Playground::draw`], but over the decoder map already there unless `refresh_map`
    /// or the range changed: while training, the page decodes the map on every third frame
    /// only (it changes slowly, and decoding it costs training time).
    pub fn draw_with(&mut self, refresh_map: bool) {
        self.draw_frame(refresh_map, false);
    }

    /// A frame while training runs as fast as it can: as [`Playground::draw_with`], but from
    /// the codes training computed since the last frame, encoding at most a quarter of the
    /// samples itself, so that every code drawn is at most four frames old
    /// ([`Playground::refresh_codes`]). Once training stops, [`Playground::draw_with`] draws
    /// the codes of the weights as they are.
    pub fn draw_training(&mut self, refresh_map: bool) {
        self.draw_frame(refresh_map, true);
    }

    fn draw_frame(&mut self, refresh_map: bool, training: bool) {
        // While a tear runs the model does not train, so the codes' σ (which the tear keeps)
        // stay as encoded, and only new weights (drawn_at None) call for encoding again.
        if self.tear.is_none() || self.drawn_at.is_none() {
            self.refresh_codes(training);
        }
        if let Some(t) = &self.tear {
            // The torn codes, with the encoder's own σ (the tear keeps it).
            self.codes.mu.assign(&t.torn().codes().mu);
        }
        if self.fit {
            let target = self.fitted_range();
            let now = self.view.range();
            // The codes have not moved since the last fitted draw (a hover, a frame between
            // two steps at a set speed).
            let still = self.fitted_at == Some(self.trainer.steps());
            self.view
                .set_range(next_fitted_range(now, target, self.fit_jump, still));
            self.fit_jump = false;
            self.fitted_at = Some(self.trainer.steps());
        }
        let range = self.view.range();
        if (self.map || self.tiles.is_some()) && (refresh_map || self.map_range != Some(range)) {
            let model = self
                .tear
                .as_ref()
                .map_or(self.trainer.model(), |t| t.torn().model());
            decode_grid(model, range, self.grid, &mut self.map_ws);
            self.map_range = Some(range);
            if let Some(tiles) = &mut self.tiles {
                let side = image_side(self.trainer.model().sizes.input);
                draw_tiles(self.map_ws.probs.view(), self.grid, side, tiles);
                self.tiles_drawn += 1;
            }
            if self.map {
                self.view
                    .set_backdrop(self.map_ws.probs.view(), self.grid, self.data.image_size);
            }
        }
        if !self.map {
            self.view.clear_backdrop();
        }
        let c = &self.codes;
        if self.has_posterior() {
            self.view
                .draw_posteriors(c.mu.view(), c.logvar.view(), &self.colours, self.highlight);
        } else {
            self.view
                .draw_points(c.mu.view(), &self.colours, self.highlight);
        }
        if let Some(t) = &self.tear {
            let cut = t.cut();
            self.view.mark_codes(self.codes.mu.view(), t.met());
            self.view.draw_cut(cut.z1, cut.z2);
        }
        if let Some((i, j)) = self.pair {
            let at = |k: usize| (c.mu[[k, 0]], c.mu[[k, 1]]);
            self.view.draw_path(at(i), at(j));
        }
        let posterior = self.has_posterior();
        if let Some(x) = self
            .drawing
            .as_ref()
            .filter(|_| !self.trainer.has_free_codes())
        {
            // Only the code is needed here: encoded into the one-sample buffers.
            let one = &mut self.one;
            self.trainer.model().encode(x.view(), one);
            let mu = (one.mu[[0, 0]], one.mu[[0, 1]]);
            let sigma = posterior.then(|| {
                (
                    (0.5 * one.logvar[[0, 0]]).exp(),
                    (0.5 * one.logvar[[0, 1]]).exp(),
                )
            });
            self.view.mark_drawing(mu, sigma);
        }
    }

    /// Shows the decoder map under the view (`true`) or a white background, from the next
    /// draw on.
    pub fn set_map(&mut self, on: bool) {
        if on && !self.map {
            self.map_range = None; // decoded anew under the codes at the next draw
        }
        self.map = on;
    }

    /// Whether the decoder map shows.
    pub fn map(&self) -> bool {
        self.map
    }

    /// Draws the decoder map as a grid of tiles beside the view (`true`), from the next draw
    /// on, or stops drawing it.
    pub fn set_tiles(&mut self, on: bool) {
        if on != self.tiles.is_some() {
            self.tiles = on.then(Vec::new);
            self.map_range = None;
        }
    }

    /// The decoder map as a grid of tiles (RGBA, row-major, [`Playground::tiles_size`]²) at
    /// its last drawing, and how many times it has been drawn; `None` unless
    /// [`Playground::set_tiles`] turned it on.
    pub fn tiles(&self) -> Option<(&[u8], u64)> {
        self.tiles.as_deref().map(|t| (t, self.tiles_drawn))
    }

    /// Width and height of the grid of tiles, in pixels.
    pub fn tiles_size(&self) -> usize {
        tiles_size(self.grid, image_side(self.trainer.model().sizes.input))
    }

    /// The view's pixels at the last draw (RGBA, row-major, `size × size`).
    pub fn pixels(&self) -> &[u8] {
        self.view.rgba()
    }

    /// The view.
    pub fn view(&self) -> &LatentView {
        &self.view
    }

    /// Sets the half-width of the view.
    ///
    /// # Errors
    /// [`ConfigError::Range`] unless `MIN_RANGE ≤ range ≤ MAX_RANGE`.
    pub fn set_range(&mut self, range: f32) -> Result<(), ConfigError> {
        check_range(range)?;
        self.view.set_range(range);
        Ok(())
    }

    /// Makes the view follow the codes (`true`) or keep its range (`false`).
    pub fn set_fit(&mut self, fit: bool) {
        self.fit_jump = fit && !self.fit;
        self.fit = fit;
    }

    /// In fit mode, makes the next draw go straight to the fitted range (training has
    /// stopped: the view settles where the codes are, and holds still there).
    pub fn settle_view(&mut self) {
        self.fit_jump = self.fit;
    }

    /// Whether the view follows the codes.
    pub fn fit(&self) -> bool {
        self.fit
    }

    /// The half-width that shows every mean, and 98% of the posteriors out to `|μ| + σ`,
    /// with a margin, and never less than 2.5, so that the prior's 2σ circle stays in view.
    /// Uses the last encoding.
    pub fn fitted_range(&mut self) -> f32 {
        self.extents.clear();
        let c = &self.codes;
        let mut farthest = 0.0f32;
        for m in c.mu.iter().filter(|m| m.is_finite()) {
            farthest = farthest.max(m.abs());
        }
        if self.has_posterior() {
            for (&m, &lv) in c.mu.iter().zip(c.logvar.iter()) {
                self.extents.push(m.abs() + (0.5 * lv).exp());
            }
        } else {
            self.extents.extend(c.mu.iter().map(|m| m.abs()));
        }
        self.extents.retain(|e| e.is_finite());
        if self.extents.is_empty() {
            return MAX_RANGE as f32;
        }
        let k = (self.extents.len() as f32 * 0.98) as usize;
        let k = k.min(self.extents.len() - 1);
        let (_, &mut p, _) = self.extents.select_nth_unstable_by(k, f32::total_cmp);
        (1.15 * p).max(1.05 * farthest).clamp(2.5, MAX_RANGE as f32)
    }

    /// The sample nearest to pixel `(x, y)` of the view, within `radius` pixels, at the last
    /// encoding; it is outlined from the next draw on. `None` clears the outline.
    pub fn pick(&mut self, x: f32, y: f32, radius: f32) -> Option<usize> {
        self.highlight = self.view.nearest(self.codes.mu.view(), x, y, radius);
        self.highlight
    }

    /// Outlines sample `index` from the next draw on (`None`: nothing).
    pub fn set_highlight(&mut self, index: Option<usize>) {
        self.highlight = index.filter(|&i| i < self.data.len());
    }
}

/// The fitted view's next half-width, from `now` towards `target`: `target` on the first
/// fitted draw or when training stops (`jump`). When the codes have not moved since the last
/// fitted draw (`still`), `now` if it holds them with at most [`GROWTH_ROOM`] to spare, else
/// `target` at once, so that the view holds still while the visitor points at it. Otherwise:
/// at once when the codes need more room (no mean is ever off the view), with
/// [`GROWTH_ROOM`] to spare; a tenth of the way (in log scale) when they need less than 85% of
/// it; otherwise unchanged, so that the axes hold still while the codes jitter.
pub fn next_fitted_range(now: f32, target: f32, jump: bool, still: bool) -> f32 {
    let room = (target * GROWTH_ROOM).min(MAX_RANGE as f32);
    if jump {
        target
    } else if still {
        if (target..=room).contains(&now) {
            now
        } else {
            target
        }
    } else if target > now {
        room
    } else if target < 0.85 * now {
        (now.ln() + 0.1 * (target.ln() - now.ln())).exp()
    } else {
        now
    }
}

/// How much more room than they need a fitted view gives codes that spread: early in
/// training they spread on every frame, and a view that grew to fit them exactly moved its
/// axes, and decoded its map again, on every frame.
pub const GROWTH_ROOM: f32 = 1.1;

/// The side of a square image of `pixels` pixels.
///
/// **Panics** unless `pixels` is a square.
pub fn image_side(pixels: usize) -> usize {
    let side = (pixels as f64).sqrt().round() as usize;
    assert_eq!(side * side, pixels, "a square image");
    side
}

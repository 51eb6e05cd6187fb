//! Drawing the latent views as RGBA pixels: pure functions, tested natively, that the web
//! layer puts on a canvas. The colours samples are drawn in, and the legends of those
//! colours, are in [`colours`]; the decoder map as a grid of tiles is in [`tiles`]; this file
//! rasterises the views.
//!
//! A view shows the square `[-range, range]²` of a 2-D latent space, `y` pointing up. The VAE
//! view draws each sample's posterior as a translucent ellipse centred on μ with half-axes
//! `σ = exp(½ log σ²)` (1σ); the AE view draws each code as a small disc. Both are coloured by
//! class.
//!
//! **How overlap is drawn.** Each shape adds its coverage `c` (antialiased, between 0 and 1
//! per pixel) to a coverage plane `n`, and `c` times its class colour to three colour planes.
//! Then every pixel with total coverage `n` gets opacity `1 − (1 − α)ⁿ` (as if `n` shapes of
//! opacity `α` lay on top of each other) and the coverage-weighted mean colour of the shapes
//! over it. So overlap darkens, the picture does not depend on the order in which samples are
//! drawn, and a region shared by two classes shows both colours mixed.
//!
//! An ellipse that shrinks towards a point weighs more in `n` (up to the weight that gives it
//! the AE points' opacity on its own) and is never drawn smaller than an AE point, so a
//! collapsed posterior (β = 0) looks like the AE's point rather than vanishing.
//!
//! Shapes are added as per-row difference arrays (`+c` where a span starts, `−c` where it
//! ends, then one running sum per row), so an ellipse costs a few operations per row it
//! touches, not per pixel it covers. The picture is made a band of [`BAND`] rows at a time:
//! the band's shapes go into its rows of planes, which are summed and blended into the
//! pixels at once, so that the planes stay in the processor's caches.

use ndarray::ArrayView2;

mod colours;
mod tiles;

pub use colours::{CLASS_COLOURS, cyclic_colour, legend_rgba, sample_colours, square_colour};
pub use tiles::{draw_tiles, tiles_size};

const BACKGROUND: [u8; 3] = [0xFF, 0xFF, 0xFF];
const GRID: [u8; 3] = [0xE4, 0xE4, 0xE4];
const AXIS: [u8; 3] = [0xB0, 0xB0, 0xB0];
const PRIOR: [u8; 3] = [0x20, 0x20, 0x20];
const HIGHLIGHT: [u8; 3] = [0x00, 0x00, 0x00];
/// The drawing pad's input: a vivid red, drawn on a white halo.
const DRAWING_MARK: [u8; 3] = [0xE0, 0x10, 0x10];
/// How dark full ink of the decoder map is (out of 255): light enough that shapes read over it.
pub const MAP_INK: f32 = 100.0;

/// Vertical sub-samples per pixel row when adding shapes (antialiasing of top and bottom edges).
const SUBROWS: usize = 4;
/// Rows of an ellipse whose top and bottom lie within this fraction of its half-height from
/// its centre are covered by one span, not [`SUBROWS`].
const INNER_ROWS: f32 = 0.8;

/// Rows of the view whose shapes are added and composed together.
const BAND: usize = 16;

/// Opacity of one VAE ellipse.
pub const ELLIPSE_ALPHA: f32 = 0.06;
/// Opacity of one AE point.
pub const POINT_ALPHA: f32 = 0.75;
/// Radius of an AE point, in pixels.
pub const POINT_RADIUS: f32 = 2.2;

/// Spacing of grid lines for a view of half-width `range`: 1, 2 or 5 times a power of ten,
/// giving between 4 and 10 lines across.
pub fn tick_step(range: f32) -> f32 {
    let raw = 2.0 * range / 8.0;
    let power = 10f32.powf(raw.log10().floor());
    let m = raw / power;
    let nice = if m < 1.5 {
        1.0
    } else if m < 3.5 {
        2.0
    } else if m < 7.5 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// A square latent view and its pixel buffers, allocated once.
#[derive(Clone, Debug)]
pub struct LatentView {
    /// Width and height in pixels.
    size: usize,
    /// The view shows `[-range, range]²`.
    range: f32,
    /// RGBA, row-major, `size · size · 4` bytes.
    rgba: Vec<u8>,
    /// A band of [`BAND`] rows of four planes interleaved, `size + 1` cells a row (one spare
    /// for the difference arrays) of coverage, then coverage times red, green and blue: one
    /// span of a shape updates all four at once.
    planes: Vec<[f32; 4]>,
    /// The shapes of the draw under way, in the order of their samples.
    shapes: Vec<Shape>,
    /// Which shapes reach each band, in the order of `shapes` (so each pixel sums its shapes
    /// in the same order whatever the bands): band `b`'s are
    /// `band_shapes[band_starts[b]..band_starts[b + 1]]` (see [`LatentView::fill_shapes`]).
    band_starts: Vec<usize>,
    band_shapes: Vec<u32>,
    /// Samples whose shape lies entirely outside the view at the last draw.
    outside: usize,
    /// Whether posteriors are drawn over the prior's 1σ and 2σ circles (a VAE's prior; an
    /// autoencoder with fixed noise has none).
    prior_circles: bool,
    /// `size · size` grey levels under the shapes (the decoder map), if any.
    backdrop: Option<Vec<u8>>,
}

impl LatentView {
    /// A view of `size × size` pixels showing `[-range, range]²`.
    pub fn new(size: usize, range: f32) -> Self {
        LatentView {
            size,
            range,
            rgba: vec![0; size * size * 4],
            planes: vec![[0.0; 4]; BAND * (size + 1)],
            shapes: Vec::new(),
            band_starts: vec![0; size.div_ceil(BAND) + 1],
            band_shapes: Vec::new(),
            outside: 0,
            prior_circles: true,
            backdrop: None,
        }
    }

    /// Width and height in pixels.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Half-width of the square shown, in latent units.
    pub fn range(&self) -> f32 {
        self.range
    }

    /// Changes the part of the latent space shown.
    pub fn set_range(&mut self, range: f32) {
        self.range = range;
    }

    /// The pixels of the last draw: RGBA, row-major.
    pub fn rgba(&self) -> &[u8] {
        &self.rgba
    }

    /// How many samples lay entirely outside the view at the last draw.
    pub fn outside(&self) -> usize {
        self.outside
    }

    /// Paints decoded images under the shapes from the next draw on: `images` `(grid², w·h)`,
    /// pixel probabilities of `grid × grid` tiles of `w × h` images (`image`) laid out as
    /// [`crate::decoder::decode_grid`] decodes them, each scaled (nearest pixel) to its part
    /// of the view, ink `p` drawn as grey `255 − MAP_INK·p`.
    pub fn set_backdrop(&mut self, images: ArrayView2<f32>, grid: usize, image: (usize, usize)) {
        let (w, h) = image;
        assert_eq!(
            images.dim(),
            (grid * grid, w * h),
            "grid² images of w·h pixels"
        );
        let size = self.size;
        let backdrop = self.backdrop.get_or_insert_with(|| vec![255; size * size]);
        for y in 0..size {
            // Image row: which tile, then which of its h pixel rows.
            let fy = y * grid * h / size;
            let (tile_row, pixel_row) = (fy / h, fy % h);
            for x in 0..size {
                let fx = x * grid * w / size;
                let (tile_col, pixel_col) = (fx / w, fx % w);
                let p = images[[tile_row * grid + tile_col, pixel_row * w + pixel_col]];
                backdrop[y * size + x] = (255.0 - MAP_INK * p.clamp(0.0, 1.0)).round() as u8;
            }
        }
    }

    /// Removes the decoded images: a white background from the next draw on.
    pub fn clear_backdrop(&mut self) {
        self.backdrop = None;
    }

    /// Draws, over the last draw, the straight path between latent points `a` and `b` with
    /// a ring at each end (an interpolation's path).
    pub fn draw_path(&mut self, a: (f32, f32), b: (f32, f32)) {
        let (ax, ay) = self.to_pixel(a.0, a.1);
        let (bx, by) = self.to_pixel(b.0, b.1);
        self.segment(ax, ay, bx, by, 2.0, HIGHLIGHT, 0.9);
        for (x, y) in [(ax, ay), (bx, by)] {
            self.ring(x, y, 5.0, 5.0, 2.0, HIGHLIGHT, 1.0);
        }
    }

    /// Draws, over the last draw, the tear of the plane: the cut along `z₂ = z2` across the
    /// view, and the mirror `z₁ = z1` above it, across which the codes above the cut were
    /// reflected.
    pub fn draw_cut(&mut self, z1: f32, z2: f32) {
        let size = self.size as f32;
        let (mx, cy) = self.to_pixel(z1, z2);
        let cy = cy.clamp(0.0, size);
        for (colour, width) in [(BACKGROUND, 5.0), (DRAWING_MARK, 2.5)] {
            self.segment(0.0, cy, size, cy, width, colour, 1.0);
        }
        if (0.0..=size).contains(&mx) {
            // The mirror: dashes, so it reads as an axis rather than a second cut.
            let mut y = cy;
            while y > 0.0 {
                let end = (y - 8.0).max(0.0);
                self.segment(mx, y, mx, end, 1.5, DRAWING_MARK, 0.9);
                y -= 14.0;
            }
        }
    }

    /// Draws, over the last draw, a ring around the codes `indices` of `codes` `(N, Z)` (the
    /// samples the tear brought next to another class).
    pub fn mark_codes(&mut self, codes: ArrayView2<f32>, indices: &[usize]) {
        for &i in indices.iter().filter(|&&i| i < codes.nrows()) {
            let (cx, cy) = self.to_pixel(codes[[i, 0]], codes[[i, 1]]);
            self.ring(cx, cy, 4.5, 4.5, 1.2, HIGHLIGHT, 0.85);
        }
    }

    /// Draws, over the last draw, a marker for an input that is not in the data set (the
    /// drawing pad's): a cross at `centre` and, for the VAE, its 1σ ellipse (`sigma`).
    pub fn mark_drawing(&mut self, centre: (f32, f32), sigma: Option<(f32, f32)>) {
        let (cx, cy) = self.to_pixel(centre.0, centre.1);
        let s = self.scale();
        // A white halo under a red line, so the marker shows over any colour.
        for (colour, width) in [(BACKGROUND, 5.0), (DRAWING_MARK, 2.5)] {
            if let Some((sx, sy)) = sigma {
                let (rx, ry) = ((sx * s).max(1.0), (sy * s).max(1.0));
                self.ring(cx, cy, rx, ry, width, colour, 1.0);
            }
            for (dx, dy) in [(7.0, 7.0), (7.0, -7.0)] {
                self.segment(cx - dx, cy - dy, cx + dx, cy + dy, width, colour, 1.0);
            }
        }
    }

    /// Pixels per latent unit.
    pub fn scale(&self) -> f32 {
        self.size as f32 / (2.0 * self.range)
    }

    /// Latent `(z0, z1)` to pixel coordinates (`x` right, `y` down; pixel centres at `i + ½`).
    pub fn to_pixel(&self, z0: f32, z1: f32) -> (f32, f32) {
        let s = self.scale();
        ((z0 + self.range) * s, (self.range - z1) * s)
    }

    /// Pixel coordinates to latent `(z0, z1)`.
    pub fn to_latent(&self, x: f32, y: f32) -> (f32, f32) {
        let s = self.scale();
        (x / s - self.range, self.range - y / s)
    }

    /// Draws the prior's 1σ and 2σ circles over the posteriors (`true`, the default) or not.
    pub fn set_prior_circles(&mut self, on: bool) {
        self.prior_circles = on;
    }

    /// Draws the VAE's posteriors: for sample `i`, an ellipse centred on `mu[i]` with half-axes
    /// `exp(½ logvar[i])`, over the grid and under the prior's 1σ and 2σ circles. `highlight`
    /// outlines one sample.
    ///
    /// `mu`, `logvar`: `(N, 2)` (further columns are ignored); `colours`: `(N)`.
    pub fn draw_posteriors(
        &mut self,
        mu: ArrayView2<f32>,
        logvar: ArrayView2<f32>,
        colours: &[[u8; 3]],
        highlight: Option<usize>,
    ) {
        self.shapes.clear();
        let s = self.scale();
        let mut outside = 0;
        // The weight that gives one shape the opacity of an AE point: 1 − (1 − α)^w = POINT_ALPHA.
        let point_weight = (1.0 - POINT_ALPHA).ln() / (1.0 - ELLIPSE_ALPHA).ln();
        let point_area = POINT_RADIUS * POINT_RADIUS;
        for (i, &colour) in colours.iter().enumerate() {
            let (cx, cy) = self.to_pixel(mu[[i, 0]], mu[[i, 1]]);
            let rx = ((0.5 * logvar[[i, 0]]).exp() * s).max(POINT_RADIUS);
            let ry = ((0.5 * logvar[[i, 1]]).exp() * s).max(POINT_RADIUS);
            let weight = (point_weight * point_area / (rx * ry)).clamp(1.0, point_weight);
            if !self.add_ellipse(colour, cx, cy, rx, ry, weight) {
                outside += 1;
            }
        }
        self.outside = outside;
        self.paint_grid();
        self.fill_shapes(ELLIPSE_ALPHA);
        let (ox, oy) = self.to_pixel(0.0, 0.0);
        let circles: &[f32] = if self.prior_circles { &[1.0, 2.0] } else { &[] };
        for &k in circles {
            self.ring(ox, oy, k * s, k * s, 1.0, PRIOR, 0.55);
        }
        if let Some(i) = highlight.filter(|&i| i < colours.len()) {
            let (cx, cy) = self.to_pixel(mu[[i, 0]], mu[[i, 1]]);
            let rx = (0.5 * logvar[[i, 0]]).exp() * s;
            let ry = (0.5 * logvar[[i, 1]]).exp() * s;
            self.ring(cx, cy, rx, ry, 1.5, HIGHLIGHT, 1.0);
            self.ring(cx, cy, 2.5, 2.5, 1.5, HIGHLIGHT, 1.0);
        }
    }

    /// Draws the AE's codes: a small disc at `codes[i]` for each sample, over the grid.
    ///
    /// `codes`: `(N, 2)` (further columns are ignored); `colours`: `(N)`.
    pub fn draw_points(
        &mut self,
        codes: ArrayView2<f32>,
        colours: &[[u8; 3]],
        highlight: Option<usize>,
    ) {
        self.shapes.clear();
        let mut outside = 0;
        for (i, &colour) in colours.iter().enumerate() {
            let (cx, cy) = self.to_pixel(codes[[i, 0]], codes[[i, 1]]);
            if !self.add_ellipse(colour, cx, cy, POINT_RADIUS, POINT_RADIUS, 1.0) {
                outside += 1;
            }
        }
        self.outside = outside;
        self.paint_grid();
        self.fill_shapes(POINT_ALPHA);
        if let Some(i) = highlight.filter(|&i| i < colours.len()) {
            let (cx, cy) = self.to_pixel(codes[[i, 0]], codes[[i, 1]]);
            self.ring(cx, cy, 5.0, 5.0, 1.5, HIGHLIGHT, 1.0);
        }
    }

    /// Adds an axis-aligned ellipse of colour `colour`, counted `weight` times, to the shapes
    /// of the draw under way. Returns whether any of it lies in the view.
    #[allow(clippy::too_many_arguments)]
    fn add_ellipse(
        &mut self,
        colour: [u8; 3],
        cx: f32,
        cy: f32,
        rx: f32,
        ry: f32,
        weight: f32,
    ) -> bool {
        let n = self.size as f32;
        if !(cx.is_finite() && cy.is_finite() && rx.is_finite() && ry.is_finite()) {
            return false;
        }
        if cx + rx <= 0.0 || cx - rx >= n || cy + ry <= 0.0 || cy - ry >= n {
            return false;
        }
        // Shapes smaller than a pixel still cover about their area, spread over one pixel.
        let (rx, ry) = (rx.max(0.5), ry.max(0.5));
        let w = 1.0 / SUBROWS as f32;
        let weights = [
            w * weight,
            w * (weight * colour[0] as f32),
            w * (weight * colour[1] as f32),
            w * (weight * colour[2] as f32),
        ];
        self.shapes.push(Shape {
            cx,
            cy,
            rx,
            per_ry: 1.0 / ry,
            weights,
            whole: weights.map(|x| x * SUBROWS as f32),
            top: (cy - ry).max(0.0) as usize,
            bottom: ((cy + ry).ceil() as usize).min(self.size),
        });
        true
    }

    /// The shapes into the pixels, a band of rows at a time: the band's spans into its
    /// planes, then each row composed over what `rgba` holds ([`compose_row`]).
    fn fill_shapes(&mut self, alpha: f32) {
        let (size, stride) = (self.size, self.size + 1);
        // Which shapes reach each band: a count per band, summed into each band's end in
        // band_shapes; then the lists, each filled from its end backwards, the last shape
        // first, which leaves each entry at its band's start.
        let starts = &mut self.band_starts;
        starts.fill(0);
        for shape in &self.shapes {
            for count in &mut starts[shape.top / BAND..shape.bottom.div_ceil(BAND)] {
                *count += 1;
            }
        }
        let mut end = 0;
        for entry in starts.iter_mut() {
            end += *entry;
            *entry = end;
        }
        self.band_shapes.clear();
        self.band_shapes.resize(end, 0);
        for (i, shape) in self.shapes.iter().enumerate().rev() {
            for start in &mut starts[shape.top / BAND..shape.bottom.div_ceil(BAND)] {
                *start -= 1;
                self.band_shapes[*start] = i as u32;
            }
        }
        let log_keep = (1.0 - alpha).ln();
        for band in 0..starts.len() - 1 {
            let (top, bottom) = (band * BAND, ((band + 1) * BAND).min(size));
            let (first, last) = (self.band_starts[band], self.band_starts[band + 1]);
            if first == last {
                continue;
            }
            self.planes.fill([0.0; 4]);
            let mut touched = [false; BAND];
            for &i in &self.band_shapes[first..last] {
                let shape = &self.shapes[i as usize];
                for row in shape.top.max(top)..shape.bottom.min(bottom) {
                    let line = &mut self.planes[(row - top) * stride..(row - top + 1) * stride];
                    shape.add_row(line, row);
                    touched[row - top] = true;
                }
            }
            for row in top..bottom {
                if touched[row - top] {
                    let line = &mut self.planes[(row - top) * stride..(row - top) * stride + size];
                    compose_row(
                        line,
                        &mut self.rgba[row * size * 4..(row + 1) * size * 4],
                        log_keep,
                    );
                }
            }
        }
    }

    /// Background and grid lines into `rgba`.
    fn paint_grid(&mut self) {
        match &self.backdrop {
            Some(greys) => {
                for (px, &g) in self.rgba.chunks_exact_mut(4).zip(greys) {
                    px.copy_from_slice(&[g, g, g, 255]);
                }
            }
            None => {
                for px in self.rgba.chunks_exact_mut(4) {
                    px.copy_from_slice(&[BACKGROUND[0], BACKGROUND[1], BACKGROUND[2], 255]);
                }
            }
        }
        let step = tick_step(self.range);
        let first = (-self.range / step).ceil() as i32;
        let last = (self.range / step).floor() as i32;
        for k in first..=last {
            let v = k as f32 * step;
            let (x, y) = self.to_pixel(v, v);
            let colour = if k == 0 { AXIS } else { GRID };
            let x = (x.round() as usize).min(self.size - 1);
            let y = (y.round() as usize).min(self.size - 1);
            for t in 0..self.size {
                self.put(x, t, colour);
                self.put(t, y, colour);
            }
        }
    }

    fn put(&mut self, x: usize, y: usize, colour: [u8; 3]) {
        let o = (y * self.size + x) * 4;
        self.rgba[o..o + 3].copy_from_slice(&colour);
    }

    /// An antialiased outline of the ellipse `((x − cx)/rx)² + ((y − cy)/ry)² = 1`, `width`
    /// pixels wide, blended over `rgba`.
    #[allow(clippy::too_many_arguments)]
    fn ring(
        &mut self,
        cx: f32,
        cy: f32,
        rx: f32,
        ry: f32,
        width: f32,
        colour: [u8; 3],
        alpha: f32,
    ) {
        if !(cx.is_finite() && cy.is_finite() && rx > 0.0 && ry > 0.0) {
            return;
        }
        let n = self.size as f32;
        let pad = width + 1.0;
        let x0 = (cx - rx - pad).max(0.0) as usize;
        let x1 = ((cx + rx + pad).min(n)).max(0.0) as usize;
        let y0 = (cy - ry - pad).max(0.0) as usize;
        let y1 = ((cy + ry + pad).min(n)).max(0.0) as usize;
        // A pixel is touched only within `reach` of the curve: there `|q − 1| < reach / r`
        // for the smaller half-axis r (the distance below is at least `|q − 1|·r`). So each
        // row visits the pixels between the ellipses `q = 1 ± e`, a pixel wider on each side.
        let reach = 0.5 * width + 0.5;
        let e = reach / rx.min(ry);
        for y in y0..y1 {
            let dy = y as f32 + 0.5 - cy;
            let v2 = (dy / ry) * (dy / ry);
            let outer = rx * ((1.0 + e) * (1.0 + e) - v2).max(0.0).sqrt() + 1.0;
            let inner = rx * ((1.0 - e).max(0.0).powi(2) - v2).max(0.0).sqrt() - 1.0;
            let left = (cx - outer).floor().max(x0 as f32) as usize;
            let right = ((cx + outer).ceil() as usize).min(x1);
            // The hole in the middle of the row, if any: pixels whose centre is within `inner`.
            let (hole0, hole1) = match inner > 0.0 {
                true => (
                    (cx - inner).ceil().max(0.0) as usize,
                    (cx + inner).floor().max(0.0) as usize,
                ),
                false => (usize::MAX, 0),
            };
            for x in left..right {
                if x >= hole0 && x < hole1 {
                    continue;
                }
                let dx = x as f32 + 0.5 - cx;
                let (u, v) = (dx / rx, dy / ry);
                let q = (u * u + v * v).sqrt();
                // Distance to the curve ≈ (q − 1) / |∇q|.
                let grad = ((u / rx).powi(2) + (v / ry).powi(2)).sqrt() / q.max(1e-6);
                let d = ((q - 1.0) / grad.max(1e-6)).abs();
                let cover = (0.5 * width + 0.5 - d).clamp(0.0, 1.0) * alpha;
                if cover > 0.0 {
                    let o = (y * self.size + x) * 4;
                    for (under, &over) in self.rgba[o..o + 3].iter_mut().zip(&colour) {
                        let u = *under as f32;
                        *under = (u + (over as f32 - u) * cover).round() as u8;
                    }
                }
            }
        }
    }

    /// An antialiased segment from `(x0, y0)` to `(x1, y1)`, `width` pixels wide, blended
    /// over `rgba`.
    #[allow(clippy::too_many_arguments)]
    fn segment(
        &mut self,
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
        width: f32,
        colour: [u8; 3],
        alpha: f32,
    ) {
        if ![x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
            return;
        }
        let n = self.size as f32;
        let pad = width + 1.0;
        let left = (x0.min(x1) - pad).clamp(0.0, n) as usize;
        let right = (x0.max(x1) + pad).clamp(0.0, n) as usize;
        let top = (y0.min(y1) - pad).clamp(0.0, n) as usize;
        let bottom = (y0.max(y1) + pad).clamp(0.0, n) as usize;
        let (dx, dy) = (x1 - x0, y1 - y0);
        let len2 = (dx * dx + dy * dy).max(1e-6);
        for y in top..bottom {
            let py = y as f32 + 0.5;
            for x in left..right {
                let px = x as f32 + 0.5;
                let t = (((px - x0) * dx + (py - y0) * dy) / len2).clamp(0.0, 1.0);
                let d = ((px - x0 - t * dx).powi(2) + (py - y0 - t * dy).powi(2)).sqrt();
                let cover = (0.5 * width + 0.5 - d).clamp(0.0, 1.0) * alpha;
                if cover > 0.0 {
                    let o = (y * self.size + x) * 4;
                    for (under, &over) in self.rgba[o..o + 3].iter_mut().zip(&colour) {
                        let u = *under as f32;
                        *under = (u + (over as f32 - u) * cover).round() as u8;
                    }
                }
            }
        }
    }

    /// The sample whose centre is nearest to pixel `(x, y)`, if one lies within `radius`
    /// pixels. `centres`: `(N, 2)` latent coordinates.
    pub fn nearest(&self, centres: ArrayView2<f32>, x: f32, y: f32, radius: f32) -> Option<usize> {
        let mut best = None;
        let mut best_d2 = radius * radius;
        for (i, row) in centres.rows().into_iter().enumerate() {
            let (px, py) = self.to_pixel(row[0], row[1]);
            let d2 = (px - x).powi(2) + (py - y).powi(2);
            if d2 <= best_d2 {
                best_d2 = d2;
                best = Some(i);
            }
        }
        best
    }
}

/// An axis-aligned ellipse to fill, as [`LatentView::add_ellipse`] took it: its centre and
/// half-axes in pixels (each at least ½), its weight per plane for a sub-row and for a whole
/// row, and the rows it reaches.
#[derive(Clone, Copy, Debug)]
struct Shape {
    cx: f32,
    cy: f32,
    rx: f32,
    per_ry: f32,
    weights: [f32; 4],
    whole: [f32; 4],
    top: usize,
    bottom: usize,
}

impl Shape {
    /// Adds the ellipse's part of pixel row `row` to `line` (a row of planes).
    #[inline]
    fn add_row(&self, line: &mut [[f32; 4]], row: usize) {
        let Shape {
            cx, cy, rx, per_ry, ..
        } = *self;
        // Well inside the ellipse the half-width changes slowly down a row: one span at the
        // row's middle covers it as the sub-rows would (within a hundredth of a pixel); the
        // sub-rows are for the rows near its top and bottom, where it changes fast.
        let (t0, t1) = ((row as f32 - cy) * per_ry, (row as f32 + 1.0 - cy) * per_ry);
        if t0.abs().max(t1.abs()) < INNER_ROWS {
            let t = (row as f32 + 0.5 - cy) * per_ry;
            let half = rx * (1.0 - t * t).sqrt();
            add_span(line, cx - half, cx + half, self.whole);
            return;
        }
        let w = 1.0 / SUBROWS as f32;
        for sub in 0..SUBROWS {
            let y = row as f32 + (sub as f32 + 0.5) * w;
            let t = (y - cy) * per_ry;
            if t.abs() >= 1.0 {
                continue;
            }
            let half = rx * (1.0 - t * t).sqrt();
            add_span(line, cx - half, cx + half, self.weights);
        }
    }
}

/// Running sums of one row of planes (`cells`, a difference array), then each of its pixels
/// in `rgba`: opacity `1 − (1 − α)ⁿ` (`log_keep` = `ln(1 − α)`), colour the coverage-weighted
/// mean colour, over what `rgba` holds.
///
/// The running sums replace the row's differences in place; the opacities are then computed
/// four pixels at a time (in WebAssembly, one SIMD `exp` for four), and each pixel blended
/// ([`blend`]: in WebAssembly, its three colours at once).
fn compose_row(cells: &mut [[f32; 4]], rgba: &mut [u8], log_keep: f32) {
    let mut sum = [0.0f32; 4];
    for cell in cells.iter_mut() {
        for (s, c) in sum.iter_mut().zip(cell.iter()) {
            *s += c;
        }
        *cell = sum;
    }
    for (cells, rgba) in cells.chunks(4).zip(rgba.chunks_mut(16)) {
        // e^(n ln(1 − α)) = (1 − α)ⁿ; far below e^(−80) it is 0 for a pixel.
        let mut powers = [0.0f32; 4];
        for (p, cell) in powers.iter_mut().zip(cells) {
            *p = (cell[0] * log_keep).clamp(-80.0, 0.0);
        }
        let keep = exp4(powers);
        for ((cell, px), keep) in cells.iter().zip(rgba.chunks_exact_mut(4)).zip(keep) {
            if cell[0] > 1e-4 {
                blend(cell, px, 1.0 - keep);
            }
        }
    }
}

/// One pixel `px` (RGBA) under the shapes' sums `cell` (coverage `n`, then the colours times
/// coverage): each colour channel goes `opacity` of the way to the mean colour `cell / n`,
/// rounded; alpha stays. In WebAssembly the three channels at once, in the same arithmetic
/// ([`blend_lanes`]); elsewhere one after the other ([`blend_each`]).
#[inline(always)]
fn blend(cell: &[f32; 4], px: &mut [u8], opacity: f32) {
    #[cfg(target_arch = "wasm32")]
    {
        let rgba = u32::from_le_bytes([px[0], px[1], px[2], px[3]]);
        px.copy_from_slice(&blend_lanes(cell, rgba, opacity).to_le_bytes());
    }
    #[cfg(not(target_arch = "wasm32"))]
    blend_each(cell, px, opacity);
}

/// [`blend`] one channel at a time: `u + (c / n − u) · opacity + ½`, truncated to a byte.
#[doc(hidden)]
#[inline(always)]
pub fn blend_each(cell: &[f32; 4], px: &mut [u8], opacity: f32) {
    let inv = 1.0 / cell[0];
    for (under, over) in px.iter_mut().zip(&cell[1..]) {
        let u = *under as f32;
        // Between 0 and 255: + ½ and truncating rounds it.
        *under = (u + (over * inv - u) * opacity + 0.5) as u8;
    }
}

/// [`blend_each`] in SIMD lanes: the pixel `rgba` (its bytes read little-endian) under
/// `cell`, its three colour channels in three lanes with the same operations in the same
/// order, so the same bytes; alpha kept.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
#[inline(always)]
pub fn blend_lanes(cell: &[f32; 4], rgba: u32, opacity: f32) -> u32 {
    use core::arch::wasm32::*;
    let inv = f32x4_splat(1.0 / cell[0]);
    let all = f32x4(cell[0], cell[1], cell[2], cell[3]);
    // The colours in the first three lanes (the fourth, coverage, is not kept).
    let over = i32x4_shuffle::<1, 2, 3, 0>(all, all);
    let raw = u32x4_splat(rgba);
    let under = f32x4_convert_u32x4(u32x4_extend_low_u16x8(u16x8_extend_low_u8x16(raw)));
    let mixed = f32x4_add(
        f32x4_add(
            under,
            f32x4_mul(f32x4_sub(f32x4_mul(over, inv), under), f32x4_splat(opacity)),
        ),
        f32x4_splat(0.5),
    );
    let ints = i32x4_trunc_sat_f32x4(mixed);
    let shorts = i16x8_narrow_i32x4(ints, ints);
    // The colour bytes blended, the alpha byte as it was.
    let bytes = v128_bitselect(
        u8x16_narrow_i16x8(shorts, shorts),
        raw,
        u32x4_splat(0x00FF_FFFF),
    );
    u32x4_extract_lane::<0>(bytes)
}

/// Adds coverage `w` (one weight per plane) to the pixels of `line` between `x0` and `x1`
/// (fractional, in pixels), as a difference array: pixel `i` gets `w` times the part of
/// `[i, i + 1)` inside `[x0, x1)` once the running sum is taken. `line` has one spare entry
/// past the last pixel.
#[inline(always)]
fn add_span(line: &mut [[f32; 4]], x0: f32, x1: f32, w: [f32; 4]) {
    let last = (line.len() - 1) as f32;
    let (x0, x1) = (x0.clamp(0.0, last), x1.clamp(0.0, last));
    if x1 <= x0 {
        return;
    }
    let (i0, i1) = (x0 as usize, x1 as usize);
    let (f0, f1) = (x0 - i0 as f32, x1 - i1 as f32);
    let mut add = |i: usize, f: f32| {
        if let Some(cell) = line.get_mut(i) {
            for (c, w) in cell.iter_mut().zip(w) {
                *c += w * f;
            }
        }
    };
    add(i0, 1.0 - f0);
    add(i0 + 1, f0);
    add(i1, -(1.0 - f1));
    add(i1 + 1, -f1);
}

/// `e^x` for four `x` in `[−80, 0]`: in WebAssembly one SIMD polynomial for the four
/// ([`crate::simd::exp_nonpositive`]), elsewhere the library's `exp` for each.
#[inline]
fn exp4(x: [f32; 4]) -> [f32; 4] {
    #[cfg(target_arch = "wasm32")]
    {
        use core::arch::wasm32::{f32x4, f32x4_extract_lane};
        let e = crate::simd::exp_nonpositive(f32x4(x[0], x[1], x[2], x[3]));
        [
            f32x4_extract_lane::<0>(e),
            f32x4_extract_lane::<1>(e),
            f32x4_extract_lane::<2>(e),
            f32x4_extract_lane::<3>(e),
        ]
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        x.map(f32::exp)
    }
}

#[cfg(test)]
mod tests {
    use super::colours::{CYCLIC, SQUARE};
    use super::*;
    use crate::data::Factor;
    use ndarray::{Array2, array};

    fn pixel(view: &LatentView, x: usize, y: usize) -> [u8; 3] {
        let o = (y * view.size() + x) * 4;
        [view.rgba()[o], view.rgba()[o + 1], view.rgba()[o + 2]]
    }

    #[test]
    fn a_span_covers_its_fractional_pixels() {
        let mut line = vec![[0.0f32; 4]; 6];
        add_span(&mut line, 1.25, 3.5, [1.0, 2.0, 0.0, -1.0]);
        for (lane, w) in [1.0f32, 2.0, 0.0, -1.0].into_iter().enumerate() {
            let mut acc = 0.0;
            let covered: Vec<f32> = line[..5]
                .iter()
                .map(|d| {
                    acc += d[lane];
                    acc
                })
                .collect();
            let want: Vec<f32> = [0.0, 0.75, 1.0, 0.5, 0.0].iter().map(|c| c * w).collect();
            assert_eq!(covered, want, "plane {lane}");
        }
    }

    #[test]
    fn one_span_for_a_rows_middle_covers_as_the_sub_rows_do() {
        // A large ellipse: the inner rows (one span) and the edge rows (sub-rows) together
        // cover its area, π·rx·ry, to within a pixel or two.
        let mut view = LatentView::new(200, 4.0);
        let (rx, ry) = (40.0, 30.0);
        assert!(view.add_ellipse([0, 0, 0], 100.3, 99.6, rx, ry, 1.0));
        let shape = view.shapes[0];
        let area: f32 = (0..200)
            .map(|y| {
                let mut line = vec![[0.0; 4]; 201];
                if (shape.top..shape.bottom).contains(&y) {
                    shape.add_row(&mut line, y);
                }
                let mut acc = 0.0;
                line[..200]
                    .iter()
                    .map(|d| {
                        acc += d[0];
                        acc
                    })
                    .sum::<f32>()
            })
            .sum();
        let want = std::f32::consts::PI * rx * ry;
        assert!((area - want).abs() < 2.0, "area {area}, want {want}");
    }

    #[test]
    fn pixel_and_latent_coordinates_invert_each_other() {
        let view = LatentView::new(200, 4.0);
        assert_eq!(view.to_pixel(0.0, 0.0), (100.0, 100.0));
        assert_eq!(view.to_pixel(-4.0, 4.0), (0.0, 0.0));
        let (z0, z1) = view.to_latent(150.0, 25.0);
        assert_eq!((z0, z1), (2.0, 3.0));
    }

    #[test]
    fn the_prior_circles_can_be_left_out() {
        // No posterior near the 1σ circle's top (pixel (50, 37.5) of a 100-pixel view of ±4).
        let mu = array![[3.0f32, -3.0]];
        let logvar = array![[-4.0f32, -4.0]];
        let mut with = LatentView::new(100, 4.0);
        with.draw_posteriors(mu.view(), logvar.view(), &[CLASS_COLOURS[0]], None);
        let mut without = LatentView::new(100, 4.0);
        without.set_prior_circles(false);
        without.draw_posteriors(mu.view(), logvar.view(), &[CLASS_COLOURS[0]], None);
        let ring = (50, 37);
        assert_ne!(
            pixel(&with, ring.0, ring.1),
            pixel(&without, ring.0, ring.1)
        );
        assert!(pixel(&with, ring.0, ring.1)[0] < 200, "the circle is drawn");
    }

    #[test]
    fn a_ring_is_drawn_on_every_pixel_it_reaches() {
        // Each row visits only the pixels near the curve; the same outline, pixel for pixel,
        // as visiting every pixel of the ellipse's box (its half-axes and a margin).
        for &(cx, cy, rx, ry, width) in &[
            (50.0f32, 50.0f32, 40.0f32, 40.0f32, 1.0f32),
            (30.3, 60.7, 45.0, 12.5, 1.5),
            (70.2, 40.9, 6.0, 33.0, 1.5),
            (10.0, 90.0, 2.5, 2.5, 1.5),
            (50.5, 50.5, 0.7, 30.0, 1.0),
        ] {
            let mut view = LatentView::new(100, 4.0);
            view.ring(cx, cy, rx, ry, width, PRIOR, 0.55);
            let mut visited = 0;
            let pad = width + 1.0;
            let span = |c: f32, r: f32| (c - r - pad).max(0.0) as usize..(c + r + pad) as usize;
            let in_box =
                |x: usize, y: usize| span(cx, rx).contains(&x) && span(cy, ry).contains(&y);
            for y in 0..100 {
                for x in (0..100).filter(|&x| in_box(x, y)) {
                    let (u, v) = ((x as f32 + 0.5 - cx) / rx, (y as f32 + 0.5 - cy) / ry);
                    let q = (u * u + v * v).sqrt();
                    let grad = ((u / rx).powi(2) + (v / ry).powi(2)).sqrt() / q.max(1e-6);
                    let d = ((q - 1.0) / grad.max(1e-6)).abs();
                    let cover = (0.5 * width + 0.5 - d).clamp(0.0, 1.0) * 0.55;
                    // Over a new view's black.
                    let want = match cover > 0.0 {
                        true => (PRIOR[0] as f32 * cover).round() as u8,
                        false => 0,
                    };
                    visited += usize::from(cover > 0.0);
                    assert_eq!(
                        pixel(&view, x, y)[0],
                        want,
                        "({cx}, {cy}, {rx}, {ry}) at ({x}, {y})"
                    );
                }
            }
            assert!(visited > 0);
        }
    }

    #[test]
    fn ellipses_darken_where_they_overlap_and_take_their_class_colour() {
        let mut view = LatentView::new(100, 4.0);
        // Two class-1 ellipses of σ = 1 (12.5 px) at (−0.5, 0) and (0.5, 0), that is at pixels
        // (43.75, 50) and (56.25, 50); they overlap around the origin.
        let mu = array![[-0.5f32, 0.0], [0.5, 0.0]];
        let logvar = array![[0.0f32, 0.0], [0.0, 0.0]];
        let indigo = CLASS_COLOURS[7];
        view.draw_posteriors(mu.view(), logvar.view(), &[indigo, indigo], None);
        let once = pixel(&view, 35, 46); // inside the left one only
        let twice = pixel(&view, 48, 46); // inside both
        let none = pixel(&view, 5, 5);
        assert_eq!(none, BACKGROUND);
        let darkness = |p: [u8; 3]| 765 - p.iter().map(|&c| c as u32).sum::<u32>();
        assert!(
            darkness(twice) > darkness(once) && darkness(once) > 0,
            "{once:?} {twice:?}"
        );
        // Indigo-ish: blue dominates.
        assert!(once[2] > once[0] && once[2] > once[1], "{once:?}");
        assert_eq!(view.outside(), 0);
    }

    #[test]
    fn a_collapsed_posterior_is_drawn_like_an_ae_point() {
        let mu = array![[0.0f32, 0.0]];
        let tiny = array![[-12.0f32, -12.0]]; // σ ≈ 0.0025
        let mut vae = LatentView::new(60, 3.0);
        vae.draw_posteriors(mu.view(), tiny.view(), &[CLASS_COLOURS[3]], None);
        let mut ae = LatentView::new(60, 3.0);
        ae.draw_points(mu.view(), &[CLASS_COLOURS[3]], None);
        let centre_vae = pixel(&vae, 30, 31);
        let centre_ae = pixel(&ae, 30, 31);
        let diff: u32 = centre_vae
            .iter()
            .zip(&centre_ae)
            .map(|(a, b)| a.abs_diff(*b) as u32)
            .sum();
        assert!(diff <= 6, "VAE {centre_vae:?} vs AE {centre_ae:?}");
    }

    #[test]
    fn the_picture_does_not_depend_on_drawing_order() {
        let mu = array![[0.3f32, 0.1], [-0.2, 0.4], [0.1, -0.3]];
        let lv = array![[-1.0f32, -0.5], [-0.3, -1.2], [-0.8, -0.8]];
        let mut a = LatentView::new(64, 2.0);
        let [c0, c3, c5] = [CLASS_COLOURS[0], CLASS_COLOURS[3], CLASS_COLOURS[5]];
        a.draw_posteriors(mu.view(), lv.view(), &[c0, c3, c5], None);
        let mu_r = array![[0.1f32, -0.3], [-0.2, 0.4], [0.3, 0.1]];
        let lv_r = array![[-0.8f32, -0.8], [-0.3, -1.2], [-1.0, -0.5]];
        let mut b = LatentView::new(64, 2.0);
        b.draw_posteriors(mu_r.view(), lv_r.view(), &[c5, c3, c0], None);
        let diff = a
            .rgba()
            .iter()
            .zip(b.rgba())
            .map(|(x, y)| x.abs_diff(*y))
            .max()
            .unwrap();
        assert!(diff <= 1, "largest difference {diff}");
    }

    #[test]
    fn bands_draw_the_picture_that_whole_rows_draw() {
        // Many overlapping ellipses of every size, across the bands' edges and the view's:
        // the view drawn a band at a time is, bit for bit, the view drawn a row at a time
        // with every shape of that row added in the samples' order.
        let n = 300;
        let mu = Array2::from_shape_fn((n, 2), |(i, k)| {
            ((i * 37 + k * 11) % 97) as f32 / 20.0 - 2.4
        });
        let lv = Array2::from_shape_fn((n, 2), |(i, k)| ((i * 13 + k * 7) % 23) as f32 / 4.0 - 5.0);
        let colours: Vec<[u8; 3]> = (0..n).map(|i| CLASS_COLOURS[i % 10]).collect();
        let mut banded = LatentView::new(100, 2.5);
        banded.set_prior_circles(false);
        banded.draw_posteriors(mu.view(), lv.view(), &colours, None);
        let mut rows = banded.clone();
        rows.paint_grid();
        let log_keep = (1.0 - ELLIPSE_ALPHA).ln();
        let size = rows.size;
        for row in 0..size {
            let mut line = vec![[0.0f32; 4]; size + 1];
            for shape in rows
                .shapes
                .iter()
                .filter(|s| (s.top..s.bottom).contains(&row))
            {
                shape.add_row(&mut line, row);
            }
            compose_row(
                &mut line[..size],
                &mut rows.rgba[row * size * 4..(row + 1) * size * 4],
                log_keep,
            );
        }
        assert!(banded.shapes.iter().any(|s| s.bottom - s.top > 2 * BAND));
        let white = banded
            .rgba()
            .chunks(4)
            .filter(|c| c[..3] == [255; 3])
            .count();
        assert!(
            white < size * size / 2,
            "the shapes cover the view: {white} white"
        );
        assert!(banded.rgba() == rows.rgba(), "the same pixels");
    }

    #[test]
    fn points_outside_the_view_are_counted_and_not_drawn() {
        let mut view = LatentView::new(50, 1.0);
        let codes = array![[0.0f32, 0.0], [5.0, 0.0], [f32::NAN, 0.0]];
        view.draw_points(codes.view(), &[CLASS_COLOURS[2]; 3], None);
        assert_eq!(view.outside(), 2);
        assert_ne!(pixel(&view, 25, 25), BACKGROUND);
    }

    #[test]
    fn nearest_finds_the_sample_under_the_pointer() {
        let view = LatentView::new(100, 2.0);
        let centres = array![[0.0f32, 0.0], [1.0, 1.0]];
        assert_eq!(view.nearest(centres.view(), 75.0, 25.0, 4.0), Some(1));
        assert_eq!(view.nearest(centres.view(), 10.0, 90.0, 4.0), None);
    }

    #[test]
    fn colour_maps_are_continuous_and_the_angle_map_wraps() {
        assert_eq!(
            cyclic_colour(0.0),
            cyclic_colour(1.0),
            "0° and 180° are the same bar"
        );
        let step = |a: [u8; 3], b: [u8; 3]| {
            a.iter()
                .zip(&b)
                .map(|(x, y)| x.abs_diff(*y) as u32)
                .max()
                .unwrap()
        };
        // Linear between anchors: a step of 0.01 moves a channel by at most the largest
        // difference between neighbouring anchors times 0.01 · 6 (six anchors), plus rounding.
        let widest = (0..CYCLIC.len())
            .map(|i| step(CYCLIC[i], CYCLIC[(i + 1) % CYCLIC.len()]))
            .max()
            .unwrap();
        let bound = (widest as f32 * 0.06).ceil() as u32 + 1;
        for k in 0..100 {
            let t = k as f32 / 100.0;
            assert!(
                step(cyclic_colour(t), cyclic_colour(t + 0.01)) <= bound,
                "jump at {t}"
            );
            assert!(step(square_colour(t, 0.5), square_colour(t + 0.01, 0.5)) <= 4);
        }
        assert_eq!(square_colour(0.0, 0.0), SQUARE[0]);
        assert_eq!(square_colour(1.0, 1.0), SQUARE[3]);
        assert!(legend_rgba(Factor::Class, 10).is_none());
        let ring = legend_rgba(Factor::Angle, 40).unwrap();
        assert_eq!(ring.len(), 40 * 40 * 4);
        assert_eq!(&ring[..3], &[255, 255, 255], "outside the ring is white");
    }

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(tick_step(4.0), 1.0);
        assert_eq!(tick_step(2.0), 0.5);
        assert_eq!(tick_step(16.0), 5.0);
        assert_eq!(tick_step(32.0), 10.0);
    }
}

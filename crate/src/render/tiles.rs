//! The decoder map as its own picture: a bordered grid of decoded images, the layout of
//! Kingma & Welling (2014), Fig. 4, over the same square of the plane as the latent view.

use ndarray::ArrayView2;

/// Ink of a decoded pixel of probability 1 (black on white, as the inputs are shown).
const INK: f32 = 255.0;
/// The lines between tiles.
const BORDER: [u8; 3] = [0xB8, 0xBD, 0xC6];

/// Width and height in pixels of a grid of `grid × grid` tiles of `side × side` images with a
/// one-pixel border around and between them.
pub fn tiles_size(grid: usize, side: usize) -> usize {
    grid * (side + 1) + 1
}

/// Draws `images` (`(grid², side²)` pixel probabilities, row by row from the top of the
/// plane as [`crate::decoder::decode_grid`] lays them out) as a bordered grid into `rgba`,
/// which is resized to `tiles_size(grid, side)²` RGBA pixels (row-major) and reused from call
/// to call. A pixel of probability `p` is grey `255 − 255·p`.
///
/// **Panics** if `images` does not hold `grid²` rows of `side²` pixels.
pub fn draw_tiles(images: ArrayView2<f32>, grid: usize, side: usize, rgba: &mut Vec<u8>) {
    assert_eq!(
        images.dim(),
        (grid * grid, side * side),
        "grid² images of side² pixels"
    );
    let size = tiles_size(grid, side);
    rgba.resize(size * size * 4, 0);
    for y in 0..size {
        for x in 0..size {
            let at = (y * size + x) * 4;
            let (ty, py) = (y / (side + 1), y % (side + 1));
            let (tx, px) = (x / (side + 1), x % (side + 1));
            let colour = if py == 0 || px == 0 || ty == grid || tx == grid {
                BORDER
            } else {
                let p = images[[ty * grid + tx, (py - 1) * side + (px - 1)]];
                let v = (255.0 - INK * p.clamp(0.0, 1.0)).round() as u8;
                [v, v, v]
            };
            rgba[at..at + 3].copy_from_slice(&colour);
            rgba[at + 3] = 255;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn tiles_sit_in_their_cells_with_borders_between() {
        // Two by two tiles of 2×2 images: tile k is all ink k/3; pixel (1, 1) of tile 3 blank.
        let mut images = Array2::<f32>::zeros((4, 4));
        for k in 0..4 {
            images.row_mut(k).fill(k as f32 / 3.0);
        }
        images[[3, 3]] = 0.0;
        let mut rgba = Vec::new();
        draw_tiles(images.view(), 2, 2, &mut rgba);
        let size = tiles_size(2, 2);
        assert_eq!(size, 7);
        assert_eq!(rgba.len(), 7 * 7 * 4);
        let px = |x: usize, y: usize| rgba[(y * size + x) * 4];
        // Borders: the first, middle and last rows and columns.
        for i in 0..7 {
            for b in [0, 3, 6] {
                assert_eq!(px(i, b), BORDER[0]);
                assert_eq!(px(b, i), BORDER[0]);
            }
        }
        assert_eq!(px(1, 1), 255, "tile 0 (top left): no ink");
        assert_eq!(px(4, 1), 170, "tile 1 (top right): a third");
        assert_eq!(px(1, 4), 85, "tile 2 (bottom left): two thirds");
        assert_eq!(px(4, 4), 0, "tile 3 (bottom right): full ink");
        assert_eq!(px(5, 5), 255, "its last pixel was left blank");
        assert!(rgba.chunks(4).all(|p| p[3] == 255), "opaque");
    }
}

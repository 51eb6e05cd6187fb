//! A data set of one's own from image files (PNG, JPEG, WebP: the browser decodes them to
//! RGBA; this module does the rest, so that its rules are written and tested once):
//!
//! 1. **Grey.** Each pixel's luminance `0.299 r + 0.587 g + 0.114 b`, over white where it is
//!    transparent, in `[0, 1]`.
//! 2. **Ink.** The samples are ink on black, as MNIST's are: dark strokes on light paper are
//!    inverted (`ink = 1 − grey`). [`Invert::Auto`] inverts an image whose border is light on
//!    average.
//! 3. **Crop and fit.** The box around the ink (pixels above [`INK`]) is scaled, keeping its
//!    shape, to fill `⌈side · 20/28⌉` pixels on its longer side (MNIST's 20 of 28), by area
//!    averaging.
//! 4. **Centre by mass.** It is placed so that its centre of mass falls on the image's centre
//!    (rounded to a whole pixel, as MNIST's were).
//!
//! Labels come from each file's folder, or else from its name's prefix (before the first `_`,
//! `-`, space or `.`): `circles/a.png` and `circle_01.png` are both labelled by their shape.
//! Classes are numbered in the order of their names.

use crate::data::{Dataset, MAX_CLASSES};
use ndarray::Array2;

/// Ink above this is the drawing (for the crop); below, background.
pub const INK: f32 = 0.1;

/// The most images a data set of one's own holds.
pub const MAX_IMAGES: usize = crate::csv::MAX_SAMPLES;

/// The fewest.
pub const MIN_IMAGES: usize = crate::csv::MIN_SAMPLES;

/// The largest decoded image, in pixels (4096 × 4096).
pub const MAX_PIXELS: usize = 4096 * 4096;

/// The largest image file the page decodes, in bytes.
pub const MAX_IMAGE_BYTES: usize = 20 * 1024 * 1024;

/// Whether to invert the grey levels (dark ink on light paper becomes light ink on black).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invert {
    /// Invert an image whose border is light on average.
    Auto,
    /// Always invert.
    Yes,
    /// Never invert.
    No,
}

crate::names::named!(Invert, "invert", [
    Invert::Auto => "auto",
    Invert::Yes => "yes",
    Invert::No => "no",
]);

/// An image as the browser decoded it.
#[derive(Clone, Copy)]
pub struct Rgba<'a> {
    /// The file's path (a folder's files: from the folder on), for its label.
    pub path: &'a str,
    pub width: usize,
    pub height: usize,
    /// `width · height · 4` bytes.
    pub pixels: &'a [u8],
}

/// The label text of the file at `path`: its folder's name, or its name's prefix.
pub fn label_of(path: &str) -> String {
    let mut parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let file = parts.pop().unwrap_or("");
    if let Some(folder) = parts.pop() {
        return folder.to_string();
    }
    let prefix = file.split(['_', '-', ' ', '.']).next().unwrap_or("");
    if prefix.is_empty() {
        file.to_string()
    } else {
        prefix.to_string()
    }
}

/// The ink of an RGBA image, `width · height` values in `[0, 1]`.
pub fn ink(image: &Rgba, invert: Invert) -> Vec<f32> {
    let grey: Vec<f32> = image
        .pixels
        .chunks_exact(4)
        .map(|p| {
            let lum = (0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32) / 255.0;
            let alpha = p[3] as f32 / 255.0;
            alpha * lum + (1.0 - alpha)
        })
        .collect();
    let (w, h) = (image.width, image.height);
    let flip = match invert {
        Invert::Yes => true,
        Invert::No => false,
        Invert::Auto => {
            let border: Vec<f32> = (0..w * h)
                .filter(|&i| i % w == 0 || i % w == w - 1 || i / w == 0 || i / w == h - 1)
                .map(|i| grey[i])
                .collect();
            border.iter().sum::<f32>() / border.len().max(1) as f32 > 0.5
        }
    };
    if flip {
        grey.into_iter().map(|g| 1.0 - g).collect()
    } else {
        grey
    }
}

/// `src` `(w, h)` resampled to `(tw, th)` by area averaging: each target pixel is the mean of
/// the source over the area it covers.
pub fn resample(src: &[f32], w: usize, h: usize, tw: usize, th: usize) -> Vec<f32> {
    // Horizontally, then vertically: weights of source `i` in target `t` along an axis.
    let weights = |n: usize, tn: usize| -> Vec<Vec<(usize, f32)>> {
        let scale = n as f32 / tn as f32;
        (0..tn)
            .map(|t| {
                let (a, b) = (t as f32 * scale, (t + 1) as f32 * scale);
                (a.floor() as usize..(b.ceil() as usize).min(n))
                    .map(|i| {
                        let cover = (b.min(i as f32 + 1.0) - a.max(i as f32)).max(0.0);
                        (i, cover / scale)
                    })
                    .collect()
            })
            .collect()
    };
    let (wx, wy) = (weights(w, tw), weights(h, th));
    let mut rows = vec![0.0f32; h * tw];
    for y in 0..h {
        for (t, ws) in wx.iter().enumerate() {
            rows[y * tw + t] = ws.iter().map(|&(i, c)| c * src[y * w + i]).sum();
        }
    }
    let mut out = vec![0.0f32; th * tw];
    for (t, ws) in wy.iter().enumerate() {
        for x in 0..tw {
            out[t * tw + x] = ws.iter().map(|&(i, c)| c * rows[i * tw + x]).sum();
        }
    }
    out
}

/// The sample of `side × side` made of an image's ink `(w, h)`: cropped to its ink, fitted
/// and centred by mass (see the module's rules). A blank image gives a blank sample.
pub fn sample_of(ink: &[f32], w: usize, h: usize, side: usize) -> Vec<f32> {
    let mut out = vec![0.0f32; side * side];
    let inked: Vec<usize> = (0..w * h).filter(|&i| ink[i] > INK).collect();
    let (Some(x0), Some(x1)) = (
        inked.iter().map(|i| i % w).min(),
        inked.iter().map(|i| i % w).max(),
    ) else {
        return out;
    };
    let (y0, y1) = (inked[0] / w, inked[inked.len() - 1] / w);
    let (cw, ch) = (x1 - x0 + 1, y1 - y0 + 1);
    let crop: Vec<f32> = (y0..=y1)
        .flat_map(|y| (x0..=x1).map(move |x| (y, x)))
        .map(|(y, x)| ink[y * w + x])
        .collect();
    let fit = (side * 20).div_ceil(28);
    let (tw, th) = if cw >= ch {
        (
            fit,
            ((ch * fit) as f32 / cw as f32).round().max(1.0) as usize,
        )
    } else {
        (
            ((cw * fit) as f32 / ch as f32).round().max(1.0) as usize,
            fit,
        )
    };
    let small = resample(&crop, cw, ch, tw, th);
    let mass: f32 = small.iter().sum();
    let (mut mx, mut my) = (0.0f32, 0.0f32);
    for (i, &v) in small.iter().enumerate() {
        mx += v * ((i % tw) as f32 + 0.5);
        my += v * ((i / tw) as f32 + 0.5);
    }
    let centre = side as f32 / 2.0;
    let (dx, dy) = (
        (centre - mx / mass).round() as isize,
        (centre - my / mass).round() as isize,
    );
    for (i, &v) in small.iter().enumerate() {
        let (x, y) = ((i % tw) as isize + dx, (i / tw) as isize + dy);
        if (0..side as isize).contains(&x) && (0..side as isize).contains(&y) {
            out[y as usize * side + x as usize] = v.clamp(0.0, 1.0);
        }
    }
    out
}

/// A data set of images in the making, one image at a time, so that only the samples are
/// kept (`side²` values an image) and never every decoded image at once.
pub struct ImageSet {
    side: usize,
    invert: Invert,
    samples: Vec<f32>,
    labels: Vec<String>,
}

impl ImageSet {
    /// An empty set of `side × side` samples.
    ///
    /// # Errors
    /// A side outside [`crate::csv::MIN_SIDE`] to [`crate::csv::MAX_SIDE`].
    pub fn new(side: usize, invert: Invert) -> Result<ImageSet, String> {
        if !(crate::csv::MIN_SIDE..=crate::csv::MAX_SIDE).contains(&side) {
            return Err(format!(
                "images are made into {m} × {m} to {M} × {M} samples, not {side} × {side}",
                m = crate::csv::MIN_SIDE,
                M = crate::csv::MAX_SIDE
            ));
        }
        Ok(ImageSet {
            side,
            invert,
            samples: Vec::new(),
            labels: Vec::new(),
        })
    }

    /// Adds one image as a sample, labelled by [`label_of`] its path.
    ///
    /// # Errors
    /// The image's size does not match its pixels or is too large, or the set is full.
    pub fn add(&mut self, image: &Rgba) -> Result<(), String> {
        if self.labels.len() == MAX_IMAGES {
            return Err(format!(
                "more than {MAX_IMAGES} images: a data set holds at most {MAX_IMAGES}"
            ));
        }
        let (w, h) = (image.width, image.height);
        if w == 0 || h == 0 || w * h > MAX_PIXELS || image.pixels.len() != w * h * 4 {
            return Err(format!(
                "{} is {w} × {h} pixels; images of 1 to {MAX_PIXELS} pixels are read",
                image.path
            ));
        }
        let sample = sample_of(&ink(image, self.invert), w, h, self.side);
        self.samples.extend_from_slice(&sample);
        self.labels.push(label_of(image.path));
        Ok(())
    }

    /// The data set called `name`; classes are numbered in the order of their names.
    ///
    /// # Errors
    /// Too few images, or more than [`MAX_CLASSES`] classes.
    pub fn finish(self, name: &str) -> Result<Dataset, String> {
        let n = self.labels.len();
        if n < MIN_IMAGES {
            return Err(format!(
                "{n} image{} too few: a data set needs at least {MIN_IMAGES}",
                if n == 1 { " is" } else { "s are" }
            ));
        }
        let side = self.side;
        let x = Array2::from_shape_vec((n, side * side), self.samples).expect("a sample an image");
        Dataset::of_named_classes(name, x, &self.labels, (side, side)).map_err(|classes| {
            format!("the files name {classes} classes; at most {MAX_CLASSES} are told apart")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A data set called `name` of `side × side` samples made of `images` ([`ImageSet`]).
    ///
    /// # Errors
    /// A sentence naming the first image that cannot be used, or saying why the set cannot.
    fn read_images(
        images: &[Rgba],
        name: &str,
        side: usize,
        invert: Invert,
    ) -> Result<Dataset, String> {
        let mut set = ImageSet::new(side, invert)?;
        if images.len() > MAX_IMAGES {
            return Err(format!(
                "{} images are more than the {MAX_IMAGES} a data set may hold",
                images.len()
            ));
        }
        for image in images {
            set.add(image)?;
        }
        set.finish(name)
    }

    #[test]
    fn a_square_of_ink_is_cropped_fitted_to_20_of_28_and_centred_by_mass() {
        // A 10 × 10 image, ink 1 in a 4 × 4 square at rows 1..5, columns 2..6, off centre.
        let mut ink = vec![0.0f32; 100];
        for y in 1..5 {
            for x in 2..6 {
                ink[y * 10 + x] = 1.0;
            }
        }
        let s = sample_of(&ink, 10, 10, 28);
        // 20 × 20 of ink whose centre (10, 10) lands on (14, 14): rows and columns 4 to 23.
        for y in 0..28 {
            for x in 0..28 {
                let inside = (4..24).contains(&x) && (4..24).contains(&y);
                let want = if inside { 1.0 } else { 0.0 };
                assert!(
                    (s[y * 28 + x] - want).abs() < 1e-5,
                    "({x}, {y}): {}",
                    s[y * 28 + x]
                );
            }
        }
    }

    #[test]
    fn a_wide_stroke_keeps_its_shape_and_a_blank_image_stays_blank() {
        // A 2-pixel-high, 8-wide bar becomes 20 wide and 5 high, centred.
        let mut ink = vec![0.0f32; 16 * 16];
        for y in 10..12 {
            for x in 0..8 {
                ink[y * 16 + x] = 1.0;
            }
        }
        let s = sample_of(&ink, 16, 16, 28);
        let rows: Vec<usize> = (0..28).filter(|y| s[y * 28 + 14] > 0.5).collect();
        assert_eq!(rows, (12..17).collect::<Vec<_>>());
        assert_eq!((0..28).filter(|x| s[14 * 28 + x] > 0.5).count(), 20);
        assert!(sample_of(&[0.0; 16], 4, 4, 8).iter().all(|&v| v == 0.0));
    }

    #[test]
    fn resampling_averages_areas() {
        // 4 → 2 averages pairs; 2 → 3 splits the middle pixel between both.
        assert_eq!(resample(&[1.0, 0.0, 0.5, 0.5], 4, 1, 2, 1), vec![0.5, 0.5]);
        let up = resample(&[0.0, 1.0], 2, 1, 3, 1);
        assert!(
            (up[0] - 0.0).abs() < 1e-6 && (up[1] - 0.5).abs() < 1e-6 && (up[2] - 1.0).abs() < 1e-6,
            "{up:?}"
        );
    }

    #[test]
    fn grey_ink_and_inversion() {
        // Black on white, and half-transparent black: inverted by the light border.
        let px = [
            255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 128,
        ];
        let image = Rgba {
            path: "a.png",
            width: 2,
            height: 2,
            pixels: &px,
        };
        let near = |got: &[f32], want: &[f32]| {
            assert!(
                got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-5),
                "{got:?} against {want:?}"
            );
        };
        near(&ink(&image, Invert::Auto), &[0.0, 1.0, 0.0, 128.0 / 255.0]);
        near(&ink(&image, Invert::No)[..2], &[1.0, 0.0]);
        let dark = [0, 0, 0, 255].repeat(4);
        let image = Rgba {
            path: "b.png",
            width: 2,
            height: 2,
            pixels: &dark,
        };
        near(&ink(&image, Invert::Auto), &[0.0; 4]);
        near(&ink(&image, Invert::Yes), &[1.0; 4]);
    }

    #[test]
    fn labels_come_from_the_folder_or_the_name() {
        assert_eq!(label_of("shapes/circles/a.png"), "circles");
        assert_eq!(label_of("circle_01.png"), "circle");
        assert_eq!(label_of("bar-7.webp"), "bar");
        assert_eq!(label_of("3 x.jpg"), "3");
        assert_eq!(label_of("plain.png"), "plain");
    }

    #[test]
    fn a_set_of_images_names_its_classes_and_refuses_what_it_cannot_use() {
        let white = [255u8; 4 * 4 * 4];
        let mut dot = white;
        dot[5 * 4..5 * 4 + 3].copy_from_slice(&[0, 0, 0]);
        let images = [
            Rgba {
                path: "dot_1.png",
                width: 4,
                height: 4,
                pixels: &dot,
            },
            Rgba {
                path: "blank_1.png",
                width: 4,
                height: 4,
                pixels: &white,
            },
            Rgba {
                path: "dot_2.png",
                width: 4,
                height: 4,
                pixels: &dot,
            },
        ];
        let d = read_images(&images, "mine", 8, Invert::Auto).unwrap();
        assert_eq!(d.classes, vec!["blank", "dot"]);
        assert_eq!(d.labels, vec![1, 0, 1]);
        assert_eq!(d.image_size, (8, 8));
        assert!(d.x.row(0).sum() > 0.0 && d.x.row(1).sum() == 0.0);
        let one = read_images(&images[..1], "mine", 8, Invert::Auto).unwrap_err();
        assert!(one.contains("1 image is too few"), "{one}");
        let side = read_images(&images, "mine", 40, Invert::Auto).unwrap_err();
        assert!(side.contains("not 40 × 40"), "{side}");
        let short = [Rgba {
            path: "x.png",
            width: 4,
            height: 4,
            pixels: &dot[..60],
        }];
        let bad = read_images(&[short[0], images[0]], "mine", 8, Invert::Auto).unwrap_err();
        assert!(bad.contains("x.png"), "{bad}");
    }
}

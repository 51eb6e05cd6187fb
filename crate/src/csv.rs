//! A data set of one's own, read from CSV text: one sample a row, its pixel values in
//! `[0, 1]` or `[0, 255]`, an optional label column, a header or none. The page (for a file
//! a visitor drops) and `vae-train --data FILE.csv` read it here, by the same rules and with
//! the same messages.
//!
//! - **Shape.** A row holds a square image, `w × w` values with `w` from [`MIN_SIDE`] to
//!   [`MAX_SIDE`] (16 to 784 values); its pixels are read row by row from the top.
//! - **Labels.** With a header, the column named `label` (any case), if there is one; without
//!   a header, a first column beside a square number of pixels (`1 + w²` values, as MNIST's
//!   CSVs have it). Labels are whole numbers from 0 to 255, or, under a header, names (at
//!   most 256, numbered in the order of their names); without a label column every label
//!   is 0.
//! - **Scale.** If any pixel is above 1, every pixel is divided by 255.
//! - **Bounds.** At most [`MAX_SAMPLES`] rows and [`MAX_BYTES`] of text; at least
//!   [`MIN_SAMPLES`] rows.
//!
//! Every way a file can be wrong is a [`CsvError`] whose message names the row and column,
//! and nothing is kept from a file with an error.

use crate::data::{Dataset, MAX_CLASSES};
use ndarray::Array2;
use std::fmt;

/// The smallest image side accepted (4 × 4 = 16 values).
pub const MIN_SIDE: usize = 4;
/// The largest image side accepted (28 × 28 = 784 values, MNIST's).
pub const MAX_SIDE: usize = 28;
/// The most samples a file may hold.
pub const MAX_SAMPLES: usize = 20_000;
/// The fewest samples a file may hold.
pub const MIN_SAMPLES: usize = 2;
/// The largest file accepted, in bytes (20,000 rows of 784 values of up to 3 digits fit).
pub const MAX_BYTES: usize = 80 * 1024 * 1024;

/// Why a CSV file cannot be used; the message says where and what to do.
#[derive(Clone, Debug, PartialEq)]
pub enum CsvError {
    /// No rows at all (or a header alone).
    Empty,
    /// More than [`MAX_BYTES`] of text.
    TooLarge { bytes: usize },
    /// More than [`MAX_SAMPLES`] rows.
    TooMany { rows: usize },
    /// Fewer than [`MIN_SAMPLES`] rows.
    TooFew { rows: usize },
    /// A row whose number of values differs from the first row's.
    Ragged {
        row: usize,
        values: usize,
        expected: usize,
    },
    /// A number of pixels that is no accepted image shape.
    NotAnImage { values: usize },
    /// A pixel that is not a number (text, NaN, empty).
    NotANumber {
        row: usize,
        column: usize,
        text: String,
    },
    /// A pixel below 0 or above 255.
    OutOfRange {
        row: usize,
        column: usize,
        value: f64,
    },
    /// A label that is not a whole number from 0 to 255 (in a file without a header, whose
    /// labels cannot be names).
    BadLabel { row: usize, text: String },
    /// More than [`MAX_CLASSES`] class names.
    TooManyClasses { classes: usize },
}

/// `text` cut to 20 characters for a message.
fn short(text: &str) -> String {
    let cut: String = text.chars().take(20).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shapes = format!(
            "a square image of {}×{} to {}×{} pixels ({} to {} values a row, or one more with a label first)",
            MIN_SIDE,
            MIN_SIDE,
            MAX_SIDE,
            MAX_SIDE,
            MIN_SIDE * MIN_SIDE,
            MAX_SIDE * MAX_SIDE
        );
        match self {
            CsvError::Empty => write!(
                f,
                "the file has no samples: it is empty, or holds a header alone"
            ),
            CsvError::TooLarge { bytes } => write!(
                f,
                "the file has {bytes} bytes; at most {} MB are read",
                MAX_BYTES / (1024 * 1024)
            ),
            CsvError::TooMany { rows } => write!(
                f,
                "the file has {rows} samples; at most {MAX_SAMPLES} are read"
            ),
            CsvError::TooFew { rows } => write!(
                f,
                "the file has {rows} sample{}; at least {MIN_SAMPLES} are needed to train",
                if *rows == 1 { "" } else { "s" }
            ),
            CsvError::Ragged {
                row,
                values,
                expected,
            } => write!(
                f,
                "row {row} has {values} values, but the first row has {expected}: every row must hold one sample of the same size"
            ),
            CsvError::NotAnImage { values } => write!(
                f,
                "a row has {values} values, which is no image shape here; each row must hold {shapes}"
            ),
            CsvError::NotANumber { row, column, text } => write!(
                f,
                "row {row}, column {column}: {:?} is not a number; every pixel must be a number from 0 to 1 or from 0 to 255",
                short(text)
            ),
            CsvError::OutOfRange { row, column, value } => write!(
                f,
                "row {row}, column {column}: {value} is out of range; pixels go from 0 to 1, or from 0 to 255"
            ),
            CsvError::BadLabel { row, text } => write!(
                f,
                "row {row}: the label {:?} is not a whole number from 0 to 255 (names are read as labels only under a header with a label column)",
                short(text)
            ),
            CsvError::TooManyClasses { classes } => write!(
                f,
                "the label column names {classes} classes; at most {MAX_CLASSES} are told apart"
            ),
        }
    }
}

impl std::error::Error for CsvError {}

/// The side of a square image of `pixels` values, if it is an accepted shape.
fn side_of(pixels: usize) -> Option<usize> {
    (MIN_SIDE..=MAX_SIDE).find(|s| s * s == pixels)
}

/// Reads `text` as a data set called `name` (the file's name); see the module's rules.
///
/// # Errors
/// A [`CsvError`] naming the first problem found; nothing is kept then.
pub fn read_csv(text: &str, name: &str) -> Result<Dataset, CsvError> {
    if text.len() > MAX_BYTES {
        return Err(CsvError::TooLarge { bytes: text.len() });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Rows, numbered from 1 as an editor numbers a file's lines; blank lines are skipped.
    let mut rows = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .peekable();
    let Some(&(_, first)) = rows.peek() else {
        return Err(CsvError::Empty);
    };
    let cells = |line: &str| -> Vec<String> {
        line.split(',')
            .map(|c| c.trim().trim_matches('"').to_string())
            .collect()
    };
    // A header: a first row with a cell that is not a number.
    let head = cells(first);
    let header = head.iter().any(|c| c.parse::<f64>().is_err());
    let width = head.len();
    let label_column = if header {
        rows.next();
        head.iter().position(|c| c.eq_ignore_ascii_case("label"))
    } else if side_of(width).is_none() && side_of(width - 1).is_some() {
        Some(0)
    } else {
        None
    };
    let pixels = width - usize::from(label_column.is_some());
    let side = side_of(pixels).ok_or(CsvError::NotAnImage { values: pixels })?;
    let mut values: Vec<f32> = Vec::new();
    let mut labels: Vec<u8> = Vec::new();
    // The label column's cells, and whether one of them is a name rather than a number.
    let mut texts: Vec<String> = Vec::new();
    let mut named = false;
    let mut brightest = 0.0f64;
    for (row, line) in rows {
        if labels.len() == MAX_SAMPLES {
            let rows = MAX_SAMPLES
                + 1
                + text
                    .lines()
                    .skip(row)
                    .filter(|l| !l.trim().is_empty())
                    .count();
            return Err(CsvError::TooMany { rows });
        }
        let row_cells = cells(line);
        if row_cells.len() != width {
            return Err(CsvError::Ragged {
                row,
                values: row_cells.len(),
                expected: width,
            });
        }
        for (k, cell) in row_cells.iter().enumerate() {
            if Some(k) == label_column {
                match cell.parse::<u8>() {
                    Ok(label) => labels.push(label),
                    // Under a header, labels may be names; without one, only numbers.
                    Err(_) if header && !cell.is_empty() => {
                        labels.push(0);
                        named = true;
                    }
                    Err(_) => {
                        return Err(CsvError::BadLabel {
                            row,
                            text: cell.clone(),
                        });
                    }
                }
                texts.push(cell.clone());
                continue;
            }
            let column = k + 1;
            let v: f64 = cell
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| CsvError::NotANumber {
                    row,
                    column,
                    text: cell.clone(),
                })?;
            if !(0.0..=255.0).contains(&v) {
                return Err(CsvError::OutOfRange {
                    row,
                    column,
                    value: v,
                });
            }
            brightest = brightest.max(v);
            values.push(v as f32);
        }
        if label_column.is_none() {
            labels.push(0);
        }
    }
    let n = labels.len();
    if n == 0 {
        return Err(CsvError::Empty);
    }
    if n < MIN_SAMPLES {
        return Err(CsvError::TooFew { rows: n });
    }
    let scale = if brightest > 1.0 { 1.0 / 255.0 } else { 1.0 };
    let x = Array2::from_shape_vec((n, pixels), values)
        .expect("every row was checked")
        .mapv(|v| v * scale);
    if !named {
        return Ok(Dataset::of_classes(name, x, labels, (side, side)));
    }
    Dataset::of_named_classes(name, x, &texts, (side, side))
        .map_err(|classes| CsvError::TooManyClasses { classes })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` rows of a 4×4 image each, pixel `p` of row `i` = `(i + p) % 2` (times `top`).
    fn rows(n: usize, top: f64, label: bool) -> String {
        (0..n)
            .map(|i| {
                let px = (0..16).map(|p| format!("{}", ((i + p) % 2) as f64 * top));
                let cells: Vec<String> = if label {
                    std::iter::once(format!("{}", i % 3)).chain(px).collect()
                } else {
                    px.collect()
                };
                cells.join(",")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_plain_file_reads_as_square_images() {
        let d = read_csv(&rows(5, 1.0, false), "five.csv").unwrap();
        assert_eq!((d.len(), d.dim()), (5, 16));
        assert_eq!(d.image_size, (4, 4));
        assert_eq!(d.name, "five.csv");
        assert_eq!(d.labels, vec![0; 5]);
        assert_eq!(d.x[[1, 0]], 1.0);
        assert_eq!(d.x[[1, 1]], 0.0);
    }

    #[test]
    fn values_up_to_255_are_scaled_and_a_first_column_beside_a_square_is_the_label() {
        let d = read_csv(&rows(4, 255.0, true), "labelled.csv").unwrap();
        assert_eq!(d.dim(), 16);
        assert_eq!(d.labels, vec![0, 1, 2, 0]);
        assert_eq!(d.x[[0, 1]], 1.0, "255 reads as 1");
        assert!(d.x.iter().all(|v| (0.0..=1.0).contains(v)));
    }

    #[test]
    fn a_header_names_the_label_column_anywhere() {
        let head: Vec<String> = (0..16)
            .map(|p| format!("p{p}"))
            .chain(["Label".into()])
            .collect();
        let body: Vec<String> = (0..3)
            .map(|i| format!("{},{}", ["0.5"; 16].join(","), i + 7))
            .collect();
        let text = format!("{}\n{}\n", head.join(","), body.join("\n"));
        let d = read_csv(&text, "h.csv").unwrap();
        assert_eq!(d.labels, vec![7, 8, 9]);
        assert_eq!(d.x[[2, 15]], 0.5);
        // A header without a label column: every column is a pixel.
        let plain = format!(
            "{}\n{}",
            (0..16)
                .map(|p| format!("p{p}"))
                .collect::<Vec<_>>()
                .join(","),
            rows(2, 1.0, false)
        );
        assert_eq!(read_csv(&plain, "p.csv").unwrap().labels, vec![0, 0]);
    }

    #[test]
    fn a_28_by_28_image_is_accepted() {
        let row = vec!["0"; 784].join(",");
        let d = read_csv(&format!("{row}\n{row}\n"), "m.csv").unwrap();
        assert_eq!(d.image_size, (28, 28));
    }

    #[test]
    fn under_a_header_labels_may_be_names() {
        let row = ["0.5"; 16].join(",");
        let text = format!(
            "label,{}\ncircle,{row}\nbar,{row}\ncircle,{row}\n",
            (0..16)
                .map(|p| format!("p{p}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let d = read_csv(&text, "drawn.csv").unwrap();
        assert_eq!(d.classes, vec!["bar", "circle"]);
        assert_eq!(d.labels, vec![1, 0, 1]);
        let many: String = (0..300).map(|k| format!("c{k},{row}\n")).collect();
        let head = format!("label,{}\n", ["p"; 16].join(","));
        let err = read_csv(&format!("{head}{many}"), "many.csv").unwrap_err();
        assert_eq!(err, CsvError::TooManyClasses { classes: 300 });
    }

    #[test]
    fn every_bad_file_gets_its_message() {
        let good = rows(3, 1.0, false);
        let cases: Vec<(String, &str)> = vec![
            (String::new(), "the file has no samples"),
            ("\n\n  \n".into(), "the file has no samples"),
            (
                (0..16)
                    .map(|p| format!("p{p}"))
                    .collect::<Vec<_>>()
                    .join(","),
                "the file has no samples",
            ),
            (
                format!("{good}\n0,1,0"),
                "row 4 has 3 values, but the first row has 16",
            ),
            (
                "1,2,3,4,5\n1,2,3,4,5".into(),
                "a row has 5 values, which is no image shape here; each row must hold a square image of 4×4 to 28×28 pixels (16 to 784 values a row",
            ),
            (good.replacen("1", "NaN", 1), "is not a number"),
            (
                format!("{good}\n{}", ["x"; 16].join(",")),
                "row 4, column 1: \"x\" is not a number",
            ),
            (
                good.replacen("0", "-0.5", 1),
                "row 1, column 1: -0.5 is out of range",
            ),
            (
                good.replacen("1", "300", 1),
                "is out of range; pixels go from 0 to 1, or from 0 to 255",
            ),
            (
                rows(1, 1.0, false),
                "the file has 1 sample; at least 2 are needed",
            ),
            (
                format!("2.5,{}\n", ["0"; 16].join(",")).repeat(2),
                "row 1: the label \"2.5\" is not a whole number",
            ),
        ];
        for (text, want) in cases {
            let err = read_csv(&text, "bad.csv").unwrap_err().to_string();
            assert!(err.contains(want), "{want:?} not in {err:?}");
        }
    }

    #[test]
    fn too_many_rows_or_bytes_are_refused_with_the_limit() {
        let row = ["0"; 16].join(",");
        let text = format!("{row}\n").repeat(MAX_SAMPLES + 5);
        let err = read_csv(&text, "big.csv").unwrap_err();
        assert_eq!(
            err,
            CsvError::TooMany {
                rows: MAX_SAMPLES + 5
            }
        );
        assert!(err.to_string().contains("at most 20000 are read"));
        let huge = " ".repeat(MAX_BYTES + 1);
        assert!(matches!(
            read_csv(&huge, "huge.csv"),
            Err(CsvError::TooLarge { .. })
        ));
        // Exactly the limit is fine.
        assert_eq!(
            read_csv(&format!("{row}\n").repeat(MAX_SAMPLES), "max.csv")
                .unwrap()
                .len(),
            MAX_SAMPLES
        );
    }
}

//! The data sets a worker trains on: the built-in ones by name, and the one the page has
//! handed it: MNIST or Fashion-MNIST as the bytes of their file (fetched by the page only when
//! a visitor picks it), or a visitor's own data (a CSV file, or images the browser decoded).
//! The page hands the data over before the message that builds a model on it, so that
//! building stays synchronous.

use crate::data::{Dataset, DatasetKind};
use crate::image_file::read_image_file;
use crate::own_images::{Invert, Rgba, read_images};
use serde::Serialize;
use std::cell::RefCell;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The last data set handed over, under its setting's name (`mnist`, `fashion`, `own`):
    /// one at a time, since a 28 × 28 set is 31 MB.
    static LOADED: RefCell<Option<(String, Arc<Dataset>)>> = const { RefCell::new(None) };
}

/// The file (in `data/` beside the page) that the data set `name` is read from, or
/// `undefined` for a built-in data set, a visitor's own, or an unknown name.
#[wasm_bindgen(js_name = dataFile)]
pub fn data_file(name: &str) -> Option<String> {
    name.parse::<DatasetKind>().ok()?.file().map(String::from)
}

fn keep(key: &str, data: Dataset) -> JsValue {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Summary<'a> {
        name: &'a str,
        samples: usize,
        image_size: [usize; 2],
        classes: &'a [String],
    }
    let summary = super::to_js(&Summary {
        name: &data.name,
        samples: data.len(),
        image_size: [data.image_size.0, data.image_size.1],
        classes: &data.classes,
    });
    LOADED.with(|l| *l.borrow_mut() = Some((key.to_string(), Arc::new(data))));
    summary
}

/// Reads the image file `bytes` of the data set `name` and keeps it for the models built
/// next (in place of any data set handed over before).
///
/// # Errors
/// A sentence saying what is wrong with the file; the data set handed over before is kept.
#[wasm_bindgen(js_name = loadData)]
pub fn load_data(name: &str, bytes: &[u8]) -> Result<(), JsError> {
    if data_file(name).is_none() {
        return Err(JsError::new(&format!(
            "{name:?} is not a data set read from a file"
        )));
    }
    let data = read_image_file(bytes, name).map_err(|e| JsError::new(&e))?;
    keep(name, data);
    Ok(())
}

/// Reads a visitor's CSV `text` from the file `file` ([`crate::csv`]) and keeps it as the
/// data set `own`; returns `{name, samples, imageSize, classes}`.
///
/// # Errors
/// What is wrong with the file, where; the data set handed over before is kept.
#[wasm_bindgen(js_name = loadCsv)]
pub fn load_csv(file: &str, text: &str) -> Result<JsValue, JsError> {
    let data = crate::csv::read_csv(text, file).map_err(super::js_error)?;
    Ok(keep(DatasetKind::Own.name(), data))
}

/// Makes a visitor's images into the data set `own` of `side × side` samples
/// ([`crate::own_images`]): `paths[k]` is image `k`'s file, `sizes[2k]`, `sizes[2k + 1]` its
/// width and height, and `rgba` every image's pixels, one after the other; `invert` is
/// `"auto"`, `"yes"` or `"no"`. Returns `{name, samples, imageSize, classes}`.
///
/// # Errors
/// Which image cannot be used and why, or why the set cannot; the data set handed over
/// before is kept.
#[wasm_bindgen(js_name = loadImages)]
pub fn load_images(
    name: &str,
    paths: Vec<String>,
    sizes: &[u32],
    rgba: &[u8],
    side: usize,
    invert: &str,
) -> Result<JsValue, JsError> {
    let invert: Invert = invert.parse().map_err(super::js_error)?;
    if sizes.len() != 2 * paths.len() {
        return Err(JsError::new("a width and a height for every image"));
    }
    let mut images = Vec::with_capacity(paths.len());
    let mut at = 0usize;
    for (k, path) in paths.iter().enumerate() {
        let (w, h) = (sizes[2 * k] as usize, sizes[2 * k + 1] as usize);
        let len = w.saturating_mul(h).saturating_mul(4);
        let pixels = rgba
            .get(at..at.saturating_add(len))
            .ok_or_else(|| JsError::new(&format!("{path}: fewer pixels than {w} × {h}")))?;
        at += len;
        images.push(Rgba {
            path,
            width: w,
            height: h,
            pixels,
        });
    }
    let data = read_images(&images, name, side, invert).map_err(|e| JsError::new(&e))?;
    Ok(keep(DatasetKind::Own.name(), data))
}

/// The bounds of a visitor's own data, for the worker to check before it reads a file:
/// `{csvBytes, images, minSide, maxSide}`.
#[wasm_bindgen(js_name = ownLimits)]
pub fn own_limits() -> JsValue {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Limits {
        csv_bytes: usize,
        images: usize,
        min_side: usize,
        max_side: usize,
    }
    super::to_js(&Limits {
        csv_bytes: crate::csv::MAX_BYTES,
        images: crate::own_images::MAX_IMAGES,
        min_side: crate::csv::MIN_SIDE,
        max_side: crate::csv::MAX_SIDE,
    })
}

/// The message for a CSV file of `bytes` bytes, if it is too large to read
/// ([`crate::csv::CsvError::TooLarge`]).
#[wasm_bindgen(js_name = csvTooLarge)]
pub fn csv_too_large(bytes: usize) -> Option<String> {
    (bytes > crate::csv::MAX_BYTES).then(|| crate::csv::CsvError::TooLarge { bytes }.to_string())
}

/// The data set called `name`: built in (generated ones from `seed`), or the one handed over
/// under that name.
pub(crate) fn dataset(name: &str, seed: u64) -> Result<Arc<Dataset>, JsError> {
    let kind: DatasetKind = name.parse().map_err(super::js_error)?;
    if let Some(d) = Dataset::by_name(name, seed) {
        return Ok(Arc::new(d));
    }
    LOADED
        .with(|l| l.borrow().clone())
        .filter(|(key, _)| key == name)
        .map(|(_, d)| d)
        .ok_or_else(|| {
            JsError::new(&match kind.file() {
                Some(file) => format!(
                    "the data set {name} has not been loaded (the page fetches data/{file} first)"
                ),
                None => "there is no data of your own in this page yet: a link cannot carry it, since it never leaves the browser it was loaded in".to_string(),
            })
        })
}

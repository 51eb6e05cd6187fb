//! The data sets a worker trains on: the built-in ones by name, and the one the page has
//! handed it: MNIST or Fashion-MNIST as the bytes of their file (fetched by the page only when
//! a visitor picks it), or a visitor's own data (a CSV file, or images the browser decoded).
//! The page hands the data over before the message that builds a model on it, so that
//! building stays synchronous.

use crate::data::{Dataset, DatasetKind};
use crate::image_file::read_image_file;
use crate::own_images::{Invert, Rgba};
use serde::Serialize;
use std::cell::RefCell;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The data sets handed over, under their setting's name (`mnist`, `fashion`, `own`): the
    /// last file's and the last of one's own, no more (a 28 × 28 set of 10,000 is 31 MB).
    static LOADED: RefCell<Vec<(String, Arc<Dataset>)>> = const { RefCell::new(Vec::new()) };
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
    let is_file = |k: &str| data_file(k).is_some();
    LOADED.with(|l| {
        let mut l = l.borrow_mut();
        l.retain(|(k, _)| k != key && !(is_file(k) && is_file(key)));
        l.push((key.to_string(), Arc::new(data)));
    });
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

/// A visitor's images made into the data set `own` one at a time
/// ([`crate::own_images::ImageSet`]): the worker decodes each and adds it, then finishes.
#[wasm_bindgen]
pub struct OwnImages(Option<crate::own_images::ImageSet>);

#[wasm_bindgen]
impl OwnImages {
    /// An empty set of `side × side` samples; `invert` is `"auto"`, `"yes"` or `"no"`.
    ///
    /// # Errors
    /// A side or an `invert` that cannot be used.
    #[wasm_bindgen(constructor)]
    pub fn new(side: usize, invert: &str) -> Result<OwnImages, JsError> {
        let invert: Invert = invert.parse().map_err(super::js_error)?;
        crate::own_images::ImageSet::new(side, invert)
            .map(|s| OwnImages(Some(s)))
            .map_err(|e| JsError::new(&e))
    }

    /// Adds the image of the file `path`, `width × height` RGBA `pixels`.
    ///
    /// # Errors
    /// Which image cannot be used and why, or that the set is full.
    pub fn add(
        &mut self,
        path: &str,
        width: usize,
        height: usize,
        pixels: &[u8],
    ) -> Result<(), JsError> {
        let set = self
            .0
            .as_mut()
            .ok_or_else(|| JsError::new("already finished"))?;
        set.add(&Rgba {
            path,
            width,
            height,
            pixels,
        })
        .map_err(|e| JsError::new(&e))
    }

    /// Keeps the set as the data set `own`, called `name`; returns `{name, samples,
    /// imageSize, classes}`.
    ///
    /// # Errors
    /// Too few images or too many classes; the data set handed over before is kept.
    pub fn finish(&mut self, name: &str) -> Result<JsValue, JsError> {
        let set = self
            .0
            .take()
            .ok_or_else(|| JsError::new("already finished"))?;
        let data = set.finish(name).map_err(|e| JsError::new(&e))?;
        Ok(keep(DatasetKind::Own.name(), data))
    }
}

/// The bounds the page checks before it decodes a visitor's images: `{images, imageBytes,
/// pixels}` (the most images, the largest file, the largest image); the rest Rust checks as
/// it reads them.
#[wasm_bindgen(js_name = ownLimits)]
pub fn own_limits() -> JsValue {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Limits {
        images: usize,
        image_bytes: usize,
        pixels: usize,
    }
    super::to_js(&Limits {
        images: crate::own_images::MAX_IMAGES,
        image_bytes: crate::own_images::MAX_IMAGE_BYTES,
        pixels: crate::own_images::MAX_PIXELS,
    })
}

/// The message for a CSV file of `bytes` bytes, if it is too large to read
/// ([`crate::csv::CsvError::TooLarge`]).
#[wasm_bindgen(js_name = csvTooLarge)]
pub fn csv_too_large(bytes: usize) -> Option<String> {
    (bytes > crate::csv::MAX_BYTES).then(|| crate::csv::CsvError::TooLarge { bytes }.to_string())
}

/// Why the data set `name` cannot be built in this worker now (a file not handed over yet, or
/// no data of one's own), or `undefined` when it can: the worker asks the page for a file
/// before it builds a model on it.
#[wasm_bindgen(js_name = dataMissing)]
pub fn data_missing(name: &str) -> Option<String> {
    let kind: DatasetKind = name.parse().ok()?;
    let loaded = || LOADED.with(|l| l.borrow().iter().any(|(key, _)| key == name));
    if kind.built_in() || loaded() {
        return None;
    }
    Some(match kind.file() {
        Some(file) => format!(
            "the data set {name} has not been loaded (the page fetches data/{file} first)"
        ),
        None => "dataset=own names data of a visitor's own, which stays in the browser it was loaded in: a link cannot carry it. Load the file again under \"Your own data\".".to_string(),
    })
}

/// The data set called `name`: built in (generated ones from `seed`), or the one handed over
/// under that name.
pub(crate) fn dataset(name: &str, seed: u64) -> Result<Arc<Dataset>, JsError> {
    name.parse::<DatasetKind>().map_err(super::js_error)?;
    if let Some(data) = Dataset::by_name(name, seed) {
        return Ok(Arc::new(data));
    }
    LOADED
        .with(|l| {
            let loaded = l.borrow();
            loaded
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, d)| d.clone())
        })
        .ok_or_else(|| JsError::new(&data_missing(name).unwrap_or_default()))
}

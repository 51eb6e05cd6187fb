//! The data sets a worker trains on: the built-in ones by name, and the one the page has
//! handed it as bytes (MNIST or Fashion-MNIST, fetched by the page only when a visitor picks
//! it). The page sends the bytes before the message that builds a model on them, so that
//! building stays synchronous.

use crate::data::{Dataset, DatasetKind};
use crate::image_file::read_image_file;
use std::cell::RefCell;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The last data set loaded from bytes (one at a time: a 28 × 28 set is 31 MB).
    static LOADED: RefCell<Option<Arc<Dataset>>> = const { RefCell::new(None) };
}

/// The file (in `data/` beside the page) that the data set `name` is read from, or
/// `undefined` for a built-in data set or an unknown name.
#[wasm_bindgen(js_name = dataFile)]
pub fn data_file(name: &str) -> Option<String> {
    name.parse::<DatasetKind>().ok()?.file().map(String::from)
}

/// Reads the image file `bytes` of the data set `name` and keeps it for the models built
/// next (in place of any data set loaded before).
///
/// # Errors
/// A sentence saying what is wrong with the file; the data set loaded before is kept.
#[wasm_bindgen(js_name = loadData)]
pub fn load_data(name: &str, bytes: &[u8]) -> Result<(), JsError> {
    if data_file(name).is_none() {
        return Err(JsError::new(&format!(
            "{name:?} is not a data set read from a file"
        )));
    }
    let data = read_image_file(bytes, name).map_err(|e| JsError::new(&e))?;
    LOADED.with(|l| *l.borrow_mut() = Some(Arc::new(data)));
    Ok(())
}

/// The data set called `name`: built in (generated ones from `seed`), or the one loaded by
/// [`load_data`] under that name.
pub(crate) fn dataset(name: &str, seed: u64) -> Result<Arc<Dataset>, JsError> {
    let kind: DatasetKind = name.parse().map_err(super::js_error)?;
    match kind.file() {
        None => Ok(Arc::new(
            Dataset::by_name(name, seed).expect("a built-in data set"),
        )),
        Some(file) => LOADED
            .with(|l| l.borrow().clone())
            .filter(|d| d.name == name)
            .ok_or_else(|| {
                JsError::new(&format!(
                    "the data set {name} has not been loaded (the page fetches data/{file} first)"
                ))
            }),
    }
}

//! The one module that touches the web: the pure code exported to JavaScript as opaque
//! handles with few, large calls, one file per exported type: [`playground`] (one model of
//! the lab, as a worker runs it), [`params`] (the page's URL parameters), [`bench`] (the
//! benchmark's trainers). Settings arrive as plain objects or text and are validated by the
//! pure code; results leave as plain objects or byte arrays. This file holds the functions
//! and helpers they share.

use crate::render::tick_step;
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

pub mod bench;
pub mod data;
pub mod params;
pub mod playground;

pub use bench::{BenchTrainer, MatmulBench};
pub use params::PageParams;
pub use playground::WebPlayground;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps the message of a Rust panic so that the page can show it (after the panic, the
/// module traps and JavaScript sees only "unreachable").
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&JsValue::from_str(&message));
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(message));
    }));
}

/// The message of the last Rust panic, if there was one.
#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> Option<String> {
    LAST_PANIC.with(|p| p.borrow().clone())
}

/// A weights file, already parsed by `JSON.parse` (the browser's parser: no JSON library in
/// the wasm), checked by [`crate::weights::from_file`].
pub(crate) fn weights_from_js(
    file: JsValue,
) -> Result<(crate::model::Model<f32>, crate::weights::StoredConfig), JsError> {
    let file: crate::weights::WeightsFile = serde_wasm_bindgen::from_value(file).map_err(|e| {
        // Its text is a JavaScript error's, "Error: …": the sentence needs only what follows.
        let text = e.to_string();
        let why = text.strip_prefix("Error: ").unwrap_or(&text).to_string();
        JsError::new(&crate::weights::WeightsError::Json(why).to_string())
    })?;
    crate::weights::from_file(file).map_err(|e| JsError::new(&e.to_string()))
}

/// What a weights file (parsed by `JSON.parse`) holds, without loading it: `{model, input,
/// hidden, latent, activation}`, so that the page can rebuild itself to fit before loading.
///
/// # Errors
/// A sentence saying what is wrong with the file.
#[wasm_bindgen(js_name = weightsInfo)]
pub fn weights_info(file: JsValue) -> Result<JsValue, JsError> {
    let (model, _) = weights_from_js(file)?;
    #[derive(Serialize)]
    struct Info {
        model: &'static str,
        input: usize,
        hidden: usize,
        latent: usize,
        activation: &'static str,
    }
    Ok(to_js(&Info {
        model: model.kind.name(),
        input: model.sizes.input,
        hidden: model.sizes.hidden,
        latent: model.sizes.latent,
        activation: model.activation.name(),
    }))
}

/// The longest text a weights file for images of `input` pixels can need (see
/// [`crate::weights::max_file_chars`]): a longer one is refused before it is parsed.
#[wasm_bindgen(js_name = weightsMaxChars)]
pub fn weights_max_chars(input: usize) -> usize {
    crate::weights::max_file_chars(input)
}

/// The class colours of the views, as CSS hex strings, index = class (for the legend).
#[wasm_bindgen(js_name = classColours)]
pub fn class_colours() -> Vec<String> {
    crate::render::CLASS_COLOURS
        .iter()
        .map(|[r, g, b]| format!("#{r:02x}{g:02x}{b:02x}"))
        .collect()
}

/// The grid-line values of a view of half-width `range` (for the axis labels).
#[wasm_bindgen]
pub fn ticks(range: f32) -> Vec<f32> {
    let step = tick_step(range);
    let first = (-range / step).ceil() as i32;
    let last = (range / step).floor() as i32;
    (first..=last).map(|k| k as f32 * step).collect()
}

/// `value` as a plain JavaScript object (maps too, so that `#[serde(flatten)]` gives one).
pub(crate) fn to_js<T: Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    value.serialize(&serializer).expect("plain data serialises")
}

/// A message for JavaScript from any displayable error.
pub(crate) fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

//! [`PageParams`] for JavaScript: the page's URL parameters, by the one table of
//! [`crate::params`].

use super::to_js;
use wasm_bindgen::prelude::*;

/// The page's URL parameters (see [`crate::params`]): read from the query once, changed as
/// the visitor changes controls, and written back as the shortest query that reproduces them.
#[wasm_bindgen]
pub struct PageParams {
    values: std::collections::BTreeMap<&'static str, crate::params::Value>,
    notices: Vec<String>,
}

#[wasm_bindgen]
impl PageParams {
    /// Parses `query` (with or without its `?`); never fails: bad parameters become notices.
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str) -> PageParams {
        let parsed = crate::params::parse(query);
        PageParams {
            values: parsed.values,
            notices: parsed.notices,
        }
    }

    /// Every parameter with the value in use: `{beta: 1, speed: "max", hide: [], ...}`.
    pub fn values(&self) -> JsValue {
        to_js(&self.values)
    }

    /// The sentences saying which parameters of the query were not used as written.
    pub fn notices(&self) -> Vec<String> {
        self.notices.clone()
    }

    /// Sets `key` from the text `raw`, by the URL's rules; returns a notice if the value was
    /// changed on the way (clamped or rounded).
    ///
    /// # Errors
    /// The sentence saying why `raw` cannot be used, or that `key` is unknown; nothing
    /// changes then.
    pub fn set(&mut self, key: &str, raw: &str) -> Result<Option<String>, JsError> {
        let (value, notice) = crate::params::parse_one(key, raw).map_err(|e| JsError::new(&e))?;
        let key = crate::params::param(key).expect("parse_one knows it").key;
        self.values.insert(key, value);
        Ok(notice)
    }

    /// Sets `key` back to its default (an attribute removed); returns no notice.
    ///
    /// # Errors
    /// If `key` is not a parameter.
    pub fn clear(&mut self, key: &str) -> Result<Option<String>, JsError> {
        let param = crate::params::param(key)
            .ok_or_else(|| JsError::new(&format!("there is no setting called \"{key}\"")))?;
        self.values
            .insert(param.key, crate::params::default_value(param));
        Ok(None)
    }

    /// The parameters whose change starts a new run (see [`crate::params::RUN_KEYS`]).
    #[wasm_bindgen(js_name = runKeys)]
    pub fn run_keys(&self) -> Vec<String> {
        crate::params::RUN_KEYS
            .iter()
            .map(|k| k.to_string())
            .collect()
    }

    /// The figures `figure=` shows alone (see [`crate::params::FIGURES`]), `none` first: the
    /// page's one list of them (the Embed dialog offers them).
    pub fn figures(&self) -> Vec<String> {
        crate::params::FIGURES
            .iter()
            .map(|f| f.to_string())
            .collect()
    }

    /// The shortest query (without `?`) that reproduces these values.
    pub fn query(&self) -> String {
        crate::params::format(&self.values)
    }
}

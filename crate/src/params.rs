//! The page's settings as URL parameters: one typed table, with defaults and bounds, that
//! parses a query string into values and notices and writes values back into the shortest
//! query that reproduces them.
//!
//! A bad parameter never stops the page: a value that is not of its kind, or empty, falls
//! back to the default; a number out of bounds goes to the nearest bound; an unknown key or
//! list item is ignored. Each of these adds a notice, a plain sentence (never markup) naming
//! the parameter, what was wrong, and what is used instead.

use crate::config::{
    DEFAULT_ACTIVATION, DEFAULT_BATCH, DEFAULT_BETA, DEFAULT_HIDDEN, DEFAULT_LR, DEFAULT_NOISE,
    DEFAULT_SEED, MAX_BETA, MAX_HIDDEN, MAX_LR, MAX_RANGE, MIN_BETA, MIN_LR, MIN_RANGE, Noise,
};
use crate::data::{DIGITS_SAMPLES, Dataset, EVAL_SAMPLES};
use crate::layers::Activation;
use crate::quote::quote;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What a parameter holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A number in `[min, max]`, whole if `integer`; `words`, if any, are also accepted (as in
    /// `speed=max`, `speed=lesson` or `range=fit`).
    Number {
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
        /// Whether only whole numbers are meant.
        integer: bool,
        /// Words accepted instead of a number.
        words: &'static [&'static str],
    },
    /// One of these words.
    Choice(&'static [&'static str]),
    /// On or off: `1`, `true`, `yes` or nothing after the key is on; `0`, `false`, `no` off.
    Flag,
    /// A comma-separated subset of these words.
    List(&'static [&'static str]),
    /// A lab: a comma-separated list of model recipes (see [`crate::recipe`]).
    Recipes,
    /// Any text of at most this many characters (longer text is cut, with a notice); the
    /// page shows it as text, never as markup.
    Text(usize),
    /// Two different whole numbers from 0 to this bound, `I,J` (two samples).
    Pair(usize),
    /// A path on the page's own server: letters, digits, `.`, `_`, `-` and `/`, not starting
    /// with `//` and without `..`.
    Path,
}

/// The figures the page can show alone, without controls, for embedding (`figure=`).
pub const FIGURES: &[&str] = &[
    "none", "views", "maps", "chart", "rate", "walk", "pad", "presets", "tear", "pull", "prior",
];

/// The longest caption, in characters.
pub const MAX_CAPTION: usize = 300;

/// The longest path (`weights=`), in characters.
pub const MAX_PATH: usize = 200;

/// A parameter's default, as the table holds it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Initial {
    /// A number (of a [`Kind::Number`] parameter): one of the constants the model's own
    /// defaults and checks use, so that it is written once.
    Number(f64),
    /// Text as a URL writes it: a word, a flag (`0`), a list, a lab, or nothing.
    Text(&'static str),
}

impl std::fmt::Display for Initial {
    /// As a URL writes it (`1`, `0.001`, `max`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Initial::Number(n) => f.write_str(&format_number(*n)),
            Initial::Text(t) => f.write_str(t),
        }
    }
}

/// Where a change of a parameter takes effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// It defines the run: a change starts a new run (for `models`, a new lab), as loading
    /// its link would: the models, the data set, the seed, the hidden layers' size and
    /// nonlinearity.
    Run,
    /// It takes effect in the run going on, from the next step or frame: the worker puts it
    /// into its model (β, the learning rate, the noise, the batch, the view's range and the
    /// map under the codes, through [`crate::playground::Playground::apply`]) or into its own
    /// pace (the speed).
    Live,
    /// The page acts on it alone, and no model takes it as a setting: its layout (`show`,
    /// `embed`, `hide`, `figure`, `caption`) or what it does with a link it opens (`autoplay`
    /// plays, `stop` trains to a step and holds, `pair` shows the walk between two samples,
    /// `weights` fetches a file and loads it into the models).
    Page,
}

/// One parameter of the table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Param {
    /// The key in the URL.
    pub key: &'static str,
    /// What it holds, with its bounds.
    pub kind: Kind,
    /// The step of its control on the page, where that is a slider or a number field (the
    /// template's `step`); `None` for the others (a list, a checkbox, none).
    pub step: Option<f64>,
    /// Its default: a number from the settings' constants ([`crate::config`]), or text as a
    /// URL writes it.
    pub default: Initial,
    /// Where a change takes effect.
    pub scope: Scope,
    /// What it sets, for the table in docs/embedding.md and notices.
    pub help: &'static str,
}

/// The parameters that define a run ([`Scope::Run`]), in the table's order: changing one
/// starts a new run (for `models`, a new lab), as loading its link would; every other one
/// takes effect in the run going on, or is the page's alone.
pub const RUN_KEYS: &[&str] = &keys_of::<{ count_of(Scope::Run) }>(Scope::Run);

/// How many parameters of the table are of `scope`.
const fn count_of(scope: Scope) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < PARAMS.len() {
        if PARAMS[i].scope as u8 == scope as u8 {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The keys of the `N` parameters of `scope`, in the table's order.
const fn keys_of<const N: usize>(scope: Scope) -> [&'static str; N] {
    let mut keys = [""; N];
    let (mut i, mut n) = (0, 0);
    while i < PARAMS.len() {
        if PARAMS[i].scope as u8 == scope as u8 {
            keys[n] = PARAMS[i].key;
            n += 1;
        }
        i += 1;
    }
    assert!(n == N, "N is the count of the scope's parameters");
    keys
}

/// The parameter of the table called `key`.
pub fn param(key: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.key == key)
}

/// The parts of the page that `hide=` can hide.
pub const HIDEABLE: &[&str] = &[
    "play",
    "step",
    "reset",
    "seed",
    "beta",
    "lr",
    "noise",
    "batch",
    "speed",
    "range",
    "dataset",
    "own",
    "link",
    "embed",
    "export",
    "readouts",
    "inspector",
    "chart",
    "explain",
    "map",
    "maps",
    "interpolate",
    "pad",
    "presets",
    "tear",
    "rate",
    "prior",
    "pull",
    "open",
];

const fn number(min: f64, max: f64, integer: bool, words: &'static [&'static str]) -> Kind {
    Kind::Number {
        min,
        max,
        integer,
        words,
    }
}

/// The steps of the page's guided tour (www/tour.js lists them; a browser test checks that
/// the two agree).
pub const TOUR_STEPS: usize = 7;

/// Every URL parameter of the page, in the order the canonical query writes them.
pub const PARAMS: &[Param] = &[
    Param {
        key: "models",
        kind: Kind::Recipes,
        step: None,
        default: Initial::Text("vae,ae"),
        scope: Scope::Run,
        help: "the models trained side by side, 1 to 4 recipes",
    },
    Param {
        key: "dataset",
        kind: Kind::Choice(Dataset::NAMES),
        step: None,
        default: Initial::Text("digits"),
        scope: Scope::Run,
        help: "the data set",
    },
    Param {
        key: "seed",
        kind: number(0.0, 4_294_967_295.0, true, &[]),
        step: None,
        default: Initial::Number(DEFAULT_SEED as f64),
        scope: Scope::Run,
        help: "the seed of every random choice",
    },
    Param {
        key: "hidden",
        kind: number(1.0, MAX_HIDDEN as f64, true, &[]),
        step: None,
        default: Initial::Number(DEFAULT_HIDDEN as f64),
        scope: Scope::Run,
        help: "units per hidden layer",
    },
    Param {
        key: "activation",
        kind: Kind::Choice(Activation::NAMES),
        step: None,
        default: Initial::Text(DEFAULT_ACTIVATION.name()),
        scope: Scope::Run,
        help: "the hidden layers' nonlinearity",
    },
    Param {
        key: "beta",
        kind: number(MIN_BETA, MAX_BETA, false, &[]),
        step: Some(0.05),
        default: Initial::Number(DEFAULT_BETA),
        scope: Scope::Live,
        help: "β, the weight of the KL term",
    },
    Param {
        key: "lr",
        kind: number(MIN_LR, MAX_LR, false, &[]),
        step: None,
        default: Initial::Number(DEFAULT_LR),
        scope: Scope::Live,
        help: "the learning rate",
    },
    Param {
        key: "noise",
        kind: Kind::Choice(Noise::NAMES),
        step: None,
        default: Initial::Text(DEFAULT_NOISE.name()),
        scope: Scope::Live,
        help: "the VAE's code while training: sampled, or the mean",
    },
    Param {
        key: "batch",
        kind: number(1.0, DIGITS_SAMPLES as f64, true, &[]),
        step: None,
        default: Initial::Number(DEFAULT_BATCH as f64),
        scope: Scope::Live,
        help: "samples per step",
    },
    Param {
        key: "speed",
        kind: number(0.5, 10_000.0, false, &["lesson", "max"]),
        step: None,
        default: Initial::Text("lesson"),
        scope: Scope::Live,
        help: "steps per second; lesson (an epoch a second, pausing once at the lesson's milestone); or max",
    },
    Param {
        key: "range",
        kind: number(MIN_RANGE, MAX_RANGE, false, &["fit"]),
        step: None,
        default: Initial::Text("fit"),
        scope: Scope::Live,
        help: "each view fits its own codes (fit), or every view shows −range to range",
    },
    Param {
        key: "map",
        kind: Kind::Flag,
        step: None,
        default: Initial::Text("0"),
        scope: Scope::Live,
        help: "the decoder maps in grey under the codes, as well as in their own panel",
    },
    Param {
        key: "show",
        kind: Kind::Choice(&["both", "vae", "ae"]),
        step: None,
        default: Initial::Text("both"),
        scope: Scope::Page,
        help: "which models' views to show",
    },
    Param {
        key: "embed",
        kind: Kind::Flag,
        step: None,
        default: Initial::Text("0"),
        scope: Scope::Page,
        help: "embed mode: no page chrome",
    },
    Param {
        key: "hide",
        kind: Kind::List(HIDEABLE),
        step: None,
        default: Initial::Text(""),
        scope: Scope::Page,
        help: "controls and panels to hide",
    },
    Param {
        key: "autoplay",
        kind: Kind::Flag,
        step: None,
        default: Initial::Text("0"),
        scope: Scope::Page,
        help: "start training when the page opens",
    },
    Param {
        key: "stop",
        kind: number(0.0, 100_000.0, true, &[]),
        step: None,
        default: Initial::Number(0.0),
        scope: Scope::Page,
        help: "train to this step when the page opens, then hold there (0: no)",
    },
    Param {
        key: "figure",
        kind: Kind::Choice(FIGURES),
        step: None,
        default: Initial::Text("none"),
        scope: Scope::Page,
        help: "one figure alone, without controls, for embedding",
    },
    Param {
        key: "tour",
        kind: number(0.0, TOUR_STEPS as f64, true, &[]),
        step: None,
        default: Initial::Number(0.0),
        scope: Scope::Page,
        help: "the guided tour, open at this step (0: closed)",
    },
    Param {
        key: "caption",
        kind: Kind::Text(MAX_CAPTION),
        step: None,
        default: Initial::Text(""),
        scope: Scope::Page,
        help: "a caption under the playground, shown as text",
    },
    Param {
        key: "pair",
        // Samples count in those the views show: at most EVAL_SAMPLES (the worker checks the
        // data set in force).
        kind: Kind::Pair(EVAL_SAMPLES - 1),
        step: None,
        default: Initial::Text(""),
        scope: Scope::Page,
        help: "the two samples of the walk between them, I,J",
    },
    Param {
        key: "weights",
        kind: Kind::Path,
        step: None,
        default: Initial::Text(""),
        scope: Scope::Page,
        help: "a weights file on this site to start from",
    },
];

/// A parameter's value.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A number.
    Number(f64),
    /// A word (a choice, or a number parameter's word such as `max`).
    Word(String),
    /// A flag.
    Flag(bool),
    /// A list of words.
    List(Vec<String>),
}

/// Parsed parameters: every key of the table with its value, and the notices.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Parsed {
    /// Every parameter of the table, with the value to use.
    pub values: BTreeMap<&'static str, Value>,
    /// One sentence per parameter that was not used as written.
    pub notices: Vec<String>,
}

/// The most notices listed one by one; the rest are counted in one last notice.
pub const MAX_NOTICES: usize = 10;

/// A number written the shortest way that reads back the same (`0.001`, `4`, `1e-5`).
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Decodes `%XX` escapes and `+` (as a space) of one query component. Bad escapes are kept
/// as they are; invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The default of `param` as a value.
pub fn default_value(param: &Param) -> Value {
    match param.default {
        Initial::Number(n) => Value::Number(n),
        Initial::Text(text) => parse_value(param, text).expect("defaults parse"),
    }
}

/// Reads `raw` as a value of `param`: `Ok` with a value (a clamped number says so in its
/// notice), or `Err` with the reason it cannot be read.
fn parse_value(param: &Param, raw: &str) -> Result<Value, String> {
    let raw = raw.trim();
    match param.kind {
        Kind::Number { words, .. } => {
            if let Some(w) = words.iter().find(|w| raw.eq_ignore_ascii_case(w)) {
                return Ok(Value::Word(w.to_string()));
            }
            if raw.is_empty() {
                return Err("is empty".into());
            }
            let v: f64 = raw.parse().map_err(|_| match words {
                [] => "is not a number".to_string(),
                [w] => format!("is not a number or \"{w}\""),
                [ws @ .., last] => format!(
                    "is not a number, {} or \"{last}\"",
                    ws.iter()
                        .map(|w| format!("\"{w}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })?;
            if !v.is_finite() {
                return Err("is not a finite number".into());
            }
            Ok(Value::Number(v))
        }
        Kind::Choice(options) => options
            .iter()
            .find(|o| o.eq_ignore_ascii_case(raw))
            .map(|o| Value::Word(o.to_string()))
            .ok_or_else(|| format!("is not one of {}", options.join(", "))),
        Kind::Flag => match raw.to_ascii_lowercase().as_str() {
            "" | "1" | "true" | "yes" | "on" => Ok(Value::Flag(true)),
            "0" | "false" | "no" | "off" => Ok(Value::Flag(false)),
            _ => Err("is not 1 or 0".into()),
        },
        Kind::Recipes => crate::recipe::parse_list(raw)
            .map(|list| Value::Word(crate::recipe::format_list(&list)))
            .map_err(|e| format!("cannot be read ({e})")),
        Kind::Text(_) => Ok(Value::Word(
            raw.chars().filter(|c| !c.is_control()).collect(),
        )),
        Kind::Pair(max) => {
            if raw.is_empty() {
                return Ok(Value::Word(String::new()));
            }
            let whole = |w: &str| w.trim().parse::<usize>().ok().filter(|&i| i <= max);
            match raw.split(',').map(whole).collect::<Vec<_>>()[..] {
                [Some(i), Some(j)] if i != j => Ok(Value::Word(format!("{i},{j}"))),
                [Some(_), Some(_)] => Err("names the same sample twice".into()),
                _ => Err(format!("is not two whole numbers from 0 to {max}, I,J")),
            }
        }
        Kind::Path => {
            let allowed = |c: char| c.is_ascii_alphanumeric() || "._-/".contains(c);
            if raw.len() > MAX_PATH {
                Err(format!("is longer than {MAX_PATH} characters"))
            } else if raw.chars().all(allowed) && !raw.starts_with("//") && !raw.contains("..") {
                Ok(Value::Word(raw.to_string()))
            } else {
                Err("is not a path on this site (letters, digits, . _ - and /, no ..)".into())
            }
        }
        Kind::List(_) => Ok(Value::List(
            raw.split(',')
                .map(|w| w.trim().to_ascii_lowercase())
                .filter(|w| !w.is_empty())
                .collect(),
        )),
    }
}

/// A readable value of `param` made usable: a number clamped to its bounds (and rounded if
/// whole numbers are meant), a list kept to its allowed words; a notice for each change.
fn settle(param: &Param, value: Value, raw: &str, notices: &mut Vec<String>) -> Value {
    match (param.kind, value) {
        (
            Kind::Number {
                min, max, integer, ..
            },
            Value::Number(v),
        ) => {
            let mut used = v.clamp(min, max);
            if integer {
                used = used.round();
            }
            if used != v {
                let why = if v < min {
                    format!("is below the smallest value, {}", format_number(min))
                } else if v > max {
                    format!("is above the largest value, {}", format_number(max))
                } else {
                    "is not a whole number".to_string()
                };
                notices.push(format!(
                    "{}={} {why}, so {} is {}.",
                    param.key,
                    quote(raw),
                    param.key,
                    format_number(used)
                ));
            }
            Value::Number(used)
        }
        (Kind::List(allowed), Value::List(items)) => {
            let mut kept = Vec::new();
            for item in items {
                if allowed.contains(&item.as_str()) {
                    if !kept.contains(&item) {
                        kept.push(item);
                    }
                } else {
                    notices.push(format!(
                        "{}: {} is not something that can be hidden, so it was ignored.",
                        param.key,
                        quote(&item)
                    ));
                }
            }
            Value::List(kept)
        }
        (Kind::Text(max), Value::Word(text)) => {
            if raw.chars().any(char::is_control) {
                notices.push(format!(
                    "{}: its control characters (line breaks, tabs and the like) were left out.",
                    param.key
                ));
            }
            if text.chars().count() > max {
                notices.push(format!(
                    "{} is longer than {max} characters, so it was cut there.",
                    param.key
                ));
                Value::Word(text.chars().take(max).collect())
            } else {
                Value::Word(text)
            }
        }
        (_, v) => v,
    }
}

/// Parses a query string (with or without its leading `?`).
pub fn parse(query: &str) -> Parsed {
    let mut values: BTreeMap<&'static str, Value> =
        PARAMS.iter().map(|p| (p.key, default_value(p))).collect();
    let mut notices = Vec::new();
    let mut seen: Vec<&'static str> = Vec::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(key);
        let raw = percent_decode(raw);
        let Some(param) = param(&key) else {
            notices.push(format!(
                "The parameter {} is not known here, so it was ignored.",
                quote(&key)
            ));
            continue;
        };
        if seen.contains(&param.key) {
            notices.push(format!(
                "{} appears more than once; only its first value is used, so {}={} was ignored.",
                param.key,
                param.key,
                quote(&raw)
            ));
            continue;
        }
        seen.push(param.key);
        let value = match parse_value(param, &raw) {
            Ok(v) => v,
            Err(why) => {
                let default = match param.default {
                    Initial::Text("") => "none".to_string(),
                    d => format!("its default, {d}"),
                };
                notices.push(format!(
                    "{}={} {why}, so {} ({}) uses {default}.",
                    param.key,
                    quote(&raw),
                    param.key,
                    param.help,
                ));
                continue;
            }
        };
        let value = settle(param, value, &raw, &mut notices);
        values.insert(param.key, value);
    }
    Parsed {
        values,
        notices: capped(notices),
    }
}

/// At most [`MAX_NOTICES`] notices: the first ones, then one that counts the rest.
fn capped(mut notices: Vec<String>) -> Vec<String> {
    if notices.len() > MAX_NOTICES {
        let more = notices.len() - (MAX_NOTICES - 1);
        notices.truncate(MAX_NOTICES - 1);
        notices.push(format!("… and {more} more were not used as written."));
    }
    notices
}

/// `text` with every byte but letters, digits and `-._~,/:=!$'()*;@?` written as `%XX`, so
/// that any text (a caption) goes into a query and [`percent_decode`] reads it back, while
/// recipes (`vae:beta=2`) stay as they are written.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~,/:=!$'()*;@?".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn write_value(v: &Value) -> String {
    match v {
        Value::Number(n) => format_number(*n),
        Value::Word(w) => percent_encode(w),
        Value::Flag(f) => (if *f { "1" } else { "0" }).to_string(),
        Value::List(items) => items.join(","),
    }
}

/// The shortest query (without `?`) that [`parse`] reads back to `values`: the parameters
/// that differ from their defaults, in table order. Words are percent-encoded where they
/// need it (a caption's spaces and punctuation).
pub fn format(values: &BTreeMap<&'static str, Value>) -> String {
    let mut out = String::new();
    for p in PARAMS {
        let Some(v) = values.get(p.key) else { continue };
        if *v == default_value(p) {
            continue;
        }
        if !out.is_empty() {
            out.push('&');
        }
        let _ = write!(out, "{}={}", p.key, write_value(v));
    }
    out
}

/// Reads one value for `key` as the page would from a control, by the same rules as the URL:
/// the value to use and, if it was changed (clamped or rounded), the notice saying so.
///
/// # Errors
/// The notice saying why `raw` cannot be used at all, or that `key` is unknown.
pub fn parse_one(key: &str, raw: &str) -> Result<(Value, Option<String>), String> {
    let Some(param) = param(key) else {
        return Err(format!("The parameter {} is not known here.", quote(key)));
    };
    let value = parse_value(param, raw).map_err(|why| format!("{key}={} {why}.", quote(raw)))?;
    let mut notices = Vec::new();
    let value = settle(param, value, raw, &mut notices);
    let notices = capped(notices);
    Ok((value, (!notices.is_empty()).then(|| notices.join(" "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(query: &str, key: &str) -> Value {
        parse(query).values[key].clone()
    }

    #[test]
    fn an_empty_query_gives_every_default_and_no_notice() {
        let p = parse("");
        assert!(p.notices.is_empty());
        assert_eq!(p.values.len(), PARAMS.len());
        assert_eq!(p.values["beta"], Value::Number(1.0));
        assert_eq!(p.values["speed"], Value::Word("lesson".into()));
        assert_eq!(p.values["embed"], Value::Flag(false));
        assert_eq!(p.values["hide"], Value::List(vec![]));
        assert_eq!(format(&p.values), "");
    }

    #[test]
    fn every_parameter_round_trips() {
        let examples = [
            ("models", "vae,vae:beta=0"),
            ("dataset", "bars"),
            ("seed", "4294967295"),
            ("hidden", "32"),
            ("activation", "tanh"),
            ("beta", "2.5"),
            ("lr", "0.0003"),
            ("noise", "mean"),
            ("batch", "200"),
            ("speed", "30"),
            ("range", "6"),
            ("map", "1"),
            ("show", "vae"),
            ("embed", "1"),
            ("hide", "lr,dataset"),
            ("autoplay", "1"),
            ("stop", "840"),
            ("figure", "chart"),
            ("tour", "3"),
            ("caption", "Figure 1: the <b>VAE</b> & the AE, 50% done?"),
            ("pair", "3,1799"),
            ("weights", "figures/vae-weights.json"),
        ];
        assert_eq!(
            examples.len(),
            PARAMS.len(),
            "an example for every parameter"
        );
        let query: Vec<String> = examples
            .iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(v)))
            .collect();
        let query = query.join("&");
        let parsed = parse(&query);
        assert!(parsed.notices.is_empty(), "{:?}", parsed.notices);
        let written = format(&parsed.values);
        // No example is a default, so every one is written, and reads back the same.
        assert_eq!(parse(&written).values, parsed.values);
        for (k, v) in examples.iter() {
            assert!(
                written.contains(&format!("{k}={}", percent_encode(v))),
                "{k} in {written}"
            );
            assert_eq!(write_value(&parsed.values[k]), percent_encode(v), "{k}");
        }
        assert_eq!(
            parsed.values["caption"],
            Value::Word("Figure 1: the <b>VAE</b> & the AE, 50% done?".into()),
            "any text, read back as written"
        );
        assert!(
            written.contains("models=vae,vae:beta=0&"),
            "recipes as written"
        );
        assert!(written.contains("caption=Figure%201:%20the%20%3Cb%3EVAE%3C/b%3E%20%26%20"));
        // Defaults are left out of the query and still read back.
        assert_eq!(format(&parse("dataset=digits&beta=1").values), "");
        for p in PARAMS {
            let mut values = parse("").values;
            values.insert(p.key, default_value(p));
            assert_eq!(parse(&format(&values)).values, values, "{}", p.key);
        }
    }

    #[test]
    fn bad_values_fall_back_with_a_notice() {
        let p = parse("beta=banana&lr=-1&batch=1e9&seed=&hidden=2.6&range=wide");
        assert_eq!(
            p.values["beta"],
            Value::Number(1.0),
            "not a number: default"
        );
        assert_eq!(
            p.values["lr"],
            Value::Number(1e-5),
            "below the bound: the bound"
        );
        assert_eq!(
            p.values["batch"],
            Value::Number(1797.0),
            "above the bound: the bound"
        );
        assert_eq!(p.values["seed"], Value::Number(0.0), "empty: default");
        assert_eq!(
            p.values["hidden"],
            Value::Number(3.0),
            "whole numbers are rounded"
        );
        assert_eq!(
            p.values["range"],
            Value::Word("fit".into()),
            "bad: the default"
        );
        assert_eq!(p.notices.len(), 6, "{:#?}", p.notices);
        assert!(p.notices[0].starts_with("beta=\"banana\" is not a number"));
        assert!(
            p.notices[1].contains("below the smallest value, 0.00001, so lr is 0.00001"),
            "{}",
            p.notices[1]
        );
        assert!(p.notices[2].contains("above the largest value, 1797, so batch is 1797"));
        assert!(p.notices[3].starts_with("seed=\"\" is empty"));
        assert!(p.notices[4].contains("not a whole number"));
        assert!(p.notices[5].contains("is not a number or \"fit\""));
    }

    #[test]
    fn a_lab_with_one_recipe_twice_falls_back_and_no_notice_quotes_a_whole_value() {
        for lab in ["vae,vae", "vae:beta=1,vae:beta=1.0", "ae,ae,ae,ae"] {
            let p = parse(&format!("models={lab}"));
            assert_eq!(p.values["models"], Value::Word("vae,ae".into()), "{lab}");
            assert!(
                p.notices[0].contains("is in the list twice"),
                "{:?}",
                p.notices
            );
        }
        let long = "x".repeat(100_000);
        for query in [format!("models={long}"), format!("weights={long}")] {
            let p = parse(&query);
            assert_eq!(p.notices.len(), 1);
            assert!(p.notices[0].len() < 400, "{}", p.notices[0].len());
        }
        assert!(parse(&format!("weights={long}")).notices[0].contains("longer than 200"));
        // A default of nothing is said as such.
        assert!(
            parse("pair=x").notices[0].ends_with("uses none."),
            "{:?}",
            parse("pair=x").notices
        );
        // One setting with many bad items gets as many lines as a link, at most.
        let words = vec!["nope"; 20_000].join(",");
        let (_, notice) = parse_one("hide", &words).unwrap();
        let notice = notice.unwrap();
        assert!(notice.len() < 2_000, "{}", notice.len());
        assert!(notice.contains("19991 more"), "{notice}");
    }

    #[test]
    fn captions_pairs_and_paths_are_checked() {
        let long = "x".repeat(MAX_CAPTION + 5);
        let p = parse(&format!(
            "caption={long}&pair=5,5&weights=https://evil.example/w.json"
        ));
        assert_eq!(p.values["caption"], Value::Word("x".repeat(MAX_CAPTION)));
        assert_eq!(
            p.values["pair"],
            Value::Word(String::new()),
            "the default: no pair"
        );
        assert_eq!(p.values["weights"], Value::Word(String::new()));
        assert_eq!(p.notices.len(), 3, "{:#?}", p.notices);
        assert!(p.notices[0].contains("longer than 300 characters"));
        assert!(p.notices[1].contains("names the same sample twice"));
        assert!(p.notices[2].contains("is not a path on this site"));
        for bad in ["7", "1,2,3", "a,b", "-1,4", "2,2000"] {
            let p = parse(&format!("pair={bad}"));
            assert!(
                p.notices[0].contains("is not two whole numbers from 0 to 1999"),
                "{bad}: {:?}",
                p.notices
            );
        }
        assert_eq!(value("pair= 4 , 9", "pair"), Value::Word("4,9".into()));
        for bad in ["//evil.example/w.json", "../secret", "a b.json", "data:x"] {
            assert!(
                !parse(&format!("weights={bad}")).notices.is_empty(),
                "{bad}"
            );
        }
        assert_eq!(
            value("weights=/figures/ae.json", "weights"),
            Value::Word("/figures/ae.json".into())
        );
        assert_eq!(
            value("caption=a%0Ab%07c", "caption"),
            Value::Word("abc".into()),
            "control characters are dropped"
        );
        let p = parse("caption=a%0Ab%07c");
        assert!(
            p.notices[0].contains("control characters"),
            "{:?}",
            p.notices
        );
        assert!(parse("caption=abc").notices.is_empty());
    }

    #[test]
    fn unknown_keys_and_list_items_are_ignored_with_a_notice() {
        let p = parse("colour=red&hide=lr,bogus,lr&beta=2");
        assert_eq!(p.values["hide"], Value::List(vec!["lr".into()]));
        assert_eq!(p.values["beta"], Value::Number(2.0));
        assert_eq!(p.notices.len(), 2);
        assert!(p.notices[0].contains("\"colour\" is not known"));
        assert!(p.notices[1].contains("\"bogus\""));
    }

    #[test]
    fn markup_is_quoted_as_text_and_cut_short() {
        let p = parse("beta=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&%3Cscript%3E=1");
        assert_eq!(p.values["beta"], Value::Number(1.0));
        assert!(
            p.notices[0].contains("\"<img src=x onerror=alert(1)>\""),
            "{}",
            p.notices[0]
        );
        assert!(p.notices[1].contains("\"<script>\""));
        let long = format!("beta={}", "9".repeat(500));
        let p = parse(&long);
        assert!(p.notices[0].len() < 200, "{}", p.notices[0]);
    }

    /// The words between `start` and `end` around each match in `text`, in order.
    fn between<'a>(text: &'a str, start: &str, end: &str) -> Vec<&'a str> {
        text.split(start)
            .skip(1)
            .filter_map(|rest| rest.split(end).next())
            .collect()
    }

    #[test]
    fn the_page_and_the_readme_take_their_lists_from_this_table() {
        // Every part of the component that hide= can hide is in HIDEABLE, and only those.
        let template = include_str!("../../www/template.js");
        let page = include_str!("../../www/index.html");
        let mut parts = between(template, "data-part=\"", "\"");
        parts.extend(between(page, "data-part=\"", "\""));
        parts.sort_unstable();
        parts.dedup();
        let mut hideable = HIDEABLE.to_vec();
        hideable.sort_unstable();
        assert_eq!(
            parts, hideable,
            "data-part names in www/template.js and www/index.html"
        );
        // The parameter table in docs/embedding.md lists every parameter, in the table's
        // order, with its default, and the hide= row lists every hideable part.
        let readme = include_str!("../../docs/embedding.md");
        let rows: Vec<&str> = readme
            .lines()
            .filter(|l| l.starts_with("| `") && l.matches('|').count() == 4)
            .collect();
        let keys: Vec<&str> = rows
            .iter()
            .filter_map(|l| between(l, "| `", "`").first().copied())
            .filter(|k| PARAMS.iter().any(|p| p.key == *k))
            .collect();
        let want: Vec<&str> = PARAMS.iter().map(|p| p.key).collect();
        assert_eq!(keys, want, "the parameter table in docs/embedding.md");
        let hide_row = rows.iter().find(|l| l.starts_with("| `hide`")).unwrap();
        let listed: Vec<&str> = between(hide_row, ", `", "`")
            .into_iter()
            .chain(between(hide_row, ": `", "`"))
            .collect();
        let mut listed = listed;
        listed.sort_unstable();
        assert_eq!(listed, hideable, "the hide= row in docs/embedding.md");
        let figure_row = rows.iter().find(|l| l.starts_with("| `figure`")).unwrap();
        for figure in FIGURES {
            assert!(
                figure_row.contains(&format!("`{figure}`")),
                "figure={figure}"
            );
        }
    }

    #[test]
    fn the_keys_that_start_a_run_are_parameters() {
        for key in RUN_KEYS {
            assert!(PARAMS.iter().any(|p| p.key == *key), "{key}");
        }
        // The page's worker sends these to the page as they are (runKeys).
        assert_eq!(
            RUN_KEYS,
            ["models", "dataset", "seed", "hidden", "activation"],
            "the parameters of Scope::Run, in the table's order"
        );
        let live: Vec<&str> = PARAMS
            .iter()
            .filter(|p| p.scope == Scope::Live)
            .map(|p| p.key)
            .collect();
        assert_eq!(
            live,
            ["beta", "lr", "noise", "batch", "speed", "range", "map"]
        );
    }

    #[test]
    fn every_default_is_read_back_as_it_is_with_no_notice() {
        for p in PARAMS {
            let written = p.default.to_string();
            assert_eq!(
                parse_one(p.key, &written),
                Ok((default_value(p), None)),
                "{}={written}",
                p.key
            );
        }
        // The model's own defaults are the table's.
        let c = crate::config::Config::default();
        let number = |key: &str| match param(key).unwrap().default {
            Initial::Number(n) => n,
            Initial::Text(t) => panic!("{key}: {t}"),
        };
        assert_eq!(number("beta") as f32, c.beta);
        assert_eq!(number("lr") as f32, c.lr);
        assert_eq!(number("hidden"), c.hidden as f64);
        assert_eq!(number("batch"), c.batch as f64);
        assert_eq!(number("seed"), c.seed as f64);
        assert_eq!(
            value("", "activation"),
            Value::Word(c.activation.to_string())
        );
        assert_eq!(value("", "noise"), Value::Word(c.noise.to_string()));
        assert_eq!(format_number(number("lr")), "0.001");
    }

    #[test]
    fn a_repeated_key_keeps_its_first_value_and_says_so() {
        let p = parse("dataset=bars&dataset=blobs&dataset=zzz");
        assert_eq!(p.values["dataset"], Value::Word("bars".into()));
        assert_eq!(p.notices.len(), 2, "{:?}", p.notices);
        assert!(p.notices[0].contains("dataset=\"blobs\" was ignored"));
        assert!(p.notices[1].contains("dataset=\"zzz\" was ignored"));
        // A bad first value falls back to the default, and the notice says which is used.
        let p = parse("beta=x&beta=3");
        assert_eq!(p.values["beta"], Value::Number(1.0));
        assert!(p.notices[0].contains("uses its default, 1"));
    }

    #[test]
    fn many_notices_are_capped_and_counted() {
        let query: Vec<String> = (0..10_000).map(|i| format!("k{i}=1")).collect();
        let p = parse(&query.join("&"));
        assert_eq!(p.notices.len(), MAX_NOTICES);
        assert!(
            p.notices[MAX_NOTICES - 1].contains("9991 more"),
            "{}",
            p.notices[MAX_NOTICES - 1]
        );
        // Exactly MAX_NOTICES are all listed.
        let query: Vec<String> = (0..MAX_NOTICES).map(|i| format!("k{i}=1")).collect();
        let p = parse(&query.join("&"));
        assert!(p.notices.iter().all(|n| n.contains("is not known")));
    }

    #[test]
    fn a_lab_of_recipes_is_read_in_its_canonical_form() {
        assert_eq!(value("", "models"), Value::Word("vae,ae".into()));
        assert_eq!(
            value("models=vae:noise=mean:beta=2,ae", "models"),
            Value::Word("vae:beta=2:noise=mean,ae".into())
        );
        let p = parse("models=vae,gan");
        assert_eq!(p.values["models"], Value::Word("vae,ae".into()));
        assert!(
            p.notices[0].contains("cannot be read (a model is vae or ae, not \"gan\")"),
            "{}",
            p.notices[0]
        );
        assert!(parse("models=vae,ae,vae,ae,vae").notices[0].contains("1 to 4"));
        assert_eq!(format(&parse("models=vae,ae").values), "");
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let p = parse("dataset=bar%07s");
        assert!(p.notices[0].contains("\"bar\\u{7}s\""), "{}", p.notices[0]);
    }

    #[test]
    fn flags_words_and_escapes() {
        assert_eq!(value("embed", "embed"), Value::Flag(true));
        assert_eq!(value("embed=0", "embed"), Value::Flag(false));
        assert_eq!(value("autoplay=true", "autoplay"), Value::Flag(true));
        assert_eq!(value("speed=MAX", "speed"), Value::Word("max".into()));
        assert_eq!(value("speed=Lesson", "speed"), Value::Word("lesson".into()));
        assert!(parse("speed=fast").notices[0].contains("is not a number, \"lesson\" or \"max\""));
        assert_eq!(value("show=AE", "show"), Value::Word("ae".into()));
        assert_eq!(value("?beta=%32", "beta"), Value::Number(2.0));
        assert_eq!(percent_decode("a+b%2Cc%zz"), "a b,c%zz");
        assert_eq!(format_number(0.001), "0.001");
        assert_eq!(format_number(1e-5), "0.00001");
        assert_eq!(format_number(256.0), "256");
    }

    #[test]
    fn one_value_from_a_control() {
        assert_eq!(parse_one("beta", "3").unwrap(), (Value::Number(3.0), None));
        let (v, n) = parse_one("batch", "5000").unwrap();
        assert_eq!(v, Value::Number(1797.0));
        assert!(n.unwrap().contains("largest"));
        assert!(parse_one("beta", "x").is_err());
        // A value is one value, whatever it holds: no second parameter smuggled in.
        assert!(parse_one("seed", "1&beta=3").is_err());
        let (v, n) = parse_one("hide", "lr,bogus,nothing").unwrap();
        assert_eq!(v, Value::List(vec!["lr".into()]));
        let n = n.unwrap();
        assert!(n.contains("bogus") && n.contains("nothing"), "{n}");
        assert!(parse_one("colour", "1").is_err());
    }
}

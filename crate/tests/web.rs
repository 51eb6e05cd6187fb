//! The web module in headless Chromium (wasm-bindgen-test): the exported handle (one model of
//! a lab) trains, draws, inspects, refuses bad settings with a message, and reports
//! divergence.
#![cfg(target_arch = "wasm32")]

use js_sys::{Object, Reflect};
use vae_playground::web::data::{data_file, load_data};
use vae_playground::web::{
    BenchTrainer, WebPlayground as Playground, class_colours, ticks, weights_info,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn settings(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn num(v: &JsValue, key: &str) -> f64 {
    get(v, key)
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number"))
}

fn error_message(result: Result<Playground, wasm_bindgen::JsError>) -> String {
    let err = match result {
        Ok(p) => panic!("accepted: {:?}", js_sys::JSON::stringify(&p.stats())),
        Err(e) => JsValue::from(e),
    };
    get(&err, "message").as_string().unwrap()
}

#[wasm_bindgen_test]
fn trains_draws_and_reports() {
    let make = |recipe: &str| {
        Playground::new(settings(&[
            ("recipe", recipe.into()),
            ("hidden", 64.into()),
            ("size", 96.into()),
        ]))
        .unwrap()
    };
    let mut p = make("vae");
    let r = p.train(30);
    assert_eq!(get(&r, "ok"), JsValue::TRUE);
    assert_eq!(num(&r, "steps"), 30.0);
    let vae = get(&r, "loss");
    assert!(num(&vae, "kl") > 0.0 && num(&vae, "loss") > num(&vae, "recon"));
    p.draw(true, false);
    // A copy on the JavaScript side first: the view would go stale if the copy into Rust
    // grew the module's memory.
    let pixels = js_sys::Uint8Array::new(&p.pixels());
    assert_eq!(pixels.length(), 96 * 96 * 4);
    let bytes = pixels.to_vec();
    assert!(
        bytes.chunks(4).any(|c| c[..3] != [255, 255, 255]),
        "something is drawn"
    );
    let mut ae = make("ae");
    ae.train(30);
    ae.draw(true, false);
    assert_ne!(bytes, js_sys::Uint8Array::new(&ae.pixels()).to_vec());
    let s = p.stats();
    assert_eq!(num(&s, "steps"), 30.0);
    assert_eq!(num(&s, "samples"), 1797.0);
    assert!(num(&s, "meanSigma") > 0.0);
    assert_eq!(get(&s, "recipe"), JsValue::from_str("vae"));
    assert!(
        get(&ae.stats(), "meanSigma").is_undefined(),
        "an AE has no σ"
    );
    let msg = error_message(Playground::new(settings(&[("recipe", "gan".into())])));
    assert!(msg.contains("vae or ae"), "{msg}");
}

#[wasm_bindgen_test]
fn settings_change_without_a_reset_and_bad_ones_are_refused() {
    let mut p = Playground::new(settings(&[("hidden", 32.into()), ("size", 64.into())])).unwrap();
    p.train(2);
    p.set("beta", 0.0.into()).unwrap();
    p.set("noise", "mean".into()).unwrap();
    p.set("batch", 16.0.into()).unwrap();
    p.set("fit", true.into()).unwrap();
    let s = p.stats();
    assert_eq!(num(&s, "beta"), 0.0);
    assert_eq!(num(&s, "batch"), 16.0);
    assert_eq!(get(&s, "noise"), JsValue::from_str("mean"));
    assert!(p.set("beta", (-1.0).into()).is_err());
    assert!(p.set("lr", "fast".into()).is_err());
    assert!(p.set("batch", 2.5.into()).is_err());
    assert!(p.set("colour", 1.into()).is_err());
    assert_eq!(
        num(&p.stats(), "beta"),
        0.0,
        "a refused value changes nothing"
    );
    assert_eq!(num(&p.train(1), "steps"), 1.0);
}

#[wasm_bindgen_test]
fn bad_settings_say_which_and_why() {
    let msg = error_message(Playground::new(settings(&[("beta", (-2.0).into())])));
    assert!(msg.contains("β must be"), "{msg}");
    let msg = error_message(Playground::new(settings(&[("batch", 5000.into())])));
    assert!(msg.contains("larger than the data set"), "{msg}");
    let msg = error_message(Playground::new(settings(&[("colour", "red".into())])));
    assert!(msg.contains("colour"), "{msg}");
    let msg = error_message(Playground::new(settings(&[("lr", "fast".into())])));
    assert!(msg.starts_with("settings:"), "{msg}");
}

#[wasm_bindgen_test]
fn divergence_is_a_result_not_a_crash() {
    let mut p = Playground::new(settings(&[("lr", 10.0.into()), ("size", 32.into())])).unwrap();
    let mut diverged = None;
    for _ in 0..100 {
        let r = p.train(1);
        if get(&r, "ok") == JsValue::FALSE {
            diverged = get(&r, "diverged").as_string();
            break;
        }
    }
    let msg = diverged.expect("lr 10 diverges");
    assert!(msg.contains("learning rate"), "{msg}");
    // The handle still works.
    p.set("lr", 0.001.into()).unwrap();
    p.draw(true, false);
    let _ = p.stats();
}

#[wasm_bindgen_test]
fn picking_and_inspecting() {
    let mut p = Playground::new(settings(&[("hidden", 32.into()), ("size", 100.into())])).unwrap();
    p.train(5);
    p.draw(true, false);
    let s = p.inspect(3);
    assert_eq!(num(&s, "index"), 3.0);
    assert_eq!(js_sys::Array::from(&get(&s, "input")).length(), 64);
    assert!(p.inspect(100_000).is_undefined());
    assert_eq!(p.pick(-500.0, -500.0), -1);
    let reading = get(&s, "reading");
    assert_eq!(js_sys::Array::from(&get(&reading, "recon")).length(), 64);
    assert_eq!(js_sys::Array::from(&get(&reading, "sigma")).length(), 2);
}

#[wasm_bindgen_test]
fn generated_data_decoder_maps_interpolation_and_a_drawing() {
    let mut p = Playground::new(settings(&[
        ("dataset", "bars".into()),
        ("hidden", 32.into()),
        ("size", 96.into()),
        ("map", false.into()),
    ]))
    .unwrap();
    assert_eq!(p.factor(), "angle");
    assert_eq!(num(&p.stats(), "samples"), 1800.0);
    assert_eq!(get(&p.stats(), "map"), JsValue::FALSE);
    p.train(20);
    p.draw(true, false);
    let plain = js_sys::Uint8Array::new(&p.pixels()).to_vec();
    p.set("map", true.into()).unwrap();
    p.draw(true, false);
    assert_ne!(
        js_sys::Uint8Array::new(&p.pixels()).to_vec(),
        plain,
        "the map is drawn"
    );
    assert!(p.set("map", 1.into()).is_err(), "map is true or false");
    let z = p.to_latent(0.0, 0.0);
    assert_eq!(
        z,
        vec![-4.0, 4.0],
        "the top-left pixel is at (−range, range)"
    );
    assert_eq!(p.decode_at(z[0], z[1]).len(), 64);
    let strip = p.interpolate(1, 2);
    assert_eq!(num(&strip, "steps"), 10.0);
    assert_eq!(js_sys::Array::from(&get(&strip, "images")).length(), 640);
    assert!(p.interpolate(1, 99_999).is_undefined());
    let pair = p.random_pair(false);
    assert_ne!(pair[0], pair[1]);
    let drawn = p.set_drawing(Some(vec![0.5; 64])).unwrap();
    assert_eq!(js_sys::Array::from(&get(&drawn, "sigma")).length(), 2);
    assert!(p.set_drawing(Some(vec![0.5; 3])).is_err());
    assert!(p.set_drawing(None).unwrap().is_undefined());
    let m = p.neighbourhood().unwrap();
    assert!(num(&m, "pathRatio") >= 1.0);
    let msg = error_message(Playground::new(settings(&[("dataset", "faces".into())])));
    assert!(msg.contains("digits, bars, blobs"), "{msg}");
}

#[wasm_bindgen_test]
fn helpers() {
    assert_eq!(
        ticks(4.0),
        vec![-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0]
    );
    assert_eq!(class_colours().len(), 10);
    assert!(
        class_colours()
            .iter()
            .all(|c| c.len() == 7 && c.starts_with('#'))
    );
    let mut b = BenchTrainer::new("ae", 64, 8).unwrap();
    b.run(3).unwrap();
    let mut at_mnist_shape = BenchTrainer::new("vae", 64, 28).unwrap();
    at_mnist_shape.run(1).unwrap();
    assert!(BenchTrainer::new("gan", 64, 8).is_err());
}

/// A small image file of the project's format: `n` images of 4 × 4 at 8 bits, labels 0 to 9.
fn image_file(n: u32) -> Vec<u8> {
    let mut bytes = b"VAEI".to_vec();
    bytes.extend([1, 8, 4, 4]);
    bytes.extend(n.to_le_bytes());
    bytes.extend((0..n).map(|i| (i % 10) as u8));
    bytes.extend((0..n * 16).map(|i| (i * 37 % 256) as u8));
    bytes
}

#[wasm_bindgen_test]
fn a_data_set_from_a_file_is_built_only_once_its_bytes_are_loaded() {
    assert_eq!(data_file("mnist").as_deref(), Some("mnist.bin"));
    assert_eq!(data_file("fashion").as_deref(), Some("fashion.bin"));
    assert_eq!(data_file("digits"), None);
    let on = |name: &str| {
        Playground::new(settings(&[
            ("dataset", name.into()),
            ("hidden", 16.into()),
            ("batch", 16.into()),
        ]))
    };
    let message = error_message(on("fashion"));
    assert!(message.contains("has not been loaded"), "{message}");
    let bad = load_data("fashion", b"not an image file").map_err(JsValue::from);
    let message = get(&bad.unwrap_err(), "message").as_string().unwrap();
    assert!(message.contains("VAEI"), "{message}");
    assert!(
        load_data("digits", &image_file(100)).is_err(),
        "a built-in set is not loaded"
    );
    load_data("fashion", &image_file(100)).unwrap();
    let mut p = on("fashion").unwrap();
    let stats = p.stats();
    assert_eq!(num(&stats, "samples"), 100.0);
    assert_eq!(
        get(&stats, "dataset").as_string().as_deref(),
        Some("fashion")
    );
    assert_eq!(p.classes()[1], "trouser");
    assert_eq!(get(&p.train(2), "ok"), JsValue::TRUE);
    // Another file's data set is not this one.
    assert!(error_message(on("mnist")).contains("has not been loaded"));
}

#[wasm_bindgen_test]
fn a_file_that_is_not_a_weights_file_says_why_once() {
    // JSON that parses but is no weights file: the sentence names what is missing, once,
    // without the "Error: " of the JavaScript error it came from.
    let err = weights_info(settings(&[("format", JsValue::from_str("x"))])).unwrap_err();
    let message = get(&JsValue::from(err), "message").as_string().unwrap();
    assert!(
        message.starts_with("this is not a readable weights file: "),
        "{message}"
    );
    assert!(!message.contains("Error"), "{message}");
    assert!(message.contains("missing field"), "{message}");
}

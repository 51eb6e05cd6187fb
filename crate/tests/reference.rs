//! The losses and every gradient against an independent implementation (JAX, automatic
//! differentiation, float64), whose numbers are kept in `tests/fixtures/reference.json` and
//! were written by `tests/reference/jax_reference.py`.

use ndarray::{Array1, Array2};
use serde_json::Value;
use vae_playground::layers::Activation;
use vae_playground::model::{Model, ModelKind, Sizes, Workspace};

const FIXTURE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/reference.json"
));

/// Relative agreement asked of two float64 implementations of the same formulas.
const RTOL: f64 = 1e-10;

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    let (r, c) = (rows.len(), rows[0].len());
    Array2::from_shape_vec((r, c), rows.concat()).unwrap()
}

fn close(what: &str, ours: f64, theirs: f64) {
    assert!(
        (ours - theirs).abs() <= RTOL * theirs.abs().max(1e-3),
        "{what}: ours {ours:e}, reference {theirs:e}"
    );
}

/// Puts the fixture's tensors, in forward order, into a model of the right shape.
fn fill(model: &mut Model<f64>, tensors: &[Value]) {
    let mut it = tensors.iter();
    for (name, layer) in model.layers_mut() {
        let w = it.next().unwrap();
        assert_eq!(w["name"], format!("{name}.W"));
        layer.w = matrix(&w["data"]);
        let b = it.next().unwrap();
        assert_eq!(b["name"], format!("{name}.b"));
        layer.b = Array1::from(serde_json::from_value::<Vec<f64>>(b["data"].clone()).unwrap());
    }
    assert!(it.next().is_none(), "more tensors than layers");
}

#[test]
fn losses_and_gradients_match_the_jax_reference() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let kind = match case["model"].as_str().unwrap() {
            "vae" => ModelKind::Vae,
            _ => ModelKind::Ae,
        };
        let act = match case["activation"].as_str().unwrap() {
            "relu" => Activation::Relu,
            _ => Activation::Tanh,
        };
        let sizes: Sizes = serde_json::from_value(case["sizes"].clone()).unwrap();
        let beta = case["beta"].as_f64().unwrap();
        let x = matrix(&case["x"]);
        // The AE decodes `code + σ₀·ε`: this crate takes the noise already scaled.
        let eps = match kind {
            ModelKind::Vae => matrix(&case["eps"]),
            ModelKind::Ae => case["sigma0"].as_f64().unwrap() * matrix(&case["eps"]),
        };

        let mut model = Model::zeros(kind, act, sizes);
        fill(&mut model, case["params"].as_array().unwrap());
        let mut expected = Model::zeros(kind, act, sizes);
        fill(&mut expected, case["grads"].as_array().unwrap());

        let mut ws = Workspace::new(x.nrows(), sizes);
        let mut grads = Model::zeros(kind, act, sizes);
        let loss = model.loss_and_grad(x.view(), eps.view(), beta, &mut ws, &mut grads);
        close(
            &format!("{name} loss"),
            loss.loss,
            case["loss"].as_f64().unwrap(),
        );
        close(
            &format!("{name} recon"),
            loss.recon,
            case["recon"].as_f64().unwrap(),
        );
        close(&format!("{name} kl"), loss.kl, case["kl"].as_f64().unwrap());
        let kl_per_dim: Vec<f64> = serde_json::from_value(case["kl_per_dim"].clone()).unwrap();
        for (j, (&ours, &theirs)) in ws.kl_per_dim.iter().zip(&kl_per_dim).enumerate() {
            close(&format!("{name} kl[{j}]"), ours, theirs);
        }
        let mut compared = 0;
        for ((layer, g), (_, e)) in grads.layers().zip(expected.layers()) {
            for (k, (&ours, &theirs)) in g.w.iter().zip(e.w.iter()).enumerate() {
                close(&format!("{name} d{layer}.W[{k}]"), ours, theirs);
            }
            for (k, (&ours, &theirs)) in g.b.iter().zip(e.b.iter()).enumerate() {
                close(&format!("{name} d{layer}.b[{k}]"), ours, theirs);
            }
            compared += g.w.len() + g.b.len();
        }
        assert_eq!(compared, model.parameter_count());
    }
}

/// A VAE with free codes: the loss and the gradients with respect to the decoder and to the
/// codes themselves (what the table of free codes is updated with), against JAX.
#[test]
fn free_codes_match_the_jax_reference() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let cases = fixture["free_cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let sizes: Sizes = serde_json::from_value(case["sizes"].clone()).unwrap();
        let beta = case["beta"].as_f64().unwrap();
        let x = matrix(&case["x"]);
        let eps = matrix(&case["eps"]);
        let mut model = Model::zeros(ModelKind::Vae, Activation::Relu, sizes);
        let params = case["params"].as_array().unwrap();
        let grads_expected = case["grads"].as_array().unwrap();
        for (k, layer) in [&mut model.dec_hidden, &mut model.dec_out]
            .into_iter()
            .enumerate()
        {
            layer.w = matrix(&params[2 * k]["data"]);
            layer.b = Array1::from(
                serde_json::from_value::<Vec<f64>>(params[2 * k + 1]["data"].clone()).unwrap(),
            );
        }
        let mut ws = Workspace::new(x.nrows(), sizes);
        ws.mu.assign(&matrix(&case["codes"]["mu"]));
        ws.logvar.assign(&matrix(&case["codes"]["logvar"]));
        let mut grads = Model::zeros(ModelKind::Vae, Activation::Relu, sizes);
        let loss = model.forward_from_codes(x.view(), eps.view(), beta, &mut ws);
        model.backward_to_codes(x.view(), eps.view(), beta, &mut ws, &mut grads);
        close(
            &format!("{name} loss"),
            loss.loss,
            case["loss"].as_f64().unwrap(),
        );
        close(&format!("{name} kl"), loss.kl, case["kl"].as_f64().unwrap());
        for (k, layer) in [&grads.dec_hidden, &grads.dec_out].into_iter().enumerate() {
            let w = matrix(&grads_expected[2 * k]["data"]);
            for (i, (&ours, &theirs)) in layer.w.iter().zip(w.iter()).enumerate() {
                close(
                    &format!("{name} d{}[{i}]", grads_expected[2 * k]["name"]),
                    ours,
                    theirs,
                );
            }
            let b: Vec<f64> =
                serde_json::from_value(grads_expected[2 * k + 1]["data"].clone()).unwrap();
            for (i, (&ours, &theirs)) in layer.b.iter().zip(&b).enumerate() {
                close(&format!("{name} db[{i}]"), ours, theirs);
            }
        }
        for (key, ours) in [("mu", &ws.dmu), ("logvar", &ws.dlogvar)] {
            let theirs = matrix(&case["code_grads"][key]);
            assert_eq!(ours.dim(), theirs.dim());
            for (i, (&o, &t)) in ours.iter().zip(theirs.iter()).enumerate() {
                close(&format!("{name} d{key}[{i}]"), o, t);
            }
        }
    }
}

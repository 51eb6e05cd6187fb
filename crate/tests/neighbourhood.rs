//! Trustworthiness and continuity against scikit-learn's numbers, kept in
//! `tests/fixtures/neighbourhood.json` (written by `tests/reference/sklearn_metrics.py`).

use ndarray::Array2;
use serde_json::Value;
use vae_playground::metrics::{Neighbours, continuity, scores, trustworthiness};

const FIXTURE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/neighbourhood.json"
));

fn matrix(v: &Value) -> Array2<f32> {
    let rows: Vec<Vec<f32>> = serde_json::from_value(v.clone()).unwrap();
    let (r, c) = (rows.len(), rows[0].len());
    Array2::from_shape_vec((r, c), rows.concat()).unwrap()
}

#[test]
fn trustworthiness_and_continuity_match_scikit_learn() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let mut compared = 0;
    for case in fixture["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let x = Neighbours::new(matrix(&case["x"]).view());
        let z = Neighbours::new(matrix(&case["z"]).view());
        for (k, want) in case["k"].as_object().unwrap() {
            let k: usize = k.parse().unwrap();
            let t = trustworthiness(&x, &z, k).unwrap();
            let c = continuity(&x, &z, k).unwrap();
            let (wt, wc) = (
                want["trustworthiness"].as_f64().unwrap(),
                want["continuity"].as_f64().unwrap(),
            );
            assert!(
                (t - wt).abs() < 1e-12,
                "{name} k={k}: trustworthiness {t}, scikit-learn {wt}"
            );
            assert!(
                (c - wc).abs() < 1e-12,
                "{name} k={k}: continuity {c}, scikit-learn {wc}"
            );
            // The page's way, without the latent space's tables, gives the same numbers.
            let (ft, fc) = scores(&x, matrix(&case["z"]).view(), k).unwrap();
            assert_eq!((ft, fc), (t, c), "{name} k={k}");
            compared += 1;
        }
    }
    assert_eq!(compared, 6);
}

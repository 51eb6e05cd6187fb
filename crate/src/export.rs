//! Files for people: the latent codes of every sample as CSV, written the same way by the
//! command-line trainer and the page.

use ndarray::ArrayView2;
use std::fmt::Write as _;

/// The header `index,label,model,mu_0,..,mu_{Z-1},logvar_0,..,logvar_{Z-1}` and a newline.
pub fn latents_csv_header(latent: usize) -> String {
    let mut out = String::from("index,label,model");
    for prefix in ["mu", "logvar"] {
        for j in 0..latent {
            let _ = write!(out, ",{prefix}_{j}");
        }
    }
    out.push('\n');
    out
}

/// Appends one row per sample: its index, label, the model's name, its code (`mu`, `(N, Z)`)
/// and, for the VAE, its `log σ²` (`(N, Z)`); the AE's `logvar` columns are empty.
pub fn latents_csv_rows(
    out: &mut String,
    model: &str,
    mu: ArrayView2<f32>,
    logvar: Option<ArrayView2<f32>>,
    labels: &[u8],
) {
    for (i, row) in mu.rows().into_iter().enumerate() {
        let _ = write!(out, "{i},{},{model}", labels[i]);
        for v in row {
            let _ = write!(out, ",{v}");
        }
        for j in 0..mu.ncols() {
            match &logvar {
                Some(lv) => {
                    let _ = write!(out, ",{}", lv[[i, j]]);
                }
                None => out.push(','),
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn rows_have_the_trainers_columns() {
        let mut csv = latents_csv_header(2);
        let mu = array![[0.5f32, -1.0], [2.0, 0.25]];
        let lv = array![[-1.0f32, -2.0], [0.0, 0.5]];
        latents_csv_rows(&mut csv, "vae", mu.view(), Some(lv.view()), &[3, 7]);
        latents_csv_rows(&mut csv, "ae", mu.view(), None, &[3, 7]);
        assert_eq!(
            csv,
            "index,label,model,mu_0,mu_1,logvar_0,logvar_1\n\
             0,3,vae,0.5,-1,-1,-2\n1,7,vae,2,0.25,0,0.5\n\
             0,3,ae,0.5,-1,,\n1,7,ae,2,0.25,,\n"
        );
    }
}

//! Every backward pass against central differences in f64, with negative controls: a
//! deliberately wrong gradient must make the same check fail.

use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut2, Zip};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use vae_playground::layers::*;
use vae_playground::model::{Model, ModelKind, Sizes, Workspace};
use vae_playground::rng::{Stream, stream};

/// Central-difference step.
const H: f64 = 1e-6;
/// Allowed difference: `|analytic − numeric| ≤ ATOL + RTOL·max(|analytic|, |numeric|)`.
const RTOL: f64 = 1e-6;
const ATOL: f64 = 1e-9;

/// Compares `analytic[k]` with `(loss(θ + h·e_k) − loss(θ − h·e_k)) / 2h` for every entry `k`
/// that `entry` reaches in `state`. Returns the worst mismatch as an error.
fn check<S>(
    what: &str,
    state: &mut S,
    n: usize,
    entry: impl Fn(&mut S, usize) -> &mut f64,
    loss: impl Fn(&S) -> f64,
    analytic: &[f64],
) -> Result<(), String> {
    assert_eq!(
        analytic.len(),
        n,
        "{what}: analytic gradient has the wrong length"
    );
    for (k, &a) in analytic.iter().enumerate() {
        let orig = *entry(state, k);
        *entry(state, k) = orig + H;
        let up = loss(state);
        *entry(state, k) = orig - H;
        let down = loss(state);
        *entry(state, k) = orig;
        let numeric = (up - down) / (2.0 * H);
        if (a - numeric).abs() > ATOL + RTOL * a.abs().max(numeric.abs()) {
            return Err(format!("{what}[{k}]: analytic {a:e}, numeric {numeric:e}"));
        }
    }
    Ok(())
}

fn random(shape: (usize, usize), lo: f64, hi: f64, rng: &mut ChaCha8Rng) -> Array2<f64> {
    Array2::from_shape_simple_fn(shape, || lo + (hi - lo) * rng.random::<f64>())
}

fn flat(a: &Array2<f64>) -> Vec<f64> {
    a.iter().copied().collect()
}

/// `Σ r ⊙ y`: a scalar loss whose gradient with respect to `y` is `r`.
fn weighted_sum(r: &Array2<f64>, y: ArrayView2<f64>) -> f64 {
    (r * &y).sum()
}

fn rng(seed: u64) -> ChaCha8Rng {
    stream(seed, Stream::Init)
}

#[test]
fn dense_layer() {
    let mut g = rng(1);
    let (b, i, o) = (4, 5, 3);
    let layer = Dense {
        w: random((i, o), -1.0, 1.0, &mut g),
        b: Array1::from_iter((0..o).map(|_| g.random::<f64>() - 0.5)),
    };
    let x = random((b, i), -1.0, 1.0, &mut g);
    let r = random((b, o), -1.0, 1.0, &mut g);
    let loss = |(x, l): &(Array2<f64>, Dense<f64>)| {
        let mut y = Array2::zeros((b, o));
        dense_forward(x.view(), l, y.view_mut());
        weighted_sum(&r, y.view())
    };
    let mut grad = Dense::zeros(i, o);
    dense_backward(x.view(), r.view(), &mut grad);
    let mut dx = Array2::zeros((b, i));
    dense_backward_input(r.view(), &layer, dx.view_mut());
    let mut state = (x, layer);
    check(
        "dW",
        &mut state,
        i * o,
        |s, k| &mut s.1.w.as_slice_mut().unwrap()[k],
        loss,
        &flat(&grad.w),
    )
    .unwrap();
    check(
        "db",
        &mut state,
        o,
        |s, k| &mut s.1.b[k],
        loss,
        &grad.b.to_vec(),
    )
    .unwrap();
    check(
        "dx",
        &mut state,
        b * i,
        |s, k| &mut s.0.as_slice_mut().unwrap()[k],
        loss,
        &flat(&dx),
    )
    .unwrap();
    // The adding variant adds exactly the same gradient.
    let mut twice = dx.clone();
    dense_backward_input_add(r.view(), &state.1, twice.view_mut());
    assert!(
        Zip::from(&twice)
            .and(&dx)
            .all(|&t, &d| (t - 2.0 * d).abs() < 1e-15)
    );
}

fn check_activation(act: Activation) -> Result<(), String> {
    let mut g = rng(2);
    // Keep ReLU's inputs away from its kink at 0, where it has no derivative.
    let x = random((3, 7), -2.0, 2.0, &mut g).mapv(|v| if v.abs() < 0.05 { v + 0.1 } else { v });
    let r = random((3, 7), -1.0, 1.0, &mut g);
    let loss = |x: &Array2<f64>| {
        let mut y = x.clone();
        activation_forward(act, y.view_mut());
        weighted_sum(&r, y.view())
    };
    let mut y = x.clone();
    activation_forward(act, y.view_mut());
    let mut dx = r.clone();
    activation_backward(act, y.view(), dx.view_mut());
    let mut state = x;
    check(
        act.name(),
        &mut state,
        21,
        |s, k| &mut s.as_slice_mut().unwrap()[k],
        loss,
        &flat(&dx),
    )
}

#[test]
fn relu_and_tanh() {
    check_activation(Activation::Relu).unwrap();
    check_activation(Activation::Tanh).unwrap();
}

#[test]
fn bce_with_logits() {
    let mut g = rng(3);
    let logits = random((3, 6), -8.0, 8.0, &mut g);
    let x = random((3, 6), 0.0, 1.0, &mut g);
    let scale = 1.0 / 3.0;
    let loss = |l: &Array2<f64>| {
        scale * bce_with_logits_forward(l.view(), x.view(), Array2::zeros((3, 6)).view_mut())
    };
    let mut probs = Array2::zeros((3, 6));
    bce_with_logits_forward(logits.view(), x.view(), probs.view_mut());
    let mut dl = Array2::zeros((3, 6));
    bce_with_logits_backward(probs.view(), x.view(), scale, dl.view_mut());
    let mut state = logits;
    check(
        "dlogits",
        &mut state,
        18,
        |s, k| &mut s.as_slice_mut().unwrap()[k],
        loss,
        &flat(&dl),
    )
    .unwrap();
}

type Gaussian = (Array2<f64>, Array2<f64>);

fn gaussian_entry(s: &mut Gaussian, k: usize) -> &mut f64 {
    let n = s.0.len();
    if k < n {
        &mut s.0.as_slice_mut().unwrap()[k]
    } else {
        &mut s.1.as_slice_mut().unwrap()[k - n]
    }
}

/// Checks a backward rule for `(μ, log σ²)` given as `backward(dmu, dlogvar)`, which must
/// fill both from zero, against `loss`.
fn check_gaussian(
    what: &str,
    loss: impl Fn(&Gaussian) -> f64,
    backward: impl Fn(&Gaussian, ArrayViewMut2<f64>, ArrayViewMut2<f64>),
) -> Result<(), String> {
    let mut g = rng(4);
    let state: Gaussian = (
        random((4, 2), -2.0, 2.0, &mut g),
        random((4, 2), -3.0, 1.5, &mut g),
    );
    let mut dmu = Array2::zeros((4, 2));
    let mut dlv = Array2::zeros((4, 2));
    backward(&state, dmu.view_mut(), dlv.view_mut());
    let analytic: Vec<f64> = dmu.iter().chain(dlv.iter()).copied().collect();
    let mut state = state;
    check(what, &mut state, 16, gaussian_entry, loss, &analytic)
}

fn eps_and_r() -> (Array2<f64>, Array2<f64>) {
    let mut g = rng(5);
    (
        random((4, 2), -2.0, 2.0, &mut g),
        random((4, 2), -1.0, 1.0, &mut g),
    )
}

fn reparam_loss(s: &Gaussian) -> f64 {
    let (eps, r) = eps_and_r();
    let mut z = Array2::zeros((4, 2));
    reparameterize_forward(s.0.view(), s.1.view(), eps.view(), z.view_mut());
    weighted_sum(&r, z.view())
}

#[test]
fn reparameterization() {
    let backward = |s: &Gaussian, dmu: ArrayViewMut2<f64>, dlv: ArrayViewMut2<f64>| {
        let (eps, r) = eps_and_r();
        reparameterize_backward(s.1.view(), eps.view(), r.view(), dmu, dlv);
    };
    check_gaussian("reparameterize", reparam_loss, backward).unwrap();
}

const KL_SCALE: f64 = 0.7;

fn kl_loss(s: &Gaussian) -> f64 {
    KL_SCALE * gaussian_kl_forward(s.0.view(), s.1.view(), &mut [0.0; 2])
}

#[test]
fn gaussian_kl() {
    let backward = |s: &Gaussian, dmu: ArrayViewMut2<f64>, dlv: ArrayViewMut2<f64>| {
        gaussian_kl_backward_add(s.0.view(), s.1.view(), KL_SCALE, dmu, dlv);
    };
    check_gaussian("kl", kl_loss, backward).unwrap();
}

#[test]
fn negative_control_kl_without_the_half_fails() {
    // ∂KL/∂log σ² written as (σ² − 1) instead of ½(σ² − 1).
    let wrong = |s: &Gaussian, mut dmu: ArrayViewMut2<f64>, dlv: ArrayViewMut2<f64>| {
        Zip::from(&mut dmu)
            .and(&s.0)
            .for_each(|d, &m| *d = KL_SCALE * m);
        Zip::from(dlv)
            .and(&s.1)
            .for_each(|d, &lv| *d = KL_SCALE * (lv.exp() - 1.0));
    };
    let err = check_gaussian("kl (wrong)", kl_loss, wrong).unwrap_err();
    assert!(err.contains("kl (wrong)"), "{err}");
}

#[test]
fn negative_control_reparameterization_without_sigma_fails() {
    // d log σ² written as dz·ε·½, forgetting the factor σ = exp(½ log σ²).
    let wrong = |s: &Gaussian, mut dmu: ArrayViewMut2<f64>, dlv: ArrayViewMut2<f64>| {
        let (eps, r) = eps_and_r();
        dmu.assign(&r);
        Zip::from(dlv)
            .and(&eps)
            .and(&r)
            .and(&s.1)
            .for_each(|d, &e, &r, _| *d = r * e * 0.5);
    };
    assert!(check_gaussian("reparameterize (wrong)", reparam_loss, wrong).is_err());
}

#[test]
fn negative_control_relu_passing_negative_gradients_fails() {
    let mut g = rng(2);
    let x = random((3, 7), -2.0, 2.0, &mut g);
    let r = random((3, 7), -1.0, 1.0, &mut g);
    let loss = |x: &Array2<f64>| {
        let mut y = x.clone();
        activation_forward(Activation::Relu, y.view_mut());
        weighted_sum(&r, y.view())
    };
    // A ReLU backward that forgets its mask: dx = dy everywhere.
    let mut state = x;
    assert!(
        check(
            "relu (wrong)",
            &mut state,
            21,
            |s, k| &mut s.as_slice_mut().unwrap()[k],
            loss,
            &flat(&r)
        )
        .is_err()
    );
}

// --- The whole models ------------------------------------------------------------------

const SIZES: Sizes = Sizes {
    input: 6,
    hidden: 5,
    latent: 2,
};
const BATCH: usize = 4;

/// A model with every weight and bias random, so that no gradient is trivially zero.
fn random_model(kind: ModelKind, act: Activation, seed: u64) -> Model<f64> {
    let mut g = rng(seed);
    let mut m = Model::zeros(kind, act, SIZES);
    for (_, l) in m.layers_mut() {
        l.w.mapv_inplace(|_| g.random::<f64>() - 0.5);
        l.b.mapv_inplace(|_| 0.4 * (g.random::<f64>() - 0.5));
    }
    m
}

fn model_entry(m: &mut Model<f64>, mut k: usize) -> &mut f64 {
    for (_, l) in m.layers_mut() {
        if k < l.w.len() {
            return &mut l.w.as_slice_mut().unwrap()[k];
        }
        k -= l.w.len();
        if k < l.b.len() {
            return &mut l.b[k];
        }
        k -= l.b.len();
    }
    panic!("entry past the last parameter")
}

fn flat_model(m: &Model<f64>) -> Vec<f64> {
    m.layers()
        .flat_map(|(_, l)| l.w.iter().chain(l.b.iter()).copied().collect::<Vec<_>>())
        .collect()
}

/// Checks `Model::backward` for the whole loss, or `tamper`'s change of it.
fn check_model(
    kind: ModelKind,
    act: Activation,
    beta: f64,
    zero_eps: bool,
    tamper: impl Fn(&mut Model<f64>),
) -> Result<(), String> {
    let mut g = rng(6);
    let x = random((BATCH, SIZES.input), 0.0, 1.0, &mut g);
    let eps = if zero_eps {
        Array2::zeros((BATCH, SIZES.latent))
    } else {
        random((BATCH, SIZES.latent), -2.0, 2.0, &mut g)
    };
    let model = random_model(kind, act, 7);
    let mut ws = Workspace::new(BATCH, SIZES);
    let mut grads = Model::zeros(kind, act, SIZES);
    let loss = model.loss_and_grad(x.view(), eps.view(), beta, &mut ws, &mut grads);
    assert!(loss.loss.is_finite());
    if kind == ModelKind::Vae && beta > 0.0 {
        assert!(loss.kl > 0.0);
    }
    tamper(&mut grads);
    let n = model.parameter_count();
    let f = |m: &Model<f64>| {
        let mut ws = Workspace::new(BATCH, SIZES);
        m.forward(x.view(), eps.view(), beta, &mut ws).loss
    };
    let mut state = model;
    check(
        &format!("{kind:?} {act:?} β={beta}"),
        &mut state,
        n,
        model_entry,
        f,
        &flat_model(&grads),
    )
}

#[test]
fn whole_vae() {
    for act in [Activation::Relu, Activation::Tanh] {
        for beta in [1.0, 3.5, 0.0] {
            check_model(ModelKind::Vae, act, beta, false, |_| {}).unwrap();
        }
        // Using the mean (ε = 0) while training.
        check_model(ModelKind::Vae, act, 1.0, true, |_| {}).unwrap();
    }
}

#[test]
fn whole_ae() {
    for act in [Activation::Relu, Activation::Tanh] {
        check_model(ModelKind::Ae, act, 1.0, false, |_| {}).unwrap();
    }
}

#[test]
fn negative_control_whole_vae_missing_the_logvar_gradient_fails() {
    let forget = |g: &mut Model<f64>| g.enc_logvar.as_mut().unwrap().w.fill(0.0);
    assert!(check_model(ModelKind::Vae, Activation::Tanh, 1.0, false, forget).is_err());
}

#[test]
fn negative_control_whole_ae_one_percent_off_fails() {
    // The largest entry of dec_hidden's gradient, 1% off (a zero entry would stay zero).
    let off = |g: &mut Model<f64>| {
        let w = g.dec_hidden.w.as_slice_mut().unwrap();
        let k = (0..w.len())
            .max_by(|&a, &b| w[a].abs().total_cmp(&w[b].abs()))
            .unwrap();
        assert!(w[k].abs() > 1e-3);
        w[k] *= 1.01;
    };
    assert!(check_model(ModelKind::Ae, Activation::Relu, 1.0, false, off).is_err());
}

// --- The pull on a pair's codes ----------------------------------------------------------

/// Checks `Model::pull_add` (the penalty holding two inputs' means at targets) against central
/// differences of the penalty, starting from gradients that are already there (it adds).
fn check_pull(
    kind: ModelKind,
    act: Activation,
    tamper: impl Fn(&mut Model<f64>),
) -> Result<(), String> {
    let mut g = rng(8);
    let x = random((2, SIZES.input), 0.0, 1.0, &mut g);
    let targets = random((2, SIZES.latent), -2.0, 2.0, &mut g);
    let kappa = 3.0;
    let model = random_model(kind, act, 9);
    let mut ws = Workspace::new(2, SIZES);
    // Start from a gradient already there: pull_add adds to it.
    let start = random_model(kind, act, 10);
    let mut grads = start.clone();
    let penalty = model.pull_add(x.view(), targets.view(), kappa, &mut ws, &mut grads);
    assert!(penalty > 0.0);
    for ((_, g), (_, s)) in grads.layers_mut().zip(start.layers()) {
        g.w -= &s.w;
        g.b -= &s.b;
    }
    tamper(&mut grads);
    let f = |m: &Model<f64>| {
        let mut ws = Workspace::new(2, SIZES);
        let mut scratch = Model::zeros(m.kind, m.activation, m.sizes);
        m.pull_add(x.view(), targets.view(), kappa, &mut ws, &mut scratch)
    };
    let n = model.parameter_count();
    let mut state = model;
    check(
        &format!("pull {kind:?} {act:?}"),
        &mut state,
        n,
        model_entry,
        f,
        &flat_model(&grads),
    )
}

#[test]
fn the_pull_on_a_pair() {
    for kind in [ModelKind::Vae, ModelKind::Ae] {
        for act in [Activation::Relu, Activation::Tanh] {
            check_pull(kind, act, |_| {}).unwrap();
        }
    }
}

#[test]
fn negative_control_a_pull_that_forgets_the_hidden_layer_fails() {
    let forget = |g: &mut Model<f64>| g.enc_hidden.w.fill(0.0);
    assert!(check_pull(ModelKind::Vae, Activation::Tanh, forget).is_err());
}

// --- Free codes: the loss's gradient with respect to the codes themselves -------------------

/// Checks `Model::backward_to_codes` (what a model with free codes updates its table with):
/// the loss as a function of the batch's means and `log σ²` (no encoder), against central
/// differences, and the decoder's gradients with them.
fn check_codes(
    kind: ModelKind,
    beta: f64,
    tamper: impl Fn(&mut Array2<f64>, &mut Array2<f64>),
) -> Result<(), String> {
    let mut g = rng(11);
    let x = random((BATCH, SIZES.input), 0.0, 1.0, &mut g);
    let eps = random((BATCH, SIZES.latent), -2.0, 2.0, &mut g);
    let mu = random((BATCH, SIZES.latent), -1.5, 1.5, &mut g);
    let logvar = random((BATCH, SIZES.latent), -1.0, 0.5, &mut g);
    let model = random_model(kind, Activation::Tanh, 12);
    let mut ws = Workspace::new(BATCH, SIZES);
    ws.mu.assign(&mu);
    ws.logvar.assign(&logvar);
    let mut grads = Model::zeros(kind, Activation::Tanh, SIZES);
    model.forward_from_codes(x.view(), eps.view(), beta, &mut ws);
    model.backward_to_codes(x.view(), eps.view(), beta, &mut ws, &mut grads);
    let (mut dmu, mut dlogvar) = (ws.dmu.clone(), ws.dlogvar.clone());
    if kind == ModelKind::Ae {
        dlogvar.fill(0.0); // an AE has no log σ²: the loss does not depend on it
    }
    tamper(&mut dmu, &mut dlogvar);
    let analytic: Vec<f64> = dmu.iter().chain(dlogvar.iter()).copied().collect();
    let f = |codes: &(Array2<f64>, Array2<f64>)| {
        let mut ws = Workspace::new(BATCH, SIZES);
        ws.mu.assign(&codes.0);
        ws.logvar.assign(&codes.1);
        model
            .forward_from_codes(x.view(), eps.view(), beta, &mut ws)
            .loss
    };
    let n = analytic.len();
    let mut state = (mu, logvar);
    let half = BATCH * SIZES.latent;
    check(
        &format!("free codes {kind:?} β={beta}"),
        &mut state,
        n,
        |s, k| {
            if k < half {
                &mut s.0.as_slice_mut().unwrap()[k]
            } else {
                &mut s.1.as_slice_mut().unwrap()[k - half]
            }
        },
        f,
        &analytic,
    )?;
    // The decoder's gradients are those of the whole model's backward pass.
    let mut full = Model::zeros(kind, Activation::Tanh, SIZES);
    let mut ws2 = Workspace::new(BATCH, SIZES);
    ws2.mu.assign(&state.0);
    ws2.logvar.assign(&state.1);
    model.forward_from_codes(x.view(), eps.view(), beta, &mut ws2);
    model.backward_decoder(x.view(), &mut ws2, &mut full);
    assert_eq!(grads.dec_out, full.dec_out);
    assert_eq!(grads.dec_hidden, full.dec_hidden);
    Ok(())
}

#[test]
fn free_codes() {
    for beta in [1.0, 2.5, 0.0] {
        check_codes(ModelKind::Vae, beta, |_, _| {}).unwrap();
    }
    check_codes(ModelKind::Ae, 1.0, |_, _| {}).unwrap();
}

#[test]
fn negative_control_free_codes_ten_percent_off_fail() {
    // Every code's gradient 10% short.
    let forget = |dmu: &mut Array2<f64>, _: &mut Array2<f64>| {
        dmu.mapv_inplace(|v| v * 0.9);
    };
    assert!(check_codes(ModelKind::Vae, 1.0, forget).is_err());
}

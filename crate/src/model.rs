//! The plain autoencoder and the variational autoencoder, forward and backward.
//!
//! Both share one shape (`D → H → Z → H → D`) and one type, [`Model`], so that the only
//! difference a reader has to find is spelled out in [`Model::forward`]: the VAE's encoder has
//! a second head for `log σ²`, its code is sampled with the reparameterisation trick, and its
//! loss adds `β·KL(q(z|x) ‖ N(0, I))`. Everything else is the same code.
//!
//! ```text
//! AE:   x ─enc_hidden─ act ─enc_z── code ─ z = code + ε ──── z ─dec_hidden─ act ─dec_out─ logits
//! VAE:  x ─enc_hidden─ act ─┬enc_mu───── μ ──┐
//!                           └enc_logvar─ log σ² ─ z = μ + σ·ε ─dec_hidden─ act ─dec_out─ logits
//! ```
//!
//! Shapes: `x` `(B, D)`, hidden `(B, H)`, codes `(B, Z)`, logits `(B, D)`.

use crate::layers::{
    Activation, Dense, activation_backward, activation_forward, bce_with_logits_backward,
    bce_with_logits_forward, dense_backward, dense_backward_add, dense_backward_input,
    dense_backward_input_add, dense_forward, gaussian_kl_backward_add, gaussian_kl_forward,
    reparameterize_backward, reparameterize_forward,
};
use crate::real::Real;
use ndarray::{Array2, ArrayView2};
use rand_chacha::ChaCha8Rng;

/// Which model: the variational autoencoder or the plain one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// Variational autoencoder: the encoder outputs a Gaussian `q(z|x)`.
    Vae,
    /// Plain autoencoder: the encoder outputs a point `z`.
    Ae,
}

crate::names::named!(ModelKind, "model", [ModelKind::Vae => "vae", ModelKind::Ae => "ae"]);

/// The sizes of the network: `D`, `H`, `Z`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sizes {
    /// `D`, pixels per input.
    pub input: usize,
    /// `H`, units in each hidden layer.
    pub hidden: usize,
    /// `Z`, latent dimensions.
    pub latent: usize,
}

/// Losses of one batch, each a mean over its samples, in nats per sample.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Loss {
    /// The objective: `recon + β·kl`.
    pub loss: f64,
    /// Reconstruction: `Σ_pixels BCE(x, σ(logits))`.
    pub recon: f64,
    /// `KL(q(z|x) ‖ N(0, I))` summed over latent dimensions (0 for the AE).
    pub kl: f64,
}

/// An autoencoder's parameters. A `Model` of zeros with the same shape holds its gradients.
#[derive(Clone, Debug, PartialEq)]
pub struct Model<F> {
    /// VAE or AE.
    pub kind: ModelKind,
    /// The nonlinearity of both hidden layers.
    pub activation: Activation,
    /// `D`, `H`, `Z`.
    pub sizes: Sizes,
    /// `(D, H)`.
    pub enc_hidden: Dense<F>,
    /// `(H, Z)`: the mean μ of `q(z|x)` for the VAE; the code `z` itself for the AE.
    pub enc_mu: Dense<F>,
    /// `(H, Z)`: `log σ²` of `q(z|x)`; the VAE only.
    pub enc_logvar: Option<Dense<F>>,
    /// `(Z, H)`.
    pub dec_hidden: Dense<F>,
    /// `(H, D)`: logits of the pixels.
    pub dec_out: Dense<F>,
}

/// The number of parameters (weights and biases) of a model of `kind` with `sizes`:
/// `(D+1)H` for the hidden encoder layer, `(H+1)Z` per encoder head (the VAE has two),
/// `(Z+1)H` and `(H+1)D` for the decoder. Saturates instead of overflowing.
pub fn parameter_count(kind: ModelKind, sizes: Sizes) -> usize {
    let Sizes {
        input: d,
        hidden: h,
        latent: z,
    } = sizes;
    let heads = if kind == ModelKind::Vae { 2 } else { 1 };
    let dense = |i: usize, o: usize| i.saturating_add(1).saturating_mul(o);
    dense(d, h)
        .saturating_add(dense(h, z).saturating_mul(heads))
        .saturating_add(dense(z, h))
        .saturating_add(dense(h, d))
}

impl<F: Real> Model<F> {
    /// A model of zeros: the shape of a gradient.
    pub fn zeros(kind: ModelKind, activation: Activation, sizes: Sizes) -> Self {
        let Sizes {
            input: d,
            hidden: h,
            latent: z,
        } = sizes;
        Model {
            kind,
            activation,
            sizes,
            enc_hidden: Dense::zeros(d, h),
            enc_mu: Dense::zeros(h, z),
            enc_logvar: (kind == ModelKind::Vae).then(|| Dense::zeros(h, z)),
            dec_hidden: Dense::zeros(z, h),
            dec_out: Dense::zeros(h, d),
        }
    }

    /// A freshly initialised model: Glorot-uniform weights drawn from `rng` layer by layer in
    /// forward order, zero biases.
    pub fn init(
        kind: ModelKind,
        activation: Activation,
        sizes: Sizes,
        rng: &mut ChaCha8Rng,
    ) -> Self {
        let Sizes {
            input: d,
            hidden: h,
            latent: z,
        } = sizes;
        let enc_hidden = Dense::glorot_uniform(d, h, rng);
        let enc_mu = Dense::glorot_uniform(h, z, rng);
        let enc_logvar = (kind == ModelKind::Vae).then(|| Dense::glorot_uniform(h, z, rng));
        let dec_hidden = Dense::glorot_uniform(z, h, rng);
        let dec_out = Dense::glorot_uniform(h, d, rng);
        Model {
            kind,
            activation,
            sizes,
            enc_hidden,
            enc_mu,
            enc_logvar,
            dec_hidden,
            dec_out,
        }
    }

    /// The layers in forward order, with the names used in weight files.
    pub fn layers(&self) -> impl Iterator<Item = (&'static str, &Dense<F>)> {
        let code_name = self.code_layer_name();
        [
            Some(("enc_hidden", &self.enc_hidden)),
            Some((code_name, &self.enc_mu)),
            self.enc_logvar.as_ref().map(|l| ("enc_logvar", l)),
            Some(("dec_hidden", &self.dec_hidden)),
            Some(("dec_out", &self.dec_out)),
        ]
        .into_iter()
        .flatten()
    }

    /// The layers in forward order, mutable.
    pub fn layers_mut(&mut self) -> impl Iterator<Item = (&'static str, &mut Dense<F>)> {
        let code_name = self.code_layer_name();
        [
            Some(("enc_hidden", &mut self.enc_hidden)),
            Some((code_name, &mut self.enc_mu)),
            self.enc_logvar.as_mut().map(|l| ("enc_logvar", l)),
            Some(("dec_hidden", &mut self.dec_hidden)),
            Some(("dec_out", &mut self.dec_out)),
        ]
        .into_iter()
        .flatten()
    }

    fn code_layer_name(&self) -> &'static str {
        match self.kind {
            ModelKind::Vae => "enc_mu",
            ModelKind::Ae => "enc_z",
        }
    }

    /// Number of trainable numbers.
    pub fn parameter_count(&self) -> usize {
        self.layers().map(|(_, l)| l.w.len() + l.b.len()).sum()
    }

    /// Encoder: writes `ws.h_enc`, `ws.mu` and (VAE) `ws.logvar` for the batch `x` `(B, D)`.
    /// For the AE, `ws.mu` is the code.
    pub fn encode(&self, x: ArrayView2<F>, ws: &mut Workspace<F>) {
        dense_forward(x, &self.enc_hidden, ws.h_enc.view_mut());
        activation_forward(self.activation, ws.h_enc.view_mut());
        dense_forward(ws.h_enc.view(), &self.enc_mu, ws.mu.view_mut());
        if let Some(enc_logvar) = &self.enc_logvar {
            dense_forward(ws.h_enc.view(), enc_logvar, ws.logvar.view_mut());
        }
    }

    /// Decoder: writes `ws.h_dec` and `ws.logits` from the codes in `ws.z`.
    pub fn decode(&self, ws: &mut Workspace<F>) {
        dense_forward(ws.z.view(), &self.dec_hidden, ws.h_dec.view_mut());
        activation_forward(self.activation, ws.h_dec.view_mut());
        dense_forward(ws.h_dec.view(), &self.dec_out, ws.logits.view_mut());
    }

    /// Forward pass of the whole model and its loss on the batch `x` `(B, D)`.
    ///
    /// VAE: `z = μ + σ·ε` with `eps` `(B, Z)` given (all zeros decodes the mean), and
    /// `loss = mean_i [ Σ_pixels BCE + β·KL(q(z|xᵢ) ‖ N(0, I)) ]`.
    /// AE: `z = code + eps` (zeros for the plain AE, `σ₀·ε` for one with fixed noise), `beta` is
    /// ignored and `loss = mean_i Σ BCE`.
    ///
    /// Leaves every intermediate in `ws` for [`Model::backward`], and the KL of each latent
    /// dimension (batch mean) in `ws.kl_per_dim`.
    pub fn forward(
        &self,
        x: ArrayView2<F>,
        eps: ArrayView2<F>,
        beta: F,
        ws: &mut Workspace<F>,
    ) -> Loss {
        self.encode(x, ws);
        self.forward_from_codes(x, eps, beta, ws)
    }

    /// The part of [`Model::forward`] after the encoder: from the means (the AE's codes) and
    /// `log σ²` already in `ws.mu` and `ws.logvar` (by [`Model::encode`], or from a table of
    /// free codes) to the loss.
    pub fn forward_from_codes(
        &self,
        x: ArrayView2<F>,
        eps: ArrayView2<F>,
        beta: F,
        ws: &mut Workspace<F>,
    ) -> Loss {
        let batch = x.nrows() as f64;
        let kl = match self.kind {
            ModelKind::Vae => {
                reparameterize_forward(ws.mu.view(), ws.logvar.view(), eps, ws.z.view_mut());
                let kl = gaussian_kl_forward(ws.mu.view(), ws.logvar.view(), &mut ws.kl_per_dim);
                ws.kl_per_dim.iter_mut().for_each(|k| *k /= batch);
                kl / batch
            }
            ModelKind::Ae => {
                ws.z.assign(&ws.mu);
                ws.z += &eps;
                ws.kl_per_dim.fill(0.0);
                0.0
            }
        };
        self.decode(ws);
        let recon = bce_with_logits_forward(ws.logits.view(), x, ws.probs.view_mut()) / batch;
        Loss {
            loss: recon + beta.to_f64() * kl,
            recon,
            kl,
        }
    }

    /// Backward pass: the gradient of [`Model::forward`]'s `loss` with respect to every
    /// parameter, written (overwriting) into `grads`, a model of the same shape.
    ///
    /// Must follow a `forward` with the same `x`, `eps` and `ws`.
    pub fn backward(
        &self,
        x: ArrayView2<F>,
        eps: ArrayView2<F>,
        beta: F,
        ws: &mut Workspace<F>,
        grads: &mut Model<F>,
    ) {
        self.backward_to_codes(x, eps, beta, ws, grads);
        // The encoder's heads: (μ, log σ²) (VAE) or the code (AE).
        match (&self.enc_logvar, &mut grads.enc_logvar) {
            (Some(enc_logvar), Some(d_enc_logvar)) => {
                dense_backward(ws.h_enc.view(), ws.dlogvar.view(), d_enc_logvar);
                dense_backward_input(ws.dlogvar.view(), enc_logvar, ws.dh_enc.view_mut());
                dense_backward(ws.h_enc.view(), ws.dmu.view(), &mut grads.enc_mu);
                dense_backward_input_add(ws.dmu.view(), &self.enc_mu, ws.dh_enc.view_mut());
            }
            _ => {
                dense_backward(ws.h_enc.view(), ws.dmu.view(), &mut grads.enc_mu);
                dense_backward_input(ws.dmu.view(), &self.enc_mu, ws.dh_enc.view_mut());
            }
        }
        // Encoder: h_enc → x. The input needs no gradient.
        activation_backward(self.activation, ws.h_enc.view(), ws.dh_enc.view_mut());
        dense_backward(x, ws.dh_enc.view(), &mut grads.enc_hidden);
    }

    /// The part of [`Model::backward`] down to the codes: the decoder's gradients into
    /// `grads`, and the loss's gradient with respect to the means (the AE's codes) into
    /// `ws.dmu` and, for the VAE, to `log σ²` into `ws.dlogvar` (the reparameterisation and
    /// the KL term). Leaves the encoder's gradients in `grads` as they were. Must follow a
    /// [`Model::forward`] or [`Model::forward_from_codes`] with the same `x`, `eps` and `ws`.
    pub fn backward_to_codes(
        &self,
        x: ArrayView2<F>,
        eps: ArrayView2<F>,
        beta: F,
        ws: &mut Workspace<F>,
        grads: &mut Model<F>,
    ) {
        let inv_batch = F::one() / F::from_f64(x.nrows() as f64);
        self.backward_decoder(x, ws, grads);
        match self.kind {
            ModelKind::Vae => {
                reparameterize_backward(
                    ws.logvar.view(),
                    eps,
                    ws.dz.view(),
                    ws.dmu.view_mut(),
                    ws.dlogvar.view_mut(),
                );
                gaussian_kl_backward_add(
                    ws.mu.view(),
                    ws.logvar.view(),
                    beta * inv_batch,
                    ws.dmu.view_mut(),
                    ws.dlogvar.view_mut(),
                );
            }
            // z = code + ε: the code's gradient is z's.
            ModelKind::Ae => ws.dmu.assign(&ws.dz),
        }
    }

    /// The decoder's part of [`Model::backward`]: the reconstruction's gradient with respect
    /// to the decoder's parameters, written (overwriting) into `grads.dec_out` and
    /// `grads.dec_hidden`, and with respect to the codes, into `ws.dz`. Leaves the encoder's
    /// gradients in `grads` as they were.
    ///
    /// Must follow a decode of `ws.z` (by [`Model::forward`] or [`Model::decode`] with the
    /// reconstruction in `ws.probs`) for the targets `x`.
    pub fn backward_decoder(&self, x: ArrayView2<F>, ws: &mut Workspace<F>, grads: &mut Model<F>) {
        let inv_batch = F::one() / F::from_f64(x.nrows() as f64);
        // logits → h_dec → z.
        bce_with_logits_backward(ws.probs.view(), x, inv_batch, ws.dlogits.view_mut());
        dense_backward(ws.h_dec.view(), ws.dlogits.view(), &mut grads.dec_out);
        dense_backward_input(ws.dlogits.view(), &self.dec_out, ws.dh_dec.view_mut());
        activation_backward(self.activation, ws.h_dec.view(), ws.dh_dec.view_mut());
        dense_backward(ws.z.view(), ws.dh_dec.view(), &mut grads.dec_hidden);
        dense_backward_input(ws.dh_dec.view(), &self.dec_hidden, ws.dz.view_mut());
    }

    /// The pull on a pair's codes: `penalty = (κ/2)·Σ_r ‖μ_r − t_r‖²` for the inputs `x`
    /// `(R, D)`, their means `μ` (the AE's codes) and the targets `targets` `(R, Z)`. Returns
    /// the penalty and **adds** its gradient, `∂/∂μ_r = κ·(μ_r − t_r)` carried back through the
    /// encoder's mean head and hidden layer, into `grads` (the other layers get nothing).
    /// `ws` holds `R` samples.
    pub fn pull_add(
        &self,
        x: ArrayView2<F>,
        targets: ArrayView2<F>,
        kappa: F,
        ws: &mut Workspace<F>,
        grads: &mut Model<F>,
    ) -> f64 {
        self.encode(x, ws);
        let mut penalty = 0.0;
        ndarray::Zip::from(&mut ws.dmu)
            .and(&ws.mu)
            .and(&targets)
            .for_each(|d, &m, &t| {
                let diff = m - t;
                penalty += 0.5 * (kappa * diff * diff).to_f64();
                *d = kappa * diff;
            });
        dense_backward_add(ws.h_enc.view(), ws.dmu.view(), &mut grads.enc_mu);
        dense_backward_input(ws.dmu.view(), &self.enc_mu, ws.dh_enc.view_mut());
        activation_backward(self.activation, ws.h_enc.view(), ws.dh_enc.view_mut());
        dense_backward_add(x, ws.dh_enc.view(), &mut grads.enc_hidden);
        penalty
    }

    /// [`Model::forward`] then [`Model::backward`].
    pub fn loss_and_grad(
        &self,
        x: ArrayView2<F>,
        eps: ArrayView2<F>,
        beta: F,
        ws: &mut Workspace<F>,
        grads: &mut Model<F>,
    ) -> Loss {
        let loss = self.forward(x, eps, beta, ws);
        self.backward(x, eps, beta, ws, grads);
        loss
    }
}

/// Every intermediate of one forward and backward pass, sized once for a batch of `B`.
#[derive(Clone, Debug)]
pub struct Workspace<F> {
    /// `(B, H)` encoder hidden activations.
    pub h_enc: Array2<F>,
    /// `(B, Z)` posterior means (VAE) or codes (AE).
    pub mu: Array2<F>,
    /// `(B, Z)` posterior `log σ²` (VAE).
    pub logvar: Array2<F>,
    /// `(B, Z)` the codes the decoder reads.
    pub z: Array2<F>,
    /// `(B, H)` decoder hidden activations.
    pub h_dec: Array2<F>,
    /// `(B, D)` pixel logits.
    pub logits: Array2<F>,
    /// `(B, D)` the reconstruction: pixel probabilities `σ(logits)`.
    pub probs: Array2<F>,
    /// `(B, D)`.
    pub dlogits: Array2<F>,
    /// `(B, H)`.
    pub dh_dec: Array2<F>,
    /// `(B, Z)`.
    pub dz: Array2<F>,
    /// `(B, Z)`.
    pub dmu: Array2<F>,
    /// `(B, Z)`.
    pub dlogvar: Array2<F>,
    /// `(B, H)`.
    pub dh_enc: Array2<F>,
    /// `(Z)` batch-mean KL of each latent dimension, in nats.
    pub kl_per_dim: Vec<f64>,
}

impl<F: Real> Workspace<F> {
    /// Buffers for batches of `batch` samples.
    pub fn new(batch: usize, sizes: Sizes) -> Self {
        let Sizes {
            input: d,
            hidden: h,
            latent: z,
        } = sizes;
        Workspace {
            h_enc: Array2::zeros((batch, h)),
            mu: Array2::zeros((batch, z)),
            logvar: Array2::zeros((batch, z)),
            z: Array2::zeros((batch, z)),
            h_dec: Array2::zeros((batch, h)),
            logits: Array2::zeros((batch, d)),
            probs: Array2::zeros((batch, d)),
            dlogits: Array2::zeros((batch, d)),
            dh_dec: Array2::zeros((batch, h)),
            dz: Array2::zeros((batch, z)),
            dmu: Array2::zeros((batch, z)),
            dlogvar: Array2::zeros((batch, z)),
            dh_enc: Array2::zeros((batch, h)),
            kl_per_dim: vec![0.0; z],
        }
    }

    /// Buffers for the codes of `batch` samples only, `mu` and `logvar`; every other buffer is
    /// empty, so no pass of a model fits in them. For a view's codes, encoded a few samples
    /// at a time elsewhere: 16 bytes a sample (Z = 2) instead of about 5 KB (13.5 KB at
    /// MNIST's 784 inputs).
    pub fn codes_only(batch: usize, sizes: Sizes) -> Self {
        Workspace {
            mu: Array2::zeros((batch, sizes.latent)),
            logvar: Array2::zeros((batch, sizes.latent)),
            ..Workspace::new(0, sizes)
        }
    }

    /// The batch size these buffers hold for a model's passes (0 for [`Workspace::codes_only`]).
    pub fn batch(&self) -> usize {
        self.h_enc.nrows()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    /// A one-pixel network of `kind` with every weight 1 but the `log σ²` head's (0), and
    /// every bias 0: the code is `x`, `log σ² = 0`, and the decoder's logit is `relu(z)`.
    fn one_pixel(kind: ModelKind) -> (Model<f64>, Workspace<f64>) {
        let sizes = Sizes {
            input: 1,
            hidden: 1,
            latent: 1,
        };
        let mut m = Model::<f64>::zeros(kind, Activation::Relu, sizes);
        for (name, layer) in m.layers_mut() {
            if name != "enc_logvar" {
                layer.w.fill(1.0);
            }
        }
        (m, Workspace::new(1, sizes))
    }

    /// A one-pixel AE worked by hand: every weight 1, biases 0, so the code is `x`, the
    /// decoder's logit is `relu(z)`, and the loss is `ln(1 + e^(−z))` for `x = 1`. The fixed
    /// noise enters as `z = code + ε`: ε = 0.5 gives `ln(1 + e^(−1.5))`.
    #[test]
    fn an_autoencoders_loss_by_hand() {
        let (m, mut ws) = one_pixel(ModelKind::Ae);
        let x = array![[1.0]];
        let plain = m.forward(x.view(), array![[0.0]].view(), 1.0, &mut ws);
        assert!((plain.loss - (1.0 + (-1.0f64).exp()).ln()).abs() < 1e-12);
        let noisy = m.forward(x.view(), array![[0.5]].view(), 1.0, &mut ws);
        assert!((noisy.loss - (1.0 + (-1.5f64).exp()).ln()).abs() < 1e-12);
        assert_eq!((noisy.kl, ws.z[[0, 0]]), (0.0, 1.5));
    }

    /// The same one-pixel network as a VAE, worked by hand: `μ = x = 1`, `log σ² = 0` (its head
    /// has zero weights), so `σ = 1` and `KL = ½(μ² + σ² − 1 − log σ²) = ½`. With `ε = −0.5`,
    /// `z = μ + σ·ε = 0.5` and the loss is `ln(1 + e^(−0.5)) + β·½`; with `ε = 0` (the noise
    /// off), `ln(1 + e^(−1)) + β·½`. Free codes give the same loss from the same `μ` and
    /// `log σ²` put in by hand.
    #[test]
    fn a_vaes_loss_by_hand() {
        let (m, mut ws) = one_pixel(ModelKind::Vae);
        let x = array![[1.0]];
        let beta = 2.0;
        let sampled = m.forward(x.view(), array![[-0.5]].view(), beta, &mut ws);
        assert!((sampled.kl - 0.5).abs() < 1e-12);
        let want = (1.0 + (-0.5f64).exp()).ln() + beta * 0.5;
        assert!(
            (sampled.loss - want).abs() < 1e-12,
            "{} {want}",
            sampled.loss
        );
        let mean = m.forward(x.view(), array![[0.0]].view(), beta, &mut ws);
        assert!((mean.loss - ((1.0 + (-1.0f64).exp()).ln() + beta * 0.5)).abs() < 1e-12);
        // Free codes: the same posterior, given instead of encoded.
        let mut free = Workspace::new(1, m.sizes);
        free.mu[[0, 0]] = 1.0;
        free.logvar[[0, 0]] = 0.0;
        let from_codes = m.forward_from_codes(x.view(), array![[-0.5]].view(), beta, &mut free);
        assert_eq!(from_codes, sampled);
    }
}

//! Optimisers: Adam and plain SGD. The learning rate can change between any two steps.

use crate::config::OptimizerKind;
use crate::layers::Dense;
use crate::model::Model;
use crate::real::Real;
use ndarray::Zip;

/// Adam's `β1`.
pub const ADAM_BETA1: f64 = 0.9;
/// Adam's `β2`.
pub const ADAM_BETA2: f64 = 0.999;
/// Adam's `ε`.
pub const ADAM_EPS: f64 = 1e-8;

/// Adam's moments, gradients, and squared gradients below this size are taken as 0 (so a
/// gradient below its square root, 1e-15, adds nothing to the second moment).
///
/// Pixels that are always blank (the digits' corners) get ever more confident logits, so
/// their gradients shrink towards 1e-20 and their squares fall below `f32`'s smallest normal
/// number (1.2e-38). Arithmetic on such subnormal numbers is many times slower on x86 and in
/// wasm: without this, a step took twice as long after 10,000 steps (AE: three times). A
/// moment this small changes a parameter by less than `lr · 1e-30 / ε ≈ 1e-25`, and a squared
/// gradient below 1e-30 is nothing beside `ε² = 1e-16` in `√v + ε`.
pub const FLUSH_BELOW: f64 = 1e-30;

/// An optimiser and its state for one model.
#[derive(Clone, Debug)]
pub struct Optimizer<F> {
    /// Adam or SGD.
    pub kind: OptimizerKind,
    /// Learning rate; may be changed between steps.
    pub lr: F,
    /// Steps taken, `t`.
    pub t: u64,
    /// Adam's first moments, one per layer in forward order (empty for SGD).
    m: Vec<Dense<F>>,
    /// Adam's second moments, one per layer in forward order (empty for SGD).
    v: Vec<Dense<F>>,
}

impl<F: Real> Optimizer<F> {
    /// A fresh optimiser for `model`'s parameters.
    pub fn new(kind: OptimizerKind, lr: F, model: &Model<F>) -> Self {
        Self::for_layers(kind, lr, model.layers().map(|(_, l)| l))
    }

    /// A fresh optimiser for the parameters of `layers`, in that order.
    pub fn for_layers<'a>(
        kind: OptimizerKind,
        lr: F,
        layers: impl Iterator<Item = &'a Dense<F>>,
    ) -> Self
    where
        F: 'a,
    {
        let shapes: Vec<(usize, usize)> = layers.map(|l| (l.input(), l.output())).collect();
        let zeros = || -> Vec<Dense<F>> {
            match kind {
                OptimizerKind::Adam => shapes.iter().map(|&(i, o)| Dense::zeros(i, o)).collect(),
                OptimizerKind::Sgd => Vec::new(),
            }
        };
        Optimizer {
            kind,
            lr,
            t: 0,
            m: zeros(),
            v: zeros(),
        }
    }

    /// Updates `model` with its gradient `grads` (a model of the same shape).
    ///
    /// SGD: `θ ← θ − lr·g`.
    ///
    /// Adam (Kingma & Ba, 2015, Algorithm 1), with `t` counting from 1:
    /// `m ← β1·m + (1 − β1)·g`, `v ← β2·v + (1 − β2)·g²`,
    /// `θ ← θ − lr·m̂ / (√v̂ + ε)` with `m̂ = m / (1 − β1ᵗ)`, `v̂ = v / (1 − β2ᵗ)`.
    pub fn step(&mut self, model: &mut Model<F>, grads: &Model<F>) {
        self.step_layers(
            model.layers_mut().map(|(_, l)| l),
            grads.layers().map(|(_, l)| l),
        );
    }

    /// As [`Optimizer::step`], for the layers this optimiser was made for
    /// ([`Optimizer::for_layers`]) and their gradients, in the same order.
    pub fn step_layers<'a, 'b>(
        &mut self,
        params: impl Iterator<Item = &'a mut Dense<F>>,
        grads: impl Iterator<Item = &'b Dense<F>>,
    ) where
        F: 'a + 'b,
    {
        self.t += 1;
        let lr = self.lr;
        match self.kind {
            OptimizerKind::Sgd => {
                for (p, g) in params.zip(grads) {
                    p.w.scaled_add(-lr, &g.w);
                    p.b.scaled_add(-lr, &g.b);
                }
            }
            OptimizerKind::Adam => {
                let t = self.t as i32;
                let b1 = F::from_f64(ADAM_BETA1);
                let b2 = F::from_f64(ADAM_BETA2);
                let c1 = F::one() / F::from_f64(1.0 - ADAM_BETA1.powi(t));
                let c2 = F::one() / F::from_f64(1.0 - ADAM_BETA2.powi(t));
                let eps = F::from_f64(ADAM_EPS);
                let tiny = F::from_f64(FLUSH_BELOW);
                let tiny_root = F::from_f64(FLUSH_BELOW.sqrt());
                let zero = F::from_f64(0.0);
                let update = |p: &mut F, m: &mut F, v: &mut F, g: &F| {
                    // See FLUSH_BELOW: no product here is subnormal. A gradient below 1e-30
                    // counts as 0; one below 1e-15 adds nothing to v (its square would be
                    // below 1e-30).
                    let g = if g.abs() < tiny { zero } else { *g };
                    let g2 = if g.abs() < tiny_root { zero } else { g * g };
                    let m_next = b1 * *m + (F::one() - b1) * g;
                    let v_next = b2 * *v + (F::one() - b2) * g2;
                    *m = if m_next.abs() < tiny { zero } else { m_next };
                    *v = if v_next < tiny { zero } else { v_next };
                    *p -= lr * (*m * c1) / ((*v * c2).sqrt() + eps);
                };
                let layers = params.zip(grads);
                for ((p, g), (m, v)) in layers.zip(self.m.iter_mut().zip(&mut self.v)) {
                    Zip::from(&mut p.w)
                        .and(&mut m.w)
                        .and(&mut v.w)
                        .and(&g.w)
                        .for_each(update);
                    Zip::from(&mut p.b)
                        .and(&mut m.b)
                        .and(&mut v.b)
                        .and(&g.b)
                        .for_each(update);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::Activation;
    use crate::model::{ModelKind, Sizes};

    fn one_parameter_models(value: f64, grad: f64) -> (Model<f64>, Model<f64>) {
        let sizes = Sizes {
            input: 1,
            hidden: 1,
            latent: 1,
        };
        let mut p = Model::zeros(ModelKind::Ae, Activation::Relu, sizes);
        let mut g = p.clone();
        p.enc_hidden.w[[0, 0]] = value;
        g.enc_hidden.w[[0, 0]] = grad;
        (p, g)
    }

    #[test]
    fn adam_first_step_moves_by_lr_whatever_the_gradient_scale() {
        // At t = 1, m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g).
        for grad in [1e-3, 1.0, 1e3] {
            let (mut p, g) = one_parameter_models(0.5, grad);
            let mut opt = Optimizer::new(OptimizerKind::Adam, 0.01, &p);
            opt.step(&mut p, &g);
            let moved = 0.5 - p.enc_hidden.w[[0, 0]];
            assert!((moved - 0.01).abs() < 1e-6, "grad {grad}: moved {moved}");
            // Parameters without gradient stay put.
            assert_eq!(p.dec_out.w[[0, 0]], 0.0);
        }
    }

    #[test]
    fn tiny_gradients_and_moments_are_flushed_to_zero() {
        // A gradient of 1e-20 would make g² = 1e-40 and v = 1e-3·1e-40, subnormal f32s.
        let sizes = Sizes {
            input: 1,
            hidden: 1,
            latent: 1,
        };
        let mut p = Model::<f32>::zeros(ModelKind::Ae, Activation::Relu, sizes);
        let mut g = p.clone();
        g.enc_hidden.w[[0, 0]] = 1e-20;
        g.dec_out.w[[0, 0]] = 1e-3;
        let mut opt = Optimizer::new(OptimizerKind::Adam, 1e-3, &p);
        for _ in 0..3 {
            opt.step(&mut p, &g);
        }
        let (m, v) = (&opt.m[0].w[[0, 0]], &opt.v[0].w[[0, 0]]);
        assert!(*m > 0.0, "m = {m}: 1e-20 is small but normal, and kept");
        assert_eq!(*v, 0.0, "its square is flushed");
        // A moment that decays after its gradient stops ends at exactly 0, never subnormal.
        g.dec_out.w[[0, 0]] = 0.0;
        for _ in 0..2000 {
            opt.step(&mut p, &g);
            for d in opt.m.iter().chain(&opt.v) {
                assert!(d.w.iter().all(|x| !x.is_subnormal()));
            }
        }
        assert_eq!(opt.m[3].w[[0, 0]], 0.0);
    }

    #[test]
    fn sgd_and_a_changed_learning_rate() {
        let (mut p, g) = one_parameter_models(1.0, 2.0);
        let mut opt = Optimizer::new(OptimizerKind::Sgd, 0.1, &p);
        opt.step(&mut p, &g);
        assert!((p.enc_hidden.w[[0, 0]] - 0.8).abs() < 1e-15);
        opt.lr = 0.01;
        opt.step(&mut p, &g);
        assert!((p.enc_hidden.w[[0, 0]] - 0.78).abs() < 1e-15);
    }
}

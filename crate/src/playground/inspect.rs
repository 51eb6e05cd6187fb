//! What a model makes of one sample, one latent point, or the visitor's drawing.

use super::*;

/// What the model makes of one input: its code and its reconstruction (an image of `D`
/// values in `[0, 1]`, decoded from the mean code).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Reading {
    /// The reconstruction, decoding `z = μ`.
    pub recon: Vec<f32>,
    /// The code: the VAE's μ, the AE's z.
    pub mu: Vec<f32>,
    /// The VAE's σ; `None` for the AE.
    pub sigma: Option<Vec<f32>>,
}

/// One sample as the page shows it on hover: the input and what the model makes of it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Inspection {
    /// Index in the data set.
    pub index: usize,
    /// Its class (generated data: its first factor in ten bins).
    pub label: u8,
    /// Its factors in `[0, 1]` (digits: zeros).
    pub factors: [f32; 2],
    /// The input image.
    pub input: Vec<f32>,
    /// The model's code and reconstruction.
    pub reading: Reading,
}

impl Playground {
    /// What the model decodes at latent `(z0, z1)` (further dimensions 0): an image of `D`
    /// values in `[0, 1]`.
    pub fn decode_at(&mut self, z0: f32, z1: f32) -> Vec<f32> {
        let ws = &mut self.one;
        ws.z.fill(0.0);
        ws.z[[0, 0]] = z0;
        ws.z[[0, 1]] = z1;
        decode_probs(self.trainer.model(), ws);
        ws.probs.row(0).to_vec()
    }

    /// Sets (or with `None` removes) an input of the visitor's own: `D` values in `[0, 1]`,
    /// marked in the view from the next draw on.
    ///
    /// # Errors
    /// If the input does not have `D` values, all finite.
    pub fn set_drawing(&mut self, input: Option<Vec<f32>>) -> Result<(), String> {
        let d = self.data.dim();
        if let Some(x) = &input
            && (x.len() != d || !x.iter().all(|v| v.is_finite()))
        {
            return Err(format!("a drawing is {d} numbers, each from 0 to 1"));
        }
        self.drawing = input.map(|x| {
            Array2::from_shape_vec((1, d), x)
                .expect("the length is checked above")
                .mapv_into(|v| v.clamp(0.0, 1.0))
        });
        Ok(())
    }

    /// What the model makes of the visitor's input, if one is set (`None` for a model with
    /// free codes, which has no code for an input it was not trained on).
    pub fn drawing(&mut self) -> Option<Reading> {
        if self.has_free_codes() {
            return None;
        }
        let x = self.drawing.take()?;
        let reading = self.examine(x.view(), None);
        self.drawing = Some(x);
        Some(reading)
    }

    /// The code of the one input `x` `(1, D)` and its reconstruction: `x` is input `index`
    /// of the data set if given (a model with free codes reads its table there).
    fn examine(&mut self, x: ArrayView2<f32>, index: Option<usize>) -> Reading {
        match index {
            Some(i) => self
                .trainer
                .encode_one(self.rows[i] as usize, &mut self.one),
            None => self.trainer.model().encode(x, &mut self.one),
        }
        let model = self.trainer.model();
        let mu = self.one.mu.row(0).to_vec();
        let sigma = self
            .has_posterior()
            .then(|| self.one.logvar.row(0).mapv(|l| (0.5 * l).exp()).to_vec());
        self.one.z.assign(&self.one.mu);
        decode_probs(model, &mut self.one);
        Reading {
            recon: self.one.probs.row(0).to_vec(),
            mu,
            sigma,
        }
    }

    /// Sample `index` and the model's reconstruction of it, or `None` past the data set.
    pub fn inspect(&mut self, index: usize) -> Option<Inspection> {
        if index >= self.data.len() {
            return None;
        }
        let data = Arc::clone(&self.data);
        let x = data.x.slice(s![index..index + 1, ..]);
        Some(Inspection {
            index,
            label: data.labels[index],
            factors: [data.factors[[index, 0]], data.factors[[index, 1]]],
            input: x.row(0).to_vec(),
            reading: self.examine(x, Some(index)),
        })
    }
}

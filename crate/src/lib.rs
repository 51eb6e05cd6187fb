//! A variational autoencoder and a plain autoencoder with hand-written backpropagation, for a
//! teaching playground that shows why a VAE's latent space comes out continuous.
//!
//! The pure model lives in these modules and never touches the web. They are layered: the
//! scalar types at the bottom ([`real`], which uses no other module), the kernels above them
//! ([`bce`], [`narrow`], `gemm`, `simd`), the choice of kernel per type above those
//! ([`dispatch`]), then [`layers`], [`model`] and the rest; no module uses one that uses it
//! back (`tests/modules.rs` checks for circles).
//!
//! - [`real`]: the scalar types, `f32` and `f64`, and the hooks to their own kernels;
//! - [`bce`]: the reconstruction loss of one pixel;
//! - [`narrow`]: the matrix products with a narrow side (the codes), for SIMD;
//! - `gemm` (WebAssembly only): the other matrix products of `f32`, in tiles of SIMD registers;
//! - `simd` (WebAssembly only): the loss's per-pixel arithmetic in SIMD;
//! - [`dispatch`]: which kernel each type takes, and the one matrix product of the layers;
//! - [`layers`]: dense, ReLU/tanh, BCE from logits, the reparameterisation trick and the
//!   Gaussian KL, each as a forward/backward pair;
//! - [`model`]: the AE and the VAE built from them;
//! - [`optim`]: Adam and SGD;
//! - [`data`]: the 8x8 digits and the seeded batch order;
//! - [`rng`]: the one seeded random source, split into streams;
//! - [`config`]: validated settings;
//! - [`train`]: a training run;
//! - [`tear`]: the student's cheat built exactly (the plane torn, every KL kept) and its price;
//! - [`weights`]: the weights file format;
//! - [`export`]: the latent codes as CSV;
//! - [`free`]: free codes, a table in place of the encoder;
//! - [`metrics`]: trustworthiness and continuity of a latent space;
//! - [`prior`]: samples from the prior (or a Gaussian fitted to the codes) and how plausible
//!   they are;
//! - [`rate`]: the KL as a rate, the codes' spread and the positions they tell apart;
//! - [`decoder`]: decoder maps, interpolations and the path-length ratio;
//! - [`render`]: the latent views as RGBA pixels;
//! - [`playground`]: a VAE and an AE side by side, as the page runs them;
//! - [`params`]: the page's settings as URL parameters, one typed table;
//! - [`names`]: the text form of every choice, written once;
//! - [`recipe`]: a model of a lab, in a short text form (`vae`, `ae`, `vae:beta=0`);
//! - [`quote`]: a value someone wrote, quoted back in a message at a length it can hold.
//!
//! `web` (WebAssembly only) is the one module that uses `wasm-bindgen`, `web-sys` or `js-sys`.

pub mod bce;
pub mod config;
pub mod csv;
pub mod data;
pub mod decoder;
pub mod dispatch;
pub mod export;
pub mod free;
#[cfg(target_arch = "wasm32")]
pub mod gemm;
pub mod image_file;
pub mod layers;
pub mod metrics;
pub mod model;
pub mod names;
pub mod narrow;
pub mod optim;
pub mod own_images;
pub mod params;
pub mod playground;
pub mod prior;
pub mod quote;
pub mod rate;
pub mod real;
pub mod recipe;
pub mod render;
pub mod rng;
#[cfg(target_arch = "wasm32")]
pub mod simd;
pub mod tear;
pub mod train;
pub mod weights;

#[cfg(target_arch = "wasm32")]
pub mod web;

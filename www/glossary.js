// The page's terms, each explained once, with its unit: the glossary panel (panel-glossary.js)
// shows the definition where the term stands (data-term="…" in the markup), on hover and on
// focus, and a test checks that every marked term is defined here.

/** Each term's short definition, by the name the markup's data-term gives. */
export const TERMS = {
  nats: 'Nats: the unit of information with natural logarithms; 1 nat is 1/ln 2 ≈ 1.44 bits. The losses are in nats per sample: the reconstruction summed over an image\'s pixels, the KL over the code\'s axes.',
  loss: 'The loss each model minimises, in nats per sample: the reconstruction, plus β × KL for a VAE. Shown as the mean over the last epoch\'s batches, so the same at one step however it was reached.',
  recon: 'Reconstruction: how badly the decoder rebuilds each image from its code, in nats per sample (the binary cross-entropy summed over the pixels). Lower is better; no model goes below the reconstruction floor.',
  kl: 'KL to the prior: how far each posterior q(z|x) is from N(0, I), in nats per sample. A mean at distance d costs ½d²; each axis of width σ costs ½(σ² − 1 − ln σ²), 0 at σ = 1.',
  rate: 'The rate: the KL averaged over the data bounds how much the code tells about its input. KL nats are KL / ln 2 bits, enough to tell apart about e^KL inputs (Alemi et al. 2018).',
  positions: 'Positions per axis: how many places along each axis the code can tell apart under its noise, √(1 + variance of the means ÷ mean σ²). Without noise any two distinct codes differ: unbounded.',
  spread: 'Spread of the codes: the root mean square of the means (an autoencoder: its codes) about the origin, in units of z. The prior N(0, I) has 1; nothing pulls an autoencoder\'s codes in.',
  sigma: 'Mean σ: the average width of the VAE\'s posteriors, in units of z (the prior has 1). Near 0, the ellipses are points and the VAE behaves like an autoencoder.',
  trust: 'Trustworthiness (k = 10), from 0 to 1: of each sample\'s 10 nearest neighbours in the latent plane, how many are also near in pixel space. 1 means no unlike images were brought together.',
  cont: 'Continuity (k = 10), from 0 to 1: of each sample\'s 10 nearest neighbours in pixel space, how many stay near in the latent plane. Low means similar images were torn apart.',
  path: 'Path-length ratio, 1 or more: along straight lines between the codes of 200 random pairs of samples, how far the decoded image travels, over how far apart its two ends are (the sums over the pairs; in brackets, the middle half of the pairs\' own ratios). 1 is a steady morph; more means detours through other shapes or nonsense.',
  floor: 'Reconstruction floor, nats per sample: the data\'s own binary entropy. A grey pixel x costs at least −x ln x − (1 − x) ln(1 − x) nats whatever the decoder predicts, so no model reconstructs below it.',
  reconMean: 'Recon. at z = μ, nats per sample: the reconstruction when decoding each input\'s mean, without the noise, over the samples the views show. The gap to the sampled reconstruction is what the noise costs.',
  active: 'Active dimensions: latent axes along which the inputs\' means vary (variance above 0.01). An axis pushed onto the prior carries nothing.',
  epoch: 'An epoch: every training sample once, in batches. On the 8×8 digits (1797 images, batches of 64) an epoch is 28 steps.',
  step: 'A step: one batch of training samples, one update of the weights.',
};

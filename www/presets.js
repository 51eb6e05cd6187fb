// The guided experiments: each sets β and the noise (and, where it says, the lab's models and
// axes), starts again from the same seed and trains PRESET_EPOCHS epochs, then pauses, with a
// few sentences on what to watch.
// The figures quoted are vae-train's on the digits after 30 epochs, seeds 0 to 2 (docs/findings.md,
// "What the figures say"; `node tests/figures/run.mjs`); the page shows the live ones. The
// buttons (data-preset in template.js) name these keys.

/** The training length the page's texts quote their figures at: each experiment trains this
 * many epochs before it pauses, unless it says otherwise (`epochs`), and a run at the lesson
 * pace pauses once at its end (the lesson's milestone). */
export const PRESET_EPOCHS = 30;

export const PRESETS = {
  overlap: {
    settings: { beta: 1, noise: 'sample' },
    text: 'β = 1, noise on: the VAE as designed. The ellipses stay wide (mean σ well above 0) and overlap, while the autoencoder\'s points drift apart. Walk between two samples: the VAE\'s decoded image morphs more directly. After these 30 epochs its path-length ratio is about 1.2 on the digits, the autoencoder\'s about 1.5; both climb if training goes on.',
  },
  cheat: {
    settings: { beta: 0, noise: 'sample' },
    text: 'β = 0: the KL term is off, so nothing pays for a narrow ellipse. The VAE shrinks σ (watch mean σ fall) until its samples are nearly its means: it cheats. Its codes sprawl like the autoencoder\'s, and its path-length ratio climbs to the autoencoder\'s, about 1.5.',
  },
  nonoise: {
    settings: { beta: 1, noise: 'mean' },
    text: 'Noise off (z = μ), β = 1: the decoder only ever sees the means. The KL then squeezes all the means into a small patch near 0 (the KL falls to about 0.2 nats) with σ near 1, so the ellipses cover each other completely, but the decoder never has to make sense of them: it becomes steep between the crowded means. The path-length ratio lands between the two models, about 1.2 to 1.3. The KL alone is not what makes the plane smooth; the sampling is.',
  },
  collapse: {
    settings: { beta: 4, noise: 'sample' },
    text: 'β = 4: the KL term dominates. Within about four epochs every ellipse sinks onto the prior and the KL falls below 0.05 nats (by epoch 30, below 0.01: the code tells nothing) and every reconstruction becomes the same blur: posterior collapse (watch "Active dimensions" go to 0). β = 3 collapses the digits too, on every seed measured; β = 2 dips in the first epochs, then recovers. The path-length ratio is 1 only because the decoder draws the same image everywhere, and trustworthiness falls (to about 0.73), because neighbours in the plane are no longer similar inputs.',
  },
  ingredients: {
    settings: { beta: 1, noise: 'sample', range: 'fit' },
    models: 'ae,ae:sigma=0.5,vae:noise=mean,vae',
    text: 'Four models on the same batches, each axis at its own scale: the plain autoencoder; the autoencoder with a fixed noise σ₀ = 0.5 added to its code while training (no KL term); the VAE without its noise (KL only, decoding z = μ); and the VAE. Watch "Spread of the codes" and "Positions per axis". The noise alone does not hold codes together: the noisy autoencoder escapes it by spreading its codes further (spread about 8 on the digits after 30 epochs, against the plain autoencoder\'s 6), and still tells about 12 positions apart per axis. The KL alone squeezes the means into a small patch (spread 0.45) with nothing to make the decoder cope with neighbourhoods. Only the VAE has both: spread 1, about 2.5 positions per axis, and the most direct morphs (path-length ratio 1.18, against 1.52, 1.46 and 1.24). Trustworthiness and continuity hardly differ between the four (0.86 to 0.89, and 0.95 to 0.96): all four keep neighbours about equally well.',
  },
  free: {
    settings: { beta: 1, noise: 'sample', range: 'fit' },
    models: 'vae:free,ae:free,vae,ae',
    epochs: 100,
    text: 'Free codes, no encoder: each training input owns its code (a VAE: its posterior), drawn at random, so similar inputs start far apart: the arrangement the question proposes. Beside them, the VAE and the autoencoder with encoders. Trained 100 epochs (seeds 0 to 2 on the digits), both free-code models un-scramble in trustworthiness, from 0.50 to 0.85 (VAE) and 0.90 (autoencoder): the codes near each code belong to similar inputs. Continuity, whether similar inputs end up near each other, separates them: 0.93 for the VAE\'s free codes, 0.65 for the autoencoder\'s, whose classes stay split into fragments far apart (after 300 epochs: 0.94 and 0.66). With no encoder to smooth things, the VAE\'s loss alone gathers similar inputs; the autoencoder\'s is content to leave them apart.',
  },
};

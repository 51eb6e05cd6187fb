// The lesson's strip, on the first screen: the step and epoch beside Train, each model's loss
// above the views, and a sentence or two on what to watch, which follow what the run shows
// (its settings, its step, its numbers).
import { PRESET_EPOCHS } from './presets.js';
import { escape, isVae, modelLabel } from './template.js';
import { countText, fmt } from './format.js';

/** What training on past the milestone does on the digits (vae-train, seeds 0 to 2;
 * docs/findings.md, "Over training, and β's collapse"). */
const AFTER = 'by epoch 300 on the digits: a KL of about 2.6 nats, 14 codes, path-length ratios 1.5 for the VAE and 2.4 for the autoencoder';

/** Below this KL (nats per sample) a VAE's code tells next to nothing: posterior collapse. */
const COLLAPSED_KL = 0.1;

/** A model's line of the strip: its loss (the readouts' numbers, the last epoch's mean). */
function lossMarkup({ recipe, id, slot }) {
  const name = `<span class="swatch line slot-${slot}"></span><b>${escape(modelLabel(recipe))}</b>`;
  const loss = `<span data-term="loss">loss</span> <b id="l-${id}-loss">–</b> <span data-term="nats">nats</span>`;
  if (!isVae(recipe)) return `<li data-model="${id}">${name} ${loss} <span class="unit">(reconstruction only)</span></li>`;
  return `<li data-model="${id}">${name} ${loss} <span class="unit">= <span data-term="recon">recon.</span> <span id="l-${id}-recon">–</span> + β × <span data-term="kl">KL</span> <span id="l-${id}-kl">–</span></span></li>`;
}

/**
 * What to watch now, in a sentence or two, from the lab's state: `steps`, `epochs`, `milestone`
 * (the step the run paused at, or null), `params` (the settings in force) and `models`
 * (`{ recipe, loss, stats }` each, `stats` with `meanSigma`, `spread` and `beta`).
 */
export function watchText({ steps, epochs, milestone, params, models }) {
  const vae = models.find((m) => isVae(m.recipe) && m.stats);
  const ae = models.find((m) => !isVae(m.recipe) && m.stats);
  if (!steps) {
    return 'Press Train and watch the two views. Each image is one mark, coloured by its class (the models never see the colours). The VAE gives each image an ellipse and pays for ellipses that are narrow or far from the centre; the autoencoder gives a point and pays only for its reconstruction.';
  }
  const kl = vae && vae.loss ? vae.loss.kl : null;
  const beta = vae ? vae.stats.beta : null;
  const spread = (m) => fmt(m.stats.spread, 1);
  if (vae && beta === 0) {
    return `β = 0: the KL term is off, so nothing keeps the ellipses wide or near the centre. Watch them shrink towards points (mean σ ${fmt(vae.stats.meanSigma, 3)}) and spread out (spread of the codes ${spread(vae)}${ae ? `, the autoencoder's ${spread(ae)}` : ''}): the VAE cheats like the autoencoder.`;
  }
  if (vae && params.noise === 'mean') {
    return `Noise off: the decoder only ever sees each ellipse's centre, so the ellipses (mean σ ${fmt(vae.stats.meanSigma, 2)}) are drawn at a width it never uses, and only the KL sets them. Without the noise nothing the decoder serves overlaps.`;
  }
  if (kl != null && kl < COLLAPSED_KL && epochs >= 1) {
    return `Posterior collapse: the VAE's KL is ${fmt(kl)} nats, so its code tells almost nothing about its input. Every ellipse sits on the prior, the inner circle (mean 0, σ 1), and every input decodes to about the same blur (see the Walk tab). Lower β to bring the code back.`;
  }
  if (vae && beta > 1) {
    return `β = ${fmt(beta, 2)}: the KL weighs ${fmt(beta, 2)} times as much, so the ellipses are pulled onto the prior, the inner circle. On the digits every β of 3 or more collapses the code within a few epochs; β = 2 dips, then recovers.${kl != null ? ` The KL is ${fmt(kl)} nats now.` : ''}`;
  }
  const apart = vae && ae
    ? ` Spread of the codes: VAE ${spread(vae)}, autoencoder ${spread(ae)}: nothing pulls the autoencoder's back (each view has its own scale; More settings, Axes, puts both on one).`
    : '';
  const rate = kl != null ? ` A KL of ${fmt(kl)} nats tells apart about ${countText(Math.exp(kl))} codes: similar images must share them.` : '';
  if (milestone != null && steps === milestone) {
    return `Paused at step ${steps}, the end of epoch ${PRESET_EPOCHS}, where the texts below quote their figures.${rate} Train goes on, and the numbers move on (${AFTER}).`;
  }
  if (epochs > PRESET_EPOCHS && beta === 1) {
    return `Past epoch ${PRESET_EPOCHS}, where the texts quote their figures, the numbers move on (${AFTER}).`;
  }
  const look = vae && ae ? 'Watch the VAE\'s ellipses overlap while the autoencoder\'s points scatter.' : 'Watch the codes move.';
  return `${look}${rate}${apart}`;
}

/** Wires the lesson's strip of `ctx`. A panel on the contract of panels.js. */
export function lessonPanel(ctx) {
  const { $, lab, state } = ctx;
  const setText = (id, text) => { const node = $(id); if (node.textContent !== String(text)) node.textContent = text; };
  let lastWatch = 0;

  function show() {
    const s = state.stats;
    if (!s || !lab.complete) return;
    setText('c-step', s.steps.toLocaleString('en'));
    setText('c-epoch', s.epochs.toLocaleString('en'));
    const models = lab.models.filter((m) => ctx.shown(m.id));
    for (const { id, loss } of models) {
      for (const key of ['loss', 'recon', 'kl']) if ($(`l-${id}-${key}`)) setText(`l-${id}-${key}`, fmt(loss && loss[key]));
    }
    // The sentence changes at most once a second while training (a reader reads it), and at
    // once when the lab stands still.
    const now = performance.now();
    if (state.workerPlaying && now - lastWatch < 1000) return;
    lastWatch = now;
    setText('watch', watchText({ steps: s.steps, epochs: s.epochs, milestone: state.milestone, params: state.params || {}, models }));
  }

  return {
    onLab(models) { $('run-losses').innerHTML = models.map(lossMarkup).join(''); },
    onPlaying() { lastWatch = 0; show(); },
    // A setting changed (β, the noise): the sentence follows at the next report.
    onSettings() { lastWatch = 0; },
    messages: { stats: show },
  };
}

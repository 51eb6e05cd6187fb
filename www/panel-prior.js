// "Samples from the prior": each model decodes codes drawn from its prior (a VAE: N(0, I); an
// autoencoder, which has none: a Gaussian fitted to its codes), shown beside the training
// image each explains best, with how plausible they are (crate/src/prior.rs).
import { escape, modelLabel } from './template.js';
import { imageCanvas } from './images.js';

/** Samples each model decodes per click; the figure is their median. */
export const PRIOR_SAMPLES = 200;

/** A model's row of samples. */
const priorMarkup = ({ recipe, id }) => `<div class="prior-row" data-model="${id}" id="prior-${id}"><span class="strip-name">${escape(modelLabel(recipe, true))}</span><div class="prior-images"></div><p class="prior-figure"></p></div>`;

/**
 * Wires the samples from the prior of `ctx`. A panel on the contract of panels.js;
 * `state.prior` holds each model's last result by id.
 */
export function priorPanel(ctx) {
  const { $, state } = ctx;
  state.prior = null;
  $('prior-draw').addEventListener('click', () => {
    state.prior = {};
    for (const model of ctx.lab.working()) ctx.lab.sendTo(model, { type: 'prior', n: PRIOR_SAMPLES });
  });

  function onResult(model, r) {
    state.prior ||= {};
    state.prior[model.id] = r;
    const row = $(`prior-${model.id}`);
    if (!row) return;
    const cells = [];
    for (let i = 0; i < r.shown; i++) {
      const cell = document.createElement('figure');
      cell.className = 'prior-cell';
      const size = ctx.lab.imageSize();
      const d = size[0] * size[1];
      const sample = imageCanvas(r.images.slice(i * d, i * d + d), size);
      sample.setAttribute('aria-label', `sample ${i + 1}: ${r.nats[i].toFixed(1)} nats from training image ${r.nearest[i]}`);
      const near = imageCanvas(r.nearestImages.slice(i * d, i * d + d), size);
      near.classList.add('nearest');
      const caption = document.createElement('figcaption');
      caption.textContent = r.nats[i].toFixed(0);
      cell.append(sample, near, caption);
      cells.push(cell);
    }
    row.querySelector('.prior-images').replaceChildren(...cells);
    row.querySelector('.prior-figure').textContent = `${r.source === 'prior' ? 'z ~ N(0, I)' : 'z ~ a Gaussian fitted to its codes'}: median ${r.median.toFixed(1)} nats over ${PRIOR_SAMPLES} samples (its reconstructions: ${r.reconstruction.toFixed(1)})`;
  }

  /** No samples any more (a new run). */
  function clear() {
    state.prior = null;
    for (const model of ctx.lab.working()) {
      const row = $(`prior-${model.id}`);
      if (!row) continue;
      row.querySelector('.prior-images').replaceChildren();
      row.querySelector('.prior-figure').textContent = '';
    }
  }

  return {
    onLab(models) {
      $('prior-rows').innerHTML = models.map(priorMarkup).join('');
      clear();
    },
    onNewRun() { if (state.prior) clear(); },
    messages: { prior(model, m) { onResult(model, m.result); } },
  };
}

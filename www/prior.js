// "Samples from the prior": each model decodes codes drawn from its prior (a VAE: N(0, I); an
// autoencoder, which has none: a Gaussian fitted to its codes), shown beside the training
// image each explains best, with how plausible they are (crate/src/prior.rs). This module
// keeps the panel; the page wires it to the workers.
import { imageCanvas } from './images.js';

/** Samples each model decodes per click; the figure is their median. */
export const PRIOR_SAMPLES = 200;

/**
 * Wires the panel inside `root`. `lab` gives `{ models(), send(model, message), label(model),
 * imageSize() }`.
 * Returns `{ onResult(model, result), clear() }`; `state.prior` holds each model's last result
 * by id.
 */
export function createPrior(root, lab, state) {
  const $ = (id) => root.getElementById(id);
  state.prior = null;
  $('prior-draw').addEventListener('click', () => {
    state.prior = {};
    for (const model of lab.models()) lab.send(model, { type: 'prior', n: PRIOR_SAMPLES });
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
      const size = lab.imageSize();
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
    for (const model of lab.models()) {
      const row = $(`prior-${model.id}`);
      if (!row) continue;
      row.querySelector('.prior-images').replaceChildren();
      row.querySelector('.prior-figure').textContent = '';
    }
  }

  return { onResult, clear };
}

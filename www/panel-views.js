// The views: each model's latent plane, drawn by its worker into a canvas handed over to it,
// with the axes' ticks, a scale bar, and what lies beyond the axes; and each model's decoder
// map (the tiles), drawn the same way.
import { escape, isFree, isVae, modelLabel } from './template.js';
import { fmt } from './format.js';

/** What a model's view draws, in words. */
function viewWhat(recipe) {
  const vae = isVae(recipe);
  if (isFree(recipe)) return `no encoder: each training input owns its ${vae ? 'posterior, an ellipse of mean ± 1σ,' : 'code, a point,'} learnt directly, from a random start`;
  if (vae) return 'each sample\'s posterior q(z|x), an ellipse of mean ± 1σ; grey circles: the prior N(0, I) at 1σ and 2σ';
  return recipe.includes(':sigma=') ? 'each sample\'s code, a circle of radius σ₀: the noise added to it while training (no KL term)'
    : 'each sample\'s code z, a point';
}

/** A model's view, and its decoder map. */
function viewMarkup({ recipe, id, slot }) {
  const label = escape(modelLabel(recipe));
  return {
    view: `<figure class="view" data-model="${id}" data-view="${id}" data-slot="${slot}">
        <figcaption><strong>${label}</strong>: ${viewWhat(recipe)}</figcaption>
        <div class="plot">
          <div class="y-ticks" aria-hidden="true"></div>
          <canvas id="view-${id}" width="400" height="400" role="img" tabindex="0" aria-label="${label} latent space" aria-describedby="view-keys"></canvas>
          <span class="key-cursor" aria-hidden="true" hidden></span>
          <span class="z-cursor" aria-hidden="true" hidden></span>
          <div class="scale-bar" aria-hidden="true"><span class="bar"></span><span class="scale-label"></span></div>
          <div class="x-ticks" aria-hidden="true"></div>
          <span class="axis-name x">z₁</span><span class="axis-name y">z₂</span>
        </div>
        <p class="outside" id="outside-${id}" aria-live="polite"></p>
      </figure>`,
    tiles: `<figure class="map-view" data-model="${id}" data-tiles="${id}">
        <figcaption><strong>${label}</strong> decoder</figcaption>
        <div class="tile-box"><canvas id="tiles-${id}" width="145" height="145" role="img" aria-label="${label}: decoded images over its plane"></canvas><span class="z-cursor" aria-hidden="true" hidden></span></div>
      </figure>`,
  };
}

/** Wires the views of `ctx`. A panel on the contract of panels.js; also `handOver(model)`. */
export function viewsPanel(ctx) {
  const { root, $ } = ctx;

  /** The axes' tick labels and the scale bar: one tick spacing, so that views at their own
   * scales can be compared. */
  function drawTicks(model, values, range) {
    const plot = root.querySelector(`[data-view="${model.id}"] .plot`);
    if (!plot) return;
    model.ticks = values;
    const xs = plot.querySelector('.x-ticks');
    const ys = plot.querySelector('.y-ticks');
    xs.replaceChildren();
    ys.replaceChildren();
    for (const v of values) {
      const f = (v + range) / (2 * range);
      const label = (Number.isInteger(v) ? String(v) : v.toFixed(1)).replace('-', '−');
      const x = document.createElement('span');
      x.style.left = `${f * 100}%`;
      x.textContent = label;
      xs.append(x);
      const y = document.createElement('span');
      y.style.top = `${(1 - f) * 100}%`;
      y.textContent = label;
      ys.append(y);
    }
    const unit = values.length > 1 ? values[1] - values[0] : range;
    const bar = plot.querySelector('.scale-bar');
    bar.querySelector('.bar').style.width = `${(unit / (2 * range)) * 100}%`;
    bar.querySelector('.scale-label').textContent = `${Number(unit.toPrecision(3))} unit${unit === 1 ? '' : 's'} of z`;
    plot.parentElement.dataset.range = range.toFixed(3);
  }

  /** Under a view: how many codes lie beyond its axes; on its canvas, what it shows. */
  function describe(model) {
    const { id, stats: s } = model;
    const vae = isVae(model.recipe);
    const outside = $(`outside-${id}`);
    if (outside) {
      const text = !s.outside ? '' : s.fit
        ? `${s.outside} of ${s.samples} ${vae ? 'posteriors' : 'codes'} lie beyond these axes, which follow 98% of them.`
        : vae
        ? `${s.outside} of ${s.samples} posteriors lie outside these axes: widen them with "Axes", or choose "fit to the codes".`
        : `${s.outside} of ${s.samples} codes have left these axes: nothing pulls the autoencoder's codes towards the centre. Widen the axes, or choose "fit to the codes" to follow them.`;
      if (outside.textContent !== text) outside.textContent = text;
    }
    const canvas = $(`view-${id}`);
    if (canvas) {
      const label = modelLabel(model.recipe);
      canvas.setAttribute('aria-label', vae
        ? `${label} latent space at step ${s.steps}: ${s.samples} posterior ellipses, mean σ ${fmt(s.meanSigma, 2)}`
        : `${label} latent space at step ${s.steps}: ${s.samples - s.outside} of ${s.samples} codes inside the axes`);
    }
  }

  return {
    onLab(models) {
      const parts = models.map(viewMarkup);
      root.querySelector('.views').innerHTML = parts.map((p) => p.view).join('');
      root.querySelector('.map-views').innerHTML = parts.map((p) => p.tiles).join('');
    },
    messages: {
      stats(model, m) { if (m.ticks) drawTicks(model, m.ticks, m.stats.range); },
    },
    /** Called by the readouts when they are written: the views' words follow the same pace. */
    describe,
    /**
     * A model's view and map as offscreen canvases for its worker, and whether the maps are
     * drawn. A restarted worker cannot draw into a canvas already handed over: it gets new
     * ones (and the panels hear of them through onModel).
     */
    handOver(model) {
      let canvas = $(`view-${model.id}`);
      let tiles = $(`tiles-${model.id}`);
      if (model.canvasSent) {
        const fresh = canvas.cloneNode(false);
        canvas.replaceWith(fresh);
        canvas = fresh;
        const freshTiles = tiles.cloneNode(false);
        tiles.replaceWith(freshTiles);
        tiles = freshTiles;
        ctx.emit('onModel', model);
      }
      model.canvasSent = true;
      return { canvas: canvas.transferControlToOffscreen(), tiles: tiles.transferControlToOffscreen(), tilesOn: ctx.partShown('maps') };
    },
  };
}

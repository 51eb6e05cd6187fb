// A figure for slides: every model's view side by side, with their titles, axes and a caption
// of the settings, 1600 × 900 pixels. Drawn on the main thread from the views' pixels that the
// models' workers send (each worker draws only its own view).
import { isVae, modelLabel } from './template.js';

/** How the figure names each data set and one of its inputs. */
const DATASETS = {
  digits: { title: '8×8 digits', item: 'digit' },
  bars: { title: '8×8 rotated bars', item: 'bar' },
  blobs: { title: '8×8 moving blobs', item: 'blob' },
  mnist: { title: 'MNIST digits, 28×28', item: 'digit' },
  fashion: { title: 'Fashion-MNIST, 28×28', item: 'image' },
};

/** The grid-line values of a view of half-width `range` (as the views' tick labels). */
function tickValues(ticks) {
  return ticks.map((t) => (Number.isInteger(t) ? String(t) : t.toFixed(1)).replace('-', '−'));
}

/**
 * The figure as a PNG blob. `views`: per model, in the lab's order, `{recipe, size, pixels,
 * stats, ticks}`; `settings`: the URL parameters in force; `legend`: `{factor, palette,
 * classes, pixels}` (pixels: a 48 × 48 colour map, or null for classes).
 */
export async function figure(views, settings, legend) {
  const W = 1600, H = 900, top = 80, gap = 60;
  const n = views.length;
  const V = Math.min(680, Math.floor((W - 120 - (n - 1) * gap) / n));
  const canvas = new OffscreenCanvas(W, H);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, W, H);
  const dataset = DATASETS[settings.dataset] || { title: settings.dataset, item: 'sample' };
  const left = (W - (n * V + (n - 1) * gap)) / 2;
  views.forEach((view, i) => {
    const x = left + i * (V + gap);
    const tile = new OffscreenCanvas(view.size, view.size);
    tile.getContext('2d').putImageData(new ImageData(view.pixels, view.size, view.size), 0, 0);
    g.imageSmoothingQuality = 'high';
    g.drawImage(tile, x, top, V, V);
    g.strokeStyle = '#c9ccd1';
    g.strokeRect(x + 0.5, top + 0.5, V, V);
    g.fillStyle = '#1d1d1f';
    g.font = `600 ${n > 2 ? 20 : 26}px system-ui, sans-serif`;
    const what = isVae(view.recipe) ? `each ${dataset.item}'s q(z|x), μ ± 1σ` : `each ${dataset.item}'s code z`;
    g.fillText(`${modelLabel(view.recipe)}: ${what}`, x, top - 22, V);
    g.fillStyle = '#5f6368';
    g.font = '16px system-ui, sans-serif';
    const range = view.stats.range;
    const labels = tickValues(view.ticks);
    view.ticks.forEach((t, k) => {
      const f = (t + range) / (2 * range);
      g.textAlign = 'center';
      g.fillText(labels[k], x + f * V, top + V + 22);
      g.textAlign = 'right';
      g.fillText(labels[k], x - 6, top + (1 - f) * V + 5);
    });
    g.textAlign = 'left';
  });
  const s = views[0].stats;
  const lr = Number(Number(settings.lr).toPrecision(3));
  const sigmas = views.filter((v) => v.stats.meanSigma != null)
    .map((v) => `mean σ ${v.stats.meanSigma.toFixed(3)} (${modelLabel(v.recipe)})`);
  g.fillStyle = '#1d1d1f';
  g.font = '20px system-ui, sans-serif';
  g.fillText(`${dataset.title}, step ${s.steps} (epoch ${s.epochs}); β = ${settings.beta}, learning rate ${lr}, batch ${settings.batch}, ${settings.noise === 'sample' ? 'z sampled' : 'z = μ'} while training, seed ${settings.seed}${sigmas.length ? `; ${sigmas.join(', ')}` : ''}.`, 90, top + V + 62, W - 180);
  if (legend.factor === 'class') {
    legend.classes.slice(0, 10).forEach((name, k) => {
      const x = 90 + k * 140;
      g.fillStyle = legend.palette[k % legend.palette.length];
      g.beginPath();
      g.arc(x + 8, top + V + 92, 8, 0, 2 * Math.PI);
      g.fill();
      g.fillStyle = '#1d1d1f';
      g.fillText(name, x + 22, top + V + 99, 112);
    });
  } else if (legend.pixels) {
    // The colour map of the hidden factor, small, with what it means.
    const m = 48;
    const tile = new OffscreenCanvas(m, m);
    tile.getContext('2d').putImageData(new ImageData(legend.pixels, m, m), 0, 0);
    g.drawImage(tile, 90, top + V + 74, 36, 36);
    g.fillStyle = '#1d1d1f';
    g.fillText(legend.factor === 'angle'
      ? 'colour: the bar\'s angle, round the ring (0° to 180°, which is 0° again)'
      : 'colour: the blob\'s position, x left to right and y bottom to top', 140, top + V + 99);
  }
  return canvas.convertToBlob({ type: 'image/png' });
}

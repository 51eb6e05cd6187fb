// A model's worker, the page's questions about its view: what lies under the pointer, what it
// makes of a sample, a point, a walk or a drawing, and its view, codes and weights to export.
import { classColours } from './vae-playground.js';
import { w, post, refuse } from './worker-state.js';
import { draw } from './worker-frame.js';
import { postParams } from './worker-loop.js';

/** The questions about the view, by type (protocol.js). */
export const viewHandlers = {
  // The pointer over this model's view: the sample under it and the latent point.
  pick(m) {
    post({ type: 'picked', index: w.pg.pick(m.x, m.y), z: w.pg.toLatent(m.x, m.y), click: Boolean(m.click), from: m.from });
    if (!w.playing) draw();
  },
  // Outlines sample `index` in the view, or none (null).
  highlight(m) {
    w.pg.setHighlight(m.index == null ? -1 : m.index);
    if (!w.playing) draw();
  },
  // What this model makes of sample `index` and of latent point `z` (from any model's view).
  inspect(m) {
    w.pg.setHighlight(m.index == null ? -1 : m.index);
    const sample = m.index == null ? null : w.pg.inspect(m.index) || null;
    const decoded = m.z ? w.pg.decodeAt(m.z[0], m.z[1]) : null;
    post({ type: 'inspection', sample, decoded, z: m.z || null });
    if (!w.playing) draw();
  },
  pair(m) {
    const strip = w.pg.interpolate(m.i, m.j) || null;
    if (!strip && m.check) {
      // A link's pair that this data set does not have: said, and left out of the link.
      const n = w.pg.stats().samples;
      post({ type: 'settingError', key: 'pair', message: `pair=${m.i},${m.j}: this data set has ${n} samples, numbered 0 to ${n - 1}, so no walk is shown.` });
      w.params.clear('pair');
      postParams();
    }
    post({ type: 'strip', strip });
    if (!w.playing) draw();
  },
  randomPair(m) { post({ type: 'randomPair', pair: w.pg.randomPair(Boolean(m.same)) }); },
  clearPair() {
    w.pg.clearPair();
    post({ type: 'strip', strip: null });
    if (!w.playing) draw();
  },
  drawing(m) {
    w.drawing = m.pixels ? Float32Array.from(m.pixels) : null;
    let reading;
    try {
      reading = w.pg.setDrawing(w.drawing);
    } catch (e) {
      w.drawing = null;
      refuse('drawing', e);
      return;
    }
    post({ type: 'drawing', reading: reading || null });
    if (!w.playing) draw();
  },
  // The view as it is, with this model's counters, for the page's figure.
  view() {
    draw();
    post({ type: 'view', size: w.pg.size(), pixels: new Uint8ClampedArray(w.pg.pixels()), stats: w.pg.stats(), factor: w.pg.factor(), legend: w.pg.legend(48) || null, palette: classColours() });
  },
  exportCodes() { post({ type: 'codes', header: w.pg.latentsCsvHeader(), rows: w.pg.latentsCsvRows() }); },
  exportWeights() {
    let text;
    try { text = w.pg.weightsJson(); } catch (e) { refuse('weights', e); return; }
    post({ type: 'weights', recipe: w.recipe, text });
  },
};

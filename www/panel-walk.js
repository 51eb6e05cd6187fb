// A walk between two samples: click two samples in a view (or pick a pair), and every model
// decodes evenly spaced points of the straight line between their codes, one strip a model.
import { escape, modelLabel } from './template.js';
import { imageCanvas, paintImage } from './images.js';

/** A model's strip of the walk. */
const stripMarkup = ({ recipe, id }) => `<div class="strip-row" data-model="${id}"><span class="strip-name">${escape(modelLabel(recipe, true))}</span><div class="strip" id="strip-${id}"></div></div>`;

/** Wires the walk of `ctx`. A panel on the contract of panels.js; also `showPair(i, j)`. */
export function walkPanel(ctx) {
  const { root, $, lab, state } = ctx;
  const stripBox = $('strip-box'), stripInputs = $('strip-inputs'), stripText = $('strip-text');
  let pinned = null;
  let strips = {};   // every model's strip, under its id
  let appliedPair = '';

  /** A click on a sample: the first of a pair, or the second, which starts the walk. */
  function onPin(index) {
    if (index < 0) {
      stripText.textContent = `No sample there: pick an ellipse or a point.${pinned != null ? ` First sample: ${pinned}.` : ''}`;
      ctx.notices.announce(stripText.textContent);
      return;
    }
    if (pinned == null || pinned === index) {
      pinned = index;
      state.pinned = index;
      stripText.textContent = `First sample: ${index}. Pick a second one.`;
      ctx.notices.announce(stripText.textContent);
      return;
    }
    showPair(pinned, index);
    // The walk the reader asked for: its tab opens (the strip fills in when every model replies).
    ctx.panels.tabs.show('walk');
  }

  function showPair(i, j, check = false) {
    pinned = null;
    state.pinned = null;
    lab.sendAll({ type: 'pair', i, j, ...(check ? { check } : {}) });
  }

  /** The interpolation strips: `strip.steps` images per model, or nothing. */
  function showStrip(strip) {
    state.strip = strip;
    stripBox.hidden = !strip;
    if (!strip) { stripText.textContent = ''; return; }
    const size = lab.imageSize();
    const [w, h] = size;
    const d = w * h;
    for (const m of lab.models) {
      const row = $(`strip-${m.id}`);
      if (!row || !strip[m.id]) continue;
      if (row.children.length !== strip.steps) {
        row.replaceChildren(...Array.from({ length: strip.steps }, () => imageCanvas([], size)));
      }
      [...row.children].forEach((c, t) => paintImage(c, strip[m.id].slice(t * d, t * d + d), size));
    }
    // The two inputs, under the first and the last image.
    const ends = Array.from({ length: strip.steps }, (_, t) => {
      if (t !== 0 && t !== strip.steps - 1) return document.createElement('span');
      return imageCanvas(strip.inputs[t === 0 ? 0 : 1], size);
    });
    stripInputs.replaceChildren(...ends);
    const name = (i) => (state.factor === 'class' ? ctx.className(strip.labels[i]) : `sample ${strip.ends[i]}`);
    stripText.textContent = `From sample ${strip.ends[0]} (${name(0)}) to sample ${strip.ends[1]} (${name(1)}), decoded at ${strip.steps} evenly spaced points of the straight line between their codes${root.querySelector('.stage').checkVisibility() ? ' (the black path in the views)' : ''}.`;
  }

  $('pair-same').addEventListener('click', () => lab.sendTo(lab.lead(), { type: 'randomPair', same: true }));
  $('pair-diff').addEventListener('click', () => lab.sendTo(lab.lead(), { type: 'randomPair', same: false }));
  $('pair-clear').addEventListener('click', () => { pinned = null; lab.sendAll({ type: 'clearPair' }); });

  return {
    showPair,
    onLab(models) {
      strips = {};
      showStrip(null);
      for (const row of stripBox.querySelectorAll('.strip-row:not(:last-child)')) row.remove();
      stripInputs.parentElement.insertAdjacentHTML('beforebegin', models.map(stripMarkup).join(''));
    },
    onSettings(v, before, source) {
      // pair=I,J: the walk between samples I and J, once per lab (checked against its data).
      if (source === 'link') appliedPair = '';
      if (v.pair === appliedPair) return;
      appliedPair = v.pair;
      if (v.pair) {
        const [i, j] = v.pair.split(',').map(Number);
        showPair(i, j, true);
      }
    },
    messages: {
      picked(model, m) { if (m.click) onPin(m.index); },
      randomPair(model, m) { showPair(m.pair[0], m.pair[1]); },
      /** Every model's strip: shown once every model has one for the same two samples, and
       * updated as each follows its training. */
      strip(model, { strip }) {
        if (strip) strips[model.id] = strip; else delete strips[model.id];
        const all = lab.models.map((m) => strips[m.id]);
        if (all.every((x) => !x)) { showStrip(null); return; }
        if (!all.every((x) => x && x.ends.join() === all[0].ends.join())) return;
        const { ends, steps, labels, inputs } = all[0];
        showStrip({ ends, steps, labels, inputs, ...Object.fromEntries(lab.models.map((m, i) => [m.id, all[i].images])) });
      },
    },
  };
}

// The drawing: an input drawn on the pad (pad.js is the widget) goes to every model, at most
// once a frame; each model's reading of it (its code and its reconstruction) shows beside it.
import { escape, isFree, modelLabel } from './template.js';
import { codeText } from './format.js';
import { createPad } from './pad.js';
import { paintImage } from './images.js';

/** A model's reconstruction of the drawing. */
const padMarkup = ({ recipe, id }) => `<figure data-model="${id}"><canvas id="pad-${id}" width="8" height="8"></canvas><figcaption>${escape(modelLabel(recipe, true))}</figcaption></figure>`;

/** Wires the drawing of `ctx`. A panel on the contract of panels.js; also `pad`. */
export function drawingPanel(ctx) {
  const { root, $, lab, state } = ctx;
  const padText = $('pad-text');
  let queued = false;
  let readings = {};   // every model's reading of the drawing, under its id
  const pad = createPad($('pad'), root, () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      const empty = pad.values.every((v) => v === 0);
      lab.sendAll({ type: 'drawing', pixels: empty ? null : Array.from(pad.values) });
    });
  }, lab.imageSize());
  $('pad-clear').addEventListener('click', () => pad.set(null));
  $('pad-copy').addEventListener('click', () => {
    if (!state.inspected) { padText.textContent = 'Hover over a sample in the views first.'; return; }
    pad.set(state.inspected.input);
  });

  return {
    pad,
    onLab(models) {
      readings = {};
      $('pad-images').innerHTML = models.map(padMarkup).join('');
    },
    onSettings(v, before, source) {
      // A new worker (after a crash) has not seen the drawing yet.
      if (source !== 'link' && source !== 'lab' && pad.values.some((x) => x > 0) && !state.drawing) pad.changed();
    },
    messages: {
      stats(model, m) { if (model.slot === 0) pad.setSize(m.stats.imageSize); },   // another data set: its own size
      /** Shown once every model with an encoder has read the drawing. */
      drawing(model, { reading }) {
        if (reading) readings[model.id] = reading; else delete readings[model.id];
        paintImage($(`pad-${model.id}`), reading ? reading.recon : [], lab.imageSize());
        // A model with free codes has no encoder: a drawn input has no code there.
        const coded = lab.models.filter((m) => !isFree(m.recipe));
        const have = coded.filter((m) => readings[m.id]);
        const free = lab.models.filter((m) => isFree(m.recipe)).map((m) => `${modelLabel(m.recipe, true)}: no code (free codes, no encoder: it can place only the inputs it trained on)`);
        if (!have.length) {
          state.drawing = null;
          padText.textContent = '';
          return;
        }
        if (have.length < coded.length) return;
        state.drawing = { ...Object.fromEntries(have.map((m) => [m.id, readings[m.id].recon])), readings: { ...readings } };
        padText.textContent = `${[...have.map((m) => `${modelLabel(m.recipe, true)}: ${codeText(readings[m.id])}`), ...free].join('. ')}.`;
      },
    },
  };
}

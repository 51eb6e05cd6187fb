// The loss chart: every model's reconstruction (a VAE's loss dotted, its KL dashed) over the
// steps, with a labelled mark where a setting changed the run going on. chart.js draws it.
import { escape, isVae, modelLabel } from './template.js';
import { lossChart, redrawAtMostEvery } from './chart.js';

/** Settings that change a run as it goes: a change is marked on the chart at its step. */
const MARKED = { beta: 'β', lr: 'lr', noise: 'noise', batch: 'batch' };

/** A model's line in the chart's legend. */
const legendMarkup = ({ recipe, id, slot }) => `<li data-model="${id}"><span class="swatch line slot-${slot}"></span>${escape(modelLabel(recipe))}: reconstruction${isVae(recipe) ? '; loss, dotted; KL, dashed, in the lower panel' : ''}</li>`;

/** Wires the loss chart of `ctx`. A panel on the contract of panels.js. */
export function chartPanel(ctx) {
  const { root, $, lab, state } = ctx;
  function draw() {
    const drawn = lab.models.filter((m) => ctx.shown(m.id));
    lossChart($('chart'), drawn.map((m) => ({
      slot: m.slot, label: modelLabel(m.recipe), vae: isVae(m.recipe), points: state.history[m.id] || [],
    })), state.marks);
  }
  const soon = redrawAtMostEvery(draw, 250);
  return {
    onLab(models) { root.querySelector('.chart-legend').innerHTML = models.map(legendMarkup).join(''); },
    onSettings(v, before, source) {
      if (source === 'setting' && before && state.stats) {
        for (const [key, name] of Object.entries(MARKED)) {
          if (String(before[key]) !== String(v[key])) {
            state.marks.push({ step: state.stats.steps, text: `${name} ${before[key]} → ${v[key]}` });
            soon();
          }
        }
      }
      if (source === 'link' || (before && before.show !== v.show)) draw();
    },
    messages: { stats() { if (ctx.lab.complete) soon(); } },
  };
}

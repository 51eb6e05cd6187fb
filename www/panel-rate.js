// The rate–distortion plane: each VAE a dot at (KL, reconstruction) where the run is, the
// readouts' numbers, with its trail of epochs, over the data's reconstruction floor.
// ratedistortion.js draws it.
import { isVae, modelLabel } from './template.js';
import { rateDistortion } from './ratedistortion.js';
import { redrawAtMostEvery } from './chart.js';

/** Wires the rate plane of `ctx`. A panel on the contract of panels.js; `state.rate` holds
 * what it drew. */
export function ratePanel(ctx) {
  const { $, lab, state } = ctx;
  function draw() {
    const drawn = lab.models.filter((m) => ctx.shown(m.id));
    state.rate = rateDistortion($('rate-plot'), drawn.filter((m) => isVae(m.recipe)).map((m) => ({
      slot: m.slot, label: modelLabel(m.recipe), beta: m.stats ? m.stats.beta : 1, points: state.history[m.id] || [], now: m.loss,
    })), state.stats ? state.stats.reconFloor : NaN);
    const off = drawn.filter((m) => !isVae(m.recipe)).map((m) => modelLabel(m.recipe));
    $('rate-off').textContent = off.length ? `Not on the plane: ${off.join(', ')}. Without a KL term there is no rate to place: an autoencoder's code can tell apart any number of inputs.` : '';
  }
  const soon = redrawAtMostEvery(draw, 250);
  return {
    onSettings(v, before, source) {
      if (source === 'link' || (before && before.show !== v.show)) draw();
    },
    messages: { stats() { if (ctx.lab.complete) soon(); } },
  };
}

// "Tear the plane": the student's cheat built exactly in every model of the lab (the codes
// above a cut mirrored, every KL kept), and the price of it: each worker retrains copies of
// its decoder with and without the tear and reports both reconstructions as they settle.
import { escape, modelLabel } from './template.js';
import { fmt } from './format.js';

/** A model's row of the tear's table. */
const tearMarkup = ({ recipe, id }) => `<tr data-model="${id}"><th scope="row">${escape(modelLabel(recipe))}</th>${['delta', 'moved', 'met', 'kl', 'steps', 'control', 'torn'].map((key) => `<td id="tear-${id}-${key}">–</td>`).join('')}</tr>`;

/**
 * Wires the tear of `ctx`. A panel on the contract of panels.js; `state.tear` holds each
 * model's last report by id, for the tests and `el.stats`.
 */
export function tearPanel(ctx) {
  const { $, state } = ctx;
  const start = $('tear-start');
  const stop = $('tear-stop');
  const steps = $('tear-steps');
  const status = $('tear-status');
  state.tear = null;

  start.addEventListener('click', () => {
    if (ctx.lab.moving) ctx.lab.pause();
    state.tear = {};
    for (const model of ctx.lab.working()) {
      clearRow(model.id);
      ctx.lab.sendTo(model, { type: 'tear', steps: Number(steps.value) });
    }
    stop.disabled = false;
    status.textContent = 'Tearing: the decoders retrain on the torn codes, and beside them a control on the untorn ones…';
  });
  stop.addEventListener('click', () => {
    for (const model of ctx.lab.working()) ctx.lab.sendTo(model, { type: 'untear' });
  });

  function clearRow(id) {
    for (const key of ['moved', 'met', 'kl', 'steps', 'control', 'torn', 'delta']) {
      const cell = $(`tear-${id}-${key}`);
      if (cell) cell.textContent = '–';
    }
  }

  function onReport(model, m) {
    if (!m.report) {
      // Ended: by "Put it back", by training again, or by a new run.
      if (state.tear) delete state.tear[model.id];
      clearRow(model.id);
      if (state.tear && !Object.keys(state.tear).length) clear();
      return;
    }
    const r = m.report;
    state.tear ||= {};
    state.tear[model.id] = { ...r, delta: r.reconTorn - r.reconControl, total: m.total, running: m.running };
    const set = (key, text) => { const cell = $(`tear-${model.id}-${key}`); if (cell) cell.textContent = text; };
    set('moved', `${Math.round(100 * r.moved)}%`);
    set('met', String(r.met));
    set('kl', r.klBefore === 0 && r.klAfter === 0 ? 'no KL' : `${fmt(r.klBefore)} → ${fmt(r.klAfter)}`);
    set('steps', `${r.steps.toLocaleString('en')} of ${m.total.toLocaleString('en')}`);
    set('control', fmt(r.reconControl));
    set('torn', fmt(r.reconTorn));
    set('delta', `${r.reconTorn >= r.reconControl ? '+' : ''}${fmt(r.reconTorn - r.reconControl)}`);
    const all = ctx.lab.working().map((x) => state.tear[x.id]);
    if (all.every((x) => x && !x.running)) {
      status.textContent = `Done: after ${m.total.toLocaleString('en')} decoder-only steps, the price of the tear in nats per sample is in the last column. Train again, or "Put it back", to return to the models as trained.`;
    }
  }

  /** No tear any more (a new run, or every model put back). */
  function clear() {
    state.tear = null;
    stop.disabled = true;
    status.textContent = '';
    for (const model of ctx.lab.working()) clearRow(model.id);
  }

  return {
    onLab(models) {
      $('tear-rows').innerHTML = models.map(tearMarkup).join('');
      clear();
    },
    onNewRun() { if (state.tear) clear(); },
    messages: { tear: onReport },
  };
}

// "A pair pulled apart": two similar inputs held a distance d apart (their means at ±d/2 on the
// first axis) while every model of the lab trains on, and what that costs each: the pair's own
// loss and the whole data set's, plotted against d as the student moves it.
import { modelLabel } from './template.js';
import { niceStep, svg } from './chart.js';

/**
 * Wires the pull of `ctx`. A panel on the contract of panels.js; `state.pull` holds
 * `{pair, distance, on, curves: {id: {d: {pairLoss, loss, apart}}}}`.
 */
export function pullPanel(ctx) {
  const { $, state } = ctx;
  const slider = $('pull-d'), toggle = $('pull-start'), pick = $('pull-similar');
  let pair = null, on = false;
  state.pull = null;

  const distance = () => Number(slider.value);
  function showDistance() { $('pull-d-value').textContent = distance().toFixed(1); }
  showDistance();

  pick.addEventListener('click', () => ctx.lab.sendTo(ctx.lab.lead(), { type: 'similarPair' }));
  slider.addEventListener('input', () => {
    showDistance();
    if (on) send();
  });
  toggle.addEventListener('click', () => {
    if (!pair) return;
    on = !on;
    toggle.setAttribute('aria-pressed', String(on));
    toggle.textContent = on ? 'Let go' : 'Pull apart';
    send();
    if (on && !state.playing) ctx.lab.play();
  });

  function send() {
    for (const model of ctx.lab.working()) {
      ctx.lab.sendTo(model, { type: 'pull', i: pair[0], j: pair[1], distance: on ? distance() : -1 });
    }
    state.pull = { ...(state.pull || { curves: {} }), pair, distance: distance(), on };
  }

  function onPair(p) {
    pair = p;
    state.pull = { pair, distance: distance(), on, curves: {} };
    toggle.disabled = false;
    $('pull-pair').textContent = `Inputs ${p[0]} and ${p[1]}, nearest neighbours in pixel space (drawn as a path in every view).`;
    ctx.panels.walk.showPair(p[0], p[1]);
    if (on) send();
    draw();
  }

  function onReport(model, r) {
    if (!state.pull || !r || !pair || r.pair[0] !== pair[0] || r.pair[1] !== pair[1]) return;
    const curve = (state.pull.curves[model.id] ||= {});
    curve[r.distance.toFixed(1)] = { pairLoss: r.pairLoss, loss: r.loss, apart: r.apart, step: r.step };
    draw();
  }

  function draw() {
    const plot = $('pull-plot');
    const W = 420, H = 200, left = 40, right = 10, top = 10, bottom = 30;
    const nodes = [];
    const models = ctx.lab.working();
    const points = models.flatMap((m) => Object.entries((state.pull && state.pull.curves[m.id]) || {})
      .map(([d, v]) => ({ m, d: Number(d), ...v })));
    const values = points.flatMap((p) => [p.pairLoss, p.loss]);
    let lo = values.length ? Math.min(...values) : 0, hi = values.length ? Math.max(...values) : 1;
    if (hi - lo < 1) hi = lo + 1;
    const step = niceStep(hi - lo, 4);
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    const dMax = Number(slider.max);
    const x = (d) => left + (d / dMax) * (W - left - right);
    const y = (v) => top + (H - top - bottom) * (1 - (v - lo) / (hi - lo));
    for (let v = lo; v <= hi + step / 2; v += step) {
      nodes.push(svg('line', { class: 'grid', x1: left, x2: W - right, y1: y(v), y2: y(v) }));
      nodes.push(svg('text', { x: left - 5, y: y(v) + 4, 'text-anchor': 'end' }, Number(v.toPrecision(4)).toString()));
    }
    for (let d = 0; d <= dMax; d += 2) nodes.push(svg('text', { x: x(d), y: H - bottom + 13, 'text-anchor': 'middle' }, String(d)));
    nodes.push(svg('text', { x: W - right, y: H - 4, 'text-anchor': 'end' }, 'd, how far apart the pair is held'));
    nodes.push(svg('line', { class: 'axis', x1: left, x2: W - right, y1: H - bottom, y2: H - bottom }));
    for (const m of models) {
      const pts = points.filter((p) => p.m === m).sort((a, b) => a.d - b.d);
      if (!pts.length) continue;
      for (const [key, cls] of [['pairLoss', 'curve'], ['loss', 'curve kl']]) {
        nodes.push(svg('polyline', { class: `${cls} slot-${m.slot}`, points: pts.map((p) => `${x(p.d).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ') }));
        for (const p of pts) nodes.push(svg('circle', { class: `dot slot-${m.slot}`, cx: x(p.d), cy: y(p[key]), r: 2.5 }));
      }
    }
    plot.replaceChildren(...nodes);
    const last = models.map((m) => {
      const c = state.pull && state.pull.curves[m.id] && state.pull.curves[m.id][distance().toFixed(1)];
      return c ? `${modelLabel(m.recipe, true)}: the pair ${c.pairLoss.toFixed(1)}, the data set ${c.loss.toFixed(2)} nats` : null;
    }).filter(Boolean);
    $('pull-now').textContent = last.length ? `At d = ${distance().toFixed(1)}: ${last.join('; ')}.` : '';
  }

  /** No pull any more (a new run): let go, forget the curves. */
  function clear() {
    on = false;
    toggle.setAttribute('aria-pressed', 'false');
    toggle.textContent = 'Pull apart';
    if (state.pull) state.pull = { pair, distance: distance(), on: false, curves: {} };
    draw();
  }

  return {
    onNewRun() { if (state.pull) clear(); },
    messages: {
      pull(model, m) { onReport(model, m.report); },
      similarPair(model, m) { onPair(m.pair); },
    },
  };
}

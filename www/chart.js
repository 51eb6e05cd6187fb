// The loss chart: every model's reconstruction over training steps (upper panel) and each
// VAE's KL (lower panel, dashed), as SVG. A pure drawing of the points it is given.

/** At most this many points a line; older ones are averaged in pairs. */
const MAX_POINTS = 600;

/** `points` ({step, loss, recon, kl}), halved by averaging neighbours once there are too many. */
export function thin(points) {
  if (points.length <= MAX_POINTS) return points;
  const out = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const a = points[i], b = points[i + 1];
    out.push({ step: b.step, loss: (a.loss + b.loss) / 2, recon: (a.recon + b.recon) / 2, kl: (a.kl + b.kl) / 2 });
  }
  if (points.length % 2) out.push(points[points.length - 1]);
  return out;
}

/** A round step that cuts `span` into about `target` parts (1, 2 or 5 times a power of 10). */
export function niceStep(span, target) {
  const raw = span / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

const SVG = 'http://www.w3.org/2000/svg';
/** An SVG element `name` with `attrs` and, if given, its text. */
export function svg(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text != null) node.textContent = text;
  return node;
}

/** The KL panel's axis reaches at least this many nats, so that a KL near 0 looks near 0. */
const KL_AXIS_MIN = 1;

/**
 * Draws into the <svg> `chart` one line per model: `models` = [{slot, label, vae, points}].
 * Upper panel: every model's reconstruction (solid) and each VAE's loss, reconstruction +
 * β·KL (dotted); lower panel: each VAE's KL (dashed). `marks` = [{step, text}]: where a
 * setting changed, a vertical line with its label.
 */
export function lossChart(chart, models, marks = []) {
  const W = 640, left = 44, right = 12;
  const lines = models.map((m) => ({
    model: m,
    points: m.points.filter((p) => Number.isFinite(p.recon) && Number.isFinite(p.kl)),
  }));
  const vaes = lines.filter((l) => l.model.vae);
  const panels = [
    { top: 10, height: 150, keys: ['recon', 'loss'], label: 'reconstruction; VAE loss, dotted', lines },
    { top: 185, height: 50, keys: ['kl'], label: 'KL', zero: true, lines: vaes },
  ];
  const nodes = [];
  const all = lines.flatMap((l) => l.points);
  const maxStep = all.length ? Math.max(...all.map((p) => p.step), 1) : 1;
  const x = (step) => left + (step / maxStep) * (W - left - right);
  for (const panel of panels) {
    const keysOf = (l) => panel.keys.filter((k) => k !== 'loss' || l.model.vae);
    const values = panel.lines.flatMap((l) => keysOf(l).flatMap((k) => l.points.map((p) => p[k])));
    let lo = values.length ? Math.min(...values) : 0;
    let hi = values.length ? Math.max(...values) : 1;
    if (panel.zero) { lo = 0; hi = Math.max(hi, KL_AXIS_MIN); }
    if (hi - lo < 1e-6) hi = lo + 1;
    const step = niceStep(hi - lo, panel.zero ? 2 : 4);
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    const y = (v) => panel.top + panel.height - ((v - lo) / (hi - lo)) * panel.height;
    const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    for (let k = 0; lo + k * step <= hi + step / 2; k++) {
      const v = lo + k * step;
      nodes.push(svg('line', { class: 'grid', x1: left, x2: W - right, y1: y(v), y2: y(v) }));
      nodes.push(svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, v.toFixed(decimals)));
    }
    nodes.push(svg('line', { class: 'axis', x1: left, x2: left, y1: panel.top, y2: panel.top + panel.height }));
    nodes.push(svg('text', { x: W - right, y: panel.top + 11, 'text-anchor': 'end' }, panel.label));
    for (const l of panel.lines) {
      if (!l.points.length) continue;
      for (const key of keysOf(l)) {
        const pts = l.points.map((p) => `${x(p.step).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
        nodes.push(svg('polyline', { class: `curve slot-${l.model.slot} ${key}`, points: pts }));
      }
    }
  }
  for (const mark of marks.filter((m) => m.step <= maxStep)) {
    nodes.push(svg('line', { class: 'mark', x1: x(mark.step), x2: x(mark.step), y1: 10, y2: 235 }));
    nodes.push(svg('text', { class: 'mark-text', x: x(mark.step) + 3, y: 20 }, mark.text));
  }
  const axisY = 245;
  nodes.push(svg('line', { class: 'axis', x1: left, x2: W - right, y1: axisY - 10, y2: axisY - 10 }));
  const xs = Math.max(1, niceStep(maxStep, 6));   // steps are whole numbers
  for (let s = 0; s <= maxStep; s += xs) {
    nodes.push(svg('text', { x: x(s), y: axisY + 4, 'text-anchor': 'middle' }, String(s)));
  }
  nodes.push(svg('text', { x: W - right, y: axisY + 14, 'text-anchor': 'end' }, 'step'));
  chart.replaceChildren(...nodes);
  const last = lines.filter((l) => l.points.length).map((l) => {
    const p = l.points[l.points.length - 1];
    return `${l.model.label} reconstruction ${p.recon.toFixed(1)}${l.model.vae ? `, loss ${p.loss.toFixed(1)}, KL ${p.kl.toFixed(2)}` : ''}`;
  });
  chart.setAttribute('aria-label', last.length
    ? `Loss curves up to step ${maxStep}: ${last.join(', ')} nats per sample`
    : 'Loss curves: no training yet');
}

/** Runs `fn` on an animation frame at most every `ms` milliseconds, however often it is asked. */
export function redrawAtMostEvery(fn, ms) {
  let queued = false, last = 0;
  return () => {
    if (queued) return;
    queued = true;
    const wait = Math.max(0, ms - (performance.now() - last));
    setTimeout(() => requestAnimationFrame(() => { queued = false; last = performance.now(); fn(); }), wait);
  };
}

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

/** Draws into the <svg> `chart` one line per model: `lines` = [{slot, label, vae, points}]. */
export function lossChart(chart, models) {
  const W = 640, left = 44, right = 12;
  const lines = models.map((m) => ({
    model: m,
    points: m.points.filter((p) => Number.isFinite(p.recon) && Number.isFinite(p.kl)),
  }));
  const panels = [
    { top: 10, height: 150, key: 'recon', label: 'reconstruction', lines },
    { top: 185, height: 50, key: 'kl', label: 'KL', zero: true, lines: lines.filter((l) => l.model.vae) },
  ];
  const nodes = [];
  const all = lines.flatMap((l) => l.points);
  const maxStep = all.length ? Math.max(...all.map((p) => p.step), 1) : 1;
  const x = (step) => left + (step / maxStep) * (W - left - right);
  for (const panel of panels) {
    const values = panel.lines.flatMap((l) => l.points.map((p) => p[panel.key]));
    let lo = values.length ? Math.min(...values) : 0;
    let hi = values.length ? Math.max(...values) : 1;
    if (panel.zero) lo = 0;
    if (hi - lo < 1e-6) hi = lo + 1;
    const step = niceStep(hi - lo, panel.zero ? 2 : 4);
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    const y = (v) => panel.top + panel.height - ((v - lo) / (hi - lo)) * panel.height;
    for (let v = lo; v <= hi + step / 2; v += step) {
      nodes.push(svg('line', { class: 'grid', x1: left, x2: W - right, y1: y(v), y2: y(v) }));
      nodes.push(svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, Number(v.toPrecision(4)).toString()));
    }
    nodes.push(svg('line', { class: 'axis', x1: left, x2: left, y1: panel.top, y2: panel.top + panel.height }));
    nodes.push(svg('text', { x: W - right, y: panel.top + 11, 'text-anchor': 'end' }, panel.label));
    for (const { model, points } of panel.lines) {
      if (!points.length) continue;
      const pts = points.map((p) => `${x(p.step).toFixed(1)},${y(p[panel.key]).toFixed(1)}`).join(' ');
      nodes.push(svg('polyline', { class: `curve slot-${model.slot}${panel.key === 'kl' ? ' kl' : ''}`, points: pts }));
    }
  }
  const axisY = 245;
  nodes.push(svg('line', { class: 'axis', x1: left, x2: W - right, y1: axisY - 10, y2: axisY - 10 }));
  const xs = niceStep(maxStep, 6);
  for (let s = 0; s <= maxStep; s += xs) {
    nodes.push(svg('text', { x: x(s), y: axisY + 4, 'text-anchor': 'middle' }, String(s)));
  }
  nodes.push(svg('text', { x: W - right, y: axisY + 14, 'text-anchor': 'end' }, 'step'));
  chart.replaceChildren(...nodes);
  const last = lines.filter((l) => l.points.length).map((l) => `${l.model.label} reconstruction ${l.points[l.points.length - 1].recon.toFixed(1)}`);
  chart.setAttribute('aria-label', last.length
    ? `Loss curves up to step ${maxStep}: ${last.join(', ')} nats per sample`
    : 'Loss curves: no training yet');
}

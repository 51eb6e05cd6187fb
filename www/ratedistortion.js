// The rate–distortion plane (Alemi et al. 2018, "Fixing a broken ELBO", Fig. 1): each VAE of
// the lab is a dot at (rate = its KL, distortion = its reconstruction), both in nats per
// sample, with a trail of where it has been while training, and dashed lines of equal loss
// recon + β·KL for the β in force, so that moving β shows the trade-off. The data's own
// entropy is the floor no distortion can go below. A model without a KL term has no rate to
// place (an autoencoder's is unbounded): it is named beside the plane, not drawn. As SVG; a
// pure drawing of the points it is given.

import { niceStep, svg } from './chart.js';

const tidy = (v) => Number(v.toPrecision(3)).toString();

/**
 * Draws into the <svg> `plot` the VAEs of `models` ([{slot, label, beta, points, now}]: points
 * {step, recon, kl}, one at each epoch's end, the trail; `now` {recon, kl}, the run's losses at
 * its step as the readouts show them, the dot), over a floor of `floor` nats. Returns the dots
 * drawn, [{slot, rate, distortion}], for the page's text.
 */
export function rateDistortion(plot, models, floor) {
  const W = 300, H = 260, left = 40, right = 10, top = 10, bottom = 34;
  const finite = (p) => p && Number.isFinite(p.recon) && Number.isFinite(p.kl);
  // The trail: the epochs' means (each already the mean of an epoch's batches), to the dot.
  const series = models.filter((m) => finite(m.now))
    .map((m) => ({ ...m, trail: [...m.points.filter(finite), m.now] }));
  const nodes = [];
  const all = series.flatMap((m) => m.trail);
  const rates = all.map((p) => p.kl);
  const dists = all.map((p) => p.recon);
  let xHi = Math.max(4, ...rates) * 1.1;
  let yLo = Number.isFinite(floor) ? floor : Math.min(...dists, 0);
  let yHi = Math.max(yLo + 5, ...dists);
  const xs = niceStep(xHi, 4), ys = niceStep(yHi - yLo, 4);
  xHi = Math.ceil(xHi / xs) * xs;
  yLo = Math.floor(yLo / ys) * ys;
  yHi = Math.ceil(yHi / ys) * ys;
  const x = (v) => left + (v / xHi) * (W - left - right);
  const y = (v) => top + (H - top - bottom) - ((v - yLo) / (yHi - yLo)) * (H - top - bottom);
  for (let v = 0; v <= xHi + xs / 2; v += xs) {
    nodes.push(svg('line', { class: 'grid', x1: x(v), x2: x(v), y1: top, y2: H - bottom }));
    nodes.push(svg('text', { x: x(v), y: H - bottom + 13, 'text-anchor': 'middle' }, tidy(v)));
  }
  for (let v = yLo; v <= yHi + ys / 2; v += ys) {
    nodes.push(svg('line', { class: 'grid', x1: left, x2: W - right, y1: y(v), y2: y(v) }));
    nodes.push(svg('text', { x: left - 5, y: y(v) + 4, 'text-anchor': 'end' }, tidy(v)));
  }
  nodes.push(svg('line', { class: 'axis', x1: left, x2: W - right, y1: H - bottom, y2: H - bottom }));
  nodes.push(svg('line', { class: 'axis', x1: left, x2: left, y1: top, y2: H - bottom }));
  nodes.push(svg('text', { x: W - right, y: H - 6, 'text-anchor': 'end' }, 'rate: KL (nats)'));
  nodes.push(svg('text', { x: left + 4, y: top + 10 }, 'distortion: reconstruction (nats)'));
  if (Number.isFinite(floor) && floor >= yLo) {
    nodes.push(svg('line', { class: 'floor', x1: left, x2: W - right, y1: y(floor), y2: y(floor) }));
    nodes.push(svg('text', { x: W - right, y: y(floor) - 4, 'text-anchor': 'end' }, `floor ${floor.toFixed(1)}: the data's entropy`));
  }
  const dots = [];
  const clip = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  for (const m of series) {
    const last = m.now;
    // Equal loss through the dot: recon + β·KL = L, a line of slope −β.
    const L = last.recon + m.beta * last.kl;
    const at = (kl) => L - m.beta * kl;
    const x2 = m.beta > 0 ? Math.min(xHi, (L - yLo) / m.beta) : xHi;
    nodes.push(svg('line', { class: `equal slot-${m.slot}`, x1: x(0), y1: y(clip(at(0), yLo, yHi)), x2: x(x2), y2: y(clip(at(x2), yLo, yHi)) }));
    const pts = m.trail.map((p) => `${x(p.kl).toFixed(1)},${y(clip(p.recon, yLo, yHi)).toFixed(1)}`).join(' ');
    nodes.push(svg('polyline', { class: `trail slot-${m.slot}`, points: pts }));
    nodes.push(svg('circle', { class: `dot slot-${m.slot}`, cx: x(last.kl), cy: y(clip(last.recon, yLo, yHi)), r: 5 }));
    dots.push({ slot: m.slot, label: m.label, rate: last.kl, distortion: last.recon, beta: m.beta });
  }
  plot.replaceChildren(...nodes);
  plot.setAttribute('aria-label', dots.length
    ? `Rate–distortion plane: ${dots.map((d) => `${d.label} at rate ${d.rate.toFixed(2)} nats, distortion ${d.distortion.toFixed(1)} nats`).join('; ')}`
    : 'Rate–distortion plane: no VAE has trained yet');
  return dots;
}

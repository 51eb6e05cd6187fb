// The article's live parts: each figure is a <vae-playground> in figure mode, made when it
// comes near the screen (so that a phone never runs all nine at once); the numbers in the
// text marked .num are read from their figure once it holds its step; and a KL calculator.
import '../element.js';
import { klOf } from '../format.js';

/** Each figure's element, made from its data-attrs (URL parameters, as attributes). */
function mountFigure(figure) {
  if (figure.querySelector('vae-playground')) return;
  const el = document.createElement('vae-playground');
  for (const [key, value] of new URLSearchParams(figure.dataset.attrs)) el.setAttribute(key, value);
  figure.prepend(el);
}

const near = new IntersectionObserver((entries) => {
  for (const e of entries) {
    if (!e.isIntersecting) continue;
    mountFigure(e.target);
    near.unobserve(e.target);
  }
}, { rootMargin: '600px 0px' });
for (const figure of document.querySelectorAll('figure.live')) near.observe(figure);

/** The step a figure holds (its stop=). */
const stopOf = (figure) => Number(new URLSearchParams(figure.dataset.attrs).get('stop'));

/** A number of the text, from its figure's element, or undefined until it is there. */
function read(el, figure, stat) {
  const s = el.stats;
  const stop = stopOf(figure);
  if (stat.startsWith('tear.')) {
    // The reader's own tear: its figures once it has finished.
    const [, id, key] = stat.split('.');
    const r = s && s.tear && s.tear[id];
    return r && !r.running ? r[key] : undefined;
  }
  if (!s || s.steps !== stop || s.playing) return undefined;
  if (stat === 'bits') return s.vae && s.vae.kl / Math.LN2;
  if (stat === 'codes') return s.vae && Math.exp(s.vae.kl);
  if (stat.startsWith('metrics.')) {
    const m = s.metrics;
    const [, id, key] = stat.split('.');
    return m && m.steps === stop && m[id] ? m[id][key] : undefined;
  }
  return stat.split('.').reduce((x, k) => (x == null ? undefined : x[k]), s);
}

const format = (v, digits) => (digits === 0 ? Math.round(v).toLocaleString('en') : v.toFixed(digits)).replace('-', '−');

function fillNumbers() {
  for (const span of document.querySelectorAll('.num[data-of]')) {
    const figure = document.querySelector(`figure.live[data-name="${span.dataset.of}"]`);
    const el = figure && figure.querySelector('vae-playground');
    if (!el) continue;
    const v = read(el, figure, span.dataset.stat);
    // A number, or one per axis (positions per axis: "3.4 × 3.2").
    const values = Array.isArray(v) ? v : [v];
    if (!values.length || !values.every((x) => typeof x === 'number' && Number.isFinite(x))) continue;
    const text = values.map((x) => format(x, Number(span.dataset.digits || 0))).join(' × ');
    if (span.textContent !== text) span.textContent = text;
    span.classList.add('read');
  }
}
setInterval(fillNumbers, 500);

// The KL of N(μ, σ²I) from N(0, I) in two dimensions, with |μ| = d and σ on each axis.
const d = document.getElementById('kl-d');
const sigma = document.getElementById('kl-s');
const out = document.getElementById('kl-out');
function kl() {
  const dv = Number(d.value), sv = Number(sigma.value);
  out.textContent = Number.isFinite(dv) && sv > 0 ? klOf(dv, sv).toFixed(2) : '–';
}
d.addEventListener('input', kl);
sigma.addEventListener('input', kl);
kl();

// The readouts: the lab's step, epoch and speed, each model's losses and figures (the rate,
// σ, the spread, trustworthiness, continuity, the path-length ratio), and a sentence on what
// they say now. Written at most every READOUT_MS while the lab trains.
import { METRICS_WHEN, escape, isVae, modelLabel } from './template.js';
import { countText, fmt, rateText } from './format.js';

/** The least time between two updates of the readouts' text while the lab trains. */
const READOUT_MS = 100;
const COMPUTING = 'computing…';
/** The figures computed every few seconds, named as the readouts' rows name them. */
const METRICS_NAMES = 'Recon. at z = μ, trustworthiness, continuity and path-length ratio';

/** A model's rows of readouts; each name is a term of the glossary (glossary.js). */
function readoutsMarkup({ recipe, id, slot }) {
  const label = escape(modelLabel(recipe));
  const row = (dt, key, term, text = '–') => `<dt>${term ? `<span data-term="${term}">${dt}</span>` : dt}</dt><dd id="r-${id}-${key}">${text}</dd>`;
  return `<div data-model="${id}"><h3><span class="swatch line slot-${slot}"></span>${label} <span class="unit" data-term="nats">nats per sample</span></h3>
      <dl>
        ${isVae(recipe) ? row('Loss = recon. + β·KL', 'loss', 'loss') + row('Reconstruction', 'recon', 'recon') + row('Recon. at z = μ, samples shown', 'recon-mean', 'reconMean', COMPUTING) + row('KL to the prior', 'kl', 'kl') + row('Rate', 'rate', 'rate') + row('KL per dimension', 'kld', 'kl') + row('Mean σ', 'sigma', 'sigma') + row('Active dimensions', 'active', 'active') : row('Loss = reconstruction', 'loss', 'loss')}
        ${row('Spread of the codes', 'spread', 'spread')}
        ${row('Positions per axis', 'positions', 'positions')}
        ${row('Trustworthiness, k = 10', 'trust', 'trust', COMPUTING)}
        ${row('Continuity, k = 10', 'cont', 'cont', COMPUTING)}
        ${row('Path-length ratio', 'path', 'path', COMPUTING)}
        ${row('Samples/s', 'sps', null)}
      </dl></div>`;
}

/** Wires the readouts of `ctx`. A panel on the contract of panels.js. */
export function readoutsPanel(ctx) {
  const { root, $, lab, state } = ctx;
  // Text that did not change is left alone (each change costs the page a layout).
  const setText = (id, text) => { const node = $(id); if (node && node.textContent !== String(text)) node.textContent = text; };
  let lastSummary = 0, lastExplain = 0, lastReadouts = 0, timer = null;

  // At most every READOUT_MS while the lab trains, for every model at once (each model
  // reports 10 times a second, and each change of text costs the page a layout and a paint,
  // on the cores the models train on); at once when it stands still.
  function soon() {
    if (timer) return;
    const wait = state.workerPlaying ? READOUT_MS - (performance.now() - lastReadouts) : 0;
    if (wait <= 0) show();
    else timer = setTimeout(() => { timer = null; show(); }, wait);
  }

  function show() {
    const s = state.stats;
    const models = lab.models;
    if (!s || !models.length || models.some((x) => !x.stats)) return;
    const now = performance.now();
    lastReadouts = now;
    const still = !state.workerPlaying;
    setText('r-step', s.steps);
    setText('r-epoch', s.epochs);
    setText('r-sps', state.samplesPerSecond == null ? '–' : Math.round(state.samplesPerSecond).toLocaleString('en'));
    setText('r-floor', `${fmt(s.reconFloor, 1)} nats`);
    for (const model of models) {
      showModel(model);
      ctx.panels.views.describe(model);
    }
    const vae = models.find((x) => x.stats.kind === 'vae');
    for (const span of root.querySelectorAll('[data-live="kl"]')) span.textContent = vae && vae.loss ? fmt(vae.loss.kl, 2) : '–';
    if (now - lastExplain > 1000 || still) explainLive();
    if (now - lastSummary > 3000 || still) {
      lastSummary = now;
      $('summary').textContent = `Step ${s.steps}. ${models.filter((x) => ctx.shown(x.id)).map((x) => `${modelLabel(x.recipe)} loss ${fmt(x.loss && x.loss.loss)}${x.stats.meanSigma != null ? `, mean sigma ${fmt(x.stats.meanSigma)}` : ''}`).join('. ')}.`;
    }
  }

  function showModel(model) {
    const { id, stats: s, loss: l } = model;
    setText(`r-${id}-loss`, fmt(l && l.loss));
    setText(`r-${id}-recon`, fmt(l && l.recon));
    setText(`r-${id}-kl`, fmt(l && l.kl));
    setText(`r-${id}-kld`, l ? s.klPerDim.map((k) => k.toFixed(2)).join(', ') : '–');
    setText(`r-${id}-sigma`, fmt(s.meanSigma, 3));
    setText(`r-${id}-rate`, l ? rateText(l.kl) : '–');
    setText(`r-${id}-spread`, fmt(s.spread, 2));
    setText(`r-${id}-positions`, s.positionsPerAxis
      ? s.positionsPerAxis.map((p) => (p < 100 ? fmt(p, 1) : countText(p))).join(' × ')
      : `unbounded (${s.kind === 'vae' ? 'noise off: z = μ' : 'no noise'})`);
    setText(`r-${id}-active`, `${s.activeDims} of ${s.latent}`);
    setText(`r-${id}-sps`, model.sps == null ? '–' : Math.round(model.sps).toLocaleString('en'));
  }

  /** Says which samples the views draw when they are not all the training samples. */
  function showSubset({ samples, trainingSamples }) {
    const note = $('subset-note');
    note.hidden = samples >= trainingSamples;
    const n = (x) => x.toLocaleString('en');
    const text = note.hidden ? '' : `The views, walks and measures show ${n(samples)} of the ${n(trainingSamples)} samples: a subset drawn once at random, the same in every run and every link (sample numbers count within it). The models train on all ${n(trainingSamples)}.`;
    if (note.textContent !== text) note.textContent = text;   // stats come 10 times a second
  }

  /** A sentence on what the numbers on screen say now. */
  function explainLive() {
    lastExplain = performance.now();
    if (!state.stats) return;
    const models = lab.models;
    const parts = [];
    for (const m of models.filter((x) => x.stats.kind === 'vae')) {
      const s = m.stats;
      parts.push(`${modelLabel(m.recipe)} now: mean σ ${fmt(s.meanSigma)}; KL per dimension ${s.klPerDim.map((k) => fmt(k)).join(' and ')} nats; ${s.activeDims} of ${s.latent} dimensions active.`);
    }
    if (state.metrics) {
      const named = (f) => models.map((m) => `${modelLabel(m.recipe, true)} ${f(state.metrics[m.id])}`).join(', ');
      parts.push(`Continuity: ${named((x) => fmt(x.continuity, 3))}. Path-length ratio: ${named((x) => fmt(x.pathRatio))} (nearer 1 is smoother).`);
    }
    $('live-explain').textContent = parts.join(' ');
  }

  return {
    onLab(models) {
      clearTimeout(timer);
      timer = null;
      $('model-readouts').innerHTML = models.map(readoutsMarkup).join('');
    },
    onNewRun(model) {
      for (const key of ['trust', 'cont', 'path', 'recon-mean']) setText(`r-${model.id}-${key}`, COMPUTING);
      $('metrics-step').textContent = `${METRICS_NAMES}: computing… (${METRICS_WHEN}).`;
    },
    messages: {
      stats(model, m) {
        if (model.slot === 0) showSubset(m.stats);
        if (ctx.lab.complete) soon();
      },
      metrics(model, m) {
        model.metrics = m;
        setText(`r-${model.id}-trust`, m.trustworthiness.toFixed(3));
        setText(`r-${model.id}-cont`, m.continuity.toFixed(3));
        setText(`r-${model.id}-path`, `${fmt(m.pathRatio)} (${fmt(m.pathQuartiles[0])}–${fmt(m.pathQuartiles[1])})`);
        setText(`r-${model.id}-recon-mean`, fmt(m.reconAtMean));
        const models = lab.models;
        if (!models.every((x) => x.metrics)) return;
        const steps = models.map((x) => x.metrics.steps);
        state.metrics = {
          k: m.k,
          steps: steps.every((s) => s === steps[0]) ? steps[0] : null,
          ...Object.fromEntries(models.map((x) => [x.id, x.metrics])),
        };
        $('metrics-step').textContent = state.metrics.steps != null
          ? `${METRICS_NAMES} at step ${state.metrics.steps}; computed ${METRICS_WHEN}.`
          : `${METRICS_NAMES} at steps ${steps.join(', ')}; computed ${METRICS_WHEN}.`;
        explainLive();
      },
    },
    destroy() { clearTimeout(timer); },
  };
}

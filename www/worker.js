// The training worker: owns the Rust playground (VAE + AE), trains in short slices so that it
// can still hear the page, draws both latent views into the canvases the page handed over,
// and reports losses and counters. The page's main thread never runs the model.
import init, { BenchTrainer, PageParams, Playground, classColours, lastPanic, randomSeed, ticks, weightsInfo } from './vae-playground.js';

const SLICE_MS = 12;          // training time between two looks at the message queue
const FRAME_MS = 1000 / 30;   // redraw the views at most 30 times a second
const STATS_MS = 100;         // report counters this often

let pg = null;                // the Rust Playground
let params = null;            // the page's URL parameters (Rust's typed table)
let ctx = { vae: null, ae: null };
let playing = false;
let budget = Infinity;        // steps left to train: Infinity while playing, n after step(n)
let rate = Infinity;          // steps per second allowed; Infinity = as fast as possible
let lastDraw = 0, lastStats = 0, playStart = 0, stepsSincePlay = 0;
let chunk = 1;                // steps per train() call, adapted to take about 2 ms
let pending = { steps: 0, vae: [0, 0, 0], ae: [0, 0, 0] };   // losses since the last report
let speedWindow = [];         // [time, steps] samples for samples/s
let highlightActive = false;
let dead = false;             // after a Rust panic the module cannot be used again
let seq = 0;                  // the last play/pause command handled, echoed in reports
let ticksRange = null;        // the range whose tick labels the page has
let lastMetrics = 0;          // when trustworthiness and continuity were last computed
let metricsTimer = null;
let pinned = null;            // the first sample of an interpolation picked by clicking
let probe = null;             // the drawing pad's 64 values, or null
let lastLive = 0;             // when the strip and the drawing's codes were last refreshed
const METRICS_MS = 5000;      // ...every 5 s while training: they cost a fraction of a second
const MAX_STEP_REQUEST = 100000;   // the most steps one step(n) may ask for
const NEIGHBOUR_ROWS = 8;     // rows of the input space's neighbour tables built at a time (a few ms)
/** Settings that define a run: changing one starts a new run, as loading its link would. */
const RUN_KEYS = ['dataset', 'seed', 'hidden', 'activation'];

// Yields to the message queue without setTimeout's 4 ms clamp: the loop wakes itself up.
// One wake-up at a time, so that pausing and playing again never starts a second loop.
const wake = new MessageChannel();
let scheduled = false;
const schedule = () => { if (!scheduled) { scheduled = true; wake.port2.postMessage(0); } };

function post(message) { self.postMessage(message); }

function fail(error) {
  dead = true;
  playing = false;
  const panic = (() => { try { return lastPanic(); } catch { return null; } })();
  post({ type: 'error', message: panic || String(error && error.message || error) });
}

/** A WebAssembly trap (a Rust panic, or worse): the module must never be used again. */
function isTrap(e) {
  return e instanceof WebAssembly.RuntimeError;
}

/** Tells the page that something it asked for was refused (nothing changed), unless the error
 * is a trap, which kills the module. */
function refuse(key, e) {
  if (isTrap(e)) throw e;
  post({ type: 'settingError', key, message: e && e.message || String(e) });
}

function guarded(fn) {
  return (...args) => {
    if (dead) return;
    try { return fn(...args); } catch (e) { fail(e); }
  };
}

/** The Playground settings that the URL parameters describe. */
function settingsFrom(v) {
  const { dataset, seed, beta, lr, noise, batch, hidden, activation, range } = v;
  return { dataset, seed, beta, lr, noise, batch, hidden, activation, ...(range === 'fit' ? { fit: true } : { range, fit: false }) };
}

/** How the figure names each data set and one of its inputs. */
const DATASETS = {
  digits: { title: '8×8 digits', item: 'digit' },
  bars: { title: '8×8 rotated bars', item: 'bar' },
  blobs: { title: '8×8 moving blobs', item: 'blob' },
};

/** The settings in force, for the page to render its controls from, with any notices. */
function postParams(notices = [], source = 'setting') {
  post({ type: 'params', values: params.values(), notices, source, query: params.query() });
}

function rateOf(speed) { return speed === 'max' ? Infinity : speed; }

/** Starts a new run from the settings in force (as loading their link would). */
function newRun() {
  playing = false;
  build(settingsFrom(params.values()));
  draw();
  report({ reset: true });
  metricsSoon();
}

/** Puts the settings in force into the running model (those that change without a new run). */
function applyLive(key, v) {
  switch (key) {
    case 'speed':
      rate = rateOf(v.speed);
      playStart = performance.now();
      stepsSincePlay = 0;
      return;
    case 'range':
      if (v.range === 'fit') pg.set('fit', true); else pg.set('range', v.range);
      return;
    case 'beta': case 'lr': case 'batch': case 'noise': case 'map':
      pg.set(key, v[key]);
      return;
    default:   // show, embed, hide, autoplay: the page's own
  }
}

/**
 * The one way a setting changes, whichever door it came through (a control, el.set, an
 * attribute): Rust's table of parameters validates `raw` (clamping it, or refusing it), the
 * value in force goes into the run, and the page gets back the settings in force with the
 * notice, to render its controls and URL from. A refused value changes nothing.
 */
function setting(key, raw) {
  const before = params.query();
  let notice;
  try {
    notice = raw == null ? params.clear(key) : params.set(key, String(raw));
  } catch (e) {
    refuse(key, e);
    postParams();
    return;
  }
  const v = params.values();
  try {
    if (RUN_KEYS.includes(key)) newRun();
    else applyLive(key, v);
  } catch (e) {
    params = new PageParams(before);   // the model refused it: back to what ran
    refuse(key, e);
    postParams();
    return;
  }
  postParams(notice ? [notice] : []);
  if (!playing || key === 'range' || key === 'map') draw();
  report();
}

/** Tells the page what the colours mean: classes, or a colour map it can show. */
function postLegend() {
  const size = 96;
  const pixels = pg.legend(size);
  post({ type: 'legend', factor: pg.factor(), size, pixels: pixels || null, palette: classColours() });
}

function build(s) {
  const next = new Playground({ ...s, map: params.values().map });   // throws a readable message for a bad setting
  if (pg) pg.free();
  pg = next;
  postLegend();
  // Sample indices mean nothing in a new run's data set; the drawing still does.
  pinned = null;
  post({ type: 'interpolation', strip: null });
  if (probe) post({ type: 'probe', probe: pg.setProbe(probe) });
  pending = { steps: 0, vae: [0, 0, 0], ae: [0, 0, 0] };
  speedWindow = [];
}

function draw() {
  pg.draw();
  const size = pg.size();
  for (const side of ['vae', 'ae']) {
    if (ctx[side]) ctx[side].putImageData(new ImageData(pg.pixels(side), size, size), 0, 0);
  }
  lastDraw = performance.now();
}

function report(extra = {}) {
  const now = performance.now();
  const stats = pg.stats();
  speedWindow.push([now, stats.steps]);
  while (speedWindow.length > 2 && now - speedWindow[0][0] > 1500) speedWindow.shift();
  const [t0, s0] = speedWindow[0];
  const sps = playing && now > t0 + 200 ? ((stats.steps - s0) * stats.batch) / ((now - t0) / 1000) : null;
  if (stats.range !== ticksRange) {
    ticksRange = stats.range;
    extra = { ...extra, ticks: ticks(stats.range) };
  }
  const n = pending.steps;
  const mean = (v) => n ? { loss: v[0] / n, recon: v[1] / n, kl: v[2] / n } : null;
  post({ type: 'stats', seq, stats, playing, samplesPerSecond: sps, vae: mean(pending.vae), ae: mean(pending.ae), ...extra });
  // The walk's strip and the drawing's readings follow the model: at most every 300 ms while
  // training, and at every report otherwise (after a step, a pause, loaded weights).
  if (!playing || now - lastLive > 300) {
    lastLive = now;
    const strip = pg.strip();
    if (strip) post({ type: 'interpolation', strip });
    if (probe) post({ type: 'probe', probe: pg.probe() });
  }
  pending = { steps: 0, vae: [0, 0, 0], ae: [0, 0, 0] };
  lastStats = now;
}

/** Trustworthiness and continuity of both models, sent to the page. The input space's tables
 * come first, a few rows per call (over a second in all), so that they never hold up training:
 * while playing the loop calls again; while paused, a timer does. */
function metrics() {
  clearTimeout(metricsTimer);
  metricsTimer = null;
  if (dead || !pg) return;
  if (!pg.prepareNeighbours(NEIGHBOUR_ROWS)) {
    if (!playing) metricsTimer = setTimeout(guarded(metrics), 0);
    return;
  }
  const t0 = performance.now();
  const m = pg.neighbourhood();
  lastMetrics = performance.now();
  post({ type: 'metrics', steps: pg.stats().steps, ms: lastMetrics - t0, ...m });
}

/** Computes the metrics soon, once things settle (after a pause, step, reset or load). */
function metricsSoon() {
  clearTimeout(metricsTimer);
  metricsTimer = setTimeout(guarded(metrics), 300);
}

/** Shows the interpolation between samples `ij[0]` and `ij[1]`: the strip, and the path. */
function showPair(ij) {
  post({ type: 'interpolation', strip: pg.interpolate(ij[0], ij[1]) });
  if (!playing) draw();
}

function trainSteps(steps) {
  const t = performance.now();
  const r = pg.train(steps);
  if (!r.ok) {
    playing = false;
    draw();
    report();
    post({ type: 'diverged', message: r.diverged });
    return false;
  }
  const add = (acc, l) => { acc[0] += l.loss * r.steps; acc[1] += l.recon * r.steps; acc[2] += l.kl * r.steps; };
  add(pending.vae, r.vae);
  add(pending.ae, r.ae);
  pending.steps += r.steps;
  const ms = performance.now() - t;
  if (ms < 1.5) chunk = Math.min(chunk * 2, 256);
  else if (ms > 4 && chunk > 1) chunk = Math.max(1, chunk >> 1);
  return true;
}

const loop = guarded(function loop() {
  scheduled = false;
  if (!playing) return;
  const start = performance.now();
  while (playing && budget > 0 && performance.now() - start < SLICE_MS) {
    let allowed = Math.min(chunk, budget);
    if (rate !== Infinity && budget === Infinity) {
      const due = Math.floor(((performance.now() - playStart) / 1000) * rate) - stepsSincePlay;
      allowed = Math.min(chunk, due);
      if (allowed <= 0) break;
    }
    if (!trainSteps(allowed)) return;
    stepsSincePlay += allowed;
    budget -= allowed;
  }
  if (budget <= 0) {
    // A step(n) request is done: pause there.
    playing = false;
    draw();
    report();
    metricsSoon();
    return;
  }
  const now = performance.now();
  if (now - lastDraw >= FRAME_MS) draw();
  if (now - lastStats >= STATS_MS) report();
  if (now - lastMetrics >= METRICS_MS) metrics();
  if (playing) {
    if (rate !== Infinity) setTimeout(schedule, 4); else schedule();
  }
});

wake.port1.onmessage = loop;

function play(steps = Infinity) {
  budget = steps;
  if (playing) return;
  playing = true;
  playStart = performance.now();
  stepsSincePlay = 0;
  speedWindow = [];
  schedule();
}

const handlers = {
  init(m) {
    ctx.vae = m.canvases.vae.getContext('2d', { alpha: false });
    ctx.ae = m.canvases.ae.getContext('2d', { alpha: false });
    params = new PageParams(m.search || '');
    const values = params.values();
    rate = rateOf(values.speed);
    build(settingsFrom(values));
    postParams(params.notices(), 'link');
    draw();
    report({ firstFrame: true });
    metricsSoon();
  },
  play() { play(); report(); },
  pause() { playing = false; draw(); report(); metricsSoon(); },
  // n steps, then a pause; a long request runs in the loop, so Pause and Reset still work.
  step(m) {
    const n = m.steps === undefined ? 1 : Number(m.steps);
    if (!Number.isInteger(n) || n < 1 || n > MAX_STEP_REQUEST) {
      post({ type: 'settingError', key: 'step', message: `step takes a whole number of steps from 1 to ${MAX_STEP_REQUEST.toLocaleString('en')}, not ${String(m.steps).slice(0, 40)}.` });
      report();
      return;
    }
    playing = false;
    play(n);
  },
  reset() { newRun(); },
  newSeed() {
    params.set('seed', String(randomSeed()));
    newRun();
    postParams();
  },
  set(m) { setting(m.key, m.value); },
  pick(m) {
    const index = pg.pick(m.side, m.x, m.y);
    const decoded = pg.decodeAt(m.x, m.y);
    if (index < 0) {
      if (highlightActive) { highlightActive = false; if (!playing) draw(); }
      post({ type: 'inspect', sample: null, decoded });
      return;
    }
    highlightActive = true;
    if (!playing) draw();
    post({ type: 'inspect', sample: pg.inspect(index), decoded });
  },
  // A click on a sample: the first of a pair, or the second, which shows the interpolation.
  pin(m) {
    const index = pg.pick(m.side, m.x, m.y);
    if (index < 0) {
      post({ type: 'pin', index: null });
      return;
    }
    if (pinned == null || pinned === index) {
      pinned = index;
      post({ type: 'pin', index });
      return;
    }
    showPair([pinned, index]);
    pinned = null;
  },
  randomPair(m) {
    pinned = null;
    showPair(pg.randomPair(Boolean(m.same)));
  },
  clearPair() {
    pinned = null;
    pg.clearPair();
    post({ type: 'interpolation', strip: null });
    if (!playing) draw();
  },
  probe(m) {
    probe = m.pixels ? Float32Array.from(m.pixels) : null;
    let result;
    try {
      result = pg.setProbe(probe);
    } catch (e) {
      probe = null;
      refuse('drawing', e);
      return;
    }
    post({ type: 'probe', probe: result || null });
    if (!playing) draw();
  },
  // A guided experiment: its settings, a new run from the same seed, and training.
  preset(m) {
    for (const [key, value] of Object.entries(m.settings)) params.set(key, String(value));
    build(settingsFrom(params.values()));
    postParams();
    draw();
    play();
    report({ reset: true });
  },
  // Trains one model without drawing, for the benchmark: samples per second.
  bench(m) {
    const trainer = new BenchTrainer(m.model, m.batch);
    trainer.run(20);   // warm up
    const t = performance.now();
    trainer.run(m.steps);
    const seconds = (performance.now() - t) / 1000;
    trainer.free();
    post({ type: 'bench', model: m.model, batch: m.batch, steps: m.steps, samplesPerSecond: (m.steps * m.batch) / seconds });
  },
  exportCodes() {
    post({ type: 'file', name: 'vae-playground-codes.csv', mime: 'text/csv', text: pg.latentsCsv() });
  },
  exportWeights(m) {
    post({ type: 'file', name: `vae-playground-${m.model}-weights.json`, mime: 'application/json', text: pg.weightsJson(m.model) });
  },
  // Loads weights files (from this page or vae-train). If their hidden size or activation
  // differ from the page's, the page is rebuilt to fit them first.
  loadWeights(m) {
    playing = false;
    const infos = [];
    const files = [];
    for (const text of m.texts) {
      try {
        const file = JSON.parse(text);   // the browser's parser; Rust checks what it holds
        infos.push(weightsInfo(file));
        files.push(file);
      } catch (e) {
        if (e instanceof SyntaxError) e = new Error(`this is not a readable weights file: ${e.message}`);
        refuse('weights', e);
        return;
      }
    }
    const bad = infos.find((i) => i.latent !== 2 || i.input !== 64);
    if (bad) {
      post({ type: 'settingError', key: 'weights', message: `these ${bad.model} weights have ${bad.latent} latent dimensions and ${bad.input} inputs; the page shows 2 latent dimensions of 8×8 images (64 inputs).` });
      return;
    }
    const v = params.values();
    const first = infos[0];
    if (infos.some((i) => i.hidden !== first.hidden || i.activation !== first.activation)) {
      post({ type: 'settingError', key: 'weights', message: 'the two weights files have different hidden layers; load them one at a time.' });
      return;
    }
    let rebuilt = false;
    if (first.hidden !== v.hidden || first.activation !== v.activation) {
      // Rebuilt to the file's size: its sizes are within the bounds of the table (Rust's
      // weightsInfo checked them), so the table takes them as they are.
      const before = params.query();
      params.set('hidden', String(first.hidden));
      params.set('activation', first.activation);
      try {
        build(settingsFrom(params.values()));
      } catch (e) {
        params = new PageParams(before);
        refuse('weights', e);
        return;
      }
      rebuilt = true;
    }
    const loaded = [];
    for (const file of files) {
      try { loaded.push(pg.loadWeights(file)); } catch (e) { refuse('weights', e); }
    }
    draw();
    report({ reset: rebuilt });
    postParams();
    post({ type: 'loaded', models: loaded, rebuilt });
    metricsSoon();
  },
  // A figure for slides: both views side by side with a caption of the settings.
  async figure() {
    pg.draw();
    const size = pg.size();
    const s = pg.stats();
    const W = 1600, H = 900, V = 680, top = 80;
    const canvas = new OffscreenCanvas(W, H);
    const g = canvas.getContext('2d');
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, W, H);
    const dataset = DATASETS[params.values().dataset];
    const factor = pg.factor();
    const titles = { vae: `VAE: each ${dataset.item}'s posterior q(z|x), mean ± 1σ`, ae: `Autoencoder: each ${dataset.item}'s code z` };
    const range = s.range;
    ['vae', 'ae'].forEach((side, i) => {
      const x = 90 + i * (V + 110);
      const image = new ImageData(pg.pixels(side), size, size);
      const tile = new OffscreenCanvas(size, size);
      tile.getContext('2d').putImageData(image, 0, 0);
      g.imageSmoothingQuality = 'high';
      g.drawImage(tile, x, top, V, V);
      g.strokeStyle = '#c9ccd1';
      g.strokeRect(x + 0.5, top + 0.5, V, V);
      g.fillStyle = '#1d1d1f';
      g.font = '600 26px system-ui, sans-serif';
      g.fillText(titles[side], x, top - 22);
      g.fillStyle = '#5f6368';
      g.font = '18px system-ui, sans-serif';
      for (const t of ticks(range)) {
        const f = (t + range) / (2 * range);
        const label = (Number.isInteger(t) ? String(t) : t.toFixed(1)).replace('-', '−');
        g.textAlign = 'center';
        g.fillText(label, x + f * V, top + V + 24);
        g.textAlign = 'right';
        g.fillText(label, x - 8, top + (1 - f) * V + 6);
      }
      g.textAlign = 'left';
    });
    g.fillStyle = '#1d1d1f';
    g.font = '20px system-ui, sans-serif';
    const lr = Number(s.lr.toPrecision(3));
    g.fillText(`${dataset.title}, step ${s.steps} (epoch ${s.epochs}); β = ${s.beta}, learning rate ${lr}, batch ${s.batch}, ${s.noise === 'sample' ? 'z sampled' : 'z = μ'} while training, seed ${s.seed}; mean σ ${s.meanSigma.toFixed(3)}.${s.outsideAe ? ` ${s.outsideAe} AE codes lie outside the axes.` : ''}`, 90, top + V + 62);
    if (factor === 'class') {
      classColours().forEach((colour, digit) => {
        const x = 90 + digit * 120;
        g.fillStyle = colour;
        g.beginPath();
        g.arc(x + 8, top + V + 92, 8, 0, 2 * Math.PI);
        g.fill();
        g.fillStyle = '#1d1d1f';
        g.fillText(`digit ${digit}`, x + 22, top + V + 99);
      });
    } else {
      // The colour map of the hidden factor, small, with what it means.
      const n = 48;
      const tile = new OffscreenCanvas(n, n);
      tile.getContext('2d').putImageData(new ImageData(pg.legend(n), n, n), 0, 0);
      g.drawImage(tile, 90, top + V + 74, 36, 36);
      g.fillStyle = '#1d1d1f';
      g.fillText(factor === 'angle'
        ? 'colour: the bar\'s angle, round the ring (0° to 180°, which is 0° again)'
        : 'colour: the blob\'s position, x left to right and y bottom to top', 140, top + V + 99);
    }
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    post({ type: 'file', name: 'vae-playground-figure.png', blob });
  },
  debugPanic() { pg.debugPanic(); },
  // For the tests: whether this worker may fetch `url` (its own content-security policy, sent
  // with its script, forbids other origins).
  async debugFetch(m) {
    let allowed;
    try { await fetch(m.url); allowed = true; } catch { allowed = false; }
    post({ type: 'debugFetch', allowed });
  },
};

self.onmessage = guarded((event) => {
  const m = event.data;
  const handler = handlers[m.type];
  if (!handler) return;
  if (m.seq != null) seq = m.seq;
  try {
    const done = handler(m);
    if (done instanceof Promise) done.catch(fail);
  } catch (e) {
    if (m.type === 'init' || m.type === 'reset' || m.type === 'newSeed') {
      // A setting the model refused: say so and keep whatever ran before.
      if (e instanceof Error && !isTrap(e)) {
        post({ type: 'settingError', key: 'settings', message: e.message });
        return;
      }
    }
    throw e;
  }
});

self.onerror = (e) => { fail(e.message || e); };
self.onunhandledrejection = (e) => { fail(e.reason); };

try {
  // The single-file build hands the wasm over as bytes; otherwise it is fetched beside this file.
  const bytes = globalThis.VAE_PLAYGROUND_WASM;
  await init(bytes ? { module_or_path: bytes } : undefined);
  post({ type: 'ready', palette: classColours() });
} catch (e) {
  fail(e);
}

// The training worker: owns the Rust playground (VAE + AE), trains in short slices so that it
// can still hear the page, draws both latent views into the canvases the page handed over,
// and reports losses and counters. The page's main thread never runs the model.
import init, { BenchTrainer, PageParams, Playground, classColours, lastPanic, randomSeed, ticks } from './vae-playground.js';

const SLICE_MS = 12;          // training time between two looks at the message queue
const FRAME_MS = 1000 / 30;   // redraw the views at most 30 times a second... and at least
const STATS_MS = 100;         // report counters this often

let pg = null;                // the Rust Playground
let params = null;            // the page's URL parameters (Rust's typed table)
let ctx = { vae: null, ae: null };
let playing = false;
let rate = Infinity;          // steps per second allowed; Infinity = as fast as possible
let lastDraw = 0, lastStats = 0, playStart = 0, stepsSincePlay = 0;
let chunk = 1;                // steps per train() call, adapted to take about 2 ms
let pending = { steps: 0, vae: [0, 0, 0], ae: [0, 0, 0] };   // losses since the last report
let speedWindow = [];         // [time, steps] samples for samples/s
let highlightActive = false;
let dead = false;             // after a Rust panic the module cannot be used again
let seq = 0;                  // the last play/pause command handled, echoed in reports
let ticksRange = null;        // the range whose tick labels the page has

// Yields to the message queue without setTimeout's 4 ms clamp: the loop wakes itself up.
const wake = new MessageChannel();
const schedule = () => wake.port2.postMessage(0);

function post(message) { self.postMessage(message); }

function fail(error) {
  dead = true;
  playing = false;
  const panic = (() => { try { return lastPanic(); } catch { return null; } })();
  post({ type: 'error', message: panic || String(error && error.message || error) });
}

function guarded(fn) {
  return (...args) => {
    if (dead) return;
    try { return fn(...args); } catch (e) { fail(e); }
  };
}

/** The Playground settings that the URL parameters describe. */
function settingsFrom(v) {
  const { seed, beta, lr, noise, batch, hidden, activation, range } = v;
  return { seed, beta, lr, noise, batch, hidden, activation, ...(range === 'fit' ? { fit: true } : { range, fit: false }) };
}

function postQuery() { post({ type: 'query', query: params.query() }); }

function build(s) {
  const next = new Playground(s);   // throws a readable message for a bad setting
  if (pg) pg.free();
  pg = next;
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
  pending = { steps: 0, vae: [0, 0, 0], ae: [0, 0, 0] };
  lastStats = now;
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
  if (!playing) return;
  const start = performance.now();
  while (playing && performance.now() - start < SLICE_MS) {
    let allowed = chunk;
    if (rate !== Infinity) {
      const due = Math.floor(((performance.now() - playStart) / 1000) * rate) - stepsSincePlay;
      allowed = Math.min(chunk, due);
      if (allowed <= 0) break;
    }
    if (!trainSteps(allowed)) return;
    stepsSincePlay += allowed;
  }
  const now = performance.now();
  if (now - lastDraw >= FRAME_MS) draw();
  if (now - lastStats >= STATS_MS) report();
  if (playing) {
    if (rate !== Infinity) setTimeout(schedule, 4); else schedule();
  }
});

wake.port1.onmessage = loop;

function play() {
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
    rate = values.speed === 'max' ? Infinity : values.speed;
    build(settingsFrom(values));
    post({ type: 'params', values, notices: params.notices(), query: params.query() });
    draw();
    report({ firstFrame: true });
  },
  play() { play(); report(); },
  pause() { playing = false; draw(); report(); },
  step(m) {
    playing = false;
    if (trainSteps(m.steps || 1)) { draw(); report(); }
  },
  reset() {
    playing = false;
    build(settingsFrom(params.values()));
    draw();
    report({ reset: true });
  },
  newSeed() {
    playing = false;
    params.set('seed', String(randomSeed()));
    build(settingsFrom(params.values()));
    draw();
    report({ reset: true });
    postQuery();
  },
  set(m) {
    try {
      pg.set(m.key, m.value);
    } catch (e) {
      post({ type: 'settingError', key: m.key, message: e.message });
      report();
      return;
    }
    params.set(m.key === 'fit' ? 'range' : m.key, m.key === 'fit' ? 'fit' : String(m.value));
    postQuery();
    if (!playing || m.key === 'range' || m.key === 'fit') draw();
    report();
  },
  speed(m) {
    rate = m.stepsPerSecond === 'max' ? Infinity : Number(m.stepsPerSecond);
    playStart = performance.now();
    stepsSincePlay = 0;
    params.set('speed', String(m.stepsPerSecond));
    postQuery();
  },
  pick(m) {
    const index = pg.pick(m.side, m.x, m.y);
    if (index < 0) {
      if (highlightActive) { highlightActive = false; if (!playing) draw(); }
      post({ type: 'inspect', sample: null });
      return;
    }
    highlightActive = true;
    if (!playing) draw();
    post({ type: 'inspect', sample: pg.inspect(index) });
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
  debugPanic() { pg.debugPanic(); },
};

self.onmessage = guarded((event) => {
  const m = event.data;
  const handler = handlers[m.type];
  if (!handler) return;
  if (m.seq != null) seq = m.seq;
  try {
    handler(m);
  } catch (e) {
    if (m.type === 'init' || m.type === 'reset' || m.type === 'newSeed') {
      // A setting the model refused: say so and keep whatever ran before.
      if (e instanceof Error && !(e instanceof WebAssembly.RuntimeError)) {
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
  await init();
  post({ type: 'ready', palette: classColours() });
} catch (e) {
  fail(e);
}

// A model's worker: one model of the lab (one recipe), its training and its latent view. The
// page runs one of these per model, so that on a machine with a core per model they train in
// parallel, and keeps them in lockstep: each trains up to the step limit the page gives it
// (a little ahead of the slowest), in short slices so that it can still hear the page, draws
// its view into the canvas the page handed over, and reports its losses and counters. The
// page's main thread never runs a model.
import init, { BenchTrainer, MatmulBench, PageParams, Playground, classColours, csvTooLarge, dataFile, dataMissing, lastPanic, loadCsv, loadData, OwnImages, ownLimits, ticks, weightsInfo } from './vae-playground.js';

const SLICE_MS = 12;          // training time between two looks at the message queue
const FRAME_MS = 1000 / 30;   // redraw the view at most 30 times a second
const TRAIN_PER_DRAW = 3;     // and train at least 3 times as long as a frame took between two
                              // (28 × 28 data: a frame takes 10 to 40 ms)
const MAP_EVERY = 3;          // while training, decode the map under the view every third frame
const STATS_MS = 100;         // report counters this often
const METRICS_MS = 5000;      // trustworthiness, continuity, path-length ratio this often
const METRICS_EARLY_MS = 1500; // or up to this much sooner, while waiting for the other models
const TEAR_REPORT_MS = 400;
const TEAR_CHUNK = 8;         // decoder-only steps of the tear between two looks at the clock
const PULL_MS = 1000;         // what holding a pair apart costs, this often while training   // the tear's figures (two decoders on the whole data set) this often
const NEIGHBOUR_MS = 2;       // time for a few rows of the input space's neighbour tables at a
                              // time while training (their count adapts: 8 rows of the digits,
                              // 1 or 2 of MNIST's 784 pixels)

let pg = null;                // this model's Rust Playground
let params = null;            // the page's URL parameters (Rust's typed table)
let member = 0;               // this model's place in the lab's list
let recipe = 'vae';           // this model's recipe
let ctx = null;
let tilesCtx = null;          // the decoder map's grid of tiles, in its own canvas
let tilesOn = false;          // whether the page shows that grid
let tilesShown = 0;           // the grid's drawing the canvas has
let playing = false;
let steps = 0;                // this model's step count
let target = Infinity;        // pause on reaching this step (an advance), or play on
let limit = 0;                // the lockstep limit: never train past it
let waiting = false;          // stopped at the limit until the page raises it
let headsUp = Infinity;       // tell the page the step count here, a quarter of the way to
                              // the limit, so that a new limit comes well before this one is
                              // reached (halfway, the slowest model still waited at times)
/** A new lockstep limit, and where to ask for the next. */
function setLimit(next) {
  limit = next;
  headsUp = steps + Math.floor((next - steps) / 4);
}
let rate = Infinity;          // steps per second allowed; Infinity = as fast as possible
/** Whether training keeps to the set speed (a step(n) runs as fast as it can). */
const throttled = () => rate !== Infinity && target === Infinity;
let lastDraw = 0, lastStats = 0, playStart = 0, stepsSincePlay = 0;
let frames = 0;               // frames drawn, for the map's refresh while training (and the benchmark)
let chunk = 1;                // steps per train() call, adapted to take about 2 ms
let pending = { steps: 0, sum: [0, 0, 0] };   // losses since the last report
let speedWindow = [];         // [time, steps] samples for samples/s
let dead = false;             // after a Rust panic the module cannot be used again
let seq = 0;                  // the last play/pause command handled, echoed in reports
let ticksRange = null;        // the range whose tick labels the page has
let lastMetrics = 0;
let metricsTimer = null;
let drawing = null;           // the drawing's values (one per pixel of the data's images), or null
let lastLive = 0;             // when the strip and the drawing's reading were last refreshed
let tear = null;              // the tear under way: { total, done, running, lastReport }
let pulling = false;          // whether a pair is held apart (its cost is reported each second)
let lastPull = 0;
let neighbourRows = 8;        // rows of the neighbour tables built at a time (see NEIGHBOUR_MS)
let awaiting = null;          // { name, resume, fail }: what waits for that data set's file
let ownToken = 0;             // the newest load of one's own files (an older one is dropped)

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

/** The settings in force, for the page to render its controls from, with any notices. */
function postParams(notices = [], source = 'setting') {
  post({ type: 'params', values: params.values(), notices, source, query: params.query(), runKeys: params.runKeys() });
}

function rateOf(speed) { return speed === 'max' ? Infinity : speed; }

/** This model's Playground settings, from the URL parameters. */
function settingsFrom(v) {
  const { dataset, seed, beta, lr, noise, batch, hidden, activation, range, map } = v;
  return { recipe, dataset, seed, beta, lr, noise, batch, hidden, activation, map, ...(range === 'fit' ? { fit: true } : { range, fit: false }) };
}

/** Tells the page what the colours mean: classes, or a colour map it can show. */
function postLegend() {
  const size = 96;
  const pixels = pg.legend(size);
  post({ type: 'legend', factor: pg.factor(), size, pixels: pixels || null, palette: classColours(), classes: pg.classes() });
}

/** What holding the pair apart costs now (two passes over the data set: about 10 ms). */
function postPull() {
  lastPull = performance.now();
  post({ type: 'pull', report: pg.pullReport() || null });
}

function build() {
  tear = null;
  pulling = false;
  const next = new Playground(settingsFrom(params.values()));   // throws a readable message for a bad setting
  if (pg) pg.free();
  pg = next;
  pg.setTiles(tilesOn);
  tilesShown = 0;
  steps = 0;
  if (member === 0) postLegend();
  post({ type: 'strip', strip: null });
  if (drawing) post({ type: 'drawing', reading: pg.setDrawing(drawing) || null });
  pending = { steps: 0, sum: [0, 0, 0] };
  speedWindow = [];
}

/**
 * Whether the data set `name` can be built now (Rust knows what it has been handed). If its
 * file is missing, asks the page for it (which fetches it once, with a progress bar) and runs
 * `resume` when it comes, or `fail(message)` if it cannot be had; data of one's own that is
 * missing (a link's dataset=own) fails at once.
 */
function haveData(name, resume, fail) {
  const missing = dataMissing(name);
  if (!missing) return true;
  const file = dataFile(name);
  if (!file) { fail(missing); return false; }
  awaiting = { name, resume, fail };
  post({ type: 'needData', name, file });
  return false;
}

/**
 * Reads a visitor's own files into the data set `own` (Rust checks them: crate/src/csv.rs,
 * crate/src/own_images.rs): one CSV file, or images, each decoded by the browser and scaled
 * down to at most twice the sample's side (the crop to its ink comes after). Every model's
 * worker reads the same files the same way. Resolves to `{name, samples, imageSize,
 * classes}`; rejects with a sentence.
 */
async function readOwn(m) {
  if (m.kind === 'csv') {
    const { file } = m.files[0];
    const large = csvTooLarge(file.size);
    if (large) throw new Error(large);
    const text = await file.text();
    if (m.token !== ownToken) throw new Error('a newer choice of files came');
    return loadCsv(file.name, text);
  }
  const limits = ownLimits();
  if (m.files.length > limits.images) throw new Error(`${m.files.length.toLocaleString('en')} images are more than the ${limits.images.toLocaleString('en')} a data set may hold`);
  const set = new OwnImages(m.side, m.invert);
  try {
    for (const { file, path } of m.files) {
      if (file.size > limits.imageBytes) throw new Error(`${path} is ${(file.size / 1e6).toFixed(0)} MB; images of up to ${limits.imageBytes / 1e6} MB are read`);
      await addImage(set, file, path, m.side);
      if (m.token !== ownToken) throw new Error('a newer choice of files came');
    }
    return set.finish(m.name);
  } finally {
    set.free();
  }
}

/** Decodes one image, scaled down to at most twice the sample's side (the crop to its ink
 * comes after, in Rust), and adds it to `set`. */
async function addImage(set, file, path, side) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${path} is not an image this browser can read (PNG, JPEG or WebP)`);
  }
  const scale = Math.min(1, (2 * side) / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale)), h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(w, h);
  const g = canvas.getContext('2d');
  g.imageSmoothingQuality = 'high';
  g.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  set.add(path, w, h, new Uint8Array(g.getImageData(0, 0, w, h).data.buffer));
}

/** Starts a new run from the settings in force (as loading their link would). */
function newRun() {
  playing = false;
  build();
  draw();
  report({ reset: true });
  metricsSoon();
}

let frameTime = { draw: 0, put: 0, frames: 0 };   // where the frames' time went since the last report
let lastDrawMs = 0;           // how long the last frame took

/** The time from the start of one frame to the start of the next while training: a thirtieth
 * of a second, unless frames are slow (then each is followed by training three times as long
 * as it took). */
const frameInterval = () => Math.max(FRAME_MS, (1 + TRAIN_PER_DRAW) * lastDrawMs);
/** Whether the next frame is due while training. */
const frameDue = (now) => now - lastDraw >= frameInterval();

/** The canvases' images, kept from frame to frame (a frame then makes no garbage). */
const images = {};
/** `pixels` (a view of the module's memory) copied into the image kept under `name`. */
function framed(name, pixels, side) {
  let image = images[name];
  if (!image || image.width !== side) image = images[name] = new ImageData(side, side);
  image.data.set(pixels);
  return image;
}

function draw() {
  frames += 1;
  const t0 = performance.now();
  // While a model trains (or a tear retrains its decoder), its map changes slowly: decode it
  // on every third frame only. While it trains as fast as it can, the view draws the codes
  // its batches computed and encodes at most a quarter of the samples itself; at a set
  // speed, a frame encodes every sample.
  const busy = playing || (tear && tear.running);
  pg.draw(!busy || frames % MAP_EVERY === 0, playing && !throttled());
  const t1 = performance.now();
  if (ctx) {
    const size = pg.size();
    ctx.putImageData(framed('view', pg.pixels(), size), 0, 0);
  }
  if (tilesCtx && tilesOn && pg.tilesDrawn() !== tilesShown) {
    tilesShown = pg.tilesDrawn();
    const side = pg.tilesSize();
    if (tilesCtx.canvas.width !== side) { tilesCtx.canvas.width = side; tilesCtx.canvas.height = side; }
    tilesCtx.putImageData(framed('tiles', pg.tilesPixels(), side), 0, 0);
  }
  const end = performance.now();
  // Frames keep to their slots: one drawn a little after its slot (the training chunk under
  // way when it came due) does not put off the next, so the views redraw 30 times a second,
  // not about 28. One drawn early (paused, on the page's request) or long after starts anew.
  const slot = lastDraw + frameInterval();
  lastDraw = t0 >= slot && t0 - slot < FRAME_MS ? slot : t0;
  lastDrawMs = end - t0;
  frameTime.draw += t1 - t0;
  frameTime.put += end - t1;
  frameTime.frames += 1;
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
  const loss = n ? { loss: pending.sum[0] / n, recon: pending.sum[1] / n, kl: pending.sum[2] / n } : null;
  // Milliseconds a frame took on average: Rust encoding and drawing the view, and the copy
  // of its pixels to the canvas (the benchmark reports them).
  const f = frameTime.frames;
  const frameMs = f ? { draw: frameTime.draw / f, put: frameTime.put / f } : null;
  frameTime = { draw: 0, put: 0, frames: 0 };
  post({ type: 'stats', seq, stats, playing, samplesPerSecond: sps, loss, frameMs, framesDrawn: frames, ...extra });
  // The walk's strip and the drawing's reading follow the model: at most every 300 ms while
  // training, and at every report otherwise (after a step, a pause, loaded weights).
  if (!playing || now - lastLive > 300) {
    lastLive = now;
    const strip = pg.strip();
    if (strip) post({ type: 'strip', strip });
    if (drawing) post({ type: 'drawing', reading: pg.drawing() || null });
  }
  pending = { steps: 0, sum: [0, 0, 0] };
  lastStats = now;
}

/** Trustworthiness, continuity and the path-length ratio, sent to the page. The input space's
 * tables come first, a few rows per call (over a second in all), so that they never hold up
 * training: while playing the loop calls again; while paused, a timer does. */
function metrics() {
  clearTimeout(metricsTimer);
  metricsTimer = null;
  if (dead || !pg) return;
  const t = performance.now();
  const ready = pg.prepareNeighbours(neighbourRows);
  const ms = performance.now() - t;
  if (ms > 1.5 * NEIGHBOUR_MS && neighbourRows > 1) neighbourRows >>= 1;
  else if (ms < NEIGHBOUR_MS / 2) neighbourRows = Math.min(neighbourRows * 2, 64);
  if (!ready) {
    if (!playing) metricsTimer = setTimeout(guarded(metrics), 0);
    return;
  }
  const t0 = performance.now();
  let m;
  try {
    m = pg.neighbourhood();
  } catch (e) {
    if (isTrap(e)) throw e;
    lastMetrics = performance.now();   // a set too small to measure: the readouts stay empty
    return;
  }
  lastMetrics = performance.now();
  post({ type: 'metrics', steps, ms: lastMetrics - t0, ...m });
}

/** Computes the metrics soon, once things settle (after a pause, step, reset or load). */
function metricsSoon() {
  clearTimeout(metricsTimer);
  metricsTimer = setTimeout(guarded(metrics), 300);
}

function trainSteps(n) {
  const t = performance.now();
  const r = pg.train(n);
  if (!r.ok) {
    playing = false;
    draw();
    report();
    post({ type: 'diverged', message: r.diverged });
    return false;
  }
  steps += r.steps;
  pending.sum[0] += r.loss.loss * r.steps;
  pending.sum[1] += r.loss.recon * r.steps;
  pending.sum[2] += r.loss.kl * r.steps;
  pending.steps += r.steps;
  const ms = performance.now() - t;
  if (ms < 1.5) chunk = Math.min(chunk * 2, 256);
  else if (ms > 4 && chunk > 1) chunk = Math.max(1, chunk >> 1);
  return true;
}

/** Stops where it is: the page hears the step it stopped at. */
function stop() {
  playing = false;
  waiting = false;
  pg.settleView();
  draw();
  report();
  if (pulling) postPull();
  metricsSoon();
}

/** The tear's figures so far, to the page. */
function tearReport() {
  tear.lastReport = performance.now();
  post({ type: 'tear', report: pg.tearReport(), total: tear.total, running: tear.running });
}

/** A slice of the tear's decoder-only retraining, then a look at the message queue. */
function tearSlice() {
  const start = performance.now();
  while (tear.done < tear.total && performance.now() - start < SLICE_MS) {
    const k = Math.min(TEAR_CHUNK, tear.total - tear.done);
    pg.advanceTear(k);
    tear.done += k;
  }
  const now = performance.now();
  if (tear.done >= tear.total) {
    tear.running = false;
    draw();
    tearReport();
    return;
  }
  if (frameDue(now)) draw();
  if (now - tear.lastReport >= TEAR_REPORT_MS) tearReport();
  schedule();
}

const loop = guarded(function loop() {
  scheduled = false;
  if (tear && tear.running) { tearSlice(); return; }
  if (!playing) return;
  const start = performance.now();
  // A slice ends early when a frame is due, so that the views redraw close to 30 times a
  // second (slices alone spaced the frames by whole slices: about 20 a second). (Training one
  // chunk first whenever a frame was due trained MNIST a fifth slower, measured side by side.)
  for (let now = start; playing && now - start < SLICE_MS && !frameDue(now); now = performance.now()) {
    let allowed = Math.min(chunk, target - steps, limit - steps);
    if (throttled()) {
      const due = Math.floor(((performance.now() - playStart) / 1000) * rate) - stepsSincePlay;
      allowed = Math.min(allowed, due);
    }
    if (allowed <= 0) break;
    if (!trainSteps(allowed)) return;
    stepsSincePlay += allowed;
  }
  if (steps >= target) { stop(); return; }
  const now = performance.now();
  if (frameDue(now)) draw();
  if (now - lastStats >= STATS_MS) report();
  if (now - lastMetrics >= METRICS_MS) metrics();
  if (pulling && now - lastPull >= PULL_MS) postPull();
  if (steps >= headsUp && steps < limit) {
    headsUp = Infinity;
    post({ type: 'at', steps });
  }
  if (steps >= limit) {
    // In lockstep: wait here until the page raises the limit (the others caught up). The
    // metrics, if due soon, take the wait instead of holding this model up later, when the
    // others could then reach the limit and wait for it.
    waiting = true;
    post({ type: 'at', steps });
    if (now - lastMetrics >= METRICS_MS - METRICS_EARLY_MS) metrics();
    return;
  }
  if (playing) {
    if (throttled()) setTimeout(schedule, 4); else schedule();
  }
});

wake.port1.onmessage = loop;

/** Trains until step `to` (Infinity: on and on), within the lockstep limit. */
function run(to, newLimit) {
  endTear();
  target = to;
  setLimit(newLimit);
  waiting = false;
  playing = true;
  playStart = performance.now();
  stepsSincePlay = 0;
  speedWindow = [];
  schedule();
}

/** Puts a setting in force in the running model (those that change without a new run). */
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
 * notice, to render its controls and URL from. A refused value changes nothing. Every model's
 * worker does the same, by the same table, so they agree.
 */
function setting(key, raw) {
  // A data set read from a file: the run goes on until the file is here.
  if (key === 'dataset' && raw != null && !haveData(String(raw), () => setting(key, raw), (message) => { refuse(key, new Error(message)); postParams(); })) return;
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
    if (!params.runKeys().includes(key)) applyLive(key, v);
    else if (key !== 'models') newRun();   // a new lab of models: the page starts new workers
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

/** Ends the tear, if one runs: the view shows the model as trained again. */
function endTear() {
  if (!tear) return;
  tear = null;
  pg.endTear();
  post({ type: 'tear', report: null, total: 0, running: false });
}

const handlers = {
  // Tears the plane of the model as trained so far and retrains copies of its decoder with
  // and without the tear for `steps` steps, drawing the torn codes and reporting the price.
  // The page pauses training first; training again ends it.
  tear(m) {
    if (playing) stop();
    pg.startTear();
    tear = { total: m.steps, done: 0, running: true, lastReport: 0 };
    draw();
    report();
    tearReport();
    schedule();
  },
  // Holds a pair apart while training (a negative distance lets go), and says what it costs.
  pull(m) {
    try {
      pg.setPull(m.i, m.j, m.distance);
    } catch (e) {
      refuse('pull', e);
      return;
    }
    pulling = m.distance >= 0;
    if (pulling) postPull();
  },
  similarPair() { post({ type: 'similarPair', pair: Array.from(pg.similarPair()) }); },
  // Samples from this model's prior, decoded and scored (see crate/src/prior.rs).
  prior(m) {
    post({ type: 'prior', result: pg.samplePrior(m.n) });
    if (!playing) draw();
  },
  untear() {
    endTear();
    draw();
    report();
  },
  // The lead model's worker reads the link first, so that the page knows the lab's models.
  params(m) {
    params = new PageParams(m.search || '');
    postParams(params.notices(), 'link');
  },
  init(m) {
    member = m.member;
    recipe = m.recipe;
    ctx = m.canvas.getContext('2d', { alpha: false });
    tilesCtx = m.tiles ? m.tiles.getContext('2d', { alpha: false }) : null;
    tilesOn = Boolean(m.tiles && m.tilesOn);
    params = new PageParams(m.search || '');
    rate = rateOf(params.values().speed);
    const start = () => {
      build();
      draw();
      report({ firstFrame: true });
      metricsSoon();
    };
    // Without its data set's file this model has nothing to fall back on: the default data.
    const fallBack = (message) => {
      params.clear('dataset');
      post({ type: 'settingError', key: 'dataset', message });
      postParams();
      start();
    };
    if (haveData(params.values().dataset, start, fallBack)) start();
  },
  // A visitor's own files: read, checked and kept as the data set `own` (the page then starts
  // a run on it once every model's worker has it). The run goes on meanwhile.
  async own(m) {
    ownToken = m.token;
    let summary;
    try {
      summary = await readOwn(m);
    } catch (e) {
      if (isTrap(e)) throw e;
      post({ type: 'ownLoaded', token: m.token, error: e && e.message || String(e) });
      return;
    }
    post({ type: 'ownLoaded', token: m.token, summary });
  },
  // The file of the data set a build waits for, fetched by the page (or why it could not be).
  data(m) {
    const wait = awaiting;
    if (!wait || wait.name !== m.name) return;
    awaiting = null;
    if (m.error) { wait.fail(m.error); return; }
    try {
      loadData(m.name, new Uint8Array(m.bytes));
    } catch (e) {
      if (isTrap(e)) throw e;
      wait.fail(`data/${dataFile(m.name)} is not a usable data file: ${e.message}`);
      return;
    }
    wait.resume();
  },
  play(m) { run(Infinity, m.limit); report(); },
  limit(m) {
    setLimit(m.limit);
    if (playing && waiting && steps < limit) { waiting = false; schedule(); }
  },
  pause() { stop(); },
  // Trains to step `to`, then pauses: a step(n) of the lab, or catching up after a pause. A
  // long request runs in the loop, so Pause and Reset still work.
  advance(m) {
    // `epochs`: to the end of that epoch of a new run (a guided experiment's length).
    const to = m.epochs != null ? m.epochs * pg.stats().batchesPerEpoch : m.to;
    if (to <= steps) { stop(); return; }
    run(to, to);
  },
  reset() {
    if (haveData(params.values().dataset, newRun, (message) => refuse('dataset', new Error(message)))) newRun();
  },
  // The page shows the decoder map's grid of tiles (or has hidden it).
  tiles(m) {
    tilesOn = Boolean(tilesCtx && m.on);
    pg.setTiles(tilesOn);
    tilesShown = 0;
    if (!playing) draw();
  },
  set(m) { setting(m.key, m.value); },
  // The pointer over this model's view: the sample under it and the latent point.
  pick(m) {
    post({ type: 'picked', index: pg.pick(m.x, m.y), z: pg.toLatent(m.x, m.y), click: Boolean(m.click), from: m.from });
    if (!playing) draw();
  },
  // Outlines sample `index` in the view, or none (null).
  highlight(m) {
    pg.setHighlight(m.index == null ? -1 : m.index);
    if (!playing) draw();
  },
  // What this model makes of sample `index` and of latent point `z` (from any model's view).
  inspect(m) {
    pg.setHighlight(m.index == null ? -1 : m.index);
    const sample = m.index == null ? null : pg.inspect(m.index) || null;
    const decoded = m.z ? pg.decodeAt(m.z[0], m.z[1]) : null;
    post({ type: 'inspection', sample, decoded, z: m.z || null });
    if (!playing) draw();
  },
  pair(m) {
    const strip = pg.interpolate(m.i, m.j) || null;
    if (!strip && m.check) {
      const n = pg.stats().samples;
      post({ type: 'settingError', key: 'pair', message: `pair=${m.i},${m.j}: this data set has ${n} samples, numbered 0 to ${n - 1}, so no walk is shown.` });
    }
    post({ type: 'strip', strip });
    if (!playing) draw();
  },
  randomPair(m) { post({ type: 'randomPair', pair: pg.randomPair(Boolean(m.same)) }); },
  clearPair() {
    pg.clearPair();
    post({ type: 'strip', strip: null });
    if (!playing) draw();
  },
  drawing(m) {
    drawing = m.pixels ? Float32Array.from(m.pixels) : null;
    let reading;
    try {
      reading = pg.setDrawing(drawing);
    } catch (e) {
      drawing = null;
      refuse('drawing', e);
      return;
    }
    post({ type: 'drawing', reading: reading || null });
    if (!playing) draw();
  },
  // A guided experiment: its settings and a new run from the same seed (the page then plays).
  preset(m) {
    for (const [key, value] of Object.entries(m.settings)) params.set(key, String(value));
    // Before a new lab (quiet), the lab that comes reads these settings; this one stops.
    if (m.quiet) return;
    postParams();
    newRun();
  },
  // Trains one model without drawing, for the benchmark: samples per second.
  bench(m) {
    const trainer = new BenchTrainer(m.model, m.batch, m.side || 8);
    trainer.run(20);   // warm up
    const t = performance.now();
    trainer.run(m.steps);
    const seconds = (performance.now() - t) / 1000;
    trainer.free();
    post({ type: 'bench', model: m.model, batch: m.batch, side: m.side || 8, steps: m.steps, samplesPerSecond: (m.steps * m.batch) / seconds });
  },
  // The peak of a large matrix product through the same kernel, for the benchmark.
  peak(m) {
    const bench = new MatmulBench(m.n);
    bench.run(2);   // warm up
    let best = Infinity;
    for (let i = 0; i < m.reps; i++) {
      const t = performance.now();
      bench.run(4);
      best = Math.min(best, (performance.now() - t) / 4);
    }
    bench.free();
    post({ type: 'bench', peak: (2 * m.n ** 3) / (best / 1000) / 1e9 });
  },
  exportCodes() { post({ type: 'codes', header: pg.latentsCsvHeader(), rows: pg.latentsCsvRows() }); },
  exportWeights() {
    let text;
    try { text = pg.weightsJson(); } catch (e) { refuse('weights', e); return; }
    post({ type: 'weights', recipe, text });
  },
  // The view as it is, with this model's counters, for the page's figure.
  view() {
    draw();
    post({ type: 'view', size: pg.size(), pixels: new Uint8ClampedArray(pg.pixels()), stats: pg.stats(), factor: pg.factor(), legend: pg.legend(48) || null, palette: classColours() });
  },
  // Loads weights files (from this page or vae-train) into this model: those of its kind. If
  // their hidden size or activation differ from the lab's, the run is rebuilt to fit them
  // first (every model's worker does the same, so the lab stays one size).
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
    const [w, h] = pg.stats().imageSize;
    const bad = infos.find((i) => i.latent !== 2 || i.input !== w * h);
    if (bad) {
      post({ type: 'settingError', key: 'weights', message: `these ${bad.model} weights have ${bad.latent} latent dimensions and ${bad.input} inputs; the page shows 2 latent dimensions of this data set's ${w}×${h} images (${w * h} inputs).` });
      return;
    }
    const v = params.values();
    const first = infos[0];
    if (infos.some((i) => i.hidden !== first.hidden || i.activation !== first.activation)) {
      post({ type: 'settingError', key: 'weights', message: 'the weights files have different hidden layers; load them one at a time.' });
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
        build();
      } catch (e) {
        params = new PageParams(before);
        refuse('weights', e);
        return;
      }
      rebuilt = true;
    }
    const kind = recipe.split(':')[0];
    const loaded = [];
    files.forEach((file, i) => {
      if (infos[i].model !== kind) return;
      try { pg.loadWeights(file); loaded.push(infos[i].model); } catch (e) { refuse('weights', e); }
    });
    if (loaded.length) endTear();   // a tear was of the weights replaced (Rust ended it too)
    draw();
    report({ reset: rebuilt });
    postParams();
    post({ type: 'loaded', models: loaded, rebuilt });
    metricsSoon();
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

/** Messages that came while a build waited for its data set's file, handled after it. */
let held = [];

self.onmessage = guarded((event) => handle(event.data));

function handle(m) {
  if (m.type === 'boot') { boot(m.module); return; }
  if (awaiting) {
    if (m.type === 'set' && m.key === 'dataset') {
      // Another data set asked for while a file comes: the wait is dropped (the old run goes
      // on), and the messages held meanwhile come first, then this one.
      awaiting = null;
      held.push(m);
      drain();
      return;
    }
    if (m.type === 'pause' && pg) {
      stop();   // the run going on pauses at once; what waits for the file comes after
      held.push(m);
      return;
    } else if (m.type !== 'data') { held.push(m); return; }
  }
  const handler = handlers[m.type];
  if (!handler) return;
  if (m.seq != null) seq = m.seq;
  try {
    const done = handler(m);
    if (done instanceof Promise) done.catch(fail);
  } catch (e) {
    if (m.type === 'init' || m.type === 'reset' || m.type === 'data') {
      // A setting the model refused: say so and keep whatever ran before.
      if (e instanceof Error && !isTrap(e)) {
        post({ type: 'settingError', key: 'settings', message: e.message });
        return;
      }
    }
    throw e;
  } finally {
    if (m.type === 'data') drain();
  }
}

/** Handles the messages held while a file came, until one waits for a file again. */
function drain() {
  while (!awaiting && held.length) handle(held.shift());
}

self.onerror = (e) => { fail(e.message || e); };
self.onunhandledrejection = (e) => { fail(e.reason); };

/**
 * Loads the model's code: the page hands over the compiled module (compiled by the page, or
 * else by the first worker), so that the wasm is fetched and compiled once for the whole lab.
 * Without one, this worker compiles it: from the bytes the single-file build carries, or
 * fetched beside this file.
 */
async function boot(module) {
  try {
    const bytes = globalThis.VAE_PLAYGROUND_WASM;
    const compiled = module || await (bytes
      ? WebAssembly.compile(bytes)
      : WebAssembly.compileStreaming(fetch(new URL('vae-playground_bg.wasm', self.location.href))));
    await init({ module_or_path: compiled });
    post({ type: 'ready', palette: classColours(), module: compiled });
  } catch (e) {
    fail(e);
  }
}

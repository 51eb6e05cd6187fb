// A model's worker, its loop: the model built from the settings in force, the training loop (in
// short slices, within the lockstep limit the page gives, at the set speed), the one way a
// setting changes, and the tear's retraining when one runs.
import { classColours, dataFile, dataMissing, PageParams, Playground } from './vae-playground.js';
import { SLICE_MS, STATS_MS, METRICS_MS, METRICS_EARLY_MS, TEAR_REPORT_MS, TEAR_CHUNK, PULL_MS, w, setLimit, throttled, rateOf, wake, schedule, post, refuse, guarded } from './worker-state.js';
import { frameDue, draw, report, metrics, metricsSoon } from './worker-frame.js';

/** The settings in force, for the page to render its controls from, with any notices. */
export function postParams(notices = [], source = 'setting') {
  post({ type: 'params', values: w.params.values(), notices, source, query: w.params.query(), runKeys: w.params.runKeys(), figures: w.params.figures() });
}

/** This model's Playground settings, from the URL parameters. */
function settingsFrom(v) {
  const { dataset, seed, beta, lr, noise, batch, hidden, activation, range, map } = v;
  return { recipe: w.recipe, dataset, seed, beta, lr, noise, batch, hidden, activation, map, ...(range === 'fit' ? { fit: true } : { range, fit: false }) };
}

/** Tells the page what the colours mean: classes, or a colour map it can show. */
function postLegend() {
  const size = 96;
  const pixels = w.pg.legend(size);
  post({ type: 'legend', factor: w.pg.factor(), size, pixels: pixels || null, palette: classColours(), classes: w.pg.classes() });
}

/** What holding the pair apart costs now (two passes over the data set: about 10 ms). */
export function postPull() {
  w.lastPull = performance.now();
  post({ type: 'pull', report: w.pg.pullReport() || null });
}

export function build() {
  w.tear = null;
  w.pulling = false;
  const next = new Playground(settingsFrom(w.params.values()));   // throws a readable message for a bad setting
  if (w.pg) w.pg.free();
  w.pg = next;
  w.pg.setTiles(w.tilesOn);
  w.tilesShown = 0;
  w.steps = 0;
  if (w.member === 0) postLegend();
  post({ type: 'strip', strip: null });
  if (w.drawing) post({ type: 'drawing', reading: w.pg.setDrawing(w.drawing) || null });
  w.speedWindow = [];
  setPace();
}

/** The pace from the speed in force (the lesson's depends on the epoch's length), counted
 * afresh from now. */
function setPace() {
  w.rate = rateOf(w.params.values().speed, w.pg.stats().batchesPerEpoch);
  w.playStart = performance.now();
  w.stepsSincePlay = 0;
}

/**
 * Whether the data set `name` can be built now (Rust knows what it has been handed). If its
 * file is missing, asks the page for it (which fetches it once, with a progress bar) and runs
 * `resume` when it comes, or `fail(message)` if it cannot be had; data of one's own that is
 * missing (a link's dataset=own) fails at once.
 */
export function haveData(name, resume, fail) {
  const missing = dataMissing(name);
  if (!missing) return true;
  const file = dataFile(name);
  if (!file) { fail(missing); return false; }
  w.awaiting = { name, resume, fail };
  post({ type: 'needData', name, file });
  return false;
}

/** Starts a new run from the settings in force (as loading their link would). */
export function newRun() {
  w.playing = false;
  build();
  draw();
  report({ reset: true });
  metricsSoon();
}

function trainSteps(n) {
  const t = performance.now();
  const r = w.pg.train(n);
  if (!r.ok) {
    w.playing = false;
    draw();
    report();
    post({ type: 'diverged', message: r.diverged });
    return false;
  }
  w.steps += r.steps;
  const ms = performance.now() - t;
  if (ms < 1.5) w.chunk = Math.min(w.chunk * 2, 256);
  else if (ms > 4 && w.chunk > 1) w.chunk = Math.max(1, w.chunk >> 1);
  return true;
}

/** Stops where it is: the page hears the step it stopped at (and whether that is the
 * lesson's milestone). */
export function stop() {
  w.playing = false;
  w.waiting = false;
  const milestone = w.milestone != null && w.steps === w.milestone ? w.milestone : null;
  w.milestone = null;
  w.pg.settleView();
  draw();
  report(milestone ? { milestone } : {});
  if (w.pulling) postPull();
  metricsSoon();
}

/** The tear's figures so far, to the page. */
export function tearReport() {
  w.tear.lastReport = performance.now();
  post({ type: 'tear', report: w.pg.tearReport(), total: w.tear.total, running: w.tear.running });
}

/** A slice of the tear's decoder-only retraining, then a look at the message queue. */
function tearSlice() {
  const start = performance.now();
  while (w.tear.done < w.tear.total && performance.now() - start < SLICE_MS) {
    const k = Math.min(TEAR_CHUNK, w.tear.total - w.tear.done);
    w.pg.advanceTear(k);
    w.tear.done += k;
  }
  const now = performance.now();
  if (w.tear.done >= w.tear.total) {
    w.tear.running = false;
    draw();
    tearReport();
    return;
  }
  if (frameDue(now)) draw();
  if (now - w.tear.lastReport >= TEAR_REPORT_MS) tearReport();
  schedule();
}

const loop = guarded(function loop() {
  w.scheduled = false;
  if (w.tear && w.tear.running) { tearSlice(); return; }
  if (!w.playing) return;
  const start = performance.now();
  // A slice ends early when a frame is due, so that the views redraw close to 30 times a
  // second (slices alone spaced the frames by whole slices: about 20 a second). (Training one
  // chunk first whenever a frame was due trained MNIST a fifth slower, measured side by side.)
  for (let now = start; w.playing && now - start < SLICE_MS && !frameDue(now); now = performance.now()) {
    let allowed = Math.min(w.chunk, w.target - w.steps, w.limit - w.steps);
    if (throttled()) {
      const due = Math.floor(((performance.now() - w.playStart) / 1000) * w.rate) - w.stepsSincePlay;
      allowed = Math.min(allowed, due);
    }
    if (allowed <= 0) break;
    if (!trainSteps(allowed)) return;
    w.stepsSincePlay += allowed;
  }
  if (w.steps >= w.target) { stop(); return; }
  const now = performance.now();
  if (frameDue(now)) draw();
  if (now - w.lastStats >= STATS_MS) report();
  if (now - w.lastMetrics >= METRICS_MS) metrics();
  if (w.pulling && now - w.lastPull >= PULL_MS) postPull();
  if (w.steps >= w.headsUp && w.steps < w.limit) {
    w.headsUp = Infinity;
    post({ type: 'at', steps: w.steps });
  }
  if (w.steps >= w.limit) {
    // In lockstep: wait here until the page raises the limit (the others caught up). The
    // metrics, if due soon, take the wait instead of holding this model up later, when the
    // others could then reach the limit and wait for it.
    w.waiting = true;
    post({ type: 'at', steps: w.steps });
    if (now - w.lastMetrics >= METRICS_MS - METRICS_EARLY_MS) metrics();
    return;
  }
  if (w.playing) {
    if (throttled()) setTimeout(schedule, 4); else schedule();
  }
});

wake.port1.onmessage = loop;

/** Trains until step `to` (Infinity: on and on), within the lockstep limit; at the set speed
 * if `paced`, else as fast as it can. */
export function run(to, newLimit, paced) {
  endTear();
  w.target = to;
  w.paced = paced;
  setLimit(newLimit);
  w.waiting = false;
  w.playing = true;
  w.playStart = performance.now();
  w.stepsSincePlay = 0;
  w.speedWindow = [];
  schedule();
}

/** Puts a setting in force in the running model (those that change without a new run). */
function applyLive(key, v) {
  switch (key) {
    case 'speed':
      setPace();
      // As fast as possible passes the milestone (the page sends play again for the lesson).
      if (v.speed !== 'lesson' && w.milestone != null && w.target === w.milestone) { w.target = Infinity; w.milestone = null; }
      return;
    case 'range':
      if (v.range === 'fit') w.pg.set('fit', true); else w.pg.set('range', v.range);
      return;
    case 'batch':
      w.pg.set(key, v[key]);
      setPace();   // an epoch has another number of steps
      return;
    case 'beta': case 'lr': case 'noise': case 'map':
      w.pg.set(key, v[key]);
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
export function setting(key, raw) {
  // A data set read from a file: the run goes on until the file is here.
  if (key === 'dataset' && raw != null && !haveData(String(raw), () => setting(key, raw), (message) => { refuse(key, new Error(message)); postParams(); })) return;
  const before = w.params.query();
  let notice;
  try {
    notice = raw == null ? w.params.clear(key) : w.params.set(key, String(raw));
  } catch (e) {
    refuse(key, e);
    postParams();
    return;
  }
  const v = w.params.values();
  try {
    if (!w.params.runKeys().includes(key)) applyLive(key, v);
    else if (key !== 'models') newRun();   // a new lab of models: the page starts new workers
  } catch (e) {
    w.params = new PageParams(before);   // the model refused it: back to what ran
    refuse(key, e);
    postParams();
    return;
  }
  postParams(notice ? [notice] : []);
  if (!w.playing || key === 'range' || key === 'map') draw();
  report();
}

/** Ends the tear, if one runs: the view shows the model as trained again. */
export function endTear() {
  if (!w.tear) return;
  w.tear = null;
  w.pg.endTear();
  post({ type: 'tear', report: null, total: 0, running: false });
}

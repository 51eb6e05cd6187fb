// A model's worker, what it shows: its view and decoder map drawn into the canvases the page
// handed over (at most 30 frames a second while training), the counters and losses it reports
// ten times a second, and the neighbourhood figures every few seconds.
import { ticks } from './vae-playground.js';
import { FRAME_MS, TRAIN_PER_DRAW, MAP_EVERY, NEIGHBOUR_MS, w, throttled, post, isTrap, guarded } from './worker-state.js';

/** The time from the start of one frame to the start of the next while training: a thirtieth
 * of a second, unless frames are slow (then each is followed by training three times as long
 * as it took). */
const frameInterval = () => Math.max(FRAME_MS, (1 + TRAIN_PER_DRAW) * w.lastDrawMs);

/** Whether the next frame is due while training. */
export const frameDue = (now) => now - w.lastDraw >= frameInterval();

/** The canvases' images, kept from frame to frame (a frame then makes no garbage). */
const images = {};

/** `pixels` (a view of the module's memory) copied into the image kept under `name`. */
function framed(name, pixels, side) {
  let image = images[name];
  if (!image || image.width !== side) image = images[name] = new ImageData(side, side);
  image.data.set(pixels);
  return image;
}

export function draw() {
  w.frames += 1;
  const t0 = performance.now();
  // While a model trains (or a tear retrains its decoder), its map changes slowly: decode it
  // on every third frame only. While it trains as fast as it can, the view draws the codes
  // its batches computed and encodes at most a quarter of the samples itself; at a set
  // speed, a frame encodes every sample.
  const busy = w.playing || (w.tear && w.tear.running);
  w.pg.draw(!busy || w.frames % MAP_EVERY === 0, w.playing && !throttled());
  const t1 = performance.now();
  if (w.ctx) {
    const size = w.pg.size();
    w.ctx.putImageData(framed('view', w.pg.pixels(), size), 0, 0);
  }
  if (w.tilesCtx && w.tilesOn && w.pg.tilesDrawn() !== w.tilesShown) {
    w.tilesShown = w.pg.tilesDrawn();
    const side = w.pg.tilesSize();
    if (w.tilesCtx.canvas.width !== side) { w.tilesCtx.canvas.width = side; w.tilesCtx.canvas.height = side; }
    w.tilesCtx.putImageData(framed('tiles', w.pg.tilesPixels(), side), 0, 0);
  }
  const end = performance.now();
  // Frames keep to their slots: one drawn a little after its slot (the training chunk under
  // way when it came due) does not put off the next, so the views redraw 30 times a second,
  // not about 28. One drawn early (paused, on the page's request) or long after starts anew.
  const slot = w.lastDraw + frameInterval();
  w.lastDraw = t0 >= slot && t0 - slot < FRAME_MS ? slot : t0;
  w.lastDrawMs = end - t0;
  w.frameTime.draw += t1 - t0;
  w.frameTime.put += end - t1;
  w.frameTime.frames += 1;
}

export function report(extra = {}) {
  const now = performance.now();
  const stats = w.pg.stats();
  w.speedWindow.push([now, stats.steps]);
  while (w.speedWindow.length > 2 && now - w.speedWindow[0][0] > 1500) w.speedWindow.shift();
  const [t0, s0] = w.speedWindow[0];
  const sps = w.playing && now > t0 + 200 ? ((stats.steps - s0) * stats.batch) / ((now - t0) / 1000) : null;
  if (stats.range !== w.ticksRange) {
    w.ticksRange = stats.range;
    extra = { ...extra, ticks: ticks(stats.range) };
  }
  // The losses over windows fixed in steps: the last epoch's mean, and the chart's points
  // (one at each epoch's end) since the last report. Neither depends on when this runs.
  const loss = w.pg.recentLoss();
  const points = w.pg.epochLosses();
  // Milliseconds a frame took on average: Rust encoding and drawing the view, and the copy
  // of its pixels to the canvas (the benchmark reports them).
  const f = w.frameTime.frames;
  const frameMs = f ? { draw: w.frameTime.draw / f, put: w.frameTime.put / f } : null;
  w.frameTime = { draw: 0, put: 0, frames: 0 };
  post({ type: 'stats', seq: w.seq, stats, playing: w.playing, samplesPerSecond: sps, loss, points, frameMs, framesDrawn: w.frames, ...extra });
  // The walk's strip and the drawing's reading follow the model: at most every 300 ms while
  // training, and at every report otherwise (after a step, a pause, loaded weights).
  if (!w.playing || now - w.lastLive > 300) {
    w.lastLive = now;
    const strip = w.pg.strip();
    if (strip) post({ type: 'strip', strip });
    if (w.drawing) post({ type: 'drawing', reading: w.pg.drawing() || null });
  }
  w.lastStats = now;
}

/** Trustworthiness, continuity and the path-length ratio, sent to the page. The input space's
 * tables come first, a few rows per call (over a second in all), so that they never hold up
 * training: while playing the loop calls again; while paused, a timer does. */
export function metrics() {
  clearTimeout(w.metricsTimer);
  w.metricsTimer = null;
  if (w.dead || !w.pg) return;
  const t = performance.now();
  const ready = w.pg.prepareNeighbours(w.neighbourRows);
  const ms = performance.now() - t;
  if (ms > 1.5 * NEIGHBOUR_MS && w.neighbourRows > 1) w.neighbourRows >>= 1;
  else if (ms < NEIGHBOUR_MS / 2) w.neighbourRows = Math.min(w.neighbourRows * 2, 64);
  if (!ready) {
    if (!w.playing) w.metricsTimer = setTimeout(guarded(metrics), 0);
    return;
  }
  const t0 = performance.now();
  let m;
  try {
    m = w.pg.neighbourhood();
  } catch (e) {
    if (isTrap(e)) throw e;
    w.lastMetrics = performance.now();   // a set too small to measure: the readouts stay empty
    return;
  }
  w.lastMetrics = performance.now();
  post({ type: 'metrics', steps: w.steps, ms: w.lastMetrics - t0, ...m });
}

/** Computes the metrics soon, once things settle (after a pause, step, reset or load). */
export function metricsSoon() {
  clearTimeout(w.metricsTimer);
  w.metricsTimer = setTimeout(guarded(metrics), 300);
}

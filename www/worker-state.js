// A model's worker, its state: the settings of its loop (how long it trains between looks at
// the page's messages, how often it draws and reports), everything that changes while it runs
// (`w`), and how it talks to the page. The other worker-*.js files build on this one.
import { lastPanic } from './vae-playground.js';

export const SLICE_MS = 12;          // training time between two looks at the message queue
export const FRAME_MS = 1000 / 30;   // redraw the view at most 30 times a second
export const TRAIN_PER_DRAW = 3;     // and train at least 3 times as long as a frame took between two
                                     // (28 × 28 data: a frame takes 10 to 40 ms)
export const MAP_EVERY = 3;          // while training, decode the map under the view every third frame
export const STATS_MS = 100;         // report counters this often
export const METRICS_MS = 5000;      // trustworthiness, continuity, path-length ratio this often
export const METRICS_EARLY_MS = 1500; // or up to this much sooner, while waiting for the other models
export const TEAR_REPORT_MS = 400;   // the tear's figures (two decoders on the whole data set) this often
export const TEAR_CHUNK = 8;         // decoder-only steps of the tear between two looks at the clock
export const PULL_MS = 1000;         // what holding a pair apart costs, this often while training
export const NEIGHBOUR_MS = 2;       // time for a few rows of the input space's neighbour tables at a
                                     // time while training (their count adapts: 8 rows of the digits,
                                     // 1 or 2 of MNIST's 784 pixels)

/** Everything that changes while the worker runs. */
export const w = {
  pg: null,                     // this model's Rust Playground
  params: null,                 // the page's URL parameters (Rust's typed table)
  member: 0,                    // this model's place in the lab's list
  recipe: 'vae',                // this model's recipe
  ctx: null,                    // the view's canvas
  tilesCtx: null,               // the decoder map's grid of tiles, in its own canvas
  tilesOn: false,               // whether the page shows that grid
  tilesShown: 0,                // the grid's drawing the canvas has
  playing: false,
  steps: 0,                     // this model's step count
  target: Infinity,             // pause on reaching this step (an advance), or play on
  limit: 0,                     // the lockstep limit: never train past it
  waiting: false,               // stopped at the limit until the page raises it
  headsUp: Infinity,            // tell the page the step count here, a quarter of the way to
                                // the limit, so that a new limit comes well before this one is
                                // reached (halfway, the slowest model still waited at times)
  rate: Infinity,               // steps per second allowed; Infinity = as fast as possible
  lastDraw: 0,
  lastStats: 0,
  playStart: 0,
  stepsSincePlay: 0,
  frames: 0,                    // frames drawn, for the map's refresh while training (and the benchmark)
  paced: false,                 // whether this run keeps to the set speed (see throttled)
  milestone: null,              // the step playing pauses at once (the lesson's), or null
  chunk: 1,                     // steps per train() call, adapted to take about 2 ms
  speedWindow: [],              // [time, steps] samples for samples/s
  dead: false,                  // after a Rust panic the module cannot be used again
  seq: 0,                       // the last play/pause command handled, echoed in reports
  ticksRange: null,             // the range whose tick labels the page has
  lastMetrics: 0,
  metricsTimer: null,
  drawing: null,                // the drawing's values (one per pixel of the data's images), or null
  lastLive: 0,                  // when the strip and the drawing's reading were last refreshed
  tear: null,                   // the tear under way: { total, done, running, lastReport }
  pulling: false,               // whether a pair is held apart (its cost is reported each second)
  lastPull: 0,
  neighbourRows: 8,             // rows of the neighbour tables built at a time (see NEIGHBOUR_MS)
  awaiting: null,               // { name, resume, fail }: what waits for that data set's file
  ownToken: 0,                  // the newest load of one's own files (an older one is dropped)
  scheduled: false,             // a wake-up of the loop is on its way
  frameTime: { draw: 0, put: 0, frames: 0 }, // where the frames' time went since the last report
  lastDrawMs: 0,                // how long the last frame took
};

/** A new lockstep limit, and where to ask for the next. */
export function setLimit(next) {
  w.limit = next;
  w.headsUp = w.steps + Math.floor((next - w.steps) / 4);
}

/** Whether training keeps to the set speed (playing does; a step(n) runs as fast as it can). */
export const throttled = () => w.rate !== Infinity && w.paced;

/** Steps a second at `speed`: a number; `lesson`, an epoch a second (`batchesPerEpoch` steps);
 * `max`, as fast as it can. */
export function rateOf(speed, batchesPerEpoch) {
  if (speed === 'max') return Infinity;
  return speed === 'lesson' ? batchesPerEpoch : speed;
}

// One wake-up at a time, so that pausing and playing again never starts a second loop.
export const wake = new MessageChannel();

export const schedule = () => { if (!w.scheduled) { w.scheduled = true; wake.port2.postMessage(0); } };

export function post(message) { self.postMessage(message); }

export function fail(error) {
  w.dead = true;
  w.playing = false;
  const panic = (() => { try { return lastPanic(); } catch { return null; } })();
  post({ type: 'error', message: panic || String(error && error.message || error) });
}

/** A WebAssembly trap (a Rust panic, or worse): the module must never be used again. */
export function isTrap(e) {
  return e instanceof WebAssembly.RuntimeError;
}

/** Tells the page that something it asked for was refused (nothing changed), unless the error
 * is a trap, which kills the module. */
export function refuse(key, e) {
  if (isTrap(e)) throw e;
  post({ type: 'settingError', key, message: e && e.message || String(e) });
}

export function guarded(fn) {
  return (...args) => {
    if (w.dead) return;
    try { return fn(...args); } catch (e) { fail(e); }
  };
}

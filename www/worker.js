// A model's worker: one model of the lab (one recipe), its training and its latent view. The
// page runs one of these per model, so that on a machine with a core per model they train in
// parallel, and keeps them in lockstep: each trains up to the step limit the page gives it
// (a little ahead of the slowest), in short slices so that it can still hear the page, draws
// its view into the canvas the page handed over, and reports its losses and counters. The
// page's main thread never runs a model.
import init, { classColours, ownLimits } from './vae-playground.js';
import { TO_WORKER, checkTypes } from './protocol.js';
import { fail, guarded, isTrap, post, w } from './worker-state.js';
import { stop } from './worker-loop.js';
import { commandHandlers } from './worker-commands.js';
import { viewHandlers } from './worker-view.js';
import { experimentHandlers } from './worker-experiments.js';
import { fileHandlers } from './worker-files.js';
import { benchHandlers } from './worker-bench.js';

/** What the page may ask, by type: every message of protocol.js's TO_WORKER but boot. */
const handlers = { ...commandHandlers, ...viewHandlers, ...experimentHandlers, ...fileHandlers, ...benchHandlers };
checkTypes(handlers, TO_WORKER, 'worker.js');

/** Messages that came while a build waited for its data set's file, handled after it. */
let held = [];

self.onmessage = guarded((event) => handle(event.data));

function handle(m) {
  if (m.type === 'boot') { boot(m.module); return; }
  if (w.awaiting) {
    if (m.type === 'set' && m.key === 'dataset') {
      // Another data set asked for while a file comes: the wait is dropped (the old run goes
      // on), and the messages held meanwhile come first, then this one.
      w.awaiting = null;
      held.push(m);
      drain();
      return;
    }
    if (m.type === 'pause' && w.pg) {
      stop();   // the run going on pauses at once; what waits for the file comes after
      held.push(m);
      return;
    } else if (m.type !== 'data') { held.push(m); return; }
  }
  const handler = handlers[m.type];
  if (!handler) return;
  if (m.seq != null) w.seq = m.seq;
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
  while (!w.awaiting && held.length) handle(held.shift());
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
    post({ type: 'ready', palette: classColours(), limits: ownLimits(), module: compiled });
  } catch (e) {
    fail(e);
  }
}


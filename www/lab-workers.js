// The workers that run the models: the model's code (wasm) compiled once per page and handed
// to each, and, on a page that holds a playground as it loads, two workers started at once so
// that their scripts load while the page builds the playground.

const WORKER_URL = new URL('./worker.js', import.meta.url);
/** Whether the page holds a playground when this file runs (a module runs once its page is
 * parsed). Then the model's code and two workers start at once, while the page builds it; a
 * page that loads the component without one (a shared template, an element made later)
 * fetches and starts nothing until a playground is mounted. */
const playgroundInPage = typeof document !== 'undefined' && document.querySelector('vae-playground') !== null;
let compiling = null;
/** The model's code, fetched and compiled once per page, then handed to every worker. The
 * single-file build's worker carries its own bytes; a host page whose policy refuses to
 * compile wasm gets null: in both cases the first worker compiles it instead. */
export function compiledWasm() {
  compiling ||= (async () => {
    if (globalThis.VAE_PLAYGROUND_WORKER_URL) return null;
    try {
      return await WebAssembly.compileStreaming(fetch(new URL('./vae-playground_bg.wasm', import.meta.url)));
    } catch {
      return null;
    }
  })();
  return compiling;
}
if (playgroundInPage) compiledWasm();
/** A model's worker. The single-file build supplies its own (a classic script from a blob: URL). */
export const newWorker = () => new Worker(globalThis.VAE_PLAYGROUND_WORKER_URL || WORKER_URL, { type: globalThis.VAE_PLAYGROUND_WORKER_TYPE || 'module' });
/** Two workers started as soon as this file runs on a page with a playground, so that their
 * scripts load while the page builds it: the first lab takes them (most labs have two
 * models). One that cannot start, or whose script fails before a lab takes it, is left out:
 * the lab starts its own, and says why if that one fails too. */
const earlyWorkers = [];
for (let i = 0; i < (playgroundInPage ? 2 : 0); i++) {
  try {
    const worker = newWorker();
    worker.onerror = () => { worker.failed = true; };
    earlyWorkers.push(worker);
  } catch {
    break;
  }
}
/** An early worker still sound, or null. */
export function earlyWorker() {
  for (let worker = earlyWorkers.shift(); worker; worker = earlyWorkers.shift()) {
    if (!worker.failed) { worker.onerror = null; return worker; }
    worker.terminate();
  }
  return null;
}

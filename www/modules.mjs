// The component's JavaScript modules, each after those it imports: the page's (index.html's
// copy-file links, the one list of the component's files, but the worker's) and the worker's
// (worker.js and what it imports). The single file (standalone.mjs) inlines each list in this
// order; preload.mjs lists the page's for the browser to fetch at once.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A preload link that preload.mjs writes (standalone.mjs leaves them out). */
export const PRELOAD_LINK = /\s*<link rel="(modulepreload|preload)"[^>]*>/g;

/** index.html's copy-file links of `ext` files (js or css), in their order. */
export function listed(ext) {
  const source = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'index.html'), 'utf8');
  return [...source.matchAll(new RegExp(`rel="copy-file" href="([a-z-]+\\.${ext})"`, 'g'))].map((m) => m[1]);
}

/** Whether `name` is one of the worker's own modules (it runs apart from the page). */
const isWorkers = (name) => name === 'worker.js' || name.startsWith('worker-');

/** `roots` in `dist` and the modules they import (but the wasm's glue), each after those it
 * imports; every one of them must be among `names`. */
function ordered(dist, names, roots = names) {
  const read = (name) => readFileSync(join(dist, name), 'utf8');
  const out = [];
  const place = (name, trail = []) => {
    if (out.includes(name)) return;
    if (trail.includes(name)) throw new Error(`modules import each other in a circle: ${[...trail, name].join(' → ')}`);
    if (!names.includes(name)) throw new Error(`${trail.at(-1)} imports ${name}, which index.html does not copy`);
    for (const [, dep] of read(name).matchAll(/^import (?:init, )?\{[^}]*\} from '\.\/([a-z-]+\.js)';$/gm)) {
      if (dep !== 'vae-playground.js') place(dep, [...trail, name]);
    }
    out.push(name);
  };
  for (const name of roots) place(name);
  return out;
}

/** The page's modules in `dist`, each after the modules it imports. */
export function componentModules(dist) {
  return ordered(dist, listed('js').filter((f) => !isWorkers(f)));
}

/** The worker's modules in `dist` (worker.js and those it imports), each after those it imports. */
export function workerModules(dist) {
  return ordered(dist, listed('js'), ['worker.js']);
}

/** `names` in `dist` as one text for one shared scope: their imports of one another and of the
 * wasm's glue go, and their exports become plain declarations (the names are then in scope). */
export function inlined(dist, names) {
  return names.map((name) => readFileSync(join(dist, name), 'utf8')
    .replace(/^import (?:init, )?\{[^}]*\} from '\.\/[a-z-]+\.js';\n/gm, '')
    .replace(/^export (?=(class|function|async function|const|let) )/gm, '')).join('\n');
}

/** The names the worker's modules in `dist` import from the wasm's glue (but `init`). */
export function glueImports(dist) {
  const names = new Set();
  for (const name of workerModules(dist)) {
    const source = readFileSync(join(dist, name), 'utf8');
    for (const [, list] of source.matchAll(/^import (?:init, )?\{([^}]*)\} from '\.\/vae-playground\.js';$/gm)) {
      for (const n of list.split(',').map((x) => x.trim()).filter(Boolean)) names.add(n);
    }
  }
  return [...names];
}

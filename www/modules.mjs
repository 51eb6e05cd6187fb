// The component's JavaScript modules, each after those it imports. The list is index.html's
// copy-file links (the one list of the component's files) but the worker, which runs apart.
// The single file (standalone.mjs) inlines them in this order; preload.mjs lists them for the
// browser to fetch at once.
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

/** The modules in `dist`, each after the modules it imports. */
export function componentModules(dist) {
  const names = listed('js').filter((f) => f !== 'worker.js');
  const read = (name) => readFileSync(join(dist, name), 'utf8');
  const ordered = [];
  const place = (name, trail = []) => {
    if (ordered.includes(name)) return;
    if (trail.includes(name)) throw new Error(`modules import each other in a circle: ${[...trail, name].join(' → ')}`);
    if (!names.includes(name)) throw new Error(`${trail.at(-1)} imports ${name}, which index.html does not copy`);
    for (const [, dep] of read(name).matchAll(/^import \{[^}]*\} from '\.\/([a-z-]+\.js)';$/gm)) place(dep, [...trail, name]);
    ordered.push(name);
  };
  for (const name of names) place(name);
  return ordered;
}

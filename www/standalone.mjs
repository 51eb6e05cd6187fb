// Writes the playground as one self-contained HTML file: the page, its styles, its scripts,
// the worker and the wasm all inlined, so that it works opened from disk (file://) or
// uploaded to a learning-management system, with no other file and no network.
//
//   node www/standalone.mjs [dist=dist]     → dist/vae-playground-standalone.html
//
// At load, the page turns the inlined worker into a blob: URL. A page opened from file:// has
// an opaque origin, and Chromium starts no module worker from a blob: URL there, so the worker
// is one classic script: the wasm-bindgen glue with its exports turned into plain
// declarations, the wasm as inlined bytes, and the worker's modules (worker.js and those it
// imports, modules.mjs) without their imports and exports, inside one async function.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRELOAD_LINK, componentModules, inlined, workerModules } from './modules.mjs';

const dist = process.argv[2] || 'dist';
const read = (name) => readFileSync(join(dist, name), 'utf8');
/** A value as JavaScript source that is safe inside a <script> element. */
const literal = (value) => JSON.stringify(value).replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

const glue = read('vae-playground.js');
const wasm = readFileSync(join(dist, 'vae-playground_bg.wasm')).toString('base64');
const IMPORT = /^import init, \{[^}]*\} from '\.\/vae-playground\.js';$/m;
if (!IMPORT.test(read('worker.js'))) throw new Error('worker.js no longer imports the glue as expected');
const classicGlue = glue
  .replace(/^export (?=(class|function|async function|const|let) )/gm, '')
  .replace(/^export \{[^}]*\};?\s*$/gm, '')
  .replace(/import\.meta\.url/g, 'location.href');
const workerScript = [
  classicGlue,
  `globalThis.VAE_PLAYGROUND_WASM = Uint8Array.from(atob(${JSON.stringify(wasm)}), (c) => c.charCodeAt(0));`,
  '(async () => {',
  'const init = __wbg_init;',
  inlined(dist, workerModules(dist)),
  '})();',
].join('\n');
for (const moduleSyntax of [/^\s*export\s/m, /^\s*import\s/m, /import\.meta/]) {
  if (moduleSyntax.test(workerScript)) throw new Error(`the classic worker still has module syntax: ${moduleSyntax}`);
}
// The component's modules in one module scope, each after those it imports: their imports of
// each other and their re-exports go (the names are then simply in scope).
const LOCAL_IMPORT = /^import \{[^}]*\} from '\.\/[a-z-]+\.js';\n/gm;
const MODULES = componentModules(dist);
/** Throws if two of `names` (or one of them and a name of `declared`) declare one name at their
 * top level: in one scope, that would be a syntax error, or one would hide the other. */
function oneScope(names, declared = new Map()) {
  for (const name of names) {
    for (const [, id] of read(name).matchAll(/^(?:export )?(?:const|let|class|(?:async )?function\*?) ([A-Za-z_$][\w$]*)/gm)) {
      if (declared.has(id)) throw new Error(`${name} and ${declared.get(id)} both declare ${id} at their top level; the single file puts them in one scope`);
      declared.set(id, name);
    }
  }
}
oneScope(MODULES);
// The worker's modules share their scope with the glue's names, which they import.
const glueNames = [...glue.matchAll(/^export (?:async )?(?:function|class|const|let) ([A-Za-z_$][\w$]*)/gm)].map((m) => [m[1], 'the wasm glue']);
oneScope(workerModules(dist), new Map(glueNames));
const RE_EXPORT = /^export \{[^}]*\};\n/gm;
const modules = MODULES.map((name) => read(name).replace(LOCAL_IMPORT, '').replace(RE_EXPORT, '')).join('\n');
if (/^import /m.test(modules)) throw new Error('a module of the component imports something not inlined');

const prelude = `
globalThis.VAE_PLAYGROUND_WORKER_URL = URL.createObjectURL(new Blob([${literal(workerScript)}], { type: 'text/javascript' }));
globalThis.VAE_PLAYGROUND_WORKER_TYPE = 'classic';
globalThis.VAE_PLAYGROUND_SINGLE_FILE = true;
globalThis.VAE_PLAYGROUND_CSS = ${literal(read('playground.css'))};
`;

let page = read('index.html');
const csp = "default-src 'none'; script-src 'unsafe-inline' 'wasm-unsafe-eval' blob:; worker-src blob:; style-src 'unsafe-inline'; img-src data: blob:";
page = page.replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
page = page.replace(/<base [^>]*>\s*/, '');
page = page.replace(PRELOAD_LINK, '');   // if preload.mjs ran first
page = page.replace(/<link rel="stylesheet" href="\.?\/?style\.css"\s*\/?>/, () => `<style>\n${read('style.css')}</style>`);
page = page.replace(/<script type="module" src="element\.js"><\/script>/, () =>
  `<script type="module">${prelude}</script>\n<script type="module">\n${modules.replace(/<\/(script)/gi, '<\\/$1')}\n</script>`);
// Outside the inlined scripts, nothing may point at another file.
const markup = page.replace(/<script type="module">[\s\S]*?<\/script>/g, '');
for (const leftover of [/\ssrc="/, /<link[^>]+rel="stylesheet"/, /href="\.\//]) {
  if (leftover.test(markup)) throw new Error(`the single file still refers to another file: ${leftover}`);
}
const out = join(dist, 'vae-playground-standalone.html');
writeFileSync(out, page);
console.log(`wrote ${out} (${(page.length / 1024).toFixed(0)} KiB)`);

// Minifies the site's scripts and styles in place (esbuild, a build tool only: nothing of it is
// served): comments, spaces and local names go, the modules' imports and exports stay as they
// are. Runs last in www/build.sh, after standalone.mjs and preload.mjs have read the modules
// as written; the examples and the article stay as written, for readers to copy.
//
//   node www/minify.mjs [dist=dist]
import { transformSync } from 'esbuild';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.argv[2] || 'dist';
let before = 0;
let after = 0;
for (const name of readdirSync(dist)) {
  const loader = name.endsWith('.js') ? 'js' : name.endsWith('.css') ? 'css' : null;
  if (!loader) continue;
  const file = join(dist, name);
  const source = readFileSync(file, 'utf8');
  // format 'esm' for scripts: every one is a module, so its top-level names are its own.
  const { code } = transformSync(source, { loader, minify: true, legalComments: 'none', ...(loader === 'js' ? { format: 'esm' } : {}) });
  writeFileSync(file, code);
  before += source.length;
  after += code.length;
}
console.log(`minified ${dist}: ${before.toLocaleString('en')} → ${after.toLocaleString('en')} bytes of scripts and styles`);

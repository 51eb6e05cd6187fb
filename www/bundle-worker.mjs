// Writes the site's worker as one module: worker.js and the modules it imports, inlined in
// order (modules.mjs), with one import of the wasm's glue. A worker finds its imports only as
// it parses each module, so that nine small files cost its start a chain of fetches; one file
// costs one. Runs in www/build.sh after standalone.mjs, which reads the modules as written;
// the worker-*.js files then leave dist/.
//
//   node www/bundle-worker.mjs [dist=dist]     → dist/worker.js
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { glueImports, inlined, workerModules } from './modules.mjs';

const dist = process.argv[2] || 'dist';
const modules = workerModules(dist);
const text = `import init, { ${glueImports(dist).join(', ')} } from './vae-playground.js';\n${inlined(dist, modules)}`;
if (/^import (?!init, \{[^}]*\} from '\.\/vae-playground\.js';)/m.test(text)) throw new Error('the bundled worker still imports a module of its own');
writeFileSync(join(dist, 'worker.js'), text);
// Its own modules are in it now: the site serves none of them apart (protocol.js stays, the
// page's too).
for (const name of modules) if (name.startsWith('worker-')) rmSync(join(dist, name));
console.log(`${join(dist, 'worker.js')}: ${modules.length} modules in one`);

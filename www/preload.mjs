// Lets the site's page fetch every module of the component and its styles at once: without
// these links the browser finds each module only after the one importing it has arrived
// (element.js, then playground.js, then the rest), three round trips before the workers start.
//
//   node www/preload.mjs [dist=dist]     → dist/index.html with <link rel="modulepreload">s
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRELOAD_LINK, componentModules, listed } from './modules.mjs';

const dist = process.argv[2] || 'dist';
const file = join(dist, 'index.html');
const ENTRY = '<script type="module" src="element.js"></script>';
const page = readFileSync(file, 'utf8').replace(PRELOAD_LINK, '');
if (!page.includes(ENTRY)) throw new Error(`${file} no longer loads the component as ${ENTRY}`);
const links = [
  ...componentModules(dist).filter((name) => name !== 'element.js').map((name) => `<link rel="modulepreload" href="${name}">`),
  ...listed('css').map((name) => `<link rel="preload" href="${name}" as="style">`),
];
writeFileSync(file, page.replace(ENTRY, () => `${links.join('\n  ')}\n  ${ENTRY}`));
console.log(`${file}: ${links.length} files fetched at once`);

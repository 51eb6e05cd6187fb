// The messages between the page and the workers are the ones protocol.js names: every type a
// worker posts, every handler it has, and every type the page sends. (The page's panels and the
// worker's handler table are also checked against it when they are made.) No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FROM_WORKER, TO_WORKER } from '../../www/protocol.js';

const www = join(dirname(fileURLToPath(import.meta.url)), '../../www');
const scripts = readdirSync(www).filter((f) => f.endsWith('.js'));
const workers = scripts.filter((f) => f === 'worker.js' || f.startsWith('worker-'));
const pages = scripts.filter((f) => !workers.includes(f) && f !== 'protocol.js');
const read = (f) => readFileSync(join(www, f), 'utf8');
const sorted = (set) => [...set].sort();

/** Every `type: 'x'` a set of files writes (a message's type; a host page's `a:b` is not one). */
function typesIn(files) {
  const types = new Set();
  for (const f of files) for (const [, t] of read(f).matchAll(/\btype: '(\w+)'/g)) types.add(t);
  return types;
}

test('every type a worker posts is one protocol.js names, and each it names is posted', () => {
  const posted = new Set();
  for (const f of workers) for (const [, t] of read(f).matchAll(/\bpost\(\{ type: '(\w+)'/g)) posted.add(t);
  assert.deepEqual(sorted(posted), sorted(Object.keys(FROM_WORKER)));
});

test('the worker handles every type the page may send, and only those', () => {
  const handled = new Set(['boot']);   // boot is handled before the table (worker.js)
  for (const f of workers) {
    for (const [, body] of read(f).matchAll(/^export const \w+Handlers = \{\n([\s\S]*?)^\};/gm)) {
      for (const [, name] of body.matchAll(/^ {2}(?:async )?(\w+)\(/gm)) handled.add(name);
    }
  }
  assert.deepEqual(sorted(handled), sorted(Object.keys(TO_WORKER)));
});

test('every type the page sends a worker is one protocol.js names, and each it names is sent', () => {
  assert.deepEqual(sorted(typesIn(pages)), sorted(Object.keys(TO_WORKER)));
});

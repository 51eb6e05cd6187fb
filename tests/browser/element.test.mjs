// The <vae-playground> custom element on the example page: several on one page, each
// training on its own, driven by attributes, a JavaScript API and events.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, out, start } from './harness.mjs';

let env;
before(async () => { env = await start({ viewport: { width: 1200, height: 1000 } }); });
after(async () => { await env.close(); });

const elementStats = (page, id) => page.evaluate((i) => document.getElementById(i).stats, id);

async function waitFor(page, fn, arg, timeout = 20000) {
  await page.waitForFunction(fn, arg, { timeout, polling: 100 });
}

describe('the custom element', () => {
  test('two elements on one page train independently, with their own settings', async () => {
    const { page, log } = await open(env, 'examples/index.html', { waitReady: false });
    await waitFor(page, () => ['beta0', 'beta4'].every((id) => (document.getElementById(id).stats?.steps ?? 0) > 100));
    const a = await elementStats(page, 'beta0');
    const b = await elementStats(page, 'beta4');
    assert.equal(a.beta, 0);
    assert.equal(b.beta, 4);
    assert.equal(a.seed, 7);
    // Pausing one leaves the other training.
    await page.evaluate(() => document.getElementById('beta0').pause());
    await waitFor(page, () => document.getElementById('beta0').state.workerPlaying === false);
    const paused = (await elementStats(page, 'beta0')).steps;
    const other = (await elementStats(page, 'beta4')).steps;
    await page.waitForTimeout(700);
    assert.equal((await elementStats(page, 'beta0')).steps, paused);
    assert.ok((await elementStats(page, 'beta4')).steps > other, 'the other element kept training');
    // The element's own shadow DOM holds its controls; the hidden ones stay hidden.
    assert.equal(await page.isVisible('#beta4 >> [data-part="beta"]'), false);
    assert.equal(await page.isVisible('#beta4 >> #view-ae'), false, 'show="vae"');
    assert.equal(await page.isVisible('#beta4 >> #view-vae'), true);
    await page.screenshot({ path: join(out, 'example-page.png'), fullPage: true });
    const offOrigin = log.requests.filter((u) => !u.startsWith(env.server.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(offOrigin, []);
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('a page that loads the component without a playground fetches and starts nothing until one is made', async () => {
    // A page of the site's origin that loads the element's script but holds no element yet.
    const url = `${env.server.url}examples/no-playground.html`;
    const page = await env.context.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.route(url, (route) => route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><title>Notes</title><p>No playground here yet.</p><script type="module" src="../element.js"></script>',
    }));
    await page.goto(url);
    await page.waitForFunction(() => customElements.get('vae-playground') != null);
    await page.waitForTimeout(1500);
    const fetched = (name) => requests.filter((u) => u.endsWith(name)).length;
    assert.equal(fetched('vae-playground_bg.wasm'), 0, 'no model code fetched');
    assert.equal(fetched('worker.js'), 0, 'no worker started');
    // An element made later starts its own workers and trains.
    await page.evaluate(() => {
      const el = document.createElement('vae-playground');
      el.id = 'late';
      el.setAttribute('autoplay', '');
      document.body.append(el);
    });
    await waitFor(page, () => (document.getElementById('late').stats?.steps ?? 0) > 20);
    // Counted the same way, the wasm and the workers are now fetched.
    assert.ok(fetched('vae-playground_bg.wasm') >= 1, 'the wasm fetched once a playground is made');
    assert.ok(fetched('worker.js') >= 1);
    await page.close();
  });

  test('the JavaScript API: start, pause, step, reset, set, and the step and diverge events', async () => {
    const { page } = await open(env, 'examples/index.html', { waitReady: false });
    await waitFor(page, () => document.getElementById('beta0').stats != null);
    await page.evaluate(() => {
      const el = document.getElementById('beta0');
      el.pause();
      window.events = { step: 0, diverge: [] };
      el.addEventListener('step', () => { window.events.step += 1; });
      el.addEventListener('diverge', (e) => window.events.diverge.push(e.detail.message));
    });
    await waitFor(page, () => document.getElementById('beta0').state.workerPlaying === false);
    await page.evaluate(() => document.getElementById('beta0').reset());
    await waitFor(page, () => document.getElementById('beta0').stats.steps === 0);
    await page.evaluate(() => document.getElementById('beta0').step(10));
    await waitFor(page, () => document.getElementById('beta0').stats.steps === 10);
    await page.evaluate(() => document.getElementById('beta0').set('beta', 1.5));
    await waitFor(page, () => document.getElementById('beta0').stats.beta === 1.5);
    await page.evaluate(() => document.getElementById('beta0').start());
    await waitFor(page, () => document.getElementById('beta0').stats.steps > 50);
    assert.ok(await page.evaluate(() => window.events.step) > 2);
    await page.evaluate(() => document.getElementById('beta0').set('lr', 10));
    await waitFor(page, () => window.events.diverge.length > 0, undefined, 30000);
    assert.match((await page.evaluate(() => window.events.diverge))[0], /diverged/);
    // The other element is untouched.
    const b = await elementStats(page, 'beta4');
    assert.equal(b.lr.toFixed(3), '0.001');
    await page.close();
  });
});

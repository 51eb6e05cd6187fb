// What a hostile or careless visitor, page author or file can do, found by a probe of the built
// site: each case keeps the run it had, says what happened, and never freezes the page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { countFrames, open, start, stats, until } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

const notice = (page) => page.evaluate(() => window.vaePlayground.notice);
const query = (page) => page.evaluate(() => location.search);

/** A valid weights file for the page's model, with `hidden` units, of zeros. */
function weightsFile(hidden) {
  const D = 64, Z = 2;
  const dense = (name, i, o) => [
    { name: `${name}.W`, shape: [i, o], data: new Array(i * o).fill(0) },
    { name: `${name}.b`, shape: [o], data: new Array(o).fill(0) },
  ];
  return JSON.stringify({
    format: 'vae-playground-weights', version: 1, model: 'ae',
    config: { dataset: 'digits', input: D, model: 'ae', hidden, latent: Z, activation: 'relu', beta: 1, lr: 0.001, optimizer: 'adam', batch: 64, noise: 'sample', seed: 0 },
    tensors: [...dense('enc_hidden', D, hidden), ...dense('enc_z', hidden, Z), ...dense('dec_hidden', Z, hidden), ...dense('dec_out', hidden, D)],
  });
}

describe('hostile input', () => {
  test('el.step with a bad count is refused; a long one stays interruptible', async () => {
    const { page } = await open(env);
    await page.evaluate(() => document.querySelector('vae-playground').step(-1));
    await until(page, (s) => s.notice != null);
    assert.match(await notice(page), /whole number of steps from 1 to 100,000/);
    assert.equal((await stats(page)).steps, 0);
    await page.evaluate(() => document.querySelector('vae-playground').step(1e6));
    await page.waitForTimeout(300);
    assert.equal((await stats(page)).steps, 0, 'a million steps are refused, not started');
    // The largest request runs in the loop: the page keeps drawing, and Pause stops it.
    await page.evaluate(() => document.querySelector('vae-playground').step(100000));
    await until(page, (s) => s.steps > 50);
    const frames = await countFrames(page);
    await page.waitForTimeout(300);
    assert.ok(await frames() > 5, 'the page still draws');
    await page.evaluate(() => document.querySelector('vae-playground').pause());
    const paused = await until(page, (s) => !s.playing);
    await page.waitForTimeout(400);
    assert.equal((await stats(page)).steps, paused.steps, 'Pause stopped the long request');
    assert.ok(paused.steps < 100000);
    await page.evaluate(() => document.querySelector('vae-playground').reset());
    await until(page, (s) => s.steps === 0);
    await page.close();
  });

  test('a weights file claiming a huge model, or a hidden layer past the bound, changes nothing', async () => {
    const { page } = await open(env);
    await page.evaluate(() => window.vaePlayground.trainSteps(25));
    await until(page, (s) => s.steps === 25);
    const before = await query(page);
    const tiny = '{"format":"vae-playground-weights","version":1,"model":"vae","config":{"dataset":"digits","input":100000,"model":"vae","hidden":4096,"latent":2,"activation":"relu","beta":1,"lr":0.001,"optimizer":"adam","batch":64,"noise":"sample","seed":0},"tensors":[]}';
    for (const [name, text, why] of [
      ['tiny.json', tiny, /at most 1024/],
      ['hidden2000.json', weightsFile(2000), /at most 1024/],
    ]) {
      await page.evaluate(() => { window.vaePlayground.notice = null; });
      await page.setInputFiles('#load-weights', { name, mimeType: 'application/json', buffer: Buffer.from(text) });
      await until(page, (s) => s.notice != null);
      assert.match(await notice(page), why, name);
      assert.doesNotMatch(await notice(page), /unreachable|went wrong/, name);
      const s = await stats(page);
      assert.equal(s.steps, 25, `${name}: the run is kept`);
      assert.equal(await query(page), before, `${name}: the URL is unchanged`);
    }
    // The module is still alive and trains.
    await page.evaluate(() => window.vaePlayground.trainSteps(2));
    await until(page, (s) => s.steps === 27);
    await page.close();
  });

  test('the same weights file loads twice, with no error', async () => {
    const { page, log } = await open(env);
    const file = { name: 'ae.json', mimeType: 'application/json', buffer: Buffer.from(weightsFile(256)) };
    await page.setInputFiles('#load-weights', file);
    await page.waitForFunction(() => (window.vaePlayground.loaded || []).length === 1);
    await page.evaluate(() => { window.vaePlayground.loaded = null; });
    await page.setInputFiles('#load-weights', file);
    await page.waitForFunction(() => (window.vaePlayground.loaded || []).length === 1);
    assert.equal(await page.$eval('#load-weights', (input) => input.value), '', 'the input was cleared');
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('el.set with a bad speed is refused; a speed of 0 is clamped and still trains', async () => {
    const { page } = await open(env);
    await page.evaluate(() => document.querySelector('vae-playground').set('speed', 'banana'));
    await until(page, (s) => s.notice != null);
    assert.match(await notice(page), /speed="banana" is not a number or "max"/);
    await page.click('#play');
    await until(page, (s) => s.steps > 20);
    await page.evaluate(() => { window.vaePlayground.notice = null; document.querySelector('vae-playground').set('speed', 0); });
    await until(page, (s) => s.notice != null);
    assert.match(await notice(page), /below the smallest value, 0\.5, so speed is 0\.5/);
    assert.match(await query(page), /speed=0\.5/);
    assert.equal(await page.inputValue('#speed'), '0.5');
    const s0 = (await stats(page)).steps;
    await until(page, (s) => s.steps > s0, 5000);
    await page.close();
  });

  test('after a crash, Reset then Train at once gives one run, not a second error', async () => {
    const { page } = await open(env);
    await page.evaluate(() => window.vaePlayground.debugPanic());
    await until(page, (s) => s.notice != null);
    await page.evaluate(() => {
      const e = document.querySelector('vae-playground');
      e.reset();
      e.step(3);
    });
    await until(page, (s) => s.steps === 3 && s.notice == null);
    await page.waitForTimeout(300);
    assert.equal(await notice(page), null);
    await page.close();
  });

  test('typing in the host page does not reach the playground', async () => {
    const { page } = await open(env);
    await page.evaluate(() => window.vaePlayground.trainSteps(5));
    await until(page, (s) => s.steps === 5);
    await page.evaluate(() => {
      const box = document.createElement('div');
      box.id = 'comment';
      box.contentEditable = 'true';
      document.body.append(box);
      box.focus();
    });
    await page.keyboard.type('rs r');
    await page.waitForTimeout(400);
    assert.equal(await page.$eval('#comment', (b) => b.textContent), 'rs r');
    const s = await stats(page);
    assert.equal(s.steps, 5, 'no reset, no step');
    assert.equal(s.playing, false);
    await page.close();
  });

  test('a flood of bad parameters gives a short notice; a repeated key says which value is used', async () => {
    // 1,500 keys: about 11 kB of query, under the 16 kB of headers a server takes.
    const flood = Array.from({ length: 1500 }, (_, i) => `k${i}=1`).join('&');
    const { page } = await open(env, `?${flood}`);
    const items = await page.$$eval('#notice-list li', (lis) => lis.map((li) => li.textContent));
    assert.equal(items.length, 10);
    assert.match(items[9], /1491 more/);
    const height = await page.$eval('#notice', (n) => n.getBoundingClientRect().height);
    assert.ok(height < 600, `notice height ${height}`);
    await page.close();
    const again = await open(env, '?dataset=bars&dataset=blobs&dataset=zzz');
    const list = await again.page.$$eval('#notice-list li', (lis) => lis.map((li) => li.textContent));
    assert.equal(list.length, 2);
    assert.match(list[0], /only its first value is used, so dataset="blobs" was ignored/);
    assert.equal(await again.page.inputValue('#dataset'), 'bars');
    assert.match(await query(again.page), /dataset=bars/);
    await again.page.close();
  });

  test('the worker has a content-security policy of its own: no fetch to another origin', async () => {
    const other = createServer((req, res) => { res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }); res.end('ok'); });
    await new Promise((ok) => other.listen(0, '127.0.0.1', ok));
    const otherUrl = `http://127.0.0.1:${other.address().port}/`;
    const { page } = await open(env);
    const response = await page.request.get(`${env.server.url}worker.js`);
    assert.match(response.headers()['content-security-policy'] || '', /default-src 'self'/);
    assert.equal(await page.evaluate((u) => window.vaePlayground.debugFetch(u), otherUrl), false, 'another origin is refused');
    assert.equal(await page.evaluate((u) => window.vaePlayground.debugFetch(u), `${env.server.url}index.html`), true, 'its own origin is allowed');
    await page.close();
    other.close();
  });

  test('in an iframe sandboxed without allow-same-origin, the page says why nothing started', async () => {
    const page = await env.context.newPage();
    await page.goto(`${env.server.url}examples/index.html`);
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.setAttribute('sandbox', 'allow-scripts');
      f.src = src;
      f.style.width = '800px';
      f.style.height = '400px';
      f.id = 'sandboxed';
      document.body.prepend(f);
    }, `${env.server.url}index.html`);
    await page.waitForTimeout(3000);
    const frame = page.frames().find((f) => f.url() === `${env.server.url}index.html`);
    assert.ok(frame, 'the sandboxed frame loaded');
    const message = frame.locator('.not-started');
    assert.equal(await message.isVisible(), true);
    assert.equal(await message.evaluate((m) => getComputedStyle(m).opacity), '1');
    assert.match(await message.textContent(), /allow-scripts allow-same-origin/);
    await page.close();
  });
});

describe('one settings path', () => {
  // Each door a setting comes through (the URL, a control, an attribute, el.set) ends in the
  // same place: afterwards the run (el.stats), the control and the URL agree, and a value that
  // was changed on the way has a notice saying so.
  const CASES = [
    // key, value given, what stats say, what the control shows, what the URL says, notice
    ['beta', '2.5', 2.5, '2.5', 'beta=2.5', null],
    ['beta', '20', 10, '10', 'beta=10', /above the largest value, 10, so beta is 10/],
    ['beta', 'banana', 1, '1', null, /beta="banana" is not a number/],
    ['lr', '0.003', 0.003, '0.003', 'lr=0.003', null],
    ['lr', '20', 10, '10', 'lr=10', /above the largest value, 10, so lr is 10/],
    ['batch', '5000', 1797, '1797', 'batch=1797', /above the largest value, 1797/],
    ['noise', 'mean', 'mean', 'mean', 'noise=mean', null],
    ['noise', 'loud', 'sample', 'sample', null, /is not one of sample, mean/],
    ['range', '8', false, '8', 'range=8', null],
    ['range', 'wide', true, 'fit', null, /range="wide" is not a number or "fit"/],
    ['range', '0.1', false, '0.5', 'range=0.5', /below the smallest value, 0.5, so range is 0.5/],
    ['seed', '5', 5, null, 'seed=5', null],
    ['seed', '-3', 0, null, null, /below the smallest value, 0, so seed is 0/],
    ['hidden', '5000', 1024, null, 'hidden=1024', /above the largest value, 1024, so hidden is 1024/],
    ['hidden', 'many', 256, null, null, /hidden="many" is not a number/],
    ['activation', 'tanh', 'tanh', null, 'activation=tanh', null],
    ['activation', 'sigmoid', 'relu', null, null, /is not one of relu, tanh/],
    ['dataset', 'bars', 'bars', 'bars', 'dataset=bars', null],
    ['dataset', 'faces', 'digits', 'digits', null, /is not one of digits, bars, blobs/],
    ['speed', '0', null, '0.5', 'speed=0.5', /below the smallest value, 0.5, so speed is 0.5/],
    ['map', '1', true, true, 'map=1', null],
  ];
  // What the run says of a setting (speed is the page's pace, not the run's: none).
  const statOf = (s, key) => (key === 'range' ? s.fit : key === 'speed' ? null : s[key]);
  const approx = (a, b) => (typeof b === 'number' ? Math.abs(a - b) < 1e-6 : a === b);

  async function check(page, [key, , want, control, url, why], door) {
    const label = `${door} ${key}`;
    await until(page, (s) => approx(statOf(s, key), want), 5000).catch(() => {});
    const s = await stats(page);
    assert.ok(approx(statOf(s, key), want), `${label}: stats say ${statOf(s, key)}, want ${want}`);
    if (key === 'beta') assert.equal(Number(await page.inputValue('#beta')), Number(control), `${label}: slider`);
    else if (key === 'map') assert.equal(await page.isChecked('#map'), control, `${label}: checkbox`);
    else if (control != null) assert.equal(await page.inputValue(`#${key}`), control, `${label}: control`);
    const q = await query(page);
    if (url) assert.match(q, new RegExp(url.replace('.', '\\.')), `${label}: URL ${q}`);
    else assert.doesNotMatch(q, new RegExp(`${key}=`), `${label}: URL ${q}`);
    const n = await notice(page);
    if (why) assert.match(n || '', why, `${label}: notice`);
    else assert.equal(n, null, `${label}: no notice`);
  }

  test('URL, el.set and attributes agree with the run, the controls and the URL', async () => {
    for (const c of CASES) {
      const [key, value] = c;
      // The URL.
      const viaUrl = await open(env, `?${key}=${encodeURIComponent(value)}`);
      await check(viaUrl.page, c, 'URL');
      await viaUrl.page.close();
      // el.set, on a fresh page.
      const viaSet = await open(env);
      await viaSet.page.evaluate(([k, v]) => document.querySelector('vae-playground').set(k, v), [key, value]);
      await viaSet.page.waitForTimeout(300);
      await check(viaSet.page, c, 'el.set');
      await viaSet.page.close();
      // setAttribute on the live element; not for `hidden`, which as an attribute is HTML's own
      // (it hides the element), so that setting takes el.set or the URL.
      if (key === 'hidden') continue;
      const viaAttr = await open(env);
      await viaAttr.page.evaluate(([k, v]) => document.querySelector('vae-playground').setAttribute(k, v), [key, value]);
      await viaAttr.page.waitForTimeout(300);
      await check(viaAttr.page, c, 'attribute');
      await viaAttr.page.close();
    }
  });

  test('controls agree with the run and the URL; moving the element keeps its run', async () => {
    const { page } = await open(env);
    await page.selectOption('#lr', '0.003');
    await page.$eval('#beta', (input) => { input.value = '3'; input.dispatchEvent(new Event('input', { bubbles: true })); });
    await page.selectOption('#dataset', 'bars');
    await until(page, (s) => Math.abs(s.lr - 0.003) < 1e-9 && s.beta === 3 && s.samples === 1800);
    assert.match(await query(page), /dataset=bars.*beta=3.*lr=0\.003/);
    await page.evaluate(() => window.vaePlayground.trainSteps(12));
    await until(page, (s) => s.steps === 12);
    // Moved to another place in the page: the same run goes on.
    await page.evaluate(() => {
      const e = document.querySelector('vae-playground');
      document.body.append(e);
    });
    await page.waitForTimeout(300);
    const s = await page.evaluate(() => document.querySelector('vae-playground').stats);
    assert.equal(s.steps, 12);
    await page.evaluate(() => document.querySelector('vae-playground').step(3));
    await page.waitForFunction(() => document.querySelector('vae-playground').stats.steps === 15);
    await page.close();
  });
});

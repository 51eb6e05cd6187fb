// The data sets that are files beside the page (MNIST, Fashion-MNIST): never fetched by a
// first visit, fetched once with a progress bar when picked, trained on at 28 × 28 with the
// views on a subset the page names; a file that cannot be had gets a notice and the run goes
// on. Screenshots go to tests/out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodePng } from './png.mjs';
import { open, out, start, stats, until, openTab } from './harness.mjs';

let env;
before(async () => { env = await start({ viewport: { width: 1280, height: 900 } }); });
after(async () => { await env.close(); });

const dataRequests = (log) => log.requests.filter((u) => u.includes('/data/'));

/** Whether a view has samples drawn in colour (grey axes and circles do not count). */
async function coloured(page, id) {
  const png = decodePng(await page.locator(`#view-${id}`).screenshot());
  let count = 0;
  for (let i = 0; i < png.rgba.length; i += 4) {
    const [r, g, b] = png.rgba.subarray(i, i + 3);
    if (Math.max(r, g, b) - Math.min(r, g, b) > 40) count += 1;
  }
  return count > 500;
}

describe('data sets that are files', () => {
  test('a first visit fetches no data file, and the data menu offers MNIST and Fashion-MNIST', async () => {
    const { page, log } = await open(env, '');
    await page.waitForTimeout(1500);
    assert.deepEqual(dataRequests(log), []);
    const options = await page.$$eval('#dataset option', (os) => os.map((o) => o.value));
    for (const name of ['mnist', 'fashion']) assert.ok(options.includes(name), options.join());
    assert.equal(await page.isVisible('#subset-note'), false, 'the digits are drawn whole');
    await page.close();
  });

  test('picking MNIST shows the download, then trains at 28 × 28 and draws a named subset', async () => {
    const { page, log } = await open(env, '');
    // Hold the file back a moment, so that the progress can be seen.
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route('**/data/mnist.bin', async (route) => { await held; await route.continue(); });
    await page.selectOption('#dataset', 'mnist');
    await page.waitForSelector('#data-progress:not([hidden])', { timeout: 5000 });
    assert.match(await page.textContent('#data-progress'), /Fetching data\/mnist\.bin/);
    assert.equal((await stats(page)).dataset, 'digits', 'the old run stays while the file comes');
    release();
    const s = await until(page, (x) => x.dataset === 'mnist', 30000);
    assert.equal(await page.isVisible('#data-progress'), false, 'the progress goes when the file is here');
    assert.deepEqual(s.imageSize, [28, 28]);
    assert.equal(s.samples, 2000);
    assert.equal(s.trainingSamples, 10000);
    assert.match(await page.textContent('#subset-note'), /2,000 of the 10,000 samples/);
    assert.equal(await page.inputValue('#dataset'), 'mnist');
    assert.match(await page.url(), /dataset=mnist/);
    const legend = await page.$$eval('.legend li', (lis) => lis.map((li) => li.textContent));
    assert.equal(legend[3], 'digit 3');
    await openTab(page, 'walk');
    assert.match(await page.getAttribute('#pad', 'aria-label'), /^Drawing pad, 28 by 28 pixels/);
    await page.evaluate(() => window.vaePlayground.trainSteps(120));
    const first = await until(page, (x) => x.steps >= 120 && !x.playing, 60000);
    await page.evaluate(() => window.vaePlayground.trainSteps(240));
    const later = await until(page, (x) => x.steps >= 240 && !x.playing, 60000);
    assert.ok(later.models.vae.loss < first.models.vae.loss || later.lastVae.loss < first.lastVae.loss, 'the loss falls');
    for (const id of ['vae', 'ae']) assert.ok(await coloured(page, id), `${id}: the view draws samples`);
    assert.equal(dataRequests(log).length, 1, `fetched once for both models: ${dataRequests(log)}`);
    // The tear works on the 2,000 samples the views show (it used to crash every worker).
    await openTab(page, 'tear');
    await page.selectOption('#tear-steps', '500');
    await page.click('#tear-start');
    await page.waitForFunction(() => { const t = window.vaePlayground.tear; return t && ['vae', 'ae'].every((id) => t[id] && !t[id].running); }, null, { timeout: 120000 });
    const tear = await page.evaluate(() => window.vaePlayground.tear);
    for (const id of ['vae', 'ae']) {
      assert.equal(tear[id].steps, 500, id);
      assert.ok(Number.isFinite(tear[id].delta) && tear[id].moved > 0, `${id}: ${JSON.stringify(tear[id])}`);
    }
    assert.equal((await stats(page)).notice, null, 'no model stopped');
    await page.screenshot({ path: join(out, 'data-mnist-views.png') });
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('a link to Fashion-MNIST builds on it, with its classes named and a pair among its 2,000 shown', async () => {
    const { page, log } = await open(env, '?dataset=fashion&pair=1900,1950');
    const s = await until(page, (x) => x.dataset === 'fashion' && x.steps === 0, 30000);
    await openTab(page, 'walk');
    await page.waitForSelector('#strip-box:not([hidden])', { timeout: 10000 });
    assert.match(await page.textContent('#strip-text'), /^From sample 1900 \(.*\) to sample 1950 /);
    assert.equal(s.notice, null);
    assert.deepEqual(s.imageSize, [28, 28]);
    const legend = await page.$$eval('.legend li', (lis) => lis.map((li) => li.textContent));
    assert.deepEqual(legend.slice(0, 2), ['T-shirt or top', 'trouser']);
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('a data file that cannot be fetched gets a notice, and the run goes on', async () => {
    const { page } = await open(env, '');
    await page.route('**/data/fashion.bin', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.evaluate(() => window.vaePlayground.trainSteps(30));
    await until(page, (x) => x.steps === 30 && !x.playing);
    await page.selectOption('#dataset', 'fashion');
    const s = await until(page, (x) => x.notice && /fashion\.bin/.test(x.notice), 10000);
    assert.match(s.notice, /could not be fetched \(HTTP 404\)/);
    assert.equal(s.dataset, 'digits');
    assert.equal(s.steps, 30, 'the run it had is kept');
    assert.equal(await page.inputValue('#dataset'), 'digits', 'the menu says what runs');
    assert.equal(await page.isVisible('#data-progress'), false);
    // 40 steps more, from the 30 the run stood at (the refused data set started no new run).
    await page.evaluate(() => window.vaePlayground.trainSteps(40));
    await until(page, (x) => x.steps === 70 && !x.playing);
    await page.close();
    // A file that comes but is no data file: its message, and the next pick fetches it afresh.
    const page2 = (await open(env, '')).page;
    let broken = true;
    await page2.route('**/data/fashion.bin', (route) => (broken ? route.fulfill({ status: 200, body: 'VAEI but not really' }) : route.continue()));
    await page2.selectOption('#dataset', 'fashion');
    const bad = await until(page2, (x) => x.notice && /fashion\.bin/.test(x.notice), 15000);
    assert.match(bad.notice, /not a usable data file/);
    assert.equal(bad.dataset, 'digits');
    broken = false;
    await page2.selectOption('#dataset', 'fashion');
    await until(page2, (x) => x.dataset === 'fashion', 30000);
    await page2.close();
    // A link to it falls back to the digits, and says why.
    const again = await open(env, '?dataset=fashion', { waitReady: false });
    await again.page.route('**/data/fashion.bin', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await again.page.reload();
    await again.page.waitForFunction(() => window.vaePlayground && window.vaePlayground.ready, null, { timeout: 15000 });
    const fell = await until(again.page, (x) => x.dataset === 'digits' && x.notice && /fashion\.bin/.test(x.notice), 15000);
    assert.equal(fell.imageSize[0], 8);
    await again.page.close();
  });
});

describe('a link to data of a visitor\'s own', () => {
  test('dataset=own opens with the digits and says that a link cannot carry the data', async () => {
    const { page, log } = await open(env, '?dataset=own');
    const s = await until(page, (x) => x.dataset === 'digits' && x.notice, 15000);
    assert.match(s.notice, /a link cannot carry it/);
    assert.equal(await page.inputValue('#dataset'), 'digits');
    assert.deepEqual(log.errors, []);
    await page.close();
  });
});

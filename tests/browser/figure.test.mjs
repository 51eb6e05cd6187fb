// Figure mode, for embedding: figure=… shows one figure alone without controls, show=…
// hides everything about the models not shown, a caption is text, a walk's pair and a weights
// file come from the URL, and an iframe tells its parent its height. Screenshots go to
// tests/out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dist, open, out, start, stats, until } from './harness.mjs';

let env;
before(async () => { env = await start({ viewport: { width: 1000, height: 800 } }); });
after(async () => { await env.close(); });

/** What a reader sees of the element: the visible text of its shadow root. */
const visibleText = (page) => page.evaluate(() => document.querySelector('vae-playground').shadowRoot.querySelector('.vae-root').innerText);

/** The headings of the parts a reader sees. */
const visibleHeadings = (page) => page.evaluate(() => [...document.querySelector('vae-playground').shadowRoot.querySelectorAll('h2')]
  .filter((h) => h.checkVisibility()).map((h) => h.textContent.trim()));

// Words only the controls, the readouts or the hints carry.
const CHROME = ['Learning rate', 'Batch size', 'Copy link', 'VAE code while training', 'Samples/s', 'Point at a view'];

describe('figure mode', () => {
  // figure, the heading it shows (none for the views and the maps' own), a word of it.
  const FIGURES = [
    ['views', [], 'posterior q(z|x)'],
    ['maps', ['What each decoder makes of its plane'], 'decoder'],
    ['chart', ['Losses over training nats per sample'], 'reconstruction'],
    ['rate', ['Rate and distortion'], 'Each VAE is a dot'],
    ['walk', ['Walk between two samples'], 'Random pair, same class'],
    ['pad', ['Draw an input'], 'Draw with the mouse'],
    ['presets', ['Guided experiments'], 'Far apart is expensive'],
    ['tear', ['Tear the plane: the cheat, built exactly'], 'What it measured'],
    ['pull', ['A pair pulled apart: the price of the cheat'], 'd'],
    ['prior', ['Samples from the prior'], 'Draw samples'],
  ];
  for (const [figure, headings, word] of FIGURES) {
    test(`figure=${figure} shows that figure alone`, async () => {
      const { page, log } = await open(env, `?figure=${figure}&stop=60`);
      await until(page, (s) => s.steps === 60 && !s.playing, 30000);
      const text = await visibleText(page);
      for (const chrome of CHROME) assert.ok(!text.includes(chrome), `figure=${figure} shows "${chrome}"`);
      assert.deepEqual(await visibleHeadings(page), headings);
      assert.ok(text.includes(word), `figure=${figure} shows its own "${word}"`);
      assert.equal(await page.isVisible('.top'), false, 'no page header');
      assert.equal(await page.isVisible('.explain'), false, 'no explanation below');
      await page.screenshot({ path: join(out, `figure-${figure}.png`), fullPage: true });
      assert.deepEqual(log.errors, []);
      await page.close();
    });
  }

  test('show=vae hides everything about the autoencoder, in the whole page and in a figure', async () => {
    const { page } = await open(env, '?show=vae&stop=60');
    await until(page, (s) => s.steps === 60 && !s.playing, 30000);
    const text = await visibleText(page);
    assert.ok(!/Autoencoder|\bAE\b/.test(text), `the AE still shows: ${text.match(/.{40}(Autoencoder|\bAE\b).{40}/s)}`);
    assert.ok(text.includes('VAE'));
    const hidden = await page.evaluate(() => [...document.querySelector('vae-playground').shadowRoot.querySelectorAll('[data-model="ae"]')].every((e) => !e.checkVisibility()));
    assert.ok(hidden, 'every part of the AE is hidden');
    const lines = await page.evaluate(() => document.querySelector('vae-playground').shadowRoot.querySelectorAll('#chart .curve.slot-1').length);
    assert.equal(lines, 0, 'no chart line of the AE');
    await page.close();
    const chart = await open(env, '?figure=chart&show=vae&stop=60');
    await until(chart.page, (s) => s.steps === 60 && !s.playing, 30000);
    assert.ok(!/Autoencoder/.test(await visibleText(chart.page)));
    await chart.page.close();
  });

  test('a caption with markup is shown as text, and long ones are cut with a notice', async () => {
    const caption = 'Figure 1: <b>bold?</b> <img src=x onerror=alert(1)> & 50% more';
    const { page } = await open(env, `?figure=chart&caption=${encodeURIComponent(caption)}`);
    assert.equal(await page.textContent('#caption'), caption);
    assert.equal(await page.evaluate(() => document.querySelector('vae-playground').shadowRoot.querySelector('#caption').children.length), 0, 'no element made of it');
    assert.equal(await page.isVisible('#caption'), true);
    assert.equal((await stats(page)).notice, null);
    // The link the page writes reads back to the same caption.
    const search = await page.evaluate(() => location.search);
    assert.equal(new URLSearchParams(search).get('caption'), caption);
    await page.close();
    const long = await open(env, `?caption=${'a'.repeat(320)}`);
    assert.equal((await long.page.textContent('#caption')).length, 300);
    assert.match((await stats(long.page)).notice || '', /caption is longer than 300 characters/);
    await long.page.close();
  });

  test('pair=I,J fixes the walk; a pair past the data set gets a notice', async () => {
    const { page } = await open(env, '?figure=walk&pair=3,17&stop=100');
    await until(page, (s) => s.steps === 100 && !s.playing, 30000);
    await page.waitForSelector('#strip-box:not([hidden])', { timeout: 5000 });
    assert.match(await page.textContent('#strip-text'), /^From sample 3 \(.*\) to sample 17 /);
    assert.doesNotMatch(await page.textContent('#strip-text'), /in the views/, 'no view to point to');
    await page.screenshot({ path: join(out, 'figure-walk-pair.png'), fullPage: true });
    await page.close();
    const bad = await open(env, '?pair=3,1799');
    await until(bad.page, (s) => s.notice != null, 10000);
    assert.match((await stats(bad.page)).notice, /pair=3,1799: this data set has 1797 samples, numbered 0 to 1796/);
    await bad.page.close();
  });

  test('weights=… starts from a weights file of the site; a missing one gets a notice', async () => {
    // A weights file, exported from a trained page, put on the site for the test.
    const first = await open(env, '?seed=3');
    await first.page.evaluate(() => window.vaePlayground.trainSteps(400));
    await until(first.page, (s) => s.steps === 400 && !s.playing, 30000);
    await first.page.click('details.export > summary');
    const [download] = await Promise.all([first.page.waitForEvent('download'), first.page.click('#export-vae')]);
    const dir = join(dist, 'test-figures');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'vae.json');
    await download.saveAs(file);
    const trained = (await stats(first.page)).models.vae;
    await first.page.close();
    try {
      const { page, log } = await open(env, '?figure=views&weights=test-figures/vae.json');
      await page.waitForFunction(() => (window.vaePlayground.loaded || []).includes('vae'), null, { timeout: 10000 });
      const s = await until(page, (x) => x.models.vae.meanSigma != null && Math.abs(x.models.vae.meanSigma - trained.meanSigma) < 1e-4, 10000);
      assert.equal(s.steps, 0, 'loaded, not trained');
      assert.ok(log.requests.some((r) => r.endsWith('/test-figures/vae.json')));
      assert.equal(s.notice, null);
      await page.screenshot({ path: join(out, 'figure-weights.png'), fullPage: true });
      await page.close();
      const missing = await open(env, '?weights=test-figures/none.json');
      await until(missing.page, (x) => x.notice != null, 10000);
      assert.match((await stats(missing.page)).notice, /The weights file test-figures\/none\.json was not loaded: the site answered 404/);
      await missing.page.close();
      const away = await open(env, '?weights=//example.com/w.json');
      assert.match((await stats(away.page)).notice || '', /weights="\/\/example\.com\/w\.json" is not a path on this site/);
      await away.page.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('in an iframe, the page tells its parent its height, and resize.js sizes the iframe to it', async () => {
    const page = await env.context.newPage();
    const base = env.server.url;
    await page.goto(new URL('examples/', base).href);   // any page of the site, as the parent
    await page.evaluate((src) => {
      document.body.innerHTML = '';
      const frame = document.createElement('iframe');
      frame.style.width = '700px';
      frame.style.border = '0';
      frame.src = src;
      document.body.append(frame);
    }, new URL(`?figure=chart&stop=60&caption=${encodeURIComponent('The losses while training')}`, base).href);
    await page.addScriptTag({ url: new URL('examples/resize.js', base).href });
    // The iframe may not have started its page yet: wait for its frame to appear.
    let frame;
    for (let k = 0; k < 100 && !frame; k++) {
      frame = page.frames().find((f) => f.url().includes('figure=chart'));
      if (!frame) await page.waitForTimeout(100);
    }
    assert.ok(frame, 'the iframe\'s page started');
    await frame.waitForFunction(() => window.vaePlayground && window.vaePlayground.ready && window.vaePlayground.stats.steps === 60, null, { timeout: 30000 });
    await page.waitForTimeout(500);
    const told = await frame.evaluate(() => window.vaePlayground.toldHeight);
    const content = await frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().bottom + window.scrollY));
    const iframe = await page.evaluate(() => document.querySelector('iframe').getBoundingClientRect().height);
    assert.ok(told > 200, `told ${told}`);
    assert.equal(told, content, 'the height told is the content\'s');
    assert.equal(iframe, told, 'the iframe is as tall as its content');
    const scrolls = await frame.evaluate(() => document.documentElement.scrollHeight > document.documentElement.clientHeight);
    assert.equal(scrolls, false, 'nothing to scroll inside the iframe');
    await page.screenshot({ path: join(out, 'figure-iframe.png'), fullPage: true });
    await page.close();
  });
});

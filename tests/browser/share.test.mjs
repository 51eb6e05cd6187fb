// Links that reproduce a run, bad URL parameters, embed mode, hiding and locking controls.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, out, start, stats, until, openMore } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

/** The VAE's and AE's batch losses at step `n` of the run the URL describes. */
async function lossesAtStep(path, n) {
  const { page } = await open(env, path);
  await page.evaluate((k) => window.vaePlayground.trainSteps(k), n - 1);
  await until(page, (s) => s.steps === n - 1);
  await page.evaluate(() => window.vaePlayground.trainSteps(1));
  await until(page, (s) => s.steps === n);
  const losses = await page.evaluate(() => [window.vaePlayground.losses.vae, window.vaePlayground.losses.ae]);
  await page.close();
  return losses;
}

describe('links and embedding', () => {
  test('the same URL loaded twice gives identical losses at step 200; another seed does not', async () => {
    const a = await lossesAtStep('?seed=7&beta=2', 200);
    const b = await lossesAtStep('?seed=7&beta=2', 200);
    assert.deepEqual(a, b);
    assert.ok(Number.isFinite(a[0].loss) && a[0].kl > 0);
    const c = await lossesAtStep('?seed=8&beta=2', 200);
    assert.notDeepEqual(a, c);
  });

  test('five loads of one link, held at step 840, show the same digits everywhere', async () => {
    // The losses are over windows fixed in steps (the last epoch's batches; the chart's
    // points at each epoch's end), so nothing on the page depends on when it was read.
    const seen = [];
    for (let load = 0; load < 5; load++) {
      const { page } = await open(env, '?stop=840');
      await until(page, (s) => s.steps === 840 && !s.playing, 30000);
      await page.waitForTimeout(300);
      seen.push(await page.evaluate(() => {
        const el = document.querySelector('vae-playground');
        const text = (id) => el.shadowRoot.getElementById(id).textContent;
        const s = el.stats;
        return {
          stats: JSON.stringify({ vae: s.vae, ae: s.ae, models: s.models }),
          readouts: ['r-step', 'r-epoch', 'r-vae-loss', 'r-vae-recon', 'r-vae-kl', 'r-vae-rate', 'r-vae-sigma', 'r-ae-loss', 'r-ae-spread'].map(text),
          history: JSON.stringify(['vae', 'ae'].map((id) => window.vaePlayground.history[id])),
        };
      }));
      await page.close();
    }
    assert.ok(seen[0].readouts[2] !== '–', 'the VAE loss is shown');
    assert.ok(JSON.parse(seen[0].history)[0].length >= 29, 'a chart point per epoch');
    for (const other of seen.slice(1)) assert.deepEqual(other, seen[0]);
  });

  test('bad parameters fall back, say so, and inject nothing', async () => {
    const markup = encodeURIComponent('<img src=x onerror="window.injected=1">');
    let dialogs = 0;
    const { page, log } = await open(env, `?beta=banana&lr=-1&batch=1e9&seed=&colour=red&show=${markup}`);
    page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
    const s = await stats(page);
    assert.equal(s.beta, 1, 'beta=banana: the default');
    assert.ok(Math.abs(s.lr - 1e-5) < 1e-9, `lr=-1: the smallest learning rate, got ${s.lr}`);
    assert.equal(s.batch, 1797, 'batch=1e9: the largest batch');
    assert.equal(s.seed, 0, 'seed= (empty): the default');
    const items = await page.$$eval('#notice-list li', (lis) => lis.map((li) => li.textContent));
    assert.equal(items.length, 6, items.join('\n'));
    assert.match(items.join('\n'), /beta="banana" is not a number/);
    assert.match(items.join('\n'), /"colour" is not known/);
    assert.match(items.join('\n'), /<img src=x onerror=/, 'the markup is shown as text');
    assert.equal(await page.isVisible('#notice'), true);
    assert.equal(await page.$$eval('#notice img, img', (imgs) => imgs.length), 0);
    assert.equal(await page.evaluate(() => window.injected), undefined);
    assert.equal(dialogs, 0);
    // The page still trains, and its URL now says what it runs.
    await page.click('#play');
    await until(page, (x) => x.steps > 3);
    const query = await page.evaluate(() => location.search);
    assert.match(query, /lr=0\.00001/);
    assert.match(query, /batch=1797/);
    assert.doesNotMatch(query, /banana|colour|img/);
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('controls change the URL, and Copy link gives a link that reproduces the settings', async () => {
    const { page } = await open(env, '?seed=3');
    await openMore(page);
    await page.selectOption('#lr', '0.003');
    await page.selectOption('#noise', 'mean');
    await page.$eval('#beta', (input) => { input.value = '2.5'; input.dispatchEvent(new Event('input', { bubbles: true })); });
    await page.waitForFunction(() => /beta=2\.5/.test(location.search) && /lr=0\.003/.test(location.search) && /noise=mean/.test(location.search));
    await page.click('#copy-link');
    const link = await page.evaluate(() => window.vaePlayground.copied);
    assert.match(link, /seed=3/);
    await page.close();
    const again = await open(env, new URL(link).search);
    const s = await stats(again.page);
    assert.deepEqual([s.seed, s.beta, s.noise], [3, 2.5, 'mean']);
    assert.ok(Math.abs(s.lr - 0.003) < 1e-9);
    assert.equal(await again.page.inputValue('#lr'), '0.003');
    await again.page.close();
  });

  test('an author can hide controls, lock β and show one model', async () => {
    const { page } = await open(env, '?embed=1&hide=lr,dataset,beta&beta=2&show=vae');
    assert.equal(await page.isVisible('[data-part="lr"]'), false);
    assert.equal(await page.isVisible('[data-part="dataset"]'), false);
    assert.equal(await page.isVisible('[data-part="beta"]'), false);
    assert.equal(await page.isVisible('#play'), true);
    assert.equal(await page.isVisible('#view-vae'), true);
    assert.equal(await page.isVisible('#view-ae'), false);
    assert.equal((await stats(page)).beta, 2);
    assert.equal(await page.isVisible('.top'), false, 'no page chrome');
    const full = await page.getAttribute('#open-full', 'href');
    assert.match(full, /beta=2/);
    assert.doesNotMatch(full, /embed|hide/);
    await page.close();
  });

  for (const [width, height] of [[320, 480], [1280, 800]]) {
    test(`embed mode at ${width}x${height} shows the views uncut`, async () => {
      const { page } = await open(env, '?embed=1', { viewport: { width, height } });
      await page.evaluate(() => window.vaePlayground.trainSteps(50));
      await until(page, (s) => s.steps === 50);
      for (const id of ['view-vae', 'view-ae']) {
        const box = await page.locator(`#${id}`).boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= width + 0.5, `${id} fits across: ${JSON.stringify(box)}`);
        assert.ok(box.width >= 0.6 * Math.min(width, 400), `${id} is not squeezed: ${box.width}`);
      }
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= width, `no sideways scrolling: ${scrollWidth}`);
      await page.screenshot({ path: join(out, `embed-${width}x${height}.png`), fullPage: true });
      await page.close();
    });
  }

  test('the full page works on a 360 px phone without sideways scrolling', async () => {
    const { page } = await open(env, '', { viewport: { width: 360, height: 740 } });
    await page.click('#play');
    await until(page, (s) => s.steps > 20);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 360, `no sideways scrolling: ${scrollWidth}`);
    const box = await page.locator('#view-vae').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360);
    const button = await page.locator('#play').boundingBox();
    assert.ok(button.height >= 40, `touch-sized buttons: ${button.height}px`);
    await page.screenshot({ path: join(out, 'page-360.png'), fullPage: true });
    await page.close();
  });

  test('stop=N trains to step N and holds there, the same figure for every reader', async () => {
    const losses = [];   // per load: figures of the model at step 120
    for (const reducedMotion of ['no-preference', 'reduce']) {
      const { page, log } = await open(env, '?stop=120', { reducedMotion });
      await until(page, (x) => x.steps === 120 && !x.playing, 30000);
      await page.waitForTimeout(800);
      const s = await stats(page);
      assert.equal(s.steps, 120, 'it holds');
      assert.equal(s.models.vae.steps, 120);
      assert.equal(s.models.ae.steps, 120);
      assert.equal(await page.textContent('#play'), 'Train');
      // What the weights at step 120 make of the data (the losses shown are means over the
      // last report's steps, which depend on timing; these do not).
      losses.push([s.models.vae.meanSigma, s.models.vae.spread, s.models.ae.spread]);
      assert.deepEqual(log.errors, []);
      await page.close();
    }
    assert.deepEqual(losses[0], losses[1], 'the same figure for every reader');
  });

  test('autoplay starts training, but not for visitors who ask for reduced motion', async () => {
    const moving = await open(env, '?autoplay=1');
    await until(moving.page, (s) => s.playing && s.steps > 0);
    await moving.page.close();
    const still = await open(env, '?autoplay=1', { reducedMotion: 'reduce' });
    await still.page.waitForTimeout(800);
    const s = await stats(still.page);
    assert.equal(s.playing, false);
    assert.equal(s.steps, 0);
    await still.page.close();
  });
});

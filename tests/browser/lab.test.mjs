// A lab of models: one to four recipes side by side, each in its own worker, kept in lockstep,
// each run reproducible whatever the timing of the workers; a crash in one is shown for that
// model and Reset recovers it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, out, start, stats, until, openTab } from './harness.mjs';

let env;
before(async () => { env = await start({ viewport: { width: 1280, height: 1000 } }); });
after(async () => { await env.close(); });

const FOUR = 'vae,ae,vae:beta=0,vae:noise=mean';
const IDS = ['vae', 'ae', 'vae-beta-0', 'vae-noise-mean'];
const stepsOf = (s) => Object.values(s.models).map((m) => m.steps);

/** Each model's batch losses at step `n` of the run the URL describes (the last report then
 * covers that one step alone). */
async function lossesAtStep(path, n) {
  const { page } = await open(env, path);
  await page.evaluate((k) => window.vaePlayground.trainSteps(k), n - 1);
  await until(page, (s) => stepsOf(s).every((k) => k === n - 1) && !s.playing);
  await page.evaluate(() => window.vaePlayground.trainSteps(1));
  await until(page, (s) => stepsOf(s).every((k) => k === n) && !s.playing);
  const losses = await page.evaluate(() => window.vaePlayground.losses);
  await page.close();
  return losses;
}

describe('a lab of models', () => {
  test('four recipes train side by side in lockstep, each drawn in its own view', async () => {
    const { page, log } = await open(env, `?models=${FOUR}`);
    for (const id of IDS) assert.equal(await page.isVisible(`#view-${id}`), true, id);
    assert.deepEqual(await page.evaluate(() => window.vaePlayground.models), FOUR.split(','));
    // step(n): every model reports n.
    await page.evaluate(() => window.vaePlayground.trainSteps(40));
    const s = await until(page, (x) => stepsOf(x).every((k) => k === 40) && !x.playing);
    assert.equal(s.steps, 40);
    // Each recipe trains as it says: no KL term in the loss of β = 0; its own noise and β hold.
    const losses = await page.evaluate(() => window.vaePlayground.losses);
    assert.deepEqual(Object.keys(losses).sort(), [...IDS].sort());
    assert.equal(losses['vae-beta-0'].loss, losses['vae-beta-0'].recon);
    assert.ok(losses['vae-beta-0'].kl > 0);
    assert.ok(losses.vae.loss > losses.vae.recon);
    assert.equal(s.models['vae-beta-0'].beta, 0);
    assert.equal(s.models['vae-noise-mean'].noise, 'mean');
    assert.equal(s.models.vae.noise, 'sample');
    // Playing: no model runs far ahead of the slowest; after a pause, all stand at one step.
    await page.click('#play');
    for (let i = 0; i < 8; i++) {
      await page.waitForTimeout(250);
      const k = stepsOf(await stats(page));
      assert.ok(Math.max(...k) - Math.min(...k) <= 128 + 256, `models at steps ${k}`);
    }
    await page.click('#play');
    const paused = await until(page, (x) => !x.playing);
    const k = stepsOf(paused);
    assert.ok(k.every((x) => x === k[0]) && k[0] > 40, `after a pause: ${k}`);
    // Every model is shown in the readouts, the chart, the inspector, the walk and the pad.
    for (const id of IDS) {
      assert.notEqual(await page.textContent(`#r-${id}-loss`), '–', id);
      await openTab(page, 'numbers');
      assert.equal(await page.$$eval(`#chart .slot-${IDS.indexOf(id)}`, (n) => n.length) > 0, true, `chart line of ${id}`);
    }
    await page.locator('#view-ae').scrollIntoViewIfNeeded();   // back up from the tabs
    const box = await page.locator('#view-ae').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() => window.vaePlayground.decoded, null, { timeout: 5000 });
    const decoded = await page.evaluate(() => window.vaePlayground.decoded);
    for (const id of IDS) assert.equal(decoded[id].length, 64, `decoded by ${id}`);
    await openTab(page, 'walk');
    await page.click('#pair-same');
    await page.waitForFunction(() => window.vaePlayground.strip, null, { timeout: 5000 });
    const strip = await page.evaluate(() => window.vaePlayground.strip);
    for (const id of IDS) assert.equal(strip[id].length, 640, `strip of ${id}`);
    await page.screenshot({ path: join(out, 'lab-four-models.png'), fullPage: true });
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('"the ingredients apart" builds its four-model lab, trains it, and reads out spread, positions and rate', async () => {
    const { page, log } = await open(env, '?beta=3');
    await openTab(page, 'question');
    await page.click('[data-preset="ingredients"]');
    const recipes = ['ae', 'ae:sigma=0.5', 'vae:noise=mean', 'vae'];
    await page.waitForFunction((r) => window.vaePlayground.models.join(',') === r, recipes.join(','), { timeout: 15000 });
    // It trains the 30 epochs its text is quoted at, then pauses.
    await until(page, (x) => x.models && Object.keys(x.models).length === 4 && !x.playing && x.steps === 840, 60000);
    await page.waitForTimeout(300);
    const s = await stats(page);
    assert.equal(s.beta, 1, 'the experiment\'s own β');
    assert.equal(s.fit, true, 'each view at its own scale');
    assert.match(await page.textContent('#preset-text'), /noise alone/);
    const m = s.models;
    // The fixed noise is σ₀ on every code of that autoencoder, and only there.
    assert.equal(m['ae-sigma-0-5'].sigma, 0.5);
    assert.equal(m['ae-sigma-0-5'].noisy, true);
    assert.ok(Math.abs(m['ae-sigma-0-5'].meanSigma - 0.5) < 1e-6);
    assert.equal(m.ae.noisy, false);
    assert.equal(m['vae-noise-mean'].noisy, false);
    // Positions per axis: a number pair where there is noise, "unbounded" where there is none.
    assert.equal(m.ae.positionsPerAxis, undefined, 'none: unbounded');
    assert.equal(m['vae-noise-mean'].positionsPerAxis, undefined);
    for (const id of ['ae-sigma-0-5', 'vae']) {
      assert.equal(m[id].positionsPerAxis.length, 2, id);
      assert.ok(m[id].positionsPerAxis.every((p) => p >= 1), id);
      assert.match(await page.textContent(`#r-${id}-positions`), /^\d+\.\d × \d+\.\d$/, id);
    }
    assert.match(await page.textContent('#r-ae-positions'), /unbounded \(no noise\)/);
    assert.match(await page.textContent('#r-vae-noise-mean-positions'), /unbounded \(noise off/);
    for (const id of ['ae', 'ae-sigma-0-5', 'vae-noise-mean', 'vae']) {
      assert.ok(m[id].spread > 0, id);
      assert.equal(await page.textContent(`#r-${id}-spread`), m[id].spread.toFixed(2), id);
    }
    // The KL as a rate: bits and distinguishable codes, from the KL shown beside it.
    const kl = Number(await page.textContent('#r-vae-kl'));
    const rate = await page.textContent('#r-vae-rate');
    const [, bits, codes] = rate.match(/^([\d.]+) bits, about (\d+) distinguishable codes$/);
    assert.ok(Math.abs(Number(bits) - kl / Math.LN2) < 0.1, `${rate} for a KL of ${kl}`);
    assert.ok(Math.abs(Number(codes) - Math.exp(kl)) <= Math.exp(kl) * 0.02 + 1, `${rate} for a KL of ${kl}`);
    // Larger counts (MNIST's KL of 5 nats and more) read as numbers, not 1.6e+2; beyond a
    // million as powers of ten, also past what a number holds (β = 0 reaches e^700 and more).
    const counts = await page.evaluate(async () => {
      const { countText } = await import('./format.js');
      return [...[1.2, 7.4, 148.4, 1632, 59874, 2.4e6, 8.6e8, 9.97e11].map((n) => countText(n)), countText(Infinity, 1000 / Math.LN10)];
    });
    assert.deepEqual(counts, ['1', '7', '150', '1,600', '60,000', '2.4 × 10⁶', '8.6 × 10⁸', '1.0 × 10¹²', '2.0 × 10⁴³⁴']);
    await page.screenshot({ path: join(out, 'preset-ingredients.png'), fullPage: true });
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('each model\'s run is the same, step for step, whatever the timing of the workers', async () => {
    const a = await lossesAtStep('?models=vae,ae,vae:beta=0&seed=4', 150);
    const b = await lossesAtStep('?models=vae,ae,vae:beta=0&seed=4', 150);
    assert.deepEqual(a, b);
    // The plain models of a three-model lab train exactly as they do in the default lab.
    const two = await lossesAtStep('?seed=4', 150);
    assert.deepEqual([two.vae, two.ae], [a.vae, a.ae]);
  });

  test('a crash in one model\'s worker is shown for that model, and Reset recovers it', async () => {
    const { page } = await open(env);
    await page.evaluate(() => window.vaePlayground.trainSteps(20));
    await until(page, (s) => s.steps === 20);
    await page.evaluate(() => window.vaePlayground.debugPanic(1));
    const s = await until(page, (x) => x.notice != null);
    assert.match(s.notice, /inside the model Autoencoder/);
    assert.match(s.notice, /deliberate panic/);
    await page.click('#notice-reset');
    await until(page, (x) => x.notice == null && x.steps === 0);
    await page.evaluate(() => window.vaePlayground.trainSteps(5));
    const again = await until(page, (x) => stepsOf(x).every((k) => k === 5) && !x.playing);
    assert.equal(again.models.ae.steps, 5);
    await page.close();
  });

  test('the list of models comes from the link or el.set, by the one table', async () => {
    const bad = await open(env, '?models=vae,gan');
    assert.match(await bad.page.evaluate(() => window.vaePlayground.notice), /models="vae,gan" cannot be read \(a model is vae or ae, not "gan"\)/);
    assert.deepEqual(await bad.page.evaluate(() => window.vaePlayground.models), ['vae', 'ae']);
    await bad.page.close();
    const { page } = await open(env);
    await page.evaluate(() => document.querySelector('vae-playground').set('models', 'ae,vae:beta=2'));
    await page.waitForFunction(() => window.vaePlayground.models.join() === 'ae,vae:beta=2' && window.vaePlayground.ready, null, { timeout: 10000 });
    assert.match(await page.evaluate(() => location.search), /models=ae,vae:beta=2/);
    assert.equal(await page.isVisible('#view-vae-beta-2'), true);
    assert.equal(await page.$$eval('#view-vae', (n) => n.length), 0);
    await page.evaluate(() => window.vaePlayground.trainSteps(3));
    await until(page, (x) => x.steps === 3 && x.models['vae-beta-2'].beta === 2);
    await page.close();
  });
});

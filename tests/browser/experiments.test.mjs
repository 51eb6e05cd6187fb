// The experiments that put the student's question to the test: the plane torn with every KL
// kept, and the price each model's decoder still pays after retraining on it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodePng } from './png.mjs';
import { drawStroke, open, out, start, stats, until, openTab } from './harness.mjs';

let env;
before(async () => { env = await start({ viewport: { width: 1280, height: 1000 } }); });
after(async () => { await env.close(); });

/** Pixels of the cut's red (the drawing mark's colour, 0xE0 0x10 0x10) in a canvas's screenshot. */
async function redPixels(page, id, name) {
  const png = decodePng(await page.locator(`#${id}`).screenshot({ path: join(out, name) }));
  let n = 0;
  for (let i = 0; i < png.rgba.length; i += 4) {
    if (png.rgba[i] > 190 && png.rgba[i + 1] < 70 && png.rgba[i + 2] < 70) n += 1;
  }
  return n;
}

const done = (ids) => (tear) => tear && ids.every((id) => tear[id] && !tear[id].running);

describe('tear the plane', () => {
  test('tears every model with its KL kept, draws the cut, and reports the price per model', async () => {
    const { page, log } = await open(env, '?models=vae,ae');
    await page.evaluate(() => window.vaePlayground.trainSteps(300));
    await until(page, (s) => s.steps === 300 && !s.playing, 30000);
    const before = await redPixels(page, 'view-vae', 'tear-before.png');
    await openTab(page, 'tear');
    await page.selectOption('#tear-steps', '500');
    await page.click('#tear-start');
    await page.waitForFunction((ids) => { const t = window.vaePlayground.tear; return t && ids.every((id) => t[id] && !t[id].running); }, ['vae', 'ae'], { timeout: 60000 });
    const tear = await page.evaluate(() => window.vaePlayground.tear);
    assert.ok(done(['vae', 'ae'])(tear));
    for (const id of ['vae', 'ae']) {
      const r = tear[id];
      assert.equal(r.steps, 500, id);
      assert.equal(r.klAfter, r.klBefore, `${id}: the student's condition, every KL as it was`);
      assert.ok(r.moved > 0.2 && r.moved < 0.8, `${id}: about half the codes moved, ${r.moved}`);
      assert.ok(Number.isFinite(r.delta) && r.delta !== 0, `${id}: a price, ${r.delta}`);
      assert.equal(await page.textContent(`#tear-${id}-delta`), `${r.delta >= 0 ? '+' : ''}${r.delta.toFixed(2)}`);
      assert.equal(await page.textContent(`#tear-${id}-steps`), '500 of 500');
      assert.ok(r.met > 0, `${id}: unlike inputs meet along the cut`);
      assert.equal(await page.textContent(`#tear-${id}-met`), String(r.met));
    }
    assert.ok(tear.vae.klBefore > 0, 'the VAE has a KL to keep');
    assert.equal(tear.vae.cut.z1, 0, 'the VAE is cut through the origin');
    assert.equal(tear.vae.cut.z2, 0);
    assert.equal(await page.textContent('#tear-ae-kl'), 'no KL');
    const s = await stats(page);
    assert.equal(s.models.vae.tearing, true);
    assert.equal(s.models.vae.steps, 300, 'the models themselves are not trained by the tear');
    // The cut shows: a red line across the VAE's view that was not there before.
    const during = await redPixels(page, 'view-vae', 'tear-during.png');
    assert.ok(during > before + 300, `red pixels ${before} → ${during}`);
    assert.match(await page.textContent('#tear-status'), /^Done/);
    await page.locator('.tear').screenshot({ path: join(out, 'tear-panel.png') });
    // "Put it back": the models as trained again, the panel cleared.
    await page.click('#tear-stop');
    await page.waitForFunction(() => window.vaePlayground.tear == null, null, { timeout: 5000 });
    await until(page, (x) => x.models.vae.tearing === false);
    assert.equal(await page.textContent('#tear-vae-delta'), '–');
    const after = await redPixels(page, 'view-vae', 'tear-after.png');
    assert.ok(after < during - 300, `the cut is gone: ${during} → ${after}`);
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('training again ends a tear', async () => {
    const { page, log } = await open(env, '?models=vae');
    await page.evaluate(() => window.vaePlayground.trainSteps(100));
    await until(page, (s) => s.steps === 100 && !s.playing, 30000);
    await openTab(page, 'tear');
    await page.selectOption('#tear-steps', '5000');
    await page.click('#tear-start');
    await page.waitForFunction(() => window.vaePlayground.tear && window.vaePlayground.tear.vae, null, { timeout: 10000 });
    await page.click('#play');
    await page.waitForFunction(() => window.vaePlayground.tear == null, null, { timeout: 10000 });
    await until(page, (s) => s.steps > 150 && s.models.vae.tearing === false, 20000);
    await page.click('#play');
    await until(page, (s) => !s.playing);
    assert.deepEqual(log.errors, []);
    await page.close();
  });
});

describe('the figures in context, the rate–distortion plane and samples from the prior', () => {
  test('figures name their step and spread, the floor shows, and each VAE moves on the rate–distortion plane', async () => {
    const { page, log } = await open(env, '?models=vae,ae');
    assert.equal(await page.textContent('#r-vae-path'), 'computing…', 'nothing before the first computation');
    await page.evaluate(() => window.vaePlayground.trainSteps(200));
    await until(page, (s) => s.steps === 200 && !s.playing, 30000);
    await page.waitForFunction(() => window.vaePlayground.metrics && window.vaePlayground.metrics.steps === 200, null, { timeout: 20000 });
    const s = await stats(page);
    assert.ok(s.reconFloor > 13 && s.reconFloor < 15, `the digits' entropy: ${s.reconFloor}`);
    assert.equal(await page.textContent('#r-floor'), `${s.reconFloor.toFixed(1)} nats`);
    const m = await page.evaluate(() => window.vaePlayground.metrics.vae);
    assert.ok(m.pathQuartiles[0] <= m.pathQuartiles[1], JSON.stringify(m.pathQuartiles));
    assert.equal(await page.textContent('#r-vae-path'), `${m.pathRatio.toFixed(2)} (${m.pathQuartiles[0].toFixed(2)}–${m.pathQuartiles[1].toFixed(2)})`);
    assert.ok(m.reconAtMean > s.reconFloor && m.reconAtMean < m.recon, `at z = μ ${m.reconAtMean}, sampled ${m.recon}`);
    assert.equal(await page.textContent('#r-vae-recon-mean'), m.reconAtMean.toFixed(2));
    assert.match(await page.textContent('#metrics-step'), /at step 200;/);
    // The plane: one dot per VAE, the autoencoder named beside it.
    await page.waitForFunction(() => window.vaePlayground.rate && window.vaePlayground.rate.length === 1, null, { timeout: 5000 });
    await openTab(page, 'rate');
    assert.equal(await page.locator('#rate-plot circle.dot').count(), 1);
    assert.match(await page.textContent('#rate-off'), /Not on the plane: Autoencoder/);
    const before = await page.evaluate(() => window.vaePlayground.rate[0]);
    // The dot is the run at its step: the readouts' KL and reconstruction, to their digits.
    const { kl, recon } = await page.evaluate(() => window.vaePlayground.losses.vae);
    assert.deepEqual([before.rate, before.distortion], [kl, recon]);
    assert.equal(await page.textContent('#r-vae-kl'), kl.toFixed(2));
    // β = 4 presses the VAE towards the prior: its rate falls as it trains on.
    await page.evaluate(() => document.querySelector('vae-playground').set('beta', 4));
    await page.evaluate(() => window.vaePlayground.trainSteps(600));
    await until(page, (x) => x.steps === 800 && !x.playing, 30000);
    await page.waitForFunction((r) => window.vaePlayground.rate[0].rate < r - 0.3, before.rate, { timeout: 5000 });
    const after = await page.evaluate(() => window.vaePlayground.rate[0]);
    assert.equal(after.beta, 4);
    await page.locator('.rate-box').screenshot({ path: join(out, 'rate-distortion.png') });
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('samples from the prior come with the training image each is nearest to, and a collapsed VAE\'s blur scores worse', async () => {
    const { page, log } = await open(env, '?models=vae,ae,vae:beta=8');
    await page.evaluate(() => window.vaePlayground.trainSteps(840));
    await until(page, (s) => s.steps === 840 && !s.playing, 60000);
    await openTab(page, 'prior');
    await page.click('#prior-draw');
    await page.waitForFunction(() => { const p = window.vaePlayground.prior; return p && p.vae && p.ae && p['vae-beta-8']; }, null, { timeout: 20000 });
    const p = await page.evaluate(() => window.vaePlayground.prior);
    for (const [id, r] of Object.entries(p)) {
      assert.equal(r.shown, 16, id);
      assert.equal(r.images.length, 16 * 64, id);
      assert.equal(r.nearestImages.length, 16 * 64, id);
      assert.ok(r.nearest.every((i) => Number.isInteger(i) && i >= 0 && i < 1797), id);
      assert.ok(Number.isFinite(r.median) && Number.isFinite(r.reconstruction), id);
      assert.equal(await page.locator(`#prior-${id} .prior-cell`).count(), 16, id);
    }
    assert.equal(p.vae.source, 'prior');
    assert.equal(p.ae.source, 'fitted');
    assert.ok(p['vae-beta-8'].median > p.vae.median + 2, `collapsed ${p['vae-beta-8'].median}, VAE ${p.vae.median}`);
    // Each click draws new samples.
    const first = p.vae.images.slice(0, 64).join();
    await page.click('#prior-draw');
    await page.waitForFunction((f) => { const v = window.vaePlayground.prior && window.vaePlayground.prior.vae; return v && v.images.slice(0, 64).join() !== f; }, first, { timeout: 20000 });
    await page.locator('.prior').screenshot({ path: join(out, 'prior-samples.png') });
    assert.deepEqual(log.errors, []);
    await page.close();
  });
});

describe('a pair pulled apart', () => {
  test('two similar inputs held d apart: the VAE\'s price grows with d, and each model reports its own', async () => {
    const { page, log } = await open(env, '?models=vae,ae');
    await page.evaluate(() => window.vaePlayground.trainSteps(400));
    await until(page, (s) => s.steps === 400 && !s.playing, 30000);
    await openTab(page, 'pull');
    await page.click('#pull-similar');
    await page.waitForFunction(() => window.vaePlayground.pull && window.vaePlayground.pull.pair, null, { timeout: 5000 });
    const [i, j] = await page.evaluate(() => window.vaePlayground.pull.pair);
    assert.ok(i !== j);
    // The pair shows as the walk's path in every view.
    await page.waitForFunction((p) => window.vaePlayground.strip && window.vaePlayground.strip.ends.join() === p.join(), [i, j], { timeout: 5000 });
    const at = async (d) => {
      await page.locator('#pull-d').fill(String(d));
      const from = (await stats(page)).steps;
      await page.evaluate(() => window.vaePlayground.trainSteps(400));
      await until(page, (s) => s.steps === from + 400 && !s.playing, 30000);
      // The figures measured once those 400 steps are done.
      await page.waitForFunction(([k, step]) => { const c = window.vaePlayground.pull.curves; return ['vae', 'ae'].every((id) => c[id] && c[id][k] && c[id][k].step === step); }, [d.toFixed(1), from + 400], { timeout: 10000 });
      return page.evaluate((k) => ({ vae: window.vaePlayground.pull.curves.vae[k], ae: window.vaePlayground.pull.curves.ae[k] }), d.toFixed(1));
    };
    await page.click('#pull-start');
    await page.click('#play');   // the pull starts training; the test steps it instead
    await until(page, (s) => !s.playing);
    const near = await at(0);
    const far = await at(8);
    for (const id of ['vae', 'ae']) {
      assert.ok(Math.abs(far[id].apart - 8) < 0.3, `${id} held 8 apart: ${far[id].apart}`);
      assert.ok(near[id].apart < 0.3, `${id} held together: ${near[id].apart}`);
    }
    // A VAE pays the KL of two means 4 from the centre (at least 8 nats each) and more.
    assert.ok(far.vae.pairLoss > near.vae.pairLoss + 8, `VAE pair ${near.vae.pairLoss} → ${far.vae.pairLoss}`);
    assert.equal(await page.locator('#pull-plot polyline').count(), 4, 'the pair\'s and the data\'s curves per model');
    assert.match(await page.textContent('#pull-now'), /^At d = 8\.0: VAE: the pair/);
    await page.locator('.pull').screenshot({ path: join(out, 'pull.png') });
    assert.deepEqual(log.errors, []);
    await page.close();
  });
});

describe('free codes', () => {
  test('models with free codes train, can be inspected and walked, and say that a drawing has no code there', async () => {
    const { page, log } = await open(env, '?models=vae:free,ae:free,vae');
    assert.match(await page.textContent('[data-view="vae-free"] figcaption'), /no encoder/);
    await page.evaluate(() => window.vaePlayground.trainSteps(300));
    const s = await until(page, (x) => x.steps === 300 && !x.playing, 30000);
    assert.ok(s.models['vae-free'].meanSigma > 0, 'free posteriors have their own σ');
    const losses = await page.evaluate(() => window.vaePlayground.losses);
    assert.ok(losses['vae-free'].kl > 0 && losses['ae-free'].kl === 0);
    // Inspecting a training input reads its code from the table.
    const box = await page.locator('#view-vae-free').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() => window.vaePlayground.decoded && window.vaePlayground.decoded['vae-free'], null, { timeout: 5000 });
    await openTab(page, 'walk');
    await page.click('#pair-same');
    await page.waitForFunction(() => window.vaePlayground.strip && window.vaePlayground.strip['ae-free'], null, { timeout: 5000 });
    // A drawing: the VAE places it; the free-code models say they cannot.
    await drawStroke(page);   // a vertical stroke: a "1"
    await page.waitForFunction(() => window.vaePlayground.drawing, null, { timeout: 5000 });
    const text = await page.textContent('#pad-text');
    assert.match(text, /VAE: μ = \(/);
    assert.match(text, /VAE, free codes: no code \(free codes, no encoder/);
    // Its weights are not offered: there is no encoder to store (the worker refuses too).
    await page.locator('summary', { hasText: 'Export' }).click();
    assert.equal(await page.isDisabled('#export-ae-free'), true);
    assert.match(await page.getAttribute('#export-ae-free', 'title'), /no encoder network/);
    assert.equal(await page.isDisabled('#export-vae'), false);
    await page.screenshot({ path: join(out, 'free-codes.png') });
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('the guided experiment trains free codes beside encoders for the 100 epochs its text quotes', async () => {
    const { page, log } = await open(env, '');
    await openTab(page, 'question');
    await page.click('[data-preset="free"]');
    await page.waitForFunction(() => window.vaePlayground.models.join(',') === 'vae:free,ae:free,vae,ae', null, { timeout: 15000 });
    const s = await until(page, (x) => x.models && Object.keys(x.models).length === 4 && !x.playing && x.steps === 2800, 120000);
    assert.equal(s.epochs, 100);
    assert.match(await page.textContent('#preset-text'), /Free codes, no encoder/);
    await page.screenshot({ path: join(out, 'preset-free.png') });
    assert.deepEqual(log.errors, []);
    await page.close();
  });
});

describe('the loss chart', () => {
  test('draws each VAE\'s loss beside its reconstruction, keeps a small KL small, and marks a change of β at its step', async () => {
    const { page, log } = await open(env, '?models=vae,ae');
    await page.evaluate(() => window.vaePlayground.trainSteps(150));
    await until(page, (s) => s.steps === 150 && !s.playing, 30000);
    await page.evaluate(() => document.querySelector('vae-playground').set('beta', 8));
    await page.evaluate(() => window.vaePlayground.trainSteps(600));
    await until(page, (s) => s.steps === 750 && !s.playing, 30000);
    await page.waitForFunction(() => window.vaePlayground.marks.length === 1, null, { timeout: 5000 });
    assert.deepEqual(await page.evaluate(() => window.vaePlayground.marks), [{ step: 150, text: 'β 1 → 8' }]);
    await page.waitForTimeout(600);   // the chart redraws at most every 250 ms
    await openTab(page, 'numbers');
    assert.equal(await page.locator('#chart line.mark').count(), 1);
    assert.equal(await page.textContent('#chart text.mark-text'), 'β 1 → 8');
    assert.equal(await page.locator('#chart polyline.loss').count(), 1, 'the VAE\'s loss, not the AE\'s');
    assert.equal(await page.locator('#chart polyline.kl').count(), 1);
    // Tick labels are rounded to their step.
    const ticks = await page.locator('#chart text').allTextContents();
    assert.ok(ticks.every((t) => !/\d\.\d{5,}/.test(t)), ticks.join(' | '));
    // At β = 8 the KL falls towards 0; the KL axis still reaches 1 nat, so it looks small.
    const klTicks = await page.evaluate(() => [...document.querySelector('vae-playground').shadowRoot.querySelectorAll('#chart text')].map((t) => t.textContent));
    assert.ok(klTicks.includes('1') || klTicks.includes('1.0'), klTicks.join(' | '));
    await page.locator('.chart-box').first().screenshot({ path: join(out, 'chart-marks.png') });
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('labels its steps with whole numbers, even after one step', async () => {
    const { page } = await open(env);
    await page.evaluate(() => window.vaePlayground.trainSteps(1));
    await until(page, (s) => s.steps === 1 && !s.playing);
    await page.waitForTimeout(600);   // the chart redraws at most every 250 ms
    const steps = await page.evaluate(() => [...document.querySelector('vae-playground').shadowRoot
      .querySelectorAll('#chart text[text-anchor="middle"]')].map((t) => t.textContent));
    assert.ok(steps.length >= 2 && steps.every((t) => /^\d+$/.test(t)), steps.join(' | '));
    await page.close();
  });
});

// The experiments that put the student's question to the test: the plane torn with every KL
// kept, and the price each model's decoder still pays after retraining on it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodePng } from './png.mjs';
import { open, out, start, stats, until } from './harness.mjs';

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

// The views a student reads: each fits its own codes with a scale bar, they are the page's
// main content at 1280 × 900 and come first on a phone, and the inspector is a tooltip at the
// pointer that clears over an empty spot. Screenshots go to tests/out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, out, start, stats, until } from './harness.mjs';

let env;
before(async () => { env = await start({ viewport: { width: 1280, height: 900 } }); });
after(async () => { await env.close(); });

async function train(page, steps) {
  await page.evaluate((n) => window.vaePlayground.trainSteps(n), steps);
  await until(page, (s) => s.steps === steps && !s.playing, 60000);
  await page.waitForTimeout(300);
}

describe('the views', () => {
  for (const dataset of ['digits', 'bars', 'blobs']) {
    test(`${dataset}: by default no code is off either view, each at its own scale`, async () => {
      const { page, log } = await open(env, `?dataset=${dataset}`);
      await train(page, 1500);
      const s = await stats(page);
      assert.equal(s.fit, true, 'the views fit their codes by default');
      for (const id of ['vae', 'ae']) assert.equal(s.models[id].outside, 0, `${id}: ${s.models[id].outside} codes off the view`);
      // Each its own range: the autoencoder's codes spread far wider than the VAE's.
      assert.ok(s.models.ae.range > 1.5 * s.models.vae.range, `ranges: AE ${s.models.ae.range}, VAE ${s.models.vae.range}`);
      // A scale bar per view, one tick spacing long, labelled in units of z.
      for (const id of ['vae', 'ae']) {
        const label = await page.textContent(`[data-view="${id}"] .scale-label`);
        assert.match(label, /^\d+(\.\d+)? units? of z$/, `${id}: ${label}`);
        const bar = await page.locator(`[data-view="${id}"] .scale-bar .bar`).boundingBox();
        const canvas = await page.locator(`#view-${id}`).boundingBox();
        const unit = Number(label.split(' ')[0]);
        const expected = (unit / (2 * s.models[id].range)) * canvas.width;
        assert.ok(Math.abs(bar.width - 2 - expected) < 0.05 * expected + 2, `${id}: bar ${bar.width} px, expected ${expected}`);
      }
      if (dataset === 'bars') await page.screenshot({ path: join(out, 'views-bars-own-scale.png') });
      assert.deepEqual(log.errors, []);
      await page.close();
    });
  }

  test('at 1280 × 900 the views are at least 500 px and wholly in the window; the tooltip too', async () => {
    const { page } = await open(env);
    await train(page, 300);
    for (const id of ['vae', 'ae']) {
      const box = await page.locator(`#view-${id}`).boundingBox();
      assert.ok(box.width >= 500, `${id} view ${box.width} px wide`);
      assert.ok(box.y >= 0 && box.y + box.height <= 900, `${id} view from ${box.y} to ${box.y + box.height}`);
    }
    const box = await page.locator('#view-vae').boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.9);
    await page.waitForSelector('#inspector:not([hidden])', { timeout: 5000 });
    const tip = await page.locator('#inspector').boundingBox();
    assert.ok(tip.y >= 0 && tip.y + tip.height <= 900 && tip.x + tip.width <= 1280, `tooltip at ${JSON.stringify(tip)}`);
    await page.screenshot({ path: join(out, 'views-1280x900.png') });
    await page.close();
  });

  test('on a 390 px phone the views come first and nothing scrolls sideways', async () => {
    const { page } = await open(env, '', { viewport: { width: 390, height: 844 } });
    const view = await page.locator('#view-vae').boundingBox();
    const controls = await page.locator('.controls').boundingBox();
    assert.ok(view.y < controls.y, `view at ${view.y}, controls at ${controls.y}`);
    assert.ok(view.width >= 280, `view ${view.width} px wide`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `the page is ${wide} px wide`);
    await page.screenshot({ path: join(out, 'views-390x844.png') });
    await page.close();
  });
});

describe('the inspector at the pointer', () => {
  test('shows the sample under the pointer, clears over an empty spot, and goes with the pointer, outline and all', async () => {
    const { page, log } = await open(env);
    await train(page, 1000);
    const box = await page.locator('#view-vae').boundingBox();
    assert.equal(await page.isVisible('#inspector'), false, 'no tooltip before pointing');
    // Both views as drawn, without the tooltip and the cursors over them.
    const overlays = (hidden) => page.evaluate((hidden) => {
      for (const e of document.querySelector('vae-playground').shadowRoot.querySelectorAll('#inspector, .z-cursor, .key-cursor')) e.style.visibility = hidden ? 'hidden' : '';
    }, hidden);
    const views = async () => {
      await overlays(true);
      const shots = await Promise.all(['vae', 'ae'].map((id) => page.locator(`#view-${id}`).screenshot()));
      await overlays(false);
      return shots;
    };
    const still = await views();
    // Spiral out from the centre until a sample is under the pointer.
    let found = false;
    let over;   // where a sample is
    for (let k = 0; k < 60 && !found; k++) {
      const r = 0.004 * k;
      over = [box.x + box.width * (0.5 + r * Math.cos(k)), box.y + box.height * (0.5 + r * Math.sin(k))];
      await page.mouse.move(...over);
      await page.waitForTimeout(50);
      found = await page.isVisible('#inspect-images');
    }
    assert.ok(found, 'a sample under the pointer');
    const hovered = await page.evaluate(() => window.vaePlayground.hovered.index);
    assert.match(await page.textContent('#inspect-title'), new RegExp(`^Sample ${hovered}, digit \\d`));
    assert.equal(await page.isVisible('#inspect-empty'), false);
    await page.locator('#inspector').screenshot({ path: join(out, 'inspector-sample.png') });
    // The top left corner, beyond the 98% of the posteriors the view fits: nothing there.
    await page.mouse.move(box.x + 3, box.y + 3);
    await page.waitForFunction(() => window.vaePlayground.hovered == null && window.vaePlayground.decoded.z[1] > 2, null, { timeout: 5000 });
    assert.equal(await page.isVisible('#inspect-images'), false, 'the sample\'s images are gone');
    assert.equal(await page.isVisible('#inspect-empty'), true, '"No sample here."');
    assert.equal(await page.textContent('#inspect-text'), '');
    assert.equal(await page.isVisible('#decoded-images'), true, 'what each decoder makes of the point stays');
    assert.match(await page.textContent('#decoded-title'), /^At z = \(−\d\.\d\d, \d\.\d\d\) of the VAE's plane/);
    assert.match(await page.textContent('#inspector'), /Each model reads z in its own plane/);
    await page.locator('#inspector').screenshot({ path: join(out, 'inspector-empty.png') });
    // Off the view, the tooltip goes.
    await page.mouse.move(box.x + box.width / 2, box.y - 40);
    await page.waitForSelector('#inspector', { state: 'hidden', timeout: 2000 });
    // From a sample straight off the view: its outline goes with the tooltip, and both views
    // are as before pointing.
    await page.mouse.move(...over);
    await page.waitForSelector('#inspect-images', { timeout: 5000 });
    assert.ok((await views()).some((shot, i) => !shot.equals(still[i])), 'the sample under the pointer outlined');
    await page.mouse.move(box.x + box.width / 2, box.y - 40);
    await page.waitForSelector('#inspector', { state: 'hidden', timeout: 2000 });
    let same = false;
    for (let k = 0; k < 20 && !same; k++) {
      await page.waitForTimeout(100);
      same = (await views()).every((shot, i) => shot.equals(still[i]));
    }
    assert.ok(same, 'the views as before pointing, with no sample outlined');
    // A pointer that leaves at once, before its pick is sent; and one that leaves when its
    // pick has been sent but the answer is not back: nothing stays outlined either way.
    await page.mouse.move(...over);
    await page.mouse.move(box.x + box.width / 2, box.y - 40);
    await page.waitForTimeout(500);
    assert.ok((await views()).every((shot, i) => shot.equals(still[i])), 'no outline from a pick not yet sent');
    await page.evaluate(async ([x, y]) => {
      const canvas = document.querySelector('vae-playground').shadowRoot.querySelector('#view-vae');
      const at = { clientX: x, clientY: y, pointerType: 'mouse' };
      canvas.dispatchEvent(new PointerEvent('pointermove', at));
      await new Promise((done) => requestAnimationFrame(done));   // after the page's own: the pick is sent
      canvas.dispatchEvent(new PointerEvent('pointerleave', at));
    }, over);
    await page.waitForTimeout(500);
    assert.ok((await views()).every((shot, i) => shot.equals(still[i])), 'no outline from a pick answered after the pointer left');
    assert.deepEqual(log.errors, []);
    await page.close();
  });
});

// Seeing why the VAE's plane is continuous: the decoder maps under the views, decoding at the
// pointer, interpolation strips, the drawing pad and the guided experiments, in headless
// Chromium. Screenshots go to tests/out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodePng } from './png.mjs';
import { drawStroke, open, out, start, stats, until, openMore, openTab } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

const pg = (page, f) => page.evaluate(f);

/** A canvas's pixels, from a screenshot saved as `name`. */
async function shot(page, id, name) {
  return decodePng(await page.locator(`#${id}`).screenshot({ path: join(out, name) }));
}

/** Fraction of pixels whose red, green or blue differ by more than 24 between two images. */
function changed(a, b) {
  assert.equal(a.rgba.length, b.rgba.length);
  let n = 0;
  for (let i = 0; i < a.rgba.length; i += 4) {
    if (Math.abs(a.rgba[i] - b.rgba[i]) + Math.abs(a.rgba[i + 1] - b.rgba[i + 1]) + Math.abs(a.rgba[i + 2] - b.rgba[i + 2]) > 24) n += 1;
  }
  return n / (a.width * a.height);
}

/** Grey (r = g = b, not white) pixels: the decoder map's ink, which the classes never are. */
function grey(png) {
  let n = 0;
  for (let i = 0; i < png.rgba.length; i += 4) {
    const [r, g, b] = [png.rgba[i], png.rgba[i + 1], png.rgba[i + 2]];
    if (r === g && g === b && r < 235) n += 1;
  }
  return n / (png.width * png.height);
}

/** Screenshots a canvas until it differs from `reference` in more than `pixels` pixels. */
async function untilChanged(page, id, reference, pixels, name, timeout = 5000) {
  const t = Date.now();
  for (;;) {
    const png = await shot(page, id, name);
    const n = changed(reference, png) * png.width * png.height;
    if (n > pixels) return png;
    if (Date.now() - t > timeout) throw new Error(`${id} changed in only ${n} pixels`);
    await page.waitForTimeout(150);
  }
}

/** Screenshots of element `id` until one differs from `reference` in at most `pixels` pixels
 * (a redraw has come back to it); throws after `timeout` ms. */
async function untilLike(page, id, reference, pixels, name, timeout = 5000) {
  const t = Date.now();
  for (;;) {
    const png = await shot(page, id, name);
    const n = changed(reference, png) * png.width * png.height;
    if (n <= pixels) return png;
    if (Date.now() - t > timeout) throw new Error(`${id} still differs in ${n} pixels`);
    await page.waitForTimeout(150);
  }
}

async function train(page, steps) {
  const s0 = (await stats(page)).steps;
  await page.evaluate((n) => window.vaePlayground.trainSteps(n), steps);
  await until(page, (s) => s.steps === s0 + steps && !s.playing, 30000);
  await page.waitForTimeout(150);
}

/** Moves the pointer over a view until the inspector shows a sample; returns that point. */
async function findSample(page, view, start = [0.5, 0.5]) {
  await page.locator(`#view-${view}`).scrollIntoViewIfNeeded();
  const box = await page.locator(`#view-${view}`).boundingBox();
  for (let k = 0; k < 80; k++) {
    const r = 0.004 * k;
    const x = box.x + box.width * (start[0] + r * Math.cos(k));
    const y = box.y + box.height * (start[1] + r * Math.sin(k));
    // The reading lags the pointer by a frame or two, more on a busy machine: forget the last
    // one, and take the first that comes for this very point.
    await page.evaluate(() => { window.vaePlayground.hovered = undefined; });
    await page.mouse.move(x, y);
    const fresh = await page.waitForFunction(() => window.vaePlayground.hovered !== undefined, null, { timeout: 3000 }).then(() => true, () => false);
    if (!fresh) continue;
    const index = await pg(page, () => window.vaePlayground.hovered && window.vaePlayground.hovered.index);
    if (index == null) continue;
    await page.waitForTimeout(200);
    const settled = await pg(page, () => window.vaePlayground.hovered && window.vaePlayground.hovered.index);
    if (settled === index) return { x, y, index };
  }
  throw new Error('no sample found under the pointer');
}

describe('seeing the continuity', () => {
  test('with map=1 the decoder maps lie under the views, change with training, and can be turned off', async () => {
    const { page, log } = await open(env, '?map=1');
    await page.waitForTimeout(300);
    const before = await shot(page, 'view-ae', 'map-ae-step-0.png');
    await train(page, 400);
    const afterVae = await shot(page, 'view-vae', 'map-vae-step-400.png');
    const afterAe = await shot(page, 'view-ae', 'map-ae-step-400.png');
    assert.ok(changed(before, afterAe) > 0.05, `training changes the AE view and its map (${changed(before, afterAe)})`);
    assert.ok(grey(afterVae) > 0.03, `the VAE's map shows decoded strokes (${grey(afterVae)})`);
    assert.ok(grey(afterAe) > 0.01, `the AE's map shows decoded strokes (${grey(afterAe)})`);
    await page.screenshot({ path: join(out, 'page-decoder-maps.png') });
    await page.click('#map');
    await until(page, (s) => s.map === false);
    await page.waitForTimeout(200);
    const off = await shot(page, 'view-vae', 'map-off-vae.png');
    assert.ok(grey(off) < 0.5 * grey(afterVae), `without the map the grey goes (${grey(off)} vs ${grey(afterVae)})`);
    assert.doesNotMatch(await page.evaluate(() => location.search), /map=/, 'off is the default');
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('the decoder maps have their own panel: tiles over each view\'s square, the pointer shown in both', async () => {
    const { page, log } = await open(env, '?dataset=bars');
    await openTab(page, 'maps');
    await page.waitForTimeout(300);
    const tilesBefore = await shot(page, 'tiles-ae', 'tiles-ae-step-0.png');
    await train(page, 1500);
    // Not under the codes by default: the view's only greys are its grid lines and axes.
    const view = await shot(page, 'view-vae', 'view-vae-no-map.png');
    assert.ok(grey(view) < 0.05, `no map under the codes (${grey(view)})`);
    const tiles = await shot(page, 'tiles-vae', 'tiles-vae-step-1500.png');
    const tilesAe = await shot(page, 'tiles-ae', 'tiles-ae-step-1500.png');
    assert.ok(changed(tilesBefore, tilesAe) > 0.1, `training changes the AE's tiles (${changed(tilesBefore, tilesAe)})`);
    // Dark strokes of decoded bars in the tiles.
    const dark = (png) => { let n = 0; for (let i = 0; i < png.rgba.length; i += 4) if (png.rgba[i] < 100) n += 1; return n / (png.width * png.height); };
    assert.ok(dark(tiles) > 0.05, `the VAE's tiles show bars (${dark(tiles)})`);
    assert.equal(await page.evaluate(() => document.querySelector('vae-playground').shadowRoot.querySelector('#tiles-vae').width), 145, '16 tiles of 8 pixels and 17 borders');
    // The pointer over a map: the tooltip, and the same point marked in the view.
    const box = await page.locator('#tiles-vae').boundingBox();
    await page.mouse.move(box.x + 0.05 * box.width, box.y + 0.5 * box.height);
    await page.waitForSelector('#inspector:not([hidden])', { timeout: 5000 });
    const d = await pg(page, () => window.vaePlayground.decoded);
    const range = (await stats(page)).models.vae.range;
    assert.ok(Math.abs(d.z[0] + 0.9 * range) < 0.05 * range && Math.abs(d.z[1]) < 0.05 * range, `z = ${d.z} over range ${range}`);
    const mark = page.locator('[data-view="vae"] .z-cursor');
    assert.equal(await mark.isVisible(), true, 'the point is marked in the view');
    const v = await page.locator('#view-vae').boundingBox();
    const m = await mark.boundingBox();
    assert.ok(Math.abs(m.x + m.width / 2 - (v.x + 0.05 * v.width)) < 4, `mark at x ${m.x + m.width / 2}, view point ${v.x + 0.05 * v.width}`);
    assert.equal(await page.locator('[data-tiles="vae"] .z-cursor').isVisible(), false, 'not where the pointer is');
    await page.screenshot({ path: join(out, 'tiles-pointer.png') });
    // The pointer over the view: the map marks it.
    await page.locator('#view-vae').scrollIntoViewIfNeeded();
    const v2 = await page.locator('#view-vae').boundingBox();
    await page.mouse.move(v2.x + 0.5 * v2.width, v2.y + 0.5 * v2.height);
    await page.waitForFunction(() => Math.abs(window.vaePlayground.decoded.z[0]) < 0.1, null, { timeout: 5000 });
    assert.equal(await page.locator('[data-tiles="vae"] .z-cursor').isVisible(), true, 'the point is marked in the map');
    // Hidden, the panel is not drawn (its workers stop drawing the tiles).
    await page.evaluate(() => document.querySelector('vae-playground').set('hide', 'maps'));
    await page.waitForSelector('#tiles-vae', { state: 'hidden' });
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('hovering anywhere in a view shows what both decoders make of that point', async () => {
    const { page } = await open(env, '?range=4');
    await train(page, 200);
    const box = await page.locator('#view-vae').boundingBox();
    // Near the top-left corner: z ≈ (−3.6, 3.6), far from every code at this stage.
    await page.mouse.move(box.x + 0.05 * box.width, box.y + 0.05 * box.height);
    await page.waitForFunction(() => window.vaePlayground.decoded, null, { timeout: 5000 });
    const d = await pg(page, () => window.vaePlayground.decoded);
    assert.ok(Math.abs(d.z[0] + 3.6) < 0.2 && Math.abs(d.z[1] - 3.6) < 0.2, `z = ${d.z}`);
    assert.equal(d.vae.length, 64);
    assert.equal(d.ae.length, 64);
    assert.notDeepEqual(d.vae, d.ae);
    assert.equal(await page.isVisible('#decoded'), true);
    assert.match(await page.textContent('#decoded-title'), /At z = \(−3\.\d\d, 3\.\d\d\) of the VAE's plane/);
    // The AE view decodes at the same coordinates.
    const ae = await page.locator('#view-ae').boundingBox();
    await page.mouse.move(ae.x + 0.05 * ae.width, ae.y + 0.05 * ae.height);
    await page.waitForTimeout(300);
    const d2 = await pg(page, () => window.vaePlayground.decoded);
    assert.ok(Math.abs(d2.z[0] - d.z[0]) < 0.05 && Math.abs(d2.z[1] - d.z[1]) < 0.05);
    await page.locator('#inspector').screenshot({ path: join(out, 'decoded-at-point.png') });
    await page.close();
  });

  test('keyboard: arrow keys move a cursor over a view, decoding where it stands; Enter picks', async () => {
    const { page } = await open(env, '?range=4');
    await train(page, 200);
    await page.focus('#view-vae');
    await page.waitForFunction(() => window.vaePlayground.decoded, null, { timeout: 5000 });
    const at = async () => (await pg(page, () => window.vaePlayground.decoded)).z;
    const [x0, y0] = await at();
    assert.ok(Math.abs(x0) < 0.05 && Math.abs(y0) < 0.05, `the cursor starts at the centre: ${x0}, ${y0}`);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowUp');
    await page.waitForFunction((y) => window.vaePlayground.decoded.z[1] > y + 0.5, y0);
    const [x1, y1] = await at();
    // 8 pixels right and 40 up, at 50 pixels per unit.
    assert.ok(Math.abs(x1 - x0 - 0.16) < 0.01 && Math.abs(y1 - y0 - 0.8) < 0.01, `${x1}, ${y1}`);
    assert.equal(await page.isVisible('.key-cursor'), true);
    assert.equal((await stats(page)).playing, false, 'arrows do not start training');
    // Back to the centre, where samples are, and pick one with Enter, then another.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Shift+ArrowDown');
    let picked = 0;
    for (let k = 0; k < 12 && picked < 2; k++) {
      const hovered = await pg(page, () => window.vaePlayground.hovered);
      if (hovered) { await page.keyboard.press('Enter'); picked += 1; await page.waitForTimeout(100); }
      await page.keyboard.press(k % 2 ? 'ArrowDown' : 'ArrowRight');
      await page.waitForTimeout(150);
    }
    assert.equal(picked, 2, 'two samples under the cursor');
    await page.waitForFunction(() => window.vaePlayground.strip, null, { timeout: 5000 });
    await openTab(page, 'walk');
    assert.equal(await page.locator('#strip-inputs canvas').count(), 2, 'the two inputs show under the strip');
    await page.screenshot({ path: join(out, 'keyboard-cursor.png') });
    await page.close();
  });

  test('interpolation: a random pair of one class, of two classes, and a pair picked by clicking', async () => {
    const { page, log } = await open(env);
    await train(page, 300);
    const plain = await shot(page, 'view-vae', 'interp-none-vae.png');
    await openTab(page, 'walk');
    await page.click('#pair-same');
    await page.waitForFunction(() => window.vaePlayground.strip, null, { timeout: 5000 });
    let strip = await pg(page, () => window.vaePlayground.strip);
    assert.equal(strip.steps, 10);
    assert.equal(strip.vae.length, 640);
    assert.equal(strip.labels[0], strip.labels[1]);
    assert.equal(await page.isVisible('#strip-box'), true);
    assert.equal(await page.locator('#strip-vae canvas').count(), 10);
    // The path appears in the view...
    const withPath = await untilChanged(page, 'view-vae', plain, 40, 'interp-path-vae.png');
    await page.click('#pair-diff');
    await page.waitForFunction((e) => { const s = window.vaePlayground.strip; return s && s.ends.join() !== e; }, strip.ends.join());
    strip = await pg(page, () => window.vaePlayground.strip);
    assert.notEqual(strip.labels[0], strip.labels[1]);
    await page.locator('.interp').screenshot({ path: join(out, 'interpolation-strip.png') });
    // ...and goes with Clear.
    await page.click('#pair-clear');
    await page.waitForFunction(() => !window.vaePlayground.strip);
    // (Waiting for a view unlike the first path's could catch the second pair's path, drawn
    // after it; so the wait is for the view without a path, which fails if it never comes.)
    const cleared = await untilLike(page, 'view-vae', plain, 39, 'interp-cleared-vae.png');
    assert.ok(changed(plain, cleared) * cleared.width * cleared.height < 40, 'back to the view without a path');
    assert.ok(changed(withPath, cleared) * cleared.width * cleared.height > 40, 'the path is gone');
    // Clicking two samples.
    const a = await findSample(page, 'vae', [0.45, 0.5]);
    await page.mouse.click(a.x, a.y);
    await page.waitForFunction(() => /First sample/.test(document.querySelector('vae-playground').shadowRoot.getElementById('strip-text').textContent));
    const b = await findSample(page, 'vae', [0.6, 0.4]);
    await page.mouse.click(b.x, b.y);
    await page.waitForFunction(() => window.vaePlayground.strip, null, { timeout: 5000 });
    strip = await pg(page, () => window.vaePlayground.strip);
    assert.equal(strip.ends[0], a.index);
    assert.equal(strip.ends[1], b.index);
    // The strip follows the model when it steps, not only while it plays.
    const beforeSteps = strip.vae.join();
    await train(page, 50);
    await page.waitForFunction((b) => window.vaePlayground.strip && window.vaePlayground.strip.vae.join() !== b, beforeSteps, { timeout: 5000 });
    await page.screenshot({ path: join(out, 'page-interpolation.png') });
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('the drawing pad places an ellipse and a point, by mouse and by keyboard', async () => {
    const { page } = await open(env, '?map=0');
    await train(page, 300);
    const before = await shot(page, 'view-vae', 'pad-before-vae.png');
    await openTab(page, 'walk');
    await drawStroke(page);   // a vertical stroke: a "1"
    await page.waitForFunction(() => window.vaePlayground.drawing, null, { timeout: 5000 });
    const p = await pg(page, () => window.vaePlayground.drawing);
    assert.equal(p.readings.vae.mu.length, 2);
    assert.ok(p.readings.vae.sigma.every((s) => s > 0));
    assert.ok(p.readings.ae.sigma == null, 'the AE has a point, no σ');
    assert.equal(p.vae.length, 64);
    // The drawing's cross and ellipse appear in the VAE view.
    await untilChanged(page, 'view-vae', before, 100, 'pad-after-vae.png');
    assert.match(await page.textContent('#pad-text'), /VAE: μ = \(/);
    await page.screenshot({ path: join(out, 'page-drawing-pad.png') });
    await page.click('#pad-clear');
    await page.waitForFunction(() => !window.vaePlayground.drawing);
    // Keyboard: focus the pad, ink two pixels.
    await page.focus('#pad');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.vaePlayground.drawing, null, { timeout: 5000 });
    assert.equal((await stats(page)).playing, false, 'Space on the pad inks; it does not start training');
    await page.close();
  });

  test('an author can hide the new panels and the maps', async () => {
    const { page } = await open(env, '?hide=presets,interpolate,pad,map&map=0');
    for (const part of ['presets', 'interpolate', 'pad', 'map']) {
      assert.equal(await page.isVisible(`[data-part="${part}"]`), false, part);
    }
    assert.equal((await stats(page)).map, false);
    assert.equal(await page.isVisible('[data-part="chart"]'), true);
    await page.close();
  });

  test('after a crash and Reset, the drawing comes back and the old walk is gone', async () => {
    const { page } = await open(env);
    await train(page, 100);
    await openTab(page, 'walk');
    await page.click('#pair-same');
    await page.waitForFunction(() => window.vaePlayground.strip);
    await page.focus('#pad');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => window.vaePlayground.drawing);
    await page.evaluate(() => window.vaePlayground.debugPanic());
    await until(page, (s) => s.notice != null);
    await page.click('#notice-reset');
    await until(page, (s) => s.notice == null && s.steps === 0);
    await page.waitForFunction(() => !window.vaePlayground.strip && window.vaePlayground.drawing, null, { timeout: 5000 });
    assert.equal(await page.isVisible('#strip-box'), false);
    await page.close();
  });

  test('keys go to the control that has them; New seed recomputes the figures', async () => {
    const { page } = await open(env);
    await openMore(page);
    await page.focus('#map');
    await page.keyboard.press('Space');
    await until(page, (s) => s.map === false);
    assert.equal((await stats(page)).playing, false, 'Space on the checkbox toggles it, not training');
    await page.focus('#dataset');
    await page.keyboard.press('r');
    await page.waitForTimeout(300);
    assert.equal(await page.isVisible('#notice'), false);
    await page.click('#new-seed');
    await page.waitForFunction(() => window.vaePlayground.metrics, null, { timeout: 10000 });
    await page.close();
  });

  test('the element takes map="0" and set("dataset", …)', async () => {
    const { page, log } = await open(env, 'examples/index.html', { waitReady: false });
    await page.evaluate(() => {
      const el = document.createElement('vae-playground');
      el.id = 'extra';
      el.setAttribute('map', '0');
      document.body.append(el);
      el.scrollIntoView();   // an element starts once it is near the screen
    });
    await page.waitForFunction(() => { const s = document.getElementById('extra').stats; return s && s.map === false; }, null, { timeout: 15000 });
    await page.evaluate(() => document.getElementById('extra').set('dataset', 'bars'));
    await page.waitForFunction(() => document.getElementById('extra').stats.samples === 1800, null, { timeout: 15000 });
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  const PRESETS = [
    ['overlap', 1, 'sample'],
    ['cheat', 0, 'sample'],
    ['nonoise', 1, 'mean'],
    ['collapse', 4, 'sample'],
  ];
  for (const [name, beta, noise] of PRESETS) {
    test(`the guided experiment "${name}" loads its settings, starts again and trains`, async () => {
      const { page, log } = await open(env, '?beta=3&noise=mean');
      await train(page, 50);
      await openTab(page, 'question');
      await page.click(`[data-preset="${name}"]`);
      // It trains the 30 epochs its text is quoted at (28 batches of 64 each), then pauses.
      const s = await until(page, (x) => x.beta === beta && x.noise === noise && !x.playing && x.steps === 840, 30000);
      assert.equal(s.epochs, 30);
      assert.ok(s.lastVae && Number.isFinite(s.lastVae.loss));
      assert.equal(Number(await page.inputValue('#beta')), beta, 'the slider follows');
      assert.equal(await page.inputValue('#noise'), noise);
      assert.ok((await page.textContent('#preset-text')).length > 80, 'the explanation shows');
      await page.waitForFunction(() => /active/.test(document.querySelector('vae-playground').shadowRoot.getElementById('live-explain').textContent));
      await page.screenshot({ path: join(out, `preset-${name}.png`), fullPage: true });
      assert.deepEqual(log.errors, []);
      await page.close();
    });
  }
});

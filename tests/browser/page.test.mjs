// The playground page in headless Chromium: it loads cleanly, trains, pauses, resets, draws
// two different views, shows what β = 0 does, survives a diverging learning rate and a Rust
// panic, and can be driven by keyboard and pointer. Screenshots go to tests/out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodePng } from './png.mjs';
import { countFrames, open, out, start, stats, until, openMore } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

async function setSelect(page, id, value) {
  await page.selectOption(`#${id}`, value);
}

async function setBeta(page, value) {
  await page.$eval('#beta', (input, v) => {
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

/** Fraction of a canvas's pixels that are not white, and its pixels. */
async function canvasPixels(page, id) {
  const png = decodePng(await page.locator(`#${id}`).screenshot({ path: join(out, `${id}.png`) }));
  let ink = 0;
  for (let i = 0; i < png.rgba.length; i += 4) {
    if (png.rgba[i] < 245 || png.rgba[i + 1] < 245 || png.rgba[i + 2] < 245) ink += 1;
  }
  return { ink: ink / (png.width * png.height), png };
}

describe('the playground page', () => {
  test('loads with no console error and no failed or off-origin request', async () => {
    const { page, log } = await open(env);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(out, 'page-before-training.png'), fullPage: true });
    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.failed, []);
    const offOrigin = log.requests.filter((u) => !u.startsWith(env.server.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(offOrigin, []);
    assert.ok(log.requests.some((u) => u.endsWith('.wasm')), 'the wasm came from this origin');
    const s = await stats(page);
    assert.equal(s.steps, 0);
    await page.close();
  });

  test('Train makes the step counter climb and the loss fall; Pause stops it; Reset returns to 0', async () => {
    const { page } = await open(env);
    await page.click('#play');
    const early = await until(page, (s) => s.lastVae && s.steps > 0);
    const startLoss = early.lastVae.loss;
    const later = await until(page, (s) => s.steps > early.steps + 400);
    await page.screenshot({ path: join(out, 'page-during-training.png'), fullPage: true });
    assert.ok(later.lastVae.loss < startLoss, `loss ${later.lastVae.loss} should be below ${startLoss}`);
    assert.equal(await page.textContent('#play'), 'Pause');
    await page.click('#play');
    const paused = await until(page, (s) => !s.playing);
    await page.waitForTimeout(600);
    const stillPaused = await stats(page);
    assert.equal(stillPaused.steps, paused.steps, 'no step while paused');
    assert.ok(Number((await page.textContent('#r-step')).replace(/,/g, '')) > 0);
    await page.click('#reset');
    await until(page, (s) => s.steps === 0);
    assert.equal(await page.textContent('#r-step'), '0');
    await page.close();
  });

  test('the two canvases are drawn and differ from each other', async () => {
    // Without the decoder maps, so that the ink is the samples' own.
    const { page } = await open(env, '?map=0');
    await page.click('#play');
    await until(page, (s) => s.steps > 300);
    await page.click('#play');
    await until(page, (s) => !s.playing);
    await page.waitForTimeout(200);
    const vae = await canvasPixels(page, 'view-vae');
    const ae = await canvasPixels(page, 'view-ae');
    assert.ok(vae.ink > 0.05, `VAE view ink ${vae.ink}`);
    assert.ok(ae.ink > 0.005, `AE view ink ${ae.ink}`);
    assert.equal(vae.png.rgba.length, ae.png.rgba.length);
    let differ = 0;
    for (let i = 0; i < vae.png.rgba.length; i += 4) {
      if (Math.abs(vae.png.rgba[i] - ae.png.rgba[i]) + Math.abs(vae.png.rgba[i + 1] - ae.png.rgba[i + 1]) > 30) differ += 1;
    }
    assert.ok(differ / (vae.png.width * vae.png.height) > 0.02, `views differ in ${differ} pixels`);
    await page.close();
  });

  test('with β = 0 the VAE\'s σ collapses far below its value with β = 1', async () => {
    const sigmaAfter = async (beta) => {
      const { page } = await open(env, '?speed=max');
      await setBeta(page, beta);
      await until(page, (s) => s.beta === beta);
      await page.click('#play');
      await until(page, (s) => s.steps >= 1500);
      await page.click('#play');
      const s = await until(page, (x) => !x.playing);
      await page.screenshot({ path: join(out, `page-beta-${beta}.png`) });
      if (beta === 0) {
        // Without the KL the means fly far from the prior; "fit to the codes" brings them back.
        await openMore(page);
        await setSelect(page, 'range', 'fit');
        const fitted = await until(page, (x) => x.fit && x.models.vae.outside < 0.05 * x.samples);
        assert.ok(fitted.models.vae.range > 4, `fitted range ${fitted.models.vae.range}`);
        const vae = await canvasPixels(page, 'view-vae');
        // Collapsed posteriors are drawn like the AE's points: about as much ink as the AE view.
        const ae = await canvasPixels(page, 'view-ae');
        assert.ok(vae.ink > 0.5 * ae.ink, `the fitted VAE view shows its codes (ink ${vae.ink}, AE ${ae.ink})`);
        await page.screenshot({ path: join(out, 'page-beta-0-fit.png') });
      }
      await page.close();
      return s.models.vae.meanSigma;
    };
    const zero = await sigmaAfter(0);
    const one = await sigmaAfter(1);
    assert.ok(zero < 0.3 * one, `mean σ with β = 0: ${zero}; with β = 1: ${one}`);
  });

  test('a learning rate that diverges gives a message, and the page keeps working', async () => {
    const { page } = await open(env);
    await openMore(page);
    await setSelect(page, 'lr', '10');
    await page.click('#play');
    const s = await until(page, (x) => x.notice != null, 30000);
    assert.match(s.notice, /diverged/);
    assert.match(s.notice, /learning rate/);
    assert.equal(await page.isVisible('#notice'), true);
    // Every model stops: the one that diverged at once, the others (each in its own worker)
    // as soon as the page's pause reaches them; none is left training.
    await until(page, (x) => !x.playing, 5000);
    await page.waitForTimeout(300);
    const stopped = await stats(page);
    assert.equal(stopped.playing, false);
    assert.equal(await page.textContent('#play'), 'Train');
    await page.screenshot({ path: join(out, 'page-diverged.png') });
    const frames = await countFrames(page);
    await page.waitForTimeout(300);
    assert.ok(await frames() > 5, 'the page still draws frames');
    await setSelect(page, 'lr', '0.001');
    await page.click('#notice-reset');
    await until(page, (x) => x.steps === 0 && x.notice == null);
    await page.click('#step');
    await until(page, (x) => x.steps === x.batchesPerEpoch, 10000);   // Step: one epoch
    await page.close();
  });

  test('a Rust panic shows a visible error, and Reset starts again', async () => {
    const { page, log } = await open(env);
    await page.evaluate(() => window.vaePlayground.debugPanic());
    const s = await until(page, (x) => x.notice != null);
    assert.match(s.notice, /went wrong/);
    assert.match(s.notice, /deliberate panic/);
    assert.equal(await page.isVisible('#notice'), true);
    await page.click('#notice-reset');
    await until(page, (x) => x.notice == null && x.steps === 0);
    await page.click('#play');
    await until(page, (x) => x.steps > 20);
    assert.ok(log.errors.length > 0, 'the panic was logged to the console');
    await page.close();
  });

  test('keyboard: Tab to Train and press it; Space pauses', async () => {
    const { page } = await open(env);
    // The focused element, looking inside shadow roots (the playground is a custom element).
    const focused = () => page.evaluate(() => {
      let a = document.activeElement;
      while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
      return a ? a.id : null;
    });
    for (let i = 0; i < 20 && (await focused()) !== 'play'; i++) {
      await page.keyboard.press('Tab');
    }
    assert.equal(await focused(), 'play');
    await page.keyboard.press('Enter');
    await until(page, (s) => s.playing && s.steps > 5);
    await page.evaluate(() => {
      let a = document.activeElement;
      while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
      a.blur();
    });
    await page.keyboard.press('Space');
    await until(page, (s) => !s.playing);
    const paused = (await stats(page)).steps;
    await page.keyboard.press('Shift+S');
    await until(page, (s) => s.steps === paused + 1);
    await page.keyboard.press('Shift+S');
    await until(page, (s) => s.steps === paused + 2);
    // S alone: to the end of the epoch.
    await page.keyboard.press('s');
    await until(page, (s) => s.steps === Math.ceil((paused + 3) / s.batchesPerEpoch) * s.batchesPerEpoch);
    await page.close();
  });

  test('trustworthiness and continuity are computed in the worker and shown', async () => {
    const { page } = await open(env);
    await page.evaluate(() => window.vaePlayground.trainSteps(300));
    await until(page, (s) => s.steps === 300);
    await page.waitForFunction(() => window.vaePlayground.metrics && window.vaePlayground.metrics.steps === 300, null, { timeout: 15000 });
    const m = await page.evaluate(() => window.vaePlayground.metrics);
    assert.equal(m.k, 10);
    for (const model of ['vae', 'ae']) {
      for (const key of ['trustworthiness', 'continuity']) {
        assert.ok(m[model][key] > 0.5 && m[model][key] <= 1, `${model} ${key} ${m[model][key]}`);
      }
    }
    assert.equal(await page.textContent('#r-vae-cont'), m.vae.continuity.toFixed(3));
    assert.match(await page.textContent('#metrics-step'), /at step 300;/);
    await page.close();
  });

  test('the generated data sets: chosen from the page or the URL, coloured by their factor', async () => {
    const { page, log } = await open(env);
    await page.selectOption('#dataset', 'bars');
    await until(page, (s) => s.samples === 1800);
    assert.equal(await page.isVisible('#map-legend'), true, 'the colour map replaces the digit legend');
    assert.equal(await page.isVisible('.legend'), false);
    assert.match(await page.evaluate(() => location.search), /dataset=bars/);
    await page.evaluate(() => window.vaePlayground.trainSteps(200));
    await until(page, (s) => s.steps === 200);
    const box = await page.locator('#view-vae').boundingBox();
    // A spiral out from the centre until the pointer is over a bar's posterior.
    for (let k = 0; k < 100 && !(await page.isVisible('#inspect-images')); k++) {
      const r = 0.004 * k;
      await page.mouse.move(box.x + box.width * (0.5 + r * Math.cos(k)), box.y + box.height * (0.5 + r * Math.sin(k)));
      await page.waitForTimeout(50);
    }
    assert.match(await page.textContent('#inspect-text'), /a bar at \d+°/);
    await page.screenshot({ path: join(out, 'page-bars.png') });
    await page.close();
    const blobs = await open(env, '?dataset=blobs&seed=2');
    const s = await stats(blobs.page);
    assert.equal(s.samples, 1800);
    await blobs.page.evaluate(() => window.vaePlayground.trainSteps(200));
    await until(blobs.page, (x) => x.steps === 200);
    await blobs.page.screenshot({ path: join(out, 'page-blobs.png') });
    assert.deepEqual(log.errors, []);
    await blobs.page.close();
  });

  test('hovering over an ellipse shows the input and both reconstructions', async () => {
    const { page } = await open(env);
    await page.click('#play');
    await until(page, (s) => s.steps > 200);
    await page.click('#play');
    await until(page, (s) => !s.playing);
    assert.equal(await page.isVisible('#inspect-images'), false);
    const box = await page.locator('#view-vae').boundingBox();
    for (let k = 0; k < 40 && !(await page.isVisible('#inspect-images')); k++) {
      await page.mouse.move(box.x + box.width * (0.5 + 0.02 * Math.cos(k)), box.y + box.height * (0.5 + 0.02 * Math.sin(k)));
      await page.waitForTimeout(50);
    }
    assert.equal(await page.isVisible('#inspect-images'), true);
    assert.match(await page.textContent('#inspect-text'), /Sample \d+, digit \d\. VAE: μ = /);
    await page.screenshot({ path: join(out, 'page-inspect.png') });
    await page.close();
  });
});

// The lesson's first minute: what the first screen holds at 1280 × 900 and on a 390 × 844
// phone, the lesson pace (the default), its pause at the milestone the texts quote, Step's
// epoch, and the sentence on what to watch.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, openTab, out, start, until } from './harness.mjs';
import { watchText } from '../../www/panel-lesson.js';
import { PRESET_EPOCHS } from '../../www/presets.js';

let env;
before(async () => { env = await start({ viewport: { width: 1280, height: 900 } }); });
after(async () => { await env.close(); });

/** The box of `selector` in the page's viewport (playwright pierces the shadow root). */
const box = (page, selector) => page.locator(selector).first().boundingBox();
/** Whether the whole of `b` lies within a viewport `w` × `h`. */
const within = (b, w, h) => b && b.x >= 0 && b.y >= 0 && b.x + b.width <= w && b.y + b.height <= h;

describe('the first screen', () => {
  test('at 1280 × 900 holds Train, β, the step and epoch, the classes\' legend, both losses, both views and what to watch', async () => {
    const { page, log } = await open(env, '');
    await page.click('#play');
    await until(page, (s) => s.steps >= 60);
    await page.waitForTimeout(1200);   // the sentence follows at most once a second
    for (const selector of ['#play', '#beta', '#c-step', '#c-epoch', '.legend li', '#run-losses', '#watch', '#view-vae', '#view-ae']) {
      const b = await box(page, selector);
      assert.ok(within(b, 1280, 900), `${selector} at ${JSON.stringify(b)}`);
    }
    // Both views, whole, with their axes' labels.
    const canvases = page.locator('.view .plot');
    assert.equal(await canvases.count(), 2);
    for (let i = 0; i < 2; i += 1) assert.ok(within(await canvases.nth(i).boundingBox(), 1280, 900), `view ${i}`);
    const legend = await page.locator('.legend li').allTextContents();
    assert.deepEqual(legend, Array.from({ length: 10 }, (_, k) => `digit ${k}`));
    const losses = await page.locator('#run-losses li').allTextContents();
    assert.equal(losses.length, 2);
    assert.match(losses[0], /^VAE loss \d+\.\d\d nats = recon\. \d+\.\d\d \+ β × KL \d+\.\d\d$/);
    assert.match(losses[1], /^Autoencoder loss \d+\.\d\d nats \(reconstruction only\)$/);
    assert.match(await page.textContent('#watch'), /ellipses overlap/);
    assert.equal(await page.textContent('#c-step'), String((await page.evaluate(() => window.vaePlayground.stats.steps))).replace(/\B(?=(\d{3})+(?!\d))/g, ','));
    await page.screenshot({ path: join(out, 'first-screen.png') });
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('on a 390 × 844 phone, Train, β and the step stay on screen while the VAE\'s view is', async () => {
    const { page } = await open(env, '', { viewport: { width: 390, height: 844 } });
    const vae = page.locator('.view').first();
    const top = await vae.boundingBox();
    assert.ok(top.y < 844 - 200, `the VAE's view starts at ${top.y}, on the first screen`);
    for (const selector of ['#play', '#beta', '#c-step']) assert.ok(within(await box(page, selector), 390, 844), selector);
    // Scrolled down through the views: the bar stays, above the view.
    for (const y of [300, 700]) {
      await page.mouse.wheel(0, y);
      await page.waitForTimeout(300);
      const view = await vae.boundingBox();
      for (const selector of ['#play', '#beta', '#c-step']) {
        const b = await box(page, selector);
        assert.ok(within(b, 390, 844), `${selector} after scrolling ${y}: ${JSON.stringify(b)}`);
      }
      if (view.y + view.height > 0) assert.ok(view.y + view.height > (await box(page, '#beta')).y, 'the view is still on screen');
    }
    await page.screenshot({ path: join(out, 'first-screen-phone.png') });
    await page.close();
  });
});

describe('the lesson pace', () => {
  test('is the default: an epoch a second, in the Pace menu and in the settings', async () => {
    const { page } = await open(env, '');
    assert.equal(await page.evaluate(() => window.vaePlayground.params.speed), 'lesson');
    assert.equal(await page.inputValue('#speed'), 'lesson');
    assert.match(await page.locator('#speed option:checked').textContent(), /an epoch a second/);
    // The link leaves the default out; "as fast as possible" is one choice away and is written.
    await page.selectOption('#speed', 'max');
    await page.waitForFunction(() => location.search.includes('speed=max'));
    await page.close();
  });

  test(`pauses once at the end of epoch ${PRESET_EPOCHS}, says so, and goes on when asked`, async () => {
    const { page } = await open(env, '');
    const milestone = PRESET_EPOCHS * 28;   // 28 batches of 64 in an epoch of the 1797 digits
    await page.evaluate((n) => window.vaePlayground.trainSteps(n), milestone - 40);
    await until(page, (s) => s.steps === milestone - 40 && !s.playing);
    await page.click('#play');
    const held = await until(page, (s) => !s.playing && s.steps >= milestone, 30000);
    assert.equal(held.steps, milestone, 'every model stopped at the milestone');
    assert.equal(await page.textContent('#play'), 'Train');
    await page.waitForTimeout(300);
    const text = await page.textContent('#watch');
    assert.match(text, new RegExp(`^Paused at step ${milestone}, the end of epoch ${PRESET_EPOCHS}`));
    assert.match(text, /Train goes on, and the numbers move on/);
    // Train again: past the milestone, no second pause.
    await page.click('#play');
    await until(page, (s) => s.steps > milestone + 30 && s.playing, 20000);
    // As fast as possible passes the milestone without pausing.
    await page.click('#play');
    await page.keyboard.press('r');
    await until(page, (s) => s.steps === 0 && !s.playing);
    await page.selectOption('#speed', 'max');
    await page.evaluate((n) => window.vaePlayground.trainSteps(n), milestone - 40);
    await until(page, (s) => s.steps === milestone - 40 && !s.playing);
    await page.click('#play');
    await until(page, (s) => s.steps > milestone + 200, 20000);
    // A pace changed while playing: from the lesson's to as fast as possible before the
    // milestone, the run passes it without pausing.
    await page.click('#play');
    await page.keyboard.press('r');
    await until(page, (s) => s.steps === 0 && !s.playing);
    await page.selectOption('#speed', 'lesson');
    await page.evaluate((n) => window.vaePlayground.trainSteps(n), milestone - 140);
    await until(page, (s) => s.steps === milestone - 140 && !s.playing);
    await page.click('#play');
    await until(page, (s) => s.steps > milestone - 130 && s.playing);
    await page.selectOption('#speed', 'max');
    await until(page, (s) => s.steps > milestone + 200, 20000);
    assert.equal(await page.evaluate(() => window.vaePlayground.milestone), null);
    await page.close();
  });

  test('Step takes an epoch (to its end), Shift a batch; the S key does the same', async () => {
    const { page } = await open(env, '');
    await page.click('#step');
    await until(page, (s) => s.steps === 28 && !s.playing);
    await page.click('#step', { modifiers: ['Shift'] });
    await until(page, (s) => s.steps === 29 && !s.playing);
    await page.click('#step');
    await until(page, (s) => s.steps === 56 && !s.playing);
    await page.evaluate(() => document.activeElement.blur());
    await page.keyboard.press('s');
    await until(page, (s) => s.steps === 84 && !s.playing);
    await page.keyboard.press('Shift+S');
    await until(page, (s) => s.steps === 85 && !s.playing);
    assert.equal(await page.textContent('#c-epoch'), '3');
    await page.close();
  });
});

describe('what to watch', () => {
  const model = (recipe, stats, loss) => ({ recipe, stats, loss });
  const vae = (kl, extra = {}) => model('vae', { meanSigma: 0.42, spread: 1.0, beta: 1, ...extra }, { loss: 25, recon: 23, kl });
  const ae = model('ae', { spread: 6.2, beta: 1 }, { loss: 21, recon: 21, kl: 0 });
  const params = { noise: 'sample', speed: 'lesson' };

  test('follows what the run shows', () => {
    assert.match(watchText({ steps: 0, epochs: 0, milestone: null, params, models: [vae(0), ae] }), /^Press Train/);
    const now = watchText({ steps: 300, epochs: 10, milestone: null, params, models: [vae(1.95), ae] });
    assert.match(now, /about 7 codes/);
    assert.match(now, /VAE 1\.0, autoencoder 6\.2/);
    assert.match(watchText({ steps: 300, epochs: 10, milestone: null, params, models: [vae(40, { beta: 0, meanSigma: 0.02 }), ae] }), /^β = 0: .*mean σ 0\.020/);
    assert.match(watchText({ steps: 300, epochs: 10, milestone: null, params: { ...params, noise: 'mean' }, models: [vae(0.2, { meanSigma: 1 }), ae] }), /^Noise off/);
    assert.match(watchText({ steps: 300, epochs: 10, milestone: null, params, models: [vae(0.004, { beta: 4 }), ae] }), /^Posterior collapse: the VAE's KL is 0\.00 nats/);
    assert.match(watchText({ steps: 300, epochs: 10, milestone: null, params, models: [vae(0.8, { beta: 4 }), ae] }), /^β = 4\.00: the KL weighs 4\.00 times as much/);
    assert.match(watchText({ steps: 840, epochs: 30, milestone: 840, params, models: [vae(1.9), ae] }), /^Paused at step 840/);
    assert.match(watchText({ steps: 900, epochs: 32, milestone: null, params, models: [vae(1.9), ae] }), /^Past epoch 30/);
  });
});

describe('every term explained where it stands', () => {
  test('each term the markup marks is in the one glossary', async () => {
    const { readFileSync } = await import('node:fs');
    const { TERMS } = await import('../../www/glossary.js');
    const files = ['template.js', 'panel-readouts.js', 'panel-lesson.js'];
    // Marked in the markup (data-term="…"), or named as a readout's row (row(name, id, term)).
    const marked = new Set(files.flatMap((f) => [...readFileSync(new URL(`../../www/${f}`, import.meta.url), 'utf8')
      .matchAll(/data-term="([a-zA-Z]+)"|row\('[^']*', '[^']*', '([a-zA-Z]+)'/g)].map((m) => m[1] || m[2])));
    for (const term of ['nats', 'loss', 'kl', 'positions', 'path', 'trust', 'cont', 'floor']) assert.ok(marked.has(term), `${term} is marked somewhere`);
    for (const term of marked) assert.ok(TERMS[term], `"${term}" is defined`);
  });

  test('a term shows its definition on hover and on focus; Escape and leaving close it', async () => {
    const { page, log } = await open(env, '');
    await page.evaluate(() => window.vaePlayground.trainSteps(28));
    await until(page, (s) => s.steps === 28 && !s.playing);
    await openTab(page, 'numbers');
    const terms = page.locator('.readouts [data-term="positions"]');
    assert.equal(await terms.count(), 2, 'both models\' rows');
    await terms.first().scrollIntoViewIfNeeded();
    await terms.first().hover();
    const tip = page.locator('#term-tip');
    await tip.waitFor({ state: 'visible' });
    assert.match(await tip.textContent(), /^Positions per axis: how many places along each axis/);
    // The box lies under the term, within the playground.
    const [t, b] = [await terms.first().boundingBox(), await tip.boundingBox()];
    assert.ok(b.y >= t.y + t.height && b.y < t.y + t.height + 20, `tip at ${b.y}, term ends at ${t.y + t.height}`);
    await page.mouse.move(5, 5);
    await tip.waitFor({ state: 'hidden' });
    // By keyboard: the unit "nats" beside the chart's title.
    await page.locator('.chart-box [data-term="nats"]').focus();
    await tip.waitFor({ state: 'visible' });
    assert.match(await tip.textContent(), /^Nats: the unit of information/);
    assert.equal(await page.locator('.chart-box [data-term="nats"]').getAttribute('aria-describedby'), 'term-tip');
    await page.keyboard.press('Escape');
    await tip.waitFor({ state: 'hidden' });
    // The lesson's strip marks its terms too, and they survive the run's updates.
    await page.click('#play');
    await until(page, (s) => s.steps > 60);
    await page.locator('#run-losses [data-term="kl"]').hover();
    await tip.waitFor({ state: 'visible' });
    assert.match(await tip.textContent(), /^KL to the prior/);
    await page.screenshot({ path: join(out, 'term-tip.png') });
    assert.deepEqual(log.errors, []);
    await page.close();
  });
});

describe('one experiment at a time', () => {
  test('tabs under the views show one part at a time, by pointer and by keyboard; a figure has none', async () => {
    const { TABS } = await import('../../www/panel-tabs.js');
    const { page, log } = await open(env, '');
    const labels = await page.locator('.tabs [role="tab"]').allTextContents();
    assert.deepEqual(labels, TABS.map(([, label]) => label));
    assert.equal(await page.getAttribute('#tab-question', 'aria-selected'), 'true');
    assert.equal(await page.isVisible('.presets'), true, 'the question comes first');
    for (const part of ['.tear', '.pull', '.prior', '.maps', '#chart', '.rate-box']) assert.equal(await page.isVisible(part), false, `${part} waits behind its tab`);
    // Every section the markup gives a tab to has one.
    const named = await page.locator('[data-tab]').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.tab))]);
    assert.deepEqual(named.sort(), TABS.map(([name]) => name).sort());
    await page.click('#tab-tear');
    assert.equal(await page.isVisible('.tear'), true);
    assert.equal(await page.isVisible('.presets'), false);
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute('#tab-pull', 'aria-selected'), 'true');
    assert.equal(await page.isVisible('#pull-similar'), true);
    await page.keyboard.press('End');
    assert.equal(await page.getAttribute('#tab-rate', 'aria-selected'), 'true');
    assert.equal(await page.isVisible('#rate-plot'), true);
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute('#tab-question', 'aria-selected'), 'true', 'round to the first');
    await page.click('#tab-maps');
    await page.screenshot({ path: join(out, 'tab-maps.png'), fullPage: true });
    assert.equal(await page.isVisible('.maps'), true);
    // hide= takes a tab whose parts it hides; a figure shows its parts without tabs.
    const hidden = await open(env, '?hide=tear,pull');
    assert.equal(await hidden.page.isVisible('#tab-tear'), false);
    assert.equal(await hidden.page.isVisible('#tab-prior'), true);
    await hidden.page.close();
    const fig = await open(env, '?figure=tear&stop=28');
    assert.equal(await fig.page.isVisible('.tabs'), false);
    assert.equal(await fig.page.isVisible('.tear'), true);
    await fig.page.close();
    assert.deepEqual(log.errors, []);
    await page.close();
  });
});

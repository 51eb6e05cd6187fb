// Exports (figure, codes, losses, weights) and loading weights back, also from vae-train.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePng } from './png.mjs';
import { open, out, root, start, until, openTab } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

/** Clicks `selector` and saves the download it starts under tests/out; returns the path. */
async function downloadOf(page, selector, name) {
  if (!(await page.isVisible(selector))) await page.click('details.export > summary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = join(out, name || download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

const rows = (csv, model) => csv.trim().split('\n').filter((l) => l.split(',')[2] === model);

describe('exports', () => {
  test('exported weights load back and give the same latent codes', async () => {
    const first = await open(env, '?seed=5');
    await first.page.evaluate(() => window.vaePlayground.trainSteps(60));
    await until(first.page, (s) => s.steps === 60);
    const vae = await downloadOf(first.page, '#export-vae');
    const ae = await downloadOf(first.page, '#export-ae');
    const codes = readFileSync(await downloadOf(first.page, '#export-codes', 'codes-before.csv'), 'utf8');
    assert.equal(codes.split('\n')[0], 'index,label,model,mu_0,mu_1,logvar_0,logvar_1');
    assert.equal(rows(codes, 'vae').length, 1797);
    assert.equal(rows(codes, 'ae').length, 1797);
    const weights = JSON.parse(readFileSync(vae, 'utf8'));
    assert.equal(weights.format, 'vae-playground-weights');
    assert.equal(weights.model, 'vae');
    await first.page.close();

    const second = await open(env, '?seed=6');
    const fresh = readFileSync(await downloadOf(second.page, '#export-codes', 'codes-fresh.csv'), 'utf8');
    assert.notEqual(fresh, codes, 'another seed starts elsewhere');
    await second.page.setInputFiles('#load-weights', [vae, ae]);
    await second.page.waitForFunction(() => (window.vaePlayground.loaded || []).length === 2);
    const after = readFileSync(await downloadOf(second.page, '#export-codes', 'codes-after.csv'), 'utf8');
    assert.equal(after, codes);
    await second.page.close();
  });

  test('weights from vae-train load into the page, which takes their size', async () => {
    const file = join(out, 'trainer-vae-h32.json');
    const latents = join(out, 'trainer-latents.csv');
    execFileSync('cargo', ['run', '--quiet', '--bin', 'vae-train', '--', '--model', 'vae', '--hidden', '32',
      '--steps', '40', '--seed', '2', '--save-weights', file, '--save-latents', latents], { cwd: root });
    const { page } = await open(env);
    await page.setInputFiles('#load-weights', [file]);
    await page.waitForFunction(() => (window.vaePlayground.loaded || []).length === 1);
    assert.match(await page.evaluate(() => location.search), /hidden=32/);
    const codes = readFileSync(await downloadOf(page, '#export-codes', 'codes-trainer.csv'), 'utf8');
    const native = rows(readFileSync(latents, 'utf8'), 'vae');
    const browser = rows(codes, 'vae');
    assert.equal(browser.length, native.length);
    for (let i = 0; i < native.length; i++) {
      const a = native[i].split(',').slice(3).map(Number);
      const b = browser[i].split(',').slice(3).map(Number);
      a.forEach((v, j) => assert.ok(Math.abs(v - b[j]) < 1e-4, `row ${i}: native ${native[i]} browser ${browser[i]}`));
    }
    await page.close();
  });

  test('a broken weights file gives a message and changes nothing', async () => {
    const { page } = await open(env);
    await page.setInputFiles('#load-weights', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something else"}') });
    await until(page, (s) => s.notice != null);
    assert.match(await page.evaluate(() => window.vaePlayground.notice), /weights file|not a readable/);
    await page.evaluate(() => window.vaePlayground.trainSteps(3));
    await until(page, (s) => s.steps === 3);
    await page.close();
  });

  test('weights loaded while a tear runs end it: the panel clears and the view shows them', async () => {
    const { page, log } = await open(env, '?models=vae&seed=3');
    await page.evaluate(() => window.vaePlayground.trainSteps(60));
    await until(page, (s) => s.steps === 60 && !s.playing);
    const weights = await downloadOf(page, '#export-vae', 'weights-for-the-tear.json');
    await page.evaluate(() => window.vaePlayground.trainSteps(40));
    await until(page, (s) => s.steps === 100 && !s.playing);
    await openTab(page, 'tear');
    await page.selectOption('#tear-steps', '5000');
    await page.click('#tear-start');
    await page.waitForFunction(() => window.vaePlayground.tear && window.vaePlayground.tear.vae, null, { timeout: 10000 });
    await until(page, (s) => s.models.vae.tearing === true);
    await page.setInputFiles('#load-weights', [weights]);
    await page.waitForFunction(() => (window.vaePlayground.loaded || []).length === 1);
    await page.waitForFunction(() => window.vaePlayground.tear == null, null, { timeout: 5000 });
    await until(page, (s) => s.models.vae.tearing === false);
    assert.equal(await page.textContent('#tear-vae-delta'), '–');
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('the figure is a 1600x900 PNG of both views; the losses are CSV', async () => {
    const { page } = await open(env);
    await page.evaluate(() => window.vaePlayground.trainSteps(100));
    await until(page, (s) => s.steps === 100);
    const png = decodePng(readFileSync(await downloadOf(page, '#export-figure')));
    assert.deepEqual([png.width, png.height], [1600, 900]);
    let ink = 0;
    for (let i = 0; i < png.rgba.length; i += 4) if (png.rgba[i] < 200) ink += 1;
    assert.ok(ink > 10000, `the figure has drawing in it (${ink} dark pixels)`);
    const losses = readFileSync(await downloadOf(page, '#export-losses'), 'utf8').trim().split('\n');
    assert.equal(losses[0], 'model,step,loss,recon,kl');
    for (const model of ['vae', 'ae']) {
      const rows = losses.filter((l) => l.startsWith(`${model},`));
      assert.ok(rows.length >= 1, `${model} has rows`);
      const last = rows[rows.length - 1].split(',').slice(1).map(Number);
      assert.equal(last[0], 100, `${model}'s last row is at step 100`);
      assert.ok(last.every(Number.isFinite));
    }
    await page.close();
  });
});

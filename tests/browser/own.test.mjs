// A visitor's own data: a CSV file and PNG images chosen in "Your own data" train both models;
// each bad file gets its message and the run it had goes on; a training set drawn on the pad
// trains and round-trips through its CSV. Screenshots go to tests/out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drawStroke, open, out, start, stats, until, openTab } from './harness.mjs';

let env;
before(async () => { env = await start({ viewport: { width: 1280, height: 900 } }); });
after(async () => { await env.close(); });

/** 60 samples of 8 × 8: an upright or a flat bar at one of six places, labelled by name. */
function barsCsv() {
  const rows = [];
  for (let i = 0; i < 60; i++) {
    const px = new Array(64).fill(0);
    const k = (i % 6) + 1;
    for (let j = 1; j < 7; j++) px[i % 2 ? k * 8 + j : j * 8 + k] = 1;
    rows.push([i % 2 ? 'flat' : 'upright', ...px].join(','));
  }
  return `label,${Array.from({ length: 64 }, (_, i) => `p${i}`).join(',')}\n${rows.join('\n')}\n`;
}

const csvFile = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

/** Chooses `files` in "Your own data". */
async function choose(page, files) {
  if (!(await page.isVisible('#own-files'))) await page.click('#own > summary');
  await page.setInputFiles('#own-files', files);
}

/** PNG files drawn in the page: black circles and bars on white paper, 40 × 40 pixels. */
async function shapes(page) {
  const made = await page.evaluate(async () => {
    const out = [];
    for (let i = 0; i < 8; i++) {
      for (const shape of ['circle', 'bar']) {
        const c = new OffscreenCanvas(40, 40);
        const g = c.getContext('2d');
        g.fillStyle = '#fff';
        g.fillRect(0, 0, 40, 40);
        g.strokeStyle = '#000';
        g.lineWidth = 3;
        g.beginPath();
        if (shape === 'circle') g.arc(20 + i - 4, 20, 8 + i, 0, 2 * Math.PI);
        else { g.moveTo(8 + i, 6); g.lineTo(32 - i, 34); }
        g.stroke();
        const blob = await c.convertToBlob({ type: 'image/png' });
        out.push({ name: `${shape}_${i}.png`, bytes: Array.from(new Uint8Array(await blob.arrayBuffer())) });
      }
    }
    return out;
  });
  return made.map((f) => ({ name: f.name, mimeType: 'image/png', buffer: Buffer.from(f.bytes) }));
}

describe('data of one\'s own', () => {
  test('a CSV with named labels trains both models, and the page says the data stays here', async () => {
    const { page, log } = await open(env, '');
    await choose(page, [csvFile('bars.csv', barsCsv())]);
    const s = await until(page, (x) => x.dataset === 'own', 15000);
    assert.equal(s.samples, 60);
    assert.deepEqual(s.imageSize, [8, 8]);
    assert.equal(s.batch, 32, 'a batch the 60 samples fill');
    assert.match(s.notice, /stays in this browser: a link to this page says dataset=own but cannot carry the data/);
    assert.match(await page.textContent('#own-status'), /60 samples of 8 × 8 in 2 classes \(flat, upright\)/);
    assert.match(page.url(), /dataset=own/);
    const legend = await page.$$eval('.legend li', (lis) => lis.map((li) => li.textContent));
    assert.deepEqual(legend, ['flat', 'upright']);
    await page.evaluate(() => window.vaePlayground.trainSteps(200));
    const trained = await until(page, (x) => x.steps === 200 && !x.playing, 30000);
    assert.ok(trained.lastVae.recon < 44, `the VAE learns the bars: ${trained.lastVae.recon}`);
    // The weights export names the file the data came from.
    await page.click('details.export > summary');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-models button >> nth=0')]);
    const path = join(out, 'own-weights.json');
    await download.saveAs(path);
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).config.dataset, 'bars.csv');
    await page.screenshot({ path: join(out, 'own-csv.png') });
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('a CSV dropped on the panel trains', async () => {
    const { page, log } = await open(env, '');
    await page.click('#own > summary');
    await page.evaluate((text) => {
      const zone = document.querySelector('vae-playground').shadowRoot.getElementById('own-drop');
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, barsCsv());
    const s = await until(page, (x) => x.dataset === 'own', 15000);
    assert.equal(s.samples, 60);
    assert.match(s.notice, /dropped\.csv/);
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('PNG images are labelled by their names and made 28 × 28', async () => {
    const { page, log } = await open(env, '');
    await choose(page, await shapes(page));
    const s = await until(page, (x) => x.dataset === 'own', 20000);
    assert.equal(s.samples, 16);
    assert.deepEqual(s.imageSize, [28, 28]);
    assert.match(await page.textContent('#own-status'), /16 samples of 28 × 28 in 2 classes \(bar, circle\)/);
    await page.evaluate(() => window.vaePlayground.trainSteps(60));
    await until(page, (x) => x.steps === 60 && !x.playing, 30000);
    await page.screenshot({ path: join(out, 'own-images.png') });
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('a chosen folder labels its files by their names, or by their subfolders', async () => {
    const { page, log } = await open(env, '');
    const files = await shapes(page);
    // A flat folder: labels from the names. Hidden and system files are left out.
    const flat = mkdtempSync(join(tmpdir(), 'vae-own-'));
    for (const f of files) writeFileSync(join(flat, f.name), f.buffer);
    writeFileSync(join(flat, '.DS_Store'), 'x');
    if (!(await page.isVisible('#own-folder'))) await page.click('#own > summary');
    await page.setInputFiles('#own-folder', flat);
    await until(page, (x) => x.dataset === 'own', 20000);
    assert.match(await page.textContent('#own-status'), /16 samples of 28 × 28 in 2 classes \(bar, circle\)/);
    // Subfolders: labels from the folders.
    const nested = mkdtempSync(join(tmpdir(), 'vae-own-'));
    for (const f of files) {
      const dir = join(nested, f.name.startsWith('bar') ? 'lines' : 'rings');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, f.name.replace(/^[a-z]+_/, 'x')), f.buffer);
    }
    await page.click('#notice-close');
    await page.setInputFiles('#own-folder', nested);
    await page.waitForFunction(() => /in 2 classes \(lines, rings\)/.test(document.querySelector('vae-playground').shadowRoot.getElementById('own-status').textContent), null, { timeout: 20000 });
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('each bad file gets its message, and the run it had goes on', async () => {
    const { page } = await open(env, '');
    await page.evaluate(() => window.vaePlayground.trainSteps(20));
    await until(page, (x) => x.steps === 20 && !x.playing);
    const good = barsCsv().split('\n');
    const cases = [
      [[csvFile('empty.csv', '')], /empty\.csv|no samples/],
      [[csvFile('ragged.csv', `${good.slice(0, 5).join('\n')}\n1,0,1\n`)], /row 6 has 3 values, but the first row has 65/],
      [[csvFile('shape.csv', '1,2,3,4,5\n1,2,3,4,5\n')], /no image shape here; each row must hold a square image of 4×4 to 28×28/],
      [[csvFile('nan.csv', good.join('\n').replace(',1,', ',NaN,'))], /is not a number/],
      [[csvFile('range.csv', good.join('\n').replace(',1,', ',300,'))], /out of range/],
      [[csvFile('one.csv', `${good[0]}\n${good[1]}\n`)], /the file has 1 sample; at least 2 are needed/],
      [[{ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') }, { name: 'b.png', mimeType: 'image/png', buffer: Buffer.from('nor this') }], /photo\.png is not an image this browser can read/],
      [[{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') }], /notes\.txt is neither a CSV file nor an image/],
      [[csvFile('a.csv', barsCsv()), csvFile('b.csv', barsCsv())], /2 CSV files: choose one/],
    ];
    for (const [files, want] of cases) {
      await choose(page, files);
      const s = await until(page, (x) => x.notice && /was not used/.test(x.notice), 15000);
      assert.match(s.notice, want, files[0].name);
      assert.match(s.notice, /The run you had goes on/);
      assert.equal(s.dataset, 'digits', files[0].name);
      assert.equal(s.steps, 20, `${files[0].name}: the run is kept`);
      await page.click('#notice-close');
    }
    // Too many rows: the limit is stated (20,001 rows of 16 values).
    const row = new Array(16).fill('0').join(',');
    await choose(page, [csvFile('big.csv', `${row}\n`.repeat(20001))]);
    const big = await until(page, (x) => x.notice && /was not used/.test(x.notice), 20000);
    assert.match(big.notice, /the file has 20001 samples; at most 20000 are read/);
    await page.evaluate(() => window.vaePlayground.trainSteps(30));
    await until(page, (x) => x.steps === 50 && !x.playing);
    await page.close();
  });

  test('a drawn training set trains and round-trips through its CSV', async () => {
    const { page, log } = await open(env, '');
    const strokes = [
      ['upright', (t) => [0.5, 0.1 + 0.8 * t]],
      ['flat', (t) => [0.1 + 0.8 * t, 0.5]],
    ];
    for (const [name, at] of strokes) {
      await openTab(page, 'walk');
      await page.fill('#drawn-label', name);
      for (let k = 0; k < 3; k++) {
        await page.locator('#pad').scrollIntoViewIfNeeded();
        const pad = await page.locator('#pad').boundingBox();
        const [x0, y0] = at(0);
        await page.mouse.move(pad.x + pad.width * (x0 + 0.1 * k - 0.1), pad.y + pad.height * y0);
        await page.mouse.down();
        for (let s = 1; s <= 12; s++) {
          const [x, y] = at(s / 12);
          await page.mouse.move(pad.x + pad.width * (name === 'upright' ? x + 0.1 * k - 0.1 : x), pad.y + pad.height * (name === 'flat' ? y + 0.1 * k - 0.1 : y));
        }
        await page.mouse.up();
        await page.click('#drawn-add');
      }
    }
    assert.match(await page.textContent('#drawn-count'), /6 drawings of 8 × 8: 3 upright, 3 flat/);
    await page.click('#drawn-add');
    assert.match(await page.textContent('#drawn-count'), /The pad is empty/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#drawn-save')]);
    const path = join(out, 'own-drawn.csv');
    await download.saveAs(path);
    const saved = readFileSync(path, 'utf8').trim().split('\n');
    assert.equal(saved.length, 7);
    assert.match(saved[0], /^label,p0,p1,/);
    assert.deepEqual(saved.slice(1).map((r) => r.split(',')[0]), ['upright', 'upright', 'upright', 'flat', 'flat', 'flat']);
    await page.click('#drawn-train');
    const s = await until(page, (x) => x.dataset === 'own', 15000);
    assert.equal(s.samples, 6);
    assert.equal(s.batch, 6, 'a batch of all six');
    await page.evaluate(() => window.vaePlayground.trainSteps(100));
    await until(page, (x) => x.steps === 100 && !x.playing, 30000);
    // The saved file loads back as the same set.
    await choose(page, [csvFile('own-drawn.csv', readFileSync(path, 'utf8'))]);
    await until(page, (x) => x.dataset === 'own' && x.steps === 0 && /own-drawn\.csv/.test(x.notice || ''), 15000);
    assert.match(await page.textContent('#own-status'), /6 samples of 8 × 8 in 2 classes \(flat, upright\)/);
    await page.locator('.drawn').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(out, 'own-drawn.png') });
    assert.deepEqual(log.errors, []);
    await page.close();
  });
});

// The speed benchmark: trains the reference configuration (digits, H 256, Z 2, ReLU, Adam) in
// headless Chromium, natively and with TensorFlow.js 4.22 (wasm backend with SIMD) in the same
// Chromium, the same at MNIST's 784 inputs (batch 64), and measures the page on the digits and
// on MNIST. Prints a table and writes
// tests/out/bench.json. A benchmark, not a test: it asserts nothing.
//
//   node tests/bench.mjs          (after www/build.sh; needs the toolchain of tests/run-all.sh)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countFrames, open, out, root, start } from './browser/harness.mjs';
import { serve } from '../www/serve.mjs';

const H = 256, Z = 2;
/** The runs: batch, and side of the images (8: the digits, D 64; 28: MNIST's shape, D 784). */
const RUNS = [[64, 8], [256, 8], [64, 28]];
/** Multiply-adds of one training step per sample: forward, weight gradients, input gradients
 * (none for the input layer). The VAE has two heads (μ, log σ²), the AE one. */
function flopsPerSample(model, D) {
  const heads = model === 'vae' ? 2 : 1;
  const forward = D * H + heads * H * Z + Z * H + H * D;
  const weights = forward;
  const inputs = heads * H * Z + Z * H + H * D;
  return 2 * (forward + weights + inputs);
}

/** What the page has done so far, with the time: each view's frames (counted in its
 * worker), each model's steps and the batch, and each worker's mean frame times. Read twice,
 * they give rates over the span between. (The page's own training rates are each worker's
 * over its last 1.5 s; read at one moment they differ between models that lockstep lets run
 * up to 128 steps apart.) */
const reading = () => {
  const p = window.vaePlayground;
  const steps = Object.fromEntries(Object.entries(p.stats.models).map(([id, m]) => [id, m.steps]));
  return { t: performance.now(), workerFrames: p.workerFrames, steps, batch: p.stats.batch, frameMs: p.frameMs };
};
/** How much a count of each model (`of(reading)[id]`) grew a second between two readings. */
const perSecond = (a, b, of) => Object.fromEntries(Object.keys(of(b)).map((id) => [id, (of(b)[id] - of(a)[id]) / ((b.t - a.t) / 1000)]));
/** Samples a second each model trained between two readings. */
const rates = (a, b) => Object.fromEntries(Object.entries(perSecond(a, b, (r) => r.steps)).map(([id, v]) => [id, v * b.batch]));
/** The page's main thread, frames a second over `ms` (counted in a span of its own: the
 * counting loop costs the page a little, and the page runs no loop of its own). */
async function mainFps(page, ms) {
  const frames = await countFrames(page);
  const t = Date.now();
  await page.waitForTimeout(ms);
  return (await frames()) / ((Date.now() - t) / 1000);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log('native (cargo run --release --example step_throughput) ...');
const native = execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'step_throughput'], { cwd: root, encoding: 'utf8' })
  .trim().split('\n').map((l) => JSON.parse(l));

const env = await start();
const results = { native, browser: [], page: {} };
try {
  // Time to first frame over five loads; the bytes of the first (a first visit: later loads
  // find the files in the browser's cache and get 304 Not Modified).
  const firsts = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const context = env.context;
    const sizes = [];
    const onResponse = async (r) => { const len = Number(r.headers()['content-length'] || 0); sizes.push(len); };
    context.on('response', onResponse);
    const { page } = await open(env, `?load=${i}`);
    await page.waitForFunction(() => window.vaePlayground.firstFrameMs != null);
    firsts.push(await page.evaluate(() => window.vaePlayground.firstFrameMs));
    await page.waitForTimeout(300);
    context.off('response', onResponse);
    if (i === 0) bytes = sizes.reduce((a, b) => a + b, 0);
    await page.close();
  }
  results.page.firstFrameMs = median(firsts);
  results.page.firstFrameAllMs = firsts;
  results.page.gzipBytes = bytes;

  // As fast as possible (the lesson's pace, the page's default, is measured after), with the
  // decoder maps' tab open, so that the workers decode them too.
  const { page } = await open(env, '?speed=max');
  await page.click('#tab-maps');
  // The project and TensorFlow.js 4.22 (wasm backend, SIMD; a dev dependency served from
  // tests/node_modules to its own page only) in the same Chromium, alternating: the project,
  // TF.js, the project again; the best run of each counts.
  const tfServer = await serve(join(root, 'tests'), 0);
  const tfPage = await env.context.newPage();
  await tfPage.goto(`${tfServer.url}bench/tfjs.html`);
  results.tfjs = { ...(await tfPage.evaluate(() => window.bench('wasm'))), runs: [] };
  const best = {};
  for (const round of [0, 1, 2]) {
    for (const [batch, side] of RUNS) {
      const scale = (side * side) / 64;   // fewer steps at 784 inputs
      for (const model of ['vae', 'ae']) {
        const key = `${model}-${batch}-${side}`;
        if (round !== 1) {
          const r = await page.evaluate(([m, b, n, s]) => window.vaePlayground.bench(m, b, n, s), [model, batch, Math.round(40000 / batch / scale), side]);
          best[key] = Math.max(best[key] || 0, r.samplesPerSecond);
        } else {
          for (let i = 0; i < 2; i++) {
            const sps = await tfPage.evaluate(([m, b, n, d]) => window.train(m, b, n, d), [model, batch, Math.round(20000 / batch / scale), side * side]);
            results.tfjs.runs.push({ model, batch, input: side * side, samples_per_second: sps });
          }
        }
      }
    }
  }
  for (const [batch, side] of RUNS) {
    for (const model of ['vae', 'ae']) results.browser.push({ model, batch, input: side * side, samples_per_second: best[`${model}-${batch}-${side}`] });
  }
  await tfPage.close();
  tfServer.close();
  await page.bringToFront();   // the playground's page, in front again after TF.js's
  // Trustworthiness and continuity in the worker: the first time (input tables) and again.
  const metricsMs = [];
  for (let i = 0; i < 3; i++) {
    await page.evaluate(() => { window.vaePlayground.metrics = null; window.vaePlayground.trainSteps(1); });
    await page.waitForFunction(() => window.vaePlayground.metrics != null, null, { timeout: 30000 });
    metricsMs.push(await page.evaluate(() => window.vaePlayground.metrics.vae.ms));
  }
  results.page.metricsMs = metricsMs;
  // The peak of a large matrix product through the same kernel in the same wasm.
  const peaks = [];
  for (let i = 0; i < 3; i++) peaks.push(await page.evaluate(() => window.vaePlayground.peak(256, 20)));
  results.page.matmulPeakGflops = Math.max(...peaks);
  // Every model training as fast as it can (each in its own worker, in lockstep) while the
  // views redraw: the speed a student gets; then, training on, the main thread's frames.
  await page.click('#play');
  await page.waitForTimeout(1500);
  const f0 = await page.evaluate(reading);
  await page.waitForTimeout(4000);
  const f1 = await page.evaluate(reading);
  results.page.trainingWhileDrawing = rates(f0, f1);
  results.page.frameMs = f1.frameMs;
  results.page.viewFps = perSecond(f0, f1, (r) => r.workerFrames);
  results.page.mainThreadFps = await mainFps(page, 2000);
  await page.click('#play');
  // The same without the decoder maps' panel (hide=maps: its workers stop decoding it; the
  // map under the codes is off by default), to show what drawing the maps costs.
  await page.evaluate(() => document.querySelector('vae-playground').set('hide', 'maps'));
  await page.click('#play');
  await page.waitForTimeout(1500);
  const n0 = await page.evaluate(reading);
  await page.waitForTimeout(4000);
  results.page.trainingWhileDrawingNoMap = rates(n0, await page.evaluate(reading));
  await page.click('#play');
  // The lesson's pace (an epoch a second: 28 steps of 64 on the digits) and the main thread's
  // frames at it: the page a student first sees.
  await page.evaluate(() => { const el = document.querySelector('vae-playground'); el.set('hide', null); el.set('speed', 'lesson'); });
  await page.click('#play');
  await page.waitForTimeout(1500);
  const l0 = await page.evaluate(reading);
  await page.waitForTimeout(4000);
  results.page.lessonPace = { stepsPerSecond: perSecond(l0, await page.evaluate(reading), (r) => r.steps), mainThreadFps: await mainFps(page, 2000) };
  await page.click('#play');
  await page.close();
  // The same on MNIST (28 × 28, views on its evaluation subset of 2,000 samples).
  const mnist = (await open(env, '?dataset=mnist&speed=max')).page;
  await mnist.click('#tab-maps');
  await mnist.waitForFunction(() => window.vaePlayground.stats.dataset === 'mnist', null, { timeout: 30000 });
  await mnist.click('#play');
  await mnist.waitForTimeout(2000);
  const m0 = await mnist.evaluate(reading);
  await mnist.waitForTimeout(5000);
  const m1 = await mnist.evaluate(reading);
  results.page.mnist = { trainingWhileDrawing: rates(m0, m1), frameMs: m1.frameMs, viewFps: perSecond(m0, m1, (r) => r.workerFrames), mainThreadFps: await mainFps(mnist, 2000) };
  await mnist.click('#play');
  await mnist.close();
} finally {
  await env.close();
}

const rows = [];
for (const b of results.browser) {
  const same = (x) => x.model === b.model && x.batch === b.batch && x.input === b.input;
  const n = results.native.find(same);
  const f = flopsPerSample(b.model, b.input);
  const tf = Math.max(...results.tfjs.runs.filter(same).map((x) => x.samples_per_second));
  rows.push({
    model: b.model, batch: b.batch, input: b.input,
    'browser samples/s': Math.round(b.samples_per_second),
    'native samples/s': n.samples_per_second,
    'browser/native': (b.samples_per_second / n.samples_per_second).toFixed(2),
    'browser GFLOP/s': ((b.samples_per_second * f) / 1e9).toFixed(1),
    'native GFLOP/s': ((n.samples_per_second * f) / 1e9).toFixed(1),
    'TF.js samples/s': Math.round(tf),
    'project/TF.js': (b.samples_per_second / tf).toFixed(1),
  });
}
results.table = rows;
console.table(rows);
console.log(`first frame after navigation: ${results.page.firstFrameMs.toFixed(0)} ms (median of 5: ${results.page.firstFrameAllMs.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`bytes transferred (gzip): ${results.page.gzipBytes.toLocaleString('en')}`);
const bare = (model, input = 64) => results.browser.find((b) => b.model === model && b.batch === 64 && b.input === input).samples_per_second;
const drawing = ['vae', 'ae'].map((m) => {
  const sps = results.page.trainingWhileDrawing[m];
  return `${m} ${Math.round(sps).toLocaleString('en')} samples/s (${(sps / bare(m)).toFixed(2)} of its bare rate)`;
});
const noMap = ['vae', 'ae'].map((m) => `${m} ${Math.round(results.page.trainingWhileDrawingNoMap[m]).toLocaleString('en')}`);
console.log(`main thread while training at full speed: ${results.page.mainThreadFps.toFixed(1)} frames/s`);
const lesson = results.page.lessonPace;
console.log(`at the lesson's pace (an epoch a second, 28 steps): ${['vae', 'ae'].map((id) => `${id} ${lesson.stepsPerSecond[id].toFixed(1)} steps/s`).join(', ')}; main thread ${lesson.mainThreadFps.toFixed(1)} frames/s`);
console.log(`training while the page draws (each model in its own worker, views and the decoder maps' panel redrawn while training, frames a second counted below): ${drawing.join(', ')}; with the panel hidden: ${noMap.join(', ')}`);
const frame = ['vae', 'ae'].map((m) => { const f = results.page.frameMs[m]; return `${m} ${f.draw.toFixed(1)} ms encoding and drawing, ${f.put.toFixed(1)} ms putting the pixels on the canvas`; });
console.log(`a frame in the worker while training: ${frame.join('; ')} (${['vae', 'ae'].map((m) => `${m} ${results.page.viewFps[m].toFixed(1)}`).join(', ')} frames a second)`);
const peak = results.page.matmulPeakGflops;
const m = results.page.mnist;
const mnistDrawing = ['vae', 'ae'].map((id) => `${id} ${Math.round(m.trainingWhileDrawing[id]).toLocaleString('en')} samples/s (${(m.trainingWhileDrawing[id] / bare(id, 784)).toFixed(2)} of its bare rate at 784 inputs), a frame ${m.frameMs[id].draw.toFixed(1)} ms, ${m.viewFps[id].toFixed(1)} frames a second`);
console.log(`MNIST, training while the page draws: ${mnistDrawing.join('; ')}; main thread ${m.mainThreadFps.toFixed(1)} frames/s`);
for (const r of rows.filter((x) => x.batch === 64)) {
  console.log(`${r.model} at batch 64, ${r.input} inputs: ${r['browser GFLOP/s']} GFLOP/s, ${(r['browser GFLOP/s'] / peak).toFixed(2)} of the wasm matrix-product peak (${peak.toFixed(1)} GFLOP/s, 256 × 256 × 256)`);
}
console.log(`trustworthiness, continuity and path-length ratio of a model in its worker: ${results.page.metricsMs.map((x) => x.toFixed(0)).join(', ')} ms (the first includes the input space's tables)`);
writeFileSync(join(out, 'bench.json'), JSON.stringify(results, null, 1));

// Shared set-up of the browser tests and the benchmark: the built site served on 127.0.0.1,
// Debian's Chromium driven by playwright-core, and a record of every console message and
// request of a page.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../www/serve.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const dist = join(root, 'dist');
export const out = join(root, 'tests/out');
mkdirSync(out, { recursive: true });

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Serves dist/ and starts Chromium; returns { server, context, close }. `hooks`: the pages
 * get the playground's test and benchmark hooks (www/hooks.js), which a page has only when
 * VAE_PLAYGROUND_HOOKS is set before its scripts run. */
export async function start({ viewport = { width: 1280, height: 1000 }, bypassCSP = false, hooks = true } = {}) {
  if (!existsSync(join(dist, 'index.html'))) throw new Error('dist/ is not built: run www/build.sh');
  const server = await serve(dist, 0);
  // bypassCSP: for an audit script injected into a page (axe-core), which the page's own
  // content-security policy would refuse.
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'vae-chromium-')), {
    executablePath: CHROMIUM, headless: true, viewport, args: FLAGS, bypassCSP,
  });
  if (hooks) await context.addInitScript(() => { globalThis.VAE_PLAYGROUND_HOOKS = true; });
  return { server, context, close: async () => { await context.close(); server.close(); } };
}

/** Opens the site at `path` and records console errors, page errors and every request. */
export async function open(env, path = '', { reducedMotion, viewport, waitReady = true } = {}) {
  const page = await env.context.newPage();
  if (reducedMotion) await page.emulateMedia({ reducedMotion });
  if (viewport) await page.setViewportSize(viewport);
  const log = { errors: [], requests: [], failed: [] };
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(m.text()); });
  page.on('pageerror', (e) => log.errors.push(e.message));
  env.context.on('request', (r) => log.requests.push(r.url()));
  page.on('requestfailed', (r) => log.failed.push(r.url()));
  page.on('response', (r) => { if (r.status() >= 400) log.failed.push(`${r.status()} ${r.url()}`); });
  await page.goto(env.server.url + path);
  if (waitReady) await page.waitForFunction(() => window.vaePlayground && window.vaePlayground.ready, null, { timeout: 15000 });
  return { page, log };
}

/** Opens "More settings" (the settings beyond the lesson's: learning rate, batch, axes, the map,
 * a new seed) as a reader would, by its summary. */
export async function openMore(page) {
  if (!(await page.locator('#more').evaluate((d) => d.open))) await page.click('#more > summary');
}

/** Opens the tab `name` under the views (panel-tabs.js: question, numbers, tear, pull, prior,
 * walk, maps, rate), as a reader would. */
export async function openTab(page, name) {
  await page.click(`#tab-${name}`);
}

/** The playground's state as the page exposes it. */
export const stats = (page) => page.evaluate(() => ({ ...window.vaePlayground.stats, playing: window.vaePlayground.workerPlaying, lastVae: window.vaePlayground.losses.vae, notice: window.vaePlayground.notice }));

/** Waits until `predicate(stats)` holds, polling the page. */
export async function until(page, predicate, timeout = 20000) {
  const t = Date.now();
  for (;;) {
    const s = await stats(page);
    if (predicate(s)) return s;
    if (Date.now() - t > timeout) throw new Error(`timed out; last state ${JSON.stringify(s)}`);
    await page.waitForTimeout(100);
  }
}

/** Counts the page's animation frames from now (the page itself runs no loop of its own: an
 * idle playground costs nothing); returns a function that stops counting and resolves to the
 * count. */
export async function countFrames(page) {
  await page.evaluate(() => {
    cancelAnimationFrame(window.framesLoop);
    window.framesCounted = 0;
    const tick = () => { window.framesCounted += 1; window.framesLoop = requestAnimationFrame(tick); };
    window.framesLoop = requestAnimationFrame(tick);
  });
  return () => page.evaluate(() => { cancelAnimationFrame(window.framesLoop); return window.framesCounted; });
}

/** Draws a vertical stroke (a "1") on the drawing pad with the mouse. */
export async function drawStroke(page) {
  await page.locator('#pad').scrollIntoViewIfNeeded();
  const pad = await page.locator('#pad').boundingBox();
  await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.1);
  await page.mouse.down();
  for (let k = 1; k <= 16; k++) await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * (0.1 + 0.05 * k));
  await page.mouse.up();
}

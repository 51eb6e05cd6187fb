// The Embed dialog and the link back from a figure: the dialog opens from its button and from
// the keyboard, its three code boxes carry the settings in force and the figure chosen, Copy
// copies, Escape closes it and takes its preview away; the code, pasted into a blank page of the
// same site, shows the same run at the same step; the single file says what it cannot give; a
// figure or an embedded playground links back to the full playground, and hide=open takes the
// link away. Screenshots go to tests/out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dist, open, out, start, stats, until } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

/** The dialog as a reader finds it: open or not, modal, its code boxes, its preview's link and
 * the id (or text) of the element with the focus. */
const dialogState = (page) => page.evaluate(() => {
  const root = document.querySelector('vae-playground').shadowRoot;
  const dialog = root.getElementById('embed-dialog');
  const frame = root.querySelector('#embed-preview iframe');
  return {
    open: Boolean(dialog && dialog.open),
    modal: Boolean(dialog && dialog.matches(':modal')),
    iframe: root.getElementById('embed-iframe')?.value,
    element: root.getElementById('embed-element')?.value,
    link: root.getElementById('embed-link')?.value,
    preview: frame ? frame.src : null,
    focus: root.activeElement ? root.activeElement.id || root.activeElement.textContent : null,
  };
});

/** What the element in `frame` (a page or a frame) reports (el.stats) once it holds at `steps`. */
const elementStats = (frame, steps) => frame.waitForFunction((n) => {
  const s = document.querySelector('vae-playground').stats;
  return s && s.steps === n && !s.playing && s;
}, steps, { timeout: 30000 }).then((handle) => handle.jsonValue());

/** Sets β with its slider, as a reader would, and waits for the link to say so. */
async function setBeta(page, beta) {
  await page.$eval('#beta', (input, b) => { input.value = b; input.dispatchEvent(new Event('input', { bubbles: true })); }, String(beta));
  await page.waitForFunction((b) => new URLSearchParams(location.search).get('beta') === b, String(beta));
}

/** The src of the iframe in an iframe snippet, as the browser reads the attribute. */
const srcOf = (snippet) => snippet.match(/<iframe src="([^"]*)"/)[1].replaceAll('&amp;', '&');

describe('embedding from the page', () => {
  test('Embed opens a labelled modal dialog with the code for the settings in force; Escape closes it', async () => {
    const { page, log } = await open(env, '?seed=3');
    await setBeta(page, 2.5);
    await page.click('#embed-open');
    await page.getByRole('dialog', { name: 'Embed this run' }).waitFor();
    const d = await dialogState(page);
    assert.ok(d.open && d.modal, 'a modal dialog');
    assert.equal(d.focus, 'embed-figure', 'the focus goes to its first control');
    // The whole playground: the link as the page writes it, in embed mode for the iframe.
    const link = await page.evaluate(() => window.vaePlayground.link);
    assert.equal(d.link, link);
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/\?seed=3&beta=2\.5$/);
    const src = new URL(srcOf(d.iframe));
    assert.equal(src.origin + src.pathname, env.server.url, 'the iframe shows this site, by an absolute URL');
    assert.deepEqual([...src.searchParams], [['seed', '3'], ['beta', '2.5'], ['embed', '1']]);
    assert.ok(d.iframe.includes(`<script src="${env.server.url}examples/resize.js"></script>`), d.iframe);
    assert.ok(d.element.startsWith(`<script type="module" src="${env.server.url}element.js"></script>\n`), d.element);
    assert.match(d.element, /<vae-playground seed="3" beta="2\.5"><\/vae-playground>$/);
    assert.equal(d.preview, srcOf(d.iframe), 'the preview shows the iframe');
    // Escape closes it, takes the preview away (no second run trains behind the page), and
    // gives the focus back to the button.
    await page.keyboard.press('Escape');
    const closed = await dialogState(page);
    assert.equal(closed.open, false);
    assert.equal(closed.preview, null, 'the preview iframe is gone');
    assert.equal(closed.focus, 'embed-open');
    assert.equal(page.frames().length, 1, 'no frame left');
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('from the keyboard: open, choose a figure, copy; the lab\'s keys stay out of the dialog', async () => {
    await env.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url.replace(/\/$/, '') });
    const { page } = await open(env, '?seed=4&beta=0.5');
    // At step 0, a figure holds still at step 840.
    await page.focus('#embed-open');
    await page.keyboard.press('Enter');
    assert.equal((await dialogState(page)).open, true, 'Enter on the button opens it');
    await page.keyboard.press('ArrowDown');   // the whole playground → figure: views
    let d = await dialogState(page);
    assert.match(d.link, /\?seed=4&beta=0\.5&figure=views&stop=840$/);
    assert.match(d.element, /<vae-playground seed="4" beta="0\.5" figure="views" stop="840">/);
    assert.deepEqual([...new URL(srcOf(d.iframe)).searchParams].slice(2), [['figure', 'views'], ['stop', '840'], ['embed', '1']]);
    assert.match(d.iframe, /title="VAE playground: views"/);
    assert.equal(d.preview, srcOf(d.iframe), 'the preview follows the figure chosen');
    await page.keyboard.press('Escape');
    // After 30 steps, a figure holds still where the run is.
    await page.evaluate(() => window.vaePlayground.trainSteps(30));
    await until(page, (s) => s.steps === 30 && !s.playing);
    await page.keyboard.press('Enter');   // the focus came back to the button
    assert.match((await dialogState(page)).link, /&figure=views&stop=30$/, 'the figure chosen is kept');
    await page.keyboard.press('ArrowDown');   // figure: maps
    d = await dialogState(page);
    assert.match(d.link, /&figure=maps&stop=30$/);
    // Tab to the first Copy button; S and R there do nothing to the lab behind the dialog.
    await page.keyboard.press('Tab');
    assert.equal((await dialogState(page)).focus, 'Copy the iframe');
    await page.keyboard.press('s');
    await page.keyboard.press('r');
    await page.waitForTimeout(300);
    assert.equal((await stats(page)).steps, 30, 'S and R inside the dialog are not the lab\'s');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('vae-playground').shadowRoot
      .querySelector('[data-snippet="iframe"] .embed-status').textContent === 'Copied.', null, { timeout: 3000 });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), d.iframe, 'the clipboard holds the iframe code');
    // Each box has its own Copy button and status.
    await page.click('[data-copy="link"]');
    await page.waitForFunction(() => document.querySelector('vae-playground').shadowRoot
      .querySelector('[data-snippet="link"] .embed-status').textContent === 'Copied.', null, { timeout: 3000 });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), d.link);
    await page.close();
  });

  test('the code, pasted into a blank page of the same site, shows the same figure at the same step', async () => {
    const { page } = await open(env, '?seed=5');
    await setBeta(page, 3);
    await page.evaluate(() => window.vaePlayground.trainSteps(120));
    const original = await elementStats(page, 120);
    await page.click('#embed-open');
    await page.selectOption('#embed-figure', 'views');
    const d = await dialogState(page);
    await page.close();
    const dir = join(dist, 'test-embed');
    mkdirSync(dir, { recursive: true });
    /** A blank page holding `code`, served by the site (under its content-security policy). */
    const blank = (name, code) => {
      writeFileSync(join(dir, name), `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Course notes</title></head>\n<body>\n<p>Someone's course notes.</p>\n${code}\n</body></html>\n`);
      return `test-embed/${name}`;
    };
    try {
      // The element: it trains to the step in its own worker, with the same settings.
      const element = await open(env, blank('element.html', d.element), { waitReady: false });
      const fromElement = await elementStats(element.page, 120);
      assert.equal(await element.page.evaluate(() => document.querySelector('vae-playground').shadowRoot.querySelector('.vae-root.figure') != null), true, 'a figure');
      assert.deepEqual(element.log.errors, []);
      assert.deepEqual(element.log.failed, []);
      await element.page.close();
      // The iframe: the site's page in figure mode, sized by resize.js to what it reports.
      const iframe = await open(env, blank('iframe.html', d.iframe), { waitReady: false });
      const frame = iframe.page.frames().find((f) => f !== iframe.page.mainFrame());
      assert.equal(frame.url(), srcOf(d.iframe));
      const fromIframe = await elementStats(frame, 120);
      assert.equal(await frame.evaluate(() => document.body.classList.contains('embed')), true, 'no page chrome');
      await iframe.page.waitForFunction(() => document.querySelector('iframe').style.height !== '', null, { timeout: 5000 });
      const told = await frame.evaluate(() => window.vaePlayground.toldHeight);
      assert.equal(await iframe.page.evaluate(() => document.querySelector('iframe').style.height), `${told}px`, 'resize.js sized the iframe');
      const look = await iframe.page.evaluate(() => {
        const f = document.querySelector('iframe');
        return { width: f.getBoundingClientRect().width, page: document.body.clientWidth, border: getComputedStyle(f).borderTopWidth };
      });
      assert.deepEqual([look.width, look.border], [look.page, '0px'], 'as wide as the page, without a border');
      assert.deepEqual(iframe.log.errors, []);
      assert.deepEqual(iframe.log.failed, []);
      await iframe.page.close();
      // The same run: the same step, β and seed, and so the same losses.
      for (const [name, s] of [['element', fromElement], ['iframe', fromIframe]]) {
        assert.deepEqual([s.steps, s.beta, s.seed], [120, 3, 5], name);
        assert.deepEqual([s.vae, s.ae], [original.vae, original.ae], `${name}: the same losses as the original`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a setting the element cannot take as an attribute is named, with the way to set it', async () => {
    const { page } = await open(env, '?hidden=32&embed=1');
    await page.click('#embed-open');
    const d = await dialogState(page);
    assert.match(d.element, /<vae-playground><\/vae-playground>$/, 'no hidden= (HTML\'s own) and no embed= (the iframe\'s)');
    assert.match(d.link, /\?hidden=32&embed=1$/);
    assert.equal(await page.isVisible('#embed-element-notes'), true);
    assert.match(await page.textContent('#embed-element-notes'), /set it with el\.set\('hidden', 32\)/);
    await page.close();
  });

  test('the single file says embedding needs the site, and gives the link alone', async () => {
    const page = await env.context.newPage();
    const url = pathToFileURL(join(dist, 'vae-playground-standalone.html')).href;
    await page.goto(`${url}?beta=2`);
    await page.waitForFunction(() => window.vaePlayground && window.vaePlayground.ready, null, { timeout: 15000 });
    await page.click('#embed-open');
    assert.equal(await page.isVisible('#embed-single'), true);
    assert.match(await page.textContent('#embed-single'), /embedding needs the playground's site/);
    assert.match(await page.textContent('#embed-intro'), /is in the link/);
    assert.equal(await page.isVisible('[data-snippet="iframe"]'), false);
    assert.equal(await page.isVisible('[data-snippet="element"]'), false);
    assert.equal(await page.isVisible('#embed-preview'), false);
    assert.equal(await page.inputValue('#embed-link'), `${url}?beta=2`);
    assert.equal((await dialogState(page)).preview, null, 'no preview: the file cannot frame itself');
    await page.close();
  });
});

describe('the link back to the full playground', () => {
  test('a figure links to the full playground with the same run; hide=open takes it away', async () => {
    const { page } = await open(env, '?beta=2&hide=link&stop=30&figure=views&caption=Two%20views');
    await until(page, (s) => s.steps === 30 && !s.playing, 30000);
    assert.equal(await page.isVisible('#open-full'), true);
    assert.equal(await page.textContent('#open-full'), 'Open in the playground ↗');
    const href = new URL(await page.getAttribute('#open-full', 'href'));
    assert.equal(href.origin + href.pathname, env.server.url);
    assert.deepEqual([...href.searchParams], [['beta', '2'], ['stop', '30']], 'the run, without what only shapes the figure');
    assert.equal(await page.getAttribute('#open-full', 'target'), '_blank');
    // Small, in the corner under the figure.
    const box = await page.locator('#open-full').boundingBox();
    const views = await page.locator('.views').boundingBox();
    assert.ok(box.y > views.y + views.height, 'under the figure');
    assert.ok(box.x + box.width > 1280 - 40, `at the right: ${JSON.stringify(box)}`);
    assert.ok(await page.$eval('#open-full', (a) => parseFloat(getComputedStyle(a).fontSize) < 14), 'small');
    await page.close();
    for (const [path, shown] of [['?embed=1', true], ['', false], ['?figure=views&hide=open', false], ['?embed=1&hide=open', false]]) {
      const other = await open(env, path);
      assert.equal(await other.page.isVisible('#open-full'), shown, `${path || 'the full page'}: ${shown ? 'shown' : 'not shown'}`);
      await other.page.close();
    }
  });
});

describe('how they look', () => {
  for (const [width, height] of [[1280, 900], [390, 844]]) {
    test(`the dialog and a figure's link at ${width}x${height}: nothing cut, nothing sideways`, async () => {
      const { page } = await open(env, '?beta=2&seed=3', { viewport: { width, height } });
      await page.evaluate(() => window.vaePlayground.trainSteps(100));
      await until(page, (s) => s.steps === 100 && !s.playing);
      await page.click('#embed-open');
      await page.selectOption('#embed-figure', 'views');
      await page.focus('[data-copy="iframe"]');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');   // a keyboard focus, so that its ring shows
      const fit = await page.evaluate(() => {
        const root = document.querySelector('vae-playground').shadowRoot;
        const dialog = root.getElementById('embed-dialog');
        const box = dialog.getBoundingClientRect();
        const codes = [...root.querySelectorAll('.embed-code')].filter((t) => t.checkVisibility());
        return {
          left: box.left, right: box.right, sideways: dialog.scrollWidth - dialog.clientWidth,
          cut: codes.filter((t) => t.scrollHeight > t.clientHeight + 1).map((t) => t.id),
        };
      });
      assert.ok(fit.left >= 0 && fit.right <= width, `the dialog fits across: ${JSON.stringify(fit)}`);
      assert.equal(fit.sideways, 0, 'no sideways scrolling in the dialog');
      assert.deepEqual(fit.cut, [], 'every code box shows all its code');
      await page.waitForTimeout(1500);   // the preview draws
      await page.screenshot({ path: join(out, `embed-dialog-${width}.png`) });
      await page.close();
      const figure = await open(env, '?beta=2&seed=3&figure=views&stop=100&caption=The%20views%20after%20100%20steps', { viewport: { width, height } });
      await until(figure.page, (s) => s.steps === 100 && !s.playing, 30000);
      assert.ok(await figure.page.evaluate(() => document.documentElement.scrollWidth) <= width, 'no sideways scrolling');
      await figure.page.locator('#open-full').scrollIntoViewIfNeeded();
      await figure.page.screenshot({ path: join(out, `embed-figure-${width}.png`), fullPage: true });
      await figure.page.close();
    });
  }
});

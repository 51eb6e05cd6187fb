// The article (dist/article/): it loads with no error and no request off its origin, every
// figure in it trains to its step and holds there, the numbers in its text are read from its
// figures, it fits a 390 px phone, and axe-core finds no serious or critical violation
// (shadow roots included). Screenshots go to tests/out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { open, out, start } from './harness.mjs';

const require = createRequire(import.meta.url);

let env;
before(async () => { env = await start({ viewport: { width: 1280, height: 900 } }); });
after(async () => { await env.close(); });

/** Scrolls through the article, figure by figure, until each has trained to its step. */
async function readThrough(page) {
  const names = await page.evaluate(() => [...document.querySelectorAll('figure.live')].map((f) => f.dataset.name));
  assert.ok(names.length >= 8, `${names.length} figures`);
  for (const name of names) {
    const figure = page.locator(`figure.live[data-name="${name}"]`);
    await figure.scrollIntoViewIfNeeded();
    await page.waitForFunction((n) => {
      const f = document.querySelector(`figure.live[data-name="${n}"]`);
      const el = f.querySelector('vae-playground');
      const stop = Number(new URLSearchParams(f.dataset.attrs).get('stop'));
      return el && el.stats && el.stats.steps === stop && !el.stats.playing;
    }, name, { timeout: 90000 });
  }
  return names;
}

describe('the article', () => {
  test('every figure trains to its step and holds; the numbers come from the figures', async () => {
    const { page, log } = await open(env, 'article/', { waitReady: false });
    const names = await readThrough(page);
    // Held: a second later, still at the same step.
    const steps = () => page.evaluate(() => [...document.querySelectorAll('figure.live vae-playground')].map((el) => el.stats.steps));
    const first = await steps();
    await page.waitForTimeout(1000);
    assert.deepEqual(await steps(), first, 'every figure holds its step');
    // Each number of the text (except the reader's own tear, which needs a press) is read.
    await page.waitForFunction(() => [...document.querySelectorAll('.num[data-of]')]
      .filter((n) => !n.dataset.stat.startsWith('tear.')).every((n) => n.classList.contains('read')), null, { timeout: 30000 });
    // A number and the figure it comes from agree.
    const { text, spread } = await page.evaluate(() => {
      const span = document.querySelector('.num[data-of="ae"][data-stat="models.ae.spread"]');
      const el = document.querySelector('figure.live[data-name="ae"] vae-playground');
      return { text: span.textContent, spread: el.stats.models.ae.spread };
    });
    assert.equal(text, spread.toFixed(1));
    // No control of the playground shows in any figure.
    const chrome = await page.evaluate(() => [...document.querySelectorAll('vae-playground')]
      .some((el) => /Learning rate|Copy link|Batch size/.test(el.shadowRoot.querySelector('.vae-root').innerText)));
    assert.equal(chrome, false);
    const offOrigin = log.requests.filter((u) => !u.startsWith(env.server.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(offOrigin, []);
    assert.deepEqual(log.errors, []);
    assert.equal(names.length, await page.evaluate(() => document.querySelectorAll('figure.live vae-playground').length));
    await page.screenshot({ path: join(out, 'article.png'), fullPage: true });
    await page.close();
  });

  test('the reader\'s tear fills in its numbers', async () => {
    const { page } = await open(env, 'article/#fig-tear', { waitReady: false });
    await page.locator('#fig-tear').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => { const el = document.querySelector('#fig-tear vae-playground'); return el && el.stats && el.stats.steps === 840; }, null, { timeout: 60000 });
    await page.evaluate(() => {
      const root = document.querySelector('#fig-tear vae-playground').shadowRoot;
      root.getElementById('tear-steps').value = '500';
      root.getElementById('tear-start').click();
    });
    await page.waitForFunction(() => [...document.querySelectorAll('.num[data-stat^="tear."]')].every((n) => n.classList.contains('read')), null, { timeout: 60000 });
    const delta = await page.evaluate(() => document.querySelector('#fig-tear vae-playground').state.tear.vae.delta);
    assert.equal(await page.textContent('.num[data-stat="tear.vae.delta"]'), delta.toFixed(2).replace('-', '−'));
    assert.equal(await page.textContent('.num[data-stat="tear.vae.steps"]'), '500');
    await page.close();
  });

  test('it fits a 390 px phone without sideways scrolling', async () => {
    const { page } = await open(env, 'article/', { viewport: { width: 390, height: 844 }, waitReady: false });
    await readThrough(page);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `the article is ${wide} px wide`);
    await page.screenshot({ path: join(out, 'article-phone.png'), fullPage: true });
    await page.close();
  });

  test('axe-core finds no serious or critical violation, shadow roots included, at 1280 and 390 px, in the article and the playground', async () => {
    const audit = await start({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    /** The serious and critical violations axe-core finds in `page` as it stands. */
    const violationsOf = async (page) => {
      await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes[0].target }));
      });
      return [violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), violations];
    };
    try {
      // The playground with its tour open, on a phone and on a desktop, each tab shown.
      for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 900 }]) {
        const { page: pg } = await open(audit, '?tour=2', { viewport });
        for (const tab of ['question', 'numbers', 'tear', 'walk']) {
          await pg.click(`#tab-${tab}`);
          const [bad, all] = await violationsOf(pg);
          assert.deepEqual(bad, [], `playground at ${viewport.width} px, tab ${tab}: ${JSON.stringify(all)}`);
        }
        await pg.close();
      }
      // The article with every figure made, on a phone, then on a desktop.
      const phone = (await open(audit, 'article/', { waitReady: false, viewport: { width: 390, height: 844 } })).page;
      await readThrough(phone);
      const [badPhone, allPhone] = await violationsOf(phone);
      assert.deepEqual(badPhone, [], `article at 390 px: ${JSON.stringify(allPhone)}`);
      await phone.close();
      const { page } = await open(audit, 'article/', { waitReady: false });
      await readThrough(page);
      const [bad, violations] = await violationsOf(page);
      assert.deepEqual(bad, [], JSON.stringify(violations));
      // The audit sees inside the elements: a deliberate fault there is found.
      const found = await page.evaluate(async () => {
        const root = document.querySelector('vae-playground').shadowRoot;
        const img = document.createElement('img');
        img.src = 'data:,';
        root.querySelector('.vae-root').append(img);
        const r = await window.axe.run(document, { runOnly: ['image-alt'] });
        img.remove();
        return r.violations.length;
      });
      assert.equal(found, 1, 'an image without alt text inside a shadow root is found');
      await page.close();
    } finally {
      await audit.close();
    }
  });
});

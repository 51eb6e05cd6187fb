// The guided tour: a link opens it at a step (tour=N), each step outlines its part of the
// page and opens that part's tab, Back, Next and Close walk it and write the step into the
// link, and its steps are as many as Rust's table allows (TOUR_STEPS).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, out, start } from './harness.mjs';
import { TOUR } from '../../www/tour.js';

let env;
before(async () => { env = await start({ viewport: { width: 1280, height: 900 } }); });
after(async () => { await env.close(); });

/** The tour's step in the page's link (0 without one). */
const inLink = (page) => page.evaluate(() => Number(new URLSearchParams(location.search).get('tour') || 0));

describe('the guided tour', () => {
  test('a link opens it at step 3; each step outlines its part and opens its tab; Next, Back and Close walk it', async () => {
    const { page, log } = await open(env, '?tour=3');
    const card = page.locator('.tour-card');
    await card.waitFor({ state: 'visible' });
    assert.equal(await page.textContent('#tour-count'), `Tour, step 3 of ${TOUR.length}`);
    assert.equal(await page.textContent('#tour-title'), TOUR[2].title);
    assert.equal(await page.locator('.tour-spot').count(), 1);
    assert.equal(await page.locator(`${TOUR[2].target}.tour-spot`).count(), 1, 'the step\'s own part is outlined');
    await page.screenshot({ path: join(out, 'tour-step-3.png') });
    // Through every later step: its part outlined and visible, its tab open, the link in step.
    for (let n = 4; n <= TOUR.length; n += 1) {
      await page.click('#tour-next');
      await page.waitForFunction((k) => document.querySelector('vae-playground').shadowRoot.getElementById('tour-count').textContent.includes(`step ${k} `), n);
      const step = TOUR[n - 1];
      assert.equal(await page.locator(`${step.target}.tour-spot`).count(), 1, `step ${n} outlines ${step.target}`);
      assert.equal(await page.isVisible(step.target), true, `step ${n}: ${step.target} is shown`);
      if (step.tab) assert.equal(await page.getAttribute(`#tab-${step.tab}`, 'aria-selected'), 'true');
      assert.equal(await inLink(page), n);
      if (step.tab === 'tear') await page.screenshot({ path: join(out, 'tour-tear.png') });
    }
    assert.equal(await page.textContent('#tour-next'), 'Done');
    await page.click('#tour-back');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('tour') === String(6));
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden' });
    assert.equal(await inLink(page), 0, 'closed: the link has no tour');
    assert.equal(await page.locator('.tour-spot').count(), 0);
    // The Tour button starts it at step 1.
    await page.click('#tour-start');
    await card.waitFor({ state: 'visible' });
    assert.equal(await page.textContent('#tour-title'), TOUR[0].title);
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('its steps are as many as the link may ask for: tour=99 opens the last, with a notice', async () => {
    const { page } = await open(env, '?tour=99');
    await page.locator('.tour-card').waitFor({ state: 'visible' });
    assert.equal(await page.textContent('#tour-count'), `Tour, step ${TOUR.length} of ${TOUR.length}`);
    assert.equal(await inLink(page), TOUR.length, 'Rust\'s bound is the tour\'s length');
    assert.match(await page.evaluate(() => window.vaePlayground.notice), /tour/);
    await page.close();
  });

  test('a figure holds still: no tour over it', async () => {
    const { page } = await open(env, '?figure=views&tour=2');
    await page.waitForFunction(() => window.vaePlayground.params && window.vaePlayground.params.tour === 2);
    assert.equal(await page.isVisible('.tour-card'), false, 'the link asks for step 2; the figure shows none');
    await page.close();
  });
});

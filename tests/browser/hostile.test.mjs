// What a hostile or careless visitor, page author or file can do, found by a probe of the built
// site: each case keeps the run it had, says what happened, and never freezes the page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { countFrames, open, start, stats, until, openMore } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

const notice = (page) => page.evaluate(() => window.vaePlayground.notice);
const query = (page) => page.evaluate(() => location.search);

/** A valid weights file for the page's model, with `hidden` units, of zeros. */
function weightsFile(hidden) {
  const D = 64, Z = 2;
  const dense = (name, i, o) => [
    { name: `${name}.W`, shape: [i, o], data: new Array(i * o).fill(0) },
    { name: `${name}.b`, shape: [o], data: new Array(o).fill(0) },
  ];
  return JSON.stringify({
    format: 'vae-playground-weights', version: 1, model: 'ae',
    config: { dataset: 'digits', input: D, model: 'ae', hidden, latent: Z, activation: 'relu', beta: 1, lr: 0.001, optimizer: 'adam', batch: 64, noise: 'sample', seed: 0 },
    tensors: [...dense('enc_hidden', D, hidden), ...dense('enc_z', hidden, Z), ...dense('dec_hidden', Z, hidden), ...dense('dec_out', hidden, D)],
  });
}

describe('hostile input', () => {
  test('el.step with a bad count is refused; a long one stays interruptible', async () => {
    const { page } = await open(env);
    await page.evaluate(() => document.querySelector('vae-playground').step(-1));
    await until(page, (s) => s.notice != null);
    assert.match(await notice(page), /whole number of steps from 1 to 100,000/);
    assert.equal((await stats(page)).steps, 0);
    await page.evaluate(() => document.querySelector('vae-playground').step(1e6));
    await page.waitForTimeout(300);
    assert.equal((await stats(page)).steps, 0, 'a million steps are refused, not started');
    // The largest request runs in the loop: the page keeps drawing, and Pause stops it.
    await page.evaluate(() => document.querySelector('vae-playground').step(100000));
    await until(page, (s) => s.steps > 50);
    const frames = await countFrames(page);
    await page.waitForTimeout(300);
    assert.ok(await frames() > 5, 'the page still draws');
    await page.evaluate(() => document.querySelector('vae-playground').pause());
    const paused = await until(page, (s) => !s.playing);
    await page.waitForTimeout(400);
    assert.equal((await stats(page)).steps, paused.steps, 'Pause stopped the long request');
    assert.ok(paused.steps < 100000);
    await page.evaluate(() => document.querySelector('vae-playground').reset());
    await until(page, (s) => s.steps === 0);
    await page.close();
  });

  test('a weights file claiming a huge model, or a hidden layer past the bound, changes nothing', async () => {
    const { page } = await open(env);
    await page.evaluate(() => window.vaePlayground.trainSteps(25));
    await until(page, (s) => s.steps === 25);
    const before = await query(page);
    const tiny = '{"format":"vae-playground-weights","version":1,"model":"vae","config":{"dataset":"digits","input":100000,"model":"vae","hidden":4096,"latent":2,"activation":"relu","beta":1,"lr":0.001,"optimizer":"adam","batch":64,"noise":"sample","seed":0},"tensors":[]}';
    for (const [name, text, why] of [
      ['tiny.json', tiny, /at most 1024/],
      ['hidden2000.json', weightsFile(2000), /at most 1024/],
    ]) {
      await page.evaluate(() => { window.vaePlayground.notice = null; });
      await page.setInputFiles('#load-weights', { name, mimeType: 'application/json', buffer: Buffer.from(text) });
      await until(page, (s) => s.notice != null);
      assert.match(await notice(page), why, name);
      assert.doesNotMatch(await notice(page), /unreachable|went wrong/, name);
      const s = await stats(page);
      assert.equal(s.steps, 25, `${name}: the run is kept`);
      assert.equal(await query(page), before, `${name}: the URL is unchanged`);
    }
    // The module is still alive and trains.
    await page.evaluate(() => window.vaePlayground.trainSteps(2));
    await until(page, (s) => s.steps === 27);
    await page.close();
  });

  test('the same weights file loads twice, with no error', async () => {
    const { page, log } = await open(env);
    const file = { name: 'ae.json', mimeType: 'application/json', buffer: Buffer.from(weightsFile(256)) };
    await page.setInputFiles('#load-weights', file);
    await page.waitForFunction(() => (window.vaePlayground.loaded || []).length === 1);
    await page.evaluate(() => { window.vaePlayground.loaded = null; });
    await page.setInputFiles('#load-weights', file);
    await page.waitForFunction(() => (window.vaePlayground.loaded || []).length === 1);
    assert.equal(await page.$eval('#load-weights', (input) => input.value), '', 'the input was cleared');
    assert.deepEqual(log.errors, []);
    await page.close();
  });

  test('el.set with a bad speed is refused; a speed of 0 is clamped and still trains', async () => {
    const { page } = await open(env);
    await page.evaluate(() => document.querySelector('vae-playground').set('speed', 'banana'));
    await until(page, (s) => s.notice != null);
    assert.match(await notice(page), /speed="banana" is not a number, "lesson" or "max"/);
    await page.click('#play');
    await until(page, (s) => s.steps > 20);
    await page.evaluate(() => { window.vaePlayground.notice = null; document.querySelector('vae-playground').set('speed', 0); });
    await until(page, (s) => s.notice != null);
    assert.match(await notice(page), /below the smallest value, 0\.5, so speed is 0\.5/);
    assert.match(await query(page), /speed=0\.5/);
    assert.equal(await page.inputValue('#speed'), '0.5');
    const s0 = (await stats(page)).steps;
    await until(page, (s) => s.steps > s0, 5000);
    await page.close();
  });

  test('after a crash, Reset then Train at once gives one run, not a second error', async () => {
    const { page } = await open(env);
    await page.evaluate(() => window.vaePlayground.debugPanic());
    await until(page, (s) => s.notice != null);
    await page.evaluate(() => {
      const e = document.querySelector('vae-playground');
      e.reset();
      e.step(3);
    });
    await until(page, (s) => s.steps === 3 && s.notice == null);
    await page.waitForTimeout(300);
    assert.equal(await notice(page), null);
    await page.close();
  });

  test('typing in the host page does not reach the playground', async () => {
    const { page } = await open(env);
    await page.evaluate(() => window.vaePlayground.trainSteps(5));
    await until(page, (s) => s.steps === 5);
    await page.evaluate(() => {
      const box = document.createElement('div');
      box.id = 'comment';
      box.contentEditable = 'true';
      document.body.append(box);
      box.focus();
    });
    await page.keyboard.type('rs r');
    await page.waitForTimeout(400);
    assert.equal(await page.$eval('#comment', (b) => b.textContent), 'rs r');
    const s = await stats(page);
    assert.equal(s.steps, 5, 'no reset, no step');
    assert.equal(s.playing, false);
    await page.close();
  });

  test('a flood of bad parameters gives a short notice; a repeated key says which value is used', async () => {
    // 1,500 keys: about 11 kB of query, under the 16 kB of headers a server takes.
    const flood = Array.from({ length: 1500 }, (_, i) => `k${i}=1`).join('&');
    const { page } = await open(env, `?${flood}`);
    const items = await page.$$eval('#notice-list li', (lis) => lis.map((li) => li.textContent));
    assert.equal(items.length, 10);
    assert.match(items[9], /1491 more/);
    const height = await page.$eval('#notice', (n) => n.getBoundingClientRect().height);
    assert.ok(height < 600, `notice height ${height}`);
    await page.close();
    const again = await open(env, '?dataset=bars&dataset=blobs&dataset=zzz');
    const list = await again.page.$$eval('#notice-list li', (lis) => lis.map((li) => li.textContent));
    assert.equal(list.length, 2);
    assert.match(list[0], /only its first value is used, so dataset="blobs" was ignored/);
    assert.equal(await again.page.inputValue('#dataset'), 'bars');
    assert.match(await query(again.page), /dataset=bars/);
    await again.page.close();
  });

  test('the worker has a content-security policy of its own: no fetch to another origin', async () => {
    const other = createServer((req, res) => { res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }); res.end('ok'); });
    await new Promise((ok) => other.listen(0, '127.0.0.1', ok));
    const otherUrl = `http://127.0.0.1:${other.address().port}/`;
    const { page } = await open(env);
    const response = await page.request.get(`${env.server.url}worker.js`);
    assert.match(response.headers()['content-security-policy'] || '', /default-src 'self'/);
    assert.equal(await page.evaluate((u) => window.vaePlayground.debugFetch(u), otherUrl), false, 'another origin is refused');
    assert.equal(await page.evaluate((u) => window.vaePlayground.debugFetch(u), `${env.server.url}index.html`), true, 'its own origin is allowed');
    await page.close();
    other.close();
  });

  test('in an iframe sandboxed without allow-same-origin, the page says why nothing started', async () => {
    const page = await env.context.newPage();
    await page.goto(`${env.server.url}examples/index.html`);
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.setAttribute('sandbox', 'allow-scripts');
      f.src = src;
      f.style.width = '800px';
      f.style.height = '400px';
      f.id = 'sandboxed';
      document.body.prepend(f);
    }, `${env.server.url}index.html`);
    await page.waitForTimeout(3000);
    const frame = page.frames().find((f) => f.url() === `${env.server.url}index.html`);
    assert.ok(frame, 'the sandboxed frame loaded');
    const message = frame.locator('.not-started');
    assert.equal(await message.isVisible(), true);
    assert.equal(await message.evaluate((m) => getComputedStyle(m).opacity), '1');
    assert.match(await message.textContent(), /allow-scripts allow-same-origin/);
    await page.close();
  });
});

describe('one settings path', () => {
  // Each door a setting comes through (the URL, a control, an attribute, el.set) ends in the
  // same place: afterwards the run (el.stats), the control and the URL agree, and a value that
  // was changed on the way has a notice saying so.
  const CASES = [
    // key, value given, what stats say, what the control shows, what the URL says, notice
    ['beta', '2.5', 2.5, '2.5', 'beta=2.5', null],
    ['beta', '20', 10, '10', 'beta=10', /above the largest value, 10, so beta is 10/],
    ['beta', 'banana', 1, '1', null, /beta="banana" is not a number/],
    ['lr', '0.003', 0.003, '0.003', 'lr=0.003', null],
    ['lr', '20', 10, '10', 'lr=10', /above the largest value, 10, so lr is 10/],
    ['batch', '5000', 1797, '1797', 'batch=1797', /above the largest value, 1797/],
    ['noise', 'mean', 'mean', 'mean', 'noise=mean', null],
    ['noise', 'loud', 'sample', 'sample', null, /is not one of sample, mean/],
    ['range', '8', false, '8', 'range=8', null],
    ['range', 'wide', true, 'fit', null, /range="wide" is not a number or "fit"/],
    ['range', '0.1', false, '0.5', 'range=0.5', /below the smallest value, 0.5, so range is 0.5/],
    ['seed', '5', 5, null, 'seed=5', null],
    ['seed', '-3', 0, null, null, /below the smallest value, 0, so seed is 0/],
    ['hidden', '5000', 1024, null, 'hidden=1024', /above the largest value, 1024, so hidden is 1024/],
    ['hidden', 'many', 256, null, null, /hidden="many" is not a number/],
    ['activation', 'tanh', 'tanh', null, 'activation=tanh', null],
    ['activation', 'sigmoid', 'relu', null, null, /is not one of relu, tanh/],
    ['dataset', 'bars', 'bars', 'bars', 'dataset=bars', null],
    ['dataset', 'faces', 'digits', 'digits', null, /is not one of digits, bars, blobs/],
    ['speed', '0', null, '0.5', 'speed=0.5', /below the smallest value, 0.5, so speed is 0.5/],
    ['map', '1', true, true, 'map=1', null],
  ];
  // What the run says of a setting (speed is the page's pace, not the run's: none).
  const statOf = (s, key) => (key === 'range' ? s.fit : key === 'speed' ? null : s[key]);
  const approx = (a, b) => (typeof b === 'number' ? Math.abs(a - b) < 1e-6 : a === b);

  async function check(page, [key, , want, control, url, why], door) {
    const label = `${door} ${key}`;
    await until(page, (s) => approx(statOf(s, key), want), 5000).catch(() => {});
    const s = await stats(page);
    assert.ok(approx(statOf(s, key), want), `${label}: stats say ${statOf(s, key)}, want ${want}`);
    if (key === 'beta') assert.equal(Number(await page.inputValue('#beta')), Number(control), `${label}: slider`);
    else if (key === 'map') assert.equal(await page.isChecked('#map'), control, `${label}: checkbox`);
    else if (control != null) assert.equal(await page.inputValue(`#${key}`), control, `${label}: control`);
    const q = await query(page);
    if (url) assert.match(q, new RegExp(url.replace('.', '\\.')), `${label}: URL ${q}`);
    else assert.doesNotMatch(q, new RegExp(`${key}=`), `${label}: URL ${q}`);
    const n = await notice(page);
    if (why) assert.match(n || '', why, `${label}: notice`);
    else assert.equal(n, null, `${label}: no notice`);
  }

  test('URL, el.set and attributes agree with the run, the controls and the URL', async () => {
    for (const c of CASES) {
      const [key, value] = c;
      // The URL.
      const viaUrl = await open(env, `?${key}=${encodeURIComponent(value)}`);
      await check(viaUrl.page, c, 'URL');
      await viaUrl.page.close();
      // el.set, on a fresh page.
      const viaSet = await open(env);
      await viaSet.page.evaluate(([k, v]) => document.querySelector('vae-playground').set(k, v), [key, value]);
      await viaSet.page.waitForTimeout(300);
      await check(viaSet.page, c, 'el.set');
      await viaSet.page.close();
      // setAttribute on the live element; not for `hidden`, which as an attribute is HTML's own
      // (it hides the element), so that setting takes el.set or the URL.
      if (key === 'hidden') continue;
      const viaAttr = await open(env);
      await viaAttr.page.evaluate(([k, v]) => document.querySelector('vae-playground').setAttribute(k, v), [key, value]);
      await viaAttr.page.waitForTimeout(300);
      await check(viaAttr.page, c, 'attribute');
      await viaAttr.page.close();
    }
  });

  test('controls agree with the run and the URL; moving the element keeps its run', async () => {
    const { page } = await open(env);
    await openMore(page);
    await page.selectOption('#lr', '0.003');
    await page.$eval('#beta', (input) => { input.value = '3'; input.dispatchEvent(new Event('input', { bubbles: true })); });
    await page.selectOption('#dataset', 'bars');
    await until(page, (s) => Math.abs(s.lr - 0.003) < 1e-9 && s.beta === 3 && s.samples === 1800);
    assert.match(await query(page), /dataset=bars.*beta=3.*lr=0\.003/);
    await page.evaluate(() => window.vaePlayground.trainSteps(12));
    await until(page, (s) => s.steps === 12);
    // Moved to another place in the page: the same run goes on.
    await page.evaluate(() => {
      const e = document.querySelector('vae-playground');
      document.body.append(e);
    });
    await page.waitForTimeout(300);
    const s = await page.evaluate(() => document.querySelector('vae-playground').stats);
    assert.equal(s.steps, 12);
    await page.evaluate(() => document.querySelector('vae-playground').step(3));
    await page.waitForFunction(() => document.querySelector('vae-playground').stats.steps === 15);
    await page.close();
  });
});

describe('a second probe', () => {
  const el = (page, fn, ...args) => page.evaluate(([f, a]) => {
    const e = document.querySelector('vae-playground');
    return e[f](...a);
  }, [fn, args]);

  test('one recipe twice in a lab is refused with a notice, by a link or el.set, and the run is kept', async () => {
    const { page, log } = await open(env);
    await page.evaluate(() => window.vaePlayground.trainSteps(20));
    await until(page, (s) => s.steps === 20);
    const before = await query(page);
    await el(page, 'set', 'models', 'vae,vae');
    await until(page, (s) => s.notice != null);
    assert.match(await notice(page), /"vae" is in the list twice/);
    await page.waitForTimeout(300);
    const s = await stats(page);
    assert.equal(s.steps, 20, 'the run is kept');
    assert.deepEqual(await page.evaluate(() => window.vaePlayground.models), ['vae', 'ae']);
    assert.equal(await query(page), before, 'the URL is unchanged');
    await page.close();
    for (const lab of ['vae,vae', 'ae,ae,ae,ae', 'vae:beta=1,vae:beta=1.0']) {
      const link = await open(env, `?models=${lab}`);
      assert.match(await notice(link.page), /is in the list twice/, lab);
      assert.deepEqual(await link.page.evaluate(() => window.vaePlayground.models), ['vae', 'ae'], lab);
      await link.page.evaluate(() => window.vaePlayground.trainSteps(5));
      await until(link.page, (x) => x.steps === 5);
      assert.deepEqual(link.log.errors, [], lab);
      await link.page.close();
    }
    assert.deepEqual(log.errors, []);
  });

  test('a step asked right after a refused run setting counts from where the run stood', async () => {
    const { page } = await open(env);
    await page.evaluate(() => window.vaePlayground.trainSteps(20));
    await until(page, (s) => s.steps === 20);
    for (const [key, value, want] of [['seed', 'banana', 25], ['hidden', 'x', 30], ['dataset', 'nothing', 35]]) {
      await page.evaluate(([k, v]) => {
        const e = document.querySelector('vae-playground');
        e.set(k, v);
        e.step(5);
      }, [key, value]);
      await until(page, (s) => s.steps === want && !s.playing);
      await page.waitForTimeout(200);
      assert.equal((await stats(page)).steps, want, key);
    }
    // An accepted one starts the new run, and the step counts from its 0.
    await page.evaluate(() => {
      const e = document.querySelector('vae-playground');
      e.set('seed', 7);
      e.step(5);
    });
    await until(page, (s) => s.seed === 7 && s.steps === 5 && !s.playing);
    await page.close();
  });

  test('a weights file that is not one: a notice, once, for no model; a link trains to its stop all the same', async () => {
    const { page } = await open(env, '?weights=index.html&stop=30');
    await until(page, (s) => s.steps === 30 && !s.playing, 30000);
    const text = await notice(page);
    assert.match(text, /^The weights file index\.html was not loaded|^The weights were not loaded: this is not a readable weights file/, text);
    assert.doesNotMatch(text, /Autoencoder|VAE:/);
    await page.evaluate(() => { window.vaePlayground.notice = null; });
    await page.setInputFiles('#load-weights', { name: 'w.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"x"}') });
    await until(page, (s) => s.notice != null);
    const refused = await notice(page);
    assert.match(refused, /^The weights were not loaded: this is not a readable weights file: missing field/, refused);
    assert.equal(refused.match(/Error/g), null, refused);
    await page.close();
  });

  test('no notice quotes a whole value; a pair the data set lacks leaves the link', async () => {
    // (A link this long is refused by the test server, as by many: el.set takes it.)
    const { page } = await open(env);
    await el(page, 'set', 'models', 'x'.repeat(100000));
    await until(page, (s) => s.notice != null);
    const text = await notice(page);
    assert.ok(text.length < 1000, `${text.length} characters`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 1280, 'the page stays as wide as the window');
    await page.evaluate(() => { window.vaePlayground.notice = null; });
    await el(page, 'set', 'weights', 'x'.repeat(2 ** 20));
    await until(page, (s) => s.notice != null);
    assert.ok((await notice(page)).length < 1000);
    await el(page, 'set', 'hide', Array.from({ length: 20000 }, (_, i) => `nope${i}`).join(','));
    await until(page, (s) => s.notice != null && /more were not used/.test(s.notice));
    assert.ok((await notice(page)).length < 2000);
    await page.close();
    const pair = await open(env, '?pair=0,1900');
    await until(pair.page, (s) => s.notice != null && /1797 samples/.test(s.notice));
    await pair.page.waitForFunction(() => !location.search.includes('pair'));
    await pair.page.close();
  });

  test('the tests\' hooks are not on a page that did not ask for them', async () => {
    const bare = await start({ hooks: false });
    try {
      const { page } = await open(bare);
      const hooks = await page.evaluate(() => ['debugPanic', 'bench', 'peak', 'debugFetch', 'trainSteps'].filter((k) => k in window.vaePlayground));
      assert.deepEqual(hooks, []);
    } finally {
      await bare.close();
    }
  });
});

describe('a second probe: files and many figures', () => {
  test('an image too large is refused from its header, before any decoding', async () => {
    const { page } = await open(env);
    // A PNG's signature and header claiming 10,000 × 10,000 pixels, and nothing else: decoded,
    // it would be refused as unreadable; read by its header, for its size.
    const header = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
    header.writeUInt32BE(13, 8);
    header.write('IHDR', 12, 'ascii');
    header.writeUInt32BE(10000, 16);
    header.writeUInt32BE(10000, 20);
    header[24] = 8;
    header[25] = 2;
    if (!(await page.isVisible('#own-files'))) await page.click('#own > summary');
    await page.setInputFiles('#own-files', [{ name: 'huge.png', mimeType: 'image/png', buffer: header }]);
    await until(page, (s) => s.notice != null);
    assert.match(await notice(page), /huge\.png is 10,000 × 10,000 pixels; images of up to 4,096 × 4,096 are read/);
    assert.equal((await stats(page)).dataset, 'digits', 'the run is kept');
    await page.close();
  });

  test('a weights file longer than any for this data set is refused before it is parsed', async () => {
    const { page } = await open(env);
    await page.evaluate(() => window.vaePlayground.trainSteps(10));
    await until(page, (s) => s.steps === 10);
    // Valid JSON of 5 MB, parsed it would be refused for what it lacks; it is refused for its length.
    const text = `${' '.repeat(5_000_000)}{}`;
    await page.setInputFiles('#load-weights', { name: 'long.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await until(page, (s) => s.notice != null);
    assert.match(await notice(page), /this file is 5\.0 MB, more than any weights file for this data set's 8×8 images \(at most \d\.\d MB\)/);
    assert.equal((await stats(page)).steps, 10, 'the run is kept');
    await page.close();
  });

  test('of many figures on a page, only those near the screen start and train', async () => {
    const { page, log } = await open(env, 'examples/index.html', { waitReady: false });
    await page.evaluate(() => {
      for (let i = 0; i < 8; i++) {
        const gap = document.createElement('div');
        gap.style.height = '2500px';
        const e = document.createElement('vae-playground');
        e.id = `many-${i}`;
        e.setAttribute('autoplay', '');
        e.setAttribute('hide', 'maps,pad,presets,tear,pull,prior,interpolate,chart,rate');
        document.body.append(gap, e);
      }
    });
    const started = () => page.evaluate(() => [...document.querySelectorAll('[id^="many-"]')].map((e) => Boolean(e.state)));
    await page.waitForTimeout(1500);
    assert.deepEqual(await started(), Array(8).fill(false), 'none is near the screen yet');
    await page.evaluate(() => document.getElementById('many-3').scrollIntoView());
    await page.waitForFunction(() => (document.getElementById('many-3').stats?.steps ?? 0) > 50, null, { timeout: 20000 });
    assert.deepEqual(await started(), [false, false, false, true, false, false, false, false]);
    // Scrolled away, it pauses; back, it goes on.
    await page.evaluate(() => document.getElementById('many-6').scrollIntoView());
    await page.waitForFunction(() => document.getElementById('many-3').state.pausedAway === true && !document.getElementById('many-3').state.workerPlaying, null, { timeout: 10000 });
    const away = await page.evaluate(() => document.getElementById('many-3').stats.steps);
    await page.waitForTimeout(600);
    assert.equal(await page.evaluate(() => document.getElementById('many-3').stats.steps), away, 'no training while away');
    await page.evaluate(() => document.getElementById('many-3').scrollIntoView());
    await page.waitForFunction((s) => document.getElementById('many-3').stats.steps > s + 50, away, { timeout: 20000 });
    // What the page asks of a figure not started yet waits for it.
    await page.evaluate(() => document.getElementById('many-7').set('beta', 3));
    await page.evaluate(() => document.getElementById('many-7').scrollIntoView());
    await page.waitForFunction(() => document.getElementById('many-7').stats?.beta === 3, null, { timeout: 20000 });
    assert.deepEqual(log.errors, []);
    await page.close();
  });
});

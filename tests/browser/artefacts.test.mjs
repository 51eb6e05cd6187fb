// The build's other outputs: the self-contained single file, opened from disk, and the npm
// package in pkg/, installed into another site.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve } from '../../www/serve.mjs';
import { dist, out, root, start } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

describe('build artefacts', () => {
  test('the single self-contained file trains when opened from file://, fetching nothing', async () => {
    const page = await env.context.newPage();
    const requests = [];
    const errors = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const url = pathToFileURL(join(dist, 'vae-playground-standalone.html')).href;
    await page.goto(url);
    await page.waitForFunction(() => window.vaePlayground && window.vaePlayground.ready, null, { timeout: 15000 });
    await page.click('#play');
    await page.waitForFunction(() => window.vaePlayground.stats.steps > 100, null, { timeout: 20000 });
    await page.click('#play');
    await page.screenshot({ path: join(out, 'standalone.png') });
    assert.deepEqual(requests.filter((u) => u !== url && !u.startsWith('blob:') && !u.startsWith('data:')), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('npm pack makes a package that another site can install and use', async () => {
    const work = mkdtempSync(join(tmpdir(), 'vae-pkg-'));
    execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: join(root, 'pkg') });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');
    const site = join(work, 'site');
    mkdirSync(site);
    writeFileSync(join(site, 'package.json'), '{"name":"someone-elses-site","private":true}');
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(work, tarball)], { cwd: site });
    writeFileSync(join(site, 'index.html'), `<!DOCTYPE html><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="node_modules/vae-playground/element.js"></script>
<h1>Someone else's course notes</h1>
<vae-playground id="fig" seed="4" beta="3" autoplay></vae-playground>`);
    const server = await serve(site, 0);
    const page = await env.context.newPage();
    const failed = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await page.goto(server.url);
    await page.waitForFunction(() => (document.getElementById('fig').stats?.steps ?? 0) > 20, null, { timeout: 20000 });
    const s = await page.evaluate(() => document.getElementById('fig').stats);
    assert.equal(s.beta, 3);
    assert.equal(s.seed, 4);
    assert.deepEqual(failed, []);
    await page.close();
    server.close();
  });
});

// A small static file server for the built site, bound to 127.0.0.1, with gzip. Used by
// www/serve.sh and by the browser tests; node only, no dependencies.
//
//   node www/serve.mjs [dir=dist] [port=8080]     (port 0 picks a free one)
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/**
 * The content-security policy of the site: the one in its page's <meta> tag (www/index.html),
 * sent as a header with every file too, because a <meta> policy does not reach workers: a
 * worker's policy is the one its script is served with. A static host should send this header.
 */
export function policy(root) {
  let html = '';
  try { html = readFileSync(join(root, 'index.html'), 'utf8'); } catch { return null; }
  const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/);
  return meta ? meta[1] : null;   // another site (a test of the package) may have none
}

/** Serves `dir` on 127.0.0.1:`port`; resolves to the server, whose `url` is its address. */
export function serve(dir, port = 0) {
  const root = resolve(dir);
  const csp = policy(root);
  const cache = new Map();
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      const type = TYPES[extname(file)] || 'application/octet-stream';
      // no-cache with an ETag: the browser asks again each time, and a file it has (the same
      // script for each model's worker, say) comes back as 304 Not Modified, with no body.
      const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
      const headers = { 'Content-Type': type, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', ETag: etag };
      if (csp) headers['Content-Security-Policy'] = csp;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      if (/\bgzip\b/.test(req.headers['accept-encoding'] || '') && body.length > 256) {
        const key = `${file}:${body.length}`;
        if (!cache.has(key)) cache.set(key, gzipSync(body, { level: 9 }));
        const gz = cache.get(key);
        res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': gz.length });
        res.end(req.method === 'HEAD' ? undefined : gz);
      } else {
        res.writeHead(200, { ...headers, 'Content-Length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
      }
    } catch (e) {
      res.writeHead(e.code === 'ENOENT' || e.code === 'EISDIR' ? 404 : 500, { 'Content-Type': 'text/plain' });
      res.end(e.code === 'ENOENT' ? 'not found' : 'error');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.url = `http://127.0.0.1:${server.address().port}/`;
      ok(server);
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir = 'dist', port = '8080'] = process.argv.slice(2);
  const server = await serve(dir, Number(port));
  console.log(`VAE playground: ${server.url}  (Ctrl-C stops)`);
}

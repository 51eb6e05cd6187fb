// A model's worker, files a visitor brings: their own data (a CSV file or images, read and
// checked by Rust's rules: crate/src/csv.rs, crate/src/own_images.rs) and weights files.
import { csvTooLarge, loadCsv, OwnImages, ownLimits, PageParams, weightsInfo } from './vae-playground.js';
import { w, post, isTrap, refuse } from './worker-state.js';
import { draw, report, metricsSoon } from './worker-frame.js';
import { postParams, build, endTear } from './worker-model.js';

/**
 * Reads a visitor's own files into the data set `own` (Rust checks them: crate/src/csv.rs,
 * crate/src/own_images.rs): one CSV file, or images, each decoded by the browser and scaled
 * down to at most twice the sample's side (the crop to its ink comes after). Every model's
 * worker reads the same files the same way. Resolves to `{name, samples, imageSize,
 * classes}`; rejects with a sentence.
 */
async function readOwn(m) {
  if (m.kind === 'csv') {
    const { file } = m.files[0];
    const large = csvTooLarge(file.size);
    if (large) throw new Error(large);
    const text = await file.text();
    if (m.token !== w.ownToken) throw new Error('a newer choice of files came');
    return loadCsv(file.name, text);
  }
  const limits = ownLimits();
  if (m.files.length > limits.images) throw new Error(`${m.files.length.toLocaleString('en')} images are more than the ${limits.images.toLocaleString('en')} a data set may hold`);
  const set = new OwnImages(m.side, m.invert);
  try {
    for (const { file, path } of m.files) {
      if (file.size > limits.imageBytes) throw new Error(`${path} is ${(file.size / 1e6).toFixed(0)} MB; images of up to ${limits.imageBytes / 1e6} MB are read`);
      await addImage(set, file, path, m.side);
      if (m.token !== w.ownToken) throw new Error('a newer choice of files came');
    }
    return set.finish(m.name);
  } finally {
    set.free();
  }
}

/** Decodes one image, scaled down to at most twice the sample's side (the crop to its ink
 * comes after, in Rust), and adds it to `set`. */
async function addImage(set, file, path, side) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${path} is not an image this browser can read (PNG, JPEG or WebP)`);
  }
  const scale = Math.min(1, (2 * side) / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale)), h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(w, h);
  const g = canvas.getContext('2d');
  g.imageSmoothingQuality = 'high';
  g.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  set.add(path, w, h, new Uint8Array(g.getImageData(0, 0, w, h).data.buffer));
}

/** The files, by type (protocol.js). */
export const fileHandlers = {
  // A visitor's own files: read, checked and kept as the data set `own` (the page then starts
  // a run on it once every model's worker has it). The run goes on meanwhile.
  async own(m) {
    w.ownToken = m.token;
    let summary;
    try {
      summary = await readOwn(m);
    } catch (e) {
      if (isTrap(e)) throw e;
      post({ type: 'ownLoaded', token: m.token, error: e && e.message || String(e) });
      return;
    }
    post({ type: 'ownLoaded', token: m.token, summary });
  },
  // Loads weights files (from this page or vae-train) into this model: those of its kind. If
  // their hidden size or activation differ from the lab's, the run is rebuilt to fit them
  // first (every model's worker does the same, so the lab stays one size).
  loadWeights(m) {
    w.playing = false;
    const infos = [];
    const files = [];
    for (const text of m.texts) {
      try {
        const file = JSON.parse(text);   // the browser's parser; Rust checks what it holds
        infos.push(weightsInfo(file));
        files.push(file);
      } catch (e) {
        if (e instanceof SyntaxError) e = new Error(`this is not a readable weights file: ${e.message}`);
        refuse('weights', e);
        return;
      }
    }
    const [width, height] = w.pg.stats().imageSize;
    const bad = infos.find((i) => i.latent !== 2 || i.input !== width * height);
    if (bad) {
      post({ type: 'settingError', key: 'weights', message: `these ${bad.model} weights have ${bad.latent} latent dimensions and ${bad.input} inputs; the page shows 2 latent dimensions of this data set's ${width}×${height} images (${width * height} inputs).` });
      return;
    }
    const v = w.params.values();
    const first = infos[0];
    if (infos.some((i) => i.hidden !== first.hidden || i.activation !== first.activation)) {
      post({ type: 'settingError', key: 'weights', message: 'the weights files have different hidden layers; load them one at a time.' });
      return;
    }
    let rebuilt = false;
    if (first.hidden !== v.hidden || first.activation !== v.activation) {
      // Rebuilt to the file's size: its sizes are within the bounds of the table (Rust's
      // weightsInfo checked them), so the table takes them as they are.
      const before = w.params.query();
      w.params.set('hidden', String(first.hidden));
      w.params.set('activation', first.activation);
      try {
        build();
      } catch (e) {
        w.params = new PageParams(before);
        refuse('weights', e);
        return;
      }
      rebuilt = true;
    }
    const kind = w.recipe.split(':')[0];
    const loaded = [];
    files.forEach((file, i) => {
      if (infos[i].model !== kind) return;
      try { w.pg.loadWeights(file); loaded.push(infos[i].model); } catch (e) { refuse('weights', e); }
    });
    if (loaded.length) endTear();   // a tear was of the weights replaced (Rust ended it too)
    draw();
    report({ reset: rebuilt });
    postParams();
    post({ type: 'loaded', models: loaded, rebuilt });
    metricsSoon();
  },
};

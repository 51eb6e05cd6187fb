// A model's worker, files a visitor brings: their own data (a CSV file or images, read and
// checked by Rust's rules: crate/src/csv.rs, crate/src/own_images.rs) and weights files.
import { csvTooLarge, loadCsv, OwnImages, ownLimits, PageParams, weightsInfo, weightsMaxChars } from './vae-playground.js';
import { w, post, isTrap, refuse } from './worker-state.js';
import { draw, report, metricsSoon } from './worker-frame.js';
import { postParams, build, endTear } from './worker-loop.js';

/** A visitor's images coming one by one from the page, which decoded them once for every
 * model: `{ token, set, count, name, received }`, or null. */
let coming = null;

/** Ends the images' reading, if one was under way. */
function dropImages() {
  if (coming) coming.set.free();
  coming = null;
}

/** The data set `own` from a CSV file (Rust checks it: crate/src/csv.rs); resolves to
 * `{name, samples, imageSize, classes}`, rejects with a sentence. */
async function readCsv(m) {
  const { file } = m.files[0];
  const large = csvTooLarge(file.size);
  if (large) throw new Error(large);
  const text = await file.text();
  if (m.token !== w.ownToken) throw new Error('a newer choice of files came');
  return loadCsv(file.name, text);
}

/** A step of the images' reading: `step()` returns the data set's summary once it is made
 * (the page hears it), or null while images are still to come; if it throws, the reading
 * ends and the page hears why. */
function imagesRead(token, step) {
  let summary;
  try {
    summary = step();
  } catch (e) {
    if (isTrap(e)) throw e;
    dropImages();
    post({ type: 'ownLoaded', token, error: e && e.message || String(e) });
    return;
  }
  if (summary) post({ type: 'ownLoaded', token, summary });
}

/** Reads weights files' texts and loads those of this model's kind; returns `{ loaded,
 * rebuilt }`. Throws a sentence if the files cannot be used (nothing changed then). */
function loadWeightFiles(texts) {
  const [width, height] = w.pg.stats().imageSize;
  // Longer than any weights file for this data set: refused before it is parsed.
  const most = weightsMaxChars(width * height);
  const mb = (n) => (n / 1e6).toFixed(1);
  const long = texts.find((t) => t.length > most);
  if (long) throw new Error(`this file is ${mb(long.length)} MB, more than any weights file for this data set's ${width}×${height} images (at most ${mb(most)} MB)`);
  const infos = [];
  const files = [];
  for (const text of texts) {
    try {
      const file = JSON.parse(text);   // the browser's parser; Rust checks what it holds
      infos.push(weightsInfo(file));
      files.push(file);
    } catch (e) {
      if (e instanceof SyntaxError) throw new Error(`this is not a readable weights file: ${e.message}`);
      throw e;
    }
  }
  const bad = infos.find((i) => i.latent !== 2 || i.input !== width * height);
  if (bad) throw new Error(`these ${bad.model} weights have ${bad.latent} latent dimensions and ${bad.input} inputs; the page shows 2 latent dimensions of this data set's ${width}×${height} images (${width * height} inputs).`);
  const v = w.params.values();
  const first = infos[0];
  if (infos.some((i) => i.hidden !== first.hidden || i.activation !== first.activation)) {
    throw new Error('the weights files have different hidden layers; load them one at a time.');
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
      throw e;
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
  metricsSoon();
  return { loaded, rebuilt };
}

/** The files, by type (protocol.js). */
export const fileHandlers = {
  // A visitor's own files, kept as the data set `own` once checked (the page then starts a
  // run on it once every model's worker has it; the run goes on meanwhile): a CSV file, read
  // here, or images, which come one by one (ownImage).
  async own(m) {
    w.ownToken = m.token;
    dropImages();
    if (m.kind !== 'csv') {
      imagesRead(m.token, () => {
        const limits = ownLimits();
        if (m.count > limits.images) throw new Error(`${m.count.toLocaleString('en')} images are more than the ${limits.images.toLocaleString('en')} a data set may hold`);
        coming = { token: m.token, set: new OwnImages(m.side, m.invert), count: m.count, name: m.name, received: 0 };
        return null;
      });
      return;
    }
    let summary;
    try {
      summary = await readCsv(m);
    } catch (e) {
      if (isTrap(e)) throw e;
      post({ type: 'ownLoaded', token: m.token, error: e && e.message || String(e) });
      return;
    }
    post({ type: 'ownLoaded', token: m.token, summary });
  },
  // One of a visitor's images, decoded by the page and scaled to at most twice the sample's
  // side (Rust crops it to its ink and fits it: crate/src/own_images.rs); after the last, the
  // data set.
  ownImage(m) {
    if (!coming || m.token !== coming.token) return;
    const set = coming;
    imagesRead(m.token, () => {
      set.set.add(m.path, m.width, m.height, m.rgba);
      set.received += 1;
      if (set.received < set.count) return null;
      const summary = set.set.finish(set.name);
      dropImages();
      return summary;
    });
  },
  // Loads weights files (from this page or vae-train) into this model: those of its kind. If
  // their hidden size or activation differ from the lab's, the run is rebuilt to fit them
  // first (every model's worker does the same, so the lab stays one size). Whatever happens,
  // the page hears 'loaded' (refused, if the files cannot be used), so that a link's training
  // goes on from its seed.
  loadWeights(m) {
    w.playing = false;
    let loaded = [], rebuilt = false, refused = false;
    try {
      ({ loaded, rebuilt } = loadWeightFiles(m.texts));
    } catch (e) {
      refused = true;
      refuse('weights', e);
    }
    post({ type: 'loaded', models: loaded, rebuilt, refused });
  },
};

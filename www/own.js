// A visitor's own data: a CSV file or images dropped or chosen ("Your own data"), and a
// training set drawn on the pad ("Draw a training set"). The page gathers the files and
// decodes images once (each checked by its header first: image-size.js); every model's
// worker reads and checks them by Rust's rules (crate/src/csv.rs, crate/src/own_images.rs),
// and the lab trains on them once every worker has them. Nothing leaves the browser.
import { imageSize } from './image-size.js';

const IMAGE = /\.(png|jpe?g|webp)$/i;
const CSV = /\.csv$/i;

/** Every file under a dropped folder, with its path from the folder on. */
async function filesOf(entry, prefix = '') {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    return [{ file, path: `${prefix}${file.name}` }];
  }
  const reader = entry.createReader();
  const out = [];
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    for (const child of batch) out.push(...await filesOf(child, `${prefix}${entry.name}/`));
  }
  return out;
}

/**
 * Wires the panel and the drawn set inside `root`. `lab`: `{load(message), pad, download,
 * notify(text)}`: `load` sends `{kind, files, side, invert, name}` to every model's worker and
 * resolves to `{summary}` or `{error}`; `pad` is the drawing pad; `download(name, text, type)`.
 */
function createOwnData(root, lab) {
  const $ = (id) => root.getElementById(id);
  const status = $('own-status');

  /** Sorts `items` ({file, path}) into one CSV or a set of images, and loads them. A
   * folder's hidden and system files (.DS_Store, Thumbs.db, desktop.ini) are left out. */
  async function use(all, source) {
    const items = all.filter((i) => !/(^|\/)(\.[^/]*|Thumbs\.db|desktop\.ini)$/i.test(i.path));
    if (!items.length) return;
    const csv = items.filter((i) => CSV.test(i.file.name) || i.file.type === 'text/csv');
    const images = items.filter((i) => !csv.includes(i));
    let message;
    if (csv.length > 1) message = `${csv.length} CSV files: choose one.`;
    else if (csv.length && images.length) message = 'a CSV file and images together: choose one or the other.';
    else if (!csv.length) {
      const odd = images.find((i) => !IMAGE.test(i.file.name) && !i.file.type.startsWith('image/'));
      if (odd) message = `${odd.path} is neither a CSV file nor an image (PNG, JPEG or WebP).`;
    }
    if (message) { fail(message); return; }
    const name = csv.length ? csv[0].file.name : (source || (images.length === 1 ? images[0].path : `${images.length} images`));
    status.textContent = `Reading ${name}…`;
    const result = await lab.load({
      kind: csv.length ? 'csv' : 'images', files: csv.length ? csv : images, name,
      side: Number($('own-side').value), invert: $('own-invert').value,
    });
    if (result.error) { fail(result.error); return; }
    const s = result.summary;
    const classes = s.classes.length > 6 ? `${s.classes.slice(0, 6).join(', ')}, …` : s.classes.join(', ');
    status.textContent = `Training on ${s.name}: ${s.samples.toLocaleString('en')} samples of ${s.imageSize[0]} × ${s.imageSize[1]} in ${s.classes.length} class${s.classes.length === 1 ? '' : 'es'} (${classes}).`;
    const batch = result.batch ? ` Its ${s.samples} samples train in batches of ${result.batch} (the batch size was larger than the set).` : '';
    lab.notify(`Training on your data, ${s.name}.${batch} It stays in this browser: a link to this page says dataset=own but cannot carry the data, so elsewhere it opens with the digits. Exported weights name the file.`);
  }
  function fail(text) {
    const message = /[.!?]$/.test(text) ? text : `${text}.`;
    status.textContent = `Not used: ${message}`;
    lab.notify(`Your data was not used: ${message} The run you had goes on.`);
  }

  /** A path inside a chosen or dropped folder, from that folder on: `shapes/circle_1.png`
   * is labelled by its name (circle), `shapes/circles/a.png` by its folder (circles). */
  const inside = (path) => path.split('/').slice(1).join('/') || path;
  const pick = (input) => input.addEventListener('change', () => {
    const items = [...input.files].map((file) => ({ file, path: file.webkitRelativePath ? inside(file.webkitRelativePath) : file.name }));
    const folder = input.files.length && input.files[0].webkitRelativePath ? input.files[0].webkitRelativePath.split('/')[0] : null;
    input.value = '';
    use(items, folder);
  });
  pick($('own-files'));
  pick($('own-folder'));
  const drop = $('own-drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const entries = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
    const items = entries.length
      ? (await Promise.all(entries.map((en) => filesOf(en)))).flat().map((i) => ({ ...i, path: i.path.includes('/') ? inside(i.path) : i.path }))
      : [...e.dataTransfer.files].map((file) => ({ file, path: file.name }));
    use(items, entries.length === 1 && entries[0].isDirectory ? entries[0].name : null);
  });

  // --- A training set drawn on the pad ------------------------------------------------------

  /** The drawings: { size: [w, h], rows: [{ values, label }], names }, labels numbered by first use. */
  let drawn = { size: null, rows: [], names: [] };
  const count = $('drawn-count');
  function showCount(note = '') {
    const n = drawn.rows.length;
    const per = drawn.names.map((name, k) => `${drawn.rows.filter((r) => r.label === k).length} ${name}`).join(', ');
    count.textContent = n ? `${n} drawing${n === 1 ? '' : 's'} of ${drawn.size[0]} × ${drawn.size[1]}: ${per}.${note}` : `No drawings yet.${note}`;
    for (const id of ['drawn-train', 'drawn-save', 'drawn-forget']) $(id).disabled = n === 0;
  }
  /** The drawn set as CSV text: a header, then `label,p0,p1,…` a row, the label by name. */
  function csv() {
    const d = drawn.size[0] * drawn.size[1];
    const header = ['label', ...Array.from({ length: d }, (_, i) => `p${i}`)].join(',');
    const rows = drawn.rows.map((r) => [drawn.names[r.label], ...Array.from(r.values, (v) => Number(v.toFixed(3)))].join(','));
    return `${header}\n${rows.join('\n')}\n`;
  }
  $('drawn-add').addEventListener('click', () => {
    const values = Float32Array.from(lab.pad.values);
    if (values.every((v) => v === 0)) { showCount(' The pad is empty: draw something first.'); return; }
    const size = lab.pad.size;
    if (drawn.size && (drawn.size[0] !== size[0] || drawn.size[1] !== size[1])) {
      showCount(` The pad is now ${size[0]} × ${size[1]}; this set is ${drawn.size[0]} × ${drawn.size[1]}: forget it to start one at the new size.`);
      return;
    }
    // A name is one CSV cell: no commas or quotes, and not a number (numbers are labels).
    let name = $('drawn-label').value.replace(/[,"\r\n]/g, ' ').trim() || 'unnamed';
    if (/^\d+$/.test(name)) name = `class ${name}`;
    let label = drawn.names.indexOf(name);
    if (label < 0) {
      if (drawn.names.length === 256) { showCount(' 256 classes is the most.'); return; }
      label = drawn.names.push(name) - 1;
    }
    drawn.size = size;
    drawn.rows.push({ values, label });
    lab.pad.set(null);
    showCount();
  });
  $('drawn-forget').addEventListener('click', () => { drawn = { size: null, rows: [], names: [] }; showCount(); });
  $('drawn-save').addEventListener('click', () => lab.download('vae-playground-drawn.csv', csv(), 'text/csv'));
  $('drawn-train').addEventListener('click', () => {
    const file = new File([csv()], 'drawn.csv', { type: 'text/csv' });
    use([{ file, path: file.name }]);
  });
  showCount();

  return {
    /** How many drawings the set holds. */
    get drawnCount() { return drawn.rows.length; },
  };
}

/** Decodes an image, scaled down to at most twice the sample's side (the crop to its ink comes
 * after, in Rust): `{ width, height, rgba }`. Throws a sentence if the browser cannot read it. */
async function decoded(file, path, side) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${path} is not an image this browser can read (PNG, JPEG or WebP)`);
  }
  const scale = Math.min(1, (2 * side) / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale)), height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext('2d');
  g.imageSmoothingQuality = 'high';
  g.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return { width, height, rgba: new Uint8Array(g.getImageData(0, 0, width, height).data.buffer) };
}

/** Wires "Your own data" and the drawn set of `ctx`: every model's worker reads the files, then
 * the lab trains on them. A panel on the contract of panels.js. */
export function ownPanel(ctx) {
  const { lab, state, settings } = ctx;
  let token = 0;             // the latest load of one's own files; replies to older ones are dropped
  let onLoaded = () => {};
  let stopped = null;        // ends the latest load if a model stops before it replies

  /** Every model's worker has read the files: train on them (or say why not). */
  function trained(replies) {
    const failed = replies.find((r) => r.error);
    if (failed) return { error: failed.error };
    // A small set (twenty drawings) trains in the largest batch the menu offers that it fills.
    const { summary } = replies[0];
    const batch = state.params ? Number(state.params.batch) : 64;
    let smaller = null;
    if (batch > summary.samples) {
      const fits = [...ctx.$('batch').options].map((o) => Number(o.value)).filter((b) => b <= summary.samples);
      smaller = fits.length ? Math.max(...fits) : summary.samples;
      settings.request('batch', smaller);
    }
    settings.request('dataset', 'own');
    return { summary, batch: smaller };
  }

  /** A visitor's images, checked by their headers against Rust's bounds, then decoded once
   * here, each scaled to at most twice the sample's side, and sent to every model's worker.
   * Throws a sentence for the first that cannot be used. */
  async function sendImages(mine, files, { side, ...rest }) {
    const limits = lab.limits;
    if (!limits) throw new Error('the models are not ready yet');
    if (files.length > limits.images) throw new Error(`${files.length.toLocaleString('en')} images are more than the ${limits.images.toLocaleString('en')} a data set may hold`);
    const most = Math.floor(Math.sqrt(limits.pixels));
    for (const { file, path } of files) {
      if (file.size > limits.imageBytes) throw new Error(`${path} is ${(file.size / 1e6).toFixed(0)} MB; images of up to ${limits.imageBytes / 1e6} MB are read`);
      const size = await imageSize(file);
      if (size && size.width * size.height > limits.pixels) {
        throw new Error(`${path} is ${size.width.toLocaleString('en')} × ${size.height.toLocaleString('en')} pixels; images of up to ${most.toLocaleString('en')} × ${most.toLocaleString('en')} are read`);
      }
    }
    lab.sendAll({ type: 'own', token: mine, side, ...rest, count: files.length });
    for (const { file, path } of files) {
      if (mine !== token) return;   // a newer choice of files came
      const { width, height, rgba } = await decoded(file, path, side);
      lab.sendAll({ type: 'ownImage', token: mine, path, width, height, rgba });
    }
  }

  createOwnData(ctx.root, {
    pad: ctx.panels.drawing.pad,
    download: (...args) => ctx.panels.exports.download(...args),
    notify: (text) => ctx.notices.show(text, null),
    load(message) {
      return new Promise((resolve) => {
        const mine = ++token;
        stopped = () => resolve({ error: 'a model stopped while reading the files' });
        onLoaded = lab.gather((replies) => {
          stopped = null;
          resolve(trained(replies));
        });
        if (message.kind === 'csv') {
          lab.sendAll({ type: 'own', token: mine, ...message });
          return;
        }
        const { files, ...rest } = message;
        sendImages(mine, files, rest).catch((e) => {
          onLoaded = () => {};
          resolve({ error: e.message });
        });
      });
    },
  });
  return {
    onCrash() { if (stopped) { stopped(); stopped = null; onLoaded = () => {}; } },
    messages: { ownLoaded(model, m) { if (m.token === token) onLoaded(model, m); } },
  };
}

// The data sets that are files beside the page (MNIST, Fashion-MNIST: data/*.bin, written by
// convert-data.mjs at build time). Each is fetched only when a visitor picks it, once per
// page, with its progress shown; every model's worker then gets a copy of its bytes.

const DATA_URL = new URL('./data/', import.meta.url);

/** The size of a file from its 12-byte header (see crate/src/image_file.rs), or null. */
function sizeFromHeader(head) {
  if (head.length < 12 || String.fromCharCode(...head.subarray(0, 4)) !== 'VAEI') return null;
  const [bits, w, h] = [head[5], head[6], head[7]];
  const n = new DataView(head.buffer, head.byteOffset, 12).getUint32(8, true);
  return 12 + n + Math.ceil((n * w * h * bits) / 8);
}

/**
 * A loader of data files: `load(file)` resolves to its bytes (an ArrayBuffer) or rejects with
 * a sentence; `onProgress({file, received, total, done})` follows each download.
 */
export function createDataLoader(onProgress) {
  const files = new Map();
  async function fetchFile(file) {
    const url = new URL(file, DATA_URL);
    onProgress({ file, received: 0, total: null, done: false });
    let response;
    try {
      response = await fetch(url);
    } catch (e) {
      throw new Error(`data/${file} could not be fetched (${e.message}); it is served beside the page, so a page opened from a single file or offline without it cannot train on this data set`);
    }
    if (!response.ok) throw new Error(`data/${file} could not be fetched (HTTP ${response.status}); www/build.sh writes it`);
    const chunks = [];
    let received = 0;
    let total = null;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      if (total == null && received >= 12) {
        const head = new Uint8Array(12);
        let at = 0;
        for (const c of chunks) { const take = Math.min(12 - at, c.length); head.set(c.subarray(0, take), at); at += take; if (at === 12) break; }
        total = sizeFromHeader(head);
      }
      onProgress({ file, received, total, done: false });
    }
    const bytes = new Uint8Array(received);
    let at = 0;
    for (const c of chunks) { bytes.set(c, at); at += c.length; }
    onProgress({ file, received, total: received, done: true });
    return bytes.buffer;
  }
  return {
    /** Forgets every file fetched (one that a worker found unusable is fetched afresh). */
    forget() { files.clear(); },
    load(file) {
      if (!files.has(file)) {
        const pending = fetchFile(file);
        files.set(file, pending);
        pending.catch(() => {
          files.delete(file);   // a failed fetch may be tried again
          onProgress({ file, received: 0, total: 0, done: true });
        });
      }
      return files.get(file);
    },
  };
}

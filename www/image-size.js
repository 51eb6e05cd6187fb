// An image file's width and height, read from its header (PNG, JPEG, WebP, GIF) before it is
// decoded: a file of a few kilobytes can hold an image of 20,000 × 20,000 pixels, whose
// decoding alone would take gigabytes.

/** How much of a file's start is read: enough for any of these headers (a JPEG's size comes
 * after its metadata, which may be long). */
const HEAD_BYTES = 256 * 1024;

/** `{ width, height }` of the image in `file` (a Blob), or null if its header is not one of
 * PNG, JPEG, WebP or GIF or does not say. */
export async function imageSize(file) {
  const b = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  const v = new DataView(b.buffer);
  const text = (at, n) => String.fromCharCode(...b.subarray(at, at + n));
  if (b.length >= 24 && b[0] === 0x89 && text(1, 3) === 'PNG' && text(12, 4) === 'IHDR') {
    return { width: v.getUint32(16), height: v.getUint32(20) };
  }
  if (b.length >= 10 && text(0, 3) === 'GIF') return { width: v.getUint16(6, true), height: v.getUint16(8, true) };
  if (b.length >= 30 && text(0, 4) === 'RIFF' && text(8, 4) === 'WEBP') {
    const chunk = text(12, 4);
    if (chunk === 'VP8 ') return { width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff };
    if (chunk === 'VP8L') {
      const bits = v.getUint32(21, true);
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8X') {
      const u24 = (at) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
      return { width: u24(24) + 1, height: u24(27) + 1 };
    }
    return null;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    // The markers after the start of image, each with its length, up to a start of frame.
    for (let at = 2; at + 9 < b.length;) {
      if (b[at] !== 0xff) return null;
      const marker = b[at + 1];
      if (marker === 0xff) { at += 1; continue; }
      const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isFrame) return { width: v.getUint16(at + 7), height: v.getUint16(at + 5) };
      at += 2 + v.getUint16(at + 2);
    }
  }
  return null;
}

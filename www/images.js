// An image of values in [0, 1] (ink), drawn dark on light into a small canvas that CSS
// scales up. Its size is the data set's (`imageSize`, [w, h], from the model's stats).

/** Paints `values` (w·h values, row by row) into `canvas`, which takes the size `[w, h]`;
 * nothing if there is no canvas. */
export function paintImage(canvas, values, [w, h]) {
  if (!canvas) return;
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const c = canvas.getContext('2d');
  const img = c.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const g = Math.round(255 * (1 - Math.min(1, Math.max(0, values[i] || 0))));
    img.data.set([g, g, g, 255], i * 4);
  }
  c.putImageData(img, 0, 0);
}

/** A new canvas of size `[w, h]`, showing `values`. */
export function imageCanvas(values, size) {
  const c = document.createElement('canvas');
  paintImage(c, values, size);
  return c;
}

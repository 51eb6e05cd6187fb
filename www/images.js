// An 8 × 8 image of values in [0, 1] (ink), drawn dark on light into a small canvas that CSS
// scales up.

/** Paints `values` (64 values, row by row) into `canvas`; nothing if there is no canvas. */
export function paintImage(canvas, values) {
  if (!canvas) return;
  const c = canvas.getContext('2d');
  const img = c.createImageData(8, 8);
  values.forEach((v, i) => {
    const g = Math.round(255 * (1 - Math.min(1, Math.max(0, v))));
    img.data.set([g, g, g, 255], i * 4);
  });
  c.putImageData(img, 0, 0);
}

/** A new 8 × 8 canvas, showing `values` if given. */
export function imageCanvas(values) {
  const c = document.createElement('canvas');
  c.width = 8;
  c.height = 8;
  if (values) paintImage(c, values);
  return c;
}

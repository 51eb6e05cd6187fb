// The drawing pad: an input of the data set's image size (`setSize([w, h])`) drawn with the
// mouse, a finger or the keys (arrows move a cursor, Space or Enter inks or clears a pixel,
// Delete clears it). It knows nothing of the models: it calls `onChange` whenever the
// drawing changes.

/**
 * Wires the pad on `canvas` (inside `root`, for the focus), `size` = `[w, h]` pixels. Returns
 * `{ values, set, changed, setSize }`: `values` the w·h ink values in [0, 1], row by row;
 * `set(values)` replaces them (null clears); `changed()` redraws and tells `onChange`;
 * `setSize([w, h])` starts an empty drawing of another size.
 */
export function createPad(canvas, root, onChange, size) {
  let [W, H] = size;
  let values = new Float32Array(W * H);
  let cursor = Math.floor((H - 1) / 2) * W + Math.floor((W - 1) / 2);

  /** Says the drawing's size to a screen reader. */
  function label() {
    canvas.setAttribute('aria-label', `Drawing pad, ${W} by ${H} pixels. Arrow keys move the cursor, Space or Enter inks or clears a pixel, Delete clears it.`);
  }
  label();

  function draw() {
    const c = canvas.getContext('2d');
    const cw = canvas.width / W, ch = canvas.height / H;
    c.clearRect(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < values.length; i++) {
      const g = Math.round(255 * (1 - values[i]));
      c.fillStyle = `rgb(${g},${g},${g})`;
      c.fillRect((i % W) * cw, Math.floor(i / W) * ch, cw, ch);
    }
    // Grid lines between cells while they are large enough to see between.
    if (cw >= 8) {
      c.strokeStyle = '#d9dce1';
      c.lineWidth = 1;
      for (let k = 1; k < W; k++) { c.beginPath(); c.moveTo(Math.round(k * cw) + 0.5, 0); c.lineTo(Math.round(k * cw) + 0.5, canvas.height); c.stroke(); }
      for (let k = 1; k < H; k++) { c.beginPath(); c.moveTo(0, Math.round(k * ch) + 0.5); c.lineTo(canvas.width, Math.round(k * ch) + 0.5); c.stroke(); }
    }
    if (root.activeElement === canvas) {
      c.strokeStyle = '#e01010';
      c.lineWidth = 2;
      c.strokeRect((cursor % W) * cw + 1, Math.floor(cursor / W) * ch + 1, cw - 2, ch - 2);
    }
  }

  function changed() {
    draw();
    onChange();
  }

  function ink(cell, value) {
    values[cell] = Math.max(values[cell], value);
  }

  /** A brush stroke at (x, y), in cells: full ink there, a little on its four neighbours. */
  function brush(x, y) {
    const cx = Math.min(W - 1, Math.max(0, Math.floor(x))), cy = Math.min(H - 1, Math.max(0, Math.floor(y)));
    ink(cy * W + cx, 1);
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
      const nx = cx + dx, ny = cy + dy;
      if (nx >= 0 && nx < W && ny >= 0 && ny < H) ink(ny * W + nx, 0.4);
    }
    changed();
  }

  function pointer(event) {
    if (event.type === 'pointermove' && !event.buttons) return;
    event.preventDefault();
    const r = canvas.getBoundingClientRect();
    brush(((event.clientX - r.left) / r.width) * W, ((event.clientY - r.top) / r.height) * H);
  }
  canvas.addEventListener('pointerdown', (e) => { canvas.setPointerCapture(e.pointerId); pointer(e); });
  canvas.addEventListener('pointermove', pointer);
  canvas.addEventListener('focus', draw);
  canvas.addEventListener('blur', draw);
  canvas.addEventListener('keydown', (event) => {
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -W, ArrowDown: W };
    if (event.key in moves) {
      const next = cursor + moves[event.key];
      const sameRow = Math.abs(moves[event.key]) !== 1 || Math.floor(next / W) === Math.floor(cursor / W);
      if (next >= 0 && next < values.length && sameRow) cursor = next;
      draw();
    } else if (event.key === ' ' || event.key === 'Enter') {
      values[cursor] = values[cursor] >= 0.5 ? 0 : 1;
      changed();
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      values[cursor] = 0;
      changed();
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  });

  draw();
  return {
    get values() { return values; },
    /** `[w, h]`, the drawing's size in pixels. */
    get size() { return [W, H]; },
    set(next) {
      if (next) values.set(next.slice(0, values.length)); else values.fill(0);
      changed();
    },
    changed,
    /** An empty drawing of `[w, h]` pixels (another data set's size); nothing if it is the same. */
    setSize([w, h]) {
      if (w === W && h === H) return;
      [W, H] = [w, h];
      values = new Float32Array(W * H);
      cursor = Math.floor((H - 1) / 2) * W + Math.floor((W - 1) / 2);
      label();
      changed();
    },
  };
}

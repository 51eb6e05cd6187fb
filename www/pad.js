// The drawing pad: an 8 × 8 input drawn with the mouse, a finger or the keys (arrows move a
// cursor, Space or Enter inks or clears a pixel, Delete clears it). It knows nothing of the
// models: it calls `onChange` whenever the drawing changes.

const SIDE = 8;

/**
 * Wires the pad on `canvas` (inside `root`, for the focus). Returns `{ values, set, changed }`:
 * `values` the 64 ink values in [0, 1], row by row; `set(values)` replaces them (null clears);
 * `changed()` redraws and tells `onChange`.
 */
export function createPad(canvas, root, onChange) {
  const values = new Float32Array(SIDE * SIDE);
  let cursor = 27;

  function draw() {
    const c = canvas.getContext('2d');
    const cell = canvas.width / SIDE;
    for (let i = 0; i < values.length; i++) {
      const g = Math.round(255 * (1 - values[i]));
      c.fillStyle = `rgb(${g},${g},${g})`;
      c.fillRect((i % SIDE) * cell, Math.floor(i / SIDE) * cell, cell, cell);
    }
    c.strokeStyle = '#d9dce1';
    c.lineWidth = 1;
    for (let k = 1; k < SIDE; k++) {
      c.beginPath(); c.moveTo(k * cell + 0.5, 0); c.lineTo(k * cell + 0.5, canvas.height); c.stroke();
      c.beginPath(); c.moveTo(0, k * cell + 0.5); c.lineTo(canvas.width, k * cell + 0.5); c.stroke();
    }
    if (root.activeElement === canvas) {
      c.strokeStyle = '#e01010';
      c.lineWidth = 2;
      c.strokeRect((cursor % SIDE) * cell + 1, Math.floor(cursor / SIDE) * cell + 1, cell - 2, cell - 2);
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
    const cx = Math.min(SIDE - 1, Math.max(0, Math.floor(x))), cy = Math.min(SIDE - 1, Math.max(0, Math.floor(y)));
    ink(cy * SIDE + cx, 1);
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
      const nx = cx + dx, ny = cy + dy;
      if (nx >= 0 && nx < SIDE && ny >= 0 && ny < SIDE) ink(ny * SIDE + nx, 0.4);
    }
    changed();
  }

  function pointer(event) {
    if (event.type === 'pointermove' && !event.buttons) return;
    event.preventDefault();
    const r = canvas.getBoundingClientRect();
    brush(((event.clientX - r.left) / r.width) * SIDE, ((event.clientY - r.top) / r.height) * SIDE);
  }
  canvas.addEventListener('pointerdown', (e) => { canvas.setPointerCapture(e.pointerId); pointer(e); });
  canvas.addEventListener('pointermove', pointer);
  canvas.addEventListener('focus', draw);
  canvas.addEventListener('blur', draw);
  canvas.addEventListener('keydown', (event) => {
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -SIDE, ArrowDown: SIDE };
    if (event.key in moves) {
      const next = cursor + moves[event.key];
      const sameRow = Math.abs(moves[event.key]) !== 1 || Math.floor(next / SIDE) === Math.floor(cursor / SIDE);
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
    values,
    set(next) {
      if (next) values.set(next); else values.fill(0);
      changed();
    },
    changed,
  };
}

// The inspector: the pointer over a view (or a decoder map, or the keyboard cursor) asks that
// view's model for the sample and the point under it, then every model for what it makes of
// them; their replies gather here, one per model, and show in a tooltip beside the pointer,
// which goes when the pointer leaves the view. Clicks on a view start a walk (panel-walk.js).
import { escape, modelLabel } from './template.js';
import { codeText, num } from './format.js';
import { paintImage } from './images.js';

/** A model's images in the tooltip: its reconstruction of the sample, and its decoding of z. */
const inspectedMarkup = ({ recipe, id }) => `<figure data-model="${id}"><canvas id="img-${id}" width="8" height="8"></canvas><figcaption>${escape(modelLabel(recipe, true))}</figcaption></figure>`;
const decodedMarkup = ({ recipe, id }) => `<figure data-model="${id}"><canvas id="img-dec-${id}" width="8" height="8"></canvas><figcaption>${escape(modelLabel(recipe, true))} decoder</figcaption></figure>`;

/** The inspector of `ctx`. A panel on the contract of panels.js. */
export function inspectorPanel(ctx) {
  const inspector = new Inspector(ctx);
  return {
    onLab: (models) => inspector.onLab(models),
    onModel: (model) => inspector.attachPointer(model),
    messages: {
      picked: (model, m) => inspector.onPicked(model, m),
      inspection: (model, m) => inspector.onInspection(model, m),
    },
  };
}

/** The tooltip and the pointer, the keyboard cursor and the clicks that drive it. */
class Inspector {
  constructor(ctx) {
    this.ctx = ctx;
    this.box = ctx.$('inspector');
    this.text = ctx.$('inspect-text');
    this.hover = null;
    this.tip = null;            // where the tooltip goes, in the stage's pixels
    this.outlined = false;      // whether a worker may outline a sample since the last clearing (a pick outlines)
    this.pointerOn = null;      // the view or decoder map under the pointer
    this.pickQueued = null;
    this.announceNext = false;  // what the keyboard cursor finds is said to screen readers
    this.keyCursor = { x: 200, y: 200 };
  }

  onLab(models) {
    const { $ } = this.ctx;
    const images = $('inspect-images');
    for (const f of images.querySelectorAll('figure:not(:first-child)')) f.remove();
    images.insertAdjacentHTML('beforeend', models.map(inspectedMarkup).join(''));
    $('decoded-images').innerHTML = models.map(decodedMarkup).join('');
  }

  onPicked(model, m) {
    if (m.click) return;   // a click picks a sample for a walk (panel-walk.js)
    if (!this.tip) return;   // the pointer has left since: nothing to inspect
    const index = m.index >= 0 ? m.index : null;
    this.hover = { index, z: m.z, replies: {}, from: model };
    this.ctx.lab.sendAll({ type: 'inspect', index, z: m.z });
  }

  /** Every model's reply gathers here; once all have replied, the tooltip shows them. */
  onInspection(model, m) {
    const { hover } = this;
    if (!hover) return;
    hover.replies[model.id] = m;
    const { models } = this.ctx.lab;
    if (Object.keys(hover.replies).length < models.length) return;
    const replies = models.map((x) => [x, hover.replies[x.id]]);
    const sample = replies[0][1].sample;
    this.showDecoded({ z: hover.z, from: hover.from, ...Object.fromEntries(replies.map(([x, r]) => [x.id, r.decoded])) });
    this.showInspection(sample && {
      index: sample.index, label: sample.label, factors: sample.factors, input: sample.input,
      ...Object.fromEntries(replies.map(([x, r]) => [x.id, r.sample.reading.recon])),
      readings: Object.fromEntries(replies.map(([x, r]) => [x.id, r.sample.reading])),
    });
    this.placeTip();
    if (this.tip) this.showCursors(hover.z);
    if (this.announceNext) {
      this.announceNext = false;
      const where = `z = (${num(hover.z[0])}, ${num(hover.z[1])})`;
      this.ctx.notices.announce(sample ? `${where}: ${this.text.textContent}` : `${where}: no sample here.`);
    }
    this.hover = null;
  }

  /** The nearest sample under the pointer, or nothing: the tooltip's sample part clears. */
  showInspection(sample) {
    const { ctx } = this;
    const { $, lab, state } = ctx;
    state.hovered = sample || null;
    $('inspect-sample').hidden = !sample;
    $('inspect-empty').hidden = Boolean(sample);
    if (!sample) { this.text.textContent = ''; return; }
    state.inspected = sample;   // the drawing pad can start from it
    const size = lab.imageSize();
    paintImage($('img-input'), sample.input, size);
    for (const m of lab.models) paintImage($(`img-${m.id}`), sample[m.id], size);
    const what = state.factor === 'angle' ? `a bar at ${Math.round(sample.factors[0] * 180)}°`
      : state.factor === 'position' ? `a blob at (${(1.5 + 5 * sample.factors[0]).toFixed(1)}, ${(1.5 + 5 * sample.factors[1]).toFixed(1)})`
      : ctx.className(sample.label);
    $('inspect-title').textContent = `Sample ${sample.index}, ${what}, and each model's reconstruction of it (from its mean code):`;
    const codes = lab.models.filter((m) => ctx.shown(m.id)).map((m) => `${modelLabel(m.recipe, true)}: ${codeText(sample.readings[m.id])}`).join('. ');
    this.text.textContent = `Sample ${sample.index}, ${what}. ${codes}.`;
  }

  showDecoded(d) {
    const { $, lab, state } = this.ctx;
    const where = d.from ? ` of the ${modelLabel(d.from.recipe, true)}'s plane` : '';
    $('decoded-title').textContent = `At z = (${num(d.z[0])}, ${num(d.z[1])})${where}, each decoder makes:`;
    for (const m of lab.models) paintImage($(`img-dec-${m.id}`), d[m.id], lab.imageSize());
    state.decoded = { z: d.z, ...Object.fromEntries(lab.models.map((m) => [m.id, d[m.id]])) };
  }

  /** Shows the tooltip beside the pointer (or the keyboard cursor), inside the stage. */
  placeTip() {
    if (!this.tip) return;
    this.box.hidden = false;
    const stage = this.box.offsetParent || this.box.parentElement;
    const w = this.box.offsetWidth, h = this.box.offsetHeight;
    // Right of and below the pointer; left of it or above it where the stage or the window
    // has no room.
    let x = this.tip.x + 18;
    if (x + w > stage.clientWidth) x = Math.max(0, this.tip.x - 18 - w);
    const top = stage.getBoundingClientRect().top;
    let y = this.tip.y + 18;
    if (top + y + h > window.innerHeight - 8) y = this.tip.y - 18 - h;
    y = Math.max(y, 8 - top, 0);
    this.box.style.left = `${x}px`;
    this.box.style.top = `${y}px`;
  }

  hideTip() {
    const { lab, root } = this.ctx;
    this.tip = null;
    this.pointerOn = null;
    this.hover = null;
    this.pickQueued = null;
    // The sample's outline goes with the tooltip (a paused worker redraws for it: only then).
    if (this.outlined) lab.sendAll({ type: 'highlight', index: null });
    this.outlined = false;
    this.box.hidden = true;
    for (const c of root.querySelectorAll('.z-cursor')) c.hidden = true;
  }

  /** Marks latent point `z` in every view and decoder map but the one under the pointer, each
   * at its own scale (off its square: no mark). */
  showCursors(z) {
    const { $, lab } = this.ctx;
    for (const m of lab.models) {
      const range = m.stats && m.stats.range;
      for (const surface of [$(`view-${m.id}`), $(`tiles-${m.id}`)]) {
        const mark = surface && surface.parentElement.querySelector('.z-cursor');
        if (!mark) continue;
        const fx = (z[0] + range) / (2 * range), fy = (range - z[1]) / (2 * range);
        mark.hidden = !range || surface === this.pointerOn || fx < 0 || fx > 1 || fy < 0 || fy > 1;
        mark.style.left = `${surface.offsetLeft + fx * surface.clientWidth}px`;
        mark.style.top = `${surface.offsetTop + fy * surface.clientHeight}px`;
      }
    }
  }

  /** Asks `model` what lies at a point of its view; its worker outlines the sample there. */
  sendPick(model, message) {
    const { lab } = this.ctx;
    this.outlined = true;
    lab.sendTo(model, { type: 'pick', ...message });
  }

  /** The pointer, the keyboard and clicks on a model's view and decoder map. */
  attachPointer(model) {
    const { ctx } = this;
    const { $, root } = ctx;
    const canvas = $(`view-${model.id}`);
    if (!canvas) return;
    // The view and its decoder map show the same square of the plane: a point of either is
    // the same pixel of the view.
    const at = (event, surface = canvas) => {
      const r = surface.getBoundingClientRect();
      return { x: ((event.clientX - r.left) / r.width) * canvas.width, y: ((event.clientY - r.top) / r.height) * canvas.height };
    };
    const stage = root.querySelector('.stage');
    /** Where the tooltip goes: beside client point (x, y), in the stage's pixels. */
    const tipAt = (x, y) => {
      const r = stage.getBoundingClientRect();
      this.tip = { x: x - r.left, y: y - r.top };
    };
    const pick = (event) => {
      tipAt(event.clientX, event.clientY);
      this.pointerOn = event.currentTarget;
      if (!this.pickQueued) {
        requestAnimationFrame(() => {
          if (!this.pickQueued) return;   // the pointer left meanwhile
          const [m, msg] = this.pickQueued;
          this.pickQueued = null;
          this.sendPick(m, msg);
        });
      }
      this.pickQueued = [model, at(event, event.currentTarget)];
    };
    for (const surface of [canvas, $(`tiles-${model.id}`)]) {
      surface.addEventListener('pointermove', pick);
      surface.addEventListener('pointerdown', pick);
      // A mouse that leaves takes the tooltip with it; a finger's tap leaves it until the next.
      surface.addEventListener('pointerleave', (event) => { if (event.pointerType === 'mouse') this.hideTip(); });
    }
    canvas.addEventListener('click', (event) => {
      if (!ctx.partKept('interpolate')) return;   // no walk panel (hidden by the author): clicks only inspect
      this.sendPick(model, { ...at(event), click: true });
    });
    // The keyboard cursor follows the pointer, so that keys go on from where it clicked.
    canvas.addEventListener('pointerdown', (event) => Object.assign(this.keyCursor, at(event)));
    // Keyboard: a cursor over the plane, in canvas pixels, shared by every view.
    const marker = canvas.parentElement.querySelector('.key-cursor');
    const place = () => {
      marker.hidden = false;
      marker.style.left = `${canvas.offsetLeft + (this.keyCursor.x / canvas.width) * canvas.clientWidth}px`;
      marker.style.top = `${canvas.offsetTop + (this.keyCursor.y / canvas.height) * canvas.clientHeight}px`;
      const r = canvas.getBoundingClientRect();
      tipAt(r.left + (this.keyCursor.x / canvas.width) * r.width, r.top + (this.keyCursor.y / canvas.height) * r.height);
    };
    canvas.addEventListener('focus', () => {
      if (!canvas.matches(':focus-visible')) return;   // focused by a click: no keyboard cursor
      place();
      this.sendPick(model, { x: this.keyCursor.x, y: this.keyCursor.y });
    });
    canvas.addEventListener('blur', () => { marker.hidden = true; if (!canvas.matches(':hover')) this.hideTip(); });
    canvas.addEventListener('keydown', (event) => {
      const step = event.shiftKey ? 40 : 8;
      const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (event.key in moves) {
        const [dx, dy] = moves[event.key];
        this.keyCursor.x = Math.min(canvas.width - 1, Math.max(0, this.keyCursor.x + dx));
        this.keyCursor.y = Math.min(canvas.height - 1, Math.max(0, this.keyCursor.y + dy));
        place();
        this.announceNext = true;
        this.sendPick(model, { x: this.keyCursor.x, y: this.keyCursor.y });
      } else if (event.key === 'Enter' && ctx.partKept('interpolate')) {
        this.sendPick(model, { x: this.keyCursor.x, y: this.keyCursor.y, click: true });
      } else {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
    });
  }
}

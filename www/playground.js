// The playground component's composition root: `mount` makes one instance inside a root (the
// shadow root of a <vae-playground> element, element.js, which the site's page uses too): its
// notices, its settings store, its lab of models (one worker each) and its panels, and returns
// the API the element offers. docs/architecture.md has the map of the modules.
import { TEMPLATE } from './template.js';
import { countText } from './format.js';
import { createNotices } from './notices.js';
import { createSettings } from './settings.js';
import { Lab } from './lab.js';
import { createPanels } from './panels.js';
import { createDataLoader } from './data.js';
import { bindKeys } from './keys.js';

// What the package's users could import from this file before it was split.
export { TEMPLATE, countText };

/**
 * Wires the component inside `root` (a ShadowRoot or Document holding TEMPLATE).
 * `search`: the settings, as a URL query (from the page's URL or the element's attributes).
 * `urlState`: keep the page's URL in step and take the page's keys (the site's own page).
 * `host`: the element that receives `step` and `diverge` events and, without `urlState`,
 * the keys. Returns { state, stats, start, pause, reset, step, set, destroy }.
 */
export function mount(root, { search = '', urlState = false, host = null } = {}) {
  // What tests and the benchmark read. Nothing here feeds back into the models.
  const state = {
    stats: null, playing: false, workerPlaying: false, firstFrameMs: null, history: {},
    losses: {}, samplesPerSecond: null, notice: null, ready: false, models: [], marks: [],
  };
  const ctx = { root, state, host, $: (id) => root.getElementById(id) };
  /** Whether the model with this id is shown (show=both, or show= its id). */
  ctx.shown = (id) => !state.params || state.params.show === 'both' || state.params.show === id;
  /** Whether a part that hide= can hide is shown. */
  ctx.partShown = (part) => ctx.partKept(part) && !root.querySelector(`[data-part="${part}"]`).closest('.tabbed .tab-off');
  /** Whether the author kept a part that hide= can hide (it may wait behind a tab). */
  ctx.partKept = (part) => !root.querySelector(`[data-part="${part}"]`).hidden;
  // The workers draw their decoder maps only while the maps' panel is on screen: after
  // anything that may show or hide it (hide=, a figure, a tab), they hear of a change.
  let tilesOn = null;
  ctx.tilesFollow = () => {
    const on = ctx.partShown('maps');
    if (on !== tilesOn) { tilesOn = on; ctx.lab.sendAll({ type: 'tiles', on }); }
  };
  /** What each label means ("digit 3", "trouser", …), from the data set. */
  ctx.classNames = () => (state.legend && state.legend.classes) || [];
  ctx.className = (label) => ctx.classNames()[label] || `class ${label}`;

  ctx.notices = createNotices(root, state, () => ctx.lab.reset());
  ctx.dataLoader = createDataLoader((progress) => ctx.panels.controls.showDataProgress(progress));
  ctx.settings = createSettings(ctx, { search, urlState });
  ctx.lab = new Lab(ctx);
  createPanels(ctx, { urlState });
  ctx.settings.subscribe((...args) => ctx.emit('onSettings', ...args));
  const unbindKeys = bindKeys(urlState ? document : host, host, ctx.lab, urlState);
  ctx.lab.start();

  const { lab } = ctx;
  return {
    state,
    get stats() { return lab.publicStats(); },
    start() { if (!state.playing) lab.play(); },
    pause() { if (state.playing || state.workerPlaying) lab.pause(); },
    reset: () => lab.reset(),
    step: (steps) => lab.step(steps),
    /** Changes a setting as its control would: any URL parameter, by the same rules (a value
     *  out of bounds is clamped, a bad one refused, each with a notice); null restores its
     *  default. dataset, seed, hidden, activation and models start a new run. */
    set(name, value) { ctx.settings.request(name, typeof value === 'boolean' ? Number(value) : value); },
    destroy() {
      lab.destroy();
      unbindKeys();
      ctx.emit('destroy');
    },
  };
}

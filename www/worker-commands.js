// A model's worker, the page's commands that start, stop and steer its run: read the link,
// build the model, take a data set's file, play, pause, advance, reset, change a setting.
import { dataFile, loadData, PageParams } from './vae-playground.js';
import { w, setLimit, schedule, post, isTrap, refuse } from './worker-state.js';
import { draw, report, metricsSoon } from './worker-frame.js';
import { postParams, build, haveData, newRun, stop, run, setting } from './worker-loop.js';

/** The commands that steer the run, by type (protocol.js). */
export const commandHandlers = {
  // The lead model's worker reads the link first, so that the page knows the lab's models.
  params(m) {
    w.params = new PageParams(m.search || '');
    postParams(w.params.notices(), 'link');
  },
  init(m) {
    w.member = m.member;
    w.recipe = m.recipe;
    w.ctx = m.canvas.getContext('2d', { alpha: false });
    w.tilesCtx = m.tiles ? m.tiles.getContext('2d', { alpha: false }) : null;
    w.tilesOn = Boolean(m.tiles && m.tilesOn);
    w.params = new PageParams(m.search || '');
    const start = () => {
      build();
      draw();
      report({ firstFrame: true });
      metricsSoon();
    };
    // Without its data set's file this model has nothing to fall back on: the default data.
    const fallBack = (message) => {
      w.params.clear('dataset');
      post({ type: 'settingError', key: 'dataset', message });
      postParams();
      start();
    };
    if (haveData(w.params.values().dataset, start, fallBack)) start();
  },
  // The file of the data set a build waits for, fetched by the page (or why it could not be).
  data(m) {
    const wait = w.awaiting;
    if (!wait || wait.name !== m.name) return;
    w.awaiting = null;
    if (m.error) { wait.fail(m.error); return; }
    try {
      loadData(m.name, new Uint8Array(m.bytes));
    } catch (e) {
      if (isTrap(e)) throw e;
      wait.fail(`data/${dataFile(m.name)} is not a usable data file: ${e.message}`);
      return;
    }
    wait.resume();
  },
  // `milestone`: epochs to pause at the end of, once (the lesson's milestone), or none; this
  // worker knows its epoch's length.
  play(m) {
    const at = m.milestone ? m.milestone * w.pg.stats().batchesPerEpoch : Infinity;
    w.milestone = at > w.steps && at !== Infinity ? at : null;
    run(w.milestone || Infinity, m.limit, true);
    report();
  },
  limit(m) {
    setLimit(m.limit);
    if (w.playing && w.waiting && w.steps < w.limit) { w.waiting = false; schedule(); }
  },
  pause() { stop(); },
  // Trains to step `to`, then pauses: a step(n) of the lab, or catching up after a pause. A
  // long request runs in the loop, so Pause and Reset still work.
  advance(m) {
    // `epochs`: to the end of that epoch of a new run (a guided experiment's length).
    const to = m.epochs != null ? m.epochs * w.pg.stats().batchesPerEpoch : m.to;
    if (to <= w.steps) { stop(); return; }
    w.milestone = null;
    run(to, to, false);
  },
  reset() {
    if (haveData(w.params.values().dataset, newRun, (message) => refuse('dataset', new Error(message)))) newRun();
  },
  // The page shows the decoder map's grid of tiles (or has hidden it).
  tiles(m) {
    w.tilesOn = Boolean(w.tilesCtx && m.on);
    w.pg.setTiles(w.tilesOn);
    w.tilesShown = 0;
    if (!w.playing) draw();
  },
  set(m) { setting(m.key, m.value); },
};

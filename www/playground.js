// The playground component: `mount` wires one instance (its lab of models, one worker each;
// its canvases, controls, readouts, chart and inspector) inside a root: a shadow root for the
// <vae-playground> element (element.js), which the site's page uses too. Each model trains and
// draws in its own worker (worker.js); this file sends them the visitor's actions, keeps them
// in lockstep, gathers what needs every model (hover, a walk, the drawing, exports, figures)
// and shows what they report, so the page stays responsive whatever the training speed.
import { METRICS_WHEN, TEMPLATE, isFree, isVae, modelId, modelLabel, modelParts } from './template.js';
import { figure } from './figure.js';
import { lossChart, thin } from './chart.js';
import { createPad } from './pad.js';
import { imageCanvas, paintImage } from './images.js';
import { PRESETS, PRESET_EPOCHS } from './presets.js';
import { createTear } from './tear.js';
import { rateDistortion } from './ratedistortion.js';
import { createPrior } from './prior.js';
import { createPull } from './pull.js';
import { createDataLoader } from './data.js';
import { createOwnData } from './own.js';

export { TEMPLATE };

const WORKER_URL = new URL('./worker.js', import.meta.url);

const COUNT = new Intl.NumberFormat('en', { maximumSignificantDigits: 2 });
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/**
 * A count as a reader says it: 7, 160, 1,600, 260,000, then 5.3 × 10⁷. `log10`, its
 * logarithm, may stand for a count too large for a number (e to the power 1,000).
 */
export function countText(n, log10 = Math.log10(n)) {
  if (log10 < 6) return COUNT.format(n < 100 ? Math.round(n) : n);
  let exponent = Math.floor(log10);
  let mantissa = 10 ** (log10 - exponent);
  if (mantissa >= 9.95) { mantissa = 1; exponent += 1; }
  return `${mantissa.toFixed(1)} × 10${[...String(exponent)].map((d) => SUPERSCRIPT[d]).join('')}`;
}
/** Whether the page holds a playground when this file runs (a module runs once its page is
 * parsed). Then the model's code and two workers start at once, while the page builds it; a
 * page that loads the component without one (a shared template, an element made later)
 * fetches and starts nothing until a playground is mounted. */
const playgroundInPage = typeof document !== 'undefined' && document.querySelector('vae-playground') !== null;
let compiling = null;
/** The model's code, fetched and compiled once per page, then handed to every worker. The
 * single-file build's worker carries its own bytes; a host page whose policy refuses to
 * compile wasm gets null: in both cases the first worker compiles it instead. */
function compiledWasm() {
  compiling ||= (async () => {
    if (globalThis.VAE_PLAYGROUND_WORKER_URL) return null;
    try {
      return await WebAssembly.compileStreaming(fetch(new URL('./vae-playground_bg.wasm', import.meta.url)));
    } catch {
      return null;
    }
  })();
  return compiling;
}
if (playgroundInPage) compiledWasm();
/** A model's worker. The single-file build supplies its own (a classic script from a blob: URL). */
const newWorker = () => new Worker(globalThis.VAE_PLAYGROUND_WORKER_URL || WORKER_URL, { type: globalThis.VAE_PLAYGROUND_WORKER_TYPE || 'module' });
/** Two workers started as soon as this file runs on a page with a playground, so that their
 * scripts load while the page builds it: the first lab takes them (most labs have two
 * models). One that cannot start, or whose script fails before a lab takes it, is left out:
 * the lab starts its own, and says why if that one fails too. */
const earlyWorkers = [];
for (let i = 0; i < (playgroundInPage ? 2 : 0); i++) {
  try {
    const worker = newWorker();
    worker.onerror = () => { worker.failed = true; };
    earlyWorkers.push(worker);
  } catch {
    break;
  }
}
/** An early worker still sound, or null. */
function earlyWorker() {
  for (let worker = earlyWorkers.shift(); worker; worker = earlyWorkers.shift()) {
    if (!worker.failed) { worker.onerror = null; return worker; }
    worker.terminate();
  }
  return null;
}
const FULL_PAGE_URL = new URL('./index.html', import.meta.url);
/** How many steps a model may run ahead of the slowest of the lab. */
const LEAD = 128;
/** The least time between two updates of the readouts' text while the lab trains. */
const READOUT_MS = 100;
/** The most steps one step(n) may ask for. */
const MAX_STEP_REQUEST = 100000;

/**
 * Wires the component inside `root` (a ShadowRoot or Document holding TEMPLATE).
 * `search`: the settings, as a URL query (from the page's URL or the element's attributes).
 * `urlState`: keep the page's URL in step and take the page's keys (the site's own page).
 * `host`: the element that receives `step` and `diverge` events and, without `urlState`,
 * the keys. Returns { state, start, pause, reset, step, set, destroy }.
 */
export function mount(root, { search = '', urlState = false, host = null } = {}) {
  const $ = (id) => root.getElementById(id);
  const rootEl = root.querySelector('.vae-root');
  const el = {
    play: $('play'), step: $('step'), reset: $('reset'), newSeed: $('new-seed'),
    beta: $('beta'), betaValue: $('beta-value'), lr: $('lr'), noise: $('noise'),
    batch: $('batch'), speed: $('speed'), range: $('range'),
    notice: $('notice'), noticeText: $('notice-text'), noticeList: $('notice-list'), noticeReset: $('notice-reset'), noticeClose: $('notice-close'),
    dataset: $('dataset'), copyLink: $('copy-link'), openFull: $('open-full'), shareStatus: $('share-status'),
    views: root.querySelector('.views'), modelReadouts: $('model-readouts'),
    chart: $('chart'), chartLegend: root.querySelector('.chart-legend'), summary: $('summary'),
    inspector: $('inspector'), inspectSample: $('inspect-sample'), inspectEmpty: $('inspect-empty'), inspectTitle: $('inspect-title'), inspectImages: $('inspect-images'), inspectText: $('inspect-text'), input: $('img-input'),
    map: $('map'), caption: $('caption'), decoded: $('decoded'), decodedTitle: $('decoded-title'), decodedImages: $('decoded-images'),
    presetText: $('preset-text'), liveExplain: $('live-explain'),
    stripBox: $('strip-box'), stripInputs: $('strip-inputs'), stripText: $('strip-text'),
    pad: $('pad'), padImages: $('pad-images'), padText: $('pad-text'), exportModels: $('export-models'),
  };

  // What tests and the benchmark read. Nothing here feeds back into the models.
  const state = {
    stats: null, playing: false, workerPlaying: false, firstFrameMs: null, history: {},
    losses: {}, samplesPerSecond: null, notice: null, ready: false, models: [], marks: [],
  };

  // --- The lab: one worker per model --------------------------------------------------------

  /** The lab's models, in the order of the `models` parameter: { recipe, id, slot, worker,
   * ready, queued, canvas, stats, steps, playing, loss, sps, metrics, dead, firstFrame }. */
  let models = [];
  /** What a worker may refuse for its own model alone (not a setting of the lab). */
  const OWN_KEYS = ['weights', 'pull'];
  /** Epochs the lab being built trains at once (a guided experiment with its own models), or
   * false. */
  let playWhenBuilt = false;
  let commandSeq = 0;   // play/pause commands sent; each worker echoes the last one it handled
  let limitSent = 0;    // the lockstep limit last sent
  let syncing = false;  // after a pause: bring every model to the same step
  let advancing = false;   // a step(n) is running
  let palette = [];
  let runKeys = [];     // the settings that start a new run, from Rust's table (params.rs)
  let query = search.replace(/^\?/, '');

  let wasmModule;   // compiled once (by the page, or else by the first worker) and handed to the others
  /** A model's worker; it loads the wasm when told to boot (at once if the module is known). */
  function spawn({ boot = true } = {}) {
    const worker = earlyWorker() || newWorker();
    if (boot) worker.postMessage({ type: 'boot', module: wasmModule });
    return worker;
  }

  // Most labs have two models: the second model's worker starts with the first and boots as
  // soon as the wasm is compiled, while the first reads the link.
  let spare = null;
  function startSpare() {
    const worker = spawn({ boot: false });
    spare = { worker, ready: false, booted: false, palette: null };
    worker.onmessage = (e) => { if (e.data.type === 'ready') { spare.ready = true; spare.palette = e.data.palette; } };
  }
  function bootSpare() {
    if (!spare || spare.booted || !wasmModule) return;
    spare.booted = true;
    spare.worker.postMessage({ type: 'boot', module: wasmModule });
  }

  /** Sends to one model; messages wait until its worker has its model (after a restart too). */
  function sendTo(model, message, transfer) {
    if (!model.worker) return;
    if (model.ready) model.worker.postMessage(message, transfer || []);
    else model.queued.push([message, transfer || []]);
  }
  function sendAll(message) { for (const m of models) sendTo(m, message); }
  const lead = () => models[0];

  /**
   * Starts the lab that `query` describes: the first model's worker reads the link (Rust's
   * table of parameters), then every model gets its worker, its canvas and its recipe.
   */
  function startLab() {
    for (const m of models) if (m.worker) m.worker.terminate();
    models = [];
    state.models = [];
    state.history = {};
    state.marks = [];
    state.losses = {};
    state.metrics = null;
    state.ready = false;
    strips = {};
    readings = {};
    clearTimeout(readoutTimer);
    readoutTimer = null;
    showStrip(null);
    if (spare) spare.worker.terminate();
    startSpare();
    const first = spawn({ boot: false });
    compiledWasm().then((module) => {
      if (module) wasmModule = module;
      first.postMessage({ type: 'boot', module: wasmModule });
      bootSpare();
    });
    first.onmessage = (e) => {
      const m = e.data;
      if (m.type === 'ready') {
        palette = m.palette;
        wasmModule = m.module;
        first.postMessage({ type: 'params', search: query ? `?${query}` : '' });
        bootSpare();
      }
      else if (m.type === 'params') { runKeys = m.runKeys; buildLab(first, m); }
      else if (m.type === 'error') showNotice(`The playground could not start: ${m.message}`, 'restart');
    };
    first.onerror = (e) => showNotice(`The training worker stopped: ${e.message || 'unknown error'}.`, 'restart');
    models.push({ worker: first });
  }

  /** The lab's markup and workers for the list of recipes the link gave. */
  function buildLab(first, m) {
    query = m.query;
    const list = m.values.models.split(',');
    const parts = list.map((recipe, slot) => modelParts(recipe, slot));
    const html = (key) => parts.map((p) => p[key]).join('');
    el.views.innerHTML = html('view');
    root.querySelector('.map-views').innerHTML = html('tiles');
    el.modelReadouts.innerHTML = html('readouts');
    el.decodedImages.innerHTML = html('decoded');
    for (const f of el.inspectImages.querySelectorAll('figure:not(:first-child)')) f.remove();
    el.inspectImages.insertAdjacentHTML('beforeend', html('inspected'));
    el.chartLegend.innerHTML = html('legend');
    for (const row of el.stripBox.querySelectorAll('.strip-row:not(:last-child)')) row.remove();
    el.stripInputs.parentElement.insertAdjacentHTML('beforebegin', html('strip'));
    el.padImages.innerHTML = html('pad');
    el.exportModels.innerHTML = html('exports');
    $('tear-rows').innerHTML = html('tear');
    tearPanel.clear();
    $('prior-rows').innerHTML = html('prior');
    priorPanel.clear();
    for (const button of el.exportModels.querySelectorAll('button')) {
      button.addEventListener('click', () => sendTo(byId(button.dataset.model), { type: 'exportWeights' }));
    }
    models = list.map((recipe, slot) => ({
      recipe, id: modelId(recipe), slot, worker: null, ready: false, queued: [], stats: null,
      steps: 0, playing: false, loss: null, sps: null, metrics: null, dead: false, firstFrame: false,
    }));
    state.models = list;
    models.forEach((model) => {
      attachPointer(model);
      if (model.slot === 0) {
        model.worker = first;
        listen(model);
        initModel(model);
      } else if (model.slot === 1 && spare) {
        model.worker = spare.worker;
        listen(model);
        if (spare.ready) initModel(model);   // else its 'ready' comes to onMessage
        spare = null;
      } else {
        startWorker(model);
      }
    });
    if (spare) { spare.worker.terminate(); spare = null; }   // a lab of one model
    appliedPair = '';
    appliedWeights = '';
    applyParams(m.values, m.notices, 'link');
    writeQuery(m.query);
    drawChart();
    if (playWhenBuilt) { const epochs = playWhenBuilt; playWhenBuilt = false; trainEpochs(epochs); }
  }

  const byId = (id) => models.find((m) => m.id === id);
  /** The data's image size, [w, h], from the first model's stats. */
  const imageSize = () => (models[0] && models[0].stats ? models[0].stats.imageSize : [1, 1]);
  /** Whether the page shows the decoder maps' panel (its workers draw the tiles only then). */
  const tilesShown = () => !root.querySelector('[data-part="maps"]').hidden;

  function listen(model) {
    model.worker.onmessage = (e) => onMessage(model, e.data);
    model.worker.onerror = (e) => crashed(model, e.message || 'unknown error');
  }

  function startWorker(model) {
    model.worker = spawn();
    model.ready = false;
    listen(model);
  }

  /** Hands a model's worker its canvas and recipe; it builds the model and draws. */
  function initModel(model) {
    let canvas = $(`view-${model.id}`);
    let tiles = $(`tiles-${model.id}`);
    if (model.canvasSent) {
      // A restarted worker cannot draw into a canvas already handed over: swap in new ones.
      const fresh = canvas.cloneNode(false);
      canvas.replaceWith(fresh);
      canvas = fresh;
      const freshTiles = tiles.cloneNode(false);
      tiles.replaceWith(freshTiles);
      tiles = freshTiles;
      attachPointer(model);
    }
    const offscreen = canvas.transferControlToOffscreen();
    const offTiles = tiles.transferControlToOffscreen();
    model.canvasSent = true;
    model.worker.postMessage({
      type: 'init', member: model.slot, recipe: model.recipe, search: query ? `?${query}` : '',
      canvas: offscreen, tiles: offTiles, tilesOn: tilesShown(), seq: commandSeq,
    }, [offscreen, offTiles]);
    model.ready = true;
    model.dead = false;
    for (const [message, transfer] of model.queued.splice(0)) model.worker.postMessage(message, transfer);
  }

  /** A model's worker stopped: say so; Reset restarts it (and starts every model again). */
  function crashed(model, message) {
    model.dead = true;
    if (ownStopped) { ownStopped(); ownStopped = null; onOwnLoaded = () => {}; }
    if (state.playing) pause();
    setPlaying(false);
    state.workerPlaying = false;
    showNotice(`Something went wrong inside the model ${modelLabel(model.recipe)}: ${message} Press Reset to start again.`, 'restart');
  }

  function onMessage(model, m) {
    switch (m.type) {
      case 'ready':
        palette = m.palette;
        initModel(model);
        break;
      case 'params':
        if (model.slot !== 0) break;   // every worker reads the same table; the first answers
        if (m.values.models !== state.models.join(',')) {
          // Another lab: new workers for the new list, from the settings in force.
          query = m.query;
          applyParams(m.values, m.notices, 'setting');
          writeQuery(m.query);
          startLab();
          break;
        }
        applyParams(m.values, m.notices, m.source);
        writeQuery(m.query);
        // A new worker (after a crash) has not seen the drawing yet.
        if (pad.values.some((v) => v > 0) && !state.drawing) pad.changed();
        break;
      case 'needData': provideData(model, m); break;
      case 'ownLoaded': if (m.token === ownToken) onOwnLoaded(model, m); break;
      case 'stats': onStats(model, m); break;
      case 'at': model.steps = m.steps; lockstep(); break;
      case 'diverged':
        // This model stays where it was until a new run: the others no longer wait for it.
        model.stuck = true;
        if (state.playing) pause();
        setPlaying(false);
        showNotice(`${modelLabel(model.recipe)}: ${m.message}`, 'reset');
        if (host) host.dispatchEvent(new CustomEvent('diverge', { detail: { message: m.message, model: model.recipe } }));
        break;
      case 'settingError':
        if (m.key === 'dataset') dataLoader.forget();   // a file found unusable is fetched afresh next time
        // Every worker checks a setting by the same table, so the first speaks for all; what
        // concerns one model (its weights, a pull) is said for that model.
        if (OWN_KEYS.includes(m.key)) showNotice(`${modelLabel(model.recipe)}: ${m.message}`, null);
        else if (model.slot === 0) showNotice(`That setting was not used: ${m.message}`, null);
        break;
      case 'error': crashed(model, m.message); break;
      case 'picked': onPicked(model, m); break;
      case 'inspection': onInspection(model, m); break;
      case 'strip': onStrip(model, m.strip); break;
      case 'randomPair': showPair(m.pair[0], m.pair[1]); break;
      case 'drawing': onDrawing(model, m.reading); break;
      case 'legend': showLegend(m); break;
      case 'metrics': onMetrics(model, m); break;
      case 'codes': onCodes(model, m); break;
      case 'weights': download(`vae-playground-${model.id}-weights.json`, m.text, 'application/json'); break;
      case 'loaded': onLoaded(model, m); break;
      case 'view': onView(model, m); break;
      case 'tear': tearPanel.onReport(model, m); break;
      case 'prior': priorPanel.onResult(model, m.result); break;
      case 'pull': pullPanel.onReport(model, m.report); break;
      case 'similarPair': pullPanel.onPair(m.pair); break;
      case 'bench': if (benchDone) { benchDone(m); benchDone = null; } break;
      case 'debugFetch': if (fetchDone) { fetchDone(m.allowed); fetchDone = null; } break;
    }
  }

  // --- Data sets that are files ---------------------------------------------------------------

  const dataLoader = createDataLoader(showDataProgress);
  /** A model's worker waits for the file of its data set: fetched once, a copy for each. */
  function provideData(model, m) {
    const worker = model.worker;
    dataLoader.load(m.file).then(
      (buffer) => { const copy = buffer.slice(0); worker.postMessage({ type: 'data', name: m.name, bytes: copy }, [copy]); },
      (e) => worker.postMessage({ type: 'data', name: m.name, error: e.message }));
  }
  function showDataProgress({ file, received, total, done }) {
    const box = $('data-progress');
    box.hidden = done;
    const bar = box.querySelector('progress');
    if (total) bar.value = received / total; else bar.removeAttribute('value');
    const mb = (n) => (n / 1e6).toFixed(1);
    box.querySelector('span').textContent = `Fetching data/${file}: ${mb(received)}${total ? ` of ${mb(total)}` : ''} MB`;
  }

  // --- Lockstep -------------------------------------------------------------------------------

  /** While playing, no model runs more than LEAD steps ahead of the slowest. */
  function lockstep() {
    if (!state.playing) return;
    const live = models.filter((m) => !m.dead && !m.stuck);
    if (!live.length) return;
    const next = Math.min(...live.map((m) => m.steps)) + LEAD;
    if (next > limitSent) {
      limitSent = next;
      sendAll({ type: 'limit', limit: next });
    }
  }

  /** After a pause, every model comes to the step of the furthest. */
  function sync() {
    const live = models.filter((m) => !m.dead && !m.stuck);
    if (!syncing || live.some((m) => m.playing || m.reportedSeq !== commandSeq)) return;
    syncing = false;
    const to = Math.max(...live.map((m) => m.steps));
    for (const m of live) if (m.steps < to) sendTo(m, { type: 'advance', to, seq: commandSeq });
  }

  // --- Readouts ----------------------------------------------------------------------------

  const fmt = (v, digits = 2) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(digits));
  // Text that did not change is left alone (each change costs the page a layout).
  const setText = (id, text) => { const node = $(id); if (node && node.textContent !== String(text)) node.textContent = text; };
  let lastSummary = 0, lastExplain = 0;

  /** The lab's counters and settings: the settings in force, and each model's own figures. */
  function labStats() {
    const live = models.filter((m) => m.stats);
    if (live.length !== models.length || !models.length) return null;
    const first = models[0].stats;
    const plain = (key) => (models.find((m) => !m.recipe.includes(`${key}=`)) || models[0]).stats[key];
    const v = state.params || {};
    return {
      steps: Math.min(...models.map((m) => m.stats.steps)),
      epochs: Math.min(...models.map((m) => m.stats.epochs)),
      batchesPerEpoch: first.batchesPerEpoch,
      samples: first.samples,
      trainingSamples: first.trainingSamples,
      imageSize: first.imageSize,
      reconFloor: first.reconFloor,
      seed: first.seed,
      dataset: first.dataset,
      hidden: first.hidden,
      activation: first.activation,
      beta: plain('beta'),
      noise: plain('noise'),
      lr: first.lr,
      batch: first.batch,
      map: first.map,
      fit: v.range === 'fit',
      range: first.range,
      models: Object.fromEntries(models.map((m) => [m.id, m.stats])),
    };
  }

  /** Says which samples the views draw when they are not all the training samples. */
  function showSubset({ samples, trainingSamples }) {
    const note = $('subset-note');
    note.hidden = samples >= trainingSamples;
    const n = (x) => x.toLocaleString('en');
    const text = note.hidden ? '' : `The views, walks and measures show ${n(samples)} of the ${n(trainingSamples)} samples: a subset drawn once at random, the same in every run and every link (sample numbers count within it). The models train on all ${n(trainingSamples)}.`;
    if (note.textContent !== text) note.textContent = text;   // stats come 10 times a second
  }

  function onStats(model, m) {
    model.stats = m.stats;
    if (model.slot === 0) {
      pad.setSize(m.stats.imageSize);   // another data set: its own size
      showSubset(m.stats);
    }
    model.steps = m.stats.steps;
    if (m.seq === commandSeq) { model.playing = m.playing; model.reportedSeq = m.seq; }
    if (m.samplesPerSecond != null) model.sps = m.samplesPerSecond;
    if (m.frameMs && m.playing) model.frameMs = m.frameMs;
    model.framesDrawn = m.framesDrawn;
    if (!m.playing) model.sps = null;
    if (m.firstFrame) model.firstFrame = true;
    if (m.reset) {
      if (state.tear) tearPanel.clear();
      if (state.prior) priorPanel.clear();
      if (state.pull) pullPanel.clear();
      model.stuck = false;
      model.loss = null;
      model.metrics = null;
      state.history[model.id] = [];
      state.marks = [];
      delete state.losses[model.id];
      state.metrics = null;
      for (const key of ['trust', 'cont', 'path', 'recon-mean']) setText(`r-${model.id}-${key}`, 'computing…');
      $('metrics-step').textContent = `Recon. at z = μ, trustworthiness, continuity and path-length ratio: computing… (${METRICS_WHEN}).`;
    }
    if (m.ticks) drawTicks(model, m.ticks, m.stats.range);
    if (m.loss) {
      model.loss = m.loss;
      state.losses[model.id] = m.loss;
      (state.history[model.id] ||= []).push({ step: m.stats.steps, ...m.loss });
      state.history[model.id] = thin(state.history[model.id]);
    }
    lockstep();
    sync();
    // The lab is still moving while a model trains, or while a pause brings them to one step.
    const live = models.filter((x) => !x.dead && !x.stuck);
    state.workerPlaying = live.some((x) => x.playing) || syncing || live.some((x) => x.steps !== live[0].steps);
    if (advancing && m.seq === commandSeq && !live.some((x) => x.playing || x.reportedSeq !== commandSeq)) advancing = false;
    showPlaying();
    const s = labStats();
    if (!s) return;
    state.stats = s;
    state.ready = true;
    if (state.firstFrameMs == null && models.every((x) => x.firstFrame)) state.firstFrameMs = performance.now();
    const speeds = models.map((x) => x.sps);
    state.speeds = Object.fromEntries(models.map((x) => [x.id, x.sps]));
    state.frameMs = Object.fromEntries(models.map((x) => [x.id, x.frameMs || null]));
    state.workerFrames = Object.fromEntries(models.map((x) => [x.id, x.framesDrawn]));   // each view's frames so far
    state.samplesPerSecond = speeds.every((x) => x != null) ? Math.min(...speeds) : null;
    readoutsSoon();
    scheduleChart();
    if (host) host.dispatchEvent(new CustomEvent('step', { detail: publicStats() }));
  }

  // The readouts' text: at most every READOUT_MS while the lab trains, for every model at
  // once (each model reports 10 times a second, and each change of text costs the page a
  // layout and a paint, on the cores the models train on); at once when it stands still.
  let readoutTimer = null, lastReadouts = 0;
  function readoutsSoon() {
    if (readoutTimer) return;
    const wait = state.workerPlaying ? READOUT_MS - (performance.now() - lastReadouts) : 0;
    if (wait <= 0) showReadouts();
    else readoutTimer = setTimeout(() => { readoutTimer = null; showReadouts(); }, wait);
  }

  function showReadouts() {
    const s = state.stats;
    if (!s || !models.length || models.some((x) => !x.stats)) return;
    const now = performance.now();
    lastReadouts = now;
    const still = !state.workerPlaying;
    setText('r-step', s.steps);
    setText('r-epoch', s.epochs);
    setText('r-sps', state.samplesPerSecond == null ? '–' : Math.round(state.samplesPerSecond).toLocaleString('en'));
    setText('r-floor', `${fmt(s.reconFloor, 1)} nats`);
    for (const model of models) showModelReadouts(model);
    const vae = models.find((x) => x.stats.kind === 'vae');
    for (const span of root.querySelectorAll('[data-live="kl"]')) span.textContent = vae && vae.loss ? fmt(vae.loss.kl, 2) : '–';
    if (now - lastExplain > 1000 || still) explainLive();
    if (now - lastSummary > 3000 || still) {
      lastSummary = now;
      el.summary.textContent = `Step ${s.steps}. ${models.filter((x) => shown(x.id)).map((x) => `${modelLabel(x.recipe)} loss ${fmt(x.loss && x.loss.loss)}${x.stats.meanSigma != null ? `, mean sigma ${fmt(x.stats.meanSigma)}` : ''}`).join('. ')}.`;
    }
  }

  /** A KL as a rate: "2.8 bits, about 7 distinguishable codes". */
  function rateText(kl) {
    if (kl == null || !Number.isFinite(kl)) return '–';
    const count = countText(Math.exp(kl), kl / Math.LN10);
    return `${fmt(kl / Math.LN2, 1)} bits, about ${count} distinguishable code${count === '1' ? '' : 's'}`;
  }

  function showModelReadouts(model) {
    const { id, stats: s, loss: l } = model;
    setText(`r-${id}-loss`, fmt(l && l.loss));
    setText(`r-${id}-recon`, fmt(l && l.recon));
    setText(`r-${id}-kl`, fmt(l && l.kl));
    setText(`r-${id}-kld`, l ? s.klPerDim.map((k) => k.toFixed(2)).join(', ') : '–');
    setText(`r-${id}-sigma`, fmt(s.meanSigma, 3));
    setText(`r-${id}-rate`, l ? rateText(l.kl) : '–');
    setText(`r-${id}-spread`, fmt(s.spread, 2));
    setText(`r-${id}-positions`, s.positionsPerAxis
      ? s.positionsPerAxis.map((p) => (p < 100 ? fmt(p, 1) : countText(p))).join(' × ')
      : `unbounded (${s.kind === 'vae' ? 'noise off: z = μ' : 'no noise'})`);
    setText(`r-${id}-active`, `${s.activeDims} of ${s.latent}`);
    setText(`r-${id}-sps`, model.sps == null ? '–' : Math.round(model.sps).toLocaleString('en'));
    const label = modelLabel(model.recipe);
    const outside = $(`outside-${id}`);
    if (outside) {
      outside.textContent = !s.outside ? '' : s.fit
        ? `${s.outside} of ${s.samples} ${isVae(model.recipe) ? 'posteriors' : 'codes'} lie beyond these axes, which follow 98% of them.`
        : isVae(model.recipe)
        ? `${s.outside} of ${s.samples} posteriors lie outside these axes: widen them with "Axes", or choose "fit to the codes".`
        : `${s.outside} of ${s.samples} codes have left these axes: nothing pulls the autoencoder's codes towards the centre. Widen the axes, or choose "fit to the codes" to follow them.`;
    }
    const canvas = $(`view-${id}`);
    if (canvas) {
      canvas.setAttribute('aria-label', isVae(model.recipe)
        ? `${label} latent space at step ${s.steps}: ${s.samples} posterior ellipses, mean σ ${fmt(s.meanSigma, 2)}`
        : `${label} latent space at step ${s.steps}: ${s.samples - s.outside} of ${s.samples} codes inside the axes`);
    }
  }

  /** The counters and losses as `el.stats` and the `step` event give them: the lab's, each
   * model's losses under its id (`vae` and `ae` in the default lab), and whether it plays. */
  function publicStats() {
    return state.stats ? { ...state.stats, ...state.losses, playing: state.playing } : null;
  }

  function setPlaying(playing) {
    state.playing = playing;
    showPlaying();
  }

  /** The Train button says Pause while the lab trains: playing, or running a step(n). */
  function showPlaying() {
    const moving = state.playing || advancing;
    if (el.play.getAttribute('aria-pressed') === String(moving)) return;
    el.play.textContent = moving ? 'Pause' : 'Train';
    el.play.setAttribute('aria-pressed', String(moving));
  }

  function drawTicks(model, values, range) {
    const plot = root.querySelector(`[data-view="${model.id}"] .plot`);
    if (!plot) return;
    model.ticks = values;
    const xs = plot.querySelector('.x-ticks');
    const ys = plot.querySelector('.y-ticks');
    xs.replaceChildren();
    ys.replaceChildren();
    for (const v of values) {
      const f = (v + range) / (2 * range);
      const label = Number.isInteger(v) ? String(v) : v.toFixed(1);
      const x = document.createElement('span');
      x.style.left = `${f * 100}%`;
      x.textContent = label.replace('-', '−');
      xs.append(x);
      const y = document.createElement('span');
      y.style.top = `${(1 - f) * 100}%`;
      y.textContent = label.replace('-', '−');
      ys.append(y);
    }
    // The scale bar: one tick spacing, so that views at their own scales can be compared.
    const unit = values.length > 1 ? values[1] - values[0] : range;
    const bar = plot.querySelector('.scale-bar');
    bar.querySelector('.bar').style.width = `${(unit / (2 * range)) * 100}%`;
    bar.querySelector('.scale-label').textContent = `${Number(unit.toPrecision(3))} unit${unit === 1 ? '' : 's'} of z`;
    plot.parentElement.dataset.range = range.toFixed(3);
  }

  const LEGEND_TEXT = {
    angle: 'Colour: the bar\'s angle, 0° to 180° (the same bar again), around the ring. A continuous latent space shows the colours in order, without jumps.',
    position: 'Colour: the blob\'s position, x to the right and y up, as on the square. A continuous latent space shows the colours in order, without jumps.',
  };

  /** Classes get swatches; a generated data set's factor gets its colour map, drawn by Rust. */
  function showLegend(m) {
    state.factor = m.factor;
    state.legend = m;
    const list = root.querySelector('.legend');
    const map = root.querySelector('.map-legend');
    list.hidden = m.factor !== 'class';
    map.hidden = m.factor === 'class';
    if (m.factor === 'class') { palette = m.palette; buildLegend(); return; }
    const canvas = $('map-legend');
    canvas.getContext('2d').putImageData(new ImageData(m.pixels, m.size, m.size), 0, 0);
    $('map-legend-text').textContent = LEGEND_TEXT[m.factor];
  }

  function buildLegend() {
    const list = root.querySelector('.legend');
    list.replaceChildren();
    classNames().forEach((name, k) => {
      const li = document.createElement('li');
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = palette[k % palette.length];
      li.append(sw, name);
      list.append(li);
    });
  }

  function onMetrics(model, m) {
    model.metrics = m;
    setText(`r-${model.id}-trust`, m.trustworthiness.toFixed(3));
    setText(`r-${model.id}-cont`, m.continuity.toFixed(3));
    setText(`r-${model.id}-path`, `${fmt(m.pathRatio)} (${fmt(m.pathQuartiles[0])}–${fmt(m.pathQuartiles[1])})`);
    setText(`r-${model.id}-recon-mean`, fmt(m.reconAtMean));
    if (!models.every((x) => x.metrics)) return;
    const steps = models.map((x) => x.metrics.steps);
    state.metrics = {
      k: m.k,
      steps: steps.every((s) => s === steps[0]) ? steps[0] : null,
      ...Object.fromEntries(models.map((x) => [x.id, x.metrics])),
    };
    $('metrics-step').textContent = state.metrics.steps != null
      ? `Recon. at z = μ, trustworthiness, continuity and path-length ratio at step ${state.metrics.steps}; computed ${METRICS_WHEN}.`
      : `Recon. at z = μ, trustworthiness, continuity and path-length ratio at steps ${steps.join(', ')}; computed ${METRICS_WHEN}.`;
    explainLive();
  }

  // --- Loss chart (chart.js draws it) -----------------------------------------------------

  let chartQueued = false, lastChart = 0;
  function scheduleChart() {
    if (chartQueued) return;
    chartQueued = true;
    const wait = Math.max(0, 250 - (performance.now() - lastChart));
    setTimeout(() => requestAnimationFrame(() => { chartQueued = false; lastChart = performance.now(); drawChart(); }), wait);
  }

  function drawChart() {
    const drawn = models.filter((m) => shown(m.id));
    lossChart(el.chart, drawn.map((m) => ({
      slot: m.slot, label: modelLabel(m.recipe), vae: isVae(m.recipe), points: state.history[m.id] || [],
    })), state.marks);
    const vaes = drawn.filter((m) => isVae(m.recipe));
    state.rate = rateDistortion($('rate-plot'), vaes.map((m) => ({
      slot: m.slot, label: modelLabel(m.recipe), beta: m.stats ? m.stats.beta : 1, points: state.history[m.id] || [],
    })), state.stats ? state.stats.reconFloor : NaN);
    const off = drawn.filter((m) => !isVae(m.recipe)).map((m) => modelLabel(m.recipe));
    $('rate-off').textContent = off.length ? `Not on the plane: ${off.join(', ')}. Without a KL term there is no rate to place: an autoencoder's code can tell apart any number of inputs.` : '';
  }

  // --- Inspector ---------------------------------------------------------------------------

  const num = (x) => x.toFixed(2).replace('-', '−');
  /** A class in words with its article: "a 7", "an 8". */
  /** What each label means ("digit 3", "trouser", …), from the data set. */
  const classNames = () => (state.legend && state.legend.classes) || [];
  const className = (label) => classNames()[label] || `class ${label}`;
  const vec = (a) => `(${a.map(num).join(', ')})`;
  /** A reading's code in words: "μ = (…), σ = (…)" for a VAE, "z = (…)" for an AE. */
  const codeText = (r) => (r.sigma ? `μ = ${vec(r.mu)}, σ = ${vec(r.sigma)}` : `z = ${vec(r.mu)}`);

  // The pointer over a view asks that view's model for the sample and the point under it, then
  // every model for what it makes of them (their replies gather here, one per model). What
  // they say shows in a tooltip beside the pointer (tip: where, in the stage's pixels), which
  // goes when the pointer leaves the view.
  let hover = null;
  let tip = null;
  let outlined = false;   // whether a worker may outline a sample since the last clearing (a pick outlines)
  let pointerOn = null;   // the view or decoder map under the pointer
  function onPicked(model, m) {
    if (m.click) { onPin(m.index); return; }
    if (!tip) return;   // the pointer has left since: nothing to inspect
    const index = m.index >= 0 ? m.index : null;
    hover = { index, z: m.z, replies: {}, from: model };
    sendAll({ type: 'inspect', index, z: m.z });
  }

  function onInspection(model, m) {
    if (!hover) return;
    hover.replies[model.id] = m;
    if (Object.keys(hover.replies).length < models.length) return;
    const replies = models.map((x) => [x, hover.replies[x.id]]);
    const sample = replies[0][1].sample;
    const decoded = { z: hover.z, from: hover.from, ...Object.fromEntries(replies.map(([x, r]) => [x.id, r.decoded])) };
    showDecoded(decoded);
    showInspection(sample && {
      index: sample.index, label: sample.label, factors: sample.factors, input: sample.input,
      ...Object.fromEntries(replies.map(([x, r]) => [x.id, r.sample.reading.recon])),
      readings: Object.fromEntries(replies.map(([x, r]) => [x.id, r.sample.reading])),
    });
    placeTip();
    if (tip) showCursors(hover.z);
    if (announceNext) {
      announceNext = false;
      const at = `z = (${num(hover.z[0])}, ${num(hover.z[1])})`;
      announce(sample ? `${at}: ${el.inspectText.textContent}` : `${at}: no sample here.`);
    }
    hover = null;
  }

  /** The nearest sample under the pointer, or nothing: the tooltip's sample part clears. */
  function showInspection(sample) {
    state.hovered = sample || null;
    el.inspectSample.hidden = !sample;
    el.inspectEmpty.hidden = Boolean(sample);
    if (!sample) { el.inspectText.textContent = ''; return; }
    state.inspected = sample;   // the drawing pad can start from it
    paintImage(el.input, sample.input, imageSize());
    for (const m of models) paintImage($(`img-${m.id}`), sample[m.id], imageSize());
    const what = state.factor === 'angle' ? `a bar at ${Math.round(sample.factors[0] * 180)}°`
      : state.factor === 'position' ? `a blob at (${(1.5 + 5 * sample.factors[0]).toFixed(1)}, ${(1.5 + 5 * sample.factors[1]).toFixed(1)})`
      : className(sample.label);
    el.inspectTitle.textContent = `Sample ${sample.index}, ${what}, and each model's reconstruction of it (from its mean code):`;
    const codes = models.filter((m) => shown(m.id)).map((m) => `${modelLabel(m.recipe, true)}: ${codeText(sample.readings[m.id])}`).join('. ');
    el.inspectText.textContent = `Sample ${sample.index}, ${what}. ${codes}.`;
  }

  function showDecoded(d) {
    if (!d) return;
    const where = d.from ? ` of the ${modelLabel(d.from.recipe, true)}'s plane` : '';
    el.decodedTitle.textContent = `At z = (${num(d.z[0])}, ${num(d.z[1])})${where}, each decoder makes:`;
    for (const m of models) paintImage($(`img-dec-${m.id}`), d[m.id], imageSize());
    state.decoded = { z: d.z, ...Object.fromEntries(models.map((m) => [m.id, d[m.id]])) };
  }

  /** Shows the tooltip beside the pointer (or the keyboard cursor), inside the stage. */
  function placeTip() {
    if (!tip) return;
    const box = el.inspector;
    box.hidden = false;
    const stage = box.offsetParent || box.parentElement;
    const w = box.offsetWidth, h = box.offsetHeight;
    // Right of and below the pointer; left of it or above it where the stage or the window
    // has no room.
    let x = tip.x + 18;
    if (x + w > stage.clientWidth) x = Math.max(0, tip.x - 18 - w);
    const top = stage.getBoundingClientRect().top;
    let y = tip.y + 18;
    if (top + y + h > window.innerHeight - 8) y = tip.y - 18 - h;
    y = Math.max(y, 8 - top, 0);
    box.style.left = `${x}px`;
    box.style.top = `${y}px`;
  }

  function hideTip() {
    tip = null;
    pointerOn = null;
    hover = null;
    pickQueued = null;
    // The sample's outline goes with the tooltip (a paused worker redraws for it: only then).
    if (outlined) sendAll({ type: 'highlight', index: null });
    outlined = false;
    el.inspector.hidden = true;
    for (const c of root.querySelectorAll('.z-cursor')) c.hidden = true;
  }

  /** Marks latent point `z` in every view and decoder map but the one under the pointer, each
   * at its own scale (off its square: no mark). */
  function showCursors(z) {
    for (const m of models) {
      const range = m.stats && m.stats.range;
      for (const surface of [$(`view-${m.id}`), $(`tiles-${m.id}`)]) {
        const mark = surface && surface.parentElement.querySelector('.z-cursor');
        if (!mark) continue;
        const fx = (z[0] + range) / (2 * range), fy = (range - z[1]) / (2 * range);
        mark.hidden = !range || surface === pointerOn || fx < 0 || fx > 1 || fy < 0 || fy > 1;
        mark.style.left = `${surface.offsetLeft + fx * surface.clientWidth}px`;
        mark.style.top = `${surface.offsetTop + fy * surface.clientHeight}px`;
      }
    }
  }

  let pickQueued = null;
  /** Asks `model` what lies at a point of its view; its worker outlines the sample there. */
  function sendPick(model, message) {
    outlined = true;
    sendTo(model, { type: 'pick', ...message });
  }
  const keyCursor = { x: 200, y: 200 };
  const walkShown = () => !root.querySelector('[data-part="interpolate"]').hidden;

  function attachPointer(model) {
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
      tip = { x: x - r.left, y: y - r.top };
    };
    const pick = (event) => {
      tipAt(event.clientX, event.clientY);
      pointerOn = event.currentTarget;
      if (!pickQueued) {
        requestAnimationFrame(() => {
          if (!pickQueued) return;   // the pointer left meanwhile
          const [m, msg] = pickQueued;
          pickQueued = null;
          sendPick(m, msg);
        });
      }
      pickQueued = [model, at(event, event.currentTarget)];
    };
    for (const surface of [canvas, $(`tiles-${model.id}`)]) {
      surface.addEventListener('pointermove', pick);
      surface.addEventListener('pointerdown', pick);
      // A mouse that leaves takes the tooltip with it; a finger's tap leaves it until the next.
      surface.addEventListener('pointerleave', (event) => { if (event.pointerType === 'mouse') hideTip(); });
    }
    canvas.addEventListener('click', (event) => {
      if (!walkShown()) return;   // no walk panel (hidden by the author): clicks only inspect
      sendPick(model, { ...at(event), click: true });
    });
    // The keyboard cursor follows the pointer, so that keys go on from where it clicked.
    canvas.addEventListener('pointerdown', (event) => Object.assign(keyCursor, at(event)));
    // Keyboard: a cursor over the plane, in canvas pixels, shared by every view.
    const marker = canvas.parentElement.querySelector('.key-cursor');
    const place = () => {
      marker.hidden = false;
      marker.style.left = `${canvas.offsetLeft + (keyCursor.x / canvas.width) * canvas.clientWidth}px`;
      marker.style.top = `${canvas.offsetTop + (keyCursor.y / canvas.height) * canvas.clientHeight}px`;
      const r = canvas.getBoundingClientRect();
      tipAt(r.left + (keyCursor.x / canvas.width) * r.width, r.top + (keyCursor.y / canvas.height) * r.height);
    };
    canvas.addEventListener('focus', () => {
      if (!canvas.matches(':focus-visible')) return;   // focused by a click: no keyboard cursor
      place();
      sendPick(model, { x: keyCursor.x, y: keyCursor.y });
    });
    canvas.addEventListener('blur', () => { marker.hidden = true; if (!canvas.matches(':hover')) hideTip(); });
    canvas.addEventListener('keydown', (event) => {
      const step = event.shiftKey ? 40 : 8;
      const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (event.key in moves) {
        const [dx, dy] = moves[event.key];
        keyCursor.x = Math.min(canvas.width - 1, Math.max(0, keyCursor.x + dx));
        keyCursor.y = Math.min(canvas.height - 1, Math.max(0, keyCursor.y + dy));
        place();
        announceNext = true;
        sendPick(model, { x: keyCursor.x, y: keyCursor.y });
      } else if (event.key === 'Enter' && walkShown()) {
        sendPick(model, { x: keyCursor.x, y: keyCursor.y, click: true });
      } else {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
    });
  }

  // What the keyboard cursor finds, for screen readers (only after a key, never on hover).
  let announceNext = false, announceTimer = null;
  function announce(text) {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => { $('announce').textContent = text; }, 250);
  }

  // --- A walk between two samples ------------------------------------------------------------

  let pinned = null;
  /** A click on a sample: the first of a pair, or the second, which starts the walk. */
  function onPin(index) {
    if (index < 0) {
      el.stripText.textContent = `No sample there: pick an ellipse or a point.${pinned != null ? ` First sample: ${pinned}.` : ''}`;
      announce(el.stripText.textContent);
      return;
    }
    if (pinned == null || pinned === index) {
      pinned = index;
      state.pinned = index;
      el.stripText.textContent = `First sample: ${index}. Pick a second one.`;
      announce(el.stripText.textContent);
      return;
    }
    showPair(pinned, index);
  }

  function showPair(i, j) {
    pinned = null;
    state.pinned = null;
    sendAll({ type: 'pair', i, j });
  }

  /** Every model's strip of the walk, gathered under its id: shown once every model has one
   * for the same two samples, and updated as each follows its training. */
  let strips = {};
  function onStrip(model, strip) {
    if (strip) strips[model.id] = strip; else delete strips[model.id];
    const all = models.map((m) => strips[m.id]);
    if (all.every((x) => !x)) { showStrip(null); return; }
    if (!all.every((x) => x && x.ends.join() === all[0].ends.join())) return;
    const { ends, steps, labels, inputs } = all[0];
    showStrip({ ends, steps, labels, inputs, ...Object.fromEntries(models.map((m, i) => [m.id, all[i].images])) });
  }

  /** The interpolation strips: `strip.steps` images per model, or nothing. */
  function showStrip(strip) {
    state.strip = strip;
    el.stripBox.hidden = !strip;
    if (!strip) { el.stripText.textContent = ''; return; }
    const [w, h] = imageSize();
    const d = w * h;
    for (const m of models) {
      const row = $(`strip-${m.id}`);
      if (!row || !strip[m.id]) continue;
      if (row.children.length !== strip.steps) {
        row.replaceChildren(...Array.from({ length: strip.steps }, () => imageCanvas([], [w, h])));
      }
      [...row.children].forEach((c, t) => paintImage(c, strip[m.id].slice(t * d, t * d + d), imageSize()));
    }
    // The two inputs, under the first and the last image.
    const ends = Array.from({ length: strip.steps }, (_, t) => {
      if (t !== 0 && t !== strip.steps - 1) return document.createElement('span');
      return imageCanvas(strip.inputs[t === 0 ? 0 : 1], [w, h]);
    });
    el.stripInputs.replaceChildren(...ends);
    const name = (i) => (state.factor === 'class' ? className(strip.labels[i]) : `sample ${strip.ends[i]}`);
    el.stripText.textContent = `From sample ${strip.ends[0]} (${name(0)}) to sample ${strip.ends[1]} (${name(1)}), decoded at ${strip.steps} evenly spaced points of the straight line between their codes${root.querySelector('.stage').checkVisibility() ? ' (the black path in the views)' : ''}.`;
  }

  $('pair-same').addEventListener('click', () => sendTo(lead(), { type: 'randomPair', same: true }));
  $('pair-diff').addEventListener('click', () => sendTo(lead(), { type: 'randomPair', same: false }));
  $('pair-clear').addEventListener('click', () => { pinned = null; sendAll({ type: 'clearPair' }); });

  // --- The drawing (pad.js is the widget) ---------------------------------------------------

  // Each change of the drawing goes to every model, at most once a frame.
  let padQueued = false;
  const tearPanel = createTear(root, {
    models: () => models.filter((m) => !m.dead),
    send: (model, message) => sendTo(model, message),
    pause: () => { if (state.playing || advancing) pause(); },
  }, state);

  const pullPanel = createPull(root, {
    models: () => models.filter((m) => !m.dead),
    send: (model, message) => sendTo(model, message),
    lead: () => models[0],
    label: (m) => modelLabel(m.recipe, true),
    play: () => { if (!state.playing) play(); },
    showPair: (i, j) => showPair(i, j),
  }, state);

  const priorPanel = createPrior(root, {
    models: () => models.filter((m) => !m.dead),
    send: (model, message) => sendTo(model, message),
    imageSize: () => imageSize(),
  }, state);

  const pad = createPad(el.pad, root, () => {
    if (padQueued) return;
    padQueued = true;
    requestAnimationFrame(() => {
      padQueued = false;
      const empty = pad.values.every((v) => v === 0);
      sendAll({ type: 'drawing', pixels: empty ? null : Array.from(pad.values) });
    });
  }, imageSize());
  $('pad-clear').addEventListener('click', () => pad.set(null));

  // --- A visitor's own data (own.js gathers the files; every worker reads them) -------------

  let ownToken = 0;          // the latest load of one's own files; replies to older ones are dropped
  let onOwnLoaded = () => {};
  let ownStopped = null;     // ends the latest load if a model stops before it replies
  createOwnData(root, {
    pad,
    download,
    notify: (text) => showNotice(text, null),
    load(message) {
      return new Promise((resolve) => {
        const token = ++ownToken;
        ownStopped = () => resolve({ error: 'a model stopped while reading the files' });
        onOwnLoaded = gather((replies) => {
          ownStopped = null;
          resolve(ownTrained(replies));
        });
        sendAll({ type: 'own', token, ...message });
      });
    },
  });
  /** Every model's worker has read the files: train on them (or say why not). */
  function ownTrained(replies) {
    const failed = replies.find((r) => r.error);
    if (failed) return { error: failed.error };
    // A small set (twenty drawings) trains in the largest batch the menu offers that it fills.
    const { summary } = replies[0];
    const batch = state.params ? Number(state.params.batch) : 64;
    let smaller = null;
    if (batch > summary.samples) {
      const fits = [...el.batch.options].map((o) => Number(o.value)).filter((b) => b <= summary.samples);
      smaller = fits.length ? Math.max(...fits) : summary.samples;
      set('batch', smaller);
    }
    set('dataset', 'own');
    return { summary, batch: smaller };
  }
  $('pad-copy').addEventListener('click', () => {
    if (!state.inspected) { el.padText.textContent = 'Hover over a sample in the views first.'; return; }
    pad.set(state.inspected.input);
  });

  /** Every model's reading of the drawing, gathered under its id: shown once every model
   * has read it. */
  let readings = {};
  function onDrawing(model, reading) {
    if (reading) readings[model.id] = reading; else delete readings[model.id];
    paintImage($(`pad-${model.id}`), reading ? reading.recon : [], imageSize());
    // A model with free codes has no encoder: a drawn input has no code there.
    const coded = models.filter((m) => !isFree(m.recipe));
    const have = coded.filter((m) => readings[m.id]);
    const free = models.filter((m) => isFree(m.recipe)).map((m) => `${modelLabel(m.recipe, true)}: no code (free codes, no encoder: it can place only the inputs it trained on)`);
    if (!have.length) {
      state.drawing = null;
      el.padText.textContent = '';
      return;
    }
    if (have.length < coded.length) return;
    state.drawing = { ...Object.fromEntries(have.map((m) => [m.id, readings[m.id].recon])), readings: { ...readings } };
    el.padText.textContent = `${[...have.map((m) => `${modelLabel(m.recipe, true)}: ${codeText(readings[m.id])}`), ...free].join('. ')}.`;
  }

  // --- What a far or narrow posterior costs --------------------------------------------------

  /** KL(N(μ, σ²I) ‖ N(0, I)) in two dimensions for a mean at distance `d`, σ on each axis. */
  const klOf = (d, sigma) => 0.5 * (d * d + 2 * sigma * sigma - 2 - 2 * Math.log(sigma * sigma));
  function showKl() {
    const d = Number($('kl-d').value), sigma = Number($('kl-s').value);
    $('kl-out').textContent = Number.isFinite(d) && sigma > 0 && d >= 0 ? fmt(klOf(d, sigma), 1) : '–';
  }
  $('kl-d').addEventListener('input', showKl);
  $('kl-s').addEventListener('input', showKl);
  showKl();

  // --- Guided experiments ---------------------------------------------------------------------

  for (const button of root.querySelectorAll('[data-preset]')) {
    button.addEventListener('click', () => {
      const preset = PRESETS[button.dataset.preset];
      hideNotice();
      el.presetText.textContent = preset.text;
      if (preset.models && preset.models !== state.models.join(',')) {
        // Another lab: the settings first, then the list, which starts the new lab; it plays
        // once built.
        sendTo(models[0], { type: 'preset', settings: preset.settings, quiet: true });
        playWhenBuilt = preset.epochs || PRESET_EPOCHS;
        set('models', preset.models);
        return;
      }
      newRunAhead();
      sendAll({ type: 'preset', settings: preset.settings });
      trainEpochs(preset.epochs || PRESET_EPOCHS);
    });
  }

  /** A sentence on what the numbers on screen say now. */
  function explainLive() {
    lastExplain = performance.now();
    if (!state.stats) return;
    const parts = [];
    for (const m of models.filter((x) => x.stats.kind === 'vae')) {
      const s = m.stats;
      parts.push(`${modelLabel(m.recipe)} now: mean σ ${fmt(s.meanSigma)}; KL per dimension ${s.klPerDim.map((k) => fmt(k)).join(' and ')} nats; ${s.activeDims} of ${s.latent} dimensions active.`);
    }
    if (state.metrics) {
      const named = (f) => models.map((m) => `${modelLabel(m.recipe, true)} ${f(state.metrics[m.id])}`).join(', ');
      parts.push(`Continuity: ${named((x) => fmt(x.continuity, 3))}. Path-length ratio: ${named((x) => fmt(x.pathRatio))} (nearer 1 is smoother).`);
    }
    el.liveExplain.textContent = parts.join(' ');
  }

  // --- Notices -----------------------------------------------------------------------------

  let noticeAction = null;
  function showNotice(text, action, items = []) {
    state.notice = [text, ...items].join(' ');
    el.noticeText.textContent = text;
    el.noticeList.replaceChildren(...items.map((item) => {
      const li = document.createElement('li');
      li.textContent = item;   // text, never markup: a link's parameters cannot inject anything
      return li;
    }));
    noticeAction = action;
    el.noticeReset.hidden = action == null;
    el.notice.hidden = false;
  }
  function hideNotice() { el.notice.hidden = true; state.notice = null; }

  // --- URL parameters, embedding, sharing --------------------------------------------------

  /** Shows `value` in a select, adding an option for a value the list lacks (from a link). */
  function selectValue(select, value) {
    const text = String(value);
    let option = [...select.options].find((o) => o.value === text || (o.value !== '' && Number(o.value) === Number(value)));
    if (!option) {
      option = new Option(text, text);
      select.add(option);
    }
    select.value = option.value;
  }

  /** Renders the controls from the settings in force (the first worker's answer to every
   * change). */
  /** Settings that change a run as it goes: a change is marked on the chart at its step. */
  const MARKED = { beta: 'β', lr: 'lr', noise: 'noise', batch: 'batch' };

  function applyParams(v, notices, source) {
    const before = state.params;
    if (source === 'setting' && before && state.stats) {
      for (const [key, name] of Object.entries(MARKED)) {
        if (String(before[key]) !== String(v[key])) {
          state.marks.push({ step: state.stats.steps, text: `${name} ${before[key]} → ${v[key]}` });
          scheduleChart();
        }
      }
    }
    state.params = v;
    selectValue(el.dataset, v.dataset);
    el.beta.value = String(v.beta);
    el.betaValue.textContent = Number(v.beta).toFixed(2);
    selectValue(el.lr, v.lr);
    selectValue(el.noise, v.noise);
    selectValue(el.batch, v.batch);
    selectValue(el.speed, v.speed);
    selectValue(el.range, v.range);
    el.map.checked = v.map;
    // figure=…: that figure alone, without controls (and, like embed=1, without page chrome).
    const figure = v.figure === 'none' ? null : v.figure;
    rootEl.classList.toggle('embed', v.embed || Boolean(figure));
    rootEl.classList.toggle('figure', Boolean(figure));
    rootEl.classList.toggle('show-one', v.show !== 'both');
    rootEl.classList.toggle('lab-wide', models.length > 2);
    if (urlState) document.body.classList.toggle('embed', v.embed || Boolean(figure));
    for (const part of root.querySelectorAll('[data-figure]')) {
      part.classList.toggle('off-figure', Boolean(figure) && !part.dataset.figure.split(' ').includes(figure));
    }
    // show=…: everything about the other models goes (views, maps, readouts, chart lines,
    // reconstructions, strips, exports).
    for (const part of root.querySelectorAll('[data-model]')) part.hidden = !shown(part.dataset.model);
    if (before && before.show !== v.show) drawChart();
    el.caption.textContent = v.caption;
    el.caption.hidden = !v.caption;
    const tilesBefore = tilesShown();
    for (const part of root.querySelectorAll('[data-part]')) {
      part.hidden = v.hide.includes(part.dataset.part);
    }
    if (tilesShown() !== tilesBefore) sendAll({ type: 'tiles', on: tilesShown() });
    el.openFull.hidden = !v.embed;
    if (notices.length) {
      showNotice(source === 'link' ? 'Some settings in this link were not used as written:' : 'That setting was not used as written:', null, notices);
    }
    if (v.pair !== appliedPair) {
      appliedPair = v.pair;
      if (v.pair) {
        const [i, j] = v.pair.split(',').map(Number);
        pinned = null;
        state.pinned = null;
        sendAll({ type: 'pair', i, j, check: true });
      }
    }
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    // stop=N: a figure that holds still, the same for every reader: train to step N, then
    // hold (it is not an animation, so it happens whatever the motion preference). From a
    // weights file, once it is loaded.
    const start = () => {
      if (v.stop > 0) trainTo(v.stop);
      else if (v.autoplay && !still) play();
    };
    const weights = v.weights !== appliedWeights && v.weights;
    appliedWeights = v.weights;
    if (weights) loadWeightsFrom(weights).then(() => { if (source === 'link') start(); });
    else if (source === 'link') start();
  }
  let appliedPair = '', appliedWeights = '';

  /** Whether the model with this id is shown (show=both, or show= its id). */
  const shown = (id) => !state.params || state.params.show === 'both' || state.params.show === id;

  function writeQuery(q) {
    state.query = q;
    const url = new URL(urlState ? location.href : FULL_PAGE_URL);
    url.search = q ? `?${q}` : '';
    if (urlState) history.replaceState(null, '', url);
    state.link = url.href;
    const full = new URL(url);
    full.searchParams.delete('embed');
    full.searchParams.delete('hide');
    el.openFull.href = full.href;
  }

  el.copyLink.addEventListener('click', async () => {
    const link = state.link;
    state.copied = link;
    // The clipboard may refuse, or never answer (no focus, no permission): then show the link.
    const timeout = new Promise((resolve) => setTimeout(() => resolve(false), 1000));
    const copied = navigator.clipboard
      ? navigator.clipboard.writeText(link).then(() => true, () => false)
      : Promise.resolve(false);
    const ok = await Promise.race([copied, timeout]);
    el.shareStatus.textContent = ok ? 'Link copied.' : `Copy this link: ${link}`;
  });

  // --- Exports -----------------------------------------------------------------------------

  function download(name, data, mime) {
    const blob = data instanceof Blob ? data : new Blob([data], { type: mime });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
    state.lastDownload = name;
  }

  function lossesCsv() {
    // Each row: one model's means over the steps since its previous row, in nats per sample.
    const rows = ['model,step,loss,recon,kl'];
    for (const m of models) {
      for (const p of state.history[m.id] || []) rows.push([m.recipe, p.step, p.loss, p.recon, p.kl].join(','));
    }
    return `${rows.join('\n')}\n`;
  }

  /** Gathers one reply from every model, then calls `done` with them in the lab's order. */
  function gather(done) {
    const replies = {};
    return (model, reply) => {
      replies[model.id] = reply;
      if (models.every((m) => replies[m.id] !== undefined)) done(models.map((m) => replies[m.id]));
    };
  }
  let onCodes = () => {}, onView = () => {}, onLoaded = () => {};

  $('export-figure').addEventListener('click', () => {
    onView = gather(async (views) => {
      const withTicks = views.map((v, i) => ({ ...v, recipe: models[i].recipe, ticks: models[i].ticks || [] }));
      const first = views[0];
      const blob = await figure(withTicks, state.params, { factor: first.factor, palette: first.palette, pixels: first.legend, classes: classNames() });
      download('vae-playground-figure.png', blob);
    });
    sendAll({ type: 'view' });
  });
  $('export-codes').addEventListener('click', () => {
    onCodes = gather((replies) => download('vae-playground-codes.csv', replies[0].header + replies.map((r) => r.rows).join(''), 'text/csv'));
    sendAll({ type: 'exportCodes' });
  });
  $('export-losses').addEventListener('click', () => download('vae-playground-losses.csv', lossesCsv(), 'text/csv'));
  /** Every model takes what fits it of these weights files' texts; resolves once all have. */
  function loadWeightTexts(texts) {
    pause();
    return new Promise((resolve) => {
      onLoaded = gather((replies) => {
        const loaded = [...new Set(replies.flatMap((r) => r.models))];
        const rebuilt = replies.some((r) => r.rebuilt);
        el.shareStatus.textContent = loaded.length ? `Loaded the ${loaded.join(' and ')} weights${rebuilt ? ' (the page was rebuilt to their size)' : ''}.` : '';
        state.loaded = loaded;
        resolve(loaded);
      });
      sendAll({ type: 'loadWeights', texts });
    });
  }

  /** The largest weights file taken from the site (a model of 1024 hidden units is ~40 MB of
   * JSON; the files vae-train writes for the reference model are under 2 MB). */
  const MAX_WEIGHTS_BYTES = 64 * 1024 * 1024;

  /** weights=…: a weights file on this site, fetched and loaded; a notice if it cannot be. */
  async function loadWeightsFrom(path) {
    const url = new URL(path, document.baseURI);
    try {
      if (url.origin !== location.origin) throw new Error('it is not on this site');
      const response = await fetch(url);
      if (!response.ok) throw new Error(`the site answered ${response.status} ${response.statusText}`.trim());
      if (Number(response.headers.get('content-length')) > MAX_WEIGHTS_BYTES) throw new Error('it is larger than 64 MB');
      const text = await response.text();
      if (text.length > MAX_WEIGHTS_BYTES) throw new Error('it is larger than 64 MB');
      return await loadWeightTexts([text]);
    } catch (error) {
      showNotice(`The weights file ${path} was not loaded: ${error.message}. The run starts from its own seed instead.`, null);
      return [];
    }
  }

  const weightsInput = $('load-weights');
  weightsInput.addEventListener('change', async () => {
    const files = [...weightsInput.files];
    // Cleared at once, so that choosing the same file again loads it again.
    weightsInput.value = '';
    if (!files.length) return;
    loadWeightTexts(await Promise.all(files.map((f) => f.text())));
  });

  // --- Controls ----------------------------------------------------------------------------

  /** A command to every model that starts or stops training, numbered so that stale reports
   * are ignored. */
  function command(message) {
    commandSeq += 1;
    sendAll({ ...message, seq: commandSeq });
  }

  function play() {
    const live = models.filter((m) => !m.dead && m.stats);
    limitSent = (live.length ? Math.min(...live.map((m) => m.steps)) : 0) + LEAD;
    syncing = false;
    advancing = false;
    command({ type: 'play', limit: limitSent });
    setPlaying(true);
  }

  function pause() {
    syncing = true;
    advancing = false;
    command({ type: 'pause' });
    setPlaying(false);
  }

  function togglePlay() {
    if (state.playing || advancing) pause(); else play();
  }

  function reset() {
    hideNotice();
    syncing = false;
    advancing = false;
    if (noticeAction === 'restart' || models.some((m) => m.dead) || !models.length || !models[0].recipe) {
      noticeAction = null;
      const dead = models.filter((m) => m.dead);
      if (!models.length || !models[0].recipe || dead.length === models.length) { startLab(); setPlaying(false); return; }
      for (const m of dead) {
        state.history[m.id] = [];
        startWorker(m);
      }
    }
    newRunAhead();
    command({ type: 'reset' });
    setPlaying(false);
  }

  /** Every model starts a new run at step 0: known here at once, so that a step(n) right after
   * counts from 0 (the reports of the new run come a moment later). */
  function newRunAhead() {
    for (const m of models) { m.steps = 0; m.stuck = false; }
  }

  /** Every model to step `to`, then a pause. */
  function trainTo(to) {
    syncing = false;
    command({ type: 'advance', to });
    advancing = true;
    setPlaying(false);
  }

  /** A new run's first `epochs` epochs, then a pause (each worker knows its epoch's length). */
  function trainEpochs(epochs) {
    syncing = false;
    command({ type: 'advance', epochs });
    advancing = true;
    setPlaying(false);
  }

  /** `steps` more steps of every model, from the step of the furthest; then a pause. */
  function step(steps = 1) {
    const n = Number(steps);
    if (!Number.isInteger(n) || n < 1 || n > MAX_STEP_REQUEST) {
      showNotice(`That setting was not used: step takes a whole number of steps from 1 to ${MAX_STEP_REQUEST.toLocaleString('en')}, not ${String(steps).slice(0, 40)}.`, null);
      return;
    }
    syncing = false;
    const to = Math.max(0, ...models.filter((m) => !m.stuck).map((m) => m.steps)) + n;
    command({ type: 'advance', to });
    advancing = true;
    setPlaying(false);
  }

  el.play.addEventListener('click', togglePlay);
  el.step.addEventListener('click', () => step(1));
  el.reset.addEventListener('click', reset);
  el.noticeReset.addEventListener('click', reset);
  el.noticeClose.addEventListener('click', hideNotice);
  el.newSeed.addEventListener('click', () => {
    hideNotice();
    setPlaying(false);
    set('seed', crypto.getRandomValues(new Uint32Array(1))[0]);
  });

  // Every control goes through the one settings path (setting() in each worker, by Rust's
  // table of parameters); the controls are then rendered from the settings in force the first
  // worker sends back.
  function set(key, value) {
    const raw = value == null ? null : String(value);
    if (runKeys.includes(key)) {
      // A new run (or a new lab): a command, so that reports of the old run are ignored.
      setPlaying(false);
      if (key !== 'models') newRunAhead();
      command({ type: 'set', key, value: raw });
    } else {
      sendAll({ type: 'set', key, value: raw });
    }
  }
  el.beta.addEventListener('input', () => {
    el.betaValue.textContent = Number(el.beta.value).toFixed(2);
    set('beta', el.beta.value);
  });
  el.dataset.addEventListener('change', () => set('dataset', el.dataset.value));
  for (const key of ['lr', 'noise', 'batch', 'range', 'speed']) {
    el[key].addEventListener('change', () => set(key, el[key].value));
  }
  el.map.addEventListener('change', () => set('map', el.map.checked ? 1 : 0));

  const keyTarget = urlState ? document : host;
  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    // The component lives in a shadow root: the event's target is the host; the path's first
    // element is the control that has the focus.
    const t = event.composedPath()[0];
    const typing = t instanceof HTMLInputElement && t.type !== 'range' || t instanceof HTMLSelectElement
      || t instanceof HTMLTextAreaElement || (t instanceof HTMLElement && t.isContentEditable);
    if (typing) return;
    // On the page (url-state), the keys are the playground's only while the focus is inside
    // it or on nothing in particular (the body), never while the visitor is elsewhere.
    if (urlState) {
      const active = document.activeElement;
      if (active && active !== document.body && active !== document.documentElement && active !== host) return;
    }
    if (event.key === ' ' && !(t instanceof HTMLButtonElement)) { event.preventDefault(); togglePlay(); }
    else if (event.key === 's' || event.key === 'S') step();
    else if (event.key === 'r' || event.key === 'R') reset();
  }
  if (keyTarget) keyTarget.addEventListener('keydown', onKey);

  // For the tests: train exactly `steps` steps (then pause).
  state.trainSteps = (steps) => step(steps);

  // For the benchmark: train one model in a worker, without drawing; resolves to
  // { model, batch, steps, samplesPerSecond }.
  let benchDone = null;
  state.bench = (model, batch, steps, side = 8) => new Promise((resolve) => {
    benchDone = resolve;
    sendTo(lead(), { type: 'bench', model, batch, steps, side });
  });
  // For the benchmark: GFLOP/s of an (n, n) × (n, n) product in a worker, best of `reps`.
  state.peak = (n, reps) => new Promise((resolve) => {
    benchDone = (m) => resolve(m.peak);
    sendTo(lead(), { type: 'peak', n, reps });
  });

  // For the tests: make a model panic (the first, or the one at `slot`), to check that the
  // page reports it.
  state.debugPanic = (slot = 0) => sendTo(models[slot], { type: 'debugPanic' });
  // For the tests: resolves to whether a worker could fetch `url`.
  let fetchDone = null;
  state.debugFetch = (url) => new Promise((resolve) => { fetchDone = resolve; sendTo(lead(), { type: 'debugFetch', url }); });

  el.betaValue.textContent = Number(el.beta.value).toFixed(2);
  startLab();

  // In an iframe, the site's page tells its parent its height whenever that changes, so that
  // the parent can size the iframe to it (www/examples/resize.js does, for every iframe).
  let heightWatch = null;
  if (urlState && window.parent !== window) {
    let told = 0;
    const tell = () => {
      const height = Math.ceil(document.body.getBoundingClientRect().bottom + window.scrollY);
      if (height === told) return;
      told = height;
      state.toldHeight = height;
      window.parent.postMessage({ type: 'vae-playground:height', height }, '*');
    };
    heightWatch = new ResizeObserver(tell);
    heightWatch.observe(document.body);
  }

  return {
    state,
    get stats() { return publicStats(); },
    start() { if (!state.playing) play(); },
    pause() { if (state.playing || state.workerPlaying) pause(); },
    reset,
    step,
    /** Changes a setting as its control would: any URL parameter, by the same rules (a value
     *  out of bounds is clamped, a bad one refused, each with a notice); null restores its
     *  default. dataset, seed, hidden, activation and models start a new run. */
    set(name, value) { set(name, typeof value === 'boolean' ? Number(value) : value); },
    destroy() {
      for (const m of models) if (m.worker) m.worker.terminate();
      if (spare) spare.worker.terminate();
      models = [];
      if (keyTarget) keyTarget.removeEventListener('keydown', onKey);
      clearTimeout(readoutTimer);
      if (heightWatch) heightWatch.disconnect();
    },
  };
}

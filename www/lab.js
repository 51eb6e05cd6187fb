// The lab: one worker per model (lab-workers.js starts them, worker.js runs them), the messages
// between them and the page, the lockstep that keeps them at one step, and the commands that
// start and stop training. It holds no markup: what the workers report goes to the panels
// (panels.js) by message type.
import { modelId, modelLabel } from './template.js';
import { thin } from './chart.js';
import { compiledWasm, earlyWorker, newWorker } from './lab-workers.js';
import { REPORTS } from './lab-reports.js';
import { labStats } from './lab-stats.js';
import { PRESET_EPOCHS } from './presets.js';

/** How many steps a model may run ahead of the slowest of the lab. */
const LEAD = 128;
/** The most steps one step(n) may ask for. */
const MAX_STEP_REQUEST = 100000;

/**
 * The lab of `ctx` (`state`, `settings`, `notices`, `panels`, `emit`, `route`, `host`,
 * `dataLoader`). Its models, in the order of the `models` parameter, are
 * `{ recipe, id, slot, worker, ready, queued, stats, steps, playing, loss, sps, metrics, dead,
 * stuck, firstFrame }`.
 */
export class Lab {
  constructor(ctx) {
    this.ctx = ctx;
    this.state = ctx.state;
    this.models = [];
    /** Epochs the lab being built trains at once (a guided experiment with its own models),
     * or false. */
    this.playWhenBuilt = false;
    this.commandSeq = 0;   // play/pause commands sent; each worker echoes the last one it handled
    this.limitSent = 0;    // the lockstep limit last sent
    this.syncing = false;  // after a pause: bring every model to the same step
    this.advancing = false;   // a step(n) is running
    this.wasmModule = undefined;   // compiled once (by the page, or else by the first worker)
    this.spare = null;     // the second model's worker, started with the first
    /** While the lead worker reads the link: `{ worker, queued }`, what was sent meanwhile. */
    this.starting = null;
    /** Whether every model has reported (the lab's counters and settings are whole). */
    this.complete = false;
    /** Rust's bounds on a visitor's images (`ownLimits`), once a worker has loaded. */
    this.limits = null;
    /** A setting that starts a new run, sent and not yet answered: each model's step before
     * it (to go back to if it is refused) and a step(n) asked meanwhile. */
    this.runAnswer = null;
    /** Whether this run has passed its milestone (Train then goes on without pausing). */
    this.milestonePassed = false;
  }

  /** Whether the lab trains: playing, or running a step(n). */
  get moving() { return this.state.playing || this.advancing; }
  lead() { return this.models[0]; }
  byId(id) { return this.models.find((m) => m.id === id); }
  /** The models whose workers run. */
  working() { return this.models.filter((m) => !m.dead); }
  /** The models that train: running, and not stopped by a divergence. */
  live() { return this.models.filter((m) => !m.dead && !m.stuck); }
  /** The data's image size, [w, h], from the first model's stats. */
  imageSize() { return this.models[0] && this.models[0].stats ? this.models[0].stats.imageSize : [1, 1]; }

  // --- Workers ----------------------------------------------------------------------------------

  /** A model's worker; it loads the wasm when told to boot (at once if the module is known). */
  spawn({ boot = true } = {}) {
    const worker = earlyWorker() || newWorker();
    if (boot) worker.postMessage({ type: 'boot', module: this.wasmModule });
    return worker;
  }

  // Most labs have two models: the second model's worker starts with the first and boots as
  // soon as the wasm is compiled, while the first reads the link.
  startSpare() {
    const spare = { worker: this.spawn({ boot: false }), ready: false, booted: false };
    spare.worker.onmessage = (e) => { if (e.data.type === 'ready') spare.ready = true; };
    this.spare = spare;
  }
  bootSpare() {
    const { spare } = this;
    if (!spare || spare.booted || !this.wasmModule) return;
    spare.booted = true;
    spare.worker.postMessage({ type: 'boot', module: this.wasmModule });
  }

  /** Sends to one model; messages wait until its worker has its model (after a restart too). */
  sendTo(model, message, transfer) {
    if (!model || !model.worker) return;
    if (model.ready) model.worker.postMessage(message, transfer || []);
    else if (model.queued) model.queued.push([message, transfer || []]);
  }
  sendAll(message) {
    // Before the lab is built (an el.set as the page loads), it waits, and goes to every model
    // once they are made.
    if (this.starting) { this.starting.queued.push(message); return; }
    for (const m of this.models) this.sendTo(m, message);
  }

  /**
   * Starts the lab that the settings' query describes: the first model's worker reads the link
   * (Rust's table of parameters), then every model gets its worker, its canvas and its recipe.
   */
  start() {
    const { ctx } = this;
    for (const m of this.models) if (m.worker) m.worker.terminate();
    if (this.starting) this.starting.worker.terminate();
    this.models = [];
    this.runAnswer = null;
    Object.assign(this.state, { models: [], history: {}, marks: [], losses: {}, metrics: null, ready: false });
    this.runStarts();
    if (this.spare) this.spare.worker.terminate();
    this.startSpare();
    const first = this.spawn({ boot: false });
    compiledWasm().then((module) => {
      if (module) this.wasmModule = module;
      first.postMessage({ type: 'boot', module: this.wasmModule });
      this.bootSpare();
    });
    first.onmessage = (e) => {
      const m = e.data;
      if (m.type === 'ready') {
        this.wasmModule = m.module;
        this.limits = m.limits;
        first.postMessage({ type: 'params', search: ctx.settings.search() });
        this.bootSpare();
      } else if (m.type === 'params') this.build(first, m);
      else if (m.type === 'error') ctx.notices.show(`The playground could not start: ${m.message}`, 'restart');
    };
    first.onerror = (e) => ctx.notices.show(`The training worker stopped: ${e.message || 'unknown error'}.`, 'restart');
    // The lead worker reads the link; the lab has no model until it has.
    this.starting = { worker: first, queued: [] };
  }

  /** The lab for the list of recipes the link gave: each panel adds its markup, then every
   * model gets its worker. */
  build(first, m) {
    const { ctx } = this;
    ctx.settings.received(m);
    const list = m.values.models.split(',');
    const early = this.starting ? this.starting.queued : [];
    this.starting = null;
    this.models = list.map((recipe, slot) => ({
      recipe, id: modelId(recipe), slot, worker: null, ready: false, queued: [], stats: null,
      steps: 0, playing: false, loss: null, sps: null, metrics: null, dead: false, firstFrame: false,
    }));
    this.state.models = list;
    ctx.emit('onLab', this.models);
    for (const model of this.models) {
      ctx.emit('onModel', model);
      if (model.slot === 0) {
        model.worker = first;
        this.listen(model);
        this.init(model);
      } else if (model.slot === 1 && this.spare) {
        model.worker = this.spare.worker;
        this.listen(model);
        if (this.spare.ready) this.init(model);   // else its 'ready' comes to onMessage
        this.spare = null;
      } else {
        this.restart(model);
      }
    }
    if (this.spare) { this.spare.worker.terminate(); this.spare = null; }   // a lab of one model
    ctx.settings.apply(m.values, m.notices, 'link');
    for (const message of early) this.sendAll(message);
    if (this.playWhenBuilt) {
      const epochs = this.playWhenBuilt;
      this.playWhenBuilt = false;
      this.advance({ epochs });
    }
  }

  listen(model) {
    model.worker.onmessage = (e) => this.onMessage(model, e.data);
    model.worker.onerror = (e) => this.crashed(model, e.message || 'unknown error');
  }

  /** A new worker for `model` (a model beyond the first two, or one whose worker stopped). */
  restart(model) {
    model.worker = this.spawn();
    model.ready = false;
    this.listen(model);
  }

  /** Hands a model's worker its canvases and recipe; it builds the model and draws. */
  init(model) {
    const { canvas, tiles, tilesOn } = this.ctx.panels.views.handOver(model);
    model.worker.postMessage({
      type: 'init', member: model.slot, recipe: model.recipe, search: this.ctx.settings.search(),
      canvas, tiles, tilesOn, seq: this.commandSeq,
    }, [canvas, tiles]);
    model.ready = true;
    model.dead = false;
    for (const [message, transfer] of model.queued.splice(0)) model.worker.postMessage(message, transfer);
  }

  /** A model's worker stopped: say so; Reset restarts it (and starts every model again). */
  crashed(model, message) {
    model.dead = true;
    this.ctx.emit('onCrash', model);
    if (this.state.playing) this.pause();
    this.setPlaying(false);
    this.state.workerPlaying = false;
    this.ctx.notices.show(`Something went wrong inside the model ${modelLabel(model.recipe)}: ${message} Press Reset to start again.`, 'restart');
  }

  // --- Reports ----------------------------------------------------------------------------------

  /** What the lab itself does with a worker's report; then the panels get it. */
  onMessage(model, m) {
    const own = REPORTS[m.type];
    if (own) own(this, model, m);
    this.ctx.route(m.type, model, m);
    // The host hears of a step once the panels have shown it.
    if (m.type === 'stats' && this.complete && this.ctx.host) {
      this.ctx.host.dispatchEvent(new CustomEvent('step', { detail: this.publicStats() }));
    }
  }

  onStats(model, m) {
    const { state } = this;
    model.stats = m.stats;
    model.steps = m.stats.steps;
    if (m.seq === this.commandSeq) { model.playing = m.playing; model.reportedSeq = m.seq; }
    if (m.samplesPerSecond != null) model.sps = m.samplesPerSecond;
    if (m.frameMs && m.playing) model.frameMs = m.frameMs;
    model.framesDrawn = m.framesDrawn;
    if (!m.playing) model.sps = null;
    if (m.firstFrame) model.firstFrame = true;
    if (m.reset) this.newRun(model);
    if (m.seq === this.commandSeq && m.milestone) model.atMilestone = m.milestone;
    if (m.loss) {
      model.loss = m.loss;   // the last epoch's mean: a function of the step
      state.losses[model.id] = m.loss;
    }
    if (m.points && m.points.length) {
      // The chart's points: one at each epoch's end, whatever the timing of the reports
      // (thinned one point at a time, so that how they were grouped makes no difference).
      let history = state.history[model.id] || [];
      for (const point of m.points) { history.push(point); history = thin(history); }
      state.history[model.id] = history;
    }
    this.lockstep();
    this.sync();
    this.milestoneReached();
    // The lab is still moving while a model trains, or while a pause brings them to one step.
    const going = this.live();
    state.workerPlaying = going.some((x) => x.playing) || this.syncing || going.some((x) => x.steps !== going[0].steps);
    if (this.advancing && m.seq === this.commandSeq && !going.some((x) => x.playing || x.reportedSeq !== this.commandSeq)) this.advancing = false;
    this.showPlaying();
    const s = labStats(this.models, state.params || {});
    this.complete = Boolean(s);
    if (!s) return;
    state.stats = s;
    state.ready = true;
    const { models } = this;
    if (state.firstFrameMs == null && models.every((x) => x.firstFrame)) state.firstFrameMs = performance.now();
    const speeds = models.map((x) => x.sps);
    state.speeds = Object.fromEntries(models.map((x) => [x.id, x.sps]));
    state.frameMs = Object.fromEntries(models.map((x) => [x.id, x.frameMs || null]));
    state.workerFrames = Object.fromEntries(models.map((x) => [x.id, x.framesDrawn]));   // each view's frames so far
    state.samplesPerSecond = speeds.every((x) => x != null) ? Math.min(...speeds) : null;
  }

  /** A model started a new run: its losses and figures go; the panels hear of it. */
  newRun(model) {
    const { state } = this;
    model.stuck = false;
    model.loss = null;
    model.metrics = null;
    state.history[model.id] = [];
    state.marks = [];
    this.runStarts();
    delete state.losses[model.id];
    state.metrics = null;
    this.ctx.emit('onNewRun', model);
  }

  /** What `el.stats` and the `step` event give, the playground's one read API: the lab's
   * counters and settings, each model's losses under its id (`vae` and `ae` in the default
   * lab), whether it plays, the neighbourhood figures (`metrics`, null until computed) and a
   * tear's figures (`tear`, null without one). */
  publicStats() {
    const { state } = this;
    if (!state.stats) return null;
    return { ...state.stats, ...state.losses, playing: state.playing, metrics: state.metrics || null, tear: state.tear || null };
  }

  // --- Lockstep ---------------------------------------------------------------------------------

  /** While playing, no model runs more than LEAD steps ahead of the slowest. */
  lockstep() {
    if (!this.state.playing) return;
    const going = this.live();
    if (!going.length) return;
    const next = Math.min(...going.map((m) => m.steps)) + LEAD;
    if (next > this.limitSent) {
      this.limitSent = next;
      this.sendAll({ type: 'limit', limit: next });
    }
  }

  /** After a pause, every model comes to the step of the furthest. */
  sync() {
    const going = this.live();
    if (!this.syncing || going.some((m) => m.playing || m.reportedSeq !== this.commandSeq)) return;
    this.syncing = false;
    const to = Math.max(...going.map((m) => m.steps));
    for (const m of going) if (m.steps < to) this.sendTo(m, { type: 'advance', to, seq: this.commandSeq });
  }

  // --- Commands ---------------------------------------------------------------------------------

  /** A command to every model that starts or stops training, numbered so that stale reports
   * are ignored. */
  command(message) {
    this.commandSeq += 1;
    this.sendAll({ ...message, seq: this.commandSeq });
  }

  setPlaying(playing) {
    this.state.playing = playing;
    this.showPlaying();
  }
  /** The panels hear whether the lab trains. */
  showPlaying() { this.ctx.emit('onPlaying', this.moving); }

  /** Trains on; `speed`: the pace it goes at (the one in force unless a change is on its way). */
  play(speed = (this.state.params || {}).speed) {
    const going = this.models.filter((m) => !m.dead && m.stats);
    this.limitSent = (going.length ? Math.min(...going.map((m) => m.steps)) : 0) + LEAD;
    this.syncing = false;
    this.advancing = false;
    const milestone = this.milestoneAhead(speed);
    this.state.milestone = null;
    for (const m of going) m.atMilestone = null;
    this.command({ type: 'play', limit: this.limitSent, ...(milestone ? { milestone } : {}) });
    this.setPlaying(true);
  }

  /** At the lesson pace (`speed`), before this run has passed it: the epochs at whose end it
   * pauses once, the length the texts quote their figures at (PRESET_EPOCHS); else null. Each
   * worker finds the step (it knows its epoch's length). */
  milestoneAhead(speed) {
    return speed === 'lesson' && !this.milestonePassed ? PRESET_EPOCHS : null;
  }

  /** Every model paused at the milestone: the lab stands there, and the panels say so. */
  milestoneReached() {
    const going = this.live();
    if (!this.state.playing || !going.length || going.some((m) => m.playing || m.reportedSeq !== this.commandSeq || m.atMilestone == null)) return;
    this.state.milestone = going[0].atMilestone;
    this.milestonePassed = true;
    this.setPlaying(false);
    this.ctx.notices.announce(`Paused at step ${this.state.milestone}, the end of epoch ${PRESET_EPOCHS}, where the texts quote their figures. Train goes on.`);
  }

  pause() {
    this.syncing = true;
    this.advancing = false;
    this.command({ type: 'pause' });
    this.setPlaying(false);
  }

  togglePlay() {
    if (this.moving) this.pause(); else this.play();
  }

  reset() {
    const { models, ctx } = this;
    ctx.notices.hide();
    this.syncing = false;
    this.advancing = false;
    if (ctx.notices.action === 'restart' || models.some((m) => m.dead) || !models.length) {
      ctx.notices.action = null;
      const dead = models.filter((m) => m.dead);
      if (!models.length || dead.length === models.length) { this.start(); this.setPlaying(false); return; }
      for (const m of dead) {
        this.state.history[m.id] = [];
        this.restart(m);
      }
    }
    this.newRunAhead();
    this.command({ type: 'reset' });
    this.setPlaying(false);
  }

  /** Every model starts a new run at step 0: known here at once, so that a step(n) right after
   * counts from 0 (the reports of the new run come a moment later). */
  newRunAhead() {
    for (const m of this.models) { m.steps = 0; m.stuck = false; }
    this.runStarts();
  }

  /** A new run: its milestone is ahead of it. */
  runStarts() {
    this.milestonePassed = false;
    this.state.milestone = null;
  }

  /** Every model to step `to`, or through a new run's first `epochs` epochs (each worker knows
   * its epoch's length); then a pause. */
  advance(target) {
    this.syncing = false;
    this.command({ type: 'advance', ...target });
    this.advancing = true;
    this.setPlaying(false);
  }
  trainTo(to) { this.advance({ to }); }

  /** `steps` more steps of every model, from the step of the furthest; then a pause. Asked
   * while a new run's setting waits for its answer, it waits too: it counts from the new
   * run's step 0, or from where the old run stood if the setting is refused. */
  step(steps = 1) {
    const n = Number(steps);
    if (!Number.isInteger(n) || n < 1 || n > MAX_STEP_REQUEST) {
      this.ctx.notices.show(`That setting was not used: step takes a whole number of steps from 1 to ${MAX_STEP_REQUEST.toLocaleString('en')}, not ${String(steps).slice(0, 40)}.`, null);
      return;
    }
    if (this.runAnswer) {
      this.runAnswer.then = () => this.step(n);
      return;
    }
    this.trainTo(Math.max(0, ...this.models.filter((m) => !m.stuck).map((m) => m.steps)) + n);
  }

  /** Step's button and key: to the end of this epoch (every training sample once), or one
   * batch with Shift. */
  stepOnce(oneBatch) {
    if (this.runAnswer) { this.runAnswer.then = () => this.stepOnce(oneBatch); return; }
    const s = this.state.stats;
    if (oneBatch || !s) { this.step(1); return; }
    const at = Math.max(0, ...this.live().map((m) => m.steps));
    this.trainTo((Math.floor(at / s.batchesPerEpoch) + 1) * s.batchesPerEpoch);
  }

  /** A setting: one that starts a new run goes as a command, so that reports of the old run
   * are ignored; any other goes to every model as it is. */
  set(key, raw, newRun) {
    if (newRun) {
      this.setPlaying(false);
      if (key !== 'models') {
        this.runAnswer = { steps: this.models.map((m) => m.steps), then: null };
        this.newRunAhead();
      }
      this.command({ type: 'set', key, value: raw });
    } else {
      this.sendAll({ type: 'set', key, value: raw });
      // A new pace while playing: play again at it, so that the lesson's milestone comes or goes.
      if (key === 'speed' && this.state.playing) this.play(raw === 'lesson' ? 'lesson' : null);
    }
  }

  /** The lead worker refused a setting that would have started a new run: the run goes on
   * where it stood. */
  runRefused() {
    if (!this.runAnswer) return;
    this.runAnswer.steps.forEach((steps, i) => { if (this.models[i]) this.models[i].steps = steps; });
  }

  /** The lead worker answered the settings sent so far: a step(n) that waited goes now. */
  settingsAnswered() {
    const waiting = this.runAnswer && this.runAnswer.then;
    this.runAnswer = null;
    if (waiting) waiting();
  }

  /** Gathers one reply from every model (or every one of `from`), then calls `done` with them
   * in the lab's order. */
  gather(done, from = this.models) {
    const replies = {};
    return (model, reply) => {
      replies[model.id] = reply;
      if (from.every((m) => replies[m.id] !== undefined)) done(from.map((m) => replies[m.id]));
    };
  }

  destroy() {
    for (const m of this.models) if (m.worker) m.worker.terminate();
    if (this.starting) this.starting.worker.terminate();
    if (this.spare) this.spare.worker.terminate();
    this.models = [];
  }
}

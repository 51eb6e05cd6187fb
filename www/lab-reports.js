// What the lab itself does with a worker's report, by type (the panels then get it too):
// a worker ready, the settings in force read by the lead worker, a data set's file wanted,
// the counters, a step reached, a divergence, a refusal, a crash.
import { modelLabel } from './template.js';
import { FROM_WORKER, checkTypes } from './protocol.js';

/** The reports the lab itself acts on, by type (the panels get every report after it). */
export const REPORTS = {
  ready(lab, model) { lab.init(model); },
  params(lab, model, m) {
    if (model.slot !== 0) return;   // every worker reads the same table; the first answers
    const { settings } = lab.ctx;
    settings.received(m);
    if (m.values.models !== lab.state.models.join(',')) {
      // Another lab: new workers for the new list, from the settings in force.
      settings.apply(m.values, m.notices, 'lab');
      lab.start();
      return;
    }
    settings.apply(m.values, m.notices, m.source);
    lab.settingsAnswered();
  },
  needData(lab, model, m) {
    const { worker } = model;
    lab.ctx.dataLoader.load(m.file).then(
      (buffer) => { const copy = buffer.slice(0); worker.postMessage({ type: 'data', name: m.name, bytes: copy }, [copy]); },
      (e) => worker.postMessage({ type: 'data', name: m.name, error: e.message }));
  },
  stats(lab, model, m) { lab.onStats(model, m); },
  at(lab, model, m) { model.steps = m.steps; lab.lockstep(); },
  diverged(lab, model, m) {
    // This model stays where it was until a new run: the others no longer wait for it.
    model.stuck = true;
    if (lab.state.playing) lab.pause();
    lab.setPlaying(false);
    lab.ctx.notices.show(`${modelLabel(model.recipe)}: ${m.message}`, 'reset');
    if (lab.ctx.host) lab.ctx.host.dispatchEvent(new CustomEvent('diverge', { detail: { message: m.message, model: model.recipe } }));
  },
  settingError(lab, model, m) {
    const { notices } = lab.ctx;
    if (m.key === 'dataset') lab.ctx.dataLoader.forget();   // a file found unusable is fetched afresh next time
    if (model.slot === 0 && lab.ctx.settings.isRunKey(m.key)) lab.runRefused();
    // Every worker checks a setting, and a weights file, by the same rules, so the first
    // refusal speaks for all; a pull concerns one model, and is said for that model.
    if (m.key === 'pull') notices.show(`${modelLabel(model.recipe)}: ${m.message}`, null);
    else if (m.key === 'weights') {
      const text = `The weights were not loaded: ${m.message}`;
      if (lab.state.notice !== text) notices.show(text, null);
    } else if (model.slot === 0) notices.show(`That setting was not used: ${m.message}`, null);
  },
  error(lab, model, m) { lab.crashed(model, m.message); },
};
checkTypes(REPORTS, FROM_WORKER, 'the lab');

// A model's worker, the experiments on its model as trained: the plane torn, a pair pulled
// apart, samples from its prior.
import { w, schedule, post, refuse } from './worker-state.js';
import { draw, report } from './worker-frame.js';
import { postPull, stop, tearReport, endTear } from './worker-loop.js';

/** The experiments, by type (protocol.js). */
export const experimentHandlers = {
  // Tears the plane of the model as trained so far and retrains copies of its decoder with
  // and without the tear for `steps` steps, drawing the torn codes and reporting the price.
  // The page pauses training first; training again ends it.
  tear(m) {
    if (w.playing) stop();
    w.pg.startTear();
    w.tear = { total: m.steps, done: 0, running: true, lastReport: 0 };
    draw();
    report();
    tearReport();
    schedule();
  },
  untear() {
    endTear();
    draw();
    report();
  },
  // Holds a pair apart while training (a negative distance lets go), and says what it costs.
  pull(m) {
    try {
      w.pg.setPull(m.i, m.j, m.distance);
    } catch (e) {
      refuse('pull', e);
      return;
    }
    w.pulling = m.distance >= 0;
    if (w.pulling) postPull();
  },
  similarPair() { post({ type: 'similarPair', pair: Array.from(w.pg.similarPair()) }); },
  // Samples from this model's prior, decoded and scored (see crate/src/prior.rs).
  prior(m) {
    post({ type: 'prior', result: w.pg.samplePrior(m.n) });
    if (!w.playing) draw();
  },
};

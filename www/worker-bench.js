// A model's worker, for the benchmark and the tests: training and the matrix product timed
// without drawing, a panic on request, and whether a fetch is allowed.
import { BenchTrainer, MatmulBench } from './vae-playground.js';
import { w, post } from './worker-state.js';

/** The benchmark's and the tests' requests, by type (protocol.js). */
export const benchHandlers = {
  // Trains one model without drawing, for the benchmark: samples per second.
  bench(m) {
    const trainer = new BenchTrainer(m.model, m.batch, m.side || 8);
    trainer.run(20);   // warm up
    const t = performance.now();
    trainer.run(m.steps);
    const seconds = (performance.now() - t) / 1000;
    trainer.free();
    post({ type: 'bench', model: m.model, batch: m.batch, side: m.side || 8, steps: m.steps, samplesPerSecond: (m.steps * m.batch) / seconds });
  },
  // The peak of a large matrix product through the same kernel, for the benchmark.
  peak(m) {
    const bench = new MatmulBench(m.n);
    bench.run(2);   // warm up
    let best = Infinity;
    for (let i = 0; i < m.reps; i++) {
      const t = performance.now();
      bench.run(4);
      best = Math.min(best, (performance.now() - t) / 4);
    }
    bench.free();
    post({ type: 'bench', peak: (2 * m.n ** 3) / (best / 1000) / 1e9 });
  },
  debugPanic() { w.pg.debugPanic(); },
  // For the tests: whether this worker may fetch `url` (its own content-security policy, sent
  // with its script, forbids other origins).
  async debugFetch(m) {
    let allowed;
    try { await fetch(m.url); allowed = true; } catch { allowed = false; }
    post({ type: 'debugFetch', allowed });
  },
};

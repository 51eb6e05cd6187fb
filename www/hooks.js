// What the tests and the benchmark reach through `state` (the element's `state`, and
// window.vaePlayground on the site's page): train exactly n steps, time a model or the matrix
// product in a worker, make a model panic, ask whether a worker may fetch a URL. Nothing here
// feeds back into the models. A page has them only if VAE_PLAYGROUND_HOOKS is set before its
// scripts run (the tests' harness sets it), so that no other script of a page can reach them.
// A panel on the contract of panels.js.

/** Wires the hooks of `ctx` into `ctx.state`, on a page that asks for them. */
export function hooksPanel(ctx) {
  if (!globalThis.VAE_PLAYGROUND_HOOKS) return {};
  const { lab, state } = ctx;
  let benchDone = null, fetchDone = null;
  // Train exactly `steps` steps (then pause).
  state.trainSteps = (steps) => lab.step(steps);
  // Train one model in a worker, without drawing; resolves to
  // { model, batch, steps, samplesPerSecond }.
  state.bench = (model, batch, steps, side = 8) => new Promise((resolve) => {
    benchDone = resolve;
    lab.sendTo(lab.lead(), { type: 'bench', model, batch, steps, side });
  });
  // GFLOP/s of an (n, n) × (n, n) product in a worker, best of `reps`.
  state.peak = (n, reps) => new Promise((resolve) => {
    benchDone = (m) => resolve(m.peak);
    lab.sendTo(lab.lead(), { type: 'peak', n, reps });
  });
  // Make a model panic (the first, or the one at `slot`), to check that the page reports it.
  state.debugPanic = (slot = 0) => lab.sendTo(lab.models[slot], { type: 'debugPanic' });
  // Resolves to whether a worker could fetch `url`.
  state.debugFetch = (url) => new Promise((resolve) => { fetchDone = resolve; lab.sendTo(lab.lead(), { type: 'debugFetch', url }); });
  return {
    messages: {
      bench(model, m) { if (benchDone) { benchDone(m); benchDone = null; } },
      debugFetch(model, m) { if (fetchDone) { fetchDone(m.allowed); fetchDone = null; } },
    },
  };
}

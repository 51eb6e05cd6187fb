// The messages between the page and a model's worker, named once: what the page sends
// (TO_WORKER, each a handler of worker.js) and what a worker reports (FROM_WORKER, each taken by
// the lab, lab.js, or a panel's `messages`). The worker checks its handlers against this table
// when it starts, the page its panels' messages, and a test every `type:` either side writes.

/** What the page asks of a model's worker, by type. */
export const TO_WORKER = {
  boot: 'load the model\'s code (the compiled wasm, if the page has it)',
  params: 'read the link (the lead worker, before the lab is built)',
  init: 'build the model of a recipe and draw into the canvases handed over',
  data: 'the file of a data set the worker asked for, or why it could not be had',
  own: 'read a visitor\'s CSV file into the data set `own`, or wait for their images',
  ownImage: 'one of a visitor\'s images, decoded once by the page for every model',
  set: 'change one setting, by Rust\'s table',
  play: 'train on, within the lockstep limit (and pause at the end of `milestone` epochs, once)',
  limit: 'a new lockstep limit',
  pause: 'stop where it is',
  advance: 'train to a step (or through epochs of a new run), then stop',
  reset: 'a new run from the settings in force',
  tiles: 'draw the decoder map, or stop drawing it',
  pick: 'the sample and the latent point under a point of the view',
  highlight: 'outline a sample, or none',
  inspect: 'what this model makes of a sample and a latent point',
  pair: 'a walk between two samples',
  randomPair: 'pick two samples of the same class, or of two classes',
  clearPair: 'no walk',
  drawing: 'the drawing pad\'s pixels, to read',
  tear: 'tear the plane and retrain copies of the decoder',
  untear: 'end the tear',
  pull: 'hold a pair apart (a negative distance lets go)',
  similarPair: 'pick two similar inputs for the pull',
  prior: 'decode and score samples from the prior',
  exportCodes: 'every sample\'s code, as CSV rows',
  exportWeights: 'the model\'s weights, as vae-train writes them',
  view: 'the view as it is, for the figure',
  loadWeights: 'weights files\' texts, to load what fits',
  bench: 'time training without drawing (the benchmark)',
  peak: 'time a large matrix product (the benchmark)',
  debugPanic: 'panic inside the model (the tests)',
  debugFetch: 'whether the worker may fetch a URL (the tests)',
};

/** What a model's worker reports to the page, by type. */
export const FROM_WORKER = {
  ready: 'the model\'s code is loaded; the bounds on a visitor\'s images',
  params: 'the settings in force, the link that writes them, notices, and the table\'s lists (the keys that start a run, the figures)',
  needData: 'the file of a data set is wanted',
  ownLoaded: 'a visitor\'s files were read (a summary), or why not',
  stats: 'the counters, the losses since the last report, the speed',
  at: 'the step reached (the lockstep)',
  diverged: 'training diverged; the model stopped',
  settingError: 'a setting or request was refused; nothing changed',
  error: 'the model stopped (a panic): never used again',
  picked: 'the sample and the latent point under the pointer',
  inspection: 'what this model makes of a sample and a latent point',
  strip: 'the walk\'s decoded images, or none',
  randomPair: 'two samples picked for a walk',
  drawing: 'the model\'s reading of the drawing',
  legend: 'what the colours mean',
  metrics: 'trustworthiness, continuity, the path-length ratio',
  codes: 'every sample\'s code, as CSV rows',
  weights: 'the model\'s weights file',
  loaded: 'which weights were loaded',
  view: 'the view\'s pixels, for the figure',
  tear: 'the tear\'s figures so far, or its end',
  prior: 'samples from the prior, decoded and scored',
  pull: 'what holding the pair apart costs',
  similarPair: 'two similar inputs',
  bench: 'a benchmark\'s figure',
  debugFetch: 'whether the fetch was allowed',
};

/** Throws unless every key of `handlers` is a message type of `table` (named by `what`). */
export function checkTypes(handlers, table, what) {
  const unknown = Object.keys(handlers).filter((type) => !Object.hasOwn(table, type));
  if (unknown.length) throw new Error(`${what} handles message types the protocol does not name: ${unknown.join(', ')}`);
}

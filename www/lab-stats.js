// The lab's counters and settings as the page reads them (el.stats, the readouts): the
// settings in force, and each model's own figures.

/** The counters and settings of a lab of `models` (each with its last `stats` report) under
 * the settings in force `v`; null until every model has reported. */
export function labStats(models, v = {}) {
  if (!models.length || models.some((m) => !m.stats)) return null;
  const first = models[0].stats;
  const plain = (key) => (models.find((m) => !m.recipe.includes(`${key}=`)) || models[0]).stats[key];
  const { batchesPerEpoch, samples, trainingSamples, imageSize, reconFloor, seed, dataset, hidden, activation, lr, batch, map, range } = first;
  return {
    steps: Math.min(...models.map((m) => m.stats.steps)),
    epochs: Math.min(...models.map((m) => m.stats.epochs)),
    batchesPerEpoch, samples, trainingSamples, imageSize, reconFloor, seed, dataset, hidden, activation,
    beta: plain('beta'),
    noise: plain('noise'),
    lr, batch, map,
    fit: v.range === 'fit',
    range,
    models: Object.fromEntries(models.map((m) => [m.id, m.stats])),
  };
}

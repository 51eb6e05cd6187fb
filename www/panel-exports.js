// Exports and loads: the figure (every view side by side, PNG), the codes and the losses
// (CSV), each model's weights (vae-train's JSON), and weights files loaded from disk or from
// the site (weights=…).
import { escape, isFree, modelLabel } from './template.js';
import { figure } from './figure.js';

/** The largest weights file taken from the site (a model of 1024 hidden units is ~40 MB of
 * JSON; the files vae-train writes for the reference model are under 2 MB). */
const MAX_WEIGHTS_BYTES = 64 * 1024 * 1024;

/** A model's weights button (none that means anything for free codes: no encoder). */
function exportMarkup({ recipe, id }) {
  const short = escape(modelLabel(recipe, true));
  return isFree(recipe)
    ? `<button id="export-${id}" data-model="${id}" disabled title="A model with free codes has no encoder network: its weights file would not reproduce it">${short} weights</button>`
    : `<button id="export-${id}" data-model="${id}" title="This model's weights, in vae-train's format">${short} weights</button>`;
}

/** Wires the exports of `ctx`. A panel on the contract of panels.js; also `download(name,
 * data, mime)` and `loadWeightsFrom(path)`. */
export function exportsPanel(ctx) {
  const { $, lab, state } = ctx;
  let onCodes = () => {}, onView = () => {}, onLoaded = () => {};

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
    // Each row: one model's means over an epoch's batches, at the step it ended, in nats per
    // sample (the chart's points); then, if the run stands between two epochs' ends, the
    // readouts' means of the last epoch's batches at the step it stands at.
    const rows = ['model,step,loss,recon,kl'];
    for (const m of lab.models) {
      const points = state.history[m.id] || [];
      for (const p of points) rows.push([m.recipe, p.step, p.loss, p.recon, p.kl].join(','));
      const l = m.loss, at = m.stats && m.stats.steps;
      if (l && at && (!points.length || points[points.length - 1].step !== at)) rows.push([m.recipe, at, l.loss, l.recon, l.kl].join(','));
    }
    return `${rows.join('\n')}\n`;
  }

  /** Every model takes what fits it of these weights files' texts; resolves once all have.
   * The lead model reads them first: files it refuses (the same rules hold for every model)
   * are never parsed by the others, so a large bad file costs the page one parse. */
  function loadWeightTexts(texts) {
    lab.pause();
    return new Promise((resolve) => {
      const [lead, ...rest] = lab.models;
      const done = (replies) => {
        const loaded = [...new Set(replies.flatMap((r) => r.models))];
        const rebuilt = replies.some((r) => r.rebuilt);
        $('share-status').textContent = loaded.length ? `Loaded the ${loaded.join(' and ')} weights${rebuilt ? ' (the page was rebuilt to their size)' : ''}.` : '';
        state.loaded = loaded;
        resolve(loaded);
      };
      onLoaded = (model, first) => {
        if (model !== lead) return;
        if (first.refused || !rest.length) { done([first]); return; }
        onLoaded = lab.gather((replies) => done([first, ...replies]), rest);
        for (const m of rest) lab.sendTo(m, { type: 'loadWeights', texts });
      };
      lab.sendTo(lead, { type: 'loadWeights', texts });
    });
  }

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
      ctx.notices.show(`The weights file ${path} was not loaded: ${error.message}. The run starts from its own seed instead.`, null);
      return [];
    }
  }

  $('export-figure').addEventListener('click', () => {
    onView = lab.gather(async (views) => {
      const withTicks = views.map((v, i) => ({ ...v, recipe: lab.models[i].recipe, ticks: lab.models[i].ticks || [] }));
      const first = views[0];
      const blob = await figure(withTicks, state.params, { factor: first.factor, palette: first.palette, pixels: first.legend, classes: ctx.classNames() });
      download('vae-playground-figure.png', blob);
    });
    lab.sendAll({ type: 'view' });
  });
  $('export-codes').addEventListener('click', () => {
    onCodes = lab.gather((replies) => download('vae-playground-codes.csv', replies[0].header + replies.map((r) => r.rows).join(''), 'text/csv'));
    lab.sendAll({ type: 'exportCodes' });
  });
  $('export-losses').addEventListener('click', () => download('vae-playground-losses.csv', lossesCsv(), 'text/csv'));
  const weightsInput = $('load-weights');
  weightsInput.addEventListener('change', async () => {
    const files = [...weightsInput.files];
    // Cleared at once, so that choosing the same file again loads it again.
    weightsInput.value = '';
    if (!files.length) return;
    loadWeightTexts(await Promise.all(files.map((f) => f.text())));
  });

  return {
    download,
    loadWeightsFrom,
    onLab(models) {
      const box = $('export-models');
      box.innerHTML = models.map(exportMarkup).join('');
      for (const button of box.querySelectorAll('button')) {
        button.addEventListener('click', () => lab.sendTo(lab.byId(button.dataset.model), { type: 'exportWeights' }));
      }
    },
    messages: {
      codes(model, m) { onCodes(model, m); },
      view(model, m) { onView(model, m); },
      loaded(model, m) { onLoaded(model, m); },
      weights(model, m) { download(`vae-playground-${model.id}-weights.json`, m.text, 'application/json'); },
    },
  };
}

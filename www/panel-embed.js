// The Embed dialog: for the run as it stands and a figure chosen among those figure= takes
// (Rust's list, FIGURES, as the settings store received it), the code that puts it in another
// page: an iframe (with resize.js), a <vae-playground> element, and the link, each with its own
// Copy button (embed-code.js writes them); and a small preview of the iframe, made when the
// dialog opens and removed when it closes, so that no second run trains behind it. The single
// file has no site beside it to load from: there the dialog says so and gives the link alone.
import { embedCode } from './embed-code.js';
import { PRESET_EPOCHS } from './presets.js';
import { copyText } from './panel-share.js';

/** The site the code loads from: the folder of this module, element.js and examples/. */
const SITE = new URL('./', import.meta.url).href;

/** Whether this is the single file (standalone.mjs sets it), which has no site beside it. */
const singleFile = () => Boolean(globalThis.VAE_PLAYGROUND_SINGLE_FILE);

/** The dialog's code boxes: the key of embedCode's answer, its label, and what it is for. */
const SNIPPETS = [
  ['iframe', 'An iframe', 'resize.js sizes it to its content.', 4],
  ['element', 'An element', 'each element trains in its own worker, so several can share a page.', 3],
  ['link', 'The link', 'opens it on its own.', 2],
];

const snippetMarkup = ([key, label, help, rows]) => `
    <div class="embed-snippet" data-snippet="${key}">
      <div class="embed-snippet-head">
        <label for="embed-${key}"><strong>${label}</strong>: ${help}</label>
        <span class="embed-status" role="status" aria-live="polite"></span>
        <button data-copy="${key}">Copy the ${key}</button>
      </div>
      <textarea id="embed-${key}" class="embed-code" readonly rows="${rows}" spellcheck="false"></textarea>
      <p id="embed-${key}-notes" class="embed-notes" hidden></p>
    </div>`;

/** The dialog, made the first time it opens. */
const DIALOG = `<dialog id="embed-dialog" class="embed-dialog" aria-labelledby="embed-title" aria-describedby="embed-intro">
  <div class="embed-body">
    <div class="embed-head">
      <h2 id="embed-title">Embed this run</h2>
      <button id="embed-close" class="embed-close">Close</button>
    </div>
    <p id="embed-intro" class="embed-intro"></p>
    <div class="field embed-field"><label for="embed-figure">Show</label><select id="embed-figure"></select></div>
    <p id="embed-single" class="embed-single" hidden>This is the single-file playground: embedding needs the playground's site (its built <code>dist/</code> folder on a web server), whose <code>element.js</code> and <code>examples/resize.js</code> the code loads. Here is the link to this run; it opens this file with these settings.</p>
    ${SNIPPETS.map(snippetMarkup).join('')}
    <figure id="embed-preview" class="embed-preview"><figcaption>Preview of the iframe</figcaption></figure>
  </div>
</dialog>`;

/** Wires the Embed button of `ctx`. A panel on the contract of panels.js (onSettings, destroy). */
export function embedPanel(ctx) {
  const { $, root, state } = ctx;
  const button = $('embed-open');
  let dialog = null;

  /** Makes the dialog and wires its controls. */
  function make() {
    root.querySelector('.vae-root').insertAdjacentHTML('beforeend', DIALOG);
    dialog = $('embed-dialog');
    $('embed-close').addEventListener('click', () => dialog.close());
    // A click on the backdrop (outside the body, which fills the dialog) closes it too.
    dialog.addEventListener('click', (event) => { if (event.target === dialog) dialog.close(); });
    dialog.addEventListener('close', () => {
      $('embed-preview').querySelector('iframe')?.remove();
      button.focus();
    });
    $('embed-figure').addEventListener('change', () => show());
    for (const copy of dialog.querySelectorAll('[data-copy]')) {
      copy.addEventListener('click', () => copySnippet(copy.dataset.copy, copy.previousElementSibling));
    }
  }

  /** Copies one code box, and says so beside its button. */
  async function copySnippet(key, status) {
    const text = $(`embed-${key}`).value;
    state.copied = text;
    if (await copyText(text)) status.textContent = 'Copied.';
    else {
      $(`embed-${key}`).select();
      status.textContent = 'Selected: press Ctrl+C (⌘C on a Mac) to copy.';
    }
  }

  /** The figures to choose from, the one chosen kept. */
  function fillFigures() {
    const select = $('embed-figure');
    const chosen = select.value || 'none';
    const figures = ctx.settings.figures();
    select.innerHTML = (figures.length ? figures : ['none'])
      .map((f) => `<option value="${f}">${f === 'none' ? 'the whole playground' : `figure: ${f}`}</option>`).join('');
    select.value = figures.includes(chosen) ? chosen : 'none';
  }

  /** Writes the code for the run as it stands and the figure chosen, and the preview. */
  function show() {
    const figure = $('embed-figure').value;
    // A figure holds still where the run is, or, from step 0, at the end of the epochs the
    // texts quote (step 840 on the digits).
    const s = ctx.lab.publicStats();
    const step = s ? s.steps : 0;
    const at = step > 0 || !s ? step : PRESET_EPOCHS * s.batchesPerEpoch;
    const shown = embedCode(state.link, figure, at, SITE);
    const single = singleFile();
    const stop = step > 0 ? `step ${step}, where this run is now,` : `step ${at} (${PRESET_EPOCHS} epochs; this run is at step 0)`;
    $('embed-intro').textContent = (single
      ? 'Every setting of this run is in the link, the seed too, so it trains the same run, step for step'
      : 'Every setting of this run is in the code, the seed too, so the page it goes in trains the same run, step for step')
      + (figure === 'none' ? '.' : `: the figure trains to ${stop} and holds still there.`);
    $('embed-single').hidden = !single;
    for (const [key] of SNIPPETS) {
      const box = dialog.querySelector(`[data-snippet="${key}"]`);
      box.hidden = single && key !== 'link';
      $(`embed-${key}`).value = shown[key];
      box.querySelector('.embed-status').textContent = '';
    }
    const notes = $('embed-element-notes');
    notes.textContent = shown.notes.join(' ');
    notes.hidden = !shown.notes.length;
    $('embed-preview').hidden = single;
    if (!single) preview(shown.src);
  }

  /** The preview: a new iframe for a new link (changing an iframe's src would add to the
   * page's history), loaded when it comes into sight. */
  function preview(src) {
    const box = $('embed-preview');
    const old = box.querySelector('iframe');
    if (old && old.dataset.src === src) return;
    old?.remove();
    const frame = document.createElement('iframe');
    frame.title = 'Preview of the embedded playground';
    frame.loading = 'lazy';
    frame.dataset.src = src;
    frame.src = src;
    box.append(frame);
  }

  button.addEventListener('click', () => {
    if (!dialog) make();
    fillFigures();
    show();
    dialog.showModal();
    $('embed-figure').focus();
  });

  return {
    onSettings() { if (dialog?.open) show(); },
    destroy() { if (dialog?.open) dialog.close(); },
  };
}

// The playground component: its markup and `mount`, which wires one instance (its own
// worker, canvases, controls, readouts, chart and inspector) inside a root: a shadow root for
// the <vae-playground> element (element.js), which the site's page uses too. The model trains
// and draws in worker.js; this file only sends it the visitor's actions and shows what it
// reports, so the page stays responsive whatever the training speed.

/** The component's markup. Ids are unique within one root (each element has its own). */
export const TEMPLATE = `<div class="vae-root">
  <section class="controls" aria-label="Training controls">
    <div class="buttons">
      <button id="play" data-part="play" class="primary" aria-keyshortcuts="Space" title="Train or pause (space bar)">Train</button>
      <button id="step" data-part="step" aria-keyshortcuts="S" title="One batch (S)">Step</button>
      <button id="reset" data-part="reset" aria-keyshortcuts="R" title="Start again with the same seed (R)">Reset</button>
      <button id="new-seed" data-part="seed" title="Start again with a new seed">New seed</button>
    </div>
    <div class="field" data-part="dataset">
      <label for="dataset">Data</label>
      <select id="dataset">
        <option value="digits" selected>8×8 digits (1797)</option>
        <option value="bars">a bar at an angle (circle)</option>
        <option value="blobs">a blob at a position (square)</option>
      </select>
    </div>
    <div class="field field-beta" data-part="beta">
      <label for="beta">β, weight of the KL term <output id="beta-value" for="beta">1.00</output></label>
      <input id="beta" type="range" min="0" max="10" step="0.05" value="1" aria-describedby="beta-help">
      <small id="beta-help">0 turns the KL off; 1 is the VAE; above 1 is a β-VAE.</small>
    </div>
    <div class="field" data-part="lr">
      <label for="lr">Learning rate</label>
      <select id="lr">
        <option value="0.0001">0.0001</option>
        <option value="0.0003">0.0003</option>
        <option value="0.001" selected>0.001</option>
        <option value="0.003">0.003</option>
        <option value="0.01">0.01</option>
        <option value="0.03">0.03</option>
        <option value="0.1">0.1</option>
        <option value="1">1 (too high)</option>
        <option value="10">10 (far too high)</option>
      </select>
    </div>
    <div class="field" data-part="noise">
      <label for="noise">VAE code while training</label>
      <select id="noise">
        <option value="sample" selected>z = μ + σ·ε (sample)</option>
        <option value="mean">z = μ (noise off)</option>
      </select>
    </div>
    <div class="field" data-part="batch">
      <label for="batch">Batch size</label>
      <select id="batch">
        <option value="16">16</option>
        <option value="32">32</option>
        <option value="64" selected>64</option>
        <option value="128">128</option>
        <option value="256">256</option>
      </select>
    </div>
    <div class="field" data-part="speed">
      <label for="speed">Speed</label>
      <select id="speed">
        <option value="2">2 steps/s (slow motion)</option>
        <option value="10">10 steps/s</option>
        <option value="30">30 steps/s</option>
        <option value="100">100 steps/s</option>
        <option value="300">300 steps/s</option>
        <option value="max" selected>as fast as possible</option>
      </select>
    </div>
    <div class="field" data-part="range">
      <label for="range">Axes</label>
      <select id="range">
        <option value="2">−2 to 2</option>
        <option value="4" selected>−4 to 4</option>
        <option value="8">−8 to 8</option>
        <option value="16">−16 to 16</option>
        <option value="32">−32 to 32</option>
        <option value="64">−64 to 64</option>
        <option value="fit">fit to the codes</option>
      </select>
    </div>
    <div class="field field-check" data-part="map">
      <label for="map"><input id="map" type="checkbox" checked> Decoder map</label>
      <small>grey: what each decoder makes of the plane</small>
    </div>
    <div class="buttons share">
      <button id="copy-link" data-part="link" title="Copy a link that reproduces this run">Copy link</button>
      <a id="open-full" class="open-full" href="./" target="_blank" rel="noopener" hidden>Open the full playground ↗</a>
      <span id="share-status" class="share-status" role="status" aria-live="polite"></span>
    </div>
    <details class="export" data-part="export">
      <summary>Export / load</summary>
      <div class="buttons">
        <button id="export-figure" title="Both views side by side, with the settings, 1600×900">Figure (PNG)</button>
        <button id="export-codes" title="index,label,model,mu_0,mu_1,logvar_0,logvar_1 for every digit">Codes (CSV)</button>
        <button id="export-losses" title="The loss history">Losses (CSV)</button>
        <button id="export-vae" title="The VAE's weights, in vae-train's format">VAE weights</button>
        <button id="export-ae" title="The autoencoder's weights, in vae-train's format">AE weights</button>
        <label class="file-button">Load weights… <input id="load-weights" type="file" accept=".json,application/json" multiple></label>
      </div>
    </details>
  </section>

  <div id="notice" class="notice" role="alert" hidden>
    <div class="notice-body"><p id="notice-text"></p><ul id="notice-list"></ul></div>
    <button id="notice-reset">Reset</button>
    <button id="notice-close" aria-label="Dismiss this message">Dismiss</button>
  </div>

  <section class="stage">
    <div class="views">
      <figure class="view" data-view="vae">
        <figcaption><strong>VAE</strong>: each sample's posterior q(z|x), an ellipse of mean ± 1σ; grey circles: the prior N(0, I) at 1σ and 2σ</figcaption>
        <div class="plot">
          <div class="y-ticks" aria-hidden="true"></div>
          <canvas id="view-vae" width="400" height="400" role="img" tabindex="0" aria-label="VAE latent space" aria-describedby="view-keys"></canvas>
          <span class="key-cursor" aria-hidden="true" hidden></span>
          <div class="x-ticks" aria-hidden="true"></div>
          <span class="axis-name x">z₁</span><span class="axis-name y">z₂</span>
        </div>
        <p class="outside" id="outside-vae" aria-live="polite"></p>
      </figure>
      <figure class="view" data-view="ae">
        <figcaption><strong>Autoencoder</strong>: each sample's code z, a point</figcaption>
        <div class="plot">
          <div class="y-ticks" aria-hidden="true"></div>
          <canvas id="view-ae" width="400" height="400" role="img" tabindex="0" aria-label="Autoencoder latent space" aria-describedby="view-keys"></canvas>
          <span class="key-cursor" aria-hidden="true" hidden></span>
          <div class="x-ticks" aria-hidden="true"></div>
          <span class="axis-name x">z₁</span><span class="axis-name y">z₂</span>
        </div>
        <p class="outside" id="outside-ae" aria-live="polite"></p>
      </figure>
    </div>
    <p id="announce" class="visually-hidden" aria-live="polite"></p>
    <p id="view-keys" class="visually-hidden">Arrow keys move a cursor over the plane (with Shift, further): the inspector shows what both decoders make of that point and the nearest sample. Enter picks that sample for a walk between two samples.</p>
    <ul class="legend" aria-label="Colours: digit classes"></ul>
    <div class="map-legend" hidden><canvas id="map-legend" width="96" height="96" aria-hidden="true"></canvas><p id="map-legend-text"></p></div>
  </section>

  <aside class="side">
    <section class="readouts" data-part="readouts" aria-label="Training state">
      <h2>Training</h2>
      <dl>
        <dt>Step</dt><dd id="r-step">0</dd>
        <dt>Epoch</dt><dd id="r-epoch">0</dd>
        <dt>Samples/s, each model</dt><dd id="r-sps">–</dd>
      </dl>
      <h3>VAE <span class="unit">nats per sample</span></h3>
      <dl>
        <dt>Loss = recon. + β·KL</dt><dd id="r-vae-loss">–</dd>
        <dt>Reconstruction</dt><dd id="r-vae-recon">–</dd>
        <dt>KL to the prior</dt><dd id="r-vae-kl">–</dd>
        <dt>KL per dimension</dt><dd id="r-vae-kld">–</dd>
        <dt>Mean σ</dt><dd id="r-sigma">–</dd>
        <dt title="Latent dimensions along which the inputs' means vary (variance over the data above 0.01); a dimension pushed onto the prior carries nothing">Active dimensions</dt><dd id="r-active">–</dd>
        <dt title="Of each digit's 10 nearest neighbours in the latent plane, how many are also near in pixel space (1 = all)">Trustworthiness, k = 10</dt><dd id="r-vae-trust">–</dd>
        <dt title="Of each digit's 10 nearest neighbours in pixel space, how many stay near in the latent plane (1 = all): low means torn-apart neighbourhoods">Continuity, k = 10</dt><dd id="r-vae-cont">–</dd>
        <dt title="Along straight lines between the codes of 200 random pairs of samples: how far the decoded image travels, over how far apart its two ends are. 1 is a steady morph; more means detours through other shapes or nonsense">Path-length ratio</dt><dd id="r-vae-path">–</dd>
      </dl>
      <h3>Autoencoder <span class="unit">nats per sample</span></h3>
      <dl>
        <dt>Loss = reconstruction</dt><dd id="r-ae-loss">–</dd>
        <dt>Trustworthiness, k = 10</dt><dd id="r-ae-trust">–</dd>
        <dt>Continuity, k = 10</dt><dd id="r-ae-cont">–</dd>
        <dt>Path-length ratio</dt><dd id="r-ae-path">–</dd>
      </dl>
      <p id="metrics-step" class="metrics-step">Trustworthiness, continuity and path-length ratio: computed every 5 s while training, and after each pause.</p>
      <p id="summary" class="visually-hidden" aria-live="polite"></p>
    </section>
    <section class="inspector" data-part="inspector" aria-label="Inspect a sample">
      <h2>Inspect a sample</h2>
      <p id="inspect-hint">Hover over (or tap) the views: what both decoders make of that point, and the nearest sample.</p>
      <div id="decoded" hidden>
        <p class="decoded-title" id="decoded-title"></p>
        <div class="images">
          <figure><canvas id="img-dec-vae" width="8" height="8"></canvas><figcaption>VAE decoder</figcaption></figure>
          <figure><canvas id="img-dec-ae" width="8" height="8"></canvas><figcaption>AE decoder</figcaption></figure>
        </div>
      </div>
      <div class="images" id="inspect-images" hidden>
        <figure><canvas id="img-input" width="8" height="8"></canvas><figcaption>Input</figcaption></figure>
        <figure><canvas id="img-vae" width="8" height="8"></canvas><figcaption>VAE</figcaption></figure>
        <figure><canvas id="img-ae" width="8" height="8"></canvas><figcaption>AE</figcaption></figure>
      </div>
      <p id="inspect-text"></p>
    </section>
  </aside>

  <section class="chart-box" data-part="chart" aria-label="Losses over time">
    <h2>Losses over training <span class="unit">nats per sample</span></h2>
    <svg id="chart" viewBox="0 0 640 260" role="img" aria-label="Loss curves"></svg>
    <ul class="chart-legend">
      <li><span class="swatch line vae"></span>VAE reconstruction</li>
      <li><span class="swatch line ae"></span>AE reconstruction</li>
      <li><span class="swatch line kl"></span>VAE KL (lower panel)</li>
    </ul>
  </section>

  <div class="lab">
    <section class="presets" data-part="presets" aria-label="Guided experiments">
      <h2>Guided experiments</h2>
      <div class="buttons preset-buttons">
        <button data-preset="overlap">β = 1: overlap</button>
        <button data-preset="cheat">β = 0: the VAE cheats</button>
        <button data-preset="nonoise">Noise off, β = 1</button>
        <button data-preset="collapse">β = 8: posterior collapse</button>
      </div>
      <p id="preset-text" class="preset-text" aria-live="polite">Each button sets β and the noise, starts again from the same seed, and trains. Then read what happens below.</p>
      <h3>Why the VAE's plane comes out continuous</h3>
      <p>Both losses could be met by putting similar inputs far apart. The VAE does not, because of two pressures the autoencoder lacks. <strong>Sampling:</strong> the VAE rebuilds each input from a random point of its ellipse, so its decoder must give a sensible image everywhere in it. <strong>KL:</strong> each ellipse pays for being narrow or far from the centre, so ellipses stay wide (mean σ <span class="live" data-live="sigma">–</span>) and near the prior. Wide ellipses packed near the centre overlap, and where two inputs' ellipses overlap, the decoder must serve both: similar inputs end up sharing a neighbourhood.</p>
      <p><strong>What the numbers say.</strong> Trustworthiness and continuity ask whether neighbours stay neighbours, but only at the samples' own codes: both models' encoders are smooth functions, so both score about the same on these. The difference lies <em>between</em> the codes, where the autoencoder's decoder was never asked for anything. The path-length ratio walks there: how far the decoded image travels between two samples, over how different the two ends are (1 is a steady morph). Read it with the reconstruction: a collapsed VAE scores 1 by drawing the same blur everywhere.</p>
      <p id="live-explain" class="live-explain" aria-live="polite"></p>
    </section>

    <section class="interp" data-part="interpolate" aria-label="Interpolate between two samples">
      <h2>Walk between two samples</h2>
      <p class="hint">Click a sample in either view, then another; or pick a pair:</p>
      <div class="buttons">
        <button id="pair-same">Random pair, same class</button>
        <button id="pair-diff">Random pair, different classes</button>
        <button id="pair-clear">Clear</button>
      </div>
      <div class="strip-box" id="strip-box" hidden>
        <div class="strip-row"><span class="strip-name">VAE</span><div class="strip" id="strip-vae"></div></div>
        <div class="strip-row"><span class="strip-name">AE</span><div class="strip" id="strip-ae"></div></div>
        <div class="strip-row"><span class="strip-name">Inputs</span><div class="strip" id="strip-inputs"></div></div>
      </div>
      <p id="strip-text" class="hint" aria-live="polite"></p>
    </section>

    <section class="pad-box" data-part="pad" aria-label="Draw your own input">
      <h2>Draw an input</h2>
      <div class="pad-row">
        <canvas id="pad" width="160" height="160" tabindex="0" role="application" aria-roledescription="drawing pad" aria-label="Drawing pad, 8 by 8 pixels. Arrow keys move the cursor, Space or Enter inks or clears a pixel, Delete clears it." aria-describedby="pad-hint"></canvas>
        <div class="images">
          <figure><canvas id="pad-vae" width="8" height="8"></canvas><figcaption>VAE</figcaption></figure>
          <figure><canvas id="pad-ae" width="8" height="8"></canvas><figcaption>AE</figcaption></figure>
        </div>
      </div>
      <div class="buttons">
        <button id="pad-clear">Clear</button>
        <button id="pad-copy" title="Start from the sample last inspected">Copy the inspected sample</button>
      </div>
      <p id="pad-hint" class="hint">Draw with the mouse or a finger (or the keys). A red cross and ellipse mark where each model puts your drawing.</p>
      <p id="pad-text" class="hint" aria-live="polite"></p>
    </section>
  </div>

</div>`;

const WORKER_URL = new URL('./worker.js', import.meta.url);
const FULL_PAGE_URL = new URL('./index.html', import.meta.url);

/**
 * Wires the component inside `root` (a ShadowRoot or Document holding TEMPLATE).
 * `search`: the settings, as a URL query (from the page's URL or the element's attributes).
 * `urlState`: keep the page's URL in step and take the page's keys (the site's own page).
 * `host`: the element that receives `step` and `diverge` events and, without `urlState`,
 * the keys. Returns { state, start, pause, reset, set, destroy }.
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
    canvases: { vae: $('view-vae'), ae: $('view-ae') },
    outside: { vae: $('outside-vae'), ae: $('outside-ae') },
    chart: $('chart'), summary: $('summary'),
    inspectHint: $('inspect-hint'), inspectImages: $('inspect-images'), inspectText: $('inspect-text'),
    images: { input: $('img-input'), vae: $('img-vae'), ae: $('img-ae') },
    map: $('map'), decoded: $('decoded'), decodedTitle: $('decoded-title'),
    decodedImages: { vae: $('img-dec-vae'), ae: $('img-dec-ae') },
    presetText: $('preset-text'), liveExplain: $('live-explain'),
    stripBox: $('strip-box'), strips: { vae: $('strip-vae'), ae: $('strip-ae') }, stripInputs: $('strip-inputs'), stripText: $('strip-text'),
    pad: $('pad'), padImages: { vae: $('pad-vae'), ae: $('pad-ae') }, padText: $('pad-text'),
  };

  // What tests and the benchmark read. Nothing here feeds back into the model.
  const state = {
    stats: null, playing: false, workerPlaying: false, firstFrameMs: null, frames: 0, history: [],
    lastVae: null, lastAe: null, samplesPerSecond: null, notice: null, ready: false,
  };

  let worker = null;
  let palette = [];
  let commandSeq = 0;   // play/pause commands sent; the worker echoes the last one it handled

  // Messages wait until the worker has loaded its module and been handed its canvases, so that
  // nothing reaches a worker before its model exists (Reset then Train after a crash).
  let workerReady = false, queued = [];
  function send(message, transfer) {
    if (!worker) return;
    if (workerReady) worker.postMessage(message, transfer || []);
    else queued.push([message, transfer || []]);
  }

  // --- The worker --------------------------------------------------------------------------

  function startWorker() {
    // The single-file build supplies its own worker (a classic script from a blob: URL).
    worker = new Worker(globalThis.VAE_PLAYGROUND_WORKER_URL || WORKER_URL, { type: globalThis.VAE_PLAYGROUND_WORKER_TYPE || 'module' });
    worker.onmessage = (e) => onMessage(e.data);
    worker.onerror = (e) => showNotice(`The training worker stopped: ${e.message || 'unknown error'}.`, 'restart');
  }

  let canvasesSent = false;
  function onMessage(m) {
    switch (m.type) {
      case 'ready': {
        palette = m.palette;
        if (canvasesSent) {
          // A restarted worker cannot draw into canvases already handed over: swap in new ones.
          for (const side of ['vae', 'ae']) {
            const old = el.canvases[side];
            const fresh = old.cloneNode(false);
            old.replaceWith(fresh);
            el.canvases[side] = fresh;
            attachPointer(side);
          }
        }
        const vae = el.canvases.vae.transferControlToOffscreen();
        const ae = el.canvases.ae.transferControlToOffscreen();
        canvasesSent = true;
        // The worker reads the settings from the URL, by Rust's table of parameters.
        worker.postMessage({ type: 'init', search, canvases: { vae, ae } }, [vae, ae]);
        workerReady = true;
        for (const [message, transfer] of queued.splice(0)) worker.postMessage(message, transfer);
        break;
      }
      case 'params':
        applyParams(m.values, m.notices, m.source);
        writeQuery(m.query);
        // A new worker (after a crash) has not seen the drawing yet.
        if (pad.some((v) => v > 0) && !state.probe) sendPad();
        break;
      case 'stats': onStats(m); break;
      case 'diverged':
        state.workerPlaying = false;
        setPlaying(false);
        showNotice(m.message, 'reset');
        if (host) host.dispatchEvent(new CustomEvent('diverge', { detail: { message: m.message } }));
        break;
      case 'settingError':
        showNotice(`That setting was not used: ${m.message}`, null);
        break;
      case 'error':
        state.workerPlaying = false;
        setPlaying(false);
        showNotice(`Something went wrong inside the model: ${m.message} Press Reset to start again.`, 'restart');
        break;
      case 'inspect':
        showInspection(m.sample);
        showDecoded(m.decoded);
        if (announceNext && m.decoded) {
          announceNext = false;
          const at = `z = (${num(m.decoded.z[0])}, ${num(m.decoded.z[1])})`;
          announce(m.sample ? `${at}: ${el.inspectText.textContent}` : `${at}: no sample here.`);
        }
        break;
      case 'pin':
        if (m.index != null) state.pinned = m.index;
        el.stripText.textContent = m.index != null
          ? `First sample: ${m.index}. Pick a second one.`
          : `No sample there: pick an ellipse or a point.${state.pinned != null ? ` First sample: ${state.pinned}.` : ''}`;
        announce(el.stripText.textContent);
        break;
      case 'interpolation': showStrip(m.strip); break;
      case 'probe': showProbe(m.probe); break;
      case 'legend': showLegend(m); break;
      case 'metrics':
        state.metrics = m;
        $('r-vae-trust').textContent = m.vae.trustworthiness.toFixed(3);
        $('r-vae-cont').textContent = m.vae.continuity.toFixed(3);
        $('r-ae-trust').textContent = m.ae.trustworthiness.toFixed(3);
        $('r-ae-cont').textContent = m.ae.continuity.toFixed(3);
        $('r-vae-path').textContent = fmt(m.vae.smoothness);
        $('r-ae-path').textContent = fmt(m.ae.smoothness);
        $('metrics-step').textContent = `Trustworthiness, continuity and path-length ratio at step ${m.steps}; computed every 5 s while training, and after each pause.`;
        explainLive();
        break;
    case 'file': download(m.name, m.blob || m.text, m.mime); break;
    case 'loaded':
      el.shareStatus.textContent = `Loaded the ${m.models.join(' and ')} weights${m.rebuilt ? ' (the page was rebuilt to their size)' : ''}.`;
      state.loaded = m.models;
      break;
      case 'bench': if (benchDone) { benchDone(m); benchDone = null; } break;
      case 'debugFetch': if (fetchDone) { fetchDone(m.allowed); fetchDone = null; } break;
    }
  }

  function restartWorker() {
    if (worker) worker.terminate();
    workerReady = false;
    queued = [];
    commandSeq = 0;
    hideNotice();
    state.history = [];
    showStrip(null);
    startWorker();
  }

  // --- Readouts ----------------------------------------------------------------------------

  const fmt = (v, digits = 2) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(digits));
  let lastSummary = 0, lastExplain = 0;

  function onStats(m) {
    const s = m.stats;
    state.stats = s;
    state.ready = true;
    if (m.firstFrame && state.firstFrameMs == null) state.firstFrameMs = performance.now();
    if (m.reset) state.history = [];
    if (m.ticks) drawTicks(m.ticks, s.range);
    // A report sent before the worker saw our last play/pause must not undo it on screen.
    if (m.seq === commandSeq) {
      state.workerPlaying = m.playing;
      setPlaying(m.playing);
    }
    if (m.samplesPerSecond != null) state.samplesPerSecond = m.samplesPerSecond;
    if (!m.playing) state.samplesPerSecond = null;
    $('r-step').textContent = s.steps;
    $('r-epoch').textContent = s.epochs;
    $('r-sps').textContent = state.samplesPerSecond == null ? '–' : Math.round(state.samplesPerSecond).toLocaleString('en');
    if (m.vae) {
      state.lastVae = m.vae;
      state.lastAe = m.ae;
      state.history.push({ step: s.steps, vaeLoss: m.vae.loss, vaeRecon: m.vae.recon, vaeKl: m.vae.kl, aeRecon: m.ae.recon });
      thinHistory();
    }
    if (m.reset) {
      state.lastVae = null;
      state.lastAe = null;
      // The figures of the previous run no longer hold; new ones follow in a few seconds.
      state.metrics = null;
      for (const id of ['r-vae-trust', 'r-vae-cont', 'r-vae-path', 'r-ae-trust', 'r-ae-cont', 'r-ae-path']) $(id).textContent = '–';
      $('metrics-step').textContent = 'Trustworthiness, continuity and path-length ratio: computed every 5 s while training, and after each pause.';
    }
    const v = state.lastVae, a = state.lastAe;
    $('r-vae-loss').textContent = fmt(v && v.loss);
    $('r-vae-recon').textContent = fmt(v && v.recon);
    $('r-vae-kl').textContent = fmt(v && v.kl);
    $('r-ae-loss').textContent = fmt(a && a.loss);
    $('r-vae-kld').textContent = v ? s.klPerDim.map((k) => k.toFixed(2)).join(', ') : '–';
    $('r-sigma').textContent = fmt(s.meanSigma, 3);
    $('r-active').textContent = `${s.activeDims} of ${s.klPerDim.length}`;
    for (const span of root.querySelectorAll('[data-live="sigma"]')) span.textContent = fmt(s.meanSigma, 2);
    if (performance.now() - lastExplain > 1000 || !m.playing) explainLive();
    el.outside.vae.textContent = s.outsideVae ? `${s.outsideVae} of ${s.samples} posteriors lie outside these axes: widen them with "Axes", or choose "fit to the codes".` : '';
    el.outside.ae.textContent = s.outsideAe ? `${s.outsideAe} of ${s.samples} codes have left these axes: nothing pulls the autoencoder's codes towards the centre. Widen the axes, or choose "fit to the codes" to follow them.` : '';
    el.canvases.vae.setAttribute('aria-label', `VAE latent space at step ${s.steps}: ${s.samples} posterior ellipses, mean σ ${fmt(s.meanSigma, 2)}`);
    el.canvases.ae.setAttribute('aria-label', `Autoencoder latent space at step ${s.steps}: ${s.samples - s.outsideAe} of ${s.samples} codes inside the axes`);
    const now = performance.now();
    if (now - lastSummary > 3000 || !m.playing) {
      lastSummary = now;
      el.summary.textContent = `Step ${s.steps}. VAE loss ${fmt(v && v.loss)}, KL ${fmt(v && v.kl)}, mean sigma ${fmt(s.meanSigma)}. Autoencoder loss ${fmt(a && a.loss)}.`;
    }
    scheduleChart();
    if (host) host.dispatchEvent(new CustomEvent('step', { detail: { ...s, vae: state.lastVae, ae: state.lastAe, playing: state.playing } }));
  }

  function setPlaying(playing) {
    state.playing = playing;
    el.play.textContent = playing ? 'Pause' : 'Train';
    el.play.setAttribute('aria-pressed', String(playing));
  }

  function drawTicks(values, range) {
    for (const plot of root.querySelectorAll('.plot')) {
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
    }
  }

  const LEGEND_TEXT = {
    angle: 'Colour: the bar\'s angle, 0° to 180° (the same bar again), around the ring. A continuous latent space shows the colours in order, without jumps.',
    position: 'Colour: the blob\'s position, x to the right and y up, as on the square. A continuous latent space shows the colours in order, without jumps.',
  };

  /** Classes get swatches; a generated data set's factor gets its colour map, drawn by Rust. */
  function showLegend(m) {
    state.factor = m.factor;
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
    palette.forEach((colour, digit) => {
      const li = document.createElement('li');
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = colour;
      li.append(sw, `digit ${digit}`);
      list.append(li);
    });
  }

  // --- Loss chart (SVG) --------------------------------------------------------------------

  const MAX_POINTS = 600;
  function thinHistory() {
    const h = state.history;
    if (h.length <= MAX_POINTS) return;
    const out = [];
    for (let i = 0; i + 1 < h.length; i += 2) {
      const a = h[i], b = h[i + 1];
      const mean = (k) => (a[k] + b[k]) / 2;
    out.push({ step: b.step, vaeLoss: mean('vaeLoss'), vaeRecon: mean('vaeRecon'), vaeKl: mean('vaeKl'), aeRecon: mean('aeRecon') });
    }
    if (h.length % 2) out.push(h[h.length - 1]);
    state.history = out;
  }

  let chartQueued = false, lastChart = 0;
  function scheduleChart() {
    if (chartQueued) return;
    chartQueued = true;
    const wait = Math.max(0, 250 - (performance.now() - lastChart));
    setTimeout(() => requestAnimationFrame(() => { chartQueued = false; lastChart = performance.now(); drawChart(); }), wait);
  }

  function niceStep(span, target) {
    const raw = span / target;
    const p = 10 ** Math.floor(Math.log10(raw));
    const m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
  }

  const SVG = 'http://www.w3.org/2000/svg';
  function svg(name, attrs, text) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text != null) node.textContent = text;
    return node;
  }

  function drawChart() {
    const h = state.history.filter((p) => Number.isFinite(p.vaeRecon) && Number.isFinite(p.aeRecon));
    const W = 640, left = 44, right = 12;
    const panels = [
      { top: 10, height: 150, keys: [['aeRecon', 'ae'], ['vaeRecon', 'vae']], label: 'reconstruction' },
      { top: 185, height: 50, keys: [['vaeKl', 'kl']], label: 'KL', zero: true },
    ];
    const nodes = [];
    const maxStep = h.length ? Math.max(h[h.length - 1].step, 1) : 1;
    const x = (step) => left + (step / maxStep) * (W - left - right);
    for (const panel of panels) {
      const values = h.flatMap((p) => panel.keys.map(([k]) => p[k]));
      let lo = values.length ? Math.min(...values) : 0;
      let hi = values.length ? Math.max(...values) : 1;
      if (panel.zero) lo = 0;
      if (hi - lo < 1e-6) hi = lo + 1;
      const step = niceStep(hi - lo, panel.zero ? 2 : 4);
      lo = Math.floor(lo / step) * step;
      hi = Math.ceil(hi / step) * step;
      const y = (v) => panel.top + panel.height - ((v - lo) / (hi - lo)) * panel.height;
      for (let v = lo; v <= hi + step / 2; v += step) {
        nodes.push(svg('line', { class: 'grid', x1: left, x2: W - right, y1: y(v), y2: y(v) }));
        nodes.push(svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, Number(v.toPrecision(4)).toString()));
      }
      nodes.push(svg('line', { class: 'axis', x1: left, x2: left, y1: panel.top, y2: panel.top + panel.height }));
      nodes.push(svg('text', { x: W - right, y: panel.top + 11, 'text-anchor': 'end' }, panel.label));
      for (const [k, cls] of panel.keys) {
        if (!h.length) continue;
        const pts = h.map((p) => `${x(p.step).toFixed(1)},${y(p[k]).toFixed(1)}`).join(' ');
        nodes.push(svg('polyline', { class: `curve ${cls}`, points: pts }));
      }
    }
    const axisY = 245;
    nodes.push(svg('line', { class: 'axis', x1: left, x2: W - right, y1: axisY - 10, y2: axisY - 10 }));
    const xs = niceStep(maxStep, 6);
    for (let s = 0; s <= maxStep; s += xs) {
      nodes.push(svg('text', { x: x(s), y: axisY + 4, 'text-anchor': 'middle' }, String(s)));
    }
    nodes.push(svg('text', { x: W - right, y: axisY + 14, 'text-anchor': 'end' }, 'step'));
    el.chart.replaceChildren(...nodes);
    const last = h[h.length - 1];
    el.chart.setAttribute('aria-label', last
      ? `Loss curves up to step ${last.step}: VAE reconstruction ${last.vaeRecon.toFixed(1)}, autoencoder reconstruction ${last.aeRecon.toFixed(1)}, VAE KL ${last.vaeKl.toFixed(2)} nats per sample`
      : 'Loss curves: no training yet');
  }

  // --- Inspector ---------------------------------------------------------------------------

  function paintImage(canvas, values) {
    const c = canvas.getContext('2d');
    const img = c.createImageData(8, 8);
    values.forEach((v, i) => {
      const g = Math.round(255 * (1 - Math.min(1, Math.max(0, v))));
      img.data.set([g, g, g, 255], i * 4);
    });
    c.putImageData(img, 0, 0);
  }

  /** A new 8×8 canvas, showing `values` if given. */
  function imageCanvas(values) {
    const c = document.createElement('canvas');
    c.width = 8;
    c.height = 8;
    if (values) paintImage(c, values);
    return c;
  }

  function showInspection(sample) {
    state.hovered = sample || null;
    if (!sample) return;
    state.inspected = sample;
    el.inspectHint.hidden = true;
    el.inspectImages.hidden = false;
    paintImage(el.images.input, sample.input);
    paintImage(el.images.vae, sample.vae);
    paintImage(el.images.ae, sample.ae);
    const v = (a) => a.map((x) => x.toFixed(2).replace('-', '−')).join(', ');
    const what = state.factor === 'angle' ? `a bar at ${Math.round(sample.factors[0] * 180)}°`
      : state.factor === 'position' ? `a blob at (${(1.5 + 5 * sample.factors[0]).toFixed(1)}, ${(1.5 + 5 * sample.factors[1]).toFixed(1)})`
      : `a ${sample.label}`;
    el.inspectText.textContent = `Sample ${sample.index}, ${what}. VAE: μ = (${v(sample.vaeMu)}), σ = (${v(sample.vaeSigma)}). AE: z = (${v(sample.aeCode)}). Reconstructions decode the mean code.`;
  }

  let pickQueued = null;
  function attachPointer(side) {
    const canvas = el.canvases[side];
    const pick = (event) => {
      const r = canvas.getBoundingClientRect();
      const x = ((event.clientX - r.left) / r.width) * canvas.width;
      const y = ((event.clientY - r.top) / r.height) * canvas.height;
      if (!pickQueued) requestAnimationFrame(() => { send(pickQueued); pickQueued = null; });
      pickQueued = { type: 'pick', side, x, y };
    };
    canvas.addEventListener('pointermove', pick);
    canvas.addEventListener('pointerdown', pick);
    const walkShown = () => !root.querySelector('[data-part="interpolate"]').hidden;
    canvas.addEventListener('click', (event) => {
      if (!walkShown()) return;   // no walk panel (hidden by the author): clicks only inspect
      const r = canvas.getBoundingClientRect();
      send({ type: 'pin', side, x: ((event.clientX - r.left) / r.width) * canvas.width, y: ((event.clientY - r.top) / r.height) * canvas.height });
    });
    // The keyboard cursor follows the pointer, so that keys go on from where it clicked.
    canvas.addEventListener('pointerdown', (event) => {
      const r = canvas.getBoundingClientRect();
      keyCursor.x = ((event.clientX - r.left) / r.width) * canvas.width;
      keyCursor.y = ((event.clientY - r.top) / r.height) * canvas.height;
    });
    // Keyboard: a cursor over the plane, in canvas pixels, shared by both views.
    const marker = canvas.parentElement.querySelector('.key-cursor');
    const place = () => {
      marker.hidden = false;
      marker.style.left = `${canvas.offsetLeft + (keyCursor.x / canvas.width) * canvas.clientWidth}px`;
      marker.style.top = `${canvas.offsetTop + (keyCursor.y / canvas.height) * canvas.clientHeight}px`;
    };
    canvas.addEventListener('focus', () => {
      if (!canvas.matches(':focus-visible')) return;   // focused by a click: no keyboard cursor
      place();
      send({ type: 'pick', side, x: keyCursor.x, y: keyCursor.y });
    });
    canvas.addEventListener('blur', () => { marker.hidden = true; });
    canvas.addEventListener('keydown', (event) => {
      const step = event.shiftKey ? 40 : 8;
      const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (event.key in moves) {
        const [dx, dy] = moves[event.key];
        keyCursor.x = Math.min(canvas.width - 1, Math.max(0, keyCursor.x + dx));
        keyCursor.y = Math.min(canvas.height - 1, Math.max(0, keyCursor.y + dy));
        place();
        announceNext = true;
        send({ type: 'pick', side, x: keyCursor.x, y: keyCursor.y });
      } else if (event.key === 'Enter' && walkShown()) {
        send({ type: 'pin', side, x: keyCursor.x, y: keyCursor.y });
      } else {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
    });
  }
  const keyCursor = { x: 200, y: 200 };

  // --- Decoded points, interpolations, the drawing pad, presets ----------------------------

  const num = (x) => x.toFixed(2).replace('-', '−');

  // What the keyboard cursor finds, for screen readers (only after a key, never on hover).
  let announceNext = false, announceTimer = null;
  function announce(text) {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => { $('announce').textContent = text; }, 250);
  }

  function showDecoded(d) {
    if (!d) return;
    el.decoded.hidden = false;
    el.inspectHint.hidden = true;
    el.decodedTitle.textContent = `Decoded at z = (${num(d.z[0])}, ${num(d.z[1])}):`;
    paintImage(el.decodedImages.vae, d.vae);
    paintImage(el.decodedImages.ae, d.ae);
    state.decoded = d;
  }

  /** The interpolation strips: `strip.steps` images per model, or nothing. */
  function showStrip(strip) {
    state.strip = strip;
    state.pinned = null;
    el.stripBox.hidden = !strip;
    if (!strip) { el.stripText.textContent = ''; return; }
    for (const side of ['vae', 'ae']) {
      const row = el.strips[side];
      if (row.children.length !== strip.steps) {
        row.replaceChildren(...Array.from({ length: strip.steps }, () => imageCanvas(null)));
      }
      [...row.children].forEach((c, t) => paintImage(c, strip[side].slice(t * 64, t * 64 + 64)));
    }
    // The two inputs, under the first and the last image.
    const ends = Array.from({ length: strip.steps }, (_, t) => {
      if (t !== 0 && t !== strip.steps - 1) return document.createElement('span');
      return imageCanvas(strip.inputs[t === 0 ? 0 : 1]);
    });
    el.stripInputs.replaceChildren(...ends);
    const name = (i) => (state.factor === 'class' ? `a ${strip.labels[i]}` : `sample ${strip.ends[i]}`);
    el.stripText.textContent = `From sample ${strip.ends[0]} (${name(0)}) to sample ${strip.ends[1]} (${name(1)}), decoded at ${strip.steps} evenly spaced points of the straight line between their codes (the black path in the views).`;
  }

  // The pad: 64 ink values, row by row; a keyboard cursor.
  const pad = new Float32Array(64);
  let padCursor = 27, padQueued = false;
  function drawPad() {
    const c = el.pad.getContext('2d');
    const cell = el.pad.width / 8;
    for (let i = 0; i < 64; i++) {
      const g = Math.round(255 * (1 - pad[i]));
      c.fillStyle = `rgb(${g},${g},${g})`;
      c.fillRect((i % 8) * cell, Math.floor(i / 8) * cell, cell, cell);
    }
    c.strokeStyle = '#d9dce1';
    c.lineWidth = 1;
    for (let k = 1; k < 8; k++) {
      c.beginPath(); c.moveTo(k * cell + 0.5, 0); c.lineTo(k * cell + 0.5, el.pad.height); c.stroke();
      c.beginPath(); c.moveTo(0, k * cell + 0.5); c.lineTo(el.pad.width, k * cell + 0.5); c.stroke();
    }
    if (root.activeElement === el.pad) {
      c.strokeStyle = '#e01010';
      c.lineWidth = 2;
      c.strokeRect((padCursor % 8) * cell + 1, Math.floor(padCursor / 8) * cell + 1, cell - 2, cell - 2);
    }
  }
  function sendPad() {
    drawPad();
    if (padQueued) return;
    padQueued = true;
    requestAnimationFrame(() => {
      padQueued = false;
      const empty = pad.every((v) => v === 0);
      send({ type: 'probe', pixels: empty ? null : Array.from(pad) });
    });
  }
  function ink(cell, value) {
    pad[cell] = Math.max(pad[cell], value);
  }
  function brush(x, y) {
    const cx = Math.min(7, Math.max(0, Math.floor(x))), cy = Math.min(7, Math.max(0, Math.floor(y)));
    ink(cy * 8 + cx, 1);
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
      const nx = cx + dx, ny = cy + dy;
      if (nx >= 0 && nx < 8 && ny >= 0 && ny < 8) ink(ny * 8 + nx, 0.4);
    }
    sendPad();
  }
  function padPointer(event) {
    if (event.type === 'pointermove' && !event.buttons) return;
    event.preventDefault();
    const r = el.pad.getBoundingClientRect();
    brush(((event.clientX - r.left) / r.width) * 8, ((event.clientY - r.top) / r.height) * 8);
  }
  el.pad.addEventListener('pointerdown', (e) => { el.pad.setPointerCapture(e.pointerId); padPointer(e); });
  el.pad.addEventListener('pointermove', padPointer);
  el.pad.addEventListener('focus', drawPad);
  el.pad.addEventListener('blur', drawPad);
  el.pad.addEventListener('keydown', (event) => {
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -8, ArrowDown: 8 };
    if (event.key in moves) {
      const next = padCursor + moves[event.key];
      const sameRow = Math.abs(moves[event.key]) !== 1 || Math.floor(next / 8) === Math.floor(padCursor / 8);
      if (next >= 0 && next < 64 && sameRow) padCursor = next;
      drawPad();
    } else if (event.key === ' ' || event.key === 'Enter') {
      pad[padCursor] = pad[padCursor] >= 0.5 ? 0 : 1;
      sendPad();
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      pad[padCursor] = 0;
      sendPad();
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  });
  $('pad-clear').addEventListener('click', () => { pad.fill(0); sendPad(); });
  $('pad-copy').addEventListener('click', () => {
    if (!state.inspected) { el.padText.textContent = 'Hover over a sample in the views first.'; return; }
    pad.set(state.inspected.input);
    sendPad();
  });

  function showProbe(p) {
    state.probe = p || null;
    if (!p) {
      el.padText.textContent = '';
      for (const side of ['vae', 'ae']) paintImage(el.padImages[side], new Array(64).fill(0));
      return;
    }
    paintImage(el.padImages.vae, p.vae);
    paintImage(el.padImages.ae, p.ae);
    el.padText.textContent = `VAE: μ = (${p.vaeMu.map(num).join(', ')}), σ = (${p.vaeSigma.map(num).join(', ')}). AE: z = (${p.aeCode.map(num).join(', ')}).`;
  }

  // What each experiment shows. The figures quoted are vae-train's on the digits after 30
  // epochs, seeds 0 to 2 (README, "What the figures say"); the page shows the live ones.
  const PRESETS = {
    overlap: {
      settings: { beta: 1, noise: 'sample' },
      text: 'β = 1, noise on: the VAE as designed. The ellipses stay wide (mean σ well above 0) and overlap, while the autoencoder\'s points drift apart. Walk between two samples: the VAE\'s decoded image morphs more directly. Its path-length ratio settles near 1.2 on the digits, the autoencoder\'s near 1.5.',
    },
    cheat: {
      settings: { beta: 0, noise: 'sample' },
      text: 'β = 0: the KL term is off, so nothing pays for a narrow ellipse. The VAE shrinks σ (watch mean σ fall) until its samples are nearly its means: it cheats. Its codes sprawl like the autoencoder\'s, and its path-length ratio climbs to the autoencoder\'s, about 1.5.',
    },
    nonoise: {
      settings: { beta: 1, noise: 'mean' },
      text: 'Noise off (z = μ), β = 1: the decoder only ever sees the means. The KL then squeezes all the means into a small patch near 0 (the KL falls to about 0.2 nats) with σ near 1, so the ellipses cover each other completely, but the decoder never has to make sense of them: it becomes steep between the crowded means. The path-length ratio lands between the two models, about 1.2 to 1.3. The KL alone is not what makes the plane smooth; the sampling is.',
    },
    collapse: {
      settings: { beta: 8, noise: 'sample' },
      text: 'β = 8: the KL term dominates. Every ellipse sinks onto the prior, the KL per dimension falls to 0 (watch "Active dimensions" go to 0) and every reconstruction becomes the same blur: posterior collapse. The path-length ratio is 1 only because the decoder draws the same image everywhere, and trustworthiness falls (to about 0.65), because neighbours in the plane are no longer similar inputs.',
    },
  };
  for (const button of root.querySelectorAll('[data-preset]')) {
    button.addEventListener('click', () => {
      const preset = PRESETS[button.dataset.preset];
      hideNotice();
      el.presetText.textContent = preset.text;
      command({ type: 'preset', settings: preset.settings });
      setPlaying(true);
    });
  }

  /** A sentence on what the numbers on screen say now. */
  function explainLive() {
    lastExplain = performance.now();
    const s = state.stats, m = state.metrics;
    if (!s) return;
    const parts = [`Now: mean σ ${fmt(s.meanSigma)}; KL per dimension ${s.klPerDim.map((k) => fmt(k)).join(' and ')} nats; ${s.activeDims} of ${s.klPerDim.length} dimensions active.`];
    if (m) {
      const better = (a, b) => (a > b ? 'higher' : a < b ? 'lower' : 'the same');
      parts.push(`Continuity: VAE ${fmt(m.vae.continuity, 3)}, AE ${fmt(m.ae.continuity, 3)} (the VAE's is ${better(m.vae.continuity, m.ae.continuity)}). Path-length ratio: VAE ${fmt(m.vae.smoothness)}, AE ${fmt(m.ae.smoothness)} (nearer 1 is smoother).`);
    }
    el.liveExplain.textContent = parts.join(' ');
  }

  $('pair-same').addEventListener('click', () => send({ type: 'randomPair', same: true }));
  $('pair-diff').addEventListener('click', () => send({ type: 'randomPair', same: false }));
  $('pair-clear').addEventListener('click', () => send({ type: 'clearPair' }));

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

  /** Renders the controls from the settings in force (the worker's answer to every change). */
  function applyParams(v, notices, source) {
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
    rootEl.classList.toggle('embed', v.embed);
    rootEl.classList.toggle('show-one', v.show !== 'both');
    if (urlState) document.body.classList.toggle('embed', v.embed);
    for (const figure of root.querySelectorAll('[data-view]')) {
      figure.hidden = v.show !== 'both' && v.show !== figure.dataset.view;
    }
    for (const part of root.querySelectorAll('[data-part]')) {
      part.hidden = v.hide.includes(part.dataset.part);
    }
    el.openFull.hidden = !v.embed;
    if (notices.length) {
      showNotice(source === 'link' ? 'Some settings in this link were not used as written:' : 'That setting was not used as written:', null, notices);
    }
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (source === 'link' && v.autoplay && !still) { command({ type: 'play' }); setPlaying(true); }
  }

  function writeQuery(query) {
    state.query = query;
    search = query ? `?${query}` : '';
    const url = new URL(urlState ? location.href : FULL_PAGE_URL);
    url.search = search;
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
    // Each row: the means over the steps since the previous row, in nats per sample.
    const rows = ['step,vae_loss,vae_recon,vae_kl,ae_loss'];
    for (const p of state.history) rows.push([p.step, p.vaeLoss, p.vaeRecon, p.vaeKl, p.aeRecon].join(','));
    return `${rows.join('\n')}\n`;
  }

  $('export-figure').addEventListener('click', () => send({ type: 'figure' }));
  $('export-codes').addEventListener('click', () => send({ type: 'exportCodes' }));
  $('export-losses').addEventListener('click', () => download('vae-playground-losses.csv', lossesCsv(), 'text/csv'));
  $('export-vae').addEventListener('click', () => send({ type: 'exportWeights', model: 'vae' }));
  $('export-ae').addEventListener('click', () => send({ type: 'exportWeights', model: 'ae' }));
  const weightsInput = $('load-weights');
  weightsInput.addEventListener('change', async () => {
    const files = [...weightsInput.files];
    // Cleared at once, so that choosing the same file again loads it again.
    weightsInput.value = '';
    if (!files.length) return;
    const texts = await Promise.all(files.map((f) => f.text()));
    setPlaying(false);
    command({ type: 'loadWeights', texts });
  });

  // --- Controls ----------------------------------------------------------------------------

  /** Sends a command that starts or stops training, numbered so that stale reports are ignored. */
  function command(message) {
    commandSeq += 1;
    send({ ...message, seq: commandSeq });
  }

  function togglePlay() {
    command({ type: state.playing ? 'pause' : 'play' });
    setPlaying(!state.playing);
  }

  function reset() {
    hideNotice();
    if (noticeAction === 'restart') { noticeAction = null; restartWorker(); return; }
    command({ type: 'reset' });
    setPlaying(false);
  }

  el.play.addEventListener('click', togglePlay);
  el.step.addEventListener('click', () => step(1));
  el.reset.addEventListener('click', reset);
  el.noticeReset.addEventListener('click', reset);
  el.noticeClose.addEventListener('click', hideNotice);
  el.newSeed.addEventListener('click', () => { hideNotice(); command({ type: 'newSeed' }); setPlaying(false); });
  // Every control goes through the one settings path (setting() in the worker, by Rust's table
  // of parameters); the controls are then rendered from the settings in force it sends back.
  function set(key, value) {
    if (key === 'dataset') setPlaying(false);
    const raw = value == null ? null : String(value);
    if (key === 'dataset') command({ type: 'set', key, value: raw });
    else send({ type: 'set', key, value: raw });
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

  function step(steps = 1) { command({ type: 'step', steps }); setPlaying(false); }

  // For the tests: train exactly `steps` steps (then pause).
  state.trainSteps = (steps) => step(steps);

  // For the benchmark: train one model in the worker, without drawing; resolves to
  // { model, batch, steps, samplesPerSecond }.
  let benchDone = null;
  state.bench = (model, batch, steps) => new Promise((resolve) => {
    benchDone = resolve;
    send({ type: 'bench', model, batch, steps });
  });

  // For the tests: make the model panic, to check that the page reports it.
  state.debugPanic = () => send({ type: 'debugPanic' });
  // For the tests: resolves to whether the worker could fetch `url`.
  let fetchDone = null;
  state.debugFetch = (url) => new Promise((resolve) => { fetchDone = resolve; send({ type: 'debugFetch', url }); });

  // Main-thread frame counter: the benchmark reads it to check that training never blocks the page.
  let frameLoop = requestAnimationFrame(function countFrames() { state.frames += 1; frameLoop = requestAnimationFrame(countFrames); });

  attachPointer('vae');
  attachPointer('ae');
  drawPad();
  el.betaValue.textContent = Number(el.beta.value).toFixed(2);
  drawChart();
  startWorker();

  return {
    state,
    start() { if (!state.playing) togglePlay(); },
    pause() { if (state.playing) togglePlay(); },
    reset,
    step,
    /** Changes a setting as its control would: any URL parameter, by the same rules (a value
     *  out of bounds is clamped, a bad one refused, each with a notice); null restores its
     *  default. dataset, seed, hidden and activation start a new run. */
    set(name, value) { set(name, typeof value === 'boolean' ? Number(value) : value); },
    destroy() {
      if (worker) worker.terminate();
      worker = null;
      if (keyTarget) keyTarget.removeEventListener('keydown', onKey);
      cancelAnimationFrame(frameLoop);
    },
  };
}

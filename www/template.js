// The component's markup: the parts every playground has (TEMPLATE), and the parts each model
// of the lab adds (modelParts), generated from the lab's list of recipes. Ids are unique
// within one root (each element has its own); a model's parts carry its id (modelId).

/** When the neighbourhood figures are computed (each worker computes them when 5 s have passed
 * while training, or from 3.5 s on if it is waiting for the other models then). */
export const METRICS_WHEN = 'about every 5 s while training, and after each pause';

/** The component's markup. Ids are unique within one root (each element has its own). */
export const TEMPLATE = `<div class="vae-root">
  <section class="trainbar" data-figure="" aria-label="Train">
    <div class="buttons">
      <button id="play" data-part="play" class="primary" aria-keyshortcuts="Space" title="Train or pause (space bar)">Train</button>
      <button id="step" data-part="step" aria-keyshortcuts="S Shift+S" title="One epoch: every training sample once (S); one batch with Shift (Shift+S)">Step</button>
      <button id="reset" data-part="reset" aria-keyshortcuts="R" title="Start again with the same seed (R)">Reset</button>
    </div>
    <div class="field field-beta" data-part="beta">
      <label for="beta">β, weight of the KL term <output id="beta-value" for="beta">1.00</output></label>
      <input id="beta" type="range" min="0" max="10" step="0.05" value="1" aria-describedby="beta-help">
      <small id="beta-help">0 turns the KL off; 1 is the VAE; above 1 is a β-VAE.</small>
    </div>
    <div class="buttons share">
      <button id="tour-start" class="tour-start" title="A short tour of the page, one part at a time">Tour</button>
      <button id="copy-link" data-part="link" title="Copy a link that reproduces this run">Copy link</button>
      <button id="embed-open" data-part="embed" aria-haspopup="dialog" title="Code that puts this run, or one of its figures, in another page">Embed</button>
      <span id="share-status" class="share-status" role="status" aria-live="polite"></span>
    </div>
    <p class="clock" data-part="readouts" aria-label="Training progress"><span><span data-term="step">Step</span> <b id="c-step">0</b></span> <span><span data-term="epoch">Epoch</span> <b id="c-epoch">0</b></span></p>
  </section>

  <section class="controls" data-figure="" aria-label="Settings">
    <div class="field" data-part="dataset">
      <label for="dataset">Data</label>
      <select id="dataset">
        <option value="digits" selected>8×8 digits (1797)</option>
        <option value="bars">a bar at an angle (circle)</option>
        <option value="blobs">a blob at a position (square)</option>
        <option value="mnist">MNIST digits, 28×28</option>
        <option value="fashion">Fashion-MNIST, 28×28</option>
        <option value="own" disabled>your own data (below)</option>
      </select>
      <div id="data-progress" class="data-progress" role="status" hidden><progress max="1" value="0"></progress> <span></span></div>
    </div>
    <div class="field" data-part="noise">
      <label for="noise" title="The VAE's code while training: a sample of its posterior, or its mean">Noise</label>
      <select id="noise">
        <option value="sample" selected>on: z = μ + σ·ε</option>
        <option value="mean">off: z = μ</option>
      </select>
    </div>
    <div class="field" data-part="speed">
      <label for="speed">Pace</label>
      <select id="speed">
        <option value="lesson" selected>lesson: an epoch a second</option>
        <option value="2">2 steps/s (slow motion)</option>
        <option value="10">10 steps/s</option>
        <option value="30">30 steps/s</option>
        <option value="100">100 steps/s</option>
        <option value="300">300 steps/s</option>
        <option value="max">as fast as possible</option>
      </select>
    </div>
    <details class="more" id="more">
      <summary>More settings</summary>
      <div class="more-body">
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
        <div class="field" data-part="range">
          <label for="range">Axes</label>
          <select id="range">
            <option value="fit" selected>each fits its codes</option>
            <option value="2">all −2 to 2</option>
            <option value="4">all −4 to 4</option>
            <option value="8">all −8 to 8</option>
            <option value="16">all −16 to 16</option>
            <option value="32">all −32 to 32</option>
            <option value="64">all −64 to 64</option>
          </select>
        </div>
        <div class="field field-check" data-part="map">
          <label for="map" title="In grey under the codes: what each decoder makes of every point of its plane (the panel of decoder maps shows it in full)"><input id="map" type="checkbox"> Map under the codes</label>
        </div>
        <button id="new-seed" data-part="seed" title="Start again with a new seed">New seed</button>
      </div>
    </details>
    <details class="own" data-part="own" id="own">
      <summary>Your own data</summary>
      <div class="own-body">
        <p class="own-privacy"><strong>Your files stay in this browser:</strong> they are read here and sent nowhere, and a link to this page cannot carry them.</p>
        <div id="own-drop" class="own-drop" tabindex="0" role="group" aria-label="Drop a CSV file or images here">
          <span>Drop a CSV file, images, or a folder of images here, or</span>
          <label class="file-button">choose files… <input id="own-files" type="file" multiple accept=".csv,text/csv,image/png,image/jpeg,image/webp"></label>
          <label class="file-button">a folder… <input id="own-folder" type="file" webkitdirectory></label>
        </div>
        <div class="own-options">
          <label>Images become <select id="own-side"><option value="8">8×8</option><option value="16">16×16</option><option value="28" selected>28×28</option></select></label>
          <label>Invert <select id="own-invert"><option value="auto" selected>when the paper is light</option><option value="yes">always</option><option value="no">never</option></select></label>
        </div>
        <p class="hint">A CSV holds one sample a row: w × w pixel values (w from 4 to 28) from 0 to 1 or 0 to 255, with a column named <code>label</code> (whole numbers, or class names) or a first column of whole numbers beside w × w values, a header or none; 2 to 20,000 rows. Images (PNG, JPEG, WebP) are made grey, inverted when the paper is light, cropped to the ink, fitted and centred by mass, as MNIST's were; each is labelled by its folder, or by its name up to the first <code>_</code> or <code>-</code> (<code>circle_1.png</code>: circle).</p>
        <p id="own-status" class="own-status" role="status" aria-live="polite"></p>
      </div>
    </details>
    <details class="export" data-part="export">
      <summary>Export / load</summary>
      <div class="buttons">
        <button id="export-figure" title="Every model's view side by side, with the settings, 1600×900">Figure (PNG)</button>
        <button id="export-codes" title="index,label,model,mu_0,mu_1,logvar_0,logvar_1 for every digit">Codes (CSV)</button>
        <button id="export-losses" title="The loss history">Losses (CSV)</button>
        <span id="export-models" class="export-models"></span>
        <label class="file-button">Load weights… <input id="load-weights" type="file" accept=".json,application/json" multiple></label>
      </div>
    </details>
  </section>

  <div id="notice" class="notice" role="alert" hidden>
    <div class="notice-body"><p id="notice-text"></p><ul id="notice-list"></ul></div>
    <button id="notice-reset">Reset</button>
    <button id="notice-close" aria-label="Dismiss this message">Dismiss</button>
  </div>

  <section class="lesson" data-part="readouts" data-figure="" aria-label="The run now">
    <ul class="run-losses" id="run-losses" aria-label="Each model's loss, nats per sample"></ul>
    <p id="watch" class="watch"></p>
  </section>

  <section class="stage" data-figure="views tear pull">
    <div class="colours">
      <ul class="legend" aria-label="Colours: classes"></ul>
      <div class="map-legend" hidden><canvas id="map-legend" width="96" height="96" aria-hidden="true"></canvas><p id="map-legend-text"></p></div>
    </div>
    <div class="views"></div>
    <p id="announce" class="visually-hidden" aria-live="polite"></p>
    <p id="view-keys" class="visually-hidden">Arrow keys move a cursor over the plane (with Shift, further): the inspector shows what every model's decoder makes of that point and the nearest sample. Enter picks that sample for a walk between two samples.</p>
    <div data-part="inspector"><div class="inspector" id="inspector" role="group" aria-label="Under the pointer" hidden>
      <div id="inspect-sample" hidden>
        <p id="inspect-title" class="tip-title"></p>
        <div class="images" id="inspect-images">
          <figure><canvas id="img-input" width="8" height="8"></canvas><figcaption>Input</figcaption></figure>
        </div>
        <p id="inspect-text"></p>
      </div>
      <p id="inspect-empty" class="tip-title" hidden>No sample here.</p>
      <div id="decoded">
        <p class="tip-title" id="decoded-title"></p>
        <div class="images" id="decoded-images"></div>
        <p class="tip-note">Each model reads z in its own plane: the same z is a different image in each, and the views' scales differ (see each scale bar).</p>
      </div>
    </div></div>
    <p id="inspect-hint" class="hint">Point at a view (or tap it, or focus it and use the arrow keys): what lies under the pointer, and what every model's decoder makes of that point. Click two samples for a walk between them.</p>
    <p id="subset-note" class="hint" hidden></p>
  </section>

  <div class="tabs" role="tablist" aria-label="Experiments and measures" data-figure=""></div>

  <section class="maps" data-part="maps" data-tab="maps" data-figure="maps" aria-label="Decoder maps">
    <h2>What each decoder makes of its plane</h2>
    <p class="hint">Each tile is the image a decoder makes of the point at its centre, over the same square as the view above it (the layout of Kingma &amp; Welling 2014, Fig. 4); the pointer's place shows in both. A VAE's tiles mean something only within the prior's mass, where its codes are (its grey circles, 1σ and 2σ); outside it, and in an autoencoder's gaps between codes, no input's code lands, and a tile is only what the decoder happens to make there.</p>
    <div class="map-views"></div>
  </section>

  <aside class="side" data-figure="" data-tab="numbers">
    <section class="readouts" data-part="readouts" aria-label="Training state">
      <h2>Training</h2>
      <dl>
        <dt><span data-term="step">Step</span></dt><dd id="r-step">0</dd>
        <dt><span data-term="epoch">Epoch</span></dt><dd id="r-epoch">0</dd>
        <dt>Samples/s, each model</dt><dd id="r-sps">–</dd>
        <dt><span data-term="floor">Reconstruction floor</span></dt><dd id="r-floor">–</dd>
      </dl>
      <div id="model-readouts"></div>
      <p id="metrics-step" class="metrics-step">Recon. at z = μ, trustworthiness, continuity and path-length ratio: computing… (${METRICS_WHEN}).</p>
      <p id="summary" class="visually-hidden" aria-live="polite"></p>
    </section>
  </aside>

  <section class="chart-box" data-part="chart" data-tab="numbers" data-figure="chart" aria-label="Losses over time">
    <h2>Losses over training <span class="unit" data-term="nats">nats per sample</span></h2>
    <svg id="chart" viewBox="0 0 640 260" role="img" aria-label="Loss curves"></svg>
    <ul class="chart-legend"></ul>
  </section>

  <section class="chart-box rate-box" data-part="rate" data-tab="rate" data-figure="rate" aria-label="The rate–distortion plane">
    <h2>Rate and distortion</h2>
    <svg id="rate-plot" viewBox="0 0 300 260" role="img" aria-label="Rate–distortion plane"></svg>
    <p class="rate-note" id="rate-note">Each VAE is a dot at (KL, reconstruction), with its trail while training; dashed: the points of equal loss recon. + β·KL through it, for its β. Lower left is better on both, but no model goes below the floor, and a lower loss lies along the dashed line's slope −β: move β and watch the dots slide along it (Alemi et al. 2018).</p>
    <p class="rate-note" id="rate-off"></p>
  </section>

  <div class="lab" data-figure="presets tear pull prior walk pad">
    <section class="presets" data-part="presets" data-tab="question" data-figure="presets" aria-label="Guided experiments">
      <h2>Guided experiments</h2>
      <div class="buttons preset-buttons">
        <button data-preset="overlap">β = 1: overlap</button>
        <button data-preset="cheat">β = 0: the VAE cheats</button>
        <button data-preset="nonoise">Noise off, β = 1</button>
        <button data-preset="collapse">β = 4: posterior collapse</button>
        <button data-preset="ingredients">The ingredients apart</button>
        <button data-preset="free">Free codes from a scrambled start</button>
      </div>
      <p id="preset-text" class="preset-text" aria-live="polite">Each button sets β and the noise, starts again from the same seed, and trains 30 epochs, the length the figures in its text are quoted at; then it pauses (Train goes on). Read what happens below.</p>
      <h3>Why can't the VAE cheat?</h3>
      <p><strong>The question.</strong> The loss asks for good reconstructions and for every q(z|x) to stay close to N(0, I). Why couldn't the network put two similar inputs far apart, each posterior still close to N(0, I)?</p>
      <p><strong>Far apart is expensive.</strong> Two posteriors that are both close to N(0, I) cannot be far apart. The KL of one is ½(‖μ‖² + σ₁² + σ₂² − 2 − ln σ₁² − ln σ₂²) nats: a mean at distance d from the centre costs ½d², and each axis costs ½(σ² − 1 − ln σ²), about −ln σ for a narrow σ (0 at σ = 1). Try it: a posterior at distance <input id="kl-d" class="kl-input" type="number" min="0" max="20" step="0.5" value="3" aria-label="distance of the mean from the centre"> with σ = <input id="kl-s" class="kl-input" type="number" min="0.01" max="3" step="0.05" value="0.1" aria-label="σ on each axis"> costs <output id="kl-out" class="live">–</output> nats, against the VAE's KL of <span class="live" data-live="kl">–</span> nats per input now.</p>
      <p><strong>So the codes are few, and shared.</strong> A KL of R nats lets a code tell apart about e<sup>R</sup> inputs (the rate: with 2 nats, about 7; see "Rate" and "Positions per axis"), so the 1797 inputs must share positions, and the sampled noise makes shared posteriors overlap. Where two inputs' posteriors overlap, the decoder must serve both, which costs reconstruction in proportion to how different they are: similar inputs end up sharing (Burgess et al. 2018, Alemi et al. 2018).</p>
      <p><strong>What this page measured</strong> (vae-train, 30 epochs, seeds 0 to 2; the project's docs/findings.md has every table). <em>The cheat itself</em> ("Tear the plane", every KL kept): after its decoder retrains, the VAE keeps paying (0.55 nats per input on the digits, 0.94 on the bars after 50,000 decoder steps), while the autoencoder's price goes towards 0. <em>Neither ingredient alone</em> ("The ingredients apart"): with noise but no KL, an autoencoder escapes the noise by spreading its codes (spread 8 against 6), and the price of its tear falls like the plain autoencoder's; with the KL but no noise, the means crowd together (spread 0.45) but the decoder never sees the noise, so nothing it serves overlaps, and the price falls too. <em>Free codes</em> (no encoder, every input's code learnt from a random start): after 100 epochs, similar inputs end up near each other in the VAE (continuity 0.93) but stay in fragments far apart in the autoencoder (0.65), though both keep only similar inputs near each code (trustworthiness 0.85 and 0.90). <em>The pair pulled apart</em>: held 8 apart, two similar digits cost the autoencoder 1.7 nats more, the VAE 11 (of which the KL of two means 4 from the centre is 8). <em>Samples from the prior</em>: each model's samples are about as plausible as its own reconstructions (the VAE's from N(0, I), the autoencoder's from a Gaussian fitted to its codes, 0 to 1.1 nats worse); a collapsed VAE's are blurs.</p>
      <p><strong>Where the textbook story does not hold here.</strong> With an encoder, the autoencoder does not scatter similar inputs either: trustworthiness and continuity hardly differ between the models (0.86 to 0.89 and 0.95 to 0.96 on the digits), because every encoder is a smooth function of its input; only without one (free codes) does the autoencoder leave similar inputs apart. What the autoencoder lacks is the price: nothing stops its codes from spreading, and a torn arrangement costs its decoder nothing in the long run. The difference lies between the codes, where its decoder was never asked for anything: the path-length ratio (1.18 for the VAE, 1.52 for the autoencoder after 30 epochs; both climb with training). Read it with the reconstruction: a collapsed VAE scores 1 by drawing the same blur everywhere.</p>
      <p id="live-explain" class="live-explain" aria-live="polite"></p>
    </section>

    <section class="tear" data-part="tear" data-tab="tear" data-figure="tear" aria-label="Tear the plane">
      <h2>Tear the plane: the cheat, built exactly</h2>
      <p>The cheat the question proposes: similar inputs far apart, every posterior as close to N(0, I) as before. This builds it from the models as trained. Every mean above the red line (z₂ &gt; 0) is mirrored across the dashed axis (z₁ → −z₁): neighbours across the line end up far apart and unlike inputs meet along it (ringed in the views), while every σ, and so every KL, stays exactly as it was. An autoencoder has no KL to keep, so its codes are cut through their own medians instead. Then only the decoders retrain: one on the torn codes, one (the control) on the codes as they were, on the same batches with the same noise. What the torn one still loses is the price of the cheat.</p>
      <div class="buttons">
        <button id="tear-start">Tear the plane</button>
        <label class="inline" for="tear-steps">Retrain the decoders for</label>
        <select id="tear-steps"><option value="500">500 steps</option><option value="5000" selected>5,000 steps</option></select>
        <button id="tear-stop" disabled>Put it back</button>
      </div>
      <div class="tear-scroll" tabindex="0" role="region" aria-label="The tear's figures, model by model (scrolls sideways on a narrow screen)"><table class="tear-table">
        <thead><tr><th scope="col">Model</th><th scope="col">Price (nats)</th><th scope="col">Codes moved</th><th scope="col" title="Samples the tear brought next to a code of another class (within a VAE's mean σ; for a model without noise, the median distance between neighbouring codes), ringed in the views">Meet another class</th><th scope="col">KL before → after</th><th scope="col">Decoder steps</th><th scope="col">Recon., untorn</th><th scope="col">Recon., torn</th></tr></thead>
        <tbody id="tear-rows"></tbody>
      </table></div>
      <p id="tear-status" class="tear-status" aria-live="polite"></p>
      <p id="tear-text" class="tear-text"><strong>What it measured</strong> (vae-train, seeds 0 to 2, the tear after 30 epochs of training, 840 steps, as the Epoch counter shows): after 500 decoder steps every model pays, 0.6 to 1.5 nats per sample. After 5,000, the autoencoders' decoders have largely adapted to the torn codes (on the digits the plain one still pays 0.41, the one with fixed noise 0.31; on the bars 0.06 and 0.11), and so has the VAE trained without noise (0.25 on the digits), while the VAE still pays 0.56 on the digits, 1.00 on the bars and 0.57 on the blobs. Its posteriors are wide beside the spacing of their means (about 2.5 positions per axis), so along the cut each torn posterior overlaps unlike inputs', and no decoder can serve both; the noisy autoencoder has spread its codes far apart beside its noise (about 12 positions per axis), so its torn codes hardly overlap, and without noise nothing overlaps at all. With 50,000 decoder steps the difference is plain: the autoencoder's price goes towards 0 (0.16 on the digits, 0.003 on the bars) while the VAE's stays (0.55 and 0.94). A short retraining also measures how fast a decoder adapts: after 300 epochs of training, on the digits the plain autoencoder still pays 0.82 after 5,000 decoder steps, more than the VAE's 0.41.</p>
    </section>

    <section class="pull chart-box" data-part="pull" data-tab="pull" data-figure="pull" aria-label="A pair pulled apart">
      <h2>A pair pulled apart: the price of the cheat</h2>
      <p>Pick two similar inputs, then hold them a distance d apart (their means at ±d/2 on the first axis) while every model trains on. Each model pays in its own way: the pair's own loss (solid: reconstruction + β·KL of the two) and the loss over the samples the views show (dashed), against d. For a VAE, a mean at d/2 from the centre costs at least ⅛d² nats of KL by itself.</p>
      <div class="buttons">
        <button id="pull-similar">Pick two similar inputs</button>
        <button id="pull-start" aria-pressed="false" disabled>Pull apart</button>
        <label class="pull-d" for="pull-d">d <input id="pull-d" type="range" min="0" max="8" step="0.5" value="2"> <output id="pull-d-value" for="pull-d"></output></label>
      </div>
      <p id="pull-pair" class="hint">No pair yet.</p>
      <svg id="pull-plot" viewBox="0 0 420 200" role="img" aria-label="The pair's loss and the data set's loss against the distance d"></svg>
      <p id="pull-now" aria-live="polite"></p>
    </section>

    <section class="prior" data-part="prior" data-tab="prior" data-figure="prior" aria-label="Samples from the prior">
      <h2>Samples from the prior</h2>
      <p>What does each decoder make of codes nobody encoded? A VAE's decoder is trained on codes spread like the prior N(0, I), so it should make digits of codes drawn from it. An autoencoder has no prior; the stand-in is a Gaussian with the mean and spread of its codes (Ghosh et al. 2020). Under each sample: the image it is nearest to among those the views show, and the number of nats between them (both ways: each read as pixel probabilities). A sharp, digit-like sample is near a digit; a blur or a blot is far from every one. Lower is more plausible; a model's own reconstructions give the level to compare with.</p>
      <div class="buttons"><button id="prior-draw">Draw samples</button></div>
      <div id="prior-rows"></div>
      <p id="prior-text" class="prior-text"></p>
    </section>

    <section class="interp" data-part="interpolate" data-tab="walk" data-figure="walk" aria-label="Interpolate between two samples">
      <h2>Walk between two samples</h2>
      <p class="hint" id="walk-hint">Click a sample in either view, then another; or pick a pair:</p>
      <div class="buttons">
        <button id="pair-same">Random pair, same class</button>
        <button id="pair-diff">Random pair, different classes</button>
        <button id="pair-clear">Clear</button>
      </div>
      <div class="strip-box" id="strip-box" hidden>
        <div class="strip-row"><span class="strip-name">Inputs</span><div class="strip" id="strip-inputs"></div></div>
      </div>
      <p id="strip-text" class="hint" aria-live="polite"></p>
    </section>

    <section class="pad-box" data-part="pad" data-tab="walk" data-figure="pad" aria-label="Draw your own input">
      <h2>Draw an input</h2>
      <div class="pad-row">
        <canvas id="pad" width="160" height="160" tabindex="0" role="application" aria-roledescription="drawing pad" aria-describedby="pad-hint"></canvas>
        <div class="images" id="pad-images"></div>
      </div>
      <div class="buttons">
        <button id="pad-clear">Clear</button>
        <button id="pad-copy" title="Start from the sample last inspected">Copy the inspected sample</button>
      </div>
      <p id="pad-hint" class="hint">Draw with the mouse or a finger (or the keys). A red cross and ellipse mark where each model puts your drawing.</p>
      <p id="pad-text" class="hint" aria-live="polite"></p>
      <div class="drawn" data-part="own">
        <h3>Draw a training set</h3>
        <p class="hint">Add drawings with a class name (say twenty circles and twenty bars), then train both models on them and watch where each puts them. They stay in this browser; save them as CSV to keep them, and load that file under "Your own data".</p>
        <div class="buttons">
          <label>Class <input id="drawn-label" value="circle" maxlength="24" size="10"></label>
          <button id="drawn-add">Add the drawing</button>
          <button id="drawn-train" disabled>Train on them</button>
          <button id="drawn-save" disabled>Save as CSV</button>
          <button id="drawn-forget" disabled>Forget them</button>
        </div>
        <p id="drawn-count" class="hint" aria-live="polite">No drawings yet.</p>
      </div>
    </section>
  </div>

  <p class="caption" id="caption" hidden></p>
  <a id="open-full" class="open-full" data-part="open" href="./" target="_blank" rel="noopener">Open in the playground ↗</a>
</div>`;

/** A model's id in the markup: its recipe with every run of other characters as one dash
 * (`vae`, `ae`, `vae-beta-0`, `vae-noise-mean`). */
export function modelId(recipe) {
  return recipe.replace(/[^a-z0-9]+/g, '-');
}

/** Whether a recipe is a VAE's. */
export const isVae = (recipe) => recipe.split(':')[0] === 'vae';

/** Whether a recipe has free codes (no encoder network). */
export const isFree = (recipe) => recipe.split(':').includes('free');

/** A model's name for people: "VAE", "Autoencoder", "VAE, β = 0", "VAE, z = μ",
 * "Autoencoder, noise σ₀ = 0.5". */
export function modelLabel(recipe, short = false) {
  const [kind, ...parts] = recipe.split(':');
  const name = kind === 'vae' ? 'VAE' : short ? 'AE' : 'Autoencoder';
  const own = parts.map((p) => {
    const [k, v] = p.split('=');
    if (k === 'beta') return `β = ${v}`;
    if (k === 'sigma') return `noise σ₀ = ${v}`;
    if (k === 'free') return 'free codes';
    return v === 'mean' ? 'z = μ' : 'z sampled';
  });
  return own.length ? `${name}, ${own.join(', ')}` : name;
}

/** Text as HTML, for the markup the panels build from a recipe's label. */
export const escape = (text) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

// The guided experiments (presets.js holds them): a button sets β and the noise (and, where it
// says, the lab's models), starts again from the same seed and trains its epochs, then pauses;
// and the calculator beside their text of what a far or narrow posterior costs.
import { PRESETS, PRESET_EPOCHS } from './presets.js';
import { fmt, klOf } from './format.js';

/** Wires the guided experiments of `ctx`. A panel on the contract of panels.js. */
export function presetsPanel(ctx) {
  const { root, $, lab, notices, settings, state } = ctx;

  /** A guided experiment: its settings go the one way every setting goes (they take effect in
   * the run going on, or in the link a new lab reads), then `epochs` epochs of a new run from
   * the same seed; a lab of its own models is built first, and trains once built. */
  function run(preset, epochs) {
    for (const [key, value] of Object.entries(preset.settings)) settings.request(key, value);
    if (preset.models && preset.models !== state.models.join(',')) {
      lab.playWhenBuilt = epochs;
      settings.request('models', preset.models);
      return;
    }
    lab.reset();
    lab.advance({ epochs });
  }

  for (const button of root.querySelectorAll('[data-preset]')) {
    button.addEventListener('click', () => {
      const preset = PRESETS[button.dataset.preset];
      notices.hide();
      $('preset-text').textContent = preset.text;
      run(preset, preset.epochs || PRESET_EPOCHS);
    });
  }
  // KL(N(μ, σ²I) ‖ N(0, I)) for a mean at distance d and σ on each axis, as the student sets them.
  const d = $('kl-d'), sigma = $('kl-s');
  function showKl() {
    const dv = Number(d.value), sv = Number(sigma.value);
    $('kl-out').textContent = Number.isFinite(dv) && sv > 0 && dv >= 0 ? fmt(klOf(dv, sv), 1) : '–';
  }
  d.addEventListener('input', showKl);
  sigma.addEventListener('input', showKl);
  showKl();
  return {};
}

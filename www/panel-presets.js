// The guided experiments (presets.js holds them): a button sets β and the noise (and, where it
// says, the lab's models), starts again from the same seed and trains its epochs, then pauses;
// and the calculator beside their text of what a far or narrow posterior costs.
import { PRESETS, PRESET_EPOCHS } from './presets.js';
import { fmt, klOf } from './format.js';

/** Wires the guided experiments of `ctx`. A panel on the contract of panels.js. */
export function presetsPanel(ctx) {
  const { root, $, lab, notices } = ctx;
  for (const button of root.querySelectorAll('[data-preset]')) {
    button.addEventListener('click', () => {
      const preset = PRESETS[button.dataset.preset];
      notices.hide();
      $('preset-text').textContent = preset.text;
      lab.runPreset(preset.settings, preset.models, preset.epochs || PRESET_EPOCHS);
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

// Numbers and codes as the page writes them, and the KL of a posterior the calculators show,
// shared by the playground's panels and the article: one value reads the same everywhere.

/** A value with `digits` decimals, or a dash when there is none (or it is not finite). */
export const fmt = (v, digits = 2) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(digits));

/** A coordinate with two decimals and a true minus sign. */
export const num = (x) => x.toFixed(2).replace('-', '−');

/** A vector of coordinates: "(0.12, −1.30)". */
const vec = (a) => `(${a.map(num).join(', ')})`;

/** A reading's code in words: "μ = (…), σ = (…)" for a VAE, "z = (…)" for an AE. */
export const codeText = (r) => (r.sigma ? `μ = ${vec(r.mu)}, σ = ${vec(r.sigma)}` : `z = ${vec(r.mu)}`);

const COUNT = new Intl.NumberFormat('en', { maximumSignificantDigits: 2 });
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/**
 * A count as a reader says it: 7, 160, 1,600, 260,000, then 5.3 × 10⁷. `log10`, its
 * logarithm, may stand for a count too large for a number (e to the power 1,000).
 */
export function countText(n, log10 = Math.log10(n)) {
  if (log10 < 6) return COUNT.format(n < 100 ? Math.round(n) : n);
  let exponent = Math.floor(log10);
  let mantissa = 10 ** (log10 - exponent);
  if (mantissa >= 9.95) { mantissa = 1; exponent += 1; }
  return `${mantissa.toFixed(1)} × 10${[...String(exponent)].map((d) => SUPERSCRIPT[d]).join('')}`;
}

/** A KL as a rate: "2.8 bits, about 7 distinguishable codes". */
export function rateText(kl) {
  if (kl == null || !Number.isFinite(kl)) return '–';
  const count = countText(Math.exp(kl), kl / Math.LN10);
  return `${fmt(kl / Math.LN2, 1)} bits, about ${count} distinguishable code${count === '1' ? '' : 's'}`;
}

/** KL(N(μ, σ²I) ‖ N(0, I)) in two dimensions for a mean at distance `d`, σ on each axis:
 * ½(d² + 2σ² − 2 − 2 ln σ²). */
export const klOf = (d, sigma) => 0.5 * (d * d + 2 * sigma * sigma - 2 - 2 * Math.log(sigma * sigma));

// Every term explained where it stands: an element marked data-term="…" (a readout's name, a
// unit) can take the focus, and on hover or focus a small box under it gives the term's
// definition from the one glossary (glossary.js). Escape closes it.
import { TERMS } from './glossary.js';

/** Wires the glossary of `ctx`. A panel on the contract of panels.js. */
export function glossaryPanel(ctx) {
  const { root } = ctx;
  const rootEl = root.querySelector('.vae-root');
  const tip = document.createElement('div');
  tip.id = 'term-tip';
  tip.className = 'term-tip';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  rootEl.append(tip);
  let shownFor = null;

  /** Makes every marked term reachable by the keyboard and described by the box. */
  function mark() {
    for (const el of root.querySelectorAll('[data-term]:not(.term)')) {
      if (!TERMS[el.dataset.term]) throw new Error(`the glossary has no term "${el.dataset.term}"`);
      el.classList.add('term');
      el.tabIndex = 0;
      el.setAttribute('aria-describedby', 'term-tip');
    }
  }

  function show(el) {
    shownFor = el;
    tip.textContent = TERMS[el.dataset.term];
    tip.hidden = false;
    const at = el.getBoundingClientRect();
    const box = rootEl.getBoundingClientRect();
    const width = Math.min(320, box.width - 16);
    tip.style.width = `${width}px`;
    tip.style.left = `${Math.max(8, Math.min(at.left - box.left, box.width - width - 8))}px`;
    tip.style.top = `${at.bottom - box.top + 6}px`;
  }
  function hide() { shownFor = null; tip.hidden = true; }

  const termOf = (e) => {
    const el = e.composedPath()[0];
    return el instanceof Element ? el.closest('[data-term]') : null;
  };
  const listeners = {
    pointerover: (e) => { const el = termOf(e); if (el && el !== shownFor) show(el); },
    // A tap also ends in pointerout: on a touch screen the box stays until the next tap elsewhere.
    pointerout: (e) => { const el = termOf(e); if (e.pointerType === 'mouse' && el && el === shownFor && !el.contains(e.relatedTarget)) hide(); },
    pointerdown: (e) => { if (!termOf(e) && shownFor) hide(); },
    focusin: (e) => { const el = termOf(e); if (el) show(el); },
    focusout: (e) => { if (termOf(e) === shownFor) hide(); },
    keydown: (e) => { if (e.key === 'Escape' && shownFor) hide(); },
  };
  for (const [type, fn] of Object.entries(listeners)) rootEl.addEventListener(type, fn);
  mark();

  return {
    onLab: mark,
    destroy() { for (const [type, fn] of Object.entries(listeners)) rootEl.removeEventListener(type, fn); },
  };
}

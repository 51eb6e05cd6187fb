// The guided tour: a card that walks through the page one part at a time (tour.js), each
// part outlined and scrolled to, its tab opened. The step is a setting (tour=N), so that a
// link opens the tour at a step: an instructor can send a student to step 3.
import { TOUR } from './tour.js';

/** Wires the tour of `ctx`. A panel on the contract of panels.js. */
export function tourPanel(ctx) {
  const { root, $, settings } = ctx;
  const rootEl = root.querySelector('.vae-root');
  const card = document.createElement('section');
  card.className = 'tour-card';
  card.setAttribute('role', 'dialog');   // not modal: the page stays usable beside it
  card.setAttribute('aria-labelledby', 'tour-title');
  card.hidden = true;
  card.innerHTML = `<p class="tour-count" id="tour-count"></p>
    <h2 id="tour-title" tabindex="-1"></h2>
    <p id="tour-text"></p>
    <div class="buttons">
      <button id="tour-back">Back</button>
      <button id="tour-next" class="primary">Next</button>
      <button id="tour-close" aria-label="Close the tour">Close</button>
    </div>`;
  rootEl.append(card);
  let at = 0;        // the step shown (1 is the first), 0 none
  let spot = null;   // the part outlined

  // The step is a setting (it goes into the link); closing also closes at once, so that the
  // card goes even when no worker answers (a crash, a data file on its way).
  const go = (n) => {
    if (!(n > 0 && n <= TOUR.length)) show(0);
    settings.request('tour', n > 0 && n <= TOUR.length ? n : null);
  };
  $('tour-start').addEventListener('click', () => go(1));
  $('tour-back').addEventListener('click', () => go(at - 1));
  $('tour-next').addEventListener('click', () => go(at + 1));
  $('tour-close').addEventListener('click', () => go(0));
  card.addEventListener('keydown', (e) => { if (e.key === 'Escape') go(0); });

  function show(n) {
    if (spot) spot.classList.remove('tour-spot');
    spot = null;
    const was = at;
    at = n;
    card.hidden = !n;
    if (!n) {
      if (was && card.contains(root.activeElement)) $('tour-start').focus();
      return;
    }
    const step = TOUR[n - 1];
    // A part the author hid (hide=…) is not shown or outlined: the step only says its text.
    const part = root.querySelector(step.target);
    const kept = part && !part.closest('[hidden]');
    if (step.tab && kept) ctx.panels.tabs.show(step.tab);
    $('tour-count').textContent = `Tour, step ${n} of ${TOUR.length}`;
    $('tour-title').textContent = step.title;
    $('tour-text').textContent = step.text;
    $('tour-back').disabled = n === 1;
    $('tour-next').textContent = n === TOUR.length ? 'Done' : 'Next';
    if (kept) {
      spot = part;
      spot.classList.add('tour-spot');
      const box = spot.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) spot.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }
    // Opened: the focus goes to the card's title; from step to step it stays on Next.
    if (was) $('tour-next').focus(); else $('tour-title').focus({ preventScroll: true });
  }

  return {
    onSettings(v) {
      // A figure holds still: no tour over it.
      const n = v.figure === 'none' ? v.tour : 0;
      if (n !== at) show(n);
    },
  };
}

// The experiments and measures under the views, one at a time: a row of tabs, each showing the
// sections the markup marks with its name (data-tab="…"). The lesson comes first; the rest
// waits behind a tab. A figure (figure=…) has no tabs: it shows its own parts alone.

/** The tabs, in their order: name (the markup's data-tab), label. The first is shown first. */
export const TABS = [
  ['question', 'Why can\'t it cheat?'],
  ['numbers', 'Numbers and losses'],
  ['tear', 'Tear the plane'],
  ['pull', 'Pull a pair apart'],
  ['prior', 'Samples from the prior'],
  ['walk', 'Walk and draw'],
  ['maps', 'Decoder maps'],
  ['rate', 'Rate and distortion'],
];

/** Wires the tabs of `ctx`. A panel on the contract of panels.js; `ctx.panels.tabs.show(name)`
 * opens a tab (the tour does). */
export function tabsPanel(ctx) {
  const { root } = ctx;
  const rootEl = root.querySelector('.vae-root');
  const list = root.querySelector('.tabs');
  const sections = [...root.querySelectorAll('[data-tab]')];
  let current = TABS[0][0];

  list.innerHTML = TABS.map(([name, label]) => `<button role="tab" id="tab-${name}" data-name="${name}" aria-selected="false" tabindex="-1">${label}</button>`).join('');
  const buttons = [...list.querySelectorAll('[role="tab"]')];
  for (const section of sections) {
    section.setAttribute('role', 'tabpanel');
    section.setAttribute('aria-labelledby', `tab-${section.dataset.tab}`);
  }

  /** Shows tab `name`'s sections and no other's; the decoder maps are drawn only when shown. */
  function show(name, focus = false) {
    current = name;
    for (const b of buttons) {
      const on = b.dataset.name === name;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      if (on && focus) b.focus();
    }
    for (const section of sections) section.classList.toggle('tab-off', section.dataset.tab !== name);
    ctx.tilesFollow();
  }

  list.addEventListener('click', (e) => {
    const b = e.target.closest('[role="tab"]');
    if (b) show(b.dataset.name);
  });
  // Arrow keys, Home and End move between the tabs (the WAI-ARIA tabs pattern).
  list.addEventListener('keydown', (e) => {
    const shown = buttons.filter((b) => !b.hidden);
    const at = shown.findIndex((b) => b.dataset.name === current);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: shown.length - 1 }[e.key];
    if (to == null) return;
    e.preventDefault();
    show(shown[(to + shown.length) % shown.length].dataset.name, true);
  });
  show(current);

  return {
    show,
    onSettings(v) {
      // A figure shows its own parts, without tabs; a tab whose parts hide= took away goes.
      const tabbed = v.figure === 'none';
      rootEl.classList.toggle('tabbed', tabbed);
      list.hidden = !tabbed;
      for (const b of buttons) b.hidden = !sections.some((s) => s.dataset.tab === b.dataset.name && !s.hidden);
      const first = buttons.find((b) => !b.hidden);
      if (buttons.find((b) => b.dataset.name === current).hidden && first) show(first.dataset.name);
      else ctx.tilesFollow();
    },
  };
}

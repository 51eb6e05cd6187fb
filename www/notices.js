// What the page tells the visitor: notices (a sentence, an optional list of what was wrong,
// and an optional action: Reset, or a restart of the lab) and announcements for screen
// readers (what the keyboard cursor finds, a walk's ends).

/**
 * Wires the notice bar and the announcer inside `root`. `state.notice` holds the notice's text
 * for the tests. Returns `{ show(text, action, items), hide(), action, announce(text) }`;
 * `onAction` is called when the notice's Reset is pressed.
 */
export function createNotices(root, state, onAction) {
  const $ = (id) => root.getElementById(id);
  const box = $('notice'), text = $('notice-text'), list = $('notice-list'), reset = $('notice-reset');
  const notices = {
    /** What the notice's button does: 'reset', 'restart' (the lab starts again), or null. */
    action: null,
    show(sentence, action, items = []) {
      state.notice = [sentence, ...items].join(' ');
      text.textContent = sentence;
      list.replaceChildren(...items.map((item) => {
        const li = document.createElement('li');
        li.textContent = item;   // text, never markup: a link's parameters cannot inject anything
        return li;
      }));
      notices.action = action;
      reset.hidden = action == null;
      box.hidden = false;
    },
    hide() { box.hidden = true; state.notice = null; },
    /** Says `sentence` to screen readers, a moment later (only the last of a quick series). */
    announce(sentence) {
      clearTimeout(announceTimer);
      announceTimer = setTimeout(() => { $('announce').textContent = sentence; }, 250);
    },
  };
  let announceTimer = null;
  reset.addEventListener('click', onAction);
  $('notice-close').addEventListener('click', notices.hide);
  return notices;
}

// The playground's keys: Space trains or pauses, S takes one epoch (Shift+S one batch), R resets. On the site's own
// page (url-state) they are the page's while the focus is on nothing in particular; in an
// element, while the focus is inside it; never inside a dialog (Embed's).

/** Listens on `target` (the document with url-state, else the element `host`) for the keys of
 * `lab`; returns a function that stops listening. */
export function bindKeys(target, host, lab, urlState) {
  if (!target) return () => {};
  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    // The component lives in a shadow root: the event's target is the host; the path's first
    // element is the control that has the focus.
    const t = event.composedPath()[0];
    const typing = t instanceof HTMLInputElement && t.type !== 'range' || t instanceof HTMLSelectElement
      || t instanceof HTMLTextAreaElement || (t instanceof HTMLElement && t.isContentEditable);
    if (typing) return;
    if (t instanceof Element && t.closest('dialog')) return;   // a dialog's keys are its own
    if (urlState) {
      const active = document.activeElement;
      if (active && active !== document.body && active !== document.documentElement && active !== host) return;
    }
    if (event.key === ' ' && !(t instanceof HTMLButtonElement)) { event.preventDefault(); lab.togglePlay(); }
    else if (event.key === 's' || event.key === 'S') lab.stepOnce(event.shiftKey);
    else if (event.key === 'r' || event.key === 'R') lab.reset();
  }
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}

// Sharing: Copy link (the link that reproduces the run, as the settings store writes it), and
// in an embedded playground a link that opens the full one.

/** Copies `text`; resolves to whether it was copied (the clipboard may refuse, or never answer:
 * no focus, no permission). */
export async function copyText(text) {
  const timeout = new Promise((resolve) => setTimeout(() => resolve(false), 1000));
  const copied = navigator.clipboard
    ? navigator.clipboard.writeText(text).then(() => true, () => false)
    : Promise.resolve(false);
  return Promise.race([copied, timeout]);
}

/** Wires the share controls of `ctx`. A panel on the contract of panels.js. */
export function sharePanel(ctx) {
  const { $, state } = ctx;
  const openFull = $('open-full'), status = $('share-status');
  $('copy-link').addEventListener('click', async () => {
    const link = state.link;
    state.copied = link;
    status.textContent = (await copyText(link)) ? 'Link copied.' : `Copy this link: ${link}`;
  });
  return {
    onSettings(v) {
      const full = new URL(state.link);
      full.searchParams.delete('embed');
      full.searchParams.delete('hide');
      openFull.href = full.href;
      openFull.hidden = !v.embed;
    },
  };
}

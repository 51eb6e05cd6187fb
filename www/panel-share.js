// Sharing: Copy link (the link that reproduces the run, as the settings store writes it), and
// in an embedded playground or a figure a small link that opens the full one (hide=open takes
// it away; the layout's embed class shows it).
import { linkWith } from './embed-code.js';

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
    onSettings() {
      // The same run in the full playground: without what only shapes an embedded figure.
      openFull.href = linkWith(state.link, { embed: null, hide: null, figure: null, caption: null, tour: null });
    },
  };
}

// A run's links and the code that puts it in another page, as text: pure functions of the link
// the settings store writes (state.link), a figure (one of the names figure= takes, or `none`
// for the whole playground), the step the run stands at and the site the code loads from.
// The Embed dialog (panel-embed.js) shows them; the share panel's link back to the full
// playground is linkWith's too.
import { escape } from './template.js';

/** The query of `link` as [key, value as the link writes it] pairs, in their order. */
function queryPairs(link) {
  return new URL(link).search.replace(/^\?/, '').split('&').filter(Boolean).map((pair) => {
    const at = pair.indexOf('=');
    return at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
  });
}

/** `link` with `changes` ({key: value}, a value of null taking the key out): a key it has keeps
 * its place, a new one goes last; the rest of the query stays as the link writes it. */
export function linkWith(link, changes) {
  const pairs = queryPairs(link).filter(([key]) => !(Object.hasOwn(changes, key) && changes[key] == null))
    .map(([key, value]) => [key, Object.hasOwn(changes, key) ? encodeURIComponent(changes[key]) : value]);
  for (const [key, value] of Object.entries(changes)) {
    if (value != null && !pairs.some(([k]) => k === key)) pairs.push([key, encodeURIComponent(value)]);
  }
  const url = new URL(link);
  url.search = pairs.map(([key, value]) => `${key}=${value}`).join('&');
  return url.href;
}

/** The link of the run as `figure` shows it: the whole playground (`none`) as the link has it,
 * or that figure alone, holding still at step `stop`. */
export function figureLink(link, figure, stop) {
  // The reader's tour stays with the reader: the code and the link leave it out.
  if (figure === 'none') return linkWith(link, { figure: null, tour: null });
  return linkWith(link, { figure, stop, tour: null });
}

/** An iframe of `src`, and the script from `site` that sizes it to its content
 * (examples/resize.js: the page inside tells its parent its height). Its size and border are
 * attributes, not a style attribute, which a page with a content-security policy such as the
 * site's own (style-src 'self') refuses. */
function iframeCode(src, figure, site) {
  const title = figure === 'none' ? 'VAE playground' : `VAE playground: ${figure}`;
  const height = figure === 'none' ? 1000 : 500;   // until resize.js hears the real height
  return `<iframe src="${escape(src)}" title="${title}" width="100%" height="${height}" frameborder="0"></iframe>\n`
    + `<script src="${escape(new URL('examples/resize.js', site).href)}"></script>`;
}

/** Settings of the link that the element does not take as attributes, and why. */
const NOT_ATTRIBUTES = {
  embed: null,   // the iframe's: an element has no page chrome to leave out
  hidden: (value) => `The element cannot take the hidden layers' size as an attribute (hidden is HTML's own, and hides the element): once it is on the page, set it with el.set('hidden', ${value}).`,
};

/** element.js from `site` and a <vae-playground> with the settings of `link` as attributes;
 * `notes`: what the attributes cannot say. */
function elementCode(link, site) {
  const notes = [];
  let attributes = '';
  for (const [key, written] of queryPairs(link)) {
    const value = decodeURIComponent(written);
    if (Object.hasOwn(NOT_ATTRIBUTES, key)) {
      if (NOT_ATTRIBUTES[key]) notes.push(NOT_ATTRIBUTES[key](value));
    } else attributes += ` ${key}="${escape(value)}"`;
  }
  const code = `<script type="module" src="${escape(new URL('element.js', site).href)}"></script>\n`
    + `<vae-playground${attributes}></vae-playground>`;
  return { code, notes };
}

/**
 * The three ways to put the run of `link` in another page, as `figure` shows it (see
 * figureLink; `stop`: the step a figure holds still at), loading the site's files from `site` (the
 * folder of element.js): `{ link, src, iframe, element, notes }`: the link, the iframe's (the
 * link in embed mode), and each code as text to copy, with what the element's cannot say.
 */
export function embedCode(link, figure, stop, site) {
  const shown = figureLink(link, figure, stop);
  const src = linkWith(shown, { embed: 1 });
  const element = elementCode(shown, site);
  return { link: shown, src, iframe: iframeCode(src, figure, site), element: element.code, notes: element.notes };
}

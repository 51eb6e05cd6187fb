// The settings store: every way a setting comes in (the link, an attribute, a control,
// el.set, a guided experiment) calls `request`; the lead worker checks it by Rust's one table
// of parameters (crate/src/params.rs) and answers with every setting in force, which `apply`
// hands to the subscribers (the controls, the layout, the panels) and writes into the link.

const FULL_PAGE_URL = new URL('./index.html', import.meta.url);

/**
 * The store of `ctx` (`state`, `lab`, `notices`, `panels`). `search`: the settings a
 * playground starts from, as a URL query. `urlState`: keep the page's URL in step.
 */
export function createSettings(ctx, { search = '', urlState = false }) {
  const { state } = ctx;
  let query = search.replace(/^\?/, '');
  let runKeys = [];   // the settings that start a new run, from Rust's table (params.rs)
  let figures = [];   // the figures figure= shows alone, `none` first, from the same table
  const subscribers = [];
  let appliedWeights = '';

  /** The settings in force as the link writes them, with its `?` (or nothing). */
  const searchOf = () => (query ? `?${query}` : '');

  /** The link of the settings in force: the page's own (url-state) or the full playground's. */
  function writeQuery(q) {
    state.query = q;
    const url = new URL(urlState ? location.href : FULL_PAGE_URL);
    url.search = q ? `?${q}` : '';
    if (urlState) history.replaceState(null, '', url);
    state.link = url.href;
  }

  /** Training as the link asks: stop=N trains to step N, then holds (a figure that holds
   * still, the same for every reader, whatever the motion preference); autoplay=1 plays
   * unless the visitor prefers reduced motion. With weights=…, once they are loaded. */
  function startFromLink(v, source) {
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    const start = () => {
      if (source !== 'link') return;
      if (v.stop > 0) ctx.lab.trainTo(v.stop);
      else if (v.autoplay && !still) ctx.lab.play();
    };
    if (source === 'link') appliedWeights = '';   // a new lab has no weights loaded yet
    const weights = v.weights !== appliedWeights && v.weights;
    appliedWeights = v.weights;
    if (weights) ctx.panels.exports.loadWeightsFrom(weights).then(start);
    else start();
  }

  return {
    /** A setting from any way in; `null` restores its default. */
    request(key, value) {
      const raw = value == null ? null : String(value);
      ctx.lab.set(key, raw, runKeys.includes(key));
    },
    /** Whether a change of `key` starts a new run (Rust's table says). */
    isRunKey: (key) => runKeys.includes(key),
    /** The figures `figure=` takes (Rust's FIGURES, `none` first), once the lead worker has
     *  read the link; none before. */
    figures: () => figures,
    /** The lead worker's reading of the link: its canonical query, which keys start a run,
     *  and the figures. */
    received(m) {
      query = m.query;
      if (m.runKeys) runKeys = m.runKeys;
      if (m.figures) figures = m.figures;
    },
    search: searchOf,
    /**
     * The settings in force `v` (with `notices`, what was not used as written) from the lead
     * worker. `source`: 'link' (a new lab read its link), 'lab' (a change that starts another
     * lab), or 'setting' (a change).
     */
    apply(v, notices, source) {
      const before = state.params;
      state.params = v;
      writeQuery(query);
      for (const fn of subscribers) fn(v, before, source);
      if (notices.length) {
        ctx.notices.show(source === 'link' ? 'Some settings in this link were not used as written:' : 'That setting was not used as written:', null, notices);
      }
      startFromLink(v, source);
    },
    /** Calls `fn(values, before, source)` on every change of the settings in force. */
    subscribe(fn) { subscribers.push(fn); },
  };
}

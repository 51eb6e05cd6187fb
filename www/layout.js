// What the settings do to the page's layout: figure mode (figure=…, one figure alone, without
// controls), embed=1 (no page chrome), show=… (one model's parts only), hide=… (parts the
// author left out), the caption; and, in an iframe, the page's height told to its parent.

/** Wires the layout of `ctx` (`root`, `rootEl`, `lab`, `state`, `partShown`, `shown`). A
 * panel on the contract of panels.js (onSettings, destroy). */
export function layoutPanel(ctx, { urlState }) {
  const { root, lab } = ctx;
  const rootEl = root.querySelector('.vae-root');
  const caption = root.getElementById('caption');

  // In an iframe, the site's page tells its parent its height whenever that changes, so that
  // the parent can size the iframe to it (www/examples/resize.js does, for every iframe).
  let heightWatch = null;
  if (urlState && window.parent !== window) {
    let told = 0;
    const tell = () => {
      const height = Math.ceil(document.body.getBoundingClientRect().bottom + window.scrollY);
      if (height === told) return;
      told = height;
      ctx.state.toldHeight = height;
      window.parent.postMessage({ type: 'vae-playground:height', height }, '*');
    };
    heightWatch = new ResizeObserver(tell);
    heightWatch.observe(document.body);
  }

  return {
    onSettings(v) {
      // figure=…: that figure alone, without controls (and, like embed=1, without page chrome).
      const figure = v.figure === 'none' ? null : v.figure;
      rootEl.classList.toggle('embed', v.embed || Boolean(figure));
      rootEl.classList.toggle('figure', Boolean(figure));
      rootEl.classList.toggle('show-one', v.show !== 'both');
      rootEl.classList.toggle('lab-wide', lab.models.length > 2);
      if (urlState) document.body.classList.toggle('embed', v.embed || Boolean(figure));
      for (const part of root.querySelectorAll('[data-figure]')) {
        part.classList.toggle('off-figure', Boolean(figure) && !part.dataset.figure.split(' ').includes(figure));
      }
      // show=…: everything about the other models goes (views, maps, readouts, chart lines,
      // reconstructions, strips, exports).
      for (const part of root.querySelectorAll('[data-model]')) part.hidden = !ctx.shown(part.dataset.model);
      caption.textContent = v.caption;
      caption.hidden = !v.caption;
      for (const part of root.querySelectorAll('[data-part]')) {
        part.hidden = v.hide.includes(part.dataset.part);
      }
      ctx.tilesFollow();
    },
    destroy() { if (heightWatch) heightWatch.disconnect(); },
  };
}

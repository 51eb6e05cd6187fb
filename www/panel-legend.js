// The colours' legend under the views: a swatch per class, or, for a generated data set, the
// colour map of its factor (an angle, a position), drawn by Rust.

const LEGEND_TEXT = {
  angle: 'Colour: the bar\'s angle, 0° to 180° (the same bar again), around the ring. A continuous latent space shows the colours in order, without jumps.',
  position: 'Colour: the blob\'s position, x to the right and y up, as on the square. A continuous latent space shows the colours in order, without jumps.',
};

/** Wires the legend of `ctx`. A panel on the contract of panels.js; `state.legend` and
 * `state.factor` hold what the data set's colours mean. */
export function legendPanel(ctx) {
  const { root, $, state } = ctx;
  return {
    messages: {
      legend(model, m) {
        state.factor = m.factor;
        state.legend = m;
        const list = root.querySelector('.legend');
        const map = root.querySelector('.map-legend');
        list.hidden = m.factor !== 'class';
        map.hidden = m.factor === 'class';
        if (m.factor === 'class') {
          list.replaceChildren(...ctx.classNames().map((name, k) => {
            const li = document.createElement('li');
            const swatch = document.createElement('span');
            swatch.className = 'swatch';
            swatch.style.background = m.palette[k % m.palette.length];
            li.append(swatch, name);
            return li;
          }));
          return;
        }
        $('map-legend').getContext('2d').putImageData(new ImageData(m.pixels, m.size, m.size), 0, 0);
        $('map-legend-text').textContent = LEGEND_TEXT[m.factor];
      },
    },
  };
}

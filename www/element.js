// <vae-playground>: the playground as a custom element. Each element trains on its own (its
// own worker) and takes the URL parameters as attributes:
//
//   <script type="module" src="element.js"></script>
//   <vae-playground beta="2" seed="7" hide="lr,batch" autoplay></vae-playground>
//
// JavaScript: el.start(), el.pause(), el.reset(), el.step(n), el.set(name, value), el.stats;
// events: "step" (about ten a second while training; detail: counters and losses) and
// "diverge" (detail.message). With the attribute url-state, the element also reads and writes
// the page's URL and takes the page's keys: that is how the site's own page uses it.
import { TEMPLATE, mount } from './playground.js';

/** The attributes that mirror URL parameters (see crate/src/params.rs). */
export const ATTRIBUTES = ['dataset', 'seed', 'hidden', 'activation', 'beta', 'lr', 'noise', 'batch',
  'speed', 'range', 'map', 'show', 'embed', 'hide', 'autoplay'];

const STYLE_URL = new URL('./playground.css', import.meta.url);

export class VaePlaygroundElement extends HTMLElement {
  connectedCallback() {
    if (this.controller) return;
    const shadow = this.shadowRoot || this.attachShadow({ mode: 'open' });
    // The single-file build carries the styles inline (VAE_PLAYGROUND_CSS); otherwise link them.
    const css = globalThis.VAE_PLAYGROUND_CSS;
    shadow.innerHTML = (css ? `<style>${css}</style>` : `<link rel="stylesheet" href="${STYLE_URL.href}">`) + TEMPLATE;
    const urlState = this.hasAttribute('url-state');
    const query = urlState ? location.search : this.query();
    this.controller = mount(shadow, { search: query, urlState, host: this });
    if (urlState) window.vaePlayground = this.controller.state;
  }

  disconnectedCallback() {
    if (this.controller) this.controller.destroy();
    this.controller = null;
  }

  /** The element's attributes as a URL query (a bare attribute such as autoplay means on). */
  query() {
    const pairs = ATTRIBUTES.filter((a) => this.hasAttribute(a))
      .map((a) => `${a}=${encodeURIComponent(this.getAttribute(a))}`);
    return pairs.length ? `?${pairs.join('&')}` : '';
  }

  start() { this.controller?.start(); }
  pause() { this.controller?.pause(); }
  reset() { this.controller?.reset(); }
  step(steps = 1) { this.controller?.step(steps); }
  set(name, value) { this.controller?.set(name, value); }
  /** The latest counters and losses, or null before the first report. */
  get stats() {
    const s = this.controller?.state;
    return s && s.stats ? { ...s.stats, vae: s.lastVae, ae: s.lastAe, playing: s.playing } : null;
  }
  /** The component's state as tests read it. */
  get state() { return this.controller?.state; }
}

if (!customElements.get('vae-playground')) customElements.define('vae-playground', VaePlaygroundElement);

// <vae-playground>: the playground as a custom element. Each element trains on its own (its
// own worker) and takes the URL parameters as attributes:
//
//   <script type="module" src="element.js"></script>
//   <vae-playground beta="2" seed="7" hide="lr,batch" autoplay></vae-playground>
//
// Attributes may change later (setAttribute): each change is applied like el.set.
// JavaScript: el.start(), el.pause(), el.reset(), el.step(n), el.set(name, value), el.stats;
// events: "step" (about ten a second while training; detail: counters and losses) and
// "diverge" (detail.message). With the attribute url-state, the element also reads and writes
// the page's URL and takes the page's keys: that is how the site's own page uses it. Any other
// element starts its workers only when it comes near the screen, and trains only while it is
// near (scrolled away, it pauses; back, it goes on; el.stats.playing says which), so that a
// page of many figures stays responsive; what the page asks of it before then waits.
import { TEMPLATE, mount } from './playground.js';

/** Attributes every HTML element may carry; all others are settings, read by the worker through
 * the one table of parameters (crate/src/params.rs), which names any it does not know. */
const HTML_ATTRIBUTES = new Set(['id', 'class', 'style', 'title', 'lang', 'dir', 'hidden', 'tabindex',
  'slot', 'part', 'role', 'is', 'nonce', 'autofocus', 'inert', 'translate', 'draggable', 'spellcheck',
  'contenteditable', 'accesskey', 'enterkeyhint', 'inputmode', 'popover', 'exportparts', 'url-state']);

/** Whether attribute `name` is a setting rather than one of HTML's own. */
const isSetting = (name) => !HTML_ATTRIBUTES.has(name) && !/^(data-|aria-|on)/.test(name);

const STYLE_URL = new URL('./playground.css', import.meta.url);

/** How near the screen an element comes before it starts its workers, and beyond which it
 * stops training (it goes on when it comes back). */
const NEAR = '200px 0px';

export class VaePlaygroundElement extends HTMLElement {
  connectedCallback() {
    if (this.controller || this.watch) return;   // moved within the page: the run goes on
    const shadow = this.shadowRoot || this.attachShadow({ mode: 'open' });
    // The single-file build carries the styles inline (VAE_PLAYGROUND_CSS); otherwise link them.
    const css = globalThis.VAE_PLAYGROUND_CSS;
    shadow.innerHTML = (css ? `<style>${css}</style>` : `<link rel="stylesheet" href="${STYLE_URL.href}">`) + TEMPLATE;
    this.pending = [];   // what the page asked before the playground started
    // The site's own page starts at once. An element starts its two workers (or more) only
    // when it comes near the screen, so that a page of twenty figures does not start forty,
    // and trains only while it is near: scrolled away, it pauses, and goes on when it is back.
    if (this.hasAttribute('url-state') || typeof IntersectionObserver === 'undefined') {
      this.begin();
      return;
    }
    this.watch = new IntersectionObserver((entries) => this.near(entries.some((e) => e.isIntersecting)), { rootMargin: NEAR });
    this.watch.observe(this);
  }

  /** The element came near the screen (`on`) or went away from it. */
  near(on) {
    if (on && !this.controller) this.begin();
    const c = this.controller;
    if (!c) return;
    if (!on && c.state.playing) {
      c.pause();
      c.state.pausedAway = true;
    } else if (on && c.state.pausedAway) {
      c.state.pausedAway = false;
      c.start();
    }
  }

  /** Starts the playground: its workers, its settings from the attributes (or the page's URL). */
  begin() {
    const urlState = this.hasAttribute('url-state');
    const query = urlState ? location.search : this.query();
    this.controller = mount(this.shadowRoot, { search: query, urlState, host: this });
    if (urlState) window.vaePlayground = this.controller.state;
    for (const call of this.pending.splice(0)) call(this.controller);
    // A changed attribute goes through the same settings path as a control or el.set.
    this.observer = new MutationObserver((records) => {
      for (const r of records) {
        if (!isSetting(r.attributeName)) continue;
        this.controller?.set(r.attributeName, this.getAttribute(r.attributeName));
      }
    });
    this.observer.observe(this, { attributes: true });
  }

  disconnectedCallback() {
    // Moving the element disconnects and reconnects it at once: only stop if it stays out.
    queueMicrotask(() => {
      if (this.isConnected) return;
      if (this.watch) { this.watch.disconnect(); this.watch = null; }
      if (!this.controller) return;
      this.observer.disconnect();
      this.controller.destroy();
      this.controller = null;
    });
  }

  /** Runs `call(controller)` now, or once the playground has started. */
  later(call) {
    if (this.controller) call(this.controller);
    else if (this.pending) this.pending.push(call);
  }

  /** The element's setting attributes as a URL query (a bare attribute such as autoplay means on). */
  query() {
    const pairs = [...this.attributes].filter((a) => isSetting(a.name))
      .map((a) => `${encodeURIComponent(a.name)}=${encodeURIComponent(a.value)}`);
    return pairs.length ? `?${pairs.join('&')}` : '';
  }

  start() { this.later((c) => { c.state.pausedAway = false; c.start(); }); }
  pause() { this.later((c) => { c.state.pausedAway = false; c.pause(); }); }
  reset() { this.later((c) => c.reset()); }
  step(steps = 1) { this.later((c) => c.step(steps)); }
  set(name, value) { this.later((c) => c.set(name, value)); }
  /** The latest counters and losses (each model's under its id: vae and ae in the default
   *  lab; the lab's settings; each model's figures under models), or null before the first
   *  report. */
  get stats() { return this.controller?.stats ?? null; }
  /** The component's state as tests read it. */
  get state() { return this.controller?.state; }
}

if (!customElements.get('vae-playground')) customElements.define('vae-playground', VaePlaygroundElement);

// The training controls, bound both ways from one table: a control's change is a request to
// the settings store, and the settings in force (the lead worker's answer) are rendered back
// into every control. Also the buttons (Train, Step, Reset, New seed) and the data's progress.

/** Shows `value` in a select, adding an option for a value the list lacks (from a link). */
function selectValue(select, value) {
  const text = String(value);
  let option = [...select.options].find((o) => o.value === text || (o.value !== '' && Number(o.value) === Number(value)));
  if (!option) {
    option = new Option(text, text);
    select.add(option);
  }
  select.value = option.value;
}

/** Each control: the setting it shows (its id is the key), how it reads and how it shows. */
const CONTROLS = [
  { key: 'dataset', event: 'change', read: (c) => c.value, show: selectValue },
  { key: 'beta', event: 'input', read: (c) => c.value, show: (c, v) => { c.value = String(v); } },
  { key: 'lr', event: 'change', read: (c) => c.value, show: selectValue },
  { key: 'noise', event: 'change', read: (c) => c.value, show: selectValue },
  { key: 'batch', event: 'change', read: (c) => c.value, show: selectValue },
  { key: 'speed', event: 'change', read: (c) => c.value, show: selectValue },
  { key: 'range', event: 'change', read: (c) => c.value, show: selectValue },
  { key: 'map', event: 'change', read: (c) => (c.checked ? 1 : 0), show: (c, v) => { c.checked = Boolean(v); } },
];

/** Wires the controls of `ctx` (`$`, `lab`, `settings`, `notices`). A panel on the contract
 * of panels.js (onSettings, onPlaying). */
export function controlsPanel(ctx) {
  const { $, lab, settings, notices } = ctx;
  const play = $('play'), betaValue = $('beta-value');
  const showBeta = (v) => { betaValue.textContent = Number(v).toFixed(2); };
  for (const { key, event, read } of CONTROLS) {
    const control = $(key);
    control.addEventListener(event, () => {
      if (key === 'beta') showBeta(control.value);
      settings.request(key, read(control));
    });
  }
  showBeta($('beta').value);
  play.addEventListener('click', () => lab.togglePlay());
  $('step').addEventListener('click', (e) => lab.stepOnce(e.shiftKey));
  $('reset').addEventListener('click', () => lab.reset());
  $('new-seed').addEventListener('click', () => {
    notices.hide();   // a new seed starts a new run, which stops the training going on
    settings.request('seed', crypto.getRandomValues(new Uint32Array(1))[0]);
  });

  return {
    onSettings(v, before, source) {
      for (const { key, show } of CONTROLS) show($(key), v[key]);
      // A link that sets one of the settings kept under "More settings" opens them, so that
      // the reader sees what the run differs in.
      if (source === 'link') {
        const set = new URLSearchParams(settings.search());
        const more = $('more');
        if ([...more.querySelectorAll('input, select')].some((c) => set.has(c.id))) more.open = true;
      }
      showBeta(v.beta);
    },
    /** The Train button says Pause while the lab trains: playing, or running a step(n). */
    onPlaying(moving) {
      if (play.getAttribute('aria-pressed') === String(moving)) return;
      play.textContent = moving ? 'Pause' : 'Train';
      play.setAttribute('aria-pressed', String(moving));
    },
    /** The progress of a data set's file, under the Data menu. */
    showDataProgress({ file, received, total, done }) {
      const box = $('data-progress');
      box.hidden = done;
      const bar = box.querySelector('progress');
      if (total) bar.value = received / total; else bar.removeAttribute('value');
      const mb = (n) => (n / 1e6).toFixed(1);
      box.querySelector('span').textContent = `Fetching data/${file}: ${mb(received)}${total ? ` of ${mb(total)}` : ''} MB`;
    },
  };
}

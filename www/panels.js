// The panels, in one list: each is a module with one factory, `xxxPanel(ctx)`, that wires its
// part of the page and returns the one contract, every member optional:
//
//   messages   { type(model, message) }: what it does with a worker's report of that type
//   onLab(models)                a new lab: add this panel's markup for each model
//   onModel(model)               a model's view and map canvases are new (a new lab, a restart)
//   onSettings(values, before, source)   the settings in force changed (settings.js)
//   onNewRun(model)              a model started a new run (Reset, a new seed, a data set)
//   onPlaying(moving)            the lab started or stopped training
//   onCrash(model)               a model's worker stopped
//   destroy()                    the playground is taken off the page
//
// A new panel is a new file and one line here. Some panels offer more to the others through
// ctx.panels: the views hand canvases to the lab and describe each view for the readouts;
// the walk shows a pair (for the pull); the exports download and load weights (for the
// settings store and own data); the drawing has the pad (for own data); the controls show a
// data file's progress (for the data loader).
import { controlsPanel } from './controls.js';
import { layoutPanel } from './layout.js';
import { viewsPanel } from './panel-views.js';
import { legendPanel } from './panel-legend.js';
import { readoutsPanel } from './panel-readouts.js';
import { lessonPanel } from './panel-lesson.js';
import { chartPanel } from './panel-chart.js';
import { ratePanel } from './panel-rate.js';
import { inspectorPanel } from './panel-inspector.js';
import { walkPanel } from './panel-walk.js';
import { drawingPanel } from './panel-drawing.js';
import { exportsPanel } from './panel-exports.js';
import { sharePanel } from './panel-share.js';
import { embedPanel } from './panel-embed.js';
import { ownPanel } from './own.js';
import { tearPanel } from './panel-tear.js';
import { pullPanel } from './panel-pull.js';
import { priorPanel } from './panel-prior.js';
import { presetsPanel } from './panel-presets.js';
import { hooksPanel } from './hooks.js';
import { glossaryPanel } from './panel-glossary.js';
import { tabsPanel } from './panel-tabs.js';
import { tourPanel } from './panel-tour.js';
import { FROM_WORKER, checkTypes } from './protocol.js';

/** Every panel, by name, in the order they are made and hear of events. */
const PANELS = [
  ['controls', controlsPanel], ['layout', layoutPanel], ['views', viewsPanel], ['legend', legendPanel],
  ['readouts', readoutsPanel], ['lesson', lessonPanel], ['chart', chartPanel], ['rate', ratePanel], ['inspector', inspectorPanel],
  ['walk', walkPanel], ['drawing', drawingPanel], ['exports', exportsPanel], ['share', sharePanel],
  ['embed', embedPanel], ['own', ownPanel], ['tear', tearPanel], ['pull', pullPanel], ['prior', priorPanel],
  ['presets', presetsPanel], ['tabs', tabsPanel], ['tour', tourPanel], ['hooks', hooksPanel],
  // Last: it marks the terms in the markup every other panel has made.
  ['glossary', glossaryPanel],
];

/** Makes every panel of `ctx` (into `ctx.panels`, by name) and gives `ctx` the two ways to
 * reach them all: `emit(hook, ...args)` and `route(type, model, message)`. */
export function createPanels(ctx, options) {
  const panels = {};
  ctx.panels = panels;
  ctx.emit = (hook, ...args) => { for (const p of Object.values(panels)) if (p[hook]) p[hook](...args); };
  ctx.route = (type, model, message) => {
    for (const p of Object.values(panels)) {
      const handle = p.messages && p.messages[type];
      if (handle) handle(model, message);
    }
  };
  for (const [name, make] of PANELS) {
    panels[name] = make(ctx, options);
    checkTypes(panels[name].messages || {}, FROM_WORKER, `the ${name} panel`);
  }
}

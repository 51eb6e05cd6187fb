// The figures the page's text and docs/findings.md quote, measured with vae-train (release
// build) over seeds 0, 1, 2 on every data set, and printed as Markdown tables: each cell is
// the mean over the seeds, with the lowest and highest in brackets.
//
//   node tests/figures/run.mjs ingredients [epochs...]   the four recipes of "the ingredients apart"
//   node tests/figures/run.mjs tear [epochs...]          the tear's Δ reconstruction per model,
//                                                        after 500 and 5,000 decoder-only steps
//   node tests/figures/run.mjs tear-long 30             the same after 50,000 steps (VAE and AE)
//   node tests/figures/run.mjs prior [epochs...]         how plausible samples from the prior are
//   node tests/figures/run.mjs pull [epochs...]          a similar pair held d apart: its loss and the data's
//   node tests/figures/run.mjs free [epochs...]          free codes from a random start: neighbourhoods over training
//
// A measurement, not a test: it asserts nothing and takes minutes.
import { execFileSync, execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);
const SEEDS = [0, 1, 2];
const DATASETS = ['digits', 'bars', 'blobs'];

execFileSync('cargo', ['build', '--release', '--quiet', '--bin', 'vae-train'], { cwd: root, stdio: 'inherit' });
const bin = join(root, 'target/release/vae-train');

/** The final JSON lines of one vae-train run. */
async function finals(args) {
  const { stdout } = await run(bin, [...args, '--json'], { maxBuffer: 1 << 26 });
  return stdout.split('\n').filter((l) => l.includes('"final":true')).map((l) => JSON.parse(l));
}

/** Runs every job, as many at a time as there are cores. */
async function all(jobs) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
  return results;
}

const num = (v, d) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(d));
/** "mean (min–max)" of the values. */
function cell(values, d = 2) {
  if (values.some((v) => v == null)) return values.every((v) => v == null) ? 'unbounded' : '–';
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return `${num(mean, d)} (${num(Math.min(...values), d)}–${num(Math.max(...values), d)})`;
}

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

// (EXPERIMENTS is below the functions it names.)
const EXPERIMENTS = {
  async ingredients(epochs) {
    const models = 'ae,ae:sigma=0.5,vae:noise=mean,vae';
    for (const e of epochs) {
      const jobs = DATASETS.flatMap((dataset) => SEEDS.map((seed) => () =>
        finals(['--model', models, '--dataset', dataset, '--seed', String(seed), '--epochs', String(e)])));
      const runs = await all(jobs);
      console.log(`\n### The ingredients apart, after ${e} epochs (seeds ${SEEDS.join(', ')})\n`);
      const rows = [];
      DATASETS.forEach((dataset, d) => {
        const byModel = {};
        for (const lines of runs.slice(d * SEEDS.length, (d + 1) * SEEDS.length)) {
          for (const l of lines) (byModel[l.model] ||= []).push(l);
        }
        for (const [model, ls] of Object.entries(byModel)) {
          const pos = ls.map((l) => (l.positions_per_axis ? Math.sqrt(l.positions_per_axis[0] * l.positions_per_axis[1]) : null));
          rows.push([dataset, `\`${model}\``, cell(ls.map((l) => l.eval_recon), 1), cell(ls.map((l) => l.eval_kl)),
            cell(ls.map((l) => l.spread)), cell(ls.map((l) => l.trustworthiness), 3), cell(ls.map((l) => l.continuity), 3),
            cell(ls.map((l) => l.path_ratio)), cell(pos, 1)]);
        }
      });
      console.log(table(['data', 'recipe', 'recon (nats)', 'KL (nats)', 'spread (RMS)', 'trustworthiness', 'continuity', 'path-length ratio', 'positions per axis (geometric mean)'], rows));
    }
  },
  async prior(epochs) {
    const models = 'vae,ae,ae:sigma=0.5,vae:noise=mean,vae:beta=8';
    for (const e of epochs) {
      const jobs = DATASETS.flatMap((dataset) => SEEDS.map((seed) => () => Promise.all([
        finals(['--model', 'vae,ae,ae:sigma=0.5,vae:noise=mean', '--dataset', dataset, '--seed', String(seed), '--epochs', String(e), '--prior', '500']),
        finals(['--model', 'vae:beta=8', '--dataset', dataset, '--seed', String(seed), '--epochs', String(e), '--prior', '500']),
      ]).then((parts) => parts.flat())));
      const runs = await all(jobs);
      console.log(`\n### Samples from the prior after ${e} epochs (seeds ${SEEDS.join(', ')}): 500 samples, median nats to the nearest training image, both ways\n`);
      const rows = [];
      DATASETS.forEach((dataset, d) => {
        const byModel = {};
        for (const lines of runs.slice(d * SEEDS.length, (d + 1) * SEEDS.length)) {
          for (const l of lines) (byModel[l.model] ||= []).push(l);
        }
        for (const model of models.split(',')) {
          const ls = byModel[model];
          rows.push([dataset, `\`${model}\``, model.startsWith('vae') ? 'N(0, I)' : 'fitted to the codes',
            cell(ls.map((l) => l.prior.median_nats), 1), cell(ls.map((l) => l.prior.reconstruction_nats), 1),
            cell(ls.map((l) => l.prior.median_nats - l.prior.reconstruction_nats), 1)]);
        }
      });
      console.log(table(['data', 'recipe', 'codes drawn from', 'samples', 'reconstructions', 'samples − reconstructions'], rows));
    }
  },
  async pull(epochs) {
    const DISTANCES = [0, 1, 2, 4, 8];
    const models = 'vae,ae,ae:sigma=0.5,vae:noise=mean';
    for (const e of epochs) {
      const jobs = DATASETS.flatMap((dataset) => SEEDS.flatMap((seed) => DISTANCES.map((d) => () =>
        finals(['--model', models, '--dataset', dataset, '--seed', String(seed), '--epochs', String(e), '--pull', `0,nearest,${d}`]))));
      const runs = await all(jobs);
      console.log(`\n### Input 0 and its nearest neighbour held d apart for ${e} epochs (seeds ${SEEDS.join(', ')}): the pair's own loss / the data set's loss, nats per sample\n`);
      const rows = [];
      DATASETS.forEach((dataset, k) => {
        for (const model of models.split(',')) {
          const cells = DISTANCES.map((_, di) => {
            const ls = SEEDS.map((_, si) => runs[(k * SEEDS.length + si) * DISTANCES.length + di].find((l) => l.model === model));
            return `${cell(ls.map((l) => l.pull.pair_loss), 1)} / ${cell(ls.map((l) => l.pull.loss), 1)}`;
          });
          const last = SEEDS.map((_, si) => runs[(k * SEEDS.length + si) * DISTANCES.length + DISTANCES.length - 1].find((l) => l.model === model));
          rows.push([dataset, `\`${model}\``, ...cells, cell(last.map((l) => l.pull.apart))]);
        }
      });
      console.log(table(['data', 'recipe', ...DISTANCES.map((d) => `d = ${d}`), `apart at d = ${DISTANCES.at(-1)}`], rows));
    }
  },
  async free(epochs) {
    const models = 'vae:free,ae:free,vae,ae';
    const lengths = [0, ...epochs];
    const jobs = DATASETS.flatMap((dataset) => SEEDS.flatMap((seed) => lengths.map((e) => () =>
      finals(['--model', models, '--dataset', dataset, '--seed', String(seed), '--epochs', String(e)]))));
    const runs = await all(jobs);
    console.log(`\n### Free codes from a scrambled start (seeds ${SEEDS.join(', ')}): trustworthiness / continuity at k = 10, by epochs of training\n`);
    const rows = [];
    DATASETS.forEach((dataset, k) => {
      for (const model of models.split(',')) {
        const cells = lengths.map((_, li) => {
          const ls = SEEDS.map((_, si) => runs[(k * SEEDS.length + si) * lengths.length + li].find((l) => l.model === model));
          return `${cell(ls.map((l) => l.trustworthiness), 3)} / ${cell(ls.map((l) => l.continuity), 3)}`;
        });
        const last = SEEDS.map((_, si) => runs[(k * SEEDS.length + si) * lengths.length + lengths.length - 1].find((l) => l.model === model));
        rows.push([dataset, `\`${model}\``, ...cells, cell(last.map((l) => l.spread)), cell(last.map((l) => l.path_ratio))]);
      }
    });
    console.log(table(['data', 'recipe', ...lengths.map((e) => `${e} epochs`), `spread after ${lengths.at(-1)}`, `path-length ratio after ${lengths.at(-1)}`], rows));
  },
  tear: (epochs) => tearTable(epochs, 'vae,ae,ae:sigma=0.5,vae:noise=mean', [500, 5000]),
  // Does the price reach 0 with long enough retraining? 50,000 decoder-only steps.
  'tear-long': (epochs) => tearTable(epochs, 'vae,ae', [50000]),
};

/** The tear's price per model after each of `TEARS` decoder-only steps. */
async function tearTable(epochs, models, TEARS) {
  for (const e of epochs) {
    const jobs = DATASETS.flatMap((dataset) => SEEDS.flatMap((seed) => TEARS.map((steps) => () =>
      finals(['--model', models, '--dataset', dataset, '--seed', String(seed), '--epochs', String(e), '--tear', String(steps)]))));
    const runs = await all(jobs);
    console.log(`\n### The plane torn after ${e} epochs (seeds ${SEEDS.join(', ')}): Δ reconstruction = torn − control, nats per sample\n`);
    const rows = [];
    DATASETS.forEach((dataset, d) => {
      const per = TEARS.map((_, t) => {
        const byModel = {};
        SEEDS.forEach((_, k) => {
          for (const l of runs[(d * SEEDS.length + k) * TEARS.length + t]) (byModel[l.model] ||= []).push(l);
        });
        return byModel;
      });
      for (const model of Object.keys(per[0])) {
        const first = per[0][model];
        const klSame = first.every((l) => l.tear.kl_after === l.tear.kl_before);
        rows.push([dataset, `\`${model}\``, cell(first.map((l) => 100 * l.tear.moved), 0),
          `${cell(first.map((l) => l.tear.kl_before))}${klSame ? ', unchanged' : ', CHANGED'}`,
          ...per.map((byModel) => cell(byModel[model].map((l) => l.tear.recon_torn - l.tear.recon_control))),
          ...per.map((byModel) => cell(byModel[model].map((l) => l.tear.recon_control), 1))]);
      }
    });
    console.log(table(['data', 'recipe', 'codes moved (%)', 'KL before = after (nats)',
      ...TEARS.map((t) => `Δ after ${t} steps`), ...TEARS.map((t) => `control recon after ${t}`)], rows));
  }
}

const [name, ...rest] = process.argv.slice(2);
if (!EXPERIMENTS[name]) {
  console.error(`usage: node tests/figures/run.mjs ${Object.keys(EXPERIMENTS).join('|')} [epochs...]`);
  process.exit(2);
}
await EXPERIMENTS[name](rest.length ? rest.map(Number) : [30, 300]);

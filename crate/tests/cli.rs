//! The `vae-train` command: its JSON lines, its files and its errors.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn vae_train(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vae-train"))
        .args(args)
        .output()
        .expect("vae-train runs")
}

fn json_lines(out: &Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vae-train-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn one_epoch_of_both_models_prints_epoch_and_final_lines() {
    let lines = json_lines(&vae_train(&["--epochs", "1", "--hidden", "32", "--json"]));
    assert_eq!(lines.len(), 4, "{lines:?}");
    for (i, model) in ["vae", "ae"].iter().enumerate() {
        let epoch = &lines[2 * i];
        assert_eq!(epoch["model"], *model);
        assert_eq!(epoch["epoch"], 1);
        assert_eq!(epoch["step"], 28, "1797 samples / 64 = 28 full batches");
        let (loss, recon, kl) = (
            epoch["loss"].as_f64().unwrap(),
            epoch["recon"].as_f64().unwrap(),
            epoch["kl"].as_f64().unwrap(),
        );
        assert!((loss - recon - kl).abs() < 1e-9, "β = 1: loss = recon + kl");
        let fin = &lines[2 * i + 1];
        assert_eq!(fin["model"], *model);
        assert_eq!(fin["final"], true);
        for key in ["eval_loss", "eval_recon", "eval_kl", "eval_recon_at_mean"] {
            assert!(fin[key].as_f64().unwrap().is_finite(), "{key}");
        }
        for key in ["trustworthiness", "continuity"] {
            let v = fin[key].as_f64().unwrap();
            assert!(v > 0.5 && v <= 1.0, "{key} = {v}");
        }
        let r = fin["path_ratio"].as_f64().unwrap();
        assert!((1.0..50.0).contains(&r), "path-length ratio {r}");
    }
    assert_eq!(lines[3]["eval_kl"], 0.0, "the AE has no KL");
}

#[test]
fn generated_data_sets_train_and_report() {
    for dataset in ["bars", "blobs"] {
        let args = [
            "--dataset",
            dataset,
            "--epochs",
            "1",
            "--hidden",
            "32",
            "--json",
            "--seed",
            "3",
        ];
        let lines = json_lines(&vae_train(&args));
        assert_eq!(lines.len(), 4, "{dataset}: {lines:?}");
        assert_eq!(lines[0]["step"], 28, "1800 samples / 64 = 28 full batches");
        let t = lines[1]["trustworthiness"].as_f64().unwrap();
        assert!(t > 0.5 && t <= 1.0, "{dataset}: {t}");
        // The same seed makes the same data and the same run.
        assert_eq!(lines, json_lines(&vae_train(&args)), "{dataset}");
    }
    let out = vae_train(&["--dataset", "faces"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("digits, bars, blobs"), "{err}");
}

/// The defaults `--help` shows are the settings' constants that the model's default
/// configuration and the page's URL table use.
#[test]
fn the_help_shows_the_defaults_in_force() {
    use vae_playground::config::{
        Config, DEFAULT_ACTIVATION, DEFAULT_BATCH, DEFAULT_BETA, DEFAULT_HIDDEN, DEFAULT_LR,
        DEFAULT_NOISE, DEFAULT_SEED,
    };
    use vae_playground::params::format_number;
    let out = vae_train(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    let c = Config::default();
    for (flag, default) in [
        ("--hidden", DEFAULT_HIDDEN.to_string()),
        ("--latent", c.latent.to_string()),
        ("--activation", DEFAULT_ACTIVATION.to_string()),
        ("--beta", format_number(DEFAULT_BETA)),
        ("--lr", format_number(DEFAULT_LR)),
        ("--optimizer", c.optimizer.to_string()),
        ("--batch", DEFAULT_BATCH.to_string()),
        ("--noise", DEFAULT_NOISE.to_string()),
        ("--seed", DEFAULT_SEED.to_string()),
    ] {
        let line = help
            .lines()
            .find(|l| l.starts_with(&format!("  {flag} ")))
            .unwrap_or_else(|| panic!("{flag} in --help"));
        assert!(line.ends_with(&format!("({default})")), "{line}");
    }
    assert!(help.contains("  --beta F                     weight of the KL term, β-VAE (1)\n"));
    assert!(help.contains("  --lr F                       learning rate (0.001)\n"));
}

#[test]
fn zero_steps_trains_nothing() {
    let lines = json_lines(&vae_train(&["--steps", "0", "--model", "vae", "--json"]));
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["final"], true);
    assert_eq!(lines[0]["step"], 0);
    // Untrained, the decoder outputs about σ(0) = ½ per pixel: near 64·ln 2 ≈ 44.4 nats.
    let recon = lines[0]["eval_recon"].as_f64().unwrap();
    assert!((40.0..50.0).contains(&recon), "{recon}");
}

#[test]
fn saved_weights_load_back_to_the_same_latent_codes() {
    let (w, a, b) = (temp("w.json"), temp("a.csv"), temp("b.csv"));
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();
    let out = vae_train(&[
        "--model",
        "vae",
        "--steps",
        "20",
        "--hidden",
        "32",
        "--seed",
        "5",
        "--save-weights",
        &s(&w),
        "--save-latents",
        &s(&a),
    ]);
    assert!(out.status.success());
    let out = vae_train(&[
        "--model",
        "vae",
        "--steps",
        "0",
        "--load-weights",
        &s(&w),
        "--save-latents",
        &s(&b),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (a, b) = (
        std::fs::read_to_string(a).unwrap(),
        std::fs::read_to_string(b).unwrap(),
    );
    assert_eq!(a, b);
    let rows: Vec<&str> = a.lines().collect();
    assert_eq!(rows[0], "index,label,model,mu_0,mu_1,logvar_0,logvar_1");
    assert_eq!(rows.len(), 1 + 1797);
    assert!(rows[1].starts_with("0,0,vae,"), "{}", rows[1]);
    let weights: Value = serde_json::from_str(&std::fs::read_to_string(w).unwrap()).unwrap();
    assert_eq!(weights["format"], "vae-playground-weights");
    assert_eq!(weights["version"], 1);
    assert_eq!(weights["tensors"][0]["shape"], serde_json::json!([64, 32]));
}

#[test]
fn latents_of_both_models_share_one_file_and_the_ae_has_no_logvar() {
    let path = temp("both.csv");
    let out = vae_train(&[
        "--steps",
        "2",
        "--hidden",
        "16",
        "--save-latents",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(path).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 1 + 2 * 1797);
    let ae_row = rows[1 + 1797];
    assert!(
        ae_row.starts_with("0,0,ae,") && ae_row.ends_with(",,"),
        "{ae_row}"
    );
}

#[test]
fn a_list_of_recipes_trains_each_on_the_same_batches() {
    let weights = temp("lab.json");
    let lines = json_lines(&vae_train(&[
        "--model",
        "vae,vae:beta=0,vae:noise=mean",
        "--steps",
        "3",
        "--hidden",
        "16",
        "--json",
        "--save-weights",
        weights.to_str().unwrap(),
    ]));
    let names: Vec<&str> = lines.iter().map(|l| l["model"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "vae",
            "vae",
            "vae:beta=0",
            "vae:beta=0",
            "vae:noise=mean",
            "vae:noise=mean"
        ]
    );
    // Without its β, the loss is the reconstruction alone; the others weigh in the KL.
    let (vae, free) = (&lines[0], &lines[2]);
    assert_eq!(free["loss"], free["recon"]);
    assert!(free["kl"].as_f64().unwrap() > 0.0);
    assert!(vae["loss"].as_f64().unwrap() > vae["recon"].as_f64().unwrap());
    // Each recipe's weights go to a file of its own, named by the recipe.
    for name in ["vae", "vae-beta=0", "vae-noise=mean"] {
        let path = weights.with_file_name(format!("lab-{name}.json"));
        let text = std::fs::read_to_string(&path).unwrap();
        let file: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(file["model"], "vae", "{path:?}");
    }
    let mean: Value = serde_json::from_str(
        &std::fs::read_to_string(weights.with_file_name("lab-vae-noise=mean.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(mean["config"]["noise"], "mean");
}

#[test]
fn bad_flags_fail_with_a_message() {
    for (args, words) in [
        (vec!["--beta", "-1"], "β must be"),
        (vec!["--lr", "0"], "learning rate"),
        (vec!["--batch", "0"], "batch"),
        (vec!["--batch", "5000"], "larger than the data set"),
        (vec!["--hidden", "banana"], "needs a number"),
        (vec!["--model", "gan"], "vae, ae or both"),
        (vec!["--model", "ae:beta=0"], "autoencoder has no KL term"),
        (vec!["--model", "vae,ae,vae,ae,vae"], "1 to 4 models"),
        (vec!["--activation", "sigmoid"], "relu, tanh"),
        (
            vec!["--dataset", "cifar"],
            "unknown; known: digits, bars, blobs, mnist, fashion",
        ),
        (
            vec!["--dataset", "own"],
            "give the file with --data FILE.csv",
        ),
        (vec!["--bogus", "1"], "unknown flag"),
        (vec!["--seed"], "needs a value"),
        (vec!["--load-weights", "/nonexistent/w.json"], "w.json"),
    ] {
        let out = vae_train(&args);
        assert!(!out.status.success(), "{args:?} should fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(words), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
    }
}

#[test]
fn a_csv_of_ones_own_trains_and_names_itself_in_the_weights() {
    // Forty 4×4 images, two kinds (a left bar and a right bar), labelled, values 0 to 255.
    let mut text = String::from("label");
    for p in 0..16 {
        text.push_str(&format!(",p{p}"));
    }
    text.push('\n');
    for i in 0..40 {
        let kind = i % 2;
        text.push_str(&kind.to_string());
        for p in 0..16 {
            let on = (p % 4 == 0 && kind == 0) || (p % 4 == 3 && kind == 1);
            text.push_str(if on { ",255" } else { ",0" });
        }
        text.push('\n');
    }
    let file = temp("bars4.csv");
    std::fs::write(&file, text).unwrap();
    let weights = temp("bars4-weights.json");
    let lines = json_lines(&vae_train(&[
        "--data",
        file.to_str().unwrap(),
        "--model",
        "vae",
        "--batch",
        "8",
        "--epochs",
        "20",
        "--hidden",
        "16",
        "--save-weights",
        weights.to_str().unwrap(),
        "--json",
    ]));
    let first = lines.first().unwrap()["loss"].as_f64().unwrap();
    let last = lines.last().unwrap();
    assert_eq!(last["final"], true);
    assert!(last["eval_loss"].as_f64().unwrap() < first, "{last}");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&weights).unwrap()).unwrap();
    assert_eq!(saved["config"]["dataset"], "bars4.csv");
    // A bad file: its message, and nothing on stdout.
    let bad = temp("ragged.csv");
    std::fs::write(&bad, format!("{}\n0,1\n", ["0"; 16].join(","))).unwrap();
    let out = vae_train(&["--data", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("row 2 has 2 values, but the first row has 16"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn mnist_and_fashion_train_from_the_files_the_build_converts() {
    // The converter of the build, from the pinned npm packages (www/node_modules).
    let dir = temp("data");
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let status = Command::new("node")
        .args(["www/convert-data.mjs", dir.to_str().unwrap()])
        .current_dir(root)
        .status()
        .expect("node runs");
    assert!(status.success(), "www/convert-data.mjs");
    for (name, bytes) in [
        ("mnist", 12 + 10_000 + 10_000 * 784),
        ("fashion", 12 + 10_000 + 10_000 * 392),
    ] {
        let file = dir.join(format!("{name}.bin"));
        assert_eq!(
            std::fs::metadata(&file).unwrap().len(),
            bytes as u64,
            "{name}"
        );
        let lines = json_lines(&vae_train(&[
            "--dataset",
            name,
            "--data-dir",
            dir.to_str().unwrap(),
            "--model",
            "vae",
            "--steps",
            "30",
            "--hidden",
            "16",
            "--json",
        ]));
        let last = lines.last().unwrap();
        assert_eq!(last["final"], true, "{name}");
        assert!(
            last["eval_loss"].as_f64().unwrap() < 600.0,
            "{name}: {last}"
        );
        assert!(
            last["trustworthiness"].as_f64().unwrap() > 0.5,
            "{name}: {last}"
        );
    }
    // Without the file: a message that says how to make it.
    let out = vae_train(&["--dataset", "mnist", "--data-dir", "/nonexistent"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("www/build.sh converts it"));
}

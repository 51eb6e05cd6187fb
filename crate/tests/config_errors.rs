//! Each bad setting gives its own typed error with a sentence a student can read.

use std::sync::Arc;
use vae_playground::config::{Config, ConfigError, MAX_HIDDEN, MAX_LATENT};
use vae_playground::data::Dataset;
use vae_playground::train::Trainer;

#[test]
fn each_bad_setting_has_its_error() {
    let d = Config::default;
    let cases: Vec<(Config, ConfigError, &str)> = vec![
        (
            Config { beta: -0.5, ..d() },
            ConfigError::Beta(-0.5),
            "from 0 to 10",
        ),
        (
            Config { beta: 10.5, ..d() },
            ConfigError::Beta(10.5),
            "from 0 to 10",
        ),
        (
            Config {
                beta: f32::NAN,
                ..d()
            },
            ConfigError::Beta(f32::NAN),
            "β must be",
        ),
        (
            Config {
                beta: f32::INFINITY,
                ..d()
            },
            ConfigError::Beta(f32::INFINITY),
            "β must be",
        ),
        (
            Config { lr: 0.0, ..d() },
            ConfigError::LearningRate(0.0),
            "from 1e-5 to 10",
        ),
        (
            Config { lr: 20.0, ..d() },
            ConfigError::LearningRate(20.0),
            "from 1e-5 to 10",
        ),
        (
            Config { lr: -1.0, ..d() },
            ConfigError::LearningRate(-1.0),
            "from 1e-5 to 10",
        ),
        (
            Config {
                lr: f32::INFINITY,
                ..d()
            },
            ConfigError::LearningRate(f32::INFINITY),
            "learning rate",
        ),
        (
            Config { batch: 0, ..d() },
            ConfigError::BatchZero,
            "at least 1",
        ),
        (
            Config { batch: 1798, ..d() },
            ConfigError::BatchTooLarge {
                batch: 1798,
                samples: 1797,
            },
            "larger than the data set, which has 1797",
        ),
        (
            Config { hidden: 0, ..d() },
            ConfigError::HiddenZero,
            "at least 1 unit",
        ),
        (
            Config {
                hidden: 1_000_000,
                ..d()
            },
            ConfigError::HiddenTooLarge(1_000_000),
            "too many",
        ),
        (
            Config { latent: 0, ..d() },
            ConfigError::LatentZero,
            "at least 1 dimension",
        ),
        (
            Config { latent: 65, ..d() },
            ConfigError::LatentTooLarge(65),
            "at most 64",
        ),
    ];
    let data = Arc::new(Dataset::digits());
    for (config, want, words) in cases {
        let got = Trainer::new(config.clone(), data.clone())
            .err()
            .expect("rejected");
        // NaN ≠ NaN, so compare the variant through its message.
        assert_eq!(got.to_string(), want.to_string(), "{config:?}");
        assert!(got.to_string().contains(words), "{got}");
    }
    // The limits themselves are accepted.
    let edge = Config {
        hidden: MAX_HIDDEN,
        latent: MAX_LATENT,
        batch: 1797,
        beta: 0.0,
        ..d()
    };
    assert_eq!(edge.validate(1797), Ok(()));
}

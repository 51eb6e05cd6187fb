//! A model of a lab, described by a small typed recipe with a short text form that the
//! trainer's `--model` flag and docs/trainer.md share: its kind, and where it departs from the
//! lab's settings.
//!
//! | text | model |
//! |---|---|
//! | `vae` | a VAE with the lab's β and noise |
//! | `ae` | a plain autoencoder |
//! | `vae:beta=0` | a VAE with its own β (here: no KL term) |
//! | `vae:noise=mean` | a VAE trained on `z = μ` (no sampling) |
//! | `vae:beta=4:noise=mean` | both |
//! | `vae:free`, `ae:free` | a model with free codes: no encoder network, a learnable code per training input, initialised at random |
//! | `ae:sigma=0.5` | an autoencoder whose code gets a fixed noise while training, `z = code + σ₀·ε` with `σ₀ = 0.5`, and no KL term |
//!
//! A list is written with commas: `vae,ae` (the default lab), at most [`MAX_MODELS`] recipes.

use crate::config::{Config, ConfigError, Noise, check_beta, check_sigma};
use crate::model::ModelKind;
use crate::quote::quote;
use std::fmt;
use std::str::FromStr;

/// The most models a lab trains side by side.
pub const MAX_MODELS: usize = 4;

/// One model of a lab.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Recipe {
    /// VAE or AE.
    pub kind: ModelKind,
    /// β of this model, instead of the lab's (VAE only).
    pub beta: Option<f32>,
    /// The noise of this model while training, instead of the lab's (VAE only).
    pub noise: Option<Noise>,
    /// The fixed noise σ₀ added to the code while training (AE only).
    pub sigma: Option<f32>,
    /// Free codes: a learnable code per training input instead of an encoder network.
    pub free: bool,
}

impl Recipe {
    /// A model of `kind` with the lab's settings.
    pub fn plain(kind: ModelKind) -> Recipe {
        Recipe {
            kind,
            beta: None,
            noise: None,
            sigma: None,
            free: false,
        }
    }

    /// The lab's `config` as this model trains it.
    pub fn config(&self, config: &Config) -> Config {
        Config {
            model: self.kind,
            beta: self.beta.unwrap_or(config.beta),
            noise: self.noise.unwrap_or(config.noise),
            sigma: self.sigma.unwrap_or(0.0),
            free: self.free,
            ..config.clone()
        }
    }
}

/// Why a recipe's text cannot be read.
#[derive(Clone, Debug, PartialEq)]
pub enum RecipeError {
    /// Not `vae` or `ae` before the first `:`.
    Kind(String),
    /// A part after the kind that is not `beta=…` or `noise=…` (VAE) or `sigma=…` (AE), or
    /// is given twice.
    Part(String),
    /// β or the noise given to an autoencoder, which has neither.
    NotForAe(String),
    /// A fixed noise σ₀ given to a VAE, whose noise is its own σ.
    NotForVae(String),
    /// A σ₀ that cannot be used.
    Sigma(ConfigError),
    /// A β that cannot be used.
    Beta(ConfigError),
    /// A noise that is neither `sample` nor `mean`.
    Noise(String),
    /// No recipe, or more than [`MAX_MODELS`].
    Count(usize),
    /// One recipe twice in a list (written the same, or meaning the same, as `vae:beta=1` and
    /// `vae:beta=1.0`): the same model from the same seed would train the same run twice.
    Repeated(String),
}

impl fmt::Display for RecipeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecipeError::Kind(k) => write!(f, "a model is vae or ae, not {}", quote(k)),
            RecipeError::Part(p) => write!(
                f,
                "{} is not a part of a model's recipe: after vae, write :beta=B or :noise=sample|mean, each at most once; after ae, :sigma=S; after either, :free",
                quote(p)
            ),
            RecipeError::NotForAe(p) => write!(
                f,
                "an autoencoder has no KL term and no sampling of its own, so {} does not apply to it (ae:sigma=S adds a fixed noise)",
                quote(p)
            ),
            RecipeError::NotForVae(p) => write!(
                f,
                "a VAE's noise is its own σ, learnt for each input, so {} does not apply to it (vae:noise=mean turns it off)",
                quote(p)
            ),
            RecipeError::Sigma(e) => write!(f, "{e}"),
            RecipeError::Beta(e) => write!(f, "{e}"),
            RecipeError::Noise(n) => write!(f, "noise is sample or mean, not {}", quote(n)),
            RecipeError::Count(n) => write!(
                f,
                "a lab trains 1 to {MAX_MODELS} models side by side, not {n}"
            ),
            RecipeError::Repeated(r) => write!(
                f,
                "{} is in the list twice: the models of a lab must differ (one recipe from one seed trains the same run twice)",
                quote(r)
            ),
        }
    }
}

impl std::error::Error for RecipeError {}

impl fmt::Display for Recipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if let Some(b) = self.beta {
            write!(f, ":beta={b}")?;
        }
        if let Some(n) = self.noise {
            write!(f, ":noise={n}")?;
        }
        if let Some(s) = self.sigma {
            write!(f, ":sigma={s}")?;
        }
        if self.free {
            write!(f, ":free")?;
        }
        Ok(())
    }
}

impl FromStr for Recipe {
    type Err = RecipeError;

    /// Reads `vae[:beta=B][:noise=sample|mean][:free]` or `ae[:sigma=S][:free]`.
    fn from_str(s: &str) -> Result<Recipe, RecipeError> {
        let mut parts = s.trim().split(':');
        let kind_text = parts.next().unwrap_or("");
        let kind: ModelKind = kind_text
            .parse()
            .map_err(|_| RecipeError::Kind(kind_text.to_string()))?;
        let mut recipe = Recipe::plain(kind);
        for part in parts {
            if part == "free" && !recipe.free {
                recipe.free = true;
                continue;
            }
            let key = part.split_once('=').map(|(k, _)| k);
            match (kind, key) {
                (ModelKind::Ae, Some("beta" | "noise")) => {
                    return Err(RecipeError::NotForAe(part.to_string()));
                }
                (ModelKind::Vae, Some("sigma")) => {
                    return Err(RecipeError::NotForVae(part.to_string()));
                }
                _ => {}
            }
            match part.split_once('=') {
                Some(("beta", b)) if recipe.beta.is_none() => {
                    let beta: f32 = b
                        .parse()
                        .map_err(|_| RecipeError::Beta(ConfigError::Beta(f32::NAN)))?;
                    recipe.beta = Some(check_beta(beta).map_err(RecipeError::Beta)?);
                }
                Some(("noise", n)) if recipe.noise.is_none() => {
                    recipe.noise = Some(n.parse().map_err(|_| RecipeError::Noise(n.to_string()))?);
                }
                Some(("sigma", v)) if recipe.sigma.is_none() => {
                    let sigma: f32 = v
                        .parse()
                        .map_err(|_| RecipeError::Sigma(ConfigError::Sigma(f32::NAN)))?;
                    recipe.sigma = Some(check_sigma(sigma).map_err(RecipeError::Sigma)?);
                }
                _ => return Err(RecipeError::Part(part.to_string())),
            }
        }
        Ok(recipe)
    }
}

/// Reads a comma-separated list of 1 to [`MAX_MODELS`] recipes; `both` is `vae,ae` (as the
/// trainer's `--model both` always meant).
///
/// # Errors
/// The first recipe that cannot be read, a count out of bounds, or a recipe given twice.
pub fn parse_list(text: &str) -> Result<Vec<Recipe>, RecipeError> {
    let text = if text.trim() == "both" {
        "vae,ae"
    } else {
        text
    };
    let list = text
        .split(',')
        .map(str::parse)
        .collect::<Result<Vec<Recipe>, _>>()?;
    if list.is_empty() || list.len() > MAX_MODELS {
        return Err(RecipeError::Count(list.len()));
    }
    if let Some(i) = (1..list.len()).find(|&i| list[..i].contains(&list[i])) {
        return Err(RecipeError::Repeated(list[i].to_string()));
    }
    Ok(list)
}

/// A list's text form: the recipes' with commas.
pub fn format_list(list: &[Recipe]) -> String {
    list.iter()
        .map(Recipe::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipes_read_back_from_their_text() {
        for text in [
            "vae",
            "ae",
            "vae:beta=0",
            "vae:noise=mean",
            "vae:beta=4:noise=mean",
            "ae:sigma=0.5",
            "vae:free",
            "ae:sigma=0.5:free",
        ] {
            let r: Recipe = text.parse().unwrap();
            assert_eq!(r.to_string(), text);
        }
        let r: Recipe = "vae:noise=mean:beta=2.5".parse().unwrap();
        assert_eq!(
            r.to_string(),
            "vae:beta=2.5:noise=mean",
            "written in one order"
        );
        let list = parse_list("vae,ae,vae:beta=0").unwrap();
        assert_eq!(format_list(&list), "vae,ae,vae:beta=0");
        assert_eq!(parse_list("both").unwrap(), parse_list("vae,ae").unwrap());
    }

    #[test]
    fn a_recipe_departs_from_the_lab_only_where_it_says() {
        let lab = Config {
            beta: 2.0,
            noise: Noise::Sample,
            hidden: 32,
            ..Config::default()
        };
        let own: Recipe = "vae:beta=0".parse().unwrap();
        let c = own.config(&lab);
        assert_eq!(
            (c.model, c.beta, c.noise, c.hidden),
            (ModelKind::Vae, 0.0, Noise::Sample, 32)
        );
        let ae = Recipe::plain(ModelKind::Ae).config(&lab);
        assert_eq!((ae.model, ae.beta, ae.sigma), (ModelKind::Ae, 2.0, 0.0));
        let noisy: Recipe = "ae:sigma=0.5".parse().unwrap();
        assert_eq!(noisy.config(&lab).sigma, 0.5);
    }

    #[test]
    fn bad_recipes_say_what_is_wrong() {
        let e = |t: &str| parse_list(t).unwrap_err().to_string();
        assert!(e("gan").contains("vae or ae, not \"gan\""));
        assert!(e("vae:beta=-1").contains("β must be"));
        assert!(e("vae:beta=x").contains("β must be"));
        assert!(e("vae:noise=loud").contains("sample or mean"));
        assert!(e("vae:depth=3").contains("\"depth=3\" is not a part"));
        assert!(e("vae:beta=1:beta=2").contains("\"beta=2\" is not a part"));
        assert!(e("ae:beta=0").contains("autoencoder"));
        assert!(e("ae:noise=mean").contains("autoencoder"));
        assert!(e("vae:sigma=0.5").contains("VAE's noise is its own σ"));
        assert!(e("ae:sigma=-1").contains("σ₀ must be"));
        assert!(e("ae:sigma=11").contains("σ₀ must be"));
        assert!(e("ae:sigma=x").contains("σ₀ must be"));
        assert!(e("ae:sigma=1:sigma=2").contains("\"sigma=2\" is not a part"));
        assert!(e("ae:depth=3").contains("\"depth=3\" is not a part"));
        assert!(e("vae:free:free").contains("\"free\" is not a part"));
        assert!(e("vae,ae,vae,ae,vae").contains("1 to 4 models"));
        assert!(e("vae,vae").contains("\"vae\" is in the list twice"));
        assert!(e("ae,ae,ae,ae").contains("\"ae\" is in the list twice"));
        assert!(e("vae:beta=1,vae:beta=1.0").contains("\"vae:beta=1\" is in the list twice"));
        assert!(e("vae:noise=mean:beta=2,vae:beta=2:noise=mean").contains("twice"));
        assert!(
            parse_list("vae,vae:beta=1,vae:free").is_ok(),
            "recipes that differ"
        );
        // A value of any length is quoted back cut.
        let long = "x".repeat(100_000);
        assert!(e(&long).len() < 200, "{}", e(&long).len());
        assert!(e(&format!("vae:{long}")).len() < 400);
        assert!(e("").contains("vae or ae"));
    }
}

//! The text form of the project's choices, written once. Each enum lists its variants with
//! their names in one place ([`named!`]); `name`, `Display`, `FromStr` and the list of names
//! that the URL table, the trainer's flags and the page offer all come from that list.

use std::fmt;

/// A name that is none of the known ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
    /// What was being named (`model`, `activation`, ...).
    pub what: &'static str,
    /// The name given.
    pub got: String,
    /// The names known.
    pub known: &'static [&'static str],
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is one of {}, not {:?}",
            self.what,
            self.known.join(", "),
            self.got
        )
    }
}

impl std::error::Error for UnknownName {}

/// Gives an enum its names: `named!(Noise, "noise", [Noise::Sample => "sample", ...])`.
macro_rules! named {
    ($ty:ty, $what:literal, [$($variant:path => $name:literal),+ $(,)?]) => {
        impl $ty {
            /// Every name, in the order of the variants.
            pub const NAMES: &'static [&'static str] = &[$($name),+];

            /// The name used in flags, URLs, JSON and weight files.
            pub const fn name(self) -> &'static str {
                match self {
                    $($variant => $name),+
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::names::UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok($variant),)+
                    _ => Err($crate::names::UnknownName {
                        what: $what,
                        got: s.to_string(),
                        known: Self::NAMES,
                    }),
                }
            }
        }
    };
}

pub(crate) use named;

#[cfg(test)]
mod tests {
    use crate::config::{Noise, OptimizerKind};
    use crate::layers::Activation;
    use crate::model::ModelKind;

    #[test]
    fn every_name_reads_back_and_others_are_refused() {
        fn round_trip<T>(all: &[T])
        where
            T: Copy + PartialEq + std::fmt::Debug + std::fmt::Display + std::str::FromStr,
        {
            for &v in all {
                assert_eq!(v.to_string().parse::<T>().ok(), Some(v));
            }
        }
        round_trip(&[ModelKind::Vae, ModelKind::Ae]);
        round_trip(&[Activation::Relu, Activation::Tanh]);
        round_trip(&[Noise::Sample, Noise::Mean]);
        round_trip(&[OptimizerKind::Adam, OptimizerKind::Sgd]);
        assert_eq!(Noise::NAMES, &["sample", "mean"]);
        let e = "gan".parse::<ModelKind>().unwrap_err();
        assert_eq!(e.to_string(), "model is one of vae, ae, not \"gan\"");
        assert!("Relu".parse::<Activation>().is_err(), "names are exact");
    }
}

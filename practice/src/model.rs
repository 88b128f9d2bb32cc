//! The catalog's data model and its validation.
//!
//! This file is also compiled into `build.rs` (through `#[path]`), so it may only
//! use `serde`, `thiserror` and `std`: the build script validates the content
//! files with exactly the rules the tests use.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A language Stille speaks. Danish first: the courses are Danish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Da,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Da, Lang::En];

    /// The BCP 47 tag, for `<html lang>` and speech synthesis.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    /// Picks Danish when the first of the user's preferred languages that Stille
    /// speaks is Danish, English otherwise (`navigator.languages` order).
    pub fn from_preferences<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        for tag in preferred {
            let primary = tag.split(['-', '_']).next().unwrap_or_default();
            if primary.eq_ignore_ascii_case("da") {
                return Lang::Da;
            }
            if primary.eq_ignore_ascii_case("en") {
                return Lang::En;
            }
        }
        Lang::En
    }
}

/// A text in every language Stille speaks. Deserialising fails when one is missing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub da: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Da => &self.da,
            Lang::En => &self.en,
        }
    }
}

/// A practice's stable identifier, e.g. `msc-affectionate-breathing`. Log entries
/// and course templates refer to practices by it: changing one breaks history.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PracticeId(String);

impl TryFrom<String> for PracticeId {
    type Error = ContentError;
    fn try_from(id: String) -> Result<Self, Self::Error> {
        PracticeId::parse(&id)
    }
}

impl From<PracticeId> for String {
    fn from(id: PracticeId) -> String {
        id.0
    }
}

impl PracticeId {
    /// Lowercase ASCII letters, digits and single hyphens; 3 to 64 characters.
    pub fn parse(id: &str) -> Result<PracticeId, ContentError> {
        let well_formed = (3..=64).contains(&id.len())
            && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !id.starts_with('-')
            && !id.ends_with('-')
            && !id.contains("--");
        if well_formed { Ok(PracticeId(id.to_owned())) } else { Err(ContentError::BadId(id.to_owned())) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PracticeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The programme a practice belongs to, which is how the library groups them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Program {
    /// Mindful Self-Compassion (Neff & Germer).
    Msc,
    /// Mindfulness-Based Stress Reduction (Kabat-Zinn).
    Mbsr,
    /// Mindfulness-Based Cognitive Therapy (Segal, Williams & Teasdale).
    Mbct,
    Breathing,
    Regulation,
    Timer,
    /// Practices that are logged, not played.
    Informal,
}

impl Program {
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Program::Msc, _) => "MSC",
            (Program::Mbsr, _) => "MBSR",
            (Program::Mbct, _) => "MBCT",
            (Program::Breathing, Lang::Da) => "Vejrtrækning",
            (Program::Breathing, Lang::En) => "Breathing",
            (Program::Regulation, Lang::Da) => "Regulering",
            (Program::Regulation, Lang::En) => "Regulation",
            (Program::Timer, Lang::Da) => "Stille timer",
            (Program::Timer, Lang::En) => "Silent timer",
            (Program::Informal, Lang::Da) => "Uformel praksis",
            (Program::Informal, Lang::En) => "Informal practice",
        }
    }
}

/// How a practice is carried out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Spoken or written guidance with bells.
    Guided,
    /// A paced breathing pattern with a visual pacer.
    BreathingPattern,
    /// Bells only.
    SilentTimer,
    /// Done in daily life and logged afterwards, not played.
    Informal,
}

/// One practice in the catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    pub id: PracticeId,
    pub program: Program,
    pub kind: Kind,
    pub title: Text,
    pub summary: Text,
    /// The length offered first, in minutes.
    pub default_minutes: u16,
    /// Every length the practice can be played at, in minutes, ascending.
    pub minutes: Vec<u16>,
    /// The protocol or programme this practice rests on (book, paper, manual).
    pub source: String,
}

/// All practices, in library order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub practices: Vec<Practice>,
}

impl Catalog {
    pub fn get(&self, id: &str) -> Option<&Practice> {
        self.practices.iter().find(|p| p.id.as_str() == id)
    }

    /// Checks the rules the type system cannot: unique ids, texts present in every
    /// language, sensible lengths. Returns every problem, not just the first.
    pub fn validate(&self) -> Result<(), Vec<ContentError>> {
        let mut errors = Vec::new();
        for (i, practice) in self.practices.iter().enumerate() {
            if self.practices[..i].iter().any(|p| p.id == practice.id) {
                errors.push(ContentError::DuplicateId(practice.id.to_string()));
            }
            errors.extend(practice.problems());
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

impl Practice {
    fn problems(&self) -> Vec<ContentError> {
        let mut errors = Vec::new();
        let id = self.id.to_string();
        for (field, text) in [("title", &self.title), ("summary", &self.summary)] {
            for lang in Lang::ALL {
                if text.get(lang).trim().is_empty() {
                    errors.push(ContentError::MissingText { id: id.clone(), field, lang });
                }
            }
        }
        if self.source.trim().is_empty() {
            errors.push(ContentError::MissingSource(id.clone()));
        }
        let ascending = self.minutes.windows(2).all(|w| w[0] < w[1]);
        if self.minutes.is_empty() || self.minutes.contains(&0) || !ascending {
            errors.push(ContentError::BadLengths(id.clone()));
        } else if !self.minutes.contains(&self.default_minutes) {
            errors.push(ContentError::DefaultNotAllowed { id, default: self.default_minutes });
        }
        errors
    }
}

/// What is wrong with a content file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    #[error("practice id {0:?} is not lowercase letters, digits and single hyphens (3–64 chars)")]
    BadId(String),
    #[error("practice id {0:?} is used twice")]
    DuplicateId(String),
    #[error("practice {id}: {field} has no {lang:?} text")]
    MissingText { id: String, field: &'static str, lang: Lang },
    #[error("practice {0}: `source` is empty; cite the protocol it rests on")]
    MissingSource(String),
    #[error("practice {0}: `minutes` must be a non-empty ascending list of lengths above 0")]
    BadLengths(String),
    #[error("practice {id}: default_minutes = {default} is not one of `minutes`")]
    DefaultNotAllowed { id: String, default: u16 },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn practice_ids_are_checked() {
        assert!(PracticeId::parse("msc-affectionate-breathing").is_ok());
        assert!(PracticeId::parse("box-4-4-4-4").is_ok());
        for bad in ["", "ab", "Body-Scan", "-x-y", "x-y-", "a--b", "bad id", "æble"] {
            assert!(PracticeId::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn language_follows_the_first_spoken_preference() {
        assert_eq!(Lang::from_preferences(["da-DK", "en"]), Lang::Da);
        assert_eq!(Lang::from_preferences(["de-DE", "DA"]), Lang::Da);
        assert_eq!(Lang::from_preferences(["en-GB", "da"]), Lang::En);
        assert_eq!(Lang::from_preferences(["sv", "nb"]), Lang::En);
        assert_eq!(Lang::from_preferences([]), Lang::En);
    }

    fn practice(id: &str) -> Practice {
        let text = Text { da: "tekst".into(), en: "text".into() };
        Practice {
            id: PracticeId::parse(id).expect("valid id"),
            program: Program::Timer,
            kind: Kind::SilentTimer,
            title: text.clone(),
            summary: text,
            default_minutes: 10,
            minutes: vec![5, 10, 20],
            source: "test".into(),
        }
    }

    #[test]
    fn validation_reports_every_problem() {
        let mut missing = practice("timer-b");
        missing.title.da = " ".into();
        missing.default_minutes = 15;
        let mut unsorted = practice("timer-c");
        unsorted.minutes = vec![10, 5];
        let catalog =
            Catalog { practices: vec![practice("timer-a"), practice("timer-a"), missing, unsorted] };
        assert_eq!(
            catalog.validate(),
            Err(vec![
                ContentError::DuplicateId("timer-a".into()),
                ContentError::MissingText { id: "timer-b".into(), field: "title", lang: Lang::Da },
                ContentError::DefaultNotAllowed { id: "timer-b".into(), default: 15 },
                ContentError::BadLengths("timer-c".into()),
            ])
        );
    }
}

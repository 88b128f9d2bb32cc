//! Outcome questionnaires ("instruments") as data, and how each is scored.
//!
//! An instrument lives in `practice/content/instruments/<id>.toml`: its items
//! and answer scale in Danish and English, which items are reverse-scored, its
//! subscales, the scoring rule (sum or mean, a factor, how many answers may be
//! missing), its bands with plain-language meanings, the change that counts as
//! meaningful, and where its wording comes from: the citation, the source of
//! each language's wording and whether that wording is validated. A wording
//! that is Stille's own translation says `validated = false` for its language,
//! and every screen and report says so.
//!
//! Also compiled into `build.rs` (through `#[path]`), so it only uses
//! `crate::model`, `serde` and `std`: the build checks every instrument with
//! the rules the tests use.
//!
//! Changing an instrument's id, its items' order or its answer values breaks
//! answers kept in the field.

use serde::{Deserialize, Serialize};

use crate::model::{ContentError, Lang, Text};

/// The most items an instrument may have (answers are a list of this length).
pub const MAX_ITEMS: usize = 60;

/// A questionnaire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// Stable id (`who-5`); answers refer to it.
    pub id: String,
    /// Its name, as the literature names it.
    pub name: Text,
    /// What it asks about and what its score means, in plain words.
    pub about: Text,
    /// What the person answering is asked, shown above the items.
    pub instructions: Text,
    /// About how many minutes it takes.
    pub minutes: u8,
    /// The answer scale, in the order it is shown (the same for every item).
    pub options: Vec<AnswerOption>,
    pub items: Vec<Item>,
    #[serde(default)]
    pub subscales: Vec<Subscale>,
    pub scoring: Scoring,
    /// From the lowest score up; the last reaches the highest score.
    #[serde(default)]
    pub bands: Vec<Band>,
    /// Whether each language's wording is a validated version.
    pub validated: Validated,
    /// Where each language's wording comes from.
    pub wording_source: Text,
    /// The paper(s) to cite, as one text.
    pub citation: String,
    /// Terms of use.
    pub licence: String,
}

/// One answer on the scale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    pub value: u8,
    pub label: Text,
}

/// One statement or question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub text: Text,
    /// Scored the other way round: the lowest answer counts as the highest.
    #[serde(default)]
    pub reverse: bool,
}

/// A part of the instrument scored on its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscale {
    pub id: String,
    pub name: Text,
    /// Its items, numbered from 1 as in the published instrument.
    pub items: Vec<u8>,
}

/// Whether the item scores are added up or averaged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Sum,
    Mean,
}

/// How the answers become a score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    pub method: Method,
    /// The sum or mean is multiplied by this (WHO-5: 4, to give 0–100).
    #[serde(default = "one")]
    pub factor: f64,
    /// How many items may be left unanswered; a sum is then prorated (the
    /// answered items' mean times the number of items).
    #[serde(default)]
    pub max_missing: u8,
    /// Decimals the score is shown (and banded) with.
    #[serde(default)]
    pub decimals: u8,
    /// A change of at least this much between two answers counts as
    /// meaningful (the instrument's own threshold), if it has one.
    #[serde(default)]
    pub meaningful_change: Option<f64>,
    /// Whether a higher score is better (WHO-5) or worse (PSS-10).
    pub higher_is: Direction,
}

fn one() -> f64 {
    1.0
}

/// Which way is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Better,
    Worse,
}

/// A range of scores with a plain-language meaning.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The highest score in this band (inclusive, at the shown decimals).
    pub up_to: f64,
    pub label: Text,
    pub meaning: Text,
    /// A score here is met with a gentle note about help and talking to
    /// one's doctor or instructor.
    #[serde(default)]
    pub concern: bool,
}

/// Whether each language's wording is validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validated {
    pub da: bool,
    pub en: bool,
}

impl Validated {
    pub fn get(self, lang: Lang) -> bool {
        match lang {
            Lang::Da => self.da,
            Lang::En => self.en,
        }
    }
}

/// A scored set of answers.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    /// On the instrument's scale, not yet rounded.
    pub total: f64,
    /// How many items were answered.
    pub answered: usize,
    /// Each subscale's score, in the instrument's order, from its items' own
    /// answers (not turned round: a self-judgment subscale is high when the
    /// self-judgment is); None when one of its items is unanswered.
    pub subscales: Vec<Option<f64>>,
}

/// Why answers cannot be scored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("{instrument} has {expected} items; {given} answers were given")]
    Length { instrument: String, expected: usize, given: usize },
    #[error("item {item}: {value} is not one of the answers ({allowed})")]
    Value { item: usize, value: u8, allowed: String },
    #[error("unanswered: item {}; {instrument} {}", numbers(.items), allows(*.allowed))]
    Missing { instrument: String, missing: usize, allowed: usize, items: Vec<usize> },
}

fn numbers(items: &[usize]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

fn allows(allowed: usize) -> String {
    match allowed {
        0 => "needs every item answered".to_owned(),
        n => format!("allows at most {n} unanswered"),
    }
}

impl Instrument {
    fn range(&self) -> (u8, u8) {
        let values = self.options.iter().map(|o| o.value);
        (values.clone().min().unwrap_or(0), values.max().unwrap_or(0))
    }

    /// The lowest and highest score.
    pub fn score_range(&self) -> (f64, f64) {
        let (low, high) = self.range();
        let n = self.items.len() as f64;
        let (low, high) = (f64::from(low), f64::from(high));
        match self.scoring.method {
            Method::Sum => (low * n * self.scoring.factor, high * n * self.scoring.factor),
            Method::Mean => (low * self.scoring.factor, high * self.scoring.factor),
        }
    }

    /// Each item's value as scored (reverse items turned round).
    fn scored(&self, item: usize, value: u8) -> f64 {
        let (low, high) = self.range();
        let value = if self.items[item].reverse { low + high - value } else { value };
        f64::from(value)
    }

    /// Checks answers (one per item, None for unanswered) without scoring.
    pub fn check(&self, answers: &[Option<u8>]) -> Result<(), ScoreError> {
        self.score(answers).map(|_| ())
    }

    /// The score of `answers` (one per item, in order; None = unanswered).
    pub fn score(&self, answers: &[Option<u8>]) -> Result<Score, ScoreError> {
        if answers.len() != self.items.len() {
            return Err(ScoreError::Length {
                instrument: self.id.clone(),
                expected: self.items.len(),
                given: answers.len(),
            });
        }
        for (i, value) in answers.iter().enumerate() {
            if let Some(value) = value
                && !self.options.iter().any(|o| o.value == *value)
            {
                let allowed = self.options.iter().map(|o| o.value.to_string()).collect::<Vec<_>>().join(", ");
                return Err(ScoreError::Value { item: i + 1, value: *value, allowed });
            }
        }
        let given: Vec<f64> =
            answers.iter().enumerate().filter_map(|(i, v)| v.map(|v| self.scored(i, v))).collect();
        let missing = answers.len() - given.len();
        if missing > usize::from(self.scoring.max_missing) || given.is_empty() {
            return Err(ScoreError::Missing {
                instrument: self.id.clone(),
                missing,
                allowed: usize::from(self.scoring.max_missing),
                items: answers.iter().enumerate().filter(|(_, a)| a.is_none()).map(|(i, _)| i + 1).collect(),
            });
        }
        let mean = given.iter().sum::<f64>() / given.len() as f64;
        let total = match self.scoring.method {
            Method::Sum => mean * self.items.len() as f64,
            Method::Mean => mean,
        } * self.scoring.factor;
        let subscales = self
            .subscales
            .iter()
            .map(|s| {
                let values: Option<Vec<f64>> =
                    s.items.iter().map(|&n| answers[usize::from(n) - 1].map(f64::from)).collect();
                values.map(|v| {
                    let sum = v.iter().sum::<f64>();
                    match self.scoring.method {
                        Method::Sum => sum * self.scoring.factor,
                        Method::Mean => sum / v.len() as f64,
                    }
                })
            })
            .collect();
        Ok(Score { total, answered: given.len(), subscales })
    }

    /// `score` rounded to the shown decimals.
    pub fn rounded(&self, score: f64) -> f64 {
        let scale = 10f64.powi(i32::from(self.scoring.decimals));
        (score * scale).round() / scale
    }

    /// The band a score falls in (after rounding), if the instrument has bands.
    pub fn band(&self, score: f64) -> Option<&Band> {
        let score = self.rounded(score);
        self.bands.iter().find(|b| score <= b.up_to + 1e-9).or(self.bands.last())
    }

    /// Whether going from `before` to `after` is a meaningful change, and
    /// which way: Some(true) better, Some(false) worse, None not meaningful
    /// (or no threshold).
    pub fn meaningful(&self, before: f64, after: f64) -> Option<bool> {
        let threshold = self.scoring.meaningful_change?;
        let change = self.rounded(after) - self.rounded(before);
        if change.abs() + 1e-9 < threshold {
            return None;
        }
        Some((change > 0.0) == (self.scoring.higher_is == Direction::Better))
    }

    /// Every problem with this instrument's content.
    pub fn problems(&self) -> Vec<ContentError> {
        let id = self.id.as_str();
        let mut errors = Vec::new();
        let mut problem =
            |text: String| errors.push(ContentError::Instrument { id: id.to_owned(), problem: text });
        let well_formed = (3..=40).contains(&id.len())
            && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            problem("the id is not lowercase letters, digits and hyphens (3–40)".into());
        }
        let mut texts: Vec<(String, &Text)> = vec![
            ("name".into(), &self.name),
            ("about".into(), &self.about),
            ("instructions".into(), &self.instructions),
            ("wording_source".into(), &self.wording_source),
        ];
        texts.extend(self.options.iter().map(|o| (format!("the label of answer {}", o.value), &o.label)));
        texts.extend(self.items.iter().enumerate().map(|(i, item)| (format!("item {}", i + 1), &item.text)));
        texts.extend(self.subscales.iter().map(|s| (format!("subscale {}", s.id), &s.name)));
        for (i, band) in self.bands.iter().enumerate() {
            texts.push((format!("band {} label", i + 1), &band.label));
            texts.push((format!("band {} meaning", i + 1), &band.meaning));
        }
        for (field, text) in texts {
            for lang in Lang::ALL {
                if text.get(lang).trim().is_empty() {
                    problem(format!("{field} has no {lang:?} text"));
                }
            }
        }
        if self.citation.trim().is_empty() {
            problem("`citation` is empty: cite the paper the instrument comes from".into());
        }
        if self.licence.trim().is_empty() {
            problem("`licence` is empty: say under which terms it may be used".into());
        }
        if self.minutes == 0 {
            problem("`minutes` is 0".into());
        }
        if self.items.is_empty() || self.items.len() > MAX_ITEMS {
            problem(format!("it has {} items; 1 to {MAX_ITEMS}", self.items.len()));
        }
        if self.options.len() < 2 {
            problem("the answer scale needs at least two answers".into());
        }
        let (low, high) = self.range();
        let mut values: Vec<u8> = self.options.iter().map(|o| o.value).collect();
        values.sort_unstable();
        values.dedup();
        let contiguous = values.len() == self.options.len() && values.iter().copied().eq(low..=high);
        if !contiguous {
            problem("the answers' values must be distinct whole numbers without gaps".into());
        }
        let n = self.items.len();
        if usize::from(self.scoring.max_missing) >= n {
            problem(format!("max_missing = {} leaves nothing to score", self.scoring.max_missing));
        }
        if !(self.scoring.factor.is_finite() && self.scoring.factor > 0.0) {
            problem("the scoring factor must be a positive number".into());
        }
        if self.scoring.decimals > 2 {
            problem("scores are shown with at most 2 decimals".into());
        }
        if let Some(change) = self.scoring.meaningful_change
            && !(change.is_finite() && change > 0.0)
        {
            problem("meaningful_change must be a positive number".into());
        }
        for (i, subscale) in self.subscales.iter().enumerate() {
            if self.subscales[..i].iter().any(|s| s.id == subscale.id) {
                problem(format!("subscale {} is named twice", subscale.id));
            }
            if subscale.items.is_empty() {
                problem(format!("subscale {} has no items", subscale.id));
            }
            for &item in &subscale.items {
                if item == 0 || usize::from(item) > n {
                    problem(format!("subscale {} names item {item}, which does not exist", subscale.id));
                }
            }
        }
        let (lowest, highest) = self.score_range();
        let mut previous = f64::NEG_INFINITY;
        for band in &self.bands {
            if band.up_to <= previous || band.up_to < lowest {
                problem(format!("band up to {} is out of order or below the lowest score", band.up_to));
            }
            previous = band.up_to;
        }
        if let Some(last) = self.bands.last()
            && (last.up_to - highest).abs() > 1e-9
        {
            problem(format!("the last band must reach the highest score, {highest}"));
        }
        errors
    }
}

/// The most questionnaires a course asks at each measurement point.
pub const MAX_PLAN_INSTRUMENTS: usize = 5;
/// The most measurement points a course has.
pub const MAX_POINTS: usize = 6;
/// The latest measurement point: half a year after the longest course
/// (course week 52 + 26).
pub const MAX_POINT_WEEK: u16 = 78;

/// When a course asks its questionnaires: which instruments, at which course
/// weeks. Week 0 is before the course begins (answered from joining until
/// the end of its first week); week `n` opens on the first day of course
/// week `n` (8 = the last week of an 8-week course, 21 = about three months
/// after it). A course template names its own; the instructor can change a
/// course's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measures {
    pub instruments: Vec<String>,
    pub weeks: Vec<u16>,
}

impl Measures {
    /// Whether the course asks nothing.
    pub fn is_empty(&self) -> bool {
        self.instruments.is_empty() && self.weeks.is_empty()
    }

    /// Every problem, as (field, what is wrong), with `known` the
    /// questionnaires this version of Stille has.
    pub fn problems(&self, known: &[Instrument]) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        if self.instruments.is_empty() != self.weeks.is_empty() {
            let (field, text) = if self.weeks.is_empty() {
                ("weeks", "name at least one week to ask the questionnaires in")
            } else {
                ("instruments", "name at least one questionnaire to ask in those weeks")
            };
            problems.push((field, text.to_owned()));
        }
        if self.instruments.len() > MAX_PLAN_INSTRUMENTS {
            problems.push(("instruments", format!("at most {MAX_PLAN_INSTRUMENTS} questionnaires")));
        }
        for (i, id) in self.instruments.iter().enumerate() {
            if !known.iter().any(|k| k.id == *id) {
                let names: Vec<&str> = known.iter().map(|k| k.id.as_str()).collect();
                problems.push((
                    "instruments",
                    format!("{id:?} is not a questionnaire; there are {}", names.join(", ")),
                ));
            } else if self.instruments[..i].contains(id) {
                problems.push(("instruments", format!("{id} is named twice")));
            }
        }
        if self.weeks.len() > MAX_POINTS {
            problems.push(("weeks", format!("at most {MAX_POINTS} measurement points")));
        }
        if let Some(week) = self.weeks.iter().find(|w| **w > MAX_POINT_WEEK) {
            problems.push(("weeks", format!("week {week} is too late: the last is week {MAX_POINT_WEEK}")));
        }
        for (i, week) in self.weeks.iter().enumerate() {
            if self.weeks[..i].contains(week) {
                problems.push(("weeks", format!("week {week} is named twice")));
            }
        }
        if !self.weeks.is_sorted() {
            problems.push(("weeks", "list the weeks earliest first".to_owned()));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Text {
        Text { da: s.into(), en: s.into() }
    }

    fn small(method: Method, reverse: &[usize]) -> Instrument {
        Instrument {
            id: "test-3".into(),
            name: text("Test"),
            about: text("About"),
            instructions: text("Answer"),
            minutes: 1,
            options: (0..=4).map(|v| AnswerOption { value: v, label: text(&v.to_string()) }).collect(),
            items: (1..=4)
                .map(|i| Item { text: text(&format!("Item {i}")), reverse: reverse.contains(&i) })
                .collect(),
            subscales: vec![Subscale { id: "a".into(), name: text("A"), items: vec![1, 2] }],
            scoring: Scoring {
                method,
                factor: 1.0,
                max_missing: 1,
                decimals: 0,
                meaningful_change: Some(2.0),
                higher_is: Direction::Worse,
            },
            bands: vec![
                Band { up_to: 5.0, label: text("low"), meaning: text("low"), concern: false },
                Band { up_to: 16.0, label: text("high"), meaning: text("high"), concern: true },
            ],
            validated: Validated { da: false, en: true },
            wording_source: text("here"),
            citation: "Someone 2000".into(),
            licence: "free".into(),
        }
    }

    #[test]
    fn a_sum_turns_reverse_items_round_and_prorates_a_missing_answer() {
        let i = small(Method::Sum, &[2]);
        assert!(i.problems().is_empty(), "{:?}", i.problems());
        let s = i.score(&[Some(4), Some(0), Some(1), Some(3)]).expect("it scores");
        assert_eq!(s.total, 12.0);
        assert_eq!(s.subscales, vec![Some(4.0)], "a subscale adds its items' own answers");
        // One missing: the three answered (4 + 4 + 1 = 9) scaled to four items.
        let s = i.score(&[Some(4), Some(0), Some(1), None]).expect("it scores");
        assert_eq!(s.total, 12.0);
        assert_eq!(s.answered, 3);
        let s = i.score(&[None, Some(0), Some(1), Some(3)]).expect("it scores");
        assert_eq!(s.subscales, vec![None], "a subscale with an unanswered item has no score");
        assert!(matches!(
            i.score(&[None, None, Some(1), Some(3)]),
            Err(ScoreError::Missing { missing: 2, allowed: 1, .. })
        ));
        assert!(matches!(
            i.score(&[Some(5), None, None, None]),
            Err(ScoreError::Value { item: 1, value: 5, .. })
        ));
        assert!(matches!(i.score(&[Some(1)]), Err(ScoreError::Length { expected: 4, given: 1, .. })));
    }

    #[test]
    fn bands_and_meaningful_change_read_the_rounded_score() {
        let i = small(Method::Sum, &[]);
        assert_eq!(i.band(5.4).map(|b| b.concern), Some(false), "5.4 shows as 5");
        assert_eq!(i.band(5.5).map(|b| b.concern), Some(true));
        assert_eq!(i.meaningful(10.0, 12.0), Some(false), "higher is worse here");
        assert_eq!(i.meaningful(12.0, 10.0), Some(true));
        assert_eq!(i.meaningful(10.0, 11.0), None);
        let m = small(Method::Mean, &[]);
        assert_eq!(m.score_range(), (0.0, 4.0));
        assert_eq!(m.score(&[Some(1), Some(2), Some(3), None]).expect("it scores").total, 2.0);
    }

    #[test]
    fn content_problems_are_named() {
        let mut i = small(Method::Sum, &[]);
        i.options[1].value = 9;
        i.subscales[0].items.push(7);
        i.bands[1].up_to = 15.0;
        i.citation.clear();
        i.items[2].text.da.clear();
        let problems: Vec<String> = i.problems().iter().map(ToString::to_string).collect();
        let all = problems.join("\n");
        for expected in ["without gaps", "item 7", "highest score", "citation", "item 3 has no Da text"] {
            assert!(all.contains(expected), "{expected:?} not in:\n{all}");
        }
    }
}

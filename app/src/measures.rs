//! Questionnaires on the device: a half-answered one kept to resume (per
//! instrument, in `localStorage`), the finished answers as a journal record
//! (synced like a check-in), and what the screens show about them: each
//! score with its band, the change since the first time, and the chart's
//! layout as numbers. Plain Rust with native tests; the screens are
//! `app/src/routes/measures.rs`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use stille_practice::Lang;
use stille_practice::journal::Answers;
use stille_practice::log::Unknown;
use stille_practice::measures::{Band, Instrument, ScoreError};

use crate::log_store::Note;
use crate::storage;

/// Where half-answered questionnaires wait.
pub const DRAFTS: &str = "stille.measure-drafts.v1";

/// A questionnaire begun and not yet finished.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The wording it was begun in.
    pub lang: Lang,
    /// One per item; None where nothing is chosen yet.
    pub answers: Vec<Option<u8>>,
    pub started_at_ms: i64,
}

impl Draft {
    pub fn new(instrument: &Instrument, lang: Lang, now_ms: i64) -> Draft {
        Draft { lang, answers: vec![None; instrument.items.len()], started_at_ms: now_ms }
    }

    /// Whether it still fits `instrument` (one answer per item, each on its
    /// scale): a draft from before a content change is not resumed.
    pub fn fits(&self, instrument: &Instrument) -> bool {
        self.answers.len() == instrument.items.len()
            && self.answers.iter().flatten().all(|v| instrument.options.iter().any(|o| o.value == *v))
    }

    pub fn answered(&self) -> usize {
        self.answers.iter().flatten().count()
    }

    /// The items (numbered from 1) still unanswered.
    pub fn missing(&self) -> Vec<usize> {
        self.answers.iter().enumerate().filter(|(_, a)| a.is_none()).map(|(i, _)| i + 1).collect()
    }

    /// The finished record, when the answers can be scored.
    pub fn finish(
        &self,
        instrument: &Instrument,
        id: String,
        now_ms: i64,
        utc_offset_minutes: i16,
    ) -> Result<Answers, ScoreError> {
        instrument.check(&self.answers)?;
        Ok(Answers {
            id,
            instrument: instrument.id.clone(),
            lang: self.lang,
            answers: self.answers.clone(),
            at_ms: now_ms,
            utc_offset_minutes,
            updated_at_ms: now_ms,
            unknown: Unknown::new(),
        })
    }
}

/// Instrument id → its half-answered draft.
pub type Drafts = BTreeMap<String, Draft>;

/// Every draft (for the data export).
pub fn drafts() -> Drafts {
    storage::load_or_default::<Drafts>(DRAFTS)
}

/// The draft of `instrument`, if one fits it.
pub fn draft(instrument: &Instrument) -> Option<Draft> {
    drafts().remove(&instrument.id).filter(|d| d.fits(instrument))
}

/// Keeps `draft` (None: forgets it) for `instrument`.
pub fn keep(instrument: &str, draft: Option<&Draft>) {
    let mut all = drafts();
    match draft {
        Some(draft) => {
            all.insert(instrument.to_owned(), draft.clone());
        }
        None => {
            if all.remove(instrument).is_none() {
                return;
            }
        }
    }
    if all.is_empty() {
        storage::remove(DRAFTS);
    } else if let Err(error) = storage::save(DRAFTS, &all) {
        storage::warn(&error);
    }
}

/// Forgets every half-answered questionnaire (signing out with the
/// device's copy removed, erasing).
pub fn forget() {
    storage::remove(DRAFTS);
}

/// One time a questionnaire was answered, scored.
#[derive(Clone, Debug, PartialEq)]
pub struct Taken<'a> {
    pub answers: Answers,
    pub score: f64,
    pub band: Option<&'a Band>,
    /// Whether the wording answered was a validated one.
    pub validated: bool,
}

/// Every scorable time `instrument` was answered, oldest first (answers that
/// no longer score, say after a content change, are left out and counted).
pub fn taken<'a>(instrument: &'a Instrument, notes: &[Note]) -> (Vec<Taken<'a>>, usize) {
    let mut unscorable = 0;
    let mut all: Vec<Taken<'a>> = notes
        .iter()
        .filter_map(|n| match n {
            Note::Answers(a) if a.instrument == instrument.id => Some(a),
            _ => None,
        })
        .filter_map(|a| match instrument.score(&a.answers) {
            Ok(score) => Some(Taken {
                answers: a.clone(),
                score: score.total,
                band: instrument.band(score.total),
                validated: instrument.validated.get(a.lang),
            }),
            Err(_) => {
                unscorable += 1;
                None
            }
        })
        .collect();
    all.sort_by_key(|t| (t.answers.at_ms, t.answers.id.clone()));
    (all, unscorable)
}

/// The score as shown: at the instrument's decimals, in the language's way
/// of writing decimals.
pub fn shown(instrument: &Instrument, score: f64, lang: Lang) -> String {
    let decimals = usize::from(instrument.scoring.decimals);
    let text = format!("{:.*}", decimals, instrument.rounded(score));
    match lang {
        Lang::Da => text.replace('.', ","),
        Lang::En => text,
    }
}

/// What changed from the first time to the latest, when there are two.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    pub first: f64,
    pub latest: f64,
    /// Some(true): a meaningful change for the better; Some(false) for the
    /// worse; None: within what the instrument counts as the same.
    pub meaningful: Option<bool>,
}

pub fn change(instrument: &Instrument, taken: &[Taken]) -> Option<Change> {
    let (first, latest) = (taken.first()?, taken.last()?);
    if taken.len() < 2 {
        return None;
    }
    Some(Change {
        first: first.score,
        latest: latest.score,
        meaningful: instrument.meaningful(first.score, latest.score),
    })
}

/// The chart of scores over time, laid out in the SVG's own units.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    /// Each band as a horizontal strip: (top y, bottom y).
    pub bands: Vec<(f64, f64)>,
    /// Each answer: (x, y).
    pub points: Vec<(f64, f64)>,
}

pub const CHART_WIDTH: f64 = 320.0;
pub const CHART_HEIGHT: f64 = 160.0;
const CHART_PAD: f64 = 12.0;

/// Lays the scores out: time runs left to right (spaced by date, so a long
/// pause shows as one), the score bottom (lowest) to top (highest).
pub fn chart(instrument: &Instrument, taken: &[Taken]) -> Chart {
    let (low, high) = instrument.score_range();
    let span = (high - low).max(f64::EPSILON);
    let y = |score: f64| {
        let share = ((score - low) / span).clamp(0.0, 1.0);
        CHART_PAD + (1.0 - share) * (CHART_HEIGHT - 2.0 * CHART_PAD)
    };
    let mut lower = low;
    let bands = instrument
        .bands
        .iter()
        .map(|b| {
            let strip = (y(b.up_to), y(lower));
            lower = b.up_to;
            strip
        })
        .collect();
    let times: Vec<i64> = taken.iter().map(|t| t.answers.at_ms).collect();
    let (first, last) = (times.iter().min().copied().unwrap_or(0), times.iter().max().copied().unwrap_or(0));
    let inner = CHART_WIDTH - 2.0 * CHART_PAD;
    let points = taken
        .iter()
        .map(|t| {
            let x = if last > first {
                CHART_PAD + inner * (t.answers.at_ms - first) as f64 / (last - first) as f64
            } else {
                CHART_WIDTH / 2.0
            };
            (x, y(t.score))
        })
        .collect();
    Chart { width: CHART_WIDTH, height: CHART_HEIGHT, bands, points }
}

#[cfg(test)]
mod tests {
    use stille_practice::catalog;

    use super::*;

    fn who5() -> &'static Instrument {
        catalog().instrument("who-5").expect("WHO-5 is in the catalog")
    }

    fn answered(values: [u8; 5], at_ms: i64, id: u8) -> Note {
        let draft = Draft { lang: Lang::Da, answers: values.map(Some).to_vec(), started_at_ms: at_ms };
        let id = format!("0190a000-0000-7000-8000-0000000000{id:02}");
        Note::Answers(draft.finish(who5(), id, at_ms, 60).expect("complete"))
    }

    #[test]
    fn a_draft_finishes_only_when_it_can_be_scored_and_says_what_is_missing() {
        let mut draft = Draft::new(who5(), Lang::Da, 1_000);
        assert_eq!(draft.missing(), vec![1, 2, 3, 4, 5]);
        draft.answers[0] = Some(3);
        draft.answers[3] = Some(5);
        assert_eq!(draft.answered(), 2);
        assert_eq!(draft.missing(), vec![2, 3, 5]);
        assert!(draft.finish(who5(), "x".into(), 2_000, 60).is_err(), "WHO-5 counts only a complete set");
        draft.answers = vec![Some(3); 5];
        let answers = draft.finish(who5(), "x".into(), 2_000, 60).expect("complete");
        assert_eq!((answers.instrument.as_str(), answers.lang, answers.at_ms), ("who-5", Lang::Da, 2_000));
        assert!(draft.fits(who5()));
        assert!(!Draft { answers: vec![Some(3); 4], ..draft.clone() }.fits(who5()), "a different length");
        assert!(!Draft { answers: vec![Some(9); 5], ..draft }.fits(who5()), "off the scale");
    }

    #[test]
    fn the_scores_come_oldest_first_with_their_bands_and_the_change() {
        let notes = vec![
            answered([5, 5, 4, 4, 4], 3_000, 3),
            answered([1, 1, 1, 2, 1], 1_000, 1),
            answered([2, 2, 2, 2, 2], 2_000, 2),
        ];
        let (taken, unscorable) = taken(who5(), &notes);
        assert_eq!(unscorable, 0);
        let scores: Vec<f64> = taken.iter().map(|t| t.score).collect();
        assert_eq!(scores, [24.0, 40.0, 88.0]);
        assert!(taken[0].band.is_some_and(|b| b.concern), "24 is in the lowest band");
        assert!(taken[1].band.is_some_and(|b| !b.concern));
        let change = change(who5(), &taken).expect("two or more");
        assert_eq!((change.first, change.latest, change.meaningful), (24.0, 88.0, Some(true)));
        assert_eq!(super::change(who5(), &taken[..1]), None);
        assert_eq!(shown(who5(), 88.0, Lang::Da), "88");
    }

    #[test]
    fn the_chart_puts_time_across_and_the_score_up() {
        let notes =
            vec![answered([0; 5], 0, 1), answered([5; 5], 10_000, 2), answered([2, 3, 2, 3, 2], 5_000, 3)];
        let (taken, _) = taken(who5(), &notes);
        let chart = chart(who5(), &taken);
        let [first, middle, last] = chart.points[..] else { panic!("three points") };
        assert_eq!(first, (CHART_PAD, CHART_HEIGHT - CHART_PAD), "0 at the bottom left");
        assert_eq!(last, (CHART_WIDTH - CHART_PAD, CHART_PAD), "100 at the top right");
        assert!((middle.0 - CHART_WIDTH / 2.0).abs() < 1e-9, "halfway in time is halfway across");
        assert_eq!(chart.bands.len(), who5().bands.len());
        assert_eq!(chart.bands.last().map(|b| b.0), Some(CHART_PAD), "the top band reaches the top");
        let one = super::chart(who5(), &taken[..1]);
        assert_eq!(one.points[0].0, CHART_WIDTH / 2.0, "a single answer in the middle");
    }
}

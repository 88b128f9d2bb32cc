//! What a participant writes down around a practice: a check-in of how they
//! are (before or after a practice, or on its own) and a reflection note. Both
//! are kept on the device and synced like log entries, and both are checked
//! whenever they are read or received.
//!
//! Changing these types breaks clients in the field: add optional fields only,
//! and bump [`crate::sync::VERSION`] for anything else.

use serde::{Deserialize, Serialize};

use crate::log::{EntryError, Unknown, is_uuid};

/// The longest reflection, in characters: a page of writing.
pub const MAX_REFLECTION_CHARS: usize = 5_000;
pub use crate::model::MAX_ANSWERS;
/// The most courses one note is shared with.
pub const MAX_SHARED_WITH: usize = 20;

/// When a check-in was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Moment {
    /// Just before a practice.
    Before,
    /// Just after a practice.
    After,
    /// On its own, not tied to a practice.
    Alone,
}

/// The three states of the "ladder" that nervous-system regulation groups
/// teach (after Deb Dana's use of polyvagal theory): safe and connected at the
/// top, mobilised (fight or flight) in the middle, shut down at the bottom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Ladder {
    Ventral,
    Sympathetic,
    Dorsal,
}

/// How the participant is, in their own words-free rating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckIn {
    /// UUIDv7, made on the device.
    pub id: String,
    /// The log entry it belongs to, for `before` and `after`.
    #[serde(default)]
    pub entry_id: Option<String>,
    pub moment: Moment,
    /// When it was made, in ms since 1970-01-01 UTC.
    pub at_ms: i64,
    /// The device's offset from UTC then, in minutes.
    pub utc_offset_minutes: i16,
    /// Distress from 0 (none) to 10 (the most imaginable), as on the SUDS
    /// scale used in stress and trauma work. None when skipped.
    #[serde(default)]
    pub distress: Option<u8>,
    /// Where on the ladder, or None when skipped.
    #[serde(default)]
    pub ladder: Option<Ladder>,
    /// Last change, in ms since 1970-01-01 UTC.
    pub updated_at_ms: i64,
    /// Fields from a newer app, kept (see [`crate::log::Unknown`]).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub unknown: Unknown,
}

/// A note written after a practice or on its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reflection {
    /// UUIDv7, made on the device.
    pub id: String,
    /// The log entry it reflects on, if any.
    #[serde(default)]
    pub entry_id: Option<String>,
    /// When it was written, in ms since 1970-01-01 UTC.
    pub written_at_ms: i64,
    pub utc_offset_minutes: i16,
    pub text: String,
    /// Whether the participant shares this note with their course instructor
    /// (who sees it only while the participant also consents to sharing
    /// reflections in that course, and only when it was written during that
    /// consent).
    #[serde(default)]
    pub shared: bool,
    /// The courses (ids) it is shared with, chosen when it was shared. Empty
    /// on notes shared by apps before courses were named: those count as
    /// shared with every course that reads reflections, still only within
    /// each course's consent window.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub shared_with: Vec<String>,
    /// When the note answers its practice's prompts one by one (an events
    /// calendar): the answers in the prompts' order, "" for one left out.
    /// `text` holds them too, each under its question, for everything that
    /// reads a note as text (the history, sharing, the export).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub answers: Vec<String>,
    /// Last change, in ms since 1970-01-01 UTC.
    pub updated_at_ms: i64,
    /// Fields from a newer app, kept (see [`crate::log::Unknown`]).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub unknown: Unknown,
}

/// A questionnaire answered: the answers as given (one per item, None when
/// skipped), in the wording of `lang`. The score is worked out from the
/// instrument whenever it is shown, never stored, so a corrected scoring rule
/// applies to every answer ever given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answers {
    /// UUIDv7, made on the device.
    pub id: String,
    /// The instrument's id (`who-5`).
    pub instrument: String,
    /// The language of the wording answered.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "da"))]
    pub lang: crate::Lang,
    /// One per item, in the instrument's order; null when not answered.
    #[cfg_attr(feature = "openapi", schema(max_items = 60))]
    pub answers: Vec<Option<u8>>,
    /// When it was finished, in ms since 1970-01-01 UTC.
    pub at_ms: i64,
    pub utc_offset_minutes: i16,
    /// Last change, in ms since 1970-01-01 UTC.
    pub updated_at_ms: i64,
    /// Fields from a newer app, kept (see [`crate::log::Unknown`]).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub unknown: Unknown,
}

impl Answers {
    /// Checks every field that needs no catalog (the answers against their
    /// instrument: [`Answers::check_against`]).
    pub fn check(&self) -> Result<(), EntryError> {
        check_common(&self.id, None, "at_ms", self.at_ms, self.utc_offset_minutes, self.updated_at_ms)?;
        let id_ok = (3..=40).contains(&self.instrument.len())
            && self.instrument.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err(EntryError::NotAnId { field: "instrument", value: self.instrument.clone() });
        }
        if self.answers.is_empty() || self.answers.len() > crate::measures::MAX_ITEMS {
            return Err(EntryError::Range { field: "answers", value: self.answers.len() as i64 });
        }
        Ok(())
    }

    /// Checks the answers against the instrument they claim (from `catalog`):
    /// it exists, one answer per item, each on its scale, no more missing
    /// than it allows.
    pub fn check_against(&self, catalog: &crate::Catalog) -> Result<(), AnswersError> {
        let instrument = catalog
            .instrument(&self.instrument)
            .ok_or_else(|| AnswersError::Instrument(self.instrument.clone()))?;
        instrument.check(&self.answers).map_err(AnswersError::Score)
    }
}

/// Why answers do not fit their instrument.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnswersError {
    #[error("instrument {0:?} is not one this version of Stille knows")]
    Instrument(String),
    #[error("{0}")]
    Score(crate::measures::ScoreError),
}

fn check_common(
    id: &str,
    entry_id: Option<&str>,
    at_field: &'static str,
    at_ms: i64,
    utc_offset_minutes: i16,
    updated_at_ms: i64,
) -> Result<(), EntryError> {
    if !is_uuid(id) {
        return Err(EntryError::Id(id.to_owned()));
    }
    if let Some(entry) = entry_id.filter(|e| !is_uuid(e)) {
        return Err(EntryError::Id(entry.to_owned()));
    }
    crate::log::check_time(at_field, at_ms)?;
    crate::log::check_offset(utc_offset_minutes)?;
    if updated_at_ms < at_ms {
        return Err(EntryError::Range { field: "updated_at_ms", value: updated_at_ms });
    }
    Ok(())
}

/// Distress from which a check-in is met with care, not just saved: 9 and
/// 10 are the top of the scale, "close to the most one can imagine".
pub const WORRYING_DISTRESS: u8 = 9;

/// Whether answers like these call for a calm word before anything else:
/// distress of [`WORRYING_DISTRESS`] or more, or "shut down" on the ladder.
/// The app then offers a short regulation exercise and where to find help;
/// nothing is sent to anyone.
pub fn worrying(distress: Option<u8>, ladder: Option<Ladder>) -> bool {
    distress.is_some_and(|d| d >= WORRYING_DISTRESS) || ladder == Some(Ladder::Dorsal)
}

impl CheckIn {
    /// See [`worrying`].
    pub fn worries(&self) -> bool {
        worrying(self.distress, self.ladder)
    }

    /// A check-in from a form's answers at `now_ms`; None when nothing was
    /// chosen (both are optional, but a check-in needs one of them).
    pub fn from_answers(
        id: String,
        entry_id: Option<&str>,
        moment: Moment,
        distress: Option<u8>,
        ladder: Option<Ladder>,
        now_ms: i64,
        utc_offset_minutes: i16,
    ) -> Option<CheckIn> {
        (distress.is_some() || ladder.is_some()).then(|| CheckIn {
            id,
            entry_id: entry_id.map(str::to_owned),
            moment,
            at_ms: now_ms,
            utc_offset_minutes,
            distress,
            ladder,
            updated_at_ms: now_ms,
            unknown: Unknown::new(),
        })
    }

    /// Checks every field.
    pub fn check(&self) -> Result<(), EntryError> {
        check_common(
            &self.id,
            self.entry_id.as_deref(),
            "at_ms",
            self.at_ms,
            self.utc_offset_minutes,
            self.updated_at_ms,
        )?;
        if let Some(level) = self.distress.filter(|d| *d > 10) {
            return Err(EntryError::Range { field: "distress", value: i64::from(level) });
        }
        if self.distress.is_none() && self.ladder.is_none() {
            return Err(EntryError::Empty("distress"));
        }
        Ok(())
    }
}

impl Reflection {
    /// A private note from what was typed (trimmed); None when nothing was.
    pub fn from_text(
        id: String,
        entry_id: Option<&str>,
        text: &str,
        now_ms: i64,
        utc_offset_minutes: i16,
    ) -> Option<Reflection> {
        let text = text.trim();
        (!text.is_empty()).then(|| Reflection {
            id,
            entry_id: entry_id.map(str::to_owned),
            written_at_ms: now_ms,
            utc_offset_minutes,
            text: text.to_owned(),
            shared: false,
            shared_with: Vec::new(),
            answers: Vec::new(),
            updated_at_ms: now_ms,
            unknown: Unknown::new(),
        })
    }

    /// A private note answering `prompts` one by one (trimmed; `answers[i]`
    /// answers `prompts[i]`); None when nothing was written. Its text is each
    /// answer under its question.
    pub fn from_prompts(
        id: String,
        entry_id: Option<&str>,
        prompts: &[&str],
        answers: &[String],
        now_ms: i64,
        utc_offset_minutes: i16,
    ) -> Option<Reflection> {
        let answers: Vec<String> = prompts
            .iter()
            .enumerate()
            .map(|(i, _)| answers.get(i).map_or("", |a| a.trim()).to_owned())
            .collect();
        let text: Vec<String> = prompts
            .iter()
            .zip(&answers)
            .filter(|(_, answer)| !answer.is_empty())
            .map(|(prompt, answer)| format!("{prompt}\n{answer}"))
            .collect();
        let mut note = Reflection::from_text(id, entry_id, &text.join("\n\n"), now_ms, utc_offset_minutes)?;
        note.answers = answers;
        Some(note)
    }

    /// The same note shared with the instructors of `courses`, or (with
    /// none) with nobody: a new version, later than the last.
    pub fn with_shared(&self, courses: &[String], now_ms: i64) -> Reflection {
        let mut shared_with = courses.to_vec();
        shared_with.sort();
        shared_with.dedup();
        shared_with.truncate(MAX_SHARED_WITH);
        Reflection {
            shared: !shared_with.is_empty(),
            shared_with,
            updated_at_ms: now_ms.max(self.updated_at_ms + 1),
            ..self.clone()
        }
    }

    /// Whether the instructor of course `course_id` may read it (when the
    /// participant's consent there also covers its time: see the report).
    pub fn is_shared_with(&self, course_id: &str) -> bool {
        self.shared && (self.shared_with.is_empty() || self.shared_with.iter().any(|c| c == course_id))
    }

    /// Checks every field.
    pub fn check(&self) -> Result<(), EntryError> {
        check_common(
            &self.id,
            self.entry_id.as_deref(),
            "written_at_ms",
            self.written_at_ms,
            self.utc_offset_minutes,
            self.updated_at_ms,
        )?;
        if self.text.trim().is_empty() {
            return Err(EntryError::Empty("text"));
        }
        let chars = self.text.chars().count();
        if chars > MAX_REFLECTION_CHARS {
            return Err(EntryError::Range { field: "text", value: chars as i64 });
        }
        if self.answers.len() > MAX_ANSWERS {
            return Err(EntryError::Range { field: "answers", value: self.answers.len() as i64 });
        }
        if let Some(long) = self.answers.iter().map(|a| a.chars().count()).find(|n| *n > MAX_REFLECTION_CHARS)
        {
            return Err(EntryError::Range { field: "answers", value: long as i64 });
        }
        if self.shared_with.len() > MAX_SHARED_WITH {
            return Err(EntryError::Range { field: "shared_with", value: self.shared_with.len() as i64 });
        }
        if let Some(bad) = self.shared_with.iter().find(|c| !is_uuid(c)) {
            return Err(EntryError::NotAnId { field: "shared_with", value: bad.clone() });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::uuid_v7;

    const NOW: i64 = 1_795_400_000_000;

    #[test]
    fn the_top_of_the_scale_and_shutting_down_are_met_with_care() {
        let worried: Vec<u8> = (0..=10).filter(|d| worrying(Some(*d), None)).collect();
        assert_eq!(worried, [9, 10]);
        assert!(worrying(None, Some(Ladder::Dorsal)));
        assert!(worrying(Some(2), Some(Ladder::Dorsal)), "shut down, whatever the number");
        assert!(!worrying(Some(8), Some(Ladder::Sympathetic)));
        assert!(!worrying(None, None));
        let check_in =
            CheckIn::from_answers(uuid_v7(NOW as u64, [1; 10]), None, Moment::After, Some(10), None, NOW, 60);
        assert!(check_in.is_some_and(|c| c.worries()));
    }

    fn check_in() -> CheckIn {
        CheckIn {
            id: uuid_v7(NOW as u64, [1; 10]),
            entry_id: Some(uuid_v7(NOW as u64, [2; 10])),
            moment: Moment::After,
            at_ms: NOW,
            utc_offset_minutes: 60,
            distress: Some(3),
            ladder: Some(Ladder::Ventral),
            updated_at_ms: NOW,
            unknown: Unknown::new(),
        }
    }

    fn reflection() -> Reflection {
        Reflection {
            id: uuid_v7(NOW as u64, [3; 10]),
            entry_id: None,
            written_at_ms: NOW,
            utc_offset_minutes: 120,
            text: "Roligere end i går.".into(),
            shared: false,
            shared_with: Vec::new(),
            answers: Vec::new(),
            updated_at_ms: NOW + 5,
            unknown: Unknown::new(),
        }
    }

    #[test]
    fn an_events_calendar_note_keeps_each_answer_and_reads_as_text() {
        let prompts = ["Hvad skete der?", "Hvad mærkede du i kroppen?", "Hvilke tanker var der?"];
        let answers = ["  Solen på cyklen ".to_owned(), String::new(), "At det var dejligt".to_owned()];
        let note = Reflection::from_prompts(uuid_v7(NOW as u64, [4; 10]), None, &prompts, &answers, NOW, 60)
            .expect("something was written");
        assert_eq!(note.answers, ["Solen på cyklen", "", "At det var dejligt"]);
        assert_eq!(
            note.text,
            "Hvad skete der?\nSolen på cyklen\n\nHvilke tanker var der?\nAt det var dejligt"
        );
        assert_eq!(note.check(), Ok(()));
        let json = serde_json::to_value(&note).expect("serialises");
        assert_eq!(serde_json::from_value::<Reflection>(json).ok(), Some(note.clone()));
        // Nothing written, nothing kept; fewer answers than prompts are blanks.
        assert!(Reflection::from_prompts("x".into(), None, &prompts, &[" ".into()], NOW, 60).is_none());
        let short = Reflection::from_prompts("y".into(), None, &prompts, &["Regn".into()], NOW, 60);
        assert_eq!(short.map(|n| n.answers), Some(vec!["Regn".to_owned(), String::new(), String::new()]));
        // Too many answers, or one too long, is refused.
        let many = Reflection { answers: vec!["a".into(); MAX_ANSWERS + 1], ..note.clone() };
        assert!(matches!(many.check(), Err(EntryError::Range { field: "answers", .. })));
        let long = Reflection { answers: vec!["a".repeat(MAX_REFLECTION_CHARS + 1)], ..note };
        assert!(matches!(long.check(), Err(EntryError::Range { field: "answers", .. })));
        // A note without answers is written as before.
        assert!(!serde_json::to_string(&reflection()).expect("json").contains("answers"));
    }

    #[test]
    fn fields_from_a_newer_app_are_kept_and_written_back() {
        let mut json = serde_json::to_value(reflection()).expect("serialises");
        json["mood"] = serde_json::json!({"word": "calm", "level": 2});
        let read: Reflection = serde_json::from_value(json.clone()).expect("a newer record still reads");
        assert_eq!(read.check(), Ok(()));
        assert_eq!(read.unknown.get("mood"), Some(&json["mood"]));
        let edited = Reflection { shared: true, ..read };
        let written = serde_json::to_value(&edited).expect("serialises");
        assert_eq!(written["mood"], json["mood"], "written back unchanged");
        assert_eq!(written["shared"], true);
    }

    #[test]
    fn a_note_is_shared_with_the_courses_named_and_old_shared_notes_with_any() {
        let course_a = uuid_v7(NOW as u64, [7; 10]);
        let course_b = uuid_v7(NOW as u64, [8; 10]);
        let private = reflection();
        assert!(!private.is_shared_with(&course_a));
        let shared = private.with_shared(&[course_a.clone(), course_a.clone()], NOW + 10);
        assert_eq!(shared.check(), Ok(()));
        assert_eq!(shared.shared_with, vec![course_a.clone()], "once each");
        assert!(shared.updated_at_ms > private.updated_at_ms);
        assert!(shared.is_shared_with(&course_a));
        assert!(!shared.is_shared_with(&course_b), "not with a course it was not shared with");
        let withdrawn = shared.with_shared(&[], NOW + 20);
        assert!(!withdrawn.shared && withdrawn.shared_with.is_empty());
        assert!(!withdrawn.is_shared_with(&course_a));
        // A note shared by an app from before courses were named.
        let old = Reflection { shared: true, ..reflection() };
        assert!(old.is_shared_with(&course_a) && old.is_shared_with(&course_b));
        let json = serde_json::to_value(&private).expect("serialises");
        assert!(json.get("shared_with").is_none(), "not written when empty, as older apps wrote it");
    }

    #[test]
    fn shared_with_names_courses_by_id() {
        let mut r = reflection();
        r.shared = true;
        r.shared_with = vec!["course one".into()];
        assert_eq!(r.check(), Err(EntryError::NotAnId { field: "shared_with", value: "course one".into() }));
        r.shared_with = (0..=MAX_SHARED_WITH as u8).map(|n| uuid_v7(NOW as u64, [n; 10])).collect();
        assert!(matches!(r.check(), Err(EntryError::Range { field: "shared_with", .. })));
    }

    fn answers() -> Answers {
        Answers {
            id: uuid_v7(NOW as u64, [4; 10]),
            instrument: "who-5".into(),
            lang: crate::Lang::Da,
            answers: vec![Some(3), Some(2), None, Some(5), Some(0)],
            at_ms: NOW,
            utc_offset_minutes: 60,
            updated_at_ms: NOW,
            unknown: Unknown::new(),
        }
    }

    #[test]
    fn answers_are_checked_alone_and_against_their_instrument() {
        let a = answers();
        assert_eq!(a.check(), Ok(()));
        let json = serde_json::to_string(&a).expect("serialises");
        assert!(json.contains(r#""answers":[3,2,null,5,0]"#) && json.contains(r#""lang":"da""#), "{json}");
        assert_eq!(serde_json::from_str::<Answers>(&json).expect("parses"), a);
        let catalog = crate::catalog();
        // WHO-5 counts only a complete set.
        assert!(matches!(a.check_against(catalog), Err(AnswersError::Score(_))));
        let complete = Answers { answers: vec![Some(3), Some(2), Some(1), Some(5), Some(0)], ..answers() };
        assert_eq!(complete.check_against(catalog), Ok(()));
        let unknown = Answers { instrument: "who-6".into(), ..answers() };
        assert_eq!(unknown.check_against(catalog), Err(AnswersError::Instrument("who-6".into())));
        let bad = Answers { instrument: "WHO 5".into(), ..answers() };
        assert!(matches!(bad.check(), Err(EntryError::NotAnId { field: "instrument", .. })));
        let none = Answers { answers: vec![], ..answers() };
        assert_eq!(none.check(), Err(EntryError::Range { field: "answers", value: 0 }));
    }

    #[test]
    fn good_records_pass_and_round_trip() {
        assert_eq!(check_in().check(), Ok(()));
        assert_eq!(reflection().check(), Ok(()));
        let json = serde_json::to_string(&check_in()).expect("serialises");
        assert!(json.contains("\"moment\":\"after\""), "{json}");
        assert_eq!(serde_json::from_str::<CheckIn>(&json).expect("parses"), check_in());
    }

    #[test]
    fn bad_records_name_what_is_wrong() {
        let mut c = check_in();
        c.distress = Some(11);
        assert_eq!(c.check(), Err(EntryError::Range { field: "distress", value: 11 }));
        let mut c = check_in();
        c.distress = None;
        c.ladder = None;
        assert!(matches!(c.check(), Err(EntryError::Empty(_))));
        let mut c = check_in();
        c.entry_id = Some("x".into());
        assert_eq!(c.check(), Err(EntryError::Id("x".into())));
        let mut r = reflection();
        r.text = "   ".into();
        assert_eq!(r.check(), Err(EntryError::Empty("text")));
        let mut r = reflection();
        r.text = "å".repeat(MAX_REFLECTION_CHARS + 1);
        assert!(matches!(r.check(), Err(EntryError::Range { field: "text", .. })));
        let mut r = reflection();
        r.updated_at_ms = r.written_at_ms - 1;
        assert!(matches!(r.check(), Err(EntryError::Range { field: "updated_at_ms", .. })));
    }
}

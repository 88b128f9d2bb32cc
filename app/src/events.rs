//! An events calendar's last seven days (MBSR's pleasant and unpleasant
//! events, the communication calendar): each time written, with its answers
//! question by question, for the table on the practice's page.

use stille_practice::PracticeId;
use stille_practice::stats::Date;

use crate::format::local_day;
use crate::log_store::{Loaded, Note};

/// How many days the table of answers reaches back, today included.
const WEEK_DAYS: i32 = 7;

/// One written time in the table: its day, when (ms, for the order) and the
/// answers in the prompts' order (a note written as one text, before the
/// prompts had fields, stands under the first).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub day: Date,
    pub at_ms: i64,
    pub answers: Vec<String>,
}

/// The answers to `practice`'s prompts written in the seven days to `today`
/// (by each entry's own local day), oldest first.
pub fn week_rows(practice: &PracticeId, prompts: usize, loaded: &Loaded, today: Date) -> Vec<Row> {
    let from = today.add_days(1 - WEEK_DAYS);
    let mut rows: Vec<Row> = loaded
        .entries
        .iter()
        .filter(|e| e.practice == *practice)
        .filter_map(|e| {
            let day = local_day(e.started_at_ms, e.utc_offset_minutes);
            if day < from || day > today {
                return None;
            }
            let note = loaded.notes_of(&e.id).find_map(|n| match n {
                Note::Reflection(r) => Some(r),
                _ => None,
            })?;
            let mut answers =
                if note.answers.is_empty() { vec![note.text.clone()] } else { note.answers.clone() };
            answers.resize(prompts.max(1), String::new());
            Some(Row { day, at_ms: e.started_at_ms, answers })
        })
        .collect();
    rows.sort_by_key(|r| r.at_ms);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use stille_practice::journal::Reflection;
    use stille_practice::log::Entry;

    const DAY_MS: i64 = 86_400_000;

    fn entry(id: &str, practice: &str, at_ms: i64) -> Entry {
        let practice = PracticeId::parse(practice).expect("in the catalog");
        Entry::logged_afterwards(id.into(), practice, at_ms, 60, 300_000, stille_practice::Lang::Da)
    }

    fn note(entry_id: &str, answers: &[&str]) -> Note {
        let prompts = ["Hvad skete der?", "Kroppen?", "Tanker?"];
        let answers: Vec<String> = answers.iter().map(|a| (*a).to_owned()).collect();
        let id = format!("{entry_id}-note");
        Note::Reflection(
            Reflection::from_prompts(id, Some(entry_id), &prompts, &answers, 0, 60).expect("written"),
        )
    }

    #[test]
    fn the_week_holds_this_practices_answers_day_by_day() {
        let today = Date::from_ymd(2026, 12, 7).expect("a date");
        let noon = |day: Date| i64::from(day.0) * DAY_MS + 11 * 3_600_000;
        let calendar = "informal-pleasant-events";
        let loaded = Loaded {
            entries: vec![
                entry("a", calendar, noon(today)),
                entry("b", calendar, noon(today.add_days(-2))),
                entry("c", calendar, noon(today.add_days(-7))),
                entry("d", "informal-unpleasant-events", noon(today)),
                entry("e", calendar, noon(today.add_days(-1))),
            ],
            notes: vec![
                note("a", &["Kaffe", "", "Dejligt"]),
                note("b", &["Sol"]),
                note("c", &["For længe siden"]),
                note("d", &["Andet"]),
            ],
            unreadable: 0,
        };
        let id = PracticeId::parse(calendar).expect("in the catalog");
        let rows = week_rows(&id, 3, &loaded, today);
        // Not eight days ago, not another calendar, not a time without a note.
        assert_eq!(rows.iter().map(|r| r.day).collect::<Vec<_>>(), [today.add_days(-2), today]);
        assert_eq!(rows[1].answers, ["Kaffe", "", "Dejligt"]);
        assert_eq!(rows[0].answers, ["Sol", "", ""]);
    }
}

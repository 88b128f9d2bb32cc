//! An informal practice is done in daily life and logged here afterwards:
//! one tap writes the entry, then the close offers a check-in and a note, or
//! for an events calendar a field for each of its questions. A calendar's
//! page shows the last seven days of answers as a table, day by day and
//! question by question, as the course's paper calendar does.

use leptos::prelude::*;
use stille_practice::log::Entry;
use stille_practice::stats::Date;
use stille_practice::{Practice, PracticeId};

use crate::components::AfterPractice;
use crate::format::{local_day, meeting_text};
use crate::i18n::{Key, t, use_lang};
use crate::log_store::{self, Note};

/// How many days the table of answers reaches back, today included.
const WEEK_DAYS: i32 = 7;

/// One written time in the table: its day, when (ms, for the order) and the
/// answers in the prompts' order (a note written as one text, before the
/// prompts had fields, stands under the first).
#[derive(Clone, Debug, PartialEq)]
struct Row {
    day: Date,
    at_ms: i64,
    answers: Vec<String>,
}

/// The answers to `practice`'s prompts written in the seven days to `today`
/// (by each entry's own local day), oldest first.
fn week_rows(practice: &PracticeId, prompts: usize, loaded: &log_store::Loaded, today: Date) -> Vec<Row> {
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

#[component]
pub fn Informal(practice: &'static Practice) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let log_it = Action::new_local(move |_: &()| {
        let entry = Entry::logged_afterwards(
            log_store::new_id(),
            practice.id.clone(),
            js_sys::Date::now() as i64,
            log_store::utc_offset_minutes(),
            u32::from(practice.default_minutes) * 60_000,
            lang.get_untracked(),
        );
        async move { log_store::save(&entry).await.map(|()| entry.id.clone()).map_err(|e| e.to_string()) }
    });
    let prompts = practice
        .prompts
        .iter()
        .map(|p| view! { <li>{move || p.get(lang.get()).to_owned()}</li> })
        .collect_view();
    let back = format!("/practices/{}", practice.id);
    // An events calendar: a field for each question, and the week as a table.
    let week = practice.calendar.then(|| view! { <AnswersWeek practice=practice/> });
    let fields: &'static [stille_practice::Text] = if practice.calendar { &practice.prompts } else { &[] };
    view! {
        <section class="informal">
            <p>{text(Key::PracticeInformal)}</p>
            <ul>{prompts}</ul>
            {move || match log_it.value().get() {
                None => view! {
                    <button type="button" class="button primary log-informal" disabled=move || log_it.pending().get()
                        on:click=move |_| { log_it.dispatch(()); }>{text(Key::PracticeLogInformal)}</button>
                }.into_any(),
                Some(Ok(id)) => view! {
                    <p role="status">{text(Key::PracticeLogged)}</p>
                    <AfterPractice entry_id=Some(id) back=back.clone() prompts=fields/>
                }.into_any(),
                Some(Err(error)) => view! { <p role="alert">{error}</p> }.into_any(),
            }}
        </section>
        {week}
    }
}

/// The last seven days' answers as a table: a row for each time written, a
/// column for each question. Days without any are left out, not marked.
#[component]
fn AnswersWeek(practice: &'static Practice) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let loaded = LocalResource::new(log_store::load);
    let today = local_day(js_sys::Date::now() as i64, log_store::utc_offset_minutes());
    let table = move || {
        let loaded = loaded.get()?.ok()?;
        let rows = week_rows(&practice.id, practice.prompts.len(), &loaded, today);
        let lang = lang.get();
        if rows.is_empty() {
            return Some(view! { <p class="quiet">{t(lang, Key::AnswersWeekEmpty)}</p> }.into_any());
        }
        let heads = practice
            .prompts
            .iter()
            .map(|p| view! { <th scope="col">{p.get(lang).to_owned()}</th> })
            .collect_view();
        let body = rows
            .into_iter()
            .map(|row| {
                let cells = row.answers.into_iter().map(|a| view! { <td>{a}</td> }).collect_view();
                view! { <tr><th scope="row">{meeting_text(row.day, None, None, lang)}</th>{cells}</tr> }
            })
            .collect_view();
        Some(
            view! {
                <div class="table-scroll" role="region" aria-labelledby="answers-week-heading" tabindex="0">
                    <table class="answers-week">
                        <thead><tr><th scope="col">{t(lang, Key::AnswersWeekDay)}</th>{heads}</tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            }
            .into_any(),
        )
    };
    view! {
        <section class="answers-week-section" aria-labelledby="answers-week-heading">
            <h2 id="answers-week-heading">{text(Key::AnswersWeek)}</h2>
            {table}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stille_practice::journal::Reflection;

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
        let loaded = log_store::Loaded {
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

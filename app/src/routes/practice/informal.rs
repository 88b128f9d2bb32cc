//! An informal practice is done in daily life and logged here afterwards:
//! one tap writes the entry, then the close offers a check-in and a note, or
//! for an events calendar a field for each of its questions. A calendar's
//! page shows the last seven days of answers as a table, day by day and
//! question by question, as the course's paper calendar does.

use leptos::prelude::*;
use stille_practice::Practice;
use stille_practice::log::Entry;

use crate::components::AfterPractice;
use crate::events::week_rows;
use crate::format::{local_day, meeting_text};
use crate::i18n::{Key, t, use_lang};
use crate::log_store;

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
    // Read again after the answers just written are saved (the page stays
    // when the check-in worries) and when records arrive from the account.
    let loaded = LocalResource::new(|| {
        log_store::changes();
        log_store::load()
    });
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

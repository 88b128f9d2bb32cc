//! An informal practice is done in daily life and logged here afterwards:
//! one tap writes the entry, then the close offers a check-in and a note (for
//! the prompts' answers).

use leptos::prelude::*;
use stille_practice::Practice;
use stille_practice::log::Entry;

use crate::components::AfterPractice;
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
                    <AfterPractice entry_id=Some(id) back=back.clone()/>
                }.into_any(),
                Some(Err(error)) => view! { <p role="alert">{error}</p> }.into_any(),
            }}
        </section>
    }
}

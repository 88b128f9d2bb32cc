//! `/history`: every practice this device has logged, newest first, with how
//! much was practised and how it ended ([`entry`]); entries can be corrected
//! ([`edit`]) and deleted (with a confirming second press), and a reflection
//! shared with one's instructor when a course may read shared reflections.

mod edit;
mod entry;

use leptos::prelude::*;
use leptos_router::components::A;
use stille_practice::journal::Reflection;

use crate::account::use_account;
use crate::components::Progress;
use crate::courses;
use crate::i18n::{Key, t, use_lang};
use crate::log_store::{self, Note};

/// Something done to the log from this page; the page reloads the log after.
#[derive(Clone, Debug)]
pub enum Change {
    Delete(String),
    Share(Reflection),
}

/// Moves focus to the element with `id` once the page has drawn it.
fn focus_later(id: String) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&id)
            && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
        {
            let _ = el.focus();
        }
    });
}

#[component]
pub fn History() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let account = use_account();
    // Read again when records arrive from the account (a first sync still
    // writing when the page opened) or the log could not be read at first
    // (see `log_store::changes`).
    let loaded = LocalResource::new(|| {
        log_store::changes();
        log_store::load()
    });
    let change = Action::new_local(move |change: &Change| {
        let change = change.clone();
        async move {
            let done = match change {
                Change::Delete(id) => log_store::delete(&id).await,
                Change::Share(r) => {
                    let readers =
                        if r.shared { Vec::new() } else { courses::reflection_readers(&courses::cached()) };
                    let flipped = r.with_shared(&readers, js_sys::Date::now() as i64);
                    log_store::save_note(&Note::Reflection(flipped)).await
                }
            };
            loaded.refetch();
            done
        }
    });
    let on_change = Callback::new(move |c: Change| {
        change.dispatch(c);
    });
    // After an edit closes, focus returns to its Edit button, once the list
    // shows the entry again (after a save, when the log has been read anew).
    let focus = RwSignal::new(None::<String>);
    let edited = Callback::new(move |(id, saved): (String, bool)| {
        focus.set(Some(format!("edit-{id}")));
        if saved {
            loaded.refetch();
        }
    });
    Effect::new(move || {
        if loaded.with(|l| matches!(l, Some(Ok(_))))
            && let Some(id) = focus.get()
        {
            focus.set(None);
            focus_later(id);
        }
    });
    // Sharing is offered when signed in and some course may read shared reflections.
    let may_share = move || account.get().user().is_some() && courses::shares_reflections(&courses::cached());
    let problem = move || change.value().get().and_then(Result::err).map(|e| e.to_string());
    let list = move || match loaded.get() {
        None => view! { <p class="quiet">"…"</p> }.into_any(),
        Some(Err(error)) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
        Some(Ok(loaded)) => {
            let lang = lang.get();
            let unreadable = (loaded.unreadable > 0).then(|| {
                let line = format!("{} {}", loaded.unreadable, t(lang, Key::HistoryUnreadable));
                view! { <p class="quiet history-unreadable">{line}</p> }
            });
            if loaded.entries.is_empty() {
                let empty =
                    if account.get().user().is_some() { Key::HistoryEmptySynced } else { Key::HistoryEmpty };
                return view! { {unreadable} <p class="history-empty">{t(lang, empty)}</p> }.into_any();
            }
            let share = may_share();
            let items = loaded
                .entries
                .iter()
                .map(|e| {
                    let notes: Vec<Note> = loaded.notes_of(&e.id).cloned().collect();
                    view! { <entry::EntryItem entry=e.clone() notes=notes may_share=share change=on_change edited=edited/> }
                })
                .collect_view();
            view! { {unreadable} <Progress entries=loaded.entries.clone()/> <ul class="entries">{items}</ul> }
                .into_any()
        }
    };
    view! {
        <section class="history" aria-labelledby="history-heading">
            <h1 id="history-heading">{text(Key::HistoryHeading)}</h1>
            <p class="form-problem" role="alert">{problem}</p>
            {list}
            <p><A href="/practices">{text(Key::HomeBrowse)}</A></p>
            <p><A href="/measures">{text(Key::HistoryMeasures)}</A></p>
        </section>
    }
}

//! The form that corrects an entry's start and minutes (`Entry::edited`
//! checks them and says what is wrong).

use leptos::prelude::*;
use stille_practice::log::{EditError, Entry};

use crate::format::minutes;
use crate::i18n::{Key, t, use_lang};
use crate::log_store;

fn edit_key(error: EditError) -> Key {
    match error {
        EditError::Date => Key::EditErrDate,
        EditError::Time => Key::EditErrTime,
        EditError::Minutes => Key::EditErrMinutes,
        EditError::Future => Key::EditErrFuture,
    }
}

/// `done(true)` after a save, `done(false)` on Cancel.
#[component]
pub fn EditEntry(entry: Entry, done: Callback<bool>) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let (date0, time0) = entry.local_start();
    let date = RwSignal::new(date0);
    let time = RwSignal::new(time0);
    let minutes_typed = RwSignal::new(minutes(entry.practised_ms.max(60_000)).to_string());
    let problem = RwSignal::new(None::<String>);
    let first = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = first.get() {
            let _ = input.focus();
        }
    });
    let id = entry.id.clone();
    let entry = StoredValue::new(entry);
    let save = Action::new_local(move |edited: &Entry| {
        let edited = edited.clone();
        async move { log_store::save(&edited).await }
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(())) => done.run(true),
        // On failure the form keeps what was typed.
        Some(Err(error)) => problem.set(Some(error.to_string())),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let now = js_sys::Date::now() as i64;
        let edited = entry.with_value(|e| {
            e.edited(&date.get_untracked(), &time.get_untracked(), &minutes_typed.get_untracked(), now)
        });
        match edited {
            Err(error) => problem.set(Some(t(lang.get_untracked(), edit_key(error)).to_owned())),
            Ok(edited) => {
                save.dispatch(edited);
            }
        }
    };
    let field = move |name: &str| format!("edit-{name}-{id}");
    let input = move |signal: RwSignal<String>| move |ev| signal.set(event_target_value(&ev));
    view! {
        <form class="entry-edit" novalidate on:submit=submit aria-label=text(Key::HistoryEditHeading)>
            <div class="edit-fields">
                <label for=field("date")>{text(Key::EditDate)}</label>
                <input id=field("date") type="date" node_ref=first required prop:value=move || date.get() on:input=input(date)/>
                <label for=field("time")>{text(Key::EditTime)}</label>
                <input id=field("time") type="time" required prop:value=move || time.get() on:input=input(time)/>
                <label for=field("minutes")>{text(Key::EditMinutes)}</label>
                <input id=field("minutes") type="number" inputmode="numeric" min="1" max="1440" step="1" required
                    prop:value=move || minutes_typed.get() on:input=input(minutes_typed)/>
            </div>
            <p class="form-problem" role="alert">{move || problem.get()}</p>
            <div class="edit-actions">
                <button type="submit" class="button primary edit-save">{text(Key::EditSave)}</button>
                <button type="button" class="button edit-cancel" on:click=move |_| done.run(false)>{text(Key::EditCancel)}</button>
            </div>
        </form>
    }
}

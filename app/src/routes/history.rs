use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use stille_practice::journal::{Moment, Reflection};
use stille_practice::log::{EditError, Ending, Entry};
use stille_practice::stats::Date;
use stille_practice::{Lang, catalog};

use crate::account::use_account;
use crate::components::Progress;
use crate::components::after_practice::describe;
use crate::courses;
use crate::i18n::{Key, t, use_lang};
use crate::log_store::{self, Loaded, Note};

/// A check-in or note under its entry.
fn note_view(note: &Note, lang: Lang, share: Option<Callback<Reflection>>) -> AnyView {
    match note {
        Note::CheckIn(c) => {
            let label = match c.moment {
                Moment::Before => {
                    format!("{} ({})", t(lang, Key::HistoryCheckIn), t(lang, Key::HistoryBefore))
                }
                Moment::After => format!("{} ({})", t(lang, Key::HistoryCheckIn), t(lang, Key::HistoryAfter)),
                Moment::Alone => t(lang, Key::HistoryCheckIn).to_owned(),
            };
            view! { <p class="entry-check-in">{format!("{label}: {}", describe(c, lang))}</p> }.into_any()
        }
        Note::Reflection(r) => {
            // In a course that may read shared reflections: share this one, or stop.
            let toggle = share.map(|share| {
                let reflection = r.clone();
                let (state, action) = if r.shared {
                    (Some(t(lang, Key::HistoryShared)), t(lang, Key::HistoryStopSharing))
                } else {
                    (None, t(lang, Key::HistoryShare))
                };
                view! {
                    <p class="entry-share">
                        {state.map(|s| view! { <span class="shared-mark">{s}</span> " " })}
                        <button type="button" class="button share-toggle" aria-pressed=r.shared.to_string()
                            on:click=move |_| share.run(reflection.clone())>{action}</button>
                    </p>
                }
            });
            view! { <blockquote class="entry-note">{r.text.clone()}</blockquote> {toggle} }.into_any()
        }
    }
}

/// The entry's local start as "23.11.2026 kl. 13.45" / "23/11/2026 13:45".
fn when(entry: &Entry, lang: Lang) -> String {
    let local = entry.started_at_ms + i64::from(entry.utc_offset_minutes) * 60_000;
    let (y, m, d) = Date(local.div_euclid(86_400_000) as i32).ymd();
    let minutes = local.rem_euclid(86_400_000) / 60_000;
    let (hh, mm) = (minutes / 60, minutes % 60);
    match lang {
        Lang::Da => format!("{d}.{m}.{y} kl. {hh:02}.{mm:02}"),
        Lang::En => format!("{d}/{m}/{y} {hh:02}:{mm:02}"),
    }
}

fn minutes(ms: u32) -> String {
    format!("{}", (f64::from(ms) / 60_000.0).round() as u32)
}

fn edit_key(error: EditError) -> Key {
    match error {
        EditError::Date => Key::EditErrDate,
        EditError::Time => Key::EditErrTime,
        EditError::Minutes => Key::EditErrMinutes,
        EditError::Future => Key::EditErrFuture,
    }
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

/// The form that corrects an entry's start and minutes. `done(true)` after a save.
#[component]
fn EditEntry(entry: Entry, done: Callback<bool>) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let (date0, time0) = entry.local_start();
    let date = RwSignal::new(date0);
    let time = RwSignal::new(time0);
    let minutes_typed = RwSignal::new(minutes(entry.practised_ms.max(60_000)));
    let problem = RwSignal::new(None::<String>);
    let first = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = first.get() {
            let _ = input.focus();
        }
    });
    let id = entry.id.clone();
    let entry = StoredValue::new(entry);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edited = entry.with_value(|e| {
            e.edited(
                &date.get_untracked(),
                &time.get_untracked(),
                &minutes_typed.get_untracked(),
                js_sys::Date::now() as i64,
            )
        });
        match edited {
            Err(error) => problem.set(Some(t(lang.get_untracked(), edit_key(error)).to_owned())),
            Ok(edited) => spawn_local(async move {
                // On failure the form keeps what was typed.
                match log_store::save(&edited).await {
                    Ok(()) => done.run(true),
                    Err(error) => problem.set(Some(error.to_string())),
                }
            }),
        }
    };
    let field = move |name: &str| format!("edit-{name}-{id}");
    view! {
        <form class="entry-edit" novalidate on:submit=save aria-label=text(Key::HistoryEditHeading)>
            <div class="edit-fields">
                <label for=field("date")>{text(Key::EditDate)}</label>
                <input id=field("date") type="date" node_ref=first required
                    prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev))/>
                <label for=field("time")>{text(Key::EditTime)}</label>
                <input id=field("time") type="time" required
                    prop:value=move || time.get() on:input=move |ev| time.set(event_target_value(&ev))/>
                <label for=field("minutes")>{text(Key::EditMinutes)}</label>
                <input id=field("minutes") type="number" inputmode="numeric" min="1" max="1440" step="1" required
                    prop:value=move || minutes_typed.get() on:input=move |ev| minutes_typed.set(event_target_value(&ev))/>
            </div>
            <p class="form-problem" role="alert">{move || problem.get()}</p>
            <div class="edit-actions">
                <button type="submit" class="button primary edit-save">{text(Key::EditSave)}</button>
                <button type="button" class="button edit-cancel" on:click=move |_| done.run(false)>{text(Key::EditCancel)}</button>
            </div>
        </form>
    }
}

/// `/history`: every practice this device has logged, newest first, with how
/// much was practised and how it ended; entries can be corrected (start and
/// minutes) and deleted (with a confirming second press).
#[component]
pub fn History() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let loaded = RwSignal::new(None::<Result<Loaded, String>>);
    let reload = move || {
        spawn_local(async move {
            loaded.set(Some(log_store::load().await.map_err(|e| e.to_string())));
        });
    };
    reload();
    let confirming = RwSignal::new(None::<String>);
    let editing = RwSignal::new(None::<String>);
    let edit_done = Callback::new(move |saved: bool| {
        let Some(id) = editing.get_untracked() else { return };
        editing.set(None);
        if saved {
            spawn_local(async move {
                loaded.set(Some(log_store::load().await.map_err(|e| e.to_string())));
                focus_later(format!("edit-{id}"));
            });
        } else {
            focus_later(format!("edit-{id}"));
        }
    });
    let delete = move |id: String| {
        if confirming.get_untracked().as_deref() != Some(id.as_str()) {
            confirming.set(Some(id));
            return;
        }
        confirming.set(None);
        spawn_local(async move {
            if let Err(error) = log_store::delete(&id).await {
                loaded.set(Some(Err(error.to_string())));
                return;
            }
            loaded.set(Some(log_store::load().await.map_err(|e| e.to_string())));
        });
    };

    // Sharing is offered when signed in and some course may read shared reflections.
    let account = use_account();
    let share_reflection = Callback::new(move |r: Reflection| {
        let now = (js_sys::Date::now() as i64).max(r.updated_at_ms + 1);
        let flipped = Reflection { shared: !r.shared, updated_at_ms: now, ..r };
        spawn_local(async move {
            if let Err(error) = log_store::save_note(&Note::Reflection(flipped)).await {
                loaded.set(Some(Err(error.to_string())));
                return;
            }
            loaded.set(Some(log_store::load().await.map_err(|e| e.to_string())));
        });
    });
    let rows = move || {
        let lang = lang.get();
        let share = (account.get().user().is_some()
            && courses::cached().iter().any(|c| c.consent.reflections))
        .then_some(share_reflection);
        match loaded.get() {
            None => view! { <p class="quiet">"…"</p> }.into_any(),
            Some(Err(error)) => view! { <p role="alert">{error}</p> }.into_any(),
            Some(Ok(loaded)) => {
                let unreadable = loaded.unreadable;
                let note = (unreadable > 0).then(|| {
                    view! { <p class="quiet history-unreadable">{format!("{unreadable} {}", t(lang, Key::HistoryUnreadable))}</p> }
                });
                if loaded.entries.is_empty() {
                    let empty = if account.get().user().is_some() {
                        Key::HistoryEmptySynced
                    } else {
                        Key::HistoryEmpty
                    };
                    return view! { {note} <p class="history-empty">{t(lang, empty)}</p> }.into_any();
                }
                let items = loaded
                    .entries
                    .iter()
                    .map(|entry| {
                        let notes = loaded.notes_of(&entry.id).map(|n| note_view(n, lang, share)).collect_view();
                        let title = catalog()
                            .get(entry.practice.as_str())
                            .map_or_else(|| entry.practice.to_string(), |p| p.title.get(lang).to_owned());
                        let status = match entry.ending {
                            Some(Ending::Completed) => t(lang, Key::HistoryCompleted),
                            Some(Ending::Stopped) => t(lang, Key::HistoryStopped),
                            None => t(lang, Key::HistoryUnfinished),
                        };
                        let amount = format!(
                            "{} {} {} min",
                            minutes(entry.practised_ms),
                            t(lang, Key::HistoryOf),
                            minutes(entry.planned_ms)
                        );
                        let id = entry.id.clone();
                        let is_editing = {
                            let id = id.clone();
                            move || editing.get().as_deref() == Some(id.as_str())
                        };
                        let edit = {
                            let id = id.clone();
                            move |_| {
                                confirming.set(None);
                                editing.set(Some(id.clone()));
                            }
                        };
                        let form = {
                            let entry = entry.clone();
                            let is_editing = is_editing.clone();
                            move || is_editing().then(|| view! { <EditEntry entry=entry.clone() done=edit_done/> })
                        };
                        let label = {
                            let id = id.clone();
                            move || {
                                let key = if confirming.get().as_deref() == Some(id.as_str()) {
                                    Key::HistoryDeleteConfirm
                                } else {
                                    Key::HistoryDelete
                                };
                                t(lang, key)
                            }
                        };
                        view! {
                            <li class="entry" data-id=entry.id.clone()>
                                <h2>{title}</h2>
                                <p class="entry-when">{when(entry, lang)}</p>
                                <p class="entry-amount">{amount} " · " <span class="entry-status">{status}</span></p>
                                {notes}
                                {form}
                                <div class="entry-actions" hidden=is_editing>
                                    <button type="button" class="button entry-edit-open" id=format!("edit-{}", entry.id)
                                        on:click=edit>{t(lang, Key::HistoryEdit)}</button>
                                    <button type="button" class="button entry-delete" on:click=move |_| delete(id.clone())>{label}</button>
                                </div>
                            </li>
                        }
                    })
                    .collect_view();
                let entries = loaded.entries.clone();
                view! { {note} <Progress entries=entries/> <ul class="entries">{items}</ul> }.into_any()
            }
        }
    };

    view! {
        <section class="history" aria-labelledby="history-heading">
            <h1 id="history-heading">{text(Key::HistoryHeading)}</h1>
            {rows}
            <p><A href="/practices">{text(Key::HomeBrowse)}</A></p>
        </section>
    }
}

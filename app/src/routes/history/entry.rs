//! One logged practice: what, when, how much of it and how it ended, its
//! check-ins and notes, and Edit and Delete.

use leptos::prelude::*;
use stille_practice::journal::{Moment, Reflection};
use stille_practice::log::{Ending, Entry};
use stille_practice::stats::counts;
use stille_practice::{Lang, catalog};

use super::Change;
use crate::format::{check_in_text, practised_text, when};
use crate::i18n::{Key, t, use_lang};
use crate::log_store::Note;

#[component]
pub fn EntryItem(
    entry: Entry,
    notes: Vec<Note>,
    /// Whether a reflection may be shared (a course reads shared ones).
    may_share: bool,
    change: Callback<Change>,
    /// An edit closed: (the entry, whether it was saved).
    edited: Callback<(String, bool)>,
) -> impl IntoView {
    let lang = use_lang();
    let confirming = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let id = StoredValue::new(entry.id.clone());
    let practice = entry.practice.clone();
    // A teacher's recording is named by the device's copy of the course's list.
    let recorded =
        practice.recording().is_some().then(|| crate::takes::title_of(&crate::takes::cached(), &practice));
    let title = move || match (catalog().get(practice.as_str()), &recorded) {
        (Some(p), _) => p.title.get(lang.get()).to_owned(),
        (None, Some(Some(title))) => title.clone(),
        (None, Some(None)) => t(lang.get(), Key::TakeFallbackTitle).to_owned(),
        (None, None) => practice.to_string(),
    };
    let status = match entry.ending {
        Some(Ending::Completed) => Key::HistoryCompleted,
        Some(Ending::Stopped) => Key::HistoryStopped,
        None => Key::HistoryUnfinished,
    };
    let (practised, planned) = (entry.practised_ms, entry.planned_ms);
    let amount = move || practised_text(practised, planned, lang.get());
    // A start too short to count is met with a kind word, not a zero.
    let begun = (!counts(practised)).then(|| {
        view! { <p class="entry-begun quiet">{move || t(lang.get(), Key::HistoryBegun)}</p> }
    });
    let done = Callback::new(move |saved: bool| {
        editing.set(false);
        edited.run((id.get_value(), saved));
    });
    let delete = move |_| {
        if confirming.get_untracked() {
            confirming.set(false);
            change.run(Change::Delete(id.get_value()));
        } else {
            confirming.set(true);
        }
    };
    let form = {
        let entry = entry.clone();
        move || editing.get().then(|| view! { <super::edit::EditEntry entry=entry.clone() done=done/> })
    };
    let started = entry.clone();
    let notes =
        move || notes.iter().map(|n| note_view(n, lang.get(), may_share.then_some(change))).collect_view();
    view! {
        <li class="entry" data-id=id.get_value()>
            <h2>{title}</h2>
            <p class="entry-when">{move || when(&started, lang.get())}</p>
            <p class="entry-amount">{amount} " · " <span class="entry-status">{move || t(lang.get(), status)}</span></p>
            {begun}
            {notes}
            {form}
            <div class="entry-actions" hidden=move || editing.get()>
                <button type="button" class="button entry-edit-open" id=format!("edit-{}", id.get_value())
                    on:click=move |_| { confirming.set(false); editing.set(true); }>{move || t(lang.get(), Key::HistoryEdit)}</button>
                <button type="button" class="button entry-delete" on:click=delete>
                    {move || t(lang.get(), if confirming.get() { Key::HistoryDeleteConfirm } else { Key::HistoryDelete })}
                </button>
            </div>
        </li>
    }
}

/// A check-in or note under its entry; a reflection can be shared (or no
/// longer) when `share` is given.
fn note_view(note: &Note, lang: Lang, share: Option<Callback<Change>>) -> AnyView {
    match note {
        Note::CheckIn(c) => {
            let label = match c.moment {
                Moment::Before => {
                    format!("{} ({})", t(lang, Key::HistoryCheckIn), t(lang, Key::HistoryBefore))
                }
                Moment::After => format!("{} ({})", t(lang, Key::HistoryCheckIn), t(lang, Key::HistoryAfter)),
                Moment::Alone => t(lang, Key::HistoryCheckIn).to_owned(),
            };
            view! { <p class="entry-check-in">{format!("{label}: {}", check_in_text(c, lang))}</p> }
                .into_any()
        }
        Note::Reflection(r) => {
            let toggle = share.map(|share| share_toggle(r, lang, share));
            view! { <blockquote class="entry-note">{r.text.clone()}</blockquote> {toggle} }.into_any()
        }
        // Answers belong to no entry; "Questionnaires" shows them.
        Note::Answers(_) => ().into_any(),
    }
}

fn share_toggle(r: &Reflection, lang: Lang, share: Callback<Change>) -> impl IntoView {
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
                on:click=move |_| share.run(Change::Share(reflection.clone()))>{action}</button>
        </p>
    }
}

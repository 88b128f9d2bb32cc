//! The gentle close after a practice: a moment to notice how one is, an
//! optional check-in (distress 0–10 and the ladder) and an optional note, all
//! kept on this device with the practice's log entry. Nothing is required;
//! "Skip" leaves without writing anything. [`CheckInFields`] is the same
//! check-in, also offered before a practice begins ([`before_check_in`]).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use stille_practice::journal::{CheckIn, Ladder, Moment, Reflection};

use stille_practice::Lang;

use crate::i18n::{Key, t, use_lang};
use crate::log_store::{self, Note};

/// What the form holds, turned into the notes to write (none when empty).
pub fn notes_from(
    entry_id: Option<&str>,
    distress: Option<u8>,
    ladder: Option<Ladder>,
    text: &str,
    now_ms: i64,
    utc_offset_minutes: i16,
    mut new_id: impl FnMut() -> String,
) -> Vec<Note> {
    let mut notes = Vec::new();
    if distress.is_some() || ladder.is_some() {
        notes.push(Note::CheckIn(CheckIn {
            id: new_id(),
            entry_id: entry_id.map(str::to_owned),
            moment: if entry_id.is_some() { Moment::After } else { Moment::Alone },
            at_ms: now_ms,
            utc_offset_minutes,
            distress,
            ladder,
            updated_at_ms: now_ms,
        }));
    }
    let text = text.trim();
    if !text.is_empty() {
        notes.push(Note::Reflection(Reflection {
            id: new_id(),
            entry_id: entry_id.map(str::to_owned),
            written_at_ms: now_ms,
            utc_offset_minutes,
            text: text.to_owned(),
            shared: false,
            updated_at_ms: now_ms,
        }));
    }
    notes
}

/// The check-in made just before a practice, when anything was chosen.
pub fn before_check_in(
    entry_id: &str,
    distress: Option<u8>,
    ladder: Option<Ladder>,
    now_ms: i64,
    utc_offset_minutes: i16,
    id: String,
) -> Option<CheckIn> {
    (distress.is_some() || ladder.is_some()).then(|| CheckIn {
        id,
        entry_id: Some(entry_id.to_owned()),
        moment: Moment::Before,
        at_ms: now_ms,
        utc_offset_minutes,
        distress,
        ladder,
        updated_at_ms: now_ms,
    })
}

/// A check-in in words: "distress 6/10 · Alert, on guard".
pub fn describe(check_in: &CheckIn, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(d) = check_in.distress {
        parts.push(format!("{} {d}/10", t(lang, Key::HistoryDistress)));
    }
    if let Some((_, label, _)) = LADDER.iter().find(|(step, _, _)| Some(*step) == check_in.ladder) {
        parts.push(t(lang, *label).to_owned());
    }
    parts.join(" · ")
}

/// The ladder's three steps, top to bottom, with their words.
pub const LADDER: [(Ladder, Key, Key); 3] = [
    (Ladder::Ventral, Key::LadderVentral, Key::LadderVentralHint),
    (Ladder::Sympathetic, Key::LadderSympathetic, Key::LadderSympatheticHint),
    (Ladder::Dorsal, Key::LadderDorsal, Key::LadderDorsalHint),
];

#[component]
pub fn AfterPractice(
    /// The log entry of the practice just ended.
    entry_id: Option<String>,
    /// Where "Skip" goes.
    back: String,
    /// The check-in made before the practice began, shown for comparison.
    #[prop(default = None)]
    before: Option<CheckIn>,
) -> impl IntoView {
    let lang = use_lang();
    let account = crate::account::use_account();
    let text = move |key| move || t(lang.get(), key);
    let distress = RwSignal::new(None::<u8>);
    let ladder = RwSignal::new(None::<Ladder>);
    let note = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let navigate = use_navigate();
    let entry_id = StoredValue::new(entry_id);

    let save = {
        let navigate = navigate.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            if saving.get_untracked() {
                return;
            }
            let notes = notes_from(
                entry_id.get_value().as_deref(),
                distress.get_untracked(),
                ladder.get_untracked(),
                &note.get_untracked(),
                js_sys::Date::now() as i64,
                log_store::utc_offset_minutes(),
                log_store::new_id,
            );
            saving.set(true);
            let navigate = navigate.clone();
            spawn_local(async move {
                for n in &notes {
                    if let Err(error) = log_store::save_note(n).await {
                        // Nothing typed is lost: the form stays as it is.
                        problem.set(Some(error.to_string()));
                        saving.set(false);
                        return;
                    }
                }
                navigate("/history", Default::default());
            });
        }
    };

    view! {
        <section class="after" aria-labelledby="after-heading">
            <h2 id="after-heading">{text(Key::AfterHeading)}</h2>
            <p>{text(Key::AfterIntro)}</p>
            <form class="after-form" on:submit=save>
                {before.map(|b| view! {
                    <p class="after-before">{text(Key::AfterBeforeWas)} " " {move || describe(&b, lang.get())}</p>
                })}
                <CheckInFields name="after" distress=distress ladder=ladder/>
                <label for="after-note">{text(Key::AfterNote)}</label>
                <textarea id="after-note" rows="4" maxlength="5000"
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <p class="quiet">{move || t(lang.get(), if account.get().user().is_some() { Key::AfterPrivateSynced } else { Key::AfterPrivate })}</p>
                <p class="form-problem" role="alert">{move || problem.get()}</p>
                <div class="after-actions">
                    <button type="submit" class="button primary after-save" disabled=move || saving.get()>
                        {text(Key::AfterSave)}
                    </button>
                    <a class="button after-skip" href=back>{text(Key::AfterSkip)}</a>
                </div>
            </form>
        </section>
    }
}

/// Distress 0–10 as large radio targets and the ladder with plain words, both
/// optional. `name` keeps radio groups apart when two forms share a page.
#[component]
pub fn CheckInFields(
    name: &'static str,
    distress: RwSignal<Option<u8>>,
    ladder: RwSignal<Option<Ladder>>,
) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let scale = (0..=10u8)
        .map(|n| {
            view! {
                <label class="scale-option">
                    <input type="radio" name=format!("{name}-distress") value=n.to_string()
                        prop:checked=move || distress.get() == Some(n)
                        on:change=move |_| distress.set(Some(n))/>
                    <span>{n}</span>
                </label>
            }
        })
        .collect_view();
    let steps = LADDER
        .iter()
        .map(|(step, label, hint)| {
            let step = *step;
            let value = format!("{step:?}").to_lowercase();
            view! {
                <label class="ladder-option">
                    <input type="radio" name=format!("{name}-ladder") value=value
                        prop:checked=move || ladder.get() == Some(step)
                        on:change=move |_| ladder.set(Some(step))/>
                    <span class="ladder-label">{text(*label)}</span>
                    <span class="ladder-hint">{text(*hint)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="distress">
            <legend>{text(Key::AfterDistress)}</legend>
            <div class="scale">{scale}</div>
            <p class="scale-ends" aria-hidden="true">
                <span>{text(Key::AfterDistressNone)}</span>
                <span>{text(Key::AfterDistressMost)}</span>
            </p>
        </fieldset>
        <fieldset class="ladder">
            <legend>{text(Key::AfterLadder)}</legend>
            {steps}
        </fieldset>
    }
}

//! The gentle close after a practice: a moment to notice how one is, an
//! optional check-in (distress 0–10 and the ladder) and an optional note (or,
//! for a practice with prompts such as an events calendar, a field for each
//! prompt), all kept on this device with the practice's log entry. Nothing is
//! required; "Skip" leaves without writing anything.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use stille_practice::Text;
use stille_practice::journal::{CheckIn, Ladder, MAX_REFLECTION_CHARS};

use super::check_in::CheckInFields;
use super::worry_note::WorryNote;
use crate::format::check_in_text;
use crate::i18n::{Key, t, use_lang};
use crate::log_store::{self, Note, Written, notes_from};

/// Writes the close's notes one by one; stops at the first that fails.
async fn save_all(notes: Vec<Note>) -> Result<(), String> {
    for note in &notes {
        log_store::save_note(note).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[component]
pub fn AfterPractice(
    /// The log entry of the practice just ended.
    entry_id: Option<String>,
    /// Where "Skip" goes.
    back: String,
    /// The check-in made before the practice began, shown for comparison.
    #[prop(default = None)]
    before: Option<CheckIn>,
    /// The practice's questions, each answered in a field of its own (none:
    /// one note).
    #[prop(default = &[])]
    prompts: &'static [Text],
) -> impl IntoView {
    let lang = use_lang();
    let account = crate::account::use_account();
    let text = move |key| move || t(lang.get(), key);
    let distress = RwSignal::new(None::<u8>);
    let ladder = RwSignal::new(None::<Ladder>);
    let note = RwSignal::new(String::new());
    let answers = RwSignal::new(vec![String::new(); prompts.len()]);
    let navigate = use_navigate();
    // A check-in that worries is answered before anything else.
    let cared = RwSignal::new(false);
    let save = Action::new_local(move |notes: &Vec<Note>| {
        let (notes, navigate) = (notes.clone(), navigate.clone());
        let worries = notes.iter().any(|n| matches!(n, Note::CheckIn(c) if c.worries()));
        async move {
            let saved = save_all(notes).await;
            if saved.is_ok() {
                // What this page still shows of the log (an events calendar's
                // week) reads it again.
                log_store::changed();
            }
            match (&saved, worries) {
                (Ok(()), true) => cared.set(true),
                (Ok(()), false) => navigate("/history", Default::default()),
                (Err(_), _) => {}
            }
            saved
        }
    });
    // Nothing typed is lost on failure: the form stays as it is.
    let problem = move || save.value().get().and_then(Result::err);
    let entry_id = StoredValue::new(entry_id);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        let note = note.get_untracked();
        let answers = answers.get_untracked();
        // The questions as they were asked, in the language shown.
        let asked: Vec<&str> = prompts.iter().map(|p| p.get(lang.get_untracked())).collect();
        let written = if prompts.is_empty() {
            Written::Note(&note)
        } else {
            Written::Answers { prompts: &asked, answers: &answers }
        };
        save.dispatch(notes_from(
            entry_id.get_value().as_deref(),
            distress.get_untracked(),
            ladder.get_untracked(),
            written,
            js_sys::Date::now() as i64,
            log_store::utc_offset_minutes(),
            log_store::new_id,
        ));
    };
    let private =
        move || if account.get().user().is_some() { Key::AfterPrivateSynced } else { Key::AfterPrivate };
    // Once saved with a worrying check-in, the note takes the form's place.
    view! {
        <section class="after" aria-labelledby="after-heading" hidden=move || cared.get()>
            <h2 id="after-heading">{text(Key::AfterHeading)}</h2>
            <p>{text(Key::AfterIntro)}</p>
            <form class="after-form" on:submit=submit>
                {before.map(|b| view! {
                    <p class="after-before">{text(Key::AfterBeforeWas)} " " {move || check_in_text(&b, lang.get())}</p>
                })}
                <CheckInFields name="after" distress=distress ladder=ladder/>
                {if prompts.is_empty() {
                    view! {
                        <label for="after-note">{text(Key::AfterNote)}</label>
                        <textarea id="after-note" rows="4" maxlength="5000"
                            prop:value=move || note.get()
                            on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    }.into_any()
                } else {
                    // Each answer's share of what a note holds, with room for the questions.
                    let most = (MAX_REFLECTION_CHARS / prompts.len()).saturating_sub(200).to_string();
                    prompts.iter().enumerate().map(|(i, prompt)| {
                        let id = format!("after-answer-{i}");
                        view! {
                            <label for=id.clone()>{move || prompt.get(lang.get()).to_owned()}</label>
                            <textarea id=id class="after-answer" rows="2" maxlength=most.clone()
                                prop:value=move || answers.with(|a| a.get(i).cloned().unwrap_or_default())
                                on:input=move |ev| answers.update(|a| if let Some(slot) = a.get_mut(i) {
                                    *slot = event_target_value(&ev);
                                })></textarea>
                        }
                    }).collect_view().into_any()
                }}
                <p class="quiet">{move || t(lang.get(), private())}</p>
                <p class="form-problem" role="alert">{problem}</p>
                <div class="after-actions">
                    <button type="submit" class="button primary after-save" disabled=move || save.pending().get()>
                        {text(Key::AfterSave)}
                    </button>
                    <a class="button after-skip" href=back>{text(Key::AfterSkip)}</a>
                </div>
            </form>
        </section>
        {move || cared.get().then(|| view! { <WorryNote/> })}
    }
}

//! The check-in: distress 0–10 as large radio targets and the ladder with
//! plain words, both optional. Offered before a practice (on the player) and
//! in the close after it.

use leptos::prelude::*;
use stille_practice::journal::Ladder;

use crate::format::ladder_words;
use crate::i18n::{Key, t, use_lang};

/// `name` keeps radio groups apart when two forms share a page.
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
    let steps = [Ladder::Ventral, Ladder::Sympathetic, Ladder::Dorsal]
        .into_iter()
        .map(|step| {
            let (label, hint) = ladder_words(step);
            let value = format!("{step:?}").to_lowercase();
            view! {
                <label class="ladder-option">
                    <input type="radio" name=format!("{name}-ladder") value=value
                        prop:checked=move || ladder.get() == Some(step)
                        on:change=move |_| ladder.set(Some(step))/>
                    <span class="ladder-label">{text(label)}</span>
                    <span class="ladder-hint">{text(hint)}</span>
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

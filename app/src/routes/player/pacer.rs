//! The breathing pacer: a circle that grows on the in-breath and shrinks on
//! the out-breath (`playback::pacer_scale`), with the phase in a word.
//! Reduced motion is honoured in the style (the circle stays, the word leads).

use leptos::prelude::*;
use stille_practice::BreathPhase;

use crate::i18n::{t, use_lang};
use crate::playback::{pacer_scale, phase_key};

#[component]
pub fn Pacer(breath: RwSignal<Option<(BreathPhase, f64)>>) -> impl IntoView {
    let lang = use_lang();
    let phase = move || breath.get().map(|(p, _)| format!("{p:?}").to_lowercase()).unwrap_or_default();
    let scale = move || format!("--scale: {:.3}", breath.get().map_or(0.55, |(p, x)| pacer_scale(p, x)));
    let word = move || breath.get().map(|(p, _)| t(lang.get(), phase_key(p))).unwrap_or_default();
    view! {
        <div class="pacer" data-phase=phase>
            <div class="pacer-shape" style=scale></div>
            <p class="pacer-word">{word}</p>
        </div>
    }
}

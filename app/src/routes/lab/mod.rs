//! `/lab/audio`: plays a test session in the mode the app would use (or one
//! chosen here), and shows planned against observed and measured bell times,
//! the mode in use, and which browser APIs exist, so anyone can check a real
//! phone: locked screen, another app in front, a phone call. Plays through
//! the same `playback::web::Session` as the player; the naive timer it is
//! compared with is the audio crate's `NaiveBell`.

mod choose;
mod measure;
mod play;
mod support;

use std::time::Duration;

use leptos::prelude::*;
use stille_audio::web::support;

use crate::details::WithDetails;
use crate::format::clock;
use crate::i18n::{Key, t, use_lang};
use crate::playback::web::follow_while_mounted;

#[component]
pub fn LabAudio() -> impl IntoView {
    // The guided test plays a practice from the catalog: its script must be here.
    view! { <WithDetails view=|_| view! { <Lab/> }/> }
}

#[component]
fn Lab() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let lab = play::LabPlayer::new();
    let visibility =
        window_event_listener_untyped("visibilitychange", move |_| lab.measure.hidden(play::is_hidden()));
    on_cleanup(move || visibility.remove());
    follow_while_mounted(Duration::from_millis(50), move || lab.tick(), move || lab.save(), || {});
    let resume_button = move || {
        lab.saved.get().map(|(saved_test, _, position)| view! {
        <p class="lab-resume"><button type="button" class="button primary" on:click=move |_| lab.resume()>
            {move || format!("{} {} ({})", t(lang.get(), Key::LabResume), clock(position, false), t(lang.get(), saved_test.label()))}
        </button></p>
    })
    };
    let ready = lab.ready;
    let forget = Callback::new(move |()| lab.forget());
    view! {
        <section class="lab" aria-labelledby="lab-heading">
            <h1 id="lab-heading">{text(Key::LabHeading)}</h1>
            <p class="lead">{text(Key::LabIntro)}</p>
            {resume_button}
            <choose::Choose test=lab.test way=lab.way measure=lab.measuring busy=lab.busy changed=forget/>
            <div class="lab-controls">
                <button type="button" class="button primary" on:click=move |_| lab.prepare(None)>{text(Key::LabPrepare)}</button>
                <button type="button" class="button" on:click=move |_| lab.play() disabled=move || !ready.get()>{text(Key::LabPlay)}</button>
                <button type="button" class="button" on:click=move |_| lab.halt(false) disabled=move || !ready.get()>{text(Key::LabPause)}</button>
                <button type="button" class="button" on:click=move |_| lab.halt(true) disabled=move || !ready.get()>{text(Key::LabStop)}</button>
            </div>
            <p class="lab-status" role="status">{move || lab.status.get()}</p>
            <ul class="lab-notices">{move || lab.notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            <p class="lab-interrupted" role="alert" hidden=move || !lab.interrupted.get()>{text(Key::LabInterrupted)}</p>
            <measure::Facts measure=lab.measure elapsed_ms=lab.elapsed_ms mode_used=lab.mode_used/>
            <p class="lab-guidance" aria-live="polite" hidden=move || lab.guidance.get().is_empty()>{move || lab.guidance.get()}</p>
            <measure::BellTable measure=lab.measure/>
            <p class="quiet">{text(Key::LabNote)}</p>
            <support::SupportTable support=support()/>
        </section>
    }
}

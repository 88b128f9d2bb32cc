//! What this browser offers for playing sound, and the mode the app would
//! choose from it.

use leptos::prelude::*;
use stille_audio::web::{Mode, Speaker, Support};

use crate::i18n::{Key, t, use_lang};

#[component]
pub fn SupportTable(support: Support) -> impl IntoView {
    let lang = use_lang();
    let yes_no =
        move |present: bool| move || t(lang.get(), if present { Key::LabAvailable } else { Key::LabMissing });
    let flac = if support.flac.is_empty() { None } else { Some(support.flac.clone()) };
    let flac_text = move || flac.clone().unwrap_or_else(|| t(lang.get(), Key::LabMissing).to_owned());
    // Voices may load after the page: read them when the language changes.
    let voices = move || Speaker::new().map_or(0, |s| s.voices(lang.get().tag()).len()).to_string();
    let automatic = Mode::automatic(&support, false);
    view! {
        <table class="lab-support">
            <caption>{move || t(lang.get(), Key::LabSupport)}</caption>
            <tbody>
                <tr><th scope="row">"FLAC (audio element)"</th><td>{flac_text}</td></tr>
                <tr><th scope="row">"Media Session"</th><td>{yes_no(support.media_session)}</td></tr>
                <tr><th scope="row">"Screen Wake Lock"</th><td>{yes_no(support.wake_lock)}</td></tr>
                <tr><th scope="row">"Audio Session"</th><td>{yes_no(support.audio_session)}</td></tr>
                <tr><th scope="row">"Web Audio"</th><td>{yes_no(support.web_audio)}</td></tr>
                <tr><th scope="row">"Speech synthesis"</th><td>{yes_no(support.speech_synthesis)}</td></tr>
                <tr><th scope="row">{move || t(lang.get(), Key::LabVoices)}</th><td class="lab-voices">{voices}</td></tr>
                <tr><th scope="row">{move || t(lang.get(), Key::LabAutomatic)}</th><td class="lab-automatic">{automatic.as_str()}</td></tr>
            </tbody>
        </table>
    }
}

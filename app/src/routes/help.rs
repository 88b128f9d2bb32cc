use leptos::prelude::*;

use crate::i18n::{Key, t, use_lang};

/// `/help`: where to turn now, reachable from every screen. Plain links that
/// a phone can call with one tap; nothing is sent anywhere.
#[component]
pub fn Help() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    view! {
        <section class="help" aria-labelledby="help-heading">
            <h1 id="help-heading">{text(Key::HelpHeading)}</h1>
            <ul class="help-list">
                <li>
                    <h2>{text(Key::HelpEmergency)}</h2>
                    <a class="button primary help-call" href="tel:112">{text(Key::HelpCall112)}</a>
                </li>
                <li>
                    <h2>{text(Key::HelpSuicide)}</h2>
                    <p>{text(Key::HelpLivslinien)}</p>
                    <a class="button help-call" href="tel:+4570201201">{text(Key::HelpCallLivslinien)}</a>
                </li>
                <li>
                    <h2>{text(Key::HelpMedical)}</h2>
                    <p>{text(Key::HelpMedicalText)}</p>
                </li>
                <li>
                    <h2>{text(Key::HelpInstructor)}</h2>
                    <p>{text(Key::HelpInstructorText)}</p>
                </li>
            </ul>
            <p class="quiet">{text(Key::HelpInPractice)}</p>
        </section>
    }
}

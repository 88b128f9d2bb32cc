use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Key, t, use_lang};

/// `/`: what Stille is and the way into the library. (The course's "this week"
/// slot joins here when courses arrive.)
#[component]
pub fn Home() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    view! {
        <section class="home" aria-labelledby="home-heading">
            <h1 id="home-heading">{text(Key::HomeHeading)}</h1>
            <p class="lead">{text(Key::HomeIntro)}</p>
            <p><A href="/practices" attr:class="button primary">{text(Key::HomeBrowse)}</A></p>
            <p class="quiet">{text(Key::HomeNoAccount)}</p>
        </section>
    }
}

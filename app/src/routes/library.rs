use leptos::prelude::*;

use crate::components::PracticeList;
use crate::i18n::{Key, t, use_lang};

/// `/practices`: the whole catalog, grouped by programme.
#[component]
pub fn Library() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    view! {
        <section class="library" aria-labelledby="library-heading">
            <h1 id="library-heading">{text(Key::PracticesHeading)}</h1>
            <p class="lead">{text(Key::PracticesIntro)}</p>
            <PracticeList lang=lang/>
        </section>
    }
}

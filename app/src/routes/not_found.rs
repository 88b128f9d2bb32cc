use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Key, t, use_lang};

/// Any path the app does not know (the server answers every path with the app).
#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    view! {
        <section aria-labelledby="nf-heading">
            <h1 id="nf-heading">{text(Key::NotFoundHeading)}</h1>
            <p>{text(Key::NotFoundBody)}</p>
            <p><A href="/">{text(Key::NotFoundBack)}</A></p>
        </section>
    }
}

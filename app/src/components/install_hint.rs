//! The quiet hint on home to add Stille to the home screen, in the words
//! of this phone's way of doing it (`crate::install`); closed for good with
//! "Not now", and never shown in an installed app.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::i18n::{Key, t, use_lang};
use crate::install::{self, Platform};

#[component]
pub fn InstallHint() -> impl IntoView {
    let lang = use_lang();
    let platform = RwSignal::new(install::platform());
    let closed = RwSignal::new(install::seen());
    // Chromium says it can install a moment after the page starts.
    if platform.get_untracked() == Platform::None && !closed.get_untracked() {
        let ready = Closure::once_into_js(move || {
            platform.try_set(install::platform());
        });
        install::when_prompt_ready(ready.unchecked_ref());
    }
    let close = move |_| {
        install::mark_seen();
        closed.set(true);
    };
    let add = move |_| {
        spawn_local(async move {
            install::prompt().await;
            install::mark_seen();
            closed.try_set(true);
        });
    };
    move || {
        if closed.get() {
            return None;
        }
        let shown = platform.get();
        let key = install::hint(shown)?;
        Some(view! {
            <aside class="install-hint" aria-label=move || t(lang.get(), Key::InstallLabel)>
                <p>{move || t(lang.get(), key)}</p>
                <p class="install-actions">
                    {(shown == Platform::Prompt).then(|| view! {
                        <button type="button" class="button primary install-add" on:click=add>
                            {move || t(lang.get(), Key::InstallButton)}
                        </button>
                    })}
                    <button type="button" class="button install-close" on:click=close>
                        {move || t(lang.get(), Key::InstallNotNow)}
                    </button>
                </p>
            </aside>
        })
    }
}

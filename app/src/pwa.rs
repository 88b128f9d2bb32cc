//! Offline: the service worker (`app/sw.js`, filled in by `cargo xtask`) caches
//! the built app on the first visit, so Stille opens and plays without a
//! network afterwards. When a new version has installed and waits, the shell
//! shows "A new version is ready" with a Reload button; nothing reloads
//! without the person's choice (a practice may be playing).

use leptos::prelude::*;
use wasm_bindgen::prelude::{Closure, wasm_bindgen};

use crate::i18n::{Key, t, use_lang};

#[wasm_bindgen(module = "/src/pwa.js")]
extern "C" {
    #[wasm_bindgen(js_name = register)]
    fn register_js(on_update_ready: &Closure<dyn Fn()>) -> bool;
    #[wasm_bindgen(js_name = applyUpdate)]
    fn apply_update_js() -> js_sys::Promise;
    #[wasm_bindgen(js_name = offlineReady)]
    pub fn offline_ready() -> bool;
}

/// Registers the service worker; the banner appears when an update waits.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let lang = use_lang();
    let ready = RwSignal::new(false);
    // A debug build is `cargo xtask dev`'s, whose page must show every
    // rebuild: no offline cache there.
    if !cfg!(debug_assertions) {
        let on_ready = Closure::<dyn Fn()>::new(move || ready.set(true));
        register_js(&on_ready);
        // The worker may call back at any time while the app lives.
        on_ready.forget();
    }
    let reload = move |_| {
        let _ = apply_update_js();
    };
    view! {
        <Show when=move || ready.get()>
            <div class="update-banner" role="status">
                <p>{move || t(lang.get(), Key::UpdateReady)}</p>
                <button type="button" class="button primary" on:click=reload>
                    {move || t(lang.get(), Key::UpdateReload)}
                </button>
            </div>
        </Show>
    }
}

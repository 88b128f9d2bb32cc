//! Stille's browser app: a Leptos client-side rendered single-page app that lists
//! the practice catalog (and, as it grows, plays practices, keeps the practice
//! log in IndexedDB and syncs it).
//!
//! It owns routes, components, the UI strings in Danish and English, and the
//! browser glue. Domain logic lives in `stille_practice` (plain functions with
//! unit tests); sound lives in `stille_audio`. The app never links the server:
//! it is built to wasm by `cargo xtask` and served as static files.
//!
//! Start-up: `boot.js` (written by the xtask next to the wasm) loads the module
//! and calls [`run`].

// The decisions the screens and the engines make, as plain Rust with native
// unit tests (`cargo test -p stille-app`), and the browser glue they drive
// (which compiles anywhere and runs in a browser).
pub mod account;
pub mod api;
pub mod courses;
pub mod details;
pub mod events;
pub mod format;
pub mod guards;
pub mod i18n;
pub mod install;
pub mod lab;
pub mod log_store;
pub mod measures;
pub mod messages;
pub mod paces;
pub mod passkeys;
pub mod playback;
pub mod problems;
pub mod qr;
pub mod reminders;
pub mod session;
pub mod settings;
pub mod share;
mod split;
mod storage;
pub mod sync;
pub mod takes;
pub mod teaching;
pub mod voice;

// The screens: wasm only, as they play sound through the audio crate's
// browser side.
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
mod pwa;
#[cfg(target_arch = "wasm32")]
mod routes;

#[cfg(target_arch = "wasm32")]
use leptos::prelude::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(target_arch = "wasm32")]
pub use app::App;

/// Mounts the app into `<body>`, replacing the page's first view.
///
/// First the UI's words in the language the app will speak (the one chosen in
/// Settings, else the browser's): the release build fetches them (see
/// `i18n.rs`; the page has preloaded its own language's). If they cannot be
/// had, the first view stays, with a note to reload.
///
/// Not `#[wasm_bindgen(start)]`: the wasm-bindgen tests link this crate and must
/// not get a whole app mounted into their page.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub async fn run() {
    console_error_panic_hook::set_once();
    let document = web_sys::window().and_then(|w| w.document());
    use stille_practice::Lang;
    let chosen = settings::load().lang.unwrap_or_else(i18n::browser_lang);
    let other = match chosen {
        Lang::Da => Lang::En,
        Lang::En => Lang::Da,
    };
    // The chosen language's words, else the other's (the app then starts in
    // that language: better than not at all, help included).
    let mut spoken = None;
    for lang in [chosen, other] {
        match i18n::load(lang).await {
            Ok(()) => {
                spoken = Some(lang);
                break;
            }
            Err(error) => {
                web_sys::console::error_1(&format!("Stille could not load its words: {error}").into())
            }
        }
    }
    let Some(lang) = spoken else {
        if let Some(main) = document.as_ref().and_then(|d| d.query_selector("#boot main").ok().flatten()) {
            let note = match chosen {
                Lang::Da => "Stille kunne ikke starte. Genindlæs siden for at prøve igen.",
                Lang::En => "Stille could not start. Reload the page to try again.",
            };
            let _ = main.insert_adjacent_html("beforeend", &format!(r#"<p role="alert">{note}</p>"#));
        }
        return;
    };
    if let Some(placeholder) = document.and_then(|d| d.get_element_by_id("boot")) {
        placeholder.remove();
    }
    leptos::mount::mount_to_body(move || view! { <App lang=lang/> });
    // Every control now has its handler: the moment `cargo xtask bench`
    // measures as "interactive".
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("stille:interactive");
    }
}

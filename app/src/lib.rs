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
use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(target_arch = "wasm32")]
pub use app::App;

/// Mounts the app into `<body>`, replacing the "loading" placeholder.
///
/// Not `#[wasm_bindgen(start)]`: the wasm-bindgen tests link this crate and must
/// not get a whole app mounted into their page.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn run() {
    console_error_panic_hook::set_once();
    if let Some(placeholder) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot"))
    {
        placeholder.remove();
    }
    leptos::mount::mount_to_body(App);
    // Every control now has its handler: the moment `cargo xtask bench`
    // measures as "interactive".
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("stille:interactive");
    }
}

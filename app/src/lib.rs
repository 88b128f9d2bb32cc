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

pub mod account;
pub mod api;
mod app;
pub mod components;
pub mod courses;
pub mod details;
pub mod i18n;
pub mod log_store;
mod pwa;
pub mod qr;
mod routes;
mod session;
pub mod settings;
mod split;
mod storage;
pub mod sync;

use wasm_bindgen::prelude::wasm_bindgen;

pub use app::App;

/// Mounts the app into `<body>`, replacing the "loading" placeholder.
///
/// Not `#[wasm_bindgen(start)]`: the wasm-bindgen tests link this crate and must
/// not get a whole app mounted into their page.
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

//! The catalog's details (every practice's script, every course's sessions)
//! come in a file of their own, `/assets/`[`stille_practice::details::FILE`], so the
//! first download stays small. The player and the lab need them; they are
//! fetched when a practice is opened (the service worker has them cached after
//! the first visit), checked by their fingerprint, and kept for the session.

use leptos::prelude::*;
use leptos::task::spawn_local;
use stille_practice::{Catalog, details};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{Key, t, use_lang};

/// The whole catalog: at once when it is here, else after fetching the details.
pub async fn load() -> Result<&'static Catalog, String> {
    if let Some(full) = details::full() {
        return Ok(full);
    }
    let bytes = fetch_bytes(&format!("/assets/{}", details::FILE)).await?;
    details::install(&bytes).map_err(|e| e.to_string())
}

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let reason = |value: wasm_bindgen::JsValue| {
        js_sys::Reflect::get(&value, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| format!("{value:?}"))
    };
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(url)).await.map_err(reason)?.dyn_into().map_err(reason)?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(reason)?).await.map_err(reason)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Shows `view` with the whole catalog once it is here; meanwhile a quiet
/// "Loading…", and on failure what went wrong and a way to try again.
#[component]
pub fn WithDetails<F, V>(view: F) -> impl IntoView
where
    F: Fn(&'static Catalog) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let lang = use_lang();
    let state = RwSignal::new(details::full().map(Ok::<_, String>));
    let attempt = move || {
        spawn_local(async move {
            state.set(Some(load().await));
        })
    };
    if state.get_untracked().is_none() {
        attempt();
    }
    move || match state.get() {
        None => {
            view! { <p class="quiet details-loading" role="status">{t(lang.get(), Key::DetailsLoading)}</p> }
                .into_any()
        }
        Some(Err(error)) => view! {
            <div class="details-failed" role="alert">
                <p>{t(lang.get(), Key::DetailsFailed)}</p>
                <p class="quiet">{error}</p>
                <button type="button" class="button" on:click=move |_| {
                    state.set(None);
                    attempt();
                }>{t(lang.get(), Key::DetailsRetry)}</button>
            </div>
        }
        .into_any(),
        Some(Ok(full)) => view(full).into_any(),
    }
}

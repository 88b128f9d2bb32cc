//! The catalog's details (every practice's script, source and prompts, every
//! course's sessions, the questionnaires) come in a file of their own,
//! `/assets/`[`stille_practice::details::FILE`], so the first download stays
//! small. A practice's page, the player and the lab need them; they are
//! fetched when a practice is opened (the service worker has them cached
//! after the first visit), once however many parts of a page ask, checked
//! by their fingerprint, and kept for the session.

use std::cell::RefCell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use stille_practice::{Catalog, details};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, future_to_promise};

use crate::i18n::{Key, t, use_lang};

thread_local! {
    /// The fetch under way, awaited by everyone who asks meanwhile. Its
    /// promise never rejects: it resolves to the reason when it failed.
    static FETCHING: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
    /// Notified when the details have arrived.
    static ARRIVED: ArcTrigger = ArcTrigger::new();
}

/// Tracks, in a reactive closure (a resource's fetcher), the details'
/// arrival: what asked before they were here (and gave up) asks again.
pub fn arrived() {
    ARRIVED.with(|arrived| arrived.track());
}

/// The whole catalog: at once when it is here, else after fetching the details.
pub async fn load() -> Result<&'static Catalog, String> {
    if let Some(full) = details::full() {
        return Ok(full);
    }
    // The future runs from a later microtask, so it never finds its own slot
    // still empty.
    let fetch = FETCHING.with_borrow_mut(|fetching| {
        fetching
            .get_or_insert_with(|| {
                future_to_promise(async {
                    let result = match fetch_bytes(&format!("/assets/{}", details::FILE)).await {
                        Ok(bytes) => details::install(&bytes).map(|_| ()).map_err(|e| e.to_string()),
                        Err(error) => Err(error),
                    };
                    FETCHING.with_borrow_mut(|fetching| *fetching = None);
                    match result {
                        Ok(()) => {
                            ARRIVED.with(|arrived| arrived.notify());
                            Ok(JsValue::UNDEFINED)
                        }
                        Err(reason) => Ok(JsValue::from_str(&reason)),
                    }
                })
            })
            .clone()
    });
    let settled = JsFuture::from(fetch).await.unwrap_or_else(|e| e);
    match (settled.as_string(), details::full()) {
        (Some(reason), _) => Err(reason),
        (None, Some(full)) => Ok(full),
        (None, None) => Err("the practice texts did not arrive".to_owned()),
    }
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

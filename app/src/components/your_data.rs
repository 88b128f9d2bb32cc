use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use wasm_bindgen::JsCast;

use crate::i18n::{Key, t, use_lang};
use crate::log_store;
use crate::settings::{Settings, use_settings};
use crate::storage;

/// Everything this device keeps, as one JSON document.
async fn export_json(settings: &Settings) -> Result<String, String> {
    let loaded = log_store::load().await.map_err(|e| e.to_string())?;
    let document = json!({
        "format": "stille-export-v1",
        "exported_at_ms": js_sys::Date::now() as i64,
        "settings": {
            "playback": settings.playback.as_str(),
            "theme": settings.theme.as_str(),
            "speech": settings.speech,
            "voice_da": settings.voice_da,
            "voice_en": settings.voice_en,
            "streaks": settings.streaks,
            "vibrate": settings.vibrate,
        },
        "breathing_paces": crate::paces::all(),
        "questionnaires_begun": crate::measures::drafts(),
        "log": loaded.entries,
        "journal": loaded.notes,
        "unreadable_log_records": loaded.unreadable,
    });
    serde_json::to_string_pretty(&document).map_err(|e| e.to_string())
}

/// Offers JSON `text` as a file download named `name`.
pub fn download(text: &str, name: &str) -> Result<(), String> {
    download_as(text, name, "application/json")
}

/// Offers `text` as a file download named `name`, of type `mime`.
pub fn download_as(text: &str, name: &str, mime: &str) -> Result<(), String> {
    let fail = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&text.into());
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let link = document().create_element("a").map_err(fail)?;
    link.set_attribute("href", &url).map_err(fail)?;
    link.set_attribute("download", name).map_err(fail)?;
    link.set_attribute("class", "export-link").map_err(fail)?;
    link.set_attribute("hidden", "").map_err(fail)?;
    // The link stays (hidden) so the download can be read back; the URL is
    // freed with the page.
    document().body().ok_or("no body")?.append_child(&link).map_err(fail)?;
    link.dyn_ref::<web_sys::HtmlElement>().ok_or("not an element")?.click();
    Ok(())
}

/// Download or erase what this device keeps; erasing takes a second press.
#[component]
pub fn YourData() -> impl IntoView {
    let lang = use_lang();
    let settings = use_settings();
    let account = crate::account::use_account();
    let text = move |key| move || t(lang.get(), key);
    let message = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let export = move |_| {
        let current = settings.get_untracked();
        spawn_local(async move {
            let result = export_json(&current).await.and_then(|json| download(&json, "stille-data.json"));
            if let Err(error) = result {
                message.set(error);
            }
        });
    };
    let erase = move |_| {
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        confirming.set(false);
        spawn_local(async move {
            match log_store::clear().await {
                Ok(()) => {
                    for key in [
                        "stille.settings.v1",
                        "stille.player.v1",
                        "stille.lab.session.v1",
                        crate::paces::KEY,
                        crate::measures::DRAFTS,
                    ] {
                        storage::remove(key);
                    }
                    settings.set(Settings::default());
                    // The sync position and the joined courses go too: nothing
                    // of the account's is left to say what this device holds.
                    // Signed in, the next sync then brings the account's copy
                    // back whole (not only what changed since the erased one).
                    crate::sync::forget();
                    crate::courses::forget();
                    crate::takes::forget();
                    if let Err(error) = crate::takes::clear_audio().await {
                        leptos::logging::warn!("the kept recordings could not be removed: {error}");
                    }
                    let signed_in = account.with_untracked(|a| a.user().is_some());
                    let said = if signed_in { Key::SettingsErasedSignedIn } else { Key::SettingsErased };
                    message.set(t(lang.get_untracked(), said).to_owned());
                    if signed_in {
                        crate::sync::run_now();
                    }
                }
                Err(error) => message.set(error.to_string()),
            }
        });
    };
    view! {
        <fieldset class="settings-data">
            <legend>{text(Key::SettingsData)}</legend>
            <p class="quiet">
                {move || {
                    let synced = account.with(|a| a.user().is_some());
                    t(lang.get(), if synced { Key::SettingsDataHelpSynced } else { Key::SettingsDataHelp })
                }}
            </p>
            <p><button type="button" class="button export" on:click=export>{text(Key::SettingsExport)}</button></p>
            <p>
                <button type="button" class="button erase" on:click=erase>
                    {move || t(lang.get(), if confirming.get() { Key::SettingsEraseConfirm } else { Key::SettingsErase })}
                </button>
            </p>
            <p class="data-message" role="status">{move || message.get()}</p>
        </fieldset>
    }
}

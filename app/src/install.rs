//! The quiet hint to add Stille to the home screen: which words for which
//! phone, and whether it was seen. It shows once (a person who closes it or
//! installs never sees it again), never on an installed app, and only where
//! installing is possible. The browser side is `install.js`.

use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

use crate::i18n::Key;
use crate::storage;

#[wasm_bindgen(module = "/src/install.js")]
extern "C" {
    #[wasm_bindgen(js_name = platform)]
    fn platform_js() -> String;
    #[wasm_bindgen(js_name = whenPromptReady)]
    pub fn when_prompt_ready(notify: &js_sys::Function);
    #[wasm_bindgen(js_name = prompt, catch)]
    async fn prompt_js() -> Result<JsValue, JsValue>;
}

/// Kept once the hint has been closed or used.
const SEEN: &str = "stille.install-hint.v1";

/// How this browser adds a web app to the home screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// Already opened from the home screen.
    Installed,
    /// Safari on an iPhone or iPad: the Share menu's "Add to Home Screen".
    Ios,
    /// Chromium has its install prompt ready.
    Prompt,
    /// Firefox on Android: "Install" in the browser's menu.
    FirefoxAndroid,
    /// Nothing to offer here.
    None,
}

pub fn platform() -> Platform {
    match platform_js().as_str() {
        "installed" => Platform::Installed,
        "ios" => Platform::Ios,
        "prompt" => Platform::Prompt,
        "firefox-android" => Platform::FirefoxAndroid,
        _ => Platform::None,
    }
}

/// The hint's words for `platform`, if it gets one.
pub fn hint(platform: Platform) -> Option<Key> {
    match platform {
        Platform::Ios => Some(Key::InstallIos),
        Platform::Prompt => Some(Key::InstallPrompt),
        Platform::FirefoxAndroid => Some(Key::InstallFirefox),
        Platform::Installed | Platform::None => None,
    }
}

/// Whether the hint was closed or used on this device.
pub fn seen() -> bool {
    matches!(storage::load::<bool>(SEEN), Ok(Some(true)))
}

/// The hint never comes back.
pub fn mark_seen() {
    if let Err(error) = storage::save(SEEN, &true) {
        storage::warn(&error);
    }
}

/// Shows Chromium's install prompt: whether the person installed.
pub async fn prompt() -> bool {
    prompt_js().await.ok().and_then(|v| v.as_string()).is_some_and(|outcome| outcome == "accepted")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_phone_gets_its_own_words_and_an_installed_app_none() {
        assert_eq!(hint(Platform::Ios), Some(Key::InstallIos));
        assert_eq!(hint(Platform::Prompt), Some(Key::InstallPrompt));
        assert_eq!(hint(Platform::FirefoxAndroid), Some(Key::InstallFirefox));
        assert_eq!(hint(Platform::Installed), None);
        assert_eq!(hint(Platform::None), None);
    }
}

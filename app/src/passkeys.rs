//! Passkeys in the app: made on this device for the signed-in account (the
//! password again first), listed and removed in Account, and used to sign
//! in instead of a password and a code. The browser's WebAuthn calls are in
//! `passkey.js`; the server checks every answer (`server/src/webauthn.rs`).

use leptos::prelude::RwSignal;
use stille_practice::api::{
    LoggedIn, Passkey, PasskeyCreation, PasskeyNew, PasskeyRequest, PasskeySignIn, PasskeyStart, User,
};
use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

use crate::account::{Account, SignInError};
use crate::api::{self, ApiError, NO_BODY};
use crate::i18n::Key;

#[wasm_bindgen(module = "/src/passkey.js")]
extern "C" {
    #[wasm_bindgen(js_name = supported)]
    fn supported_js() -> bool;

    #[wasm_bindgen(js_name = create, catch)]
    async fn create_js(options: String) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = get, catch)]
    async fn get_js(options: String) -> Result<JsValue, JsValue>;
}

/// Why a passkey was not made or used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasskeyError {
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The browser's refusal, by its DOMException's name
    /// ("NotAllowedError": cancelled or timed out).
    #[error("the browser did not make or use a passkey ({0})")]
    Browser(String),
    #[error(transparent)]
    SignIn(#[from] SignInError),
}

/// Whether this browser can make and use passkeys.
pub fn supported() -> bool {
    supported_js()
}

fn browser_error(value: &JsValue) -> PasskeyError {
    let name = js_sys::Reflect::get(value, &"message".into()).ok().and_then(|m| m.as_string());
    PasskeyError::Browser(name.unwrap_or_else(|| "Error".into()))
}

fn unreadable(error: serde_json::Error) -> PasskeyError {
    PasskeyError::Api(ApiError::Unreadable(error.to_string()))
}

/// The account's passkeys, newest first.
pub async fn list() -> Result<Vec<Passkey>, ApiError> {
    api::request("GET", "/api/me/passkeys", NO_BODY).await
}

/// Makes a passkey on this device and keeps it with the account; `name`
/// is what the list calls it.
pub async fn add(password: &str, name: &str) -> Result<Passkey, PasskeyError> {
    let start = PasskeyStart { password: password.to_owned() };
    let options: PasskeyCreation = api::request("POST", "/api/me/passkeys/challenge", Some(&start)).await?;
    let json = serde_json::to_string(&options).map_err(unreadable)?;
    let made = create_js(json).await.map_err(|e| browser_error(&e))?;
    #[derive(serde::Deserialize)]
    struct Made {
        client_data_json: String,
        attestation_object: String,
    }
    let made: Made = serde_json::from_str(&made.as_string().unwrap_or_default()).map_err(unreadable)?;
    let form = PasskeyNew {
        challenge_id: options.challenge_id,
        name: name.trim().to_owned(),
        client_data_json: made.client_data_json,
        attestation_object: made.attestation_object,
    };
    Ok(api::request("POST", "/api/me/passkeys", Some(&form)).await?)
}

/// Removes one of the account's passkeys.
pub async fn remove(id: &str) -> Result<(), ApiError> {
    api::request("DELETE", &format!("/api/me/passkeys/{id}"), NO_BODY).await
}

/// Signs in with a passkey the person picks on this device.
pub async fn sign_in(account: RwSignal<Account>) -> Result<User, PasskeyError> {
    let options: PasskeyRequest = api::request("POST", "/api/sessions/passkey/challenge", NO_BODY).await?;
    let json = serde_json::to_string(&options).map_err(unreadable)?;
    let answer = get_js(json).await.map_err(|e| browser_error(&e))?;
    #[derive(serde::Deserialize)]
    struct Signed {
        credential_id: String,
        client_data_json: String,
        authenticator_data: String,
        signature: String,
        user_handle: Option<String>,
    }
    let signed: Signed = serde_json::from_str(&answer.as_string().unwrap_or_default()).map_err(unreadable)?;
    let form = PasskeySignIn {
        challenge_id: options.challenge_id,
        credential_id: signed.credential_id,
        client_data_json: signed.client_data_json,
        authenticator_data: signed.authenticator_data,
        signature: signed.signature,
        user_handle: signed.user_handle,
        token: false,
    };
    let answer: LoggedIn = api::request("POST", "/api/sessions/passkey", Some(&form)).await?;
    Ok(crate::account::keep_sign_in(account, answer).await?)
}

/// What to say when a passkey was not made or used.
pub fn problem(error: &PasskeyError) -> Key {
    use stille_practice::api::ErrorCode;
    match error {
        PasskeyError::Browser(name) if name == "InvalidStateError" => Key::PasskeyExists,
        PasskeyError::Browser(name) if name == "NotAllowedError" || name == "AbortError" => {
            Key::PasskeyCancelled
        }
        PasskeyError::Browser(_) => Key::PasskeyUnsupported,
        PasskeyError::SignIn(error) => crate::problems::sign_in(error),
        PasskeyError::Api(error) => match (error.code(), error.field()) {
            (Some(ErrorCode::Invalid), Some("password")) => Key::ManageCurrentWrong,
            (Some(ErrorCode::Invalid), Some("name")) => Key::PasskeyNameRule,
            (Some(ErrorCode::Invalid), Some("challenge_id")) => Key::PasskeyCancelled,
            (Some(ErrorCode::Conflict), _) => Key::PasskeyExists,
            (Some(ErrorCode::Unauthenticated), _) | (Some(ErrorCode::Invalid), _) => Key::PasskeyRefused,
            _ => crate::problems::manage(error),
        },
    }
}

/// A name for a passkey made on the device whose browser says `user_agent`:
/// what kind of device, so the list tells two apart.
pub fn device_name(user_agent: &str) -> &'static str {
    let ua = user_agent.to_ascii_lowercase();
    if ua.contains("iphone") {
        "iPhone"
    } else if ua.contains("ipad") {
        "iPad"
    } else if ua.contains("android") {
        "Android"
    } else if ua.contains("mac os x") || ua.contains("macintosh") {
        "Mac"
    } else if ua.contains("windows") {
        "Windows"
    } else if ua.contains("linux") {
        "Linux"
    } else {
        "Passkey"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stille_practice::api::ErrorCode;

    #[test]
    fn each_refusal_is_said_in_words() {
        let refused = |code, field: Option<&str>| {
            PasskeyError::Api(ApiError::Refused {
                code,
                message: String::new(),
                field: field.map(str::to_owned),
            })
        };
        assert_eq!(problem(&PasskeyError::Browser("NotAllowedError".into())), Key::PasskeyCancelled);
        assert_eq!(problem(&PasskeyError::Browser("InvalidStateError".into())), Key::PasskeyExists);
        assert_eq!(problem(&PasskeyError::Browser("SecurityError".into())), Key::PasskeyUnsupported);
        assert_eq!(problem(&refused(ErrorCode::Invalid, Some("password"))), Key::ManageCurrentWrong);
        assert_eq!(problem(&refused(ErrorCode::Invalid, Some("name"))), Key::PasskeyNameRule);
        assert_eq!(problem(&refused(ErrorCode::Unauthenticated, None)), Key::PasskeyRefused);
        assert_eq!(problem(&refused(ErrorCode::Invalid, Some("attestation_object"))), Key::PasskeyRefused);
        assert_eq!(problem(&refused(ErrorCode::TooManyRequests, None)), Key::AccountTooMany);
        assert_eq!(problem(&PasskeyError::Api(ApiError::Network("offline".into()))), Key::AccountOffline);
    }

    #[test]
    fn a_passkey_is_named_after_its_device() {
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15";
        assert_eq!(device_name(iphone), "iPhone", "not Mac: an iPhone's browser says 'like Mac OS X'");
        assert_eq!(device_name("Mozilla/5.0 (Linux; Android 15; Pixel 8) Chrome/131"), "Android");
        assert_eq!(device_name("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7)"), "Mac");
        assert_eq!(device_name("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"), "Linux");
        assert_eq!(device_name(""), "Passkey");
    }
}

//! Calls to Stille's server on the same origin (through `api.js`): JSON in
//! and out, the session cookie sent by the browser, the CSRF token on every
//! write. Errors keep the server's code, message and field, and tell "no
//! answer" (offline, timeout, cut off) apart from a refusal.

use std::cell::RefCell;

use serde::Serialize;
use serde::de::DeserializeOwned;
use stille_practice::api::{ErrorBody, ErrorCode};
use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

#[wasm_bindgen(module = "/src/api.js")]
extern "C" {
    #[wasm_bindgen(js_name = call, catch)]
    async fn call_js(
        method: &str,
        path: &str,
        body: Option<String>,
        csrf: Option<String>,
        timeout_ms: u32,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = upload, catch)]
    async fn upload_js(
        path: &str,
        file: &web_sys::Blob,
        csrf: Option<String>,
        timeout_ms: u32,
        progress: &wasm_bindgen::closure::Closure<dyn Fn(f64)>,
    ) -> Result<JsValue, JsValue>;
}

/// How long any call may take before it counts as no answer.
const TIMEOUT_MS: u32 = 20_000;

thread_local! {
    /// The session's CSRF token (from log-in or `GET /api/me`), sent with writes.
    static CSRF: RefCell<Option<String>> = const { RefCell::new(None) };
}

pub fn set_csrf(token: Option<String>) {
    CSRF.with(|csrf| *csrf.borrow_mut() = token);
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// No answer: offline, the server unreachable, too slow, or the answer cut off.
    #[error("no connection to Stille's server ({0})")]
    Network(String),
    /// The server answered with an error: what kind (`code`, which decides
    /// what the app says), its explanation, and the field at fault.
    #[error("{message}")]
    Refused { code: ErrorCode, message: String, field: Option<String> },
    /// An answer that is not what the API promises.
    #[error("the server's answer could not be read: {0}")]
    Unreadable(String),
}

impl ApiError {
    /// The server's code, when it answered with an error.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Refused { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The JSON field the server named as at fault, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Refused { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// Reads an error answer: the documented body, or (a proxy's error
    /// page, a server that is not Stille's) the code its status stands for.
    pub fn from_answer(status: u16, text: &str) -> ApiError {
        match serde_json::from_str::<ErrorBody>(text) {
            Ok(ErrorBody { error }) => {
                ApiError::Refused { code: error.code, message: error.message, field: error.field }
            }
            Err(_) => ApiError::Refused {
                code: code_of_status(status),
                message: format!("the server answered HTTP {status}"),
                field: None,
            },
        }
    }
}

/// The code an answer without Stille's body stands for, by its status.
fn code_of_status(status: u16) -> ErrorCode {
    match status {
        400 => ErrorCode::Malformed,
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::TooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        416 => ErrorCode::RangeNotSatisfiable,
        422 => ErrorCode::Invalid,
        429 => ErrorCode::TooManyRequests,
        502..=504 => ErrorCode::Unavailable,
        _ => ErrorCode::Unknown,
    }
}

fn reason(value: &JsValue) -> String {
    js_sys::Reflect::get(value, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "the request failed".to_owned())
}

/// `method path` with an optional JSON body; the answer parsed as `T` (use
/// `()` for an empty answer).
pub async fn request<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    let body = body
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| ApiError::Unreadable(format!("cannot write the request: {e}")))?;
    let csrf = if method == "GET" { None } else { CSRF.with(|c| c.borrow().clone()) };
    let answer =
        call_js(method, path, body, csrf, TIMEOUT_MS).await.map_err(|e| ApiError::Network(reason(&e)))?;
    answer_as(&answer)
}

/// How long an upload may take, from its first byte to the answer (the
/// server allows 15 minutes: a long take over a slow connection, then its
/// conversion).
const UPLOAD_TIMEOUT_MS: u32 = 15 * 60 * 1000;

/// POSTs `file` itself as the body to `path`, telling `progress` how much
/// has been sent (0 to 1); the answer parsed as `T`.
pub async fn upload<T: DeserializeOwned>(
    path: &str,
    file: &web_sys::Blob,
    progress: impl Fn(f64) + 'static,
) -> Result<T, ApiError> {
    let csrf = CSRF.with(|c| c.borrow().clone());
    let progress = wasm_bindgen::closure::Closure::<dyn Fn(f64)>::new(progress);
    let answer = upload_js(path, file, csrf, UPLOAD_TIMEOUT_MS, &progress)
        .await
        .map_err(|e| ApiError::Network(reason(&e)))?;
    answer_as(&answer)
}

/// Reads `[status, text]` from `api.js` as `T`, or as the error it is.
fn answer_as<T: DeserializeOwned>(answer: &JsValue) -> Result<T, ApiError> {
    let pair = js_sys::Array::from(answer);
    let status = pair.get(0).as_f64().unwrap_or(0.0) as u16;
    let text = pair.get(1).as_string().unwrap_or_default();
    if (200..300).contains(&status) {
        let text = if text.trim().is_empty() { "null" } else { text.as_str() };
        return serde_json::from_str(text).map_err(|e| ApiError::Unreadable(e.to_string()));
    }
    Err(ApiError::from_answer(status, &text))
}

/// `GET path` (owned, so a resource's fetcher can make its path and return
/// the call's future).
pub async fn get<T: DeserializeOwned>(path: String) -> Result<T, ApiError> {
    request("GET", &path, NO_BODY).await
}

/// No body to send.
pub const NO_BODY: Option<&()> = None;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_answer_keeps_the_servers_code_and_field() {
        let body =
            r#"{"error":{"code":"invalid","message":"a name is 1–60 characters","field":"display_name"}}"#;
        let error = ApiError::from_answer(422, body);
        assert_eq!(error.code(), Some(ErrorCode::Invalid));
        assert_eq!(error.field(), Some("display_name"));
        assert_eq!(error.to_string(), "a name is 1–60 characters");
        // A code from a newer server is still an error the app can show.
        let newer = ApiError::from_answer(418, r#"{"error":{"code":"teapot","message":"no"}}"#);
        assert_eq!(newer.code(), Some(ErrorCode::Unknown));
    }

    #[test]
    fn an_answer_that_is_not_stilles_is_read_by_its_status() {
        let proxy = ApiError::from_answer(502, "<html>Bad Gateway</html>");
        assert_eq!(proxy.code(), Some(ErrorCode::Unavailable));
        assert_eq!(ApiError::from_answer(429, "").code(), Some(ErrorCode::TooManyRequests));
        assert_eq!(ApiError::Network("offline".into()).code(), None);
    }
}

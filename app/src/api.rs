//! Calls to Stille's server on the same origin (through `api.js`): JSON in
//! and out, the session cookie sent by the browser, the CSRF token on every
//! write. Errors keep the server's code, message and field, and tell "no
//! answer" (offline, timeout, cut off) apart from a refusal.

use std::cell::RefCell;

use serde::Serialize;
use serde::de::DeserializeOwned;
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
    /// The server answered with an error.
    #[error("{message}")]
    Refused { status: u16, code: String, message: String, field: Option<String> },
    /// An answer that is not what the API promises.
    #[error("the server's answer could not be read: {0}")]
    Unreadable(String),
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Refused { status, .. } => Some(*status),
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
}

#[derive(serde::Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(serde::Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
    #[serde(default)]
    field: Option<String>,
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
    let pair = js_sys::Array::from(&answer);
    let status = pair.get(0).as_f64().unwrap_or(0.0) as u16;
    let text = pair.get(1).as_string().unwrap_or_default();
    if (200..300).contains(&status) {
        let text = if text.trim().is_empty() { "null" } else { text.as_str() };
        return serde_json::from_str(text).map_err(|e| ApiError::Unreadable(e.to_string()));
    }
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => Err(ApiError::Refused {
            status,
            code: body.error.code,
            message: body.error.message,
            field: body.error.field,
        }),
        // A proxy's error page, or a server that is not Stille's.
        Err(_) => Err(ApiError::Refused {
            status,
            code: "unknown".into(),
            message: format!("the server answered HTTP {status}"),
            field: None,
        }),
    }
}

/// No body to send.
pub const NO_BODY: Option<&()> = None;

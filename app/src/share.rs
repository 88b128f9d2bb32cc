//! Copying and sharing a link from the phone: the Clipboard API where the
//! page may use it (HTTPS or loopback), and the Web Share sheet where the
//! browser has one (the phones' browsers; most desktop browsers do not).
//! Both are looked up before use, so a browser without them gets a clear
//! message instead of an exception.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn navigator() -> JsValue {
    web_sys::window().map(|w| JsValue::from(w.navigator())).unwrap_or(JsValue::UNDEFINED)
}

/// `object.name` when it is a function.
fn method(object: &JsValue, name: &str) -> Option<Function> {
    if object.is_undefined() || object.is_null() {
        return None;
    }
    Reflect::get(object, &name.into()).ok()?.dyn_into::<Function>().ok()
}

fn error_text(error: &JsValue) -> String {
    Reflect::get(error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

/// Puts `text` on the clipboard.
pub async fn copy(text: &str) -> Result<(), String> {
    let clipboard = Reflect::get(&navigator(), &"clipboard".into()).unwrap_or(JsValue::UNDEFINED);
    let write = method(&clipboard, "writeText").ok_or("no clipboard on this page")?;
    let promise = write.call1(&clipboard, &text.into()).map_err(|e| error_text(&e))?;
    JsFuture::from(Promise::from(promise)).await.map(|_| ()).map_err(|e| error_text(&e))
}

/// Whether this browser has a share sheet.
pub fn can_share() -> bool {
    method(&navigator(), "share").is_some()
}

/// Opens the phone's share sheet with `title` and `url`. `Ok(false)` when
/// the person closed the sheet without sharing (not an error).
pub async fn share(title: &str, url: &str) -> Result<bool, String> {
    let navigator = navigator();
    let share = method(&navigator, "share").ok_or("no share sheet in this browser")?;
    let data = Object::new();
    for (key, value) in [("title", title), ("url", url)] {
        Reflect::set(&data, &key.into(), &value.into()).map_err(|e| error_text(&e))?;
    }
    let promise = share.call1(&navigator, &data).map_err(|e| error_text(&e))?;
    match JsFuture::from(Promise::from(promise)).await {
        Ok(_) => Ok(true),
        Err(e)
            if Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).as_deref()
                == Some("AbortError") =>
        {
            Ok(false)
        }
        Err(e) => Err(error_text(&e)),
    }
}

//! The practice log on this device (IndexedDB, through `idb.js`). Entries are
//! stored as JSON and checked on the way back: a record that fails the checks
//! is counted and left in place (never shown, never counted, never deleted
//! behind the user's back).

use stille_practice::log::{Entry, uuid_v7};
use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

#[wasm_bindgen(module = "/src/idb.js")]
extern "C" {
    #[wasm_bindgen(js_name = put, catch)]
    async fn put_js(id: &str, json: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = remove, catch)]
    async fn remove_js(id: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = all, catch)]
    async fn all_js() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = clear, catch)]
    async fn clear_js() -> Result<JsValue, JsValue>;
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the practice log on this device could not be {doing}: {reason}")]
pub struct LogError {
    doing: &'static str,
    reason: String,
}

fn error(doing: &'static str) -> impl Fn(JsValue) -> LogError {
    move |value: JsValue| {
        let reason = value
            .as_string()
            .or_else(|| js_sys::Reflect::get(&value, &"message".into()).ok().and_then(|m| m.as_string()))
            .unwrap_or_else(|| format!("{value:?}"));
        LogError { doing, reason }
    }
}

pub async fn save(entry: &Entry) -> Result<(), LogError> {
    let json =
        serde_json::to_string(entry).map_err(|e| LogError { doing: "saved", reason: e.to_string() })?;
    put_js(&entry.id, &json).await.map_err(error("saved"))?;
    Ok(())
}

pub async fn delete(id: &str) -> Result<(), LogError> {
    remove_js(id).await.map_err(error("changed"))?;
    Ok(())
}

/// Removes every entry (the user's "erase my data").
pub async fn clear() -> Result<(), LogError> {
    clear_js().await.map_err(error("erased"))?;
    Ok(())
}

/// Every readable entry, newest first, and how many records failed the checks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    pub entries: Vec<Entry>,
    pub unreadable: usize,
}

pub async fn load() -> Result<Loaded, LogError> {
    let pairs = all_js().await.map_err(error("read"))?;
    let mut loaded = Loaded::default();
    for pair in js_sys::Array::from(&pairs).iter() {
        let pair = js_sys::Array::from(&pair);
        let (key, json) = (pair.get(0).as_string(), pair.get(1).as_string());
        let entry = json
            .and_then(|json| serde_json::from_str::<Entry>(&json).ok())
            .filter(|entry| entry.check().is_ok() && Some(&entry.id) == key.as_ref());
        match entry {
            Some(entry) => loaded.entries.push(entry),
            None => loaded.unreadable += 1,
        }
    }
    loaded.entries.sort_by_key(|e| std::cmp::Reverse(e.started_at_ms));
    Ok(loaded)
}

/// A new entry id: UUIDv7 from the clock and the browser's CSPRNG.
pub fn new_id() -> String {
    let mut random = [0u8; 10];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut random);
    }
    uuid_v7(js_sys::Date::now() as u64, random)
}

/// This device's offset from UTC now, in minutes (Denmark: 60 or 120).
pub fn utc_offset_minutes() -> i16 {
    (-js_sys::Date::new_0().get_timezone_offset()) as i16
}

//! The practice log on this device (IndexedDB, through `idb.js`): log entries
//! in one store, check-ins and reflections ("notes") in another. Records are
//! stored as JSON and checked on the way back: a record that fails the checks
//! is counted and left in place (never shown, never counted, never deleted
//! behind the user's back).

use serde::{Deserialize, Serialize};
use stille_practice::journal::{CheckIn, Reflection};
use stille_practice::log::{Entry, uuid_v7};
use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

#[wasm_bindgen(module = "/src/idb.js")]
extern "C" {
    #[wasm_bindgen(js_name = put, catch)]
    async fn put_js(store: &str, id: &str, json: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = removeAll, catch)]
    async fn remove_all_js(store: &str, ids: Vec<String>) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = all, catch)]
    async fn all_js(store: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = clear, catch)]
    async fn clear_js() -> Result<JsValue, JsValue>;
}

const LOG: &str = "log";
const JOURNAL: &str = "journal";

/// A check-in or a reflection, as the journal store keeps it
/// (`{"kind": "check-in" | "reflection", "body": …}`, the sync kinds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body", rename_all = "kebab-case")]
pub enum Note {
    CheckIn(CheckIn),
    Reflection(Reflection),
}

impl Note {
    pub fn id(&self) -> &str {
        match self {
            Note::CheckIn(c) => &c.id,
            Note::Reflection(r) => &r.id,
        }
    }

    /// The log entry it belongs to.
    pub fn entry_id(&self) -> Option<&str> {
        match self {
            Note::CheckIn(c) => c.entry_id.as_deref(),
            Note::Reflection(r) => r.entry_id.as_deref(),
        }
    }

    fn check(&self) -> bool {
        match self {
            Note::CheckIn(c) => c.check().is_ok(),
            Note::Reflection(r) => r.check().is_ok(),
        }
    }
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
    put_js(LOG, &entry.id, &json).await.map_err(error("saved"))?;
    Ok(())
}

pub async fn save_note(note: &Note) -> Result<(), LogError> {
    let json = serde_json::to_string(note).map_err(|e| LogError { doing: "saved", reason: e.to_string() })?;
    put_js(JOURNAL, note.id(), &json).await.map_err(error("saved"))?;
    Ok(())
}

/// Deletes an entry and the check-ins and reflections that belong to it.
pub async fn delete(id: &str) -> Result<(), LogError> {
    let (notes, _) = read_notes().await?;
    let belonging: Vec<String> =
        notes.iter().filter(|n| n.entry_id() == Some(id)).map(|n| n.id().to_owned()).collect();
    if !belonging.is_empty() {
        remove_all_js(JOURNAL, belonging).await.map_err(error("changed"))?;
    }
    remove_all_js(LOG, vec![id.to_owned()]).await.map_err(error("changed"))?;
    Ok(())
}

/// Removes every entry (the user's "erase my data").
pub async fn clear() -> Result<(), LogError> {
    clear_js().await.map_err(error("erased"))?;
    Ok(())
}

/// Every readable entry, newest first, every readable note, oldest first, and
/// how many records failed the checks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    pub entries: Vec<Entry>,
    pub notes: Vec<Note>,
    pub unreadable: usize,
}

impl Loaded {
    /// The notes that belong to entry `id`.
    pub fn notes_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Note> + 'a {
        self.notes.iter().filter(move |n| n.entry_id() == Some(id))
    }
}

/// Every (key, JSON) pair of a store.
async fn pairs(store: &str) -> Result<Vec<(Option<String>, Option<String>)>, LogError> {
    let pairs = all_js(store).await.map_err(error("read"))?;
    Ok(js_sys::Array::from(&pairs)
        .iter()
        .map(|pair| {
            let pair = js_sys::Array::from(&pair);
            (pair.get(0).as_string(), pair.get(1).as_string())
        })
        .collect())
}

/// Every readable note, and how many journal records failed the checks.
async fn read_notes() -> Result<(Vec<Note>, usize), LogError> {
    let mut notes = Vec::new();
    let mut unreadable = 0;
    for (key, json) in pairs(JOURNAL).await? {
        let note = json
            .and_then(|json| serde_json::from_str::<Note>(&json).ok())
            .filter(|note| note.check() && key.as_deref() == Some(note.id()));
        match note {
            Some(note) => notes.push(note),
            None => unreadable += 1,
        }
    }
    Ok((notes, unreadable))
}

pub async fn load() -> Result<Loaded, LogError> {
    let mut loaded = Loaded::default();
    for (key, json) in pairs(LOG).await? {
        let entry = json
            .and_then(|json| serde_json::from_str::<Entry>(&json).ok())
            .filter(|entry| entry.check().is_ok() && Some(&entry.id) == key.as_ref());
        match entry {
            Some(entry) => loaded.entries.push(entry),
            None => loaded.unreadable += 1,
        }
    }
    let (notes, unreadable) = read_notes().await?;
    loaded.notes = notes;
    loaded.unreadable += unreadable;
    loaded.entries.sort_by_key(|e| std::cmp::Reverse(e.started_at_ms));
    loaded.notes.sort_by(|a, b| a.id().cmp(b.id()));
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

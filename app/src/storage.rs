//! Small JSON records in `localStorage` (settings, where a session stands).
//! Everything read back is checked: a missing, unreadable or malformed record
//! is an error the caller turns into a default, and it is left untouched
//! until the user saves something new over it.

use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("this browser keeps no local storage here (private mode or disabled)")]
    Unavailable,
    #[error("the saved {key} is not valid: {reason}")]
    Malformed { key: String, reason: String },
    #[error("the browser refused to save {key} (storage full or disabled)")]
    Refused { key: String },
}

fn local() -> Result<web_sys::Storage, StorageError> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).ok_or(StorageError::Unavailable)
}

/// The record under `key`, if there is one.
pub fn load<T: DeserializeOwned>(key: &str) -> Result<Option<T>, StorageError> {
    let Some(text) = local()?.get_item(key).ok().flatten() else { return Ok(None) };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| StorageError::Malformed { key: key.to_owned(), reason: e.to_string() })
}

/// The record under `key`, or its default when there is none or it cannot
/// be read (which is told to the console, as [`warn`] does).
pub fn load_or_default<T: DeserializeOwned + Default>(key: &str) -> T {
    load::<T>(key)
        .unwrap_or_else(|error| {
            warn(&error);
            None
        })
        .unwrap_or_default()
}

pub fn save<T: Serialize>(key: &str, value: &T) -> Result<(), StorageError> {
    let text = serde_json::to_string(value)
        .map_err(|e| StorageError::Malformed { key: key.to_owned(), reason: e.to_string() })?;
    local()?.set_item(key, &text).map_err(|_| StorageError::Refused { key: key.to_owned() })
}

pub fn remove(key: &str) {
    if let Ok(storage) = local() {
        let _ = storage.remove_item(key);
    }
}

/// Tells the developer console; the UI shows its own message where it matters.
pub fn warn(error: &StorageError) {
    web_sys::console::warn_1(&error.to_string().into());
}

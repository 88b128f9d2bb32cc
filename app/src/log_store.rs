//! The practice log on this device (IndexedDB, through `idb.js`): log entries
//! in one store, check-ins and reflections ("notes") in another, beside them
//! the account's settings record (`crate::settings::RECORD_ID`). Records are
//! stored as JSON and checked on the way back: a record that fails the checks
//! is counted and left in place (never shown, never counted, never deleted
//! behind the user's back).
//!
//! Every change is written together with its outbox entry (one transaction),
//! so nothing recorded can miss the next sync, whenever that is: the outbox is
//! kept even before anyone signs in, which is how earlier practice is uploaded
//! on the first sign-in. [`crate::sync`] reads and settles the outbox.

use serde::{Deserialize, Serialize};
use stille_practice::journal::{Answers, CheckIn, Ladder, Moment, Reflection};
use stille_practice::log::{Entry, uuid_v7};
use stille_practice::sync::{Kind, Pending};
use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

#[wasm_bindgen(module = "/src/idb.js")]
extern "C" {
    #[wasm_bindgen(js_name = all, catch)]
    async fn all_js(store: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = clear, catch)]
    async fn clear_js() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = write, catch)]
    async fn write_js(ops: JsValue, own: bool) -> Result<JsValue, JsValue>;
}

thread_local! {
    /// Notified when what the screens read from the log may have changed
    /// behind them: records pulled from the account, or the log readable
    /// again after a read failed (a screen that read at its start then
    /// reads again, see [`changes`]).
    static CHANGED: leptos::prelude::ArcTrigger = leptos::prelude::ArcTrigger::new();
    /// The stores whose last read failed.
    static FAILING: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Tracks, in a reactive closure (a resource's fetcher), changes to the log
/// made elsewhere than by the screen itself: pulled records, the log
/// readable again after a failure, or notes saved by another part of the
/// same page (the form after a practice).
pub fn changes() {
    use leptos::prelude::Track;
    CHANGED.with(|c| c.track());
}

/// Tells the screens reading [`changes`] to read again.
pub(crate) fn changed() {
    use leptos::prelude::Notify;
    CHANGED.with(|c| c.notify());
}

pub(crate) const LOG: &str = "log";
pub(crate) const JOURNAL: &str = "journal";
pub(crate) const OUTBOX: &str = "outbox";

/// One write in a transaction (see `write` in idb.js).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Op {
    pub store: &'static str,
    pub key: String,
    /// None deletes.
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guard: Option<Guard>,
}

/// Apply only if the outbox entry `key` is at `version` (None: no entry);
/// with `clear`, remove that entry too.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Guard {
    pub key: String,
    pub version: Option<i64>,
    pub clear: bool,
}

/// Applies a person's change (`ops`) in one transaction; how many applied
/// (guards may skip some). Until it has committed, a copy waits in
/// localStorage and is written on the next start if the page goes first
/// (see idb.js).
pub(crate) async fn write(ops: &[Op]) -> Result<usize, LogError> {
    write_ops(ops, true).await
}

/// Applies the sync engine's `ops` in one transaction, with no copy kept: a
/// write cut off by leaving the page is redone by the next sync (the pull
/// cursor moves only after it, and the outbox is settled again).
pub(crate) async fn write_sync(ops: &[Op]) -> Result<usize, LogError> {
    write_ops(ops, false).await
}

async fn write_ops(ops: &[Op], own: bool) -> Result<usize, LogError> {
    if ops.is_empty() {
        return Ok(0);
    }
    let json = serde_json::to_string(ops).map_err(|e| LogError { doing: "saved", reason: e.to_string() })?;
    let ops = js_sys::JSON::parse(&json).map_err(error("saved"))?;
    let applied = write_js(ops, own).await.map_err(error("saved"))?;
    Ok(applied.as_f64().unwrap_or(0.0) as usize)
}

/// The outbox entry saying record `id` of `kind` changed at `updated_at_ms`.
fn queued(kind: Kind, id: &str, updated_at_ms: i64, deleted: bool) -> Result<Op, LogError> {
    let pending = Pending { kind, id: id.to_owned(), updated_at_ms, deleted };
    let json =
        serde_json::to_string(&pending).map_err(|e| LogError { doing: "saved", reason: e.to_string() })?;
    Ok(Op { store: OUTBOX, key: pending.key(), value: Some(json), guard: None })
}

/// A check-in, a reflection or a questionnaire's answers, as the journal
/// store keeps it (`{"kind": "check-in" | "reflection" | "answers", "body": …}`,
/// the sync kinds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body", rename_all = "kebab-case")]
pub enum Note {
    CheckIn(CheckIn),
    Reflection(Reflection),
    Answers(Answers),
}

impl Note {
    pub fn id(&self) -> &str {
        match self {
            Note::CheckIn(c) => &c.id,
            Note::Reflection(r) => &r.id,
            Note::Answers(a) => &a.id,
        }
    }

    /// Its kind in sync.
    pub fn kind(&self) -> Kind {
        match self {
            Note::CheckIn(_) => Kind::CheckIn,
            Note::Reflection(_) => Kind::Reflection,
            Note::Answers(_) => Kind::Answers,
        }
    }

    pub fn updated_at_ms(&self) -> i64 {
        match self {
            Note::CheckIn(c) => c.updated_at_ms,
            Note::Reflection(r) => r.updated_at_ms,
            Note::Answers(a) => a.updated_at_ms,
        }
    }

    /// The log entry it belongs to.
    pub fn entry_id(&self) -> Option<&str> {
        match self {
            Note::CheckIn(c) => c.entry_id.as_deref(),
            Note::Reflection(r) => r.entry_id.as_deref(),
            Note::Answers(_) => None,
        }
    }

    fn check(&self) -> bool {
        match self {
            Note::CheckIn(c) => c.check().is_ok(),
            Note::Reflection(r) => r.check().is_ok(),
            Note::Answers(a) => a.check().is_ok(),
        }
    }
}

/// What was written in the close: a note, or the answers to the practice's
/// prompts one by one (an events calendar).
#[derive(Clone, Copy, Debug)]
pub enum Written<'a> {
    Note(&'a str),
    Answers { prompts: &'a [&'a str], answers: &'a [String] },
}

/// What the close after a practice (or a check-in on its own) holds, as the
/// notes to write: a check-in when anything was chosen, a private note when
/// anything was written; none when the form is empty.
pub fn notes_from(
    entry_id: Option<&str>,
    distress: Option<u8>,
    ladder: Option<Ladder>,
    written: Written<'_>,
    now_ms: i64,
    utc_offset_minutes: i16,
    mut new_id: impl FnMut() -> String,
) -> Vec<Note> {
    let moment = if entry_id.is_some() { Moment::After } else { Moment::Alone };
    let check_in =
        CheckIn::from_answers(new_id(), entry_id, moment, distress, ladder, now_ms, utc_offset_minutes);
    let reflection = match written {
        Written::Note(text) => Reflection::from_text(new_id(), entry_id, text, now_ms, utc_offset_minutes),
        Written::Answers { prompts, answers } => {
            Reflection::from_prompts(new_id(), entry_id, prompts, answers, now_ms, utc_offset_minutes)
        }
    };
    check_in.map(Note::CheckIn).into_iter().chain(reflection.map(Note::Reflection)).collect()
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
    let record = Op { store: LOG, key: entry.id.clone(), value: Some(json), guard: None };
    write(&[record, queued(Kind::Entry, &entry.id, entry.updated_at_ms, false)?]).await?;
    crate::sync::nudge();
    Ok(())
}

pub async fn save_note(note: &Note) -> Result<(), LogError> {
    let json = serde_json::to_string(note).map_err(|e| LogError { doing: "saved", reason: e.to_string() })?;
    let record = Op { store: JOURNAL, key: note.id().to_owned(), value: Some(json), guard: None };
    write(&[record, queued(note.kind(), note.id(), note.updated_at_ms(), false)?]).await?;
    crate::sync::nudge();
    Ok(())
}

/// The account's settings record as the journal keeps it, beside the notes:
/// `{"kind": "settings", "updated_at_ms": …, "body": {…}}`.
#[derive(Debug, Deserialize)]
struct StoredSettings {
    kind: String,
    #[serde(default)]
    updated_at_ms: i64,
    body: serde_json::Value,
}

/// The settings record's journal value: `body` changed at `updated_at_ms`.
pub(crate) fn settings_value(updated_at_ms: i64, body: &str) -> String {
    format!(r#"{{"kind":"settings","updated_at_ms":{updated_at_ms},"body":{body}}}"#)
}

/// Keeps the settings that follow the person (a JSON object) as the
/// account's settings record, queued for sync like any record.
pub async fn save_settings(body: &serde_json::Value) -> Result<(), LogError> {
    let now = js_sys::Date::now() as i64;
    let id = crate::settings::RECORD_ID;
    let record = Op {
        store: JOURNAL,
        key: id.to_owned(),
        value: Some(settings_value(now, &body.to_string())),
        guard: None,
    };
    write(&[record, queued(Kind::Settings, id, now, false)?]).await?;
    crate::sync::nudge();
    Ok(())
}

/// The settings record kept here (written here or pulled), with its version.
pub async fn synced_settings() -> Result<Option<(i64, serde_json::Value)>, LogError> {
    let journal = raw(JOURNAL).await?;
    Ok(journal
        .get(crate::settings::RECORD_ID)
        .and_then(|json| serde_json::from_str::<StoredSettings>(json).ok())
        .filter(|s| s.kind == "settings")
        .map(|s| (s.updated_at_ms, s.body)))
}

/// On a device's first sync with an account, the account's settings come
/// first: the settings made here before signing in are taken out of the
/// outbox (their version, if there are any, is returned) until the first
/// pull has brought the account's ([`requeue_settings`]).
pub(crate) async fn hold_settings() -> Result<Option<i64>, LogError> {
    let Some((version, _)) = synced_settings().await? else { return Ok(None) };
    let key = stille_practice::sync::outbox_key(Kind::Settings, crate::settings::RECORD_ID);
    write_sync(&[Op { store: OUTBOX, key, value: None, guard: None }]).await?;
    Ok(Some(version))
}

/// After that first pull: the settings made here go up after all when the
/// account had none (the record kept here is still this device's own, at
/// `version`).
pub(crate) async fn requeue_settings(version: i64) -> Result<(), LogError> {
    if synced_settings().await?.is_some_and(|(kept, _)| kept == version) {
        let mut op = queued(Kind::Settings, crate::settings::RECORD_ID, version, false)?;
        op.guard = Some(Guard { key: op.key.clone(), version: None, clear: false });
        write_sync(&[op]).await?;
    }
    Ok(())
}

/// Deletes an entry and the check-ins and reflections that belong to it, in
/// one transaction with their deletions queued for sync.
pub async fn delete(id: &str) -> Result<(), LogError> {
    let (notes, _) = read_notes().await?;
    // Later than the records' own changes, so the deletion is the newest word.
    let now = (js_sys::Date::now() as i64).max(notes.iter().map(Note::updated_at_ms).max().unwrap_or(0) + 1);
    let mut ops = Vec::new();
    for note in notes.iter().filter(|n| n.entry_id() == Some(id)) {
        ops.push(Op { store: JOURNAL, key: note.id().to_owned(), value: None, guard: None });
        ops.push(queued(note.kind(), note.id(), now, true)?);
    }
    ops.push(Op { store: LOG, key: id.to_owned(), value: None, guard: None });
    ops.push(queued(Kind::Entry, id, now, true)?);
    write(&ops).await?;
    crate::sync::nudge();
    Ok(())
}

/// Every change waiting in the outbox (unreadable entries are skipped and logged).
pub async fn pending() -> Result<Vec<Pending>, LogError> {
    let mut waiting = Vec::new();
    for (key, json) in pairs(OUTBOX).await? {
        let pending = json
            .and_then(|json| serde_json::from_str::<Pending>(&json).ok())
            .filter(|p| key.as_deref() == Some(p.key().as_str()));
        match pending {
            Some(p) => waiting.push(p),
            // Not ours to interpret: sync pushes what it can read.
            None => web_sys::console::warn_1(&format!("unreadable outbox entry {key:?}").into()),
        }
    }
    Ok(waiting)
}

/// The stored JSON of every record in `store`, by id.
pub(crate) async fn raw(store: &str) -> Result<std::collections::HashMap<String, String>, LogError> {
    Ok(pairs(store).await?.into_iter().filter_map(|(key, json)| Some((key?, json?))).collect())
}

/// Queues every record on this device for upload (on the first sign-in, for
/// practice recorded before there was an account, or by an older version).
pub(crate) async fn queue_everything() -> Result<usize, LogError> {
    let loaded = load().await?;
    let waiting: std::collections::HashSet<String> = pending().await?.iter().map(Pending::key).collect();
    let mut ops = Vec::new();
    for entry in &loaded.entries {
        let op = queued(Kind::Entry, &entry.id, entry.updated_at_ms, false)?;
        if !waiting.contains(&op.key) {
            ops.push(op);
        }
    }
    for note in &loaded.notes {
        let op = queued(note.kind(), note.id(), note.updated_at_ms(), false)?;
        if !waiting.contains(&op.key) {
            ops.push(op);
        }
    }
    // Each only if nothing is queued for it meanwhile.
    for op in &mut ops {
        op.guard = Some(Guard { key: op.key.clone(), version: None, clear: false });
    }
    // Cut off, it is done again: the sync notes the first sync as done only after it.
    write_sync(&ops).await
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
    let pairs = match all_js(store).await {
        Ok(pairs) => pairs,
        Err(e) => {
            failed(store);
            return Err(error("read")(e));
        }
    };
    readable(store);
    Ok(js_sys::Array::from(&pairs)
        .iter()
        .map(|pair| {
            let pair = js_sys::Array::from(&pair);
            (pair.get(0).as_string(), pair.get(1).as_string())
        })
        .collect())
}

/// A read of `store` failed: it is tried again until it answers (see
/// [`until_readable`]).
fn failed(store: &str) {
    let first = FAILING.with(|f| {
        let mut failing = f.borrow_mut();
        let first = failing.is_empty();
        if !failing.iter().any(|s| s == store) {
            failing.push(store.to_owned());
        }
        first
    });
    if first {
        wasm_bindgen_futures::spawn_local(until_readable());
    }
}

/// A read of `store` worked: when it was the last store failing, the
/// screens read again what failed at their start.
fn readable(store: &str) {
    let now_all = FAILING.with(|f| {
        let mut failing = f.borrow_mut();
        let before = failing.len();
        failing.retain(|s| s != store);
        before > 0 && failing.is_empty()
    });
    if now_all {
        changed();
    }
}

/// While a store's reads fail, tries each failing store again (2 s, 4 s, …
/// at most a minute apart) until all answer, then tells the screens to read
/// again: one that read at its start does not stay empty (or wrong) for the
/// rest of the visit, signed in or not. Any other successful read of those
/// stores ends it sooner.
async fn until_readable() {
    let mut wait_ms = 2_000;
    loop {
        sleep_ms(wait_ms).await;
        let failing = FAILING.with(|f| f.borrow().clone());
        if failing.is_empty() {
            return;
        }
        for store in failing {
            if all_js(&store).await.is_ok() {
                readable(&store);
            }
        }
        wait_ms = (wait_ms * 2).min(60_000);
    }
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Every readable note, and how many journal records failed the checks.
async fn read_notes() -> Result<(Vec<Note>, usize), LogError> {
    let mut notes = Vec::new();
    let mut unreadable = 0;
    for (key, json) in pairs(JOURNAL).await? {
        // The settings record lives beside the notes; it is not one.
        if key.as_deref() == Some(crate::settings::RECORD_ID) {
            continue;
        }
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
    let (entries, unreadable) = entries().await?;
    let (mut notes, unreadable_notes) = read_notes().await?;
    notes.sort_by(|a, b| a.id().cmp(b.id()));
    Ok(Loaded { entries, notes, unreadable: unreadable + unreadable_notes })
}

/// The log's entries alone, newest first, and how many could not be read.
/// Home reads only these: the notes' types (check-ins, reflections,
/// questionnaire answers) then stay out of the first download (split.rs).
pub async fn entries() -> Result<(Vec<Entry>, usize), LogError> {
    let mut entries = Vec::new();
    let mut unreadable = 0;
    for (key, json) in pairs(LOG).await? {
        let entry = json
            .and_then(|json| serde_json::from_str::<Entry>(&json).ok())
            .filter(|entry| entry.check().is_ok() && Some(&entry.id) == key.as_ref());
        match entry {
            Some(entry) => entries.push(entry),
            None => unreadable += 1,
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.started_at_ms));
    Ok((entries, unreadable))
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

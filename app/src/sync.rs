//! Keeping this device and the account in step: push what waits in the outbox
//! (in batches), then pull what changed elsewhere, whenever something is
//! recorded, the network comes back, the app starts, and every minute while it
//! is open; after a failure, again with exponential backoff and jitter.
//!
//! The status shown never claims more than is true: "Synced" only after the
//! server acknowledged every waiting change and the pull reached the end. An
//! outbox entry is removed only when the server has answered for exactly that
//! version (a newer change made meanwhile stays queued), so a failed request
//! or a closed tab loses nothing: the next run sends it again, and the server
//! recognises a retry.
//!
//! Which account the device's records belong to is kept beside the pull cursor:
//! a different account signing in on the same phone gets nothing of the
//! first one's practice uploaded; the user decides (see [`Status::OtherOwner`]).

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use stille_practice::journal::{CheckIn, Reflection};
use stille_practice::log::Entry;
use stille_practice::sync::{
    Kind, MAX_BATCH, Outcome, Pending, PushResponse, cursor_after_push, outbox_key, pulled_wins,
};

use crate::account::{Account, User};
use crate::api::{self, ApiError, NO_BODY};
use crate::log_store::{self, Guard, JOURNAL, LOG, Note, Op};
use crate::storage;

/// Where this device's records belong and how far it has pulled.
const META: &str = "stille.sync.v1";

/// The longest wait between retries.
const MAX_BACKOFF_MS: f64 = 300_000.0;
/// How often to sync while the app is open.
const PERIOD: Duration = Duration::from_secs(60);

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    /// The account this device's records were synced with.
    user_id: String,
    /// The server's sequence number pulled up to.
    cursor: i64,
}

/// What the sync indicator says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Not signed in: everything is kept on this device.
    Local,
    Syncing,
    /// Every change is on the server and this device has everything from it.
    Synced,
    /// Changes wait on this device for the network (the count), retried by itself.
    Waiting(usize),
    /// The session ended on the server: sign in again to go on syncing.
    SignInAgain,
    /// The server refused some changes (the count and the first reason), or
    /// answered with an error; retried later.
    Problem(String),
    /// This device holds practice synced with another account.
    OtherOwner,
}

#[derive(Default)]
struct Engine {
    status: Option<RwSignal<Status>>,
    account: Option<RwSignal<Account>>,
    running: bool,
    /// Asked again while running: run once more at the end.
    again: bool,
    failures: u32,
    retry: Option<TimeoutHandle>,
    /// Outbox entries the server refused, by key, at the version refused (not
    /// sent again until changed).
    rejected: HashMap<String, (i64, String)>,
}

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::new(Engine::default());
}

pub fn use_status() -> RwSignal<Status> {
    ENGINE.with(|e| e.borrow().status).unwrap_or_else(|| RwSignal::new(Status::Local))
}

/// Starts syncing for `account`: now, on reconnect, when the page shows
/// again, every minute, and whenever the account changes.
pub fn start(account: RwSignal<Account>) -> RwSignal<Status> {
    let status = RwSignal::new(Status::Local);
    ENGINE.with(|e| {
        let mut e = e.borrow_mut();
        e.status = Some(status);
        e.account = Some(account);
    });
    Effect::new(move || {
        // Any change of who is signed in.
        let _ = account.get();
        run_now();
    });
    let online = window_event_listener_untyped("online", move |_| run_now());
    let visible = window_event_listener_untyped("visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            nudge();
        }
    });
    let timer = set_interval_with_handle(nudge, PERIOD);
    on_cleanup(move || {
        online.remove();
        visible.remove();
        if let Ok(timer) = timer {
            timer.clear();
        }
    });
    status
}

/// Something was recorded: sync soon (unless already waiting out a backoff,
/// which a reconnect ends early).
pub fn nudge() {
    let waiting = ENGINE.with(|e| e.borrow().retry.is_some());
    if !waiting {
        run_now();
    }
}

/// Syncs now, cancelling any backoff wait.
pub fn run_now() {
    let start = ENGINE.with(|e| {
        let mut e = e.borrow_mut();
        if e.account.is_none() {
            // Not started (e.g. the log used without the app): nothing to sync.
            return false;
        }
        if let Some(retry) = e.retry.take() {
            retry.clear();
        }
        if e.running {
            e.again = true;
            false
        } else {
            e.running = true;
            true
        }
    });
    if start {
        wasm_bindgen_futures::spawn_local(async {
            match crate::split::sync_engine().await {
                Ok(run) => run.await,
                // Its chunk could not be fetched (the network went before the
                // first visit finished): like any failed sync, try again later.
                Err(_) => {
                    ENGINE.with(|e| {
                        let mut e = e.borrow_mut();
                        e.running = false;
                        e.failures += 1;
                    });
                    schedule_retry();
                }
            }
        });
    }
}

fn set_status(status: Status) {
    if let Some(signal) = ENGINE.with(|e| e.borrow().status)
        && signal.get_untracked() != status
    {
        signal.set(status);
    }
}

/// Sync cycles until nothing more is asked for: the engine's own chunk in the
/// release build (see `split.rs`), so a first visit without an account does
/// not download it.
pub(crate) async fn run() {
    loop {
        let outcome = cycle().await;
        let again = ENGINE.with(|e| {
            let mut e = e.borrow_mut();
            match &outcome {
                Ok(_) => e.failures = 0,
                Err(_) => e.failures += 1,
            }
            let again = e.again && outcome.is_ok();
            e.again = false;
            if !again {
                e.running = false;
            }
            again
        });
        match outcome {
            Ok(status) => set_status(status),
            Err(Failure { status, retry }) => {
                set_status(status);
                if retry {
                    schedule_retry();
                }
            }
        }
        if !again {
            return;
        }
    }
}

/// Waits min(5 min, 1 s × 2^failures) × a random 0.5–1.5, then runs.
fn schedule_retry() {
    let failures = ENGINE.with(|e| e.borrow().failures);
    let base = (1_000.0 * 2f64.powi(failures.min(20) as i32 - 1)).min(MAX_BACKOFF_MS);
    let wait = base * (0.5 + js_sys::Math::random());
    if let Ok(handle) = set_timeout_with_handle(run_now, Duration::from_millis(wait as u64)) {
        ENGINE.with(|e| e.borrow_mut().retry = Some(handle));
    }
}

struct Failure {
    status: Status,
    retry: bool,
}

impl Failure {
    fn from_api(error: ApiError, pending: usize) -> Failure {
        match error {
            ApiError::Network(_) => Failure { status: Status::Waiting(pending), retry: true },
            ApiError::Refused { status: 401, .. } => Failure { status: Status::SignInAgain, retry: false },
            other => Failure { status: Status::Problem(other.to_string()), retry: true },
        }
    }

    fn local(error: log_store::LogError) -> Failure {
        Failure { status: Status::Problem(error.to_string()), retry: true }
    }
}

fn meta() -> Option<Meta> {
    storage::load::<Meta>(META).unwrap_or_else(|error| {
        storage::warn(&error);
        None
    })
}

fn save_meta(meta: &Meta) {
    if let Err(error) = storage::save(META, meta) {
        storage::warn(&error);
    }
}

/// Forgets which account the device's records belong to (after erasing them).
pub fn forget() {
    storage::remove(META);
    ENGINE.with(|e| e.borrow_mut().rejected.clear());
}

/// Whether this device's records belong to another account than `user`.
pub fn owned_by_another(user: &User) -> bool {
    meta().is_some_and(|m| m.user_id != user.id)
}

/// One push-then-pull; Ok(the status to show).
async fn cycle() -> Result<Status, Failure> {
    let account = ENGINE.with(|e| e.borrow().account).map(|a| a.get_untracked());
    let user = match account {
        Some(Account::SignedIn { user, confirmed: true }) => user,
        // Remembered from a start without network: ask the server first (which
        // also brings the CSRF token every write needs).
        Some(Account::SignedIn { confirmed: false, .. }) => {
            let now = crate::account::check().await;
            if let Some(signal) = ENGINE.with(|e| e.borrow().account) {
                signal.set(now.clone());
            }
            match now {
                Account::SignedIn { user, confirmed: true } => user,
                Account::SignedIn { .. } => {
                    let waiting = unsent().await.map_err(Failure::local)?.len();
                    return Err(Failure { status: Status::Waiting(waiting), retry: true });
                }
                _ => return Ok(Status::Local),
            }
        }
        // Still asking the server who is signed in: say nothing new yet.
        Some(Account::Checking) => return Ok(use_status().get_untracked()),
        _ => return Ok(Status::Local),
    };
    let mut meta = match meta() {
        Some(meta) if meta.user_id == user.id => meta,
        Some(_) => return Ok(Status::OtherOwner),
        None => {
            // First sync of this device with this account: everything recorded
            // so far goes up.
            log_store::queue_everything().await.map_err(Failure::local)?;
            let meta = Meta { user_id: user.id.clone(), cursor: 0 };
            save_meta(&meta);
            meta
        }
    };
    set_status(Status::Syncing);
    push(&mut meta).await?;
    pull(&mut meta).await?;
    let waiting = unsent().await.map_err(Failure::local)?;
    let rejected: Vec<String> =
        ENGINE.with(|e| e.borrow().rejected.values().map(|(_, m)| m.clone()).collect());
    if let Some(first) = rejected.first() {
        return Ok(Status::Problem(format!("{} × {first}", rejected.len())));
    }
    if !waiting.is_empty() {
        // Recorded during this run: go again.
        ENGINE.with(|e| e.borrow_mut().again = true);
        return Ok(Status::Syncing);
    }
    Ok(Status::Synced)
}

/// The outbox minus what the server refused at that same version.
async fn unsent() -> Result<Vec<Pending>, log_store::LogError> {
    let pending = log_store::pending().await?;
    Ok(ENGINE.with(|e| {
        let e = e.borrow();
        pending
            .into_iter()
            .filter(|p| e.rejected.get(&p.key()).is_none_or(|(version, _)| *version != p.updated_at_ms))
            .collect()
    }))
}

/// A record as pushed (the wire form of `stille_practice::sync::Record`),
/// its body passed on as stored rather than parsed and written again.
#[derive(Serialize)]
struct Outgoing {
    id: String,
    kind: Kind,
    updated_at_ms: i64,
    deleted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Box<RawValue>>,
}

/// A record as pulled (the wire form of `stille_practice::sync::Change`).
#[derive(Deserialize)]
struct Incoming {
    id: String,
    kind: Kind,
    updated_at_ms: i64,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    body: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
struct Page {
    changes: Vec<Incoming>,
    cursor: i64,
    more: bool,
}

/// A journal record as stored: `{"kind", "body"}`.
#[derive(Deserialize)]
struct StoredNote<'a> {
    #[serde(borrow)]
    body: &'a RawValue,
}

/// The record to push for a waiting change, from the stored JSON; None when
/// the record is gone or unreadable (then nothing can be sent for it).
fn record_of(
    p: &Pending,
    log: &HashMap<String, String>,
    journal: &HashMap<String, String>,
) -> Option<Outgoing> {
    let body = if p.deleted {
        None
    } else {
        let raw = match p.kind {
            Kind::Entry => log.get(&p.id)?.clone(),
            Kind::CheckIn | Kind::Reflection => {
                serde_json::from_str::<StoredNote>(journal.get(&p.id)?).ok()?.body.get().to_owned()
            }
            Kind::Settings => return None,
        };
        Some(RawValue::from_string(raw).ok()?)
    };
    Some(Outgoing {
        id: p.id.clone(),
        kind: p.kind,
        updated_at_ms: p.updated_at_ms,
        deleted: p.deleted,
        body,
    })
}

async fn push(meta: &mut Meta) -> Result<(), Failure> {
    let waiting = unsent().await.map_err(Failure::local)?;
    if waiting.is_empty() {
        return Ok(());
    }
    let log = log_store::raw(LOG).await.map_err(Failure::local)?;
    let journal = log_store::raw(JOURNAL).await.map_err(Failure::local)?;
    let mut settle = Vec::new();
    let mut sendable = Vec::new();
    for p in waiting {
        match record_of(&p, &log, &journal) {
            Some(record) => sendable.push((p, record)),
            // Nothing left to send: the entry is dropped if it is still this version.
            None => settle.push(settled(&p)),
        }
    }
    let total = sendable.len();
    for batch in sendable.chunks(MAX_BATCH) {
        #[derive(Serialize)]
        struct Push<'a> {
            records: Vec<&'a Outgoing>,
        }
        let body = Push { records: batch.iter().map(|(_, r)| r).collect() };
        let answer: PushResponse =
            api::request("POST", "/api/sync", Some(&body)).await.map_err(|e| Failure::from_api(e, total))?;
        if answer.results.len() != batch.len() {
            return Err(Failure {
                status: Status::Problem("the server answered for a different number of records".into()),
                retry: true,
            });
        }
        for ((pending, _), result) in batch.iter().zip(&answer.results) {
            match result.outcome {
                Outcome::Stored | Outcome::Duplicate | Outcome::Superseded => {
                    ENGINE.with(|e| e.borrow_mut().rejected.remove(&pending.key()));
                    settle.push(settled(pending));
                }
                Outcome::Rejected => {
                    let reason = result
                        .error
                        .as_ref()
                        .map_or_else(|| "refused".to_owned(), |e| format!("{} ({})", e.message, e.field));
                    ENGINE.with(|e| {
                        e.borrow_mut().rejected.insert(pending.key(), (pending.updated_at_ms, reason));
                    });
                }
            }
        }
        meta.cursor = cursor_after_push(meta.cursor, &answer.results);
        save_meta(meta);
        log_store::write(&std::mem::take(&mut settle)).await.map_err(Failure::local)?;
    }
    if !settle.is_empty() {
        log_store::write(&settle).await.map_err(Failure::local)?;
    }
    Ok(())
}

/// Removes `p` from the outbox if it is still at the version answered for.
fn settled(p: &Pending) -> Op {
    let key = p.key();
    Op {
        store: log_store::OUTBOX,
        key: key.clone(),
        value: None,
        guard: Some(Guard { key, version: Some(p.updated_at_ms), clear: false }),
    }
}

async fn pull(meta: &mut Meta) -> Result<(), Failure> {
    loop {
        let path = format!("/api/sync?after={}", meta.cursor);
        let page: Page = api::request("GET", &path, NO_BODY).await.map_err(|e| Failure::from_api(e, 0))?;
        let waiting: HashMap<String, Pending> =
            log_store::pending().await.map_err(Failure::local)?.into_iter().map(|p| (p.key(), p)).collect();
        let ops: Vec<Op> = page.changes.iter().filter_map(|c| apply_op(c, &waiting)).collect();
        log_store::write(&ops).await.map_err(Failure::local)?;
        if page.cursor < meta.cursor && !page.changes.is_empty() {
            return Err(Failure {
                status: Status::Problem("the server's cursor went backwards".into()),
                retry: true,
            });
        }
        meta.cursor = page.cursor.max(meta.cursor);
        save_meta(meta);
        if !page.more {
            return Ok(());
        }
    }
}

/// How a pulled record is written here: checked like any stored record, and
/// guarded so that a change still waiting on this device is only replaced
/// when the server's rule says the pulled one wins.
fn apply_op(record: &Incoming, waiting: &HashMap<String, Pending>) -> Option<Op> {
    if record.kind == Kind::Settings {
        // Settings stay per device for now.
        return None;
    }
    let key = outbox_key(record.kind, &record.id);
    let guard = match waiting.get(&key) {
        Some(p) if pulled_wins(record.deleted, record.updated_at_ms, p) => {
            Guard { key, version: Some(p.updated_at_ms), clear: true }
        }
        Some(_) => return None,
        None => Guard { key, version: None, clear: false },
    };
    let raw = record.body.as_ref().map(|b| b.get());
    let value = if record.deleted {
        None
    } else {
        Some(match record.kind {
            Kind::Entry => {
                let entry: Entry = serde_json::from_str(raw?).ok()?;
                (entry.check().is_ok() && entry.id == record.id).then_some(())?;
                serde_json::to_string(&entry).ok()?
            }
            Kind::CheckIn => {
                let c: CheckIn = serde_json::from_str(raw?).ok()?;
                (c.check().is_ok() && c.id == record.id).then_some(())?;
                serde_json::to_string(&Note::CheckIn(c)).ok()?
            }
            Kind::Reflection => {
                let r: Reflection = serde_json::from_str(raw?).ok()?;
                (r.check().is_ok() && r.id == record.id).then_some(())?;
                serde_json::to_string(&Note::Reflection(r)).ok()?
            }
            Kind::Settings => return None,
        })
    };
    let store = match record.kind {
        Kind::Entry => LOG,
        _ => JOURNAL,
    };
    Some(Op { store, key: record.id.clone(), value, guard: Some(guard) })
}

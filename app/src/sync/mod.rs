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

mod plan;

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;
use plan::{Failure, Meta};
pub use plan::{Status, status_line, status_text};
use stille_practice::sync::{
    Change, MAX_BATCH, Pending, PullResponse, Push, PushResponse, VERSION, cursor_after_push,
};

use crate::account::{Account, User};
use crate::api::{self, ApiError, NO_BODY};
use crate::log_store::{self, Op};
use crate::storage;

/// Where this device's records belong and how far it has pulled.
const META: &str = "stille.sync.v1";
/// The sync protocol that cursor was pulled with (apart, so that an older
/// app still reads the meta).
const PROTOCOL: &str = "stille.sync.protocol.v1";
/// How often to sync while the app is open.
const PERIOD: Duration = Duration::from_secs(60);

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
    rejected: HashMap<String, (i64, stille_practice::sync::RecordError)>,
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

/// Waits out the backoff for the failures so far ([`plan::backoff_ms`]), then runs.
fn schedule_retry() {
    let failures = ENGINE.with(|e| e.borrow().failures);
    let wait = plan::backoff_ms(failures, 0.5 + js_sys::Math::random());
    if let Ok(handle) = set_timeout_with_handle(run_now, Duration::from_millis(wait as u64)) {
        ENGINE.with(|e| e.borrow_mut().retry = Some(handle));
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

fn save_protocol() {
    if let Err(error) = storage::save(PROTOCOL, &VERSION) {
        storage::warn(&error);
    }
}

/// Forgets which account the device's records belong to (after erasing them).
pub fn forget() {
    storage::remove(META);
    storage::remove(PROTOCOL);
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
    // On the first sync with an account, settings made here before signing
    // in wait until the account's have been pulled (they win, if any).
    let mut held_settings = None;
    let mut meta = match meta() {
        Some(meta) if meta.user_id == user.id => {
            let protocol = storage::load::<u32>(PROTOCOL).unwrap_or(None);
            let meta = meta.upgraded(protocol);
            if protocol != Some(VERSION) {
                save_meta(&meta);
                save_protocol();
            }
            meta
        }
        Some(_) => return Ok(Status::OtherOwner),
        None => {
            // First sync of this device with this account: everything recorded
            // so far goes up.
            log_store::queue_everything().await.map_err(Failure::local)?;
            held_settings = log_store::hold_settings().await.map_err(Failure::local)?;
            let meta = Meta::new(user.id.clone());
            save_meta(&meta);
            save_protocol();
            meta
        }
    };
    set_status(Status::Syncing);
    push(&mut meta).await?;
    pull(&mut meta).await?;
    if let Some(version) = held_settings {
        log_store::requeue_settings(version).await.map_err(Failure::local)?;
    }
    let waiting = unsent().await.map_err(Failure::local)?.len();
    let (status, again) = ENGINE.with(|e| plan::after_run(&e.borrow().rejected, waiting));
    if again {
        ENGINE.with(|e| e.borrow_mut().again = true);
    }
    Ok(status)
}

/// The outbox minus what the server refused at that same version.
async fn unsent() -> Result<Vec<Pending>, log_store::LogError> {
    let pending = log_store::pending().await?;
    Ok(ENGINE.with(|e| plan::unsent(pending, &e.borrow().rejected)))
}

async fn push(meta: &mut Meta) -> Result<(), Failure> {
    let waiting = unsent().await.map_err(Failure::local)?;
    if waiting.is_empty() {
        return Ok(());
    }
    let log = log_store::raw(log_store::LOG).await.map_err(Failure::local)?;
    let journal = log_store::raw(log_store::JOURNAL).await.map_err(Failure::local)?;
    let mut settle = Vec::new();
    let mut sendable = Vec::new();
    for p in waiting {
        match plan::record_of(&p, &log, &journal) {
            Some(record) => sendable.push((p, record)),
            // Nothing left to send: the entry is dropped if it is still this version.
            None => settle.push(plan::settled(&p)),
        }
    }
    let total = sendable.len();
    for batch in sendable.chunks(MAX_BATCH) {
        let records = batch
            .iter()
            .map(|(_, record)| serde_json::value::to_raw_value(record))
            .collect::<Result<Vec<_>, _>>()
            .map_err(Failure::local)?;
        let answer: PushResponse = api::request("POST", "/api/sync", Some(&Push { records }))
            .await
            .map_err(|e| Failure::from_api(&e, total))?;
        let sent: Vec<Pending> = batch.iter().map(|(p, _)| p.clone()).collect();
        let answered = plan::answered(&sent, &answer.results)?;
        ENGINE.with(|e| {
            let mut e = e.borrow_mut();
            for key in &answered.accepted {
                e.rejected.remove(key);
            }
            for (key, version, reason) in answered.rejected {
                e.rejected.insert(key, (version, reason));
            }
        });
        settle.extend(answered.settle);
        meta.cursor = cursor_after_push(meta.cursor, &answer.results);
        save_meta(meta);
        log_store::write_sync(&std::mem::take(&mut settle)).await.map_err(Failure::local)?;
    }
    if !settle.is_empty() {
        log_store::write_sync(&settle).await.map_err(Failure::local)?;
    }
    Ok(())
}

/// Writes pulled records on this device as the server sent them (see
/// [`plan::apply_op`]), in one transaction; how many were written (a change
/// still waiting here that wins by the merge rule is kept instead).
pub async fn keep_pulled(changes: &[Change]) -> Result<usize, log_store::LogError> {
    let waiting: HashMap<String, Pending> =
        log_store::pending().await?.into_iter().map(|p| (p.key(), p)).collect();
    let ops: Vec<Op> = changes.iter().filter_map(|c| plan::apply_op(c, &waiting)).collect();
    log_store::write_sync(&ops).await
}

async fn pull(meta: &mut Meta) -> Result<(), Failure> {
    let mut pulled = false;
    let outcome = pull_pages(meta, &mut pulled).await;
    if pulled {
        // The screens showing the log read it again (once, not per page).
        log_store::changed();
    }
    outcome
}

async fn pull_pages(meta: &mut Meta, pulled: &mut bool) -> Result<(), Failure> {
    loop {
        let path = format!("/api/sync?after={}&version={VERSION}", meta.cursor);
        let page: PullResponse = match api::request("GET", &path, NO_BODY).await {
            Ok(page) => page,
            // A page this version cannot read (a newer server's record kind):
            // stop here, so an update pulls it from this same cursor.
            Err(ApiError::Unreadable(_)) => return Err(Failure::outdated()),
            Err(error) => return Err(Failure::from_api(&error, 0)),
        };
        *pulled |= keep_pulled(&page.changes).await.map_err(Failure::local)? > 0;
        if page.changes.iter().any(|c| c.kind == stille_practice::sync::Kind::Settings) {
            // What another device chose, as kept here now (a change still
            // waiting here may have won).
            if let Ok(Some((_, body))) = log_store::synced_settings().await {
                crate::settings::take_synced(&body);
            }
        }
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

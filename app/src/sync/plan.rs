//! The sync engine's decisions, as plain functions of what it read: which
//! waiting changes to send and how, what a push's answer settles, how a
//! pulled record is written here, how long to wait after a failure, and what
//! the status line may say. `mod.rs` does the reading, the calls and the
//! waiting; everything it decides comes from here (and is tested natively).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use stille_practice::sync::{
    Change, Kind, Outcome, Pending, PushResult, Record, RecordError, VERSION, outbox_key, pulled_wins,
};

use stille_practice::Lang;

use crate::api::ApiError;
use crate::i18n::{Key, t};
use crate::log_store::{Guard, JOURNAL, LOG, OUTBOX, Op};

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
    /// The server refused some changes: how many, and why it refused the
    /// first (they stay on this device; sent again once changed).
    Refused {
        count: usize,
        first: RecordError,
    },
    /// The server answered with an error, or this device's storage failed;
    /// retried later.
    Problem(String),
    /// This device holds practice synced with another account.
    OtherOwner,
    /// The account holds records this version of the app cannot read (a
    /// newer version wrote them): nothing is pulled past them until the app
    /// is updated, so nothing is lost.
    Outdated,
}

/// The status in words, for the line under the header and the account page.
pub fn status_text(status: &Status, lang: Lang) -> String {
    match status {
        Status::Local => t(lang, Key::SyncLocal).to_owned(),
        Status::Syncing => t(lang, Key::SyncSyncing).to_owned(),
        Status::Synced => t(lang, Key::SyncSynced).to_owned(),
        Status::Waiting(n) => format!("{} ({n} {})", t(lang, Key::SyncWaiting), t(lang, Key::SyncChanges)),
        Status::SignInAgain => t(lang, Key::SyncSignInAgain).to_owned(),
        Status::Refused { count, first } => refused_text(*count, first, lang),
        Status::Problem(reason) => format!(
            "{} {} {} {reason}",
            t(lang, Key::SyncProblem),
            t(lang, Key::SyncRetrying),
            t(lang, Key::SyncReason)
        ),
        Status::OtherOwner => t(lang, Key::SyncOtherOwner).to_owned(),
        Status::Outdated => t(lang, Key::SyncOutdated).to_owned(),
    }
}

/// The status as the line under the header says it: as [`status_text`],
/// but a problem's technical reason (in English, for whoever helps) is left
/// to the account page.
pub fn status_line(status: &Status, lang: Lang) -> String {
    match status {
        Status::Problem(_) => format!("{} {}", t(lang, Key::SyncProblem), t(lang, Key::SyncRetrying)),
        other => status_text(other, lang),
    }
}

/// Refused changes in words, by the server's `code`: a full account is the
/// person's to act on and is said so; anything else is an app's mistake,
/// said plainly, with the server's reason (in English) for whoever helps.
fn refused_text(count: usize, first: &RecordError, lang: Lang) -> String {
    match first.code.as_str() {
        "over_quota" => format!("{} ({count} {})", t(lang, Key::SyncOverQuota), t(lang, Key::SyncChanges)),
        _ => format!(
            "{} ({count} {}): {} ({})",
            t(lang, Key::SyncRefused),
            t(lang, Key::SyncChanges),
            first.message,
            first.field
        ),
    }
}

/// Where this device's records belong and how far it has pulled.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The account this device's records were synced with.
    pub user_id: String,
    /// The server's sequence number pulled up to.
    pub cursor: i64,
}

impl Meta {
    /// A new account's: nothing pulled yet.
    pub fn new(user_id: String) -> Meta {
        Meta { user_id, cursor: 0 }
    }

    /// This meta for this version, given the sync protocol its cursor was
    /// pulled with (kept under a key of its own, so an older app still reads
    /// the meta; none kept: 1). A cursor pulled by an older protocol passed
    /// records that protocol was not sent, so the pull starts again from the
    /// beginning (the merge rule makes pulling twice harmless).
    pub fn upgraded(self, protocol: Option<u32>) -> Meta {
        if protocol.unwrap_or(1) < VERSION { Meta::new(self.user_id) } else { self }
    }
}

/// A failed run: what to show, and whether to try again by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub status: Status,
    pub retry: bool,
}

impl Failure {
    /// A call that failed, with `pending` changes still waiting.
    pub fn from_api(error: &ApiError, pending: usize) -> Failure {
        match error {
            ApiError::Network(_) => Failure { status: Status::Waiting(pending), retry: true },
            ApiError::Refused { code: stille_practice::api::ErrorCode::Unauthenticated, .. } => {
                Failure { status: Status::SignInAgain, retry: false }
            }
            other => Failure { status: Status::Problem(other.to_string()), retry: true },
        }
    }

    /// A pull page this version cannot read: a newer server's record kind.
    pub fn outdated() -> Failure {
        Failure { status: Status::Outdated, retry: true }
    }

    /// The device's own storage failed.
    pub fn local(error: impl std::fmt::Display) -> Failure {
        Failure { status: Status::Problem(error.to_string()), retry: true }
    }
}

/// The longest wait between retries.
pub const MAX_BACKOFF_MS: f64 = 300_000.0;

/// The wait before retry number `failures` (1, 2, …): min(5 min, 1 s ×
/// 2^(failures − 1)) × `jitter` (a random 0.5–1.5, so many devices that lost
/// the network together do not come back together).
pub fn backoff_ms(failures: u32, jitter: f64) -> f64 {
    let base = (1_000.0 * 2f64.powi(failures.clamp(1, 20) as i32 - 1)).min(MAX_BACKOFF_MS);
    base * jitter.clamp(0.5, 1.5)
}

/// The outbox minus what the server refused at that same version (not sent
/// again until changed).
pub fn unsent(pending: Vec<Pending>, rejected: &HashMap<String, (i64, RecordError)>) -> Vec<Pending> {
    pending
        .into_iter()
        .filter(|p| rejected.get(&p.key()).is_none_or(|(version, _)| *version != p.updated_at_ms))
        .collect()
}

/// A journal record as stored: `{"kind", "body"}`.
#[derive(Deserialize)]
struct StoredNote<'a> {
    #[serde(borrow)]
    body: &'a RawValue,
}

/// The record to push for a waiting change, its body passed on as stored;
/// None when the record is gone or unreadable (nothing can be sent for it).
pub fn record_of(
    p: &Pending,
    log: &HashMap<String, String>,
    journal: &HashMap<String, String>,
) -> Option<Record> {
    let body = if p.deleted {
        None
    } else {
        let raw = match p.kind {
            Kind::Entry => log.get(&p.id)?.clone(),
            Kind::CheckIn | Kind::Reflection | Kind::Answers | Kind::Settings => {
                serde_json::from_str::<StoredNote>(journal.get(&p.id)?).ok()?.body.get().to_owned()
            }
        };
        Some(RawValue::from_string(raw).ok()?)
    };
    Some(Record { id: p.id.clone(), kind: p.kind, updated_at_ms: p.updated_at_ms, deleted: p.deleted, body })
}

/// Removes `p` from the outbox if it is still at the version answered for
/// (a newer change made meanwhile stays queued).
pub fn settled(p: &Pending) -> Op {
    let key = p.key();
    Op {
        store: OUTBOX,
        key: key.clone(),
        value: None,
        guard: Some(Guard { key, version: Some(p.updated_at_ms), clear: false }),
    }
}

/// What a push's answer means for the waiting changes sent in it.
#[derive(Debug, Default, PartialEq)]
pub struct Answered {
    /// Outbox entries to remove (guarded by version).
    pub settle: Vec<Op>,
    /// Refused at this version, with the server's reason: (key, version, reason).
    pub rejected: Vec<(String, i64, RecordError)>,
    /// Accepted: any earlier refusal of these keys is over.
    pub accepted: Vec<String>,
}

/// Reads a push's `results` for `sent`; Err when the server answered for a
/// different number of records than were sent (then nothing is settled).
pub fn answered(sent: &[Pending], results: &[PushResult]) -> Result<Answered, Failure> {
    if results.len() != sent.len() {
        return Err(Failure {
            status: Status::Problem("the server answered for a different number of records".into()),
            retry: true,
        });
    }
    let mut answer = Answered::default();
    for (pending, result) in sent.iter().zip(results) {
        match result.outcome {
            Outcome::Stored | Outcome::Duplicate | Outcome::Superseded => {
                answer.accepted.push(pending.key());
                answer.settle.push(settled(pending));
            }
            Outcome::Rejected => {
                let reason = result.error.clone().unwrap_or_else(|| RecordError {
                    code: "invalid".into(),
                    field: String::new(),
                    message: "refused without a reason".into(),
                });
                answer.rejected.push((pending.key(), pending.updated_at_ms, reason));
            }
        }
    }
    Ok(answer)
}

/// How a pulled record is written here, guarded so that a change still
/// waiting on this device is only replaced when the merge rule says the
/// pulled one wins (None: the waiting change wins). The account's settings
/// record is kept in the journal with its version beside its body.
///
/// The body is kept exactly as the server sent it (the server checked it on
/// its way in): fields this version does not know stay, and a record it
/// cannot read yet (say, a practice a newer version added) is kept in place
/// and counted as unreadable until an update can read it. Nothing pulled is
/// dropped, so the cursor can move past it.
pub fn apply_op(change: &Change, waiting: &HashMap<String, Pending>) -> Option<Op> {
    let store = match change.kind {
        Kind::Entry => LOG,
        Kind::CheckIn | Kind::Reflection | Kind::Answers | Kind::Settings => JOURNAL,
    };
    let key = outbox_key(change.kind, &change.id);
    let guard = match waiting.get(&key) {
        Some(p) if pulled_wins(change.version(), p) => {
            Guard { key, version: Some(p.updated_at_ms), clear: true }
        }
        Some(_) => return None,
        None => Guard { key, version: None, clear: false },
    };
    let value = match (&change.body, change.deleted) {
        (_, true) => None,
        (Some(body), false) if store == LOG => Some(body.get().to_owned()),
        (Some(body), false) if change.kind == Kind::Settings => {
            Some(crate::log_store::settings_value(change.updated_at_ms, body.get()))
        }
        (Some(body), false) => {
            Some(format!(r#"{{"kind":"{}","body":{}}}"#, change.kind.as_str(), body.get()))
        }
        // A current version without a body: nothing to keep.
        (None, false) => return None,
    };
    Some(Op { store, key: change.id.clone(), value, guard: Some(guard) })
}

/// The status after a run that pushed and pulled: refused changes first,
/// then changes recorded meanwhile (go again), else in step.
pub fn after_run(rejected: &HashMap<String, (i64, RecordError)>, waiting: usize) -> (Status, bool) {
    // The first by key, so the line does not change between runs.
    if let Some((_, (_, first))) = rejected.iter().min_by(|a, b| a.0.cmp(b.0)) {
        return (Status::Refused { count: rejected.len(), first: first.clone() }, false);
    }
    if waiting > 0 {
        return (Status::Syncing, true);
    }
    (Status::Synced, false)
}

#[cfg(test)]
mod tests;

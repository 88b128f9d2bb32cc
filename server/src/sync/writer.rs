//! Group commit: pushes that arrive together share one transaction and one
//! durable commit.
//!
//! A push handler does not open a transaction of its own; it hands its
//! checked-in records to a [`Writer`] and waits for the answer. A writer task
//! takes the first waiting push and every other one already queued behind it
//! (up to [`MAX_GROUP`] pushes or [`MAX_GROUP_RECORDS`] records), and applies
//! them together: one read of the users' sequence numbers (locking those rows
//! on PostgreSQL, in id order so two writers never deadlock), one read of the
//! records' current versions, one of the digests already seen (each a join
//! of the pushed (user, record) pairs to the table's primary key), the merge
//! decided in memory in arrival order, a few multi-row writes, one commit.
//! Each push is answered only after that commit is durable. Under load a
//! group grows while the one before it commits, so a commit (SQLite's fsync,
//! PostgreSQL's WAL flush) and the statements' round trips are shared by many
//! pushes; alone, a push is a group of one and waits for nothing.
//!
//! A record that fails its checks is rejected on its own, in memory, as
//! before. A push whose account is gone gets its own error. Should the
//! database refuse the group as a whole, each push is applied again in a
//! transaction of its own, so one push's failure is never another's.
//!
//! The statements' texts depend on the group's size, so they are not kept
//! prepared (sqlx would cache hundreds of large ones).
//!
//! SQLite has one writer task (it has one write lock); PostgreSQL has
//! [`POSTGRES_WRITERS`], whose groups commit side by side.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::value::RawValue;
use stille_practice::sync::{
    Checked, Outcome, PushResult, RecordError, Version, check, claimed_id, supersedes,
};
use tokio::sync::{mpsc, oneshot};

use super::digest;
use crate::store::{Backend, BeginWrite};
use crate::{AppError, Store, on_store};

/// At most this many pushes share a transaction.
pub const MAX_GROUP: usize = 64;
/// A group stops taking pushes once it holds this many records.
pub const MAX_GROUP_RECORDS: usize = 2_000;
/// What one person may keep, by default: 100,000 live records (a practice,
/// a check-in and a note every day for a hundred years is about 110,000)
/// and 50 MB of their bodies (a year of daily practice is about 200 KB).
/// Deleted records (kept without a body, so devices learn of the deletion)
/// and the version history are not counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    pub records: i64,
    pub bytes: i64,
}

impl Default for Quota {
    fn default() -> Quota {
        Quota { records: 100_000, bytes: 50_000_000 }
    }
}
/// Writer tasks on PostgreSQL (SQLite has one).
pub const POSTGRES_WRITERS: usize = 8;
/// Pushes waiting beyond this many make new ones wait to be queued.
const QUEUE: usize = 1_024;
/// (user, record) pairs per read, well below both databases' parameter limits.
const PAIRS_PER_QUERY: usize = 900;

/// One push waiting for its group.
struct Job {
    user_id: String,
    records: Vec<Box<RawValue>>,
    now: i64,
    answer: oneshot::Sender<Result<Vec<PushResult>, AppError>>,
}

/// How many groups have committed and how many pushes they held.
#[derive(Debug, Default)]
pub struct Counts {
    pub commits: AtomicU64,
    pub pushes: AtomicU64,
}

/// The queue into the writer tasks. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Writer {
    queue: mpsc::Sender<Job>,
    counts: Arc<Counts>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("user_id", &self.user_id).field("records", &self.records.len()).finish()
    }
}

impl Writer {
    /// Starts the writer tasks for `store` (on the current Tokio runtime).
    /// They end when every clone of the writer has been dropped.
    pub fn start(store: Store, quota: Quota) -> Writer {
        let (queue, receiver) = mpsc::channel(QUEUE);
        let receiver = Arc::new(tokio::sync::Mutex::new(receiver));
        let counts = Arc::new(Counts::default());
        let writers = match store.backend() {
            Backend::Sqlite => 1,
            Backend::Postgres => POSTGRES_WRITERS,
        };
        for _ in 0..writers {
            tokio::spawn(write(store.clone(), quota, receiver.clone(), counts.clone()));
        }
        Writer { queue, counts }
    }

    /// Applies `records` for `user_id` with whichever pushes arrive with them;
    /// one result per record, in order, once they are durable.
    pub async fn push(
        &self,
        user_id: &str,
        records: Vec<Box<RawValue>>,
        now: i64,
    ) -> Result<Vec<PushResult>, AppError> {
        let (answer, answered) = oneshot::channel();
        let job = Job { user_id: user_id.to_owned(), records, now, answer };
        self.queue.send(job).await.map_err(|_| AppError::Internal("the sync writer has stopped".into()))?;
        answered.await.map_err(|_| AppError::Internal("the sync writer stopped before answering".into()))?
    }

    /// Groups committed and pushes in them, since the server started.
    pub fn counts(&self) -> &Counts {
        &self.counts
    }
}

/// One writer task: takes a group off the queue, applies it, answers it.
async fn write(
    store: Store,
    quota: Quota,
    receiver: Arc<tokio::sync::Mutex<mpsc::Receiver<Job>>>,
    counts: Arc<Counts>,
) {
    loop {
        let group = {
            let mut receiver = receiver.lock().await;
            let Some(first) = receiver.recv().await else { return };
            let mut records = first.records.len();
            let mut group = vec![first];
            while group.len() < MAX_GROUP && records < MAX_GROUP_RECORDS {
                match receiver.try_recv() {
                    Ok(job) => {
                        records += job.records.len();
                        group.push(job);
                    }
                    Err(_) => break,
                }
            }
            group
        };
        // In a task of its own, so a panic fails this group's pushes (their
        // answers are dropped) and not the writer.
        let (store, counts) = (store.clone(), counts.clone());
        if let Err(error) = tokio::spawn(async move { answer(&store, quota, group, &counts).await }).await {
            tracing::error!("a sync group failed: {error}");
        }
    }
}

/// Applies `group` together, or, if the database refuses that, each push alone.
async fn answer(store: &Store, quota: Quota, group: Vec<Job>, counts: &Counts) {
    let pushes: Vec<Push<'_>> = group.iter().map(Job::push).collect();
    match apply(store, &pushes, quota).await {
        Ok(results) => {
            counts.commits.fetch_add(1, Ordering::Relaxed);
            counts.pushes.fetch_add(group.len() as u64, Ordering::Relaxed);
            for (job, result) in group.into_iter().zip(results) {
                let _ = job.answer.send(result);
            }
        }
        // Not the database refusing this group (the database is out of
        // reach, the pool closed): every push fails now rather than each
        // waiting for it again.
        Err(error) if group.len() == 1 || error.as_database_error().is_none() => {
            drop(pushes);
            let message = format!("database: {error}");
            for job in group {
                let _ = job.answer.send(Err(AppError::Internal(message.clone())));
            }
        }
        Err(error) => {
            tracing::warn!("a group of {} pushes was refused ({error}); applying each alone", group.len());
            drop(pushes);
            for job in group {
                let result = match apply(store, &[job.push()], quota).await {
                    Ok(mut results) => {
                        counts.commits.fetch_add(1, Ordering::Relaxed);
                        counts.pushes.fetch_add(1, Ordering::Relaxed);
                        results
                            .pop()
                            .unwrap_or_else(|| Err(AppError::Internal("a push went unanswered".into())))
                    }
                    Err(error) => Err(AppError::from(error)),
                };
                let _ = job.answer.send(result);
            }
        }
    }
}

impl Job {
    fn push(&self) -> Push<'_> {
        Push { user_id: &self.user_id, records: &self.records, now: self.now }
    }
}

/// One push as [`apply`] takes it.
#[derive(Clone, Copy, Debug)]
pub struct Push<'a> {
    pub user_id: &'a str,
    pub records: &'a [Box<RawValue>],
    pub now: i64,
}

/// A record's current version as the group sees it.
#[derive(Clone, Debug, sqlx::FromRow)]
struct Current {
    user_id: String,
    id: String,
    kind: String,
    seq: i64,
    updated_at_ms: i64,
    deleted: bool,
    /// The size of its body, in bytes.
    bytes: i64,
}

/// A version to add to the history.
#[derive(Debug)]
struct NewVersion<'a> {
    user_id: &'a str,
    id: String,
    digest: String,
    updated_at_ms: i64,
    deleted: bool,
    body: Option<String>,
    received_at_ms: i64,
}

/// The parameter marks of the statements below, each parameter used once
/// and in order: `$1, $2, …` for PostgreSQL, `?` for SQLite, which binds a
/// numbered parameter by searching every parameter's name (sqlx asks for
/// each, so a statement of 2,000 numbered parameters spent most of a push's
/// time there) and an anonymous one at once.
#[derive(Clone, Copy, Debug)]
struct Marks(Backend);

impl Marks {
    /// The mark of parameter `n` (from 1).
    fn one(self, n: usize) -> String {
        match self.0 {
            Backend::Sqlite => "?".to_owned(),
            Backend::Postgres => format!("${n}"),
        }
    }

    /// The marks of `count` parameters from `first`, comma-separated.
    fn list(self, first: usize, count: usize) -> String {
        (first..first + count).map(|n| self.one(n)).collect::<Vec<_>>().join(", ")
    }
}

/// What becomes of `record` given the current version (if any) and whether
/// exactly this version was seen before ([`supersedes`] decides); updates
/// `current` and the user's `last` sequence number when it is stored.
fn decide(
    record: &Checked,
    current: Option<&mut Current>,
    seen: bool,
    last: &mut i64,
) -> (Outcome, Option<i64>) {
    let version = Version { updated_at_ms: record.updated_at_ms, deleted: record.deleted };
    match current {
        Some(current) if seen => (Outcome::Duplicate, Some(current.seq)),
        None if seen => (Outcome::Duplicate, None),
        Some(current)
            if !supersedes(
                version,
                Version { updated_at_ms: current.updated_at_ms, deleted: current.deleted },
            ) =>
        {
            (Outcome::Superseded, Some(current.seq))
        }
        Some(current) => {
            *last += 1;
            current.seq = *last;
            current.updated_at_ms = record.updated_at_ms;
            current.deleted = record.deleted;
            (Outcome::Stored, Some(*last))
        }
        None => {
            *last += 1;
            (Outcome::Stored, Some(*last))
        }
    }
}

/// Applies `pushes` in one durable transaction, in order (a later push of the
/// same person sees an earlier one's records); for each push, one result per
/// record or the push's own error (its account is gone, or its new records
/// would take its owner past `quota`: 413, and none of it is kept).
/// An `Err` means the database refused the transaction and nothing of it
/// was kept.
pub async fn apply(
    store: &Store,
    pushes: &[Push<'_>],
    quota: Quota,
) -> Result<Vec<Result<Vec<PushResult>, AppError>>, sqlx::Error> {
    if pushes.is_empty() {
        return Ok(Vec::new());
    }
    let checked: Vec<Vec<Result<Checked, RecordError>>> =
        pushes.iter().map(|p| p.records.iter().map(|raw| check(raw, p.now)).collect()).collect();
    let mut users: Vec<&str> = pushes.iter().map(|p| p.user_id).collect();
    users.sort_unstable();
    users.dedup();
    let mut pairs: Vec<(&str, &str)> = pushes
        .iter()
        .zip(&checked)
        .flat_map(|(p, checked)| {
            checked.iter().filter_map(|c| Some((p.user_id, c.as_ref().ok()?.id.as_str())))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    // PostgreSQL locks the users' rows, in id order, for the rest of the
    // transaction: one person's pushes apply one at a time, and sequence
    // numbers are handed out in commit order. SQLite's write lock does both.
    let marks = Marks(store.backend());
    let size = match store.backend() {
        Backend::Sqlite => "coalesce(length(CAST(r.body AS BLOB)), 0)",
        Backend::Postgres => "coalesce(octet_length(r.body), 0)::BIGINT",
    };
    let lock = match store.backend() {
        Backend::Sqlite => "",
        // NO KEY: inserts elsewhere that refer to these users (a session at
        // log-in, a membership) need not wait for the group.
        Backend::Postgres => " FOR NO KEY UPDATE",
    };
    let users_sql = format!(
        "SELECT id, last_seq, records_kept, record_bytes_kept FROM users WHERE id IN ({}) ORDER BY id{lock}",
        marks.list(1, users.len())
    );
    let mut answers = Vec::with_capacity(pushes.len());
    on_store!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let mut query = sqlx::query_as::<_, (String, i64, i64, i64)>(&users_sql).persistent(false);
        for user in &users {
            query = query.bind(*user);
        }
        let rows = query.fetch_all(&mut *tx).await?;
        let mut last: HashMap<String, i64> = rows.iter().map(|(id, seq, _, _)| (id.clone(), *seq)).collect();
        // (records, bytes) each person keeps.
        let mut held: HashMap<String, (i64, i64)> =
            rows.into_iter().map(|(id, _, records, bytes)| (id, (records, bytes))).collect();
        let start = last.clone();
        let mut current: HashMap<(String, String), Current> = HashMap::new();
        let mut seen: HashSet<(String, String, String)> = HashSet::new();
        // The pairs asked for, joined to each table: one index lookup each.
        for chunk in pairs.chunks(PAIRS_PER_QUERY) {
            let wanted: Vec<String> = (0..chunk.len()).map(|i| format!("({}, {})", marks.one(1 + 2 * i), marks.one(2 + 2 * i))).collect();
            let wanted = format!("WITH wanted (user_id, id) AS (VALUES {})", wanted.join(", "));
            let sql = format!(
                "{wanted} SELECT r.user_id, r.id, r.kind, r.seq, r.updated_at_ms, r.deleted, {size} AS bytes FROM wanted w \
                 JOIN records r ON r.user_id = w.user_id AND r.id = w.id"
            );
            let mut query = sqlx::query_as::<_, Current>(&sql).persistent(false);
            for (user, id) in chunk {
                query = query.bind(*user).bind(*id);
            }
            for row in query.fetch_all(&mut *tx).await? {
                current.insert((row.user_id.clone(), row.id.clone()), row);
            }
            let sql = format!(
                "{wanted} SELECT v.user_id, v.id, v.digest FROM wanted w \
                 JOIN record_versions v ON v.user_id = w.user_id AND v.id = w.id"
            );
            let mut query = sqlx::query_as::<_, (String, String, String)>(&sql).persistent(false);
            for (user, id) in chunk {
                query = query.bind(*user).bind(*id);
            }
            seen.extend(query.fetch_all(&mut *tx).await?);
        }
        let mut versions: Vec<NewVersion<'_>> = Vec::new();
        let mut changed: HashMap<(String, String), Option<String>> = HashMap::new();
        let mut wiped: Vec<(&str, String)> = Vec::new();
        for (push, checked) in pushes.iter().zip(checked) {
            let Some(last) = last.get_mut(push.user_id) else {
                answers.push(Err(AppError::Unauthenticated("this account no longer exists")));
                continue;
            };
            let kept = held.entry(push.user_id.to_owned()).or_default();
            let mut results = Vec::with_capacity(push.records.len());
            for (raw, record) in push.records.iter().zip(checked) {
                let record = match record {
                    Ok(record) => record,
                    Err(error) => {
                        let id = claimed_id(raw);
                        results.push(PushResult { id, outcome: Outcome::Rejected, seq: None, error: Some(error) });
                        continue;
                    }
                };
                let key = (push.user_id.to_owned(), record.id.clone());
                if let Some(existing) = current.get(&key).filter(|c| c.kind != record.kind.as_str()) {
                    results.push(PushResult {
                        id: Some(record.id.clone()),
                        outcome: Outcome::Rejected,
                        seq: None,
                        error: Some(RecordError {
                            code: "conflict".into(),
                            field: "kind".into(),
                            message: format!("this id is already a {}; a record keeps its kind", existing.kind),
                        }),
                    });
                    continue;
                }
                let digest = digest(&record);
                let seen_key = (key.0.clone(), key.1.clone(), digest.clone());
                let was_seen = seen.contains(&seen_key);
                let was_deleted = current.get(&key).is_some_and(|c| c.deleted);
                // The quotas count live records and their bodies: a record
                // that would take its owner past one is refused on its own
                // (the device keeps it and goes on syncing the rest), while
                // edits that do not grow and deletions always go through.
                let live_before = current.get(&key).filter(|c| !c.deleted);
                let bytes_before = live_before.map_or(0, |c| c.bytes);
                let bytes = if record.deleted { 0 } else { record.body.as_deref().map_or(0, str::len) as i64 };
                let version = Version { updated_at_ms: record.updated_at_ms, deleted: record.deleted };
                let would_store = !was_seen
                    && current.get(&key).is_none_or(|c| {
                        supersedes(version, Version { updated_at_ms: c.updated_at_ms, deleted: c.deleted })
                    });
                let records_after = kept.0 + i64::from(!record.deleted) - i64::from(live_before.is_some());
                let bytes_after = kept.1 + bytes - bytes_before;
                if would_store {
                    let over = if records_after > kept.0 && records_after > quota.records {
                        Some(format!("one person keeps at most {} records, and this account keeps {}", quota.records, kept.0))
                    } else if bytes_after > kept.1 && bytes_after > quota.bytes {
                        Some(format!(
                            "one person keeps at most {} bytes of records, and this account keeps {}",
                            quota.bytes, kept.1
                        ))
                    } else {
                        None
                    };
                    if let Some(over) = over {
                        results.push(PushResult {
                            id: Some(record.id.clone()),
                            outcome: Outcome::Rejected,
                            seq: None,
                            error: Some(RecordError {
                                code: "over_quota".into(),
                                field: "body".into(),
                                message: format!(
                                    "{over}: delete old entries, or ask whoever runs this server to raise the limit"
                                ),
                            }),
                        });
                        continue;
                    }
                }
                seen.insert(seen_key);
                let (outcome, seq) = decide(&record, current.get_mut(&key), was_seen, last);
                if !was_seen {
                    // After a deletion nothing of the record's content is kept.
                    versions.push(NewVersion {
                        user_id: push.user_id,
                        id: record.id.clone(),
                        digest,
                        updated_at_ms: record.updated_at_ms,
                        deleted: record.deleted,
                        body: if was_deleted { None } else { record.body.clone() },
                        received_at_ms: push.now,
                    });
                }
                if outcome == Outcome::Stored {
                    current.entry(key.clone()).or_insert_with(|| Current {
                        user_id: key.0.clone(),
                        id: record.id.clone(),
                        kind: record.kind.as_str().to_owned(),
                        seq: *last,
                        updated_at_ms: record.updated_at_ms,
                        deleted: record.deleted,
                        bytes: 0,
                    });
                    if let Some(stored) = current.get_mut(&key) {
                        stored.bytes = bytes;
                    }
                    (kept.0, kept.1) = (records_after, bytes_after);
                    if record.deleted {
                        wiped.push((push.user_id, record.id.clone()));
                    }
                    changed.insert(key, record.body.clone());
                }
                results.push(PushResult { id: Some(record.id), outcome, seq, error: None });
            }
            answers.push(Ok(results));
        }
        for chunk in versions.chunks(500) {
            let values: Vec<String> = (0..chunk.len()).map(|i| format!("({})", marks.list(1 + i * 7, 7))).collect();
            let statement = format!(
                "INSERT INTO record_versions (user_id, id, digest, updated_at_ms, deleted, body, received_at_ms) \
                 VALUES {} ON CONFLICT DO NOTHING",
                values.join(", ")
            );
            let mut query = sqlx::query(&statement).persistent(false);
            for v in chunk {
                query = query
                    .bind(v.user_id)
                    .bind(&v.id)
                    .bind(&v.digest)
                    .bind(v.updated_at_ms)
                    .bind(v.deleted)
                    .bind(v.body.as_deref())
                    .bind(v.received_at_ms);
            }
            query.execute(&mut *tx).await?;
        }
        for (user_id, id) in &wiped {
            sqlx::query("UPDATE record_versions SET body = NULL WHERE user_id = $1 AND id = $2")
                .bind(*user_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let changed: Vec<(&Current, Option<String>)> = changed
            .into_iter()
            .filter_map(|(key, body)| current.get(&key).map(|c| (c, body)))
            .collect();
        for chunk in changed.chunks(500) {
            let values: Vec<String> = (0..chunk.len()).map(|i| format!("({})", marks.list(1 + i * 7, 7))).collect();
            let statement = format!(
                "INSERT INTO records (user_id, id, kind, seq, updated_at_ms, deleted, body) VALUES {} \
                 ON CONFLICT (user_id, id) DO UPDATE SET seq = excluded.seq, updated_at_ms = excluded.updated_at_ms, \
                 deleted = excluded.deleted, body = excluded.body",
                values.join(", ")
            );
            let mut query = sqlx::query(&statement).persistent(false);
            for (c, body) in chunk {
                query = query
                    .bind(&c.user_id)
                    .bind(&c.id)
                    .bind(&c.kind)
                    .bind(c.seq)
                    .bind(c.updated_at_ms)
                    .bind(c.deleted)
                    .bind(body.as_deref());
            }
            query.execute(&mut *tx).await?;
        }
        let moved: Vec<(&String, &i64)> = last.iter().filter(|(user, seq)| start.get(*user) != Some(*seq)).collect();
        if !moved.is_empty() {
            let n = moved.len();
            let cases = |first: usize| -> String {
                (0..n).map(|i| format!(" WHEN {} THEN {}", marks.one(first + 2 * i), marks.one(first + 1 + 2 * i))).collect()
            };
            let statement = format!(
                "UPDATE users SET last_seq = CASE id{} ELSE last_seq END, records_kept = CASE id{} ELSE records_kept END, \
                 record_bytes_kept = CASE id{} ELSE record_bytes_kept END WHERE id IN ({})",
                cases(1),
                cases(1 + 2 * n),
                cases(1 + 4 * n),
                marks.list(1 + 6 * n, n)
            );
            let mut query = sqlx::query(&statement).persistent(false);
            for (user, seq) in &moved {
                query = query.bind(user.as_str()).bind(**seq);
            }
            for (user, _) in &moved {
                query = query.bind(user.as_str()).bind(held.get(user.as_str()).map_or(0, |h| h.0));
            }
            for (user, _) in &moved {
                query = query.bind(user.as_str()).bind(held.get(user.as_str()).map_or(0, |h| h.1));
            }
            for (user, _) in &moved {
                query = query.bind(user.as_str());
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
    });
    Ok(answers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_count_from_the_first_on_postgresql_and_are_anonymous_on_sqlite() {
        assert_eq!(Marks(Backend::Postgres).list(3, 3), "$3, $4, $5");
        assert_eq!(Marks(Backend::Sqlite).list(3, 3), "?, ?, ?");
        assert_eq!(Marks(Backend::Postgres).list(1, 0), "");
    }
}

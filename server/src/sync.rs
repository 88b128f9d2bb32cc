//! Sync: devices push batches of records and pull what changed after a
//! cursor. The protocol and its merge rule are documented in
//! [`stille_practice::sync`]; this module keeps them.
//!
//! Every version received is kept in `record_versions` under a digest of its
//! content, so a retried push is recognised and changes nothing; the current
//! version of each record is in `records` with the per-user sequence number of
//! its last change. A push is one transaction that first locks the user's row,
//! reads the batch's current versions and seen digests in two queries, decides
//! every record in memory, and writes the result in a few multi-row statements;
//! so one user's pushes are applied one at a time and sequence numbers are
//! handed out in commit order (a pull never skips a change that commits
//! later with a smaller number). The answer is sent only after the commit is
//! durable (SQLite `synchronous=FULL`, PostgreSQL's default synchronous commit).

use axum::Json;
use axum::extract::{RawQuery, State};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use stille_practice::sync::{
    Change, Checked, MAX_BATCH, MAX_PAGE, Outcome, PullResponse, Push, PushResponse, PushResult, RecordError,
    VERSION, Version, check, claimed_id, supersedes,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::accounts::session::Auth;
use crate::json::Body;
use crate::store::{BeginWrite, now_ms};
use crate::{AppError, AppState, Store, on_store};

/// The largest push body: 200 records of a few KB each.
pub const PUSH_LIMIT: usize = 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(pull, push))
}

/// Push up to 200 records (log entries, check-ins, reflections, settings).
/// Each is answered on its own — stored, duplicate (a retry), superseded (a
/// newer version or a deletion stays current) or rejected with the field at
/// fault — and the answer comes after the batch is durably committed.
#[utoipa::path(post, path = "/sync", tag = "sync", request_body = Push,
    security(("session_cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "One result per record, in order", body = PushResponse)))]
async fn push(
    State(state): State<AppState>,
    auth: Auth,
    Body(push): Body<Push, PUSH_LIMIT>,
) -> Result<Json<PushResponse>, AppError> {
    if push.records.len() > MAX_BATCH {
        return Err(AppError::invalid(
            "records",
            format!("{} records in one push; send at most {MAX_BATCH} at a time", push.records.len()),
        ));
    }
    let results = apply(&state.store, &auth.user.id, &push.records, now_ms()).await?;
    for result in &results {
        state.metrics.sync_record(result.outcome);
    }
    Ok(Json(PushResponse { results }))
}

/// A version's identity: what it says, not when it arrived.
fn digest(record: &Checked) -> String {
    let mut hash = Sha256::new();
    hash.update(record.kind.as_str().as_bytes());
    hash.update([0]);
    hash.update(record.updated_at_ms.to_be_bytes());
    hash.update([u8::from(record.deleted)]);
    hash.update(record.body.as_deref().unwrap_or("").as_bytes());
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A record's current version as the push sees it.
#[derive(Clone, Debug, sqlx::FromRow)]
struct Current {
    id: String,
    kind: String,
    seq: i64,
    updated_at_ms: i64,
    deleted: bool,
}

impl Current {
    fn version(&self) -> Version {
        Version { updated_at_ms: self.updated_at_ms, deleted: self.deleted }
    }
}

/// A version to add to the history.
#[derive(Debug)]
struct NewVersion {
    id: String,
    digest: String,
    updated_at_ms: i64,
    deleted: bool,
    body: Option<String>,
}

/// `$first, $first+1, …` for `count` values.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

/// What becomes of `record` given the current version (if any) and whether
/// exactly this version was seen before ([`supersedes`] decides); updates
/// `current` when it is stored.
fn decide(
    record: &Checked,
    current: Option<&mut Current>,
    seen: bool,
    last: &mut i64,
) -> (Outcome, Option<i64>, bool) {
    let version = Version { updated_at_ms: record.updated_at_ms, deleted: record.deleted };
    match current {
        Some(current) if seen => (Outcome::Duplicate, Some(current.seq), false),
        None if seen => (Outcome::Duplicate, None, false),
        Some(current) if !supersedes(version, current.version()) => {
            (Outcome::Superseded, Some(current.seq), false)
        }
        Some(current) => {
            *last += 1;
            current.seq = *last;
            current.updated_at_ms = record.updated_at_ms;
            current.deleted = record.deleted;
            (Outcome::Stored, Some(*last), true)
        }
        None => {
            *last += 1;
            (Outcome::Stored, Some(*last), true)
        }
    }
}

/// Checks and applies `records` for `user_id` in one durable transaction;
/// one result per record, in order. The merge is decided in memory from two
/// reads (the records' current versions and the digests already seen), then
/// written with a handful of statements, so a push holds SQLite's write lock
/// for a few statements, not three per record.
pub async fn apply(
    store: &Store,
    user_id: &str,
    records: &[Box<RawValue>],
    now: i64,
) -> Result<Vec<PushResult>, AppError> {
    let checked: Vec<Result<Checked, RecordError>> = records.iter().map(|raw| check(raw, now)).collect();
    let mut ids: Vec<&str> = checked.iter().filter_map(|c| c.as_ref().ok().map(|c| c.id.as_str())).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut results = Vec::with_capacity(records.len());
    on_store!(store, pool => {
        let mut tx = pool.begin_write().await?;
        // Locks the user's row (PostgreSQL) for the rest of the transaction,
        // so this user's pushes apply one at a time.
        let (mut last,): (i64,) = sqlx::query_as("UPDATE users SET last_seq = last_seq WHERE id = $1 RETURNING last_seq")
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
        let start = last;
        let mut current: std::collections::HashMap<String, Current> = std::collections::HashMap::new();
        let mut seen: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
        if !ids.is_empty() {
            let sql = format!(
                "SELECT id, kind, seq, updated_at_ms, deleted FROM records WHERE user_id = $1 AND id IN ({})",
                placeholders(2, ids.len())
            );
            let mut query = sqlx::query_as::<_, Current>(&sql).bind(user_id);
            for id in &ids {
                query = query.bind(*id);
            }
            for row in query.fetch_all(&mut *tx).await? {
                current.insert(row.id.clone(), row);
            }
            let sql = format!(
                "SELECT id, digest FROM record_versions WHERE user_id = $1 AND id IN ({})",
                placeholders(2, ids.len())
            );
            let mut query = sqlx::query_as::<_, (String, String)>(&sql).bind(user_id);
            for id in &ids {
                query = query.bind(*id);
            }
            seen.extend(query.fetch_all(&mut *tx).await?);
        }
        let mut versions: Vec<NewVersion> = Vec::new();
        let mut changed: Vec<(String, Option<String>)> = Vec::new();
        let mut wiped: Vec<String> = Vec::new();
        for (raw, record) in records.iter().zip(checked) {
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    let id = claimed_id(raw);
                    results.push(PushResult { id, outcome: Outcome::Rejected, seq: None, error: Some(error) });
                    continue;
                }
            };
            if let Some(existing) = current.get(&record.id).filter(|c| c.kind != record.kind.as_str()) {
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
            let was_seen = !seen.insert((record.id.clone(), digest.clone()));
            let was_deleted = current.get(&record.id).is_some_and(|c| c.deleted);
            let (outcome, seq, stored) = decide(&record, current.get_mut(&record.id), was_seen, &mut last);
            if !was_seen {
                // After a deletion nothing of the record's content is kept.
                versions.push(NewVersion {
                    id: record.id.clone(),
                    digest,
                    updated_at_ms: record.updated_at_ms,
                    deleted: record.deleted,
                    body: if was_deleted { None } else { record.body.clone() },
                });
            }
            if stored {
                current.entry(record.id.clone()).or_insert_with(|| Current {
                    id: record.id.clone(),
                    kind: record.kind.as_str().to_owned(),
                    seq: last,
                    updated_at_ms: record.updated_at_ms,
                    deleted: record.deleted,
                });
                changed.retain(|(id, _)| id != &record.id);
                changed.push((record.id.clone(), record.body.clone()));
                if record.deleted {
                    wiped.push(record.id.clone());
                }
            }
            results.push(PushResult { id: Some(record.id), outcome, seq, error: None });
        }
        for chunk in versions.chunks(500) {
            let mut statement = String::from(
                "INSERT INTO record_versions (user_id, id, digest, updated_at_ms, deleted, body, received_at_ms) VALUES ",
            );
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("($1, {}, $2)", placeholders(3 + i * 5, 5)))
                .collect();
            statement.push_str(&values.join(", "));
            statement.push_str(" ON CONFLICT DO NOTHING");
            let mut query = sqlx::query(&statement).bind(user_id).bind(now);
            for v in chunk {
                query = query.bind(&v.id).bind(&v.digest).bind(v.updated_at_ms).bind(v.deleted).bind(v.body.as_deref());
            }
            query.execute(&mut *tx).await?;
        }
        for id in &wiped {
            sqlx::query("UPDATE record_versions SET body = NULL WHERE user_id = $1 AND id = $2")
                .bind(user_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        for chunk in changed.chunks(500) {
            let values: Vec<String> = (0..chunk.len()).map(|i| format!("($1, {})", placeholders(2 + i * 6, 6))).collect();
            let statement = format!(
                "INSERT INTO records (user_id, id, kind, seq, updated_at_ms, deleted, body) VALUES {} \
                 ON CONFLICT (user_id, id) DO UPDATE SET seq = excluded.seq, updated_at_ms = excluded.updated_at_ms, \
                 deleted = excluded.deleted, body = excluded.body",
                values.join(", ")
            );
            let mut query = sqlx::query(&statement).bind(user_id);
            for (id, body) in chunk {
                let c = &current[id];
                query = query.bind(id).bind(&c.kind).bind(c.seq).bind(c.updated_at_ms).bind(c.deleted).bind(body.as_deref());
            }
            query.execute(&mut *tx).await?;
        }
        if last != start {
            sqlx::query("UPDATE users SET last_seq = $1 WHERE id = $2").bind(last).bind(user_id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
    });
    Ok(results)
}

#[derive(Debug, sqlx::FromRow)]
struct ChangeRow {
    seq: i64,
    id: String,
    kind: String,
    updated_at_ms: i64,
    deleted: bool,
    body: Option<String>,
}

impl ChangeRow {
    fn into_change(self) -> Result<Change, AppError> {
        let kind = stille_practice::sync::Kind::parse(&self.kind).ok_or_else(|| {
            AppError::Internal(format!("stored record {} has unknown kind {:?}", self.id, self.kind))
        })?;
        // Sent as stored: the push kept it as checked, canonical JSON.
        let body = match self.body {
            Some(text) => Some(
                RawValue::from_string(text)
                    .map_err(|e| AppError::Internal(format!("stored record {} is not JSON: {e}", self.id)))?,
            ),
            None => None,
        };
        Ok(Change {
            seq: self.seq,
            id: self.id,
            kind,
            updated_at_ms: self.updated_at_ms,
            deleted: self.deleted,
            body,
        })
    }
}

/// The current version of every record changed after `after`, up to `limit`.
pub async fn changes(
    store: &Store,
    user_id: &str,
    after: i64,
    limit: usize,
    version: u32,
) -> Result<PullResponse, AppError> {
    let fetch = i64::try_from(limit + 1).unwrap_or(i64::MAX);
    let rows: Vec<ChangeRow> = on_store!(store, pool => {
        sqlx::query_as(
            "SELECT seq, id, kind, updated_at_ms, deleted, body FROM records \
             WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(user_id)
        .bind(after)
        .bind(fetch)
        .fetch_all(pool)
        .await?
    });
    let more = rows.len() > limit;
    let rows: Vec<ChangeRow> = rows.into_iter().take(limit).collect();
    // The cursor passes records an older client is not sent: it could not
    // read them, and it starts again from 0 once updated (the app keeps the
    // protocol its cursor was made with).
    let cursor = rows.last().map_or(after, |r| r.seq);
    let changes = rows
        .into_iter()
        .map(ChangeRow::into_change)
        .filter(|c| c.as_ref().map_or(true, |c| c.kind.since() <= version))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PullResponse { changes, cursor, more })
}

/// Pull the current version of every record changed after `after`.
#[utoipa::path(get, path = "/sync", tag = "sync",
    params(
        ("after" = Option<i64>, Query, description = "A cursor from an earlier pull; 0 (the default) for everything"),
        ("limit" = Option<u32>, Query, description = "At most this many changes, 1–500 (default 500)"),
        ("version" = Option<u32>, Query, description = "The sync protocol the client speaks (default 1): kinds from a later version are left out"),
    ),
    security(("session_cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "Changes in sequence order", body = PullResponse)))]
async fn pull(
    State(state): State<AppState>,
    auth: Auth,
    RawQuery(query): RawQuery,
) -> Result<Json<PullResponse>, AppError> {
    let mut after = 0i64;
    let mut limit = MAX_PAGE;
    let mut version = 1;
    for pair in query.as_deref().unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "after" => {
                after = value.parse().ok().filter(|n| *n >= 0).ok_or_else(|| {
                    AppError::invalid("after", "after is a cursor: 0 or a number a pull returned")
                })?;
            }
            "limit" => {
                limit = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_PAGE).contains(n))
                    .ok_or_else(|| AppError::invalid("limit", format!("limit is 1 to {MAX_PAGE}")))?;
            }
            "version" => {
                version = value.parse().ok().filter(|n| (1..=VERSION).contains(n)).ok_or_else(|| {
                    AppError::invalid("version", format!("version is the sync protocol, 1 to {VERSION}"))
                })?;
            }
            other => {
                return Err(AppError::invalid(
                    other,
                    "unknown query parameter; use after, limit and version",
                ));
            }
        }
    }
    Ok(Json(changes(&state.store, &auth.user.id, after, limit, version).await?))
}

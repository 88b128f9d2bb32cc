//! Sync: devices push batches of records and pull what changed after a
//! cursor. The protocol and its merge rule are documented in
//! [`stille_practice::sync`]; this module keeps them.
//!
//! Every version received is kept in `record_versions` under a digest of its
//! content, so a retried push is recognised and changes nothing; the current
//! version of each record is in `records` with the per-user sequence number of
//! its last change. Pushes are applied by [`writer`]: those that arrive
//! together share one transaction (group commit), which locks the users' rows,
//! reads the current versions and seen digests, decides every record in
//! memory and writes the result in a few multi-row statements; so one user's
//! pushes are applied one at a time and sequence numbers are handed out in
//! commit order (a pull never skips a change that commits later with a
//! smaller number). The answer is sent only after the commit is durable
//! (SQLite `synchronous=FULL`, PostgreSQL's default synchronous commit).

use axum::Json;
use axum::extract::{RawQuery, State};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use stille_practice::sync::{
    Change, Checked, MAX_BATCH, MAX_PAGE, PullResponse, Push, PushResponse, VERSION,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::accounts::session::Auth;
use crate::json::Body;
use crate::store::now_ms;
use crate::{AppError, AppState, Store, on_store};

pub mod writer;
pub use writer::Writer;

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
    let results = state.sync.push(&auth.user.id, push.records, now_ms()).await?;
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

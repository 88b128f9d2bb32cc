//! Keeping stored data in bounds, on a timer ([`EVERY`], six hours) in each instance
//! (on PostgreSQL several may sweep at once; each delete is idempotent):
//!
//! - superseded record versions: `record_versions` keeps every version a
//!   device sent, so a retried push is recognised as a duplicate. A version
//!   older than its record's current one, received more than the retention
//!   window ago (`--keep-versions-days`, default 30), is deleted: a device
//!   retrying it after that long is told "superseded" instead of
//!   "duplicate", which settles it the same way. The current version, and
//!   any as new as it, are kept.
//! - sessions past their idle or absolute limit (they are refused when
//!   presented anyway; this removes those never presented again).
//!
//! Attempt-limit windows are swept every minute by the limits themselves.

use std::time::Duration;

use crate::accounts::session::{ABSOLUTE, IDLE};
use crate::store::{BeginWrite, now_ms};
use crate::{Store, on_store};

/// How often [`sweep`] runs.
pub const EVERY: Duration = Duration::from_secs(6 * 3600);
/// The default time a superseded version is kept.
pub const KEEP_VERSIONS_DAYS: u32 = 30;

/// What one sweep removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub versions: u64,
    pub sessions: u64,
}

fn ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// Versions deleted per transaction, so a sweep never holds SQLite's write
/// lock (or PostgreSQL's row locks) for long.
const BATCH: i64 = 1_000;

/// Deletes superseded versions received more than `keep` before `now`, and
/// sessions expired at `now`.
pub async fn sweep(store: &Store, now: i64, keep: Duration) -> Result<Swept, sqlx::Error> {
    let before = now - ms(keep);
    let mut swept = Swept::default();
    loop {
        let deleted = on_store!(store, pool => {
            // One write at a time on SQLite, between pushes.
            let mut tx = pool.begin_write().await?;
            let deleted = sqlx::query(
                "DELETE FROM record_versions WHERE (user_id, id, digest) IN (\
                 SELECT v.user_id, v.id, v.digest FROM record_versions v JOIN records r \
                 ON r.user_id = v.user_id AND r.id = v.id \
                 WHERE v.received_at_ms < $1 AND r.updated_at_ms > v.updated_at_ms LIMIT $2)",
            )
            .bind(before)
            .bind(BATCH)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            deleted
        });
        swept.versions += deleted;
        if deleted < BATCH as u64 {
            break;
        }
    }
    swept.sessions = on_store!(store, pool => {
        sqlx::query("DELETE FROM sessions WHERE last_seen_ms < $1 OR created_at_ms < $2")
            .bind(now - ms(IDLE))
            .bind(now - ms(ABSOLUTE))
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(swept)
}

/// Sweeps every [`EVERY`] until the server stops.
pub async fn run(store: Store, keep: Duration) {
    let mut every = tokio::time::interval(EVERY);
    // The first tick is at once: the first sweep comes one period after
    // starting, so restarts (and instances starting together) do not sweep.
    every.tick().await;
    loop {
        every.tick().await;
        match sweep(&store, now_ms(), keep).await {
            Ok(swept) if swept != Swept::default() => {
                tracing::info!(versions = swept.versions, sessions = swept.sessions, "swept stored data");
            }
            Ok(_) => {}
            Err(error) => tracing::warn!("the sweep of stored data failed: {error}"),
        }
    }
}

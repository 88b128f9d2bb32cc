//! The store: where accounts, courses and practice logs are kept.
//!
//! SQLite (one file in the data directory) is the default, so one binary serves
//! a practice or a small municipality with nothing else to install; PostgreSQL
//! is chosen by a `postgres://` URL when several server instances share one
//! database. Each backend has its own migrations (`migrations/sqlite`,
//! `migrations/postgres`) because their SQL dialects differ in types and
//! defaults. The queries themselves are written once: each resource module
//! (`accounts`, `courses`, `sync`, …) runs the same SQL text on either pool
//! through [`on_store!`], with `$1`-style parameters (which SQLite accepts too)
//! and only types both databases decode alike (`i64`, `i32`, `bool`, `String`).
//! The trade-off: no compile-time-checked `query!` macros (they are tied to one
//! database), so every query is exercised by the API tests on both stores.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::{Config, StartError};

/// Runs `$body` with `$pool` bound to whichever pool the store holds. The body
/// is compiled twice, once per backend, so the same SQL and Rust serve both.
#[macro_export]
macro_rules! on_store {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::Store::Sqlite($pool) => $body,
            $crate::Store::Postgres($pool) => $body,
        }
    };
}

/// Starting a write transaction. On SQLite, writers take turns in this
/// process (one lane per database file) and then take the write lock at once
/// (`BEGIN IMMEDIATE`): without the lane, waiting writers poll SQLite's busy
/// handler, which sleeps in growing steps and left the sync benchmark's p99 at
/// 670 ms. On PostgreSQL each transaction locks the rows it changes.
pub trait BeginWrite {
    type Db: sqlx::Database;
    fn begin_write(&self)
    -> impl std::future::Future<Output = Result<WriteTx<Self::Db>, sqlx::Error>> + Send;
}

/// A write transaction, holding its SQLite writer lane until it ends. Used as
/// the connection (`&mut *tx`); `commit` makes it durable, dropping it rolls back.
#[derive(Debug)]
pub struct WriteTx<DB: sqlx::Database> {
    tx: sqlx::Transaction<'static, DB>,
    _lane: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl<DB: sqlx::Database> WriteTx<DB> {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl<DB: sqlx::Database> std::ops::Deref for WriteTx<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        &self.tx
    }
}

impl<DB: sqlx::Database> std::ops::DerefMut for WriteTx<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        &mut self.tx
    }
}

/// The writer lane of each SQLite file open in this process.
fn sqlite_lane(file: &Path) -> Arc<tokio::sync::Mutex<()>> {
    static LANES: OnceLock<std::sync::Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let mut lanes =
        LANES.get_or_init(Default::default).lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    lanes.entry(file.to_path_buf()).or_default().clone()
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<WriteTx<sqlx::Sqlite>, sqlx::Error> {
        let lane = sqlite_lane(self.connect_options().get_filename()).lock_owned().await;
        let tx = self.begin_with("BEGIN IMMEDIATE").await?;
        Ok(WriteTx { tx, _lane: Some(lane) })
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> Result<WriteTx<sqlx::Postgres>, sqlx::Error> {
        Ok(WriteTx { tx: self.begin().await?, _lane: None })
    }
}

/// Whether `error` is a unique-constraint violation (an id or email taken).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    error.as_database_error().is_some_and(|e| e.is_unique_violation())
}

/// Bytes as lower-case hex (hashes and secrets as stored).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a hex text [`hex`] wrote; None if it is not hex.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// Now, in ms since 1970-01-01 UTC.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A new server-made id: a UUIDv7, so ids sort by creation time.
pub fn new_id() -> Result<String, crate::AppError> {
    let mut random = [0u8; 10];
    getrandom::getrandom(&mut random)
        .map_err(|e| crate::AppError::Internal(format!("no randomness: {e}")))?;
    Ok(stille_practice::log::uuid_v7(u64::try_from(now_ms()).unwrap_or(0), random))
}

/// Which database a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A connection pool to the configured database. Cheap to clone.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Store {
    /// Opens (creating when needed) and migrates the database that `config`
    /// names.
    pub async fn open(config: &Config) -> Result<Store, StartError> {
        match Store::sqlite_file(config)? {
            Some(file) => Store::open_sqlite(&file).await,
            None => Store::open_postgres(config.database_url.as_deref().unwrap_or_default()).await,
        }
    }

    /// The SQLite file `config` names (`stille.db` in the data directory,
    /// or `sqlite:path`); None for PostgreSQL.
    pub fn sqlite_file(config: &Config) -> Result<Option<std::path::PathBuf>, StartError> {
        match &config.database_url {
            None => Ok(Some(config.data_dir.join("stille.db"))),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => Ok(None),
            Some(url) => match url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
                Some(path) if !path.is_empty() && !path.starts_with(':') => {
                    Ok(Some(Path::new(path).to_path_buf()))
                }
                _ => Err(StartError::DatabaseUrl(redact(url))),
            },
        }
    }

    async fn open_sqlite(file: &Path) -> Result<Store, StartError> {
        let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        ensure_writable_dir(dir)?;
        owner_only(file).map_err(|source| StartError::DataDir { path: file.to_path_buf(), source })?;
        let options = SqliteConnectOptions::new()
            .filename(file)
            .create_if_missing(true)
            // WAL lets readers run beside the one writer; FULL makes a commit
            // durable before we acknowledge it (a sync push that was answered
            // "stored" must survive a power cut).
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // Erased accounts are overwritten on disk, not only unlinked
            // from the database's pages.
            .pragma("secure_delete", "ON")
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|source| StartError::Database { backend: "sqlite", source })?;
        sqlx::migrate!("migrations/sqlite")
            .run(&pool)
            .await
            .map_err(|source| StartError::Migrate { backend: "sqlite", source })?;
        Ok(Store::Sqlite(pool))
    }

    async fn open_postgres(url: &str) -> Result<Store, StartError> {
        let options = PgConnectOptions::from_str(url).map_err(|_| StartError::DatabaseUrl(redact(url)))?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(|source| StartError::Database { backend: "postgres", source })?;
        sqlx::migrate!("migrations/postgres")
            .run(&pool)
            .await
            .map_err(|source| StartError::Migrate { backend: "postgres", source })?;
        Ok(Store::Postgres(pool))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// A round trip to the database.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        match self {
            Store::Sqlite(pool) => sqlx::query("SELECT 1").execute(pool).await.map(drop),
            Store::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await.map(drop),
        }
    }

    /// When this installation's database was created (ISO 8601, UTC).
    pub async fn created_at(&self) -> Result<String, sqlx::Error> {
        const SQL: &str = "SELECT value FROM meta WHERE key = 'created_at'";
        match self {
            Store::Sqlite(pool) => sqlx::query_scalar(SQL).fetch_one(pool).await,
            Store::Postgres(pool) => sqlx::query_scalar(SQL).fetch_one(pool).await,
        }
    }

    /// Waits for connections in use to be returned, then closes them all.
    pub async fn close(&self) {
        match self {
            Store::Sqlite(pool) => pool.close().await,
            Store::Postgres(pool) => pool.close().await,
        }
    }
}

/// Creates `dir` if needed and proves it is writable by writing a file, so a
/// read-only or misnamed directory is reported at start-up, not at the first
/// sync push.
/// Creates the database file readable and writable by this user only (SQLite
/// gives its `-wal` and `-shm` files the same mode), or narrows an existing
/// one to that: it holds people's health-related notes.
fn owner_only(file: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    fs::OpenOptions::new().create(true).append(true).mode(0o600).open(file)?;
    for path in [file.to_path_buf(), suffixed(file, "-wal"), suffixed(file, "-shm")] {
        match fs::metadata(&path) {
            Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                fs::set_permissions(&path, fs::Permissions::from_mode(0o600))?;
            }
            _ => {}
        }
    }
    Ok(())
}

fn suffixed(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn ensure_writable_dir(dir: &Path) -> Result<(), StartError> {
    let fail = |source| StartError::DataDir { path: dir.to_path_buf(), source };
    fs::create_dir_all(dir).map_err(fail)?;
    let probe: PathBuf = dir.join(".stille-write-test");
    fs::write(&probe, b"ok").map_err(fail)?;
    fs::remove_file(&probe).map_err(fail)
}

/// The URL with any password replaced (in the user part or a `password=`
/// query parameter), for error messages and logs.
fn redact(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let mut out = match (base.find("://"), base.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &base[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &base[..scheme_end + 3], &base[at..]),
                None => base.to_owned(),
            }
        }
        _ => base.to_owned(),
    };
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://stille:s3cret@db/stille"), "postgres://stille:***@db/stille");
        assert_eq!(redact("postgres://stille@db/stille"), "postgres://stille@db/stille");
        assert_eq!(redact("mysql://x"), "mysql://x");
        assert_eq!(
            redact("postgres://db/stille?password=s3cret&sslmode=require"),
            "postgres://db/stille?password=***&sslmode=require"
        );
    }
}

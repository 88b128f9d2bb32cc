//! `stille-server admin backup` and `admin restore`, for a server on SQLite.
//!
//! A backup is a directory: `stille.db`, a consistent copy of the database
//! made while the server runs (SQLite's `VACUUM INTO`, one read transaction:
//! every push acknowledged before it began is in it, none half), and, when
//! the recordings' audio is kept in the data directory, `recordings/` with
//! every audio file. The copy is checked (`PRAGMA integrity_check`) before
//! the command says it is done.
//!
//! The key that seals the two-step secrets ([`crate::secrets`]) is copied
//! into the backup as `secrets.key` too: the database alone does not open
//! them, and a server refuses to start on a database sealed with another
//! key. Keep backups as safe as the data directory.
//!
//! A restore goes into a data directory without a database, so nothing
//! kept is ever overwritten: the copy is checked again, written beside its
//! place and renamed into it once on disk. The server migrates it on start
//! if the backup is older than the server.
//!
//! On PostgreSQL use the database's own tools (`pg_dump`, or continuous
//! archiving for point-in-time recovery): see README.

use std::path::{Path, PathBuf};

use sqlx::ConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use crate::secrets::Sealer;
use crate::{AppError, Store};

/// The database's file name, in a data directory and in a backup.
pub const DATABASE: &str = "stille.db";

/// What a backup or restore holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub accounts: i64,
    pub records: i64,
    pub database_bytes: u64,
    pub audio_files: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} accounts, {} records, a database of {:.1} MB and {} audio files",
            self.accounts,
            self.records,
            self.database_bytes as f64 / 1e6,
            self.audio_files
        )
    }
}

fn io(doing: &str, path: &Path) -> impl Fn(std::io::Error) -> AppError {
    let what = format!("{doing} {}", path.display());
    move |e| AppError::Internal(format!("cannot {what}: {e}"))
}

/// A directory that does not exist yet, or is empty: made, owner only.
fn empty_dir(dir: &Path) -> Result<(), AppError> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io("read", dir))?;
        if entries.next().is_some() {
            return Err(AppError::invalid(
                "to",
                format!("{} is not empty: a backup goes into a new directory", dir.display()),
            ));
        }
    } else {
        std::fs::create_dir_all(dir).map_err(io("make", dir))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io("protect", dir))?;
    }
    Ok(())
}

/// Readable and writable by the owner only (the file holds health data).
fn owner_only(file: &Path) -> Result<(), AppError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))
            .map_err(io("protect", file))?;
    }
    Ok(())
}

/// Copies every file under `from` that `to` lacks (audio files are named
/// by their content, so a file of the same name is the same file).
fn copy_tree(from: &Path, to: &Path) -> Result<usize, AppError> {
    if !from.is_dir() {
        return Ok(0);
    }
    std::fs::create_dir_all(to).map_err(io("make", to))?;
    let mut copied = 0;
    for entry in std::fs::read_dir(from).map_err(io("read", from))? {
        let entry = entry.map_err(io("read", from))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().map_err(io("read", &source))?.is_dir() {
            copied += copy_tree(&source, &target)?;
        } else if !target.exists() {
            let part = target.with_extension("part");
            std::fs::copy(&source, &part).map_err(io("copy", &source))?;
            std::fs::File::open(&part).and_then(|f| f.sync_all()).map_err(io("write", &part))?;
            std::fs::rename(&part, &target).map_err(io("write", &target))?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// Opens a database file on its own, read-only, checks it whole and counts
/// what it holds.
async fn check(file: &Path) -> Result<Summary, AppError> {
    let options = SqliteConnectOptions::new().filename(file).read_only(true);
    let mut db: SqliteConnection = options
        .connect()
        .await
        .map_err(|e| AppError::invalid("from", format!("{} is not a database: {e}", file.display())))?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut db)
        .await
        .map_err(|e| AppError::invalid("from", format!("{} is not a database: {e}", file.display())))?;
    if integrity != "ok" {
        return Err(AppError::invalid("from", format!("{} is damaged: {integrity}", file.display())));
    }
    let counts: Result<(i64, i64), sqlx::Error> =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM records)")
            .fetch_one(&mut db)
            .await;
    let (accounts, records) = counts.map_err(|_| {
        AppError::invalid("from", format!("{} is a database, but not Stille's", file.display()))
    })?;
    let database_bytes = std::fs::metadata(file).map_err(io("read", file))?.len();
    Ok(Summary { accounts, records, database_bytes, audio_files: 0 })
}

/// Backs the store up into the new directory `to`, with the key for stored
/// secrets in `secrets_key` (when there is one) and the audio under
/// `data_dir/recordings` when `local_audio`.
pub async fn backup(
    store: &Store,
    data_dir: &Path,
    local_audio: bool,
    secrets_key: &Path,
    to: &Path,
) -> Result<Summary, AppError> {
    let Store::Sqlite(pool) = store else {
        return Err(AppError::invalid(
            "database_url",
            "with PostgreSQL, back up with pg_dump (or continuous archiving): see README, \"Backups\"",
        ));
    };
    empty_dir(to)?;
    let file = to.join(DATABASE);
    let target = file.to_str().ok_or_else(|| AppError::invalid("to", "the path is not UTF-8"))?;
    // The key must be the database's: a backup without it cannot be restored.
    let key = Sealer::read(secrets_key).map_err(|e| AppError::invalid("secrets_key_file", e.to_string()))?;
    let fits = match &key {
        Some(key) => key.is_key_of(store).await?,
        None => crate::secrets::database_has_key(store).await?.then_some(false),
    };
    if fits == Some(false) {
        return Err(AppError::invalid(
            "secrets_key_file",
            format!(
                "{} is not the key this database's secrets are sealed with; back up with the server's own \
                 --secrets-key-file",
                secrets_key.display()
            ),
        ));
    }
    if key.is_some() {
        let kept = to.join(crate::secrets::KEY_FILE);
        std::fs::copy(secrets_key, &kept).map_err(io("copy", secrets_key))?;
        owner_only(&kept)?;
    }
    sqlx::query("VACUUM INTO $1").bind(target).execute(pool).await?;
    owner_only(&file)?;
    let mut summary = check(&file).await?;
    // After the database: every file it names was written before its row.
    if local_audio {
        summary.audio_files = copy_tree(&data_dir.join("recordings"), &to.join("recordings"))?;
    }
    Ok(summary)
}

/// Restores the backup in `from` as the database file `target` (the one
/// the server opens, in `data_dir` unless `--database-url` names another),
/// with the audio into `data_dir` and the backup's key for stored secrets as
/// `secrets_key` (the file the server reads it from). Nothing there may hold
/// a database yet, nor another key.
pub async fn restore(
    from: &Path,
    data_dir: &Path,
    target: &Path,
    secrets_key: &Path,
) -> Result<Summary, AppError> {
    let source = from.join(DATABASE);
    if !source.is_file() {
        return Err(AppError::invalid("from", format!("{} has no {DATABASE}: not a backup", from.display())));
    }
    // A database's own files too: a write-ahead log left beside it would be
    // replayed onto the restored copy.
    let beside = |suffix: &str| PathBuf::from(format!("{}{suffix}", target.display()));
    if let Some(there) = ["", "-wal", "-shm", "-journal"].map(beside).into_iter().find(|p| p.exists()) {
        return Err(AppError::invalid(
            "data_dir",
            format!(
                "{} is there already; restore into a new data directory and start the server on that",
                there.display()
            ),
        ));
    }
    let mut summary = check(&source).await?;
    let key_file = from.join(crate::secrets::KEY_FILE);
    let key = Sealer::read(&key_file).map_err(|e| AppError::invalid("from", e.to_string()))?;
    let there =
        Sealer::read(secrets_key).map_err(|e| AppError::invalid("secrets_key_file", e.to_string()))?;
    if let (Some(key), Some(there)) = (&key, &there)
        && !key.same_key(there)
    {
        return Err(AppError::invalid(
            "secrets_key_file",
            format!(
                "{} holds another key than the backup's; restore with a new key file (--secrets-key-file) \
                 or move that one away",
                secrets_key.display()
            ),
        ));
    }
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io("make", dir))?;
    // The key and the audio first: the database, which needs them, comes last.
    let wrote_key = key.is_some() && there.is_none();
    if wrote_key {
        let bytes = std::fs::read(&key_file).map_err(io("read", &key_file))?;
        crate::secrets::write_new_private(secrets_key, &bytes).map_err(io("write", secrets_key))?;
    }
    let database = restore_database(from, data_dir, target, &source);
    if database.is_err() && wrote_key {
        // Nothing of a failed restore is left behind to refuse the next one.
        let _ = std::fs::remove_file(secrets_key);
    }
    summary.audio_files = database?;
    Ok(summary)
}

/// The audio, then the database file, of a restore; how many audio files.
fn restore_database(from: &Path, data_dir: &Path, target: &Path, source: &Path) -> Result<usize, AppError> {
    let beside = |suffix: &str| PathBuf::from(format!("{}{suffix}", target.display()));
    let audio_files = copy_tree(&from.join("recordings"), &data_dir.join("recordings"))?;
    let part = beside(".restoring");
    std::fs::copy(source, &part).map_err(io("copy", source))?;
    owner_only(&part)?;
    std::fs::File::open(&part).and_then(|f| f.sync_all()).map_err(io("write", &part))?;
    // A link fails if a database appeared meanwhile (a server started on
    // the directory): nothing is overwritten, even then.
    let linked = std::fs::hard_link(&part, target);
    let _ = std::fs::remove_file(&part);
    linked.map_err(io("write", target))?;
    Ok(audio_files)
}

//! Secrets the server must read back but the database must not give away:
//! today the two-step sign-in secrets (TOTP). They are sealed with
//! AES-256-GCM under a key kept outside the database, in a file (by default
//! `secrets.key` in the data directory, made at the first start, readable by
//! the server's user only), so a copy of the database alone (a leaked dump,
//! a replica, the database host) does not let anyone make a person's codes.
//!
//! A sealed value is `v1.` and the hex of a fresh 12-byte nonce and the
//! ciphertext, in its own column (`totp_sealed`, `totp_pending_sealed`); the
//! associated data names the account and the column, so a sealed secret
//! copied to another account, or from the pending column to the confirmed
//! one, does not open.
//!
//! The old columns (`totp_secret`, `totp_pending`) keep saying whether
//! two-step sign-in is on, but hold a decoy derived from the sealed value,
//! never the secret. A version from before sealing, started on this database
//! (a rollback, an instance not yet upgraded), takes the decoy for the
//! secret: it asks for a code that no authenticator shows, so it fails
//! closed, never letting anyone in on the password alone. A value there that
//! is not the decoy of its sealed value was written by such a version, in the
//! clear: it is read as it is and sealed at the next start.
//!
//! The database keeps the key's fingerprint (an HMAC of a fixed text): a
//! server started with another key, or without its key, refuses to start and
//! says why, instead of failing every two-step sign-in.

use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::on_store;
use crate::store::{Store, hex, now_ms, unhex};
use crate::{AppError, StartError};

/// The key file's name in the data directory, by default.
pub const KEY_FILE: &str = "secrets.key";
const SEALED: &str = "v1.";
const NONCE_LEN: usize = 12;

/// Seals and opens secrets with this server's key.
pub struct Sealer {
    cipher: Aes256Gcm,
    fingerprint: String,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealer").field("fingerprint", &self.fingerprint).finish_non_exhaustive()
    }
}

/// A sealed secret's place: its account's column pair.
#[derive(Clone, Copy, Debug)]
pub enum Column {
    TotpSecret,
    TotpPending,
}

impl Column {
    /// The column that says whether there is a secret (the decoy's).
    pub fn name(self) -> &'static str {
        match self {
            Column::TotpSecret => "totp_secret",
            Column::TotpPending => "totp_pending",
        }
    }

    /// The column with the sealed secret.
    pub fn sealed_name(self) -> &'static str {
        match self {
            Column::TotpSecret => "totp_sealed",
            Column::TotpPending => "totp_pending_sealed",
        }
    }
}

fn associated(user_id: &str, column: Column) -> String {
    format!("stille users.{} {user_id}", column.name())
}

/// What the old column holds beside `sealed`: 20 bytes as hex, the shape of a
/// secret, derived from the sealed value (so it tells a value an earlier
/// version wrote from one of ours) and useless without the key.
pub fn decoy(sealed: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(b"stille two-step decoy v1 ");
    hash.update(sealed.as_bytes());
    hex(&hash.finalize()[..20])
}

/// The fingerprint the database keeps, if a key was tied to it.
async fn stored_fingerprint(store: &Store) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = on_store!(store, pool => {
        sqlx::query_as("SELECT fingerprint FROM secrets_key WHERE id = 1").fetch_optional(pool).await?
    });
    Ok(row.map(|r| r.0))
}

/// Whether a key was tied to the database (its secrets are sealed with one).
pub async fn database_has_key(store: &Store) -> Result<bool, AppError> {
    Ok(stored_fingerprint(store).await?.is_some())
}

impl Sealer {
    /// A sealer with `key` (32 bytes).
    pub fn new(key: &[u8; 32]) -> Sealer {
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
        mac.update(b"stille secrets key fingerprint v1");
        let fingerprint = hex(&mac.finalize().into_bytes()[..16]);
        Sealer { cipher: Aes256Gcm::new(key.into()), fingerprint }
    }

    /// The key file the configuration names, or the data directory's.
    pub fn path_for(configured: Option<&Path>, data_dir: &Path) -> PathBuf {
        configured.map_or_else(|| data_dir.join(KEY_FILE), Path::to_owned)
    }

    /// The key in `path` (64 hex digits), or None when there is no file.
    pub fn read(path: &Path) -> Result<Option<Sealer>, StartError> {
        let problem = |reason: String| StartError::SecretsKey { path: path.to_owned(), reason };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(problem(format!("it could not be read: {error}"))),
        };
        let key = unhex(&text.trim().to_ascii_lowercase())
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .ok_or_else(|| problem("it does not hold a key (64 hexadecimal digits)".into()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0) {
                tracing::warn!(
                    "the key for stored secrets in {} can be read by others than its owner: chmod 600 it",
                    path.display()
                );
            }
        }
        Ok(Some(Sealer::new(&key)))
    }

    /// The key in `path`, made there (readable by this user only) when
    /// there is no file yet. Two servers making it at once get the same key.
    pub fn load_or_create(path: &Path) -> Result<Sealer, StartError> {
        if let Some(sealer) = Sealer::read(path)? {
            return Ok(sealer);
        }
        let problem = |reason: String| StartError::SecretsKey { path: path.to_owned(), reason };
        let mut key = [0u8; 32];
        getrandom::getrandom(&mut key).map_err(|e| problem(format!("no randomness: {e}")))?;
        match write_new_private(path, format!("{}\n", hex(&key)).as_bytes()) {
            Ok(()) => {
                tracing::info!("made a new key for stored secrets in {}", path.display());
                Ok(Sealer::new(&key))
            }
            // Another server made it first: theirs is the key.
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Sealer::read(path)?
                .ok_or_else(|| problem("it was made and then removed while this server started".into())),
            Err(error) => Err(problem(format!("it could not be made: {error}"))),
        }
    }

    /// This server's key for `store`: the key in `path` when the database
    /// knows it or knows none yet (then it is tied to the database, made
    /// first if there is no file). A database tied to another key, or a key
    /// file missing for a database that has one, refuses to start. Then
    /// seals what an earlier version stored in the clear.
    pub async fn open_for(store: &Store, path: &Path) -> Result<Sealer, StartError> {
        let failed = |e: sqlx::Error| {
            StartError::Config(format!("the stored secrets' key could not be checked in the database: {e}"))
        };
        let known = stored_fingerprint(store).await.map_err(failed)?;
        let sealer = match Sealer::read(path)? {
            Some(sealer) => sealer,
            None if known.is_some() => return Err(StartError::SecretsKeyMissing { path: path.to_owned() }),
            None => Sealer::load_or_create(path)?,
        };
        if known.is_none() {
            on_store!(store, pool => {
                sqlx::query(
                    "INSERT INTO secrets_key (id, fingerprint, created_at_ms) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING",
                )
                .bind(&sealer.fingerprint)
                .bind(now_ms())
                .execute(pool)
                .await
                .map_err(failed)?;
            });
        }
        // Read again: another instance may have tied its key first.
        if stored_fingerprint(store).await.map_err(failed)?.as_deref() != Some(sealer.fingerprint.as_str()) {
            return Err(StartError::SecretsKeyMismatch { path: path.to_owned() });
        }
        let sealed = sealer.seal_clear_text(store).await.map_err(|e| {
            StartError::Config(format!("the two-step secrets stored in the clear could not be sealed: {e}"))
        })?;
        if sealed > 0 {
            tracing::info!("sealed {sealed} two-step secrets an earlier version stored in the clear");
        }
        Ok(sealer)
    }

    /// Whether this is the key the database's secrets are sealed with
    /// (Some(false): another; None: the database has none yet).
    pub async fn is_key_of(&self, store: &Store) -> Result<Option<bool>, AppError> {
        Ok(stored_fingerprint(store).await?.map(|known| known == self.fingerprint))
    }

    /// Whether `other` holds the same key.
    pub fn same_key(&self, other: &Sealer) -> bool {
        self.fingerprint == other.fingerprint
    }

    /// `plain`, sealed for `column` of account `user_id`.
    pub fn seal(&self, user_id: &str, column: Column, plain: &[u8]) -> Result<String, AppError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::getrandom(&mut nonce).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
        let aad = associated(user_id, column);
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain, aad: aad.as_bytes() })
            .map_err(|_| AppError::Internal("a secret could not be sealed".into()))?;
        Ok(format!("{SEALED}{}{}", hex(&nonce), hex(&sealed)))
    }

    /// What `stored` (from [`Sealer::seal`]) holds; None when it is not
    /// sealed, or not for this key, account and column.
    pub fn open(&self, user_id: &str, column: Column, stored: &str) -> Option<Vec<u8>> {
        let bytes = unhex(stored.strip_prefix(SEALED)?)?;
        if bytes.len() <= NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let aad = associated(user_id, column);
        self.cipher.decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad: aad.as_bytes() }).ok()
    }

    /// The column pair's values for a new secret: (decoy, sealed).
    pub fn seal_pair(
        &self,
        user_id: &str,
        column: Column,
        plain: &[u8],
    ) -> Result<(String, String), AppError> {
        let sealed = self.seal(user_id, column, plain)?;
        Ok((decoy(&sealed), sealed))
    }

    /// The secret a column pair holds: None when the old column is empty
    /// (no secret); the sealed one when the old column holds its decoy;
    /// otherwise the old column's clear text, as a version before sealing
    /// wrote it. An error when neither reads: never None for a secret that
    /// is there, so two-step sign-in is never skipped.
    pub fn secret(
        &self,
        user_id: &str,
        column: Column,
        clear: Option<&str>,
        sealed: Option<&str>,
    ) -> Result<Option<Vec<u8>>, AppError> {
        let Some(clear) = clear else { return Ok(None) };
        let unreadable = || {
            AppError::Internal(format!(
                "the {} of account {user_id} does not open with this server's key",
                column.name()
            ))
        };
        match sealed {
            Some(sealed) if decoy(sealed) == clear => {
                self.open(user_id, column, sealed).map(Some).ok_or_else(unreadable)
            }
            _ => unhex(clear).filter(|b| !b.is_empty()).map(Some).ok_or_else(unreadable),
        }
    }

    /// Seals the two-step secrets stored in the clear (by versions before
    /// sealing); how many values it sealed.
    async fn seal_clear_text(&self, store: &Store) -> Result<usize, AppError> {
        type Row = (String, Option<String>, Option<String>, Option<String>, Option<String>);
        let rows: Vec<Row> = on_store!(store, pool => {
            sqlx::query_as(
                "SELECT id, totp_secret, totp_sealed, totp_pending, totp_pending_sealed FROM users \
                 WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL",
            )
            .fetch_all(pool)
            .await?
        });
        let mut sealed = 0;
        for (user_id, secret, secret_sealed, pending, pending_sealed) in rows {
            for (column, clear, kept) in
                [(Column::TotpSecret, secret, secret_sealed), (Column::TotpPending, pending, pending_sealed)]
            {
                let Some(clear) = clear else { continue };
                if kept.as_deref().is_some_and(|kept| decoy(kept) == clear) {
                    continue;
                }
                let Some(bytes) = unhex(&clear).filter(|b| !b.is_empty()) else {
                    tracing::warn!(user = %user_id, "a stored two-step secret does not read; left as it is");
                    continue;
                };
                let (new_decoy, new_sealed) = self.seal_pair(&user_id, column, &bytes)?;
                // Only if unchanged meanwhile (another instance sealing it too).
                let sql = format!(
                    "UPDATE users SET {0} = $1, {1} = $2 WHERE id = $3 AND {0} = $4",
                    column.name(),
                    column.sealed_name()
                );
                let changed = on_store!(store, pool => {
                    sqlx::query(&sql)
                        .bind(&new_decoy)
                        .bind(&new_sealed)
                        .bind(&user_id)
                        .bind(&clear)
                        .execute(pool)
                        .await?
                        .rows_affected()
                });
                sealed += usize::try_from(changed).unwrap_or(0);
            }
        }
        Ok(sealed)
    }
}

/// Forgets the key the database's secrets were sealed with, when it is
/// lost: two-step sign-in off, and signed out, for every account that had
/// it or was setting it up; how many accounts. Refused while the key in
/// `key_path` still opens them. The next start ties the key it is given.
pub async fn forget_key(store: &Store, key_path: &Path) -> Result<u64, AppError> {
    let given = Sealer::read(key_path).map_err(|e| AppError::invalid("secrets_key_file", e.to_string()))?;
    if let Some(given) = given
        && given.is_key_of(store).await? == Some(true)
    {
        return Err(AppError::invalid(
            "secrets_key_file",
            format!(
                "{} is this database's key: it opens every two-step secret, so nothing is forgotten",
                key_path.display()
            ),
        ));
    }
    let accounts = on_store!(store, pool => {
        let mut tx = crate::store::BeginWrite::begin_write(pool).await?;
        sqlx::query(
            "DELETE FROM sessions WHERE user_id IN \
             (SELECT id FROM users WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL)",
        )
        .execute(&mut *tx)
        .await?;
        let accounts = sqlx::query(
            "UPDATE users SET totp_secret = NULL, totp_sealed = NULL, totp_pending = NULL, \
             totp_pending_sealed = NULL, totp_last_step = NULL, totp_enabled_at_ms = NULL \
             WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL",
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query("DELETE FROM secrets_key").execute(&mut *tx).await?;
        tx.commit().await?;
        accounts
    });
    tracing::warn!(target: "security", accounts, "the admin forgot the stored secrets' key; two-step sign-in is off for those accounts");
    Ok(accounts)
}

/// Writes `bytes` to a new file at `path` that only this user can read,
/// whole or not at all: written beside it, then linked into place (which
/// fails with `AlreadyExists` when the file is there by then).
pub fn write_new_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut random = [0u8; 8];
    getrandom::getrandom(&mut random).map_err(std::io::Error::other)?;
    let part = dir.join(format!(
        ".{}.{}.part",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("new"),
        hex(&random)
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&part).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&part, path));
    let _ = std::fs::remove_file(&part);
    linked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_for_its_key_account_and_column() {
        let sealer = Sealer::new(&[1; 32]);
        let secret = b"12345678901234567890";
        let stored = sealer.seal("ida", Column::TotpSecret, secret).expect("sealed");
        assert!(stored.starts_with("v1."), "{stored}");
        assert!(!stored.contains(&hex(secret)), "the secret is not in the clear");
        assert_eq!(sealer.open("ida", Column::TotpSecret, &stored).as_deref(), Some(&secret[..]));
        assert_eq!(sealer.open("bo", Column::TotpSecret, &stored), None, "another account");
        assert_eq!(sealer.open("ida", Column::TotpPending, &stored), None, "another column");
        assert_eq!(Sealer::new(&[2; 32]).open("ida", Column::TotpSecret, &stored), None, "another key");
        assert_eq!(sealer.open("ida", Column::TotpSecret, &hex(secret)), None, "clear text is not sealed");
        let mut tampered = stored.clone();
        let last = if tampered.ends_with('0') { "1" } else { "0" };
        tampered.replace_range(tampered.len() - 1.., last);
        assert_eq!(sealer.open("ida", Column::TotpSecret, &tampered), None, "changed");
        assert_ne!(sealer.seal("ida", Column::TotpSecret, secret).expect("sealed"), stored, "a fresh nonce");
    }

    #[test]
    fn a_column_pair_reads_its_sealed_secret_or_an_older_versions_clear_text_and_never_skips_one() {
        let sealer = Sealer::new(&[1; 32]);
        let secret = b"12345678901234567890".to_vec();
        let (old, sealed) = sealer.seal_pair("ida", Column::TotpSecret, &secret).expect("sealed");
        assert_eq!(old.len(), 40, "the shape of a 20-byte secret for versions before sealing");
        assert_ne!(old, hex(&secret));
        let read =
            |clear: Option<&str>, kept: Option<&str>| sealer.secret("ida", Column::TotpSecret, clear, kept);
        assert_eq!(read(Some(&old), Some(&sealed)).expect("read"), Some(secret.clone()));
        assert_eq!(read(None, Some(&sealed)).expect("read"), None, "off");
        // Written by a version before sealing (after a rollback): its clear text counts.
        let newer = hex(b"abcdefghijabcdefghij");
        assert_eq!(read(Some(&newer), Some(&sealed)).expect("read"), Some(b"abcdefghijabcdefghij".to_vec()));
        assert_eq!(read(Some(&newer), None).expect("read"), Some(b"abcdefghijabcdefghij".to_vec()));
        // Neither reads: an error, not "off".
        assert!(read(Some("v1.zz"), None).is_err());
        let other = Sealer::new(&[2; 32]);
        assert!(other.secret("ida", Column::TotpSecret, Some(&old), Some(&sealed)).is_err(), "another key");
    }

    #[test]
    fn the_key_file_is_made_once_private_and_read_back() {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("keys").join(KEY_FILE);
        assert!(Sealer::read(&path).expect("no file is no error").is_none());
        let made = Sealer::load_or_create(&path).expect("made");
        let again = Sealer::load_or_create(&path).expect("read");
        assert_eq!(made.fingerprint, again.fingerprint);
        let stored = made.seal("ida", Column::TotpSecret, b"x").expect("sealed");
        assert_eq!(again.open("ida", Column::TotpSecret, &stored).as_deref(), Some(&b"x"[..]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("there").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let left: Vec<_> = std::fs::read_dir(path.parent().expect("a directory"))
            .expect("listed")
            .map(|e| e.expect("an entry").file_name())
            .collect();
        assert_eq!(left, [std::ffi::OsString::from(KEY_FILE)], "no part file left");
        // Written by hand in capitals, with Windows line ends: the same key.
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, format!("{}\r\n", text.trim().to_uppercase())).expect("written");
        assert_eq!(Sealer::read(&path).expect("read").expect("a key").fingerprint, made.fingerprint);
        std::fs::write(&path, "not a key").expect("written");
        let error = Sealer::load_or_create(&path).expect_err("refused").to_string();
        assert!(error.contains("64 hexadecimal digits"), "{error}");
    }
}

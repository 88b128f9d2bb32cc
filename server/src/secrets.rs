//! Secrets the server must read back but the database must not give away:
//! today the two-step sign-in secrets (TOTP). They are sealed with
//! AES-256-GCM under a key kept outside the database, in a file (by default
//! `secrets.key` in the data directory, made at the first start, readable by
//! the server's user only), so a copy of the database alone (a leaked dump,
//! a replica, the database host) does not let anyone make a person's codes.
//!
//! A sealed value is `v1.` and the hex of a fresh 12-byte nonce and the
//! ciphertext; the associated data names the account and the column, so a
//! sealed secret copied to another account, or from the pending column to
//! the confirmed one, does not open.
//!
//! The database keeps the key's fingerprint (an HMAC of a fixed text): a
//! server started with another key (a second instance not given the shared
//! file, a restore without it) refuses to start and says why, instead of
//! failing every two-step sign-in. At start, secrets stored in the clear by
//! an earlier version are sealed.

use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};

use crate::StartError;
use crate::on_store;
use crate::store::{Store, hex, now_ms, unhex};

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

/// Where a sealed value lives: its account and column.
#[derive(Clone, Copy, Debug)]
pub enum Column {
    TotpSecret,
    TotpPending,
}

impl Column {
    fn name(self) -> &'static str {
        match self {
            Column::TotpSecret => "totp_secret",
            Column::TotpPending => "totp_pending",
        }
    }
}

fn associated(user_id: &str, column: Column) -> String {
    format!("stille users.{} {user_id}", column.name())
}

impl Sealer {
    /// A sealer with `key` (32 bytes).
    pub fn new(key: &[u8; 32]) -> Sealer {
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
        mac.update(b"stille secrets key fingerprint v1");
        let fingerprint = hex(&mac.finalize().into_bytes()[..16]);
        Sealer { cipher: Aes256Gcm::new(key.into()), fingerprint }
    }

    /// The key in `path` (64 hex digits), made there (readable by this
    /// user only) when there is no file yet.
    pub fn load_or_create(path: &Path) -> Result<Sealer, StartError> {
        let problem = |reason: String| StartError::SecretsKey { path: path.to_owned(), reason };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let key = unhex(text.trim())
                    .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                    .ok_or_else(|| problem("it does not hold a key (64 hexadecimal digits)".into()))?;
                Ok(Sealer::new(&key))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                getrandom::getrandom(&mut key).map_err(|e| problem(format!("no randomness: {e}")))?;
                write_private(path, &format!("{}\n", hex(&key)))
                    .map_err(|e| problem(format!("it could not be made: {e}")))?;
                tracing::info!("made a new key for stored secrets in {}", path.display());
                Ok(Sealer::new(&key))
            }
            Err(error) => Err(problem(format!("it could not be read: {error}"))),
        }
    }

    /// The key file the configuration names, or the data directory's.
    pub fn path_for(configured: Option<&Path>, data_dir: &Path) -> PathBuf {
        configured.map_or_else(|| data_dir.join(KEY_FILE), Path::to_owned)
    }

    /// `plain`, sealed for `column` of account `user_id`.
    pub fn seal(&self, user_id: &str, column: Column, plain: &[u8]) -> Result<String, crate::AppError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::getrandom(&mut nonce)
            .map_err(|e| crate::AppError::Internal(format!("no randomness: {e}")))?;
        let aad = associated(user_id, column);
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain, aad: aad.as_bytes() })
            .map_err(|_| crate::AppError::Internal("a secret could not be sealed".into()))?;
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

    /// Ties this key to `store`: the first key to start with a database is
    /// its key; another refuses to start. Then seals what an earlier
    /// version stored in the clear.
    pub async fn attach(&self, store: &Store) -> Result<(), StartError> {
        let failed = |e: sqlx::Error| {
            StartError::Config(format!("the stored secrets' key could not be checked in the database: {e}"))
        };
        let kept: (String,) = on_store!(store, pool => {
            sqlx::query(
                "INSERT INTO secrets_key (id, fingerprint, created_at_ms) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING",
            )
            .bind(&self.fingerprint)
            .bind(now_ms())
            .execute(pool)
            .await
            .map_err(failed)?;
            sqlx::query_as("SELECT fingerprint FROM secrets_key WHERE id = 1")
                .fetch_one(pool)
                .await
                .map_err(failed)?
        });
        if kept.0 != self.fingerprint {
            return Err(StartError::SecretsKeyMismatch);
        }
        let sealed = self.seal_clear_text(store).await.map_err(|e| {
            StartError::Config(format!("the two-step secrets stored in the clear could not be sealed: {e}"))
        })?;
        if sealed > 0 {
            tracing::info!("sealed {sealed} two-step secrets an earlier version stored in the clear");
        }
        Ok(())
    }

    /// Seals the two-step secrets stored in the clear (hex, by versions
    /// before sealing); how many values it sealed.
    async fn seal_clear_text(&self, store: &Store) -> Result<usize, crate::AppError> {
        type Row = (String, Option<String>, Option<String>);
        let rows: Vec<Row> = on_store!(store, pool => {
            sqlx::query_as(
                "SELECT id, totp_secret, totp_pending FROM users \
                 WHERE (totp_secret IS NOT NULL AND totp_secret NOT LIKE 'v1.%') \
                    OR (totp_pending IS NOT NULL AND totp_pending NOT LIKE 'v1.%')",
            )
            .fetch_all(pool)
            .await?
        });
        let mut sealed = 0;
        for (user_id, secret, pending) in rows {
            for (column, value) in [(Column::TotpSecret, secret), (Column::TotpPending, pending)] {
                let Some(clear) = value.filter(|v| !v.starts_with(SEALED)) else { continue };
                let Some(bytes) = unhex(&clear) else {
                    tracing::warn!(user = %user_id, "a stored two-step secret does not read; left as it is");
                    continue;
                };
                let new = self.seal(&user_id, column, &bytes)?;
                // Only if unchanged meanwhile (another instance sealing it too).
                let sql = format!("UPDATE users SET {0} = $1 WHERE id = $2 AND {0} = $3", column.name());
                let changed = on_store!(store, pool => {
                    sqlx::query(&sql).bind(&new).bind(&user_id).bind(&clear).execute(pool).await?.rows_affected()
                });
                sealed += usize::try_from(changed).unwrap_or(0);
            }
        }
        Ok(sealed)
    }
}

/// Forgets the key the database's secrets were sealed with (it was lost):
/// two-step sign-in off, and signed out, for every account that had it or
/// was setting it up; how many accounts. The next start ties the key it is
/// given to the database.
pub async fn forget_key(store: &Store) -> Result<u64, crate::AppError> {
    let accounts = on_store!(store, pool => {
        let mut tx = crate::store::BeginWrite::begin_write(pool).await?;
        sqlx::query(
            "DELETE FROM sessions WHERE user_id IN \
             (SELECT id FROM users WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL)",
        )
        .execute(&mut *tx)
        .await?;
        let accounts = sqlx::query(
            "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL, \
             totp_enabled_at_ms = NULL WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL",
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

/// Writes `text` to a new file at `path` that only this user can read.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
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
    fn the_key_file_is_made_once_private_and_read_back() {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("keys").join(KEY_FILE);
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
        std::fs::write(&path, "not a key").expect("written");
        let error = Sealer::load_or_create(&path).expect_err("refused").to_string();
        assert!(error.contains("64 hexadecimal digits"), "{error}");
    }
}

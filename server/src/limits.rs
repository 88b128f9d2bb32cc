//! Attempt limits for guessable secrets (passwords, invite codes) and for
//! sign-ups. On SQLite (one server process) they are kept in memory. On
//! PostgreSQL, where several instances may serve one database, every count
//! is kept in the database ([`Shared`], tables `limit_windows` and
//! `limit_failures`), so two instances allow what one does, not twice that.
//!
//! Two kinds:
//! - [`Limiter`]: a fixed window of attempts per key (an address, an
//!   account), for sign-ups, invite codes and log-ins per address;
//! - [`Failures`]: wrong passwords per (account, address), free for the first
//!   few and then with a delay that doubles with each further failure. A
//!   right password clears it. An attacker's guesses slow down only the
//!   attacker's address: the owner, elsewhere, still logs in.
//!
//! Keys are hashed before they are kept, so a long typed email costs eight
//! bytes and no address or email is stored as written: in memory with a key
//! chosen at start, in PostgreSQL with SHA-256 under a secret the instances
//! share (made once, kept in `meta`; whoever holds a copy of the database
//! holds the secret too and could test guesses against the hashes, of
//! attempts from the last day at most, as rows are swept). On PostgreSQL
//! each process counts attempts in memory as well: over a limit there is
//! over it everywhere, so a flood is refused without writing to the
//! database (log-ins count per address before any password is looked at). Both are swept on a timer
//! ([`Limits::sweep`]); the maps never hold more than [`MAX_KEYS`] keys.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::AppError;
use crate::store::now_ms;

/// Counts kept in PostgreSQL, for every instance on it.
#[derive(Clone, Debug)]
pub struct Shared {
    pool: PgPool,
    secret: std::sync::Arc<[u8; 32]>,
}

/// What a limit counts by (an address, an email, an account id, or a pair
/// of them). In PostgreSQL its key is SHA-256 of explicit bytes, each part
/// with its length, so every instance makes the same key whatever it was
/// built with (std's `Hash` promises no such thing).
pub trait LimitKey: Hash {
    fn feed(&self, hash: &mut Sha256);
}

impl LimitKey for str {
    fn feed(&self, hash: &mut Sha256) {
        hash.update((self.len() as u64).to_be_bytes());
        hash.update(self.as_bytes());
    }
}

impl LimitKey for String {
    fn feed(&self, hash: &mut Sha256) {
        self.as_str().feed(hash);
    }
}

impl<T: LimitKey + ?Sized> LimitKey for &T {
    fn feed(&self, hash: &mut Sha256) {
        (**self).feed(hash);
    }
}

impl<A: LimitKey, B: LimitKey> LimitKey for (A, B) {
    fn feed(&self, hash: &mut Sha256) {
        self.0.feed(hash);
        self.1.feed(hash);
    }
}

impl Shared {
    /// The counts in `pool`'s database, hashed under the secret every
    /// instance reads from `meta` (the first to start makes it).
    pub async fn open(pool: PgPool) -> Result<Shared, sqlx::Error> {
        let mut fresh = [0u8; 32];
        getrandom::getrandom(&mut fresh).map_err(|e| sqlx::Error::Protocol(format!("no randomness: {e}")))?;
        sqlx::query("INSERT INTO meta (key, value) VALUES ('limit_key', $1) ON CONFLICT (key) DO NOTHING")
            .bind(crate::store::hex(&fresh))
            .execute(&pool)
            .await?;
        let (text,): (String,) =
            sqlx::query_as("SELECT value FROM meta WHERE key = 'limit_key'").fetch_one(&pool).await?;
        let secret: [u8; 32] = crate::store::unhex(&text)
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| sqlx::Error::Protocol("meta.limit_key is not 32 bytes of hex".into()))?;
        Ok(Shared { pool, secret: std::sync::Arc::new(secret) })
    }

    fn key(&self, key: &impl LimitKey) -> i64 {
        let mut hash = Sha256::new_with_prefix(*self.secret);
        key.feed(&mut hash);
        let mut first = [0u8; 8];
        first.copy_from_slice(&hash.finalize()[..8]);
        i64::from_be_bytes(first)
    }
}

fn ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

fn too_many(wait_ms: i64) -> AppError {
    AppError::TooManyRequests { retry_after_s: u64::try_from(wait_ms.max(1)).unwrap_or(1).div_ceil(1000) }
}

/// The most keys one limiter keeps. Beyond it the oldest quarter is dropped
/// (after the expired ones): a flood of new keys costs memory for a moment,
/// never without bound.
pub const MAX_KEYS: usize = 100_000;

/// How many attempts, in how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub attempts: u32,
    pub per: Duration,
}

impl Rate {
    pub const fn new(attempts: u32, per_seconds: u64) -> Rate {
        Rate { attempts, per: Duration::from_secs(per_seconds) }
    }
}

/// How wrong passwords slow down: `free` failures, then a delay of
/// `first_delay` that doubles with each further failure up to `max_delay`;
/// forgotten `forget_after` the last failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    pub free: u32,
    pub first_delay: Duration,
    pub max_delay: Duration,
    pub forget_after: Duration,
}

impl Backoff {
    /// The wait after `failures` failures.
    pub fn delay(&self, failures: u32) -> Duration {
        if failures < self.free {
            return Duration::ZERO;
        }
        let doublings = (failures - self.free).min(30);
        self.first_delay.saturating_mul(1 << doublings).min(self.max_delay)
    }
}

/// The rates the server applies. The defaults suit people; tests and
/// benchmarks that sign up many accounts from one address raise them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rates {
    /// Log-in (and erase) attempts from one IP address.
    pub login_per_ip: Rate,
    /// Wrong passwords for one account from one address.
    pub password_failures: Backoff,
    /// Invite codes tried from one IP address.
    pub invite_per_ip: Rate,
    /// Invite codes tried by one account.
    pub invite_per_account: Rate,
    /// Accounts created from one IP address.
    pub signup_per_ip: Rate,
    /// Mails (sign-up and reset links) to one email address, counted whether
    /// or not it has an account, so nobody can fill someone's inbox.
    pub mail_per_address: Rate,
}

impl Default for Rates {
    fn default() -> Rates {
        Rates {
            login_per_ip: Rate::new(30, 15 * 60),
            // Five tries, then 1 s, 2 s, 4 s … up to 15 minutes between tries.
            password_failures: Backoff {
                free: 5,
                first_delay: Duration::from_secs(1),
                max_delay: Duration::from_secs(15 * 60),
                forget_after: Duration::from_secs(24 * 3600),
            },
            invite_per_ip: Rate::new(30, 15 * 60),
            invite_per_account: Rate::new(10, 15 * 60),
            signup_per_ip: Rate::new(20, 60 * 60),
            mail_per_address: Rate::new(5, 60 * 60),
        }
    }
}

fn lock<T>(map: &Mutex<T>) -> MutexGuard<'_, T> {
    map.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Makes room in a full map: drops the quarter whose `age` is oldest.
fn make_room<V>(map: &mut HashMap<u64, V>, age: impl Fn(&V) -> Instant) {
    if map.len() < MAX_KEYS {
        return;
    }
    let mut ages: Vec<Instant> = map.values().map(&age).collect();
    let cut = ages.len() / 4;
    let (_, oldest_kept, _) = ages.select_nth_unstable(cut);
    let oldest_kept = *oldest_kept;
    map.retain(|_, v| age(v) >= oldest_kept);
}

/// One kind of limit: attempts per key in a fixed window.
#[derive(Debug)]
pub struct Limiter {
    /// Its name in `limit_windows`.
    name: &'static str,
    rate: Rate,
    hasher: RandomState,
    windows: Mutex<HashMap<u64, (Instant, u32)>>,
    shared: Option<Shared>,
}

impl Limiter {
    pub fn new(name: &'static str, rate: Rate) -> Limiter {
        Limiter { name, rate, hasher: RandomState::new(), windows: Mutex::new(HashMap::new()), shared: None }
    }

    /// Counts an attempt for `key`; Err(429 with Retry-After) when over.
    pub async fn hit(&self, key: impl LimitKey) -> Result<(), AppError> {
        // Counted here too: over the limit in this process is over it in
        // all, and refused without a write to the database.
        self.hit_here(&key)?;
        let Some(shared) = &self.shared else { return Ok(()) };
        let key = shared.key(&key);
        let (now, per) = (now_ms(), ms(self.rate.per));
        // One statement, so two instances counting at once both count: a
        // window that has ended starts again at 1.
        let (started, count): (i64, i32) = sqlx::query_as(
            "INSERT INTO limit_windows AS w (limiter, key, started_ms, count) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (limiter, key) DO UPDATE SET \
             started_ms = CASE WHEN w.started_ms <= $3 - $4 THEN $3 ELSE w.started_ms END, \
             count = CASE WHEN w.started_ms <= $3 - $4 THEN 1 ELSE w.count + 1 END \
             RETURNING started_ms, count",
        )
        .bind(self.name)
        .bind(key)
        .bind(now)
        .bind(per)
        .fetch_one(&shared.pool)
        .await?;
        if i64::from(count) > i64::from(self.rate.attempts) {
            return Err(too_many(started + per - now));
        }
        Ok(())
    }

    /// [`Limiter::hit`] in this process's memory.
    fn hit_here(&self, key: impl Hash) -> Result<(), AppError> {
        let key = self.hasher.hash_one(key);
        let now = Instant::now();
        let mut windows = lock(&self.windows);
        if !windows.contains_key(&key) && windows.len() >= MAX_KEYS {
            windows.retain(|_, (start, _)| now.duration_since(*start) < self.rate.per);
            make_room(&mut windows, |(start, _)| *start);
        }
        let (start, count) = windows.entry(key).or_insert((now, 0));
        if now.duration_since(*start) >= self.rate.per {
            *start = now;
            *count = 0;
        }
        if *count >= self.rate.attempts {
            let retry = self.rate.per.saturating_sub(now.duration_since(*start));
            return Err(AppError::TooManyRequests { retry_after_s: retry.as_secs().max(1) });
        }
        *count += 1;
        Ok(())
    }

    /// Forgets windows that have ended.
    pub fn sweep(&self, now: Instant) {
        lock(&self.windows).retain(|_, (start, _)| now.duration_since(*start) < self.rate.per);
    }

    /// Forgets windows that have ended in the database.
    async fn sweep_shared(&self, shared: &Shared) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM limit_windows WHERE limiter = $1 AND started_ms <= $2")
            .bind(self.name)
            .bind(now_ms() - ms(self.rate.per))
            .execute(&shared.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// How many keys it keeps.
    pub fn len(&self) -> usize {
        lock(&self.windows).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Failed attempts per key, each after the first few making the next wait longer.
#[derive(Debug)]
pub struct Failures {
    /// Its name in `limit_failures`.
    name: &'static str,
    backoff: Backoff,
    hasher: RandomState,
    /// key → (failures, last failure)
    failed: Mutex<HashMap<u64, (u32, Instant)>>,
    shared: Option<Shared>,
}

impl Failures {
    pub fn new(name: &'static str, backoff: Backoff) -> Failures {
        Failures {
            name,
            backoff,
            hasher: RandomState::new(),
            failed: Mutex::new(HashMap::new()),
            shared: None,
        }
    }

    /// Err(429 with Retry-After) while `key` must wait after its failures.
    pub async fn check(&self, key: impl LimitKey) -> Result<(), AppError> {
        let Some(shared) = &self.shared else { return self.check_here(&key) };
        let row: Option<(i32, i64)> =
            sqlx::query_as("SELECT failures, last_ms FROM limit_failures WHERE limiter = $1 AND key = $2")
                .bind(self.name)
                .bind(shared.key(&key))
                .fetch_optional(&shared.pool)
                .await?;
        let Some((count, last)) = row else { return Ok(()) };
        let since = now_ms() - last;
        if since >= ms(self.backoff.forget_after) {
            return Ok(());
        }
        let wait = ms(self.backoff.delay(u32::try_from(count).unwrap_or(0))) - since;
        if wait > 0 { Err(too_many(wait)) } else { Ok(()) }
    }

    /// Counts a failure for `key`.
    pub async fn failed(&self, key: impl LimitKey) -> Result<(), AppError> {
        let Some(shared) = &self.shared else {
            self.failed_here(&key);
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO limit_failures AS f (limiter, key, failures, last_ms) VALUES ($1, $2, 1, $3) \
             ON CONFLICT (limiter, key) DO UPDATE SET \
             failures = CASE WHEN f.last_ms <= $3 - $4 THEN 1 ELSE f.failures + 1 END, last_ms = $3",
        )
        .bind(self.name)
        .bind(shared.key(&key))
        .bind(now_ms())
        .bind(ms(self.backoff.forget_after))
        .execute(&shared.pool)
        .await?;
        Ok(())
    }

    /// A success: `key` starts afresh.
    pub async fn succeeded(&self, key: impl LimitKey) -> Result<(), AppError> {
        let Some(shared) = &self.shared else {
            self.succeeded_here(&key);
            return Ok(());
        };
        sqlx::query("DELETE FROM limit_failures WHERE limiter = $1 AND key = $2")
            .bind(self.name)
            .bind(shared.key(&key))
            .execute(&shared.pool)
            .await?;
        Ok(())
    }

    /// Forgets failures long past, in the database.
    async fn sweep_shared(&self, shared: &Shared) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM limit_failures WHERE limiter = $1 AND last_ms <= $2")
            .bind(self.name)
            .bind(now_ms() - ms(self.backoff.forget_after))
            .execute(&shared.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// [`Failures::check`] in this process's memory.
    fn check_here(&self, key: impl Hash) -> Result<(), AppError> {
        let key = self.hasher.hash_one(key);
        let now = Instant::now();
        let failed = lock(&self.failed);
        let Some((count, last)) = failed.get(&key) else { return Ok(()) };
        let wait = self.backoff.delay(*count).saturating_sub(now.duration_since(*last));
        if wait.is_zero() {
            Ok(())
        } else {
            Err(AppError::TooManyRequests { retry_after_s: wait.as_secs_f64().ceil().max(1.0) as u64 })
        }
    }

    fn failed_here(&self, key: impl Hash) {
        let key = self.hasher.hash_one(key);
        let now = Instant::now();
        let mut failed = lock(&self.failed);
        if !failed.contains_key(&key) && failed.len() >= MAX_KEYS {
            let forget = self.backoff.forget_after;
            failed.retain(|_, (_, last)| now.duration_since(*last) < forget);
            make_room(&mut failed, |(_, last)| *last);
        }
        let (count, last) = failed.entry(key).or_insert((0, now));
        *count = count.saturating_add(1);
        *last = now;
    }

    fn succeeded_here(&self, key: impl Hash) {
        let key = self.hasher.hash_one(key);
        lock(&self.failed).remove(&key);
    }

    /// Forgets failures long past.
    pub fn sweep(&self, now: Instant) {
        let forget = self.backoff.forget_after;
        lock(&self.failed).retain(|_, (_, last)| now.duration_since(*last) < forget);
    }

    /// How many keys it keeps.
    pub fn len(&self) -> usize {
        lock(&self.failed).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Every limiter the server keeps.
#[derive(Debug)]
pub struct Limits {
    pub login_ip: Limiter,
    /// Keyed by (account email or id, address).
    pub password: Failures,
    pub invite_ip: Limiter,
    pub invite_account: Limiter,
    pub signup_ip: Limiter,
    /// Keyed by email address.
    pub mail_address: Limiter,
}

impl Limits {
    /// Limits kept in this process's memory.
    pub fn new(rates: Rates) -> Limits {
        Limits {
            login_ip: Limiter::new("login_ip", rates.login_per_ip),
            password: Failures::new("password", rates.password_failures),
            invite_ip: Limiter::new("invite_ip", rates.invite_per_ip),
            invite_account: Limiter::new("invite_account", rates.invite_per_account),
            signup_ip: Limiter::new("signup_ip", rates.signup_per_ip),
            mail_address: Limiter::new("mail_address", rates.mail_per_address),
        }
    }

    /// Limits every instance on `shared`'s database counts together.
    pub fn shared(rates: Rates, shared: &Shared) -> Limits {
        let mut limits = Limits::new(rates);
        for limiter in limits.limiters_mut() {
            limiter.shared = Some(shared.clone());
        }
        limits.password.shared = Some(shared.clone());
        limits
    }

    fn limiters(&self) -> [&Limiter; 5] {
        [&self.login_ip, &self.invite_ip, &self.invite_account, &self.signup_ip, &self.mail_address]
    }

    fn limiters_mut(&mut self) -> [&mut Limiter; 5] {
        [
            &mut self.login_ip,
            &mut self.invite_ip,
            &mut self.invite_account,
            &mut self.signup_ip,
            &mut self.mail_address,
        ]
    }

    /// Forgets what no longer counts (run every minute by the server); in
    /// the database, how many windows and failures it forgot.
    pub async fn sweep(&self) -> Result<u64, sqlx::Error> {
        let now = Instant::now();
        let mut forgotten = 0;
        for limiter in self.limiters() {
            limiter.sweep(now);
            if let Some(shared) = &limiter.shared {
                forgotten += limiter.sweep_shared(shared).await?;
            }
        }
        self.password.sweep(now);
        if let Some(shared) = &self.password.shared {
            forgotten += self.password.sweep_shared(shared).await?;
        }
        Ok(forgotten)
    }
}

/// How often [`Limits::sweep`] runs.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// The key for an IP address: IPv6 addresses by their /64, since one
/// household or phone gets a whole /64.
pub fn ip_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_refused_after_its_attempts_and_others_are_not() {
        let limiter = Limiter::new("test", Rate::new(3, 60));
        for _ in 0..3 {
            assert!(limiter.hit_here("a").is_ok());
        }
        match limiter.hit_here("a") {
            Err(AppError::TooManyRequests { retry_after_s }) => assert!((1..=60).contains(&retry_after_s)),
            other => panic!("expected 429, got {other:?}"),
        }
        assert!(limiter.hit_here("b").is_ok());
    }

    #[test]
    fn keys_cost_the_same_however_long_and_the_map_is_bounded() {
        let limiter = Limiter::new("test", Rate::new(3, 60));
        let long = "x".repeat(16 * 1024);
        for _ in 0..3 {
            assert!(limiter.hit_here(&long).is_ok());
        }
        assert!(limiter.hit_here(&long).is_err(), "a long key is still counted");
        for n in 0..MAX_KEYS + 10 {
            let _ = limiter.hit_here(n);
        }
        assert!(limiter.len() <= MAX_KEYS, "{} keys kept", limiter.len());
        // Windows that ended are swept away.
        limiter.sweep(Instant::now() + Duration::from_secs(61));
        assert!(limiter.is_empty());
    }

    #[test]
    fn failures_wait_longer_each_time_after_the_free_ones_and_a_success_clears_them() {
        let backoff = Backoff {
            free: 2,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            forget_after: Duration::from_secs(3600),
        };
        assert_eq!(
            [0, 1, 2, 3, 4, 8, 40].map(|n| backoff.delay(n).as_secs()),
            [0, 0, 1, 2, 4, 60, 60],
            "free, free, then doubling up to the cap"
        );
        let failures = Failures::new("test", backoff);
        let owner_elsewhere = ("ida@example.dk", "10.0.0.2");
        let attacker = ("ida@example.dk", "10.0.0.9");
        failures.failed_here(attacker);
        assert!(failures.check_here(attacker).is_ok(), "one free failure");
        failures.failed_here(attacker);
        match failures.check_here(attacker) {
            Err(AppError::TooManyRequests { retry_after_s }) => assert_eq!(retry_after_s, 1),
            other => panic!("expected a wait, got {other:?}"),
        }
        assert!(failures.check_here(owner_elsewhere).is_ok(), "the owner, elsewhere, is not slowed");
        failures.succeeded_here(attacker);
        assert!(failures.check_here(attacker).is_ok());
        failures.failed_here(attacker);
        failures.sweep(Instant::now() + Duration::from_secs(3601));
        assert!(failures.is_empty(), "forgotten after a while");
    }

    #[test]
    fn ipv6_counts_by_prefix() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().expect("ip");
        assert_eq!(ip_key(a), ip_key(b));
        assert_eq!(ip_key("::ffff:10.0.0.1".parse().expect("ip")), "10.0.0.1");
    }
}

/// The caller's address as a limit key: the connection's peer, or, behind a
/// reverse proxy named by `--client-ip-header`, the last address that header
/// lists (the one the proxy itself saw).
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

impl axum::extract::FromRequestParts<crate::AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::AppState,
    ) -> Result<ClientIp, AppError> {
        if let Some(header) = &state.client_ip_header {
            let forwarded = parts
                .headers
                .get(header)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|ip| ip.trim().parse::<IpAddr>().ok());
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip_key(ip)));
            }
        }
        let peer =
            parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientIp(peer.map_or_else(|| "unknown".to_owned(), ip_key)))
    }
}

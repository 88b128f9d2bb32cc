//! Passwords: the rules a new one must meet, and Argon2id hashing off the
//! async runtime on a few dedicated threads (each hash takes 19 MiB and tens
//! of milliseconds of a core; unbounded, a burst of logins would starve every
//! other request). Each thread allocates its 19 MiB of working memory once and
//! reuses it: allocated per hash on the runtime's blocking threads, the
//! allocator kept a copy per thread and the idle server grew to 350 MB.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use argon2::password_hash::{Output, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, Version};
use tokio::sync::oneshot;

use crate::AppError;

/// OWASP Password Storage Cheat Sheet, Argon2id first configuration:
/// m = 19 MiB, t = 2, p = 1.
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 128;

/// Among the most common passwords in public breach corpora (the
/// SecLists/NCSC "most common" lists) that are long enough to pass the length
/// rule, plus Danish and mindfulness-flavoured ones people here would pick.
/// Compared case-insensitively.
const COMMON: &[&str] = &[
    "password",
    "12345678",
    "123456789",
    "1234567890",
    "12345678910",
    "qwertyuiop",
    "password1",
    "password12",
    "password123",
    "passw0rd",
    "iloveyou",
    "11111111",
    "00000000",
    "88888888",
    "87654321",
    "987654321",
    "11223344",
    "12341234",
    "123123123",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "1qaz2wsx",
    "zaq12wsx",
    "qwerty123",
    "qwertyui",
    "qwerty12",
    "asdfghjkl",
    "asdfasdf",
    "zxcvbnm1",
    "abc12345",
    "abcd1234",
    "1234abcd",
    "1234qwer",
    "qazwsxedc",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "welcome1",
    "welcome123",
    "trustno1",
    "superman",
    "starwars",
    "letmein1",
    "computer",
    "whatever",
    "michelle",
    "jennifer",
    "liverpool",
    "chelsea1",
    "internet",
    "samsung1",
    "jordan23",
    "mercedes",
    "corvette",
    "mustang1",
    "iloveyou1",
    "babygirl",
    "butterfly",
    "charlie1",
    "chocolate",
    "football1",
    "1234567a",
    "aa123456",
    "a1234567",
    "q1w2e3r4",
    "q1w2e3r4t5",
    "1a2b3c4d",
    "changeme",
    "default1",
    "administrator",
    "adminadmin",
    "letmein123",
    "test1234",
    "testtest",
    "secret123",
    "kodeord",
    "kodeord1",
    "kodeord123",
    "adgangskode",
    "adgangskode1",
    "hemmelig",
    "hemmelig1",
    "sommer2024",
    "sommer2025",
    "sommer2026",
    "vinter2024",
    "vinter2025",
    "vinter2026",
    "efterår2025",
    "foraar2026",
    "danmark1",
    "danmark123",
    "københavn",
    "kobenhavn",
    "jegelskerdig",
    "mindfulness",
    "meditation",
    "meditere",
    "compassion",
    "selfcompassion",
    "selvmedfølelse",
    "selvmedfolelse",
    "stille123",
    "stille1234",
    "namaste1",
    "namaste123",
    "breathe1",
];

/// What is wrong with a new password, or Ok.
pub fn check_new(password: &str, email: &str) -> Result<(), AppError> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(AppError::invalid(
            "password",
            format!("a password needs at least {MIN_CHARS} characters"),
        ));
    }
    if chars > MAX_CHARS {
        return Err(AppError::invalid("password", format!("a password has at most {MAX_CHARS} characters")));
    }
    let lower = password.to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if COMMON.contains(&lower.as_str()) || lower == email || lower == local {
        return Err(AppError::invalid(
            "password",
            "this password is among the most often used (or is your email); choose another — a few \
             unrelated words make a good one",
        ));
    }
    Ok(())
}

/// A hashing job: runs on a hashing thread with that thread's memory.
type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// How many jobs may wait per hashing thread. A hash takes tens of
/// milliseconds of a core, so a full queue is a wait of a second or two;
/// beyond it a request is answered 503 with Retry-After at once instead of
/// joining a queue that would push every log-in past its timeout.
pub const QUEUE_PER_THREAD: usize = 16;

/// Hashes and verifies passwords on a few threads of its own.
#[derive(Debug)]
pub struct Passwords {
    jobs: Mutex<mpsc::SyncSender<Job>>,
    /// Jobs dropped unrun because their request had gone (timed out, or the
    /// client disconnected) before a thread was free.
    skipped: Arc<AtomicU64>,
    /// A hash of nothing anyone knows, verified against when an email is
    /// unknown, so an unknown account costs the same time as a wrong password.
    dummy: String,
}

fn params() -> Result<Params, AppError> {
    Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|e| AppError::Internal(format!("argon2 parameters: {e}")))
}

/// The raw Argon2id output for `password` and `salt` under `params`, using
/// (and if needed growing) `memory`.
fn argon2id(
    password: &str,
    salt: &[u8],
    params: Params,
    memory: &mut Vec<Block>,
) -> Result<Output, AppError> {
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..blocks])
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))?;
    Output::new(&out).map_err(|e| AppError::Internal(format!("argon2 output: {e}")))
}

/// A new salted hash as a PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).
fn hash_with(password: &str, memory: &mut Vec<Block>) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    let params = params()?;
    let output = argon2id(password, &salt, params.clone(), memory)?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(format!("salt: {e}")))?;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        salt.as_str(),
        output
    ))
}

/// Whether `password` matches the PHC string `hash` (compared in constant time).
fn verify_with(password: &str, hash: &str, memory: &mut Vec<Block>) -> bool {
    let mut check = || -> Option<bool> {
        let parsed = PasswordHash::new(hash).ok()?;
        if parsed.algorithm.as_str() != "argon2id" {
            return None;
        }
        let params = Params::try_from(&parsed).ok()?;
        let mut salt = [0u8; 64];
        let salt = parsed.salt?.decode_b64(&mut salt).ok()?;
        let expected = parsed.hash?;
        let output = argon2id(password, salt, params, memory).ok()?;
        Some(output == expected)
    };
    check().unwrap_or_else(|| {
        tracing::error!("a stored password hash cannot be read");
        false
    })
}

impl Passwords {
    /// `threads` hashing threads (at least one), each with its own memory,
    /// and a queue of [`QUEUE_PER_THREAD`] jobs per thread.
    pub fn new(threads: usize) -> Result<Passwords, AppError> {
        Passwords::with_queue(threads, threads.max(1) * QUEUE_PER_THREAD)
    }

    /// `threads` hashing threads and room for `queue` waiting jobs.
    pub fn with_queue(threads: usize, queue: usize) -> Result<Passwords, AppError> {
        let (sender, receiver) = mpsc::sync_channel::<Job>(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..threads.max(1) {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    let mut memory = Vec::new();
                    loop {
                        let job = match receiver.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(&mut memory),
                            Err(_) => return, // the server is stopping
                        }
                    }
                })
                .map_err(|e| AppError::Internal(format!("cannot start a hashing thread: {e}")))?;
        }
        let dummy = hash_with("not a password anyone has: stille dummy", &mut Vec::new())?;
        Ok(Passwords { jobs: Mutex::new(sender), skipped: Arc::new(AtomicU64::new(0)), dummy })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let (done, result) = oneshot::channel();
        let skipped = self.skipped.clone();
        let job: Job = Box::new(move |memory| {
            // Nobody waits for it any more: the work would be wasted.
            if done.is_closed() {
                skipped.fetch_add(1, Ordering::Relaxed);
                return;
            }
            let _ = done.send(work(memory));
        });
        let queued = self
            .jobs
            .lock()
            .map_err(|_| AppError::Internal("the hashing queue is poisoned".into()))?
            .try_send(job);
        match queued {
            Ok(()) => {}
            Err(mpsc::TrySendError::Full(_)) => return Err(AppError::Busy { retry_after_s: 2 }),
            Err(mpsc::TrySendError::Disconnected(_)) => {
                return Err(AppError::Unavailable("the server is stopping".into()));
            }
        }
        result.await.map_err(|_| AppError::Internal("a hashing thread stopped".into()))
    }

    /// How many jobs were dropped because their caller had gone.
    pub fn skipped(&self) -> u64 {
        self.skipped.load(Ordering::Relaxed)
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_owned();
        self.run(move |memory| hash_with(&password, memory)).await?
    }

    /// Whether `password` matches `hash`; with no hash (no such account) it
    /// takes as long and answers false.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, AppError> {
        let known = hash.is_some();
        let hash = hash.unwrap_or(&self.dummy).to_owned();
        let password = password.to_owned();
        let matches = self.run(move |memory| verify_with(&password, &hash, memory)).await?;
        Ok(known && matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_follow_the_rules() {
        assert!(check_new("seven77", "a@b.dk").is_err());
        assert!(check_new(&"x".repeat(129), "a@b.dk").is_err());
        assert!(check_new(&"x".repeat(128), "a@b.dk").is_ok());
        assert!(check_new("Password1", "a@b.dk").is_err(), "common, any case");
        assert!(check_new("Kodeord123", "a@b.dk").is_err());
        assert!(check_new("birgitte.holm", "birgitte.holm@example.dk").is_err(), "the email's name");
        assert!(check_new("æblegrød i regnvejr", "a@b.dk").is_ok());
        // Characters, not bytes: eight Danish letters are eight.
        assert!(check_new("æøåæøåæø", "a@b.dk").is_ok());
    }

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verify() {
        let passwords = Passwords::new(2).expect("hasher");
        let a = passwords.hash("en god lang sætning").await.expect("hash");
        let b = passwords.hash("en god lang sætning").await.expect("hash");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "salted");
        assert!(passwords.verify("en god lang sætning", Some(&a)).await.expect("verify"));
        assert!(!passwords.verify("en god lang saetning", Some(&a)).await.expect("verify"));
        assert!(!passwords.verify("en god lang sætning", None).await.expect("verify"));
        assert!(!passwords.verify("x", Some("garbage")).await.expect("verify"));
        // The hash is a standard PHC string: the argon2 crate's own verifier agrees.
        use argon2::PasswordVerifier;
        let parsed = PasswordHash::new(&a).expect("PHC string");
        assert!(Argon2::default().verify_password("en god lang sætning".as_bytes(), &parsed).is_ok());
        // And hashes made by the argon2 crate verify here.
        use argon2::PasswordHasher;
        let salt = SaltString::encode_b64(&[7; 16]).expect("salt");
        let theirs = Argon2::default().hash_password(b"another long one", &salt).expect("hash").to_string();
        assert!(passwords.verify("another long one", Some(&theirs)).await.expect("verify"));
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy_at_once_and_the_rest_still_verify() {
        let passwords = Arc::new(Passwords::with_queue(1, 2).expect("hasher"));
        let hash = passwords.hash("en god lang sætning").await.expect("hash");
        let mut attempts = tokio::task::JoinSet::new();
        for _ in 0..12 {
            let (passwords, hash) = (passwords.clone(), hash.clone());
            attempts.spawn(async move { passwords.verify("en god lang sætning", Some(&hash)).await });
        }
        let answers = attempts.join_all().await;
        let busy = answers.iter().filter(|a| matches!(a, Err(AppError::Busy { .. }))).count();
        let verified = answers.iter().filter(|a| matches!(a, Ok(true))).count();
        assert!(busy >= 1, "one thread and two places cannot take twelve at once: {answers:?}");
        assert_eq!(busy + verified, 12, "every other attempt verified: {answers:?}");
        // Once the queue has room again, it takes work again.
        assert!(passwords.verify("en god lang sætning", Some(&hash)).await.expect("room again"));
    }

    #[tokio::test]
    async fn a_job_whose_caller_has_gone_is_not_run() {
        let passwords = Arc::new(Passwords::with_queue(1, 4).expect("hasher"));
        // The only thread is busy with this one while the second waits.
        let first = tokio::spawn({
            let passwords = passwords.clone();
            async move { passwords.hash("den første lange sætning").await }
        });
        tokio::task::yield_now().await;
        let mut second = Box::pin(passwords.hash("den anden lange sætning"));
        // Polled once, it is queued; then its caller gives up.
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        assert!(second.as_mut().poll(&mut cx).is_pending());
        drop(second);
        first.await.expect("joined").expect("hashed");
        // A job queued after it runs only once the abandoned one has been passed over.
        passwords.hash("den tredje lange sætning").await.expect("hashed");
        assert_eq!(passwords.skipped(), 1);
    }
}

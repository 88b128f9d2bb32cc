//! Passwords: the rules a new one must meet, and Argon2id hashing off the
//! async runtime with a cap on how many hashes run at once (each takes 19 MiB
//! and tens of milliseconds of a core; unbounded, a burst of logins would
//! starve every other request).

use std::sync::Arc;

use argon2::password_hash::SaltString;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use tokio::sync::Semaphore;

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

/// Hashes and verifies passwords on blocking threads, a few at a time.
#[derive(Debug)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// A hash of nothing anyone knows, verified against when an email is
    /// unknown, so an unknown account costs the same time as a wrong password.
    dummy: String,
}

fn argon2() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|e| AppError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_blocking(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(format!("salt: {e}")))?;
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        tracing::error!("a stored password hash cannot be read");
        return false;
    };
    argon2().is_ok_and(|argon| argon.verify_password(password.as_bytes(), &parsed).is_ok())
}

impl Passwords {
    /// At most `concurrent` hashes at once (at least one).
    pub fn new(concurrent: usize) -> Result<Passwords, AppError> {
        let dummy = hash_blocking("not a password anyone has: stille dummy")?;
        Ok(Passwords { permits: Arc::new(Semaphore::new(concurrent.max(1))), dummy })
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| AppError::Unavailable("the server is stopping".into()))?;
        tokio::task::spawn_blocking(work).await.map_err(|e| AppError::Internal(format!("hashing task: {e}")))
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_owned();
        self.blocking(move || hash_blocking(&password)).await?
    }

    /// Whether `password` matches `hash`; with no hash (no such account) it
    /// takes as long and answers false.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, AppError> {
        let known = hash.is_some();
        let hash = hash.unwrap_or(&self.dummy).to_owned();
        let password = password.to_owned();
        let matches = self.blocking(move || verify_blocking(&password, &hash)).await?;
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
    }
}

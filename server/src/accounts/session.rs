//! Sessions: opaque random tokens, stored as their SHA-256 so a copy of the
//! database logs nobody in. The web app gets its token in an HttpOnly,
//! SameSite=Strict cookie (`Secure` but on loopback: [`CookieSecurity`]) and proves each write with a per-session CSRF token
//! in `X-CSRF-Token`; other clients send `Authorization: Bearer <token>`.
//!
//! A session ends at logout, after [`IDLE`] without use, or [`ABSOLUTE`] after
//! log-in, whichever comes first.

use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use sha2::{Digest, Sha256};

use crate::store::now_ms;
use crate::{AppError, AppState, on_store};

/// The cookie's name.
pub const COOKIE: &str = "stille_session";
/// The header a cookie-authenticated write carries.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A session unused this long has ended: two weeks, so a course's weekly
/// rhythm (or a missed week) keeps a phone signed in, while a phone lost or
/// left behind is not signed in for long (OWASP ASVS 7.3).
pub const IDLE: Duration = Duration::from_secs(14 * 24 * 3600);
/// No session lasts longer than this, used or not.
pub const ABSOLUTE: Duration = Duration::from_secs(90 * 24 * 3600);
/// `last_seen` is written at most this often, so reads stay reads.
const TOUCH_EVERY_MS: i64 = 60_000;

pub use stille_practice::api::{Role, User};

/// A role as stored; anything else is a damaged row.
pub fn stored_role(text: &str) -> Result<Role, AppError> {
    Role::parse(text).ok_or_else(|| AppError::Internal(format!("stored role {text:?} is unknown")))
}

/// How the request proved who it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Cookie,
    Bearer,
}

/// A logged-in caller. Extracting it refuses the request (401) without a
/// live session, and (403) a cookie-authenticated write without the CSRF token.
#[derive(Clone, Debug)]
pub struct Auth {
    pub user: User,
    pub via: Via,
    pub token_hash: String,
    pub csrf_token: String,
    /// The session's shown id (see `GET /api/me/sessions`).
    pub session_id: String,
    /// The session was signed in with a code (two-step sign-in).
    pub two_step: bool,
    /// Two-step sign-in is required of this account to teach.
    pub two_step_required: bool,
}

impl Auth {
    /// Refuses unless the caller is an instructor whose session may teach.
    pub fn instructor(&self) -> Result<&User, AppError> {
        match self.user.role {
            Role::Instructor => {
                self.may_teach()?;
                Ok(&self.user)
            }
            Role::Participant => Err(AppError::Forbidden(
                "only instructors can do this; ask your server admin for an instructor account".into(),
            )),
        }
    }
}

impl Auth {
    /// Refuses an instructor's session that was not signed in with two steps
    /// where the server requires it (called after the course was found, so
    /// ids cannot be probed).
    pub fn may_teach(&self) -> Result<(), AppError> {
        if self.two_step_required && !self.two_step { Err(AppError::TwoStepRequired) } else { Ok(()) }
    }
}

/// 32 random bytes, URL-safe base64 without padding (43 characters).
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(base64url(&bytes))
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// What signed in, in a few words, from its User-Agent: "Safari · iPhone",
/// "Firefox · Android", "Chrome · Windows"; "an app" without a browser's.
/// Only for the owner's list of sessions: never a security decision.
pub fn device_label(user_agent: Option<&str>) -> String {
    let Some(agent) = user_agent.filter(|a| a.starts_with("Mozilla/")) else {
        return "an app".to_owned();
    };
    let system = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Macintosh", "Mac"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(needle, _)| agent.contains(needle))
    .map_or("", |(_, name)| name);
    let browser = [
        ("Edg", "Edge"),
        ("Firefox", "Firefox"),
        ("FxiOS", "Firefox"),
        ("SamsungBrowser", "Samsung Internet"),
        ("CriOS", "Chrome"),
        ("Chrome", "Chrome"),
        ("Safari", "Safari"),
    ]
    .into_iter()
    .find(|(needle, _)| agent.contains(needle))
    .map_or("a browser", |(_, name)| name);
    if system.is_empty() { browser.to_owned() } else { format!("{browser} · {system}") }
}

/// SHA-256 of a secret, hex: how tokens and codes are stored.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Equal, in time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether the session cookie is marked `Secure`, decided per request from
/// the page that asked (its `Origin`): always, except for a page served over
/// plain http from this computer itself (`http://127.0.0.1:8080`, the
/// README's address). WebKit refuses to store a `Secure` cookie from plain
/// http even on loopback (Chromium and Firefox accept it), and traffic on
/// loopback never leaves the machine. Anywhere else the cookie is `Secure`,
/// so plain http on a real address cannot keep a session at all: run Stille
/// behind HTTPS (docs/API.md, "HTTPS").
///
/// The `Origin` is what the browser itself shows in its address bar, so a
/// reverse proxy that rewrites `Host` does not change the answer; a request
/// without one (a native client, which uses bearer tokens) gets `Secure`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CookieSecurity {
    pub secure: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for CookieSecurity {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<CookieSecurity, Self::Rejection> {
        let origin = parts.headers.get(axum::http::header::ORIGIN).and_then(|v| v.to_str().ok());
        Ok(CookieSecurity { secure: !origin.is_some_and(is_plain_http_loopback) })
    }
}

/// `http://localhost…`, `http://127.x.x.x…` or `http://[::1]…`.
fn is_plain_http_loopback(origin: &str) -> bool {
    let Some(rest) = origin.strip_prefix("http://") else { return false };
    let host = match rest.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => rest.split([':', '/']).next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl CookieSecurity {
    fn attributes(self) -> &'static str {
        if self.secure {
            "Path=/api; HttpOnly; Secure; SameSite=Strict"
        } else {
            "Path=/api; HttpOnly; SameSite=Strict"
        }
    }

    /// The `Set-Cookie` value that carries a new session.
    pub fn session_cookie(self, token: &str) -> HeaderValue {
        let value = format!("{COOKIE}={token}; {}; Max-Age={}", self.attributes(), ABSOLUTE.as_secs());
        HeaderValue::from_str(&value)
            .unwrap_or_else(|_| HeaderValue::from_static("stille_session=; Max-Age=0"))
    }

    /// The `Set-Cookie` value that removes the session cookie (with the same
    /// attributes it was set with, or WebKit keeps it).
    pub fn cleared_cookie(self) -> HeaderValue {
        let value = format!("{COOKIE}=; {}; Max-Age=0", self.attributes());
        HeaderValue::from_str(&value)
            .unwrap_or_else(|_| HeaderValue::from_static("stille_session=; Max-Age=0"))
    }
}

/// The token a request carries, and how.
fn presented(headers: &HeaderMap) -> Option<(String, Via)> {
    if let Some(value) = headers.get(axum::http::header::AUTHORIZATION) {
        let value = value.to_str().ok()?;
        let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))?;
        return Some((token.trim().to_owned(), Via::Bearer));
    }
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('=').map(str::to_owned))
        .map(|token| (token, Via::Cookie))
}

type SessionRow = (String, String, String, String, String, i64, i64, Option<String>, i64);

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Auth, AppError> {
        let Some((token, via)) = presented(&parts.headers) else {
            return Err(AppError::Unauthenticated("this needs you to be logged in (POST /api/sessions)"));
        };
        // A token is 43 URL-safe characters; anything else cannot match, and
        // need not reach the database.
        if token.len() != 43 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(AppError::Unauthenticated("the session token is not one this server made"));
        }
        let token_hash = digest(&token);
        const SQL: &str = "SELECT u.id, u.email, u.role, u.display_name, s.csrf_token, s.created_at_ms, \
                           s.last_seen_ms, s.public_id, s.two_step FROM sessions s JOIN users u ON u.id = s.user_id \
                           WHERE s.token_hash = $1";
        let row: Option<SessionRow> = on_store!(&state.store, pool => {
            sqlx::query_as(SQL).bind(&token_hash).fetch_optional(pool).await?
        });
        let Some((
            id,
            email,
            role,
            display_name,
            csrf_token,
            created_at_ms,
            last_seen_ms,
            session_id,
            two_step,
        )) = row
        else {
            return Err(AppError::Unauthenticated("the session has ended; log in again"));
        };
        let now = now_ms();
        let idle = now - last_seen_ms > IDLE.as_millis() as i64;
        let too_old = now - created_at_ms > ABSOLUTE.as_millis() as i64;
        if idle || too_old {
            on_store!(&state.store, pool => {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&token_hash).execute(pool).await?;
            });
            return Err(AppError::Unauthenticated("the session has expired; log in again"));
        }
        if via == Via::Cookie && !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let sent = parts.headers.get(CSRF_HEADER).map(HeaderValue::as_bytes).unwrap_or_default();
            if !constant_time_eq(sent, csrf_token.as_bytes()) {
                return Err(AppError::Forbidden(
                    "a write with the session cookie needs the X-CSRF-Token header from log-in or GET /api/me"
                        .into(),
                ));
            }
        }
        if now - last_seen_ms > TOUCH_EVERY_MS {
            on_store!(&state.store, pool => {
                sqlx::query("UPDATE sessions SET last_seen_ms = $1 WHERE token_hash = $2")
                    .bind(now)
                    .bind(&token_hash)
                    .execute(pool)
                    .await?;
            });
        }
        let user = User { id, email, role: stored_role(&role)?, display_name };
        let two_step_required =
            user.role == Role::Instructor && state.two_step == super::two_step::Policy::Required;
        Ok(Auth {
            user,
            via,
            token_hash,
            csrf_token,
            session_id: session_id.unwrap_or_default(),
            two_step: two_step != 0,
            two_step_required,
        })
    }
}

/// `Option<Auth>`: None without a live session (no token, an unknown or
/// ended one); other failures (the database) are still errors.
impl axum::extract::OptionalFromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Auth>, AppError> {
        match <Auth as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(auth) => Ok(Some(auth)),
            Err(AppError::Unauthenticated(_)) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_on_this_computer_drops_secure() {
        for origin in
            ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://127.1.2.3"]
        {
            assert!(is_plain_http_loopback(origin), "{origin}");
        }
        for origin in [
            "https://127.0.0.1:8080",
            "https://stille.example",
            "http://stille.example",
            "http://192.168.1.20:8080",
            "http://127.0.0.1.evil.example",
            "http://localhost.evil.example",
            "null",
        ] {
            assert!(!is_plain_http_loopback(origin), "{origin}");
        }
        let plain = CookieSecurity { secure: false }.session_cookie("t");
        assert!(!plain.to_str().unwrap_or_default().contains("Secure"));
        let secure = CookieSecurity { secure: true }.cleared_cookie();
        assert!(secure.to_str().unwrap_or_default().contains("; Secure;"));
    }

    #[test]
    fn devices_are_named_in_a_few_words() {
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
        let android = "Mozilla/5.0 (Android 15; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0";
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";
        let edge = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0";
        assert_eq!(device_label(Some(iphone)), "Safari · iPhone");
        assert_eq!(device_label(Some(android)), "Firefox · Android");
        assert_eq!(device_label(Some(chrome)), "Chrome · Windows");
        assert_eq!(device_label(Some(edge)), "Edge · Mac");
        assert_eq!(device_label(Some("curl/8.5.0")), "an app");
        assert_eq!(device_label(None), "an app");
    }

    #[test]
    fn tokens_are_43_url_safe_characters_and_differ() {
        let a = random_token().expect("token");
        let b = random_token().expect("token");
        assert_eq!(a.len(), 43);
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(a, b);
        assert_eq!(base64url(b"Man"), "TWFu");
        assert_eq!(base64url(b"Ma"), "TWE");
    }

    #[test]
    fn tokens_are_read_from_bearer_or_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert("cookie", HeaderValue::from_static("theme=dark; stille_session=abc"));
        assert_eq!(presented(&headers), Some(("abc".into(), Via::Cookie)));
        headers.insert("authorization", HeaderValue::from_static("Bearer xyz"));
        assert_eq!(presented(&headers), Some(("xyz".into(), Via::Bearer)));
        assert!(
            constant_time_eq(b"abc", b"abc")
                && !constant_time_eq(b"abc", b"abd")
                && !constant_time_eq(b"a", b"ab")
        );
    }
}

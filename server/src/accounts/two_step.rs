//! Two-step sign-in: a password and a six-digit code from an authenticator
//! app (TOTP, RFC 6238: HMAC-SHA1, 30-second steps, the usual settings every
//! authenticator app reads from a QR code). Instructors see other people's
//! practice, so by default (`--instructor-two-step required`) an instructor's
//! session can teach only after a code was given: at sign-in, or when the
//! authenticator was set up in that session.
//!
//! Setting up needs the password (a stolen session must not tie the account
//! to a thief's phone). A code works once (its step is remembered), wrong
//! codes count as wrong passwords ([`crate::limits::Failures`]), and a lost
//! phone is handled by the server admin (`stille-server admin reset-two-step`),
//! who checks who is asking.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use hmac::{Hmac, Mac};
use stille_practice::api::{TwoStepConfirm, TwoStepSetup, TwoStepStart};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Email;
use super::session::Auth;
use crate::error::ErrorBody;
use crate::json::Body;
use crate::limits::ClientIp;
use crate::secrets::{Column, Sealer};
use crate::store::now_ms;
use crate::{AppError, AppState, Store, on_store};

/// Seconds per code.
const STEP_S: i64 = 30;
/// Codes one step early or late are accepted (a phone's clock drifts).
const DRIFT_STEPS: i64 = 1;

/// Whether instructors must sign in with two steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Policy {
    /// An instructor's session teaches only after a code (the default).
    #[default]
    Required,
    /// Anyone may turn it on; nobody must.
    Optional,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(start)).routes(routes!(confirm))
}

/// The code for `secret` at time step `step`.
pub fn code_at(secret: &[u8], step: i64) -> String {
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(secret) else {
        // HMAC takes a key of any length; unreachable, but never a panic.
        return String::new();
    };
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let number = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!("{:06}", number % 1_000_000)
}

/// The time step of `ms` (milliseconds since 1970).
pub fn step_of(ms: i64) -> i64 {
    ms.div_euclid(1000 * STEP_S)
}

/// The step `code` belongs to, near `now_ms`, if it is right.
pub fn matching_step(secret: &[u8], code: &str, now_ms: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_of(now_ms);
    (now - DRIFT_STEPS..=now + DRIFT_STEPS).find(|&step| {
        let expected = code_at(secret, step);
        // Compared without stopping at the first difference.
        expected.len() == code.len()
            && expected.bytes().zip(code.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    })
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding: how authenticator apps take a secret.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Reads base32 as [`base32`] writes it (spaces and case ignored), as a
/// person or a test copies the secret from the screen.
pub fn parse_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = BASE32.iter().position(|&b| char::from(b) == c.to_ascii_uppercase())?;
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// The code an authenticator app with `secret` (base32) shows at `now_ms`.
pub fn code_now(secret: &str, now_ms: i64) -> Option<String> {
    Some(code_at(&parse_base32(secret)?, step_of(now_ms)))
}

/// The account's two-step secret, if it has one: (secret, last step used).
pub async fn secret_of(
    store: &Store,
    secrets: &Sealer,
    user_id: &str,
) -> Result<Option<(Vec<u8>, Option<i64>)>, AppError> {
    type Row = (Option<String>, Option<String>, Option<i64>);
    let row: Option<Row> = on_store!(store, pool => {
        sqlx::query_as("SELECT totp_secret, totp_sealed, totp_last_step FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?
    });
    let Some((clear, sealed, last)) = row else { return Ok(None) };
    // Never None for a secret that is there but does not read: two-step
    // sign-in is not skipped (see `Sealer::secret`).
    let secret = secrets.secret(user_id, Column::TotpSecret, clear.as_deref(), sealed.as_deref())?;
    Ok(secret.map(|secret| (secret, last)))
}

/// Uses the step of a right code: Ok(false) when it was used already (a
/// replayed code), so each code signs in once.
pub async fn use_step(store: &Store, user_id: &str, step: i64) -> Result<bool, AppError> {
    let used = on_store!(store, pool => {
        sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user_id)
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(used == 1)
}

/// The wrong-or-missing code error, on the field `one_time_code`.
pub fn code_error(missing: bool) -> AppError {
    AppError::invalid(
        "one_time_code",
        if missing {
            "this account signs in with two steps: send the six-digit code from the authenticator app as one_time_code"
        } else {
            "the code is wrong or has run out; type the code the authenticator app shows now"
        },
    )
}

/// Start setting up two-step sign-in (the password is needed): a new secret,
/// to add to an authenticator app, which works once a code from the app is
/// confirmed (`POST /api/me/two-step/confirm`).
#[utoipa::path(post, path = "/me/two-step", tag = "accounts", request_body = TwoStepStart,
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 201, description = "The secret, and a link for the authenticator app", body = TwoStepSetup),
        (status = 409, description = "Two-step sign-in is on already", body = ErrorBody),
        (status = 422, description = "The password is wrong", body = ErrorBody),
        (status = 429, description = "Too many wrong passwords; see Retry-After", body = ErrorBody),
    ))]
async fn start(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    auth: Auth,
    Body(form): Body<TwoStepStart>,
) -> Result<(StatusCode, Json<TwoStepSetup>), AppError> {
    super::confirm_password(
        &state,
        &auth,
        &ip,
        &form.password,
        "password",
        "two-step set-up",
        "the password is wrong; nothing changed",
    )
    .await?;
    let on: Option<(Option<String>,)> = on_store!(&state.store, pool => {
        sqlx::query_as("SELECT totp_secret FROM users WHERE id = $1").bind(&auth.user.id).fetch_optional(pool).await?
    });
    if on.is_some_and(|r| r.0.is_some()) {
        return Err(AppError::Conflict("two-step sign-in is on already".into()));
    }
    let mut secret = [0u8; 20];
    getrandom::getrandom(&mut secret).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    let (pending, sealed) = state.secrets.seal_pair(&auth.user.id, Column::TotpPending, &secret)?;
    on_store!(&state.store, pool => {
        sqlx::query("UPDATE users SET totp_pending = $1, totp_pending_sealed = $2 WHERE id = $3")
            .bind(&pending)
            .bind(&sealed)
            .bind(&auth.user.id)
            .execute(pool)
            .await?;
    });
    let encoded = base32(&secret);
    let label = percent(&format!("Stille:{}", auth.user.email));
    let uri =
        format!("otpauth://totp/{label}?secret={encoded}&issuer=Stille&algorithm=SHA1&digits=6&period=30");
    Ok((StatusCode::CREATED, Json(TwoStepSetup { secret: encoded, uri })))
}

/// Percent-encodes all but unreserved characters (for the otpauth label).
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b':' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Turn two-step sign-in on with a code from the authenticator app; this
/// session counts as signed in with two steps.
#[utoipa::path(post, path = "/me/two-step/confirm", tag = "accounts", request_body = TwoStepConfirm,
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "On; sign in with a code from now on"),
        (status = 409, description = "No set-up was started", body = ErrorBody),
        (status = 422, description = "The code is wrong (field one_time_code)", body = ErrorBody),
        (status = 429, description = "Too many wrong codes; see Retry-After", body = ErrorBody),
    ))]
async fn confirm(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    auth: Auth,
    Body(form): Body<TwoStepConfirm>,
) -> Result<StatusCode, AppError> {
    let attempt = (auth.user.email.as_str(), ip.as_str());
    state.limits.password.check(attempt).await?;
    let pending: Option<(Option<String>, Option<String>)> = on_store!(&state.store, pool => {
        sqlx::query_as("SELECT totp_pending, totp_pending_sealed FROM users WHERE id = $1")
            .bind(&auth.user.id)
            .fetch_optional(pool)
            .await?
    });
    let (clear, sealed) = pending.unwrap_or((None, None));
    let Some(secret) =
        state.secrets.secret(&auth.user.id, Column::TotpPending, clear.as_deref(), sealed.as_deref())?
    else {
        return Err(AppError::Conflict("start the set-up first (POST /api/me/two-step)".into()));
    };
    let (confirmed, confirmed_sealed) =
        state.secrets.seal_pair(&auth.user.id, Column::TotpSecret, &secret)?;
    let now = now_ms();
    let Some(step) = matching_step(&secret, &form.one_time_code, now) else {
        state.limits.password.failed(attempt).await?;
        return Err(code_error(false));
    };
    state.limits.password.succeeded(attempt).await?;
    on_store!(&state.store, pool => {
        let mut tx = crate::store::BeginWrite::begin_write(pool).await?;
        sqlx::query(
            "UPDATE users SET totp_secret = $1, totp_sealed = $2, totp_pending = NULL, totp_pending_sealed = NULL, \
             totp_last_step = $3, totp_enabled_at_ms = $4 WHERE id = $5",
        )
        .bind(&confirmed)
        .bind(&confirmed_sealed)
        .bind(step)
        .bind(now)
        .bind(&auth.user.id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE sessions SET two_step = 1 WHERE token_hash = $1")
            .bind(&auth.token_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    });
    tracing::info!(target: "security", user = %auth.user.id, %ip, "two-step sign-in turned on");
    Ok(StatusCode::NO_CONTENT)
}

/// Turns two-step sign-in off for the account with `email`, removes its
/// passkeys and ends its sessions (`stille-server admin reset-two-step`: a lost phone; check who
/// is asking first). They set it up again at their next sign-in.
pub async fn admin_reset(store: &Store, email: &str) -> Result<(), AppError> {
    let email = Email::parse(email)?;
    let user: Option<(String,)> = on_store!(store, pool => {
        sqlx::query_as("SELECT id FROM users WHERE email = $1").bind(email.as_str()).fetch_optional(pool).await?
    });
    let (user_id,) =
        user.ok_or_else(|| AppError::NotFound(format!("no account has the email {}", email.as_str())))?;
    on_store!(store, pool => {
        let mut tx = crate::store::BeginWrite::begin_write(pool).await?;
        sqlx::query(
            "UPDATE users SET totp_secret = NULL, totp_sealed = NULL, totp_pending = NULL, totp_pending_sealed = NULL, \
             totp_last_step = NULL, totp_enabled_at_ms = NULL WHERE id = $1",
        )
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
        // A lost phone may hold a passkey too: those go as well.
        sqlx::query("DELETE FROM passkeys WHERE user_id = $1").bind(&user_id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&user_id).execute(&mut *tx).await?;
        tx.commit().await?;
    });
    tracing::warn!(target: "security", user = %user_id, "the admin turned two-step sign-in off and removed passkeys");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{hex, unhex};

    #[test]
    fn codes_match_rfc_6238s_sha1_vectors() {
        // RFC 6238, Appendix B: the 20-byte ASCII secret, SHA-1, 8 digits;
        // six digits are the last six of those.
        let secret = b"12345678901234567890";
        for (time_s, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            assert_eq!(code_at(secret, step_of(time_s * 1000)), eight[2..], "{time_s}");
        }
    }

    #[test]
    fn a_code_matches_its_step_and_the_neighbours_only() {
        let secret = b"another secret of 20";
        let now = 1_800_000_000_000;
        let code = code_at(secret, step_of(now));
        assert_eq!(matching_step(secret, &code, now), Some(step_of(now)));
        assert_eq!(matching_step(secret, &code, now + 30_000), Some(step_of(now)), "one step late");
        assert_eq!(matching_step(secret, &code, now + 90_000), None, "three steps late");
        assert_eq!(matching_step(secret, &format!("{} {}", &code[..3], &code[3..]), now), Some(step_of(now)));
        for bad in ["", "12345", "1234567", "abcdef"] {
            assert_eq!(matching_step(secret, bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn base32_is_rfc_4648s() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(parse_base32("mzxw 6ytb oi"), Some(b"foobar".to_vec()));
        let secret = [7u8; 20];
        assert_eq!(parse_base32(&base32(&secret)), Some(secret.to_vec()));
        assert_eq!(parse_base32("not base32!"), None);
        assert_eq!(unhex(&hex(b"\x00\xffab")), Some(b"\x00\xffab".to_vec()));
        assert_eq!(unhex("zz"), None);
    }
}

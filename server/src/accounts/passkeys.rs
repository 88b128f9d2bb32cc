//! Passkeys: signing in with a fingerprint, face or the device's PIN instead
//! of a password and a code. A passkey is made on the person's device and
//! only its public key is kept here ([`crate::webauthn`] checks what the
//! browser sends). Being both something one has (the device) and something
//! one is or knows (the verification), it counts as a two-step sign-in: an
//! instructor who signs in with a passkey may teach (`--instructor-two-step
//! required`), and so may the session in which one was added.
//!
//! Adding one needs the password (as setting up a code does), so a stolen
//! session cannot tie the account to someone else's device. Each ceremony
//! answers a challenge made for it, kept for five minutes and used once.
//! A lost device: remove its passkey from another signed-in device, or ask
//! the server admin (`stille-server admin reset-two-step` removes passkeys
//! and the code).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use stille_practice::api::{
    LoggedIn, Passkey, PasskeyCreation, PasskeyNew, PasskeyRequest, PasskeySignIn, PasskeyStart,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::session::{Auth, CookieSecurity, random_token};
use crate::error::ErrorBody;
use crate::json::Body;
use crate::limits::ClientIp;
use crate::store::{BeginWrite, is_unique_violation, now_ms};
use crate::webauthn::{self, Party, Refused, base64url, base64url_decode};
use crate::{AppError, AppState, Store, on_store};

/// How long a challenge may be answered.
const CHALLENGE_MS: i64 = 5 * 60 * 1000;
/// What the browser is told to wait for the person.
const TIMEOUT_MS: u32 = 120_000;
/// Passkeys one account may have.
pub const MAX_PER_ACCOUNT: i64 = 20;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(start))
        .routes(routes!(remove))
        .routes(routes!(sign_in_challenge))
        .routes(routes!(sign_in))
}

/// Who the passkeys are for: the configured public address, or else the
/// page the request came from when it is this server's own (the app's
/// requests are same-origin, so `Origin` names the same host as `Host`).
fn party(state: &AppState, headers: &HeaderMap) -> Result<Party, AppError> {
    if let Some(url) = state.public_url.as_deref() {
        return party_of_origin(url.trim_end_matches('/')).ok_or_else(|| {
            AppError::Internal(format!("--public-url {url:?} is not an http(s) address with a host"))
        });
    }
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(origin), Some(host)) = (text(header::ORIGIN), text(header::HOST)) else {
        return Err(AppError::invalid(
            "origin",
            "passkeys work from Stille's own page (no Origin header was sent)",
        ));
    };
    let same = origin.split_once("://").is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host));
    match party_of_origin(origin) {
        Some(party) if same => Ok(party),
        _ => Err(AppError::invalid("origin", "passkeys work only from Stille's own page")),
    }
}

/// `https://host[:port]` → the relying party id `host` and that origin.
pub fn party_of_origin(origin: &str) -> Option<Party> {
    let (scheme, rest) = origin.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let authority = rest.split('/').next()?;
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => authority.split(':').next()?,
    };
    if host.is_empty() {
        return None;
    }
    Some(Party {
        id: host.to_ascii_lowercase(),
        origin: format!("{scheme}://{}", authority.to_ascii_lowercase()),
    })
}

/// A new challenge, kept for [`CHALLENGE_MS`]; for adding a passkey to
/// `user_id`, or for a sign-in (None).
async fn new_challenge(state: &AppState, user_id: Option<&str>) -> Result<(String, Vec<u8>), AppError> {
    let mut challenge = vec![0u8; 32];
    getrandom::getrandom(&mut challenge).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    let id = random_token()?;
    let now = now_ms();
    on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        // Old ones go as new ones come: the table holds five minutes' worth.
        sqlx::query("DELETE FROM passkey_challenges WHERE expires_at_ms < $1").bind(now).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO passkey_challenges (id, user_id, challenge, expires_at_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(&id)
        .bind(user_id)
        .bind(&challenge)
        .bind(now + CHALLENGE_MS)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    });
    Ok((id, challenge))
}

/// Takes the challenge `id` (it works once): its bytes, if it is live and
/// was made for `user_id`.
async fn take_challenge(state: &AppState, id: &str, user_id: Option<&str>) -> Result<Vec<u8>, AppError> {
    let row: Option<(Option<String>, Vec<u8>, i64)> = on_store!(&state.store, pool => {
        sqlx::query_as("DELETE FROM passkey_challenges WHERE id = $1 RETURNING user_id, challenge, expires_at_ms")
            .bind(id)
            .fetch_optional(pool)
            .await?
    });
    match row {
        Some((owner, challenge, expires)) if owner.as_deref() == user_id && expires >= now_ms() => {
            Ok(challenge)
        }
        _ => Err(AppError::invalid(
            "challenge_id",
            "the challenge is unknown, used or more than five minutes old; start again",
        )),
    }
}

/// The longest each field of a passkey's answer may be, in base64url
/// characters (the OpenAPI document states the same): far above what
/// browsers send, and together within a request body's 16 KiB.
pub const MAX_CHARS: [(&str, usize); 6] = [
    ("attestation_object", 8192),
    ("client_data_json", 2048),
    ("authenticator_data", 2048),
    ("credential_id", 1400),
    ("signature", 200),
    ("user_handle", 100),
];

/// The bytes of the base64url `field`.
fn bytes(field: &'static str, text: &str) -> Result<Vec<u8>, AppError> {
    let max = MAX_CHARS.iter().find(|(name, _)| *name == field).map_or(0, |(_, max)| *max);
    if text.len() > max {
        return Err(AppError::invalid(
            field,
            format!("is longer than a passkey's answer can be ({max} characters)"),
        ));
    }
    base64url_decode(text).ok_or_else(|| AppError::invalid(field, "is not base64url"))
}

fn refused(field: &'static str, why: Refused) -> AppError {
    AppError::invalid(field, why.to_string())
}

/// A passkey as a sign-in reads it, with its account's handle.
#[derive(sqlx::FromRow)]
struct Kept {
    passkey_id: String,
    user_id: String,
    public_key: Vec<u8>,
    stored: i64,
    handle: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    created_at_ms: i64,
    last_used_ms: Option<i64>,
    synced: i64,
}

impl From<Row> for Passkey {
    fn from(row: Row) -> Passkey {
        Passkey {
            id: row.id,
            name: row.name,
            created_at_ms: row.created_at_ms,
            last_used_ms: row.last_used_ms,
            synced: row.synced != 0,
        }
    }
}

/// The caller's passkeys, newest first.
#[utoipa::path(get, path = "/me/passkeys", tag = "accounts",
    security(("session_cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The account's passkeys", body = Vec<Passkey>)))]
async fn list(State(state): State<AppState>, auth: Auth) -> Result<Json<Vec<Passkey>>, AppError> {
    Ok(Json(of_user(&state.store, &auth.user.id).await?))
}

/// `user_id`'s passkeys as the person sees them (no keys), newest first; the
/// list and the account export.
pub async fn of_user(store: &Store, user_id: &str) -> Result<Vec<Passkey>, AppError> {
    let rows: Vec<Row> = on_store!(store, pool => {
        sqlx::query_as(
            "SELECT id, name, created_at_ms, last_used_ms, synced FROM passkeys WHERE user_id = $1 \
             ORDER BY created_at_ms DESC, id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?
    });
    Ok(rows.into_iter().map(Passkey::from).collect())
}

/// Start adding a passkey (the password is needed): what the browser's
/// `navigator.credentials.create` needs.
#[utoipa::path(post, path = "/me/passkeys/challenge", tag = "accounts", request_body = PasskeyStart,
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 201, description = "The options for the browser and the challenge's id", body = PasskeyCreation),
        (status = 409, description = "The account has as many passkeys as it may", body = ErrorBody),
        (status = 422, description = "The password is wrong, or the request is not from Stille's page", body = ErrorBody),
        (status = 429, description = "Too many wrong passwords; see Retry-After", body = ErrorBody),
    ))]
async fn start(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    auth: Auth,
    Body(form): Body<PasskeyStart>,
) -> Result<(StatusCode, Json<PasskeyCreation>), AppError> {
    let party = party(&state, &headers)?;
    super::confirm_password(
        &state,
        &auth,
        &ip,
        &form.password,
        "password",
        "passkey",
        "the password is wrong; nothing changed",
    )
    .await?;
    let (handle, existing): (String, Vec<(Vec<u8>,)>) = on_store!(&state.store, pool => {
        let handle: Option<(Option<String>,)> = sqlx::query_as("SELECT passkey_handle FROM users WHERE id = $1")
            .bind(&auth.user.id)
            .fetch_optional(pool)
            .await?;
        let handle = match handle.and_then(|h| h.0) {
            Some(handle) => handle,
            None => {
                // A random handle, not the account's id: the device keeps it.
                let handle = random_token()?;
                sqlx::query("UPDATE users SET passkey_handle = $1 WHERE id = $2 AND passkey_handle IS NULL")
                    .bind(&handle)
                    .bind(&auth.user.id)
                    .execute(pool)
                    .await?;
                let kept: (Option<String>,) = sqlx::query_as("SELECT passkey_handle FROM users WHERE id = $1")
                    .bind(&auth.user.id)
                    .fetch_one(pool)
                    .await?;
                kept.0.unwrap_or(handle)
            }
        };
        let existing = sqlx::query_as("SELECT credential_id FROM passkeys WHERE user_id = $1")
            .bind(&auth.user.id)
            .fetch_all(pool)
            .await?;
        (handle, existing)
    });
    if existing.len() as i64 >= MAX_PER_ACCOUNT {
        return Err(AppError::Conflict(format!(
            "an account may have {MAX_PER_ACCOUNT} passkeys; remove one first"
        )));
    }
    let (challenge_id, challenge) = new_challenge(&state, Some(&auth.user.id)).await?;
    let display = if auth.user.display_name.is_empty() {
        auth.user.email.clone()
    } else {
        auth.user.display_name.clone()
    };
    Ok((
        StatusCode::CREATED,
        Json(PasskeyCreation {
            challenge_id,
            challenge: base64url(&challenge),
            rp_id: party.id,
            rp_name: "Stille".into(),
            user_id: handle,
            user_name: auth.user.email.clone(),
            user_display_name: display,
            algorithms: vec![webauthn::ES256],
            exclude: existing.iter().map(|(id,)| base64url(id)).collect(),
            timeout_ms: TIMEOUT_MS,
        }),
    ))
}

/// Keep the passkey the browser just made; this session counts as signed in
/// with two steps from now on.
#[utoipa::path(post, path = "/me/passkeys", tag = "accounts", request_body = PasskeyNew,
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 201, description = "Kept", body = Passkey),
        (status = 409, description = "This passkey is kept already", body = ErrorBody),
        (status = 422, description = "The answer is refused (the field and why)", body = ErrorBody),
    ))]
async fn add(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    auth: Auth,
    Body(form): Body<PasskeyNew>,
) -> Result<(StatusCode, Json<Passkey>), AppError> {
    let party = party(&state, &headers)?;
    let name = stille_practice::api::one_line("name", &form.name, 80, "a passkey's name")?;
    let name = name.as_str();
    let client_data = bytes("client_data_json", &form.client_data_json)?;
    let attestation = bytes("attestation_object", &form.attestation_object)?;
    let challenge = take_challenge(&state, &form.challenge_id, Some(&auth.user.id)).await?;
    let made = webauthn::register(&party, &challenge, &client_data, &attestation).map_err(|why| {
        tracing::warn!(target: "security", user = %auth.user.id, %ip, %why, "passkey refused");
        refused("attestation_object", why)
    })?;
    let id = random_token()?;
    let now = now_ms();
    let stored: Result<(), sqlx::Error> = on_store!(&state.store, pool => {
        async {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO passkeys (id, user_id, credential_id, public_key, sign_count, name, synced, \
                 created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id)
            .bind(&auth.user.id)
            .bind(&made.credential_id)
            .bind(&made.public_key)
            .bind(i64::from(made.sign_count))
            .bind(name)
            .bind(i64::from(made.backed_up))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE sessions SET two_step = 1 WHERE token_hash = $1")
                .bind(&auth.token_hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
        .await
    });
    match stored {
        Ok(()) => {}
        Err(error) if is_unique_violation(&error) => {
            return Err(AppError::Conflict("this passkey is kept already".into()));
        }
        Err(error) => return Err(error.into()),
    }
    tracing::info!(target: "security", user = %auth.user.id, %ip, "passkey added");
    let passkey =
        Passkey { id, name: name.to_owned(), created_at_ms: now, last_used_ms: None, synced: made.backed_up };
    Ok((StatusCode::CREATED, Json(passkey)))
}

/// Remove one of the caller's passkeys (a lost or given-away device).
#[utoipa::path(delete, path = "/me/passkeys/{id}", tag = "accounts",
    params(("id" = String, Path, description = "The passkey's id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such passkey on this account", body = ErrorBody),
    ))]
async fn remove(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let removed = on_store!(&state.store, pool => {
        sqlx::query("DELETE FROM passkeys WHERE id = $1 AND user_id = $2")
            .bind(&id)
            .bind(&auth.user.id)
            .execute(pool)
            .await?
            .rows_affected()
    });
    if removed == 0 {
        return Err(AppError::NotFound("no such passkey on this account".into()));
    }
    tracing::info!(target: "security", user = %auth.user.id, "passkey removed");
    Ok(StatusCode::NO_CONTENT)
}

/// Start signing in with a passkey: what `navigator.credentials.get` needs.
/// No account is named; the device offers its passkeys for this site.
#[utoipa::path(post, path = "/sessions/passkey/challenge", tag = "accounts",
    responses(
        (status = 201, description = "The options for the browser and the challenge's id", body = PasskeyRequest),
        (status = 422, description = "The request is not from Stille's page", body = ErrorBody),
        (status = 429, description = "Too many sign-ins from this address; see Retry-After", body = ErrorBody),
    ))]
async fn sign_in_challenge(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> Result<(StatusCode, Json<PasskeyRequest>), AppError> {
    let party = party(&state, &headers)?;
    state.limits.login_ip.hit(&ip).await?;
    let (challenge_id, challenge) = new_challenge(&state, None).await?;
    let request = PasskeyRequest {
        challenge_id,
        challenge: base64url(&challenge),
        rp_id: party.id,
        timeout_ms: TIMEOUT_MS,
    };
    Ok((StatusCode::CREATED, Json(request)))
}

/// Sign in with a passkey's answer: a session with both steps.
#[utoipa::path(post, path = "/sessions/passkey", tag = "accounts", request_body = PasskeySignIn,
    responses(
        (status = 201, description = "Signed in", body = LoggedIn,
            headers(("set-cookie" = String, description = "The session cookie (cookie sign-ins)"))),
        (status = 401, description = "No account has this passkey, or its answer is wrong", body = ErrorBody),
        (status = 422, description = "The challenge is unknown or used, or a field is not base64url", body = ErrorBody),
        (status = 429, description = "Too many attempts; see Retry-After", body = ErrorBody),
    ))]
async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    cookie: CookieSecurity,
    headers: HeaderMap,
    Body(form): Body<PasskeySignIn>,
) -> Result<(StatusCode, HeaderMap, Json<LoggedIn>), AppError> {
    let party = party(&state, &headers)?;
    state.limits.login_ip.hit(&ip).await?;
    let credential_id = bytes("credential_id", &form.credential_id)?;
    let client_data = bytes("client_data_json", &form.client_data_json)?;
    let authenticator_data = bytes("authenticator_data", &form.authenticator_data)?;
    let signature = bytes("signature", &form.signature)?;
    let challenge = take_challenge(&state, &form.challenge_id, None).await?;
    let row: Option<Kept> = on_store!(&state.store, pool => {
        sqlx::query_as(
            "SELECT p.id AS passkey_id, p.user_id, p.public_key, p.sign_count AS stored, u.passkey_handle AS handle \
             FROM passkeys p \
             JOIN users u ON u.id = p.user_id WHERE p.credential_id = $1",
        )
        .bind(&credential_id)
        .fetch_optional(pool)
        .await?
    });
    let wrong = || AppError::Unauthenticated("no account has this passkey, or its answer is wrong");
    let Some(Kept { passkey_id, user_id, public_key, stored, handle }) = row else {
        tracing::warn!(target: "security", %ip, "passkey sign-in failed: unknown passkey");
        return Err(wrong());
    };
    // The device says whose passkey it is; it must be the account's.
    let sent =
        form.user_handle.as_deref().filter(|h| !h.is_empty()).map(|h| bytes("user_handle", h)).transpose()?;
    if let Some(sent) = sent
        && handle.as_deref() != Some(base64url(&sent).as_str())
    {
        tracing::warn!(target: "security", user = %user_id, %ip, "passkey sign-in failed: another account's handle");
        return Err(wrong());
    }
    let stored = u32::try_from(stored).unwrap_or(0);
    let count = webauthn::sign_in(
        &party,
        &challenge,
        &client_data,
        &authenticator_data,
        &signature,
        &public_key,
        stored,
    )
    .map_err(|why| {
        tracing::warn!(target: "security", user = %user_id, %ip, %why, "passkey sign-in failed");
        wrong()
    })?;
    let now = now_ms();
    on_store!(&state.store, pool => {
        sqlx::query("UPDATE passkeys SET sign_count = $1, last_used_ms = $2 WHERE id = $3")
            .bind(i64::from(count))
            .bind(now)
            .bind(&passkey_id)
            .execute(pool)
            .await?;
    });
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    super::open_session(&state, &user_id, true, form.token, cookie, user_agent, &ip).await
}

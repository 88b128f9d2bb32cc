//! Accounts and sessions: sign-up, log-in and log-out, the caller's own
//! account (`/api/me`), instructor invites, and the admin command that makes
//! an instructor.
//!
//! Anyone may sign up as a participant; on a server that sends mail, the
//! account is made when the link mailed to its address is opened. Instructors are made by the server
//! admin (`stille-server admin create-instructor`) or sign up with an invite
//! code from an existing instructor.

pub mod manage;
pub mod passkeys;
pub mod password;
pub mod session;
pub mod two_step;

use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use stille_practice::Lang;
use stille_practice::api::{
    AccountCreated, CheckEmail, ConfirmSignUp, CurrentSession, ERASE_PHRASE, Erase, InstructorInvite, LogIn,
    LoggedIn, Me, NewInstructorInvite, SignUp,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::session::{Auth, CookieSecurity, Role, User, Via, digest, random_token};
use crate::error::ErrorBody;
use crate::json::Body;
use crate::limits::ClientIp;
use crate::store::{BeginWrite, is_unique_violation, new_id, now_ms};
use crate::{AppError, AppState, Store, on_store};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_up))
        .routes(routes!(confirm_sign_up))
        .routes(routes!(log_in))
        .routes(routes!(log_out))
        .routes(routes!(me))
        .routes(routes!(current_session))
        .routes(routes!(erase))
        .routes(routes!(invite_instructor))
        .merge(manage::router())
        .merge(two_step::router())
        .merge(passkeys::router())
}

/// An email address, trimmed, lower-cased and in Unicode normal form C (so
/// "å" typed as one character or as "a" plus a combining ring is one
/// address, not two accounts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, AppError> {
        use unicode_normalization::UnicodeNormalization;
        let email: String = text.trim().to_lowercase().nfc().collect();
        let bad =
            |why: &str| Err(AppError::invalid("email", format!("{email:?} is not an email address: {why}")));
        if email.len() > 254 {
            return bad("it is longer than 254 characters");
        }
        let Some((local, domain)) = email.split_once('@') else {
            return bad("it has no @");
        };
        if local.is_empty() || domain.is_empty() || domain.contains('@') {
            return bad("it needs one name before and one domain after a single @");
        }
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return bad("the domain needs a dot, as in example.dk");
        }
        if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return bad("it contains spaces or control characters");
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A name to show to a course's instructor and fellow participants' view of
/// the course: 1–60 characters on one line, nothing invisible or
/// direction-changing ([`stille_practice::api::one_line`]).
pub fn display_name(field: &str, text: &str) -> Result<String, AppError> {
    Ok(stille_practice::api::one_line(field, text, 60, "a name")?)
}

/// How long a mailed sign-up link works.
pub const SIGN_UP_VALID: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// The answer to a sign-up: the account (no mail), or "check your email".
#[derive(Debug)]
enum SignedUp {
    Created(AccountCreated),
    Mailed(CheckEmail),
}

impl axum::response::IntoResponse for SignedUp {
    fn into_response(self) -> axum::response::Response {
        match self {
            SignedUp::Created(body) => (StatusCode::CREATED, Json(body)).into_response(),
            SignedUp::Mailed(body) => (StatusCode::ACCEPTED, Json(body)).into_response(),
        }
    }
}

/// The language of mail sent on behalf of this request: the browser's.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    let accept = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    Lang::from_accept_language(accept)
}

/// Inserts the account and claims its instructor invite, in the open
/// transaction `$tx`; evaluates to the account's role. The claim is one
/// statement, so two sign-ups racing for one code cannot both win;
/// `used_at_ms` stays set even when the account that used it is erased.
/// Without a claim the transaction (and the new account) is rolled back.
macro_rules! insert_account {
    ($tx:expr, id: $id:expr, email: $email:expr, hash: $hash:expr, name: $name:expr,
     invite: $invite:expr, verified: $verified:expr, now: $now:expr) => {{
        let role = if $invite.is_some() { Role::Instructor } else { Role::Participant };
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, password_hash, role, display_name, created_at_ms, email_verified_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($id)
        .bind($email)
        .bind($hash)
        .bind(role.as_str())
        .bind($name)
        .bind($now)
        .bind($verified)
        .execute(&mut *$tx)
        .await;
        match inserted {
            Err(error) if is_unique_violation(&error) => {
                return Err(AppError::Conflict("an account with this email exists; log in instead".into()));
            }
            other => other?,
        };
        if let Some(code_hash) = $invite {
            let claimed = sqlx::query(
                "UPDATE instructor_invites SET used_by = $1, used_at_ms = $2 \
                 WHERE code_hash = $3 AND used_at_ms IS NULL AND expires_at_ms > $2",
            )
            .bind($id)
            .bind($now)
            .bind(code_hash)
            .execute(&mut *$tx)
            .await?;
            if claimed.rows_affected() != 1 {
                return Err(invite_not_valid());
            }
        }
        role
    }};
}

fn invite_not_valid() -> AppError {
    AppError::invalid(
        "instructor_invite",
        "this instructor invite is not valid: it may have expired or been used; ask for a new one",
    )
}

/// Sign up: a participant account, or an instructor account with an
/// instructor invite. Log in afterwards with `POST /api/sessions`.
///
/// On a server that sends mail (`GET /api/health` says `sends_mail`), the
/// account is made only when the link mailed to the address is opened
/// (`POST /api/accounts/confirm`), and the answer is always 202: whether or
/// not the address already has an account (its owner is mailed that it
/// does), so nobody can learn who uses Stille. Without mail, the account is
/// made at once (201), and an address in use is a 409.
#[utoipa::path(post, path = "/accounts", tag = "accounts", request_body = SignUp,
    responses(
        (status = 201, description = "The account was created (a server that sends no mail)", body = AccountCreated),
        (status = 202, description = "A link to finish is mailed to the address (a server that sends mail)", body = CheckEmail),
        (status = 409, description = "An account with this email exists (a server that sends no mail)", body = ErrorBody),
        (status = 429, description = "Too many sign-ups from this address, or mails to this email", body = ErrorBody),
    ))]
async fn sign_up(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Body(form): Body<SignUp>,
) -> Result<SignedUp, AppError> {
    state.limits.signup_ip.hit(&ip).await?;
    let email = Email::parse(&form.email)?;
    let display_name = display_name("display_name", &form.display_name)?;
    password::check_new(&form.password, email.as_str())?;
    let invite = match &form.instructor_invite {
        Some(code) => {
            state.limits.invite_ip.hit(&ip).await?;
            Some(digest(code.trim()))
        }
        None => None,
    };
    if state.mailer.sends() {
        state.limits.mail_address.hit(email.as_str()).await?;
        let pending = Pending { email, display_name, invite };
        let mailed = sign_up_by_mail(&state, pending, &form.password, request_lang(&headers)).await?;
        return Ok(SignedUp::Mailed(mailed));
    }
    let hash = state.passwords.hash(&form.password).await?;
    let id = new_id()?;
    let now = now_ms();
    let verified: Option<i64> = None;
    let role = on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        let role = insert_account!(tx, id: &id, email: email.as_str(), hash: &hash, name: &display_name,
            invite: &invite, verified: verified, now: now);
        tx.commit().await?;
        role
    });
    tracing::info!(target: "security", user = %id, %ip, role = role.as_str(), "account made");
    let user = User { id, email: email.0, role, display_name };
    Ok(SignedUp::Created(AccountCreated { user }))
}

/// A sign-up waiting for its link to be opened.
struct Pending {
    email: Email,
    display_name: String,
    invite: Option<String>,
}

/// Keeps the sign-up and mails its link; or, when the address has an
/// account, mails its owner that. Both take the same steps up to the mail
/// (hashing the password, a write), so the time taken tells little either.
async fn sign_up_by_mail(
    state: &AppState,
    pending: Pending,
    password: &str,
    lang: Lang,
) -> Result<CheckEmail, AppError> {
    let now = now_ms();
    if let Some(code_hash) = &pending.invite {
        let open: Option<(String,)> = on_store!(&state.store, pool => {
            sqlx::query_as(
                "SELECT code_hash FROM instructor_invites WHERE code_hash = $1 AND used_at_ms IS NULL AND expires_at_ms > $2",
            )
            .bind(code_hash)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        if open.is_none() {
            return Err(invite_not_valid());
        }
    }
    let hash = state.passwords.hash(password).await?;
    let token = random_token()?;
    let expires_at_ms = now + SIGN_UP_VALID.as_millis() as i64;
    let email = pending.email.as_str();
    let taken = on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("DELETE FROM signups WHERE expires_at_ms < $1").bind(now).execute(&mut *tx).await?;
        let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_none() {
            sqlx::query(
                "INSERT INTO signups (token_hash, email, display_name, password_hash, invite_hash, created_at_ms, expires_at_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(digest(&token))
            .bind(email)
            .bind(&pending.display_name)
            .bind(&hash)
            .bind(&pending.invite)
            .bind(now)
            .bind(expires_at_ms)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        taken.is_some()
    });
    let mail = if taken {
        crate::mail::already_have_account(lang, &state.mailer.link("/account"))
    } else {
        let link = state.mailer.link(&format!("/welcome#{token}"));
        crate::mail::finish_sign_up(lang, &link, SIGN_UP_VALID.as_secs() / 3600)
    };
    state.mailer.send_later(email, mail);
    Ok(CheckEmail { email: pending.email.0, valid_for_s: SIGN_UP_VALID.as_secs() })
}

/// Finish a sign-up with the link mailed to its address: the account is
/// made, with its email proved. Log in afterwards with `POST /api/sessions`.
#[utoipa::path(post, path = "/accounts/confirm", tag = "accounts", request_body = ConfirmSignUp,
    responses(
        (status = 201, description = "The account was created", body = AccountCreated),
        (status = 404, description = "The link is not valid: used, expired or never made", body = ErrorBody),
        (status = 409, description = "The address got an account meanwhile; log in", body = ErrorBody),
        (status = 429, description = "Too many attempts from this address; see Retry-After", body = ErrorBody),
    ))]
async fn confirm_sign_up(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Body(form): Body<ConfirmSignUp>,
) -> Result<(StatusCode, Json<AccountCreated>), AppError> {
    state.limits.login_ip.hit(&ip).await?;
    let not_valid = || {
        AppError::NotFound(
            "this link is not valid: it was used, or is more than a day old; sign up again".into(),
        )
    };
    let token = form.token.trim();
    if token.len() != 43 {
        return Err(not_valid());
    }
    let token_hash = digest(token);
    let now = now_ms();
    let id = new_id()?;
    let (email, display_name, role) = on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        let pending: Option<(String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT email, display_name, password_hash, invite_hash FROM signups \
             WHERE token_hash = $1 AND expires_at_ms > $2",
        )
        .bind(&token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let (email, display_name, hash, invite) = pending.ok_or_else(not_valid)?;
        // Taken in one statement: a link opened twice at once works once.
        let taken = sqlx::query("DELETE FROM signups WHERE token_hash = $1").bind(&token_hash).execute(&mut *tx).await?;
        if taken.rows_affected() != 1 {
            return Err(not_valid());
        }
        let role = insert_account!(tx, id: &id, email: &email, hash: &hash, name: &display_name,
            invite: &invite, verified: Some(now), now: now);
        // Other sign-ups waiting for this address are moot now.
        sqlx::query("DELETE FROM signups WHERE email = $1").bind(&email).execute(&mut *tx).await?;
        tx.commit().await?;
        (email, display_name, role)
    });
    tracing::info!(target: "security", user = %id, %ip, role = role.as_str(), "account made with a mailed link");
    let user = User { id, email, role, display_name };
    Ok((StatusCode::CREATED, Json(AccountCreated { user })))
}

type UserRow = (String, String, String, String, String);

/// Log in. The web app gets an HttpOnly session cookie and a CSRF token to
/// send as `X-CSRF-Token` with every write; with `"token": true` the answer
/// carries a bearer token instead. Wrong email and wrong password get the same
/// answer in the same time; attempts are limited per address and per email.
#[utoipa::path(post, path = "/sessions", tag = "accounts", request_body = LogIn,
    responses(
        (status = 201, description = "Logged in", body = LoggedIn,
            headers(("set-cookie" = String, description = "The session cookie (cookie log-ins)"))),
        (status = 401, description = "The email or the password is wrong", body = ErrorBody),
        (status = 429, description = "Too many attempts; see Retry-After", body = ErrorBody),
    ))]
async fn log_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    cookie: CookieSecurity,
    request_headers: HeaderMap,
    Body(form): Body<LogIn>,
) -> Result<(StatusCode, HeaderMap, Json<LoggedIn>), AppError> {
    state.limits.login_ip.hit(&ip).await?;
    let email = Email::parse(&form.email)?;
    // Wrong passwords are counted per (email, address), whether or not the
    // account exists, so an unknown email is slowed exactly like a known one
    // and an attacker's guesses never lock the owner out from elsewhere.
    let attempt = (email.as_str(), ip.as_str());
    state.limits.password.check(attempt).await?;
    let row: Option<UserRow> = on_store!(&state.store, pool => {
        sqlx::query_as("SELECT id, email, role, display_name, password_hash FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(pool)
            .await?
    });
    let hash = row.as_ref().map(|r| r.4.as_str());
    if !state.passwords.verify(&form.password, hash).await? {
        state.limits.password.failed(attempt).await?;
        tracing::warn!(target: "security", %ip, "log-in failed");
        return Err(AppError::Unauthenticated("the email or the password is wrong"));
    }
    let Some((id, ..)) = row else {
        return Err(AppError::Unauthenticated("the email or the password is wrong"));
    };
    // The second step, for an account that has it: a code that works once.
    let two_step = match two_step::secret_of(&state.store, &state.secrets, &id).await? {
        None => false,
        Some((secret, _)) => {
            let Some(code) = form.one_time_code.as_deref().filter(|c| !c.trim().is_empty()) else {
                return Err(two_step::code_error(true));
            };
            let fresh = match two_step::matching_step(&secret, code, now_ms()) {
                Some(step) => two_step::use_step(&state.store, &id, step).await?,
                None => false,
            };
            if !fresh {
                state.limits.password.failed(attempt).await?;
                tracing::warn!(target: "security", user = %id, %ip, "log-in failed: wrong or used two-step code");
                return Err(two_step::code_error(false));
            }
            true
        }
    };
    state.limits.password.succeeded(attempt).await?;
    let user_agent = request_headers.get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok());
    open_session(&state, &id, two_step, form.token, cookie, user_agent, &ip).await
}

/// Asks a signed-in person for their password again before a change that a
/// stolen session must not make alone (a new password, a second step, a
/// passkey, erasing the account). Wrong passwords are counted and limited
/// exactly as at log-in, so a stolen session cannot become unlimited
/// guessing. `field` names the form field a wrong password is reported on,
/// `action` what was refused (for the security log), and `refusal` what the
/// person is told.
pub async fn confirm_password(
    state: &AppState,
    auth: &Auth,
    ip: &str,
    password: &str,
    field: &'static str,
    action: &'static str,
    refusal: &'static str,
) -> Result<(), AppError> {
    state.limits.login_ip.hit(ip).await?;
    let attempt = (auth.user.email.as_str(), ip);
    state.limits.password.check(attempt).await?;
    let hash: Option<(String,)> = on_store!(&state.store, pool => {
        sqlx::query_as("SELECT password_hash FROM users WHERE id = $1").bind(&auth.user.id).fetch_optional(pool).await?
    });
    if !state.passwords.verify(password, hash.as_ref().map(|h| h.0.as_str())).await? {
        state.limits.password.failed(attempt).await?;
        tracing::warn!(target: "security", user = %auth.user.id, %ip, "{action} refused: wrong password");
        return Err(AppError::invalid(field, refusal));
    }
    state.limits.password.succeeded(attempt).await?;
    Ok(())
}

/// Starts a session for `user_id` once they have proved who they are (a
/// password, with a code when the account has two steps, or a passkey):
/// `two_step` says whether both steps were given. A bearer token when
/// `token`, else the session cookie.
pub async fn open_session(
    state: &AppState,
    user_id: &str,
    two_step: bool,
    token_wanted: bool,
    cookie: CookieSecurity,
    user_agent: Option<&str>,
    ip: &str,
) -> Result<(StatusCode, HeaderMap, Json<LoggedIn>), AppError> {
    let row: Option<(String, String, String, String)> = on_store!(&state.store, pool => {
        sqlx::query_as("SELECT id, email, role, display_name FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?
    });
    let Some((id, email, role, display_name)) = row else {
        return Err(AppError::Unauthenticated("the account is gone"));
    };
    let token = random_token()?;
    let csrf_token = random_token()?;
    let public_id = random_token()?;
    let device = session::device_label(user_agent);
    let now = now_ms();
    on_store!(&state.store, pool => {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at_ms, last_seen_ms, public_id, device, \
             two_step) VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
        )
        .bind(digest(&token))
        .bind(&id)
        .bind(&csrf_token)
        .bind(now)
        .bind(&public_id)
        .bind(&device)
        .bind(i64::from(two_step))
        .execute(pool)
        .await?;
    });
    tracing::info!(target: "security", user = %id, %ip, two_step, "signed in");
    let user = User { id, email, role: session::stored_role(&role)?, display_name };
    let mut headers = HeaderMap::new();
    let (csrf_token, token) = if token_wanted {
        (None, Some(token))
    } else {
        headers.insert(SET_COOKIE, cookie.session_cookie(&token));
        (Some(csrf_token), None)
    };
    let body = LoggedIn {
        user,
        csrf_token,
        token,
        idle_timeout_s: session::IDLE.as_secs(),
        absolute_timeout_s: session::ABSOLUTE.as_secs(),
    };
    Ok((StatusCode::CREATED, headers, Json(body)))
}

/// Log out: the session ends on the server.
#[utoipa::path(delete, path = "/sessions/current", tag = "accounts",
    security(("session_cookie" = []), ("bearer" = [])),
    responses((status = 204, description = "Logged out; the cookie is cleared")))]
async fn log_out(
    State(state): State<AppState>,
    cookie: CookieSecurity,
    auth: Auth,
) -> Result<(StatusCode, HeaderMap), AppError> {
    on_store!(&state.store, pool => {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&auth.token_hash).execute(pool).await?;
    });
    let mut headers = HeaderMap::new();
    if auth.via == Via::Cookie {
        headers.insert(SET_COOKIE, cookie.cleared_cookie());
    }
    Ok((StatusCode::NO_CONTENT, headers))
}

/// Who is logged in (and, for the web app, the CSRF token again after a reload).
#[utoipa::path(get, path = "/me", tag = "accounts", security(("session_cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The logged-in account", body = Me)))]
async fn me(State(state): State<AppState>, auth: Auth) -> Result<Json<Me>, AppError> {
    Ok(Json(manage::me_view(&state.store, auth).await?))
}

/// Whether the caller is logged in, and as whom. Unlike `GET /api/me` this is
/// never an error for a visitor without a session (`user` is null), so the
/// web app can ask at every start without a failed request in the browser's
/// console; after log-in it tells the app whether the browser kept the
/// session cookie. Reads the cookie or a bearer token when one is sent.
#[utoipa::path(get, path = "/sessions/current", tag = "accounts",
    responses((status = 200, description = "The session, or `user: null`", body = CurrentSession)))]
async fn current_session(auth: Option<Auth>) -> Json<CurrentSession> {
    match auth {
        Some(auth) => {
            let csrf_token = (auth.via == Via::Cookie).then_some(auth.csrf_token);
            Json(CurrentSession { user: Some(auth.user), csrf_token })
        }
        None => Json(CurrentSession { user: None, csrf_token: None }),
    }
}

/// Erase the account and everything kept for it: sessions, memberships,
/// records and their history, and the courses it teaches. Needs the password
/// and the phrase "erase my account".
#[utoipa::path(post, path = "/me/erase", tag = "accounts", request_body = Erase,
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "Erased; the cookie is cleared"),
        (status = 422, description = "The phrase or the password is wrong; nothing was erased", body = ErrorBody),
        (status = 429, description = "Too many wrong passwords; see Retry-After", body = ErrorBody),
    ))]
async fn erase(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    cookie: CookieSecurity,
    auth: Auth,
    Body(form): Body<Erase>,
) -> Result<(StatusCode, HeaderMap), AppError> {
    if form.confirm != ERASE_PHRASE {
        return Err(AppError::invalid(
            "confirm",
            format!("to erase the account, send confirm: {ERASE_PHRASE:?}"),
        ));
    }
    confirm_password(
        &state,
        &auth,
        &ip,
        &form.password,
        "password",
        "erase",
        "the password is wrong; nothing was erased",
    )
    .await?;
    let audio = crate::recordings::owned_audio(&state.store, &auth.user.id).await?;
    erase_user(&state.store, &auth.user.id).await?;
    crate::recordings::forget_unheld(&state, &audio).await;
    tracing::info!(target: "security", user = %auth.user.id, %ip, "account erased");
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, cookie.cleared_cookie());
    Ok((StatusCode::NO_CONTENT, headers))
}

/// Deletes the account and everything that hangs off it (sessions, courses
/// it teaches with their memberships and assignments, memberships, records and
/// their history, invites, recordings), in one transaction. The recordings'
/// audio is removed by the caller after ([`crate::recordings::forget_unheld`]).
pub async fn erase_user(store: &Store, user_id: &str) -> Result<(), AppError> {
    on_store!(store, pool => {
        let mut tx = pool.begin_write().await?;
        // Foreign keys cascade from users; the explicit deletes keep the
        // behaviour the same should a backend not enforce them.
        for sql in [
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM passkeys WHERE user_id = $1",
            "DELETE FROM passkey_challenges WHERE user_id = $1",
            "DELETE FROM push_outbox WHERE subscription_id IN (SELECT id FROM push_subscriptions WHERE user_id = $1)",
            "DELETE FROM push_subscriptions WHERE user_id = $1",
            "DELETE FROM reminders WHERE user_id = $1",
            "DELETE FROM signups WHERE email = (SELECT email FROM users WHERE id = $1)",
            "DELETE FROM account_links WHERE user_id = $1",
            "DELETE FROM record_versions WHERE user_id = $1",
            "DELETE FROM records WHERE user_id = $1",
            "DELETE FROM course_message_reads WHERE user_id = $1",
            "DELETE FROM memberships WHERE user_id = $1",
            "DELETE FROM recording_courses WHERE recording_id IN (SELECT id FROM recordings WHERE owner_id = $1)",
            "DELETE FROM recording_courses WHERE course_id IN (SELECT id FROM courses WHERE instructor_id = $1)",
            "DELETE FROM recordings WHERE owner_id = $1",
            "DELETE FROM course_message_reads WHERE message_id IN (SELECT c.id FROM course_messages c \
             JOIN courses k ON k.id = c.course_id WHERE k.instructor_id = $1)",
            "DELETE FROM course_messages WHERE course_id IN (SELECT id FROM courses WHERE instructor_id = $1)",
            "DELETE FROM memberships WHERE course_id IN (SELECT id FROM courses WHERE instructor_id = $1)",
            "DELETE FROM assignments WHERE course_id IN (SELECT id FROM courses WHERE instructor_id = $1)",
            "DELETE FROM courses WHERE instructor_id = $1",
            "UPDATE instructor_invites SET used_by = NULL WHERE used_by = $1",
            "DELETE FROM instructor_invites WHERE created_by = $1",
            "DELETE FROM users WHERE id = $1",
        ] {
            sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
    });
    Ok(())
}

/// An invite code with which one person signs up as an instructor.
#[utoipa::path(post, path = "/instructor-invites", tag = "accounts", request_body = NewInstructorInvite,
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 201, description = "The invite", body = InstructorInvite),
        (status = 403, description = "Only instructors invite instructors", body = ErrorBody),
    ))]
async fn invite_instructor(
    State(state): State<AppState>,
    auth: Auth,
    Body(form): Body<NewInstructorInvite>,
) -> Result<(StatusCode, Json<InstructorInvite>), AppError> {
    auth.instructor()?;
    if !(1..=30).contains(&form.valid_days) {
        return Err(AppError::invalid("valid_days", "an instructor invite is valid for 1 to 30 days"));
    }
    let code = random_token()?;
    let expires_at_ms = now_ms() + i64::from(form.valid_days) * 86_400_000;
    on_store!(&state.store, pool => {
        sqlx::query("INSERT INTO instructor_invites (code_hash, created_by, expires_at_ms) VALUES ($1, $2, $3)")
            .bind(digest(&code))
            .bind(&auth.user.id)
            .bind(expires_at_ms)
            .execute(pool)
            .await?;
    });
    tracing::info!(target: "security", user = %auth.user.id, "instructor invite made");
    Ok((StatusCode::CREATED, Json(InstructorInvite { code, expires_at_ms })))
}

/// What `admin create-instructor` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Made {
    Created,
    Promoted,
    /// It already was one.
    Already,
}

/// Whether to promote an existing account whose email nobody has proved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unverified {
    /// Refuse: anyone can sign up with someone else's address, waiting to be
    /// promoted when that person becomes an instructor.
    Refuse,
    /// Promote: the admin checked the account is the person's (they signed
    /// in in front of the admin, say).
    Promote,
}

/// Makes `email` an instructor: promotes an existing account (when its email
/// was verified, or the admin says it was checked), or creates one with
/// `password` (asked for only then).
pub async fn create_instructor(
    store: &Store,
    email: &str,
    name: &str,
    unverified: Unverified,
    password: impl FnOnce() -> Result<String, AppError>,
) -> Result<Made, AppError> {
    let email = Email::parse(email)?;
    let existing: Option<(String, Option<i64>)> = on_store!(store, pool => {
        sqlx::query_as("SELECT role, email_verified_at_ms FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(pool)
            .await?
    });
    if let Some((role, verified)) = existing {
        if role == Role::Instructor.as_str() {
            return Ok(Made::Already);
        }
        if verified.is_none() && unverified == Unverified::Refuse {
            return Err(AppError::Conflict(format!(
                "an account with {} exists, but nobody has proved the email is theirs: anyone can sign up \
                 with another person's address. Check with the person that the account is theirs (they can \
                 sign in in front of you), then run this again with --promote-unverified; or erase that \
                 account and run this again to create a new one",
                email.as_str()
            )));
        }
        on_store!(store, pool => {
            sqlx::query("UPDATE users SET role = 'instructor' WHERE email = $1")
                .bind(email.as_str())
                .execute(pool)
                .await?;
        });
        return Ok(Made::Promoted);
    }
    let name = display_name("name", name)?;
    let password = password()?;
    password::check_new(&password, email.as_str())?;
    let passwords = password::Passwords::new(1)?;
    let hash = passwords.hash(&password).await?;
    let id = new_id()?;
    on_store!(store, pool => {
        sqlx::query(
            "INSERT INTO users (id, email, password_hash, role, display_name, created_at_ms) VALUES ($1, $2, $3, 'instructor', $4, $5)",
        )
        .bind(&id)
        .bind(email.as_str())
        .bind(&hash)
        .bind(&name)
        .bind(now_ms())
        .execute(pool)
        .await?;
    });
    Ok(Made::Created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Birgitte@Example.DK ").expect("valid").as_str(), "birgitte@example.dk");
        for bad in ["", "a", "a@", "@b.dk", "a@b", "a@@b.dk", "a b@c.dk", "a@b.dk.", "a@.dk"] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@b.dk", "a".repeat(250))).is_err());
        // One address however its letters were composed.
        let composed = Email::parse("\u{e5}se@example.dk").expect("valid");
        let decomposed = Email::parse("A\u{30a}se@Example.dk").expect("valid");
        assert_eq!(composed, decomposed);
    }

    #[test]
    fn names_are_short_and_single_line() {
        assert_eq!(display_name("n", "  Ida ").expect("valid"), "Ida");
        assert!(display_name("n", "").is_err());
        assert!(display_name("n", "a\nb").is_err());
        assert!(display_name("n", &"æ".repeat(61)).is_err());
    }
}

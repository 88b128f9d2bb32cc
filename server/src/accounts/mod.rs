//! Accounts and sessions: sign-up, log-in and log-out, the caller's own
//! account (`/api/me`), instructor invites, and the admin command that makes
//! an instructor.
//!
//! Anyone may sign up as a participant. Instructors are made by the server
//! admin (`stille-server admin create-instructor`) or sign up with an invite
//! code from an existing instructor.

pub mod manage;
pub mod password;
pub mod session;

use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use stille_practice::api::{
    AccountCreated, CurrentSession, ERASE_PHRASE, Erase, InstructorInvite, LogIn, LoggedIn, Me,
    NewInstructorInvite, SignUp,
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
        .routes(routes!(log_in))
        .routes(routes!(log_out))
        .routes(routes!(me))
        .routes(routes!(current_session))
        .routes(routes!(erase))
        .routes(routes!(invite_instructor))
        .merge(manage::router())
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

/// Sign up: a participant account, or an instructor account with an
/// instructor invite. Log in afterwards with `POST /api/sessions`.
#[utoipa::path(post, path = "/accounts", tag = "accounts", request_body = SignUp,
    responses(
        (status = 201, description = "The account was created", body = AccountCreated),
        (status = 409, description = "An account with this email exists", body = ErrorBody),
        (status = 429, description = "Too many sign-ups from this address", body = ErrorBody),
    ))]
async fn sign_up(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Body(form): Body<SignUp>,
) -> Result<(StatusCode, Json<AccountCreated>), AppError> {
    state.limits.signup_ip.hit(&ip)?;
    let email = Email::parse(&form.email)?;
    let display_name = display_name("display_name", &form.display_name)?;
    password::check_new(&form.password, email.as_str())?;
    let invite = match &form.instructor_invite {
        Some(code) => {
            state.limits.invite_ip.hit(&ip)?;
            Some(digest(code.trim()))
        }
        None => None,
    };
    let hash = state.passwords.hash(&form.password).await?;
    let id = new_id()?;
    let now = now_ms();
    let role = on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        let role = if invite.is_some() { Role::Instructor } else { Role::Participant };
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, password_hash, role, display_name, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(email.as_str())
        .bind(&hash)
        .bind(role.as_str())
        .bind(&display_name)
        .bind(now)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(error) if is_unique_violation(&error) => {
                return Err(AppError::Conflict("an account with this email exists; log in instead".into()));
            }
            other => other?,
        };
        if let Some(code_hash) = &invite {
            // Claimed in one statement, so two sign-ups racing for one code
            // cannot both win; `used_at_ms` stays set even when the account
            // that used it is erased. Without a claim the transaction (and
            // the new account) is rolled back.
            let claimed = sqlx::query(
                "UPDATE instructor_invites SET used_by = $1, used_at_ms = $2 \
                 WHERE code_hash = $3 AND used_at_ms IS NULL AND expires_at_ms > $2",
            )
            .bind(&id)
            .bind(now)
            .bind(code_hash)
            .execute(&mut *tx)
            .await?;
            if claimed.rows_affected() != 1 {
                return Err(AppError::invalid(
                    "instructor_invite",
                    "this instructor invite is not valid: it may have expired or been used; ask for a new one",
                ));
            }
        }
        tx.commit().await?;
        role
    });
    let user = User { id, email: email.0, role, display_name };
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
    state.limits.login_ip.hit(&ip)?;
    let email = Email::parse(&form.email)?;
    // Wrong passwords are counted per (email, address), whether or not the
    // account exists, so an unknown email is slowed exactly like a known one
    // and an attacker's guesses never lock the owner out from elsewhere.
    let attempt = (email.as_str(), ip.as_str());
    state.limits.password.check(attempt)?;
    let row: Option<UserRow> = on_store!(&state.store, pool => {
        sqlx::query_as("SELECT id, email, role, display_name, password_hash FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(pool)
            .await?
    });
    let hash = row.as_ref().map(|r| r.4.as_str());
    if !state.passwords.verify(&form.password, hash).await? {
        state.limits.password.failed(attempt);
        return Err(AppError::Unauthenticated("the email or the password is wrong"));
    }
    state.limits.password.succeeded(attempt);
    let Some((id, email, role, display_name, _)) = row else {
        return Err(AppError::Unauthenticated("the email or the password is wrong"));
    };
    let token = random_token()?;
    let csrf_token = random_token()?;
    let public_id = random_token()?;
    let device = session::device_label(
        request_headers.get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok()),
    );
    let now = now_ms();
    on_store!(&state.store, pool => {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at_ms, last_seen_ms, public_id, device) \
             VALUES ($1, $2, $3, $4, $4, $5, $6)",
        )
        .bind(digest(&token))
        .bind(&id)
        .bind(&csrf_token)
        .bind(now)
        .bind(&public_id)
        .bind(&device)
        .execute(pool)
        .await?;
    });
    let user = User { id, email, role: session::stored_role(&role)?, display_name };
    let mut headers = HeaderMap::new();
    let (csrf_token, token) = if form.token {
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
    // The password is checked here as at log-in, and limited the same way: a
    // stolen session must not become unlimited password guessing.
    state.limits.login_ip.hit(&ip)?;
    let attempt = (auth.user.email.as_str(), ip.as_str());
    state.limits.password.check(attempt)?;
    let hash: Option<(String,)> = on_store!(&state.store, pool => {
        sqlx::query_as("SELECT password_hash FROM users WHERE id = $1").bind(&auth.user.id).fetch_optional(pool).await?
    });
    if !state.passwords.verify(&form.password, hash.as_ref().map(|h| h.0.as_str())).await? {
        state.limits.password.failed(attempt);
        return Err(AppError::invalid("password", "the password is wrong; nothing was erased"));
    }
    state.limits.password.succeeded(attempt);
    erase_user(&state.store, &auth.user.id).await?;
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, cookie.cleared_cookie());
    Ok((StatusCode::NO_CONTENT, headers))
}

/// Deletes the account and everything that hangs off it (sessions, courses
/// it teaches with their memberships and assignments, memberships, records and
/// their history, invites), in one transaction.
pub async fn erase_user(store: &Store, user_id: &str) -> Result<(), AppError> {
    on_store!(store, pool => {
        let mut tx = pool.begin_write().await?;
        // Foreign keys cascade from users; the explicit deletes keep the
        // behaviour the same should a backend not enforce them.
        for sql in [
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM account_links WHERE user_id = $1",
            "DELETE FROM record_versions WHERE user_id = $1",
            "DELETE FROM records WHERE user_id = $1",
            "DELETE FROM memberships WHERE user_id = $1",
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

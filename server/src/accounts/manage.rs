//! One's own account after sign-up: the name others see, the password, the
//! phones and browsers signed in; and getting back in after a forgotten
//! password with a one-time reset link, made by the instructor of one's
//! course (who checked it is you, in class), or by the server admin.
//!
//! A reset link is 256 random bits, kept as their SHA-256, good for one use
//! within [`RESET_VALID`]. Using it sets the new password and ends every
//! session of the account; the account's owner then sees when and by whose
//! link it happened (`last_reset` in `GET /api/me`), so a reset they did not
//! ask for does not go unnoticed. Instructors cannot make links for other
//! instructors, nor for anyone outside their courses.

use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use stille_practice::api::{
    CheckEmail, LastReset, Me, MeChange, PasswordChange, PasswordReset, ResetBy, ResetLink, ResetRequest,
    SessionInfo, Sessions, TwoStep,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::session::{ABSOLUTE, Auth, CookieSecurity, IDLE, Role, Via, digest, random_token};
use super::{Email, display_name, password};
use crate::error::ErrorBody;
use crate::json::Body;
use crate::limits::ClientIp;
use crate::store::{BeginWrite, now_ms};
use crate::{AppError, AppState, Store, on_store};

/// How long a reset link works.
pub const RESET_VALID: Duration = Duration::from_secs(3600);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(update_me))
        .routes(routes!(change_password))
        .routes(routes!(list_sessions))
        .routes(routes!(end_session))
        .routes(routes!(end_other_sessions))
        .routes(routes!(member_reset_link))
        .routes(routes!(request_reset))
        .routes(routes!(complete_reset))
}

/// The last reset (when, by whom, the instructor's name) and since when
/// two-step sign-in is on.
type MeRow = (Option<i64>, Option<String>, Option<String>, Option<i64>);

/// The account as `GET /api/me` shows it, with its last reset and two-step state.
pub async fn me_view(store: &Store, auth: Auth) -> Result<Me, AppError> {
    let row: Option<MeRow> = on_store!(store, pool => {
        sqlx::query_as(
            "SELECT last_reset_ms, last_reset_by, last_reset_instructor, totp_enabled_at_ms FROM users WHERE id = $1",
        )
            .bind(&auth.user.id)
            .fetch_optional(pool)
            .await?
    });
    let on = row.as_ref().is_some_and(|r| r.3.is_some());
    let last_reset = row.and_then(|(at, by, instructor, _)| {
        Some(LastReset { at_ms: at?, by: ResetBy::parse(by.as_deref()?)?, instructor })
    });
    let two_step = TwoStep { on, this_session: auth.two_step, required: auth.two_step_required };
    let csrf_token = (auth.via == Via::Cookie).then_some(auth.csrf_token);
    Ok(Me { user: auth.user, csrf_token, last_reset, two_step })
}

/// Change your display name.
#[utoipa::path(patch, path = "/me", tag = "accounts", request_body = MeChange,
    security(("session_cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The account as changed", body = Me)))]
async fn update_me(
    State(state): State<AppState>,
    mut auth: Auth,
    Body(change): Body<MeChange>,
) -> Result<Json<Me>, AppError> {
    if let Some(name) = &change.display_name {
        let name = display_name("display_name", name)?;
        on_store!(&state.store, pool => {
            sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
                .bind(&name)
                .bind(&auth.user.id)
                .execute(pool)
                .await?;
        });
        auth.user.display_name = name;
    }
    Ok(Json(me_view(&state.store, auth).await?))
}

/// Change your password: needs the current one; every other session of the
/// account ends (this one stays).
#[utoipa::path(put, path = "/me/password", tag = "accounts", request_body = PasswordChange,
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "Changed; other sessions ended"),
        (status = 422, description = "The current password is wrong, or the new one is not allowed", body = ErrorBody),
        (status = 429, description = "Too many wrong passwords; see Retry-After", body = ErrorBody),
    ))]
async fn change_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    auth: Auth,
    Body(form): Body<PasswordChange>,
) -> Result<StatusCode, AppError> {
    super::confirm_password(
        &state,
        &auth,
        &ip,
        &form.current_password,
        "current_password",
        "password change",
        "the current password is wrong; nothing changed",
    )
    .await?;
    password::check_new(&form.new_password, &auth.user.email).map_err(|e| rename(e, "new_password"))?;
    let hash = state.passwords.hash(&form.new_password).await?;
    on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(&hash)
            .bind(&auth.user.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(&auth.user.id)
            .bind(&auth.token_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    });
    tracing::info!(target: "security", user = %auth.user.id, %ip, "password changed; other sessions ended");
    Ok(StatusCode::NO_CONTENT)
}

/// A password rule's error for another field than `password`.
fn rename(error: AppError, field: &str) -> AppError {
    match error {
        AppError::Invalid { message, .. } => AppError::invalid(field, message),
        other => other,
    }
}

async fn sessions_of(store: &Store, auth: &Auth) -> Result<Sessions, AppError> {
    let rows: Vec<(Option<String>, i64, i64, String)> = on_store!(store, pool => {
        sqlx::query_as(
            "SELECT public_id, created_at_ms, last_seen_ms, device FROM sessions WHERE user_id = $1 \
             AND last_seen_ms > $2 AND created_at_ms > $3 ORDER BY last_seen_ms DESC",
        )
        .bind(&auth.user.id)
        .bind(now_ms() - IDLE.as_millis() as i64)
        .bind(now_ms() - ABSOLUTE.as_millis() as i64)
        .fetch_all(pool)
        .await?
    });
    let sessions = rows
        .into_iter()
        .filter_map(|(id, created_at_ms, last_seen_ms, device)| {
            let id = id?;
            let current = id == auth.session_id;
            Some(SessionInfo { id, created_at_ms, last_seen_ms, device, current })
        })
        .collect();
    Ok(Sessions { sessions })
}

/// The phones and browsers signed in to your account.
#[utoipa::path(get, path = "/me/sessions", tag = "accounts",
    security(("session_cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The sessions, the most recently used first", body = Sessions)))]
async fn list_sessions(State(state): State<AppState>, auth: Auth) -> Result<Json<Sessions>, AppError> {
    Ok(Json(sessions_of(&state.store, &auth).await?))
}

/// Sign out one session (a lost phone, a borrowed computer).
#[utoipa::path(delete, path = "/me/sessions/{id}", tag = "accounts",
    params(("id" = String, Path, description = "A session id from GET /api/me/sessions")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 404, description = "No such session of yours", body = ErrorBody),
    ))]
async fn end_session(
    State(state): State<AppState>,
    cookie: CookieSecurity,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<(StatusCode, HeaderMap), AppError> {
    let ended = on_store!(&state.store, pool => {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND public_id = $2")
            .bind(&auth.user.id)
            .bind(&id)
            .execute(pool)
            .await?
            .rows_affected()
    });
    if ended == 0 {
        return Err(AppError::NotFound("you have no session with this id".into()));
    }
    tracing::info!(target: "security", user = %auth.user.id, "a session was signed out from another");
    let mut headers = HeaderMap::new();
    if id == auth.session_id && auth.via == Via::Cookie {
        headers.insert(SET_COOKIE, cookie.cleared_cookie());
    }
    Ok((StatusCode::NO_CONTENT, headers))
}

/// Sign out everywhere else: every session of the account but this one ends.
#[utoipa::path(post, path = "/me/sessions/end-others", tag = "accounts",
    security(("session_cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The sessions left: this one", body = Sessions)))]
async fn end_other_sessions(State(state): State<AppState>, auth: Auth) -> Result<Json<Sessions>, AppError> {
    on_store!(&state.store, pool => {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(&auth.user.id)
            .bind(&auth.token_hash)
            .execute(pool)
            .await?;
    });
    tracing::info!(target: "security", user = %auth.user.id, "every other session was signed out");
    Ok(Json(sessions_of(&state.store, &auth).await?))
}

/// Makes a reset link for `user_id`.
async fn new_link(
    store: &Store,
    user_id: &str,
    by: ResetBy,
    instructor: Option<&str>,
) -> Result<ResetLink, AppError> {
    let token = random_token()?;
    let now = now_ms();
    let expires_at_ms = now + RESET_VALID.as_millis() as i64;
    on_store!(store, pool => {
        sqlx::query(
            "INSERT INTO account_links (token_hash, user_id, purpose, made_by, instructor, created_at_ms, expires_at_ms) \
             VALUES ($1, $2, 'reset', $3, $4, $5, $6)",
        )
        .bind(digest(&token))
        .bind(user_id)
        .bind(by.as_str())
        .bind(instructor)
        .bind(now)
        .bind(expires_at_ms)
        .execute(pool)
        .await?;
    });
    Ok(ResetLink { path: format!("/reset#{token}"), expires_at_ms })
}

/// A one-time link with which a participant of your course chooses a new
/// password (instructors; for a participant who forgot theirs, after you
/// have checked in class that it is them). It works once, for an hour; the
/// participant later sees that it was used, and by whose link.
#[utoipa::path(post, path = "/courses/{id}/members/{user_id}/reset-link", tag = "courses",
    params(
        ("id" = String, Path, description = "The course id"),
        ("user_id" = String, Path, description = "The participant's user id"),
    ),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 201, description = "The link", body = ResetLink),
        (status = 403, description = "Only the course's instructor makes links", body = ErrorBody),
        (status = 404, description = "No such course, or no such participant in it", body = ErrorBody),
        (status = 429, description = "Too many links made; see Retry-After", body = ErrorBody),
    ))]
async fn member_reset_link(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, user_id)): Path<(String, String)>,
) -> Result<(StatusCode, Json<ResetLink>), AppError> {
    let course = crate::courses::access(&state.store, &id, &auth.user.id).await?.teaching()?;
    auth.may_teach()?;
    state.limits.invite_account.hit(&auth.user.id).await?;
    let member: Option<(String,)> = on_store!(&state.store, pool => {
        sqlx::query_as(
            "SELECT u.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.course_id = $1 AND m.user_id = $2",
        )
        .bind(&course.id)
        .bind(&user_id)
        .fetch_optional(pool)
        .await?
    });
    let Some((role,)) = member else {
        return Err(AppError::NotFound("there is no such participant in this course".into()));
    };
    if role != Role::Participant.as_str() {
        return Err(AppError::Forbidden(
            "an instructor's account is reset by the server's admin, not by a link from a course".into(),
        ));
    }
    tracing::warn!(target: "security", course = %course.id, instructor = %auth.user.id, participant = %user_id,
        "an instructor made a password reset link for a participant");
    let link = new_link(&state.store, &user_id, ResetBy::Instructor, Some(&auth.user.display_name)).await?;
    Ok((StatusCode::CREATED, Json(link)))
}

/// A reset link for the account with `email`, made by the server admin
/// (`stille-server admin reset-link`): the admin starts a reset, the owner
/// chooses the password.
pub async fn admin_reset_link(store: &Store, email: &str) -> Result<ResetLink, AppError> {
    let email = Email::parse(email)?;
    let user: Option<(String,)> = on_store!(store, pool => {
        sqlx::query_as("SELECT id FROM users WHERE email = $1").bind(email.as_str()).fetch_optional(pool).await?
    });
    let (user_id,) =
        user.ok_or_else(|| AppError::NotFound(format!("no account has the email {}", email.as_str())))?;
    tracing::warn!(target: "security", user = %user_id, "the admin made a password reset link");
    new_link(store, &user_id, ResetBy::Admin, None).await
}

/// Forgot your password: on a server that sends mail, a reset link is
/// mailed to the address when it has an account. The answer is the same
/// (202) whether or not it has one, so nobody can learn who uses Stille.
/// A server that sends no mail answers 409: ask your course's instructor for
/// a link, or the server's admin.
#[utoipa::path(post, path = "/password-resets", tag = "accounts", request_body = ResetRequest,
    responses(
        (status = 202, description = "If the address has an account, a link is on its way", body = CheckEmail),
        (status = 409, description = "This server sends no mail", body = ErrorBody),
        (status = 429, description = "Too many requests from this address, or mails to this email", body = ErrorBody),
    ))]
async fn request_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Body(form): Body<ResetRequest>,
) -> Result<(StatusCode, Json<CheckEmail>), AppError> {
    if !state.mailer.sends() {
        return Err(AppError::Conflict(
            "this server sends no mail: ask your course's instructor for a reset link (they check it is you), \
             or the server's admin"
                .into(),
        ));
    }
    state.limits.login_ip.hit(&ip).await?;
    let email = Email::parse(&form.email)?;
    state.limits.mail_address.hit(email.as_str()).await?;
    let user: Option<(String,)> = on_store!(&state.store, pool => {
        sqlx::query_as("SELECT id FROM users WHERE email = $1").bind(email.as_str()).fetch_optional(pool).await?
    });
    if let Some((user_id,)) = user {
        let link = new_link(&state.store, &user_id, ResetBy::Email, None).await?;
        let mail = crate::mail::reset_password(
            super::request_lang(&headers),
            &state.mailer.link(&link.path),
            RESET_VALID.as_secs() / 60,
        );
        state.mailer.send_later(email.as_str(), mail);
        tracing::info!(target: "security", user = %user_id, %ip, "a reset link was mailed");
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(CheckEmail { email: email.as_str().to_owned(), valid_for_s: RESET_VALID.as_secs() }),
    ))
}

/// Choose a new password with a reset link. Every session of the account
/// ends; sign in with the new password afterwards.
#[utoipa::path(post, path = "/password-resets/complete", tag = "accounts", request_body = PasswordReset,
    responses(
        (status = 204, description = "The password is set; sign in with it"),
        (status = 404, description = "The link is not valid: used, expired or never made", body = ErrorBody),
        (status = 429, description = "Too many attempts from this address; see Retry-After", body = ErrorBody),
    ))]
async fn complete_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Body(form): Body<PasswordReset>,
) -> Result<StatusCode, AppError> {
    state.limits.login_ip.hit(&ip).await?;
    let not_valid = || {
        AppError::NotFound(
            "this reset link is not valid: it was used, or is over an hour old; ask for a new one".into(),
        )
    };
    let token = form.token.trim();
    if token.len() != 43 {
        return Err(not_valid());
    }
    let token_hash = digest(token);
    let now = now_ms();
    let link: Option<(String, String, String, Option<String>)> = on_store!(&state.store, pool => {
        sqlx::query_as(
            "SELECT l.user_id, u.email, l.made_by, l.instructor FROM account_links l JOIN users u ON u.id = l.user_id \
             WHERE l.token_hash = $1 AND l.purpose = 'reset' AND l.used_at_ms IS NULL AND l.expires_at_ms > $2",
        )
        .bind(&token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await?
    });
    let (user_id, email, made_by, instructor) = link.ok_or_else(not_valid)?;
    password::check_new(&form.new_password, &email).map_err(|e| rename(e, "new_password"))?;
    let hash = state.passwords.hash(&form.new_password).await?;
    let verified = (made_by == ResetBy::Email.as_str()).then_some(now);
    on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        // Claimed in one statement: a link used twice at once works once.
        let claimed = sqlx::query(
            "UPDATE account_links SET used_at_ms = $1 WHERE token_hash = $2 AND used_at_ms IS NULL AND expires_at_ms > $1",
        )
        .bind(now)
        .bind(&token_hash)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            return Err(not_valid());
        }
        sqlx::query(
            "UPDATE users SET password_hash = $1, last_reset_ms = $2, last_reset_by = $3, last_reset_instructor = $4, \
             email_verified_at_ms = COALESCE(email_verified_at_ms, $5) WHERE id = $6",
        )
        .bind(&hash)
        .bind(now)
        .bind(&made_by)
        .bind(&instructor)
        .bind(verified)
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&user_id).execute(&mut *tx).await?;
        tx.commit().await?;
    });
    tracing::info!(target: "security", user = %user_id, %ip, by = %made_by, "password set with a reset link; every session ended");
    Ok(StatusCode::NO_CONTENT)
}

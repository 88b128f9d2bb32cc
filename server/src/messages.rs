//! Course messages: an instructor writes a few lines to the group ("we meet
//! in room 2 on Thursday"); each participant finds them on home and marks
//! each read; the instructor sees how many have, never who.
//!
//! - `POST`/`GET /api/courses/{id}/messages` (the course's instructor): send
//!   one, list them with their read counts; `DELETE …/messages/{message}`
//!   takes one back.
//! - `GET /api/messages`: the messages of every course the caller is in;
//!   `PUT /api/messages/{message}/read`: marked read.
//!
//! A message sent is also pushed to every device of the course's
//! participants that takes reminders ([`crate::push`]): through the same
//! outbox, after the person's quiet hours if it comes in them. What the
//! notification says is only that there is a message ([`text::course_message`]):
//! a lock screen shows neither the text nor the course.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use stille_practice::Lang;
pub use stille_practice::api::{CourseMessage, CourseMessages, NewMessage, SentMessage, SentMessages};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::accounts::session::Auth;
use crate::courses::access;
use crate::error::ErrorBody;
use crate::json::Body;
use crate::push::schedule::Schedule;
use crate::push::text;
use crate::store::{BeginWrite, new_id, now_ms};
use crate::{AppError, AppState, Store, on_store};

/// Messages one course may be sent in a day: enough for any course, too few
/// to flood a group's phones.
pub const PER_DAY: i64 = 10;

/// How long a message waits at a push service for a phone that is off.
pub const MESSAGE_TTL_S: i64 = 24 * 3600;

/// The most messages listed, newest first.
const LISTED: i64 = 50;

const DAY_MS: i64 = 24 * 3600 * 1000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(send, sent))
        .routes(routes!(take_back))
        .routes(routes!(mine))
        .routes(routes!(mark_read))
}

fn no_message() -> AppError {
    AppError::NotFound("there is no such message, or it is not to you".into())
}

/// Send a message to the course's participants (the course's instructor).
#[utoipa::path(post, path = "/courses/{id}/messages", tag = "courses", request_body = NewMessage,
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 201, description = "Sent: on every participant's home now, and on its way to their devices", body = SentMessage),
        (status = 403, description = "Only the course's instructor sends messages", body = ErrorBody),
        (status = 404, description = "No such course, or you are not in it", body = ErrorBody),
        (status = 422, description = "A text that is empty, too long or holds invisible characters", body = ErrorBody),
        (status = 429, description = "Ten messages in a day already; Retry-After says when the next may go", body = ErrorBody),
    ))]
async fn send(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(form): Body<NewMessage>,
) -> Result<(StatusCode, Json<SentMessage>), AppError> {
    let course = access(&state.store, &id, &auth.user.id).await?.teaching()?;
    auth.may_teach()?;
    let text = form.check()?;
    let now = now_ms();
    let today: Vec<(i64,)> = on_store!(&state.store, pool => {
        sqlx::query_as(
            "SELECT sent_at_ms FROM course_messages WHERE course_id = $1 AND sent_at_ms > $2 ORDER BY sent_at_ms",
        )
        .bind(&course.id)
        .bind(now - DAY_MS)
        .fetch_all(pool)
        .await?
    });
    if let Some((oldest,)) = today.first().filter(|_| today.len() >= PER_DAY as usize) {
        let retry_after_s = u64::try_from((oldest + DAY_MS - now) / 1000).unwrap_or(0).max(1);
        return Err(AppError::TooManyRequests { retry_after_s });
    }
    // The notification, in each device's language (the text stays in Stille).
    let [da, en] = [Lang::Da, Lang::En].map(|lang| serde_json::to_string(&text::course_message(lang)));
    let (da, en) = (
        da.map_err(|e| AppError::Internal(e.to_string()))?,
        en.map_err(|e| AppError::Internal(e.to_string()))?,
    );
    let message_id = new_id()?;
    let participants = on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("INSERT INTO course_messages (id, course_id, body, sent_at_ms) VALUES ($1, $2, $3, $4)")
            .bind(&message_id)
            .bind(&course.id)
            .bind(&text)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let devices: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT s.id, s.lang, r.plan FROM memberships m JOIN push_subscriptions s ON s.user_id = m.user_id \
             LEFT JOIN reminders r ON r.user_id = m.user_id WHERE m.course_id = $1",
        )
        .bind(&course.id)
        .fetch_all(&mut *tx)
        .await?;
        for (device, lang, plan) in devices {
            let due = plan.as_deref().map_or(now, |plan| after_quiet(plan, now));
            sqlx::query(
                "INSERT INTO push_outbox (id, subscription_id, payload, topic, urgency, ttl_s, due_at_ms, \
                 expires_at_ms, message_id) VALUES ($1, $2, $3, 'course-message', 'normal', $4, $5, $6, $7)",
            )
            .bind(new_id()?)
            .bind(&device)
            .bind(if lang == "da" { &da } else { &en })
            .bind(MESSAGE_TTL_S)
            .bind(due)
            .bind(due + MESSAGE_TTL_S * 1000)
            .bind(&message_id)
            .execute(&mut *tx)
            .await?;
        }
        let (participants,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM memberships WHERE course_id = $1")
            .bind(&course.id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        participants
    });
    let message = SentMessage { id: message_id, text, sent_at_ms: now, read: 0, participants };
    Ok((StatusCode::CREATED, Json(message)))
}

/// When a message sent at `now` may reach a person whose reminder plan is
/// `plan`: now, or when their quiet hours end.
fn after_quiet(plan: &str, now: i64) -> i64 {
    let schedule = serde_json::from_str(plan).ok().and_then(|plan| Schedule::new(&plan).ok());
    schedule.map_or(now, |schedule| schedule.quiet_ends(now))
}

/// The course's messages with how many have read each (the course's instructor).
#[utoipa::path(get, path = "/courses/{id}/messages", tag = "courses",
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The latest 50, newest first", body = SentMessages),
        (status = 403, description = "Only the course's instructor lists them; participants read GET /api/messages", body = ErrorBody),
        (status = 404, description = "No such course, or you are not in it", body = ErrorBody),
    ))]
async fn sent(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<SentMessages>, AppError> {
    let course = access(&state.store, &id, &auth.user.id).await?.teaching()?;
    auth.may_teach()?;
    // Only the marks of those in the course now count.
    let rows: Vec<(String, String, i64, i64, i64)> = on_store!(&state.store, pool => {
        sqlx::query_as(
            "SELECT c.id, c.body, c.sent_at_ms, \
             (SELECT COUNT(*) FROM course_message_reads r JOIN memberships m \
              ON m.user_id = r.user_id AND m.course_id = c.course_id WHERE r.message_id = c.id), \
             (SELECT COUNT(*) FROM memberships m WHERE m.course_id = c.course_id) \
             FROM course_messages c WHERE c.course_id = $1 ORDER BY c.sent_at_ms DESC, c.id LIMIT $2",
        )
        .bind(&course.id)
        .bind(LISTED)
        .fetch_all(pool)
        .await?
    });
    let messages = rows
        .into_iter()
        .map(|(id, text, sent_at_ms, read, participants)| SentMessage {
            id,
            text,
            sent_at_ms,
            read,
            participants,
        })
        .collect();
    Ok(Json(SentMessages { messages }))
}

/// Take a message back (the course's instructor): gone from every home.
#[utoipa::path(delete, path = "/courses/{id}/messages/{message}", tag = "courses",
    params(("id" = String, Path, description = "The course id"), ("message" = String, Path, description = "The message id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "Taken back: gone from every home, with its notifications not yet delivered"),
        (status = 403, description = "Only the course's instructor can do this", body = ErrorBody),
        (status = 404, description = "No such course or message", body = ErrorBody),
    ))]
async fn take_back(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, message)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let course = access(&state.store, &id, &auth.user.id).await?.teaching()?;
    auth.may_teach()?;
    let removed = on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("DELETE FROM course_message_reads WHERE message_id = $1 AND message_id IN \
                     (SELECT id FROM course_messages WHERE course_id = $2)")
            .bind(&message)
            .bind(&course.id)
            .execute(&mut *tx)
            .await?;
        let removed = sqlx::query("DELETE FROM course_messages WHERE id = $1 AND course_id = $2")
            .bind(&message)
            .bind(&course.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        removed
    });
    if removed == 0 {
        return Err(no_message());
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Messages from the courses you take part in.
#[utoipa::path(get, path = "/messages", tag = "courses",
    security(("session_cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The latest 50, newest first, each with whether you have read it", body = CourseMessages)))]
async fn mine(State(state): State<AppState>, auth: Auth) -> Result<Json<CourseMessages>, AppError> {
    Ok(Json(CourseMessages { messages: of_participant(&state.store, &auth.user.id).await? }))
}

type MessageRow = (String, String, String, String, String, i64, i64);

/// Messages of the courses `user_id` is in, newest first.
pub async fn of_participant(store: &Store, user_id: &str) -> Result<Vec<CourseMessage>, AppError> {
    let rows: Vec<MessageRow> = on_store!(store, pool => {
        sqlx::query_as(
            "SELECT c.id, c.course_id, k.title, u.display_name, c.body, c.sent_at_ms, \
             (SELECT COUNT(*) FROM course_message_reads r WHERE r.message_id = c.id AND r.user_id = $1) \
             FROM memberships m JOIN course_messages c ON c.course_id = m.course_id \
             JOIN courses k ON k.id = c.course_id JOIN users u ON u.id = k.instructor_id \
             WHERE m.user_id = $1 ORDER BY c.sent_at_ms DESC, c.id LIMIT $2",
        )
        .bind(user_id)
        .bind(LISTED)
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(id, course_id, course_title, from, text, sent_at_ms, read)| CourseMessage {
            id,
            course_id,
            course_title,
            from,
            text,
            sent_at_ms,
            read: read > 0,
        })
        .collect())
}

/// You have read the message (a participant in its course).
#[utoipa::path(put, path = "/messages/{message}/read", tag = "courses",
    params(("message" = String, Path, description = "The message id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "Marked read (again is the same)"),
        (status = 404, description = "No such message in a course you are in", body = ErrorBody),
    ))]
async fn mark_read(
    State(state): State<AppState>,
    auth: Auth,
    Path(message): Path<String>,
) -> Result<StatusCode, AppError> {
    let marked = on_store!(&state.store, pool => {
        sqlx::query(
            "INSERT INTO course_message_reads (message_id, user_id, read_at_ms) \
             SELECT c.id, m.user_id, $3 FROM course_messages c JOIN memberships m ON m.course_id = c.course_id \
             WHERE c.id = $1 AND m.user_id = $2 ON CONFLICT (message_id, user_id) DO NOTHING",
        )
        .bind(&message)
        .bind(&auth.user.id)
        .bind(now_ms())
        .execute(pool)
        .await?
        .rows_affected()
    });
    if marked == 0 {
        // Nothing new: already marked, or not a message to the caller.
        let known: Option<(i64,)> = on_store!(&state.store, pool => {
            sqlx::query_as("SELECT read_at_ms FROM course_message_reads WHERE message_id = $1 AND user_id = $2")
                .bind(&message)
                .bind(&auth.user.id)
                .fetch_optional(pool)
                .await?
        });
        if known.is_none() {
            return Err(no_message());
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

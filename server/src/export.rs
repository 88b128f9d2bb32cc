//! `GET /api/me/export`: everything the server keeps about the caller, as one
//! JSON document (GDPR Art. 15 and 20): the account, sessions (when and how
//! many, never tokens), passkeys (names and dates, never keys), courses taught with their assignments and members'
//! consents, memberships with consent, every record with its history, and
//! the reminders with the devices that take them, and course messages (sent,
//! or received with when each was marked read).

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::accounts::session::Auth;
use crate::assignments::weeks;
use crate::courses::{MembershipRow, access};
use crate::store::now_ms;
use crate::sync::changes;
use crate::{AppError, AppState, on_store};

pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new().routes(utoipa_axum::routes!(export))
}

/// The export format's name; changing its shape means a new name.
pub const FORMAT: &str = "stille-server-export-v1";

#[derive(Debug, sqlx::FromRow)]
struct VersionRow {
    id: String,
    updated_at_ms: i64,
    deleted: bool,
    body: Option<String>,
    received_at_ms: i64,
}

/// Everything the server keeps about you, as one JSON document
/// (`format: "stille-server-export-v1"`): account, sessions (times only),
/// courses you teach, memberships with consent, and every record with its history.
#[utoipa::path(get, path = "/me/export", tag = "accounts", security(("session_cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The export", body = serde_json::Value)))]
pub async fn export(State(state): State<AppState>, auth: Auth) -> Result<Json<Value>, AppError> {
    let store = &state.store;
    let user = &auth.user;
    let (created_at_ms,): (i64,) = on_store!(store, pool => {
        sqlx::query_as("SELECT created_at_ms FROM users WHERE id = $1").bind(&user.id).fetch_one(pool).await?
    });
    let sessions: Vec<(i64, i64)> = on_store!(store, pool => {
        sqlx::query_as("SELECT created_at_ms, last_seen_ms FROM sessions WHERE user_id = $1 ORDER BY created_at_ms")
            .bind(&user.id)
            .fetch_all(pool)
            .await?
    });
    let course_ids: Vec<(String,)> = on_store!(store, pool => {
        sqlx::query_as("SELECT id FROM courses WHERE instructor_id = $1 ORDER BY created_at_ms")
            .bind(&user.id)
            .fetch_all(pool)
            .await?
    });
    let mut teaching = Vec::new();
    for (id,) in course_ids {
        let course = access(store, &id, &user.id).await?.teaching()?;
        let members: Vec<MembershipRow> = on_store!(store, pool => {
            sqlx::query_as("SELECT * FROM memberships WHERE course_id = $1").bind(&id).fetch_all(pool).await?
        });
        let sent: Vec<(String, String, i64)> = on_store!(store, pool => {
            sqlx::query_as("SELECT id, body, sent_at_ms FROM course_messages WHERE course_id = $1 ORDER BY sent_at_ms")
                .bind(&id)
                .fetch_all(pool)
                .await?
        });
        teaching.push(json!({
            "id": course.id, "title": course.title, "lang": course.lang, "time_zone": course.time_zone,
            "start_date": course.start_date, "open": course.is_open, "capacity": course.capacity,
            "template": course.template, "created_at_ms": course.created_at_ms,
            "measures": course.measures()?,
            "meetings": course.meetings()?,
            "assignments": weeks(store, &id).await?,
            "members": members.iter().map(|m| json!({
                "user_id": m.user_id, "joined_at_ms": m.joined_at_ms,
                "share_adherence": m.share_adherence, "share_reflections": m.share_reflections,
                "share_group_results": m.share_group_results, "share_answers": m.share_answers,
            })).collect::<Vec<_>>(),
            "messages": sent.iter().map(|(id, text, at)| json!({ "id": id, "text": text, "sent_at_ms": at }))
                .collect::<Vec<_>>(),
        }));
    }
    let memberships: Vec<MembershipRow> = on_store!(store, pool => {
        sqlx::query_as("SELECT * FROM memberships WHERE user_id = $1 ORDER BY joined_at_ms")
            .bind(&user.id)
            .fetch_all(pool)
            .await?
    });
    let mut joined = Vec::new();
    for m in memberships {
        let course = access(store, &m.course_id, &user.id).await?;
        joined.push(json!({
            "course_id": m.course_id, "title": course.course().title, "joined_at_ms": m.joined_at_ms,
            "consent": m.consent(),
            "consent_changed_ms": m.consent_changed_ms,
        }));
    }
    let mut records = Vec::new();
    let mut after = 0;
    loop {
        let page =
            changes(store, &user.id, after, stille_practice::sync::MAX_PAGE, stille_practice::sync::VERSION)
                .await?;
        after = page.cursor;
        records.extend(page.changes);
        if !page.more {
            break;
        }
    }
    let versions: Vec<VersionRow> = on_store!(store, pool => {
        sqlx::query_as(
            "SELECT id, updated_at_ms, deleted, body, received_at_ms FROM record_versions \
             WHERE user_id = $1 ORDER BY received_at_ms, id",
        )
        .bind(&user.id)
        .fetch_all(pool)
        .await?
    });
    let versions: Vec<Value> = versions
        .into_iter()
        .map(|v| {
            let body = v.body.as_deref().map(serde_json::from_str::<Value>).transpose();
            body.map(|body| {
                json!({ "id": v.id, "updated_at_ms": v.updated_at_ms, "deleted": v.deleted,
                        "body": body, "received_at_ms": v.received_at_ms })
            })
        })
        .collect::<Result<_, _>>()
        .map_err(|e| AppError::Internal(format!("a stored version is not JSON: {e}")))?;
    let reminders: Option<(String,)> = on_store!(store, pool => {
        sqlx::query_as("SELECT plan FROM reminders WHERE user_id = $1").bind(&user.id).fetch_optional(pool).await?
    });
    let reminders = reminders
        .map(|(plan,)| serde_json::from_str::<Value>(&plan))
        .transpose()
        .map_err(|e| AppError::Internal(format!("a stored reminder plan is not JSON: {e}")))?;
    let devices: Vec<(String, String, i64)> = on_store!(store, pool => {
        sqlx::query_as("SELECT endpoint, lang, created_at_ms FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at_ms")
            .bind(&user.id)
            .fetch_all(pool)
            .await?
    });
    let read: Vec<(String, i64)> = on_store!(store, pool => {
        sqlx::query_as("SELECT message_id, read_at_ms FROM course_message_reads WHERE user_id = $1 ORDER BY read_at_ms")
            .bind(&user.id)
            .fetch_all(pool)
            .await?
    });
    let messages = crate::messages::of_participant(store, &user.id).await?;
    let passkeys = crate::accounts::passkeys::of_user(store, &user.id).await?;
    Ok(Json(json!({
        "format": FORMAT,
        "exported_at_ms": now_ms(),
        "account": {
            "id": user.id, "email": user.email, "display_name": user.display_name,
            "role": user.role, "created_at_ms": created_at_ms,
        },
        "passkeys": passkeys,
        "sessions": sessions.iter().map(|(c, l)| json!({ "created_at_ms": c, "last_seen_ms": l })).collect::<Vec<_>>(),
        "teaching": teaching,
        "memberships": joined,
        "records": records,
        "record_history": versions,
        "reminders": reminders,
        "course_messages": messages,
        "messages_read": read.iter().map(|(id, at)| json!({ "message_id": id, "read_at_ms": at })).collect::<Vec<_>>(),
        "reminder_devices": devices.iter().map(|(endpoint, lang, created)| json!({
            "endpoint": endpoint, "lang": lang, "created_at_ms": created,
        })).collect::<Vec<_>>(),
    })))
}

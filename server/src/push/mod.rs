//! Reminders by Web Push: a person chooses days and times, each of their
//! devices that allowed notifications subscribes, and at the minute the
//! server sends every device a short message its push service passes on.
//!
//! - `GET /api/push/key`: the public key browsers subscribe with (VAPID).
//! - `PUT`/`DELETE /api/push/subscription`: this device takes reminders, or no
//!   longer does. Only addresses of the push services this server sends to
//!   are taken (`--push-services`), so nobody can make it post elsewhere.
//! - `GET`/`PUT /api/reminders`: the person's plan ([`schedule`]).
//!
//! Delivery ([`plan_due`], [`send_due`]) runs in every instance every few
//! seconds and is correct with several on one database: a due reminder is
//! taken by moving its `next_at_ms` on from the value read (one instance
//! wins), which writes one message per device into `push_outbox` in the same
//! transaction; a message is claimed the same way before it is sent, and
//! deleted once its push service has taken it. A message whose push service
//! answers 404 or 410 takes its subscription with it; 429 and 5xx are tried
//! again after `Retry-After`. The one gap: an instance that dies between a
//! push service taking a message and deleting it sends it again a minute
//! later, once its claim runs out.

pub mod schedule;
pub mod text;
pub mod webpush;

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use stille_practice::Lang;
pub use stille_practice::api::{PushKey, Reminders, Subscription, Unsubscribe};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::accounts::session::Auth;
use crate::json::Body;
use crate::store::{BeginWrite, new_id, now_ms};
use crate::{AppError, AppState, Store, on_store};
use schedule::Schedule;
use webpush::{ClientKeys, Vapid};

/// How often each instance looks for due reminders and messages.
pub const EVERY: Duration = Duration::from_secs(10);

/// A reminder found more than this late (the server was down) is not sent:
/// "time to practise" hours later is no reminder.
pub const LATE_MS: i64 = 60 * 60_000;

/// How long a reminder waits at its push service for a phone that is off.
pub const REMINDER_TTL_S: i64 = 2 * 3600;

/// How long a claimed message is an instance's to send.
const CLAIM_MS: i64 = 60_000;

/// Tries for one message before it is given up.
const MAX_ATTEMPTS: i64 = 6;

/// Devices one person may have subscribed; the oldest goes when a new one comes.
pub const MAX_DEVICES: i64 = 20;

/// The push services of the browsers people use: Chrome, Edge, Samsung and
/// Opera (FCM and WNS), Firefox (Mozilla's autopush), Safari (Apple).
pub const DEFAULT_SERVICES: &str = "https://fcm.googleapis.com,https://updates.push.services.mozilla.com,\
https://web.push.apple.com,https://*.notify.windows.com";

/// The origins subscriptions may point at: `https://host`, `https://*.domain`
/// for any host under it, or a test's `http://127.0.0.1:port`.
#[derive(Clone, Debug)]
pub struct Services(Vec<(String, String, bool, Option<u16>)>);

impl Services {
    /// From a comma-separated list; the entry that does not read is named.
    pub fn parse(list: &str) -> Result<Services, String> {
        let mut services = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let url = reqwest::Url::parse(&entry.replace("://*.", "://wildcard."))
                .map_err(|e| format!("{entry:?}: {e}"))?;
            let host = url.host_str().ok_or_else(|| format!("{entry:?} has no host"))?;
            let (host, wildcard) = match host.strip_prefix("wildcard.") {
                Some(domain) if entry.contains("://*.") => (domain.to_owned(), true),
                _ => (host.to_owned(), false),
            };
            services.push((url.scheme().to_owned(), host, wildcard, url.port()));
        }
        Ok(Services(services))
    }

    /// Whether `endpoint` is at one of the services; its origin (the VAPID
    /// token's audience) when it is.
    pub fn origin_of(&self, endpoint: &str) -> Option<String> {
        let url = reqwest::Url::parse(endpoint).ok()?;
        if !url.username().is_empty() || url.password().is_some() {
            return None;
        }
        let host = url.host_str()?.to_ascii_lowercase();
        let allowed = self.0.iter().any(|(scheme, name, wildcard, port)| {
            let host_ok = if *wildcard { host.ends_with(&format!(".{name}")) } else { host == *name };
            url.scheme() == scheme && host_ok && url.port() == *port
        });
        allowed.then(|| url.origin().ascii_serialization())
    }
}

/// What an instance needs to send: the key, where it may send, and how.
#[derive(Debug)]
pub struct Push {
    pub vapid: Vapid,
    pub services: Services,
    /// The VAPID `sub`: how a push service reaches whoever runs this server.
    pub subject: Option<String>,
    http: reqwest::Client,
}

impl Push {
    /// The key kept in the store (made and kept by the first instance to start).
    pub async fn open(store: &Store, services: Services, subject: Option<String>) -> Result<Push, AppError> {
        let made = Vapid::generate().map_err(|e| AppError::Internal(e.to_string()))?;
        on_store!(store, pool => {
            sqlx::query("INSERT INTO push_key (id, secret, created_at_ms) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING")
                .bind(crate::store::hex(&made.secret()))
                .bind(now_ms())
                .execute(pool)
                .await?;
        });
        let (secret,): (String,) = on_store!(store, pool => {
            sqlx::query_as("SELECT secret FROM push_key WHERE id = 1").fetch_one(pool).await?
        });
        let vapid = crate::store::unhex(&secret)
            .and_then(|b| Vapid::from_secret(&b).ok())
            .ok_or_else(|| AppError::Internal("the stored push key does not read".into()))?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| AppError::Internal(format!("no HTTP client for push: {e}")))?;
        Ok(Push { vapid, services, subject, http })
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(key))
        .routes(routes!(subscribe, unsubscribe))
        .routes(routes!(read_reminders, set_reminders))
}

/// The public key to subscribe with.
#[utoipa::path(get, path = "/push/key", tag = "reminders",
    responses((status = 200, description = "The server's VAPID public key", body = PushKey)))]
async fn key(State(state): State<AppState>) -> Json<PushKey> {
    Json(PushKey { public_key: state.push.vapid.public_key().to_owned() })
}

/// This device takes reminders (the same endpoint again replaces its keys
/// and language, and moves it to the caller on a shared phone).
#[utoipa::path(put, path = "/push/subscription", tag = "reminders", request_body = Subscription,
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "Subscribed"),
        (status = 422, description = "Not a push service this server sends to, or keys that do not read", body = crate::error::ErrorBody),
    ))]
async fn subscribe(
    State(state): State<AppState>,
    auth: Auth,
    Body(subscription): Body<Subscription>,
) -> Result<StatusCode, AppError> {
    subscription.check()?;
    if state.push.services.origin_of(&subscription.endpoint).is_none() {
        return Err(AppError::invalid(
            "endpoint",
            "not the address of a push service this server sends to (a browser's PushSubscription.endpoint)",
        ));
    }
    ClientKeys::parse(&subscription.keys.p256dh, &subscription.keys.auth).map_err(|e| {
        let field = if e.to_string().contains("auth") { "keys.auth" } else { "keys.p256dh" };
        AppError::invalid(field, e.to_string())
    })?;
    let id = new_id()?;
    on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, lang, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (endpoint) DO UPDATE SET \
             user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth, lang = excluded.lang",
        )
        .bind(&id)
        .bind(&auth.user.id)
        .bind(&subscription.endpoint)
        .bind(&subscription.keys.p256dh)
        .bind(&subscription.keys.auth)
        .bind(&subscription.lang)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        // A person with more devices than MAX_DEVICES loses the oldest.
        sqlx::query(
            "DELETE FROM push_subscriptions WHERE user_id = $1 AND id NOT IN \
             (SELECT id FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at_ms DESC, id DESC LIMIT $2)",
        )
        .bind(&auth.user.id)
        .bind(MAX_DEVICES)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    });
    Ok(StatusCode::NO_CONTENT)
}

/// This device takes no more reminders.
#[utoipa::path(delete, path = "/push/subscription", tag = "reminders", request_body = Unsubscribe,
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "Not subscribed (whether it was or not)"),
        (status = 422, description = "Not an endpoint", body = crate::error::ErrorBody),
    ))]
async fn unsubscribe(
    State(state): State<AppState>,
    auth: Auth,
    Body(unsubscribe): Body<Unsubscribe>,
) -> Result<StatusCode, AppError> {
    unsubscribe.check()?;
    if reqwest::Url::parse(&unsubscribe.endpoint).is_err() {
        return Err(AppError::invalid(
            "endpoint",
            "an endpoint is a URL (a browser's PushSubscription.endpoint)",
        ));
    }
    on_store!(&state.store, pool => {
        sqlx::query("DELETE FROM push_subscriptions WHERE endpoint = $1 AND user_id = $2")
            .bind(&unsubscribe.endpoint)
            .bind(&auth.user.id)
            .execute(pool)
            .await?;
    });
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's reminders (none: no times).
#[utoipa::path(get, path = "/reminders", tag = "reminders",
    security(("session_cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The plan", body = Reminders)))]
async fn read_reminders(State(state): State<AppState>, auth: Auth) -> Result<Json<Reminders>, AppError> {
    let row: Option<(String,)> = on_store!(&state.store, pool => {
        sqlx::query_as("SELECT plan FROM reminders WHERE user_id = $1").bind(&auth.user.id).fetch_optional(pool).await?
    });
    let plan = match row {
        Some((plan,)) => serde_json::from_str(&plan)
            .map_err(|e| AppError::Internal(format!("a stored reminder plan does not read: {e}")))?,
        None => Reminders { time_zone: "UTC".into(), times: Vec::new(), quiet: None },
    };
    Ok(Json(plan))
}

/// Replace the caller's reminders; the next one is planned from now.
#[utoipa::path(put, path = "/reminders", tag = "reminders", request_body = Reminders,
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The plan as kept", body = Reminders),
        (status = 422, description = "A time, day or time zone that does not read, or a reminder in quiet hours", body = crate::error::ErrorBody),
    ))]
async fn set_reminders(
    State(state): State<AppState>,
    auth: Auth,
    Body(plan): Body<Reminders>,
) -> Result<Json<Reminders>, AppError> {
    let schedule = Schedule::new(&plan)?;
    let now = now_ms();
    let next = schedule.next_after(now);
    let text = serde_json::to_string(&plan).map_err(|e| AppError::Internal(e.to_string()))?;
    on_store!(&state.store, pool => {
        sqlx::query(
            "INSERT INTO reminders (user_id, plan, next_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id) DO UPDATE SET plan = excluded.plan, next_at_ms = excluded.next_at_ms, \
             updated_at_ms = excluded.updated_at_ms",
        )
        .bind(&auth.user.id)
        .bind(&text)
        .bind(next)
        .bind(now)
        .execute(pool)
        .await?;
    });
    Ok(Json(plan))
}

/// What one round of planning did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Planned {
    /// Reminders this instance took.
    pub reminders: u32,
    /// Of those, skipped: late, or in quiet hours.
    pub skipped: u32,
    /// Messages written for devices.
    pub messages: u32,
}

/// Takes every reminder due at `now_ms` that no other instance took, moves
/// it on to its next time and writes its message for each of the person's
/// devices.
pub async fn plan_due(store: &Store, now_ms: i64) -> Result<Planned, AppError> {
    let due: Vec<(String, String, i64)> = on_store!(store, pool => {
        sqlx::query_as(
            "SELECT user_id, plan, next_at_ms FROM reminders WHERE next_at_ms IS NOT NULL AND next_at_ms <= $1 \
             ORDER BY next_at_ms LIMIT 200",
        )
        .bind(now_ms)
        .fetch_all(pool)
        .await?
    });
    let mut planned = Planned::default();
    for (user_id, plan, due_at) in due {
        let schedule = serde_json::from_str::<Reminders>(&plan).ok().and_then(|p| Schedule::new(&p).ok());
        let next = schedule.as_ref().and_then(|s| s.next_after(now_ms.max(due_at)));
        let send = schedule.as_ref().is_some_and(|s| now_ms - due_at <= LATE_MS && !s.is_quiet(due_at));
        if schedule.is_none() {
            tracing::error!("a stored reminder plan does not read; its reminders stop");
        }
        let messages = if send {
            let about = text::about(store, &user_id, now_ms).await?;
            Some([
                serde_json::to_string(&about.message(Lang::Da))
                    .map_err(|e| AppError::Internal(e.to_string()))?,
                serde_json::to_string(&about.message(Lang::En))
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            ])
        } else {
            None
        };
        let written: Option<u32> = on_store!(store, pool => {
            let mut tx = pool.begin_write().await?;
            let taken = sqlx::query("UPDATE reminders SET next_at_ms = $1 WHERE user_id = $2 AND next_at_ms = $3")
                .bind(next)
                .bind(&user_id)
                .bind(due_at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if taken == 1 {
                let mut written = 0u32;
                if let Some([da, en]) = &messages {
                    let devices: Vec<(String, String)> =
                        sqlx::query_as("SELECT id, lang FROM push_subscriptions WHERE user_id = $1")
                            .bind(&user_id)
                            .fetch_all(&mut *tx)
                            .await?;
                    for (device, lang) in devices {
                        let payload = if lang == "da" { da } else { en };
                        sqlx::query(
                            "INSERT INTO push_outbox (id, subscription_id, payload, topic, urgency, ttl_s, due_at_ms, \
                             expires_at_ms) VALUES ($1, $2, $3, 'reminder', 'normal', $4, $5, $6)",
                        )
                        .bind(new_id()?)
                        .bind(&device)
                        .bind(payload)
                        .bind(REMINDER_TTL_S)
                        .bind(now_ms)
                        .bind(due_at + LATE_MS)
                        .execute(&mut *tx)
                        .await?;
                        written += 1;
                    }
                }
                tx.commit().await?;
                Some(written)
            } else {
                None
            }
        });
        if let Some(written) = written {
            planned.reminders += 1;
            planned.messages += written;
            if messages.is_none() {
                planned.skipped += 1;
            }
        }
    }
    Ok(planned)
}

/// What one round of sending did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sent {
    /// Taken by their push service.
    pub delivered: u32,
    /// To be tried again later (429, 5xx, no answer).
    pub later: u32,
    /// Dropped: refused for good, too old, or tried too often.
    pub dropped: u32,
    /// Subscriptions removed because their push service said they are gone.
    pub gone: u32,
}

type OutboxRow = (String, String, String, Option<String>, String, i64, i64, i64, String, String, String);

/// Sends every message due at `now_ms` that this instance can claim.
pub async fn send_due(store: &Store, push: &Push, now_ms: i64) -> Result<Sent, AppError> {
    let rows: Vec<OutboxRow> = on_store!(store, pool => {
        sqlx::query_as(
            "SELECT o.id, o.subscription_id, o.payload, o.topic, o.urgency, o.ttl_s, o.expires_at_ms, o.attempts, \
             s.endpoint, s.p256dh, s.auth FROM push_outbox o JOIN push_subscriptions s ON s.id = o.subscription_id \
             WHERE o.due_at_ms <= $1 AND o.claimed_until_ms <= $1 ORDER BY o.due_at_ms LIMIT 100",
        )
        .bind(now_ms)
        .fetch_all(pool)
        .await?
    });
    let mut sent = Sent::default();
    for (id, subscription, payload, topic, urgency, ttl_s, expires_at, attempts, endpoint, p256dh, auth) in
        rows
    {
        let claimed = on_store!(store, pool => {
            sqlx::query(
                "UPDATE push_outbox SET claimed_until_ms = $1, attempts = attempts + 1 \
                 WHERE id = $2 AND claimed_until_ms <= $3",
            )
            .bind(now_ms + CLAIM_MS)
            .bind(&id)
            .bind(now_ms)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if claimed != 1 {
            continue;
        }
        if expires_at <= now_ms || attempts >= MAX_ATTEMPTS {
            delete_message(store, &id).await?;
            sent.dropped += 1;
            continue;
        }
        let outcome =
            post(push, &endpoint, &p256dh, &auth, &payload, topic.as_deref(), &urgency, ttl_s).await;
        match outcome {
            Outcome::Delivered => {
                delete_message(store, &id).await?;
                sent.delivered += 1;
            }
            Outcome::Gone => {
                on_store!(store, pool => {
                    sqlx::query("DELETE FROM push_subscriptions WHERE id = $1").bind(&subscription).execute(pool).await?;
                });
                sent.gone += 1;
            }
            Outcome::Later { after_s } => {
                // Growing waits without Retry-After: 1, 2, 4 … minutes.
                let wait_ms = after_s.map_or(60_000 << attempts.clamp(0, 6), |s| s.saturating_mul(1000));
                on_store!(store, pool => {
                    sqlx::query("UPDATE push_outbox SET due_at_ms = $1, claimed_until_ms = 0 WHERE id = $2")
                        .bind(now_ms.saturating_add(wait_ms))
                        .bind(&id)
                        .execute(pool)
                        .await?;
                });
                sent.later += 1;
            }
            Outcome::Refused => {
                delete_message(store, &id).await?;
                sent.dropped += 1;
            }
        }
    }
    Ok(sent)
}

async fn delete_message(store: &Store, id: &str) -> Result<(), AppError> {
    on_store!(store, pool => {
        sqlx::query("DELETE FROM push_outbox WHERE id = $1").bind(id).execute(pool).await?;
    });
    Ok(())
}

/// What a push service made of one message.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Delivered,
    /// 404 or 410: the subscription has ended.
    Gone,
    /// Try again, after the seconds the service asked for if it did.
    Later {
        after_s: Option<i64>,
    },
    /// Refused for good (400, 403, 413): logged, not tried again.
    Refused,
}

#[allow(clippy::too_many_arguments)]
async fn post(
    push: &Push,
    endpoint: &str,
    p256dh: &str,
    auth: &str,
    payload: &str,
    topic: Option<&str>,
    urgency: &str,
    ttl_s: i64,
) -> Outcome {
    let Some(audience) = push.services.origin_of(endpoint) else {
        tracing::warn!(
            "a subscription's push service is no longer one this server sends to; message dropped"
        );
        return Outcome::Refused;
    };
    let body =
        match ClientKeys::parse(p256dh, auth).and_then(|keys| webpush::encrypt(payload.as_bytes(), &keys)) {
            Ok(body) => body,
            Err(error) => {
                tracing::error!("a push message could not be encrypted: {error}");
                return Outcome::Refused;
            }
        };
    let authorization = push.vapid.authorization(&audience, push.subject.as_deref(), crate::now_ms() / 1000);
    let mut request = push
        .http
        .post(endpoint)
        .header("TTL", ttl_s.to_string())
        .header("Urgency", urgency)
        .header("Content-Encoding", "aes128gcm")
        .header("Content-Type", "application/octet-stream")
        .header("Authorization", authorization)
        .body(body);
    if let Some(topic) = topic {
        request = request.header("Topic", topic);
    }
    let response = match request.send().await {
        Ok(response) => response,
        Err(error) => {
            tracing::warn!("a push service did not answer: {}", error.without_url());
            return Outcome::Later { after_s: None };
        }
    };
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(|s| s.clamp(1, 24 * 3600));
    match status {
        200..=299 => Outcome::Delivered,
        404 | 410 => Outcome::Gone,
        429 | 500..=599 => Outcome::Later { after_s: retry_after },
        _ => {
            tracing::warn!(status, "a push service refused a message");
            Outcome::Refused
        }
    }
}

/// Plans and sends every [`EVERY`], for as long as the server runs.
pub async fn run(store: Store, push: Arc<Push>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = now_ms();
        match plan_due(&store, now).await {
            Ok(planned) if planned != Planned::default() => tracing::info!(
                reminders = planned.reminders,
                skipped = planned.skipped,
                messages = planned.messages,
                "reminders planned"
            ),
            Ok(_) => {}
            Err(error) => tracing::error!("planning reminders failed: {error}"),
        }
        match send_due(&store, &push, now).await {
            Ok(sent) if sent != Sent::default() => tracing::info!(
                delivered = sent.delivered,
                later = sent.later,
                dropped = sent.dropped,
                gone = sent.gone,
                "push messages"
            ),
            Ok(_) => {}
            Err(error) => tracing::error!("sending push messages failed: {error}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_push_services_listed_are_sent_to() {
        let services = Services::parse(DEFAULT_SERVICES).expect("reads");
        let origin = |e: &str| services.origin_of(e);
        assert_eq!(
            origin("https://fcm.googleapis.com/fcm/send/abc:def").as_deref(),
            Some("https://fcm.googleapis.com")
        );
        assert_eq!(
            origin("https://web.push.apple.com/QGuQyavXutnMH6Ig2uYOJDwA").as_deref(),
            Some("https://web.push.apple.com")
        );
        assert_eq!(
            origin("https://wns2-db5p.notify.windows.com/w/?token=x").as_deref(),
            Some("https://wns2-db5p.notify.windows.com")
        );
        for refused in [
            "http://fcm.googleapis.com/fcm/send/abc",
            "https://fcm.googleapis.com.evil.example/x",
            "https://notify.windows.com/x",
            "https://user@fcm.googleapis.com/x",
            "https://fcm.googleapis.com:8443/x",
            "https://127.0.0.1/x",
            "not a url",
        ] {
            assert_eq!(origin(refused), None, "{refused}");
        }
        let test = Services::parse("http://127.0.0.1:4321").expect("reads");
        assert_eq!(test.origin_of("http://127.0.0.1:4321/push/1").as_deref(), Some("http://127.0.0.1:4321"));
        assert_eq!(test.origin_of("http://127.0.0.1:4322/push/1"), None);
    }
}

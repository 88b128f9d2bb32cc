//! Course messages: from the instructor to the group's homes and, through
//! the push-service stand-in, to their phones; the read count the
//! instructor sees; who may do what; what is refused and why.

use reqwest::Method;
use serde_json::{Value, json};
use stille_server::push::send_due;

use crate::helpers::{TestApp, backends, error_of};
use crate::push::{app_for, remind, subscribe};
use crate::push_service::PushService;

async fn send(app: &TestApp, token: &str, course: &str, text: &str) -> (u16, Value) {
    app.call(
        Method::POST,
        &format!("/api/courses/{course}/messages"),
        Some(token),
        Some(json!({ "text": text })),
    )
    .await
}

async fn sent(app: &TestApp, token: &str, course: &str) -> Value {
    let (status, body) = app.get_json(&format!("/api/courses/{course}/messages"), token).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn mine(app: &TestApp, token: &str) -> Vec<Value> {
    let (status, body) = app.get_json("/api/messages", token).await;
    assert_eq!(status, 200, "{body}");
    body["messages"].as_array().cloned().unwrap_or_default()
}

async fn mark_read(app: &TestApp, token: &str, message: &str) -> (u16, Value) {
    app.call(Method::PUT, &format!("/api/messages/{message}/read"), Some(token), None).await
}

#[tokio::test]
async fn a_course_message_reaches_the_groups_homes_and_phones_and_the_read_count_follows() {
    for backend in backends() {
        let service = PushService::start().await;
        let app = app_for(&service, backend).await;
        let teacher = app.instructor("Birgit").await;
        let (course, code) = app.course(&teacher, None).await;
        let (ida, bo, outsider) =
            (app.participant("Ida").await, app.participant("Bo").await, app.participant("Ulla").await);
        for who in [&ida, &bo] {
            let (status, body) = app.join(who, &code, false, false).await;
            assert_eq!(status, 201, "{body}");
        }
        subscribe(&app, &ida, &service.device("ida-phone", "da")).await;
        subscribe(&app, &outsider, &service.device("ulla-phone", "en")).await;

        let text = "Vi ses i lokale 2 på torsdag.\nHusk et tæppe.";
        let (status, message) = send(&app, &teacher.token, &course, &format!("  {text}\r\n")).await;
        assert_eq!(status, 201, "{backend}: {message}");
        assert_eq!((message["text"].as_str(), message["read"].as_i64()), (Some(text), Some(0)));
        assert_eq!(message["participants"], 2);
        let id = message["id"].as_str().expect("an id").to_owned();

        // On Ida's and Bo's home, not Ulla's.
        for who in [&ida, &bo] {
            let list = mine(&app, &who.token).await;
            assert_eq!(list.len(), 1, "{backend}: {list:?}");
            assert_eq!(list[0]["text"], text);
            assert_eq!(list[0]["from"], "Birgit");
            assert_eq!(list[0]["course_id"], course.as_str());
            assert_eq!(list[0]["read"], false);
        }
        assert!(mine(&app, &outsider.token).await.is_empty());

        // Ida's phone is told there is a message, never what it says or from which course.
        send_due(&app.store, &app.push, stille_server::now_ms()).await.expect("sending works");
        let received = service.take_received();
        assert_eq!(received.len(), 1, "{backend}: only Ida's phone takes messages: {received:?}");
        let push = &received[0];
        assert_eq!(push.device, "ida-phone");
        assert_eq!(push.topic.as_deref(), Some("course-message"));
        assert_eq!(push.ttl, "86400");
        assert_eq!(
            push.payload,
            json!({"title": "Stille", "body": "Der er en ny besked fra dit hold. Åbn Stille for at læse den.",
                   "url": "/", "tag": "course-message"})
        );
        assert_eq!(service.faults(), Vec::<String>::new());

        // Ida opens it: the count goes to 1, and marking again changes nothing.
        for _ in 0..2 {
            let (status, body) = mark_read(&app, &ida.token, &id).await;
            assert_eq!(status, 204, "{backend}: {body}");
        }
        assert_eq!(mine(&app, &ida.token).await[0]["read"], true);
        assert_eq!(mine(&app, &bo.token).await[0]["read"], false, "Bo's is his own");
        let list = sent(&app, &teacher.token, &course).await;
        assert_eq!(
            (list["messages"][0]["read"].as_i64(), list["messages"][0]["participants"].as_i64()),
            (Some(1), Some(2))
        );

        // Not to Ulla; not a message at all.
        let (status, body) = mark_read(&app, &outsider.token, &id).await;
        assert_eq!((status, error_of(&body).0.as_str()), (404, "not_found"), "{body}");
        let (status, _) = mark_read(&app, &ida.token, "no-such-message").await;
        assert_eq!(status, 404);

        // Only the instructor sends and lists them.
        let (status, body) = send(&app, &ida.token, &course, "Hej").await;
        assert_eq!((status, error_of(&body).0.as_str()), (403, "forbidden"), "{body}");
        let (status, _) = app.get_json(&format!("/api/courses/{course}/messages"), &ida.token).await;
        assert_eq!(status, 403);
        let (status, _) = send(&app, &outsider.token, &course, "Hej").await;
        assert_eq!(status, 404, "an outsider learns nothing of the course");

        // Ida leaves: her mark goes with her, and the count with it.
        let (status, body) = app
            .call(Method::DELETE, &format!("/api/courses/{course}/membership"), Some(&ida.token), None)
            .await;
        assert_eq!(status, 204, "{body}");
        let list = sent(&app, &teacher.token, &course).await;
        assert_eq!(
            (list["messages"][0]["read"].as_i64(), list["messages"][0]["participants"].as_i64()),
            (Some(0), Some(1))
        );
        assert!(mine(&app, &ida.token).await.is_empty());

        // Taken back: gone from Bo's home.
        let path = format!("/api/courses/{course}/messages/{id}");
        let (status, body) = app.call(Method::DELETE, &path, Some(&bo.token), None).await;
        assert_eq!(status, 403, "{body}");
        let (status, body) = app.call(Method::DELETE, &path, Some(&teacher.token), None).await;
        assert_eq!(status, 204, "{body}");
        assert!(mine(&app, &bo.token).await.is_empty());
        let (status, _) = app.call(Method::DELETE, &path, Some(&teacher.token), None).await;
        assert_eq!(status, 404);
        app.stop().await;
    }
}

#[tokio::test]
async fn a_message_sent_in_someones_quiet_hours_reaches_their_phone_when_they_end() {
    let service = PushService::start().await;
    let app = app_for(&service, "sqlite").await;
    let teacher = app.instructor("Birgit").await;
    let (course, code) = app.course(&teacher, None).await;
    let ida = app.participant("Ida").await;
    let (status, body) = app.join(&ida, &code, false, false).await;
    assert_eq!(status, 201, "{body}");
    subscribe(&app, &ida, &service.device("ida-phone", "en")).await;
    // Quiet from an hour ago until two hours from now, on Ida's clock.
    let zone = jiff::tz::TimeZone::get("Europe/Copenhagen").expect("the zone");
    let now = jiff::Timestamp::now();
    let clock = |hours: i64| {
        (now + jiff::SignedDuration::from_hours(hours)).to_zoned(zone.clone()).strftime("%H:%M").to_string()
    };
    let quiet =
        json!({"time_zone": "Europe/Copenhagen", "times": [], "quiet": {"from": clock(-1), "to": clock(2)}});
    remind(&app, &ida, quiet).await;

    let (status, body) = send(&app, &teacher.token, &course, "We meet in room 2 on Thursday.").await;
    assert_eq!(status, 201, "{body}");
    let sent_at = body["sent_at_ms"].as_i64().expect("a time");
    // A second one, taken back before the morning: its notification goes with it.
    let (status, second) = send(&app, &teacher.token, &course, "Rettelse: lokale 3.").await;
    assert_eq!(status, 201, "{second}");
    let path = format!("/api/courses/{course}/messages/{}", second["id"].as_str().expect("an id"));
    let (status, body) = app.call(reqwest::Method::DELETE, &path, Some(&teacher.token), None).await;
    assert_eq!(status, 204, "{body}");
    send_due(&app.store, &app.push, sent_at + 60_000).await.expect("sending works");
    assert!(service.take_received().is_empty(), "nothing in quiet hours");
    assert_eq!(mine(&app, &ida.token).await.len(), 1, "on home at once");
    // Two hours on (at most a minute more, as `to` is a whole minute).
    send_due(&app.store, &app.push, sent_at + 2 * 3_600_000 + 60_000).await.expect("sending works");
    let received = service.take_received();
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(
        received[0].payload["body"],
        "There is a new message from your course. Open Stille to read it."
    );
    app.stop().await;
}

#[tokio::test]
async fn a_message_that_is_empty_too_long_or_hides_characters_is_refused_and_ten_a_day_is_the_most() {
    for backend in backends() {
        let app =
            crate::helpers::spawn_app_configured(backend, |config| config.rates = crate::helpers::generous())
                .await;
        let teacher = app.instructor("Birgit").await;
        let (course, _) = app.course(&teacher, None).await;
        for (text, says) in [("", "1–600"), ("  \n ", "1–600"), ("Hej\u{202E}alle", "U+202E")] {
            let (status, body) = send(&app, &teacher.token, &course, text).await;
            assert_eq!(
                (status, error_of(&body)),
                (422, ("invalid".into(), "text".into())),
                "{text:?}: {body}"
            );
            assert!(body["error"]["message"].as_str().unwrap_or("").contains(says), "{body}");
        }
        let (status, body) = send(&app, &teacher.token, &course, &"å".repeat(601)).await;
        assert_eq!(status, 422, "{body}");
        let path = format!("/api/courses/{course}/messages");
        let (status, body) = app
            .call(Method::POST, &path, Some(&teacher.token), Some(json!({"text": "Hej", "urgent": true})))
            .await;
        assert_eq!((status, error_of(&body).0.as_str()), (422, "invalid"), "{body}");
        assert!(sent(&app, &teacher.token, &course).await["messages"].as_array().is_some_and(Vec::is_empty));

        for n in 1..=10 {
            let (status, body) = send(&app, &teacher.token, &course, &format!("Besked {n}")).await;
            assert_eq!(status, 201, "{body}");
        }
        let response = app
            .http
            .post(app.url(&path))
            .bearer_auth(&teacher.token)
            .json(&json!({"text": "Besked 11"}))
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), 429);
        let retry: u64 = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("Retry-After");
        assert!((86_000..=86_400).contains(&retry), "{retry}");
        let list = sent(&app, &teacher.token, &course).await;
        let texts: Vec<&str> =
            list["messages"].as_array().expect("a list").iter().filter_map(|m| m["text"].as_str()).collect();
        assert_eq!(texts.len(), 10);
        assert_eq!(texts[0], "Besked 10", "newest first");
        app.stop().await;
    }
}

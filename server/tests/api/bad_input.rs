//! Bad input on every writing endpoint: malformed JSON, wrong types, unknown
//! fields, huge bodies, invalid UUIDs, out-of-range numbers and far-future
//! times get a 4xx with a JSON error naming the field, and nothing already
//! stored changes.

use reqwest::Method;
use serde_json::{Value, json};

use crate::courses::{at, entry};
use crate::helpers::{TestApp, backends, error_of, generous, spawn_app_with};

/// Everything the server holds for these people, to compare before and after.
async fn snapshot(app: &TestApp, tokens: &[&str], course: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for token in tokens {
        let (_, mut export) = app.get_json("/api/me/export", token).await;
        export["exported_at_ms"] = Value::Null;
        if let Some(sessions) = export["sessions"].as_array_mut() {
            for s in sessions {
                s["last_seen_ms"] = Value::Null;
            }
        }
        all.push(export);
        all.push(app.get_json(&format!("/api/courses/{course}"), token).await.1);
        all.push(app.get_json(&format!("/api/courses/{course}/assignments"), token).await.1);
    }
    all
}

#[tokio::test]
async fn bad_requests_name_the_field_and_change_nothing() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        let (course, code) = app.course(&birgit, Some("mbct")).await;
        let ida = app.participant("Ida").await;
        assert_eq!(app.join(&ida, &code, true, false).await.0, 201);
        let day = at(2026, 11, 3, 7);
        let (status, _) =
            app.post_json("/api/sync", &ida.token, json!({"records": [entry(day, 1, 10)]})).await;
        assert_eq!(status, 200);
        let before = snapshot(&app, &[&birgit.token, &ida.token], &course).await;

        let c = |p: &str| p.replace("{c}", &course);
        let far_future = stille_server::now_ms() + 30 * 86_400_000;
        let mut future_entry = entry(day, 2, 10);
        future_entry["body"]["started_at_ms"] = json!(far_future);
        future_entry["updated_at_ms"] = json!(far_future);
        future_entry["body"]["updated_at_ms"] = json!(far_future);
        // (who, method, path, JSON body, expected status, expected field)
        let cases: Vec<(&str, Method, String, Value, u16, &str)> = vec![
            (
                "b",
                Method::POST,
                c("/api/courses"),
                json!({"title": 7, "lang": "da", "time_zone": "UTC", "start_date": "2026-01-05"}),
                422,
                "title",
            ),
            (
                "b",
                Method::POST,
                c("/api/courses"),
                json!({"title": "x", "lang": "sv", "time_zone": "UTC", "start_date": "2026-01-05"}),
                422,
                "lang",
            ),
            (
                "b",
                Method::POST,
                c("/api/courses"),
                json!({"title": "x", "lang": "da", "time_zone": "UTC", "start_date": "2026-13-05"}),
                422,
                "start_date",
            ),
            (
                "b",
                Method::POST,
                c("/api/courses"),
                json!({"title": "x", "lang": "da", "time_zone": "UTC", "start_date": "2026-01-05", "capacity": 70000}),
                422,
                "capacity",
            ),
            (
                "b",
                Method::POST,
                c("/api/courses"),
                json!({"title": "x", "lang": "da", "time_zone": "UTC", "start_date": "2026-01-05", "capacity": -1}),
                422,
                "capacity",
            ),
            (
                "b",
                Method::POST,
                c("/api/courses"),
                json!({"title": "x", "lang": "da", "time_zone": "UTC", "start_date": "2026-01-05", "template": "yoga"}),
                422,
                "template",
            ),
            (
                "b",
                Method::POST,
                c("/api/courses"),
                json!({"title": "x", "lang": "da", "time_zone": "UTC", "start_date": "2026-01-05", "owner": "me"}),
                422,
                "owner",
            ),
            ("b", Method::PATCH, c("/api/courses/{c}"), json!({"title": ""}), 422, "title"),
            ("b", Method::PATCH, c("/api/courses/{c}"), json!({"open": "yes"}), 422, "open"),
            (
                "b",
                Method::PATCH,
                c("/api/courses/{c}"),
                json!({"time_zone": "Mars/Olympus Mons"}),
                422,
                "time_zone",
            ),
            ("b", Method::POST, c("/api/courses/{c}/invite"), json!({"valid_days": 0}), 422, "valid_days"),
            ("b", Method::POST, c("/api/courses/{c}/invite"), json!({"valid_days": 1e9}), 422, "valid_days"),
            (
                "b",
                Method::PUT,
                c("/api/courses/{c}/assignments/1"),
                json!({"practices": [{"practice": "breathing-box", "minutes": 5, "days": 5, "per_day": 300}]}),
                422,
                "practices[0].per_day",
            ),
            (
                "b",
                Method::PUT,
                c("/api/courses/{c}/assignments/1"),
                json!({"practices": "all"}),
                422,
                "practices",
            ),
            ("b", Method::PUT, c("/api/courses/{c}/assignments/x"), json!({"practices": []}), 422, "week"),
            (
                "i",
                Method::PUT,
                c("/api/courses/{c}/consent"),
                json!({"adherence": 1, "reflections": false}),
                422,
                "adherence",
            ),
            (
                "i",
                Method::POST,
                c("/api/join"),
                json!({"code": 12, "consent": {"adherence": true, "reflections": true}}),
                422,
                "code",
            ),
            ("i", Method::POST, c("/api/sync"), json!({"records": {}}), 422, "records"),
            ("i", Method::POST, c("/api/sync"), json!({"records": [], "device": "x"}), 422, "device"),
            ("i", Method::POST, c("/api/me/erase"), json!({"password": "x"}), 422, "confirm"),
            (
                "-",
                Method::POST,
                c("/api/sessions"),
                json!({"email": "ida@example.dk", "password": ["x"]}),
                422,
                "password",
            ),
            (
                "-",
                Method::POST,
                c("/api/accounts"),
                json!({"email": "x@example.dk", "password": "a long enough one", "display_name": "X", "admin": true}),
                422,
                "admin",
            ),
        ];
        for (who, method, path, body, status, field) in cases {
            let token = match who {
                "b" => Some(birgit.token.as_str()),
                "i" => Some(ida.token.as_str()),
                _ => None,
            };
            let (got, answer) = app.call(method.clone(), &path, token, Some(body.clone())).await;
            assert_eq!(
                (got, error_of(&answer).1.as_str()),
                (status, field),
                "{backend}: {method} {path} {body}: {answer}"
            );
            assert!(
                answer["error"]["message"].as_str().is_some_and(|m| !m.is_empty()),
                "a message says what is wrong"
            );
        }

        // Records with an invalid UUID, out-of-range numbers and far-future times are refused one by one.
        let mut bad_uuid = entry(day, 3, 10);
        bad_uuid["id"] = json!("01234567-89ab-cdef-0123-456789abcdeg");
        let mut negative = entry(day, 4, 10);
        negative["body"]["practised_ms"] = json!(-5);
        let (_, answer) = app
            .post_json("/api/sync", &ida.token, json!({"records": [bad_uuid, negative, future_entry]}))
            .await;
        let fields: Vec<&str> = answer["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["error"]["field"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(fields, ["id", "body.practised_ms", "updated_at_ms"], "{answer}");

        // Malformed JSON, a wrong content type, an empty body, a huge body.
        for (content_type, raw, status) in [
            ("application/json", "{\"records\": [", 400),
            ("application/json", "{\"records\": []} trailing", 400),
            ("application/json", "", 400),
            ("text/plain", "{\"records\": []}", 415),
        ] {
            let response = app
                .http
                .post(app.url("/api/sync"))
                .bearer_auth(&ida.token)
                .header("content-type", content_type)
                .body(raw)
                .send()
                .await
                .expect("post");
            assert_eq!(response.status(), status, "{backend}: {raw:?} as {content_type}");
            let body: Value = response.json().await.expect("a JSON error");
            assert!(body["error"]["code"].is_string(), "{body}");
        }
        let huge = format!("{{\"records\": [\"{}\"]}}", "x".repeat(2 * 1024 * 1024));
        let response = app
            .http
            .post(app.url("/api/sync"))
            .bearer_auth(&ida.token)
            .header("content-type", "application/json")
            .body(huge)
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 413);
        let body: Value = response.json().await.expect("a JSON error");
        assert_eq!(body["error"]["code"], "too_large");
        let big_form = json!({"title": "x".repeat(20_000), "lang": "da", "time_zone": "UTC", "start_date": "2026-01-05"});
        let (status, _) = app.post_json("/api/courses", &birgit.token, big_form).await;
        assert_eq!(status, 413, "forms are small");

        assert_eq!(
            snapshot(&app, &[&birgit.token, &ida.token], &course).await,
            before,
            "{backend}: nothing stored changed"
        );
        app.stop().await;
    }
}

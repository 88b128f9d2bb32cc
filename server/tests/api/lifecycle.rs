//! An account's life after sign-up: changing the name and the password,
//! seeing and ending sessions, and getting back in with a one-time reset
//! link from one's instructor or the server admin.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Person, TestApp, backends, error_of, generous, spawn_app_with};

const NEW_PASSWORD: &str = "en ny sætning om havet";

/// Logs in as `email` with `password` from a browser of `user_agent`.
async fn log_in_from(app: &TestApp, email: &str, password: &str, user_agent: &str) -> (u16, Value) {
    let response = app
        .http
        .post(app.url("/api/sessions"))
        .header("user-agent", user_agent)
        .json(&json!({"email": email, "password": password, "token": true}))
        .send()
        .await
        .expect("log in");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn token(body: &Value) -> String {
    body["token"].as_str().expect("a token").to_owned()
}

const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const ANDROID: &str = "Mozilla/5.0 (Android 15; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0";

#[tokio::test]
async fn a_person_renames_sees_and_ends_sessions_and_changes_the_password() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let ida = app.participant("Ida").await;
        let jens = app.participant("Jens").await;
        let phone = token(&log_in_from(&app, "ida@example.dk", PASSWORD, IPHONE).await.1);
        let tablet = token(&log_in_from(&app, "ida@example.dk", PASSWORD, ANDROID).await.1);

        // The name, changed; nothing hidden in it.
        let (status, me) =
            app.call(Method::PATCH, "/api/me", Some(&phone), Some(json!({"display_name": " Ida H. "}))).await;
        assert_eq!((status, me["user"]["display_name"].clone()), (200, json!("Ida H.")), "{me}");
        let (status, body) = app
            .call(Method::PATCH, "/api/me", Some(&phone), Some(json!({"display_name": "Ida\u{202E}x"})))
            .await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "display_name"), "{body}");

        // Three sessions, named by what signed in; the phone's is current.
        let (status, list) = app.get_json("/api/me/sessions", &phone).await;
        assert_eq!(status, 200, "{list}");
        let sessions = list["sessions"].as_array().expect("sessions").clone();
        assert_eq!(sessions.len(), 3, "{list}");
        let devices: Vec<&str> = sessions.iter().filter_map(|s| s["device"].as_str()).collect();
        assert!(
            devices.contains(&"Safari · iPhone") && devices.contains(&"Firefox · Android"),
            "{devices:?}"
        );
        let current: Vec<&Value> = sessions.iter().filter(|s| s["current"] == true).collect();
        assert_eq!((current.len(), current[0]["device"].clone()), (1, json!("Safari · iPhone")));
        let tablet_id = sessions.iter().find(|s| s["device"] == "Firefox · Android").expect("tablet")["id"]
            .as_str()
            .expect("id")
            .to_owned();
        // Jens cannot end Ida's session, nor learn that it exists.
        let path = format!("/api/me/sessions/{tablet_id}");
        let (status, _) = app.call(Method::DELETE, &path, Some(&jens.token), None).await;
        assert_eq!(status, 404);
        assert_eq!(app.get_json("/api/me", &tablet).await.0, 200);
        // Ida ends it from her phone.
        assert_eq!(app.call(Method::DELETE, &path, Some(&phone), None).await.0, 204);
        assert_eq!(app.get_json("/api/me", &tablet).await.0, 401, "the tablet is signed out");

        // A new password needs the current one, and ends every other session.
        let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new});
        let (status, body) = app
            .call(Method::PUT, "/api/me/password", Some(&phone), Some(change("forkert", NEW_PASSWORD)))
            .await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "current_password"), "{body}");
        let (status, body) = app
            .call(Method::PUT, "/api/me/password", Some(&phone), Some(change(PASSWORD, "password123")))
            .await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "new_password"), "{body}");
        let (status, body) = app
            .call(Method::PUT, "/api/me/password", Some(&phone), Some(change(PASSWORD, NEW_PASSWORD)))
            .await;
        assert_eq!(status, 204, "{body}");
        assert_eq!(app.get_json("/api/me", &phone).await.0, 200, "this session stays");
        assert_eq!(app.get_json("/api/me", &ida.token).await.0, 401, "every other session ends");
        assert_eq!(log_in_from(&app, "ida@example.dk", PASSWORD, IPHONE).await.0, 401);
        let laptop = token(&log_in_from(&app, "ida@example.dk", NEW_PASSWORD, ANDROID).await.1);

        // Sign out everywhere else.
        let (status, left) = app.call(Method::POST, "/api/me/sessions/end-others", Some(&laptop), None).await;
        assert_eq!(status, 200, "{left}");
        assert_eq!(left["sessions"].as_array().map(Vec::len), Some(1));
        assert_eq!(app.get_json("/api/me", &phone).await.0, 401);
        assert_eq!(app.get_json("/api/me", &jens.token).await.0, 200, "nobody else's");
        app.stop().await;
    }
}

async fn reset_link(app: &TestApp, teacher: &Person, course: &str, who: &str) -> (u16, Value) {
    app.call(
        Method::POST,
        &format!("/api/courses/{course}/members/{who}/reset-link"),
        Some(&teacher.token),
        None,
    )
    .await
}

async fn complete(app: &TestApp, token: &str, password: &str) -> (u16, Value) {
    app.call(
        Method::POST,
        "/api/password-resets/complete",
        None,
        Some(json!({"token": token, "new_password": password})),
    )
    .await
}

fn secret(link: &Value) -> String {
    let path = link["path"].as_str().expect("path");
    path.strip_prefix("/reset#").expect("the secret in the fragment").to_owned()
}

#[tokio::test]
async fn an_instructor_helps_a_participant_back_in_once_and_the_participant_sees_it() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        let carl = app.instructor("Carl").await;
        let (course, code) = app.course(&birgit, Some("msc")).await;
        let ida = app.participant("Ida").await;
        let jens = app.participant("Jens").await;
        assert_eq!(app.join(&ida, &code, true, false).await.0, 201);
        assert_eq!(
            app.join(&carl, &code, false, false).await.0,
            201,
            "an instructor in a colleague's course"
        );

        let (status, link) = reset_link(&app, &birgit, &course, &ida.id).await;
        assert_eq!(status, 201, "{link}");
        let expires = link["expires_at_ms"].as_i64().expect("expiry") - stille_server::now_ms();
        assert!((3_500_000..=3_600_000).contains(&expires), "an hour: {expires}");
        // Not for someone outside the course, nor for an instructor.
        assert_eq!(reset_link(&app, &birgit, &course, &jens.id).await.0, 404);
        assert_eq!(reset_link(&app, &birgit, &course, &carl.id).await.0, 403);

        // Ida chooses a new password with it; her sessions end.
        let (status, body) = complete(&app, &secret(&link), "password123").await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "new_password"), "{body}");
        assert_eq!(complete(&app, &secret(&link), NEW_PASSWORD).await.0, 204);
        assert_eq!(app.get_json("/api/me", &ida.token).await.0, 401, "old sessions end");
        let (status, again) = complete(&app, &secret(&link), "en helt tredje sætning").await;
        assert_eq!((status, error_of(&again).0.as_str()), (404, "not_found"), "once only: {again}");
        let (status, body) = log_in_from(&app, "ida@example.dk", NEW_PASSWORD, IPHONE).await;
        assert_eq!(status, 201, "{body}");
        // She sees that it happened, and by whose link.
        let (_, me) = app.get_json("/api/me", &token(&body)).await;
        assert_eq!(me["last_reset"]["by"], "instructor", "{me}");
        assert_eq!(me["last_reset"]["instructor"], "Birgit");

        // An expired link and a made-up one do nothing.
        let (_, late) = reset_link(&app, &birgit, &course, &ida.id).await;
        stille_server::on_store!(&app.store, pool => {
            sqlx::query("UPDATE account_links SET expires_at_ms = $1 WHERE used_at_ms IS NULL")
                .bind(stille_server::now_ms() - 1)
                .execute(pool)
                .await
                .expect("expire");
        });
        assert_eq!(complete(&app, &secret(&late), "en helt tredje sætning").await.0, 404);
        assert_eq!(complete(&app, &"x".repeat(43), "en helt tredje sætning").await.0, 404);
        assert_eq!(log_in_from(&app, "ida@example.dk", NEW_PASSWORD, IPHONE).await.0, 201, "unchanged");

        // The admin's link, for anyone.
        let link = stille_server::accounts::manage::admin_reset_link(&app.store, "carl@example.dk")
            .await
            .expect("a link");
        let link = serde_json::to_value(link).expect("json");
        assert_eq!(complete(&app, &secret(&link), NEW_PASSWORD).await.0, 204);
        // A reset sets the password only: Carl's second step still stands.
        let (status, body) = log_in_from(&app, "carl@example.dk", NEW_PASSWORD, IPHONE).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "one_time_code"), "{body}");
        let code = app.code_for("carl@example.dk").await.expect("Carl has two-step sign-in");
        let form = json!({"email": "carl@example.dk", "password": NEW_PASSWORD, "token": true, "one_time_code": code});
        let (status, body) = app.call(Method::POST, "/api/sessions", None, Some(form)).await;
        assert_eq!(status, 201, "{body}");
        let (_, me) = app.get_json("/api/me", &token(&body)).await;
        assert_eq!(
            (me["last_reset"]["by"].clone(), me["user"]["role"].clone()),
            (json!("admin"), json!("instructor"))
        );

        // Erasing the account takes its links with it.
        let (_, body) = log_in_from(&app, "ida@example.dk", NEW_PASSWORD, IPHONE).await;
        let (status, _) = app
            .post_json(
                "/api/me/erase",
                &token(&body),
                json!({"password": NEW_PASSWORD, "confirm": "erase my account"}),
            )
            .await;
        assert_eq!(status, 204);
        let (links,): (i64,) = stille_server::on_store!(&app.store, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM account_links WHERE user_id = $1")
                .bind(&ida.id)
                .fetch_one(pool)
                .await
                .expect("count")
        });
        assert_eq!(links, 0);
        app.stop().await;
    }
}

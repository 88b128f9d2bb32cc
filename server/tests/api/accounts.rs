//! Accounts and sessions over HTTP: sign-up, log-in by cookie (with CSRF) and
//! by bearer token, log-out, expiry, attempt limits, instructors.

use reqwest::Method;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::json;
use stille_server::limits::Rates;

use crate::helpers::{PASSWORD, backends, error_of, generous, spawn_app, spawn_app_on, spawn_app_with};

#[tokio::test]
async fn sign_up_log_in_me_and_log_out_with_a_bearer_token() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let ida = app.participant("Ida").await;
        let (status, me) = app.get_json("/api/me", &ida.token).await;
        assert_eq!(status, 200, "{backend}: {me}");
        assert_eq!(me["user"]["email"], "ida@example.dk");
        assert_eq!(me["user"]["role"], "participant");
        assert_eq!(me["csrf_token"], serde_json::Value::Null, "bearer sessions need no CSRF token");
        let (status, _) = app.call(Method::DELETE, "/api/sessions/current", Some(&ida.token), None).await;
        assert_eq!(status, 204);
        let (status, body) = app.get_json("/api/me", &ida.token).await;
        assert_eq!(
            (status, error_of(&body).0.as_str()),
            (401, "unauthenticated"),
            "logged out on the server"
        );
        // The same email cannot sign up twice, in any case.
        let (status, body) = app
            .call(
                Method::POST,
                "/api/accounts",
                None,
                Some(json!({ "email": "IDA@example.dk", "password": PASSWORD, "display_name": "Ida 2" })),
            )
            .await;
        assert_eq!((status, error_of(&body).0.as_str()), (409, "conflict"), "{body}");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_cookie_is_http_only_secure_strict_and_writes_need_the_csrf_token() {
    let app = spawn_app_with("sqlite", None, generous()).await;
    let ida = app.participant("Ida").await;
    let _ = ida;
    let response = app
        .http
        .post(app.url("/api/sessions"))
        .json(&json!({ "email": "ida@example.dk", "password": PASSWORD }))
        .send()
        .await
        .expect("log in");
    assert_eq!(response.status(), 201);
    let cookie = response.headers()[SET_COOKIE].to_str().expect("ascii").to_owned();
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    let body: serde_json::Value = response.json().await.expect("json");
    assert!(body.get("token").is_none(), "a cookie log-in never shows the token: {body}");
    let csrf = body["csrf_token"].as_str().expect("csrf token").to_owned();
    let pair = cookie.split(';').next().expect("name=value").to_owned();

    let me = app.http.get(app.url("/api/me")).header(COOKIE, &pair).send().await.expect("me");
    assert_eq!(me.status(), 200, "reads need only the cookie");
    let course = json!({"title": "x", "lang": "da", "time_zone": "UTC", "start_date": "2026-01-05"});
    let without = app
        .http
        .post(app.url("/api/courses"))
        .header(COOKIE, &pair)
        .json(&course)
        .send()
        .await
        .expect("post");
    assert_eq!(without.status(), 403, "a cookie write without X-CSRF-Token is refused");
    let wrong = app
        .http
        .post(app.url("/api/me/erase"))
        .header(COOKIE, &pair)
        .header("X-CSRF-Token", "x".repeat(43))
        .json(&json!({ "password": PASSWORD, "confirm": "erase my account" }))
        .send()
        .await
        .expect("post");
    assert_eq!(wrong.status(), 403, "a wrong CSRF token is refused");
    let (status, still) = app
        .call(
            Method::POST,
            "/api/sessions",
            None,
            Some(json!({"email": "ida@example.dk", "password": PASSWORD, "token": true})),
        )
        .await;
    assert_eq!(status, 201, "the account is still there: {still}");
    let with = app
        .http
        .delete(app.url("/api/sessions/current"))
        .header(COOKIE, &pair)
        .header("X-CSRF-Token", &csrf)
        .send()
        .await
        .expect("log out");
    assert_eq!(with.status(), 204);
    assert!(
        with.headers()[SET_COOKIE].to_str().expect("ascii").contains("Max-Age=0"),
        "the cookie is cleared"
    );
    let after = app.http.get(app.url("/api/me")).header(COOKIE, &pair).send().await.expect("me");
    assert_eq!(after.status(), 401);
    app.stop().await;
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer_and_attempts_are_limited() {
    let app = spawn_app_with("sqlite", None, patient_backoff()).await;
    let (status, _) = app
        .call(
            Method::POST,
            "/api/accounts",
            None,
            Some(json!({ "email": "ida@example.dk", "password": PASSWORD, "display_name": "Ida" })),
        )
        .await;
    assert_eq!(status, 201);
    let attempt = |email: &'static str, password: &'static str| {
        let app = &app;
        async move {
            let started = std::time::Instant::now();
            let answer = app
                .call(
                    Method::POST,
                    "/api/sessions",
                    None,
                    Some(json!({ "email": email, "password": password })),
                )
                .await;
            (answer, started.elapsed())
        }
    };
    let ((s1, wrong), t_wrong) = attempt("ida@example.dk", "not the password").await;
    let ((s2, unknown), t_unknown) = attempt("nobody@example.dk", "not the password").await;
    assert_eq!((s1, s2), (401, 401));
    assert_eq!(wrong, unknown, "the same body whether the account exists or not");
    // Both ran one Argon2id verification; neither is an order of magnitude faster.
    let (fast, slow) = if t_wrong < t_unknown { (t_wrong, t_unknown) } else { (t_unknown, t_wrong) };
    assert!(slow < fast * 5, "wrong password {t_wrong:?} vs unknown email {t_unknown:?}");
    // Five wrong passwords from one address are free; then this address waits
    // before its next try, even with the right password.
    for _ in 0..4 {
        let ((status, _), _) = attempt("ida@example.dk", "still wrong").await;
        assert_eq!(status, 401);
    }
    let ((status, body), _) = attempt("ida@example.dk", PASSWORD).await;
    assert_eq!((status, error_of(&body).0.as_str()), (429, "too_many_requests"), "{body}");
    // An unknown email is slowed the same way.
    for _ in 0..4 {
        attempt("nobody@example.dk", "x").await;
    }
    let ((status, _), _) = attempt("nobody@example.dk", "x").await;
    assert_eq!(status, 429);
    app.stop().await;
}

#[tokio::test]
async fn new_passwords_and_fields_are_checked() {
    let app = spawn_app().await;
    let cases = [
        (json!({"email": "a@b.dk", "password": "short", "display_name": "A"}), "password"),
        (json!({"email": "a@b.dk", "password": "password123", "display_name": "A"}), "password"),
        (json!({"email": "a@b.dk", "password": "x".repeat(129), "display_name": "A"}), "password"),
        (json!({"email": "not-an-email", "password": PASSWORD, "display_name": "A"}), "email"),
        (json!({"email": "a@b.dk", "password": PASSWORD, "display_name": ""}), "display_name"),
        (json!({"email": "a@b.dk", "password": PASSWORD, "display_name": "A", "role": "instructor"}), "role"),
        (
            json!({"email": "a@b.dk", "password": PASSWORD, "display_name": "A", "instructor_invite": "guess"}),
            "instructor_invite",
        ),
    ];
    for (form, field) in cases {
        let (status, body) = app.call(Method::POST, "/api/accounts", None, Some(form.clone())).await;
        assert_eq!(status, 422, "{form}: {body}");
        assert_eq!(error_of(&body).1, field, "{form}: {body}");
    }
    app.stop().await;
}

#[tokio::test]
async fn instructors_come_from_the_admin_or_an_instructor_invite() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let ida = app.participant("Ida").await;
        let (status, body) = app.post_json("/api/instructor-invites", &ida.token, json!({})).await;
        assert_eq!(
            (status, error_of(&body).0.as_str()),
            (403, "forbidden"),
            "participants cannot invite instructors"
        );
        let (status, _) = app
            .post_json(
                "/api/courses",
                &ida.token,
                json!({"title": "x", "lang": "da", "time_zone": "UTC", "start_date": "2026-01-05"}),
            )
            .await;
        assert_eq!(status, 403, "participants cannot create courses");

        let birgit = app.instructor("Birgit").await;
        let (status, invite) =
            app.post_json("/api/instructor-invites", &birgit.token, json!({"valid_days": 3})).await;
        assert_eq!(status, 201, "{invite}");
        let code = invite["code"].as_str().expect("code");
        let form = json!({"email": "karen@example.dk", "password": PASSWORD, "display_name": "Karen", "instructor_invite": code});
        let (status, body) = app.call(Method::POST, "/api/accounts", None, Some(form.clone())).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["user"]["role"], "instructor");
        // An invite works once.
        let again = json!({"email": "lone@example.dk", "password": PASSWORD, "display_name": "Lone", "instructor_invite": code});
        let (status, body) = app.call(Method::POST, "/api/accounts", None, Some(again)).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "instructor_invite"), "{body}");

        // The admin command does not promote an account whose email nobody
        // proved (anyone can sign up with an instructor's address first)...
        use stille_server::accounts::{Made, Unverified, create_instructor};
        let no_password = || panic!("no password is asked for when promoting");
        let refused = create_instructor(&app.store, "ida@example.dk", "Ida", Unverified::Refuse, no_password)
            .await
            .expect_err("not verified");
        assert!(refused.to_string().contains("--promote-unverified"), "{refused}");
        let (_, me) = app.get_json("/api/me", &ida.token).await;
        assert_eq!(me["user"]["role"], "participant", "nothing changed");
        // ...unless told the person was checked.
        let made = create_instructor(&app.store, "ida@example.dk", "Ida", Unverified::Promote, no_password)
            .await
            .expect("promoted");
        assert_eq!(made, Made::Promoted);
        let again =
            create_instructor(&app.store, "ida@example.dk", "Ida", Unverified::Refuse, no_password).await;
        assert_eq!(again.expect("already"), Made::Already);
        let (_, me) = app.get_json("/api/me", &ida.token).await;
        assert_eq!(me["user"]["role"], "instructor");
        app.stop().await;
    }
}

#[tokio::test]
async fn an_idle_session_expires_after_two_weeks() {
    for backend in backends() {
        let app = spawn_app_on(backend, None).await;
        let ida = app.participant("Ida").await;
        let last_seen = |days: i64| {
            let app = &app;
            async move {
                let at = stille_server::now_ms() - days * 86_400_000;
                stille_server::on_store!(&app.store, pool => {
                    sqlx::query("UPDATE sessions SET last_seen_ms = $1").bind(at).execute(pool).await.expect("update");
                });
            }
        };
        // Thirteen days without the app (a missed course week and more): still signed in.
        last_seen(13).await;
        assert_eq!(app.get_json("/api/me", &ida.token).await.0, 200);
        last_seen(15).await;
        let (status, body) = app.get_json("/api/me", &ida.token).await;
        assert_eq!(status, 401, "{body}");
        assert!(body["error"]["message"].as_str().unwrap_or_default().contains("expired"), "{body}");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_current_session_answers_a_visitor_without_one_and_names_who_is_logged_in() {
    let app = spawn_app_with("sqlite", None, generous()).await;
    // A first visit: no session, and no error either.
    let anonymous = app.get("/api/sessions/current").await;
    assert_eq!(anonymous.status(), 200);
    let body: serde_json::Value = anonymous.json().await.expect("json");
    assert_eq!(body, json!({"user": null, "csrf_token": null}));
    // An ended or made-up session is the same as none.
    let (status, body) = app.get_json("/api/sessions/current", &"x".repeat(43)).await;
    assert_eq!((status, &body["user"]), (200, &serde_json::Value::Null), "{body}");
    let ida = app.participant("Ida").await;
    let (status, body) = app.get_json("/api/sessions/current", &ida.token).await;
    assert_eq!((status, body["user"]["display_name"].as_str()), (200, Some("Ida")), "{body}");
    assert_eq!(body["csrf_token"], serde_json::Value::Null, "a bearer session needs no CSRF token");
    // Typed: the app reads it into the shared contract.
    let typed: stille_practice::api::CurrentSession = serde_json::from_value(body).expect("the contract");
    assert_eq!(typed.user.map(|u| u.role), Some(stille_practice::api::Role::Participant));
    app.stop().await;
}

#[tokio::test]
async fn the_cookie_is_secure_except_for_a_page_on_plain_http_on_this_computer() {
    let app = spawn_app_with("sqlite", None, generous()).await;
    app.participant("Ida").await;
    let cookie_from = |origin: Option<&'static str>| {
        let request = app
            .http
            .post(app.url("/api/sessions"))
            .json(&json!({ "email": "ida@example.dk", "password": PASSWORD }));
        let request = match origin {
            Some(origin) => request.header("Origin", origin),
            None => request,
        };
        async move {
            let response = request.send().await.expect("log in");
            assert_eq!(response.status(), 201);
            response.headers()[SET_COOKIE].to_str().expect("ascii").to_owned()
        }
    };
    // WebKit keeps no Secure cookie from http://127.0.0.1 (Chromium and Firefox do).
    for origin in ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"] {
        let cookie = cookie_from(Some(origin)).await;
        assert!(!cookie.contains("Secure") && cookie.contains("HttpOnly"), "{origin}: {cookie}");
    }
    for origin in [Some("https://stille.example"), Some("http://192.168.1.20:8080"), None] {
        let cookie = cookie_from(origin).await;
        assert!(cookie.contains("; Secure;"), "{origin:?}: {cookie}");
    }
    // Logging out clears the cookie with the attributes it was set with.
    let ida = app.participant_cookie("ida@example.dk", "http://127.0.0.1:8080").await;
    let response = app
        .http
        .delete(app.url("/api/sessions/current"))
        .header(COOKIE, &ida.0)
        .header("X-CSRF-Token", &ida.1)
        .header("Origin", "http://127.0.0.1:8080")
        .send()
        .await
        .expect("log out");
    assert_eq!(response.status(), 204);
    let cleared = response.headers()[SET_COOKIE].to_str().expect("ascii").to_owned();
    assert!(cleared.contains("Max-Age=0") && !cleared.contains("Secure"), "{cleared}");
    app.stop().await;
}

/// Default limits, but a first wait long enough that no test machine is slow
/// enough to outlast it.
pub fn patient_backoff() -> Rates {
    let mut rates = Rates::default();
    rates.password_failures.first_delay = std::time::Duration::from_secs(600);
    rates
}

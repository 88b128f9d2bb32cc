//! Passkeys over the API, with a software authenticator
//! (`stille_server::webauthn::soft`) standing in for a phone: an instructor
//! adds one (the password first) and teaches in that session; signs in with
//! it alone and teaches; each challenge answers once; another site's or
//! another key's answer is refused; removing it, the admin's reset and
//! erasing the account take it away.

use reqwest::Method;
use serde_json::{Value, json};
use stille_server::webauthn::base64url;
use stille_server::webauthn::soft::Authenticator;

use crate::helpers::{PASSWORD, TestApp, backends, error_of, generous, spawn_app_configured};

/// A request as the app's page sends it: with its origin.
async fn call(app: &TestApp, method: Method, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    call_from(app, &origin(app), method, path, token, body).await
}

async fn call_from(
    app: &TestApp,
    origin: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut request =
        reqwest::Client::new().request(method, app.url(path)).header("origin", origin).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request reaches the server");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// `http://127.0.0.1:PORT`, the page's origin.
fn origin(app: &TestApp) -> String {
    app.url("").trim_end_matches('/').to_owned()
}

fn device(app: &TestApp, seed: u8) -> Authenticator {
    Authenticator::new(seed, "127.0.0.1", &origin(app))
}

fn bytes(value: &Value) -> Vec<u8> {
    stille_server::webauthn::base64url_decode(value.as_str().expect("base64url")).expect("decodes")
}

/// Adds `device`'s passkey to the account of `token`; the answer.
async fn add(app: &TestApp, token: &str, device: &Authenticator, name: &str) -> (u16, Value) {
    let (status, options) =
        call(app, Method::POST, "/api/me/passkeys/challenge", Some(token), json!({"password": PASSWORD}))
            .await;
    assert_eq!(status, 201, "{options}");
    let (client, attestation) = device.create(&bytes(&options["challenge"]));
    let form = json!({"challenge_id": options["challenge_id"], "name": name,
        "client_data_json": base64url(&client), "attestation_object": base64url(&attestation)});
    call(app, Method::POST, "/api/me/passkeys", Some(token), form).await
}

/// A sign-in answer from `device` to a fresh challenge.
async fn signed(app: &TestApp, device: &Authenticator) -> Value {
    let (status, options) = call(app, Method::POST, "/api/sessions/passkey/challenge", None, json!({})).await;
    assert_eq!(status, 201, "{options}");
    assert_eq!(options["rp_id"], "127.0.0.1");
    let (client, data, signature) = device.get(&bytes(&options["challenge"]));
    json!({"challenge_id": options["challenge_id"], "credential_id": base64url(&device.id),
        "client_data_json": base64url(&client), "authenticator_data": base64url(&data),
        "signature": base64url(&signature), "token": true})
}

async fn sign_in(app: &TestApp, answer: &Value) -> (u16, Value) {
    call(app, Method::POST, "/api/sessions/passkey", None, answer.clone()).await
}

fn course() -> Value {
    json!({"title": "MSC forår", "lang": "da", "time_zone": "Europe/Copenhagen", "start_date": "2027-02-01",
        "template": "msc"})
}

#[tokio::test]
async fn an_instructor_signs_in_with_a_passkey_alone_and_teaches() {
    for backend in backends() {
        let app = spawn_app_configured(backend, |config| config.rates = generous()).await;
        app.make_instructor("Birgit").await;
        let birgit = app.log_in("birgit@example.dk").await;
        let (status, body) = app.post_json("/api/courses", &birgit.token, course()).await;
        assert_eq!((status, error_of(&body).0.as_str()), (403, "two_step_required"), "{body}");

        // Adding one needs the password, and a request from the page.
        let (status, body) = call(
            &app,
            Method::POST,
            "/api/me/passkeys/challenge",
            Some(&birgit.token),
            json!({"password": "not hers"}),
        )
        .await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "password"), "{body}");
        let (status, body) =
            app.post_json("/api/me/passkeys/challenge", &birgit.token, json!({"password": PASSWORD})).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "origin"), "no Origin: {body}");
        let (status, options) = call(
            &app,
            Method::POST,
            "/api/me/passkeys/challenge",
            Some(&birgit.token),
            json!({"password": PASSWORD}),
        )
        .await;
        assert_eq!(status, 201, "{options}");
        assert_eq!(options["rp_id"], "127.0.0.1");
        assert_eq!(options["user_name"], "birgit@example.dk");
        assert_eq!(options["algorithms"], json!([-7]));
        assert_eq!(options["exclude"], json!([]));
        assert_eq!(bytes(&options["challenge"]).len(), 32);
        assert!(
            !options["user_id"].as_str().unwrap_or_default().contains(&birgit.id),
            "a handle, not the id"
        );

        let phone = device(&app, 7);
        let (status, kept) = add(&app, &birgit.token, &phone, "Birgits iPhone").await;
        assert_eq!(status, 201, "{kept}");
        assert_eq!((kept["name"].as_str(), kept["synced"].as_bool()), (Some("Birgits iPhone"), Some(true)));
        // The session that added it counts as signed in with two steps.
        assert_eq!(app.post_json("/api/courses", &birgit.token, course()).await.0, 201);
        let (_, list) = app.get_json("/api/me/passkeys", &birgit.token).await;
        assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
        // The same device again: named among those it already has.
        let (_, options) = call(
            &app,
            Method::POST,
            "/api/me/passkeys/challenge",
            Some(&birgit.token),
            json!({"password": PASSWORD}),
        )
        .await;
        assert_eq!(options["exclude"], json!([base64url(&phone.id)]));
        let (client, attestation) = phone.create(&bytes(&options["challenge"]));
        let form = json!({"challenge_id": options["challenge_id"], "name": "igen",
            "client_data_json": base64url(&client), "attestation_object": base64url(&attestation)});
        let (status, body) =
            call(&app, Method::POST, "/api/me/passkeys", Some(&birgit.token), form.clone()).await;
        assert_eq!(status, 409, "one passkey is kept once: {body}");
        let (status, body) = call(&app, Method::POST, "/api/me/passkeys", Some(&birgit.token), form).await;
        assert_eq!(
            (status, error_of(&body).1.as_str()),
            (422, "challenge_id"),
            "a challenge answers once: {body}"
        );

        // Signing in with the passkey alone: a session that teaches.
        let answer = signed(&app, &phone).await;
        let (status, body) = sign_in(&app, &answer).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["user"]["email"], "birgit@example.dk");
        let token = body["token"].as_str().expect("token").to_owned();
        assert_eq!(app.get_json("/api/courses", &token).await.0, 200, "a passkey is both steps");
        let (_, me) = app.get_json("/api/me", &token).await;
        assert_eq!(me["two_step"]["this_session"], true, "{me}");
        let (status, body) = sign_in(&app, &answer).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "challenge_id"), "no replay: {body}");
        let (_, list) = app.get_json("/api/me/passkeys", &birgit.token).await;
        assert!(list[0]["last_used_ms"].as_i64().is_some(), "{list}");
        app.stop().await;
    }
}

#[tokio::test]
async fn an_answer_from_another_site_key_or_account_is_refused() {
    for backend in backends() {
        let app = spawn_app_configured(backend, |config| config.rates = generous()).await;
        let ida = app.participant("Ida").await;
        let jens = app.participant("Jens").await;
        let phone = device(&app, 11);
        assert_eq!(add(&app, &ida.token, &phone, "Telefon").await.0, 201);

        // A phishing page elsewhere: its origin, and a passkey for its host.
        let (status, body) = call_from(
            &app,
            "https://stille.evil.example",
            Method::POST,
            "/api/sessions/passkey/challenge",
            None,
            json!({}),
        )
        .await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "origin"), "{body}");
        let mut elsewhere = device(&app, 11);
        elsewhere.rp_id = "evil.example".into();
        let (status, body) = sign_in(&app, &signed(&app, &elsewhere).await).await;
        assert_eq!(status, 401, "another site's passkey: {body}");
        // Another key claiming this passkey's id.
        let mut forged = device(&app, 12);
        forged.id = phone.id.clone();
        let (status, _) = sign_in(&app, &signed(&app, &forged).await).await;
        assert_eq!(status, 401, "a signature by another key");
        // An id no account has.
        let (status, body) = sign_in(&app, &signed(&app, &device(&app, 13)).await).await;
        assert_eq!(status, 401, "{body}");
        // The device says it is another account's passkey.
        let mut answer = signed(&app, &phone).await;
        answer["user_handle"] = json!(base64url(b"someone else"));
        assert_eq!(sign_in(&app, &answer).await.0, 401);
        // Not verified at the device (no fingerprint, face or PIN).
        let mut unverified = device(&app, 11);
        unverified.flags = 0x01;
        assert_eq!(sign_in(&app, &signed(&app, &unverified).await).await.0, 401);
        // Bad fields say which.
        let mut answer = signed(&app, &phone).await;
        answer["signature"] = json!("not base64url!");
        let (status, body) = sign_in(&app, &answer).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "signature"), "{body}");
        // And the real one still works.
        assert_eq!(sign_in(&app, &signed(&app, &phone).await).await.0, 201);

        // Jens cannot see or remove Ida's passkey.
        let (_, list) = app.get_json("/api/me/passkeys", &ida.token).await;
        let id = list[0]["id"].as_str().expect("id").to_owned();
        let (_, theirs) = app.get_json("/api/me/passkeys", &jens.token).await;
        assert_eq!(theirs, json!([]));
        let path = format!("/api/me/passkeys/{id}");
        assert_eq!(app.call(Method::DELETE, &path, Some(&jens.token), None).await.0, 404);
        // Ida removes it: it signs in no more.
        assert_eq!(app.call(Method::DELETE, &path, Some(&ida.token), None).await.0, 204);
        assert_eq!(sign_in(&app, &signed(&app, &phone).await).await.0, 401);
        app.stop().await;
    }
}

#[tokio::test]
async fn the_admins_reset_and_erasing_the_account_take_passkeys_away() {
    for backend in backends() {
        let app = spawn_app_configured(backend, |config| config.rates = generous()).await;
        let ida = app.participant("Ida").await;
        let phone = device(&app, 21);
        assert_eq!(add(&app, &ida.token, &phone, "Telefon").await.0, 201);
        stille_server::accounts::two_step::admin_reset(&app.store, "ida@example.dk").await.expect("reset");
        assert_eq!(sign_in(&app, &signed(&app, &phone).await).await.0, 401, "a lost phone's passkey is gone");

        let ida = app.log_in("ida@example.dk").await;
        assert_eq!(add(&app, &ida.token, &phone, "Ny telefon").await.0, 201);
        // Her export names the passkey and its dates, never a key.
        let (status, export) = app.get_json("/api/me/export", &ida.token).await;
        assert_eq!(status, 200, "{export}");
        let keys = export["passkeys"].as_array().expect("passkeys in the export");
        assert_eq!(keys.len(), 1, "{export}");
        assert_eq!(keys[0]["name"], "Ny telefon");
        assert!(keys[0]["created_at_ms"].as_i64().is_some_and(|ms| ms > 0), "{export}");
        let mut fields: Vec<&str> =
            keys[0].as_object().expect("an object").keys().map(String::as_str).collect();
        fields.sort_unstable();
        assert_eq!(
            fields,
            ["created_at_ms", "id", "last_used_ms", "name", "synced"],
            "no key material: {export}"
        );
        let (status, body) = app
            .post_json(
                "/api/me/erase",
                &ida.token,
                json!({"password": PASSWORD, "confirm": "erase my account"}),
            )
            .await;
        assert_eq!(status, 204, "{body}");
        assert_eq!(sign_in(&app, &signed(&app, &phone).await).await.0, 401);
        let left: i64 = match &app.store {
            stille_server::Store::Sqlite(pool) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM passkeys").fetch_one(pool).await.expect("count")
            }
            stille_server::Store::Postgres(pool) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM passkeys").fetch_one(pool).await.expect("count")
            }
        };
        assert_eq!(left, 0);
        app.stop().await;
    }
}

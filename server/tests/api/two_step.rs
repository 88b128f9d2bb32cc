//! Two-step sign-in for instructors: a session signed in with the password
//! alone cannot teach until a code from an authenticator app was given; set
//! up with the password; each code works once; wrong codes are slowed like
//! wrong passwords; the admin turns it off for a lost phone.

use reqwest::Method;
use serde_json::{Value, json};
use stille_server::accounts::two_step::code_now;

use crate::helpers::{
    PASSWORD, Person, TestApp, backends, error_of, generous, spawn_app_configured, spawn_app_in,
};
use stille_server::accounts::two_step::parse_base32;
use stille_server::secrets::Column;

async fn log_in(app: &TestApp, email: &str, code: Option<&str>) -> (u16, Value) {
    app.call(
        Method::POST,
        "/api/sessions",
        None,
        Some(json!({"email": email, "password": PASSWORD, "token": true, "one_time_code": code})),
    )
    .await
}

fn person(body: &Value) -> Person {
    Person {
        id: body["user"]["id"].as_str().expect("id").to_owned(),
        token: body["token"].as_str().expect("token").to_owned(),
    }
}

/// A code for `secret` one step later than now (a code is used once per step).
fn next_code(secret: &str) -> String {
    code_now(secret, stille_server::now_ms() + 30_000).expect("code")
}

#[tokio::test]
async fn an_instructor_teaches_only_after_the_second_step() {
    for backend in backends() {
        let app = spawn_app_configured(backend, |config| config.rates = generous()).await;
        app.make_instructor("Birgit").await;
        // The password alone: signed in, but no teaching.
        let (status, body) = log_in(&app, "birgit@example.dk", None).await;
        assert_eq!(status, 201, "{body}");
        let birgit = person(&body);
        let (_, me) = app.get_json("/api/me", &birgit.token).await;
        assert_eq!(me["two_step"], json!({"on": false, "this_session": false, "required": true}), "{me}");
        let course = json!({"title": "MSC forår", "lang": "da", "time_zone": "Europe/Copenhagen",
            "start_date": "2027-02-01", "template": "msc"});
        let (status, body) = app.post_json("/api/courses", &birgit.token, course.clone()).await;
        assert_eq!((status, error_of(&body).0.as_str()), (403, "two_step_required"), "{body}");
        let (status, _) = app.post_json("/api/instructor-invites", &birgit.token, json!({})).await;
        assert_eq!(status, 403);

        // Setting up needs the password, then a code from the app.
        let (status, body) =
            app.post_json("/api/me/two-step", &birgit.token, json!({"password": "wrong one"})).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "password"), "{body}");
        let (status, body) = app
            .post_json("/api/me/two-step/confirm", &birgit.token, json!({"one_time_code": "123456"}))
            .await;
        assert_eq!(status, 409, "nothing to confirm yet: {body}");
        let (status, setup) =
            app.post_json("/api/me/two-step", &birgit.token, json!({"password": PASSWORD})).await;
        assert_eq!(status, 201, "{setup}");
        let secret = setup["secret"].as_str().expect("secret").to_owned();
        assert_eq!(secret.len(), 32, "160 bits in base32");
        let uri = setup["uri"].as_str().expect("uri");
        assert!(uri.starts_with("otpauth://totp/Stille:birgit%40example.dk?secret="), "{uri}");
        assert!(uri.contains("&issuer=Stille") && uri.contains(&secret), "{uri}");
        let (status, body) = app
            .post_json("/api/me/two-step/confirm", &birgit.token, json!({"one_time_code": "000000"}))
            .await;
        let wrong =
            if code_now(&secret, stille_server::now_ms()).as_deref() == Some("000000") { 204 } else { 422 };
        assert_eq!(status, wrong, "{body}");
        let code = code_now(&secret, stille_server::now_ms()).expect("code");
        let (status, body) =
            app.post_json("/api/me/two-step/confirm", &birgit.token, json!({"one_time_code": code})).await;
        assert_eq!(status, 204, "{body}");
        // This session set it up, so it teaches now.
        let (_, me) = app.get_json("/api/me", &birgit.token).await;
        assert_eq!(me["two_step"], json!({"on": true, "this_session": true, "required": true}), "{me}");
        assert_eq!(app.post_json("/api/courses", &birgit.token, course).await.0, 201);

        // Signing in now needs a code: missing, wrong, then right once.
        let (status, body) = log_in(&app, "birgit@example.dk", None).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "one_time_code"), "{body}");
        let (status, body) = log_in(&app, "birgit@example.dk", Some("12345")).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "one_time_code"), "{body}");
        let code = next_code(&secret);
        let (status, body) = log_in(&app, "birgit@example.dk", Some(&code)).await;
        assert_eq!(status, 201, "{body}");
        let phone = person(&body);
        assert_eq!(app.get_json("/api/courses", &phone.token).await.0, 200, "a two-step session teaches");
        let (status, body) = log_in(&app, "birgit@example.dk", Some(&code)).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "one_time_code"), "a code works once: {body}");
        let (status, body) =
            app.post_json("/api/me/two-step", &phone.token, json!({"password": PASSWORD})).await;
        assert_eq!(status, 409, "on already: {body}");

        // A lost phone: the admin turns it off and signs the account out.
        stille_server::accounts::two_step::admin_reset(&app.store, "birgit@example.dk").await.expect("reset");
        assert_eq!(app.get_json("/api/me", &phone.token).await.0, 401);
        let (status, body) = log_in(&app, "birgit@example.dk", None).await;
        assert_eq!(status, 201, "{body}");
        let again = person(&body);
        let (status, body) = app.get_json("/api/courses", &again.token).await;
        assert_eq!(
            (status, error_of(&body).0.as_str()),
            (403, "two_step_required"),
            "set it up again: {body}"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn wrong_codes_are_slowed_like_wrong_passwords() {
    let app = spawn_app_configured("sqlite", |_| {}).await;
    app.instructor("Birgit").await;
    for _ in 0..5 {
        let (status, _) = log_in(&app, "birgit@example.dk", Some("000001")).await;
        assert_eq!(status, 422);
    }
    let (status, body) = log_in(&app, "birgit@example.dk", Some("000001")).await;
    assert_eq!((status, error_of(&body).0.as_str()), (429, "too_many_requests"), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn participants_may_turn_it_on_and_optional_servers_do_not_require_it() {
    let app = spawn_app_configured("sqlite", |config| {
        config.rates = generous();
        config.instructor_two_step = stille_server::accounts::two_step::Policy::Optional;
    })
    .await;
    let ida = app.participant("Ida").await;
    let (_, me) = app.get_json("/api/me", &ida.token).await;
    assert_eq!(me["two_step"]["required"], false);
    let secret = app.turn_on_two_step(&ida).await;
    let (status, _) = log_in(&app, "ida@example.dk", None).await;
    assert_eq!(status, 422, "a participant who turned it on signs in with a code too");
    assert_eq!(log_in(&app, "ida@example.dk", Some(&next_code(&secret))).await.0, 201);

    // On an optional server, an instructor's password session teaches.
    app.make_instructor("Jens").await;
    let (_, body) = log_in(&app, "jens@example.dk", None).await;
    let jens = person(&body);
    assert_eq!(app.post_json("/api/instructor-invites", &jens.token, json!({})).await.0, 201);
    app.stop().await;
}

/// What the database holds for `user`:
/// (totp_pending, totp_pending_sealed, totp_secret, totp_sealed).
async fn stored(app: &TestApp, user: &str) -> [Option<String>; 4] {
    let row: (Option<String>, Option<String>, Option<String>, Option<String>) = stille_server::on_store!(&app.store, pool => {
        sqlx::query_as(
            "SELECT totp_pending, totp_pending_sealed, totp_secret, totp_sealed FROM users WHERE id = $1",
        )
        .bind(user)
        .fetch_one(pool)
        .await
        .expect("the account")
    });
    [row.0, row.1, row.2, row.3]
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a version from before sealing reads in the old column: a 20-byte
/// secret in hex that is not the person's (so it asks for a code nobody has).
fn fails_closed_for_older_versions(old: &str, secret: &[u8]) {
    let bytes: Vec<u8> =
        (0..old.len()).step_by(2).map(|i| u8::from_str_radix(&old[i..i + 2], 16).expect("hex")).collect();
    assert_eq!(bytes.len(), 20, "{old}");
    assert_ne!(bytes, secret, "not the secret: {old}");
}

/// Two-step secrets are sealed in the database with the server's key, kept
/// apart from it, so a copy of the database alone does not make anyone's
/// codes, and a version from before sealing (a rollback) asks for a code
/// nobody has instead of letting people in without one. A secret such a
/// version stored in the clear still signs in and is sealed at the next
/// start. A server given no key, or another, refuses to start and says what
/// to do; the admin can forget a lost key (not the right one), which turns
/// two-step sign-in off for those who had it.
#[tokio::test]
async fn two_step_secrets_are_sealed_with_a_key_kept_apart() {
    let app = spawn_app_configured("sqlite", |config| config.rates = generous()).await;
    let ida = app.participant("Ida").await;
    let (status, setup) = app.post_json("/api/me/two-step", &ida.token, json!({"password": PASSWORD})).await;
    assert_eq!(status, 201, "{setup}");
    let encoded = setup["secret"].as_str().expect("secret").to_owned();
    let secret = parse_base32(&encoded).expect("base32");
    // Being set up: sealed for the pending column only.
    let [pending, pending_sealed, on, on_sealed] = stored(&app, &ida.id).await;
    let (pending, pending_sealed) = (pending.expect("pending"), pending_sealed.expect("sealed"));
    assert_eq!((on, on_sealed), (None, None));
    assert!(pending_sealed.starts_with("v1.") && !pending_sealed.contains(&hex(&secret)), "{pending_sealed}");
    fails_closed_for_older_versions(&pending, &secret);
    assert_eq!(app.sealer().open(&ida.id, Column::TotpPending, &pending_sealed), Some(secret.clone()));
    assert_eq!(app.sealer().open(&ida.id, Column::TotpSecret, &pending_sealed), None);
    let code = code_now(&encoded, stille_server::now_ms()).expect("code");
    let (status, body) =
        app.post_json("/api/me/two-step/confirm", &ida.token, json!({"one_time_code": code})).await;
    assert_eq!(status, 204, "{body}");
    // On: sealed anew for its column; the old column holds a decoy.
    let [pending, pending_sealed, on, on_sealed] = stored(&app, &ida.id).await;
    assert_eq!((pending, pending_sealed), (None, None));
    let (on, on_sealed) = (on.expect("on"), on_sealed.expect("sealed"));
    assert!(on_sealed.starts_with("v1.") && !on_sealed.contains(&hex(&secret)), "{on_sealed}");
    fails_closed_for_older_versions(&on, &secret);
    assert_eq!(app.sealer().open(&ida.id, Column::TotpSecret, &on_sealed), Some(secret.clone()));
    // Copied to another account's row, it does not open there, and that
    // account is not let in without a code either.
    let bo = app.participant("Bo").await;
    stille_server::on_store!(&app.store, pool => {
        sqlx::query("UPDATE users SET totp_secret = $1, totp_sealed = $2 WHERE id = $3")
            .bind(&on).bind(&on_sealed).bind(&bo.id).execute(pool).await.expect("copied");
    });
    let (status, body) = log_in(&app, "bo@example.dk", None).await;
    assert_eq!(status, 500, "no sign-in with a secret that does not open: {body}");

    // A version from before sealing wrote Ida's secret in the clear (after a
    // rollback): it signs in, and is sealed at the next start.
    stille_server::on_store!(&app.store, pool => {
        sqlx::query("UPDATE users SET totp_secret = $1 WHERE id = $2")
            .bind(hex(&secret)).bind(&ida.id).execute(pool).await.expect("in the clear");
    });
    let (status, body) = log_in(&app, "ida@example.dk", Some(&next_code(&encoded))).await;
    assert_eq!(status, 201, "{body}");
    let data = app.stop_keeping_data().await;
    let app = spawn_app_in(data, |config| config.rates = generous()).await;
    let [_, _, on, on_sealed] = stored(&app, &ida.id).await;
    let (on, on_sealed) = (on.expect("on"), on_sealed.expect("sealed"));
    fails_closed_for_older_versions(&on, &secret);
    assert_eq!(app.sealer().open(&ida.id, Column::TotpSecret, &on_sealed), Some(secret.clone()));
    let (status, body) = log_in(&app, "ida@example.dk", None).await;
    assert_eq!((status, error_of(&body).1.as_str()), (422, "one_time_code"), "still on: {body}");
    // (The step used a moment ago forgotten, so a code of this step works.)
    let code = app.code_for("ida@example.dk").await.expect("a code");
    let (status, body) = log_in(&app, "ida@example.dk", Some(&code)).await;
    assert_eq!(status, 201, "{body}");

    // No key, or another: the server does not start, and says what to do.
    let data = app.stop_keeping_data().await;
    let keys = tempfile::TempDir::new().expect("a directory");
    let other = keys.path().join("other.key");
    let mut config = stille_server::Config::for_data_dir(data.path());
    config.secrets_key_file = Some(other.clone());
    let error = stille_server::Application::build(&config).await.expect_err("no key").to_string();
    assert!(error.contains("no key file at") && error.contains("forget-secrets-key"), "{error}");
    assert!(!other.exists(), "no key made for a database that has one");
    std::fs::write(&other, format!("{}\n", "ab".repeat(32))).expect("a key");
    let error = stille_server::Application::build(&config).await.expect_err("another key").to_string();
    assert!(error.contains("sealed with another key") && error.contains("forget-secrets-key"), "{error}");
    // The admin forgets the lost key (not while given the right one): two-step
    // sign-in is off for Ida and Bo, and the server starts with the new key.
    let store = stille_server::Store::open(&config).await.expect("the database");
    let right = data.path().join(stille_server::secrets::KEY_FILE);
    let error =
        stille_server::secrets::forget_key(&store, &right).await.expect_err("the right key").to_string();
    assert!(error.contains("is this database's key"), "{error}");
    assert_eq!(stille_server::secrets::forget_key(&store, &other).await.expect("forgotten"), 2);
    let app = spawn_app_in(data, |config| {
        config.rates = generous();
        config.secrets_key_file = Some(other);
    })
    .await;
    let (status, body) = log_in(&app, "ida@example.dk", None).await;
    assert_eq!(status, 201, "the password alone now: {body}");
    assert_eq!(stored(&app, &ida.id).await, [None, None, None, None]);
    app.stop().await;
}

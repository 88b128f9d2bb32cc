//! A server that sends mail (here to the tests' SMTP sink): a sign-up
//! becomes an account when the mailed link is opened, a taken address gets
//! the same answer and its owner a note, and a forgotten password is reset
//! with a mailed link that works once. Nobody learns from the answers who has
//! an account.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, backends, error_of, generous, spawn_app_configured};
use smtp_sink::SmtpSink;

const PUBLIC: &str = "http://stille.test";

async fn spawn_with_mail(
    backend: &'static str,
    sink: &SmtpSink,
    rates: stille_server::limits::Rates,
) -> TestApp {
    let url = sink.url();
    spawn_app_configured(backend, move |config| {
        config.rates = rates;
        config.smtp_url = Some(url);
        config.mail_from = Some("Stille <stille@stille.test>".into());
        config.public_url = Some(PUBLIC.into());
    })
    .await
}

async fn sign_up(app: &TestApp, email: &str, password: &str, invite: Option<&str>) -> (u16, Value) {
    let mut body = json!({"email": email, "password": password, "display_name": "Ida"});
    if let Some(code) = invite {
        body["instructor_invite"] = json!(code);
    }
    app.call(Method::POST, "/api/accounts", None, Some(body)).await
}

async fn log_in(app: &TestApp, email: &str, password: &str) -> (u16, Value) {
    app.call(
        Method::POST,
        "/api/sessions",
        None,
        Some(json!({"email": email, "password": password, "token": true})),
    )
    .await
}

async fn confirm(app: &TestApp, link: &str) -> (u16, Value) {
    let token = link.split_once('#').expect("the secret after #").1;
    app.call(Method::POST, "/api/accounts/confirm", None, Some(json!({"token": token}))).await
}

#[tokio::test]
async fn a_sign_up_becomes_an_account_when_the_mailed_link_is_opened() {
    for backend in backends() {
        let sink = SmtpSink::start().await;
        let app = spawn_with_mail(backend, &sink, generous()).await;
        let (_, health) = app.call(Method::GET, "/api/health", None, None).await;
        assert_eq!(health["sends_mail"], true, "{health}");

        let (status, body) = sign_up(&app, "Ida@Example.dk", PASSWORD, None).await;
        assert_eq!(status, 202, "{backend}: {body}");
        assert_eq!(body, json!({"email": "ida@example.dk", "valid_for_s": 86_400}));
        // No account until the link is opened: log-in is refused like any
        // unknown address.
        assert_eq!(log_in(&app, "ida@example.dk", PASSWORD).await.0, 401);

        let mail = sink.nth_to("ida@example.dk", 1).await;
        let link = mail.link(&format!("{PUBLIC}/welcome#")).expect("a link to finish");
        assert_eq!(link.len(), format!("{PUBLIC}/welcome#").len() + 43, "{link}");
        assert_eq!(mail.subject(), "Confirm your email for Stille");
        assert!(mail.text().contains("24 hours"), "{}", mail.text());
        assert!(!mail.text().contains("Ida"), "nothing the visitor typed is in the mail");

        let (status, created) = confirm(&app, &link).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["user"]["email"], "ida@example.dk");
        assert_eq!(created["user"]["role"], "participant");
        assert_eq!(log_in(&app, "ida@example.dk", PASSWORD).await.0, 201);
        // Once.
        let (status, again) = confirm(&app, &link).await;
        assert_eq!((status, error_of(&again).0.as_str()), (404, "not_found"), "{again}");
        for bad in ["", "short", &"x".repeat(43), &"y".repeat(5000)] {
            let (status, body) =
                app.call(Method::POST, "/api/accounts/confirm", None, Some(json!({"token": bad}))).await;
            assert_eq!(status, 404, "{bad:?}: {body}");
        }

        // The email is proved, so the admin promotes without being told to.
        use stille_server::accounts::{Made, Unverified, create_instructor};
        let made = create_instructor(&app.store, "ida@example.dk", "Ida", Unverified::Refuse, || {
            panic!("no password for a promotion")
        })
        .await
        .expect("a proved email is promoted");
        assert_eq!(made, Made::Promoted);
        app.stop().await;
    }
}

#[tokio::test]
async fn a_taken_address_gets_the_same_answer_and_its_owner_a_note() {
    for backend in backends() {
        let sink = SmtpSink::start().await;
        let app = spawn_with_mail(backend, &sink, generous()).await;
        sign_up(&app, "ida@example.dk", PASSWORD, None).await;
        let welcome = sink.nth_to("ida@example.dk", 1).await;
        confirm(&app, &welcome.link(&format!("{PUBLIC}/welcome#")).expect("link")).await;

        // Someone signs up with Ida's address, and someone with a new one:
        // the answers differ only in the address.
        let (taken_status, taken) = sign_up(&app, "ida@example.dk", "another quiet harbour", None).await;
        let (new_status, new) = sign_up(&app, "ny@example.dk", "another quiet harbour", None).await;
        assert_eq!((taken_status, new_status), (202, 202));
        assert_eq!(taken["valid_for_s"], new["valid_for_s"]);
        assert_eq!(taken.as_object().map(|o| o.len()), new.as_object().map(|o| o.len()));

        let note = sink.nth_to("ida@example.dk", 2).await;
        assert!(note.text().contains("You already have an account"), "{}", note.text());
        assert!(note.text().contains(&format!("{PUBLIC}/account")), "{}", note.text());
        assert!(note.link(&format!("{PUBLIC}/welcome#")).is_none(), "no link that makes an account");
        // Ida's password is hers still; the stranger's does not work.
        assert_eq!(log_in(&app, "ida@example.dk", PASSWORD).await.0, 201);
        assert_eq!(log_in(&app, "ida@example.dk", "another quiet harbour").await.0, 401);
        app.stop().await;
    }
}

#[tokio::test]
async fn two_sign_ups_for_one_address_make_one_account() {
    for backend in backends() {
        let sink = SmtpSink::start().await;
        let app = spawn_with_mail(backend, &sink, generous()).await;
        sign_up(&app, "ida@example.dk", PASSWORD, None).await;
        sign_up(&app, "ida@example.dk", "a second quiet harbour", None).await;
        let first = sink.nth_to("ida@example.dk", 1).await.link(&format!("{PUBLIC}/welcome#")).expect("link");
        let second =
            sink.nth_to("ida@example.dk", 2).await.link(&format!("{PUBLIC}/welcome#")).expect("link");
        assert_ne!(first, second);
        assert_eq!(confirm(&app, &second).await.0, 201);
        // The other waiting sign-up is gone with it.
        assert_eq!(confirm(&app, &first).await.0, 404);
        assert_eq!(log_in(&app, "ida@example.dk", "a second quiet harbour").await.0, 201);
        app.stop().await;
    }
}

#[tokio::test]
async fn an_instructor_invite_is_checked_at_sign_up_and_used_when_the_link_is_opened() {
    for backend in backends() {
        let sink = SmtpSink::start().await;
        let app = spawn_with_mail(backend, &sink, generous()).await;
        let birgit = app.instructor("Birgit").await;
        let (_, invite) = app.post_json("/api/instructor-invites", &birgit.token, json!({})).await;
        let code = invite["code"].as_str().expect("code");

        let (status, body) = sign_up(&app, "lone@example.dk", PASSWORD, Some("not a code")).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "instructor_invite"), "{body}");
        assert_eq!(sign_up(&app, "lone@example.dk", PASSWORD, Some(code)).await.0, 202);
        let link = sink.nth_to("lone@example.dk", 1).await.link(&format!("{PUBLIC}/welcome#")).expect("link");
        let (status, created) = confirm(&app, &link).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["user"]["role"], "instructor");
        // Used: the next sign-up with it is refused before any mail.
        let (status, body) = sign_up(&app, "mette@example.dk", PASSWORD, Some(code)).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "instructor_invite"), "{body}");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_forgotten_password_is_reset_with_a_mailed_link_that_works_once() {
    for backend in backends() {
        let sink = SmtpSink::start().await;
        let app = spawn_with_mail(backend, &sink, generous()).await;
        sign_up(&app, "jens@example.dk", PASSWORD, None).await;
        let welcome = sink.nth_to("jens@example.dk", 1).await;
        confirm(&app, &welcome.link(&format!("{PUBLIC}/welcome#")).expect("link")).await;
        let jens = app.log_in("jens@example.dk").await;

        // In the browser's language (here Danish).
        let ask = |email: &'static str| {
            app.http
                .post(app.url("/api/password-resets"))
                .header("accept-language", "da-DK,da;q=0.9,en;q=0.5")
                .json(&json!({"email": email}))
                .send()
        };
        let unknown = ask("nobody@example.dk").await.expect("answer");
        assert_eq!(unknown.status(), 202);
        let unknown: Value = unknown.json().await.expect("json");
        let known = ask("jens@example.dk").await.expect("answer");
        assert_eq!(known.status(), 202);
        let known: Value = known.json().await.expect("json");
        assert_eq!(known, json!({"email": "jens@example.dk", "valid_for_s": 3600}));
        assert_eq!(unknown, json!({"email": "nobody@example.dk", "valid_for_s": 3600}), "the same answer");

        let mail = sink.nth_to("jens@example.dk", 2).await;
        assert!(mail.text().contains("Linket virker én gang og i 60 minutter"), "{}", mail.text());
        let link = mail.link(&format!("{PUBLIC}/reset#")).expect("a reset link");
        assert!(sink.to("nobody@example.dk").is_empty(), "an address without an account gets nothing");

        let token = link.split_once('#').expect("secret").1;
        let done = json!({"token": token, "new_password": "a new harbour at dusk"});
        let (status, body) =
            app.call(Method::POST, "/api/password-resets/complete", None, Some(done.clone())).await;
        assert_eq!(status, 204, "{body}");
        assert_eq!(app.get_json("/api/me", &jens.token).await.0, 401, "every session ended");
        assert_eq!(log_in(&app, "jens@example.dk", "a new harbour at dusk").await.0, 201);
        let (status, _) = app.call(Method::POST, "/api/password-resets/complete", None, Some(done)).await;
        assert_eq!(status, 404, "once");
        let (_, logged) = log_in(&app, "jens@example.dk", "a new harbour at dusk").await;
        let (_, me) = app.get_json("/api/me", logged["token"].as_str().expect("token")).await;
        assert_eq!(me["last_reset"]["by"], "email", "{me}");
        app.stop().await;
    }
}

#[tokio::test]
async fn nobody_fills_an_inbox_and_a_server_without_mail_says_so() {
    let sink = SmtpSink::start().await;
    // Generous limits, but the default five mails an hour per address.
    let rates = stille_server::limits::Rates {
        mail_per_address: stille_server::limits::Rates::default().mail_per_address,
        ..generous()
    };
    let app = spawn_with_mail("sqlite", &sink, rates).await;
    for _ in 0..5 {
        let (status, _) = app
            .call(Method::POST, "/api/password-resets", None, Some(json!({"email": "x@example.dk"})))
            .await;
        assert_eq!(status, 202);
    }
    let (status, body) =
        app.call(Method::POST, "/api/password-resets", None, Some(json!({"email": "X@example.dk "}))).await;
    assert_eq!((status, error_of(&body).0.as_str()), (429, "too_many_requests"), "{body}");
    let (status, _) = sign_up(&app, "x@example.dk", PASSWORD, None).await;
    assert_eq!(status, 429, "sign-up mails count too");
    app.stop().await;

    let quiet = spawn_app_configured("sqlite", |_| {}).await;
    let (_, health) = quiet.call(Method::GET, "/api/health", None, None).await;
    assert_eq!(health["sends_mail"], false);
    let (status, body) =
        quiet.call(Method::POST, "/api/password-resets", None, Some(json!({"email": "x@example.dk"}))).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(error_of(&body).0, "conflict");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("instructor")), "{body}");
    quiet.stop().await;
}

#[tokio::test]
async fn mail_settings_come_together() {
    let data = tempfile::TempDir::new().expect("temp dir");
    let mut config = stille_server::Config::for_data_dir(data.path());
    config.smtp_url = Some("smtp://127.0.0.1:1".into());
    let error = stille_server::Application::build(&config).await.expect_err("incomplete mail settings");
    assert!(error.to_string().contains("--mail-from"), "{error}");
}

//! Regression tests for the findings of the security review (issue #14), one
//! or more per finding, each failing on the code before its fix.

use reqwest::Method;
use serde_json::{Value, json};

use crate::courses::{at, check_in, entry, push, reflection};
use crate::helpers::{TestApp, backends, error_of, generous, spawn_app_configured, spawn_app_with};

fn names(report: &Value, who: &str) -> Value {
    report["participants"]
        .as_array()
        .and_then(|people| people.iter().find(|p| p["display_name"] == who))
        .cloned()
        .unwrap_or(Value::Null)
}

async fn report(app: &TestApp, course: &str, token: &str) -> Value {
    let (status, report) = app.get_json(&format!("/api/courses/{course}/report"), token).await;
    assert_eq!(status, 200, "{report}");
    report
}

fn minutes(person: &Value) -> Vec<u64> {
    person["weeks"].as_array().map_or_else(Vec::new, |weeks| {
        weeks.iter().map(|w| w["minutes"].as_u64().unwrap_or(u64::MAX)).collect()
    })
}

fn texts(person: &Value) -> Vec<String> {
    person["reflections"].as_array().map_or_else(Vec::new, |notes| {
        notes.iter().map(|n| n["text"].as_str().unwrap_or_default().to_owned()).collect()
    })
}

/// Report window (high): an instructor moved the start date into the past and
/// read what a participant logged before joining. Reports now read only from
/// the consent on, to the course's end, and the date is fixed once anyone joined.
#[tokio::test]
async fn a_report_reads_only_from_consent_to_the_course_end_and_the_start_date_stays() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        // MSC from Monday 7 September 2026: eight assigned weeks, to 1 November.
        let (course, code) = app.course(&birgit, Some("msc")).await;
        let path = format!("/api/courses/{course}");
        let (status, body) = app
            .call(Method::PATCH, &path, Some(&birgit.token), Some(json!({"start_date": "2026-09-07"})))
            .await;
        assert_eq!(status, 200, "nobody has joined yet: {body}");
        let ida = app.participant("Ida").await;
        assert_eq!(app.join(&ida, &code, true, true).await.0, 201);
        // Ida joined on Tuesday 15 September at noon, in week 2.
        app.backdate_joining(&course, &ida, at(2026, 9, 15, 12)).await;
        push(
            &app,
            &ida.token,
            vec![
                entry(at(2026, 9, 8, 7), 1, 30),   // before she joined
                entry(at(2026, 9, 15, 7), 2, 20),  // the morning she joined, before it
                entry(at(2026, 9, 16, 7), 3, 10),  // after
                entry(at(2026, 11, 10, 7), 9, 15), // after the course
                check_in(at(2026, 9, 8, 7), 4, "before", 9),
                check_in(at(2026, 9, 17, 7), 5, "before", 4),
                reflection(at(2026, 9, 9, 7), 6, "Skrevet før holdet", true),
                reflection(at(2026, 9, 17, 7), 7, "Skrevet på holdet", true),
                reflection(at(2026, 11, 10, 7), 8, "Skrevet efter holdet", true),
            ],
        )
        .await;
        let read = report(&app, &course, &birgit.token).await;
        assert_eq!(read["weeks"], 8, "the course ends with its last assigned week: {read}");
        let ida_report = names(&read, "Ida");
        assert_eq!(
            minutes(&ida_report),
            [0, 10, 0, 0, 0, 0, 0, 0],
            "only what came after joining: {ida_report}"
        );
        assert_eq!(ida_report["weeks"][0]["check_ins"]["count"], 0, "{ida_report}");
        assert_eq!(ida_report["weeks"][1]["check_ins"]["count"], 1);
        assert_eq!(texts(&ida_report), ["Skrevet på holdet"], "not before joining, not after the end");

        // The start date cannot move now that someone has joined.
        let (status, body) = app
            .call(Method::PATCH, &path, Some(&birgit.token), Some(json!({"start_date": "2026-08-03"})))
            .await;
        assert_eq!((status, error_of(&body).0.as_str()), (409, "conflict"), "{body}");
        let (_, now) = app.get_json(&path, &birgit.token).await;
        assert_eq!(now["start_date"], "2026-09-07", "unchanged");
        // Sending the same date, or changing anything else, still works.
        let (status, body) = app
            .call(
                Method::PATCH,
                &path,
                Some(&birgit.token),
                Some(json!({"start_date": "2026-09-07", "title": "MSC efterår"})),
            )
            .await;
        assert_eq!(status, 200, "{body}");

        // Consent withdrawn and given again counts from the new consent.
        for consent in [
            json!({"adherence": false, "reflections": false}),
            json!({"adherence": true, "reflections": true}),
        ] {
            let consent_path = format!("/api/courses/{course}/consent");
            let (status, body) = app.call(Method::PUT, &consent_path, Some(&ida.token), Some(consent)).await;
            assert_eq!(status, 200, "{body}");
        }
        let ida_report = names(&report(&app, &course, &birgit.token).await, "Ida");
        assert_eq!(ida_report["shares_adherence"], true);
        assert!(
            minutes(&ida_report).iter().all(|m| *m == 0),
            "nothing from before the new consent: {ida_report}"
        );
        assert_eq!(texts(&ida_report), Vec::<String>::new());

        // A course nobody has joined yet can still be moved.
        let (empty, _) = app.course(&birgit, None).await;
        let (status, body) = app
            .call(
                Method::PATCH,
                &format!("/api/courses/{empty}"),
                Some(&birgit.token),
                Some(json!({"start_date": "2027-01-04"})),
            )
            .await;
        assert_eq!((status, body["start_date"].clone()), (200, json!("2027-01-04")), "{body}");
        app.stop().await;
    }
}

fn shared_with(ms: i64, seed: u8, text: &str, courses: &[&str]) -> Value {
    let mut record = reflection(ms, seed, text, true);
    record["body"]["shared_with"] = json!(courses);
    record
}

/// Shared reflections leaked across courses (medium): "shared" was one flag,
/// so every course that reads reflections saw every note ever shared. A note
/// is now shared with named courses, and a course sees only notes written
/// during its consent.
#[tokio::test]
async fn a_shared_note_reaches_only_its_course_and_only_from_that_membership() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        let carl = app.instructor("Carl").await;
        let (msc, msc_code) = app.course(&birgit, Some("msc")).await;
        let (group, group_code) = app.course(&carl, None).await;
        let ida = app.participant("Ida").await;
        assert_eq!(app.join(&ida, &msc_code, true, true).await.0, 201);
        assert_eq!(app.join(&ida, &group_code, true, true).await.0, 201);
        app.backdate_joining(&msc, &ida, at(2026, 11, 1, 12)).await;
        app.backdate_joining(&group, &ida, at(2026, 11, 15, 12)).await;
        push(
            &app,
            &ida.token,
            vec![
                shared_with(at(2026, 11, 4, 7), 1, "Til Birgit", &[&msc]),
                shared_with(at(2026, 11, 16, 7), 2, "Til Carl", &[&group]),
                shared_with(at(2026, 11, 17, 7), 3, "Til begge", &[&msc, &group]),
                // Shared by an older app, without naming a course.
                reflection(at(2026, 11, 5, 7), 4, "Gammel delt note, før Carls hold", true),
            ],
        )
        .await;
        let birgit_sees = texts(&names(&report(&app, &msc, &birgit.token).await, "Ida"));
        assert_eq!(birgit_sees, ["Til Birgit", "Gammel delt note, før Carls hold", "Til begge"]);
        let carl_sees = texts(&names(&report(&app, &group, &carl.token).await, "Ida"));
        assert_eq!(
            carl_sees,
            ["Til Carl", "Til begge"],
            "nothing shared with another course, nothing from before"
        );

        // A course id that is not one is refused with the field named.
        let bad = shared_with(at(2026, 11, 18, 7), 5, "x", &["holdet"]);
        let (status, body) = app.post_json("/api/sync", &ida.token, json!({ "records": [bad] })).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["results"][0]["outcome"], "rejected", "{body}");
        assert!(body["results"][0]["error"].to_string().contains("shared_with"), "{body}");
        app.stop().await;
    }
}

/// Sends a JSON request as if from `address` (the server trusts the
/// `X-Forwarded-For` header in these tests, as behind a reverse proxy).
async fn from(
    app: &TestApp,
    address: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut request = app.http.request(method, app.url(path)).header("x-forwarded-for", address).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request reaches the server");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn behind_proxy(backend: &'static str) -> TestApp {
    spawn_app_configured(backend, |config| {
        config.client_ip_header = Some("x-forwarded-for".into());
        config.rates = crate::accounts::patient_backoff();
    })
    .await
}

/// Lockout (medium): ten wrong passwords from anywhere locked the owner out
/// for 15 minutes. Failures now count per (account, address).
#[tokio::test]
async fn wrong_passwords_slow_their_own_address_and_never_lock_the_owner_out() {
    let app = behind_proxy("sqlite").await;
    app.participant("Ida").await;
    let log_in = |address: &'static str, password: &'static str| {
        let app = &app;
        async move {
            from(
                app,
                address,
                Method::POST,
                "/api/sessions",
                None,
                json!({"email": "ida@example.dk", "password": password, "token": true}),
            )
            .await
        }
    };
    for n in 0..10 {
        let (status, body) = log_in("203.0.113.9", "ikke kodeordet").await;
        let expected = if n < 5 { 401 } else { 429 };
        assert_eq!(status, expected, "attempt {n}: {body}");
    }
    let (status, body) = log_in("198.51.100.2", crate::helpers::PASSWORD).await;
    assert_eq!(status, 201, "the owner, from her own address, logs in: {body}");
    // A typed email that is not one is refused before it is counted or kept.
    let (status, body) = from(
        &app,
        "198.51.100.3",
        Method::POST,
        "/api/sessions",
        None,
        json!({"email": "x".repeat(16_000), "password": "whatever"}),
    )
    .await;
    assert_eq!((status, error_of(&body).1.as_str()), (422, "email"), "{body}");
    app.stop().await;
}

/// Erase had no limit: a stolen session could guess the password without end.
#[tokio::test]
async fn erasing_limits_password_guesses_like_log_in() {
    let app = behind_proxy("sqlite").await;
    let ida = app.participant("Ida").await;
    let erase = |password: &'static str| {
        let app = &app;
        let token = ida.token.clone();
        async move {
            from(
                app,
                "203.0.113.9",
                Method::POST,
                "/api/me/erase",
                Some(&token),
                json!({"password": password, "confirm": "erase my account"}),
            )
            .await
        }
    };
    for _ in 0..5 {
        assert_eq!(erase("gæt et kodeord").await.0, 422);
    }
    let (status, body) = erase("gæt et kodeord igen").await;
    assert_eq!((status, error_of(&body).0.as_str()), (429, "too_many_requests"), "{body}");
    assert_eq!(app.get_json("/api/me", &ida.token).await.0, 200, "nothing erased");
    app.stop().await;
}

/// Instructor invites were reusable once the account that used one was
/// erased, and two sign-ups racing for one code could both win on PostgreSQL.
#[tokio::test]
async fn an_instructor_invite_is_used_once_for_good() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        let (status, invite) =
            app.post_json("/api/instructor-invites", &birgit.token, json!({"valid_days": 7})).await;
        assert_eq!(status, 201, "{invite}");
        let code = invite["code"].as_str().expect("code").to_owned();
        // Eight people try the same code at once: one becomes an instructor.
        let attempts =
            (0..8).map(|n| {
                let (app, code) = (&app, code.clone());
                async move {
                    app.call(
                    Method::POST,
                    "/api/accounts",
                    None,
                    Some(json!({"email": format!("lærer{n}@example.dk"), "password": crate::helpers::PASSWORD,
                        "display_name": format!("Lærer {n}"), "instructor_invite": code})),
                )
                .await
                }
            });
        let answers = futures_join_all(attempts).await;
        let made: Vec<_> = answers.iter().filter(|(status, _)| *status == 201).collect();
        assert_eq!(made.len(), 1, "{answers:?}");
        assert_eq!(made[0].1["user"]["role"], "instructor");
        for (status, body) in answers.iter().filter(|(status, _)| *status != 201) {
            assert_eq!((*status, error_of(body).1.as_str()), (422, "instructor_invite"), "{body}");
        }
        // The one who used it erases their account; the code stays used.
        let email = made[0].1["user"]["email"].as_str().expect("email").to_owned();
        let winner = app.log_in(&email).await;
        let (status, _) = app
            .post_json(
                "/api/me/erase",
                &winner.token,
                json!({"password": crate::helpers::PASSWORD, "confirm": "erase my account"}),
            )
            .await;
        assert_eq!(status, 204);
        let (status, body) = app
            .call(
                Method::POST,
                "/api/accounts",
                None,
                Some(json!({"email": "carl@example.dk", "password": crate::helpers::PASSWORD, "display_name": "Carl",
                    "instructor_invite": code})),
            )
            .await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "instructor_invite"), "{body}");
        app.stop().await;
    }
}

/// Runs the futures side by side and returns their answers in order.
async fn futures_join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut answers: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, answer) in pinned.iter_mut().zip(answers.iter_mut()) {
            if answer.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *answer = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending { std::task::Poll::Pending } else { std::task::Poll::Ready(()) }
    })
    .await;
    answers.into_iter().flatten().collect()
}

/// Headers: HSTS, COOP and Permissions-Policy on every answer; names and
/// titles refuse characters that would show something other than they say;
/// emails in one Unicode form.
#[tokio::test]
async fn headers_names_titles_and_emails_leave_nothing_to_hide_behind() {
    let app = spawn_app_with("sqlite", None, generous()).await;
    let response = app.get("/api/health").await;
    let headers = response.headers();
    assert_eq!(headers["strict-transport-security"], "max-age=31536000");
    assert_eq!(headers["cross-origin-opener-policy"], "same-origin");
    let permissions = headers["permissions-policy"].to_str().unwrap_or_default();
    assert!(permissions.contains("microphone=(self)") && permissions.contains("camera=()"), "{permissions}");

    let sign_up = |email: &str, name: &str| {
        let app = &app;
        let body = json!({"email": email, "password": crate::helpers::PASSWORD, "display_name": name});
        async move { app.call(Method::POST, "/api/accounts", None, Some(body)).await }
    };
    // "Ida" followed by a right-to-left override shows the rest reversed.
    let (status, body) = sign_up("ida@example.dk", "Ida\u{202E}nnahoj").await;
    assert_eq!((status, error_of(&body).1.as_str()), (422, "display_name"), "{body}");
    let (status, body) = sign_up("ida@example.dk", "I\u{200B}da").await;
    assert_eq!((status, error_of(&body).1.as_str()), (422, "display_name"), "{body}");
    // "Åse" composed and decomposed is one address.
    assert_eq!(sign_up("\u{e5}se@example.dk", "Åse").await.0, 201);
    let (status, body) = sign_up("a\u{30a}se@example.dk", "Åse igen").await;
    assert_eq!((status, error_of(&body).0.as_str()), (409, "conflict"), "{body}");

    let birgit = app.instructor("Birgit").await;
    let (status, body) = app
        .post_json(
            "/api/courses",
            &birgit.token,
            json!({"title": "MSC\u{2067} forår", "lang": "da", "time_zone": "Europe/Copenhagen", "start_date": "2027-01-04"}),
        )
        .await;
    assert_eq!((status, error_of(&body).1.as_str()), (422, "title"), "{body}");
    app.stop().await;
}

/// Every error answer carries the documented JSON body: a method a path
/// lacks was answered 405 with an empty body.
#[tokio::test]
async fn a_method_a_path_lacks_is_answered_in_json() {
    let app = spawn_app_with("sqlite", None, generous()).await;
    let (status, body) = app.call(Method::PUT, "/api/health", None, None).await;
    assert_eq!((status, error_of(&body).0.as_str()), (405, "method_not_allowed"), "{body}");
    let response = app.http.delete(app.url("/api/accounts")).send().await.expect("answered");
    assert_eq!(response.headers()["allow"], "POST");
    app.stop().await;
}

/// The database file holds health-related notes: readable by its owner only,
/// and what is deleted is overwritten.
#[tokio::test]
async fn the_database_is_private_to_its_owner_and_deletes_for_real() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app_with("sqlite", None, generous()).await;
    app.participant("Ida").await;
    for name in ["stille.db", "stille.db-wal", "stille.db-shm"] {
        let path = app.data_dir().join(name);
        let mode = std::fs::metadata(&path).expect(name).permissions().mode();
        assert_eq!(mode & 0o077, 0, "{name} is {mode:o}");
    }
    let (secure_delete,): (i64,) = stille_server::on_store!(&app.store, pool => {
        sqlx::query_as("PRAGMA secure_delete").fetch_one(pool).await.expect("pragma")
    });
    assert_eq!(secure_delete, 1);
    app.stop().await;
}

/// Connections (high): half-sent request heads were never timed out and one
/// address could hold any number of connections, until the open-file limit
/// was reached and `/api/health` failed for everyone.
#[tokio::test]
async fn idle_and_surplus_connections_are_closed_and_health_still_answers() {
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_configured("sqlite", |config| {
        config.connections_per_address = Some(8);
        config.header_timeout = Some(Duration::from_millis(500));
    })
    .await;
    /// Whether the server closes `stream` within `within` (reads until the end).
    async fn closed_within(stream: &mut tokio::net::TcpStream, within: Duration) -> bool {
        let mut buffer = [0u8; 1024];
        tokio::time::timeout(within, async {
            loop {
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        })
        .await
        .is_ok()
    }
    let mut idle = Vec::new();
    for _ in 0..8 {
        idle.push(tokio::net::TcpStream::connect(app.addr).await.expect("connect"));
    }
    // Half a request head, then nothing.
    idle[0].write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n").await.expect("write");
    // The ninth from this address is closed at once, before it sends anything.
    let mut surplus = tokio::net::TcpStream::connect(app.addr).await.expect("connect");
    assert!(closed_within(&mut surplus, Duration::from_secs(5)).await, "a ninth connection was kept");
    // The idle ones, the half-sent one among them, are closed after the header timeout.
    for stream in &mut idle {
        assert!(closed_within(stream, Duration::from_secs(10)).await, "an idle connection was kept open");
    }
    // With their places free again, health answers.
    let response = app.http.get(app.url("/api/health")).send().await.expect("health");
    assert_eq!(response.status(), 200);
    app.stop().await;
}

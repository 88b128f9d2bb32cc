//! Reminders by Web Push, end to end against the push-service stand-in
//! ([`PushService`]): the server's clock is run minute by minute through
//! both changes of the clocks in Copenhagen, and every message is checked
//! as a push service checks it and decrypted as the phone would.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};
use stille_server::push::{plan_due, send_due};

use crate::courses::entry;
use crate::helpers::{Person, TestApp, backends, error_of, generous, spawn_app_configured};
use crate::push_service::PushService;

pub async fn app_for(service: &PushService, backend: &'static str) -> TestApp {
    let app = spawn_app_configured(backend, |config| {
        config.push_services = service.origin();
        config.push_every = None;
        config.public_url = Some("https://stille.example.dk".into());
        config.rates = generous();
    })
    .await;
    let (status, key) = app.call(Method::GET, "/api/push/key", None, None).await;
    assert_eq!(status, 200, "{key}");
    service.expect_server_key(key["public_key"].as_str().expect("a key"));
    app
}

fn utc(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>().expect("a time").as_millisecond()
}

fn local(ms: i64) -> String {
    let zone = jiff::tz::TimeZone::get("Europe/Copenhagen").expect("the zone");
    jiff::Timestamp::from_millisecond(ms)
        .expect("a time")
        .to_zoned(zone)
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

pub async fn subscribe(app: &TestApp, who: &Person, device: &Value) {
    let (status, body) =
        app.call(Method::PUT, "/api/push/subscription", Some(&who.token), Some(device.clone())).await;
    assert_eq!(status, 204, "{body}");
}

pub async fn remind(app: &TestApp, who: &Person, plan: Value) {
    let (status, body) = app.call(Method::PUT, "/api/reminders", Some(&who.token), Some(plan)).await;
    assert_eq!(status, 200, "{body}");
}

fn daily(times: &[&str], quiet: Option<(&str, &str)>) -> Value {
    let mut plan = json!({
        "time_zone": "Europe/Copenhagen",
        "times": times.iter().map(|at| json!({"days": [1, 2, 3, 4, 5, 6, 7], "at": at})).collect::<Vec<_>>(),
    });
    if let Some((from, to)) = quiet {
        plan["quiet"] = json!({"from": from, "to": to});
    }
    plan
}

/// As if the plans had been made long before the test's clock: the next
/// reminder is overdue, so the first minute skips it and plans on from there.
async fn made_long_ago(app: &TestApp) {
    stille_server::on_store!(&app.store, pool => {
        sqlx::query("UPDATE reminders SET next_at_ms = 0").execute(pool).await.expect("backdate the plans");
    });
}

/// Runs the server's clock a minute at a time from `from` to `to` on each
/// instance (all at the same minute, at once); what each device received,
/// with the local minute it came in.
async fn run_minutes(
    instances: &[&TestApp],
    service: &PushService,
    from: &str,
    to: &str,
) -> BTreeMap<String, Vec<(String, Value)>> {
    let mut received: BTreeMap<String, Vec<(String, Value)>> = BTreeMap::new();
    let (mut now, end) = (utc(from), utc(to));
    while now < end {
        let rounds = instances.iter().map(|app| async move {
            plan_due(&app.store, now).await.expect("planning works");
            send_due(&app.store, &app.push, now).await.expect("sending works");
        });
        futures_util::future::join_all(rounds).await;
        for message in service.take_received() {
            assert_eq!(message.ttl, "7200", "a reminder waits two hours for a phone that is off");
            assert_eq!(message.topic.as_deref(), Some("reminder"));
            assert_eq!(message.urgency, "normal");
            received.entry(message.device).or_default().push((local(now), message.payload));
        }
        now += 60_000;
    }
    assert_eq!(service.faults(), Vec::<String>::new(), "every request was one a push service takes");
    received
}

fn minutes(received: &BTreeMap<String, Vec<(String, Value)>>, device: &str) -> Vec<String> {
    received.get(device).map(|r| r.iter().map(|(at, _)| at.clone()).collect()).unwrap_or_default()
}

fn bodies(received: &BTreeMap<String, Vec<(String, Value)>>, device: &str) -> Vec<String> {
    received
        .get(device)
        .map(|r| r.iter().map(|(_, p)| p["body"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_reminder_comes_once_at_its_local_minute_across_both_changes_of_the_clocks_never_in_quiet_hours() {
    for backend in backends() {
        let service = PushService::start().await;
        let app = app_for(&service, backend).await;
        let ida = app.participant("Ida").await;
        subscribe(&app, &ida, &service.device("ida-phone", "da")).await;
        remind(&app, &ida, daily(&["02:30", "07:30"], None)).await;
        // Bo keeps the night quiet from 03:00; on the day summer time begins
        // his 02:30 does not exist and would come at 03:30.
        let bo = app.participant("Bo").await;
        subscribe(&app, &bo, &service.device("bo-phone", "en")).await;
        remind(&app, &bo, daily(&["02:30"], Some(("03:00", "07:00")))).await;

        // Ida's course begins on Monday 19 October 2026 with a body scan on
        // six days of each week; she practised it on Saturday the 24th at 10:00.
        let teacher = app.instructor("Birgit").await;
        let (course, code) = app.course(&teacher, None).await;
        let path = format!("/api/courses/{course}");
        let (status, body) = app
            .call(Method::PATCH, &path, Some(&teacher.token), Some(json!({"start_date": "2026-10-19"})))
            .await;
        assert_eq!(status, 200, "{body}");
        for week in [1, 2] {
            let scan = json!({"practices": [{"practice": "mbsr-body-scan", "minutes": 45, "days": 6}]});
            let (status, body) = app
                .call(Method::PUT, &format!("{path}/assignments/{week}"), Some(&teacher.token), Some(scan))
                .await;
            assert_eq!(status, 200, "{body}");
        }
        let (status, body) = app.join(&ida, &code, false, false).await;
        assert_eq!(status, 201, "{body}");
        let mut scan = entry(utc("2026-10-24T08:00:00Z"), 1, 45);
        scan["body"]["practice"] = json!("mbsr-body-scan");
        scan["body"]["utc_offset_minutes"] = json!(120);
        let (status, body) = app.post_json("/api/sync", &ida.token, json!({"records": [scan]})).await;
        assert_eq!(status, 200, "{body}");
        made_long_ago(&app).await;

        // Summer time begins on Sunday 29 March 2026 at 02:00.
        let spring = run_minutes(&[&app], &service, "2026-03-28T00:00:00Z", "2026-03-30T01:00:00Z").await;
        assert_eq!(
            minutes(&spring, "ida-phone"),
            [
                "2026-03-28 02:30",
                "2026-03-28 07:30",
                "2026-03-29 03:30",
                "2026-03-29 07:30",
                "2026-03-30 02:30"
            ],
            "{backend}"
        );
        assert_eq!(
            minutes(&spring, "bo-phone"),
            ["2026-03-28 02:30", "2026-03-30 02:30"],
            "{backend}: none in quiet hours"
        );
        // Before the course began: the general line, in each device's language.
        let quiet_da = "Et øjeblik til dig selv? Stille er her, når du har tid.";
        assert!(bodies(&spring, "ida-phone").iter().all(|b| b == quiet_da), "{spring:?}");
        assert!(
            bodies(&spring, "bo-phone")
                .iter()
                .all(|b| b == "A moment for yourself? Stille is here when you have time.")
        );
        let (_, first) = &spring["ida-phone"][0];
        assert_eq!(
            (first["title"].as_str(), first["url"].as_str(), first["tag"].as_str()),
            (Some("Stille"), Some("/"), Some("reminder"))
        );

        // Summer time ends on Sunday 25 October 2026 at 03:00: 02:30 happens twice.
        let autumn = run_minutes(&[&app], &service, "2026-10-24T00:00:00Z", "2026-10-27T00:00:00Z").await;
        assert_eq!(
            minutes(&autumn, "ida-phone"),
            [
                "2026-10-24 02:30",
                "2026-10-24 07:30",
                "2026-10-25 02:30",
                "2026-10-25 07:30",
                "2026-10-26 02:30",
                "2026-10-26 07:30"
            ],
            "{backend}"
        );
        assert_eq!(
            minutes(&autumn, "bo-phone"),
            ["2026-10-24 02:30", "2026-10-25 02:30", "2026-10-26 02:30"],
            "{backend}"
        );
        // The practice of the day, counted from her log: the day after her
        // first body scan is day 2 of 6; the next course week starts again.
        let scan_da = stille_practice::catalog()
            .get("mbsr-body-scan")
            .expect("in the catalog")
            .title
            .get(stille_practice::Lang::Da);
        let day = |n| format!("Denne uge: {scan_da}, 45 min — dag {n} af 6");
        assert_eq!(
            bodies(&autumn, "ida-phone"),
            [day(1), day(1), day(2), day(2), day(1), day(1)],
            "{backend}"
        );
        assert_eq!(autumn["ida-phone"][0].1["url"], "/practices/mbsr-body-scan");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_gone_device_is_forgotten_and_a_busy_push_service_is_tried_again_when_it_says() {
    for backend in backends() {
        let service = PushService::start().await;
        let app = app_for(&service, backend).await;
        let ida = app.participant("Ida").await;
        for device in ["busy", "failing", "gone", "unknown", "fine"] {
            subscribe(&app, &ida, &service.device(device, "da")).await;
        }
        service.answer("busy", &[(429, Some(120))]);
        service.answer("failing", &[(500, None)]);
        service.answer("gone", &[(410, None)]);
        service.answer("unknown", &[(404, None)]);
        remind(&app, &ida, daily(&["07:30"], None)).await;
        made_long_ago(&app).await;
        // 07:30 in Copenhagen on 28 March 2026 is 06:30 UTC.
        let received = run_minutes(&[&app], &service, "2026-03-28T06:00:00Z", "2026-03-28T06:45:00Z").await;
        assert_eq!(minutes(&received, "fine"), ["2026-03-28 07:30"], "{backend}");
        assert_eq!(minutes(&received, "busy"), ["2026-03-28 07:32"], "{backend}: after Retry-After's 120 s");
        assert_eq!(minutes(&received, "failing"), ["2026-03-28 07:31"], "{backend}: a minute after a 500");
        assert!(!received.contains_key("gone") && !received.contains_key("unknown"), "{received:?}");
        let (status, export) = app.get_json("/api/me/export", &ida.token).await;
        assert_eq!(status, 200);
        let kept: Vec<&str> = export["reminder_devices"]
            .as_array()
            .expect("devices")
            .iter()
            .filter_map(|d| d["endpoint"].as_str()?.rsplit('/').next())
            .collect();
        assert_eq!(kept, ["busy", "failing", "fine"], "{backend}: 404 and 410 remove the subscription");
        let left: (i64,) = stille_server::on_store!(&app.store, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM push_outbox").fetch_one(pool).await.expect("count")
        });
        assert_eq!(left.0, 0, "{backend}: nothing waits once all is delivered");
        app.stop().await;
    }
}

#[tokio::test]
async fn two_instances_on_one_database_send_each_reminder_once() {
    for backend in backends() {
        let service = PushService::start().await;
        let first = app_for(&service, backend).await;
        let second = first
            .another_instance(|config| {
                config.push_services = service.origin();
                config.push_every = None;
                config.public_url = Some("https://stille.example.dk".into());
            })
            .await;
        let (_, key) = second.call(Method::GET, "/api/push/key", None, None).await;
        assert_eq!(
            key["public_key"],
            first.call(Method::GET, "/api/push/key", None, None).await.1["public_key"],
            "one key for both"
        );
        let mut devices = Vec::new();
        for n in 0..6 {
            // Half subscribe through one instance, half through the other.
            let app = if n % 2 == 0 { &first } else { &second };
            let who = app.participant(&format!("Deltager{n}")).await;
            for phone in ["a", "b"] {
                let name = format!("p{n}{phone}");
                subscribe(app, &who, &service.device(&name, "da")).await;
                devices.push(name);
            }
            remind(app, &who, daily(&["07:30", "20:00"], None)).await;
        }
        made_long_ago(&first).await;
        let received =
            run_minutes(&[&first, &second], &service, "2026-03-28T06:00:00Z", "2026-03-29T06:00:00Z").await;
        for device in &devices {
            assert_eq!(
                minutes(&received, device),
                ["2026-03-28 07:30", "2026-03-28 20:00", "2026-03-29 07:30"],
                "{backend}: {device} got each reminder once"
            );
        }
        second.stop().await;
        first.stop().await;
    }
}

#[tokio::test]
async fn subscriptions_and_plans_are_checked_and_each_person_has_only_their_own() {
    let service = PushService::start().await;
    let app = app_for(&service, "sqlite").await;
    let ida = app.participant("Ida").await;
    let bo = app.participant("Bo").await;
    let phone = service.device("shared", "da");

    // Signed out: the key only.
    let (status, key) = app.call(Method::GET, "/api/push/key", None, None).await;
    assert_eq!((status, key["public_key"].as_str().map(str::len)), (200, Some(87)));
    for (method, path) in [(Method::PUT, "/api/push/subscription"), (Method::GET, "/api/reminders")] {
        let (status, _) = app.call(method, path, None, Some(phone.clone())).await;
        assert_eq!(status, 401, "{path}");
    }

    // Bad subscriptions, each named.
    let with = |pointer: &str, value: Value| {
        let mut bad = phone.clone();
        *bad.pointer_mut(pointer).expect("a field") = value;
        bad
    };
    let elsewhere = format!("http://127.0.0.1:{}/push/shared", service.addr.port() + 1);
    for (bad, status, field) in [
        (with("/endpoint", json!("https://evil.example/push/1")), 422, "endpoint"),
        (with("/endpoint", json!(elsewhere)), 422, "endpoint"),
        (with("/endpoint", json!("x".repeat(2000))), 422, "endpoint"),
        (with("/keys/p256dh", json!("AAAA")), 422, "keys.p256dh"),
        (with("/keys/auth", json!("c2hvcnQ")), 422, "keys.auth"),
        (with("/lang", json!("de")), 422, "lang"),
        (with("/keys", json!({"p256dh": "x", "auth": "y", "extra": 1})), 422, "keys.extra"),
    ] {
        let (got, body) = app.call(Method::PUT, "/api/push/subscription", Some(&ida.token), Some(bad)).await;
        assert_eq!((got, error_of(&body).1.as_str()), (status, field), "{body}");
    }

    for (bad, field) in
        [(json!({"endpoint": ""}), "endpoint"), (json!({"endpoint": "not a url"}), "endpoint")]
    {
        let (status, body) =
            app.call(Method::DELETE, "/api/push/subscription", Some(&ida.token), Some(bad)).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, field), "{body}");
    }

    // Bad plans, each named; the plan kept before stays.
    remind(&app, &ida, daily(&["07:30"], Some(("22:00", "06:00")))).await;
    let kept = app.get_json("/api/reminders", &ida.token).await.1;
    let mut nowhere = daily(&["07:30"], None);
    nowhere["time_zone"] = json!("Europe/Aarhus");
    for (bad, field) in [
        (nowhere, "time_zone"),
        (daily(&["23:15"], Some(("22:00", "06:00"))), "times[0].at"),
        (daily(&["7:30"], None), "times[0].at"),
        (
            json!({"time_zone": "Europe/Copenhagen", "times": [{"days": [0], "at": "07:30"}]}),
            "times[0].days[0]",
        ),
    ] {
        let (status, body) = app.call(Method::PUT, "/api/reminders", Some(&ida.token), Some(bad)).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, field), "{body}");
    }
    assert_eq!(app.get_json("/api/reminders", &ida.token).await.1, kept);
    assert_eq!(app.get_json("/api/reminders", &bo.token).await.1["times"], json!([]), "Bo has none");

    let devices = |who: &Person| {
        let app = &app;
        let token = who.token.clone();
        async move {
            let (_, export) = app.get_json("/api/me/export", &token).await;
            export["reminder_devices"].as_array().map_or(0, Vec::len)
        }
    };
    subscribe(&app, &ida, &phone).await;
    // Bo cannot unsubscribe Ida's phone.
    let unsubscribe = json!({"endpoint": phone["endpoint"]});
    let (status, _) =
        app.call(Method::DELETE, "/api/push/subscription", Some(&bo.token), Some(unsubscribe.clone())).await;
    assert_eq!(status, 204);
    assert_eq!(devices(&ida).await, 1);
    // Bo signs in on the same phone and turns reminders on: the phone is his now.
    subscribe(&app, &bo, &phone).await;
    assert_eq!((devices(&ida).await, devices(&bo).await), (0, 1));
    let (status, _) =
        app.call(Method::DELETE, "/api/push/subscription", Some(&bo.token), Some(unsubscribe)).await;
    assert_eq!(status, 204);
    assert_eq!(devices(&bo).await, 0);

    // Erasing an account takes its plan and devices with it.
    subscribe(&app, &ida, &phone).await;
    let (status, body) = app
        .post_json(
            "/api/me/erase",
            &ida.token,
            json!({"password": crate::helpers::PASSWORD, "confirm": "erase my account"}),
        )
        .await;
    assert!(status == 200 || status == 204, "{status} {body}");
    let left: (i64, i64) = stille_server::on_store!(&app.store, pool => {
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM push_subscriptions), (SELECT COUNT(*) FROM reminders)")
            .fetch_one(pool)
            .await
            .expect("count")
    });
    assert_eq!(left, (0, 0));
    app.stop().await;
}

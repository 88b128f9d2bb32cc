//! Several server instances on one database, as a region runs them behind one
//! address: the attempt limits count across instances (PostgreSQL keeps
//! them), and one person's devices syncing through different instances at
//! the same time end with the same records.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use stille_server::limits::{Backoff, Rate, Rates};

use crate::courses::{at, entry};
use crate::helpers::{PASSWORD, backends, generous, spawn_app_with};

/// Log-in attempts from one address, and wrong passwords for one account,
/// are counted once however the attempts are spread over two instances.
#[tokio::test]
async fn attempt_limits_hold_across_two_instances_on_postgresql() {
    let Some(backend) = backends().into_iter().find(|b| *b == "postgres") else {
        eprintln!("STILLE_TEST_POSTGRES is not set: limits are shared only on PostgreSQL");
        return;
    };
    let rates = Rates {
        login_per_ip: Rate::new(5, 15 * 60),
        password_failures: Backoff {
            free: 2,
            first_delay: Duration::from_secs(60),
            ..Rates::default().password_failures
        },
        ..generous()
    };
    let first = spawn_app_with(backend, None, rates).await;
    let second = first.another_instance(|config| config.rates = rates).await;
    let log_in = |email: &str, password: &str| json!({"email": email, "password": password, "token": true});

    // Ida's sign-up logs her in on the first instance: one log-in counted.
    first.participant("Ida").await;
    // Two wrong passwords, one on each instance: the third try waits, on
    // either instance, even with the right password.
    let (status, body) =
        second.call(Method::POST, "/api/sessions", None, Some(log_in("ida@example.dk", "wrong one"))).await;
    assert_eq!(status, 401, "{body}");
    let (status, body) =
        first.call(Method::POST, "/api/sessions", None, Some(log_in("ida@example.dk", "wrong two"))).await;
    assert_eq!(status, 401, "{body}");
    let (status, body) =
        second.call(Method::POST, "/api/sessions", None, Some(log_in("ida@example.dk", PASSWORD))).await;
    assert_eq!(status, 429, "the failures on the first instance count on the second: {body}");

    // Two log-ins so far from this address (plus the refused one: 4 of 5).
    // One more is allowed, on the second instance; then both refuse.
    let (status, body) =
        second.call(Method::POST, "/api/sessions", None, Some(log_in("jens@example.dk", "no account"))).await;
    assert_eq!(status, 401, "{body}");
    for app in [&first, &second] {
        let (status, body) = app
            .call(Method::POST, "/api/sessions", None, Some(log_in("jens@example.dk", "no account")))
            .await;
        assert_eq!(status, 429, "five log-ins from one address in 15 minutes, over both instances: {body}");
    }

    // The counts are in the database, under hashed keys.
    let (keys,): (String,) = sqlx::query_as(
        "SELECT string_agg(limiter || ':' || key::text, ' ') FROM (SELECT limiter, key FROM limit_windows \
         UNION ALL SELECT limiter, key FROM limit_failures) AS k",
    )
    .fetch_one(match &first.store {
        stille_server::Store::Postgres(pool) => pool,
        stille_server::Store::Sqlite(_) => unreachable!("PostgreSQL"),
    })
    .await
    .expect("the limit tables");
    assert!(keys.contains("login_ip:") && keys.contains("password:"), "{keys}");
    second.stop().await;
    first.stop().await;
}

/// Windows that have ended are swept from the database.
#[tokio::test]
async fn ended_limit_windows_are_swept_from_postgresql() {
    let Some(backend) = backends().into_iter().find(|b| *b == "postgres") else { return };
    let app = spawn_app_with(backend, None, generous()).await;
    let stille_server::Store::Postgres(pool) = &app.store else { unreachable!("PostgreSQL") };
    let shared = stille_server::limits::Shared::open(pool.clone()).await.expect("shared limits");
    // A window that ends at once, and one of an hour.
    let over = Rates { login_per_ip: Rate::new(1, 0), signup_per_ip: Rate::new(1, 3600), ..generous() };
    let limits = stille_server::limits::Limits::shared(over, &shared);
    limits.login_ip.hit("10.0.0.1").await.expect("first");
    limits.login_ip.hit("10.0.0.1").await.expect("a new window: the last one ended at once");
    limits.signup_ip.hit("10.0.0.1").await.expect("first sign-up");
    assert!(limits.signup_ip.hit("10.0.0.1").await.is_err(), "the hour's one sign-up is used");
    let forgotten = limits.sweep().await.expect("sweep");
    assert_eq!(forgotten, 1, "the ended log-in window goes, the sign-up hour stays");
    assert!(limits.signup_ip.hit("10.0.0.1").await.is_err(), "still counted after the sweep");
    app.stop().await;
}

/// Ida's phone pushes through one instance while her tablet pushes through
/// the other, both at once, with edits and a deletion of each other's
/// records: both end with the union, each record at its latest version.
#[tokio::test]
async fn devices_syncing_through_two_instances_at_once_converge() {
    for backend in backends() {
        let first = spawn_app_with(backend, None, generous()).await;
        let second = first.another_instance(|config| config.rates = generous()).await;
        let ida = first.participant("Ida").await;
        let day = at(2026, 11, 3, 7);
        let phone: Vec<Value> = (1..=24).map(|n| entry(day + i64::from(n) * 3_600_000, n, 10)).collect();
        let tablet: Vec<Value> =
            (1..=24).map(|n| entry(day + i64::from(n) * 3_600_000, 100 + n, 12)).collect();
        // The tablet edits four of the phone's records and deletes one.
        let mut tablet_changes = Vec::new();
        for record in phone.iter().take(4) {
            let mut edited = record.clone();
            let later = record["updated_at_ms"].as_i64().unwrap_or(0) + 60_000;
            edited["updated_at_ms"] = json!(later);
            edited["body"]["updated_at_ms"] = json!(later);
            edited["body"]["practised_ms"] = json!(480_000);
            tablet_changes.push(edited);
        }
        let gone = &phone[5];
        let later = gone["updated_at_ms"].as_i64().unwrap_or(0) + 60_000;
        tablet_changes
            .push(json!({"id": gone["id"], "kind": "entry", "updated_at_ms": later, "deleted": true}));

        let push_all = |app: &'static str, records: Vec<Value>| {
            let (app, token) = (if app == "first" { &first } else { &second }, ida.token.clone());
            async move {
                for chunk in records.chunks(4) {
                    let (status, body) =
                        app.post_json("/api/sync", &token, json!({ "records": chunk })).await;
                    assert_eq!(status, 200, "{body}");
                }
            }
        };
        let tablet_all: Vec<Value> = tablet_changes.iter().chain(&tablet).cloned().collect();
        tokio::join!(push_all("first", phone.clone()), push_all("second", tablet_all));

        let mut expected: BTreeMap<String, Value> = BTreeMap::new();
        for record in phone.iter().chain(&tablet).chain(&tablet_changes) {
            let id = record["id"].as_str().unwrap_or("").to_owned();
            let newer = expected
                .get(&id)
                .is_none_or(|old| old["updated_at_ms"].as_i64() < record["updated_at_ms"].as_i64());
            if newer {
                expected.insert(id, record.clone());
            }
        }
        let mut seen = Vec::new();
        for app in [&first, &second] {
            let (status, pulled) = app.get_json("/api/sync?after=0", &ida.token).await;
            assert_eq!(status, 200, "{backend}: {pulled}");
            let changes = pulled["changes"].as_array().expect("changes");
            let seqs: std::collections::BTreeSet<i64> =
                changes.iter().filter_map(|c| c["seq"].as_i64()).collect();
            assert_eq!(seqs.len(), changes.len(), "{backend}: one sequence number each");
            let state: BTreeMap<String, (i64, bool, Option<i64>)> = changes
                .iter()
                .map(|c| {
                    let id = c["id"].as_str().unwrap_or("").to_owned();
                    (
                        id,
                        (
                            c["updated_at_ms"].as_i64().unwrap_or(0),
                            c["deleted"] == true,
                            c["body"]["practised_ms"].as_i64(),
                        ),
                    )
                })
                .collect();
            let wanted: BTreeMap<String, (i64, bool, Option<i64>)> = expected
                .iter()
                .map(|(id, r)| {
                    let deleted = r["deleted"] == true;
                    let body = if deleted { None } else { r["body"]["practised_ms"].as_i64() };
                    (id.clone(), (r["updated_at_ms"].as_i64().unwrap_or(0), deleted, body))
                })
                .collect();
            assert_eq!(state, wanted, "{backend}: the union, each at its latest version");
            seen.push(state);
        }
        assert_eq!(seen[0], seen[1], "{backend}: both instances answer alike");
        second.stop().await;
        first.stop().await;
    }
}

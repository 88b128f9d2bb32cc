//! Sync over HTTP, and a property test of its promise: whatever the order,
//! batching, retries and devices, the server ends with exactly one current
//! version of every record — the deletion if any, else the latest edit — and
//! every device that pulls ends with the same.

use std::collections::BTreeMap;

use proptest::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};
use stille_practice::log::uuid_v7;

use crate::courses::{at, entry};
use crate::helpers::{TestApp, backends, error_of, generous, spawn_app_configured, spawn_app_with};

#[tokio::test]
async fn push_is_idempotent_pull_pages_and_older_edits_never_win() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let ida = app.participant("Ida").await;
        let jens = app.participant("Jens").await;
        let day = at(2026, 11, 3, 7);
        let first = entry(day, 1, 10);
        let mut edited = first.clone();
        edited["updated_at_ms"] = json!(day + 700_000);
        edited["body"]["updated_at_ms"] = json!(day + 700_000);
        edited["body"]["practised_ms"] = json!(300_000);

        let (status, body) =
            app.post_json("/api/sync", &ida.token, json!({"records": [first, entry(day, 2, 5)]})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["results"][0]["outcome"], "stored");
        assert_eq!(body["results"][0]["seq"], 1);
        assert_eq!(body["results"][1]["seq"], 2);
        // The same batch again (a lost answer, retried) changes nothing.
        let (_, again) =
            app.post_json("/api/sync", &ida.token, json!({"records": [first, entry(day, 2, 5)]})).await;
        assert_eq!(again["results"][0]["outcome"], "duplicate");
        assert_eq!(again["results"][0]["seq"], 1);
        // A newer edit wins; the older version arriving late does not bring it back.
        let (_, newer) = app.post_json("/api/sync", &ida.token, json!({"records": [edited]})).await;
        assert_eq!(
            (newer["results"][0]["outcome"].clone(), newer["results"][0]["seq"].clone()),
            (json!("stored"), json!(3))
        );
        let mut older = first.clone();
        older["updated_at_ms"] = json!(day + 1);
        older["body"]["updated_at_ms"] = json!(day + 1);
        let (_, late) = app.post_json("/api/sync", &ida.token, json!({"records": [older]})).await;
        assert_eq!(late["results"][0]["outcome"], "superseded");

        let (status, page) = app.get_json("/api/sync?after=0&limit=1", &ida.token).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!((page["changes"].as_array().map(Vec::len), page["more"].clone()), (Some(1), json!(true)));
        let cursor = page["cursor"].as_i64().expect("cursor");
        let (_, rest) = app.get_json(&format!("/api/sync?after={cursor}"), &ida.token).await;
        assert_eq!(rest["more"], false);
        assert_eq!(rest["changes"][0]["body"]["practised_ms"], 300_000, "the newer edit is current: {rest}");

        // A deletion wins and empties what was kept.
        let gone =
            json!({"id": first["id"], "kind": "entry", "updated_at_ms": day + 800_000, "deleted": true});
        let (_, deleted) = app.post_json("/api/sync", &ida.token, json!({"records": [gone]})).await;
        assert_eq!(deleted["results"][0]["outcome"], "stored");
        let (_, after_delete) =
            app.get_json(&format!("/api/sync?after={}", rest["cursor"]), &ida.token).await;
        assert_eq!(after_delete["changes"][0]["deleted"], true);
        assert_eq!(after_delete["changes"][0]["body"], Value::Null);
        let (_, export) = app.get_json("/api/me/export", &ida.token).await;
        assert!(
            export["record_history"]
                .as_array()
                .expect("history")
                .iter()
                .filter(|v| v["id"] == first["id"])
                .all(|v| v["body"].is_null()),
            "no earlier version keeps the deleted record's content: {export}"
        );

        // Records are per person: Jens sees none of Ida's, and may use the same id.
        let (_, jens_pull) = app.get_json("/api/sync", &jens.token).await;
        assert_eq!(jens_pull["changes"], json!([]));
        let (_, jens_push) =
            app.post_json("/api/sync", &jens.token, json!({"records": [entry(day, 2, 5)]})).await;
        assert_eq!(
            (jens_push["results"][0]["outcome"].clone(), jens_push["results"][0]["seq"].clone()),
            (json!("stored"), json!(1))
        );
        app.stop().await;
    }
}

/// Pushes that arrive together share one transaction (group commit); each
/// still gets its own answer, in arrival order.
#[tokio::test]
async fn pushes_applied_together_each_get_their_own_answer() {
    use serde_json::value::RawValue;
    use stille_server::sync::writer::{Push, apply};
    let raw = |v: &Value| RawValue::from_string(v.to_string()).expect("JSON");
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let ida = app.participant("Ida").await;
        let jens = app.participant("Jens").await;
        let day = at(2026, 11, 3, 7);
        let now = stille_server::now_ms();
        let (a, b) = (entry(day, 1, 10), entry(day, 2, 5));
        let mut a_edited = a.clone();
        a_edited["updated_at_ms"] = json!(day + 900_000);
        a_edited["body"]["updated_at_ms"] = json!(day + 900_000);
        a_edited["body"]["practised_ms"] = json!(420_000);
        // Jens's device made a record with the same id as Ida's: another
        // person's records are never his.
        let jens_a = entry(day, 1, 20);
        let first = [raw(&a), raw(&b)];
        let gone = [raw(&b)];
        let second = [raw(&a), raw(&a_edited)];
        let third = [raw(&jens_a), raw(&json!({"id": "not-a-uuid", "kind": "entry", "updated_at_ms": day}))];
        let group = [
            Push { user_id: &ida.id, records: &first, now },
            Push { user_id: "an-account-erased-meanwhile", records: &gone, now },
            Push { user_id: &ida.id, records: &second, now },
            Push { user_id: &jens.id, records: &third, now },
        ];
        let answers = apply(&app.store, &group, stille_server::sync::writer::Quota::default())
            .await
            .expect("the group commits");
        assert_eq!(answers.len(), 4, "{backend}");
        let outcomes = |i: usize| -> Vec<(String, Option<i64>)> {
            answers[i]
                .as_ref()
                .expect("answered")
                .iter()
                .map(|r| {
                    (
                        serde_json::to_value(r.outcome).expect("outcome").as_str().unwrap_or("").to_owned(),
                        r.seq,
                    )
                })
                .collect()
        };
        assert_eq!(outcomes(0), [("stored".into(), Some(1)), ("stored".into(), Some(2))], "{backend}");
        assert!(answers[1].is_err(), "{backend}: a push for an account that is gone fails alone");
        // The retry of `a` is recognised; the edit after it is the next change.
        assert_eq!(outcomes(2), [("duplicate".into(), Some(1)), ("stored".into(), Some(3))], "{backend}");
        assert_eq!(outcomes(3), [("stored".into(), Some(1)), ("rejected".into(), None)], "{backend}");

        let (status, pulled) = app.get_json("/api/sync?after=0", &ida.token).await;
        assert_eq!(status, 200, "{backend}: {pulled}");
        let changes: Vec<(i64, i64)> = pulled["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .map(|c| (c["seq"].as_i64().unwrap_or(0), c["body"]["practised_ms"].as_i64().unwrap_or(0)))
            .collect();
        assert_eq!(changes, [(2, 300_000), (3, 420_000)], "{backend}: {pulled}");
        let (_, pulled) = app.get_json("/api/sync?after=0", &jens.token).await;
        assert_eq!(pulled["changes"][0]["body"]["practised_ms"], 1_200_000, "{backend}: {pulled}");
        assert_eq!(pulled["cursor"], 1, "{backend}: {pulled}");
    }
}

/// Many people pushing at once, several pushes each in flight: every record
/// is stored once, and each person's sequence numbers are 1, 2, 3, … with no
/// number given twice, however the pushes were grouped.
#[tokio::test]
async fn concurrent_pushes_are_all_stored_with_distinct_sequence_numbers() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let mut people = Vec::new();
        for i in 0..6 {
            people.push(app.participant(&format!("Person{i}")).await);
        }
        let day = at(2026, 11, 3, 7);
        let mut pushes = Vec::new();
        for (p, person) in people.iter().enumerate() {
            for push in 0..5u8 {
                let records: Vec<Value> = (0..8u8)
                    .map(|r| entry(day + p as i64 * 1_000 + i64::from(push) * 10, push * 8 + r + 1, 10))
                    .collect();
                let (app, token) = (&app, person.token.clone());
                pushes.push(async move {
                    app.post_json("/api/sync", &token, json!({ "records": records })).await
                });
            }
        }
        for (status, body) in futures_util::future::join_all(pushes).await {
            assert_eq!(status, 200, "{backend}: {body}");
            assert!(
                body["results"].as_array().expect("results").iter().all(|r| r["outcome"] == "stored"),
                "{body}"
            );
        }
        for person in &people {
            let (_, pulled) = app.get_json("/api/sync?after=0", &person.token).await;
            let seqs: Vec<i64> = pulled["changes"]
                .as_array()
                .expect("changes")
                .iter()
                .filter_map(|c| c["seq"].as_i64())
                .collect();
            assert_eq!(seqs, (1..=40).collect::<Vec<i64>>(), "{backend}");
        }
    }
}

/// Superseded versions received longer ago than the retention window are
/// deleted (the current one never is), and so are expired sessions; a
/// device that retries a deleted version is told "superseded", which
/// settles it as "duplicate" did.
#[tokio::test]
async fn superseded_versions_and_expired_sessions_are_swept() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let ida = app.participant("Ida").await;
        let stale = app.log_in("ida@example.dk").await;
        let day = at(2026, 11, 3, 7);
        let version = |minutes: u32| {
            let mut record = entry(day, 1, 10);
            let at = day + i64::from(minutes) * 60_000;
            record["updated_at_ms"] = json!(at);
            record["body"]["updated_at_ms"] = json!(at);
            record
        };
        let other = entry(day, 2, 5);
        for batch in [vec![version(10), other.clone()], vec![version(11)]] {
            let (status, body) = app.post_json("/api/sync", &ida.token, json!({ "records": batch })).await;
            assert_eq!(status, 200, "{backend}: {body}");
        }
        let forty_days = 40 * 86_400_000i64;
        stille_server::on_store!(&app.store, pool => {
            sqlx::query("UPDATE record_versions SET received_at_ms = received_at_ms - $1")
                .bind(forty_days)
                .execute(pool)
                .await
                .expect("backdate");
            sqlx::query("UPDATE sessions SET last_seen_ms = last_seen_ms - $1, created_at_ms = created_at_ms - $1 \
                         WHERE token_hash = $2")
                .bind(forty_days)
                .bind(stille_server::accounts::session::digest(&stale.token))
                .execute(pool)
                .await
                .expect("an old session");
        });
        // A newer version today: the one of 11 minutes is superseded, but
        // this one is recent and current.
        let (status, body) =
            app.post_json("/api/sync", &ida.token, json!({ "records": [version(12)] })).await;
        assert_eq!(status, 200, "{backend}: {body}");

        let keep = std::time::Duration::from_secs(30 * 86_400);
        let swept = stille_server::maintenance::sweep(&app.store, stille_server::now_ms(), keep)
            .await
            .expect("sweep");
        assert_eq!(
            (swept.versions, swept.sessions),
            (2, 1),
            "{backend}: versions of 10 and 11 minutes, one session"
        );
        let kept: Vec<(i64,)> = stille_server::on_store!(&app.store, pool => {
            sqlx::query_as("SELECT updated_at_ms FROM record_versions ORDER BY updated_at_ms")
                .fetch_all(pool)
                .await
                .expect("versions")
        });
        assert_eq!(
            kept,
            [(other["updated_at_ms"].as_i64().unwrap_or(0),), (day + 12 * 60_000,)],
            "{backend}: the current versions stay, however old"
        );
        let again = stille_server::maintenance::sweep(&app.store, stille_server::now_ms(), keep)
            .await
            .expect("sweep");
        assert_eq!(again, Default::default(), "{backend}: nothing more to sweep");

        let (status, body) =
            app.post_json("/api/sync", &ida.token, json!({ "records": [version(10)] })).await;
        assert_eq!(status, 200, "{backend}: {body}");
        assert_eq!(body["results"][0]["outcome"], "superseded", "{backend}: {body}");
        let (_, pulled) = app.get_json("/api/sync?after=0", &ida.token).await;
        let current: Vec<i64> = pulled["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .filter_map(|c| c["updated_at_ms"].as_i64())
            .collect();
        assert!(current.contains(&(day + 12 * 60_000)), "{backend}: {pulled}");
        assert_eq!(
            app.get_json("/api/me", &stale.token).await.0,
            401,
            "{backend}: the swept session is gone"
        );
        assert_eq!(app.get_json("/api/me", &ida.token).await.0, 200, "{backend}: the live one stays");
    }
}

/// One person keeps at most so many live records: a record that would be
/// one too many is rejected on its own (the rest of the push is stored, so
/// the device goes on syncing), while edits, retries and deletions go
/// through, and a deletion makes room.
#[tokio::test]
async fn records_past_the_quota_are_rejected_alone_and_a_deletion_makes_room() {
    for backend in backends() {
        let app = spawn_app_configured(backend, |config| {
            config.rates = generous();
            config.max_records_per_person = 5;
        })
        .await;
        let ida = app.participant("Ida").await;
        let day = at(2026, 11, 3, 7);
        let outcomes = |body: &Value| -> Vec<String> {
            body["results"]
                .as_array()
                .expect("results")
                .iter()
                .map(|r| r["outcome"].as_str().unwrap_or("").to_owned())
                .collect()
        };
        let push = |records: Vec<Value>| {
            let (app, token) = (&app, ida.token.clone());
            async move {
                let (status, body) = app.post_json("/api/sync", &token, json!({ "records": records })).await;
                assert_eq!(status, 200, "{backend}: {body}");
                body
            }
        };
        let first: Vec<Value> = (1..=3).map(|n| entry(day, n, 10)).collect();
        assert_eq!(outcomes(&push(first.clone()).await), ["stored"; 3], "{backend}");
        let body = push((4..=6).map(|n| entry(day, n, 10)).collect()).await;
        assert_eq!(outcomes(&body), ["stored", "stored", "rejected"], "{backend}: {body}");
        assert_eq!(body["results"][2]["error"]["code"], "over_quota", "{backend}: {body}");
        let message = body["results"][2]["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains("at most 5 records") && message.contains("keeps 5"), "{backend}: {message}");
        // At the quota: an edit, a retry and a deletion go through...
        let mut edited = first[0].clone();
        edited["updated_at_ms"] = json!(day + 700_000);
        edited["body"]["updated_at_ms"] = json!(day + 700_000);
        let deletion =
            json!({"id": first[1]["id"], "kind": "entry", "updated_at_ms": day + 800_000, "deleted": true});
        let body = push(vec![edited, first[2].clone(), deletion]).await;
        assert_eq!(outcomes(&body), ["stored", "duplicate", "stored"], "{backend}: {body}");
        // ...and the deletion made room for one.
        let body = push(vec![entry(day, 6, 10), entry(day, 7, 10)]).await;
        assert_eq!(outcomes(&body), ["stored", "rejected"], "{backend}: {body}");
        let (_, pulled) = app.get_json("/api/sync?after=0", &ida.token).await;
        assert_eq!(
            pulled["changes"].as_array().map(Vec::len),
            Some(6),
            "{backend}: five live and one deletion"
        );
        let (kept,): (i64,) = stille_server::on_store!(&app.store, pool => {
            sqlx::query_as("SELECT records_kept FROM users WHERE id = $1")
                .bind(&ida.id)
                .fetch_one(pool)
                .await
                .expect("counter")
        });
        assert_eq!(kept, 5, "{backend}: the counter counts live records");
    }
}

/// The bytes one person keeps are counted as records are stored, edited
/// and deleted, and agree with the records themselves; a record that would
/// take them past the quota is rejected, an edit that shrinks them is not.
#[tokio::test]
async fn the_bytes_kept_are_counted_exactly_and_bounded() {
    use serde_json::value::RawValue;
    use stille_server::sync::writer::{Push, Quota, apply};
    let raw = |v: &Value| RawValue::from_string(v.to_string()).expect("JSON");
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let ida = app.participant("Ida").await;
        let day = at(2026, 11, 3, 7);
        let (a, b, c) = (entry(day, 1, 10), entry(day, 2, 10), entry(day, 3, 10));
        let size = |v: &Value| v["body"].to_string().len() as i64;
        let quota = Quota { records: 100, bytes: size(&a) + size(&b) + 10 };
        let kept = || async {
            let (stored, counted): (i64, i64) = stille_server::on_store!(&app.store, pool => {
                let (counted,): (i64,) = sqlx::query_as("SELECT record_bytes_kept FROM users WHERE id = $1")
                    .bind(&ida.id)
                    .fetch_one(pool)
                    .await
                    .expect("counter");
                let bodies: Vec<(Option<String>,)> = sqlx::query_as("SELECT body FROM records WHERE user_id = $1")
                    .bind(&ida.id)
                    .fetch_all(pool)
                    .await
                    .expect("bodies");
                (bodies.iter().map(|(b,)| b.as_deref().map_or(0, str::len) as i64).sum(), counted)
            });
            assert_eq!(stored, counted, "{backend}: the counter agrees with the records");
            counted
        };
        let push = |records: Vec<Value>| {
            let (app, id) = (&app, ida.id.clone());
            async move {
                let records: Vec<Box<RawValue>> = records.iter().map(raw).collect();
                let group = [Push { user_id: &id, records: &records, now: stille_server::now_ms() }];
                let mut answers = apply(&app.store, &group, quota).await.expect("commits");
                let results = answers.pop().expect("one answer").expect("answered");
                results
                    .into_iter()
                    .map(|r| {
                        let outcome = serde_json::to_value(r.outcome).expect("outcome");
                        (outcome.as_str().unwrap_or("").to_owned(), r.error.map(|e| e.message))
                    })
                    .collect::<Vec<_>>()
            }
        };
        let stored = |n: usize| vec![("stored".to_owned(), None); n];
        assert_eq!(push(vec![a.clone(), b.clone()]).await, stored(2), "{backend}");
        assert_eq!(kept().await, size(&a) + size(&b), "{backend}");
        let refused = push(vec![c.clone()]).await;
        assert_eq!(refused[0].0, "rejected", "{backend}: {refused:?}");
        assert!(refused[0].1.as_deref().unwrap_or("").contains("bytes of records"), "{backend}: {refused:?}");
        // A shorter edit of `a` and the deletion of `b` go through, and make room.
        let mut shorter = a.clone();
        shorter["updated_at_ms"] = json!(day + 900_000);
        shorter["body"]["updated_at_ms"] = json!(day + 900_000);
        shorter["body"]["practised_ms"] = json!(60_000);
        let gone = json!({"id": b["id"], "kind": "entry", "updated_at_ms": day + 900_000, "deleted": true});
        assert_eq!(push(vec![shorter.clone(), gone]).await, stored(2), "{backend}");
        assert_eq!(kept().await, size(&shorter), "{backend}");
        assert_eq!(push(vec![c.clone()]).await, stored(1), "{backend}: room again");
        assert_eq!(kept().await, size(&shorter) + size(&c), "{backend}");
    }
}

#[tokio::test]
async fn one_bad_record_is_refused_alone_and_names_its_field() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let ida = app.participant("Ida").await;
        let day = at(2026, 11, 3, 7);
        let mut unknown_practice = entry(day, 3, 10);
        unknown_practice["body"]["practice"] = json!("breathing-cube");
        let mut future = entry(day, 4, 10);
        let far = stille_server::now_ms() + 10 * 86_400_000;
        future["updated_at_ms"] = json!(far);
        future["body"]["updated_at_ms"] = json!(far);
        let mut too_long = entry(day, 5, 10);
        too_long["body"]["practised_ms"] = json!(25 * 3_600_000);
        // A good reflection, but with the id of the entry stored first.
        let taken = entry(day, 1, 10)["id"].clone();
        let wrong_kind = json!({"id": taken, "kind": "reflection", "updated_at_ms": day, "body": {
            "id": taken, "written_at_ms": day, "utc_offset_minutes": 60, "text": "x", "updated_at_ms": day }});
        let batch = json!({"records": [
            entry(day, 1, 10),
            unknown_practice,
            {"id": "not-a-uuid", "kind": "entry", "updated_at_ms": day},
            future,
            too_long,
            "a string",
            {"id": uuid_v7(day as u64, [6; 10]), "kind": "entry", "updated_at_ms": day, "body": {}, "extra": 1},
            entry(day, 2, 10),
            wrong_kind,
        ]});
        let (status, body) = app.post_json("/api/sync", &ida.token, batch).await;
        assert_eq!(status, 200, "{body}");
        let outcomes: Vec<(String, String)> = body["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                (
                    r["outcome"].as_str().unwrap_or("").to_owned(),
                    r["error"]["field"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let expected = [
            ("stored", ""),
            ("rejected", "body.practice"),
            ("rejected", "id"),
            ("rejected", "updated_at_ms"),
            ("rejected", "body.practised_ms"),
            ("rejected", "record"),
            ("rejected", "extra"),
            ("stored", ""),
            ("rejected", "kind"),
        ];
        let expected: Vec<(String, String)> =
            expected.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect();
        assert_eq!(outcomes, expected, "{body}");
        let (_, pulled) = app.get_json("/api/sync", &ida.token).await;
        assert_eq!(
            pulled["changes"].as_array().map(Vec::len),
            Some(2),
            "only the two good records were kept"
        );
        // Too many records in one push is refused as a whole, naming the field.
        let many: Vec<Value> = (0..201).map(|i| entry(day + i, 7, 1)).collect();
        let (status, body) = app.post_json("/api/sync", &ida.token, json!({"records": many})).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "records"));
        let (status, body) = app.get_json("/api/sync?after=-1", &ida.token).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "after"));
        let (status, body) = app.get_json("/api/sync?since=3", &ida.token).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "since"));
        app.stop().await;
    }
}

/// A questionnaire's answers as the app pushes them.
pub fn answers(at_ms: i64, n: u8, instrument: &str, values: Value) -> Value {
    let id = uuid_v7(at_ms as u64, [n; 10]);
    json!({"id": id, "kind": "answers", "updated_at_ms": at_ms, "body": {
        "id": id, "instrument": instrument, "lang": "da", "answers": values,
        "at_ms": at_ms, "utc_offset_minutes": 60, "updated_at_ms": at_ms }})
}

#[tokio::test]
async fn answers_are_checked_against_their_questionnaire_and_pulled_only_by_apps_that_read_them() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let ida = app.participant("Ida").await;
        let day = at(2026, 11, 3, 7);
        let batch = json!({"records": [
            entry(day, 1, 10),
            answers(day, 2, "who-5", json!([3, 4, 2, 5, 1])),
            answers(day, 3, "who-5", json!([3, 4, null, 5, 1])),
            answers(day, 4, "who-5", json!([3, 4, 2, 6, 1])),
            answers(day, 5, "who-6", json!([3, 4, 2, 5, 1])),
            answers(day, 6, "pss-10", json!([3, 4, 2, 5, 1])),
            entry(day, 7, 10),
        ]});
        let (status, body) = app.post_json("/api/sync", &ida.token, batch).await;
        assert_eq!(status, 200, "{body}");
        let results = body["results"].as_array().expect("results");
        let outcomes: Vec<&str> = results.iter().map(|r| r["outcome"].as_str().unwrap_or("")).collect();
        assert_eq!(
            outcomes,
            ["stored", "stored", "rejected", "rejected", "rejected", "rejected", "stored"],
            "{body}"
        );
        let messages: Vec<String> = results[2..6]
            .iter()
            .map(|r| {
                let error = &r["error"];
                format!(
                    "{} {}",
                    error["field"].as_str().unwrap_or(""),
                    error["message"].as_str().unwrap_or("")
                )
            })
            .collect();
        assert!(messages.iter().all(|m| m.starts_with("body.answers ")), "{messages:?}");
        assert!(messages[0].contains("unanswered: item 3; who-5 needs every item answered"), "{messages:?}");
        assert!(messages[1].contains("item 4: 6 is not one of the answers"), "{messages:?}");
        assert!(messages[2].contains("\"who-6\" is not one this version of Stille knows"), "{messages:?}");
        assert!(messages[3].contains("pss-10 has 10 items; 5 answers were given"), "{messages:?}");

        // An app that speaks protocol 1 cannot read answers: it is not sent
        // them, but its cursor passes them.
        let (_, old) = app.get_json("/api/sync?after=0", &ida.token).await;
        let kinds: Vec<&str> = old["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .map(|c| c["kind"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(kinds, ["entry", "entry"]);
        assert_eq!(old["cursor"], 3, "past the answers too: {old}");
        let (_, new) = app.get_json("/api/sync?after=0&version=2", &ida.token).await;
        let kinds: Vec<&str> = new["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .map(|c| c["kind"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(kinds, ["entry", "answers", "entry"]);
        assert_eq!(new["changes"][1]["body"]["answers"], json!([3, 4, 2, 5, 1]));
        let (status, body) = app.get_json("/api/sync?version=3", &ida.token).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "version"));
        // The export holds them whatever the protocol.
        let (_, export) = app.get_json("/api/me/export", &ida.token).await;
        assert!(export.to_string().contains("\"instrument\":\"who-5\""), "{export}");
        app.stop().await;
    }
}

/// One version of one record in the property test.
#[derive(Clone, Debug)]
struct Version {
    record: u8,
    /// Distinct per record, so "the latest edit" is well defined.
    edit: u8,
    deleted: bool,
}

impl Version {
    fn json(&self) -> Value {
        let start = at(2026, 11, 2, 7) + i64::from(self.record) * 3_600_000;
        let id = uuid_v7(start as u64, [self.record; 10]);
        let updated = start + 600_000 + i64::from(self.edit) * 1_000;
        if self.deleted {
            return json!({"id": id, "kind": "entry", "updated_at_ms": updated, "deleted": true});
        }
        json!({"id": id, "kind": "entry", "updated_at_ms": updated, "body": {
            "id": id, "practice": "breathing-box", "started_at_ms": start, "utc_offset_minutes": 60,
            "planned_ms": 600_000, "practised_ms": 1_000 * u32::from(self.edit), "ending": "completed",
            "lang": "da", "updated_at_ms": updated }})
    }
}

/// What a device does.
#[derive(Clone, Debug)]
enum Step {
    /// Push these versions (indices into the device's list) as one batch.
    Push { device: usize, versions: Vec<usize> },
    /// Push the device's last batch again (its answer was lost).
    Retry { device: usize },
    /// Pull pages of `limit` after the device's cursor.
    Pull { device: usize, limit: usize },
}

fn scenario() -> impl Strategy<Value = (Vec<Version>, Vec<Step>)> {
    // Up to 6 records, each with up to 4 edits (distinct edit numbers) and maybe a deletion.
    let versions =
        prop::collection::vec((0u8..6, prop::collection::btree_set(0u8..40, 1..4), any::<bool>()), 1..6)
            .prop_map(|records| {
                let mut versions = Vec::new();
                for (record, edits, delete) in records {
                    for edit in edits {
                        versions.push(Version { record, edit, deleted: false });
                    }
                    if delete {
                        versions.push(Version { record, edit: 50, deleted: true });
                    }
                }
                // Two records may have drawn the same number: keep one of each (record, edit).
                versions.sort_by_key(|v| (v.record, v.edit));
                versions.dedup_by_key(|v| (v.record, v.edit));
                versions
            });
    versions.prop_flat_map(|versions| {
        let n = versions.len();
        let step = prop_oneof![
            (0..2usize, prop::collection::vec(0..n, 1..5))
                .prop_map(|(device, versions)| Step::Push { device, versions }),
            (0..2usize).prop_map(|device| Step::Retry { device }),
            (0..2usize, 1..4usize).prop_map(|(device, limit)| Step::Pull { device, limit }),
        ];
        (Just(versions), prop::collection::vec(step, 1..14))
    })
}

/// A device's view: its cursor and the records it pulled.
#[derive(Default)]
struct Device {
    cursor: i64,
    records: BTreeMap<String, Value>,
    last_batch: Vec<Value>,
}

async fn pull_all(app: &TestApp, token: &str, device: &mut Device, limit: usize) {
    loop {
        let (status, page) =
            app.get_json(&format!("/api/sync?after={}&limit={limit}", device.cursor), token).await;
        assert_eq!(status, 200, "{page}");
        let mut last = device.cursor;
        for change in page["changes"].as_array().expect("changes") {
            let seq = change["seq"].as_i64().expect("seq");
            assert!(seq > last, "sequence numbers rise within and across pages");
            last = seq;
            let id = change["id"].as_str().expect("id").to_owned();
            device.records.insert(id, change.clone());
        }
        device.cursor = page["cursor"].as_i64().expect("cursor");
        if page["more"] == false {
            break;
        }
    }
}

async fn run_scenario(app: &TestApp, versions: &[Version], steps: &[Step]) {
    let person = app.participant(&format!("P{}", crate::helpers::unique())).await;
    let mut devices = [Device::default(), Device::default()];
    let mut pushed: Vec<&Version> = Vec::new();
    for step in steps {
        match step {
            Step::Push { device, versions: picks } => {
                let batch: Vec<Value> = picks.iter().map(|i| versions[*i].json()).collect();
                let (status, body) =
                    app.post_json("/api/sync", &person.token, json!({"records": batch})).await;
                assert_eq!(status, 200, "{body}");
                assert!(
                    body["results"].as_array().expect("results").iter().all(|r| r["outcome"] != "rejected"),
                    "{body}"
                );
                pushed.extend(picks.iter().map(|i| &versions[*i]));
                devices[*device].last_batch = batch;
            }
            Step::Retry { device } => {
                let batch = devices[*device].last_batch.clone();
                let before = app.get_json("/api/sync", &person.token).await.1;
                let (status, body) =
                    app.post_json("/api/sync", &person.token, json!({"records": batch})).await;
                assert_eq!(status, 200, "{body}");
                for result in body["results"].as_array().expect("results") {
                    assert!(result["outcome"] == "duplicate", "a retry is a duplicate: {body}");
                }
                assert_eq!(
                    app.get_json("/api/sync", &person.token).await.1,
                    before,
                    "a retry changes nothing"
                );
            }
            Step::Pull { device, limit } => pull_all(app, &person.token, &mut devices[*device], *limit).await,
        }
    }
    // Expected: per record pushed, its deletion if pushed, else its latest edit.
    let mut expected: BTreeMap<String, Value> = BTreeMap::new();
    for version in &pushed {
        let json = version.json();
        let id = json["id"].as_str().expect("id").to_owned();
        let keep = match expected.get(&id) {
            None => true,
            Some(current) => {
                current["deleted"] != true
                    && (version.deleted || json["updated_at_ms"].as_i64() > current["updated_at_ms"].as_i64())
            }
        };
        if keep {
            let mut current = json;
            current["deleted"] = json!(version.deleted);
            expected.insert(id, current);
        }
    }
    let mut fresh = Device::default();
    pull_all(app, &person.token, &mut fresh, stille_practice::sync::MAX_PAGE).await;
    for device in devices.iter_mut() {
        pull_all(app, &person.token, device, 2).await;
    }
    for (name, device) in [("a fresh device", &fresh), ("device 0", &devices[0]), ("device 1", &devices[1])] {
        let got: BTreeMap<String, (Value, Value, Value)> = device
            .records
            .iter()
            .map(|(id, c)| {
                (id.clone(), (c["updated_at_ms"].clone(), c["deleted"].clone(), c["body"].clone()))
            })
            .collect();
        let want: BTreeMap<String, (Value, Value, Value)> = expected
            .iter()
            .map(|(id, r)| {
                let body = if r["deleted"] == true { Value::Null } else { r["body"].clone() };
                (id.clone(), (r["updated_at_ms"].clone(), r["deleted"].clone(), body))
            })
            .collect();
        assert_eq!(got, want, "{name} holds exactly the union, each at its winning version");
    }
}

#[test]
fn sync_converges_to_the_union_whatever_the_order_batching_and_retries() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    for backend in backends() {
        let app = runtime.block_on(spawn_app_with(backend, None, generous()));
        let cases = if backend == "postgres" { 24 } else { 40 };
        let mut runner =
            proptest::test_runner::TestRunner::new(ProptestConfig { cases, ..ProptestConfig::default() });
        let outcome = runner.run(&scenario(), |(versions, steps)| {
            runtime.block_on(run_scenario(&app, &versions, &steps));
            Ok(())
        });
        if let Err(failure) = outcome {
            panic!("{backend}: {failure}");
        }
        runtime.block_on(app.stop());
    }
}

#[tokio::test]
async fn a_push_needs_a_session_and_json() {
    let app = spawn_app_with("sqlite", None, generous()).await;
    let (status, _) = app.call(Method::POST, "/api/sync", None, Some(json!({"records": []}))).await;
    assert_eq!(status, 401);
    let ida = app.participant("Ida").await;
    let response = app
        .http
        .post(app.url("/api/sync"))
        .bearer_auth(&ida.token)
        .header("content-type", "text/plain")
        .body("{\"records\": []}")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 415);
    app.stop().await;
}

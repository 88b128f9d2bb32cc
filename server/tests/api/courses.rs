//! A course from start to end over HTTP: an instructor makes it from a
//! template, participants join with their consent, practise and sync, the
//! instructor reads the report (only what was consented), people leave or are
//! removed, and a participant exports and erases their data.

use reqwest::Method;
use serde_json::{Value, json};
use stille_practice::log::uuid_v7;
use stille_practice::stats::Date;

use crate::helpers::{PASSWORD, TestApp, backends, error_of, generous, spawn_app_with};

/// ms since 1970 of a UTC date and hour.
pub fn at(y: i32, m: u32, d: u32, hour: i64) -> i64 {
    i64::from(Date::from_ymd(y, m, d).expect("date").0) * 86_400_000 + hour * 3_600_000
}

fn id(ms: i64, seed: u8) -> String {
    uuid_v7(ms as u64, [seed; 10])
}

/// A log entry record: `minutes` of breathing-box practice started at `ms`.
pub fn entry(ms: i64, seed: u8, minutes: u32) -> Value {
    let id = id(ms, seed);
    let updated = ms + i64::from(minutes) * 60_000;
    json!({"id": id, "kind": "entry", "updated_at_ms": updated, "body": {
        "id": id, "practice": "breathing-box", "started_at_ms": ms, "utc_offset_minutes": 60,
        "planned_ms": minutes * 60_000, "practised_ms": minutes * 60_000, "ending": "completed",
        "lang": "da", "updated_at_ms": updated }})
}

/// A 5-minute practice stopped after `seconds`.
pub fn stopped(ms: i64, seed: u8, seconds: u32) -> Value {
    let mut record = entry(ms, seed, 5);
    record["body"]["practised_ms"] = json!(seconds * 1000);
    record["body"]["ending"] = json!("stopped");
    record
}

pub fn check_in(ms: i64, seed: u8, moment: &str, distress: u8) -> Value {
    let id = id(ms, seed);
    json!({"id": id, "kind": "check-in", "updated_at_ms": ms, "body": {
        "id": id, "moment": moment, "at_ms": ms, "utc_offset_minutes": 60, "distress": distress,
        "ladder": "ventral", "updated_at_ms": ms }})
}

pub fn reflection(ms: i64, seed: u8, text: &str, shared: bool) -> Value {
    let id = id(ms, seed);
    json!({"id": id, "kind": "reflection", "updated_at_ms": ms, "body": {
        "id": id, "written_at_ms": ms, "utc_offset_minutes": 60, "text": text, "shared": shared,
        "updated_at_ms": ms }})
}

pub async fn push(app: &TestApp, token: &str, records: Vec<Value>) -> Value {
    let (status, body) = app.post_json("/api/sync", token, json!({ "records": records })).await;
    assert_eq!(status, 200, "{body}");
    for result in body["results"].as_array().expect("results") {
        assert_eq!(result["outcome"], "stored", "{result}");
    }
    body
}

/// A course report as CSV (in `lang`, when given): status, content type,
/// the file name it is downloaded as, and the text.
struct Csv {
    status: u16,
    content_type: String,
    disposition: String,
    text: String,
}

async fn report_csv(app: &TestApp, course: &str, token: &str, lang: Option<&str>) -> Csv {
    let query = lang.map_or_else(String::new, |lang| format!("&lang={lang}"));
    let response = app
        .http
        .get(app.url(&format!("/api/courses/{course}/report?format=csv{query}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("csv");
    let header = |name: &str| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    let status = response.status().as_u16();
    Csv { status, content_type, disposition, text: response.text().await.expect("text") }
}

#[tokio::test]
async fn a_course_from_template_to_report_with_consent_respected() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        let (course, code) = app.course(&birgit, Some("msc")).await;
        let (status, assignments) =
            app.get_json(&format!("/api/courses/{course}/assignments"), &birgit.token).await;
        assert_eq!(status, 200);
        let weeks = assignments["weeks"].as_array().expect("weeks");
        assert!(weeks.len() >= 8, "MSC's eight weekly sessions became assignments: {assignments}");

        let ida = app.participant("Ida").await;
        let jens = app.participant("Jens").await;
        let karen = app.participant("Karen").await;
        let (status, joined) = app.join(&ida, &code, true, true).await;
        assert_eq!(status, 201, "{joined}");
        assert_eq!(joined["role"], "participant");
        assert_eq!(joined["instructor"], "Birgit");
        assert!(joined.get("invite").is_none(), "participants never see the invite: {joined}");
        let (status, _) = app.join(&jens, &code, false, false).await;
        assert_eq!(status, 201);
        // Codes are read however they are typed.
        let typed = code.to_lowercase().replace('-', " ");
        let (status, body) = app.join(&karen, &typed, true, false).await;
        assert_eq!(status, 201, "{body}");
        let (status, body) = app.join(&karen, &code, true, false).await;
        assert_eq!((status, error_of(&body).0.as_str()), (409, "conflict"), "joining twice");
        // Consent is explicit: both answers are required.
        let (status, body) = app
            .post_json("/api/join", &karen.token, json!({"code": code, "consent": {"adherence": true}}))
            .await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "consent.reflections"), "{body}");

        // They joined before the course began (reports read from joining on).
        for who in [&ida, &jens, &karen] {
            app.backdate_joining(&course, who, at(2026, 10, 30, 12)).await;
        }
        let (_, list) = app.get_json("/api/courses", &birgit.token).await;
        assert_eq!(list["teaching"][0]["participants"], 3, "{list}");
        let (_, list) = app.get_json("/api/courses", &ida.token).await;
        assert_eq!(
            list["joined"][0]["consent"],
            json!({"adherence": true, "reflections": true, "group_results": false, "answers": false}),
            "an app that asked two questions gave two consents"
        );

        // Week 1 is 2 to 8 November 2026; Ida practises three days, Jens two.
        let day = |d: u32| at(2026, 11, d, 7);
        push(
            &app,
            &ida.token,
            vec![
                entry(day(3), 1, 10),
                entry(day(4), 2, 10),
                entry(day(4) + 3_600_000, 3, 5),
                entry(day(6), 4, 20),
                // A start stopped after 20 s counts for no day, minute or time done.
                stopped(day(7), 11, 20),
                check_in(day(3), 5, "before", 6),
                check_in(day(3) + 700_000, 6, "after", 2),
                reflection(day(3) + 800_000, 7, "Det var godt at trække vejret.", true),
                reflection(day(4) + 800_000, 8, "Privat note.", false),
            ],
        )
        .await;
        push(&app, &jens.token, vec![entry(day(3), 9, 30), reflection(day(3), 10, "Jens' delte note", true)])
            .await;

        let (status, report) = app.get_json(&format!("/api/courses/{course}/report"), &birgit.token).await;
        assert_eq!(status, 200, "{report}");
        let people = report["participants"].as_array().expect("participants");
        let person = |name: &str| people.iter().find(|p| p["display_name"] == name).expect("listed").clone();
        let ida_report = person("Ida");
        assert_eq!(ida_report["weeks"][0]["minutes"], 45, "{ida_report}");
        assert_eq!(ida_report["weeks"][0]["days"], 3);
        // The week from Monday 2 November, day by day, and the practices done.
        assert_eq!(ida_report["weeks"][0]["daily_minutes"], json!([0, 10, 15, 0, 20, 0, 0]));
        assert_eq!(ida_report["weeks"][0]["sessions"], 4);
        assert_eq!(ida_report["weeks"][0]["check_ins"]["distress_before_mean"], 6.0);
        assert_eq!(ida_report["weeks"][0]["check_ins"]["distress_after_mean"], 2.0);
        let reflections = ida_report["reflections"].as_array().expect("reflections");
        assert_eq!(reflections.len(), 1, "only the reflection marked shared: {reflections:?}");
        assert_eq!(reflections[0]["text"], "Det var godt at trække vejret.");
        let jens_report = person("Jens");
        assert_eq!(jens_report["shares_adherence"], false);
        assert_eq!(jens_report["weeks"], json!([]), "nothing from someone who did not consent");
        assert_eq!(jens_report["reflections"], json!([]), "not even a note marked shared");
        assert!(!report.to_string().contains("Privat note"), "a private note never reaches the instructor");
        assert!(!report.to_string().contains("Jens' delte note"));

        // The CSV has the same figures.
        let english = report_csv(&app, &course, &birgit.token, None).await;
        assert_eq!(english.status, 200);
        assert!(english.content_type.starts_with("text/csv"), "{}", english.content_type);
        let csv = english.text;
        let ida_week_1 = csv.lines().find(|l| l.starts_with("Ida,1,")).expect("Ida's week 1 row");
        assert!(ida_week_1.starts_with("Ida,1,2026-11-02,true,45,3,"), "{ida_week_1}");
        assert!(csv.lines().any(|l| l.starts_with("Jens,,,false")), "{csv}");
        assert!(csv.starts_with("\u{feff}participant,week,"), "a byte-order mark, then the header: {csv}");
        assert_eq!(english.disposition, "attachment; filename=\"stille-report-msc-foraar.csv\"");

        // For a Danish spreadsheet: Danish columns, `;`, decimal commas.
        let danish_csv = report_csv(&app, &course, &birgit.token, Some("da")).await;
        assert_eq!(danish_csv.status, 200);
        let danish = danish_csv.text;
        let mut lines = danish.lines();
        let header = lines.next().expect("a header");
        assert!(
            header.starts_with("\u{feff}Deltager;Uge;Ugen begynder;Deler hjemmepraksis;Minutter;"),
            "{header}"
        );
        assert_eq!(header.split(';').count(), 14, "{header}");
        let ida_week_1 = danish.lines().find(|l| l.starts_with("Ida;1;")).expect("Ida's week 1 row");
        assert!(ida_week_1.starts_with("Ida;1;2026-11-02;ja;45;3;"), "{ida_week_1}");
        assert!(
            ida_week_1.contains(";2;6,0;2,0;"),
            "two check-ins, means with a decimal comma: {ida_week_1}"
        );
        assert!(danish.lines().all(|l| l.split(';').count() == 14), "every row has every column: {danish}");
        assert!(danish.lines().any(|l| l.starts_with("Jens;;;nej;")), "{danish}");
        assert_eq!(danish_csv.disposition, "attachment; filename=\"stille-rapport-msc-foraar.csv\"");
        let (status, body) = app
            .call(
                Method::GET,
                &format!("/api/courses/{course}/report?format=csv&lang=sv"),
                Some(&birgit.token),
                None,
            )
            .await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "lang"), "{body}");

        // Ida withdraws consent: the next report shows nothing of hers.
        let (status, body) = app
            .call(
                Method::PUT,
                &format!("/api/courses/{course}/consent"),
                Some(&ida.token),
                Some(json!({"adherence": false, "reflections": false})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, report) = app.get_json(&format!("/api/courses/{course}/report"), &birgit.token).await;
        assert!(!report.to_string().contains("trække vejret"), "withdrawn consent is respected at once");

        // Jens leaves; Birgit removes Karen.
        let (status, _) = app
            .call(Method::DELETE, &format!("/api/courses/{course}/membership"), Some(&jens.token), None)
            .await;
        assert_eq!(status, 204);
        let (status, _) = app.get_json(&format!("/api/courses/{course}"), &jens.token).await;
        assert_eq!(status, 404, "a former member no longer sees the course");
        let path = format!("/api/courses/{course}/members/{}", karen.id);
        assert_eq!(app.call(Method::DELETE, &path, Some(&birgit.token), None).await.0, 204);
        assert_eq!(app.call(Method::DELETE, &path, Some(&birgit.token), None).await.0, 404);
        let (_, members) = app.get_json(&format!("/api/courses/{course}/members"), &birgit.token).await;
        assert_eq!(members["members"].as_array().map(Vec::len), Some(1), "{members}");
        app.stop().await;
    }
}

#[tokio::test]
async fn an_invite_shows_its_course_before_joining_without_an_account() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        let (course, code) = app.course(&birgit, Some("msc")).await;
        let preview = |code: String| {
            let app = &app;
            async move { app.call(Method::POST, "/api/join/preview", None, Some(json!({ "code": code }))).await }
        };
        // Typed loosely (lower case, spaces instead of hyphens), anonymously.
        let (status, body) = preview(code.to_lowercase().replace('-', " ")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["instructor"], "Birgit");
        assert_eq!(body["template"], "msc");
        assert_eq!(body["weeks"], 8, "the MSC template's eight weeks: {body}");
        assert_eq!(body["open"], true);
        assert!(body.get("id").is_none() && body.get("invite").is_none(), "no id or code leaks: {body}");
        let (status, body) = preview("0000-0000-0000".into()).await;
        assert_eq!(status, 404, "{body}");
        let (status, _) = preview("not a code".into()).await;
        assert_eq!(status, 404);
        // A full course says so before anyone signs up.
        let path = format!("/api/courses/{course}");
        app.call(Method::PATCH, &path, Some(&birgit.token), Some(json!({"capacity": 1}))).await;
        let ida = app.participant("Ida").await;
        assert_eq!(app.join(&ida, &code, true, false).await.0, 201);
        assert_eq!(preview(code.clone()).await.1["open"], false);
        app.stop().await;
    }
}

#[tokio::test]
async fn closed_full_and_expired_courses_refuse_joiners() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        let (course, code) = app.course(&birgit, None).await;
        let path = format!("/api/courses/{course}");
        let (status, body) = app
            .call(Method::PATCH, &path, Some(&birgit.token), Some(json!({"capacity": 1, "open": false})))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!((body["capacity"].clone(), body["open"].clone()), (json!(1), json!(false)));
        let ida = app.participant("Ida").await;
        let (status, body) = app.join(&ida, &code, true, true).await;
        assert_eq!(status, 409, "closed: {body}");
        app.call(Method::PATCH, &path, Some(&birgit.token), Some(json!({"open": true}))).await;
        assert_eq!(app.join(&ida, &code, true, true).await.0, 201);
        let jens = app.participant("Jens").await;
        let (status, body) = app.join(&jens, &code, true, true).await;
        assert_eq!(status, 409, "full: {body}");
        assert!(body["error"]["message"].as_str().unwrap_or_default().contains("full"));
        // A rotated code replaces the old one; a closed invite lets nobody in.
        let (_, fresh) =
            app.post_json(&format!("{path}/invite"), &birgit.token, json!({"valid_days": 1})).await;
        app.call(Method::PATCH, &path, Some(&birgit.token), Some(json!({"capacity": 13}))).await;
        assert_eq!(app.join(&jens, &code, true, true).await.0, 404, "the old code is gone");
        let fresh = fresh["code"].as_str().expect("code").to_owned();
        app.call(Method::DELETE, &format!("{path}/invite"), Some(&birgit.token), None).await;
        assert_eq!(app.join(&jens, &fresh, true, true).await.0, 404, "the invite was closed");
        let (_, course_now) = app.get_json(&path, &birgit.token).await;
        assert_eq!(course_now["invite"], Value::Null);
        app.stop().await;
    }
}

#[tokio::test]
async fn instructors_edit_assignments_and_participants_read_them() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        let (course, code) = app.course(&birgit, None).await;
        let ida = app.participant("Ida").await;
        app.join(&ida, &code, true, false).await;
        let path = format!("/api/courses/{course}/assignments/2");
        let good = json!({"practices": [{"practice": "breathing-box", "minutes": 3, "days": 6}]});
        let (status, body) = app.call(Method::PUT, &path, Some(&birgit.token), Some(good)).await;
        assert_eq!(status, 200, "{body}");
        let bad_cases = [
            (
                json!({"practices": [{"practice": "breathing-cube", "minutes": 3, "days": 6}]}),
                "practices[0].practice",
            ),
            (
                json!({"practices": [{"practice": "breathing-box", "minutes": 4, "days": 6}]}),
                "practices[0].minutes",
            ),
            (
                json!({"practices": [{"practice": "breathing-box", "minutes": 3, "days": 8}]}),
                "practices[0].days",
            ),
            (
                json!({"practices": [{"practice": "breathing-box", "minutes": 3, "days": 1, "per_day": 9}]}),
                "practices[0].per_day",
            ),
        ];
        for (form, field) in bad_cases {
            let (status, body) = app.call(Method::PUT, &path, Some(&birgit.token), Some(form.clone())).await;
            assert_eq!((status, error_of(&body).1.as_str()), (422, field), "{form}: {body}");
        }
        let (status, _) = app
            .call(
                Method::PUT,
                &format!("/api/courses/{course}/assignments/53"),
                Some(&birgit.token),
                Some(json!({"practices": []})),
            )
            .await;
        assert_eq!(status, 422);
        let (status, _) =
            app.call(Method::PUT, &path, Some(&ida.token), Some(json!({"practices": []}))).await;
        assert_eq!(status, 403, "participants read assignments, they do not write them");
        let (status, body) = app.get_json(&format!("/api/courses/{course}/assignments"), &ida.token).await;
        assert_eq!(status, 200);
        assert_eq!(
            body["weeks"],
            json!([{"week": 2, "practices": [{"practice": "breathing-box", "minutes": 3, "days": 6, "per_day": 1}]}]),
            "the bad edits changed nothing"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn a_participant_exports_everything_and_erases_their_account() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        let (course, code) = app.course(&birgit, Some("mbsr")).await;
        let ida = app.participant("Ida").await;
        app.join(&ida, &code, true, true).await;
        let day = at(2026, 11, 3, 7);
        push(&app, &ida.token, vec![entry(day, 1, 10), reflection(day, 2, "Min note", true)]).await;
        let (status, export) = app.get_json("/api/me/export", &ida.token).await;
        assert_eq!(status, 200);
        assert_eq!(export["format"], "stille-server-export-v1");
        assert_eq!(export["account"]["email"], "ida@example.dk");
        assert_eq!(export["memberships"][0]["course_id"], course.as_str());
        assert_eq!(export["records"].as_array().map(Vec::len), Some(2), "{export}");
        assert_eq!(export["record_history"].as_array().map(Vec::len), Some(2));
        assert!(!export.to_string().contains("password"), "no password hash in the export");
        assert!(!export.to_string().contains(&ida.token), "no session token in the export");
        let (_, teaching) = app.get_json("/api/me/export", &birgit.token).await;
        assert_eq!(teaching["teaching"][0]["id"], course.as_str());
        assert!(
            !teaching.to_string().contains("Min note"),
            "an instructor's export holds no participant's records"
        );

        let erase = |password: &str, confirm: &str| json!({"password": password, "confirm": confirm});
        let (status, body) = app.post_json("/api/me/erase", &ida.token, erase(PASSWORD, "yes")).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "confirm"));
        let (status, body) =
            app.post_json("/api/me/erase", &ida.token, erase("wrong password", "erase my account")).await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "password"));
        assert_eq!(app.get_json("/api/me", &ida.token).await.0, 200, "nothing erased yet");
        let (status, _) =
            app.post_json("/api/me/erase", &ida.token, erase(PASSWORD, "erase my account")).await;
        assert_eq!(status, 204);
        assert_eq!(app.get_json("/api/me", &ida.token).await.0, 401, "sessions are gone");
        let (status, _) = app
            .call(
                Method::POST,
                "/api/sessions",
                None,
                Some(json!({"email": "ida@example.dk", "password": PASSWORD})),
            )
            .await;
        assert_eq!(status, 401, "the account is gone");
        for table in ["records", "record_versions", "memberships", "sessions"] {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE user_id = $1");
            let (rows,): (i64,) = stille_server::on_store!(&app.store, pool => {
                sqlx::query_as(&sql).bind(&ida.id).fetch_one(pool).await.expect("count")
            });
            assert_eq!(rows, 0, "{table} still holds Ida's rows");
        }
        let (_, report) = app.get_json(&format!("/api/courses/{course}/report"), &birgit.token).await;
        assert_eq!(report["participants"], json!([]));
        app.stop().await;
    }
}

#[tokio::test]
async fn a_meeting_plan_moves_the_weeks_and_fills_the_calendar() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        let (course, code) = app.course(&birgit, Some("msc")).await;
        let path = format!("/api/courses/{course}");
        let (_, made) = app.get_json(&path, &birgit.token).await;
        assert_eq!(made["meetings"]["minutes"], 165, "MSC's sessions last 2 h 45: {made}");

        // Sessions on Mondays from 2 November, 17:30; no session on 16 November.
        let plan = json!({
            "time": "17:30", "minutes": 165, "place": "Sundhedshuset, lokale 2; 1. sal",
            "skipped": ["2026-11-16"],
            "retreat": {"date": "2026-11-28", "time": "10:00", "minutes": 240},
        });
        let (status, saved) =
            app.call(Method::PATCH, &path, Some(&birgit.token), Some(json!({"meetings": plan}))).await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["meetings"]["skipped"], json!(["2026-11-16"]));
        // A Tuesday is not a session day: refused, saying so, and the plan stays.
        let (status, body) = app
            .call(
                Method::PATCH,
                &path,
                Some(&birgit.token),
                Some(json!({"meetings": {"skipped": ["2026-11-17"]}})),
            )
            .await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "meetings"), "{body}");
        assert!(
            body["error"]["message"].as_str().unwrap_or_default().contains("not a session day"),
            "{body}"
        );
        // A plan is an object, its retreat one too (serde alone would read a list of fields).
        for body in [json!({"meetings": [null, null]}), json!({"meetings": {"retreat": ["2026-11-28"]}})] {
            let (status, answer) = app.call(Method::PATCH, &path, Some(&birgit.token), Some(body)).await;
            assert_eq!((status, error_of(&answer).1.as_str()), (422, "meetings"), "{answer}");
        }
        let (_, kept) = app.get_json(&path, &birgit.token).await;
        assert_eq!(kept["meetings"], saved["meetings"]);
        // Moving the start to a Tuesday would put the holiday off the weekday.
        let (status, body) = app
            .call(Method::PATCH, &path, Some(&birgit.token), Some(json!({"start_date": "2026-11-03"})))
            .await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "meetings"), "{body}");

        let ida = app.participant("Ida").await;
        let (status, joined) = app.join(&ida, &code, true, false).await;
        assert_eq!(status, 201, "{joined}");
        assert_eq!(joined["meetings"]["place"], "Sundhedshuset, lokale 2; 1. sal");
        app.backdate_joining(&course, &ida, at(2026, 10, 30, 12)).await;

        // The calendar, read by an iCalendar parser.
        let response = app
            .http
            .get(app.url(&format!("/api/courses/{course}/calendar.ics")))
            .bearer_auth(&ida.token)
            .send()
            .await
            .expect("the calendar");
        assert_eq!(response.status().as_u16(), 200);
        let content_type =
            response.headers()[reqwest::header::CONTENT_TYPE].to_str().unwrap_or_default().to_owned();
        assert!(content_type.starts_with("text/calendar"), "{content_type}");
        let text = response.text().await.expect("text");
        let mut calendars = ical::IcalParser::new(text.as_bytes());
        let calendar = calendars.next().expect("one calendar").expect("it parses");
        assert!(calendars.next().is_none());
        let property = |event: &ical::parser::ical::component::IcalEvent, name: &str| {
            event.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone()).unwrap_or_default()
        };
        let events: Vec<(String, String, String, String)> = calendar
            .events
            .iter()
            .map(|e| {
                (
                    property(e, "DTSTART"),
                    property(e, "DTEND"),
                    property(e, "SUMMARY"),
                    property(e, "LOCATION"),
                )
            })
            .collect();
        assert_eq!(events.len(), 9, "eight sessions and the retreat: {events:?}");
        // Copenhagen is UTC+1 in winter: 17:30 is 16:30Z, and 2 h 45 later 19:15Z.
        assert_eq!(events[0].0, "20261102T163000Z");
        assert_eq!(events[0].1, "20261102T191500Z");
        assert_eq!(events[0].2, "MSC forår: 1. gang");
        assert_eq!(events[0].3, "Sundhedshuset\\, lokale 2\\; 1. sal", "escaped as RFC 5545 says");
        assert_eq!(events[3].0, "20261128T090000Z", "the retreat, 10:00 for four hours");
        assert_eq!(events[3].1, "20261128T130000Z");
        assert!(events[3].2.contains("Retræte"), "{:?}", events[3]);
        let starts: Vec<&str> = events.iter().map(|e| &e.0[..8]).collect();
        assert_eq!(
            starts,
            [
                "20261102", "20261109", "20261123", "20261128", "20261130", "20261207", "20261214",
                "20261221", "20261228"
            ],
            "no session on 16 November; the rest a week on"
        );
        assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'), "lines end in CRLF");
        let stranger = app.participant("Jens").await;
        let (status, _) = app.get_json(&format!("/api/courses/{course}/calendar.ics"), &stranger.token).await;
        assert_eq!(status, 404, "only the course's people read its calendar");

        // Practice on 24 November is week 3's: the holiday week belongs to none.
        push(&app, &ida.token, vec![entry(at(2026, 11, 24, 7), 1, 10), entry(at(2026, 11, 17, 7), 2, 10)])
            .await;
        let (status, report) = app.get_json(&format!("/api/courses/{course}/report"), &birgit.token).await;
        assert_eq!(status, 200, "{report}");
        let weeks = report["participants"][0]["weeks"].as_array().expect("weeks");
        let week = |n: u64| weeks.iter().find(|w| w["week"] == n).expect("the week");
        assert_eq!(week(3)["start_date"], "2026-11-23");
        assert_eq!(week(3)["minutes"], 10);
        assert_eq!(week(2)["start_date"], "2026-11-09");
        assert_eq!(week(2)["minutes"], 0, "17 November is in the holiday week");
        assert_eq!(report["skipped"], json!(["2026-11-16"]));

        // Now that Ida is in, the weeks she has lived stay: no free day in
        // the past, no taking one back, no opening the group; a day ahead can.
        let mut plan = saved["meetings"].clone();
        for (skipped, rolling) in
            [(json!(["2026-11-16", "2026-11-30"]), false), (json!([]), false), (json!(["2026-11-16"]), true)]
        {
            plan["skipped"] = skipped;
            plan["rolling"] = json!(rolling);
            let (status, body) =
                app.call(Method::PATCH, &path, Some(&birgit.token), Some(json!({"meetings": plan}))).await;
            assert_eq!((status, error_of(&body).0.as_str()), (409, "conflict"), "{plan}: {body}");
        }
        let ahead =
            Date::of(stille_server::now_ms(), 0, stille_practice::stats::DayRule { grace_minutes: 0 });
        let next_monday = ahead.add_days(7 - ahead.weekday() as i32);
        let (y, m, d) = next_monday.ymd();
        plan["skipped"] = json!(["2026-11-16", format!("{y:04}-{m:02}-{d:02}")]);
        plan["rolling"] = json!(false);
        let (status, body) =
            app.call(Method::PATCH, &path, Some(&birgit.token), Some(json!({"meetings": plan}))).await;
        assert_eq!(status, 200, "a day ahead can be made free: {body}");
        app.stop().await;
    }
}

#[tokio::test]
async fn in_an_open_group_a_late_joiner_practises_their_own_week_1() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        // A wellbeing group from 2 November, open: people join when they can.
        let (course, code) = app.course(&birgit, Some("wellbeing-group")).await;
        let path = format!("/api/courses/{course}");
        let (status, saved) = app
            .call(Method::PATCH, &path, Some(&birgit.token), Some(json!({"meetings": {"rolling": true}})))
            .await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["meetings"]["rolling"], true);
        let (_, weeks) = app.get_json(&format!("{path}/assignments"), &birgit.token).await;
        let first =
            weeks["weeks"][0]["practices"][0]["practice"].as_str().expect("week 1's practice").to_owned();
        let third =
            weeks["weeks"][2]["practices"][0]["practice"].as_str().expect("week 3's practice").to_owned();
        assert_ne!(first, third);

        // Maja joins on Wednesday 18 November, in course week 3.
        let maja = app.participant("Maja").await;
        let (status, joined) = app.join(&maja, &code, true, false).await;
        assert_eq!(status, 201, "{joined}");
        app.backdate_joining(&course, &maja, at(2026, 11, 18, 12)).await;
        // She practises week 1's practice on 19 November.
        let mut practice = entry(at(2026, 11, 19, 7), 1, 3);
        practice["body"]["practice"] = json!(first);
        push(&app, &maja.token, vec![practice]).await;

        // Ole joins at half past midnight, Danish time, as course week 3
        // begins (23:30 UTC the evening before): his week 1 is week 3 too.
        let ole = app.participant("Ole").await;
        let (status, joined) = app.join(&ole, &code, true, false).await;
        assert_eq!(status, 201, "{joined}");
        app.backdate_joining(&course, &ole, at(2026, 11, 15, 23) + 30 * 60_000).await;
        let mut practice = entry(at(2026, 11, 16, 9), 2, 3);
        practice["body"]["practice"] = json!(first);
        push(&app, &ole.token, vec![practice]).await;

        let (status, report) = app.get_json(&format!("{path}/report"), &birgit.token).await;
        assert_eq!(status, 200, "{report}");
        assert!(
            report["weeks"].as_u64().unwrap_or(0) >= 5,
            "an open group runs to the current week: {report}"
        );
        let weeks_of = |name: &str| {
            let all = report["participants"].as_array().expect("participants");
            let member = all.iter().find(|p| p["display_name"] == name).expect("in the report");
            member["weeks"].as_array().expect("weeks").clone()
        };
        let ole_weeks = weeks_of("Ole");
        let ole_week = |n: u64| ole_weeks.iter().find(|w| w["week"] == n).expect("the week");
        assert_eq!(ole_week(2)["adherence"], Value::Null, "he joined after course week 2: {report}");
        assert_eq!(ole_week(3)["adherence"]["practices"][0]["practice"], json!(first), "{report}");
        assert_eq!(ole_week(3)["adherence"]["practices"][0]["done"], 1, "{report}");
        let maja_weeks = weeks_of("Maja");
        let week = |n: u64| maja_weeks.iter().find(|w| w["week"] == n).expect("the week");
        assert_eq!(week(1)["adherence"], Value::Null, "nothing was asked of her before she came");
        let her_first = &week(3)["adherence"];
        assert_eq!(
            her_first["practices"][0]["practice"],
            json!(first),
            "course week 3 is her week 1: {her_first}"
        );
        assert_eq!(her_first["practices"][0]["done"], 1);
        // Its calendar does not stop after eight meetings: it reaches half a year ahead.
        let (status, ics) = app.get_json(&format!("{path}/calendar.ics"), &maja.token).await;
        assert_eq!(status, 200);
        let events = ics.as_str().unwrap_or_default().matches("BEGIN:VEVENT").count();
        assert!(events >= 5 + 26, "{events} meetings");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_closed_group_meets_the_number_of_times_its_instructor_chose() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        // A wellbeing group (eight weeks of practice) that meets twelve times, from Monday 3 August.
        let (course, code) = app.course(&birgit, Some("wellbeing-group")).await;
        let path = format!("/api/courses/{course}");
        // An open group does not end: it has no number of meetings.
        let (status, body) = app
            .call(
                Method::PATCH,
                &path,
                Some(&birgit.token),
                Some(json!({"meetings": {"rolling": true, "count": 12}})),
            )
            .await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "meetings"), "{body}");
        assert!(body["error"]["message"].as_str().unwrap_or_default().contains("open group"), "{body}");
        for count in [0, 53] {
            let (status, body) = app
                .call(Method::PATCH, &path, Some(&birgit.token), Some(json!({"meetings": {"count": count}})))
                .await;
            assert_eq!(status, 422, "{count} meetings: {body}");
        }
        let (status, saved) = app
            .call(
                Method::PATCH,
                &path,
                Some(&birgit.token),
                Some(json!({"start_date": "2026-08-03", "meetings": {"count": 12, "time": "10:00"}})),
            )
            .await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["meetings"]["count"], 12);
        // Someone about to join sees how long it runs.
        let (status, preview) =
            app.call(Method::POST, "/api/join/preview", None, Some(json!({ "code": code }))).await;
        assert_eq!((status, preview["weeks"].clone()), (200, json!(12)), "{preview}");
        let (_, weeks) = app.get_json(&format!("{path}/assignments"), &birgit.token).await;
        let first =
            weeks["weeks"][0]["practices"][0]["practice"].as_str().expect("week 1's practice").to_owned();

        let maja = app.participant("Maja").await;
        let (status, joined) = app.join(&maja, &code, true, false).await;
        assert_eq!(status, 201, "{joined}");
        assert_eq!(joined["meetings"]["count"], 12);
        app.backdate_joining(&course, &maja, at(2026, 8, 1, 12)).await;
        // In meeting 9 (28 September) the programme's week 1 comes round again.
        let mut practice = entry(at(2026, 9, 29, 7), 1, 3);
        practice["body"]["practice"] = json!(first);
        push(&app, &maja.token, vec![practice]).await;

        let (status, report) = app.get_json(&format!("{path}/report"), &birgit.token).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["weeks"], 12, "it runs to its last meeting: {report}");
        let weeks = report["participants"][0]["weeks"].as_array().expect("weeks");
        let week = |n: u64| weeks.iter().find(|w| w["week"] == n).expect("the week");
        assert_eq!(week(9)["start_date"], "2026-09-28");
        assert_eq!(week(9)["adherence"]["practices"][0]["practice"], json!(first), "{report}");
        assert_eq!(week(9)["adherence"]["practices"][0]["done"], 1, "{report}");
        assert!(weeks.iter().all(|w| w["week"].as_u64() <= Some(12)), "{report}");

        // Its calendar holds the twelve meetings, no more.
        let (status, ics) = app.get_json(&format!("{path}/calendar.ics"), &maja.token).await;
        assert_eq!(status, 200);
        let text = ics.as_str().unwrap_or_default().to_owned();
        let calendar = ical::IcalParser::new(text.as_bytes()).next().expect("a calendar").expect("it parses");
        let starts: Vec<String> = calendar
            .events
            .iter()
            .filter_map(|e| e.properties.iter().find(|p| p.name == "DTSTART").and_then(|p| p.value.clone()))
            .collect();
        assert_eq!(starts.len(), 12, "{starts:?}");
        assert_eq!(starts.last().map(|s| &s[..8]), Some("20261019"), "{starts:?}");

        // Now that Maja is in, the group cannot be made to end before the week it is in.
        let today =
            Date::of(stille_server::now_ms(), 0, stille_practice::stats::DayRule { grace_minutes: 0 });
        let current = (today.0 - Date::from_ymd(2026, 8, 3).expect("date").0) / 7 + 1;
        let (status, body) = app
            .call(Method::PATCH, &path, Some(&birgit.token), Some(json!({"meetings": {"count": 3}})))
            .await;
        assert_eq!((status, error_of(&body).0.as_str()), (409, "conflict"), "{body}");
        assert!(body["error"]["message"].as_str().unwrap_or_default().contains("at least"), "{body}");
        // Nor by taking the number away, which would end it after the programme's eight.
        let (status, body) = app
            .call(Method::PATCH, &path, Some(&birgit.token), Some(json!({"meetings": {"time": "10:00"}})))
            .await;
        assert_eq!((status, error_of(&body).0.as_str()), (409, "conflict"), "{body}");
        if current <= 52 {
            let (status, body) = app
                .call(
                    Method::PATCH,
                    &path,
                    Some(&birgit.token),
                    Some(json!({"meetings": {"count": current}})),
                )
                .await;
            assert_eq!(status, 200, "to the week it is in: {body}");
        }
        app.stop().await;
    }
}

#[tokio::test]
async fn the_instructor_chooses_the_modules_and_their_order() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        let (course, code) = app.course(&birgit, Some("mentaliseringsprogrammet")).await;
        let modules = format!("/api/courses/{course}/modules");
        let names = |weeks: &Value| -> Vec<Vec<String>> {
            weeks["weeks"]
                .as_array()
                .expect("weeks")
                .iter()
                .map(|w| {
                    let practices = w["practices"].as_array().expect("practices");
                    practices.iter().map(|p| p["practice"].as_str().unwrap_or_default().to_owned()).collect()
                })
                .collect()
        };
        let choose = |list: Value| {
            let app = &app;
            let (path, token) = (modules.clone(), birgit.token.clone());
            async move { app.call(Method::PUT, &path, Some(&token), Some(json!({"modules": list}))).await }
        };
        let (status, weeks) = choose(json!(["mentalization-robusthed", "mentalization-mentalisering"])).await;
        assert_eq!(status, 200, "{weeks}");
        assert_eq!(names(&weeks), [["mentalization-robusthed"], ["mentalization-mentalisering"]]);
        let (_, stored) = app.get_json(&format!("/api/courses/{course}/assignments"), &birgit.token).await;
        assert_eq!(stored, weeks);
        // Box breathing added to week 1 stays there when the modules change.
        let form = json!({"practices": [
            {"practice": "mentalization-robusthed", "minutes": 5, "days": 3},
            {"practice": "breathing-box", "minutes": 3, "days": 5}]});
        let (status, body) = app
            .call(
                Method::PUT,
                &format!("/api/courses/{course}/assignments/1"),
                Some(&birgit.token),
                Some(form),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, weeks) = choose(json!(["mentalization-selvkontrol", "mentalization-robusthed"])).await;
        assert_eq!(status, 200, "{weeks}");
        assert_eq!(
            names(&weeks),
            [vec!["mentalization-selvkontrol", "breathing-box"], vec!["mentalization-robusthed"]]
        );
        assert_eq!(weeks["weeks"][1]["practices"][0]["days"], 3, "as Birgit set it: {weeks}");

        // What cannot be is refused, saying why, and the weeks stay.
        for (list, said) in [
            (json!(["breathing-box"]), "not one of the programme's modules"),
            (json!(["mentalization-robusthed", "mentalization-robusthed"]), "twice"),
        ] {
            let (status, body) = choose(list).await;
            assert_eq!((status, error_of(&body).1.as_str()), (422, "modules"), "{body}");
            assert!(body["error"]["message"].as_str().unwrap_or_default().contains(said), "{body}");
        }
        let (_, kept) = app.get_json(&format!("/api/courses/{course}/assignments"), &birgit.token).await;
        assert_eq!(kept, weeks);
        let (msc, _) = app.course(&birgit, Some("msc")).await;
        let (status, body) = app
            .call(
                Method::PUT,
                &format!("/api/courses/{msc}/modules"),
                Some(&birgit.token),
                Some(json!({"modules": []})),
            )
            .await;
        assert_eq!((status, error_of(&body).1.as_str()), (422, "modules"), "{body}");
        let ida = app.participant("Ida").await;
        let (status, _) = app.join(&ida, &code, true, false).await;
        assert_eq!(status, 201);
        let (status, _) =
            app.call(Method::PUT, &modules, Some(&ida.token), Some(json!({"modules": []}))).await;
        assert_eq!(status, 403, "only the instructor chooses");
        app.stop().await;
    }
}

#[tokio::test]
async fn participants_see_how_to_reach_their_instructor() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        let (course, code) = app.course(&birgit, Some("msc")).await;
        let path = format!("/api/courses/{course}");
        let contact = |text: Value| {
            let (app, path, token) = (&app, path.clone(), birgit.token.clone());
            async move { app.call(Method::PATCH, &path, Some(&token), Some(json!({"contact": text}))).await }
        };
        let (status, saved) = contact(json!("  Ring eller skriv på 12 34 56 78, hverdage kl. 9-15 ")).await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["contact"], "Ring eller skriv på 12 34 56 78, hverdage kl. 9-15");
        // Two lines, a hidden character or too long: refused, saying so, and it stays.
        for bad in [json!("Ring\npå 12345678"), json!("Ring \u{202e}87654321"), json!("x".repeat(201))] {
            let (status, body) = contact(bad.clone()).await;
            assert_eq!((status, error_of(&body).1.as_str()), (422, "contact"), "{bad}: {body}");
        }
        let ida = app.participant("Ida").await;
        let (status, joined) = app.join(&ida, &code, true, false).await;
        assert_eq!(status, 201, "{joined}");
        assert_eq!(joined["contact"], "Ring eller skriv på 12 34 56 78, hverdage kl. 9-15");
        let (_, courses) = app.get_json("/api/courses", &ida.token).await;
        assert_eq!(courses["joined"][0]["contact"], joined["contact"], "{courses}");
        // Empty takes it away.
        let (status, saved) = contact(json!(" ")).await;
        assert_eq!((status, saved["contact"].clone()), (200, json!("")), "{saved}");
        app.stop().await;
    }
}

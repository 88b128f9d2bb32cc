//! The authorization matrix, generated from one table: every course endpoint
//! is called by every kind of caller on their own course and on another's,
//! and every cell the table does not allow must be refused — anonymous callers
//! with 401, people outside the course with exactly the answer a course that
//! does not exist gets (so ids cannot be probed), and people inside it who
//! lack the role with 403.
//!
//! Recordings are reached by their own id, not a course's: who may read,
//! hear, change and delete one (owner, its courses' members, everyone when
//! published, and for anyone else the answer a made-up id gets) is their own
//! matrix in `recordings.rs`
//! (`a_recording_is_heard_by_its_owner_and_its_courses_and_nobody_else`).

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Person, TestApp, backends, generous, spawn_app_with};

/// How a caller relates to the course a request names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Relation {
    Anonymous,
    /// A participant in the course.
    Member,
    /// A participant in another course.
    OtherParticipant,
    /// The course's instructor.
    Teacher,
    /// The instructor of another course.
    OtherInstructor,
}

use Relation::*;

/// One endpoint: how to call it on a course, who may, and what success is.
struct Row {
    method: Method,
    /// `{course}` and `{member}` (a participant in the course) are filled in.
    path: &'static str,
    body: Option<Value>,
    allowed: &'static [Relation],
    success: u16,
}

fn table() -> Vec<Row> {
    let row = |method: Method, path, body: Option<Value>, allowed, success| Row {
        method,
        path,
        body,
        allowed,
        success,
    };
    vec![
        row(Method::GET, "/api/courses/{course}", None, &[Member, Teacher], 200),
        row(Method::PATCH, "/api/courses/{course}", Some(json!({"title": "Nyt navn"})), &[Teacher], 200),
        row(Method::POST, "/api/courses/{course}/invite", Some(json!({})), &[Teacher], 201),
        row(Method::DELETE, "/api/courses/{course}/invite", None, &[Teacher], 204),
        row(Method::GET, "/api/courses/{course}/members", None, &[Teacher], 200),
        row(Method::POST, "/api/courses/{course}/members/{member}/reset-link", None, &[Teacher], 201),
        row(Method::DELETE, "/api/courses/{course}/members/{member}", None, &[Teacher], 204),
        row(
            Method::PUT,
            "/api/courses/{course}/consent",
            Some(json!({"adherence": true, "reflections": false, "group_results": true, "answers": false})),
            &[Member],
            200,
        ),
        row(Method::DELETE, "/api/courses/{course}/membership", None, &[Member], 204),
        row(Method::GET, "/api/courses/{course}/assignments", None, &[Member, Teacher], 200),
        row(
            Method::PUT,
            "/api/courses/{course}/assignments/1",
            Some(json!({"practices": [{"practice": "breathing-box", "minutes": 5, "days": 5}]})),
            &[Teacher],
            200,
        ),
        row(Method::GET, "/api/courses/{course}/recordings", None, &[Member, Teacher], 200),
        row(Method::GET, "/api/courses/{course}/report", None, &[Teacher], 200),
        row(Method::GET, "/api/courses/{course}/report?format=csv", None, &[Teacher], 200),
        row(
            Method::PUT,
            "/api/courses/{course}/measures",
            Some(json!({"instruments": ["who-5"], "weeks": [0, 8]})),
            &[Teacher],
            200,
        ),
        row(Method::GET, "/api/courses/{course}/outcomes", None, &[Teacher], 200),
        row(Method::GET, "/api/courses/{course}/outcomes?format=csv", None, &[Teacher], 200),
        row(Method::DELETE, "/api/courses/{course}", None, &[Teacher], 204),
    ]
}

/// Two courses, each with an instructor and a participant.
struct World {
    courses: [String; 2],
    teachers: [Person; 2],
    members: [Person; 2],
}

async fn world(app: &TestApp, n: usize) -> World {
    let t0 = app.instructor(&format!("T{n}a")).await;
    let t1 = app.instructor(&format!("T{n}b")).await;
    let (c0, code0) = app.course(&t0, Some("msc")).await;
    let (c1, code1) = app.course(&t1, None).await;
    let m0 = app.participant(&format!("M{n}a")).await;
    let m1 = app.participant(&format!("M{n}b")).await;
    assert_eq!(app.join(&m0, &code0, true, true).await.0, 201);
    assert_eq!(app.join(&m1, &code1, true, true).await.0, 201);
    World { courses: [c0, c1], teachers: [t0, t1], members: [m0, m1] }
}

impl World {
    /// The caller with `relation` to course `c`.
    fn caller(&self, relation: Relation, c: usize) -> Option<&Person> {
        let other = 1 - c;
        match relation {
            Anonymous => None,
            Member => Some(&self.members[c]),
            OtherParticipant => Some(&self.members[other]),
            Teacher => Some(&self.teachers[c]),
            OtherInstructor => Some(&self.teachers[other]),
        }
    }

    fn path(&self, template: &str, course: &str, c: usize) -> String {
        template.replace("{course}", course).replace("{member}", &self.members[c].id)
    }
}

#[tokio::test]
async fn every_course_endpoint_by_every_caller_on_own_and_others_courses() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let mut cells = 0;
        for (n, row) in table().into_iter().enumerate() {
            let world = world(&app, n).await;
            let missing = "01900000-0000-7000-8000-000000000000";
            // Refused cells first: nothing they do may change anything.
            for c in 0..2 {
                for relation in [Anonymous, Member, OtherParticipant, Teacher, OtherInstructor] {
                    if row.allowed.contains(&relation) {
                        continue;
                    }
                    let caller = world.caller(relation, c);
                    let token = caller.map(|p| p.token.as_str());
                    let path = world.path(row.path, &world.courses[c], c);
                    let (status, body) = app.call(row.method.clone(), &path, token, row.body.clone()).await;
                    let cell =
                        format!("{backend}: {} {} as {relation:?} on course {c}", row.method, row.path);
                    match relation {
                        Anonymous => assert_eq!(status, 401, "{cell}: {body}"),
                        OtherParticipant | OtherInstructor => {
                            assert_eq!(status, 404, "{cell}: {body}");
                            // The same answer as for a course that does not exist.
                            let ghost = world.path(row.path, missing, c);
                            let (ghost_status, ghost_body) =
                                app.call(row.method.clone(), &ghost, token, row.body.clone()).await;
                            assert_eq!(
                                (status, &body),
                                (ghost_status, &ghost_body),
                                "{cell} leaks existence"
                            );
                        }
                        Member | Teacher => assert_eq!(status, 403, "{cell}: {body}"),
                    }
                    cells += 1;
                }
            }
            // The course is unchanged by every refused call.
            for c in 0..2 {
                let path = format!("/api/courses/{}", world.courses[c]);
                let (status, course) = app.get_json(&path, &world.teachers[c].token).await;
                assert_eq!(status, 200, "{backend}: {} refused calls left course {c} in place", row.path);
                assert_ne!(course["title"], "Nyt navn");
                let (_, members) = app.get_json(&format!("{path}/members"), &world.teachers[c].token).await;
                assert_eq!(members["members"].as_array().map(Vec::len), Some(1), "{backend}: {}", row.path);
            }
            // Then the allowed cells, on each course by its own people.
            for c in 0..2 {
                for relation in row.allowed {
                    let caller = world.caller(*relation, c).map(|p| p.token.as_str());
                    let path = world.path(row.path, &world.courses[c], c);
                    let (status, body) = app.call(row.method.clone(), &path, caller, row.body.clone()).await;
                    assert_eq!(
                        status, row.success,
                        "{backend}: {} {path} as {relation:?}: {body}",
                        row.method
                    );
                    cells += 1;
                }
            }
        }
        assert!(cells > 100, "{cells} cells");
        app.stop().await;
    }
}

#[tokio::test]
async fn account_endpoints_act_only_on_the_caller() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let ida = app.participant("Ida").await;
        let jens = app.participant("Jens").await;
        for (method, path, body) in [
            (Method::GET, "/api/me", None),
            (Method::GET, "/api/me/export", None),
            (Method::GET, "/api/sync", None),
            (Method::POST, "/api/sync", Some(json!({"records": []}))),
            (
                Method::POST,
                "/api/courses",
                Some(json!({"title": "x", "lang": "da", "time_zone": "UTC", "start_date": "2026-01-05"})),
            ),
            (Method::GET, "/api/courses", None),
            (
                Method::POST,
                "/api/join",
                Some(json!({"code": "AAAA-AAAA-AAAA", "consent": {"adherence": true, "reflections": true}})),
            ),
            (Method::POST, "/api/instructor-invites", Some(json!({}))),
            (Method::POST, "/api/me/erase", Some(json!({"password": "x", "confirm": "erase my account"}))),
            (Method::DELETE, "/api/sessions/current", None),
            (Method::PATCH, "/api/me", Some(json!({"display_name": "X"}))),
            (Method::PUT, "/api/me/password", Some(json!({"current_password": "x", "new_password": "y"}))),
            (Method::GET, "/api/me/sessions", None),
            (Method::DELETE, "/api/me/sessions/abc", None),
            (Method::POST, "/api/me/sessions/end-others", None),
            (Method::GET, "/api/me/passkeys", None),
            (Method::POST, "/api/me/passkeys/challenge", Some(json!({"password": "x"}))),
            (
                Method::POST,
                "/api/me/passkeys",
                Some(
                    json!({"challenge_id": "x", "name": "x", "client_data_json": "x", "attestation_object": "x"}),
                ),
            ),
            (Method::DELETE, "/api/me/passkeys/abc", None),
        ] {
            let (status, _) = app.call(method.clone(), path, None, body.clone()).await;
            assert_eq!(status, 401, "{backend}: {method} {path} anonymously");
        }
        // Ida's export and pull never show Jens.
        let day = crate::courses::at(2026, 11, 3, 7);
        let (status, _) = app
            .post_json("/api/sync", &jens.token, json!({"records": [crate::courses::entry(day, 1, 10)]}))
            .await;
        assert_eq!(status, 200);
        let (_, export) = app.get_json("/api/me/export", &ida.token).await;
        assert!(
            !export.to_string().contains("jens@example.dk") && export["records"] == json!([]),
            "{export}"
        );
        let (_, pulled) = app.get_json("/api/sync", &ida.token).await;
        assert_eq!(pulled["changes"], json!([]));
        app.stop().await;
    }
}

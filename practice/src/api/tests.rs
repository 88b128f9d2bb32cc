//! The contract's shapes: what the server writes, the app reads back the same;
//! requests refuse unknown fields and answers tolerate them.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::*;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) -> Value {
    let json = serde_json::to_value(value).expect("serialises");
    let back: T = serde_json::from_value(json.clone()).expect("reads back");
    assert_eq!(&back, value);
    json
}

fn user(role: Role) -> User {
    User { id: "u".into(), email: "ida@example.dk".into(), role, display_name: "Ida".into() }
}

#[test]
fn accounts_read_back_as_written() {
    assert_eq!(round_trip(&user(Role::Instructor))["role"], "instructor");
    let me = round_trip(&Me {
        user: user(Role::Participant),
        csrf_token: None,
        last_reset: None,
        two_step: TwoStep::default(),
    });
    assert_eq!(me["csrf_token"], Value::Null, "a bearer session's token is null, not absent");
    assert_eq!(me["two_step"], json!({"on": false, "this_session": false, "required": false}));
    let logged_in = LoggedIn {
        user: user(Role::Participant),
        csrf_token: Some("c".into()),
        token: None,
        idle_timeout_s: 1,
        absolute_timeout_s: 2,
    };
    assert!(round_trip(&logged_in).get("token").is_none(), "only the kind of session asked for");
    let anonymous = round_trip(&CurrentSession::default());
    assert_eq!(anonymous, json!({"user": null, "csrf_token": null}));
    let log_in = round_trip(&LogIn {
        email: "a@b.dk".into(),
        password: "p".into(),
        token: false,
        one_time_code: None,
    });
    assert_eq!(
        log_in,
        json!({"email": "a@b.dk", "password": "p"}),
        "the web app's log-in sends no token flag"
    );
    assert_eq!(Role::parse("instructor"), Some(Role::Instructor));
    assert_eq!(Role::parse("admin"), None);
}

#[test]
fn requests_refuse_unknown_fields_and_answers_tolerate_them() {
    let typo = json!({"email": "a@b.dk", "password": "p", "tokn": true});
    let error = serde_json::from_value::<LogIn>(typo).expect_err("a misspelt field is an error");
    assert!(error.to_string().contains("tokn"), "{error}");
    let newer = json!({"user": {"id": "u", "email": "e", "role": "participant", "display_name": "I",
        "avatar": "🌿"}, "csrf_token": "c", "session_count": 3});
    let me: Me = serde_json::from_value(newer).expect("an answer with more fields still reads");
    assert_eq!(me.csrf_token.as_deref(), Some("c"));
    let consent = serde_json::from_value::<Consent>(json!({"adherence": true}));
    assert!(consent.is_err(), "consent is explicit: both answers must be given");
}

#[test]
fn a_course_is_read_as_the_view_its_role_says() {
    let teaching = Teaching {
        id: "c".into(),
        role: Role::Instructor,
        title: "MSC".into(),
        lang: "da".into(),
        time_zone: "Europe/Copenhagen".into(),
        start_date: "2026-11-30".into(),
        open: true,
        capacity: 13,
        template: Some("msc".into()),
        participants: 2,
        measures: MeasurePlan { instruments: vec!["who-5".into()], weeks: vec![0, 8] },
        invite: None,
        created_at_ms: 5,
        meetings: Meetings::default(),
        contact: String::new(),
    };
    let json = round_trip(&teaching);
    assert_eq!(json["invite"], Value::Null);
    assert_eq!(serde_json::from_value::<CourseView>(json).ok(), Some(CourseView::Teaching(teaching)));
    let joined = Joined {
        id: "c".into(),
        role: Role::Participant,
        title: "MSC".into(),
        lang: "da".into(),
        time_zone: "Europe/Copenhagen".into(),
        start_date: "2026-11-30".into(),
        template: None,
        instructor: "Ida".into(),
        joined_at_ms: 9,
        consent: Consent { adherence: true, reflections: false, ..Consent::default() },
        measures: MeasurePlan::default(),
        meetings: Meetings {
            time: Some("17:30".into()),
            minutes: Some(165),
            place: "Sundhedshuset".into(),
            skipped: vec!["2027-02-15".into()],
            retreat: None,
            rolling: false,
            count: Some(10),
        },
        contact: "Ring på 12 34 56 78".into(),
    };
    let json = round_trip(&joined);
    assert_eq!(serde_json::from_value::<CourseView>(json).ok(), Some(CourseView::Joined(joined)));
    // An app from before the questionnaires sends two answers: the two it
    // never asked are no.
    let older: Consent = serde_json::from_value(json!({"adherence": true, "reflections": true}))
        .expect("an older app's consent");
    assert!(older.adherence && older.reflections && !older.group_results && !older.answers);
    assert!(
        serde_json::from_value::<Consent>(json!({"adherence": true})).is_err(),
        "no default for the first two"
    );
    round_trip(&NewCourse {
        title: "MSC".into(),
        lang: "da".into(),
        time_zone: "Europe/Copenhagen".into(),
        start_date: "2026-11-30".into(),
        open: true,
        capacity: DEFAULT_CAPACITY,
        template: None,
    });
    let defaults: NewCourse = serde_json::from_value(
        json!({"title": "t", "lang": "da", "time_zone": "UTC", "start_date": "2026-01-01"}),
    )
    .expect("open and capacity have defaults");
    assert_eq!((defaults.open, defaults.capacity), (true, DEFAULT_CAPACITY));
    assert_eq!(NewInvite::default().valid_days, 28);
}

#[test]
fn an_assignment_is_checked_against_the_catalog() {
    let assigned = |practice: &str, minutes, days, per_day| Assigned {
        practice: practice.into(),
        minutes,
        days,
        per_day,
    };
    assert_eq!(assigned("breathing-box", 3, 5, 1).check(0), Ok(()));
    let field = |a: Assigned| a.check(2).expect_err("refused").field;
    assert_eq!(field(assigned("breathing-cube", 3, 5, 1)), "practices[2].practice");
    assert_eq!(field(assigned("breathing-box", 7_000, 5, 1)), "practices[2].minutes");
    assert_eq!(field(assigned("breathing-box", 3, 8, 1)), "practices[2].days");
    assert_eq!(field(assigned("breathing-box", 3, 5, 0)), "practices[2].per_day");
    let too_many = WeekForm { practices: vec![assigned("breathing-box", 3, 5, 1); MAX_PER_WEEK + 1] };
    assert_eq!(too_many.check().map_err(|e| e.field), Err("practices".to_owned()));
    let read: Assigned =
        serde_json::from_value(json!({"practice": "breathing-box", "minutes": 3, "days": 5}))
            .expect("per_day defaults to once");
    assert_eq!(read.per_day, 1);
    assert!(read.home_practice().is_some());
}

#[test]
fn error_codes_have_one_status_each_and_unknown_ones_still_read() {
    let body = round_trip(&ErrorBody {
        error: ErrorDetail { code: ErrorCode::TooManyRequests, message: "wait".into(), field: None },
    });
    assert_eq!(body, json!({"error": {"code": "too_many_requests", "message": "wait"}}));
    let newer: ErrorBody =
        serde_json::from_value(json!({"error": {"code": "payment_required", "message": "?"}}))
            .expect("reads");
    assert_eq!(newer.error.code, ErrorCode::Unknown);
    assert_eq!(ErrorCode::Invalid.status(), 422);
    assert_eq!(ErrorCode::Unauthenticated.status(), 401);
}

#[test]
fn names_and_titles_refuse_what_would_show_something_else() {
    assert_eq!(one_line("display_name", "  Ida Holm ", 60, "a name"), Ok("Ida Holm".to_owned()));
    assert!(one_line("title", "MSC — forår 2027 🌱", 120, "a title").is_ok());
    // Scripts and emoji that need joiners still work.
    assert!(one_line("n", "می‌خواهم", 60, "a name").is_ok());
    assert!(one_line("n", "👩‍👧", 60, "a name").is_ok());
    for bad in [
        "Ida\u{202E}nnej", // right-to-left override: shows "Idajenn"
        "Ida\u{2067}x",    // right-to-left isolate
        "I\u{200B}da",     // zero-width space: a look-alike of "Ida"
        "\u{3164}",        // Hangul filler: a name that looks empty
        "Ida\u{FEFF}",
        "Ida\nHolm",
        "Ida\u{200F}",
    ] {
        let error = one_line("display_name", bad, 60, "a name").expect_err(bad);
        assert_eq!(error.field, "display_name");
        assert!(error.message.contains("U+") || error.message.contains("1–60"), "{bad:?}: {}", error.message);
    }
    assert!(one_line("n", "", 60, "a name").is_err());
    assert!(one_line("n", &"æ".repeat(61), 60, "a name").is_err());
    assert!(one_line("n", &"æ".repeat(60), 60, "a name").is_ok());
}

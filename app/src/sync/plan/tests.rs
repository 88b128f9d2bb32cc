use std::collections::HashMap;

use serde_json::value::RawValue;
use stille_practice::api::ErrorCode;
use stille_practice::sync::{Change, Kind, Outcome, Pending, PushResult, RecordError};

use super::*;

fn pending(kind: Kind, id: &str, at: i64, deleted: bool) -> Pending {
    Pending { kind, id: id.into(), updated_at_ms: at, deleted }
}

fn change(kind: Kind, id: &str, at: i64, body: Option<&str>) -> Change {
    Change {
        seq: 7,
        id: id.into(),
        kind,
        updated_at_ms: at,
        deleted: body.is_none(),
        body: body.map(|b| RawValue::from_string(b.to_owned()).expect("JSON")),
    }
}

#[test]
fn backoff_doubles_to_five_minutes_with_jitter() {
    assert_eq!(backoff_ms(1, 1.0), 1_000.0);
    assert_eq!(backoff_ms(2, 1.0), 2_000.0);
    assert_eq!(backoff_ms(5, 1.0), 16_000.0);
    assert_eq!(backoff_ms(30, 1.0), MAX_BACKOFF_MS);
    assert_eq!(backoff_ms(1, 0.5), 500.0);
    assert_eq!(backoff_ms(1, 9.0), 1_500.0, "jitter stays within 0.5–1.5");
}

#[test]
fn a_failure_says_what_the_person_can_do() {
    assert_eq!(Failure::from_api(&ApiError::Network("x".into()), 3).status, Status::Waiting(3));
    let ended = ApiError::Refused { code: ErrorCode::Unauthenticated, message: "ended".into(), field: None };
    assert_eq!(Failure::from_api(&ended, 3), Failure { status: Status::SignInAgain, retry: false });
    let broken = ApiError::Refused { code: ErrorCode::Internal, message: "oops".into(), field: None };
    assert_eq!(Failure::from_api(&broken, 3).status, Status::Problem("oops".into()));
}

#[test]
fn what_was_refused_at_a_version_is_not_sent_again_until_changed() {
    let rejected = HashMap::from([("entry:a".to_owned(), (5, refused("invalid", "bad")))]);
    let waiting = vec![pending(Kind::Entry, "a", 5, false), pending(Kind::Entry, "b", 5, false)];
    assert_eq!(unsent(waiting, &rejected).iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["b"]);
    let changed = vec![pending(Kind::Entry, "a", 6, false)];
    assert_eq!(unsent(changed, &rejected).len(), 1);
}

#[test]
fn a_record_is_pushed_with_its_body_as_stored() {
    let log = HashMap::from([("e".to_owned(), r#"{"id":"e","mood":"calm"}"#.to_owned())]);
    let journal = HashMap::from([(
        "r".to_owned(),
        r#"{"kind":"reflection","body":{"id":"r","text":"ro"}}"#.to_owned(),
    )]);
    let entry = record_of(&pending(Kind::Entry, "e", 1, false), &log, &journal).expect("sendable");
    assert_eq!(entry.body.as_ref().map(|b| b.get()), Some(r#"{"id":"e","mood":"calm"}"#));
    let note = record_of(&pending(Kind::Reflection, "r", 1, false), &log, &journal).expect("sendable");
    assert_eq!(note.body.as_ref().map(|b| b.get()), Some(r#"{"id":"r","text":"ro"}"#));
    let gone = record_of(&pending(Kind::Entry, "x", 1, true), &log, &journal).expect("a deletion");
    assert!(gone.deleted && gone.body.is_none());
    assert!(record_of(&pending(Kind::Entry, "missing", 1, false), &log, &journal).is_none());
    let json = serde_json::to_string(&entry).expect("serialises");
    assert_eq!(
        json,
        r#"{"id":"e","kind":"entry","updated_at_ms":1,"deleted":false,"body":{"id":"e","mood":"calm"}}"#
    );
}

#[test]
fn a_push_answer_settles_what_was_kept_and_remembers_what_was_refused() {
    let sent = [pending(Kind::Entry, "a", 1, false), pending(Kind::Entry, "b", 2, false)];
    let result = |outcome, error: Option<RecordError>| PushResult { id: None, outcome, seq: Some(1), error };
    let refusal =
        RecordError { code: "invalid".into(), field: "body.practice".into(), message: "unknown".into() };
    let answer =
        answered(&sent, &[result(Outcome::Superseded, None), result(Outcome::Rejected, Some(refusal))])
            .expect("one answer per record");
    assert_eq!(answer.settle, vec![settled(&sent[0])]);
    assert_eq!(answer.accepted, vec!["entry:a".to_owned()]);
    assert_eq!(answer.rejected, vec![("entry:b".to_owned(), 2, refused("invalid", "unknown"))]);
    assert!(answered(&sent, &[result(Outcome::Stored, None)]).is_err(), "a short answer settles nothing");
}

#[test]
fn a_pulled_record_is_kept_as_sent_fields_from_a_newer_app_included() {
    let body = r#"{"id":"e","practice":"breathing-box","mood":{"word":"calm"}}"#;
    let op = apply_op(&change(Kind::Entry, "e", 10, Some(body)), &HashMap::new()).expect("written");
    assert_eq!((op.store, op.key.as_str(), op.value.as_deref()), (LOG, "e", Some(body)));
    assert_eq!(op.guard.as_ref().map(|g| (g.version, g.clear)), Some((None, false)), "only if nothing waits");
    let note =
        apply_op(&change(Kind::CheckIn, "c", 10, Some(r#"{"id":"c"}"#)), &HashMap::new()).expect("written");
    assert_eq!(note.value.as_deref(), Some(r#"{"kind":"check-in","body":{"id":"c"}}"#));
    let gone = apply_op(&change(Kind::Reflection, "r", 10, None), &HashMap::new()).expect("a deletion");
    assert_eq!((gone.store, gone.value), (JOURNAL, None));
}

#[test]
fn the_settings_record_goes_up_and_comes_down_with_its_version() {
    let id = crate::settings::RECORD_ID;
    let body = r#"{"theme":"dark","lang":"da"}"#;
    let op = apply_op(&change(Kind::Settings, id, 42, Some(body)), &HashMap::new()).expect("written");
    assert_eq!((op.store, op.key.as_str()), (JOURNAL, id));
    let stored = op.value.expect("a value");
    assert_eq!(stored, r#"{"kind":"settings","updated_at_ms":42,"body":{"theme":"dark","lang":"da"}}"#);
    let journal = HashMap::from([(id.to_owned(), stored)]);
    let record =
        record_of(&pending(Kind::Settings, id, 43, false), &HashMap::new(), &journal).expect("sendable");
    assert_eq!(record.body.as_ref().map(|b| b.get()), Some(body));
    // A change made here since, not yet sent, wins over an older one from elsewhere.
    let waiting = HashMap::from([(format!("settings:{id}"), pending(Kind::Settings, id, 50, false))]);
    assert!(apply_op(&change(Kind::Settings, id, 42, Some(body)), &waiting).is_none());
    assert!(apply_op(&change(Kind::Settings, id, 51, Some(body)), &waiting).is_some());
}

#[test]
fn a_change_waiting_here_is_replaced_only_when_the_pulled_one_wins() {
    let waiting = HashMap::from([("entry:e".to_owned(), pending(Kind::Entry, "e", 10, false))]);
    assert!(
        apply_op(&change(Kind::Entry, "e", 10, Some("{}")), &waiting).is_none(),
        "a tie: ours is sent last"
    );
    let newer = apply_op(&change(Kind::Entry, "e", 11, Some("{}")), &waiting).expect("the later one wins");
    assert_eq!(newer.guard.map(|g| (g.version, g.clear)), Some((Some(10), true)));
    let deleted = apply_op(&change(Kind::Entry, "e", 1, None), &waiting).expect("deleted means deleted");
    assert_eq!(deleted.value, None);
}

#[test]
fn the_status_never_claims_more_than_is_true() {
    let none = HashMap::new();
    assert_eq!(after_run(&none, 0), (Status::Synced, false));
    assert_eq!(after_run(&none, 2), (Status::Syncing, true), "recorded meanwhile: go again");
    let refusals = HashMap::from([
        ("entry:b".to_owned(), (1, refused("invalid", "bad"))),
        ("entry:a".to_owned(), (1, refused("over_quota", "full"))),
    ]);
    let (status, again) = after_run(&refusals, 0);
    assert_eq!(
        status,
        Status::Refused { count: 2, first: refused("over_quota", "full") },
        "the first by key"
    );
    assert!(!again, "refused again and again is no use: wait for a change");
}

#[test]
fn a_refusal_is_said_by_its_code_in_the_persons_language() {
    let full =
        Status::Refused { count: 3, first: refused("over_quota", "one person keeps at most 5 records") };
    let da = status_text(&full, Lang::Da);
    assert!(da.starts_with("Din konto er fuld") && da.ends_with("(3 ændringer)"), "{da}");
    assert!(!da.contains("one person keeps"), "no English for a Danish reader: {da}");
    assert!(status_text(&full, Lang::En).starts_with("Your account is full"));
    let odd = Status::Refused { count: 1, first: refused("invalid", "unknown practice") };
    let en = status_text(&odd, Lang::En);
    assert!(
        en.starts_with("The server did not take some changes")
            && en.contains("unknown practice (body.practice)"),
        "{en}"
    );
}

fn refused(code: &str, message: &str) -> RecordError {
    RecordError { code: code.into(), field: "body.practice".into(), message: message.into() }
}

#[test]
fn the_status_in_words() {
    assert_eq!(
        status_text(&Status::Waiting(2), stille_practice::Lang::En),
        "Waiting for network – saved on this phone (2 changes)"
    );
    assert!(status_text(&Status::Outdated, stille_practice::Lang::Da).contains("nyere udgave"));
}

#[test]
fn a_cursor_pulled_by_an_older_protocol_starts_again_from_the_beginning() {
    // The app before questionnaires kept no protocol.
    let old: Meta = serde_json::from_str(r#"{"user_id":"u1","cursor":42}"#).expect("the meta reads");
    assert_eq!(old.clone().upgraded(None), Meta::new("u1".into()), "answers made elsewhere were left out");
    assert_eq!(old.clone().upgraded(Some(1)), Meta::new("u1".into()));
    assert_eq!(old.clone().upgraded(Some(VERSION)), old);
    // The meta itself is what older apps write and read (they refuse unknown fields).
    assert_eq!(serde_json::to_string(&old).expect("writes"), r#"{"user_id":"u1","cursor":42}"#);
    assert_eq!(Meta::new("u2".into()).cursor, 0);
}

#[test]
fn pulled_answers_are_kept_in_the_journal_and_pushed_from_it() {
    let body = r#"{"id":"a1","instrument":"who-5","lang":"da","answers":[1,2,3,4,5],"at_ms":1,"utc_offset_minutes":0,"updated_at_ms":1}"#;
    let op = apply_op(&change(Kind::Answers, "a1", 1, Some(body)), &HashMap::new()).expect("kept");
    assert_eq!(op.store, JOURNAL);
    let stored = op.value.clone().expect("a value");
    assert!(stored.starts_with(r#"{"kind":"answers","body":"#), "{stored}");
    let journal = HashMap::from([("a1".to_owned(), stored)]);
    let record = record_of(&pending(Kind::Answers, "a1", 1, false), &HashMap::new(), &journal).expect("sent");
    assert_eq!(record.body.map(|b| b.get().to_owned()).as_deref(), Some(body));
}

#[test]
fn a_problem_is_said_in_the_readers_language_and_its_reason_kept_for_the_account_page() {
    let problem = Status::Problem("the database on this device did not answer within 10 s".into());
    assert_eq!(status_line(&problem, Lang::Da), "Ikke synkroniseret: Stille prøver igen af sig selv.");
    let detail = status_text(&problem, Lang::Da);
    assert!(
        detail.starts_with("Ikke synkroniseret: Stille prøver igen af sig selv. Teknisk årsag: the database"),
        "{detail}"
    );
    assert_eq!(status_line(&Status::Synced, Lang::En), status_text(&Status::Synced, Lang::En));
}

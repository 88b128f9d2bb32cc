//! The sync protocol's wire types, shared by the app and the server.
//!
//! A device keeps its records (log entries, check-ins, reflections, settings)
//! and pushes them in batches; each carries the device-made UUIDv7 `id`, the
//! device time of its last change and, for a deletion, `deleted: true` with no
//! body. The server answers each record on its own (stored, already had it,
//! superseded by a newer version, or rejected with the field at fault), so one
//! bad record never drops the good ones beside it. Pulling returns every
//! record whose current version changed after a cursor (the per-user sequence
//! number the server gave it).
//!
//! Which version is current: a deletion wins over everything (deleted means
//! deleted); otherwise the version with the latest `updated_at_ms` wins, and
//! between equal times the one the server received last. A retried or
//! reordered batch therefore never brings an older edit back.
//!
//! Changing these types breaks clients in the field: add optional fields only,
//! and bump [`VERSION`] for anything else.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::journal::{Answers, CheckIn, Reflection};
use crate::log::{Entry, EntryError, is_uuid};

/// The protocol version, asked for by a client as `version` on a pull
/// (absent = 1).
/// 2 added [`Kind::Answers`].
pub const VERSION: u32 = 2;

/// The most records in one push.
pub const MAX_BATCH: usize = 200;

/// The most records in one pull page.
pub const MAX_PAGE: usize = 500;

/// The largest settings object, in bytes of JSON.
pub const MAX_SETTINGS_BYTES: usize = 4_096;

/// What a record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Kind {
    /// A [`crate::log::Entry`].
    Entry,
    /// A [`crate::journal::CheckIn`].
    CheckIn,
    /// A [`crate::journal::Reflection`].
    Reflection,
    /// The app's settings, a flat JSON object.
    Settings,
    /// A questionnaire answered: [`crate::journal::Answers`] (protocol 2).
    Answers,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Entry => "entry",
            Kind::CheckIn => "check-in",
            Kind::Reflection => "reflection",
            Kind::Settings => "settings",
            Kind::Answers => "answers",
        }
    }

    /// The protocol version that brought this kind: a pull for an older
    /// client leaves it out (that client could not read the answer).
    pub fn since(self) -> u32 {
        match self {
            Kind::Answers => 2,
            _ => 1,
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        [Kind::Entry, Kind::CheckIn, Kind::Reflection, Kind::Settings, Kind::Answers]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// A record's body as it travels: JSON kept as text, so the app sends and
/// stores what it wrote without parsing it again, and the server sends what
/// it stored.
pub type Body = Box<RawValue>;

/// One record as pushed: a new version of it, or its deletion.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Record {
    pub id: String,
    pub kind: Kind,
    /// When the device last changed it, in ms since 1970-01-01 UTC.
    pub updated_at_ms: i64,
    #[serde(default)]
    pub deleted: bool,
    /// The record itself (an [`Entry`], [`CheckIn`], [`Reflection`] or the
    /// settings object, by `kind`); None (or absent) when deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub body: Option<Body>,
}

/// One record as pulled: its current version (or its deletion) and the
/// sequence number the server gave that version.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// The server's sequence number of this version, per user.
    pub seq: i64,
    pub id: String,
    pub kind: Kind,
    pub updated_at_ms: i64,
    #[serde(default)]
    pub deleted: bool,
    /// None when deleted.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub body: Option<Body>,
}

impl Change {
    /// The merge rule's view of it.
    pub fn version(&self) -> Version {
        Version { updated_at_ms: self.updated_at_ms, deleted: self.deleted }
    }
}

/// A push.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Push {
    /// [`Record`]s, each read on its own, so that one malformed record is
    /// refused on its own and the rest are kept.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Record>, max_items = 200))]
    pub records: Vec<Body>,
}

/// What became of one pushed record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Outcome {
    /// Stored; it is now the current version.
    Stored,
    /// The server already had exactly this version (a retry); nothing changed.
    Duplicate,
    /// Kept in the record's history, but a newer version (or its deletion)
    /// stays current.
    Superseded,
    /// Refused; see `error`. Nothing was stored for it.
    Rejected,
}

/// Why a record was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordError {
    pub code: String,
    /// The field at fault, as a JSON path inside the record (`body.practice`).
    pub field: String,
    pub message: String,
}

/// The answer for one pushed record, in the order pushed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResult {
    /// The record's id when it could be read.
    pub id: Option<String>,
    pub outcome: Outcome,
    /// The current version's sequence number, when stored, duplicate or superseded.
    pub seq: Option<i64>,
    pub error: Option<RecordError>,
}

/// The answer to a push.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub results: Vec<PushResult>,
}

/// The answer to a pull.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub changes: Vec<Change>,
    /// Pass as `after` to get what follows.
    pub cursor: i64,
    /// Whether more changes wait after `cursor`.
    pub more: bool,
}

/// A record whose fields are all checked, with its body in canonical JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub id: String,
    pub kind: Kind,
    pub updated_at_ms: i64,
    pub deleted: bool,
    /// Canonical JSON text (re-serialised from the typed body), None when deleted.
    pub body: Option<String>,
}

fn error(code: &str, field: impl Into<String>, message: impl Into<String>) -> RecordError {
    RecordError { code: code.into(), field: field.into(), message: message.into() }
}

/// Parses `raw` as `T`, naming the field at fault as a JSON path under `prefix`.
fn parse<T: serde::de::DeserializeOwned>(raw: &RawValue, prefix: &str) -> Result<T, RecordError> {
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        // For a missing field the path is its parent and serde names it.
        let missing = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
        let inner = match (path.as_str(), missing) {
            (".", Some(name)) => name.to_owned(),
            (".", None) => String::new(),
            (parent, Some(name)) => format!("{parent}.{name}"),
            (path, None) => path.to_owned(),
        };
        let field = join(prefix, &inner);
        error("invalid", field, message)
    })
}

/// `prefix.inner`, or whichever of the two is there (`record` when neither).
fn join(prefix: &str, inner: &str) -> String {
    match (prefix, inner.is_empty()) {
        ("", true) => "record".to_owned(),
        ("", false) => inner.to_owned(),
        (prefix, true) => prefix.to_owned(),
        (prefix, false) => format!("{prefix}.{inner}"),
    }
}

/// A record's fields from a newer app are kept on devices, but the server
/// knows every field of its own version: one it does not know is a mistake.
fn no_unknown(unknown: &crate::log::Unknown) -> Result<(), RecordError> {
    match unknown.keys().next() {
        Some(name) => Err(error("invalid", format!("body.{name}"), format!("unknown field `{name}`"))),
        None => Ok(()),
    }
}

/// The id a record claims, if it can be read at all (to name it in a refusal).
pub fn claimed_id(raw: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct Id {
        id: Option<String>,
    }
    serde_json::from_str::<Id>(raw.get()).ok().and_then(|r| r.id)
}

fn entry_error(e: &EntryError) -> RecordError {
    error("invalid", format!("body.{}", e.field()), e.to_string())
}

/// Checks one pushed record: its envelope, and its body against its kind.
/// `now_ms` is the server's clock: nothing may claim to be from more than a
/// day ahead of it.
pub fn check(raw: &RawValue, now_ms: i64) -> Result<Checked, RecordError> {
    let record: Record = parse(raw, "")?;
    if !is_uuid(&record.id) || &record.id[14..15] != "7" {
        return Err(error("invalid", "id", format!("id {:?} is not a UUIDv7", record.id)));
    }
    let latest = now_ms + 86_400_000;
    if record.updated_at_ms > latest || record.updated_at_ms < 946_684_800_000 {
        return Err(error(
            "invalid",
            "updated_at_ms",
            format!("updated_at_ms {} is not between 2000 and a day from now", record.updated_at_ms),
        ));
    }
    if record.deleted {
        if record.body.is_some() {
            return Err(error("invalid", "body", "a deleted record carries no body"));
        }
        return Ok(Checked {
            id: record.id,
            kind: record.kind,
            updated_at_ms: record.updated_at_ms,
            deleted: true,
            body: None,
        });
    }
    let Some(body) = &record.body else {
        return Err(error("invalid", "body", "body is missing (only a deleted record has none)"));
    };
    let same = |field: &str, id: &str, updated: i64| {
        if id != record.id {
            Err(error("invalid", format!("body.{field}"), "the body's id differs from the record's id"))
        } else if updated != record.updated_at_ms {
            Err(error("invalid", "body.updated_at_ms", "the body's updated_at_ms differs from the record's"))
        } else {
            Ok(())
        }
    };
    let future = |field: &str, at: i64| {
        if at > latest {
            Err(error(
                "invalid",
                format!("body.{field}"),
                format!("{field} {at} is more than a day from now"),
            ))
        } else {
            Ok(())
        }
    };
    let canonical = match record.kind {
        Kind::Entry => {
            let entry: Entry = parse(body, "body")?;
            no_unknown(&entry.unknown)?;
            entry.check().map_err(|e| entry_error(&e))?;
            same("id", &entry.id, entry.updated_at_ms)?;
            future("started_at_ms", entry.started_at_ms)?;
            serde_json::to_string(&entry)
        }
        Kind::CheckIn => {
            let check_in: CheckIn = parse(body, "body")?;
            no_unknown(&check_in.unknown)?;
            check_in.check().map_err(|e| entry_error(&e))?;
            same("id", &check_in.id, check_in.updated_at_ms)?;
            future("at_ms", check_in.at_ms)?;
            serde_json::to_string(&check_in)
        }
        Kind::Reflection => {
            let reflection: Reflection = parse(body, "body")?;
            no_unknown(&reflection.unknown)?;
            reflection.check().map_err(|e| entry_error(&e))?;
            same("id", &reflection.id, reflection.updated_at_ms)?;
            future("written_at_ms", reflection.written_at_ms)?;
            serde_json::to_string(&reflection)
        }
        Kind::Answers => {
            let answers: Answers = parse(body, "body")?;
            no_unknown(&answers.unknown)?;
            answers.check().map_err(|e| entry_error(&e))?;
            answers
                .check_against(crate::catalog())
                .map_err(|e| error("invalid", "body.answers", e.to_string()))?;
            same("id", &answers.id, answers.updated_at_ms)?;
            future("at_ms", answers.at_ms)?;
            serde_json::to_string(&answers)
        }
        Kind::Settings => {
            let settings: serde_json::Value = parse(body, "body")?;
            check_settings(&settings)?;
            serde_json::to_string(&settings)
        }
    };
    let body = canonical.map_err(|e| error("invalid", "body", e.to_string()))?;
    Ok(Checked {
        id: record.id,
        kind: record.kind,
        updated_at_ms: record.updated_at_ms,
        deleted: false,
        body: Some(body),
    })
}

/// Settings are a flat object of short names to short strings, numbers or
/// booleans: the server keeps them for the user's other devices and reads
/// nothing in them.
fn check_settings(body: &serde_json::Value) -> Result<(), RecordError> {
    let serde_json::Value::Object(map) = body else {
        return Err(error("invalid", "body", "settings are a JSON object"));
    };
    let size = body.to_string().len();
    if size > MAX_SETTINGS_BYTES {
        return Err(error(
            "too_large",
            "body",
            format!("settings are {size} bytes; at most {MAX_SETTINGS_BYTES}"),
        ));
    }
    for (key, value) in map {
        let name_ok = !key.is_empty()
            && key.len() <= 40
            && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !name_ok {
            return Err(error(
                "invalid",
                "body",
                format!("setting name {key:?} is not a-z, 0-9 and _ (1–40)"),
            ));
        }
        use serde_json::Value;
        let value_ok = match value {
            Value::Bool(_) | Value::Number(_) | Value::Null => true,
            Value::String(s) => s.chars().count() <= 200,
            Value::Array(_) | Value::Object(_) => false,
        };
        if !value_ok {
            return Err(error(
                "invalid",
                format!("body.{key}"),
                "a setting is a string (up to 200 characters), a number, true/false or null",
            ));
        }
    }
    Ok(())
}

/// A change made on the device and not yet acknowledged by the server: what
/// the device's outbox keeps (the record itself stays in its own store, so a
/// later change simply replaces this).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pending {
    pub kind: Kind,
    pub id: String,
    pub updated_at_ms: i64,
    #[serde(default)]
    pub deleted: bool,
}

impl Pending {
    pub fn version(&self) -> Version {
        Version { updated_at_ms: self.updated_at_ms, deleted: self.deleted }
    }

    /// The outbox key: one waiting change per record.
    pub fn key(&self) -> String {
        outbox_key(self.kind, &self.id)
    }
}

/// The outbox key of record `id` of `kind`.
pub fn outbox_key(kind: Kind, id: &str) -> String {
    format!("{}:{id}", kind.as_str())
}

/// What the merge rule looks at in a version of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version {
    pub updated_at_ms: i64,
    pub deleted: bool,
}

/// The merge rule, the one both sides apply (see the module docs): whether
/// `candidate`, arriving after `current`, becomes the current version. A
/// deletion stays (deleted means deleted); else a deletion wins; else the
/// later `updated_at_ms`, and on equal times the later arrival. The server
/// decides every push with it; the device decides with it whether a pulled
/// version replaces a change still waiting to be pushed ([`pulled_wins`]).
/// Both sides applying the same rule is what makes devices converge.
pub fn supersedes(candidate: Version, current: Version) -> bool {
    !current.deleted && (candidate.deleted || candidate.updated_at_ms >= current.updated_at_ms)
}

/// Whether a pulled version replaces a change still waiting on the device:
/// the waiting change reaches the server after the pulled one, so it wins
/// exactly when the server would keep it ([`supersedes`]).
pub fn pulled_wins(pulled: Version, waiting: &Pending) -> bool {
    !supersedes(waiting.version(), pulled)
}

/// Where the next pull starts after a push answered `results`: a record
/// whose pushed version was superseded has a newer current version on the
/// server, which this device may have pulled past already (its own older edit
/// then replaced it locally); pulling again from just before it brings it back.
pub fn cursor_after_push(cursor: i64, results: &[PushResult]) -> i64 {
    results
        .iter()
        .filter(|r| r.outcome == Outcome::Superseded)
        .filter_map(|r| r.seq)
        .map(|seq| seq - 1)
        .fold(cursor, i64::min)
        .max(0)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::log::uuid_v7;

    const NOW: i64 = 1_795_400_000_000;

    fn check(record: &Value, now_ms: i64) -> Result<Checked, RecordError> {
        let raw = serde_json::value::to_raw_value(record).expect("JSON");
        super::check(&raw, now_ms)
    }

    fn entry_record() -> Value {
        let id = uuid_v7(NOW as u64, [9; 10]);
        json!({
            "id": id, "kind": "entry", "updated_at_ms": NOW,
            "body": {
                "id": id, "practice": "breathing-box", "started_at_ms": NOW - 60_000,
                "utc_offset_minutes": 60, "planned_ms": 180000, "practised_ms": 60000,
                "ending": "stopped", "lang": "da", "updated_at_ms": NOW
            }
        })
    }

    #[test]
    fn a_good_entry_is_checked_into_canonical_json() {
        let checked = check(&entry_record(), NOW).expect("valid");
        assert_eq!(checked.kind, Kind::Entry);
        let body = checked.body.expect("a body");
        assert!(body.starts_with("{\"id\":"), "{body}");
        // Canonical: the same record with its keys in another order checks to the same text.
        let mut shuffled = entry_record();
        let b = shuffled["body"].take();
        let mut reordered = serde_json::Map::new();
        for (k, v) in b.as_object().expect("object").iter().rev() {
            reordered.insert(k.clone(), v.clone());
        }
        shuffled["body"] = Value::Object(reordered);
        assert_eq!(check(&shuffled, NOW).expect("valid").body, Some(body));
    }

    #[test]
    fn each_fault_names_its_field() {
        type Break = Box<dyn Fn(&mut Value)>;
        let cases: Vec<(Break, &str)> = vec![
            (Box::new(|r| r["id"] = json!("nope")), "id"),
            (Box::new(|r| r["colour"] = json!(1)), "colour"),
            (Box::new(|r| r["updated_at_ms"] = json!(NOW + 3 * 86_400_000)), "updated_at_ms"),
            (Box::new(|r| r["body"]["practice"] = json!("breathing-cube")), "body.practice"),
            (Box::new(|r| r["body"]["practised_ms"] = json!(999_999_999)), "body.practised_ms"),
            (Box::new(|r| r["body"]["planned_ms"] = json!("long")), "body.planned_ms"),
            (Box::new(|r| r["body"]["practised_ms"] = json!(-5)), "body.practised_ms"),
            (
                Box::new(|r| r.as_object_mut().map(|o| o.remove("updated_at_ms")).map(drop).unwrap_or(())),
                "updated_at_ms",
            ),
            (Box::new(|r| r["body"]["mood"] = json!("ok")), "body.mood"),
            (Box::new(|r| r["body"]["id"] = json!(uuid_v7(NOW as u64, [1; 10]))), "body.id"),
            (Box::new(|r| r["body"] = Value::Null), "body"),
            (Box::new(|r| r["kind"] = json!("diary")), "kind"),
            (Box::new(|r| r["updated_at_ms"] = json!("soon")), "updated_at_ms"),
            (Box::new(|r| *r = json!("a string")), "record"),
        ];
        for (break_it, field) in cases {
            let mut record = entry_record();
            break_it(&mut record);
            let error = check(&record, NOW).expect_err("refused");
            assert_eq!(error.field, field, "{record}: {error:?}");
        }
    }

    #[test]
    fn deletions_and_settings() {
        let id = uuid_v7(NOW as u64, [4; 10]);
        let gone = json!({"id": id, "kind": "reflection", "updated_at_ms": NOW, "deleted": true});
        let checked = check(&gone, NOW).expect("a tombstone");
        assert!(checked.deleted && checked.body.is_none());
        let with_body =
            json!({"id": id, "kind": "reflection", "updated_at_ms": NOW, "deleted": true, "body": {}});
        assert_eq!(check(&with_body, NOW).expect_err("refused").field, "body");
        let settings = json!({"id": id, "kind": "settings", "updated_at_ms": NOW,
            "body": {"theme": "dark", "speech": true, "voice_da": null}});
        assert!(check(&settings, NOW).is_ok());
        let nested = json!({"id": id, "kind": "settings", "updated_at_ms": NOW, "body": {"a": {"b": 1}}});
        assert_eq!(check(&nested, NOW).expect_err("refused").field, "body.a");
    }

    #[test]
    fn a_waiting_change_loses_only_to_a_deletion_or_a_later_version() {
        let waiting = Pending { kind: Kind::Entry, id: "x".into(), updated_at_ms: 100, deleted: false };
        let pulled = |updated_at_ms, deleted| Version { updated_at_ms, deleted };
        assert!(pulled_wins(pulled(101, false), &waiting));
        assert!(!pulled_wins(pulled(100, false), &waiting), "a tie goes to the one the server receives last");
        assert!(!pulled_wins(pulled(99, false), &waiting));
        assert!(pulled_wins(pulled(1, true), &waiting), "deleted means deleted");
        let deleting = Pending { deleted: true, ..waiting.clone() };
        assert!(!pulled_wins(pulled(500, false), &deleting));
        // Both deleted: the pulled deletion stands and nothing more is sent.
        assert!(pulled_wins(pulled(500, true), &deleting));
        assert_eq!(waiting.key(), "entry:x");
        assert_eq!(outbox_key(Kind::CheckIn, "y"), "check-in:y");
    }

    #[test]
    fn a_superseded_push_rewinds_the_cursor_to_fetch_the_winner_again() {
        let result = |outcome, seq| PushResult { id: Some("x".into()), outcome, seq, error: None };
        assert_eq!(cursor_after_push(40, &[result(Outcome::Stored, Some(41))]), 40);
        assert_eq!(
            cursor_after_push(
                40,
                &[result(Outcome::Superseded, Some(12)), result(Outcome::Superseded, Some(30))]
            ),
            11
        );
        assert_eq!(cursor_after_push(40, &[result(Outcome::Duplicate, Some(3))]), 40);
        assert_eq!(cursor_after_push(0, &[result(Outcome::Superseded, Some(1))]), 0);
    }
}

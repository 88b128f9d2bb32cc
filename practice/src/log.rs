//! The home-practice log: one entry per playing of a practice, written when it
//! starts and updated as it goes and when it ends, so a tab that is killed
//! leaves an honest partial entry ("unfinished", with the time practised so
//! far). The same record is what the device keeps and, later, what it syncs:
//! ids are UUIDv7 made on the device, and every entry read back is checked.

use serde::{Deserialize, Serialize};

use crate::model::PracticeId;
pub use crate::model::is_uuid;
use crate::stats::Practised;
use crate::{Lang, catalog};

/// The longest a single practice entry may claim (a full day of practice is
/// already far beyond any programme).
pub const MAX_MS: u32 = 24 * 3_600_000;

/// How a playing ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Ending {
    /// Played to the end.
    Completed,
    /// Stopped by the user before the end.
    Stopped,
}

/// Fields of a record that this version does not know (written by a newer
/// app): kept as they came and written back unchanged, so a record synced
/// from a newer device loses nothing on an older one. The server, which is
/// never older than the app it serves, refuses them in a push
/// ([`crate::sync::check`]), so a misspelt field is still an error.
pub type Unknown = serde_json::Map<String, serde_json::Value>;

/// One playing of a practice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    /// UUIDv7, made on the device when the playing started.
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub practice: PracticeId,
    /// When it started, in ms since 1970-01-01 UTC.
    pub started_at_ms: i64,
    /// The device's offset from UTC when it started, in minutes.
    pub utc_offset_minutes: i16,
    /// The chosen length, in ms.
    pub planned_ms: u32,
    /// How long was practised so far, in ms (by the player's clock).
    pub practised_ms: u32,
    /// None while playing, or when the tab was closed before the end.
    pub ending: Option<Ending>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub lang: Lang,
    /// Last change, in ms since 1970-01-01 UTC.
    pub updated_at_ms: i64,
    /// See [`Unknown`].
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub unknown: Unknown,
}

/// What is wrong with a stored or received entry.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("id {0:?} is not a UUID")]
    Id(String),
    #[error("practice {0:?} is neither in the catalog nor a recording (rec-<uuid>)")]
    Practice(String),
    #[error("{field} is out of range ({value})")]
    Range { field: &'static str, value: i64 },
    #[error("{0} is empty")]
    Empty(&'static str),
    #[error("{field} holds {value:?}, which is not a course id")]
    NotAnId { field: &'static str, value: String },
}

impl EntryError {
    /// The field at fault, as named in the JSON.
    pub fn field(&self) -> &'static str {
        match self {
            EntryError::Id(_) => "id",
            EntryError::Practice(_) => "practice",
            EntryError::Range { field, .. } => field,
            EntryError::Empty(what) => what,
            EntryError::NotAnId { field, .. } => field,
        }
    }
}

/// `value` as a start time: between 2000 and 2200.
pub(crate) fn check_time(field: &'static str, value: i64) -> Result<(), EntryError> {
    if (EARLIEST_MS..LATEST_MS).contains(&value) { Ok(()) } else { Err(EntryError::Range { field, value }) }
}

/// `value` as a UTC offset: ±14 h, the widest in use.
pub(crate) fn check_offset(value: i16) -> Result<(), EntryError> {
    if (-14 * 60..=14 * 60).contains(&value) {
        Ok(())
    } else {
        Err(EntryError::Range { field: "utc_offset_minutes", value: i64::from(value) })
    }
}

/// 2000-01-01 and 2200-01-01 in ms: no entry starts outside these.
const EARLIEST_MS: i64 = 946_684_800_000;
const LATEST_MS: i64 = 7_258_118_400_000;

impl Entry {
    /// A new entry for a playing that starts now.
    pub fn start(
        id: String,
        practice: PracticeId,
        now_ms: i64,
        utc_offset_minutes: i16,
        planned_ms: u32,
        lang: Lang,
    ) -> Entry {
        Entry {
            id,
            practice,
            started_at_ms: now_ms,
            utc_offset_minutes,
            planned_ms,
            practised_ms: 0,
            ending: None,
            lang,
            updated_at_ms: now_ms,
            unknown: Unknown::new(),
        }
    }

    /// An informal practice, done in daily life and logged afterwards: the
    /// whole `planned_ms` counts, and it is complete.
    pub fn logged_afterwards(
        id: String,
        practice: PracticeId,
        now_ms: i64,
        utc_offset_minutes: i16,
        planned_ms: u32,
        lang: Lang,
    ) -> Entry {
        Entry {
            practised_ms: planned_ms,
            ending: Some(Ending::Completed),
            ..Entry::start(id, practice, now_ms, utc_offset_minutes, planned_ms, lang)
        }
    }

    /// Checks every field; an entry that fails is never shown or counted.
    pub fn check(&self) -> Result<(), EntryError> {
        if !is_uuid(&self.id) {
            return Err(EntryError::Id(self.id.clone()));
        }
        if catalog().get(self.practice.as_str()).is_none() && self.practice.recording().is_none() {
            return Err(EntryError::Practice(self.practice.to_string()));
        }
        let range =
            |field, value: i64, ok: bool| if ok { Ok(()) } else { Err(EntryError::Range { field, value }) };
        check_time("started_at_ms", self.started_at_ms)?;
        check_offset(self.utc_offset_minutes)?;
        range("planned_ms", i64::from(self.planned_ms), self.planned_ms > 0 && self.planned_ms <= MAX_MS)?;
        range("practised_ms", i64::from(self.practised_ms), self.practised_ms <= self.planned_ms)?;
        range("updated_at_ms", self.updated_at_ms, self.updated_at_ms >= self.started_at_ms)
    }

    /// As statistics count it.
    pub fn practised(&self) -> Practised {
        Practised {
            practice: self.practice.clone(),
            started_at_ms: self.started_at_ms,
            utc_offset_minutes: self.utc_offset_minutes,
            ms: self.practised_ms,
        }
    }
}

/// What is wrong with a correction typed into the history's edit form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the date is not a date (expected YYYY-MM-DD)")]
    Date,
    #[error("the time is not a time of day (expected HH:MM)")]
    Time,
    #[error("minutes must be a whole number from 1 to 1440")]
    Minutes,
    #[error("the start is in the future")]
    Future,
}

/// The longest an edited entry may say was practised, in minutes (one day).
pub const MAX_EDIT_MINUTES: u32 = 24 * 60;

impl Entry {
    /// The start as the edit form shows it: local ("YYYY-MM-DD", "HH:MM") in
    /// the offset the entry was made in.
    pub fn local_start(&self) -> (String, String) {
        let local = self.started_at_ms + i64::from(self.utc_offset_minutes) * 60_000;
        let (y, m, d) = crate::stats::Date(local.div_euclid(86_400_000) as i32).ymd();
        let minutes = local.rem_euclid(86_400_000) / 60_000;
        (format!("{y:04}-{m:02}-{d:02}"), format!("{:02}:{:02}", minutes / 60, minutes % 60))
    }

    /// This entry as the user corrected it: started on local `date`
    /// ("YYYY-MM-DD") at `time` ("HH:MM", seconds allowed and ignored) in the
    /// entry's own UTC offset, with `minutes` practised. The planned length
    /// grows to fit a longer practice; how it ended stays as it was. The
    /// change is stamped `now_ms` (later than any earlier change, so it wins
    /// when synced).
    pub fn edited(&self, date: &str, time: &str, minutes: &str, now_ms: i64) -> Result<Entry, EditError> {
        let day = crate::stats::Date::parse(date.trim()).ok_or(EditError::Date)?;
        let minute_of_day = parse_time(time.trim()).ok_or(EditError::Time)?;
        let minutes: u32 = minutes.trim().parse().map_err(|_| EditError::Minutes)?;
        if !(1..=MAX_EDIT_MINUTES).contains(&minutes) {
            return Err(EditError::Minutes);
        }
        let local_ms = i64::from(day.0) * 86_400_000 + i64::from(minute_of_day) * 60_000;
        let started_at_ms = local_ms - i64::from(self.utc_offset_minutes) * 60_000;
        // A minute's slack: the form shows whole minutes.
        if started_at_ms > now_ms + 60_000 {
            return Err(EditError::Future);
        }
        if check_time("started_at_ms", started_at_ms).is_err() {
            return Err(EditError::Date);
        }
        let practised_ms = minutes * 60_000;
        Ok(Entry {
            started_at_ms,
            practised_ms,
            planned_ms: self.planned_ms.max(practised_ms),
            updated_at_ms: now_ms.max(self.updated_at_ms + 1).max(started_at_ms),
            ..self.clone()
        })
    }
}

/// "HH:MM" or "HH:MM:SS" (what `<input type="time">` gives), as minutes of the day.
fn parse_time(text: &str) -> Option<u32> {
    let mut parts = text.split(':');
    let (h, m) = (parts.next()?, parts.next()?);
    match parts.next() {
        None => {}
        Some(s) if s.len() >= 2 && s.split('.').next()?.parse::<u32>().ok()? < 60 => {}
        Some(_) => return None,
    }
    if parts.next().is_some() || h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// A UUIDv7 (RFC 9562) from a Unix time in ms and 10 random bytes, as text.
pub fn uuid_v7(unix_ms: u64, random: [u8; 10]) -> String {
    let mut b = [0u8; 16];
    b[..6].copy_from_slice(&unix_ms.to_be_bytes()[2..]);
    b[6..].copy_from_slice(&random);
    b[6] = 0x70 | (b[6] & 0x0f); // version 7
    b[8] = 0x80 | (b[8] & 0x3f); // RFC variant
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        let id = uuid_v7(1_795_400_000_000, [7; 10]);
        let practice = PracticeId::parse("breathing-box").expect("a valid id");
        Entry::start(id, practice, 1_795_400_000_000, 60, 180_000, Lang::Da)
    }

    #[test]
    fn uuid_v7_keeps_time_order_version_and_variant() {
        let a = uuid_v7(1_795_400_000_000, [0xff; 10]);
        let b = uuid_v7(1_795_400_000_001, [0x00; 10]);
        assert!(is_uuid(&a) && is_uuid(&b));
        assert!(a < b, "later ids sort later: {a} {b}");
        assert_eq!(&a[14..15], "7");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
        assert_eq!(&uuid_v7(0x0123_4567_89ab, [0; 10])[..13], "01234567-89ab");
    }

    #[test]
    fn a_fresh_entry_is_valid_and_round_trips_through_json() {
        let e = entry();
        assert_eq!(e.check(), Ok(()));
        let json = serde_json::to_string(&e).expect("serialises");
        assert_eq!(serde_json::from_str::<Entry>(&json).expect("parses"), e);
    }

    #[test]
    fn an_informal_practice_is_logged_complete() {
        let e =
            Entry::logged_afterwards(entry().id, entry().practice, 1_795_400_000_000, 60, 300_000, Lang::Da);
        assert_eq!((e.practised_ms, e.ending, e.check()), (300_000, Some(Ending::Completed), Ok(())));
    }

    #[test]
    fn bad_entries_are_refused_with_the_field_named() {
        let mut e = entry();
        e.id = "not-a-uuid".into();
        assert_eq!(e.check(), Err(EntryError::Id("not-a-uuid".into())));
        let mut e = entry();
        e.practised_ms = e.planned_ms + 1;
        assert!(matches!(e.check(), Err(EntryError::Range { field: "practised_ms", .. })));
        let mut e = entry();
        e.started_at_ms = 0;
        assert!(matches!(e.check(), Err(EntryError::Range { field: "started_at_ms", .. })));
        let mut e = entry();
        e.utc_offset_minutes = 15 * 60;
        assert!(matches!(e.check(), Err(EntryError::Range { field: "utc_offset_minutes", .. })));
        // A field from a newer app is kept (the server refuses it in a push,
        // `sync::check`); an unknown practice is refused.
        let json =
            serde_json::to_string(&entry()).expect("serialises").replace("\"lang\"", "\"colour\":1,\"lang\"");
        let newer: Entry = serde_json::from_str(&json).expect("reads");
        assert_eq!((newer.check(), newer.unknown.get("colour")), (Ok(()), Some(&serde_json::json!(1))));
        assert_eq!(serde_json::to_value(&newer).expect("serialises")["colour"], 1, "written back");
        let json =
            serde_json::to_string(&entry()).expect("serialises").replace("breathing-box", "breathing-cube");
        let parsed: Entry = serde_json::from_str(&json).expect("a well-formed id");
        assert_eq!(parsed.check(), Err(EntryError::Practice("breathing-cube".into())));
    }

    #[test]
    fn a_teachers_recording_is_a_practice_of_its_own() {
        let recording = "0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b";
        let practice = PracticeId::of_recording(recording).expect("a UUID");
        assert_eq!(practice.as_str(), "rec-0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b");
        assert_eq!(practice.recording(), Some(recording));
        assert_eq!(PracticeId::parse(practice.as_str()), Ok(practice.clone()), "a well-formed practice id");
        let mut e = entry();
        e.practice = practice;
        assert_eq!(e.check(), Ok(()));
        // Only a whole UUID after the prefix: anything else is an unknown practice.
        assert_eq!(PracticeId::of_recording("not-a-uuid"), None);
        let half = PracticeId::parse("rec-0193a5b2").expect("well formed");
        assert_eq!(half.recording(), None);
        e.practice = half;
        assert_eq!(e.check(), Err(EntryError::Practice("rec-0193a5b2".into())));
        assert!(catalog().practices.iter().all(|p| p.id.recording().is_none()));
    }

    #[test]
    fn an_edit_moves_the_start_in_the_entrys_own_offset_and_changes_the_minutes() {
        let e = entry(); // made at +01:00
        let (date, time) = e.local_start();
        let now = e.updated_at_ms + 86_400_000;
        let edited = e.edited("2026-11-20", "07:30", "25", now).expect("a good edit");
        assert_eq!(edited.local_start(), ("2026-11-20".to_owned(), "07:30".to_owned()));
        assert_eq!(edited.started_at_ms % 60_000, 0);
        // 07:30 at +01:00 is 06:30 UTC.
        assert_eq!(edited.started_at_ms.rem_euclid(86_400_000), (6 * 60 + 30) * 60_000);
        assert_eq!(edited.practised_ms, 25 * 60_000);
        assert_eq!(edited.planned_ms, 25 * 60_000, "the plan grows to fit");
        assert_eq!(edited.updated_at_ms, now);
        assert_eq!((edited.id.as_str(), edited.ending), (e.id.as_str(), e.ending));
        assert_eq!(edited.check(), Ok(()));
        // Unchanged fields give back the same start; seconds are ignored.
        let same = e.edited(&date, &format!("{time}:41"), "2", now).expect("a good edit");
        assert_eq!(same.local_start(), e.local_start());
        assert_eq!(same.planned_ms, e.planned_ms, "a shorter practice keeps the plan");
        // An edit stamped with a clock behind the last change still wins.
        assert_eq!(
            e.edited(&date, &time, "2", e.updated_at_ms - 1).map(|x| x.updated_at_ms),
            Ok(e.updated_at_ms + 1)
        );
    }

    #[test]
    fn bad_edits_say_what_is_wrong() {
        let e = entry();
        let now = e.updated_at_ms;
        for (date, time, minutes, error) in [
            ("2026-02-30", "07:00", "5", EditError::Date),
            ("20-11-2026", "07:00", "5", EditError::Date),
            ("", "07:00", "5", EditError::Date),
            ("1999-12-31", "07:00", "5", EditError::Date),
            ("2026-11-20", "24:00", "5", EditError::Time),
            ("2026-11-20", "7:00", "5", EditError::Time),
            ("2026-11-20", "07:60", "5", EditError::Time),
            ("2026-11-20", "07:00", "0", EditError::Minutes),
            ("2026-11-20", "07:00", "1441", EditError::Minutes),
            ("2026-11-20", "07:00", "2.5", EditError::Minutes),
            ("2026-11-20", "07:00", "", EditError::Minutes),
            ("2030-01-01", "07:00", "5", EditError::Future),
        ] {
            assert_eq!(e.edited(date, time, minutes, now), Err(error), "{date} {time} {minutes}");
        }
    }
}

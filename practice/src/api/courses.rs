//! Courses, invites, joining with consent, members, and each week's assigned
//! home practice.

use serde::{Deserialize, Serialize};

use super::{FieldError, Role};
pub use crate::schedule::{Meetings, RetreatDay};
use crate::{HomePractice, PracticeId, catalog};

/// Most participants in a course unless the instructor says otherwise (MSC
/// and MBSR groups are usually 8–15).
pub const DEFAULT_CAPACITY: u16 = 13;
pub const MAX_CAPACITY: u16 = 200;
/// The most weeks a course has (a year of weekly sessions).
pub const MAX_WEEKS: u16 = 52;
/// The most practices assigned in one week.
pub const MAX_PER_WEEK: usize = 10;
/// The longest way to reach an instructor, in characters.
pub const MAX_CONTACT: usize = 200;

/// What a participant allows their course's instructor to see. Sent when
/// joining and changing consent, and part of a course as the participant sees
/// it: `adherence` and `reflections` must be given (there is no default for
/// consent); the two about questionnaires came later, and an app that joins
/// without them has not asked them, so absent is no (a change of consent
/// leaves them as they are: [`ConsentChange`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    /// Minutes, days practised, adherence to the assignment, check-in trends.
    pub adherence: bool,
    /// The reflections the participant marks as shared, one by one.
    pub reflections: bool,
    /// My questionnaire answers may be counted in the course's anonymous
    /// group results (shown only for groups of at least 5).
    #[serde(default)]
    pub group_results: bool,
    /// My instructor may see my own questionnaire answers.
    #[serde(default)]
    pub answers: bool,
}

/// A change of consent (`PUT /api/courses/{id}/consent`): `adherence` and
/// `reflections` as in [`Consent`]; the two about questionnaires stay as
/// they are when absent (an app from before them does not know them, and
/// must not withdraw them by not knowing).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentChange {
    pub adherence: bool,
    pub reflections: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_results: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<bool>,
}

impl ConsentChange {
    /// The consent it leaves, changing `now`.
    pub fn applied_to(self, now: Consent) -> Consent {
        Consent {
            adherence: self.adherence,
            reflections: self.reflections,
            group_results: self.group_results.unwrap_or(now.group_results),
            answers: self.answers.unwrap_or(now.answers),
        }
    }
}

impl From<Consent> for ConsentChange {
    fn from(consent: Consent) -> ConsentChange {
        ConsentChange {
            adherence: consent.adherence,
            reflections: consent.reflections,
            group_results: Some(consent.group_results),
            answers: Some(consent.answers),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invite {
    /// `XXXX-XXXX-XXXX`; read however typed (case, spaces, O for 0).
    pub code: String,
    pub expires_at_ms: i64,
}

/// A course as its instructor sees it (`role` is "instructor").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Teaching {
    pub id: String,
    pub role: Role,
    pub title: String,
    /// "da" or "en".
    pub lang: String,
    pub time_zone: String,
    /// YYYY-MM-DD: the first day of week 1.
    pub start_date: String,
    /// Whether people can join with the invite code.
    pub open: bool,
    pub capacity: i32,
    /// The programme it follows, if made from a template.
    #[serde(default)]
    pub template: Option<String>,
    pub participants: i64,
    /// The questionnaires the course asks, and when.
    #[serde(default)]
    pub measures: super::MeasurePlan,
    /// The invite code that works now, if any.
    #[serde(default)]
    pub invite: Option<Invite>,
    /// When and where the group meets.
    #[serde(default)]
    pub meetings: Meetings,
    /// How participants reach the instructor between meetings, in the
    /// instructor's words (empty: not given).
    #[serde(default)]
    pub contact: String,
    pub created_at_ms: i64,
}

/// A course as a participant sees it (`role` is "participant").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Joined {
    pub id: String,
    pub role: Role,
    pub title: String,
    pub lang: String,
    pub time_zone: String,
    pub start_date: String,
    /// The programme it follows, if made from a template (the app shows the
    /// week's knowledge card from it).
    #[serde(default)]
    pub template: Option<String>,
    /// The instructor's display name.
    pub instructor: String,
    pub joined_at_ms: i64,
    pub consent: Consent,
    /// The questionnaires the course asks, and when (the app asks at those times).
    #[serde(default)]
    pub measures: super::MeasurePlan,
    /// When and where the group meets.
    #[serde(default)]
    pub meetings: Meetings,
    /// How to reach the instructor between meetings, in their words
    /// (empty: not given; then as agreed in the course).
    #[serde(default)]
    pub contact: String,
}

/// A course as the caller may see it: `role` says which view it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CourseView {
    Teaching(Teaching),
    Joined(Joined),
}

/// The courses you teach and the courses you are in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Courses {
    #[serde(default)]
    pub teaching: Vec<Teaching>,
    #[serde(default)]
    pub joined: Vec<Joined>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCourse {
    /// 1–120 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 120))]
    pub title: String,
    /// "da" or "en".
    #[cfg_attr(feature = "openapi", schema(pattern = "^(da|en)$"))]
    pub lang: String,
    /// An IANA name, e.g. "Europe/Copenhagen".
    pub time_zone: String,
    /// YYYY-MM-DD: the first day of week 1.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub start_date: String,
    /// Whether people can join with the invite code (default true).
    #[serde(default = "yes")]
    pub open: bool,
    /// 1–200 participants (default 13).
    #[serde(default = "default_capacity")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 200))]
    pub capacity: u16,
    /// A course template id from the catalog (`msc`, `mbsr`, …): its weekly
    /// home practice becomes the course's assignments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
}

fn yes() -> bool {
    true
}

fn default_capacity() -> u16 {
    DEFAULT_CAPACITY
}

/// Only the fields given change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CourseChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u16>,
    /// The whole plan of when and where the group meets, replacing the one
    /// before.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "plan_object")]
    pub meetings: Option<Meetings>,
    /// How participants reach you between meetings: a phone number and when
    /// you answer, say (one line, at most 200 characters; empty takes it away).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// A meeting plan as a request gives it: an object (serde would also read
/// a struct from an array of its fields in order, which no client means),
/// its retreat an object or null.
fn plan_object<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Meetings>, D::Error> {
    use serde::de::Error;
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(plan @ serde_json::Value::Object(_)) => {
            if plan.get("retreat").is_some_and(|r| !r.is_object() && !r.is_null()) {
                return Err(D::Error::custom("retreat is an object, {\"date\": \"YYYY-MM-DD\", …}, or null"));
            }
            serde_json::from_value(plan).map(Some).map_err(D::Error::custom)
        }
        Some(_) => Err(D::Error::custom("meetings is an object, {\"time\": \"HH:MM\", \"skipped\": […], …}")),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInvite {
    /// How many days the code lets people join: 1–90 (default 28).
    #[serde(default = "four_weeks")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 90))]
    pub valid_days: u16,
}

fn four_weeks() -> u16 {
    28
}

impl Default for NewInvite {
    fn default() -> NewInvite {
        NewInvite { valid_days: four_weeks() }
    }
}

/// An invite code, to see its course before joining.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinCode {
    pub code: String,
}

/// What someone holding an invite sees before deciding to join: the course,
/// who teaches it, and whether it has room.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinPreview {
    pub title: String,
    /// The instructor's display name.
    pub instructor: String,
    pub lang: String,
    pub start_date: String,
    /// The programme it follows, if made from a template.
    #[serde(default)]
    pub template: Option<String>,
    /// How many weeks the course runs: its number of meetings when the
    /// instructor set one, else its weeks with home practice; 0 for an open
    /// group, which does not end.
    pub weeks: i64,
    /// Open to new participants and not full.
    pub open: bool,
    /// The questionnaires the course asks (the two questions of consent
    /// about them are asked only when it asks any).
    #[serde(default)]
    pub measures: super::MeasurePlan,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinForm {
    pub code: String,
    /// Explicit: both fields must be given, true or false.
    pub consent: Consent,
}

/// A participant of a course, as its instructor sees the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub user_id: String,
    pub display_name: String,
    pub joined_at_ms: i64,
    pub share_adherence: bool,
    pub share_reflections: bool,
    /// Counted in the questionnaires' group results.
    #[serde(default)]
    pub share_group_results: bool,
    /// Lets the instructor see their own questionnaire answers.
    #[serde(default)]
    pub share_answers: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Members {
    pub members: Vec<Member>,
}

/// One assigned practice: which, how long, on how many days a week and how
/// many times a day. Sent by the instructor and read by participants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assigned {
    /// A practice id from the catalog.
    pub practice: String,
    /// One of the lengths the practice offers.
    pub minutes: i32,
    /// Days a week, 1–7.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 7))]
    pub days: i32,
    /// Times a day, 1–5 (the 3-minute breathing space is three a day).
    #[serde(default = "one")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub per_day: i32,
}

fn one() -> i32 {
    1
}

impl Assigned {
    /// As the statistics read it; None if the practice left the catalog.
    pub fn home_practice(&self) -> Option<HomePractice> {
        Some(HomePractice {
            id: PracticeId::parse(&self.practice).ok()?,
            minutes: u16::try_from(self.minutes).ok()?,
            days: u8::try_from(self.days).ok()?,
            per_day: u8::try_from(self.per_day).ok()?,
        })
    }

    /// Whether the catalog offers this: a known practice at one of its
    /// lengths, 1–7 days a week, 1–5 times a day. `index` is its place in
    /// the week's list, for the field's path.
    pub fn check(&self, index: usize) -> Result<(), FieldError> {
        let field = |name: &str| format!("practices[{index}].{name}");
        let Some(practice) = catalog().get(&self.practice) else {
            return Err(FieldError::new(
                field("practice"),
                format!("{:?} is not a practice in the catalog", self.practice),
            ));
        };
        let minutes_ok = u16::try_from(self.minutes).is_ok_and(|m| practice.allows_minutes(m));
        if !minutes_ok {
            let lengths: Vec<String> = practice.minutes.iter().map(u16::to_string).collect();
            let allowed = if practice.custom_length {
                format!(
                    "{} to {}",
                    lengths.first().map_or("?", String::as_str),
                    lengths.last().map_or("?", String::as_str)
                )
            } else {
                lengths.join(", ")
            };
            return Err(FieldError::new(
                field("minutes"),
                format!("{} plays for {allowed} minutes, not {}", self.practice, self.minutes),
            ));
        }
        if !(1..=7).contains(&self.days) {
            return Err(FieldError::new(field("days"), "days a week is 1 to 7"));
        }
        if !(1..=5).contains(&self.per_day) {
            return Err(FieldError::new(field("per_day"), "times a day is 1 to 5"));
        }
        Ok(())
    }
}

/// One week's assignment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Week {
    /// Course week, 1 = the seven days from the start date.
    pub week: i32,
    pub practices: Vec<Assigned>,
}

/// Every week of a course that has practices, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weeks {
    pub weeks: Vec<Week>,
}

/// A week's new list of practices (replaces the old one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekForm {
    /// At most 10.
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub practices: Vec<Assigned>,
}

impl WeekForm {
    /// Checks the list as the server does: at most [`MAX_PER_WEEK`], each offered.
    pub fn check(&self) -> Result<(), FieldError> {
        if self.practices.len() > MAX_PER_WEEK {
            return Err(FieldError::new("practices", format!("at most {MAX_PER_WEEK} practices a week")));
        }
        self.practices.iter().enumerate().try_for_each(|(index, assigned)| assigned.check(index))
    }
}

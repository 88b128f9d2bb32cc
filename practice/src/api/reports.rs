//! A course's report for its instructor: per participant and course week,
//! only what each participant consented to share.

use serde::{Deserialize, Serialize};

use crate::stats::Adherence;

/// Check-ins of a week: how many, distress before and after on average, and
/// the ladder's answers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckIns {
    pub count: u32,
    #[serde(default)]
    pub distress_before_mean: Option<f64>,
    #[serde(default)]
    pub distress_after_mean: Option<f64>,
    pub ventral: u32,
    pub sympathetic: u32,
    pub dorsal: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekReport {
    pub week: u16,
    pub start_date: String,
    pub minutes: u32,
    pub days: u32,
    /// Minutes on each of the week's seven days (for the participants × days heatmap).
    pub daily_minutes: Vec<u32>,
    /// Practices done (log entries with time practised).
    pub sessions: u32,
    /// None when the week has no assignment.
    #[serde(default)]
    pub adherence: Option<Adherence>,
    pub check_ins: CheckIns,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedReflection {
    pub written_at_ms: i64,
    pub utc_offset_minutes: i16,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantReport {
    pub user_id: String,
    pub display_name: String,
    pub shares_adherence: bool,
    pub shares_reflections: bool,
    /// Empty unless the participant shares adherence.
    pub weeks: Vec<WeekReport>,
    /// Empty unless the participant shares reflections; only those marked shared.
    pub reflections: Vec<SharedReflection>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub course_id: String,
    pub title: String,
    pub start_date: String,
    /// The session days without a session (a week that belongs to no
    /// course week), YYYY-MM-DD.
    #[serde(default)]
    pub skipped: Vec<String>,
    pub weeks: u16,
    pub participants: Vec<ParticipantReport>,
}

//! A course's outcome measures: which questionnaires it asks and when (set by
//! its instructor), and the results its instructor reads — group figures of
//! those who consent to being counted, shown only for groups of at least
//! [`crate::outcomes::MIN_GROUP`], and the answers of those who let their
//! instructor see them.

use serde::{Deserialize, Serialize};

use super::FieldError;
use crate::measures::{Instrument, Measures};

/// When a course asks its questionnaires: which, and at which course weeks
/// (0 = before it begins; `n` = from the first day of week `n`, for two
/// weeks). Sent by the instructor; part of a course as both sides see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeasurePlan {
    /// Questionnaire ids (`who-5`, `pss-10`, `scs-sf`), at most 5.
    #[cfg_attr(feature = "openapi", schema(max_items = 5))]
    pub instruments: Vec<String>,
    /// Course weeks, earliest first, each once: 0 to 78, at most 6.
    #[cfg_attr(feature = "openapi", schema(max_items = 6))]
    pub weeks: Vec<u16>,
}

impl MeasurePlan {
    pub fn measures(&self) -> Measures {
        Measures { instruments: self.instruments.clone(), weeks: self.weeks.clone() }
    }

    /// The same plan with its weeks in order.
    pub fn sorted(mut self) -> MeasurePlan {
        self.weeks.sort_unstable();
        self
    }

    /// The first problem, as the server answers it, with `known` the
    /// questionnaires this version has (the weeks sorted first: any order is
    /// read as the same plan).
    pub fn check(&self, known: &[Instrument]) -> Result<(), FieldError> {
        match self.clone().sorted().measures().problems(known).into_iter().next() {
            Some((field, message)) => Err(FieldError::new(field, message)),
            None => Ok(()),
        }
    }
}

impl From<&Measures> for MeasurePlan {
    fn from(measures: &Measures) -> MeasurePlan {
        MeasurePlan { instruments: measures.instruments.clone(), weeks: measures.weeks.clone() }
    }
}

/// A mean and standard deviation (n − 1).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Spread {
    pub mean: f64,
    pub sd: f64,
}

/// Home practice in one course week, of the participants who share it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PracticeWeek {
    pub week: u16,
    /// How many share their practice (every one of them counts, with 0 for a week without practice).
    pub n: u32,
    /// Minutes practised in the week; None when `n` is below the minimum group.
    #[serde(default)]
    pub minutes: Option<Spread>,
    /// Days practised in the week; None when `n` is below the minimum group.
    #[serde(default)]
    pub days: Option<Spread>,
}

/// One questionnaire's scores at one measurement point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointResult {
    pub week: u16,
    /// How many counted answered in the point's window.
    pub n: u32,
    /// None when `n` is below the minimum group.
    #[serde(default)]
    pub scores: Option<Spread>,
}

/// The change between two points of those who answered at both.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointChange {
    pub from_week: u16,
    pub to_week: u16,
    /// How many answered at both points.
    pub n: u32,
    /// None when `n` is below the minimum group.
    #[serde(default)]
    pub figures: Option<ChangeFigures>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeFigures {
    pub before: Spread,
    pub after: Spread,
    /// Mean of (after − before), on the questionnaire's scale.
    pub mean_change: f64,
    pub sd_change: f64,
    /// The 95 % confidence interval of the mean change.
    pub ci95_low: f64,
    pub ci95_high: f64,
    /// Cohen's d_z (mean change / SD of the changes); None when every change is the same.
    #[serde(default)]
    pub effect_size: Option<f64>,
    /// How many changed by at least the questionnaire's meaningful change,
    /// for the better and for the worse.
    pub better: u32,
    pub worse: u32,
}

/// One questionnaire's group results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstrumentResults {
    pub instrument: String,
    /// Its name as the literature names it.
    pub name: String,
    /// Whether every answer counted was given in a validated wording (with
    /// none yet: whether the course language's wording is validated).
    pub validated: bool,
    /// Where the wording in the course's language comes from.
    pub wording_source: String,
    pub citation: String,
    pub lowest: f64,
    pub highest: f64,
    pub higher_is_better: bool,
    /// The change that counts as meaningful, if the questionnaire has one.
    #[serde(default)]
    pub meaningful_change: Option<f64>,
    /// One per measurement point, in order.
    pub points: Vec<PointResult>,
    /// From the first point to each later one.
    pub changes: Vec<PointChange>,
}

/// A score of one participant at one point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndividualScore {
    pub instrument: String,
    pub week: u16,
    /// Rounded as the questionnaire shows it.
    pub score: f64,
    pub answered_at_ms: i64,
    pub utc_offset_minutes: i16,
}

/// The answers of a participant who lets the instructor see them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Individual {
    pub user_id: String,
    pub display_name: String,
    pub scores: Vec<IndividualScore>,
}

/// A course's outcomes, for its instructor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outcomes {
    pub course_id: String,
    pub title: String,
    pub lang: String,
    pub start_date: String,
    /// The programme it follows, if made from a template.
    #[serde(default)]
    pub template: Option<String>,
    /// Course weeks of home practice.
    pub weeks: u16,
    pub plan: MeasurePlan,
    /// The fewest people a group figure is shown for.
    pub min_group: u32,
    pub participants: u32,
    /// How many consent to their answers counting in the group results.
    pub counted: u32,
    /// Home practice week by week.
    pub practice: Vec<PracticeWeek>,
    /// One per questionnaire of the plan.
    pub instruments: Vec<InstrumentResults>,
    /// Those who let their instructor see their own answers.
    pub individuals: Vec<Individual>,
}

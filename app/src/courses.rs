//! The courses this account has joined, as the participant sees them: asked
//! of the server when online and kept on the device, so "This week" shows
//! with the network off too. Joining (with explicit consent), changing
//! consent and leaving.

use serde::{Deserialize, Serialize};
use stille_practice::stats::{Date, DayRule, Practised, adherence};
use stille_practice::{HomePractice, PracticeId};

use crate::api::{self, ApiError, NO_BODY};
use crate::storage;

const CACHE: &str = "stille.courses.v1";

/// What a participant lets the instructor see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub adherence: bool,
    pub reflections: bool,
}

/// One assigned practice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assigned {
    pub practice: String,
    pub minutes: i32,
    pub days: i32,
    pub per_day: i32,
}

impl Assigned {
    fn home(&self) -> Option<HomePractice> {
        Some(HomePractice {
            id: PracticeId::parse(&self.practice).ok()?,
            minutes: u16::try_from(self.minutes).ok()?,
            days: u8::try_from(self.days).ok()?,
            per_day: u8::try_from(self.per_day).ok()?,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Week {
    pub week: i32,
    pub practices: Vec<Assigned>,
}

/// A joined course, with its weeks. (Answers from the server may carry
/// fields this version does not know; they are ignored, not refused.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Joined {
    pub id: String,
    pub title: String,
    pub lang: String,
    pub start_date: String,
    #[serde(default)]
    pub template: Option<String>,
    pub instructor: String,
    pub consent: Consent,
    #[serde(default)]
    pub weeks: Vec<Week>,
}

impl Joined {
    pub fn start(&self) -> Option<Date> {
        parse_date(&self.start_date)
    }

    /// The course week `today` falls in (1 = the first seven days), or None
    /// before the start.
    pub fn week_of(&self, today: Date) -> Option<i32> {
        let start = self.start()?;
        (today >= start).then(|| (today.0 - start.0) / 7 + 1)
    }

    /// The week's assignment (empty when none was set).
    pub fn assigned(&self, week: i32) -> &[Assigned] {
        self.weeks.iter().find(|w| w.week == week).map_or(&[], |w| w.practices.as_slice())
    }

    /// Each assigned practice of `week` with how it went so far.
    pub fn progress(&self, week: i32, practised: &[Practised]) -> Vec<(Assigned, u32, u32)> {
        let Some(start) = self.start() else { return Vec::new() };
        let week_start = start.add_days((week - 1) * 7);
        let assigned: Vec<(Assigned, HomePractice)> =
            self.assigned(week).iter().filter_map(|a| Some((a.clone(), a.home()?))).collect();
        let homes: Vec<HomePractice> = assigned.iter().map(|(_, h)| h.clone()).collect();
        let result = adherence(practised, DayRule::default(), week_start, &homes);
        assigned.into_iter().zip(result.practices).map(|((a, _), p)| (a, p.done, p.asked)).collect()
    }

    /// The date of the next session after `today` (sessions a week apart
    /// from the start), if the course has weeks left.
    pub fn next_session(&self, today: Date) -> Option<Date> {
        let start = self.start()?;
        let last_week = self.weeks.iter().map(|w| w.week).max().unwrap_or(0);
        (0..=last_week).map(|n| start.add_days(n * 7)).find(|d| *d > today)
    }
}

/// "YYYY-MM-DD".
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[derive(Deserialize)]
struct Courses {
    joined: Vec<Joined>,
}

#[derive(Deserialize)]
struct Weeks {
    weeks: Vec<Week>,
}

/// The joined courses from the server, with their weeks; kept for offline use.
pub async fn refresh() -> Result<Vec<Joined>, ApiError> {
    let courses: Courses = api::request("GET", "/api/courses", NO_BODY).await?;
    let mut joined = Vec::new();
    for mut course in courses.joined {
        let weeks: Weeks =
            api::request("GET", &format!("/api/courses/{}/assignments", course.id), NO_BODY).await?;
        course.weeks = weeks.weeks;
        joined.push(course);
    }
    if let Err(error) = storage::save(CACHE, &joined) {
        storage::warn(&error);
    }
    Ok(joined)
}

/// The joined courses as last fetched (none if never, or unreadable).
pub fn cached() -> Vec<Joined> {
    storage::load::<Vec<Joined>>(CACHE)
        .unwrap_or_else(|error| {
            storage::warn(&error);
            None
        })
        .unwrap_or_default()
}

/// Forgets the kept copy (signing out).
pub fn forget() {
    storage::remove(CACHE);
}

/// What an invite is for, before joining.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Preview {
    pub title: String,
    pub instructor: String,
    pub lang: String,
    pub start_date: String,
    #[serde(default)]
    pub template: Option<String>,
    pub weeks: i64,
    pub open: bool,
}

#[derive(Serialize)]
struct Code<'a> {
    code: &'a str,
}

pub async fn preview(code: &str) -> Result<Preview, ApiError> {
    api::request("POST", "/api/join/preview", Some(&Code { code })).await
}

#[derive(Serialize)]
struct JoinForm<'a> {
    code: &'a str,
    consent: Consent,
}

pub async fn join(code: &str, consent: Consent) -> Result<(), ApiError> {
    let _: serde::de::IgnoredAny =
        api::request("POST", "/api/join", Some(&JoinForm { code, consent })).await?;
    refresh().await.map(|_| ())
}

pub async fn change_consent(course: &str, consent: Consent) -> Result<(), ApiError> {
    let _: serde::de::IgnoredAny =
        api::request("PUT", &format!("/api/courses/{course}/consent"), Some(&consent)).await?;
    refresh().await.map(|_| ())
}

pub async fn leave(course: &str) -> Result<(), ApiError> {
    api::request::<()>("DELETE", &format!("/api/courses/{course}/membership"), NO_BODY).await?;
    refresh().await.map(|_| ())
}

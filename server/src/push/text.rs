//! What a reminder says: the practice of the day when the person is in a
//! course with home practice this week ("This week: Body scan, 45 min — day
//! 3 of 6"), a gentle general line otherwise. It is shown on a lock screen,
//! so it names a practice at most: never a check-in, a note or a course's
//! name.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use stille_practice::Lang;
use stille_practice::log::Entry;
use stille_practice::schedule::{Meetings, Schedule, Timing};
use stille_practice::stats::{Date, DayRule};

use crate::assignments::weeks;
use crate::courses::parse_date;
use crate::reports::bodies;
use crate::{AppError, Store, on_store};

/// One reminder in one language, as the service worker shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Message {
    pub title: String,
    pub body: String,
    /// Where a tap on it leads, in the app.
    pub url: String,
    /// A newer reminder replaces an older one not yet looked at.
    pub tag: String,
}

/// What the reminder is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum About {
    /// A practice of this week's home practice, on its `day`-th day of `days`.
    Practice { id: String, minutes: i32, day: i32, days: i32 },
    /// Every practice of this week is done on all its days.
    WeekDone,
    /// No course with home practice this week.
    Nothing,
}

impl About {
    pub fn message(&self, lang: Lang) -> Message {
        let (body, url) = match self {
            About::Practice { id, minutes, day, days } => {
                let title = stille_practice::catalog().get(id).map_or(id.as_str(), |p| p.title.get(lang));
                let body = match lang {
                    Lang::Da => format!("Denne uge: {title}, {minutes} min — dag {day} af {days}"),
                    Lang::En => format!("This week: {title}, {minutes} min — day {day} of {days}"),
                };
                (body, format!("/practices/{id}"))
            }
            About::WeekDone => {
                let body = match lang {
                    Lang::Da => {
                        "Ugens øvelser er gjort. Har du lyst, er der altid plads til et par rolige åndedrag."
                    }
                    Lang::En => {
                        "This week's practice is done. If you like, there is always room for a few quiet breaths."
                    }
                };
                (body.to_owned(), "/".to_owned())
            }
            About::Nothing => {
                let body = match lang {
                    Lang::Da => "Et øjeblik til dig selv? Stille er her, når du har tid.",
                    Lang::En => "A moment for yourself? Stille is here when you have time.",
                };
                (body.to_owned(), "/".to_owned())
            }
        };
        Message { title: "Stille".to_owned(), body, url, tag: "reminder".to_owned() }
    }
}

/// The notification of a course message: only that there is one. A lock
/// screen shows neither its text nor the course; a tap opens home, where
/// the message is.
pub fn course_message(lang: Lang) -> Message {
    let body = match lang {
        Lang::Da => "Der er en ny besked fra dit hold. Åbn Stille for at læse den.",
        Lang::En => "There is a new message from your course. Open Stille to read it.",
    };
    Message {
        title: "Stille".to_owned(),
        body: body.to_owned(),
        url: "/".to_owned(),
        tag: "course-message".to_owned(),
    }
}

/// The course's day at `at_ms`: the date in its time zone, as the group
/// lives it (a join at half past midnight in Copenhagen is on the new day,
/// not, as in UTC, on the day before).
pub(crate) fn course_day(at_ms: i64, zone: &str) -> Date {
    local_date(at_ms, zone).unwrap_or_else(|| Date::of(at_ms, 0, DayRule { grace_minutes: 0 }))
}

/// The local date at `at_ms` in the time zone named (UTC if it is not one).
pub(crate) fn local_date(at_ms: i64, zone: &str) -> Option<Date> {
    let zone = TimeZone::get(zone).unwrap_or(TimeZone::UTC);
    let date = Timestamp::from_millisecond(at_ms).ok()?.to_zoned(zone).date();
    Date::from_ymd(i32::from(date.year()), u32::try_from(date.month()).ok()?, u32::try_from(date.day()).ok()?)
}

/// What `user_id`'s reminder at `now_ms` is about: in the course they joined
/// last that has home practice this course week, the first practice not yet
/// done on all its days (counted from their synced log up to now, by the one
/// rule for a short practice), else that the week is done.
pub async fn about(store: &Store, user_id: &str, now_ms: i64) -> Result<About, AppError> {
    let courses: Vec<(String, String, String, String, i64)> = on_store!(store, pool => {
        sqlx::query_as(
            "SELECT c.id, c.start_date, c.time_zone, c.meetings, m.joined_at_ms FROM memberships m \
             JOIN courses c ON c.id = m.course_id \
             WHERE m.user_id = $1 ORDER BY m.joined_at_ms DESC",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?
    });
    for (course_id, start_date, zone, meetings, joined_at_ms) in courses {
        let (Ok(start), Some(today)) = (parse_date("start_date", &start_date), local_date(now_ms, &zone))
        else {
            continue;
        };
        // A plan that does not read (it is checked when saved) is taken as
        // weekly sessions, so the reminder still goes out.
        let meetings: Meetings = serde_json::from_str(&meetings).unwrap_or_else(|error| {
            tracing::warn!(course = %course_id, %error, "stored meeting plan does not read");
            Meetings::default()
        });
        let schedule = Schedule::new(start, &meetings);
        // A week without a session asks for nothing new: no reminder about it.
        if schedule.is_break(today) {
            continue;
        }
        let assigned = weeks(store, &course_id).await?;
        // Their own week (in an open group, from the week they joined).
        let last_week = assigned.iter().map(|w| w.week).max().unwrap_or(0);
        let timing = Timing::of_member(schedule, &meetings, course_day(joined_at_ms, &zone), last_week);
        // A closed group with a chosen number of meetings asks nothing after the last.
        let Some(week) = timing.week_of(today).filter(|week| !timing.is_over(*week)) else {
            continue;
        };
        let programme_week = timing.programme_week(week);
        let Some(this_week) =
            assigned.iter().find(|w| w.week == programme_week).filter(|w| !w.practices.is_empty())
        else {
            continue;
        };
        let from = timing.week_start(week);
        let to = from.add_days(7);
        let entries: Vec<Entry> = bodies(store, user_id, "entry", |e: &Entry| e.check().is_ok()).await?;
        let rule = DayRule::default();
        for assignment in &this_week.practices {
            let mut days: Vec<Date> = entries
                .iter()
                .map(Entry::practised)
                .filter(|p| {
                    p.practice.as_str() == assignment.practice && p.counts() && p.started_at_ms <= now_ms
                })
                .map(|p| p.day(rule))
                .filter(|day| from <= *day && *day < to)
                .collect();
            days.sort_unstable();
            days.dedup();
            let done = i32::try_from(days.len()).unwrap_or(i32::MAX);
            if done < assignment.days {
                return Ok(About::Practice {
                    id: assignment.practice.clone(),
                    minutes: assignment.minutes,
                    day: done + 1,
                    days: assignment.days,
                });
            }
        }
        return Ok(About::WeekDone);
    }
    Ok(About::Nothing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reminder_names_the_practice_and_the_day_in_both_languages() {
        let about = About::Practice { id: "mbsr-body-scan".into(), minutes: 45, day: 3, days: 6 };
        let da = about.message(Lang::Da);
        let en = about.message(Lang::En);
        let title_da =
            stille_practice::catalog().get("mbsr-body-scan").expect("in the catalog").title.get(Lang::Da);
        assert_eq!(da.body, format!("Denne uge: {title_da}, 45 min — dag 3 af 6"));
        assert!(
            en.body.starts_with("This week: ") && en.body.ends_with(", 45 min — day 3 of 6"),
            "{}",
            en.body
        );
        assert_eq!(da.url, "/practices/mbsr-body-scan");
        assert_eq!(About::Nothing.message(Lang::Da).url, "/");
        assert_ne!(About::WeekDone.message(Lang::En).body, About::Nothing.message(Lang::En).body);
    }

    #[test]
    fn local_dates_follow_the_zone_and_fall_back_to_utc() {
        // 23:30 UTC on 6 December is 00:30 on the 7th in Copenhagen.
        let at = "2026-12-06T23:30:00Z".parse::<Timestamp>().expect("a time").as_millisecond();
        assert_eq!(local_date(at, "Europe/Copenhagen"), Date::from_ymd(2026, 12, 7));
        assert_eq!(local_date(at, "Not/AZone"), Date::from_ymd(2026, 12, 6));
    }
}

//! A course's meetings as an iCalendar file (RFC 5545), for the
//! participant's and the instructor's own calendar: every session on its
//! day, weeks without a session left out, and the retreat day. With a time
//! set, each meeting is an event at that time in the course's time zone
//! (written in UTC, so no calendar has to know the zone); without one, a
//! whole-day event.
//!
//! Only the course's instructor and members can fetch it, with their session
//! cookie or token, as they read the course itself.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use stille_practice::api::Meetings;
use stille_practice::schedule::Schedule;
use stille_practice::stats::Date;
use stille_practice::{CourseTemplate, Lang, catalog};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::accounts::session::Auth;
use crate::assignments::weeks;
use crate::courses::{CourseRow, access};
use crate::error::ErrorBody;
use crate::store::now_ms;
use crate::{AppError, AppState};
use stille_practice::schedule::ROLLING_WEEKS_AHEAD;

/// How long a meeting is taken to last when nobody has said.
const DEFAULT_MINUTES: u16 = 120;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(calendar))
}

/// The course's sessions and retreat as an iCalendar file, to add to a
/// calendar.
#[utoipa::path(get, path = "/courses/{id}/calendar.ics", tag = "courses",
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The meetings (text/calendar)", body = String, content_type = "text/calendar"),
        (status = 404, description = "No such course, or you are not in it", body = ErrorBody),
    ))]
async fn calendar(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let course = access(&state.store, &id, &auth.user.id).await?.course().clone();
    let assigned = weeks(&state.store, &course.id).await?;
    let last_assigned = assigned.iter().map(|w| w.week).max().unwrap_or(0);
    let text = ics(&course, last_assigned, now_ms())?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"stille-course.ics\""),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        text,
    )
        .into_response())
}

/// The day it is at `now_ms` where the course meets (not in UTC: just after
/// midnight in Copenhagen is still yesterday in UTC).
fn local_today(zone: &TimeZone, now_ms: i64) -> Date {
    let offset_minutes =
        Timestamp::from_millisecond(now_ms).map(|now| zone.to_offset(now).seconds() / 60).unwrap_or(0);
    let offset_minutes = i16::try_from(offset_minutes).unwrap_or(0);
    Date::of(now_ms, offset_minutes, stille_practice::stats::DayRule { grace_minutes: 0 })
}

/// One meeting as the file says it.
struct Meeting {
    uid: String,
    summary: String,
    description: Option<String>,
    day: Date,
    time: Option<String>,
    minutes: u16,
    place: String,
}

/// The iCalendar text of `course`'s meetings; `last_assigned` is its last
/// week with home practice (it has at least that many sessions).
pub fn ics(course: &CourseRow, last_assigned: i32, now_ms: i64) -> Result<String, AppError> {
    let meetings: Meetings = course.meetings()?;
    let schedule: Schedule = course.schedule()?;
    let zone = TimeZone::get(&course.time_zone).map_err(|error| {
        AppError::Internal(format!("course {}: time zone {:?}: {error}", course.id, course.time_zone))
    })?;
    let lang = if course.lang == "da" { Lang::Da } else { Lang::En };
    let template: Option<&CourseTemplate> = course.template.as_deref().and_then(|id| catalog().course(id));
    let themes: Vec<String> =
        template.map(|t| t.meetings().map(|s| s.title.get(lang).to_owned()).collect()).unwrap_or_default();
    let count = meetings.session_count(last_assigned.max(themes.len() as i32));
    let round = usize::try_from(if last_assigned > 0 { last_assigned } else { themes.len() as i32 })
        .unwrap_or(1)
        .max(1);
    // An open group does not end: its meetings from the start to half a
    // year ahead (a later download reaches further).
    let count = if meetings.rolling {
        schedule.week_of(local_today(&zone, now_ms)).unwrap_or(0) + ROLLING_WEEKS_AHEAD
    } else {
        count
    };
    let minutes = meetings.minutes.unwrap_or(DEFAULT_MINUTES);
    let mut all: Vec<Meeting> = schedule
        .sessions(count)
        .into_iter()
        .zip(1..)
        .map(|(day, n): (Date, usize)| Meeting {
            uid: format!("{}-session-{n}@stille", course.id),
            summary: match lang {
                Lang::Da => format!("{}: {n}. gang", course.title),
                Lang::En => format!("{}: session {n}", course.title),
            },
            // The theme of the week whose practice it is: the weeks with home
            // practice go round as the practice does (see `Timing`).
            description: themes.get((n - 1) % round).cloned(),
            day,
            time: meetings.time.clone(),
            minutes,
            place: meetings.place.clone(),
        })
        .collect();
    if let Some(retreat) = &meetings.retreat
        && let Some(day) = retreat.day()
    {
        let programme = template.and_then(|t| t.retreat()).map(|(_, s)| s);
        let name = programme.map(|s| s.title.get(lang).to_owned());
        let name = name.unwrap_or_else(|| (if lang == Lang::Da { "Retræte" } else { "Retreat" }).to_owned());
        all.push(Meeting {
            uid: format!("{}-retreat@stille", course.id),
            summary: format!("{}: {name}", course.title),
            description: None,
            day,
            time: retreat.time.clone().or_else(|| meetings.time.clone()),
            // As long as the instructor said, else as the programme's, as "This week" shows it.
            minutes: retreat.minutes.or(programme.and_then(|s| s.minutes)).unwrap_or(minutes),
            place: if retreat.place.is_empty() { meetings.place.clone() } else { retreat.place.clone() },
        });
        all.sort_by_key(|m| m.day);
    }
    let stamp = utc(Timestamp::from_millisecond(now_ms).unwrap_or(Timestamp::UNIX_EPOCH));
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Stille//Course meetings//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("X-WR-CALNAME:{}", escape(&course.title)),
    ];
    for meeting in all {
        lines.push("BEGIN:VEVENT".to_owned());
        lines.push(format!("UID:{}", meeting.uid));
        lines.push(format!("DTSTAMP:{stamp}"));
        match meeting.time.as_deref().and_then(stille_practice::api::minute_of_day) {
            Some(minute) => {
                let start = at(meeting.day, minute, &zone)?;
                let end = start
                    .checked_add(jiff::SignedDuration::from_mins(i64::from(meeting.minutes)))
                    .map_err(|error| AppError::Internal(format!("a meeting's end: {error}")))?;
                lines.push(format!("DTSTART:{}", utc(start)));
                lines.push(format!("DTEND:{}", utc(end)));
            }
            None => {
                lines.push(format!("DTSTART;VALUE=DATE:{}", compact(meeting.day)));
                lines.push(format!("DTEND;VALUE=DATE:{}", compact(meeting.day.add_days(1))));
            }
        }
        lines.push(format!("SUMMARY:{}", escape(&meeting.summary)));
        if let Some(description) = &meeting.description {
            lines.push(format!("DESCRIPTION:{}", escape(description)));
        }
        if !meeting.place.is_empty() {
            lines.push(format!("LOCATION:{}", escape(&meeting.place)));
        }
        lines.push("END:VEVENT".to_owned());
    }
    lines.push("END:VCALENDAR".to_owned());
    Ok(lines.iter().map(|line| fold(line)).collect())
}

/// The moment `minute` of local `day` begins in `zone` (a time the clocks
/// skip is taken as the moment after the gap, as jiff's compatible rule does).
fn at(day: Date, minute: u16, zone: &TimeZone) -> Result<Timestamp, AppError> {
    let (year, month, date) = day.ymd();
    let civil = jiff::civil::DateTime::new(
        i16::try_from(year).map_err(|_| AppError::Internal(format!("year {year} out of range")))?,
        month as i8,
        date as i8,
        (minute / 60) as i8,
        (minute % 60) as i8,
        0,
        0,
    )
    .map_err(|error| AppError::Internal(format!("a meeting's time: {error}")))?;
    Ok(civil
        .to_zoned(zone.clone())
        .map_err(|error| AppError::Internal(format!("a meeting's time: {error}")))?
        .timestamp())
}

fn utc(moment: Timestamp) -> String {
    moment.strftime("%Y%m%dT%H%M%SZ").to_string()
}

fn compact(day: Date) -> String {
    let (year, month, date) = day.ymd();
    format!("{year:04}{month:02}{date:02}")
}

/// A TEXT value as RFC 5545 §3.3.11 writes it.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (§3.1) without splitting a
/// character, ending with CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_between_characters() {
        let line = format!("SUMMARY:{}", "æ".repeat(60));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{part:?}");
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn today_is_the_day_where_the_course_meets() {
        let copenhagen = TimeZone::get("Europe/Copenhagen").expect("the zone database");
        // Sunday 6 December 2026, 23:30 in UTC: already Monday in Copenhagen,
        // so an open group's calendar counts from the new week.
        let at: Timestamp = "2026-12-06T23:30:00Z".parse().expect("a time");
        let now_ms = at.as_millisecond();
        assert_eq!(local_today(&copenhagen, now_ms), Date::from_ymd(2026, 12, 7).expect("a day"));
        assert_eq!(local_today(&TimeZone::UTC, now_ms), Date::from_ymd(2026, 12, 6).expect("a day"));
        // Summer time is two hours ahead: 22:30 UTC on 30 June is 1 July there.
        let summer: Timestamp = "2026-06-30T22:30:00Z".parse().expect("a time");
        assert_eq!(
            local_today(&copenhagen, summer.as_millisecond()),
            Date::from_ymd(2026, 7, 1).expect("a day")
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("Lokale 2; 1. sal, Vejle\\x\nny"), "Lokale 2\\; 1. sal\\, Vejle\\\\x\\nny");
    }
}

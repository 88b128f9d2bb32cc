//! Reports for a course's instructor: per participant and course week the
//! minutes practised, days practised, adherence to that week's assignment and
//! check-in trends — for those who consent to share adherence — and the
//! reflections each participant marked as shared, for those who consent to
//! share reflections. Nothing else, and nothing for anyone who has not
//! consented: such a participant appears with `shared: false` and no data.
//! `?format=csv` gives the same per-week figures as a spreadsheet
//! (`&lang=da` for a Danish one: see [`crate::sheet`]).
//!
//! Weeks are course weeks ([`stille_practice::schedule`]): week `n` is the
//! seven days from its session, and a week without a session (a holiday)
//! belongs to none; the course ends with its last assigned week (with nothing assigned yet, with
//! the current week). A participant's records count from the moment they
//! gave the consent that covers them (joining, or consenting again after a
//! withdrawal) to the course's end, never before or after; the start date
//! cannot move once anyone has joined (`PATCH /api/courses/{id}` answers 409).
//! A reflection counts only when shared with this course (or, from an app
//! before courses were named, shared at all) and written in that window.
//! Days are the participant's local days (each record carries its device's
//! UTC offset), with the late-night grace of [`DayRule::default`].

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use stille_practice::Lang;
use stille_practice::api::{CheckIns, ParticipantReport, Report, SharedReflection, WeekReport};
use stille_practice::journal::{CheckIn, Ladder, Moment, Reflection};
use stille_practice::log::Entry;
use stille_practice::schedule::Timing;
use stille_practice::stats::{Date, DayRule, Practised, adherence, by_day, counted_minutes};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::accounts::session::Auth;
use crate::assignments::{MAX_WEEKS, weeks};
use crate::courses::access;
use crate::push::text::course_day;
use crate::sheet::{Format, Sheet};
use crate::store::now_ms;
use crate::{AppError, AppState, Store, on_store};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(report))
}

fn ymd(date: Date) -> String {
    let (y, m, d) = date.ymd();
    format!("{y:04}-{m:02}-{d:02}")
}

fn mean(values: &[u8]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().map(|v| f64::from(*v)).sum::<f64>() / values.len() as f64)
}

/// The current bodies of one user's records of `kind`, parsed and checked;
/// a record that fails is logged and left out rather than failing the report.
pub(crate) async fn bodies<T: serde::de::DeserializeOwned>(
    store: &Store,
    user_id: &str,
    kind: &str,
    check: impl Fn(&T) -> bool,
) -> Result<Vec<T>, AppError> {
    let rows: Vec<(String,)> = on_store!(store, pool => {
        sqlx::query_as("SELECT body FROM records WHERE user_id = $1 AND kind = $2 AND NOT deleted AND body IS NOT NULL")
            .bind(user_id)
            .bind(kind)
            .fetch_all(pool)
            .await?
    });
    Ok(parsed(rows.into_iter().map(|(body,)| body), kind, check))
}

/// Stored bodies read back as `T`; one that does not is logged and left out.
fn parsed<T: serde::de::DeserializeOwned>(
    bodies: impl IntoIterator<Item = String>,
    kind: &str,
    check: impl Fn(&T) -> bool,
) -> Vec<T> {
    bodies
        .into_iter()
        .filter_map(|body| match serde_json::from_str::<T>(&body) {
            Ok(value) if check(&value) => Some(value),
            _ => {
                tracing::error!(kind, "a stored record does not read back; left out of the report");
                None
            }
        })
        .collect()
}

/// The bodies of `members`' records of `kinds`, by (member, kind), in one
/// query on the (user, kind) index: a report of 17 people asked the
/// database 51 times, and under load each of those waited for a connection.
async fn member_bodies(
    store: &Store,
    members: &[&str],
    kinds: &[&str],
) -> Result<HashMap<(String, String), Vec<String>>, AppError> {
    let mut by_member: HashMap<(String, String), Vec<String>> = HashMap::new();
    if members.is_empty() {
        return Ok(by_member);
    }
    let list = |first: usize, count: usize| {
        (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
    };
    let sql = format!(
        "SELECT user_id, kind, body FROM records WHERE user_id IN ({}) AND kind IN ({}) \
         AND NOT deleted AND body IS NOT NULL",
        list(1, members.len()),
        list(1 + members.len(), kinds.len())
    );
    let rows: Vec<(String, String, String)> = on_store!(store, pool => {
        let mut query = sqlx::query_as(&sql);
        for value in members.iter().chain(kinds) {
            query = query.bind(*value);
        }
        query.fetch_all(pool).await?
    });
    for (user_id, kind, body) in rows {
        by_member.entry((user_id, kind)).or_default().push(body);
    }
    Ok(by_member)
}

/// A member as the report reads them: id, name, the two consents, since
/// when each was given, and when they joined.
type MemberRow = (String, String, bool, bool, Option<i64>, Option<i64>, i64);

pub async fn build(store: &Store, course_id: &str, user_id: &str) -> Result<Report, AppError> {
    let course = access(store, course_id, user_id).await?.teaching()?;
    let schedule = course.schedule()?;
    let meetings = course.meetings()?;
    let assigned = weeks(store, &course.id).await?;
    let today = course_day(now_ms(), &course.time_zone);
    let elapsed = schedule.week_of(today).and_then(|week| u16::try_from(week).ok()).unwrap_or(0);
    let last_assigned = assigned.last().map_or(0, |w| u16::try_from(w.week).unwrap_or(0));
    // A course runs to its last meeting when the instructor said how many
    // there are, else to the end of its last assigned week; with nothing
    // assigned yet, or in an open group that does not end, to the current week.
    let week_count = match meetings.count {
        _ if meetings.rolling => elapsed,
        Some(count) => count,
        None if last_assigned > 0 => last_assigned,
        None => elapsed,
    }
    .clamp(1, MAX_WEEKS);
    let rule = DayRule::default();
    // The course ends with its last week shown; nothing after it is read.
    let end = schedule.week_start(i32::from(week_count)).add_days(7);
    let members: Vec<MemberRow> = on_store!(store, pool => {
        sqlx::query_as(
            "SELECT m.user_id, u.display_name, m.share_adherence, m.share_reflections, \
             m.adherence_since_ms, m.reflections_since_ms, m.joined_at_ms FROM memberships m \
             JOIN users u ON u.id = m.user_id WHERE m.course_id = $1 ORDER BY m.joined_at_ms",
        )
        .bind(&course.id)
        .fetch_all(pool)
        .await?
    });
    // Read only what each member shares: practice from those who share it,
    // notes from those who share them.
    let sharing = |shares: fn(&MemberRow) -> bool| -> Vec<&str> {
        members.iter().filter(|m| shares(m)).map(|m| m.0.as_str()).collect()
    };
    let mut stored = member_bodies(store, &sharing(|m| m.2 && m.4.is_some()), &["entry", "check-in"]).await?;
    stored.extend(member_bodies(store, &sharing(|m| m.3 && m.5.is_some()), &["reflection"]).await?);
    let mut take =
        |member: &str, kind: &str| stored.remove(&(member.to_owned(), kind.to_owned())).unwrap_or_default();
    let mut participants = Vec::new();
    for (
        member_id,
        display_name,
        shares_adherence,
        shares_reflections,
        adherence_since,
        reflections_since,
        joined,
    ) in members
    {
        // In an open group each member's week 1 is the week they joined,
        // and their home practice follows their own weeks.
        let joined = course_day(joined, &course.time_zone);
        let timing = Timing::of_member(schedule.clone(), &meetings, joined, i32::from(last_assigned));
        // What was consented covers records from the moment of consent on:
        // nothing from before joining, or from a time consent was withdrawn.
        let adherence_since = adherence_since.filter(|_| shares_adherence);
        let reflections_since = reflections_since.filter(|_| shares_reflections);
        let mut week_reports = Vec::new();
        if let Some(since) = adherence_since {
            let entries: Vec<Entry> =
                parsed(take(&member_id, "entry"), "entry", |e: &Entry| e.check().is_ok());
            let practised: Vec<Practised> =
                entries.iter().filter(|e| e.started_at_ms >= since).map(Entry::practised).collect();
            let mut check_ins: Vec<CheckIn> =
                parsed(take(&member_id, "check-in"), "check-in", |c: &CheckIn| c.check().is_ok());
            check_ins.retain(|c| c.at_ms >= since);
            let days = by_day(&practised, rule);
            for week in 1..=week_count {
                let from = schedule.week_start(i32::from(week));
                let to = from.add_days(7);
                let in_week: Vec<u64> = days.range(from..to).map(|(_, ms)| *ms).collect();
                let programme_week = timing.own_week(i32::from(week)).map(|own| timing.programme_week(own));
                let home: Vec<_> = assigned
                    .iter()
                    .find(|w| Some(w.week) == programme_week)
                    .map(|w| w.practices.iter().filter_map(|a| a.home_practice()).collect())
                    .unwrap_or_default();
                let mut before = Vec::new();
                let mut after = Vec::new();
                let mut summary = CheckIns::default();
                for c in check_ins.iter().filter(|c| {
                    let day = Date::of(c.at_ms, c.utc_offset_minutes, rule);
                    from <= day && day < to
                }) {
                    summary.count += 1;
                    match (c.moment, c.distress) {
                        (Moment::Before, Some(d)) => before.push(d),
                        (Moment::After, Some(d)) => after.push(d),
                        _ => {}
                    }
                    match c.ladder {
                        Some(Ladder::Ventral) => summary.ventral += 1,
                        Some(Ladder::Sympathetic) => summary.sympathetic += 1,
                        Some(Ladder::Dorsal) => summary.dorsal += 1,
                        None => {}
                    }
                }
                summary.distress_before_mean = mean(&before);
                summary.distress_after_mean = mean(&after);
                let daily_minutes = (0..7)
                    .map(|d| days.get(&from.add_days(d)).map_or(0, |ms| counted_minutes(*ms)))
                    .collect();
                let sessions =
                    practised.iter().filter(|p| p.counts() && (from..to).contains(&p.day(rule))).count()
                        as u32;
                week_reports.push(WeekReport {
                    week,
                    start_date: ymd(from),
                    minutes: counted_minutes(in_week.iter().sum::<u64>()),
                    days: in_week.iter().filter(|ms| **ms > 0).count() as u32,
                    daily_minutes,
                    sessions,
                    adherence: (!home.is_empty()).then(|| adherence(&practised, rule, from, &home)),
                    check_ins: summary,
                });
            }
        }
        let mut reflections = Vec::new();
        if let Some(since) = reflections_since {
            let mut shared: Vec<Reflection> =
                parsed(take(&member_id, "reflection"), "reflection", |r: &Reflection| r.check().is_ok());
            shared.retain(|r| {
                r.is_shared_with(&course.id)
                    && r.written_at_ms >= since
                    && Date::of(r.written_at_ms, r.utc_offset_minutes, rule) < end
            });
            shared.sort_by_key(|r| r.written_at_ms);
            reflections = shared
                .into_iter()
                .map(|r| SharedReflection {
                    written_at_ms: r.written_at_ms,
                    utc_offset_minutes: r.utc_offset_minutes,
                    text: r.text,
                })
                .collect();
        }
        participants.push(ParticipantReport {
            user_id: member_id,
            display_name,
            shares_adherence,
            shares_reflections,
            weeks: week_reports,
            reflections,
        });
    }
    let skipped = course.meetings()?.skipped;
    Ok(Report {
        course_id: course.id,
        title: course.title,
        start_date: course.start_date,
        skipped,
        weeks: week_count,
        participants,
    })
}

/// The report's columns: (Danish, English).
const COLUMNS: [(&str, &str); 14] = [
    ("Deltager", "participant"),
    ("Uge", "week"),
    ("Ugen begynder", "week_start"),
    ("Deler hjemmepraksis", "shares_adherence"),
    ("Minutter", "minutes"),
    ("Dage med øvelse", "days"),
    ("Af ugens aftalte øvelser (%)", "adherence_percent"),
    ("Check-ins", "check_ins"),
    ("Uro før, gennemsnit (0-10)", "distress_before_mean"),
    ("Uro efter, gennemsnit (0-10)", "distress_after_mean"),
    ("Tryg og forbundet", "ventral"),
    ("På vagt og i gang", "sympathetic"),
    ("Lukket ned", "dorsal"),
    ("Delte refleksioner", "shared_reflections"),
];

/// The report as a spreadsheet in `lang`'s way (see [`crate::sheet`]): a
/// row per participant and week; one row with no figures for a
/// participant who does not share home practice.
pub fn csv(report: &Report, lang: Lang) -> Sheet {
    let mut sheet = Sheet::new(lang, &COLUMNS);
    for p in &report.participants {
        let name = sheet.text(&p.display_name);
        if p.weeks.is_empty() {
            let mut cells = vec![String::new(); COLUMNS.len()];
            cells[0] = name;
            cells[3] = sheet.yes_no(false);
            cells[13] = p.reflections.len().to_string();
            sheet.row(&cells);
            continue;
        }
        let mut reflections_by_week: BTreeMap<u16, usize> = BTreeMap::new();
        for r in &p.reflections {
            let day = Date::of(r.written_at_ms, r.utc_offset_minutes, DayRule::default());
            let week = p.weeks.iter().find_map(|w| {
                let from = Date::parse(&w.start_date)?;
                (from <= day && day < from.add_days(7)).then_some(w.week)
            });
            if let Some(week) = week {
                *reflections_by_week.entry(week).or_insert(0) += 1;
            }
        }
        for w in &p.weeks {
            let c = &w.check_ins;
            let mean = |value: Option<f64>| value.map(|v| sheet.number(v, 1)).unwrap_or_default();
            let cells = vec![
                name.clone(),
                w.week.to_string(),
                w.start_date.clone(),
                sheet.yes_no(true),
                w.minutes.to_string(),
                w.days.to_string(),
                w.adherence.as_ref().map(|a| sheet.number(a.fraction * 100.0, 0)).unwrap_or_default(),
                c.count.to_string(),
                mean(c.distress_before_mean),
                mean(c.distress_after_mean),
                c.ventral.to_string(),
                c.sympathetic.to_string(),
                c.dorsal.to_string(),
                reflections_by_week.get(&w.week).copied().unwrap_or(0).to_string(),
            ];
            sheet.row(&cells);
        }
    }
    sheet
}

/// The course report (the course's instructor): per participant and week,
/// what each consented to share. `?format=csv` for a spreadsheet.
#[utoipa::path(get, path = "/courses/{id}/report", tag = "courses",
    params(
        ("id" = String, Path, description = "The course id"),
        ("format" = Option<String>, Query, description = "json (default) or csv"),
        ("lang" = Option<String>, Query, description = "With format=csv: da (Danish columns, `;` and decimal commas) or en (default)"),
    ),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The report", content(
            (Report = "application/json"),
            (String = "text/csv", example = "participant,week,week_start,shares_adherence,minutes,…"),
        )),
        (status = 403, description = "Only the course's instructor reads reports", body = crate::error::ErrorBody),
        (status = 404, description = "No such course, or you are not in it", body = crate::error::ErrorBody),
    ))]
async fn report(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let format = Format::from_query(query.as_deref())?;
    let report = build(&state.store, &id, &auth.user.id).await?;
    auth.may_teach()?;
    if let Format::Csv(lang) = format {
        let what = if lang == Lang::Da { "rapport" } else { "report" };
        return Ok(csv(&report, lang).download(what, &report.title));
    }
    Ok(Json(report).into_response())
}

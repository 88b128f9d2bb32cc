//! Courses: an instructor creates one (from a programme template or from
//! scratch), shares a rotatable, expiring invite code, and sees who joined.
//! Joining records the participant's explicit consent to what the instructor
//! sees — adherence (minutes, days, check-ins) and, separately, the
//! reflections they mark as shared — which they can change or withdraw at any
//! time, and they can leave. The instructor can remove a participant.
//!
//! Who may see a course: its instructor and its members. To anyone else it
//! does not exist (404), so course ids cannot be probed.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use stille_practice::api::{
    Consent, ConsentChange, CourseChange, CourseView, Courses, Invite, JoinCode, JoinForm, JoinPreview,
    Joined, MAX_CAPACITY, MeasurePlan, Meetings, Member, Members, NewCourse, NewInvite, Role, Teaching,
};
use stille_practice::schedule::Schedule;
use stille_practice::stats::Date;
use stille_practice::{CourseTemplate, Structure, catalog};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::accounts::session::Auth;
use crate::error::ErrorBody;
use crate::json::Body;
use crate::limits::ClientIp;
use crate::store::{BeginWrite, new_id, now_ms};
use crate::{AppError, AppState, Store, on_store};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(read, update, remove))
        .routes(routes!(rotate_invite, close_invite))
        .routes(routes!(members))
        .routes(routes!(remove_member))
        .routes(routes!(change_consent))
        .routes(routes!(leave))
        .routes(routes!(join))
        .routes(routes!(preview))
}

/// A course as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CourseRow {
    pub id: String,
    pub instructor_id: String,
    pub title: String,
    pub lang: String,
    pub time_zone: String,
    pub start_date: String,
    pub is_open: bool,
    pub capacity: i32,
    pub template: Option<String>,
    pub invite_code: Option<String>,
    pub invite_expires_ms: Option<i64>,
    pub created_at_ms: i64,
    /// The questionnaires asked, comma-separated ids (empty: none).
    pub measure_instruments: String,
    /// The course weeks they are asked in, comma-separated (empty: none).
    pub measure_weeks: String,
    /// When and where the group meets: `Meetings` as JSON.
    pub meetings: String,
    /// How participants reach the instructor ('' when not given).
    pub contact: String,
}

impl CourseRow {
    /// The questionnaires the course asks, and when, as stored.
    pub fn measures(&self) -> Result<MeasurePlan, AppError> {
        let instruments: Vec<String> =
            self.measure_instruments.split(',').filter(|id| !id.is_empty()).map(str::to_owned).collect();
        let weeks = self
            .measure_weeks
            .split(',')
            .filter(|week| !week.is_empty())
            .map(str::parse::<u16>)
            .collect::<Result<Vec<u16>, _>>()
            .map_err(|_| {
                AppError::Internal(format!(
                    "course {}: stored measure weeks {:?} do not read",
                    self.id, self.measure_weeks
                ))
            })?;
        Ok(MeasurePlan { instruments, weeks })
    }

    /// When and where the group meets, as stored.
    pub fn meetings(&self) -> Result<Meetings, AppError> {
        serde_json::from_str(&self.meetings).map_err(|error| {
            AppError::Internal(format!("course {}: the stored meeting plan does not read: {error}", self.id))
        })
    }

    /// The course's weeks: its start and the weeks without a session.
    pub fn schedule(&self) -> Result<Schedule, AppError> {
        Ok(Schedule::new(parse_date("start_date", &self.start_date)?, &self.meetings()?))
    }
}

/// A plan as the two columns store it.
pub fn measure_columns(plan: &MeasurePlan) -> (String, String) {
    let weeks: Vec<String> = plan.weeks.iter().map(u16::to_string).collect();
    (plan.instruments.join(","), weeks.join(","))
}

/// A participant's membership as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MembershipRow {
    pub course_id: String,
    pub user_id: String,
    pub joined_at_ms: i64,
    pub share_adherence: bool,
    pub share_reflections: bool,
    pub consent_changed_ms: i64,
    pub share_group_results: bool,
    pub share_answers: bool,
}

impl MembershipRow {
    pub fn consent(&self) -> Consent {
        Consent {
            adherence: self.share_adherence,
            reflections: self.share_reflections,
            group_results: self.share_group_results,
            answers: self.share_answers,
        }
    }
}

/// The caller's relation to a course.
#[derive(Debug)]
pub enum Access {
    Instructor(CourseRow),
    Member(CourseRow, MembershipRow),
}

impl Access {
    pub fn course(&self) -> &CourseRow {
        match self {
            Access::Instructor(course) | Access::Member(course, _) => course,
        }
    }

    /// The course, when the caller is its instructor.
    pub fn teaching(self) -> Result<CourseRow, AppError> {
        match self {
            Access::Instructor(course) => Ok(course),
            Access::Member(..) => Err(AppError::Forbidden("only the course's instructor can do this".into())),
        }
    }
}

const COURSE_COLUMNS: &str = "id, instructor_id, title, lang, time_zone, start_date, is_open, capacity, template, \
                              invite_code, invite_expires_ms, created_at_ms, measure_instruments, measure_weeks, \
                              meetings, contact";

const MEMBERSHIP_COLUMNS: &str = "course_id, user_id, joined_at_ms, share_adherence, share_reflections, \
                                  consent_changed_ms, share_group_results, share_answers";

fn not_found() -> AppError {
    AppError::NotFound("there is no such course, or you are not in it".into())
}

/// How `user_id` relates to course `course_id`; 404 when not at all.
pub async fn access(store: &Store, course_id: &str, user_id: &str) -> Result<Access, AppError> {
    if !stille_practice::log::is_uuid(course_id) {
        return Err(not_found());
    }
    let sql = format!("SELECT {COURSE_COLUMNS} FROM courses WHERE id = $1");
    let course: Option<CourseRow> = on_store!(store, pool => {
        sqlx::query_as(&sql).bind(course_id).fetch_optional(pool).await?
    });
    let course = course.ok_or_else(not_found)?;
    if course.instructor_id == user_id {
        return Ok(Access::Instructor(course));
    }
    let membership: Option<MembershipRow> = on_store!(store, pool => {
        sqlx::query_as(&format!("SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE course_id = $1 AND user_id = $2"))
            .bind(course_id)
            .bind(user_id)
            .fetch_optional(pool)
            .await?
    });
    membership.map(|m| Access::Member(course, m)).ok_or_else(not_found)
}

pub(crate) async fn teaching_view(store: &Store, course: CourseRow) -> Result<Teaching, AppError> {
    let (participants,): (i64,) = on_store!(store, pool => {
        sqlx::query_as("SELECT COUNT(*) FROM memberships WHERE course_id = $1").bind(&course.id).fetch_one(pool).await?
    });
    let measures = course.measures()?;
    let meetings = course.meetings()?;
    let invite = match (course.invite_code, course.invite_expires_ms) {
        (Some(code), Some(expires_at_ms)) => Some(Invite { code, expires_at_ms }),
        _ => None,
    };
    Ok(Teaching {
        measures,
        id: course.id,
        role: Role::Instructor,
        title: course.title,
        lang: course.lang,
        time_zone: course.time_zone,
        start_date: course.start_date,
        open: course.is_open,
        capacity: course.capacity,
        template: course.template,
        participants,
        invite,
        meetings,
        contact: course.contact,
        created_at_ms: course.created_at_ms,
    })
}

async fn joined_view(
    store: &Store,
    course: CourseRow,
    membership: &MembershipRow,
) -> Result<Joined, AppError> {
    let (instructor,): (String,) = on_store!(store, pool => {
        sqlx::query_as("SELECT display_name FROM users WHERE id = $1").bind(&course.instructor_id).fetch_one(pool).await?
    });
    let measures = course.measures()?;
    let meetings = course.meetings()?;
    Ok(Joined {
        measures,
        meetings,
        id: course.id,
        role: Role::Participant,
        title: course.title,
        lang: course.lang,
        time_zone: course.time_zone,
        start_date: course.start_date,
        template: course.template,
        instructor,
        joined_at_ms: membership.joined_at_ms,
        consent: membership.consent(),
        contact: course.contact,
    })
}

/// Course `course_id` as participant `user_id` sees it.
async fn joined(store: &Store, course_id: &str, user_id: &str) -> Result<Joined, AppError> {
    match access(store, course_id, user_id).await? {
        Access::Member(course, membership) => joined_view(store, course, &membership).await,
        Access::Instructor(_) => Err(AppError::Internal("a course's instructor is not its member".into())),
    }
}

async fn view(store: &Store, access: Access) -> Result<CourseView, AppError> {
    Ok(match access {
        Access::Instructor(course) => CourseView::Teaching(teaching_view(store, course).await?),
        Access::Member(course, membership) => {
            CourseView::Joined(joined_view(store, course, &membership).await?)
        }
    })
}

// --- Checked fields -------------------------------------------------------

fn title(text: &str) -> Result<String, AppError> {
    Ok(stille_practice::api::one_line("title", text, 120, "a title")?)
}

fn lang(text: &str) -> Result<String, AppError> {
    match text {
        "da" | "en" => Ok(text.to_owned()),
        _ => Err(AppError::invalid(
            "lang",
            format!("{text:?} is not a language Stille speaks: use \"da\" or \"en\""),
        )),
    }
}

/// An IANA time zone name (`Europe/Copenhagen`, `UTC`) of the shape
/// [`shaped_time_zone`] takes, found in the tz database built into the
/// server (jiff's). Practice days still come from each device's own UTC
/// offset; the course's zone dates its weeks for reminders.
pub fn time_zone(text: &str) -> Result<String, AppError> {
    let name = shaped_time_zone(text)?;
    if jiff::tz::TimeZone::get(&name).is_err() {
        return Err(AppError::invalid(
            "time_zone",
            format!("{text:?} is not a time zone in the tz database"),
        ));
    }
    Ok(name)
}

/// Every time zone name the server takes (for the API document).
pub fn time_zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.to_string())
        .filter(|name| time_zone(name).is_ok())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn shaped_time_zone(text: &str) -> Result<String, AppError> {
    let ok = !text.is_empty()
        && text.len() <= 64
        && text.split('/').all(|part| {
            !part.is_empty()
                && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        })
        && text.starts_with(|c: char| c.is_ascii_uppercase());
    if ok {
        Ok(text.to_owned())
    } else {
        Err(AppError::invalid(
            "time_zone",
            format!("{text:?} is not a time zone name like \"Europe/Copenhagen\""),
        ))
    }
}

/// Once anyone has joined, the weeks they have lived stay as they were:
/// participants agreed to share their practice for the course as it was
/// dated, and the report, the questionnaire windows and their own history
/// read its weeks. A free day can be added or taken back only ahead of
/// today, a group cannot turn open or closed, and a closed group's number
/// of meetings cannot end it before the week it is in.
fn past_stays(
    before: &Meetings,
    after: &Meetings,
    (start, sessions): (Date, i32),
    zone: &str,
) -> Result<(), AppError> {
    if before.rolling != after.rolling {
        return Err(AppError::Conflict(
            "whether the group is open cannot change once participants have joined: it decides which \
             week each of them is in"
                .into(),
        ));
    }
    let today = crate::push::text::local_date(now_ms(), zone)
        .ok_or_else(|| AppError::Internal(format!("today in {zone}")))?;
    let changed = before
        .skipped
        .iter()
        .filter(|d| !after.skipped.contains(d))
        .chain(after.skipped.iter().filter(|d| !before.skipped.contains(d)));
    for text in changed {
        if Date::parse(text).is_some_and(|day| day <= today) {
            return Err(AppError::Conflict(format!(
                "{text} has passed: once participants have joined, only days ahead can be made free or \
                 given their session back, so the weeks they have lived stay as they were"
            )));
        }
    }
    // Its last week as it would be, taking the number away included (then
    // the programme's, or its weeks with home practice).
    let last = after.session_count(sessions);
    let week = Schedule::new(start, after).week_of(today).unwrap_or(0);
    if after.count != before.count && !after.rolling && week > last {
        return Err(AppError::Conflict(format!(
            "the group is in its week {week}: once participants have joined, it cannot be made to end \
             before that, so give at least {week} meetings"
        )));
    }
    Ok(())
}

/// How to reach the instructor: one line a person typed, trimmed; empty
/// takes it away.
fn contact(text: &str) -> Result<String, AppError> {
    if text.trim().is_empty() {
        return Ok(String::new());
    }
    Ok(stille_practice::api::one_line(
        "contact",
        text,
        stille_practice::api::MAX_CONTACT,
        "how to reach you",
    )?)
}

/// A meeting plan as the column stores it.
fn meetings_column(meetings: &Meetings) -> Result<String, AppError> {
    serde_json::to_string(meetings).map_err(|error| AppError::Internal(format!("a meeting plan: {error}")))
}

/// A date `YYYY-MM-DD` between 2020 and 2100.
pub fn parse_date(field: &str, text: &str) -> Result<Date, AppError> {
    let parts: Vec<&str> = text.split('-').collect();
    let date = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            match (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) {
                (Ok(y), Ok(m), Ok(d)) if (2020..=2100).contains(&y) => Date::from_ymd(y, m, d),
                _ => None,
            }
        }
        _ => None,
    };
    date.ok_or_else(|| {
        AppError::invalid(field, format!("{text:?} is not a date YYYY-MM-DD between 2020 and 2100"))
    })
}

fn capacity(value: u16) -> Result<i32, AppError> {
    if (1..=MAX_CAPACITY).contains(&value) {
        Ok(i32::from(value))
    } else {
        Err(AppError::invalid("capacity", format!("capacity is 1 to {MAX_CAPACITY} participants")))
    }
}

// --- Handlers ---------------------------------------------------------------

/// Create a course (instructors), from scratch or from a programme template
/// whose weekly home practice becomes its assignments.
#[utoipa::path(post, path = "/courses", tag = "courses", request_body = NewCourse,
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 201, description = "The course, as its instructor sees it", body = Teaching),
        (status = 403, description = "Only instructors create courses", body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Body(form): Body<NewCourse>,
) -> Result<(StatusCode, Json<Teaching>), AppError> {
    let instructor = auth.instructor()?;
    let title = title(&form.title)?;
    let lang = lang(&form.lang)?;
    let time_zone = time_zone(&form.time_zone)?;
    parse_date("start_date", &form.start_date)?;
    let capacity = capacity(form.capacity)?;
    let template = match &form.template {
        Some(id) => Some(catalog().course(id).ok_or_else(|| {
            let known: Vec<&str> = catalog().courses.iter().map(|c| c.id.as_str()).collect();
            AppError::invalid(
                "template",
                format!("no course template {id:?}; there are {}", known.join(", ")),
            )
        })?),
        None => None,
    };
    let id = new_id()?;
    let now = now_ms();
    let (measure_instruments, measure_weeks) =
        measure_columns(&template.map(|t| MeasurePlan::from(&t.measures)).unwrap_or_default());
    // Sessions last as long as the programme says until the instructor
    // says otherwise.
    let meetings = Meetings { minutes: template.and_then(|t| t.session_minutes()), ..Meetings::default() };
    let meetings = meetings_column(&meetings)?;
    on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "INSERT INTO courses (id, instructor_id, title, lang, time_zone, start_date, is_open, capacity, template, created_at_ms, \
             measure_instruments, measure_weeks, meetings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(&id)
        .bind(&instructor.id)
        .bind(&title)
        .bind(&lang)
        .bind(&time_zone)
        .bind(&form.start_date)
        .bind(form.open)
        .bind(capacity)
        .bind(template.map(|t| t.id.as_str()))
        .bind(now)
        .bind(&measure_instruments)
        .bind(&measure_weeks)
        .bind(&meetings)
        .execute(&mut *tx)
        .await?;
        if let Some(template) = template.filter(|t| t.structure == Structure::Weekly) {
            for (week, session) in (1i32..).zip(template.meetings()) {
                let practices: Vec<crate::assignments::Assigned> = session
                    .practices
                    .iter()
                    .map(|home| crate::assignments::Assigned {
                        practice: home.id.as_str().to_owned(),
                        minutes: i32::from(home.minutes),
                        days: i32::from(home.days),
                        per_day: i32::from(home.per_day),
                    })
                    .collect();
                crate::assignments::insert_week!(tx, &id, week, &practices);
            }
        }
        tx.commit().await?;
    });
    let course = access(&state.store, &id, &auth.user.id).await?.teaching()?;
    auth.may_teach()?;
    Ok((StatusCode::CREATED, Json(teaching_view(&state.store, course).await?)))
}

/// The courses you teach and the courses you are in.
#[utoipa::path(get, path = "/courses", tag = "courses", security(("session_cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "Your courses", body = Courses)))]
async fn list(State(state): State<AppState>, auth: Auth) -> Result<Json<Courses>, AppError> {
    let sql = format!("SELECT {COURSE_COLUMNS} FROM courses WHERE instructor_id = $1 ORDER BY created_at_ms");
    let taught: Vec<CourseRow> = on_store!(&state.store, pool => {
        sqlx::query_as(&sql).bind(&auth.user.id).fetch_all(pool).await?
    });
    if !taught.is_empty() {
        // Invite codes and counts are for a session that may teach.
        auth.may_teach()?;
    }
    let mut teaching = Vec::new();
    for course in taught {
        teaching.push(teaching_view(&state.store, course).await?);
    }
    let memberships: Vec<MembershipRow> = on_store!(&state.store, pool => {
        sqlx::query_as(&format!("SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE user_id = $1 ORDER BY joined_at_ms"))
            .bind(&auth.user.id)
            .fetch_all(pool)
            .await?
    });
    let mut joined = Vec::new();
    for membership in memberships {
        if let Access::Member(course, membership) =
            access(&state.store, &membership.course_id, &auth.user.id).await?
        {
            joined.push(joined_view(&state.store, course, &membership).await?);
        }
    }
    Ok(Json(Courses { teaching, joined }))
}

/// One course, as its instructor or a participant sees it.
#[utoipa::path(get, path = "/courses/{id}", tag = "courses",
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The course", body = CourseView),
        (status = 404, description = "No such course, or you are not in it", body = ErrorBody),
    ))]
async fn read(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<CourseView>, AppError> {
    let access = access(&state.store, &id, &auth.user.id).await?;
    if matches!(access, Access::Instructor(_)) {
        auth.may_teach()?;
    }
    Ok(Json(view(&state.store, access).await?))
}

/// Change a course's title, language, time zone, start date, openness,
/// capacity or meeting plan (time, length, place, the session days without
/// a session, the retreat). The start date is fixed once anyone has joined.
#[utoipa::path(patch, path = "/courses/{id}", tag = "courses", request_body = CourseChange,
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The course as changed", body = Teaching),
        (status = 403, description = "Only the course's instructor can do this", body = ErrorBody),
        (status = 404, description = "No such course, or you are not in it", body = ErrorBody),
        (status = 409, description = "The start date cannot change once participants have joined", body = ErrorBody),
    ))]
async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(change): Body<CourseChange>,
) -> Result<Json<Teaching>, AppError> {
    let mut course = access(&state.store, &id, &auth.user.id).await?.teaching()?;
    auth.may_teach()?;
    if let Some(text) = &change.title {
        course.title = title(text)?;
    }
    if let Some(text) = &change.lang {
        course.lang = lang(text)?;
    }
    if let Some(text) = &change.time_zone {
        course.time_zone = time_zone(text)?;
    }
    if let Some(text) = change.start_date.as_ref().filter(|text| **text != course.start_date) {
        parse_date("start_date", text)?;
        // Participants consented to a course with these dates; moving them
        // would change which of their days the report reads.
        if member_count(&state.store, &course.id).await? > 0 {
            return Err(AppError::Conflict(
                "the start date cannot change once participants have joined: they agreed to share \
                 their practice for the course as it was dated. Make a new course with the new date \
                 and invite them to it"
                    .into(),
            ));
        }
        course.start_date = text.clone();
    }
    if let Some(open) = change.open {
        course.is_open = open;
    }
    if let Some(value) = change.capacity {
        course.capacity = capacity(value)?;
    }
    if let Some(meetings) = &change.meetings {
        let mut meetings = meetings.clone();
        meetings.place = meetings.place.trim().to_owned();
        if let Some(retreat) = meetings.retreat.as_mut() {
            retreat.place = retreat.place.trim().to_owned();
        }
        let before = course.meetings()?;
        if member_count(&state.store, &course.id).await? > 0 {
            let start = parse_date("start_date", &course.start_date)?;
            // Without a number of meetings the course runs as long as its
            // programme's sessions or its weeks with home practice.
            let programme = course.template.as_deref().and_then(|t| catalog().course(t));
            let sessions = programme.map_or(0, CourseTemplate::session_count);
            let assigned = crate::assignments::weeks(&state.store, &course.id).await?;
            let sessions = sessions.max(assigned.last().map_or(0, |w| w.week));
            past_stays(&before, &meetings, (start, sessions), &course.time_zone)?;
        }
        course.meetings = meetings_column(&meetings)?;
    }
    if let Some(text) = &change.contact {
        course.contact = contact(text)?;
    }
    // The plan is checked against the start it ends up with: moving the
    // start moves the weekday sessions are on.
    let start = parse_date("start_date", &course.start_date)?;
    if let Some(problem) = course.meetings()?.problem(start) {
        return Err(AppError::invalid("meetings", problem));
    }
    on_store!(&state.store, pool => {
        sqlx::query(
            "UPDATE courses SET title = $1, lang = $2, time_zone = $3, start_date = $4, is_open = $5, capacity = $6, \
             meetings = $7, contact = $8 WHERE id = $9",
        )
        .bind(&course.title)
        .bind(&course.lang)
        .bind(&course.time_zone)
        .bind(&course.start_date)
        .bind(course.is_open)
        .bind(course.capacity)
        .bind(&course.meetings)
        .bind(&course.contact)
        .bind(&course.id)
        .execute(pool)
        .await?;
    });
    Ok(Json(teaching_view(&state.store, course).await?))
}

async fn member_count(store: &Store, course_id: &str) -> Result<i64, AppError> {
    let (count,): (i64,) = on_store!(store, pool => {
        sqlx::query_as("SELECT COUNT(*) FROM memberships WHERE course_id = $1").bind(course_id).fetch_one(pool).await?
    });
    Ok(count)
}

/// Delete a course with its memberships and assignments (participants keep their own records).
#[utoipa::path(delete, path = "/courses/{id}", tag = "courses",
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Only the course's instructor can do this", body = ErrorBody),
        (status = 404, description = "No such course, or you are not in it", body = ErrorBody),
    ))]
async fn remove(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let course = access(&state.store, &id, &auth.user.id).await?.teaching()?;
    auth.may_teach()?;
    on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        for sql in [
            "DELETE FROM course_message_reads WHERE message_id IN (SELECT id FROM course_messages WHERE course_id = $1)",
            "DELETE FROM course_messages WHERE course_id = $1",
            "DELETE FROM memberships WHERE course_id = $1",
            "DELETE FROM assignments WHERE course_id = $1",
            "DELETE FROM recording_courses WHERE course_id = $1",
            "DELETE FROM courses WHERE id = $1",
        ] {
            sqlx::query(sql).bind(&course.id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
    });
    Ok(StatusCode::NO_CONTENT)
}

/// Invite codes: 12 characters of Crockford's base32 (no I, L, O, U), shown as
/// `XXXX-XXXX-XXXX`: 60 random bits, easy to read aloud in a group.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn new_invite_code() -> Result<String, AppError> {
    let mut bytes = [0u8; 12];
    getrandom::getrandom(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    let chars: Vec<char> = bytes.iter().map(|b| char::from(CODE_ALPHABET[usize::from(b % 32)])).collect();
    let groups: Vec<String> = chars.chunks(4).map(|c| c.iter().collect()).collect();
    Ok(groups.join("-"))
}

/// An invite code as typed: case and separators do not matter, and the
/// letters people confuse with digits are read as those digits.
pub fn normalise_code(text: &str) -> Option<String> {
    let chars: Vec<char> = text
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{2013}'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    let ok = chars.len() == 12 && chars.iter().all(|c| c.is_ascii() && CODE_ALPHABET.contains(&(*c as u8)));
    ok.then(|| chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

/// A new invite code (the old one stops working).
#[utoipa::path(post, path = "/courses/{id}/invite", tag = "courses", request_body = NewInvite,
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 201, description = "The new code", body = Invite),
        (status = 403, description = "Only the course's instructor can do this", body = ErrorBody),
        (status = 404, description = "No such course, or you are not in it", body = ErrorBody),
    ))]
async fn rotate_invite(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(form): Body<NewInvite>,
) -> Result<(StatusCode, Json<Invite>), AppError> {
    let course = access(&state.store, &id, &auth.user.id).await?.teaching()?;
    auth.may_teach()?;
    if !(1..=90).contains(&form.valid_days) {
        return Err(AppError::invalid("valid_days", "an invite is valid for 1 to 90 days"));
    }
    let code = new_invite_code()?;
    let expires_at_ms = now_ms() + i64::from(form.valid_days) * 86_400_000;
    on_store!(&state.store, pool => {
        sqlx::query("UPDATE courses SET invite_code = $1, invite_expires_ms = $2 WHERE id = $3")
            .bind(&code)
            .bind(expires_at_ms)
            .bind(&course.id)
            .execute(pool)
            .await?;
    });
    Ok((StatusCode::CREATED, Json(Invite { code, expires_at_ms })))
}

/// Stop the invite code from working.
#[utoipa::path(delete, path = "/courses/{id}/invite", tag = "courses",
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "No code works now"),
        (status = 403, description = "Only the course's instructor can do this", body = ErrorBody),
        (status = 404, description = "No such course, or you are not in it", body = ErrorBody),
    ))]
async fn close_invite(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let course = access(&state.store, &id, &auth.user.id).await?.teaching()?;
    auth.may_teach()?;
    on_store!(&state.store, pool => {
        sqlx::query("UPDATE courses SET invite_code = NULL, invite_expires_ms = NULL WHERE id = $1")
            .bind(&course.id)
            .execute(pool)
            .await?;
    });
    Ok(StatusCode::NO_CONTENT)
}

/// See the course an invite code is for, before joining (no account needed).
#[utoipa::path(post, path = "/join/preview", tag = "courses", request_body = JoinCode,
    responses(
        (status = 200, description = "The course this code is for", body = JoinPreview),
        (status = 404, description = "No course has this code (or it expired)", body = ErrorBody),
        (status = 429, description = "Too many codes tried; see Retry-After", body = ErrorBody),
    ))]
async fn preview(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Body(form): Body<JoinCode>,
) -> Result<Json<JoinPreview>, AppError> {
    state.limits.invite_ip.hit(&ip).await?;
    let no_course =
        || AppError::NotFound("no course has this invite code; it may have expired or been replaced".into());
    let code = normalise_code(&form.code).ok_or_else(no_course)?;
    let sql =
        format!("SELECT {COURSE_COLUMNS} FROM courses WHERE invite_code = $1 AND invite_expires_ms > $2");
    let course: Option<CourseRow> = on_store!(&state.store, pool => {
        sqlx::query_as(&sql).bind(&code).bind(now_ms()).fetch_optional(pool).await?
    });
    let course = course.ok_or_else(no_course)?;
    let (instructor, members, weeks): (String, i64, i64) = on_store!(&state.store, pool => {
        sqlx::query_as(
            "SELECT (SELECT display_name FROM users WHERE id = $1), \
                    (SELECT COUNT(*) FROM memberships WHERE course_id = $2), \
                    (SELECT COUNT(DISTINCT week) FROM assignments WHERE course_id = $2)",
        )
        .bind(&course.instructor_id)
        .bind(&course.id)
        .fetch_one(pool)
        .await?
    });
    // How long the course runs: as many weeks as the instructor set meetings,
    // else its weeks with home practice; an open group does not end (0).
    let meetings = course.meetings()?;
    let weeks = match meetings.count {
        _ if meetings.rolling => 0,
        Some(count) => i64::from(count),
        None => weeks,
    };
    Ok(Json(JoinPreview {
        measures: course.measures()?,
        open: course.is_open && members < i64::from(course.capacity),
        title: course.title,
        instructor,
        lang: course.lang,
        start_date: course.start_date,
        template: course.template,
        weeks,
    }))
}

/// Join a course with its invite code, saying explicitly what its instructor
/// may see. Attempts are limited per address and per account.
#[utoipa::path(post, path = "/join", tag = "courses", request_body = JoinForm,
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 201, description = "Joined", body = Joined),
        (status = 404, description = "No course has this code (or it expired)", body = ErrorBody),
        (status = 409, description = "Closed, full, already in it, or your own course", body = ErrorBody),
        (status = 429, description = "Too many codes tried; see Retry-After", body = ErrorBody),
    ))]
async fn join(
    State(state): State<AppState>,
    auth: Auth,
    ClientIp(ip): ClientIp,
    Body(form): Body<JoinForm>,
) -> Result<(StatusCode, Json<Joined>), AppError> {
    state.limits.invite_ip.hit(&ip).await?;
    state.limits.invite_account.hit(&auth.user.id).await?;
    let no_course =
        || AppError::NotFound("no course has this invite code; it may have expired or been replaced".into());
    let code = normalise_code(&form.code).ok_or_else(no_course)?;
    let now = now_ms();
    let sql =
        format!("SELECT {COURSE_COLUMNS} FROM courses WHERE invite_code = $1 AND invite_expires_ms > $2");
    let course: Option<CourseRow> = on_store!(&state.store, pool => {
        sqlx::query_as(&sql).bind(&code).bind(now).fetch_optional(pool).await?
    });
    let course = course.ok_or_else(no_course)?;
    if course.instructor_id == auth.user.id {
        return Err(AppError::Conflict("you teach this course; participants join it with this code".into()));
    }
    if !course.is_open {
        return Err(AppError::Conflict(
            "this course is closed to new participants; ask its instructor".into(),
        ));
    }
    on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        // Lock the course's row first, so two joins cannot both take the last place.
        sqlx::query("UPDATE courses SET capacity = capacity WHERE id = $1").bind(&course.id).execute(&mut *tx).await?;
        let (members,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM memberships WHERE course_id = $1")
            .bind(&course.id)
            .fetch_one(&mut *tx)
            .await?;
        if members >= i64::from(course.capacity) {
            return Err(AppError::Conflict("this course is full; ask its instructor".into()));
        }
        let inserted = sqlx::query(
            "INSERT INTO memberships (course_id, user_id, joined_at_ms, share_adherence, share_reflections, consent_changed_ms, \
             adherence_since_ms, reflections_since_ms, share_group_results, share_answers, group_results_since_ms, \
             answers_since_ms) VALUES ($1, $2, $3, $4, $5, $3, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
        )
        .bind(&course.id)
        .bind(&auth.user.id)
        .bind(now)
        .bind(form.consent.adherence)
        .bind(form.consent.reflections)
        .bind(form.consent.adherence.then_some(now))
        .bind(form.consent.reflections.then_some(now))
        .bind(form.consent.group_results)
        .bind(form.consent.answers)
        .bind(form.consent.group_results.then_some(now))
        .bind(form.consent.answers.then_some(now))
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(AppError::Conflict(
                "you are already in this course; change what you share at PUT /api/courses/{id}/consent".into(),
            ));
        }
        tx.commit().await?;
    });
    Ok((StatusCode::CREATED, Json(joined(&state.store, &course.id, &auth.user.id).await?)))
}

/// Change or withdraw what the course's instructor sees (participants); it applies at once.
#[utoipa::path(put, path = "/courses/{id}/consent", tag = "courses", request_body = ConsentChange,
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The course with your consent as now given", body = Joined),
        (status = 403, description = "Instructors give no consent in their own course", body = ErrorBody),
        (status = 404, description = "No such course, or you are not in it", body = ErrorBody),
    ))]
async fn change_consent(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(change): Body<ConsentChange>,
) -> Result<Json<Joined>, AppError> {
    let Access::Member(course, membership) = access(&state.store, &id, &auth.user.id).await? else {
        return Err(AppError::Forbidden("you teach this course; consent is a participant's to give".into()));
    };
    let consent = change.applied_to(membership.consent());
    on_store!(&state.store, pool => {
        sqlx::query(
            // A consent counts from when it was given: kept while it stays,
            // cleared when withdrawn, and new when given again.
            "UPDATE memberships SET share_adherence = $1, share_reflections = $2, consent_changed_ms = $3, \
             adherence_since_ms = CASE WHEN $1 THEN COALESCE(adherence_since_ms, $3) ELSE NULL END, \
             reflections_since_ms = CASE WHEN $2 THEN COALESCE(reflections_since_ms, $3) ELSE NULL END, \
             share_group_results = $6, share_answers = $7, \
             group_results_since_ms = CASE WHEN $6 THEN COALESCE(group_results_since_ms, $3) ELSE NULL END, \
             answers_since_ms = CASE WHEN $7 THEN COALESCE(answers_since_ms, $3) ELSE NULL END \
             WHERE course_id = $4 AND user_id = $5",
        )
        .bind(consent.adherence)
        .bind(consent.reflections)
        .bind(now_ms())
        .bind(&course.id)
        .bind(&auth.user.id)
        .bind(consent.group_results)
        .bind(consent.answers)
        .execute(pool)
        .await?;
    });
    Ok(Json(joined(&state.store, &id, &auth.user.id).await?))
}

/// Leave a course (participants). Your records stay yours.
#[utoipa::path(delete, path = "/courses/{id}/membership", tag = "courses",
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "You left"),
        (status = 403, description = "Instructors delete their course instead", body = ErrorBody),
        (status = 404, description = "No such course, or you are not in it", body = ErrorBody),
    ))]
async fn leave(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let Access::Member(course, _) = access(&state.store, &id, &auth.user.id).await? else {
        return Err(AppError::Forbidden("you teach this course; delete it instead of leaving".into()));
    };
    end_membership(&state.store, &course.id, &auth.user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who is in the course, and what each shares (the course's instructor).
#[utoipa::path(get, path = "/courses/{id}/members", tag = "courses",
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Participants in the order they joined", body = Members),
        (status = 403, description = "Only the course's instructor can do this", body = ErrorBody),
        (status = 404, description = "No such course, or you are not in it", body = ErrorBody),
    ))]
async fn members(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Members>, AppError> {
    let course = access(&state.store, &id, &auth.user.id).await?.teaching()?;
    auth.may_teach()?;
    let rows: Vec<(String, String, i64, bool, bool, bool, bool)> = on_store!(&state.store, pool => {
        sqlx::query_as(
            "SELECT m.user_id, u.display_name, m.joined_at_ms, m.share_adherence, m.share_reflections, \
             m.share_group_results, m.share_answers \
             FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.course_id = $1 ORDER BY m.joined_at_ms",
        )
        .bind(&course.id)
        .fetch_all(pool)
        .await?
    });
    let members = rows
        .into_iter()
        .map(
            |(
                user_id,
                display_name,
                joined_at_ms,
                share_adherence,
                share_reflections,
                share_group_results,
                share_answers,
            )| {
                Member {
                    user_id,
                    display_name,
                    joined_at_ms,
                    share_adherence,
                    share_reflections,
                    share_group_results,
                    share_answers,
                }
            },
        )
        .collect();
    Ok(Json(Members { members }))
}

/// Remove a participant from the course (the course's instructor).
#[utoipa::path(delete, path = "/courses/{id}/members/{user_id}", tag = "courses",
    params(("id" = String, Path, description = "The course id"), ("user_id" = String, Path, description = "The participant's user id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Only the course's instructor can do this", body = ErrorBody),
        (status = 404, description = "No such course or participant", body = ErrorBody),
    ))]
async fn remove_member(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, user_id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let course = access(&state.store, &id, &auth.user.id).await?.teaching()?;
    auth.may_teach()?;
    if end_membership(&state.store, &course.id, &user_id).await? == 0 {
        return Err(AppError::NotFound("this person is not in the course".into()));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Takes `user_id` out of course `course_id` with their marks on its
/// messages; how many memberships ended (0 or 1).
async fn end_membership(store: &Store, course_id: &str, user_id: &str) -> Result<u64, AppError> {
    Ok(on_store!(store, pool => {
        let mut tx = pool.begin_write().await?;
        for sql in [
            "DELETE FROM course_message_reads WHERE user_id = $2 AND message_id IN \
             (SELECT id FROM course_messages WHERE course_id = $1)",
            "DELETE FROM push_outbox WHERE message_id IN (SELECT id FROM course_messages WHERE course_id = $1) \
             AND subscription_id IN (SELECT id FROM push_subscriptions WHERE user_id = $2)",
        ] {
            sqlx::query(sql).bind(course_id).bind(user_id).execute(&mut *tx).await?;
        }
        let removed = sqlx::query("DELETE FROM memberships WHERE course_id = $1 AND user_id = $2")
            .bind(course_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        removed
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invite_codes_read_back_however_typed() {
        let code = new_invite_code().expect("code");
        assert_eq!(code.len(), 14);
        assert_eq!(normalise_code(&code), Some(code.clone()));
        assert_eq!(normalise_code(&code.to_lowercase().replace('-', " ")), Some(code.clone()));
        assert_eq!(normalise_code("oooo-iiii-llll"), Some("0000-1111-1111".into()));
        assert_eq!(normalise_code("ABCD-EFGH"), None);
        assert_eq!(normalise_code("ABCD-EFGH-JKMU"), None, "U is not in the alphabet");
    }

    #[test]
    fn fields_are_checked() {
        assert!(time_zone("Europe/Copenhagen").is_ok());
        assert!(time_zone("America/Argentina/Buenos_Aires").is_ok());
        assert!(time_zone("UTC").is_ok());
        for bad in
            ["", "europe/copenhagen", "Europe//X", "Europe/Cop enhagen", "Europe/København", "Europe/Aarhus"]
        {
            assert!(time_zone(bad).is_err(), "{bad:?}");
        }
        let names = time_zone_names();
        assert!(names.len() > 300, "{}", names.len());
        assert!(names.iter().any(|n| n == "Europe/Copenhagen") && names.iter().any(|n| n == "America/Nuuk"));
        assert!(parse_date("d", "2026-02-02").is_ok());
        for bad in ["2026-02-30", "2026-2-2", "1999-01-01", "2026-02-02T00:00", ""] {
            assert!(parse_date("d", bad).is_err(), "{bad:?}");
        }
        assert!(capacity(0).is_err() && capacity(13).is_ok() && capacity(201).is_err());
    }
}

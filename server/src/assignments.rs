//! Assignments: for each course week, which practices at what length on how
//! many days (and how many times a day). A course made from a template starts
//! with the template's home practice; the instructor edits a week by replacing
//! its list. The course's instructor and its participants read them.

use axum::Json;
use axum::extract::{Path, State};
pub use stille_practice::api::{Assigned, MAX_WEEKS, Week, WeekForm, Weeks};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use stille_practice::catalog;
use stille_practice::modules::{self, ModuleChoice};

use crate::accounts::session::Auth;
use crate::courses::access;
use crate::json::Body;
use crate::store::BeginWrite;
use crate::{AppError, AppState, Store, on_store};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read)).routes(routes!(replace_week)).routes(routes!(choose_modules))
}

#[derive(Debug, sqlx::FromRow)]
struct Row {
    week: i32,
    practice: String,
    minutes: i32,
    days: i32,
    per_day: i32,
}

/// Writes one course week's practices, in order, in the open transaction
/// `$tx` (its old list deleted first by the caller). One macro rather than a
/// function because each store's transaction is its own type.
macro_rules! insert_week {
    ($tx:expr, $course_id:expr, $week:expr, $practices:expr) => {
        for (position, a) in (0i32..).zip($practices) {
            let a: &$crate::assignments::Assigned = a;
            sqlx::query(
                "INSERT INTO assignments (course_id, week, position, practice, minutes, days, per_day) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind($course_id)
            .bind($week)
            .bind(position)
            .bind(&a.practice)
            .bind(a.minutes)
            .bind(a.days)
            .bind(a.per_day)
            .execute(&mut *$tx)
            .await?;
        }
    };
}
pub(crate) use insert_week;

const WEEKS_SQL: &str = "SELECT week, practice, minutes, days, per_day FROM assignments WHERE course_id = $1 ORDER BY week, position";

/// Every week of a course that has practices, in order.
pub async fn weeks(store: &Store, course_id: &str) -> Result<Vec<Week>, AppError> {
    let rows: Vec<Row> = on_store!(store, pool => {
        sqlx::query_as(WEEKS_SQL).bind(course_id).fetch_all(pool).await?
    });
    Ok(grouped(rows))
}

/// Rows in week order as weeks.
fn grouped(rows: Vec<Row>) -> Vec<Week> {
    let mut weeks: Vec<Week> = Vec::new();
    for row in rows {
        let assigned =
            Assigned { practice: row.practice, minutes: row.minutes, days: row.days, per_day: row.per_day };
        match weeks.last_mut() {
            Some(week) if week.week == row.week => week.practices.push(assigned),
            _ => weeks.push(Week { week: row.week, practices: vec![assigned] }),
        }
    }
    weeks
}

/// Every week's assigned practice (for the course's instructor and participants).
#[utoipa::path(get, path = "/courses/{id}/assignments", tag = "courses",
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Weeks with practices, in order", body = Weeks),
        (status = 404, description = "No such course, or you are not in it", body = crate::error::ErrorBody),
    ))]
async fn read(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Weeks>, AppError> {
    let access = access(&state.store, &id, &auth.user.id).await?;
    let weeks = weeks(&state.store, &access.course().id).await?;
    Ok(Json(Weeks { weeks }))
}

/// Replace one week's assignment (the course's instructor).
#[utoipa::path(put, path = "/courses/{id}/assignments/{week}", tag = "courses", request_body = WeekForm,
    params(("id" = String, Path, description = "The course id"), ("week" = u16, Path, description = "Course week, 1–52")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The week as stored", body = Week),
        (status = 403, description = "Only the course's instructor edits assignments", body = crate::error::ErrorBody),
        (status = 404, description = "No such course, or you are not in it", body = crate::error::ErrorBody),
    ))]
async fn replace_week(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, week)): Path<(String, String)>,
    Body(form): Body<WeekForm>,
) -> Result<Json<Week>, AppError> {
    let course = access(&state.store, &id, &auth.user.id).await?.teaching()?;
    auth.may_teach()?;
    let week = week
        .parse::<u16>()
        .ok()
        .filter(|w| (1..=MAX_WEEKS).contains(w))
        .ok_or_else(|| AppError::invalid("week", format!("a course week is 1 to {MAX_WEEKS}")))?;
    form.check()?;
    let week = i32::from(week);
    on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        // The course's row locked first, as a choice of modules does: the two
        // take turns instead of one losing the other's week.
        sqlx::query("UPDATE courses SET id = id WHERE id = $1").bind(&course.id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM assignments WHERE course_id = $1 AND week = $2")
            .bind(&course.id)
            .bind(week)
            .execute(&mut *tx)
            .await?;
        insert_week!(tx, &course.id, week, &form.practices);
        tx.commit().await?;
    });
    Ok(Json(Week { week, practices: form.practices }))
}

/// Choose the modules of a programme of modules and their order (the
/// course's instructor): the module in place n is week n's home practice
/// and reading. Other practices stay in their weeks.
#[utoipa::path(put, path = "/courses/{id}/modules", tag = "courses", request_body = ModuleChoice,
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Every week with practices, as stored", body = Weeks),
        (status = 403, description = "Only the course's instructor chooses modules", body = crate::error::ErrorBody),
        (status = 404, description = "No such course, or you are not in it", body = crate::error::ErrorBody),
        (status = 422, description = "Not a module of the course's programme, one chosen twice, or a programme \
            that has no modules", body = crate::error::ErrorBody),
    ))]
async fn choose_modules(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(choice): Body<ModuleChoice>,
) -> Result<Json<Weeks>, AppError> {
    let course = access(&state.store, &id, &auth.user.id).await?.teaching()?;
    auth.may_teach()?;
    let programme = course.template.as_deref().and_then(|t| catalog().course(t));
    let Some(programme) = programme.filter(|p| !modules::modules(p).is_empty()) else {
        return Err(AppError::invalid("modules", "this course's programme is not one of modules"));
    };
    let weeks = on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        // The course's row locked first: two choices made at once take turns,
        // each reading the weeks the other left.
        sqlx::query("UPDATE courses SET id = id WHERE id = $1").bind(&course.id).execute(&mut *tx).await?;
        let rows: Vec<Row> = sqlx::query_as(WEEKS_SQL).bind(&course.id).fetch_all(&mut *tx).await?;
        let weeks = modules::with_modules(programme, &grouped(rows), &choice)?;
        sqlx::query("DELETE FROM assignments WHERE course_id = $1").bind(&course.id).execute(&mut *tx).await?;
        for week in &weeks {
            insert_week!(tx, &course.id, week.week, &week.practices);
        }
        tx.commit().await?;
        weeks
    });
    Ok(Json(Weeks { weeks }))
}

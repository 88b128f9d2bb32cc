//! A course's outcome measures for its instructor: which questionnaires the
//! course asks and when (`PUT /api/courses/{id}/measures`), and the results
//! (`GET /api/courses/{id}/outcomes`, `?format=csv` for the municipality).
//!
//! What is counted, and for whom:
//! - Group figures (n, mean, SD per measurement point; the paired change
//!   from the first point to each later one with its 95 % interval, effect
//!   size and how many changed meaningfully) come only from participants who
//!   consent to being counted (`group_results`), from answers given since
//!   that consent, and are shown only for at least
//!   [`stille_practice::outcomes::MIN_GROUP`] people of whom none, or at
//!   least as many, are people whose own answer the instructor also sees
//!   ([`stille_practice::outcomes::may_show`]: otherwise the figure minus
//!   the answers on view would give away the rest); below that only the
//!   number.
//! - A participant's own scores only when they let their instructor see
//!   them (`answers`), from answers given since.
//! - Home practice per week that is over: the mean and SD of minutes and
//!   days of those who shared their practice from the week's first day (the
//!   course report's own figures, which the instructor sees one by one
//!   anyway), again only for groups of at least the minimum.
//!
//! An answer counts at a point when it was given in the point's window
//! ([`stille_practice::outcomes::window`]); the first one there counts.
//! Withdrawing a consent removes the answers from the next read: nothing is
//! stored but the answers themselves.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use stille_practice::api::{
    ChangeFigures, Individual, IndividualScore, InstrumentResults, MeasurePlan, Outcomes, PointChange,
    PointResult, PracticeWeek, Spread, Teaching,
};
use stille_practice::journal::Answers;
use stille_practice::measures::{Direction, Instrument};
use stille_practice::outcomes::{Group, MIN_GROUP, at_points, may_show, paired, summary};
use stille_practice::schedule::Schedule;
use stille_practice::stats::{Date, DayRule};
use stille_practice::{Lang, catalog};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::accounts::session::Auth;
use crate::courses::{access, measure_columns, teaching_view};
use crate::error::ErrorBody;
use crate::json::Body;
use crate::reports::{self, bodies};
use crate::sheet::{Format, Sheet};
use crate::store::now_ms;
use crate::{AppError, AppState, Store, on_store};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(change_measures)).routes(routes!(outcomes))
}

/// Change which questionnaires a course asks, and in which course weeks
/// (the course's instructor). Weeks may come in any order; they are kept
/// earliest first.
#[utoipa::path(put, path = "/courses/{id}/measures", tag = "courses", request_body = MeasurePlan,
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The course with its new plan", body = Teaching),
        (status = 403, description = "Only the course's instructor can do this", body = ErrorBody),
        (status = 404, description = "No such course, or you are not in it", body = ErrorBody),
        (status = 422, description = "An unknown questionnaire, a week named twice or too late, or weeks without questionnaires", body = ErrorBody),
    ))]
async fn change_measures(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(plan): Body<MeasurePlan>,
) -> Result<Json<Teaching>, AppError> {
    let course = access(&state.store, &id, &auth.user.id).await?.teaching()?;
    auth.may_teach()?;
    plan.check(&catalog().instruments)?;
    let (instruments, weeks) = measure_columns(&plan.sorted());
    on_store!(&state.store, pool => {
        sqlx::query("UPDATE courses SET measure_instruments = $1, measure_weeks = $2 WHERE id = $3")
            .bind(&instruments)
            .bind(&weeks)
            .bind(&course.id)
            .execute(pool)
            .await?;
    });
    let course = access(&state.store, &id, &auth.user.id).await?.teaching()?;
    Ok(Json(teaching_view(&state.store, course).await?))
}

/// A score with when it was given.
#[derive(Clone, Copy, Debug)]
struct Scored {
    score: f64,
    at_ms: i64,
    utc_offset_minutes: i16,
    /// Whether the wording it was answered in is a validated one.
    validated: bool,
}

/// The answer to `instrument` that counts at each point of the plan: the
/// first given in the point's window from `since` (the consent) on. What
/// someone answered before consenting — week 0's window has no beginning,
/// and many answer on their own before a course — is theirs alone.
fn at_each_point(
    schedule: &Schedule,
    weeks: &[u16],
    instrument: &Instrument,
    answers: &[Answers],
    since: i64,
) -> Vec<Option<Scored>> {
    let scored =
        answers.iter().filter(|a| a.instrument == instrument.id && a.at_ms >= since).filter_map(|a| {
            let score = instrument.score(&a.answers).ok()?;
            let day = Date::of(a.at_ms, a.utc_offset_minutes, DayRule::default());
            let scored = Scored {
                score: instrument.rounded(score.total),
                at_ms: a.at_ms,
                utc_offset_minutes: a.utc_offset_minutes,
                validated: instrument.validated.get(a.lang),
            };
            Some((day, a.at_ms, scored))
        });
    at_points(schedule, weeks, scored)
}

fn spread(scores: &[f64]) -> Option<Spread> {
    match summary(scores) {
        Group::Shown(s) => Some(Spread { mean: s.mean, sd: s.sd }),
        Group::TooFew { .. } => None,
    }
}

/// A member as read here: id, name, and since when each of the two
/// questionnaire consents and the sharing of practice hold (None: not given).
type MemberRow = (String, String, Option<i64>, Option<i64>, Option<i64>);

/// The outcomes of course `course_id`, for its instructor `user_id`.
pub async fn build(store: &Store, course_id: &str, user_id: &str) -> Result<Outcomes, AppError> {
    let course = access(store, course_id, user_id).await?.teaching()?;
    let report = reports::build(store, course_id, user_id).await?;
    let plan = course.measures()?;
    let schedule = course.schedule()?;
    let lang = Lang::from_preferences([course.lang.as_str()]);
    let members: Vec<MemberRow> = on_store!(store, pool => {
        sqlx::query_as(
            "SELECT m.user_id, u.display_name, \
             CASE WHEN m.share_group_results THEN m.group_results_since_ms END, \
             CASE WHEN m.share_answers THEN m.answers_since_ms END, \
             CASE WHEN m.share_adherence THEN m.adherence_since_ms END \
             FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.course_id = $1 ORDER BY m.joined_at_ms",
        )
        .bind(&course.id)
        .fetch_all(pool)
        .await?
    });
    let instruments: Vec<&Instrument> =
        plan.instruments.iter().filter_map(|id| catalog().instrument(id)).collect();
    // Each member's answers, read once, only for those who consented to anything.
    let mut answers_of = Vec::new();
    for (member_id, name, group_since, own_since, _) in &members {
        let answers = if group_since.is_some() || own_since.is_some() {
            bodies(store, member_id, "answers", |a: &Answers| {
                a.check().is_ok() && a.check_against(catalog()).is_ok()
            })
            .await?
        } else {
            Vec::new()
        };
        answers_of.push((member_id, name, *group_since, *own_since, answers));
    }

    let mut results = Vec::new();
    for instrument in &instruments {
        // Per counted participant, their score at each point, and whether
        // the instructor also sees that very answer on its own.
        let mut wordings = Vec::new();
        let counted: Vec<Vec<Option<(f64, bool)>>> = answers_of
            .iter()
            .filter_map(|(_, _, since, own_since, answers)| {
                let own =
                    own_since.map(|own| at_each_point(&schedule, &plan.weeks, instrument, answers, own));
                since.map(|since| {
                    at_each_point(&schedule, &plan.weeks, instrument, answers, since)
                        .into_iter()
                        .enumerate()
                        .map(|(point, s)| {
                            let seen = own.as_ref().is_some_and(|own| {
                                own[point].is_some_and(|o| s.is_some_and(|s| o.at_ms == s.at_ms))
                            });
                            if let Some(s) = s {
                                wordings.push(s.validated);
                            }
                            s.map(|s| (s.score, seen))
                        })
                        .collect()
                })
            })
            .collect();
        let points = plan
            .weeks
            .iter()
            .enumerate()
            .map(|(index, week)| {
                let answered: Vec<(f64, bool)> = counted.iter().filter_map(|p| p[index]).collect();
                let scores: Vec<f64> = answered.iter().map(|a| a.0).collect();
                let hidden = answered.iter().filter(|a| !a.1).count();
                let scores = if may_show(scores.len(), hidden) { spread(&scores) } else { None };
                PointResult { week: *week, n: answered.len() as u32, scores }
            })
            .collect();
        let changes = (1..plan.weeks.len())
            .map(|later| {
                let both: Vec<((f64, bool), (f64, bool))> =
                    counted.iter().filter_map(|p| Some((p[0]?, p[later]?))).collect();
                let pairs: Vec<(f64, f64)> = both.iter().map(|(b, a)| (b.0, a.0)).collect();
                let hidden = both.iter().filter(|(b, a)| !(b.1 && a.1)).count();
                let shown = if may_show(pairs.len(), hidden) {
                    paired(instrument, &pairs)
                } else {
                    Group::TooFew { n: pairs.len() }
                };
                let figures = match shown {
                    Group::Shown(p) => Some(ChangeFigures {
                        before: Spread { mean: p.before.mean, sd: p.before.sd },
                        after: Spread { mean: p.after.mean, sd: p.after.sd },
                        mean_change: p.mean_change,
                        sd_change: p.sd_change,
                        ci95_low: p.ci95.0,
                        ci95_high: p.ci95.1,
                        effect_size: p.effect_size,
                        better: p.better as u32,
                        worse: p.worse as u32,
                    }),
                    Group::TooFew { .. } => None,
                };
                PointChange {
                    from_week: plan.weeks[0],
                    to_week: plan.weeks[later],
                    n: pairs.len() as u32,
                    figures,
                }
            })
            .collect();
        let (lowest, highest) = instrument.score_range();
        // Validated only when every answer counted was given in a validated
        // wording (someone may answer a Danish course's questionnaire in
        // English); with no answers yet, the course language's wording.
        let validated =
            if wordings.is_empty() { instrument.validated.get(lang) } else { wordings.iter().all(|v| *v) };
        results.push(InstrumentResults {
            instrument: instrument.id.clone(),
            name: instrument.name.get(lang).to_owned(),
            validated,
            wording_source: instrument.wording_source.get(lang).to_owned(),
            citation: instrument.citation.clone(),
            lowest,
            highest,
            higher_is_better: instrument.scoring.higher_is == Direction::Better,
            meaningful_change: instrument.scoring.meaningful_change,
            points,
            changes,
        });
    }

    let mut individuals = Vec::new();
    for (member_id, name, _, own_since, answers) in &answers_of {
        let Some(since) = own_since else { continue };
        let mut scores = Vec::new();
        for instrument in &instruments {
            let at = at_each_point(&schedule, &plan.weeks, instrument, answers, *since);
            for (week, scored) in plan.weeks.iter().zip(at) {
                if let Some(s) = scored {
                    scores.push(IndividualScore {
                        instrument: instrument.id.clone(),
                        week: *week,
                        score: s.score,
                        answered_at_ms: s.at_ms,
                        utc_offset_minutes: s.utc_offset_minutes,
                    });
                }
            }
        }
        individuals.push(Individual { user_id: (*member_id).clone(), display_name: (*name).clone(), scores });
    }

    // Home practice of the weeks that are over, from those who shared it
    // from the week's first day: a week not yet lived, or lived before the
    // consent, would count as nothing practised.
    let today = Date::of(now_ms(), 0, DayRule { grace_minutes: 0 });
    let practice_since: std::collections::HashMap<&str, i64> =
        members.iter().filter_map(|m| Some((m.0.as_str(), m.4?))).collect();
    let sharing: Vec<_> = report.participants.iter().filter(|p| p.shares_adherence).collect();
    let practice = (1..=report.weeks)
        .take_while(|week| schedule.week_start(i32::from(*week)).add_days(7) <= today)
        .map(|week| {
            let first_day = schedule.week_start(i32::from(week));
            let of_week: Vec<_> = sharing
                .iter()
                .filter(|p| {
                    practice_since
                        .get(p.user_id.as_str())
                        .is_some_and(|since| Date::of(*since, 0, DayRule { grace_minutes: 0 }) <= first_day)
                })
                .filter_map(|p| p.weeks.iter().find(|w| w.week == week))
                .collect();
            let minutes: Vec<f64> = of_week.iter().map(|w| f64::from(w.minutes)).collect();
            let days: Vec<f64> = of_week.iter().map(|w| f64::from(w.days)).collect();
            PracticeWeek { week, n: of_week.len() as u32, minutes: spread(&minutes), days: spread(&days) }
        })
        .collect();

    Ok(Outcomes {
        course_id: course.id.clone(),
        title: course.title.clone(),
        lang: course.lang.clone(),
        start_date: course.start_date.clone(),
        template: course.template.clone(),
        weeks: report.weeks,
        plan,
        min_group: MIN_GROUP as u32,
        participants: members.len() as u32,
        counted: members.iter().filter(|m| m.2.is_some()).count() as u32,
        practice,
        instruments: results,
        individuals,
    })
}

/// The columns of the spreadsheet, in order: (Danish, English).
const CSV_COLUMNS: [(&str, &str); 20] = [
    ("Opgørelse", "figure"),
    ("Spørgeskema", "instrument"),
    ("Valideret dansk ordlyd", "validated_wording"),
    ("Uge", "week"),
    ("Fra uge", "from_week"),
    ("Til uge", "to_week"),
    ("Antal (n)", "n"),
    ("Gennemsnit", "mean"),
    ("Spredning (SD)", "sd"),
    ("Før, gennemsnit", "before_mean"),
    ("Før, SD", "before_sd"),
    ("Efter, gennemsnit", "after_mean"),
    ("Efter, SD", "after_sd"),
    ("Ændring, gennemsnit", "mean_change"),
    ("Ændring, SD", "sd_change"),
    ("95 % KI, nedre", "ci95_low"),
    ("95 % KI, øvre", "ci95_high"),
    ("Effektstørrelse (dz)", "effect_size_dz"),
    ("Antal bedre", "changed_better"),
    ("Antal værre", "changed_worse"),
];

/// A figure's name in the spreadsheet: (Danish, English).
fn figure_name(figure: &str, lang: Lang) -> String {
    let da = match figure {
        "home_practice_minutes" => "Hjemmepraksis, minutter",
        "home_practice_days" => "Hjemmepraksis, dage",
        "score" => "Score",
        "change" => "Ændring",
        other => other,
    };
    if lang == Lang::Da { da } else { figure }.to_owned()
}

/// The group results as a spreadsheet in `lang`'s way (see
/// [`crate::sheet`]): one row per figure, no names and nobody's own
/// answers; a figure for fewer than the minimum group has its n and nothing
/// else.
pub fn csv(outcomes: &Outcomes, lang: Lang) -> Sheet {
    let mut sheet = Sheet::new(lang, &CSV_COLUMNS);
    let mut rows: Vec<Vec<(&str, String)>> = Vec::new();
    let number = |value: f64| sheet.number(value, 2);
    let spread = |prefix: &'static str, s: Option<Spread>| -> Vec<(&'static str, String)> {
        let (mean, sd) = match prefix {
            "before" => ("before_mean", "before_sd"),
            "after" => ("after_mean", "after_sd"),
            _ => ("mean", "sd"),
        };
        s.map(|s| vec![(mean, number(s.mean)), (sd, number(s.sd))]).unwrap_or_default()
    };
    for w in &outcomes.practice {
        for (figure, values) in [("home_practice_minutes", w.minutes), ("home_practice_days", w.days)] {
            let mut cells = vec![
                ("figure", figure_name(figure, lang)),
                ("week", w.week.to_string()),
                ("n", w.n.to_string()),
            ];
            cells.extend(spread("", values));
            rows.push(cells);
        }
    }
    for i in &outcomes.instruments {
        let named = || {
            vec![("instrument", sheet.text(&i.instrument)), ("validated_wording", sheet.yes_no(i.validated))]
        };
        for p in &i.points {
            let mut cells = named();
            cells.extend([
                ("figure", figure_name("score", lang)),
                ("week", p.week.to_string()),
                ("n", p.n.to_string()),
            ]);
            cells.extend(spread("", p.scores));
            rows.push(cells);
        }
        for c in &i.changes {
            let mut cells = named();
            cells.extend([
                ("figure", figure_name("change", lang)),
                ("from_week", c.from_week.to_string()),
                ("to_week", c.to_week.to_string()),
                ("n", c.n.to_string()),
            ]);
            if let Some(f) = &c.figures {
                cells.extend(spread("before", Some(f.before)));
                cells.extend(spread("after", Some(f.after)));
                cells.extend([
                    ("mean_change", number(f.mean_change)),
                    ("sd_change", number(f.sd_change)),
                    ("ci95_low", number(f.ci95_low)),
                    ("ci95_high", number(f.ci95_high)),
                    ("effect_size_dz", f.effect_size.map(number).unwrap_or_default()),
                    ("changed_better", f.better.to_string()),
                    ("changed_worse", f.worse.to_string()),
                ]);
            }
            rows.push(cells);
        }
    }
    for cells in rows {
        let line: Vec<String> = CSV_COLUMNS
            .iter()
            .map(|(_, column)| {
                cells.iter().find(|(c, _)| c == column).map(|(_, v)| v.clone()).unwrap_or_default()
            })
            .collect();
        sheet.row(&line);
    }
    sheet
}

/// The course's outcome measures (its instructor): group results of those
/// who consent to being counted, home practice per week, and the own answers
/// of those who let the instructor see them. `?format=csv` gives the group
/// results alone, without names.
#[utoipa::path(get, path = "/courses/{id}/outcomes", tag = "courses",
    params(
        ("id" = String, Path, description = "The course id"),
        ("format" = Option<String>, Query, description = "json (default) or csv"),
        ("lang" = Option<String>, Query, description = "With format=csv: da (Danish columns, `;` and decimal commas) or en (default)"),
    ),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The outcomes", content(
            (Outcomes = "application/json"),
            (String = "text/csv", example = "figure,instrument,validated_wording,week,…"),
        )),
        (status = 403, description = "Only the course's instructor reads outcomes", body = ErrorBody),
        (status = 404, description = "No such course, or you are not in it", body = ErrorBody),
    ))]
async fn outcomes(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let format = Format::from_query(query.as_deref())?;
    let outcomes = build(&state.store, &id, &auth.user.id).await?;
    auth.may_teach()?;
    if let Format::Csv(lang) = format {
        let what = if lang == Lang::Da { "resultater" } else { "outcomes" };
        return Ok(csv(&outcomes, lang).download(what, &outcomes.title));
    }
    Ok(Json(outcomes).into_response())
}

//! The instructor's pages. `/teach`: the courses you teach and a new one from
//! a programme template (or from scratch). `/teach/<id>`: the invite (code and
//! link), the group's practice as a participants × days heatmap and a
//! per-week table, each participant's consented detail (minutes, check-in
//! trend, shared reflections), and the CSV export. Only what each participant
//! consented to is ever sent by the server; a participant who shares nothing
//! is listed as such.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::{Deserialize, Serialize};
use stille_practice::Lang;
use stille_practice::stats::{Adherence, Date};

use stille_practice::progress::heat_level;

use crate::account::use_account;
use crate::api::{self, ApiError, NO_BODY};
use crate::components::this_week::date_text;
use crate::i18n::{Key, t, use_lang};

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
struct Invite {
    code: String,
    expires_at_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
struct Teaching {
    id: String,
    title: String,
    start_date: String,
    #[serde(default)]
    template: Option<String>,
    participants: i64,
    capacity: i32,
    #[serde(default)]
    invite: Option<Invite>,
}

#[derive(Deserialize)]
struct Courses {
    teaching: Vec<Teaching>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
struct CheckIns {
    count: u32,
    distress_before_mean: Option<f64>,
    distress_after_mean: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
struct WeekReport {
    week: u16,
    minutes: u32,
    days: u32,
    daily_minutes: Vec<u32>,
    sessions: u32,
    adherence: Option<Adherence>,
    check_ins: CheckIns,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
struct SharedReflection {
    written_at_ms: i64,
    utc_offset_minutes: i16,
    text: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
struct ParticipantReport {
    user_id: String,
    display_name: String,
    shares_adherence: bool,
    shares_reflections: bool,
    weeks: Vec<WeekReport>,
    reflections: Vec<SharedReflection>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
struct Report {
    weeks: u16,
    participants: Vec<ParticipantReport>,
}

fn problem_text(error: &ApiError, lang: Lang) -> String {
    match error {
        ApiError::Network(_) => t(lang, Key::AccountOffline).to_owned(),
        other => other.to_string(),
    }
}

/// `/teach`: your courses, and a new one.
#[component]
pub fn TeachHome() -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    let text = move |key| move || t(lang.get(), key);
    let courses = RwSignal::new(None::<Result<Vec<Teaching>, String>>);
    let load = move || {
        spawn_local(async move {
            let result = api::request::<Courses>("GET", "/api/courses", NO_BODY).await;
            courses.set(Some(result.map(|c| c.teaching).map_err(|e| problem_text(&e, lang.get_untracked()))));
        })
    };
    load();
    let list = move || match courses.get() {
        None => view! { <p class="quiet" role="status">"…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p role="alert">{problem}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! { <p class="quiet">{text(Key::TeachNone)}</p> }.into_any(),
        Some(Ok(list)) => view! {
            <ul class="my-courses">
                {list.into_iter().map(|c| view! {
                    <li class="my-course">
                        <h3><A href=format!("/teach/{}", c.id)>{c.title.clone()}</A></h3>
                        <p class="quiet">{format!("{} · {}/{}", c.start_date, c.participants, c.capacity)}
                            " " {text(Key::TeachParticipants)}</p>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <section class="teach" aria-labelledby="teach-heading">
            <h1 id="teach-heading">{text(Key::TeachHeading)}</h1>
            {move || match account.get().user() {
                Some(user) if user.is_instructor() => view! { {list} <NewCourse/> }.into_any(),
                Some(_) => view! { <p>{text(Key::TeachOnlyInstructors)}</p> }.into_any(),
                None => view! { <p><a href="/account?next=/teach">{text(Key::JoinSignIn)}</a></p> }.into_any(),
            }}
        </section>
    }
}

#[derive(Serialize)]
struct NewCourseForm {
    title: String,
    lang: &'static str,
    time_zone: &'static str,
    start_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<String>,
}

#[derive(Deserialize)]
struct Created {
    id: String,
}

#[component]
fn NewCourse() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let title = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let template = RwSignal::new("msc".to_owned());
    let problem = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = NewCourseForm {
            title: title.get_untracked(),
            lang: lang.get_untracked().tag(),
            time_zone: "Europe/Copenhagen",
            start_date: start.get_untracked(),
            template: Some(template.get_untracked()).filter(|t| !t.is_empty()),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::request::<Created>("POST", "/api/courses", Some(&form)).await {
                Ok(created) => navigate(&format!("/teach/{}", created.id), Default::default()),
                Err(error) => problem.set(Some(problem_text(&error, lang.get_untracked()))),
            }
        });
    };
    view! {
        <h2>{text(Key::TeachNew)}</h2>
        <form class="account-form new-course" novalidate on:submit=create>
            <label for="course-title">{text(Key::TeachTitle)}</label>
            <input id="course-title" type="text" maxlength="120" required
                prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            <label for="course-start">{text(Key::TeachStart)}</label>
            <input id="course-start" type="date" required
                prop:value=move || start.get() on:input=move |ev| start.set(event_target_value(&ev))/>
            <label for="course-template">{text(Key::TeachTemplate)}</label>
            <select id="course-template" on:change=move |ev| template.set(event_target_value(&ev))>
                {stille_practice::catalog().courses.iter().map(|c| {
                    let id = c.id.as_str();
                    view! { <option value=id selected=move || template.get() == id>
                        {move || c.title.get(lang.get()).to_owned()}
                    </option> }
                }).collect_view()}
                <option value="" selected=move || template.get().is_empty()>{text(Key::TeachScratch)}</option>
            </select>
            <p class="form-problem" role="alert">{move || problem.get()}</p>
            <button type="submit" class="button primary create-course">{text(Key::TeachCreate)}</button>
        </form>
    }
}

/// `/teach/<id>`: one course's invite and the group's practice.
#[component]
pub fn CourseDashboard() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    let course = RwSignal::new(None::<Teaching>);
    let report = RwSignal::new(None::<Result<Report, String>>);
    let problem = RwSignal::new(None::<String>);
    let id = StoredValue::new(id);
    let load = move || {
        let id = id.get_value();
        spawn_local(async move {
            let lang = lang.get_untracked();
            match api::request::<Teaching>("GET", &format!("/api/courses/{id}"), NO_BODY).await {
                Ok(c) => course.set(Some(c)),
                Err(error) => problem.set(Some(problem_text(&error, lang))),
            }
            let result = api::request::<Report>("GET", &format!("/api/courses/{id}/report"), NO_BODY).await;
            report.set(Some(result.map_err(|e| problem_text(&e, lang))));
        });
    };
    load();
    let new_invite = move |_| {
        let id = id.get_value();
        spawn_local(async move {
            #[derive(Serialize)]
            struct Days {
                valid_days: u16,
            }
            match api::request::<Invite>(
                "POST",
                &format!("/api/courses/{id}/invite"),
                Some(&Days { valid_days: 28 }),
            )
            .await
            {
                Ok(invite) => course.update(|c| {
                    if let Some(c) = c.as_mut() {
                        c.invite = Some(invite);
                    }
                }),
                Err(error) => problem.set(Some(problem_text(&error, lang.get_untracked()))),
            }
        });
    };
    let origin = window().location().origin().unwrap_or_default();
    let invite_view = move || {
        let c = course.get()?;
        let lang = lang.get();
        Some(match c.invite {
            Some(invite) => {
                let link = format!("{origin}/join/{}", invite.code);
                let expires = Date((invite.expires_at_ms.div_euclid(86_400_000)) as i32);
                view! {
                    <section class="invite" aria-labelledby="invite-heading">
                        <h2 id="invite-heading">{t(lang, Key::TeachInvite)}</h2>
                        <p>{t(lang, Key::JoinCode)} ": " <strong class="invite-code">{invite.code.clone()}</strong></p>
                        <p class="invite-link-line">{t(lang, Key::TeachLink)} ": " <a class="invite-link" href=link.clone()>{link.clone()}</a></p>
                        {crate::qr::qr_path(&link).map(|(size, path)| view! {
                            <svg class="invite-qr" role="img" aria-label=t(lang, Key::TeachQr)
                                viewBox=format!("0 0 {size} {size}") width="192" height="192">
                                <rect width=size.to_string() height=size.to_string() fill="#fff"/>
                                <path d=path fill="#000"/>
                            </svg>
                        })}
                        <p class="quiet">{t(lang, Key::TeachExpires)} " " {date_text(expires, lang)}</p>
                        <button type="button" class="button new-invite" on:click=new_invite>{t(lang, Key::TeachNewInvite)}</button>
                    </section>
                }
                .into_any()
            }
            None => view! {
                <section class="invite">
                    <button type="button" class="button primary new-invite" on:click=new_invite>{t(lang, Key::TeachNewInvite)}</button>
                </section>
            }
            .into_any(),
        })
    };
    let csv = move || format!("/api/courses/{}/report?format=csv", id.get_value());
    view! {
        <section class="teach dashboard" aria-labelledby="dashboard-heading">
            <h1 id="dashboard-heading">{move || course.get().map(|c| c.title).unwrap_or_else(|| "…".to_owned())}</h1>
            <p class="form-problem" role="alert">{move || problem.get()}</p>
            {invite_view}
            {move || match report.get() {
                None => view! { <p class="quiet" role="status">"…"</p> }.into_any(),
                Some(Err(problem)) => view! { <p role="alert">{problem}</p> }.into_any(),
                Some(Ok(report)) => view! { <Group report=report/> }.into_any(),
            }}
            <p><a class="button csv" href=csv download="">{text(Key::TeachCsv)}</a></p>
            <Assignments course=id.get_value()/>
            <p><A href="/teach">{text(Key::TeachHeading)}</A></p>
        </section>
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Assigned {
    practice: String,
    minutes: i32,
    days: i32,
    per_day: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
struct WeekPlan {
    week: i32,
    practices: Vec<Assigned>,
}

#[derive(Deserialize)]
struct Plan {
    weeks: Vec<WeekPlan>,
}

#[derive(Serialize)]
struct WeekForm<'a> {
    practices: &'a [Assigned],
}

/// Each week's home practice, changeable: remove one, or add a practice at
/// one of its lengths for so many days a week. Saved week by week.
#[component]
fn Assignments(course: String) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let plan = RwSignal::new(Vec::<WeekPlan>::new());
    let problem = RwSignal::new(None::<String>);
    let course = StoredValue::new(course);
    spawn_local(async move {
        let path = format!("/api/courses/{}/assignments", course.get_value());
        match api::request::<Plan>("GET", &path, NO_BODY).await {
            Ok(p) => plan.set(p.weeks),
            Err(error) => problem.set(Some(problem_text(&error, lang.get_untracked()))),
        }
    });
    let save = move |week: i32, practices: Vec<Assigned>| {
        spawn_local(async move {
            let path = format!("/api/courses/{}/assignments/{week}", course.get_value());
            match api::request::<WeekPlan>("PUT", &path, Some(&WeekForm { practices: &practices })).await {
                Ok(saved) => {
                    problem.set(None);
                    plan.update(|weeks| match weeks.iter_mut().find(|w| w.week == week) {
                        Some(w) => *w = saved,
                        None => {
                            weeks.push(saved);
                            weeks.sort_by_key(|w| w.week);
                        }
                    });
                }
                Err(error) => problem.set(Some(problem_text(&error, lang.get_untracked()))),
            }
        });
    };
    let week_view = move |week: WeekPlan| {
        let lang_now = lang.get();
        let number = week.week;
        let rows = week
            .practices
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let title = stille_practice::catalog()
                    .get(&a.practice)
                    .map_or_else(|| a.practice.clone(), |p| p.title.get(lang_now).to_owned());
                let line = format!("{title} – {} min, {} {}", a.minutes, a.days, t(lang_now, Key::TeachDaysAWeek));
                let remaining: Vec<Assigned> =
                    week.practices.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, a)| a.clone()).collect();
                view! {
                    <li class="assigned">
                        <span>{line}</span>
                        <button type="button" class="button remove-assigned"
                            on:click=move |_| save(number, remaining.clone())>{t(lang_now, Key::TeachRemove)}</button>
                    </li>
                }
            })
            .collect_view();
        let current = week.practices.clone();
        view! {
            <li class="plan-week">
                <h3>{format!("{} {number}", t(lang_now, Key::TeachWeek))}</h3>
                <ul class="assigned-list">{rows}</ul>
                <AddPractice week=number current=current save=save/>
            </li>
        }
    };
    view! {
        <h2>{text(Key::TeachPlan)}</h2>
        <p class="form-problem" role="alert">{move || problem.get()}</p>
        <ul class="plan">
            {move || {
                let mut weeks = plan.get();
                // Room for one more week after the last planned one.
                let next = weeks.iter().map(|w| w.week).max().unwrap_or(0) + 1;
                weeks.push(WeekPlan { week: next, practices: Vec::new() });
                weeks.into_iter().map(week_view).collect_view()
            }}
        </ul>
    }
}

#[component]
fn AddPractice<F>(week: i32, current: Vec<Assigned>, save: F) -> impl IntoView
where
    F: Fn(i32, Vec<Assigned>) + Copy + Send + Sync + 'static,
{
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let catalog = stille_practice::catalog();
    let chosen = RwSignal::new(catalog.practices.first().map(|p| p.id.to_string()).unwrap_or_default());
    let minutes = RwSignal::new(String::new());
    let days = RwSignal::new("6".to_owned());
    let lengths = move || catalog.get(&chosen.get()).map(crate::session::lengths).unwrap_or_default();
    let current = StoredValue::new(current);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(practice) = catalog.get(&chosen.get_untracked()) else { return };
        let minutes = minutes.get_untracked().parse().unwrap_or(i32::from(practice.default_minutes));
        let days = days.get_untracked().parse().unwrap_or(6);
        let mut practices = current.get_value();
        practices.push(Assigned { practice: practice.id.to_string(), minutes, days, per_day: 1 });
        save(week, practices);
    };
    let id = move |name: &str| format!("add-{name}-{week}");
    view! {
        <form class="add-practice" on:submit=add>
            <label for=id("practice")>{text(Key::TeachAddPractice)}</label>
            <select id=id("practice") on:change=move |ev| { chosen.set(event_target_value(&ev)); minutes.set(String::new()); }>
                {catalog.practices.iter().map(|p| {
                    let value = p.id.to_string();
                    view! { <option value=value>{move || p.title.get(lang.get()).to_owned()}</option> }
                }).collect_view()}
            </select>
            <label for=id("minutes")>{text(Key::TeachMinutes)}</label>
            <select id=id("minutes") on:change=move |ev| minutes.set(event_target_value(&ev))>
                {move || {
                    let default = catalog.get(&chosen.get()).map(|p| p.default_minutes).unwrap_or(0);
                    lengths().into_iter().map(|m| view! {
                        <option value=m.to_string() selected=m == default>{format!("{m} min")}</option>
                    }).collect_view()
                }}
            </select>
            <label for=id("days")>{text(Key::TeachDaysAWeek)}</label>
            <select id=id("days") on:change=move |ev| days.set(event_target_value(&ev))>
                {(1..=7).map(|d| view! { <option value=d.to_string() selected=d == 6>{d}</option> }).collect_view()}
            </select>
            <button type="submit" class="button add-assigned">{text(Key::TeachAdd)}</button>
        </form>
    }
}

/// The heatmap, the per-week table and each participant's detail.
#[component]
fn Group(report: Report) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let weeks = report.weeks;
    let days = usize::from(weeks) * 7;
    let cell = 14.0;
    let rows = report.participants.len();
    let heatmap = (!report.participants.is_empty()).then(|| {
        let cells = report
            .participants
            .iter()
            .enumerate()
            .flat_map(|(row, p)| {
                let daily: Vec<u32> = p.weeks.iter().flat_map(|w| w.daily_minutes.iter().copied()).collect();
                let shares = p.shares_adherence;
                (0..days).map(move |d| {
                    let minutes = daily.get(d).copied().unwrap_or(0);
                    let class = if shares { format!("heat heat-{}", heat_level(minutes)) } else { "heat heat-none".to_owned() };
                    view! {
                        <rect class=class x=format!("{:.0}", d as f64 * cell) y=format!("{:.0}", row as f64 * cell)
                            width="12" height="12" rx="2"/>
                    }
                })
            })
            .collect_view();
        let summary = report
            .participants
            .iter()
            .map(|p| {
                let minutes: u32 = p.weeks.iter().map(|w| w.minutes).sum();
                let days: u32 = p.weeks.iter().map(|w| w.days).sum();
                if p.shares_adherence {
                    format!("{}: {minutes} min, {days} {}", p.display_name, t(lang.get_untracked(), Key::WeekDays))
                } else {
                    format!("{}: {}", p.display_name, t(lang.get_untracked(), Key::TeachNotShared))
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        let names = report
            .participants
            .iter()
            .map(|p| view! { <li style=format!("height: {cell}px")>{p.display_name.clone()}</li> })
            .collect_view();
        view! {
            <figure class="group-heatmap">
                <figcaption>{text(Key::TeachHeatmap)}</figcaption>
                <div class="heatmap-grid">
                    <ul class="heatmap-names" aria-hidden="true">{names}</ul>
                    <div class="heatmap-scroll" tabindex="0" role="region" aria-label=text(Key::TeachHeatmap)>
                        <svg role="img" aria-label=summary viewBox=format!("0 0 {} {}", days as f64 * cell, rows as f64 * cell)
                            width=format!("{}", days as f64 * cell) height=format!("{}", rows as f64 * cell)>
                            {cells}
                        </svg>
                    </div>
                </div>
            </figure>
        }
    });
    let week_headers = (1..=weeks).map(|w| view! { <th scope="col">{w}</th> }).collect_view();
    let table_rows = report
        .participants
        .iter()
        .map(|p| {
            let cells = (1..=weeks)
                .map(|w| {
                    let week = p.weeks.iter().find(|x| x.week == w);
                    let shown = match (p.shares_adherence, week) {
                        (false, _) => "–".to_owned(),
                        (true, None) => "0".to_owned(),
                        (true, Some(wk)) => {
                            let pct = wk
                                .adherence
                                .as_ref()
                                .map(|a| format!(" · {:.0} %", a.fraction * 100.0))
                                .unwrap_or_default();
                            format!("{} min · {}×{pct}", wk.minutes, wk.sessions)
                        }
                    };
                    view! { <td>{shown}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{p.display_name.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    let details = report.participants.into_iter().map(|p| view! { <Participant p=p/> }).collect_view();
    view! {
        <h2>{text(Key::TeachGroup)}</h2>
        {heatmap}
        <div class="table-scroll" tabindex="0" role="region" aria-label=text(Key::TeachWeekTable)>
            <table class="week-table">
                <caption>{text(Key::TeachWeekTable)}</caption>
                <thead><tr><th scope="col">{text(Key::TeachParticipant)}</th>{week_headers}</tr></thead>
                <tbody>{table_rows}</tbody>
            </table>
        </div>
        <h2>{text(Key::TeachParticipantsHeading)}</h2>
        <div class="participants">{details}</div>
    }
}

#[component]
fn Participant(p: ParticipantReport) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let minutes: u32 = p.weeks.iter().map(|w| w.minutes).sum();
    let sessions: u32 = p.weeks.iter().map(|w| w.sessions).sum();
    let trend = p
        .weeks
        .iter()
        .filter(|w| w.check_ins.count > 0)
        .map(|w| {
            let f = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"));
            format!(
                "{} {}: {} → {}",
                t(lang.get_untracked(), Key::TeachWeek),
                w.week,
                f(w.check_ins.distress_before_mean),
                f(w.check_ins.distress_after_mean)
            )
        })
        .collect::<Vec<_>>();
    let reflections = p
        .reflections
        .iter()
        .map(|r| {
            let day =
                Date((r.written_at_ms + i64::from(r.utc_offset_minutes) * 60_000).div_euclid(86_400_000)
                    as i32);
            view! {
                <li class="shared-reflection">
                    <p class="quiet">{move || date_text(day, lang.get())}</p>
                    <blockquote class="entry-note">{r.text.clone()}</blockquote>
                </li>
            }
        })
        .collect_view();
    let id = p.user_id.clone();
    view! {
        <details class="participant" id=format!("p-{id}")>
            <summary>{p.display_name.clone()}</summary>
            {if p.shares_adherence {
                view! {
                    <p class="participant-totals">{format!("{minutes} min · {sessions} ")} {text(Key::TeachSessions)}</p>
                    {(!trend.is_empty()).then(|| view! {
                        <p class="quiet">{text(Key::TeachTrend)}</p>
                        <ul class="trend">{trend.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                    })}
                }.into_any()
            } else {
                view! { <p class="quiet">{text(Key::TeachNotShared)}</p> }.into_any()
            }}
            {if p.shares_reflections {
                view! {
                    <h3>{text(Key::TeachReflections)}</h3>
                    <ul class="reflections">{reflections}</ul>
                }.into_any()
            } else {
                view! { <p class="quiet no-reflections">{text(Key::TeachNoReflections)}</p> }.into_any()
            }}
        </details>
    }
}

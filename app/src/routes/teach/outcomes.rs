//! `/teach/<id>/outcomes`: which questionnaires the course asks and in which
//! weeks (the instructor changes them here), the group's results — only
//! from those who consent to being counted, a figure only for at least five
//! — and the own answers of those who let the instructor see them.
//! `/teach/<id>/report`: the same group results with the home practice as a
//! page to print for the municipality, without names; and the CSV.
//!
//! Every number comes from the server (`GET /api/courses/<id>/outcomes`),
//! which applies the consents and the minimum group; the words for them
//! come from `crate::teaching`.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use stille_practice::api::{InstrumentResults, MeasurePlan, Outcomes, PracticeWeek, Teaching};
use stille_practice::{Lang, catalog};

use super::{gated, say};
use crate::api;
use crate::i18n::{Key, t, use_lang};
use crate::teaching::{change_text, fixed, parse_weeks, point_label, spread_text, weeks_text};

#[component]
pub fn OutcomesPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    gated(format!("/teach/{id}/outcomes"), move || view! { <CourseOutcomes id=id.clone()/> }.into_any())
}

#[component]
pub fn CourseReportPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    gated(format!("/teach/{id}/report"), move || view! { <CourseReport id=id.clone()/> }.into_any())
}

fn outcomes_path(id: &str) -> String {
    format!("/api/courses/{id}/outcomes")
}

#[component]
fn CourseOutcomes(id: String) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let id = StoredValue::new(id);
    // Read again after the plan is saved.
    let saved = RwSignal::new(0u32);
    let course = LocalResource::new(move || api::get::<Teaching>(format!("/api/courses/{}", id.get_value())));
    let outcomes = LocalResource::new(move || {
        saved.get();
        api::get::<Outcomes>(outcomes_path(&id.get_value()))
    });
    let title = move || match course.get() {
        Some(Ok(c)) => c.title,
        _ => "…".to_owned(),
    };
    let editor = move || match course.get() {
        None => view! { <p class="quiet" role="status">"…"</p> }.into_any(),
        Some(Err(error)) => view! { <p role="alert">{say(&error, lang.get())}</p> }.into_any(),
        Some(Ok(c)) => {
            let spoken = Lang::from_preferences([c.lang.as_str()]);
            let on_saved = Callback::new(move |()| saved.update(|n| *n += 1));
            view! { <PlanEditor course=c.id plan=c.measures spoken=spoken saved=on_saved/> }.into_any()
        }
    };
    let results = move || match outcomes.get() {
        None => view! { <p class="quiet" role="status">"…"</p> }.into_any(),
        Some(Err(error)) => view! { <p role="alert">{say(&error, lang.get())}</p> }.into_any(),
        Some(Ok(o)) => view! { <Results outcomes=o/> }.into_any(),
    };
    let report = move || format!("/teach/{}/report", id.get_value());
    let csv = move || format!("{}?format=csv&lang={}", outcomes_path(&id.get_value()), lang.get().tag());
    view! {
        <section class="teach outcomes" aria-labelledby="outcomes-heading">
            <p class="back"><A href=move || format!("/teach/{}", id.get_value())>{text(Key::TeachBackToCourse)}</A></p>
            <h1 id="outcomes-heading">{text(Key::OutcomesHeading)}</h1>
            <p class="quiet">{title}</p>
            {editor}
            {results}
            <p class="outcomes-links">
                <A href=report attr:class="button outcomes-report">{text(Key::OutcomesPrintable)}</A>
                " "
                <a class="button outcomes-csv" href=csv download="">{text(Key::OutcomesCsv)}</a>
            </p>
        </section>
    }
}

/// The questionnaires (from the catalog's details) as boxes to tick, and the
/// weeks as a line of numbers.
#[component]
fn PlanEditor(course: String, plan: MeasurePlan, spoken: Lang, saved: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let chosen = RwSignal::new(plan.instruments.clone());
    let weeks = RwSignal::new(weeks_text(&plan.weeks));
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let instruments =
        LocalResource::new(|| async { crate::details::load().await.ok().map(|c| c.instruments.clone()) });
    let course = StoredValue::new(course);
    let save = Action::new_local(move |plan: &MeasurePlan| {
        let (plan, path) = (plan.clone(), format!("/api/courses/{}/measures", course.get_value()));
        async move { api::request::<Teaching>("PUT", &path, Some(&plan)).await }
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(_)) => {
            problem.set(None);
            done.set(true);
            saved.run(());
        }
        Some(Err(error)) => problem.set(Some(say(&error, lang.get_untracked()))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        match parse_weeks(&weeks.get_untracked()) {
            Err(part) => {
                problem.set(Some(format!("{} {part}", t(lang.get_untracked(), Key::OutcomesNotAWeek))))
            }
            Ok(weeks) => {
                problem.set(None);
                save.dispatch(MeasurePlan { instruments: chosen.get_untracked(), weeks });
            }
        }
    };
    let boxes = move || {
        let lang = lang.get();
        instruments.get().flatten().unwrap_or_default().into_iter().map(|i| {
            let id = i.id.clone();
            let checked = chosen.with_untracked(|c| c.contains(&id));
            let mark = if i.validated.get(spoken) { Key::MeasureValidatedMark } else { Key::MeasureUnvalidatedMark };
            let toggle = move |ev| {
                let on = event_target_checked(&ev);
                chosen.update(|c| {
                    c.retain(|x| *x != id);
                    if on {
                        c.push(id.clone());
                    }
                });
            };
            view! {
                <label class="check">
                    <input type="checkbox" name="instrument" value=i.id.clone() prop:checked=checked on:change=toggle/>
                    <span>
                        {i.name.get(lang).to_owned()}
                        <span class="quiet">{format!(" · {} {} · {}", i.minutes, t(lang, Key::MeasuresMinutes), t(lang, mark))}</span>
                    </span>
                </label>
            }
        }).collect_view()
    };
    view! {
        <form class="measure-plan" on:submit=submit>
            <h2>{text(Key::OutcomesPlan)}</h2>
            <fieldset>
                <legend>{text(Key::OutcomesInstruments)}</legend>
                {boxes}
            </fieldset>
            <label for="measure-weeks">{text(Key::OutcomesWeeks)}</label>
            <p class="quiet" id="measure-weeks-help">{text(Key::OutcomesWeeksHelp)}</p>
            <input id="measure-weeks" type="text" inputmode="numeric" autocomplete="off"
                aria-describedby="measure-weeks-help measure-plan-problem"
                aria-invalid=move || problem.with(Option::is_some).then_some("true")
                prop:value=move || weeks.get() on:input=move |ev| weeks.set(event_target_value(&ev))/>
            <p class="form-problem" id="measure-plan-problem" role="alert">{move || problem.get()}</p>
            <p class="quiet" role="status">{move || done.get().then(|| t(lang.get(), Key::OutcomesSaved))}</p>
            <button type="submit" class="button primary measure-plan-save" disabled=move || save.pending().get()>
                {text(Key::OutcomesSave)}
            </button>
        </form>
    }
}

/// "Too few answers to show …" across `columns` cells.
fn too_few(columns: u8, lang: Lang) -> AnyView {
    view! { <td class="too-few" colspan=columns.to_string()>{t(lang, Key::OutcomesTooFew)}</td> }.into_any()
}

/// One questionnaire's results: a table of the points, a table of the
/// changes, its source and whether its wording is validated.
fn instrument_results(i: InstrumentResults, lang: Lang) -> impl IntoView {
    let heading = format!("outcome-{}", i.instrument);
    let labelled_by = heading.clone();
    let points = i
        .points
        .iter()
        .map(|p| {
            let figure = match &p.scores {
                Some(s) => view! { <td>{spread_text(s, lang)}</td> }.into_any(),
                None => too_few(1, lang),
            };
            view! { <tr><th scope="row">{point_label(p.week, lang)}</th><td>{p.n}</td>{figure}</tr> }
        })
        .collect_view();
    let changes = i
        .changes
        .iter()
        .map(|c| {
            let label = format!("{} → {}", point_label(c.from_week, lang), point_label(c.to_week, lang));
            let figures = match &c.figures {
                Some(f) => view! {
                    <td>{change_text(f, lang)}</td>
                    <td>{f.effect_size.map(|d| fixed(d, 2, lang)).unwrap_or_else(|| "–".to_owned())}</td>
                    <td>{format!("{} / {}", f.better, f.worse)}</td>
                }
                .into_any(),
                None => too_few(3, lang),
            };
            view! { <tr><th scope="row">{label}</th><td>{c.n}</td>{figures}</tr> }
        })
        .collect_view();
    let direction = if i.higher_is_better { Key::OutcomesHigherBetter } else { Key::OutcomesLowerBetter };
    let mark = if i.validated { Key::MeasureValidatedMark } else { Key::MeasureUnvalidatedMark };
    let range = format!(
        "{} {} {} {}",
        t(lang, Key::MeasureScale),
        fixed(i.lowest, 0, lang),
        t(lang, Key::MeasureTo),
        fixed(i.highest, 0, lang)
    );
    view! {
        <section class="outcome" aria-labelledby=labelled_by>
            <h3 id=heading>{i.name.clone()}</h3>
            <p class="quiet">{format!("{} · {range}. {}", t(lang, mark), t(lang, direction))}</p>
            {(!i.validated).then(|| view! { <p class="caution outcome-unvalidated">{t(lang, Key::OutcomesUnvalidated)}</p> })}
            <div class="table-scroll" tabindex="0" role="region" aria-label=format!("{}: {}", i.name, t(lang, Key::OutcomesPoints))>
                <table class="outcome-table">
                    <thead><tr>
                        <th scope="col">{t(lang, Key::OutcomesPoint)}</th>
                        <th scope="col">{t(lang, Key::OutcomesAnswers)}</th>
                        <th scope="col">{t(lang, Key::OutcomesMean)}</th>
                    </tr></thead>
                    <tbody>{points}</tbody>
                </table>
            </div>
            {(!i.changes.is_empty()).then(|| view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label=format!("{}: {}", i.name, t(lang, Key::OutcomesChanges))>
                    <table class="outcome-table changes">
                        <thead><tr>
                            <th scope="col">{t(lang, Key::OutcomesFromTo)}</th>
                            <th scope="col">{t(lang, Key::OutcomesBoth)}</th>
                            <th scope="col">{t(lang, Key::OutcomesChange)}</th>
                            <th scope="col">{t(lang, Key::OutcomesEffect)}</th>
                            <th scope="col">{t(lang, Key::OutcomesMeaningful)}</th>
                        </tr></thead>
                        <tbody>{changes}</tbody>
                    </table>
                </div>
            })}
            <p class="quiet citation">{t(lang, Key::MeasureCitation)} ": " {i.citation.clone()}</p>
        </section>
    }
}

fn counted_line(o: &Outcomes, lang: Lang) -> String {
    format!("{} {} {} {}", o.counted, t(lang, Key::MeasureOf), o.participants, t(lang, Key::OutcomesCounted))
}

/// The group's results and the own answers the instructor may see.
#[component]
fn Results(outcomes: Outcomes) -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        let o = outcomes.clone();
        if o.plan.instruments.is_empty() {
            return view! { <h2>{t(lang, Key::OutcomesResults)}</h2> <p class="quiet">{t(lang, Key::OutcomesNone)}</p> }.into_any();
        }
        let individuals = individual_table(&o, lang);
        view! {
            <h2>{t(lang, Key::OutcomesResults)}</h2>
            <p>{counted_line(&o, lang)}</p>
            <p class="quiet">{t(lang, Key::OutcomesMinGroup)}</p>
            {o.instruments.into_iter().map(|i| instrument_results(i, lang)).collect_view()}
            <h2>{t(lang, Key::OutcomesIndividuals)}</h2>
            <p class="quiet">{t(lang, Key::OutcomesIndividualsHelp)}</p>
            {individuals}
        }
        .into_any()
    }
}

/// A row per participant who allows it, a column per questionnaire and point.
fn individual_table(o: &Outcomes, lang: Lang) -> AnyView {
    if o.individuals.is_empty() {
        return view! { <p class="quiet">{t(lang, Key::OutcomesNoIndividuals)}</p> }.into_any();
    }
    let columns: Vec<(String, String, u16)> = o
        .instruments
        .iter()
        .flat_map(|i| o.plan.weeks.iter().map(|w| (i.instrument.clone(), i.name.clone(), *w)))
        .collect();
    let headers = columns
        .iter()
        .map(|(_, name, week)| view! { <th scope="col">{format!("{name}, {}", point_label(*week, lang))}</th> })
        .collect_view();
    let rows = o
        .individuals
        .iter()
        .map(|p| {
            let cells = columns
                .iter()
                .map(|(id, _, week)| {
                    let score = p.scores.iter().find(|s| s.instrument == *id && s.week == *week);
                    let decimals = if score.is_some_and(|s| s.score.fract() != 0.0) { 2 } else { 0 };
                    view! { <td>{score.map_or_else(|| "–".to_owned(), |s| fixed(s.score, decimals, lang))}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{p.display_name.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=t(lang, Key::OutcomesIndividuals)>
            <table class="outcome-table individuals">
                <thead><tr><th scope="col">{t(lang, Key::TeachParticipant)}</th>{headers}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn practice_rows(weeks: &[PracticeWeek], lang: Lang) -> impl IntoView {
    weeks
        .iter()
        .map(|w| {
            let figures = match (&w.minutes, &w.days) {
                (Some(m), Some(d)) => {
                    view! { <td>{spread_text(m, lang)}</td><td>{spread_text(d, lang)}</td> }.into_any()
                }
                _ => too_few(2, lang),
            };
            view! { <tr><th scope="row">{w.week}</th><td>{w.n}</td>{figures}</tr> }
        })
        .collect_view()
}

/// The printable report: no names, no one's own answers.
#[component]
fn CourseReport(id: String) -> impl IntoView {
    let lang = use_lang();
    let outcomes = LocalResource::new(move || api::get::<Outcomes>(outcomes_path(&id)));
    let print = move |_| {
        if let Err(error) = window().print() {
            leptos::logging::warn!("printing failed: {error:?}");
        }
    };
    move || {
        let lang = lang.get();
        let o = match outcomes.get() {
            None => return view! { <p class="quiet" role="status">"…"</p> }.into_any(),
            Some(Err(error)) => return view! { <p role="alert">{say(&error, lang)}</p> }.into_any(),
            Some(Ok(o)) => o,
        };
        let programme = o
            .template
            .as_deref()
            .and_then(|t| catalog().course(t))
            .map_or_else(|| "–".to_owned(), |c| c.title.get(lang).to_owned());
        let start = stille_practice::stats::Date::parse(&o.start_date)
            .map_or_else(|| o.start_date.clone(), |d| crate::format::date_text(d, lang));
        let made = crate::format::date_text(
            crate::format::local_day(js_sys::Date::now() as i64, crate::log_store::utc_offset_minutes()),
            lang,
        );
        let counted = counted_line(&o, lang);
        let back = format!("/teach/{}/outcomes", o.course_id);
        view! {
            <article class="course-report" aria-labelledby="report-heading">
                <p class="back no-print"><A href=back>{t(lang, Key::OutcomesHeading)}</A></p>
                <h1 id="report-heading">{t(lang, Key::ReportHeading)} ": " {o.title.clone()}</h1>
                <dl class="report-facts">
                    <dt>{t(lang, Key::TeachTemplate)}</dt><dd>{programme}</dd>
                    <dt>{t(lang, Key::TeachStart)}</dt><dd>{start}</dd>
                    <dt>{t(lang, Key::ReportWeeks)}</dt><dd>{o.weeks}</dd>
                    <dt>{t(lang, Key::ReportParticipants)}</dt><dd>{o.participants}</dd>
                    <dt>{t(lang, Key::ReportMade)}</dt><dd>{made}</dd>
                </dl>
                <p>{t(lang, Key::ReportNoNames)}</p>
                <p class="no-print"><button type="button" class="button primary report-print" on:click=print>{t(lang, Key::ReportPrint)}</button></p>
                <h2>{t(lang, Key::ReportPractice)}</h2>
                <p class="quiet">{t(lang, Key::ReportPracticeHelp)}</p>
                <div class="table-scroll" tabindex="0" role="region" aria-label=t(lang, Key::ReportPractice)>
                    <table class="outcome-table practice">
                        <thead><tr>
                            <th scope="col">{t(lang, Key::TeachWeek)}</th>
                            <th scope="col">{t(lang, Key::ReportSharing)}</th>
                            <th scope="col">{t(lang, Key::ReportMinutes)}</th>
                            <th scope="col">{t(lang, Key::ReportDays)}</th>
                        </tr></thead>
                        <tbody>{practice_rows(&o.practice, lang)}</tbody>
                    </table>
                </div>
                <h2>{t(lang, Key::ReportMeasures)}</h2>
                {if o.plan.instruments.is_empty() {
                    view! { <p class="quiet">{t(lang, Key::OutcomesNone)}</p> }.into_any()
                } else {
                    view! {
                        <p>{counted}</p>
                        <p class="quiet">{t(lang, Key::OutcomesMinGroup)}</p>
                        {o.instruments.into_iter().map(|i| instrument_results(i, lang)).collect_view()}
                    }.into_any()
                }}
            </article>
        }
        .into_any()
    }
}

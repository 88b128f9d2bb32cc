//! `/measures`: the questionnaires anyone can answer (no account needed),
//! each with the latest result; `/measures/<id>`: one questionnaire as one
//! scrollable form (kept as a draft on every choice, so it resumes after a
//! reload), then the result: the score and its band in plain words, a gentle
//! note where the band calls for one, the change since the first time and
//! the chart. The logic is `crate::measures`.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use stille_practice::journal::Answers;
use stille_practice::measures::{Direction, Instrument};
use stille_practice::{Catalog, Lang};

use crate::details::WithDetails;
use crate::format;
use crate::i18n::{Key, t, use_lang};
use crate::log_store::{self, Note};
use crate::measures::{self, Draft, Taken};

#[component]
pub fn MeasuresPage() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    // Read again when answers arrive from the account (see `log_store::changes`).
    let loaded = LocalResource::new(|| {
        log_store::changes();
        log_store::load()
    });
    let list = move |catalog: &'static Catalog| {
        move || {
            let notes = loaded.get().and_then(Result::ok).map(|l| l.notes).unwrap_or_default();
            let lang = lang.get();
            catalog
                .instruments
                .iter()
                .map(|instrument| {
                    let (taken, _) = measures::taken(instrument, &notes);
                    let latest = taken.last().map(|last| {
                        let band = last.band.map(|b| format!(" · {}", b.label.get(lang))).unwrap_or_default();
                        format!(
                            "{}: {}{band} ({})",
                            t(lang, Key::MeasuresLatest),
                            measures::shown(instrument, last.score, lang),
                            format::moment(last.answers.at_ms, last.answers.utc_offset_minutes, lang)
                        )
                    });
                    let status = latest.unwrap_or_else(|| t(lang, Key::MeasuresNotYet).to_owned());
                    let action =
                        if measures::draft(instrument).is_some() { Key::MeasuresResume } else { Key::MeasuresAnswer };
                    let heading = format!("measure-{}", instrument.id);
                    let labelled_by = heading.clone();
                    view! {
                        <li class="measure-card">
                            <article aria-labelledby=labelled_by>
                                <h2 id=heading>{instrument.name.get(lang).to_owned()}</h2>
                                <p>{instrument.about.get(lang).to_owned()}</p>
                                <p class="quiet">
                                    {format!("{} {} {}", t(lang, Key::MeasuresAbout), instrument.minutes, t(lang, Key::MeasuresMinutes))}
                                    {validity(instrument, lang)}
                                </p>
                                <p class="measure-latest">{status}</p>
                                <p><A href=format!("/measures/{}", instrument.id) attr:class="button">{t(lang, action)}</A></p>
                            </article>
                        </li>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <section class="measures" aria-labelledby="measures-heading">
            <h1 id="measures-heading">{text(Key::MeasuresHeading)}</h1>
            <p class="lead">{text(Key::MeasuresIntro)}</p>
            <WithDetails view=move |catalog| view! { <ul class="measure-list">{list(catalog)}</ul> }/>
        </section>
    }
}

/// " · validated version" or " · unvalidated translation", for `lang`'s wording.
fn validity(instrument: &Instrument, lang: Lang) -> String {
    let key =
        if instrument.validated.get(lang) { Key::MeasureValidatedMark } else { Key::MeasureUnvalidatedMark };
    format!(" · {}", t(lang, key))
}

#[component]
pub fn MeasurePage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    view! {
        <section class="measure" aria-labelledby="measure-heading">
            <p class="back"><A href="/measures">{move || t(lang.get(), Key::MeasureBack)}</A></p>
            <WithDetails view=move |catalog| match catalog.instrument(&id) {
                Some(instrument) => view! { <Questionnaire instrument=instrument/> }.into_any(),
                None => view! { <h1 id="measure-heading">{t(lang.get_untracked(), Key::MeasureNotFound)}</h1> }.into_any(),
            }/>
        </section>
    }
}

/// The form, then the result.
#[component]
fn Questionnaire(instrument: &'static Instrument) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let now = || js_sys::Date::now() as i64;
    let resumed = measures::draft(instrument);
    let resumed_note = RwSignal::new(resumed.as_ref().is_some_and(|d| d.answered() > 0));
    let draft = RwSignal::new(resumed.unwrap_or_else(|| Draft::new(instrument, lang.get_untracked(), now())));
    // The answers just saved (the log read at the start has the earlier ones).
    let saved = RwSignal::new(None::<Answers>);
    let problem = RwSignal::new(None::<String>);
    // Read again when answers arrive from the account (see `log_store::changes`).
    let loaded = LocalResource::new(|| {
        log_store::changes();
        log_store::load()
    });
    // The questionnaire stays in the language it was begun in (a validated
    // wording must not be mixed with a translation); until the first answer
    // it follows the app's language.
    let wording = move || draft.with(|d| if d.answered() == 0 { lang.get() } else { d.lang });
    let saving = RwSignal::new(false);
    let choose = move |item: usize, value: u8| {
        draft.update(|d| {
            if d.answered() == 0 {
                d.lang = lang.get_untracked();
            }
            d.answers[item] = Some(value);
        });
        problem.set(None);
        measures::keep(&instrument.id, Some(&draft.get_untracked()));
    };
    let start_over = move |_| {
        measures::keep(&instrument.id, None);
        draft.set(Draft::new(instrument, lang.get_untracked(), now()));
        problem.set(None);
        resumed_note.set(false);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let current = draft.get_untracked();
        let offset = log_store::utc_offset_minutes();
        match current.finish(instrument, log_store::new_id(), now(), offset) {
            Err(_) => {
                let lang = lang.get_untracked();
                let missing =
                    current.missing().iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
                problem.set(Some(format!("{} {missing}", t(lang, Key::MeasureStillToAnswer))));
                // To the first question still to answer.
                if let Some(first) = current.missing().first()
                    && let Ok(Some(input)) = document().query_selector(&format!("input[name='item-{first}']"))
                    && let Ok(input) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(input)
                {
                    let _ = input.focus();
                }
            }
            Ok(answers) => {
                saving.set(true);
                leptos::task::spawn_local(async move {
                    let saved_now = log_store::save_note(&Note::Answers(answers.clone())).await;
                    saving.set(false);
                    match saved_now {
                        Ok(()) => {
                            measures::keep(&instrument.id, None);
                            saved.set(Some(answers));
                            focus("measure-result-heading");
                        }
                        Err(error) => problem.set(Some(error.to_string())),
                    }
                });
            }
        }
    };
    let items = move || {
        instrument
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let legend = format!("measure-item-{}", i + 1);
            let options = instrument
                .options
                .iter()
                .map(|option| {
                    let value = option.value;
                    view! {
                        <label class="choice measure-option">
                            <input type="radio" name=format!("item-{}", i + 1) value=value.to_string()
                                prop:checked=move || draft.with(|d| d.answers.get(i).copied().flatten() == Some(value))
                                on:change=move |_| choose(i, value)/>
                            <span>{move || option.label.get(wording()).to_owned()}</span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="measure-item">
                    <legend id=legend>
                        <span class="measure-number">{format!("{}. ", i + 1)}</span>
                        {move || item.text.get(wording()).to_owned()}
                    </legend>
                    {options}
                </fieldset>
            }
        })
        .collect_view()
    };
    let answered = move || {
        let d = draft.get();
        let lang = lang.get();
        format!(
            "{} {} {} {}",
            d.answered(),
            t(lang, Key::MeasureOf),
            d.answers.len(),
            t(lang, Key::MeasureAnswered)
        )
    };
    let unvalidated = move || {
        let wording = wording();
        (!instrument.validated.get(wording)).then(
            || view! { <p class="caution measure-unvalidated">{t(wording, Key::MeasureUnvalidated)}</p> },
        )
    };
    let form = move || {
        saved.with(Option::is_none).then(|| {
            view! {
                <form class="measure-form" on:submit=submit novalidate>
                    {move || resumed_note.get().then(|| view! {
                        <p class="caution measure-resumed">{text(Key::MeasureResumed)} " "
                            <button type="button" class="button measure-start-over" on:click=start_over>{text(Key::MeasureStartOver)}</button>
                        </p>
                    })}
                    <p class="measure-instructions">{move || instrument.instructions.get(wording()).to_owned()}</p>
                    {items()}
                    <p class="quiet measure-answered" role="status">{answered}</p>
                    <p class="form-problem" role="alert">{move || problem.get()}</p>
                    <button type="submit" class="button primary" disabled=move || saving.get()>{text(Key::MeasureSubmit)}</button>
                </form>
            }
        })
    };
    let result = move || {
        saved.get().map(|answers| {
            let mut notes = loaded.get().and_then(Result::ok).map(|l| l.notes).unwrap_or_default();
            if !notes.iter().any(|n| n.id() == answers.id) {
                notes.push(Note::Answers(answers));
            }
            view! { <Outcome instrument=instrument notes=notes/> }
        })
    };
    view! {
        <h1 id="measure-heading">{move || instrument.name.get(lang.get()).to_owned()}</h1>
        <p class="lead">{move || instrument.about.get(lang.get()).to_owned()}</p>
        {unvalidated}
        {form}
        {result}
        <About instrument=instrument/>
    }
}

fn focus(id: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(id)
            && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
        {
            let _ = el.focus();
        }
    });
}

/// The latest result, what it means, the change since the first time and the chart.
#[component]
fn Outcome(instrument: &'static Instrument, notes: Vec<Note>) -> impl IntoView {
    let lang = use_lang();
    let (taken, _) = measures::taken(instrument, &notes);
    let view = move || {
        let lang = lang.get();
        let Some(latest) = taken.last() else {
            return view! { <p class="quiet">"…"</p> }.into_any();
        };
        let (low, high) = instrument.score_range();
        let score = format!(
            "{} {} {} {} {}",
            measures::shown(instrument, latest.score, lang),
            t(lang, Key::MeasureScale),
            format::decimal(low, lang),
            t(lang, Key::MeasureTo),
            format::decimal(high, lang)
        );
        let band = latest.band.map(|b| {
            view! {
                <p class="measure-band"><strong>{b.label.get(lang).to_owned()}</strong></p>
                <p>{b.meaning.get(lang).to_owned()}</p>
            }
        });
        let concern = latest.band.is_some_and(|b| b.concern).then(|| {
            view! {
                <aside class="caution measure-concern" aria-label=t(lang, Key::NavHelp)>
                    <p>{t(lang, Key::MeasureConcern)}</p>
                    <p><A href="/help">{t(lang, Key::NavHelp)}</A></p>
                </aside>
            }
        });
        let change = measures::change(instrument, &taken).map(|c| {
            let first = &taken[0].answers;
            let verdict = match c.meaningful {
                Some(true) => Some(Key::MeasureBetter),
                Some(false) => Some(Key::MeasureWorse),
                None if instrument.scoring.meaningful_change.is_some() => Some(Key::MeasureSame),
                None => None,
            };
            let line = format!(
                "{} ({}): {} → {}.",
                t(lang, Key::MeasureSince),
                format::date_text(format::local_day(first.at_ms, first.utc_offset_minutes), lang),
                measures::shown(instrument, c.first, lang),
                measures::shown(instrument, c.latest, lang)
            );
            view! { <p class="measure-change">{line} " " {verdict.map(|k| t(lang, k))}</p> }
        });
        view! {
            <p class="measure-score">{score}</p>
            {band}
            {concern}
            {change}
            <p class="quiet">{t(lang, Key::MeasureNotDiagnosis)}</p>
            <Chart instrument=instrument taken=taken.clone()/>
            <p class="quiet">{t(lang, Key::MeasureSaved)}</p>
        }
        .into_any()
    };
    view! {
        <section class="measure-result" aria-labelledby="measure-result-heading">
            <h2 id="measure-result-heading" tabindex="-1">{move || t(lang.get(), Key::MeasureResultHeading)}</h2>
            {view}
        </section>
    }
}

/// The scores over time on the instrument's bands, with the same in words
/// for screen readers (the figure's list).
#[component]
fn Chart(instrument: &'static Instrument, taken: Vec<Taken<'static>>) -> impl IntoView {
    let lang = use_lang();
    let chart = measures::chart(instrument, &taken);
    let strips = chart
        .bands
        .iter()
        .enumerate()
        .map(|(i, (top, bottom))| {
            let class = if i % 2 == 0 { "band band-even" } else { "band band-odd" };
            view! { <rect class=class x="0" y=format!("{top:.1}") width=format!("{:.0}", chart.width) height=format!("{:.1}", bottom - top)/> }
        })
        .collect_view();
    let line = chart.points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    let dots = chart
        .points
        .iter()
        .map(|(x, y)| view! { <circle class="dot" cx=format!("{x:.1}") cy=format!("{y:.1}") r="5"/> })
        .collect_view();
    let words = move || {
        let lang = lang.get();
        taken
            .iter()
            .map(|t| {
                let band = t.band.map(|b| format!(" – {}", b.label.get(lang))).unwrap_or_default();
                let line = format!(
                    "{}: {}{band}",
                    format::moment(t.answers.at_ms, t.answers.utc_offset_minutes, lang),
                    measures::shown(instrument, t.score, lang)
                );
                view! { <li>{line}</li> }
            })
            .collect_view()
    };
    let direction = match instrument.scoring.higher_is {
        Direction::Better => Key::MeasureHigherBetter,
        Direction::Worse => Key::MeasureLowerBetter,
    };
    view! {
        <figure class="measure-chart">
            <figcaption>{move || t(lang.get(), Key::MeasureOverTime)} " · " {move || t(lang.get(), direction)}</figcaption>
            <svg viewBox=format!("0 0 {:.0} {:.0}", chart.width, chart.height) role="img"
                aria-label=move || t(lang.get(), Key::MeasureChartLabel) focusable="false">
                {strips}
                <polyline class="trend" points=line/>
                {dots}
            </svg>
            <ol class="measure-times">{words}</ol>
        </figure>
    }
}

/// Where the questionnaire and its wording come from, and its terms.
#[component]
fn About(instrument: &'static Instrument) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    view! {
        <details class="measure-about">
            <summary>{text(Key::MeasureAboutHeading)}</summary>
            <p><strong>{text(Key::MeasureCitation)}</strong> ": " {instrument.citation.clone()}</p>
            <p><strong>{text(Key::MeasureWording)}</strong> ": " {move || instrument.wording_source.get(lang.get()).to_owned()}
                {move || validity(instrument, lang.get())}</p>
            <p><strong>{text(Key::MeasureLicence)}</strong> ": " {instrument.licence.clone()}</p>
        </details>
    }
}

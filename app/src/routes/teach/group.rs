//! The group's practice: a participants × days heatmap (grey for someone who
//! does not share), a per-week table, and each participant's consented
//! detail. The numbers come from `crate::teaching`.

use leptos::prelude::*;
use stille_practice::api::{ParticipantReport, Report};

use crate::format::{count_text, date_text, local_day};
use crate::i18n::{Key, t, use_lang};
use crate::teaching::{current_week, heat_cells, heat_days, heat_summary, notices, totals, trend, week_cell};

/// The room for a heatmap square, in px (the square is 4 px smaller): large
/// enough to read and to tell apart on a phone.
const CELL: f64 = 24.0;
/// The heatmap's two rows of labels above the squares: weeks, then weekdays.
const HEAD: f64 = 40.0;

#[component]
pub fn Group(report: Report) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let weeks = report.weeks;
    let today = local_day(js_sys::Date::now() as i64, crate::log_store::utc_offset_minutes());
    let current = current_week(&report.start_date, &report.skipped, today);
    if report.participants.is_empty() {
        return view! {
            <h2>{text(Key::TeachGroup)}</h2>
            <p class="quiet no-participants">{text(Key::TeachNoParticipants)}</p>
        }
        .into_any();
    }
    let heatmap = view! { <Heatmap report=report.clone() today=today/> };
    // On a phone the table shows the week now, the others a tap away.
    let all_weeks = RwSignal::new(current.is_none());
    let other = move |w: u16| current.is_some_and(|now| now != w);
    let week_headers =
        (1..=weeks).map(|w| view! { <th scope="col" class:other-week=other(w)>{w}</th> }).collect_view();
    let table_rows = report
        .participants
        .iter()
        .map(|p| {
            let cells = (1..=weeks)
                .map(|w| {
                    let p = p.clone();
                    view! {
                        <td class:now={Some(w) == current} class:other-week=other(w)>
                            {move || week_cell(&p, w, current, lang.get())}
                        </td>
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{p.display_name.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    let course = report.course_id.clone();
    let details = report
        .participants
        .into_iter()
        .map(|p| view! { <Participant p=p course=course.clone() current=current/> })
        .collect_view();
    view! {
        <h2>{text(Key::TeachGroup)}</h2>
        {heatmap}
        <p class="week-toggle" hidden=move || current.is_none()>
            <button type="button" class="button all-weeks" aria-pressed=move || all_weeks.get().to_string()
                on:click=move |_| all_weeks.update(|all| *all = !*all)>{text(Key::TeachAllWeeks)}</button>
        </p>
        <div class="table-scroll" tabindex="0" role="region" aria-label=text(Key::TeachWeekTable)>
            <table class="week-table" class:all=move || all_weeks.get()>
                <caption>{text(Key::TeachWeekTable)}</caption>
                <thead><tr><th scope="col">{text(Key::TeachParticipant)}</th>{week_headers}</tr></thead>
                <tbody>{table_rows}</tbody>
            </table>
        </div>
        <h2>{text(Key::TeachParticipantsHeading)}</h2>
        <div class="participants">{details}</div>
    }
    .into_any()
}

/// Participants × days as one SVG, with its summary in words as its label;
/// weeks and weekdays above the squares, today outlined. It scrolls sideways
/// on a phone, opened at the week now.
#[component]
fn Heatmap(report: Report, today: stille_practice::stats::Date) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let (days, rows) = (f64::from(report.weeks) * 7.0, report.participants.len() as f64);
    let (start, skipped, weeks) = (report.start_date.clone(), report.skipped.clone(), report.weeks);
    let now = heat_days(&start, &skipped, weeks, today, lang.get_untracked()).1;
    let cells = heat_cells(&report)
        .into_iter()
        .map(|c| {
            let class =
                c.level.map_or_else(|| "heat heat-none".to_owned(), |level| format!("heat heat-{level}"));
            view! {
                <rect class=class x=format!("{:.0}", c.day as f64 * CELL + 2.0)
                    y=format!("{:.0}", HEAD + c.row as f64 * CELL + 2.0) width="20" height="20" rx="3"/>
            }
        })
        .collect_view();
    let week_labels = (1..=weeks)
        .map(|w| {
            let x = format!("{:.0}", f64::from(w - 1) * 7.0 * CELL + 2.0);
            view! { <text class="heat-week" x=x y="14">{move || format!("{} {w}", t(lang.get(), Key::TeachWeek))}</text> }
        })
        .collect_view();
    let day_labels = move || {
        let (labels, _) = heat_days(&start, &skipped, weeks, today, lang.get());
        labels
            .into_iter()
            .enumerate()
            .map(|(day, label)| {
                let x = format!("{:.0}", day as f64 * CELL + CELL / 2.0);
                view! { <text class="heat-day" x=x y="34" text-anchor="middle">{label}</text> }
            })
            .collect_view()
    };
    let today_outline = now.map(|day| {
        view! {
            <rect class="heat-today" x=format!("{:.0}", day as f64 * CELL + 0.5) y=format!("{:.0}", HEAD - 20.0)
                width=format!("{:.0}", CELL - 1.0) height=format!("{:.0}", rows * CELL + 20.0) rx="4"/>
        }
    });
    let names = report
        .participants
        .iter()
        .map(|p| view! { <li style=format!("height: {CELL}px; line-height: {CELL}px")>{p.display_name.clone()}</li> })
        .collect_view();
    let summary = move || heat_summary(&report, lang.get());
    // Opened at the week now: the weeks before it are a swipe back.
    let scroller = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let (Some(element), Some(day)) = (scroller.get(), now) {
            element.set_scroll_left((((day / 7) * 7) as f64 * CELL) as i32);
        }
    });
    view! {
        <figure class="group-heatmap">
            <figcaption>{text(Key::TeachHeatmap)}</figcaption>
            <div class="heatmap-grid">
                <ul class="heatmap-names" aria-hidden="true" style=format!("padding-top: {HEAD}px")>{names}</ul>
                <div class="heatmap-scroll" tabindex="0" role="region" aria-label=text(Key::TeachHeatmap) node_ref=scroller>
                    <svg role="img" aria-label=summary viewBox=format!("0 0 {} {}", days * CELL, HEAD + rows * CELL)
                        width=format!("{}", days * CELL) height=format!("{}", HEAD + rows * CELL)>
                        <g aria-hidden="true">{week_labels}{day_labels}</g>
                        {today_outline}
                        {cells}
                    </svg>
                </div>
            </div>
        </figure>
    }
}

/// One participant: totals and check-in trend when they share practice, and
/// the reflections they shared when they share reflections.
#[component]
fn Participant(p: ParticipantReport, course: String, current: Option<u16>) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let (minutes, sessions) = totals(&p);
    let noticed = !notices(&p, current, lang.get_untracked()).is_empty();
    let notice_list = {
        let p = p.clone();
        move || {
            notices(&p, current, lang.get()).into_iter().map(|line| view! { <li>{line}</li> }).collect_view()
        }
    };
    let lines = trend(&p, lang.get_untracked());
    let reflections = p
        .reflections
        .iter()
        .map(|r| {
            let day = local_day(r.written_at_ms, r.utc_offset_minutes);
            view! {
                <li class="shared-reflection">
                    <p class="quiet">{move || date_text(day, lang.get())}</p>
                    <blockquote class="entry-note">{r.text.clone()}</blockquote>
                </li>
            }
        })
        .collect_view();
    let practice = if p.shares_adherence {
        view! {
            <p class="participant-totals">{move || format!("{minutes} min · {}", count_text(sessions, Key::TeachSession, Key::TeachSessions, lang.get()))}</p>
            {(!lines.is_empty()).then(|| view! {
                <p class="quiet">{text(Key::TeachTrend)}</p>
                <ul class="trend">{lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
            })}
        }
        .into_any()
    } else {
        view! { <p class="quiet">{text(Key::TeachNotShared)}</p> }.into_any()
    };
    let shared = if p.shares_reflections {
        let none = p
            .reflections
            .is_empty()
            .then(|| view! { <p class="quiet">{text(Key::TeachNoReflectionsYet)}</p> });
        view! { <h3>{text(Key::TeachReflections)}</h3> {none} <ul class="reflections">{reflections}</ul> }
            .into_any()
    } else {
        view! { <p class="quiet no-reflections">{text(Key::TeachNoReflections)}</p> }.into_any()
    };
    view! {
        <details class="participant" id=format!("p-{}", p.user_id)>
            <summary>
                {p.display_name.clone()}
                {noticed.then(|| view! { <span class="notice-tag">{text(Key::TeachNoticeTag)}</span> })}
            </summary>
            {noticed.then(|| view! { <ul class="participant-notices">{notice_list}</ul> })}
            {practice}
            {shared}
            <super::reset::ResetLinkButton course=course user_id=p.user_id.clone()/>
        </details>
    }
}

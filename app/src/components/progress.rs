//! Progress as pictures on the history page: a calendar heatmap of the last
//! twelve weeks and bars of minutes per week, drawn as SVG from the layout in
//! `stille_practice::progress`. Each picture has a text summary for screen
//! readers (and every day and bar a tooltip); days in a row only when the
//! person has chosen to see them.

use leptos::prelude::*;
use stille_practice::Lang;
use stille_practice::log::Entry;
use stille_practice::progress::{bar_heights, heat_days, recent_weeks};
use stille_practice::stats::{Date, DayRule, Practised, streak};

use crate::i18n::{Key, t, use_lang};
use crate::settings::use_settings;

const CELL: f64 = 14.0;
const GAP: f64 = 3.0;
const WEEKS: u32 = 12;
const BAR_WEEKS: usize = 8;
const BAR_WIDTH: f64 = 30.0;
const BAR_GAP: f64 = 12.0;
const BAR_HEIGHT: f64 = 90.0;

fn day_month(date: Date, lang: Lang) -> String {
    let (_, m, d) = date.ymd();
    match lang {
        Lang::Da => format!("{d}.{m}."),
        Lang::En => format!("{d}/{m}"),
    }
}

#[component]
pub fn Progress(entries: Vec<Entry>) -> impl IntoView {
    let lang = use_lang();
    let settings = use_settings();
    let rule = DayRule::default();
    let practised: Vec<Practised> = entries.iter().map(Entry::practised).collect();
    let offset = crate::log_store::utc_offset_minutes();
    let today = Date::of(js_sys::Date::now() as i64, offset, DayRule { grace_minutes: 0 });
    let days = heat_days(&practised, rule, today, WEEKS);
    let weeks = recent_weeks(&practised, rule, today, BAR_WEEKS);
    let days_in_row = streak(&practised, rule, today);

    let heat_width = f64::from(WEEKS) * (CELL + GAP);
    let heat_height = 7.0 * (CELL + GAP);
    let practised_days = days.iter().filter(|d| d.minutes > 0).count();
    let total: u32 = days.iter().map(|d| d.minutes).sum();
    let heat_summary = move || {
        let lang = lang.get();
        format!(
            "{}: {practised_days} · {}: {total}",
            t(lang, Key::ProgressDaysLabel),
            t(lang, Key::ProgressMinutesLabel)
        )
    };
    let cells = days
        .iter()
        .map(|day| {
            let (x, y) = (f64::from(day.column) * (CELL + GAP), f64::from(day.row) * (CELL + GAP));
            let date = day.date;
            let minutes = day.minutes;
            view! {
                <rect class=format!("heat heat-{}", day.level) x=x y=y width=CELL height=CELL rx="3">
                    <title>{move || format!("{}: {minutes} {}", day_month(date, lang.get()), t(lang.get(), Key::ProgressMinutes))}</title>
                </rect>
            }
        })
        .collect_view();

    let minutes: Vec<u32> = weeks.iter().map(|w| w.minutes).collect();
    let heights = bar_heights(&minutes, BAR_HEIGHT);
    let bars_width = BAR_WEEKS as f64 * (BAR_WIDTH + BAR_GAP);
    let bars = weeks
        .iter()
        .zip(heights)
        .enumerate()
        .map(|(i, (week, height))| {
            let x = i as f64 * (BAR_WIDTH + BAR_GAP);
            let top = 16.0 + BAR_HEIGHT - height;
            let start = week.start;
            let minutes = week.minutes;
            view! {
                <g class="bar">
                    <rect x=x y=top width=BAR_WIDTH height=height rx="3">
                        <title>{move || format!("{}: {minutes} {}", day_month(start, lang.get()), t(lang.get(), Key::ProgressMinutes))}</title>
                    </rect>
                    <text class="bar-value" x=x + BAR_WIDTH / 2.0 y=top - 4.0 text-anchor="middle">
                        {(minutes > 0).then(|| minutes.to_string())}
                    </text>
                    <text class="bar-label" x=x + BAR_WIDTH / 2.0 y=16.0 + BAR_HEIGHT + 14.0 text-anchor="middle">
                        {move || day_month(start, lang.get())}
                    </text>
                </g>
            }
        })
        .collect_view();
    let bars_summary = {
        let minutes = minutes.clone();
        move || {
            let lang = lang.get();
            let list: Vec<String> = weeks
                .iter()
                .zip(&minutes)
                .map(|(w, m)| format!("{}: {m}", day_month(w.start, lang)))
                .collect();
            format!("{} — {}", t(lang, Key::ProgressWeeks), list.join(", "))
        }
    };

    view! {
        <section class="progress" aria-labelledby="progress-heading">
            <h2 id="progress-heading">{move || t(lang.get(), Key::ProgressHeading)}</h2>
            <Show when=move || settings.get().streaks>
                <p class="progress-streak">{move || format!("{days_in_row} {}", t(lang.get(), Key::ProgressStreak))}</p>
            </Show>
            <figure class="heatmap">
                <figcaption>{move || t(lang.get(), Key::ProgressHeatmap)}</figcaption>
                <svg viewBox=format!("0 0 {heat_width} {heat_height}") width=heat_width height=heat_height
                    role="img" aria-label=heat_summary>
                    {cells}
                </svg>
                <p class="heat-legend" aria-hidden="true">
                    <span>{move || t(lang.get(), Key::ProgressLess)}</span>
                    <svg viewBox="0 0 85 14" width="85" height="14">
                        {(0..5u8).map(|level| view! {
                            <rect class=format!("heat heat-{level}") x=f64::from(level) * 17.0 y="0" width="14" height="14" rx="3"/>
                        }).collect_view()}
                    </svg>
                    <span>{move || t(lang.get(), Key::ProgressMore)}</span>
                </p>
                <p class="progress-summary">{heat_summary}</p>
            </figure>
            <figure class="week-bars">
                <figcaption>{move || t(lang.get(), Key::ProgressWeeks)}</figcaption>
                <svg viewBox=format!("0 0 {bars_width} {}", BAR_HEIGHT + 36.0) width=bars_width height=BAR_HEIGHT + 36.0
                    role="img" aria-label=bars_summary>
                    {bars}
                </svg>
            </figure>
        </section>
    }
}

//! "This week" on the home screen, for a participant in a course: the week's
//! assigned practices with how far along each is (from this device's log, so
//! it is right offline too), the week's knowledge card from the programme,
//! and the next session's date. Shown only when signed in and in a course.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use stille_practice::stats::{Date, DayRule, Practised};
use stille_practice::{Kind, Lang, catalog};

use crate::account::use_account;
use crate::courses::{self, Joined};
use crate::i18n::{Key, t, use_lang};
use crate::log_store;

fn today() -> Date {
    Date::of(js_sys::Date::now() as i64, log_store::utc_offset_minutes(), DayRule::default())
}

/// A date as the user's language writes it: "2.12.2026" / "2/12/2026".
pub fn date_text(date: Date, lang: Lang) -> String {
    let (y, m, d) = date.ymd();
    match lang {
        Lang::Da => format!("{d}.{m}.{y}"),
        Lang::En => format!("{d}/{m}/{y}"),
    }
}

/// "3 of 6 days" / "4 of 21 times".
pub fn progress_text(done: u32, asked: u32, per_day: i32, lang: Lang) -> String {
    let unit = if per_day > 1 { Key::WeekTimes } else { Key::WeekDays };
    format!("{done} {} {asked} {}", t(lang, Key::HistoryOf), t(lang, unit))
}

#[component]
pub fn ThisWeek() -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    let joined = RwSignal::new(courses::cached());
    let practised = RwSignal::new(Vec::<Practised>::new());
    let knowledge = RwSignal::new(None::<stille_practice::Text>);
    Effect::new(move || {
        if account.get().user().is_some() {
            spawn_local(async move {
                if let Ok(fresh) = courses::refresh().await {
                    joined.set(fresh);
                }
            });
        }
    });
    spawn_local(async move {
        if let Ok(loaded) = log_store::load().await {
            practised.set(loaded.entries.iter().map(|e| e.practised()).collect());
        }
    });
    // The knowledge card's text comes with the catalog's details.
    Effect::new(move || {
        let today = today();
        let wanted = joined.with(|list| {
            list.iter().find_map(|c| Some((c.template.clone()?, usize::try_from(c.week_of(today)?).ok()?)))
        });
        if let Some((template, week)) = wanted {
            spawn_local(async move {
                if let Ok(full) = crate::details::load().await {
                    knowledge.set(
                        full.course(&template).and_then(|c| c.week(week)).and_then(|s| s.knowledge.clone()),
                    );
                }
            });
        }
    });
    let course_view = move |course: Joined| {
        let lang = lang.get();
        let today = today();
        let Some(week) = course.week_of(today) else {
            let starts = course.start().map(|d| date_text(d, lang)).unwrap_or_default();
            return view! {
                <section class="this-week" aria-labelledby=format!("week-{}", course.id)>
                    <h2 id=format!("week-{}", course.id)>{course.title.clone()}</h2>
                    <p>{t(lang, Key::WeekStartsOn)} " " {starts}</p>
                </section>
            }
            .into_any();
        };
        let items = practised.with(|p| course.progress(week, p));
        let cards = items
            .into_iter()
            .filter_map(|(assigned, done, asked)| {
                let practice = catalog().get(&assigned.practice)?;
                let href = if practice.kind == Kind::Informal {
                    format!("/practices/{}", practice.id)
                } else {
                    format!("/play/{}?m={}", practice.id, assigned.minutes)
                };
                let complete = done >= asked;
                Some(view! {
                    <li class="week-card" class:complete=complete>
                        <A href=href attr:class="now-link">
                            <span class="now-title">{practice.title.get(lang).to_owned()}</span>
                            <span class="now-length">{format!("{} min", assigned.minutes)}</span>
                            <span class="week-progress">{progress_text(done, asked, assigned.per_day, lang)}</span>
                        </A>
                    </li>
                })
            })
            .collect_view();
        let next = course.next_session(today).map(|d| {
            view! { <p class="week-next">{t(lang, Key::WeekNextSession)} " " {date_text(d, lang)}</p> }
        });
        let heading_id = format!("week-{}", course.id);
        let labelled_by = heading_id.clone();
        view! {
            <section class="this-week" aria-labelledby=labelled_by>
                <h2 id=heading_id>{format!("{} {week}", t(lang, Key::WeekHeading))}</h2>
                <p class="quiet">{course.title.clone()} " · " {course.instructor.clone()}</p>
                <ul class="now-cards">{cards}</ul>
                {move || knowledge.get().map(|k| view! {
                    <aside class="knowledge" aria-label=t(lang, Key::WeekKnowledge)>
                        <h3>{t(lang, Key::WeekKnowledge)}</h3>
                        <p>{k.get(lang).to_owned()}</p>
                    </aside>
                })}
                {next}
            </section>
        }
        .into_any()
    };
    move || {
        if account.get().user().is_none() {
            return ().into_any();
        }
        joined.get().into_iter().map(course_view).collect_view().into_any()
    }
}

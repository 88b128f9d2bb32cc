//! "This week" on the home screen, for a participant in a course: the week's
//! assigned practices with how far along each is (from this device's log, so
//! it is right offline too), the week's knowledge card from the programme,
//! and the next session's date; in a measurement point's window, the
//! course's questionnaires not yet answered there. Shown only when signed in
//! and in a course. Above it, the messages from the participant's courses
//! ([`crate::components::CourseMessages`]).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use stille_practice::api::Recording;
use stille_practice::stats::{Date, DayRule, Practised};
use stille_practice::{CourseTemplate, Kind, Text, catalog};

use crate::account::use_account;
use crate::courses::{self, Course};
use crate::format::{self, date_text, meeting_text, progress_text};
use crate::i18n::{Key, t, use_lang};
use crate::log_store::{self, Note};
use crate::takes;

fn today() -> Date {
    Date::of(js_sys::Date::now() as i64, log_store::utc_offset_minutes(), DayRule::default())
}

#[component]
pub fn ThisWeek() -> impl IntoView {
    let account = use_account();
    // The kept copy at once (offline too), then the server's.
    let fresh = LocalResource::new(courses::refresh);
    let practised = LocalResource::new(|| {
        // Read again when records arrive from the account (see `log_store::changes`).
        log_store::changes();
        async {
            log_store::load()
                .await
                .map(|l| {
                    let practised: Vec<Practised> = l.entries.iter().map(|e| e.practised()).collect();
                    let answered: Vec<Answered> = l
                        .notes
                        .iter()
                        .filter_map(|n| match n {
                            Note::Answers(a) => Some((
                                a.instrument.clone(),
                                Date::of(a.at_ms, a.utc_offset_minutes, DayRule::default()),
                                a.at_ms,
                            )),
                            _ => None,
                        })
                        .collect();
                    (practised, answered)
                })
                // Unread (an error): nothing is asked until it reads.
                .ok()
        }
    });
    // The last good reading stays shown when a later one fails.
    let read = Memo::new(move |before: Option<&Option<(Vec<Practised>, Vec<Answered>)>>| {
        practised.get().flatten().or_else(|| before.cloned().flatten())
    });
    let joined = move || fresh.get().and_then(Result::ok).unwrap_or_else(courses::cached);
    // The teachers' recordings, once the server has named the courses; their
    // audio is then kept on the phone in the background (offline later).
    let heard = LocalResource::new(move || {
        let courses = fresh.get().and_then(Result::ok);
        async move {
            let kept = takes::refresh(&courses?).await.ok()?;
            let all: Vec<Recording> = kept.iter().flat_map(|c| c.recordings.clone()).collect();
            let listed = kept.clone();
            spawn_local(async move {
                if let Err(error) = takes::prune_audio(&listed).await {
                    leptos::logging::warn!("recordings no longer shared could not be removed: {error}");
                }
                if let Err(error) = takes::keep_audio(&all).await {
                    leptos::logging::warn!("a recording could not be kept on this phone: {error}");
                }
            });
            Some(kept)
        }
    });
    let kept_takes = move || heard.get().flatten().unwrap_or_else(takes::cached);
    let weeks = move || {
        if account.get().user().is_none() {
            return ().into_any();
        }
        // Until the device's journal is read, nothing is asked (rather than
        // everything for a moment).
        let loaded = read.get();
        let done = loaded.as_ref().map(|(done, _)| done.clone()).unwrap_or_default();
        let kept = kept_takes();
        joined()
            .into_iter()
            .map(|course| {
                let heard = takes::of_course(&kept, &course.id);
                let asked = loaded.as_ref().and_then(|(_, answered)| course.asks(today(), answered));
                view! { <CourseWeek course=course practised=done.clone() takes=heard asked=asked/> }
            })
            .collect_view()
            .into_any()
    };
    view! { <crate::components::CourseMessages/> {weeks} }
}

/// The recordings the course's teacher shares, each a link to its player.
fn take_list(takes: Vec<Recording>) -> impl IntoView {
    let lang = use_lang();
    (!takes.is_empty()).then(|| {
        let items = takes
            .into_iter()
            .map(|r| {
                let minutes = format::minutes(u32::try_from(r.duration_ms).unwrap_or(u32::MAX)).max(1);
                let by = r.owner.clone();
                view! {
                    <li class="week-card take-card">
                        <A href=format!("/recordings/{}", r.id) attr:class="now-link">
                            <span class="now-title">{r.title.clone()}</span>
                            <span class="now-length">{format!("{minutes} min")}</span>
                            <span class="week-progress">{move || format!("{} {by}", t(lang.get(), Key::TakeBy))}</span>
                        </A>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3>{move || t(lang.get(), Key::WeekTakes)}</h3>
            <ul class="now-cards takes">{items}</ul>
        }
    })
}

/// A questionnaire answered on this device: (instrument, local day, ms).
type Answered = (String, Date, i64);

/// The course's questionnaires still to answer at this measurement point,
/// each a link to its form (their names come with the catalog's details).
fn measure_ask(course: &str, asked: Option<(u16, Vec<String>)>) -> impl IntoView {
    let lang = use_lang();
    let heading = format!("measure-ask-{course}");
    let labelled_by = heading.clone();
    asked.map(|(week, ids)| {
        let instruments = LocalResource::new(move || {
            let ids = ids.clone();
            async move {
                let full = crate::details::load().await.ok()?;
                Some(ids.iter().filter_map(|id| full.instrument(id)).collect::<Vec<_>>())
            }
        });
        let lead = if week == 0 { Key::MeasureAskBefore } else { Key::MeasureAskAgain };
        view! {
            <aside class="measure-ask" aria-labelledby=labelled_by>
                <h3 id=heading>{move || t(lang.get(), Key::MeasureAskHeading)}</h3>
                <p>{move || t(lang.get(), lead)} " " <a href="/account">{move || t(lang.get(), Key::MeasureAskPrivacy)}</a></p>
                <ul class="now-cards">
                    {move || instruments.get().flatten().unwrap_or_default().into_iter().map(|i| view! {
                        <li class="week-card">
                            <A href=format!("/measures/{}", i.id) attr:class="now-link">
                                <span class="now-title">{move || i.name.get(lang.get()).to_owned()}</span>
                                <span class="now-length">{format!("{} min", i.minutes)}</span>
                            </A>
                        </li>
                    }).collect_view()}
                </ul>
            </aside>
        }
    })
}

/// One course's week, or the date it starts.
#[component]
fn CourseWeek(
    course: Course,
    practised: Vec<Practised>,
    takes: Vec<Recording>,
    asked: Option<(u16, Vec<String>)>,
) -> impl IntoView {
    let lang = use_lang();
    let today = today();
    let heading_id = format!("week-{}", course.id);
    let labelled_by = heading_id.clone();
    let Some(week) = course.week_of(today) else {
        let starts = course.start();
        return view! {
            <section class="this-week" aria-labelledby=labelled_by>
                <h2 id=heading_id>{course.title.clone()}</h2>
                <p>{move || t(lang.get(), Key::WeekStartsOn)} " " {move || starts.map(|d| date_text(d, lang.get()))}</p>
                {measure_ask(&course.id, asked)}
                {take_list(takes)}
            </section>
        }
        .into_any();
    };
    // The knowledge card's text comes with the catalog's details: the week's
    // session of a weekly programme, or the modules whose exercises are
    // assigned this week (a programme of modules, in the order chosen).
    // In an open group, the participant's own week follows the programme's
    // weeks round; elsewhere they are the same.
    let programme_week = course.programme_week(week);
    let template = course.template.clone();
    let assigned: Vec<String> = course.assigned(week).iter().map(|a| a.practice.clone()).collect();
    // The programme's sessions come with the catalog's details (None: the
    // course follows none, or the details could not be had).
    let programme = LocalResource::new(move || {
        let template = template.clone();
        async move {
            let full = crate::details::load().await.ok()?;
            full.course(template.as_deref()?)
        }
    });
    // After a closed group's last session nothing more is asked or taught.
    let over = course.is_over(week);
    let knowledge = move || {
        if over {
            return None;
        }
        let programme = programme.get().flatten()?;
        let assigned: Vec<&str> = assigned.iter().map(String::as_str).collect();
        let cards: Vec<(Option<Text>, Text)> = programme
            .knowledge_for(usize::try_from(programme_week).ok()?, &assigned)
            .into_iter()
            .map(|(title, text)| (title.cloned(), text.clone()))
            .collect();
        (!cards.is_empty()).then_some(cards)
    };
    let cards = course
        .progress(week, &practised)
        .into_iter()
        .filter_map(|(assigned, done, asked)| {
            let practice = catalog().get(&assigned.practice)?;
            let href = if practice.kind == Kind::Informal {
                format!("/practices/{}", practice.id)
            } else {
                format!("/play/{}?m={}", practice.id, assigned.minutes)
            };
            Some(view! {
                <li class="week-card" class:complete={done >= asked}>
                    <A href=href attr:class="now-link">
                        <span class="now-title">{move || practice.title.get(lang.get()).to_owned()}</span>
                        <span class="now-length">{format!("{} min", assigned.minutes)}</span>
                        <span class="week-progress">{move || progress_text(done, asked, assigned.per_day, lang.get())}</span>
                    </A>
                </li>
            })
        })
        .collect_view();
    let next = {
        let course = course.clone();
        move || {
            // Once the programme is known: it may have more sessions than
            // weeks with home practice.
            let sessions = programme.get()?.map_or(0, CourseTemplate::session_count);
            let day = course.next_session(today, sessions)?;
            let m = &course.meetings;
            let lang = lang.get();
            let mut when = meeting_text(day, m.time.as_deref(), m.minutes, lang);
            if !m.place.is_empty() {
                when = format!("{when} · {}", m.place);
            }
            Some(view! { <p class="week-next">{t(lang, Key::WeekNextSession)} " " {when}</p> })
        }
    };
    let on_break = course
        .is_break(today)
        .then(|| view! { <p class="week-break" role="note">{move || t(lang.get(), Key::WeekBreak)}</p> });
    let ended =
        over.then(|| view! { <p class="week-break" role="note">{move || t(lang.get(), Key::WeekOver)}</p> });
    let retreat = {
        let course = course.clone();
        // Its own week, not the programme's: a retreat comes once, and not after the last session.
        move || {
            if over {
                return None;
            }
            programme.get().flatten().and_then(|p| retreat_card(&course, p, week, today))
        }
    };
    let calendar = format!("/api/courses/{}/calendar.ics", course.id);
    let card = move || {
        knowledge().map(|cards| {
            let lang = lang.get();
            cards
                .into_iter()
                .map(|(module, k)| {
                    let heading = match &module {
                        Some(module) => format!("{} {}", t(lang, Key::WeekModule), module.get(lang)),
                        None => t(lang, Key::WeekKnowledge).to_owned(),
                    };
                    let label = heading.clone();
                    view! {
                        <aside class="knowledge" aria-label=label>
                            <h3>{heading}</h3>
                            <p>{k.get(lang).to_owned()}</p>
                        </aside>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="this-week" aria-labelledby=labelled_by>
            <h2 id=heading_id>{move || format!("{} {week}", t(lang.get(), Key::WeekHeading))}</h2>
            <p class="quiet">{course.title.clone()} " · " {course.instructor.clone()}</p>
            {on_break}
            {ended}
            <ul class="now-cards">{cards}</ul>
            {measure_ask(&course.id, asked)}
            {take_list(takes)}
            {card}
            {retreat}
            {next}
            <p><a class="week-calendar" href=calendar download="">{move || t(lang.get(), Key::WeekCalendar)}</a></p>
        </section>
    }
    .into_any()
}

/// How many days ahead a retreat with a date shows on "This week".
const RETREAT_AHEAD_DAYS: i32 = 13;

/// The course's retreat, when it is near: its date (or, before the
/// instructor has set one, the sessions it comes between, in the week it
/// falls in), the programme's words about it and the practices for the day,
/// to use when holding it on one's own.
fn retreat_card(
    course: &Course,
    programme: &'static CourseTemplate,
    week: i32,
    today: Date,
) -> Option<impl IntoView + use<>> {
    let lang = use_lang();
    let (after, session) = programme.retreat()?;
    let plan = course.meetings.retreat.clone();
    let near = match course.retreat_day() {
        Some(day) => today <= day && day.0 - today.0 <= RETREAT_AHEAD_DAYS,
        None => usize::try_from(week).ok() == Some(after),
    };
    if !near {
        return None;
    }
    let (time, minutes) = match &plan {
        Some(r) => (r.time.clone().or_else(|| course.meetings.time.clone()), r.minutes.or(session.minutes)),
        None => (None, None),
    };
    let place = plan
        .as_ref()
        .map(|r| r.place.clone())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| course.meetings.place.clone());
    let day = course.retreat_day();
    let when = move || {
        let lang = lang.get();
        match day {
            Some(day) => {
                let text = meeting_text(day, time.as_deref(), minutes, lang);
                if place.is_empty() { text } else { format!("{text} · {place}") }
            }
            None => t(lang, Key::WeekRetreatBetween)
                .replace("{n}", &after.to_string())
                .replace("{m}", &(after + 1).to_string()),
        }
    };
    let title = session.title.clone();
    let heading = title.clone();
    let knowledge = session.knowledge.clone();
    let practices = session
        .practices
        .iter()
        .filter_map(|home| {
            let practice = catalog().get(home.id.as_str())?;
            let href = format!("/play/{}?m={}", practice.id, home.minutes);
            let minutes = home.minutes;
            Some(view! {
                <li class="week-card">
                    <A href=href attr:class="now-link">
                        <span class="now-title">{move || practice.title.get(lang.get()).to_owned()}</span>
                        <span class="now-length">{format!("{minutes} min")}</span>
                    </A>
                </li>
            })
        })
        .collect_view();
    Some(view! {
        <aside class="retreat" aria-label=move || title.get(lang.get()).to_owned()>
            <h3>{move || heading.get(lang.get()).to_owned()}</h3>
            <p class="retreat-when">{when}</p>
            {knowledge.map(|k| view! { <p>{move || k.get(lang.get()).to_owned()}</p> })}
            <h4>{move || t(lang.get(), Key::WeekRetreatPractices)}</h4>
            <ul class="now-cards">{practices}</ul>
        </aside>
    })
}

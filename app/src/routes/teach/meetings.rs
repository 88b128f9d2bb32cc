//! The meeting plan on a course's page: when sessions begin and how long
//! they last, where, the session days without a session (holidays, which
//! move the later sessions a week on), the retreat day, and whether the
//! group is open (each newcomer's week 1 is the week they join). Participants see
//! it on "This week" and can add it to their calendar.

use leptos::prelude::*;
use stille_practice::CourseTemplate;
use stille_practice::api::{CourseChange, Meetings, RetreatDay, Teaching};
use stille_practice::schedule::{MAX_MEETINGS, ROLLING_WEEKS_AHEAD, Schedule};
use stille_practice::stats::Date;

use super::say;
use crate::api;
use crate::format::{local_day, meeting_text};
use crate::i18n::{Key, t, use_lang};

fn ymd(day: Date) -> String {
    let (y, m, d) = day.ymd();
    format!("{y:04}-{m:02}-{d:02}")
}

/// A number field's text: None when empty, else the number or a complaint.
fn number(text: &str) -> Result<Option<u16>, ()> {
    let text = text.trim();
    if text.is_empty() { Ok(None) } else { text.parse().map(Some).map_err(|_| ()) }
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

#[component]
pub fn MeetingPlan(
    course: Teaching,
    /// Told the course as saved, each time the plan is.
    saved: Callback<Teaching>,
) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let current = RwSignal::new(course);
    let said = RwSignal::new(None::<String>);
    let save = Action::new_local(move |meetings: &Meetings| {
        let path = format!("/api/courses/{}", current.get_untracked().id);
        let change = CourseChange { meetings: Some(meetings.clone()), ..CourseChange::default() };
        async move { api::request::<Teaching>("PATCH", &path, Some(&change)).await }
    });
    // The day whose button was pressed last: the list is drawn again when
    // the plan is saved, and focus goes back to that day's new button.
    let toggled = RwSignal::new(None::<Date>);
    Effect::new(move || {
        if let Some(Ok(course)) = save.value().get() {
            saved.run(course.clone());
            current.set(course);
            said.set(Some(t(lang.get_untracked(), Key::TeachSignUpsSaved).to_owned()));
            if let Some(day) = toggled.get_untracked() {
                let selector = format!(".meeting-day[data-day='{}'] .meeting-toggle", ymd(day));
                let button = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.query_selector(&selector).ok().flatten())
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
                if let Some(button) = button {
                    let _ = button.focus();
                }
            }
        }
    });
    let problem = move || save.value().get().and_then(Result::err).map(|e| say(&e, lang.get()));
    // The programme's sessions and retreat come with the catalog's details.
    let template = current.get_untracked().template;
    let programme = LocalResource::new(move || {
        let template = template.clone();
        async move { crate::details::load().await.ok()?.course(template.as_deref()?) }
    });
    let plan = current.get_untracked().meetings;
    let time = RwSignal::new(plan.time.clone().unwrap_or_default());
    let minutes = RwSignal::new(plan.minutes.map(|m| m.to_string()).unwrap_or_default());
    let place = RwSignal::new(plan.place.clone());
    let rolling = RwSignal::new(plan.rolling);
    let count = RwSignal::new(plan.count.map(|n| n.to_string()).unwrap_or_default());
    let retreat = plan.retreat.clone().unwrap_or_default();
    let retreat_date = RwSignal::new(retreat.date.clone());
    let retreat_time = RwSignal::new(retreat.time.clone().unwrap_or_default());
    let retreat_minutes = RwSignal::new(retreat.minutes.map(|m| m.to_string()).unwrap_or_default());
    let retreat_place = RwSignal::new(retreat.place.clone());

    // The plan as the fields and the saved holidays say it, or what to fix.
    let from_fields = move || -> Result<Meetings, Key> {
        let minutes = number(&minutes.get_untracked()).map_err(|_| Key::TeachMeetingMinutesNumber)?;
        let retreat_minutes =
            number(&retreat_minutes.get_untracked()).map_err(|_| Key::TeachMeetingMinutesNumber)?;
        let rolling = rolling.get_untracked();
        // An open group has no last session: its number is not kept.
        let count = match number(&count.get_untracked()) {
            _ if rolling => None,
            Ok(n) if n.is_none_or(|n| (1..=MAX_MEETINGS).contains(&n)) => n,
            _ => return Err(Key::TeachMeetingCountNumber),
        };
        let date = retreat_date.get_untracked();
        let retreat = optional(&date).map(|date| RetreatDay {
            date,
            time: optional(&retreat_time.get_untracked()),
            minutes: retreat_minutes,
            place: retreat_place.get_untracked().trim().to_owned(),
        });
        Ok(Meetings {
            time: optional(&time.get_untracked()),
            minutes,
            place: place.get_untracked().trim().to_owned(),
            skipped: current.get_untracked().meetings.skipped,
            retreat,
            rolling,
            count,
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        said.set(None);
        match from_fields() {
            Ok(meetings) => {
                save.dispatch(meetings);
            }
            Err(key) => said.set(Some(t(lang.get_untracked(), key).to_owned())),
        }
    };
    // A session day without a session, or with one again: saved at once,
    // with the rest of the plan as last saved.
    let toggle = move |day: Date| {
        said.set(None);
        toggled.set(Some(day));
        let mut meetings = current.get_untracked().meetings;
        let text = ymd(day);
        if let Some(at) = meetings.skipped.iter().position(|d| *d == text) {
            meetings.skipped.remove(at);
        } else {
            meetings.skipped.push(text);
            meetings.skipped.sort();
        }
        save.dispatch(meetings);
    };
    // Every session day with its number, and the days without a session
    // among them, in order.
    let days = move || {
        let course = current.get();
        let lang = lang.get();
        let programme = programme.get()?;
        let start = Date::parse(&course.start_date)?;
        let schedule = Schedule::new(start, &course.meetings);
        let today = local_day(js_sys::Date::now() as i64, crate::log_store::utc_offset_minutes());
        // An open group goes on: its days up to half a year ahead.
        let count = if course.meetings.rolling {
            schedule.week_of(today).unwrap_or(0) + ROLLING_WEEKS_AHEAD
        } else {
            course.meetings.session_count(programme.map_or(0, CourseTemplate::session_count))
        };
        let last = schedule.week_start(count);
        // Once people have joined, the weeks they have lived stay (the
        // server says so too).
        let settled = course.participants > 0;
        let rows = (0..)
            .map(|n| start.add_days(7 * n))
            .take_while(|day| *day <= last)
            .map(|day| {
                let skipped = schedule.is_break(day);
                let number = schedule.week_of(day).unwrap_or(1);
                let when = meeting_text(day, course.meetings.time.as_deref(), course.meetings.minutes, lang);
                let label = if skipped {
                    format!("{when}: {}", t(lang, Key::TeachMeetingNone))
                } else {
                    t(lang, Key::TeachMeetingNumbered)
                        .replace("{n}", &number.to_string())
                        .replace("{when}", &when)
                };
                let first = day == start;
                let past = settled && day <= today;
                let button = t(lang, if skipped { Key::TeachMeetingRestore } else { Key::TeachMeetingSkip });
                let button_label = format!("{button}: {when}");
                view! {
                    <li class="meeting-day" class:skipped=skipped data-day=ymd(day)>
                        <span>{label}</span>
                        {(!first && !past).then(|| view! {
                            <button type="button" class="button meeting-toggle" aria-label=button_label
                                disabled=move || save.pending().get()
                                on:click=move |_| toggle(day)>{button}</button>
                        })}
                    </li>
                }
            })
            .collect_view();
        Some(view! { <ol class="meeting-days">{rows}</ol> })
    };
    // Once people have joined, a group cannot turn open or closed.
    let has_joiners = move || current.get().participants > 0;
    let retreat_hint = move || {
        let retreat = programme.get().flatten()?.retreat().map(|(after, s)| (after, s.minutes));
        retreat.map(|(after, minutes)| {
            let key = if minutes.is_some() { Key::TeachRetreatHintHours } else { Key::TeachRetreatHint };
            let hours =
                minutes.map(|m| crate::format::decimal(f64::from(m) / 60.0, lang.get())).unwrap_or_default();
            t(lang.get(), key)
                .replace("{n}", &after.to_string())
                .replace("{m}", &(after + 1).to_string())
                .replace("{hours}", &hours)
        })
    };
    let count_hint = move || {
        let n = programme.get().flatten().map_or(0, CourseTemplate::session_count);
        let n = Meetings::default().session_count(n);
        t(lang.get(), Key::TeachMeetingCountHint).replace("{n}", &n.to_string())
    };
    view! {
        <section class="meeting-plan" aria-labelledby="meeting-plan-heading">
            <h2 id="meeting-plan-heading">{text(Key::TeachMeetings)}</h2>
            <p class="quiet">{text(Key::TeachMeetingsLead)}</p>
            <form class="meeting-form" on:submit=submit>
                <label for="meeting-time">{text(Key::TeachMeetingTime)}</label>
                <input id="meeting-time" type="time" prop:value=move || time.get()
                    on:input=move |ev| time.set(event_target_value(&ev))/>
                <label for="meeting-minutes">{text(Key::TeachMeetingMinutes)}</label>
                <input id="meeting-minutes" type="number" inputmode="numeric" min="15" max="480"
                    prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev))/>
                <label for="meeting-place">{text(Key::TeachMeetingPlace)}</label>
                <input id="meeting-place" type="text" maxlength="200" autocomplete="off"
                    prop:value=move || place.get() on:input=move |ev| place.set(event_target_value(&ev))/>
                <label class="meeting-rolling">
                    <input id="meeting-rolling" type="checkbox" prop:checked=move || rolling.get()
                        disabled=has_joiners
                        on:change=move |ev| rolling.set(event_target_checked(&ev))/>
                    <span>{text(Key::TeachMeetingRolling)}</span>
                </label>
                <label for="meeting-count">{text(Key::TeachMeetingCount)}</label>
                <input id="meeting-count" type="number" inputmode="numeric" min="1" max=MAX_MEETINGS
                    aria-describedby="meeting-count-hint" disabled=move || rolling.get()
                    prop:value=move || count.get() on:input=move |ev| count.set(event_target_value(&ev))/>
                <p id="meeting-count-hint" class="quiet">{count_hint}</p>
                <fieldset class="retreat-fields">
                    <legend>{text(Key::TeachRetreat)}</legend>
                    <p class="quiet">{retreat_hint}</p>
                    <label for="retreat-date">{text(Key::TeachRetreatDate)}</label>
                    <input id="retreat-date" type="date" prop:value=move || retreat_date.get()
                        on:input=move |ev| retreat_date.set(event_target_value(&ev))/>
                    <label for="retreat-time">{text(Key::TeachMeetingTime)}</label>
                    <input id="retreat-time" type="time" prop:value=move || retreat_time.get()
                        on:input=move |ev| retreat_time.set(event_target_value(&ev))/>
                    <label for="retreat-minutes">{text(Key::TeachMeetingMinutes)}</label>
                    <input id="retreat-minutes" type="number" inputmode="numeric" min="30" max="720"
                        prop:value=move || retreat_minutes.get() on:input=move |ev| retreat_minutes.set(event_target_value(&ev))/>
                    <label for="retreat-place">{text(Key::TeachRetreatPlace)}</label>
                    <input id="retreat-place" type="text" maxlength="200" autocomplete="off"
                        prop:value=move || retreat_place.get() on:input=move |ev| retreat_place.set(event_target_value(&ev))/>
                </fieldset>
                <button type="submit" class="button save-meetings">{text(Key::TeachSaveMeetings)}</button>
            </form>
            <h3>{text(Key::TeachMeetingDays)}</h3>
            <p class="quiet">{text(Key::TeachMeetingDaysLead)}</p>
            {days}
            <p class="meeting-said" role="status">{move || said.get()}</p>
            <p class="form-problem" role="alert">{problem}</p>
        </section>
    }
}

//! Each week's home practice, changeable in place: every week with its
//! dates (the week now marked), each practice's length and days changed
//! where it stands, one removed with Undo, one added from a list that begins
//! with the programme's own practices. Saved week by week and said so; the
//! server's refusal (a length the practice does not offer, say) is shown.

use leptos::prelude::*;
use stille_practice::api::{Assigned, Teaching, Week, WeekForm, Weeks};
use stille_practice::schedule::Meetings;
use stille_practice::stats::Date;
use stille_practice::{Part, Text};

use super::say;
use crate::api;
use crate::format::{local_day, span_text};
use crate::i18n::{Key, t, use_lang};
use crate::teaching::{
    current_week, programme_first, programme_practices, weeks_to_edit, with_added, with_changed,
    with_restored, with_saved, without,
};

/// What the last save in a week did, for that week to say.
#[derive(Clone, Debug, PartialEq)]
enum Done {
    Saved(i32),
    /// Removed from the week, at this place: Undo puts it back.
    Removed(i32, usize, Assigned),
}

/// A save: the week as it should be, and what it does.
type Save = (Week, Option<(usize, Assigned)>);

#[component]
pub fn Assignments(
    course: Teaching,
    /// The meeting plan as last saved: the weeks' dates follow its free
    /// days, and the meeting outline its length, while the page is open.
    meetings: RwSignal<Meetings>,
) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let id = StoredValue::new(course.id.clone());
    let start_date = StoredValue::new(course.start_date.clone());
    let today = local_day(js_sys::Date::now() as i64, crate::log_store::utc_offset_minutes());
    let skipped = move || meetings.with(|m| m.skipped.clone());
    let now = move || current_week(&start_date.get_value(), &skipped(), today);
    let loaded =
        LocalResource::new(move || api::get::<Weeks>(format!("/api/courses/{}/assignments", id.get_value())));
    // The programme (its sessions and meeting outline come with the
    // catalog's details): its own practices come first in the list to add
    // from, and each week shows how its meeting runs.
    let template = course.template.clone();
    let programme = LocalResource::new(move || {
        let template = template.clone();
        async move {
            let catalog = crate::details::load().await.ok();
            template.and_then(|id| catalog.and_then(|c| c.course(&id)))
        }
    });
    // The plan as last saved here, over what was loaded; weeks added here.
    let edited = RwSignal::new(None::<Vec<Week>>);
    let added_weeks = RwSignal::new(0);
    let done = RwSignal::new(None::<Done>);
    let save = Action::new_local(move |(week, removed): &Save| {
        let path = format!("/api/courses/{}/assignments/{}", id.get_value(), week.week);
        let form = WeekForm { practices: week.practices.clone() };
        let removed = removed.clone();
        async move { api::request::<Week>("PUT", &path, Some(&form)).await.map(|saved| (saved, removed)) }
    });
    let plan = move || {
        edited.get().or_else(|| loaded.get().and_then(Result::ok).map(|w| w.weeks)).unwrap_or_default()
    };
    Effect::new(move || {
        if let Some(Ok((saved, removed))) = save.value().get() {
            let number = saved.week;
            // Untracked: this effect follows the saves, not the plan it changes.
            edited.set(Some(with_saved(untrack(plan), saved)));
            done.set(Some(match removed {
                Some((index, assigned)) => Done::Removed(number, index, assigned),
                None => Done::Saved(number),
            }));
        }
    });
    let problem = move || {
        let failed = save.value().get().and_then(Result::err).or_else(|| loaded.get().and_then(Result::err));
        failed.map(|e| say(&e, lang.get()))
    };
    let store = Callback::new(move |change: Save| {
        done.set(None);
        save.dispatch(change);
    });
    // A course made from scratch, with nothing planned yet, shows every week
    // up to the week now (at most 12); otherwise the weeks planned and those
    // added here.
    let now_week = move || if plan().is_empty() { now().map_or(0, |n| i32::from(n.min(12))) } else { 0 };
    let last = move || {
        plan().iter().map(|w| w.week).max().unwrap_or(0).max(added_weeks.get()).max(now_week()).max(1)
    };
    let add_week = move |_| added_weeks.set(last() + 1);
    let weeks = move || {
        let programme = programme.get().flatten();
        let own = programme.map(programme_practices).unwrap_or_default();
        let minutes = meetings.with(|m| m.minutes);
        let schedule = crate::teaching::schedule(&start_date.get_value(), &skipped());
        let now = now();
        weeks_to_edit(&plan(), added_weeks.get().max(now_week()))
            .into_iter()
            .map(|week| {
                let dates = schedule.as_ref().map(|s| {
                    let first = s.week_start(week.week);
                    (first, first.add_days(6))
                });
                let is_now = now.is_some_and(|n| i32::from(n) == week.week);
                let outline = programme
                    .map(|p| {
                        let week = usize::try_from(week.week).unwrap_or(0);
                        p.outline_for(week, minutes).into_iter().map(|(part, m, text)| (part, m, text.clone())).collect()
                    })
                    .unwrap_or_default();
                view! { <PlanWeek week=week dates=dates is_now=is_now outline=outline own=own.clone() save=store done=done/> }
            })
            .collect_view()
    };
    // A programme of modules: which ones, in which order, fills the weeks.
    let course_id = course.id.clone();
    let module_order = move || {
        let programme =
            programme.get().flatten().filter(|p| !stille_practice::modules::modules(p).is_empty())?;
        let saved = Callback::new(move |weeks: Vec<Week>| {
            done.set(None);
            edited.set(Some(weeks));
        });
        Some(view! {
            <super::modules::ModuleOrder course_id=course_id.clone() programme=programme
                weeks=Signal::derive(plan) saved=saved/>
        })
    };
    view! {
        <h2>{text(Key::TeachPlan)}</h2>
        {module_order}
        <p class="form-problem" role="alert">{problem}</p>
        <ul class="plan">{weeks}</ul>
        <p><button type="button" class="button add-week" on:click=add_week>
            {move || t(lang.get(), Key::TeachAddWeek).replace("{week}", &(last() + 1).to_string())}
        </button></p>
    }
}

/// One week: its dates, its practices (each changeable and removable) and a
/// form to add one; what its last save did.
#[component]
fn PlanWeek(
    week: Week,
    dates: Option<(Date, Date)>,
    is_now: bool,
    /// How the week's meeting runs, part by part, for the one who leads it.
    outline: Vec<(Part, u16, Text)>,
    own: Vec<String>,
    save: Callback<Save>,
    done: RwSignal<Option<Done>>,
) -> impl IntoView {
    let lang = use_lang();
    let number = week.week;
    let practices = StoredValue::new(week.practices);
    let title = move |id: &str| {
        stille_practice::catalog()
            .get(id)
            .map_or_else(|| id.to_owned(), |p| p.title.get(lang.get()).to_owned())
    };
    let rows = practices.with_value(|list| {
        list.iter()
            .enumerate()
            .map(|(i, a)| {
                let shown = a.clone();
                let remove = {
                    let shown = shown.clone();
                    move |_| {
                        let rest = practices.with_value(|p| without(p, i));
                        save.run((Week { week: number, practices: rest }, Some((i, shown.clone()))));
                    }
                };
                let change = move |minutes: Option<u16>, days: Option<u8>| {
                    let changed = practices.with_value(|p| with_changed(p, i, minutes, days));
                    save.run((Week { week: number, practices: changed }, None));
                };
                let lengths = stille_practice::catalog()
                    .get(&a.practice)
                    .map(crate::session::lengths)
                    .unwrap_or_else(|| vec![u16::try_from(a.minutes).unwrap_or(0)]);
                let (minutes, days) = (a.minutes, a.days);
                let field = format!("{number}-{i}");
                let (minutes_id, days_id) = (format!("minutes-{field}"), format!("days-{field}"));
                let name = {
                    let id = shown.practice.clone();
                    move || title(&id)
                };
                view! {
                    <li class="assigned">
                        <span class="assigned-title">{name}</span>
                        <span class="assigned-fields">
                            <label class="visually-hidden" for=minutes_id.clone()>{move || t(lang.get(), Key::TeachMinutes)}</label>
                            <select id=minutes_id class="assigned-minutes"
                                on:change=move |ev| change(event_target_value(&ev).parse().ok(), None)>
                                {lengths.into_iter().map(|m| view! {
                                    <option value=m.to_string() selected=i32::from(m) == minutes>{format!("{m} min")}</option>
                                }).collect_view()}
                            </select>
                            <select id=days_id.clone() class="assigned-days"
                                on:change=move |ev| change(None, event_target_value(&ev).parse().ok())>
                                {(1..=7).map(|d| view! {
                                    <option value=d.to_string() selected=d == days>{d}</option>
                                }).collect_view()}
                            </select>
                            <label for=days_id>{move || t(lang.get(), Key::TeachDaysAWeek)}</label>
                        </span>
                        <button type="button" class="button remove-assigned" on:click=remove>
                            {move || t(lang.get(), Key::TeachRemove)}
                        </button>
                    </li>
                }
            })
            .collect_view()
    });
    let add = Callback::new(move |(practice, minutes, days): (String, Option<u16>, u8)| {
        if let Some(more) = practices.with_value(|p| with_added(p, &practice, minutes, days)) {
            save.run((Week { week: number, practices: more }, None));
        }
    });
    let undo = move |_| {
        if let Some(Done::Removed(_, index, removed)) = done.get_untracked() {
            let back = practices.with_value(|p| with_restored(p, index, removed));
            save.run((Week { week: number, practices: back }, None));
        }
    };
    let said = move || match done.get() {
        Some(Done::Saved(w)) if w == number => Some(t(lang.get(), Key::TeachWeekSaved).to_owned()),
        Some(Done::Removed(w, _, removed)) if w == number => {
            Some(t(lang.get(), Key::TeachRemoved).replace("{practice}", &title(&removed.practice)))
        }
        _ => None,
    };
    let can_undo = move || matches!(done.get(), Some(Done::Removed(w, _, _)) if w == number);
    let heading = move || {
        let lang = lang.get();
        let week = format!("{} {number}", t(lang, Key::TeachWeek));
        match dates {
            Some((from, to)) => format!("{week} · {}", span_text(from, to, lang)),
            None => week,
        }
    };
    let empty = practices.with_value(Vec::is_empty);
    let outline = (!outline.is_empty()).then(|| view! { <MeetingOutline parts=outline/> });
    view! {
        <li class="plan-week" class:now=is_now>
            <h3>{heading} " " {is_now.then(|| view! { <span class="now-tag">{move || t(lang.get(), Key::TeachNow)}</span> })}</h3>
            {outline}
            {empty.then(|| view! { <p class="quiet">{move || t(lang.get(), Key::TeachWeekEmpty)}</p> })}
            <ul class="assigned-list">{rows}</ul>
            <p class="plan-said" role="status">
                {said}
                {move || can_undo().then(|| view! {
                    " " <button type="button" class="button undo-remove" on:click=undo>{t(lang.get(), Key::TeachUndo)}</button>
                })}
            </p>
            <AddPractice week=number own=own add=add/>
        </li>
    }
}

/// The meeting's opening, process and closing, each with about how long it
/// takes, folded away under the week's heading.
#[component]
fn MeetingOutline(parts: Vec<(Part, u16, Text)>) -> impl IntoView {
    let lang = use_lang();
    let parts = parts
        .into_iter()
        .map(|(part, minutes, text)| {
            let name = match part {
                Part::Opening => Key::OutlineOpening,
                Part::Process => Key::OutlineProcess,
                Part::Closing => Key::OutlineClosing,
            };
            let about = move || t(lang.get(), Key::OutlineMinutes).replace("{minutes}", &minutes.to_string());
            view! {
                <dt>{move || t(lang.get(), name)} " · " {about}</dt>
                <dd>{move || text.get(lang.get()).to_owned()}</dd>
            }
        })
        .collect_view();
    view! {
        <details class="meeting-outline">
            <summary>{move || t(lang.get(), Key::TeachOutline)}</summary>
            <dl>{parts}</dl>
        </details>
    }
}

/// Choose a practice (the programme's own first), one of its lengths and
/// how many days a week.
#[component]
fn AddPractice(week: i32, own: Vec<String>, add: Callback<(String, Option<u16>, u8)>) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let catalog = stille_practice::catalog();
    let (first, rest) = programme_first(&catalog.practices, &own);
    let initial = first.first().or(rest.first()).map(|p| p.id.to_string()).unwrap_or_default();
    let chosen = RwSignal::new(initial);
    let minutes = RwSignal::new(None::<u16>);
    let days = RwSignal::new(6u8);
    let lengths = move || catalog.get(&chosen.get()).map(crate::session::lengths).unwrap_or_default();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.run((chosen.get_untracked(), minutes.get_untracked(), days.get_untracked()));
    };
    let id = move |name: &str| format!("add-{name}-{week}");
    let options = move |list: Vec<&'static stille_practice::Practice>| {
        list.into_iter()
            .map(|p| view! { <option value=p.id.to_string()>{move || p.title.get(lang.get()).to_owned()}</option> })
            .collect_view()
    };
    let groups = if first.is_empty() {
        options(rest).into_any()
    } else {
        view! {
            <optgroup label=move || t(lang.get(), Key::TeachFromProgramme)>{options(first)}</optgroup>
            <optgroup label=move || t(lang.get(), Key::TeachOtherPractices)>{options(rest)}</optgroup>
        }
        .into_any()
    };
    view! {
        <form class="add-practice" on:submit=submit>
            <label for=id("practice")>{text(Key::TeachAddPractice)}</label>
            <select id=id("practice") on:change=move |ev| { chosen.set(event_target_value(&ev)); minutes.set(None); }>
                {groups}
            </select>
            <label for=id("minutes")>{text(Key::TeachMinutes)}</label>
            <select id=id("minutes") on:change=move |ev| minutes.set(event_target_value(&ev).parse().ok())>
                {move || {
                    let default = catalog.get(&chosen.get()).map(|p| p.default_minutes).unwrap_or(0);
                    lengths().into_iter().map(|m| view! {
                        <option value=m.to_string() selected=m == default>{format!("{m} min")}</option>
                    }).collect_view()
                }}
            </select>
            <label for=id("days")>{text(Key::TeachDaysAWeek)}</label>
            <select id=id("days") on:change=move |ev| days.set(event_target_value(&ev).parse().unwrap_or(6))>
                {(1..=7).map(|d| view! { <option value=d.to_string() selected=d == 6>{d}</option> }).collect_view()}
            </select>
            <button type="submit" class="button add-assigned">{text(Key::TeachAdd)}</button>
        </form>
    }
}

//! Each week's home practice, changeable: remove one, or add a practice at
//! one of its lengths for so many days a week. Saved week by week; the
//! server's refusal (a length the practice does not offer, say) is shown.

use leptos::prelude::*;
use stille_practice::api::{Assigned, Week, WeekForm, Weeks};

use super::say;
use crate::api;
use crate::i18n::{Key, t, use_lang};
use crate::teaching::{weeks_to_edit, with_added, with_saved, without};

#[component]
pub fn Assignments(course: String) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let course = StoredValue::new(course);
    let loaded = LocalResource::new(move || {
        api::get::<Weeks>(format!("/api/courses/{}/assignments", course.get_value()))
    });
    // The plan as last saved here, over what was loaded.
    let edited = RwSignal::new(None::<Vec<Week>>);
    let save = Action::new_local(move |week: &Week| {
        let path = format!("/api/courses/{}/assignments/{}", course.get_value(), week.week);
        let form = WeekForm { practices: week.practices.clone() };
        async move { api::request::<Week>("PUT", &path, Some(&form)).await }
    });
    let plan = move || {
        edited.get().or_else(|| loaded.get().and_then(Result::ok).map(|w| w.weeks)).unwrap_or_default()
    };
    Effect::new(move || {
        if let Some(Ok(saved)) = save.value().get() {
            // Untracked: this effect follows the saves, not the plan it changes.
            edited.set(Some(with_saved(untrack(plan), saved)));
        }
    });
    let problem = move || {
        let failed = save.value().get().and_then(Result::err).or_else(|| loaded.get().and_then(Result::err));
        failed.map(|e| say(&e, lang.get()))
    };
    let store = Callback::new(move |week: Week| {
        save.dispatch(week);
    });
    view! {
        <h2>{text(Key::TeachPlan)}</h2>
        <p class="form-problem" role="alert">{problem}</p>
        <ul class="plan">
            {move || weeks_to_edit(&plan()).into_iter().map(|week| view! { <PlanWeek week=week save=store/> }).collect_view()}
        </ul>
    }
}

/// One week: its practices, each removable, and a form to add one.
#[component]
fn PlanWeek(week: Week, save: Callback<Week>) -> impl IntoView {
    let lang = use_lang();
    let number = week.week;
    let practices = StoredValue::new(week.practices);
    let line = move |a: &Assigned| {
        let lang = lang.get();
        let title = stille_practice::catalog()
            .get(&a.practice)
            .map_or_else(|| a.practice.clone(), |p| p.title.get(lang).to_owned());
        format!("{title} – {} min, {} {}", a.minutes, a.days, t(lang, Key::TeachDaysAWeek))
    };
    let rows = practices.with_value(|list| {
        list.iter()
            .enumerate()
            .map(|(i, a)| {
                let shown = a.clone();
                let remove = move |_| {
                    save.run(Week { week: number, practices: practices.with_value(|p| without(p, i)) })
                };
                view! {
                    <li class="assigned">
                        <span>{move || line(&shown)}</span>
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
            save.run(Week { week: number, practices: more });
        }
    });
    view! {
        <li class="plan-week">
            <h3>{move || format!("{} {number}", t(lang.get(), Key::TeachWeek))}</h3>
            <ul class="assigned-list">{rows}</ul>
            <AddPractice week=number add=add/>
        </li>
    }
}

/// Choose a practice, one of its lengths and how many days a week.
#[component]
fn AddPractice(week: i32, add: Callback<(String, Option<u16>, u8)>) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let catalog = stille_practice::catalog();
    let chosen = RwSignal::new(catalog.practices.first().map(|p| p.id.to_string()).unwrap_or_default());
    let minutes = RwSignal::new(None::<u16>);
    let days = RwSignal::new(6u8);
    let lengths = move || catalog.get(&chosen.get()).map(crate::session::lengths).unwrap_or_default();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.run((chosen.get_untracked(), minutes.get_untracked(), days.get_untracked()));
    };
    let id = move |name: &str| format!("add-{name}-{week}");
    view! {
        <form class="add-practice" on:submit=submit>
            <label for=id("practice")>{text(Key::TeachAddPractice)}</label>
            <select id=id("practice") on:change=move |ev| { chosen.set(event_target_value(&ev)); minutes.set(None); }>
                {catalog.practices.iter().map(|p| {
                    view! { <option value=p.id.to_string()>{move || p.title.get(lang.get()).to_owned()}</option> }
                }).collect_view()}
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

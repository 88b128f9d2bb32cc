//! The instructor's pages. `/teach`: the courses you teach and a new one from
//! a programme template (or from scratch). `/teach/<id>` ([`dashboard`]): the
//! invite, the group's practice ([`group`]) and each week's home practice
//! ([`plan`]). Only what each participant consented to is ever sent by the
//! server; what the pages work out from it is in `crate::teaching`.

mod dashboard;
mod group;
mod meetings;
mod messages;
mod modules;
mod outcomes;
mod plan;
mod recordings;
mod reset;
mod voice;

pub use dashboard::CourseDashboard;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
pub use outcomes::{CourseReportPage, OutcomesPage};
use stille_practice::Lang;
use stille_practice::api::{Courses, DEFAULT_CAPACITY, NewCourse, Teaching};
pub use voice::VoicePage;

use crate::account::use_account;
use crate::api::{self, ApiError};
use crate::guards::{self, Gate};
use crate::i18n::{Key, t, use_lang};

/// What went wrong with an instructor's call, in words.
fn say(error: &ApiError, lang: Lang) -> String {
    match crate::problems::teaching(error) {
        Ok(key) => t(lang, key).to_owned(),
        Err(message) => message,
    }
}

/// Shows `open` when the account may see the teaching pages, else what to do.
fn gated(here: String, open: impl Fn() -> AnyView + Send + Sync + 'static) -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    move || match guards::teaching(&account.get(), &here) {
        Gate::Checking => view! { <p class="quiet" role="status">"…"</p> }.into_any(),
        Gate::SignIn { link } => {
            view! { <p><a href=link>{t(lang.get(), Key::JoinSignIn)}</a></p> }.into_any()
        }
        Gate::NotAllowed => view! { <p>{t(lang.get(), Key::TeachOnlyInstructors)}</p> }.into_any(),
        Gate::Open => open(),
    }
}

/// `/teach`: your courses, and a new one.
#[component]
pub fn TeachHome() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="teach" aria-labelledby="teach-heading">
            <h1 id="teach-heading">{move || t(lang.get(), Key::TeachHeading)}</h1>
            {gated("/teach".to_owned(), || view! { <MyCourses/> <NewCourseForm/> }.into_any())}
        </section>
    }
}

#[component]
fn MyCourses() -> impl IntoView {
    let lang = use_lang();
    let courses = LocalResource::new(|| api::get::<Courses>("/api/courses".to_owned()));
    let item = move |c: Teaching| {
        view! {
            <li class="my-course">
                <h3><A href=format!("/teach/{}", c.id)>{c.title.clone()}</A></h3>
                <p class="quiet">{format!("{} · {}/{} ", c.start_date, c.participants, c.capacity)}
                    {move || t(lang.get(), Key::TeachParticipants)}</p>
            </li>
        }
    };
    move || match courses.get() {
        None => view! { <p class="quiet" role="status">"…"</p> }.into_any(),
        Some(Err(error)) => view! { <p role="alert">{say(&error, lang.get())}</p> }.into_any(),
        Some(Ok(list)) if list.teaching.is_empty() => {
            view! { <p class="quiet">{t(lang.get(), Key::TeachNone)}</p> }.into_any()
        }
        Some(Ok(list)) => {
            view! { <ul class="my-courses">{list.teaching.into_iter().map(item).collect_view()}</ul> }
                .into_any()
        }
    }
}

#[component]
fn NewCourseForm() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let title = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let template = RwSignal::new("msc".to_owned());
    let navigate = use_navigate();
    let create = Action::new_local(move |form: &NewCourse| {
        let (form, navigate) = (form.clone(), navigate.clone());
        async move {
            let created = api::request::<Teaching>("POST", "/api/courses", Some(&form)).await;
            if let Ok(course) = &created {
                navigate(&format!("/teach/{}", course.id), Default::default());
            }
            created
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(NewCourse {
            title: title.get_untracked(),
            lang: lang.get_untracked().tag().to_owned(),
            time_zone: "Europe/Copenhagen".to_owned(),
            start_date: start.get_untracked(),
            open: true,
            capacity: DEFAULT_CAPACITY,
            template: Some(template.get_untracked()).filter(|t| !t.is_empty()),
        });
    };
    let problem = move || create.value().get().and_then(Result::err).map(|e| say(&e, lang.get()));
    view! {
        <h2>{text(Key::TeachNew)}</h2>
        <form class="account-form new-course" novalidate on:submit=submit>
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
            <p class="form-problem" role="alert">{problem}</p>
            <button type="submit" class="button primary create-course" disabled=move || create.pending().get()>
                {text(Key::TeachCreate)}
            </button>
        </form>
    }
}

//! The courses joined: what is shared with each (changeable at once) and
//! leaving (a second press confirms). The kept copy shows first, so the
//! list is there offline; the server's answer replaces it.

use leptos::prelude::*;
use stille_practice::api::Consent;

use crate::api::ApiError;
use crate::courses::{self, Course};
use crate::i18n::{Key, t, use_lang};
use crate::problems;

/// A change to one course: its consent, or leaving it.
#[derive(Clone, Debug)]
enum Change {
    Consent(String, Consent),
    Leave(String),
}

#[component]
pub fn MyCourses() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let fresh = LocalResource::new(courses::refresh);
    let change = Action::new_local(|change: &Change| {
        let change = change.clone();
        async move {
            match change {
                Change::Consent(id, consent) => courses::change_consent(&id, consent).await,
                Change::Leave(id) => courses::leave(&id).await,
            }
        }
    });
    // What the server said last, else the kept copy (offline too).
    let joined = move || {
        change.version().get();
        match fresh.get() {
            Some(Ok(list)) if change.value().get().is_none() => list,
            _ => courses::cached(),
        }
    };
    let problem = move || {
        let failed = change.value().get().and_then(Result::err).or_else(|| match fresh.get() {
            // Offline: the kept copy stays on screen, nothing to say.
            Some(Err(ApiError::Network(_))) | None | Some(Ok(_)) => None,
            Some(Err(error)) => Some(error),
        });
        failed.map(|e| t(lang.get(), problems::account(&e)))
    };
    let leaving = RwSignal::new(None::<String>);
    let on_change = Callback::new(move |c: Change| {
        if let Change::Leave(id) = &c
            && leaving.get_untracked().as_deref() != Some(id.as_str())
        {
            leaving.set(Some(id.clone()));
            return;
        }
        change.dispatch(c);
    });
    view! {
        <h2>{text(Key::CoursesHeading)}</h2>
        <p class="form-problem" role="alert">{problem}</p>
        {move || {
            let list = joined();
            if list.is_empty() {
                view! { <p class="quiet">{text(Key::CoursesNone)}</p> }.into_any()
            } else {
                let rows = list.into_iter().map(|c| view! { <JoinedCourse course=c leaving=leaving change=on_change/> });
                view! { <ul class="my-courses">{rows.collect_view()}</ul> }.into_any()
            }
        }}
        <p><a href="/join">{text(Key::NavJoin)}</a></p>
    }
}

#[component]
fn JoinedCourse(
    course: Course,
    leaving: RwSignal<Option<String>>,
    change: Callback<Change>,
) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let id = StoredValue::new(course.id.clone());
    let consent = course.consent;
    // Each box changes its own consent and keeps the others as given.
    let share = move |changed: fn(&mut Consent, bool), value: bool| {
        let mut consent = consent;
        changed(&mut consent, value);
        change.run(Change::Consent(id.get_value(), consent));
    };
    let asks_measures = !course.measures.instruments.is_empty() || consent.group_results || consent.answers;
    let confirming = move || leaving.get().as_deref() == Some(id.get_value().as_str());
    view! {
        <li class="my-course">
            <h3>{course.title.clone()}</h3>
            <p class="quiet">{text(Key::JoinTaughtBy)} " " {course.instructor.clone()}</p>
            <label class="check">
                <input type="checkbox" class="share-adherence" prop:checked=consent.adherence
                    on:change=move |ev| share(|c, v| c.adherence = v, event_target_checked(&ev))/>
                " " {text(Key::CoursesShareAdherence)}
            </label>
            <label class="check">
                <input type="checkbox" class="share-reflections" prop:checked=consent.reflections
                    on:change=move |ev| share(|c, v| c.reflections = v, event_target_checked(&ev))/>
                " " {text(Key::CoursesShareReflections)}
            </label>
            {asks_measures.then(|| view! {
                <label class="check">
                    <input type="checkbox" class="share-group-results" prop:checked=consent.group_results
                        on:change=move |ev| share(|c, v| c.group_results = v, event_target_checked(&ev))/>
                    " " {text(Key::CoursesShareGroupResults)}
                </label>
                <label class="check">
                    <input type="checkbox" class="share-answers" prop:checked=consent.answers
                        on:change=move |ev| share(|c, v| c.answers = v, event_target_checked(&ev))/>
                    " " {text(Key::CoursesShareAnswers)}
                </label>
            })}
            <button type="button" class="button leave" on:click=move |_| change.run(Change::Leave(id.get_value()))>
                {move || t(lang.get(), if confirming() { Key::CoursesLeaveConfirm } else { Key::CoursesLeave })}
            </button>
        </li>
    }
}

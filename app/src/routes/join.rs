//! `/join` and `/join/<code>`: an invite link (or a typed code) shows the
//! course, who teaches it and exactly what would be shared; joining needs an
//! account and an explicit yes or no to each kind of sharing.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::account::use_account;
use crate::api::ApiError;
use crate::courses::{self, Consent, Preview};
use crate::i18n::{Key, t, use_lang};

fn problem_key(error: &ApiError) -> Key {
    match error {
        ApiError::Network(_) => Key::AccountOffline,
        ApiError::Refused { status: 404, .. } => Key::JoinNoCourse,
        ApiError::Refused { status: 409, .. } => Key::JoinConflict,
        ApiError::Refused { status: 429, .. } => Key::AccountTooMany,
        ApiError::Refused { status: 401, .. } => Key::JoinSignIn,
        _ => Key::AccountFailed,
    }
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let from_link = use_params_map().with_untracked(|p| p.get("code")).unwrap_or_default();
    let code = RwSignal::new(from_link.clone());
    let preview = RwSignal::new(None::<Result<Preview, Key>>);
    let look_up = move || {
        let typed = code.get_untracked();
        spawn_local(async move {
            preview.set(Some(courses::preview(typed.trim()).await.map_err(|e| problem_key(&e))));
        });
    };
    if !from_link.is_empty() {
        look_up();
    }
    view! {
        <section class="join" aria-labelledby="join-heading">
            <h1 id="join-heading">{text(Key::JoinHeading)}</h1>
            <form class="join-code" on:submit=move |ev| { ev.prevent_default(); look_up(); }>
                <label for="join-code">{text(Key::JoinCode)}</label>
                <input id="join-code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false"
                    placeholder="XXXX-XXXX-XXXX"
                    prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                <button type="submit" class="button">{text(Key::JoinLookUp)}</button>
            </form>
            {move || match preview.get() {
                None => ().into_any(),
                Some(Err(key)) => view! { <p class="form-problem" role="alert">{t(lang.get(), key)}</p> }.into_any(),
                Some(Ok(p)) => view! { <Decide preview=p code=code.get_untracked()/> }.into_any(),
            }}
        </section>
    }
}

/// The course and the two questions of consent.
#[component]
fn Decide(preview: Preview, code: String) -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    let text = move |key| move || t(lang.get(), key);
    let share_adherence = RwSignal::new(None::<bool>);
    let share_reflections = RwSignal::new(None::<bool>);
    let problem = RwSignal::new(None::<Key>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let instructor = preview.instructor.clone();
    let code = StoredValue::new(code);
    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(adherence), Some(reflections)) =
            (share_adherence.get_untracked(), share_reflections.get_untracked())
        else {
            problem.set(Some(Key::JoinAnswerBoth));
            return;
        };
        busy.set(true);
        problem.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = courses::join(code.get_value().trim(), Consent { adherence, reflections }).await;
            busy.set(false);
            match result {
                Ok(()) => navigate("/", Default::default()),
                Err(error) => {
                    web_sys::console::warn_1(&format!("joining failed: {error}").into());
                    problem.set(Some(problem_key(&error)));
                }
            }
        });
    };
    let question = move |name: &'static str, signal: RwSignal<Option<bool>>, label: Key, help: Key| {
        view! {
            <fieldset class="consent">
                <legend>{text(label)}</legend>
                <p class="quiet">{text(help)}</p>
                <label class="check">
                    <input type="radio" name=name value="yes" required
                        prop:checked=move || signal.get() == Some(true) on:change=move |_| signal.set(Some(true))/>
                    " " {text(Key::JoinYes)}
                </label>
                <label class="check">
                    <input type="radio" name=name value="no"
                        prop:checked=move || signal.get() == Some(false) on:change=move |_| signal.set(Some(false))/>
                    " " {text(Key::JoinNo)}
                </label>
            </fieldset>
        }
    };
    let signed_in = move || account.get().user().is_some();
    let next = format!("/account?next=/join/{}", code.get_value().trim());
    view! {
        <article class="join-course" aria-labelledby="join-course-title">
            <h2 id="join-course-title">{preview.title.clone()}</h2>
            <p>{text(Key::JoinTaughtBy)} " " <strong>{instructor.clone()}</strong></p>
            <p>{text(Key::JoinStarts)} " " {preview.start_date.clone()}
                {(preview.weeks > 0).then(|| format!(" · {} ", preview.weeks))}
                {(preview.weeks > 0).then(|| text(Key::JoinWeeks))}</p>
            {(!preview.open).then(|| view! { <p role="alert">{text(Key::JoinConflict)}</p> })}
            <Show when=signed_in fallback=move || view! {
                <p>{text(Key::JoinSignIn)}</p>
                <a class="button primary join-account" href=next.clone()>{text(Key::AccountSignIn)}</a>
            }>
                <form class="join-form" novalidate on:submit=join.clone()>
                    {question("adherence", share_adherence, Key::JoinShareAdherence, Key::JoinShareAdherenceHelp)}
                    {question("reflections", share_reflections, Key::JoinShareReflections, Key::JoinShareReflectionsHelp)}
                    <p class="quiet">{text(Key::JoinNeverShared)}</p>
                    <p class="form-problem" role="alert">{move || problem.get().map(|k| t(lang.get(), k))}</p>
                    <button type="submit" class="button primary join-submit" disabled=move || busy.get()>
                        {text(Key::JoinSubmit)}
                    </button>
                </form>
            </Show>
        </article>
    }
}

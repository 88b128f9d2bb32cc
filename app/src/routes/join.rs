//! `/join` and `/join/<code>`: an invite link (or a typed code) shows the
//! course, who teaches it and exactly what would be shared; joining needs an
//! account and an explicit yes or no to each kind of sharing (and, when the
//! course asks questionnaires, to the two questions about their answers).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use stille_practice::api::{Consent, JoinPreview};
use stille_practice::stats::Date;

use crate::account::use_account;
use crate::guards::{self, Gate};
use crate::i18n::{Key, t, use_lang};
use crate::{courses, format, problems};

#[component]
pub fn JoinPage() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let from_link = use_params_map().with_untracked(|p| p.get("code")).unwrap_or_default();
    let code = RwSignal::new(from_link.clone());
    // The code looked up: the one in the link, then whatever is typed and sent.
    let asked = RwSignal::new((!from_link.is_empty()).then_some(from_link));
    let preview = LocalResource::new(move || {
        let code = asked.get();
        async move {
            match code {
                Some(code) => Some(courses::preview(code.trim()).await.map_err(|e| problems::join(&e))),
                None => None,
            }
        }
    });
    let look_up = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        asked.set(Some(code.get_untracked()));
    };
    view! {
        <section class="join" aria-labelledby="join-heading">
            <h1 id="join-heading">{text(Key::JoinHeading)}</h1>
            <form class="join-code" on:submit=look_up>
                <label for="join-code">{text(Key::JoinCode)}</label>
                <input id="join-code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false"
                    placeholder="XXXX-XXXX-XXXX"
                    prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                <button type="submit" class="button">{text(Key::JoinLookUp)}</button>
            </form>
            {move || match preview.get().flatten() {
                None => ().into_any(),
                Some(Err(key)) => view! { <p class="form-problem" role="alert">{t(lang.get(), key)}</p> }.into_any(),
                Some(Ok(p)) => view! { <Decide preview=p code=asked.get_untracked().unwrap_or_default()/> }.into_any(),
            }}
        </section>
    }
}

/// The course and the two questions of consent.
#[component]
fn Decide(preview: JoinPreview, code: String) -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    let text = move |key| move || t(lang.get(), key);
    let share_adherence = RwSignal::new(None::<bool>);
    let share_reflections = RwSignal::new(None::<bool>);
    let share_group_results = RwSignal::new(None::<bool>);
    let share_answers = RwSignal::new(None::<bool>);
    // Questionnaire answers are asked about only when the course asks any.
    let asks_measures = !preview.measures.instruments.is_empty();
    let unanswered = RwSignal::new(false);
    let navigate = use_navigate();
    let code = StoredValue::new(code.trim().to_owned());
    let join = Action::new_local(move |consent: &Consent| {
        let (consent, navigate) = (*consent, navigate.clone());
        async move {
            let joined = courses::join(&code.get_value(), consent).await;
            if joined.is_ok() {
                navigate("/", Default::default());
            }
            joined
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let about_answers = if asks_measures {
            share_group_results.get_untracked().zip(share_answers.get_untracked())
        } else {
            Some((false, false))
        };
        match (share_adherence.get_untracked(), share_reflections.get_untracked(), about_answers) {
            (Some(adherence), Some(reflections), Some((group_results, answers))) => {
                unanswered.set(false);
                join.dispatch(Consent { adherence, reflections, group_results, answers });
            }
            _ => unanswered.set(true),
        }
    };
    let problem = move || {
        let key = unanswered.get().then_some(Key::JoinAnswerAll);
        key.or_else(|| join.value().get().and_then(Result::err).map(|e| problems::join(&e)))
            .map(|k| t(lang.get(), k))
    };
    let gate = move || guards::signed_in(&account.get(), &format!("/join/{}", code.get_value()));
    let start = Date::parse(&preview.start_date);
    let today = format::local_day(js_sys::Date::now() as i64, crate::log_store::utc_offset_minutes());
    let starts = move || match start {
        Some(start) => format::course_start_text(start, today, lang.get()),
        None => preview.start_date.clone(),
    };
    let weeks =
        (preview.weeks > 0).then(|| view! { {format!(" · {} ", preview.weeks)} {text(Key::JoinWeeks)} });
    view! {
        <article class="join-course" aria-labelledby="join-course-title">
            <h2 id="join-course-title">{preview.title.clone()}</h2>
            <p>{text(Key::JoinTaughtBy)} " " <strong>{preview.instructor.clone()}</strong></p>
            <p>{starts} {weeks}</p>
            {(!preview.open).then(|| view! { <p role="alert">{text(Key::JoinConflict)}</p> })}
            {move || match gate() {
                Gate::Open | Gate::NotAllowed => view! {
                    <form class="join-form" novalidate on:submit=submit>
                        <ConsentQuestion name="adherence" answer=share_adherence label=Key::JoinShareAdherence help=Key::JoinShareAdherenceHelp/>
                        <ConsentQuestion name="reflections" answer=share_reflections label=Key::JoinShareReflections help=Key::JoinShareReflectionsHelp/>
                        {asks_measures.then(|| view! {
                            <ConsentQuestion name="group-results" answer=share_group_results label=Key::JoinShareGroupResults help=Key::JoinShareGroupResultsHelp/>
                            <ConsentQuestion name="answers" answer=share_answers label=Key::JoinShareAnswers help=Key::JoinShareAnswersHelp/>
                        })}
                        <p class="quiet">{text(Key::JoinNeverShared)}</p>
                        <p class="form-problem" role="alert">{problem}</p>
                        <button type="submit" class="button primary join-submit" disabled=move || join.pending().get()>
                            {text(Key::JoinSubmit)}
                        </button>
                    </form>
                }.into_any(),
                // A newcomer's way in is a new account; signing in is beside it.
                Gate::SignIn { link } => view! {
                    <p>{text(Key::JoinSignIn)}</p>
                    <p class="join-ways">
                        <a class="button primary join-create" href=format!("{link}&new=1")>{text(Key::AccountCreate)}</a>
                        <a class="button join-account" href=link>{text(Key::AccountSignIn)}</a>
                    </p>
                }.into_any(),
                Gate::Checking => view! { <p class="quiet" role="status">"…"</p> }.into_any(),
            }}
        </article>
    }
}

/// One question of consent: yes or no, neither chosen until answered.
#[component]
fn ConsentQuestion(
    name: &'static str,
    answer: RwSignal<Option<bool>>,
    label: Key,
    help: Key,
) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let help_id = format!("consent-{name}-help");
    let described_by = help_id.clone();
    view! {
        <fieldset class="consent" aria-describedby=described_by>
            <legend>{text(label)}</legend>
            <p class="quiet" id=help_id>{text(help)}</p>
            <label class="check">
                <input type="radio" name=name value="yes" required
                    prop:checked=move || answer.get() == Some(true) on:change=move |_| answer.set(Some(true))/>
                " " {text(Key::JoinYes)}
            </label>
            <label class="check">
                <input type="radio" name=name value="no"
                    prop:checked=move || answer.get() == Some(false) on:change=move |_| answer.set(Some(false))/>
                " " {text(Key::JoinNo)}
            </label>
        </fieldset>
    }
}

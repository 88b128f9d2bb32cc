//! `/account`: signing in or up (never needed to practise), and when signed
//! in: who, whether this device is in step with the account, and signing out
//! (optionally removing this device's copy, never losing what is not synced
//! without a second press).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::account::{self, Account, use_account};
use crate::api::ApiError;
use crate::courses::{self, Consent, Joined};
use crate::i18n::{Key, t, use_lang};
use crate::log_store;
use crate::sync::{self, Status, use_status};

/// What to say about a failed sign-in or sign-up, in the user's language.
fn problem_key(error: &ApiError) -> Key {
    match error {
        ApiError::Network(_) => Key::AccountOffline,
        ApiError::Refused { status: 401, .. } => Key::AccountWrongPassword,
        ApiError::Refused { status: 409, .. } => Key::AccountEmailTaken,
        ApiError::Refused { status: 429, .. } => Key::AccountTooMany,
        ApiError::Refused { status: 422, field: Some(field), .. } => match field.as_str() {
            "email" => Key::AccountEmailInvalid,
            "password" => Key::AccountPasswordRule,
            "display_name" => Key::AccountNameRule,
            _ => Key::AccountFailed,
        },
        _ => Key::AccountFailed,
    }
}

/// Only paths inside the app are followed after signing in.
fn next_path(raw: Option<String>) -> String {
    raw.filter(|p| p.starts_with('/') && !p.starts_with("//")).unwrap_or_else(|| "/account".to_owned())
}

/// The sync status in words.
pub fn status_text(status: &Status, lang: stille_practice::Lang) -> String {
    match status {
        Status::Local => t(lang, Key::SyncLocal).to_owned(),
        Status::Syncing => t(lang, Key::SyncSyncing).to_owned(),
        Status::Synced => t(lang, Key::SyncSynced).to_owned(),
        Status::Waiting(n) => format!("{} ({n} {})", t(lang, Key::SyncWaiting), t(lang, Key::SyncChanges)),
        Status::SignInAgain => t(lang, Key::SyncSignInAgain).to_owned(),
        Status::Problem(reason) => format!("{} {reason}", t(lang, Key::SyncProblem)),
        Status::OtherOwner => t(lang, Key::SyncOtherOwner).to_owned(),
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    let text = move |key| move || t(lang.get(), key);
    view! {
        <section class="account" aria-labelledby="account-heading">
            <h1 id="account-heading">{text(Key::AccountHeading)}</h1>
            {move || match account.get() {
                Account::Checking => view! { <p class="quiet" role="status">"…"</p> }.into_any(),
                Account::SignedOut => view! { <SignedOut/> }.into_any(),
                Account::SignedIn { user, .. } => view! { <SignedIn user=user/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn SignedOut() -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    let text = move |key| move || t(lang.get(), key);
    let navigate = use_navigate();
    let next = use_query_map().with_untracked(|q| next_path(q.get("next")));
    let new_account = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Key>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let navigate = navigate.clone();
        let next = next.clone();
        spawn_local(async move {
            let (email, password, name) =
                (email.get_untracked(), password.get_untracked(), name.get_untracked());
            let result = if new_account.get_untracked() {
                account::sign_up(account, email.trim(), &password, name.trim()).await
            } else {
                account::sign_in(account, email.trim(), &password).await
            };
            busy.set(false);
            match result {
                Ok(_) => navigate(&next, Default::default()),
                Err(error) => problem.set(Some(problem_key(&error))),
            }
        });
    };
    view! {
        <p>{text(Key::AccountWhy)}</p>
        <div class="account-mode" role="group" aria-label=text(Key::AccountHeading)>
            <button type="button" class="button" aria-pressed=move || (!new_account.get()).to_string()
                on:click=move |_| { new_account.set(false); problem.set(None); }>{text(Key::AccountSignIn)}</button>
            <button type="button" class="button" aria-pressed=move || new_account.get().to_string()
                on:click=move |_| { new_account.set(true); problem.set(None); }>{text(Key::AccountCreate)}</button>
        </div>
        <form class="account-form" novalidate on:submit=submit>
            <Show when=move || new_account.get()>
                <label for="account-name">{text(Key::AccountName)}</label>
                <input id="account-name" type="text" autocomplete="nickname" maxlength="60" required
                    aria-describedby="account-name-help"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <p id="account-name-help" class="quiet">{text(Key::AccountNameHelp)}</p>
            </Show>
            <label for="account-email">{text(Key::AccountEmail)}</label>
            <input id="account-email" type="email" autocomplete="email" required
                prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
            <label for="account-password">{text(Key::AccountPassword)}</label>
            <input id="account-password" type="password" required
                autocomplete=move || if new_account.get() { "new-password" } else { "current-password" }
                prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
            <p class="form-problem" role="alert">{move || problem.get().map(|k| t(lang.get(), k))}</p>
            <button type="submit" class="button primary account-submit" disabled=move || busy.get()>
                {move || t(lang.get(), if new_account.get() { Key::AccountCreate } else { Key::AccountSignIn })}
            </button>
        </form>
    }
}

#[component]
fn SignedIn(user: account::User) -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    let status = use_status();
    let text = move |key| move || t(lang.get(), key);
    let remove_copy = RwSignal::new(false);
    // Unsynced changes and the box ticked: the first press only warns.
    let warned = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let unsynced = log_store::pending().await.map(|p| p.len()).unwrap_or(0);
            if remove_copy.get_untracked() && unsynced > 0 && !warned.get_untracked() {
                warned.set(true);
                return;
            }
            if let Err(error) = account::sign_out(account).await {
                problem.set(Some(t(lang.get_untracked(), problem_key(&error)).to_owned()));
                return;
            }
            courses::forget();
            if remove_copy.get_untracked() {
                if let Err(error) = log_store::clear().await {
                    problem.set(Some(error.to_string()));
                    return;
                }
                sync::forget();
            }
            navigate("/", Default::default());
        });
    };
    let adopt = move |_| {
        spawn_local(async move {
            match log_store::clear().await {
                Ok(()) => {
                    sync::forget();
                    sync::run_now();
                }
                Err(error) => problem.set(Some(error.to_string())),
            }
        });
    };
    view! {
        <p class="account-who">{text(Key::AccountSignedInAs)} " " <strong>{user.display_name.clone()}</strong>
            " (" {user.email.clone()} ")"</p>
        <p class="sync-detail" role="status">{move || status_text(&status.get(), lang.get())}</p>
        {user.is_instructor().then(|| view! {
            <p><a class="button primary teach-link" href="/teach">{text(Key::TeachHeading)}</a></p>
        })}
        <Show when=move || status.get() == Status::OtherOwner>
            <div class="other-owner">
                <p>{text(Key::AccountOtherOwner)}</p>
                <button type="button" class="button adopt" on:click=adopt>{text(Key::AccountAdopt)}</button>
            </div>
        </Show>
        <button type="button" class="button sync-now" on:click=move |_| sync::run_now()>{text(Key::AccountSyncNow)}</button>
        <MyCourses/>
        <h2>{text(Key::AccountSignOut)}</h2>
        <label class="check">
            <input type="checkbox" prop:checked=move || remove_copy.get()
                on:change=move |ev| { remove_copy.set(event_target_checked(&ev)); warned.set(false); }/>
            " " {text(Key::AccountRemoveCopy)}
        </label>
        <p class="form-problem" role="alert">
            {move || warned.get().then(|| t(lang.get(), Key::AccountUnsyncedWarning))}
            {move || problem.get()}
        </p>
        <button type="button" class="button sign-out" on:click=sign_out>
            {move || t(lang.get(), if warned.get() { Key::AccountSignOutAnyway } else { Key::AccountSignOut })}
        </button>
    }
}

/// The courses joined: what is shared with each (changeable at once) and leaving.
#[component]
fn MyCourses() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let joined = RwSignal::new(courses::cached());
    let problem = RwSignal::new(None::<String>);
    spawn_local(async move {
        match courses::refresh().await {
            Ok(fresh) => joined.set(fresh),
            // Offline: the kept copy stays on screen.
            Err(ApiError::Network(_)) => {}
            Err(error) => problem.set(Some(error.to_string())),
        }
    });
    let leaving = RwSignal::new(None::<String>);
    let change = move |course: String, consent: Consent| {
        spawn_local(async move {
            match courses::change_consent(&course, consent).await {
                Ok(()) => joined.set(courses::cached()),
                Err(error) => problem.set(Some(t(lang.get_untracked(), problem_key(&error)).to_owned())),
            }
        });
    };
    let leave = move |course: String| {
        if leaving.get_untracked().as_deref() != Some(course.as_str()) {
            leaving.set(Some(course));
            return;
        }
        spawn_local(async move {
            match courses::leave(&course).await {
                Ok(()) => joined.set(courses::cached()),
                Err(error) => problem.set(Some(t(lang.get_untracked(), problem_key(&error)).to_owned())),
            }
        });
    };
    let row = move |course: Joined| {
        let id = StoredValue::new(course.id.clone());
        let consent = course.consent;
        let toggle = move |adherence: Option<bool>, reflections: Option<bool>| Consent {
            adherence: adherence.unwrap_or(consent.adherence),
            reflections: reflections.unwrap_or(consent.reflections),
        };
        view! {
            <li class="my-course">
                <h3>{course.title.clone()}</h3>
                <p class="quiet">{text(Key::JoinTaughtBy)} " " {course.instructor.clone()}</p>
                <label class="check">
                    <input type="checkbox" class="share-adherence" prop:checked=consent.adherence
                        on:change=move |ev| change(id.get_value(), toggle(Some(event_target_checked(&ev)), None))/>
                    " " {text(Key::CoursesShareAdherence)}
                </label>
                <label class="check">
                    <input type="checkbox" class="share-reflections" prop:checked=consent.reflections
                        on:change=move |ev| change(id.get_value(), toggle(None, Some(event_target_checked(&ev))))/>
                    " " {text(Key::CoursesShareReflections)}
                </label>
                <button type="button" class="button leave" on:click=move |_| leave(id.get_value())>
                    {move || t(lang.get(), if leaving.get().as_deref() == Some(id.get_value().as_str()) {
                        Key::CoursesLeaveConfirm
                    } else {
                        Key::CoursesLeave
                    })}
                </button>
            </li>
        }
    };
    view! {
        <h2>{text(Key::CoursesHeading)}</h2>
        <p class="form-problem" role="alert">{move || problem.get()}</p>
        {move || {
            let list = joined.get();
            if list.is_empty() {
                view! { <p class="quiet">{text(Key::CoursesNone)}</p> }.into_any()
            } else {
                view! { <ul class="my-courses">{list.into_iter().map(row).collect_view()}</ul> }.into_any()
            }
        }}
        <p><a href="/join">{text(Key::NavJoin)}</a></p>
    }
}

//! The signed-in account's name and password, and when the password was last
//! reset with a link (so a reset the person did not ask for is seen).

use leptos::prelude::*;
use stille_practice::api::{LastReset, ResetBy};

use crate::account::{self, use_account};
use crate::format::moment;
use crate::i18n::{Key, t, use_lang};
use crate::log_store::utc_offset_minutes;
use crate::problems;

/// The display name, changeable.
#[component]
pub fn Name(current: String) -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    let text = move |key| move || t(lang.get(), key);
    let name = RwSignal::new(current);
    let save = Action::new_local(move |name: &String| {
        let name = name.clone();
        async move { account::rename(account, &name).await.map(drop) }
    });
    let said = move || match save.value().get() {
        Some(Ok(())) => Some(t(lang.get(), Key::ManageSaved)),
        Some(Err(error)) => Some(t(lang.get(), problems::manage(&error))),
        None => None,
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(name.get_untracked());
    };
    view! {
        <form class="account-form account-name-form" novalidate on:submit=send>
            <label for="profile-name">{text(Key::AccountName)}</label>
            <input id="profile-name" type="text" autocomplete="nickname" maxlength="60" required
                aria-describedby="profile-name-help"
                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            <p id="profile-name-help" class="quiet">{text(Key::AccountNameHelp)}</p>
            <p class="form-problem" role="status">{said}</p>
            <button type="submit" class="button save-name" disabled=move || save.pending().get()>
                {text(Key::ManageSave)}
            </button>
        </form>
    }
}

/// A new password, given the current one; other sessions end.
#[component]
pub fn Password() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let (current, new) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let change = Action::new_local(move |(current, new): &(String, String)| {
        let (current, new) = (current.clone(), new.clone());
        async move { account::change_password(&current, &new).await }
    });
    Effect::new(move || {
        if let Some(Ok(())) = change.value().get() {
            current.set(String::new());
            new.set(String::new());
        }
    });
    let said = move || match change.value().get() {
        Some(Ok(())) => Some(t(lang.get(), Key::ManagePasswordChanged)),
        Some(Err(error)) => Some(t(lang.get(), problems::manage(&error))),
        None => None,
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change.dispatch((current.get_untracked(), new.get_untracked()));
    };
    view! {
        <h2>{text(Key::ManagePasswordHeading)}</h2>
        <form class="account-form password-form" novalidate on:submit=send>
            <label for="password-current">{text(Key::ManageCurrentPassword)}</label>
            <input id="password-current" type="password" autocomplete="current-password" required
                prop:value=move || current.get() on:input=move |ev| current.set(event_target_value(&ev))/>
            <label for="password-new">{text(Key::ManageNewPassword)}</label>
            <input id="password-new" type="password" autocomplete="new-password" required minlength="8"
                aria-describedby="password-new-help"
                prop:value=move || new.get() on:input=move |ev| new.set(event_target_value(&ev))/>
            <p id="password-new-help" class="quiet">{text(Key::ManagePasswordHelp)}</p>
            <p class="form-problem" role="status">{said}</p>
            <button type="submit" class="button change-password" disabled=move || change.pending().get()>
                {text(Key::ManagePasswordHeading)}
            </button>
        </form>
    }
}

/// "Your password was last reset on … with a link from …", when it was.
#[component]
pub fn LastResetNotice() -> impl IntoView {
    let lang = use_lang();
    let me = LocalResource::new(account::me);
    let notice = move || {
        let reset: LastReset = me.get()?.ok()?.last_reset?;
        let lang = lang.get();
        let by = match reset.by {
            ResetBy::Instructor => {
                format!("{} {}", t(lang, Key::ManageResetByInstructor), reset.instructor.unwrap_or_default())
            }
            ResetBy::Admin => t(lang, Key::ManageResetByAdmin).to_owned(),
            ResetBy::Email => t(lang, Key::ManageResetByEmail).to_owned(),
        };
        let when = moment(reset.at_ms, utc_offset_minutes(), lang);
        Some(view! {
            <p class="last-reset" role="note">
                {format!("{} {when} {by}. ", t(lang, Key::ManageResetIntro))}
                {t(lang, Key::ManageResetNotYou)}
            </p>
        })
    };
    view! { <Transition>{notice}</Transition> }
}

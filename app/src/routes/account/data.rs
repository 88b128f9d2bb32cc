//! The account's data on the server: download it all (GDPR Art. 15 and 20),
//! or erase the account for good (Art. 17), with the password and a tick
//! that says the person means it.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::account::{self, use_account};
use crate::components::download;
use crate::i18n::{Key, t, use_lang};
use crate::{courses, log_store, problems, sync};

/// Why erasing stopped.
#[derive(Clone, Debug, PartialEq)]
enum Stopped {
    /// The box is not ticked, or no password was typed.
    NotConfirmed,
    Server(Key),
    Device(String),
}

/// Erases the account, then (if asked) this device's copy.
async fn erase(
    account: RwSignal<account::Account>,
    password: String,
    confirmed: bool,
    device_too: bool,
) -> Result<(), Stopped> {
    if !confirmed || password.is_empty() {
        return Err(Stopped::NotConfirmed);
    }
    account::erase(account, &password).await.map_err(|e| Stopped::Server(problems::manage(&e)))?;
    courses::forget();
    crate::takes::forget();
    crate::takes::clear_audio().await.map_err(Stopped::Device)?;
    if device_too {
        log_store::clear().await.map_err(|e| Stopped::Device(e.to_string()))?;
        crate::measures::forget();
        sync::forget();
    }
    Ok(())
}

#[component]
pub fn ServerData() -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    let text = move |key| move || t(lang.get(), key);
    let export = Action::new_local(move |_: &()| async move {
        let json =
            account::export().await.map_err(|e| t(lang.get_untracked(), problems::manage(&e)).to_owned())?;
        download(&json, "stille-account.json")
    });
    let export_problem = move || export.value().get().and_then(Result::err);
    let (password, confirmed, device_too) =
        (RwSignal::new(String::new()), RwSignal::new(false), RwSignal::new(true));
    let navigate = use_navigate();
    // Erasing signs out, which replaces this page: the action itself goes home.
    let gone = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        let (password, confirmed, device_too) =
            (password.get_untracked(), confirmed.get_untracked(), device_too.get_untracked());
        async move {
            let done = erase(account, password, confirmed, device_too).await;
            if done.is_ok() {
                navigate("/", Default::default());
            }
            done
        }
    });
    let erase_problem = move || {
        let lang = lang.get();
        match gone.value().get()? {
            Err(Stopped::NotConfirmed) => Some(t(lang, Key::ManageEraseNeedsConfirm).to_owned()),
            Err(Stopped::Server(key)) => Some(t(lang, key).to_owned()),
            Err(Stopped::Device(reason)) => Some(reason),
            Ok(()) => None,
        }
    };
    view! {
        <h2>{text(Key::ManageDataHeading)}</h2>
        <p class="quiet">{text(Key::ManageExportHelp)}</p>
        <button type="button" class="button export-account" disabled=move || export.pending().get()
            on:click=move |_| { export.dispatch(()); }>{text(Key::ManageExport)}</button>
        <p class="form-problem" role="alert">{export_problem}</p>
        <h3>{text(Key::ManageEraseHeading)}</h3>
        <p>{text(Key::ManageEraseHelp)}</p>
        <form class="account-form erase-form" novalidate on:submit=move |ev| { ev.prevent_default(); gone.dispatch(()); }>
            <label for="erase-password">{text(Key::AccountPassword)}</label>
            <input id="erase-password" type="password" autocomplete="current-password" required
                prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
            <label class="check">
                <input type="checkbox" class="erase-confirm" prop:checked=move || confirmed.get()
                    on:change=move |ev| confirmed.set(event_target_checked(&ev))/>
                " " {text(Key::ManageEraseConfirm)}
            </label>
            <label class="check">
                <input type="checkbox" prop:checked=move || device_too.get()
                    on:change=move |ev| device_too.set(event_target_checked(&ev))/>
                " " {text(Key::ManageEraseDevice)}
            </label>
            <p class="form-problem" role="alert">{erase_problem}</p>
            <button type="submit" class="button danger erase-account" disabled=move || gone.pending().get()>
                {text(Key::ManageEraseButton)}
            </button>
        </form>
    }
}

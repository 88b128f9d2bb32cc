//! Passkeys on the account page: signing in with one (signed out), and
//! making, listing and removing them (signed in). The logic and the words
//! for each refusal are in [`crate::passkeys`].

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use stille_practice::api::Passkey;

use crate::account::use_account;
use crate::format::local_day;
use crate::i18n::{Key, t, use_lang};
use crate::passkeys;

/// "Sign in with a passkey", under the password form; then on to `next`.
#[component]
pub fn PasskeySignIn(next: String) -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    let navigate = use_navigate();
    let sign_in = Action::new_local(move |_: &()| {
        let (navigate, next) = (navigate.clone(), next.clone());
        async move {
            let done = passkeys::sign_in(account).await;
            if done.is_ok() {
                navigate(&next, Default::default());
            }
            done.map(|_| ())
        }
    });
    let problem =
        move || sign_in.value().get().and_then(Result::err).map(|e| t(lang.get(), passkeys::problem(&e)));
    passkeys::supported().then(|| {
        view! {
            <div class="passkey-sign-in">
                <button type="button" class="button passkey-sign-in-button" disabled=move || sign_in.pending().get()
                    on:click=move |_| { sign_in.dispatch(()); }>
                    {move || t(lang.get(), Key::PasskeySignIn)}
                </button>
                <p class="form-problem" role="alert">{problem}</p>
            </div>
        }
    })
}

/// The account's passkeys: what they are, the list, and making one here.
/// `added` is notified when one is made (this session is then two-step).
#[component]
pub fn PasskeysSection(added: Trigger) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let list = LocalResource::new(passkeys::list);
    let password = RwSignal::new(String::new());
    let agent = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    let name = RwSignal::new(passkeys::device_name(&agent).to_owned());
    let add = Action::new_local(move |(password, name): &(String, String)| {
        let (password, name) = (password.clone(), name.clone());
        async move { passkeys::add(&password, &name).await }
    });
    let remove = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move { passkeys::remove(&id).await }
    });
    Effect::new(move || {
        // Both read each time, so each stays a reason to run again.
        let made = add.value().with(|v| matches!(v, Some(Ok(_))));
        let removed = remove.value().with(|v| matches!(v, Some(Ok(()))));
        if made || removed {
            password.set(String::new());
            list.refetch();
        }
        if made {
            added.notify();
        }
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !add.pending().get_untracked() {
            add.dispatch((password.get_untracked(), name.get_untracked()));
        }
    };
    let problem =
        move || add.value().get().and_then(Result::err).map(|e| t(lang.get(), passkeys::problem(&e)));
    let added = move || matches!(add.value().get(), Some(Ok(_)));
    let remove_problem = move || {
        remove.value().get().and_then(Result::err).map(|e| t(lang.get(), crate::problems::manage(&e)))
    };
    let row = move |key: Passkey| {
        let lang = lang.get();
        let made = local_day(key.created_at_ms, crate::log_store::utc_offset_minutes());
        let used = key.last_used_ms.map(|ms| local_day(ms, crate::log_store::utc_offset_minutes()));
        let label = format!("{} {}", t(lang, Key::PasskeyRemove), key.name);
        let id = key.id.clone();
        view! {
            <li class="device passkey">
                <span class="device-name passkey-name">{key.name.clone()}</span>
                <span class="quiet">
                    {format!("{} {}", t(lang, Key::PasskeyMade), crate::format::meeting_text(made, None, None, lang))}
                    {used.map(|day| format!(" · {} {}", t(lang, Key::PasskeyUsed),
                        crate::format::meeting_text(day, None, None, lang)))}
                    {key.synced.then(|| format!(" · {}", t(lang, Key::PasskeySynced)))}
                </span>
                <button type="button" class="button passkey-remove" aria-label=label
                    disabled=move || remove.pending().get()
                    on:click=move |_| { remove.dispatch(id.clone()); }>{t(lang, Key::PasskeyRemove)}</button>
            </li>
        }
    };
    let keys = move || {
        let keys = list.get()?.ok()?;
        Some(if keys.is_empty() {
            view! { <p class="quiet passkeys-none">{t(lang.get(), Key::PasskeyNone)}</p> }.into_any()
        } else {
            view! { <ul class="devices passkeys">{keys.into_iter().map(row).collect_view()}</ul> }.into_any()
        })
    };
    view! {
        <section class="passkeys-section" aria-labelledby="passkeys-heading">
            <h2 id="passkeys-heading">{text(Key::PasskeyHeading)}</h2>
            <p>{text(Key::PasskeyWhy)}</p>
            {keys}
            <p class="form-problem" role="alert">{remove_problem}</p>
            <Show when=added>
                <p class="passkey-added" role="status">{text(Key::PasskeyAdded)}</p>
            </Show>
            <Show when=passkeys::supported fallback=move || view! { <p class="quiet">{text(Key::PasskeyUnsupported)}</p> }>
                <form class="account-form passkey-add" novalidate on:submit=send>
                    <label for="passkey-name">{text(Key::PasskeyName)}</label>
                    <input id="passkey-name" type="text" maxlength="80" required
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    <label for="passkey-password">{text(Key::AccountPassword)}</label>
                    <input id="passkey-password" type="password" autocomplete="current-password" required
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                    <p class="form-problem" role="alert">{problem}</p>
                    <button type="submit" class="button passkey-add-button" disabled=move || add.pending().get()>
                        {text(Key::PasskeyAdd)}
                    </button>
                </form>
            </Show>
        </section>
    }
}

//! `/reset#<secret>`: choosing a new password with a one-time link from one's
//! instructor or the server's administrator. The secret is in the fragment,
//! which the browser never sends to a server; it is read once and the
//! fragment cleared from the address bar, so it is not left in the history.

use leptos::prelude::*;

use crate::account;
use crate::guards::link_secret;
use crate::i18n::{Key, t, use_lang};
use crate::problems;

#[component]
pub fn ResetPage() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let location = window().location();
    let secret = link_secret(&location.hash().unwrap_or_default());
    if secret.is_some()
        && let Ok(history) = window().history()
    {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/reset"));
    }
    let password = RwSignal::new(String::new());
    let save = Action::new_local(move |(secret, password): &(String, String)| {
        let (secret, password) = (secret.clone(), password.clone());
        async move { account::complete_reset(&secret, &password).await }
    });
    let problem =
        move || save.value().get().and_then(Result::err).map(|e| t(lang.get(), problems::manage(&e)));
    let done = move || matches!(save.value().get(), Some(Ok(())));
    let form = match secret {
        None => view! { <p role="alert">{text(Key::ResetNoToken)}</p> }.into_any(),
        Some(secret) => {
            let send = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                save.dispatch((secret.clone(), password.get_untracked()));
            };
            view! {
                <Show when=done fallback=move || view! {
                    <p>{text(Key::ResetIntro)}</p>
                    <form class="account-form reset-form" novalidate on:submit=send.clone()>
                        <label for="reset-password">{text(Key::ManageNewPassword)}</label>
                        <input id="reset-password" type="password" autocomplete="new-password" required minlength="8"
                            aria-describedby="reset-password-help"
                            prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                        <p id="reset-password-help" class="quiet">{text(Key::ManagePasswordHelp)}</p>
                        <p class="form-problem" role="alert">{problem}</p>
                        <button type="submit" class="button primary reset-save" disabled=move || save.pending().get()>
                            {text(Key::ResetSave)}
                        </button>
                    </form>
                }>
                    <p class="reset-done" role="status">{text(Key::ResetDone)}</p>
                    <p><a class="button primary" href="/account">{text(Key::ResetGoSignIn)}</a></p>
                </Show>
            }
            .into_any()
        }
    };
    view! {
        <section class="reset" aria-labelledby="reset-heading">
            <h1 id="reset-heading">{text(Key::ResetHeading)}</h1>
            {form}
        </section>
    }
}

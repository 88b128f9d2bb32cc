//! `/welcome#<secret>`: finishing a sign-up with the link a server that sends
//! mail sent to the address. The secret is in the fragment, which the browser
//! never sends to a server; it is read once and cleared from the address
//! bar. The account is made on a tap, not on opening: a mail program that
//! opens links to check them makes nothing.

use leptos::prelude::*;
use stille_practice::api::ErrorCode;

use crate::account;
use crate::api::ApiError;
use crate::guards::link_secret;
use crate::i18n::{Key, t, use_lang};
use crate::problems;

/// What an error finishing the sign-up means to the person.
fn problem(error: &ApiError) -> Key {
    match error.code() {
        Some(ErrorCode::NotFound) => Key::WelcomeLinkInvalid,
        Some(ErrorCode::Conflict) => Key::WelcomeTaken,
        _ => problems::manage(error),
    }
}

#[component]
pub fn WelcomePage() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let location = window().location();
    let secret = link_secret(&location.hash().unwrap_or_default());
    if secret.is_some()
        && let Ok(history) = window().history()
    {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/welcome"));
    }
    let finish = Action::new_local(move |secret: &String| {
        let secret = secret.clone();
        async move { account::confirm_sign_up(&secret).await }
    });
    let failed = move || finish.value().get().and_then(Result::err).map(|e| t(lang.get(), problem(&e)));
    let done = move || matches!(finish.value().get(), Some(Ok(_)));
    let body = match secret {
        None => view! { <p role="alert">{text(Key::ResetNoToken)}</p> }.into_any(),
        Some(secret) => view! {
            <Show when=done fallback=move || {
                let secret = secret.clone();
                view! {
                    <p>{text(Key::WelcomeIntro)}</p>
                    <p class="form-problem" role="alert">{failed}</p>
                    <button type="button" class="button primary welcome-finish"
                        disabled=move || finish.pending().get()
                        on:click=move |_| { finish.dispatch(secret.clone()); }>
                        {text(Key::WelcomeFinish)}
                    </button>
                }
            }>
                <p class="welcome-done" role="status">{text(Key::WelcomeDone)}</p>
                <p><a class="button primary" href="/account">{text(Key::ResetGoSignIn)}</a></p>
            </Show>
        }
        .into_any(),
    };
    view! {
        <section class="welcome" aria-labelledby="welcome-heading">
            <h1 id="welcome-heading">{text(Key::WelcomeHeading)}</h1>
            {body}
        </section>
    }
}

//! Two-step sign-in: setting up an authenticator app (the password, then a
//! QR code or the secret as text, then a code from the app), and whether it
//! is on. Instructors need it to teach on a server that requires it.

use leptos::prelude::*;
use stille_practice::api::{TwoStep, TwoStepSetup};

use crate::account;
use crate::i18n::{Key, t, use_lang};
use crate::problems;

/// The secret in groups of four, easier to type into an app.
fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).filter_map(|c| std::str::from_utf8(c).ok()).collect::<Vec<_>>().join(" ")
}

/// `changed` is notified when something else on the page changed the
/// answer (a passkey made here counts as both steps).
#[component]
pub fn TwoStepSection(changed: Trigger) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let state = LocalResource::new(move || {
        changed.track();
        async { account::me().await.map(|me| me.two_step) }
    });
    let turned_on = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let start = Action::new_local(move |password: &String| {
        let password = password.clone();
        async move { account::start_two_step(&password).await }
    });
    let confirm = Action::new_local(move |code: &String| {
        let code = code.clone();
        async move { account::confirm_two_step(&code).await }
    });
    Effect::new(move || {
        if matches!(confirm.value().get(), Some(Ok(()))) {
            turned_on.set(true);
        }
    });
    let setup = move || start.value().get().and_then(Result::ok);
    let start_problem =
        move || start.value().get().and_then(Result::err).map(|e| t(lang.get(), problems::manage(&e)));
    let confirm_problem =
        move || confirm.value().get().and_then(Result::err).map(|e| t(lang.get(), problems::manage(&e)));
    let send_password = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        start.dispatch(password.get_untracked());
    };
    let send_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        confirm.dispatch(code.get_untracked());
    };
    let on = move || turned_on.get() || state.get().and_then(Result::ok).is_some_and(|s: TwoStep| s.on);
    let required =
        move || state.get().and_then(Result::ok).is_some_and(|s: TwoStep| s.required && !s.this_session);
    let set_up_view = move |setup: TwoStepSetup| {
        let lang = lang.get_untracked();
        view! {
            <p>{t(lang, Key::TwoStepScan)}</p>
            {crate::qr::qr_path(&setup.uri).map(|(size, path)| view! {
                <svg class="two-step-qr" role="img" aria-label=t(lang, Key::TwoStepQr)
                    viewBox=format!("0 0 {size} {size}") width="192" height="192">
                    <rect width=size.to_string() height=size.to_string() fill="#fff"/>
                    <path d=path fill="#000"/>
                </svg>
            })}
            // On the phone that has the app, a QR code on its own screen
            // cannot be scanned: the link opens the app with the key.
            <p><a class="two-step-open" href=setup.uri.clone()>{t(lang, Key::TwoStepOpenHere)}</a></p>
            <p>{t(lang, Key::TwoStepOrType)} " " <code class="two-step-secret">{grouped(&setup.secret)}</code></p>
            <form class="account-form two-step-confirm" novalidate on:submit=send_code>
                <label for="two-step-code">{t(lang, Key::AccountCode)}</label>
                <input id="two-step-code" type="text" inputmode="numeric" autocomplete="one-time-code"
                    maxlength="7" required
                    prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                <p class="form-problem" role="alert">{confirm_problem}</p>
                <button type="submit" class="button primary two-step-on" disabled=move || confirm.pending().get()>
                    {t(lang, Key::TwoStepTurnOn)}
                </button>
            </form>
        }
    };
    view! {
        <section class="two-step" aria-labelledby="two-step-heading">
            <h2 id="two-step-heading">{text(Key::TwoStepHeading)}</h2>
            <Show when=on fallback=move || view! {
                <p>{text(Key::TwoStepWhy)}</p>
                <Show when=required>
                    <p class="two-step-needed" role="alert">{text(Key::TwoStepNeeded)}</p>
                </Show>
                {move || match setup() {
                    Some(setup) => set_up_view(setup).into_any(),
                    None => view! {
                        <form class="account-form two-step-start" novalidate on:submit=send_password>
                            <label for="two-step-password">{text(Key::AccountPassword)}</label>
                            <input id="two-step-password" type="password" autocomplete="current-password" required
                                prop:value=move || password.get()
                                on:input=move |ev| password.set(event_target_value(&ev))/>
                            <p class="form-problem" role="alert">{start_problem}</p>
                            <button type="submit" class="button two-step-start-button"
                                disabled=move || start.pending().get()>
                                {text(Key::TwoStepSetUp)}
                            </button>
                        </form>
                    }
                    .into_any(),
                }}
            }>
                <p class="two-step-is-on" role="status">{text(Key::TwoStepIsOn)}</p>
            </Show>
        </section>
    }
}

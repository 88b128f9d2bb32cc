//! `/account`: signing in or up (never needed to practise), and when signed
//! in ([`signed_in`]): who, whether this device is in step with the account,
//! the courses joined ([`courses`]), and signing out.

mod courses;
mod data;
mod devices;
mod passkeys;
mod profile;
mod signed_in;
mod two_step;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use stille_practice::api::CheckEmail;

use crate::account::{self, Account, SignInError, SignedUp, use_account};
use crate::guards::next_path;
use crate::i18n::{Key, t, use_lang};
use crate::problems;

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    // Which page, by who is signed in: a new name for the same person keeps
    // the page (and what its forms just said).
    let who = Memo::new(move |_| match account.get() {
        Account::Checking => None,
        Account::SignedOut => Some(None),
        Account::SignedIn { user, .. } => Some(Some(user.id)),
    });
    view! {
        <section class="account" aria-labelledby="account-heading">
            <h1 id="account-heading">{move || t(lang.get(), Key::AccountHeading)}</h1>
            {move || match who.get() {
                None => view! { <p class="quiet" role="status">"…"</p> }.into_any(),
                Some(None) => view! { <SignedOut/> }.into_any(),
                Some(Some(_)) => match account.get_untracked() {
                    Account::SignedIn { user, .. } => view! { <signed_in::SignedIn user=user/> }.into_any(),
                    _ => ().into_any(),
                },
            }}
        </section>
    }
}

/// What the sign-in and sign-up form sends.
#[derive(Clone, Debug)]
struct Credentials {
    new_account: bool,
    name: String,
    email: String,
    password: String,
    /// From the authenticator app, once the server asked for it.
    code: Option<String>,
}

#[component]
fn SignedOut() -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    let text = move |key| move || t(lang.get(), key);
    let navigate = use_navigate();
    let (next, asked_new) =
        use_query_map().with_untracked(|q| (next_path(q.get("next")), q.get("new").as_deref() == Some("1")));
    let new_account = RwSignal::new(asked_new);
    let passkey_next = StoredValue::new(next.clone());
    // Come from an invite: the course being joined stays named here.
    let joining = next.strip_prefix("/join/").map(str::to_owned).filter(|code| !code.is_empty());
    let course = LocalResource::new(move || {
        let code = joining.clone();
        async move { crate::courses::preview(&code?).await.ok().map(|p| p.title) }
    });
    let joining_line = move || {
        course.get().flatten().map(|title| {
            view! { <p class="account-joining">{t(lang.get(), Key::AccountJoining)} " " <strong>{title}</strong></p> }
        })
    };
    let (name, email, password) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let code = RwSignal::new(String::new());
    // Signing in replaces this form with the signed-in page, so the action
    // itself goes on to `next` (an effect here would be gone by then).
    let submit = Action::new_local(move |form: &Credentials| {
        let (form, navigate, next) = (form.clone(), navigate.clone(), next.clone());
        async move {
            let (email, name) = (form.email.trim(), form.name.trim());
            let done = if form.new_account {
                account::sign_up(account, email, &form.password, name).await.map(
                    |signed_up| match signed_up {
                        SignedUp::In(_) => None,
                        SignedUp::CheckEmail(check) => Some(check),
                    },
                )
            } else {
                account::sign_in_with_code(account, email, &form.password, form.code).await.map(|_| None)
            };
            if matches!(done, Ok(None)) {
                navigate(&next, Default::default());
            }
            done
        }
    });
    let choose = move |new: bool| {
        new_account.set(new);
        submit.value().set(None);
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !submit.pending().get_untracked() {
            submit.dispatch(Credentials {
                new_account: new_account.get_untracked(),
                name: name.get_untracked(),
                email: email.get_untracked(),
                password: password.get_untracked(),
                code: Some(code.get_untracked()).filter(|c| !c.trim().is_empty()),
            });
        }
    };
    // The server asks for a code only after a right password: from then
    // on the form has the code's field.
    let needs_code = Memo::new(move |before: Option<&bool>| {
        before.copied().unwrap_or(false)
            || matches!(submit.value().get(), Some(Err(SignInError::Api(ref e))) if e.field() == Some("one_time_code"))
    });
    let problem = move || {
        submit.value().get().and_then(Result::err).map(|e| match &e {
            SignInError::Api(api)
                if api.field() == Some("one_time_code") && code.get_untracked().trim().is_empty() =>
            {
                t(lang.get(), Key::AccountCodeNeeded)
            }
            _ => t(lang.get(), problems::sign_in(&e)),
        })
    };
    let input = move |signal: RwSignal<String>| move |ev| signal.set(event_target_value(&ev));
    let mailed = move || submit.value().get().and_then(Result::ok).flatten();
    view! {
        <Show when=move || mailed().is_none() fallback=move || view! { <CheckEmailPanel check=mailed/> }>
        {joining_line}
        <p>{text(Key::AccountWhy)}</p>
        <div class="account-mode" role="group" aria-label=text(Key::AccountHeading)>
            <button type="button" class="button" aria-pressed=move || (!new_account.get()).to_string()
                on:click=move |_| choose(false)>{text(Key::AccountSignIn)}</button>
            <button type="button" class="button" aria-pressed=move || new_account.get().to_string()
                on:click=move |_| choose(true)>{text(Key::AccountCreate)}</button>
        </div>
        <form class="account-form" novalidate on:submit=send>
            <Show when=move || new_account.get()>
                <label for="account-name">{text(Key::AccountName)}</label>
                <input id="account-name" type="text" autocomplete="nickname" maxlength="60" required
                    aria-describedby="account-name-help" prop:value=move || name.get() on:input=input(name)/>
                <p id="account-name-help" class="quiet">{text(Key::AccountNameHelp)}</p>
            </Show>
            <label for="account-email">{text(Key::AccountEmail)}</label>
            <input id="account-email" type="email" autocomplete="email" required
                prop:value=move || email.get() on:input=input(email)/>
            <label for="account-password">{text(Key::AccountPassword)}</label>
            <input id="account-password" type="password" required aria-describedby="account-password-help"
                autocomplete=move || if new_account.get() { "new-password" } else { "current-password" }
                prop:value=move || password.get() on:input=input(password)/>
            // The rule before anyone breaks it.
            <p id="account-password-help" class="quiet" hidden=move || !new_account.get()>{text(Key::ManagePasswordHelpNew)}</p>
            <Show when=move || needs_code.get() && !new_account.get()>
                <label for="account-code">{text(Key::AccountCode)}</label>
                <input id="account-code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="7"
                    prop:value=move || code.get() on:input=input(code)/>
            </Show>
            <p class="form-problem" role="alert">{problem}</p>
            <button type="submit" class="button primary account-submit" disabled=move || submit.pending().get()>
                {move || t(lang.get(), if new_account.get() { Key::AccountCreate } else { Key::AccountSignIn })}
            </button>
        </form>
        <Show when=move || !new_account.get()>
            <passkeys::PasskeySignIn next=passkey_next.get_value()/>
            <Forgot/>
        </Show>
        </Show>
    }
}

/// After a sign-up on a server that sends mail: where the link went.
#[component]
fn CheckEmailPanel(check: impl Fn() -> Option<CheckEmail> + Send + Sync + 'static) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    view! {
        <div class="check-email" role="status">
            <h2>{text(Key::CheckEmailHeading)}</h2>
            <p>{text(Key::CheckEmailSentTo)} " " <strong>{move || check().map(|c| c.email)}</strong>"."</p>
            <p>{text(Key::CheckEmailSignUp)}</p>
            <p class="quiet">{text(Key::CheckEmailNothing)}</p>
        </div>
    }
}

/// "Forgot your password?": a link by mail when the server sends mail, and
/// always the way through one's instructor.
#[component]
fn Forgot() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let sends_mail = LocalResource::new(account::server_sends_mail);
    let email = RwSignal::new(String::new());
    let ask = Action::new_local(move |email: &String| {
        let email = email.clone();
        async move { account::request_reset(email.trim()).await }
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !ask.pending().get_untracked() {
            ask.dispatch(email.get_untracked());
        }
    };
    let problem =
        move || ask.value().get().and_then(Result::err).map(|e| t(lang.get(), problems::account(&e)));
    let sent = move || matches!(ask.value().get(), Some(Ok(_)));
    view! {
        <details class="forgot">
            <summary>{text(Key::ForgotSummary)}</summary>
            {move || match sends_mail.get() {
                Some(true) => view! {
                    <Show when=sent fallback=move || view! {
                        <form class="account-form forgot-form" novalidate on:submit=send>
                            <p>{text(Key::ForgotMailIntro)}</p>
                            <label for="forgot-email">{text(Key::AccountEmail)}</label>
                            <input id="forgot-email" type="email" autocomplete="email" required
                                prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                            <p class="form-problem" role="alert">{problem}</p>
                            <button type="submit" class="button forgot-send" disabled=move || ask.pending().get()>
                                {text(Key::ForgotMailSend)}
                            </button>
                        </form>
                    }>
                        <p class="forgot-sent" role="status">{text(Key::ForgotMailSent)}</p>
                        <p class="quiet">{text(Key::CheckEmailNothing)}</p>
                    </Show>
                    <p class="quiet">{text(Key::ForgotOrInstructor)}</p>
                }
                .into_any(),
                _ => view! { <p>{text(Key::ForgotBody)}</p> }.into_any(),
            }}
        </details>
    }
}

//! The account page when signed in: who, the sync state, the way to teaching
//! for instructors, adopting this device's records when they were synced
//! with another account, and signing out (optionally removing this device's
//! copy, never losing what is not synced without a second press).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::account::{self, use_account};
use crate::i18n::{Key, t, use_lang};
use crate::sync::{self, Status, status_text, use_status};
use crate::{courses, log_store, problems};

/// Why signing out stopped.
#[derive(Clone, Debug, PartialEq)]
enum Failed {
    /// The server's answer, in words.
    Server(crate::i18n::Key),
    /// This device's storage.
    Device(String),
}

impl From<crate::i18n::Key> for Failed {
    fn from(key: crate::i18n::Key) -> Failed {
        Failed::Server(key)
    }
}

/// Signs out and, if asked, removes this device's copy; Ok(false) when the
/// first press only warns that changes are not synced yet.
async fn sign_out(
    account: RwSignal<account::Account>,
    remove_copy: bool,
    warned: bool,
) -> Result<bool, Failed> {
    let unsynced = log_store::pending().await.map(|p| p.len()).unwrap_or(0);
    if remove_copy && unsynced > 0 && !warned {
        return Ok(false);
    }
    account::sign_out(account).await.map_err(|e| problems::account(&e))?;
    courses::forget();
    crate::takes::forget();
    // The courses' recordings are the account's to hear, not the phone's.
    crate::takes::clear_audio().await.map_err(Failed::Device)?;
    if remove_copy {
        log_store::clear().await.map_err(|e| Failed::Device(e.to_string()))?;
        crate::measures::forget();
        sync::forget();
    }
    Ok(true)
}

#[component]
pub fn SignedIn(user: account::User) -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    let status = use_status();
    let text = move |key| move || t(lang.get(), key);
    // A shared phone must not show the last person's notes: removing this
    // device's copy is what signing out does unless the box is unticked.
    let remove_copy = RwSignal::new(true);
    // Unsynced changes and the box ticked: the first press only warns.
    let warned = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    // Signing out replaces this page, so the action itself goes home.
    let leave = Action::new_local(move |&(remove, warned): &(bool, bool)| {
        let navigate = navigate.clone();
        async move {
            let done = sign_out(account, remove, warned).await;
            if done == Ok(true) {
                navigate("/", Default::default());
            }
            done
        }
    });
    Effect::new(move || match leave.value().get() {
        Some(Ok(false)) => warned.set(true),
        Some(Err(Failed::Server(key))) => problem.set(Some(t(lang.get_untracked(), key).to_owned())),
        Some(Err(Failed::Device(reason))) => problem.set(Some(reason)),
        Some(Ok(true)) | None => {}
    });
    let adopt = Action::new_local(|_: &()| async {
        log_store::clear().await.map(|()| {
            crate::measures::forget();
            sync::forget();
            sync::run_now();
        })
    });
    let adopt_problem = move || adopt.value().get().and_then(Result::err).map(|e| e.to_string());
    // A passkey made here makes this session a two-step one: the two-step
    // section asks the server again instead of still saying it is needed.
    let two_step_changed = Trigger::new();
    view! {
        <p class="account-who">{text(Key::AccountSignedInAs)} " "
            <strong>{move || account.with(|a| a.user().map(|u| u.display_name.clone()))}</strong>
            " (" {user.email.clone()} ")"</p>
        <p class="sync-detail" role="status">{move || status_text(&status.get(), lang.get())}</p>
        {user.is_instructor().then(|| view! {
            <p><a class="button primary teach-link" href="/teach">{text(Key::TeachHeading)}</a></p>
        })}
        <Show when=move || status.get() == Status::OtherOwner>
            <div class="other-owner">
                <p>{text(Key::AccountOtherOwner)}</p>
                <button type="button" class="button adopt" on:click=move |_| { adopt.dispatch(()); }>{text(Key::AccountAdopt)}</button>
            </div>
        </Show>
        <button type="button" class="button sync-now" on:click=move |_| sync::run_now()>{text(Key::AccountSyncNow)}</button>
        <super::courses::MyCourses/>
        <super::profile::LastResetNotice/>
        <super::profile::Name current=user.display_name.clone()/>
        <super::profile::Password/>
        <super::devices::Devices/>
        <super::two_step::TwoStepSection changed=two_step_changed/>
        <super::passkeys::PasskeysSection added=two_step_changed/>
        <h2>{text(Key::AccountSignOut)}</h2>
        <label class="check">
            <input type="checkbox" prop:checked=move || remove_copy.get()
                on:change=move |ev| { remove_copy.set(event_target_checked(&ev)); warned.set(false); }/>
            " " {text(Key::AccountRemoveCopy)}
        </label>
        <p class="form-problem" role="alert">
            {move || warned.get().then(|| t(lang.get(), Key::AccountUnsyncedWarning))}
            {move || problem.get()}
            {adopt_problem}
        </p>
        <button type="button" class="button sign-out"
            on:click=move |_| { leave.dispatch((remove_copy.get_untracked(), warned.get_untracked())); }>
            {move || t(lang.get(), if warned.get() { Key::AccountSignOutAnyway } else { Key::AccountSignOut })}
        </button>
        <super::data::ServerData/>
    }
}

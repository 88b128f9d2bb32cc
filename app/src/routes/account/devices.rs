//! Where the account is signed in: each phone or browser with when it was
//! last used, a way to sign one out (a lost phone), and to sign out
//! everywhere but here.

use leptos::prelude::*;
use stille_practice::api::SessionInfo;

use crate::account;
use crate::format::moment;
use crate::i18n::{Key, t, use_lang};
use crate::log_store::utc_offset_minutes;
use crate::problems;

#[component]
pub fn Devices() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let list = LocalResource::new(account::sessions);
    let end = Action::new_local(move |id: &Option<String>| {
        let id = id.clone();
        async move {
            let done = match id {
                Some(id) => account::end_session(id).await,
                None => account::end_other_sessions().await.map(drop),
            };
            list.refetch();
            done
        }
    });
    let problem =
        move || end.value().get().and_then(Result::err).map(|e| t(lang.get(), problems::manage(&e)));
    let rows = move || match list.get() {
        None => view! { <p class="quiet">"…"</p> }.into_any(),
        Some(Err(error)) => {
            view! { <p role="alert">{t(lang.get(), problems::manage(&error))}</p> }.into_any()
        }
        Some(Ok(sessions)) => {
            let others = sessions.sessions.iter().any(|s| !s.current);
            let items =
                sessions.sessions.into_iter().map(|s| view! { <Device session=s end=end/> }).collect_view();
            view! {
                <ul class="devices">{items}</ul>
                {others.then(|| view! {
                    <button type="button" class="button end-others" disabled=move || end.pending().get()
                        on:click=move |_| { end.dispatch(None); }>
                        {text(Key::ManageSignOutOthers)}
                    </button>
                })}
            }
            .into_any()
        }
    };
    view! {
        <h2>{text(Key::ManageSessionsHeading)}</h2>
        <Transition>{rows}</Transition>
        <p class="form-problem" role="alert">{problem}</p>
    }
}

/// One session: what it is, when it was last used, and a way to end it.
#[component]
fn Device(
    session: SessionInfo,
    end: Action<Option<String>, Result<(), crate::api::ApiError>>,
) -> impl IntoView {
    let lang = use_lang();
    let used = move || {
        let lang = lang.get();
        format!(
            "{} {}",
            t(lang, Key::ManageLastUsed),
            moment(session.last_seen_ms, utc_offset_minutes(), lang)
        )
    };
    let what = session.device.clone();
    let id = session.id.clone();
    let label = move || format!("{} – {}", t(lang.get(), Key::AccountSignOut), what);
    view! {
        <li class="device">
            <span class="device-name">
                {session.device.clone()}
                {session.current.then(|| view! { " · " <strong>{move || t(lang.get(), Key::ManageThisDevice)}</strong> })}
            </span>
            <span class="quiet">{used}</span>
            {(!session.current).then(|| view! {
                <button type="button" class="button end-session" aria-label=label
                    on:click=move |_| { end.dispatch(Some(id.clone())); }>
                    {move || t(lang.get(), Key::AccountSignOut)}
                </button>
            })}
        </li>
    }
}

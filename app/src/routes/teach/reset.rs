//! A one-time link for a participant who forgot their password, made by the
//! instructor in class: shown whole (to read out, send or open on the
//! participant's phone), with how long it works.

use leptos::prelude::*;

use crate::account;
use crate::format::moment;
use crate::i18n::{Key, t, use_lang};
use crate::log_store::utc_offset_minutes;
use crate::problems;

#[component]
pub fn ResetLinkButton(course: String, user_id: String) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let make = Action::new_local(move |_: &()| {
        let (course, user_id) = (course.clone(), user_id.clone());
        async move { account::member_reset_link(&course, &user_id).await }
    });
    let shown = move || match make.value().get()? {
        Ok(link) => {
            let origin = window().location().origin().unwrap_or_default();
            let url = format!("{origin}{}", link.path);
            let until = moment(link.expires_at_ms, utc_offset_minutes(), lang.get());
            Some(
                view! {
                    <div class="reset-link-box" role="status">
                        <p class="invite-link">{url}</p>
                        <p class="quiet">{format!("{} {until}", t(lang.get(), Key::TeachResetUntil))}</p>
                    </div>
                }
                .into_any(),
            )
        }
        Err(error) => {
            Some(view! { <p role="alert">{t(lang.get(), problems::manage(&error))}</p> }.into_any())
        }
    };
    view! {
        <p class="quiet">{text(Key::TeachResetHelp)}</p>
        <button type="button" class="button reset-link" disabled=move || make.pending().get()
            on:click=move |_| { make.dispatch(()); }>{text(Key::TeachResetLink)}</button>
        {shown}
    }
}

//! `/play/<id>?…`: a practice playing, full screen and quiet. The options
//! come from the address (`crate::session`), the timeline from the catalog;
//! [`playing`] is the screen while it plays, [`pacer`] the breathing circle.

mod pacer;
mod playing;
pub(crate) mod record;

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};
use stille_practice::{Catalog, compile};

use crate::details::WithDetails;
use crate::i18n::{Key, t, use_lang};
use crate::session::Choice;

#[component]
pub fn PlayerPage() -> impl IntoView {
    view! { <WithDetails view=player_view/> }
}

/// The player, once the whole catalog (with the practice's script) is here.
fn player_view(catalog: &'static Catalog) -> AnyView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    let Some(practice) = catalog.get(&id) else {
        return view! {
            <section class="player-missing">
                <h1>{text(Key::PracticeNotFound)}</h1>
                <p><A href="/practices">{text(Key::PracticeBack)}</A></p>
            </section>
        }
        .into_any();
    };
    let (choice, problems) =
        use_query_map().with_untracked(|q| Choice::from_query(practice, |key| q.get(key)));
    let location = use_location();
    let address = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
    // The language is fixed for a playing: the guidance must not switch mid-session.
    let session_lang = lang.get_untracked();
    match compile(practice, &choice.options(practice, session_lang)) {
        Ok(timeline) => view! {
            <playing::Playing practice=practice timeline=Rc::new(timeline) choice=choice problems=problems
                address=address session_lang=session_lang/>
        }
        .into_any(),
        Err(error) => view! {
            <section class="player-missing">
                <h1>{move || practice.title.get(lang.get()).to_owned()}</h1>
                <p role="alert">{error.to_string()}</p>
                <p><A href=format!("/practices/{}", practice.id)>{text(Key::PlayerBack)}</A></p>
            </section>
        }
        .into_any(),
    }
}

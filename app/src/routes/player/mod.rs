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
use std::collections::BTreeMap;

use stille_audio::{Config, Voice};
use stille_practice::api::Recording;
use stille_practice::{Catalog, Lang, Practice, compile};

use crate::details::WithDetails;
use crate::i18n::{Key, t, use_lang};
use crate::session::Choice;
use crate::settings::use_settings;

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
    // The teacher's voice, when one of the courses has all of its cues, or
    // else a voice published for everyone.
    let teacher = choice
        .wants_teacher(!use_settings().get_untracked().skip_teacher_voice)
        .then(|| crate::takes::voice_for(practice, session_lang))
        .flatten();
    if let Some((speaker, set)) = teacher {
        return view! {
            <Voiced practice=practice choice=choice problems=problems address=address session_lang=session_lang
                speaker=speaker set=set/>
        }
        .into_any();
    }
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

/// The player with the teacher's recorded voice: the cues fetched (from the
/// phone when kept) and decoded, the practice laid out around their real
/// lengths, each clip placed where its cue begins. Without room for them,
/// or when they cannot be had, the practice plays as written and says why.
#[component]
fn Voiced(
    practice: &'static Practice,
    choice: Choice,
    problems: Vec<String>,
    address: String,
    session_lang: Lang,
    speaker: crate::voice::Speaker,
    set: BTreeMap<usize, Recording>,
) -> impl IntoView {
    let lang = use_lang();
    let rate = Config::default().sample_rate;
    let loaded = LocalResource::new(move || {
        let set = set.clone();
        async move { crate::takes::voice_clips(&set, rate).await }
    });
    let options = choice.options(practice, session_lang);
    move || {
        let Some(clips) = loaded.get() else {
            return view! { <p class="quiet player-voice" role="status">{t(lang.get(), Key::PlayerVoiceLoading)}</p> }
                .into_any();
        };
        let mut problems = problems.clone();
        let unused = |why: String| format!("{}: {why}", t(lang.get_untracked(), Key::PlayerVoiceUnused));
        let voiced = clips.map_err(unused).and_then(|clips| {
            Voice::lay_out(practice, &options, clips, rate).map_err(|e| unused(e.to_string()))
        });
        let (timeline, voice) = match voiced {
            Ok((timeline, voice)) => (timeline, Some((speaker.clone(), voice))),
            Err(why) => {
                problems.push(why);
                match compile(practice, &options) {
                    Ok(timeline) => (timeline, None),
                    Err(error) => {
                        return view! { <p role="alert">{error.to_string()}</p> }.into_any();
                    }
                }
            }
        };
        view! {
            <playing::Playing practice=practice timeline=Rc::new(timeline) choice=choice.clone() problems=problems
                address=address.clone() session_lang=session_lang voice=voice/>
        }
        .into_any()
    }
}

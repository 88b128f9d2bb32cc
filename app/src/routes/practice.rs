use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use stille_audio::noise::Colour;
use stille_practice::log::{Ending, Entry};
use stille_practice::{BellSound, Eyes, Kind, catalog};

use crate::components::AfterPractice;
use crate::i18n::{Key, t, use_lang};
use crate::log_store;
use crate::session::{Choice, anchor_name, bell_name, intervals, lengths};
use crate::settings::use_settings;

pub fn bell_key(bell: BellSound) -> Key {
    match bell {
        BellSound::Bowl => Key::BellBowl,
        BellSound::TempleBell => Key::BellTemple,
        BellSound::Chime => Key::BellChime,
        BellSound::WoodKnock => Key::BellWood,
    }
}

/// `/practices/<id>`: what the practice is, where it comes from, and the
/// choices for this playing (length, anchor, eyes, bell, interval bells,
/// ambient sound, reading aloud); Start opens the player.
#[component]
pub fn PracticeDetail() -> impl IntoView {
    let lang = use_lang();
    let settings = use_settings();
    let params = use_params_map();
    let text = move |key| move || t(lang.get(), key);
    let id = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    let Some(practice) = catalog().get(&id) else {
        return view! {
            <section class="practice-detail">
                <h1>{text(Key::PracticeNotFound)}</h1>
                <p><A href="/practices">{text(Key::PracticeBack)}</A></p>
            </section>
        }
        .into_any();
    };
    let choice = RwSignal::new(Choice::defaults(practice));
    let navigate = use_navigate();
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        navigate(&format!("/play/{}?{}", practice.id, choice.get_untracked().query()), Default::default());
    };
    // Validation guarantees a script for every practice that is not informal;
    // the script itself arrives with the details, fetched now so Start finds it.
    let playable = practice.kind != Kind::Informal;
    if playable {
        crate::details::prefetch();
    }

    let length_options = lengths(practice)
        .into_iter()
        .map(|m| view! { <option value=m.to_string() selected=move || choice.get().minutes == m>{format!("{m} min")}</option> })
        .collect_view();
    let anchors = (practice.anchors.len() > 1).then(|| {
        let radios = practice
            .anchors
            .iter()
            .enumerate()
            .map(|(i, &anchor)| {
                let checked = move || choice.get().anchor.unwrap_or(practice.anchors[0]) == anchor;
                view! {
                    <label>
                        <input type="radio" name="anchor" value=anchor_name(anchor) prop:checked=checked
                            on:change=move |_| choice.update(|c| c.anchor = (i > 0).then_some(anchor))/>
                        " " {move || anchor.phrase(lang.get()).to_owned()}
                    </label>
                }
            })
            .collect_view();
        view! { <fieldset class="option-anchor"><legend>{text(Key::PracticeAnchor)}</legend>{radios}</fieldset> }
    });
    let eyes = [(Eyes::Closed, Key::PracticeEyesClosed), (Eyes::Open, Key::PracticeEyesOpen)]
        .into_iter()
        .map(|(eyes, key)| {
            view! {
                <label>
                    <input type="radio" name="eyes" prop:checked=move || choice.get().eyes == eyes
                        on:change=move |_| choice.update(|c| c.eyes = eyes)/>
                    " " {text(key)}
                </label>
            }
        })
        .collect_view();
    let bells = BellSound::ALL
        .into_iter()
        .map(|bell| view! { <option value=bell_name(bell) selected=move || choice.get().bell == bell>{text(bell_key(bell))}</option> })
        .collect_view();
    let set_bell = move |ev| {
        let value = event_target_value(&ev);
        if let Some(bell) = BellSound::ALL.into_iter().find(|b| bell_name(*b) == value) {
            choice.update(|c| c.bell = bell);
        }
    };
    let interval = move || {
        let offered = intervals(practice, choice.get().minutes);
        (!offered.is_empty()).then(|| {
            let options = offered
                .into_iter()
                .map(|every| {
                    view! {
                        <option value=every.to_string() selected=move || choice.get().interval_minutes == Some(every)>
                            {move || format!("{} {every} min", t(lang.get(), Key::PracticeIntervalEvery))}
                        </option>
                    }
                })
                .collect_view();
            view! {
                <label for="interval">{text(Key::PracticeInterval)}</label>
                <select id="interval" on:change=move |ev| {
                    let every = event_target_value(&ev).parse::<u16>().ok();
                    choice.update(|c| c.interval_minutes = every);
                }>
                    <option value="" selected=move || choice.get().interval_minutes.is_none()>{text(Key::PracticeIntervalNone)}</option>
                    {options}
                </select>
            }
        })
    };
    let ambient = [
        (None, Key::AmbientNone),
        (Some(Colour::Pink), Key::AmbientPink),
        (Some(Colour::Brown), Key::AmbientBrown),
    ]
    .into_iter()
    .map(|(colour, key)| {
        let value = match colour {
            None => "",
            Some(Colour::Pink) => "pink",
            Some(Colour::Brown) => "brown",
        };
        view! { <option value=value selected=move || choice.get().ambient == colour>{text(key)}</option> }
    })
    .collect_view();
    let set_ambient = move |ev| {
        let colour = match event_target_value(&ev).as_str() {
            "pink" => Some(Colour::Pink),
            "brown" => Some(Colour::Brown),
            _ => None,
        };
        choice.update(|c| c.ambient = colour);
    };
    let prompts = practice
        .prompts
        .iter()
        .map(|p| view! { <li>{move || p.get(lang.get()).to_owned()}</li> })
        .collect_view();
    // Informal practice is done in daily life and logged here afterwards: one
    // tap writes the entry, then the close offers a check-in and a note (for
    // the prompts' answers).
    let logged = RwSignal::new(None::<Result<String, String>>);
    let log_it = move |_| {
        let now = js_sys::Date::now() as i64;
        let length_ms = u32::from(practice.default_minutes) * 60_000;
        let mut entry = Entry::start(
            log_store::new_id(),
            practice.id.clone(),
            now,
            log_store::utc_offset_minutes(),
            length_ms,
            lang.get_untracked(),
        );
        entry.practised_ms = length_ms;
        entry.ending = Some(Ending::Completed);
        leptos::task::spawn_local(async move {
            let saved = log_store::save(&entry).await.map(|()| entry.id.clone()).map_err(|e| e.to_string());
            logged.set(Some(saved));
        });
    };
    let back = format!("/practices/{}", practice.id);
    let evidence = practice
        .evidence_note
        .as_ref()
        .map(|note| view! { <p class="quiet">{move || note.get(lang.get()).to_owned()}</p> });

    view! {
        <article class="practice-detail" aria-labelledby="practice-heading">
            <p class="back"><A href="/practices">{text(Key::PracticeBack)}</A></p>
            <h1 id="practice-heading">{move || practice.title.get(lang.get()).to_owned()}</h1>
            <p class="lead">{move || practice.summary.get(lang.get()).to_owned()}</p>
            {if playable {
                view! {
                    <form class="practice-options" on:submit=start>
                        <label for="length">{text(Key::PracticeLength)}</label>
                        <select id="length" on:change=move |ev| {
                            if let Ok(m) = event_target_value(&ev).parse::<u16>() {
                                choice.update(|c| {
                                    c.minutes = m;
                                    // An interval that no longer fits is dropped.
                                    if c.interval_minutes.is_some_and(|every| every >= m) {
                                        c.interval_minutes = None;
                                    }
                                });
                            }
                        }>{length_options}</select>
                        {anchors}
                        <fieldset class="option-eyes"><legend>{text(Key::PracticeEyes)}</legend>{eyes}</fieldset>
                        <label for="bell">{text(Key::PracticeBell)}</label>
                        <select id="bell" on:change=set_bell>{bells}</select>
                        {interval}
                        <label for="ambient">{text(Key::PracticeAmbient)}</label>
                        <select id="ambient" on:change=set_ambient>{ambient}</select>
                        <label class="choice">
                            <input type="checkbox" name="speech" prop:checked=move || settings.get().speech
                                on:change=move |ev| settings.update(|s| s.speech = event_target_checked(&ev))/>
                            " " {text(Key::SettingsSpeech)}
                        </label>
                        <button type="submit" class="button primary start">{text(Key::PracticeStart)}</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <section class="informal">
                        <p>{text(Key::PracticeInformal)}</p>
                        <ul>{prompts}</ul>
                        {move || match logged.get() {
                            None => view! {
                                <button type="button" class="button primary log-informal" on:click=log_it>
                                    {text(Key::PracticeLogInformal)}
                                </button>
                            }.into_any(),
                            Some(Ok(id)) => view! {
                                <p role="status">{text(Key::PracticeLogged)}</p>
                                <AfterPractice entry_id=Some(id) back=back.clone()/>
                            }.into_any(),
                            Some(Err(error)) => view! { <p role="alert">{error}</p> }.into_any(),
                        }}
                    </section>
                }.into_any()
            }}
            <section class="source" aria-labelledby="source-heading">
                <h2 id="source-heading">{text(Key::PracticeSource)}</h2>
                <p>{practice.source.clone()}</p>
                {evidence}
            </section>
        </article>
    }
    .into_any()
}

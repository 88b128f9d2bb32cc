//! `/recordings/<id>`: a teacher's whole take, played. Who recorded it, how
//! long it is, whether it is kept on this phone; Begin/Pause/Continue and
//! Stop, the time left, and the gentle close after it. The playing is a
//! `TakePlayer` (media elements: the take, and Stille's bells when the
//! recording asks for them); it is logged like any practice, as the
//! recording's own practice (`rec-<id>`), by the player's [`Record`].

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use stille_audio::web::TakePlayer;
use stille_practice::api::Recording;
use stille_practice::log::Ending;
use stille_practice::{PracticeId, take_with_bells};

use super::player::record::Record;
use crate::api::ApiError;
use crate::components::AfterPractice;
use crate::format::clock;
use crate::i18n::{Key, t, use_lang};
use crate::playback::web::follow_while_mounted;
use crate::takes;

/// How long a playing of `recording` lasts: the take, or until the closing
/// bell has rung out.
fn length_ms(recording: &Recording, practice: &PracticeId) -> u32 {
    let take = length_ms_of(recording);
    if recording.bells { take_with_bells(practice.clone(), take).length_ms } else { take }
}

#[component]
pub fn TakePage() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    let found = LocalResource::new(move || {
        let id = id.clone();
        async move { takes::load(&id).await }
    });
    move || match found.get() {
        None => view! { <p class="quiet" role="status">{text(Key::TakeLoading)}</p> }.into_any(),
        Some(Ok(recording)) => match PracticeId::of_recording(&recording.id) {
            Some(practice) => view! { <TakePlaying recording=recording practice=practice/> }.into_any(),
            None => missing(Key::TakeNotFound),
        },
        Some(Err(ApiError::Network(_))) => missing(Key::TakeOffline),
        Some(Err(_)) => missing(Key::TakeNotFound),
    }
}

fn missing(key: Key) -> AnyView {
    let lang = use_lang();
    view! {
        <section class="player-missing">
            <h1>{move || t(lang.get(), Key::TakeFallbackTitle)}</h1>
            <p role="alert">{move || t(lang.get(), key)}</p>
            <p><A href="/">{move || t(lang.get(), Key::TakeBack)}</A></p>
        </section>
    }
    .into_any()
}

#[component]
fn TakePlaying(recording: Recording, practice: PracticeId) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let session_lang = lang.get_untracked();
    let length_ms = length_ms(&recording, &practice);
    let (record, _) = Record::open(format!("/recordings/{}", recording.id), length_ms, Vec::new());
    let recording = StoredValue::new(recording);
    // Prepared as the page opens, not in the tap: rendering the bells of a
    // long take takes a moment, and the tap must start sound at once.
    let player = StoredValue::new_local(None::<Rc<TakePlayer>>);
    let begun = StoredValue::new(false);
    {
        let r = recording.get_value();
        match TakePlayer::prepare(&r.audio, length_ms_of(&r), r.bells, practice.clone(), &r.title) {
            Ok((prepared, problem)) => {
                if let Some(problem) = problem {
                    record.note(format!("{}: {problem}", t(session_lang, Key::TakeNoBells)));
                }
                player.set_value(Some(Rc::new(prepared)));
            }
            Err(error) => record.note(error.to_string()),
        }
    }
    let (playing, ended, closing) = (RwSignal::new(false), RwSignal::new(false), RwSignal::new(false));
    let elapsed = RwSignal::new(0.0_f64);
    let kept = RwSignal::new(None::<bool>);
    spawn_local(async move {
        let is = takes::is_kept(&recording.get_value()).await;
        kept.try_set(Some(is));
    });
    let taps = StoredValue::new(0_u32);
    let ticks = StoredValue::new(0_u32);
    let clock_ms = move || player.with_value(|p| p.as_ref().map_or(0.0, |p| p.elapsed_ms()));
    let toggle = move |_| {
        taps.update_value(|n| *n += 1);
        let tap = taps.get_value();
        if playing.get_untracked() {
            player.with_value(|p| p.as_ref().map(|p| p.pause()));
            playing.set(false);
            return;
        }
        if !begun.get_value() {
            if player.with_value(Option::is_none) {
                return;
            }
            begun.set_value(true);
            record.begin(practice.clone(), session_lang, None, None);
            // Played once: kept on the phone for the next time, offline too.
            spawn_local(async move {
                match takes::keep_audio(&[recording.get_value()]).await {
                    Ok(()) => {
                        kept.try_set(Some(true));
                    }
                    Err(error) => {
                        record.note(format!("{}: {error}", t(lang.get_untracked(), Key::TakeKeepFailed)))
                    }
                }
            });
        }
        let Some(started) = player.get_value() else { return };
        // Still inside the tap: the calls that start sound happen now.
        let promises = started.start_in_gesture();
        playing.set(true);
        spawn_local(async move {
            let result = match promises {
                Ok(promises) => started.started(promises).await,
                Err(error) => Err(error),
            };
            if let Err(error) = result
                && taps.try_get_value() == Some(tap)
            {
                record.note(error.to_string());
                playing.set(false);
            }
        });
    };
    let navigate = use_navigate();
    let stop = move |_| {
        let started = begun.get_value();
        record.progress_at(clock_ms(), Some(Ending::Stopped));
        player.with_value(|p| p.as_ref().map(|p| p.pause()));
        playing.set(false);
        if started && record.entry_id().is_some() {
            closing.set(true);
        } else {
            navigate("/", Default::default());
        }
    };
    // The display follows the media element's clock.
    let tick = move || {
        let Some(p) = player.get_value() else { return };
        elapsed.set(p.elapsed_ms());
        if ended.get_untracked() {
            return;
        }
        p.keep_together();
        if let Some(failure) = p.failure() {
            // Bells without the voice would be no practice: all of it waits.
            record.note(format!("{}: {failure}", t(lang.get_untracked(), Key::TakeFailed)));
            p.pause();
            playing.set(false);
            return;
        }
        if p.ended() {
            ended.set(true);
            playing.set(false);
            p.pause();
            record.progress_at(f64::from(length_ms), Some(Ending::Completed));
            closing.set(true);
            return;
        }
        // The lock screen plays and pauses behind the page's back.
        let sounding = p.is_playing();
        if playing.get_untracked() != sounding {
            playing.set(sounding);
        }
        ticks.update_value(|n| *n += 1);
        if sounding && ticks.get_value().is_multiple_of(20) {
            record.progress_at(p.elapsed_ms(), None);
        }
    };
    let save = move || {
        if begun.get_value() && !ended.get_untracked() {
            record.progress_at(clock_ms(), None);
        }
    };
    let leave = move || {
        if begun.get_value() && !ended.get_untracked() {
            record.progress_at(clock_ms(), Some(Ending::Stopped));
        }
        player.with_value(|p| p.as_ref().map(|p| p.pause()));
    };
    follow_while_mounted(Duration::from_millis(250), tick, save, leave);

    let remaining = move || clock(f64::from(length_ms) - elapsed.get(), true);
    let play_label = move || {
        let key = match (playing.get(), elapsed.get() > 0.0) {
            (true, _) => Key::PlayerPause,
            (false, true) => Key::PlayerContinue,
            (false, false) => Key::PlayerPlay,
        };
        t(lang.get(), key)
    };
    let r = recording.get_value();
    let by = r.owner.clone();
    let minutes = crate::format::minutes(u32::try_from(r.duration_ms).unwrap_or(u32::MAX)).max(1);
    let about = move || format!("{} {} · {} min", t(lang.get(), Key::TakeBy), by, minutes);
    let bells = r.bells;
    let kept_line = move || match kept.get() {
        Some(true) => t(lang.get(), Key::TakeKept),
        Some(false) => t(lang.get(), Key::TakeNotKept),
        None => "",
    };
    let close = move || view! { <AfterPractice entry_id=record.entry_id() back="/".to_owned()/> };
    view! {
        <section class="player take" aria-labelledby="player-heading">
            <h1 id="player-heading" class="player-title">{r.title.clone()}</h1>
            <p class="take-about">{about}</p>
            <p class="take-bells quiet" hidden=!bells>{text(Key::TakeBells)}</p>
            <p class="take-kept quiet" role="status">{kept_line}</p>
            <div role="status"><ul class="player-notices">{move || record.notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul></div>
            <p class="player-remaining">
                <span class="visually-hidden">{text(Key::PlayerRemaining)} " "</span>
                <output class="remaining">{remaining}</output>
            </p>
            <p class="player-done" hidden=move || !ended.get()>{text(Key::PlayerDone)}</p>
            <Show when=move || closing.get()>{close}</Show>
            <div class="player-controls" hidden=move || closing.get()>
                <button type="button" class="button primary play" on:click=toggle hidden=move || ended.get()>{play_label}</button>
                <button type="button" class="button stop" on:click=stop>{text(Key::PlayerStop)}</button>
            </div>
        </section>
    }
}

/// The take's own length as the server measured it.
fn length_ms_of(recording: &Recording) -> u32 {
    u32::try_from(recording.duration_ms.max(1)).unwrap_or(u32::MAX)
}

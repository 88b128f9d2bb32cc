//! The screen while a practice plays: Begin/Pause/Continue and Stop, the
//! time left, the guidance and the pacer, the optional check-in before the
//! first Begin, and the gentle close after the end or a Stop. The playing
//! itself is a `playback::web::Session`; its log entry and resume point are
//! kept by [`super::record::Record`].

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use stille_audio::Voice;
use stille_audio::web::{Mode, support};
use stille_practice::journal::Ladder;
use stille_practice::log::Ending;
use stille_practice::{BreathPhase, Lang, Practice, Timeline};

use super::pacer::Pacer;
use super::record::Record;
use crate::components::AfterPractice;
use crate::components::check_in::CheckInFields;
use crate::components::worry_note::ORIENTING;
use crate::format::clock;
use crate::i18n::{Key, mode_key, t, use_lang};
use crate::playback::web::{Session, follow_while_mounted};
use crate::session::Choice;
use crate::settings::use_settings;

/// How long the button trusts a start the browser has not yet confirmed.
const START_PATIENCE_MS: f64 = 5_000.0;

#[component]
pub fn Playing(
    practice: &'static Practice,
    timeline: Rc<Timeline>,
    choice: Choice,
    problems: Vec<String>,
    address: String,
    session_lang: Lang,
    /// The recorded voice (whose, and the clips in place), if any.
    #[prop(default = None)]
    voice: Option<(crate::voice::Speaker, Voice)>,
) -> impl IntoView {
    let (lang, settings) = (use_lang(), use_settings());
    let recorded = voice.is_some();
    // Reading aloud as picked for this playing, else as in Settings.
    let speaks = choice.device_speaks(settings.get_untracked().speech);
    let voiced_by = voice.as_ref().map(|(speaker, _)| speaker.clone());
    let text = move |key| move || t(lang.get(), key);
    let length_ms = timeline.length_ms;
    let (record, resumed) = Record::open(address, length_ms, problems);
    let resume_at = RwSignal::new(resumed);
    let session =
        StoredValue::new_local(Session::new(timeline, practice.title.get(session_lang), session_lang));
    let (playing, interrupted, ended, closing) =
        (RwSignal::new(false), RwSignal::new(false), RwSignal::new(false), RwSignal::new(false));
    let elapsed = RwSignal::new(resumed.unwrap_or(0.0));
    let guidance = RwSignal::new(String::new());
    let breath = RwSignal::new(None::<(BreathPhase, f64)>);
    let (before_distress, before_ladder) = (RwSignal::new(None::<u8>), RwSignal::new(None::<Ladder>));
    let begun = RwSignal::new(resumed.is_some());
    // Each tap on Begin/Pause, counted: a start that fails is told unless
    // another tap came after it (the clock's tick may have shown "not
    // playing" meanwhile, which must not hide the failure).
    let taps = StoredValue::new(0_u32);
    // When the browser was asked to start sound and has not yet said it has
    // (an AudioContext can take a second or more to run on a busy phone):
    // meanwhile the button keeps saying Pause, not Begin again.
    let starting = StoredValue::new(None::<f64>);
    let progress = move |ending: Option<Ending>| session.with_value(|s| record.progress(s, ending));
    let save_now = move || session.with_value(|s| record.save_position(s));
    let toggle = move |_| {
        taps.update_value(|n| *n += 1);
        let tap = taps.get_value();
        if playing.get_untracked() {
            session.with_value(|s| s.pause());
            starting.set_value(None);
            playing.set(false);
            return;
        }
        if session.with_value(|s| s.player().is_none()) {
            let order = Mode::order(settings.get_untracked().playback, &support(), false);
            let from = resume_at.get_untracked().unwrap_or(0.0);
            let mut sound = choice.sound();
            if let Some((_, clips)) = &voice {
                sound.voice = clips.clone();
            }
            for (mode, error) in session.with_value(|s| s.prepare(&order, &sound, from)) {
                record.note(format!("{}: {error}", t(lang.get_untracked(), mode_key(mode))));
            }
            record.begin(
                practice.id.clone(),
                session_lang,
                before_distress.get_untracked(),
                before_ladder.get_untracked(),
            );
        }
        begun.set(true);
        // Still inside the tap: the call that starts sound happens now.
        let Some(player) = session.with_value(|s| s.start_in_gesture()) else {
            return;
        };
        resume_at.set(None);
        playing.set(true);
        starting.set_value(Some(js_sys::Date::now()));
        spawn_local(async move {
            let started = player.play().await;
            if taps.try_get_value() == Some(tap) {
                starting.set_value(None);
            }
            // A pause pressed while the browser was still starting is not an error.
            if let Err(error) = started
                && taps.try_get_value() == Some(tap)
            {
                record.note(error.to_string());
                playing.set(false);
            }
        });
    };
    let navigate = use_navigate();
    let stop = move |_| {
        progress(Some(Ending::Stopped));
        let started = session.with_value(|s| s.player().is_some());
        session.with_value(|s| s.stop());
        record.forget_position();
        playing.set(false);
        if started && record.entry_id().is_some() {
            closing.set(true);
        } else {
            navigate(&format!("/practices/{}", practice.id), Default::default());
        }
    };
    // The display follows the player's clock; nothing audible depends on this.
    let tick = move || {
        let Some(player) = session.with_value(|s| s.player()) else { return };
        elapsed.set(player.elapsed_ms());
        // A context still starting is not yet running: that is no interruption.
        let still_starting =
            starting.get_value().is_some_and(|since| js_sys::Date::now() - since < START_PATIENCE_MS);
        interrupted.set(player.interrupted() && !still_starting);
        // The lock screen's controls play and pause behind the page's back,
        // and an interrupted session waits for Play.
        let sounding = session.with_value(|s| s.is_sounding());
        if playing.get_untracked() != sounding && !ended.get_untracked() && !still_starting {
            playing.set(sounding);
        }
        let s = settings.get_untracked();
        // The teacher's recording speaks every cue: the device stays quiet
        // (unless nothing can play the recording: the silent fallback).
        let clips_sound = recorded && player.mode() != Mode::Silent;
        let voice = (speaks && !clips_sound).then(|| s.voice(session_lang).map(str::to_owned));
        let Some(tick) = session.with_value(|session| session.tick(voice, s.vibrate)) else { return };
        if guidance.get_untracked() != tick.guidance {
            guidance.set(tick.guidance);
        }
        breath.set(tick.breath);
        if tick.ended && !ended.get_untracked() {
            // Let go of the wake lock and the audio; nothing more is said.
            ended.set(true);
            playing.set(false);
            session.with_value(|s| s.pause());
            progress(Some(Ending::Completed));
            record.forget_position();
            closing.set(true);
        } else if tick.save {
            progress(None);
            save_now();
        }
    };
    // Leaving the player inside the app (a link, Back) ends this playing: the
    // entry is closed as stopped and nothing is offered for resuming. (A
    // reload does not come here: the page is simply gone.)
    let leave = move || {
        if session.with_value(|s| s.player().is_some()) && !ended.get_untracked() {
            progress(Some(Ending::Stopped));
            record.forget_position();
        }
        session.with_value(|s| s.pause());
    };
    follow_while_mounted(Duration::from_millis(100), tick, save_now, leave);

    let remaining = move || clock(f64::from(length_ms) - elapsed.get(), true);
    let play_label = move || match (playing.get(), resume_at.get()) {
        (true, _) => t(lang.get(), Key::PlayerPause).to_owned(),
        (false, Some(at)) => format!("{} {}", t(lang.get(), Key::PlayerResumeAt), clock(at, true)),
        (false, None) if elapsed.get() > 0.0 => t(lang.get(), Key::PlayerContinue).to_owned(),
        (false, None) => t(lang.get(), Key::PlayerPlay).to_owned(),
    };
    let is_breathing = practice.breath.is_some();
    // From every practice but the one it leads to: the link ends this
    // playing as stopped (`leave`) and loads orienting, eyes open, as a page
    // of its own (the router would keep this player for another /play/).
    let ground_to = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        leave();
        if let Err(error) = window().location().assign(ORIENTING) {
            record.note(format!("{error:?}"));
        }
    };
    let ground = (!ORIENTING.starts_with(&format!("/play/{}?", practice.id))).then(|| {
        view! {
            <p class="player-ground" hidden=move || closing.get()>
                <a href=ORIENTING rel="external" on:click=ground_to>{text(Key::PlayerGround)}</a>
            </p>
        }
    });
    let voice_line = move || {
        let lang = lang.get();
        match (&voiced_by, speaks) {
            (Some(speaker), _) if speaker.published => {
                format!("{} {}", t(lang, Key::PlayerVoicePublished), speaker.name)
            }
            (Some(speaker), _) => format!("{} {}", t(lang, Key::PlayerVoiceTeacher), speaker.name),
            (None, true) => t(lang, Key::PlayerVoiceDevice).to_owned(),
            (None, false) => t(lang, Key::PlayerVoiceWords).to_owned(),
        }
    };
    let close = move || {
        view! {
            <AfterPractice entry_id=record.entry_id() back=format!("/practices/{}", practice.id) before=record.before.get_untracked()/>
        }
    };
    view! {
        <section class="player" aria-labelledby="player-heading">
            <h1 id="player-heading" class="player-title">{move || practice.title.get(lang.get()).to_owned()}</h1>
            <p class="quiet player-voice">{voice_line}</p>
            <div role="status"><ul class="player-notices">{move || record.notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul></div>
            <p class="player-remaining">
                <span class="visually-hidden">{text(Key::PlayerRemaining)} " "</span>
                <output class="remaining">{remaining}</output>
            </p>
            <div class="pacer-area" aria-hidden="true" hidden=move || !is_breathing || closing.get()><Pacer breath=breath/></div>
            <p class="player-guidance" aria-live="polite" hidden=move || closing.get()>{move || guidance.get()}</p>
            <p class="player-interrupted" role="alert" hidden=move || !interrupted.get()>{text(Key::LabInterrupted)}</p>
            <p class="player-done" hidden=move || !ended.get()>{text(Key::PlayerDone)}</p>
            <Show when=move || closing.get()>{close}</Show>
            <details class="before-check-in" hidden=move || begun.get() || closing.get()>
                <summary>{text(Key::BeforeSummary)}</summary>
                <p class="quiet">{text(Key::BeforeIntro)}</p>
                <CheckInFields name="before" distress=before_distress ladder=before_ladder/>
            </details>
            <div class="player-controls" hidden=move || closing.get()>
                <button type="button" class="button primary play" on:click=toggle hidden=move || ended.get()>{play_label}</button>
                // Nothing to stop before the first Begin (the header leads away).
                <button type="button" class="button stop" on:click=stop hidden=move || !begun.get()>{text(Key::PlayerStop)}</button>
            </div>
            {ground}
        </section>
    }
}

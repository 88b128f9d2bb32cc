use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};
use serde::{Deserialize, Serialize};
use stille_audio::web::{Mode, Player, Speaker, support};
use stille_practice::follow::Follower;
use stille_practice::journal::{CheckIn, Ladder, Moment};
use stille_practice::log::{Ending, Entry};
use stille_practice::{BreathPhase, Catalog, Lang, Practice, Timeline, compile};

use crate::components::AfterPractice;
use crate::components::after_practice::{CheckInFields, before_check_in};
use crate::details::WithDetails;
use crate::i18n::{Key, mode_key, t, use_lang};
use crate::log_store;
use crate::session::Choice;
use crate::settings::use_settings;
use crate::storage;

/// Where a playing session stood, so a reload resumes it.
const SAVED: &str = "stille.player.v1";

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Saved {
    /// The player's address (path and query): which practice, which options.
    at: String,
    position_ms: f64,
    /// The log entry being written for this playing.
    #[serde(default)]
    entry: Option<Entry>,
    /// When this was saved (ms since 1970 UTC); older than a few hours is stale.
    #[serde(default)]
    saved_at_ms: f64,
}

/// A session not resumed within this long is not offered again.
const STALE_MS: f64 = 3.0 * 3_600_000.0;

/// The saved position (and log entry) for `address`, if it is one and makes sense.
fn saved_position(address: &str, length_ms: u32) -> Option<(f64, Option<Entry>)> {
    let saved = storage::load::<Saved>(SAVED).unwrap_or_else(|error| {
        storage::warn(&error);
        None
    })?;
    let entry = saved.entry.filter(|e| e.check().is_ok() && e.ending.is_none());
    (saved.at == address
        && js_sys::Date::now() - saved.saved_at_ms < STALE_MS
        && saved.position_ms.is_finite()
        && (0.0..f64::from(length_ms)).contains(&saved.position_ms))
    .then_some((saved.position_ms, entry))
}

/// Writes the log entry (in the background; a failure is shown, the session goes on).
fn write_entry(entry: Entry, notices: RwSignal<Vec<String>>) {
    spawn_local(async move {
        if let Err(error) = log_store::save(&entry).await {
            notices.update(|n| {
                let message = error.to_string();
                if !n.contains(&message) {
                    n.push(message);
                }
            });
        }
    });
}

/// Writes the check-in made before the practice (in the background, like the entry).
fn write_check_in(check_in: CheckIn, notices: RwSignal<Vec<String>>) {
    spawn_local(async move {
        if let Err(error) = log_store::save_note(&log_store::Note::CheckIn(check_in)).await {
            notices.update(|n| n.push(error.to_string()));
        }
    });
}

/// Buzzes `pattern` (ms on/off) where the device can; silently nothing elsewhere.
fn vibrate(pattern: &[u32]) {
    if pattern.is_empty() {
        return;
    }
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return };
    let array: js_sys::Array = pattern.iter().map(|ms| wasm_bindgen::JsValue::from(*ms)).collect();
    let _ = navigator.vibrate_with_pattern(&array);
}

fn clock(ms: f64) -> String {
    let s = (ms / 1000.0).ceil().max(0.0) as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

fn phase_key(phase: BreathPhase) -> Key {
    match phase {
        BreathPhase::Inhale => Key::BreathIn,
        BreathPhase::TopUp => Key::BreathTopUp,
        BreathPhase::HoldIn => Key::BreathHoldIn,
        BreathPhase::Exhale => Key::BreathOut,
        BreathPhase::HoldOut => Key::BreathHoldOut,
    }
}

/// How large the pacer's circle is (0.55–1.0) through a phase.
fn pacer_scale(phase: BreathPhase, progress: f64) -> f64 {
    let eased = (1.0 - (progress.clamp(0.0, 1.0) * std::f64::consts::PI).cos()) / 2.0;
    match phase {
        BreathPhase::Inhale => 0.55 + 0.4 * eased,
        BreathPhase::TopUp => 0.95 + 0.05 * eased,
        BreathPhase::HoldIn => 1.0,
        BreathPhase::Exhale => 1.0 - 0.45 * eased,
        BreathPhase::HoldOut => 0.55,
    }
}

/// `/play/<id>?…`: the session, full screen and quiet.
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
    let query = use_query_map();
    let (choice, problems) = query.with_untracked(|q| Choice::from_query(practice, |key| q.get(key)));
    let location = use_location();
    let address = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
    // The language is fixed for a playing: the guidance must not switch mid-session.
    let session_lang = lang.get_untracked();
    match compile(practice, &choice.options(practice, session_lang)) {
        Ok(timeline) => view! {
            <Session practice=practice timeline=Rc::new(timeline) choice=choice problems=problems
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

#[component]
fn Session(
    practice: &'static Practice,
    timeline: Rc<Timeline>,
    choice: Choice,
    problems: Vec<String>,
    address: String,
    session_lang: Lang,
) -> impl IntoView {
    let lang = use_lang();
    let settings = use_settings();
    let text = move |key| move || t(lang.get(), key);
    let length_ms = timeline.length_ms;
    let saved = saved_position(&address, length_ms);
    let resume_at = RwSignal::new(saved.as_ref().map(|(at, _)| *at));
    // The log entry of this playing: carried over from before a reload, or
    // made when the first Begin is pressed.
    let entry = StoredValue::new_local(saved.and_then(|(_, entry)| entry));

    let player = StoredValue::new_local(None::<Rc<Player>>);
    let follower = StoredValue::new_local(Follower::new(&timeline));
    let timeline = StoredValue::new_local(timeline);
    let speaker = StoredValue::new_local(Speaker::new());
    let playing = RwSignal::new(false);
    let interrupted = RwSignal::new(false);
    let ended = RwSignal::new(false);
    // After the end or a Stop: the gentle close (check-in, note) takes the stage.
    let closing = RwSignal::new(false);
    let elapsed = RwSignal::new(resume_at.get_untracked().unwrap_or(0.0));
    let guidance = RwSignal::new(String::new());
    let breath = RwSignal::new(None::<(BreathPhase, f64)>);
    let notices = RwSignal::new(problems);
    let last_saved = StoredValue::new(0.0f64);
    let last_phase = StoredValue::new(None::<BreathPhase>);
    let address = StoredValue::new(address);
    // The optional check-in before the first Begin (not offered when resuming).
    let before_distress = RwSignal::new(None::<u8>);
    let before_ladder = RwSignal::new(None::<Ladder>);
    let before = StoredValue::new(None::<CheckIn>);
    let begun = RwSignal::new(resume_at.get_untracked().is_some());
    // After a reload: the check-in made before the first Begin, from the journal.
    if let Some(id) = entry.with_value(|e| e.as_ref().map(|e| e.id.clone())) {
        spawn_local(async move {
            if let Ok(loaded) = log_store::load().await {
                let made_before = loaded.notes_of(&id).find_map(|n| match n {
                    log_store::Note::CheckIn(c) if c.moment == Moment::Before => Some(c.clone()),
                    _ => None,
                });
                if made_before.is_some() {
                    before.set_value(made_before);
                }
            }
        });
    }

    let toggle = move |_| {
        if playing.get_untracked() {
            if let Some(p) = player.get_value() {
                p.pause();
            }
            speaker.with_value(|s| s.as_ref().map(Speaker::silence));
            playing.set(false);
            return;
        }
        let prepared = match player.get_value() {
            Some(p) => p,
            None => {
                let order = Mode::order(settings.get_untracked().playback, &support(), false);
                let title = practice.title.get(session_lang);
                let (prepared, skipped) =
                    timeline.with_value(|tl| Player::prepare_first(&order, tl, &choice.sound(), title));
                if !skipped.is_empty() {
                    let lang_now = lang.get_untracked();
                    notices.update(|n| {
                        n.extend(
                            skipped
                                .iter()
                                .map(|(mode, error)| format!("{}: {error}", t(lang_now, mode_key(*mode)))),
                        )
                    });
                }
                let prepared = Rc::new(prepared);
                if entry.with_value(Option::is_none) {
                    let started = Entry::start(
                        log_store::new_id(),
                        practice.id.clone(),
                        js_sys::Date::now() as i64,
                        log_store::utc_offset_minutes(),
                        length_ms,
                        session_lang,
                    );
                    write_entry(started.clone(), notices);
                    let now = js_sys::Date::now() as i64;
                    if let Some(check_in) = before_check_in(
                        &started.id,
                        before_distress.get_untracked(),
                        before_ladder.get_untracked(),
                        now,
                        started.utc_offset_minutes,
                        log_store::new_id(),
                    ) {
                        write_check_in(check_in.clone(), notices);
                        before.set_value(Some(check_in));
                    }
                    entry.set_value(Some(started));
                }
                if let Some(position) = resume_at.get_untracked() {
                    prepared.seek(position);
                }
                player.set_value(Some(prepared.clone()));
                prepared
            }
        };
        resume_at.set(None);
        begun.set(true);
        // Still inside the tap: the call that starts sound happens now.
        prepared.start_in_gesture();
        playing.set(true);
        spawn_local(async move {
            // A pause pressed while the browser was still starting is not an error.
            if let Err(error) = prepared.play().await
                && playing.get_untracked()
            {
                notices.update(|n| n.push(error.to_string()));
                playing.set(false);
            }
        });
    };
    // Brings the log entry up to the player's clock (and its ending) and writes it.
    let record = move |ending: Option<Ending>| {
        // Before the first Begin after a reload, the carried-over entry keeps
        // what it had.
        let clock_ms = player.get_value().map_or(0, |p| (p.elapsed_ms().max(0.0) as u32).min(length_ms));
        let practised = match ending {
            Some(Ending::Completed) => length_ms,
            _ => clock_ms,
        };
        entry.update_value(|e| {
            if let Some(e) = e.as_mut()
                && e.ending.is_none()
            {
                e.practised_ms = e.practised_ms.max(practised);
                e.ending = ending;
                e.updated_at_ms = (js_sys::Date::now() as i64).max(e.started_at_ms);
                write_entry(e.clone(), notices);
            }
        });
    };
    let navigate = use_navigate();
    let stop = move |_| {
        record(Some(Ending::Stopped));
        let started = player.get_value().is_some();
        if let Some(p) = player.get_value() {
            p.stop();
        }
        speaker.with_value(|s| s.as_ref().map(Speaker::silence));
        storage::remove(SAVED);
        playing.set(false);
        if started && entry.with_value(Option::is_some) {
            closing.set(true);
        } else {
            navigate(&format!("/practices/{}", practice.id), Default::default());
        }
    };

    let save_now = move || {
        if let Some(p) = player.get_value()
            && p.is_playing()
        {
            let saved = Saved {
                at: address.get_value(),
                position_ms: p.elapsed_ms(),
                entry: entry.get_value(),
                saved_at_ms: js_sys::Date::now(),
            };
            if let Err(error) = storage::save(SAVED, &saved) {
                storage::warn(&error);
            }
        }
    };
    let pagehide = window_event_listener_untyped("pagehide", move |_| save_now());
    // The display follows the player's clock; nothing audible depends on this.
    let tick = set_interval_with_handle(
        move || {
            let Some(p) = player.get_value() else { return };
            let now = p.elapsed_ms();
            elapsed.set(now);
            interrupted.set(p.interrupted());
            // The lock screen's controls play and pause behind the page's back,
            // and an interrupted session waits for Play.
            let sounding = p.is_playing() && !p.interrupted();
            if playing.get_untracked() != sounding && !ended.get_untracked() {
                playing.set(sounding);
            }
            let at = timeline.with_value(|tl| {
                follower
                    .try_update_value(|f| {
                        let now_at = f.at(tl, now);
                        (
                            now_at.text.map(str::to_owned),
                            now_at.speak.map(str::to_owned),
                            now_at.breath,
                            now_at.ended,
                        )
                    })
                    .unwrap_or_default()
            });
            let (shown, speak, phase, done) = at;
            let shown = shown.unwrap_or_default();
            if guidance.get_untracked() != shown {
                guidance.set(shown);
            }
            breath.set(phase);
            let phase_now = phase.map(|(p, _)| p);
            if phase_now != last_phase.get_value() {
                last_phase.set_value(phase_now);
                if let Some(started) = phase_now
                    && settings.get_untracked().vibrate
                    && p.is_playing()
                {
                    vibrate(stille_practice::follow::vibration(started));
                }
            }
            if let Some(said) = speak
                && settings.get_untracked().speech
                && p.is_playing()
            {
                let voice = settings.get_untracked().voice(session_lang).map(str::to_owned);
                speaker
                    .with_value(|s| s.as_ref().map(|s| s.say(&said, session_lang.tag(), voice.as_deref())));
            }
            if done && !ended.get_untracked() {
                ended.set(true);
                playing.set(false);
                // Let go of the wake lock and the audio; nothing more is said.
                p.pause();
                speaker.with_value(|s| s.as_ref().map(Speaker::silence));
                record(Some(Ending::Completed));
                storage::remove(SAVED);
                closing.set(true);
            } else if p.is_playing() && js_sys::Date::now() - last_saved.get_value() >= 1_000.0 {
                last_saved.set_value(js_sys::Date::now());
                record(None);
                save_now();
            }
        },
        Duration::from_millis(100),
    );
    on_cleanup(move || {
        pagehide.remove();
        if let Ok(handle) = tick {
            handle.clear();
        }
        // Leaving the player inside the app (a link, Back) ends this playing:
        // the entry is closed as stopped and nothing is offered for resuming.
        // (A reload does not come here: the page is simply gone.)
        if let Some(p) = player.get_value() {
            if !ended.get_untracked() {
                record(Some(Ending::Stopped));
                storage::remove(SAVED);
            }
            p.pause();
        }
        speaker.with_value(|s| s.as_ref().map(Speaker::silence));
    });

    let remaining = move || clock(f64::from(length_ms) - elapsed.get());
    let play_label = move || {
        let lang = lang.get();
        match (playing.get(), resume_at.get()) {
            (true, _) => t(lang, Key::PlayerPause).to_owned(),
            (false, Some(at)) => format!("{} {}", t(lang, Key::PlayerResumeAt), clock(at)),
            (false, None) if elapsed.get() > 0.0 => t(lang, Key::PlayerContinue).to_owned(),
            (false, None) => t(lang, Key::PlayerPlay).to_owned(),
        }
    };
    let is_breathing = practice.breath.is_some();
    let pacer = view! {
        <div class="pacer" data-phase=move || breath.get().map(|(p, _)| format!("{p:?}").to_lowercase()).unwrap_or_default()>
            <div class="pacer-shape"
                style=move || format!("--scale: {:.3}", breath.get().map_or(0.55, |(p, x)| pacer_scale(p, x)))></div>
            <p class="pacer-word">{move || breath.get().map(|(p, _)| t(lang.get(), phase_key(p))).unwrap_or_default()}</p>
        </div>
    };
    view! {
        <section class="player" aria-labelledby="player-heading">
            <h1 id="player-heading" class="player-title">{move || practice.title.get(lang.get()).to_owned()}</h1>
            <ul class="player-notices" role="status">
                {move || notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
            </ul>
            <p class="player-remaining">
                <span class="visually-hidden">{text(Key::PlayerRemaining)} " "</span>
                <output class="remaining">{remaining}</output>
            </p>
            <div class="pacer-area" aria-hidden="true" hidden=move || !is_breathing || closing.get()>{pacer}</div>
            <p class="player-guidance" aria-live="polite" hidden=move || closing.get()>{move || guidance.get()}</p>
            <p class="player-interrupted" role="alert" hidden=move || !interrupted.get()>{text(Key::LabInterrupted)}</p>
            <p class="player-done" hidden=move || !ended.get()>{text(Key::PlayerDone)}</p>
            <Show when=move || closing.get()>
                <AfterPractice
                    entry_id=entry.with_value(|e| e.as_ref().map(|e| e.id.clone()))
                    back=format!("/practices/{}", practice.id)
                    before=before.get_value()/>
            </Show>
            <details class="before-check-in" hidden=move || begun.get() || closing.get()>
                <summary>{text(Key::BeforeSummary)}</summary>
                <p class="quiet">{text(Key::BeforeIntro)}</p>
                <CheckInFields name="before" distress=before_distress ladder=before_ladder/>
            </details>
            <div class="player-controls" hidden=move || closing.get()>
                <button type="button" class="button primary play" on:click=toggle hidden=move || ended.get()>{play_label}</button>
                <button type="button" class="button stop" on:click=stop>{text(Key::PlayerStop)}</button>
            </div>
        </section>
    }
}

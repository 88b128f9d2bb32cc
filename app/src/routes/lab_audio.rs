use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use stille_audio::web::{Mode, NaiveBell, OnsetTap, Player, Speaker, Support, support};
use stille_audio::{Config, lab};
use stille_practice::follow::Follower;
use stille_practice::{BellSound, CueKind, Lang, Options, Timeline, compile};

use crate::details::WithDetails;
use crate::i18n::{Key, mode_key, t, use_lang};
use crate::settings::use_settings;
use crate::storage;

/// Where a lab session stood, saved so a reload can resume it.
const SAVED: &str = "stille.lab.session.v1";
/// How long the busy-page test blocks the main thread, and how long before
/// the second bell it starts (a hidden page's timers run about once a second,
/// so the block starts between 2.5 and 1.5 s early and covers the bell).
const BLOCK_MS: f64 = 5_000.0;
const BLOCK_LEAD_MS: f64 = 2_500.0;

/// The lab's test sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Test {
    /// A chime every 20 s from 2 s on, 10 bells over 3 minutes.
    Bells,
    /// The benchmark: a 45-minute silent timer with 10 interval bells.
    Timer,
    /// Three minutes of guidance: on screen, and spoken when speech is on.
    Guided,
}

impl Test {
    const ALL: [Test; 3] = [Test::Bells, Test::Timer, Test::Guided];

    fn name(self) -> &'static str {
        match self {
            Test::Bells => "bells",
            Test::Timer => "timer",
            Test::Guided => "guided",
        }
    }

    fn parse(name: &str) -> Option<Test> {
        Test::ALL.into_iter().find(|t| t.name() == name)
    }

    fn label(self) -> Key {
        match self {
            Test::Bells => Key::LabTestBells,
            Test::Timer => Key::LabTestTimer,
            Test::Guided => Key::LabTestGuided,
        }
    }

    fn timeline(self, lang: Lang) -> Timeline {
        match self {
            Test::Bells => lab::bell_every(2_000, 200, 20, BellSound::Chime),
            Test::Timer => lab::silent_timer(45, 10, BellSound::Bowl),
            // The lab is shown once the details are here (see `LabAudio`).
            Test::Guided => stille_practice::details::full()
                .and_then(|c| c.get("mbct-breathing-space"))
                .and_then(|p| compile(p, &Options { minutes: 3, ..Options::defaults(p, lang) }).ok())
                .unwrap_or_else(|| lab::bell_every(2_000, 180, 20, BellSound::Chime)),
        }
    }
}

/// How the lab plays: as the app would (the setting), one mode, or the
/// naive timer it is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    Auto,
    Soundtrack,
    Live,
    Naive,
}

impl Choice {
    const ALL: [(Choice, &'static str, Key); 4] = [
        (Choice::Auto, "auto", Key::LabModeAuto),
        (Choice::Soundtrack, "soundtrack", Key::LabModeSoundtrack),
        (Choice::Live, "live", Key::LabModeLive),
        (Choice::Naive, "naive", Key::LabModeNaive),
    ];
}

/// The saved record of a session in progress.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Saved {
    test: String,
    mode: String,
    position_ms: f64,
}

impl Saved {
    /// The record, checked: a known test and mode and a position inside it.
    fn check(&self, lang: Lang) -> Option<(Test, Mode, f64)> {
        let test = Test::parse(&self.test)?;
        let mode =
            [Mode::Soundtrack, Mode::Live, Mode::Silent].into_iter().find(|m| m.as_str() == self.mode)?;
        let length = f64::from(test.timeline(lang).length_ms);
        (self.position_ms.is_finite() && (0.0..length).contains(&self.position_ms)).then_some((
            test,
            mode,
            self.position_ms,
        ))
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn is_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
}

fn clock(ms: f64) -> String {
    let s = (ms / 1000.0).floor() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// `/lab/audio`: plays a test session in the mode the app would use (or one
/// chosen here), and shows planned against observed and measured bell times,
/// the mode in use, and which browser APIs exist, so anyone can check a real
/// phone: locked screen, another app in front, a phone call.
#[component]
pub fn LabAudio() -> impl IntoView {
    // The guided test plays a practice from the catalog: its script must be here.
    view! { <WithDetails view=|_| view! { <Lab/> }/> }
}

#[component]
fn Lab() -> impl IntoView {
    let lang = use_lang();
    let settings = use_settings();
    let text = move |key| move || t(lang.get(), key);

    let test = RwSignal::new(Test::Bells);
    let choice = RwSignal::new(Choice::Auto);
    let measure = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let timeline = Memo::new(move |_| std::sync::Arc::new(test.get().timeline(lang.get())));
    let planned = Memo::new(move |_| {
        timeline
            .get()
            .cues
            .iter()
            .filter(|c| matches!(c.kind, CueKind::Bell { .. }))
            .map(|c| c.at_ms)
            .collect::<Vec<u32>>()
    });

    let player = StoredValue::new_local(None::<Rc<Player>>);
    let naive = StoredValue::new_local(None::<Rc<NaiveBell>>);
    let naive_started = RwSignal::new(None::<f64>);
    let follower = StoredValue::new_local(None::<Follower>);
    let speaker = StoredValue::new_local(Speaker::new().map(Rc::new));
    // A stored value is not reactive: this signal tells the buttons.
    let ready = RwSignal::new(false);
    let mode_used = RwSignal::new(None::<Mode>);
    let status = RwSignal::new(String::new());
    let notices = RwSignal::new(Vec::<String>::new());
    let elapsed_ms = RwSignal::new(0.0f64);
    let guidance = RwSignal::new(String::new());
    let interrupted = RwSignal::new(false);
    let observed = RwSignal::new(Vec::<Option<f64>>::new());
    // Output onsets (ms on the AudioContext clock) when measuring, and the
    // position playback started from (the first onset is the first bell after it).
    let onsets = RwSignal::new(Vec::<f64>::new());
    let measured_from = RwSignal::new(0.0f64);
    // Where playback last started: bells before it are not "seen".
    let played_from = StoredValue::new(0.0f64);
    let tap = StoredValue::new_local(None::<OnsetTap>);
    // The busy-page test and the page's visibility while it ran.
    let blocked = RwSignal::new(None::<bool>);
    let hidden_since = RwSignal::new(if is_hidden() { Some(now_ms()) } else { None });
    let hidden_total = RwSignal::new(0.0f64);
    let last_saved = StoredValue::new(0.0f64);
    let saved = RwSignal::new(
        storage::load::<Saved>(SAVED)
            .unwrap_or_else(|error| {
                storage::warn(&error);
                None
            })
            .and_then(|s| s.check(lang.get_untracked())),
    );

    let reset = move || {
        tap.set_value(None);
        onsets.set(Vec::new());
        naive_started.set(None);
        measured_from.set(0.0);
        blocked.set(None);
        hidden_total.set(0.0);
        guidance.set(String::new());
        observed.set(vec![None; planned.get_untracked().len()]);
    };

    // Prepares the chosen test; `forced` replays a saved mode on resume.
    let prepare_with = move |forced: Option<Mode>| {
        let started = now_ms();
        reset();
        player.set_value(None);
        naive.set_value(None);
        notices.set(Vec::new());
        let lang_now = lang.get_untracked();
        let timeline = timeline.get_untracked();
        follower.set_value(Some(Follower::new(&timeline)));
        if choice.get_untracked() == Choice::Naive && forced.is_none() {
            match NaiveBell::prepare(BellSound::Chime) {
                Ok(bell) => {
                    naive.set_value(Some(Rc::new(bell)));
                    mode_used.set(None);
                    status.set(t(lang_now, Key::LabModeNaive).to_owned());
                    ready.set(true);
                }
                Err(error) => {
                    ready.set(false);
                    status.set(error.to_string());
                }
            }
            return;
        }
        let support = support();
        let order = match (forced, choice.get_untracked()) {
            (Some(mode), _) => vec![mode, Mode::Soundtrack, Mode::Live, Mode::Silent],
            (None, Choice::Soundtrack) => {
                Mode::order(stille_audio::mode::ModeSetting::Soundtrack, &support, false)
            }
            (None, Choice::Live) => Mode::order(stille_audio::mode::ModeSetting::Live, &support, false),
            _ => Mode::order(settings.get_untracked().playback, &support, false),
        };
        let title = t(lang_now, test.get_untracked().label());
        let (prepared, skipped) = Player::prepare_first(&order, &timeline, &Config::default(), title);
        notices.set(
            skipped
                .iter()
                .map(|(mode, error)| format!("{}: {error}", t(lang_now, mode_key(*mode))))
                .collect(),
        );
        let took = now_ms() - started;
        let size = prepared.size();
        mode_used.set(Some(prepared.mode()));
        status.set(format!(
            "{} {}: {} KB, {took:.0} ms",
            t(lang_now, Key::LabReady),
            t(lang_now, mode_key(prepared.mode())),
            size.div_ceil(1024)
        ));
        player.set_value(Some(Rc::new(prepared)));
        ready.set(true);
    };
    let prepare = move |_| prepare_with(None);

    let start = move |from_ms: f64| {
        let on_onset = move |ms: f64| onsets.update(|list| list.push(ms));
        let measuring = measure.get_untracked() && tap.with_value(Option::is_none);
        played_from.set_value(from_ms);
        if let Some(bell) = naive.get_value() {
            spawn_local(async move {
                if measuring {
                    match bell.tap_onsets("/onset-worklet.js", on_onset).await {
                        Ok(installed) => tap.set_value(Some(installed)),
                        Err(error) => status.set(error.to_string()),
                    }
                }
                // The naive timer starts its first bell at the lab's 2 s lead-in.
                naive_started.set(Some(now_ms()));
                bell.start(2_000, 20_000);
            });
        } else if let Some(prepared) = player.get_value() {
            if from_ms > 0.0 {
                prepared.seek(from_ms);
            }
            // Still inside the click: the call that starts sound happens now.
            prepared.start_in_gesture();
            spawn_local(async move {
                if measuring {
                    measured_from.set(from_ms);
                    match prepared.tap_onsets("/onset-worklet.js", on_onset).await {
                        Ok(installed) => tap.set_value(Some(installed)),
                        Err(error) => status.set(error.to_string()),
                    }
                }
                if let Err(error) = prepared.play().await {
                    status.set(error.to_string());
                }
            });
        }
    };
    let play = move |_| {
        let from = player.with_value(|p| p.as_ref().map(|p| p.elapsed_ms())).unwrap_or(0.0);
        start(from);
    };
    let resume = move |_| {
        if let Some((saved_test, mode, position)) = saved.get_untracked() {
            test.set(saved_test);
            match mode {
                Mode::Soundtrack => choice.set(Choice::Soundtrack),
                Mode::Live => choice.set(Choice::Live),
                Mode::Silent => {}
            }
            prepare_with(Some(mode));
            start(position);
            saved.set(None);
        }
    };
    let pause = move |_| {
        if let Some(bell) = naive.get_value() {
            bell.stop();
        }
        if let Some(prepared) = player.get_value() {
            prepared.pause();
        }
        speaker.with_value(|s| s.as_ref().map(|s| s.silence()));
    };
    let stop = move |_| {
        if let Some(bell) = naive.get_value() {
            bell.stop();
        }
        if let Some(prepared) = player.get_value() {
            prepared.stop();
        }
        speaker.with_value(|s| s.as_ref().map(|s| s.silence()));
        storage::remove(SAVED);
        reset();
    };

    // The page's visibility, to show that a hidden-page check really was hidden.
    let visibility = window_event_listener_untyped("visibilitychange", move |_| {
        if is_hidden() {
            hidden_since.set(Some(now_ms()));
        } else if let Some(since) = hidden_since.get_untracked() {
            hidden_total.update(|total| *total += now_ms() - since);
            hidden_since.set(None);
        }
    });
    // Before the page goes away (reload, tab closed), note where it stood.
    let save_now = move || {
        if let (Some(prepared), Some(mode)) = (player.get_value(), mode_used.get_untracked())
            && prepared.is_playing()
        {
            let record = Saved {
                test: test.get_untracked().name().into(),
                mode: mode.as_str().into(),
                position_ms: prepared.elapsed_ms(),
            };
            if let Err(error) = storage::save(SAVED, &record) {
                storage::warn(&error);
            }
        }
    };
    let pagehide = window_event_listener_untyped("pagehide", move |_| save_now());
    on_cleanup(move || {
        visibility.remove();
        pagehide.remove();
    });

    // The display follows the player's clock; nothing audible depends on this.
    let tick = set_interval_with_handle(
        move || {
            let (now, playing) = match (player.get_value(), naive_started.get_untracked()) {
                (Some(prepared), _) => {
                    interrupted.set(prepared.interrupted());
                    (prepared.elapsed_ms(), prepared.is_playing())
                }
                // The naive timer has no clock but the wall clock.
                (None, Some(started)) => (now_ms() - started, true),
                (None, None) => return,
            };
            elapsed_ms.set(now);
            if !playing {
                return;
            }
            let bells = planned.get_untracked();
            let from = played_from.get_value();
            observed.update(|seen| {
                for (slot, at) in seen.iter_mut().zip(&bells) {
                    if slot.is_none() && now >= f64::from(*at) && f64::from(*at) >= from {
                        *slot = Some(now);
                    }
                }
            });
            if let Some(timeline) = player.get_value().map(|_| timeline.get_untracked()) {
                follower.update_value(|f| {
                    if let Some(now_at) = f.as_mut().map(|f| f.at(&timeline, now)) {
                        if let Some(said) = now_at.speak
                            && settings.get_untracked().speech
                        {
                            let lang_now = lang.get_untracked();
                            let voice = settings.get_untracked().voice(lang_now).map(str::to_owned);
                            speaker.with_value(|s| {
                                s.as_ref().map(|s| s.say(said, lang_now.tag(), voice.as_deref()))
                            });
                        }
                        let shown = now_at.text.unwrap_or_default();
                        if guidance.get_untracked() != shown {
                            guidance.set(shown.to_owned());
                        }
                    }
                });
            }
            // The busy-page test: block the main thread around the second bell.
            if busy.get_untracked()
                && blocked.get_untracked().is_none()
                && let Some(second) = bells.get(1)
                && now >= f64::from(*second) - BLOCK_LEAD_MS
            {
                blocked.set(Some(is_hidden()));
                let end = now_ms() + BLOCK_MS;
                while now_ms() < end {}
            }
            if now_ms() - last_saved.get_value() >= 1_000.0 {
                last_saved.set_value(now_ms());
                save_now();
            }
        },
        Duration::from_millis(50),
    );
    if let Ok(handle) = tick {
        on_cleanup(move || handle.clear());
    }

    let rows = move || {
        let bells = planned.get();
        let seen = observed.get();
        let measured = onsets.get();
        // Output onsets are on another clock: each is compared with the first
        // one measured, which is the first bell at or after the start position.
        let first_bell = bells.partition_point(|at| f64::from(*at) < measured_from.get());
        bells
            .iter()
            .enumerate()
            .map(|(i, at)| {
                let planned_s = format!("{:.1} s", f64::from(*at) / 1000.0);
                let seen_s = seen.get(i).copied().flatten().map_or_else(
                    || "–".to_owned(),
                    |ms| format!("{:.2} s (+{:.0} ms)", ms / 1000.0, ms - f64::from(*at)),
                );
                let measured_s =
                    match (measured.first(), i.checked_sub(first_bell).and_then(|k| measured.get(k))) {
                        (Some(first), Some(onset)) => {
                            let error = (onset - first) - f64::from(*at - bells[first_bell]);
                            format!("{error:+.1} ms")
                        }
                        _ => "–".to_owned(),
                    };
                view! { <tr><td>{planned_s}</td><td>{seen_s}</td><td class="measured">{measured_s}</td></tr> }
            })
            .collect_view()
    };
    let hidden_s = move || {
        let open = hidden_since.get().map_or(0.0, |since| now_ms() - since);
        format!("{:.0} s", (hidden_total.get() + open) / 1000.0)
    };
    let block_text = move || match blocked.get() {
        None => t(lang.get(), Key::LabBlockNotYet),
        Some(true) => t(lang.get(), Key::LabBlockHidden),
        Some(false) => t(lang.get(), Key::LabBlockVisible),
    };

    view! {
        <section class="lab" aria-labelledby="lab-heading">
            <h1 id="lab-heading">{text(Key::LabHeading)}</h1>
            <p class="lead">{text(Key::LabIntro)}</p>
            {move || saved.get().map(|(saved_test, _, position)| view! {
                <p class="lab-resume">
                    <button type="button" class="button primary" on:click=resume>
                        {move || format!("{} {} ({})", t(lang.get(), Key::LabResume), clock(position), t(lang.get(), saved_test.label()))}
                    </button>
                </p>
            })}
            <fieldset class="lab-test">
                <legend>{text(Key::LabTest)}</legend>
                {Test::ALL.into_iter().map(|each| view! {
                    <label>
                        <input type="radio" name="lab-test" value=each.name() prop:checked=move || test.get() == each
                            on:change=move |_| { test.set(each); ready.set(false); player.set_value(None); naive.set_value(None); }/>
                        " " {text(each.label())}
                    </label>
                }).collect_view()}
            </fieldset>
            <fieldset class="lab-mode">
                <legend>{text(Key::LabMode)}</legend>
                {Choice::ALL.into_iter().map(|(each, value, key)| view! {
                    <label>
                        <input type="radio" name="lab-mode" value=value prop:checked=move || choice.get() == each
                            on:change=move |_| { choice.set(each); ready.set(false); player.set_value(None); naive.set_value(None); }/>
                        " " {text(key)}
                    </label>
                }).collect_view()}
            </fieldset>
            <p>
                <label class="lab-measure">
                    <input type="checkbox" prop:checked=move || measure.get() on:change=move |ev| measure.set(event_target_checked(&ev))/>
                    " " {text(Key::LabMeasure)}
                </label>
            </p>
            <p>
                <label class="lab-busy">
                    <input type="checkbox" prop:checked=move || busy.get() on:change=move |ev| busy.set(event_target_checked(&ev))/>
                    " " {text(Key::LabBusy)}
                </label>
            </p>
            <div class="lab-controls">
                <button type="button" class="button primary" on:click=prepare>{text(Key::LabPrepare)}</button>
                <button type="button" class="button" on:click=play disabled=move || !ready.get()>{text(Key::LabPlay)}</button>
                <button type="button" class="button" on:click=pause disabled=move || !ready.get()>{text(Key::LabPause)}</button>
                <button type="button" class="button" on:click=stop disabled=move || !ready.get()>{text(Key::LabStop)}</button>
            </div>
            <p class="lab-status" role="status">{move || status.get()}</p>
            <ul class="lab-notices">
                {move || notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
            </ul>
            <p class="lab-interrupted" role="alert" hidden=move || !interrupted.get()>{text(Key::LabInterrupted)}</p>
            <dl class="lab-facts">
                <dt>{text(Key::LabElapsed)}</dt>
                <dd><output class="lab-elapsed">{move || format!("{:.1} s", elapsed_ms.get() / 1000.0)}</output></dd>
                <dt>{text(Key::LabModeInUse)}</dt>
                <dd class="lab-mode-used">{move || mode_used.get().map_or("–", |m| m.as_str())}</dd>
                <dt>{text(Key::LabHidden)}</dt>
                <dd class="lab-hidden">{hidden_s}</dd>
                <dt>{text(Key::LabBlock)}</dt>
                <dd class="lab-block">{block_text}</dd>
            </dl>
            <p class="lab-guidance" aria-live="polite" hidden=move || guidance.get().is_empty()>{move || guidance.get()}</p>
            <table class="lab-bells">
                <caption>{text(Key::LabBells)}</caption>
                <thead><tr><th scope="col">{text(Key::LabPlanned)}</th><th scope="col">{text(Key::LabObserved)}</th>
                    <th scope="col">{text(Key::LabMeasured)}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="quiet">{text(Key::LabNote)}</p>
            <SupportTable support=support()/>
        </section>
    }
}

#[component]
fn SupportTable(support: Support) -> impl IntoView {
    let lang = use_lang();
    let yes_no =
        move |present: bool| move || t(lang.get(), if present { Key::LabAvailable } else { Key::LabMissing });
    let flac = if support.flac.is_empty() { None } else { Some(support.flac.clone()) };
    let flac_text = move || flac.clone().unwrap_or_else(|| t(lang.get(), Key::LabMissing).to_owned());
    // Voices may load after the page: read them when the language changes.
    let voices = move || Speaker::new().map_or(0, |s| s.voices(lang.get().tag()).len()).to_string();
    let automatic = Mode::automatic(&support, false);
    view! {
        <table class="lab-support">
            <caption>{move || t(lang.get(), Key::LabSupport)}</caption>
            <tbody>
                <tr><th scope="row">"FLAC (audio element)"</th><td>{flac_text}</td></tr>
                <tr><th scope="row">"Media Session"</th><td>{yes_no(support.media_session)}</td></tr>
                <tr><th scope="row">"Screen Wake Lock"</th><td>{yes_no(support.wake_lock)}</td></tr>
                <tr><th scope="row">"Audio Session"</th><td>{yes_no(support.audio_session)}</td></tr>
                <tr><th scope="row">"Web Audio"</th><td>{yes_no(support.web_audio)}</td></tr>
                <tr><th scope="row">"Speech synthesis"</th><td>{yes_no(support.speech_synthesis)}</td></tr>
                <tr><th scope="row">{move || t(lang.get(), Key::LabVoices)}</th><td class="lab-voices">{voices}</td></tr>
                <tr><th scope="row">{move || t(lang.get(), Key::LabAutomatic)}</th><td class="lab-automatic">{automatic.as_str()}</td></tr>
            </tbody>
        </table>
    }
}

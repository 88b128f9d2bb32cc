//! The lab's playing: the chosen test prepared in the chosen way (a
//! `playback::web::Session`, or the naive timer), started inside the click,
//! followed by its clock, measured, saved for a reload, and the busy-page
//! test that blocks the page around the second bell.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use stille_audio::Config;
use stille_audio::mode::ModeSetting;
use stille_audio::web::{Mode, NaiveBell, support};
use stille_practice::{BellSound, Lang, Timeline};

use super::measure::Measure;
use crate::i18n::{Key, mode_key, t, use_lang};
use crate::lab::{LabResume, Test, Way, observe};
use crate::playback::web::Session;
use crate::settings::{Settings, use_settings};
use crate::storage;

/// Where a lab session stood, saved so a reload can resume it.
const SAVED: &str = "stille.lab.session.v1";
/// How long the busy-page test blocks the main thread, and how long before
/// the second bell it starts (a hidden page's timers run about once a second,
/// so the block starts between 2.5 and 1.5 s early and covers the bell).
const BLOCK_MS: f64 = 5_000.0;
const BLOCK_LEAD_MS: f64 = 2_500.0;

pub fn is_hidden() -> bool {
    document().visibility_state() == web_sys::VisibilityState::Hidden
}

/// The lab's state: choices, what is prepared, and what it shows.
#[derive(Clone, Copy, Debug)]
pub struct LabPlayer {
    lang: Signal<Lang>,
    settings: RwSignal<Settings>,
    pub test: RwSignal<Test>,
    pub way: RwSignal<Way>,
    pub measuring: RwSignal<bool>,
    pub busy: RwSignal<bool>,
    timeline: Memo<Arc<Timeline>>,
    pub measure: Measure,
    session: StoredValue<Option<Rc<Session>>, LocalStorage>,
    naive: StoredValue<Option<Rc<NaiveBell>>, LocalStorage>,
    naive_started: RwSignal<Option<f64>>,
    pub ready: RwSignal<bool>,
    pub mode_used: RwSignal<Option<Mode>>,
    pub status: RwSignal<String>,
    pub notices: RwSignal<Vec<String>>,
    pub elapsed_ms: RwSignal<f64>,
    pub guidance: RwSignal<String>,
    pub interrupted: RwSignal<bool>,
    pub saved: RwSignal<Option<(Test, Mode, f64)>>,
}

impl LabPlayer {
    pub fn new() -> LabPlayer {
        let (lang, settings) = (use_lang(), use_settings());
        let test = RwSignal::new(Test::Bells);
        let timeline = Memo::new(move |_| Arc::new(test.get().timeline(lang.get())));
        // Every sound's planned onset: the bells, and the clips of a voice.
        let planned = Memo::new(move |_| timeline.with(|tl| test.get().onsets(tl, lang.get())));
        let saved = storage::load::<LabResume>(SAVED).unwrap_or_else(|e| {
            storage::warn(&e);
            None
        });
        LabPlayer {
            lang,
            settings,
            test,
            way: RwSignal::new(Way::Auto),
            measuring: RwSignal::new(false),
            busy: RwSignal::new(false),
            timeline,
            measure: Measure::new(planned, is_hidden()),
            session: StoredValue::new_local(None),
            naive: StoredValue::new_local(None),
            naive_started: RwSignal::new(None),
            ready: RwSignal::new(false),
            mode_used: RwSignal::new(None),
            status: RwSignal::new(String::new()),
            notices: RwSignal::new(Vec::new()),
            elapsed_ms: RwSignal::new(0.0),
            guidance: RwSignal::new(String::new()),
            interrupted: RwSignal::new(false),
            saved: RwSignal::new(saved.and_then(|s| s.check(lang.get_untracked()))),
        }
    }

    /// A choice changed: what was prepared no longer applies.
    pub fn forget(self) {
        self.ready.set(false);
        self.session.set_value(None);
        self.naive.set_value(None);
    }

    /// Prepares the chosen test; `forced` replays a saved mode (from a
    /// position) on resume.
    pub fn prepare(self, forced: Option<(Mode, f64)>) {
        let started = js_sys::Date::now();
        self.measure.reset();
        self.naive_started.set(None);
        self.guidance.set(String::new());
        self.forget();
        let lang = self.lang.get_untracked();
        if self.way.get_untracked() == Way::Naive && forced.is_none() {
            match NaiveBell::prepare(BellSound::Chime) {
                Ok(bell) => {
                    self.naive.set_value(Some(Rc::new(bell)));
                    self.mode_used.set(None);
                    self.status.set(t(lang, Key::LabModeNaive).to_owned());
                    self.ready.set(true);
                }
                Err(error) => self.status.set(error.to_string()),
            }
            return;
        }
        let order = match (forced, self.way.get_untracked()) {
            (Some((mode, _)), _) => vec![mode, Mode::Soundtrack, Mode::Live, Mode::Silent],
            (None, Way::Soundtrack) => Mode::order(ModeSetting::Soundtrack, &support(), false),
            (None, Way::Live) => Mode::order(ModeSetting::Live, &support(), false),
            _ => Mode::order(self.settings.get_untracked().playback, &support(), false),
        };
        let timeline = Rc::new(self.timeline.with_untracked(|tl| (**tl).clone()));
        let session = Session::new(timeline, t(lang, self.test.get_untracked().label()), lang);
        let sound = Config {
            voice: self.test.get_untracked().voice(lang, Config::default().sample_rate),
            ..Config::default()
        };
        let skipped = session.prepare(&order, &sound, forced.map_or(0.0, |(_, at)| at));
        self.notices.set(
            skipped.iter().map(|(mode, error)| format!("{}: {error}", t(lang, mode_key(*mode)))).collect(),
        );
        if let Some(player) = session.player() {
            self.mode_used.set(Some(player.mode()));
            let took = js_sys::Date::now() - started;
            let size = player.size().div_ceil(1024);
            self.status.set(format!(
                "{} {}: {size} KB, {took:.0} ms",
                t(lang, Key::LabReady),
                t(lang, mode_key(player.mode()))
            ));
        }
        self.session.set_value(Some(session));
        self.ready.set(true);
    }

    /// Starts playing from `from_ms` (inside the click), measuring onsets when asked.
    pub fn start(self, from_ms: f64) {
        let measure = self.measure;
        let on_onset = move |ms: f64| measure.onsets.update(|list| list.push(ms));
        let measuring = self.measuring.get_untracked() && measure.tap.with_value(Option::is_none);
        measure.played_from.set_value(from_ms);
        let status = self.status;
        if let Some(bell) = self.naive.get_value() {
            let naive_started = self.naive_started;
            spawn_local(async move {
                if measuring {
                    match bell.tap_onsets("/onset-worklet.js", on_onset).await {
                        Ok(installed) => measure.tap.set_value(Some(installed)),
                        Err(error) => status.set(error.to_string()),
                    }
                }
                // The naive timer starts its first bell at the lab's 2 s lead-in.
                naive_started.set(Some(js_sys::Date::now()));
                bell.start(2_000, 20_000);
            });
            return;
        }
        // Still inside the click: the call that starts sound happens now.
        let Some(player) = self.session.with_value(|s| s.as_ref().and_then(|s| s.start_in_gesture())) else {
            return;
        };
        spawn_local(async move {
            if measuring {
                measure.measured_from.set(from_ms);
                match player.tap_onsets("/onset-worklet.js", on_onset).await {
                    Ok(installed) => measure.tap.set_value(Some(installed)),
                    Err(error) => status.set(error.to_string()),
                }
            }
            if let Err(error) = player.play().await {
                status.set(error.to_string());
            }
        });
    }

    pub fn play(self) {
        self.start(self.session.with_value(|s| s.as_ref().map_or(0.0, |s| s.elapsed_ms())));
    }

    pub fn resume(self) {
        if let Some((test, mode, position)) = self.saved.get_untracked() {
            self.test.set(test);
            if let Some(way) = Way::of(mode) {
                self.way.set(way);
            }
            self.prepare(Some((mode, position)));
            self.start(position);
            self.saved.set(None);
        }
    }

    /// Pauses, or stops (`stop`: nothing left to resume, measurements cleared).
    pub fn halt(self, stop: bool) {
        if let Some(bell) = self.naive.get_value() {
            bell.stop();
        }
        self.session.with_value(|s| s.as_ref().map(|s| if stop { s.stop() } else { s.pause() }));
        if stop {
            storage::remove(SAVED);
            self.measure.reset();
        }
    }

    /// Before the page goes away (reload, tab closed), notes where it stood.
    pub fn save(self) {
        let Some(player) = self.session.with_value(|s| s.as_ref().and_then(|s| s.player())) else { return };
        if let Some(mode) = self.mode_used.get_untracked()
            && player.is_playing()
        {
            let record = LabResume {
                test: self.test.get_untracked().name().into(),
                mode: mode.as_str().into(),
                position_ms: player.elapsed_ms(),
            };
            if let Err(error) = storage::save(SAVED, &record) {
                storage::warn(&error);
            }
        }
    }

    /// The display follows the player's clock; nothing audible depends on this.
    pub fn tick(self) {
        let session = self.session.get_value();
        let (now, playing) =
            match (session.as_ref().and_then(|s| s.player()), self.naive_started.get_untracked()) {
                (Some(player), _) => {
                    self.interrupted.set(player.interrupted());
                    (player.elapsed_ms(), player.is_playing())
                }
                // The naive timer has no clock but the wall clock.
                (None, Some(started)) => (js_sys::Date::now() - started, true),
                (None, None) => return,
            };
        self.elapsed_ms.set(now);
        if !playing {
            return;
        }
        let bells = self.measure.planned.get_untracked();
        self.measure.observed.update(|seen| observe(seen, &bells, now, self.measure.played_from.get_value()));
        let lang = self.lang.get_untracked();
        let voice = self.settings.with_untracked(|s| s.speech.then(|| s.voice(lang).map(str::to_owned)));
        if let Some(tick) = session.and_then(|s| s.tick(voice, false)) {
            if self.guidance.get_untracked() != tick.guidance {
                self.guidance.set(tick.guidance);
            }
            if tick.save {
                self.save();
            }
        }
        // The busy-page test: block the main thread around the second bell.
        if self.busy.get_untracked()
            && self.measure.blocked.get_untracked().is_none()
            && let Some(second) = bells.get(1)
            && now >= f64::from(*second) - BLOCK_LEAD_MS
        {
            self.measure.blocked.set(Some(is_hidden()));
            let end = js_sys::Date::now() + BLOCK_MS;
            while js_sys::Date::now() < end {}
        }
    }
}

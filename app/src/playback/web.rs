//! The browser side of a playing: one [`Session`] for the player and the lab.
//! It prepares the player in the first mode the browser can do, makes the
//! call that starts sound inside the person's tap, reads the player's clock
//! (never counting ticks), says and buzzes what [`super::Follow`] asks, and
//! lets its owner save where it stands on `pagehide` and once a second.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use stille_audio::Config;
use stille_audio::web::{Mode, Player, PlayerError, Speaker};
use stille_practice::{Lang, Timeline};

use super::{Follow, Tick};

/// One playing of one timeline.
#[derive(Debug)]
pub struct Session {
    timeline: Rc<Timeline>,
    title: String,
    lang: Lang,
    player: RefCell<Option<Rc<Player>>>,
    speaker: Option<Speaker>,
    follow: RefCell<Follow>,
}

impl Session {
    /// A session for `timeline`; `title` is what the lock screen shows,
    /// `lang` the language it is read aloud in.
    pub fn new(timeline: Rc<Timeline>, title: &str, lang: Lang) -> Rc<Session> {
        let follow = RefCell::new(Follow::new(&timeline));
        Rc::new(Session {
            timeline,
            title: title.to_owned(),
            lang,
            player: RefCell::new(None),
            speaker: Speaker::new(),
            follow,
        })
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The player, once prepared.
    pub fn player(&self) -> Option<Rc<Player>> {
        self.player.borrow().clone()
    }

    /// Prepares the player in the first mode of `order` that works (once),
    /// to play from `from_ms` (a resumed playing); the modes given up and
    /// why, for the person to see.
    pub fn prepare(&self, order: &[Mode], sound: &Config, from_ms: f64) -> Vec<(Mode, PlayerError)> {
        if self.player.borrow().is_some() {
            return Vec::new();
        }
        let (player, skipped) = Player::prepare_first(order, &self.timeline, sound, &self.title, from_ms);
        *self.player.borrow_mut() = Some(Rc::new(player));
        skipped
    }

    /// Starts sound now, inside the tap, and returns the player to await
    /// [`Player::play`] on.
    pub fn start_in_gesture(&self) -> Option<Rc<Player>> {
        let player = self.player()?;
        player.start_in_gesture();
        Some(player)
    }

    pub fn pause(&self) {
        if let Some(p) = self.player() {
            p.pause();
        }
        self.silence();
    }

    pub fn stop(&self) {
        if let Some(p) = self.player() {
            p.stop();
        }
        self.silence();
    }

    pub fn silence(&self) {
        if let Some(s) = &self.speaker {
            s.silence();
        }
    }

    pub fn elapsed_ms(&self) -> f64 {
        self.player().map_or(0.0, |p| p.elapsed_ms())
    }

    /// Plays now, and not held by an interruption (a call, another app).
    pub fn is_sounding(&self) -> bool {
        self.player().is_some_and(|p| p.is_playing() && !p.interrupted())
    }

    /// One reading of the clock: says the guidance due (with `voice` when
    /// reading aloud is on, None when off) and buzzes when asked to (when
    /// `buzz` is on); what it read, for the page to show.
    pub fn tick(&self, voice: Option<Option<String>>, buzz: bool) -> Option<Tick> {
        let player = self.player()?;
        let sounding = player.is_playing() && !player.interrupted();
        let tick =
            self.follow.borrow_mut().tick(&self.timeline, player.elapsed_ms(), sounding, js_sys::Date::now());
        if let (Some(said), Some(voice), Some(speaker)) = (&tick.speak, voice, &self.speaker) {
            speaker.say(said, self.lang.tag(), voice.as_deref());
        }
        if buzz {
            vibrate(tick.buzz);
        }
        Some(tick)
    }
}

/// Buzzes `pattern` (ms on/off) where the device can; nothing where it
/// cannot (Safari, Firefox and WebKitGTK have no `navigator.vibrate`).
fn vibrate(pattern: &[u32]) {
    if pattern.is_empty() {
        return;
    }
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return };
    if !js_sys::Reflect::has(&navigator, &"vibrate".into()).unwrap_or(false) {
        return;
    }
    let array: js_sys::Array = pattern.iter().map(|ms| wasm_bindgen::JsValue::from(*ms)).collect();
    let _ = navigator.vibrate_with_pattern(&array);
}

/// Runs `tick` every `period` and `save` on `pagehide` for as long as the
/// calling component lives; `leave` runs when it goes (a link, Back).
pub fn follow_while_mounted(
    period: Duration,
    tick: impl Fn() + 'static,
    save: impl Fn() + 'static,
    leave: impl FnOnce() + 'static,
) {
    let pagehide = window_event_listener_untyped("pagehide", move |_| save());
    let timer = set_interval_with_handle(tick, period);
    // The wasm is single-threaded: the wrapper only satisfies `on_cleanup`'s `Send`.
    let leave = send_wrapper::SendWrapper::new(RefCell::new(Some(leave)));
    on_cleanup(move || {
        pagehide.remove();
        if let Ok(timer) = timer {
            timer.clear();
        }
        if let Some(leave) = leave.borrow_mut().take() {
            leave();
        }
    });
}

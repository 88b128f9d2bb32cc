//! The browser side, behind one [`Player`] the app uses. Three ways to sound a
//! timeline, chosen per browser ([`Mode::automatic`]) and overridable:
//!
//! - [`Mode::Soundtrack`] ([`MediaPlayer`]): the whole session rendered to one
//!   FLAC file played by a media element, which keeps playing when the screen
//!   locks, with lock-screen metadata and controls (Media Session);
//! - [`Mode::Live`] ([`LivePlayer`]): every sound scheduled on the AudioContext
//!   clock when the session starts, for interactive pacers in the foreground;
//! - [`Mode::Silent`] ([`SilentPlayer`]): when neither can play, a clock with
//!   on-screen guidance only, and a message that says why.
//!
//! Elapsed time always comes from the player's own clock, never from counting
//! ticks. Spoken guidance ([`Speaker`]) and decoded voice clips ([`decode_clip`])
//! sit beside the players; [`OnsetTap`] and [`NaiveBell`] serve the `/lab/audio`
//! page's measurements.
//!
//! APIs that web-sys only exposes behind `--cfg=web_sys_unstable_apis`
//! (Media Session, Screen Wake Lock, Audio Session) are reached through
//! `js_sys::Reflect`, which doubles as feature detection: a browser without one
//! simply goes without it, and [`support`] says so.

mod bed;
mod clip;
mod live;
mod measure;
mod media;
mod silent;
mod speech;
mod take;
mod wake;

use js_sys::{Array, Function, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::JsValue;
use web_sys::{Blob, BlobPropertyBag, HtmlAudioElement, Url};

pub use clip::decode_clip;
pub use live::LivePlayer;
pub use measure::{NaiveBell, OnsetTap};
pub use media::MediaPlayer;
pub use silent::SilentPlayer;
pub use speech::{Speaker, Voice};
pub use take::TakePlayer;

use crate::Config;
pub use crate::mode::{Mode, ModeSetting, Support};
use stille_practice::Timeline;

/// Why playback could not be prepared or started.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlayerError {
    #[error("this browser cannot play FLAC in a media element")]
    NoFlac,
    #[error("this browser has no Web Audio")]
    NoWebAudio,
    #[error("the soundtrack could not be made: {0}")]
    Render(String),
    #[error("a voice recording could not be decoded ({0}); its words are shown on screen")]
    Clip(String),
    #[error("the browser refused: {0}")]
    Browser(String),
}

fn js_error(value: JsValue) -> PlayerError {
    let message = value
        .as_string()
        .or_else(|| property(&value, "message").and_then(|m| m.as_string()))
        .unwrap_or_else(|| format!("{value:?}"));
    PlayerError::Browser(message)
}

fn navigator() -> Option<web_sys::Navigator> {
    web_sys::window().map(|w| w.navigator())
}

/// A property of `target` when it exists (not undefined or null).
fn property(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// Calls `target.method(args…)` when the method exists.
fn call(target: &JsValue, method: &str, args: &[&JsValue]) -> Option<JsValue> {
    let function = property(target, method)?.dyn_into::<Function>().ok()?;
    let list = Array::new();
    for arg in args {
        list.push(arg);
    }
    function.apply(target, &list).ok()
}

/// Safari 16.4+: let this page's audio play like a music app (on lock, with
/// the ring switch off). Harmless where `navigator.audioSession` is missing.
fn audio_session_playback() {
    if let Some(session) = navigator().and_then(|n| property(&n, "audioSession")) {
        let _ = Reflect::set(&session, &JsValue::from_str("type"), &JsValue::from_str("playback"));
    }
}

pub fn support() -> Support {
    let nav: JsValue = navigator().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
    let window: JsValue = web_sys::window().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
    let flac = HtmlAudioElement::new().map(|a| a.can_play_type("audio/flac")).unwrap_or_default();
    Support {
        flac,
        media_session: property(&nav, "mediaSession").is_some(),
        wake_lock: property(&nav, "wakeLock").is_some(),
        audio_session: property(&nav, "audioSession").is_some(),
        web_audio: property(&window, "AudioContext").is_some(),
        speech_synthesis: property(&window, "speechSynthesis").is_some(),
    }
}

/// One session's playback, whatever the mode.
#[derive(Debug)]
pub enum Player {
    Soundtrack(MediaPlayer),
    Live(LivePlayer),
    Silent(SilentPlayer),
}

impl Player {
    /// Prepares `mode` to play from `from_ms` (call [`Player::play`] from a
    /// user gesture). A soundtrack is rendered from there on rather than
    /// seeked (see `soundtrack_flac_from`); the others seek their clocks.
    pub fn prepare(
        mode: Mode,
        timeline: &Timeline,
        config: &Config,
        title: &str,
        from_ms: f64,
    ) -> Result<Player, PlayerError> {
        let player = match mode {
            Mode::Soundtrack => {
                return Ok(Player::Soundtrack(MediaPlayer::prepare(timeline, config, title, from_ms)?));
            }
            Mode::Live => Player::Live(LivePlayer::prepare(timeline, config)?),
            Mode::Silent => Player::Silent(SilentPlayer::new(timeline.length_ms)),
        };
        if from_ms > 0.0 {
            player.seek(from_ms);
        }
        Ok(player)
    }

    /// Prepares the first mode of `order` that works. Always gives a player
    /// (silence is the last resort); the errors say what was given up and why,
    /// so the app can tell the user instead of going quiet.
    pub fn prepare_first(
        order: &[Mode],
        timeline: &Timeline,
        config: &Config,
        title: &str,
        from_ms: f64,
    ) -> (Player, Vec<(Mode, PlayerError)>) {
        let mut skipped = Vec::new();
        for &mode in order {
            match Player::prepare(mode, timeline, config, title, from_ms) {
                Ok(player) => return (player, skipped),
                Err(error) => skipped.push((mode, error)),
            }
        }
        let silent = Player::Silent(SilentPlayer::new(timeline.length_ms));
        silent.seek(from_ms);
        (silent, skipped)
    }

    pub fn mode(&self) -> Mode {
        match self {
            Player::Soundtrack(_) => Mode::Soundtrack,
            Player::Live(_) => Mode::Live,
            Player::Silent(_) => Mode::Silent,
        }
    }

    /// Makes the call that starts sound (`play()`, `resume()`) right now,
    /// synchronously: call it inside the button's event handler, before any
    /// `await` or spawned task, where every browser still counts the tap as
    /// the user's gesture. Then await [`Player::play`] for the outcome.
    pub fn start_in_gesture(&self) {
        match self {
            Player::Soundtrack(p) => p.start_in_gesture(),
            Player::Live(p) => p.start_in_gesture(),
            Player::Silent(p) => p.play(),
        }
    }

    /// Starts or resumes playback and reports whether the browser allowed
    /// it; begin with [`Player::start_in_gesture`] in the user's gesture
    /// (browsers refuse to start sound otherwise).
    pub async fn play(&self) -> Result<(), PlayerError> {
        match self {
            Player::Soundtrack(p) => p.play().await,
            Player::Live(p) => p.play().await,
            Player::Silent(p) => {
                p.play();
                Ok(())
            }
        }
    }

    pub fn pause(&self) {
        match self {
            Player::Soundtrack(p) => p.pause(),
            Player::Live(p) => p.pause(),
            Player::Silent(p) => p.pause(),
        }
    }

    /// Stops and goes back to the start.
    pub fn stop(&self) {
        self.pause();
        self.seek(0.0);
    }

    /// Moves to `ms` (clamped to the session), playing or not; every later
    /// sound keeps its place relative to the new position.
    pub fn seek(&self, ms: f64) {
        match self {
            Player::Soundtrack(p) => p.seek(ms),
            Player::Live(p) => p.seek(ms),
            Player::Silent(p) => p.seek(ms),
        }
    }

    /// Elapsed session time in ms, from the player's clock.
    pub fn elapsed_ms(&self) -> f64 {
        match self {
            Player::Soundtrack(p) => p.elapsed_ms(),
            Player::Live(p) => p.elapsed_ms(),
            Player::Silent(p) => p.elapsed_ms(),
        }
    }

    /// Whether the user wants it playing (it may still be held up by the
    /// system: see [`Player::interrupted`]).
    pub fn is_playing(&self) -> bool {
        match self {
            Player::Soundtrack(p) => p.is_playing(),
            Player::Live(p) => p.is_playing(),
            Player::Silent(p) => p.is_playing(),
        }
    }

    /// Playing was wanted but the system stopped the sound (a phone call, an
    /// iPhone locking with Web Audio): the clock stands still, so cues stay
    /// aligned, and a tap on play resumes.
    pub fn interrupted(&self) -> bool {
        match self {
            Player::Live(p) => p.interrupted(),
            Player::Soundtrack(_) | Player::Silent(_) => false,
        }
    }

    pub fn ended(&self) -> bool {
        self.elapsed_ms() >= f64::from(self.duration_ms())
    }

    pub fn duration_ms(&self) -> u32 {
        match self {
            Player::Soundtrack(p) => p.duration_ms,
            Player::Live(p) => p.duration_ms,
            Player::Silent(p) => p.duration_ms,
        }
    }

    /// Bytes prepared for playback (the FLAC file, or the decoded buffers).
    pub fn size(&self) -> usize {
        match self {
            Player::Soundtrack(p) => p.size,
            Player::Live(p) => p.size,
            Player::Silent(_) => 0,
        }
    }

    /// Routes the output through an onset-measuring AudioWorklet (the lab).
    pub async fn tap_onsets(
        &self,
        worklet_url: &str,
        on_onset: impl FnMut(f64) + 'static,
    ) -> Result<OnsetTap, PlayerError> {
        match self {
            Player::Soundtrack(p) => p.tap_onsets(worklet_url, on_onset).await,
            Player::Live(p) => p.tap_onsets(worklet_url, on_onset).await,
            Player::Silent(_) => Err(PlayerError::NoWebAudio),
        }
    }
}

/// An object URL for FLAC bytes (revoke it when done).
fn flac_url(flac: &[u8]) -> Result<String, PlayerError> {
    flac_parts_url(&[flac])
}

/// An object URL for a FLAC stream given in parts, in order.
fn flac_parts_url(flac: &[&[u8]]) -> Result<String, PlayerError> {
    let parts = Array::new();
    for part in flac {
        parts.push(&Uint8Array::from(*part));
    }
    let options = BlobPropertyBag::new();
    options.set_type("audio/flac");
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(js_error)?;
    Url::create_object_url_with_blob(&blob).map_err(js_error)
}

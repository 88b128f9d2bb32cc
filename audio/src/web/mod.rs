//! The browser side: a soundtrack played by a media element, which keeps
//! playing when the screen locks (a suspended AudioContext or a throttled timer
//! would not), with lock-screen metadata and controls through the Media Session
//! API, the screen kept awake while practising in the foreground, and the
//! elapsed time read from the media element's own clock.
//!
//! APIs that web-sys only exposes behind `--cfg=web_sys_unstable_apis`
//! (Media Session, Screen Wake Lock, Audio Session) are reached through
//! `js_sys::Reflect`, which doubles as feature detection: a browser without one
//! simply goes without it, and [`support`] says so.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue, wasm_bindgen};
use web_sys::{Blob, BlobPropertyBag, HtmlAudioElement, Url};

use crate::{Config, soundtrack_flac};
use stille_practice::Timeline;

/// Why playback could not be prepared or started.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlayerError {
    #[error("this browser cannot play FLAC in a media element")]
    NoFlac,
    #[error("the soundtrack could not be made: {0}")]
    Render(String),
    #[error("the browser refused: {0}")]
    Browser(String),
}

fn js_error(value: JsValue) -> PlayerError {
    PlayerError::Browser(value.as_string().unwrap_or_else(|| format!("{value:?}")))
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

/// Which of the APIs the player uses this browser has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Support {
    /// `canPlayType("audio/flac")`: "probably", "maybe" or "".
    pub flac: String,
    pub media_session: bool,
    pub wake_lock: bool,
    /// `navigator.audioSession` (Safari 16.4+): lets Web Audio play on lock.
    pub audio_session: bool,
    pub web_audio: bool,
    pub speech_synthesis: bool,
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

/// An object URL for FLAC bytes (revoke it when done).
fn flac_url(flac: &[u8]) -> Result<String, PlayerError> {
    let parts = Array::of1(&Uint8Array::from(flac));
    let options = BlobPropertyBag::new();
    options.set_type("audio/flac");
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(js_error)?;
    Url::create_object_url_with_blob(&blob).map_err(js_error)
}

/// A practice's soundtrack, ready in a media element.
#[derive(Debug)]
pub struct MediaPlayer {
    audio: HtmlAudioElement,
    url: String,
    /// Bytes of the FLAC file.
    pub size: usize,
    pub duration_ms: u32,
    wake_lock: Rc<RefCell<Option<JsValue>>>,
    handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl MediaPlayer {
    /// Renders the timeline to FLAC (in this thread; a 45-minute timer takes
    /// a fraction of a second natively) and loads it into a media element.
    pub fn prepare(timeline: &Timeline, config: &Config, title: &str) -> Result<MediaPlayer, PlayerError> {
        let audio = HtmlAudioElement::new().map_err(js_error)?;
        if audio.can_play_type("audio/flac").is_empty() {
            return Err(PlayerError::NoFlac);
        }
        let flac = soundtrack_flac(timeline, config).map_err(|e| PlayerError::Render(e.to_string()))?;
        let url = flac_url(&flac)?;
        audio.set_src(&url);
        audio.set_preload("auto");
        // Safari: let this page's audio play like a music app (on lock, with the
        // ring switch off). Harmless elsewhere.
        if let Some(session) = navigator().and_then(|n| property(&n, "audioSession")) {
            let _ = Reflect::set(&session, &JsValue::from_str("type"), &JsValue::from_str("playback"));
        }
        let mut player = MediaPlayer {
            audio,
            url,
            size: flac.len(),
            duration_ms: timeline.length_ms,
            wake_lock: Rc::new(RefCell::new(None)),
            handlers: Vec::new(),
        };
        player.set_media_session(title);
        player.reacquire_wake_lock_on_return();
        Ok(player)
    }

    /// The browser drops a wake lock when the page is hidden; ask again when it
    /// is shown while still playing.
    fn reacquire_wake_lock_on_return(&mut self) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let audio = self.audio.clone();
        let wake_lock = self.wake_lock.clone();
        let handler = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            let visible = web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
            if visible && !audio.paused() {
                // The old sentinel was released by the browser.
                wake_lock.borrow_mut().take();
                let wake_lock = wake_lock.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(sentinel) = request_wake_lock().await {
                        *wake_lock.borrow_mut() = Some(sentinel);
                    }
                });
            }
        });
        let _ =
            document.add_event_listener_with_callback("visibilitychange", handler.as_ref().unchecked_ref());
        self.handlers.push(handler);
    }

    fn set_media_session(&mut self, title: &str) {
        let Some(nav) = navigator() else { return };
        let Some(session) = property(&nav, "mediaSession") else { return };
        let window: JsValue = web_sys::window().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        if let Some(constructor) =
            property(&window, "MediaMetadata").and_then(|c| c.dyn_into::<Function>().ok())
        {
            let init = Object::new();
            let _ = Reflect::set(&init, &"title".into(), &title.into());
            let _ = Reflect::set(&init, &"artist".into(), &"Stille".into());
            if let Ok(metadata) = Reflect::construct(&constructor, &Array::of1(&init)) {
                let _ = Reflect::set(&session, &"metadata".into(), &metadata);
            }
        }
        let audio = self.audio.clone();
        let play = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            let _ = audio.play();
        });
        let audio = self.audio.clone();
        let pause = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            let _ = audio.pause();
        });
        let audio = self.audio.clone();
        let stop = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            let _ = audio.pause();
            audio.set_current_time(0.0);
        });
        let audio = self.audio.clone();
        let seek = Closure::<dyn FnMut(JsValue)>::new(move |details: JsValue| {
            if let Some(time) = property(&details, "seekTime").and_then(|t| t.as_f64()) {
                audio.set_current_time(time);
            }
        });
        for (action, handler) in [("play", &play), ("pause", &pause), ("stop", &stop), ("seekto", &seek)] {
            // Browsers throw for actions they do not know; that is fine.
            let _ = call(&session, "setActionHandler", &[&action.into(), handler.as_ref()]);
        }
        self.handlers.extend([play, pause, stop, seek]);
    }

    /// Starts or resumes playback (call from a user gesture) and keeps the
    /// screen awake while it plays.
    pub async fn play(&self) -> Result<(), PlayerError> {
        let promise = self.audio.play().map_err(js_error)?;
        wasm_bindgen_futures::JsFuture::from(promise).await.map_err(js_error)?;
        self.keep_awake().await;
        self.update_position();
        Ok(())
    }

    pub fn pause(&self) {
        let _ = self.audio.pause();
        self.let_sleep();
        self.update_position();
    }

    pub fn stop(&self) {
        self.pause();
        self.audio.set_current_time(0.0);
    }

    pub fn seek(&self, ms: f64) {
        self.audio.set_current_time((ms / 1000.0).clamp(0.0, f64::from(self.duration_ms) / 1000.0));
        self.update_position();
    }

    /// Elapsed time from the media element's clock, in ms.
    pub fn elapsed_ms(&self) -> f64 {
        self.audio.current_time() * 1000.0
    }

    pub fn is_playing(&self) -> bool {
        !self.audio.paused() && !self.audio.ended()
    }

    pub fn ended(&self) -> bool {
        self.audio.ended()
    }

    /// Tells the lock screen where playback stands.
    fn update_position(&self) {
        let Some(session) = navigator().and_then(|n| property(&n, "mediaSession")) else { return };
        let state = Object::new();
        let duration = f64::from(self.duration_ms) / 1000.0;
        let _ = Reflect::set(&state, &"duration".into(), &duration.into());
        let _ = Reflect::set(&state, &"playbackRate".into(), &1.0.into());
        let _ = Reflect::set(&state, &"position".into(), &self.audio.current_time().min(duration).into());
        let _ = call(&session, "setPositionState", &[&state]);
    }

    /// Screen Wake Lock while playing in the foreground. (It is released by the
    /// browser when the page is hidden; the app asks again when it returns.)
    pub async fn keep_awake(&self) {
        if self.wake_lock.borrow().is_some() {
            return;
        }
        if let Some(sentinel) = request_wake_lock().await {
            *self.wake_lock.borrow_mut() = Some(sentinel);
        }
    }

    fn let_sleep(&self) {
        if let Some(sentinel) = self.wake_lock.borrow_mut().take() {
            let _ = call(&sentinel, "release", &[]);
        }
    }
}

/// `navigator.wakeLock.request("screen")`, when the browser has it and grants it.
async fn request_wake_lock() -> Option<JsValue> {
    let lock = navigator().and_then(|n| property(&n, "wakeLock"))?;
    let promise = call(&lock, "request", &[&"screen".into()])?.dyn_into::<js_sys::Promise>().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise).await.ok()
}

impl Drop for MediaPlayer {
    fn drop(&mut self) {
        let _ = self.audio.pause();
        self.let_sleep();
        self.audio.set_src("");
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            for handler in &self.handlers {
                let _ = document.remove_event_listener_with_callback(
                    "visibilitychange",
                    handler.as_ref().unchecked_ref(),
                );
            }
        }
        let _ = Url::revoke_object_url(&self.url);
        if let Some(session) = navigator().and_then(|n| property(&n, "mediaSession")) {
            for action in ["play", "pause", "stop", "seekto"] {
                let _ = call(&session, "setActionHandler", &[&action.into(), &JsValue::NULL]);
            }
        }
    }
}

#[wasm_bindgen(module = "/src/web/measure.js")]
extern "C" {
    #[wasm_bindgen(js_name = tapOnsets, catch)]
    async fn tap_onsets_js(
        audio: &HtmlAudioElement,
        worklet_url: &str,
        on_onset: &Closure<dyn FnMut(f64)>,
    ) -> Result<JsValue, JsValue>;
}

/// Measures what actually comes out: the player's sound is routed through an
/// AudioContext whose AudioWorklet (`worklet_url`) reports each onset's output
/// time in ms. For diagnostics only: on iPhones a locked screen may suspend the
/// AudioContext, and with it this route.
#[derive(Debug)]
pub struct OnsetTap {
    _context: JsValue,
    _callback: Closure<dyn FnMut(f64)>,
}

async fn tap(
    audio: &HtmlAudioElement,
    worklet_url: &str,
    on_onset: impl FnMut(f64) + 'static,
) -> Result<OnsetTap, PlayerError> {
    let callback = Closure::<dyn FnMut(f64)>::new(on_onset);
    let context = tap_onsets_js(audio, worklet_url, &callback).await.map_err(js_error)?;
    Ok(OnsetTap { _context: context, _callback: callback })
}

impl MediaPlayer {
    pub async fn tap_onsets(
        &self,
        worklet_url: &str,
        on_onset: impl FnMut(f64) + 'static,
    ) -> Result<OnsetTap, PlayerError> {
        tap(&self.audio, worklet_url, on_onset).await
    }
}

/// For comparison only: how a naive web timer rings bells, by replaying a
/// one-bell clip from a chain of `setTimeout` calls. A busy or hidden page
/// delays it (Chrome throttles hidden timers to one wake-up a minute); the lab
/// measures it beside the soundtrack.
#[derive(Debug)]
pub struct NaiveBell {
    audio: HtmlAudioElement,
    url: String,
    timer: Rc<std::cell::Cell<i32>>,
    tick: Tick,
}

/// The timer callback, kept where it can reschedule itself.
type Tick = Rc<RefCell<Option<Closure<dyn FnMut()>>>>;

impl NaiveBell {
    pub fn prepare(sound: stille_practice::BellSound) -> Result<NaiveBell, PlayerError> {
        let audio = HtmlAudioElement::new().map_err(js_error)?;
        if audio.can_play_type("audio/flac").is_empty() {
            return Err(PlayerError::NoFlac);
        }
        let seconds = sound.ring_out_ms().div_ceil(1000);
        let one_bell = crate::lab::bell_every(0, seconds, seconds, sound);
        let flac =
            soundtrack_flac(&one_bell, &Config::default()).map_err(|e| PlayerError::Render(e.to_string()))?;
        let url = flac_url(&flac)?;
        audio.set_src(&url);
        audio.set_preload("auto");
        Ok(NaiveBell {
            audio,
            url,
            timer: Rc::new(std::cell::Cell::new(0)),
            tick: Rc::new(RefCell::new(None)),
        })
    }

    /// Rings now, then every `every_ms` by `setTimeout`, as naive code does.
    pub fn start(&self, every_ms: i32) {
        self.stop();
        let ring = {
            let audio = self.audio.clone();
            move || {
                audio.set_current_time(0.0);
                let _ = audio.play();
            }
        };
        ring();
        let (tick, timer) = (self.tick.clone(), self.timer.clone());
        let schedule = move |tick: &Tick, timer: &std::cell::Cell<i32>| {
            if let (Some(window), Some(callback)) = (web_sys::window(), tick.borrow().as_ref()) {
                let id = window
                    .set_timeout_with_callback_and_timeout_and_arguments_0(
                        callback.as_ref().unchecked_ref(),
                        every_ms,
                    )
                    .unwrap_or(0);
                timer.set(id);
            }
        };
        let (tick_inner, timer_inner) = (tick.clone(), timer.clone());
        *tick.borrow_mut() = Some(Closure::<dyn FnMut()>::new(move || {
            ring();
            schedule(&tick_inner, &timer_inner);
        }));
        schedule(&tick, &timer);
    }

    pub fn stop(&self) {
        if let Some(window) = web_sys::window() {
            window.clear_timeout_with_handle(self.timer.get());
        }
        let _ = self.audio.pause();
    }

    pub async fn tap_onsets(
        &self,
        worklet_url: &str,
        on_onset: impl FnMut(f64) + 'static,
    ) -> Result<OnsetTap, PlayerError> {
        tap(&self.audio, worklet_url, on_onset).await
    }
}

impl Drop for NaiveBell {
    fn drop(&mut self) {
        self.stop();
        // The closure holds its own Rc: take it out to free both.
        self.tick.borrow_mut().take();
        self.audio.set_src("");
        let _ = Url::revoke_object_url(&self.url);
    }
}

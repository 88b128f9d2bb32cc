//! A teacher's whole take: their own recording of a practice, kept by the
//! server as MP3 (`/api/audio/<sha256>`), played by a media element, which
//! keeps playing on a locked screen. With bells, a second element plays a
//! soundtrack of Stille's bells alone ([`take_with_bells`]): the opening
//! bell as the take begins, the closing bell as it ends. Both start in the
//! same tap and pause together; a timer could not start the take later on a
//! locked phone. The clock is the bells' element when there is one (it runs
//! on until the closing bell has rung out), the take's otherwise.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue};
use web_sys::{HtmlAudioElement, Url};

use super::wake::WakeLock;
use super::{PlayerError, audio_session_playback, call, flac_url, js_error, navigator, property};
use crate::{Config, soundtrack_flac};
use stille_practice::{PracticeId, take_with_bells};

#[derive(Debug)]
struct Bells {
    audio: HtmlAudioElement,
    url: String,
    length_ms: u32,
}

#[derive(Debug)]
pub struct TakePlayer {
    take: HtmlAudioElement,
    take_ms: u32,
    bells: Option<Bells>,
    /// The bells paused while the take waits for its data (a stall).
    held: std::cell::Cell<bool>,
    wake_lock: WakeLock,
    handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl TakePlayer {
    /// The take at `url` (`take_ms` long, as the server measured it), with
    /// bells when `bells`. A browser that cannot play the bells' FLAC plays
    /// the take without them: the second value says why.
    pub fn prepare(
        url: &str,
        take_ms: u32,
        bells: bool,
        practice: PracticeId,
        title: &str,
    ) -> Result<(TakePlayer, Option<PlayerError>), PlayerError> {
        let take = HtmlAudioElement::new_with_src(url).map_err(js_error)?;
        take.set_preload("auto");
        let (bells, problem) = if bells {
            match Bells::prepare(practice, take_ms) {
                Ok(b) => (Some(b), None),
                Err(e) => (None, Some(e)),
            }
        } else {
            (None, None)
        };
        audio_session_playback();
        let mut player = TakePlayer {
            take,
            take_ms,
            bells,
            held: std::cell::Cell::new(false),
            wake_lock: WakeLock::new(),
            handlers: Vec::new(),
        };
        player.set_media_session(title);
        Ok((player, problem))
    }

    fn elements(&self) -> Vec<HtmlAudioElement> {
        let mut all = vec![self.take.clone()];
        all.extend(self.bells.iter().map(|b| b.audio.clone()));
        all
    }

    fn set_media_session(&mut self, title: &str) {
        let Some(session) = navigator().and_then(|n| property(&n, "mediaSession")) else { return };
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
        // Play and pause from the lock screen act on both elements; "stop"
        // pauses (the page decides what stopping means). No seeking: the
        // bells would no longer meet the take's beginning and end.
        let elements = self.elements();
        let play = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            for element in &elements {
                if !element.ended() {
                    let _ = element.play();
                }
            }
        });
        let elements = self.elements();
        let pause = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            for element in &elements {
                let _ = element.pause();
            }
        });
        let elements = self.elements();
        let stop = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            for element in &elements {
                let _ = element.pause();
            }
        });
        for (action, handler) in [("play", &play), ("pause", &pause), ("stop", &stop)] {
            let _ = call(&session, "setActionHandler", &[&action.into(), handler.as_ref()]);
        }
        self.handlers.extend([play, pause, stop]);
    }

    /// Starts or resumes both elements: call inside the tap (a browser lets
    /// sound start only there), then await [`TakePlayer::started`].
    pub fn start_in_gesture(&self) -> Result<Vec<js_sys::Promise>, PlayerError> {
        self.elements().iter().filter(|e| !e.ended()).map(|e| e.play().map_err(js_error)).collect()
    }

    /// Waits for the elements the tap started; keeps the screen awake while
    /// they play.
    pub async fn started(&self, promises: Vec<js_sys::Promise>) -> Result<(), PlayerError> {
        for promise in promises {
            wasm_bindgen_futures::JsFuture::from(promise).await.map_err(js_error)?;
        }
        if self.is_playing() {
            self.wake_lock.hold().await;
        }
        Ok(())
    }

    pub fn pause(&self) {
        for element in self.elements() {
            let _ = element.pause();
        }
        self.wake_lock.release();
    }

    /// How long the whole playing lasts: the take, or with bells until the
    /// closing bell has rung out.
    pub fn length_ms(&self) -> u32 {
        self.bells.as_ref().map_or(self.take_ms, |b| b.length_ms)
    }

    /// Elapsed time by the clock of the element that plays longest, in ms.
    pub fn elapsed_ms(&self) -> f64 {
        let clock = self.bells.as_ref().map_or(&self.take, |b| &b.audio);
        if clock.ended() {
            return f64::from(self.length_ms());
        }
        (clock.current_time() * 1000.0).min(f64::from(self.length_ms()))
    }

    /// Whether sound is playing now (the lock screen may have paused it).
    pub fn is_playing(&self) -> bool {
        self.elements().iter().any(|e| !e.paused() && !e.ended())
    }

    /// Over when the take has ended and the closing bell has rung out.
    pub fn ended(&self) -> bool {
        self.take.ended() && self.bells.as_ref().is_none_or(|b| b.audio.ended())
    }

    /// Keeps the bells with the take (call often): while the take waits for
    /// data it has not got (a stall on a slow network), the bells wait too,
    /// so the closing bell still rings as the take ends.
    pub fn keep_together(&self) {
        let Some(bells) = &self.bells else { return };
        // HAVE_FUTURE_DATA: enough to play on.
        let waiting = !self.take.paused() && !self.take.ended() && self.take.ready_state() < 3;
        if waiting && !bells.audio.paused() {
            let _ = bells.audio.pause();
            self.held.set(true);
        } else if !waiting && self.held.get() && !self.take.paused() {
            let _ = bells.audio.play();
            self.held.set(false);
        }
    }

    /// Why the take's element could not play its audio (it could not be
    /// fetched, or not decoded), once it has failed.
    pub fn failure(&self) -> Option<String> {
        let error = self.take.error()?;
        let what = match error.code() {
            web_sys::MediaError::MEDIA_ERR_ABORTED => "fetching it was stopped",
            web_sys::MediaError::MEDIA_ERR_NETWORK => "the network failed while fetching it",
            web_sys::MediaError::MEDIA_ERR_DECODE => "it could not be decoded",
            _ => "it could not be fetched or is not sound this browser plays",
        };
        Some(what.to_owned())
    }
}

impl Bells {
    fn prepare(practice: PracticeId, take_ms: u32) -> Result<Bells, PlayerError> {
        let audio = HtmlAudioElement::new().map_err(js_error)?;
        if audio.can_play_type("audio/flac").is_empty() {
            return Err(PlayerError::NoFlac);
        }
        let timeline = take_with_bells(practice, take_ms);
        let config = Config { breath_tones: false, ..Config::default() };
        let flac = soundtrack_flac(&timeline, &config).map_err(|e| PlayerError::Render(e.to_string()))?;
        let url = flac_url(&flac)?;
        audio.set_src(&url);
        audio.set_preload("auto");
        Ok(Bells { audio, url, length_ms: timeline.length_ms })
    }
}

impl Drop for TakePlayer {
    fn drop(&mut self) {
        for element in self.elements() {
            let _ = element.pause();
            element.set_src("");
        }
        if let Some(bells) = &self.bells {
            let _ = Url::revoke_object_url(&bells.url);
        }
        if let Some(session) = navigator().and_then(|n| property(&n, "mediaSession")) {
            for action in ["play", "pause", "stop"] {
                let _ = call(&session, "setActionHandler", &[&action.into(), &JsValue::NULL]);
            }
        }
    }
}

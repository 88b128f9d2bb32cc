//! Soundtrack mode: the session rendered to one FLAC file (in this thread; a
//! 45-minute timer takes a fraction of a second) and played by a media element,
//! which keeps playing on a locked screen, with Media Session metadata,
//! lock-screen play/pause/stop/seek and position state.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue};
use web_sys::{HtmlAudioElement, Url};

use super::bed::Bed;
use super::measure::{OnsetTap, tap_element};
use super::wake::WakeLock;
use super::{PlayerError, audio_session_playback, call, flac_parts_url, js_error, navigator, property};
use crate::{Config, soundtrack_flac_parts_from};
use stille_practice::Timeline;

#[derive(Debug)]
pub struct MediaPlayer {
    audio: HtmlAudioElement,
    url: String,
    /// Bytes of the FLAC file (and the bed's, with one).
    pub size: usize,
    pub duration_ms: u32,
    /// Where in the session the file starts (a resumed playing is rendered
    /// from its position on: see `soundtrack_flac_from`), in ms.
    offset_ms: f64,
    wake_lock: WakeLock,
    handlers: Vec<Closure<dyn FnMut(JsValue)>>,
    /// The ambient bed, looped beside the soundtrack rather than drawn into it.
    bed: Option<Bed>,
}

impl MediaPlayer {
    /// A soundtrack of `timeline` from `from_ms` on.
    pub fn prepare(
        timeline: &Timeline,
        config: &Config,
        title: &str,
        from_ms: f64,
    ) -> Result<MediaPlayer, PlayerError> {
        let audio = HtmlAudioElement::new().map_err(js_error)?;
        if audio.can_play_type("audio/flac").is_empty() {
            return Err(PlayerError::NoFlac);
        }
        let from = from_ms.clamp(0.0, f64::from(timeline.length_ms)) as u32;
        // The bed is looped beside the soundtrack, not drawn into it.
        let drawn = Config { ambient: None, ..config.clone() };
        let (flac, start) = soundtrack_flac_parts_from(timeline, &drawn, from)
            .map_err(|e| PlayerError::Render(e.to_string()))?;
        let offset_ms = start as f64 * 1000.0 / f64::from(config.sample_rate);
        let parts: Vec<&[u8]> = flac.iter().map(Vec::as_slice).collect();
        let url = flac_parts_url(&parts)?;
        let size = parts.iter().map(|p| p.len()).sum::<usize>();
        drop(flac);
        audio.set_src(&url);
        audio.set_preload("auto");
        audio_session_playback();
        let length_ms = f64::from(timeline.length_ms);
        let bed = match config.ambient {
            Some(colour) => Some(Bed::prepare(&audio, colour, config.sample_rate, length_ms, offset_ms)?),
            None => None,
        };
        let mut player = MediaPlayer {
            audio,
            url,
            size: size + bed.as_ref().map_or(0, |b| b.size),
            duration_ms: timeline.length_ms,
            offset_ms,
            wake_lock: WakeLock::new(),
            handlers: Vec::new(),
            bed,
        };
        player.set_media_session(title);
        Ok(player)
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
        // "Stop" on the lock screen pauses: the page decides what stopping
        // means (closing the log entry), and rewinding behind its back would
        // replay guidance from the start.
        let audio = self.audio.clone();
        let stop = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            let _ = audio.pause();
        });
        let (audio, offset_s) = (self.audio.clone(), self.offset_ms / 1000.0);
        let seek = Closure::<dyn FnMut(JsValue)>::new(move |details: JsValue| {
            if let Some(time) = property(&details, "seekTime").and_then(|t| t.as_f64()) {
                audio.set_current_time((time - offset_s).max(0.0));
            }
        });
        for (action, handler) in [("play", &play), ("pause", &pause), ("stop", &stop), ("seekto", &seek)] {
            // Browsers throw for actions they do not know; that is fine.
            let _ = call(&session, "setActionHandler", &[&action.into(), handler.as_ref()]);
        }
        self.handlers.extend([play, pause, stop, seek]);
    }

    /// The gesture-time call: starts the element now; `play` awaits it.
    pub fn start_in_gesture(&self) {
        // The outcome is read by `play`, whose own play() call joins this one.
        let _ = self.audio.play();
        if let Some(bed) = &self.bed {
            bed.start_in_gesture();
        }
    }

    /// Starts or resumes playback (call from a user gesture) and keeps the
    /// screen awake while it plays.
    pub async fn play(&self) -> Result<(), PlayerError> {
        let promise = self.audio.play().map_err(js_error)?;
        wasm_bindgen_futures::JsFuture::from(promise).await.map_err(js_error)?;
        // Paused while the browser was still starting: stay paused.
        if !self.audio.paused() {
            self.wake_lock.hold().await;
        }
        self.update_position();
        Ok(())
    }

    pub fn pause(&self) {
        let _ = self.audio.pause();
        if let Some(bed) = &self.bed {
            bed.pause();
        }
        self.wake_lock.release();
        self.update_position();
    }

    /// To `ms` in the session (not before where this file starts).
    pub fn seek(&self, ms: f64) {
        let in_file = (ms - self.offset_ms).clamp(0.0, f64::from(self.duration_ms) - self.offset_ms);
        self.audio.set_current_time(in_file / 1000.0);
        self.update_position();
    }

    /// Elapsed time from the media element's clock, in ms.
    pub fn elapsed_ms(&self) -> f64 {
        // At the end, the whole session (a browser may stop a hair short).
        if self.audio.ended() {
            return f64::from(self.duration_ms);
        }
        self.offset_ms + self.audio.current_time() * 1000.0
    }

    pub fn is_playing(&self) -> bool {
        !self.audio.paused() && !self.audio.ended()
    }

    /// Tells the lock screen where playback stands.
    fn update_position(&self) {
        let Some(session) = navigator().and_then(|n| property(&n, "mediaSession")) else { return };
        let state = Object::new();
        let duration = f64::from(self.duration_ms) / 1000.0;
        let _ = Reflect::set(&state, &"duration".into(), &duration.into());
        let _ = Reflect::set(&state, &"playbackRate".into(), &1.0.into());
        let position = self.offset_ms / 1000.0 + self.audio.current_time();
        let _ = Reflect::set(&state, &"position".into(), &position.min(duration).into());
        let _ = call(&session, "setPositionState", &[&state]);
    }

    pub async fn tap_onsets(
        &self,
        worklet_url: &str,
        on_onset: impl FnMut(f64) + 'static,
    ) -> Result<OnsetTap, PlayerError> {
        tap_element(&self.audio, worklet_url, on_onset).await
    }
}

impl Drop for MediaPlayer {
    fn drop(&mut self) {
        let _ = self.audio.pause();
        self.audio.set_src("");
        let _ = Url::revoke_object_url(&self.url);
        if let Some(session) = navigator().and_then(|n| property(&n, "mediaSession")) {
            for action in ["play", "pause", "stop", "seekto"] {
                let _ = call(&session, "setActionHandler", &[&action.into(), &JsValue::NULL]);
            }
        }
    }
}

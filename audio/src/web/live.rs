//! Live mode: every sound of the session scheduled on the AudioContext clock
//! the moment it starts (`AudioBufferSourceNode.start(when)`), never fired by
//! a JavaScript timer. For interactive pacers, in the foreground.
//!
//! Pausing suspends the context, which stops its clock with every scheduled
//! sound still in place; a phone call or a locked iPhone does the same to the
//! context ("interrupted"/"suspended"), so after either the cues are still
//! aligned with the elapsed time. Seeking reschedules from the new position.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue};
use web_sys::{AudioBuffer, AudioBufferSourceNode, AudioContext, AudioScheduledSourceNode, GainNode};

use super::measure::{OnsetTap, tap_node};
use super::wake::WakeLock;
use super::{PlayerError, audio_session_playback, js_error, property};
use crate::mix::{BED_FADE_MS, BED_SEED};
use crate::noise::seamless_loop;
use crate::{Config, Soundtrack};
use stille_practice::Timeline;

/// Sounds are scheduled this far ahead of "now", so the first one is never
/// asked to start in the past.
const LEAD_S: f64 = 0.1;
/// How long the ambient loop is (an AudioBuffer loops without a seam).
const AMBIENT_LOOP_S: f64 = 8.0;
const AMBIENT_FADE_S: f64 = BED_FADE_MS / 1000.0;

/// One decoded sound and the session times (s) at which it starts.
#[derive(Debug)]
struct Scheduled {
    buffer: AudioBuffer,
    at_s: Vec<f64>,
}

#[derive(Debug)]
pub struct LivePlayer {
    context: AudioContext,
    /// Everything plays into this, and it into the destination (or the lab's tap).
    output: GainNode,
    sounds: Vec<Scheduled>,
    ambient: Option<(AudioBuffer, f32)>,
    sources: RefCell<Vec<AudioBufferSourceNode>>,
    /// The ambient bed's fade node of the current schedule.
    gains: RefCell<Vec<GainNode>>,
    /// The context time of session position 0, while sounds are scheduled.
    origin: Cell<Option<f64>>,
    /// Where the session stands while nothing is scheduled (s).
    position: Cell<f64>,
    /// The user wants it playing.
    wanted: Rc<Cell<bool>>,
    length_s: f64,
    /// Bytes of decoded audio held for the session.
    pub size: usize,
    pub duration_ms: u32,
    wake_lock: WakeLock,
    on_state: Closure<dyn FnMut(JsValue)>,
}

fn buffer(context: &AudioContext, samples: &[f32], sample_rate: u32) -> Result<AudioBuffer, PlayerError> {
    let buffer =
        context.create_buffer(1, samples.len().max(1) as u32, sample_rate as f32).map_err(js_error)?;
    if !samples.is_empty() {
        buffer.copy_to_channel(samples, 0).map_err(js_error)?;
    }
    Ok(buffer)
}

impl LivePlayer {
    /// Creates the context and decodes every distinct sound once. The context
    /// starts suspended until [`LivePlayer::play`] runs in a user gesture.
    pub fn prepare(timeline: &Timeline, config: &Config) -> Result<LivePlayer, PlayerError> {
        if web_sys::window().and_then(|w| property(&w, "AudioContext")).is_none() {
            return Err(PlayerError::NoWebAudio);
        }
        let context = AudioContext::new().map_err(js_error)?;
        audio_session_playback();
        let output = context.create_gain().map_err(js_error)?;
        output.connect_with_audio_node(&context.destination()).map_err(js_error)?;

        let track = Soundtrack::new(timeline, config);
        let rate = track.sample_rate();
        let mut sounds = Vec::new();
        let mut size = 0;
        for (samples, onsets) in track.distinct_sounds() {
            size += samples.len() * 4;
            let at_s = onsets.iter().map(|&i| track.onsets()[i].at as f64 / f64::from(rate)).collect();
            sounds.push(Scheduled { buffer: buffer(&context, samples, rate)?, at_s });
        }
        let ambient = match track.ambient() {
            Some((colour, level)) => {
                let noise = seamless_loop(colour, BED_SEED, rate, AMBIENT_LOOP_S, 1.0);
                size += noise.len() * 4;
                Some((buffer(&context, &noise, rate)?, level as f32))
            }
            None => None,
        };

        // A context the system stopped while the user wanted sound: ask for it
        // back (browsers that need a gesture refuse, and the app shows a
        // "tap to continue"; the stopped clock has kept every cue in place).
        let wanted = Rc::new(Cell::new(false));
        let on_state = {
            let (context, wanted) = (context.clone(), wanted.clone());
            Closure::<dyn FnMut(JsValue)>::new(move |_| {
                let state = context_state(&context);
                if wanted.get()
                    && state != "running"
                    && state != "closed"
                    && let Ok(promise) = context.resume()
                {
                    // Rejection leaves it interrupted, which the app shows.
                    drop(wasm_bindgen_futures::JsFuture::from(promise));
                }
            })
        };
        context.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            let _ = document
                .add_event_listener_with_callback("visibilitychange", on_state.as_ref().unchecked_ref());
        }

        Ok(LivePlayer {
            context,
            output,
            sounds,
            ambient,
            sources: RefCell::new(Vec::new()),
            gains: RefCell::new(Vec::new()),
            origin: Cell::new(None),
            position: Cell::new(0.0),
            wanted,
            length_s: f64::from(timeline.length_ms) / 1000.0,
            size,
            duration_ms: timeline.length_ms,
            wake_lock: WakeLock::new(),
            on_state,
        })
    }

    /// The gesture-time call: resumes the context now; `play` awaits it and
    /// schedules the session.
    pub fn start_in_gesture(&self) {
        self.wanted.set(true);
        let _ = self.context.resume();
    }

    pub async fn play(&self) -> Result<(), PlayerError> {
        self.wanted.set(true);
        let started = self.resume_and_schedule().await;
        if started.is_err() {
            // Not playing after all: say so, and let the clock stand.
            self.wanted.set(false);
            let _ = self.context.suspend();
            return started;
        }
        // Paused while the browser was still starting: stay paused.
        if self.wanted.get() {
            self.wake_lock.hold().await;
        }
        Ok(())
    }

    async fn resume_and_schedule(&self) -> Result<(), PlayerError> {
        let resumed = self.context.resume().map_err(js_error)?;
        wasm_bindgen_futures::JsFuture::from(resumed).await.map_err(js_error)?;
        if self.origin.get().is_none() && self.wanted.get() {
            let position = self.position.get();
            self.schedule(self.context.current_time() + LEAD_S - position, position)?;
        }
        Ok(())
    }

    /// Schedules every sound still to come, from session `position` (s), with
    /// position 0 at context time `origin`.
    fn schedule(&self, origin: f64, position: f64) -> Result<(), PlayerError> {
        let mut sources = self.sources.borrow_mut();
        for sound in &self.sounds {
            let duration = sound.buffer.duration();
            for &at in &sound.at_s {
                if at + duration <= position {
                    continue;
                }
                let source = self.source(&sound.buffer)?;
                if at >= position {
                    source.start_with_when(origin + at).map_err(js_error)?;
                } else {
                    // A sound already under way at the new position plays on from there.
                    source
                        .start_with_when_and_grain_offset(origin + position, position - at)
                        .map_err(js_error)?;
                }
                sources.push(source);
            }
        }
        if let Some((noise, level)) = &self.ambient
            && position < self.length_s
        {
            let gain = self.context.create_gain().map_err(js_error)?;
            gain.connect_with_audio_node(&self.output).map_err(js_error)?;
            let (start, end) = (origin + position, origin + self.length_s);
            let fade = AMBIENT_FADE_S.min((end - start) / 2.0);
            let param = gain.gain();
            for (value, at, ramp) in [
                (0.0, start, false),
                (*level, start + fade, true),
                (*level, end - fade, false),
                (0.0, end, true),
            ] {
                if ramp {
                    param.linear_ramp_to_value_at_time(value, at).map_err(js_error)?;
                } else {
                    param.set_value_at_time(value, at).map_err(js_error)?;
                }
            }
            let source = self.context.create_buffer_source().map_err(js_error)?;
            source.set_buffer(Some(noise));
            source.set_loop(true);
            source.connect_with_audio_node(&gain).map_err(js_error)?;
            source.start_with_when(start).map_err(js_error)?;
            AsRef::<AudioScheduledSourceNode>::as_ref(&source).stop_with_when(end).map_err(js_error)?;
            sources.push(source);
            self.gains.borrow_mut().push(gain);
        }
        self.origin.set(Some(origin));
        Ok(())
    }

    fn source(&self, buffer: &AudioBuffer) -> Result<AudioBufferSourceNode, PlayerError> {
        let source = self.context.create_buffer_source().map_err(js_error)?;
        source.set_buffer(Some(buffer));
        source.connect_with_audio_node(&self.output).map_err(js_error)?;
        Ok(source)
    }

    fn unschedule(&self) {
        for source in self.sources.borrow_mut().drain(..) {
            // Stopping a source that never started is allowed; one that ended is a no-op.
            let _ = AsRef::<AudioScheduledSourceNode>::as_ref(&source).stop();
            let _ = source.disconnect();
        }
        for gain in self.gains.borrow_mut().drain(..) {
            let _ = gain.disconnect();
        }
        self.origin.set(None);
    }

    /// Suspends the context: its clock and every scheduled sound wait.
    pub fn pause(&self) {
        self.wanted.set(false);
        let _ = self.context.suspend();
        self.wake_lock.release();
    }

    pub fn seek(&self, ms: f64) {
        let position = (ms / 1000.0).clamp(0.0, self.length_s);
        self.unschedule();
        self.position.set(position);
        if self.wanted.get() {
            // Playing (or held up by the system, whose stopped clock keeps the
            // new schedule in place): carry on from the new position. A failure
            // leaves nothing scheduled, and the next play schedules again.
            let _ = self.schedule(self.context.current_time() + LEAD_S - position, position);
        }
    }

    /// Elapsed session time from the AudioContext clock, in ms.
    pub fn elapsed_ms(&self) -> f64 {
        let seconds = match self.origin.get() {
            Some(origin) => (self.context.current_time() - origin).max(0.0),
            None => self.position.get(),
        };
        seconds.min(self.length_s) * 1000.0
    }

    pub fn is_playing(&self) -> bool {
        self.wanted.get() && self.elapsed_ms() < f64::from(self.duration_ms)
    }

    pub fn interrupted(&self) -> bool {
        self.wanted.get() && context_state(&self.context) != "running"
    }

    pub async fn tap_onsets(
        &self,
        worklet_url: &str,
        on_onset: impl FnMut(f64) + 'static,
    ) -> Result<OnsetTap, PlayerError> {
        tap_node(&self.output, worklet_url, on_onset).await
    }
}

/// The context's state as the browser names it: web-sys's enum has no
/// "interrupted" (Safari's state during a call or on lock).
fn context_state(context: &AudioContext) -> String {
    property(context, "state").and_then(|s| s.as_string()).unwrap_or_default()
}

impl Drop for LivePlayer {
    fn drop(&mut self) {
        self.unschedule();
        self.context.set_onstatechange(None);
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            let _ = document.remove_event_listener_with_callback(
                "visibilitychange",
                self.on_state.as_ref().unchecked_ref(),
            );
        }
        let _ = self.context.close();
    }
}

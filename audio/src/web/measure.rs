//! Measurement for the `/lab/audio` page: an onset tap on the real output, and
//! the naive `setTimeout` bell that Stille is compared with.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue, wasm_bindgen};
use web_sys::{AudioNode, HtmlAudioElement, Url};

use super::{PlayerError, flac_url, js_error};
use crate::{Config, soundtrack_flac};
use stille_practice::BellSound;

#[wasm_bindgen(module = "/src/web/measure.js")]
extern "C" {
    #[wasm_bindgen(js_name = tapElement, catch)]
    async fn tap_element_js(
        audio: &HtmlAudioElement,
        worklet_url: &str,
        on_onset: &Closure<dyn FnMut(f64)>,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = tapNode, catch)]
    async fn tap_node_js(
        node: &AudioNode,
        worklet_url: &str,
        on_onset: &Closure<dyn FnMut(f64)>,
    ) -> Result<JsValue, JsValue>;
}

/// An installed tap: each onset is reported in ms on its AudioContext's clock.
/// For diagnostics only: on iPhones a locked screen may suspend the
/// AudioContext, and with it this route.
#[derive(Debug)]
pub struct OnsetTap {
    _route: JsValue,
    _callback: Closure<dyn FnMut(f64)>,
}

pub(crate) async fn tap_element(
    audio: &HtmlAudioElement,
    worklet_url: &str,
    on_onset: impl FnMut(f64) + 'static,
) -> Result<OnsetTap, PlayerError> {
    let callback = Closure::<dyn FnMut(f64)>::new(on_onset);
    let route = tap_element_js(audio, worklet_url, &callback).await.map_err(js_error)?;
    Ok(OnsetTap { _route: route, _callback: callback })
}

pub(crate) async fn tap_node(
    node: &AudioNode,
    worklet_url: &str,
    on_onset: impl FnMut(f64) + 'static,
) -> Result<OnsetTap, PlayerError> {
    let callback = Closure::<dyn FnMut(f64)>::new(on_onset);
    let route = tap_node_js(node, worklet_url, &callback).await.map_err(js_error)?;
    Ok(OnsetTap { _route: route, _callback: callback })
}

/// For comparison only: how a naive web timer rings bells, by replaying a
/// one-bell clip from a chain of `setTimeout` calls. A busy or hidden page
/// delays it (Chrome throttles hidden timers); the lab measures it beside
/// Stille's players.
#[derive(Debug)]
pub struct NaiveBell {
    audio: HtmlAudioElement,
    url: String,
    timer: Rc<Cell<i32>>,
    tick: Tick,
}

/// The timer callback, kept where it can reschedule itself.
type Tick = Rc<RefCell<Option<Closure<dyn FnMut()>>>>;

impl NaiveBell {
    pub fn prepare(sound: BellSound) -> Result<NaiveBell, PlayerError> {
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
        Ok(NaiveBell { audio, url, timer: Rc::new(Cell::new(0)), tick: Rc::new(RefCell::new(None)) })
    }

    /// Rings after `first_ms`, then every `every_ms`, by `setTimeout`, as naive
    /// code does.
    pub fn start(&self, first_ms: i32, every_ms: i32) {
        self.stop();
        let ring = {
            let audio = self.audio.clone();
            move || {
                audio.set_current_time(0.0);
                let _ = audio.play();
            }
        };
        let (tick, timer) = (self.tick.clone(), self.timer.clone());
        let schedule = move |tick: &Tick, timer: &Cell<i32>, after: i32| {
            if let (Some(window), Some(callback)) = (web_sys::window(), tick.borrow().as_ref()) {
                let id = window
                    .set_timeout_with_callback_and_timeout_and_arguments_0(
                        callback.as_ref().unchecked_ref(),
                        after,
                    )
                    .unwrap_or(0);
                timer.set(id);
            }
        };
        let (tick_inner, timer_inner) = (tick.clone(), timer.clone());
        *tick.borrow_mut() = Some(Closure::<dyn FnMut()>::new(move || {
            ring();
            schedule(&tick_inner, &timer_inner, every_ms);
        }));
        schedule(&tick, &timer, first_ms);
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
        tap_element(&self.audio, worklet_url, on_onset).await
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

//! The ambient bed beside a soundtrack: a seamless loop of noise
//! ([`crate::mix::bed_loop`]) in a second media element that follows the
//! soundtrack's element: it plays and pauses with it and fades in and out
//! with the session's start and end. Drawing the bed into the soundtrack
//! instead cost a 45-minute practice 87 MB of FLAC and 20 s of work before
//! the first sound (see docs/AUDIO.md).
//!
//! Both are started inside the person's tap (browsers that ask for a gesture
//! ask it of each element); afterwards the bed follows the soundtrack's
//! events, so the lock screen's play and pause move both. The fades are
//! the element's volume, set at each `timeupdate` (four times a second);
//! where a page cannot set a media element's volume (iPhones), the bed
//! plays at its level from the first moment, quiet under the opening bell.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue};
use web_sys::{HtmlAudioElement, Url};

use super::{PlayerError, flac_url, js_error};
use crate::bed_loop_flac;
use crate::mix::bed_fade;
use crate::noise::Colour;

/// The soundtrack's events the bed follows.
const FOLLOWED: [&str; 6] = ["play", "playing", "pause", "ended", "timeupdate", "seeked"];

#[derive(Debug)]
pub struct Bed {
    audio: HtmlAudioElement,
    url: String,
    /// Bytes of the looped FLAC file.
    pub size: usize,
    main: HtmlAudioElement,
    follow: Closure<dyn FnMut(JsValue)>,
}

impl Bed {
    /// A bed of `colour` beside `main`, whose file starts `offset_ms` into a
    /// session `length_ms` long.
    pub fn prepare(
        main: &HtmlAudioElement,
        colour: Colour,
        sample_rate: u32,
        length_ms: f64,
        offset_ms: f64,
    ) -> Result<Bed, PlayerError> {
        let flac = bed_loop_flac(colour, sample_rate).map_err(|e| PlayerError::Render(e.to_string()))?;
        let url = flac_url(&flac)?;
        let audio = HtmlAudioElement::new().map_err(js_error)?;
        audio.set_src(&url);
        audio.set_loop(true);
        audio.set_preload("auto");
        audio.set_volume(bed_fade(offset_ms, length_ms));
        let follow = {
            let (main, bed) = (main.clone(), audio.clone());
            Closure::<dyn FnMut(JsValue)>::new(move |_| {
                let ms = offset_ms + main.current_time() * 1000.0;
                let sounding = !main.paused() && !main.ended();
                bed.set_volume(if main.ended() { 0.0 } else { bed_fade(ms, length_ms) });
                if sounding && bed.paused() {
                    // Refused without a gesture on some browsers: the bed
                    // then waits for the next tap on Begin.
                    if let Ok(promise) = bed.play() {
                        drop(wasm_bindgen_futures::JsFuture::from(promise));
                    }
                } else if !sounding && !bed.paused() {
                    let _ = bed.pause();
                }
            })
        };
        for event in FOLLOWED {
            main.add_event_listener_with_callback(event, follow.as_ref().unchecked_ref())
                .map_err(js_error)?;
        }
        Ok(Bed { audio, url, size: flac.len(), main: main.clone(), follow })
    }

    /// Inside the tap, beside the soundtrack's own `play()`.
    pub fn start_in_gesture(&self) {
        if let Ok(promise) = self.audio.play() {
            drop(wasm_bindgen_futures::JsFuture::from(promise));
        }
    }

    pub fn pause(&self) {
        let _ = self.audio.pause();
    }
}

impl Drop for Bed {
    fn drop(&mut self) {
        for event in FOLLOWED {
            let _ =
                self.main.remove_event_listener_with_callback(event, self.follow.as_ref().unchecked_ref());
        }
        let _ = self.audio.pause();
        self.audio.set_src("");
        let _ = Url::revoke_object_url(&self.url);
    }
}

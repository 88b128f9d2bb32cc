//! Recorded voice clips: decoded by the browser (any format it plays), mixed
//! to mono and resampled to the soundtrack's rate, ready for
//! [`Soundtrack::add_clip`](crate::Soundtrack::add_clip).

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;
use web_sys::{AudioBuffer, OfflineAudioContext};

use super::{PlayerError, property};

/// The longest clip accepted (a spoken instruction, not a whole recording).
const MAX_CLIP_S: f64 = 600.0;

/// Decodes `bytes` into mono samples at `sample_rate`. An undecodable or
/// empty clip is a [`PlayerError::Clip`] whose message says so; the caller
/// keeps the text cue on screen and the rest of the session.
pub async fn decode_clip(bytes: &[u8], sample_rate: u32) -> Result<Vec<f32>, PlayerError> {
    let clip_error = |what: String| PlayerError::Clip(what);
    if bytes.is_empty() {
        return Err(clip_error("the file is empty".into()));
    }
    if web_sys::window().and_then(|w| property(&w, "OfflineAudioContext")).is_none() {
        return Err(PlayerError::NoWebAudio);
    }
    // The context's rate is the rate decoded audio is resampled to.
    let context =
        OfflineAudioContext::new_with_number_of_channels_and_length_and_sample_rate(1, 1, sample_rate as f32)
            .map_err(|e| clip_error(super::js_error(e).to_string()))?;
    let data: ArrayBuffer = Uint8Array::from(bytes).buffer();
    let promise = context.decode_audio_data(&data).map_err(|e| clip_error(super::js_error(e).to_string()))?;
    let decoded = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| clip_error(format!("not a sound file this browser can read: {}", super::js_error(e))))?;
    let buffer: AudioBuffer =
        decoded.dyn_into().map_err(|_| clip_error("the browser returned no audio".into()))?;
    if buffer.duration() > MAX_CLIP_S {
        return Err(clip_error(format!("{:.0} s is longer than a clip may be", buffer.duration())));
    }
    let channels = buffer.number_of_channels();
    let mut mono = vec![0f32; buffer.length() as usize];
    for channel in 0..channels {
        let samples =
            buffer.get_channel_data(channel).map_err(|e| clip_error(super::js_error(e).to_string()))?;
        for (out, s) in mono.iter_mut().zip(samples) {
            *out += s / channels as f32;
        }
    }
    if mono.is_empty() {
        return Err(clip_error("the file holds no sound".into()));
    }
    Ok(mono)
}

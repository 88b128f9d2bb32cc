//! Every sound a soundtrack uses, rendered once at its final level.
//!
//! Levels are planned so nothing can clip when sounds overlap: a bell peaks at
//! most at −4 dBFS, a breath tone at −18 dBFS and the ambient bed stays near
//! −32 dBFS RMS (peaks about −20 dBFS), so even all three at their peaks stay
//! below −1 dBFS. Bells are matched by loudness (RMS over their first half
//! second), so switching from a bowl to a chime does not jump in volume; one
//! that would then peak above −4 dBFS is turned down to it.

use stille_practice::BellSound;

use crate::bell::Struck;
use crate::tone::{BreathTone, Direction};

/// dBFS to a linear amplitude.
pub fn db(decibels: f64) -> f64 {
    10f64.powf(decibels / 20.0)
}

/// The loudest a bell may peak.
pub const BELL_PEAK_DB: f64 = -4.0;
/// The loudness all bells are matched to (RMS over the first 0.5 s).
pub const BELL_RMS_DB: f64 = -17.0;
/// The loudest a breath tone peaks.
pub const TONE_PEAK_DB: f64 = -18.0;
/// The ambient bed's RMS.
pub const AMBIENT_RMS_DB: f64 = -32.0;

/// A sound of the soundtrack.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sound {
    Bell(BellSound),
    Breath(BreathTone),
    /// A recorded clip (speech), placed with its own samples.
    Clip,
}

/// Renders `sound` at `sample_rate`, at its level.
pub fn render(sound: Sound, sample_rate: u32) -> Vec<f32> {
    match sound {
        Sound::Bell(bell) => {
            let struck = Struck::for_sound(bell);
            let len = (u64::from(bell.ring_out_ms()) * u64::from(sample_rate) / 1000) as usize;
            let raw: Vec<f64> = (0..len).map(|n| struck.sample(n, sample_rate)).collect();
            let window = (sample_rate as usize / 2).min(raw.len());
            let gain = (db(BELL_RMS_DB) / rms(&raw[..window])).min(db(BELL_PEAK_DB) / peak(&raw));
            fade_out(raw.iter().map(|s| s * gain).collect(), sample_rate)
        }
        Sound::Breath(tone) => {
            let len = (tone.length_s * f64::from(sample_rate)).round() as usize;
            let raw: Vec<f64> = (0..len).map(|n| tone.sample(n, sample_rate)).collect();
            let gain = db(TONE_PEAK_DB) / peak(&raw);
            raw.iter().map(|s| flush_denormal((s * gain) as f32)).collect()
        }
        // A clip brings its samples with it; there is nothing to synthesise.
        Sound::Clip => Vec::new(),
    }
}

/// A 50 ms raised-cosine fade at the very end, so a sound cut at its ring-out
/// (by then 60 dB down) ends in true silence, without a click.
fn fade_out(samples: Vec<f64>, sample_rate: u32) -> Vec<f32> {
    let fade = (sample_rate as usize / 20).min(samples.len());
    let start = samples.len() - fade;
    samples
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let gain = if n < start {
                1.0
            } else {
                0.5 + 0.5 * (std::f64::consts::PI * (n - start) as f64 / fade as f64).cos()
            };
            flush_denormal((s * gain) as f32)
        })
        .collect()
}

/// Values below −600 dBFS become exactly zero: inaudible either way, and
/// subnormal floats are slow on many CPUs and would be encoded as noise.
fn flush_denormal(sample: f32) -> f32 {
    if sample.abs() < f32::MIN_POSITIVE { 0.0 } else { sample }
}

/// Breath tones last a second, or the phase if it is shorter.
pub fn breath_tone(direction: Direction, phase_ms: u32) -> BreathTone {
    BreathTone { direction, length_s: (f64::from(phase_ms) / 1000.0).min(1.0) }
}

pub fn peak(samples: &[f64]) -> f64 {
    samples.iter().fold(0.0, |m, s| m.max(s.abs()))
}

pub fn rms(samples: &[f64]) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    (samples.iter().map(|s| s * s).sum::<f64>() / samples.len() as f64).sqrt()
}

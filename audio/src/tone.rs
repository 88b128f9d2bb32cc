//! Gentle breath tones for pacers: a soft, rounded tone at the start of each
//! breath phase. The in-breath glides up a little and the out-breath down, so
//! the direction can be heard with the eyes closed.

use std::f64::consts::TAU;

use crate::envelope::Swell;

/// Which way a breath tone glides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    In,
    Out,
}

/// A breath tone of `length_s` seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreathTone {
    pub direction: Direction,
    pub length_s: f64,
}

impl BreathTone {
    /// Start and end frequency of the glide, in Hz: in from A3 up to C♯4, out
    /// from A3 down to E3 (a major third up, a fourth down: open, not tense).
    pub fn glide(&self) -> (f64, f64) {
        match self.direction {
            Direction::In => (220.0, 277.2),
            Direction::Out => (220.0, 164.8),
        }
    }

    /// The sample at index `n`, before gain.
    pub fn sample(&self, n: usize, sample_rate: u32) -> f64 {
        let t = n as f64 / f64::from(sample_rate);
        let swell =
            Swell { rise_s: 0.25 * self.length_s, fall_s: 0.6 * self.length_s, length_s: self.length_s };
        let (f0, f1) = self.glide();
        // Phase of a linear glide: the integral of f(t) = f0 + (f1 - f0) t / T.
        let phase = TAU * (f0 * t + (f1 - f0) * t * t / (2.0 * self.length_s));
        // A quiet octave above adds warmth without brightness.
        swell.gain(t) * (phase.sin() + 0.12 * (2.0 * phase).sin())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tone_is_silent_at_both_ends() {
        let tone = BreathTone { direction: Direction::In, length_s: 1.0 };
        assert_eq!(tone.sample(0, 24_000), 0.0);
        assert!(tone.sample(23_999, 24_000).abs() < 1e-6);
    }
}

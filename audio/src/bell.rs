//! Struck sounds as modal synthesis: a handful of partials, each a slowly
//! beating pair of sines with its own decay.
//!
//! Real bowls and bells are not harmonic. A singing bowl rings at roughly
//! 1 : 2.7 : 5.1 : 8.2 times its fundamental (a free-edged shell), and its
//! higher partials die away faster, which is why the sound settles into a pure
//! hum. Each partial is split into two sines a fraction of a hertz apart — the
//! "doublet" of a slightly irregular bowl — which gives the slow, living beat
//! a listener expects.

use std::f64::consts::TAU;

use stille_practice::BellSound;

use crate::envelope::Strike;

/// One mode of the struck body.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Partial {
    /// Frequency as a multiple of the fundamental.
    pub ratio: f64,
    /// Relative amplitude.
    pub level: f64,
    /// Time to decay by 60 dB, in seconds.
    pub t60_s: f64,
    /// Beat frequency of the doublet, in Hz (0: a single sine).
    pub beat_hz: f64,
}

/// A struck body: a fundamental, its partials and the strike's attack.
#[derive(Clone, Debug, PartialEq)]
pub struct Struck {
    pub fundamental_hz: f64,
    pub attack_s: f64,
    pub partials: Vec<Partial>,
}

const fn p(ratio: f64, level: f64, t60_s: f64, beat_hz: f64) -> Partial {
    Partial { ratio, level, t60_s, beat_hz }
}

impl Struck {
    /// The design of each bell sound the listener can choose.
    pub fn for_sound(sound: BellSound) -> Struck {
        match sound {
            // A medium bowl around G3.
            BellSound::Bowl => Struck {
                fundamental_hz: 196.0,
                attack_s: 0.006,
                partials: vec![
                    p(1.0, 1.0, 9.0, 0.6),
                    p(2.71, 0.55, 6.0, 1.1),
                    p(5.13, 0.24, 3.2, 1.7),
                    p(8.21, 0.10, 1.6, 2.3),
                ],
            },
            // A deep temple bell: a low hum and bright, quickly fading partials.
            BellSound::TempleBell => Struck {
                fundamental_hz: 110.0,
                attack_s: 0.004,
                partials: vec![
                    p(1.0, 1.0, 11.0, 0.4),
                    p(2.32, 0.65, 7.5, 0.9),
                    p(4.25, 0.35, 4.0, 1.3),
                    p(6.63, 0.18, 2.2, 1.9),
                    p(9.38, 0.08, 1.2, 2.6),
                ],
            },
            // A small, light chime near C6.
            BellSound::Chime => Struck {
                fundamental_hz: 1046.5,
                attack_s: 0.002,
                partials: vec![p(1.0, 1.0, 5.0, 1.5), p(2.76, 0.35, 2.4, 2.5), p(5.40, 0.12, 1.0, 3.5)],
            },
            // A wooden knock: three modes that die within a fifth of a second.
            BellSound::WoodKnock => Struck {
                fundamental_hz: 420.0,
                attack_s: 0.001,
                partials: vec![p(1.0, 1.0, 0.18, 0.0), p(2.59, 0.6, 0.10, 0.0), p(4.13, 0.35, 0.06, 0.0)],
            },
        }
    }

    /// The sample at index `n` at `sample_rate`, before any gain.
    ///
    /// Computed from `n` alone (no oscillator state), so a sound renders the
    /// same whether it is drawn in one block or sample by sample.
    pub fn sample(&self, n: usize, sample_rate: u32) -> f64 {
        let t = n as f64 / f64::from(sample_rate);
        self.partials
            .iter()
            .map(|partial| {
                let strike = Strike { attack_s: self.attack_s, t60_s: partial.t60_s };
                let f = self.fundamental_hz * partial.ratio;
                let half_beat = partial.beat_hz / 2.0;
                let pair = if half_beat == 0.0 {
                    (TAU * f * t).sin()
                } else {
                    0.5 * ((TAU * (f - half_beat) * t).sin() + (TAU * (f + half_beat) * t).sin())
                };
                partial.level * strike.gain(t) * pair
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bell_starts_from_silence() {
        for sound in BellSound::ALL {
            assert_eq!(Struck::for_sound(sound).sample(0, 48_000), 0.0, "{sound:?}");
        }
    }

    #[test]
    fn the_fundamental_outlasts_the_upper_partials() {
        for sound in BellSound::ALL {
            let struck = Struck::for_sound(sound);
            let fundamental = struck.partials[0].t60_s;
            assert!(struck.partials.iter().skip(1).all(|p| p.t60_s < fundamental), "{sound:?}");
            // The sound fades within the ring-out the timeline reserves for it.
            assert!(fundamental * 1000.0 <= f64::from(sound.ring_out_ms()), "{sound:?}");
        }
    }
}

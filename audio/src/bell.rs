//! A singing bowl: a handful of inharmonic partials, each with its own decay.
//!
//! Real bowls ring at roughly 1 : 2.7 : 5.1 : 8.2 times the fundamental (a
//! free-edged circular plate, not a harmonic series), and the higher partials die
//! away faster, which is what makes the sound settle into a pure hum.

use crate::SAMPLE_RATE;
use crate::envelope::Strike;

/// One partial: its frequency ratio to the fundamental, its level and its decay.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Partial {
    pub ratio: f32,
    pub level: f32,
    pub t60_s: f32,
}

/// A bowl is a fundamental and its partials.
#[derive(Clone, Debug, PartialEq)]
pub struct Bowl {
    pub fundamental_hz: f32,
    pub partials: Vec<Partial>,
}

impl Bowl {
    /// A medium bowl around G3.
    pub fn medium() -> Bowl {
        Bowl {
            fundamental_hz: 196.0,
            partials: vec![
                Partial { ratio: 1.0, level: 1.0, t60_s: 12.0 },
                Partial { ratio: 2.71, level: 0.55, t60_s: 7.0 },
                Partial { ratio: 5.13, level: 0.25, t60_s: 3.5 },
                Partial { ratio: 8.21, level: 0.12, t60_s: 1.8 },
            ],
        }
    }

    /// Renders `seconds` of the bowl struck at time 0, peaking at -1 dBFS.
    pub fn render(&self, seconds: f32) -> Vec<f32> {
        let len = (seconds * SAMPLE_RATE as f32).round() as usize;
        let mut samples: Vec<f32> = (0..len)
            .map(|n| {
                let t = n as f32 / SAMPLE_RATE as f32;
                self.partials
                    .iter()
                    .map(|p| {
                        let strike = Strike { attack_s: 0.004, t60_s: p.t60_s };
                        let phase = std::f32::consts::TAU * self.fundamental_hz * p.ratio * t;
                        p.level * strike.gain(t) * phase.sin()
                    })
                    .sum()
            })
            .collect();
        let peak = samples.iter().fold(0f32, |m, s| m.max(s.abs()));
        if peak > 0.0 {
            // -1 dBFS leaves headroom for lossy encoders and resampling.
            let target = 10f32.powf(-1.0 / 20.0);
            samples.iter_mut().for_each(|s| *s *= target / peak);
        }
        samples
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peaks_at_minus_one_dbfs_and_fades() {
        let samples = Bowl::medium().render(4.0);
        assert_eq!(samples.len(), 4 * SAMPLE_RATE as usize);
        assert!(samples.iter().all(|s| s.is_finite()));
        let peak = samples.iter().fold(0f32, |m, s| m.max(s.abs()));
        assert!((20.0 * peak.log10() + 1.0).abs() < 0.01, "peak {peak}");
        let rms = |s: &[f32]| (s.iter().map(|x| x * x).sum::<f32>() / s.len() as f32).sqrt();
        let second = SAMPLE_RATE as usize;
        assert!(rms(&samples[3 * second..]) < 0.5 * rms(&samples[..second]));
    }

    #[test]
    fn is_deterministic() {
        assert_eq!(Bowl::medium().render(0.5), Bowl::medium().render(0.5));
    }
}

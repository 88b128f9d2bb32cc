//! Amplitude envelopes.

use std::f64::consts::PI;

/// A soft strike: a short raised-cosine attack, then an exponential decay.
///
/// The decay is given as T60, the time to fall by 60 dB, which is how bells and
/// rooms are usually described.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Strike {
    pub attack_s: f64,
    pub t60_s: f64,
}

impl Strike {
    /// The gain at `t` seconds after the strike, in 0..=1.
    pub fn gain(&self, t: f64) -> f64 {
        if t < 0.0 {
            0.0
        } else if t < self.attack_s {
            0.5 - 0.5 * (PI * t / self.attack_s).cos()
        } else {
            // 60 dB is a factor of 1000 in amplitude.
            let decay_rate = 1000f64.ln() / self.t60_s;
            (-(t - self.attack_s) * decay_rate).exp()
        }
    }
}

/// A tone's swell: raised-cosine rise, flat middle, raised-cosine fall, over a
/// total length. Used for breath tones, which must not click.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Swell {
    pub rise_s: f64,
    pub fall_s: f64,
    pub length_s: f64,
}

impl Swell {
    pub fn gain(&self, t: f64) -> f64 {
        if t <= 0.0 || t >= self.length_s {
            0.0
        } else if t < self.rise_s {
            0.5 - 0.5 * (PI * t / self.rise_s).cos()
        } else if t > self.length_s - self.fall_s {
            0.5 - 0.5 * (PI * (self.length_s - t) / self.fall_s).cos()
        } else {
            1.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strike_rises_then_falls_by_60_db_over_t60() {
        let strike = Strike { attack_s: 0.01, t60_s: 8.0 };
        assert_eq!(strike.gain(-1.0), 0.0);
        assert_eq!(strike.gain(0.0), 0.0);
        assert!(strike.gain(0.005) > 0.4 && strike.gain(0.005) < 0.6);
        assert!((strike.gain(0.01) - 1.0).abs() < 1e-9);
        let after_t60 = strike.gain(8.01);
        assert!((after_t60 - 0.001).abs() < 1e-9, "{after_t60}");
    }

    #[test]
    fn a_swell_starts_and_ends_at_zero() {
        let swell = Swell { rise_s: 0.2, fall_s: 0.5, length_s: 1.0 };
        assert_eq!(swell.gain(0.0), 0.0);
        assert_eq!(swell.gain(1.0), 0.0);
        assert_eq!(swell.gain(0.4), 1.0);
        assert!(swell.gain(0.999) < 1e-3);
    }
}

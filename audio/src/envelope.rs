//! Amplitude envelopes.

/// A soft strike: a short raised-cosine attack, then an exponential decay.
///
/// The decay is given as T60, the time to fall by 60 dB, which is how bells and
/// rooms are usually described.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Strike {
    pub attack_s: f32,
    pub t60_s: f32,
}

impl Strike {
    /// The gain at `t` seconds after the strike, in 0..=1.
    pub fn gain(&self, t: f32) -> f32 {
        if t < 0.0 {
            0.0
        } else if t < self.attack_s {
            0.5 - 0.5 * (std::f32::consts::PI * t / self.attack_s).cos()
        } else {
            // 60 dB is a factor of 1000 in amplitude.
            let decay_rate = 1000f32.ln() / self.t60_s;
            (-(t - self.attack_s) * decay_rate).exp()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rises_then_falls_by_60_db_over_t60() {
        let strike = Strike { attack_s: 0.01, t60_s: 8.0 };
        assert_eq!(strike.gain(-1.0), 0.0);
        assert!(strike.gain(0.005) > 0.4 && strike.gain(0.005) < 0.6);
        assert!((strike.gain(0.01) - 1.0).abs() < 1e-6);
        let after_t60 = strike.gain(8.01);
        assert!((after_t60 - 0.001).abs() < 1e-5, "{after_t60}");
    }
}

//! Pink and brown noise for an optional ambient bed, from a seeded generator so
//! the same session always sounds the same.
//!
//! Pink noise (−3 dB per octave) uses Paul Kellet's refined filter of white
//! noise; brown noise (−6 dB per octave) is leaky-integrated white noise. Both
//! are generated sample by sample with state, so rendering in blocks of any size
//! gives the same output.

/// Which ambient colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Colour {
    Pink,
    Brown,
}

/// A noise generator. `next` gives samples with an RMS near 1/4 and peaks
/// bounded by 1.
#[derive(Clone, Debug, PartialEq)]
pub struct Noise {
    colour: Colour,
    state: u32,
    b: [f64; 7],
    brown: f64,
}

impl Noise {
    pub fn new(colour: Colour, seed: u32) -> Noise {
        Noise { colour, state: seed.max(1), b: [0.0; 7], brown: 0.0 }
    }

    /// White noise in [-1, 1) from xorshift32: tiny, fast and deterministic.
    fn white(&mut self) -> f64 {
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.state = x;
        f64::from(x) / f64::from(u32::MAX) * 2.0 - 1.0
    }

    pub fn colour(&self) -> Colour {
        self.colour
    }

    pub fn next_sample(&mut self) -> f64 {
        let white = self.white();
        let raw = match self.colour {
            Colour::Pink => {
                // Kellet's "refined" coefficients (valid for 44.1–48 kHz and a fair
                // approximation at 24 kHz).
                let b = &mut self.b;
                b[0] = 0.99886 * b[0] + white * 0.0555179;
                b[1] = 0.99332 * b[1] + white * 0.0750759;
                b[2] = 0.96900 * b[2] + white * 0.1538520;
                b[3] = 0.86650 * b[3] + white * 0.3104856;
                b[4] = 0.55000 * b[4] + white * 0.5329522;
                b[5] = -0.7616 * b[5] - white * 0.0168980;
                let pink = b[0] + b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + white * 0.5362;
                b[6] = white * 0.115926;
                pink * 0.11
            }
            Colour::Brown => {
                self.brown = (self.brown + 0.02 * white) * 0.998;
                // Steady-state RMS of the integrator is about 0.18; this brings it to 1/4.
                self.brown * 1.4
            }
        };
        raw.clamp(-1.0, 1.0)
    }
}

/// `seconds` of noise at `level` (linear amplitude scale) that can be looped
/// without a seam: the last `crossfade` of a longer run is blended, at equal
/// power, into the first, so sample `len − 1` flows on into sample 0 exactly as
/// consecutive samples of the generator do. For the live player, which cannot
/// draw noise forever and loops a buffer instead.
pub fn seamless_loop(colour: Colour, seed: u32, sample_rate: u32, seconds: f64, level: f64) -> Vec<f32> {
    let len = (seconds * f64::from(sample_rate)).round().max(2.0) as usize;
    let fade = (len / 4).max(1);
    let mut noise = Noise::new(colour, seed);
    // Let a brown integrator settle before using its output.
    for _ in 0..sample_rate {
        noise.next_sample();
    }
    // The loop itself, its first `fade` samples kept aside to be blended
    // with the run's continuation (no second copy of the whole run).
    let mut head: Vec<f64> = Vec::with_capacity(fade);
    let mut out: Vec<f32> = Vec::with_capacity(len);
    for i in 0..len {
        let sample = noise.next_sample();
        if i < fade {
            head.push(sample);
            out.push(0.0);
        } else {
            out.push((sample * level) as f32);
        }
    }
    for (i, first) in head.into_iter().enumerate() {
        let x = (i as f64 + 0.5) / fade as f64 * std::f64::consts::FRAC_PI_2;
        out[i] = ((first * x.sin() + noise.next_sample() * x.cos()) * level) as f32;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seamless_loop_steps_across_its_seam_like_anywhere_else() {
        for colour in [Colour::Pink, Colour::Brown] {
            let looped = seamless_loop(colour, 3, 24_000, 8.0, 1.0);
            assert_eq!(looped.len(), 192_000);
            let steps: Vec<f32> = looped.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
            let mean_step = steps.iter().sum::<f32>() / steps.len() as f32;
            let seam = (looped[0] - looped[looped.len() - 1]).abs();
            assert!(seam < 4.0 * mean_step, "{colour:?}: seam {seam} vs mean step {mean_step}");
            // The blend keeps the loudness: RMS of the faded part matches the rest.
            let rms = |s: &[f32]| (s.iter().map(|x| x * x).sum::<f32>() / s.len() as f32).sqrt();
            let (faded, rest) = looped.split_at(looped.len() / 4);
            assert!(
                (rms(faded) / rms(rest) - 1.0).abs() < 0.35,
                "{colour:?}: {} vs {}",
                rms(faded),
                rms(rest)
            );
        }
    }

    #[test]
    fn noise_is_reproducible_bounded_and_centred() {
        for colour in [Colour::Pink, Colour::Brown] {
            let mut a = Noise::new(colour, 7);
            let mut b = Noise::new(colour, 7);
            let samples: Vec<f64> = (0..200_000).map(|_| a.next_sample()).collect();
            assert!(samples.iter().zip((0..).map(|_| b.next_sample())).all(|(x, y)| *x == y));
            assert!(samples.iter().all(|s| s.abs() <= 1.0));
            let mean = samples.iter().sum::<f64>() / samples.len() as f64;
            let rms = (samples.iter().map(|s| s * s).sum::<f64>() / samples.len() as f64).sqrt();
            // Brown noise wanders slowly, so its mean over 4 s is looser.
            let tolerance = if colour == Colour::Pink { 0.02 } else { 0.1 };
            assert!(mean.abs() < tolerance, "{colour:?} mean {mean}");
            assert!((0.1..0.4).contains(&rms), "{colour:?} rms {rms}");
        }
    }
}

//! Each sound as designed: partials where they belong, decays as specified,
//! levels matched, peaks below −1 dBFS, no NaN or denormals.

use rustfft::FftPlanner;
use rustfft::num_complex::Complex;
use stille_audio::bell::Struck;
use stille_audio::noise::{Colour, Noise};
use stille_audio::sounds::{self, BELL_PEAK_DB, BELL_RMS_DB, Sound, TONE_PEAK_DB, db};
use stille_audio::tone::{BreathTone, Direction};
use stille_practice::BellSound;

const RATE: u32 = 48_000;

fn to_f64(samples: &[f32]) -> Vec<f64> {
    samples.iter().map(|s| f64::from(*s)).collect()
}

/// Magnitude spectrum of `samples` (Hann-windowed), and the Hz per bin.
fn spectrum(samples: &[f64]) -> (Vec<f64>, f64) {
    let n = samples.len();
    let mut buffer: Vec<Complex<f64>> = samples
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let w = 0.5 - 0.5 * (std::f64::consts::TAU * i as f64 / n as f64).cos();
            Complex { re: s * w, im: 0.0 }
        })
        .collect();
    FftPlanner::new().plan_fft_forward(n).process(&mut buffer);
    (buffer[..n / 2].iter().map(|c| c.norm()).collect(), f64::from(RATE) / n as f64)
}

/// The strongest magnitude within `hz ± 3` bins.
fn magnitude_near(spectrum: &[f64], bin_hz: f64, hz: f64) -> f64 {
    let centre = (hz / bin_hz).round() as usize;
    (centre.saturating_sub(3)..=centre + 3).map(|b| spectrum[b]).fold(0.0, f64::max)
}

#[test]
fn every_sound_peaks_below_minus_one_dbfs_with_no_nan_or_denormals() {
    let mut all: Vec<(String, Vec<f32>)> =
        BellSound::ALL.iter().map(|b| (format!("{b:?}"), sounds::render(Sound::Bell(*b), RATE))).collect();
    for direction in [Direction::In, Direction::Out] {
        let tone = BreathTone { direction, length_s: 1.0 };
        all.push((format!("{direction:?}"), sounds::render(Sound::Breath(tone), RATE)));
    }
    for (name, samples) in &all {
        assert!(!samples.is_empty(), "{name}");
        for s in samples {
            assert!(s.is_finite(), "{name}: {s}");
            assert!(*s == 0.0 || s.abs() >= f32::MIN_POSITIVE, "{name}: denormal {s:e}");
        }
        let peak = sounds::peak(&to_f64(samples));
        assert!(20.0 * peak.log10() <= -1.0, "{name} peaks at {:.2} dBFS", 20.0 * peak.log10());
        assert_eq!(samples[0], 0.0, "{name} starts from silence");
        assert!(samples.last().is_some_and(|s| s.abs() < 1e-4), "{name} ends in silence");
    }
}

#[test]
fn partials_sit_where_they_were_designed() {
    for sound in BellSound::ALL {
        let design = Struck::for_sound(sound);
        let samples = to_f64(&sounds::render(Sound::Bell(sound), RATE));
        // A quarter second from just after the strike, while even the quickest
        // partials still ring (4 Hz bins: each doublet shows as one peak).
        // (A knock is over in a fifth of a second: look at its first 50 ms.)
        let start = RATE as usize / 100;
        let quickest = design.partials.iter().map(|p| p.t60_s).fold(f64::INFINITY, f64::min);
        let window = if quickest < 0.5 { RATE as usize / 20 } else { RATE as usize / 4 };
        let (spec, bin_hz) = spectrum(&samples[start..start + window]);
        let strongest = spec.iter().copied().fold(0.0, f64::max);
        for (i, partial) in design.partials.iter().enumerate() {
            let hz = design.fundamental_hz * partial.ratio;
            let next_ratio = design.partials.get(i + 1).map_or(partial.ratio * 1.5, |p| p.ratio);
            // The valley: geometrically halfway to the next partial.
            let valley_hz = design.fundamental_hz * (partial.ratio * next_ratio).sqrt();
            let there = magnitude_near(&spec, bin_hz, hz);
            // Each designed partial stands out: within 40 dB of the strongest and
            // well above the spectrum halfway between it and the next partial.
            assert!(there > strongest * db(-40.0), "{sound:?}: partial at {hz:.0} Hz is missing");
            let between = magnitude_near(&spec, bin_hz, valley_hz);
            assert!(
                there > 8.0 * between,
                "{sound:?}: {hz:.0} Hz is not a peak ({there:.1} vs {between:.1})"
            );
        }
    }
}

/// Energy within ±5 Hz of `hz` in `samples` (rectangular window, so a window
/// of whole beat periods averages the doublet's beat exactly).
fn band_energy(samples: &[f64], hz: f64) -> f64 {
    let n = samples.len();
    let mut buffer: Vec<Complex<f64>> = samples.iter().map(|s| Complex { re: *s, im: 0.0 }).collect();
    FftPlanner::new().plan_fft_forward(n).process(&mut buffer);
    let bin_hz = f64::from(RATE) / n as f64;
    let (low, high) = (((hz - 5.0) / bin_hz) as usize, ((hz + 5.0) / bin_hz) as usize);
    buffer[low..=high].iter().map(|c| c.norm_sqr()).sum()
}

#[test]
fn the_fundamental_decays_at_its_designed_rate() {
    for sound in BellSound::ALL {
        let design = Struck::for_sound(sound);
        let fundamental = design.partials[0];
        let samples = to_f64(&sounds::render(Sound::Bell(sound), RATE));
        // Windows one beat period long (or 0.1 s for a knock, which has no beat),
        // two periods apart, after the strike.
        let period = if fundamental.beat_hz > 0.0 { 1.0 / fundamental.beat_hz } else { 0.1 };
        let len = (period * f64::from(RATE)).round() as usize;
        let at = |t: f64| (t * f64::from(RATE)) as usize;
        let t1 = 0.05;
        let t2 = t1 + 2.0 * period;
        let e1 = band_energy(&samples[at(t1)..at(t1) + len], design.fundamental_hz);
        let e2 = band_energy(&samples[at(t2)..at(t2) + len], design.fundamental_hz);
        let measured_db_per_s = 10.0 * (e1 / e2).log10() / (t2 - t1);
        let designed_db_per_s = 60.0 / fundamental.t60_s;
        let error = (measured_db_per_s - designed_db_per_s).abs() / designed_db_per_s;
        assert!(error < 0.1, "{sound:?}: {measured_db_per_s:.2} dB/s, designed {designed_db_per_s:.2}");
    }
}

#[test]
fn bells_are_matched_in_loudness_unless_their_peak_forbids_it() {
    for sound in BellSound::ALL {
        let samples = to_f64(&sounds::render(Sound::Bell(sound), RATE));
        let rms_db = 20.0 * sounds::rms(&samples[..RATE as usize / 2]).log10();
        let peak_db = 20.0 * sounds::peak(&samples).log10();
        let matched = (rms_db - BELL_RMS_DB).abs() < 0.1;
        let at_peak_limit = (peak_db - BELL_PEAK_DB).abs() < 0.1 && rms_db < BELL_RMS_DB;
        assert!(matched || at_peak_limit, "{sound:?}: rms {rms_db:.1} dBFS, peak {peak_db:.1} dBFS");
    }
    let tone = sounds::render(Sound::Breath(BreathTone { direction: Direction::Out, length_s: 1.0 }), RATE);
    let peak_db = 20.0 * sounds::peak(&to_f64(&tone)).log10();
    assert!((peak_db - TONE_PEAK_DB).abs() < 0.1, "{peak_db}");
}

#[test]
fn breath_tones_glide_up_in_and_down_out() {
    let centroid = |direction| {
        let samples = to_f64(&sounds::render(Sound::Breath(BreathTone { direction, length_s: 1.0 }), RATE));
        let half = samples.len() / 2;
        let dominant = |part: &[f64]| {
            let (spec, bin_hz) = spectrum(part);
            let bin = (1..spec.len()).max_by(|a, b| spec[*a].total_cmp(&spec[*b])).unwrap_or(0);
            bin as f64 * bin_hz
        };
        (dominant(&samples[..half]), dominant(&samples[half..]))
    };
    let (early, late) = centroid(Direction::In);
    assert!(late > early, "in: {early} → {late}");
    let (early, late) = centroid(Direction::Out);
    assert!(late < early, "out: {early} → {late}");
}

#[test]
fn pink_noise_falls_3_db_and_brown_noise_6_db_per_octave() {
    for (colour, db_per_octave) in [(Colour::Pink, -3.0), (Colour::Brown, -6.0)] {
        let mut noise = Noise::new(colour, 42);
        let samples: Vec<f64> = (0..RATE as usize * 20).map(|_| noise.next_sample()).collect();
        // Welch: the power spectrum averaged over many 8192-sample windows.
        let window = 8192;
        let mut power = vec![0.0; window / 2];
        let mut bin_hz = 0.0;
        for chunk in samples.chunks_exact(window) {
            let (spec, hz) = spectrum(chunk);
            bin_hz = hz;
            power.iter_mut().zip(spec).for_each(|(p, m)| *p += m * m);
        }
        // Mean power density in one-third-octave bands around 150 Hz and 2400 Hz (4 octaves apart).
        let band = |centre: f64| {
            let (low, high) = ((centre / 1.12 / bin_hz) as usize, (centre * 1.12 / bin_hz) as usize);
            power[low..=high].iter().sum::<f64>() / (high - low + 1) as f64
        };
        let slope = 10.0 * (band(2400.0) / band(150.0)).log10() / 4.0;
        assert!((slope - db_per_octave).abs() < 1.0, "{colour:?}: {slope:.2} dB per octave");
    }
}

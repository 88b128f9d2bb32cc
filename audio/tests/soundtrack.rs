//! Timelines rendered to soundtracks: every sound at its exact sample, the same
//! output whatever the block size, and FLAC that decodes to exactly the PCM.

use proptest::prelude::*;
use stille_audio::flac::{self, Encoder};
use stille_audio::mix::{Config, Soundtrack, sample_at, to_i16};
use stille_audio::noise::Colour;
use stille_audio::sounds::Sound;
use stille_audio::soundtrack_flac;
use stille_practice::{BellSound, CueKind, Lang, Options, Timeline, catalog, compile};

fn timeline(id: &str, minutes: u16, interval: Option<u16>) -> Timeline {
    let practice = catalog().get(id).expect("practice in catalog");
    let options = Options { minutes, interval_minutes: interval, ..Options::defaults(practice, Lang::En) };
    compile(practice, &options).expect("compiles")
}

fn render_all(track: &mut Soundtrack, block: usize) -> Vec<f32> {
    let mut out = Vec::new();
    let mut buffer = vec![0f32; block];
    loop {
        let n = track.render(&mut buffer);
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&buffer[..n]);
    }
}

fn decode(bytes: &[u8]) -> (u32, Vec<i16>) {
    let mut reader = claxon::FlacReader::new(std::io::Cursor::new(bytes)).expect("a valid FLAC stream");
    let rate = reader.streaminfo().sample_rate;
    let samples = reader.samples().map(|s| i16::try_from(s.expect("decodes")).expect("16-bit")).collect();
    (rate, samples)
}

#[test]
fn every_bell_begins_on_its_planned_sample() {
    let t = timeline("timer-silent", 10, Some(2));
    let config = Config { sample_rate: 48_000, ..Config::default() };
    let mut track = Soundtrack::new(&t, &config);
    let pcm = render_all(&mut track, 4096);
    assert_eq!(pcm.len() as u64, sample_at(t.length_ms, 48_000));
    let planned: Vec<u64> = t
        .cues
        .iter()
        .filter(|c| matches!(c.kind, CueKind::Bell { .. }))
        .map(|c| sample_at(c.at_ms, 48_000))
        .collect();
    assert_eq!(planned.len(), 2 + 4, "opening, four interval bells, closing");
    for at in planned {
        let at = at as usize;
        // Silence before (the previous bell faded long ago), nothing at the planned
        // sample (a strike starts from zero), sound from the very next one.
        assert!(pcm[at.saturating_sub(2_000)..=at].iter().all(|s| *s == 0.0), "noise before {at}");
        assert_ne!(pcm[at + 1], 0.0, "no onset right after {at}");
    }
}

#[test]
fn breath_tones_begin_with_each_in_and_out_breath() {
    let t = timeline("breathing-resonance", 3, None);
    let config = Config { sample_rate: 24_000, ..Config::default() };
    let track = Soundtrack::new(&t, &config);
    let tones: Vec<u64> =
        track.onsets().iter().filter(|o| matches!(o.what, Sound::Breath(_))).map(|o| o.at).collect();
    let breaths: Vec<u64> = t
        .cues
        .iter()
        .filter(|c| matches!(c.kind, CueKind::Breath { .. }))
        .map(|c| sample_at(c.at_ms, 24_000))
        .collect();
    assert!(!breaths.is_empty());
    assert_eq!(tones, breaths, "a tone at every in- and out-breath of resonance breathing");
}

#[test]
fn block_size_does_not_change_a_sample() {
    let t = timeline("breathing-box", 3, None);
    let config =
        Config { sample_rate: 24_000, breath_tones: true, ambient: Some(Colour::Pink), ..Config::default() };
    let whole = render_all(&mut Soundtrack::new(&t, &config), 4096);
    for block in [1, 7, 1000, 4608, 100_000] {
        assert!(whole == render_all(&mut Soundtrack::new(&t, &config), block), "block {block} differs");
    }
}

#[test]
fn a_rendered_practice_never_clips() {
    for (id, minutes) in [("breathing-cyclic-sighing", 3), ("mbct-breathing-space", 3)] {
        for ambient in [None, Some(Colour::Pink), Some(Colour::Brown)] {
            let t = timeline(id, minutes, None);
            let config = Config { sample_rate: 24_000, breath_tones: true, ambient, ..Config::default() };
            let pcm = render_all(&mut Soundtrack::new(&t, &config), 4096);
            let peak = pcm.iter().fold(0f32, |m, s| m.max(s.abs()));
            assert!(20.0 * peak.log10() <= -1.0, "{id} {ambient:?}: peak {peak}");
        }
    }
}

#[test]
fn the_flac_soundtrack_decodes_to_exactly_the_rendered_samples() {
    let t = timeline("breathing-extended-exhale", 3, None);
    let config =
        Config { sample_rate: 24_000, breath_tones: true, ambient: Some(Colour::Brown), ..Config::default() };
    let expected: Vec<i16> =
        render_all(&mut Soundtrack::new(&t, &config), 4096).into_iter().map(to_i16).collect();
    let bytes = soundtrack_flac(&t, &config).expect("encodes");
    let (rate, decoded) = decode(&bytes);
    assert_eq!(rate, 24_000);
    assert_eq!(decoded.len(), expected.len());
    assert!(decoded == expected, "FLAC is lossless");
    assert!(bytes.len() < expected.len() * 2, "FLAC ({}) is smaller than raw PCM", bytes.len());
    // In parts of about a megabyte, the same stream.
    let (parts, start) = stille_audio::soundtrack_flac_parts_from(&t, &config, 0).expect("encodes");
    assert!(parts.len() > 1 && start == 0, "{} parts", parts.len());
    assert!(parts[..parts.len() - 1].iter().all(|p| p.len() >= 1 << 20 && p.len() < (1 << 20) + 20_000));
    assert!(parts.concat() == bytes, "the parts are the stream");
}

#[test]
fn a_soundtrack_from_a_position_is_exactly_the_rest_of_the_whole_one() {
    let t = timeline("breathing-extended-exhale", 3, None);
    let config =
        Config { sample_rate: 24_000, breath_tones: true, ambient: Some(Colour::Brown), ..Config::default() };
    let (_, whole) = decode(&soundtrack_flac(&t, &config).expect("encodes"));
    // 41.3 s in: a breath tone and the ambient bed are sounding.
    let (bytes, start) = stille_audio::soundtrack_flac_from(&t, &config, 41_300).expect("encodes");
    assert_eq!(start, 41_300 * 24);
    let (_, rest) = decode(&bytes);
    assert!(rest == whole[start as usize..], "the same samples from there on");
    let (past_the_end, at) = stille_audio::soundtrack_flac_from(&t, &config, 10_000_000).expect("encodes");
    assert_eq!((at, decode(&past_the_end).1.len()), (whole.len() as u64, 0), "nothing left to play");
}

#[test]
fn silence_passed_over_is_the_same_silence_drawn() {
    // A timer and a guided practice without a bed: mostly silence, which the
    // encoder is told about instead of being given zeros.
    for (id, minutes, interval) in [("timer-silent", 10, Some(2)), ("mbct-breathing-space", 3, None)] {
        let t = timeline(id, minutes, interval);
        let config = Config { sample_rate: 24_000, ..Config::default() };
        let expected: Vec<i16> =
            render_all(&mut Soundtrack::new(&t, &config), 4096).into_iter().map(to_i16).collect();
        let mut silent = 0;
        Soundtrack::new(&t, &config).for_each_run(4096, |run| {
            if let stille_audio::mix::Run::Silence(n) = run {
                silent += n;
            }
        });
        assert!(
            silent * 2 > expected.len() as u64,
            "{id}: {silent} of {} samples passed over",
            expected.len()
        );
        let (_, decoded) = decode(&soundtrack_flac(&t, &config).expect("encodes"));
        assert!(decoded == expected, "{id}: the same samples");
        // From inside a silence and from inside a ringing bell.
        for from_ms in [30_000, t.cues.iter().find(|c| c.at_ms > 0).map_or(1_000, |c| c.at_ms + 700)] {
            let (bytes, start) = stille_audio::soundtrack_flac_from(&t, &config, from_ms).expect("encodes");
            assert!(decode(&bytes).1 == expected[start as usize..], "{id} from {from_ms} ms");
        }
    }
}

#[test]
fn silence_costs_almost_nothing() {
    let mut encoder = Encoder::new(24_000, 45 * 60 * 24_000).expect("valid rate");
    encoder.push(&vec![0i16; 45 * 60 * 24_000]);
    let bytes = encoder.finish().expect("all samples written");
    let blocks = (45 * 60 * 24_000usize).div_ceil(flac::BLOCK);
    assert!(bytes.len() < 42 + blocks * 14, "{} bytes for {blocks} silent blocks", bytes.len());
    assert_eq!(decode(&bytes).1.len(), 45 * 60 * 24_000);
}

#[test]
fn a_stream_shorter_or_longer_than_announced_is_refused() {
    let mut encoder = Encoder::new(24_000, 100).expect("valid rate");
    encoder.push(&[1, 2, 3]);
    assert!(matches!(encoder.finish(), Err(flac::FlacError::Length { announced: 100, got: 3 })));
    assert!(Encoder::new(0, 1).is_err());
}

#[test]
fn a_45_minute_timer_with_interval_bells_is_small() {
    let t = timeline("timer-silent", 45, Some(4));
    let bells =
        t.cues.iter().filter(|c| matches!(c.kind, CueKind::Bell { sound: BellSound::Bowl, .. })).count();
    assert_eq!(bells, 13, "opening, 11 interval bells, closing");
    let bytes = soundtrack_flac(&t, &Config::default()).expect("encodes");
    // 13 bowls of 10 s at 24 kHz are 6.2 MB as 16-bit PCM; the whole 45 minutes
    // as WAV would be 130 MB.
    assert!(bytes.len() < 3_000_000, "{} bytes", bytes.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_samples_round_trip_through_flac(
        samples in prop::collection::vec(any::<i16>(), 1..12_000),
        smooth in prop::collection::vec(-2000i32..2000, 1..12_000),
        rate in prop::sample::select(vec![8_000u32, 24_000, 44_100, 48_000, 12_345]),
    ) {
        // Random noise (verbatim blocks) and a random walk (predictable blocks).
        let walk: Vec<i16> = smooth.iter().scan(0i32, |x, step| { *x = (*x + step).clamp(-32768, 32767); Some(*x as i16) }).collect();
        for input in [samples, walk] {
            let mut encoder = Encoder::new(rate, input.len() as u64).expect("valid rate");
            for chunk in input.chunks(1000) {
                encoder.push(chunk);
            }
            let bytes = encoder.finish().expect("complete");
            let (decoded_rate, decoded) = decode(&bytes);
            prop_assert_eq!(decoded_rate, rate);
            prop_assert_eq!(decoded, input);
        }
    }
}

#[test]
fn scheduling_each_distinct_sound_at_its_onsets_rebuilds_the_drawn_soundtrack() {
    // The live player schedules `distinct_sounds` on the AudioContext clock
    // instead of drawing the soundtrack: both must be the same sound.
    let t = timeline("breathing-resonance", 5, None);
    let config = Config { sample_rate: 24_000, breath_tones: true, ambient: None, ..Config::default() };
    let mut track = Soundtrack::new(&t, &config);
    let mut scheduled = vec![0f32; track.len() as usize];
    let mut used = vec![0usize; track.onsets().len()];
    let distinct = track.distinct_sounds();
    assert!(distinct.len() < track.onsets().len() / 10, "sounds are shared, not rendered per onset");
    for (samples, onsets) in &distinct {
        for &i in onsets {
            used[i] += 1;
            let at = track.onsets()[i].at as usize;
            for (out, s) in scheduled[at..].iter_mut().zip(samples.iter()) {
                *out += s;
            }
        }
    }
    assert!(used.iter().all(|&n| n == 1), "every onset is scheduled exactly once");
    drop(distinct);
    let drawn = render_all(&mut track, 4608);
    assert_eq!(drawn.len(), scheduled.len());
    // Equal up to the order in which overlapping sounds were added.
    let worst = drawn.iter().zip(&scheduled).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
    assert!(worst < 1e-6, "differs by {worst}");
}

#[test]
fn a_recorded_voice_is_mixed_in_on_its_sample() {
    let t = timeline("timer-silent", 5, None);
    let words = vec![0.25_f32; 2_400];
    let voice = stille_audio::Voice(std::sync::Arc::new(vec![(12_345, words.clone())]));
    let config = Config { sample_rate: 24_000, voice, ..Config::default() };
    let mut track = Soundtrack::new(&t, &config);
    let clips: Vec<u64> = track.onsets().iter().filter(|o| o.what == Sound::Clip).map(|o| o.at).collect();
    assert_eq!(clips, vec![sample_at(12_345, 24_000)]);
    let samples = render_all(&mut track, 1_000);
    let at = sample_at(12_345, 24_000) as usize;
    assert_eq!(samples[at - 1], 0.0, "quiet just before");
    assert!(
        samples[at..at + words.len()].iter().all(|s| (s - 0.25).abs() < 1e-6),
        "the words, at their level"
    );
}

#[test]
fn the_looped_bed_is_the_drawn_bed_at_the_same_level_and_decodes_exactly() {
    use stille_audio::mix::{BED_LOOP_S, bed_fade, bed_loop};
    let rms = |s: &[f32]| (s.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>() / s.len() as f64).sqrt();
    for colour in [Colour::Pink, Colour::Brown] {
        let looped = bed_loop(colour, 24_000);
        assert_eq!(looped.len(), (BED_LOOP_S * 24_000.0) as usize);
        // The drawn bed of a silent timer, away from its fades and bells.
        let t = timeline("timer-silent", 5, None);
        let config =
            Config { sample_rate: 24_000, breath_tones: false, ambient: Some(colour), ..Config::default() };
        let drawn = render_all(&mut Soundtrack::new(&t, &config), 4096);
        let steady = &drawn[60 * 24_000..120 * 24_000];
        let ratio_db = 20.0 * (rms(&looped) / rms(steady)).log10();
        assert!(ratio_db.abs() < 1.0, "{colour:?}: the loop is {ratio_db:.2} dB off the drawn bed");

        let flac = stille_audio::bed_loop_flac(colour, 24_000).expect("encodes");
        let (rate, decoded) = decode(&flac);
        assert_eq!(rate, 24_000);
        assert_eq!(decoded, looped.iter().map(|s| to_i16(*s)).collect::<Vec<_>>(), "{colour:?}");
    }
    // Five seconds in and out, half the session for a short one.
    let length = 600_000.0;
    assert_eq!(bed_fade(0.0, length), 0.0);
    assert_eq!(bed_fade(2_500.0, length), 0.5);
    assert_eq!(bed_fade(300_000.0, length), 1.0);
    assert_eq!(bed_fade(length - 1_000.0, length), 0.2);
    assert_eq!(bed_fade(length, length), 0.0);
    assert_eq!(bed_fade(length + 10.0, length), 0.0);
    assert_eq!(bed_fade(2_000.0, 4_000.0), 1.0);
}

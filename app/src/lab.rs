//! The audio check page (`/lab/audio`) as plain decisions: its test sessions,
//! the ways it can play them, the record that lets a reload resume one, and
//! the bell table that compares planned, observed and measured times.

use serde::{Deserialize, Serialize};
use stille_audio::Voice;
use stille_audio::lab;
use stille_audio::mode::Mode;
use stille_practice::{BellSound, Lang, Options, Timeline, compile};

use crate::i18n::Key;

/// Where the voice test's clips begin, ms: halfway between its chimes, once
/// each has rung out (a chime rings 6 s).
pub const VOICE_CLIPS_MS: [u32; 3] = [12_000, 32_000, 52_000];

/// The lab's test sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Test {
    /// A chime every 20 s from 2 s on, 10 bells over 3 minutes.
    Bells,
    /// The benchmark: a 45-minute silent timer with 10 interval bells.
    Timer,
    /// Three minutes of guidance: on screen, and spoken when speech is on.
    Guided,
    /// A minute of a recorded voice: a chime every 20 s from 2 s on and a
    /// clip of "speech" (a tone) halfway between them, mixed like a
    /// teacher's recorded cues.
    Voice,
    /// The benchmark with a voice: the 45-minute body scan with every cue
    /// recorded (stand-in clips as long as the script gives each cue).
    ScanVoice,
}

impl Test {
    pub const ALL: [Test; 5] = [Test::Bells, Test::Timer, Test::Guided, Test::Voice, Test::ScanVoice];

    pub fn name(self) -> &'static str {
        match self {
            Test::Bells => "bells",
            Test::Timer => "timer",
            Test::Guided => "guided",
            Test::Voice => "voice",
            Test::ScanVoice => "scan-voice",
        }
    }

    pub fn parse(name: &str) -> Option<Test> {
        Test::ALL.into_iter().find(|t| t.name() == name)
    }

    pub fn label(self) -> Key {
        match self {
            Test::Bells => Key::LabTestBells,
            Test::Timer => Key::LabTestTimer,
            Test::Guided => Key::LabTestGuided,
            Test::Voice => Key::LabTestVoice,
            Test::ScanVoice => Key::LabTestScanVoice,
        }
    }

    pub fn timeline(self, lang: Lang) -> Timeline {
        match self {
            Test::Bells => lab::bell_every(2_000, 200, 20, BellSound::Chime),
            Test::Timer => lab::silent_timer(45, 10, BellSound::Bowl),
            // The lab is shown once the details are here.
            Test::Guided => stille_practice::details::full()
                .and_then(|c| c.get("mbct-breathing-space"))
                .and_then(|p| compile(p, &Options { minutes: 3, ..Options::defaults(p, lang) }).ok())
                .unwrap_or_else(|| lab::bell_every(2_000, 180, 20, BellSound::Chime)),
            Test::Voice => lab::bell_every(2_000, 60, 20, BellSound::Chime),
            Test::ScanVoice => scan_with_voice(lang, 24_000)
                .map(|(timeline, _)| timeline)
                .unwrap_or_else(|| lab::silent_timer(45, 10, BellSound::Bowl)),
        }
    }

    /// The recorded voice the test plays with (none but in [`Test::Voice`]):
    /// 1.2 s clips at `VOICE_CLIPS_MS`, at `sample_rate`.
    pub fn voice(self, lang: Lang, sample_rate: u32) -> Voice {
        if self == Test::ScanVoice {
            return scan_with_voice(lang, sample_rate).map(|(_, voice)| voice).unwrap_or_default();
        }
        if self != Test::Voice {
            return Voice::default();
        }
        let clips = VOICE_CLIPS_MS.iter().map(|&at| (at, lab::speech_like(1_200, sample_rate))).collect();
        Voice(std::sync::Arc::new(clips))
    }

    /// Where every sound of the test begins: the bells and the voice's clips, in order.
    pub fn onsets(self, timeline: &Timeline, lang: Lang) -> Vec<u32> {
        let mut at: Vec<u32> = timeline
            .cues
            .iter()
            .filter(|c| matches!(c.kind, stille_practice::CueKind::Bell { .. }))
            .map(|c| c.at_ms)
            .collect();
        at.extend(self.voice(lang, 24_000).0.iter().map(|(start, _)| *start));
        at.sort_unstable();
        at
    }
}

/// The 45-minute body scan with a stand-in clip for every cue, as long as
/// the script gives the cue (a teacher's voice), laid out around them.
fn scan_with_voice(lang: Lang, sample_rate: u32) -> Option<(Timeline, Voice)> {
    let scan = stille_practice::details::full().and_then(|c| c.get("mbsr-body-scan"))?;
    let clips: Vec<(usize, Vec<f32>)> = scan
        .script
        .iter()
        .enumerate()
        .filter_map(|(index, segment)| match segment {
            stille_practice::Segment::Cue { ms, .. } => Some((index, lab::speech_like(*ms, sample_rate))),
            _ => None,
        })
        .collect();
    let options = Options { minutes: 45, ..Options::defaults(scan, lang) };
    Voice::lay_out(scan, &options, clips, sample_rate).ok()
}

/// How the lab plays: as the app would (the setting), one mode, or the naive
/// timer it is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Way {
    Auto,
    Soundtrack,
    Live,
    Naive,
}

impl Way {
    pub const ALL: [(Way, &'static str, Key); 4] = [
        (Way::Auto, "auto", Key::LabModeAuto),
        (Way::Soundtrack, "soundtrack", Key::LabModeSoundtrack),
        (Way::Live, "live", Key::LabModeLive),
        (Way::Naive, "naive", Key::LabModeNaive),
    ];

    /// The way that plays `mode` (a resumed session keeps its mode).
    pub fn of(mode: Mode) -> Option<Way> {
        match mode {
            Mode::Soundtrack => Some(Way::Soundtrack),
            Mode::Live => Some(Way::Live),
            Mode::Silent => None,
        }
    }
}

/// Where a lab session stood, saved so a reload can resume it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabResume {
    pub test: String,
    pub mode: String,
    pub position_ms: f64,
}

impl LabResume {
    /// The record, checked: a known test and mode and a position inside it.
    pub fn check(&self, lang: Lang) -> Option<(Test, Mode, f64)> {
        let test = Test::parse(&self.test)?;
        let mode =
            [Mode::Soundtrack, Mode::Live, Mode::Silent].into_iter().find(|m| m.as_str() == self.mode)?;
        let length = f64::from(test.timeline(lang).length_ms);
        (self.position_ms.is_finite() && (0.0..length).contains(&self.position_ms)).then_some((
            test,
            mode,
            self.position_ms,
        ))
    }
}

/// Marks each planned bell (ms) as seen at `now` once the page's clock has
/// passed it, counting only bells at or after `from` (where playback began).
pub fn observe(seen: &mut [Option<f64>], planned: &[u32], now: f64, from: f64) {
    for (slot, at) in seen.iter_mut().zip(planned) {
        if slot.is_none() && now >= f64::from(*at) && f64::from(*at) >= from {
            *slot = Some(now);
        }
    }
}

/// The bell table's rows: planned, observed by the page's clock (and how
/// late), and the measured output onset's error. Output onsets are on
/// another clock, so each is compared with the first one measured, which is
/// the first bell at or after `measured_from`.
pub fn bell_rows(
    planned: &[u32],
    seen: &[Option<f64>],
    onsets: &[f64],
    measured_from: f64,
) -> Vec<[String; 3]> {
    let first_bell = planned.partition_point(|at| f64::from(*at) < measured_from);
    planned
        .iter()
        .enumerate()
        .map(|(i, at)| {
            let planned_s = format!("{:.1} s", f64::from(*at) / 1000.0);
            let seen_s = seen.get(i).copied().flatten().map_or_else(
                || "–".to_owned(),
                |ms| format!("{:.2} s (+{:.0} ms)", ms / 1000.0, ms - f64::from(*at)),
            );
            let measured_s = match (onsets.first(), i.checked_sub(first_bell).and_then(|k| onsets.get(k))) {
                (Some(first), Some(onset)) => {
                    format!("{:+.1} ms", (onset - first) - f64::from(*at - planned[first_bell]))
                }
                _ => "–".to_owned(),
            };
            [planned_s, seen_s, measured_s]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use stille_practice::catalog;

    use super::*;

    #[test]
    fn tests_and_resume_records_read_back_checked() {
        for test in Test::ALL {
            assert_eq!(Test::parse(test.name()), Some(test));
        }
        let record = |test: &str, mode: &str, position_ms| LabResume {
            test: test.into(),
            mode: mode.into(),
            position_ms,
        };
        assert_eq!(
            record("bells", "live", 5_000.0).check(Lang::En),
            Some((Test::Bells, Mode::Live, 5_000.0))
        );
        assert_eq!(record("bells", "live", 1e9).check(Lang::En), None, "past the end");
        assert_eq!(record("drums", "live", 5.0).check(Lang::En), None);
        assert_eq!(record("timer", "loud", 5.0).check(Lang::En), None);
        assert_eq!(Way::of(Mode::Live), Some(Way::Live));
    }

    #[test]
    fn bells_are_seen_once_the_clock_passes_them_and_measured_against_the_first_onset() {
        let planned = [2_000, 22_000, 42_000];
        let mut seen = vec![None; 3];
        observe(&mut seen, &planned, 21_000.0, 0.0);
        observe(&mut seen, &planned, 22_040.0, 0.0);
        assert_eq!(seen, vec![Some(21_000.0), Some(22_040.0), None]);
        let rows = bell_rows(&planned, &seen, &[1_000.0, 21_001.5], 0.0);
        assert_eq!(rows[0], ["2.0 s".to_owned(), "21.00 s (+19000 ms)".to_owned(), "+0.0 ms".to_owned()]);
        assert_eq!(rows[1][2], "+1.5 ms");
        assert_eq!(rows[2], ["42.0 s".to_owned(), "–".to_owned(), "–".to_owned()]);
        // Resumed at 10 s: the first onset is the bell at 22 s.
        let resumed = bell_rows(&planned, &[None; 3], &[500.0, 20_500.0], 10_000.0);
        assert_eq!(
            (resumed[0][2].as_str(), resumed[1][2].as_str(), resumed[2][2].as_str()),
            ("–", "+0.0 ms", "+0.0 ms")
        );
    }

    #[test]
    fn the_voice_tests_place_every_clip_where_it_was_planned() {
        let voice = Test::Voice.voice(Lang::Da, 24_000);
        let at: Vec<u32> = voice.0.iter().map(|(at, _)| *at).collect();
        assert_eq!(at, VOICE_CLIPS_MS);
        let timeline = Test::Voice.timeline(Lang::Da);
        assert_eq!(
            Test::Voice.onsets(&timeline, Lang::Da),
            vec![2_000, 12_000, 22_000, 32_000, 42_000, 52_000]
        );
        assert!(Test::Bells.voice(Lang::Da, 24_000).0.is_empty());
        // The benchmark: every cue of the 45-minute body scan, each inside its
        // section, none over another or a bell.
        let scan = Test::ScanVoice.timeline(Lang::Da);
        assert_eq!(scan.practice.as_str(), "mbsr-body-scan");
        let clips = Test::ScanVoice.voice(Lang::Da, 24_000);
        let cues = catalog()
            .get("mbsr-body-scan")
            .map(|p| p.script.iter().filter(|s| matches!(s, stille_practice::Segment::Cue { .. })).count());
        assert_eq!(Some(clips.0.len()), cues);
        assert!(clips.0.windows(2).all(|w| w[0].0 + (w[0].1.len() as u32 / 24) <= w[1].0), "no overlap");
    }
}

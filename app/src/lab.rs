//! The audio check page (`/lab/audio`) as plain decisions: its test sessions,
//! the ways it can play them, the record that lets a reload resume one, and
//! the bell table that compares planned, observed and measured times.

use serde::{Deserialize, Serialize};
use stille_audio::lab;
use stille_audio::mode::Mode;
use stille_practice::{BellSound, Lang, Options, Timeline, compile};

use crate::i18n::Key;

/// The lab's test sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Test {
    /// A chime every 20 s from 2 s on, 10 bells over 3 minutes.
    Bells,
    /// The benchmark: a 45-minute silent timer with 10 interval bells.
    Timer,
    /// Three minutes of guidance: on screen, and spoken when speech is on.
    Guided,
}

impl Test {
    pub const ALL: [Test; 3] = [Test::Bells, Test::Timer, Test::Guided];

    pub fn name(self) -> &'static str {
        match self {
            Test::Bells => "bells",
            Test::Timer => "timer",
            Test::Guided => "guided",
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
        }
    }
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
}

//! Following a timeline by a player's clock: which guidance is on screen, which
//! breath phase the pacer shows, and which guidance to read aloud.
//!
//! The clock is whatever the player reports (the media element's or the
//! AudioContext's time), read as often as the page happens to run. Reads can be
//! far apart (a throttled or hidden page), go backwards (a seek) or jump ahead
//! (a seek, a reload): the follower never counts ticks, it only compares the
//! clock with the cues. Guidance is read aloud at most once per pass and only
//! when the clock is still close to its moment, so coming back to a page after a
//! while shows the current text without a burst of stale speech.

use crate::BreathPhase;
use crate::timeline::{Cue, CueKind, Timeline};

/// Guidance older than this when first seen is shown but not read aloud.
pub const SPEAK_WITHIN_MS: f64 = 3_000.0;
/// A clock that moved back by more than this was seeked, not jittered.
const BACKWARDS_MS: f64 = 250.0;

/// Where a timeline stands at one reading of the clock.
#[derive(Clone, Debug, PartialEq)]
pub struct Now<'t> {
    /// The latest guidance whose moment has come.
    pub text: Option<&'t str>,
    /// Guidance to read aloud now (at most once per pass).
    pub speak: Option<&'t str>,
    /// The breath phase under way and how far through it (0..1).
    pub breath: Option<(BreathPhase, f64)>,
    pub remaining_ms: f64,
    pub ended: bool,
}

/// Follows one timeline; keep it for the session and call [`Follower::at`]
/// with each clock reading.
#[derive(Clone, Debug)]
pub struct Follower {
    /// (at_ms, cue index) of the text cues, in time order.
    texts: Vec<(u32, usize)>,
    /// (at_ms, ms, phase) of the breath cues, in time order.
    breaths: Vec<(u32, u32, BreathPhase)>,
    length_ms: u32,
    /// The first text cue not yet passed.
    next: usize,
    last_ms: f64,
}

impl Follower {
    pub fn new(timeline: &Timeline) -> Follower {
        let mut texts = Vec::new();
        let mut breaths = Vec::new();
        for (i, cue) in timeline.cues.iter().enumerate() {
            match cue.kind {
                CueKind::Text(_) => texts.push((cue.at_ms, i)),
                CueKind::Breath { phase, ms } => breaths.push((cue.at_ms, ms, phase)),
                _ => {}
            }
        }
        Follower { texts, breaths, length_ms: timeline.length_ms, next: 0, last_ms: 0.0 }
    }

    /// The state at `elapsed_ms` on the player's clock. `timeline` must be the
    /// one this follower was made for.
    pub fn at<'t>(&mut self, timeline: &'t Timeline, elapsed_ms: f64) -> Now<'t> {
        let elapsed = elapsed_ms.max(0.0);
        if elapsed < self.last_ms - BACKWARDS_MS {
            // Seeked back: guidance from here on may be read again (including
            // one exactly at the new position).
            self.next = self.texts.partition_point(|(at, _)| f64::from(*at) < elapsed);
        }
        self.last_ms = elapsed;

        let mut newest = None;
        while let Some(&(at, index)) = self.texts.get(self.next) {
            if f64::from(at) > elapsed {
                break;
            }
            newest = Some((at, index));
            self.next += 1;
        }
        let text_of = |index: usize| match &timeline.cues.get(index) {
            Some(Cue { kind: CueKind::Text(text), .. }) => Some(text.as_str()),
            _ => None,
        };
        let speak = newest
            .filter(|(at, _)| elapsed - f64::from(*at) <= SPEAK_WITHIN_MS)
            .and_then(|(_, index)| text_of(index));
        let shown = self.texts.partition_point(|(at, _)| f64::from(*at) <= elapsed);
        let text = shown.checked_sub(1).and_then(|i| text_of(self.texts[i].1));

        let current = self.breaths.partition_point(|(at, _, _)| f64::from(*at) <= elapsed);
        let breath = current.checked_sub(1).map(|i| self.breaths[i]).and_then(|(at, ms, phase)| {
            let into = elapsed - f64::from(at);
            (into < f64::from(ms)).then(|| (phase, into / f64::from(ms.max(1))))
        });
        let length = f64::from(self.length_ms);
        Now { text, speak, breath, remaining_ms: (length - elapsed).max(0.0), ended: elapsed >= length }
    }
}

/// The vibration that marks the start of a breath phase, in ms of on/off:
/// one short pulse to breathe in, two to breathe out, none for holds (a
/// phone's buzz is felt in the hand when the eyes are closed).
pub fn vibration(phase: BreathPhase) -> &'static [u32] {
    match phase {
        BreathPhase::Inhale => &[60],
        BreathPhase::Exhale => &[40, 80, 40],
        BreathPhase::TopUp | BreathPhase::HoldIn | BreathPhase::HoldOut => &[],
    }
}

#[cfg(test)]
mod vibration_tests {
    use super::vibration;
    use crate::BreathPhase;

    #[test]
    fn in_and_out_feel_different_and_holds_are_still() {
        assert_eq!(vibration(BreathPhase::Inhale).len(), 1);
        assert_eq!(vibration(BreathPhase::Exhale).len(), 3);
        assert!(vibration(BreathPhase::HoldIn).is_empty() && vibration(BreathPhase::HoldOut).is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Lang, Options, catalog, compile};

    fn timeline(id: &str, minutes: u16) -> Timeline {
        let practice = catalog().get(id).expect("in the catalog");
        compile(practice, &Options { minutes, ..Options::defaults(practice, Lang::En) }).expect("compiles")
    }

    fn texts(t: &Timeline) -> Vec<(u32, &str)> {
        t.cues
            .iter()
            .filter_map(|c| match &c.kind {
                CueKind::Text(s) => Some((c.at_ms, s.as_str())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn reading_the_clock_often_speaks_every_guidance_once_in_order() {
        let t = timeline("mbsr-body-scan", 45);
        let mut follower = Follower::new(&t);
        let mut spoken = Vec::new();
        let mut ms = 0.0;
        while ms <= f64::from(t.length_ms) {
            if let Some(text) = follower.at(&t, ms).speak {
                spoken.push(text);
            }
            ms += 250.0;
        }
        let all: Vec<&str> = texts(&t).into_iter().map(|(_, s)| s).collect();
        assert!(all.len() > 10);
        assert_eq!(spoken, all);
        assert!(follower.at(&t, f64::from(t.length_ms)).ended);
    }

    #[test]
    fn a_jump_ahead_shows_the_current_guidance_without_reading_stale_ones() {
        let t = timeline("mbsr-body-scan", 45);
        let cues = texts(&t);
        let mut follower = Follower::new(&t);
        follower.at(&t, 0.0);
        // Back to the page ten seconds after the fifth guidance.
        let (at, text) = cues[4];
        let now = follower.at(&t, f64::from(at) + 10_000.0);
        assert_eq!(now.text, Some(text));
        assert_eq!(now.speak, None);
        // Within the window, the newest passed guidance is read, once.
        let (at, text) = cues[5];
        assert_eq!(follower.at(&t, f64::from(at) + 1_000.0).speak, Some(text));
        assert_eq!(follower.at(&t, f64::from(at) + 1_500.0).speak, None);
    }

    #[test]
    fn seeking_back_lets_guidance_be_read_again() {
        let t = timeline("mbsr-body-scan", 45);
        let cues = texts(&t);
        let mut follower = Follower::new(&t);
        let (second, text) = cues[1];
        assert_eq!(follower.at(&t, f64::from(second)).speak, Some(text));
        follower.at(&t, f64::from(cues[3].0) + 100.0);
        // Seek to exactly the second guidance's moment.
        assert_eq!(follower.at(&t, f64::from(second)).speak, Some(text));
        // Small jitter backwards is not a seek.
        assert_eq!(follower.at(&t, f64::from(second) - 100.0).speak, None);
    }

    #[test]
    fn the_pacer_follows_breath_phases_by_the_clock() {
        let t = timeline("breathing-box", 5);
        let mut follower = Follower::new(&t);
        let (at, ms, phase) = t
            .cues
            .iter()
            .find_map(|c| match c.kind {
                CueKind::Breath { phase, ms } => Some((c.at_ms, ms, phase)),
                _ => None,
            })
            .expect("a box-breathing timeline has breath cues");
        let half = follower.at(&t, f64::from(at) + f64::from(ms) / 2.0);
        let (now_phase, progress) = half.breath.expect("inside a breath phase");
        assert_eq!(now_phase, phase);
        assert!((progress - 0.5).abs() < 1e-9);
        assert_eq!(follower.at(&t, 0.0).breath, None, "nothing before the first phase");
        let end = follower.at(&t, f64::from(t.length_ms) + 5.0);
        assert!(end.ended && end.remaining_ms == 0.0);
    }
}

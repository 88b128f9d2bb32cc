//! The diagnostic timeline: a bell every few seconds, for checking on a real
//! phone (the app's `/lab/audio` page) that bells ring when planned, screen
//! locked or not.

use stille_practice::timeline::{Section, SectionKind};
use stille_practice::{BellRole, BellSound, Cue, CueKind, PracticeId, Timeline};

/// `seconds` long, a `sound` after `lead_in_ms` of silence and every `every_s`
/// seconds after that, each with room to ring out before the next and before
/// the end. (A lead-in keeps the first bell clear of whatever a browser does
/// while playback starts, so it can be measured like the others.)
pub fn bell_every(lead_in_ms: u32, seconds: u32, every_s: u32, sound: BellSound) -> Timeline {
    let length_ms = seconds * 1000;
    let step = every_s.max(1) * 1000;
    let ring = sound.ring_out_ms();
    let mut cues = Vec::new();
    let mut at = lead_in_ms;
    while at + ring <= length_ms {
        let role = if cues.is_empty() { BellRole::Opening } else { BellRole::Interval };
        cues.push(Cue { at_ms: at, kind: CueKind::Bell { sound, role } });
        at += step.max(ring);
    }
    let bells = cues.len();
    if let Some(Cue { kind: CueKind::Bell { role, .. }, .. }) = cues.last_mut()
        && bells > 1
    {
        *role = BellRole::Closing;
    }
    cues.push(Cue { at_ms: length_ms, kind: CueKind::End });
    Timeline {
        practice: PracticeId::parse("lab-bells").expect("a literal, valid id"),
        length_ms,
        start_ms: lead_in_ms,
        cues,
        sections: vec![Section {
            segment: 0,
            kind: SectionKind::Silence,
            flexible: true,
            start_ms: lead_in_ms,
            end_ms: length_ms,
        }],
    }
}

/// A silent timer of `minutes` with `interval_bells` evenly spaced between an
/// opening bell at the start and a closing bell that rings out at the end: the
/// benchmark session ("a 45-minute silent timer with 10 interval bells").
pub fn silent_timer(minutes: u32, interval_bells: u32, sound: BellSound) -> Timeline {
    let length_ms = minutes * 60_000;
    let closing = length_ms.saturating_sub(sound.ring_out_ms());
    let mut cues = vec![Cue { at_ms: 0, kind: CueKind::Bell { sound, role: BellRole::Opening } }];
    for i in 1..=interval_bells {
        let at_ms = (u64::from(closing) * u64::from(i) / u64::from(interval_bells + 1)) as u32;
        cues.push(Cue { at_ms, kind: CueKind::Bell { sound, role: BellRole::Interval } });
    }
    cues.push(Cue { at_ms: closing, kind: CueKind::Bell { sound, role: BellRole::Closing } });
    cues.push(Cue { at_ms: length_ms, kind: CueKind::End });
    Timeline {
        practice: PracticeId::parse("lab-timer").expect("a literal, valid id"),
        length_ms,
        start_ms: 0,
        cues,
        sections: vec![Section {
            segment: 0,
            kind: SectionKind::Silence,
            flexible: true,
            start_ms: 0,
            end_ms: length_ms,
        }],
    }
}

/// `ms` of a stand-in for speech, for measuring where a recorded clip
/// sounds: a 300 Hz tone with a 2 ms rise (a sharp, findable onset) and a
/// 50 ms fall, at about the level a teacher's voice is kept at.
pub fn speech_like(ms: u32, sample_rate: u32) -> Vec<f32> {
    let n = (u64::from(ms) * u64::from(sample_rate) / 1000) as usize;
    let rise = (sample_rate / 500) as usize;
    let fall = (sample_rate / 20) as usize;
    (0..n)
        .map(|i| {
            let t = i as f32 / sample_rate as f32;
            let envelope = (i as f32 / rise as f32).min(1.0).min((n - i) as f32 / fall as f32);
            0.25 * envelope * (std::f32::consts::TAU * 300.0 * t).sin()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_minutes_of_bells_every_twenty_seconds_is_a_valid_timeline() {
        let t = bell_every(0, 180, 20, BellSound::Chime);
        assert_eq!(t.check(), Ok(()));
        let bells = |t: &Timeline| -> Vec<u32> {
            t.cues.iter().filter(|c| matches!(c.kind, CueKind::Bell { .. })).map(|c| c.at_ms).collect()
        };
        assert_eq!(bells(&t), (0..9).map(|i| i * 20_000).collect::<Vec<_>>());
        let late = bell_every(2_000, 180, 20, BellSound::Chime);
        assert_eq!(late.check(), Ok(()));
        assert_eq!(bells(&late), (0..9).map(|i| 2_000 + i * 20_000).collect::<Vec<_>>());
    }

    #[test]
    fn the_benchmark_timer_has_ten_interval_bells_between_opening_and_closing() {
        let t = silent_timer(45, 10, BellSound::Bowl);
        assert_eq!(t.check(), Ok(()));
        let roles: Vec<BellRole> = t
            .cues
            .iter()
            .filter_map(|c| match c.kind {
                CueKind::Bell { role, .. } => Some(role),
                _ => None,
            })
            .collect();
        assert_eq!(roles.len(), 12);
        assert_eq!(roles.iter().filter(|r| **r == BellRole::Interval).count(), 10);
        assert_eq!(t.length_ms, 45 * 60_000);
    }
}

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
}

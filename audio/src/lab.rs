//! The diagnostic timeline: a bell every few seconds, for checking on a real
//! phone (the app's `/lab/audio` page) that bells ring when planned, screen
//! locked or not.

use stille_practice::timeline::{Section, SectionKind};
use stille_practice::{BellRole, BellSound, Cue, CueKind, PracticeId, Timeline};

/// `seconds` long, a `sound` at 0 and every `every_s` seconds after, each with
/// room to ring out before the next and before the end.
pub fn bell_every(seconds: u32, every_s: u32, sound: BellSound) -> Timeline {
    let length_ms = seconds * 1000;
    let step = every_s.max(1) * 1000;
    let ring = sound.ring_out_ms();
    let mut cues = Vec::new();
    let mut at = 0;
    while at + ring <= length_ms {
        let role = if at == 0 { BellRole::Opening } else { BellRole::Interval };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_minutes_of_bells_every_twenty_seconds_is_a_valid_timeline() {
        let t = bell_every(180, 20, BellSound::Chime);
        assert_eq!(t.check(), Ok(()));
        let bells: Vec<u32> =
            t.cues.iter().filter(|c| matches!(c.kind, CueKind::Bell { .. })).map(|c| c.at_ms).collect();
        assert_eq!(bells, (0..9).map(|i| i * 20_000).collect::<Vec<_>>());
    }
}

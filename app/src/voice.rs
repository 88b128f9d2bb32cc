//! The recording screen's logic, in plain Rust: a practice's cues to read
//! aloud, which of them this instructor has recorded (in the course's
//! language), which comes next, and the lengths the practice plays at with
//! the voice as it stands (the timeline makes room for each recording; a
//! length without room names the cue that runs over).

use std::collections::BTreeMap;

use stille_practice::api::Recording;
use stille_practice::{ClipLengths, CompileError, Lang, Options, Practice, Segment, lengths_with_clips};

/// One cue of the script, as the teleprompter shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptCue {
    /// Its index in the practice's script (what the server calls `cue`).
    pub index: usize,
    /// Its number among the cues, from 1.
    pub number: usize,
    pub text: String,
    /// The time the script gives it, in ms.
    pub written_ms: u32,
}

/// The cues of `practice` (with its script: the details) in `lang`.
pub fn script_cues(practice: &Practice, lang: Lang) -> Vec<ScriptCue> {
    practice
        .script
        .iter()
        .enumerate()
        .filter_map(|(index, segment)| match segment {
            Segment::Cue { text, ms } => Some((index, text.get(lang).to_owned(), *ms)),
            _ => None,
        })
        .enumerate()
        .map(|(n, (index, text, written_ms))| ScriptCue { index, number: n + 1, text, written_ms })
        .collect()
}

/// The caller's own recordings of `practice`'s cues in `lang`, by cue index.
pub fn recorded(mine: &[Recording], practice: &str, lang: Lang) -> BTreeMap<usize, Recording> {
    mine.iter()
        .filter(|r| r.yours && r.practice.as_deref() == Some(practice) && r.lang == lang.tag())
        .filter_map(|r| Some((usize::try_from(r.cue?).ok()?, r.clone())))
        .collect()
}

/// How long each recorded cue plays (for the timeline).
pub fn clip_lengths(recorded: &BTreeMap<usize, Recording>) -> ClipLengths {
    recorded
        .iter()
        .map(|(index, r)| (*index, u32::try_from(r.duration_ms.max(0)).unwrap_or(u32::MAX)))
        .collect()
}

/// The position (in `cues`) of the first cue not yet recorded after
/// position `from`, wrapping round; None when every cue is recorded.
pub fn next_missing(cues: &[ScriptCue], recorded: &BTreeMap<usize, Recording>, from: usize) -> Option<usize> {
    let n = cues.len();
    (1..=n).map(|step| (from + step) % n).find(|&at| !recorded.contains_key(&cues[at].index))
}

/// The lengths the practice plays at with these recordings, and those it
/// does not, each with the number of the cue that runs over and by how much.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fit {
    pub offered: Vec<u16>,
    /// (minutes, cue number, ms over)
    pub refused: Vec<(u16, usize, u32)>,
}

pub fn fit(practice: &Practice, lang: Lang, recorded: &BTreeMap<usize, Recording>) -> Fit {
    let (offered, refused) = lengths_with_clips(practice, lang, &clip_lengths(recorded));
    let cues = script_cues(practice, lang);
    let number = |index: usize| cues.iter().find(|c| c.index == index).map_or(0, |c| c.number);
    let refused = refused
        .into_iter()
        .filter_map(|(minutes, error)| match error {
            CompileError::VoiceTooLong { cue, cue_over_ms, .. } => Some((minutes, number(cue), cue_over_ms)),
            _ => None,
        })
        .collect();
    Fit { offered, refused }
}

/// The teacher's voice for `practice` in `lang` among the recordings heard
/// (a course's, kept on the device): one instructor's recordings of every
/// cue of its script, by cue index, and whose they are. None when nobody
/// has recorded all of them (a voice with gaps would switch between
/// speakers mid-practice).
pub fn complete_voice(
    heard: &[Recording],
    practice: &Practice,
    lang: Lang,
) -> Option<(String, BTreeMap<usize, Recording>)> {
    let cues = script_cues(practice, lang);
    let mut owners: Vec<&str> = heard.iter().map(|r| r.owner.as_str()).collect();
    owners.sort_unstable();
    owners.dedup();
    owners.into_iter().find_map(|owner| {
        let theirs: BTreeMap<usize, Recording> = heard
            .iter()
            .filter(|r| r.owner == owner && r.practice.as_deref() == Some(practice.id.as_str()))
            .filter(|r| r.lang == lang.tag())
            .filter_map(|r| Some((usize::try_from(r.cue?).ok()?, r.clone())))
            .collect();
        let whole = !cues.is_empty() && cues.iter().all(|c| theirs.contains_key(&c.index));
        whole.then(|| (owner.to_owned(), theirs))
    })
}

/// Those of `lengths` (minutes) at which `practice`, played with `base`'s
/// other choices (bell, pace, language), has room for the recorded `voice`:
/// what the practice page offers with it.
pub fn lengths_with_voice(
    practice: &Practice,
    base: &Options,
    voice: &BTreeMap<usize, Recording>,
    lengths: &[u16],
) -> Vec<u16> {
    let clips = clip_lengths(voice);
    lengths
        .iter()
        .copied()
        .filter(|&minutes| {
            let options = Options { minutes, ..base.clone() };
            stille_practice::compile_with_clips(practice, &options, &clips).is_ok()
        })
        .collect()
}

/// Whose recorded voice speaks a practice, as the player names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Speaker {
    pub name: String,
    /// Published for everyone by the server's admin, not a course's teacher.
    pub published: bool,
}

/// The voice a practice plays with: the teacher's (`course`: the joined
/// courses' recordings) before one `published` for everyone.
pub fn choose_voice(
    course: &[Recording],
    published: &[Recording],
    practice: &Practice,
    lang: Lang,
) -> Option<(Speaker, BTreeMap<usize, Recording>)> {
    let teacher =
        complete_voice(course, practice, lang).map(|(name, set)| (Speaker { name, published: false }, set));
    teacher.or_else(|| {
        complete_voice(published, practice, lang).map(|(name, set)| (Speaker { name, published: true }, set))
    })
}

#[cfg(test)]
mod tests {
    use stille_practice::catalog;

    use super::*;

    fn cue_recording(practice: &str, cue: usize, ms: i64, lang: &str, yours: bool) -> Recording {
        Recording {
            id: format!("0193a5b2-7c4d-7e8f-9a0b-{cue:012}"),
            title: format!("{practice} · {cue}"),
            lang: lang.into(),
            owner: "Karen".into(),
            yours,
            duration_ms: ms,
            bytes: 10_000,
            audio: format!("/api/audio/{}", "a".repeat(64)),
            bells: false,
            courses: Vec::new(),
            published: false,
            created_at_ms: 0,
            practice: Some(practice.into()),
            cue: Some(cue as u32),
        }
    }

    #[test]
    fn the_teleprompter_reads_the_cues_in_order_and_finds_the_next_missing_one() {
        let scan = catalog().get("mbsr-body-scan").expect("in the catalog");
        let cues = script_cues(scan, Lang::Da);
        assert!(cues.len() > 10, "a body scan has many cues");
        assert!(cues.iter().enumerate().all(|(n, c)| c.number == n + 1));
        assert!(matches!(scan.script[cues[0].index], Segment::Cue { .. }));
        assert!(!cues[0].text.is_empty());
        let mine = vec![
            cue_recording("mbsr-body-scan", cues[0].index, 5_000, "da", true),
            cue_recording("mbsr-body-scan", cues[1].index, 5_000, "en", true),
            cue_recording("mbsr-body-scan", cues[2].index, 5_000, "da", false),
            cue_recording("mbsr-sitting", cues[3].index, 5_000, "da", true),
        ];
        let done = recorded(&mine, "mbsr-body-scan", Lang::Da);
        assert_eq!(
            done.keys().copied().collect::<Vec<_>>(),
            vec![cues[0].index],
            "own, this practice, Danish"
        );
        assert_eq!(next_missing(&cues, &done, 0), Some(1));
        assert_eq!(
            next_missing(&cues, &done, cues.len() - 1),
            Some(1),
            "wraps round past the recorded first"
        );
        let all: Vec<Recording> =
            cues.iter().map(|c| cue_recording("mbsr-body-scan", c.index, 3_000, "da", true)).collect();
        assert_eq!(next_missing(&cues, &recorded(&all, "mbsr-body-scan", Lang::Da), 0), None);
    }

    #[test]
    fn only_a_voice_with_every_cue_recorded_is_used() {
        let space = catalog().get("mbct-breathing-space").expect("in the catalog");
        let cues = script_cues(space, Lang::Da);
        let mut heard: Vec<Recording> =
            cues.iter().map(|c| cue_recording("mbct-breathing-space", c.index, 4_000, "da", false)).collect();
        let (owner, voice) = complete_voice(&heard, space, Lang::Da).expect("every cue is recorded");
        assert_eq!((owner.as_str(), voice.len()), ("Karen", cues.len()));
        assert!(complete_voice(&heard, space, Lang::En).is_none(), "recorded in Danish only");
        heard.pop();
        assert!(complete_voice(&heard, space, Lang::Da).is_none(), "a cue is missing");
        let mut other = cue_recording("mbct-breathing-space", cues[cues.len() - 1].index, 4_000, "da", false);
        other.owner = "Søren".into();
        heard.push(other);
        assert!(complete_voice(&heard, space, Lang::Da).is_none(), "two speakers are not one voice");
    }

    #[test]
    fn a_long_recording_leaves_out_the_lengths_without_room_for_it_naming_its_cue() {
        let scan = catalog().get("mbsr-body-scan").expect("in the catalog");
        let cues = script_cues(scan, Lang::Da);
        let short = recorded(
            &[cue_recording("mbsr-body-scan", cues[0].index, 4_000, "da", true)],
            "mbsr-body-scan",
            Lang::Da,
        );
        let fit_short = fit(scan, Lang::Da, &short);
        assert_eq!(fit_short.offered, scan.minutes, "a short recording fits every length");
        assert!(fit_short.refused.is_empty());
        // Ten minutes spoken for cue 3: the shorter lengths have no room.
        let long = recorded(
            &[cue_recording("mbsr-body-scan", cues[2].index, 10 * 60_000, "da", true)],
            "mbsr-body-scan",
            Lang::Da,
        );
        let fit_long = fit(scan, Lang::Da, &long);
        assert!(!fit_long.refused.is_empty(), "{fit_long:?}");
        // A participant is offered exactly the lengths with room.
        let base = Options::defaults(scan, Lang::Da);
        assert_eq!(lengths_with_voice(scan, &base, &long, &scan.minutes), fit_long.offered);
        assert_eq!(lengths_with_voice(scan, &base, &short, &scan.minutes), scan.minutes);
        // The bell chosen counts: a singing bowl's long ring takes room a
        // wooden knock leaves to the voice (each of the breathing space's
        // cues spoken for 28 s just fits its 3 minutes with the knock).
        let space = catalog().get("mbct-breathing-space").expect("in the catalog");
        let slow: BTreeMap<usize, Recording> = script_cues(space, Lang::Da)
            .iter()
            .map(|c| (c.index, cue_recording("mbct-breathing-space", c.index, 28_000, "da", false)))
            .collect();
        let with_bell = |bell| {
            let base = Options { bell, ..Options::defaults(space, Lang::Da) };
            lengths_with_voice(space, &base, &slow, &space.minutes)
        };
        assert_eq!(with_bell(stille_practice::BellSound::WoodKnock), vec![3]);
        assert_eq!(with_bell(stille_practice::BellSound::Bowl), Vec::<u16>::new());
        assert!(fit_long.refused.iter().all(|(_, number, over)| *number == 3 && *over > 0), "{fit_long:?}");
        assert_eq!(fit_long.offered.len() + fit_long.refused.len(), scan.minutes.len());
    }

    #[test]
    fn a_courses_teacher_speaks_before_a_voice_published_for_everyone() {
        let space = catalog().get("mbct-breathing-space").expect("in the catalog");
        let cues = script_cues(space, Lang::Da);
        let voice = |owner: &str| -> Vec<Recording> {
            cues.iter()
                .map(|c| {
                    let mut r = cue_recording("mbct-breathing-space", c.index, 4_000, "da", false);
                    r.owner = owner.into();
                    r.published = owner == "Stille";
                    r
                })
                .collect()
        };
        let (speaker, set) = choose_voice(&[], &voice("Stille"), space, Lang::Da).expect("the published one");
        assert_eq!(speaker, Speaker { name: "Stille".into(), published: true });
        assert_eq!(set.len(), cues.len());
        let (speaker, _) = choose_voice(&voice("Karen"), &voice("Stille"), space, Lang::Da).expect("a voice");
        assert_eq!(speaker, Speaker { name: "Karen".into(), published: false }, "the course's teacher first");
        let mut gaps = voice("Karen");
        gaps.pop();
        let (speaker, _) = choose_voice(&gaps, &voice("Stille"), space, Lang::Da).expect("a voice");
        assert!(speaker.published, "a teacher's voice with a gap gives way to the published one");
        assert!(choose_voice(&gaps, &[], space, Lang::Da).is_none());
        assert!(choose_voice(&voice("Karen"), &voice("Stille"), space, Lang::En).is_none(), "Danish only");
    }
}

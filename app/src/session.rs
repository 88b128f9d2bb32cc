//! One playing of a practice, as an address: `/play/<id>?m=10&bell=chime&…`.
//! The options live in the URL so a reload (or a shared link) rebuilds the
//! same timeline; unknown or impossible values fall back to the practice's
//! defaults and are reported, never silently played differently.

use serde::Serialize;
use serde::de::DeserializeOwned;
use stille_audio::Config;
use stille_audio::noise::Colour;
use stille_practice::{Anchor, BellSound, BreathOptions, Eyes, Lang, Options, Practice};

/// What the listener chose on the practice page.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub minutes: u16,
    pub anchor: Option<Anchor>,
    pub eyes: Eyes,
    pub bell: BellSound,
    pub interval_minutes: Option<u16>,
    pub ambient: Option<Colour>,
    /// The breathing pace: breaths a minute, or each phase's seconds.
    pub breath: BreathOptions,
    /// Who speaks the guidance this time; None follows Settings.
    pub voice: Option<VoicePick>,
}

/// Who speaks a practice's guidance, chosen for one playing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoicePick {
    /// The teacher's recording; where there is none, the phone's voice
    /// when reading aloud is on in Settings, else the words alone.
    Teacher,
    /// The phone reads the words aloud.
    Device,
    /// No voice: the words are on screen.
    Words,
}

impl VoicePick {
    pub const ALL: [VoicePick; 3] = [VoicePick::Teacher, VoicePick::Device, VoicePick::Words];

    /// Its name in the player's address.
    pub fn name(self) -> &'static str {
        match self {
            VoicePick::Teacher => "teacher",
            VoicePick::Device => "device",
            VoicePick::Words => "words",
        }
    }

    pub fn parse(name: &str) -> Option<VoicePick> {
        VoicePick::ALL.into_iter().find(|pick| pick.name() == name)
    }

    /// What plays: the pick, unless it is the recorded voice and none is
    /// `available` (then, like no pick, what Settings give).
    pub fn resolve(
        pick: Option<VoicePick>,
        teacher_setting: bool,
        speech_setting: bool,
        available: bool,
    ) -> VoicePick {
        match pick {
            Some(VoicePick::Teacher) if !available => {
                VoicePick::from_settings(teacher_setting, speech_setting, false)
            }
            Some(pick) => pick,
            None => VoicePick::from_settings(teacher_setting, speech_setting, available),
        }
    }

    /// What the practice page shows chosen before anything is picked: what
    /// Settings would give (`teacher_setting`: the teacher's voice is not
    /// turned off; `speech_setting`: reading aloud is on), where a teacher's
    /// voice `exists` for this practice.
    pub fn from_settings(teacher_setting: bool, speech_setting: bool, exists: bool) -> VoicePick {
        match (teacher_setting && exists, speech_setting) {
            (true, _) => VoicePick::Teacher,
            (false, true) => VoicePick::Device,
            (false, false) => VoicePick::Words,
        }
    }
}

/// A value's serde name ("temple-bell", "open"): the URL form.
fn name<T: Serialize>(value: T) -> String {
    // A unit variant serialises as a JSON string: its name between quotes.
    let quoted = serde_json::to_string(&value).unwrap_or_default();
    quoted.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or_default().to_owned()
}

fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(&serde_json::to_string(text).ok()?).ok()
}

pub fn bell_name(bell: BellSound) -> String {
    name(bell)
}

pub fn anchor_name(anchor: Anchor) -> String {
    name(anchor)
}

fn colour_name(colour: Colour) -> &'static str {
    match colour {
        Colour::Pink => "pink",
        Colour::Brown => "brown",
    }
}

/// What is wrong with a breathing pace for `practice`, if anything: a pace
/// only where the pattern offers one and within its range; phase seconds
/// only for an adjustable pattern, one for each phase, each within
/// [`stille_practice::BreathPhase::bounds`].
pub fn breath_problem(practice: &Practice, breath: &BreathOptions) -> Option<String> {
    let Some(pattern) = &practice.breath else {
        return (*breath != BreathOptions::default())
            .then(|| "this practice has no breathing pattern".into());
    };
    if let Some(bpm) = breath.bpm {
        match pattern.bpm_range {
            None => return Some("this practice has no pace to choose".into()),
            Some([low, high]) if !(low..=high).contains(&bpm) => {
                return Some(format!("a pace of {bpm} breaths a minute: choose {low} to {high}"));
            }
            Some(_) => {}
        }
    }
    if let Some(seconds) = &breath.phase_seconds {
        if !pattern.adjustable {
            return Some("this practice's breath phases cannot be changed".into());
        }
        if seconds.len() != pattern.phases.len() {
            return Some(format!(
                "{} phase lengths for a pattern of {}",
                seconds.len(),
                pattern.phases.len()
            ));
        }
        for (spec, s) in pattern.phases.iter().zip(seconds) {
            let (low, high) = spec.phase.bounds();
            if !(low..=high).contains(s) {
                return Some(format!("{s} s for {:?}: choose {low} to {high} s", spec.phase));
            }
        }
    }
    None
}

/// The pace a pattern goes at by itself, in breaths a minute.
pub fn own_pace(practice: &Practice) -> Option<f64> {
    let cycle: f64 = practice.breath.as_ref()?.phases.iter().map(|p| p.seconds).sum();
    (cycle > 0.0).then(|| 60.0 / cycle)
}

/// The lengths a practice offers, in minutes.
pub fn lengths(practice: &Practice) -> Vec<u16> {
    match (practice.custom_length, practice.minutes.first(), practice.minutes.last()) {
        (true, Some(&first), Some(&last)) => (first..=last).collect(),
        _ => practice.minutes.clone(),
    }
}

/// Interval-bell choices that fit inside `minutes`.
pub fn intervals(practice: &Practice, minutes: u16) -> Vec<u16> {
    if !practice.interval_bells {
        return Vec::new();
    }
    [1, 2, 3, 5, 10, 15].into_iter().filter(|every| *every < minutes).collect()
}

impl Choice {
    pub fn defaults(practice: &Practice) -> Choice {
        Choice {
            minutes: practice.default_minutes,
            anchor: None,
            eyes: Eyes::Closed,
            bell: BellSound::Bowl,
            interval_minutes: None,
            ambient: None,
            breath: BreathOptions::default(),
            voice: None,
        }
    }

    /// Whether this playing uses the teacher's recording where there is
    /// one: picked, or not picked and not turned off in Settings.
    pub fn wants_teacher(&self, teacher_setting: bool) -> bool {
        self.voice.map_or(teacher_setting, |pick| pick == VoicePick::Teacher)
    }

    /// Whether the phone reads the guidance aloud when no recording speaks:
    /// picked, or (for the teacher's voice, or nothing picked) reading aloud
    /// is on in Settings.
    pub fn device_speaks(&self, speech_setting: bool) -> bool {
        match self.voice {
            Some(VoicePick::Device) => true,
            Some(VoicePick::Words) => false,
            Some(VoicePick::Teacher) | None => speech_setting,
        }
    }

    /// A new length; interval bells that no longer fit inside it are dropped.
    pub fn set_minutes(&mut self, minutes: u16) {
        self.minutes = minutes;
        if self.interval_minutes.is_some_and(|every| every >= minutes) {
            self.interval_minutes = None;
        }
    }

    /// The query string for `/play/<id>`.
    pub fn query(&self) -> String {
        let mut parts = vec![format!("m={}", self.minutes), format!("eyes={}", name(self.eyes))];
        parts.push(format!("bell={}", name(self.bell)));
        if let Some(anchor) = self.anchor {
            parts.push(format!("anchor={}", name(anchor)));
        }
        if let Some(every) = self.interval_minutes {
            parts.push(format!("every={every}"));
        }
        if let Some(colour) = self.ambient {
            parts.push(format!("bed={}", colour_name(colour)));
        }
        if let Some(bpm) = self.breath.bpm {
            parts.push(format!("pace={bpm}"));
        }
        if let Some(seconds) = &self.breath.phase_seconds {
            let seconds: Vec<String> = seconds.iter().map(f64::to_string).collect();
            parts.push(format!("phases={}", seconds.join("-")));
        }
        if let Some(pick) = self.voice {
            parts.push(format!("voice={}", pick.name()));
        }
        parts.join("&")
    }

    /// Reads a choice back from query parameters; `get` looks one up. Every
    /// value is checked against what the practice offers; what is wrong is
    /// named in the returned problems and replaced by the default.
    pub fn from_query(practice: &Practice, get: impl Fn(&str) -> Option<String>) -> (Choice, Vec<String>) {
        let mut choice = Choice::defaults(practice);
        let mut problems = Vec::new();
        if let Some(m) = get("m") {
            match m.parse::<u16>() {
                Ok(minutes) if lengths(practice).contains(&minutes) => choice.minutes = minutes,
                _ => problems.push(format!("length {m:?} is not offered for this practice")),
            }
        }
        if let Some(a) = get("anchor") {
            match parse::<Anchor>(&a) {
                Some(anchor) if practice.anchors.contains(&anchor) => choice.anchor = Some(anchor),
                _ => problems.push(format!("anchor {a:?} is not offered for this practice")),
            }
        }
        if let Some(e) = get("eyes") {
            match parse::<Eyes>(&e) {
                Some(eyes) => choice.eyes = eyes,
                None => problems.push(format!("eyes {e:?} is neither \"open\" nor \"closed\"")),
            }
        }
        if let Some(b) = get("bell") {
            match parse::<BellSound>(&b) {
                Some(bell) => choice.bell = bell,
                None => problems.push(format!("bell {b:?} is not a bell sound")),
            }
        }
        if let Some(every) = get("every") {
            match every.parse::<u16>() {
                Ok(n) if intervals(practice, choice.minutes).contains(&n) => {
                    choice.interval_minutes = Some(n)
                }
                _ => {
                    problems.push(format!("interval bells every {every:?} minutes do not fit this practice"))
                }
            }
        }
        if let Some(pace) = get("pace") {
            let breath = BreathOptions { bpm: pace.parse().ok(), phase_seconds: None };
            match breath_problem(practice, &breath) {
                None if breath.bpm.is_some() => choice.breath.bpm = breath.bpm,
                problem => problems.push(problem.unwrap_or_else(|| format!("pace {pace:?} is not a number"))),
            }
        }
        if let Some(phases) = get("phases") {
            let seconds: Option<Vec<f64>> = phases.split('-').map(|s| s.parse().ok()).collect();
            let breath = BreathOptions { bpm: None, phase_seconds: seconds };
            match breath_problem(practice, &breath) {
                None if breath.phase_seconds.is_some() => choice.breath.phase_seconds = breath.phase_seconds,
                problem => problems.push(
                    problem.unwrap_or_else(|| format!("phases {phases:?} are not seconds joined by \"-\"")),
                ),
            }
        }
        if let Some(bed) = get("bed") {
            match bed.as_str() {
                "pink" => choice.ambient = Some(Colour::Pink),
                "brown" => choice.ambient = Some(Colour::Brown),
                _ => problems.push(format!("ambient sound {bed:?} is neither \"pink\" nor \"brown\"")),
            }
        }
        if let Some(voice) = get("voice") {
            match VoicePick::parse(&voice) {
                Some(pick) => choice.voice = Some(pick),
                None => problems.push(format!("voice {voice:?} is not \"teacher\", \"device\" or \"words\"")),
            }
        }
        (choice, problems)
    }

    pub fn options(&self, practice: &Practice, lang: Lang) -> Options {
        Options {
            minutes: self.minutes,
            anchor: self.anchor,
            eyes: self.eyes,
            bell: self.bell,
            interval_minutes: self.interval_minutes,
            breath: self.breath.clone(),
            ..Options::defaults(practice, lang)
        }
    }

    pub fn sound(&self) -> Config {
        Config { ambient: self.ambient, ..Config::default() }
    }
}

#[cfg(test)]
mod tests {
    use stille_practice::catalog;

    use super::*;

    #[test]
    fn a_choice_travels_in_the_address_and_comes_back_the_same() {
        let practice = catalog().get("breathing-box").expect("in the catalog");
        let mut choice = Choice::defaults(practice);
        choice.bell = BellSound::Chime;
        choice.ambient = Some(Colour::Brown);
        choice.voice = Some(VoicePick::Words);
        let query = choice.query();
        let pairs: Vec<(String, String)> =
            query.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.into(), v.into())).collect();
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        assert_eq!(Choice::from_query(practice, get), (choice, Vec::new()));
    }

    #[test]
    fn what_a_practice_does_not_offer_is_named_and_replaced_by_its_default() {
        let practice = catalog().get("breathing-box").expect("in the catalog");
        let bad = |key: &str| match key {
            "m" => Some("999".to_owned()),
            "bell" => Some("gong".to_owned()),
            _ => None,
        };
        let (choice, problems) = Choice::from_query(practice, bad);
        assert_eq!(choice, Choice::defaults(practice));
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn a_chosen_pace_travels_in_the_address_and_reaches_the_timeline() {
        let query = |choice: &Choice| -> Vec<(String, String)> {
            choice
                .query()
                .split('&')
                .filter_map(|p| p.split_once('='))
                .map(|(k, v)| (k.into(), v.into()))
                .collect()
        };
        let box_breathing = catalog().get("breathing-box").expect("in the catalog");
        let mut choice = Choice::defaults(box_breathing);
        choice.breath.phase_seconds = Some(vec![3.5, 0.0, 5.0, 2.0]);
        let pairs = query(&choice);
        assert!(pairs.contains(&("phases".into(), "3.5-0-5-2".into())), "{pairs:?}");
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let (back, problems) = Choice::from_query(box_breathing, get);
        assert_eq!((&back, problems), (&choice, Vec::new()));
        let options = back.options(box_breathing, Lang::Da);
        assert_eq!(options.breath.phase_seconds, Some(vec![3.5, 0.0, 5.0, 2.0]));
        stille_practice::compile(box_breathing, &options).expect("the chosen phases play");

        let resonance = catalog().get("breathing-resonance").expect("in the catalog");
        let mut choice = Choice::defaults(resonance);
        choice.breath.bpm = Some(6.5);
        let pairs = query(&choice);
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        assert_eq!(Choice::from_query(resonance, get), (choice, Vec::new()));
    }

    #[test]
    fn a_pace_out_of_bounds_is_named_and_the_practice_keeps_its_own() {
        let box_breathing = catalog().get("breathing-box").expect("in the catalog");
        for (key, value, says) in [
            ("phases", "4-8-4-4", "8 s for HoldIn: choose 0 to 7 s"),
            ("phases", "4-4-4", "3 phase lengths for a pattern of 4"),
            ("phases", "4-x-4-4", "are not seconds"),
            ("phases", "0.5-4-4-4", "choose 1 to 20 s"),
            ("pace", "6", "no pace to choose"),
        ] {
            let (choice, problems) =
                Choice::from_query(box_breathing, |k: &str| (k == key).then(|| value.to_owned()));
            assert_eq!(choice, Choice::defaults(box_breathing), "{key}={value}");
            assert!(problems.len() == 1 && problems[0].contains(says), "{key}={value}: {problems:?}");
        }
        let resonance = catalog().get("breathing-resonance").expect("in the catalog");
        let (_, problems) = Choice::from_query(resonance, |k: &str| (k == "pace").then(|| "9".to_owned()));
        assert!(problems[0].contains("choose 4.5 to 7"), "{problems:?}");
        let (_, problems) = Choice::from_query(resonance, |k: &str| (k == "pace").then(|| "NaN".to_owned()));
        assert_eq!(problems.len(), 1, "{problems:?}");
        let silent = catalog().get("timer-silent").expect("in the catalog");
        let (_, problems) = Choice::from_query(silent, |k: &str| (k == "pace").then(|| "6".to_owned()));
        assert!(problems[0].contains("no breathing pattern"), "{problems:?}");
    }

    #[test]
    fn a_shorter_length_drops_interval_bells_that_no_longer_fit() {
        let practice =
            catalog().practices.iter().find(|p| p.interval_bells).expect("a practice with interval bells");
        let mut choice = Choice::defaults(practice);
        choice.minutes = 20;
        choice.interval_minutes = Some(10);
        choice.set_minutes(10);
        assert_eq!(choice.interval_minutes, None);
        assert!(intervals(practice, 10).iter().all(|every| *every < 10));
    }

    #[test]
    fn the_voice_picked_for_one_playing_outranks_settings_and_falls_back_in_order() {
        let practice = catalog().get("mbsr-body-scan").expect("in the catalog");
        let mut choice = Choice::defaults(practice);
        // Nothing picked: Settings decide.
        assert!(choice.wants_teacher(true) && !choice.wants_teacher(false));
        assert!(choice.device_speaks(true) && !choice.device_speaks(false));
        // The teacher, even where Settings turned the teacher off; without a
        // recording the phone speaks only if reading aloud is on.
        choice.voice = Some(VoicePick::Teacher);
        assert!(choice.wants_teacher(false));
        assert!(choice.device_speaks(true) && !choice.device_speaks(false));
        choice.voice = Some(VoicePick::Device);
        assert!(!choice.wants_teacher(true) && choice.device_speaks(false));
        choice.voice = Some(VoicePick::Words);
        assert!(!choice.wants_teacher(true) && !choice.device_speaks(true));
        // What the page shows chosen at first.
        assert_eq!(VoicePick::from_settings(true, true, true), VoicePick::Teacher);
        assert_eq!(VoicePick::from_settings(true, true, false), VoicePick::Device);
        assert_eq!(VoicePick::from_settings(false, true, true), VoicePick::Device);
        assert_eq!(VoicePick::from_settings(true, false, false), VoicePick::Words);
        // A recorded voice picked that is gone (another language, no room)
        // gives way to Settings; other picks stand.
        assert_eq!(VoicePick::resolve(Some(VoicePick::Teacher), true, true, false), VoicePick::Device);
        assert_eq!(VoicePick::resolve(Some(VoicePick::Teacher), false, false, true), VoicePick::Teacher);
        assert_eq!(VoicePick::resolve(Some(VoicePick::Words), true, true, true), VoicePick::Words);
        assert_eq!(VoicePick::resolve(None, true, false, true), VoicePick::Teacher);
        assert_eq!(VoicePick::resolve(None, true, false, false), VoicePick::Words);
        // In the address, and a wrong one named.
        let (read, problems) = Choice::from_query(practice, |k| (k == "voice").then(|| "robot".to_owned()));
        assert_eq!((read.voice, problems.len()), (None, 1));
        assert!(problems[0].contains("robot"), "{problems:?}");
        for pick in VoicePick::ALL {
            let (read, problems) =
                Choice::from_query(practice, |k| (k == "voice").then(|| pick.name().to_owned()));
            assert_eq!((read.voice, problems), (Some(pick), Vec::<String>::new()));
        }
    }
}

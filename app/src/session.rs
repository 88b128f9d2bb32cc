//! One playing of a practice, as an address: `/play/<id>?m=10&bell=chime&…`.
//! The options live in the URL so a reload (or a shared link) rebuilds the
//! same timeline; unknown or impossible values fall back to the practice's
//! defaults and are reported, never silently played differently.

use serde::Serialize;
use serde::de::DeserializeOwned;
use stille_audio::Config;
use stille_audio::noise::Colour;
use stille_practice::{Anchor, BellSound, Eyes, Lang, Options, Practice};

/// What the listener chose on the practice page.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub minutes: u16,
    pub anchor: Option<Anchor>,
    pub eyes: Eyes,
    pub bell: BellSound,
    pub interval_minutes: Option<u16>,
    pub ambient: Option<Colour>,
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
        if let Some(bed) = get("bed") {
            match bed.as_str() {
                "pink" => choice.ambient = Some(Colour::Pink),
                "brown" => choice.ambient = Some(Colour::Brown),
                _ => problems.push(format!("ambient sound {bed:?} is neither \"pink\" nor \"brown\"")),
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
}

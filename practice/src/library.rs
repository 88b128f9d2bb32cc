//! How the library presents the catalog: grouped by programme, lengths as a
//! person reads them.

use crate::{Catalog, Kind, Lang, Practice, Program};

/// What the library is narrowed to: words to find, a kind, a longest length.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Words that must all appear in the title or summary (any case, any
    /// ending, inside a compound: see [`stem`]).
    pub words: String,
    pub kind: Option<Kind>,
    /// Only practices that can be done in at most this many minutes.
    pub max_minutes: Option<u16>,
}

impl Filter {
    /// Whether `practice` passes, reading its texts in `lang`.
    pub fn matches(&self, practice: &Practice, lang: Lang) -> bool {
        if self.kind.is_some_and(|kind| kind != practice.kind) {
            return false;
        }
        let shortest = practice.minutes.first().copied().unwrap_or(practice.default_minutes);
        if self.max_minutes.is_some_and(|max| shortest > max) {
            return false;
        }
        let text = format!("{} {}", practice.title.get(lang), practice.summary.get(lang)).to_lowercase();
        self.words.to_lowercase().split_whitespace().all(|word| text.contains(stem(word, lang)))
    }

    pub fn is_empty(&self) -> bool {
        self.words.trim().is_empty() && self.kind.is_none() && self.max_minutes.is_none()
    }
}

/// Endings a word is found without, longest first: "selvmedfølelse" finds
/// "Selvmedfølelsespause", "vejrtrækning" "vejrtrækningen", "breathing"
/// "breathe". As a search looks for the stem anywhere in the text, a word
/// is found inside compounds too ("medfølelse" in "selvmedfølelse").
const ENDINGS_DA: [&str; 22] = [
    "elserne", "ningerne", "ningen", "elsen", "elser", "ernes", "ender", "else", "ende", "erne", "ning",
    "inger", "heden", "hed", "ene", "ers", "er", "en", "et", "es", "e", "s",
];
const ENDINGS_EN: [&str; 8] = ["ness", "ing", "ies", "ed", "es", "e", "y", "s"];

/// `word` without the first of its language's endings that leaves at least
/// four letters (shorter words are looked for as typed).
pub fn stem(word: &str, lang: Lang) -> &str {
    let endings: &[&str] = match lang {
        Lang::Da => &ENDINGS_DA,
        Lang::En => &ENDINGS_EN,
    };
    endings
        .iter()
        .filter_map(|ending| word.strip_suffix(ending))
        .find(|rest| rest.chars().count() >= 4)
        .unwrap_or(word)
}

impl Catalog {
    /// The practices grouped by programme, programmes in their fixed order
    /// (MSC, MBSR, MBCT, breathing, regulation, timer, informal), practices in
    /// catalog order within each.
    pub fn by_program(&self) -> Vec<(Program, Vec<&Practice>)> {
        let mut groups: Vec<(Program, Vec<&Practice>)> = Vec::new();
        for practice in &self.practices {
            match groups.iter_mut().find(|(program, _)| *program == practice.program) {
                Some((_, members)) => members.push(practice),
                None => groups.push((practice.program, vec![practice])),
            }
        }
        groups.sort_by_key(|(program, _)| *program);
        groups
    }

    /// [`Catalog::by_program`] with only the practices `filter` lets through
    /// (programmes left empty are left out).
    pub fn filtered(&self, filter: &Filter, lang: Lang) -> Vec<(Program, Vec<&Practice>)> {
        self.by_program()
            .into_iter()
            .map(|(program, practices)| {
                (program, practices.into_iter().filter(|p| filter.matches(p, lang)).collect::<Vec<_>>())
            })
            .filter(|(_, practices)| !practices.is_empty())
            .collect()
    }
}

/// Short practices to offer on the home screen at a local hour: settling in
/// the morning, a pause in the day, winding down in the evening. Those in
/// `recent` are left out (they are offered as "again" already).
pub fn suggestions(catalog: &Catalog, hour: u32, recent: &[&str]) -> Vec<&'static str> {
    let ids: &[&'static str] = match hour {
        5..=10 => &["mbct-breathing-space", "mbsr-sitting", "breathing-resonance"],
        11..=17 => &["msc-self-compassion-break", "regulation-orienting", "breathing-box"],
        _ => &["breathing-extended-exhale", "msc-soothing-touch", "regulation-self-holding"],
    };
    ids.iter().copied().filter(|id| catalog.get(id).is_some() && !recent.contains(id)).take(2).collect()
}

impl Practice {
    /// "20 min", or "10–45 min" when the length can be chosen.
    pub fn length_label(&self, lang: Lang) -> String {
        let unit = match lang {
            Lang::Da | Lang::En => "min",
        };
        match (self.minutes.first(), self.minutes.last()) {
            (Some(low), Some(high)) if low != high => format!("{low}–{high} {unit}"),
            _ => format!("{} {unit}", self.default_minutes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Filter, stem};
    use crate::{Kind, Lang, Program, catalog};

    fn ids(filter: &Filter, lang: Lang) -> Vec<String> {
        catalog()
            .filtered(filter, lang)
            .into_iter()
            .flat_map(|(_, ps)| ps)
            .map(|p| p.id.to_string())
            .collect()
    }

    #[test]
    fn suggestions_follow_the_hour_exist_and_skip_recent_ones() {
        let morning = super::suggestions(catalog(), 7, &[]);
        assert_eq!(morning, ["mbct-breathing-space", "mbsr-sitting"]);
        assert_eq!(
            super::suggestions(catalog(), 7, &["mbsr-sitting"]),
            ["mbct-breathing-space", "breathing-resonance"]
        );
        for hour in 0..24 {
            let offered = super::suggestions(catalog(), hour, &[]);
            assert_eq!(offered.len(), 2, "{hour}");
            assert!(offered.iter().all(|id| catalog().get(id).is_some()));
        }
    }

    #[test]
    fn the_library_narrows_by_words_kind_and_length() {
        let all = ids(&Filter::default(), Lang::En);
        assert_eq!(all.len(), catalog().practices.len());
        let breathing = ids(&Filter { kind: Some(Kind::BreathingPattern), ..Filter::default() }, Lang::En);
        assert!(
            breathing.contains(&"breathing-box".to_owned())
                && !breathing.contains(&"mbsr-body-scan".to_owned())
        );
        let short = ids(&Filter { max_minutes: Some(5), ..Filter::default() }, Lang::En);
        assert!(short.contains(&"mbct-breathing-space".to_owned()), "3 minutes");
        assert!(!short.contains(&"mbsr-body-scan".to_owned()), "20 minutes at the shortest");
        // Words in any case, all of them, in the chosen language.
        assert_eq!(ids(&Filter { words: "BOX".into(), ..Filter::default() }, Lang::En), ["breathing-box"]);
        assert!(
            ids(&Filter { words: "box nothing-like-this".into(), ..Filter::default() }, Lang::En).is_empty()
        );
        assert_eq!(
            ids(&Filter { words: "firkant".into(), ..Filter::default() }, Lang::Da),
            ["breathing-box"]
        );
    }

    #[test]
    fn danish_words_are_found_by_their_stem_and_inside_compounds() {
        let find = |words: &str, lang| ids(&Filter { words: words.into(), ..Filter::default() }, lang);
        // The issue's own example: "selvmedfølelse" as typed finds the break.
        assert!(find("selvmedfølelse", Lang::Da).contains(&"msc-self-compassion-break".to_owned()));
        assert!(find("Selvmedfølende", Lang::Da).contains(&"msc-self-compassion-break".to_owned()));
        assert!(find("selvmedfølelsespausen", Lang::Da).contains(&"msc-self-compassion-break".to_owned()));
        assert!(
            find("medfølelse", Lang::Da).len() >= 3,
            "inside compounds: {:?}",
            find("medfølelse", Lang::Da)
        );
        assert!(
            find("vejrtrækningen", Lang::Da).contains(&"breathing-resonance".to_owned()),
            "in Resonansvejrtrækning"
        );
        assert!(find("breathing", Lang::En).contains(&"breathing-box".to_owned()));
        assert_eq!(stem("selvmedfølelse", Lang::Da), "selvmedføl");
        assert_eq!(stem("ro", Lang::Da), "ro", "short words as typed");
        assert_eq!(stem("krop", Lang::Da), "krop");
        assert_eq!(stem("walks", Lang::En), "walk");
        assert!(find("zzzz", Lang::Da).is_empty());
    }

    #[test]
    fn groups_follow_programme_order_and_keep_every_practice() {
        let groups = catalog().by_program();
        let programs: Vec<Program> = groups.iter().map(|(p, _)| *p).collect();
        let mut sorted = programs.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(programs, sorted);
        let count: usize = groups.iter().map(|(_, members)| members.len()).sum();
        assert_eq!(count, catalog().practices.len());
        assert!(groups.iter().all(|(program, members)| members.iter().all(|p| p.program == *program)));
    }

    #[test]
    fn lengths_read_naturally() {
        let scan = catalog().get("mbsr-body-scan").expect("body scan in catalog");
        assert_eq!(scan.length_label(Lang::En), "20–45 min");
        let space = catalog().get("mbct-breathing-space").expect("breathing space in catalog");
        assert_eq!(space.length_label(Lang::Da), "3 min");
    }
}

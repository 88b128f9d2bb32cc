//! How the library presents the catalog: grouped by programme, lengths as a
//! person reads them.

use crate::{Catalog, Lang, Practice, Program};

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
    use crate::{Lang, Program, catalog};

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

//! A programme of modules (MentaliseringsProgrammet): the professional
//! chooses which modules the group works with and in which order, and the
//! module in place `n` is week `n`'s: its exercise is that week's home
//! practice, and its knowledge part what participants read that week.
//!
//! A module is named by its exercise's practice id (each module has its
//! own). Choosing again keeps everything else the instructor put in the
//! weeks where it was, and a module's exercise keeps the length and days
//! the instructor gave it.

use serde::{Deserialize, Serialize};

use crate::api::{Assigned, FieldError, MAX_PER_WEEK, Week};
use crate::{CourseTemplate, HomePractice, Session, SessionKind, Structure};

/// The modules an instructor chose, in order: each named by its exercise's
/// practice id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModuleChoice {
    /// The modules in the order the group takes them, each once; the first
    /// is week 1's. At most as many as the programme has.
    pub modules: Vec<String>,
}

/// A programme's modules in its own order, each with its name (its first
/// exercise's practice id). Empty for a weekly programme.
pub fn modules(programme: &CourseTemplate) -> Vec<(&str, &Session)> {
    if programme.structure != Structure::Collection {
        return Vec::new();
    }
    programme
        .sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Module)
        .filter_map(|s| Some((s.practices.first()?.id.as_str(), s)))
        .collect()
}

/// The modules the weeks hold now, in week order, each once (where a
/// module's exercise is in more than one week, its first).
pub fn chosen(programme: &CourseTemplate, weeks: &[Week]) -> Vec<String> {
    let all = modules(programme);
    let mut sorted: Vec<&Week> = weeks.iter().collect();
    sorted.sort_by_key(|w| w.week);
    let mut order: Vec<String> = Vec::new();
    for week in sorted {
        for assigned in &week.practices {
            let module =
                all.iter().find(|(_, s)| s.practices.iter().any(|p| p.id.as_str() == assigned.practice));
            if let Some((name, _)) = module
                && !order.iter().any(|n| n == name)
            {
                order.push((*name).to_owned());
            }
        }
    }
    order
}

/// The weeks with the modules `choice` in weeks 1, 2, … in its order. Every
/// module exercise leaves the week it was in; each chosen module's exercises
/// go first in their week, as the instructor last set them (else as the
/// programme does), before what else the week holds. Weeks left with
/// nothing drop out. Says what is wrong with a choice that cannot be.
pub fn with_modules(
    programme: &CourseTemplate,
    weeks: &[Week],
    choice: &ModuleChoice,
) -> Result<Vec<Week>, FieldError> {
    let all = modules(programme);
    if all.is_empty() {
        return Err(FieldError::new("modules", "this course's programme is not one of modules"));
    }
    let mut picked: Vec<&Session> = Vec::new();
    for name in &choice.modules {
        let Some((_, session)) = all.iter().find(|(n, _)| n == name) else {
            let names: Vec<&str> = all.iter().map(|(n, _)| *n).collect();
            return Err(FieldError::new(
                "modules",
                format!("{name:?} is not one of the programme's modules: {}", names.join(", ")),
            ));
        };
        if picked.iter().any(|s| std::ptr::eq(*s, *session)) {
            return Err(FieldError::new("modules", format!("{name:?} is chosen twice")));
        }
        picked.push(session);
    }
    let is_exercise =
        |practice: &str| all.iter().any(|(_, s)| s.practices.iter().any(|p| p.id.as_str() == practice));
    // How the instructor last set each exercise, first come first.
    let mut as_set: Vec<&Assigned> = Vec::new();
    let mut sorted: Vec<&Week> = weeks.iter().collect();
    sorted.sort_by_key(|w| w.week);
    for assigned in sorted.iter().flat_map(|w| &w.practices) {
        if is_exercise(&assigned.practice) && !as_set.iter().any(|a| a.practice == assigned.practice) {
            as_set.push(assigned);
        }
    }
    let last = weeks.iter().map(|w| w.week).max().unwrap_or(0).max(picked.len() as i32);
    let mut result = Vec::new();
    for number in 1..=last {
        let mut practices: Vec<Assigned> = Vec::new();
        if let Some(session) = usize::try_from(number - 1).ok().and_then(|i| picked.get(i)) {
            for home in &session.practices {
                let set = as_set.iter().find(|a| a.practice == home.id.as_str());
                practices.push(set.map_or_else(|| assigned(home), |a| (*a).clone()));
            }
        }
        let rest = weeks.iter().filter(|w| w.week == number).flat_map(|w| &w.practices);
        practices.extend(rest.filter(|a| !is_exercise(&a.practice)).cloned());
        if practices.len() > MAX_PER_WEEK {
            return Err(FieldError::new(
                "modules",
                format!("week {number} would hold more than {MAX_PER_WEEK} practices: take one out first"),
            ));
        }
        if !practices.is_empty() {
            result.push(Week { week: number, practices });
        }
    }
    Ok(result)
}

/// A programme's home practice as an assignment.
fn assigned(home: &HomePractice) -> Assigned {
    Assigned {
        practice: home.id.as_str().to_owned(),
        minutes: i32::from(home.minutes),
        days: i32::from(home.days),
        per_day: i32::from(home.per_day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;

    fn programme() -> &'static CourseTemplate {
        catalog().course("mentaliseringsprogrammet").expect("the programme of modules")
    }

    fn week(number: i32, practices: &[(&str, i32)]) -> Week {
        Week {
            week: number,
            practices: practices
                .iter()
                .map(|(p, m)| Assigned { practice: (*p).to_owned(), minutes: *m, days: 5, per_day: 1 })
                .collect(),
        }
    }

    fn choice(modules: &[&str]) -> ModuleChoice {
        ModuleChoice { modules: modules.iter().map(|m| (*m).to_owned()).collect() }
    }

    #[test]
    fn the_programme_has_eight_modules_each_named_by_its_exercise() {
        let names: Vec<&str> = modules(programme()).iter().map(|(n, _)| *n).collect();
        assert_eq!(names.len(), 8);
        assert_eq!(names[0], "mentalization-mentalisering");
        assert!(modules(catalog().course("msc").expect("msc")).is_empty(), "a weekly programme has none");
    }

    #[test]
    fn chosen_modules_fill_the_weeks_in_order_and_the_rest_stays() {
        let p = programme();
        // Week 1 Robustness (set to 10 min) with box breathing; week 2 Mentalizing.
        let before = vec![
            week(1, &[("mentalization-robusthed", 10), ("breathing-box", 3)]),
            week(2, &[("mentalization-mentalisering", 5)]),
        ];
        assert_eq!(chosen(p, &before), ["mentalization-robusthed", "mentalization-mentalisering"]);
        let after = with_modules(
            p,
            &before,
            &choice(&["mentalization-mentalisering", "mentalization-selvkontrol", "mentalization-robusthed"]),
        )
        .expect("a choice that can be");
        let names = |w: &Week| w.practices.iter().map(|a| a.practice.clone()).collect::<Vec<_>>();
        assert_eq!(after.len(), 3);
        assert_eq!(names(&after[0]), ["mentalization-mentalisering", "breathing-box"], "box breathing stays");
        assert_eq!(names(&after[1]), ["mentalization-selvkontrol"]);
        assert_eq!(names(&after[2]), ["mentalization-robusthed"]);
        assert_eq!(after[2].practices[0].minutes, 10, "as the instructor set it");
        assert_eq!(after[1].practices[0].minutes, 5, "as the programme has it");
        assert_eq!(
            chosen(p, &after),
            ["mentalization-mentalisering", "mentalization-selvkontrol", "mentalization-robusthed"]
        );
        // Choosing fewer takes the others out; a week with nothing left drops out.
        let fewer = with_modules(p, &after, &choice(&["mentalization-selvkontrol"])).expect("fine");
        assert_eq!(fewer.iter().map(|w| w.week).collect::<Vec<_>>(), [1]);
        assert_eq!(names(&fewer[0]), ["mentalization-selvkontrol", "breathing-box"]);
        assert!(
            with_modules(p, &after, &choice(&[]))
                .expect("none")
                .iter()
                .all(|w| names(w) == ["breathing-box"])
        );
    }

    #[test]
    fn a_choice_that_cannot_be_says_why() {
        let p = programme();
        let cases = [
            (choice(&["breathing-box"]), "not one of the programme's modules"),
            (choice(&["mentalization-robusthed", "mentalization-robusthed"]), "twice"),
        ];
        for (choice, said) in cases {
            let error = with_modules(p, &[], &choice).expect_err("refused");
            assert!(error.message.contains(said), "{choice:?}: {}", error.message);
        }
        let msc = catalog().course("msc").expect("msc");
        assert!(with_modules(msc, &[], &choice(&[])).is_err(), "MSC is weekly");
        let full = vec![week(1, &[("breathing-box", 3); MAX_PER_WEEK])];
        let error = with_modules(p, &full, &choice(&["mentalization-robusthed"])).expect_err("eleven");
        assert!(error.message.contains("more than"), "{}", error.message);
    }
}

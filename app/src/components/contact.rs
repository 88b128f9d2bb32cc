//! How to reach one's instructor, in their own words, with each phone
//! number in them a link a phone calls with one tap.

use leptos::prelude::*;
use stille_practice::help::{Piece, pieces};

use crate::courses::Course;

/// Each instructor who gave a way to reach them, once, with it: (name, words).
pub fn contacts(courses: &[Course]) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for course in courses.iter().filter(|c| !c.contact.is_empty()) {
        let pair = (course.instructor.clone(), course.contact.clone());
        if !found.contains(&pair) {
            found.push(pair);
        }
    }
    found
}

/// `text` with its phone numbers as `tel:` links.
#[component]
pub fn Reach(text: String) -> impl IntoView {
    pieces(&text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Words(words) => words.to_owned().into_any(),
            Piece::Phone { shown, tel } => {
                view! { <a class="tel" href=format!("tel:{tel}")>{shown.to_owned()}</a> }.into_any()
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;
    use stille_practice::api::{Consent, Joined, MeasurePlan, Meetings, Role};

    fn course(instructor: &str, contact: &str) -> Course {
        Course {
            joined: Joined {
                id: "c".into(),
                role: Role::Participant,
                title: "MSC".into(),
                lang: "da".into(),
                time_zone: "Europe/Copenhagen".into(),
                start_date: "2026-11-30".into(),
                template: None,
                instructor: instructor.into(),
                joined_at_ms: 0,
                consent: Consent::default(),
                measures: MeasurePlan::default(),
                meetings: Meetings::default(),
                contact: contact.into(),
            },
            weeks: Vec::new(),
        }
    }

    #[test]
    fn each_way_to_reach_a_teacher_is_given_once() {
        let courses =
            [course("Karen", "Ring på 12345678"), course("Bo", ""), course("Karen", "Ring på 12345678")];
        assert_eq!(contacts(&courses), [("Karen".to_owned(), "Ring på 12345678".to_owned())]);
    }
}

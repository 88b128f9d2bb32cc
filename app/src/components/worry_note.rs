//! The answer to a check-in that worries (distress 9–10, or "shut down",
//! see [`stille_practice::journal::worrying`]): instead of moving on, a calm
//! note offers two minutes of orienting with open eyes, where to find help
//! now and, in a course, a reminder of the teacher. Nothing is sent to
//! anyone; the check-in is saved like any other.

use leptos::prelude::*;

use crate::courses;
use crate::i18n::{Key, t, use_lang};

/// The short regulation exercise offered: orienting, eyes open, its shortest length.
pub const ORIENTING: &str = "/play/regulation-orienting?m=2";

#[component]
pub fn WorryNote() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let cached = courses::cached();
    let teachers = courses::instructors(&cached);
    // How to reach them, where they have said so (numbers to tap).
    let reach = courses::contacts(&cached);
    let reach = (!reach.is_empty()).then(|| {
        let rows = reach
            .into_iter()
            .map(|(name, text)| view! { <li>{name} ": " <super::contact::Reach text=text/></li> })
            .collect_view();
        view! { <ul class="worry-reach">{rows}</ul> }
    });
    let teacher = (!teachers.is_empty()).then(|| {
        let many = teachers.len() > 1;
        let line = move || {
            let lang = lang.get();
            let lead = t(lang, if many { Key::WorryTeachers } else { Key::WorryTeacher });
            format!(
                "{lead} {}{}",
                crate::format::names(&teachers, t(lang, Key::And)),
                t(lang, Key::WorryTeacherTail)
            )
        };
        view! { <p class="worry-teacher">{line}</p> }
    });
    // The note takes the form's place: a screen reader starts reading here.
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
    view! {
        <section class="worry" aria-labelledby="worry-heading">
            <h2 id="worry-heading" tabindex="-1" node_ref=heading>{text(Key::WorryHeading)}</h2>
            <p>{text(Key::WorryIntro)}</p>
            <ul class="worry-ways">
                // A page of its own: the router would keep the player showing for another /play/.
                <li><a class="button primary worry-orienting" href=ORIENTING rel="external">{text(Key::WorryOrienting)}</a></li>
                <li><a class="button worry-help" href="/help">{text(Key::WorryHelp)}</a></li>
            </ul>
            {teacher}
            {reach}
            <p class="quiet">{text(Key::WorryNobodyTold)}</p>
            <p><a class="worry-on" href="/history">{text(Key::WorryOn)}</a></p>
        </section>
    }
}

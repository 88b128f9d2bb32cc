use leptos::prelude::*;
use stille_practice::Lang;
use stille_practice::help::{self, Line, Need};

use crate::components::contact::Reach;
use crate::i18n::{Key, t, use_lang};

/// `/help`: where to turn now, reachable from every screen and part of the
/// first download, so it shows offline and before any other screen has
/// loaded. Each line says who it is for and when it answers; numbers are
/// plain `tel:` links a phone calls with one tap; nothing is sent anywhere.
/// The lines themselves, with their sources, are `stille_practice::help`.
#[component]
pub fn Help() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let group =
        move |need: Need| help::lines(need).map(move |line| view! { <HelpLine line=line/> }).collect_view();
    let sources = help::LINES
        .iter()
        .map(|line| {
            let place = move || match line.region {
                Some(region) => format!("{}, {}", line.name, pick(region.name(), lang.get())),
                None => line.name.to_owned(),
            };
            view! { <li>{place} ": " <a href=line.source rel="noreferrer">{line.source}</a></li> }
        })
        .collect_view();
    // The participant's own teachers, from the courses kept on this device
    // (so offline too), each with how to reach them when they have said so
    // (phone numbers to tap); else it is what was agreed in the course.
    let courses = crate::courses::teachers();
    let teachers = (!courses.is_empty()).then(|| {
        let rows = courses
            .into_iter()
            .map(|c| {
                let reach = (!c.contact.is_empty())
                    .then(|| view! { <br/><span class="help-reach"><Reach text=c.contact.clone()/></span> });
                view! { <li>{c.title.clone()} ": " {c.instructor.clone()} {reach}</li> }
            })
            .collect_view();
        view! { <ul class="help-teachers">{rows}</ul> }
    });
    view! {
        <section class="help" aria-labelledby="help-heading">
            <h1 id="help-heading">{text(Key::HelpHeading)}</h1>
            <ul class="help-list">
                <li>
                    <h2>{text(Key::HelpEmergency)}</h2>
                    <ul class="help-lines">{group(Need::Danger)}</ul>
                </li>
                <li>
                    <h2>{text(Key::HelpSuicide)}</h2>
                    <ul class="help-lines">{group(Need::Suicide)}</ul>
                </li>
                <li>
                    <h2>{text(Key::HelpMedical)}</h2>
                    <ul class="help-lines">{group(Need::Doctor)}</ul>
                </li>
                <li>
                    <h2>{text(Key::HelpPsychiatric)}</h2>
                    <ul class="help-lines">{group(Need::Psychiatric)}</ul>
                </li>
                <li>
                    <h2>{text(Key::HelpYoung)}</h2>
                    <ul class="help-lines">{group(Need::Young)}</ul>
                </li>
                <li>
                    <h2>{text(Key::HelpInstructor)}</h2>
                    {teachers}
                    <p>{text(Key::HelpInstructorText)}</p>
                </li>
            </ul>
            <p class="quiet">{text(Key::HelpInPractice)}</p>
            <details class="help-sources">
                <summary>{text(Key::HelpSources)}</summary>
                <ul>{sources}</ul>
            </details>
        </section>
    }
}

fn pick(both: help::Both, lang: Lang) -> &'static str {
    match lang {
        Lang::Da => both.0,
        Lang::En => both.1,
    }
}

/// One line: its name (or region), what it is for, when it answers, and the
/// number to tap.
#[component]
fn HelpLine(line: &'static Line) -> impl IntoView {
    let lang = use_lang();
    let name = move || match line.region {
        Some(region) => format!("{}: {}", pick(region.name(), lang.get()), line.name),
        None => line.name.to_owned(),
    };
    let call = line.number.map(|(shown, dialled)| {
        let primary = line.need == Need::Danger;
        view! {
            <a class="button help-call" class:primary=primary href=format!("tel:{dialled}")>
                {move || format!("{} {shown}", t(lang.get(), Key::HelpCall))}
            </a>
        }
    });
    view! {
        <li class="help-line" class:help-region=line.region.is_some()>
            <h3>{name}</h3>
            <p>{move || pick(line.what, lang.get())}</p>
            <p class="help-hours">{move || pick(line.hours, lang.get())}</p>
            {call}
        </li>
    }
}

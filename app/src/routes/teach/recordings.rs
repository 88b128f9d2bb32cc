//! "Your voice" on a course's dashboard: the instructor's own recordings,
//! each with whether this course hears it, and an upload (a sound file, its
//! title) that is shared with this course once the server has kept it. What
//! the server says about a file it refuses is shown as it says it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use stille_practice::api::{Recording, RecordingChange, Recordings};
use stille_practice::{Kind, Practice, catalog};
use wasm_bindgen::JsCast;

use crate::api;
use crate::format::clock;
use crate::format::megabytes;
use crate::i18n::{Key, t, use_lang};
use crate::teaching::{shared_with, title_from_file};

/// Where an upload stands.
#[derive(Clone, Debug, PartialEq)]
enum Sending {
    Idle,
    /// This share (0 to 1) of the file has gone.
    Sent(f64),
    /// All sent; the server is checking and converting it.
    Converting,
    Done,
    Failed(Key, Option<String>),
}

#[component]
pub fn CourseRecordings(
    course: String,
    /// The course's language ("da" or "en"): what its recordings are spoken in.
    spoken: String,
) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let course = StoredValue::new(course);
    let spoken = StoredValue::new(spoken);
    let list = LocalResource::new(|| api::get::<Recordings>("/api/recordings".to_owned()));
    let sending = RwSignal::new(Sending::Idle);
    let title = RwSignal::new(String::new());
    let bells = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let chosen_file =
        move || file_input.get_untracked().and_then(|input| input.files()).and_then(|files| files.get(0));
    let on_choose = move |_| {
        if let Some(file) = chosen_file()
            && title.get_untracked().trim().is_empty()
        {
            title.set(title_from_file(&file.name()));
        }
    };
    let upload = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(file) = chosen_file() else {
            sending.set(Sending::Failed(Key::TeachRecordingNoFile, None));
            return;
        };
        let name = title.get_untracked();
        let name = if name.trim().is_empty() { title_from_file(&file.name()) } else { name };
        let path = format!(
            "/api/recordings?title={}&lang={}&bells={}",
            js_sys::encode_uri_component(&name).as_string().unwrap_or_default(),
            spoken.get_value(),
            bells.get_untracked()
        );
        sending.set(Sending::Sent(0.0));
        spawn_local(async move {
            let progress = move |share: f64| {
                let _ =
                    sending.try_set(if share >= 1.0 { Sending::Converting } else { Sending::Sent(share) });
            };
            let kept = api::upload::<Recording>(&path, &file, progress).await;
            let shared = match kept {
                Ok(recording) => {
                    let change = RecordingChange {
                        courses: Some(shared_with(&recording.courses, &course.get_value(), true)),
                        ..RecordingChange::default()
                    };
                    let path = format!("/api/recordings/{}", recording.id);
                    api::request::<Recording>("PATCH", &path, Some(&change)).await
                }
                Err(error) => Err(error),
            };
            let kept = shared.is_ok();
            let _ = sending.try_set(match shared {
                Ok(_) => Sending::Done,
                Err(error) => {
                    let (key, detail) = crate::problems::recording(&error);
                    Sending::Failed(key, detail)
                }
            });
            if kept {
                title.set(String::new());
                bells.set(false);
                if let Some(input) = file_input.get_untracked() {
                    input.set_value("");
                }
                list.refetch();
            }
        });
    };
    let busy = move || matches!(sending.get(), Sending::Sent(_) | Sending::Converting);
    let status = move || {
        let lang = lang.get();
        match sending.get() {
            Sending::Idle => String::new(),
            Sending::Sent(share) => format!("{} {:.0} %", t(lang, Key::TeachRecordingSending), share * 100.0),
            Sending::Converting => t(lang, Key::TeachRecordingConverting).to_owned(),
            Sending::Done => t(lang, Key::TeachRecordingDone).to_owned(),
            Sending::Failed(..) => String::new(),
        }
    };
    let problem = move || match sending.get() {
        Sending::Failed(key, detail) => {
            let lead = t(lang.get(), key);
            Some(match detail {
                Some(detail) => format!("{lead} {detail}"),
                None => lead.to_owned(),
            })
        }
        _ => None,
    };
    let own = move || {
        let lang = lang.get();
        match list.get() {
            None => view! { <p class="quiet" role="status">"…"</p> }.into_any(),
            Some(Err(error)) => {
                view! { <p class="form-problem" role="alert">{super::say(&error, lang)}</p> }.into_any()
            }
            Some(Ok(all)) => {
                let mine: Vec<Recording> =
                    all.recordings.into_iter().filter(|r| r.yours && r.practice.is_none()).collect();
                if mine.is_empty() {
                    return view! { <p class="quiet">{t(lang, Key::TeachRecordingNone)}</p> }.into_any();
                }
                let used = format!(
                    "{} {} {}",
                    megabytes(all.used_bytes, lang),
                    t(lang, Key::TeachRecordingUsed),
                    megabytes(all.quota_bytes, lang)
                );
                view! {
                    <ul class="recordings">
                        {mine.into_iter().map(|r| view! { <OwnRecording recording=r course=course.get_value()/> }).collect_view()}
                    </ul>
                    <p class="quiet recordings-used">{used}</p>
                }
                .into_any()
            }
        }
    };
    view! {
        <section class="teach-recordings" aria-labelledby="recordings-heading">
            <h2 id="recordings-heading">{text(Key::TeachRecordings)}</h2>
            <p class="quiet">{text(Key::TeachRecordingsHelp)}</p>
            {own}
            <form class="recording-upload" on:submit=upload>
                <label for="recording-file">{text(Key::TeachRecordingFile)}</label>
                <input id="recording-file" type="file" accept="audio/*,.mp3,.m4a,.wav,.flac,.ogg,.webm"
                    node_ref=file_input on:change=on_choose/>
                <label for="recording-title">{text(Key::TeachRecordingTitle)}</label>
                <input id="recording-title" type="text" maxlength="120" autocomplete="off"
                    prop:value=move || title.get()
                    on:input=move |e| title.set(event_target_value(&e))/>
                <label class="check recording-bells-new">
                    <input type="checkbox" name="bells" prop:checked=move || bells.get()
                        on:change=move |e| bells.set(event_target_checked(&e))/>
                    <span>{text(Key::TeachRecordingBells)}</span>
                </label>
                <button type="submit" class="button primary recording-send" disabled=busy>
                    {text(Key::TeachRecordingUpload)}
                </button>
                <p class="recording-status" role="status">{status}</p>
                <p class="form-problem" role="alert">{problem}</p>
            </form>
            <RecordPractice course=course.get_value()/>
        </section>
    }
}

/// A way to the recording screen: choose a practice and read it aloud.
#[component]
fn RecordPractice(course: String) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let playable: Vec<&'static Practice> = catalog()
        .practices
        .iter()
        .filter(|p| !matches!(p.kind, Kind::Informal | Kind::SilentTimer))
        .collect();
    let chosen = RwSignal::new(playable.first().map(|p| p.id.to_string()).unwrap_or_default());
    let options = move || {
        playable
            .iter()
            .map(|p| {
                let id = p.id.to_string();
                let selected = id == chosen.get_untracked();
                view! { <option value=id selected=selected>{p.title.get(lang.get()).to_owned()}</option> }
            })
            .collect_view()
    };
    let href = move || format!("/teach/{course}/voice/{}", chosen.get());
    view! {
        <div class="record-practice">
            <h3>{text(Key::VoiceStart)}</h3>
            <p class="quiet">{text(Key::VoiceStartHelp)}</p>
            <label for="voice-practice">{text(Key::VoicePractice)}</label>
            <select id="voice-practice" on:change=move |e| chosen.set(event_target_value(&e))>{options}</select>
            <p><A href=href attr:class="button voice-open">{text(Key::VoiceOpen)}</A></p>
        </div>
    }
}

/// One of the instructor's recordings: its title, length and size, and
/// whether this course hears it (a switch that saves at once).
#[component]
fn OwnRecording(recording: Recording, course: String) -> impl IntoView {
    let lang = use_lang();
    let courses = RwSignal::new(recording.courses.clone());
    let hears = {
        let course = course.clone();
        move || courses.get().contains(&course)
    };
    let bells = RwSignal::new(recording.bells);
    let problem = RwSignal::new(None::<String>);
    let id = StoredValue::new(recording.id.clone());
    let save = move |change: RecordingChange| {
        let path = format!("/api/recordings/{}", id.get_value());
        spawn_local(async move {
            match api::request::<Recording>("PATCH", &path, Some(&change)).await {
                Ok(saved) => {
                    courses.set(saved.courses);
                    bells.set(saved.bells);
                    problem.set(None);
                }
                Err(error) => {
                    // The switches show again what is saved, not what was tried.
                    courses.notify();
                    bells.notify();
                    problem.set(Some(super::say(&error, lang.get_untracked())));
                }
            }
        });
    };
    let checked = |event: &leptos::ev::Event| {
        event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|i| i.checked())
    };
    let toggle = move |event: leptos::ev::Event| {
        let on = checked(&event);
        save(RecordingChange {
            courses: Some(shared_with(&courses.get_untracked(), &course, on)),
            ..RecordingChange::default()
        });
    };
    let ring = move |event: leptos::ev::Event| {
        save(RecordingChange { bells: Some(checked(&event)), ..RecordingChange::default() });
    };
    let length = clock(recording.duration_ms as f64, false);
    // Each switch is named with its recording's title for a screen reader.
    let title_id = format!("recording-{}", recording.id);
    view! {
        <li class="recording">
            <p class="recording-title" id=title_id.clone()><strong>{recording.title.clone()}</strong></p>
            <p class="quiet">{move || format!("{length} · {}", megabytes(recording.bytes, lang.get()))}</p>
            <label class="check recording-share">
                <input type="checkbox" prop:checked=hears on:change=toggle aria-describedby=title_id.clone()/>
                <span>{move || t(lang.get(), Key::TeachRecordingShared)}</span>
            </label>
            <label class="check recording-bells">
                <input type="checkbox" prop:checked=move || bells.get() on:change=ring aria-describedby=title_id/>
                <span>{move || t(lang.get(), Key::TeachRecordingBells)}</span>
            </label>
            <p class="form-problem" role="alert">{move || problem.get()}</p>
        </li>
    }
}

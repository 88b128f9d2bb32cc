//! `/teach/<course>/voice/<practice>`: the recording screen. The practice's
//! cues one at a time as a teleprompter, in the course's language: record
//! (the microphone through `recorder.js`), listen back, record again; which
//! cues are still missing; the lengths the practice plays at with the voice
//! as it stands, and which cue is too long for the others; and whether the
//! course hears it. Each cue is sent as soon as it is recorded; the server
//! trims the silence around the words and evens out the loudness. The logic
//! is in `crate::voice`.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use stille_practice::api::{Recording, RecordingChange, Recordings, Teaching};
use stille_practice::{Catalog, Lang, Practice};
use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

use super::{gated, say};
use crate::api;
use crate::details::WithDetails;
use crate::format::clock;
use crate::i18n::{Key, t, use_lang};
use crate::teaching::shared_with;
use crate::voice::{fit, next_missing, recorded, script_cues};

#[wasm_bindgen(module = "/src/recorder.js")]
extern "C" {
    #[wasm_bindgen(js_name = open, catch)]
    async fn open_js() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = start, catch)]
    fn start_js() -> Result<(), JsValue>;
    #[wasm_bindgen(js_name = stop, catch)]
    async fn stop_js() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = close)]
    fn close_js();
}

fn js_message(value: &JsValue) -> String {
    value
        .as_string()
        .or_else(|| js_sys::Reflect::get(value, &"message".into()).ok().and_then(|m| m.as_string()))
        .unwrap_or_else(|| format!("{value:?}"))
}

/// What the microphone is doing.
#[derive(Clone, Debug, PartialEq)]
enum Mic {
    Idle,
    Opening,
    /// Recording since this time (ms since 1970).
    Recording(f64),
    Sending,
    Kept,
    Failed(String),
}

#[component]
pub fn VoicePage() -> impl IntoView {
    let params = use_params_map();
    let course = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    let practice = params.with_untracked(|p| p.get("practice")).unwrap_or_default();
    let here = format!("/teach/{course}/voice/{practice}");
    gated(here, move || {
        let (course, practice) = (course.clone(), practice.clone());
        view! {
            <WithDetails view=move |catalog: &'static Catalog| screen(catalog, course.clone(), practice.clone())/>
        }
        .into_any()
    })
}

fn screen(catalog: &'static Catalog, course: String, practice_id: String) -> AnyView {
    let lang = use_lang();
    let Some(practice) = catalog.get(&practice_id).filter(|p| !script_cues(p, Lang::Da).is_empty()) else {
        return view! {
            <section class="teach voice">
                <h1>{move || t(lang.get(), Key::PracticeNotFound)}</h1>
                <p><A href=format!("/teach/{course}")>{move || t(lang.get(), Key::TeachBackToCourse)}</A></p>
            </section>
        }
        .into_any();
    };
    let teaching = LocalResource::new({
        let course = course.clone();
        move || api::get::<Teaching>(format!("/api/courses/{course}"))
    });
    let shown = move || match teaching.get() {
        None => view! { <p class="quiet" role="status">"…"</p> }.into_any(),
        Some(Err(error)) => view! { <p role="alert">{say(&error, lang.get())}</p> }.into_any(),
        Some(Ok(taught)) => {
            let spoken = if taught.lang == "en" { Lang::En } else { Lang::Da };
            view! { <Recorder practice=practice course=taught.id.clone() spoken=spoken/> }.into_any()
        }
    };
    shown.into_any()
}

#[component]
fn Recorder(practice: &'static Practice, course: String, spoken: Lang) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let cues = StoredValue::new(script_cues(practice, spoken));
    let total = cues.with_value(Vec::len);
    let course = StoredValue::new(course);
    let mine = RwSignal::new(BTreeMap::<usize, Recording>::new());
    let loaded = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let at = RwSignal::new(0_usize);
    let mic = RwSignal::new(Mic::Idle);
    let now = RwSignal::new(0.0_f64);
    spawn_local(async move {
        match api::get::<Recordings>("/api/recordings".to_owned()).await {
            Ok(all) => {
                let done = recorded(&all.recordings, practice.id.as_str(), spoken);
                // Begin where the voice is missing.
                let first = cues.with_value(|c| {
                    if done.contains_key(&c[0].index) { next_missing(c, &done, 0).unwrap_or(0) } else { 0 }
                });
                at.set(first);
                mine.set(done);
                loaded.set(true);
            }
            Err(error) => problem.set(Some(say(&error, lang.get_untracked()))),
        }
    });
    // The recording's running time, while it records.
    let timer =
        set_interval_with_handle(move || now.set(js_sys::Date::now()), std::time::Duration::from_millis(250));
    on_cleanup(move || {
        if let Ok(timer) = timer {
            timer.clear();
        }
        close_js();
    });
    let cue = move || cues.with_value(|c| c[at.get().min(c.len() - 1)].clone());
    let this_recording = move || mine.with(|m| m.get(&cue().index).cloned());
    let record = move |_| {
        let state = mic.get_untracked();
        if let Mic::Recording(_) = state {
            // Stop: the take is sent at once.
            mic.set(Mic::Sending);
            let index = cue().index;
            let path = format!(
                "/api/recordings?practice={}&cue={index}&lang={}",
                practice.id.as_str(),
                spoken.tag()
            );
            spawn_local(async move {
                let blob = match stop_js().await {
                    Ok(blob) => web_sys::Blob::from(blob),
                    Err(error) => {
                        mic.set(Mic::Failed(js_message(&error)));
                        return;
                    }
                };
                match api::upload::<Recording>(&path, &blob, |_| {}).await {
                    Ok(kept) => {
                        mine.update(|m| {
                            m.insert(index, kept);
                        });
                        mic.set(Mic::Kept);
                    }
                    Err(error) => {
                        let (key, detail) = crate::problems::recording(&error);
                        let lead = t(lang.get_untracked(), key);
                        mic.set(Mic::Failed(
                            detail.map_or_else(|| lead.to_owned(), |d| format!("{lead} {d}")),
                        ));
                    }
                }
            });
            return;
        }
        if matches!(state, Mic::Opening | Mic::Sending) {
            return;
        }
        mic.set(Mic::Opening);
        spawn_local(async move {
            if let Err(error) = open_js().await {
                mic.set(Mic::Failed(format!(
                    "{} {}",
                    t(lang.get_untracked(), Key::VoiceNoMic),
                    js_message(&error)
                )));
                return;
            }
            match start_js() {
                Ok(()) => mic.set(Mic::Recording(js_sys::Date::now())),
                Err(error) => mic.set(Mic::Failed(js_message(&error))),
            }
        });
    };
    let go = move |position: usize| {
        if !matches!(mic.get_untracked(), Mic::Recording(_) | Mic::Sending | Mic::Opening) {
            at.set(position.min(total.saturating_sub(1)));
            mic.set(Mic::Idle);
        }
    };
    let next = move |_| {
        let found = cues.with_value(|c| mine.with_untracked(|m| next_missing(c, m, at.get_untracked())));
        go(found.unwrap_or((at.get_untracked() + 1) % total));
    };
    let record_label = move || {
        let key = match (mic.get(), this_recording().is_some()) {
            (Mic::Recording(_), _) => Key::VoiceStop,
            (Mic::Opening, _) => Key::VoiceOpening,
            (Mic::Sending, _) => Key::VoiceSending,
            (_, true) => Key::VoiceRecordAgain,
            (_, false) => Key::VoiceRecord,
        };
        t(lang.get(), key)
    };
    let status = move || {
        let lang = lang.get();
        match mic.get() {
            Mic::Recording(_) => t(lang, Key::VoiceRecording).to_owned(),
            Mic::Failed(_) => String::new(),
            _ => match this_recording() {
                Some(r) => format!("{} {}", t(lang, Key::VoiceKept), clock(r.duration_ms as f64, true)),
                None => t(lang, Key::VoiceNotYet).to_owned(),
            },
        }
    };
    let failure = move || match mic.get() {
        Mic::Failed(message) => Some(message),
        _ => None,
    };
    let count = move || {
        let done = mine.with(BTreeMap::len);
        format!("{done} {} {total} {}", t(lang.get(), Key::VoiceOf), t(lang.get(), Key::VoiceCuesRecorded))
    };
    let lengths = move || {
        let fitted = mine.with(|m| fit(practice, spoken, m));
        let lang = lang.get();
        let offered = fitted.offered.iter().map(|m| format!("{m}")).collect::<Vec<_>>().join(", ");
        let refused = fitted
            .refused
            .iter()
            .map(|(minutes, number, over)| {
                view! {
                    <li>{format!("{minutes} min: {} {number} {} {}", t(lang, Key::VoiceCue), t(lang, Key::VoiceTooLongBy), clock(f64::from(*over), true))}</li>
                }
            })
            .collect_view();
        view! {
            <p class="voice-lengths">{format!("{} {offered} min", t(lang, Key::VoicePlaysAt))}</p>
            <ul class="voice-refused">{refused}</ul>
        }
    };
    // Heard by the course: the switch changes every cue of this voice.
    let hears = move || mine.with(|m| m.values().any(|r| r.courses.contains(&course.get_value())));
    let share = move |event: leptos::ev::Event| {
        let on = event_target_checked(&event);
        let Some(any) = mine.with_untracked(|m| m.values().next().cloned()) else { return };
        let change = RecordingChange {
            courses: Some(shared_with(&any.courses, &course.get_value(), on)),
            ..RecordingChange::default()
        };
        spawn_local(async move {
            match api::request::<Recording>("PATCH", &format!("/api/recordings/{}", any.id), Some(&change))
                .await
            {
                Ok(saved) => {
                    mine.update(|m| m.values_mut().for_each(|r| r.courses = saved.courses.clone()));
                    problem.set(None);
                }
                Err(error) => problem.set(Some(say(&error, lang.get_untracked()))),
            }
        });
    };
    let overview = move || {
        let position = at.get();
        cues.with_value(|c| {
            c.iter()
                .enumerate()
                .map(|(n, cue)| {
                    let done = mine.with(|m| m.contains_key(&cue.index));
                    let label = move || {
                        let state = if done {
                            t(lang.get(), Key::VoiceRecorded)
                        } else {
                            t(lang.get(), Key::VoiceMissing)
                        };
                        format!("{} {} – {state}", t(lang.get(), Key::VoiceCue), n + 1)
                    };
                    view! {
                        <li>
                            <button type="button" class="voice-cue" class:done=done
                                aria-current=move || (n == position).then_some("step")
                                aria-label=label on:click=move |_| go(n)>
                                {if done { "✓".to_owned() } else { format!("{}", n + 1) }}
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let listen = move || {
        this_recording().map(|r| {
            view! {
                <audio class="voice-listen" controls=true preload="none" src=r.audio.clone()
                    aria-label=move || t(lang.get(), Key::VoiceListen)></audio>
            }
        })
    };
    let show = move || loaded.get();
    view! {
        <section class="teach voice" aria-labelledby="voice-heading">
            <h1 id="voice-heading">{move || format!("{} {}", t(lang.get(), Key::VoiceHeading), practice.title.get(spoken))}</h1>
            <p class="quiet">{text(Key::VoiceHelp)}</p>
            <p class="form-problem" role="alert">{move || problem.get()}</p>
            <Show when=show>
                <p class="voice-count" role="status">{count}</p>
                <article class="teleprompter" aria-labelledby="cue-heading">
                    <h2 id="cue-heading">{move || format!("{} {} {} {total}", t(lang.get(), Key::VoiceCue), cue().number, t(lang.get(), Key::VoiceOf))}</h2>
                    <p class="cue-text">{move || cue().text}</p>
                    <p class="quiet">{move || format!("{} {}", t(lang.get(), Key::VoiceWritten), clock(f64::from(cue().written_ms), true))}</p>
                </article>
                <div class="voice-controls">
                    <button type="button" class="button primary voice-record" class:recording=move || matches!(mic.get(), Mic::Recording(_))
                        on:click=record disabled=move || matches!(mic.get(), Mic::Opening | Mic::Sending)>{record_label}</button>
                    <button type="button" class="button voice-next" on:click=next
                        disabled=move || matches!(mic.get(), Mic::Recording(_) | Mic::Opening | Mic::Sending)>{text(Key::VoiceNext)}</button>
                </div>
                <p class="voice-status" role="status">{status}</p>
                // The running time, outside the live region: read on request, not every second.
                <p class="voice-timer" role="timer" hidden=move || !matches!(mic.get(), Mic::Recording(_))>
                    {move || match mic.get() {
                        Mic::Recording(since) => clock(now.get() - since, false),
                        _ => String::new(),
                    }}
                </p>
                <p class="form-problem voice-failed" role="alert">{failure}</p>
                {listen}
                <h2>{text(Key::VoiceAllCues)}</h2>
                <ol class="voice-cues">{overview}</ol>
                <h2>{text(Key::VoiceLengths)}</h2>
                {lengths}
                <label class="check voice-share" hidden=move || mine.with(BTreeMap::is_empty)>
                    <input type="checkbox" prop:checked=hears on:change=share/>
                    <span>{text(Key::VoiceShared)}</span>
                </label>
            </Show>
            <p><A href=format!("/teach/{}", course.get_value())>{text(Key::TeachBackToCourse)}</A></p>
        </section>
    }
}

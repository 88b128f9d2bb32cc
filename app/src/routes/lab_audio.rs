use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use stille_audio::web::{MediaPlayer, NaiveBell, OnsetTap, Support, support};
use stille_audio::{Config, lab};
use stille_practice::{BellSound, CueKind};

use crate::i18n::{Key, t, use_lang};

/// `/lab/audio`: plays a test timeline and shows planned against observed bell
/// times and which browser APIs exist, so anyone can check a real phone.
#[component]
pub fn LabAudio() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let timeline = Rc::new(lab::bell_every(2_000, 180, 20, BellSound::Chime));
    let planned: Vec<u32> =
        timeline.cues.iter().filter(|c| matches!(c.kind, CueKind::Bell { .. })).map(|c| c.at_ms).collect();
    let player = StoredValue::new_local(None::<Rc<MediaPlayer>>);
    // A stored value is not reactive: this signal tells the buttons.
    let ready = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    let elapsed_ms = RwSignal::new(0.0f64);
    let observed = RwSignal::new(vec![None::<f64>; planned.len()]);
    // Output onsets (ms on the AudioContext clock) when measuring.
    let measure = RwSignal::new(false);
    let onsets = RwSignal::new(Vec::<f64>::new());
    let tap = StoredValue::new_local(None::<OnsetTap>);
    // The comparison: the same bells rung by a plain setTimeout chain.
    let naive_mode = RwSignal::new(false);
    let naive = StoredValue::new_local(None::<Rc<NaiveBell>>);
    let naive_started = RwSignal::new(None::<f64>);

    let reset = move || {
        tap.set_value(None);
        onsets.set(Vec::new());
        naive_started.set(None);
        observed.update(|o| o.iter_mut().for_each(|v| *v = None));
    };
    let prepare = move |_| {
        let started = js_sys::Date::now();
        reset();
        player.set_value(None);
        naive.set_value(None);
        let prepared = if naive_mode.get_untracked() {
            NaiveBell::prepare(BellSound::Chime).map(|bell| naive.set_value(Some(Rc::new(bell))))
        } else {
            MediaPlayer::prepare(&timeline, &Config::default(), "Stille")
                .map(|prepared| {
                    let kb = prepared.size / 1024;
                    player.set_value(Some(Rc::new(prepared)));
                    kb
                })
                .map(|kb| status.set(format!("{} {kb} KB", t(lang.get_untracked(), Key::LabPreparedBytes))))
        };
        match prepared {
            Ok(()) => {
                let took = js_sys::Date::now() - started;
                if naive_mode.get_untracked() {
                    status.set(format!("{} ({took:.0} ms)", t(lang.get_untracked(), Key::LabModeNaive)));
                } else {
                    status.update(|s| s.push_str(&format!(" ({took:.0} ms)")));
                }
                ready.set(true);
            }
            Err(error) => {
                ready.set(false);
                status.set(error.to_string());
            }
        }
    };
    let play = move |_| {
        let on_onset = move |ms: f64| onsets.update(|list| list.push(ms));
        let measuring = measure.get_untracked() && tap.with_value(Option::is_none);
        if let Some(bell) = naive.get_value() {
            spawn_local(async move {
                if measuring {
                    match bell.tap_onsets("/onset-worklet.js", on_onset).await {
                        Ok(installed) => tap.set_value(Some(installed)),
                        Err(error) => status.set(error.to_string()),
                    }
                }
                naive_started.set(Some(js_sys::Date::now()));
                bell.start(20_000);
            });
        } else if let Some(prepared) = player.get_value() {
            spawn_local(async move {
                if measuring {
                    match prepared.tap_onsets("/onset-worklet.js", on_onset).await {
                        Ok(installed) => tap.set_value(Some(installed)),
                        Err(error) => status.set(error.to_string()),
                    }
                }
                if let Err(error) = prepared.play().await {
                    status.set(error.to_string());
                }
            });
        }
    };
    let pause = move |_| {
        if let Some(bell) = naive.get_value() {
            bell.stop();
        }
        if let Some(prepared) = player.get_value() {
            prepared.pause();
        }
    };
    let stop = move |_| {
        if let Some(bell) = naive.get_value() {
            bell.stop();
        }
        if let Some(prepared) = player.get_value() {
            prepared.stop();
        }
        reset();
    };

    // The display follows the media clock; nothing audible depends on this.
    let planned_for_tick = planned.clone();
    let tick = set_interval_with_handle(
        move || {
            // The soundtrack's clock, or for the plain timer the wall clock.
            let (now, playing) = match (player.get_value(), naive_started.get_untracked()) {
                (Some(prepared), _) => (prepared.elapsed_ms(), prepared.is_playing()),
                (None, Some(started)) => (js_sys::Date::now() - started, true),
                (None, None) => return,
            };
            elapsed_ms.set(now);
            if playing {
                observed.update(|seen| {
                    for (slot, at) in seen.iter_mut().zip(&planned_for_tick) {
                        if slot.is_none() && now >= f64::from(*at) {
                            *slot = Some(now);
                        }
                    }
                });
            }
        },
        Duration::from_millis(50),
    );
    if let Ok(handle) = tick {
        on_cleanup(move || handle.clear());
    }

    let ready = move || ready.get();
    let rows = move || {
        let seen = observed.get();
        let measured = onsets.get();
        planned
            .iter()
            .zip(seen)
            .enumerate()
            .map(|(i, (at, seen))| {
                let planned_s = format!("{:.1} s", f64::from(*at) / 1000.0);
                let seen_s = seen.map_or_else(
                    || "–".to_owned(),
                    |ms| format!("{:.2} s (+{:.0} ms)", ms / 1000.0, ms - f64::from(*at)),
                );
                // Output onsets are on another clock: compare each with the first.
                let measured_s = match (measured.first(), measured.get(i)) {
                    (Some(first), Some(onset)) => {
                        let error = (onset - first) - f64::from(*at - planned[0]);
                        format!("{error:+.1} ms")
                    }
                    _ => "–".to_owned(),
                };
                view! { <tr><td>{planned_s}</td><td>{seen_s}</td><td class="measured">{measured_s}</td></tr> }
            })
            .collect_view()
    };

    view! {
        <section class="lab" aria-labelledby="lab-heading">
            <h1 id="lab-heading">{text(Key::LabHeading)}</h1>
            <p class="lead">{text(Key::LabIntro)}</p>
            <div class="lab-controls">
                <button type="button" class="button primary" on:click=prepare>{text(Key::LabPrepare)}</button>
                <button type="button" class="button" on:click=play disabled=move || !ready()>{text(Key::LabPlay)}</button>
                <button type="button" class="button" on:click=pause disabled=move || !ready()>{text(Key::LabPause)}</button>
                <button type="button" class="button" on:click=stop disabled=move || !ready()>{text(Key::LabStop)}</button>
            </div>
            <fieldset class="lab-mode">
                <legend>{text(Key::LabMode)}</legend>
                <label>
                    <input type="radio" name="lab-mode" value="soundtrack" prop:checked=move || !naive_mode.get() on:change=move |_| naive_mode.set(false)/>
                    " " {text(Key::LabModeSoundtrack)}
                </label>
                <label>
                    <input type="radio" name="lab-mode" value="naive" prop:checked=move || naive_mode.get() on:change=move |_| naive_mode.set(true)/>
                    " " {text(Key::LabModeNaive)}
                </label>
            </fieldset>
            <p>
                <label class="lab-measure">
                    <input
                        type="checkbox"
                        prop:checked=move || measure.get()
                        on:change=move |ev| measure.set(event_target_checked(&ev))
                    />
                    " " {text(Key::LabMeasure)}
                </label>
            </p>
            <p class="lab-status" role="status">{move || status.get()}</p>
            <p>{text(Key::LabElapsed)} ": " <output class="lab-elapsed">{move || format!("{:.1} s", elapsed_ms.get() / 1000.0)}</output></p>
            <table class="lab-bells">
                <caption>{text(Key::LabBells)}</caption>
                <thead><tr><th scope="col">{text(Key::LabPlanned)}</th><th scope="col">{text(Key::LabObserved)}</th>
                    <th scope="col">{text(Key::LabMeasured)}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="quiet">{text(Key::LabNote)}</p>
            <SupportTable support=support()/>
        </section>
    }
}

#[component]
fn SupportTable(support: Support) -> impl IntoView {
    let lang = use_lang();
    let yes_no =
        move |present: bool| move || t(lang.get(), if present { Key::LabAvailable } else { Key::LabMissing });
    let flac = if support.flac.is_empty() { None } else { Some(support.flac.clone()) };
    let flac_text = move || flac.clone().unwrap_or_else(|| t(lang.get(), Key::LabMissing).to_owned());
    view! {
        <table class="lab-support">
            <caption>{move || t(lang.get(), Key::LabSupport)}</caption>
            <tbody>
                <tr><th scope="row">"FLAC (audio element)"</th><td>{flac_text}</td></tr>
                <tr><th scope="row">"Media Session"</th><td>{yes_no(support.media_session)}</td></tr>
                <tr><th scope="row">"Screen Wake Lock"</th><td>{yes_no(support.wake_lock)}</td></tr>
                <tr><th scope="row">"Audio Session"</th><td>{yes_no(support.audio_session)}</td></tr>
                <tr><th scope="row">"Web Audio"</th><td>{yes_no(support.web_audio)}</td></tr>
                <tr><th scope="row">"Speech synthesis"</th><td>{yes_no(support.speech_synthesis)}</td></tr>
            </tbody>
        </table>
    }
}

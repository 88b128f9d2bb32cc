//! The choices for this playing (length, anchor, eyes, bell, interval bells,
//! ambient sound, whose voice speaks, and for a breathing pattern its pace), kept
//! in the player's address (`Choice`); Start opens the player and remembers
//! the pace for next time ([`crate::paces`]).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use stille_audio::noise::Colour;
use stille_practice::{BellSound, BreathOptions, BreathPhase, Eyes, Practice};

use crate::format::decimal;
use crate::i18n::{Key, t, use_lang};
use crate::paces;
use crate::session::{Choice, VoicePick, anchor_name, bell_name, intervals, lengths, own_pace};
use crate::settings::use_settings;

fn bell_key(bell: BellSound) -> Key {
    match bell {
        BellSound::Bowl => Key::BellBowl,
        BellSound::TempleBell => Key::BellTemple,
        BellSound::Chime => Key::BellChime,
        BellSound::WoodKnock => Key::BellWood,
    }
}

const AMBIENT: [(Option<Colour>, &str, Key); 3] = [
    (None, "", Key::AmbientNone),
    (Some(Colour::Pink), "pink", Key::AmbientPink),
    (Some(Colour::Brown), "brown", Key::AmbientBrown),
];

#[component]
pub fn PracticeOptions(practice: &'static Practice) -> impl IntoView {
    let (lang, settings) = (use_lang(), use_settings());
    let text = move |key| move || t(lang.get(), key);
    let choice = RwSignal::new(Choice { breath: paces::remembered(practice), ..Choice::defaults(practice) });
    let navigate = use_navigate();
    let set_length = move |ev| {
        if let Ok(m) = event_target_value(&ev).parse::<u16>() {
            choice.update(|c| c.set_minutes(m));
        }
    };
    // A recorded voice for this practice (a course's teacher's, or one
    // published for everyone); the script it needs comes with the catalog's
    // details. What the phone keeps is read at once; the published list is
    // asked of the server beside it and read again when it arrives.
    let published = RwSignal::new(0_u32);
    leptos::task::spawn_local(async move {
        if crate::takes::refresh_published().await.is_ok() {
            let _ = published.try_update(|n| *n += 1);
        }
    });
    let recorded = LocalResource::new(move || {
        let lang = lang.get();
        published.track();
        async move {
            let full = crate::details::load().await.ok()?.get(practice.id.as_str())?;
            let (speaker, set) = crate::takes::voice_for(full, lang)?;
            Some((full, speaker, set))
        }
    });
    // The lengths with room for it, at the bell and pace chosen.
    let with_room = Memo::new(move |_| {
        let (full, _, set) = recorded.get().flatten()?;
        let base = choice.with(|c| c.options(full, lang.get()));
        Some(crate::voice::lengths_with_voice(full, &base, &set, &lengths(practice)))
    });
    // A voice with room at no length is not offered.
    let available = move || with_room.get().is_some_and(|l| !l.is_empty());
    let speaker = move || recorded.get().flatten().map(|(_, speaker, _)| speaker).filter(|_| available());
    let picked = move || {
        let s = settings.get();
        VoicePick::resolve(choice.with(|c| c.voice), !s.skip_teacher_voice, s.speech, available())
    };
    // With the recorded voice, only the lengths that hold it are offered.
    let offered = Memo::new(move |_| match (picked(), with_room.get()) {
        (VoicePick::Teacher, Some(with_room)) if !with_room.is_empty() => with_room,
        _ => lengths(practice),
    });
    Effect::new(move || {
        let offered = offered.get();
        let minutes = choice.with(|c| c.minutes);
        if !offered.contains(&minutes) {
            let nearest = offered.iter().copied().find(|m| *m >= minutes).or_else(|| offered.last().copied());
            if let Some(m) = nearest {
                choice.update(|c| c.set_minutes(m));
            }
        }
    });
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut chosen = choice.get_untracked();
        // The player plays exactly the voice the page shows.
        let s = settings.get_untracked();
        let available = with_room.get_untracked().is_some_and(|l| !l.is_empty());
        chosen.voice = Some(VoicePick::resolve(chosen.voice, !s.skip_teacher_voice, s.speech, available));
        paces::remember(practice, &chosen.breath);
        navigate(&format!("/play/{}?{}", practice.id, chosen.query()), Default::default());
    };
    let fewer_lengths = move || offered.with(Vec::len) < lengths(practice).len();
    let length_options = move || {
        offered
            .get()
            .into_iter()
            .map(|m| view! { <option value=m.to_string() selected=move || choice.get().minutes == m>{format!("{m} min")}</option> })
            .collect_view()
    };
    let voices = move || {
        let lang = lang.get();
        let speaker = speaker();
        VoicePick::ALL
            .into_iter()
            .filter_map(|pick| {
                let label = match (pick, &speaker) {
                    (VoicePick::Teacher, None) => return None,
                    (VoicePick::Teacher, Some(s)) if s.published => {
                        format!("{} {}", t(lang, Key::PracticeVoicePublished), s.name)
                    }
                    (VoicePick::Teacher, Some(s)) => format!("{} {}", t(lang, Key::PracticeVoiceTeacher), s.name),
                    (VoicePick::Device, _) => t(lang, Key::PracticeVoiceDevice).to_owned(),
                    (VoicePick::Words, _) => t(lang, Key::PracticeVoiceWords).to_owned(),
                };
                Some(view! {
                    <label>
                        <input type="radio" name="voice" value=pick.name() prop:checked=move || picked() == pick
                            on:change=move |_| choice.update(|c| c.voice = Some(pick))/>
                        " " {label}
                    </label>
                })
            })
            .collect_view()
    };
    let anchors = (practice.anchors.len() > 1).then(|| {
        let radios = practice.anchors.iter().enumerate().map(|(i, &anchor)| {
            let checked = move || choice.get().anchor.unwrap_or(practice.anchors[0]) == anchor;
            view! {
                <label>
                    <input type="radio" name="anchor" value=anchor_name(anchor) prop:checked=checked
                        on:change=move |_| choice.update(|c| c.anchor = (i > 0).then_some(anchor))/>
                    " " {move || anchor.phrase(lang.get()).to_owned()}
                </label>
            }
        });
        view! { <fieldset class="option-anchor"><legend>{text(Key::PracticeAnchor)}</legend>{radios.collect_view()}</fieldset> }
    });
    let eyes = [(Eyes::Closed, Key::PracticeEyesClosed), (Eyes::Open, Key::PracticeEyesOpen)].into_iter().map(|(eyes, key)| view! {
        <label>
            <input type="radio" name="eyes" prop:checked=move || choice.get().eyes == eyes on:change=move |_| choice.update(|c| c.eyes = eyes)/>
            " " {text(key)}
        </label>
    });
    let bells = BellSound::ALL.into_iter().map(|bell| {
        view! { <option value=bell_name(bell) selected=move || choice.get().bell == bell>{text(bell_key(bell))}</option> }
    });
    let set_bell = move |ev| {
        let value = event_target_value(&ev);
        if let Some(bell) = BellSound::ALL.into_iter().find(|b| bell_name(*b) == value) {
            choice.update(|c| c.bell = bell);
        }
    };
    let interval = move || {
        let offered = intervals(practice, choice.get().minutes);
        (!offered.is_empty()).then(|| {
            let options = offered.into_iter().map(|every| view! {
                <option value=every.to_string() selected=move || choice.get().interval_minutes == Some(every)>
                    {move || format!("{} {every} min", t(lang.get(), Key::PracticeIntervalEvery))}
                </option>
            });
            view! {
                <label for="interval">{text(Key::PracticeInterval)}</label>
                <select id="interval" on:change=move |ev| choice.update(|c| c.interval_minutes = event_target_value(&ev).parse().ok())>
                    <option value="" selected=move || choice.get().interval_minutes.is_none()>{text(Key::PracticeIntervalNone)}</option>
                    {options.collect_view()}
                </select>
            }
        })
    };
    let ambient = AMBIENT.into_iter().map(|(colour, value, key)| {
        view! { <option value=value selected=move || choice.get().ambient == colour>{text(key)}</option> }
    });
    let set_ambient = move |ev| {
        let value = event_target_value(&ev);
        choice.update(|c| c.ambient = AMBIENT.iter().find(|(_, v, _)| *v == value).and_then(|(c, _, _)| *c));
    };
    view! {
        <form class="practice-options" on:submit=start>
            <label for="length">{text(Key::PracticeLength)}</label>
            <select id="length" on:change=set_length
                aria-describedby=move || fewer_lengths().then_some("voice-lengths")>{length_options}</select>
            <Show when=fewer_lengths>
                <p class="quiet voice-lengths" id="voice-lengths">{text(Key::PracticeVoiceFewerLengths)}</p>
            </Show>
            {anchors}
            <fieldset class="option-eyes"><legend>{text(Key::PracticeEyes)}</legend>{eyes.collect_view()}</fieldset>
            <label for="bell">{text(Key::PracticeBell)}</label>
            <select id="bell" on:change=set_bell>{bells.collect_view()}</select>
            {interval}
            {pace(practice, choice)}
            <label for="ambient">{text(Key::PracticeAmbient)}</label>
            <select id="ambient" on:change=set_ambient>{ambient.collect_view()}</select>
            <fieldset class="option-voice"><legend>{text(Key::SettingsVoice)}</legend>{voices}</fieldset>
            <button type="submit" class="button primary start">{text(Key::PracticeStart)}</button>
        </form>
    }
}

fn phase_label(phase: BreathPhase) -> Key {
    match phase {
        BreathPhase::Inhale => Key::PaceInhale,
        BreathPhase::TopUp => Key::PaceTopUp,
        BreathPhase::HoldIn => Key::PaceHoldIn,
        BreathPhase::Exhale => Key::PaceExhale,
        BreathPhase::HoldOut => Key::PaceHoldOut,
    }
}

/// The pace of a breathing pattern: breaths a minute where the pattern
/// offers a range (the phases keep their proportions), else each phase's
/// seconds where it is adjustable; nothing for other practices. Out-of-range
/// seconds are stopped by the form's own checks before Begin.
fn pace(practice: &'static Practice, choice: RwSignal<Choice>) -> Option<AnyView> {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let pattern = practice.breath.as_ref()?;
    let own = move || {
        let pace = own_pace(practice).map(|bpm| decimal(bpm, lang.get())).unwrap_or_default();
        format!("{} ({pace})", t(lang.get(), Key::PaceOwn))
    };
    let controls = if let Some([low, high]) = pattern.bpm_range {
        let steps = ((high - low) * 2.0).round() as usize;
        let paces = (0..=steps).map(move |i| low + i as f64 * 0.5).map(move |bpm| {
            view! {
                <option value=bpm.to_string() selected=move || choice.get().breath.bpm == Some(bpm)>
                    {move || decimal(bpm, lang.get())}
                </option>
            }
        });
        let set = move |ev| {
            let bpm = event_target_value(&ev).parse::<f64>().ok();
            choice.update(|c| c.breath = BreathOptions { bpm, phase_seconds: None });
        };
        view! {
            <label for="pace">{text(Key::PaceBreathsAMinute)}</label>
            <select id="pace" on:change=set>
                <option value="" selected=move || choice.get().breath.bpm.is_none()>{own}</option>
                {paces.collect_view()}
            </select>
        }
        .into_any()
    } else if pattern.adjustable {
        let fields = pattern.phases.iter().enumerate().map(|(i, spec)| {
            let (low, high) = spec.phase.bounds();
            let id = format!("phase-{i}");
            let value = move || {
                let chosen = choice.get().breath.phase_seconds.and_then(|s| s.get(i).copied());
                chosen.unwrap_or(spec.seconds).to_string()
            };
            let set = move |ev| {
                let Ok(seconds) = event_target_value(&ev).parse::<f64>() else { return };
                choice.update(|c| {
                    let mut all = c
                        .breath
                        .phase_seconds
                        .clone()
                        .unwrap_or_else(|| pattern.phases.iter().map(|p| p.seconds).collect());
                    if let Some(slot) = all.get_mut(i) {
                        *slot = seconds;
                    }
                    let own = all.iter().zip(&pattern.phases).all(|(s, p)| *s == p.seconds);
                    c.breath.phase_seconds = (!own).then_some(all);
                });
            };
            view! {
                <div class="pace-phase">
                    <label for=id.clone()>{text(phase_label(spec.phase))}</label>
                    <input type="number" id=id inputmode="decimal" min=low.to_string() max=high.to_string()
                        step="0.5" required prop:value=value on:change=set/>
                </div>
            }
        });
        let reset = move |_| choice.update(|c| c.breath = BreathOptions::default());
        view! {
            <div class="pace-phases">{fields.collect_view()}</div>
            <button type="button" class="button pace-reset" on:click=reset
                disabled=move || choice.get().breath.phase_seconds.is_none()>{text(Key::PaceReset)}</button>
        }
        .into_any()
    } else {
        return None;
    };
    Some(
        view! {
            <fieldset class="option-pace">
                <legend>{text(Key::PaceHeading)}</legend>
                {controls}
                <p class="quiet">{text(Key::PaceHelp)}</p>
            </fieldset>
        }
        .into_any(),
    )
}

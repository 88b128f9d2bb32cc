use leptos::prelude::*;
use leptos::task::spawn_local;
use stille_audio::mode::ModeSetting;
use stille_audio::web::Speaker;
use stille_practice::Lang;

use crate::components::{RemindersSettings, YourData};
use crate::format::megabytes;
use crate::i18n::{Key, t, use_lang};
use crate::settings::{Theme, use_settings};

/// `/settings`: how sessions are played and whether guidance is read aloud,
/// with which voice. Saved on this device as soon as it changes.
#[component]
pub fn Settings() -> impl IntoView {
    let lang = use_lang();
    let settings = use_settings();
    let text = move |key| move || t(lang.get(), key);
    let playback_label = move |mode: ModeSetting| match mode {
        ModeSetting::Auto => t(lang.get(), Key::SettingsPlaybackAuto),
        ModeSetting::Soundtrack => t(lang.get(), Key::LabModeSoundtrack),
        ModeSetting::Live => t(lang.get(), Key::LabModeLive),
    };
    // Voices can arrive after the page loads (Chrome fills the list late): a
    // button press or a language switch reads them again.
    let refresh = RwSignal::new(0u32);
    let voices = move || {
        refresh.get();
        Speaker::new().map(|s| s.voices(lang.get().tag())).unwrap_or_default()
    };
    let chosen = move || settings.get().voice(lang.get()).unwrap_or_default().to_owned();
    let choose = move |ev| {
        let value = event_target_value(&ev);
        let value = (!value.is_empty()).then_some(value);
        settings.update(|s| match lang.get_untracked() {
            Lang::Da => s.voice_da = value,
            Lang::En => s.voice_en = value,
        });
    };
    let try_voice = move |_| {
        refresh.update(|n| *n += 1);
        let lang_now = lang.get_untracked();
        if let Some(speaker) = Speaker::new() {
            let voice = settings.get_untracked().voice(lang_now).map(str::to_owned);
            speaker.say(t(lang_now, Key::SettingsVoiceSample), lang_now.tag(), voice.as_deref());
        }
    };

    view! {
        <section class="settings" aria-labelledby="settings-heading">
            <h1 id="settings-heading">{text(Key::SettingsHeading)}</h1>
            <p class="settings-account"><a href="/account">{text(Key::SettingsAccountLink)}</a></p>
            <RemindersSettings/>
            <fieldset class="settings-playback">
                <legend>{text(Key::SettingsPlayback)}</legend>
                <p class="quiet">{text(Key::SettingsPlaybackHelp)}</p>
                {ModeSetting::ALL.into_iter().map(|mode| view! {
                    <label>
                        <input type="radio" name="playback" value=mode.as_str()
                            prop:checked=move || settings.get().playback == mode
                            on:change=move |_| settings.update(|s| s.playback = mode)/>
                        " " {move || playback_label(mode)}
                    </label>
                }).collect_view()}
            </fieldset>
            <fieldset class="settings-theme">
                <legend>{text(Key::SettingsTheme)}</legend>
                {Theme::ALL.into_iter().map(|theme| view! {
                    <label>
                        <input type="radio" name="theme" value=theme.as_str()
                            prop:checked=move || settings.get().theme == theme
                            on:change=move |_| settings.update(|s| s.theme = theme)/>
                        " " {text(match theme {
                            Theme::System => Key::SettingsThemeSystem,
                            Theme::Light => Key::SettingsThemeLight,
                            Theme::Dark => Key::SettingsThemeDark,
                        })}
                    </label>
                }).collect_view()}
            </fieldset>
            <fieldset class="settings-speech">
                <legend>{text(Key::SettingsSpeech)}</legend>
                <label>
                    <input type="checkbox" name="teacher-voice" prop:checked=move || !settings.get().skip_teacher_voice
                        on:change=move |ev| settings.update(|s| s.skip_teacher_voice = !event_target_checked(&ev))/>
                    " " {text(Key::SettingsTeacherVoice)}
                </label>
                <p class="quiet">{text(Key::SettingsTeacherVoiceHelp)}</p>
                <label>
                    <input type="checkbox" name="speech" prop:checked=move || settings.get().speech
                        on:change=move |ev| settings.update(|s| s.speech = event_target_checked(&ev))/>
                    " " {text(Key::SettingsSpeech)}
                </label>
                <p class="quiet">{text(Key::SettingsSpeechHelp)}</p>
                {move || {
                    let list = voices();
                    if list.is_empty() {
                        view! { <p class="settings-no-voice">{text(Key::SettingsVoiceNone)}</p> }.into_any()
                    } else {
                        let current = chosen();
                        view! {
                            <label for="voice">{text(Key::SettingsVoice)}</label>
                            <select id="voice" name="voice" on:change=choose>
                                <option value="" selected=current.is_empty()>{text(Key::SettingsVoiceDefault)}</option>
                                {list.into_iter().map(|v| {
                                    let selected = v.id == current;
                                    view! { <option value=v.id.clone() selected=selected>{format!("{} ({})", v.name, v.lang)}</option> }
                                }).collect_view()}
                            </select>
                        }.into_any()
                    }
                }}
                <p><button type="button" class="button" on:click=try_voice>{text(Key::SettingsVoiceTry)}</button></p>
            </fieldset>
            <fieldset class="settings-vibrate">
                <legend>{text(Key::SettingsBreathing)}</legend>
                <label>
                    <input type="checkbox" name="vibrate" prop:checked=move || settings.get().vibrate
                        on:change=move |ev| settings.update(|s| s.vibrate = event_target_checked(&ev))/>
                    " " {text(Key::SettingsVibrate)}
                </label>
                <p class="quiet">{text(Key::SettingsVibrateHelp)}</p>
            </fieldset>
            <fieldset class="settings-progress">
                <legend>{text(Key::SettingsProgress)}</legend>
                <label>
                    <input type="checkbox" name="streaks" prop:checked=move || settings.get().streaks
                        on:change=move |ev| settings.update(|s| s.streaks = event_target_checked(&ev))/>
                    " " {text(Key::SettingsStreaks)}
                </label>
                <p class="quiet">{text(Key::SettingsStreaksHelp)}</p>
            </fieldset>
            <KeptRecordings/>
            <YourData/>
        </section>
    }
}

/// How much room the teachers' recordings take on this phone, and a way to
/// remove them (they are fetched again when played online).
#[component]
fn KeptRecordings() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let usage = LocalResource::new(crate::takes::usage);
    let message = RwSignal::new(None::<String>);
    let remove = move |_| {
        spawn_local(async move {
            let said = match crate::takes::clear_audio().await {
                Ok(()) => t(lang.get_untracked(), Key::SettingsRecordingsRemoved).to_owned(),
                Err(error) => error,
            };
            message.try_set(Some(said));
            usage.refetch();
        });
    };
    let line = move || {
        let lang = lang.get();
        match usage.get() {
            None => String::new(),
            Some(Ok((0, _))) => t(lang, Key::SettingsRecordingsNone).to_owned(),
            Some(Ok((files, bytes))) => {
                let count = if files == 1 {
                    t(lang, Key::SettingsRecordingsOne).to_owned()
                } else {
                    format!("{files} {}", t(lang, Key::SettingsRecordingsMany))
                };
                format!("{count} {} {}", t(lang, Key::SettingsRecordingsUse), megabytes(bytes as i64, lang))
            }
            Some(Err(error)) => error,
        }
    };
    let any = move || matches!(usage.get(), Some(Ok((n, _))) if n > 0);
    view! {
        <fieldset class="settings-recordings">
            <legend>{text(Key::SettingsRecordings)}</legend>
            <p class="quiet">{text(Key::SettingsRecordingsHelp)}</p>
            <p class="recordings-use" role="status">{line}</p>
            <p hidden=move || !any()>
                <button type="button" class="button remove-recordings" on:click=remove>{text(Key::SettingsRecordingsRemove)}</button>
            </p>
            <p class="recordings-removed" role="status">{move || message.get()}</p>
        </fieldset>
    }
}

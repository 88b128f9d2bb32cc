//! The user's settings, kept on this device: how sessions are played
//! (automatic, soundtrack or live), the theme, spoken guidance (on/off, which
//! voice), the breathing buzz, days in a row, and the language chosen with
//! the header's switch (so it survives a reload).
//!
//! All but the chosen voices also follow the person: a change is kept as the
//! account's one settings record (sync kind `settings`, [`RECORD_ID`]) and
//! synced like practice; a newer one pulled from another device is taken
//! here ([`take_synced`]), the latest change anywhere winning.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use stille_audio::mode::ModeSetting;

use crate::paces::{self, Paces};
use crate::storage;

const KEY: &str = "stille.settings.v1";

/// Light, dark, or as the system says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn parse(name: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub playback: ModeSetting,
    pub theme: Theme,
    /// Read guidance aloud (where the browser has a voice for the language).
    pub speech: bool,
    /// The chosen voice per language, by the browser's voice URI.
    pub voice_da: Option<String>,
    pub voice_en: Option<String>,
    /// Show days in a row on the history page. Off unless chosen: a broken
    /// streak can feel like failing, and practice is not a contest.
    pub streaks: bool,
    /// Buzz at the start of each in- and out-breath (phones that can).
    pub vibrate: bool,
    /// Not the teacher's recorded voice, even where there is one (the
    /// device's voice or words on screen instead).
    pub skip_teacher_voice: bool,
    /// The language chosen with the header's switch; None: the browser's.
    pub lang: Option<stille_practice::Lang>,
}

/// The stored form: strings a future version can still read.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Stored {
    playback: String,
    theme: String,
    speech: bool,
    voice_da: Option<String>,
    voice_en: Option<String>,
    streaks: bool,
    vibrate: bool,
    skip_teacher_voice: bool,
    /// "da", "en", or empty for the browser's language.
    lang: String,
}

impl Settings {
    pub fn voice(&self, lang: stille_practice::Lang) -> Option<&str> {
        match lang {
            stille_practice::Lang::Da => self.voice_da.as_deref(),
            stille_practice::Lang::En => self.voice_en.as_deref(),
        }
    }

    fn from_stored(stored: Stored) -> Result<Settings, String> {
        let playback = if stored.playback.is_empty() {
            ModeSetting::Auto
        } else {
            ModeSetting::parse(&stored.playback)
                .ok_or_else(|| format!("playback: unknown mode {:?}", stored.playback))?
        };
        let theme = if stored.theme.is_empty() {
            Theme::System
        } else {
            Theme::parse(&stored.theme).ok_or_else(|| format!("theme: unknown theme {:?}", stored.theme))?
        };
        let voice = |v: Option<String>| v.filter(|s| !s.is_empty() && s.len() <= 512);
        let lang = match stored.lang.as_str() {
            "" => None,
            "da" => Some(stille_practice::Lang::Da),
            "en" => Some(stille_practice::Lang::En),
            other => return Err(format!("lang: unknown language {other:?}")),
        };
        Ok(Settings {
            playback,
            theme,
            speech: stored.speech,
            voice_da: voice(stored.voice_da),
            voice_en: voice(stored.voice_en),
            streaks: stored.streaks,
            vibrate: stored.vibrate,
            skip_teacher_voice: stored.skip_teacher_voice,
            lang,
        })
    }

    fn to_stored(&self) -> Stored {
        Stored {
            playback: self.playback.as_str().to_owned(),
            theme: self.theme.as_str().to_owned(),
            speech: self.speech,
            voice_da: self.voice_da.clone(),
            voice_en: self.voice_en.clone(),
            streaks: self.streaks,
            vibrate: self.vibrate,
            skip_teacher_voice: self.skip_teacher_voice,
            lang: self.lang.map_or("", |l| l.tag()).to_owned(),
        }
    }
}

/// The id of the account's one settings record (sync kind `settings`): the
/// same on every device, so the latest change anywhere is the one kept.
pub const RECORD_ID: &str = "00000000-0000-7000-8000-000000000001";

/// The settings that follow the person to their other devices, as the
/// settings record's body: all but the chosen voices, which are this
/// browser's own (another phone has other voices), with the breathing pace
/// last chosen for each practice (`pace_<practice id, - as _>`: the pace as
/// JSON text, since a setting is a short flat value).
pub fn synced_body(settings: &Settings, paces: &Paces) -> serde_json::Value {
    let mut body = serde_json::json!({
        "playback": settings.playback.as_str(),
        "theme": settings.theme.as_str(),
        "speech": settings.speech,
        "streaks": settings.streaks,
        "vibrate": settings.vibrate,
        "skip_teacher_voice": settings.skip_teacher_voice,
        "lang": settings.lang.map_or("", |l| l.tag()),
    });
    if let Some(map) = body.as_object_mut() {
        for (practice, pace) in paces {
            let name = pace_name(practice);
            if let Ok(text) = serde_json::to_string(pace)
                && name.len() <= 40
                && text.chars().count() <= 200
            {
                map.insert(name, serde_json::Value::String(text));
            }
        }
    }
    body
}

fn pace_name(practice: &str) -> String {
    format!("pace_{}", practice.replace('-', "_"))
}

/// The breathing paces a settings record holds, for the practices of the
/// catalog that have one and paces that still fit them.
pub fn synced_paces(body: &serde_json::Value) -> Paces {
    stille_practice::catalog()
        .practices
        .iter()
        .filter_map(|practice| {
            let text = body.get(pace_name(practice.id.as_str()))?.as_str()?;
            let pace: stille_practice::BreathOptions = serde_json::from_str(text).ok()?;
            crate::session::breath_problem(practice, &pace).is_none().then(|| (practice.id.to_string(), pace))
        })
        .collect()
}

/// `local` with what a settings record from another device says; a field
/// missing, or one this version cannot read (a newer version's mode, say),
/// leaves this device's own as it is.
pub fn with_synced(local: &Settings, body: &serde_json::Value) -> Settings {
    let text = |name: &str| body.get(name).and_then(serde_json::Value::as_str);
    let flag = |name: &str, own: bool| body.get(name).and_then(serde_json::Value::as_bool).unwrap_or(own);
    let lang = match text("lang") {
        Some("") => None,
        Some("da") => Some(stille_practice::Lang::Da),
        Some("en") => Some(stille_practice::Lang::En),
        Some(_) => local.lang,
        None => local.lang,
    };
    Settings {
        playback: text("playback").and_then(ModeSetting::parse).unwrap_or(local.playback),
        theme: text("theme").and_then(Theme::parse).unwrap_or(local.theme),
        speech: flag("speech", local.speech),
        streaks: flag("streaks", local.streaks),
        vibrate: flag("vibrate", local.vibrate),
        skip_teacher_voice: flag("skip_teacher_voice", local.skip_teacher_voice),
        lang,
        voice_da: local.voice_da.clone(),
        voice_en: local.voice_en.clone(),
    }
}

/// Reads the settings; anything wrong with the stored record gives defaults
/// (and a console warning) without erasing it.
pub fn load() -> Settings {
    match storage::load::<Stored>(KEY) {
        Ok(Some(stored)) => Settings::from_stored(stored).unwrap_or_else(|reason| {
            storage::warn(&storage::StorageError::Malformed { key: KEY.into(), reason });
            Settings::default()
        }),
        Ok(None) => Settings::default(),
        Err(error) => {
            storage::warn(&error);
            Settings::default()
        }
    }
}

/// The settings, shared through context.
#[derive(Clone, Copy, Debug)]
pub struct AppSettings(pub RwSignal<Settings>);

thread_local! {
    /// The app's settings signal, for what sync brings from other devices.
    static SIGNAL: std::cell::Cell<Option<RwSignal<Settings>>> = const { std::cell::Cell::new(None) };
    /// The synced body just taken from another device: not sent back up.
    static PULLED: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Takes the settings another device chose (a settings record pulled by
/// sync), keeping this device's own voices.
pub fn take_synced(body: &serde_json::Value) {
    paces::replace(synced_paces(body));
    let Some(settings) = SIGNAL.with(std::cell::Cell::get) else { return };
    let Some(current) = settings.try_get_untracked() else { return };
    let merged = with_synced(&current, body);
    if merged != current {
        PULLED.with(|p| *p.borrow_mut() = Some(synced_body(&merged, &paces::all()).to_string()));
        settings.set(merged);
    }
}

/// Keeps the settings that follow the person as the account's settings
/// record, for the other devices (after a change here).
pub fn keep_for_other_devices(settings: &Settings) {
    let body = synced_body(settings, &paces::all());
    leptos::task::spawn_local(async move {
        if let Err(error) = crate::log_store::save_settings(&body).await {
            leptos::logging::warn!("the settings could not be kept for your other devices: {error}");
        }
    });
}

/// The settings now, for a change made elsewhere than the settings signal
/// (a breathing pace chosen at a practice's start).
pub fn current() -> Option<Settings> {
    SIGNAL.with(std::cell::Cell::get).and_then(|s| s.try_get_untracked())
}

/// Provides the settings and saves every change made through the signal
/// (on this device, and as the settings record that follows the person).
pub fn provide() -> RwSignal<Settings> {
    let settings = RwSignal::new(load());
    provide_context(AppSettings(settings));
    SIGNAL.with(|s| s.set(Some(settings)));
    // The theme is an attribute on <html>, which the style's tokens follow.
    Effect::new(move |_| {
        let theme = settings.with(|s| s.theme);
        if let Some(html) = document().document_element() {
            let _ = match theme {
                Theme::System => html.remove_attribute("data-theme"),
                chosen => html.set_attribute("data-theme", chosen.as_str()),
            };
        }
    });
    Effect::new(move |previous: Option<()>| {
        let now = settings.get();
        // The first run is the load itself: leave the stored record (even an
        // unreadable one) as it is until the user changes something.
        if previous.is_some()
            && let Err(error) = storage::save(KEY, &now.to_stored())
        {
            storage::warn(&error);
        }
    });
    // A change made here goes to the other devices; one that came from them
    // does not go back.
    Effect::new(move |previous: Option<String>| {
        let text = settings.with(|s| synced_body(s, &paces::all())).to_string();
        let pulled = PULLED.with(|p| p.borrow_mut().take()).is_some_and(|p| p == text);
        if previous.as_ref().is_some_and(|p| *p != text) && !pulled {
            settings.with_untracked(keep_for_other_devices);
        }
        text
    });
    settings
}

/// The settings from context (defaults when none is provided, as in tests).
pub fn use_settings() -> RwSignal<Settings> {
    use_context::<AppSettings>().map(|AppSettings(s)| s).unwrap_or_else(|| RwSignal::new(Settings::default()))
}

#[cfg(test)]
mod tests {
    use stille_practice::Lang;

    use super::*;

    #[test]
    fn settings_follow_the_person_but_each_phone_keeps_its_own_voices() {
        let phone = Settings {
            theme: Theme::Dark,
            speech: true,
            streaks: true,
            lang: Some(Lang::En),
            voice_da: Some("com.apple.voice.Sara".into()),
            ..Settings::default()
        };
        let box_pace =
            stille_practice::BreathOptions { bpm: None, phase_seconds: Some(vec![5.0, 5.0, 5.0, 5.0]) };
        let paces = Paces::from([("breathing-box".to_owned(), box_pace.clone())]);
        let body = synced_body(&phone, &paces);
        assert_eq!(body["theme"], "dark");
        assert_eq!(synced_paces(&body), paces, "the pace chosen for a practice goes along");
        let odd = serde_json::json!({"pace_breathing_box": "{\"bpm\":null,\"phase_seconds\":[1.0]}", "pace_no_such": "{}"});
        assert!(synced_paces(&odd).is_empty(), "a pace that does not fit the practice stays behind");
        assert!(body.get("voice_da").is_none(), "a voice is this browser's own");
        let laptop = Settings { voice_da: Some("Google dansk".into()), ..Settings::default() };
        let after = with_synced(&laptop, &body);
        assert_eq!(after, Settings { voice_da: Some("Google dansk".into()), ..phone.clone() });
        // The record round-trips, and "the browser's language" is a choice too.
        assert_eq!(with_synced(&phone, &synced_body(&phone, &Paces::new())), phone);
        let browser = with_synced(&phone, &serde_json::json!({"lang": ""}));
        assert_eq!(browser.lang, None);
        // What a newer version wrote and this one cannot read changes nothing here.
        let newer = serde_json::json!({"theme": "sepia", "playback": "hologram", "speech": "yes", "lang": "de", "bell": "tibetan"});
        assert_eq!(with_synced(&phone, &newer), phone);
        // The body is what the server takes as settings: flat, short values.
        assert!(body.as_object().is_some_and(|m| m.values().all(|v| !v.is_object() && !v.is_array())));
    }

    #[test]
    fn the_chosen_language_is_kept_and_an_unknown_one_is_refused() {
        let chosen = Settings { lang: Some(Lang::Da), ..Settings::default() };
        let stored = chosen.to_stored();
        assert_eq!(stored.lang, "da");
        assert_eq!(Settings::from_stored(stored), Ok(chosen));
        assert_eq!(
            Settings::from_stored(Stored::default()).map(|s| s.lang),
            Ok(None),
            "the browser's until chosen"
        );
        let odd = Stored { lang: "de".into(), ..Stored::default() };
        assert!(Settings::from_stored(odd).is_err());
        // A record written before the language was kept still reads.
        let older: Stored =
            serde_json::from_str(r#"{"playback":"auto","theme":"dark","speech":true}"#).expect("reads");
        assert_eq!(Settings::from_stored(older).map(|s| (s.theme, s.lang)), Ok((Theme::Dark, None)));
    }
}

//! The user's settings, kept on this device: how sessions are played
//! (automatic, soundtrack or live), the theme, spoken guidance (on/off, which
//! voice), the breathing buzz, days in a row, and the language chosen with
//! the header's switch (so it survives a reload).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use stille_audio::mode::ModeSetting;

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

/// Provides the settings and saves every change made through the signal.
pub fn provide() -> RwSignal<Settings> {
    let settings = RwSignal::new(load());
    provide_context(AppSettings(settings));
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

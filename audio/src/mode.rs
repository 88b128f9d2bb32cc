//! Which way a session is sounded in a browser, decided from what the browser
//! supports. Pure logic (the browser side, `web`, fills in [`Support`]), so it
//! is tested natively.

/// Which of the APIs the players use this browser has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Support {
    /// `canPlayType("audio/flac")`: "probably", "maybe" or "".
    pub flac: String,
    pub media_session: bool,
    pub wake_lock: bool,
    /// `navigator.audioSession` (Safari 16.4+): lets Web Audio play on lock.
    pub audio_session: bool,
    pub web_audio: bool,
    pub speech_synthesis: bool,
}

/// How a session is sounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    Soundtrack,
    Live,
    Silent,
}

/// The playback setting: automatic, or a mode the user chose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ModeSetting {
    #[default]
    Auto,
    Soundtrack,
    Live,
}

impl ModeSetting {
    pub const ALL: [ModeSetting; 3] = [ModeSetting::Auto, ModeSetting::Soundtrack, ModeSetting::Live];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ModeSetting::Auto => "auto",
            ModeSetting::Soundtrack => "soundtrack",
            ModeSetting::Live => "live",
        }
    }

    pub fn parse(name: &str) -> Option<ModeSetting> {
        ModeSetting::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Soundtrack => "soundtrack",
            Mode::Live => "live",
            Mode::Silent => "silent",
        }
    }

    /// The mode for this browser: a soundtrack wherever a media element plays
    /// FLAC (it survives a locked screen on iOS and Android and gets lock-screen
    /// controls); else Web Audio; else silence with on-screen guidance. An
    /// interactive session (a pacer the user changes while it runs) cannot be
    /// rendered ahead, so it goes live where Web Audio exists.
    pub fn automatic(support: &Support, interactive: bool) -> Mode {
        match (!support.flac.is_empty(), support.web_audio) {
            (_, true) if interactive => Mode::Live,
            (true, _) => Mode::Soundtrack,
            (false, true) => Mode::Live,
            (false, false) => Mode::Silent,
        }
    }

    /// The setting applied: what to try first, then what to fall back to.
    pub fn order(setting: ModeSetting, support: &Support, interactive: bool) -> Vec<Mode> {
        let first = match setting {
            ModeSetting::Auto => Mode::automatic(support, interactive),
            ModeSetting::Soundtrack => Mode::Soundtrack,
            ModeSetting::Live => Mode::Live,
        };
        let mut order = vec![first];
        for mode in [Mode::Soundtrack, Mode::Live, Mode::Silent] {
            if !order.contains(&mode) {
                order.push(mode);
            }
        }
        order
    }
}

/// Whether a voice's language tag ("da-DK", "en_GB") is `language` ("da",
/// "en"), in any region.
pub fn speaks(tag: &str, language: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    primary.eq_ignore_ascii_case(language)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn browser(flac: &str, web_audio: bool) -> Support {
        Support {
            flac: flac.to_owned(),
            media_session: true,
            wake_lock: true,
            audio_session: false,
            web_audio,
            speech_synthesis: true,
        }
    }

    #[test]
    fn the_automatic_mode_prefers_a_soundtrack_and_falls_back_in_order() {
        assert_eq!(Mode::automatic(&browser("probably", true), false), Mode::Soundtrack);
        assert_eq!(Mode::automatic(&browser("maybe", true), false), Mode::Soundtrack);
        assert_eq!(Mode::automatic(&browser("probably", true), true), Mode::Live);
        assert_eq!(Mode::automatic(&browser("", true), false), Mode::Live);
        assert_eq!(Mode::automatic(&browser("", false), true), Mode::Silent);
        assert_eq!(
            Mode::order(ModeSetting::Live, &browser("probably", true), false),
            [Mode::Live, Mode::Soundtrack, Mode::Silent]
        );
        assert_eq!(
            Mode::order(ModeSetting::Auto, &browser("", true), false),
            [Mode::Live, Mode::Soundtrack, Mode::Silent]
        );
        for setting in ModeSetting::ALL {
            assert_eq!(ModeSetting::parse(setting.as_str()), Some(setting));
        }
        assert_eq!(ModeSetting::parse("fast"), None);
    }

    #[test]
    fn voices_match_by_primary_language() {
        assert!(speaks("da-DK", "da"));
        assert!(speaks("en_GB", "en"));
        assert!(speaks("EN", "en"));
        assert!(!speaks("de-DE", "da"));
        assert!(!speaks("", "da"));
    }
}

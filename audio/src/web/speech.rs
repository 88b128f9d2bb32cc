//! Spoken guidance with the Web Speech API: the text cues are always on screen;
//! they are read aloud when the user wants it and the browser has a voice for
//! the session's language. Voices load asynchronously in some browsers
//! (`voiceschanged`), so the list is read when asked for, not once.
//!
//! Speech cannot be placed on an audio clock: it is started when the page sees
//! the player's clock pass a cue (see `stille_practice::follow`), so it may
//! come late in a throttled page and is skipped when too late. Bells never
//! depend on it.

use wasm_bindgen::JsCast;

use crate::mode::speaks;
use web_sys::{SpeechSynthesis, SpeechSynthesisUtterance, SpeechSynthesisVoice};

/// A voice the browser offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Voice {
    /// Stable identifier to store as the user's choice.
    pub id: String,
    pub name: String,
    /// BCP 47 language tag, e.g. "da-DK".
    pub lang: String,
    /// On the device (works offline) rather than a network voice.
    pub local: bool,
}

#[derive(Debug)]
pub struct Speaker {
    synthesis: SpeechSynthesis,
}

impl Speaker {
    /// `None` where the browser has no speech synthesis.
    pub fn new() -> Option<Speaker> {
        let synthesis = web_sys::window()?.speech_synthesis().ok()?;
        Some(Speaker { synthesis })
    }

    fn raw_voices(&self) -> Vec<SpeechSynthesisVoice> {
        self.synthesis.get_voices().iter().filter_map(|v| v.dyn_into::<SpeechSynthesisVoice>().ok()).collect()
    }

    /// The voices for `language` ("da" or "en"), local ones first.
    pub fn voices(&self, language: &str) -> Vec<Voice> {
        let mut voices: Vec<Voice> = self
            .raw_voices()
            .into_iter()
            .filter(|v| speaks(&v.lang(), language))
            .map(|v| Voice { id: v.voice_uri(), name: v.name(), lang: v.lang(), local: v.local_service() })
            .collect();
        voices.sort_by(|a, b| b.local.cmp(&a.local).then_with(|| a.name.cmp(&b.name)));
        voices
    }

    /// Reads `text` aloud in `language`, with the chosen voice when it still
    /// exists (else the browser's default for the language). Anything still
    /// being read is cut short: guidance must not queue up behind itself.
    /// Returns false when no voice for the language exists.
    pub fn say(&self, text: &str, language: &str, voice_id: Option<&str>) -> bool {
        let voices = self.raw_voices();
        let for_language: Vec<&SpeechSynthesisVoice> =
            voices.iter().filter(|v| speaks(&v.lang(), language)).collect();
        // Some browsers list no voices yet still speak a language they know;
        // with an empty list, let the browser try by the language tag alone.
        if !voices.is_empty() && for_language.is_empty() {
            return false;
        }
        let Ok(utterance) = SpeechSynthesisUtterance::new_with_text(text) else { return false };
        utterance.set_lang(match language {
            "da" => "da-DK",
            "en" => "en-GB",
            other => other,
        });
        let chosen = voice_id.and_then(|id| for_language.iter().find(|v| v.voice_uri() == id));
        if let Some(voice) = chosen.or(for_language.first()) {
            utterance.set_voice(Some(voice));
        }
        // A calm pace for guided practice.
        utterance.set_rate(0.9);
        self.synthesis.cancel();
        self.synthesis.speak(&utterance);
        true
    }

    pub fn silence(&self) {
        self.synthesis.cancel();
    }
}

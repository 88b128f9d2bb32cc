//! UI strings in Danish and English.
//!
//! Every string is a [`Key`]; [`t`] matches on (key, language), so a key without
//! both translations does not compile. Practice texts come from the catalog,
//! which checks its own translations at build time.

use leptos::prelude::*;
use stille_practice::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    SkipToContent,
    NavLabel,
    NavHome,
    NavPractices,
    HomeHeading,
    HomeIntro,
    HomeBrowse,
    HomeNoAccount,
    PracticesHeading,
    PracticesIntro,
    NotFoundHeading,
    NotFoundBody,
    NotFoundBack,
    Language,
    LabHeading,
    LabIntro,
    LabSupport,
    LabAvailable,
    LabMissing,
    LabPrepare,
    LabPlay,
    LabPause,
    LabStop,
    LabElapsed,
    LabBells,
    LabPlanned,
    LabObserved,
    LabNote,
    LabPreparedBytes,
    LabMeasure,
    LabMeasured,
    LabMode,
    LabModeSoundtrack,
    LabModeNaive,
}

pub fn t(lang: Lang, key: Key) -> &'static str {
    use Key::*;
    use Lang::{Da, En};
    match (key, lang) {
        (SkipToContent, Da) => "Gå til indhold",
        (SkipToContent, En) => "Skip to content",
        (NavLabel, Da) => "Hovedmenu",
        (NavLabel, En) => "Main menu",
        (NavHome, Da) => "Hjem",
        (NavHome, En) => "Home",
        (NavPractices, Da) => "Øvelser",
        (NavPractices, En) => "Practices",
        (HomeHeading, Da) => "Velkommen til Stille",
        (HomeHeading, En) => "Welcome to Stille",
        (HomeIntro, Da) => {
            "Guidede øvelser i mindfulness og medfølelse til din hjemmepraksis: \
             meditationer fra MSC, MBSR og MBCT, vejrtrækning og korte øvelser til at \
             finde ro i nervesystemet."
        }
        (HomeIntro, En) => {
            "Guided mindfulness and compassion practices for your home practice: \
             meditations from MSC, MBSR and MBCT, breathing, and short exercises to \
             settle the nervous system."
        }
        (HomeBrowse, Da) => "Se alle øvelser",
        (HomeBrowse, En) => "Browse all practices",
        (HomeNoAccount, Da) => "Du behøver ingen konto for at øve. Din historik bliver på din enhed.",
        (HomeNoAccount, En) => "You need no account to practise. Your history stays on your device.",
        (PracticesHeading, Da) => "Øvelser",
        (PracticesHeading, En) => "Practices",
        (PracticesIntro, Da) => "Vælg en øvelse. Du kan altid stoppe, åbne øjnene eller bevæge dig.",
        (PracticesIntro, En) => "Choose a practice. You can always stop, open your eyes or move.",
        (NotFoundHeading, Da) => "Siden findes ikke",
        (NotFoundHeading, En) => "Page not found",
        (NotFoundBody, Da) => "Der er ingen side på denne adresse.",
        (NotFoundBody, En) => "There is no page at this address.",
        (NotFoundBack, Da) => "Tilbage til forsiden",
        (NotFoundBack, En) => "Back to the home page",
        (Language, Da) => "Sprog",
        (Language, En) => "Language",
        (LabHeading, Da) => "Lydtest",
        (LabHeading, En) => "Audio check",
        (LabIntro, Da) => {
            "Tjek at klokkerne ringer til tiden på din telefon: forbered testen, tryk afspil, og lås \
             gerne skærmen. Der ringer en klokke hvert 20. sekund i tre minutter."
        }
        (LabIntro, En) => {
            "Check that bells ring on time on your phone: prepare the test, press play, and lock the \
             screen if you like. A bell rings every 20 seconds for three minutes."
        }
        (LabSupport, Da) => "Hvad denne browser kan",
        (LabSupport, En) => "What this browser supports",
        (LabAvailable, Da) => "ja",
        (LabAvailable, En) => "yes",
        (LabMissing, Da) => "nej",
        (LabMissing, En) => "no",
        (LabPrepare, Da) => "Forbered testen",
        (LabPrepare, En) => "Prepare the test",
        (LabPlay, Da) => "Afspil",
        (LabPlay, En) => "Play",
        (LabPause, Da) => "Pause",
        (LabPause, En) => "Pause",
        (LabStop, Da) => "Stop",
        (LabStop, En) => "Stop",
        (LabElapsed, Da) => "Forløbet (lydens ur)",
        (LabElapsed, En) => "Elapsed (audio clock)",
        (LabBells, Da) => "Klokker",
        (LabBells, En) => "Bells",
        (LabPlanned, Da) => "Planlagt",
        (LabPlanned, En) => "Planned",
        (LabObserved, Da) => "Set af siden",
        (LabObserved, En) => "Seen by the page",
        (LabNote, Da) => {
            "Lyden er lagt ind i ét lydspor på forhånd, så den ringer til tiden, selv når siden ikke \
             bliver opdateret. \"Set af siden\" er hvornår siden opdagede klokken på lydens ur: med \
             låst skærm kan den komme sent, mens lyden stadig kommer til tiden. Lyt efter."
        }
        (LabNote, En) => {
            "The sound is laid into one soundtrack in advance, so it rings on time even when the page \
             is not updating. \"Seen by the page\" is when the page noticed the bell on the audio clock: \
             with the screen locked it may come late while the sound stays on time. Listen for it."
        }
        (LabMeasure, Da) => {
            "Mål lyden der kommer ud (sender lyden gennem Web Audio; ikke til test med låst skærm på iPhone)"
        }
        (LabMeasure, En) => {
            "Measure the sound that comes out (routes it through Web Audio; not for locked-screen checks on iPhone)"
        }
        (LabMode, Da) => "Afspilning",
        (LabMode, En) => "Playback",
        (LabModeSoundtrack, Da) => "Stilles lydspor (som i øvelserne)",
        (LabModeSoundtrack, En) => "Stille's soundtrack (as in the practices)",
        (LabModeNaive, Da) => "En enkel timer (setTimeout), til sammenligning",
        (LabModeNaive, En) => "A plain timer (setTimeout), for comparison",
        (LabMeasured, Da) => "Målt i lyden",
        (LabMeasured, En) => "Measured in the output",
        (LabPreparedBytes, Da) => "Klar: lydspor på",
        (LabPreparedBytes, En) => "Ready: soundtrack of",
    }
}

/// The language the UI speaks, shared through context.
#[derive(Clone, Copy, Debug)]
pub struct UiLang(pub RwSignal<Lang>);

/// The UI language from context; English when no provider is mounted.
pub fn use_lang() -> Signal<Lang> {
    match use_context::<UiLang>() {
        Some(UiLang(lang)) => lang.into(),
        None => Signal::stored(Lang::En),
    }
}

/// The browser's preferred language, as far as Stille speaks it.
pub fn browser_lang() -> Lang {
    let languages: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages())
        .map(|list| list.iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default();
    Lang::from_preferences(languages.iter().map(String::as_str))
}

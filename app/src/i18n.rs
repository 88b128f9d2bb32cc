//! UI strings in Danish and English.
//!
//! Every string is a [`Key`] with its Danish and its English text on the lines
//! of one entry in the `strings!` table below: a key without both does not
//! compile. [`t`] looks a key up in the language's table. Practice texts come
//! from the catalog, which checks its own translations at build time.
//!
//! The release build (`--cfg stille_split`, see split.rs) does not carry the
//! tables: a phone needs one language at a time, and the first screens a few
//! dozen of some 700 words; the words of every screen in both languages were
//! a quarter of the first download's data. xtask writes each language's words
//! from this file into two files (`xtask/src/strings.rs`): the first screens'
//! (`assets/strings-<fingerprint>.<lang>.json`, which the page preloads and
//! [`load`] fetches before the app starts) and the rest (`….rest.json`, which
//! [`load_rest`] fetches with the first other screen). A switch of language
//! fetches what is needed before it switches. The fingerprint
//! ([`FINGERPRINT`], taken of both tables while compiling) names the files, so
//! words that do not match this build are never used.

use leptos::prelude::*;
use stille_practice::Lang;

/// Declares [`Key`], the two tables and their [`FINGERPRINT`] from
/// `Key: "dansk", "English";` entries.
macro_rules! strings {
    ($($key:ident: $da:literal, $en:literal;)*) => {
        /// A UI string; its texts are in the table of `i18n.rs`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Key {
            $($key,)*
        }

        /// How many keys there are (each fetched table has this many texts).
        pub const COUNT: usize = [$(Key::$key,)*].len();

        /// [`fingerprint`] of both tables, taken while compiling: the release
        /// build keeps this number, not the texts.
        pub const FINGERPRINT: u64 = fingerprint(&[$($da,)*], &[$($en,)*]);

        #[cfg(not(stille_split))]
        const DA: &[&str] = &[$($da,)*];
        #[cfg(not(stille_split))]
        const EN: &[&str] = &[$($en,)*];
    };
}

/// FNV-1a (64 bits) over every Danish text and then every English one, each
/// followed by a zero byte. xtask takes the same sum over the same table when
/// it writes the files (`xtask/src/strings.rs`).
pub const fn fingerprint(da: &[&str], en: &[&str]) -> u64 {
    let tables = [da, en];
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    let mut t = 0;
    while t < tables.len() {
        let mut i = 0;
        while i < tables[t].len() {
            let bytes = tables[t][i].as_bytes();
            let mut j = 0;
            while j < bytes.len() {
                hash = (hash ^ bytes[j] as u64).wrapping_mul(0x0100_0000_01b3);
                j += 1;
            }
            hash = hash.wrapping_mul(0x0100_0000_01b3);
            i += 1;
        }
        t += 1;
    }
    hash
}

/// The release build's two files of `lang`'s words: the first screens'
/// (`rest` false) and the others' (see `xtask/src/strings.rs`).
pub fn table_url(lang: Lang, rest: bool) -> String {
    format!("/assets/strings-{FINGERPRINT:016x}.{}{}.json", lang.tag(), if rest { ".rest" } else { "" })
}

/// The text of `key` in `lang`.
#[cfg(not(stille_split))]
pub fn t(lang: Lang, key: Key) -> &'static str {
    let table = match lang {
        Lang::Da => DA,
        Lang::En => EN,
    };
    table.get(key as usize).copied().unwrap_or("")
}

/// Makes `lang`'s first screens' words available to [`t`] (and the rest, once
/// [`load_rest`] has been asked): at once where they are compiled in,
/// fetched once in the release build.
#[cfg(not(stille_split))]
pub async fn load(_: Lang) -> Result<(), String> {
    Ok(())
}

/// Starts fetching the words of the screens past the first, in every
/// language asked for so far; the returned future is ready when they are
/// here (or could not be had). A screen's loader (split.rs) starts this
/// beside its chunk and awaits both before drawing it.
#[cfg(not(stille_split))]
pub fn load_rest() -> impl std::future::Future<Output = ()> {
    std::future::ready(())
}

#[cfg(stille_split)]
pub use fetched::{load, load_rest, t};

/// The release build's words, fetched: each language's texts as they arrive
/// (first part, then the rest), kept for the page's life as compiled-in
/// tables are.
#[cfg(stille_split)]
mod fetched {
    use std::cell::{Cell, RefCell};

    use leptos::prelude::{ArcTrigger, Notify, Track};
    use stille_practice::Lang;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::{JsFuture, future_to_promise};

    use super::{COUNT, Key, table_url};

    thread_local! {
        /// Each language's texts (Danish, English), `None` until its part is here.
        static TABLES: RefCell<[Vec<Option<&'static str>>; 2]> = RefCell::new([vec![None; COUNT], vec![None; COUNT]]);
        /// Each fetch begun, by language and part (first, rest): awaited by all who need it.
        static FETCHES: RefCell<[[Option<js_sys::Promise>; 2]; 2]> = RefCell::new(Default::default());
        /// Whether the rest has been asked for (then a switch fetches it too).
        static REST_WANTED: Cell<bool> = const { Cell::new(false) };
        /// Notified when words arrive, for the texts that were asked for too early.
        static ARRIVED: ArcTrigger = ArcTrigger::new();
    }

    fn index(lang: Lang) -> usize {
        match lang {
            Lang::Da => 0,
            Lang::En => 1,
        }
    }

    /// The text of `key` in `lang`. A word not here yet (one the first file
    /// lacks, asked for before the rest arrived) is empty for a moment: the
    /// rest is fetched, and a reactive view showing it is drawn again.
    pub fn t(lang: Lang, key: Key) -> &'static str {
        if let Some(text) =
            TABLES.with_borrow(|tables| tables[index(lang)].get(key as usize).copied().flatten())
        {
            return text;
        }
        ARRIVED.with(|arrived| arrived.track());
        let _ = fetch(lang, true);
        ""
    }

    pub async fn load(lang: Lang) -> Result<(), String> {
        // Both begun before either is awaited.
        let first = fetch(lang, false);
        let rest = REST_WANTED.get().then(|| fetch(lang, true));
        settled(first).await?;
        match rest {
            Some(rest) => settled(rest).await,
            None => Ok(()),
        }
    }

    pub fn load_rest() -> impl std::future::Future<Output = ()> {
        REST_WANTED.set(true);
        let here: Vec<Lang> = [Lang::Da, Lang::En]
            .into_iter()
            .filter(|lang| FETCHES.with_borrow(|f| f[index(*lang)][0].is_some()))
            .collect();
        let fetches: Vec<js_sys::Promise> = here.into_iter().map(|lang| fetch(lang, true)).collect();
        async move {
            for fetch in fetches {
                if let Err(error) = settled(fetch).await {
                    leptos::logging::warn!("{error}");
                }
            }
        }
    }

    /// Waits for a fetch: its promise never rejects (nobody need catch it),
    /// but resolves to the reason when it failed.
    async fn settled(fetch: js_sys::Promise) -> Result<(), String> {
        match JsFuture::from(fetch).await {
            Ok(value) => value.as_string().map_or(Ok(()), Err),
            Err(value) => Err(value.as_string().unwrap_or_default()),
        }
    }

    /// The fetch of `lang`'s first part or rest: begun now if it has not been
    /// (or failed before).
    fn fetch(lang: Lang, rest: bool) -> js_sys::Promise {
        let (which, part) = (index(lang), usize::from(rest));
        if let Some(begun) = FETCHES.with_borrow(|f| f[which][part].clone()) {
            return begun;
        }
        // The future runs from a later microtask, so it never finds its own
        // slot still empty.
        let promise = future_to_promise(async move {
            match fetch_part(lang, rest).await {
                Ok(()) => Ok(JsValue::UNDEFINED),
                Err(reason) => {
                    // Asked again, it is fetched again.
                    FETCHES.with_borrow_mut(|f| f[which][part] = None);
                    Ok(JsValue::from_str(&reason))
                }
            }
        });
        FETCHES.with_borrow_mut(|f| f[which][part] = Some(promise.clone()));
        promise
    }

    async fn fetch_part(lang: Lang, rest: bool) -> Result<(), String> {
        let url = table_url(lang, rest);
        let reason = |value: JsValue| {
            js_sys::Reflect::get(&value, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| format!("{value:?}"))
        };
        let window = web_sys::window().ok_or("no window")?;
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str(&url)).await.map_err(reason)?.dyn_into().map_err(reason)?;
        if !response.ok() {
            return Err(format!("{url}: HTTP {}", response.status()));
        }
        let text = JsFuture::from(response.text().map_err(reason)?).await.map_err(reason)?;
        let texts = parse(&text.as_string().unwrap_or_default()).map_err(|e| format!("{url}: {e}"))?;
        TABLES.with_borrow_mut(|tables| {
            for (place, text) in tables[index(lang)].iter_mut().zip(texts) {
                if let Some(text) = text {
                    *place = Some(&*text.leak());
                }
            }
        });
        ARRIVED.with(|arrived| arrived.notify());
        Ok(())
    }

    /// A fetched part: a JSON array with exactly [`COUNT`] places, each a
    /// text or `null`.
    fn parse(json: &str) -> Result<Vec<Option<String>>, String> {
        let value = js_sys::JSON::parse(json).map_err(|_| "not JSON".to_owned())?;
        let array: js_sys::Array = value.dyn_into().map_err(|_| "not a list".to_owned())?;
        if array.length() as usize != COUNT {
            return Err(format!("{} places where this build has {COUNT} words", array.length()));
        }
        array
            .iter()
            .map(|v| match v.as_string() {
                Some(text) => Ok(Some(text)),
                None if v.is_null() => Ok(None),
                None => Err("a place that is neither a text nor null".to_owned()),
            })
            .collect()
    }
}

strings! {
    SkipToContent: "Gå til indhold", "Skip to content";
    NavLabel: "Hovedmenu", "Main menu";
    NavHome: "Hjem", "Home";
    NavPractices: "Øvelser", "Practices";
    NavMenu: "Menu", "Menu";
    NavAccount: "Konto", "Account";
    NavTeach: "Undervisning", "Teaching";
    HomeHeading: "Velkommen til Stille", "Welcome to Stille";
    HomeIntro:
        "Guidede øvelser i mindfulness og medfølelse til din hjemmepraksis: meditationer fra MSC, MBSR og MBKT, vejrtrækning og korte øvelser til at finde ro i nervesystemet.",
        "Guided mindfulness and compassion practices for your home practice: meditations from MSC, MBSR and MBCT, breathing, and short exercises to settle the nervous system.";
    HomeBrowse: "Se alle øvelser", "Browse all practices";
    HomeNoAccount:
        "Du behøver ingen konto for at øve. Din historik bliver på din enhed.",
        "You need no account to practise. Your history stays on your device.";
    PracticesHeading: "Øvelser", "Practices";
    PracticesIntro:
        "Vælg en øvelse. Du kan altid stoppe, åbne øjnene eller bevæge dig.",
        "Choose a practice. You can always stop, open your eyes or move.";
    NotFoundHeading: "Siden findes ikke", "Page not found";
    NotFoundBody: "Der er ingen side på denne adresse.", "There is no page at this address.";
    NotFoundBack: "Tilbage til forsiden", "Back to the home page";
    Language: "Sprog", "Language";
    LabHeading: "Lydtest", "Audio check";
    LabIntro:
        "Tjek at lyden kommer til tiden på din telefon: vælg en test, forbered den, tryk afspil, og lås gerne skærmen eller skift til en anden app. Klokketesten ringer hvert 20. sekund i tre minutter.",
        "Check that sound comes on time on your phone: choose a test, prepare it, press play, and lock the screen or switch to another app if you like. The bell test rings every 20 seconds for three minutes.";
    LabSupport: "Hvad denne browser kan", "What this browser supports";
    LabAvailable: "ja", "yes";
    LabMissing: "nej", "no";
    LabPrepare: "Forbered testen", "Prepare the test";
    LabPlay: "Afspil", "Play";
    LabPause: "Pause", "Pause";
    LabStop: "Stop", "Stop";
    LabElapsed: "Forløbet (lydens ur)", "Elapsed (audio clock)";
    LabBells: "Klokker", "Bells";
    LabPlanned: "Planlagt", "Planned";
    LabObserved: "Set af siden", "Seen by the page";
    LabNote:
        "Al lyd er lagt på lydens eget ur, før afspilningen begynder (som ét lydspor eller planlagt i Web Audio), så den kommer til tiden, selv når siden ikke bliver opdateret. \"Set af siden\" er hvornår siden opdagede klokken på lydens ur: med låst skærm kan den komme sent, mens lyden stadig kommer til tiden. Lyt efter.",
        "All sound is placed on the audio clock before playback starts (as one soundtrack, or scheduled in Web Audio), so it comes on time even when the page is not updating. \"Seen by the page\" is when the page noticed the bell on the audio clock: with the screen locked it may come late while the sound stays on time. Listen for it.";
    LabReady: "Klar:", "Ready:";
    LabMeasure:
        "Mål lyden der kommer ud (sender lyden gennem Web Audio, og i Safari og andre WebKit-browsere flytter den vej selv lyden lidt; ikke til test med låst skærm på iPhone)",
        "Measure the sound that comes out (routes it through Web Audio, and in Safari and other WebKit browsers that route itself shifts the sound a little; not for locked-screen checks on iPhone)";
    LabMeasured: "Målt i lyden", "Measured in the output";
    LabMode: "Afspilning", "Playback";
    LabModeAuto: "Som i øvelserne (din indstilling)", "As in the practices (your setting)";
    LabModeSoundtrack:
        "Som én lydfil (spiller videre med låst skærm)",
        "Soundtrack (plays on with the screen locked)";
    LabModeLive:
        "Lyd skabt undervejs (følger åndedrætsguiden tættest)",
        "Live (sound made as it plays, closest to the breathing pacer)";
    LabModeSilent: "Uden lyd (kun tekst på skærmen)", "Without sound (text on screen only)";
    LabModeNaive:
        "En enkel timer (setTimeout), til sammenligning",
        "A plain timer (setTimeout), for comparison";
    LabModeInUse: "Afspilning i brug", "Playback in use";
    LabAutomatic: "Automatisk valg her", "Automatic choice here";
    LabTest: "Test", "Test";
    LabTestBells: "Klokker hvert 20. sekund (3 min)", "Bells every 20 seconds (3 min)";
    LabTestTimer:
        "Stille timer, 45 min med 10 klokker undervejs",
        "Silent timer, 45 min with 10 interval bells";
    LabTestVoice:
        "Indtalt stemme: et minut med klokker og lydklip",
        "Recorded voice: a minute of bells and clips";
    LabTestScanVoice:
        "Kropsscanning, 45 min, med indtalt stemme (måling)",
        "Body scan, 45 min, with a recorded voice (benchmark)";
    LabTestGuided:
        "Guidet: tre minutters åndehul (tekst og tale)",
        "Guided: three-minute breathing space (text and speech)";
    LabBusy:
        "Travl side: bloker siden i 5 sekunder omkring den anden klokke",
        "Busy page: block the page for 5 seconds around the second bell";
    LabBlock: "Blokering", "Block";
    LabBlockNotYet: "ikke sket", "not yet";
    LabBlockHidden: "sket mens siden var skjult", "happened while the page was hidden";
    LabBlockVisible: "sket mens siden var synlig", "happened while the page was visible";
    LabHidden: "Tid siden var skjult", "Time the page was hidden";
    LabResume: "Fortsæt ved", "Resume at";
    LabInterrupted:
        "Lyden blev afbrudt af telefonen. Tryk Afspil for at fortsætte, hvor du var.",
        "The phone interrupted the sound. Press Play to carry on where you were.";
    LabVoices: "Stemmer på dansk", "Voices in English";
    NavSettings: "Indstillinger", "Settings";
    SettingsHeading: "Indstillinger", "Settings";
    SettingsPlayback: "Afspilning", "Playback";
    SettingsPlaybackHelp:
        "Med Automatisk spilles øvelsen som én lydfil, der fortsætter med låst skærm og har knapper på låseskærmen – hvis telefonen kan. Ellers skabes lyden undervejs.",
        "Automatic plays the practice as one sound file, which plays on with the screen locked and has controls on the lock screen, wherever the phone can; otherwise the sound is made as it plays.";
    SettingsPlaybackAuto: "Automatisk", "Automatic";
    SettingsSpeech: "Læs vejledningen højt", "Read the guidance aloud";
    SettingsSpeechHelp:
        "Teksten vises altid på skærmen. Oplæsning bruger telefonens egne stemmer, når der er en på sproget.",
        "The text is always shown on screen. Reading aloud uses the phone's own voices, when it has one for the language.";
    SettingsVoice: "Stemme", "Voice";
    SettingsVoiceDefault: "Telefonens standard", "The phone's default";
    SettingsVoiceNone:
        "Denne browser har ingen stemme på dansk. Vejledningen vises som tekst.",
        "This browser has no voice in English. The guidance is shown as text.";
    SettingsVoiceTry: "Prøv stemmen", "Try the voice";
    SettingsVoiceSample:
        "Mærk fødderne mod gulvet, og lad åndedrættet være, som det er.",
        "Feel your feet on the floor, and let the breath be as it is.";
    PracticeNotFound: "Øvelsen findes ikke", "There is no such practice";
    PracticeBack: "← Alle øvelser", "← All practices";
    PracticeLength: "Længde", "Length";
    PracticeAnchor: "Hvor opmærksomheden hviler", "Where attention rests";
    PracticeEyes: "Øjnene", "Eyes";
    PracticeEyesClosed:
        "Lukkede (eller halvt åbne med blikket sænket)",
        "Closed (or half open, gaze lowered)";
    PracticeEyesOpen: "Åbne", "Open";
    PracticeBell: "Klokke", "Bell";
    BellBowl: "Syngeskål", "Singing bowl";
    BellTemple: "Tempelklokke", "Temple bell";
    BellChime: "Lys klokke", "Light chime";
    BellWood: "Træ", "Wooden knock";
    PracticeInterval: "Klokker undervejs", "Interval bells";
    PracticeIntervalNone: "Ingen", "None";
    PracticeIntervalEvery: "Hver", "Every";
    PracticeAmbient: "Baggrundslyd", "Background sound";
    AmbientNone: "Ingen (stilhed)", "None (silence)";
    AmbientPink: "Blød susen (lyserød støj)", "Soft rushing (pink noise)";
    AmbientBrown: "Dyb, mørk susen (brun støj)", "Deep, low rushing (brown noise)";
    PracticeStart: "Begynd", "Begin";
    PracticeSource: "Kilde", "Source";
    PracticeCaution: "Før du begynder", "Before you begin";
    PracticeModule: "Modulets vidensdel", "The module's knowledge part";
    PaceHeading: "Dit tempo", "Your pace";
    PaceBreathsAMinute: "Åndedrag i minuttet", "Breaths a minute";
    PaceOwn: "Øvelsens eget", "The practice's own";
    PaceInhale: "Indånding, sekunder", "Breathing in, seconds";
    PaceTopUp: "Lille ekstra indånding, sekunder", "Small extra breath in, seconds";
    PaceHoldIn: "Hold vejret efter indånding, sekunder", "Hold after breathing in, seconds";
    PaceExhale: "Udånding, sekunder", "Breathing out, seconds";
    PaceHoldOut: "Pause efter udånding, sekunder", "Pause after breathing out, seconds";
    PaceReset: "Tilbage til øvelsens eget tempo", "Back to the practice's own pace";
    PaceHelp:
        "Telefonen husker dit valg til næste gang. En pause, hvor du holder vejret, kan være fra 0 til 7 sekunder.",
        "This phone remembers your choice for next time. A pause where you hold your breath can be 0 to 7 seconds.";
    PracticeInformal:
        "Denne øvelse gøres i hverdagen. Spørgsmålene her kan guide dig:",
        "This practice is done in daily life. These questions can guide you:";
    PlayerBack: "Tilbage til øvelsen", "Back to the practice";
    PlayerPause: "Pause", "Pause";
    PlayerResumeAt: "Fortsæt ved", "Resume at";
    PlayerContinue: "Fortsæt", "Continue";
    PlayerPlay: "Begynd", "Begin";
    PlayerStop: "Stop", "Stop";
    PlayerGround:
        "Bliver det for meget? Skift til to minutter med åbne øjne",
        "Too much right now? Switch to two minutes with open eyes";
    PlayerRemaining: "Tid tilbage", "Time remaining";
    PlayerDone:
        "Øvelsen er slut. Giv dig et øjeblik, før du går videre.",
        "The practice has ended. Take a moment before you move on.";
    TakeLoading: "Henter optagelsen …", "Fetching the recording…";
    TakeNotFound:
        "Optagelsen findes ikke, eller den er ikke delt med dig.",
        "This recording does not exist, or it is not shared with you.";
    TakeOffline:
        "Optagelsen er ikke gemt på telefonen, og der er ingen forbindelse. Prøv igen, når du er på nettet.",
        "This recording is not kept on this phone and there is no connection. Try again when you are online.";
    TakeFallbackTitle: "En optagelse fra din underviser", "A recording from your teacher";
    TakeBack: "Til forsiden", "To the home screen";
    TakeBy: "Indtalt af", "Recorded by";
    TakeBells:
        "Med en klokke, når optagelsen begynder, og en, når den slutter.",
        "With a bell as the recording begins and one as it ends.";
    TakeKept:
        "Gemt på telefonen – kan afspilles uden net.",
        "Kept on this phone – plays without a network.";
    TakeNotKept:
        "Hentes, når du afspiller den. Derefter ligger den på telefonen.",
        "Fetched when you play it. After that it stays on this phone.";
    TakeKeepFailed: "Optagelsen kunne ikke gemmes på telefonen", "The recording could not be kept on this phone";
    TakeNoBells: "Optagelsen spiller uden klokker", "The recording plays without bells";
    TakeFailed: "Optagelsen kan ikke afspilles", "The recording cannot be played";
    WeekTakes: "Fra din underviser", "From your teacher";
    SettingsRecordings: "Optagelser", "Recordings";
    SettingsTeacherVoice: "Brug din undervisers stemme, når der er en", "Use your teacher's voice when there is one";
    SettingsTeacherVoiceHelp:
        "Har din underviser indtalt en øvelse, hører du den med underviserens egen stemme. Ellers læser telefonen op, eller teksten står på skærmen.",
        "When your teacher has recorded a practice, you hear their voice. Otherwise the phone reads aloud, or the words are shown on screen.";
    PlayerVoiceTeacher: "Stemme: din underviser,", "Voice: your teacher,";
    PlayerVoicePublished: "Stemme: indtalt af", "Voice: recorded by";
    PracticeVoiceTeacher: "Din underviser,", "Your teacher,";
    PracticeVoicePublished: "Indtalt af", "Recorded by";
    PracticeVoiceDevice: "Telefonen læser op", "The phone reads aloud";
    PracticeVoiceWords: "Ingen stemme: teksten står på skærmen", "No voice: the words are on screen";
    PracticeVoiceFewerLengths:
        "Den indtalte stemme passer ikke til alle længder. Vælg telefonens oplæsning, hvis du vil have dem alle.",
        "The recorded voice does not fit every length. Choose the phone's voice if you want them all.";
    PlayerVoiceDevice: "Stemme: telefonens oplæsning", "Voice: the phone reads aloud";
    PlayerVoiceWords: "Ingen stemme: teksten står på skærmen", "No voice: the words are on screen";
    PlayerVoiceLoading: "Henter din undervisers stemme …", "Fetching your teacher's voice…";
    PlayerVoiceUnused: "Din undervisers stemme bruges ikke denne gang", "Your teacher's voice is not used this time";
    SettingsRecordingsHelp:
        "Din undervisers optagelser gemmes på telefonen, så du kan lytte uden net.",
        "Your teacher's recordings are kept on this phone, so you can listen without a network.";
    SettingsRecordingsNone: "Ingen optagelser er gemt på telefonen.", "No recordings are kept on this phone.";
    SettingsRecordingsUse: "gemt på telefonen:", "kept on this phone:";
    SettingsRecordingsOne: "1 optagelse", "1 recording";
    SettingsRecordingsMany: "optagelser", "recordings";
    SettingsRecordingsRemove: "Fjern optagelserne fra telefonen", "Remove the recordings from this phone";
    SettingsRecordingsRemoved:
        "Optagelserne er fjernet. De hentes igen, næste gang du afspiller dem.",
        "The recordings have been removed. They are fetched again the next time you play them.";
    BreathIn: "Ånd ind", "Breathe in";
    BreathTopUp: "Lidt mere ind", "A little more in";
    BreathHoldIn: "Hold", "Hold";
    BreathOut: "Ånd ud", "Breathe out";
    BreathHoldOut: "Hvil", "Rest";
    NavHistory: "Historik", "History";
    HistoryHeading: "Din praksis", "Your practice";
    HistoryMeasures:
        "Spørgeskemaer: se, om noget ændrer sig",
        "Questionnaires: see whether anything is changing";
    MeasuresHeading: "Spørgeskemaer", "Questionnaires";
    MeasuresIntro:
        "Korte, anerkendte spørgeskemaer, som du kan besvare, når du vil – fx før og efter et forløb – og se, om noget ændrer sig over tid. De stiller ikke en diagnose. Dine svar gemmes på telefonen og følger kun med til din konto, hvis du er logget ind.",
        "Short, well-known questionnaires you can answer whenever you like – before and after a course, say – to see whether anything changes over time. They do not make a diagnosis. Your answers are kept on this phone and go to your account only if you are signed in.";
    MeasuresAbout: "ca.", "about";
    MeasuresMinutes: "min.", "min";
    MeasuresAnswer: "Besvar", "Answer";
    MeasuresResume: "Fortsæt, hvor du slap", "Continue where you left off";
    MeasuresLatest: "Senest", "Latest";
    MeasuresNotYet: "Ikke besvaret endnu.", "Not answered yet.";
    MeasureBack: "Alle spørgeskemaer", "All questionnaires";
    MeasureNotFound: "Det spørgeskema findes ikke.", "There is no such questionnaire.";
    MeasureOf: "af", "of";
    MeasureAnswered: "besvaret", "answered";
    MeasureSubmit: "Se mit resultat", "See my result";
    MeasureStillToAnswer: "Du mangler at svare på nr.", "Still to answer: no.";
    MeasureResumed:
        "Dine svar fra sidst er gemt. Du kan fortsætte eller begynde forfra.",
        "Your answers from last time are kept. You can continue or start over.";
    MeasureStartOver: "Begynd forfra", "Start over";
    MeasureUnvalidated:
        "Denne danske formulering er Stilles egen oversættelse og er ikke valideret. Dit resultat kan derfor ikke sammenlignes direkte med undersøgelser, der bruger en valideret udgave.",
        "This English wording is Stille's own translation and has not been validated. Your result cannot be compared directly with studies that use a validated version.";
    MeasureAboutHeading: "Om spørgeskemaet", "About this questionnaire";
    MeasureCitation: "Kilde", "Source";
    MeasureWording: "Formuleringen", "The wording";
    MeasureLicence: "Vilkår for brug", "Terms of use";
    MeasureValidatedMark: "valideret udgave", "validated version";
    MeasureUnvalidatedMark: "ikke valideret oversættelse", "unvalidated translation";
    MeasureResultHeading: "Dit resultat", "Your result";
    MeasureScale: "på en skala fra", "on a scale from";
    MeasureTo: "til", "to";
    MeasureNotDiagnosis:
        "Resultatet er ikke en diagnose. Det siger noget om, hvordan du har haft det i den periode, spørgsmålene handler om.",
        "The result is not a diagnosis. It says something about how you have been during the time the questions ask about.";
    MeasureConcern:
        "Dine svar tyder på, at du har det svært for tiden. Det er ikke en diagnose, men det er værd at tale med din læge eller din underviser om. Har du brug for nogen at tale med nu, kan du finde hjælp her:",
        "Your answers suggest that things are hard for you at the moment. It is not a diagnosis, but it is worth talking to your doctor or your teacher about. If you need someone to talk to now, you can find help here:";
    MeasureSince: "Siden første gang", "Since the first time";
    MeasureBetter:
        "En ændring, der regnes som betydningsfuld – i den gode retning.",
        "A change that counts as meaningful – for the better.";
    MeasureWorse:
        "En ændring, der regnes som betydningsfuld – i retning af at have det sværere. Det kan være godt at tale med din underviser eller din læge om det.",
        "A change that counts as meaningful – for the worse. It may help to talk it over with your teacher or your doctor.";
    MeasureSame:
        "Inden for det, der regnes som samme niveau.",
        "Within what counts as the same level.";
    MeasureOverTime: "Dine svar over tid", "Your answers over time";
    MeasureHigherBetter: "Højere er bedre.", "Higher is better.";
    MeasureLowerBetter: "Lavere er bedre.", "Lower is better.";
    MeasureChartLabel: "Dine resultater over tid", "Your results over time";
    MeasureSaved:
        "Gemt på din telefon. Du kan besvare det igen senere, fx når forløbet slutter.",
        "Saved on your phone. You can answer it again later, when the course ends, say.";
    HistoryEmpty:
        "Her kommer dine øvelser til at stå, når du har øvet. Alt bliver på denne enhed.",
        "Your practices will appear here once you have practised. Everything stays on this device.";
    HistoryUnreadable:
        "gemte registreringer kunne ikke læses. De er ikke blevet ændret.",
        "saved records could not be read and have been left as they are.";
    HistoryCompleted: "gennemført", "completed";
    HistoryStopped: "stoppet undervejs", "stopped early";
    HistoryUnfinished: "ikke afsluttet", "not finished";
    HistoryOf: "af", "of";
    HistorySeconds: "sek.", "s";
    HistoryBegun:
        "Godt, at du begyndte. Under et halvt minut tæller ikke med i dine dage og minutter.",
        "Good that you began. A start under half a minute isn't counted in your days and minutes.";
    HistoryDelete: "Slet", "Delete";
    HistoryDeleteConfirm: "Tryk igen for at slette", "Press again to delete";
    NavHelp: "Brug for hjælp nu?", "Need help now?";
    HelpHeading: "Brug for hjælp nu?", "Need help now?";
    HelpEmergency: "Er du eller en anden i fare?", "Are you or someone else in danger?";
    HelpSuicide: "Tanker om selvmord?", "Thoughts of suicide?";
    HelpMedical:
        "Brug for en læge uden for lægens åbningstid?",
        "Need a doctor outside your GP's opening hours?";
    HelpPsychiatric: "Akut psykisk krise?", "An acute mental health crisis?";
    HelpYoung: "Er du barn eller ung?", "Are you a child or young person?";
    HelpCall: "Ring", "Call";
    HelpSources:
        "Hvor numre og tider kommer fra (tjekket 7. december 2026)",
        "Where the numbers and hours come from (checked 7 December 2026)";
    HelpInstructor: "Din underviser", "Your instructor";
    HelpInstructorText:
        "Går du på et forløb, så kontakt din underviser, som I har aftalt. Stille er ikke en krisetjeneste.",
        "If you are in a course, contact your instructor as you have agreed. Stille is not a crisis service.";
    HelpInPractice:
        "Under en øvelse kan du altid stoppe, åbne øjnene, bevæge dig eller trække vejret, som du har brug for.",
        "During a practice you can always stop, open your eyes, move or breathe as you need to.";
    SettingsData: "Dine data på denne enhed", "Your data on this device";
    SettingsDataHelp:
        "Din historik og dine indstillinger ligger kun her, på denne telefon. Du kan hente en kopi eller slette det hele.",
        "Your history and settings are kept only here, on this phone. You can download a copy or erase it all.";
    SettingsDataHelpSynced:
        "Din historik ligger her på telefonen og, fordi du er logget ind, også på din konto, så du kan få den med på en ny telefon. Du kan hente en kopi eller slette telefonens kopi.",
        "Your history is kept here on this phone and, as you are signed in, on your account too, so it can come with you to a new phone. You can download a copy or erase this phone's copy.";
    SettingsExport: "Hent en kopi af mine data", "Download a copy of my data";
    SettingsErase: "Slet mine data på denne enhed", "Erase my data on this device";
    SettingsEraseConfirm:
        "Tryk igen: alt slettes og kan ikke hentes tilbage",
        "Press again: everything is erased and cannot be brought back";
    SettingsErased: "Dine data er slettet fra denne enhed.", "Your data has been erased from this device.";
    SettingsTheme: "Udseende", "Appearance";
    SettingsThemeSystem: "Som telefonen", "As the phone";
    SettingsThemeLight: "Lyst", "Light";
    SettingsThemeDark: "Mørkt", "Dark";
    UpdateReady: "En ny version af Stille er klar.", "A new version of Stille is ready.";
    UpdateReload: "Genindlæs", "Reload";
    AfterHeading: "Giv dig et øjeblik", "Take a moment";
    AfterIntro:
        "Før du går videre, kan du lægge mærke til, hvordan du har det lige nu. Alt her er frivilligt.",
        "Before you move on, you can notice how you are right now. Everything here is optional.";
    AfterDistress:
        "Hvor meget uro eller belastning mærker du lige nu?",
        "How much distress do you feel right now?";
    AfterDistressNone: "0 = ingen", "0 = none";
    AfterDistressMost: "10 = det mest tænkelige", "10 = the most you can imagine";
    AfterLadder: "Hvor er du på stigen?", "Where are you on the ladder?";
    LadderVentral: "Tryg og forbundet", "Safe and connected";
    LadderVentralHint: "rolig, nysgerrig, i kontakt med andre", "calm, curious, in touch with others";
    LadderSympathetic: "På vagt og oppe i gear", "Alert and mobilised";
    LadderSympatheticHint:
        "urolig, travl, klar til kamp eller flugt",
        "restless, rushing, ready to fight or flee";
    LadderDorsal: "Lukket ned", "Shut down";
    LadderDorsalHint: "tung, fjern, uden energi", "heavy, far away, no energy";
    AfterNote: "En note til dig selv (frivillig)", "A note for yourself (optional)";
    AfterPrivate: "Det, du skriver her, bliver på denne enhed.", "What you write here stays on this device.";
    AfterSave: "Gem", "Save";
    AfterSkip: "Spring over", "Skip";
    WorryHeading: "Det lyder svært lige nu", "That sounds hard right now";
    WorryIntro:
        "Tak, fordi du mærkede efter og skrev det ned. Når det er så svært, er det vigtigste ikke at øve mere, men at finde lidt fodfæste. Du bestemmer selv, hvad der er rigtigt for dig nu.",
        "Thank you for checking in and writing it down. When it is this hard, what matters is not to practise more but to find a little footing. You decide what is right for you now.";
    WorryOrienting:
        "Orientering: to minutter med åbne øjne",
        "Orienting: two minutes with your eyes open";
    WorryHelp: "Hvem du kan ringe eller skrive til nu", "Who you can call or write to now";
    WorryTeacher: "Du kan også fortælle din underviser,", "You can also tell your teacher,";
    WorryTeachers: "Du kan også fortælle dine undervisere,", "You can also tell your teachers,";
    WorryTeacherTail:
        ", hvordan du har det – når I ses næste gang, eller som I har aftalt at kontakte hinanden.",
        ", how you are: when you next meet, or in the way you agreed to get in touch.";
    WorryNobodyTold:
        "Dit tjek-ind er gemt som alle andre. Ingen får besked om det, du har skrevet.",
        "Your check-in is saved like any other. Nobody is told what you wrote.";
    WorryOn: "Videre til din praksis", "On to your practice";
    And: "og", "and";
    HistoryCheckIn: "Tjek-ind", "Check-in";
    HistoryDistress: "uro", "distress";
    SettingsProgress: "Fremskridt", "Progress";
    SettingsStreaks: "Vis dage i træk", "Show days in a row";
    SettingsStreaksHelp:
        "Slået fra som udgangspunkt: at øve sig er ikke en konkurrence, og pauser hører også med.",
        "Off unless you choose it: practice is not a contest, and a pause is part of it too.";
    InstallLabel: "Læg Stille på hjemmeskærmen", "Put Stille on your home screen";
    InstallIos:
        "Læg Stille på hjemmeskærmen, så den er lige ved hånden og kan sende påmindelser: tryk på Del-knappen (firkanten med pilen) og vælg »Føj til hjemmeskærm«.",
        "Put Stille on your home screen, so it is close at hand and can send reminders: tap the Share button (the square with the arrow) and choose “Add to Home Screen”.";
    InstallPrompt:
        "Læg Stille på hjemmeskærmen, så den åbner som en app – også uden net.",
        "Put Stille on your home screen, so it opens like an app – offline too.";
    InstallFirefox:
        "Læg Stille på hjemmeskærmen: åbn browserens menu (⋮) og vælg »Installér«.",
        "Put Stille on your home screen: open the browser's menu (⋮) and choose “Install”.";
    InstallButton: "Læg på hjemmeskærmen", "Add to home screen";
    InstallNotNow: "Ikke nu", "Not now";
    MessagesHeading: "Besked fra dit hold", "A message from your course";
    MessageMarkRead: "Marker som læst", "Mark as read";
    MessageNotMarked:
        "Det kunne ikke gemmes, at du har læst den. Prøv igen om lidt.",
        "That you have read it could not be saved. Try again in a moment.";
    MessagesEarlier: "Tidligere beskeder", "Earlier messages";
    TeachMessages: "Beskeder til holdet", "Messages to the group";
    TeachMessageLabel: "Ny besked", "New message";
    TeachMessageHelp:
        "Deltagerne ser beskeden på deres forside. Har de slået påmindelser til, får telefonen besked om, at der er en ny – uden teksten, så intet står på en låst skærm.",
        "Participants see the message on their home screen. If they have turned reminders on, their phone says there is a new one – without the text, so nothing shows on a locked screen.";
    TeachMessageSend: "Send til holdet", "Send to the group";
    TeachMessageSent: "Beskeden er sendt.", "The message has been sent.";
    TeachMessageEmpty: "Skriv beskeden først.", "Write the message first.";
    TeachMessageTooMany:
        "Holdet har fået ti beskeder det seneste døgn. Den næste kan sendes lidt senere.",
        "The group has had ten messages in the last day. The next one can go a little later.";
    TeachMessagesNone: "Du har ikke sendt nogen beskeder endnu.", "You have not sent any messages yet.";
    TeachMessageTakeBack: "Træk tilbage", "Take back";
    TeachMessageTakenBack: "Beskeden er trukket tilbage.", "The message has been taken back.";
    ReminderHeading: "Påmindelser", "Reminders";
    ReminderHelp:
        "Stille kan minde dig om at øve på de dage og tidspunkter, du vælger. En påmindelse nævner højst øvelsens navn – aldrig noget, du har skrevet.",
        "Stille can remind you to practise on the days and at the times you choose. A reminder names the practice at most – never anything you have written.";
    ReminderTime: "Tidspunkt", "Time";
    ReminderAddTime: "Tilføj et tidspunkt", "Add a time";
    ReminderRemoveTime: "Fjern", "Remove";
    ReminderDays: "Dage", "Days";
    ReminderQuiet: "Ingen påmindelser om natten", "No reminders at night";
    ReminderQuietFrom: "Fra", "From";
    ReminderQuietTo: "Til", "Until";
    ReminderTurnOn: "Slå påmindelser til på denne telefon", "Turn on reminders on this phone";
    ReminderSave: "Gem ændringer", "Save changes";
    ReminderTurnOff: "Slå fra på denne telefon", "Turn off on this phone";
    ReminderOnHere: "Påmindelserne kommer på denne telefon.", "Reminders come to this phone.";
    ReminderOffHere: "Denne telefon får ingen påmindelser.", "This phone gets no reminders.";
    ReminderTurnedOn: "Påmindelser er slået til.", "Reminders are on.";
    ReminderSaved: "Gemt.", "Saved.";
    ReminderTurnedOff: "Denne telefon får ikke flere påmindelser.", "This phone gets no more reminders.";
    ReminderSignIn:
        "Påmindelser sendes fra Stilles server, så de kræver, at du er logget ind.",
        "Reminders are sent from Stille's server, so they need you to be signed in.";
    ReminderSignInLink: "Log ind eller opret en konto", "Sign in or create an account";
    ReminderHomeScreen:
        "På en iPhone kommer påmindelser kun, når Stille er lagt på hjemmeskærmen: tryk på Del-knappen i Safari, vælg »Føj til hjemmeskærm«, og åbn så Stille derfra.",
        "On an iPhone, reminders come only when Stille is on the home screen: tap the Share button in Safari, choose “Add to Home Screen”, then open Stille from there.";
    ReminderDenied:
        "Browseren har fået besked på ikke at vise notifikationer fra Stille. Du kan give lov igen i browserens indstillinger for siden.",
        "The browser has been told not to show notifications from Stille. You can allow them again in the browser's settings for this site.";
    ReminderUnsupported: "Denne browser kan ikke modtage påmindelser.", "This browser cannot receive reminders.";
    ReminderCalendar:
        "Du kan også lægge påmindelserne i din kalender. Så kommer de fra kalenderen – også uden konto.",
        "You can also put the reminders in your calendar. Then they come from the calendar – without an account too.";
    ReminderCalendarButton: "Hent som kalenderaftaler", "Download as calendar events";
    ReminderNoDays: "Vælg mindst én dag.", "Choose at least one day.";
    ReminderBadTime: "Skriv tidspunktet som tt:mm, fx 07:30.", "Write the time as hh:mm, for example 07:30.";
    ReminderInQuiet:
        "Et af tidspunkterne ligger om natten, hvor du ikke vil forstyrres. Flyt det, eller ændr nattens tidsrum.",
        "One of the times falls in the night, when you do not want to be disturbed. Move it, or change the night's hours.";
    ReminderQuietBad:
        "Natten skal begynde og slutte på to forskellige tidspunkter.",
        "The night must begin and end at two different times.";
    ReminderDeniedNow:
        "Stille fik ikke lov at vise notifikationer, så påmindelser kan ikke komme på denne telefon.",
        "Stille was not allowed to show notifications, so reminders cannot come to this phone.";
    ReminderBrowserFailed: "Browseren kunne ikke tilmelde sig påmindelser", "The browser could not sign up for reminders";
    ReminderServerFailed: "Stilles server tog ikke imod ændringen", "Stille's server did not take the change";
    ProgressHeading: "Dine uger", "Your weeks";
    ProgressHeatmap: "Dage med øvelse de sidste 12 uger", "Days with practice in the last 12 weeks";
    ProgressWeeks: "Minutter pr. uge", "Minutes per week";
    ProgressMinutes: "minutter", "minutes";
    ProgressStreak: "dage i træk", "days in a row";
    ProgressLess: "Mindre", "Less";
    ProgressMore: "Mere", "More";
    ProgressDaysLabel: "Dage med øvelse", "Days with practice";
    ProgressMinutesLabel: "Minutter i alt", "Minutes in all";
    LibrarySearch: "Søg", "Search";
    LibraryKind: "Slags", "Kind";
    LibraryLength: "Længde", "Length";
    LibraryAny: "Alle", "Any";
    LibraryUpTo: "Højst", "Up to";
    LibraryKindGuided: "Guidet", "Guided";
    LibraryKindBreathing: "Åndedrætsrytme", "Breathing pattern";
    LibraryKindTimer: "Stille timer", "Silent timer";
    LibraryKindInformal: "I hverdagen", "In daily life";
    LibraryShowing: "Viser", "Showing";
    LibraryOf: "af", "of";
    LibraryNone:
        "Ingen øvelser passer. Prøv andre ord eller færre valg.",
        "No practices match. Try other words or fewer choices.";
    HomeNow: "Hvad vil du øve nu?", "What would you like to practise now?";
    HomeAgain: "Igen", "Again";
    HomeShort: "Kort og godt lige nu", "Short, for right now";
    PracticeLogInformal: "Jeg har gjort det i dag", "I did this today";
    PracticeLogged: "Noteret under »Din praksis«.", "Added to your practice.";
    AnswersWeek: "De sidste syv dage", "The last seven days";
    AnswersWeekDay: "Dag", "Day";
    AnswersWeekEmpty:
        "Når du har skrevet om en oplevelse, står den her, dag for dag, så du kan se ugen samlet.",
        "Once you have written about an experience, it appears here, day by day, so you can see the week as a whole.";
    SettingsBreathing: "Åndedrætsøvelser", "Breathing practices";
    SettingsVibrate: "Vibrér når du skal ånde ind og ud", "Vibrate for each in- and out-breath";
    SettingsVibrateHelp:
        "Én kort vibration, når du ånder ind, og to, når du ånder ud – så du kan følge rytmen med lukkede øjne. Virker på telefoner, der kan vibrere, mens skærmen er tændt.",
        "One short buzz for in, two for out, so you can follow the rhythm with your eyes closed. Works on phones that can vibrate, while the screen is on.";
    HistoryEdit: "Ret", "Edit";
    HistoryEditHeading: "Ret øvelsen", "Correct this practice";
    EditDate: "Dato", "Date";
    EditTime: "Klokken", "Time";
    EditMinutes: "Minutter øvet", "Minutes practised";
    EditSave: "Gem rettelsen", "Save the change";
    EditCancel: "Annuller", "Cancel";
    EditErrDate: "Datoen er ikke en rigtig dato.", "The date is not a real date.";
    EditErrTime: "Klokkeslættet skal skrives som TT:MM.", "The time must be written as HH:MM.";
    EditErrMinutes:
        "Minutter skal være et helt tal fra 1 til 1440.",
        "Minutes must be a whole number from 1 to 1440.";
    EditErrFuture: "Starttidspunktet ligger i fremtiden.", "The start is in the future.";
    HistoryBefore: "før", "before";
    HistoryAfter: "efter", "after";
    BeforeSummary: "Hvordan har du det lige nu? (valgfrit)", "How are you right now? (optional)";
    BeforeIntro:
        "Et kort tjek-ind før du begynder. Det gemmes sammen med øvelsen, så du bagefter kan se, om noget har flyttet sig.",
        "A short check-in before you begin. It is kept with the practice, so afterwards you can see whether anything shifted.";
    AfterBeforeWas: "Før du begyndte:", "Before you began:";
    DetailsLoading: "Henter øvelsens tekst …", "Fetching the practice's words…";
    DetailsFailed:
        "Øvelsens tekst kunne ikke hentes. Tjek forbindelsen, og prøv igen. Når du har åbnet øvelsen én gang med net, virker den også uden.",
        "The practice's words could not be fetched. Check the connection and try again. After one visit online, it works offline too.";
    DetailsRetry: "Prøv igen", "Try again";
    AccountHeading: "Din konto", "Your account";
    AccountWhy:
        "Du behøver ingen konto for at øve dig. Med en konto følger din praksis med dig til andre enheder, og du kan deltage i et forløb hos din underviser.",
        "You need no account to practise. With one, your practice follows you to your other devices, and you can join your instructor's course.";
    AccountSignIn: "Log ind", "Sign in";
    AccountCreate: "Opret konto", "Create an account";
    AccountName: "Dit navn", "Your name";
    AccountNameHelp:
        "Det navn, din underviser ser. Din e-mail ser underviseren aldrig.",
        "The name your instructor sees. Your instructor never sees your email.";
    AccountEmail: "E-mail", "Email";
    AccountPassword: "Adgangskode", "Password";
    AccountOffline:
        "Der er ingen forbindelse til Stilles server. Prøv igen, når du er online.",
        "There is no connection to Stille's server. Try again when you are online.";
    AccountWrongPassword: "E-mail eller adgangskode passer ikke.", "The email or the password is wrong.";
    AccountEmailTaken:
        "Der findes allerede en konto med den e-mail. Log ind i stedet.",
        "There is already an account with this email. Sign in instead.";
    AccountTooMany:
        "For mange forsøg. Vent lidt, og prøv igen.",
        "Too many tries. Wait a little and try again.";
    AccountEmailInvalid: "Det ligner ikke en e-mailadresse.", "That does not look like an email address.";
    AccountPasswordRule:
        "Adgangskoden skal være 8–128 tegn og ikke en af de mest almindelige.",
        "The password must be 8–128 characters and not one of the most common ones.";
    AccountJoining: "Du er ved at deltage i:", "You are joining:";
    ManagePasswordHelpNew:
        "Mindst 8 tegn og ikke en af de mest almindelige. Et par ord, der ikke hører sammen, er lette at huske og svære at gætte.",
        "At least 8 characters, and not one of the most common. A few words that do not belong together are easy to remember and hard to guess.";
    AccountNameRule: "Navnet skal være 1–60 tegn.", "The name must be 1–60 characters.";
    AccountFailed: "Det lykkedes ikke. Prøv igen om lidt.", "That did not work. Try again in a moment.";
    AccountSignedInAs: "Logget ind som", "Signed in as";
    AccountOtherOwner:
        "Telefonen har praksis, der hører til en anden konto. Den sendes ikke til denne konto. Du kan slette telefonens kopi (den er stadig i den anden konto) eller logge ud.",
        "This phone holds practice that belongs to another account. It is not sent to this one. You can remove the phone's copy (it stays in the other account) or sign out.";
    AccountAdopt:
        "Slet telefonens kopi, og synkroniser med denne konto",
        "Remove the phone's copy and sync with this account";
    AccountSyncNow: "Synkroniser nu", "Sync now";
    AccountSignOut: "Log ud", "Sign out";
    AccountRemoveCopy:
        "Fjern også din praksis fra denne telefon (den er stadig i din konto)",
        "Also remove your practice from this phone (it stays in your account)";
    AccountUnsyncedWarning:
        "Nogle ændringer er endnu ikke synkroniseret og ville gå tabt. Tryk igen for at logge ud alligevel, eller synkroniser først.",
        "Some changes are not synced yet and would be lost. Press again to sign out anyway, or sync first.";
    AccountSignOutAnyway: "Log ud og slet alligevel", "Sign out and remove anyway";
    SyncLocal: "Gemt på denne telefon", "Saved on this phone";
    SyncSyncing: "Synkroniserer …", "Syncing…";
    SyncSynced: "Synkroniseret", "Synced";
    SyncWaiting: "Venter på netværk – gemt på denne telefon", "Waiting for network – saved on this phone";
    SyncOutdated:
        "Din konto har noget fra en nyere udgave af Stille. Genindlæs siden for at få den nye udgave; intet går tabt imens.",
        "Your account holds something from a newer version of Stille. Reload the page to get the new version; nothing is lost meanwhile.";
    SyncSignInAgain: "Log ind igen for at synkronisere", "Sign in again to sync";
    SyncProblem: "Ikke synkroniseret:", "Not synced:";
    SyncRetrying: "Stille prøver igen af sig selv.", "Stille will try again by itself.";
    SyncReason: "Teknisk årsag:", "Technical reason:";
    SyncOverQuota:
        "Din konto er fuld, så nye registreringer bliver kun gemt på denne telefon. Slet nogle gamle, eller spørg den, der driver Stille-serveren, om mere plads",
        "Your account is full, so new entries are kept on this phone only. Delete some old ones, or ask whoever runs the Stille server for more room";
    SyncRefused:
        "Serveren tog ikke imod nogle ændringer; de er gemt på denne telefon",
        "The server did not take some changes; they are kept on this phone";
    SyncOtherOwner:
        "Telefonens praksis hører til en anden konto",
        "This phone's practice belongs to another account";
    NavJoin: "Deltag i et forløb", "Join a course";
    JoinHeading: "Deltag i et forløb", "Join a course";
    JoinCode: "Invitationskode", "Invite code";
    JoinLookUp: "Find forløbet", "Find the course";
    JoinNoCourse:
        "Ingen forløb har den kode. Den kan være udløbet eller udskiftet – spørg din underviser.",
        "No course has this code. It may have expired or been replaced – ask your instructor.";
    JoinConflict:
        "Du kan ikke deltage lige nu: forløbet er lukket eller fuldt, eller du er allerede med.",
        "You cannot join right now: the course is closed or full, or you are already in it.";
    JoinSignIn:
        "Log ind eller opret en konto for at deltage. Du kommer tilbage hertil bagefter.",
        "Sign in or create an account to join. You will come back here afterwards.";
    JoinTaughtBy: "Underviser:", "Instructor:";
    CourseStarts: "Starter", "Starts";
    CourseStarted: "Startede", "Started";
    JoinWeeks: "uger med hjemmepraksis", "weeks of home practice";
    JoinShareAdherence:
        "Må din underviser se, hvordan din praksis går?",
        "May your instructor see how your practice is going?";
    JoinShareAdherenceHelp:
        "Minutter, hvilke dage du har øvet, hvordan ugens øvelser gik, og udviklingen i dine tjek-ind (tal, ikke ord). Til en venlig samtale, ikke en karakter.",
        "Minutes, the days you practised, how the week's practice went, and how your check-ins move (numbers, not words). For a kind conversation, not a grade.";
    JoinShareReflections:
        "Må din underviser læse de refleksioner, du selv markerer som delte?",
        "May your instructor read the reflections you mark as shared yourself?";
    JoinShareReflectionsHelp:
        "Kun dem, du markerer én for én. Alle andre noter bliver hos dig.",
        "Only those you mark, one by one. Every other note stays yours.";
    JoinShareGroupResults:
        "Må dine svar på forløbets spørgeskemaer tælle med i forløbets samlede resultater?",
        "May your answers to the course's questionnaires count in the group's combined results?";
    JoinShareGroupResultsHelp:
        "Forløbet beder dig svare på et par korte spørgeskemaer før, undervejs og efter. Forløbets resultater vises kun samlet og uden navne, og kun når mindst fem har svaret. De kan indgå i en rapport til kommunen.",
        "The course asks you to answer a few short questionnaires before, during and after. The group's results are shown only combined and without names, and only when at least five have answered. They may be part of a report to the municipality.";
    JoinShareAnswers:
        "Må din underviser se dine egne svar på spørgeskemaerne?",
        "May your instructor see your own answers to the questionnaires?";
    JoinShareAnswersHelp:
        "Så kan I tale om dem sammen. Siger du nej, ser din underviser ikke dine svar – du kan stadig selv se dem.",
        "Then you can talk about them together. If you say no, your instructor does not see your answers – they are still yours to see.";
    JoinNeverShared:
        "Din e-mail og dine private noter deles aldrig. En refleksion deles kun, hvis du har sagt ja ovenfor og selv markerer den som delt. Du kan ændre eller trække dit samtykke tilbage og forlade forløbet når som helst under Konto i menuen.",
        "Your email and your private notes are never shared. A reflection is shared only if you said yes above and mark it as shared yourself. You can change or withdraw your consent and leave the course at any time under Account in the menu.";
    JoinYes: "Ja", "Yes";
    JoinNo: "Nej", "No";
    JoinAnswerAll: "Svar ja eller nej til hvert spørgsmål.", "Answer yes or no to each question.";
    JoinSubmit: "Deltag", "Join";
    CoursesHeading: "Dine forløb", "Your courses";
    CoursesNone:
        "Du er ikke med i et forløb. Har du fået en invitation, kan du bruge den her.",
        "You are not in a course. If you have an invite, you can use it here.";
    CoursesShareAdherence:
        "Del hvordan min praksis går (minutter, dage, tjek-ind-tal)",
        "Share how my practice is going (minutes, days, check-in numbers)";
    CoursesShareReflections:
        "Del de refleksioner, jeg markerer som delte",
        "Share the reflections I mark as shared";
    CoursesShareGroupResults:
        "Tæl mine spørgeskemasvar med i forløbets samlede resultater (uden navn)",
        "Count my questionnaire answers in the group's combined results (no names)";
    CoursesShareAnswers:
        "Lad min underviser se mine spørgeskemasvar",
        "Let my instructor see my questionnaire answers";
    CoursesLeave: "Forlad forløbet", "Leave the course";
    CoursesLeaveConfirm: "Tryk igen for at forlade forløbet", "Press again to leave the course";
    MeasureAskHeading: "Spørgeskemaer fra dit forløb", "Questionnaires from your course";
    MeasureAskBefore:
        "Nu hvor forløbet begynder, beder det dig svare på et par korte spørgsmål om, hvordan du har det. Så kan du senere selv se, om noget ændrer sig.",
        "As the course begins, it asks you a few short questions about how you are. Later you can see for yourself whether anything changes.";
    MeasureAskPrivacy:
        "Hvem der ser dine svar, bestemmer du selv under Konto.",
        "Who sees your answers is up to you, under Account.";
    MeasureAskAgain:
        "Forløbet beder dig svare på de samme korte spørgsmål igen, så du kan se, om noget har ændret sig.",
        "The course asks you the same short questions again, so you can see whether anything has changed.";
    WeekHeading: "Denne uge – uge", "This week – week";
    WeekDay: "dag", "day";
    WeekDays: "dage", "days";
    WeekTime: "gang", "time";
    WeekTimes: "gange", "times";
    WeekStartsOn: "Forløbet begynder", "The course begins";
    WeekNextSession: "Næste mødegang:", "Next session:";
    WeekBreak:
        "Der er ingen undervisning i denne uge. Du er velkommen til at øve videre på egen hånd, så godt det passer ind i din hverdag.",
        "There is no session this week. You are welcome to keep practising on your own, as it fits into your days.";
    WeekOver:
        "Gruppen har haft sin sidste mødegang. Øvelserne er stadig dine, så brug dem, når du har lyst.",
        "The group has had its last session. The practices are still yours: use them whenever you like.";
    WeekRetreatBetween: "Den ligger mellem {n}. og {m}. mødegang. Din underviser giver besked om, hvornår.",
        "It comes between sessions {n} and {m}. Your instructor will let you know when.";
    WeekRetreatPractices: "Øvelser, hvis du vil gennemføre dagen på egen hånd", "Practices, if you would like to hold the day on your own";
    WeekCalendar: "Læg mødegangene i din kalender", "Add the sessions to your calendar";
    WeekKnowledge: "Ugens tema", "This week's theme";
    WeekModule: "Modul:", "Module:";
    HistoryShare: "Del med min underviser", "Share with my instructor";
    HistoryShared: "Delt med din underviser.", "Shared with your instructor.";
    HistoryStopSharing: "Stop med at dele", "Stop sharing";
    HistoryEmptySynced:
        "Her kommer dine øvelser til at stå, når du har øvet. De gemmes på denne enhed og i din konto.",
        "Your practices will appear here once you have practised. They are kept on this device and in your account.";
    HomeSignedIn:
        "Din praksis gemmes på denne enhed og synkroniseres med din konto.",
        "Your practice is kept on this device and synced with your account.";
    AfterPrivateSynced:
        "Det, du skriver her, gemmes på denne enhed og i din konto. Din underviser ser kun en note, hvis du selv deler den.",
        "What you write here is kept on this device and in your account. Your instructor sees a note only if you share it yourself.";
    SyncChanges: "ændringer", "changes";
    HomeAccountLink: "Log ind eller opret en konto", "Sign in or create an account";
    SettingsAccountLink: "Konto, synkronisering og forløb", "Account, sync and courses";
    TeachHeading: "Dine forløb", "Your courses";
    TeachNone: "Du har ingen forløb endnu.", "You have no courses yet.";
    TeachParticipants: "deltagere", "participants";
    AccountNotKept:
        "Din browser gemte ikke dit login. Det sker, når Stille er åbnet med http:// på en anden adresse end denne computer. Åbn Stille med https://, så virker det.",
        "Your browser did not keep the sign-in. That happens when Stille is opened with http:// at an address other than this computer. Open Stille with https:// and it works.";
    TeachNoSuchCourse:
        "Forløbet findes ikke, eller du er ikke dets underviser.",
        "There is no such course, or you are not its instructor.";
    TeachOnlyInstructors:
        "Denne side er for undervisere. Din konto er en deltagerkonto.",
        "This page is for instructors. Your account is a participant account.";
    TeachNew: "Nyt forløb", "New course";
    TeachTitle: "Forløbets navn", "Course title";
    TeachStart: "Første dag i uge 1", "First day of week 1";
    TeachTemplate: "Program", "Programme";
    TeachScratch: "Fra bunden (ingen hjemmepraksis endnu)", "From scratch (no home practice yet)";
    TeachCreate: "Opret forløbet", "Create the course";
    TeachInvite: "Invitation", "Invite";
    TeachLink: "Link", "Link";
    TeachExpires: "Gælder til", "Valid until";
    TeachNewInvite: "Lav en ny invitationskode", "Make a new invite code";
    TeachNewInviteAsk:
        "En ny kode erstatter den nuværende: det link og den QR-kode, du allerede har delt, holder op med at virke. Dem, der allerede er med i forløbet, bliver i det.",
        "A new code replaces the current one: the link and QR code you have already handed out stop working. Those already in the course stay in it.";
    TeachNewInviteConfirm: "Ja, lav en ny kode", "Yes, make a new code";
    TeachNewInviteKeep: "Behold den nuværende", "Keep the current one";
    TeachNewInviteMade:
        "Der er lavet en ny kode. Den gamle kode og det gamle link virker ikke længere.",
        "A new code is made. The old code and link no longer work.";
    TeachCopyLink: "Kopiér linket", "Copy the link";
    TeachShareLink: "Del linket", "Share the link";
    TeachShareTitle: "Invitation til forløbet i Stille", "An invite to the course in Stille";
    TeachLinkCopied: "Linket er kopieret.", "The link is copied.";
    TeachLinkNotCopied:
        "Linket kunne ikke kopieres. Tryk længe på linket, og kopiér det derfra",
        "The link could not be copied. Press and hold the link and copy it from there";
    TeachLinkNotShared: "Linket kunne ikke deles", "The link could not be shared";
    TeachCsv: "Hent som regneark (CSV)", "Download as a spreadsheet (CSV)";
    TeachOutcomesLink: "Spørgeskemaer og resultater", "Questionnaires and results";
    OutcomesHeading: "Spørgeskemaer og resultater", "Questionnaires and results";
    OutcomesPlan: "Hvad deltagerne bliver spurgt om, og hvornår", "What the course asks, and when";
    OutcomesInstruments: "Spørgeskemaer", "Questionnaires";
    OutcomesWeeks: "Uger", "Weeks";
    OutcomesWeeksHelp:
        "Skriv ugenumrene adskilt med komma. Uge 0 er før forløbet (indtil første uge er slut), uge 8 er den ottende uge, og uge 21 er cirka tre måneder efter et forløb på otte uger. Deltagerne ser spørgeskemaerne på forsiden fra ugens første dag og kan svare i to uger.",
        "Write the week numbers separated by commas. Week 0 is before the course (until its first week ends), week 8 is the eighth week, and week 21 is about three months after an eight-week course. Participants see the questionnaires on their home screen from the week's first day and can answer for two weeks.";
    OutcomesNotAWeek: "Ikke et ugenummer:", "Not a week number:";
    OutcomesSave: "Gem", "Save";
    OutcomesSaved: "Gemt.", "Saved.";
    OutcomesResults: "Forløbets resultater", "The group's results";
    OutcomesNone: "Deltagerne bliver ikke bedt om at svare på spørgeskemaer.", "The course asks no questionnaires.";
    OutcomesCounted:
        "deltagere har sagt ja til at tælle med i forløbets resultater.",
        "participants have said yes to counting in the group's results.";
    OutcomesMinGroup:
        "Et tal vises kun, når mindst 5 af dem har svaret, og når det ikke kan afsløre nogens svar. Trækker en deltager sit ja tilbage, tæller svarene ikke længere med – fra det øjeblik. Rapporter og regneark, du allerede har hentet, ændrer sig ikke.",
        "A figure is shown only when at least 5 of them have answered and it cannot give away anyone's answers. When someone withdraws their yes, their answers stop counting from that moment. Reports and spreadsheets you have already downloaded do not change.";
    OutcomesTooFew:
        "For få svar til at kunne vises, uden at nogen kan genkendes",
        "Too few answers to show without identifying anyone";
    OutcomesBefore: "Før forløbet", "Before the course";
    OutcomesInterval: "95 %-KI", "95% CI";
    OutcomesPoints: "svar ved hvert tidspunkt", "answers at each point";
    OutcomesChanges: "ændringer", "changes";
    OutcomesPoint: "Tidspunkt", "When";
    OutcomesAnswers: "Antal svar", "Answers";
    OutcomesMean: "Gennemsnit (SD)", "Mean (SD)";
    OutcomesFromTo: "Fra → til", "From → to";
    OutcomesBoth: "Svarede begge gange", "Answered both times";
    OutcomesChange: "Ændring i gennemsnit", "Mean change";
    OutcomesEffect: "Effektstørrelse (d_z)", "Effect size (d_z)";
    OutcomesMeaningful: "Antal mærkbart bedre / dårligere", "Number meaningfully better / worse";
    OutcomesHigherBetter: "Højere er bedre.", "Higher is better.";
    OutcomesLowerBetter: "Lavere er bedre.", "Lower is better.";
    OutcomesUnvalidated:
        "Svarene er helt eller delvis givet i en formulering, der er Stilles egen oversættelse og ikke valideret. Tallene kan derfor ikke sammenlignes direkte med undersøgelser, der bruger en valideret udgave.",
        "The answers are wholly or partly given in a wording that is Stille's own translation and has not been validated. The figures therefore cannot be compared directly with studies that use a validated version.";
    OutcomesIndividuals: "Deltagernes egne svar", "The participants' own answers";
    OutcomesIndividualsHelp:
        "Kun fra deltagere, der har givet dig lov til at se deres svar – til en samtale, ikke en vurdering.",
        "Only from participants who have allowed you to see their answers – for a conversation, not an assessment.";
    OutcomesNoIndividuals:
        "Ingen har givet dig lov til at se deres egne svar.",
        "Nobody has allowed you to see their own answers.";
    OutcomesPrintable: "Rapport til udskrift", "Printable report";
    OutcomesCsv: "Hent forløbets resultater som regneark (CSV, uden navne)", "Download the group's results as a spreadsheet (CSV, no names)";
    ReportHeading: "Forløbsrapport", "Course report";
    ReportWeeks: "Uger med hjemmepraksis", "Weeks of home practice";
    ReportParticipants: "Deltagere", "Participants";
    ReportMade: "Dato", "Date";
    ReportNoNames:
        "Rapporten indeholder ingen navne og ingen enkeltpersoners svar. Tal for færre end 5 personer vises ikke.",
        "The report contains no names and no one's own answers. Figures for fewer than 5 people are not shown.";
    ReportPrint: "Udskriv", "Print";
    ReportPractice: "Hjemmepraksis uge for uge", "Home practice, week by week";
    ReportPracticeHelp:
        "Fra deltagere, der deler deres praksis med underviseren: minutter og dage med praksis om ugen, gennemsnit (SD).",
        "From participants who share their practice with the instructor: minutes and days of practice a week, mean (SD).";
    ReportSharing: "Antal, der deler", "Number sharing";
    ReportMinutes: "Minutter", "Minutes";
    ReportDays: "Dage", "Days";
    ReportMeasures: "Spørgeskemaer", "Questionnaires";
    TeachGroup: "Deltagernes praksis", "The group's practice";
    TeachHeatmap:
        "Minutter pr. dag pr. deltager (mørkere er mere; grå deler ikke)",
        "Minutes a day per participant (darker is more; grey does not share)";
    TeachWeekTable:
        "Pr. uge: minutter · antal øvelser · andel af ugens hjemmepraksis",
        "Per week: minutes · practices done · share of the week's assignment";
    TeachParticipant: "Deltager", "Participant";
    TeachParticipantsHeading: "Deltagerne", "The participants";
    TeachNotShared: "deler ikke sin praksis", "does not share their practice";
    TeachSession: "øvelse", "practice";
    TeachSessions: "øvelser", "practices";
    TeachTrend: "Uro før → efter (gennemsnit af tjek-ind)", "Distress before → after (mean of check-ins)";
    TeachWeek: "Uge", "Week";
    // {week}, {times}: "3", "2 gange".
    TeachNoticeShutDown:
        "I uge {week} har deltageren valgt »Lukket ned« på stigen {times}. Måske værd at spørge nænsomt ind til, når I ses.",
        "In week {week} they chose “Shut down” on the ladder {times}. It may be worth a gentle question when you meet.";
    // {from}, {to}: means such as "3,0"; {week_from}, {week}: week numbers.
    TeachNoticeRising:
        "Uroen før øvelserne er steget fra {from} i uge {week_from} til {to} i uge {week}.",
        "Distress before practice rose from {from} in week {week_from} to {to} in week {week}.";
    TeachNoticeTag: "et tjek-ind at se på", "a check-in to look at";
    TeachNoParticipants:
        "Ingen deltagere endnu. Når nogen er kommet med via invitationen, ses deres praksis her, hvis de vil dele den.",
        "No participants yet. Once someone has joined with the invite, their practice shows here if they choose to share it.";
    TeachSignUps: "Tilmelding", "Sign-ups";
    TeachSignUpsOpen: "Åben: invitationen virker for nye deltagere.", "Open: the invite works for new participants.";
    TeachSignUpsFull: "Fuld: alle pladser er taget, så invitationen virker ikke lige nu.", "Full: every place is taken, so the invite does not work for now.";
    TeachSignUpsClosed: "Lukket: ingen nye kan komme med, heller ikke med invitationen. Dem, der er med, bliver.", "Closed: nobody new can join, not even with the invite. Those already in stay.";
    // {n}, {capacity}: numbers.
    TeachPlacesTaken: "{n} af {capacity} pladser er taget.", "{n} of {capacity} places are taken.";
    TeachCloseSignUps: "Luk for tilmelding", "Close sign-ups";
    TeachOpenSignUps: "Åbn for tilmelding", "Open sign-ups";
    TeachGroupSize: "Antal pladser (1–200)", "Places (1–200)";
    TeachSaveGroupSize: "Gem antal pladser", "Save the number of places";
    TeachGroupSizeNumber: "Skriv antallet af pladser som et tal fra 1 til 200.", "Write the number of places as a number from 1 to 200.";
    TeachSignUpsSaved: "Gemt.", "Saved.";
    TeachMeetings: "Mødeplan", "Meeting plan";
    TeachMeetingsLead:
        "Deltagerne ser næste mødegang under »Denne uge« og kan lægge mødegangene i deres egen kalender.",
        "Participants see the next session under 'This week' and can add the sessions to their own calendar.";
    TeachMeetingTime: "Starttidspunkt", "Start time";
    TeachMeetingMinutes: "Varighed i minutter", "Length in minutes";
    TeachMeetingMinutesNumber: "Skriv varigheden som et antal minutter.", "Write the length as a number of minutes.";
    TeachMeetingPlace: "Sted eller link", "Place or link";
    TeachMeetingRolling:
        "Åben gruppe: nye kan begynde når som helst. Hver deltager starter i uge 1 den uge, de kommer med, og efter sidste uge begynder ugerne forfra.",
        "Open group: people can join at any time. Each participant starts at week 1 the week they join, and after the last week the weeks begin again.";
    TeachContact: "Kontakt mellem mødegangene", "Contact between sessions";
    TeachContactLabel: "Sådan kan deltagerne få fat i dig", "How participants can reach you";
    TeachContactHint:
        "For eksempel: »Ring eller send en sms på 12 34 56 78, hverdage kl. 9-15«. Deltagerne ser det på siden »Brug for hjælp nu?«, og når de har det svært efter en øvelse. Lad feltet stå tomt, hvis I hellere aftaler det i gruppen.",
        "For example: 'Call or text 12 34 56 78, weekdays 9-15'. Participants see it on the 'Need help now?' page, and when they are struggling after a practice. Leave it empty if you would rather agree on it in the group.";
    TeachSaveContact: "Gem kontaktoplysningerne", "Save contact details";
    TeachMeetingCount: "Antal mødegange", "Number of sessions";
    // {n}: the programme's number of sessions.
    TeachMeetingCountHint:
        "Står feltet tomt, følger I programmets {n} mødegange. Har gruppen flere mødegange, end der er uger med hjemmepraksis, begynder hjemmepraksis forfra med uge 1. En åben gruppe har ingen sidste mødegang.",
        "Leave it empty to use the programme's {n} sessions. If the group meets more times than there are weeks with home practice, home practice starts again from week 1. An open group has no last session.";
    TeachMeetingCountNumber: "Skriv et tal fra 1 til 52.", "Enter a number from 1 to 52.";
    TeachRetreat: "Retræte eller stilhedsdag", "Retreat day";
    // {n}, {m}: session numbers; {hours}: a number.
    TeachRetreatHintHours: "I programmet ligger den mellem {n}. og {m}. mødegang og varer omkring {hours} timer.",
        "The programme holds it between sessions {n} and {m}, for about {hours} hours.";
    TeachRetreatHint: "I programmet ligger den mellem {n}. og {m}. mødegang.", "The programme holds it between sessions {n} and {m}.";
    TeachRetreatDate: "Dato", "Date";
    TeachRetreatPlace: "Sted, hvis det er et andet", "Place, if somewhere else";
    TeachSaveMeetings: "Gem mødeplanen", "Save the meeting plan";
    TeachMeetingDays: "Mødegange", "Sessions";
    TeachMeetingDaysLead:
        "Er der ferie en uge, så markér dagen som fri. De følgende mødegange flyttes en uge senere, og det samme gør hjemmepraksis.",
        "If a week is a holiday, mark its day as free. The later sessions move a week later, and so does the home practice.";
    // {n}: the session's number; {when}: its day and time.
    TeachMeetingNumbered: "{n}. gang: {when}", "Session {n}: {when}";
    TeachOutline: "Mødegangens forløb", "How the meeting runs";
    OutlineOpening: "Opstart", "Opening";
    OutlineProcess: "Proces", "Process";
    OutlineClosing: "Afslutning", "Closing";
    OutlineMinutes: "ca. {minutes} min", "about {minutes} min";
    TeachMeetingNone: "fri, ingen undervisning", "free, no session";
    TeachMeetingSkip: "Markér som fri", "Mark as free";
    TeachMeetingRestore: "Markér som mødegang", "Mark as a session";
    WeekdaysShort: "ma ti on to fr lø sø", "Mo Tu We Th Fr Sa Su";
    TeachAllWeeks: "Vis alle uger", "Show every week";
    TeachNoReflectionsYet: "Ingen delte refleksioner endnu.", "No shared reflections yet.";
    TeachReflections: "Delte refleksioner", "Shared reflections";
    TeachNoReflections: "Deler ikke refleksioner.", "Does not share reflections.";
    TeachPlan: "Hjemmepraksis uge for uge", "Home practice, week by week";
    TeachModules: "Moduler og rækkefølge", "Modules and their order";
    TeachModulesLead:
        "Sæt flueben ved de moduler, gruppen skal arbejde med, og sæt dem i den rækkefølge, I tager dem i. Det øverste modul bliver uge 1. Deltagerne får modulets øvelse som hjemmepraksis og kan læse vidensdelen i den uge. Øvelser, du selv har lagt ind i ugerne, bliver liggende.",
        "Tick the modules the group will work with and put them in the order you will take them. The top module becomes week 1. Participants get the module's exercise as home practice and can read its knowledge part that week. Practices you have put in the weeks yourself stay where they are.";
    // {n}: a week number.
    TeachModuleWeek: "uge {n}", "week {n}";
    // {module}: a module's title.
    TeachModuleUp: "Flyt {module} op", "Move {module} up";
    TeachModuleDown: "Flyt {module} ned", "Move {module} down";
    TeachSaveModules: "Gem og fordel modulerne på ugerne", "Save and assign the modules to weeks";
    TeachDaysAWeek: "dage om ugen", "days a week";
    TeachRemove: "Fjern", "Remove";
    TeachAddPractice: "Tilføj en øvelse", "Add a practice";
    TeachMinutes: "Længde", "Length";
    TeachAdd: "Tilføj", "Add";
    // {week}: the new week's number.
    TeachAddWeek: "Tilføj uge {week}", "Add week {week}";
    TeachWeekSaved: "Gemt.", "Saved.";
    // {practice}: its title.
    TeachRemoved: "{practice} er fjernet fra ugen.", "{practice} is removed from the week.";
    TeachUndo: "Fortryd", "Undo";
    TeachNow: "nu", "now";
    TeachWeekEmpty: "Ingen hjemmepraksis i denne uge endnu.", "No home practice this week yet.";
    TeachFromProgramme: "Fra programmet", "From the programme";
    TeachOtherPractices: "Andre øvelser", "Other practices";
    TeachQr: "QR-kode med invitationslinket", "QR code of the invite link";
    TeachRecordings: "Din stemme", "Your voice";
    TeachRecordingsHelp:
        "Læg dine egne optagelser af øvelserne op, så deltagerne kan høre dig derhjemme. \
         MP3, M4A, WAV, FLAC, Ogg eller WebM.",
        "Upload your own recordings of the practices, so the participants hear you at home. \
         MP3, M4A, WAV, FLAC, Ogg or WebM.";
    TeachRecordingFile: "Lydfil", "Sound file";
    TeachRecordingTitle: "Titel, som deltagerne ser den", "Title, as the participants see it";
    TeachRecordingUpload: "Læg op og del med deltagerne", "Upload and share with the course";
    TeachRecordingSending: "Sender", "Sending";
    TeachRecordingConverting: "Lyden tjekkes og gøres klar …", "Checking the sound and getting it ready …";
    TeachRecordingDone: "Lagt op og delt med deltagerne.", "Uploaded and shared with the course.";
    TeachRecordingNoFile: "Vælg først en lydfil.", "Choose a sound file first.";
    TeachRecordingShared: "Deltagerne hører den", "The course hears it";
    TeachRecordingBells: "Med klokke før og efter", "With a bell before and after";
    TeachBackToCourse: "Tilbage til forløbet", "Back to the course";
    VoiceStart: "Indtal en øvelse", "Record a practice";
    VoiceStartHelp:
        "Læs øvelsens tekst højt, én del ad gangen. Deltagerne hører så din stemme i øvelsen – i alle de længder, hvor der er plads til den.",
        "Read the practice's words aloud, one part at a time. Participants then hear your voice in the practice, at every length that has room for it.";
    VoicePractice: "Øvelse", "Practice";
    VoiceOpen: "Åbn optagelsen", "Open the recording screen";
    VoiceHeading: "Indtal:", "Record:";
    VoiceHelp:
        "Læs delen højt i dit eget tempo, og tryk Stop, når du er færdig. Stilheden før og efter klippes væk, og lydstyrken gøres ens.",
        "Read the part aloud at your own pace and press Stop when you are done. The silence before and after is cut, and the loudness evened out.";
    VoiceCue: "Del", "Part";
    VoiceOf: "af", "of";
    VoiceCuesRecorded: "dele indtalt", "parts recorded";
    VoiceWritten: "Skrevet til omkring", "Written for about";
    VoiceRecord: "Optag", "Record";
    VoiceRecordAgain: "Optag igen", "Record again";
    VoiceStop: "Stop og gem", "Stop and keep";
    VoiceOpening: "Åbner mikrofonen …", "Opening the microphone …";
    VoiceSending: "Gemmer …", "Keeping …";
    VoiceRecording: "Optager", "Recording";
    VoiceRecorded: "indtalt", "recorded";
    VoiceMissing: "mangler", "missing";
    VoiceKept: "Indtalt – varer", "Recorded – lasts";
    VoiceNotYet: "Ikke indtalt endnu.", "Not recorded yet.";
    VoiceNext: "Næste, der mangler", "Next missing";
    VoiceListen: "Lyt til din optagelse", "Listen to your recording";
    VoiceNoMic: "Mikrofonen kunne ikke åbnes.", "The microphone could not be opened.";
    VoiceAllCues: "Alle dele", "All parts";
    VoiceLengths: "Længder med din stemme", "Lengths with your voice";
    VoicePlaysAt: "Kan afspilles ved", "Plays at";
    VoiceTooLongBy: "er for lang med", "is too long by";
    VoiceShared: "Deltagerne hører din stemme i denne øvelse", "The course hears your voice in this practice";
    TeachRecordingNone: "Du har ikke lagt nogen optagelser op endnu.", "You have not uploaded any recordings yet.";
    TeachRecordingUsed: "brugt af", "used of";
    TeachRecordingBad:
        "Filen kunne ikke bruges. Serverens forklaring:",
        "The file could not be used. The server says:";
    TeachRecordingTooLarge:
        "Filen er for stor, eller der er ikke plads til flere optagelser. Serverens forklaring:",
        "The file is too large, or there is no room for more recordings. The server says:";
    TeachRecordingType:
        "Vælg en lydfil: MP3, M4A, WAV, FLAC, Ogg eller WebM.",
        "Choose a sound file: MP3, M4A, WAV, FLAC, Ogg or WebM.";
    TeachRecordingNoServer:
        "Serveren kan ikke tage imod optagelser lige nu. Prøv igen senere, eller spørg den, der driver Stille.",
        "The server cannot take recordings just now. Try again later, or ask whoever runs Stille.";
    UnloadedHeading: "Siden kunne ikke hentes", "This screen could not be fetched";
    UnloadedBody:
        "Den del af Stille er ikke på denne enhed endnu, og den kunne ikke hentes lige nu. Tjek forbindelsen, og prøv igen. Når du har åbnet Stille én gang med net, virker det hele også uden.",
        "This part of Stille is not on this device yet, and it could not be fetched just now. Check the connection and try again. After one visit online, all of Stille works offline too.";
    RouteLoading: "Henter siden …", "Fetching the page…";
    ManageSave: "Gem", "Save";
    ManageSaved: "Gemt.", "Saved.";
    ManagePasswordHeading: "Skift adgangskode", "Change your password";
    ManageCurrentPassword: "Nuværende adgangskode", "Current password";
    ManageNewPassword: "Ny adgangskode", "New password";
    ManagePasswordHelp:
        "Mindst 8 tegn. Et par ord, der ikke hører sammen, er lette at huske og svære at gætte. Når du skifter, bliver du logget ud på dine andre enheder.",
        "At least 8 characters. A few words that do not belong together are easy to remember and hard to guess. When you change it, you are signed out on your other devices.";
    ManagePasswordChanged:
        "Din adgangskode er skiftet. Du er logget ud på dine andre enheder.",
        "Your password is changed. You are signed out on your other devices.";
    ManageCurrentWrong: "Den nuværende adgangskode passer ikke.", "The current password is wrong.";
    ManageResetIntro: "Din adgangskode blev sidst nulstillet", "Your password was last reset on";
    ManageResetByInstructor: "med et link fra", "with a link from";
    ManageResetByAdmin: "med et link fra serverens administrator", "with a link from the server's administrator";
    ManageResetByEmail: "med et link sendt til din e-mail", "with a link sent to your email";
    ManageResetNotYou:
        "Var det ikke dig, så skift adgangskoden nu, og log ud alle andre steder.",
        "If it was not you, change your password now and sign out everywhere else.";
    ManageSessionsHeading: "Hvor du er logget ind", "Where you are signed in";
    ManageThisDevice: "Denne enhed", "This device";
    ManageLastUsed: "sidst brugt", "last used";
    ManageSignOutOthers: "Log ud alle andre steder", "Sign out everywhere else";
    ManageDataHeading: "Dine data på serveren", "Your data on the server";
    ManageExport: "Hent alle dine data", "Download all your data";
    ManageExportHelp:
        "Alt, hvad serveren gemmer om dig, i én fil (JSON): konto, forløb, samtykker og hele din praksis.",
        "Everything the server keeps about you, in one file (JSON): account, courses, consents and all your practice.";
    ManageEraseHeading: "Slet kontoen", "Erase the account";
    ManageEraseHelp:
        "Kontoen og alt, hvad serveren har gemt om dig, bliver slettet for altid: din praksis, dine noter og dine forløb. Det kan ikke fortrydes. Hent dine data først, hvis du vil beholde dem.",
        "The account and everything the server keeps about you are erased for good: your practice, your notes and your courses. This cannot be undone. Download your data first if you want to keep it.";
    ManageEraseConfirm:
        "Ja, slet min konto og alt, hvad serveren har om mig",
        "Yes, erase my account and everything the server has about me";
    ManageEraseDevice:
        "Slet også praksis og noter på denne enhed",
        "Also remove practice and notes from this device";
    ManageEraseButton: "Slet kontoen for altid", "Erase the account for good";
    ManageEraseNeedsConfirm:
        "Sæt kryds for at bekræfte, og skriv din adgangskode.",
        "Tick the box to confirm, and type your password.";
    ForgotSummary: "Glemt din adgangskode?", "Forgot your password?";
    ForgotBody:
        "Bed din underviser om et link, så du kan vælge en ny adgangskode. Underviseren kan lave det, når I ses. Går du ikke på et forløb, så spørg den, der driver denne Stille-server.",
        "Ask your instructor for a link to choose a new password; they can make one when you meet. If you are not on a course, ask whoever runs this Stille server.";
    AccountCode: "Kode fra din godkendelsesapp", "Code from your authenticator app";
    AccountCodeNeeded:
        "Din konto bruger login i to trin. Skriv den sekscifrede kode, som din godkendelsesapp viser lige nu.",
        "Your account signs in with two steps. Type the six-digit code your authenticator app shows now.";
    AccountCodeWrong:
        "Koden passer ikke, eller den er udløbet. Skriv den kode, appen viser nu.",
        "The code is wrong or has run out. Type the code the app shows now.";
    TwoStepHeading: "Log ind i to trin", "Two-step sign-in";
    TwoStepWhy:
        "Med to trin skal man både kende din adgangskode og have din telefon for at logge ind. Du bruger en godkendelsesapp, fx den, der følger med telefonen, eller en anden, du stoler på.",
        "With two steps, signing in takes both your password and your phone. You use an authenticator app, for example the one that comes with your phone, or another you trust.";
    TwoStepNeeded:
        "Som underviser ser du andres praksis. Derfor skal du logge ind i to trin, før du kan bruge dine forløb. Slå det til her, eller lav en adgangsnøgle.",
        "As an instructor you see other people's practice, so you sign in with two steps before you can use your courses. Turn it on here, or make a passkey.";
    TeachTwoStepNeeded:
        "Som underviser ser du andres praksis. Derfor skal du logge ind i to trin, før du kan bruge dine forløb. Slå det til, eller lav en adgangsnøgle, under Din konto.",
        "As an instructor you see other people's practice, so you sign in with two steps before you can use your courses. Turn it on, or make a passkey, under Your account.";
    TwoStepSetUp: "Slå login i to trin til", "Set up two steps";
    PasskeyHeading: "Adgangsnøgler", "Passkeys";
    PasskeyWhy:
        "Med en adgangsnøgle logger du ind med dit fingeraftryk, dit ansigt eller telefonens kode i stedet for adgangskode og kode fra en app. Nøglen bliver på din enhed, og den tæller som login i to trin.",
        "With a passkey you sign in with your fingerprint, your face or your phone's PIN instead of a password and a code from an app. The key stays on your device, and it counts as two-step sign-in.";
    PasskeyName: "Navn på nøglen", "Name of the passkey";
    PasskeyNameRule:
        "Giv nøglen et navn på op til 80 tegn på én linje, fx navnet på din telefon.",
        "Give the passkey a name of up to 80 characters on one line, such as your phone's name.";
    PasskeyAdd: "Lav en adgangsnøgle på denne enhed", "Make a passkey on this device";
    PasskeyAdded:
        "Adgangsnøglen er gemt. Næste gang kan du logge ind med den.",
        "The passkey is saved. Next time you can sign in with it.";
    PasskeyNone: "Du har ingen adgangsnøgler endnu.", "You have no passkeys yet.";
    PasskeyRemove: "Fjern", "Remove";
    PasskeyMade: "Lavet", "Made";
    PasskeyUsed: "sidst brugt", "last used";
    PasskeySynced: "findes på alle dine enheder", "on all your devices";
    PasskeyUnsupported:
        "Denne browser kan ikke bruge adgangsnøgler. Log ind med adgangskode.",
        "This browser cannot use passkeys. Sign in with your password.";
    PasskeyCancelled:
        "Der blev ikke lavet eller brugt nogen nøgle. Prøv igen, når du er klar.",
        "No passkey was made or used. Try again when you are ready.";
    PasskeyExists:
        "Denne enhed har allerede en adgangsnøgle til din konto.",
        "This device already has a passkey for your account.";
    PasskeyRefused:
        "Adgangsnøglen blev ikke godkendt. Prøv igen, eller log ind med adgangskode.",
        "The passkey was not accepted. Try again, or sign in with your password.";
    PasskeySignIn: "Log ind med adgangsnøgle", "Sign in with a passkey";
    TwoStepScan:
        "Scan koden med din godkendelsesapp.",
        "Scan the code with your authenticator app.";
    TwoStepQr: "QR-kode til godkendelsesappen", "QR code for the authenticator app";
    TwoStepOpenHere:
        "Har du appen på denne telefon? Åbn den herfra",
        "Is the app on this phone? Open it from here";
    TwoStepOrType: "Eller skriv nøglen i appen:", "Or type the key into the app:";
    TwoStepTurnOn: "Bekræft og slå til", "Confirm and turn on";
    TwoStepIsOn:
        "Login i to trin er slået til. Næste gang du logger ind, skal du også bruge koden fra appen.",
        "Two steps are on. Next time you sign in, you also need the code from the app.";
    ForgotMailIntro:
        "Skriv din e-mail, så sender vi et link, som du kan vælge en ny adgangskode med.",
        "Type your email, and we will send a link to choose a new password with.";
    ForgotMailSend: "Send mig et link", "Email me a link";
    ForgotMailSent:
        "Hvis der er en konto med den adresse, er et link på vej til den. Det virker én gang og i en time.",
        "If there is an account with that address, a link is on its way to it. It works once, for an hour.";
    ForgotOrInstructor:
        "Du kan også bede din underviser om et link, når I ses.",
        "You can also ask your instructor for a link when you meet.";
    CheckEmailHeading: "Tjek din mail", "Check your email";
    CheckEmailSentTo: "Vi har sendt et link til", "We have sent a link to";
    CheckEmailSignUp:
        "Åbn linket, så er din konto klar. Det virker én gang og i et døgn.",
        "Open the link and your account is ready. It works once, for a day.";
    CheckEmailNothing:
        "Ingen mail efter et par minutter? Kig i uønsket post, og tjek, at adressen er stavet rigtigt.",
        "No mail after a few minutes? Look in the spam folder, and check that the address is spelled right.";
    WelcomeHeading: "Velkommen til Stille", "Welcome to Stille";
    WelcomeIntro: "Tryk på knappen, så er din konto klar.", "Tap the button and your account is ready.";
    WelcomeFinish: "Gør min konto klar", "Finish my account";
    WelcomeDone:
        "Din konto er klar. Log ind med din e-mail og den adgangskode, du valgte.",
        "Your account is ready. Sign in with your email and the password you chose.";
    WelcomeLinkInvalid:
        "Linket virker ikke længere: det er brugt, eller det er mere end et døgn gammelt. Opret kontoen igen.",
        "This link no longer works: it was used, or it is more than a day old. Sign up again.";
    WelcomeTaken:
        "Der er allerede en konto med den e-mail. Log ind, eller vælg en ny adgangskode, hvis du har glemt den.",
        "There already is an account with this email. Sign in, or choose a new password if you forgot it.";
    ResetHeading: "Vælg en ny adgangskode", "Choose a new password";
    ResetIntro:
        "Linket virker én gang og i en time. Når den nye adgangskode er gemt, bliver du logget ud alle steder, og så logger du ind igen med den nye.",
        "The link works once, for an hour. When the new password is saved, you are signed out everywhere, and then you sign in again with the new one.";
    ResetSave: "Gem den nye adgangskode", "Save the new password";
    ResetDone: "Din nye adgangskode er gemt. Log ind med den.", "Your new password is saved. Sign in with it.";
    ResetGoSignIn: "Til log ind", "Go to sign in";
    ResetNoToken:
        "Der mangler noget i linket. Åbn det igen fra beskeden, du fik, eller bed om et nyt.",
        "The link is not complete. Open it again from the message you got, or ask for a new one.";
    ResetLinkInvalid:
        "Linket virker ikke længere: det er brugt, eller det er mere end en time gammelt. Bed om et nyt.",
        "This link no longer works: it was used, or it is over an hour old. Ask for a new one.";
    TeachResetLink: "Lav et link til ny adgangskode", "Make a link for a new password";
    TeachResetHelp:
        "Til en deltager, der har glemt sin adgangskode. Giv kun linket til personen selv, når I ses. Det virker én gang og i en time, og deltageren kan se, at det er brugt, og hvem der lavede det.",
        "For a participant who forgot their password. Give the link only to the person themselves, when you meet. It works once, for an hour, and the participant can see that it was used, and who made it.";
    TeachResetUntil: "Virker til", "Works until";
    SettingsErasedSignedIn:
        "Dine data er slettet fra denne enhed. Din konto har stadig sin kopi, og den hentes tilbage, så længe du er logget ind. Vil du have den væk fra enheden, så log ud, og vælg at fjerne enhedens kopi.",
        "Your data has been erased from this device. Your account still has its copy, and it comes back while you are signed in. To keep it off this device, sign out and choose to remove the device's copy.";
}

/// The name of a playback mode, as the lab and the player show it.
pub fn mode_key(mode: stille_audio::mode::Mode) -> Key {
    use stille_audio::mode::Mode;
    match mode {
        Mode::Soundtrack => Key::LabModeSoundtrack,
        Mode::Live => Key::LabModeLive,
        Mode::Silent => Key::LabModeSilent,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The number the release build names its files by is the sum of the
    /// tables this build has, and each table has a text for every key.
    #[test]
    fn the_fingerprint_is_taken_of_both_tables() {
        assert_eq!(DA.len(), COUNT);
        assert_eq!(EN.len(), COUNT);
        assert_eq!(fingerprint(DA, EN), FINGERPRINT);
        assert_ne!(fingerprint(EN, DA), FINGERPRINT, "the order counts");
        assert_ne!(fingerprint(&["ab", "c"], &[]), fingerprint(&["a", "bc"], &[]), "so do the texts' ends");
        assert_eq!(fingerprint(&[], &[]), 0xcbf2_9ce4_8422_2325);
        let first = table_url(Lang::Da, false);
        assert!(first.starts_with("/assets/strings-") && first.ends_with(".da.json"), "{first}");
        assert!(first.contains(&format!("{FINGERPRINT:016x}")), "{first}");
        assert!(table_url(Lang::En, true).ends_with(".en.rest.json"));
        assert_eq!(t(Lang::Da, Key::NavHome), "Hjem");
        assert_eq!(t(Lang::En, Key::NavHome), "Home");
    }

    /// The UI's Danish keeps to the same glossary as the catalog's.
    #[test]
    fn the_danish_strings_keep_to_the_glossary() {
        let strays: Vec<String> = DA
            .iter()
            .flat_map(|text| {
                stille_practice::glossary::problems(text).into_iter().map(move |p| format!("{text:?}: {p}"))
            })
            .collect();
        assert!(strays.is_empty(), "{}", strays.join("\n"));
    }
}

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
    LabReady,
    LabMeasure,
    LabMeasured,
    LabMode,
    LabModeAuto,
    LabModeSoundtrack,
    LabModeLive,
    LabModeSilent,
    LabModeNaive,
    LabModeInUse,
    LabAutomatic,
    LabTest,
    LabTestBells,
    LabTestTimer,
    LabTestGuided,
    LabBusy,
    LabBlock,
    LabBlockNotYet,
    LabBlockHidden,
    LabBlockVisible,
    LabHidden,
    LabResume,
    LabInterrupted,
    LabVoices,
    NavSettings,
    SettingsHeading,
    SettingsPlayback,
    SettingsPlaybackHelp,
    SettingsPlaybackAuto,
    SettingsSpeech,
    SettingsSpeechHelp,
    SettingsVoice,
    SettingsVoiceDefault,
    SettingsVoiceNone,
    SettingsVoiceTry,
    SettingsVoiceSample,
    PracticeNotFound,
    PracticeBack,
    PracticeLength,
    PracticeAnchor,
    PracticeEyes,
    PracticeEyesClosed,
    PracticeEyesOpen,
    PracticeBell,
    BellBowl,
    BellTemple,
    BellChime,
    BellWood,
    PracticeInterval,
    PracticeIntervalNone,
    PracticeIntervalEvery,
    PracticeAmbient,
    AmbientNone,
    AmbientPink,
    AmbientBrown,
    PracticeStart,
    PracticeSource,
    PracticeInformal,
    PlayerBack,
    PlayerPause,
    PlayerResumeAt,
    PlayerContinue,
    PlayerPlay,
    PlayerStop,
    PlayerRemaining,
    PlayerDone,
    BreathIn,
    BreathTopUp,
    BreathHoldIn,
    BreathOut,
    BreathHoldOut,
    NavHistory,
    HistoryHeading,
    HistoryEmpty,
    HistoryUnreadable,
    HistoryCompleted,
    HistoryStopped,
    HistoryUnfinished,
    HistoryOf,
    HistoryDelete,
    HistoryDeleteConfirm,
    NavHelp,
    HelpHeading,
    HelpEmergency,
    HelpCall112,
    HelpSuicide,
    HelpLivslinien,
    HelpCallLivslinien,
    HelpMedical,
    HelpMedicalText,
    HelpInstructor,
    HelpInstructorText,
    HelpInPractice,
    SettingsData,
    SettingsDataHelp,
    SettingsExport,
    SettingsErase,
    SettingsEraseConfirm,
    SettingsErased,
    SettingsTheme,
    SettingsThemeSystem,
    SettingsThemeLight,
    SettingsThemeDark,
    UpdateReady,
    UpdateReload,
    AfterHeading,
    AfterIntro,
    AfterDistress,
    AfterDistressNone,
    AfterDistressMost,
    AfterLadder,
    LadderVentral,
    LadderVentralHint,
    LadderSympathetic,
    LadderSympatheticHint,
    LadderDorsal,
    LadderDorsalHint,
    AfterNote,
    AfterPrivate,
    AfterSave,
    AfterSkip,
    HistoryCheckIn,
    HistoryDistress,
    SettingsProgress,
    SettingsStreaks,
    SettingsStreaksHelp,
    ProgressHeading,
    ProgressHeatmap,
    ProgressWeeks,
    ProgressMinutes,
    ProgressStreak,
    ProgressLess,
    ProgressMore,
    ProgressDaysLabel,
    ProgressMinutesLabel,
    LibrarySearch,
    LibraryKind,
    LibraryLength,
    LibraryAny,
    LibraryUpTo,
    LibraryKindGuided,
    LibraryKindBreathing,
    LibraryKindTimer,
    LibraryKindInformal,
    LibraryShowing,
    LibraryOf,
    LibraryNone,
    HomeNow,
    HomeAgain,
    HomeShort,
    PracticeLogInformal,
    PracticeLogged,
    SettingsBreathing,
    SettingsVibrate,
    SettingsVibrateHelp,
    HistoryEdit,
    HistoryEditHeading,
    EditDate,
    EditTime,
    EditMinutes,
    EditSave,
    EditCancel,
    EditErrDate,
    EditErrTime,
    EditErrMinutes,
    EditErrFuture,
    HistoryBefore,
    HistoryAfter,
    BeforeSummary,
    BeforeIntro,
    AfterBeforeWas,
    DetailsLoading,
    DetailsFailed,
    DetailsRetry,
    AccountHeading,
    AccountWhy,
    AccountSignIn,
    AccountCreate,
    AccountName,
    AccountNameHelp,
    AccountEmail,
    AccountPassword,
    AccountOffline,
    AccountWrongPassword,
    AccountEmailTaken,
    AccountTooMany,
    AccountEmailInvalid,
    AccountPasswordRule,
    AccountNameRule,
    AccountFailed,
    AccountSignedInAs,
    AccountOtherOwner,
    AccountAdopt,
    AccountSyncNow,
    AccountSignOut,
    AccountRemoveCopy,
    AccountUnsyncedWarning,
    AccountSignOutAnyway,
    SyncLocal,
    SyncSyncing,
    SyncSynced,
    SyncWaiting,
    SyncSignInAgain,
    SyncProblem,
    SyncOtherOwner,
    NavJoin,
    JoinHeading,
    JoinCode,
    JoinLookUp,
    JoinNoCourse,
    JoinConflict,
    JoinSignIn,
    JoinTaughtBy,
    JoinStarts,
    JoinWeeks,
    JoinShareAdherence,
    JoinShareAdherenceHelp,
    JoinShareReflections,
    JoinShareReflectionsHelp,
    JoinNeverShared,
    JoinYes,
    JoinNo,
    JoinAnswerBoth,
    JoinSubmit,
    CoursesHeading,
    CoursesNone,
    CoursesShareAdherence,
    CoursesShareReflections,
    CoursesLeave,
    CoursesLeaveConfirm,
    WeekHeading,
    WeekDays,
    WeekTimes,
    WeekStartsOn,
    WeekNextSession,
    WeekKnowledge,
    HistoryShare,
    HistoryShared,
    HistoryStopSharing,
    HistoryEmptySynced,
    HomeSignedIn,
    AfterPrivateSynced,
    SyncChanges,
    HomeAccountLink,
    SettingsAccountLink,
    TeachHeading,
    TeachNone,
    TeachParticipants,
    TeachOnlyInstructors,
    TeachNew,
    TeachTitle,
    TeachStart,
    TeachTemplate,
    TeachScratch,
    TeachCreate,
    TeachInvite,
    TeachLink,
    TeachExpires,
    TeachNewInvite,
    TeachCsv,
    TeachGroup,
    TeachHeatmap,
    TeachWeekTable,
    TeachParticipant,
    TeachParticipantsHeading,
    TeachNotShared,
    TeachSessions,
    TeachTrend,
    TeachWeek,
    TeachReflections,
    TeachNoReflections,
    TeachPlan,
    TeachDaysAWeek,
    TeachRemove,
    TeachAddPractice,
    TeachMinutes,
    TeachAdd,
    TeachQr,
    UnloadedHeading,
    UnloadedBody,
    RouteLoading,
    SettingsErasedSignedIn,
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
            "Tjek at lyden kommer til tiden på din telefon: vælg en test, forbered den, tryk afspil, og \
             lås gerne skærmen eller skift til en anden app. Klokketesten ringer hvert 20. sekund i tre \
             minutter."
        }
        (LabIntro, En) => {
            "Check that sound comes on time on your phone: choose a test, prepare it, press play, and \
             lock the screen or switch to another app if you like. The bell test rings every 20 \
             seconds for three minutes."
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
            "Al lyd er lagt på lydens eget ur, før afspilningen begynder (som ét lydspor eller planlagt i \
             Web Audio), så den kommer til tiden, selv når siden ikke bliver opdateret. \"Set af siden\" \
             er hvornår siden opdagede klokken på lydens ur: med låst skærm kan den komme sent, mens \
             lyden stadig kommer til tiden. Lyt efter."
        }
        (LabNote, En) => {
            "All sound is placed on the audio clock before playback starts (as one soundtrack, or \
             scheduled in Web Audio), so it comes on time even when the page is not updating. \"Seen by \
             the page\" is when the page noticed the bell on the audio clock: with the screen locked it \
             may come late while the sound stays on time. Listen for it."
        }
        (LabMeasure, Da) => {
            "Mål lyden der kommer ud (sender lyden gennem Web Audio; ikke til test med låst skærm på iPhone)"
        }
        (LabMeasure, En) => {
            "Measure the sound that comes out (routes it through Web Audio; not for locked-screen checks on iPhone)"
        }
        (LabMode, Da) => "Afspilning",
        (LabMode, En) => "Playback",
        (LabModeAuto, Da) => "Som i øvelserne (din indstilling)",
        (LabModeAuto, En) => "As in the practices (your setting)",
        (LabModeSoundtrack, Da) => "Lydspor (spiller videre med låst skærm)",
        (LabModeSoundtrack, En) => "Soundtrack (plays on with the screen locked)",
        (LabModeLive, Da) => "Direkte (Web Audio, til vejrtrækningsguider)",
        (LabModeLive, En) => "Live (Web Audio, for breathing pacers)",
        (LabModeSilent, Da) => "Uden lyd (kun tekst på skærmen)",
        (LabModeSilent, En) => "Without sound (text on screen only)",
        (LabModeNaive, Da) => "En enkel timer (setTimeout), til sammenligning",
        (LabModeNaive, En) => "A plain timer (setTimeout), for comparison",
        (LabModeInUse, Da) => "Afspilning i brug",
        (LabModeInUse, En) => "Playback in use",
        (LabAutomatic, Da) => "Automatisk valg her",
        (LabAutomatic, En) => "Automatic choice here",
        (LabMeasured, Da) => "Målt i lyden",
        (LabMeasured, En) => "Measured in the output",
        (LabReady, Da) => "Klar:",
        (LabReady, En) => "Ready:",
        (LabTest, Da) => "Test",
        (LabTest, En) => "Test",
        (LabTestBells, Da) => "Klokker hvert 20. sekund (3 min)",
        (LabTestBells, En) => "Bells every 20 seconds (3 min)",
        (LabTestTimer, Da) => "Stille timer, 45 min med 10 klokker undervejs",
        (LabTestTimer, En) => "Silent timer, 45 min with 10 interval bells",
        (LabTestGuided, Da) => "Guidet: tre minutters åndehul (tekst og tale)",
        (LabTestGuided, En) => "Guided: three-minute breathing space (text and speech)",
        (LabBusy, Da) => "Travl side: bloker siden i 5 sekunder omkring den anden klokke",
        (LabBusy, En) => "Busy page: block the page for 5 seconds around the second bell",
        (LabBlock, Da) => "Blokering",
        (LabBlock, En) => "Block",
        (LabBlockNotYet, Da) => "ikke sket",
        (LabBlockNotYet, En) => "not yet",
        (LabBlockHidden, Da) => "sket mens siden var skjult",
        (LabBlockHidden, En) => "happened while the page was hidden",
        (LabBlockVisible, Da) => "sket mens siden var synlig",
        (LabBlockVisible, En) => "happened while the page was visible",
        (LabHidden, Da) => "Tid siden var skjult",
        (LabHidden, En) => "Time the page was hidden",
        (LabResume, Da) => "Fortsæt ved",
        (LabResume, En) => "Resume at",
        (LabInterrupted, Da) => "Lyden blev afbrudt af telefonen. Tryk Afspil for at fortsætte, hvor du var.",
        (LabInterrupted, En) => "The phone interrupted the sound. Press Play to carry on where you were.",
        (LabVoices, Da) => "Stemmer på dansk",
        (LabVoices, En) => "Voices in English",
        (NavSettings, Da) => "Indstillinger",
        (NavSettings, En) => "Settings",
        (SettingsHeading, Da) => "Indstillinger",
        (SettingsHeading, En) => "Settings",
        (SettingsPlayback, Da) => "Afspilning",
        (SettingsPlayback, En) => "Playback",
        (SettingsPlaybackHelp, Da) => {
            "Automatisk vælger lydspor, der spiller videre med låst skærm og viser knapper på \
             låseskærmen, hvor telefonen kan; ellers direkte Web Audio."
        }
        (SettingsPlaybackHelp, En) => {
            "Automatic chooses a soundtrack, which plays on with the screen locked and shows controls \
             on the lock screen, wherever the phone can; otherwise live Web Audio."
        }
        (SettingsPlaybackAuto, Da) => "Automatisk",
        (SettingsPlaybackAuto, En) => "Automatic",
        (SettingsSpeech, Da) => "Læs vejledningen højt",
        (SettingsSpeech, En) => "Read the guidance aloud",
        (SettingsSpeechHelp, Da) => {
            "Teksten vises altid på skærmen. Oplæsning bruger telefonens egne stemmer, når der er en \
             på sproget."
        }
        (SettingsSpeechHelp, En) => {
            "The text is always shown on screen. Reading aloud uses the phone's own voices, when it \
             has one for the language."
        }
        (SettingsVoice, Da) => "Stemme",
        (SettingsVoice, En) => "Voice",
        (SettingsVoiceDefault, Da) => "Telefonens standard",
        (SettingsVoiceDefault, En) => "The phone's default",
        (SettingsVoiceNone, Da) => "Denne browser har ingen stemme på dansk. Vejledningen vises som tekst.",
        (SettingsVoiceNone, En) => "This browser has no voice in English. The guidance is shown as text.",
        (SettingsVoiceTry, Da) => "Prøv stemmen",
        (SettingsVoiceTry, En) => "Try the voice",
        (PracticeNotFound, Da) => "Øvelsen findes ikke",
        (PracticeNotFound, En) => "There is no such practice",
        (PracticeBack, Da) => "← Alle øvelser",
        (PracticeBack, En) => "← All practices",
        (PracticeLength, Da) => "Længde",
        (PracticeLength, En) => "Length",
        (PracticeAnchor, Da) => "Hvor opmærksomheden hviler",
        (PracticeAnchor, En) => "Where attention rests",
        (PracticeEyes, Da) => "Øjnene",
        (PracticeEyes, En) => "Eyes",
        (PracticeEyesClosed, Da) => "Lukkede (eller halvt åbne med blikket sænket)",
        (PracticeEyesClosed, En) => "Closed (or half open, gaze lowered)",
        (PracticeEyesOpen, Da) => "Åbne",
        (PracticeEyesOpen, En) => "Open",
        (PracticeBell, Da) => "Klokke",
        (PracticeBell, En) => "Bell",
        (BellBowl, Da) => "Syngeskål",
        (BellBowl, En) => "Singing bowl",
        (BellTemple, Da) => "Tempelklokke",
        (BellTemple, En) => "Temple bell",
        (BellChime, Da) => "Lys klokke",
        (BellChime, En) => "Light chime",
        (BellWood, Da) => "Træ",
        (BellWood, En) => "Wooden knock",
        (PracticeInterval, Da) => "Klokker undervejs",
        (PracticeInterval, En) => "Interval bells",
        (PracticeIntervalNone, Da) => "Ingen",
        (PracticeIntervalNone, En) => "None",
        (PracticeIntervalEvery, Da) => "Hver",
        (PracticeIntervalEvery, En) => "Every",
        (PracticeAmbient, Da) => "Baggrundslyd",
        (PracticeAmbient, En) => "Background sound",
        (AmbientNone, Da) => "Ingen (stilhed)",
        (AmbientNone, En) => "None (silence)",
        (AmbientPink, Da) => "Blød susen (lyserød støj)",
        (AmbientPink, En) => "Soft rushing (pink noise)",
        (AmbientBrown, Da) => "Dyb, mørk susen (brun støj)",
        (AmbientBrown, En) => "Deep, low rushing (brown noise)",
        (PracticeStart, Da) => "Begynd",
        (PracticeStart, En) => "Begin",
        (PracticeSource, Da) => "Kilde",
        (PracticeSource, En) => "Source",
        (PracticeInformal, Da) => "Denne øvelse gøres i hverdagen. Spørgsmålene her kan guide dig:",
        (PracticeInformal, En) => "This practice is done in daily life. These questions can guide you:",
        (PlayerBack, Da) => "Tilbage til øvelsen",
        (PlayerBack, En) => "Back to the practice",
        (PlayerPause, Da) => "Pause",
        (PlayerPause, En) => "Pause",
        (PlayerResumeAt, Da) => "Fortsæt ved",
        (PlayerResumeAt, En) => "Resume at",
        (PlayerContinue, Da) => "Fortsæt",
        (PlayerContinue, En) => "Continue",
        (PlayerPlay, Da) => "Begynd",
        (PlayerPlay, En) => "Begin",
        (PlayerStop, Da) => "Stop",
        (PlayerStop, En) => "Stop",
        (PlayerRemaining, Da) => "Tid tilbage",
        (PlayerRemaining, En) => "Time remaining",
        (PlayerDone, Da) => "Øvelsen er slut. Tag et øjeblik, før du går videre.",
        (PlayerDone, En) => "The practice has ended. Take a moment before you move on.",
        (BreathIn, Da) => "Ånd ind",
        (BreathIn, En) => "Breathe in",
        (BreathTopUp, Da) => "Lidt mere ind",
        (BreathTopUp, En) => "A little more in",
        (BreathHoldIn, Da) => "Hold",
        (BreathHoldIn, En) => "Hold",
        (BreathOut, Da) => "Ånd ud",
        (BreathOut, En) => "Breathe out",
        (BreathHoldOut, Da) => "Hvil",
        (BreathHoldOut, En) => "Rest",
        (NavHistory, Da) => "Historik",
        (NavHistory, En) => "History",
        (HistoryHeading, Da) => "Din praksis",
        (HistoryHeading, En) => "Your practice",
        (HistoryEmpty, Da) => {
            "Her kommer dine øvelser til at stå, når du har øvet. Alt bliver på denne enhed."
        }
        (HistoryEmpty, En) => {
            "Your practices will appear here once you have practised. Everything stays on this device."
        }
        (HistoryUnreadable, Da) => "gemte poster kunne ikke læses og er ladt urørte.",
        (HistoryUnreadable, En) => "saved records could not be read and have been left as they are.",
        (HistoryCompleted, Da) => "gennemført",
        (HistoryCompleted, En) => "completed",
        (HistoryStopped, Da) => "stoppet undervejs",
        (HistoryStopped, En) => "stopped early",
        (HistoryUnfinished, Da) => "ikke afsluttet",
        (HistoryUnfinished, En) => "not finished",
        (HistoryOf, Da) => "af",
        (HistoryOf, En) => "of",
        (HistoryDelete, Da) => "Slet",
        (HistoryDelete, En) => "Delete",
        (HistoryDeleteConfirm, Da) => "Tryk igen for at slette",
        (HistoryDeleteConfirm, En) => "Press again to delete",
        (NavHelp, Da) => "Brug for hjælp nu?",
        (NavHelp, En) => "Need help now?",
        (HelpHeading, Da) => "Brug for hjælp nu?",
        (HelpHeading, En) => "Need help now?",
        (HelpEmergency, Da) => "Er du eller en anden i fare?",
        (HelpEmergency, En) => "Are you or someone else in danger?",
        (HelpCall112, Da) => "Ring 112",
        (HelpCall112, En) => "Call 112",
        (HelpSuicide, Da) => "Tanker om selvmord?",
        (HelpSuicide, En) => "Thoughts of suicide?",
        (HelpLivslinien, Da) => "Livslinien lytter, anonymt: 70 201 201.",
        (HelpLivslinien, En) => "Livslinien listens, anonymously (in Danish): 70 201 201.",
        (HelpCallLivslinien, Da) => "Ring til Livslinien",
        (HelpCallLivslinien, En) => "Call Livslinien",
        (HelpMedical, Da) => "Brug for en læge uden for lægens åbningstid?",
        (HelpMedical, En) => "Need a doctor outside your GP's opening hours?",
        (HelpMedicalText, Da) => "Ring til lægevagten i din region. I Region Hovedstaden: 1813.",
        (HelpMedicalText, En) => {
            "Call the out-of-hours medical service in your region. In the Capital Region: 1813."
        }
        (HelpInstructor, Da) => "Din underviser",
        (HelpInstructor, En) => "Your instructor",
        (HelpInstructorText, Da) => {
            "Går du på et forløb, så kontakt din underviser, som I har aftalt. Stille er ikke en krisetjeneste."
        }
        (HelpInstructorText, En) => {
            "If you are in a course, contact your instructor as you have agreed. Stille is not a crisis service."
        }
        (HelpInPractice, Da) => {
            "Under en øvelse kan du altid stoppe, åbne øjnene, bevæge dig eller trække vejret, som du har brug for."
        }
        (HelpInPractice, En) => {
            "During a practice you can always stop, open your eyes, move or breathe as you need to."
        }
        (SettingsData, Da) => "Dine data på denne enhed",
        (SettingsData, En) => "Your data on this device",
        (SettingsDataHelp, Da) => {
            "Din historik og dine indstillinger ligger kun her, på denne enhed. Du kan hente en kopi eller slette det hele."
        }
        (SettingsDataHelp, En) => {
            "Your history and settings are kept only here, on this device. You can download a copy or erase it all."
        }
        (SettingsExport, Da) => "Hent mine data (JSON)",
        (SettingsExport, En) => "Download my data (JSON)",
        (SettingsErase, Da) => "Slet mine data på denne enhed",
        (SettingsErase, En) => "Erase my data on this device",
        (SettingsEraseConfirm, Da) => "Tryk igen: alt slettes og kan ikke hentes tilbage",
        (SettingsEraseConfirm, En) => "Press again: everything is erased and cannot be brought back",
        (SettingsErased, Da) => "Dine data er slettet fra denne enhed.",
        (SettingsErased, En) => "Your data has been erased from this device.",
        (SettingsTheme, Da) => "Udseende",
        (SettingsTheme, En) => "Appearance",
        (SettingsThemeSystem, Da) => "Som telefonen",
        (SettingsThemeSystem, En) => "As the phone",
        (SettingsThemeLight, Da) => "Lyst",
        (SettingsThemeLight, En) => "Light",
        (SettingsThemeDark, Da) => "Mørkt",
        (SettingsThemeDark, En) => "Dark",
        (SettingsVoiceSample, Da) => "Mærk fødderne mod gulvet, og lad åndedrættet være, som det er.",
        (SettingsVoiceSample, En) => "Feel your feet on the floor, and let the breath be as it is.",
        (UpdateReady, Da) => "En ny version af Stille er klar.",
        (UpdateReady, En) => "A new version of Stille is ready.",
        (UpdateReload, Da) => "Genindlæs",
        (UpdateReload, En) => "Reload",
        (AfterHeading, Da) => "Tag et øjeblik",
        (AfterHeading, En) => "Take a moment",
        (AfterIntro, Da) => {
            "Før du går videre, kan du lægge mærke til, hvordan du har det lige nu. Alt her er frivilligt."
        }
        (AfterIntro, En) => {
            "Before you move on, you can notice how you are right now. Everything here is optional."
        }
        (AfterDistress, Da) => "Hvor meget uro eller belastning mærker du lige nu?",
        (AfterDistress, En) => "How much distress do you feel right now?",
        (AfterDistressNone, Da) => "0 = ingen",
        (AfterDistressNone, En) => "0 = none",
        (AfterDistressMost, Da) => "10 = det mest tænkelige",
        (AfterDistressMost, En) => "10 = the most you can imagine",
        (AfterLadder, Da) => "Hvor er du på stigen?",
        (AfterLadder, En) => "Where are you on the ladder?",
        (LadderVentral, Da) => "Tryg og forbundet",
        (LadderVentral, En) => "Safe and connected",
        (LadderVentralHint, Da) => "ventral: rolig, nysgerrig, i kontakt",
        (LadderVentralHint, En) => "ventral: calm, curious, in touch",
        (LadderSympathetic, Da) => "På vagt og i gang",
        (LadderSympathetic, En) => "Alert and mobilised",
        (LadderSympatheticHint, Da) => "sympatisk: uro, travlhed, kamp eller flugt",
        (LadderSympatheticHint, En) => "sympathetic: restless, rushing, fight or flight",
        (LadderDorsal, Da) => "Lukket ned",
        (LadderDorsal, En) => "Shut down",
        (LadderDorsalHint, Da) => "dorsal: tung, fjern, uden energi",
        (LadderDorsalHint, En) => "dorsal: heavy, far away, no energy",
        (AfterNote, Da) => "En note til dig selv (frivillig)",
        (AfterNote, En) => "A note for yourself (optional)",
        (AfterPrivate, Da) => "Det, du skriver her, bliver på denne enhed.",
        (AfterPrivate, En) => "What you write here stays on this device.",
        (AfterSave, Da) => "Gem",
        (AfterSave, En) => "Save",
        (AfterSkip, Da) => "Spring over",
        (AfterSkip, En) => "Skip",
        (HistoryCheckIn, Da) => "Tjek-ind",
        (HistoryCheckIn, En) => "Check-in",
        (HistoryDistress, Da) => "uro",
        (HistoryDistress, En) => "distress",
        (SettingsProgress, Da) => "Fremskridt",
        (SettingsProgress, En) => "Progress",
        (SettingsStreaks, Da) => "Vis dage i træk",
        (SettingsStreaks, En) => "Show days in a row",
        (SettingsStreaksHelp, Da) => {
            "Slået fra som udgangspunkt: øvelse er ikke en konkurrence, og en pause er også en del af det."
        }
        (SettingsStreaksHelp, En) => {
            "Off unless you choose it: practice is not a contest, and a pause is part of it too."
        }
        (ProgressHeading, Da) => "Dine uger",
        (ProgressHeading, En) => "Your weeks",
        (ProgressHeatmap, Da) => "Dage med øvelse de sidste 12 uger",
        (ProgressHeatmap, En) => "Days with practice in the last 12 weeks",
        (ProgressWeeks, Da) => "Minutter pr. uge",
        (ProgressWeeks, En) => "Minutes per week",
        (ProgressMinutes, Da) => "minutter",
        (ProgressMinutes, En) => "minutes",
        (ProgressStreak, Da) => "dage i træk",
        (ProgressStreak, En) => "days in a row",
        (ProgressLess, Da) => "Mindre",
        (ProgressLess, En) => "Less",
        (ProgressMore, Da) => "Mere",
        (ProgressMore, En) => "More",
        (ProgressDaysLabel, Da) => "Dage med øvelse",
        (ProgressDaysLabel, En) => "Days with practice",
        (ProgressMinutesLabel, Da) => "Minutter i alt",
        (ProgressMinutesLabel, En) => "Minutes in all",
        (LibrarySearch, Da) => "Søg",
        (LibrarySearch, En) => "Search",
        (LibraryKind, Da) => "Slags",
        (LibraryKind, En) => "Kind",
        (LibraryLength, Da) => "Længde",
        (LibraryLength, En) => "Length",
        (LibraryAny, Da) => "Alle",
        (LibraryAny, En) => "Any",
        (LibraryUpTo, Da) => "Højst",
        (LibraryUpTo, En) => "Up to",
        (LibraryKindGuided, Da) => "Guidet",
        (LibraryKindGuided, En) => "Guided",
        (LibraryKindBreathing, Da) => "Åndedrætsrytme",
        (LibraryKindBreathing, En) => "Breathing pattern",
        (LibraryKindTimer, Da) => "Stille timer",
        (LibraryKindTimer, En) => "Silent timer",
        (LibraryKindInformal, Da) => "I hverdagen",
        (LibraryKindInformal, En) => "In daily life",
        (LibraryShowing, Da) => "Viser",
        (LibraryShowing, En) => "Showing",
        (LibraryOf, Da) => "af",
        (LibraryOf, En) => "of",
        (LibraryNone, Da) => "Ingen øvelser passer. Prøv andre ord eller færre valg.",
        (LibraryNone, En) => "No practices match. Try other words or fewer choices.",
        (HomeNow, Da) => "Hvad vil du øve nu?",
        (HomeNow, En) => "What would you like to practise now?",
        (HomeAgain, Da) => "Igen",
        (HomeAgain, En) => "Again",
        (HomeShort, Da) => "Kort og godt lige nu",
        (HomeShort, En) => "Short, for right now",
        (PracticeLogInformal, Da) => "Jeg har gjort det i dag",
        (PracticeLogInformal, En) => "I did this today",
        (PracticeLogged, Da) => "Skrevet i din praksis.",
        (PracticeLogged, En) => "Added to your practice.",
        (SettingsBreathing, Da) => "Åndedrætsøvelser",
        (SettingsBreathing, En) => "Breathing practices",
        (SettingsVibrate, Da) => "Vibrér når du skal ånde ind og ud",
        (SettingsVibrate, En) => "Vibrate for each in- and out-breath",
        (SettingsVibrateHelp, Da) => {
            "Ét kort summ for ind, to for ud – så du kan følge rytmen med lukkede øjne. Virker på telefoner, der kan vibrere, mens skærmen er tændt."
        }
        (SettingsVibrateHelp, En) => {
            "One short buzz for in, two for out, so you can follow the rhythm with your eyes closed. Works on phones that can vibrate, while the screen is on."
        }
        (HistoryEdit, Da) => "Ret",
        (HistoryEdit, En) => "Edit",
        (HistoryEditHeading, Da) => "Ret øvelsen",
        (HistoryEditHeading, En) => "Correct this practice",
        (EditDate, Da) => "Dato",
        (EditDate, En) => "Date",
        (EditTime, Da) => "Klokken",
        (EditTime, En) => "Time",
        (EditMinutes, Da) => "Minutter øvet",
        (EditMinutes, En) => "Minutes practised",
        (EditSave, Da) => "Gem rettelsen",
        (EditSave, En) => "Save the change",
        (EditCancel, Da) => "Fortryd",
        (EditCancel, En) => "Cancel",
        (EditErrDate, Da) => "Datoen er ikke en rigtig dato.",
        (EditErrDate, En) => "The date is not a real date.",
        (EditErrTime, Da) => "Klokkeslættet skal skrives som TT:MM.",
        (EditErrTime, En) => "The time must be written as HH:MM.",
        (EditErrMinutes, Da) => "Minutter skal være et helt tal fra 1 til 1440.",
        (EditErrMinutes, En) => "Minutes must be a whole number from 1 to 1440.",
        (EditErrFuture, Da) => "Starttidspunktet ligger i fremtiden.",
        (EditErrFuture, En) => "The start is in the future.",
        (HistoryBefore, Da) => "før",
        (HistoryBefore, En) => "before",
        (HistoryAfter, Da) => "efter",
        (HistoryAfter, En) => "after",
        (BeforeSummary, Da) => "Hvordan har du det lige nu? (valgfrit)",
        (BeforeSummary, En) => "How are you right now? (optional)",
        (BeforeIntro, Da) => {
            "Et kort tjek-ind før du begynder. Det gemmes sammen med øvelsen, så du bagefter kan se, om noget har flyttet sig."
        }
        (BeforeIntro, En) => {
            "A short check-in before you begin. It is kept with the practice, so afterwards you can see whether anything shifted."
        }
        (AfterBeforeWas, Da) => "Før du begyndte:",
        (AfterBeforeWas, En) => "Before you began:",
        (DetailsLoading, Da) => "Henter øvelsens tekst …",
        (DetailsLoading, En) => "Fetching the practice's words…",
        (DetailsFailed, Da) => {
            "Øvelsens tekst kunne ikke hentes. Tjek forbindelsen, og prøv igen. Efter første besøg med forbindelse virker det også uden."
        }
        (DetailsFailed, En) => {
            "The practice's words could not be fetched. Check the connection and try again. After one visit online, it works offline too."
        }
        (DetailsRetry, Da) => "Prøv igen",
        (DetailsRetry, En) => "Try again",
        (AccountHeading, Da) => "Din konto",
        (AccountHeading, En) => "Your account",
        (AccountWhy, Da) => {
            "Du behøver ingen konto for at øve dig. Med en konto følger din praksis med dig til andre enheder, og du kan deltage i et forløb hos din underviser."
        }
        (AccountWhy, En) => {
            "You need no account to practise. With one, your practice follows you to your other devices, and you can join your instructor's course."
        }
        (AccountSignIn, Da) => "Log ind",
        (AccountSignIn, En) => "Sign in",
        (AccountCreate, Da) => "Opret konto",
        (AccountCreate, En) => "Create an account",
        (AccountName, Da) => "Dit navn",
        (AccountName, En) => "Your name",
        (AccountNameHelp, Da) => "Det navn, din underviser ser. Din e-mail ser underviseren aldrig.",
        (AccountNameHelp, En) => "The name your instructor sees. Your instructor never sees your email.",
        (AccountEmail, Da) => "E-mail",
        (AccountEmail, En) => "Email",
        (AccountPassword, Da) => "Adgangskode",
        (AccountPassword, En) => "Password",
        (AccountOffline, Da) => "Der er ingen forbindelse til Stilles server. Prøv igen, når du er online.",
        (AccountOffline, En) => "There is no connection to Stille's server. Try again when you are online.",
        (AccountWrongPassword, Da) => "E-mail eller adgangskode passer ikke.",
        (AccountWrongPassword, En) => "The email or the password is wrong.",
        (AccountEmailTaken, Da) => "Der findes allerede en konto med den e-mail. Log ind i stedet.",
        (AccountEmailTaken, En) => "There is already an account with this email. Sign in instead.",
        (AccountTooMany, Da) => "For mange forsøg. Vent lidt, og prøv igen.",
        (AccountTooMany, En) => "Too many tries. Wait a little and try again.",
        (AccountEmailInvalid, Da) => "Det ligner ikke en e-mailadresse.",
        (AccountEmailInvalid, En) => "That does not look like an email address.",
        (AccountPasswordRule, Da) => "Adgangskoden skal være 8–128 tegn og ikke en af de mest almindelige.",
        (AccountPasswordRule, En) => {
            "The password must be 8–128 characters and not one of the most common ones."
        }
        (AccountNameRule, Da) => "Navnet skal være 1–60 tegn.",
        (AccountNameRule, En) => "The name must be 1–60 characters.",
        (AccountFailed, Da) => "Det lykkedes ikke. Prøv igen om lidt.",
        (AccountFailed, En) => "That did not work. Try again in a moment.",
        (AccountSignedInAs, Da) => "Logget ind som",
        (AccountSignedInAs, En) => "Signed in as",
        (AccountOtherOwner, Da) => {
            "Telefonen har praksis, der hører til en anden konto. Den sendes ikke til denne konto. Du kan slette telefonens kopi (den er stadig i den anden konto) eller logge ud."
        }
        (AccountOtherOwner, En) => {
            "This phone holds practice that belongs to another account. It is not sent to this one. You can remove the phone's copy (it stays in the other account) or sign out."
        }
        (AccountAdopt, Da) => "Slet telefonens kopi, og synkroniser med denne konto",
        (AccountAdopt, En) => "Remove the phone's copy and sync with this account",
        (AccountSyncNow, Da) => "Synkroniser nu",
        (AccountSyncNow, En) => "Sync now",
        (AccountSignOut, Da) => "Log ud",
        (AccountSignOut, En) => "Sign out",
        (AccountRemoveCopy, Da) => "Fjern også din praksis fra denne telefon (den er stadig i din konto)",
        (AccountRemoveCopy, En) => "Also remove your practice from this phone (it stays in your account)",
        (AccountUnsyncedWarning, Da) => {
            "Nogle ændringer er endnu ikke synkroniseret og ville gå tabt. Tryk igen for at logge ud alligevel, eller synkroniser først."
        }
        (AccountUnsyncedWarning, En) => {
            "Some changes are not synced yet and would be lost. Press again to sign out anyway, or sync first."
        }
        (AccountSignOutAnyway, Da) => "Log ud og slet alligevel",
        (AccountSignOutAnyway, En) => "Sign out and remove anyway",
        (SyncLocal, Da) => "Gemt på denne telefon",
        (SyncLocal, En) => "Saved on this phone",
        (SyncSyncing, Da) => "Synkroniserer …",
        (SyncSyncing, En) => "Syncing…",
        (SyncSynced, Da) => "Synkroniseret",
        (SyncSynced, En) => "Synced",
        (SyncWaiting, Da) => "Venter på netværk – gemt på denne telefon",
        (SyncWaiting, En) => "Waiting for network – saved on this phone",
        (SyncSignInAgain, Da) => "Log ind igen for at synkronisere",
        (SyncSignInAgain, En) => "Sign in again to sync",
        (SyncProblem, Da) => "Ikke synkroniseret:",
        (SyncProblem, En) => "Not synced:",
        (SyncOtherOwner, Da) => "Telefonens praksis hører til en anden konto",
        (SyncOtherOwner, En) => "This phone's practice belongs to another account",
        (NavJoin, Da) => "Deltag i et forløb",
        (NavJoin, En) => "Join a course",
        (JoinHeading, Da) => "Deltag i et forløb",
        (JoinHeading, En) => "Join a course",
        (JoinCode, Da) => "Invitationskode",
        (JoinCode, En) => "Invite code",
        (JoinLookUp, Da) => "Find forløbet",
        (JoinLookUp, En) => "Find the course",
        (JoinNoCourse, Da) => {
            "Ingen forløb har den kode. Den kan være udløbet eller udskiftet – spørg din underviser."
        }
        (JoinNoCourse, En) => {
            "No course has this code. It may have expired or been replaced – ask your instructor."
        }
        (JoinConflict, Da) => {
            "Du kan ikke deltage lige nu: forløbet er lukket eller fuldt, eller du er allerede med."
        }
        (JoinConflict, En) => {
            "You cannot join right now: the course is closed or full, or you are already in it."
        }
        (JoinSignIn, Da) => "Log ind eller opret en konto for at deltage. Du kommer tilbage hertil bagefter.",
        (JoinSignIn, En) => "Sign in or create an account to join. You will come back here afterwards.",
        (JoinTaughtBy, Da) => "Underviser:",
        (JoinTaughtBy, En) => "Instructor:",
        (JoinStarts, Da) => "Starter",
        (JoinStarts, En) => "Starts",
        (JoinWeeks, Da) => "uger med hjemmepraksis",
        (JoinWeeks, En) => "weeks of home practice",
        (JoinShareAdherence, Da) => "Må din underviser se, hvordan din praksis går?",
        (JoinShareAdherence, En) => "May your instructor see how your practice is going?",
        (JoinShareAdherenceHelp, Da) => {
            "Minutter, hvilke dage du har øvet, hvordan ugens øvelser gik, og udviklingen i dine tjek-ind (tal, ikke ord). Til en venlig samtale, ikke en karakter."
        }
        (JoinShareAdherenceHelp, En) => {
            "Minutes, the days you practised, how the week's practice went, and how your check-ins move (numbers, not words). For a kind conversation, not a grade."
        }
        (JoinShareReflections, Da) => "Må din underviser læse de refleksioner, du selv markerer som delte?",
        (JoinShareReflections, En) => "May your instructor read the reflections you mark as shared yourself?",
        (JoinShareReflectionsHelp, Da) => "Kun dem, du markerer én for én. Alle andre noter bliver hos dig.",
        (JoinShareReflectionsHelp, En) => "Only those you mark, one by one. Every other note stays yours.",
        (JoinNeverShared, Da) => {
            "Din e-mail og dine noter deles aldrig. Du kan ændre eller trække dit samtykke tilbage og forlade forløbet når som helst under Konto."
        }
        (JoinNeverShared, En) => {
            "Your email and your notes are never shared. You can change or withdraw your consent and leave the course at any time under Account."
        }
        (JoinYes, Da) => "Ja",
        (JoinYes, En) => "Yes",
        (JoinNo, Da) => "Nej",
        (JoinNo, En) => "No",
        (JoinAnswerBoth, Da) => "Svar ja eller nej til begge spørgsmål.",
        (JoinAnswerBoth, En) => "Answer yes or no to both questions.",
        (JoinSubmit, Da) => "Deltag",
        (JoinSubmit, En) => "Join",
        (CoursesHeading, Da) => "Dine forløb",
        (CoursesHeading, En) => "Your courses",
        (CoursesNone, Da) => "Du er ikke med i et forløb. Har du fået en invitation, kan du bruge den her.",
        (CoursesNone, En) => "You are not in a course. If you have an invite, you can use it here.",
        (CoursesShareAdherence, Da) => "Del hvordan min praksis går (minutter, dage, tjek-ind-tal)",
        (CoursesShareAdherence, En) => "Share how my practice is going (minutes, days, check-in numbers)",
        (CoursesShareReflections, Da) => "Del de refleksioner, jeg markerer som delte",
        (CoursesShareReflections, En) => "Share the reflections I mark as shared",
        (CoursesLeave, Da) => "Forlad forløbet",
        (CoursesLeave, En) => "Leave the course",
        (CoursesLeaveConfirm, Da) => "Tryk igen for at forlade forløbet",
        (CoursesLeaveConfirm, En) => "Press again to leave the course",
        (WeekHeading, Da) => "Denne uge – uge",
        (WeekHeading, En) => "This week – week",
        (WeekDays, Da) => "dage",
        (WeekDays, En) => "days",
        (WeekTimes, Da) => "gange",
        (WeekTimes, En) => "times",
        (WeekStartsOn, Da) => "Forløbet begynder",
        (WeekStartsOn, En) => "The course begins",
        (WeekNextSession, Da) => "Næste session:",
        (WeekNextSession, En) => "Next session:",
        (WeekKnowledge, Da) => "Ugens tema",
        (WeekKnowledge, En) => "This week's theme",
        (HistoryShare, Da) => "Del med min underviser",
        (HistoryShare, En) => "Share with my instructor",
        (HistoryShared, Da) => "Delt med din underviser.",
        (HistoryShared, En) => "Shared with your instructor.",
        (HistoryStopSharing, Da) => "Stop deling",
        (HistoryStopSharing, En) => "Stop sharing",
        (HistoryEmptySynced, Da) => {
            "Her kommer dine øvelser til at stå, når du har øvet. De gemmes på denne enhed og i din konto."
        }
        (HistoryEmptySynced, En) => {
            "Your practices will appear here once you have practised. They are kept on this device and in your account."
        }
        (HomeSignedIn, Da) => "Din praksis gemmes på denne enhed og synkroniseres med din konto.",
        (HomeSignedIn, En) => "Your practice is kept on this device and synced with your account.",
        (AfterPrivateSynced, Da) => {
            "Det, du skriver her, gemmes på denne enhed og i din konto. Din underviser ser kun en note, hvis du selv deler den."
        }
        (AfterPrivateSynced, En) => {
            "What you write here is kept on this device and in your account. Your instructor sees a note only if you share it yourself."
        }
        (SyncChanges, Da) => "ændringer",
        (SyncChanges, En) => "changes",
        (HomeAccountLink, Da) => "Log ind eller opret en konto",
        (HomeAccountLink, En) => "Sign in or create an account",
        (SettingsAccountLink, Da) => "Konto, synkronisering og forløb",
        (SettingsAccountLink, En) => "Account, sync and courses",
        (TeachHeading, Da) => "Dine hold",
        (TeachHeading, En) => "Your courses",
        (TeachNone, Da) => "Du har ingen hold endnu.",
        (TeachNone, En) => "You have no courses yet.",
        (TeachParticipants, Da) => "deltagere",
        (TeachParticipants, En) => "participants",
        (TeachOnlyInstructors, Da) => "Denne side er for undervisere. Din konto er en deltagerkonto.",
        (TeachOnlyInstructors, En) => "This page is for instructors. Your account is a participant account.",
        (TeachNew, Da) => "Nyt hold",
        (TeachNew, En) => "New course",
        (TeachTitle, Da) => "Holdets navn",
        (TeachTitle, En) => "Course title",
        (TeachStart, Da) => "Første dag i uge 1",
        (TeachStart, En) => "First day of week 1",
        (TeachTemplate, Da) => "Program",
        (TeachTemplate, En) => "Programme",
        (TeachScratch, Da) => "Fra bunden (ingen hjemmepraksis endnu)",
        (TeachScratch, En) => "From scratch (no home practice yet)",
        (TeachCreate, Da) => "Opret hold",
        (TeachCreate, En) => "Create the course",
        (TeachInvite, Da) => "Invitation",
        (TeachInvite, En) => "Invite",
        (TeachLink, Da) => "Link",
        (TeachLink, En) => "Link",
        (TeachExpires, Da) => "Gælder til",
        (TeachExpires, En) => "Valid until",
        (TeachNewInvite, Da) => "Lav en ny invitationskode",
        (TeachNewInvite, En) => "Make a new invite code",
        (TeachCsv, Da) => "Hent som regneark (CSV)",
        (TeachCsv, En) => "Download as a spreadsheet (CSV)",
        (TeachGroup, Da) => "Holdets praksis",
        (TeachGroup, En) => "The group's practice",
        (TeachHeatmap, Da) => "Minutter pr. dag pr. deltager (mørkere er mere; grå deler ikke)",
        (TeachHeatmap, En) => "Minutes a day per participant (darker is more; grey does not share)",
        (TeachWeekTable, Da) => "Pr. uge: minutter · antal øvelser · andel af ugens opgaver",
        (TeachWeekTable, En) => "Per week: minutes · practices done · share of the week's assignment",
        (TeachParticipant, Da) => "Deltager",
        (TeachParticipant, En) => "Participant",
        (TeachParticipantsHeading, Da) => "Deltagerne",
        (TeachParticipantsHeading, En) => "The participants",
        (TeachNotShared, Da) => "deler ikke sin praksis",
        (TeachNotShared, En) => "does not share their practice",
        (TeachSessions, Da) => "øvelser",
        (TeachSessions, En) => "practices",
        (TeachTrend, Da) => "Uro før → efter (gennemsnit af tjek-ind)",
        (TeachTrend, En) => "Distress before → after (mean of check-ins)",
        (TeachWeek, Da) => "Uge",
        (TeachWeek, En) => "Week",
        (TeachReflections, Da) => "Delte refleksioner",
        (TeachReflections, En) => "Shared reflections",
        (TeachNoReflections, Da) => "Deler ikke refleksioner.",
        (TeachNoReflections, En) => "Does not share reflections.",
        (TeachPlan, Da) => "Hjemmepraksis uge for uge",
        (TeachPlan, En) => "Home practice, week by week",
        (TeachDaysAWeek, Da) => "dage om ugen",
        (TeachDaysAWeek, En) => "days a week",
        (TeachRemove, Da) => "Fjern",
        (TeachRemove, En) => "Remove",
        (TeachAddPractice, Da) => "Tilføj en øvelse",
        (TeachAddPractice, En) => "Add a practice",
        (TeachMinutes, Da) => "Længde",
        (TeachMinutes, En) => "Length",
        (TeachAdd, Da) => "Tilføj",
        (TeachAdd, En) => "Add",
        (TeachQr, Da) => "QR-kode med invitationslinket",
        (TeachQr, En) => "QR code of the invite link",
        (UnloadedHeading, Da) => "Siden kunne ikke hentes",
        (UnloadedHeading, En) => "This screen could not be fetched",
        (UnloadedBody, Da) => {
            "Den del af Stille er ikke på denne enhed endnu, og den kunne ikke hentes lige nu. Tjek forbindelsen, og prøv igen. Efter et besøg med forbindelse virker hele Stille også uden."
        }
        (UnloadedBody, En) => {
            "This part of Stille is not on this device yet, and it could not be fetched just now. Check the connection and try again. After one visit online, all of Stille works offline too."
        }
        (RouteLoading, Da) => "Henter siden …",
        (RouteLoading, En) => "Fetching the page…",
        (SettingsErasedSignedIn, Da) => {
            "Dine data er slettet fra denne enhed. Din konto har stadig sin kopi, og den hentes tilbage, så længe du er logget ind. Vil du have den væk fra enheden, så log ud, og vælg at fjerne enhedens kopi."
        }
        (SettingsErasedSignedIn, En) => {
            "Your data has been erased from this device. Your account still has its copy, and it comes back while you are signed in. To keep it off this device, sign out and choose to remove the device's copy."
        }
    }
}

/// The name of a playback mode, as the lab and the player show it.
pub fn mode_key(mode: stille_audio::web::Mode) -> Key {
    use stille_audio::web::Mode;
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

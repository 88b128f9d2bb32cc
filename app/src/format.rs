//! Numbers, dates and times as each language writes them: one place, so the
//! same thing reads the same on every screen.

use stille_practice::Lang;
use stille_practice::journal::{CheckIn, Ladder};
use stille_practice::log::Entry;
use stille_practice::stats::{Date, counted_minutes, counts};

use crate::i18n::{Key, t};

const MONTHS_DA: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as people write it: "2. december 2026" / "2 December 2026".
pub fn date_text(date: Date, lang: Lang) -> String {
    let (y, m, d) = date.ymd();
    let month = usize::try_from(m).ok().and_then(|m| m.checked_sub(1)).unwrap_or(0);
    match lang {
        Lang::Da => format!("{d}. {} {y}", MONTHS_DA[month % 12]),
        Lang::En => format!("{d} {} {y}", MONTHS_EN[month % 12]),
    }
}

/// A meeting's day and time without the year: "mandag 11. januar kl.
/// 17.30–20.15" / "Monday 11 January, 17:30–20:15"; the day alone without a
/// time, the start alone without a length.
pub fn meeting_text(day: Date, time: Option<&str>, minutes: Option<u16>, lang: Lang) -> String {
    let (_, m, d) = day.ymd();
    let month = usize::try_from(m).ok().and_then(|m| m.checked_sub(1)).unwrap_or(0) % 12;
    let weekday = crate::reminders::day_name(day.weekday() as usize, lang);
    let date = match lang {
        Lang::Da => format!("{weekday} {d}. {}", MONTHS_DA[month]),
        Lang::En => format!("{weekday} {d} {}", MONTHS_EN[month]),
    };
    let Some(start) = time.and_then(stille_practice::api::minute_of_day) else { return date };
    // Danish writes "17.30", English "17:30".
    let mark = if lang == Lang::Da { '.' } else { ':' };
    let hm = |minute: u32| format!("{:02}{mark}{:02}", (minute / 60) % 24, minute % 60);
    let mut hours = hm(u32::from(start));
    if let Some(length) = minutes {
        hours = format!("{hours}–{}", hm(u32::from(start) + u32::from(length)));
    }
    match lang {
        Lang::Da => format!("{date} kl. {hours}"),
        Lang::En => format!("{date}, {hours}"),
    }
}

/// The days from `from` to `to` without the year: "7.–13. december",
/// "30. november – 6. december" / "7–13 December", "30 November – 6 December".
pub fn span_text(from: Date, to: Date, lang: Lang) -> String {
    let ((_, m1, d1), (_, m2, d2)) = (from.ymd(), to.ymd());
    let month = |m: u32| {
        let i = usize::try_from(m).ok().and_then(|m| m.checked_sub(1)).unwrap_or(0) % 12;
        if lang == Lang::Da { MONTHS_DA[i] } else { MONTHS_EN[i] }
    };
    match (lang, m1 == m2) {
        (Lang::Da, true) => format!("{d1}.–{d2}. {}", month(m2)),
        (Lang::Da, false) => format!("{d1}. {} – {d2}. {}", month(m1), month(m2)),
        (Lang::En, true) => format!("{d1}–{d2} {}", month(m2)),
        (Lang::En, false) => format!("{d1} {} – {d2} {}", month(m1), month(m2)),
    }
}

/// When a course starts, or started, seen from `today`: "Starter 7.
/// december 2026" / "Startede 30. november 2026".
pub fn course_start_text(start: Date, today: Date, lang: Lang) -> String {
    let key = if start <= today { Key::CourseStarted } else { Key::CourseStarts };
    format!("{} {}", t(lang, key), date_text(start, lang))
}

/// The local day of a moment stamped with its device's UTC offset.
pub fn local_day(at_ms: i64, utc_offset_minutes: i16) -> Date {
    Date((at_ms + i64::from(utc_offset_minutes) * 60_000).div_euclid(86_400_000) as i32)
}

/// An entry's local start: "23. november 2026 kl. 13.45" / "23 November 2026 13:45".
pub fn when(entry: &Entry, lang: Lang) -> String {
    moment(entry.started_at_ms, entry.utc_offset_minutes, lang)
}

/// A moment at a UTC offset: "23. november 2026 kl. 13.45" / "23 November 2026 13:45".
pub fn moment(at_ms: i64, utc_offset_minutes: i16, lang: Lang) -> String {
    let local = at_ms + i64::from(utc_offset_minutes) * 60_000;
    let date = date_text(local_day(at_ms, utc_offset_minutes), lang);
    let minutes = local.rem_euclid(86_400_000) / 60_000;
    let (hh, mm) = (minutes / 60, minutes % 60);
    match lang {
        Lang::Da => format!("{date} kl. {hh:02}.{mm:02}"),
        Lang::En => format!("{date} {hh:02}:{mm:02}"),
    }
}

/// Milliseconds as whole minutes, rounded.
pub fn minutes(ms: u32) -> u32 {
    (f64::from(ms) / 60_000.0).round() as u32
}

/// How much of a logged practice was done: "12 af 20 min", or for a start
/// that does not count (`stats::counts`) its seconds, "20 sek. af 5 min".
pub fn practised_text(practised_ms: u32, planned_ms: u32, lang: Lang) -> String {
    let done = if counts(practised_ms) {
        format!("{} {}", counted_minutes(u64::from(practised_ms)), t(lang, Key::HistoryOf))
    } else {
        format!("{} {} {}", practised_ms / 1000, t(lang, Key::HistorySeconds), t(lang, Key::HistoryOf))
    };
    format!("{done} {} min", minutes(planned_ms))
}

/// A size for people, in the unit that says it best: "36 kB", "16,2 MB"
/// ("16.2 MB" in English), "2000 MB".
pub fn megabytes(bytes: i64, lang: Lang) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    let text = if bytes < 1_000_000 {
        format!("{:.0} kB", bytes as f64 / 1_000.0)
    } else if mb < 100.0 {
        format!("{mb:.1} MB")
    } else {
        format!("{mb:.0} MB")
    };
    if lang == Lang::Da { text.replace('.', ",") } else { text }
}

/// A number with at most one decimal, as each language writes it: "5,5" /
/// "5.5", "6".
pub fn decimal(value: f64, lang: Lang) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    let text = if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}") };
    if lang == Lang::Da { text.replace('.', ",") } else { text }
}

/// "3 of 6 days" / "4 of 21 times", "1 of 1 day".
pub fn progress_text(done: u32, asked: u32, per_day: i32, lang: Lang) -> String {
    let unit = match (per_day > 1, asked == 1) {
        (true, true) => Key::WeekTime,
        (true, false) => Key::WeekTimes,
        (false, true) => Key::WeekDay,
        (false, false) => Key::WeekDays,
    };
    format!("{done} {} {asked} {}", t(lang, Key::HistoryOf), t(lang, unit))
}

/// A count with its word in the singular or plural: "1 dag", "3 dage";
/// "1 practice", "2 practices".
pub fn count_text(n: u32, one: Key, many: Key, lang: Lang) -> String {
    format!("{n} {}", t(lang, if n == 1 { one } else { many }))
}

/// A time left or elapsed on a player's clock, "m:ss"; `round_up` shows a
/// part of a second as the whole second still to come (a countdown).
pub fn clock(ms: f64, round_up: bool) -> String {
    let seconds = ms / 1000.0;
    let s = if round_up { seconds.ceil() } else { seconds.floor() }.max(0.0) as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// A ladder step's name and its plain-words hint.
pub fn ladder_words(step: Ladder) -> (Key, Key) {
    match step {
        Ladder::Ventral => (Key::LadderVentral, Key::LadderVentralHint),
        Ladder::Sympathetic => (Key::LadderSympathetic, Key::LadderSympatheticHint),
        Ladder::Dorsal => (Key::LadderDorsal, Key::LadderDorsalHint),
    }
}

/// A check-in in words: "distress 6/10 · Alert, on guard".
pub fn check_in_text(check_in: &CheckIn, lang: Lang) -> String {
    let distress = check_in.distress.map(|d| format!("{} {d}/10", t(lang, Key::HistoryDistress)));
    let ladder = check_in.ladder.map(|step| t(lang, ladder_words(step).0).to_owned());
    distress.into_iter().chain(ladder).collect::<Vec<_>>().join(" · ")
}

/// "Karen", "Karen og Bo", "Karen, Bo og Ea" (`and` between the last two).
pub fn names(names: &[String], and: &str) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use stille_practice::PracticeId;
    use stille_practice::journal::Moment;

    use super::*;

    #[test]
    fn sizes_are_written_the_way_each_language_writes_decimals() {
        assert_eq!(megabytes(16_200_000, Lang::Da), "16,2 MB");
        assert_eq!(megabytes(16_200_000, Lang::En), "16.2 MB");
        assert_eq!(megabytes(36_400, Lang::Da), "36 kB");
        assert_eq!(megabytes(2_000_000_000, Lang::Da), "2000 MB");
    }

    #[test]
    fn a_short_start_is_told_in_seconds_and_a_counted_practice_in_at_least_a_minute() {
        assert_eq!(practised_text(20_400, 300_000, Lang::Da), "20 sek. af 5 min");
        assert_eq!(practised_text(20_400, 300_000, Lang::En), "20 s of 5 min");
        assert_eq!(practised_text(0, 300_000, Lang::Da), "0 sek. af 5 min");
        assert_eq!(practised_text(30_000, 300_000, Lang::Da), "1 af 5 min");
        assert_eq!(practised_text(91_000, 300_000, Lang::En), "2 of 5 min");
        assert_eq!(practised_text(300_000, 300_000, Lang::Da), "5 af 5 min");
    }

    #[test]
    fn dates_and_times_as_each_language_writes_them() {
        let date = Date::from_ymd(2026, 12, 2).expect("a date");
        assert_eq!(date_text(date, Lang::Da), "2. december 2026");
        assert_eq!(date_text(date, Lang::En), "2 December 2026");
        let january = Date::from_ymd(2027, 1, 30).expect("a date");
        assert_eq!(date_text(january, Lang::Da), "30. januar 2027");
        assert_eq!(progress_text(1, 1, 1, Lang::Da), "1 af 1 dag");
        assert_eq!(progress_text(2, 21, 3, Lang::En), "2 of 21 times");
        assert_eq!(count_text(1, Key::TeachSession, Key::TeachSessions, Lang::Da), "1 øvelse");
        assert_eq!(count_text(2, Key::TeachSession, Key::TeachSessions, Lang::En), "2 practices");
        let monday = Date::from_ymd(2026, 11, 30).expect("a date");
        assert_eq!(span_text(monday, monday.add_days(6), Lang::Da), "30. november – 6. december");
        assert_eq!(span_text(monday, monday.add_days(6), Lang::En), "30 November – 6 December");
        assert_eq!(span_text(monday.add_days(7), monday.add_days(13), Lang::Da), "7.–13. december");
        assert_eq!(span_text(monday.add_days(7), monday.add_days(13), Lang::En), "7–13 December");
        assert_eq!(course_start_text(january, date, Lang::Da), "Starter 30. januar 2027");
        let monday = Date::from_ymd(2027, 1, 11).expect("a date");
        assert_eq!(
            meeting_text(monday, Some("17:30"), Some(165), Lang::Da),
            "mandag 11. januar kl. 17.30–20.15"
        );
        assert_eq!(meeting_text(monday, Some("17:30"), None, Lang::En), "Monday 11 January, 17:30");
        assert_eq!(meeting_text(monday, None, Some(165), Lang::Da), "mandag 11. januar");
        assert_eq!(course_start_text(date, january, Lang::Da), "Startede 2. december 2026");
        assert_eq!(course_start_text(date, date, Lang::En), "Started 2 December 2026");
        let practice = PracticeId::parse("breathing-box").expect("id");
        // 2026-11-23 12:45 UTC, in Denmark (UTC+1) 13:45.
        let entry = Entry::start("x".into(), practice, 1_795_437_900_000, 60, 180_000, Lang::Da);
        assert_eq!(when(&entry, Lang::Da), "23. november 2026 kl. 13.45");
        assert_eq!(when(&entry, Lang::En), "23 November 2026 13:45");
        assert_eq!(local_day(1_795_478_400_000 - 1, 60), Date::from_ymd(2026, 11, 24).expect("a date"));
    }

    #[test]
    fn minutes_and_clocks() {
        assert_eq!(minutes(89_000), 1);
        assert_eq!(minutes(91_000), 2);
        assert_eq!(clock(61_500.0, true), "1:02");
        assert_eq!(clock(61_500.0, false), "1:01");
        assert_eq!(clock(-5.0, true), "0:00");
        assert_eq!(progress_text(3, 6, 1, Lang::Da), "3 af 6 dage");
        assert_eq!(progress_text(4, 21, 3, Lang::En), "4 of 21 times");
    }

    #[test]
    fn a_check_in_in_words() {
        let both =
            CheckIn::from_answers("c".into(), None, Moment::Alone, Some(6), Some(Ladder::Sympathetic), 0, 60)
                .expect("answered");
        let words = check_in_text(&both, Lang::En);
        assert!(words.starts_with("distress 6/10 · "), "{words}");
        let only_ladder =
            CheckIn::from_answers("c".into(), None, Moment::Alone, None, Some(Ladder::Ventral), 0, 60)
                .expect("answered");
        assert!(!check_in_text(&only_ladder, Lang::Da).contains('·'));
    }

    #[test]
    fn names_are_listed_as_a_sentence_says_them() {
        let people = |n: &[&str]| n.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(names(&people(&[]), "og"), "");
        assert_eq!(names(&people(&["Karen"]), "og"), "Karen");
        assert_eq!(names(&people(&["Karen", "Bo"]), "og"), "Karen og Bo");
        assert_eq!(names(&people(&["Karen", "Bo", "Ea"]), "and"), "Karen, Bo and Ea");
    }
}

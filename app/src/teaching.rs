//! What the instructor's dashboard shows, worked out from the report and the
//! course's weeks: the heatmap's cells and its spoken summary, the per-week
//! table's cells, each participant's totals and check-in trend, and the week
//! editor's changes. Only what each participant consented to is in the report
//! at all; these functions never show a "0" for someone who does not share.

use stille_practice::api::{
    Assigned, ChangeFigures, Meetings, ParticipantReport, Report, Spread, Week, WeekReport,
};
use stille_practice::modules::{chosen, modules};
use stille_practice::progress::heat_level;
use stille_practice::schedule::Schedule;
use stille_practice::stats::Date;
use stille_practice::{CourseTemplate, Lang};

use crate::i18n::{Key, t};

/// One heatmap square: participant row, day column, and its level (None:
/// the participant does not share their practice).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    pub row: usize,
    pub day: usize,
    pub level: Option<u8>,
}

/// Every square of the participants × days heatmap, for `report.weeks` weeks.
pub fn heat_cells(report: &Report) -> Vec<Cell> {
    let days = usize::from(report.weeks) * 7;
    report
        .participants
        .iter()
        .enumerate()
        .flat_map(|(row, p)| {
            let daily: Vec<u32> = p.weeks.iter().flat_map(|w| w.daily_minutes.iter().copied()).collect();
            let shares = p.shares_adherence;
            (0..days).map(move |day| Cell {
                row,
                day,
                level: shares.then(|| heat_level(daily.get(day).copied().unwrap_or(0))),
            })
        })
        .collect()
}

/// The heatmap's column labels: each course day's weekday ("ma", "ti" …),
/// from the course's first day on, and the day that is today (None outside
/// the course's days or with an unreadable start date).
pub fn heat_days(
    start_date: &str,
    skipped: &[String],
    weeks: u16,
    today: Date,
    lang: Lang,
) -> (Vec<&'static str>, Option<usize>) {
    let names: Vec<&'static str> = t(lang, Key::WeekdaysShort).split(' ').collect();
    let days = usize::from(weeks) * 7;
    let Some(schedule) = schedule(start_date, skipped) else { return (Vec::new(), None) };
    // Column `n` is day `n % 7` of course week `n / 7 + 1`: a week without
    // a session has no columns.
    let date = |column: usize| schedule.week_start(column as i32 / 7 + 1).add_days(column as i32 % 7);
    let labels = (0..days)
        .map(|column| names.get(date(column).weekday() as usize).copied().unwrap_or_default())
        .collect();
    let now = (0..days).find(|column| date(*column) == today);
    (labels, now)
}

/// A course's weeks from its start date and the session days without a
/// session, None when the start date does not read.
pub fn schedule(start_date: &str, skipped: &[String]) -> Option<Schedule> {
    let meetings = Meetings { skipped: skipped.to_vec(), ..Meetings::default() };
    Some(Schedule::new(Date::parse(start_date)?, &meetings))
}

/// The heatmap in words, for screen readers: "Ida: 45 min, 3 days; Jens: does not share".
pub fn heat_summary(report: &Report, lang: Lang) -> String {
    report
        .participants
        .iter()
        .map(|p| {
            if p.shares_adherence {
                let (minutes, _) = totals(p);
                let days: u32 = p.weeks.iter().map(|w| w.days).sum();
                format!("{}: {minutes} min, {}", p.display_name, days_text(days, lang))
            } else {
                format!("{}: {}", p.display_name, t(lang, Key::TeachNotShared))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The course week `today` is in (1 = the seven days from the start; a
/// week without a session counts as the week before), or None before the
/// start (or with an unreadable start date).
pub fn current_week(start_date: &str, skipped: &[String], today: Date) -> Option<u16> {
    let week = schedule(start_date, skipped)?.week_of(today)?;
    Some(u16::try_from(week).unwrap_or(u16::MAX))
}

/// A cell of the per-week table: "45 min · 3 dage" (minutes and days
/// practised; no percentage, as this is a conversation starter, not a
/// grade), "0 min" for a week lived with nothing practised, "–" for a week
/// not yet reached and for someone who does not share.
pub fn week_cell(p: &ParticipantReport, week: u16, current: Option<u16>, lang: Lang) -> String {
    if !p.shares_adherence || current.is_none_or(|now| week > now) {
        return "–".to_owned();
    }
    match p.weeks.iter().find(|w| w.week == week) {
        None => "0 min".to_owned(),
        Some(w) => format!("{} min · {}", w.minutes, days_text(w.days, lang)),
    }
}

/// "1 dag", "3 dage" / "1 day", "3 days".
pub fn days_text(days: u32, lang: Lang) -> String {
    crate::format::count_text(days, Key::WeekDay, Key::WeekDays, lang)
}

/// Minutes and practices over the whole course.
pub fn totals(p: &ParticipantReport) -> (u32, u32) {
    (p.weeks.iter().map(|w| w.minutes).sum(), p.weeks.iter().map(|w| w.sessions).sum())
}

/// Distress before → after, per week with check-ins: "Uge 2: 6,0 → 3,5".
pub fn trend(p: &ParticipantReport, lang: Lang) -> Vec<String> {
    let number = |v: Option<f64>| match (v, lang) {
        (None, _) => "–".to_owned(),
        (Some(v), Lang::Da) => format!("{v:.1}").replace('.', ","),
        (Some(v), Lang::En) => format!("{v:.1}"),
    };
    p.weeks
        .iter()
        .filter(|w| w.check_ins.count > 0)
        .map(|w| {
            format!(
                "{} {}: {} → {}",
                t(lang, Key::TeachWeek),
                w.week,
                number(w.check_ins.distress_before_mean),
                number(w.check_ins.distress_after_mean)
            )
        })
        .collect()
}

/// How much higher the mean distress before practice (0–10) must be than in
/// the week with check-ins before it to be pointed out.
pub const RISING_DISTRESS: f64 = 1.5;

/// What in a participant's shared check-ins a teacher may want to notice,
/// in words, from the latest week with check-ins up to `current` (the week
/// now, or the last week before it; older weeks are history, not news):
/// "Shut down" chosen on the ladder, and distress before practice rising by
/// [`RISING_DISTRESS`] or more since the week with check-ins before. Only
/// for a participant who shares practice (check-ins come with it).
pub fn notices(p: &ParticipantReport, current: Option<u16>, lang: Lang) -> Vec<String> {
    if !p.shares_adherence {
        return Vec::new();
    }
    let reached = |w: &&WeekReport| current.is_none_or(|now| w.week <= now);
    let checked: Vec<&WeekReport> =
        p.weeks.iter().filter(reached).filter(|w| w.check_ins.count > 0).collect();
    let Some(latest) = checked.last().copied() else { return Vec::new() };
    if current.is_some_and(|now| latest.week + 1 < now) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if latest.check_ins.dorsal > 0 {
        out.push(
            t(lang, Key::TeachNoticeShutDown)
                .replace("{week}", &latest.week.to_string())
                .replace("{times}", &times_text(latest.check_ins.dorsal, lang)),
        );
    }
    let before = checked.len().checked_sub(2).and_then(|i| checked.get(i)).copied();
    if let (Some(earlier), Some(now_mean)) = (before, latest.check_ins.distress_before_mean)
        && let Some(then_mean) = earlier.check_ins.distress_before_mean
        && now_mean - then_mean >= RISING_DISTRESS
    {
        out.push(
            t(lang, Key::TeachNoticeRising)
                .replace("{from}", &crate::format::decimal(then_mean, lang))
                .replace("{to}", &crate::format::decimal(now_mean, lang))
                .replace("{week_from}", &earlier.week.to_string())
                .replace("{week}", &latest.week.to_string()),
        );
    }
    out
}

/// "én gang", "2 gange" / "once", "twice", "3 times".
pub fn times_text(n: u32, lang: Lang) -> String {
    match (lang, n) {
        (Lang::Da, 1) => "én gang".to_owned(),
        (Lang::Da, n) => format!("{n} gange"),
        (Lang::En, 1) => "once".to_owned(),
        (Lang::En, 2) => "twice".to_owned(),
        (Lang::En, n) => format!("{n} times"),
    }
}

/// The weeks to edit: every week from 1 to the last planned one (or to
/// `at_least`, for weeks the teacher has added and not yet filled), each
/// with its practices, an empty one where nothing is planned.
pub fn weeks_to_edit(planned: &[Week], at_least: i32) -> Vec<Week> {
    let last = planned.iter().map(|w| w.week).max().unwrap_or(0).max(at_least).max(1);
    (1..=last)
        .map(|n| {
            planned.iter().find(|w| w.week == n).cloned().unwrap_or(Week { week: n, practices: Vec::new() })
        })
        .collect()
}

/// A week's practices with the one at `index` changed to `minutes` (when
/// it offers that length) and `days` a week (1–7).
pub fn with_changed(
    practices: &[Assigned],
    index: usize,
    minutes: Option<u16>,
    days: Option<u8>,
) -> Vec<Assigned> {
    let mut changed = practices.to_vec();
    if let Some(a) = changed.get_mut(index) {
        let offered = stille_practice::catalog().get(&a.practice);
        if let Some(m) = minutes.filter(|m| offered.is_some_and(|p| p.allows_minutes(*m))) {
            a.minutes = i32::from(m);
        }
        if let Some(d) = days {
            a.days = i32::from(d.clamp(1, 7));
        }
    }
    changed
}

/// A removed practice put back where it was (Undo).
pub fn with_restored(practices: &[Assigned], index: usize, removed: Assigned) -> Vec<Assigned> {
    let mut restored = practices.to_vec();
    restored.insert(index.min(restored.len()), removed);
    restored
}

/// The programme's own practices (`ids`, in the order it gives them) and
/// every other practice, for the list a teacher adds from.
pub fn programme_first<'a>(
    all: &'a [stille_practice::Practice],
    ids: &[String],
) -> (Vec<&'a stille_practice::Practice>, Vec<&'a stille_practice::Practice>) {
    let own = ids.iter().filter_map(|id| all.iter().find(|p| p.id.as_str() == id)).collect();
    let rest = all.iter().filter(|p| !ids.iter().any(|id| id == p.id.as_str())).collect();
    (own, rest)
}

/// The practices a programme gives as home practice, each once, in the
/// order its weeks give them.
pub fn programme_practices(template: &stille_practice::CourseTemplate) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for practice in template.sessions.iter().flat_map(|s| &s.practices) {
        let id = practice.id.to_string();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// A week's practices without the one at `index`.
pub fn without(practices: &[Assigned], index: usize) -> Vec<Assigned> {
    practices.iter().enumerate().filter(|(i, _)| *i != index).map(|(_, a)| a.clone()).collect()
}

/// A week's practices with one more: `practice` at `minutes` (its default
/// when not one it offers) on `days` days a week.
pub fn with_added(
    practices: &[Assigned],
    practice: &str,
    minutes: Option<u16>,
    days: u8,
) -> Option<Vec<Assigned>> {
    let found = stille_practice::catalog().get(practice)?;
    let minutes = minutes.filter(|m| found.allows_minutes(*m)).unwrap_or(found.default_minutes);
    let mut more = practices.to_vec();
    more.push(Assigned {
        practice: found.id.to_string(),
        minutes: i32::from(minutes),
        days: i32::from(days.clamp(1, 7)),
        per_day: 1,
    });
    Some(more)
}

/// Puts a week as the server stored it into the plan, in week order.
pub fn with_saved(mut plan: Vec<Week>, saved: Week) -> Vec<Week> {
    match plan.iter_mut().find(|w| w.week == saved.week) {
        Some(w) => *w = saved,
        None => {
            plan.push(saved);
            plan.sort_by_key(|w| w.week);
        }
    }
    plan
}

/// A recording's title from its file's name: "kropsscanning_45-min.mp3"
/// → "kropsscanning 45 min" (the instructor can change it before uploading).
pub fn title_from_file(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let spaced: String = stem.chars().map(|c| if c == '_' || c == '-' { ' ' } else { c }).collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    words.join(" ").chars().take(stille_practice::api::MAX_RECORDING_TITLE).collect()
}

/// The courses a recording is heard in, with `course` added (`on`) or taken away.
pub fn shared_with(courses: &[String], course: &str, on: bool) -> Vec<String> {
    let mut shared: Vec<String> = courses.iter().filter(|c| *c != course).cloned().collect();
    if on {
        shared.push(course.to_owned());
    }
    shared.sort();
    shared
}

/// Measurement weeks as the instructor types them ("0, 8, 21"): whole
/// numbers separated by commas or spaces, in any order; the part that is
/// not a week when one is not.
pub fn parse_weeks(text: &str) -> Result<Vec<u16>, String> {
    let mut weeks = text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .map(|part| part.parse::<u16>().map_err(|_| part.to_owned()))
        .collect::<Result<Vec<u16>, String>>()?;
    weeks.sort_unstable();
    Ok(weeks)
}

/// The weeks as the field shows them: "0, 8, 21".
pub fn weeks_text(weeks: &[u16]) -> String {
    weeks.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
}

/// A measurement point in words: "Før forløbet" for week 0, else "Uge 8".
pub fn point_label(week: u16, lang: Lang) -> String {
    if week == 0 {
        t(lang, Key::OutcomesBefore).to_owned()
    } else {
        format!("{} {week}", t(lang, Key::TeachWeek))
    }
}

/// `value` with exactly `decimals` decimals, as the language writes them.
pub fn fixed(value: f64, decimals: usize, lang: Lang) -> String {
    let text = format!("{value:.decimals$}").replace('-', "\u{2212}");
    if lang == Lang::Da { text.replace('.', ",") } else { text }
}

/// A mean and its spread: "48,0 (SD 12,4)".
pub fn spread_text(spread: &Spread, lang: Lang) -> String {
    format!("{} (SD {})", fixed(spread.mean, 1, lang), fixed(spread.sd, 1, lang))
}

/// A mean change with its interval: "+12,0 (95 %-KI 2,7 til 21,3)".
pub fn change_text(f: &ChangeFigures, lang: Lang) -> String {
    let sign = if f.mean_change > 0.0 { "+" } else { "" };
    format!(
        "{sign}{} ({} {} {} {})",
        fixed(f.mean_change, 1, lang),
        t(lang, Key::OutcomesInterval),
        fixed(f.ci95_low, 1, lang),
        t(lang, Key::MeasureTo),
        fixed(f.ci95_high, 1, lang)
    )
}

/// The module list of a programme of modules: each module (named by its exercise) and whether it is chosen, chosen
/// ones first in their order, then the rest in the programme's.
pub fn module_rows(programme: &CourseTemplate, weeks: &[Week]) -> Vec<(String, bool)> {
    let picked = chosen(programme, weeks);
    let rest =
        modules(programme).into_iter().map(|(name, _)| name.to_owned()).filter(|n| !picked.contains(n));
    picked.iter().map(|n| (n.clone(), true)).chain(rest.map(|n| (n, false))).collect()
}

/// The rows with the one at `from` moved to `to`.
pub fn moved(mut rows: Vec<(String, bool)>, from: usize, to: usize) -> Vec<(String, bool)> {
    if from < rows.len() && to < rows.len() {
        let row = rows.remove(from);
        rows.insert(to, row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use stille_practice::api::{CheckIns, WeekReport};

    use super::*;

    #[test]
    fn the_heatmap_names_each_course_day_by_its_weekday_and_finds_today() {
        // 2026-11-26 was a Thursday; two weeks.
        let start = Date::parse("2026-11-26").expect("a date");
        let (labels, now) = heat_days("2026-11-26", &[], 2, start.add_days(9), Lang::Da);
        assert_eq!(labels.len(), 14);
        assert_eq!(labels[..8], ["to", "fr", "lø", "sø", "ma", "ti", "on", "to"]);
        assert_eq!(now, Some(9));
        let (english, _) = heat_days("2026-11-26", &[], 1, start, Lang::En);
        assert_eq!(english, ["Th", "Fr", "Sa", "Su", "Mo", "Tu", "We"]);
        assert_eq!(heat_days("2026-11-26", &[], 2, start.add_days(-1), Lang::Da).1, None, "before the start");
        assert_eq!(
            heat_days("2026-11-26", &[], 2, start.add_days(14), Lang::Da).1,
            None,
            "after the last day"
        );
        assert_eq!(heat_days("26/11", &[], 2, start, Lang::Da), (Vec::new(), None), "unreadable");
        // No session on 3 December: week 2's columns are the week after.
        let skipped = ["2026-12-03".to_owned()];
        assert_eq!(heat_days("2026-11-26", &skipped, 2, start.add_days(14), Lang::Da).1, Some(7));
        assert_eq!(
            heat_days("2026-11-26", &skipped, 2, start.add_days(9), Lang::Da).1,
            None,
            "the free week"
        );
        assert_eq!(current_week("2026-11-26", &skipped, start.add_days(9)), Some(1));
        assert_eq!(current_week("2026-11-26", &skipped, start.add_days(14)), Some(2));
    }

    fn week(n: u16, minutes: u32, daily: Vec<u32>, before: Option<f64>) -> WeekReport {
        WeekReport {
            week: n,
            start_date: "2026-11-30".into(),
            minutes,
            days: daily.iter().filter(|m| **m > 0).count() as u32,
            daily_minutes: daily,
            sessions: 2,
            adherence: None,
            check_ins: CheckIns {
                count: u32::from(before.is_some()),
                distress_before_mean: before,
                distress_after_mean: before.map(|b| b - 2.5),
                ..CheckIns::default()
            },
        }
    }

    fn person(name: &str, shares: bool, weeks: Vec<WeekReport>) -> ParticipantReport {
        ParticipantReport {
            user_id: name.into(),
            display_name: name.into(),
            shares_adherence: shares,
            shares_reflections: false,
            weeks,
            reflections: Vec::new(),
        }
    }

    fn report() -> Report {
        Report {
            course_id: "c".into(),
            title: "MSC".into(),
            start_date: "2026-11-30".into(),
            skipped: Vec::new(),
            weeks: 1,
            participants: vec![
                person("Ida", true, vec![week(1, 45, vec![20, 0, 25, 0, 0, 0, 0], Some(6.0))]),
                person("Jens", false, Vec::new()),
            ],
        }
    }

    #[test]
    fn a_shut_down_check_in_and_rising_distress_are_pointed_out_gently_and_only_when_recent() {
        let mut weeks = vec![
            week(1, 30, vec![30], Some(3.0)),
            week(2, 0, vec![0], None),
            week(3, 20, vec![20], Some(5.5)),
        ];
        weeks[2].check_ins.dorsal = 2;
        weeks[2].check_ins.count = 3;
        let ida = person("Ida", true, weeks);
        assert_eq!(
            notices(&ida, Some(3), Lang::Da),
            [
                "I uge 3 har deltageren valgt »Lukket ned« på stigen 2 gange. Måske værd at spørge nænsomt ind til, når I ses.",
                "Uroen før øvelserne er steget fra 3 i uge 1 til 5,5 i uge 3."
            ]
        );
        assert_eq!(notices(&ida, Some(4), Lang::En).len(), 2, "the week after is still news");
        assert!(notices(&ida, Some(5), Lang::En).is_empty(), "two weeks on it is history");
        // Week 3 not reached yet (a report read early): week 1 alone says nothing.
        assert!(notices(&ida, Some(2), Lang::En).is_empty());
        // A smaller rise, and no "shut down": nothing to point out.
        let calm =
            person("Jens", true, vec![week(1, 30, vec![30], Some(3.0)), week(2, 30, vec![30], Some(4.0))]);
        assert!(notices(&calm, Some(2), Lang::Da).is_empty());
        // Not shared: nothing, whatever is in the weeks.
        let private = person("Eva", false, ida.weeks.clone());
        assert!(notices(&private, Some(3), Lang::Da).is_empty());
        assert_eq!(times_text(1, Lang::Da), "én gang");
        assert_eq!(times_text(2, Lang::En), "twice");
    }

    #[test]
    fn the_heatmap_shows_levels_only_for_those_who_share() {
        let cells = heat_cells(&report());
        assert_eq!(cells.len(), 14, "2 participants × 7 days");
        assert_eq!(cells[0], Cell { row: 0, day: 0, level: Some(heat_level(20)) });
        assert_eq!(cells[1].level, Some(0));
        assert!(cells[7..].iter().all(|c| c.row == 1 && c.level.is_none()));
        assert_eq!(
            heat_summary(&report(), Lang::En),
            "Ida: 45 min, 2 days; Jens: does not share their practice"
        );
    }

    #[test]
    fn table_cells_totals_and_trend() {
        let r = report();
        assert_eq!(week_cell(&r.participants[0], 1, Some(2), Lang::Da), "45 min · 2 dage");
        assert_eq!(week_cell(&r.participants[0], 1, Some(1), Lang::En), "45 min · 2 days");
        assert_eq!(
            week_cell(&r.participants[0], 2, Some(2), Lang::Da),
            "0 min",
            "a week lived, nothing practised"
        );
        assert_eq!(week_cell(&r.participants[0], 2, Some(1), Lang::Da), "–", "a week not yet reached");
        assert_eq!(week_cell(&r.participants[0], 1, None, Lang::Da), "–", "before the course");
        assert_eq!(week_cell(&r.participants[1], 1, Some(2), Lang::Da), "–");
        assert_eq!(days_text(1, Lang::Da), "1 dag");
        let start = Date::from_ymd(2026, 11, 30).expect("a date");
        assert_eq!(current_week("2026-11-30", &[], start.add_days(-1)), None);
        assert_eq!(current_week("2026-11-30", &[], start), Some(1));
        assert_eq!(current_week("2026-11-30", &[], start.add_days(13)), Some(2));
        assert_eq!(current_week("30.11.2026", &[], start), None);
        assert_eq!(totals(&r.participants[0]), (45, 2));
        assert_eq!(trend(&r.participants[0], Lang::Da), vec!["Uge 1: 6,0 → 3,5".to_owned()]);
        assert_eq!(trend(&r.participants[0], Lang::En), vec!["Week 1: 6.0 → 3.5".to_owned()]);
    }

    #[test]
    fn the_week_editor_adds_removes_and_keeps_order() {
        let planned = vec![Week { week: 2, practices: Vec::new() }];
        let numbers = |weeks: Vec<Week>| weeks.iter().map(|w| w.week).collect::<Vec<_>>();
        assert_eq!(numbers(weeks_to_edit(&planned, 0)), [1, 2], "every week to the last, none after");
        assert_eq!(numbers(weeks_to_edit(&planned, 3)), [1, 2, 3], "a week added");
        assert_eq!(numbers(weeks_to_edit(&[], 0)), [1]);
        let added = with_added(&[], "breathing-box", Some(999), 9).expect("in the catalog");
        let default = stille_practice::catalog().get("breathing-box").map(|p| p.default_minutes);
        assert_eq!(
            added[0].minutes,
            i32::from(default.unwrap_or(0)),
            "a length it does not offer: its default"
        );
        assert_eq!(added[0].days, 7);
        assert!(with_added(&[], "breathing-cube", None, 5).is_none());
        assert!(without(&added, 0).is_empty());
        let changed = with_changed(&added, 0, Some(5), Some(3));
        assert_eq!((changed[0].minutes, changed[0].days), (5, 3));
        let kept = with_changed(&added, 0, Some(999), Some(0));
        assert_eq!((kept[0].minutes, kept[0].days), (added[0].minutes, 1), "a length not offered is kept");
        let two = with_added(&added, "timer-silent", None, 6).expect("in the catalog");
        let back = with_restored(&without(&two, 0), 0, two[0].clone());
        assert_eq!(back, two, "undo puts it back where it was");
        let all = &stille_practice::catalog().practices;
        let (own, rest) = programme_first(all, &["timer-silent".to_owned(), "breathing-box".to_owned()]);
        assert_eq!(own.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["timer-silent", "breathing-box"]);
        assert_eq!(own.len() + rest.len(), all.len());
        assert!(rest.iter().all(|p| p.id.as_str() != "breathing-box"));
        let plan = with_saved(planned, Week { week: 1, practices: added });
        assert_eq!(plan.iter().map(|w| w.week).collect::<Vec<_>>(), [1, 2]);
    }

    #[test]
    fn a_title_is_made_from_the_file_name() {
        assert_eq!(title_from_file("kropsscanning_45-min.mp3"), "kropsscanning 45 min");
        assert_eq!(title_from_file("Venlighed  mod dig selv.m4a"), "Venlighed mod dig selv");
        assert_eq!(title_from_file("uden-endelse"), "uden endelse");
        assert_eq!(title_from_file(&format!("{}.wav", "a".repeat(300))).chars().count(), 120);
    }

    #[test]
    fn sharing_adds_or_takes_away_one_course_and_keeps_the_rest() {
        let courses = vec!["b".to_owned(), "a".to_owned()];
        assert_eq!(shared_with(&courses, "c", true), ["a", "b", "c"]);
        assert_eq!(shared_with(&courses, "a", false), ["b"]);
        assert_eq!(shared_with(&courses, "a", true), ["a", "b"], "never twice");
    }

    #[test]
    fn measurement_weeks_read_as_typed() {
        assert_eq!(parse_weeks("0, 8, 21"), Ok(vec![0, 8, 21]));
        assert_eq!(parse_weeks(" 21 8;0 "), Ok(vec![0, 8, 21]));
        assert_eq!(parse_weeks(""), Ok(vec![]));
        assert_eq!(parse_weeks("0, otte"), Err("otte".to_owned()));
        assert_eq!(parse_weeks("-1"), Err("-1".to_owned()));
        assert_eq!(weeks_text(&[0, 8, 21]), "0, 8, 21");
        assert_eq!(point_label(0, Lang::Da), "Før forløbet");
        assert_eq!(point_label(8, Lang::En), "Week 8");
    }

    #[test]
    fn group_figures_in_words() {
        assert_eq!(spread_text(&Spread { mean: 48.0, sd: 12.44 }, Lang::Da), "48,0 (SD 12,4)");
        assert_eq!(spread_text(&Spread { mean: 48.0, sd: 12.44 }, Lang::En), "48.0 (SD 12.4)");
        let figures = |m: f64, low: f64, high: f64| ChangeFigures {
            before: Spread { mean: 40.0, sd: 10.0 },
            after: Spread { mean: 40.0 + m, sd: 10.0 },
            mean_change: m,
            sd_change: 7.5,
            ci95_low: low,
            ci95_high: high,
            effect_size: Some(1.6),
            better: 3,
            worse: 0,
        };
        assert_eq!(change_text(&figures(12.0, 2.71, 21.29), Lang::Da), "+12,0 (95 %-KI 2,7 til 21,3)");
        assert_eq!(
            change_text(&figures(-3.0, -8.0, 2.0), Lang::En),
            "\u{2212}3.0 (95% CI \u{2212}8.0 to 2.0)"
        );
    }

    #[test]
    fn the_list_begins_with_the_weeks_modules_in_their_order() {
        let programme = stille_practice::catalog().course("mentaliseringsprogrammet").expect("the programme");
        let week = |n: i32, practice: &str| Week {
            week: n,
            practices: vec![Assigned { practice: practice.into(), minutes: 5, days: 5, per_day: 1 }],
        };
        let rows = module_rows(
            programme,
            &[week(1, "mentalization-selvkontrol"), week(2, "mentalization-mentalisering")],
        );
        assert_eq!(rows.len(), 8);
        assert_eq!(rows[0], ("mentalization-selvkontrol".to_owned(), true));
        assert_eq!(rows[1], ("mentalization-mentalisering".to_owned(), true));
        assert!(rows[2..].iter().all(|(_, on)| !on));
        assert_eq!(rows[2].0, "mentalization-robusthed", "then the programme's order");
        let rows = moved(rows, 1, 0);
        assert_eq!(rows[0].0, "mentalization-mentalisering");
        assert_eq!(moved(rows.clone(), 7, 8), rows, "nothing moves past the end");
    }
}

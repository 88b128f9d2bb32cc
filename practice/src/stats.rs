//! Home-practice statistics as pure functions: minutes and days per week,
//! adherence to a week's assignment, optional streaks, and the days of a
//! heatmap.
//!
//! Days are the participant's local days. Each practice carries the UTC offset
//! its device had when it started, so a practice keeps its day when the
//! participant travels or the clocks change, and no time-zone database is
//! needed. A practice shortly after midnight counts for the evening before (the
//! late-night grace), because for a person that is still "tonight". Weeks start
//! on Monday, as in Denmark.

use std::collections::BTreeMap;

use crate::model::{HomePractice, PracticeId};

const DAY_MS: i64 = 86_400_000;

/// A calendar date, counted in days from 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Date(pub i32);

impl Date {
    /// The date, or None when it does not exist (e.g. 31 June).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = month as i32;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    /// (year, month, day).
    /// "YYYY-MM-DD" (ISO 8601, what `<input type="date">` gives and the API
    /// writes), or None.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i32::from(month <= 2);
        (year, month, day)
    }

    /// 0 for Monday … 6 for Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// The Monday of this date's week.
    pub fn week_start(self) -> Date {
        Date(self.0 - self.weekday() as i32)
    }

    pub fn add_days(self, days: i32) -> Date {
        Date(self.0 + days)
    }

    /// The local day a moment falls on, with the late-night grace.
    /// (Any input gives a date: i128 arithmetic cannot overflow, and dates
    /// beyond ±5.8 million years are clamped. The sync edge refuses such times
    /// and offsets beyond ±18 h before they get here.)
    pub fn of(at_ms: i64, utc_offset_minutes: i16, rule: DayRule) -> Date {
        let local =
            i128::from(at_ms) + (i128::from(utc_offset_minutes) - i128::from(rule.grace_minutes)) * 60_000;
        let day = local.div_euclid(i128::from(DAY_MS));
        Date(day.clamp(i128::from(i32::MIN), i128::from(i32::MAX)) as i32)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// When a day ends for the participant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DayRule {
    /// Practice up to this many minutes after local midnight counts for the day
    /// before.
    pub grace_minutes: u16,
}

impl Default for DayRule {
    /// Until 03:00.
    fn default() -> DayRule {
        DayRule { grace_minutes: 180 }
    }
}

/// A practice that happened, as far as statistics need it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Practised {
    pub practice: PracticeId,
    /// When it started, in ms since 1970-01-01 UTC.
    pub started_at_ms: i64,
    /// The device's offset from UTC when it started (Denmark: 60 or 120).
    pub utc_offset_minutes: i16,
    /// How long was actually practised, in ms.
    pub ms: u32,
}

/// The one rule for a short practice, wherever practice is counted (the
/// history's totals, the progress pictures, "This week", the teacher's
/// heatmap, table and report): a practice counts once it has lasted half a
/// minute, and then as at least one minute (the nearest whole minute). A
/// shorter start stays in the history, named in seconds with a kind word for
/// having begun, and counts for no day, minute or time done: a tap on Begin
/// and Stop is not a day practised, and nobody sees "0 min" on a day counted.
pub const COUNTS_FROM_MS: u32 = 30_000;

/// Whether `ms` practised counts (see [`COUNTS_FROM_MS`]).
pub fn counts(ms: u32) -> bool {
    ms >= COUNTS_FROM_MS
}

/// The minutes shown for `ms` practised: the nearest whole minute, at least
/// one for a practice that counts, none for one that does not.
pub fn counted_minutes(ms: u64) -> u32 {
    if ms < u64::from(COUNTS_FROM_MS) { 0 } else { minutes(ms).max(1) }
}

impl Practised {
    pub fn day(&self, rule: DayRule) -> Date {
        Date::of(self.started_at_ms, self.utc_offset_minutes, rule)
    }

    /// Whether this practice counts (see [`COUNTS_FROM_MS`]).
    pub fn counts(&self) -> bool {
        counts(self.ms)
    }
}

/// Practised ms per local day, of the practices that count.
pub fn by_day(practised: &[Practised], rule: DayRule) -> BTreeMap<Date, u64> {
    let mut days = BTreeMap::new();
    for p in practised.iter().filter(|p| p.counts()) {
        *days.entry(p.day(rule)).or_insert(0) += u64::from(p.ms);
    }
    days
}

/// Whole minutes, rounded to the nearest.
pub fn minutes(ms: u64) -> u32 {
    ((ms + 30_000) / 60_000) as u32
}

/// One week's practice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Week {
    /// Its Monday.
    pub start: Date,
    pub minutes: u32,
    /// Days with any practice.
    pub days: u8,
}

/// `count` weeks from the week containing `from`, each with its minutes and days.
pub fn weeks(practised: &[Practised], rule: DayRule, from: Date, count: usize) -> Vec<Week> {
    let days = by_day(practised, rule);
    (0..count)
        .map(|i| {
            let start = from.week_start().add_days(7 * i as i32);
            let end = start.add_days(7);
            let in_week = days.range(start..end);
            Week {
                start,
                minutes: counted_minutes(in_week.clone().map(|(_, ms)| *ms).sum()),
                days: in_week.filter(|(_, ms)| **ms > 0).count() as u8,
            }
        })
        .collect()
}

/// Every day from `from` to `to` inclusive with its minutes (0 when none), for
/// a calendar heatmap.
pub fn heatmap(practised: &[Practised], rule: DayRule, from: Date, to: Date) -> Vec<(Date, u32)> {
    let days = by_day(practised, rule);
    (from.0..=to.0).map(|d| (Date(d), days.get(&Date(d)).map_or(0, |ms| counted_minutes(*ms)))).collect()
}

/// Days in a row with practice, ending today — or yesterday, since a streak
/// is not broken until today is over.
pub fn streak(practised: &[Practised], rule: DayRule, today: Date) -> u32 {
    let days = by_day(practised, rule);
    let practised_on = |d: Date| days.get(&d).is_some_and(|ms| *ms > 0);
    let mut day = if practised_on(today) { today } else { today.add_days(-1) };
    let mut count = 0;
    while practised_on(day) {
        count += 1;
        day = day.add_days(-1);
    }
    count
}

/// How one assigned practice went in a week.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PracticeAdherence {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub practice: PracticeId,
    /// Times done, counting at most `per_day` a day.
    pub done: u32,
    /// `days × per_day`.
    pub asked: u32,
    pub minutes: u32,
}

/// A week's practice against its assignment: a conversation starter, not a grade.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Adherence {
    pub practices: Vec<PracticeAdherence>,
    /// Done over asked, each practice capped at what was asked; 0 to 1.
    pub fraction: f64,
}

/// Adherence in the 7 days from `week_start` (a course week need not start on
/// Monday).
pub fn adherence(
    practised: &[Practised],
    rule: DayRule,
    week_start: Date,
    assigned: &[HomePractice],
) -> Adherence {
    let week_end = week_start.add_days(7);
    let practices: Vec<PracticeAdherence> = assigned
        .iter()
        .map(|home| {
            let mut per_day: BTreeMap<Date, u32> = BTreeMap::new();
            let mut ms = 0u64;
            for p in practised.iter().filter(|p| p.practice == home.id && p.counts()) {
                let day = p.day(rule);
                if week_start <= day && day < week_end {
                    *per_day.entry(day).or_insert(0) += 1;
                    ms += u64::from(p.ms);
                }
            }
            let done: u32 = per_day.values().map(|n| (*n).min(u32::from(home.per_day))).sum();
            let asked = u32::from(home.days) * u32::from(home.per_day);
            PracticeAdherence {
                practice: home.id.clone(),
                done: done.min(asked),
                asked,
                minutes: counted_minutes(ms),
            }
        })
        .collect();
    let asked: u32 = practices.iter().map(|p| p.asked).sum();
    let done: u32 = practices.iter().map(|p| p.done).sum();
    let fraction = if asked == 0 { 0.0 } else { f64::from(done) / f64::from(asked) };
    Adherence { practices, fraction }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> PracticeId {
        PracticeId::parse(s).expect("valid id")
    }

    /// A practice at a local date and time with an offset, lasting `minutes`.
    fn at(
        practice: &str,
        (y, m, d): (i32, u32, u32),
        (h, min): (i64, i64),
        offset: i16,
        minutes: u32,
    ) -> Practised {
        let date = Date::from_ymd(y, m, d).expect("valid date");
        let local_ms = i64::from(date.0) * DAY_MS + (h * 60 + min) * 60_000;
        Practised {
            practice: id(practice),
            started_at_ms: local_ms - i64::from(offset) * 60_000,
            utc_offset_minutes: offset,
            ms: minutes * 60_000,
        }
    }

    fn date(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd(y, m, d).expect("valid date")
    }

    #[test]
    fn dates_round_trip_and_know_their_weekday() {
        assert_eq!(Date::from_ymd(1970, 1, 1), Some(Date(0)));
        assert_eq!(date(2026, 11, 23).weekday(), 0, "2026-11-23 is a Monday");
        assert_eq!(date(2024, 2, 29).ymd(), (2024, 2, 29));
        assert_eq!(Date::from_ymd(2025, 2, 29), None);
        assert_eq!(Date::from_ymd(2026, 6, 31), None);
        for d in -800_000..800_000 {
            let (y, m, dd) = Date(d).ymd();
            assert_eq!(Date::from_ymd(y, m, dd), Some(Date(d)));
        }
        assert_eq!(date(2026, 11, 29).week_start(), date(2026, 11, 23), "Sunday belongs to Monday's week");
    }

    #[test]
    fn a_practice_belongs_to_its_local_day_not_the_utc_day() {
        let rule = DayRule { grace_minutes: 0 };
        // 00:30 in Copenhagen summer time is 22:30 UTC the day before.
        let p = at("timer-silent", (2026, 7, 1), (0, 30), 120, 10);
        assert_eq!(p.day(rule), date(2026, 7, 1));
        // 23:30 local in winter is 22:30 UTC the same day.
        let p = at("timer-silent", (2026, 1, 15), (23, 30), 60, 10);
        assert_eq!(p.day(rule), date(2026, 1, 15));
    }

    #[test]
    fn late_night_practice_counts_for_the_evening_before() {
        let rule = DayRule::default();
        assert_eq!(at("timer-silent", (2026, 3, 10), (2, 59), 60, 5).day(rule), date(2026, 3, 9));
        assert_eq!(at("timer-silent", (2026, 3, 10), (3, 0), 60, 5).day(rule), date(2026, 3, 10));
        assert_eq!(at("timer-silent", (2026, 3, 10), (0, 0), 60, 5).day(rule), date(2026, 3, 9));
    }

    #[test]
    fn the_clock_change_does_not_move_a_day() {
        // Denmark switches to summer time on 2026-03-29 at 02:00 (offset 60 → 120).
        let rule = DayRule { grace_minutes: 0 };
        let before = at("timer-silent", (2026, 3, 28), (23, 50), 60, 20);
        let after = at("timer-silent", (2026, 3, 29), (8, 0), 120, 20);
        assert_eq!(before.day(rule), date(2026, 3, 28));
        assert_eq!(after.day(rule), date(2026, 3, 29));
        assert_eq!(streak(&[before, after], rule, date(2026, 3, 29)), 2);
    }

    #[test]
    fn weeks_count_minutes_and_distinct_days_from_monday() {
        let rule = DayRule::default();
        let practised = [
            at("mbsr-body-scan", (2026, 11, 22), (20, 0), 60, 45), // Sunday: the week before
            at("mbsr-body-scan", (2026, 11, 23), (7, 0), 60, 45),  // Monday
            at("mbsr-sitting", (2026, 11, 23), (21, 0), 60, 15),   // Monday again
            at("mbsr-body-scan", (2026, 11, 29), (23, 59), 60, 30), // Sunday late
            at("mbsr-body-scan", (2026, 11, 30), (1, 0), 60, 10),  // Monday 01:00: still Sunday
        ];
        let w = weeks(&practised, rule, date(2026, 11, 25), 2);
        assert_eq!(w[0], Week { start: date(2026, 11, 23), minutes: 100, days: 2 });
        assert_eq!(w[1], Week { start: date(2026, 11, 30), minutes: 0, days: 0 });
        let earlier = weeks(&practised, rule, date(2026, 11, 16), 1);
        assert_eq!(earlier[0].minutes, 45);
    }

    #[test]
    fn minutes_round_to_the_nearest() {
        let mut p = at("timer-silent", (2026, 1, 5), (9, 0), 60, 0);
        p.ms = 89_999;
        assert_eq!(weeks(&[p.clone()], DayRule::default(), date(2026, 1, 5), 1)[0].minutes, 1);
        p.ms = 90_000;
        assert_eq!(weeks(&[p], DayRule::default(), date(2026, 1, 5), 1)[0].minutes, 2);
    }

    #[test]
    fn absurd_times_give_a_date_instead_of_overflowing() {
        assert_eq!(Date::of(i64::MAX, i16::MAX, DayRule::default()), Date(i32::MAX));
        assert_eq!(Date::of(i64::MIN, i16::MIN, DayRule::default()), Date(i32::MIN));
    }

    #[test]
    fn a_start_under_half_a_minute_counts_for_nothing_anywhere() {
        let day = date(2026, 5, 2);
        let home = [HomePractice { id: id("timer-silent"), minutes: 5, days: 6, per_day: 1 }];
        let figures = |ms: u32| {
            let mut p = at("timer-silent", (2026, 5, 2), (10, 0), 120, 0);
            p.ms = ms;
            let p = [p];
            let rule = DayRule::default();
            let week = weeks(&p, rule, day, 1)[0];
            let done = adherence(&p, rule, day.week_start(), &home).practices[0].clone();
            (
                streak(&p, rule, day),
                heatmap(&p, rule, day, day)[0].1,
                (week.minutes, u32::from(week.days)),
                (done.done, done.minutes),
                by_day(&p, rule).len(),
            )
        };
        assert_eq!(figures(0), (0, 0, (0, 0), (0, 0), 0));
        assert_eq!(figures(20_000), (0, 0, (0, 0), (0, 0), 0), "20 s is a start, not a practice");
        assert_eq!(figures(29_999), (0, 0, (0, 0), (0, 0), 0));
        // From half a minute on, one minute and one day, everywhere alike.
        assert_eq!(figures(30_000), (1, 1, (1, 1), (1, 1), 1));
        assert_eq!(figures(89_000), (1, 1, (1, 1), (1, 1), 1));
        assert_eq!(figures(91_000), (1, 2, (2, 1), (1, 2), 1));
    }

    #[test]
    fn short_starts_do_not_add_up_to_a_day() {
        // Three 20 s starts on one day are three starts, not a minute practised.
        let p: Vec<Practised> = (0..3)
            .map(|i| at("timer-silent", (2026, 5, 2), (10, i), 120, 0))
            .map(|mut p| {
                p.ms = 20_000;
                p
            })
            .collect();
        assert_eq!(
            weeks(&p, DayRule::default(), date(2026, 5, 2), 1)[0],
            Week { start: date(2026, 4, 27), minutes: 0, days: 0 }
        );
        assert_eq!(counted_minutes(0), 0);
        assert_eq!(counted_minutes(30_000), 1);
        assert_eq!(counted_minutes(150_000), 3);
    }

    #[test]
    fn heatmap_lists_every_day_including_empty_ones() {
        let practised = [at("timer-silent", (2026, 5, 2), (10, 0), 120, 12)];
        let map = heatmap(&practised, DayRule::default(), date(2026, 5, 1), date(2026, 5, 3));
        assert_eq!(map, vec![(date(2026, 5, 1), 0), (date(2026, 5, 2), 12), (date(2026, 5, 3), 0)]);
    }

    #[test]
    fn a_streak_survives_until_today_is_over() {
        let rule = DayRule::default();
        let practised: Vec<Practised> =
            (20..=22).map(|d| at("timer-silent", (2026, 11, d), (8, 0), 60, 10)).collect();
        assert_eq!(streak(&practised, rule, date(2026, 11, 22)), 3);
        assert_eq!(streak(&practised, rule, date(2026, 11, 23)), 3, "today not practised yet");
        assert_eq!(streak(&practised, rule, date(2026, 11, 24)), 0);
        assert_eq!(streak(&[], rule, date(2026, 11, 24)), 0);
    }

    #[test]
    fn adherence_caps_each_day_at_what_was_asked() {
        let rule = DayRule::default();
        let assigned = [
            HomePractice { id: id("mbsr-body-scan"), minutes: 45, days: 6, per_day: 1 },
            HomePractice { id: id("mbct-breathing-space"), minutes: 3, days: 7, per_day: 3 },
        ];
        let start = date(2026, 11, 26); // a Thursday course day
        let mut practised = vec![
            at("mbsr-body-scan", (2026, 11, 26), (19, 0), 60, 45),
            at("mbsr-body-scan", (2026, 11, 26), (21, 0), 60, 45), // twice one day counts once
            at("mbsr-body-scan", (2026, 11, 27), (7, 0), 60, 40),
            at("mbsr-body-scan", (2026, 12, 3), (7, 0), 60, 45), // next course week
            at("timer-silent", (2026, 11, 28), (7, 0), 60, 20),  // not assigned
        ];
        for hour in [8, 12, 17, 20] {
            practised.push(at("mbct-breathing-space", (2026, 11, 27), (hour, 0), 60, 3));
        }
        let a = adherence(&practised, rule, start, &assigned);
        assert_eq!(a.practices[0].done, 2);
        assert_eq!(a.practices[0].asked, 6);
        assert_eq!(a.practices[0].minutes, 130);
        assert_eq!(a.practices[1].done, 3, "at most three a day");
        assert_eq!(a.practices[1].asked, 21);
        assert!((a.fraction - 5.0 / 27.0).abs() < 1e-12);
        assert_eq!(adherence(&[], rule, start, &[]).fraction, 0.0);
    }
}

//! Progress as pictures, laid out as plain numbers so the app only draws
//! them: a calendar heatmap of the last weeks (a column per week, Monday at
//! the top) and bars of minutes per week. Kind by design: a day without
//! practice is simply empty, never red, and the scale grows with the person's
//! own best week rather than a target.

use crate::stats::{Date, DayRule, Practised, Week, heatmap, weeks};

/// How dark a heatmap day is: 0 (none) to 4, by minutes practised that day.
/// The steps follow common home-practice lengths: a breathing space (1–9), a
/// short sitting (10–19), a guided practice (20–44), a full body scan (45+).
pub fn heat_level(minutes: u32) -> u8 {
    match minutes {
        0 => 0,
        1..=9 => 1,
        10..=19 => 2,
        20..=44 => 3,
        _ => 4,
    }
}

/// One day of the heatmap: its column (week, oldest first), row (0 = Monday)
/// and level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeatDay {
    pub date: Date,
    pub column: u32,
    pub row: u32,
    pub minutes: u32,
    pub level: u8,
}

/// The last `weeks_back` weeks up to `today` (days after today are left out).
pub fn heat_days(practised: &[Practised], rule: DayRule, today: Date, weeks_back: u32) -> Vec<HeatDay> {
    let first = today.week_start().add_days(-7 * (weeks_back.max(1) as i32 - 1));
    heatmap(practised, rule, first, today)
        .into_iter()
        .map(|(date, minutes)| {
            let offset = (date.0 - first.0) as u32;
            HeatDay { date, column: offset / 7, row: offset % 7, minutes, level: heat_level(minutes) }
        })
        .collect()
}

/// The last `count` weeks (Monday to Sunday) up to the week of `today`.
pub fn recent_weeks(practised: &[Practised], rule: DayRule, today: Date, count: usize) -> Vec<Week> {
    let first = today.week_start().add_days(-7 * (count.max(1) as i32 - 1));
    weeks(practised, rule, first, count)
}

/// Bar heights for `minutes`, scaled so the largest fills `height` (all zero
/// when nothing was practised); a week with any practice shows at least a
/// sliver, so it never looks like none.
pub fn bar_heights(minutes: &[u32], height: f64) -> Vec<f64> {
    let max = minutes.iter().copied().max().unwrap_or(0);
    if max == 0 {
        return vec![0.0; minutes.len()];
    }
    minutes
        .iter()
        .map(|m| if *m == 0 { 0.0 } else { (f64::from(*m) / f64::from(max) * height).max(2.0) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PracticeId;

    fn day(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd(y, m, d).expect("date")
    }

    fn practised(date: Date, minutes: u32) -> Practised {
        Practised {
            practice: PracticeId::parse("timer-silent").expect("id"),
            // 10:00 UTC, offset 0.
            started_at_ms: i64::from(date.0) * 86_400_000 + 36_000_000,
            utc_offset_minutes: 0,
            ms: minutes * 60_000,
        }
    }

    #[test]
    fn levels_follow_practice_lengths() {
        assert_eq!([0, 1, 9, 10, 19, 20, 44, 45, 90].map(heat_level), [0, 1, 1, 2, 2, 3, 3, 4, 4]);
    }

    #[test]
    fn the_heatmap_has_a_column_per_week_with_monday_on_top_and_stops_today() {
        // Wednesday 25 November 2026; its week starts Monday 23.
        let today = day(2026, 11, 25);
        let log = [practised(day(2026, 11, 16), 12), practised(day(2026, 11, 25), 45)];
        let days = heat_days(&log, DayRule::default(), today, 2);
        assert_eq!(days.first().map(|d| d.date), Some(day(2026, 11, 16)));
        assert_eq!(days.len(), 7 + 3, "last week whole, this week until today");
        let first = days[0];
        assert_eq!((first.column, first.row, first.minutes, first.level), (0, 0, 12, 2));
        let last = days[days.len() - 1];
        assert_eq!((last.column, last.row, last.level), (1, 2, 4));
    }

    #[test]
    fn bars_scale_to_the_best_week_and_never_hide_a_short_one() {
        assert_eq!(bar_heights(&[0, 0], 100.0), [0.0, 0.0]);
        assert_eq!(bar_heights(&[60, 30, 0, 1], 100.0), [100.0, 50.0, 0.0, 2.0]);
        let weeks =
            recent_weeks(&[practised(day(2026, 11, 16), 12)], DayRule::default(), day(2026, 11, 25), 3);
        assert_eq!(weeks.iter().map(|w| w.minutes).collect::<Vec<_>>(), [0, 12, 0]);
        assert_eq!(weeks[2].start, day(2026, 11, 23));
    }
}

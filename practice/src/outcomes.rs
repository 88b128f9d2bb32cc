//! A group's results on a questionnaire: at each measurement point the
//! number who answered, the mean and the standard deviation; between two
//! points the paired change of those who answered both, with its 95 %
//! confidence interval, an effect size, and how many changed by at least the
//! instrument's meaningful change. A group figure exists only when at least
//! [`MIN_GROUP`] people are in it, so that nobody's answer can be worked out
//! from it.
//!
//! Which answers count at a point: a course's measurement points are course
//! weeks ([`crate::measures::Measures`]); [`window`] says on which local days
//! an answer counts for each, and [`at_points`] picks, per point, the first
//! answer given in its window. The server reads the group results this way
//! and the app asks at the same times.
//!
//! Plain arithmetic, tested against values computed by hand (see the tests).

use crate::measures::Instrument;
use crate::schedule::Schedule;
use crate::stats::Date;

/// The fewest people a group figure is shown for.
pub const MIN_GROUP: usize = 5;

/// Scores at one measurement point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    /// The sample standard deviation (n − 1).
    pub sd: f64,
}

/// A group figure, or how many there were when too few.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Group<T> {
    TooFew { n: usize },
    Shown(T),
}

/// The change from one point to a later one, of those who answered both.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paired {
    pub n: usize,
    pub before: Summary,
    pub after: Summary,
    /// Mean of (after − before).
    pub mean_change: f64,
    /// Standard deviation of the changes (n − 1).
    pub sd_change: f64,
    /// 95 % confidence interval of the mean change (Student's t, n − 1 df).
    pub ci95: (f64, f64),
    /// Cohen's d_z: the mean change over the standard deviation of the
    /// changes (Lakens 2013, *Front Psychol* 4:863), the effect size of a
    /// paired design. None when every change is the same.
    pub effect_size: Option<f64>,
    /// How many changed by at least the instrument's meaningful change, for
    /// the better and for the worse (both 0 when it has no threshold).
    pub better: usize,
    pub worse: usize,
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

fn sd(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let m = mean(values);
    (values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (values.len() - 1) as f64).sqrt()
}

/// Whether a group figure of `n` people may be shown when `hidden` of them
/// are people whose own answer the one reading it does not also see: at
/// least [`MIN_GROUP`] people, and the hidden ones either none or at least
/// [`MIN_GROUP`] too — a mean of five of whom four are on view would give
/// away the fifth (and a mean and SD, two).
pub fn may_show(n: usize, hidden: usize) -> bool {
    n >= MIN_GROUP && (hidden == 0 || hidden >= MIN_GROUP)
}

/// The scores at one point, when at least [`MIN_GROUP`] answered.
pub fn summary(scores: &[f64]) -> Group<Summary> {
    if scores.len() < MIN_GROUP {
        return Group::TooFew { n: scores.len() };
    }
    Group::Shown(Summary { n: scores.len(), mean: mean(scores), sd: sd(scores) })
}

/// The paired change of `pairs` (before, after), when at least
/// [`MIN_GROUP`] people answered both.
pub fn paired(instrument: &Instrument, pairs: &[(f64, f64)]) -> Group<Paired> {
    let n = pairs.len();
    if n < MIN_GROUP {
        return Group::TooFew { n };
    }
    let before: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let after: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let changes: Vec<f64> = pairs.iter().map(|(b, a)| a - b).collect();
    let mean_change = mean(&changes);
    let sd_change = sd(&changes);
    let half = t_975(n - 1) * sd_change / (n as f64).sqrt();
    let (mut better, mut worse) = (0, 0);
    for (b, a) in pairs {
        match instrument.meaningful(*b, *a) {
            Some(true) => better += 1,
            Some(false) => worse += 1,
            None => {}
        }
    }
    Group::Shown(Paired {
        n,
        before: Summary { n, mean: mean(&before), sd: sd(&before) },
        after: Summary { n, mean: mean(&after), sd: sd(&after) },
        mean_change,
        sd_change,
        ci95: (mean_change - half, mean_change + half),
        effect_size: (sd_change > 0.0).then(|| mean_change / sd_change),
        better,
        worse,
    })
}

/// The local days on which an answer counts for measurement point `index`
/// of `weeks` (course weeks, earliest first) in a course with `schedule`: from the day it opens (None for week 0: any day before) up to,
/// not including, the day it closes. Week `n` opens on the first day of
/// course week `n` and stays open two weeks; week 0 closes when week 1 ends;
/// every point closes when the next one opens. None past the last point.
pub fn window(schedule: &Schedule, weeks: &[u16], index: usize) -> Option<(Option<Date>, Date)> {
    let opens = |week: u16| (week > 0).then(|| schedule.week_start(i32::from(week)));
    let week = *weeks.get(index)?;
    let from = opens(week);
    let mut to = from.map_or(schedule.start().add_days(7), |day| day.add_days(14));
    if let Some(next) = weeks.get(index + 1).and_then(|w| opens(*w)) {
        to = to.min(next);
    }
    Some((from, to))
}

/// The measurement point (its index in `weeks`) whose window holds `day`.
pub fn point_on(schedule: &Schedule, weeks: &[u16], day: Date) -> Option<usize> {
    (0..weeks.len()).find(|&index| {
        window(schedule, weeks, index)
            .is_some_and(|(from, to)| from.is_none_or(|from| from <= day) && day < to)
    })
}

/// For each point of `weeks`, the value of the earliest answer (by `at_ms`)
/// whose local day falls in its window; None where nobody answered in it.
/// A questionnaire taken again in the same window is the person's own: the
/// first answer is the one the course asked for.
pub fn at_points<T>(
    schedule: &Schedule,
    weeks: &[u16],
    answers: impl IntoIterator<Item = (Date, i64, T)>,
) -> Vec<Option<T>> {
    let mut first: Vec<Option<(i64, T)>> = weeks.iter().map(|_| None).collect();
    for (day, at_ms, value) in answers {
        if let Some(point) = point_on(schedule, weeks, day)
            && first[point].as_ref().is_none_or(|(earliest, _)| at_ms < *earliest)
        {
            first[point] = Some((at_ms, value));
        }
    }
    first.into_iter().map(|slot| slot.map(|(_, value)| value)).collect()
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom: the
/// published table to 30, then the Cornish–Fisher expansion around the
/// normal quantile (within 0.001 of the exact value from 30 up).
pub fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
        2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
        2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df - 1],
        _ => {
            let z: f64 = 1.959_963_985;
            let v = df as f64;
            z + (z.powi(3) + z) / (4.0 * v)
                + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
                + (3.0 * z.powi(7) + 19.0 * z.powi(5) + 17.0 * z.powi(3) - 15.0 * z) / (384.0 * v.powi(3))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who5() -> &'static Instrument {
        crate::catalog().instrument("who-5").expect("WHO-5")
    }

    #[test]
    fn fewer_than_five_are_never_shown() {
        assert_eq!(summary(&[40.0, 60.0, 52.0, 48.0]), Group::TooFew { n: 4 });
        let four = [(40.0, 60.0), (52.0, 56.0), (32.0, 48.0), (60.0, 64.0)];
        assert_eq!(paired(who5(), &four), Group::TooFew { n: 4 });
        assert!(matches!(summary(&[40.0, 60.0, 52.0, 48.0, 50.0]), Group::Shown(Summary { n: 5, .. })));
    }

    #[test]
    fn a_figure_never_gives_away_the_answers_not_on_view() {
        assert!(may_show(5, 5) && may_show(5, 0) && may_show(12, 5) && may_show(12, 0));
        assert!(!may_show(4, 4) && !may_show(4, 0), "too few");
        for hidden in 1..5 {
            assert!(!may_show(12, hidden), "{hidden} hidden among 12 could be worked out");
        }
    }

    #[test]
    fn the_paired_change_matches_a_hand_computation() {
        // Changes 20, 4, 16, 4, 16: mean 12; squared deviations 64, 64, 16,
        // 64, 16 = 224; variance 224 / 4 = 56; SD 7.4833. The interval:
        // 12 ± 2.776 × 7.4833 / √5 = 12 ± 9.2904. d_z = 12 / 7.4833 = 1.6036.
        let pairs = [(40.0, 60.0), (52.0, 56.0), (32.0, 48.0), (60.0, 64.0), (28.0, 44.0)];
        let Group::Shown(p) = paired(who5(), &pairs) else { panic!("five pairs are shown") };
        assert_eq!(p.n, 5);
        assert!((p.mean_change - 12.0).abs() < 1e-12);
        assert!((p.sd_change - 56f64.sqrt()).abs() < 1e-12);
        assert!((p.ci95.0 - 2.7096).abs() < 1e-3 && (p.ci95.1 - 21.2904).abs() < 1e-3, "{:?}", p.ci95);
        assert!((p.effect_size.expect("an effect size") - 1.6036).abs() < 1e-3);
        // Before: 40, 52, 32, 60, 28: mean 42.4.
        assert!((p.before.mean - 42.4).abs() < 1e-12);
        assert!((p.after.mean - 54.4).abs() < 1e-12);
        // WHO-5's 10 points: 20, 16 and 16 are meaningful gains; 4 and 4 not.
        assert_eq!((p.better, p.worse), (3, 0));
        // Everyone the same: no effect size, a zero-width interval.
        let same = [(40.0, 48.0); 5];
        let Group::Shown(s) = paired(who5(), &same) else { panic!("shown") };
        assert_eq!((s.effect_size, s.ci95), (None, (8.0, 8.0)));
    }

    #[test]
    fn the_t_quantile_is_the_table_then_close_to_exact() {
        assert_eq!(t_975(4), 2.776);
        assert_eq!(t_975(30), 2.042);
        // Exact values: df 40: 2.0211, 60: 2.0003, 120: 1.9799.
        for (df, exact) in [(40, 2.0211), (60, 2.0003), (120, 1.9799), (1000, 1.9623)] {
            assert!((t_975(df) - exact).abs() < 1e-3, "df {df}: {}", t_975(df));
        }
    }

    #[test]
    fn each_point_has_its_own_days() {
        let start = Date::from_ymd(2026, 9, 7).expect("a Monday");
        let s = &Schedule::weekly(start);
        let day = |m: u32, d: u32| Date::from_ymd(2026, m, d).expect("date");
        let weeks = [0, 8, 21];
        // Week 0: anything before the end of week 1 (13 September).
        assert_eq!(window(s, &weeks, 0), Some((None, day(9, 14))));
        // Week 8 opens on its first day, 26 October, for two weeks.
        assert_eq!(window(s, &weeks, 1), Some((Some(day(10, 26)), day(11, 9))));
        assert_eq!(window(s, &weeks, 2), Some((Some(day(1, 25).add_days(365)), day(2, 8).add_days(365))));
        assert_eq!(window(s, &weeks, 3), None);
        assert_eq!(point_on(s, &weeks, day(8, 1)), Some(0));
        assert_eq!(point_on(s, &weeks, day(9, 13)), Some(0));
        assert_eq!(point_on(s, &weeks, day(9, 14)), None);
        assert_eq!(point_on(s, &weeks, day(11, 8)), Some(1));
        assert_eq!(point_on(s, &weeks, day(11, 9)), None);
        // A point closes when the next one opens.
        assert_eq!(window(s, &[0, 1, 2], 0), Some((None, start)));
        assert_eq!(window(s, &[0, 1, 2], 1), Some((Some(start), start.add_days(7))));
        assert_eq!(window(s, &[0, 1, 2], 2), Some((Some(start.add_days(7)), start.add_days(21))));
        // A week without a session moves the later points a week on; week
        // 0 still closes when week 1 ends.
        let holiday = Schedule::new(
            start,
            &crate::schedule::Meetings { skipped: vec!["2026-10-19".into()], ..Default::default() },
        );
        assert_eq!(window(&holiday, &weeks, 0), Some((None, day(9, 14))));
        assert_eq!(window(&holiday, &weeks, 1), Some((Some(day(11, 2)), day(11, 16))));
    }

    #[test]
    fn the_first_answer_in_a_window_counts() {
        let start = Date::from_ymd(2026, 9, 7).expect("date");
        let answers = [
            (start.add_days(-3), 300, "again before"),
            (start.add_days(-5), 100, "before"),
            (start.add_days(20), 500, "between points"),
            (start.add_days(50), 700, "week 8"),
        ];
        assert_eq!(
            at_points(&Schedule::weekly(start), &[0, 8, 21], answers),
            vec![Some("before"), Some("week 8"), None]
        );
    }
}

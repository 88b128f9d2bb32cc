//! A group's results on a questionnaire: at each measurement point the
//! number who answered, the mean and the standard deviation; between two
//! points the paired change of those who answered both, with its 95 %
//! confidence interval, an effect size, and how many changed by at least the
//! instrument's meaningful change. A group figure exists only when at least
//! [`MIN_GROUP`] people are in it, so that nobody's answer can be worked out
//! from it.
//!
//! Plain arithmetic, tested against values computed by hand (see the tests).

use crate::measures::Instrument;

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
}

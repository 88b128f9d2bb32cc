//! The shipped questionnaires, scored by their published rules.
//!
//! No instrument's manual publishes a set of answers with its score, so the
//! worked examples here apply each published rule by hand, and say where the
//! rule is written:
//! - WHO-5: "The raw score is calculated by totaling the figures of the five
//!   answers … To obtain a percentage score ranging from 0 to 100, the raw
//!   score is multiplied by 4" (the WHO-5 form, Psychiatric Research Unit,
//!   Hillerød; Topp et al. 2015); "a 10% difference indicates a significant
//!   change"; ≤ 50 screening cut-off (Topp et al. 2015).
//! - PSS-10: "PSS-10 scores are obtained by reversing the scores on the four
//!   positive items, e.g., 0=4, 1=3, 2=2, etc. and then summing across all 10
//!   items. Items 4, 5, 7, and 8 are the positively stated items." (Cohen,
//!   psy.cmu.edu/~scohen/PSSscore.html); minimal important change 11 points
//!   (Eskildsen et al. 2015).
//! - SCS-SF: "reverse score the negative subscale items – self-judgment,
//!   isolation, and over-identification (i.e., 1 = 5, 2 = 4, 3 = 3, 4 = 2,
//!   5 = 1) – then compute a total mean"; self-judgment 11, 12; isolation 4, 8;
//!   over-identification 1, 9 (Neff's SCS-SF information sheet; Raes et al.
//!   2011).

use proptest::prelude::*;
use stille_practice::Lang;
use stille_practice::catalog;
use stille_practice::measures::{Direction, Instrument, Method, ScoreError};

fn instrument(id: &str) -> &'static Instrument {
    catalog().instrument(id).unwrap_or_else(|| panic!("{id} is in the catalog"))
}

fn all(values: &[u8]) -> Vec<Option<u8>> {
    values.iter().copied().map(Some).collect()
}

#[test]
fn the_shipped_questionnaires_are_who5_pss10_and_scssf_and_say_which_wordings_are_validated() {
    let ids: Vec<&str> = catalog().instruments.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["who-5", "pss-10", "scs-sf"]);
    for i in &catalog().instruments {
        assert!(i.problems().is_empty(), "{}: {:?}", i.id, i.problems());
        // An unvalidated wording must say so where it says where it comes from.
        for lang in Lang::ALL {
            if !i.validated.get(lang) {
                let source = i.wording_source.get(lang).to_lowercase();
                assert!(source.contains("egen") || source.contains("own"), "{}: {source}", i.id);
            }
        }
    }
    assert!(instrument("who-5").validated.da, "the Danish WHO-5 is the published Danish version");
    assert!(!instrument("pss-10").validated.da, "Stille's own Danish PSS-10 until the consensus text is in");
    assert!(!instrument("scs-sf").validated.da);
}

#[test]
fn who5_is_the_raw_sum_times_four_with_its_bands_and_ten_point_change() {
    let who5 = instrument("who-5");
    assert_eq!(who5.items.len(), 5);
    assert_eq!(who5.score_range(), (0.0, 100.0));
    // The form's own example answer (3 on item 1) in a set of threes: raw 15.
    assert_eq!(who5.score(&all(&[3, 3, 3, 3, 3])).expect("it scores").total, 60.0);
    // KL's FHIR example response "Mark": 5, 3, 5, 5, 5 = raw 23.
    assert_eq!(who5.score(&all(&[5, 3, 5, 5, 5])).expect("it scores").total, 92.0);
    assert_eq!(who5.score(&all(&[2, 2, 3, 2, 1])).expect("it scores").total, 40.0);
    let band =
        |answers: &[u8]| who5.band(who5.score(&all(answers)).expect("it scores").total).expect("a band");
    assert!(band(&[1, 1, 1, 1, 3]).concern, "28 is in the lowest band");
    assert!(!band(&[1, 1, 1, 2, 3]).concern, "32 is not");
    assert_eq!(band(&[2, 2, 2, 3, 3]).label.en, "Reduced well-being", "48");
    assert_eq!(who5.band(50.0).expect("a band").label.en, "Reduced well-being", "≤ 50");
    assert_eq!(band(&[2, 2, 3, 3, 3]).label.en, "Well-being like most people's", "52");
    assert_eq!(who5.meaningful(40.0, 52.0), Some(true));
    assert_eq!(who5.meaningful(52.0, 40.0), Some(false));
    assert_eq!(who5.meaningful(40.0, 48.0), None, "8 points is less than 10");
    assert_eq!(who5.meaningful(40.0, 50.0), Some(true), "10 points is enough");
    assert!(matches!(
        who5.score(&[Some(3), Some(3), None, Some(3), Some(3)]),
        Err(ScoreError::Missing { missing: 1, allowed: 0, .. })
    ));
}

#[test]
fn pss10_reverses_items_4_5_7_8_and_sums_to_0_40() {
    let pss = instrument("pss-10");
    let reversed: Vec<usize> =
        pss.items.iter().enumerate().filter(|(_, i)| i.reverse).map(|(n, _)| n + 1).collect();
    assert_eq!(reversed, [4, 5, 7, 8]);
    assert_eq!(pss.score_range(), (0.0, 40.0));
    assert_eq!(pss.scoring.higher_is, Direction::Worse);
    // Every answer 0: the four positive items count 4 each.
    assert_eq!(pss.score(&all(&[0; 10])).expect("it scores").total, 16.0);
    // 2+3+3+(4−1)+(4−1)+3+(4−1)+(4−1)+2+3.
    assert_eq!(pss.score(&all(&[2, 3, 3, 1, 1, 3, 1, 1, 2, 3])).expect("it scores").total, 28.0);
    assert_eq!(pss.score(&all(&[4, 4, 4, 0, 0, 4, 0, 0, 4, 4])).expect("it scores").total, 40.0);
    assert_eq!(pss.score(&all(&[0, 0, 0, 4, 4, 0, 4, 4, 0, 0])).expect("it scores").total, 0.0);
    assert!(pss.band(28.0).expect("a band").concern);
    assert!(!pss.band(26.0).expect("a band").concern);
    assert_eq!(pss.meaningful(28.0, 17.0), Some(true), "11 points down is better");
    assert_eq!(pss.meaningful(28.0, 18.0), None);
}

#[test]
fn scssf_is_the_mean_after_reversing_the_negative_subscales() {
    let scs = instrument("scs-sf");
    let reversed: Vec<usize> =
        scs.items.iter().enumerate().filter(|(_, i)| i.reverse).map(|(n, _)| n + 1).collect();
    assert_eq!(reversed, [1, 4, 8, 9, 11, 12]);
    assert_eq!(scs.scoring.method, Method::Mean);
    assert_eq!(scs.score_range(), (1.0, 5.0));
    assert_eq!(scs.score(&all(&[3; 12])).expect("it scores").total, 3.0);
    // Reversed: 2,2,3,2,2,5,1,3,2,2,5,1 → 30 / 12.
    let s = scs.score(&all(&[4, 2, 3, 4, 2, 5, 1, 3, 4, 2, 1, 5])).expect("it scores");
    assert_eq!(s.total, 2.5);
    assert_eq!(scs.band(s.total).expect("a band").label.en, "Moderate self-compassion", "2.5 is moderate");
    let ids: Vec<&str> = scs.subscales.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "self-kindness",
            "self-judgment",
            "common-humanity",
            "isolation",
            "mindfulness",
            "over-identification"
        ]
    );
    // "Subscale scores are computed by calculating the mean of subscale item
    // responses": self-kindness (2, 6): 2 and 5; self-judgment (11, 12): 1
    // and 5, as answered (high self-judgment scores high).
    assert_eq!(s.subscales[0], Some(3.5));
    assert_eq!(s.subscales[1], Some(3.0));
    assert_eq!(s.subscales[5], Some(4.0), "over-identification (1, 9): 4 and 4");
    // The total is the mean of the positive subscales and the negative ones
    // turned round (6 − mean), two items each.
    let turned: f64 = s
        .subscales
        .iter()
        .zip(&scs.subscales)
        .map(|(score, sub)| {
            let score = score.expect("all answered");
            if ["self-judgment", "isolation", "over-identification"].contains(&sub.id.as_str()) {
                6.0 - score
            } else {
                score
            }
        })
        .sum();
    assert!((turned / 6.0 - s.total).abs() < 1e-12);
    // 29/12 = 2.4167 is low; 43/12 = 3.5833 is high.
    assert_eq!(scs.band(29.0 / 12.0).expect("a band").label.en, "Low self-compassion");
    assert_eq!(scs.band(3.5).expect("a band").label.en, "Moderate self-compassion");
    assert_eq!(scs.band(43.0 / 12.0).expect("a band").label.en, "High self-compassion");
}

/// For each instrument: answers on its scale, some perhaps missing.
fn answers_for(i: &'static Instrument) -> impl Strategy<Value = Vec<Option<u8>>> {
    let values: Vec<u8> = i.options.iter().map(|o| o.value).collect();
    proptest::collection::vec(
        proptest::option::weighted(0.9, proptest::sample::select(values)),
        i.items.len(),
    )
}

fn any_instrument() -> impl Strategy<Value = &'static Instrument> {
    proptest::sample::select(catalog().instruments.iter().collect::<Vec<_>>())
}

proptest! {
    #[test]
    fn a_score_is_in_range_and_exists_exactly_when_few_enough_are_missing(
        (i, answers) in any_instrument().prop_flat_map(|i| (Just(i), answers_for(i)))
    ) {
        let missing = answers.iter().filter(|a| a.is_none()).count();
        match i.score(&answers) {
            Ok(s) => {
                prop_assert!(missing <= usize::from(i.scoring.max_missing));
                let (low, high) = i.score_range();
                prop_assert!(s.total >= low - 1e-9 && s.total <= high + 1e-9, "{} not in {low}..{high}", s.total);
                prop_assert!(i.band(s.total).is_some());
            }
            Err(ScoreError::Missing { missing: m, .. }) => {
                prop_assert_eq!(m, missing);
                prop_assert!(missing > usize::from(i.scoring.max_missing));
            }
            Err(e) => prop_assert!(false, "unexpected {e}"),
        }
    }

    #[test]
    fn turning_a_reverse_item_round_moves_the_score_the_other_way(
        (i, answers) in any_instrument().prop_flat_map(|i| (Just(i), answers_for(i)))
    ) {
        let complete: Vec<Option<u8>> = answers.iter().map(|a| a.or(Some(i.options[0].value))).collect();
        let low = i.options.iter().map(|o| o.value).min().expect("a scale");
        let base = i.score(&complete).expect("it scores").total;
        for (n, item) in i.items.iter().enumerate() {
            let mut higher = complete.clone();
            let Some(value) = higher[n] else { continue };
            if value == low { continue; }
            higher[n] = Some(value - 1);
            let moved = i.score(&higher).expect("it scores").total;
            // One step down on a reverse item raises the score, else lowers it.
            prop_assert_eq!(moved > base, item.reverse, "item {}", n + 1);
        }
    }

    #[test]
    fn answers_off_the_scale_or_of_the_wrong_length_are_refused(
        (i, answers, off) in any_instrument().prop_flat_map(|i| (Just(i), answers_for(i), 6u8..=255))
    ) {
        let mut bad = answers.clone();
        bad[0] = Some(off);
        let refused = matches!(i.score(&bad), Err(ScoreError::Value { item: 1, .. }));
        prop_assert!(refused);
        let mut short = answers;
        short.pop();
        let refused = matches!(i.score(&short), Err(ScoreError::Length { .. }));
        prop_assert!(refused);
    }
}

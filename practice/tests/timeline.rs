//! The timeline compiler's promises, checked on examples and on thousands of
//! generated scripts.

use proptest::prelude::*;
use stille_practice::timeline::{BreathOptions, Section, SectionKind, fixed_ms, share};
use stille_practice::{
    Anchor, BellRole, BellSound, BreathPattern, BreathPhase, CompileError, CueKind, Eyes, Kind, Lang,
    Options, PhaseSpec, Practice, PracticeId, Program, Segment, Span, Text, compile,
};

fn text(da: &str, en: &str) -> Text {
    Text { da: da.into(), en: en.into() }
}

fn practice(script: Vec<Segment>) -> Practice {
    Practice {
        id: PracticeId::parse("test-practice").expect("valid id"),
        program: Program::Mbsr,
        kind: Kind::Guided,
        title: text("Prøve", "Test"),
        summary: text("Prøve", "Test"),
        evidence_note: None,
        caution: None,
        default_minutes: 10,
        minutes: vec![1, 180],
        custom_length: true,
        source: "test".into(),
        anchors: vec![Anchor::Breath, Anchor::Sounds],
        interval_bells: true,
        breath: None,
        script,
        prompts: vec![],
        calendar: false,
    }
}

fn bell(role: BellRole) -> Segment {
    Segment::Bell { role, ms: None }
}

fn cue(da: &str, en: &str, seconds: u32) -> Segment {
    Segment::Cue { text: text(da, en), ms: seconds * 1000 }
}

fn options(p: &Practice, minutes: u16) -> Options {
    Options { minutes, ..Options::defaults(p, Lang::En) }
}

fn texts(timeline: &stille_practice::Timeline) -> Vec<(u32, String)> {
    timeline
        .cues
        .iter()
        .filter_map(|c| match &c.kind {
            CueKind::Text(t) => Some((c.at_ms, t.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn fixed_parts_keep_their_time_and_flexible_parts_share_the_rest() {
    let p = practice(vec![
        bell(BellRole::Opening),
        cue("Velkommen.", "Welcome.", 20),
        Segment::Silence(Span::Flexible(2000)),
        cue("Lyt.", "Listen.", 10),
        Segment::Silence(Span::Flexible(1000)),
        bell(BellRole::Closing),
    ]);
    let t = compile(&p, &options(&p, 10)).expect("compiles");
    t.check().expect("invariants hold");
    // 10 min = 600 s; fixed: 5 (bell) + 20 + 10 + 10 (closing bowl) = 45 s; 555 s shared 2:1.
    let spans: Vec<u32> = t.sections.iter().map(|s| s.end_ms - s.start_ms).collect();
    assert_eq!(spans, vec![5_000, 20_000, 370_000, 10_000, 185_000, 10_000]);
    assert_eq!(texts(&t), vec![(5_000, "Welcome.".into()), (395_000, "Listen.".into())]);
    assert_eq!(t.cues.last().map(|c| (c.at_ms, c.kind.clone())), Some((600_000, CueKind::End)));
    let closing = t.cues.iter().find(|c| matches!(c.kind, CueKind::Bell { role: BellRole::Closing, .. }));
    assert_eq!(closing.map(|c| c.at_ms), Some(590_000));
}

#[test]
fn anchor_and_eyes_are_filled_in_the_chosen_language() {
    let p = practice(vec![
        bell(BellRole::Opening),
        cue("Hvil ved {anchor}. {eyes}", "Rest on {anchor}. {eyes}", 20),
        Segment::Silence(Span::Flexible(1)),
        bell(BellRole::Closing),
    ]);
    let default = compile(&p, &options(&p, 5)).expect("compiles");
    assert_eq!(
        texts(&default)[0].1,
        format!("Rest on the breath. {}", Eyes::Closed.sentence(Lang::En)),
        "the first anchor is the default"
    );
    let chosen = Options { anchor: Some(Anchor::Sounds), eyes: Eyes::Open, lang: Lang::Da, ..options(&p, 5) };
    let t = compile(&p, &chosen).expect("compiles");
    assert_eq!(
        texts(&t)[0].1,
        "Hvil ved lydene omkring dig. Hold øjnene åbne, og lad blikket hvile blødt på et punkt foran dig."
    );
    let refused = Options { anchor: Some(Anchor::Hands), ..options(&p, 5) };
    assert_eq!(compile(&p, &refused), Err(CompileError::AnchorNotOffered(Anchor::Hands)));
}

#[test]
fn the_warm_up_comes_before_the_opening_bell() {
    let p =
        practice(vec![bell(BellRole::Opening), Segment::Silence(Span::Flexible(1)), bell(BellRole::Closing)]);
    let t = compile(&p, &Options { warm_up_seconds: 30, ..options(&p, 1) }).expect("compiles");
    t.check().expect("invariants hold");
    assert_eq!(t.start_ms, 30_000);
    assert_eq!(t.length_ms, 90_000);
    assert_eq!(t.cues[0].at_ms, 30_000);
    let long = Options { warm_up_seconds: 601, ..options(&p, 1) };
    assert_eq!(compile(&p, &long), Err(CompileError::WarmUpTooLong(601)));
}

#[test]
fn interval_bells_ring_every_n_minutes_but_never_over_another_bell() {
    let p =
        practice(vec![bell(BellRole::Opening), Segment::Silence(Span::Flexible(1)), bell(BellRole::Closing)]);
    let t = compile(&p, &Options { interval_minutes: Some(5), ..options(&p, 20) }).expect("compiles");
    t.check().expect("invariants hold");
    let bells: Vec<(u32, BellRole)> = t
        .cues
        .iter()
        .filter_map(|c| match c.kind {
            CueKind::Bell { role, .. } => Some((c.at_ms, role)),
            _ => None,
        })
        .collect();
    assert_eq!(
        bells,
        vec![
            (0, BellRole::Opening),
            (300_000, BellRole::Interval),
            (600_000, BellRole::Interval),
            (900_000, BellRole::Interval),
            (1_190_000, BellRole::Closing),
        ]
    );
    // Every minute in a 1-minute sit: the only candidate is the end itself.
    let t = compile(&p, &Options { interval_minutes: Some(1), ..options(&p, 1) }).expect("compiles");
    assert_eq!(t.cues.iter().filter(|c| matches!(c.kind, CueKind::Bell { .. })).count(), 2);
}

fn breathing(phases: &[(BreathPhase, f64)], bpm_range: Option<[f64; 2]>) -> Practice {
    let mut p = practice(vec![
        bell(BellRole::Opening),
        Segment::Breath(Span::Flexible(1000)),
        cue("Slut.", "Done.", 5),
        bell(BellRole::Closing),
    ]);
    p.kind = Kind::BreathingPattern;
    p.breath = Some(BreathPattern {
        phases: phases
            .iter()
            .map(|(phase, seconds)| PhaseSpec { phase: *phase, seconds: *seconds })
            .collect(),
        bpm_range,
        adjustable: true,
        max_cycles: None,
    });
    p
}

fn breath_cues(t: &stille_practice::Timeline) -> Vec<(BreathPhase, u32)> {
    t.cues
        .iter()
        .filter_map(|c| match c.kind {
            CueKind::Breath { phase, ms } => Some((phase, ms)),
            _ => None,
        })
        .collect()
}

#[test]
fn breath_phases_tile_the_breathing_time_at_the_chosen_pace() {
    let p = breathing(&[(BreathPhase::Inhale, 5.5), (BreathPhase::Exhale, 5.5)], Some([4.5, 7.0]));
    let six = Options { breath: BreathOptions { bpm: Some(6.0), phase_seconds: None }, ..options(&p, 5) };
    let t = compile(&p, &six).expect("compiles");
    t.check().expect("invariants hold");
    let breath_section: &Section =
        t.sections.iter().find(|s| s.kind == SectionKind::Breath).expect("a breath section");
    let span = breath_section.end_ms - breath_section.start_ms;
    assert_eq!(span, 300_000 - 5_000 - 5_000 - 10_000);
    assert_eq!(t.breath_ms(), u64::from(span), "phases sum exactly to the breathing time");
    let cues = breath_cues(&t);
    // 280 s at 10 s a breath: exactly 28 cycles of 5 s in, 5 s out.
    assert_eq!(cues.len(), 56);
    assert!(cues.iter().all(|(_, ms)| *ms == 5_000));
    assert_eq!(cues[0].0, BreathPhase::Inhale);

    let too_fast =
        Options { breath: BreathOptions { bpm: Some(8.0), phase_seconds: None }, ..options(&p, 5) };
    assert!(matches!(compile(&p, &too_fast), Err(CompileError::Breath(_))));
}

#[test]
fn zero_second_holds_are_left_out_and_odd_cycles_stretch_slightly() {
    let p = breathing(
        &[(BreathPhase::Inhale, 4.0), (BreathPhase::HoldIn, 0.0), (BreathPhase::Exhale, 7.0)],
        None,
    );
    let t = compile(&p, &options(&p, 3)).expect("compiles");
    t.check().expect("invariants hold");
    let cues = breath_cues(&t);
    assert!(cues.iter().all(|(phase, _)| *phase != BreathPhase::HoldIn));
    // 160 s / 11 s = 14.5 cycles → 15 cycles, each 160/15 = 10.67 s (3 % quicker).
    assert_eq!(cues.len(), 30);
    let inhale = cues[0].1;
    assert!((3_870..=3_880).contains(&inhale), "{inhale}");
    let custom = Options {
        breath: BreathOptions { bpm: None, phase_seconds: Some(vec![3.0, 21.0, 3.0]) },
        ..options(&p, 3)
    };
    assert!(matches!(compile(&p, &custom), Err(CompileError::Breath(_))));
}

#[test]
fn when_whole_breaths_do_not_fit_the_pace_stays_and_a_rest_ends_the_breathing() {
    let p = breathing(&[(BreathPhase::Inhale, 4.0), (BreathPhase::Exhale, 4.0)], None);
    // 1 min: 60 − 5 (bell) − 5 (cue) − 10 (closing bowl) = 40 s of breathing.
    let slow = Options {
        breath: BreathOptions { bpm: None, phase_seconds: Some(vec![10.0, 10.0]) },
        ..options(&p, 1)
    };
    let t = compile(&p, &slow).expect("compiles");
    t.check().expect("invariants hold");
    assert_eq!(
        breath_cues(&t),
        vec![
            (BreathPhase::Inhale, 10_000),
            (BreathPhase::Exhale, 10_000),
            (BreathPhase::Inhale, 10_000),
            (BreathPhase::Exhale, 10_000),
        ]
    );
    let odd = Options {
        breath: BreathOptions { bpm: None, phase_seconds: Some(vec![7.0, 8.0]) },
        ..options(&p, 1)
    };
    let t = compile(&p, &odd).expect("compiles");
    t.check().expect("invariants hold");
    // 40 s / 15 s = 2.67: three breaths would be 11 % quicker, so two at 15 s and a 10 s rest.
    assert_eq!(
        breath_cues(&t),
        vec![
            (BreathPhase::Inhale, 7_000),
            (BreathPhase::Exhale, 8_000),
            (BreathPhase::Inhale, 7_000),
            (BreathPhase::Exhale, 8_000),
            (BreathPhase::HoldOut, 10_000),
        ]
    );
    let held = breathing(
        &[(BreathPhase::Inhale, 4.0), (BreathPhase::HoldIn, 4.0), (BreathPhase::Exhale, 4.0)],
        None,
    );
    let too_long = Options {
        breath: BreathOptions { bpm: None, phase_seconds: Some(vec![20.0, 1.0, 20.0]) },
        ..options(&held, 1)
    };
    let error = compile(&held, &too_long).expect_err("a 41 s breath does not fit in 40 s");
    assert!(error.to_string().contains("40.0 s) is shorter than one breath (41.0 s)"), "{error}");
}

#[test]
fn a_pattern_with_a_limit_gives_that_many_breaths_and_then_rest() {
    let mut p = breathing(
        &[(BreathPhase::Inhale, 4.0), (BreathPhase::HoldIn, 7.0), (BreathPhase::Exhale, 8.0)],
        None,
    );
    if let Some(pattern) = p.breath.as_mut() {
        pattern.max_cycles = Some(4);
    }
    // 3 min: 180 − 5 (bell) − 5 (cue) − 10 (closing bowl) = 160 s, room for
    // eight breaths of 19 s; four are given, then 84 s of rest.
    let t = compile(&p, &options(&p, 3)).expect("compiles");
    t.check().expect("invariants hold");
    let cues = breath_cues(&t);
    assert_eq!(cues.iter().filter(|(phase, _)| *phase == BreathPhase::Inhale).count(), 4);
    assert_eq!(cues.last(), Some(&(BreathPhase::HoldOut, 160_000 - 4 * 19_000)));
    assert_eq!(t.breath_ms(), 160_000, "the rest still tiles the breathing time");
    // Shorter phases chosen: still four breaths.
    let quick = Options {
        breath: BreathOptions { bpm: None, phase_seconds: Some(vec![2.0, 3.0, 4.0]) },
        ..options(&p, 3)
    };
    let t = compile(&p, &quick).expect("compiles");
    assert_eq!(breath_cues(&t).iter().filter(|(phase, _)| *phase == BreathPhase::Inhale).count(), 4);
}

#[test]
fn a_practice_without_a_pattern_refuses_breath_options() {
    let p =
        practice(vec![bell(BellRole::Opening), Segment::Silence(Span::Flexible(1)), bell(BellRole::Closing)]);
    let o = Options { breath: BreathOptions { bpm: Some(6.0), phase_seconds: None }, ..options(&p, 5) };
    assert!(matches!(compile(&p, &o), Err(CompileError::Breath(_))));
}

#[test]
fn informal_practices_and_wrong_lengths_are_refused_clearly() {
    let mut p =
        practice(vec![bell(BellRole::Opening), Segment::Silence(Span::Flexible(1)), bell(BellRole::Closing)]);
    p.custom_length = false;
    p.minutes = vec![5, 10];
    let error = compile(&p, &options(&p, 7)).expect_err("7 min is not offered");
    assert_eq!(error.to_string(), "7 min is not a length this practice allows ([5, 10] min)");
    p.kind = Kind::Informal;
    assert!(matches!(compile(&p, &options(&p, 5)), Err(CompileError::NotPlayable(_))));
}

#[test]
fn shares_are_exact_and_proportional() {
    assert_eq!(share(10, &[1, 1, 1]), vec![4, 3, 3]);
    assert_eq!(share(100, &[0, 3, 1]), vec![0, 75, 25]);
    assert_eq!(share(7, &[0, 0]), vec![0, 0]);
}

fn segment() -> impl Strategy<Value = Segment> {
    prop_oneof![
        (1u32..30).prop_map(|s| Segment::Cue { text: text("Tekst.", "Text."), ms: s * 1000 }),
        (1u32..60_000).prop_map(|ms| Segment::Silence(Span::Fixed(ms))),
        (1u32..5_000).prop_map(|w| Segment::Silence(Span::Flexible(w))),
        (1u32..3_000).prop_map(|w| Segment::Breath(Span::Flexible(w))),
        (5_000u32..60_000).prop_map(|ms| Segment::Breath(Span::Fixed(ms))),
    ]
}

fn phases() -> impl Strategy<Value = Vec<PhaseSpec>> {
    let phase = prop_oneof![
        Just(BreathPhase::Inhale),
        Just(BreathPhase::TopUp),
        Just(BreathPhase::HoldIn),
        Just(BreathPhase::Exhale),
        Just(BreathPhase::HoldOut)
    ];
    prop::collection::vec((phase, 0u32..=80), 1..5)
        .prop_map(|v| {
            v.into_iter()
                .map(|(phase, tenths)| PhaseSpec { phase, seconds: f64::from(tenths) / 10.0 })
                .collect()
        })
        .prop_filter("a breath lasts at least 1 s", |p: &Vec<PhaseSpec>| {
            p.iter().map(|p| p.seconds).sum::<f64>() >= 1.0
        })
}

fn bell_sound() -> impl Strategy<Value = BellSound> {
    prop::sample::select(BellSound::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_timeline_keeps_its_promises(
        middle in prop::collection::vec(segment(), 0..8),
        opening_ms in prop::option::of(1_000u32..8_000),
        pattern in phases(),
        minutes in 1u16..60,
        sound in bell_sound(),
        warm_up in 0u16..120,
        interval in prop::option::of(1u16..10),
        lang in prop::sample::select(vec![Lang::Da, Lang::En]),
    ) {
        let mut script = vec![Segment::Bell { role: BellRole::Opening, ms: opening_ms }];
        script.extend(middle);
        script.push(Segment::Silence(Span::Flexible(1000)));
        script.push(bell(BellRole::Closing));
        let mut p = practice(script);
        p.breath = Some(BreathPattern { phases: pattern, bpm_range: None, adjustable: false, max_cycles: None });
        let o = Options { minutes, lang, bell: sound, warm_up_seconds: warm_up, interval_minutes: interval, ..Options::defaults(&p, lang) };
        let fixed: u64 = p.script.iter().filter_map(|s| fixed_ms(s, sound)).map(u64::from).sum();
        let length = u64::from(minutes) * 60_000;
        match compile(&p, &o) {
            Err(CompileError::TooShort { .. }) => prop_assert!(fixed > length),
            Err(CompileError::Breath(message)) => {
                prop_assert!(fixed <= length);
                prop_assert!(message.contains("shorter than one breath"), "{}", message);
            }
            Err(other) => prop_assert!(false, "unexpected error {other}"),
            Ok(t) => {
                prop_assert!(fixed <= length);
                prop_assert_eq!(t.check(), Ok(()));
                prop_assert_eq!(t.length_ms, u32::from(warm_up) * 1000 + length as u32);
                // Fixed segments keep their duration.
                for (section, segment) in t.sections.iter().zip(&p.script) {
                    if let Some(ms) = fixed_ms(segment, sound) {
                        prop_assert_eq!(section.end_ms - section.start_ms, ms);
                    }
                }
                // Flexible segments get their proportional share, to the millisecond.
                let weights: Vec<u64> = p.script.iter().map(|s| match s {
                    Segment::Silence(Span::Flexible(w)) | Segment::Breath(Span::Flexible(w)) => u64::from(*w),
                    _ => 0,
                }).collect();
                let total_weight: u64 = weights.iter().sum();
                let flexible = length - fixed;
                for (section, weight) in t.sections.iter().zip(&weights) {
                    if *weight > 0 {
                        let got = u64::from(section.end_ms - section.start_ms) * total_weight;
                        let ideal = flexible * weight;
                        prop_assert!(got.abs_diff(ideal) < total_weight, "share {got} vs {ideal}");
                    }
                }
                // Breath phases fill every breath section exactly.
                let breath_span: u64 = t.sections.iter()
                    .filter(|s| s.kind == SectionKind::Breath)
                    .map(|s| u64::from(s.end_ms - s.start_ms))
                    .sum();
                prop_assert_eq!(t.breath_ms(), breath_span);
                // The pace is never changed by more than 5 %.
                let cycle: u64 = p.breath.iter().flat_map(|b| &b.phases).map(|p| (p.seconds * 1000.0).round() as u64).sum();
                let breaths: Vec<(BreathPhase, u32)> = breath_cues(&t);
                let first_phase = p.breath.as_ref().and_then(|b| b.phases.iter().find(|ph| ph.seconds > 0.0));
                if let Some(first) = first_phase {
                    let planned = (first.seconds * 1000.0).round();
                    for (phase, ms) in breaths.iter().take(1) {
                        if *phase == first.phase {
                            prop_assert!((f64::from(*ms) - planned).abs() <= planned * 0.05 + 1.0, "{} vs {}", ms, planned);
                        }
                    }
                }
                prop_assert!(cycle > 0);
                // Every cue segment shows its text once, at its start.
                let cue_starts: Vec<u32> = t.sections.iter().filter(|s| s.kind == SectionKind::Cue).map(|s| s.start_ms).collect();
                prop_assert_eq!(texts(&t).into_iter().map(|(at, _)| at).collect::<Vec<_>>(), cue_starts);
                // The same input always gives the same timeline.
                prop_assert_eq!(compile(&p, &o), Ok(t));
            }
        }
    }
}

// --- A recorded voice: each cue's clip plays to its end ---------------------

use stille_practice::timeline::Broken;
use stille_practice::{ClipLengths, catalog, compile_with_clips, lengths_with_clips};

#[test]
fn a_recorded_cue_longer_than_written_takes_its_time_from_the_silence() {
    let p = practice(vec![
        bell(BellRole::Opening),
        cue("Sæt dig godt til rette", "Settle in", 10),
        Segment::Silence(Span::Flexible(1)),
        cue("Kom langsomt tilbage", "Slowly come back", 5),
        bell(BellRole::Closing),
    ]);
    let written = compile(&p, &options(&p, 1)).expect("compiles");
    let clips = ClipLengths::from([(1, 14_500), (3, 3_000)]);
    let voiced = compile_with_clips(&p, &options(&p, 1), &clips).expect("compiles with the voice");
    let span = |t: &stille_practice::Timeline, i: usize| t.sections[i].end_ms - t.sections[i].start_ms;
    assert_eq!(span(&voiced, 1), 14_500, "the longer recording takes its time");
    assert_eq!(span(&voiced, 3), 5_000, "a shorter one keeps the written time");
    assert_eq!(span(&written, 2) - span(&voiced, 2), 4_500, "the silence gives it up");
    assert_eq!(voiced.length_ms, written.length_ms);
    voiced.check().expect("a sound timeline");
    voiced.check_clips(&clips).expect("every clip inside its cue");
    // A clip that would run over the next part is caught by the check.
    assert!(matches!(written.check_clips(&clips), Err(Broken::ClipOutside(1))));

    // At 1 minute a 70-second recording cannot fit; at 180 it can.
    let long = ClipLengths::from([(1, 70_000), (3, 6_000)]);
    match compile_with_clips(&p, &options(&p, 1), &long) {
        Err(CompileError::VoiceTooLong { minutes: 1, cue: 1, .. }) => {}
        other => panic!("{other:?}"),
    }
    let (offered, refused) = lengths_with_clips(&p, Lang::Da, &long);
    assert_eq!(offered, [180]);
    assert!(matches!(refused.as_slice(), [(1, CompileError::VoiceTooLong { cue: 1, .. })]), "{refused:?}");
    // A recording is for a cue.
    assert_eq!(
        compile_with_clips(&p, &options(&p, 1), &ClipLengths::from([(2, 1_000)])),
        Err(CompileError::ClipNotACue(2))
    );
}

/// Each cue of `p` (by script index) with its written time.
fn cues_of(p: &Practice) -> Vec<(usize, u32)> {
    p.script
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Segment::Cue { ms, .. } => Some((i, *ms)),
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Every guided practice in the catalog, recorded by someone who speaks
    /// anywhere from a third of to three times as long as the cue's written
    /// time: every offered length either holds every recording to its end
    /// (no clip overlaps another or a bell, the timeline keeps its
    /// promises), or is refused naming a cue whose recording runs over.
    #[test]
    fn every_offered_length_holds_all_clips_or_names_the_cue_that_does_not_fit(
        pick in any::<prop::sample::Index>(),
        stretch in prop::collection::vec(0.3f64..3.0, 64),
        lang in prop::sample::select(vec![Lang::Da, Lang::En]),
    ) {
        let voiced: Vec<&Practice> = catalog().practices.iter().filter(|p| !cues_of(p).is_empty() && compile(p, &Options::defaults(p, lang)).is_ok()).collect();
        let p = voiced[pick.index(voiced.len())];
        let clips: ClipLengths = cues_of(p)
            .into_iter()
            .zip(stretch.iter().cycle())
            .map(|((i, ms), k)| (i, ((f64::from(ms) * k) as u32).max(200)))
            .collect();
        for minutes in p.minutes.iter().copied() {
            let options = Options { minutes, ..Options::defaults(p, lang) };
            let Ok(written) = compile(p, &options) else { continue };
            match compile_with_clips(p, &options, &clips) {
                Ok(timeline) => {
                    prop_assert_eq!(timeline.length_ms, written.length_ms);
                    prop_assert_eq!(timeline.check(), Ok(()));
                    prop_assert_eq!(timeline.check_clips(&clips), Ok(()), "{} at {} min", p.id, minutes);
                }
                Err(CompileError::VoiceTooLong { cue, cue_over_ms, .. }) => {
                    prop_assert!(cue_over_ms > 0);
                    let written_ms = cues_of(p).into_iter().find(|(i, _)| *i == cue).map(|(_, ms)| ms);
                    prop_assert!(clips[&cue] > written_ms.unwrap_or(u32::MAX), "{} names cue {} that does not run over", p.id, cue);
                }
                Err(other) => prop_assert!(false, "{} at {} min: {}", p.id, minutes, other),
            }
        }
    }
}

#[test]
fn a_take_plays_between_its_bells() {
    let id = PracticeId::of_recording("0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b").expect("a UUID");
    let take_ms = 45 * 60_000 + 123;
    let t = stille_practice::take_with_bells(id.clone(), take_ms);
    assert_eq!(t.check(), Ok(()));
    let bells: Vec<(u32, BellRole)> = t
        .cues
        .iter()
        .filter_map(|c| match c.kind {
            CueKind::Bell { role, .. } => Some((c.at_ms, role)),
            _ => None,
        })
        .collect();
    let closing = take_ms;
    assert_eq!(bells, vec![(0, BellRole::Opening), (closing, BellRole::Closing)]);
    assert_eq!(t.length_ms, closing + BellSound::Bowl.ring_out_ms(), "ends once the bell has rung out");
    // A take shorter than a bell's ring: the bells still do not ring into each other.
    let short = stille_practice::take_with_bells(id, 1_500);
    assert_eq!(short.check(), Ok(()));
}

use stille_practice::log::{Ending, Entry};
use stille_practice::{BreathPhase, Lang, Options, PracticeId, catalog, compile};

use super::*;

fn box_breathing() -> Timeline {
    let practice = catalog().get("breathing-box").expect("in the catalog");
    compile(practice, &Options { minutes: 3, ..Options::defaults(practice, Lang::En) }).expect("compiles")
}

#[test]
fn a_tick_shows_the_phase_and_buzzes_once_when_it_begins() {
    let timeline = box_breathing();
    let mut follow = Follow::new(&timeline);
    let first_breath = timeline
        .cues
        .iter()
        .find_map(|c| matches!(c.kind, stille_practice::CueKind::Breath { .. }).then_some(c.at_ms))
        .expect("a breath cue");
    let at = f64::from(first_breath) + 10.0;
    let tick = follow.tick(&timeline, at, true, 0.0);
    assert_eq!(tick.breath.map(|(p, _)| p), Some(BreathPhase::Inhale));
    assert!(!tick.buzz.is_empty(), "a phase that begins buzzes");
    assert!(tick.save, "the first reading while sounding saves");
    let again = follow.tick(&timeline, at + 100.0, true, 500.0);
    assert!(again.buzz.is_empty(), "once per phase");
    assert!(!again.save, "saved at most once a second");
    assert!(follow.tick(&timeline, at + 200.0, true, 1_000.0).save);
}

#[test]
fn nothing_is_said_or_buzzed_while_paused_and_the_end_is_reported_once() {
    let timeline = box_breathing();
    let mut follow = Follow::new(&timeline);
    let paused = follow.tick(&timeline, 20_000.0, false, 0.0);
    assert!(paused.speak.is_none() && paused.buzz.is_empty() && !paused.save);
    let end = f64::from(timeline.length_ms);
    assert!(follow.tick(&timeline, end, true, 1.0).ended);
    let after = follow.tick(&timeline, end + 100.0, true, 2_000.0);
    assert!(!after.ended && !after.save, "ended once; nothing to save after the end");
}

#[test]
fn the_pacer_grows_on_the_in_breath_and_shrinks_on_the_out_breath() {
    assert_eq!(pacer_scale(BreathPhase::Inhale, 0.0), 0.55);
    assert!((pacer_scale(BreathPhase::Inhale, 1.0) - 0.95).abs() < 1e-9);
    assert!((pacer_scale(BreathPhase::Exhale, 1.0) - 0.55).abs() < 1e-9);
    assert_eq!(pacer_scale(BreathPhase::HoldIn, 0.3), 1.0);
    assert!(pacer_scale(BreathPhase::Inhale, 0.25) < pacer_scale(BreathPhase::Inhale, 0.75));
    assert_eq!(pacer_scale(BreathPhase::Inhale, 7.0), pacer_scale(BreathPhase::Inhale, 1.0), "clamped");
    assert_eq!(phase_key(BreathPhase::Exhale), Key::BreathOut);
}

#[test]
fn a_saved_position_resumes_only_the_same_playing_while_fresh() {
    let practice = PracticeId::parse("breathing-box").expect("id");
    let open = Entry::start(
        stille_practice::log::uuid_v7(1, [1; 10]),
        practice,
        1_795_400_000_000,
        60,
        180_000,
        Lang::Da,
    );
    let resume = |at: &str, position_ms: f64, saved_at_ms: f64, entry: Option<Entry>| Resume {
        at: at.into(),
        position_ms,
        entry,
        saved_at_ms,
    };
    let now = 1_795_400_100_000.0;
    let here = "/play/breathing-box?m=3";
    assert_eq!(
        resume(here, 42_000.0, now - 5_000.0, Some(open.clone())).usable(here, 180_000, now),
        Some((42_000.0, Some(open.clone())))
    );
    assert_eq!(resume("/play/other", 42_000.0, now, None).usable(here, 180_000, now), None);
    assert_eq!(resume(here, 42_000.0, now - STALE_MS - 1.0, None).usable(here, 180_000, now), None, "stale");
    assert_eq!(resume(here, 190_000.0, now, None).usable(here, 180_000, now), None, "past the end");
    assert_eq!(resume(here, f64::NAN, now, None).usable(here, 180_000, now), None);
    let closed = Entry { ending: Some(Ending::Stopped), ..open };
    assert_eq!(
        resume(here, 1.0, now, Some(closed)).usable(here, 180_000, now),
        Some((1.0, None)),
        "a closed entry is not reopened"
    );
}

#[test]
fn the_entry_follows_the_clock_and_closes_once() {
    let practice = PracticeId::parse("breathing-box").expect("id");
    let start = 1_795_400_000_000;
    let open =
        Entry::start(stille_practice::log::uuid_v7(1, [1; 10]), practice, start, 60, 180_000, Lang::Da);
    let playing = progressed(&open, 61_500.0, 180_000, None, start + 62_000).expect("open");
    assert_eq!((playing.practised_ms, playing.ending, playing.updated_at_ms), (61_500, None, start + 62_000));
    let back = progressed(&playing, 10_000.0, 180_000, None, start + 63_000).expect("open");
    assert_eq!(back.practised_ms, 61_500, "a seek back never takes practice away");
    let stopped =
        progressed(&playing, 90_000.0, 180_000, Some(Ending::Stopped), start + 91_000).expect("open");
    assert_eq!((stopped.practised_ms, stopped.ending), (90_000, Some(Ending::Stopped)));
    assert!(progressed(&stopped, 100_000.0, 180_000, None, start + 100_000).is_none(), "closed once");
    let done = progressed(&playing, 179_990.0, 180_000, Some(Ending::Completed), start).expect("open");
    assert_eq!(done.practised_ms, 180_000, "completed counts the whole length");
    assert_eq!(done.updated_at_ms, start, "never before it started");
}

//! The shipped catalog: complete, valid, in both languages, and every practice
//! plays at every length it offers.

use stille_practice::{Kind, Lang, Program, SessionKind, Structure, catalog};

#[test]
fn the_catalog_is_valid() {
    if let Err(errors) = catalog().validate() {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("the catalog has problems:\n{}", list.join("\n"));
    }
}

#[test]
fn there_are_enough_practices_and_templates() {
    assert!(catalog().practices.len() >= 30, "{} practices", catalog().practices.len());
    assert!(catalog().courses.len() >= 5, "{} course templates", catalog().courses.len());
}

#[test]
fn the_practices_the_courses_rely_on_are_there() {
    let required = [
        "msc-affectionate-breathing",
        "msc-loving-kindness-loved-one",
        "msc-compassion-with-equanimity",
        "msc-self-appreciation",
        "msc-compassionate-friend",
        "informal-compassionate-letter",
        "informal-core-values",
        "informal-compassionate-listening",
        "mbsr-body-scan",
        "mbsr-sitting",
        "mbsr-sitting-breath",
        "mbsr-sitting-breath-body",
        "mbsr-sitting-sounds-thoughts",
        "mbsr-mindful-movement",
        "mbsr-mindful-movement-lying",
        "mbsr-walking",
        "mbct-breathing-space",
        "mbct-coping-breathing-space",
        "breathing-resonance",
        "breathing-cyclic-sighing",
        "breathing-box",
        "breathing-extended-exhale",
        "breathing-4-7-8",
        "breathing-custom",
        "regulation-grounding-54321",
        "regulation-orienting",
        "regulation-butterfly-hug",
        "regulation-voo",
        "regulation-self-holding",
        "regulation-state-check-in",
        "timer-silent",
        "informal-pleasant-events",
        "informal-unpleasant-events",
    ];
    for id in required {
        assert!(catalog().get(id).is_some(), "{id} is missing");
    }
    let msc = catalog().practices.iter().filter(|p| p.program == Program::Msc).count();
    assert!(msc >= 14, "{msc} MSC practices");
}

#[test]
fn the_body_scan_comes_in_three_lengths() {
    let scan = catalog().get("mbsr-body-scan").expect("body scan");
    for minutes in [20, 30, 45] {
        assert!(scan.allows_minutes(minutes), "{minutes}");
    }
}

#[test]
fn resonance_breathing_pace_is_adjustable_from_4_5_to_7() {
    let resonance = catalog().get("breathing-resonance").expect("resonance");
    let pattern = resonance.breath.as_ref().expect("a breathing pattern");
    assert_eq!(pattern.bpm_range, Some([4.5, 7.0]));
}

#[test]
fn four_seven_eight_says_it_has_no_trial_evidence() {
    let p = catalog().get("breathing-4-7-8").expect("4-7-8");
    assert!(p.evidence_note.is_some(), "4-7-8 must carry its evidence note");
}

#[test]
fn informal_practices_are_logged_with_prompts() {
    let informal: Vec<_> = catalog().practices.iter().filter(|p| p.kind == Kind::Informal).collect();
    assert!(informal.len() >= 3);
    assert!(informal.iter().all(|p| p.script.is_empty() && !p.prompts.is_empty()));
}

#[test]
fn every_practice_speaks_both_languages() {
    for p in &catalog().practices {
        for lang in Lang::ALL {
            assert!(!p.title.get(lang).trim().is_empty(), "{} title {lang:?}", p.id);
            assert!(!p.summary.get(lang).trim().is_empty(), "{} summary {lang:?}", p.id);
        }
        assert_ne!(p.title.da, p.title.en.to_uppercase(), "{}", p.id);
    }
}

#[test]
fn course_templates_follow_their_programmes() {
    let sessions = |id: &str, kind: SessionKind| {
        catalog().course(id).map_or(0, |c| c.sessions.iter().filter(|s| s.kind == kind).count())
    };
    assert_eq!(sessions("msc", SessionKind::Session), 8);
    assert_eq!(sessions("msc", SessionKind::Retreat), 1);
    assert_eq!(sessions("mbsr", SessionKind::Session), 8);
    assert_eq!(sessions("mbsr", SessionKind::Retreat), 1);
    assert_eq!(sessions("mbct", SessionKind::Session), 8);
    assert_eq!(sessions("mentaliseringsprogrammet", SessionKind::Module), 8);
    // The meetings a calendar and a course's end count: the retreat is not
    // one, and a programme of modules has none of its own.
    let meetings = |id: &str| catalog().course(id).map(|c| c.session_count());
    assert_eq!(meetings("msc"), Some(8));
    assert_eq!(meetings("mbsr"), Some(8));
    assert_eq!(meetings("mentaliseringsprogrammet"), Some(0));
    let modules = catalog().course("mentaliseringsprogrammet").expect("mentalization template");
    assert_eq!(modules.structure, Structure::Collection);
    assert!(modules.sessions.iter().all(|s| s.knowledge.is_some() && !s.practices.is_empty()));
    assert!(catalog().course("wellbeing-group").is_some());
    for course in &catalog().courses {
        assert!(!course.version.is_empty(), "{}", course.id);
    }
}

#[test]
fn every_practice_that_holds_the_breath_carries_a_caution_in_both_languages() {
    use stille_practice::BreathPhase;
    let holding: Vec<_> = catalog()
        .practices
        .iter()
        .filter(|p| {
            p.breath.as_ref().is_some_and(|b| {
                b.phases.iter().any(|ph| matches!(ph.phase, BreathPhase::HoldIn | BreathPhase::HoldOut))
            })
        })
        .collect();
    assert!(holding.len() >= 2, "box and 4-7-8 hold the breath");
    for p in holding {
        let caution = p.caution.as_ref().unwrap_or_else(|| panic!("{} has no caution", p.id));
        assert!(caution.da.contains("gravid") && caution.da.contains("svimmel"), "{}: {}", p.id, caution.da);
        assert!(caution.en.contains("pregnant") && caution.en.contains("dizzy"), "{}: {}", p.id, caution.en);
    }
}

#[test]
fn four_seven_eight_gives_four_breaths_at_every_length_bell_and_pace() {
    use stille_practice::{BellSound, BreathOptions, BreathPhase, CueKind, Options, compile};
    let p = catalog().get("breathing-4-7-8").expect("4-7-8");
    for &minutes in &p.minutes {
        for bell in BellSound::ALL {
            for phases in [None, Some(vec![3.0, 5.0, 6.0]), Some(vec![4.0, 7.0, 8.0])] {
                let options = Options {
                    minutes,
                    bell,
                    breath: BreathOptions { bpm: None, phase_seconds: phases.clone() },
                    ..Options::defaults(p, Lang::Da)
                };
                let timeline = compile(p, &options).expect("compiles");
                let breaths = timeline
                    .cues
                    .iter()
                    .filter(|c| matches!(c.kind, CueKind::Breath { phase: BreathPhase::Inhale, .. }))
                    .count();
                assert_eq!(breaths, 4, "{minutes} min, {bell:?}, {phases:?}");
            }
        }
    }
}

#[test]
fn danish_says_mbkt_where_english_says_mbct() {
    use stille_practice::Program;
    assert_eq!(Program::Mbct.name(Lang::Da), "MBKT");
    assert_eq!(Program::Mbct.name(Lang::En), "MBCT");
    let mut danish: Vec<String> = Vec::new();
    for p in &catalog().practices {
        danish.extend([p.title.da.clone(), p.summary.da.clone()]);
        danish.extend(p.evidence_note.iter().chain(&p.caution).map(|t| t.da.clone()));
        danish.extend(p.script.iter().filter_map(|s| match s {
            stille_practice::Segment::Cue { text, .. } => Some(text.da.clone()),
            _ => None,
        }));
    }
    for c in &catalog().courses {
        danish.extend([c.title.da.clone(), c.summary.da.clone()]);
        for s in &c.sessions {
            danish.push(s.title.da.clone());
            danish.extend(s.knowledge.iter().map(|k| k.da.clone()));
        }
    }
    let calqued: Vec<&String> = danish.iter().filter(|t| t.contains("MBCT")).collect();
    assert!(calqued.is_empty(), "Danish text says MBCT, not MBKT: {calqued:?}");
}

/// The MSC template teaches the programme's meditations in their sessions
/// (Germer & Neff 2019): Loving-Kindness for a Loved One in the third,
/// Compassion with Equanimity, for those who care for others, in the
/// seventh, Self-Appreciation in the eighth.
#[test]
fn msc_teaches_each_meditation_in_its_session() {
    let msc = catalog().course("msc").expect("the MSC template");
    let weeks: Vec<Vec<&str>> = msc
        .sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Session)
        .map(|s| s.practices.iter().map(|p| p.id.as_str()).collect())
        .collect();
    assert!(weeks[2].contains(&"msc-loving-kindness-loved-one"), "session 3: {:?}", weeks[2]);
    assert!(weeks[3].contains(&"msc-loving-kindness-ourselves"), "session 4: {:?}", weeks[3]);
    assert!(weeks[3].contains(&"informal-compassionate-letter"), "session 4: {:?}", weeks[3]);
    assert!(weeks[4].contains(&"informal-core-values"), "session 5: {:?}", weeks[4]);
    assert!(weeks[4].contains(&"informal-compassionate-listening"), "session 5: {:?}", weeks[4]);
    assert!(weeks[6].contains(&"msc-compassion-with-equanimity"), "session 7: {:?}", weeks[6]);
    assert!(weeks[7].contains(&"msc-self-appreciation"), "session 8: {:?}", weeks[7]);
}

/// MBSR's sitting meditation grows with the course: the breath in week 2,
/// the body beside it in week 3, sounds and thoughts in week 4, and the
/// whole sitting with choiceless awareness from week 5. Each stage adds to
/// the one before and says nothing of the stages to come (each stage is
/// known by words only it guides with: the whole body, sounds near and
/// far, naming a thought such as 'planning', open awareness).
#[test]
fn mbsr_sitting_and_movement_grow_week_by_week() {
    let mbsr = catalog().course("mbsr").expect("the MBSR template");
    let sitting_of = |week: usize| -> Vec<&str> {
        mbsr.week(week)
            .expect("the week")
            .practices
            .iter()
            .map(|p| p.id.as_str())
            .filter(|id| id.starts_with("mbsr-sitting"))
            .collect()
    };
    assert_eq!(sitting_of(1), Vec::<&str>::new());
    assert_eq!(sitting_of(2), ["mbsr-sitting-breath"]);
    assert_eq!(sitting_of(3), ["mbsr-sitting-breath-body"]);
    assert_eq!(sitting_of(4), ["mbsr-sitting-sounds-thoughts"]);
    assert_eq!(sitting_of(5), ["mbsr-sitting"]);
    // Movement is taught lying down first (session 3), standing after.
    let movement_of = |week: usize| -> Vec<&str> {
        let practices = &mbsr.week(week).expect("the week").practices;
        practices.iter().map(|p| p.id.as_str()).filter(|id| id.starts_with("mbsr-mindful-movement")).collect()
    };
    assert_eq!(movement_of(3), ["mbsr-mindful-movement-lying"]);
    assert_eq!(movement_of(4), ["mbsr-mindful-movement"]);
    let words = |id: &str| -> String {
        let practice = catalog().get(id).expect("in the catalog");
        practice
            .script
            .iter()
            .filter_map(|segment| match segment {
                stille_practice::Segment::Cue { text, .. } => Some(text.get(Lang::En).to_lowercase()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let stages = [
        (
            "mbsr-sitting-breath",
            ["breath"].as_slice(),
            ["whole body", "sounds near", "'planning'", "open awareness"].as_slice(),
        ),
        (
            "mbsr-sitting-breath-body",
            &["breath", "whole body"],
            &["sounds near", "'planning'", "open awareness"],
        ),
        (
            "mbsr-sitting-sounds-thoughts",
            &["breath", "whole body", "sounds near", "'planning'"],
            &["open awareness"],
        ),
        ("mbsr-sitting", &["breath", "whole body", "sounds near", "'planning'", "open awareness"], &[]),
    ];
    for (id, has, lacks) in stages {
        let said = words(id);
        for word in has {
            assert!(said.contains(word), "{id} guides to {word:?}");
        }
        for word in lacks {
            assert!(!said.contains(word), "{id} is not yet about {word:?}");
        }
    }
}

/// Guidance that asks for something gets at least three calm breaths of
/// quiet before the next words, at every length a practice is offered at,
/// with every bell (the validator checks the shortest; this checks them all).
#[test]
fn no_practice_is_rushed_at_any_length() {
    use stille_practice::timeline::SectionKind;
    use stille_practice::{BellSound, MIN_QUIET_MS, Options, compile};
    let mut checked = 0;
    for practice in &catalog().practices {
        if practice.kind == Kind::Informal {
            continue;
        }
        let lengths: Vec<u16> =
            match (practice.custom_length, practice.minutes.first(), practice.minutes.last()) {
                (true, Some(low), Some(high)) => (*low..=*high).collect(),
                _ => practice.minutes.clone(),
            };
        for minutes in lengths {
            for bell in BellSound::ALL {
                let options = Options { minutes, bell, ..Options::defaults(practice, Lang::Da) };
                let timeline = compile(practice, &options).expect("compiles");
                let sections = &timeline.sections;
                for (i, section) in sections.iter().enumerate().filter(|(_, s)| s.kind == SectionKind::Cue) {
                    let quiet: Vec<_> = sections[i + 1..]
                        .iter()
                        .take_while(|s| matches!(s.kind, SectionKind::Silence | SectionKind::Breath))
                        .collect();
                    if !quiet.iter().any(|s| s.flexible) {
                        continue;
                    }
                    let quiet_ms: u32 = quiet.iter().map(|s| s.end_ms - s.start_ms).sum();
                    assert!(
                        quiet_ms >= MIN_QUIET_MS,
                        "{} at {minutes} min ({bell:?}): {quiet_ms} ms after segment {}",
                        practice.id,
                        section.segment
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} invitations checked");
}

/// Every Danish text of the catalog keeps to the glossary
/// (`stille_practice::glossary`, docs/CONTENT.md "Danish words").
#[test]
fn danish_texts_keep_to_the_glossary() {
    use stille_practice::{Segment, glossary};
    let mut texts: Vec<(String, &str)> = Vec::new();
    for p in &catalog().practices {
        let id = p.id.to_string();
        texts.push((format!("{id} title"), p.title.get(Lang::Da)));
        texts.push((format!("{id} summary"), p.summary.get(Lang::Da)));
        texts.extend(p.evidence_note.iter().map(|t| (format!("{id} evidence_note"), t.get(Lang::Da))));
        texts.extend(p.caution.iter().map(|t| (format!("{id} caution"), t.get(Lang::Da))));
        texts.extend(p.prompts.iter().map(|t| (format!("{id} prompt"), t.get(Lang::Da))));
        for (i, segment) in p.script.iter().enumerate() {
            if let Segment::Cue { text, .. } = segment {
                texts.push((format!("{id} segment {i}"), text.get(Lang::Da)));
            }
        }
    }
    for c in &catalog().courses {
        texts.push((format!("course {} title", c.id), c.title.get(Lang::Da)));
        for (i, s) in c.sessions.iter().enumerate() {
            texts.push((format!("course {} session {}", c.id, i + 1), s.title.get(Lang::Da)));
            texts.extend(
                s.knowledge
                    .iter()
                    .map(|t| (format!("course {} session {} knowledge", c.id, i + 1), t.get(Lang::Da))),
            );
        }
    }
    assert!(texts.len() > 500, "{} texts", texts.len());
    let strays: Vec<String> = texts
        .iter()
        .flat_map(|(place, text)| glossary::problems(text).into_iter().map(move |p| format!("{place}: {p}")))
        .collect();
    assert!(strays.is_empty(), "Danish that strays from the glossary:\n{}", strays.join("\n"));
}

/// Each of MentaliseringsProgrammet's modules has a knowledge part to read
/// with its exercise, and the exercise leads back to it.
#[test]
fn every_mentalization_exercise_leads_to_its_module_knowledge() {
    let programme = catalog().course("mentaliseringsprogrammet").expect("the programme");
    let modules: Vec<_> = programme.sessions.iter().filter(|s| s.kind == SessionKind::Module).collect();
    assert_eq!(modules.len(), 8, "eight modules");
    for module in modules {
        let knowledge = module.knowledge.as_ref().expect("a knowledge part");
        assert!(knowledge.get(Lang::Da).split_whitespace().count() >= 40, "{:?}", module.title);
        let exercise = &module.practices.first().expect("an exercise").id;
        let found = catalog().modules_of(exercise.as_str());
        assert!(
            found.iter().any(|(c, s)| c.id == programme.id && s.title == module.title),
            "{exercise} leads to {:?}",
            module.title
        );
    }
    assert!(catalog().modules_of("msc-affectionate-breathing").is_empty(), "weekly sessions are not modules");
}

/// "This week" reads the week's theme in a weekly programme, and the
/// knowledge part of each module assigned in a programme of modules.
#[test]
fn the_knowledge_read_each_week_follows_the_programme() {
    let msc = catalog().course("msc").expect("MSC");
    let week3 = msc.knowledge_for(3, &["msc-loving-kindness-loved-one"]);
    assert_eq!(week3.len(), 1);
    assert!(week3[0].0.is_none(), "the week's theme has no title of its own");
    assert_eq!(Some(week3[0].1), msc.week(3).and_then(|s| s.knowledge.as_ref()));
    assert!(msc.knowledge_for(30, &[]).is_empty(), "past the last week");

    let mp = catalog().course("mentaliseringsprogrammet").expect("the programme");
    let cards = mp.knowledge_for(1, &["mentalization-robusthed", "breathing-box", "mentalization-robusthed"]);
    assert_eq!(cards.len(), 1, "the module once, and nothing for a practice outside it");
    assert_eq!(cards[0].0.map(|t| t.get(Lang::Da)), Some("Robusthed"));
    assert!(mp.knowledge_for(1, &[]).is_empty(), "no module assigned, nothing to read");
}

#[test]
fn every_wellbeing_meeting_has_an_outline_for_its_leader() {
    use stille_practice::Part;
    let group = catalog().course("wellbeing-group").expect("the wellbeing template");
    for week in 1..=8 {
        let parts = group.outline_for(week, None);
        let names: Vec<Part> = parts.iter().map(|(part, _, _)| *part).collect();
        assert_eq!(names, Part::ALL, "week {week}");
        assert_eq!(parts.iter().map(|(_, minutes, _)| minutes).sum::<u16>(), 120, "week {week}");
    }
    // The first meeting opens with the frame and the group's agreements; the
    // others with the programme's arrival round. The process is each week's own.
    let text = |week: usize, at: usize| group.outline_for(week, None)[at].2.get(Lang::Da).to_owned();
    assert!(text(1, 0).contains("aftaler"), "{}", text(1, 0));
    assert!(text(2, 0).starts_with("Ankomstrunde"), "{}", text(2, 0));
    assert_eq!(text(3, 0), text(7, 0));
    assert_ne!(text(3, 1), text(4, 1));
    assert!(text(8, 2).starts_with("Afskedsrunde"), "{}", text(8, 2));
    // A shorter meeting shortens each part, to five minutes.
    let short: Vec<u16> = group.outline_for(2, Some(90)).iter().map(|(_, minutes, _)| *minutes).collect();
    assert_eq!(short, [15, 55, 20]);
    assert!(group.outline_for(9, None).is_empty(), "no ninth meeting in the programme");
    // Programmes without an outline have none.
    assert!(catalog().course("mbsr").expect("MBSR").outline_for(1, None).is_empty());
}

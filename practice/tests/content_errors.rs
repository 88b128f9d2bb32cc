//! Bad content files are refused with a message that says what is wrong.

use stille_practice::{Catalog, CourseTemplate, Practice, catalog};

const GOOD: &str = r#"
id = "timer-test"
program = "timer"
kind = "silent-timer"
default_minutes = 10
minutes = [5, 10]
source = "test"
title = { da = "Prøve", en = "Test" }
summary = { da = "Prøve", en = "Test" }

[[script]]
type = "bell"
role = "opening"

[[script]]
type = "silence"
weight = 1

[[script]]
type = "bell"
role = "closing"
"#;

fn parse(toml_text: &str) -> Result<Practice, String> {
    toml::from_str::<Practice>(toml_text).map_err(|e| e.to_string())
}

fn problems(practice: Practice) -> Vec<String> {
    let catalog = Catalog { practices: vec![practice], courses: vec![], instruments: vec![] };
    catalog.validate().err().unwrap_or_default().iter().map(ToString::to_string).collect()
}

#[test]
fn the_good_example_is_good() {
    let practice = parse(GOOD).expect("parses");
    assert_eq!(problems(practice), Vec::<String>::new());
}

#[test]
fn a_missing_translation_is_named() {
    let error =
        parse(&GOOD.replace(r#"title = { da = "Prøve", en = "Test" }"#, r#"title = { da = "Prøve" }"#))
            .expect_err("en is missing");
    assert!(error.contains("missing field `en`"), "{error}");

    let blank = parse(
        &GOOD.replace(r#"summary = { da = "Prøve", en = "Test" }"#, r#"summary = { da = "", en = "Test" }"#),
    )
    .expect("parses");
    assert_eq!(problems(blank), vec!["timer-test: summary has no Da text"]);
}

#[test]
fn negative_and_impossible_durations_are_refused() {
    let negative = GOOD.replace("weight = 1", "seconds = -5");
    let error = parse(&negative).expect_err("negative");
    assert!(error.contains("seconds = -5 must be at least 0.001"), "{error}");
    let tiny = GOOD.replace("weight = 1", "seconds = 0.0004");
    assert!(parse(&tiny).expect_err("rounds to 0 ms").contains("at least 0.001"));
    let both = GOOD.replace("weight = 1", "weight = 1\nseconds = 3");
    assert!(parse(&both).expect_err("both").contains("either `seconds` (fixed) or `weight` (flexible)"));
    let unknown = GOOD.replace(r#"type = "silence""#, r#"type = "music""#);
    assert!(parse(&unknown).expect_err("unknown type").contains("unknown segment type \"music\""));
}

#[test]
fn fixed_parts_that_do_not_fit_the_shortest_length_are_refused() {
    let crowded = GOOD.replace("weight = 1", "weight = 1\n\n[[script]]\ntype = \"silence\"\nseconds = 400");
    let found = problems(parse(&crowded).expect("parses"));
    assert!(
        found.iter().any(|p| p.contains("fixed parts take 417 s, more than the shortest length (5 min)")),
        "{found:?}"
    );
}

#[test]
fn a_cue_too_short_to_be_said_is_refused() {
    let hurried = GOOD.replace(
        "weight = 1",
        "weight = 1\n\n[[script]]\ntype = \"cue\"\nseconds = 2\ntext = { da = \"en to tre fire fem seks syv otte ni ti\", en = \"one two three four five six seven eight nine ten\" }",
    );
    let found = problems(parse(&hurried).expect("parses"));
    assert!(found.iter().any(|p| p.contains("needs at least 4 s to be said (10 words)")), "{found:?}");
}

#[test]
fn unknown_placeholders_and_anchors_without_a_list_are_refused() {
    let with_cue = |da: &str, en: &str| {
        GOOD.replace(
            "weight = 1",
            &format!("weight = 1\n\n[[script]]\ntype = \"cue\"\nseconds = 10\ntext = {{ da = \"{da}\", en = \"{en}\" }}"),
        )
    };
    let found = problems(parse(&with_cue("Hvil ved {anker}.", "Rest on {anker}.")).expect("parses"));
    assert!(found.iter().any(|p| p.contains("unknown placeholder {anker}")), "{found:?}");
    let found = problems(parse(&with_cue("Hvil ved {anchor}.", "Rest on {anchor}.")).expect("parses"));
    assert!(found.iter().any(|p| p.contains("lists no `anchors`")), "{found:?}");
    let found = problems(parse(&with_cue("Hvil. {eyes}", "Rest.")).expect("parses"));
    assert!(found.iter().any(|p| p.contains("placeholders differ")), "{found:?}");
}

#[test]
fn scripts_open_and_close_with_their_bells() {
    let no_opening = GOOD.replacen("role = \"opening\"", "role = \"interval\"", 1);
    let found = problems(parse(&no_opening).expect("parses"));
    assert!(found.iter().any(|p| p.contains("must start with the opening bell")), "{found:?}");
}

#[test]
fn a_template_naming_an_unknown_practice_or_length_is_refused() {
    let course: CourseTemplate = toml::from_str(
        r#"
id = "test-course"
program = "mbsr"
version = "1"
structure = "weekly"
title = { da = "Kursus", en = "Course" }
summary = { da = "Kursus", en = "Course" }

[[session]]
kind = "session"
title = { da = "Uge 1", en = "Week 1" }

[[session.practice]]
id = "mbsr-body-scann"
minutes = 45
days = 6

[[session.practice]]
id = "mbsr-body-scan"
minutes = 40
days = 8
"#,
    )
    .expect("parses");
    let catalog =
        Catalog { practices: catalog().practices.clone(), courses: vec![course], instruments: vec![] };
    let found: Vec<String> =
        catalog.validate().err().unwrap_or_default().iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        vec![
            "course test-course, session 1: unknown practice id \"mbsr-body-scann\"",
            "course test-course, session 1: mbsr-body-scan is not offered at 40 min (allowed: [20, 30, 45])",
            "course test-course, session 1: mbsr-body-scan: days = 8 must be 1 to 7",
        ]
    );
}

#[test]
fn a_pattern_that_holds_the_breath_needs_a_caution() {
    let held = GOOD
        .replace(r#"kind = "silent-timer""#, r#"kind = "breathing-pattern""#)
        .replace(r#"program = "timer""#, r#"program = "breathing""#)
        .replace("[[script]]\ntype = \"silence\"\nweight = 1", "[[script]]\ntype = \"breath\"\nweight = 1")
        + "\n[breath]\nphases = [{ phase = \"inhale\", seconds = 4.0 }, { phase = \"hold-in\", seconds = 4.0 }, \
           { phase = \"exhale\", seconds = 4.0 }]\n";
    let found = problems(parse(&held).expect("parses"));
    assert!(found.iter().any(|p| p.contains("it holds the breath, so it needs a `caution`")), "{found:?}");

    let cautioned =
        held.replacen("[[script]]", "caution = { da = \"Pas på.\", en = \"Take care.\" }\n\n[[script]]", 1);
    assert_eq!(problems(parse(&cautioned).expect("parses")), Vec::<String>::new());
    let blank = held.replacen("[[script]]", "caution = { da = \" \", en = \"Take care.\" }\n\n[[script]]", 1);
    let found = problems(parse(&blank).expect("parses"));
    assert!(found.iter().any(|p| p.contains("caution has no Da text")), "{found:?}");
}

/// Guidance that asks for something, with `first` (weight) of quiet after it,
/// then a pause of fixed seconds after a closing word, offered at `minutes`.
fn explore(minutes: &str, first: &str) -> String {
    format!(
        r#"
id = "explore-test"
program = "regulation"
kind = "guided"
default_minutes = {minutes}
minutes = [{minutes}]
source = "test"
title = {{ da = "Prøve", en = "Test" }}
summary = {{ da = "Prøve", en = "Test" }}

[[script]]
type = "bell"
role = "opening"

[[script]]
type = "cue"
seconds = 5
text = {{ da = "Find fem ting, du kan se.", en = "Find five things you can see." }}

[[script]]
type = "silence"
weight = {first}

[[script]]
type = "cue"
seconds = 5
text = {{ da = "Mærk, hvordan du har det.", en = "Notice how you feel." }}

[[script]]
type = "silence"
weight = 9

[[script]]
type = "cue"
seconds = 5
text = {{ da = "Åbn øjnene, når du er klar.", en = "Open your eyes when you are ready." }}

[[script]]
type = "silence"
seconds = 3

[[script]]
type = "bell"
role = "closing"
"#
    )
}

#[test]
fn guidance_without_time_to_do_what_it_asks_is_refused() {
    // At 2 min, a tenth of the quiet is a few seconds: rushed.
    let found = problems(parse(&explore("2", "1")).expect("parses"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("explore-test at 2 min: segment 1 asks for something and leaves only")
            && found[0].contains("at least 15000 ms (three calm breaths)"),
        "{found:?}"
    );
    // More weight, or a longer shortest length, gives it room; the fixed
    // three-second pause after "open your eyes" is the author's, not checked.
    assert_eq!(problems(parse(&explore("2", "9")).expect("parses")), Vec::<String>::new());
    assert_eq!(problems(parse(&explore("4", "1")).expect("parses")), Vec::<String>::new());
}

#[test]
fn a_meeting_outline_must_have_its_three_parts_and_fit_the_meeting() {
    let course = |week_two: &str| -> Vec<String> {
        let text = format!(
            r#"
id = "test-group"
program = "regulation"
version = "1"
structure = "weekly"
title = {{ da = "Gruppe", en = "Group" }}
summary = {{ da = "Gruppe", en = "Group" }}

[[session]]
kind = "session"
minutes = 90
title = {{ da = "Uge 1", en = "Week 1" }}

[[session]]
kind = "session"
minutes = 90
title = {{ da = "Uge 2", en = "Week 2" }}
{week_two}

[outline.opening]
minutes = 15
text = {{ da = "Runde", en = "Round" }}

[outline.process]
minutes = 60
text = {{ da = "Tema", en = "Theme" }}

[outline.closing]
minutes = 15
text = {{ da = "Runde", en = "Round" }}
"#
        );
        let course: CourseTemplate = toml::from_str(&text).expect("parses");
        let catalog = Catalog { practices: vec![], courses: vec![course], instruments: vec![] };
        catalog.validate().err().unwrap_or_default().iter().map(ToString::to_string).collect()
    };
    assert_eq!(course(""), Vec::<String>::new());
    // A session's own part takes the programme's place, and must still fit.
    assert_eq!(
        course("[session.outline.process]\nminutes = 70\ntext = { da = \"Andet\", en = \"Other\" }"),
        ["course test-group, session 2: the outline's parts take 100 min, the meeting 90 min"]
    );
    assert_eq!(
        course("[session.outline.closing]\nminutes = 0\ntext = { da = \"\", en = \"End\" }"),
        [
            "test-group: session 2 outline closing has no Da text",
            "course test-group, session 2: outline closing: minutes = 0; say about how long it takes",
            "course test-group, session 2: the outline's parts take 75 min, the meeting 90 min",
        ]
    );
}

#[test]
fn only_an_informal_practice_with_at_most_ten_questions_is_a_calendar() {
    let played =
        parse(&GOOD.replace("source = \"test\"", "source = \"test\"\ncalendar = true")).expect("parses");
    let said = problems(played);
    assert!(said.iter().any(|p| p.contains("only an informal practice can be a calendar")), "{said:?}");
    let questions: String = (1..=11)
        .map(|n| format!("[[prompts]]\nda = \"Spørgsmål {n}?\"\nen = \"Question {n}?\"\n\n"))
        .collect();
    let informal = format!(
        "id = \"informal-test\"\nprogram = \"informal\"\nkind = \"informal\"\ndefault_minutes = 5\nminutes = [5]\n\
         source = \"test\"\ncalendar = true\ntitle = {{ da = \"Prøve\", en = \"Test\" }}\n\
         summary = {{ da = \"Prøve\", en = \"Test\" }}\n\n{questions}"
    );
    let said = problems(parse(&informal).expect("parses"));
    assert!(said.iter().any(|p| p.contains("at most 10 answers: it has 11 prompts")), "{said:?}");
    let ten = informal.replace("[[prompts]]\nda = \"Spørgsmål 11?\"\nen = \"Question 11?\"\n", "");
    assert_eq!(problems(parse(&ten).expect("parses")), Vec::<String>::new());
}

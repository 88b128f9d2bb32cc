//! Checks the rules of the content that the types cannot express, and reports
//! every problem at once. Run at build time by `build.rs` and as a test over the
//! whole catalog.
//!
//! Also compiled into `build.rs`, so it only uses `crate::model`,
//! `crate::timeline` and `std`.

use crate::model::{
    BellRole, Catalog, ContentError, CourseTemplate, Kind, Lang, MAX_PHASE_SECONDS, Outline, Part, Practice,
    Segment, SessionKind, Span, Structure, Text,
};
use crate::timeline::{self, BellSound, Options, PLACEHOLDERS};

/// Speaking pace a cue must leave room for: 2.5 words a second is brisk.
const WORDS_PER_SECOND: f64 = 2.5;

/// The least quiet after guidance that asks for something (look, listen, feel,
/// bring to mind), before the next words: three calm breaths. An adult at rest
/// breathes 12–20 times a minute, so three breaths take 9–15 s; the slower end,
/// because someone settling breathes more slowly. See docs/CONTENT.md, "No
/// rushed practices".
pub const MIN_QUIET_MS: u32 = 15_000;

impl Catalog {
    /// Every problem in the catalog, or `Ok`.
    pub fn validate(&self) -> Result<(), Vec<ContentError>> {
        let mut errors = Vec::new();
        for (i, practice) in self.practices.iter().enumerate() {
            if self.practices[..i].iter().any(|p| p.id == practice.id) {
                errors.push(ContentError::DuplicateId(practice.id.to_string()));
            }
            errors.extend(practice.problems());
        }
        for (i, course) in self.courses.iter().enumerate() {
            if self.courses[..i].iter().any(|c| c.id == course.id) {
                errors.push(ContentError::DuplicateId(course.id.to_string()));
            }
            errors.extend(course_problems(course, self));
        }
        for (i, instrument) in self.instruments.iter().enumerate() {
            if self.instruments[..i].iter().any(|other| other.id == instrument.id) {
                errors.push(ContentError::DuplicateId(instrument.id.clone()));
            }
            errors.extend(instrument.problems());
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

fn text_problems(id: &str, field: &str, text: &Text, errors: &mut Vec<ContentError>) {
    for lang in Lang::ALL {
        if text.get(lang).trim().is_empty() {
            errors.push(ContentError::MissingText { id: id.to_owned(), field: field.to_owned(), lang });
        }
    }
}

impl Practice {
    /// Every problem with this practice.
    pub fn problems(&self) -> Vec<ContentError> {
        let mut errors = Vec::new();
        let id = self.id.to_string();
        if id.starts_with(crate::model::RECORDING_PREFIX) {
            // The log would take it for a teacher's recording.
            errors.push(ContentError::BadId(id.clone()));
        }
        text_problems(&id, "title", &self.title, &mut errors);
        text_problems(&id, "summary", &self.summary, &mut errors);
        if let Some(note) = &self.evidence_note {
            text_problems(&id, "evidence_note", note, &mut errors);
        }
        if let Some(caution) = &self.caution {
            text_problems(&id, "caution", caution, &mut errors);
        }
        if self.source.trim().is_empty() {
            errors.push(ContentError::MissingSource(id.clone()));
        }
        let ascending = self.minutes.windows(2).all(|w| w[0] < w[1]);
        if self.minutes.is_empty() || self.minutes.contains(&0) || !ascending {
            errors.push(ContentError::BadLengths(id.clone()));
        } else if !self.allows_minutes(self.default_minutes) {
            errors.push(ContentError::DefaultNotAllowed { id: id.clone(), default: self.default_minutes });
        }
        let script = |problem: &str| ContentError::Script { id: id.clone(), problem: problem.to_owned() };

        if self.kind == Kind::Informal {
            if !self.script.is_empty() {
                errors.push(script("an informal practice is logged, not played: remove its script"));
            }
            if self.prompts.is_empty() {
                errors.push(script("an informal practice needs `prompts` for logging it"));
            }
            for (i, prompt) in self.prompts.iter().enumerate() {
                text_problems(&id, &format!("prompt {}", i + 1), prompt, &mut errors);
            }
            if self.calendar && self.prompts.len() > crate::model::MAX_ANSWERS {
                errors.push(script(&format!(
                    "a calendar's note keeps at most {} answers: it has {} prompts",
                    crate::model::MAX_ANSWERS,
                    self.prompts.len()
                )));
            }
            return errors;
        }
        if self.calendar {
            errors.push(script("only an informal practice can be a calendar"));
        }
        if self.script.is_empty() {
            errors.push(script("a practice that is played needs a `script`"));
            return errors;
        }
        if !matches!(self.script.first(), Some(Segment::Bell { role: BellRole::Opening, .. })) {
            errors.push(script("the script must start with the opening bell"));
        }
        if !matches!(self.script.last(), Some(Segment::Bell { role: BellRole::Closing, .. })) {
            errors.push(script("the script must end with the closing bell"));
        }
        let roles = self.script.iter().filter_map(|s| match s {
            Segment::Bell { role, .. } => Some(*role),
            _ => None,
        });
        if roles.clone().filter(|r| *r == BellRole::Opening).count() != 1
            || roles.filter(|r| *r == BellRole::Closing).count() != 1
        {
            errors.push(script("a script has exactly one opening and one closing bell"));
        }
        let has_breath = self.script.iter().any(|s| matches!(s, Segment::Breath(_)));
        match (&self.breath, has_breath, self.kind == Kind::BreathingPattern) {
            (None, true, _) => errors.push(script("a breath segment needs a [breath] pattern")),
            (None, _, true) => errors.push(script("a breathing pattern needs a [breath] table")),
            (Some(_), false, _) => {
                errors.push(script("the [breath] pattern is never used: add a breath segment"))
            }
            _ => {}
        }
        if let Some(pattern) = &self.breath {
            let breath = |problem: String| ContentError::Breath { id: id.clone(), problem };
            if pattern.phases.is_empty() {
                errors.push(breath("no phases".into()));
            }
            if let Some(p) = pattern.phases.iter().find(|p| !(0.0..=MAX_PHASE_SECONDS).contains(&p.seconds)) {
                errors
                    .push(breath(format!("{:?} lasts {} s: 0 to {MAX_PHASE_SECONDS} s", p.phase, p.seconds)));
            }
            // Holds by default, or holds a listener may set.
            let holds =
                pattern.phases.iter().any(|p| p.phase.is_hold() && (p.seconds > 0.0 || pattern.adjustable));
            if holds && self.caution.is_none() {
                errors.push(breath(
                    "it holds the breath, so it needs a `caution` (pregnancy, heart or lung disease, panic)"
                        .into(),
                ));
            }
            if pattern.adjustable
                && let Some(p) = pattern.phases.iter().find(|p| {
                    let (low, high) = p.phase.bounds();
                    !(low..=high).contains(&p.seconds)
                })
            {
                let (low, high) = p.phase.bounds();
                errors.push(breath(format!(
                    "{:?} lasts {} s, outside what a listener may set ({low} to {high} s)",
                    p.phase, p.seconds
                )));
            }
            if pattern.max_cycles == Some(0) {
                errors.push(breath("max_cycles = 0: allow at least one breath".into()));
            }
            if let Some([low, high]) = pattern.bpm_range
                && !(low > 0.0 && low <= high && high <= 30.0)
            {
                errors.push(breath(format!("bpm_range [{low}, {high}] must rise, between 0 and 30")));
            }
        }
        let flexible = self
            .script
            .iter()
            .any(|s| matches!(s, Segment::Silence(Span::Flexible(_)) | Segment::Breath(Span::Flexible(_))));
        if !flexible {
            errors.push(script("no flexible segment (`weight`): the practice cannot fit its lengths"));
        }
        for (index, segment) in self.script.iter().enumerate() {
            if let Segment::Cue { text, ms } = segment {
                text_problems(&id, &format!("segment {index}"), text, &mut errors);
                let words =
                    Lang::ALL.iter().map(|l| text.get(*l).split_whitespace().count()).max().unwrap_or(0);
                let needed_s = (words as f64 / WORDS_PER_SECOND).ceil() as u32;
                if *ms < needed_s * 1000 {
                    errors.push(ContentError::CueTooShort {
                        id: id.clone(),
                        segment: index,
                        words,
                        needed_s,
                        given_s: ms / 1000,
                    });
                }
                errors.extend(placeholder_problems(self, index, text));
            }
        }
        if let Some(shortest) = self.minutes.first() {
            let fixed: u64 = self
                .script
                .iter()
                .filter_map(|s| timeline::fixed_ms(s, BellSound::TempleBell))
                .map(u64::from)
                .sum();
            if fixed > u64::from(*shortest) * 60_000 {
                errors.push(ContentError::FixedTooLong {
                    id: id.clone(),
                    fixed_s: (fixed / 1000) as u32,
                    minutes: *shortest,
                });
            }
        }
        if errors.is_empty() {
            errors.extend(self.compile_problems());
        }
        if errors.is_empty() {
            errors.extend(self.rushed());
        }
        errors
    }

    /// Guidance followed by time to practise (a silence or paced breathing
    /// that grows with the length) must leave [`MIN_QUIET_MS`] of it before
    /// anything else is said, at every length offered. A silence of fixed
    /// `seconds` is a pause the author sized on purpose (a breath before the
    /// next words, the eyes opening) and is not checked. The quiet only grows
    /// with the length, so the shortest length (with the longest closing
    /// bell) is the one to check.
    fn rushed(&self) -> Vec<ContentError> {
        let Some(&minutes) = self.minutes.first() else { return Vec::new() };
        let mut errors = Vec::new();
        for bell in BellSound::ALL {
            let options = Options { minutes, bell, ..Options::defaults(self, Lang::Da) };
            let Ok(timeline) = timeline::compile(self, &options) else { continue };
            let sections = &timeline.sections;
            for (i, section) in sections.iter().enumerate() {
                if section.kind != timeline::SectionKind::Cue {
                    continue;
                }
                let quiet: Vec<_> = sections[i + 1..]
                    .iter()
                    .take_while(|s| {
                        matches!(s.kind, timeline::SectionKind::Silence | timeline::SectionKind::Breath)
                    })
                    .collect();
                let quiet_ms: u32 = quiet.iter().map(|s| s.end_ms - s.start_ms).sum();
                let already = errors.iter().any(
                    |e| matches!(e, ContentError::Rushed { segment, .. } if *segment == section.segment),
                );
                if quiet.iter().any(|s| s.flexible) && quiet_ms < MIN_QUIET_MS && !already {
                    errors.push(ContentError::Rushed {
                        id: self.id.to_string(),
                        minutes,
                        segment: section.segment,
                        quiet_ms,
                        needed_ms: MIN_QUIET_MS,
                    });
                }
            }
        }
        errors
    }

    /// Lays the practice out at its shortest, default and longest length, in
    /// every language, with every bell and anchor, and checks each timeline.
    fn compile_problems(&self) -> Vec<ContentError> {
        let mut lengths = vec![self.default_minutes];
        lengths.extend(self.minutes.first());
        lengths.extend(self.minutes.last());
        if !self.custom_length {
            lengths.extend(&self.minutes);
        }
        lengths.sort_unstable();
        lengths.dedup();
        let anchors: Vec<_> = if self.anchors.is_empty() {
            vec![None]
        } else {
            self.anchors.iter().copied().map(Some).collect()
        };
        let mut errors = Vec::new();
        for minutes in lengths {
            for lang in Lang::ALL {
                for bell in BellSound::ALL {
                    for anchor in &anchors {
                        let options =
                            Options { minutes, anchor: *anchor, bell, ..Options::defaults(self, lang) };
                        let problem = match timeline::compile(self, &options) {
                            Ok(timeline) => timeline.check().err().map(|broken| broken.to_string()),
                            Err(error) => Some(error.to_string()),
                        };
                        if let Some(problem) = problem {
                            errors.push(ContentError::Compile { id: self.id.to_string(), minutes, problem });
                            return errors;
                        }
                    }
                }
            }
        }
        errors
    }
}

/// `{anchor}` and `{eyes}` only, the same in both languages, and `{anchor}`
/// only where the practice offers anchors.
fn placeholder_problems(practice: &Practice, segment: usize, text: &Text) -> Vec<ContentError> {
    let mut errors = Vec::new();
    let problem =
        |problem: String| ContentError::Placeholder { id: practice.id.to_string(), segment, problem };
    let found = |s: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(start) = rest.find('{') {
            let end = rest[start..].find('}').map_or(rest.len(), |e| start + e + 1);
            out.push(rest[start..end].to_owned());
            rest = &rest[end..];
        }
        out.sort();
        out
    };
    let (da, en) = (found(&text.da), found(&text.en));
    for p in da.iter().chain(&en) {
        if !PLACEHOLDERS.contains(&p.as_str()) {
            errors.push(problem(format!("unknown placeholder {p}: use {}", PLACEHOLDERS.join(" or "))));
        }
    }
    if da != en {
        errors.push(problem(format!("placeholders differ between da {da:?} and en {en:?}")));
    }
    if da.iter().any(|p| p == "{anchor}") && practice.anchors.is_empty() {
        errors.push(problem("{anchor} is used but the practice lists no `anchors`".into()));
    }
    errors
}

/// A meeting outline's texts, and parts that take no time.
/// (`session` 0: the programme's outline.)
fn outline_problems(id: &str, session: usize, outline: &Outline, errors: &mut Vec<ContentError>) {
    for part in Part::ALL {
        if let Some(found) = outline.part(part) {
            let name = format!("outline {part:?}").to_lowercase();
            let field = if session == 0 { name.clone() } else { format!("session {session} {name}") };
            text_problems(id, &field, &found.text, errors);
            if found.minutes == 0 {
                errors.push(ContentError::Course {
                    course: id.to_owned(),
                    session,
                    problem: format!("{name}: minutes = 0; say about how long it takes"),
                });
            }
        }
    }
}

/// Each week's meeting with an outline has all three parts, and they add
/// up to the meeting's length.
fn outline_fits(course: &CourseTemplate, errors: &mut Vec<ContentError>) {
    let sessions = course.sessions.iter().enumerate().filter(|(_, s)| s.kind == SessionKind::Session);
    for (week, (index, session)) in sessions.enumerate().map(|(w, found)| (w + 1, found)) {
        let parts = course.outline_for(week, None);
        if parts.is_empty() {
            continue;
        }
        let number = index + 1;
        let problem = |problem: String| ContentError::Course {
            course: course.id.to_string(),
            session: number,
            problem,
        };
        if parts.len() != Part::ALL.len() {
            let found: Vec<Part> = parts.iter().map(|(part, _, _)| *part).collect();
            errors.push(problem(format!(
                "the meeting's outline has {found:?}: it needs an opening, a process and a closing"
            )));
        }
        let total: u16 = parts.iter().map(|(_, minutes, _)| minutes).sum();
        if let Some(length) = session.minutes
            && total != length
        {
            errors.push(problem(format!("the outline's parts take {total} min, the meeting {length} min")));
        }
    }
}

fn course_problems(course: &CourseTemplate, catalog: &Catalog) -> Vec<ContentError> {
    let mut errors = Vec::new();
    let id = course.id.to_string();
    text_problems(&id, "title", &course.title, &mut errors);
    text_problems(&id, "summary", &course.summary, &mut errors);
    if course.version.trim().is_empty() {
        errors.push(ContentError::Course {
            course: id.clone(),
            session: 0,
            problem: "`version` is empty".into(),
        });
    }
    if course.sessions.is_empty() {
        errors.push(ContentError::Course { course: id.clone(), session: 0, problem: "no sessions".into() });
    }
    for (field, problem) in course.measures.problems(&catalog.instruments) {
        errors.push(ContentError::Course {
            course: id.clone(),
            session: 0,
            problem: format!("measures.{field}: {problem}"),
        });
    }
    if let Some(outline) = &course.outline {
        outline_problems(&id, 0, outline, &mut errors);
    }
    for (index, session) in course.sessions.iter().enumerate() {
        let number = index + 1;
        let problem = |problem: String| ContentError::Course { course: id.clone(), session: number, problem };
        text_problems(&id, &format!("session {number} title"), &session.title, &mut errors);
        if let Some(outline) = &session.outline {
            outline_problems(&id, number, outline, &mut errors);
            if session.kind != SessionKind::Session || course.structure != Structure::Weekly {
                errors.push(problem("only a weekly programme's sessions have an outline".into()));
            }
        }
        if let Some(knowledge) = &session.knowledge {
            text_problems(&id, &format!("session {number} knowledge"), knowledge, &mut errors);
        }
        for home in &session.practices {
            match catalog.get(home.id.as_str()) {
                None => errors.push(problem(format!("unknown practice id {:?}", home.id.as_str()))),
                Some(practice) if !practice.allows_minutes(home.minutes) => errors.push(problem(format!(
                    "{} is not offered at {} min (allowed: {:?})",
                    home.id, home.minutes, practice.minutes
                ))),
                Some(_) => {}
            }
            if !(1..=7).contains(&home.days) {
                errors.push(problem(format!("{}: days = {} must be 1 to 7", home.id, home.days)));
            }
            if !(1..=10).contains(&home.per_day) {
                errors.push(problem(format!("{}: per_day = {} must be 1 to 10", home.id, home.per_day)));
            }
        }
    }
    outline_fits(course, &mut errors);
    errors
}

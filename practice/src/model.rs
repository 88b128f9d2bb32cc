//! The catalog's data model: practices, their scripts, course templates.
//!
//! This file is also compiled into `build.rs` (through `#[path]`) together with
//! `validate.rs`, so it may only use `serde`, `thiserror` and `std`: the build
//! script checks the content files with exactly the rules the tests use.
//!
//! The types here are stored in the build (postcard) and referred to by log
//! entries and course data in the field (ids): changing an id or the meaning of
//! a field breaks clients in the field.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::measures::Instrument;

/// A language Stille speaks. Danish first: the courses are Danish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Da,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Da, Lang::En];

    /// The BCP 47 tag, for `<html lang>` and speech synthesis.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    /// Picks Danish when the first of the user's preferred languages that Stille
    /// speaks is Danish, English otherwise (`navigator.languages` order).
    pub fn from_preferences<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        for tag in preferred {
            let primary = tag.split(['-', '_']).next().unwrap_or_default();
            if primary.eq_ignore_ascii_case("da") {
                return Lang::Da;
            }
            if primary.eq_ignore_ascii_case("en") {
                return Lang::En;
            }
        }
        Lang::En
    }

    /// The same choice from an `Accept-Language` header (`da-DK,da;q=0.9,en;q=0.8`):
    /// its languages in the order of their weights (`q`, 1 when absent; equal
    /// weights keep their order), then [`Lang::from_preferences`].
    pub fn from_accept_language(header: &str) -> Lang {
        let mut weighted: Vec<(f32, &str)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q=").map(|q| q.trim().parse::<f32>().unwrap_or(0.0)))
                    .unwrap_or(1.0);
                (!tag.is_empty() && q > 0.0).then_some((q, tag))
            })
            .collect();
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
        Lang::from_preferences(weighted.into_iter().map(|(_, tag)| tag))
    }
}

/// A text in every language Stille speaks. Deserialising fails when one is missing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub da: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Da => &self.da,
            Lang::En => &self.en,
        }
    }
}

/// A stable identifier of a practice or a course, e.g. `msc-affectionate-breathing`.
/// Log entries and course templates refer to practices by it: changing one
/// breaks history.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PracticeId(String);

impl PracticeId {
    /// Lowercase ASCII letters, digits and single hyphens; 3 to 64 characters.
    pub fn parse(id: &str) -> Result<PracticeId, ContentError> {
        let well_formed = (3..=64).contains(&id.len())
            && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !id.starts_with('-')
            && !id.ends_with('-')
            && !id.contains("--");
        if well_formed { Ok(PracticeId(id.to_owned())) } else { Err(ContentError::BadId(id.to_owned())) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A teacher's recording (a whole take) as a practice of its own in the
    /// log: `rec-<the recording's id>`. None when the id is not a UUID.
    pub fn of_recording(recording_id: &str) -> Option<PracticeId> {
        is_uuid(recording_id).then(|| PracticeId(format!("{RECORDING_PREFIX}{recording_id}")))
    }

    /// The recording this practice is, when it is one (see [`PracticeId::of_recording`]).
    pub fn recording(&self) -> Option<&str> {
        self.0.strip_prefix(RECORDING_PREFIX).filter(|id| is_uuid(id))
    }
}

/// What a recording's practice id starts with; no catalog practice may.
pub const RECORDING_PREFIX: &str = "rec-";

/// A UUID as Stille writes them: 36 characters, lowercase hex, hyphens at
/// 8, 13, 18 and 23.
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
        })
}

impl TryFrom<String> for PracticeId {
    type Error = ContentError;
    fn try_from(id: String) -> Result<Self, Self::Error> {
        PracticeId::parse(&id)
    }
}

impl From<PracticeId> for String {
    fn from(id: PracticeId) -> String {
        id.0
    }
}

impl fmt::Display for PracticeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The programme a practice belongs to, which is how the library groups them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Program {
    /// Mindful Self-Compassion (Neff & Germer).
    Msc,
    /// Mindfulness-Based Stress Reduction (Kabat-Zinn).
    Mbsr,
    /// Mindfulness-Based Cognitive Therapy (Segal, Williams & Teasdale).
    Mbct,
    Breathing,
    Regulation,
    Timer,
    /// Practices that are logged, not played.
    Informal,
    /// MentaliseringsProgrammet's modules.
    Mentalization,
}

impl Program {
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Program::Msc, _) => "MSC",
            (Program::Mbsr, _) => "MBSR",
            // In Danish the programme is mindfulness-baseret kognitiv terapi.
            (Program::Mbct, Lang::Da) => "MBKT",
            (Program::Mbct, Lang::En) => "MBCT",
            (Program::Breathing, Lang::Da) => "Vejrtrækning",
            (Program::Breathing, Lang::En) => "Breathing",
            (Program::Regulation, Lang::Da) => "Regulering",
            (Program::Regulation, Lang::En) => "Regulation",
            (Program::Timer, Lang::Da) => "Stille timer",
            (Program::Timer, Lang::En) => "Silent timer",
            (Program::Informal, Lang::Da) => "Uformel praksis",
            (Program::Informal, Lang::En) => "Informal practice",
            (Program::Mentalization, Lang::Da) => "Mentalisering",
            (Program::Mentalization, Lang::En) => "Mentalization",
        }
    }
}

/// How a practice is carried out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Spoken or written guidance with bells.
    Guided,
    /// A paced breathing pattern with a visual pacer.
    BreathingPattern,
    /// Bells only.
    SilentTimer,
    /// Done in daily life and logged afterwards, not played.
    Informal,
}

/// Where attention rests, chosen by the listener among those a practice offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Anchor {
    Breath,
    Sounds,
    Feet,
    Hands,
}

impl Anchor {
    /// The noun phrase that fills `{anchor}` in a cue.
    pub fn phrase(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Anchor::Breath, Lang::Da) => "åndedrættet",
            (Anchor::Breath, Lang::En) => "the breath",
            (Anchor::Sounds, Lang::Da) => "lydene omkring dig",
            (Anchor::Sounds, Lang::En) => "the sounds around you",
            (Anchor::Feet, Lang::Da) => "fødderne mod gulvet",
            (Anchor::Feet, Lang::En) => "your feet on the floor",
            (Anchor::Hands, Lang::Da) => "hænderne",
            (Anchor::Hands, Lang::En) => "your hands",
        }
    }
}

/// What a bell does in a script.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BellRole {
    Opening,
    Interval,
    Closing,
}

/// One phase of a breath cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BreathPhase {
    Inhale,
    /// The second, short inhale of a cyclic sigh.
    TopUp,
    HoldIn,
    Exhale,
    HoldOut,
}

/// How long a segment lasts: fixed, or a share of what the fixed parts leave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Span {
    /// Milliseconds.
    Fixed(u32),
    /// A weight in thousandths (1.0 in the file is 1000 here).
    Flexible(u32),
}

/// One step of a practice's script.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SegmentSpec", into = "SegmentSpec")]
pub enum Segment {
    /// A bell. `None`: the default length for its role (see `timeline`).
    Bell { role: BellRole, ms: Option<u32> },
    /// Guidance shown and (optionally) spoken, occupying `ms`.
    Cue { text: Text, ms: u32 },
    /// Quiet practice.
    Silence(Span),
    /// Paced breathing with the practice's pattern.
    Breath(Span),
}

impl Segment {
    pub fn is_bell(&self) -> bool {
        matches!(self, Segment::Bell { .. })
    }
}

/// A segment as written in a content file: one flat table, checked into a
/// [`Segment`] when read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentSpec {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub role: Option<BellRole>,
    #[serde(default)]
    pub text: Option<Text>,
    #[serde(default)]
    pub seconds: Option<f64>,
    #[serde(default)]
    pub weight: Option<f64>,
}

/// The longest any one segment may be: 3 hours.
const MAX_SEGMENT_MS: f64 = 3.0 * 3600.0 * 1000.0;

/// Seconds from a file to whole milliseconds: at least 1 ms (so the value
/// survives being stored and read back) and at most 3 hours.
fn to_ms(seconds: f64) -> Result<u32, ContentError> {
    let ms = (seconds * 1000.0).round();
    if seconds.is_finite() && (1.0..=MAX_SEGMENT_MS).contains(&ms) {
        Ok(ms as u32)
    } else {
        Err(ContentError::BadSegment(format!(
            "seconds = {seconds} must be at least 0.001 and at most 3 hours"
        )))
    }
}

fn to_span(seconds: Option<f64>, weight: Option<f64>, kind: &str) -> Result<Span, ContentError> {
    match (seconds, weight) {
        (Some(seconds), None) => Ok(Span::Fixed(to_ms(seconds)?)),
        (None, Some(weight)) if weight.is_finite() && weight > 0.0 && weight <= 1000.0 => {
            Ok(Span::Flexible((weight * 1000.0).round().max(1.0) as u32))
        }
        (None, Some(weight)) => Err(ContentError::BadSegment(format!(
            "{kind}: weight = {weight} must be above 0 and at most 1000"
        ))),
        _ => Err(ContentError::BadSegment(format!(
            "{kind} needs either `seconds` (fixed) or `weight` (flexible)"
        ))),
    }
}

impl TryFrom<SegmentSpec> for Segment {
    type Error = ContentError;
    fn try_from(spec: SegmentSpec) -> Result<Segment, ContentError> {
        let unexpected = |field: &str| ContentError::BadSegment(format!("{} has no `{field}`", spec.kind));
        match spec.kind.as_str() {
            "bell" => {
                if spec.text.is_some() {
                    return Err(unexpected("text"));
                }
                if spec.weight.is_some() {
                    return Err(unexpected("weight"));
                }
                let role = spec.role.ok_or_else(|| {
                    ContentError::BadSegment("bell needs a `role`: opening, interval or closing".into())
                })?;
                Ok(Segment::Bell { role, ms: spec.seconds.map(to_ms).transpose()? })
            }
            "cue" => {
                if spec.role.is_some() {
                    return Err(unexpected("role"));
                }
                if spec.weight.is_some() {
                    return Err(ContentError::BadSegment("cue needs fixed `seconds`, not a weight".into()));
                }
                let text = spec.text.ok_or_else(|| ContentError::BadSegment("cue needs a `text`".into()))?;
                let seconds =
                    spec.seconds.ok_or_else(|| ContentError::BadSegment("cue needs `seconds`".into()))?;
                Ok(Segment::Cue { text, ms: to_ms(seconds)? })
            }
            "silence" | "breath" => {
                if spec.role.is_some() {
                    return Err(unexpected("role"));
                }
                if spec.text.is_some() {
                    return Err(unexpected("text"));
                }
                let span = to_span(spec.seconds, spec.weight, &spec.kind)?;
                Ok(if spec.kind == "silence" { Segment::Silence(span) } else { Segment::Breath(span) })
            }
            other => Err(ContentError::BadSegment(format!(
                "unknown segment type {other:?}: use bell, cue, silence or breath"
            ))),
        }
    }
}

impl From<Segment> for SegmentSpec {
    fn from(segment: Segment) -> SegmentSpec {
        let span = |span: Span| match span {
            Span::Fixed(ms) => (Some(f64::from(ms) / 1000.0), None),
            Span::Flexible(weight) => (None, Some(f64::from(weight) / 1000.0)),
        };
        let (kind, role, text, (seconds, weight)) = match segment {
            Segment::Bell { role, ms } => {
                ("bell", Some(role), None, (ms.map(|ms| f64::from(ms) / 1000.0), None))
            }
            Segment::Cue { text, ms } => ("cue", None, Some(text), (Some(f64::from(ms) / 1000.0), None)),
            Segment::Silence(s) => ("silence", None, None, span(s)),
            Segment::Breath(s) => ("breath", None, None, span(s)),
        };
        SegmentSpec { kind: kind.to_owned(), role, text, seconds, weight }
    }
}

/// One phase of a breathing pattern and its length.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseSpec {
    pub phase: BreathPhase,
    pub seconds: f64,
}

/// A breathing pattern: the phases of one cycle, and what the user may adjust.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreathPattern {
    pub phases: Vec<PhaseSpec>,
    /// Breaths per minute the user may choose; the phases scale together.
    #[serde(default)]
    pub bpm_range: Option<[f64; 2]>,
    /// Each phase may be set within [`BreathPhase::bounds`].
    #[serde(default)]
    pub adjustable: bool,
    /// At most this many breaths in one breath segment, as the pattern's
    /// author teaches it (4-7-8: four); the rest of the segment is rest.
    #[serde(default)]
    pub max_cycles: Option<u32>,
}

/// The longest any breath phase may be, in seconds.
pub const MAX_PHASE_SECONDS: f64 = 20.0;

/// The longest hold a listener may set: the seven seconds of 4-7-8, the
/// longest hold the catalog teaches.
pub const MAX_HOLD_SECONDS: f64 = 7.0;

impl BreathPhase {
    /// The seconds a listener may choose for this phase of an adjustable
    /// pattern: a hold may be left out (0 s) and lasts at most
    /// [`MAX_HOLD_SECONDS`]; the short top-up of a sigh 0.5–3 s; a breath in
    /// or out 1 s to [`MAX_PHASE_SECONDS`].
    pub fn bounds(self) -> (f64, f64) {
        match self {
            BreathPhase::HoldIn | BreathPhase::HoldOut => (0.0, MAX_HOLD_SECONDS),
            BreathPhase::TopUp => (0.5, 3.0),
            BreathPhase::Inhale | BreathPhase::Exhale => (1.0, MAX_PHASE_SECONDS),
        }
    }

    /// Whether this phase holds the breath.
    pub fn is_hold(self) -> bool {
        matches!(self, BreathPhase::HoldIn | BreathPhase::HoldOut)
    }
}

/// The most prompts a note answers one by one (an events calendar has five).
pub const MAX_ANSWERS: usize = 10;

/// One practice in the catalog.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    pub id: PracticeId,
    pub program: Program,
    pub kind: Kind,
    pub title: Text,
    pub summary: Text,
    /// Shown beside the source when the evidence needs a word (e.g. none found).
    #[serde(default)]
    pub evidence_note: Option<Text>,
    /// Who should leave the practice out or take care with it (breath holds:
    /// pregnancy, heart or lung disease, panic); shown before it starts.
    #[serde(default)]
    pub caution: Option<Text>,
    /// The length offered first, in minutes.
    pub default_minutes: u16,
    /// Every length the practice can be played at, in minutes, ascending.
    pub minutes: Vec<u16>,
    /// Any whole minute from the first to the last of `minutes` is allowed.
    #[serde(default)]
    pub custom_length: bool,
    /// The protocol or programme this practice rests on (book, paper, manual).
    pub source: String,
    /// Anchors offered for `{anchor}`; the first is the default.
    #[serde(default)]
    pub anchors: Vec<Anchor>,
    /// Whether the user may add interval bells in flexible silences.
    #[serde(default)]
    pub interval_bells: bool,
    #[serde(default)]
    pub breath: Option<BreathPattern>,
    #[serde(default)]
    pub script: Vec<Segment>,
    /// For informal practices: the questions shown when logging one.
    #[serde(default)]
    pub prompts: Vec<Text>,
    /// An events calendar (MBSR's pleasant and unpleasant events, the
    /// communication calendar): each prompt is answered in a field of its
    /// own, and the practice's page shows the last seven days' answers as a
    /// table, as the course's paper calendar does.
    #[serde(default)]
    pub calendar: bool,
}

impl Practice {
    /// Whether `minutes` is a length this practice can be played at.
    pub fn allows_minutes(&self, minutes: u16) -> bool {
        match (self.custom_length, self.minutes.first(), self.minutes.last()) {
            (true, Some(low), Some(high)) => (*low..=*high).contains(&minutes),
            _ => self.minutes.contains(&minutes),
        }
    }
}

/// How a course template is walked through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Structure {
    /// Sessions in order, a week apart.
    Weekly,
    /// Modules the instructor picks and orders.
    Collection,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    Session,
    Retreat,
    Module,
}

/// A practice recommended for home practice after a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomePractice {
    pub id: PracticeId,
    pub minutes: u16,
    /// Days a week.
    pub days: u8,
    /// Times a day (the breathing space is done three times a day).
    #[serde(default = "one")]
    pub per_day: u8,
}

fn one() -> u8 {
    1
}

/// One session, retreat or module of a course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub kind: SessionKind,
    pub title: Text,
    /// How long the meeting lasts as the programme describes it, in minutes
    /// (a new course's sessions take it; the instructor can change it).
    #[serde(default)]
    pub minutes: Option<u16>,
    #[serde(default)]
    pub knowledge: Option<Text>,
    #[serde(default, rename = "practice")]
    pub practices: Vec<HomePractice>,
    /// How this meeting runs, where it differs from the programme's
    /// [`CourseTemplate::outline`].
    #[serde(default)]
    pub outline: Option<Outline>,
}

/// How a meeting runs, for the one who leads it: opening, process, and a
/// closing round, as the wellbeing group's description builds a meeting.
/// A programme's outline holds for each of its meetings; a session's own
/// parts take the place of the programme's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outline {
    #[serde(default)]
    pub opening: Option<OutlinePart>,
    #[serde(default)]
    pub process: Option<OutlinePart>,
    #[serde(default)]
    pub closing: Option<OutlinePart>,
}

/// One part of a meeting: about how long it takes in a meeting of the
/// programme's length, and what happens in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutlinePart {
    pub minutes: u16,
    pub text: Text,
}

/// Which part of a meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Opening,
    Process,
    Closing,
}

impl Part {
    /// The parts, in the order of a meeting.
    pub const ALL: [Part; 3] = [Part::Opening, Part::Process, Part::Closing];
}

impl Outline {
    pub fn part(&self, part: Part) -> Option<&OutlinePart> {
        match part {
            Part::Opening => self.opening.as_ref(),
            Part::Process => self.process.as_ref(),
            Part::Closing => self.closing.as_ref(),
        }
    }
}

/// A course programme an instructor starts a course from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseTemplate {
    pub id: PracticeId,
    pub program: Program,
    /// The curriculum edition: curricula change, and a running course keeps its own.
    pub version: String,
    pub structure: Structure,
    pub title: Text,
    pub summary: Text,
    #[serde(rename = "session")]
    pub sessions: Vec<Session>,
    /// The questionnaires a course from this template asks, and when
    /// (none when the table is left out).
    #[serde(default)]
    pub measures: crate::measures::Measures,
    /// How each meeting runs, for the one who leads it (on the web: with
    /// the details).
    #[serde(default)]
    pub outline: Option<Outline>,
}

impl CourseTemplate {
    /// The programme's weekly meetings in order (a retreat is not one).
    pub fn meetings(&self) -> impl Iterator<Item = &Session> {
        self.sessions.iter().filter(|s| s.kind == SessionKind::Session)
    }

    /// How many weekly meetings the programme has.
    pub fn session_count(&self) -> i32 {
        i32::try_from(self.meetings().count()).unwrap_or(i32::MAX)
    }

    /// The session of course week `week` (from 1) of a weekly programme:
    /// its `week`-th session (a retreat is not a week). None for modular
    /// programmes and past the last week.
    pub fn week(&self, week: usize) -> Option<&Session> {
        if self.structure != Structure::Weekly || week == 0 {
            return None;
        }
        self.meetings().nth(week - 1)
    }

    /// What a participant reads in course week `week`, with the practices
    /// `assigned` that week: the week's session's knowledge in a weekly
    /// programme (no title: it is the week's theme), or each module whose
    /// exercise is assigned, once, with its title, in a programme of modules.
    pub fn knowledge_for(&self, week: usize, assigned: &[&str]) -> Vec<(Option<&Text>, &Text)> {
        if self.structure == Structure::Weekly {
            return self
                .week(week)
                .and_then(|s| s.knowledge.as_ref())
                .map(|k| (None, k))
                .into_iter()
                .collect();
        }
        let mut cards: Vec<(Option<&Text>, &Text)> = Vec::new();
        for practice in assigned {
            for module in self.modules_of(practice) {
                if let Some(knowledge) = &module.knowledge
                    && !cards.iter().any(|(title, _)| *title == Some(&module.title))
                {
                    cards.push((Some(&module.title), knowledge));
                }
            }
        }
        cards
    }

    /// How long a session lasts as the programme describes it.
    pub fn session_minutes(&self) -> Option<u16> {
        self.meetings().next()?.minutes
    }

    /// The programme's retreat, if it has one, with the number of the
    /// session it follows: it is held between that week's session and the
    /// next.
    pub fn retreat(&self) -> Option<(usize, &Session)> {
        let at = self.sessions.iter().position(|s| s.kind == SessionKind::Retreat)?;
        let before = self.sessions[..at].iter().filter(|s| s.kind == SessionKind::Session).count();
        Some((before, &self.sessions[at]))
    }

    /// How the meeting of course week `week` runs: each part with its
    /// minutes in a meeting of `meeting_minutes` (the programme's length when
    /// None; rounded to 5) and its text, the session's own parts over the
    /// programme's. Empty when the programme has no outline or no such week.
    pub fn outline_for(&self, week: usize, meeting_minutes: Option<u16>) -> Vec<(Part, u16, &Text)> {
        let Some(session) = self.week(week) else { return Vec::new() };
        let length = session.minutes.unwrap_or(0);
        let scaled = |minutes: u16| match meeting_minutes {
            Some(meeting) if length > 0 && meeting != length => {
                let exact = f64::from(minutes) * f64::from(meeting) / f64::from(length);
                ((exact / 5.0).round() * 5.0).max(5.0) as u16
            }
            _ => minutes,
        };
        Part::ALL
            .into_iter()
            .filter_map(|part| {
                let own = session.outline.as_ref().and_then(|o| o.part(part));
                let chosen = own.or_else(|| self.outline.as_ref().and_then(|o| o.part(part)))?;
                Some((part, scaled(chosen.minutes), &chosen.text))
            })
            .collect()
    }

    /// The modules of this programme whose exercise is `practice`, in order:
    /// their knowledge part is read with the exercise.
    pub fn modules_of(&self, practice: &str) -> impl Iterator<Item = &Session> {
        self.sessions.iter().filter(move |s| {
            s.kind == SessionKind::Module && s.practices.iter().any(|p| p.id.as_str() == practice)
        })
    }
}

/// All practices, in library order, and the course templates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub practices: Vec<Practice>,
    pub courses: Vec<CourseTemplate>,
    /// The outcome questionnaires (on the web: with the details).
    #[serde(default)]
    pub instruments: Vec<Instrument>,
}

impl Catalog {
    pub fn get(&self, id: &str) -> Option<&Practice> {
        self.practices.iter().find(|p| p.id.as_str() == id)
    }

    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.id == id)
    }

    pub fn course(&self, id: &str) -> Option<&CourseTemplate> {
        self.courses.iter().find(|c| c.id.as_str() == id)
    }

    /// Every module, in any programme, whose exercise is `practice`, with its
    /// programme.
    pub fn modules_of(&self, practice: &str) -> Vec<(&CourseTemplate, &Session)> {
        self.courses.iter().flat_map(|c| c.modules_of(practice).map(move |s| (c, s))).collect()
    }
}

/// What the web app downloads only when a practice is opened: every
/// practice's script and the texts only its own page shows, every course's
/// sessions, and the questionnaires. The rest of the catalog (titles,
/// summaries, lengths, options) is small enough to come with the app.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Details {
    pub scripts: Vec<Vec<Segment>>,
    /// Each practice's [`About`].
    pub about: Vec<About>,
    pub sessions: Vec<Vec<Session>>,
    pub instruments: Vec<Instrument>,
    /// Each course's meeting outline, for its instructor.
    pub outlines: Vec<Option<Outline>>,
}

/// A practice's texts that only its own page shows: where it comes from,
/// the note on its evidence and an informal practice's prompts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct About {
    pub source: String,
    pub evidence_note: Option<Text>,
    pub prompts: Vec<Text>,
}

impl Catalog {
    /// This catalog without its details, and the details.
    pub fn split(mut self) -> (Catalog, Details) {
        let scripts = self.practices.iter_mut().map(|p| std::mem::take(&mut p.script)).collect();
        let about = self
            .practices
            .iter_mut()
            .map(|p| About {
                source: std::mem::take(&mut p.source),
                evidence_note: p.evidence_note.take(),
                prompts: std::mem::take(&mut p.prompts),
            })
            .collect();
        let sessions = self.courses.iter_mut().map(|c| std::mem::take(&mut c.sessions)).collect();
        let instruments = std::mem::take(&mut self.instruments);
        let outlines = self.courses.iter_mut().map(|c| c.outline.take()).collect();
        (self, Details { scripts, about, sessions, instruments, outlines })
    }

    /// The details from [`Catalog::split`] put back; None when they do not
    /// belong to this catalog (a different number of practices or courses).
    pub fn join(mut self, details: Details) -> Option<Catalog> {
        if details.scripts.len() != self.practices.len()
            || details.about.len() != self.practices.len()
            || details.sessions.len() != self.courses.len()
            || details.outlines.len() != self.courses.len()
            || !self.instruments.is_empty()
        {
            return None;
        }
        self.instruments = details.instruments;
        for ((practice, script), about) in self.practices.iter_mut().zip(details.scripts).zip(details.about) {
            practice.script = script;
            practice.source = about.source;
            practice.evidence_note = about.evidence_note;
            practice.prompts = about.prompts;
        }
        for ((course, sessions), outline) in
            self.courses.iter_mut().zip(details.sessions).zip(details.outlines)
        {
            course.sessions = sessions;
            course.outline = outline;
        }
        Some(self)
    }
}

/// A short fingerprint of `bytes` (64-bit FNV-1a as 16 hex digits): names the
/// details file by its content, so a new catalog is a new file name.
pub fn fingerprint(bytes: &[u8]) -> String {
    let hash = bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

/// What is wrong with a content file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    #[error("id {0:?} is not lowercase letters, digits and single hyphens (3–64 chars)")]
    BadId(String),
    #[error("id {0:?} is used twice")]
    DuplicateId(String),
    #[error("{id}: {field} has no {lang:?} text")]
    MissingText { id: String, field: String, lang: Lang },
    #[error("{0}: `source` is empty; cite the protocol it rests on")]
    MissingSource(String),
    #[error("{0}: `minutes` must be a non-empty ascending list of lengths above 0")]
    BadLengths(String),
    #[error("{id}: default_minutes = {default} is not an allowed length")]
    DefaultNotAllowed { id: String, default: u16 },
    #[error("bad segment: {0}")]
    BadSegment(String),
    #[error("{id}: {problem}")]
    Script { id: String, problem: String },
    #[error(
        "{id}: segment {segment}: the cue needs at least {needed_s} s to be said ({words} words), not {given_s} s"
    )]
    CueTooShort { id: String, segment: usize, words: usize, needed_s: u32, given_s: u32 },
    #[error("{id}: the fixed parts take {fixed_s} s, more than the shortest length ({minutes} min) allows")]
    FixedTooLong { id: String, fixed_s: u32, minutes: u16 },
    #[error("{id}: segment {segment}: {problem}")]
    Placeholder { id: String, segment: usize, problem: String },
    #[error("{id}: breathing pattern: {problem}")]
    Breath { id: String, problem: String },
    #[error(
        "{id} at {minutes} min: segment {segment} asks for something and leaves only {quiet_ms} ms of quiet to do it, \
         at least {needed_ms} ms (three calm breaths): give that silence more weight, shorten the guidance, or stop \
         offering {minutes} min"
    )]
    Rushed { id: String, minutes: u16, segment: usize, quiet_ms: u32, needed_ms: u32 },
    #[error("{id} at {minutes} min does not compile: {problem}")]
    Compile { id: String, minutes: u16, problem: String },
    #[error("instrument {id}: {problem}")]
    Instrument { id: String, problem: String },
    #[error("course {course}, session {session}: {problem}")]
    Course { course: String, session: usize, problem: String },
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn the_language_is_the_first_preferred_one_stille_speaks() {
        assert_eq!(Lang::from_preferences(["de-DE", "da", "en"]), Lang::Da);
        assert_eq!(Lang::from_preferences(["en-GB", "da-DK"]), Lang::En);
        assert_eq!(Lang::from_preferences(["sv"]), Lang::En, "English when neither is asked for");
        assert_eq!(Lang::from_accept_language("da-DK,da;q=0.9,en;q=0.8"), Lang::Da);
        assert_eq!(Lang::from_accept_language("en;q=0.5, da;q=0.7"), Lang::Da, "by weight, not order");
        assert_eq!(Lang::from_accept_language("da;q=0, en-US"), Lang::En, "q=0 means not wanted");
        assert_eq!(Lang::from_accept_language(""), Lang::En);
        assert_eq!(Lang::from_accept_language("*"), Lang::En);
    }
}

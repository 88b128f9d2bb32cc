//! From a practice and the listener's options to a [`Timeline`]: every cue at
//! an exact millisecond.
//!
//! The rules, in order:
//! 1. Fixed segments take their declared time; bells take a default for their
//!    role (opening and interval 5 s, so guidance can begin while they ring; the
//!    closing bell its whole ring-out, so it fades before the end).
//! 2. What is left of the chosen length is shared by the flexible segments in
//!    proportion to their weights, to the millisecond (largest remainder).
//! 3. A breath segment is tiled exactly by breath phases. When a whole number
//!    of cycles fits within 5 % (imperceptible), the cycles are stretched or
//!    shrunk that little to fill it; otherwise the cycles keep the exact pace
//!    and a rest (a `HoldOut`) of less than one cycle ends the segment. A
//!    segment shorter than one breath is refused. A pattern with `max_cycles`
//!    (4-7-8) gives at most that many breaths, and the rest of the segment is
//!    one rest.
//! 4. Interval bells, when chosen, ring every N minutes from the opening bell,
//!    inside flexible silences only, and never within a ring-out of another bell.
//!
//! Also compiled into `build.rs`, so it only uses `crate::model` and `std`.

use crate::model::{
    Anchor, BellRole, BreathPattern, BreathPhase, Kind, Lang, Practice, PracticeId, Segment, Span,
};

/// The bell sounds the listener can choose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BellSound {
    /// A medium singing bowl.
    Bowl,
    /// A deeper temple bell.
    TempleBell,
    /// A light chime.
    Chime,
    /// A wooden knock.
    WoodKnock,
}

impl BellSound {
    pub const ALL: [BellSound; 4] =
        [BellSound::Bowl, BellSound::TempleBell, BellSound::Chime, BellSound::WoodKnock];

    /// How long the sound takes to fade to silence (−60 dB), in ms. No other
    /// bell may ring within this time after it.
    pub fn ring_out_ms(self) -> u32 {
        match self {
            BellSound::Bowl => 10_000,
            BellSound::TempleBell => 12_000,
            BellSound::Chime => 6_000,
            BellSound::WoodKnock => 2_000,
        }
    }
}

/// Eyes closed (with the offer to keep them open) or open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Eyes {
    #[default]
    Closed,
    Open,
}

impl Eyes {
    /// The sentence that fills `{eyes}`.
    pub fn sentence(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Eyes::Closed, Lang::Da) => {
                "Du kan lukke øjnene, hvis det føles rigtigt, eller lade blikket hvile blødt mod gulvet."
            }
            (Eyes::Closed, Lang::En) => {
                "You may close your eyes if that feels right, or let your gaze rest softly on the floor."
            }
            (Eyes::Open, Lang::Da) => "Hold øjnene åbne, og lad blikket hvile blødt på et punkt foran dig.",
            (Eyes::Open, Lang::En) => {
                "Keep your eyes open, and let your gaze rest softly on a spot in front of you."
            }
        }
    }
}

/// What the listener chose for a breathing pattern.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BreathOptions {
    /// Breaths per minute, when the pattern has a `bpm_range`.
    pub bpm: Option<f64>,
    /// Seconds for each phase, in the pattern's order, when it is adjustable.
    pub phase_seconds: Option<Vec<f64>>,
}

/// Everything the listener can choose about one playing of a practice.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Options {
    pub minutes: u16,
    pub lang: Lang,
    /// `None`: the practice's first anchor.
    pub anchor: Option<Anchor>,
    pub eyes: Eyes,
    pub bell: BellSound,
    /// Interval bells every N minutes, where the practice allows them.
    pub interval_minutes: Option<u16>,
    /// Quiet seconds before the opening bell, to settle in (not part of the length).
    pub warm_up_seconds: u16,
    pub breath: BreathOptions,
}

impl Options {
    /// The practice's defaults in `lang`.
    pub fn defaults(practice: &Practice, lang: Lang) -> Options {
        Options {
            minutes: practice.default_minutes,
            lang,
            anchor: None,
            eyes: Eyes::Closed,
            bell: BellSound::Bowl,
            interval_minutes: None,
            warm_up_seconds: 0,
            breath: BreathOptions::default(),
        }
    }
}

/// One thing that happens at one moment.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CueKind {
    Bell {
        sound: BellSound,
        role: BellRole,
    },
    /// Guidance to show (and perhaps speak), placeholders filled in.
    Text(String),
    /// A breath phase starting now and lasting `ms`.
    Breath {
        phase: BreathPhase,
        ms: u32,
    },
    /// The practice is over.
    End,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cue {
    /// Milliseconds from the start of the timeline (the start of the warm-up).
    pub at_ms: u32,
    pub kind: CueKind,
}

/// What a section of the timeline holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SectionKind {
    Bell,
    Cue,
    Silence,
    Breath,
}

/// Where one script segment landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    /// Index into the practice's script.
    pub segment: usize,
    pub kind: SectionKind,
    /// Whether the segment's length came from the chosen length (weight).
    pub flexible: bool,
    pub start_ms: u32,
    pub end_ms: u32,
}

/// A practice laid out in time.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Timeline {
    pub practice: PracticeId,
    /// Warm-up plus the chosen length, in ms; the `End` cue is here.
    pub length_ms: u32,
    /// When the opening bell rings (after the warm-up).
    pub start_ms: u32,
    /// Sorted by time; cues at the same moment keep script order.
    pub cues: Vec<Cue>,
    /// Each script segment's span, in script order.
    pub sections: Vec<Section>,
}

/// Why a practice cannot be laid out with these options.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CompileError {
    #[error("{0} is logged, not played")]
    NotPlayable(PracticeId),
    #[error("{minutes} min is not a length this practice allows ({allowed})")]
    LengthNotAllowed { minutes: u16, allowed: String },
    #[error("this practice does not offer {0:?} as an anchor")]
    AnchorNotOffered(Anchor),
    #[error("interval bells are not offered in this practice")]
    NoIntervalBells,
    #[error("interval bells every {0} min: choose 1 minute or more")]
    BadInterval(u16),
    #[error("a warm-up of {0} s is too long: at most 600 s")]
    WarmUpTooLong(u16),
    #[error("the fixed parts take {fixed_ms} ms, more than the {length_ms} ms chosen")]
    TooShort { fixed_ms: u32, length_ms: u32 },
    #[error("the script has no flexible part to fill {length_ms} ms with")]
    NoFlexible { length_ms: u32 },
    #[error("the breathing pattern: {0}")]
    Breath(String),
    /// With a recorded voice: the recordings take more time than the
    /// length has room for; `cue` (its index in the script) is the one that
    /// runs longest over its written time.
    #[error(
        "at {minutes} min the recorded voice does not fit: cue {cue} runs {cue_over_ms} ms over its written \
         time, the most of any"
    )]
    VoiceTooLong { minutes: u16, cue: usize, cue_over_ms: u32 },
    /// A recording given for a part of the script that is not a cue.
    #[error("part {0} of the script is not a cue, so it has no recording")]
    ClipNotACue(usize),
}

/// How long the recording of each cue plays, by the cue's index in the
/// practice's script (cues without one are read or shown as before).
pub type ClipLengths = std::collections::BTreeMap<usize, u32>;

/// The longest warm-up, in seconds.
const MAX_WARM_UP_S: u16 = 600;
/// Default time an opening or interval bell segment occupies.
const BELL_MS: u32 = 5_000;

/// The bells around a teacher's whole take (a recording of a practice, kept
/// by the server): the opening bell at 0, as the take begins, the closing
/// bell as it ends and the end once that bell has rung out. The timeline
/// holds only the bells (it becomes a soundtrack of its own); the take plays
/// beside it in its own media element, both started by the same tap — a
/// timer could not start the take later on a locked phone.
pub fn take_with_bells(practice: PracticeId, take_ms: u32) -> Timeline {
    let sound = BellSound::Bowl;
    let ring = sound.ring_out_ms();
    // A take shorter than the bell's ring still ends on a bell that rang alone first.
    let closing = take_ms.max(ring);
    let length_ms = closing + ring;
    let bell = |at_ms, role| Cue { at_ms, kind: CueKind::Bell { sound, role } };
    let section =
        |segment, kind, start_ms, end_ms| Section { segment, kind, flexible: false, start_ms, end_ms };
    Timeline {
        practice,
        length_ms,
        start_ms: 0,
        cues: vec![
            bell(0, BellRole::Opening),
            bell(closing, BellRole::Closing),
            Cue { at_ms: length_ms, kind: CueKind::End },
        ],
        sections: vec![
            section(0, SectionKind::Cue, 0, closing),
            section(1, SectionKind::Bell, closing, length_ms),
        ],
    }
}

/// Lays out `practice` with `options`. The same input always gives the same
/// timeline.
pub fn compile(practice: &Practice, options: &Options) -> Result<Timeline, CompileError> {
    compile_with_clips(practice, options, &ClipLengths::new())
}

/// Lays out `practice` with `options` and a recorded voice: a cue whose
/// recording plays longer than its written time takes the recording's
/// time, and the flexible silences (and paced breathing) give it up, so
/// every recording plays to its end before the next part begins. A length
/// without room for them all is refused with [`CompileError::VoiceTooLong`].
pub fn compile_with_clips(
    practice: &Practice,
    options: &Options,
    clips: &ClipLengths,
) -> Result<Timeline, CompileError> {
    if let Some(index) = clips.keys().find(|i| !matches!(practice.script.get(**i), Some(Segment::Cue { .. })))
    {
        return Err(CompileError::ClipNotACue(*index));
    }
    match lay_out(practice, options, clips) {
        // No room left for the fixed parts, or for one whole breath: if the
        // written practice fits (else its own error), the voice is what does
        // not, and the cue that runs longest over its written time is named.
        Err(CompileError::TooShort { .. } | CompileError::Breath(_)) if !clips.is_empty() => {
            lay_out(practice, options, &ClipLengths::new())?;
            let over = |(i, clip): (&usize, &u32)| {
                clip.saturating_sub(fixed_ms(&practice.script[*i], options.bell).unwrap_or(0))
            };
            let (cue, cue_over_ms) = clips
                .iter()
                .map(|c| (*c.0, over(c)))
                .max_by_key(|(i, over)| (*over, std::cmp::Reverse(*i)))
                .unwrap_or((0, 0));
            Err(CompileError::VoiceTooLong { minutes: options.minutes, cue, cue_over_ms })
        }
        laid_out => laid_out,
    }
}

fn lay_out(practice: &Practice, options: &Options, clips: &ClipLengths) -> Result<Timeline, CompileError> {
    if practice.kind == Kind::Informal || practice.script.is_empty() {
        return Err(CompileError::NotPlayable(practice.id.clone()));
    }
    if !practice.allows_minutes(options.minutes) {
        let allowed = match (practice.custom_length, practice.minutes.first(), practice.minutes.last()) {
            (true, Some(low), Some(high)) => format!("{low}–{high} min"),
            _ => format!("{:?} min", practice.minutes),
        };
        return Err(CompileError::LengthNotAllowed { minutes: options.minutes, allowed });
    }
    let anchor = match options.anchor {
        Some(anchor) if practice.anchors.contains(&anchor) => Some(anchor),
        Some(anchor) => return Err(CompileError::AnchorNotOffered(anchor)),
        None => practice.anchors.first().copied(),
    };
    if let Some(every) = options.interval_minutes {
        if !practice.interval_bells {
            return Err(CompileError::NoIntervalBells);
        }
        if every == 0 {
            return Err(CompileError::BadInterval(every));
        }
    }
    if options.warm_up_seconds > MAX_WARM_UP_S {
        return Err(CompileError::WarmUpTooLong(options.warm_up_seconds));
    }
    let max_cycles = practice.breath.as_ref().and_then(|pattern| pattern.max_cycles);
    let cycle = match &practice.breath {
        Some(pattern) => breath_cycle(pattern, &options.breath)?,
        None if options.breath != BreathOptions::default() => {
            return Err(CompileError::Breath("this practice has no breathing pattern to adjust".into()));
        }
        None => Vec::new(),
    };

    let start_ms = u32::from(options.warm_up_seconds) * 1000;
    let length_ms = u32::from(options.minutes) * 60_000;
    let durations = segment_durations(&practice.script, options.bell, length_ms, clips)?;

    let mut cues = Vec::new();
    let mut sections = Vec::with_capacity(durations.len());
    let mut at = start_ms;
    for (index, (segment, duration)) in practice.script.iter().zip(&durations).enumerate() {
        let kind = match segment {
            Segment::Bell { .. } => SectionKind::Bell,
            Segment::Cue { .. } => SectionKind::Cue,
            Segment::Silence(_) => SectionKind::Silence,
            Segment::Breath(_) => SectionKind::Breath,
        };
        let flexible = fixed_ms(segment, options.bell).is_none();
        match segment {
            Segment::Bell { role, .. } => {
                cues.push(Cue { at_ms: at, kind: CueKind::Bell { sound: options.bell, role: *role } });
            }
            Segment::Cue { text, .. } => {
                let text = fill(text.get(options.lang), options.lang, anchor, options.eyes);
                cues.push(Cue { at_ms: at, kind: CueKind::Text(text) });
            }
            Segment::Breath(_) => breaths(&cycle, max_cycles, at, *duration, &mut cues)?,
            Segment::Silence(_) => {}
        }
        sections.push(Section { segment: index, kind, flexible, start_ms: at, end_ms: at + duration });
        at += duration;
    }
    let end_ms = start_ms + length_ms;
    debug_assert_eq!(at, end_ms, "segments tile the length");
    cues.push(Cue { at_ms: end_ms, kind: CueKind::End });

    if let Some(every) = options.interval_minutes {
        add_interval_bells(&mut cues, &sections, options.bell, start_ms, every);
    }
    // Stable: cues at the same moment keep script order.
    cues.sort_by_key(|cue| cue.at_ms);
    Ok(Timeline { practice: practice.id.clone(), length_ms: end_ms, start_ms, cues, sections })
}

/// The time of a segment that does not depend on the chosen length.
pub fn fixed_ms(segment: &Segment, bell: BellSound) -> Option<u32> {
    match segment {
        Segment::Bell { ms: Some(ms), .. } | Segment::Cue { ms, .. } => Some(*ms),
        Segment::Bell { role: BellRole::Closing, ms: None } => Some(bell.ring_out_ms()),
        Segment::Bell { ms: None, .. } => Some(BELL_MS),
        Segment::Silence(Span::Fixed(ms)) | Segment::Breath(Span::Fixed(ms)) => Some(*ms),
        Segment::Silence(Span::Flexible(_)) | Segment::Breath(Span::Flexible(_)) => None,
    }
}

/// A segment's fixed time with its recording, when it has one that plays
/// longer than the written time.
fn voiced_ms(index: usize, segment: &Segment, bell: BellSound, clips: &ClipLengths) -> Option<u32> {
    let written = fixed_ms(segment, bell)?;
    Some(clips.get(&index).map_or(written, |clip| written.max(*clip)))
}

fn segment_durations(
    script: &[Segment],
    bell: BellSound,
    length_ms: u32,
    clips: &ClipLengths,
) -> Result<Vec<u32>, CompileError> {
    let fixed: u64 =
        script.iter().enumerate().filter_map(|(i, s)| voiced_ms(i, s, bell, clips)).map(u64::from).sum();
    if fixed > u64::from(length_ms) {
        return Err(CompileError::TooShort { fixed_ms: fixed as u32, length_ms });
    }
    let flexible = u64::from(length_ms) - fixed;
    let weights: Vec<u64> = script
        .iter()
        .map(|s| match s {
            Segment::Silence(Span::Flexible(w)) | Segment::Breath(Span::Flexible(w)) => u64::from(*w),
            _ => 0,
        })
        .collect();
    let shares = share(flexible, &weights);
    if weights.iter().all(|w| *w == 0) && flexible > 0 {
        // No flexible segment: the length must match the fixed parts exactly.
        return Err(CompileError::NoFlexible { length_ms });
    }
    Ok(script
        .iter()
        .enumerate()
        .zip(shares)
        .map(|((i, segment), share)| voiced_ms(i, segment, bell, clips).unwrap_or(share as u32))
        .collect())
}

/// Splits `total` in proportion to `weights`, exactly: each part is the floor of
/// its share, and the leftover units go to the largest remainders (earlier
/// first on ties). Zero weights get zero.
pub fn share(total: u64, weights: &[u64]) -> Vec<u64> {
    // u128: the products of a total and a weight may exceed u64.
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let product = |i: usize| u128::from(total) * u128::from(weights[i]);
    let mut parts: Vec<u64> = (0..weights.len()).map(|i| (product(i) / sum) as u64).collect();
    let mut leftover = total - parts.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).filter(|&i| weights[i] > 0).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(product(i) % sum));
    for i in order {
        if leftover == 0 {
            break;
        }
        parts[i] += 1;
        leftover -= 1;
    }
    parts
}

/// A phase in the words of an error message.
fn phase_words(phase: BreathPhase) -> &'static str {
    match phase {
        BreathPhase::Inhale => "a breath in",
        BreathPhase::TopUp => "a top-up breath",
        BreathPhase::HoldIn => "a hold after breathing in",
        BreathPhase::Exhale => "a breath out",
        BreathPhase::HoldOut => "a hold after breathing out",
    }
}

/// One cycle's phases in ms, after the listener's pace or phase choices.
fn breath_cycle(
    pattern: &BreathPattern,
    options: &BreathOptions,
) -> Result<Vec<(BreathPhase, u32)>, CompileError> {
    let mut seconds: Vec<f64> = pattern.phases.iter().map(|p| p.seconds).collect();
    if let Some(chosen) = &options.phase_seconds {
        if !pattern.adjustable {
            return Err(CompileError::Breath("its phases cannot be adjusted".into()));
        }
        if chosen.len() != seconds.len() {
            return Err(CompileError::Breath(format!(
                "it has {} phases, not {}",
                seconds.len(),
                chosen.len()
            )));
        }
        for (spec, chosen) in pattern.phases.iter().zip(chosen) {
            let (low, high) = spec.phase.bounds();
            if !(low..=high).contains(chosen) {
                return Err(CompileError::Breath(format!(
                    "{} of {chosen} s: choose {low} to {high} s",
                    phase_words(spec.phase)
                )));
            }
        }
        seconds = chosen.clone();
    }
    let cycle_s: f64 = seconds.iter().sum();
    let cycle_ms: f64 = seconds.iter().map(|s| (s * 1000.0).round()).sum();
    if cycle_ms < 1000.0 {
        return Err(CompileError::Breath("a breath must last at least 1 second".into()));
    }
    if let Some(bpm) = options.bpm {
        let Some([low, high]) = pattern.bpm_range else {
            return Err(CompileError::Breath("its pace cannot be chosen".into()));
        };
        if !(low..=high).contains(&bpm) {
            return Err(CompileError::Breath(format!("{bpm} breaths a minute: choose {low} to {high}")));
        }
        let scale = 60.0 / bpm / cycle_s;
        seconds.iter_mut().for_each(|s| *s *= scale);
    }
    Ok(pattern.phases.iter().zip(seconds).map(|(p, s)| (p.phase, (s * 1000.0).round() as u32)).collect())
}

/// Breath phases tiling `[at, at + duration)` exactly (see rule 3 above);
/// after `max_cycles` breaths, when the pattern has a limit, the rest is rest.
fn breaths(
    cycle: &[(BreathPhase, u32)],
    max_cycles: Option<u32>,
    at: u32,
    duration: u32,
    cues: &mut Vec<Cue>,
) -> Result<(), CompileError> {
    let cycle_ms: u64 = cycle.iter().map(|(_, ms)| u64::from(*ms)).sum();
    let duration_ms = u64::from(duration);
    if cycle_ms == 0 || duration == 0 {
        return Ok(());
    }
    if duration_ms < cycle_ms {
        return Err(CompileError::Breath(format!(
            "the breathing time ({:.1} s) is shorter than one breath ({:.1} s): choose a longer session or shorter phases",
            duration_ms as f64 / 1000.0,
            cycle_ms as f64 / 1000.0
        )));
    }
    let nearest = ((duration_ms + cycle_ms / 2) / cycle_ms).max(1);
    let stretch = duration_ms as f64 / (nearest * cycle_ms) as f64;
    let (count, span) = if (stretch - 1.0).abs() <= 0.05 {
        (nearest, duration_ms)
    } else {
        let whole = duration_ms / cycle_ms;
        (whole, whole * cycle_ms)
    };
    let (count, span) = match max_cycles.map(u64::from) {
        Some(max) if count > max => (max, max * cycle_ms),
        _ => (count, span),
    };
    // Boundaries of every phase instance, scaled so the last one is `span`.
    let scaled_total = count * cycle_ms;
    let mut elapsed_unscaled = 0u64;
    let mut previous = 0u64;
    for _ in 0..count {
        for (phase, ms) in cycle {
            elapsed_unscaled += u64::from(*ms);
            let boundary = (elapsed_unscaled * span + scaled_total / 2) / scaled_total;
            let length = boundary - previous;
            if length > 0 {
                cues.push(Cue {
                    at_ms: at + previous as u32,
                    kind: CueKind::Breath { phase: *phase, ms: length as u32 },
                });
            }
            previous = boundary;
        }
    }
    if span < duration_ms {
        // The rest of a breath: breathe out and wait for the closing words.
        cues.push(Cue {
            at_ms: at + span as u32,
            kind: CueKind::Breath { phase: BreathPhase::HoldOut, ms: (duration_ms - span) as u32 },
        });
    }
    Ok(())
}

/// Interval bells every `every` minutes from the opening bell, in flexible
/// silences, at least one ring-out from any other bell.
fn add_interval_bells(cues: &mut Vec<Cue>, sections: &[Section], bell: BellSound, start_ms: u32, every: u16) {
    let ring = u64::from(bell.ring_out_ms());
    let step = u64::from(every) * 60_000;
    let mut bells: Vec<u64> =
        cues.iter().filter(|c| matches!(c.kind, CueKind::Bell { .. })).map(|c| u64::from(c.at_ms)).collect();
    let end = u64::from(sections.last().map_or(start_ms, |s| s.end_ms));
    let mut at = u64::from(start_ms) + step;
    while at < end {
        // Only inside flexible silence, and ringing out before that silence ends,
        // so an interval bell never sounds over guidance.
        let in_silence = sections.iter().any(|s| {
            s.kind == SectionKind::Silence
                && s.flexible
                && u64::from(s.start_ms) <= at
                && at + ring <= u64::from(s.end_ms)
        });
        let clear = bells.iter().all(|b| b.abs_diff(at) >= ring) && at + ring <= end;
        if in_silence && clear {
            cues.push(Cue {
                at_ms: at as u32,
                kind: CueKind::Bell { sound: bell, role: BellRole::Interval },
            });
            bells.push(at);
        }
        at += step;
    }
}

/// Fills `{anchor}` and `{eyes}`.
pub fn fill(text: &str, lang: Lang, anchor: Option<Anchor>, eyes: Eyes) -> String {
    let mut out = text.replace("{eyes}", eyes.sentence(lang));
    if let Some(anchor) = anchor {
        out = out.replace("{anchor}", anchor.phrase(lang));
    }
    out
}

/// The placeholders a text may use.
pub const PLACEHOLDERS: [&str; 2] = ["{anchor}", "{eyes}"];

/// Something a timeline must never do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    #[error("cue {0} comes before the one ahead of it")]
    Unsorted(usize),
    #[error("cue {0} lies outside the timeline")]
    OutOfRange(usize),
    #[error("no opening bell at the start")]
    NoOpening,
    #[error("no closing bell")]
    NoClosing,
    #[error("the timeline does not end with End at its length")]
    NoEnd,
    #[error("bells at {0} ms and {1} ms are closer than the ring-out")]
    BellsTooClose(u32, u32),
    #[error("breath phases from {0} ms do not tile their section")]
    BreathGap(u32),
    #[error("sections do not tile the length")]
    Sections,
    #[error("the recording of cue {0} plays outside its section")]
    ClipOutside(usize),
    #[error("the sound from {0} ms overlaps what begins at {1} ms")]
    ClipsOverlap(u32, u32),
}

/// The lengths of `practice` (its offered minutes) that hold a recorded
/// voice of `clips`, and those that do not, each with why (which cue).
pub fn lengths_with_clips(
    practice: &Practice,
    lang: Lang,
    clips: &ClipLengths,
) -> (Vec<u16>, Vec<(u16, CompileError)>) {
    let mut offered = Vec::new();
    let mut refused = Vec::new();
    for minutes in practice.minutes.iter().copied() {
        let options = Options { minutes, ..Options::defaults(practice, lang) };
        match compile_with_clips(practice, &options, clips) {
            Ok(_) => offered.push(minutes),
            Err(error) => refused.push((minutes, error)),
        }
    }
    (offered, refused)
}

impl Timeline {
    /// When the cue at script index `segment` begins (ms), where a recorded
    /// clip of it starts playing; None when that segment is not a cue here.
    pub fn cue_start_ms(&self, segment: usize) -> Option<u32> {
        self.sections.iter().find(|s| s.segment == segment && s.kind == SectionKind::Cue).map(|s| s.start_ms)
    }

    /// Checks the invariants every timeline keeps (used by the property tests
    /// and by content validation).
    pub fn check(&self) -> Result<(), Broken> {
        for (i, pair) in self.cues.windows(2).enumerate() {
            if pair[1].at_ms < pair[0].at_ms {
                return Err(Broken::Unsorted(i + 1));
            }
        }
        if let Some(i) = self.cues.iter().position(|c| c.at_ms > self.length_ms) {
            return Err(Broken::OutOfRange(i));
        }
        let bells: Vec<(u32, BellSound, BellRole)> = self
            .cues
            .iter()
            .filter_map(|c| match c.kind {
                CueKind::Bell { sound, role } => Some((c.at_ms, sound, role)),
                _ => None,
            })
            .collect();
        match bells.first() {
            Some((at, _, BellRole::Opening)) if *at == self.start_ms => {}
            _ => return Err(Broken::NoOpening),
        }
        if !bells.iter().any(|(_, _, role)| *role == BellRole::Closing) {
            return Err(Broken::NoClosing);
        }
        for pair in bells.windows(2) {
            if pair[1].0 - pair[0].0 < pair[0].1.ring_out_ms() {
                return Err(Broken::BellsTooClose(pair[0].0, pair[1].0));
            }
        }
        if let Some((at, sound, _)) = bells.last()
            && at + sound.ring_out_ms() > self.length_ms
        {
            return Err(Broken::BellsTooClose(*at, self.length_ms));
        }
        match self.cues.last() {
            Some(Cue { at_ms, kind: CueKind::End }) if *at_ms == self.length_ms => {}
            _ => return Err(Broken::NoEnd),
        }
        let mut at = self.start_ms;
        for section in &self.sections {
            if section.start_ms != at || section.end_ms < section.start_ms {
                return Err(Broken::Sections);
            }
            at = section.end_ms;
        }
        if at != self.length_ms {
            return Err(Broken::Sections);
        }
        self.check_breaths()
    }

    /// With recordings of `clips` length: each plays inside its cue's
    /// section from its start, so none overlaps another or rings over a bell.
    pub fn check_clips(&self, clips: &ClipLengths) -> Result<(), Broken> {
        let mut spans = Vec::new();
        for (index, clip) in clips {
            let Some(section) =
                self.sections.iter().find(|s| s.segment == *index && s.kind == SectionKind::Cue)
            else {
                return Err(Broken::ClipOutside(*index));
            };
            if section.start_ms + clip > section.end_ms {
                return Err(Broken::ClipOutside(*index));
            }
            spans.push((section.start_ms, section.start_ms + clip));
        }
        spans.sort_unstable();
        for pair in spans.windows(2) {
            if pair[1].0 < pair[0].1 {
                return Err(Broken::ClipsOverlap(pair[0].0, pair[1].0));
            }
        }
        for cue in &self.cues {
            if let CueKind::Bell { .. } = cue.kind
                && let Some(span) = spans.iter().find(|(start, end)| *start <= cue.at_ms && cue.at_ms < *end)
            {
                return Err(Broken::ClipsOverlap(span.0, cue.at_ms));
            }
        }
        Ok(())
    }

    /// Inside every breath section, the breath cues follow each other without
    /// gap from its start to its end; there are none elsewhere.
    fn check_breaths(&self) -> Result<(), Broken> {
        let breaths: Vec<(u32, u32)> = self
            .cues
            .iter()
            .filter_map(|c| match c.kind {
                CueKind::Breath { ms, .. } => Some((c.at_ms, ms)),
                _ => None,
            })
            .collect();
        let mut accounted = 0;
        for section in self.sections.iter().filter(|s| s.kind == SectionKind::Breath) {
            let inside: Vec<&(u32, u32)> =
                breaths.iter().filter(|(at, _)| section.start_ms <= *at && *at < section.end_ms).collect();
            let mut at = section.start_ms;
            for (start, ms) in &inside {
                if *start != at {
                    return Err(Broken::BreathGap(at));
                }
                at += ms;
            }
            if !inside.is_empty() && at != section.end_ms {
                return Err(Broken::BreathGap(section.start_ms));
            }
            accounted += inside.len();
        }
        if accounted == breaths.len() { Ok(()) } else { Err(Broken::BreathGap(0)) }
    }

    /// The breath cues' total length.
    pub fn breath_ms(&self) -> u64 {
        self.cues
            .iter()
            .map(|c| match c.kind {
                CueKind::Breath { ms, .. } => u64::from(ms),
                _ => 0,
            })
            .sum()
    }
}

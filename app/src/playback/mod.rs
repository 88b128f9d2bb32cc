//! A playing of a timeline, as the player and the audio lab both use it. The
//! decisions are plain Rust here: what one reading of the player's clock
//! asks for (guidance to show and to say, the pacer's phase, a buzz, the
//! end, a save), the pacer's size, and where a playing stood for a reload to
//! resume it. [`web`] holds the browser side: one [`web::Session`] that
//! prepares the player, starts it inside the tap, follows its clock, speaks,
//! buzzes, and saves on `pagehide`.

#[cfg(target_arch = "wasm32")]
pub mod web;

use serde::{Deserialize, Serialize};
use stille_practice::BreathPhase;
use stille_practice::Timeline;
use stille_practice::follow::{Follower, vibration};
use stille_practice::log::{Ending, Entry};

use crate::i18n::Key;

/// How often a playing position is saved for resuming, at most.
pub const SAVE_EVERY_MS: f64 = 1_000.0;

/// What one reading of the clock asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tick {
    /// The guidance on screen now ("" when none yet).
    pub guidance: String,
    /// Guidance to read aloud now.
    pub speak: Option<String>,
    /// The breath phase under way and how far through it (0..1).
    pub breath: Option<(BreathPhase, f64)>,
    /// A buzz pattern (ms on, off, …) for a breath phase that just began.
    pub buzz: &'static [u32],
    /// The timeline has ended (reported once).
    pub ended: bool,
    /// Time to save where the playing stands.
    pub save: bool,
}

/// Follows one timeline by the player's clock, remembering what it reported.
#[derive(Clone, Debug)]
pub struct Follow {
    follower: Follower,
    last_phase: Option<BreathPhase>,
    last_saved_ms: f64,
    ended: bool,
}

impl Follow {
    pub fn new(timeline: &Timeline) -> Follow {
        Follow {
            follower: Follower::new(timeline),
            last_phase: None,
            last_saved_ms: f64::NEG_INFINITY,
            ended: false,
        }
    }

    /// One reading: `clock_ms` on the player's clock, `sounding` whether it
    /// plays now, `wall_ms` the wall clock (for saving). Speech and buzzes
    /// only while sounding.
    pub fn tick(&mut self, timeline: &Timeline, clock_ms: f64, sounding: bool, wall_ms: f64) -> Tick {
        let now = self.follower.at(timeline, clock_ms);
        let phase = now.breath.map(|(p, _)| p);
        let began = (phase != self.last_phase).then_some(phase).flatten();
        self.last_phase = phase;
        let ended = now.ended && !self.ended;
        self.ended |= now.ended;
        let save = sounding && !self.ended && wall_ms - self.last_saved_ms >= SAVE_EVERY_MS;
        if save {
            self.last_saved_ms = wall_ms;
        }
        Tick {
            guidance: now.text.unwrap_or_default().to_owned(),
            speak: now.speak.filter(|_| sounding).map(str::to_owned),
            breath: now.breath,
            buzz: began.filter(|_| sounding).map_or(&[], vibration),
            ended,
            save,
        }
    }
}

/// How large the pacer's circle is (0.55–1.0) through a phase, eased so it
/// starts and ends each breath slowly.
pub fn pacer_scale(phase: BreathPhase, progress: f64) -> f64 {
    let eased = (1.0 - (progress.clamp(0.0, 1.0) * std::f64::consts::PI).cos()) / 2.0;
    match phase {
        BreathPhase::Inhale => 0.55 + 0.4 * eased,
        BreathPhase::TopUp => 0.95 + 0.05 * eased,
        BreathPhase::HoldIn => 1.0,
        BreathPhase::Exhale => 1.0 - 0.45 * eased,
        BreathPhase::HoldOut => 0.55,
    }
}

/// The word the pacer shows for a phase.
pub fn phase_key(phase: BreathPhase) -> Key {
    match phase {
        BreathPhase::Inhale => Key::BreathIn,
        BreathPhase::TopUp => Key::BreathTopUp,
        BreathPhase::HoldIn => Key::BreathHoldIn,
        BreathPhase::Exhale => Key::BreathOut,
        BreathPhase::HoldOut => Key::BreathHoldOut,
    }
}

/// The log entry brought up to the player's clock (`clock_ms`) and, when
/// given, its ending; None when it was already closed (a playing ends once).
/// A completed playing counts its whole length.
pub fn progressed(
    entry: &Entry,
    clock_ms: f64,
    length_ms: u32,
    ending: Option<Ending>,
    now_ms: i64,
) -> Option<Entry> {
    if entry.ending.is_some() {
        return None;
    }
    let clock = (clock_ms.max(0.0) as u32).min(length_ms);
    let practised = if ending == Some(Ending::Completed) { length_ms } else { clock };
    Some(Entry {
        practised_ms: entry.practised_ms.max(practised),
        ending,
        updated_at_ms: now_ms.max(entry.started_at_ms),
        ..entry.clone()
    })
}

/// Where a playing stood, kept so a reload resumes it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resume {
    /// The player's address (path and query): which practice, which options.
    pub at: String,
    pub position_ms: f64,
    /// The log entry being written for this playing.
    #[serde(default)]
    pub entry: Option<Entry>,
    /// When this was saved (ms since 1970 UTC).
    #[serde(default)]
    pub saved_at_ms: f64,
}

/// A playing not resumed within this long is not offered again.
pub const STALE_MS: f64 = 3.0 * 3_600_000.0;

impl Resume {
    /// Where to resume the playing at `address` (`length_ms` long) at
    /// `now_ms`, and its log entry while still open; None when this record
    /// is for another address, stale, or out of range.
    pub fn usable(self, address: &str, length_ms: u32, now_ms: f64) -> Option<(f64, Option<Entry>)> {
        let entry = self.entry.filter(|e| e.check().is_ok() && e.ending.is_none());
        (self.at == address
            && now_ms - self.saved_at_ms < STALE_MS
            && self.position_ms.is_finite()
            && (0.0..f64::from(length_ms)).contains(&self.position_ms))
        .then_some((self.position_ms, entry))
    }
}

#[cfg(test)]
mod tests;

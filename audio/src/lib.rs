//! Stille's sound. Synthesis of bells, bowls, chimes and breath tones as pure,
//! deterministic DSP that is tested natively with no browser; rendering a
//! practice's timeline to a soundtrack with every sound at its exact sample; and,
//! behind `cfg(target_arch = "wasm32")`, the browser side (Web Audio, the media
//! element, Wake Lock, Media Session).
//!
//! It must never decide *when* a cue happens (that is `stille_practice`'s
//! timeline) and never fire a sound from a JavaScript timer: everything audible is
//! placed on an audio clock ahead of time.
//!
//! One module per DSP idea: `envelope` (how a strike fades), `bell` (the partials
//! of a singing bowl).

pub mod bell;
pub mod envelope;

/// The sample rate every sound is rendered at, in Hz.
pub const SAMPLE_RATE: u32 = 48_000;

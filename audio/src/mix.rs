//! A practice's timeline rendered into one soundtrack: every bell and breath
//! tone at its exact sample, recorded voice clips at their cues, and an optional
//! ambient bed, drawn block by block so a 45-minute session never has to be in
//! memory as PCM.

use stille_practice::{
    BreathPhase, ClipLengths, CompileError, CueKind, Options, Practice, Timeline, compile_with_clips,
};

use crate::noise::{Colour, Noise};
use crate::sounds::{self, AMBIENT_RMS_DB, Sound, db};
use crate::tone::Direction;

/// A recorded voice: each clip (mono samples at the soundtrack's rate) with
/// the time it begins, in ms from the start of the timeline.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Voice(pub std::sync::Arc<Vec<(u32, Vec<f32>)>>);

impl Voice {
    /// Lays `practice` out around recorded clips (cue index → mono samples at
    /// `sample_rate`): each cue takes at least its clip's time (see
    /// [`stille_practice::compile_with_clips`]), and each clip starts where
    /// its cue begins.
    pub fn lay_out(
        practice: &Practice,
        options: &Options,
        clips: Vec<(usize, Vec<f32>)>,
        sample_rate: u32,
    ) -> Result<(Timeline, Voice), CompileError> {
        let lengths: ClipLengths = clips
            .iter()
            .map(|(index, samples)| {
                (*index, (samples.len() as u64 * 1000).div_ceil(u64::from(sample_rate)) as u32)
            })
            .collect();
        let timeline = compile_with_clips(practice, options, &lengths)?;
        let placed = clips
            .into_iter()
            .filter_map(|(index, samples)| Some((timeline.cue_start_ms(index)?, samples)))
            .collect();
        Ok((timeline, Voice(std::sync::Arc::new(placed))))
    }
}

/// How a soundtrack is made.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// 24 kHz keeps every partial we synthesise and halves the size of 48 kHz.
    pub sample_rate: u32,
    /// A soft tone at each in- and out-breath.
    pub breath_tones: bool,
    pub ambient: Option<Colour>,
    /// The teacher's recorded cues, placed on their samples like the bells.
    pub voice: Voice,
}

impl Default for Config {
    fn default() -> Config {
        Config { sample_rate: 24_000, breath_tones: true, ambient: None, voice: Voice::default() }
    }
}

/// One sound placed in the soundtrack.
#[derive(Clone, Debug, PartialEq)]
pub struct Onset {
    /// Sample index where the sound begins.
    pub at: u64,
    /// Index into the rendered sounds.
    sound: usize,
    pub what: Sound,
}

/// A soundtrack being drawn, block by block.
#[derive(Debug)]
pub struct Soundtrack {
    sample_rate: u32,
    length: u64,
    position: u64,
    onsets: Vec<Onset>,
    sounds: Vec<Vec<f32>>,
    /// Onsets from `next_onset` on have not started yet.
    next_onset: usize,
    /// Onsets that may still be sounding.
    active: Vec<usize>,
    ambient: Option<Noise>,
}

/// The seed of the ambient bed's noise: the same session always sounds the same.
pub const BED_SEED: u32 = 0x0057_171e;
/// How long the bed fades in at a session's start and out at its end, so it
/// never starts or stops abruptly.
pub const BED_FADE_MS: f64 = 5_000.0;
/// How long the looped bed of the media player is: long enough that no
/// pattern in the noise can be heard repeating, short enough to be made in a
/// moment (about 1.3 MB of FLAC at 24 kHz).
pub const BED_LOOP_S: f64 = 30.0;

/// The bed's linear level in the mix (its generator's RMS is about 1/4).
pub fn bed_level() -> f64 {
    db(AMBIENT_RMS_DB) * 4.0
}

/// How loud the bed is (0–1 of its level) at `ms` into a session `length_ms`
/// long: the fades in and out, shortened to half the session for a short one.
pub fn bed_fade(ms: f64, length_ms: f64) -> f64 {
    let fade = BED_FADE_MS.min(length_ms / 2.0);
    if fade <= 0.0 {
        return 0.0;
    }
    (ms.min(length_ms - ms).min(fade) / fade).clamp(0.0, 1.0)
}

/// The ambient bed as a seamless loop at its level in the mix: what the media
/// player loops beside a soundtrack drawn without it, instead of drawing (and
/// encoding) a whole session of noise, which costs about 30 KB a second and
/// as many seconds of work on a phone as there are minutes of practice.
pub fn bed_loop(colour: Colour, sample_rate: u32) -> Vec<f32> {
    crate::noise::seamless_loop(colour, BED_SEED, sample_rate, BED_LOOP_S, bed_level())
}

/// A sample index for a millisecond offset: exact at 24 and 48 kHz.
pub fn sample_at(ms: u32, sample_rate: u32) -> u64 {
    u64::from(ms) * u64::from(sample_rate) / 1000
}

impl Soundtrack {
    pub fn new(timeline: &Timeline, config: &Config) -> Soundtrack {
        let mut track = Soundtrack {
            sample_rate: config.sample_rate,
            length: sample_at(timeline.length_ms, config.sample_rate),
            position: 0,
            onsets: Vec::new(),
            sounds: Vec::new(),
            next_onset: 0,
            active: Vec::new(),
            ambient: config.ambient.map(|colour| Noise::new(colour, BED_SEED)),
        };
        for cue in &timeline.cues {
            let sound = match cue.kind {
                CueKind::Bell { sound, .. } => Some(Sound::Bell(sound)),
                CueKind::Breath { phase, ms } if config.breath_tones => match phase {
                    BreathPhase::Inhale | BreathPhase::TopUp => {
                        Some(Sound::Breath(sounds::breath_tone(Direction::In, ms)))
                    }
                    BreathPhase::Exhale => Some(Sound::Breath(sounds::breath_tone(Direction::Out, ms))),
                    BreathPhase::HoldIn | BreathPhase::HoldOut => None,
                },
                _ => None,
            };
            if let Some(sound) = sound {
                track.place(sample_at(cue.at_ms, config.sample_rate), sound, None);
            }
        }
        for (at_ms, samples) in config.voice.0.iter() {
            track.add_clip(*at_ms, samples.clone());
        }
        track
    }

    /// Adds decoded speech (mono, at this soundtrack's rate) at `at_ms`.
    pub fn add_clip(&mut self, at_ms: u32, samples: Vec<f32>) {
        let at = sample_at(at_ms, self.sample_rate);
        self.place(at, Sound::Clip, Some(samples));
    }

    fn place(&mut self, at: u64, what: Sound, clip: Option<Vec<f32>>) {
        let index = match clip {
            Some(samples) => {
                self.sounds.push(samples);
                self.sounds.len() - 1
            }
            None => match self.onsets.iter().find(|o| o.what == what) {
                Some(existing) => existing.sound,
                None => {
                    self.sounds.push(sounds::render(what, self.sample_rate));
                    self.sounds.len() - 1
                }
            },
        };
        let onset = Onset { at, sound: index, what };
        // Keep onsets sorted by time (clips may arrive in any order).
        let position = self.onsets.partition_point(|o| o.at <= at);
        self.onsets.insert(position, onset);
    }

    /// Where every sound begins.
    pub fn onsets(&self) -> &[Onset] {
        &self.onsets
    }

    /// The samples of an onset's sound (at this soundtrack's rate and level).
    pub fn samples(&self, onset: &Onset) -> &[f32] {
        &self.sounds[onset.sound]
    }

    /// Each distinct sound once, with the onsets that use it: what a player
    /// needs to schedule the soundtrack instead of drawing it. The indices are
    /// into `onsets()`.
    pub fn distinct_sounds(&self) -> Vec<(&[f32], Vec<usize>)> {
        let mut out: Vec<(&[f32], Vec<usize>)> = Vec::new();
        let mut slot_of = vec![None; self.sounds.len()];
        for (i, onset) in self.onsets.iter().enumerate() {
            let slot = *slot_of[onset.sound].get_or_insert_with(|| {
                out.push((&self.sounds[onset.sound], Vec::new()));
                out.len() - 1
            });
            out[slot].1.push(i);
        }
        out
    }

    /// The ambient bed's colour and linear level, if it has one.
    pub fn ambient(&self) -> Option<(Colour, f64)> {
        self.ambient.as_ref().map(|noise| (noise.colour(), bed_level()))
    }

    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// Total length in samples.
    pub fn len(&self) -> u64 {
        self.length
    }

    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Samples drawn so far.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Fills `out` with the next samples; returns how many were written (less
    /// than `out.len()` only at the end).
    pub fn render(&mut self, out: &mut [f32]) -> usize {
        let remaining = self.length - self.position;
        let count = (out.len() as u64).min(remaining) as usize;
        let out = &mut out[..count];
        let start = self.position;
        let end = start + count as u64;
        out.fill(0.0);

        while self.next_onset < self.onsets.len() && self.onsets[self.next_onset].at < end {
            self.active.push(self.next_onset);
            self.next_onset += 1;
        }
        let (onsets, sounds) = (&self.onsets, &self.sounds);
        self.active.retain(|&i| {
            let onset = &onsets[i];
            let sound = &sounds[onset.sound];
            let sound_end = onset.at + sound.len() as u64;
            let from = start.max(onset.at);
            let to = end.min(sound_end);
            if from < to {
                let into = &mut out[(from - start) as usize..(to - start) as usize];
                let sound = &sound[(from - onset.at) as usize..(to - onset.at) as usize];
                for (o, s) in into.iter_mut().zip(sound) {
                    *o += *s;
                }
            }
            sound_end > end
        });

        if let Some(noise) = &mut self.ambient {
            let level = bed_level();
            let (rate, length_ms) =
                (f64::from(self.sample_rate), self.length as f64 * 1000.0 / f64::from(self.sample_rate));
            for (i, sample) in out.iter_mut().enumerate() {
                let ms = (start + i as u64) as f64 * 1000.0 / rate;
                *sample += (noise.next_sample() * level * bed_fade(ms, length_ms)) as f32;
            }
        }
        self.position = end;
        count
    }

    /// How many samples from here on are silent: none while a sound rings
    /// or with an ambient bed, else up to the next onset (or the end).
    pub fn quiet_ahead(&self) -> u64 {
        if self.ambient.is_some() || !self.active.is_empty() {
            return 0;
        }
        let next = self.onsets.get(self.next_onset).map_or(self.length, |o| o.at.min(self.length));
        next.saturating_sub(self.position)
    }

    /// Passes over `count` silent samples (at most [`Self::quiet_ahead`])
    /// without drawing them.
    fn pass_quiet(&mut self, count: u64) {
        self.position += count.min(self.quiet_ahead());
    }

    /// Moves on to sample `to` (drawing what lies before it and dropping
    /// it, so a sound already ringing there and the ambient bed continue
    /// exactly as in the whole soundtrack; silence is passed over).
    pub fn skip(&mut self, to: u64) {
        let mut scratch = vec![0f32; 8_192];
        while self.position < to.min(self.length) {
            let left = to.min(self.length) - self.position;
            let quiet = self.quiet_ahead().min(left);
            if quiet > 0 {
                self.pass_quiet(quiet);
                continue;
            }
            let n = (left as usize).min(scratch.len());
            self.render(&mut scratch[..n]);
        }
    }

    /// Draws the rest of the soundtrack as runs: drawn samples, at most
    /// `block` at a time, and stretches of silence told by their length
    /// (most of a timer or a guided practice: passing over them is what
    /// makes a long session quick to prepare).
    pub fn for_each_run(&mut self, block: usize, mut each: impl FnMut(Run<'_>)) {
        let mut buffer = vec![0f32; block.max(1)];
        let mut pcm = vec![0i16; block.max(1)];
        while self.position < self.length {
            let quiet = self.quiet_ahead();
            if quiet > 0 {
                self.pass_quiet(quiet);
                each(Run::Silence(quiet));
                continue;
            }
            // Up to the next onset at most, so silence after this block's
            // sounds end can be passed over too.
            let n = self.render(&mut buffer);
            if n == 0 {
                break;
            }
            for (q, s) in pcm.iter_mut().zip(&buffer[..n]) {
                *q = to_i16(*s);
            }
            each(Run::Samples(&pcm[..n]));
        }
    }
}

/// A stretch of a soundtrack as [`Soundtrack::for_each_run`] gives it.
#[derive(Debug, PartialEq)]
pub enum Run<'a> {
    Samples(&'a [i16]),
    Silence(u64),
}

/// A float sample to 16 bits, rounded (the levels leave headroom, so the clamp
/// never acts on a soundtrack).
pub fn to_i16(sample: f32) -> i16 {
    (sample.clamp(-1.0, 1.0) * 32767.0).round() as i16
}

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
            ambient: config.ambient.map(|colour| Noise::new(colour, 0x0057_171e)),
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
        self.ambient.as_ref().map(|noise| (noise.colour(), db(AMBIENT_RMS_DB) * 4.0))
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
            for t in from..to {
                out[(t - start) as usize] += sound[(t - onset.at) as usize];
            }
            sound_end > end
        });

        if let Some(noise) = &mut self.ambient {
            let level = db(AMBIENT_RMS_DB) * 4.0; // the generator's RMS is about 1/4
            // Five-second fades in and out, so the bed never starts or stops abruptly.
            let fade = 5 * u64::from(self.sample_rate);
            for (i, sample) in out.iter_mut().enumerate() {
                let t = start + i as u64;
                let edge = t.min(self.length - t).min(fade) as f64 / fade as f64;
                *sample += (noise.next_sample() * level * edge) as f32;
            }
        }
        self.position = end;
        count
    }

    /// Moves on to sample `to` (drawing what lies before it and dropping
    /// it, so a sound already ringing there and the ambient bed continue
    /// exactly as in the whole soundtrack).
    pub fn skip(&mut self, to: u64) {
        let mut scratch = vec![0f32; 8_192];
        while self.position < to.min(self.length) {
            let n = ((to - self.position) as usize).min(scratch.len());
            self.render(&mut scratch[..n]);
        }
    }

    /// Draws the rest of the soundtrack as 16-bit samples, `block` at a time.
    pub fn for_each_block(&mut self, block: usize, mut each: impl FnMut(&[i16])) {
        let mut buffer = vec![0f32; block.max(1)];
        let mut pcm = vec![0i16; block.max(1)];
        loop {
            let n = self.render(&mut buffer);
            if n == 0 {
                break;
            }
            for (q, s) in pcm.iter_mut().zip(&buffer[..n]) {
                *q = to_i16(*s);
            }
            each(&pcm[..n]);
        }
    }
}

/// A float sample to 16 bits, rounded (the levels leave headroom, so the clamp
/// never acts on a soundtrack).
pub fn to_i16(sample: f32) -> i16 {
    (sample.clamp(-1.0, 1.0) * 32767.0).round() as i16
}

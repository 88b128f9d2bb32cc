//! Stille's sound. Synthesis of bells, bowls, chimes, a wooden knock, breath
//! tones and noise as pure, deterministic DSP that is tested natively with no
//! browser; and rendering a practice's [`Timeline`](stille_practice::Timeline)
//! to a soundtrack with every sound at its exact sample, encoded as FLAC while
//! it is drawn; and, behind `cfg(target_arch = "wasm32")`, playing it in a
//! media element with Media Session controls and a screen wake lock.
//!
//! It must never decide *when* a cue happens (that is the timeline's job) and
//! never fire a sound from a JavaScript timer: everything audible is placed on
//! an audio clock ahead of time.
//!
//! One module per DSP idea: `envelope` (how a strike fades), `bell` (modal
//! synthesis of struck bodies), `tone` (breath tones), `noise` (pink and brown
//! beds), `sounds` (each sound rendered once, at matched levels), `mix` (the
//! soundtrack, block by block), `flac` (the encoder), `wav` (for listening),
//! `lab` (the diagnostic timeline), `mode` (which way a browser plays), `web`
//! (the browser players).

pub mod bell;
pub mod envelope;
pub mod flac;
pub mod lab;
pub mod mix;
pub mod mode;
pub mod noise;
pub mod sounds;
pub mod tone;
pub mod wav;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use mix::{Config, Soundtrack, Voice};

use stille_practice::Timeline;

/// The timeline as a complete FLAC file, drawn and encoded block by block.
pub fn soundtrack_flac(timeline: &Timeline, config: &Config) -> Result<Vec<u8>, flac::FlacError> {
    soundtrack_flac_from(timeline, config, 0).map(|(bytes, _)| bytes)
}

/// The ambient bed's seamless loop ([`mix::bed_loop`]) as a FLAC file.
pub fn bed_loop_flac(colour: noise::Colour, sample_rate: u32) -> Result<Vec<u8>, flac::FlacError> {
    let samples = mix::bed_loop(colour, sample_rate);
    let mut encoder = flac::Encoder::new(sample_rate, samples.len() as u64)?;
    let mut block = Vec::with_capacity(flac::BLOCK);
    for chunk in samples.chunks(flac::BLOCK) {
        block.clear();
        block.extend(chunk.iter().map(|s| mix::to_i16(*s)));
        encoder.push(&block);
    }
    encoder.finish()
}

/// The timeline from `from_ms` on as a FLAC file, and the position (in
/// samples) it starts at: exactly the samples the whole soundtrack has from
/// there. A playing resumed after a reload starts its media element at 0
/// instead of seeking it, because a media element cannot be trusted to seek
/// in a FLAC file: Firefox's demuxer guesses the byte position from the
/// average frame length of the frames read so far, and with a soundtrack that
/// is mostly near-free silence it guesses past the end and stops.
pub fn soundtrack_flac_from(
    timeline: &Timeline,
    config: &Config,
    from_ms: u32,
) -> Result<(Vec<u8>, u64), flac::FlacError> {
    let (parts, start) = soundtrack_flac_parts_from(timeline, config, from_ms)?;
    Ok((parts.concat(), start))
}

/// [`soundtrack_flac_from`] in the encoder's parts (about a megabyte each,
/// in order), so a long soundtrack is never copied into one buffer: a
/// browser makes its Blob of the parts.
pub fn soundtrack_flac_parts_from(
    timeline: &Timeline,
    config: &Config,
    from_ms: u32,
) -> Result<(Vec<Vec<u8>>, u64), flac::FlacError> {
    let mut track = Soundtrack::new(timeline, config);
    let start = mix::sample_at(from_ms, config.sample_rate).min(track.len());
    track.skip(start);
    let mut encoder = flac::Encoder::new(config.sample_rate, track.len() - start)?;
    track.for_each_run(flac::BLOCK, |run| match run {
        mix::Run::Samples(pcm) => encoder.push(pcm),
        mix::Run::Silence(count) => encoder.push_silence(count),
    });
    Ok((encoder.finish_parts()?, start))
}

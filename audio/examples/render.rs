//! Writes every sound, and a few practices' soundtracks, as WAV files to listen
//! to: `cargo run -p stille-audio --example render -- target/sounds`.

use std::path::PathBuf;

use stille_audio::mix::{Config, Soundtrack, to_i16};
use stille_audio::noise::{Colour, Noise};
use stille_audio::sounds::{self, Sound, db};
use stille_audio::tone::{BreathTone, Direction};
use stille_audio::wav::wav;
use stille_practice::{BellSound, Lang, Options, catalog, compile};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/sounds".into()));
    std::fs::create_dir_all(&dir)?;
    let rate = 48_000;
    let write = |name: &str, samples: &[f32], rate: u32| -> std::io::Result<()> {
        let pcm: Vec<i16> = samples.iter().copied().map(to_i16).collect();
        std::fs::write(dir.join(format!("{name}.wav")), wav(&pcm, rate))
    };
    for bell in BellSound::ALL {
        write(&format!("bell-{bell:?}").to_lowercase(), &sounds::render(Sound::Bell(bell), rate), rate)?;
    }
    for direction in [Direction::In, Direction::Out] {
        let tone = BreathTone { direction, length_s: 1.0 };
        write(
            &format!("breath-{direction:?}").to_lowercase(),
            &sounds::render(Sound::Breath(tone), rate),
            rate,
        )?;
    }
    for colour in [Colour::Pink, Colour::Brown] {
        let mut noise = Noise::new(colour, 1);
        let samples: Vec<f32> = (0..rate * 5).map(|_| (noise.next_sample() * db(-20.0)) as f32).collect();
        write(&format!("noise-{colour:?}").to_lowercase(), &samples, rate)?;
    }
    for (id, minutes) in [("breathing-resonance", 3), ("mbct-breathing-space", 3)] {
        let practice = catalog().get(id).ok_or("practice missing")?;
        let timeline = compile(practice, &Options { minutes, ..Options::defaults(practice, Lang::Da) })?;
        let mut track =
            Soundtrack::new(&timeline, &Config { ambient: Some(Colour::Brown), ..Config::default() });
        let mut samples = vec![0f32; track.len() as usize];
        track.render(&mut samples);
        write(id, &samples, track.sample_rate())?;
    }
    // The lab's test soundtrack as the browser gets it.
    let lab = stille_audio::lab::bell_every(2_000, 180, 20, BellSound::Chime);
    std::fs::write(dir.join("lab-bells.flac"), stille_audio::soundtrack_flac(&lab, &Config::default())?)?;
    println!("wrote WAV and FLAC files to {}", dir.display());
    Ok(())
}

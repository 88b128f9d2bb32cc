//! What a browser really plays, recorded outside it: a PulseAudio server of
//! the test's own with a null sink (it plays at the system clock's pace into
//! nothing), the browser pointed at it, and `parec` recording the sink's
//! monitor. Onsets are then found in the recording.
//!
//! The page's own measurement (an AudioWorklet on an AudioContext) is only
//! as good as that context: WebKit interrupts a hidden page's context, and
//! with it any route through it. A recording does not depend on the page.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tempfile::TempDir;

/// The recording's format: 16-bit mono at 48 kHz.
pub const RATE: u32 = 48_000;

/// A PulseAudio server with one null sink, for one test.
#[derive(Debug)]
pub struct SoundServer {
    child: Child,
    /// `unix:<socket>`, for `PULSE_SERVER`.
    pub address: String,
    dir: TempDir,
}

fn program(variable: &str, name: &str) -> PathBuf {
    std::env::var_os(variable).map_or_else(|| PathBuf::from(name), PathBuf::from)
}

impl SoundServer {
    /// Starts PulseAudio (`STILLE_PULSEAUDIO`, set by `cargo xtask test`, or
    /// `pulseaudio` on the path) with its socket in a temporary directory.
    pub fn start() -> Result<SoundServer> {
        let dir = TempDir::new()?;
        let socket = dir.path().join("pulse.sock");
        let mut child = Command::new(program("STILLE_PULSEAUDIO", "pulseaudio"))
            .args([
                "-n",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--disallow-exit",
                "--load=module-null-sink sink_name=out rate=48000",
            ])
            .arg(format!("--load=module-native-protocol-unix auth-anonymous=1 socket={}", socket.display()))
            .env("XDG_RUNTIME_DIR", dir.path())
            .env("HOME", dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start PulseAudio (STILLE_PULSEAUDIO; cargo xtask test installs it)")?;
        let started = Instant::now();
        while !socket.exists() {
            if child.try_wait()?.is_some() || started.elapsed() > Duration::from_secs(10) {
                let _ = child.kill();
                bail!("PulseAudio did not start: its socket {} never appeared", socket.display());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(SoundServer { child, address: format!("unix:{}", socket.display()), dir })
    }

    /// Starts recording what is played into the sink.
    pub fn record(&self) -> Result<Recording> {
        let path = self.dir.path().join(format!("recording-{}.raw", std::process::id()));
        let file = std::fs::File::create(&path)?;
        let child = Command::new(program("STILLE_PAREC", "parec"))
            .args(["--device=out.monitor", "--format=s16le", "--rate=48000", "--channels=1", "--raw"])
            // Small fragments: the recording keeps pace with the sink.
            .arg("--latency-msec=10")
            .env("PULSE_SERVER", &self.address)
            .stdout(file)
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start parec (STILLE_PAREC; part of Debian's pulseaudio-utils)")?;
        Ok(Recording { child, path })
    }
}

impl Drop for SoundServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A recording under way.
#[derive(Debug)]
pub struct Recording {
    child: Child,
    path: PathBuf,
}

impl Recording {
    /// Stops and returns the samples recorded.
    pub fn stop(mut self) -> Result<Vec<i16>> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        read_samples(&self.path)
    }
}

fn read_samples(path: &Path) -> Result<Vec<i16>> {
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read the recording {}", path.display()))?;
    Ok(bytes.chunks_exact(2).map(|pair| i16::from_le_bytes([pair[0], pair[1]])).collect())
}

/// Where sounds start in `samples` (s from the recording's start): the first
/// sample above `threshold` (of full scale) after at least `quiet_s` of
/// nothing above it. A bell's attack is sharp, so this finds the same point
/// of every bell to within a sample or two.
pub fn onsets(samples: &[i16], threshold: f64, quiet_s: f64) -> Vec<f64> {
    let level = (threshold * f64::from(i16::MAX)) as i32;
    let quiet = (quiet_s * f64::from(RATE)) as usize;
    let mut found = Vec::new();
    let mut last_loud: Option<usize> = None;
    for (i, &sample) in samples.iter().enumerate() {
        if i32::from(sample).abs() < level {
            continue;
        }
        if last_loud.is_none_or(|last| i - last > quiet) {
            found.push(i as f64 / f64::from(RATE));
        }
        last_loud = Some(i);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn burst(samples: &mut [i16], at_s: f64, length_s: f64) {
        let start = (at_s * f64::from(RATE)) as usize;
        let end = start + (length_s * f64::from(RATE)) as usize;
        for (n, sample) in samples[start..end].iter_mut().enumerate() {
            // A sine rising over 5 ms, as a struck bell does.
            let rise = (n as f64 / (0.005 * f64::from(RATE))).min(1.0);
            *sample = (rise * 20_000.0 * (n as f64 * 0.1).sin()) as i16;
        }
    }

    #[test]
    fn onsets_are_found_where_sound_starts_after_quiet() {
        let mut samples = vec![0i16; 10 * RATE as usize];
        burst(&mut samples, 1.0, 2.0);
        burst(&mut samples, 3.1, 0.5); // too soon after the first: its tail
        burst(&mut samples, 6.25, 1.0);
        let found = onsets(&samples, 0.01, 1.0);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!((found[0] - 1.0).abs() < 0.001, "{found:?}");
        assert!((found[1] - 6.25).abs() < 0.001, "{found:?}");
    }

    #[test]
    fn a_recording_of_silence_has_no_onsets() {
        let mut samples = vec![0i16; RATE as usize];
        samples[100] = 40; // a stray sample below the level
        assert!(onsets(&samples, 0.01, 1.0).is_empty());
    }
}

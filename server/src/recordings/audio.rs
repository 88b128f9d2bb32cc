//! Checking and converting an uploaded sound file, with the field's standard
//! tool: ffmpeg (and ffprobe) from the distribution, run as child processes
//! so a malformed file can crash nothing but that process.
//!
//! An upload is judged by its content, never by its name or header: ffprobe
//! says what it is; a full decode (which also measures its loudness, EBU
//! R128) finds damage and a file that ends early; then it is converted to
//! the one format every phone plays — MP3, mono, 24 kHz, 48 kbit/s (speech
//! quality: 45 minutes are 16 MB) — at one loudness, so every teacher sits at
//! the same level against the bells.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;

use serde::Deserialize;
use tokio::process::Command;
use tokio::sync::Semaphore;

/// The loudness every recording is brought to (EBU R128 integrated, LUFS):
/// a little under the streaming services' -16 for phones, so the bells
/// (peaking near -6 dBFS) stay clear above the voice.
pub const TARGET_LUFS: f64 = -18.0;
/// At most this much gain or attenuation (dB): a whisper-quiet take is
/// raised, but not until its noise floor roars.
const MAX_GAIN_DB: f64 = 20.0;
/// Quieter than this (integrated, LUFS) is silence or a microphone that was
/// not on.
const SILENT_LUFS: f64 = -60.0;
/// A file that decodes this much (ms) shorter than its header says ended
/// early: the upload or the export was cut off.
const SHORTER_THAN_SAID_MS: i64 = 1_000;

/// The formats taken, as ffprobe names their containers.
const CONTAINERS: &[&str] = &["mp3", "mov", "mp4", "m4a", "wav", "flac", "ogg", "matroska", "webm", "aac"];

/// Why a file is refused, in words for the person who sent it.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("{0}")]
    File(String),
    #[error("converting the recording failed: {0}")]
    Tool(String),
}

fn refuse(message: impl Into<String>) -> Refusal {
    Refusal::File(message.into())
}

/// ffmpeg and ffprobe, and how many conversions may run at once.
#[derive(Debug)]
pub struct Tools {
    ffmpeg: PathBuf,
    ffprobe: PathBuf,
    turns: Arc<Semaphore>,
}

/// What ffprobe read from a file's header.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    /// The container, as ffprobe names it (`mp3`, `mov,mp4,m4a,3gp,3g2,mj2`).
    pub container: String,
    /// The length the header gives, when it gives one (a browser's WebM
    /// recording does not).
    pub said_ms: Option<i64>,
}

/// The converted file.
#[derive(Clone, Debug, PartialEq)]
pub struct Converted {
    pub duration_ms: i64,
    /// The upload's loudness before conversion (LUFS).
    pub loudness: f64,
}

#[derive(Deserialize)]
struct ProbeJson {
    #[serde(default)]
    streams: Vec<StreamJson>,
    format: Option<FormatJson>,
}

#[derive(Deserialize)]
struct StreamJson {
    codec_type: Option<String>,
    #[serde(default)]
    disposition: std::collections::HashMap<String, i64>,
}

#[derive(Deserialize)]
struct FormatJson {
    format_name: Option<String>,
    duration: Option<String>,
}

impl Tools {
    /// ffmpeg and ffprobe in `dir`, or on the PATH; None when either is missing.
    pub fn find(dir: Option<&Path>) -> Option<Tools> {
        let find = |name: &str| match dir {
            Some(dir) => Some(dir.join(name)).filter(|p| p.is_file()),
            None => std::env::var_os("PATH")
                .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join(name)).find(|p| p.is_file())),
        };
        let turns = std::thread::available_parallelism().map_or(1, |n| n.get().div_ceil(2));
        Some(Tools {
            ffmpeg: find("ffmpeg")?,
            ffprobe: find("ffprobe")?,
            turns: Arc::new(Semaphore::new(turns)),
        })
    }

    /// What `file` is, from its content: refused unless it is sound in a
    /// format taken.
    pub async fn probe(&self, file: &Path) -> Result<Probe, Refusal> {
        let mut command = Command::new(&self.ffprobe);
        command.args(["-v", "error", "-print_format", "json", "-show_format", "-show_streams"]).arg(file);
        let output = run(command).await?;
        let parsed: Option<ProbeJson> = serde_json::from_slice(&output.stdout).ok();
        let Some(ProbeJson { streams, format: Some(format) }) = parsed.filter(|_| output.status.success())
        else {
            return Err(refuse(
                "this is not a sound file Stille can read (MP3, M4A, WAV, FLAC, Ogg or WebM)",
            ));
        };
        let container = format.format_name.unwrap_or_default();
        if !container.split(',').any(|name| CONTAINERS.contains(&name)) {
            return Err(refuse(format!(
                "a {container} file is not taken: upload MP3, M4A, WAV, FLAC, Ogg or WebM"
            )));
        }
        let kind = |s: &StreamJson| s.codec_type.as_deref().unwrap_or_default().to_owned();
        if !streams.iter().any(|s| kind(s) == "audio") {
            return Err(refuse("the file holds no sound"));
        }
        // Cover art is a picture "stream"; a film is not a recording.
        if streams.iter().any(|s| kind(s) == "video" && s.disposition.get("attached_pic") != Some(&1)) {
            return Err(refuse("this is a video: upload the sound only (MP3, M4A, WAV, FLAC, Ogg or WebM)"));
        }
        let said_ms = format
            .duration
            .and_then(|d| d.parse::<f64>().ok())
            .filter(|d| d.is_finite() && *d >= 0.0)
            .map(|seconds| (seconds * 1000.0).round() as i64);
        Ok(Probe { container, said_ms })
    }

    /// Decodes `input` whole (refusing damage and a file that ends early),
    /// measures its loudness, and writes it to `output` as MP3 at the
    /// target loudness. Refused when it plays longer than `max_ms`.
    pub async fn convert(
        &self,
        input: &Path,
        probe: &Probe,
        output: &Path,
        max_ms: i64,
        trim: bool,
    ) -> Result<Converted, Refusal> {
        let _turn =
            self.turns.acquire().await.map_err(|_| Refusal::Tool("the converter has stopped".into()))?;
        if let Some(said) = probe.said_ms
            && said > max_ms
        {
            return Err(too_long(said, max_ms));
        }
        // 1. Decode it all: damage is an error (-xerror), the loudness and
        //    the decoded length are read.
        let mut measure = Command::new(&self.ffmpeg);
        measure.args(["-nostdin", "-hide_banner", "-nostats", "-v", "info", "-xerror"]);
        if trim {
            // Trimming the end reverses the clip in memory: read no more of
            // the input than a cue may be (a browser's WebM says no length).
            measure.arg("-t").arg(seconds(max_ms + 1_000));
        }
        measure
            .arg("-i")
            .arg(input)
            .args(["-map", "0:a:0", "-t"])
            .arg(seconds(max_ms + 1_000))
            .args(["-af", &format!("{}ebur128=framelog=verbose", trimming(trim))])
            .args(["-progress", "pipe:1", "-f", "null", "-"]);
        let measured = run(measure).await?;
        let log = String::from_utf8_lossy(&measured.stderr);
        let decoded = decoded_ms(&String::from_utf8_lossy(&measured.stdout));
        // (A trimmed cue is shorter than its file by design; damage still
        // fails the decode.)
        let ends_early = |decoded_ms: i64| {
            probe.said_ms.filter(|said| !trim && said - decoded_ms > SHORTER_THAN_SAID_MS).map(|said| {
                refuse(format!(
                    "the file ends early: it says it is {} long, but only {} of it is there; export or upload it again",
                    clock(said),
                    clock(decoded_ms)
                ))
            })
        };
        if !measured.status.success() {
            // Damage at the end of a file whose header says more: cut off.
            if let Some(refusal) = ends_early(decoded.unwrap_or(0)) {
                return Err(refusal);
            }
            return Err(refuse(format!(
                "the file is damaged and cannot be played through: {}",
                first_error(&log)
            )));
        }
        let decoded_ms = decoded.ok_or_else(|| refuse("the file holds no sound that can be played"))?;
        if decoded_ms == 0 {
            return Err(refuse(if trim {
                "no words were heard in the recording: was the microphone on?"
            } else {
                "the file holds no sound"
            }));
        }
        if decoded_ms > max_ms {
            return Err(too_long(decoded_ms, max_ms));
        }
        if let Some(refusal) = ends_early(decoded_ms) {
            return Err(refusal);
        }
        let loudness = integrated_loudness(&log).unwrap_or(f64::NEG_INFINITY);
        if loudness < SILENT_LUFS {
            return Err(refuse("the recording is silent: was the microphone on?"));
        }
        // 2. Convert: mono, the target loudness (a limiter keeps the peaks
        //    under -1 dBFS), no tags, MP3 with its length in the header.
        let gain = (TARGET_LUFS - loudness).clamp(-MAX_GAIN_DB, MAX_GAIN_DB);
        let mut encode = Command::new(&self.ffmpeg);
        encode.args(["-nostdin", "-hide_banner", "-nostats", "-v", "error", "-y"]);
        if trim {
            encode.arg("-t").arg(seconds(max_ms + 1_000));
        }
        encode
            .arg("-i")
            .arg(input)
            .args(["-map", "0:a:0", "-map_metadata", "-1", "-vn", "-ac", "1"])
            .args([
                "-af",
                &format!(
                    "{}volume={gain:.2}dB,alimiter=limit=0.891:level=false:attack=5:release=50",
                    trimming(trim)
                ),
            ])
            .args(["-ar", "24000", "-c:a", "libmp3lame", "-b:a", "48k", "-id3v2_version", "0"])
            .args(["-write_xing", "1", "-f", "mp3"])
            .arg(output);
        let encoded = run(encode).await?;
        if !encoded.status.success() {
            return Err(Refusal::Tool(last_line(&String::from_utf8_lossy(&encoded.stderr))));
        }
        Ok(Converted { duration_ms: decoded_ms, loudness })
    }
}

/// Runs `command` to its end, its output collected; killed if the request
/// is dropped (the person went away).
async fn run(mut command: Command) -> Result<std::process::Output, Refusal> {
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
    command.output().await.map_err(|error| Refusal::Tool(format!("cannot run ffmpeg: {error}")))
}

fn too_long(ms: i64, max_ms: i64) -> Refusal {
    refuse(format!("the recording is {} long; at most {} is taken", clock(ms), clock(max_ms)))
}

/// `ms` as ffmpeg's seconds.
fn seconds(ms: i64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

/// `ms` as h:mm:ss or m:ss, for people.
fn clock(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// The line of ffmpeg's log that says what was wrong with the input (not
/// its closing "Conversion failed!").
fn first_error(log: &str) -> String {
    let telling = |l: &&str| {
        let lower = l.to_ascii_lowercase();
        ["corrupt", "error", "invalid", "failed"].iter().any(|w| lower.contains(w))
            && !lower.contains("conversion failed")
    };
    match log.lines().find(telling) {
        // Without ffmpeg's own prefix (`[wav @ 0x…] `).
        Some(line) => line.rsplit_once("] ").map_or(line, |(_, rest)| rest).trim().to_owned(),
        None => "it could not be decoded".to_owned(),
    }
}

fn last_line(log: &str) -> String {
    log.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message").trim().to_owned()
}

/// The decoded length from ffmpeg's `-progress` report: its last
/// `out_time_us` (microseconds).
pub fn decoded_ms(progress: &str) -> Option<i64> {
    progress
        .lines()
        .filter_map(|line| line.strip_prefix("out_time_us="))
        .filter_map(|value| value.trim().parse::<i64>().ok())
        .next_back()
        .map(|us| us.max(0) / 1000)
}

/// The integrated loudness from the ebur128 filter's summary
/// (`    I:         -23.0 LUFS`); None for silence (`-inf`) or no summary.
pub fn integrated_loudness(log: &str) -> Option<f64> {
    let summary = &log[log.rfind("Summary:")?..];
    let line = summary.lines().find(|l| l.trim_start().starts_with("I:"))?;
    let value = line.trim_start().strip_prefix("I:")?.trim().strip_suffix("LUFS")?.trim();
    value.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The silence around a cue's words, cut (as filters before the others):
/// from the start up to the first sound above -45 dBFS, and after the last
/// one, keeping 0.25 s there so a breath out is not cut short. The words
/// then begin on the clip's first samples, so they sound exactly at their
/// cue. Run on the whole clip in memory (a cue is at most a few minutes).
fn trimming(trim: bool) -> &'static str {
    if trim {
        "silenceremove=start_periods=1:start_threshold=-45dB:start_silence=0,areverse,\
         silenceremove=start_periods=1:start_threshold=-45dB:start_silence=0.25,areverse,"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loudness_is_read_from_the_summary_not_the_frames() {
        let log = "[Parsed_ebur128_0 @ 0x1] t: 0.1 M: -120.7 S: -120.7 I: -70.0 LUFS\n\
                   [Parsed_ebur128_0 @ 0x1] Summary:\n\n  Integrated loudness:\n    I:         -34.7 LUFS\n\
                   \x20   Threshold: -45.0 LUFS\n";
        assert_eq!(integrated_loudness(log), Some(-34.7));
        assert_eq!(integrated_loudness("Summary:\n    I:         -inf LUFS\n"), None);
        assert_eq!(integrated_loudness("no summary"), None);
    }

    #[test]
    fn the_decoded_length_is_the_last_progress_report() {
        let progress = "out_time_us=1000000\nprogress=continue\nout_time_us=2700123456\nprogress=end\n";
        assert_eq!(decoded_ms(progress), Some(2_700_123));
        assert_eq!(decoded_ms("out_time_us=N/A\n"), None);
        assert_eq!(decoded_ms("out_time_us=-5000\n"), Some(0));
    }

    #[test]
    fn lengths_are_said_as_a_clock() {
        assert_eq!(clock(45 * 60_000), "45:00");
        assert_eq!(clock(2 * 3_600_000 + 61_000), "2:01:01");
        assert_eq!(clock(999), "0:00");
    }
}

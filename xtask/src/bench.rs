//! `cargo xtask bench`: measures what the issues set budgets for and writes the
//! results into `docs/BENCHMARKS.md`, each measurement in its own marked
//! section so that adding one never clobbers another.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::{paths, run, site};

pub fn run() -> Result<()> {
    let site = site::build()?;
    let sizes = first_load_sizes(&site)?;
    let rebuilds = warm_rebuilds()?;
    let machine = format!(
        "{} cores, {}",
        std::thread::available_parallelism().map_or(0, usize::from),
        run::probe("rustc", &["--version"]).unwrap_or_else(|| "rustc ?".into())
    );
    let date = run::probe("date", &["-u", "+%Y-%m-%d"]).unwrap_or_default();
    let section = format!(
        "## First-load size and warm rebuilds\n\n\
         Measured by `cargo xtask bench` on {date} ({machine}).\n\n\
         What a first visit downloads (the release wasm build after wasm-bindgen and \
         `wasm-opt -Oz`), in bytes:\n\n{sizes}\n\
         Warm rebuild after touching one file (median of 3):\n\n{rebuilds}"
    );
    write_section("foundation", &section)?;
    print!("{section}");

    let audio = audio_section(&date, &machine)?;
    write_section("audio-native", &audio)?;
    print!("{audio}");
    Ok(())
}

/// Preparing a session's soundtrack natively: criterion's median time and the
/// FLAC size, for the 45-minute silent timer with interval bells.
fn audio_section(date: &str, machine: &str) -> Result<String> {
    use stille_audio::{Config, soundtrack_flac};
    use stille_practice::{CueKind, Lang, Options, catalog, compile};

    run::cargo(&["bench", "--package", "stille-audio", "--bench", "soundtrack"])?;
    let median_ms = |id: &str| -> Result<f64> {
        let path = paths::target_dir().join("criterion").join(id).join("new/estimates.json");
        let text = fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let json: serde_json::Value = serde_json::from_str(&text)?;
        let ns = json["median"]["point_estimate"].as_f64().context("criterion estimates have a median")?;
        Ok(ns / 1e6)
    };
    let render_ms = median_ms("soundtrack/timer_45min_flac")?;
    let compile_ms = median_ms("compile_body_scan_45min")?;

    let timer = catalog().get("timer-silent").context("the silent timer is in the catalog")?;
    let options = Options { minutes: 45, interval_minutes: Some(4), ..Options::defaults(timer, Lang::Da) };
    let timeline = compile(timer, &options).map_err(|e| anyhow::anyhow!("{e}"))?;
    let bells = timeline.cues.iter().filter(|c| matches!(c.kind, CueKind::Bell { .. })).count();
    let config = Config::default();
    let flac = soundtrack_flac(&timeline, &config).map_err(|e| anyhow::anyhow!("{e}"))?;
    let wav_bytes = 44 + u64::from(timeline.length_ms) * u64::from(config.sample_rate) / 1000 * 2;
    Ok(format!(
        "## Preparing a soundtrack (native)\n\n\
         Measured by `cargo xtask bench` on {date} ({machine}); criterion medians \
         (`cargo bench -p stille-audio`).\n\n\
         | what | figure |\n|---|---:|\n\
         | 45-min silent timer, interval bells every 4 min ({bells} bells): render + FLAC encode | {render_ms:.0} ms |\n\
         | its FLAC (24 kHz, 16-bit mono) | {} bytes ({:.2} MB) |\n\
         | the same as WAV | {wav_bytes} bytes ({:.1} MB) |\n\
         | compiling the 45-min body scan to a timeline | {compile_ms:.3} ms |\n\n\
         Not measured yet: the same in Chromium (the lab page shows it: about 0.6–0.8 s \
         for its 3-minute test in headless Chromium) and the wasm size the audio crate adds.\n",
        flac.len(),
        flac.len() as f64 / 1e6,
        wav_bytes as f64 / 1e6,
    ))
}

fn first_load_sizes(site: &site::Site) -> Result<String> {
    let mut table = String::from("| file | raw | gzip | brotli |\n|---|---:|---:|---:|\n");
    let (mut raw_total, mut gz_total, mut br_total) = (0, 0, 0);
    for file in &site.first_load {
        let bytes =
            fs::read(site.dir.join(file)).with_context(|| format!("cannot read {}", file.display()))?;
        let (raw, gz, br) = (bytes.len(), site::gzip(&bytes)?.len(), site::brotli(&bytes)?.len());
        raw_total += raw;
        gz_total += gz;
        br_total += br;
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        table.push_str(&format!("| {name} | {raw} | {gz} | {br} |\n"));
    }
    table.push_str(&format!("| **total** | **{raw_total}** | **{gz_total}** | **{br_total}** |\n"));
    Ok(table)
}

fn warm_rebuilds() -> Result<String> {
    let root = paths::root();
    // Warm everything first, so only the touched crate rebuilds.
    run::cargo(&["build", "--package", "stille-server"])?;
    let mut app_runs = Vec::new();
    for _ in 0..3 {
        touch(&root.join("app/src/lib.rs"))?;
        let started = Instant::now();
        let site = site::build()?;
        app_runs.push((started.elapsed(), site.steps));
    }
    app_runs.sort_by_key(|(total, _)| *total);
    let (app_total, app_steps) = &app_runs[1];
    let breakdown: Vec<String> =
        app_steps.iter().map(|(name, time)| format!("{name} {:.1} s", time.as_secs_f64())).collect();
    let server = median(3, || {
        touch(&root.join("server/src/lib.rs"))?;
        timed(|| run::cargo(&["build", "--package", "stille-server"]))
    })?;
    Ok(format!(
        "| touched | rebuilt | time |\n|---|---|---:|\n\
         | app/src/lib.rs | the served site: {} | {:.1} s |\n\
         | server/src/lib.rs | stille-server (dev profile, as `serve` runs it) | {:.1} s |\n",
        breakdown.join(", "),
        app_total.as_secs_f64(),
        server.as_secs_f64()
    ))
}

fn median(runs: usize, mut measure: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    let mut times = (0..runs).map(|_| measure()).collect::<Result<Vec<_>>>()?;
    times.sort();
    Ok(times[times.len() / 2])
}

fn timed(work: impl FnOnce() -> Result<()>) -> Result<Duration> {
    let start = Instant::now();
    work()?;
    Ok(start.elapsed())
}

/// Rewrites a file with its own content: a new modification time, nothing else.
fn touch(path: &Path) -> Result<()> {
    let bytes = fs::read(path)?;
    fs::write(path, bytes)?;
    Ok(())
}

/// Replaces the section between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`
/// in docs/BENCHMARKS.md, appending it when absent.
fn write_section(name: &str, body: &str) -> Result<()> {
    let path = paths::root().join("docs/BENCHMARKS.md");
    let current = fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".to_owned());
    let (start, end) = (format!("<!-- bench:{name} -->"), format!("<!-- /bench:{name} -->"));
    let block = format!("{start}\n{body}{end}");
    let updated = match (current.find(&start), current.find(&end)) {
        (Some(s), Some(e)) if e > s => format!("{}{block}{}", &current[..s], &current[e + end.len()..]),
        _ => format!("{}\n{block}\n", current.trim_end()),
    };
    fs::write(&path, updated).with_context(|| format!("cannot write {}", path.display()))
}

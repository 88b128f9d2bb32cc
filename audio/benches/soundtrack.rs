//! How long preparing a session's soundtrack takes: a 45-minute silent timer
//! with 10 interval bells (the same session the lab page prepares in the
//! browser), rendered and FLAC-encoded, and the timeline compile alone.
//! `cargo xtask bench` reports the medians.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use stille_audio::noise::Colour;
use stille_audio::{Config, lab, soundtrack_flac};
use stille_practice::{BellSound, Lang, Options, catalog, compile};

fn soundtrack(c: &mut Criterion) {
    let timeline = lab::silent_timer(45, 10, BellSound::Bowl);
    let mut group = c.benchmark_group("soundtrack");
    group.sample_size(10);
    group.bench_function("timer_45min_10_bells_flac", |b| {
        b.iter(|| soundtrack_flac(black_box(&timeline), &Config::default()).map(|bytes| bytes.len()))
    });
    // The longest sessions with every option that changes the drawing: a
    // three-hour timer with a bell every minute, and an hour of paced
    // breathing with a tone on every breath (the bed is looped beside the
    // soundtrack, not drawn into it: its loop is timed apart).
    let long_timer = lab::silent_timer(180, 179, BellSound::Bowl);
    group.bench_function("timer_180min_bell_every_minute_flac", |b| {
        b.iter(|| soundtrack_flac(black_box(&long_timer), &Config::default()).map(|bytes| bytes.len()))
    });
    let paced = catalog().get("breathing-custom").expect("paced breathing");
    let hour =
        compile(paced, &Options { minutes: 60, ..Options::defaults(paced, Lang::Da) }).expect("compiles");
    group.bench_function("breathing_60min_tones_flac", |b| {
        b.iter(|| soundtrack_flac(black_box(&hour), &Config::default()).map(|bytes| bytes.len()))
    });
    group.bench_function("bed_loop_flac", |b| {
        b.iter(|| stille_audio::bed_loop_flac(black_box(Colour::Pink), 24_000).map(|bytes| bytes.len()))
    });
    group.finish();

    let scan = catalog().get("mbsr-body-scan").expect("the body scan");
    let options = Options { minutes: 45, ..Options::defaults(scan, Lang::Da) };
    c.bench_function("compile_body_scan_45min", |b| b.iter(|| compile(black_box(scan), black_box(&options))));
}

criterion_group!(benches, soundtrack);
criterion_main!(benches);

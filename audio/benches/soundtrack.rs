//! How long preparing a session's soundtrack takes: a 45-minute silent timer
//! with 10 interval bells (the same session the lab page prepares in the
//! browser), rendered and FLAC-encoded, and the timeline compile alone.
//! `cargo xtask bench` reports the medians.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use stille_audio::{Config, lab, soundtrack_flac};
use stille_practice::{BellSound, Lang, Options, catalog, compile};

fn soundtrack(c: &mut Criterion) {
    let timeline = lab::silent_timer(45, 10, BellSound::Bowl);
    let mut group = c.benchmark_group("soundtrack");
    group.sample_size(10);
    group.bench_function("timer_45min_10_bells_flac", |b| {
        b.iter(|| soundtrack_flac(black_box(&timeline), &Config::default()).map(|bytes| bytes.len()))
    });
    group.finish();

    let scan = catalog().get("mbsr-body-scan").expect("the body scan");
    let options = Options { minutes: 45, ..Options::defaults(scan, Lang::Da) };
    c.bench_function("compile_body_scan_45min", |b| b.iter(|| compile(black_box(scan), black_box(&options))));
}

criterion_group!(benches, soundtrack);
criterion_main!(benches);

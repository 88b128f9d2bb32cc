//! How long preparing a session's soundtrack takes: the 45-minute silent timer
//! with interval bells every 4 minutes (13 bells), rendered and FLAC-encoded,
//! and the timeline compile alone. `cargo xtask bench` reports the medians.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use stille_audio::{Config, soundtrack_flac};
use stille_practice::{Lang, Options, catalog, compile};

fn soundtrack(c: &mut Criterion) {
    let timer = catalog().get("timer-silent").expect("the silent timer");
    let options = Options { minutes: 45, interval_minutes: Some(4), ..Options::defaults(timer, Lang::Da) };
    let timeline = compile(timer, &options).expect("compiles");
    let mut group = c.benchmark_group("soundtrack");
    group.sample_size(10);
    group.bench_function("timer_45min_flac", |b| {
        b.iter(|| soundtrack_flac(black_box(&timeline), &Config::default()).map(|bytes| bytes.len()))
    });
    group.finish();

    let scan = catalog().get("mbsr-body-scan").expect("the body scan");
    let options = Options { minutes: 45, ..Options::defaults(scan, Lang::Da) };
    c.bench_function("compile_body_scan_45min", |b| b.iter(|| compile(black_box(scan), black_box(&options))));
}

criterion_group!(benches, soundtrack);
criterion_main!(benches);

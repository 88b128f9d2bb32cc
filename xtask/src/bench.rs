//! `cargo xtask bench`: measures what the issues set budgets for and writes the
//! results into `docs/BENCHMARKS.md`, each measurement in its own marked
//! section so that adding one never clobbers another.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::{paths, run, site};

/// Every section, in the order run.
const SECTIONS: [&str; 12] = [
    "foundation",
    "dev-loop",
    "app-load",
    "courses",
    "audio-native",
    "audio-wasm",
    "audio-browser",
    "audio-webkit",
    "player-start",
    "server",
    "scale",
    "recordings",
];

pub fn run(wanted: &[String]) -> Result<()> {
    if let Some(unknown) = wanted.iter().find(|w| !SECTIONS.contains(&w.as_str())) {
        anyhow::bail!("no bench section `{unknown}`; there are {}", SECTIONS.join(", "));
    }
    let want = |name: &str| wanted.is_empty() || wanted.iter().any(|w| w == name);
    let machine = format!(
        "{} cores, {}",
        std::thread::available_parallelism().map_or(0, usize::from),
        run::probe("rustc", &["--version"]).unwrap_or_else(|| "rustc ?".into())
    );
    let date = run::probe("date", &["-u", "+%Y-%m-%d"]).unwrap_or_default();
    let needs_site =
        ["foundation", "app-load", "courses", "audio-wasm", "audio-browser", "audio-webkit", "player-start"]
            .iter()
            .any(|s| want(s));
    let site = if needs_site { Some(site::build()?) } else { None };
    let publish = |name: &str, body: Result<String>| -> Result<()> {
        let body = body?;
        write_section(name, &body)?;
        print!("{body}");
        Ok(())
    };
    if let (true, Some(site)) = (want("foundation"), &site) {
        let sizes = first_load_sizes(site)?;
        let rebuilds = warm_rebuilds()?;
        publish(
            "foundation",
            Ok(format!(
                "## First-load size and warm rebuilds\n\n\
                 Measured by `cargo xtask bench` on {date} ({machine}).\n\n\
                 What a first visit downloads (the release wasm build after wasm-bindgen and \
                 `wasm-opt -Oz`), in bytes:\n\n{sizes}\n\
                 Warm rebuild after touching one file (median of 3):\n\n{rebuilds}"
            )),
        )?;
    }
    if want("dev-loop") {
        publish("dev-loop", dev_loop_section(&date, &machine))?;
    }
    if let (true, Some(site)) = (want("app-load"), &site) {
        publish("app-load", load_section(site, &date, &machine))?;
    }
    if let (true, Some(site)) = (want("courses"), &site) {
        publish("courses", courses_section(site, &date, &machine))?;
    }
    if want("audio-native") {
        publish("audio-native", audio_section(&date, &machine))?;
    }
    if let (true, Some(site)) = (want("audio-wasm"), &site) {
        publish("audio-wasm", wasm_section(site, &date))?;
    }
    if let (true, Some(site)) = (want("audio-browser"), &site) {
        publish("audio-browser", browser_section(site, &date, &machine))?;
    }
    if let (true, Some(site)) = (want("audio-webkit"), &site) {
        publish("audio-webkit", webkit_section(site, &date, &machine))?;
    }
    if let (true, Some(site)) = (want("player-start"), &site) {
        publish("player-start", start_section(site, &date, &machine))?;
    }
    if want("server") {
        publish("server", server_section(&date, &machine))?;
    }
    if want("scale") {
        publish("scale", scale_section(&date, &machine))?;
    }
    if want("recordings") {
        publish("recordings", recordings_section(&date, &machine))?;
    }
    Ok(())
}

/// A day of 10,000 participants and 600 instructors on two instances on one
/// PostgreSQL (`tests/src/bin/scale-load.rs`).
fn scale_section(date: &str, machine: &str) -> Result<String> {
    let Some(postgres) = bench_postgres() else {
        anyhow::bail!(
            "the scale run needs PostgreSQL: set STILLE_BENCH_POSTGRES or run one on 127.0.0.1:5432"
        );
    };
    let release = release_server_and("scale-load")?;
    run::step("a day of 10,000 participants on two instances");
    let output = std::process::Command::new(release.join("scale-load"))
        .env("STILLE_SERVER_BIN", release.join("stille-server"))
        .env("STILLE_BENCH_POSTGRES", &postgres)
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running scale-load")?;
    if !output.status.success() {
        anyhow::bail!("scale-load failed");
    }
    let r: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("scale-load prints one JSON object")?;
    let f = |key: &str| r[key].as_f64().unwrap_or(f64::NAN);
    let mut rows = String::from("| endpoint | requests | p50 | p99 |\n|---|---:|---:|---:|\n");
    for e in r["endpoints"].as_array().into_iter().flatten() {
        rows.push_str(&format!(
            "| `{}` | {} | {:.1} ms | {:.1} ms |\n",
            e["endpoint"].as_str().unwrap_or("?"),
            e["requests"],
            e["p50_ms"].as_f64().unwrap_or(f64::NAN),
            e["p99_ms"].as_f64().unwrap_or(f64::NAN),
        ));
    }
    // A participant-year: a practice on five days a week with a check-in
    // before or after it, a note a fortnight, and the settings record now
    // and then: about 260 + 260 + 26 + 12 records.
    let per_year = 558.0;
    Ok(format!(
        "## Scale: a day of 10,000 participants on two instances\n\n\
         Measured by `cargo xtask bench scale` on {date} ({machine}): two release servers on one \
         PostgreSQL database, every request sent to them in turn, and the load generator \
         (`tests/src/bin/scale-load.rs`), all on this machine. Set up first, not measured ({setup:.0} s): \
         {participants} participants and {instructors} instructors with sessions, each instructor's MSC \
         course made and joined through the API, and four weeks of history each. The day, at most \
         {at_once} people at once: every participant pulls, pushes a morning practice with check-ins \
         before and after (a note one in five), pushes an evening practice with a check-in, and pulls \
         again; one in ten loses the morning push's answer and sends it again, and is told \
         \"duplicate\" for each record; every instructor opens the course report three times. \
         Every record acknowledged is then counted in the database.\n\n\
         The day took {day:.0} s here: {requests:.0} requests, {rate:.0} requests/s over both \
         instances. CPU per request: {server_cpu:.2} ms in the servers and {pg_cpu:.2} ms in \
         PostgreSQL's processes. The database holds {records:.0} records ({versions:.0} versions) in \
         {db_mb:.0} MB; the two sync tables with their indexes take {per_record:.0} bytes per record, \
         so a participant-year (about {per_year:.0} records: a practice five days a week, a check-in \
         with each, a note a fortnight, settings now and then) is about {year_kb:.0} KB.\n\n{rows}\n\
         What this means at 100,000 participants is in `docs/SCALING.md`.\n",
        setup = f("setup_s"),
        participants = r["participants"],
        instructors = r["instructors"],
        at_once = r["at_once"],
        day = f("day_s"),
        requests = f("requests"),
        rate = f("requests_per_s"),
        server_cpu = f("server_cpu_ms_per_request"),
        pg_cpu = f("postgres_cpu_ms_per_request"),
        records = f("records"),
        versions = f("versions"),
        db_mb = f("database_bytes") / 1e6,
        per_record = f("bytes_per_record"),
        year_kb = f("bytes_per_record") * per_year / 1e3,
    ))
}

/// The PostgreSQL server to measure: `STILLE_BENCH_POSTGRES`, else
/// `STILLE_TEST_POSTGRES`, else the local default when it answers.
fn bench_postgres() -> Option<String> {
    let named = ["STILLE_BENCH_POSTGRES", "STILLE_TEST_POSTGRES"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()));
    named.or_else(|| {
        let local = std::net::SocketAddr::from(([127, 0, 0, 1], 5432));
        std::net::TcpStream::connect_timeout(&local, Duration::from_millis(300))
            .ok()
            .map(|_| "postgres://postgres@127.0.0.1/test".to_owned())
    })
}

/// Builds the release server and the load generator `bin`; their directory.
fn release_server_and(bin: &str) -> Result<std::path::PathBuf> {
    run::cargo(&[
        "build",
        "--release",
        "--package",
        "stille-server",
        "--package",
        "stille-e2e",
        "--bin",
        "stille-server",
        "--bin",
        bin,
    ])?;
    Ok(paths::target_dir().join("release"))
}

/// Sync pushes at 50 concurrent clients on each store, beside that store's
/// raw durable commit rate, and the server's memory.
fn server_section(date: &str, machine: &str) -> Result<String> {
    let release = release_server_and("sync-load")?;
    let server = release.join("stille-server");
    let mut backends = vec![("sqlite", None)];
    match bench_postgres() {
        Some(url) => backends.push(("postgres", Some(url))),
        None => eprintln!("warning: no PostgreSQL server answers; measuring SQLite only"),
    }
    let mut rows = String::from(
        "| store | pushes/s (10 entries each) | entries/s | p50 | p99 | failed | raw durable commits/s | pushes ÷ raw commits | pushes per commit | server CPU per push | cores: server / load generator | RSS idle | RSS peak |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for (backend, url) in backends {
        let mut command = std::process::Command::new(release.join("sync-load"));
        command.arg(backend).env("STILLE_SERVER_BIN", &server).stderr(std::process::Stdio::inherit());
        if let Some(url) = &url {
            command.env("STILLE_BENCH_POSTGRES", url);
        }
        run::step(&format!("sync load on {backend}"));
        let output = command.output().context("running sync-load")?;
        if !output.status.success() {
            anyhow::bail!("sync-load {backend} failed");
        }
        let r: serde_json::Value =
            serde_json::from_slice(&output.stdout).context("sync-load prints one JSON object")?;
        let f = |key: &str| r[key].as_f64().unwrap_or(f64::NAN);
        rows.push_str(&format!(
            "| {backend} | {:.0} | {:.0} | {:.1} ms | {:.1} ms | {:.0} | {:.0} | {:.2} | {:.1} | {:.2} ms | {:.2} / {:.2} | {:.1} MB | {:.1} MB |\n",
            f("pushes_per_s"),
            f("entries_per_s"),
            f("p50_ms"),
            f("p99_ms"),
            f("failures"),
            f("raw_commits_per_s"),
            f("pushes_per_s") / f("raw_commits_per_s"),
            f("pushes_per_commit"),
            f("server_cpu_ms_per_push"),
            f("server_cores"),
            f("load_generator_cores"),
            f("rss_idle_kb") / 1024.0,
            f("rss_peak_kb") / 1024.0,
        ));
    }
    Ok(format!(
        "## Sync throughput and server memory\n\n\
         Measured by `cargo xtask bench server` on {date} ({machine}); the release server and the \
         load generator (`cargo run --release -p stille-e2e --bin sync-load`) share the machine. \
         50 clients, each logged in with its own account, push batches of 10 new log entries \
         back to back for 20 s after a 3 s warm-up; each push is answered only after a durable \
         commit. Pushes that arrive together share one transaction and one commit (group commit, \
         `server/src/sync/writer.rs`): \"pushes per commit\" is the mean group, from the server's \
         own `/metrics`. The raw rate is the same store's single-row commits, one writer, one \
         after another, in the same run (SQLite: WAL with `synchronous=FULL` in the data \
         directory; PostgreSQL: the same database): the disk's fsync rate, which varies from run \
         to run on this machine (4,400–7,100 on SQLite). CPU is user + system time from /proc \
         over the measured window (the PostgreSQL server's own processes are not counted). RSS is \
         the server's resident memory after 50 sign-ups and idle, and its peak under the load.\n\n{rows}\n\
         Reading: before group commit (2026-11-23) each push was a transaction of its own: \
         SQLite 434 pushes/s, p99 160 ms; PostgreSQL 386 pushes/s, p99 200 ms, both 0.10× the \
         raw commit rate. With it, three and a half to four times the pushes (from run to run) at a quarter of the latency on \
         SQLite, and on PostgreSQL, whose eight writer tasks commit side by side, three and a half to four \
         times the pushes too. The goal of 0.5× the raw commit rate is not reached here, and \
         the disk is not why: the two cores are shared by the server (HTTP, the session lookup, \
         JSON, the merge), the load generator and, on PostgreSQL, its own processes, and a push \
         costs the server about 0.5 ms of CPU on SQLite; 0.5× would be 2,200–3,500 pushes/s, \
         more than two cores give once the client's share is paid. What got here, measured with \
         `perf`: grouping alone (790 pushes/s) left 44 % of the server's time in SQLite looking \
         up numbered parameters by name (`$1 … $2000`, which sqlx asks for one by one, so a \
         statement's binding grew with the square of its size); the writer now gives SQLite \
         anonymous `?` marks, reads the pushed (person, record) pairs by a join on the primary \
         key instead of a cross product of two `IN` lists, and does not keep these size-dependent \
         statements prepared (the RSS peak fell from 179 MB to about 90 MB).\n"
    ))
}

/// The first load's wasm by crate (code section), and what the audio crate adds.
fn wasm_section(site: &site::Site, date: &str) -> Result<String> {
    let sizes = crate::wasm_size::measure(&site::main_module())?;
    let whole = crate::wasm_size::measure(
        &paths::target_dir().join("wasm32-unknown-unknown/wasm-release/stille_app.wasm"),
    )?;
    let served = site
        .first_load
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "wasm"))
        .context("the site has a wasm file")?;
    let served_bytes = fs::read(site.dir.join(served))?;
    let served_br = site::brotli(&served_bytes)?.len();
    let table = sizes.table(12);
    let audio = whole.by_crate.get("stille_audio").copied().unwrap_or(0);
    let audio_main = sizes.by_crate.get("stille_audio").copied().unwrap_or(0);
    Ok(format!(
        "## Wasm size by crate\n\n\
         Measured by `cargo xtask bench` on {date}. Function bodies of the app's main wasm module \
         (what the first load downloads; the screens' chunks are left out) as the splitter wrote it \
         (before wasm-bindgen and wasm-opt; {} bytes, of which code {} and data {}), \
         each attributed to the crate of its demangled name (inlined code counts for the \
         caller). The served file is {} bytes ({served_br} brotli).\n\n{table}\n\
         **The audio crate adds {audio} bytes of code to the app ({:.1} % of the whole app's code \
         section, {} bytes, before the split)**; {audio_main} bytes of it are in the main module, the \
         rest comes with the practice screens' chunk. Its sounds are synthesised at run time, so it \
         adds no data.\n",
        sizes.file,
        sizes.code,
        sizes.data,
        served_bytes.len(),
        audio as f64 * 100.0 / whole.code.max(1) as f64,
        whole.code,
    ))
}

/// Bell onsets measured in headless Chromium for each mode and for a naive
/// timer, and preparing the 45-minute timer in the browser.
/// A teacher's 45-minute take uploaded, checked, converted and stored
/// (`recording-upload`, release build; ffmpeg does the converting).
fn recordings_section(date: &str, machine: &str) -> Result<String> {
    crate::tools::ffmpeg()?;
    let out = run::cargo_output_with_env(
        &["run", "--release", "--quiet", "--package", "stille-e2e", "--bin", "recording-upload"],
        &[],
    )?;
    let json: serde_json::Value = serde_json::from_str(out.trim()).context("recording-upload prints JSON")?;
    let mut rows = String::new();
    for result in json["results"].as_array().into_iter().flatten() {
        let mb = |key: &str| result[key].as_f64().unwrap_or(f64::NAN) / 1_000_000.0;
        let seconds: Vec<String> = result["seconds"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_f64())
            .map(|s| format!("{s:.1}"))
            .collect();
        rows.push_str(&format!(
            "| {} | {:.1} MB | {:.1} s ({}) | {:.1} MB | {:.0} s |\n",
            result["input"].as_str().unwrap_or("?"),
            mb("input_bytes"),
            result["median_s"].as_f64().unwrap_or(f64::NAN),
            seconds.join(", "),
            mb("kept_bytes"),
            result["duration_ms"].as_f64().unwrap_or(f64::NAN) / 1000.0,
        ));
    }
    let ffmpeg = run::probe("ffmpeg", &["-version"]).unwrap_or_default();
    // "ffmpeg version 5.1.9-0+deb12u1 Copyright …": its name and version.
    let ffmpeg = ffmpeg.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    Ok(format!(
        "## A teacher's recording: uploading a 45-minute take\n\n\
         Measured by `cargo xtask bench recordings` on {date} ({machine}; {ffmpeg}): the release server in \
         process, a 45-minute take made with ffmpeg (pink noise swelling and falling like phrases), \
         uploaded over loopback with a bearer token (`cargo run --release -p stille-e2e --bin \
         recording-upload`), {} runs each. The time is from the first byte sent to the answer: received \
         into a file, probed, decoded whole with its loudness measured, converted to MP3 mono 24 kHz \
         48 kbit/s at -18 LUFS, hashed and stored in the data directory.\n\n\
         | upload | its size | time to the answer, median (runs) | kept | length kept |\n\
         |---|---:|---:|---:|---:|\n{rows}",
        json["runs"].as_u64().unwrap_or(0),
    ))
}

/// Runs the end-to-end crate's measuring binary `name` against the built site
/// in Chromium; its standard output.
fn browser_bin(site: &site::Site, name: &str) -> Result<String> {
    let browser = crate::tools::chromium()?;
    run::cargo_output_with_env(
        &["run", "--quiet", "--package", "stille-e2e", "--bin", name],
        &[
            ("STILLE_SITE_DIR", site.dir.as_os_str()),
            ("STILLE_CHROMIUM", browser.chromium.as_os_str()),
            ("STILLE_CHROMEDRIVER", browser.chromedriver.as_os_str()),
        ],
    )
}

/// Sync after reconnecting with 100 entries waiting, and the instructor's dashboard.
fn courses_section(site: &site::Site, date: &str, machine: &str) -> Result<String> {
    let out = browser_bin(site, "course-load")?;
    let json: serde_json::Value = serde_json::from_str(out.trim()).context("course-load prints JSON")?;
    let range = |key: &str| -> String {
        let values: Vec<f64> =
            json[key].as_array().into_iter().flatten().filter_map(|v| v.as_f64()).collect();
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        format!("{min:.0}–{max:.0} ms, {} runs", values.len())
    };
    let f = |key: &str| json[key].as_f64().unwrap_or(f64::NAN);
    Ok(format!(
        "## Courses: sync after reconnecting, and the dashboard\n\n\
         Measured by `cargo xtask bench` on {date} ({machine}), headless Chromium at a 412 px phone viewport, \
         the release site and the server in-process (debug build, as the tests run it) on SQLite (`cargo run -p stille-e2e --bin course-load`), \
         no throttling.\n\n\
         | what | median | range |\n|---|---:|---:|\n\
         | 100 practice entries made offline: from the `online` event to the status line saying \"Synced\" (one push of 100, one pull) | {:.0} ms | {} |\n\
         | the instructor's dashboard, 13 participants × 8 weeks (40 entries, 16 check-ins, 4 reflections each): navigation start → per-week table with 13 rows drawn | {:.0} ms | {} |\n\
         | its report request alone (`GET /api/courses/{{id}}/report`, from outside the browser) | {:.1} ms | {} |\n",
        f("reconnect_median_ms"),
        range("reconnect_ms"),
        f("dashboard_median_ms"),
        range("dashboard_ms"),
        f("report_api_median_ms"),
        range("report_api_ms"),
    ))
}

/// `cargo xtask dev`: its first build, then edit → page showing it for a
/// one-line change in `app/src` and in `style/`.
fn dev_loop_section(date: &str, machine: &str) -> Result<String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let addr = format!("127.0.0.1:{port}");
    let mut command = std::process::Command::new(std::env::current_exe()?);
    command.args(["dev", "--addr", &addr]).stdout(std::process::Stdio::null());
    // Its own process group, so the server it starts stops with it.
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let started = Instant::now();
    let dev = command.spawn().context("starting cargo xtask dev")?;
    let group = DevServer(dev);
    while !dev_ready(&addr) {
        if started.elapsed() > Duration::from_secs(900) {
            anyhow::bail!("cargo xtask dev did not serve within 15 minutes");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let first_build = started.elapsed();
    let browser = crate::tools::chromium()?;
    let out = run::cargo_output_with_env(
        &["run", "--quiet", "--package", "stille-e2e", "--bin", "dev-loop"],
        &[
            ("STILLE_DEV_URL", std::ffi::OsStr::new(&format!("http://{addr}/"))),
            ("STILLE_CHROMIUM", browser.chromium.as_os_str()),
            ("STILLE_CHROMEDRIVER", browser.chromedriver.as_os_str()),
        ],
    );
    drop(group);
    let json: serde_json::Value = serde_json::from_str(out?.trim()).context("dev-loop prints JSON")?;
    let stats = |key: &str| -> (f64, f64, f64) {
        let mut v: Vec<f64> = json[key].as_array().into_iter().flatten().filter_map(|x| x.as_f64()).collect();
        v.sort_by(f64::total_cmp);
        (
            v.get(v.len() / 2).copied().unwrap_or(f64::NAN),
            v.first().copied().unwrap_or(f64::NAN),
            v.last().copied().unwrap_or(f64::NAN),
        )
    };
    let (app, app_min, app_max) = stats("app_ms");
    let (css, css_min, css_max) = stats("css_ms");
    let verdict = |ms: f64, budget: f64| if ms <= budget { "within" } else { "**over**" };
    Ok(format!(
        "## The edit loop (`cargo xtask dev`)\n\n         Measured by `cargo xtask bench dev-loop` on {date} ({machine}): the dev server started by the \
         bench, the page open in headless Chromium, a change saved by the bench (`cargo run -p stille-e2e \
         --bin dev-loop`), timed until the page shows it. 3 runs each.\n\n         | change | saved → on the page, median (min–max) | budget |\n|---|---:|---|\n         | one line in `app/src` (the home heading's text in `i18n.rs`): rebuild in the `wasm-dev` profile, wasm-bindgen, the page reloads | {:.1} s ({:.1}–{:.1}) | 15 s — {} |\n         | one line in `style/`: the stylesheet joined again and swapped in place (no reload) | {:.2} s ({:.2}–{:.2}) | 2 s — {} |\n\n         Its first build, from `cargo xtask dev` to the site served (with a warm build cache): {:.0} s.\n",
        app / 1000.0,
        app_min / 1000.0,
        app_max / 1000.0,
        verdict(app, 15_000.0),
        css / 1000.0,
        css_min / 1000.0,
        css_max / 1000.0,
        verdict(css, 2_000.0),
        first_build.as_secs_f64(),
    ))
}

/// The dev server's process group, stopped when dropped.
struct DevServer(std::process::Child);

impl Drop for DevServer {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = std::process::Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.0.wait();
    }
}

/// Whether the dev server answers for its build state.
fn dev_ready(addr: &str) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else { return false };
    let request = format!("GET /dev/state.json HTTP/1.0\r\nHost: {addr}\r\n\r\n");
    let mut answer = String::new();
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_string(&mut answer).is_ok()
        && (answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200"))
}

/// Time to interactive, first and repeat visit, under CPU and network throttling.
fn load_section(site: &site::Site, date: &str, machine: &str) -> Result<String> {
    let out = browser_bin(site, "load-time")?;
    let json: serde_json::Value = serde_json::from_str(out.trim()).context("load-time prints JSON")?;
    let runs = json["runs"].as_array().cloned().unwrap_or_default();
    let budget_ms = 2500.0;
    let mut rows = String::from(
        "| network (DevTools preset) | visit | largest contentful paint, median | time to interactive, median (min–max) | transferred over the network | budget 2.5 s |\n\
         |---|---|---:|---:|---:|---|\n",
    );
    for (profile, label) in
        [("slow-3g", "Slow 3G: 2 s RTT, 50 kB/s"), ("slow-4g", "Slow 4G: 150 ms RTT, 205 kB/s")]
    {
        for visit in ["first", "repeat"] {
            let of_profile: Vec<&serde_json::Value> =
                runs.iter().filter(|r| r["profile"] == profile).collect();
            let mut times: Vec<f64> =
                of_profile.iter().filter_map(|r| r[visit]["interactive_ms"].as_f64()).collect();
            times.sort_by(f64::total_cmp);
            let bytes: Vec<f64> =
                of_profile.iter().filter_map(|r| r[visit]["transfer"]["bytes"].as_f64()).collect();
            let mut paints: Vec<f64> =
                of_profile.iter().filter_map(|r| r[visit]["lcp"]["ms"].as_f64()).collect();
            paints.sort_by(f64::total_cmp);
            let paint = paints
                .get(paints.len() / 2)
                .map_or_else(|| "–".to_owned(), |ms| format!("{:.2} s", ms / 1000.0));
            let Some(median) = times.get(times.len() / 2).copied() else { continue };
            let bytes = bytes.iter().sum::<f64>() / bytes.len().max(1) as f64;
            let visit_label = match visit {
                "first" => "first (empty cache)",
                _ => "repeat (service worker)",
            };
            rows.push_str(&format!(
                "| {label} | {visit_label} | {paint} | {:.2} s ({:.2}–{:.2}) | {:.0} kB | {} |\n",
                median / 1000.0,
                times[0] / 1000.0,
                times[times.len() - 1] / 1000.0,
                bytes / 1000.0,
                if median <= budget_ms { "within" } else { "**over**" },
            ));
        }
    }
    Ok(format!(
        "## Time to interactive\n\n\
         Measured by `cargo xtask bench` on {date} ({machine}), headless Chromium at a 412 px phone \
         viewport with 4× CPU throttling and DevTools' network presets (`cargo run -p stille-e2e --bin \
         load-time`), {} runs each. Interactive = the app's `stille:interactive` mark, set right after it \
         has mounted (every control has its handler), from navigation start. Largest contentful paint = \
         the browser's own measure; `index.html` carries the home screen's heading and introduction as \
         plain HTML, so a first visit shows them before the wasm has arrived. The repeat visit is a new \
         navigation after the service worker took control.\n\n{rows}\n\
         A first visit over Slow 3G cannot meet 2.5 s whatever the app weighs: two of its 2 s round trips, \
         the document and then the files it names (preloaded side by side), are 4 s before the app's first \
         byte arrives; the rest is the first load at 50 kB/s and the throttled CPU. What the app controls is \
         the bytes: see \"First-load size\" above.\n",
        runs.len() / 2
    ))
}

fn browser_section(site: &site::Site, date: &str, machine: &str) -> Result<String> {
    let out = browser_bin(site, "lab-onsets")?;
    let json: serde_json::Value = serde_json::from_str(out.trim()).context("lab-onsets prints JSON")?;
    let stats = |errors: &serde_json::Value| -> (f64, f64) {
        let mut abs: Vec<f64> =
            errors.as_array().into_iter().flatten().filter_map(|v| v.as_f64()).map(f64::abs).collect();
        abs.sort_by(f64::total_cmp);
        let median = if abs.is_empty() { f64::NAN } else { abs[abs.len() / 2] };
        (median, abs.last().copied().unwrap_or(f64::NAN))
    };
    // One output frame at 48 kHz: the tap cannot see finer than this, so a
    // measured 0 means "under 0.02 ms" and the ratio uses this floor.
    const FRAME_MS: f64 = 1000.0 / 48_000.0;
    let mut rows = String::from(
        "| player | bells | median error | max error | page saw 2nd bell late by |\n|---|---:|---:|---:|---:|\n",
    );
    let mut naive_max = f64::NAN;
    let mut stille_max: f64 = 0.0;
    for run in json["runs"].as_array().into_iter().flatten() {
        let (median, max) = stats(&run["errors_ms"]);
        let mode = run["mode"].as_str().unwrap_or("?");
        let label = match mode {
            "soundtrack" => "Stille, soundtrack (media element)",
            "live" => "Stille, live (AudioContext schedule)",
            _ => "naive setTimeout bell",
        };
        if mode == "naive" {
            naive_max = max;
        } else {
            stille_max = stille_max.max(max);
        }
        let count = run["errors_ms"].as_array().map_or(0, Vec::len);
        let seen = run["seen_late_ms"].get(1).and_then(|v| v.as_f64()).unwrap_or(f64::NAN);
        rows.push_str(&format!("| {label} | {count} | {median:.2} ms | {max:.2} ms | {seen:.0} ms |\n"));
    }
    let ratio = naive_max / stille_max.max(FRAME_MS);
    let mut voice_rows =
        String::from("| player | onsets | median error | max error |\n|---|---:|---:|---:|\n");
    for run in json["voice"].as_array().into_iter().flatten() {
        let (median, max) = stats(&run["errors_ms"]);
        let label = match run["mode"].as_str().unwrap_or("?") {
            "soundtrack" => "Stille, soundtrack (media element)",
            _ => "Stille, live (AudioContext schedule)",
        };
        let count = run["errors_ms"].as_array().map_or(0, Vec::len);
        voice_rows.push_str(&format!("| {label} | {count} | {median:.2} ms | {max:.2} ms |\n"));
    }
    let mut prepare_voice = String::from("| mode | prepare time | size |\n|---|---:|---:|\n");
    for p in json["prepare_voice"].as_array().into_iter().flatten() {
        prepare_voice.push_str(&format!(
            "| {} | {:.0} ms | {:.0} KB |\n",
            p["mode"].as_str().unwrap_or("?"),
            p["ms"].as_f64().unwrap_or(f64::NAN),
            p["kb"].as_f64().unwrap_or(f64::NAN)
        ));
    }
    // The clips' samples as the player holds them (f32 at 24 kHz), from the script.
    let scan = stille_practice::catalog().get("mbsr-body-scan").context("the body scan")?;
    let spoken_ms: u64 = scan
        .script
        .iter()
        .filter_map(|s| match s {
            stille_practice::Segment::Cue { ms, .. } => Some(u64::from(*ms)),
            _ => None,
        })
        .sum();
    let clip_mb = spoken_ms as f64 / 1000.0 * 24_000.0 * 4.0 / 1_000_000.0;
    let mut prepare = String::from("| mode | prepare time | size |\n|---|---:|---:|\n");
    for p in json["prepare"].as_array().into_iter().flatten() {
        prepare.push_str(&format!(
            "| {} | {:.0} ms | {:.0} KB |\n",
            p["mode"].as_str().unwrap_or("?"),
            p["ms"].as_f64().unwrap_or(f64::NAN),
            p["kb"].as_f64().unwrap_or(f64::NAN)
        ));
    }
    Ok(format!(
        "## Bells in the browser\n\n\
         Measured by `cargo xtask bench` on {date} ({machine}), headless Chromium \
         (`cargo run -p stille-e2e --bin lab-onsets`). The lab's bell test (a chime at 2 s and \
         every 20 s, ten bells over three minutes) in each player, one after another, each with \
         the page hidden behind another tab for 186 s and its main thread blocked for 5 s around \
         the second bell. Errors are output onsets found by an AudioWorklet tap, against the \
         plan, relative to the first bell (resolution one output frame, {FRAME_MS:.3} ms).\n\n{rows}\n\
         Worst naive error ÷ worst Stille error (floored at one frame): **{ratio:.0}×**. \
         The naive timer's chain of `setTimeout` calls carries the block's delay into every later \
         bell.\n\n\
         Preparing the 45-minute silent timer with 10 interval bells in Chromium (wasm, the \
         second of two preparations; soundtrack = render + FLAC encode + Blob, live = render each \
         distinct sound + AudioBuffers):\n\n{prepare}\n\
         ### A recorded voice\n\n\
         The lab's voice test (`Test::Voice`): chimes at 2, 22 and 42 s and a 1.2 s clip of \
         stand-in speech (a 300 Hz tone with a 2 ms rise) at 12, 32 and 52 s, mixed through \
         `Config::voice` as a teacher's recorded cues are; the page hidden and its main thread \
         blocked 5 s around the first clip. Errors against the plan, as above:\n\n{voice_rows}\n\
         Preparing the 45-minute body scan with every cue recorded (`Test::ScanVoice`: a stand-in \
         clip as long as the script gives each of its cues, {spoken_s:.0} s of speech in all; \
         target 3 s), the second of two preparations. The clips as the player holds them take \
         {clip_mb:.1} MB (f32 at 24 kHz); fetching and decoding the teacher's MP3 files is not \
         included:\n\n{prepare_voice}",
        spoken_s = spoken_ms as f64 / 1000.0
    ))
}

/// The lab's bell and voice tests in WebKit, recorded outside the browser.
fn webkit_section(site: &site::Site, date: &str, machine: &str) -> Result<String> {
    let browsers = crate::Browsers::start(site.clone())?;
    let out = run::cargo_output_with_env(
        &["run", "--quiet", "--package", "stille-e2e", "--bin", "webkit-onsets"],
        &browsers.env(),
    )?;
    let json: serde_json::Value = serde_json::from_str(out.trim()).context("webkit-onsets prints JSON")?;
    let errors = |value: &serde_json::Value| -> Vec<f64> {
        value.as_array().into_iter().flatten().map(|v| v.as_f64().unwrap_or(f64::NAN)).collect()
    };
    let mut rows = String::from(
        "| test | player | onsets recorded | each against the plan (ms) | max error | the page's own tap said (max) |\n\
         |---|---|---:|---|---:|---:|\n",
    );
    for run in json["runs"].as_array().into_iter().flatten() {
        let recorded = errors(&run["recorded_errors_ms"]);
        let max = recorded.iter().map(|e| e.abs()).fold(0.0, f64::max);
        let each = recorded.iter().map(|e| format!("{e:+.1}")).collect::<Vec<_>>().join(", ");
        let tapped = run["tap"].as_bool().unwrap_or(false);
        let page = errors(&run["page_errors_ms"]).iter().map(|e| e.abs()).fold(0.0, f64::max);
        let player = match (run["mode_used"].as_str().unwrap_or("?"), tapped) {
            ("soundtrack", false) => "soundtrack (media element)",
            ("soundtrack", true) => "soundtrack, routed through the page's tap",
            ("live", _) => "live (AudioContext schedule)",
            (other, _) => other,
        };
        rows.push_str(&format!(
            "| {} | {player} | {} | {each} | {max:.1} ms | {} |\n",
            run["test"].as_str().unwrap_or("?"),
            run["onsets"],
            if tapped { format!("{page:.1} ms") } else { "–".to_owned() },
        ));
    }
    Ok(format!(
        "## Bells in WebKit, recorded\n\n\
         Measured by `cargo xtask bench audio-webkit` on {date} ({machine}), WebKitGTK (Debian's \
         MiniBrowser) playing into a PulseAudio null sink of the run's own, recorded from the sink's \
         monitor with `parec` (`cargo run -p stille-e2e --bin webkit-onsets`; onsets = the first sample \
         above 1 % of full scale after 4 s of quiet, resolution 0.02 ms). Each run with the page hidden \
         (the window minimized, as a locked iPhone hides it) from the start to the end and its main \
         thread blocked 5 s around the second onset. Bells: a chime at 2 s and every 20 s, ten over \
         three minutes; voice: chimes at 2, 22 and 42 s and a stand-in clip at 12, 32 and 52 s. Errors \
         are against the plan, relative to the first onset.\n\n{rows}\n\
         The soundtrack, a media element playing straight out (as the player plays it), is exact. \
         The last row is the same soundtrack routed through the page's own tap \
         (`createMediaElementSource` into an AudioWorklet, how Chromium's figures above are measured), \
         with the tap's own figure beside the recording's: in WebKit that route moves the sound it \
         measures (the recording of one earlier run found 52 ms at the tenth bell where the tap said \
         12 ms), so WebKit's figures and its test (`tests/tests/e2e/lab_audio.rs`) come from a recording. \
         Live mode (interactive pacers, in the foreground) keeps WebKit's AudioContext clock, which \
         here runs about 0.1 ms a second behind the sound server's.\n"
    ))
}

/// From Begin to sound in the player, and the memory it holds, for long
/// practices with and without a background sound.
fn start_section(site: &site::Site, date: &str, machine: &str) -> Result<String> {
    let out = browser_bin(site, "player-start")?;
    let json: serde_json::Value = serde_json::from_str(out.trim()).context("player-start prints JSON")?;
    let median = |values: &mut Vec<f64>| -> f64 {
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
    };
    let mut rows = String::from(
        "| practice | to sound, median (min–max) | JavaScript heap | wasm memory | media files (Blobs) | budget 2 s, 30 MB |\n\
         |---|---:|---:|---:|---:|---|\n",
    );
    for case in json["cases"].as_array().into_iter().flatten() {
        let runs = case["runs"].as_array().cloned().unwrap_or_default();
        let column = |key: &str| -> Vec<f64> { runs.iter().filter_map(|r| r[key].as_f64()).collect() };
        let mut sound = column("to_sound_ms");
        let (min, max) = (
            sound.iter().copied().fold(f64::INFINITY, f64::min),
            sound.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        );
        let sound_ms = median(&mut sound);
        let heap = median(&mut column("heap_mb"));
        let wasm = median(&mut column("wasm_mb"));
        let blobs = median(&mut column("blobs_mb"));
        let within = sound_ms <= 2_000.0 && heap + wasm <= 30.0;
        rows.push_str(&format!(
            "| {} | {:.0} ms ({:.0}–{:.0}) | {heap:.1} MB | {wasm:.1} MB | {blobs:.1} MB | {} |\n",
            case["name"].as_str().unwrap_or("?"),
            sound_ms,
            min,
            max,
            if within { "within" } else { "**over**" }
        ));
    }
    Ok(format!(
        "## From Begin to sound\n\n\
         Measured by `cargo xtask bench` on {date} ({machine}), headless Chromium at a phone's size, \
         the release site (`cargo run -p stille-e2e --bin player-start`), {} fresh pages each. The time \
         runs from the tap on Begin to the soundtrack element's `playing` event: the soundtrack drawn \
         and encoded (silence passed over, not drawn), its Blob made, the element started. Memory is \
         read while it plays, after a forced garbage collection: the JavaScript heap (DevTools' \
         `JSHeapUsedSize`), the wasm module's linear memory (it never shrinks, so it is the peak of \
         preparing) and the Blobs handed to the media elements (held by the browser, outside both). \
         A background sound is a 30 s seamless loop in a second media element that follows the \
         soundtrack (`audio/src/web/bed.rs`).\n\n{rows}\n\
         Before the bed was looped and silence passed over (2026-12-05, issue #21), the body scan \
         with pink noise took 20 s to sound and 91 MB of JavaScript heap: 45 minutes of noise \
         drawn into the soundtrack and encoded, 87 MB of FLAC.\n",
        json["runs"]
    ))
}

/// Preparing a session's soundtrack natively: criterion's median time and the
/// FLAC size, for the 45-minute silent timer with 10 interval bells.
fn audio_section(date: &str, machine: &str) -> Result<String> {
    use stille_audio::{Config, lab, soundtrack_flac};
    use stille_practice::{BellSound, CueKind};

    run::cargo(&["bench", "--package", "stille-audio", "--bench", "soundtrack"])?;
    let median_ms = |id: &str| -> Result<f64> {
        let path = paths::target_dir().join("criterion").join(id).join("new/estimates.json");
        let text = fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let json: serde_json::Value = serde_json::from_str(&text)?;
        let ns = json["median"]["point_estimate"].as_f64().context("criterion estimates have a median")?;
        Ok(ns / 1e6)
    };
    let render_ms = median_ms("soundtrack/timer_45min_10_bells_flac")?;
    let long_timer_ms = median_ms("soundtrack/timer_180min_bell_every_minute_flac")?;
    let breathing_ms = median_ms("soundtrack/breathing_60min_tones_flac")?;
    let bed_ms = median_ms("soundtrack/bed_loop_flac")?;
    let compile_ms = median_ms("compile_body_scan_45min")?;

    let timeline = lab::silent_timer(45, 10, BellSound::Bowl);
    let bells = timeline.cues.iter().filter(|c| matches!(c.kind, CueKind::Bell { .. })).count();
    let config = Config::default();
    let flac = soundtrack_flac(&timeline, &config).map_err(|e| anyhow::anyhow!("{e}"))?;
    let wav_bytes = 44 + u64::from(timeline.length_ms) * u64::from(config.sample_rate) / 1000 * 2;
    Ok(format!(
        "## Preparing a soundtrack (native)\n\n\
         Measured by `cargo xtask bench` on {date} ({machine}); criterion medians \
         (`cargo bench -p stille-audio`).\n\n\
         | what | figure |\n|---|---:|\n\
         | 45-min silent timer, 10 interval bells ({bells} bells in all): render + FLAC encode | {render_ms:.0} ms |\n\
         | its FLAC (24 kHz, 16-bit mono) | {} bytes ({:.2} MB) |\n\
         | the same as WAV | {wav_bytes} bytes ({:.1} MB) |\n\
         | 180-min timer, a bowl every minute (181 bells): render + FLAC encode | {long_timer_ms:.0} ms |\n\
         | 60-min paced breathing, a tone on every breath: render + FLAC encode | {breathing_ms:.0} ms |\n\
         | the background sound's 30 s loop (pink): draw + FLAC encode | {bed_ms:.0} ms |\n\
         | compiling the 45-min body scan to a timeline | {compile_ms:.3} ms |\n\n\
         Stretches where nothing sounds are passed over, not drawn, and the encoder writes a \
         word at a time with table CRCs (the 45-min timer took 551 ms before, 2026-11-23). The same \
         timer prepared in Chromium: see \"Bells in the browser\"; from Begin to sound: see \
         \"From Begin to sound\".\n",
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
    let verdict = |budget: usize| if br_total <= budget { "within" } else { "over" };
    table.push_str(&format!(
        "\nBudgets, brotli: issue #5's 250 KB ({}), issue #20's 175 KB ({}). `cargo xtask test` fails \
         above {} bytes (`FIRST_LOAD_CEILING`, xtask/src/site.rs), a ceiling against unnoticed growth.\n",
        verdict(250_000),
        verdict(175_000),
        site::FIRST_LOAD_CEILING,
    ));
    let (mut chunks_raw, mut chunks_br, mut biggest) = (0, 0, (0, String::new()));
    for chunk in &site.chunks {
        let bytes =
            fs::read(site.dir.join(chunk)).with_context(|| format!("cannot read {}", chunk.display()))?;
        let br = site::brotli(&bytes)?.len();
        chunks_raw += bytes.len();
        chunks_br += br;
        if br > biggest.0 {
            biggest = (br, chunk.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        }
    }
    table.push_str(&format!(
        "\nNot part of the first load: the other screens, as {} wasm chunks (app/src/split.rs), fetched \
         when a screen is first opened and precached by the service worker after the first visit: \
         {chunks_raw} bytes raw, {chunks_br} brotli in all; the largest, `{}`, {} brotli.\n",
        site.chunks.len(),
        biggest.1,
        biggest.0,
    ));
    let details = fs::read(site.dir.join(&site.details)).context("cannot read the catalog details")?;
    table.push_str(&format!(
        "\nNot part of the first load: the catalog's details (every practice's script, source and prompts, \
         every course's sessions, the questionnaires, `{}`), fetched when a practice is first opened and \
         precached by the service worker after the first visit: {} bytes raw, {} brotli.\n",
        site.details.display(),
        details.len(),
        site::brotli(&details)?.len()
    ));
    let mut rest = Vec::new();
    for file in paths::files_under(&site.dir.join("assets"))? {
        let name = file.to_string_lossy().into_owned();
        if name.starts_with("strings-") && name.ends_with(".rest.json") {
            let bytes = fs::read(site.dir.join("assets").join(&file))?;
            rest.push(format!("`{name}` {} bytes raw, {} brotli", bytes.len(), site::brotli(&bytes)?.len()));
        }
    }
    rest.sort();
    table.push_str(&format!(
        "\nNot part of the first load: the words of the screens past the first (app/src/i18n.rs), fetched \
         beside the first of their chunks and precached by the service worker: {}.\n",
        rest.join("; ")
    ));
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

//! Recordings: an upload is judged by its content, kept as one MP3 at one
//! loudness under its content hash, heard only by whom it is shared with,
//! and a bad upload gets a clear error and leaves nothing behind. The sound
//! files are made here with ffmpeg (which `cargo xtask test` installs).

use std::path::{Path, PathBuf};
use std::process::Command;

use object_store::ObjectStore;
use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{Person, TestApp, backends, error_of, generous, spawn_app_configured};

/// A sound file made by ffmpeg from `input` (lavfi source arguments) with
/// `output` options, as bytes.
fn made(input: &[&str], output: &[&str], extension: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join(format!("sound.{extension}"));
    let status = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y"])
        .args(input)
        .args(output)
        .arg(&file)
        .status()
        .expect("ffmpeg runs (`cargo xtask test` installs it: apt-get install ffmpeg)");
    assert!(status.success(), "ffmpeg made {extension}");
    std::fs::read(&file).expect("the made file")
}

/// `seconds` of a tone at `hz`, `level` dB from lavfi's own (a peak of
/// -18 dBFS), in `format`.
fn tone(seconds: f64, hz: u32, level: i32, format: &str) -> Vec<u8> {
    let source = format!("sine=frequency={hz}:sample_rate=44100:duration={seconds}");
    let volume = format!("volume={level}dB");
    let input = ["-f", "lavfi", "-i", source.as_str(), "-af", volume.as_str()];
    let (codec, extension): (&[&str], &str) = match format {
        "wav" => (&["-c:a", "pcm_s16le"], "wav"),
        "mp3" => (&["-c:a", "libmp3lame", "-b:a", "64k"], "mp3"),
        "m4a" => (&["-c:a", "aac", "-b:a", "64k"], "m4a"),
        "flac" => (&["-c:a", "flac"], "flac"),
        "ogg" => (&["-c:a", "libvorbis"], "ogg"),
        "webm" => (&["-c:a", "libopus", "-b:a", "48k"], "webm"),
        other => panic!("no format {other}"),
    };
    made(&input, codec, extension)
}

fn query(title: &str) -> String {
    format!("title={}&lang=da", title.replace(' ', "%20"))
}

async fn upload(
    app: &TestApp,
    token: &str,
    query: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> (u16, Value) {
    let mut request =
        app.http.post(app.url(&format!("/api/recordings?{query}"))).bearer_auth(token).body(body);
    if let Some(content_type) = content_type {
        request = request.header(CONTENT_TYPE, content_type);
    }
    let response = request.send().await.expect("the upload reaches the server");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// The files kept in the local audio store.
fn kept_files(app: &TestApp) -> Vec<PathBuf> {
    let dir = app.data_dir().join("recordings/audio");
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

fn upload_dir_is_empty(app: &TestApp) -> bool {
    std::fs::read_dir(app.data_dir().join("uploads")).map(|mut d| d.next().is_none()).unwrap_or(true)
}

/// What ffprobe says of `bytes`: codec, channels, sample rate, duration (s).
fn probe(bytes: &[u8]) -> (String, u64, u64, f64) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("kept.mp3");
    std::fs::write(&file, bytes).expect("written");
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-print_format", "json", "-show_streams", "-show_format"])
        .arg(&file)
        .output()
        .expect("ffprobe runs");
    let info: Value = serde_json::from_slice(&output.stdout).expect("ffprobe's JSON");
    let stream = &info["streams"][0];
    (
        stream["codec_name"].as_str().unwrap_or_default().to_owned(),
        stream["channels"].as_u64().unwrap_or_default(),
        stream["sample_rate"].as_str().and_then(|r| r.parse().ok()).unwrap_or_default(),
        info["format"]["duration"].as_str().and_then(|d| d.parse().ok()).unwrap_or_default(),
    )
}

/// The integrated loudness (LUFS) of `bytes`, measured by ffmpeg.
fn loudness(bytes: &[u8]) -> f64 {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("kept.mp3");
    std::fs::write(&file, bytes).expect("written");
    let output = Command::new("ffmpeg")
        .args(["-nostdin", "-hide_banner", "-nostats", "-i"])
        .arg(&file)
        .args(["-af", "ebur128=framelog=verbose", "-f", "null", "-"])
        .output()
        .expect("ffmpeg runs");
    stille_server::recordings::audio::integrated_loudness(&String::from_utf8_lossy(&output.stderr))
        .expect("a loudness")
}

async fn audio_of(app: &TestApp, recording: &Value, token: Option<&str>) -> reqwest::Response {
    let mut request = app.http.get(app.url(recording["audio"].as_str().expect("an audio address")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("the request reaches the server")
}

#[tokio::test]
async fn every_format_taken_is_kept_as_one_mp3_at_one_loudness() {
    for backend in backends() {
        let app = spawn_app_configured(backend, |config| config.rates = generous()).await;
        let teacher = app.instructor("Karen").await;
        for format in ["wav", "mp3", "m4a", "flac", "ogg", "webm"] {
            let sound = tone(3.0, 330, -12, format);
            let (status, recording) = upload(
                &app,
                &teacher.token,
                &query(&format!("Kropsscanning {format}")),
                Some("audio/mpeg"),
                sound,
            )
            .await;
            assert_eq!(status, 201, "{backend}: {format}: {recording}");
            let ms = recording["duration_ms"].as_i64().expect("a duration");
            assert!((2_900..=3_150).contains(&ms), "{backend}: {format}: {ms} ms");
            assert_eq!(recording["owner"], "Karen");
            assert_eq!(recording["lang"], "da");
            assert_eq!(recording["courses"], json!([]), "nobody hears it yet");
            let response = audio_of(&app, &recording, Some(&teacher.token)).await;
            assert_eq!(response.status(), 200, "{backend}: {format}");
            assert_eq!(response.headers()[CONTENT_TYPE], "audio/mpeg");
            let bytes = response.bytes().await.expect("the audio");
            assert_eq!(bytes.len() as i64, recording["bytes"].as_i64().expect("bytes"));
            let (codec, channels, rate, seconds) = probe(&bytes);
            assert_eq!((codec.as_str(), channels, rate), ("mp3", 1, 24_000), "{backend}: {format}");
            assert!((seconds - 3.0).abs() < 0.15, "{backend}: {format}: kept {seconds} s");
        }
        // A quiet take and a loud one come out at the same loudness.
        let mut levels = Vec::new();
        // About -31 and -6 LUFS.
        for (title, level) in [("Stille", -10), ("Høj", 15)] {
            let (status, recording) =
                upload(&app, &teacher.token, &query(title), Some("audio/wav"), tone(10.0, 220, level, "wav"))
                    .await;
            assert_eq!(status, 201, "{backend}: {recording}");
            let bytes = audio_of(&app, &recording, Some(&teacher.token)).await.bytes().await.expect("audio");
            levels.push(loudness(&bytes));
        }
        for level in &levels {
            assert!(
                (level - stille_server::recordings::audio::TARGET_LUFS).abs() < 1.5,
                "{backend}: {levels:?}"
            );
        }
        // The same file twice: two recordings, one stored file.
        let twice = tone(2.0, 440, -10, "flac");
        let (_, first) = upload(&app, &teacher.token, &query("En"), Some("audio/flac"), twice.clone()).await;
        let (_, second) = upload(&app, &teacher.token, &query("To"), Some("audio/flac"), twice).await;
        assert_ne!(first["id"], second["id"]);
        assert_eq!(first["audio"], second["audio"], "{backend}: named by content");
        assert_eq!(kept_files(&app).len(), 6 + 2 + 1, "{backend}: {:?}", kept_files(&app));
        let (_, list) = app.get_json("/api/recordings", &teacher.token).await;
        assert_eq!(list["recordings"].as_array().map(Vec::len), Some(10), "{backend}");
        assert!(list["used_bytes"].as_i64() > Some(0) && list["quota_bytes"].as_i64() == Some(2_000_000_000));
        assert!(upload_dir_is_empty(&app), "{backend}: the uploads left nothing behind");
        app.stop().await;
    }
}

/// A bad upload: what it is, its Content-Type, its body, the status it
/// gets and what the answer's message says (any of `|`-separated words).
type BadUpload = (&'static str, Option<&'static str>, Vec<u8>, u16, &'static str);

/// Sends the head of an upload that says `declared` bytes, then only `sent`
/// of them, and closes: a phone that lost its connection half way.
async fn cut_off_upload(app: &TestApp, token: &str, declared: usize, sent: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.expect("connects");
    let head = format!(
        "POST /api/recordings?{} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: audio/wav\r\nContent-Length: {declared}\r\n\r\n",
        query("Afbrudt"),
        app.addr
    );
    stream.write_all(head.as_bytes()).await.expect("head sent");
    stream.write_all(sent).await.expect("half the body sent");
    stream.shutdown().await.expect("closed for writing");
    let mut answer = String::new();
    let _ =
        tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_string(&mut answer)).await;
    answer
}

#[tokio::test]
async fn bad_uploads_each_get_a_clear_error_and_store_nothing() {
    for backend in backends() {
        let app = spawn_app_configured(backend, |config| {
            config.rates = generous();
            config.recording_max_mb = 1;
            config.recording_max_minutes = 1;
            config.recording_quota_mb = 1;
        })
        .await;
        let teacher = app.instructor("Karen").await;
        let token = teacher.token.as_str();
        let wav = tone(10.0, 220, -12, "wav");
        let flac = tone(20.0, 220, -12, "flac");
        let cases: Vec<BadUpload> = vec![
            (
                "not audio",
                Some("audio/mpeg"),
                b"Dette er en indkoebsseddel, ikke en lydfil.\n".repeat(50),
                422,
                "not a sound file",
            ),
            (
                "a PNG",
                Some("audio/mpeg"),
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".repeat(20),
                422,
                "not a sound file|is not taken",
            ),
            ("a truncated WAV", Some("audio/wav"), wav[..wav.len() * 6 / 10].to_vec(), 422, "ends early"),
            (
                "a truncated FLAC",
                Some("audio/flac"),
                flac[..flac.len() / 2].to_vec(),
                422,
                "ends early|damaged",
            ),
            ("longer than taken", Some("audio/mpeg"), tone(75.0, 220, -12, "mp3"), 422, "at most 1:00"),
            (
                "larger than taken",
                Some("audio/wav"),
                made(
                    &["-f", "lavfi", "-i", "sine=duration=13:sample_rate=44100"],
                    &["-ac", "2", "-c:a", "pcm_s16le"],
                    "wav",
                ),
                413,
                "larger than",
            ),
            ("sent as JSON", Some("application/json"), tone(2.0, 220, -12, "mp3"), 415, "audio/mpeg"),
            ("sent as text", Some("text/plain"), tone(2.0, 220, -12, "mp3"), 415, "audio/mpeg"),
            ("sent without a type", None, tone(2.0, 220, -12, "mp3"), 415, "without a Content-Type"),
            ("empty", Some("audio/mpeg"), Vec::new(), 422, "empty"),
            (
                "silent",
                Some("audio/wav"),
                made(
                    &["-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-t", "5"],
                    &["-c:a", "pcm_s16le"],
                    "wav",
                ),
                422,
                "silent",
            ),
            (
                "a film",
                Some("video/mp4"),
                made(
                    &[
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc=size=64x64:rate=5:duration=2",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=duration=2",
                    ],
                    &["-c:v", "mpeg4", "-c:a", "aac", "-shortest"],
                    "mp4",
                ),
                422,
                "video",
            ),
        ];
        for (what, content_type, body, status, says) in cases {
            let (got, answer) = upload(&app, token, &query(what), content_type, body).await;
            assert_eq!(got, status, "{backend}: {what}: {answer}");
            let message = answer["error"]["message"].as_str().unwrap_or_default();
            assert!(
                says.split('|').any(|s| message.contains(s)),
                "{backend}: {what}: {message:?} should say {says:?}"
            );
        }
        // The address's options.
        let sound = tone(2.0, 220, -12, "mp3");
        let (status, answer) = upload(&app, token, "lang=da", Some("audio/mpeg"), sound.clone()).await;
        assert_eq!(
            (status, error_of(&answer)),
            (422, ("invalid".into(), "title".into())),
            "no title: {answer}"
        );
        let (status, answer) =
            upload(&app, token, "title=Hej&lang=de", Some("audio/mpeg"), sound.clone()).await;
        assert_eq!((status, error_of(&answer)), (422, ("invalid".into(), "lang".into())), "{answer}");
        let (status, answer) =
            upload(&app, token, "title=Hej&lang=da&voice=x", Some("audio/mpeg"), sound.clone()).await;
        assert_eq!(status, 400, "{backend}: an unknown option: {answer}");
        // A participant does not upload.
        let ida = app.participant("Ida").await;
        let (status, _) = upload(&app, &ida.token, &query("Min"), Some("audio/mpeg"), sound).await;
        assert_eq!(status, 403, "{backend}");
        // Cut off half way.
        let answer = cut_off_upload(&app, token, wav.len(), &wav[..wav.len() / 2]).await;
        assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 400"), "{backend}: {answer}");
        // Nothing of it all was kept.
        let (_, list) = app.get_json("/api/recordings", token).await;
        assert_eq!(list["recordings"], json!([]), "{backend}");
        assert!(kept_files(&app).is_empty(), "{backend}: {:?}", kept_files(&app));
        // Over the quota (1 MB; 50 s kept is about 300 kB): the fourth is refused.
        for n in 0..4 {
            let (status, answer) = upload(
                &app,
                token,
                &query(&format!("Del {n}")),
                Some("audio/mpeg"),
                tone(50.0, 200 + n * 50, -12, "mp3"),
            )
            .await;
            if n < 3 {
                assert_eq!(status, 201, "{backend}: take {n}: {answer}");
            } else {
                assert_eq!(status, 413, "{backend}: over the quota: {answer}");
                assert!(
                    answer["error"]["message"].as_str().unwrap_or_default().contains("of the 1.0 MB"),
                    "{answer}"
                );
            }
        }
        let (_, list) = app.get_json("/api/recordings", token).await;
        assert_eq!(list["recordings"].as_array().map(Vec::len), Some(3), "{backend}");
        assert_eq!(kept_files(&app).len(), 3, "{backend}");
        // Near the quota (about 900 kB used), a 12 s cue (about 72 kB) fits
        // once; a second such cue does not, but recording the first again
        // does: what it replaces is not counted twice.
        let (cues, _) = cues_of("mbsr-body-scan");
        let cue_query = |cue: u32| format!("practice=mbsr-body-scan&cue={cue}&lang=da");
        let (status, answer) =
            upload(&app, token, &cue_query(cues[0]), Some("audio/mpeg"), tone(12.0, 300, -12, "mp3")).await;
        assert_eq!(status, 201, "{backend}: a cue within the quota: {answer}");
        let (status, answer) =
            upload(&app, token, &cue_query(cues[1]), Some("audio/mpeg"), tone(12.0, 350, -12, "mp3")).await;
        assert_eq!(status, 413, "{backend}: a new cue over the quota: {answer}");
        let (status, answer) =
            upload(&app, token, &cue_query(cues[0]), Some("audio/mpeg"), tone(12.5, 400, -12, "mp3")).await;
        assert_eq!(status, 201, "{backend}: the same cue again, in place of the first: {answer}");
        let (_, list) = app.get_json("/api/recordings", token).await;
        assert_eq!(list["recordings"].as_array().map(Vec::len), Some(4), "{backend}");
        assert!(list["used_bytes"].as_i64() <= list["quota_bytes"].as_i64(), "{backend}: {list}");
        // The server is fine afterwards, and its upload directory is empty.
        assert_eq!(app.get("/api/health").await.status(), 200);
        let uploads_gone = async {
            while !upload_dir_is_empty(&app) {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(10), uploads_gone)
            .await
            .expect("uploads removed");
        app.stop().await;
    }
}

/// A teacher's recording shared with their course, and the people around it.
struct Shared {
    teacher: Person,
    member: Person,
    outsider: Person,
    other_teacher: Person,
    course: String,
    recording: Value,
}

async fn shared(app: &TestApp) -> Shared {
    let teacher = app.instructor("Karen").await;
    let other_teacher = app.instructor("Søren").await;
    let (course, code) = app.course(&teacher, Some("msc")).await;
    let (_, other_code) = app.course(&other_teacher, None).await;
    let member = app.participant("Ida").await;
    let outsider = app.participant("Ole").await;
    assert_eq!(app.join(&member, &code, false, false).await.0, 201, "consent is not needed to hear");
    assert_eq!(app.join(&outsider, &other_code, true, true).await.0, 201);
    let (status, recording) =
        upload(app, &teacher.token, &query("Venlighed"), Some("audio/mpeg"), tone(4.0, 300, -12, "mp3"))
            .await;
    assert_eq!(status, 201, "{recording}");
    let id = recording["id"].as_str().expect("id").to_owned();
    let (status, recording) = app
        .call(
            Method::PATCH,
            &format!("/api/recordings/{id}"),
            Some(&teacher.token),
            Some(json!({"courses": [course]})),
        )
        .await;
    assert_eq!(status, 200, "{recording}");
    assert_eq!(recording["courses"], json!([course]));
    Shared { teacher, member, outsider, other_teacher, course, recording }
}

#[tokio::test]
async fn a_recording_is_heard_by_its_owner_and_its_courses_and_nobody_else() {
    for backend in backends() {
        let app = spawn_app_configured(backend, |config| config.rates = generous()).await;
        let world = shared(&app).await;
        let id = world.recording["id"].as_str().expect("id");
        let path = format!("/api/recordings/{id}");
        let ghost = "/api/recordings/01900000-0000-7000-8000-000000000000";
        let ghost_audio = format!("/api/audio/{}", "0".repeat(64));
        let audio = world.recording["audio"].as_str().expect("audio").to_owned();
        let callers: [(&str, Option<&Person>, bool); 5] = [
            ("nobody signed in", None, false),
            ("a participant of the course", Some(&world.member), true),
            ("a participant of another course", Some(&world.outsider), false),
            ("its owner", Some(&world.teacher), true),
            ("another instructor", Some(&world.other_teacher), false),
        ];
        for (who, person, hears) in callers {
            let token = person.map(|p| p.token.as_str());
            let (status, body) = app.call(Method::GET, &path, token, None).await;
            let (audio_status, audio_body) = app.call(Method::GET, &audio, token, None).await;
            if hears {
                assert_eq!((status, audio_status), (200, 200), "{backend}: {who}: {body}");
                assert_eq!(body["title"], "Venlighed");
            } else {
                // Exactly what a recording that does not exist gets.
                assert_eq!(
                    (status, &body),
                    (404, &app.call(Method::GET, ghost, token, None).await.1),
                    "{backend}: {who}"
                );
                assert_eq!(
                    (audio_status, &audio_body),
                    (404, &app.call(Method::GET, &ghost_audio, token, None).await.1),
                    "{backend}: {who}: the audio"
                );
            }
            // Only its owner changes or deletes it (the owner is checked below).
            let expected = match (person, hears) {
                (Some(p), _) if p.id == world.teacher.id => continue,
                (None, _) => 401,
                (Some(_), true) => 403,
                (Some(_), false) => 404,
            };
            let change = Some(json!({"title": "Nyt navn"}));
            let (status, _) = app.call(Method::PATCH, &path, token, change).await;
            let (delete_status, _) = app.call(Method::DELETE, &path, token, None).await;
            assert_eq!((status, delete_status), (expected, expected), "{backend}: {who} changes it");
        }
        let (_, still) = app.get_json(&path, &world.teacher.token).await;
        assert_eq!(still["title"], "Venlighed", "{backend}: refused changes changed nothing");
        // The course's list, for its own people only.
        let course_list = format!("/api/courses/{}/recordings", world.course);
        let (status, list) = app.get_json(&course_list, &world.member.token).await;
        assert_eq!(status, 200);
        assert_eq!(list["recordings"][0]["id"], *id);
        assert_eq!(
            list["recordings"][0]["courses"],
            json!([]),
            "{backend}: only its owner sees where it is shared"
        );
        assert_eq!(app.get_json(&course_list, &world.outsider.token).await.0, 404);
        // The participant's own list holds it; the outsider's does not.
        let (_, mine) = app.get_json("/api/recordings", &world.member.token).await;
        assert_eq!(mine["recordings"].as_array().map(Vec::len), Some(1), "{backend}");
        assert_eq!(mine["quota_bytes"], 0);
        let (_, theirs) = app.get_json("/api/recordings", &world.outsider.token).await;
        assert_eq!(theirs["recordings"], json!([]), "{backend}");
        // Shared only with one's own courses.
        let other_course = app.course(&world.other_teacher, None).await.0;
        let (status, body) = app
            .call(
                Method::PATCH,
                &path,
                Some(&world.teacher.token),
                Some(json!({"courses": [world.course, other_course]})),
            )
            .await;
        assert_eq!(
            (status, error_of(&body)),
            (422, ("invalid".into(), "courses[1]".into())),
            "{backend}: {body}"
        );
        // Published by the admin: everyone hears it, also without an account.
        stille_server::recordings::admin_publish(&app.store, id, true).await.expect("published");
        assert_eq!(app.call(Method::GET, &audio, None, None).await.0, 200, "{backend}");
        let (_, everyone) = app.call(Method::GET, "/api/recordings", None, None).await;
        assert_eq!(everyone["recordings"].as_array().map(Vec::len), Some(1), "{backend}");
        stille_server::recordings::admin_publish(&app.store, id, false).await.expect("unpublished");
        // No longer shared: the participant no longer hears it.
        let (status, _) =
            app.call(Method::PATCH, &path, Some(&world.teacher.token), Some(json!({"courses": []}))).await;
        assert_eq!(status, 200);
        assert_eq!(app.get_json(&path, &world.member.token).await.0, 404, "{backend}");
        // Deleted: its audio is gone from the store too.
        assert_eq!(kept_files(&app).len(), 1);
        assert_eq!(app.call(Method::DELETE, &path, Some(&world.teacher.token), None).await.0, 204);
        assert_eq!(app.get_json(&path, &world.teacher.token).await.0, 404);
        assert_eq!(app.call(Method::GET, &audio, Some(&world.teacher.token), None).await.0, 404);
        assert!(kept_files(&app).is_empty(), "{backend}: {:?}", kept_files(&app));
        app.stop().await;
    }
}

#[tokio::test]
async fn the_audio_answers_ranges_and_is_cached_by_its_hash() {
    let app = spawn_app_configured("sqlite", |config| config.rates = generous()).await;
    let world = shared(&app).await;
    let url = app.url(world.recording["audio"].as_str().expect("audio"));
    let size = world.recording["bytes"].as_u64().expect("bytes");
    let get = |headers: &[(&str, &str)]| {
        let mut request = app.http.get(&url).bearer_auth(&world.member.token);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };
    let whole = get(&[]).await.expect("answered");
    assert_eq!(whole.status(), 200);
    let etag = whole.headers()["etag"].to_str().expect("ascii").to_owned();
    let sha = world.recording["audio"].as_str().expect("audio").trim_start_matches("/api/audio/");
    assert_eq!(etag, format!("\"{sha}\""), "a strong ETag: the content hash");
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    let cache = whole.headers()["cache-control"].to_str().expect("ascii").to_owned();
    assert!(cache.contains("immutable") && cache.contains("private"), "{cache}");
    let all = whole.bytes().await.expect("bytes");
    assert_eq!(all.len() as u64, size);
    // Its hash is its content's.
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(&all).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(digest, sha);

    let part = get(&[("range", "bytes=100-199")]).await.expect("answered");
    assert_eq!(part.status(), 206);
    assert_eq!(part.headers()["content-range"], format!("bytes 100-199/{size}").as_str());
    assert_eq!(part.bytes().await.expect("bytes"), all.slice(100..200));
    let tail = get(&[("range", "bytes=-10")]).await.expect("answered");
    assert_eq!(tail.status(), 206);
    assert_eq!(tail.bytes().await.expect("bytes"), all.slice(all.len() - 10..));
    let outside = get(&[("range", &format!("bytes={size}-"))]).await.expect("answered");
    assert_eq!(outside.status(), 416);
    assert_eq!(outside.headers()["content-range"], format!("bytes */{size}").as_str());
    let same = get(&[("if-none-match", &etag)]).await.expect("answered");
    assert_eq!(same.status(), 304);
    let changed = get(&[("range", "bytes=0-9"), ("if-range", "\"another\"")]).await.expect("answered");
    assert_eq!(changed.status(), 200, "If-Range with another validator: the whole file");
    app.stop().await;
}

#[tokio::test]
async fn an_erased_account_takes_its_recordings_with_it() {
    let app = spawn_app_configured("sqlite", |config| config.rates = generous()).await;
    let world = shared(&app).await;
    assert_eq!(kept_files(&app).len(), 1);
    let (status, body) = app
        .call(
            Method::POST,
            "/api/me/erase",
            Some(&world.teacher.token),
            Some(
                json!({"password": crate::helpers::PASSWORD, "confirm": stille_practice::api::ERASE_PHRASE}),
            ),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    assert!(kept_files(&app).is_empty(), "the voice is personal data: {:?}", kept_files(&app));
    let audio = world.recording["audio"].as_str().expect("audio");
    assert_eq!(app.get_json(audio, &world.member.token).await.0, 404);
    app.stop().await;
}

/// A free port on loopback.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Moto's S3 server on a free port, stopped when dropped.
struct S3 {
    child: std::process::Child,
    url: String,
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_s3(program: &Path) -> S3 {
    let port = free_port();
    let child = Command::new(program)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("moto_server starts");
    let s3 = S3 { child, url: format!("http://127.0.0.1:{port}") };
    let http = reqwest::Client::new();
    for _ in 0..200 {
        // A bucket made by a plain request (Moto takes any credentials).
        if let Ok(response) = http.put(format!("{}/stille-audio", s3.url)).send().await
            && response.status().is_success()
        {
            return s3;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("moto_server did not answer at {}", s3.url);
}

#[tokio::test]
#[ignore = "needs Moto's S3 server: `cargo xtask test` installs it and names it in STILLE_MOTO_SERVER"]
async fn recordings_are_kept_in_an_s3_compatible_store_too() {
    let program = std::env::var_os("STILLE_MOTO_SERVER").map(PathBuf::from).unwrap_or_else(|| {
        panic!("STILLE_MOTO_SERVER names Moto's `moto_server`; `cargo xtask test` installs it and sets it")
    });
    let s3 = start_s3(&program).await;
    let store = format!(
        "s3://stille-audio/course-audio?endpoint={}&region=eu-north-1&allow_http=true\
         &access_key_id=test&secret_access_key=test",
        s3.url
    );
    for backend in backends() {
        let app = spawn_app_configured(backend, |config| {
            config.rates = generous();
            config.audio_store = Some(store.clone());
        })
        .await;
        let world = shared(&app).await;
        let audio = world.recording["audio"].as_str().expect("audio");
        let sha = audio.trim_start_matches("/api/audio/");
        // In the bucket, under the prefix (read with a client of its own);
        // nothing on the local disk.
        let bucket = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name("stille-audio")
            .with_endpoint(&s3.url)
            .with_allow_http(true)
            .with_region("eu-north-1")
            .with_access_key_id("test")
            .with_secret_access_key("test")
            .build()
            .expect("an S3 client");
        let key = object_store::path::Path::from(format!("course-audio/audio/{sha}.mp3"));
        let in_bucket =
            bucket.get(&key).await.expect("the object is in the bucket").bytes().await.expect("bytes");
        assert!(kept_files(&app).is_empty(), "{backend}");
        let heard = audio_of(&app, &world.recording, Some(&world.member.token)).await;
        assert_eq!(heard.status(), 200);
        assert_eq!(heard.bytes().await.expect("bytes"), in_bucket, "{backend}: served from the bucket");
        let part = app
            .http
            .get(app.url(audio))
            .bearer_auth(&world.member.token)
            .header("range", "bytes=10-19")
            .send()
            .await
            .expect("answered");
        assert_eq!(part.status(), 206);
        assert_eq!(part.bytes().await.expect("bytes"), in_bucket.slice(10..20));
        // Deleted: gone from the bucket.
        let id = world.recording["id"].as_str().expect("id");
        let path = format!("/api/recordings/{id}");
        assert_eq!(app.call(Method::DELETE, &path, Some(&world.teacher.token), None).await.0, 204);
        let gone = bucket.get(&key).await;
        assert!(
            matches!(gone, Err(object_store::Error::NotFound { .. })),
            "{backend}: removed from the bucket"
        );
        app.stop().await;
    }
}

/// `lead` s of silence, `words` s of a tone, `tail` s of silence: a cue as
/// a phone's microphone takes it, as WAV.
fn spoken(lead: f64, words: f64, tail: f64) -> Vec<u8> {
    let filter = format!(
        "sine=frequency=220:sample_rate=44100:duration={words},volume=-6dB,\
         adelay={}|{},apad=pad_dur={tail}",
        (lead * 1000.0) as u64,
        (lead * 1000.0) as u64
    );
    made(&["-f", "lavfi", "-i", filter.as_str()], &["-c:a", "pcm_s16le"], "wav")
}

/// The indices of the cues (words to read) in `practice`'s script, and one
/// that is not a cue.
fn cues_of(practice: &str) -> (Vec<u32>, u32) {
    let found = stille_practice::catalog().get(practice).expect("in the catalog");
    let is_cue = |s: &stille_practice::Segment| matches!(s, stille_practice::Segment::Cue { .. });
    let cues = found.script.iter().enumerate().filter(|(_, s)| is_cue(s)).map(|(i, _)| i as u32).collect();
    let other = found.script.iter().position(|s| !is_cue(s)).expect("a bell or a silence") as u32;
    (cues, other)
}

#[tokio::test]
async fn a_cue_recorded_over_its_script_is_trimmed_replaced_and_heard_with_its_voice() {
    for backend in backends() {
        let app = spawn_app_configured(backend, |config| config.rates = generous()).await;
        let teacher = app.instructor("Karen").await;
        let (course, code) = app.course(&teacher, Some("mbsr")).await;
        let member = app.participant("Ida").await;
        assert_eq!(app.join(&member, &code, false, false).await.0, 201);
        let (cues, not_a_cue) = cues_of("mbsr-body-scan");
        let cue_query = |cue: u32| format!("practice=mbsr-body-scan&cue={cue}&lang=da");

        // 1 s before the words and 1.5 s after them: the words begin the
        // clip and 0.25 s is left after them.
        let (status, first) =
            upload(&app, &teacher.token, &cue_query(cues[0]), Some("audio/wav"), spoken(1.0, 2.0, 1.5)).await;
        assert_eq!(status, 201, "{first}");
        let ms = first["duration_ms"].as_i64().expect("a length");
        assert!((2150..=2400).contains(&ms), "trimmed to the words and a breath: {ms} ms");
        assert_eq!(first["title"], "Kropsscanning · 1", "named after the practice");
        assert_eq!(
            (first["practice"].clone(), first["cue"].clone()),
            (json!("mbsr-body-scan"), json!(cues[0]))
        );
        let kept = audio_of(&app, &first, Some(&teacher.token)).await.bytes().await.expect("the audio");
        let (codec, channels, rate, seconds) = probe(&kept);
        assert_eq!((codec.as_str(), channels, rate), ("mp3", 1, 24_000));
        assert!((seconds - ms as f64 / 1000.0).abs() < 0.1, "{seconds} s kept, {ms} ms said");
        let level = loudness(&kept);
        assert!((level + 18.0).abs() < 2.0, "at the voices' loudness: {level} LUFS");

        // Shared with the course; a second cue is heard there as well.
        let id = first["id"].as_str().expect("id");
        let (status, _) = app
            .call(
                Method::PATCH,
                &format!("/api/recordings/{id}"),
                Some(&teacher.token),
                Some(json!({"courses": [course]})),
            )
            .await;
        assert_eq!(status, 200);
        let (status, second) =
            upload(&app, &teacher.token, &cue_query(cues[1]), Some("audio/wav"), spoken(0.5, 1.0, 0.5)).await;
        assert_eq!(status, 201, "{second}");
        assert_eq!(second["courses"], json!([course]), "a new cue is heard where its voice is");
        assert_eq!(second["title"], "Kropsscanning · 2");

        // Recorded again: the new one replaces the first, whose audio goes.
        let files_before = kept_files(&app).len();
        let (status, again) =
            upload(&app, &teacher.token, &cue_query(cues[0]), Some("audio/wav"), spoken(0.3, 3.0, 0.3)).await;
        assert_eq!(status, 201, "{again}");
        assert_eq!(again["courses"], json!([course]), "still heard there");
        assert_eq!(kept_files(&app).len(), files_before, "the replaced audio is removed");
        let (status, heard) = app
            .call(Method::GET, &format!("/api/courses/{course}/recordings"), Some(&member.token), None)
            .await;
        assert_eq!(status, 200);
        let mut heard: Vec<(Value, i64)> = heard["recordings"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|r| (r["cue"].clone(), r["duration_ms"].as_i64().unwrap_or(0)))
            .collect();
        heard.sort_by_key(|(cue, _)| cue.as_u64());
        assert_eq!(heard.len(), 2, "one recording per cue: {heard:?}");
        assert_eq!(heard[0].0, json!(cues[0]));
        assert!(heard[0].1 > 3_000, "the new take of cue {}: {} ms", cues[0], heard[0].1);

        // Unshared: all its cues together.
        let (status, _) = app
            .call(
                Method::PATCH,
                &format!("/api/recordings/{id}", id = second["id"].as_str().expect("id")),
                Some(&teacher.token),
                Some(json!({"courses": []})),
            )
            .await;
        assert_eq!(status, 200);
        let (_, heard) = app
            .call(Method::GET, &format!("/api/courses/{course}/recordings"), Some(&member.token), None)
            .await;
        assert_eq!(heard["recordings"], json!([]), "the whole voice is no longer heard");

        // What a cue's upload refuses, each saying what is wrong.
        let words = spoken(0.2, 1.0, 0.2);
        let refusals = [
            ("practice=mbsr-kropsscan&cue=1&lang=da", "practice", "not a practice in the catalog"),
            (&*format!("practice=mbsr-body-scan&cue={not_a_cue}&lang=da"), "cue", "no words to read"),
            ("practice=mbsr-body-scan&cue=999&lang=da", "cue", "there is no part 999"),
            ("practice=mbsr-body-scan&lang=da", "cue", "say which cue"),
            ("cue=1&lang=da", "practice", "say which practice"),
        ];
        for (query, field, says) in refusals {
            let (status, body) = upload(&app, &teacher.token, query, Some("audio/wav"), words.clone()).await;
            assert_eq!(status, 422, "{query}: {body}");
            assert_eq!(error_of(&body).1, field, "{query}: {body}");
            assert!(body["error"]["message"].as_str().unwrap_or("").contains(says), "{query}: {body}");
        }
        let silence = made(
            &["-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-t", "3"],
            &["-c:a", "pcm_s16le"],
            "wav",
        );
        let (status, body) =
            upload(&app, &teacher.token, &cue_query(cues[2]), Some("audio/wav"), silence).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("no words were heard"), "{body}");
        let long = tone(5.0 * 60.0 + 5.0, 300, -12, "mp3");
        let (status, body) =
            upload(&app, &teacher.token, &cue_query(cues[2]), Some("audio/mpeg"), long).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("at most 5:00 is taken"), "{body}");
        let (_, own) = app.call(Method::GET, "/api/recordings", Some(&teacher.token), None).await;
        assert_eq!(own["recordings"].as_array().map(Vec::len), Some(2), "nothing more kept: {own}");
        assert!(upload_dir_is_empty(&app));
    }
}

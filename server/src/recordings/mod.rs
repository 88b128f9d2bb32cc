//! Recordings in an instructor's own voice: uploaded once (a whole practice,
//! a *take*), checked and converted to the one format every phone plays
//! ([`audio`]), kept in the object store by content hash ([`blobs`]), and
//! heard by the participants of the courses their owner shares them with.
//!
//! Who may hear a recording: its owner; the participants of the courses it
//! is shared with; everyone once an admin has published it. To anyone else
//! it does not exist (404), exactly like a recording that never did, so ids
//! and hashes cannot be probed. Its audio's address names its content
//! (`/api/audio/<sha256>`): it never changes, so it is cached for good, and
//! answers range requests (a media element seeks with them).

pub mod audio;
pub mod blobs;

use std::path::PathBuf;

use axum::Json;
use axum::body::Body as HttpBody;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::StreamExt;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use stille_practice::api::{MAX_RECORDING_TITLE, Recording, RecordingChange, Recordings};
use tokio::io::AsyncWriteExt;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::accounts::session::Auth;
use crate::error::ErrorBody;
use crate::json::Body;
use crate::store::{BeginWrite, hex, new_id, now_ms};
use crate::{AppError, AppState, Store, on_store};

/// How long an upload may take, from its first byte to its answer: a
/// 45-minute take over a slow phone connection, then its conversion.
pub const UPLOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// The content types an upload may be sent as besides `audio/*`: what
/// browsers give the files taken, and "some bytes" (a file whose type the
/// browser did not know). The content itself is what is checked; the type
/// only catches a body that was never meant as a file (JSON, text, a form).
const TYPES: &[&str] =
    &["video/webm", "video/mp4", "video/ogg", "application/ogg", "application/octet-stream"];

/// What the server takes and keeps, and where.
#[derive(Debug)]
pub struct Settings {
    pub blobs: blobs::Blobs,
    /// None: this server has no ffmpeg, and takes no uploads.
    pub tools: Option<audio::Tools>,
    /// Where uploads wait while they are checked (under the data directory).
    pub work_dir: PathBuf,
    pub max_upload_bytes: u64,
    pub max_duration_ms: i64,
    pub quota_bytes: i64,
}

impl Settings {
    pub fn takes_recordings(&self) -> bool {
        self.tools.is_some()
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload, list))
        .routes(routes!(read, change, remove))
        .routes(routes!(course_recordings))
        .routes(routes!(audio_file))
}

/// A recording as stored, with its owner's name.
#[derive(Clone, Debug, sqlx::FromRow)]
struct Row {
    id: String,
    owner_id: String,
    owner_name: String,
    title: String,
    lang: String,
    sha256: String,
    bytes: i64,
    duration_ms: i64,
    bells: bool,
    published: bool,
    created_at_ms: i64,
    practice: Option<String>,
    cue: Option<i64>,
}

const SELECT: &str = "SELECT r.id, r.owner_id, u.display_name AS owner_name, r.title, r.lang, r.sha256, r.bytes, \
                      r.duration_ms, r.bells, r.published, r.created_at_ms, r.practice, r.cue \
                      FROM recordings r JOIN users u ON u.id = r.owner_id";

/// Who may hear recording `r`, with `$1` the caller's id ('' for nobody
/// signed in): its owner, the participants of the courses it is shared
/// with, and everyone once it is published.
const HEARS: &str = "(r.published OR r.owner_id = $1 OR EXISTS (SELECT 1 FROM recording_courses rc \
                     JOIN memberships m ON m.course_id = rc.course_id \
                     WHERE rc.recording_id = r.id AND m.user_id = $1))";

fn not_found() -> AppError {
    AppError::NotFound("there is no such recording, or it is not shared with you".into())
}

fn audio_path(sha256: &str) -> String {
    format!("/api/audio/{sha256}")
}

async fn view(store: &Store, row: Row, caller: &str) -> Result<Recording, AppError> {
    let yours = row.owner_id == caller;
    let courses: Vec<(String,)> = if yours {
        on_store!(store, pool => {
            sqlx::query_as("SELECT course_id FROM recording_courses WHERE recording_id = $1 ORDER BY course_id")
                .bind(&row.id)
                .fetch_all(pool)
                .await?
        })
    } else {
        Vec::new()
    };
    Ok(Recording {
        audio: audio_path(&row.sha256),
        id: row.id,
        title: row.title,
        lang: row.lang,
        owner: row.owner_name,
        yours,
        duration_ms: row.duration_ms,
        bytes: row.bytes,
        bells: row.bells,
        courses: courses.into_iter().map(|(id,)| id).collect(),
        published: row.published,
        created_at_ms: row.created_at_ms,
        practice: row.practice,
        cue: row.cue.and_then(|c| u32::try_from(c).ok()),
    })
}

/// Each of `rows` as `caller` sees it.
async fn views(store: &Store, rows: Vec<Row>, caller: &str) -> Result<Vec<Recording>, AppError> {
    let mut recordings = Vec::with_capacity(rows.len());
    for row in rows {
        recordings.push(view(store, row, caller).await?);
    }
    Ok(recordings)
}

/// Recording `id` if `caller` may hear it; 404 otherwise.
async fn heard(store: &Store, id: &str, caller: &str) -> Result<Row, AppError> {
    if !stille_practice::log::is_uuid(id) {
        return Err(not_found());
    }
    let sql = format!("{SELECT} WHERE r.id = $2 AND {HEARS}");
    let row: Option<Row> = on_store!(store, pool => {
        sqlx::query_as(&sql).bind(caller).bind(id).fetch_optional(pool).await?
    });
    row.ok_or_else(not_found)
}

/// Recording `id` if `auth` owns it; 404 if they may not hear it, 403 if
/// they hear it but it is another's.
async fn owned(store: &Store, id: &str, auth: &Auth) -> Result<Row, AppError> {
    let row = heard(store, id, &auth.user.id).await?;
    if row.owner_id != auth.user.id {
        return Err(AppError::Forbidden("only the instructor whose recording it is can change it".into()));
    }
    auth.instructor()?;
    Ok(row)
}

async fn used_bytes(store: &Store, owner: &str) -> Result<i64, AppError> {
    let (used,): (Option<i64>,) = on_store!(store, pool => {
        sqlx::query_as("SELECT CAST(SUM(bytes) AS BIGINT) FROM recordings WHERE owner_id = $1").bind(owner).fetch_one(pool).await?
    });
    Ok(used.unwrap_or(0))
}

/// The bytes of `owner`'s recording that an upload of one cue replaces (0
/// for a whole take, or a cue not recorded before).
async fn replaced_bytes(store: &Store, owner: &str, upload: &Upload) -> Result<i64, AppError> {
    let Some((practice, cue)) = &upload.cue else { return Ok(0) };
    let (bytes,): (Option<i64>,) = on_store!(store, pool => {
        sqlx::query_as(
            "SELECT CAST(SUM(bytes) AS BIGINT) FROM recordings \
             WHERE owner_id = $1 AND practice = $2 AND lang = $3 AND cue = $4",
        )
        .bind(owner)
        .bind(practice)
        .bind(&upload.lang)
        .bind(i64::from(*cue))
        .fetch_one(pool)
        .await?
    });
    Ok(bytes.unwrap_or(0))
}

fn megabytes(bytes: i64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// The upload's options, from the query string.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct UploadOptions {
    /// What participants see, 1–120 characters (a cue's recording is named
    /// after its practice when left out).
    #[serde(default)]
    title: Option<String>,
    /// The language spoken: "da" or "en".
    lang: String,
    /// Open and close it with a bell (default: no).
    #[serde(default)]
    bells: bool,
    /// One cue of a catalog practice, read over its script: the practice's id
    /// (with `cue`). A new recording of the same cue replaces yours.
    #[serde(default)]
    practice: Option<String>,
    /// The cue's index in the practice's script (with `practice`).
    #[serde(default)]
    cue: Option<u32>,
}

/// The upload's options, checked.
#[derive(Debug)]
struct Upload {
    title: String,
    lang: String,
    bells: bool,
    /// For one cue: the practice and the cue's index in its script.
    cue: Option<(String, u32)>,
}

fn options(query: Option<&str>) -> Result<Upload, AppError> {
    let options: UploadOptions =
        serde_urlencoded::from_str(query.unwrap_or("")).map_err(|error| AppError::Malformed {
            field: None,
            message: format!(
                "the address's options are not right: {error}; give ?title=…&lang=da|en[&bells=true], \
                 or ?practice=…&cue=…&lang=da|en for one cue"
            ),
        })?;
    let lang = match options.lang.as_str() {
        "da" => stille_practice::Lang::Da,
        "en" => stille_practice::Lang::En,
        other => {
            return Err(AppError::invalid(
                "lang",
                format!("{other:?} is not a language Stille speaks: use da or en"),
            ));
        }
    };
    let cue = match (options.practice, options.cue) {
        (None, None) => None,
        (Some(practice), Some(cue)) => Some((practice, cue)),
        (Some(_), None) => {
            return Err(AppError::invalid("cue", "say which cue of the practice this is (cue=…)"));
        }
        (None, Some(_)) => {
            return Err(AppError::invalid("practice", "say which practice the cue belongs to (practice=…)"));
        }
    };
    let named = match &cue {
        Some((practice, index)) => Some(cue_title(practice, *index, lang)?),
        None => None,
    };
    let title = match (options.title, named) {
        (Some(title), _) => stille_practice::api::one_line("title", &title, MAX_RECORDING_TITLE, "a title")?,
        (None, Some(named)) => named,
        (None, None) => return Err(AppError::invalid("title", "give the recording a title (title=…)")),
    };
    Ok(Upload { title, lang: options.lang, bells: options.bells && cue.is_none(), cue })
}

/// Whether cue `index` of `practice` is words to read; its title ("Body
/// scan · 3", the cue's number among the practice's cues) when it is.
fn cue_title(practice: &str, index: u32, lang: stille_practice::Lang) -> Result<String, AppError> {
    use stille_practice::Segment;
    let Some(found) = stille_practice::catalog().get(practice) else {
        return Err(AppError::invalid("practice", format!("{practice:?} is not a practice in the catalog")));
    };
    let script = &found.script;
    let at = usize::try_from(index).unwrap_or(usize::MAX);
    match script.get(at) {
        Some(Segment::Cue { .. }) => {
            let number = script[..at].iter().filter(|s| matches!(s, Segment::Cue { .. })).count() + 1;
            Ok(format!("{} · {number}", found.title.get(lang)))
        }
        Some(_) => Err(AppError::invalid(
            "cue",
            format!(
                "part {index} of {practice} is a bell, a silence or breathing: there are no words to read"
            ),
        )),
        None => Err(AppError::invalid(
            "cue",
            format!("{practice} has {} parts, numbered from 0: there is no part {index}", script.len()),
        )),
    }
}

/// Refuses a body not sent as a sound file's type.
fn sound_type(headers: &HeaderMap) -> Result<(), AppError> {
    let given = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = given.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence.starts_with("audio/") && essence.len() > "audio/".len() || TYPES.contains(&essence.as_str()) {
        Ok(())
    } else {
        Err(AppError::WrongType(format!(
            "send the recording as the sound file itself, with its type (audio/mpeg, audio/mp4, audio/wav, \
             audio/flac, audio/ogg, audio/webm) or as application/octet-stream, not {}",
            if given.is_empty() { "without a Content-Type".to_owned() } else { format!("as {given}") }
        )))
    }
}

/// Upload a whole practice in your own voice (instructors), or one cue of a
/// catalog practice read over its script (`practice` and `cue`): the sound
/// file itself as the body (MP3, M4A, WAV, FLAC, Ogg or WebM). It is checked
/// by its content (a cue is trimmed of the silence around the words),
/// converted to MP3 (mono, speech quality) at one loudness, and kept once by
/// its content. Nobody hears it until you share it with a course; a cue is
/// heard where the other cues of its practice are.
#[utoipa::path(post, path = "/recordings", tag = "recordings", params(UploadOptions),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "The sound file itself, sent as application/octet-stream or as its type: audio/mpeg, \
                       audio/mp4, audio/wav, audio/flac, audio/ogg, audio/webm"),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 201, description = "Kept", body = Recording),
        (status = 400, description = "The options are not right, or the upload was cut off", body = ErrorBody),
        (status = 403, description = "Only instructors upload recordings", body = ErrorBody),
        (status = 413, description = "Larger than the server takes, or over your quota", body = ErrorBody),
        (status = 415, description = "Not sent as a sound file", body = ErrorBody),
        (status = 422, description = "Not sound, damaged, cut short, silent or too long", body = ErrorBody),
        (status = 409, description = "The same cue was kept by another upload at the same moment", body = ErrorBody),
        (status = 503, description = "This server takes no recordings (it has no ffmpeg), or is busy", body = ErrorBody),
    ))]
async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: HttpBody,
) -> Result<(StatusCode, Json<Recording>), AppError> {
    let owner = auth.instructor()?.clone();
    let settings = &state.recordings;
    let options = options(query.as_deref())?;
    sound_type(&headers)?;
    let Some(tools) = &settings.tools else {
        return Err(AppError::Unavailable("this server takes no recordings: it has no ffmpeg".into()));
    };
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > settings.max_upload_bytes) {
        return Err(too_large(settings.max_upload_bytes));
    }
    // A cue recorded again takes the place of its earlier recording: the
    // bytes it frees are not counted against the new one.
    let used = used_bytes(&state.store, &owner.id).await?
        - replaced_bytes(&state.store, &owner.id, &options).await?;
    if used >= settings.quota_bytes {
        return Err(over_quota(used, settings.quota_bytes));
    }
    // The upload goes to a file of its own (removed however this ends).
    let received = tempfile::NamedTempFile::new_in(&settings.work_dir).map_err(internal)?;
    let mut file = tokio::fs::File::from_std(received.reopen().map_err(internal)?);
    let mut stream = body.into_data_stream();
    let mut total = 0_u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|error| AppError::Malformed {
            field: None,
            message: format!(
                "the upload was cut off before its end ({error}); nothing was kept: send it again"
            ),
        })?;
        total += chunk.len() as u64;
        if total > settings.max_upload_bytes {
            return Err(too_large(settings.max_upload_bytes));
        }
        file.write_all(&chunk).await.map_err(internal)?;
    }
    file.flush().await.map_err(internal)?;
    drop(file);
    if total == 0 {
        return Err(AppError::invalid("body", "the file is empty"));
    }
    let refused = |refusal: audio::Refusal| match refusal {
        audio::Refusal::File(message) => AppError::invalid("body", message),
        audio::Refusal::Tool(message) => AppError::Internal(message),
    };
    let probe = tools.probe(received.path()).await.map_err(refused)?;
    let converted_file = tempfile::NamedTempFile::new_in(&settings.work_dir).map_err(internal)?;
    // A cue is trimmed of the silence before and after the words.
    let (max_ms, trim) = if options.cue.is_some() {
        (settings.max_duration_ms.min(stille_practice::api::MAX_CUE_MS), true)
    } else {
        (settings.max_duration_ms, false)
    };
    let converted =
        tools.convert(received.path(), &probe, converted_file.path(), max_ms, trim).await.map_err(refused)?;
    let bytes = Bytes::from(tokio::fs::read(converted_file.path()).await.map_err(internal)?);
    let size = i64::try_from(bytes.len()).map_err(internal)?;
    if used + size > settings.quota_bytes {
        return Err(over_quota(used + size, settings.quota_bytes));
    }
    let sha256 = hex(&Sha256::digest(&bytes));
    settings.blobs.put(&sha256, bytes.clone()).await.map_err(store_error)?;
    let id = new_id()?;
    let (practice, cue) = match &options.cue {
        Some((practice, cue)) => (Some(practice.clone()), Some(i64::from(*cue))),
        None => (None, None),
    };
    let replaced: Option<Vec<(String, String)>> = on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        // A cue recorded again replaces the earlier recording; a new cue is
        // heard where the voice's other cues are.
        let (replaced, courses, published): (Vec<(String, String)>, Vec<(String,)>, bool) = if cue.is_some() {
            let replaced = sqlx::query_as(
                "SELECT id, sha256 FROM recordings WHERE owner_id = $1 AND practice = $2 AND lang = $3 AND cue = $4",
            )
            .bind(&owner.id)
            .bind(&practice)
            .bind(&options.lang)
            .bind(cue)
            .fetch_all(&mut *tx)
            .await?;
            let courses = sqlx::query_as(
                "SELECT DISTINCT rc.course_id FROM recording_courses rc JOIN recordings r ON r.id = rc.recording_id \
                 WHERE r.owner_id = $1 AND r.practice = $2 AND r.lang = $3 AND r.cue IS NOT NULL",
            )
            .bind(&owner.id)
            .bind(&practice)
            .bind(&options.lang)
            .fetch_all(&mut *tx)
            .await?;
            // Never published by itself: what everyone hears is what an admin
            // listened to (publish the voice again after a new cue).
            (replaced, courses, false)
        } else {
            (Vec::new(), Vec::new(), false)
        };
        for (old, _) in &replaced {
            sqlx::query("DELETE FROM recording_courses WHERE recording_id = $1").bind(old).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM recordings WHERE id = $1").bind(old).execute(&mut *tx).await?;
        }
        // Another upload of the same cue that committed meanwhile (two
        // transactions on PostgreSQL) wins; this one is told to send again.
        let inserted = sqlx::query(
            "INSERT INTO recordings (id, owner_id, title, lang, sha256, bytes, duration_ms, bells, published, \
             created_at_ms, practice, cue) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (owner_id, practice, lang, cue) WHERE cue IS NOT NULL DO NOTHING",
        )
        .bind(&id)
        .bind(&owner.id)
        .bind(&options.title)
        .bind(&options.lang)
        .bind(&sha256)
        .bind(size)
        .bind(converted.duration_ms)
        .bind(options.bells)
        .bind(published)
        .bind(now_ms())
        .bind(&practice)
        .bind(cue)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            drop(tx);
            None
        } else {
        for (course,) in &courses {
            sqlx::query("INSERT INTO recording_courses (recording_id, course_id) VALUES ($1, $2)")
                .bind(&id)
                .bind(course)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Some(replaced)
        }
    });
    let Some(replaced) = replaced else {
        forget_unheld(&state, std::slice::from_ref(&sha256)).await;
        return Err(AppError::Conflict(
            "this part was recorded again in another upload at the same moment; nothing of this one was kept: \
             record it once more"
                .into(),
        ));
    };
    // A deletion of the same audio that ran between the put and the insert
    // removed it; it is put back, now that a row holds on to it.
    if !settings.blobs.has(&sha256).await.map_err(store_error)? {
        settings.blobs.put(&sha256, bytes).await.map_err(store_error)?;
    }
    tracing::info!(
        recording = %id, bytes = size, duration_ms = converted.duration_ms, loudness = converted.loudness,
        container = %probe.container, "recording kept"
    );
    let replaced: Vec<String> = replaced.into_iter().map(|(_, sha)| sha).collect();
    forget_unheld(&state, &replaced).await;
    let row = heard(&state.store, &id, &owner.id).await?;
    Ok((StatusCode::CREATED, Json(view(&state.store, row, &owner.id).await?)))
}

fn internal(error: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("recordings: {error}"))
}

fn store_error(error: object_store::Error) -> AppError {
    AppError::Internal(format!("the audio store: {error}"))
}

fn too_large(limit: u64) -> AppError {
    AppError::TooLargeFile(format!(
        "the file is larger than the {} this server takes; export it as MP3 or M4A (a 45-minute practice is \
         then about 40 MB) and upload that",
        megabytes(i64::try_from(limit).unwrap_or(i64::MAX))
    ))
}

fn over_quota(would_use: i64, quota: i64) -> AppError {
    AppError::TooLargeFile(format!(
        "your recordings would take {} of the {} you have here; delete one you no longer use first. \
         Nothing was kept",
        megabytes(would_use),
        megabytes(quota)
    ))
}

/// The recordings you can hear: your own (with the courses you share each
/// with, and how much of your quota they use), those shared with courses
/// you are in, and the published ones; without a session, the published ones.
#[utoipa::path(get, path = "/recordings", tag = "recordings",
    responses((status = 200, description = "Recordings you can hear", body = Recordings)))]
async fn list(State(state): State<AppState>, auth: Option<Auth>) -> Result<Json<Recordings>, AppError> {
    let caller = auth.as_ref().map_or("", |a| a.user.id.as_str());
    let sql = format!("{SELECT} WHERE {HEARS} ORDER BY r.created_at_ms DESC, r.id");
    let rows: Vec<Row> = on_store!(&state.store, pool => {
        sqlx::query_as(&sql).bind(caller).fetch_all(pool).await?
    });
    let recordings = views(&state.store, rows, caller).await?;
    let teaches = auth.as_ref().is_some_and(|a| a.user.role == stille_practice::api::Role::Instructor);
    let (used_bytes, quota_bytes) = if teaches {
        (used_bytes(&state.store, caller).await?, state.recordings.quota_bytes)
    } else {
        (0, 0)
    };
    Ok(Json(Recordings { recordings, used_bytes, quota_bytes }))
}

/// One recording you can hear.
#[utoipa::path(get, path = "/recordings/{id}", tag = "recordings",
    params(("id" = String, Path, description = "The recording id")),
    responses(
        (status = 200, description = "The recording", body = Recording),
        (status = 404, description = "No such recording, or not shared with you", body = ErrorBody),
    ))]
async fn read(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Path(id): Path<String>,
) -> Result<Json<Recording>, AppError> {
    let caller = auth.as_ref().map_or("", |a| a.user.id.as_str());
    let row = heard(&state.store, &id, caller).await?;
    Ok(Json(view(&state.store, row, caller).await?))
}

/// Rename your recording, choose whether it opens and closes with a bell,
/// and choose the courses (your own) whose participants hear it (for a
/// cue's recording: all the cues of its practice in its language).
#[utoipa::path(patch, path = "/recordings/{id}", tag = "recordings", request_body = RecordingChange,
    params(("id" = String, Path, description = "The recording id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The recording as changed", body = Recording),
        (status = 403, description = "Only its owner changes a recording", body = ErrorBody),
        (status = 404, description = "No such recording, or not shared with you", body = ErrorBody),
        (status = 422, description = "A course is not one you teach", body = ErrorBody),
    ))]
async fn change(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(change): Body<RecordingChange>,
) -> Result<Json<Recording>, AppError> {
    let mut row = owned(&state.store, &id, &auth).await?;
    if let Some(text) = &change.title {
        row.title = stille_practice::api::one_line("title", text, MAX_RECORDING_TITLE, "a title")?;
    }
    if let Some(bells) = change.bells {
        row.bells = bells;
    }
    let mut courses = change.courses.clone().unwrap_or_default();
    courses.sort();
    courses.dedup();
    for (index, course) in courses.iter().enumerate() {
        let taught = stille_practice::log::is_uuid(course)
            && matches!(
                crate::courses::access(&state.store, course, &auth.user.id).await,
                Ok(crate::courses::Access::Instructor(_))
            );
        if !taught {
            return Err(AppError::invalid(
                format!("courses[{index}]"),
                format!("{course:?} is not a course you teach"),
            ));
        }
    }
    on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE recordings SET title = $1, bells = $2 WHERE id = $3")
            .bind(&row.title)
            .bind(row.bells)
            .bind(&row.id)
            .execute(&mut *tx)
            .await?;
        if change.courses.is_some() {
            // A cue is heard with its voice: all the practice's cues in
            // that language change together.
            let together: Vec<(String,)> = if row.cue.is_some() {
                sqlx::query_as(
                    "SELECT id FROM recordings WHERE owner_id = $1 AND practice = $2 AND lang = $3 AND cue IS NOT NULL",
                )
                .bind(&row.owner_id)
                .bind(&row.practice)
                .bind(&row.lang)
                .fetch_all(&mut *tx)
                .await?
            } else {
                vec![(row.id.clone(),)]
            };
            for (each,) in &together {
                sqlx::query("DELETE FROM recording_courses WHERE recording_id = $1").bind(each).execute(&mut *tx).await?;
                for course in &courses {
                    sqlx::query("INSERT INTO recording_courses (recording_id, course_id) VALUES ($1, $2)")
                        .bind(each)
                        .bind(course)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
    });
    Ok(Json(view(&state.store, row, &auth.user.id).await?))
}

/// Delete your recording: nobody hears it any more, and its audio is
/// removed from the server.
#[utoipa::path(delete, path = "/recordings/{id}", tag = "recordings",
    params(("id" = String, Path, description = "The recording id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Only its owner deletes a recording", body = ErrorBody),
        (status = 404, description = "No such recording, or not shared with you", body = ErrorBody),
    ))]
async fn remove(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let row = owned(&state.store, &id, &auth).await?;
    on_store!(&state.store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("DELETE FROM recording_courses WHERE recording_id = $1").bind(&row.id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM recordings WHERE id = $1").bind(&row.id).execute(&mut *tx).await?;
        tx.commit().await?;
    });
    forget_unheld(&state, &[row.sha256]).await;
    Ok(StatusCode::NO_CONTENT)
}

/// The hashes of `owner`'s recordings (to forget their audio after the
/// account is erased).
pub async fn owned_audio(store: &Store, owner: &str) -> Result<Vec<String>, AppError> {
    let rows: Vec<(String,)> = on_store!(store, pool => {
        sqlx::query_as("SELECT sha256 FROM recordings WHERE owner_id = $1").bind(owner).fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(|(sha,)| sha).collect())
}

/// Removes the audio of `hashes` that no recording holds any more. A
/// failure is logged, not answered: the rows are gone already, so nobody
/// can reach the audio, and the next deletion tries again.
pub async fn forget_unheld(state: &AppState, hashes: &[String]) {
    for sha in hashes {
        let held: Result<(i64,), sqlx::Error> = on_store!(&state.store, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM recordings WHERE sha256 = $1").bind(sha).fetch_one(pool).await
        });
        match held {
            Ok((0,)) => {
                if let Err(error) = state.recordings.blobs.remove(sha).await {
                    tracing::error!(%sha, "could not remove a recording's audio: {error}");
                }
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%sha, "could not check whether audio is still used: {error}"),
        }
    }
}

/// The recordings shared with a course, for its participants and its instructor.
#[utoipa::path(get, path = "/courses/{id}/recordings", tag = "recordings",
    params(("id" = String, Path, description = "The course id")),
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The recordings its participants hear", body = Recordings),
        (status = 404, description = "No such course, or you are not in it", body = ErrorBody),
    ))]
async fn course_recordings(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Recordings>, AppError> {
    crate::courses::access(&state.store, &id, &auth.user.id).await?;
    let sql = format!(
        "{SELECT} WHERE r.id IN (SELECT recording_id FROM recording_courses WHERE course_id = $1) \
         ORDER BY r.created_at_ms DESC, r.id"
    );
    let rows: Vec<Row> = on_store!(&state.store, pool => {
        sqlx::query_as(&sql).bind(&id).fetch_all(pool).await?
    });
    let recordings = views(&state.store, rows, &auth.user.id).await?;
    Ok(Json(Recordings { recordings, used_bytes: 0, quota_bytes: 0 }))
}

/// The requested byte range of `size` bytes: `Ok(None)` for the whole
/// file (no Range, several ranges, or one that is not about bytes),
/// `Err(())` when it lies outside the file.
fn byte_range(range: Option<&str>, size: u64) -> Result<Option<std::ops::Range<u64>>, ()> {
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else { return Ok(None) };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((first, last)) = spec.split_once('-') else { return Ok(None) };
    let (first, last) = (first.trim(), last.trim());
    let range = if first.is_empty() {
        // The last `n` bytes.
        let n: u64 = last.parse().map_err(|_| ())?;
        if n == 0 {
            return Err(());
        }
        size.saturating_sub(n)..size
    } else {
        let start: u64 = first.parse().map_err(|_| ())?;
        let end = if last.is_empty() {
            size
        } else {
            last.parse::<u64>().map_err(|_| ())?.saturating_add(1).min(size)
        };
        if start >= end {
            return Err(());
        }
        start..end
    };
    if range.start >= size { Err(()) } else { Ok(Some(range)) }
}

/// A recording's audio (MP3), by its content hash, for anyone who may hear
/// a recording with it. Answers range requests; its ETag is its hash, so
/// an `If-None-Match` with it is answered 304.
#[utoipa::path(get, path = "/audio/{sha256}", tag = "recordings",
    params(("sha256" = String, Path, description = "The audio's SHA-256, hex")),
    responses(
        (status = 200, description = "The audio", content_type = "audio/mpeg", body = String),
        (status = 206, description = "Part of the audio, as asked with Range", content_type = "audio/mpeg", body = String),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 404, description = "No such audio, or not shared with you", body = ErrorBody),
        (status = 416, description = "The range lies outside the audio (`Content-Range: bytes */size`)", body = ErrorBody),
    ))]
async fn audio_file(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Path(sha256): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let missing = || AppError::NotFound("there is no such audio, or it is not shared with you".into());
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(missing());
    }
    let caller = auth.as_ref().map_or("", |a| a.user.id.as_str());
    let sql = format!(
        "SELECT r.bytes, r.published FROM recordings r WHERE r.sha256 = $2 AND {HEARS} ORDER BY r.published DESC LIMIT 1"
    );
    let found: Option<(i64, bool)> = on_store!(&state.store, pool => {
        sqlx::query_as(&sql).bind(caller).bind(&sha256).fetch_optional(pool).await?
    });
    let (size, published) = found.ok_or_else(missing)?;
    let size = u64::try_from(size).map_err(internal)?;
    let etag = format!("\"{sha256}\"");
    let mut common = HeaderMap::new();
    common.insert(header::ETAG, HeaderValue::from_str(&etag).map_err(internal)?);
    common.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    common.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if published {
            "public, max-age=31536000, immutable"
        } else {
            "private, max-age=31536000, immutable"
        }),
    );
    let header_text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    if header_text(header::IF_NONE_MATCH)
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    // If-Range with another validator: the whole file, not a part of a different one.
    let range_header = match header_text(header::IF_RANGE) {
        Some(validator) if validator.trim() != etag => None,
        _ => header_text(header::RANGE),
    };
    let range = match byte_range(range_header, size) {
        Ok(range) => range,
        Err(()) => return Err(AppError::RangeNotSatisfiable { size }),
    };
    let stream = state.recordings.blobs.read(&sha256, range.clone()).await.map_err(store_error)?;
    common.insert(header::CONTENT_TYPE, HeaderValue::from_static("audio/mpeg"));
    let (status, length) = match &range {
        Some(range) => {
            let value = format!("bytes {}-{}/{size}", range.start, range.end - 1);
            common.insert(header::CONTENT_RANGE, HeaderValue::from_str(&value).map_err(internal)?);
            (StatusCode::PARTIAL_CONTENT, range.end - range.start)
        }
        None => (StatusCode::OK, size),
    };
    common.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    Ok((status, common, HttpBody::from_stream(stream)).into_response())
}

/// `admin publish-recording`: lets everyone hear recording `id` (or, with
/// `published` false, only its owner's courses again).
pub async fn admin_publish(store: &Store, id: &str, published: bool) -> Result<String, AppError> {
    // A cue's recording is published with the rest of its voice.
    let done = on_store!(store, pool => {
        sqlx::query(
            "UPDATE recordings SET published = $1 WHERE id = $2 OR (cue IS NOT NULL AND EXISTS \
             (SELECT 1 FROM recordings o WHERE o.id = $2 AND o.cue IS NOT NULL AND o.owner_id = recordings.owner_id \
             AND o.practice = recordings.practice AND o.lang = recordings.lang))",
        )
        .bind(published)
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected()
    });
    if done == 0 {
        return Err(AppError::NotFound(format!("there is no recording {id:?}")));
    }
    Ok(if published {
        "everyone can hear this recording now".to_owned()
    } else {
        "only the participants of its owner's courses hear this recording now".to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_are_read_as_rfc_9110_says() {
        assert_eq!(byte_range(None, 100), Ok(None));
        assert_eq!(byte_range(Some("bytes=0-9"), 100), Ok(Some(0..10)));
        assert_eq!(byte_range(Some("bytes=90-"), 100), Ok(Some(90..100)));
        assert_eq!(byte_range(Some("bytes=90-1000"), 100), Ok(Some(90..100)));
        assert_eq!(byte_range(Some("bytes=-10"), 100), Ok(Some(90..100)));
        assert_eq!(byte_range(Some("bytes=-1000"), 100), Ok(Some(0..100)));
        assert_eq!(byte_range(Some("bytes=0-1,5-9"), 100), Ok(None), "several ranges: the whole file");
        assert_eq!(byte_range(Some("items=0-1"), 100), Ok(None));
        assert_eq!(byte_range(Some("bytes=100-"), 100), Err(()));
        assert_eq!(byte_range(Some("bytes=5-4"), 100), Err(()));
        assert_eq!(byte_range(Some("bytes=-0"), 100), Err(()));
        assert_eq!(byte_range(Some("bytes=x-"), 100), Err(()));
    }

    #[test]
    fn uploads_are_taken_only_as_sound_types() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(value).expect("a header"));
            sound_type(&headers)
        };
        assert!(with("audio/mpeg").is_ok());
        assert!(with("Audio/MP4; codecs=mp4a.40.2").is_ok());
        assert!(with("video/webm;codecs=opus").is_ok());
        assert!(with("audio/").is_err());
        assert!(with("application/json").is_err());
        assert!(with("application/octet-stream").is_ok());
        assert!(with("text/plain").is_err());
        assert!(with("multipart/form-data; boundary=x").is_err());
        assert!(sound_type(&HeaderMap::new()).is_err());
    }
}

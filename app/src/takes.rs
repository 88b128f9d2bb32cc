//! The teachers' recordings a participant hears (whole takes): asked of the
//! server for each joined course and kept on the device, so "This week" lists
//! them and the history names them with the network off; their audio kept in
//! the Cache API (`audio_cache.js`) once the course is joined or the take has
//! been played, so it plays offline too.

use serde::{Deserialize, Serialize};
use stille_practice::PracticeId;
use stille_practice::api::{Recording, Recordings};
use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

use crate::api::{self, ApiError, NO_BODY};
use crate::courses::Course;
use crate::storage;

#[wasm_bindgen(module = "/src/audio_cache.js")]
extern "C" {
    #[wasm_bindgen(js_name = keep, catch)]
    async fn keep_js(url: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = bytes, catch)]
    async fn bytes_js(url: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = isKept, catch)]
    async fn is_kept_js(url: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = usage, catch)]
    async fn usage_js() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = clear, catch)]
    async fn clear_js() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = prune, catch)]
    async fn prune_js(urls: Vec<String>) -> Result<JsValue, JsValue>;
}

const CACHE: &str = "stille.takes.v1";

/// One course's recordings, as kept on the device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseTakes {
    pub course: String,
    pub recordings: Vec<Recording>,
}

/// The recordings of `courses` from the server; kept for offline use. A
/// course whose list cannot be had keeps what was kept before.
pub async fn refresh(courses: &[Course]) -> Result<Vec<CourseTakes>, ApiError> {
    let before = cached();
    let mut kept = Vec::new();
    let mut failed = None;
    for course in courses {
        let path = format!("/api/courses/{}/recordings", course.id);
        match api::request::<Recordings>("GET", &path, NO_BODY).await {
            Ok(list) => kept.push(CourseTakes { course: course.id.clone(), recordings: list.recordings }),
            Err(error) => {
                kept.extend(before.iter().filter(|c| c.course == course.id).cloned());
                failed = Some(error);
            }
        }
    }
    if let Err(error) = storage::save(CACHE, &kept) {
        storage::warn(&error);
    }
    match failed {
        Some(error) => Err(error),
        None => Ok(kept),
    }
}

/// As last fetched (none if never, or unreadable).
pub fn cached() -> Vec<CourseTakes> {
    storage::load_or_default::<Vec<CourseTakes>>(CACHE)
}

/// The course's whole takes in `kept` (not the recorded cues of a practice,
/// which play inside that practice).
pub fn of_course(kept: &[CourseTakes], course: &str) -> Vec<Recording> {
    let all = kept.iter().find(|c| c.course == course).map_or(&[][..], |c| c.recordings.as_slice());
    all.iter().filter(|r| r.practice.is_none()).cloned().collect()
}

/// A recording by id among those kept.
pub fn find(kept: &[CourseTakes], id: &str) -> Option<Recording> {
    kept.iter().flat_map(|c| &c.recordings).find(|r| r.id == id).cloned()
}

/// The title a log entry of `practice` shows, when it is a kept recording.
pub fn title_of(kept: &[CourseTakes], practice: &PracticeId) -> Option<String> {
    find(kept, practice.recording()?).map(|r| r.title)
}

/// The recording from the device's copy, or else from the server (a link
/// opened before "This week" had fetched it).
pub async fn load(id: &str) -> Result<Recording, ApiError> {
    if let Some(found) = find(&cached(), id) {
        return Ok(found);
    }
    api::request("GET", &format!("/api/recordings/{id}"), NO_BODY).await
}

/// Forgets the list (signing out); the audio goes with [`clear_audio`].
/// The published voices stay: they are everyone's.
pub fn forget() {
    storage::remove(CACHE);
}

fn js_message(value: JsValue) -> String {
    value
        .as_string()
        .or_else(|| js_sys::Reflect::get(&value, &"message".into()).ok().and_then(|m| m.as_string()))
        .unwrap_or_else(|| format!("{value:?}"))
}

/// Keeps the audio of `recordings` on the phone, one after another (the
/// ones kept already cost nothing). Stops at the first that fails.
pub async fn keep_audio(recordings: &[Recording]) -> Result<(), String> {
    for recording in recordings {
        keep_js(&recording.audio).await.map_err(js_message)?;
    }
    Ok(())
}

/// Every recording the device keeps from its courses (takes and cues).
pub fn heard() -> Vec<Recording> {
    cached().into_iter().flat_map(|c| c.recordings).collect()
}

const PUBLISHED: &str = "stille.voices.v1";

/// The recorded voices the server's admin published for everyone (cues of
/// catalog practices; no account needed), asked of the server and kept on
/// the device for the player and for offline use.
pub async fn refresh_published() -> Result<Vec<Recording>, ApiError> {
    let list = api::request::<Recordings>("GET", "/api/recordings", NO_BODY).await?;
    let published: Vec<Recording> =
        list.recordings.into_iter().filter(|r| r.published && r.practice.is_some()).collect();
    if let Err(error) = storage::save(PUBLISHED, &published) {
        storage::warn(&error);
    }
    Ok(published)
}

/// The published voices as last fetched (none if never).
pub fn published() -> Vec<Recording> {
    storage::load_or_default::<Vec<Recording>>(PUBLISHED)
}

/// The recorded voice `practice` plays with in `lang`, if any: a joined
/// course's teacher, else a published one ([`crate::voice::choose_voice`]).
pub fn voice_for(
    practice: &stille_practice::Practice,
    lang: stille_practice::Lang,
) -> Option<(crate::voice::Speaker, std::collections::BTreeMap<usize, Recording>)> {
    crate::voice::choose_voice(&heard(), &published(), practice, lang)
}

#[cfg(target_arch = "wasm32")]
/// The recorded cues of a voice, decoded for the soundtrack (mono, at
/// `sample_rate`), by cue index; kept on the phone as they are fetched.
pub async fn voice_clips(
    voice: &std::collections::BTreeMap<usize, Recording>,
    sample_rate: u32,
) -> Result<Vec<(usize, Vec<f32>)>, String> {
    let mut clips = Vec::with_capacity(voice.len());
    for (index, recording) in voice {
        let bytes = bytes_js(&recording.audio).await.map_err(js_message)?;
        let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
        let samples = stille_audio::web::decode_clip(&bytes, sample_rate).await.map_err(|e| e.to_string())?;
        clips.push((*index, samples));
    }
    Ok(clips)
}

pub async fn is_kept(recording: &Recording) -> bool {
    is_kept_js(&recording.audio).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

/// (files, bytes) of recordings kept on the phone.
pub async fn usage() -> Result<(u32, f64), String> {
    let value = usage_js().await.map_err(js_message)?;
    let pair = js_sys::Array::from(&value);
    let files = pair.get(0).as_f64().unwrap_or(0.0) as u32;
    Ok((files, pair.get(1).as_f64().unwrap_or(0.0)))
}

/// Removes the kept audio of recordings no longer in `kept` (unshared,
/// deleted, or a course left): the phone keeps only what its person hears.
pub async fn prune_audio(kept: &[CourseTakes]) -> Result<(), String> {
    let from_courses = kept.iter().flat_map(|c| c.recordings.iter());
    let urls: Vec<String> = from_courses.chain(published().iter()).map(|r| r.audio.clone()).collect();
    prune_js(urls).await.map(|_| ()).map_err(js_message)
}

/// Removes every kept recording's audio (it is fetched again when played online).
pub async fn clear_audio() -> Result<(), String> {
    clear_js().await.map(|_| ()).map_err(js_message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recording(id: &str, title: &str) -> Recording {
        Recording {
            id: id.into(),
            title: title.into(),
            lang: "da".into(),
            owner: "Ida".into(),
            yours: false,
            duration_ms: 600_000,
            bytes: 3_600_000,
            audio: format!("/api/audio/{}", "a".repeat(64)),
            bells: true,
            courses: Vec::new(),
            published: false,
            created_at_ms: 0,
            practice: None,
            cue: None,
        }
    }

    #[test]
    fn a_logged_take_is_named_by_its_kept_recording() {
        let id = "0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b";
        let kept = vec![
            CourseTakes { course: "c1".into(), recordings: vec![recording(id, "Kropsscanning med Ida")] },
            CourseTakes { course: "c2".into(), recordings: Vec::new() },
        ];
        let practice = PracticeId::of_recording(id).expect("a UUID");
        assert_eq!(title_of(&kept, &practice).as_deref(), Some("Kropsscanning med Ida"));
        assert_eq!(of_course(&kept, "c1").len(), 1);
        let mut with_cue = kept.clone();
        let mut cue = recording("0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6c", "Kropsscanning · 1");
        (cue.practice, cue.cue) = (Some("mbsr-body-scan".into()), Some(1));
        with_cue[0].recordings.push(cue);
        assert_eq!(of_course(&with_cue, "c1").len(), 1, "a recorded cue is not a take of its own");
        assert!(of_course(&kept, "c2").is_empty() && of_course(&kept, "c3").is_empty());
        let other = PracticeId::of_recording("0193a5b2-7c4d-7e8f-9a0b-000000000000").expect("a UUID");
        assert_eq!(title_of(&kept, &other), None, "not kept: the page says 'a recording'");
        let catalog = PracticeId::parse("breathing-box").expect("valid");
        assert_eq!(title_of(&kept, &catalog), None);
        let json = serde_json::to_string(&kept).expect("serialises");
        assert_eq!(serde_json::from_str::<Vec<CourseTakes>>(&json).expect("reads"), kept);
    }
}

//! Recordings: a teacher's own voice, uploaded once and heard by the
//! participants of the courses it is shared with.
//!
//! A recording is a *take*: a whole practice in the teacher's voice (their
//! own 45-minute body scan), uploaded as a sound file and kept by the server
//! in one format every phone plays; or one *cue* of a catalog practice, read
//! over its script, trimmed of the silence around it. A practice's cues
//! recorded by one instructor in one language are a voice for it: the player
//! lays the practice out around them, so they play at every length it offers
//! that has room for them. Its audio has an address named by its
//! content (`/api/audio/<sha256>`), so it never changes and can be cached
//! for good.

use serde::{Deserialize, Serialize};

/// The longest title of a recording, in characters.
pub const MAX_TITLE: usize = 120;

/// The longest recording of one cue, in ms.
pub const MAX_CUE_MS: i64 = 5 * 60_000;

/// A recording, as its owner and the participants it is shared with see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recording {
    pub id: String,
    pub title: String,
    /// "da" or "en": the language spoken.
    pub lang: String,
    /// The instructor whose voice it is, by the name participants see.
    pub owner: String,
    /// It is the caller's own (they may share, rename and delete it).
    #[serde(default)]
    pub yours: bool,
    /// How long it plays.
    pub duration_ms: i64,
    /// Its size as stored (MP3, mono, speech quality).
    pub bytes: i64,
    /// Where its audio is: `/api/audio/<sha256>`, the same for as long as the
    /// audio is the same.
    pub audio: String,
    /// Whether it opens and closes with a bell.
    pub bells: bool,
    /// For one cue of a catalog practice, read over its script: the
    /// practice's id. None for a whole take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practice: Option<String>,
    /// Which cue: its index in the practice's script.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<u32>,
    /// The courses (ids) whose participants hear it; only its owner sees this.
    #[serde(default)]
    pub courses: Vec<String>,
    /// Heard by everyone (an admin publishes).
    #[serde(default)]
    pub published: bool,
    pub created_at_ms: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recordings {
    pub recordings: Vec<Recording>,
    /// Bytes the caller's own recordings take (only for instructors' own list).
    #[serde(default)]
    pub used_bytes: i64,
    /// Bytes the caller may keep in all (only for instructors' own list).
    #[serde(default)]
    pub quota_bytes: i64,
}

/// Only the fields given change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordingChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The courses (your own) whose participants hear it: the whole list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courses: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bells: Option<bool>,
}

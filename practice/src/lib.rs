//! Stille's domain, in pure Rust: what a practice is, the catalog of practices
//! and course templates, how a practice becomes an exact [`Timeline`], and
//! home-practice statistics.
//!
//! This crate owns the vocabulary the app and the server share. It must never do
//! I/O or depend on a platform: it compiles unchanged for `wasm32-unknown-unknown`
//! and for the server, and everything in it is testable with `cargo test`.
//!
//! The catalog is data, not code: one TOML file per practice under
//! `practice/content/practices/` and per course programme under
//! `practice/content/courses/` (see `docs/CONTENT.md`). `build.rs` parses and
//! validates them at build time (a bad file fails the build with a message
//! naming the file and the problem) and embeds them in a compact binary form,
//! so the browser app carries no TOML parser.
//!
//! Modules: `model` (the types), `validate` (content rules), [`timeline`]
//! (practice + options → cues at exact milliseconds), `library` (how the
//! library presents the catalog), [`follow`] (a timeline read by a player's
//! clock: guidance on screen and spoken, the pacer's phase), [`log`] (the
//! home-practice log entry, checked), [`journal`] (check-ins and reflections),
//! [`measures`] (questionnaires and their scoring), [`stats`] (minutes, days,
//! adherence, streaks), [`schedule`] (when a course meets, and its weeks), [`sync`] (the sync protocol's
//! wire types and the checks the server applies to every pushed record),
//! [`api`] (every other request and answer of the HTTP API: the one contract
//! the server and the app both compile against).

pub mod api;
pub mod follow;
pub mod glossary;
pub mod help;
pub mod journal;
mod library;
pub mod log;
pub mod measures;
mod model;
pub mod modules;
pub mod outcomes;
pub mod progress;
pub mod schedule;
pub mod stats;
pub mod sync;
pub mod timeline;
mod validate;

use std::sync::OnceLock;

pub use library::{Filter, suggestions};
pub use model::{
    About, Anchor, BellRole, BreathPattern, BreathPhase, Catalog, ContentError, CourseTemplate, Details,
    HomePractice, Kind, Lang, Outline, OutlinePart, Part, PhaseSpec, Practice, PracticeId, Program, Segment,
    Session, SessionKind, Span, Structure, Text,
};
pub use timeline::{
    BellSound, BreathOptions, ClipLengths, CompileError, Cue, CueKind, Eyes, Options, Timeline, compile,
    compile_with_clips, lengths_with_clips, take_with_bells,
};
pub use validate::MIN_QUIET_MS;

/// The catalog compiled into this build. On the web (wasm32) it is the index
/// only: every practice's script, source, evidence note and prompts, every
/// course's sessions and outline, and the questionnaires are empty until
/// [`details::install`] has brought them (see [`details::full`]). Everywhere
/// else it is the whole catalog.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        #[cfg(not(target_arch = "wasm32"))]
        let bytes = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.postcard"));
        #[cfg(target_arch = "wasm32")]
        let bytes = include_bytes!(concat!(env!("OUT_DIR"), "/index.postcard"));
        // build.rs wrote these bytes from the same types after validating them, so
        // a failure here is a build bug, not bad input.
        postcard::from_bytes(bytes).expect("the embedded catalog decodes (written by build.rs)")
    })
}

/// The catalog's details (scripts and course sessions) as a file of their
/// own, so the web app's first download stays small: the site serves
/// [`details::FILE`], the app fetches it when a practice is opened and checks
/// it before use.
pub mod details {
    use std::sync::OnceLock;

    use crate::model::{Catalog, Details, fingerprint};

    /// The file's name in the site: named by its content, so it can be cached forever.
    pub const FILE: &str = concat!("catalog-", env!("STILLE_DETAILS_FINGERPRINT"), ".bin");

    /// The file's bytes (what xtask writes into the built site).
    pub fn bytes() -> &'static [u8] {
        include_bytes!(concat!(env!("OUT_DIR"), "/details.postcard"))
    }

    /// What is wrong with a details file.
    #[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
    pub enum DetailsError {
        #[error("the practice texts that arrived are not the ones this version of Stille expects")]
        Fingerprint,
        #[error("the practice texts could not be read: {0}")]
        Decode(String),
        #[error("the practice texts do not fit this catalog")]
        Mismatch,
    }

    static FULL: OnceLock<Catalog> = OnceLock::new();

    /// The whole catalog, once it is here (always, except on the web before
    /// [`install`]).
    pub fn full() -> Option<&'static Catalog> {
        if cfg!(target_arch = "wasm32") { FULL.get() } else { Some(super::catalog()) }
    }

    /// Checks `bytes` (the fetched file) and joins them to the catalog.
    pub fn install(bytes: &[u8]) -> Result<&'static Catalog, DetailsError> {
        if fingerprint(bytes) != env!("STILLE_DETAILS_FINGERPRINT") {
            return Err(DetailsError::Fingerprint);
        }
        if let Some(full) = full() {
            return Ok(full);
        }
        let details: Details =
            postcard::from_bytes(bytes).map_err(|e| DetailsError::Decode(e.to_string()))?;
        let full = super::catalog().clone().join(details).ok_or(DetailsError::Mismatch)?;
        Ok(FULL.get_or_init(|| full))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_details_file_joined_to_the_index_is_the_whole_catalog() {
            let (index, details) = super::super::catalog().clone().split();
            assert!(index.practices.iter().all(|p| p.script.is_empty()));
            assert!(index.courses.iter().all(|c| c.sessions.is_empty()));
            // Sources, evidence notes and prompts come with the details too.
            assert!(
                index
                    .practices
                    .iter()
                    .all(|p| p.source.is_empty() && p.evidence_note.is_none() && p.prompts.is_empty())
            );
            assert!(super::super::catalog().practices.iter().all(|p| !p.source.is_empty()));
            let decoded: Details = postcard::from_bytes(bytes()).expect("the file decodes");
            assert_eq!(decoded, details);
            assert_eq!(index.join(decoded).as_ref(), Some(super::super::catalog()));
            assert_eq!(
                install(bytes()).map(|c| c.practices.len()),
                Ok(super::super::catalog().practices.len())
            );
            assert!(
                FILE.starts_with("catalog-")
                    && FILE.ends_with(".bin")
                    && FILE.len() == "catalog-.bin".len() + 16
            );
        }

        #[test]
        fn a_wrong_or_damaged_details_file_is_refused() {
            let (index, mut details) = super::super::catalog().clone().split();
            details.scripts.pop();
            assert_eq!(index.join(details), None);
            let mut damaged = bytes().to_vec();
            damaged[10] ^= 1;
            assert_ne!(fingerprint(&damaged), fingerprint(bytes()));
            assert_eq!(install(&damaged), Err(DetailsError::Fingerprint));
            assert_eq!(install(b""), Err(DetailsError::Fingerprint));
            assert_eq!(fingerprint(b""), "cbf29ce484222325");
        }
    }
}

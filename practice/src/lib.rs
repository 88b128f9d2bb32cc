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
//! [`stats`] (minutes, days, adherence, streaks), [`sync`] (the sync protocol's
//! wire types and the checks the server applies to every pushed record).

pub mod follow;
pub mod journal;
mod library;
pub mod log;
mod model;
pub mod progress;
pub mod stats;
pub mod sync;
pub mod timeline;
mod validate;

use std::sync::OnceLock;

pub use library::{Filter, suggestions};
pub use model::{
    Anchor, BellRole, BreathPattern, BreathPhase, Catalog, ContentError, CourseTemplate, HomePractice, Kind,
    Lang, PhaseSpec, Practice, PracticeId, Program, Segment, Session, SessionKind, Span, Structure, Text,
};
pub use timeline::{BellSound, CompileError, Cue, CueKind, Eyes, Options, Timeline, compile};

/// The catalog compiled into this build.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let bytes = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.postcard"));
        // build.rs wrote these bytes from the same types after validating them, so
        // a failure here is a build bug, not bad input.
        postcard::from_bytes(bytes).expect("the embedded catalog decodes (written by build.rs)")
    })
}

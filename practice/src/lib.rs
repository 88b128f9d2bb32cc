//! Stille's domain, in pure Rust: what a practice is, the catalog of practices,
//! and (as the project grows) timelines, course templates, practice-log and sync
//! types and home-practice statistics.
//!
//! This crate owns the vocabulary the app and the server share. It must never do
//! I/O or depend on a platform: it compiles unchanged for `wasm32-unknown-unknown`
//! and for the server, and everything in it is testable with `cargo test`.
//!
//! The catalog is data, not code: one TOML file per practice under
//! `practice/content/practices/`. `build.rs` parses and validates those files at
//! build time (a bad file fails the build with a message naming the file and the
//! field) and embeds them in a compact binary form, so the browser app carries no
//! TOML parser.

mod library;
mod model;

use std::sync::OnceLock;

pub use model::{Catalog, ContentError, Kind, Lang, Practice, PracticeId, Program, Text};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_decodes_and_is_valid() {
        let catalog = catalog();
        assert!(!catalog.practices.is_empty());
        assert_eq!(catalog.validate(), Ok(()));
    }

    #[test]
    fn every_programme_in_the_seed_catalog_is_present() {
        for program in [
            Program::Msc,
            Program::Mbsr,
            Program::Mbct,
            Program::Breathing,
            Program::Regulation,
            Program::Timer,
        ] {
            assert!(catalog().practices.iter().any(|p| p.program == program), "no practice for {program:?}");
        }
    }

    #[test]
    fn lookup_by_id() {
        let first = &catalog().practices[0];
        assert_eq!(catalog().get(first.id.as_str()), Some(first));
        assert_eq!(catalog().get("no-such-practice"), None);
    }
}

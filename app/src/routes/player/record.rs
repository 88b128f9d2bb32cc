//! What a playing keeps: its log entry (started at the first Begin, brought
//! up to the player's clock as it plays, closed once), the check-in made
//! before it, the notices shown on the player, and where it stands for a
//! reload to resume it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use stille_practice::journal::{CheckIn, Ladder, Moment};
use stille_practice::log::{Ending, Entry};
use stille_practice::{Lang, PracticeId};

use crate::log_store::{self, Note};
use crate::playback::web::Session;
use crate::playback::{Resume, progressed};
use crate::storage;

/// Where a playing session stood, so a reload resumes it.
pub const SAVED: &str = "stille.player.v1";

#[derive(Clone, Copy, Debug)]
pub struct Record {
    pub entry: StoredValue<Option<Entry>, LocalStorage>,
    pub before: RwSignal<Option<CheckIn>>,
    pub notices: RwSignal<Vec<String>>,
    address: StoredValue<String>,
    length_ms: u32,
}

impl Record {
    /// The record for the playing at `address`: what a reload left (and the
    /// position to resume at), or a fresh one.
    pub fn open(address: String, length_ms: u32, problems: Vec<String>) -> (Record, Option<f64>) {
        let saved = storage::load::<Resume>(SAVED)
            .unwrap_or_else(|e| {
                storage::warn(&e);
                None
            })
            .and_then(|r| r.usable(&address, length_ms, js_sys::Date::now()));
        let resume_at = saved.as_ref().map(|(at, _)| *at);
        let record = Record {
            entry: StoredValue::new_local(saved.and_then(|(_, entry)| entry)),
            before: RwSignal::new(None),
            notices: RwSignal::new(problems),
            address: StoredValue::new(address),
            length_ms,
        };
        record.find_before();
        (record, resume_at)
    }

    /// After a reload: the check-in made before the first Begin, from the journal.
    fn find_before(self) {
        let Some(id) = self.entry.with_value(|e| e.as_ref().map(|e| e.id.clone())) else { return };
        spawn_local(async move {
            let loaded = log_store::load().await.ok();
            let made = loaded.and_then(|l| {
                l.notes_of(&id).find_map(|n| match n {
                    Note::CheckIn(c) if c.moment == Moment::Before => Some(c.clone()),
                    _ => None,
                })
            });
            if made.is_some() {
                self.before.set(made);
            }
        });
    }

    /// Shows `message` on the player (once).
    pub fn note(self, message: String) {
        self.notices.update(|n| {
            if !n.contains(&message) {
                n.push(message)
            }
        });
    }

    pub fn entry_id(self) -> Option<String> {
        self.entry.with_value(|e| e.as_ref().map(|e| e.id.clone()))
    }

    /// Writes in the background; a failure is shown, the playing goes on.
    fn write(self, note: Option<Note>, entry: Option<Entry>) {
        spawn_local(async move {
            let written = match (entry, note) {
                (Some(e), _) => log_store::save(&e).await,
                (None, Some(n)) => log_store::save_note(&n).await,
                (None, None) => Ok(()),
            };
            if let Err(error) = written {
                self.note(error.to_string());
            }
        });
    }

    /// The first Begin: the entry starts now, with the check-in made before it, if any.
    pub fn begin(self, practice: PracticeId, lang: Lang, distress: Option<u8>, ladder: Option<Ladder>) {
        if self.entry.with_value(Option::is_some) {
            return;
        }
        let now = js_sys::Date::now() as i64;
        let offset = log_store::utc_offset_minutes();
        let started = Entry::start(log_store::new_id(), practice, now, offset, self.length_ms, lang);
        self.write(None, Some(started.clone()));
        let made = CheckIn::from_answers(
            log_store::new_id(),
            Some(&started.id),
            Moment::Before,
            distress,
            ladder,
            now,
            offset,
        );
        if let Some(check_in) = made {
            self.write(Some(Note::CheckIn(check_in.clone())), None);
            self.before.set(Some(check_in));
        }
        self.entry.set_value(Some(started));
    }

    /// Brings the entry up to the player's clock (and its ending) and writes it.
    pub fn progress(self, session: &Session, ending: Option<Ending>) {
        self.progress_at(session.player().map_or(0.0, |p| p.elapsed_ms()), ending);
    }

    /// Brings the entry up to `clock_ms` (and its ending) and writes it.
    pub fn progress_at(self, clock_ms: f64, ending: Option<Ending>) {
        let now = js_sys::Date::now() as i64;
        let next = self
            .entry
            .with_value(|e| e.as_ref().and_then(|e| progressed(e, clock_ms, self.length_ms, ending, now)));
        if let Some(next) = next {
            self.entry.set_value(Some(next.clone()));
            self.write(None, Some(next));
        }
    }

    /// Notes where the playing stands, for a reload (only while it plays).
    pub fn save_position(self, session: &Session) {
        if session.player().is_some_and(|p| p.is_playing()) {
            let resume = Resume {
                at: self.address.get_value(),
                position_ms: session.elapsed_ms(),
                entry: self.entry.get_value(),
                saved_at_ms: js_sys::Date::now(),
            };
            if let Err(error) = storage::save(SAVED, &resume) {
                storage::warn(&error);
            }
        }
    }

    /// Nothing to resume any more (ended, stopped, left).
    pub fn forget_position(self) {
        storage::remove(SAVED);
    }
}

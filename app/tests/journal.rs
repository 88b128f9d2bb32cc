//! The device's journal in a real browser: check-ins and reflections made by
//! the after-practice form are written to IndexedDB beside the log, read back
//! checked, kept with their entry, and deleted with it.
#![cfg(target_arch = "wasm32")]

use stille_app::log_store::{self, Note};
use stille_app::log_store::{Written, notes_from};
use stille_practice::journal::{Ladder, Moment};
use stille_practice::log::{Entry, uuid_v7};
use stille_practice::sync::Kind;
use stille_practice::{Lang, PracticeId};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_795_400_000_000;

fn ids() -> impl FnMut() -> String {
    let mut n = 0u8;
    move || {
        n += 1;
        uuid_v7(NOW as u64 + u64::from(n), [n; 10])
    }
}

#[wasm_bindgen_test]
fn an_empty_form_writes_nothing_and_a_full_one_a_valid_check_in_and_a_private_note() {
    assert!(notes_from(Some("x"), None, None, Written::Note("  "), NOW, 60, ids()).is_empty());
    let entry = uuid_v7(NOW as u64, [9; 10]);
    let notes =
        notes_from(Some(&entry), Some(3), Some(Ladder::Ventral), Written::Note(" Roligt "), NOW, 60, ids());
    assert_eq!(notes.len(), 2);
    let Note::CheckIn(check_in) = &notes[0] else { panic!("{:?}", notes[0]) };
    assert_eq!(
        (check_in.moment, check_in.distress, check_in.ladder),
        (Moment::After, Some(3), Some(Ladder::Ventral))
    );
    assert_eq!(check_in.check(), Ok(()));
    let Note::Reflection(reflection) = &notes[1] else { panic!("{:?}", notes[1]) };
    assert_eq!(reflection.text, "Roligt");
    assert!(!reflection.shared, "a note is private until its writer shares it");
    assert_eq!(reflection.check(), Ok(()));
    let alone = notes_from(None, None, Some(Ladder::Dorsal), Written::Note(""), NOW, 60, ids());
    let Note::CheckIn(alone) = &alone[0] else { panic!("{alone:?}") };
    assert_eq!(alone.moment, Moment::Alone);
    // An events calendar: each prompt's answer kept, and the text reads them with their questions.
    let prompts = ["Hvad skete der?", "Hvad mærkede du?"];
    let answers = ["Solskin".to_owned(), " Varme i brystet ".to_owned()];
    let written = Written::Answers { prompts: &prompts, answers: &answers };
    let notes = notes_from(Some(&entry), None, None, written, NOW, 60, ids());
    let [Note::Reflection(calendar)] = notes.as_slice() else { panic!("{notes:?}") };
    assert_eq!(calendar.answers, ["Solskin", "Varme i brystet"]);
    assert_eq!(calendar.text, "Hvad skete der?\nSolskin\n\nHvad mærkede du?\nVarme i brystet");
    assert_eq!(calendar.check(), Ok(()));
}

#[wasm_bindgen_test]
async fn notes_are_kept_with_their_entry_and_deleted_with_it() {
    log_store::clear().await.expect("a clean store");
    let practice = PracticeId::parse("breathing-box").expect("id");
    let entry = Entry::start(uuid_v7(NOW as u64, [1; 10]), practice.clone(), NOW, 60, 180_000, Lang::Da);
    let other = Entry::start(uuid_v7(NOW as u64, [2; 10]), practice, NOW + 1, 60, 180_000, Lang::Da);
    log_store::save(&entry).await.expect("saved");
    log_store::save(&other).await.expect("saved");
    let mut make = ids();
    for note in notes_from(Some(&entry.id), Some(7), None, Written::Note("Uro i kroppen"), NOW, 60, &mut make)
        .into_iter()
        .chain(notes_from(
            Some(&other.id),
            None,
            Some(Ladder::Sympathetic),
            Written::Note(""),
            NOW,
            60,
            &mut make,
        ))
    {
        log_store::save_note(&note).await.expect("saved");
    }
    let loaded = log_store::load().await.expect("loaded");
    assert_eq!((loaded.entries.len(), loaded.notes.len(), loaded.unreadable), (2, 3, 0));
    assert_eq!(loaded.notes_of(&entry.id).count(), 2);

    // Every change waits in the outbox for sync, one per record, at its latest version.
    let pending = log_store::pending().await.expect("outbox read");
    assert_eq!(pending.len(), 5, "2 entries + 3 notes: {pending:?}");
    assert!(pending.iter().all(|p| !p.deleted));
    let mut later = other.clone();
    later.practised_ms = 60_000;
    later.updated_at_ms = NOW + 5;
    log_store::save(&later).await.expect("saved");
    let pending = log_store::pending().await.expect("outbox read");
    assert_eq!(pending.len(), 5, "a record's newer change replaces its waiting one");
    let waiting = pending.iter().find(|p| p.id == other.id).expect("queued");
    assert_eq!((waiting.kind, waiting.updated_at_ms), (Kind::Entry, NOW + 5));

    log_store::delete(&entry.id).await.expect("deleted");
    let pending = log_store::pending().await.expect("outbox read");
    let deletions: Vec<_> = pending.iter().filter(|p| p.deleted).map(|p| p.kind).collect();
    assert_eq!(deletions.len(), 3, "the entry and its two notes wait as deletions: {pending:?}");
    assert!(deletions.contains(&Kind::Entry));
    let loaded = log_store::load().await.expect("loaded");
    assert_eq!(loaded.entries, vec![later.clone()]);
    assert_eq!(loaded.notes.len(), 1, "the other entry's check-in stays");
    assert_eq!(loaded.notes_of(&other.id).count(), 1);
    log_store::clear().await.expect("cleared");
    assert_eq!(log_store::load().await.expect("loaded"), log_store::Loaded::default());
}

#[wasm_bindgen_test]
async fn records_from_a_newer_app_are_kept_whole_and_written_back_unchanged() {
    use serde_json::value::RawValue;
    use stille_practice::sync::Change;

    log_store::clear().await.expect("a clean store");
    let practice = PracticeId::parse("breathing-box").expect("id");
    let entry = Entry::start(uuid_v7(NOW as u64, [5; 10]), practice, NOW, 60, 180_000, Lang::Da);
    // What a newer app wrote: a field this version does not know…
    let mut newer = serde_json::to_value(&entry).expect("JSON");
    newer["mood"] = serde_json::json!({"word": "rolig"});
    // …and a practice this version's catalog does not have yet.
    let future_id = uuid_v7(NOW as u64, [6; 10]);
    let mut future = serde_json::to_value(&entry).expect("JSON");
    future["id"] = future_id.clone().into();
    future["practice"] = "a-practice-from-next-year".into();
    let change = |id: &str, body: &serde_json::Value| Change {
        seq: 1,
        id: id.to_owned(),
        kind: Kind::Entry,
        updated_at_ms: NOW,
        deleted: false,
        body: Some(RawValue::from_string(body.to_string()).expect("raw")),
    };
    let written = stille_app::sync::keep_pulled(&[change(&entry.id, &newer), change(&future_id, &future)])
        .await
        .expect("kept");
    assert_eq!(written, 2, "nothing pulled is dropped");

    let loaded = log_store::load().await.expect("loaded");
    assert_eq!(loaded.entries.len(), 1, "the one this version can read is shown");
    assert_eq!(loaded.unreadable, 1, "the other is kept, counted, not shown");
    let read = &loaded.entries[0];
    assert_eq!(read.unknown.get("mood"), Some(&newer["mood"]));

    // A correction made here keeps what the newer app wrote.
    let edited = read.edited("2026-11-22", "20:15", "2", NOW + 60_000).expect("a valid correction");
    log_store::save(&edited).await.expect("saved");
    let again = log_store::load().await.expect("loaded");
    assert_eq!(again.entries[0].unknown.get("mood"), Some(&newer["mood"]), "written back unchanged");
    assert_eq!(again.unreadable, 1, "and the unreadable one is still there");
    log_store::clear().await.expect("cleared");
}

//! `admin backup` and `admin restore` (SQLite): a backup made while four
//! devices keep pushing holds every record acknowledged before it began,
//! restores into a new data directory with the recordings' audio, and a
//! server started there serves it; what would overwrite or is not a backup
//! is refused.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use stille_server::backup::{backup, restore};

use crate::courses::entry;
use crate::helpers::{Person, TestApp, generous, spawn_app_configured, spawn_app_in};

/// Every current record id of `who` on `app`.
async fn ids_on(app: &TestApp, who: &Person) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut after = 0;
    loop {
        let (status, page) = app.get_json(&format!("/api/sync?after={after}"), &who.token).await;
        assert_eq!(status, 200, "{page}");
        for change in page["changes"].as_array().expect("changes") {
            ids.insert(change["id"].as_str().expect("an id").to_owned());
        }
        after = page["cursor"].as_i64().expect("a cursor");
        if page["more"] != json!(true) {
            return ids;
        }
    }
}

/// Pushes batches of ten entries as `who` until `stop`; every id the
/// server acknowledged goes into `acknowledged`.
async fn keep_pushing(
    app: Arc<TestApp>,
    who: Person,
    seed: u8,
    stop: Arc<Mutex<bool>>,
    acknowledged: Arc<Mutex<Vec<String>>>,
) {
    let mut ms = 1_780_000_000_000_i64 + i64::from(seed) * 1_000_000_000;
    while !*stop.lock().expect("the flag") {
        let records: Vec<Value> = (0..10)
            .map(|_| {
                ms += 60_000;
                entry(ms, seed, 5)
            })
            .collect();
        let ids: Vec<String> = records.iter().map(|r| r["id"].as_str().expect("an id").to_owned()).collect();
        let (status, body) = app.post_json("/api/sync", &who.token, json!({ "records": records })).await;
        assert_eq!(status, 200, "{body}");
        acknowledged.lock().expect("the list").extend(ids);
    }
}

#[tokio::test]
async fn a_backup_made_while_devices_push_restores_every_acknowledged_record_and_the_audio() {
    let app = Arc::new(spawn_app_configured("sqlite", |config| config.rates = generous()).await);
    let mut people = Vec::new();
    for name in ["Ida", "Bo", "Emil", "Sara"] {
        people.push(app.participant(name).await);
    }
    // A recording's audio, kept in the data directory as the server keeps it.
    let audio = app.data_dir().join("recordings/audio");
    std::fs::create_dir_all(&audio).expect("the audio directory");
    std::fs::write(audio.join("0123abcd.mp3"), b"ID3 a take").expect("an audio file");

    let stop = Arc::new(Mutex::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = people
        .iter()
        .zip(1u8..)
        .map(|(who, seed)| {
            tokio::spawn(keep_pushing(app.clone(), who.clone(), seed, stop.clone(), acknowledged.clone()))
        })
        .collect();
    // Wait until every device has been acknowledged a few batches.
    while acknowledged.lock().expect("the list").len() < 200 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let before: Vec<String> = acknowledged.lock().expect("the list").clone();
    let kept = tempfile::TempDir::new().expect("a directory");
    let to = kept.path().join("backup");
    let made = backup(&app.store, app.data_dir(), true, &app.data_dir().join("secrets.key"), &to)
        .await
        .expect("a backup");
    *stop.lock().expect("the flag") = true;
    for writer in writers {
        writer.await.expect("the writer ran");
    }
    let all: HashSet<String> = acknowledged.lock().expect("the list").iter().cloned().collect();
    assert!(made.records as usize >= before.len(), "{made}: {} acknowledged before", before.len());
    assert!(made.records as usize <= all.len(), "{made}: {} acknowledged in all", all.len());
    assert_eq!((made.accounts, made.audio_files), (4, 1), "{made}");

    // Into a new data directory, and a server on it.
    let data = tempfile::TempDir::new().expect("a data directory");
    let restored =
        restore(&to, data.path(), &data.path().join("stille.db"), &data.path().join("secrets.key"))
            .await
            .expect("restored");
    assert_eq!(restored.records, made.records);
    assert_eq!(
        std::fs::read(data.path().join("recordings/audio/0123abcd.mp3")).expect("the audio"),
        b"ID3 a take"
    );
    let on_copy = spawn_app_in(data, |config| config.rates = generous()).await;
    let mut found = HashSet::new();
    for who in &people {
        // The sessions are in the backup too: the same tokens work.
        found.extend(ids_on(&on_copy, who).await);
    }
    let missing: Vec<&String> = before.iter().filter(|id| !found.contains(*id)).collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged records missing, such as {:?}",
        missing.len(),
        missing.first()
    );
    assert!(found.is_subset(&all), "nothing in the copy that was not acknowledged");
    assert_eq!(found.len() as i64, made.records);

    // What would overwrite, or is not a backup, is refused with the reason.
    let error = backup(&app.store, app.data_dir(), true, &app.data_dir().join("secrets.key"), &to)
        .await
        .expect_err("not empty");
    assert!(error.to_string().contains("not empty"), "{error}");
    let there = on_copy.data_dir().join("stille.db");
    let error = restore(&to, on_copy.data_dir(), &there, &on_copy.data_dir().join("secrets.key"))
        .await
        .expect_err("a database is there");
    assert!(error.to_string().contains("is there already"), "{error}");
    // A write-ahead log left behind is a database there too.
    let leftover = tempfile::TempDir::new().expect("a directory");
    std::fs::write(leftover.path().join("stille.db-wal"), b"old pages").expect("a file");
    let error = restore(
        &to,
        leftover.path(),
        &leftover.path().join("stille.db"),
        &leftover.path().join("secrets.key"),
    )
    .await
    .expect_err("a log");
    assert!(error.to_string().contains("stille.db-wal"), "{error}");
    // The key for stored secrets went with it; another key there is not overwritten.
    assert_eq!(
        std::fs::read(to.join("secrets.key")).expect("the key in the backup"),
        std::fs::read(app.data_dir().join("secrets.key")).expect("the server's key")
    );
    // A backup given another key than the database's is refused.
    let wrong = tempfile::TempDir::new().expect("a directory");
    std::fs::write(wrong.path().join("secrets.key"), "11".repeat(32)).expect("a key");
    let error =
        backup(&app.store, app.data_dir(), true, &wrong.path().join("secrets.key"), &wrong.path().join("b"))
            .await
            .expect_err("another key");
    assert!(error.to_string().contains("is not the key this database"), "{error}");
    let error =
        backup(&app.store, app.data_dir(), true, &wrong.path().join("none.key"), &wrong.path().join("c"))
            .await
            .expect_err("no key");
    assert!(error.to_string().contains("is not the key this database"), "{error}");
    let other_key = tempfile::TempDir::new().expect("a directory");
    std::fs::write(other_key.path().join("secrets.key"), "00".repeat(32)).expect("a key");
    let error = restore(
        &to,
        other_key.path(),
        &other_key.path().join("stille.db"),
        &other_key.path().join("secrets.key"),
    )
    .await
    .expect_err("another key");
    assert!(error.to_string().contains("another key than the backup's"), "{error}");
    assert!(!other_key.path().join("stille.db").exists(), "nothing written: {error}");
    let not_a_backup = tempfile::TempDir::new().expect("a directory");
    let data = not_a_backup.path().join("data");
    let error = restore(not_a_backup.path(), &data, &data.join("stille.db"), &data.join("secrets.key"))
        .await
        .expect_err("no database");
    assert!(error.to_string().contains("not a backup"), "{error}");
    std::fs::write(not_a_backup.path().join("stille.db"), b"SQLite format 3\0 but then nothing")
        .expect("a file");
    let error = restore(not_a_backup.path(), &data, &data.join("stille.db"), &data.join("secrets.key"))
        .await
        .expect_err("damaged");
    assert_eq!(error.field(), Some("from"), "{error}");
    assert!(!not_a_backup.path().join("data/stille.db").exists(), "nothing written: {error}");
    on_copy.stop().await;
    if let Ok(app) = Arc::try_unwrap(app) {
        app.stop().await;
    }
}

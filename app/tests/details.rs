//! On the web the app carries the catalog's index; scripts and course sessions
//! arrive as the details file and are checked before use.
#![cfg(target_arch = "wasm32")]

use stille_practice::{catalog, details};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_web_build_carries_the_index_and_joins_the_checked_details() {
    assert!(details::full().is_none(), "nothing installed yet");
    assert!(catalog().practices.iter().all(|p| p.script.is_empty()), "the index has no scripts");
    assert!(catalog().courses.iter().all(|c| c.sessions.is_empty()), "nor course sessions");
    let mut damaged = details::bytes().to_vec();
    damaged.truncate(damaged.len() - 1);
    assert_eq!(details::install(&damaged), Err(details::DetailsError::Fingerprint));
    assert!(details::full().is_none(), "a refused file installs nothing");
    let full = details::install(details::bytes()).expect("the real file installs");
    assert!(std::ptr::eq(details::full().expect("installed"), full));
    let box_breathing = full.get("breathing-box").expect("in the catalog");
    assert!(!box_breathing.script.is_empty());
    assert_eq!(full.practices.len(), catalog().practices.len());
    assert!(full.courses.iter().all(|c| !c.sessions.is_empty()));
    // The index is unchanged: titles and lengths come from it as before.
    assert_eq!(catalog().get("breathing-box").map(|p| &p.title), Some(&box_breathing.title));
}

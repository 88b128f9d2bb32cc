//! Browser tests: the app's components mounted into a real DOM in headless
//! Chromium (`cargo xtask test` runs them through wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use stille_app::components::PracticeList;
use stille_app::i18n::{Key, t};
use stille_practice::{Lang, catalog};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_container() -> web_sys::HtmlElement {
    let document = document();
    let container =
        document.create_element("div").expect("create a div").unchecked_into::<web_sys::HtmlElement>();
    document.body().expect("a body").append_child(&container).expect("append");
    container
}

fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).expect("valid selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|node| node.text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn practice_list_shows_every_practice_in_the_chosen_language() {
    let container = fresh_container();
    let lang = RwSignal::new(Lang::En);
    let filter = RwSignal::new(stille_practice::Filter::default());
    let _mounted =
        leptos::mount::mount_to(container.clone(), move || view! { <PracticeList lang=lang filter=filter/> });

    let expected_en: Vec<String> = catalog()
        .by_program()
        .into_iter()
        .flat_map(|(_, practices)| practices)
        .map(|p| p.title.en.clone())
        .collect();
    assert_eq!(texts(&container, "li.practice h3"), expected_en);
    assert!(texts(&container, "h2").contains(&"Breathing".to_owned()));

    // Switching the language re-renders the list in place (effects run on the
    // next tick of the executor).
    lang.set(Lang::Da);
    leptos::task::tick().await;
    let first_da = &catalog().by_program()[0].1[0].title.da;
    assert_eq!(texts(&container, "li.practice h3").first(), Some(first_da));
    assert!(texts(&container, "h2").contains(&"Vejrtrækning".to_owned()));

    // Narrowing re-renders too, and programmes left empty disappear.
    filter.set(stille_practice::Filter { words: "firkant".into(), ..Default::default() });
    leptos::task::tick().await;
    assert_eq!(texts(&container, "li.practice h3"), ["Firkantåndedræt"]);
    assert_eq!(texts(&container, "h2"), ["Vejrtrækning"]);
}

#[wasm_bindgen_test]
fn every_ui_string_exists_in_both_languages() {
    for key in [Key::HomeHeading, Key::PracticesHeading, Key::NotFoundHeading] {
        assert_ne!(t(Lang::Da, key), t(Lang::En, key));
        assert!(!t(Lang::Da, key).is_empty());
    }
}

#[wasm_bindgen_test]
fn an_invite_link_becomes_a_qr_code_with_its_finder_patterns() {
    let link = "https://stille.example.dk/join/ABCD-EFGH-JKMN";
    let (size, path) = stille_app::qr::qr_path(link).expect("a link fits a QR code");
    // 45 characters at level M: the encoder packs the upper-case code in
    // alphanumeric mode, so version 3 (29 modules) holds it; plus 4 on each side.
    assert_eq!(size, 29 + 8);
    // The top-left finder pattern: a dark 7×7 ring starting at the quiet zone.
    for (x, y) in [(4, 4), (10, 4), (4, 10), (10, 10), (6, 6), (8, 8)] {
        assert!(path.contains(&format!("M{x} {y}h1v1h-1z")), "module ({x}, {y}) is dark");
    }
    assert!(!path.contains("M5 5h1v1h-1z"), "the ring's inside is light");
    assert!(stille_app::qr::qr_path(&"x".repeat(4000)).is_none(), "too long for any QR code");
}

//! The whole chain, as a person sees it: catalog (Rust) → wasm → served by axum
//! → rendered in Chromium.

use anyhow::Result;
use fantoccini::Locator;
use stille_e2e::flows::open_menu;
use stille_e2e::{Browser, Locale, Stille};
use stille_practice::{Lang, catalog};

fn titles(lang: Lang) -> Vec<String> {
    catalog()
        .by_program()
        .into_iter()
        .flat_map(|(_, practices)| practices)
        .map(|p| p.title.get(lang).to_owned())
        .collect()
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn home_page_links_to_the_practice_list() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;

    browser.goto(&stille.url("/")).await?;
    browser.wait_for_text("h1", "Welcome to Stille").await?;
    assert_eq!(browser.client.find(Locator::Css("html")).await?.attr("lang").await?.as_deref(), Some("en"));
    browser.screenshot("home").await?;

    // The places are behind the header's one menu button on a phone.
    open_menu(&browser).await?;
    browser.client.find(Locator::LinkText("Practices")).await?.click().await?;
    browser.wait_for_text("h1", "Practices").await?;
    assert_eq!(browser.path().await?, "/practices");
    assert_eq!(browser.texts("li.practice h3").await?, titles(Lang::En));
    assert!(browser.texts("section.program h2").await?.contains(&"Breathing".to_owned()));
    let closed = "return !document.querySelector('#site-menu.open')";
    browser.wait_until("following a link closes the menu", closed).await?;
    open_menu(&browser).await?;
    let current = browser.client.find(Locator::Css("nav a[aria-current=page]")).await?;
    assert_eq!(current.text().await?, "Practices");
    browser.screenshot("practices").await?;

    browser.close().await?;
    stille.stop().await
}

/// The first visit fetches only the first screens' words; the rest come with
/// the first other screen.
#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_first_visit_fetches_only_the_first_screens_words() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;
    const FETCHED: &str =
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)";
    let fetched = |value: serde_json::Value| -> Vec<String> {
        value.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
    };

    browser.goto(&stille.url("/")).await?;
    browser.wait_for_text("h1", "Welcome to Stille").await?;
    browser.wait_for_text("#now-heading", "What would you like to practise now?").await?;
    let first = fetched(browser.eval(FETCHED).await?);
    let words = |list: &[String], ending: &str| {
        list.iter().filter(|p| p.contains("/strings-") && p.ends_with(ending)).count()
    };
    assert_eq!(words(&first, ".en.json"), 1, "{first:?}");
    assert_eq!(words(&first, ".rest.json") + words(&first, ".da.json"), 0, "{first:?}");

    // A screen in a chunk: its words arrive with it.
    browser.client.find(Locator::Css("a.button.primary[href='/practices']")).await?.click().await?;
    browser.wait_for_text("h1", "Practices").await?;
    let after = fetched(browser.eval(FETCHED).await?);
    assert_eq!(words(&after, ".en.rest.json"), 1, "{after:?}");
    browser
        .wait_for_text(".library .lead", "Choose a practice. You can always stop, open your eyes or move.")
        .await?;

    browser.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn client_routes_load_directly_and_unknown_paths_say_so() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;

    browser.goto(&stille.url("/practices")).await?;
    browser.wait_for_text("h1", "Practices").await?;
    assert_eq!(browser.texts("li.practice h3").await?.len(), catalog().practices.len());

    browser.goto(&stille.url("/no/such/page")).await?;
    browser.wait_for_text("h1", "Page not found").await?;
    browser.screenshot("not-found").await?;
    browser.client.find(Locator::LinkText("Back to the home page")).await?.click().await?;
    browser.wait_for_text("h1", "Welcome to Stille").await?;

    browser.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_danish_browser_gets_danish_and_can_switch() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::Danish).await?;

    browser.goto(&stille.url("/practices")).await?;
    browser.wait_for_text("h1", "Øvelser").await?;
    assert_eq!(browser.texts("li.practice h3").await?, titles(Lang::Da));
    assert_eq!(browser.client.find(Locator::Css("html")).await?.attr("lang").await?.as_deref(), Some("da"));
    browser.screenshot("practices-da").await?;

    open_menu(&browser).await?;
    browser.client.find(Locator::Css("button[lang=en]")).await?.click().await?;
    browser.wait_for_text("h1", "Practices").await?;
    assert_eq!(browser.texts("li.practice h3").await?, titles(Lang::En));
    assert_eq!(browser.client.find(Locator::Css("html")).await?.attr("lang").await?.as_deref(), Some("en"));

    browser.close().await?;
    stille.stop().await
}

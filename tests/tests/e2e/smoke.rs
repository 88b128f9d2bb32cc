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

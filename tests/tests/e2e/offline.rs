//! Offline: after one visit the service worker has the whole app, so it opens,
//! navigates and plays with the network off (and the server gone); and a new version waits for the
//! person to choose "Reload".

use std::time::Duration;

use anyhow::Result;
use fantoccini::Locator;
use stille_e2e::flows::open_menu;
use stille_e2e::{Browser, Locale, Stille};

const CONTROLLED: &str = "return Boolean(navigator.serviceWorker && navigator.serviceWorker.controller)";

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn after_one_visit_the_app_opens_and_plays_with_the_network_off() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;
    let home = stille.url("/");
    browser.goto(&home).await?;
    browser.wait_for_text("h1", "Welcome to Stille").await?;
    browser.wait_until("the service worker controls the page", CONTROLLED).await?;
    // The phone loses its network, and the server is gone too, so nothing
    // below can have come from anywhere but the service worker's cache.
    browser.set_offline(true).await?;
    stille.stop().await?;

    // A reload, the library, a practice's page and the player still work.
    browser.client.refresh().await?;
    browser.wait_for_text("h1", "Welcome to Stille").await?;
    assert_eq!(browser.eval("return navigator.onLine").await?, serde_json::Value::Bool(false));
    browser.client.find(Locator::Css(".home a[href='/practices']")).await?.click().await?;
    browser.wait_for_text("h1", "Practices").await?;
    browser.client.find(Locator::LinkText("Box Breathing")).await?.click().await?;
    browser.wait_for_text("h1", "Box Breathing").await?;
    browser.client.find(Locator::Css("#length option[value='3']")).await?.click().await?;
    browser.client.find(Locator::Css("button.start")).await?.click().await?;
    // The practice's script comes from the service worker's cache too.
    browser.wait_for_text(".play", "Begin").await?;
    browser.client.find(Locator::Css(".play")).await?.click().await?;
    browser.wait_for_text(".play", "Pause").await?;
    // The pacer starts after the opening guidance (about 35 s in).
    browser
        .wait_until_within(
            "the pacer names a breath",
            "const w = document.querySelector('.pacer-word'); return !!w && w.textContent.length > 0;",
            Duration::from_secs(60),
        )
        .await?;
    browser.screenshot("offline-player").await?;
    browser.client.find(Locator::Css(".stop")).await?.click().await?;
    browser.wait_for_text(".after h2", "Take a moment").await?;
    browser.client.find(Locator::Css(".after .scale-option input[value='2']")).await?.click().await?;
    browser.client.find(Locator::Css(".after-save")).await?.click().await?;
    browser.wait_for_text("h1", "Your practice").await?;
    browser.wait_for_text(".entries .entry h2", "Box Breathing").await?;
    let entries = browser.texts(".entries .entry h2").await?;
    assert_eq!(entries, ["Box Breathing"], "the practice was logged offline, once");
    assert_eq!(browser.text(".entries .entry .entry-check-in").await?, "Check-in (after): distress 2/10");
    // And a reload of a deep link, still offline.
    browser.client.refresh().await?;
    browser.wait_for_text(".entries .entry h2", "Box Breathing").await?;
    browser.screenshot("offline-history").await?;
    browser.close().await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_new_version_waits_until_the_person_reloads() -> Result<()> {
    // A copy of the site that can be changed under the running server.
    let (_copy, site) = site_copy()?;
    let stille = Stille::start_with_site(site.clone()).await?;
    let browser = Browser::phone(Locale::English).await?;
    browser.goto(&stille.url("/")).await?;
    browser.wait_for_text("h1", "Welcome to Stille").await?;
    browser.wait_until("the service worker controls the page", CONTROLLED).await?;
    assert!(browser.client.find_all(Locator::Css(".update-banner")).await?.is_empty());

    // A new build: its service worker differs.
    let sw = site.join("sw.js");
    let next = std::fs::read_to_string(&sw)?.replace("const VERSION = \"", "const VERSION = \"next-");
    std::fs::write(&sw, next)?;
    for compressed in ["sw.js.br", "sw.js.gz"] {
        let _ = std::fs::remove_file(site.join(compressed));
    }
    browser
        .eval("return navigator.serviceWorker.getRegistration().then((r) => r.update()).then(() => true)")
        .await?;
    let banner = browser.wait_for_text(".update-banner p", "A new version of Stille is ready.").await?;
    let _ = banner;
    browser.screenshot("update-ready").await?;
    browser.client.find(Locator::Css(".update-banner button")).await?.click().await?;
    browser
        .wait_until(
            "the new version took over",
            "return caches.keys().then((k) => k.length === 1 && k[0].startsWith('stille-next-'))",
        )
        .await?;
    browser.wait_for_text("h1", "Welcome to Stille").await?;
    assert!(
        browser.client.find_all(Locator::Css(".update-banner")).await?.is_empty(),
        "reloaded into the new version"
    );
    browser.close().await?;
    stille.stop().await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_screen_whose_chunk_cannot_be_fetched_says_so_and_opens_on_retry() -> Result<()> {
    // A copy of the site whose wasm chunks are gone, as after a deploy that
    // replaced them, or a first visit that lost the network after the start.
    let (copy, site) = site_copy()?;
    let held = copy.path().join("held");
    std::fs::create_dir_all(&held)?;
    let bundle = std::fs::read_dir(site.join("assets"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("app-")))
        .ok_or_else(|| anyhow::anyhow!("no assets/app-* in the site"))?;
    let mut moved = Vec::new();
    for entry in std::fs::read_dir(&bundle)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.contains(".wasm") && !name.starts_with("stille_app_bg.wasm") {
            std::fs::rename(bundle.join(&name), held.join(&name))?;
            moved.push(name);
        }
    }
    assert!(moved.iter().any(|n| n.ends_with(".wasm")), "the build has wasm chunks: {moved:?}");

    let stille = Stille::start_with_site(site.clone()).await?;
    let browser = Browser::phone(Locale::English).await?;
    browser.goto(&stille.url("/")).await?;
    // The first download alone shows home and help.
    browser.wait_for_text("h1", "Welcome to Stille").await?;
    browser.client.find(Locator::Css("a.help-link")).await?.click().await?;
    browser.wait_for_text("h1", "Need help now?").await?;
    // A screen in a chunk says what happened instead of failing silently.
    open_menu(&browser).await?;
    browser.client.find(Locator::Css("a[href='/settings']")).await?.click().await?;
    browser.wait_for_text("h1", "This screen could not be fetched").await?;
    browser.screenshot("unloaded").await?;
    let serious = stille_e2e::audit_both_themes(&browser, &stille_e2e::axe_source()?, "unloaded").await?;
    assert!(serious.is_empty(), "{serious:#?}");

    // Back online: "Try again" opens it.
    for name in &moved {
        std::fs::rename(held.join(name), bundle.join(name))?;
    }
    browser.client.find(Locator::Css(".unloaded button")).await?.click().await?;
    browser.wait_for_text("h1", "Settings").await?;
    browser.close().await?;
    stille.stop().await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_screen_on_a_slow_network_says_it_is_being_fetched() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;
    browser.goto(&stille.url("/")).await?;
    browser.wait_for_text("h1", "Welcome to Stille").await?;
    // A first visit on a slow network, before the service worker has anything.
    browser.cdp("Network.enable", serde_json::json!({})).await?;
    browser.cdp("Network.setBypassServiceWorker", serde_json::json!({ "bypass": true })).await?;
    browser.cdp("Network.setCacheDisabled", serde_json::json!({ "cacheDisabled": true })).await?;
    let slow = serde_json::json!({
        "offline": false, "latency": 1500, "downloadThroughput": -1, "uploadThroughput": -1
    });
    browser.cdp("Network.emulateNetworkConditions", slow).await?;
    browser.client.find(Locator::Css(".home a[href='/practices']")).await?.click().await?;
    browser.wait_for_text(".route-loading", "Fetching the page…").await?;
    // Home stays on screen until the library has arrived.
    assert_eq!(browser.text("h1").await?, "Welcome to Stille");
    browser.screenshot("route-loading").await?;
    browser
        .wait_until_within(
            "the library arrives",
            "const h = document.querySelector('h1'); return !!h && h.textContent === 'Practices';",
            Duration::from_secs(60),
        )
        .await?;
    assert!(browser.client.find_all(Locator::Css(".route-loading")).await?.is_empty(), "the notice has gone");
    browser.close().await?;
    stille.stop().await
}

/// A copy of the built site in a temporary folder (kept while the `TempDir` lives).
fn site_copy() -> Result<(tempfile::TempDir, std::path::PathBuf)> {
    let copy = tempfile::TempDir::new()?;
    let site = copy.path().join("site");
    copy_dir(&Stille::site_dir()?, &site)?;
    Ok((copy, site))
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_first_view_is_there_before_the_wasm_in_the_browsers_language() -> Result<()> {
    // A site whose wasm never arrives: what shows is index.html's own first view.
    let (_copy, site) = site_copy()?;
    for file in std::fs::read_dir(site.join("assets"))?.flatten().filter(|e| e.path().is_dir()) {
        for wasm in std::fs::read_dir(file.path())?.flatten() {
            if wasm.file_name().to_string_lossy().starts_with("stille_app_bg.wasm") {
                std::fs::remove_file(wasm.path())?;
            }
        }
    }
    let stille = Stille::start_with_site(site).await?;
    for (locale, heading, help) in [
        (Locale::Danish, "Velkommen til Stille", "Brug for hjælp nu?"),
        (Locale::English, "Welcome to Stille", "Need help now?"),
    ] {
        let browser = Browser::phone(locale).await?;
        browser.goto(&stille.url("/")).await?;
        let shown = "return document.querySelector('#boot h1')?.textContent";
        browser.wait_until("the first view", &format!("{shown} === {heading:?}")).await?;
        assert_eq!(browser.text("#boot .help-link").await?, help);
        assert!(!browser.text("#boot .lead").await?.is_empty(), "the introduction is there too");
        assert!(!browser.app_started().await?, "no app without its wasm");
        browser.screenshot(&format!("first-view-{locale:?}").to_lowercase()).await?;
        browser.close().await?;
    }
    stille.stop().await
}

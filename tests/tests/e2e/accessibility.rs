//! The axe-core audit (WCAG 2.1 A and AA rules) on every screen, in the light
//! and the dark theme: no serious or critical violation anywhere. Every
//! violation found, whatever its impact, is printed for review.

use anyhow::Result;
use fantoccini::Locator;
use stille_e2e::{Browser, Locale, Stille, audit_both_themes};

#[tokio::test]
#[ignore = "needs the built app, Chromium and axe-core: run `cargo xtask test`"]
async fn every_screen_passes_the_axe_audit_in_both_themes() -> Result<()> {
    let axe = stille_e2e::axe_source()?;
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::Danish).await?;
    let mut serious = Vec::new();
    for (path, heading) in [
        ("/", "Velkommen til Stille"),
        ("/practices", "Øvelser"),
        ("/practices/breathing-box", "Firkantåndedræt"),
        ("/play/breathing-box?m=3", "Firkantåndedræt"),
        ("/settings", "Indstillinger"),
        ("/help", "Brug for hjælp nu?"),
        ("/lab/audio", "Lydtest"),
        ("/account", "Din konto"),
        ("/join", "Deltag i et forløb"),
    ] {
        browser.goto(&stille.url(path)).await?;
        browser.wait_for_text("h1", heading).await?;
        serious.extend(audit_both_themes(&browser, &axe, path).await?);
    }
    // The close after a practice, and the history with its pictures.
    browser.goto(&stille.url("/play/breathing-box?m=3")).await?;
    browser.wait_for_text("h1", "Firkantåndedræt").await?;
    browser.client.find(Locator::Css(".before-check-in summary")).await?.click().await?;
    serious.extend(audit_both_themes(&browser, &axe, "the check-in before a practice").await?);
    browser.client.find(Locator::Css(".play")).await?.click().await?;
    browser.wait_for_text(".play", "Pause").await?;
    browser.client.find(Locator::Css(".stop")).await?.click().await?;
    browser.wait_for_text(".after h2", "Giv dig et øjeblik").await?;
    eprintln!("player notices after a practice: {:?}", browser.texts(".player-notices li").await?);
    serious.extend(audit_both_themes(&browser, &axe, "after a practice").await?);
    browser.client.find(Locator::Css(".after .scale-option input[value='4']")).await?.click().await?;
    browser.client.find(Locator::Css(".after-save")).await?.click().await?;
    browser.wait_for_text("h1", "Din praksis").await?;
    browser.wait_for_text(".progress h2", "Dine uger").await?;
    browser.screenshot("history-progress-da").await?;
    serious.extend(audit_both_themes(&browser, &axe, "/history").await?);
    browser.client.find(Locator::Css(".entry-edit-open")).await?.click().await?;
    browser.wait_for_text(".edit-save", "Gem rettelsen").await?;
    browser.screenshot("history-edit-da").await?;
    serious.extend(audit_both_themes(&browser, &axe, "correcting an entry").await?);
    assert!(serious.is_empty(), "serious or critical accessibility violations:\n{}", serious.join("\n"));
    browser.close().await?;
    stille.stop().await
}

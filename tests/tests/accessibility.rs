//! The axe-core audit (WCAG 2.1 A and AA rules) on every screen, in the light
//! and the dark theme: no serious or critical violation anywhere. Every
//! violation found, whatever its impact, is printed for review.

use std::time::Duration;

use anyhow::{Context, Result};
use fantoccini::Locator;
use serde_json::Value;
use stille_e2e::{Browser, Locale, Stille};

/// Runs axe on the page as it is and returns its violations.
async fn audit(browser: &Browser, axe: &str) -> Result<Vec<Value>> {
    let script = format!(
        "{axe}\nreturn axe.run(document, {{ runOnly: {{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }} }})\
         .then((r) => r.violations.map((v) => ({{ id: v.id, impact: v.impact, help: v.help, \
         nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }})));"
    );
    let result = browser.eval(&script).await?;
    Ok(result.as_array().cloned().unwrap_or_default())
}

/// Audits in both themes; returns the serious and critical violations, labelled.
async fn audit_both_themes(browser: &Browser, axe: &str, screen: &str) -> Result<Vec<String>> {
    let mut serious = Vec::new();
    for theme in ["light", "dark"] {
        browser
            .eval(&format!("document.documentElement.setAttribute('data-theme', '{theme}'); return true"))
            .await?;
        tokio::time::sleep(Duration::from_millis(150)).await;
        for v in audit(browser, axe).await? {
            let impact = v["impact"].as_str().unwrap_or("?");
            let line = format!("{screen} ({theme}): {} [{impact}] {} at {}", v["id"], v["help"], v["nodes"]);
            println!("axe: {line}");
            if matches!(impact, "serious" | "critical") {
                serious.push(line);
            }
        }
    }
    browser.eval("document.documentElement.removeAttribute('data-theme'); return true").await?;
    Ok(serious)
}

#[tokio::test]
#[ignore = "needs the built app, Chromium and axe-core: run `cargo xtask test`"]
async fn every_screen_passes_the_axe_audit_in_both_themes() -> Result<()> {
    let axe_path =
        std::env::var("STILLE_AXE").context("STILLE_AXE names axe.min.js (cargo xtask test sets it)")?;
    let axe = std::fs::read_to_string(&axe_path).with_context(|| format!("cannot read {axe_path}"))?;
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
    tokio::time::sleep(Duration::from_secs(2)).await;
    browser.client.find(Locator::Css(".stop")).await?.click().await?;
    browser.wait_for_text(".after h2", "Tag et øjeblik").await?;
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

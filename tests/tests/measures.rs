//! Questionnaires on a phone, in Danish: answered without an account,
//! resumed after a reload, finished offline, scored with the meaning of the
//! band and a gentle note where the band calls for one; answered again, the
//! change since the first time; and for a signed-in participant, the answers
//! reach the account through the same outbox as practice.

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use stille_e2e::flows::{PASSWORD, post, sign_in_da};
use stille_e2e::{Browser, Locale, Stille, audit_both_themes};

/// Chooses answer `option` (1 = the first shown) for item `item` (from 1).
async fn choose(browser: &Browser, item: usize, option: usize) -> Result<()> {
    browser
        .click(&format!(
            "fieldset.measure-item:nth-of-type({item}) label.measure-option:nth-of-type({option}) input"
        ))
        .await
}

/// How many answers are chosen on the page.
async fn chosen(browser: &Browser) -> Result<u64> {
    let count =
        browser.eval("return document.querySelectorAll('.measure-item input:checked').length").await?;
    count.as_u64().context("a count")
}

#[tokio::test]
#[ignore = "needs the built app, Chromium and axe-core: run `cargo xtask test`"]
async fn a_questionnaire_resumes_is_finished_offline_and_shows_its_meaning_and_the_change() -> Result<()> {
    let axe = stille_e2e::axe_source()?;
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::Danish).await?;
    let mut serious = Vec::new();

    // From "Your practice" to the questionnaires, with no account.
    browser.goto(&stille.url("/history")).await?;
    browser.wait_for_text("h1", "Din praksis").await?;
    browser.click("a[href='/measures']").await?;
    browser.wait_for_text("h1", "Spørgeskemaer").await?;
    browser.wait_for_text(".measure-card h2", "WHO-5 Trivselsindeks").await?;
    let names = browser.texts(".measure-card h2").await?;
    assert_eq!(
        names,
        ["WHO-5 Trivselsindeks", "PSS-10, oplevet stress", "Selvmedfølelse, kort udgave (SCS-SF)"]
    );
    let marks = browser.texts(".measure-card .quiet").await?;
    assert!(marks[0].ends_with("valideret udgave"), "{marks:?}");
    assert!(marks[1].ends_with("ikke valideret oversættelse"), "{marks:?}");
    serious.extend(audit_both_themes(&browser, &axe, "/measures").await?);

    // Three answers, then a reload: they are still there.
    browser.click("a[href='/measures/who-5']").await?;
    browser.wait_for_text("h1", "WHO-5 Trivselsindeks").await?;
    for item in 1..=3 {
        choose(&browser, item, 5).await?; // "Lidt af tiden" = 1
    }
    browser.wait_for_text(".measure-answered", "3 af 5 besvaret").await?;
    browser.goto(&stille.url("/measures/who-5")).await?;
    browser.wait_for_text(".measure-answered", "3 af 5 besvaret").await?;
    ensure!(chosen(&browser).await? == 3, "the three answers came back after the reload");
    browser.wait_for_text_like(".measure-resumed", "Dine svar fra sidst er gemt").await?;
    browser.screenshot("measure-form-resumed-da").await?;
    serious.extend(audit_both_themes(&browser, &axe, "a questionnaire").await?);

    // Two are missing: it says which, and nothing is saved.
    browser.click(".measure-form button[type='submit']").await?;
    browser.wait_for_text(".measure-form .form-problem", "Du mangler at svare på nr. 4, 5").await?;

    // Offline from here: finishing needs no network.
    browser.set_offline(true).await?;
    choose(&browser, 4, 5).await?;
    choose(&browser, 5, 4).await?; // "Lidt mindre end halvdelen af tiden" = 2
    browser.click(".measure-form button[type='submit']").await?;
    // (1 + 1 + 1 + 1 + 2) × 4 = 24: the lowest band, with the gentle note.
    browser.wait_for_text(".measure-score", "24 på en skala fra 0 til 100").await?;
    browser.wait_for_text(".measure-band", "Lav trivsel").await?;
    browser.wait_for_text_like(".measure-concern", "tale med din læge eller din underviser").await?;
    let help =
        browser.eval("return document.querySelector('.measure-concern a').getAttribute('href')").await?;
    assert_eq!(help, json!("/help"));
    browser.screenshot("measure-result-low-da").await?;
    serious.extend(audit_both_themes(&browser, &axe, "a questionnaire's result").await?);

    // Answered again (still offline), "Det meste af tiden" throughout: 80.
    browser.goto(&stille.url("/measures")).await?;
    browser.wait_for_text_like(".measure-latest", "Senest: 24 · Lav trivsel").await?;
    browser.click("a[href='/measures/who-5']").await?;
    browser.wait_for_text(".measure-answered", "0 af 5 besvaret").await?;
    for item in 1..=5 {
        choose(&browser, item, 2).await?;
    }
    browser.click(".measure-form button[type='submit']").await?;
    browser.wait_for_text(".measure-score", "80 på en skala fra 0 til 100").await?;
    let change = browser.wait_for_text_like(".measure-change", "Siden første gang").await?;
    assert!(change.contains("24 → 80") && change.contains("i den gode retning"), "{change}");
    ensure!(
        browser.eval("return document.querySelector('.measure-concern') === null").await? == json!(true),
        "no worried note for a result in the usual band"
    );
    let dots = browser.eval("return document.querySelectorAll('.measure-chart circle').length").await?;
    assert_eq!(dots, json!(2));
    assert_eq!(browser.texts(".measure-times li").await?.len(), 2, "the chart in words too");
    browser.screenshot("measure-result-change-da").await?;
    browser.set_offline(false).await?;

    // A translation of Stille's own says so before the first question.
    browser.goto(&stille.url("/measures/pss-10")).await?;
    browser.wait_for_text("h1", "PSS-10, oplevet stress").await?;
    browser
        .wait_for_text_like(".measure-unvalidated", "Stilles egen oversættelse og er ikke valideret")
        .await?;
    browser.screenshot("measure-pss-da").await?;

    assert!(serious.is_empty(), "serious or critical accessibility violations:\n{}", serious.join("\n"));
    browser.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_signed_in_participants_answers_reach_the_account() -> Result<()> {
    let stille = Stille::start().await?;
    let sign_up = json!({"email": "ida@example.org", "password": PASSWORD, "display_name": "Ida"});
    post(&stille, None, "/api/accounts", sign_up).await?;
    let ida = stille.bearer_token("ida@example.org", PASSWORD).await?;
    let browser = Browser::phone(Locale::Danish).await?;
    sign_in_da(&browser, &stille, "ida@example.org").await?;
    browser.goto(&stille.url("/measures/scs-sf")).await?;
    browser.wait_for_text("h1", "Selvmedfølelse, kort udgave (SCS-SF)").await?;
    for item in 1..=12 {
        choose(&browser, item, 3).await?;
    }
    browser.click(".measure-form button[type='submit']").await?;
    browser.wait_for_text(".measure-score", "3,00 på en skala fra 1 til 5").await?;
    browser.wait_for_text(".measure-band", "Moderat selvmedfølelse").await?;
    // The sync engine pushes it: the server has it, as answered.
    let client = reqwest::Client::new();
    let mut pulled = Value::Null;
    for _ in 0..100 {
        pulled = client.get(stille.url("/api/sync?version=2")).bearer_auth(&ida).send().await?.json().await?;
        if pulled["changes"].as_array().is_some_and(|c| c.iter().any(|c| c["kind"] == "answers")) {
            break;
        }
        // Polling the server for a condition, not waiting for a fixed time.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let answers = pulled["changes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["kind"] == "answers"))
        .context(format!("the answers reached the server: {pulled}"))?;
    assert_eq!(answers["body"]["instrument"], "scs-sf");
    assert_eq!(answers["body"]["lang"], "da");
    assert_eq!(answers["body"]["answers"], json!(vec![3; 12]));
    browser.close().await?;
    stille.stop().await
}

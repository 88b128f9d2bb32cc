//! Questionnaires on a phone, in Danish: answered without an account,
//! resumed after a reload, finished offline, scored with the meaning of the
//! band and a gentle note where the band calls for one; answered again, the
//! change since the first time; and for a signed-in participant, the answers
//! reach the account through the same outbox as practice.

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use stille_e2e::flows::{PASSWORD, day_at, post, sign_in_da};
use stille_e2e::{Browser, Engine, Locale, Stille, audit_both_themes};

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
    // Straight on, in the middle of the first sync (see
    // sync::a_reload_during_the_first_sync_leaves_the_log_working).
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

/// A questionnaire's answers as the app pushes them.
fn answers(at_ms: i64, seed: u8, instrument: &str, values: Vec<u8>) -> Value {
    let id = stille_practice::log::uuid_v7(at_ms as u64, [seed; 10]);
    json!({"id": id, "kind": "answers", "updated_at_ms": at_ms, "body": {
        "id": id, "instrument": instrument, "lang": "da", "answers": values,
        "at_ms": at_ms, "utc_offset_minutes": 0, "updated_at_ms": at_ms }})
}

/// WHO-5 answers (0–5 each) adding up to `raw`: the score is raw × 4.
fn who5(raw: u8) -> Vec<u8> {
    (0..5u8).map(|i| raw / 5 + u8::from(i < raw % 5)).collect()
}

/// GET `path` as `token`'s account: the answer as text.
async fn get_text(stille: &Stille, token: &str, path: &str) -> Result<String> {
    let response = reqwest::Client::new().get(stille.url(path)).bearer_auth(token).send().await?;
    ensure!(response.status().is_success(), "GET {path}: {}", response.status());
    Ok(response.text().await?)
}

fn read_json(text: &str) -> Result<Value> {
    Ok(serde_json::from_str(text)?)
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

fn sd(values: &[f64]) -> f64 {
    let m = mean(values);
    (values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (values.len() as f64 - 1.0)).sqrt()
}

/// One decimal, the Danish way.
fn da(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}").replace('.', ",").replace('-', "\u{2212}")
}

#[tokio::test]
#[ignore = "needs the built app, Chromium and axe-core: run `cargo xtask test`"]
async fn six_participants_answers_become_group_results_a_report_and_a_csv_without_names() -> Result<()> {
    let axe = stille_e2e::axe_source()?;
    let mut serious = Vec::new();
    // Instructors here sign in without the second step: this is about the results.
    let stille = Stille::start_two_step_optional().await?;
    stille.make_instructor("birgit@example.org", "Birgit", PASSWORD).await?;
    let birgit = stille.bearer_token("birgit@example.org", PASSWORD).await?;

    // Six participants. Frida is not counted in the group results but lets
    // Birgit see her own answers; the rest are counted and keep their own.
    let people = ["Anna Holm", "Bo Lund", "Carl Berg", "Dina Vestergaard", "Eva Kjær", "Frida Mørk"];
    let (course, tokens) = course_in_week_8(&stille, &birgit, &people, |i| (i < 5, i == 5)).await?;

    // Before the course, everyone answered WHO-5 and PSS-10 (raw WHO-5 sums).
    let before: [u8; 6] = [10, 12, 8, 15, 7, 20];
    for (i, token) in tokens.iter().enumerate() {
        let at = day_at(-55, 9);
        let seed = i as u8 * 10;
        let records = vec![
            answers(at, seed + 1, "who-5", who5(before[i])),
            answers(at, seed + 2, "pss-10", vec![2; 10]),
        ];
        post(&stille, Some(token), "/api/sync", json!({"records": records})).await?;
    }
    // In this eighth week, Anna, Bo, Carl and Frida answered again; Eva has not yet.
    let after: [u8; 6] = [15, 14, 12, 15, 11, 21];
    for i in [0, 1, 2, 5] {
        let at = stille_server::now_ms() - 60_000;
        let seed = i as u8 * 10;
        let records = vec![
            answers(at, seed + 3, "who-5", who5(after[i])),
            answers(at, seed + 4, "pss-10", vec![1; 10]),
        ];
        post(&stille, Some(&tokens[i]), "/api/sync", json!({"records": records})).await?;
    }

    // Dina answers on her phone, where home asks for both; offline.
    let dina = Browser::phone(Locale::Danish).await?;
    sign_in_da(&dina, &stille, "p3@example.org").await?;
    dina.goto(&stille.url("/")).await?;
    dina.wait_for_text(".measure-ask h3", "Spørgeskemaer fra dit forløb").await?;
    dina.wait_for_text_like(".measure-ask p", "de samme korte spørgsmål igen").await?;
    dina.wait_for_text(".measure-ask li:nth-of-type(2) .now-title", "PSS-10, oplevet stress").await?;
    dina.screenshot("measure-ask-da").await?;
    serious.extend(audit_both_themes(&dina, &axe, "home with the course's questionnaires").await?);
    dina.set_offline(true).await?;
    dina.click(".measure-ask a[href='/measures/who-5']").await?;
    dina.wait_for_text("h1", "WHO-5 Trivselsindeks").await?;
    for item in 1..=5 {
        choose(&dina, item, 3).await?; // "Lidt mere end halvdelen af tiden" = 3
    }
    dina.click(".measure-form button[type='submit']").await?;
    dina.wait_for_text(".measure-score", "60 på en skala fra 0 til 100").await?;
    // Home now asks only for the one still to answer.
    dina.goto(&stille.url("/")).await?;
    dina.wait_until(
        "only PSS-10 asked",
        "const t = [...document.querySelectorAll('.measure-ask .now-title')].map(e => e.textContent); \
         return t.length === 1 && t[0] === 'PSS-10, oplevet stress';",
    )
    .await?;
    dina.click(".measure-ask a[href='/measures/pss-10']").await?;
    dina.wait_for_text("h1", "PSS-10, oplevet stress").await?;
    for item in 1..=10 {
        choose(&dina, item, 3).await?; // "En gang imellem" = 2
    }
    dina.click(".measure-form button[type='submit']").await?;
    dina.wait_for_text(".measure-score", "20 på en skala fra 0 til 40").await?;

    // Birgit keeps WHO-5 and PSS-10 before and in week 8, on her phone.
    let teacher = Browser::phone(Locale::Danish).await?;
    sign_in_da(&teacher, &stille, "birgit@example.org").await?;
    teacher.goto(&stille.url(&format!("/teach/{course}"))).await?;
    teacher.wait_for_text(".outcomes-link", "Spørgeskemaer og resultater").await?;
    teacher.click(".outcomes-link").await?;
    teacher.wait_for_text("h1", "Spørgeskemaer og resultater").await?;
    teacher
        .wait_until(
            "the plan",
            "const i = document.querySelector('#measure-weeks'); return !!i && i.value === '0, 8, 21';",
        )
        .await?;
    teacher
        .eval(
            "const i = document.querySelector('#measure-weeks'); i.value = '8, 0'; \
             i.dispatchEvent(new Event('input', { bubbles: true })); return true;",
        )
        .await?;
    teacher.click(".measure-plan-save").await?;
    teacher.wait_for_text(".measure-plan [role=status]", "Gemt.").await?;
    let plan = read_json(&get_text(&stille, &birgit, &format!("/api/courses/{course}")).await?)?;
    assert_eq!(
        plan["measures"],
        json!({"instruments": ["who-5", "pss-10"], "weeks": [0, 8]}),
        "kept in order"
    );

    // Dina is still offline: week 8 has Anna, Bo and Carl.
    let outcomes = format!("/api/courses/{course}/outcomes");
    let o = read_json(&get_text(&stille, &birgit, &outcomes).await?)?;
    assert_eq!(o["instruments"][0]["changes"][0]["n"], 3, "{o}");
    // Back online, her phone syncs: four pairs, still too few to show.
    dina.set_offline(false).await?;
    let mut synced = Value::Null;
    for _ in 0..300 {
        synced = read_json(&get_text(&stille, &birgit, &outcomes).await?)?;
        if synced["instruments"][1]["changes"][0]["n"] == 4
            && synced["instruments"][0]["changes"][0]["n"] == 4
        {
            break;
        }
        // Polling the server for a condition, not waiting for a fixed time.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(synced["instruments"][0]["changes"][0]["n"], 4, "Dina's answers arrived: {synced}");
    teacher.goto(&stille.url(&format!("/teach/{course}/outcomes"))).await?;
    let changes = "section[aria-labelledby='outcome-who-5'] .changes tbody tr";
    teacher
        .wait_for_text_like(changes, "For få svar til at kunne vises, uden at nogen kan genkendes")
        .await?;
    assert_eq!(teacher.texts(&format!("{changes} td")).await?[0], "4");

    // Eva answers too: five pairs, and the figures.
    let at = stille_server::now_ms() - 30_000;
    let records = vec![answers(at, 43, "who-5", who5(after[4])), answers(at, 44, "pss-10", vec![1; 10])];
    post(&stille, Some(&tokens[4]), "/api/sync", json!({"records": records})).await?;

    // Worked out here from the answers: counted are Anna to Eva.
    let befores: Vec<f64> = before[..5].iter().map(|r| f64::from(*r) * 4.0).collect();
    let afters: Vec<f64> = after[..5].iter().map(|r| f64::from(*r) * 4.0).collect();
    let changes_made: Vec<f64> = befores.iter().zip(&afters).map(|(b, a)| a - b).collect();
    let (m, s) = (mean(&changes_made), sd(&changes_made));
    let half = 2.776 * s / 5f64.sqrt();
    let change_text = format!("+{} (95 %-KI {} til {})", da(m, 1), da(m - half, 1), da(m + half, 1));
    let better = changes_made.iter().filter(|c| **c >= 10.0).count();
    let before_text = format!("{} (SD {})", da(mean(&befores), 1), da(sd(&befores), 1));
    let after_text = format!("{} (SD {})", da(mean(&afters), 1), da(sd(&afters), 1));

    teacher.goto(&stille.url(&format!("/teach/{course}/outcomes"))).await?;
    teacher.wait_for_text_like(changes, &change_text).await?;
    let cells = teacher.texts(&format!("{changes} td")).await?;
    assert_eq!(cells, ["5".to_owned(), change_text.clone(), da(m / s, 2), format!("{better} / 0")]);
    let points =
        teacher.texts("section[aria-labelledby='outcome-who-5'] table:not(.changes) tbody td").await?;
    assert_eq!(points, ["5".to_owned(), before_text.clone(), "5".to_owned(), after_text.clone()]);
    teacher.wait_for_text_like(".outcome-table.individuals tbody th", "Frida Mørk").await?;
    assert_eq!(teacher.texts(".outcome-table.individuals tbody tr").await?.len(), 1, "only Frida allows it");
    teacher.screenshot("outcomes-da").await?;
    teacher.eval("document.querySelector('#outcome-who-5').scrollIntoView(); return true;").await?;
    teacher.screenshot("outcomes-results-da").await?;
    serious.extend(audit_both_themes(&teacher, &axe, "the course's questionnaires and results").await?);

    // The printable report: the same figures, no names, no email.
    teacher.click(".outcomes-report").await?;
    teacher.wait_for_text_like("h1", "Forløbsrapport").await?;
    teacher.wait_for_text_like(changes, &change_text).await?;
    let page = teacher.eval("return document.querySelector('main').innerText").await?;
    let page = page.as_str().context("the report's text")?;
    for name in people {
        let surname = name.split(' ').nth(1).unwrap_or(name);
        ensure!(!page.contains(surname), "{name} is in the report:\n{page}");
    }
    ensure!(!page.contains('@'), "an email is in the report:\n{page}");
    ensure!(page.contains(&before_text) && page.contains(&after_text), "{page}");
    ensure!(page.contains("PSS-10") && page.contains("ikke valideret oversættelse"), "the mark: {page}");
    teacher.screenshot("course-report-da").await?;
    teacher.eval("document.querySelector('#outcome-who-5').scrollIntoView(); return true;").await?;
    teacher.screenshot("course-report-results-da").await?;
    // On paper: the report alone, without the app's header and buttons.
    teacher.cdp("Emulation.setEmulatedMedia", json!({"media": "print"})).await?;
    let hidden = teacher
        .eval(
            "const gone = (css) => document.querySelector(css).getClientRects().length === 0; \
             return gone('.site-header') && gone('.report-print') && !gone('.course-report h1');",
        )
        .await?;
    ensure!(hidden == json!(true), "the print style leaves only the report");
    teacher.eval("window.scrollTo(0, 0); return true;").await?;
    teacher.screenshot("course-report-print-da").await?;
    teacher.cdp("Emulation.setEmulatedMedia", json!({"media": ""})).await?;
    serious.extend(audit_both_themes(&teacher, &axe, "the printable course report").await?);

    // The CSV: the same figures, no names, no email.
    let csv = get_text(&stille, &birgit, &format!("{outcomes}?format=csv")).await?;
    for name in people {
        ensure!(!csv.contains(name.split(' ').nth(1).unwrap_or(name)), "{name} in {csv}");
    }
    ensure!(!csv.contains('@'), "an email in {csv}");
    let row = csv.lines().find(|l| l.starts_with("change,who-5,")).context("a WHO-5 change row")?;
    let expected = format!(
        "change,who-5,true,,0,8,5,,,{:.2},{:.2},{:.2},{:.2},{:.2},{:.2},{:.2},{:.2},{:.2},{better},0",
        mean(&befores),
        sd(&befores),
        mean(&afters),
        sd(&afters),
        m,
        s,
        m - half,
        m + half,
        m / s
    );
    assert_eq!(row, expected);

    assert!(serious.is_empty(), "serious or critical accessibility violations:\n{}", serious.join("\n"));
    dina.close().await?;
    teacher.close().await?;
    stille.stop().await
}

/// An MBSR course by `birgit` in its eighth week (it began 52 days ago) with
/// `people` in it, who joined ten days before it began, each consenting as
/// `consent(i)` says (counted in the group results, own answers seen): the
/// course's id and each one's bearer token (`p<i>@example.org`).
async fn course_in_week_8(
    stille: &Stille,
    birgit: &str,
    people: &[&str],
    consent: impl Fn(usize) -> (bool, bool),
) -> Result<(String, Vec<String>)> {
    let start = {
        let day = stille_practice::stats::Date(day_at(-52, 0).div_euclid(86_400_000) as i32);
        let (y, m, d) = day.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    };
    let course = post(
        stille,
        Some(birgit),
        "/api/courses",
        json!({"title": "MBSR efterår", "lang": "da", "time_zone": "UTC", "start_date": start, "template": "mbsr"}),
    )
    .await?;
    let course = course["id"].as_str().context("a course id")?.to_owned();
    let invite = post(stille, Some(birgit), &format!("/api/courses/{course}/invite"), json!({})).await?;
    let code = invite["code"].as_str().context("a code")?.to_owned();
    let mut tokens = Vec::new();
    for (i, name) in people.iter().enumerate() {
        let email = format!("p{i}@example.org");
        post(
            stille,
            None,
            "/api/accounts",
            json!({"email": email, "password": PASSWORD, "display_name": name}),
        )
        .await?;
        let token = stille.bearer_token(&email, PASSWORD).await?;
        let (group_results, own) = consent(i);
        let consent =
            json!({"adherence": true, "reflections": false, "group_results": group_results, "answers": own});
        post(stille, Some(&token), "/api/join", json!({"code": code, "consent": consent})).await?;
        tokens.push(token);
    }
    let joined = day_at(-62, 12);
    let moved = stille_server::on_store!(stille.store(), pool => {
        sqlx::query(
            "UPDATE memberships SET joined_at_ms = $1, consent_changed_ms = $1, \
             adherence_since_ms = $1, group_results_since_ms = CASE WHEN share_group_results THEN $1 END, \
             answers_since_ms = CASE WHEN share_answers THEN $1 END WHERE course_id = $2",
        )
        .bind(joined)
        .bind(&course)
        .execute(pool)
        .await?
        .rows_affected()
    });
    ensure!(moved == people.len() as u64, "{} memberships backdated, not {moved}", people.len());
    Ok((course, tokens))
}

#[tokio::test]
#[ignore = "needs the built app and WebKitGTK: run `cargo xtask test`"]
async fn the_course_questionnaires_and_report_in_webkit() -> Result<()> {
    let stille = Stille::start_two_step_optional().await?;
    stille.make_instructor("birgit@example.org", "Birgit", PASSWORD).await?;
    let birgit = stille.bearer_token("birgit@example.org", PASSWORD).await?;
    let people = ["Anna Holm", "Bo Lund", "Carl Berg", "Dina Vestergaard", "Eva Kjær", "Frida Mørk"];
    let (course, tokens) = course_in_week_8(&stille, &birgit, &people, |i| (i < 5, false)).await?;
    let plan = json!({"instruments": ["who-5"], "weeks": [0, 8]});
    let response = reqwest::Client::new()
        .put(stille.url(&format!("/api/courses/{course}/measures")))
        .bearer_auth(&birgit)
        .json(&plan)
        .send()
        .await?;
    ensure!(response.status().is_success(), "the plan: {}", response.status());
    // Five answered before and now; Frida only before.
    for (i, token) in tokens.iter().enumerate() {
        let seed = i as u8 * 10;
        let mut records = vec![answers(day_at(-55, 9), seed + 1, "who-5", who5(10 + i as u8))];
        if i < 5 {
            records.push(answers(
                stille_server::now_ms() - 60_000,
                seed + 2,
                "who-5",
                who5(14 + 2 * i as u8),
            ));
        }
        post(&stille, Some(token), "/api/sync", json!({"records": records})).await?;
    }
    let befores: Vec<f64> = (0..5).map(|i| f64::from(10 + i) * 4.0).collect();
    let afters: Vec<f64> = (0..5).map(|i| f64::from(14 + 2 * i) * 4.0).collect();
    let changes: Vec<f64> = befores.iter().zip(&afters).map(|(b, a)| a - b).collect();
    let (m, s) = (mean(&changes), sd(&changes));
    let half = 2.776 * s / 5f64.sqrt();
    let change_text = format!("+{} (95 %-KI {} til {})", da(m, 1), da(m - half, 1), da(m + half, 1));

    // Frida, on an iPhone's engine, is asked for the week-8 questionnaire.
    let frida = Browser::open(Engine::WebKit, Locale::Danish).await?;
    sign_in_da(&frida, &stille, "p5@example.org").await?;
    // Not straight on in WebKit: under CI's full load, a page loaded in the
    // middle of the first sync once found the device's database answering
    // nothing for its whole life (2026-12-06 and 2026-12-07: no read, not
    // even the sync engine's, within 60 s; fresh opens did not help). The
    // app reads again when the database answers again
    // (home_and_library::the_home_screen_reads_again_when_the_log_answers),
    // but here it never does. Open in #20.
    frida.wait_for_text(".sync-status", "Synkroniseret").await?;
    frida.goto(&stille.url("/")).await?;
    let asked = frida
        .wait_until_within(
            "the home screen asks for the week-8 WHO-5",
            "return document.getElementById('boot') === null && [...document.querySelectorAll('.measure-ask .now-title')] \
             .some((e) => e.textContent.trim() === 'WHO-5 Trivselsindeks')",
            std::time::Duration::from_secs(60),
        )
        .await;
    if let Err(error) = asked {
        let state = frida
            .eval(
                "return JSON.stringify({controlled: !!(navigator.serviceWorker && navigator.serviceWorker.controller), \
                 resources: performance.getEntriesByType('resource').map(e => [e.name.replace(location.origin, ''), Math.round(e.duration), e.responseEnd > 0])});",
            )
            .await?;
        frida.screenshot("measure-ask-webkit-failed").await?;
        return Err(error.context(format!("WebKit state: {state}")));
    }
    frida.screenshot("measure-ask-webkit-da").await?;
    frida.close().await?;

    // Birgit reads the results and the report there too.
    let teacher = Browser::open(Engine::WebKit, Locale::Danish).await?;
    sign_in_da(&teacher, &stille, "birgit@example.org").await?;
    teacher.goto(&stille.url(&format!("/teach/{course}/outcomes"))).await?;
    let changes_row = "section[aria-labelledby='outcome-who-5'] .changes tbody tr";
    teacher.wait_for_text_like(changes_row, &change_text).await?;
    teacher.screenshot("outcomes-webkit-da").await?;
    teacher.goto(&stille.url(&format!("/teach/{course}/report"))).await?;
    teacher.wait_for_text_like("h1", "Forløbsrapport").await?;
    teacher.wait_for_text_like(changes_row, &change_text).await?;
    teacher.screenshot("course-report-webkit-da").await?;
    teacher.close().await?;
    stille.stop().await
}

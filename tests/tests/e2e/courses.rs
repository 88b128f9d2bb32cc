//! A course from end to end, with two browsers: the instructor creates an MSC
//! course from the template and makes an invite; a participant opens the link,
//! signs up, consents, joins and sees week 1; goes offline, practises twice,
//! reloads and comes back online; the dashboard then shows exactly those two
//! practices and her shared reflection — and a second participant, who shares
//! practice but not reflections, shows none. The new screens pass axe.
//! An open (rolling) group shows a late joiner their own week 1, and its
//! leader how the week's meeting runs.

use anyhow::{Context, Result, ensure};
use fantoccini::Locator;
use serde_json::json;
use stille_e2e::flows::{
    PASSWORD, code, fill_sign_up, log_practice, post, set_date, sign_in, sign_in_no_wait, status_is,
    turn_on_two_step,
};
use stille_e2e::{Browser, Locale, Stille, audit_both_themes, axe_source};

const WEEK_PRACTICE: &str = "informal-self-compassion-break-moment";

/// The day `days_from_today` as "This week" writes it in English: "Monday 14 December".
fn english_day(days_from_today: i32) -> String {
    const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0));
    let today =
        stille_practice::stats::Date::of(now_ms, 0, stille_practice::stats::DayRule { grace_minutes: 0 });
    let day = today.add_days(days_from_today);
    let (_, month, date) = day.ymd();
    format!("{} {date} {}", DAYS[day.weekday() as usize], MONTHS[month as usize - 1])
}

/// Joins from `link` as a new participant with the given answers.
async fn join(browser: &Browser, link: &str, name: &str, email: &str, reflections: bool) -> Result<()> {
    browser.goto(link).await?;
    browser.wait_for_text(".join-course h2", "MSC spring").await?;
    // A newcomer's main button makes an account; the page keeps naming the course.
    browser.client.find(Locator::Css(".join-create")).await?.click().await?;
    browser.wait_for_text(".account-joining strong", "MSC spring").await?;
    ensure!(
        browser.eval("return !document.getElementById('account-password-help').hidden").await? == json!(true),
        "the password rule is shown before anything is typed"
    );
    fill_sign_up(browser, name, email).await?;
    // Back on the invite, now signed in: every question must be answered.
    browser.wait_for_text(".join-submit", "Join").await?;
    browser.client.find(Locator::Css(".join-submit")).await?.click().await?;
    browser.wait_for_text(".join-form .form-problem", "Answer yes or no to each question.").await?;
    browser.client.find(Locator::Css("input[name=adherence][value=yes]")).await?.click().await?;
    let answer = if reflections { "yes" } else { "no" };
    browser
        .client
        .find(Locator::Css(&format!("input[name=reflections][value={answer}]")))
        .await?
        .click()
        .await?;
    // MSC asks questionnaires, so the two questions about their answers are asked too.
    browser.client.find(Locator::Css(".join-submit")).await?.click().await?;
    browser.wait_for_text(".join-form .form-problem", "Answer yes or no to each question.").await?;
    browser.client.find(Locator::Css("input[name=group-results][value=yes]")).await?.click().await?;
    browser.client.find(Locator::Css("input[name=answers][value=no]")).await?.click().await?;
    browser.client.find(Locator::Css(".join-submit")).await?.click().await?;
    if let Err(error) = browser.wait_for_text(".this-week h2", "This week – week 1").await {
        browser.screenshot(&format!("join-failed-{name}")).await?;
        return Err(error);
    }
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn an_msc_course_from_invite_to_dashboard_with_consent_respected() -> Result<()> {
    let axe = axe_source()?;
    let mut serious = Vec::new();
    let stille = Stille::start().await?;
    let base = stille.url("");
    stille.make_instructor("birgit@example.org", "Birgit", PASSWORD).await?;

    // The instructor: a course from the MSC template, started two days ago
    // (so this moment is in week 1 whatever the hour), and its invite.
    let teacher = Browser::phone(Locale::English).await?;
    sign_in(&teacher, &base, "birgit@example.org").await?;
    // An instructor teaches after a second step: the dashboard says so
    // until the authenticator app is set up on the account page.
    teacher.goto(&stille.url("/teach")).await?;
    teacher.wait_for_text(".create-course", "Create the course").await?;
    teacher.client.find(Locator::Css("#course-title")).await?.send_keys("Not yet").await?;
    teacher.client.find(Locator::Css(".create-course")).await?.click().await?;
    teacher.wait_for_text_like("[role=alert]", "you sign in with two steps").await?;
    let secret = turn_on_two_step(&teacher, &base).await?;
    serious.extend(audit_both_themes(&teacher, &axe, "two-step sign-in is on (English)").await?);
    // Signing in again takes the code too.
    teacher.client.find(Locator::Css(".sign-out")).await?.click().await?;
    teacher.wait_until("signed out and home", "return location.pathname === '/'").await?;
    sign_in_no_wait(&teacher, &base, "birgit@example.org").await?;
    teacher.wait_for_text_like(".account-form .form-problem", "signs in with two steps").await?;
    teacher.client.find(Locator::Css("#account-code")).await?.send_keys(&code(&secret, 1)?).await?;
    teacher.client.find(Locator::Css(".account-submit")).await?.click().await?;
    teacher.wait_until("signed in", "return !!document.querySelector('.account-who')").await?;
    teacher.goto(&stille.url("/teach")).await?;
    teacher.wait_for_text("h1", "Your courses").await?;
    teacher.wait_for_text(".create-course", "Create the course").await?;
    teacher.client.find(Locator::Css("#course-title")).await?.send_keys("MSC spring").await?;
    set_date(&teacher, "#course-start", -2).await?;
    teacher.client.find(Locator::Css("#course-template option[value=msc]")).await?.click().await?;
    teacher.client.find(Locator::Css(".create-course")).await?.click().await?;
    teacher.wait_for_text("h1", "MSC spring").await?;
    teacher.client.find(Locator::Css(".new-invite")).await?.click().await?;
    let link = teacher.wait_for_text_like(".invite-link", "/join/").await?;
    let code = teacher.text(".invite-code").await?;
    assert!(link.ends_with(&code), "{link} carries {code}");
    // Week 1 gets one more practice than the template's.
    // Each week with its dates, the week now marked; no empty week after
    // the programme's eight.
    let first = teacher.wait_for_text_like(".plan-week h3", "Week 1 · ").await?;
    assert!(first.ends_with("now"), "week 1 is now: {first}");
    let last_filled = teacher
        .eval(
            "const weeks = document.querySelectorAll('.plan-week'); \
               return weeks.length >= 8 && weeks[weeks.length - 1].querySelectorAll('.assigned').length > 0",
        )
        .await?;
    assert_eq!(last_filled, json!(true), "eight weeks or more, the last one planned");
    // The programme's own practices are listed first.
    let groups = teacher
        .eval("return [...document.querySelectorAll('#add-practice-1 optgroup')].map(g => g.label)")
        .await?;
    assert_eq!(groups, json!(["From the programme", "Other practices"]));
    let first_offered = teacher.eval("return document.querySelector('#add-practice-1').value").await?;
    let programme = stille_practice::catalog().course("msc").context("the MSC programme")?;
    let first_given = programme.sessions.iter().flat_map(|s| &s.practices).next().context("home practice")?;
    assert_eq!(first_offered, json!(first_given.id.as_str()), "the programme's first practice first");
    teacher.client.find(Locator::Css("#add-practice-1 option[value=breathing-box]")).await?.click().await?;
    teacher.client.find(Locator::Css("#add-minutes-1 option[value='3']")).await?.click().await?;
    teacher.client.find(Locator::Css("#add-days-1 option[value='5']")).await?.click().await?;
    teacher.client.find(Locator::Css("#add-days-1 ~ .add-assigned")).await?.click().await?;
    teacher.wait_for_text(".plan-week .plan-said", "Saved.").await?;
    let row = "[...document.querySelectorAll('.plan-week.now .assigned')]\
               .find(r => r.querySelector('.assigned-title').textContent === 'Box Breathing')";
    let fields = format!(
        "const r = {row}; return r ? [r.querySelector('.assigned-minutes').value, r.querySelector('.assigned-days').value] : null"
    );
    teacher.wait_until("Box Breathing added in week 1", &format!("const r = {row}; return !!r")).await?;
    assert_eq!(teacher.eval(&fields).await?, json!(["3", "5"]));
    // Changed where it stands: five minutes.
    teacher
        .eval(&format!(
            "const s = ({row}).querySelector('.assigned-minutes'); s.value = '5'; \
             s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true"
        ))
        .await?;
    teacher
        .wait_until(
            "saved at five minutes",
            &format!("const r = {row}; return !!r && r.querySelector('.assigned-minutes').value === '5'"),
        )
        .await?;
    teacher.wait_for_text(".plan-week .plan-said", "Saved.").await?;
    // Removed, and put back with Undo.
    teacher.eval(&format!("({row}).querySelector('.remove-assigned').click(); return true")).await?;
    teacher.wait_for_text_like(".plan-week .plan-said", "Box Breathing is removed from the week.").await?;
    teacher.wait_until("gone from week 1", &format!("return !({row})")).await?;
    teacher.click(".undo-remove").await?;
    teacher.wait_until("back in week 1", &format!("const r = {row}; return !!r")).await?;
    assert_eq!(teacher.eval(&fields).await?, json!(["5", "5"]), "back as it was");
    teacher.eval("document.querySelector('.plan-week.now').scrollIntoView(); return true").await?;
    teacher.screenshot("teach-plan").await?;

    // The meeting plan: Mondays' time and place, a free week (session 2's
    // day, so the next session is a week later), the retreat in nine days.
    teacher.wait_for_text("#meeting-plan-heading", "Meeting plan").await?;
    assert_eq!(
        teacher.eval("return document.querySelector('#meeting-minutes').value").await?,
        json!("165"),
        "MSC's sessions last 2 h 45 until the instructor says otherwise"
    );
    for (css, value) in [("#meeting-time", "17:30"), ("#retreat-time", "10:00")] {
        teacher
            .eval(&format!(
                "const i = document.querySelector('{css}'); i.value = '{value}';                  i.dispatchEvent(new Event('input', {{ bubbles: true }})); return true"
            ))
            .await?;
    }
    teacher.client.find(Locator::Css("#meeting-place")).await?.send_keys("Sundhedshuset, lokale 2").await?;
    let retreat_day = set_date(&teacher, "#retreat-date", 9).await?;
    teacher.click(".save-meetings").await?;
    teacher.wait_for_text(".meeting-said", "Saved.").await?;
    teacher.wait_for_text_like(".meeting-day:nth-child(2) > span", "Session 2: ").await?;
    teacher.click(".meeting-day:nth-child(2) .meeting-toggle").await?;
    teacher
        .wait_until(
            "session 2's day marked free",
            "const d = document.querySelector('.meeting-day:nth-child(2)'); return !!d && d.classList.contains('skipped')",
        )
        .await?;
    let third_row = teacher.wait_for_text_like(".meeting-day:nth-child(3) > span", "Session 2: ").await?;
    assert!(third_row.contains("17:30–20:15"), "the sessions a week on, at their time: {third_row}");
    teacher.eval("document.querySelector('.meeting-plan').scrollIntoView(); return true").await?;
    teacher.screenshot("teach-meetings").await?;

    // Ida joins from the link, sharing practice and reflections.
    let ida = Browser::phone(Locale::English).await?;
    join(&ida, &link, "Ida", "ida@example.org", true).await?;
    let cards = ida.texts(".this-week .week-card .now-title").await?;
    assert!(cards.contains(&"Self-Compassion Break in a Hard Moment".to_owned()), "{cards:?}");
    assert!(cards.contains(&"Box Breathing".to_owned()), "the instructor's addition: {cards:?}");
    ida.wait_for_text(".knowledge h3", "This week's theme").await?;
    // The next session is the week after the free one, with time and place;
    // the retreat, nine days away, with its practices; the calendar file.
    let next = ida.wait_for_text_like(".week-next", "Next session:").await?;
    let session_2 = english_day(12);
    assert_eq!(next, format!("Next session: {session_2}, 17:30–20:15 · Sundhedshuset, lokale 2"));
    let retreat = ida.wait_for_text_like(".retreat-when", "10:00–14:00").await?;
    assert_eq!(
        retreat,
        format!("{}, 10:00–14:00 · Sundhedshuset, lokale 2", english_day(9)),
        "{retreat_day}"
    );
    ida.wait_for_text(".retreat h3", "Retreat: silence, compassionate walking and savouring").await?;
    ensure!(!ida.texts(".retreat .now-title").await?.is_empty(), "the retreat's practices are listed");
    let calendar = ida
        .client
        .find(Locator::Css(".week-calendar"))
        .await?
        .attr("href")
        .await?
        .context("a calendar link")?;
    let ics = ida
        .eval(&format!("return fetch('{calendar}', {{ credentials: 'same-origin' }}).then((r) => r.text())"))
        .await?;
    let ics = ics.as_str().unwrap_or_default();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 9, "eight sessions and the retreat:\n{ics}");
    assert!(ics.contains("LOCATION:Sundhedshuset\\, lokale 2"), "{ics}");
    ida.screenshot("participant-week").await?;
    serious.extend(audit_both_themes(&ida, &axe, "this week (participant)").await?);

    // Offline, two practices; a reload; one reflection shared.
    ida.set_offline(true).await?;
    log_practice(&ida, &base, WEEK_PRACTICE, "Hand on the heart on the train.").await?;
    log_practice(&ida, &base, WEEK_PRACTICE, "Kinder words after the meeting.").await?;
    ida.client.refresh().await?;
    ida.wait_for_text("h1", "Your practice").await?;
    ida.wait_until("both practices listed", "return document.querySelectorAll('li.entry').length === 2")
        .await?;
    // The newest first: "Kinder words…" is shared, "Hand on the heart…" stays private.
    ida.click("li.entry .share-toggle").await?;
    ida.wait_for_text(".shared-mark", "Shared with your instructor.").await?;
    ida.wait_for_text_like(".sync-status a", "Waiting for network").await?;
    ida.set_offline(false).await?;
    status_is(&ida, "Synced").await?;
    ida.goto(&stille.url("/")).await?;
    ida.wait_for_text(".week-progress", "1 of 7 days").await?;
    // Her account page: signed in, synced, the course with what she shares.
    ida.goto(&stille.url("/account")).await?;
    ida.wait_for_text(".my-course h3", "MSC spring").await?;
    ida.screenshot("participant-account").await?;
    serious.extend(audit_both_themes(&ida, &axe, "the account page (signed in, in a course)").await?);

    // Jens shares practice but not reflections; his practice is logged online.
    let jens = Browser::phone(Locale::English).await?;
    join(&jens, &link, "Jens", "jens@example.org", false).await?;
    // After it he feels shut down, and says so on the ladder.
    jens.goto(&format!("{base}/practices/{WEEK_PRACTICE}")).await?;
    let informal = jens.client.wait().for_element(Locator::Css(".log-informal")).await?;
    jens.click_element(&informal).await?;
    jens.wait_for_text(".after h2", "Take a moment").await?;
    jens.click(".after .ladder-option input[value='dorsal']").await?;
    jens.client.find(Locator::Css("#after-note")).await?.send_keys("Jens' own note.").await?;
    jens.click(".after-save").await?;
    // A "shut down" check-in is met with support first, then his practice.
    jens.wait_for_text("#worry-heading", "That sounds hard right now").await?;
    jens.click(".worry-on").await?;
    jens.wait_for_text("h1", "Your practice").await?;
    status_is(&jens, "Synced").await?;
    assert!(
        jens.client.find_all(Locator::Css(".share-toggle")).await?.is_empty(),
        "nothing to share with when reflections are not shared"
    );

    // The dashboard: exactly Ida's two practices, her shared reflection; none of Jens'.
    teacher.client.refresh().await?;
    teacher.wait_for_text("h1", "MSC spring").await?;
    let ida_row = teacher.wait_for_text_like(".week-table tbody tr", "Ida").await?;
    assert!(ida_row.contains("10 min · 1 day"), "two practices on one day of week 1: {ida_row}");
    let jens_row = teacher.wait_for_text_like(".week-table tbody tr", "Jens").await?;
    assert!(jens_row.contains(" min · 1 day"), "{jens_row}");
    // The heatmap names its days and outlines today (the course began two days ago).
    let days = teacher.texts(".group-heatmap .heat-day").await?;
    assert_eq!(days.len(), 8 * 7, "a label for every day of the 8 weeks: {days:?}");
    assert!(
        days.iter().all(|d| ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"].contains(&d.as_str())),
        "{days:?}"
    );
    assert_eq!(teacher.client.find_all(Locator::Css(".group-heatmap .heat-today")).await?.len(), 1);
    // Jens' "shut down" is noticed, gently, on his name; Ida has nothing to notice.
    let tags = teacher.texts(".participant summary .notice-tag").await?;
    assert_eq!(tags, ["a check-in to look at"], "one tag, on Jens");
    let jens_summary = teacher.wait_for_text_like(".participant summary", "Jens").await?;
    assert!(jens_summary.contains("a check-in to look at"), "{jens_summary}");
    for summary in teacher.client.find_all(Locator::Css(".participant summary")).await? {
        summary.click().await?;
    }
    let noticed = teacher.texts(".participant .participant-notices li").await?;
    assert_eq!(
        noticed,
        [
            "In week 1 they chose “Shut down” on the ladder once. It may be worth a gentle question when you meet."
        ]
    );
    let shared = teacher.texts(".participant .shared-reflection .entry-note").await?;
    assert_eq!(shared, ["Kinder words after the meeting."], "only what Ida shared");
    let none = teacher.texts(".participant .no-reflections").await?;
    assert_eq!(none, ["Does not share reflections."], "Jens shows none");
    let page = teacher.text(".dashboard").await?;
    assert!(
        !page.contains("Jens' own note") && !page.contains("Hand on the heart"),
        "nothing unshared leaks"
    );
    teacher.screenshot("teach-dashboard").await?;
    serious.extend(audit_both_themes(&teacher, &axe, "the instructor's dashboard").await?);
    // Sign-ups: two places taken; the group made two places big is full;
    // closed, and still closed after a reload; open again.
    teacher.wait_for_text_like(".sign-ups-places", "2 of ").await?;
    teacher.wait_for_text_like(".sign-ups-state", "Open:").await?;
    let size = teacher.client.find(Locator::Css("#group-size")).await?;
    size.clear().await?;
    size.send_keys("2").await?;
    teacher.click(".save-group-size").await?;
    teacher.wait_for_text(".sign-ups-said", "Saved.").await?;
    teacher.wait_for_text(".sign-ups-places", "2 of 2 places are taken.").await?;
    teacher.wait_for_text_like(".sign-ups-state", "Full:").await?;
    teacher.click(".sign-ups-toggle").await?;
    teacher.wait_for_text(".sign-ups-toggle", "Open sign-ups").await?;
    teacher.client.refresh().await?;
    teacher.wait_for_text_like(".sign-ups-state", "Closed:").await?;
    teacher.wait_for_text(".sign-ups-places", "2 of 2 places are taken.").await?;
    teacher.click(".sign-ups-toggle").await?;
    teacher.wait_for_text(".sign-ups-toggle", "Close sign-ups").await?;
    teacher.wait_for_text_like(".sign-ups-state", "Full:").await?;
    teacher.eval("document.querySelector('.sign-ups').scrollIntoView(); return true").await?;
    teacher.screenshot("teach-sign-ups").await?;
    // The CSV holds the same figures.
    let csv_href =
        teacher.client.find(Locator::Css("a.csv")).await?.attr("href").await?.context("a CSV link")?;
    let csv = teacher
        .eval(&format!("return fetch('{csv_href}', {{ credentials: 'same-origin' }}).then((r) => r.text())"))
        .await?;
    let csv = csv.as_str().unwrap_or_default();
    assert!(csv.lines().any(|l| l.starts_with("Ida,1,")), "{csv}");
    // Ida forgot her password: Birgit makes her a one-time link in class.
    teacher
        .eval(
            "const ida = [...document.querySelectorAll('details.participant')]\
               .find((d) => d.querySelector('summary').textContent.trim() === 'Ida'); \
             ida.open = true; ida.querySelector('.reset-link').click(); return true;",
        )
        .await?;
    let reset = teacher.wait_for_text_like(".reset-link-box .invite-link", "/reset#").await?;
    ida.goto(&reset).await?;
    ida.wait_for_text("h1", "Choose a new password").await?;
    ida.client.find(Locator::Css("#reset-password")).await?.send_keys("a new line about the sea").await?;
    ida.client.find(Locator::Css(".reset-save")).await?.click().await?;
    ida.wait_for_text(".reset-done", "Your new password is saved. Sign in with it.").await?;
    ida.goto(&stille.url("/account")).await?;
    ida.wait_for_text("h1", "Your account").await?;
    ida.client.wait().for_element(Locator::Css("#account-email")).await?.send_keys("ida@example.org").await?;
    ida.client.find(Locator::Css("#account-password")).await?.send_keys("a new line about the sea").await?;
    ida.client.find(Locator::Css(".account-submit")).await?.click().await?;
    let notice = ida.wait_for_text_like(".last-reset", "with a link from Birgit").await?;
    assert!(notice.contains("If it was not you"), "{notice}");
    teacher.goto(&stille.url("/teach")).await?;
    teacher.wait_for_text(".my-course h3", "MSC spring").await?;
    serious.extend(audit_both_themes(&teacher, &axe, "the instructor's courses").await?);
    assert!(serious.is_empty(), "serious or critical accessibility violations:\n{}", serious.join("\n"));
    for browser in [teacher, ida, jens] {
        browser.close().await?;
    }
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn an_open_group_shows_a_late_joiner_their_own_week_1() -> Result<()> {
    let stille = Stille::start_two_step_optional().await?;
    stille.make_instructor("karen@example.dk", "Karen", PASSWORD).await?;
    let karen = stille.bearer_token("karen@example.dk", PASSWORD).await?;
    // A wellbeing group that began 15 days ago (it is in its third week), open.
    let today = stille_practice::stats::Date::of(
        stille_server::now_ms(),
        0,
        stille_practice::stats::DayRule { grace_minutes: 0 },
    );
    let (y, m, d) = today.add_days(-15).ymd();
    let form = json!({"title": "Trivselsgruppe", "lang": "da", "time_zone": "Europe/Copenhagen",
        "start_date": format!("{y:04}-{m:02}-{d:02}"), "template": "wellbeing-group"});
    let course = post(&stille, Some(&karen), "/api/courses", form).await?;
    let id = course["id"].as_str().context("a course id")?.to_owned();
    let open = reqwest::Client::new()
        .patch(stille.url(&format!("/api/courses/{id}")))
        .bearer_auth(&karen)
        .json(&json!({"meetings": {"rolling": true, "time": "16:00", "place": "Ungdomshuset"}}))
        .send()
        .await?;
    ensure!(open.status().is_success(), "the group opened: {}", open.text().await?);
    let invite = post(&stille, Some(&karen), &format!("/api/courses/{id}/invite"), json!({})).await?;
    let sign_up = json!({"email": "maja@example.org", "password": PASSWORD, "display_name": "Maja"});
    post(&stille, None, "/api/accounts", sign_up).await?;
    let maja = stille.bearer_token("maja@example.org", PASSWORD).await?;
    let consent = json!({"adherence": true, "reflections": false});
    post(&stille, Some(&maja), "/api/join", json!({"code": invite["code"], "consent": consent})).await?;

    // Maja comes in now, in the group's third week: her week is week 1, with week 1's practice.
    let browser = Browser::phone(Locale::Danish).await?;
    stille_e2e::flows::sign_in_da(&browser, &stille, "maja@example.org").await?;
    browser.goto(&stille.url("/")).await?;
    browser.wait_for_text(".this-week h2", "Denne uge – uge 1").await?;
    let programme = stille_practice::catalog().course("wellbeing-group").context("the programme")?;
    let week_1 = programme.week(1).context("week 1")?;
    let expected: Vec<String> = week_1
        .practices
        .iter()
        .filter_map(|p| stille_practice::catalog().get(p.id.as_str()))
        .map(|p| p.title.get(stille_practice::Lang::Da).to_owned())
        .collect();
    assert_eq!(browser.texts(".this-week .week-card .now-title").await?, expected);
    let next = browser.wait_for_text_like(".week-next", "Næste mødegang:").await?;
    assert!(next.contains("kl. 16.00") && next.ends_with("Ungdomshuset"), "{next}");
    browser.screenshot("open-group-week").await?;
    browser.close().await?;

    // Karen, who leads the group, sees how this week's meeting runs.
    let leader = Browser::phone(Locale::Danish).await?;
    stille_e2e::flows::sign_in_da(&leader, &stille, "karen@example.dk").await?;
    leader.goto(&stille.url(&format!("/teach/{id}"))).await?;
    leader.wait_for_text(".plan-week.now .meeting-outline summary", "Mødegangens forløb").await?;
    leader.click(".plan-week.now .meeting-outline summary").await?;
    assert_eq!(
        leader.texts(".plan-week.now .meeting-outline dt").await?,
        ["Opstart · ca. 20 min", "Proces · ca. 75 min", "Afslutning · ca. 25 min"]
    );
    let expected: Vec<String> = programme
        .outline_for(3, None)
        .iter()
        .map(|(_, _, text)| text.get(stille_practice::Lang::Da).to_owned())
        .collect();
    assert_eq!(leader.texts(".plan-week.now .meeting-outline dd").await?, expected);
    assert!(expected[0].starts_with("Ankomstrunde"), "{expected:?}");
    leader
        .eval("document.querySelector('.plan-week.now .meeting-outline').scrollIntoView(); return true")
        .await?;
    leader.screenshot("open-group-meeting-outline").await?;
    leader.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_instructor_chooses_modules_and_how_many_times_a_closed_group_meets() -> Result<()> {
    let stille = Stille::start_two_step_optional().await?;
    stille.make_instructor("lone@example.dk", "Lone", PASSWORD).await?;
    let lone = stille.bearer_token("lone@example.dk", PASSWORD).await?;
    let today = stille_practice::stats::Date::of(
        stille_server::now_ms(),
        0,
        stille_practice::stats::DayRule { grace_minutes: 0 },
    );
    let (y, m, d) = today.ymd();
    let start = format!("{y:04}-{m:02}-{d:02}");
    let form = json!({"title": "Mentalisering", "lang": "da", "time_zone": "Europe/Copenhagen",
        "start_date": start, "template": "mentaliseringsprogrammet"});
    let course = post(&stille, Some(&lone), "/api/courses", form).await?;
    let id = course["id"].as_str().context("a course id")?.to_owned();
    let programme = stille_practice::catalog().course("mentaliseringsprogrammet").context("the programme")?;
    let title = |module: &str| -> Result<String> {
        let practice = stille_practice::catalog().get(module).context("the module's exercise")?;
        Ok(practice.title.get(stille_practice::Lang::Da).to_owned())
    };
    let module_title = |module: &str| -> Result<String> {
        let (_, session) = stille_practice::modules::modules(programme)
            .into_iter()
            .find(|(name, _)| *name == module)
            .context("the module")?;
        Ok(session.title.get(stille_practice::Lang::Da).to_owned())
    };

    // Lone takes Robustness and Self-control, Self-control first.
    let browser = Browser::phone(Locale::Danish).await?;
    stille_e2e::flows::sign_in_da(&browser, &stille, "lone@example.dk").await?;
    browser.goto(&stille.url(&format!("/teach/{id}"))).await?;
    browser.wait_for_text("#module-order-heading", "Moduler og rækkefølge").await?;
    let rows = browser.texts(".module-row label").await?;
    assert_eq!(rows.len(), 8, "{rows:?}");
    assert_eq!(rows[0], module_title("mentalization-mentalisering")?, "the programme's order first");
    for module in ["mentalization-robusthed", "mentalization-selvkontrol"] {
        browser.click(&format!(".module-row[data-module='{module}'] input")).await?;
    }
    let selvkontrol = module_title("mentalization-selvkontrol")?;
    for _ in 0..3 {
        browser.click(".module-row[data-module='mentalization-selvkontrol'] .module-up").await?;
    }
    browser.wait_for_text(".module-row:first-child label", &selvkontrol).await?;
    // Focus stays on the button pressed, now at the top of the list: it
    // went to its neighbour, since there is no "up" from the top.
    browser
        .wait_until(
            "focus on the moved module's other button",
            &format!("return document.activeElement.getAttribute('aria-label') === 'Flyt {selvkontrol} ned'"),
        )
        .await?;
    assert_eq!(
        browser.texts(".module-row.chosen .module-week").await?,
        ["uge 1", "uge 2"],
        "the chosen ones, in their weeks"
    );
    browser.eval("document.querySelector('.module-order').scrollIntoView(); return true").await?;
    browser.screenshot("teach-modules").await?;
    browser.click(".save-modules").await?;
    browser.wait_for_text(".module-said", "Gemt.").await?;
    let weeks = browser.texts(".plan-week .assigned-title").await?;
    assert_eq!(weeks, [title("mentalization-selvkontrol")?, title("mentalization-robusthed")?]);
    let stored = reqwest::Client::new()
        .get(stille.url(&format!("/api/courses/{id}/assignments")))
        .bearer_auth(&lone)
        .send()
        .await?
        .json::<serde_json::Value>()
        .await?;
    assert_eq!(stored["weeks"][0]["practices"][0]["practice"], "mentalization-selvkontrol", "{stored}");
    let mut serious = Vec::new();
    serious.extend(audit_both_themes(&browser, &axe_source()?, "the module order").await?);

    // A closed wellbeing group that meets ten times.
    let form = json!({"title": "Trivselsgruppe", "lang": "da", "time_zone": "Europe/Copenhagen",
        "start_date": start, "template": "wellbeing-group"});
    let group = post(&stille, Some(&lone), "/api/courses", form).await?;
    let group = group["id"].as_str().context("a course id")?.to_owned();
    browser.goto(&stille.url(&format!("/teach/{group}"))).await?;
    browser.wait_for_text("#meeting-plan-heading", "Mødeplan").await?;
    assert_eq!(browser.eval("return document.querySelectorAll('.meeting-day').length").await?, json!(8));
    browser.client.find(Locator::Css("#meeting-count")).await?.send_keys("10").await?;
    browser.click(".save-meetings").await?;
    browser.wait_for_text(".meeting-said", "Gemt.").await?;
    browser
        .wait_until("ten sessions", "return document.querySelectorAll('.meeting-day').length === 10")
        .await?;
    let last = browser.text(".meeting-day:last-child > span").await?;
    assert!(last.starts_with("10. gang"), "{last}");
    browser.eval("document.querySelector('#meeting-count').scrollIntoView(); return true").await?;
    browser.screenshot("teach-closed-group").await?;
    browser.close().await?;
    assert!(serious.is_empty(), "axe found serious problems: {serious:#?}");
    stille.stop().await
}

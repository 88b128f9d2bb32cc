//! Outcome measures over HTTP: a course's questionnaire plan (from its
//! template, changed by its instructor), the two consents, and the group
//! results, which show a figure only for at least five counted people, take
//! answers only from those who consent (from the moment they do), and lose a
//! participant's answers the moment the consent is withdrawn. The figures are
//! checked against values worked out here, independently of the server's
//! statistics.

use reqwest::Method;
use serde_json::{Value, json};

use crate::courses::at;
use crate::helpers::{Person, TestApp, backends, error_of, generous, spawn_app_with};
use crate::sync::answers;

/// WHO-5 answers (0–5 each) adding up to `raw` (0–25): the score is raw × 4.
fn who5(raw: u8) -> Value {
    let items: Vec<u8> = (0..5u8).map(|i| raw / 5 + u8::from(i < raw % 5)).collect();
    json!(items)
}

async fn join(app: &TestApp, who: &Person, code: &str, group_results: bool, own: bool) {
    let consent =
        json!({"adherence": true, "reflections": false, "group_results": group_results, "answers": own});
    let (status, body) =
        app.post_json("/api/join", &who.token, json!({"code": code, "consent": consent})).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["consent"], consent, "the consent as given: {body}");
}

async fn push(app: &TestApp, who: &Person, records: Vec<Value>) {
    crate::courses::push(app, &who.token, records).await;
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

fn sd(values: &[f64]) -> f64 {
    let m = mean(values);
    (values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (values.len() as f64 - 1.0)).sqrt()
}

fn close(value: &Value, expected: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - expected).abs() < 1e-9)
}

#[tokio::test]
async fn group_results_need_five_consenting_people_and_follow_consent_at_once() {
    for backend in backends() {
        let app = spawn_app_with(backend, None, generous()).await;
        let birgit = app.instructor("Birgit").await;
        // MBSR asks WHO-5 and PSS-10 before the course, in week 8 and three
        // months after. The course began on Monday 1 June 2026 (answers
        // from the future are refused, so the test's course is in the past).
        let form = json!({"title": "MBSR sommer", "lang": "da", "time_zone": "Europe/Copenhagen",
                          "start_date": "2026-06-01", "template": "mbsr"});
        let (status, made) = app.post_json("/api/courses", &birgit.token, form).await;
        assert_eq!(status, 201, "{made}");
        let course = made["id"].as_str().expect("course id").to_owned();
        let (_, invite) =
            app.post_json(&format!("/api/courses/{course}/invite"), &birgit.token, json!({})).await;
        let code = invite["code"].as_str().expect("code").to_owned();
        let (_, view) = app.get_json(&format!("/api/courses/{course}"), &birgit.token).await;
        assert_eq!(
            view["measures"],
            json!({"instruments": ["who-5", "pss-10"], "weeks": [0, 8, 21]}),
            "{view}"
        );

        // The instructor keeps WHO-5 before and in week 8 (any order is read in order).
        let measures = format!("/api/courses/{course}/measures");
        let plan = |body: Value| app.call(Method::PUT, &measures, Some(&birgit.token), Some(body));
        let (status, changed) = plan(json!({"instruments": ["who-5"], "weeks": [8, 0]})).await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["measures"], json!({"instruments": ["who-5"], "weeks": [0, 8]}));
        for (body, field, says) in [
            (
                json!({"instruments": ["who-6"], "weeks": [0]}),
                "instruments",
                "\"who-6\" is not a questionnaire",
            ),
            (json!({"instruments": ["who-5", "who-5"], "weeks": [0]}), "instruments", "who-5 is named twice"),
            (json!({"instruments": ["who-5"], "weeks": [0, 8, 0]}), "weeks", "week 0 is named twice"),
            (json!({"instruments": ["who-5"], "weeks": [79]}), "weeks", "week 79 is too late"),
            (json!({"instruments": [], "weeks": [0, 8]}), "instruments", "at least one questionnaire"),
            (json!({"instruments": ["who-5"], "weeks": []}), "weeks", "at least one week"),
        ] {
            let (status, body) = plan(body.clone()).await;
            let (code, at) = error_of(&body);
            assert_eq!((status, code.as_str(), at.as_str()), (422, "invalid", field), "{body}");
            assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains(says)), "{says}: {body}");
        }

        // Six join: five count in the group results; Frida lets Birgit see
        // her own answers but is not counted.
        let names = ["Anna", "Bo", "Carl", "Dina", "Eva", "Frida"];
        let mut people = Vec::new();
        for name in names {
            people.push(app.participant(name).await);
        }
        for (i, who) in people.iter().enumerate() {
            join(&app, who, &code, i < 5, i == 5).await;
        }
        let stranger = app.participant("Gustav").await;
        // Anna answered once on her own before she joined: that is hers alone.
        push(&app, &people[0], vec![answers(at(2026, 5, 20, 9), 90, "who-5", who5(25))]).await;
        for who in &people {
            app.backdate_joining(&course, who, at(2026, 5, 25, 12)).await;
        }

        // Before the course (week 0: up to 7 June) and in week 8 (20 July to
        // 2 August). Raw sums; Dina answers only before.
        let before: [u8; 6] = [10, 12, 8, 15, 7, 20];
        let after: [Option<u8>; 6] = [Some(15), Some(14), Some(12), None, Some(11), Some(21)];
        for (i, who) in people.iter().enumerate() {
            let n = i as u8 * 10;
            let mut records =
                vec![answers(at(2026, 5, 27 + i as u32 % 3, 19), n + 1, "who-5", who5(before[i]))];
            // A second try the day after is the person's own: the first counts.
            records.push(answers(at(2026, 6, 3, 19), n + 2, "who-5", who5(25)));
            if let Some(raw) = after[i].filter(|_| i != 4) {
                records.push(answers(at(2026, 7, 21, 19), n + 3, "who-5", who5(raw)));
            }
            // Between the points: counted nowhere.
            records.push(answers(at(2026, 6, 29, 19), n + 4, "who-5", who5(0)));
            push(&app, who, records).await;
        }

        let path = format!("/api/courses/{course}/outcomes");
        let read = || app.get_json(&path, &birgit.token);
        let consent_path = format!("/api/courses/{course}/consent");
        let (status, outcomes) = read().await;
        assert_eq!(status, 200, "{outcomes}");
        assert_eq!((outcomes["participants"].clone(), outcomes["counted"].clone()), (json!(6), json!(5)));
        assert_eq!(outcomes["min_group"], 5);
        let who = &outcomes["instruments"][0];
        assert_eq!(who["instrument"], "who-5");
        assert_eq!(who["validated"], true, "WHO-5's Danish wording is the validated one");
        // Week 0: five counted answers (Frida is not counted), shown.
        let scores: Vec<f64> = before[..5].iter().map(|raw| f64::from(*raw) * 4.0).collect();
        let point = &who["points"][0];
        assert_eq!(point["n"], 5, "{point}");
        assert!(close(&point["scores"]["mean"], mean(&scores)), "{point}");
        assert!(close(&point["scores"]["sd"], sd(&scores)), "{point}");
        // Week 8: Anna, Bo and Carl; Eva has not answered yet: too few to show.
        assert_eq!(who["points"][1]["n"], 3);
        assert_eq!(who["points"][1]["scores"], Value::Null);
        assert_eq!(who["changes"][0]["n"], 3);
        assert_eq!(who["changes"][0]["figures"], Value::Null);

        // Eva answered in week 8 too, offline; her phone syncs now.
        push(&app, &people[4], vec![answers(at(2026, 7, 29, 19), 45, "who-5", who5(11))]).await;
        let (_, outcomes) = read().await;
        let who = &outcomes["instruments"][0];
        assert_eq!(who["points"][1]["n"], 4, "Dina never answered in week 8");
        assert_eq!(who["changes"][0]["n"], 4, "four pairs are still too few");
        assert_eq!(who["changes"][0]["figures"], Value::Null);

        // Dina answers late, but still inside week 8's two weeks.
        push(&app, &people[3], vec![answers(at(2026, 8, 2, 12), 35, "who-5", who5(16))]).await;
        let (_, outcomes) = read().await;
        let who = &outcomes["instruments"][0];
        let change = &who["changes"][0];
        assert_eq!(
            (change["from_week"].clone(), change["to_week"].clone(), change["n"].clone()),
            (json!(0), json!(8), json!(5))
        );
        // Worked out here: before 40, 48, 32, 60, 28; after 60, 56, 48, 64,
        // 44; changes 20, 8, 16, 4, 16.
        let pairs: Vec<(f64, f64)> = [(10, 15), (12, 14), (8, 12), (15, 16), (7, 11)]
            .iter()
            .map(|(b, a)| (f64::from(*b) * 4.0, f64::from(*a) * 4.0))
            .collect();
        let changes: Vec<f64> = pairs.iter().map(|(b, a)| a - b).collect();
        let (m, s) = (mean(&changes), sd(&changes));
        let half = 2.776 * s / 5f64.sqrt();
        let f = &change["figures"];
        assert!(close(&f["mean_change"], m) && close(&f["sd_change"], s), "{f}");
        assert!(close(&f["ci95_low"], m - half) && close(&f["ci95_high"], m + half), "{f}");
        assert!(close(&f["effect_size"], m / s), "{f}");
        let befores: Vec<f64> = pairs.iter().map(|p| p.0).collect();
        assert!(
            close(&f["before"]["mean"], mean(&befores)) && close(&f["before"]["sd"], sd(&befores)),
            "{f}"
        );
        // A WHO-5 change of 10 points is meaningful: 20, 16 and 16 are.
        assert_eq!((f["better"].clone(), f["worse"].clone()), (json!(3), json!(0)), "{f}");

        // Individual answers: only Frida allows them.
        let individuals: Vec<&str> = outcomes["individuals"]
            .as_array()
            .expect("individuals")
            .iter()
            .map(|i| i["display_name"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(individuals, ["Frida"]);
        let frida = &outcomes["individuals"][0]["scores"];
        assert_eq!(frida.as_array().map(Vec::len), Some(2), "{frida}");
        assert_eq!((frida[0]["week"].clone(), frida[0]["score"].clone()), (json!(0), json!(80.0)));
        assert_eq!((frida[1]["week"].clone(), frida[1]["score"].clone()), (json!(8), json!(84.0)));

        // The spreadsheet: the same figures, no names, no emails.
        let (status, csv) = app
            .call(
                Method::GET,
                &format!("/api/courses/{course}/outcomes?format=csv"),
                Some(&birgit.token),
                None,
            )
            .await;
        assert_eq!(status, 200);
        let csv = csv.as_str().expect("CSV text").to_owned();
        for name in names {
            assert!(!csv.contains(name) && !csv.contains(&name.to_lowercase()), "{name} in {csv}");
        }
        assert!(!csv.contains('@'), "no email: {csv}");
        let header = csv.lines().next().expect("a header");
        assert!(
            header
                .starts_with("\u{feff}figure,instrument,validated_wording,week,from_week,to_week,n,mean,sd"),
            "{header}"
        );
        let change_row = csv.lines().find(|l| l.starts_with("change,who-5,")).expect("a change row");
        assert!(
            change_row.starts_with(&format!(
                "change,who-5,true,,0,8,5,,,{:.2},{:.2},",
                mean(&befores),
                sd(&befores)
            )),
            "{change_row}"
        );
        assert!(
            change_row.contains(&format!(",{m:.2},{s:.2},{:.2},{:.2},{:.2},3,0", m - half, m + half, m / s)),
            "{change_row}"
        );
        assert!(csv.contains("score,who-5,true,0,,,5,"), "{csv}");
        // The same in a Danish spreadsheet's way.
        let (status, danish) = app
            .call(
                Method::GET,
                &format!("/api/courses/{course}/outcomes?format=csv&lang=da"),
                Some(&birgit.token),
                None,
            )
            .await;
        assert_eq!(status, 200);
        let danish = danish.as_str().expect("CSV text").to_owned();
        assert!(danish.starts_with("\u{feff}Opgørelse;Spørgeskema;Valideret dansk ordlyd;Uge;"), "{danish}");
        let danish_change =
            danish.lines().find(|l| l.starts_with("Ændring;who-5;ja;")).expect("a change row");
        let comma = |v: f64| format!("{v:.2}").replace('.', ",");
        assert!(
            danish_change.starts_with(&format!(
                "Ændring;who-5;ja;;0;8;5;;;{};{};",
                comma(mean(&befores)),
                comma(sd(&befores))
            )),
            "{danish_change}"
        );
        assert!(danish.lines().all(|l| l.split(';').count() == 20), "{danish}");

        let consent = |who: usize, group_results: bool, answers: bool| {
            let body = json!({"adherence": true, "reflections": false, "group_results": group_results, "answers": answers});
            app.call(Method::PUT, &consent_path, Some(&people[who].token), Some(body))
        };
        let names_of = |outcomes: &Value| -> Vec<String> {
            outcomes["individuals"]
                .as_array()
                .map(|list| {
                    list.iter().map(|i| i["display_name"].as_str().unwrap_or("").to_owned()).collect()
                })
                .unwrap_or_default()
        };
        let change = |outcomes: &Value| outcomes["instruments"][0]["changes"][0].clone();

        // Anna lets Birgit see her own answers too, from now: her earlier
        // answers stay out of view, so the figures stay.
        assert_eq!(consent(0, true, true).await.0, 200);
        let (_, outcomes) = read().await;
        assert_eq!(names_of(&outcomes), ["Anna", "Frida"]);
        assert_eq!(outcomes["individuals"][0]["scores"], json!([]), "answered before she allowed it");
        assert!(change(&outcomes)["figures"].is_object());
        // Had she allowed it before she answered, her answers would be on
        // view, and the figure minus hers would be a figure of the four
        // hidden ones: it goes (a figure needs none or five hidden).
        app.backdate_joining(&course, &people[0], at(2026, 5, 25, 12)).await;
        let (_, outcomes) = read().await;
        assert_eq!(outcomes["individuals"][0]["scores"].as_array().map(Vec::len), Some(2));
        assert_eq!(change(&outcomes)["n"], 5);
        assert_eq!(change(&outcomes)["figures"], Value::Null, "four hidden beside one on view");
        assert_eq!(outcomes["instruments"][0]["points"][0]["scores"], Value::Null);
        assert_eq!(consent(0, true, false).await.0, 200);
        let (_, outcomes) = read().await;
        assert!(change(&outcomes)["figures"].is_object(), "Anna's answers are out of view again");

        // Bo withdraws being counted: at once, four pairs, too few.
        let (status, body) = consent(1, false, false).await;
        assert_eq!(status, 200, "{body}");
        let (_, outcomes) = read().await;
        assert_eq!(outcomes["counted"], 4);
        assert_eq!(change(&outcomes)["n"], 4);
        assert_eq!(change(&outcomes)["figures"], Value::Null);
        assert_eq!(outcomes["instruments"][0]["points"][0]["scores"], Value::Null);
        // Frida withdraws letting Birgit see her answers: gone from the list.
        assert_eq!(consent(5, false, false).await.0, 200);
        let (_, outcomes) = read().await;
        assert!(names_of(&outcomes).is_empty(), "{outcomes}");
        // Given again, it counts from then on: Bo's earlier answers stay out.
        assert_eq!(consent(1, true, false).await.0, 200);
        let (_, outcomes) = read().await;
        assert_eq!(outcomes["counted"], 5);
        assert_eq!(change(&outcomes)["n"], 4, "Bo's answers came before he consented again");
        // An app from before the questionnaires changes only what it knows.
        let (status, carl) = app
            .call(
                Method::PUT,
                &consent_path,
                Some(&people[2].token),
                Some(json!({"adherence": false, "reflections": false})),
            )
            .await;
        assert_eq!(status, 200, "{carl}");
        assert_eq!(
            carl["consent"],
            json!({"adherence": false, "reflections": false, "group_results": true, "answers": false})
        );

        // A mark of validation only when every answer counted was given in
        // a validated wording: PSS-10's Danish is Stille's own translation.
        let (status, _) = plan(json!({"instruments": ["who-5", "pss-10"], "weeks": [0, 8]})).await;
        assert_eq!(status, 200);
        let (_, outcomes) = read().await;
        assert_eq!(outcomes["instruments"][1]["validated"], false, "a Danish course, no answers yet");
        let mut english = answers(at(2026, 5, 30, 8), 91, "pss-10", json!(vec![2; 10]));
        english["body"]["lang"] = json!("en");
        push(&app, &people[0], vec![english]).await;
        let (_, outcomes) = read().await;
        assert_eq!(outcomes["instruments"][1]["points"][0]["n"], 1);
        assert_eq!(outcomes["instruments"][1]["validated"], true, "answered in the validated English");
        push(&app, &people[2], vec![answers(at(2026, 5, 30, 9), 92, "pss-10", json!(vec![2; 10]))]).await;
        let (_, outcomes) = read().await;
        assert_eq!(outcomes["instruments"][1]["validated"], false, "one answer in the Danish translation");

        // Who may read and change it.
        assert_eq!(app.get_json(&path, &people[0].token).await.0, 403, "a participant");
        assert_eq!(app.get_json(&path, &stranger.token).await.0, 404, "someone outside the course");
        let body = Some(json!({"instruments": ["who-5"], "weeks": [0]}));
        assert_eq!(app.call(Method::PUT, &measures, Some(&people[0].token), body.clone()).await.0, 403);
        assert_eq!(app.call(Method::PUT, &measures, Some(&stranger.token), body.clone()).await.0, 404);
        assert_eq!(app.call(Method::PUT, &measures, None, body).await.0, 401);
        // A participant sees the plan, so the app can ask at the right time.
        let (_, list) = app.get_json("/api/courses", &people[0].token).await;
        assert_eq!(
            list["joined"][0]["measures"],
            json!({"instruments": ["who-5", "pss-10"], "weeks": [0, 8]})
        );
        app.stop().await;
    }
}

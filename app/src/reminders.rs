//! Reminders to practise: the form (times, days, quiet hours) as the plan
//! the server keeps, the plan in words, and the same plan as calendar
//! events (.ics with alarms) for a phone where web push cannot reach.
//! Turning reminders on asks the browser for permission to notify: only
//! then, never on a visit. The browser side is `push.js`.

use stille_practice::Lang;
use stille_practice::api::{
    FieldError, PushKey, Quiet, ReminderTime, Reminders, Subscription, Unsubscribe, minute_of_day,
};
use stille_practice::stats::Date;
use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

use crate::api::{self, ApiError, NO_BODY};
use crate::i18n::Key;

#[wasm_bindgen(module = "/src/push.js")]
extern "C" {
    #[wasm_bindgen(js_name = support)]
    fn support_js() -> String;
    #[wasm_bindgen(js_name = timeZone)]
    fn time_zone_js() -> String;
    #[wasm_bindgen(js_name = subscribe, catch)]
    async fn subscribe_js(public_key: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = current, catch)]
    async fn current_js() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = unsubscribe, catch)]
    async fn unsubscribe_js() -> Result<JsValue, JsValue>;
}

/// Whether this browser can take reminders by push.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// Push and notifications are there.
    Yes,
    /// An iPhone or iPad browser not opened from the home screen: Safari
    /// delivers web push only to a web app added to the home screen.
    AddToHomeScreen,
    /// The person said no to notifications for this site; only the
    /// browser's site settings can undo it.
    Denied,
    /// No push in this browser.
    No,
}

pub fn support() -> Support {
    match support_js().as_str() {
        "yes" => Support::Yes,
        "home-screen" => Support::AddToHomeScreen,
        "denied" => Support::Denied,
        _ => Support::No,
    }
}

/// The device's IANA time zone (`Europe/Copenhagen`), UTC if it gives none.
pub fn time_zone() -> String {
    let zone = time_zone_js();
    if zone.is_empty() { "UTC".to_owned() } else { zone }
}

/// What the form holds: times, the days they are on (Monday first), and
/// quiet hours if kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    pub times: Vec<String>,
    pub days: [bool; 7],
    pub quiet: Option<(String, String)>,
}

impl Default for Form {
    /// Weekday mornings, a quiet night.
    fn default() -> Form {
        Form {
            times: vec!["07:30".to_owned()],
            days: [true, true, true, true, true, false, false],
            quiet: Some(("22:00".to_owned(), "07:00".to_owned())),
        }
    }
}

impl Form {
    /// The plan for the server, in `time_zone`: each time on the days chosen.
    pub fn plan(&self, time_zone: &str) -> Reminders {
        let days: Vec<u8> = (1..=7).filter(|d| self.days[usize::from(*d) - 1]).collect();
        let mut times: Vec<&String> = self.times.iter().filter(|t| !t.is_empty()).collect();
        times.sort_by_key(|t| minute_of_day(t));
        times.dedup();
        Reminders {
            time_zone: time_zone.to_owned(),
            times: times.into_iter().map(|at| ReminderTime { days: days.clone(), at: at.clone() }).collect(),
            quiet: self.quiet.clone().map(|(from, to)| Quiet { from, to }),
        }
    }

    /// The form for a kept plan (the days of its first time), or the
    /// default when it has none.
    pub fn of(plan: &Reminders) -> Form {
        let Some(first) = plan.times.first() else { return Form::default() };
        let mut days = [false; 7];
        for d in &first.days {
            if let Some(day) = days.get_mut(usize::from(d.saturating_sub(1))) {
                *day = true;
            }
        }
        Form {
            times: plan.times.iter().map(|t| t.at.clone()).collect(),
            days,
            quiet: plan.quiet.clone().map(|q| (q.from, q.to)),
        }
    }
}

const DAY_NAMES: [(&str, &str); 7] = [
    ("mandag", "Monday"),
    ("tirsdag", "Tuesday"),
    ("onsdag", "Wednesday"),
    ("torsdag", "Thursday"),
    ("fredag", "Friday"),
    ("lørdag", "Saturday"),
    ("søndag", "Sunday"),
];

/// A day of the week by name, Monday = 0.
pub fn day_name(index: usize, lang: Lang) -> &'static str {
    let (da, en) = DAY_NAMES[index.min(6)];
    if lang == Lang::Da { da } else { en }
}

/// The plan in words: "Hverdage kl. 07:30 og 20:00", "Every day at 07:30".
pub fn summary(plan: &Reminders, lang: Lang) -> String {
    let Some(first) = plan.times.first() else {
        return match lang {
            Lang::Da => "Ingen påmindelser.".to_owned(),
            Lang::En => "No reminders.".to_owned(),
        };
    };
    let mut days = first.days.clone();
    days.sort_unstable();
    let when = match (days.as_slice(), lang) {
        ([1, 2, 3, 4, 5, 6, 7], Lang::Da) => "Hver dag".to_owned(),
        ([1, 2, 3, 4, 5, 6, 7], Lang::En) => "Every day".to_owned(),
        ([1, 2, 3, 4, 5], Lang::Da) => "Hverdage".to_owned(),
        ([1, 2, 3, 4, 5], Lang::En) => "Weekdays".to_owned(),
        ([6, 7], Lang::Da) => "Weekender".to_owned(),
        ([6, 7], Lang::En) => "Weekends".to_owned(),
        (list, lang) => {
            let names: Vec<&str> =
                list.iter().map(|d| day_name(usize::from(d.saturating_sub(1)), lang)).collect();
            let joined = join(&names, lang);
            let mut chars = joined.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
    };
    let times: Vec<&str> = plan.times.iter().map(|t| t.at.as_str()).collect();
    match lang {
        Lang::Da => format!("{when} kl. {}.", join(&times, lang)),
        Lang::En => format!("{when} at {}.", join(&times, lang)),
    }
}

fn join(parts: &[&str], lang: Lang) -> String {
    let and = if lang == Lang::Da { " og " } else { " and " };
    match parts {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{}{and}{last}", rest.join(", ")),
    }
}

/// The plan as calendar events: one weekly event per time on the days
/// chosen, ten minutes long, with an alarm as it begins, starting on the
/// first of those days from `today`, in the plan's time zone (a calendar
/// counts the first date as an event whatever its weekday). `stamp` is when
/// it was made (`20261206T120000Z`). Quiet hours need nothing here: a time
/// in them is not in a plan.
pub fn ics(plan: &Reminders, lang: Lang, today: Date, stamp: &str) -> String {
    const BYDAY: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    let (summary, description) = match lang {
        Lang::Da => ("Stille: tid til at øve", "Et par minutter til dig selv. Åbn Stille, når du er klar."),
        Lang::En => {
            ("Stille: time to practise", "A few minutes for yourself. Open Stille when you are ready.")
        }
    };
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Stille//Reminders//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
    ];
    for (i, time) in plan.times.iter().enumerate() {
        let Some(minute) = minute_of_day(&time.at) else { continue };
        let days: Vec<&str> =
            time.days.iter().filter_map(|d| BYDAY.get(usize::from(d.saturating_sub(1))).copied()).collect();
        if days.is_empty() {
            continue;
        }
        let Some(first) =
            (0..7).map(|n| today.add_days(n)).find(|d| time.days.contains(&((d.weekday() + 1) as u8)))
        else {
            continue;
        };
        let (y, m, d) = first.ymd();
        let date = format!("{y:04}{m:02}{d:02}");
        let (hour, minute) = (minute / 60, minute % 60);
        // Ten minutes, but never past midnight.
        let end = (hour * 60 + minute + 10).min(23 * 60 + 59);
        let (end_hour, end_minute) = (end / 60, end % 60);
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!("UID:stille-reminder-{date}-{i}@stille"),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;TZID={}:{date}T{hour:02}{minute:02}00", plan.time_zone),
            format!("DTEND;TZID={}:{date}T{end_hour:02}{end_minute:02}00", plan.time_zone),
            format!("RRULE:FREQ=WEEKLY;BYDAY={}", days.join(",")),
            format!("SUMMARY:{}", escape(summary)),
            format!("DESCRIPTION:{}", escape(description)),
            "TRANSP:TRANSPARENT".to_owned(),
            "BEGIN:VALARM".to_owned(),
            "ACTION:DISPLAY".to_owned(),
            format!("DESCRIPTION:{}", escape(summary)),
            "TRIGGER:PT0M".to_owned(),
            "END:VALARM".to_owned(),
            "END:VEVENT".to_owned(),
        ]);
    }
    lines.push("END:VCALENDAR".to_owned());
    let mut text = String::new();
    for line in lines {
        text.push_str(&fold(&line));
        text.push_str("\r\n");
    }
    text
}

/// A TEXT value as RFC 5545 writes it: backslash, comma, semicolon and
/// line breaks escaped.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace(',', "\\,").replace(';', "\\;").replace('\n', "\\n")
}

/// RFC 5545's line folding: at most 75 octets a line, continued with a space.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out
}

/// What the person should read about a plan its check refused.
pub fn problem(error: &FieldError, form: &Form) -> Key {
    if error.field.starts_with("quiet") {
        Key::ReminderQuietBad
    } else if error.field.contains(".days") {
        Key::ReminderNoDays
    } else if form.times.iter().any(|at| minute_of_day(at).is_none()) {
        Key::ReminderBadTime
    } else {
        Key::ReminderInQuiet
    }
}

/// The plan the server keeps.
pub async fn kept() -> Result<Reminders, ApiError> {
    api::request("GET", "/api/reminders", NO_BODY).await
}

/// Keeps `plan` as the person's reminders.
pub async fn keep(plan: &Reminders) -> Result<Reminders, ApiError> {
    api::request("PUT", "/api/reminders", Some(plan)).await
}

/// Why turning reminders on on this device did not work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TurnOnError {
    /// The person did not allow notifications.
    Denied,
    /// The browser could not subscribe (its push service unreachable).
    Browser(String),
    Server(ApiError),
}

/// Asks for permission (now, on the person's tap), subscribes this browser
/// with the server's key and gives the subscription to the server.
pub async fn turn_on(lang: Lang) -> Result<(), TurnOnError> {
    let key: PushKey = api::request("GET", "/api/push/key", NO_BODY).await.map_err(TurnOnError::Server)?;
    let json = match subscribe_js(&key.public_key).await {
        Ok(json) => json.as_string().unwrap_or_default(),
        Err(error) => {
            let name = js_sys::Reflect::get(&error, &"name".into()).ok().and_then(|n| n.as_string());
            if name.as_deref() == Some("NotAllowedError") {
                return Err(TurnOnError::Denied);
            }
            let message = js_sys::Reflect::get(&error, &"message".into()).ok().and_then(|m| m.as_string());
            return Err(TurnOnError::Browser(
                message.unwrap_or_else(|| "the browser could not subscribe".into()),
            ));
        }
    };
    let mut subscription: Subscription = subscription_of(&json, lang).map_err(TurnOnError::Browser)?;
    subscription.lang = lang.tag().to_owned();
    api::request::<()>("PUT", "/api/push/subscription", Some(&subscription))
        .await
        .map_err(TurnOnError::Server)
}

/// A subscription's JSON (`PushSubscription.toJSON()`) with the language.
pub fn subscription_of(json: &str, lang: Lang) -> Result<Subscription, String> {
    let mut value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("the browser's subscription does not read: {e}"))?;
    value["lang"] = lang.tag().into();
    serde_json::from_value(value).map_err(|e| format!("the browser's subscription does not read: {e}"))
}

/// Whether this browser is subscribed now.
pub async fn subscribed() -> bool {
    matches!(current_js().await.ok().and_then(|v| v.as_string()), Some(s) if !s.is_empty())
}

/// This device takes no more reminders: the server forgets it, then the
/// browser drops the subscription. Also part of signing out, so the next
/// person on a shared phone gets nobody else's reminders.
pub async fn turn_off() -> Result<(), ApiError> {
    let json = current_js().await.ok().and_then(|v| v.as_string()).unwrap_or_default();
    if let Ok(sub) = subscription_of(&json, Lang::En) {
        let unsubscribe = Unsubscribe { endpoint: sub.endpoint };
        api::request::<()>("DELETE", "/api/push/subscription", Some(&unsubscribe)).await?;
    }
    let _ = unsubscribe_js().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_a_plan_and_back() {
        let form = Form {
            times: vec!["20:00".into(), "07:30".into(), "".into(), "07:30".into()],
            days: [true, false, true, false, true, false, false],
            quiet: None,
        };
        let plan = form.plan("Europe/Copenhagen");
        assert_eq!(plan.times.iter().map(|t| t.at.as_str()).collect::<Vec<_>>(), ["07:30", "20:00"]);
        assert!(plan.times.iter().all(|t| t.days == [1, 3, 5]));
        assert!(plan.check().is_ok());
        let back = Form::of(&plan);
        assert_eq!(back.days, form.days);
        assert_eq!(back.times, ["07:30", "20:00"]);
        assert_eq!(Form::of(&Form { times: vec![], ..Form::default() }.plan("UTC")), Form::default());
        assert!(Form::default().plan("Europe/Copenhagen").check().is_ok(), "the default is a good plan");
    }

    #[test]
    fn a_plan_in_words() {
        let plan = |days: [bool; 7], times: &[&str]| {
            Form { times: times.iter().map(|t| (*t).to_owned()).collect(), days, quiet: None }.plan("UTC")
        };
        assert_eq!(summary(&plan([true; 7], &["07:30"]), Lang::Da), "Hver dag kl. 07:30.");
        assert_eq!(summary(&Form::default().plan("UTC"), Lang::En), "Weekdays at 07:30.");
        assert_eq!(
            summary(
                &plan([false, true, false, true, false, false, true], &["07:30", "12:00", "20:00"]),
                Lang::Da
            ),
            "Tirsdag, torsdag og søndag kl. 07:30, 12:00 og 20:00."
        );
        assert_eq!(
            summary(&plan([false, false, false, false, false, true, true], &["09:00"]), Lang::En),
            "Weekends at 09:00."
        );
        assert_eq!(summary(&plan([true; 7], &[]), Lang::Da), "Ingen påmindelser.");
    }

    #[test]
    fn the_calendar_has_a_weekly_event_with_an_alarm_per_time() {
        let plan =
            Form { times: vec!["07:30".into(), "23:55".into()], ..Form::default() }.plan("Europe/Copenhagen");
        // From Sunday 6 December 2026: weekdays begin on Monday the 7th.
        let sunday = Date::from_ymd(2026, 12, 6).expect("a date");
        let text = ics(&plan, Lang::Da, sunday, "20261206T120000Z");
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert_eq!(text.matches("BEGIN:VALARM").count(), 2);
        assert!(text.contains("DTSTART;TZID=Europe/Copenhagen:20261207T073000\r\n"));
        assert!(text.contains("DTEND;TZID=Europe/Copenhagen:20261207T074000\r\n"));
        assert!(text.contains("DTEND;TZID=Europe/Copenhagen:20261207T235900\r\n"), "never past midnight");
        assert!(text.contains("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR\r\n"));
        assert!(text.contains("SUMMARY:Stille: tid til at øve\r\n"));
        // Every line within 75 octets, a longer one folded.
        assert!(text.split("\r\n").all(|line| line.len() <= 75), "{text}");
        assert!(text.contains("DESCRIPTION:Et par minutter til dig selv. Åbn Stille\\, når du er klar.\r\n"));
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let long = format!("DESCRIPTION:{}", "å".repeat(40));
        let folded = fold(&long);
        assert!(folded.split("\r\n").all(|line| line.len() <= 75), "{folded}");
        assert_eq!(folded.replace("\r\n ", ""), long, "unfolding gives the line back");
        let weekend =
            Form { days: [false, false, false, false, false, true, false], ..Form::default() }.plan("UTC");
        assert!(
            ics(&weekend, Lang::En, sunday, "x").contains("DTSTART;TZID=UTC:20261212T073000\r\n"),
            "the next Saturday"
        );
    }

    #[test]
    fn a_refused_plan_is_told_in_the_apps_words() {
        let form = |times: &[&str], days: [bool; 7], quiet: Option<(&str, &str)>| Form {
            times: times.iter().map(|t| (*t).to_owned()).collect(),
            days,
            quiet: quiet.map(|(a, b)| (a.to_owned(), b.to_owned())),
        };
        let key = |f: Form| {
            let error = f.plan("Europe/Copenhagen").check().expect_err("refused");
            problem(&error, &f)
        };
        assert_eq!(key(form(&["07:30"], [false; 7], None)), Key::ReminderNoDays);
        assert_eq!(key(form(&["7.30"], [true; 7], None)), Key::ReminderBadTime);
        assert_eq!(key(form(&["23:00"], [true; 7], Some(("22:00", "07:00")))), Key::ReminderInQuiet);
        assert_eq!(key(form(&["12:00"], [true; 7], Some(("22:00", "22:00")))), Key::ReminderQuietBad);
    }

    #[test]
    fn a_browser_subscription_reads_with_the_language() {
        let json = r#"{"endpoint":"https://fcm.googleapis.com/fcm/send/x","expirationTime":null,"keys":{"p256dh":"BPq","auth":"a1"}}"#;
        let sub = subscription_of(json, Lang::Da).expect("reads");
        assert_eq!(
            (sub.endpoint.as_str(), sub.lang.as_str(), sub.keys.auth.as_str()),
            ("https://fcm.googleapis.com/fcm/send/x", "da", "a1")
        );
        assert!(subscription_of("{}", Lang::Da).is_err());
    }
}

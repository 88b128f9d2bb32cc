//! Reminders by Web Push: the server's public key a browser subscribes with,
//! a device's subscription, and when a person wants to be reminded.
//!
//! Reminders belong to the person, not the phone: the days and times are set
//! once and every device they have subscribed is reminded. Times are local
//! to the person's time zone (an IANA name such as `Europe/Copenhagen`), so a
//! reminder at 07:30 stays at 07:30 across the change to and from summer
//! time. Quiet hours are a span of the night when nothing is sent.

use serde::{Deserialize, Serialize};

use super::FieldError;

/// The most reminder times one person keeps.
pub const MAX_REMINDERS: usize = 12;

/// The longest subscription endpoint taken, in bytes (the push services'
/// addresses are a few hundred).
pub const MAX_ENDPOINT: usize = 1024;

/// The server's public key for Web Push (VAPID, RFC 8292): what the browser's
/// `pushManager.subscribe` takes as `applicationServerKey`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushKey {
    /// The uncompressed P-256 point, base64url without padding (87 characters).
    pub public_key: String,
}

/// A device's push subscription, as `PushSubscription.toJSON()` gives it,
/// with the language its reminders are written in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscription {
    /// The push service's address for this device (https).
    pub endpoint: String,
    /// Browsers add this; the server reads nothing from it.
    #[serde(default, rename = "expirationTime", skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<f64>,
    pub keys: SubscriptionKeys,
    /// "da" or "en": the language reminders come in on this device.
    pub lang: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionKeys {
    /// The device's P-256 public key, base64url (65 bytes decoded).
    pub p256dh: String,
    /// The device's authentication secret, base64url (16 bytes decoded).
    pub auth: String,
}

/// Which device to stop reminding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unsubscribe {
    pub endpoint: String,
}

/// When a person wants to be reminded to practise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reminders {
    /// The person's time zone, an IANA name (`Europe/Copenhagen`).
    pub time_zone: String,
    /// The reminders: at most [`MAX_REMINDERS`]; none turns reminders off.
    pub times: Vec<ReminderTime>,
    /// A span of the day when nothing is sent (reminders or messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet: Option<Quiet>,
}

/// One reminder: a local time on some days of the week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReminderTime {
    /// Days of the week, 1 = Monday … 7 = Sunday; each at most once.
    pub days: Vec<u8>,
    /// The local time, `HH:MM` (24-hour).
    pub at: String,
}

/// From `from` to `to`, local time; over midnight when `from` is later.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quiet {
    /// `HH:MM`
    pub from: String,
    /// `HH:MM`
    pub to: String,
}

/// Minutes after midnight of an `HH:MM` time.
pub fn minute_of_day(text: &str) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

impl Quiet {
    /// Its span in minutes of the day (`from`, `to`), if both times read.
    pub fn span(&self) -> Option<(u16, u16)> {
        Some((minute_of_day(&self.from)?, minute_of_day(&self.to)?))
    }

    /// Whether the minute of the day falls in it (`from` included, `to` not).
    pub fn holds(&self, minute: u16) -> bool {
        match self.span() {
            Some((from, to)) if from <= to => (from..to).contains(&minute),
            Some((from, to)) => minute >= from || minute < to,
            None => false,
        }
    }
}

impl Reminders {
    /// Everything but whether the time zone exists (the server knows the
    /// time zone database; this checks its shape).
    pub fn check(&self) -> Result<(), FieldError> {
        let zone = &self.time_zone;
        let shaped = !zone.is_empty()
            && zone.len() <= 64
            && zone.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b));
        if !shaped {
            return Err(FieldError::new(
                "time_zone",
                "a time zone is an IANA name such as Europe/Copenhagen",
            ));
        }
        if self.times.len() > MAX_REMINDERS {
            return Err(FieldError::new("times", format!("at most {MAX_REMINDERS} reminders")));
        }
        let quiet = match &self.quiet {
            Some(quiet) => {
                let (from, to) = quiet.span().ok_or_else(|| {
                    FieldError::new("quiet", "quiet hours are two times, HH:MM, such as 22:00 and 07:00")
                })?;
                if from == to {
                    return Err(FieldError::new(
                        "quiet.to",
                        "quiet hours end at another time than they begin",
                    ));
                }
                Some(quiet)
            }
            None => None,
        };
        for (i, time) in self.times.iter().enumerate() {
            let minute = minute_of_day(&time.at)
                .ok_or_else(|| FieldError::new(format!("times[{i}].at"), "a time is HH:MM, such as 07:30"))?;
            if time.days.is_empty() || time.days.len() > 7 {
                return Err(FieldError::new(
                    format!("times[{i}].days"),
                    "one to seven days, 1 = Monday … 7 = Sunday",
                ));
            }
            for (j, day) in time.days.iter().enumerate() {
                if !(1..=7).contains(day) || time.days[..j].contains(day) {
                    return Err(FieldError::new(
                        format!("times[{i}].days[{j}]"),
                        "each day once, 1 = Monday … 7 = Sunday",
                    ));
                }
            }
            if let Some(quiet) = quiet.filter(|q| q.holds(minute)) {
                return Err(FieldError::new(
                    format!("times[{i}].at"),
                    format!(
                        "{} is within your quiet hours ({}–{}), when nothing is sent",
                        time.at, quiet.from, quiet.to
                    ),
                ));
            }
            if self.times[..i]
                .iter()
                .any(|t| minute_of_day(&t.at) == Some(minute) && t.days.iter().any(|d| time.days.contains(d)))
            {
                return Err(FieldError::new(
                    format!("times[{i}]"),
                    "the same time on the same day is already a reminder",
                ));
            }
        }
        Ok(())
    }
}

impl Unsubscribe {
    pub fn check(&self) -> Result<(), FieldError> {
        if self.endpoint.is_empty() || self.endpoint.len() > MAX_ENDPOINT {
            return Err(FieldError::new("endpoint", format!("an endpoint is 1–{MAX_ENDPOINT} bytes")));
        }
        Ok(())
    }
}

impl Subscription {
    /// Shape only: the server also checks the endpoint is a push service it
    /// sends to, and that the keys are a P-256 point and 16 bytes.
    pub fn check(&self) -> Result<(), FieldError> {
        if self.endpoint.is_empty() || self.endpoint.len() > MAX_ENDPOINT {
            return Err(FieldError::new("endpoint", format!("an endpoint is 1–{MAX_ENDPOINT} bytes")));
        }
        if self.lang != "da" && self.lang != "en" {
            return Err(FieldError::new("lang", "reminders come in \"da\" or \"en\""));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(days: &[u8], at: &str) -> ReminderTime {
        ReminderTime { days: days.to_vec(), at: at.into() }
    }

    fn plan(times: Vec<ReminderTime>, quiet: Option<(&str, &str)>) -> Reminders {
        Reminders {
            time_zone: "Europe/Copenhagen".into(),
            times,
            quiet: quiet.map(|(from, to)| Quiet { from: from.into(), to: to.into() }),
        }
    }

    #[test]
    fn times_read_as_minutes_of_the_day() {
        assert_eq!(minute_of_day("07:30"), Some(450));
        assert_eq!(minute_of_day("00:00"), Some(0));
        assert_eq!(minute_of_day("23:59"), Some(1439));
        for bad in ["24:00", "7:30", "07:60", "0730", "07:3a", "", "+7:30", "07:30:00"] {
            assert_eq!(minute_of_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn quiet_hours_may_span_midnight() {
        let night = Quiet { from: "22:00".into(), to: "07:00".into() };
        assert!(night.holds(22 * 60));
        assert!(night.holds(3 * 60));
        assert!(!night.holds(7 * 60));
        assert!(!night.holds(12 * 60));
        let noon = Quiet { from: "12:00".into(), to: "13:00".into() };
        assert!(noon.holds(12 * 60 + 30));
        assert!(!noon.holds(13 * 60));
        assert!(!noon.holds(11 * 60));
    }

    #[test]
    fn a_plan_is_checked_field_by_field() {
        assert!(
            plan(vec![at(&[1, 2, 3, 4, 5], "07:30"), at(&[6, 7], "09:00")], Some(("22:00", "07:00")))
                .check()
                .is_ok()
        );
        assert!(plan(vec![], None).check().is_ok(), "no times turns reminders off");
        let field = |p: Reminders| p.check().err().map(|e| e.field);
        assert_eq!(field(plan(vec![at(&[1], "7.30")], None)).as_deref(), Some("times[0].at"));
        assert_eq!(field(plan(vec![at(&[], "07:30")], None)).as_deref(), Some("times[0].days"));
        assert_eq!(field(plan(vec![at(&[1, 8], "07:30")], None)).as_deref(), Some("times[0].days[1]"));
        assert_eq!(field(plan(vec![at(&[1, 1], "07:30")], None)).as_deref(), Some("times[0].days[1]"));
        assert_eq!(
            field(plan(vec![at(&[1], "23:00")], Some(("22:00", "07:00")))).as_deref(),
            Some("times[0].at"),
            "a reminder in quiet hours is refused"
        );
        assert_eq!(field(plan(vec![], Some(("22:00", "22:00")))).as_deref(), Some("quiet.to"));
        assert_eq!(field(plan(vec![], Some(("late", "07:00")))).as_deref(), Some("quiet"));
        assert_eq!(
            field(plan(vec![at(&[1, 2], "07:30"), at(&[2], "07:30")], None)).as_deref(),
            Some("times[1]")
        );
        let mut zone = plan(vec![], None);
        zone.time_zone = "Europe/Copenhagen; DROP".into();
        assert_eq!(field(zone).as_deref(), Some("time_zone"));
        let many = (0..13).map(|i| at(&[1], &format!("{:02}:00", i + 8))).collect();
        assert_eq!(field(plan(many, None)).as_deref(), Some("times"));
    }
}

//! When the next reminder is due: a person's plan (days, local times, quiet
//! hours) read in their time zone with the tz database built into the server.
//!
//! Across a change of the clocks a reminder keeps its local time. A time the
//! clocks skip (02:30 on the last Sunday of March in Copenhagen) comes as
//! much later as the gap is long (03:30), as calendars do; a time that
//! happens twice (02:30 on the last Sunday of October) comes once, the first
//! time. Quiet hours are local times too.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use stille_practice::api::{FieldError, Quiet, Reminders, minute_of_day};

/// A plan ready to be asked for its next reminder.
#[derive(Clone, Debug)]
pub struct Schedule {
    zone: TimeZone,
    /// Minutes of the day, each with the days of the week it is on (bit 1 =
    /// Monday … bit 7 = Sunday), earliest first.
    times: Vec<(u16, u8)>,
    quiet: Option<Quiet>,
}

impl Schedule {
    /// The plan, checked, with its time zone found in the tz database.
    pub fn new(plan: &Reminders) -> Result<Schedule, FieldError> {
        plan.check()?;
        // The same names a course takes (and the API document lists).
        let zone = crate::courses::time_zone(&plan.time_zone)
            .ok()
            .and_then(|name| TimeZone::get(&name).ok())
            .ok_or_else(|| {
                FieldError::new(
                    "time_zone",
                    format!("{:?} is not a time zone in the tz database", plan.time_zone),
                )
            })?;
        let mut times: Vec<(u16, u8)> = plan
            .times
            .iter()
            .filter_map(|t| Some((minute_of_day(&t.at)?, t.days.iter().fold(0u8, |mask, d| mask | (1 << d)))))
            .collect();
        times.sort_unstable();
        Ok(Schedule { zone, times, quiet: plan.quiet.clone() })
    }

    /// The first reminder strictly after `after_ms` (ms since 1970 UTC), or
    /// None when the plan has none.
    pub fn next_after(&self, after_ms: i64) -> Option<i64> {
        if self.times.is_empty() {
            return None;
        }
        let start = Timestamp::from_millisecond(after_ms).ok()?.to_zoned(self.zone.clone()).date();
        // Every day of the week is within eight days of any start.
        for offset in 0..=8 {
            let date = start.checked_add(jiff::Span::new().days(offset)).ok()?;
            let weekday = date.weekday().to_monday_one_offset();
            let found = self
                .times
                .iter()
                .filter(|(_, days)| days & (1 << weekday) != 0)
                .filter_map(|(minute, _)| {
                    let hour = i8::try_from(minute / 60).ok()?;
                    let minute = i8::try_from(minute % 60).ok()?;
                    // `to_zoned` settles a skipped or doubled local time as
                    // calendars do (later by the gap; the first of two).
                    let at = date.at(hour, minute, 0, 0).to_zoned(self.zone.clone()).ok()?;
                    Some(at.timestamp().as_millisecond())
                })
                .filter(|at| *at > after_ms)
                .min();
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// Whether `at_ms` falls in the quiet hours, read on the local clock.
    pub fn is_quiet(&self, at_ms: i64) -> bool {
        let Some(quiet) = &self.quiet else { return false };
        let Ok(at) = Timestamp::from_millisecond(at_ms) else { return false };
        let local = at.to_zoned(self.zone.clone());
        let minute = u16::try_from(i32::from(local.hour()) * 60 + i32::from(local.minute())).unwrap_or(0);
        quiet.holds(minute)
    }

    /// `at_ms`, or the first minute after it outside the quiet hours when
    /// it falls in them (a message waits for the morning).
    pub fn quiet_ends(&self, at_ms: i64) -> i64 {
        if !self.is_quiet(at_ms) {
            return at_ms;
        }
        let start = at_ms - at_ms.rem_euclid(60_000);
        // Quiet hours are shorter than a day (and a clock change).
        (1..=26 * 60).map(|m| start + m * 60_000).find(|at| !self.is_quiet(*at)).unwrap_or(at_ms)
    }

    /// The local minute of the day at `at_ms` as `HH:MM` with the date
    /// (`2027-03-28 03:30`), for logs and tests.
    pub fn local(&self, at_ms: i64) -> String {
        Timestamp::from_millisecond(at_ms)
            .map(|t| t.to_zoned(self.zone.clone()).strftime("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use stille_practice::api::ReminderTime;

    use super::*;

    fn plan(times: &[(&[u8], &str)], quiet: Option<(&str, &str)>) -> Schedule {
        Schedule::new(&Reminders {
            time_zone: "Europe/Copenhagen".into(),
            times: times
                .iter()
                .map(|(days, at)| ReminderTime { days: days.to_vec(), at: (*at).into() })
                .collect(),
            quiet: quiet.map(|(from, to)| Quiet { from: from.into(), to: to.into() }),
        })
        .expect("a good plan")
    }

    fn utc(text: &str) -> i64 {
        text.parse::<Timestamp>().expect("a timestamp").as_millisecond()
    }

    /// Every reminder from `from` to `to`, as local times.
    fn all(schedule: &Schedule, from: &str, to: &str) -> Vec<String> {
        let (mut at, end) = (utc(from), utc(to));
        let mut seen = Vec::new();
        while let Some(next) = schedule.next_after(at).filter(|n| *n < end) {
            seen.push(schedule.local(next));
            at = next;
        }
        seen
    }

    const EVERY_DAY: &[u8] = &[1, 2, 3, 4, 5, 6, 7];

    #[test]
    fn a_daily_reminder_keeps_its_local_time_across_both_changes_of_the_clocks() {
        let morning = plan(&[(EVERY_DAY, "07:30")], None);
        // Saturday 27 March 2027 to Tuesday: summer time begins on Sunday 28th.
        assert_eq!(
            all(&morning, "2027-03-27T00:00:00Z", "2027-03-30T00:00:00Z"),
            ["2027-03-27 07:30", "2027-03-28 07:30", "2027-03-29 07:30"]
        );
        assert_eq!(morning.next_after(utc("2027-03-27T00:00:00Z")), Some(utc("2027-03-27T06:30:00Z")));
        assert_eq!(morning.next_after(utc("2027-03-28T00:00:00Z")), Some(utc("2027-03-28T05:30:00Z")));
        // And ends on Sunday 31 October 2027.
        assert_eq!(morning.next_after(utc("2027-10-31T00:00:00Z")), Some(utc("2027-10-31T06:30:00Z")));
    }

    #[test]
    fn a_skipped_time_comes_after_the_gap_and_a_doubled_one_comes_once() {
        let night = plan(&[(EVERY_DAY, "02:30")], None);
        assert_eq!(
            all(&night, "2027-03-27T00:00:00Z", "2027-03-30T00:00:00Z"),
            ["2027-03-27 02:30", "2027-03-28 03:30", "2027-03-29 02:30"]
        );
        assert_eq!(
            all(&night, "2027-10-30T00:00:00Z", "2027-11-02T00:00:00Z"),
            ["2027-10-30 02:30", "2027-10-31 02:30", "2027-11-01 02:30"]
        );
        // The first 02:30 of the doubled hour is 00:30 UTC; the second (01:30 UTC) never comes.
        assert_eq!(night.next_after(utc("2027-10-30T23:00:00Z")), Some(utc("2027-10-31T00:30:00Z")));
        assert_eq!(night.next_after(utc("2027-10-31T00:30:00Z")), Some(utc("2027-11-01T01:30:00Z")));
    }

    #[test]
    fn days_of_the_week_and_several_times_come_in_order() {
        // Weekdays at 07:00, weekends at 09:30, and Wednesday evenings.
        let week = plan(&[(&[1, 2, 3, 4, 5], "07:00"), (&[6, 7], "09:30"), (&[3], "20:00")], None);
        // Monday 6 December 2027 to the Monday after.
        assert_eq!(
            all(&week, "2027-12-05T23:00:00Z", "2027-12-12T23:00:00Z"),
            [
                "2027-12-06 07:00",
                "2027-12-07 07:00",
                "2027-12-08 07:00",
                "2027-12-08 20:00",
                "2027-12-09 07:00",
                "2027-12-10 07:00",
                "2027-12-11 09:30",
                "2027-12-12 09:30"
            ]
        );
        let sundays = plan(&[(&[7], "18:00")], None);
        // From a Monday morning the next is six days on.
        assert_eq!(
            sundays.local(sundays.next_after(utc("2027-12-06T06:00:00Z")).expect("one")),
            "2027-12-12 18:00"
        );
        assert_eq!(plan(&[], None).next_after(utc("2027-12-06T06:00:00Z")), None);
    }

    #[test]
    fn quiet_hours_are_read_on_the_local_clock() {
        let schedule = plan(&[(EVERY_DAY, "02:30")], Some(("03:00", "07:00")));
        // 03:30 local on the day summer time begins: the skipped 02:30 lands in quiet hours.
        let moved = schedule.next_after(utc("2027-03-27T12:00:00Z")).expect("one");
        assert_eq!(schedule.local(moved), "2027-03-28 03:30");
        assert!(schedule.is_quiet(moved));
        assert!(!schedule.is_quiet(utc("2027-03-27T01:30:00Z")), "02:30 in winter time");
        assert!(schedule.is_quiet(utc("2027-07-01T01:30:00Z")), "03:30 in summer time");
        assert!(!schedule.is_quiet(utc("2027-07-01T05:00:00Z")), "07:00 in summer time");
    }

    #[test]
    fn a_message_in_quiet_hours_waits_for_their_end() {
        let schedule = plan(&[], Some(("22:00", "07:00")));
        let at = utc("2027-07-01T21:15:20Z"); // 23:15 local
        assert_eq!(schedule.local(schedule.quiet_ends(at)), "2027-07-02 07:00");
        let day = utc("2027-07-01T10:00:00Z");
        assert_eq!(schedule.quiet_ends(day), day, "outside quiet hours: at once");
        // The night the clocks go back is an hour longer; the end is still 07:00.
        let autumn = utc("2027-10-30T21:00:00Z");
        assert_eq!(schedule.local(schedule.quiet_ends(autumn)), "2027-10-31 07:00");
        assert_eq!(plan(&[], None).quiet_ends(at), at);
    }

    #[test]
    fn a_time_zone_not_in_the_database_is_named() {
        let error =
            Schedule::new(&Reminders { time_zone: "Europe/Aarhus".into(), times: vec![], quiet: None })
                .expect_err("no such zone");
        assert_eq!(error.field, "time_zone");
        assert!(
            Schedule::new(&Reminders { time_zone: "America/Nuuk".into(), times: vec![], quiet: None })
                .is_ok()
        );
    }
}

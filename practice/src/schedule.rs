//! When a course meets, and which course week a day belongs to.
//!
//! Sessions are a week apart from the start date, on its weekday, except on
//! the dates the instructor marks as having no session (a holiday): the
//! sessions after such a date move a week on. Course week `n` begins on the
//! day of session `n` and lasts seven days; home practice is assigned per
//! course week. The days of a week without a session belong to no course
//! week: nothing is asked of them and reports do not read them, while "This
//! week" keeps showing the week before, so a participant can go on with it.
//!
//! The instructor's plan ([`Meetings`]: time, length, place, the dates with
//! no session, a retreat day) travels with the course; [`Schedule`] is the
//! arithmetic every part of Stille uses for weeks, so the app, the report,
//! the outcome windows and the reminders agree about them.

use serde::{Deserialize, Serialize};

use crate::api::minute_of_day;
use crate::stats::Date;

/// The longest place text (an address, a room, a video link).
pub const MAX_PLACE: usize = 200;
/// How many sessions a course without a programme or assignments has: the
/// eight weeks of the programmes Stille serves (the calendar and the
/// instructor's meeting plan list that many).
pub const DEFAULT_SESSIONS: i32 = 8;
/// How many weeks ahead of the current one an open group's session days are
/// listed (in its calendar file and on the instructor's meeting plan).
pub const ROLLING_WEEKS_AHEAD: i32 = 26;
/// The most meetings a closed group can be planned with (a year of weeks).
pub const MAX_MEETINGS: u16 = 52;
/// The most dates without a session a course can have.
pub const MAX_SKIPPED: usize = 12;
/// The shortest and longest session, in minutes.
pub const SESSION_MINUTES: (u16, u16) = (15, 480);
/// The shortest and longest retreat, in minutes (an all-day retreat is
/// about 7½ hours).
pub const RETREAT_MINUTES: (u16, u16) = (30, 720);
/// How long after the start a retreat can be, in days.
const RETREAT_WITHIN_DAYS: i32 = 366;

/// When and where a course meets, as its instructor set it. Every field may
/// be left out until the instructor knows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meetings {
    /// When sessions begin, "HH:MM" in the course's time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// How long a session lasts: 15–480 minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u16>,
    /// Where: an address, a room or a video link (at most 200 characters).
    #[serde(default)]
    pub place: String,
    /// The session days without a session (holidays), YYYY-MM-DD: each a
    /// week or more after the start, on its weekday. The sessions after
    /// such a date move a week on. At most 12.
    #[serde(default)]
    pub skipped: Vec<String>,
    /// The retreat day, if the course holds one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retreat: Option<RetreatDay>,
    /// An open (rolling) group: people join at any time, each one's week 1
    /// is the week they joined, and the programme's weeks go round again
    /// after the last, so nothing ends.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rolling: bool,
    /// How many times a closed group meets (1–52), when the instructor
    /// chooses it rather than the programme's number of sessions: the
    /// course ends after that many, and when it has more than its weeks
    /// with home practice, those weeks go round again. Not for an open
    /// group, which does not end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u16>,
}

/// A course's retreat day.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetreatDay {
    /// YYYY-MM-DD, on or after the start and within a year of it.
    pub date: String,
    /// When it begins, "HH:MM" in the course's time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// How long it lasts: 30–720 minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u16>,
    /// Where, when not where the sessions are (at most 200 characters).
    #[serde(default)]
    pub place: String,
}

impl RetreatDay {
    /// Its date, when it reads.
    pub fn day(&self) -> Option<Date> {
        Date::parse(&self.date)
    }
}

impl Meetings {
    /// What is wrong with this plan for a course that starts on `start`,
    /// said so an instructor can put it right; None when nothing is.
    pub fn problem(&self, start: Date) -> Option<String> {
        let session = when_problem("session", self.time.as_deref(), self.minutes, SESSION_MINUTES);
        if let Some(problem) = session.or_else(|| place_problem(&self.place)) {
            return Some(problem);
        }
        if let Some(count) = self.count {
            if self.rolling {
                return Some(
                    "an open group does not end, so it has no number of meetings: leave the number out, \
                     or make the group closed"
                        .to_owned(),
                );
            }
            if !(1..=MAX_MEETINGS).contains(&count) {
                return Some(format!("{count} meetings: give 1–{MAX_MEETINGS}"));
            }
        }
        if self.skipped.len() > MAX_SKIPPED {
            return Some(format!("{} dates without a session: at most {MAX_SKIPPED}", self.skipped.len()));
        }
        let mut seen = Vec::new();
        for text in &self.skipped {
            let Some(day) = Date::parse(text) else {
                return Some(format!("the date without a session {text:?} is not a date as YYYY-MM-DD"));
            };
            if day <= start || (day.0 - start.0) % 7 != 0 {
                return Some(format!(
                    "{text} is not a session day after the first: sessions are on the start date's weekday, \
                     a week apart"
                ));
            }
            if seen.contains(&day) {
                return Some(format!("{text} is given twice as a date without a session"));
            }
            seen.push(day);
        }
        let retreat = self.retreat.as_ref()?;
        let Some(day) = retreat.day() else {
            return Some(format!("the retreat date {:?} is not a date as YYYY-MM-DD", retreat.date));
        };
        if day < start || day.0 - start.0 > RETREAT_WITHIN_DAYS {
            return Some(format!(
                "the retreat on {} is not within a year from the course's start",
                retreat.date
            ));
        }
        when_problem("retreat", retreat.time.as_deref(), retreat.minutes, RETREAT_MINUTES)
            .or_else(|| place_problem(&retreat.place))
    }
    /// How many sessions the course has: the number the instructor chose,
    /// else `otherwise` (its programme's sessions or weeks with home
    /// practice), else [`DEFAULT_SESSIONS`]. An open group's sessions go
    /// on; this is how many make one round of its programme.
    pub fn session_count(&self, otherwise: i32) -> i32 {
        match self.count {
            Some(count) if !self.rolling => i32::from(count),
            _ if otherwise > 0 => otherwise,
            _ => DEFAULT_SESSIONS,
        }
    }
}

/// What is wrong with a meeting's start time and length, if anything.
fn when_problem(
    what: &str,
    time: Option<&str>,
    minutes: Option<u16>,
    (low, high): (u16, u16),
) -> Option<String> {
    if let Some(time) = time
        && minute_of_day(time).is_none()
    {
        return Some(format!("the {what}'s time {time:?} is not a time of day as HH:MM"));
    }
    let minutes = minutes.filter(|m| !(low..=high).contains(m))?;
    Some(format!("a {what} of {minutes} minutes: give {low}–{high} minutes"))
}

/// What is wrong with a place, if anything: the rules of a one-line text
/// a person types ([`crate::api::one_line`]), or empty.
fn place_problem(place: &str) -> Option<String> {
    if place.is_empty() {
        return None;
    }
    crate::api::one_line("place", place, MAX_PLACE, "the place").err().map(|e| e.message)
}

/// A course's weeks: the start date and the session days without a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    start: Date,
    /// On the weekly grid after the start, ascending, each once.
    skipped: Vec<Date>,
}

impl Schedule {
    /// A session every week from `start`.
    pub fn weekly(start: Date) -> Schedule {
        Schedule { start, skipped: Vec::new() }
    }

    /// The weeks of a course starting on `start` with `meetings`. Dates that
    /// are not session days after the start are left out (the server refuses
    /// them; this keeps the arithmetic sound whatever it is given).
    pub fn new(start: Date, meetings: &Meetings) -> Schedule {
        let mut skipped: Vec<Date> = meetings
            .skipped
            .iter()
            .filter_map(|text| Date::parse(text))
            .filter(|day| *day > start && (day.0 - start.0) % 7 == 0)
            .collect();
        skipped.sort_unstable();
        skipped.dedup();
        Schedule { start, skipped }
    }

    pub fn start(&self) -> Date {
        self.start
    }

    /// The first day of course week `week`: the day of its session. Weeks
    /// before 1 count back a week at a time from the start.
    pub fn week_start(&self, week: i32) -> Date {
        let mut day = self.start.add_days(7 * (week - 1));
        if week >= 1 {
            for skipped in &self.skipped {
                if *skipped <= day {
                    day = day.add_days(7);
                }
            }
        }
        day
    }

    /// The course week `day` is in, None before the start. In a week
    /// without a session it is the week before (see [`Self::is_break`]).
    pub fn week_of(&self, day: Date) -> Option<i32> {
        if day < self.start {
            return None;
        }
        let grid = self.grid_day(day);
        let skipped = self.skipped.iter().filter(|s| **s <= grid).count() as i32;
        Some((grid.0 - self.start.0) / 7 + 1 - skipped)
    }

    /// Whether `day` is in a week without a session.
    pub fn is_break(&self, day: Date) -> bool {
        day > self.start && self.skipped.contains(&self.grid_day(day))
    }

    /// The session day on or before `day` (the start of its calendar week in
    /// the course).
    fn grid_day(&self, day: Date) -> Date {
        self.start.add_days((day.0 - self.start.0).div_euclid(7) * 7)
    }

    /// The days of sessions 1 to `count`.
    pub fn sessions(&self, count: i32) -> Vec<Date> {
        (1..=count).map(|week| self.week_start(week)).collect()
    }

    /// The first of sessions 1 to `count` after `today`.
    pub fn next_session(&self, today: Date, count: i32) -> Option<Date> {
        self.sessions(count).into_iter().find(|day| *day > today)
    }
}

/// A participant's weeks as they live them. In a course that runs from
/// start to end, their week `n` is course week `n`. In an open (rolling)
/// group their week 1 is the course week they joined in, and the
/// programme's weeks go round again after its last one, so a late joiner
/// begins at the beginning and nothing ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timing {
    schedule: Schedule,
    /// The course week that is their week 1.
    first: i32,
    /// The programme's number of weeks when they go round (0: they do not).
    cycle: i32,
    /// Their last week, when the instructor set how many times the group
    /// meets (None: as long as the programme has weeks, or without end).
    last: Option<i32>,
}

impl Timing {
    /// Everyone on the course's weeks.
    pub fn course(schedule: Schedule) -> Timing {
        Timing { schedule, first: 1, cycle: 0, last: None }
    }

    /// The weeks of someone who joined on `joined`, in a course planned
    /// with `meetings` whose programme has `weeks` weeks of home practice.
    /// A closed group with a chosen number of meetings ends after them, and
    /// goes round the programme's weeks when it has more meetings than those.
    pub fn of_member(schedule: Schedule, meetings: &Meetings, joined: Date, weeks: i32) -> Timing {
        if meetings.rolling {
            let first = schedule.week_of(joined).unwrap_or(1);
            return Timing { schedule, first, cycle: weeks.max(0), last: None };
        }
        match meetings.count {
            Some(count) => Timing { schedule, first: 1, cycle: weeks.max(0), last: Some(i32::from(count)) },
            None => Timing::course(schedule),
        }
    }

    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// Whether the weeks go on without end (an open group).
    pub fn is_rolling(&self) -> bool {
        self.cycle > 0 && self.last.is_none()
    }

    /// Whether their own week `own` is past the last meeting of a group
    /// with a chosen number of meetings: nothing is asked of it.
    pub fn is_over(&self, own: i32) -> bool {
        self.last.is_some_and(|last| own > last)
    }

    /// Their own week `day` is in, None before their week 1.
    pub fn week_of(&self, day: Date) -> Option<i32> {
        let own = self.schedule.week_of(day)? - self.first + 1;
        (own >= 1).then_some(own)
    }

    /// The first day of their own week `own`.
    pub fn week_start(&self, own: i32) -> Date {
        self.schedule.week_start(self.first + own - 1)
    }

    /// The course week their own week `own` is.
    pub fn course_week(&self, own: i32) -> i32 {
        self.first + own - 1
    }

    /// Their own week that course week `course_week` is, None before their
    /// week 1.
    pub fn own_week(&self, course_week: i32) -> Option<i32> {
        let own = course_week - self.first + 1;
        (own >= 1).then_some(own)
    }

    /// Which of the programme's weeks (its home practice and theme) their
    /// own week `own` follows.
    pub fn programme_week(&self, own: i32) -> i32 {
        if self.cycle > 0 { (own - 1).rem_euclid(self.cycle) + 1 } else { own }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        Date::parse(text).expect("a date")
    }

    fn with_skipped(skipped: &[&str]) -> Meetings {
        Meetings { skipped: skipped.iter().map(|s| (*s).to_owned()).collect(), ..Meetings::default() }
    }

    #[test]
    fn without_breaks_weeks_are_seven_days_from_the_start() {
        let s = Schedule::weekly(day("2027-01-05"));
        assert_eq!(s.week_of(day("2027-01-04")), None);
        assert_eq!(s.week_of(day("2027-01-05")), Some(1));
        assert_eq!(s.week_of(day("2027-01-11")), Some(1));
        assert_eq!(s.week_of(day("2027-01-12")), Some(2));
        assert_eq!(s.week_start(3), day("2027-01-19"));
        assert_eq!(s.week_start(0), day("2026-12-29"));
        assert_eq!(s.next_session(day("2027-01-05"), 8), Some(day("2027-01-12")));
        assert_eq!(s.next_session(day("2027-02-23"), 8), None);
    }

    #[test]
    fn a_week_without_a_session_moves_the_later_sessions_on() {
        // Winter holiday in week 7 of the year: no session on 16 February.
        let s = Schedule::new(day("2027-01-05"), &with_skipped(&["2027-02-16"]));
        assert_eq!(
            s.sessions(8),
            [
                "2027-01-05",
                "2027-01-12",
                "2027-01-19",
                "2027-01-26",
                "2027-02-02",
                "2027-02-09",
                "2027-02-23",
                "2027-03-02"
            ]
            .map(day)
        );
        // The holiday week belongs to week 6, the week before, and is a break.
        assert_eq!(s.week_of(day("2027-02-15")), Some(6));
        assert_eq!(s.week_of(day("2027-02-16")), Some(6));
        assert!(s.is_break(day("2027-02-18")));
        assert!(!s.is_break(day("2027-02-15")));
        assert_eq!(s.week_of(day("2027-02-23")), Some(7));
        assert_eq!(s.next_session(day("2027-02-10"), 8), Some(day("2027-02-23")));
    }

    #[test]
    fn two_breaks_in_a_row_and_dates_off_the_grid() {
        let s = Schedule::new(
            day("2027-03-01"),
            &with_skipped(&["2027-03-29", "2027-03-22", "2027-03-23", "2027-03-01", "2027-03-22"]),
        );
        assert_eq!(s.week_start(4), day("2027-04-05"));
        assert_eq!(s.week_of(day("2027-03-28")), Some(3));
        assert_eq!(s.week_of(day("2027-04-04")), Some(3));
        assert_eq!(s.week_of(day("2027-04-05")), Some(4));
        // Every week's start is a day of that week.
        for week in 1..=10 {
            assert_eq!(s.week_of(s.week_start(week)), Some(week));
            assert!(!s.is_break(s.week_start(week)));
        }
    }

    #[test]
    fn in_an_open_group_a_late_joiner_begins_at_week_1_and_the_weeks_go_round() {
        let start = day("2027-01-05");
        let open = Meetings { rolling: true, skipped: vec!["2027-02-16".into()], ..Meetings::default() };
        let schedule = Schedule::new(start, &open);
        // Maja joins on Thursday of course week 3.
        let maja = Timing::of_member(schedule.clone(), &open, day("2027-01-21"), 8);
        assert!(maja.is_rolling());
        assert_eq!(maja.week_of(day("2027-01-18")), None, "before her first week");
        assert_eq!(maja.week_of(day("2027-01-21")), Some(1));
        assert_eq!(maja.week_start(1), day("2027-01-19"));
        assert_eq!(maja.course_week(1), 3);
        assert_eq!(maja.own_week(3), Some(1));
        assert_eq!(maja.own_week(2), None);
        // The holiday moves her weeks as it moves everyone's.
        assert_eq!(maja.week_start(5), day("2027-02-23"));
        assert_eq!(maja.week_of(day("2027-02-23")), Some(5));
        // After the programme's eighth week she begins it again.
        assert_eq!(maja.programme_week(8), 8);
        assert_eq!(maja.programme_week(9), 1);
        assert_eq!(maja.programme_week(17), 1);
        // Someone who joined before the start follows the course's weeks.
        let early = Timing::of_member(schedule.clone(), &open, day("2026-12-20"), 8);
        assert_eq!(early.week_of(day("2027-01-05")), Some(1));
        // A course that is not open: everyone on the course's weeks, which end.
        let closed = Meetings::default();
        let late = Timing::of_member(Schedule::new(start, &closed), &closed, day("2027-01-21"), 8);
        assert!(!late.is_rolling());
        assert_eq!(late.week_of(day("2027-01-21")), Some(3));
        assert_eq!(late.programme_week(9), 9);
    }

    #[test]
    fn a_closed_group_ends_after_its_chosen_number_of_meetings() {
        let start = day("2027-01-05");
        // Twelve meetings of an eight-week programme, one week free.
        let twelve = Meetings { count: Some(12), skipped: vec!["2027-02-16".into()], ..Meetings::default() };
        assert_eq!(twelve.session_count(8), 12);
        let schedule = Schedule::new(start, &twelve);
        let late = Timing::of_member(schedule.clone(), &twelve, day("2027-01-21"), 8);
        assert!(!late.is_rolling(), "it ends");
        // Everyone is on the course's weeks, whenever they joined.
        assert_eq!(late.week_of(day("2027-01-21")), Some(3));
        // After the programme's eight weeks, its weeks begin again.
        assert_eq!(late.programme_week(8), 8);
        assert_eq!(late.programme_week(9), 1);
        assert_eq!(late.programme_week(12), 4);
        assert!(!late.is_over(12));
        assert!(late.is_over(13));
        assert_eq!(schedule.sessions(twelve.session_count(8)).last(), Some(&day("2027-03-30")));
        // Six meetings: the programme's weeks 7 and 8 never come.
        let six = Meetings { count: Some(6), ..Meetings::default() };
        let timing = Timing::of_member(Schedule::new(start, &six), &six, start, 8);
        assert_eq!(timing.programme_week(6), 6);
        assert!(timing.is_over(7));
        // Without a chosen number: the programme's, else eight; an open
        // group's round is its programme's.
        assert_eq!(Meetings::default().session_count(6), 6);
        assert_eq!(Meetings::default().session_count(0), DEFAULT_SESSIONS);
        let open = Meetings { rolling: true, count: Some(3), ..Meetings::default() };
        assert_eq!(open.session_count(8), 8, "an open group has no number of meetings");
        assert!(!Timing::of_member(Schedule::weekly(start), &Meetings::default(), start, 8).is_over(40));
    }

    #[test]
    fn a_plan_says_what_is_wrong_with_it() {
        let start = day("2027-01-05");
        let fine = Meetings {
            time: Some("17:30".into()),
            minutes: Some(165),
            place: "Sundhedshuset, lokale 2".into(),
            skipped: vec!["2027-02-16".into()],
            retreat: Some(RetreatDay {
                date: "2027-02-06".into(),
                time: Some("10:00".into()),
                minutes: Some(240),
                place: String::new(),
            }),
            rolling: false,
            count: Some(10),
        };
        assert_eq!(fine.problem(start), None);
        assert_eq!(Meetings::default().problem(start), None);
        let cases: [(Meetings, &str); 12] = [
            (Meetings { count: Some(0), ..fine.clone() }, "1–52"),
            (Meetings { count: Some(53), ..fine.clone() }, "1–52"),
            (Meetings { rolling: true, ..fine.clone() }, "open group does not end"),
            (Meetings { time: Some("5 pm".into()), ..fine.clone() }, "HH:MM"),
            (Meetings { minutes: Some(600), ..fine.clone() }, "15–480"),
            (Meetings { place: "x".repeat(201), ..fine.clone() }, "1–200 characters"),
            (Meetings { place: "a\nb".into(), ..fine.clone() }, "invisible"),
            (with_skipped(&["2027-02-17"]), "not a session day"),
            (with_skipped(&["2027-01-05"]), "not a session day"),
            (with_skipped(&["2027-02-16", "2027-02-16"]), "twice"),
            (
                Meetings {
                    retreat: Some(RetreatDay { date: "2026-12-01".into(), ..RetreatDay::default() }),
                    ..fine.clone()
                },
                "within a year",
            ),
            (
                Meetings {
                    retreat: Some(RetreatDay {
                        date: "2027-02-06".into(),
                        minutes: Some(5),
                        ..RetreatDay::default()
                    }),
                    ..fine.clone()
                },
                "30–720",
            ),
        ];
        for (plan, said) in cases {
            let problem = plan.problem(start).unwrap_or_default();
            assert!(problem.contains(said), "{plan:?}: {problem:?} should say {said:?}");
        }
    }
}

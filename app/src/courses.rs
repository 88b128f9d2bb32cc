//! The courses this account has joined, as the participant sees them: asked
//! of the server when online and kept on the device with their weeks, so
//! "This week" shows with the network off too. Joining (with explicit
//! consent), changing consent and leaving.

use serde::{Deserialize, Serialize};
use stille_practice::api::{
    Assigned, Consent, ConsentChange, Courses, JoinCode, JoinForm, JoinPreview, Joined, Week, Weeks,
};
use stille_practice::schedule::{Schedule, Timing};
use stille_practice::stats::{Date, DayRule, Practised, adherence};
use stille_practice::{HomePractice, outcomes};

use crate::api::{self, ApiError, NO_BODY};
use crate::storage;

/// v2: the server's own `Joined` with the weeks beside it (v1 was the app's
/// copy of it, which lacked fields; it is simply fetched again).
const CACHE: &str = "stille.courses.v2";

/// This phone's UTC offset in minutes at `at_ms` (summer time included).
/// Off the web, where the native tests run, UTC.
fn offset_at(at_ms: i64) -> i16 {
    #[cfg(target_arch = "wasm32")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at_ms as f64));
        (-date.get_timezone_offset()) as i16
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = at_ms;
        0
    }
}

/// A joined course with its weeks of home practice, as kept on the device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    #[serde(flatten)]
    pub joined: Joined,
    #[serde(default)]
    pub weeks: Vec<Week>,
}

impl std::ops::Deref for Course {
    type Target = Joined;

    fn deref(&self) -> &Joined {
        &self.joined
    }
}

impl Course {
    pub fn start(&self) -> Option<Date> {
        Date::parse(&self.joined.start_date)
    }

    /// Its weeks: sessions a week apart from the start, but for the weeks
    /// the instructor marked as without a session.
    pub fn schedule(&self) -> Option<Schedule> {
        Some(Schedule::new(self.start()?, &self.meetings))
    }

    /// This participant's weeks: the course's, or in an open group their
    /// own from the week they joined (the day they joined on this phone's
    /// clock, as "today" is; the server takes the course's time zone, the
    /// same for a phone in the group's country), going round the
    /// programme's weeks.
    pub fn timing(&self) -> Option<Timing> {
        let joined = Date::of(self.joined_at_ms, offset_at(self.joined_at_ms), DayRule { grace_minutes: 0 });
        let weeks = self.weeks.iter().map(|w| w.week).max().unwrap_or(0);
        Some(Timing::of_member(self.schedule()?, &self.meetings, joined, weeks))
    }

    /// The participant's week `today` falls in (1 = the week of the first
    /// session, or in an open group the course week they joined in), or
    /// None before it. In a week without a session, the week before.
    pub fn week_of(&self, today: Date) -> Option<i32> {
        self.timing()?.week_of(today)
    }

    /// Whether `today` is in a week without a session (a holiday).
    pub fn is_break(&self, today: Date) -> bool {
        self.schedule().is_some_and(|s| s.is_break(today))
    }

    /// Which of the programme's weeks the participant's week `week`
    /// follows (in an open group they go round).
    pub fn programme_week(&self, week: i32) -> i32 {
        self.timing().map_or(week, |t| t.programme_week(week))
    }

    /// Whether the participant's week `week` comes after the last meeting
    /// of a group whose instructor chose how many times it meets.
    pub fn is_over(&self, week: i32) -> bool {
        self.timing().is_some_and(|t| t.is_over(week))
    }

    /// The participant's week's assignment (empty when none was set, and
    /// after a closed group's last meeting).
    pub fn assigned(&self, week: i32) -> &[Assigned] {
        if self.is_over(week) {
            return &[];
        }
        let week = self.programme_week(week);
        self.weeks.iter().find(|w| w.week == week).map_or(&[], |w| w.practices.as_slice())
    }

    /// Each assigned practice of the participant's week `week` with how it
    /// went so far: (the assignment, times done, times asked).
    pub fn progress(&self, week: i32, practised: &[Practised]) -> Vec<(Assigned, u32, u32)> {
        let Some(timing) = self.timing() else { return Vec::new() };
        let week_start = timing.week_start(week);
        let assigned: Vec<(Assigned, HomePractice)> =
            self.assigned(week).iter().filter_map(|a| Some((a.clone(), a.home_practice()?))).collect();
        let homes: Vec<HomePractice> = assigned.iter().map(|(_, h)| h.clone()).collect();
        let result = adherence(practised, DayRule::default(), week_start, &homes);
        assigned.into_iter().zip(result.practices).map(|((a, _), p)| (a, p.done, p.asked)).collect()
    }

    /// The questionnaires the course asks for on `today` that have no answer
    /// yet in this measurement point's window, with the point's week: None
    /// when nothing is asked now or everything is answered. `answered` is
    /// every answer on the device as (instrument, local day, ms); only those
    /// since joining count, as on the server.
    pub fn asks(&self, today: Date, answered: &[(String, Date, i64)]) -> Option<(u16, Vec<String>)> {
        let schedule = self.schedule()?;
        let weeks = &self.measures.weeks;
        let point = outcomes::point_on(&schedule, weeks, today)?;
        let (from, to) = outcomes::window(&schedule, weeks, point)?;
        let missing: Vec<String> = self
            .measures
            .instruments
            .iter()
            .filter(|id| {
                !answered.iter().any(|(instrument, day, at_ms)| {
                    instrument == *id
                        && *at_ms >= self.joined_at_ms
                        && from.is_none_or(|from| from <= *day)
                        && *day < to
                })
            })
            .cloned()
            .collect();
        (!missing.is_empty()).then(|| (weeks[point], missing))
    }

    /// How many sessions the course has: as many as its instructor chose,
    /// else its weeks of home practice, or `programme_sessions` (its
    /// programme's, when it follows one) if more.
    pub fn session_count(&self, programme_sessions: i32) -> i32 {
        let last_week = self.weeks.iter().map(|w| w.week).max().unwrap_or(0);
        self.meetings.session_count(last_week.max(programme_sessions))
    }

    /// The date of the next session after `today`, if the course has
    /// sessions left (see [`Self::session_count`]; an open group always has).
    pub fn next_session(&self, today: Date, programme_sessions: i32) -> Option<Date> {
        let schedule = self.schedule()?;
        if self.meetings.rolling {
            return Some(schedule.week_start(schedule.week_of(today).unwrap_or(0) + 1));
        }
        schedule.next_session(today, self.session_count(programme_sessions))
    }

    /// The retreat day, when the instructor has set one.
    pub fn retreat_day(&self) -> Option<Date> {
        self.meetings.retreat.as_ref()?.day()
    }
}

/// Whether any joined course may read the reflections marked as shared.
pub fn shares_reflections(courses: &[Course]) -> bool {
    courses.iter().any(|c| c.consent.reflections)
}

/// The courses (ids) a note shared now is shared with: those whose
/// instructor may read reflections.
pub fn reflection_readers(courses: &[Course]) -> Vec<String> {
    courses.iter().filter(|c| c.consent.reflections).map(|c| c.id.clone()).collect()
}

/// The joined courses from the server, with their weeks; kept for offline use.
pub async fn refresh() -> Result<Vec<Course>, ApiError> {
    let courses: Courses = api::request("GET", "/api/courses", NO_BODY).await?;
    let mut kept = Vec::new();
    for joined in courses.joined {
        let weeks: Weeks =
            api::request("GET", &format!("/api/courses/{}/assignments", joined.id), NO_BODY).await?;
        kept.push(Course { joined, weeks: weeks.weeks });
    }
    if let Err(error) = storage::save(CACHE, &kept) {
        storage::warn(&error);
    }
    Ok(kept)
}

/// The teachers of `courses`, each once, in the courses' order.
pub fn instructors(courses: &[Course]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for course in courses {
        if !names.contains(&course.instructor) {
            names.push(course.instructor.clone());
        }
    }
    names
}

/// Each instructor who gave a way to reach them, once, with it: (name, words).
pub fn contacts(courses: &[Course]) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for course in courses.iter().filter(|c| !c.contact.is_empty()) {
        let pair = (course.instructor.clone(), course.contact.clone());
        if !found.contains(&pair) {
            found.push(pair);
        }
    }
    found
}

/// The joined courses as last fetched (none if never, or unreadable).
pub fn cached() -> Vec<Course> {
    storage::load_or_default::<Vec<Course>>(CACHE)
}

/// Who teaches a kept course and how to reach them: what help shows. Read
/// from the same kept copy as [`cached`], leaving out every other field, so
/// help (part of the first download, see split.rs) does not carry the
/// parsing of whole courses.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Teacher {
    pub title: String,
    pub instructor: String,
    #[serde(default)]
    pub contact: String,
}

/// The teachers of the kept courses, in the courses' order.
pub fn teachers() -> Vec<Teacher> {
    storage::load_or_default::<Vec<Teacher>>(CACHE)
}

/// Forgets the kept copy (signing out).
pub fn forget() {
    storage::remove(CACHE);
    storage::remove("stille.courses.v1");
}

pub async fn preview(code: &str) -> Result<JoinPreview, ApiError> {
    api::request("POST", "/api/join/preview", Some(&JoinCode { code: code.to_owned() })).await
}

pub async fn join(code: &str, consent: Consent) -> Result<(), ApiError> {
    let _: Joined =
        api::request("POST", "/api/join", Some(&JoinForm { code: code.to_owned(), consent })).await?;
    refresh().await.map(|_| ())
}

pub async fn change_consent(course: &str, consent: Consent) -> Result<(), ApiError> {
    let change = ConsentChange::from(consent);
    let _: Joined = api::request("PUT", &format!("/api/courses/{course}/consent"), Some(&change)).await?;
    refresh().await.map(|_| ())
}

pub async fn leave(course: &str) -> Result<(), ApiError> {
    api::request::<()>("DELETE", &format!("/api/courses/{course}/membership"), NO_BODY).await?;
    refresh().await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use stille_practice::api::{MeasurePlan, Meetings, Role};

    use super::*;

    fn course(start: &str, weeks: Vec<Week>) -> Course {
        Course {
            joined: Joined {
                id: "c".into(),
                role: Role::Participant,
                title: "MSC".into(),
                lang: "da".into(),
                time_zone: "Europe/Copenhagen".into(),
                start_date: start.into(),
                template: Some("msc".into()),
                instructor: "Ida".into(),
                joined_at_ms: 0,
                consent: Consent { adherence: true, reflections: false, ..Consent::default() },
                measures: MeasurePlan::default(),
                meetings: Meetings::default(),
                contact: String::new(),
            },
            weeks,
        }
    }

    /// Eight weeks of home practice, practice "pN" in week N.
    fn eight_weeks() -> Vec<Week> {
        (1..=8)
            .map(|week| Week {
                week,
                practices: vec![Assigned { practice: format!("p{week}"), minutes: 5, days: 7, per_day: 1 }],
            })
            .collect()
    }

    fn date(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd(y, m, d).expect("a date")
    }

    #[test]
    fn each_way_to_reach_a_teacher_is_given_once() {
        let with = |name: &str, contact: &str| {
            let mut c = course("2026-11-30", Vec::new());
            c.joined.instructor = name.into();
            c.joined.contact = contact.into();
            c
        };
        let courses = [with("Karen", "Ring på 12345678"), with("Bo", ""), with("Karen", "Ring på 12345678")];
        assert_eq!(contacts(&courses), [("Karen".to_owned(), "Ring på 12345678".to_owned())]);
    }

    #[test]
    fn help_reads_each_kept_course_s_teacher_and_contact() {
        let mut reachable = course("2026-11-30", eight_weeks());
        reachable.joined.contact = "Ring på 12345678".into();
        let kept = serde_json::to_string(&vec![reachable, course("2027-01-04", Vec::new())]).expect("kept");
        let teachers: Vec<Teacher> = serde_json::from_str(&kept).expect("read as teachers");
        let teacher = |contact: &str| Teacher {
            title: "MSC".into(),
            instructor: "Ida".into(),
            contact: contact.into(),
        };
        assert_eq!(teachers, [teacher("Ring på 12345678"), teacher("")]);
    }

    #[test]
    fn each_teacher_is_named_once() {
        let mut other = course("2026-11-30", Vec::new());
        other.joined.instructor = "Bo".into();
        let courses = [course("2026-11-30", Vec::new()), other, course("2027-01-04", Vec::new())];
        assert_eq!(instructors(&courses), ["Ida", "Bo"]);
        assert!(instructors(&[]).is_empty());
    }

    #[test]
    fn weeks_count_from_the_start_date() {
        let mut c = course("2026-11-30", (1..=2).map(|week| Week { week, practices: Vec::new() }).collect());
        c.joined.template = None;
        assert_eq!(c.week_of(date(2026, 11, 29)), None, "before the start");
        assert_eq!(c.week_of(date(2026, 11, 30)), Some(1));
        assert_eq!(c.week_of(date(2026, 12, 6)), Some(1));
        assert_eq!(c.week_of(date(2026, 12, 7)), Some(2));
        assert_eq!(c.session_count(0), 2);
        assert_eq!(c.next_session(date(2026, 11, 30), 0), Some(date(2026, 12, 7)));
        assert_eq!(c.next_session(date(2026, 12, 7), 0), None, "no sessions left");
    }

    #[test]
    fn a_holiday_keeps_the_week_before_and_moves_the_next_session() {
        // MSC's eight sessions from Monday 4 January; no session on 15 February.
        let mut c = course("2027-01-04", vec![Week { week: 1, practices: Vec::new() }]);
        c.joined.meetings.skipped = vec!["2027-02-15".into()];
        assert_eq!(c.session_count(8), 8, "the programme's sessions, though only week 1 has practice");
        assert_eq!(c.week_of(date(2027, 2, 16)), Some(6));
        assert!(c.is_break(date(2027, 2, 16)));
        assert!(!c.is_break(date(2027, 2, 14)));
        assert_eq!(c.next_session(date(2027, 2, 8), 8), Some(date(2027, 2, 22)));
        assert_eq!(c.week_of(date(2027, 2, 22)), Some(7));
        assert_eq!(c.next_session(date(2027, 3, 1), 8), None, "the eighth was the last");
    }

    #[test]
    fn a_late_joiner_in_an_open_group_has_their_own_week_1() {
        let mut c = course("2026-11-02", eight_weeks());
        c.joined.template = Some("wellbeing".into());
        c.joined.meetings.rolling = true;
        // Joined on Wednesday 18 November, in course week 3.
        c.joined.joined_at_ms = i64::from(date(2026, 11, 18).0) * 86_400_000 + 10 * 3_600_000;
        assert_eq!(c.week_of(date(2026, 11, 16)), Some(1), "her week 1 is the week she joined");
        assert_eq!(c.week_of(date(2026, 11, 15)), None);
        assert_eq!(c.assigned(1)[0].practice, "p1");
        assert_eq!(c.week_of(date(2027, 1, 11)), Some(9));
        assert_eq!(c.assigned(9)[0].practice, "p1", "after the eighth week the programme goes round");
        assert_eq!(c.next_session(date(2027, 3, 3), 8), Some(date(2027, 3, 8)), "an open group goes on");
    }

    #[test]
    fn a_closed_group_of_ten_meetings_goes_round_once_and_ends() {
        let mut c = course("2026-11-02", eight_weeks());
        c.joined.meetings.count = Some(10);
        assert_eq!(c.session_count(8), 10);
        assert_eq!(c.assigned(8)[0].practice, "p8");
        assert_eq!(c.assigned(9)[0].practice, "p1", "after the eighth week the programme goes round");
        assert_eq!(c.assigned(10)[0].practice, "p2");
        assert!(c.is_over(11) && c.assigned(11).is_empty(), "nothing is asked after the last meeting");
        // The tenth meeting is on 4 January; none after it.
        assert_eq!(c.next_session(date(2026, 12, 30), 8), Some(date(2027, 1, 4)));
        assert_eq!(c.next_session(date(2027, 1, 4), 8), None);
        // Six meetings: weeks 7 and 8 of the programme never come.
        c.joined.meetings.count = Some(6);
        assert!(c.assigned(7).is_empty());
    }

    #[test]
    fn progress_counts_the_weeks_practice_against_its_assignment() {
        let box_breathing = Assigned { practice: "breathing-box".into(), minutes: 3, days: 5, per_day: 1 };
        let c = course("2026-11-30", vec![Week { week: 1, practices: vec![box_breathing.clone()] }]);
        let entry_on = |day: i64| Practised {
            practice: stille_practice::PracticeId::parse("breathing-box").expect("in the catalog"),
            // 12:00 UTC on 2026-11-30 + day.
            started_at_ms: 1_796_040_000_000 + day * 86_400_000,
            utc_offset_minutes: 60,
            ms: 180_000,
        };
        let progress = c.progress(1, &[entry_on(0), entry_on(1), entry_on(1)]);
        assert_eq!(progress, vec![(box_breathing, 2, 5)], "two days, however many times a day");
        assert!(c.progress(2, &[]).is_empty(), "no assignment in week 2");
    }

    #[test]
    fn the_kept_copy_reads_back_with_its_weeks() {
        let c = course("2026-11-30", vec![Week { week: 1, practices: Vec::new() }]);
        let json = serde_json::to_string(&vec![c.clone()]).expect("serialises");
        assert!(json.contains("\"role\":\"participant\"") && json.contains("\"weeks\""), "{json}");
        assert_eq!(serde_json::from_str::<Vec<Course>>(&json).expect("reads"), vec![c]);
        assert!(!shares_reflections(&[course("2026-11-30", Vec::new())]));
    }

    #[test]
    fn a_note_is_shared_with_the_courses_that_read_reflections_only() {
        let mut reads = course("2026-11-30", Vec::new());
        reads.joined.id = "reads".into();
        reads.joined.consent.reflections = true;
        let mut other = course("2026-11-30", Vec::new());
        other.joined.id = "does-not".into();
        let courses = [reads, other];
        assert!(shares_reflections(&courses));
        assert_eq!(reflection_readers(&courses), vec!["reads".to_owned()]);
    }

    #[test]
    fn a_course_asks_its_questionnaires_until_they_are_answered_in_the_window() {
        let mut c = course("2026-11-30", Vec::new());
        c.joined.measures =
            MeasurePlan { instruments: vec!["who-5".into(), "pss-10".into()], weeks: vec![0, 8] };
        c.joined.joined_at_ms = 1_000;
        let both = vec!["who-5".to_owned(), "pss-10".to_owned()];
        // Before the start and in week 1: week 0's questionnaires.
        assert_eq!(c.asks(date(2026, 11, 20), &[]), Some((0, both.clone())));
        assert_eq!(c.asks(date(2026, 12, 6), &[]), Some((0, both.clone())));
        // Weeks 2 to 7: nothing; week 8 (from 18 January) for two weeks.
        assert_eq!(c.asks(date(2026, 12, 7), &[]), None);
        assert_eq!(c.asks(date(2027, 1, 18), &[]), Some((8, both.clone())));
        assert_eq!(c.asks(date(2027, 2, 1), &[]), None);
        // WHO-5 answered in week 1: only PSS-10 is still asked.
        let answered = vec![("who-5".to_owned(), date(2026, 12, 1), 5_000)];
        assert_eq!(c.asks(date(2026, 12, 2), &answered), Some((0, vec!["pss-10".to_owned()])));
        // That answer is not week 8's, and one from before joining is not the course's.
        assert_eq!(c.asks(date(2027, 1, 20), &answered), Some((8, both.clone())));
        let before_joining = vec![("who-5".to_owned(), date(2026, 11, 1), 500)];
        assert_eq!(c.asks(date(2026, 12, 2), &before_joining), Some((0, both)));
        // A course without questionnaires asks nothing.
        assert_eq!(course("2026-11-30", Vec::new()).asks(date(2026, 11, 20), &[]), None);
    }
}

//! Course messages in the app: the participant's (on home, each marked read
//! with a tap) and the instructor's (written on the course's page, with how
//! many have read each). The server keeps them; the words around them are
//! worked out here.

use stille_practice::Lang;
use stille_practice::api::{CourseMessage, CourseMessages, NewMessage, SentMessage, SentMessages};

use crate::api::{self, ApiError, NO_BODY};
use crate::format::{date_text, local_day};

/// The messages of the courses you are in, newest first.
pub async fn mine() -> Result<Vec<CourseMessage>, ApiError> {
    Ok(api::get::<CourseMessages>("/api/messages".to_owned()).await?.messages)
}

/// Tells the server you have read message `id`.
pub async fn mark_read(id: &str) -> Result<(), ApiError> {
    api::request::<()>("PUT", &format!("/api/messages/{id}/read"), NO_BODY).await
}

/// Sends `text` to the participants of course `course`.
pub async fn send(course: &str, text: &str) -> Result<SentMessage, ApiError> {
    let form = NewMessage { text: text.to_owned() };
    api::request("POST", &format!("/api/courses/{course}/messages"), Some(&form)).await
}

/// The messages sent to course `course`, newest first, with read counts.
pub async fn sent(course: String) -> Result<Vec<SentMessage>, ApiError> {
    Ok(api::get::<SentMessages>(format!("/api/courses/{course}/messages")).await?.messages)
}

/// Takes message `id` of course `course` back.
pub async fn take_back(course: &str, id: &str) -> Result<(), ApiError> {
    api::request::<()>("DELETE", &format!("/api/courses/{course}/messages/{id}"), NO_BODY).await
}

/// Those not yet read, and those read, each newest first.
pub fn by_read(messages: &[CourseMessage]) -> (Vec<CourseMessage>, Vec<CourseMessage>) {
    messages.iter().cloned().partition(|m| !m.read)
}

/// `messages` with `id` marked read.
pub fn with_read(messages: &[CourseMessage], id: &str) -> Vec<CourseMessage> {
    messages.iter().cloned().map(|m| if m.id == id { CourseMessage { read: true, ..m } } else { m }).collect()
}

/// Who wrote it, in which course, on which day: "Birgit · MSC forår ·
/// 3. december 2026".
pub fn byline(message: &CourseMessage, utc_offset_minutes: i16, lang: Lang) -> String {
    let day = date_text(local_day(message.sent_at_ms, utc_offset_minutes), lang);
    format!("{} · {} · {day}", message.from, message.course_title)
}

/// "Læst af 2 af 12" / "Read by 2 of 12".
pub fn read_count(message: &SentMessage, lang: Lang) -> String {
    let (read, of) = (message.read, message.participants);
    match lang {
        Lang::Da => format!("Læst af {read} af {of}"),
        Lang::En => format!("Read by {read} of {of}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(id: &str, read: bool) -> CourseMessage {
        CourseMessage {
            id: id.into(),
            course_id: "c".into(),
            course_title: "MSC forår".into(),
            from: "Birgit".into(),
            text: "Vi ses i lokale 2.".into(),
            // 2026-12-03 23:30 UTC: already the 4th in Copenhagen.
            sent_at_ms: 1_796_340_600_000,
            read,
        }
    }

    #[test]
    fn unread_messages_come_apart_from_read_ones_and_a_tap_moves_one_over() {
        let all = vec![message("a", false), message("b", true), message("c", false)];
        let (unread, read) = by_read(&all);
        assert_eq!(unread.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["a", "c"]);
        assert_eq!(read.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["b"]);
        let (unread, read) = by_read(&with_read(&all, "c"));
        assert_eq!((unread.len(), read.len()), (1, 2));
    }

    #[test]
    fn the_byline_and_the_count_read_as_people_say_them() {
        assert_eq!(byline(&message("a", false), 60, Lang::Da), "Birgit · MSC forår · 4. december 2026");
        assert_eq!(byline(&message("a", false), 0, Lang::En), "Birgit · MSC forår · 3 December 2026");
        let sent = SentMessage { id: "a".into(), text: "x".into(), sent_at_ms: 0, read: 1, participants: 12 };
        assert_eq!(read_count(&sent, Lang::Da), "Læst af 1 af 12");
        assert_eq!(read_count(&sent, Lang::En), "Read by 1 of 12");
    }
}

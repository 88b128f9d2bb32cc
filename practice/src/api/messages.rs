//! Course messages: a few lines from an instructor to the group ("we meet in
//! room 2 on Thursday"). Participants read them on home and mark each read;
//! the instructor sees how many have read it, never who.

use serde::{Deserialize, Serialize};

use super::{FieldError, HIDDEN};

/// The longest message, in characters: a note, not a letter.
pub const MAX_MESSAGE_CHARS: usize = 600;

/// The most lines in a message.
pub const MAX_MESSAGE_LINES: usize = 12;

/// [`NewMessage::check`]'s characters as a regular expression (ECMA-262 and
/// Python alike): something besides white space, and nothing hidden but
/// line ends.
pub fn message_pattern() -> String {
    let class: String = HIDDEN
        .iter()
        .flat_map(|&(low, high)| {
            // Line ends are text here: C0 without \n and \r.
            if low == '\u{0000}' {
                vec![('\u{0000}', '\u{0009}'), ('\u{000B}', '\u{000C}'), ('\u{000E}', high)]
            } else {
                vec![(low, high)]
            }
        })
        .map(|(low, high)| format!("\\u{:04X}-\\u{:04X}", u32::from(low), u32::from(high)))
        .collect();
    format!("^[^{class}]*[^\\s{class}][^{class}]*$")
}

/// What an instructor writes to the group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMessage {
    /// 1–600 characters, at most 12 lines; nothing invisible.
    pub text: String,
}

impl NewMessage {
    /// The text as it is kept: line ends made `\n`, white space trimmed at
    /// both ends of the message and of each line.
    pub fn check(&self) -> Result<String, FieldError> {
        let text = self.text.replace("\r\n", "\n").replace('\r', "\n");
        let lines: Vec<&str> = text.trim().lines().map(str::trim_end).collect();
        let text = lines.join("\n");
        let chars = text.chars().count();
        if chars == 0 || chars > MAX_MESSAGE_CHARS {
            return Err(FieldError::new("text", format!("a message is 1–{MAX_MESSAGE_CHARS} characters")));
        }
        if lines.len() > MAX_MESSAGE_LINES {
            return Err(FieldError::new("text", format!("a message is at most {MAX_MESSAGE_LINES} lines")));
        }
        let hidden =
            text.chars().find(|c| *c != '\n' && HIDDEN.iter().any(|(low, high)| (*low..=*high).contains(c)));
        if let Some(c) = hidden {
            return Err(FieldError::new(
                "text",
                format!(
                    "the message contains an invisible or direction-changing character (U+{:04X}); type it \
                     again without it",
                    u32::from(c)
                ),
            ));
        }
        Ok(text)
    }
}

/// A message as the course's instructor sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentMessage {
    pub id: String,
    pub text: String,
    pub sent_at_ms: i64,
    /// How many of the course's participants have marked it read.
    pub read: i64,
    /// How many participants the course has now.
    pub participants: i64,
}

/// The course's messages, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentMessages {
    pub messages: Vec<SentMessage>,
}

/// A message as a participant sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CourseMessage {
    pub id: String,
    pub course_id: String,
    pub course_title: String,
    /// The instructor's display name.
    pub from: String,
    pub text: String,
    pub sent_at_ms: i64,
    /// Whether you have marked it read.
    pub read: bool,
}

/// Messages from the courses you are in, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CourseMessages {
    pub messages: Vec<CourseMessage>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<String, FieldError> {
        NewMessage { text: text.into() }.check()
    }

    #[test]
    fn a_message_is_kept_tidy_and_refused_with_a_reason() {
        assert_eq!(
            check("  Vi ses i lokale 2 på torsdag.  ").as_deref(),
            Ok("Vi ses i lokale 2 på torsdag.")
        );
        assert_eq!(check("Hej alle\r\n\r\nHusk tæppet.  \r\n").as_deref(), Ok("Hej alle\n\nHusk tæppet."));
        assert_eq!(check("😊 ses").as_deref(), Ok("😊 ses"), "emoji with joiners are text");
        for (bad, says) in [
            ("", "1–600"),
            ("   \n  ", "1–600"),
            ("a\u{202E}b", "U+202E"),
            ("a\u{200B}b", "U+200B"),
            ("a\tb", "U+0009"),
        ] {
            let error = check(bad).expect_err(bad);
            assert_eq!(error.field, "text");
            assert!(error.message.contains(says), "{bad:?}: {}", error.message);
        }
        assert!(check(&"å".repeat(MAX_MESSAGE_CHARS)).is_ok());
        assert!(check(&"å".repeat(MAX_MESSAGE_CHARS + 1)).is_err());
        assert!(check(&["linje"; MAX_MESSAGE_LINES].join("\n")).is_ok());
        assert!(check(&["linje"; MAX_MESSAGE_LINES + 1].join("\n")).is_err());
        let pattern = message_pattern();
        assert!(pattern.starts_with("^[^\\u0000-\\u0009\\u000B-\\u000C\\u000E-\\u001F"), "{pattern}");
    }
}

//! The HTTP contract between the app and the server: every request body and
//! every answer of `/api`, written once and used by both sides (the server's
//! handlers and OpenAPI document, the app's calls), so that a change on one
//! side that the other does not follow is a compile error, not a field
//! silently missing in the field.
//!
//! Rules every type here keeps:
//! - A request (what a client sends) refuses unknown fields: a typo is an
//!   error that names the field, not a setting quietly ignored.
//! - An answer (what the server sends) never does: an app that is a version
//!   behind must still read a newer server's answers. Its optional fields are
//!   `#[serde(default)]`, so what the server writes reads back the same.
//! - A type used both ways (`Consent`, `Assigned`) is a request first: it
//!   refuses unknown fields, and adding one is a protocol change.
//! - Changing a field breaks clients in the field: add optional fields only.
//!
//! The sync protocol's types are in [`crate::sync`] (re-exported here); the
//! records it carries in [`crate::log`] and [`crate::journal`].

mod accounts;
mod courses;
mod messages;
mod outcomes;
mod push;
mod recordings;
mod reports;

pub use accounts::{
    AccountCreated, CheckEmail, ConfirmSignUp, CurrentSession, ERASE_PHRASE, Erase, Health, InstructorInvite,
    LastReset, LogIn, LoggedIn, Me, MeChange, NewInstructorInvite, Passkey, PasskeyCreation, PasskeyNew,
    PasskeyRequest, PasskeySignIn, PasskeyStart, PasswordChange, PasswordReset, ResetBy, ResetLink,
    ResetRequest, Role, SessionInfo, Sessions, SignUp, TwoStep, TwoStepConfirm, TwoStepSetup, TwoStepStart,
    User,
};
pub use courses::{
    Assigned, Consent, ConsentChange, CourseChange, CourseView, Courses, DEFAULT_CAPACITY, Invite, JoinCode,
    JoinForm, JoinPreview, Joined, MAX_CAPACITY, MAX_CONTACT, MAX_PER_WEEK, MAX_WEEKS, Meetings, Member,
    Members, NewCourse, NewInvite, RetreatDay, Teaching, Week, WeekForm, Weeks,
};
pub use messages::{
    CourseMessage, CourseMessages, MAX_MESSAGE_CHARS, MAX_MESSAGE_LINES, NewMessage, SentMessage,
    SentMessages, message_pattern,
};
pub use outcomes::{
    ChangeFigures, Individual, IndividualScore, InstrumentResults, MeasurePlan, Outcomes, PointChange,
    PointResult, PracticeWeek, Spread,
};
pub use push::{
    MAX_ENDPOINT, MAX_REMINDERS, PushKey, Quiet, ReminderTime, Reminders, Subscription, SubscriptionKeys,
    Unsubscribe, minute_of_day,
};
pub use recordings::{MAX_CUE_MS, MAX_TITLE as MAX_RECORDING_TITLE, Recording, RecordingChange, Recordings};
pub use reports::{CheckIns, ParticipantReport, Report, SharedReflection, WeekReport};

pub use crate::sync::{
    Change, Kind, Outcome, PullResponse, Push, PushResponse, PushResult, Record, RecordError,
};

use serde::{Deserialize, Serialize};

/// Every 4xx and 5xx answer of the API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Machine-readable: what kind of problem (clients decide what to say by this, not by the status).
    pub code: ErrorCode,
    /// For people: what is wrong and how to fix it.
    pub message: String,
    /// The JSON path of the field at fault (`records[3].id`), when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// What kind of problem an error answer reports. Each has one HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ErrorCode {
    /// 400: the body is not JSON, or not the JSON this endpoint reads.
    Malformed,
    /// 422: well-formed, but a value is not acceptable (`field` says which).
    Invalid,
    /// 401: no session, or an ended one.
    Unauthenticated,
    /// 403: logged in, but this account may not do this.
    Forbidden,
    /// 404: no such thing, or not yours to see.
    NotFound,
    /// 405: the path exists but not with this method (`Allow` lists those it has).
    MethodNotAllowed,
    /// 409: the thing is in a state that does not allow it (taken, full, closed).
    Conflict,
    /// 429: too many attempts; `Retry-After` says when to try again.
    TooManyRequests,
    /// 403: an instructor's session that was not signed in with two steps
    /// (set it up under the account, or sign in again with a code).
    TwoStepRequired,
    /// 413: the body is too large.
    TooLarge,
    /// 415: not sent as JSON (or, for an upload, not as a sound file).
    UnsupportedMediaType,
    /// 416: a byte range outside the file (`Content-Range` gives its size).
    RangeNotSatisfiable,
    /// 503: the server cannot serve now (its database does not answer, it is
    /// busy, or the request took too long); `Retry-After` may say when to try again.
    Unavailable,
    /// 500: the server failed; details are in its log, never in the answer.
    Internal,
    /// A code this version does not know (a newer server's).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Its HTTP status.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::Malformed => 400,
            ErrorCode::Invalid => 422,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Conflict => 409,
            ErrorCode::TooManyRequests => 429,
            ErrorCode::TwoStepRequired => 403,
            ErrorCode::TooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RangeNotSatisfiable => 416,
            ErrorCode::Unavailable => 503,
            ErrorCode::Internal | ErrorCode::Unknown => 500,
        }
    }
}

/// A value a request may not carry, found by a check both sides can run
/// (the server answers it as `invalid` with this field; the app can say it
/// before sending).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The JSON path of the field (`practices[2].minutes`).
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), message: message.into() }
    }
}

/// Characters that would make a name or title show something other than
/// what it says, as inclusive ranges: control characters, direction
/// overrides and isolates (which can reverse what follows in the
/// instructor's list), zero-width and other invisible characters (which make
/// two names look alike, or a name look empty). Joiners (U+200C, U+200D) are
/// allowed: scripts and emoji need them. The OpenAPI document states the
/// same set as a pattern ([`one_line_pattern`]).
pub const HIDDEN: &[(char, char)] = &[
    ('\u{0000}', '\u{001F}'), // C0 controls
    ('\u{007F}', '\u{009F}'), // DEL and C1 controls
    ('\u{00AD}', '\u{00AD}'), // soft hyphen
    ('\u{061C}', '\u{061C}'), // Arabic letter mark
    ('\u{115F}', '\u{1160}'), // Hangul fillers
    ('\u{180E}', '\u{180E}'), // Mongolian vowel separator
    ('\u{200B}', '\u{200B}'), // zero-width space
    ('\u{200E}', '\u{200F}'), // left-to-right and right-to-left marks
    ('\u{202A}', '\u{202E}'), // embeddings and overrides
    ('\u{2060}', '\u{2064}'), // word joiner, invisible operators
    ('\u{2066}', '\u{206F}'), // isolates, deprecated format characters
    ('\u{3164}', '\u{3164}'), // Hangul filler
    ('\u{FEFF}', '\u{FEFF}'), // zero-width no-break space
    ('\u{FFA0}', '\u{FFA0}'), // halfwidth Hangul filler
    ('\u{FFF9}', '\u{FFFB}'), // interlinear annotation
];

/// The first character of `text` in [`HIDDEN`], if any.
pub fn hidden_char(text: &str) -> Option<char> {
    text.chars().find(|c| HIDDEN.iter().any(|(low, high)| (*low..=*high).contains(c)))
}

/// [`one_line`]'s rule as a regular expression (ECMA-262 and Python alike):
/// no hidden character anywhere, and no white space at either end.
pub fn one_line_pattern() -> String {
    let class: String = HIDDEN
        .iter()
        .map(|(low, high)| format!("\\u{:04X}-\\u{:04X}", u32::from(*low), u32::from(*high)))
        .collect();
    format!("^[^\\s{class}](?:[^{class}]*[^\\s{class}])?$")
}

/// A one-line text typed by a person (a display name, a course title):
/// trimmed, 1 to `max_chars` characters, nothing hidden ([`hidden_char`]).
pub fn one_line(field: &str, text: &str, max_chars: usize, what: &str) -> Result<String, FieldError> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 || chars > max_chars {
        return Err(FieldError::new(field, format!("{what} is 1–{max_chars} characters")));
    }
    if let Some(c) = hidden_char(text) {
        return Err(FieldError::new(
            field,
            format!(
                "{what} contains an invisible or direction-changing character (U+{:04X}); type it again \
                 without it, on one line",
                u32::from(c)
            ),
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests;

//! What to tell a person when a call to the server did not work: decided by
//! the server's machine-readable `code` (and the field it names), never by
//! the HTTP status, so a proxy or a new status cannot change what is said.
//! Each screen's calls have their own words for the same code: a conflict
//! when signing up is a taken email, when joining a full or closed course.

use stille_practice::api::ErrorCode;

use crate::account::SignInError;
use crate::api::ApiError;
use crate::i18n::Key;

/// Signing up, signing in or out.
pub fn account(error: &ApiError) -> Key {
    match error {
        ApiError::Network(_) => Key::AccountOffline,
        ApiError::Refused { code, field, .. } => match (code, field.as_deref()) {
            (ErrorCode::Unauthenticated, _) => Key::AccountWrongPassword,
            (ErrorCode::Conflict, _) => Key::AccountEmailTaken,
            (ErrorCode::TooManyRequests, _) => Key::AccountTooMany,
            (ErrorCode::Invalid, Some("email")) => Key::AccountEmailInvalid,
            (ErrorCode::Invalid, Some("one_time_code")) => Key::AccountCodeWrong,
            (ErrorCode::Invalid, Some("password")) => Key::AccountPasswordRule,
            (ErrorCode::Invalid, Some("display_name")) => Key::AccountNameRule,
            _ => Key::AccountFailed,
        },
        ApiError::Unreadable(_) => Key::AccountFailed,
    }
}

/// Signing in or up, including a sign-in the browser did not keep.
pub fn sign_in(error: &SignInError) -> Key {
    match error {
        SignInError::NotKept => Key::AccountNotKept,
        SignInError::Api(error) => account(error),
    }
}

/// Looking up an invite or joining a course.
pub fn join(error: &ApiError) -> Key {
    match error.code() {
        None if matches!(error, ApiError::Network(_)) => Key::AccountOffline,
        Some(ErrorCode::NotFound) => Key::JoinNoCourse,
        Some(ErrorCode::Conflict) => Key::JoinConflict,
        Some(ErrorCode::TooManyRequests) => Key::AccountTooMany,
        Some(ErrorCode::Unauthenticated) => Key::JoinSignIn,
        _ => Key::AccountFailed,
    }
}

/// An instructor's calls (courses, invites, the report, the home practice):
/// a known situation in the user's words, else the server's own explanation
/// (it says what is wrong with what was sent, e.g. a week's practice).
pub fn teaching(error: &ApiError) -> Result<Key, String> {
    match error.code() {
        None if matches!(error, ApiError::Network(_)) => Ok(Key::AccountOffline),
        Some(ErrorCode::Unauthenticated) => Ok(Key::SyncSignInAgain),
        Some(ErrorCode::Forbidden) => Ok(Key::TeachOnlyInstructors),
        Some(ErrorCode::TwoStepRequired) => Ok(Key::TeachTwoStepNeeded),
        Some(ErrorCode::NotFound) => Ok(Key::TeachNoSuchCourse),
        _ => Err(error.to_string()),
    }
}

/// Managing one's account once signed in: the name, the password, the
/// sessions, erasing; and choosing a password with a reset link.
pub fn manage(error: &ApiError) -> Key {
    match error {
        ApiError::Network(_) => Key::AccountOffline,
        ApiError::Refused { code, field, .. } => match (code, field.as_deref()) {
            (ErrorCode::Invalid, Some("current_password" | "password")) => Key::ManageCurrentWrong,
            (ErrorCode::Invalid, Some("one_time_code")) => Key::AccountCodeWrong,
            (ErrorCode::Invalid, Some("new_password")) => Key::AccountPasswordRule,
            (ErrorCode::Invalid, Some("display_name")) => Key::AccountNameRule,
            (ErrorCode::NotFound, _) => Key::ResetLinkInvalid,
            (ErrorCode::Unauthenticated, _) => Key::SyncSignInAgain,
            (ErrorCode::TooManyRequests, _) => Key::AccountTooMany,
            _ => Key::AccountFailed,
        },
        ApiError::Unreadable(_) => Key::AccountFailed,
    }
}

/// An upload of a recording refused: what to say, and the server's own
/// explanation when it is the one that helps (what is wrong with the file).
pub fn recording(error: &ApiError) -> (Key, Option<String>) {
    match error.code() {
        Some(ErrorCode::Invalid) => (Key::TeachRecordingBad, Some(error.to_string())),
        Some(ErrorCode::TooLarge) => (Key::TeachRecordingTooLarge, Some(error.to_string())),
        Some(ErrorCode::UnsupportedMediaType) => (Key::TeachRecordingType, None),
        Some(ErrorCode::Unavailable) => (Key::TeachRecordingNoServer, None),
        _ => match teaching(error) {
            Ok(key) => (key, None),
            Err(message) => (Key::AccountFailed, Some(message)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(code: ErrorCode, field: Option<&str>) -> ApiError {
        ApiError::Refused { code, message: "why".into(), field: field.map(str::to_owned) }
    }

    #[test]
    fn a_refused_recording_says_why_with_the_servers_reason_where_it_helps() {
        let damaged = refused(ErrorCode::Invalid, Some("body"));
        assert_eq!(recording(&damaged), (Key::TeachRecordingBad, Some("why".to_owned())));
        assert_eq!(
            recording(&refused(ErrorCode::UnsupportedMediaType, None)),
            (Key::TeachRecordingType, None)
        );
        assert_eq!(recording(&refused(ErrorCode::TooLarge, None)).0, Key::TeachRecordingTooLarge);
        assert_eq!(recording(&ApiError::Network("offline".into())), (Key::AccountOffline, None));
    }

    #[test]
    fn the_same_code_says_what_fits_the_screen() {
        let conflict = refused(ErrorCode::Conflict, None);
        assert_eq!(account(&conflict), Key::AccountEmailTaken);
        assert_eq!(join(&conflict), Key::JoinConflict);
        assert_eq!(teaching(&conflict), Err("why".to_owned()));
    }

    #[test]
    fn a_refused_field_is_named_in_plain_words() {
        assert_eq!(account(&refused(ErrorCode::Invalid, Some("password"))), Key::AccountPasswordRule);
        assert_eq!(account(&refused(ErrorCode::Invalid, Some("email"))), Key::AccountEmailInvalid);
        assert_eq!(account(&refused(ErrorCode::Invalid, Some("display_name"))), Key::AccountNameRule);
        assert_eq!(account(&refused(ErrorCode::Invalid, Some("other"))), Key::AccountFailed);
        assert_eq!(sign_in(&SignInError::NotKept), Key::AccountNotKept);
        assert_eq!(
            sign_in(&SignInError::Api(refused(ErrorCode::Unauthenticated, None))),
            Key::AccountWrongPassword
        );
    }

    #[test]
    fn managing_an_account_names_which_password_was_wrong() {
        assert_eq!(manage(&refused(ErrorCode::Invalid, Some("current_password"))), Key::ManageCurrentWrong);
        assert_eq!(manage(&refused(ErrorCode::Invalid, Some("password"))), Key::ManageCurrentWrong, "erase");
        assert_eq!(manage(&refused(ErrorCode::Invalid, Some("new_password"))), Key::AccountPasswordRule);
        assert_eq!(manage(&refused(ErrorCode::NotFound, None)), Key::ResetLinkInvalid);
        assert_eq!(manage(&refused(ErrorCode::Unauthenticated, None)), Key::SyncSignInAgain);
        assert_eq!(manage(&ApiError::Network("down".into())), Key::AccountOffline);
    }

    #[test]
    fn no_answer_is_offline_and_an_unknown_code_is_a_plain_failure() {
        let offline = ApiError::Network("no route".into());
        assert_eq!(account(&offline), Key::AccountOffline);
        assert_eq!(join(&offline), Key::AccountOffline);
        assert_eq!(teaching(&offline), Ok(Key::AccountOffline));
        assert_eq!(account(&refused(ErrorCode::Unknown, None)), Key::AccountFailed);
        assert_eq!(join(&ApiError::Unreadable("?".into())), Key::AccountFailed);
        assert_eq!(join(&refused(ErrorCode::NotFound, None)), Key::JoinNoCourse);
        assert_eq!(teaching(&refused(ErrorCode::Forbidden, None)), Ok(Key::TeachOnlyInstructors));
    }
}

//! Accounts and sessions: sign-up, log-in, who is logged in, erase, and the
//! invites that make instructors.

use serde::{Deserialize, Serialize};

/// What an account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Practises, joins courses.
    Participant,
    /// Also runs courses.
    Instructor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Participant => "participant",
            Role::Instructor => "instructor",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        [Role::Participant, Role::Instructor].into_iter().find(|r| r.as_str() == text)
    }
}

/// An account, as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: String,
    pub email: String,
    pub role: Role,
    /// The name a course's instructor sees.
    pub display_name: String,
}

impl User {
    pub fn is_instructor(&self) -> bool {
        self.role == Role::Instructor
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignUp {
    /// Used to log in; never shown to instructors.
    pub email: String,
    /// 8–128 characters, not among the most common passwords.
    pub password: String,
    /// The name your course's instructor sees: 1–60 characters.
    pub display_name: String,
    /// An instructor invite code, to sign up as an instructor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructor_invite: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountCreated {
    pub user: User,
}

/// On a server that sends mail, the answer to a sign-up or to a forgotten
/// password: if the address can be served, a link is on its way to it. The
/// answer is the same whether or not the address has an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckEmail {
    /// The address the link goes to, as the server reads it.
    pub email: String,
    /// How long the link works, in seconds.
    pub valid_for_s: u64,
}

/// Finishing a sign-up with the link mailed to its address
/// (`POST /api/accounts/confirm`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmSignUp {
    /// The secret from the link's fragment (after `/welcome#`).
    pub token: String,
}

/// Asking for a reset link by mail (`POST /api/password-resets`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetRequest {
    /// The account's email.
    pub email: String,
}

/// Whether the server and its database answer (`GET /api/health`), and what
/// it offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// "ok".
    pub status: String,
    pub version: String,
    /// "sqlite" or "postgres".
    pub database: String,
    /// Whether it mails links: sign-ups are confirmed by mail, and a
    /// forgotten password can be reset by mail.
    #[serde(default)]
    pub sends_mail: bool,
    /// Whether it takes recordings (it has ffmpeg to check and convert them).
    #[serde(default)]
    pub takes_recordings: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogIn {
    pub email: String,
    pub password: String,
    /// true: answer with a bearer token (native clients) instead of setting
    /// the session cookie (the web app).
    #[serde(default, skip_serializing_if = "is_false")]
    pub token: bool,
    /// For an account with two-step sign-in: the six digits the
    /// authenticator app shows. Without it such an account is answered 422
    /// with field `one_time_code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_time_code: Option<String>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoggedIn {
    pub user: User,
    /// For cookie sessions: send it as `X-CSRF-Token` with every write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
    /// For token sessions: send it as `Authorization: Bearer …`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// A session unused this long ends.
    pub idle_timeout_s: u64,
    /// No session lasts longer than this.
    pub absolute_timeout_s: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: User,
    /// For cookie sessions: the token to send as `X-CSRF-Token` with writes
    /// (null for bearer sessions).
    #[serde(default)]
    pub csrf_token: Option<String>,
    /// The last time the password was set with a reset link, if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reset: Option<LastReset>,
    /// Two-step sign-in: on or not, this session, and whether it is needed.
    #[serde(default)]
    pub two_step: TwoStep,
}

/// Two-step sign-in as `GET /api/me` tells it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoStep {
    /// The account signs in with a code from an authenticator app.
    pub on: bool,
    /// This session was signed in with a code (or set it up).
    pub this_session: bool,
    /// This account must use it to teach (instructors, by default).
    pub required: bool,
}

/// Starting two-step sign-in (`POST /api/me/two-step`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoStepStart {
    /// The account's password.
    pub password: String,
}

/// The secret for the authenticator app: as text (base32) and as the link a
/// QR code carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoStepSetup {
    pub secret: String,
    /// `otpauth://totp/…`, for a QR code.
    pub uri: String,
}

/// A code from the authenticator app that turns two-step sign-in on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoStepConfirm {
    /// Six digits.
    pub one_time_code: String,
}

/// The caller's session, if there is one (`GET /api/sessions/current`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CurrentSession {
    /// Null when the request carries no live session.
    #[serde(default)]
    pub user: Option<User>,
    /// For cookie sessions: the token to send as `X-CSRF-Token` with writes.
    #[serde(default)]
    pub csrf_token: Option<String>,
}

/// The phrase that confirms an erase.
pub const ERASE_PHRASE: &str = "erase my account";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Erase {
    pub password: String,
    /// Must be exactly "erase my account".
    pub confirm: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInstructorInvite {
    /// How many days the code works: 1–30 (default 7).
    #[serde(default = "seven")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 30))]
    pub valid_days: u16,
}

fn seven() -> u16 {
    7
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstructorInvite {
    /// Give it to the new instructor; it works once.
    pub code: String,
    pub expires_at_ms: i64,
}

/// A change to one's own account (`PATCH /api/me`): only what is given changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeChange {
    /// The name your course's instructor sees: 1–60 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// A new password for the signed-in account (`PUT /api/me/password`); every
/// other session of the account ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    pub current_password: String,
    /// 8–128 characters, not among the most common passwords.
    pub new_password: String,
}

/// One of the account's sessions: a phone or browser signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    /// An id for ending it (not the session's secret).
    pub id: String,
    pub created_at_ms: i64,
    pub last_seen_ms: i64,
    /// What signed in, in a few words ("Safari · iPhone"), from its User-Agent.
    pub device: String,
    /// The session this request was made with.
    pub current: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sessions {
    /// The newest first.
    pub sessions: Vec<SessionInfo>,
}

/// A one-time link that lets a person choose a new password. The secret is
/// in the fragment (after `#`), which browsers never send to a server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetLink {
    /// `/reset#…`, to open on this server.
    pub path: String,
    pub expires_at_ms: i64,
}

/// A new password chosen with a reset link (`POST /api/password-resets/complete`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    /// The secret from the link's fragment.
    pub token: String,
    /// 8–128 characters, not among the most common passwords.
    pub new_password: String,
}

/// When the account's password was last set with a reset link, and by whose
/// link: shown to the account's owner, so a reset they did not ask for is seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LastReset {
    pub at_ms: i64,
    /// "instructor" (with their name), "admin" or "email".
    pub by: ResetBy,
    /// The instructor's display name, when an instructor made the link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructor: Option<String>,
}

/// Who made the reset link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ResetBy {
    Instructor,
    Admin,
    Email,
}

impl ResetBy {
    pub fn as_str(self) -> &'static str {
        match self {
            ResetBy::Instructor => "instructor",
            ResetBy::Admin => "admin",
            ResetBy::Email => "email",
        }
    }

    pub fn parse(text: &str) -> Option<ResetBy> {
        [ResetBy::Instructor, ResetBy::Admin, ResetBy::Email].into_iter().find(|r| r.as_str() == text)
    }
}

/// Start adding a passkey to one's account (`POST /api/me/passkeys/challenge`):
/// the password again, as for two-step sign-in, so a stolen session cannot
/// tie the account to a thief's device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyStart {
    /// The account's password.
    pub password: String,
}

/// What the browser needs to make a passkey (the fields of
/// `PublicKeyCredentialCreationOptions`, bytes as base64url), and the id of
/// the challenge to send back with the answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyCreation {
    pub challenge_id: String,
    /// base64url.
    pub challenge: String,
    /// The relying party id: the site's host name.
    pub rp_id: String,
    pub rp_name: String,
    /// The account's user handle (random, no personal data), base64url.
    pub user_id: String,
    /// What the passkey is saved under on the device: the account's email.
    pub user_name: String,
    pub user_display_name: String,
    /// COSE algorithms accepted, in order of preference (-7: ES256).
    pub algorithms: Vec<i64>,
    /// The account's passkeys already made (base64url ids), so a device
    /// does not make a second one.
    pub exclude: Vec<String>,
    /// How long the browser may wait for the person, in milliseconds.
    pub timeout_ms: u32,
}

/// A passkey just made by the browser (`POST /api/me/passkeys`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyNew {
    /// From [`PasskeyCreation`].
    pub challenge_id: String,
    /// A name to know it by ("Ida's iPhone"), 1–80 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub name: String,
    /// `response.clientDataJSON`, base64url.
    pub client_data_json: String,
    /// `response.attestationObject`, base64url.
    pub attestation_object: String,
}

/// One of the account's passkeys (`GET /api/me/passkeys`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Passkey {
    pub id: String,
    pub name: String,
    pub created_at_ms: i64,
    #[serde(default)]
    pub last_used_ms: Option<i64>,
    /// Synced to the person's other devices by their password manager.
    pub synced: bool,
}

/// What the browser needs to sign in with a passkey
/// (`PublicKeyCredentialRequestOptions`, bytes as base64url); no account
/// is named: the device offers the passkeys it has for this site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyRequest {
    pub challenge_id: String,
    /// base64url.
    pub challenge: String,
    pub rp_id: String,
    pub timeout_ms: u32,
}

/// A passkey's answer to a sign-in challenge (`POST /api/sessions/passkey`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeySignIn {
    /// From [`PasskeyRequest`].
    pub challenge_id: String,
    /// The credential's `rawId`, base64url.
    pub credential_id: String,
    /// `response.clientDataJSON`, base64url.
    pub client_data_json: String,
    /// `response.authenticatorData`, base64url.
    pub authenticator_data: String,
    /// `response.signature`, base64url.
    pub signature: String,
    /// `response.userHandle`, base64url, when the device gives one.
    #[serde(default)]
    pub user_handle: Option<String>,
    /// True: answer with a bearer token instead of setting a cookie.
    #[serde(default)]
    pub token: bool,
}

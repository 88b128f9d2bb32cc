//! The account on this device: who is signed in (asked of the server at
//! start; remembered for starts without a network), signing up, in and out.
//! The session itself is an HttpOnly cookie the app never sees; the CSRF token
//! that goes with it is kept in memory only.

use leptos::prelude::*;
use leptos::task::spawn_local;
pub use stille_practice::api::User;
use stille_practice::api::{
    AccountCreated, CheckEmail, ConfirmSignUp, CurrentSession, ERASE_PHRASE, Erase, ErrorCode, Health, LogIn,
    LoggedIn, Me, MeChange, PasswordChange, PasswordReset, ResetLink, ResetRequest, Sessions, SignUp,
    TwoStepConfirm, TwoStepSetup, TwoStepStart,
};

use crate::api::{self, ApiError, NO_BODY};
use crate::storage;

/// Who is remembered as signed in, for starts without a network.
const REMEMBERED: &str = "stille.account.v1";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Account {
    /// Asking the server (the first moments after start).
    Checking,
    SignedOut,
    /// `confirmed`: the server said so in this visit (false: remembered
    /// while the server could not be reached).
    SignedIn {
        user: User,
        confirmed: bool,
    },
}

impl Account {
    pub fn user(&self) -> Option<&User> {
        match self {
            Account::SignedIn { user, .. } => Some(user),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct UseAccount(pub RwSignal<Account>);

pub fn use_account() -> RwSignal<Account> {
    use_context::<UseAccount>().map(|a| a.0).unwrap_or_else(|| RwSignal::new(Account::SignedOut))
}

/// Provides the account signal and asks the server who is signed in.
pub fn provide() -> RwSignal<Account> {
    let account = RwSignal::new(Account::Checking);
    provide_context(UseAccount(account));
    spawn_local(async move {
        account.set(check().await);
    });
    account
}

/// Who the server says is signed in; without an answer, who was remembered.
/// Asked of `GET /api/sessions/current`, which answers a visitor without a
/// session too (no failed request in the console on a signed-out start).
pub async fn check() -> Account {
    match api::request::<CurrentSession>("GET", "/api/sessions/current", NO_BODY).await {
        Ok(CurrentSession { user: Some(user), csrf_token }) => {
            api::set_csrf(csrf_token);
            remember(Some(&user));
            Account::SignedIn { user, confirmed: true }
        }
        Err(ApiError::Network(_)) => match remembered() {
            Some(user) => Account::SignedIn { user, confirmed: false },
            None => Account::SignedOut,
        },
        // No session (or anything else): not signed in.
        Ok(CurrentSession { user: None, .. }) | Err(_) => {
            remember(None);
            Account::SignedOut
        }
    }
}

pub fn remembered() -> Option<User> {
    storage::load::<User>(REMEMBERED).unwrap_or_else(|error| {
        storage::warn(&error);
        None
    })
}

fn remember(user: Option<&User>) {
    match user {
        Some(user) => {
            if let Err(error) = storage::save(REMEMBERED, user) {
                storage::warn(&error);
            }
        }
        None => storage::remove(REMEMBERED),
    }
}

/// Why signing in did not hold.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The server accepted the password, but the browser did not keep the
    /// session cookie: the page is on plain http at an address other than this
    /// computer, where browsers refuse a secure cookie.
    #[error("the browser did not keep the sign-in (the connection is not secure)")]
    NotKept,
}

/// Signs in; the account signal follows. Afterwards asks the server again
/// whether the session arrived with the browser's cookie, so a sign-in the
/// browser did not keep is said at once, not discovered at the next reload.
pub async fn sign_in(account: RwSignal<Account>, email: &str, password: &str) -> Result<User, SignInError> {
    sign_in_with_code(account, email, password, None).await
}

/// Signs in with a code from the authenticator app as well (an account with
/// two-step sign-in is refused with field `one_time_code` without one).
pub async fn sign_in_with_code(
    account: RwSignal<Account>,
    email: &str,
    password: &str,
    one_time_code: Option<String>,
) -> Result<User, SignInError> {
    let form = LogIn { email: email.to_owned(), password: password.to_owned(), token: false, one_time_code };
    let answer: LoggedIn = api::request("POST", "/api/sessions", Some(&form)).await?;
    keep_sign_in(account, answer).await
}

/// After the server signed the person in (by password or passkey): checks
/// that the browser kept the session's cookie, then the account signal
/// follows.
pub(crate) async fn keep_sign_in(account: RwSignal<Account>, answer: LoggedIn) -> Result<User, SignInError> {
    match api::request::<CurrentSession>("GET", "/api/sessions/current", NO_BODY).await {
        Ok(CurrentSession { user: Some(_), .. }) => {}
        Ok(CurrentSession { user: None, .. }) => return Err(SignInError::NotKept),
        Err(error) => return Err(error.into()),
    }
    api::set_csrf(answer.csrf_token);
    remember(Some(&answer.user));
    account.set(Account::SignedIn { user: answer.user.clone(), confirmed: true });
    Ok(answer.user)
}

/// What a sign-up came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignedUp {
    /// The account is made and signed in.
    In(User),
    /// The server sends mail: the account is made when the mailed link is opened.
    CheckEmail(CheckEmail),
}

/// The answer to `POST /api/accounts`: the account (201), or "check your
/// email" (202) from a server that sends mail.
#[derive(serde::Deserialize)]
struct SignUpAnswer {
    #[serde(default)]
    user: Option<User>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    valid_for_s: Option<u64>,
}

/// Creates a participant account and signs in with it; on a server that
/// sends mail, asks for the link that makes it.
pub async fn sign_up(
    account: RwSignal<Account>,
    email: &str,
    password: &str,
    display_name: &str,
) -> Result<SignedUp, SignInError> {
    let form = SignUp {
        email: email.to_owned(),
        password: password.to_owned(),
        display_name: display_name.to_owned(),
        instructor_invite: None,
    };
    let answer: SignUpAnswer = api::request("POST", "/api/accounts", Some(&form)).await?;
    match answer {
        SignUpAnswer { user: Some(_), .. } => Ok(SignedUp::In(sign_in(account, email, password).await?)),
        SignUpAnswer { email: Some(email), valid_for_s: Some(valid_for_s), .. } => {
            Ok(SignedUp::CheckEmail(CheckEmail { email, valid_for_s }))
        }
        _ => {
            Err(ApiError::Unreadable("the sign-up answer has neither an account nor an address".into())
                .into())
        }
    }
}

/// Makes the account with the secret of a mailed sign-up link.
pub async fn confirm_sign_up(token: &str) -> Result<User, ApiError> {
    let form = ConfirmSignUp { token: token.to_owned() };
    let created: AccountCreated = api::request("POST", "/api/accounts/confirm", Some(&form)).await?;
    Ok(created.user)
}

/// Whether the server mails links (false when it cannot be asked).
pub async fn server_sends_mail() -> bool {
    api::get::<Health>("/api/health".to_owned()).await.is_ok_and(|health| health.sends_mail)
}

/// Asks the server to mail a reset link to `email` (it answers the same
/// whether or not the address has an account).
pub async fn request_reset(email: &str) -> Result<CheckEmail, ApiError> {
    let form = ResetRequest { email: email.to_owned() };
    api::request("POST", "/api/password-resets", Some(&form)).await
}

/// Ends the session on the server, then here.
pub async fn sign_out(account: RwSignal<Account>) -> Result<(), ApiError> {
    // A shared phone must not get the last person's reminders: the
    // subscription goes while the session can still say whose it is.
    if let Err(error) = crate::reminders::turn_off().await {
        leptos::logging::warn!("this phone's reminders could not be turned off before signing out: {error}");
    }
    match api::request::<()>("DELETE", "/api/sessions/current", NO_BODY).await {
        // Already ended on the server: signed out all the same.
        Ok(()) => {}
        Err(error) if error.code() == Some(ErrorCode::Unauthenticated) => {}
        Err(error) => return Err(error),
    }
    api::set_csrf(None);
    remember(None);
    account.set(Account::SignedOut);
    Ok(())
}

/// The account as the server has it now, with its last reset.
pub async fn me() -> Result<Me, ApiError> {
    api::request("GET", "/api/me", NO_BODY).await
}

/// A new display name; the account signal follows.
pub async fn rename(account: RwSignal<Account>, name: &str) -> Result<User, ApiError> {
    let change = MeChange { display_name: Some(name.trim().to_owned()) };
    let me: Me = api::request("PATCH", "/api/me", Some(&change)).await?;
    remember(Some(&me.user));
    account.set(Account::SignedIn { user: me.user.clone(), confirmed: true });
    Ok(me.user)
}

/// A new password; every other session of the account ends.
pub async fn change_password(current: &str, new: &str) -> Result<(), ApiError> {
    let form = PasswordChange { current_password: current.to_owned(), new_password: new.to_owned() };
    api::request("PUT", "/api/me/password", Some(&form)).await
}

/// The phones and browsers signed in, the most recently used first.
pub async fn sessions() -> Result<Sessions, ApiError> {
    api::request("GET", "/api/me/sessions", NO_BODY).await
}

/// Signs one session out.
pub async fn end_session(id: String) -> Result<(), ApiError> {
    api::request("DELETE", &format!("/api/me/sessions/{id}"), NO_BODY).await
}

/// Signs out every session but this one.
pub async fn end_other_sessions() -> Result<Sessions, ApiError> {
    api::request("POST", "/api/me/sessions/end-others", NO_BODY).await
}

/// Everything the server keeps about the account, as the JSON text to save.
pub async fn export() -> Result<String, ApiError> {
    let value: serde_json::Value = api::request("GET", "/api/me/export", NO_BODY).await?;
    serde_json::to_string_pretty(&value).map_err(|e| ApiError::Unreadable(e.to_string()))
}

/// Erases the account on the server; signed out here afterwards.
pub async fn erase(account: RwSignal<Account>, password: &str) -> Result<(), ApiError> {
    let form = Erase { password: password.to_owned(), confirm: ERASE_PHRASE.to_owned() };
    api::request::<()>("POST", "/api/me/erase", Some(&form)).await?;
    api::set_csrf(None);
    remember(None);
    account.set(Account::SignedOut);
    Ok(())
}

/// Starts setting up two-step sign-in (the password is needed).
pub async fn start_two_step(password: &str) -> Result<TwoStepSetup, ApiError> {
    let form = TwoStepStart { password: password.to_owned() };
    api::request("POST", "/api/me/two-step", Some(&form)).await
}

/// Turns two-step sign-in on with a code from the authenticator app.
pub async fn confirm_two_step(code: &str) -> Result<(), ApiError> {
    let form = TwoStepConfirm { one_time_code: code.trim().to_owned() };
    api::request("POST", "/api/me/two-step/confirm", Some(&form)).await
}

/// Sets a new password with the secret of a reset link.
pub async fn complete_reset(token: &str, new: &str) -> Result<(), ApiError> {
    let form = PasswordReset { token: token.to_owned(), new_password: new.to_owned() };
    api::request("POST", "/api/password-resets/complete", Some(&form)).await
}

/// A one-time reset link for a participant of `course` (instructors).
pub async fn member_reset_link(course: &str, user_id: &str) -> Result<ResetLink, ApiError> {
    api::request("POST", &format!("/api/courses/{course}/members/{user_id}/reset-link"), NO_BODY).await
}

//! The account on this device: who is signed in (asked of the server at
//! start; remembered for starts without a network), signing up, in and out.
//! The session itself is an HttpOnly cookie the app never sees; the CSRF token
//! that goes with it is kept in memory only.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiError, NO_BODY};
use crate::storage;

/// Who is remembered as signed in, for starts without a network.
const REMEMBERED: &str = "stille.account.v1";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    /// "participant" or "instructor".
    pub role: String,
    pub display_name: String,
}

impl User {
    pub fn is_instructor(&self) -> bool {
        self.role == "instructor"
    }
}

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

#[derive(Deserialize)]
struct Me {
    user: User,
    #[serde(default)]
    csrf_token: Option<String>,
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
pub async fn check() -> Account {
    match api::request::<Me>("GET", "/api/me", NO_BODY).await {
        Ok(me) => {
            api::set_csrf(me.csrf_token);
            remember(Some(&me.user));
            Account::SignedIn { user: me.user, confirmed: true }
        }
        Err(ApiError::Network(_)) => match remembered() {
            Some(user) => Account::SignedIn { user, confirmed: false },
            None => Account::SignedOut,
        },
        // 401 (no or expired session), or anything else: not signed in.
        Err(_) => {
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

#[derive(Serialize)]
struct LogIn<'a> {
    email: &'a str,
    password: &'a str,
}

#[derive(Deserialize)]
struct LoggedIn {
    user: User,
    #[serde(default)]
    csrf_token: Option<String>,
}

/// Signs in; the account signal follows.
pub async fn sign_in(account: RwSignal<Account>, email: &str, password: &str) -> Result<User, ApiError> {
    let answer: LoggedIn = api::request("POST", "/api/sessions", Some(&LogIn { email, password })).await?;
    api::set_csrf(answer.csrf_token);
    remember(Some(&answer.user));
    account.set(Account::SignedIn { user: answer.user.clone(), confirmed: true });
    Ok(answer.user)
}

#[derive(Serialize)]
struct SignUp<'a> {
    email: &'a str,
    password: &'a str,
    display_name: &'a str,
}

/// Creates a participant account and signs in with it.
pub async fn sign_up(
    account: RwSignal<Account>,
    email: &str,
    password: &str,
    display_name: &str,
) -> Result<User, ApiError> {
    let _: serde::de::IgnoredAny =
        api::request("POST", "/api/accounts", Some(&SignUp { email, password, display_name })).await?;
    sign_in(account, email, password).await
}

/// Ends the session on the server, then here.
pub async fn sign_out(account: RwSignal<Account>) -> Result<(), ApiError> {
    match api::request::<()>("DELETE", "/api/sessions/current", NO_BODY).await {
        // Already ended on the server: signed out all the same.
        Ok(()) | Err(ApiError::Refused { status: 401, .. }) => {}
        Err(error) => return Err(error),
    }
    api::set_csrf(None);
    remember(None);
    account.set(Account::SignedOut);
    Ok(())
}

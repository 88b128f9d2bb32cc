//! Who may open which screen, and where a sign-in leads back to. The
//! instructor's pages need an instructor; joining a course and the account's
//! own pages need an account; everything about practising needs nothing.

use crate::account::Account;

/// What a screen that needs something shows instead of itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Still asking the server who is signed in: show nothing yet.
    Checking,
    /// Sign in first; the link returns here afterwards.
    SignIn {
        link: String,
    },
    /// Signed in, but this account may not see it.
    NotAllowed,
    Open,
}

/// The instructor's pages (`/teach…`), for someone at `here`.
pub fn teaching(account: &Account, here: &str) -> Gate {
    match account {
        Account::Checking => Gate::Checking,
        Account::SignedOut => Gate::SignIn { link: sign_in_link(here) },
        Account::SignedIn { user, .. } if user.is_instructor() => Gate::Open,
        Account::SignedIn { .. } => Gate::NotAllowed,
    }
}

/// A screen that needs an account of any kind (joining a course).
pub fn signed_in(account: &Account, here: &str) -> Gate {
    match account {
        Account::Checking => Gate::Checking,
        Account::SignedOut => Gate::SignIn { link: sign_in_link(here) },
        Account::SignedIn { .. } => Gate::Open,
    }
}

/// The account page, returning to `here` after signing in.
pub fn sign_in_link(here: &str) -> String {
    format!("/account?next={}", next_path(Some(here.to_owned())))
}

/// Where to go after signing in: only a path inside the app (never another
/// site, `//evil.example` included), else the account page.
pub fn next_path(raw: Option<String>) -> String {
    raw.filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains('\\'))
        .unwrap_or_else(|| "/account".to_owned())
}

/// The secret of a one-time link (a reset, or finishing a sign-up) from the
/// page's fragment (`#…`, 43 URL-safe characters), if it is one.
pub fn link_secret(hash: &str) -> Option<String> {
    let secret = hash.strip_prefix('#')?.trim();
    (secret.len() == 43 && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| secret.to_owned())
}

#[cfg(test)]
mod tests {
    use stille_practice::api::{Role, User};

    use super::*;

    fn signed_in_as(role: Role) -> Account {
        let user = User { id: "u".into(), email: "e".into(), role, display_name: "Ida".into() };
        Account::SignedIn { user, confirmed: true }
    }

    #[test]
    fn only_instructors_see_the_teaching_pages() {
        assert_eq!(teaching(&Account::Checking, "/teach"), Gate::Checking);
        assert_eq!(
            teaching(&Account::SignedOut, "/teach/c1"),
            Gate::SignIn { link: "/account?next=/teach/c1".into() }
        );
        assert_eq!(teaching(&signed_in_as(Role::Participant), "/teach"), Gate::NotAllowed);
        assert_eq!(teaching(&signed_in_as(Role::Instructor), "/teach"), Gate::Open);
        assert_eq!(signed_in(&signed_in_as(Role::Participant), "/join/X"), Gate::Open);
    }

    #[test]
    fn a_sign_in_returns_only_to_a_page_of_the_app() {
        assert_eq!(next_path(Some("/join/ABCD".into())), "/join/ABCD");
        for outside in ["//evil.example", "https://evil.example", "/\\evil.example", "teach"] {
            assert_eq!(next_path(Some(outside.into())), "/account", "{outside}");
        }
        assert_eq!(next_path(None), "/account");
    }

    #[test]
    fn a_reset_secret_is_read_from_the_fragment_only_when_whole() {
        let secret = "A".repeat(42) + "_";
        assert_eq!(link_secret(&format!("#{secret}")), Some(secret.clone()));
        assert_eq!(link_secret(&secret), None, "no #");
        assert_eq!(link_secret("#short"), None);
        assert_eq!(link_secret(&format!("#{}", "å".repeat(43))), None);
        assert_eq!(link_secret(""), None);
    }
}

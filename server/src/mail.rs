//! Mail: the links that prove an email is its owner's (finishing a sign-up,
//! choosing a new password), sent over SMTP when the server is given one
//! (`--smtp-url`, `--mail-from`, `--public-url`). Without it (the embedded
//! default) nothing is mailed: a sign-up makes the account at once, and a
//! forgotten password is reset with a link from the instructor or the admin
//! (see `accounts::manage`).
//!
//! Mail goes out in the background, after the answer: how long an answer
//! takes must not tell whether an address has an account, and a slow mail
//! server must not hold a request. A mail that cannot be sent is logged
//! (without the address or the link); the person asks again.
//!
//! The texts never carry anything a visitor typed (not even a name), because
//! they go to an address nobody has yet proved is the visitor's.

use std::sync::Arc;

use lettre::message::header::ContentTransferEncoding;
use lettre::message::{Body, Mailbox, SinglePart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use stille_practice::Lang;

use crate::StartError;

/// What the server needs to send mail.
#[derive(Clone, Debug, Default)]
pub struct MailConfig {
    /// `smtp://host:port` (plain, for a relay on this machine),
    /// `smtp://user:password@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:password@host` (TLS from the start).
    pub smtp_url: Option<String>,
    /// The sender, as `Stille <stille@example.dk>`.
    pub from: Option<String>,
    /// The address people open the app at, for the links (`https://stille.example.dk`).
    pub public_url: Option<String>,
}

/// Sends mail, or knows it cannot.
#[derive(Clone, Debug, Default)]
pub struct Mailer {
    smtp: Option<Arc<Smtp>>,
}

struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the URL: it may hold the SMTP password.
        f.debug_struct("Smtp")
            .field("from", &self.from.to_string())
            .field("public_url", &self.public_url)
            .finish()
    }
}

impl Mailer {
    /// No mail: the embedded default.
    pub fn none() -> Mailer {
        Mailer { smtp: None }
    }

    /// The mailer `config` describes; all three settings or none.
    pub fn from_config(config: &MailConfig) -> Result<Mailer, StartError> {
        let (url, from, public_url) = match (&config.smtp_url, &config.from, &config.public_url) {
            (None, None, _) => return Ok(Mailer::none()),
            (Some(url), Some(from), Some(public_url)) => (url, from, public_url),
            _ => {
                return Err(StartError::Config(
                    "to send mail, give all of --smtp-url, --mail-from and --public-url (or STILLE_SMTP_URL, \
                     STILLE_MAIL_FROM and STILLE_PUBLIC_URL); without mail, give none of the first two"
                        .into(),
                ));
            }
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| {
                StartError::Config(format!(
                    "--smtp-url is not an SMTP address ({error}); write smtp://host:25, \
                     smtp://user:password@host:587?tls=required or smtps://user:password@host"
                ))
            })?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from: Mailbox = from.parse().map_err(|error| {
            StartError::Config(format!(
                "--mail-from {from:?} is not a sender ({error}); write Stille <stille@example.dk>"
            ))
        })?;
        let public_url = public_url.trim_end_matches('/').to_owned();
        let scheme_ok = public_url.starts_with("https://")
            || public_url.starts_with("http://localhost")
            || public_url.starts_with("http://127.0.0.1")
            || public_url.ends_with(".test");
        if !scheme_ok || public_url.len() < 10 || public_url.contains(['#', '?', ' ']) {
            return Err(StartError::Config(format!(
                "--public-url {public_url:?} must be the https:// address people open Stille at, \
                 such as https://stille.example.dk (links in mail point there)"
            )));
        }
        Ok(Mailer { smtp: Some(Arc::new(Smtp { transport, from, public_url })) })
    }

    /// Whether this server sends mail.
    pub fn sends(&self) -> bool {
        self.smtp.is_some()
    }

    /// `path` on the server as people open it (`/reset#…` → `https://…/reset#…`).
    pub fn link(&self, path: &str) -> String {
        match &self.smtp {
            Some(smtp) => format!("{}{path}", smtp.public_url),
            None => path.to_owned(),
        }
    }

    /// Sends `mail` to `to` in the background. Does nothing without SMTP.
    pub fn send_later(&self, to: &str, mail: Mail) {
        let Some(smtp) = self.smtp.clone() else { return };
        let to: Mailbox = match to.parse() {
            Ok(to) => to,
            Err(error) => {
                tracing::warn!(kind = mail.kind, "not sending a mail: the address does not parse ({error})");
                return;
            }
        };
        tokio::spawn(async move {
            let kind = mail.kind;
            let message = Message::builder().from(smtp.from.clone()).to(to).subject(mail.subject).singlepart(
                SinglePart::builder().header(ContentType::TEXT_PLAIN).body(
                    Body::new_with_encoding(mail.text, ContentTransferEncoding::QuotedPrintable)
                        .unwrap_or_else(Body::new),
                ),
            );
            let message = match message {
                Ok(message) => message,
                Err(error) => {
                    tracing::error!(kind, "cannot build a mail: {error}");
                    return;
                }
            };
            match smtp.transport.send(message).await {
                Ok(_) => tracing::info!(kind, "mail sent"),
                Err(error) => tracing::error!(kind, "cannot send a mail: {error}"),
            }
        });
    }
}

/// One mail's subject and plain text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    /// For the log: which mail this is.
    pub kind: &'static str,
    pub subject: String,
    pub text: String,
}

/// The link that finishes a sign-up; it works once, for `hours`.
pub fn finish_sign_up(lang: Lang, link: &str, hours: u64) -> Mail {
    let (subject, text) = match lang {
        Lang::Da => (
            "Bekræft din e-mail til Stille".to_owned(),
            format!(
                "Hej\n\n\
                 Tak, fordi du vil bruge Stille. Åbn linket herunder, så er din konto klar:\n\n\
                 {link}\n\n\
                 Linket virker én gang og i {hours} timer. Bagefter logger du ind med din e-mail og den \
                 adgangskode, du valgte.\n\n\
                 Har du ikke selv oprettet en konto, kan du bare slette mailen. Så bliver der ingen konto.\n\n\
                 Venlig hilsen\nStille\n"
            ),
        ),
        Lang::En => (
            "Confirm your email for Stille".to_owned(),
            format!(
                "Hello\n\n\
                 Thank you for signing up to Stille. Open the link below and your account is ready:\n\n\
                 {link}\n\n\
                 The link works once, for {hours} hours. Afterwards you sign in with your email and the \
                 password you chose.\n\n\
                 If you did not sign up, just delete this mail, and no account is made.\n\n\
                 Kind regards\nStille\n"
            ),
        ),
    };
    Mail { kind: "finish sign-up", subject, text }
}

/// To the owner of an address someone signed up with again.
pub fn already_have_account(lang: Lang, sign_in: &str) -> Mail {
    let (subject, text) = match lang {
        Lang::Da => (
            "Du har allerede en konto i Stille".to_owned(),
            format!(
                "Hej\n\n\
                 Nogen, måske dig selv, har lige prøvet at oprette en konto i Stille med denne e-mail. \
                 Du har allerede en konto, så der er ikke lavet en ny.\n\n\
                 Du logger ind her:\n{sign_in}\n\n\
                 Har du glemt din adgangskode, så tryk på \"Glemt din adgangskode?\" samme sted, og få et \
                 link til at vælge en ny.\n\n\
                 Var det ikke dig, behøver du ikke gøre noget. Din konto og det, du har gemt, er som før.\n\n\
                 Venlig hilsen\nStille\n"
            ),
        ),
        Lang::En => (
            "You already have a Stille account".to_owned(),
            format!(
                "Hello\n\n\
                 Someone, perhaps you, just tried to sign up to Stille with this email. You already have \
                 an account, so no new one was made.\n\n\
                 You sign in here:\n{sign_in}\n\n\
                 If you forgot your password, tap \"Forgot your password?\" there and get a link to \
                 choose a new one.\n\n\
                 If it was not you, there is nothing to do. Your account and what you keep in it are as \
                 they were.\n\n\
                 Kind regards\nStille\n"
            ),
        ),
    };
    Mail { kind: "already have an account", subject, text }
}

/// The link to choose a new password; it works once, for `minutes`.
pub fn reset_password(lang: Lang, link: &str, minutes: u64) -> Mail {
    let (subject, text) = match lang {
        Lang::Da => (
            "Vælg en ny adgangskode til Stille".to_owned(),
            format!(
                "Hej\n\n\
                 Der er bedt om en ny adgangskode til din konto i Stille. Åbn linket for at vælge den:\n\n\
                 {link}\n\n\
                 Linket virker én gang og i {minutes} minutter. Når du har valgt den nye adgangskode, \
                 bliver du logget ud på alle dine telefoner og computere, og du logger ind igen med den nye.\n\n\
                 Har du ikke selv bedt om det, kan du se bort fra mailen. Din adgangskode er den samme \
                 som før.\n\n\
                 Venlig hilsen\nStille\n"
            ),
        ),
        Lang::En => (
            "Choose a new password for Stille".to_owned(),
            format!(
                "Hello\n\n\
                 Someone asked for a new password for your Stille account. Open the link to choose it:\n\n\
                 {link}\n\n\
                 The link works once, for {minutes} minutes. When you have chosen the new password, your \
                 phones and computers are signed out, and you sign in again with the new one.\n\n\
                 If you did not ask for it, ignore this mail. Your password stays as it was.\n\n\
                 Kind regards\nStille\n"
            ),
        ),
    };
    Mail { kind: "reset password", subject, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_come_all_together_or_not_at_all() {
        assert!(!Mailer::from_config(&MailConfig::default()).expect("no mail").sends());
        let only_url = MailConfig { smtp_url: Some("smtp://127.0.0.1:2525".into()), ..MailConfig::default() };
        assert!(Mailer::from_config(&only_url).is_err());
        let all = MailConfig {
            smtp_url: Some("smtp://127.0.0.1:2525".into()),
            from: Some("Stille <stille@example.dk>".into()),
            public_url: Some("https://stille.example.dk/".into()),
        };
        let mailer = Mailer::from_config(&all).expect("mail");
        assert!(mailer.sends());
        assert_eq!(mailer.link("/reset#abc"), "https://stille.example.dk/reset#abc");
        for bad_url in ["http://stille.example.dk", "stille.example.dk", "https://x.dk/?a#b"] {
            let config = MailConfig { public_url: Some(bad_url.into()), ..all.clone() };
            assert!(Mailer::from_config(&config).is_err(), "{bad_url}");
        }
        let bad_from = MailConfig { from: Some("not an address".into()), ..all.clone() };
        assert!(Mailer::from_config(&bad_from).is_err());
        let bad_smtp = MailConfig { smtp_url: Some("ftp://x".into()), ..all };
        assert!(Mailer::from_config(&bad_smtp).is_err());
    }

    #[test]
    fn mails_carry_the_link_in_both_languages() {
        for lang in [Lang::Da, Lang::En] {
            assert!(
                finish_sign_up(lang, "https://s.dk/welcome#x", 24).text.contains("https://s.dk/welcome#x\n")
            );
            assert!(reset_password(lang, "https://s.dk/reset#y", 60).text.contains("https://s.dk/reset#y\n"));
            assert!(
                already_have_account(lang, "https://s.dk/account").text.contains("https://s.dk/account\n")
            );
        }
        assert!(finish_sign_up(Lang::Da, "l", 24).text.contains("24 timer"));
        assert!(reset_password(Lang::En, "l", 60).text.contains("60 minutes"));
    }
}

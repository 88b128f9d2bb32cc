//! The page a first visit sees before the wasm has arrived: the app's header
//! and the home screen's heading and introduction as plain HTML, in the same
//! markup and classes the app renders (so nothing moves when it takes over),
//! written into `index.html` (English) and `index.da.html` (Danish). The
//! server and the service worker pick the page by the browser's languages,
//! by the same rule the app uses (`Lang::from_preferences`).
//!
//! The words come from the app's own string table (`app/src/i18n.rs`), read
//! here as text, so there is one place to change them.

use std::fs;

use anyhow::{Context, Result, bail};
use stille_practice::Lang;

use crate::paths;

/// `(file name, language)` of each page.
pub const PAGES: [(&str, Lang); 2] = [("index.html", Lang::En), ("index.da.html", Lang::Da)];

/// The `{{first_view}}` of the page in `lang`.
pub fn html(lang: Lang) -> Result<String> {
    let table =
        fs::read_to_string(paths::root().join("app/src/i18n.rs")).context("reading app/src/i18n.rs")?;
    let say = |key: &str| -> Result<String> {
        let (da, en) = entry(&table, key)?;
        Ok(escape(match lang {
            Lang::Da => &da,
            Lang::En => &en,
        }))
    };
    let pressed = |choice: Lang| (choice == lang).to_string();
    Ok(format!(
        r##"<div id="boot">
<a class="skip-link" href="#main">{skip}</a>
<header class="site-header">
<a href="/" class="brand">Stille</a>
<a href="/help" class="help-link">{help}</a>
<button type="button" class="menu-button" aria-controls="site-menu" aria-expanded="false">{menu}</button>
<nav id="site-menu" aria-label="{nav}"><ul>
<li><a href="/" aria-current="page">{home}</a></li>
<li><a href="/practices">{practices}</a></li>
<li><a href="/history">{history}</a></li>
<li><a href="/account">{account}</a></li>
<li><a href="/settings">{settings}</a></li>
</ul>
<div class="lang-switch" role="group" aria-label="{language}">
<button type="button" lang="da" aria-pressed="{da}">DA<span class="visually-hidden"> – Dansk</span></button>
<button type="button" lang="en" aria-pressed="{en}">EN<span class="visually-hidden"> – English</span></button>
</div>
</nav>
</header>
<main id="main" tabindex="-1"><section class="home" aria-labelledby="home-heading">
<h1 id="home-heading">{heading}</h1>
<p class="lead">{intro}</p>
</section></main>
</div>"##,
        skip = say("SkipToContent")?,
        nav = say("NavLabel")?,
        home = say("NavHome")?,
        practices = say("NavPractices")?,
        history = say("NavHistory")?,
        settings = say("NavSettings")?,
        menu = say("NavMenu")?,
        account = say("NavAccount")?,
        help = say("NavHelp")?,
        language = say("Language")?,
        heading = say("HomeHeading")?,
        intro = say("HomeIntro")?,
        da = pressed(Lang::Da),
        en = pressed(Lang::En),
    ))
}

/// The Danish and English text of `key` in the `strings!` table
/// (`Key: "dansk", "English";`, possibly over several lines).
fn entry(table: &str, key: &str) -> Result<(String, String)> {
    let start = table
        .find(&format!("\n    {key}:"))
        .with_context(|| format!("app/src/i18n.rs has no string {key}"))?;
    let rest = &table[start + key.len() + 6..];
    let (da, rest) = literal(rest).with_context(|| format!("{key}'s Danish text"))?;
    let rest = rest
        .trim_start()
        .strip_prefix(',')
        .with_context(|| format!("{key}: a comma after the Danish text"))?;
    let (en, _) = literal(rest).with_context(|| format!("{key}'s English text"))?;
    Ok((da, en))
}

/// The first string literal in `text`, and what follows it.
fn literal(text: &str) -> Result<(String, &str)> {
    let text = text.trim_start();
    let Some(body) = text.strip_prefix('"') else {
        bail!("not a string literal: {}", &text[..text.len().min(30)])
    };
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &body[i + 1..])),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, other)) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    bail!("an unterminated string literal")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_view_speaks_each_language_from_the_apps_own_table() -> Result<()> {
        let da = html(Lang::Da)?;
        assert!(da.contains("<h1 id=\"home-heading\">Velkommen til Stille</h1>"), "{da}");
        assert!(da.contains("lang=\"da\" aria-pressed=\"true\""));
        let en = html(Lang::En)?;
        assert!(en.contains("Welcome to Stille") && en.contains("Need help now?"), "{en}");
        assert!(!en.contains("{{"));
        Ok(())
    }

    #[test]
    fn literals_are_read_with_their_escapes() -> Result<()> {
        let table = "\n    Quote: \"Sig \\\"hej\\\"\",\n        \"Say \\\"hi\\\"\";\n";
        assert_eq!(entry(table, "Quote")?, ("Sig \"hej\"".to_owned(), "Say \"hi\"".to_owned()));
        assert!(entry(table, "Missing").is_err());
        assert_eq!(escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        Ok(())
    }
}

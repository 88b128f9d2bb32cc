//! The page a first visit sees before the wasm has arrived: the app's header
//! and the home screen's heading and introduction as plain HTML, in the same
//! markup and classes the app renders (so nothing moves when it takes over),
//! written into `index.html` (English) and `index.da.html` (Danish). The
//! server and the service worker pick the page by the browser's languages,
//! by the same rule the app uses (`Lang::from_preferences`).
//!
//! The words come from the app's own string table (`app/src/i18n.rs`), read
//! here as text, so there is one place to change them.

use anyhow::Result;
use stille_practice::Lang;

/// `(file name, language)` of each page.
pub const PAGES: [(&str, Lang); 2] = [("index.html", Lang::En), ("index.da.html", Lang::Da)];

/// The `{{first_view}}` of the page in `lang`.
pub fn html(lang: Lang) -> Result<String> {
    let table = crate::strings::read()?;
    let say = |key: &str| -> Result<String> { Ok(escape(table.text(key, lang)?)) };
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
    fn text_is_escaped_for_html() {
        assert_eq!(escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }
}

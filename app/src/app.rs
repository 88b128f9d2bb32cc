//! The shell: header with navigation, the routes, and the UI language.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;
use stille_practice::Lang;

use crate::i18n::{Key, UiLang, browser_lang, t};
use crate::routes::{
    AccountPage, CourseDashboard, Help, History, Home, JoinPage, LabAudio, Library, NotFound, PlayerPage,
    PracticeDetail, Settings, TeachHome,
};

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(browser_lang());
    provide_context(UiLang(lang));
    crate::settings::provide();
    let account = crate::account::provide();
    let sync_status = crate::sync::start(account);
    // Screen readers pick their voice from <html lang>.
    Effect::new(move || {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.get().tag());
        }
    });
    let text = move |key| move || t(lang.get(), key);

    view! {
        <Router>
            <a class="skip-link" href="#main">{text(Key::SkipToContent)}</a>
            <header class="site-header">
                <A href="/" attr:class="brand">"Stille"</A>
                <nav aria-label=text(Key::NavLabel)>
                    <ul>
                        <li><A href="/" exact=true>{text(Key::NavHome)}</A></li>
                        <li><A href="/practices">{text(Key::NavPractices)}</A></li>
                        <li><A href="/history">{text(Key::NavHistory)}</A></li>
                        <li><A href="/settings">{text(Key::NavSettings)}</A></li>
                    </ul>
                </nav>
                <A href="/help" attr:class="help-link">{text(Key::NavHelp)}</A>
                <LanguageSwitch lang=lang/>
            </header>
            <crate::pwa::UpdateBanner/>
            <Show when=move || account.get().user().is_some()>
                <p class="sync-status" role="status">
                    <A href="/account">{move || crate::routes::status_text(&sync_status.get(), lang.get())}</A>
                </p>
            </Show>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/practices") view=Library/>
                    <Route path=path!("/practices/:id") view=PracticeDetail/>
                    <Route path=path!("/play/:id") view=PlayerPage/>
                    <Route path=path!("/history") view=History/>
                    <Route path=path!("/help") view=Help/>
                    <Route path=path!("/settings") view=Settings/>
                    <Route path=path!("/account") view=AccountPage/>
                    <Route path=path!("/join") view=JoinPage/>
                    <Route path=path!("/join/:code") view=JoinPage/>
                    <Route path=path!("/teach") view=TeachHome/>
                    <Route path=path!("/teach/:id") view=CourseDashboard/>
                    <Route path=path!("/lab/audio") view=LabAudio/>
                </Routes>
            </main>
        </Router>
    }
}

/// Two buttons, "da" and "en"; the current one is marked pressed.
#[component]
fn LanguageSwitch(lang: RwSignal<Lang>) -> impl IntoView {
    // The visible "DA" stays part of the name ("DA – Dansk"): voice-control
    // users say what they see (WCAG 2.5.3, label in name).
    let button = move |choice: Lang, label: &'static str, name: &'static str| {
        view! {
            <button
                type="button"
                lang=choice.tag()
                aria-pressed=move || (lang.get() == choice).to_string()
                on:click=move |_| lang.set(choice)
            >
                {label}
                <span class="visually-hidden">{format!(" – {name}")}</span>
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || t(lang.get(), Key::Language)>
            {button(Lang::Da, "DA", "Dansk")}
            {button(Lang::En, "EN", "English")}
        </div>
    }
}

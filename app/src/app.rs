//! The shell: header with navigation, the routes, and the UI language.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{Lazy, path};
use stille_practice::Lang;

use crate::i18n::{Key, UiLang, t};
use crate::routes::{Help, Home, NotFound};
use crate::split::{
    AccountRoute, CourseReportRoute, DashboardRoute, HistoryRoute, JoinRoute, LabRoute, LibraryRoute,
    MeasureRoute, MeasuresRoute, OutcomesRoute, PlayerRoute, PracticeRoute, ResetRoute, SettingsRoute,
    TakeRoute, TeachRoute, VoiceRoute, WelcomeRoute,
};

/// The app, speaking `lang` at first: the language chosen with the switch
/// (kept in the settings), until one is chosen the browser's, or the other
/// when its words could not be fetched (`stille_app::run`).
#[component]
pub fn App(lang: Lang) -> impl IntoView {
    let settings = crate::settings::provide();
    let lang = RwSignal::new(lang);
    provide_context(UiLang(lang));
    // A language chosen with the switch, or on another device (it arrives
    // with the settings).
    Effect::new(move || {
        if let Some(chosen) = settings.with(|s| s.lang)
            && chosen != lang.get_untracked()
        {
            speak(lang, settings, chosen);
        }
    });
    let account = crate::account::provide();
    let sync_status = crate::sync::start(account);
    // Screen readers pick their voice from <html lang>.
    Effect::new(move || {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.get().tag());
        }
    });
    let text = move |key| move || t(lang.get(), key);
    // True while the router waits for a screen's wasm chunk (split.rs), which
    // on a first visit may take a moment.
    let (routing, set_routing) = signal(false);

    view! {
        <Router set_is_routing=set_routing>
            <a class="skip-link" href="#main">{text(Key::SkipToContent)}</a>
            <SiteHeader lang=lang/>
            <crate::pwa::UpdateBanner/>
            <Show when=move || routing.get()>
                <p class="route-loading" role="status">{text(Key::RouteLoading)}</p>
            </Show>
            <Show when=move || account.get().user().is_some()>
                <p class="sync-status" role="status">
                    <A href="/account">{move || crate::sync::status_line(&sync_status.get(), lang.get())}</A>
                </p>
            </Show>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/help") view=Help/>
                    // The rest arrive in chunks of their own (see split.rs).
                    <Route path=path!("/practices") view={Lazy::<LibraryRoute>::new()}/>
                    <Route path=path!("/practices/:id") view={Lazy::<PracticeRoute>::new()}/>
                    <Route path=path!("/play/:id") view={Lazy::<PlayerRoute>::new()}/>
                    <Route path=path!("/recordings/:id") view={Lazy::<TakeRoute>::new()}/>
                    <Route path=path!("/history") view={Lazy::<HistoryRoute>::new()}/>
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()}/>
                    <Route path=path!("/measures") view={Lazy::<MeasuresRoute>::new()}/>
                    <Route path=path!("/measures/:id") view={Lazy::<MeasureRoute>::new()}/>
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()}/>
                    <Route path=path!("/join") view={Lazy::<JoinRoute>::new()}/>
                    <Route path=path!("/reset") view={Lazy::<ResetRoute>::new()}/>
                    <Route path=path!("/welcome") view={Lazy::<WelcomeRoute>::new()}/>
                    <Route path=path!("/join/:code") view={Lazy::<JoinRoute>::new()}/>
                    <Route path=path!("/teach") view={Lazy::<TeachRoute>::new()}/>
                    <Route path=path!("/teach/:id") view={Lazy::<DashboardRoute>::new()}/>
                    <Route path=path!("/teach/:id/voice/:practice") view={Lazy::<VoiceRoute>::new()}/>
                    <Route path=path!("/teach/:id/outcomes") view={Lazy::<OutcomesRoute>::new()}/>
                    <Route path=path!("/teach/:id/report") view={Lazy::<CourseReportRoute>::new()}/>
                    <Route path=path!("/lab/audio") view={Lazy::<LabRoute>::new()}/>
                </Routes>
            </main>
        </Router>
    }
}

/// The header: the name (home), "Need help now?" always in view, and the
/// menu. On a phone the menu is one button that opens the list (the header
/// keeps to one row, and every place, Account and Teaching too, has room);
/// on a wide screen the list is always shown. Following a link, or Escape,
/// closes it.
#[component]
fn SiteHeader(lang: RwSignal<Lang>) -> impl IntoView {
    let text = move |key| move || t(lang.get(), key);
    let account = crate::account::use_account();
    let teaches = move || account.with(|a| a.user().is_some_and(|u| u.is_instructor()));
    let open = RwSignal::new(false);
    let button = NodeRef::<leptos::html::Button>::new();
    let location = leptos_router::hooks::use_location();
    Effect::new(move || {
        location.pathname.track();
        open.set(false);
    });
    // A link followed inside the menu closes it (at once, before the next
    // screen's chunk has arrived).
    let followed = move |event: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let on_link = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a").ok().flatten())
            .is_some();
        if on_link {
            open.set(false);
        }
    };
    let escape = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" && open.get_untracked() {
            open.set(false);
            if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    view! {
        <header class="site-header" on:keydown=escape>
            <A href="/" attr:class="brand">"Stille"</A>
            <A href="/help" attr:class="help-link">{text(Key::NavHelp)}</A>
            <button type="button" class="menu-button" node_ref=button aria-controls="site-menu"
                aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                {text(Key::NavMenu)}
            </button>
            <nav id="site-menu" aria-label=text(Key::NavLabel) class:open=move || open.get() on:click=followed>
                <ul>
                    <li><A href="/" exact=true>{text(Key::NavHome)}</A></li>
                    <li><A href="/practices">{text(Key::NavPractices)}</A></li>
                    <li><A href="/history">{text(Key::NavHistory)}</A></li>
                    <li><A href="/account">{text(Key::NavAccount)}</A></li>
                    <Show when=teaches>
                        <li><A href="/teach">{text(Key::NavTeach)}</A></li>
                    </Show>
                    <li><A href="/settings">{text(Key::NavSettings)}</A></li>
                </ul>
                <LanguageSwitch lang=lang/>
            </nav>
        </header>
    }
}

/// Two buttons, "da" and "en"; the current one is marked pressed.
#[component]
fn LanguageSwitch(lang: RwSignal<Lang>) -> impl IntoView {
    let settings = crate::settings::use_settings();
    // The visible "DA" stays part of the name ("DA – Dansk"): voice-control
    // users say what they see (WCAG 2.5.3, label in name).
    let button = move |choice: Lang, label: &'static str, name: &'static str| {
        view! {
            <button
                type="button"
                lang=choice.tag()
                aria-pressed=move || (lang.get() == choice).to_string()
                // The shell's effect switches once the words are here.
                on:click=move |_| settings.update(|s| s.lang = Some(choice))
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

/// Switches the UI to `choice` once its words are here (the release build
/// fetches them the first time; the service worker keeps them after the first
/// visit), if it is still the language chosen then (a second tap may have
/// chosen again meanwhile). If they cannot be fetched (offline on a first
/// visit), the UI stays in the language it has words for, the switch shows
/// that one pressed, and the console says why.
fn speak(lang: RwSignal<Lang>, settings: RwSignal<crate::settings::Settings>, choice: Lang) {
    leptos::task::spawn_local(async move {
        let result = crate::i18n::load(choice).await;
        if settings.with_untracked(|s| s.lang) != Some(choice) {
            return;
        }
        match result {
            Ok(()) => lang.set(choice),
            // The choice stays saved: the next start asks for its words again.
            Err(error) => {
                leptos::logging::warn!("the words in {} could not be fetched: {error}", choice.tag())
            }
        }
    });
}

use leptos::prelude::*;
use leptos_router::components::A;
use stille_practice::{Kind, Lang, Practice, catalog, suggestions};

use crate::i18n::{Key, t, use_lang};
use crate::log_store;

/// How many recent practices are offered again.
const RECENT: usize = 2;

/// A card that starts `practice` at `minutes` in one tap (an informal
/// practice, which is logged rather than played, opens its page).
fn start_card(practice: &'static Practice, minutes: u16, lang: Lang) -> impl IntoView {
    let href = if practice.kind == Kind::Informal {
        format!("/practices/{}", practice.id)
    } else {
        format!("/play/{}?m={minutes}", practice.id)
    };
    view! {
        <li class="now-card">
            <A href=href attr:class="now-link">
                <span class="now-title">{practice.title.get(lang).to_owned()}</span>
                <span class="now-length">{format!("{minutes} min")}</span>
            </A>
        </li>
    }
}

/// `/`: what to practise now — the practices done lately, again at the same
/// length, and two short ones for the time of day — and the way into the
/// library; above them, for a participant in a course, "This week".
#[component]
pub fn Home() -> impl IntoView {
    let lang = use_lang();
    let account = crate::account::use_account();
    let text = move |key| move || t(lang.get(), key);
    // (practice id, minutes) of the latest distinct practices on this device.
    // Read again when records arrive from the account or the log could not be
    // read at first (see `log_store::changes`).
    let loaded = LocalResource::new(|| {
        log_store::changes();
        async {
            // Unread (an error): None, and the last good reading stays shown.
            let (entries, _) = log_store::entries().await.ok()?;
            let mut seen = Vec::new();
            for entry in entries.iter().filter(|e| stille_practice::stats::counts(e.practised_ms)) {
                let id = entry.practice.to_string();
                if seen.iter().any(|(s, _)| *s == id) {
                    continue;
                }
                let minutes = u16::try_from((entry.planned_ms + 30_000) / 60_000).unwrap_or(0);
                seen.push((id, minutes));
                if seen.len() == RECENT {
                    break;
                }
            }
            Some(seen)
        }
    });
    let recent = Memo::new(move |before: Option<&Vec<(String, u16)>>| {
        loaded.get().flatten().or_else(|| before.cloned()).unwrap_or_default()
    });
    let hour = js_sys::Date::new_0().get_hours();
    let cards = move || {
        let lang = lang.get();
        let recent = recent.get();
        let again = recent.iter().filter_map(|(id, minutes)| {
            let practice = catalog().get(id)?;
            let minutes = if practice.allows_minutes(*minutes) { *minutes } else { practice.default_minutes };
            Some(start_card(practice, minutes, lang))
        });
        let again: Vec<_> = again.collect();
        let recent_ids: Vec<&str> = recent.iter().map(|(id, _)| id.as_str()).collect();
        let short: Vec<_> = suggestions(catalog(), hour, &recent_ids)
            .into_iter()
            .filter_map(|id| catalog().get(id))
            .map(|p| start_card(p, p.minutes.first().copied().unwrap_or(p.default_minutes), lang))
            .collect();
        let again_section = (!again.is_empty()).then(|| {
            view! {
                <h3>{t(lang, Key::HomeAgain)}</h3>
                <ul class="now-cards">{again}</ul>
            }
        });
        view! {
            {again_section}
            <h3>{t(lang, Key::HomeShort)}</h3>
            <ul class="now-cards">{short}</ul>
        }
    };
    view! {
        <section class="home" aria-labelledby="home-heading">
            <h1 id="home-heading">{text(Key::HomeHeading)}</h1>
            <p class="lead">{text(Key::HomeIntro)}</p>
            <crate::split::ThisWeekLater/>
            <section class="now" aria-labelledby="now-heading">
                <h2 id="now-heading">{text(Key::HomeNow)}</h2>
                {cards}
            </section>
            <p><A href="/practices" attr:class="button primary">{text(Key::HomeBrowse)}</A></p>
            <crate::components::InstallHint/>
            <p class="quiet">
                {move || t(lang.get(), if account.get().user().is_some() { Key::HomeSignedIn } else { Key::HomeNoAccount })}
                " " <A href="/account">{move || t(lang.get(), if account.get().user().is_some() { Key::AccountHeading } else { Key::HomeAccountLink })}</A>
            </p>
        </section>
    }
}

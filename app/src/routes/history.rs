use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use stille_practice::log::{Ending, Entry};
use stille_practice::stats::Date;
use stille_practice::{Lang, catalog};

use crate::components::Progress;
use crate::components::after_practice::LADDER;
use crate::i18n::{Key, t, use_lang};
use crate::log_store::{self, Loaded, Note};

/// A check-in or note under its entry.
fn note_view(note: &Note, lang: Lang) -> AnyView {
    match note {
        Note::CheckIn(c) => {
            let mut parts = Vec::new();
            if let Some(d) = c.distress {
                parts.push(format!("{} {d}/10", t(lang, Key::HistoryDistress)));
            }
            if let Some((_, label, _)) = LADDER.iter().find(|(step, _, _)| Some(*step) == c.ladder) {
                parts.push(t(lang, *label).to_owned());
            }
            view! { <p class="entry-check-in">{format!("{}: {}", t(lang, Key::HistoryCheckIn), parts.join(" · "))}</p> }
                .into_any()
        }
        Note::Reflection(r) => {
            view! { <blockquote class="entry-note">{r.text.clone()}</blockquote> }.into_any()
        }
    }
}

/// The entry's local start as "23.11.2026 kl. 13.45" / "23/11/2026 13:45".
fn when(entry: &Entry, lang: Lang) -> String {
    let local = entry.started_at_ms + i64::from(entry.utc_offset_minutes) * 60_000;
    let (y, m, d) = Date(local.div_euclid(86_400_000) as i32).ymd();
    let minutes = local.rem_euclid(86_400_000) / 60_000;
    let (hh, mm) = (minutes / 60, minutes % 60);
    match lang {
        Lang::Da => format!("{d}.{m}.{y} kl. {hh:02}.{mm:02}"),
        Lang::En => format!("{d}/{m}/{y} {hh:02}:{mm:02}"),
    }
}

fn minutes(ms: u32) -> String {
    format!("{}", (f64::from(ms) / 60_000.0).round() as u32)
}

/// `/history`: every practice this device has logged, newest first, with how
/// much was practised and how it ended; entries can be deleted (with a
/// confirming second press).
#[component]
pub fn History() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let loaded = RwSignal::new(None::<Result<Loaded, String>>);
    let reload = move || {
        spawn_local(async move {
            loaded.set(Some(log_store::load().await.map_err(|e| e.to_string())));
        });
    };
    reload();
    let confirming = RwSignal::new(None::<String>);
    let delete = move |id: String| {
        if confirming.get_untracked().as_deref() != Some(id.as_str()) {
            confirming.set(Some(id));
            return;
        }
        confirming.set(None);
        spawn_local(async move {
            if let Err(error) = log_store::delete(&id).await {
                loaded.set(Some(Err(error.to_string())));
                return;
            }
            loaded.set(Some(log_store::load().await.map_err(|e| e.to_string())));
        });
    };

    let rows = move || {
        let lang = lang.get();
        match loaded.get() {
            None => view! { <p class="quiet">"…"</p> }.into_any(),
            Some(Err(error)) => view! { <p role="alert">{error}</p> }.into_any(),
            Some(Ok(loaded)) => {
                let unreadable = loaded.unreadable;
                let note = (unreadable > 0).then(|| {
                    view! { <p class="quiet history-unreadable">{format!("{unreadable} {}", t(lang, Key::HistoryUnreadable))}</p> }
                });
                if loaded.entries.is_empty() {
                    return view! { {note} <p class="history-empty">{t(lang, Key::HistoryEmpty)}</p> }
                        .into_any();
                }
                let items = loaded
                    .entries
                    .iter()
                    .map(|entry| {
                        let notes = loaded.notes_of(&entry.id).map(|n| note_view(n, lang)).collect_view();
                        let title = catalog()
                            .get(entry.practice.as_str())
                            .map_or_else(|| entry.practice.to_string(), |p| p.title.get(lang).to_owned());
                        let status = match entry.ending {
                            Some(Ending::Completed) => t(lang, Key::HistoryCompleted),
                            Some(Ending::Stopped) => t(lang, Key::HistoryStopped),
                            None => t(lang, Key::HistoryUnfinished),
                        };
                        let amount = format!(
                            "{} {} {} min",
                            minutes(entry.practised_ms),
                            t(lang, Key::HistoryOf),
                            minutes(entry.planned_ms)
                        );
                        let id = entry.id.clone();
                        let label = {
                            let id = id.clone();
                            move || {
                                let key = if confirming.get().as_deref() == Some(id.as_str()) {
                                    Key::HistoryDeleteConfirm
                                } else {
                                    Key::HistoryDelete
                                };
                                t(lang, key)
                            }
                        };
                        view! {
                            <li class="entry" data-id=entry.id.clone()>
                                <h2>{title}</h2>
                                <p class="entry-when">{when(entry, lang)}</p>
                                <p class="entry-amount">{amount} " · " <span class="entry-status">{status}</span></p>
                                {notes}
                                <button type="button" class="button entry-delete" on:click=move |_| delete(id.clone())>{label}</button>
                            </li>
                        }
                    })
                    .collect_view();
                let entries = loaded.entries.clone();
                view! { {note} <Progress entries=entries/> <ul class="entries">{items}</ul> }.into_any()
            }
        }
    };

    view! {
        <section class="history" aria-labelledby="history-heading">
            <h1 id="history-heading">{text(Key::HistoryHeading)}</h1>
            {rows}
            <p><A href="/practices">{text(Key::HomeBrowse)}</A></p>
        </section>
    }
}

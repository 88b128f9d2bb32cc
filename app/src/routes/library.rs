use leptos::prelude::*;
use stille_practice::{Filter, Kind, catalog};

use crate::components::PracticeList;
use crate::i18n::{Key, t, use_lang};

/// The kinds a person can narrow to, with their names.
const KINDS: [(Kind, &str, Key); 4] = [
    (Kind::Guided, "guided", Key::LibraryKindGuided),
    (Kind::BreathingPattern, "breathing", Key::LibraryKindBreathing),
    (Kind::SilentTimer, "timer", Key::LibraryKindTimer),
    (Kind::Informal, "informal", Key::LibraryKindInformal),
];

/// Lengths to narrow to, in minutes.
const LENGTHS: [u16; 3] = [5, 10, 20];

/// `/practices`: the whole catalog, grouped by programme, narrowed by words,
/// kind and length as the person types and chooses.
#[component]
pub fn Library() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let filter = RwSignal::new(Filter::default());
    let count = move || {
        let lang = lang.get();
        let n: usize = catalog().filtered(&filter.get(), lang).iter().map(|(_, ps)| ps.len()).sum();
        let total = catalog().practices.len();
        if n == 0 {
            t(lang, Key::LibraryNone).to_owned()
        } else {
            format!("{} {n} {} {total}", t(lang, Key::LibraryShowing), t(lang, Key::LibraryOf))
        }
    };
    view! {
        <section class="library" aria-labelledby="library-heading">
            <h1 id="library-heading">{text(Key::PracticesHeading)}</h1>
            <p class="lead">{text(Key::PracticesIntro)}</p>
            <form class="library-filter" role="search" on:submit=|ev| ev.prevent_default()>
                <label for="library-words">{text(Key::LibrarySearch)}</label>
                <input id="library-words" type="search" autocomplete="off"
                    prop:value=move || filter.with(|f| f.words.clone())
                    on:input=move |ev| filter.update(|f| f.words = event_target_value(&ev))/>
                <div class="library-choices">
                    <label>
                        <span>{text(Key::LibraryKind)}</span>
                        <select id="library-kind" on:change=move |ev| {
                            let value = event_target_value(&ev);
                            filter.update(|f| f.kind = KINDS.iter().find(|(_, name, _)| *name == value).map(|(k, _, _)| *k));
                        }>
                            <option value="">{text(Key::LibraryAny)}</option>
                            {KINDS.iter().map(|(_, name, key)| view! { <option value=*name>{text(*key)}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>
                        <span>{text(Key::LibraryLength)}</span>
                        <select id="library-length" on:change=move |ev| {
                            let value = event_target_value(&ev);
                            filter.update(|f| f.max_minutes = value.parse().ok());
                        }>
                            <option value="">{text(Key::LibraryAny)}</option>
                            {LENGTHS.iter().map(|m| {
                                let label = move || format!("{} {m} min", t(lang.get(), Key::LibraryUpTo));
                                view! { <option value=m.to_string()>{label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <p class="library-count" role="status">{count}</p>
            </form>
            <PracticeList lang=lang filter=filter/>
        </section>
    }
}

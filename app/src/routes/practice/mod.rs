//! `/practices/<id>`: what the practice is and where it comes from; for a
//! practice that plays, the choices for this playing ([`options`]), for an
//! informal one (done in daily life), logging it afterwards ([`informal`]);
//! for the exercise of a programme's module, the module's knowledge part.

mod informal;
mod options;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use stille_practice::{Kind, Text, catalog};

use crate::i18n::{Key, t, use_lang};

#[component]
pub fn PracticeDetail() -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    let Some(practice) = catalog().get(&id) else {
        return view! {
            <section class="practice-detail">
                <h1>{text(Key::PracticeNotFound)}</h1>
                <p><A href="/practices">{text(Key::PracticeBack)}</A></p>
            </section>
        }
        .into_any();
    };
    let evidence = practice
        .evidence_note
        .as_ref()
        .map(|note| view! { <p class="quiet">{move || note.get(lang.get()).to_owned()}</p> });
    // Before the choices and Begin, so it is read before the practice starts.
    let caution = practice.caution.as_ref().map(|caution| {
        view! {
            <aside class="caution" aria-labelledby="caution-heading">
                <h2 id="caution-heading">{text(Key::PracticeCaution)}</h2>
                <p>{move || caution.get(lang.get()).to_owned()}</p>
            </aside>
        }
    });
    // A programme module's knowledge part, read with its exercise (it comes
    // with the catalog's details).
    let modules = LocalResource::new(move || async move {
        let full = crate::details::load().await.ok()?;
        let found: Vec<(Text, Text, Text)> = full
            .modules_of(practice.id.as_str())
            .into_iter()
            .filter_map(|(programme, module)| {
                Some((programme.title.clone(), module.title.clone(), module.knowledge.clone()?))
            })
            .collect();
        (!found.is_empty()).then_some(found)
    });
    let knowledge = move || {
        modules.get().flatten().map(|found| {
            found
                .into_iter()
                .enumerate()
                .map(|(i, (programme, module, knowledge))| {
                    let heading = format!("module-heading-{i}");
                    let labelled_by = heading.clone();
                    view! {
                        <section class="module-knowledge" aria-labelledby=labelled_by>
                            <h2 id=heading>{move || format!("{}: {}", t(lang.get(), Key::PracticeModule), module.get(lang.get()))}</h2>
                            <p class="quiet">{move || programme.get(lang.get()).to_owned()}</p>
                            <p>{move || knowledge.get(lang.get()).to_owned()}</p>
                        </section>
                    }
                })
                .collect_view()
        })
    };
    let how = if practice.kind == Kind::Informal {
        view! { <informal::Informal practice=practice/> }.into_any()
    } else {
        // Validation guarantees a script for every practice that is not
        // informal; it arrives with the details, fetched now so Start finds it.
        crate::details::prefetch();
        view! { <options::PracticeOptions practice=practice/> }.into_any()
    };
    view! {
        <article class="practice-detail" aria-labelledby="practice-heading">
            <p class="back"><A href="/practices">{text(Key::PracticeBack)}</A></p>
            <h1 id="practice-heading">{move || practice.title.get(lang.get()).to_owned()}</h1>
            <p class="lead">{move || practice.summary.get(lang.get()).to_owned()}</p>
            {caution}
            {how}
            {knowledge}
            <section class="source" aria-labelledby="source-heading">
                <h2 id="source-heading">{text(Key::PracticeSource)}</h2>
                <p>{practice.source.clone()}</p>
                {evidence}
            </section>
        </article>
    }
    .into_any()
}

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
    // Before the choices and Begin, so it is read before the practice starts.
    let caution = practice.caution.as_ref().map(|caution| {
        view! {
            <aside class="caution" aria-labelledby="caution-heading">
                <h2 id="caution-heading">{text(Key::PracticeCaution)}</h2>
                <p>{move || caution.get(lang.get()).to_owned()}</p>
            </aside>
        }
    });
    // The whole catalog: a programme module's knowledge part, read with its
    // exercise, where the practice comes from and an informal practice's
    // prompts all come with the catalog's details (fetched now, so Start
    // finds the script too).
    let full = LocalResource::new(|| {
        // Read again when they arrive after a retry elsewhere on the page.
        crate::details::arrived();
        async { crate::details::load().await.ok() }
    });
    let modules = move || {
        let full = full.get().flatten()?;
        let found: Vec<(Text, Text, Text)> = full
            .modules_of(practice.id.as_str())
            .into_iter()
            .filter_map(|(programme, module)| {
                Some((programme.title.clone(), module.title.clone(), module.knowledge.clone()?))
            })
            .collect();
        (!found.is_empty()).then_some(found)
    };
    let about = move || full.get().flatten().and_then(|full| full.get(practice.id.as_str()));
    let knowledge = move || {
        modules().map(|found| {
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
        // Its prompts come with the details.
        let id = practice.id.clone();
        let informal = move |full: &'static stille_practice::Catalog| {
            full.get(id.as_str()).map(|practice| view! { <informal::Informal practice=practice/> })
        };
        view! { <crate::details::WithDetails view=informal/> }.into_any()
    } else {
        // Validation guarantees a script for every practice that is not
        // informal; it arrives with the details (being fetched above).
        view! { <options::PracticeOptions practice=practice/> }.into_any()
    };
    // Where it comes from: shown once the details are here. If they cannot be
    // fetched it is left out; the informal part says so and offers a retry,
    // and so does the player when Begin needs the script.
    let source = move || {
        about().map(|full| {
            let evidence = full
                .evidence_note
                .as_ref()
                .map(|note| view! { <p class="quiet">{move || note.get(lang.get()).to_owned()}</p> });
            view! {
                <section class="source" aria-labelledby="source-heading">
                    <h2 id="source-heading">{text(Key::PracticeSource)}</h2>
                    <p>{full.source.clone()}</p>
                    {evidence}
                </section>
            }
        })
    };
    view! {
        <article class="practice-detail" aria-labelledby="practice-heading">
            <p class="back"><A href="/practices">{text(Key::PracticeBack)}</A></p>
            <h1 id="practice-heading">{move || practice.title.get(lang.get()).to_owned()}</h1>
            <p class="lead">{move || practice.summary.get(lang.get()).to_owned()}</p>
            {caution}
            {how}
            {knowledge}
            {source}
        </article>
    }
    .into_any()
}

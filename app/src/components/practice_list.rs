use leptos::prelude::*;
use stille_practice::{Filter, Lang, catalog};

/// The catalog as a list per programme: title, length and summary of each
/// practice that passes `filter`, in the given language.
#[component]
pub fn PracticeList(#[prop(into)] lang: Signal<Lang>, #[prop(into)] filter: Signal<Filter>) -> impl IntoView {
    move || {
        let lang = lang.get();
        catalog()
            .filtered(&filter.get(), lang)
            .into_iter()
            .map(|(program, practices)| {
                let heading_id = format!("program-{program:?}").to_lowercase();
                let labelled_by = heading_id.clone();
                let items = practices
                    .into_iter()
                    .map(|practice| {
                        view! {
                            <li class="practice" data-id=practice.id.to_string()>
                                <h3><a href=format!("/practices/{}", practice.id)>{practice.title.get(lang).to_owned()}</a></h3>
                                <p class="length">{practice.length_label(lang)}</p>
                                <p class="summary">{practice.summary.get(lang).to_owned()}</p>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <section class="program" aria-labelledby=labelled_by>
                        <h2 id=heading_id>{program.name(lang)}</h2>
                        <ul class="practices">{items}</ul>
                    </section>
                }
            })
            .collect_view()
    }
}

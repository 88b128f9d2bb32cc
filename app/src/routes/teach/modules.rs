//! For a programme of modules (MentaliseringsProgrammet): which modules the
//! group works with and in which order. The module at the top is week 1's:
//! its exercise is the week's home practice and its knowledge part what
//! participants read that week (see `stille_practice::modules`). Until the
//! instructor changes the list here, it shows what the weeks hold now.

use leptos::prelude::*;
use stille_practice::CourseTemplate;
use stille_practice::api::{Week, Weeks};
use stille_practice::modules::{ModuleChoice, modules};

use super::say;
use crate::api;
use crate::i18n::{Key, t, use_lang};
use crate::teaching::{module_rows as rows_of, moved};

#[component]
pub fn ModuleOrder(
    course_id: String,
    programme: &'static CourseTemplate,
    /// The weeks as the plan below shows them.
    weeks: Signal<Vec<Week>>,
    /// Told the weeks as stored after a choice is saved.
    saved: Callback<Vec<Week>>,
) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    // The list as changed here, until it is saved (None: as the weeks hold it).
    let changed = RwSignal::new(None::<Vec<(String, bool)>>);
    let rows = move || changed.get().unwrap_or_else(|| weeks.with(|w| rows_of(programme, w)));
    let said = RwSignal::new(None::<String>);
    // The module whose button was pressed last, and which button: the list is
    // drawn again, and focus goes back to that button (or its neighbour when
    // the module reached an end).
    let pressed = RwSignal::new(None::<(String, &'static str)>);
    let save = Action::new_local(move |choice: &ModuleChoice| {
        let path = format!("/api/courses/{course_id}/modules");
        let choice = choice.clone();
        async move { api::request::<Weeks>("PUT", &path, Some(&choice)).await }
    });
    Effect::new(move || {
        if let Some(Ok(stored)) = save.value().get() {
            changed.set(None);
            saved.run(stored.weeks.clone());
            said.set(Some(t(lang.get_untracked(), Key::TeachSignUpsSaved).to_owned()));
        }
    });
    Effect::new(move || {
        let list = rows();
        let Some((name, button)) = pressed.get() else { return };
        let at = list.iter().position(|(n, _)| *n == name).unwrap_or(0);
        let button = match button {
            "up" if at == 0 => "down",
            "down" if at + 1 == list.len() => "up",
            other => other,
        };
        let selector = format!(".module-row[data-module='{name}'] .module-{button}");
        // After the list is drawn again: effects run before the page changes.
        request_animation_frame(move || {
            let found = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(&selector).ok().flatten())
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
            if let Some(found) = found {
                let _ = found.focus();
            }
            // Once: a later drawing (after a save, say) leaves focus where it is.
            pressed.set(None);
        });
    });
    let problem = move || save.value().get().and_then(Result::err).map(|e| say(&e, lang.get()));
    let change = move |list: Vec<(String, bool)>| {
        said.set(None);
        changed.set(Some(list));
    };
    let list = move || {
        let lang = lang.get();
        let list = rows();
        let count = list.len();
        let mut week = 0;
        list.clone()
            .into_iter()
            .enumerate()
            .map(|(at, (name, on))| {
                let title = modules(programme)
                    .into_iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, s)| s.title.get(lang).to_owned())
                    .unwrap_or_else(|| name.clone());
                if on {
                    week += 1;
                }
                let when = on.then(|| t(lang, Key::TeachModuleWeek).replace("{n}", &week.to_string()));
                let check_id = format!("module-{name}");
                let week_id = format!("module-week-{name}");
                let up_label = t(lang, Key::TeachModuleUp).replace("{module}", &title);
                let down_label = t(lang, Key::TeachModuleDown).replace("{module}", &title);
                let (toggled, up, down) = (list.clone(), list.clone(), list.clone());
                let (up_name, down_name) = (name.clone(), name.clone());
                view! {
                    <li class="module-row" class:chosen=on data-module=name.clone()>
                        <input type="checkbox" id=check_id.clone() prop:checked=on aria-describedby=week_id.clone()
                            on:change=move |ev| {
                                let mut list = toggled.clone();
                                list[at].1 = event_target_checked(&ev);
                                pressed.set(None);
                                change(list);
                            }/>
                        <label for=check_id>{title}</label>
                        <span class="module-week" id=week_id>{when}</span>
                        <button type="button" class="button module-up" aria-label=up_label disabled=at == 0
                            on:click=move |_| {
                                pressed.set(Some((up_name.clone(), "up")));
                                change(moved(up.clone(), at, at.saturating_sub(1)));
                            }>"↑"</button>
                        <button type="button" class="button module-down" aria-label=down_label disabled=at + 1 == count
                            on:click=move |_| {
                                pressed.set(Some((down_name.clone(), "down")));
                                change(moved(down.clone(), at, at + 1));
                            }>"↓"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        said.set(None);
        pressed.set(None);
        let modules = rows().into_iter().filter(|(_, on)| *on).map(|(name, _)| name).collect();
        save.dispatch(ModuleChoice { modules });
    };
    view! {
        <section class="module-order" aria-labelledby="module-order-heading">
            <h3 id="module-order-heading">{text(Key::TeachModules)}</h3>
            <p class="quiet">{text(Key::TeachModulesLead)}</p>
            <form on:submit=submit>
                <ol class="module-rows">{list}</ol>
                <button type="submit" class="button save-modules" disabled=move || save.pending().get()>
                    {text(Key::TeachSaveModules)}
                </button>
            </form>
            <p class="module-said" role="status">{move || said.get()}</p>
            <p class="form-problem" role="alert">{problem}</p>
        </section>
    }
}

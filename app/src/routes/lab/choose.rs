//! The lab's choices: which test, which way to play it, measuring output
//! onsets, and the busy-page test.

use leptos::prelude::*;

use crate::i18n::{Key, t, use_lang};
use crate::lab::{Test, Way};

#[component]
pub fn Choose(
    test: RwSignal<Test>,
    way: RwSignal<Way>,
    measure: RwSignal<bool>,
    busy: RwSignal<bool>,
    /// A choice changed: what was prepared no longer applies.
    changed: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let tests = Test::ALL.into_iter().map(|each| {
        view! {
            <label>
                <input type="radio" name="lab-test" value=each.name() prop:checked=move || test.get() == each
                    on:change=move |_| { test.set(each); changed.run(()); }/>
                " " {text(each.label())}
            </label>
        }
    });
    let ways = Way::ALL.into_iter().map(|(each, value, key)| {
        view! {
            <label>
                <input type="radio" name="lab-mode" value=value prop:checked=move || way.get() == each
                    on:change=move |_| { way.set(each); changed.run(()); }/>
                " " {text(key)}
            </label>
        }
    });
    let check = move |class: &'static str, signal: RwSignal<bool>, key: Key| {
        view! {
            <p>
                <label class=class>
                    <input type="checkbox" prop:checked=move || signal.get() on:change=move |ev| signal.set(event_target_checked(&ev))/>
                    " " {text(key)}
                </label>
            </p>
        }
    };
    view! {
        <fieldset class="lab-test"><legend>{text(Key::LabTest)}</legend>{tests.collect_view()}</fieldset>
        <fieldset class="lab-mode"><legend>{text(Key::LabMode)}</legend>{ways.collect_view()}</fieldset>
        {check("lab-measure", measure, Key::LabMeasure)}
        {check("lab-busy", busy, Key::LabBusy)}
    }
}
